/*
 * partial.c - a replay that did not replay every trace event must not
 * pass silently: warn on stderr (the expect section fails too unless the
 * configuration accepts partial replays: sim_partial_bounds()).
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
