/*
 * binfmt.h - the binary trace stream, shared by its encoder and decoder
 * (private to src/trace/).  docs/trace-format.md describes the layout byte
 * by byte; this header is its executable form, so change both together.
 */
#ifndef PGREPLAY_TRACE_BINFMT_H
#define PGREPLAY_TRACE_BINFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* "\x89PGB\r\n\x1a\n": the high byte and the line ends catch text-mode damage.
 */
#define TB_MAGIC "\x89PGB\r\n\x1a\n"
#define TB_MAGIC_LEN 8
#define TB_VERSION 1
#define TB_HEADER_LEN 16 /* magic, u16 version, u16 flags, u32 reserved */

/*
 * Record tags.  Tags below TB_PAGE_TAGS are page ops, every combination
 * of op (fault, dirty, free, wire, unwire: enum trace_op order), time mode,
 * pindex form and a 2-bit value V:
 *
 *	tag = (op * 3 + time mode) << 4 | form << 2 | V
 *
 * Tags from TB_PAGE_TAGS up are the other records: kind = tag - 240.
 * Packing three time modes this way (rather than a flag bit) is what lets
 * a touch with the usual time step, a random pindex below 2^18 and no
 * other change fit in three bytes.
 */
#define TB_PAGE_TAGS 240
#define TB_PAGE_OPS 5
#define TB_TIME_ZERO 0 /* same time as the previous event */
#define TB_TIME_STEP 1 /* time advances by the current step */
#define TB_TIME_NEW 2  /* a varint follows: the new step, applied */
#define TB_FORM_SEQ 0  /* pindex = predicted + unzigzag(V) */
#define TB_FORM_NEAR 1 /* pindex = predicted + unzigzag(V | byte << 2) */
#define TB_FORM_ABS 2  /* pindex = V | u16le << 2 (below 2^18) */
#define TB_FORM_EXT 3  /* V bit 0: new stream; bit 1: count; zz delta */
#define TB_EXT_S 1
#define TB_EXT_C 2
#define TB_PAGE_TAG(op, tmode, form, v) \
	((uint8_t)(((op)*3 + (tmode)) << 4 | (form) << 2 | (v)))

#define TB_KIND_PROC 0
#define TB_KIND_EXIT 1
#define TB_KIND_MAP 2
#define TB_KIND_UNMAP 3
#define TB_KIND_SWAPON 4
#define TB_KIND_SWAPOFF 5
#define TB_KIND_MARK 6
/* 7 stays unused: old readers and the goldens name it as the unknown tag. */
#define TB_KIND_NOTE 8 /* no time delta: varint length, TEXT bytes */
#define TB_KIND_END 15
#define TB_TAG(kind) ((uint8_t)(TB_PAGE_TAGS + (kind)))
#define TB_TAG_END TB_TAG(TB_KIND_END)

/* Largest record without its string: tag + 6 varints + type byte. */
#define TB_RECORD_MAX 64
#define TB_VARINT_MAX 10

/*
 * The pindex prediction: a direct-mapped cache of TB_PRED_SLOTS streams
 * (pid, obj) -> next pindex (the page after the last range touched).  Both
 * sides update it identically, so it costs nothing in the file.
 */
#define TB_PRED_BITS 10
#define TB_PRED_SLOTS (1u << TB_PRED_BITS)

struct tb_pred_entry {
	uint64_t obj;
	uint64_t next;
	uint32_t pid;
	uint32_t used;
};

/*
 * The current stream (the last a page op named) lives in the table like
 * the others, so that a switch writes one entry and saves nothing.
 */
struct tb_stream {
	/* In pred[], so never copy the struct; NULL until a page op. */
	struct tb_pred_entry *cur;
	struct tb_pred_entry pred[TB_PRED_SLOTS];
};

static inline unsigned
tb_pred_slot(uint32_t pid, uint64_t obj)
{
	uint64_t h =
	    (obj ^ ((uint64_t)pid << 32)) * UINT64_C(0x9E3779B97F4A7C15);

	return ((unsigned)(h >> (64 - TB_PRED_BITS)));
}

/*
 * tb_stream_peek() - the prediction for stream (pid, obj) in the given
 * slot, without switching to it, so that a decoder can read a whole
 * record before it changes anything: 0 for a stream the slot does not
 * hold.
 */
static inline uint64_t
tb_stream_peek(const struct tb_stream *s, unsigned slot, uint32_t pid,
    uint64_t obj)
{
	const struct tb_pred_entry *e = &s->pred[slot];

	return (e->used && e->pid == pid && e->obj == obj ? e->next : 0);
}

/* tb_stream_enter() - make pid/obj current in its slot, with prediction
 * next (from tb_stream_peek()). */
