/*
 * pevq.c - the queue of trace events a waiting process holds back, as a
 * compact byte ring with an overflow to the run's spill file
 * (pevq_int.h).
 *
 * A queued event is a record of varints: the time and the event number as
 * deltas from the event queued before it, then op and object type in one
 * byte, the object id, the first page and the page count.  A typical page
 * event takes about 10 bytes instead of the 48 of struct sim_pev, at most
 * PEVQ_RECORD_MAX.  The deltas are decoded against the last event taken
 * out, which is the last one put in once the queue is empty, so both ends
 * agree.
 *
 * The ring doubles when full up to PEVQ_RING_MAX bytes.  Past that, the
 * records go to a chunk buffer and, chunk by chunk, to the spill file;
 * whole records only, so a chunk read back is a run of records that
 * continues the ring's.  Records leave in the order they came whatever
 * their way, so spilling changes nothing in the replay.
 */
#include "sim/pevq_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PEVQ_RECORD_MAX (5 * 10 + 1)

static inline size_t
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

static inline size_t
get_varint(const uint8_t *b, uint64_t *v)
{
	uint64_t x;
	size_t n;
	unsigned sh;

	/* Most fields are deltas and small ids: one or two bytes. */
	if (b[0] < 0x80) {
		*v = b[0];
		return (1);
	}
	if (b[1] < 0x80) {
		*v = (uint64_t)(b[0] & 0x7f) | (uint64_t)b[1] << 7;
		return (2);
	}
	x = 0;
	n = 0;
	sh = 0;
	do {
		x |= (uint64_t)(b[n] & 0x7f) << sh;
		sh += 7;
	} while ((b[n++] & 0x80) != 0);
	*v = x;
	return (n);
}

static bool
spilling(const struct sim_pevq *q)
{
	return (q->nchunks > 0 || q->wlen > 0);
}

/* Make the ring hold at least want bytes (<= PEVQ_RING_MAX): 0 or -ENOMEM. */
static int
ring_reserve(struct sim_pevq *q, uint32_t want)
{
	uint32_t ncap, first;
	uint8_t *nb;

	if (want <= q->cap)
		return (0);
	ncap = q->cap != 0 ? q->cap : 256;
	while (ncap < want)
		ncap *= 2;
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
	return (0);
}

/* Append n bytes of whole records to the ring (room checked). */
static void
ring_put(struct sim_pevq *q, const uint8_t *rec, uint32_t n)
{
	uint32_t tail, first;

	tail = (q->head + q->len) & (q->cap - 1);
	first = q->cap - tail < n ? q->cap - tail : n;
	memcpy(q->buf + tail, rec, first);
	memcpy(q->buf, rec + first, n - first);
	q->len += n;
}

/* Write the chunk buffer to the spill file as the newest chunk. */
static int
chunk_flush(struct sim_pevq *q, struct sim_spill *sp)
{
	struct pevq_chunk *nc;
	uint32_t ncap, i, slot;
	int rc;

	if (q->nchunks == q->chunks_cap) {
		if (q->chunks_cap > UINT32_MAX / 2)
			return (-ENOMEM);
		ncap = q->chunks_cap != 0 ? q->chunks_cap * 2 : 16;
		nc = malloc((size_t)ncap * sizeof(*nc));
		if (nc == NULL)
			return (-ENOMEM);
		for (i = 0; i < q->nchunks; i++)
			nc[i] = q->chunks[(q->chunk_head + i) &
			    (q->chunks_cap - 1)];
		free(q->chunks);
		q->chunks = nc;
		q->chunks_cap = ncap;
		q->chunk_head = 0;
	}
	rc = sim_spill_put(sp, q->wbuf, q->wlen, &slot);
	if (rc < 0)
		return (rc);
	q->chunks[(q->chunk_head + q->nchunks) & (q->chunks_cap - 1)] =
	    (struct pevq_chunk){ .slot = slot, .len = q->wlen, .n = q->wn };
	q->nchunks++;
	q->wlen = q->wn = 0;
	return (0);
}

/* A record past the ring: into the chunk buffer, flushed when full. */
static int
spill_record(struct sim_pevq *q, struct sim_spill *sp, const uint8_t *rec,
    uint32_t n)
{
	int rc;

	if (q->wbuf == NULL && (q->wbuf = malloc(PEVQ_CHUNK)) == NULL)
		return (-ENOMEM);
	if (q->wlen + n > PEVQ_CHUNK && (rc = chunk_flush(q, sp)) < 0)
		return (rc);
	memcpy(q->wbuf + q->wlen, rec, n);
	q->wlen += n;
	q->wn++;
	return (0);
}

