/*
 * replay_int.h - what the two halves of the replay session share: the
 * session, its runs and batches (replay.c: setting up, the report;
 * replay_feed.c: the shared decode, the batches and the worker threads).
 * Not for other modules.
 */
#ifndef PGREPLAY_SIM_REPLAY_INT_H
#define PGREPLAY_SIM_REPLAY_INT_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/replay.h"
#include "sim/sim.h"

struct replay_batch {
	struct trace_event ev[REPLAY_BATCH_EVENTS];
	uint64_t pos[REPLAY_BATCH_EVENTS];	/* line or byte offset */
	uint64_t first;		/* 1-based number of ev[0] */
	size_t n;
	size_t nstr;		/* bytes of str in use */
	unsigned refs;		/* runs that have yet to consume it */
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
	/* With worker threads (under the session's lock): */
	uint64_t next;		/* sequence number of its next batch */
	bool busy;		/* a worker is feeding or finishing it */
	bool closed;		/* sim_finish() done or skipped */
};

struct replay_worker {
	struct replay_session *s;
	pthread_t thread;
};

struct replay_session {
	struct replay_run *runs;
	size_t nruns, total;
	bool many;		/* total > 1: errors name their run */
	struct replay_options opt;

	unsigned nworkers;	/* worker threads, at most one per run */
	struct replay_worker *workers;
	bool threads;		/* the workers are running */
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a batch was published, or the end */
	pthread_cond_t space;	/* a batch was consumed, or an error */
	bool sync_init;

	struct replay_batch *ring[REPLAY_RING_MAX];
	unsigned nring;
	unsigned held;		/* without threads: full batches not yet fed */
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

static inline int
replay_nomem(struct pg_error *err)
{
	return (pg_error_setv(err, -ENOMEM, NULL, PG_POS_NONE, 0,
	    "out of memory"));
}

static inline bool
replay_interrupted(const struct replay_session *s)
{
	return (s->opt.interrupted != NULL && *s->opt.interrupted != 0);
}

/*
 * replay_feed.c: replay_start() starts the worker threads (0 or a
 * negative errno, err filled); replay_close() joins them, finishing the
 * runs unless quit; replay_publish() hands the batch being filled to the
 * workers (without threads: feeds the held batches once nring are full,
 * or, with all, at once); replay_stop() returns the session's final
 * error (recording it once).
 */
int replay_start(struct replay_session *s, struct pg_error *err);
void replay_close(struct replay_session *s, bool quit);
int replay_publish(struct replay_session *s, bool all,
    struct pg_error *err);
int replay_stop(struct replay_session *s, struct pg_error *err);
/*
 * replay_acquire() makes s->cur an empty batch, waiting for its slot of
 * the ring to be free (0 or the session's final error); replay_tell()
 * calls the progress callback, if any, lock not held.
 */
int replay_acquire(struct replay_session *s, struct pg_error *err);
void replay_tell(struct replay_session *s, uint64_t done);

/*
 * replay.c: replay_pick_error() chooses the error of the earliest event,
 * then of the lowest run index, and returns it (0 if none).
 */
int replay_pick_error(struct replay_session *s);

#endif
