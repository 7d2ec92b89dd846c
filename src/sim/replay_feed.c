/*
 * replay_feed.c - the replay session's one decode shared by every run: a
 * ring of batches filled by the caller's thread and the worker threads
 * that feed them to the runs (replay.c sets the session up).
 *
 * Threads.  The caller's thread decodes and fills batches; a batch is
 * published with refs = the number of runs.  A worker takes the run
 * furthest behind that is neither busy nor done with what was
 * published, feeds it every published batch it has not had, dropping
 * each batch's reference, and lets it go; once the input has ended and
 * a run has had every batch, a worker finishes it.  So the runs are
 * shared out as they go, not dealt out in advance: a slow run does not
 * leave the other workers idle, and a run stays on one core for several
 * batches.  A slot of the ring is reused once every run has dropped it.
 * With one job no thread is started: the caller's thread fills
 * REPLAY_TURN batches (one if there is one run) and feeds them all to
 * each run in turn.  With more jobs than runs there is
 * one worker per run and the caller's thread, left with decoding, works
 * beside them.  A run gets its batches in order,
 * one at a time, whichever thread feeds it, and nothing a run computes
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
#include "sim/replay_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"

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
 * replay_feed_run() - feed batch b to run r (unless it failed already).
 * Returns the event number r refused, or UINT64_MAX.
 */
static uint64_t
replay_feed_run(struct replay_session *s, struct replay_run *r,
    const struct replay_batch *b)
{
	size_t j;
	int rc;

	if (r->rc != 0)
		return (UINT64_MAX);
	for (j = 0; j < b->n; j++) {
		if (replay_interrupted(s))
			return (UINT64_MAX);
		rc = sim_feed(r->sim, &b->ev[j], &r->err);
		if (rc < 0) {
			replay_run_error(s, r, b, j, rc);
			return (r->fail_event);
		}
	}
	return (UINT64_MAX);
}

/* replay_finish_run() - sim_finish() of run r, unless it failed. */
static void
replay_finish_run(struct replay_session *s, struct replay_run *r)
{
	int rc;

	if (r->rc != 0 || replay_interrupted(s))
		return;
	pg_error_clear(&r->err);
	rc = sim_finish(r->sim, &r->out, &r->err);
	if (rc < 0) {
		r->rc = rc;
		r->fail_event = UINT64_MAX;
		return;
	}
	r->finished = true;
}

/*
 * replay_pick_run() - under the lock: a run to feed (*finish false) or to
 * finish (*finish true), the one furthest behind, then of lowest index;
 * NULL when none is ready now.
 */
static struct replay_run *
replay_pick_run(struct replay_session *s, bool *finish)
{
	struct replay_run *best = NULL, *r;
	bool may_finish;
	size_t i;

	may_finish = s->ended && !s->quit && s->stop_event == UINT64_MAX;
	for (i = 0; i < s->nruns; i++) {
		r = &s->runs[i];
		if (r->busy || r->closed)
			continue;
		if (r->next < s->published) {
			if (best == NULL || r->next < best->next)
				best = r;
		}
	}
	if (best != NULL) {
		*finish = false;
		return (best);
	}
	if (!may_finish)
		return (NULL);
	for (i = 0; i < s->nruns; i++) {
		r = &s->runs[i];
		if (!r->busy && !r->closed && r->next == s->published) {
			*finish = true;
			return (r);
		}
	}
	return (NULL);
}

/* Every run has had every batch and been finished, or never will be. */
static bool
replay_workers_done(const struct replay_session *s)
{
	size_t i;

	if (s->quit)
		return (true);
	if (!s->ended)
		return (false);
	for (i = 0; i < s->nruns; i++) {
		if (s->runs[i].busy || s->runs[i].next < s->published)
			return (false);
		if (!s->runs[i].closed && s->stop_event == UINT64_MAX)
			return (false);
	}
	return (true);
}

