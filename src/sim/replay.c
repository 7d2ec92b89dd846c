/*
 * replay.c - the replay session of replay.h: sweep expansion, the expect
 * checks, one decode shared by every run through a ring of batches, the
 * worker threads, and the report.
 *
 * Threads.  The caller's thread decodes and fills batches; a batch is
 * published with refs = the number of workers and each worker feeds it
 * to its own runs, in order, then drops its reference.  A slot of the
 * ring is reused once every worker has dropped it.  With one worker no
 * thread is started: the caller's thread feeds each full batch itself,
 * which is the same code with the same batches.  Nothing a run computes
 * depends on another run or on timing, so the results, gathered by run
 * index, are the same for any number of workers.
 *
 * Errors.  A run that refuses an event records it with the event's
 * number and stops; the session then stops reading (the failing event
 * was published, so every event up to it has been) and waits for every
 * worker to consume what was published.  Of all recorded errors the one
 * at the earliest event, then of the lowest run index, is returned: the
 * one a single thread feeding each event to every run in turn meets first.
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

#include "sim/sim.h"
#include "sim/sim_int.h"

struct replay_batch {
	struct trace_event ev[REPLAY_BATCH_EVENTS];
	uint64_t pos[REPLAY_BATCH_EVENTS];	/* line or byte offset */
	uint64_t first;		/* 1-based number of ev[0] */
	size_t n;
	size_t nstr;		/* bytes of str in use */
	unsigned refs;		/* workers that have yet to consume it */
	char str[REPLAY_BATCH_STRINGS];
};

struct replay_run {
	struct pg_config cfg;	/* sweep values applied */
	size_t sweep_key[CONF_SWEEP_MAX];	/* its base's sweep keys (report) */
	uint32_t nsweep;
	struct sim *sim;
	int rc;			/* the run's error, 0 if none */
	uint64_t fail_event;	/* event it refused; UINT64_MAX: at finish */
	struct pg_error err;
	struct report_run out;
	bool finished;		/* out is filled */
};

struct replay_worker {
	struct replay_session *s;
	unsigned id;
	pthread_t thread;
	uint64_t next;		/* sequence number of its next batch */
};

struct replay_session {
	struct replay_run *runs;
	size_t nruns, total;
	bool many;		/* total > 1: errors name their run */
	struct replay_options opt;

	unsigned nworkers;	/* 1: no thread, the caller feeds */
	struct replay_worker *workers;
	bool threads;		/* the workers are running */
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a batch was published, or the end */
	pthread_cond_t space;	/* a batch was consumed, or an error */
	bool sync_init;

	struct replay_batch *ring[REPLAY_RING];
	unsigned nring;
	struct replay_batch *cur;	/* being filled, or NULL */
	uint64_t published;	/* batches handed to the workers */
	uint64_t done;		/* events every run has simulated */
	bool ended;		/* no more batches: finish the runs */
	bool quit;		/* leave at once (interrupt, destroy) */
	uint64_t stop_event;	/* earliest refused event, or UINT64_MAX */

	/* What the reader told about the trace. */
	char file[PG_ERROR_FILE_MAX];
	enum pg_pos_kind pos_kind;
	bool have_format;
	struct trace_format_info fi;
	struct trace_reader *reader;	/* during replay_session_read() */
	uint64_t fed;		/* events fed */
	uint64_t last_ns;

	int failed;		/* a final error, returned again, or 0 */
	size_t fail_run;	/* the run it comes from, if any */
	struct pg_error fail_err;
	bool closed;		/* workers joined, runs finished or not */
};

static int
replay_nomem(struct pg_error *err)
{
	return (pg_error_setv(err, -ENOMEM, NULL, PG_POS_NONE, 0,
	    "out of memory"));
}

static bool
replay_interrupted(const struct replay_session *s)
{
	return (s->opt.interrupted != NULL && *s->opt.interrupted != 0);
}

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
		near = conf_suggest(cfg->expect[i].stat, names, n);
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

/* replay_run_error() - run r refused event j of batch b with rc. */
static void
replay_run_error(struct replay_session *s, struct replay_run *r,
    const struct replay_batch *b, size_t j, int rc)
{
	char msg[PG_ERROR_MSG_MAX];

	snprintf(r->err.file, sizeof(r->err.file), "%s", s->file);
	r->err.pos_kind = s->pos_kind;
	r->err.pos = b->pos[j];
	r->err.event = b->first + j;
	if (s->many || rc == -EFAULT) {
		snprintf(msg, sizeof(msg), "%s", r->err.msg);
		snprintf(r->err.msg, sizeof(r->err.msg), "%s%.200s: %.280s",
		    rc == -EFAULT ? "invariant violated in run " : "run ",
		    r->cfg.name, msg);
	}
	r->rc = rc;
	r->fail_event = b->first + j;
}

