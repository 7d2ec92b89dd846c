/*
 * gen_int.h - what the workloads of the generator share: the PRNG, the
 * Zipf sampler, the event scheduler and the event output.  Private to
 * src/gen/.
 *
 * Everything here is integer arithmetic with fixed widths, so that a seed
 * gives the same trace on every machine and compiler (no libm, no floating
 * point whose contraction or rounding could differ).
 */
#ifndef PGREPLAY_GEN_GEN_INT_H
#define PGREPLAY_GEN_GEN_INT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "gen/gen.h"
#include "util/kassert.h"

#define GEN_NS_PER_S UINT64_C(1000000000)
#define GEN_PAGE_SIZE UINT64_C(4096)
#define GEN_PPM UINT64_C(1000000)

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---- */

struct gen_rng {
	uint64_t s[4];
};

/*
 * gen_rng_seeded() - the generator for seed (any value, 0 included).  By
 * value: a workload's generator is then a local whose address no
 * out-of-line call sees, so the compiler keeps its state in registers
 * (through a pointer it reloaded and stored it around every event's
 * output, which may alias it: two fifths of the mixed workload's time).
 */
struct gen_rng gen_rng_seeded(uint64_t seed);

static inline uint64_t
gen_rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

/* gen_rng_next() - 64 random bits. */
static inline uint64_t
gen_rng_next(struct gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = gen_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = gen_rotl(s[3], 45);
	return (res);
}

/*
 * gen_rng_below() - uniform in [0, n) for 1 <= n <= 2^32, by the
 * multiply-shift of the top 32 bits (a bias below 2^-32, and no division).
 */
static inline uint64_t
gen_rng_below(struct gen_rng *r, uint64_t n)
{
	return (((gen_rng_next(r) >> 32) * n) >> 32);
}

/* gen_rng_chance() - true with probability ppm / 10^6. */
static inline bool
gen_rng_chance(struct gen_rng *r, uint64_t ppm)
{
	return (gen_rng_below(r, GEN_PPM) < ppm);
}

/* gen_mulhi_portable() - the high 64 bits of a * b in 32-bit halves. */
uint64_t gen_mulhi_portable(uint64_t a, uint64_t b);

/*
 * gen_mulhi() - the high 64 bits of a * b: one multiplication where the
 * compiler has 128-bit integers (the generators call it per event), the
 * same value from gen_mulhi_portable() elsewhere.
 */
static inline uint64_t
gen_mulhi(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	__extension__ typedef unsigned __int128 gen_u128;

	return ((uint64_t)(((gen_u128)a * b) >> 64));
#else
	return (gen_mulhi_portable(a, b));
#endif
}

/* ---- Zipf sampler ---- */

/*
 * Ranks 1..n with P(k) proportional to k^-s.  Ranks up to 1024 are exact;
 * beyond, ranks are grouped in buckets whose width grows geometrically
 * (1/64 of their first rank), each weighted by its width times the weight
 * of its middle, and a rank is uniform within its bucket: the density is
 * then within a factor (1 + 1/64)^s of the exact one.  A guide table
 * (Chen and Asau) finds the bucket in about one step.  Sampled ranks go
 * through a fixed bijection of [0, n), so that the hot pages of an object
 * are scattered over it as a database's are, not bunched at its start.
 */
#define GEN_ZIPF_GUIDE_BITS 12

struct gen_zipf {
	uint64_t n;
	uint64_t total;	 /* sum of the bucket weights */
	uint64_t *cum;	 /* cum[b]: weights of buckets 0..b */
	uint64_t *lo;	 /* lo[b]: first rank (0-based) of bucket b */
	uint32_t nbuckets;
	uint32_t guide[1u << GEN_ZIPF_GUIDE_BITS];
	uint64_t mul, add; /* the bijection: page = (rank * mul + add) % n */
};

