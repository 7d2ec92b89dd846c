/*
 * replay_run.c - run the replay session of `pgreplay TRACE`: the progress
 * line on a terminal and the --max-memory check, both from the session's
 * progress callback, and the exit status of a stopped session.
 */
#include "cli/replay_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "report/report.h"
#include "sim/replay.h"
#include "sim/sim.h"
#include "trace/reader.h"
#include "util/memuse.h"

static double
replay_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9);
}

/*
 * replay_over_memory() - whether the heap has grown by more than
 * --max-memory since the session was started; sets m->used.
 */
static bool
replay_over_memory(struct replay_meter *m)
{
	uint64_t now = memuse_bytes(m->msrc);

	m->used = now > m->mbase ? now - m->mbase : 0;
	return (m->used > m->max_memory);
}

/*
 * replay_memory_precheck() - refuse, before any machine is built, runs
 * whose page arrays alone pass --max-memory (a 1 TiB machine is 12 GiB):
 * every sweep combination of every configuration that the shard keeps,
 * together.  Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
replay_memory_precheck(const struct replay_args *a,
    const struct pg_config *cfgs)
{
	struct pg_config *run;
	uint64_t need = 0, k = 0;
	size_t i, c, n;

	run = malloc(sizeof(*run));
	if (run == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	for (i = 0; i < a->nconfigs; i++) {
		n = conf_sweep_combinations(&cfgs[i]);
		for (c = 0; c < n; c++, k++) {
			if (a->shard_count > 1 &&
			    k % a->shard_count != a->shard_index)
				continue;
			if (conf_apply_sweep(&cfgs[i], c, run) < 0)
				continue; /* the session reports it */
			need += run->memory_bytes / PG_PAGE_SIZE *
			    REPLAY_PAGE_BYTES_MIN;
			if (need <= a->max_memory)
				continue;
			fprintf(stderr,
			    "pgreplay: %s: run %s: the models need at least "
			    "%" PRIu64 " MiB, more than --max-memory %s\n",
			    cfgs[i].path, run->name, need >> 20,
			    a->max_memory_arg);
			free(run);
			return (EXIT_BAD_INPUT);
		}
	}
	free(run);
	return (0);
}

/*
 * replay_meter_draw() - the progress callback: from one second on, redraw
 * the one progress line at most five times a second.
 */
static void
replay_meter_draw(void *arg, const struct replay_progress *p)
{
	struct replay_meter *m = arg;
	char line[160];
	double t;

	if (m->max_memory != 0 && p->events >= m->next_check) {
		m->next_check = p->events + REPLAY_MEMORY_EVERY;
		if (replay_over_memory(m)) {
			m->at_events = p->events;
			/* Stops the session within one event, as a signal. */
			replay_signal = REPLAY_STOP_MEMORY;
			return;
		}
	}
	if (!m->draw)
		return;
	t = replay_since(&m->start);
	if (t < 1.0 || (m->last != 0 && t - m->last < 0.2))
		return;
	m->last = t;
	m->shown = true;
	fprintf(stderr, "\rpgreplay: %s\033[K",
	    replay_progress_format(p, t, line, sizeof(line)));
	fflush(stderr);
}

/* replay_meter_clear() - take the progress line off the screen. */
static void
replay_meter_clear(struct replay_meter *m)
{
	if (m->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		m->shown = false;
	}
}

/*
 * replay_simulate() - run the session over the trace into *report.
 * Returns 0, EXIT_BAD_INPUT (printed) or, on a signal, 128 + its number.
 */
int
replay_simulate(const struct replay_args *a, const struct pg_config *cfgs,
    struct report *report)
{
	struct trace_reader_opts ropts = { .no_validate = false, .name = NULL,
		.interrupted = &replay_signal };
	struct replay_options so = { .jobs = a->jobs,
		.shard_index = a->shard_index, .shard_count = a->shard_count,
		.interrupted = &replay_signal };
	struct replay_session *s = NULL;
	struct trace_reader *r = NULL;
	struct replay_meter meter;
	struct pg_error err;
	const char *env = getenv("PGREPLAY_CHECK");
	size_t i;
	int rc, ret = EXIT_BAD_INPUT;

	so.check_invariants = a->check;
	so.check_interval = a->check_interval;
	if (!a->check && env != NULL && env[0] != '\0' &&
	    strcmp(env, "0") != 0) {
		if (replay_check_mode(env, "PGREPLAY_CHECK",
		    &so.check_interval) < 0)
			return (EXIT_BAD_INPUT);
		so.check_invariants = true;
	}
	so.timeline_interval_ns = guard_interval(&a->guard);
	memset(&meter, 0, sizeof(meter));
	clock_gettime(CLOCK_MONOTONIC, &meter.start);
	/* Progress only for a person watching (docs/pgreplay.1). */
	meter.draw = !a->quiet && isatty(STDERR_FILENO);
	meter.max_memory = a->max_memory;
	if (meter.max_memory != 0) {
		if (replay_memory_precheck(a, cfgs) != 0)
			return (EXIT_BAD_INPUT);
		meter.msrc = memuse_source();
		meter.mbase = memuse_bytes(meter.msrc);
		meter.next_check = REPLAY_MEMORY_EVERY;
	}
	if (meter.draw || meter.max_memory != 0) {
		so.progress = replay_meter_draw;
		so.progress_arg = &meter;
	}
	pg_error_clear(&err);
	rc = replay_session_create(cfgs, a->nconfigs, &so, &s, &err);
	if (rc < 0) {
		replay_fail(rc, &err);
		goto out;
	}
	/* The machines are built: the first measurement. */
	if (meter.max_memory != 0 && replay_over_memory(&meter)) {
		fprintf(stderr,
		    "pgreplay: %s: the models need %" PRIu64
		    " MiB, more than --max-memory %s\n",
		    a->nconfigs == 1 ? cfgs[0].path : a->trace,
		    meter.used >> 20, a->max_memory_arg);
		goto out;
	}
	pg_error_clear(&err);
	if ((rc = trace_reader_open(a->trace, &ropts, &r, &err)) < 0) {
		if (replay_signal == 0)
			replay_fail(rc, &err);
		goto out;
	}
	rc = replay_session_read(s, r, &err);
	if (rc == 0)
		rc = replay_session_finish(s, a->trace, report, &err);
	replay_meter_clear(&meter);
	if (rc < 0) {
		replay_fail(rc, &err);
		goto out;
	}
	for (i = 0; !a->quiet && i < report->nruns; i++)
		cli_warn_partial(replay_session_config(s, i), &report->runs[i]);
	if (a->shard_count > 0) {
		report->shard.index = a->shard_index + 1;
		report->shard.count = a->shard_count;
		report->shard.total_runs = replay_session_total_runs(s);
	}
	ret = 0;
out:
	replay_meter_clear(&meter);
	trace_reader_close(r);
	replay_session_destroy(s);
	if (replay_signal == REPLAY_STOP_MEMORY) {
		fprintf(stderr,
		    "pgreplay: %s: event %" PRIu64 ": the models' state has "
		    "grown to %" PRIu64 " MiB, more than --max-memory %s\n",
		    a->trace, meter.at_events, meter.used >> 20,
		    a->max_memory_arg);
		replay_signal = 0;
		ret = EXIT_BAD_INPUT;
	} else if (replay_signal != 0) {
		ret = 128 + replay_signal;
	}
	return (ret);
}
