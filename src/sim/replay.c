/*
 * replay.c - the replay session of replay.h: sweep expansion, the expect
 * checks, creating and destroying the session, and the report; the shared
 * decode, its ring of batches and the worker threads are replay_feed.c.
 */
#include "sim/replay.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/replay_int.h"
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "util/suggest.h"

unsigned
replay_jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return (1);
	return (n > REPLAY_JOBS_MAX ? REPLAY_JOBS_MAX : (unsigned)n);
}

/*
 * replay_config_check() - every expect statistic of cfg must be one the
 * simulator reports: a typo would otherwise fail every run, or worse, be
 * mistaken for a regression.
 */
int
replay_config_check(const struct pg_config *cfg, struct pg_error *err)
{
	const char **names;
	const char *near;
	size_t i, k, n;

	for (n = 0; sim_stat_name(n) != NULL; n++)
		;
	names = calloc(n, sizeof(*names));
	if (names == NULL)
		return (replay_nomem(err));
	for (k = 0; k < n; k++)
		names[k] = sim_stat_name(k);
	for (i = 0; i < cfg->nexpect; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(names[k], cfg->expect[i].stat) == 0)
				break;
		if (k < n)
			continue;
		near = pg_suggest(cfg->expect[i].stat, names, n);
		if (near != NULL)
			pg_error_set(err, cfg->path, PG_POS_LINE,
			    cfg->expect[i].line, "expect: unknown statistic "
			    "'%s' (did you mean '%s'?)", cfg->expect[i].stat,
			    near);
		else
			pg_error_set(err, cfg->path, PG_POS_LINE,
			    cfg->expect[i].line, "expect: unknown statistic "
			    "'%s'", cfg->expect[i].stat);
		free(names);
		return (-EINVAL);
	}
	free(names);
	return (0);
}

/*
 * replay_pick_error() - the error to report after the runs are final:
 * the refused event of lowest number (then lowest run), else the lowest
 * run that failed to finish.  Returns 0 if no run failed.
 */
int
replay_pick_error(struct replay_session *s)
{
	struct replay_run *best = NULL;
	size_t i;

	for (i = 0; i < s->nruns; i++) {
		struct replay_run *r = &s->runs[i];

		if (r->rc != 0 && (best == NULL ||
		    r->fail_event < best->fail_event)) {
			best = r;
			s->fail_run = i;
		}
	}
	if (best == NULL)
		return (0);
	s->failed = best->rc;
	s->fail_err = best->err;
	return (best->rc);
}

int
replay_session_finish(struct replay_session *s, const char *trace_path,
    struct report *out, struct pg_error *err)
{
	struct report_bound bounds[CONF_EXPECT_MAX + SIM_PARTIAL_BOUNDS];
	char msg[PG_ERROR_MSG_MAX];
	size_t i, k, nb;
	int rc;

	memset(out, 0, sizeof(*out));
	if (s->failed != 0 || s->closed)
		return (replay_stop(s, err));
	if ((rc = replay_publish(s, true, err)) < 0)
		return (rc);
	replay_close(s, false);
	if (replay_interrupted(s))
		return (replay_stop(s, err));
	if (replay_pick_error(s) != 0) {
		struct pg_error *e = &s->fail_err;

		/* A refused event was named as such when it happened. */
		i = s->fail_run;
		if (s->runs[i].fail_event == UINT64_MAX) {
			snprintf(msg, sizeof(msg), "%s", e->msg);
			snprintf(e->msg, sizeof(e->msg), "%srun %.200s: %.280s",
			    s->failed == -EFAULT ? "invariant violated in " :
			    "", s->runs[i].cfg.name, msg);
			if (e->file[0] == '\0')
				snprintf(e->file, sizeof(e->file), "%s",
				    trace_path);
		}
		*err = *e;
		return (s->failed);
	}

