/*
 * partial.c - a replay that did not replay every trace event must not
 * pass silently: warn on stderr, and fail the expect section unless the
 * configuration accepts partial replays (`expect_partial: true`).
 *
 * The simulator counts two kinds of lost events (docs/model.md):
 * events_dropped, the later events of processes the OOM killer killed,
 * and events_unreplayed, events it gave up on: after a panic, or when a
 * process was still that far behind the trace when sim.drain ran out.
 */
#include "cli/cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "report/report.h"

/* partial_count() - the integer statistic name of run, 0 when absent. */
static uint64_t
partial_count(const struct report_run *run, const char *name)
{
	const struct report_value *v = report_run_stat(run, name);

	if (v == NULL || v->is_real || v->i < 0)
		return (0);
	return ((uint64_t)v->i);
}

void
cli_warn_partial(const struct pg_config *cfg, const struct report_run *run)
{
	char drain[32];
	uint64_t events, dropped, unreplayed;

	events = partial_count(run, "events");
	dropped = partial_count(run, "events_dropped");
	unreplayed = partial_count(run, "events_unreplayed");
	if (dropped > 0)
		cli_error("warning: run %s: %" PRIu64 " of %" PRIu64 " trace "
		    "events dropped: they belong to processes the OOM killer "
		    "killed (more memory or swap, or a larger "
		    "vm.pageout_oom_seq, may avoid the kill)", run->name,
		    dropped, events);
	if (unreplayed > 0 && run->panic)
		cli_error("warning: run %s: %" PRIu64 " of %" PRIu64 " trace "
		    "events never replayed: the machine panicked (set "
		    "vm.panic_on_oom: 0 to replay them)", run->name,
		    unreplayed, events);
	else if (unreplayed > 0)
		cli_error("warning: run %s: %" PRIu64 " of %" PRIu64 " trace "
		    "events never replayed: their processes were still behind "
		    "the trace when sim.drain (%s) ran out (raise sim.drain "
		    "to replay them)", run->name, unreplayed, events,
		    conf_format_value(CONF_DURATION, (int64_t)cfg->drain_ns,
		    drain, sizeof(drain)));
	if ((dropped > 0 || unreplayed > 0) && cfg->nexpect > 0 &&
	    !cfg->expect_partial)
		cli_error("warning: run %s: a partial replay fails the expect "
		    "section of %s (set expect_partial: true to accept it)",
		    run->name, cfg->path);
}

/* partial_bounded() - cfg's expect section bounds stat itself. */
static int
partial_bounded(const struct pg_config *cfg, const char *stat)
{
	uint32_t i;

	for (i = 0; i < cfg->nexpect; i++)
		if (strcmp(cfg->expect[i].stat, stat) == 0)
			return (1);
	return (0);
}

size_t
cli_partial_bounds(const struct pg_config *cfg, const struct report_run *run,
    struct report_bound *b, size_t n)
{
	static const char *const stats[CLI_PARTIAL_BOUNDS] = {
		"events_unreplayed", "events_dropped"
	};
	size_t i;

	if (cfg->nexpect == 0 || cfg->expect_partial)
		return (n);
	for (i = 0; i < CLI_PARTIAL_BOUNDS; i++) {
		if (partial_count(run, stats[i]) == 0 ||
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
