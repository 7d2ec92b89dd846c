/*
 * replay.h - a replay session: every run of a replay (configurations x
 * sweep combinations) fed from one decode of the trace, on one or several
 * worker threads, finished into one struct report.
 *
 * This is the replay loop of pgreplay; the CLI, the benchmarks and the
 * tests all drive it, so it exists once.
 *
 *	struct replay_session *s;
 *	struct report rep;
 *
 *	replay_session_create(cfgs, ncfgs, &opt, &s, &err);
 *	replay_session_read(s, reader, &err);	(or replay_session_feed())
 *	replay_session_finish(s, "trace.pgt", &rep, &err);
 *	... write rep ...
 *	replay_report_release(&rep);
 *	replay_session_destroy(s);
 *
 * Decoded events are copied into batches of REPLAY_BATCH_EVENTS events
 * (strings included) and the batches are shared read-only by every run:
 * at most REPLAY_RING_MAX batches exist at once, and the reader waits
 * when the slowest run is that far behind.  Memory is therefore one
 * machine per run of the session plus the ring, whatever the trace
 * length.  With more runs than jobs, every run still advances through the
 * one decode: a free worker takes the run furthest behind and feeds it
 * every batch it has not had (a re-read per wave would be impossible for
 * standard input and would decode the trace several times).  A run is
 * fed several batches in a row, about REPLAY_TURN, so that its machine's
 * state is brought into a core's caches once per turn, not once per
 * batch; one job feeds REPLAY_TURN batches to each run in turn.  To bound the
 * machines of a huge sweep, split it with --shard (replay_options.shard_*).
 *
 * Runs are independent simulations with no shared mutable state; results
 * are collected by run index, so the report is the same for any number of
 * jobs and any scheduling.  When events are refused, the error reported is
 * the one at the earliest event, and among those of the lowest run index,
 * as a one-threaded replay feeding each event to every run in order would
 * find first.
 */
#ifndef PGREPLAY_SIM_REPLAY_H
#define PGREPLAY_SIM_REPLAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "report/report.h"
#include "trace/event.h"
#include "trace/reader.h"
#include "util/pgerr.h"

#define REPLAY_BATCH_EVENTS 4096	/* events per shared batch */
#define REPLAY_BATCH_STRINGS 65536	/* string bytes per batch */
#define REPLAY_RING 6			/* batches in flight, a run per worker */
#define REPLAY_TURN 12			/* batches a run is fed in a row */
#define REPLAY_RING_MAX 64		/* batches in flight at most */
#define REPLAY_JOBS_MAX 256

struct replay_session;

/* What a progress callback is told; see replay_options.progress. */
struct replay_progress {
	uint64_t events;	/* events every run has simulated */
	uint64_t input_done;	/* input bytes read (compressed ones if zstd) */
	uint64_t input_size;	/* size of the input, 0 when unknown (a pipe) */
};

/* Options; a zeroed struct gives one thread per online core, all runs. */
struct replay_options {
	bool check_invariants;	/* sim_options.check_invariants of every run */
	uint32_t check_interval; /* sim_options.check_interval of every run */
	uint64_t timeline_interval_ns;	/* sim_options' of every run: --timeline */
	/*
	 * Worker threads: 0 = the number of online cores; 1 = no thread at
	 * all, the runs are fed by the caller's thread.  Never more than the
	 * runs of the session are started.
	 */
	unsigned jobs;
	/*
	 * --shard I/N: keep only the runs k (0-based, in expansion order)
	 * with k % shard_count == shard_index.  shard_count 0 or 1 = all.
	 */
	uint32_t shard_index, shard_count;
	/*
	 * Set non-zero by the caller's signal handler: the session stops
	 * within one event and returns -EINTR (see trace_reader_opts).
	 */
	volatile sig_atomic_t *interrupted;
	/*
	 * If not NULL, called by replay_session_read() in the caller's
	 * thread about every batch and at least every 100 ms while it
	 * waits for the runs; it must not call into the session.
	 */
	void (*progress)(void *arg, const struct replay_progress *p);
	void *progress_arg;
};

