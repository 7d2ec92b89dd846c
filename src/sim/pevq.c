/*
 * pevq.c - the queue of trace events a waiting process holds back, as a
 * compact byte ring (sim_int.h, struct sim_pevq).
 *
 * A queued event is a record of varints: the time and the event number as
 * deltas from the event queued before it, then op and object type in one
 * byte, the object id, the first page and the page count.  A typical page
 * event takes about 10 bytes instead of the 48 of struct sim_pev, at most
 * PEVQ_RECORD_MAX.  The deltas are decoded against the last event taken
 * out, which is the last one put in once the queue is empty, so both ends
 * agree.  The ring doubles when full and never shrinks: its size is set by
 * the longest backlog of the process, at most SIM_PROC_QUEUE_MAX events.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PEVQ_RECORD_MAX (5 * 10 + 1)

static size_t
put_varint(uint8_t *b, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	return (n);
}

static size_t
get_varint(const uint8_t *b, uint64_t *v)
{
	uint64_t x = 0;
	size_t n = 0;
	unsigned sh = 0;

	do {
		x |= (uint64_t)(b[n] & 0x7f) << sh;
		sh += 7;
	} while ((b[n++] & 0x80) != 0);
	*v = x;
	return (n);
}

int
sim_pevq_push(struct sim_pevq *q, const struct sim_pev *e)
{
	uint8_t rec[PEVQ_RECORD_MAX], *nb;
	uint32_t ncap, tail, first;
	size_t n;

	n = put_varint(rec, e->time_ns - q->in_time);
	n += put_varint(rec + n, e->evno - q->in_evno);
	rec[n++] = (uint8_t)(e->op | e->objtype << 4);
	n += put_varint(rec + n, e->obj);
	n += put_varint(rec + n, e->pindex);
	n += put_varint(rec + n, e->count);
	if (q->len + n > q->cap) {
		ncap = q->cap != 0 ? q->cap : 256;
		while (ncap < q->len + n) {
			if (ncap > UINT32_MAX / 2)
				return (-ENOMEM);
			ncap *= 2;
		}
		nb = malloc(ncap);
		if (nb == NULL)
			return (-ENOMEM);
		/* Unwrap the old contents to the start of the new ring. */
		first = q->cap - q->head < q->len ? q->cap - q->head : q->len;
		if (q->len > 0) {
			memcpy(nb, q->buf + q->head, first);
			memcpy(nb + first, q->buf, q->len - first);
		}
		free(q->buf);
		q->buf = nb;
		q->cap = ncap;
		q->head = 0;
	}
	tail = (q->head + q->len) & (q->cap - 1);
	first = q->cap - tail < n ? q->cap - tail : (uint32_t)n;
	memcpy(q->buf + tail, rec, first);
	memcpy(q->buf, rec + first, n - first);
	q->len += (uint32_t)n;
	q->n++;
	q->in_time = e->time_ns;
	q->in_evno = e->evno;
	q->front_len = 0;
	return (0);
}

/* Decode the first record into q->front (once). */
static void
pevq_front(struct sim_pevq *q)
{
	uint8_t rec[PEVQ_RECORD_MAX];
	struct sim_pev *e = &q->front;
	uint32_t avail, first;
	uint64_t v;
	size_t n;

	if (q->front_len != 0)
		return;
	avail = q->len < PEVQ_RECORD_MAX ? q->len : PEVQ_RECORD_MAX;
	first = q->cap - q->head < avail ? q->cap - q->head : avail;
	memcpy(rec, q->buf + q->head, first);
	memcpy(rec + first, q->buf, avail - first);
	n = get_varint(rec, &v);
	e->time_ns = q->out_time + v;
	n += get_varint(rec + n, &v);
	e->evno = q->out_evno + v;
	e->op = rec[n] & 0x0f;
	e->objtype = rec[n] >> 4;
	n++;
	n += get_varint(rec + n, &e->obj);
	n += get_varint(rec + n, &e->pindex);
	n += get_varint(rec + n, &e->count);
	q->front_len = (uint32_t)n;
}

uint64_t
sim_pevq_front_time(struct sim_pevq *q)
{
	pevq_front(q);
	return (q->front.time_ns);
}

void
sim_pevq_pop(struct sim_pevq *q, struct sim_pev *out)
{
	pevq_front(q);
	*out = q->front;
	q->head = (q->head + q->front_len) & (q->cap - 1);
	q->len -= q->front_len;
	q->n--;
	q->out_time = q->front.time_ns;
	q->out_evno = q->front.evno;
	q->front_len = 0;
}

void
sim_pevq_clear(struct sim_pevq *q)
{
	q->head = q->len = q->n = 0;
	q->out_time = q->in_time;
	q->out_evno = q->in_evno;
	q->front_len = 0;
}

void
sim_pevq_free(struct sim_pevq *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}
