/*
 * sim.h - one replay: a machine of one configuration driven by trace
 * events, with the page daemon and laundry threads, devices, stalls and
 * time (spec section 12).
 *
 * Events are fed one at a time, so that one decoded stream can drive
 * several simulations (decode once, simulate many).  A simulation keeps
 * all of its state in struct sim; there are no globals.
 */
#ifndef PGREPLAY_SIM_SIM_H
#define PGREPLAY_SIM_SIM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "report/report.h"
#include "trace/event.h"
#include "util/pgerr.h"

struct sim;

/*
 * The checking mode (docs/development.md, "Invariant checks").  With
 * check_invariants, every step of the model (a daemon scan, a laundry
 * step, an I/O completion, a trace event, a kill) runs the O(domains)
 * counter checks, and every check_interval-th step, and the end of the
 * run, the whole O(pages) vm_machine_check().  check_interval 0 picks
 * SIM_CHECK_INTERVAL(pages); 1 checks everything after every step.
 */
#define SIM_CHECK_FULL_EVERY 1u
#define SIM_CHECK_INTERVAL(pages) ((pages) / 64u > 0 ? (pages) / 64u : 1u)

struct sim_options {
	bool check_invariants;
	uint32_t check_interval;	/* steps between full checks; 0: auto */
	/*
	 * When not NULL and *interrupted becomes non-zero (a signal handler
	 * sets it), sim_feed() and sim_finish() stop within one step of the
	 * model and return -EINTR.
	 */
	const volatile sig_atomic_t *interrupted;
	uint64_t timeline_interval_ns;	/* > 0: sample a timeline (timeline.c) */
};

/*
 * sim_create() - a booted machine for cfg, at simulated time 0.
 * Returns 0 and *out, or a negative errno with err filled.
 */
int sim_create(const struct pg_config *cfg, const struct sim_options *opt,
    struct sim **out, struct pg_error *err);

/*
 * sim_feed() - the next trace event (times never decrease; ev->str is
 * only read during the call).  The simulation first runs up to the
 * event's time.  Returns 0, or a negative errno with err->msg saying what
 * was wrong with the event (the caller adds the position).
 */
int sim_feed(struct sim *s, const struct trace_event *ev, struct pg_error *err);

/*
 * sim_finish() - the trace has ended: run on until every process has
 * exited or been killed, or sim.drain has passed, then fill *out (owned by
 * the caller, released with report_run_finish()).  Returns 0, or a
 * negative errno with err filled (-EINTR when interrupted, -EFAULT for an
 * invariant violation).  With a timeline, the first call moves it into
 * out->timeline.
 */
int sim_finish(struct sim *s, struct report_run *out, struct pg_error *err);

/*
 * sim_stat_name() - the i-th statistic name a run reports in `stats`
 * (for validating `expect` keys before running), or NULL past the end.
 */
const char *sim_stat_name(size_t i);

/* Room sim_partial_bounds() may add after a configuration's bounds. */
#define SIM_PARTIAL_BOUNDS 2

/*
 * sim_partial_bounds() - the expect section fails by default when run
 * replayed less than every event: append to b (holding n bounds, with
 * room for SIM_PARTIAL_BOUNDS more) "events_unreplayed <= 0" and
 * "events_dropped <= 0" when run violates them, cfg has an expect
 * section, does not bound that statistic itself and does not say
 * `expect_partial: true`.  Returns the new count.
 */
size_t sim_partial_bounds(const struct pg_config *cfg,
    const struct report_run *run, struct report_bound *b, size_t n);

/* sim_destroy() - free everything; NULL is a no-op. */
void sim_destroy(struct sim *s);


#endif