	out->runs = calloc(s->nruns > 0 ? s->nruns : 1, sizeof(*out->runs));
	if (out->runs == NULL) {
		s->failed = replay_nomem(&s->fail_err);
		*err = s->fail_err;
		return (s->failed);
	}
	snprintf(out->trace.path, sizeof(out->trace.path), "%s", trace_path);
	snprintf(out->trace.format, sizeof(out->trace.format), "%s",
	    s->have_format && s->fi.format == TRACE_FORMAT_BINARY ? "binary" :
	    "text");
	out->trace.compressed = s->have_format && s->fi.compressed;
	out->trace.events = s->fed;
	out->trace.duration_s = (double)s->last_ns / 1e9;
	for (i = 0; i < s->nruns; i++) {
		const struct pg_config *cfg = &s->runs[i].cfg;

		out->runs[i] = s->runs[i].out;
		memset(&s->runs[i].out, 0, sizeof(s->runs[i].out));
		s->runs[i].finished = false;
		out->nruns = i + 1;
		/* The run is named by its configuration, sweep values too. */
		snprintf(out->runs[i].name, sizeof(out->runs[i].name), "%s",
		    cfg->name);
		if (sim_report_sweep(s->runs[i].sweep_key, s->runs[i].nsweep,
		    cfg, &out->runs[i]) < 0) {
			replay_report_release(out);
			s->failed = replay_nomem(&s->fail_err);
			*err = s->fail_err;
			return (s->failed);
		}
		for (k = 0, nb = 0; k < cfg->nexpect; k++) {
			/* A tolerance alone is for --baseline, not a bound. */
			if (!cfg->expect[k].has_min && !cfg->expect[k].has_max)
				continue;
			snprintf(bounds[nb].stat, sizeof(bounds[nb].stat), "%s",
			    cfg->expect[k].stat);
			bounds[nb].has_min = cfg->expect[k].has_min;
			bounds[nb].has_max = cfg->expect[k].has_max;
			bounds[nb].min = cfg->expect[k].min;
			bounds[nb].max = cfg->expect[k].max;
			snprintf(bounds[nb].min_text, sizeof(bounds[nb].min_text),
			    "%s", cfg->expect[k].min_text);
			snprintf(bounds[nb].max_text, sizeof(bounds[nb].max_text),
			    "%s", cfg->expect[k].max_text);
			nb++;
		}
		nb = sim_partial_bounds(cfg, &out->runs[i], bounds, nb);
		if (report_check_expect(&out->runs[i], bounds, nb) < 0) {
			replay_report_release(out);
			s->failed = replay_nomem(&s->fail_err);
			*err = s->fail_err;
			return (s->failed);
		}
	}
	s->failed = -EALREADY;
	pg_error_setv(&s->fail_err, -EALREADY, NULL, PG_POS_NONE, 0,
	    "the session is finished");
	return (0);
}

void
replay_report_release(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nruns; i++)
		report_run_finish(&r->runs[i]);
	free(r->runs);
	r->runs = NULL;
	r->nruns = 0;
}

/* replay_expand() - the runs of cfgs kept by the shard, configs copied. */
static int
replay_expand(struct replay_session *s, const struct pg_config *cfgs,
    size_t n, struct pg_error *err)
{
	uint32_t sc = s->opt.shard_count > 1 ? s->opt.shard_count : 1;
	size_t i, c, j, k, kept, ncomb;
	int rc;

	s->total = 0;
	for (i = 0; i < n; i++) {
		if ((rc = replay_config_check(&cfgs[i], err)) < 0)
			return (rc);
		ncomb = conf_sweep_combinations(&cfgs[i]);
		if (ncomb > SIZE_MAX / sizeof(*s->runs) - s->total)
			return (replay_nomem(err));
		s->total += ncomb;
	}
	kept = s->total / sc + (s->opt.shard_index < s->total % sc);
	s->runs = calloc(kept > 0 ? kept : 1, sizeof(*s->runs));
	if (s->runs == NULL)
		return (replay_nomem(err));
	for (i = 0, k = 0; i < n; i++) {
		ncomb = conf_sweep_combinations(&cfgs[i]);
		for (c = 0; c < ncomb; c++, k++) {
			if (k % sc != s->opt.shard_index)
				continue;
			rc = conf_apply_sweep(&cfgs[i], c,
			    &s->runs[s->nruns].cfg);
			if (rc < 0)
				return (pg_error_setv(err, rc, cfgs[i].path,
				    PG_POS_NONE, 0, "cannot apply sweep "
				    "combination %zu: %s", c, strerror(-rc)));
			/* Which keys made this run a point of the sweep. */
			for (j = 0; j < cfgs[i].nsweep; j++)
				if (conf_key_find(cfgs[i].sweep[j].key,
				    &s->runs[s->nruns].sweep_key[
				    s->runs[s->nruns].nsweep]) == 0)
					s->runs[s->nruns].nsweep++;
			s->nruns++;
		}
	}
	s->many = s->total > 1;
	return (0);
}

/*
 * replay_ring_size() - the batches of a session of nruns runs on nworkers
 * workers (threaded) or on the caller's thread alone.  A run whose worker
 * has other runs to feed gets every batch published since its last turn:
 * with nruns/nworkers runs per worker, a ring of REPLAY_TURN batches per
 * run a worker has makes a turn about REPLAY_TURN batches long, so the
 * run's state comes into the core's caches once per turn (measured on 8
 * runs of a 1 GiB machine on 2 workers: 13% less time than 6 batches in
 * all).  Without threads the caller fills REPLAY_TURN batches, then
 * feeds them to each run in turn.  One run needs only enough batches to
 * let the decoding run ahead.
 */
static unsigned
replay_ring_size(size_t nruns, unsigned nworkers, bool threaded)
{
	size_t per_worker;

	if (!threaded)
		return (nruns > 1 ? REPLAY_TURN : 1);
	if (nruns <= nworkers)
		return (REPLAY_RING);
	per_worker = (nruns + nworkers - 1) / nworkers;
	if (per_worker > REPLAY_RING_MAX / REPLAY_TURN)
		return (REPLAY_RING_MAX);
	return ((unsigned)per_worker * REPLAY_TURN);
}

int
replay_session_create(const struct pg_config *cfgs, size_t n,
    const struct replay_options *opt, struct replay_session **out,
    struct pg_error *err)
{
	struct sim_options so;
	struct replay_session *s;
	size_t i;
	unsigned jobs;
	bool threaded;
	int rc;