/*
 * replay_session_create() - expand every sweep of the n configurations
 * cfgs (in order; the first sweep key varies slowest), keep the runs of
 * the shard, check that every `expect` statistic is one a run reports
 * (an unknown name fails with "FILE:LINE: expect: unknown statistic 'x'
 * (did you mean 'y'?)", the suggestion from pg_suggest()), boot one
 * machine per run and start the worker threads.  cfgs are copied.
 * Returns 0 and *out, or a negative errno with err filled (-ENOMEM with
 * err->msg "out of memory").
 */
int replay_session_create(const struct pg_config *cfgs, size_t n,
    const struct replay_options *opt, struct replay_session **out,
    struct pg_error *err);

/*
 * replay_config_check() - check that every `expect` statistic of cfg is
 * one a run reports (the check replay_session_create() makes), so that a
 * caller loading several files can stop at the first bad one.  Returns 0
 * or -EINVAL (err: "FILE:LINE: expect: unknown statistic ..."), -ENOMEM.
 */
int replay_config_check(const struct pg_config *cfg, struct pg_error *err);

/* replay_session_runs() - the runs of the session (after sharding). */
size_t replay_session_runs(const struct replay_session *s);

/*
 * replay_session_config() - the configuration of run i (sweep values
 * applied), i < replay_session_runs(); valid until the session is
 * destroyed.
 */
const struct pg_config *replay_session_config(const struct replay_session *s,
    size_t i);

/*
 * replay_session_total_runs() - the runs before sharding: the sum of the
 * sweep combinations of every configuration.
 */
size_t replay_session_total_runs(const struct replay_session *s);

/*
 * replay_session_feed() - append one event to the batch being filled
 * (its string is copied); a full batch goes to the runs.  where, if not
 * NULL, gives the event's position for errors (as trace_reader_where()
 * fills it); without it an error names the event number only.  Returns
 * 0, -EINTR when interrupted, or the error of a run that refused an
 * earlier event (err filled: "FILE:LINE: run NAME: ..."); a run's error
 * may surface a few batches after its event.
 */
int replay_session_feed(struct replay_session *s, const struct trace_event *ev,
    const struct pg_error *where, struct pg_error *err);

/*
 * replay_session_read() - feed every event of r to the end of the trace
 * and remember the trace's format, event count and last time for the
 * report.  Returns 0, -EINTR, or the error of the reader or of a run,
 * whichever is at the earlier event (err filled).
 */
int replay_session_read(struct replay_session *s, struct trace_reader *r,
    struct pg_error *err);

/*
 * replay_session_sync() - hand the partial batch to the runs and wait
 * until they have simulated every event fed so far.  Returns as
 * replay_session_feed().  Lets a caller time a part of a trace.
 */
int replay_session_sync(struct replay_session *s, struct pg_error *err);

/*
 * replay_session_finish() - the trace has ended: finish every run
 * (sim_finish()), name it, evaluate its `expect` assertions and fill *out:
 * trace_path names the trace, out->runs (malloc'd) holds the runs in
 * order.  Release *out with replay_report_release().  Returns 0, -EINTR,
 * or a negative errno with err filled (-EFAULT: an invariant was
 * violated, a bug of the model); *out is then empty.  Call once.
 */
int replay_session_finish(struct replay_session *s, const char *trace_path,
    struct report *out, struct pg_error *err);

/* replay_report_release() - free what replay_session_finish() filled. */
void replay_report_release(struct report *r);

/*
 * replay_session_destroy() - stop the workers and free everything; NULL
 * is a no-op.
 */
void replay_session_destroy(struct replay_session *s);

/*
 * replay_jobs_default() - the number of online cores (at least 1), the
 * number of workers jobs = 0 asks for.
 */
unsigned replay_jobs_default(void);

/*
 * replay_progress_format() - the progress line for p after elapsed_s
 * seconds: "12345678 events, 2.10 M/s, 0:05 elapsed, 0:12 left" (the
 * remaining time estimated from the share of the input read, omitted
 * when the input size is unknown), without a newline.  Writes at most
 * n bytes including the NUL; returns buf.
 */
char *replay_progress_format(const struct replay_progress *p,
    double elapsed_s, char *buf, size_t n);

#endif
