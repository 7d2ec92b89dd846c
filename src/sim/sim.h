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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "report/report.h"
#include "trace/event.h"
#include "util/pgerr.h"

struct sim;

struct sim_options {
	bool check_invariants;	/* vm_machine_check() after every daemon step */
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
 * the caller, released with report_run_finish()).
 */
int sim_finish(struct sim *s, struct report_run *out, struct pg_error *err);

/*
 * sim_stat_name() - the i-th statistic name a run reports in `stats`
 * (for validating `expect` keys before running), or NULL past the end.
 */
const char *sim_stat_name(size_t i);

/* sim_destroy() - free everything; NULL is a no-op. */
void sim_destroy(struct sim *s);


#endif