	*out = NULL;
	if (opt->shard_count > 1 && opt->shard_index >= opt->shard_count)
		return (pg_error_setv(err, -EINVAL, NULL, PG_POS_NONE, 0,
		    "shard %" PRIu32 " of %" PRIu32 " does not exist",
		    opt->shard_index + 1, opt->shard_count));
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return (replay_nomem(err));
	s->opt = *opt;
	s->stop_event = UINT64_MAX;
	rc = replay_expand(s, cfgs, n, err);
	if (rc < 0)
		goto fail;
	memset(&so, 0, sizeof(so));
	so.check_invariants = opt->check_invariants;
	so.check_interval = opt->check_interval;
	/* A long sim_finish() or drain stops at once too. */
	so.interrupted = opt->interrupted;
	so.timeline_interval_ns = opt->timeline_interval_ns;
	for (i = 0; i < s->nruns; i++) {
		pg_error_clear(err);
		rc = sim_create(&s->runs[i].cfg, &so, &s->runs[i].sim, err);
		if (rc < 0) {
			if (err->file[0] == '\0')
				snprintf(err->file, sizeof(err->file), "%s",
				    s->runs[i].cfg.path);
			goto fail;
		}
	}
	jobs = opt->jobs != 0 ? opt->jobs : replay_jobs_default();
	if (jobs > REPLAY_JOBS_MAX)
		jobs = REPLAY_JOBS_MAX;
	s->nworkers = jobs;
	if (s->nworkers > s->nruns)
		s->nworkers = s->nruns > 0 ? (unsigned)s->nruns : 1;
	/*
	 * More jobs than runs: the workers replay and the caller's thread,
	 * left with the decoding alone, works beside them on a core of its
	 * own (a single run on two cores takes the decoding off its path).
	 * One job, or an empty slice of runs: no thread, the caller does
	 * both in turn.
	 */
	threaded = jobs > 1 && s->nruns > 0;
	s->nring = replay_ring_size(s->nruns, s->nworkers, threaded);
	for (i = 0; i < s->nring; i++) {
		s->ring[i] = malloc(sizeof(*s->ring[i]));
		if (s->ring[i] == NULL) {
			rc = replay_nomem(err);
			goto fail;
		}
		s->ring[i]->n = 0;
		s->ring[i]->refs = 0;
	}
	if (threaded && (rc = replay_start(s, err)) < 0)
		goto fail;
	*out = s;
	return (0);
fail:
	replay_session_destroy(s);
	return (rc);
}

size_t
replay_session_runs(const struct replay_session *s)
{
	return (s->nruns);
}

const struct pg_config *
replay_session_config(const struct replay_session *s, size_t i)
{
	return (&s->runs[i].cfg);
}

size_t
replay_session_total_runs(const struct replay_session *s)
{
	return (s->total);
}

void
replay_session_destroy(struct replay_session *s)
{
	size_t i;

	if (s == NULL)
		return;
	replay_close(s, true);
	if (s->sync_init) {
		pthread_cond_destroy(&s->space);
		pthread_cond_destroy(&s->work);
		pthread_mutex_destroy(&s->mu);
	}
	for (i = 0; i < s->nruns; i++) {
		sim_destroy(s->runs[i].sim);
		report_run_finish(&s->runs[i].out);
	}
	for (i = 0; i < s->nring; i++)
		free(s->ring[i]);
	free(s->workers);
	free(s->runs);
	free(s);
}

/* replay_clock() - seconds as "M:SS", or "H:MM:SS" from an hour on. */
static void
replay_clock(double sec, char *buf, size_t n)
{
	uint64_t t = sec > 0 ? (uint64_t)(sec + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, n, "%" PRIu64 ":%02u:%02u", t / 3600,
		    (unsigned)(t / 60 % 60), (unsigned)(t % 60));
	else
		snprintf(buf, n, "%u:%02u", (unsigned)(t / 60),
		    (unsigned)(t % 60));
}

char *
replay_progress_format(const struct replay_progress *p, double elapsed_s,
    char *buf, size_t n)
{
	char el[32], left[32], rate[32];
	double r = elapsed_s > 0 ? (double)p->events / elapsed_s : 0;
	double f;

	if (r >= 1e6)
		snprintf(rate, sizeof(rate), "%.2f M/s", r / 1e6);
	else if (r >= 1e3)
		snprintf(rate, sizeof(rate), "%.1f k/s", r / 1e3);
	else
		snprintf(rate, sizeof(rate), "%.0f /s", r);
	replay_clock(elapsed_s, el, sizeof(el));
	if (p->input_size > 0 && p->input_done > 0) {
		f = (double)p->input_done / (double)p->input_size;
		if (f > 1)
			f = 1;
		replay_clock(elapsed_s * (1 - f) / f, left, sizeof(left));
		snprintf(buf, n, "%" PRIu64 " events, %s, %s elapsed, %s left "
		    "(%.0f%%)", p->events, rate, el, left, f * 100);
	} else
		snprintf(buf, n, "%" PRIu64 " events, %s, %s elapsed",
		    p->events, rate, el);
	return (buf);
}
