/*
 * pevq.c - the queue of trace events a waiting process holds back, as a
 * compact byte ring with an overflow to the run's spill file
 * (pevq_int.h).
 *
 * A queued event is a record in one of two forms; the first byte of
 * either holds the form (bit 0), the op (bits 1-4) and the object type
 * (bits 5-6).  Fields are little-endian and written and read as whole
 * 8-byte words, masked, so a record costs a few instructions each way
 * (PEVQ_RECORD_MAX bytes from its start must be addressable).
 *
 * - Short (bit 0 set): one 8-byte word that also holds the time and the
 *   event number as deltas from the event queued before it, the object
 *   id and the page, for a one-page event whose four values fit the
 *   widths below.  On generated traces that is every page event but the
 *   first of each process and the multi-page ones.
 * - Long: two more tag bytes, the size codes (1, 2, 4 or 8 bytes) of the
 *   time and number deltas, the object and the page, then of the count;
 *   then the five fields, each in the fewest of those bytes that hold it.
 *   At most PEVQ_RECORD_MAX bytes.
 *
 * Either is a fraction of the 48 bytes of struct sim_pev.  The deltas
 * are decoded against the last event taken out, which is the last one
 * put in once the queue is empty, so both ends agree.
 *
 * An event that comes to an empty queue is not encoded at all: it is
 * held, as it is, as the queue's decoded first event (PEVQ_FRONT_HELD).
 * A process that keeps up with the trace has its events pass one at a
 * time, and then costs a copy each way instead of a record's encoding
 * and decoding.
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

#define PEVQ_RECORD_MAX (3 + 5 * 8)

/* The short form's fields: bits from the word's bit 7 on, in order. */
#define SHORT_DT_BITS 20	/* time delta, ns: about a millisecond */
#define SHORT_DN_BITS 8		/* event-number delta */
#define SHORT_OBJ_BITS 8	/* object id */
#define SHORT_PINDEX_BITS 21	/* page: objects up to 8 GiB */
#define SHORT_DT_SHIFT 7
#define SHORT_DN_SHIFT (SHORT_DT_SHIFT + SHORT_DT_BITS)
#define SHORT_OBJ_SHIFT (SHORT_DN_SHIFT + SHORT_DN_BITS)
#define SHORT_PINDEX_SHIFT (SHORT_OBJ_SHIFT + SHORT_OBJ_BITS)
#define SHORT_LEN 8
_Static_assert(SHORT_PINDEX_SHIFT + SHORT_PINDEX_BITS == 64,
    "the short form fills its word");

static inline uint64_t
low_bits(uint64_t v, unsigned bits)
{
	return (v & ((UINT64_C(1) << bits) - 1));
}

/* Bytes of size code c, and the code of the fewest bytes that hold v. */
static const uint8_t code_bytes[4] = { 1, 2, 4, 8 };
static const uint64_t code_mask[4] = { 0xff, 0xffff, 0xffffffff, UINT64_MAX };

/*
 * The code from the count of leading zero bits of v | 1: 56 to 63 (one
 * byte), 48 to 55 (two), 32 to 47 (four), 0 to 31 (eight).  A table load
 * after one instruction, where comparing with the three limits took ten
 * instructions per field, five fields per event.
 */
static const uint8_t code_of_clz[64] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline unsigned
size_code(uint64_t v)
{
	return (code_of_clz[__builtin_clzll(v | 1)]);
}

/*
 * Store v as 8 bytes, little-endian, of which the record keeps the first
 * few; read them back masked to the field's size.  One unaligned word
 * each way.
 */
static inline void
put_word(uint8_t *b, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(b, &v, sizeof(v));
}

