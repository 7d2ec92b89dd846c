/*
 * rand.c - the generator's arithmetic: xoshiro256** with splitmix64
 * seeding, a Zipf sampler in fixed point, the scheduler heap and exact
 * pacing.  Integers only, so that a seed means the same trace everywhere.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (z ^ (z >> 31));
}

struct gen_rng
gen_rng_seeded(uint64_t seed)
{
	struct gen_rng r;
	int i;

	/* splitmix64 never yields four zero words, xoshiro's one bad state. */
	for (i = 0; i < 4; i++)
		r.s[i] = splitmix64(&seed);
	return (r);
}

uint64_t
gen_mulhi_portable(uint64_t a, uint64_t b)
{
	uint64_t alo = a & UINT32_MAX, ahi = a >> 32;
	uint64_t blo = b & UINT32_MAX, bhi = b >> 32;
	uint64_t p0 = alo * blo, p1 = alo * bhi, p2 = ahi * blo, p3 = ahi * bhi;
	uint64_t mid = (p0 >> 32) + (p1 & UINT32_MAX) + (p2 & UINT32_MAX);

	return (p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32));
}

/*
 * fx_log2() - log2(x) in Q32 for x >= 1, by repeated squaring of the
 * mantissa (one result bit per squaring).
 */
static uint64_t
fx_log2(uint64_t x)
{
	uint64_t m, r, bit;
	int ip = 63 - __builtin_clzll(x);

	/* m is the mantissa in Q31: 2^31 <= m < 2^32. */
	m = ip >= 31 ? x >> (ip - 31) : x << (31 - ip);
	r = (uint64_t)ip << 32;
	for (bit = UINT64_C(1) << 31; bit != 0; bit >>= 1) {
		m = (m * m) >> 31;
		if (m >= UINT64_C(1) << 32) {
			m >>= 1;
			r |= bit;
		}
	}
	return (r);
}

/* 2^(-2^-k) in Q31 for k = 1..32, rounded to nearest. */
static const uint64_t exp2_neg_bits[32] = {
	UINT64_C(1518500250), UINT64_C(1805811301), UINT64_C(1969251188),
	UINT64_C(2056437387), UINT64_C(2101467502), UINT64_C(2124350982),
	UINT64_C(2135885998), UINT64_C(2141676973), UINT64_C(2144578345),
	UINT64_C(2146030505), UINT64_C(2146756953), UINT64_C(2147120270),
	UINT64_C(2147301951), UINT64_C(2147392798), UINT64_C(2147438222),
	UINT64_C(2147460935), UINT64_C(2147472292), UINT64_C(2147477970),
	UINT64_C(2147480809), UINT64_C(2147482228), UINT64_C(2147482938),
	UINT64_C(2147483293), UINT64_C(2147483471), UINT64_C(2147483559),
	UINT64_C(2147483604), UINT64_C(2147483626), UINT64_C(2147483637),
	UINT64_C(2147483642), UINT64_C(2147483645), UINT64_C(2147483647),
	UINT64_C(2147483647), UINT64_C(2147483648),
};

/*
 * fx_weight() - width * 2^(30 - y) for y >= 0 in Q32: the mantissa
 * 2^-frac(y) in Q31 is a product of the table's factors, one per set bit.
 */
static uint64_t
fx_weight(uint64_t y, uint64_t width)
{
	uint64_t m = UINT64_C(1) << 31, f = y & UINT32_MAX, ip = y >> 32;
	int k;

	for (k = 0; k < 32; k++)
		if (f & (UINT64_C(1) << (31 - k)))
			m = (m * exp2_neg_bits[k]) >> 31;
	if (ip + 1 >= 64)
		return (0);
	/* m <= 2^31 and width < 2^32: the product fits. */
	return ((m * width) >> (ip + 1));
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	uint64_t t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return (a);
}

#define ZIPF_EXACT 1024 /* ranks below this have a bucket each */

static uint64_t
zipf_width(uint64_t lo, uint64_t n)
{
	uint64_t w = lo < ZIPF_EXACT ? 1 : lo / 64;

	return (w < n - lo ? w : n - lo);
}

int
gen_zipf_init(struct gen_zipf *z, uint64_t n, uint64_t s_micro,
    struct gen_rng *r)
{
	uint64_t lo, w, y, sum = 0, u;
	uint32_t nb = 0, b, g;