/*
 * replay_feed_batch() - feed batch b to the runs first, first + step, ...
 * Returns the smallest event number refused, or UINT64_MAX.
 */
static uint64_t
replay_feed_batch(struct replay_session *s, const struct replay_batch *b,
    size_t first, size_t step)
{
	uint64_t failed = UINT64_MAX;
	size_t i, j;
	int rc;

	for (i = first; i < s->nruns; i += step) {
		struct replay_run *r = &s->runs[i];

		if (r->rc != 0)
			continue;
		for (j = 0; j < b->n; j++) {
			if (replay_interrupted(s))
				return (failed);
			rc = sim_feed(r->sim, &b->ev[j], &r->err);
			if (rc < 0) {
				replay_run_error(s, r, b, j, rc);
				if (r->fail_event < failed)
					failed = r->fail_event;
				break;
			}
		}
	}
	return (failed);
}

/* replay_finish_runs() - sim_finish() of the runs first, first + step ... */
static void
replay_finish_runs(struct replay_session *s, size_t first, size_t step)
{
	size_t i;
	int rc;

	for (i = first; i < s->nruns; i += step) {
		struct replay_run *r = &s->runs[i];

		if (r->rc != 0 || replay_interrupted(s))
			continue;
		pg_error_clear(&r->err);
		rc = sim_finish(r->sim, &r->out, &r->err);
		if (rc < 0) {
			r->rc = rc;
			r->fail_event = UINT64_MAX;
			continue;
		}
		r->finished = true;
	}
}

static void *
replay_worker_main(void *arg)
{
	struct replay_worker *w = arg;
	struct replay_session *s = w->s;
	struct replay_batch *b;
	uint64_t failed;
	bool finish;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (w->next == s->published && !s->ended && !s->quit)
			pthread_cond_wait(&s->work, &s->mu);
		if (s->quit || w->next == s->published)
			break;
		b = s->ring[w->next % s->nring];
		pthread_mutex_unlock(&s->mu);
		failed = replay_feed_batch(s, b, w->id, s->nworkers);
		pthread_mutex_lock(&s->mu);
		if (failed < s->stop_event)
			s->stop_event = failed;
		w->next++;
		if (--b->refs == 0)
			s->done += b->n;
		pthread_cond_broadcast(&s->space);
	}
	finish = !s->quit && s->stop_event == UINT64_MAX;
	pthread_mutex_unlock(&s->mu);
	if (finish)
		replay_finish_runs(s, w->id, s->nworkers);
	return (NULL);
}

/* replay_tell() - call the progress callback, if any (lock not held). */
static void
replay_tell(struct replay_session *s, uint64_t done)
{
	struct replay_progress p = { .events = done };

	if (s->opt.progress == NULL)
		return;
	if (s->reader != NULL)
		trace_reader_input(s->reader, &p.input_done, &p.input_size);
	s->opt.progress(s->opt.progress_arg, &p);
}

/* replay_wait() - wait on cv for up to 100 ms (lock held). */
static void
replay_wait(struct replay_session *s, pthread_cond_t *cv)
{
	struct timespec ts;
	uint64_t done;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000 * 1000 * 1000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000 * 1000 * 1000;
	}
	if (pthread_cond_timedwait(cv, &s->mu, &ts) == ETIMEDOUT &&
	    s->opt.progress != NULL) {
		done = s->done;
		pthread_mutex_unlock(&s->mu);
		replay_tell(s, done);
		pthread_mutex_lock(&s->mu);
	}
}

/*
 * replay_close() - stop feeding: let the workers consume what was
 * published (and finish their runs when ok and nothing failed), or quit
 * at once, and join them.  The runs are then final.
 */
static void
replay_close(struct replay_session *s, bool quit)
{
	unsigned i;

	if (s->closed)
		return;
	s->closed = true;
	if (!s->threads) {
		if (!quit && s->stop_event == UINT64_MAX)
			replay_finish_runs(s, 0, 1);
		return;
	}
	pthread_mutex_lock(&s->mu);
	s->ended = true;
	if (quit)
		s->quit = true;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
	for (i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i].thread, NULL);
	s->threads = false;
}

/*
 * replay_pick_error() - the error to report after the runs are final:
 * the refused event of lowest number (then lowest run), else the lowest
 * run that failed to finish.  Returns 0 if no run failed.
 */
static int
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

/*
 * replay_stop() - end the session on an error or an interrupt: close
 * the workers and settle the final status into err.
 */