static void *
replay_worker_main(void *arg)
{
	struct replay_worker *w = arg;
	struct replay_session *s = w->s;
	struct replay_batch *b;
	struct replay_run *r;
	uint64_t failed;
	bool finish;

	pthread_mutex_lock(&s->mu);
	while (!s->quit) {
		r = replay_pick_run(s, &finish);
		if (r == NULL) {
			if (replay_workers_done(s))
				break;
			pthread_cond_wait(&s->work, &s->mu);
			continue;
		}
		r->busy = true;
		if (finish) {
			pthread_mutex_unlock(&s->mu);
			replay_finish_run(s, r);
			pthread_mutex_lock(&s->mu);
			r->busy = false;
			r->closed = true;
			pthread_cond_broadcast(&s->work);
			continue;
		}
		/*
		 * Keep the run while it has published batches: its state stays
		 * in this core's caches and the lock is taken once a batch.
		 */
		do {
			b = s->ring[r->next % s->nring];
			pthread_mutex_unlock(&s->mu);
			failed = replay_feed_run(s, r, b);
			pthread_mutex_lock(&s->mu);
			r->next++;
			if (failed < s->stop_event) {
				s->stop_event = failed;
				pthread_cond_broadcast(&s->space);
			}
			if (--b->refs == 0) {
				s->done += b->n;
				pthread_cond_broadcast(&s->space);
			}
		} while (!s->quit && r->next < s->published);
		r->busy = false;
		/* The run, or the end, may be another worker's to take. */
		pthread_cond_broadcast(&s->work);
	}
	pthread_mutex_unlock(&s->mu);
	return (NULL);
}

void
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
void
replay_close(struct replay_session *s, bool quit)
{
	size_t i;

	if (s->closed)
		return;
	s->closed = true;
	if (!s->threads) {
		if (!quit && s->stop_event == UINT64_MAX)
			for (i = 0; i < s->nruns; i++)
				replay_finish_run(s, &s->runs[i]);
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
 * replay_stop() - end the session on an error or an interrupt: close
 * the workers and settle the final status into err.
 */
int
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
 * replay_feed_held() - without threads: feed the full batches held to
 * each run in turn, all of them to one run before the next (its state
 * stays in the caches).  A run that refuses an event is fed no more; the
 * others are fed every batch, so each run meets its own first refusal
 * as it would be fed batch by batch, and the earliest is reported.
 * Returns 0, or the session's final error.
 */
static int
replay_feed_held(struct replay_session *s, struct pg_error *err)
{
	uint64_t failed = UINT64_MAX, f;
	unsigned k;
	size_t i;

	for (i = 0; i < s->nruns; i++) {
		for (k = 0; k < s->held; k++) {
			f = replay_feed_run(s, &s->runs[i], s->ring[k]);
			if (f < failed)
				failed = f;
		}
	}
	for (k = 0; k < s->held; k++) {
		s->done += s->ring[k]->n;
		s->ring[k]->n = 0;
	}
	s->held = 0;
	if (failed != UINT64_MAX)
		s->stop_event = failed;
	if (failed != UINT64_MAX || replay_interrupted(s))
		return (replay_stop(s, err));
	return (0);
}

/*
 * replay_publish() - hand the current batch to the runs.  Without
 * threads, hold it until nring batches are full or, with all (the input
 * paused or ended), at once, then feed them.  Returns 0, or the
 * session's final error.
 */
int
replay_publish(struct replay_session *s, bool all, struct pg_error *err)
{
	struct replay_batch *b = s->cur;

	if (b != NULL && b->n > 0) {
		s->cur = NULL;
		if (!s->threads)
			s->held++;
	} else
		b = NULL;
	if (!s->threads) {
		if (s->held > 0 && (all || s->held == s->nring))
			return (replay_feed_held(s, err));
		return (0);
	}
	if (b == NULL)
		return (0);
	pthread_mutex_lock(&s->mu);
	b->refs = (unsigned)s->nruns;
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
int
replay_acquire(struct replay_session *s, struct pg_error *err)
{
	struct replay_batch *b;
	bool stop;

	if (!s->threads) {
		s->cur = s->ring[s->held];
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
replay_session_sync(struct replay_session *s, struct pg_error *err)
{
	bool stop;
	int rc;

	if (s->failed != 0 || s->closed)
		return (replay_stop(s, err));
	if ((rc = replay_publish(s, true, err)) < 0)
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

/* replay_start() - start the worker threads, signals blocked in them. */
int
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