int
sim_pevq_push(struct sim_pevq *q, struct sim_spill *sp,
    const struct sim_pev *e)
{
	uint8_t tmp[PEVQ_RECORD_MAX], *rec;
	uint32_t n, tail;
	bool direct;
	int rc;

	/* Encode in place when the ring's tail has room for any record. */
	tail = (q->head + q->len) & (q->cap - 1);
	direct = !spilling(q) && q->cap - q->len >= PEVQ_RECORD_MAX &&
	    q->cap - tail >= PEVQ_RECORD_MAX;
	rec = direct ? q->buf + tail : tmp;
	n = (uint32_t)put_varint(rec, e->time_ns - q->in_time);
	n += (uint32_t)put_varint(rec + n, e->evno - q->in_evno);
	rec[n++] = (uint8_t)(e->op | e->objtype << 4);
	n += (uint32_t)put_varint(rec + n, e->obj);
	n += (uint32_t)put_varint(rec + n, e->pindex);
	n += (uint32_t)put_varint(rec + n, e->count);
	if (direct) {
		q->len += n;
		q->ring_n++;
	} else if (!spilling(q) && q->len + n <= PEVQ_RING_MAX) {
		if ((rc = ring_reserve(q, q->len + n)) < 0)
			return (rc);
		ring_put(q, rec, n);
		q->ring_n++;
	} else if ((rc = spill_record(q, sp, rec, n)) < 0) {
		return (rc);
	}
	q->n++;
	q->in_time = e->time_ns;
	q->in_evno = e->evno;
	return (0);
}

/*
 * Bring spilled records back, oldest first, while the ring has room: the
 * chunks, then (none left) the chunk buffer, which ends the spill.
 */
static int
refill(struct sim_pevq *q, struct sim_spill *sp)
{
	uint8_t tmp[PEVQ_CHUNK];
	struct pevq_chunk *c;
	int rc;

	while (q->nchunks > 0) {
		c = &q->chunks[q->chunk_head];
		if (q->len + c->len > PEVQ_RING_MAX)
			return (0);
		if ((rc = ring_reserve(q, q->len + c->len)) < 0)
			return (rc);
		if ((rc = sim_spill_take(sp, c->slot, tmp, c->len)) < 0)
			return (rc);
		ring_put(q, tmp, c->len);
		q->ring_n += c->n;
		q->chunk_head = (q->chunk_head + 1) & (q->chunks_cap - 1);
		q->nchunks--;
	}
	if (q->wlen > 0 && q->len + q->wlen <= PEVQ_RING_MAX) {
		if ((rc = ring_reserve(q, q->len + q->wlen)) < 0)
			return (rc);
		ring_put(q, q->wbuf, q->wlen);
		q->ring_n += q->wn;
		q->wlen = q->wn = 0;
		/* The spill is over: its buffer is not kept for the next one. */
		free(q->wbuf);
		q->wbuf = NULL;
	}
	return (0);
}

/* Decode the first record into q->front (once); it is in the ring. */
static void
pevq_front(struct sim_pevq *q)
{
	uint8_t tmp[PEVQ_RECORD_MAX];
	const uint8_t *rec;
	struct sim_pev *e = &q->front;
	uint32_t avail, first;
	uint64_t v;
	size_t n;

	if (q->front_len != 0)
		return;
	avail = q->len < PEVQ_RECORD_MAX ? q->len : PEVQ_RECORD_MAX;
	if (q->cap - q->head >= avail) {
		/* Not wrapped: decode in place. */
		rec = q->buf + q->head;
	} else {
		first = q->cap - q->head;
		memcpy(tmp, q->buf + q->head, first);
		memcpy(tmp + first, q->buf, avail - first);
		rec = tmp;
	}
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

int
sim_pevq_pop(struct sim_pevq *q, struct sim_spill *sp, struct sim_pev *out)
{
	pevq_front(q);
	*out = q->front;
	q->head = (q->head + q->front_len) & (q->cap - 1);
	q->len -= q->front_len;
	q->ring_n--;
	q->n--;
	q->out_time = q->front.time_ns;
	q->out_evno = q->front.evno;
	q->front_len = 0;
	if (!spilling(q))
		return (0);
	return (refill(q, sp));
}

void
sim_pevq_clear(struct sim_pevq *q, struct sim_spill *sp)
{
	while (q->nchunks > 0) {
		sim_spill_drop(sp, q->chunks[q->chunk_head].slot);
		q->chunk_head = (q->chunk_head + 1) & (q->chunks_cap - 1);
		q->nchunks--;
	}
	q->wlen = q->wn = 0;
	q->head = q->len = q->ring_n = 0;
	q->n = 0;
	q->out_time = q->in_time;
	q->out_evno = q->in_evno;
	q->front_len = 0;
}

void
sim_pevq_free(struct sim_pevq *q, struct sim_spill *sp)
{
	sim_pevq_clear(q, sp);
	free(q->buf);
	free(q->chunks);
	free(q->wbuf);
	memset(q, 0, sizeof(*q));
}