static int
replay_stop(struct replay_session *s, struct pg_error *err)
{
	if (s->failed == 0) {
		if (replay_interrupted(s)) {
			replay_close(s, true);
			s->failed = -EINTR;
			pg_error_setv(&s->fail_err, -EINTR, NULL, PG_POS_NONE,
			    0, "interrupted");
		} else {
			replay_close(s, false);
			if (replay_pick_error(s) == 0)
				s->failed = pg_error_setv(&s->fail_err, -EIO,
				    NULL, PG_POS_NONE, 0,
				    "the replay stopped");
		}
	}
	*err = s->fail_err;
	return (s->failed);
}

/*
 * replay_publish() - hand the current batch to the runs (or, without
 * threads, feed it).  Returns 0, or the session's final error.
 */
static int
replay_publish(struct replay_session *s, struct pg_error *err)
{
	struct replay_batch *b = s->cur;
	uint64_t failed;

	if (b == NULL || b->n == 0)
		return (0);
	s->cur = NULL;
	if (!s->threads) {
		failed = replay_feed_batch(s, b, 0, 1);
		s->done += b->n;
		b->n = 0;
		if (failed != UINT64_MAX)
			s->stop_event = failed;
		if (failed != UINT64_MAX || replay_interrupted(s))
			return (replay_stop(s, err));
		return (0);
	}
	pthread_mutex_lock(&s->mu);
	b->refs = s->nworkers;
	s->published++;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
	return (0);
}

/*
 * replay_acquire() - make s->cur an empty batch: wait until the slot of
 * the next batch has been consumed by every worker.  Returns 0, or the
 * session's final error (a run failed, or a signal arrived).
 */
static int
replay_acquire(struct replay_session *s, struct pg_error *err)
{
	struct replay_batch *b;
	bool stop;

	if (!s->threads) {
		s->cur = s->ring[0];
		s->cur->n = 0;
		s->cur->nstr = 0;
		return (0);
	}
	b = s->ring[s->published % s->nring];
	pthread_mutex_lock(&s->mu);
	while (b->refs > 0 && s->stop_event == UINT64_MAX &&
	    !replay_interrupted(s))
		replay_wait(s, &s->space);
	stop = s->stop_event != UINT64_MAX || replay_interrupted(s);
	pthread_mutex_unlock(&s->mu);
	if (stop)
		return (replay_stop(s, err));
	b->n = 0;
	b->nstr = 0;
	s->cur = b;
	return (0);
}

int
replay_session_feed(struct replay_session *s, const struct trace_event *ev,
    const struct pg_error *where, struct pg_error *err)
{
	struct replay_batch *b;
	size_t len;
	int rc;

	if (s->failed != 0 || s->closed || replay_interrupted(s))
		return (replay_stop(s, err));
	len = ev->str != NULL ? strnlen(ev->str, TRACE_NAME_MAX) + 1 : 0;
	b = s->cur;
	if (b != NULL && (b->n == REPLAY_BATCH_EVENTS ||
	    b->nstr + len > REPLAY_BATCH_STRINGS)) {
		if ((rc = replay_publish(s, err)) < 0)
			return (rc);
		b = NULL;
	}
	if (b == NULL) {
		if ((rc = replay_acquire(s, err)) < 0)
			return (rc);
		b = s->cur;
	}
	if (s->fed == 0 && where != NULL) {
		snprintf(s->file, sizeof(s->file), "%s", where->file);
		s->pos_kind = where->pos_kind;
	}
	if (b->n == 0)
		b->first = s->fed + 1;
	b->ev[b->n] = *ev;
	if (len > 0) {
		memcpy(b->str + b->nstr, ev->str, len - 1);
		b->str[b->nstr + len - 1] = '\0';
		b->ev[b->n].str = b->str + b->nstr;
		b->nstr += len;
	}
	b->pos[b->n] = where != NULL ? where->pos : 0;
	b->n++;
	s->fed++;
	s->last_ns = ev->time_ns;
	return (0);
}

int
replay_session_sync(struct replay_session *s, struct pg_error *err)
{
	bool stop;
	int rc;

	if (s->failed != 0 || s->closed)
		return (replay_stop(s, err));
	if ((rc = replay_publish(s, err)) < 0)
		return (rc);
	if (!s->threads)
		return (0);
	pthread_mutex_lock(&s->mu);
	while (s->done < s->fed && s->stop_event == UINT64_MAX &&
	    !replay_interrupted(s))
		replay_wait(s, &s->space);
	stop = s->stop_event != UINT64_MAX || replay_interrupted(s);
	pthread_mutex_unlock(&s->mu);
	return (stop ? replay_stop(s, err) : 0);
}