static inline void
tb_stream_enter(struct tb_stream *s, unsigned slot, uint32_t pid,
    uint64_t obj, uint64_t next)
{
	struct tb_pred_entry *e = &s->pred[slot];

	e->pid = pid;
	e->obj = obj;
	e->next = next;
	e->used = 1;
	s->cur = e;
}

/* tb_stream_switch() - make pid/obj current with its prediction. */
static inline void
tb_stream_switch(struct tb_stream *s, uint32_t pid, uint64_t obj)
{
	unsigned slot = tb_pred_slot(pid, obj);

	tb_stream_enter(s, slot, pid, obj, tb_stream_peek(s, slot, pid, obj));
}

static inline uint64_t
tb_zigzag(int64_t v)
{
	return (((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static inline int64_t
tb_unzigzag(uint64_t v)
{
	return ((int64_t)(v >> 1) ^ -(int64_t)(v & 1));
}

/* tb_put_varint() - LEB128; returns the byte after the last one written. */
static inline uint8_t *
tb_put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return (p);
}

/* tb_get_varint_rest() - tb_get_varint() past its first three bytes. */
static inline const uint8_t *
tb_get_varint_rest(const uint8_t *p, uint64_t x, uint64_t *v)
{
	uint64_t b;
	unsigned shift;

	for (shift = 21; shift < 63; shift += 7) {
		b = *p++;
		x |= (b & 0x7f) << shift;
		if (b < 0x80) {
			*v = x;
			return (p);
		}
	}
	b = *p++;
	if (b > 1)
		return (NULL);
	*v = x | b << 63;
	return (p);
}

/*
 * tb_get_varint() - decode LEB128 at p; returns the byte after it, or NULL
 * when it does not fit 64 bits.  The caller guarantees TB_VARINT_MAX
 * readable bytes (the decoder pads its buffer with zeros).  The first
 * three bytes, which hold every pindex delta below 2^20, are unrolled.
 */
static inline const uint8_t *
tb_get_varint(const uint8_t *p, uint64_t *v)
{
	uint64_t x = p[0];

	if (x < 0x80) {
		*v = x;
		return (p + 1);
	}
	x = (x & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7;
	if (p[1] < 0x80) {
		*v = x;
		return (p + 2);
	}
	x |= (uint64_t)(p[2] & 0x7f) << 14;
	if (p[2] < 0x80) {
		*v = x;
		return (p + 3);
	}
	return (tb_get_varint_rest(p + 3, x, v));
}

/*
 * The stream checksum, over every byte from the magic to the end record's
 * checksum field: 64-bit little-endian words, each mixed in by
 * h = (h ^ w) * K; h ^= h >> 32; the last partial word zero-padded, then
 * the byte length mixed in the same way.  Word-wise so that it costs a
 * fraction of decoding; fed in pieces of any size.
 */
#define TB_SUM_INIT UINT64_C(0x243F6A8885A308D3)
#define TB_SUM_K UINT64_C(0x9E3779B97F4A7C15)

struct tb_sum {
	uint64_t h;
	uint64_t len;
	uint8_t part[8];
};

static inline void
tb_sum_init(struct tb_sum *s)
{
	s->h = TB_SUM_INIT;
	s->len = 0;
}

static inline uint64_t
tb_sum_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * TB_SUM_K;
	return (h ^ (h >> 32));
}

/*
 * tb_le64() - the little-endian word at p.  One load where the machine is
 * little-endian: gcc does not merge the byte loop, and its exit branch
 * was half the encoder's mispredictions.
 */
static inline uint64_t
tb_le64(const uint8_t *p)
{
	uint64_t w = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, p, 8);
#else
	for (unsigned i = 0; i < 8; i++)
		w |= (uint64_t)p[i] << (8 * i);
#endif
	return (w);
}

static inline void
tb_sum_update(struct tb_sum *s, const uint8_t *p, size_t n)
{
	unsigned have = (unsigned)(s->len & 7);
	uint64_t h = s->h;

	s->len += n;
	if (have != 0) {
		while (have < 8 && n > 0) {
			s->part[have++] = *p++;
			n--;
		}
		if (have < 8) {
			s->h = h;
			return;
		}
		h = tb_sum_mix(h, tb_le64(s->part));
	}
	for (; n >= 8; p += 8, n -= 8)
		h = tb_sum_mix(h, tb_le64(p));
	memcpy(s->part, p, n);
	s->h = h;
}

static inline uint64_t
tb_sum_final(const struct tb_sum *s)
{
	uint8_t w[8] = { 0 };
	unsigned have = (unsigned)(s->len & 7);
	uint64_t h = s->h;

	if (have != 0) {
		memcpy(w, s->part, have);
		h = tb_sum_mix(h, tb_le64(w));
	}
	return (tb_sum_mix(h, s->len));
}

#endif