/*
 * gen_zipf_init() - a sampler over n ranks (1 <= n <= 2^32) with exponent
 * s_micro / 10^6 (0 gives the uniform distribution), its bijection drawn
 * from r.  Returns 0 or -ENOMEM.
 */
int gen_zipf_init(struct gen_zipf *z, uint64_t n, uint64_t s_micro,
    struct gen_rng *r);

/* gen_zipf_page() - a page index in [0, n), Zipf-distributed by rank. */
uint64_t gen_zipf_page(const struct gen_zipf *z, struct gen_rng *r);

/* gen_zipf_rank_page() - the page index of 0-based rank k (k < n). */
static inline uint64_t
gen_zipf_rank_page(const struct gen_zipf *z, uint64_t k)
{
	/* mul < n <= 2^32 and k < 2^32: the product fits in 64 bits. */
	return ((k * z->mul + z->add) % z->n);
}

/* gen_zipf_finish() - free z's tables. */
void gen_zipf_finish(struct gen_zipf *z);

/* ---- Scheduler: a tournament of (time, actor) ---- */

/*
 * The workloads with several concurrent actors (processes, readers) keep
 * one entry per actor; ties in time go to the lower actor number, so the
 * interleaving is fixed.  Actors are numbered 0 .. cap-1 and each has at
 * most one entry.
 *
 * An entry is one 64-bit key, time << abits | actor (abits: the bits of
 * cap - 1), so that the order of keys is the order of (time, actor) and a
 * match is one unsigned minimum, with no tie rule.  Times must therefore
 * stay at most gen_sched_time_max(cap): for up to 8192 actors that is
 * beyond 2^50 ns, more than the span any workload may have
 * (GEN_SPAN_MAX_S); a workload with more actors checks its span with
 * gen_sched_check().
 *
 * A tree of minima: key[leaves + a] is actor a's key (GEN_SCHED_NONE
 * without an entry), key[j] the least key below node j, key[1] the least
 * of all.  Changing one actor's key replays the path from its leaf to the
 * root: a fixed number of levels at fixed places, each a load of the
 * sibling (which the walk does not change, so the load does not wait for
 * the level below) and a conditional move, so that no branch depends on
 * the times (a heap's sift chooses its path by them, a coin flip for the
 * branch predictor).
 */
#define GEN_SCHED_NONE UINT64_MAX /* the key of an actor with no entry */

struct gen_sched_ent {
	uint64_t time;
	uint32_t actor;
};

struct gen_sched {
	uint64_t *key;	 /* 2 * leaves keys, as above */
	uint32_t leaves; /* a power of two, at least cap */
	uint32_t abits;	 /* log2(leaves) */
	/*
	 * The root was popped but keeps its entry: most pops are followed
	 * by a push of the same actor, which then replays its path once
	 * instead of a removal and an insertion.
	 */
	bool hole;
};

/* gen_sched_time_max() - the latest time a scheduler for cap actors keeps. */
uint64_t gen_sched_time_max(uint32_t cap);

/*
 * gen_sched_check() - -EINVAL with err naming what (the parameters) if a
 * run of cap actors reaching time last_ns exceeds gen_sched_time_max().
 */
int gen_sched_check(uint32_t cap, uint64_t last_ns, const char *what,
    struct pg_error *err);

/* gen_sched_init() - empty, for actors 0 .. cap-1 (cap >= 1).  0 or -ENOMEM. */
int gen_sched_init(struct gen_sched *s, uint32_t cap);
void gen_sched_finish(struct gen_sched *s);

/*
 * Push and pop are inline: the generators call them once per event, and
 * the call was a tenth of an event's instructions.
 */

/* sched_replay() - actor a's key changed: replay its path to the root. */
static inline void
sched_replay(struct gen_sched *s, uint32_t a)
{
	uint64_t *key = s->key, k, o;
	uint32_t j = s->leaves + a;

	k = key[j];
	while (j > 1) {
		o = key[j ^ 1];
		k = o < k ? o : k;
		j >>= 1;
		key[j] = k;
	}
}