static inline uint64_t
get_word(const uint8_t *b, unsigned code)
{
	uint64_t v;

	memcpy(&v, b, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return (v & code_mask[code]);
}

/* Put field v at rec + *n with size code c; advance *n. */
static inline void
put_field(uint8_t *rec, uint32_t *n, uint64_t v, unsigned c)
{
	put_word(rec + *n, v);
	*n += code_bytes[c];
}

/* The long form of e (deltas dt, dn) into rec: its length. */
static uint32_t
encode_long(uint8_t *rec, const struct sim_pev *e, uint64_t dt, uint64_t dn,
    uint64_t head)
{
	unsigned ct, cn, co, cp, cc;
	uint32_t n = 3;

	ct = size_code(dt);
	cn = size_code(dn);
	co = size_code(e->obj);
	cp = size_code(e->pindex);
	cc = size_code(e->count);
	put_field(rec, &n, dt, ct);
	put_field(rec, &n, dn, cn);
	put_field(rec, &n, e->obj, co);
	put_field(rec, &n, e->pindex, cp);
	put_field(rec, &n, e->count, cc);
	rec[0] = (uint8_t)head;
	rec[1] = (uint8_t)(ct | cn << 2 | co << 4 | cp << 6);
	rec[2] = (uint8_t)cc;
	return (n);
}

/*
 * Encode e after the event (in_time, in_evno) into rec: its length.  The
 * short form inline, the long one called: nearly every record is short.
 */
static inline uint32_t
encode(uint8_t *rec, const struct sim_pev *e, uint64_t in_time,
    uint64_t in_evno)
{
	uint64_t dt = e->time_ns - in_time, dn = e->evno - in_evno;
	uint64_t head = (uint64_t)(e->op & 0x0f) << 1 |
	    (uint64_t)(e->objtype & 0x03) << 5;

	if ((dt >> SHORT_DT_BITS | dn >> SHORT_DN_BITS |
	    e->obj >> SHORT_OBJ_BITS | e->pindex >> SHORT_PINDEX_BITS |
	    (e->count ^ 1)) != 0)
		return (encode_long(rec, e, dt, dn, head));
	put_word(rec, 1 | head | dt << SHORT_DT_SHIFT | dn << SHORT_DN_SHIFT |
	    e->obj << SHORT_OBJ_SHIFT | e->pindex << SHORT_PINDEX_SHIFT);
	return (SHORT_LEN);
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
	/* Zeroed: a record's last words are read past its end (masked). */
	nb = calloc(1, ncap);
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

/*
 * Room in the chunk buffer for a record of any size, flushing it to the
 * spill file first when it has not.  0 or a negative errno.
 */
static int
chunk_room(struct sim_pevq *q, struct sim_spill *sp)
{
	if (q->wbuf == NULL && (q->wbuf = malloc(PEVQ_CHUNK)) == NULL)
		return (-ENOMEM);
	if (q->wlen + PEVQ_RECORD_MAX > PEVQ_CHUNK)
		return (chunk_flush(q, sp));
	return (0);
}

int
sim_pevq_push(struct sim_pevq *q, struct sim_spill *sp,
    const struct sim_pev *e)
{
	uint8_t tmp[PEVQ_RECORD_MAX];
	uint32_t n, tail;
	int rc;

	if (q->n == 0) {
		/* Nothing in the ring, nothing spilled: hold it as it is. */
		q->front = *e;
		q->front_len = PEVQ_FRONT_HELD;
	} else if (spilling(q) ||
	    q->len + PEVQ_RECORD_MAX > PEVQ_RING_MAX) {
		/* Past the ring: encoded into the chunk being filled. */
		if ((rc = chunk_room(q, sp)) < 0)
			return (rc);
		q->wlen += encode(q->wbuf + q->wlen, e, q->in_time, q->in_evno);
		q->wn++;
	} else {
		tail = (q->head + q->len) & (q->cap - 1);
		if (q->cap - q->len >= PEVQ_RECORD_MAX &&
		    q->cap - tail >= PEVQ_RECORD_MAX) {
			/* The tail has room for any record: encode in place. */
			q->len += encode(q->buf + tail, e, q->in_time,
			    q->in_evno);
		} else {
			if ((rc = ring_reserve(q, q->len + PEVQ_RECORD_MAX)) < 0)
				return (rc);
			n = encode(tmp, e, q->in_time, q->in_evno);
			ring_put(q, tmp, n);
		}
		q->ring_n++;
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

/* Decode the record at rec, the ring's first, into q->front. */
static inline void
decode(struct sim_pevq *q, const uint8_t *rec)
{
	struct sim_pev *e = &q->front;
	uint64_t w;
	uint32_t n;
	unsigned c;

	w = get_word(rec, 3);
	e->op = (uint8_t)(w >> 1 & 0x0f);
	e->objtype = (uint8_t)(w >> 5 & 0x03);
	if ((w & 1) != 0) {
		e->time_ns = q->out_time + low_bits(w >> SHORT_DT_SHIFT,
		    SHORT_DT_BITS);
		e->evno = q->out_evno + low_bits(w >> SHORT_DN_SHIFT,
		    SHORT_DN_BITS);
		e->obj = low_bits(w >> SHORT_OBJ_SHIFT, SHORT_OBJ_BITS);
		e->pindex = w >> SHORT_PINDEX_SHIFT;
		e->count = 1;
		q->front_len = SHORT_LEN;
		return;
	}
	n = 3;
	c = rec[1] & 3;
	e->time_ns = q->out_time + get_word(rec + n, c);
	n += code_bytes[c];
	c = rec[1] >> 2 & 3;
	e->evno = q->out_evno + get_word(rec + n, c);
	n += code_bytes[c];
	c = rec[1] >> 4 & 3;
	e->obj = get_word(rec + n, c);
	n += code_bytes[c];
	c = rec[1] >> 6;
	e->pindex = get_word(rec + n, c);
	n += code_bytes[c];
	c = rec[2] & 3;
	e->count = get_word(rec + n, c);
	n += code_bytes[c];
	q->front_len = n;
}

/* decode() of a first record that may wrap round the ring's end. */
static void
decode_wrapped(struct sim_pevq *q)
{
	uint8_t tmp[PEVQ_RECORD_MAX];
	uint32_t avail, first;

	avail = q->len < PEVQ_RECORD_MAX ? q->len : PEVQ_RECORD_MAX;
	first = q->cap - q->head < avail ? q->cap - q->head : avail;
	memcpy(tmp, q->buf + q->head, first);
	memcpy(tmp + first, q->buf, avail - first);
	memset(tmp + avail, 0, PEVQ_RECORD_MAX - avail);
	decode(q, tmp);
}

/* Decode the first event into q->front (once), unless it is held there. */
static inline void
pevq_front(struct sim_pevq *q)
{
	if (q->front_len != 0)
		return;
	if (q->cap - q->head >= PEVQ_RECORD_MAX)
		decode(q, q->buf + q->head);	/* its words all in the ring */
	else
		decode_wrapped(q);
}

uint64_t
sim_pevq_front_time(struct sim_pevq *q)
{
	pevq_front(q);
	return (q->front.time_ns);
}

/* The oldest spilled records would fit in the ring now. */
static bool
refill_fits(const struct sim_pevq *q)
{
	uint32_t next;

	next = q->nchunks > 0 ? q->chunks[q->chunk_head].len : q->wlen;
	return (q->len + next <= PEVQ_RING_MAX);
}

int
sim_pevq_pop(struct sim_pevq *q, struct sim_spill *sp, struct sim_pev *out)
{
	pevq_front(q);
	*out = q->front;
	if (q->front_len != PEVQ_FRONT_HELD) {
		q->head = (q->head + q->front_len) & (q->cap - 1);
		q->len -= q->front_len;
		q->ring_n--;
	}
	q->n--;
	q->out_time = q->front.time_ns;
	q->out_evno = q->front.evno;
	q->front_len = 0;
	/* Most pops of a long backlog free too little for the next chunk. */
	if (!spilling(q) || !refill_fits(q))
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
