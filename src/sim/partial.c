/*
 * partial.c - a run that replayed less than the whole trace fails its
 * expect section unless its configuration says `expect_partial: true`
 * (docs/report.md, "Expect").
 *
 * The simulator counts two kinds of lost events (docs/model.md):
 * events_dropped, the later events of processes the OOM killer killed,
 * and events_unreplayed, events it gave up on: after a panic, or when a
 * process was still that far behind the trace when sim.drain ran out.
 */
#include "sim/sim.h"

#include <stdio.h>
#include <string.h>

/* partial_lost() - the integer statistic name of run is above 0. */
static bool
partial_lost(const struct report_run *run, const char *name)
{
	const struct report_value *v = report_run_stat(run, name);

	return (v != NULL && !v->is_real && v->i > 0);
}

/* partial_bounded() - cfg's expect section bounds stat itself. */
static bool
partial_bounded(const struct pg_config *cfg, const char *stat)
{
	uint32_t i;

	for (i = 0; i < cfg->nexpect; i++)
		if (strcmp(cfg->expect[i].stat, stat) == 0)
			return (true);
	return (false);
}

size_t
sim_partial_bounds(const struct pg_config *cfg, const struct report_run *run,
    struct report_bound *b, size_t n)
{
	static const char *const stats[SIM_PARTIAL_BOUNDS] = {
		"events_unreplayed", "events_dropped"
	};
	size_t i;

	if (cfg->nexpect == 0 || cfg->expect_partial)
		return (n);
	for (i = 0; i < SIM_PARTIAL_BOUNDS; i++) {
		if (!partial_lost(run, stats[i]) ||
		    partial_bounded(cfg, stats[i]))
			continue;
		memset(&b[n], 0, sizeof(b[n]));
		snprintf(b[n].stat, sizeof(b[n].stat), "%s", stats[i]);
		b[n].has_max = true;
		b[n].max = 0;
		snprintf(b[n].max_text, sizeof(b[n].max_text), "0");
		n++;
	}
	return (n);
}