/* sched_drop() - remove actor a's entry. */
static inline void
sched_drop(struct gen_sched *s, uint32_t a)
{
	s->key[s->leaves + a] = GEN_SCHED_NONE;
	sched_replay(s, a);
}

/*
 * gen_sched_push() - actor, which has no entry, runs next at time (at
 * most gen_sched_time_max() of the cap given to gen_sched_init()).
 */
static inline void
gen_sched_push(struct gen_sched *s, uint64_t time, uint32_t actor)
{
	uint32_t w;

	PG_KASSERT(time <= (GEN_SCHED_NONE >> s->abits) - 1,
	    ("time %" PRIu64 " beyond the scheduler's keys", time));
	if (s->hole) {
		s->hole = false;
		w = (uint32_t)(s->key[1] & (s->leaves - 1));
		/* Another actor follows the popped one: drop that. */
		if (w != actor)
			sched_drop(s, w);
	}
	s->key[s->leaves + actor] = time << s->abits | actor;
	sched_replay(s, actor);
}

/* gen_sched_pop() - the earliest entry, removed; false when empty. */
static inline bool
gen_sched_pop(struct gen_sched *s, struct gen_sched_ent *out)
{
	uint64_t k;

	if (s->hole) {
		/* The last pop was not replaced: remove its entry now. */
		s->hole = false;
		sched_drop(s, (uint32_t)(s->key[1] & (s->leaves - 1)));
	}
	if ((k = s->key[1]) == GEN_SCHED_NONE)
		return (false);
	out->actor = (uint32_t)(k & (s->leaves - 1));
	out->time = k >> s->abits;
	s->hole = true;
	return (true);
}

/* ---- Pacing: times k * num / den ns, exactly, without overflow ---- */

struct gen_pace {
	uint64_t t;	    /* the current time */
	uint64_t whole;	    /* floor(num / den) */
	uint64_t rem, den; /* num % den, den */
	uint64_t acc;
};

/*
 * gen_pace_init() - times start, start + num/den, start + 2 num/den...
 * (den >= 1), each rounded down to the nanosecond, with no drift.
 */
void gen_pace_init(struct gen_pace *p, uint64_t start, uint64_t num,
    uint64_t den);

/* gen_pace_step() - advance to the next time and return it. */
static inline uint64_t
gen_pace_step(struct gen_pace *p)
{
	p->t += p->whole;
	p->acc += p->rem;
	if (p->acc >= p->den) {
		p->acc -= p->den;
		p->t++;
	}
	return (p->t);
}

/* ---- Output ---- */

/*
 * The events of a run go through these helpers.  The first error is
 * sticky: later helpers do nothing, and the workload's loops stop when
 * gen_out_failed() says so (up to a batch later: page ops are gathered
 * in pending[] and handed to the sink GEN_OUT_BATCH at a time, so that
 * the generator's hot loop makes no call per event; an event with a
 * string, whose text may live in the caller's buffer, goes out at once,
 * after those pending).
 */
#define GEN_OUT_BATCH 256

struct gen_out {
	gen_sink_fn sink;
	void *ctx;
	struct pg_error *err;
	uint64_t nevents;	/* handed to the sink */
	int rc;
	uint32_t npending;
	struct trace_event pending[GEN_OUT_BATCH];
};

/* gen_out_flush() - hand the pending page ops to the sink. */
void gen_out_flush(struct gen_out *o);
/* gen_out_event() - flush, then hand ev to the sink at once. */
void gen_out_event(struct gen_out *o, const struct trace_event *ev);
void gen_out_proc(struct gen_out *o, uint64_t t, uint32_t pid,
    const char *name);
void gen_out_exit(struct gen_out *o, uint64_t t, uint32_t pid);
void gen_out_map(struct gen_out *o, uint64_t t, uint32_t pid, uint64_t obj,
    enum trace_objtype type, uint64_t pages, const char *path);