int
replay_session_read(struct replay_session *s, struct trace_reader *r,
    struct pg_error *err)
{
	struct trace_event ev;
	struct pg_error where, rerr;
	uint64_t done, told = 0;
	int rc;

	s->fi = trace_reader_format(r);
	s->have_format = true;
	s->reader = r;
	pg_error_clear(&where);
	for (;;) {
		/* No pg_error_clear() here: this loop runs once per event. */
		rc = trace_reader_next(r, &ev, &rerr);
		if (rc <= 0)
			break;
		/* The file name is the same for every event: format it once. */
		if (s->fed == 0)
			trace_reader_where(r, &where);
		else
			where.pos = trace_reader_pos(r);
		rc = replay_session_feed(s, &ev, &where, err);
		if (rc < 0)
			goto out;
		if (s->opt.progress != NULL &&
		    s->fed - told >= REPLAY_BATCH_EVENTS) {
			told = s->fed;
			if (s->threads) {
				pthread_mutex_lock(&s->mu);
				done = s->done;
				pthread_mutex_unlock(&s->mu);
			} else
				done = s->done;
			replay_tell(s, done);
		}
	}
	if (rc == 0) {
		/* The runs' errors belong to this trace: wait for them. */
		rc = replay_session_sync(s, err);
		goto out;
	}
	if (rc < 0) {
		if (replay_interrupted(s)) {
			rc = replay_stop(s, err);
			goto out;
		}
		/*
		 * The events before the bad one are fed: a run that refused
		 * one of them has the earlier error.
		 */
		if ((rc = replay_session_sync(s, err)) < 0)
			goto out;
		replay_close(s, true);
		s->failed = rc = trace_reader_next(r, &ev, &s->fail_err);
		*err = s->fail_err;
	}
out:
	s->reader = NULL;
	return (rc);
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
	if ((rc = replay_publish(s, err)) < 0)
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

/* replay_start() - start the worker threads, signals blocked in them. */
static int
replay_start(struct replay_session *s, struct pg_error *err)
{
	sigset_t all, old;
	unsigned i;
	int rc;

	s->workers = calloc(s->nworkers, sizeof(*s->workers));
	if (s->workers == NULL)
		return (replay_nomem(err));
	if (pthread_mutex_init(&s->mu, NULL) != 0 ||
	    pthread_cond_init(&s->work, NULL) != 0 ||
	    pthread_cond_init(&s->space, NULL) != 0)
		return (pg_error_setv(err, -ENOMEM, NULL, PG_POS_NONE, 0,
		    "cannot create the worker locks"));
	s->sync_init = true;
	/*
	 * Signals go to the caller's thread only: its blocking read of a
	 * pipe must be interrupted to notice SIGINT (trace_reader_opts).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < s->nworkers; i++) {
		s->workers[i].s = s;
		s->workers[i].id = i;
		rc = pthread_create(&s->workers[i].thread, NULL,
		    replay_worker_main, &s->workers[i]);
		if (rc != 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (i < s->nworkers) {
		/* Stop the ones that started. */
		pthread_mutex_lock(&s->mu);
		s->quit = true;
		pthread_cond_broadcast(&s->work);
		pthread_mutex_unlock(&s->mu);
		while (i-- > 0)
			pthread_join(s->workers[i].thread, NULL);
		return (pg_error_setv(err, -rc, NULL, PG_POS_NONE, 0,
		    "cannot start %u worker threads: %s", s->nworkers,
		    strerror(rc)));
	}
	s->threads = true;
	return (0);
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

int
replay_session_create(const struct pg_config *cfgs, size_t n,
    const struct replay_options *opt, struct replay_session **out,
    struct pg_error *err)
{
	struct sim_options so;
	struct replay_session *s;
	size_t i;
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
	s->nworkers = opt->jobs != 0 ? opt->jobs : replay_jobs_default();
	if (s->nworkers > REPLAY_JOBS_MAX)
		s->nworkers = REPLAY_JOBS_MAX;
	if (s->nworkers > s->nruns)
		s->nworkers = s->nruns > 0 ? (unsigned)s->nruns : 1;
	s->nring = s->nworkers > 1 ? REPLAY_RING : 1;
	for (i = 0; i < s->nring; i++) {
		s->ring[i] = malloc(sizeof(*s->ring[i]));
		if (s->ring[i] == NULL) {
			rc = replay_nomem(err);
			goto fail;
		}
		s->ring[i]->n = 0;
		s->ring[i]->refs = 0;
	}
	if (s->nworkers > 1 && (rc = replay_start(s, err)) < 0)
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
	for (i = 0; i < REPLAY_RING; i++)
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
