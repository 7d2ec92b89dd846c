/*
 * replay_read.c - the trace into the session's batches, where the runs
 * read the events: replay_session_read() has the reader decode a batch at
 * a time (trace_reader_read()) straight into them; replay_session_feed()
 * puts in one event a call.  Both cut the batches in the same places
 * (replay_room(), replay_take()), so the runs see the same batches.
 */
#include "sim/replay_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/*
 * replay_take() - the n events put at the end of the current batch are
 * fed.  Only the last may carry a string: it is copied into the batch
 * or, when the batch has no room left for it, goes with its event to the
 * next batch.
 */
static int
replay_take(struct replay_session *s, size_t n, struct pg_error *err)
{
	struct replay_batch *b = s->cur;
	struct trace_event *ev = &b->ev[b->n + n - 1], moved;
	uint64_t pos;
	size_t len;
	int rc;

	if (b->n == 0)
		b->first = s->fed + 1;
	len = ev->str != NULL ? strnlen(ev->str, TRACE_NAME_MAX) + 1 : 0;
	if (len > 0 && b->nstr + len > REPLAY_BATCH_STRINGS) {
		moved = *ev;
		pos = b->pos[b->n + n - 1];
		b->n += n - 1;
		s->fed += n - 1;
		if ((rc = replay_publish(s, false, err)) < 0 ||
		    (rc = replay_acquire(s, err)) < 0)
			return (rc);
		b = s->cur;
		b->first = s->fed + 1;
		b->ev[0] = moved;
		b->pos[0] = pos;
		ev = &b->ev[0];
		n = 1;
	}
	if (len > 0) {
		memcpy(b->str + b->nstr, ev->str, len - 1);
		b->str[b->nstr + len - 1] = '\0';
		ev->str = b->str + b->nstr;
		b->nstr += len;
	}
	b->n += n;
	s->fed += n;
	s->last_ns = ev->time_ns;
	return (0);
}

/* replay_room() - make s->cur a batch with room for an event. */
static int
replay_room(struct replay_session *s, struct pg_error *err)
{
	int rc;

	if (s->failed != 0 || s->closed || replay_interrupted(s))
		return (replay_stop(s, err));
	if (s->cur != NULL && s->cur->n == REPLAY_BATCH_EVENTS)
		if ((rc = replay_publish(s, false, err)) < 0)
			return (rc);
	if (s->cur == NULL)
		return (replay_acquire(s, err));
	return (0);
}

/* replay_name_input() - keep the input's name from the first event's place. */
static void
replay_name_input(struct replay_session *s, const struct pg_error *where)
{
	snprintf(s->file, sizeof(s->file), "%s", where->file);
	s->pos_kind = where->pos_kind;
}

int
replay_session_feed(struct replay_session *s, const struct trace_event *ev,
    const struct pg_error *where, struct pg_error *err)
{
	struct replay_batch *b;
	int rc;

	if ((rc = replay_room(s, err)) < 0)
		return (rc);
	if (s->fed == 0 && where != NULL)
		replay_name_input(s, where);
	b = s->cur;
	b->ev[b->n] = *ev;
	b->pos[b->n] = where != NULL ? where->pos : 0;
	return (replay_take(s, 1, err));
}

/* replay_progress() - tell the progress callback once a batch of events. */
static void
replay_progress(struct replay_session *s, uint64_t *told)
{
	uint64_t done;

	if (s->opt.progress == NULL || s->fed - *told < REPLAY_BATCH_EVENTS)
		return;
	*told = s->fed;
	if (s->threads) {
		pthread_mutex_lock(&s->mu);
		done = s->done;
		pthread_mutex_unlock(&s->mu);
	} else
		done = s->done;
	replay_tell(s, done);
}

int
replay_session_read(struct replay_session *s, struct trace_reader *r,
    struct pg_error *err)
{
	struct replay_batch *b;
	struct trace_event ev;
	struct pg_error where, rerr;
	uint64_t told = 0;
	int rc;

	s->fi = trace_reader_format(r);
	s->have_format = true;
	s->reader = r;
	for (;;) {
		if ((rc = replay_room(s, err)) < 0)
			goto out;
		b = s->cur;
		rc = trace_reader_read(r, b->ev + b->n, b->pos + b->n,
		    REPLAY_BATCH_EVENTS - b->n, &rerr);
		if (rc <= 0)
			break;
		/* The file name is the same for every event: keep it once. */
		if (s->fed == 0) {
			pg_error_clear(&where);
			trace_reader_where(r, &where);
			replay_name_input(s, &where);
		}
		if ((rc = replay_take(s, (size_t)rc, err)) < 0)
			goto out;
		replay_progress(s, &told);
	}
	if (rc == 0) {
		/* The runs' errors belong to this trace: wait for them. */
		rc = replay_session_sync(s, err);
		goto out;
	}
	if (replay_interrupted(s)) {
		rc = replay_stop(s, err);
		goto out;
	}
	/*
	 * The events before the bad one are fed: a run that refused one of
	 * them has the earlier error.
	 */
	if ((rc = replay_session_sync(s, err)) < 0)
		goto out;
	replay_close(s, true);
	s->failed = rc = trace_reader_next(r, &ev, &s->fail_err);
	*err = s->fail_err;
out:
	s->reader = NULL;
	return (rc);
}