void gen_out_unmap(struct gen_out *o, uint64_t t, uint32_t pid, uint64_t obj);
void gen_out_mark(struct gen_out *o, uint64_t t, const char *text);

/* gen_out_page() - a page op (fault, dirty, free...) of count pages. */
static inline void
gen_out_page(struct gen_out *o, uint64_t t, enum trace_op op, uint32_t pid,
    uint64_t obj, uint64_t pindex, uint64_t count)
{
	if (o->npending == GEN_OUT_BATCH)
		gen_out_flush(o);
	o->pending[o->npending++] = (struct trace_event) {
		.time_ns = t,
		.obj = obj,
		.pindex = pindex,
		.count = count,
		.pid = pid,
		.op = (uint8_t)op,
	};
}

static inline bool
gen_out_failed(const struct gen_out *o)
{
	return (o->rc < 0);
}

/* Sets o->rc to -ENOMEM with a message naming what could not be had. */
void gen_out_nomem(struct gen_out *o, const char *what);

/* ---- Workloads ---- */

/*
 * A workload's code: check() refuses combinations of parameter values,
 * run() generates.  Both read p->v by the indexes of the workload's own
 * table.
 */
struct gen_impl {
	int (*check)(const uint64_t *v, struct pg_error *err);
	void (*run)(const uint64_t *v, struct gen_out *o);
};

/* Sets err->msg (no file, no position) and returns -EINVAL. */
int gen_bad(struct pg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* pages() - bytes (a multiple of the page size, checked) in pages. */
static inline uint64_t
gen_pages(uint64_t bytes)
{
	return (bytes / GEN_PAGE_SIZE);
}

/*
 * The longest trace a workload may span: ten days of simulated time keeps
 * every sum of times far from 2^64 ns, whatever the parameters.
 */
#define GEN_SPAN_MAX_S UINT64_C(864000)
/* The largest bandwidth: it keeps (bytes % bw) * 10^9 within 64 bits. */
#define GEN_BANDWIDTH_MAX (UINT64_C(16) << 30)

/*
 * gen_xfer_ns() - the time to move bytes at bw bytes per second, rounded
 * down; into *ns.  Returns 0, or -EINVAL with err naming what (a param
 * name) if it exceeds GEN_SPAN_MAX_S.
 */
int gen_xfer_ns(uint64_t bytes, uint64_t bw, const char *what, uint64_t *ns,
    struct pg_error *err);

/*
 * The most events a trace may have: 10^11, some 300 GB of binary trace.
 * Beyond, a typo in a rate (1000000000 for 1000) would fill the disk.
 */
#define GEN_EVENTS_MAX UINT64_C(100000000000)

/*
 * gen_check_events() - -EINVAL with err naming what (the parameters) if
 * an estimate n of the events exceeds GEN_EVENTS_MAX.
 */
int gen_check_events(uint64_t n, const char *what, struct pg_error *err);

/* gen_check_span() - -EINVAL unless ns is within GEN_SPAN_MAX_S. */
int gen_check_span(uint64_t ns, const char *what, struct pg_error *err);

/*
 * The parameter every workload has first: the seed.  GEN_SEED is its
 * index in v[].
 */
#define GEN_SEED 0
#define GEN_SEED_DEFAULT UINT64_C(20180101)
#define GEN_SEED_PARAM                                                  \
	{ "seed", GEN_KIND_COUNT, GEN_SEED_DEFAULT, 0, UINT64_MAX,      \
	    "seed of the random choices; same seed, same trace" }

extern const struct gen_workload gen_anon_hog;
extern const struct gen_workload gen_file_stream;
extern const struct gen_workload gen_dirty_churn;
extern const struct gen_workload gen_fork_server;
extern const struct gen_workload gen_mixed;
extern const struct gen_workload gen_db_backup_leak;

#endif