	z->n = n;
	for (lo = 0; lo < n; lo += zipf_width(lo, n))
		nb++;
	z->cum = malloc(nb * sizeof(*z->cum));
	z->lo = malloc(nb * sizeof(*z->lo));
	if (z->cum == NULL || z->lo == NULL) {
		gen_zipf_finish(z);
		return (-ENOMEM);
	}
	z->nbuckets = nb;
	for (lo = 0, b = 0; lo < n; lo += w, b++) {
		w = zipf_width(lo, n);
		/*
		 * The middle of the bucket, as a 1-based rank, is
		 * (2 lo + w + 1) / 2; its weight is that to the power -s.
		 */
		y = fx_log2(2 * lo + w + 1) - (UINT64_C(1) << 32);
		/* y < 34 * 2^32 and s_micro <= 8 * 10^6: no overflow. */
		y = y * s_micro / GEN_PPM;
		z->lo[b] = lo;
		sum += fx_weight(y, w);
		z->cum[b] = sum;
	}
	z->total = sum;
	for (g = 0, b = 0; g < (1u << GEN_ZIPF_GUIDE_BITS); g++) {
		u = gen_mulhi((uint64_t)g << (64 - GEN_ZIPF_GUIDE_BITS), sum);
		while (z->cum[b] <= u)
			b++;
		z->guide[g] = b;
	}
	if (n == 1) {
		z->mul = 0;
		z->add = 0;
	} else {
		/* Near the golden ratio of n, coprime to it: a bijection. */
		z->mul = ((n * UINT64_C(2654435769)) >> 32) +
		    gen_rng_below(r, n / 16 + 1);
		if (z->mul >= n || z->mul == 0)
			z->mul = 1;
		while (gcd64(z->mul, n) != 1)
			z->mul = z->mul + 1 < n ? z->mul + 1 : 1;
		z->add = gen_rng_below(r, n);
	}
	return (0);
}

uint64_t
gen_zipf_page(const struct gen_zipf *z, struct gen_rng *r)
{
	uint64_t x = gen_rng_next(r), u = gen_mulhi(x, z->total), lo, hi;
	uint32_t b = z->guide[x >> (64 - GEN_ZIPF_GUIDE_BITS)];

	while (z->cum[b] <= u)
		b++;
	lo = z->lo[b];
	hi = b + 1 < z->nbuckets ? z->lo[b + 1] : z->n;
	if (hi - lo > 1)
		lo += gen_rng_below(r, hi - lo);
	return (gen_zipf_rank_page(z, lo));
}

void
gen_zipf_finish(struct gen_zipf *z)
{
	free(z->cum);
	free(z->lo);
	z->cum = NULL;
	z->lo = NULL;
}

/* sched_abits() - the bits of an actor number below cap. */
static uint32_t
sched_abits(uint32_t cap)
{
	uint32_t bits = 0;

	while (bits < 32 && (UINT64_C(1) << bits) < cap)
		bits++;
	return (bits);
}

uint64_t
gen_sched_time_max(uint32_t cap)
{
	/* The largest actor's key must stay below GEN_SCHED_NONE. */
	return ((GEN_SCHED_NONE >> sched_abits(cap)) - 1);
}

int
gen_sched_check(uint32_t cap, uint64_t last_ns, const char *what,
    struct pg_error *err)
{
	if (last_ns <= gen_sched_time_max(cap))
		return (0);
	return (gen_bad(err, "%s: %" PRIu32 " actors at once over %" PRIu64
	    " s are more than the scheduler holds (at most %" PRIu64
	    " s with that many)", what, cap, last_ns / GEN_NS_PER_S,
	    gen_sched_time_max(cap) / GEN_NS_PER_S));
}

int
gen_sched_init(struct gen_sched *s, uint32_t cap)
{
	size_t i;

	s->hole = false;
	s->abits = sched_abits(cap);
	s->leaves = UINT32_C(1) << s->abits;
	s->key = malloc(2 * (size_t)s->leaves * sizeof(*s->key));
	if (s->key == NULL) {
		s->leaves = 0;
		return (-ENOMEM);
	}
	for (i = 0; i < 2 * (size_t)s->leaves; i++)
		s->key[i] = GEN_SCHED_NONE;
	return (0);
}

void
gen_sched_finish(struct gen_sched *s)
{
	free(s->key);
	s->key = NULL;
	s->leaves = s->abits = 0;
	s->hole = false;
}

void
gen_pace_init(struct gen_pace *p, uint64_t start, uint64_t num,
    uint64_t den)
{
	p->t = start;
	p->whole = num / den;
	p->rem = num % den;
	p->den = den;
	p->acc = 0;
}
