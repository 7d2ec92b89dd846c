/*
 * param.c - the values of workload parameters: parsing, range checks and
 * formatting, exactly in integers (docs/gen.md, "Values").
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/suggest.h"

struct unit {
	const char *name;
	uint64_t mult; /* stored units per written unit */
};

static const struct unit size_units[] = {
	{ "TiB", UINT64_C(1) << 40 }, { "GiB", UINT64_C(1) << 30 },
	{ "MiB", UINT64_C(1) << 20 }, { "KiB", UINT64_C(1) << 10 },
	{ "B", 1 }, { NULL, 0 },
};

static const struct unit duration_units[] = {
	{ "s", GEN_NS_PER_S }, { "ms", 1000000 }, { "us", 1000 },
	{ "ns", 1 }, { NULL, 0 },
};

static const char *const kind_expect[] = {
	[GEN_KIND_COUNT] = "an unsigned integer",
	[GEN_KIND_SIZE] = "a size: a number with an optional unit B, KiB, "
			  "MiB, GiB or TiB (e.g. 512MiB)",
	[GEN_KIND_DURATION] = "a duration: a number with a unit ns, us, ms "
			      "or s (e.g. 250ms; 0 needs none)",
	[GEN_KIND_PERCENT] = "a percentage with at most 4 decimals and a '%' "
			     "(e.g. 12.5%)",
	[GEN_KIND_BANDWIDTH] = "a bandwidth: a size followed by /s "
			       "(e.g. 64MiB/s)",
	[GEN_KIND_RATE] = "a rate: an unsigned integer, optionally followed "
			  "by /s (e.g. 100000/s)",
	[GEN_KIND_DECIMAL] = "a decimal number with at most 6 decimals "
			     "(e.g. 0.99)",
};

/*
 * parse_fixed() - "I" or "I.F" at *sp into I * mult + F * mult / 10^len(F),
 * which must be exact, with at most maxfrac fractional digits.  Advances
 * *sp past the number; false on a malformed number or an overflow.
 */
static bool
parse_fixed(const char **sp, uint64_t mult, int maxfrac, uint64_t *out)
{
	const char *s = *sp;
	uint64_t ip = 0, fp = 0, pow = 1, v;
	int nd = 0, nf = 0;

	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		if (ip > UINT64_MAX / 10 || (ip == UINT64_MAX / 10 &&
		    (uint64_t)(*s - '0') > UINT64_MAX % 10))
			return (false);
		ip = ip * 10 + (uint64_t)(*s - '0');
	}
	if (nd == 0)
		return (false);
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nf++) {
			if (nf >= maxfrac)
				return (false);
			fp = fp * 10 + (uint64_t)(*s - '0');
			pow *= 10;
		}
		if (nf == 0)
			return (false);
	}
	if (mult != 0 && ip > UINT64_MAX / mult)
		return (false);
	v = ip * mult;
	/* fp < 10^maxfrac and the callers keep fp * mult within 64 bits. */
	if (fp * mult % pow != 0)
		return (false);
	if (v > UINT64_MAX - fp * mult / pow)
		return (false);
	*out = v + fp * mult / pow;
	*sp = s;
	return (true);
}

/*
 * parse_unit() - a number and a unit of the table (a space may separate
 * them), or a bare number counted in units of bare (0: a unit is needed).
 */
static bool
parse_unit(const char **sp, const struct unit *units, uint64_t bare,
    int maxfrac, uint64_t *out)
{
	const char *s = *sp, *num = *sp, *end, *p;
	const struct unit *u;
	uint64_t mult = bare;
	size_t len;

	while ((*s >= '0' && *s <= '9') || *s == '.')
		s++;
	end = s;
	if (*s == ' ')
		s++;
	for (u = units; u->name != NULL; u++) {
		len = strlen(u->name);
		if (strncmp(s, u->name, len) == 0) {
			mult = u->mult;
			s += len;
			break;
		}
	}
	if (u->name == NULL) {
		if (bare == 0)
			return (false);
		s = end;
	}
	p = num;
	if (!parse_fixed(&p, mult, maxfrac, out) || p != end)
		return (false);
	*sp = s;
	return (true);
}

/*
 * parse_value() - text as a value of kind; false if malformed.  A bare
 * number is bytes for a size, refused for a duration other than 0.
 */
static bool
parse_value(enum gen_kind kind, const char *text, uint64_t *out)
{
	const char *s = text;

	switch (kind) {
	case GEN_KIND_COUNT:
		if (!parse_fixed(&s, 1, 0, out))
			return (false);
		break;
	case GEN_KIND_RATE:
		if (!parse_fixed(&s, 1, 0, out))
			return (false);
		if (strcmp(s, "/s") == 0)
			s += 2;
		break;
	case GEN_KIND_SIZE:
	case GEN_KIND_BANDWIDTH:
		if (!parse_unit(&s, size_units, 1, 6, out))
			return (false);
		if (kind == GEN_KIND_BANDWIDTH) {
			if (strcmp(s, "/s") != 0)
				return (false);
			s += 2;
		}
		break;
	case GEN_KIND_DURATION:
		if (strcmp(s, "0") == 0) {
			*out = 0;
			return (true);
		}
		if (!parse_unit(&s, duration_units, 0, 9, out))
			return (false);
		break;
	case GEN_KIND_PERCENT:
		if (!parse_fixed(&s, 10000, 4, out) || strcmp(s, "%") != 0)
			return (false);
		s++;
		break;
	case GEN_KIND_DECIMAL:
		if (!parse_fixed(&s, GEN_PPM, 6, out))
			return (false);
		break;
	}
	return (*s == '\0');
}

/* fmt_scaled() - v / scale (a power of ten) with no trailing zeros. */
static void
fmt_scaled(char *buf, size_t n, uint64_t v, uint64_t scale, const char *unit)
{
	uint64_t ip = v / scale, fp = v % scale, s;
	char frac[24];
	size_t len = 0;

	if (fp == 0) {
		snprintf(buf, n, "%" PRIu64 "%s", ip, unit);
		return;
	}
	for (s = scale / 10; s > 0 && fp != 0 && len < sizeof(frac) - 1;
	    s /= 10) {
		frac[len++] = (char)('0' + fp / s);
		fp %= s;
	}
	frac[len] = '\0';
	snprintf(buf, n, "%" PRIu64 ".%s%s", ip, frac, unit);
}

/* fmt_unit() - v in the largest unit that divides it, then tail. */
static void
fmt_unit(char *buf, size_t n, uint64_t v, const struct unit *units,
    const char *tail)
{
	const struct unit *u;

	for (u = units; u->name != NULL; u++) {
		if (v != 0 && v % u->mult == 0) {
			snprintf(buf, n, "%" PRIu64 "%s%s", v / u->mult,
			    u->name, tail);
			return;
		}
	}
	/* Only 0 is left: "0" is a duration, "0B" a size. */
	snprintf(buf, n, "0%s%s", units == size_units ? "B" : "", tail);
}

char *
gen_param_format(enum gen_kind kind, uint64_t value, char *buf, size_t n)
{
	switch (kind) {
	case GEN_KIND_COUNT:
		snprintf(buf, n, "%" PRIu64, value);
		break;
	case GEN_KIND_RATE:
		snprintf(buf, n, "%" PRIu64 "/s", value);
		break;
	case GEN_KIND_SIZE:
		fmt_unit(buf, n, value, size_units, "");
		break;
	case GEN_KIND_BANDWIDTH:
		fmt_unit(buf, n, value, size_units, "/s");
		break;
	case GEN_KIND_DURATION:
		fmt_unit(buf, n, value, duration_units, "");
		break;
	case GEN_KIND_PERCENT:
		fmt_scaled(buf, n, value, 10000, "%");
		break;
	case GEN_KIND_DECIMAL:
		fmt_scaled(buf, n, value, GEN_PPM, "");
		break;
	}
	return (buf);
}

static const struct gen_param_desc *
find_param(const struct gen_workload *wl, const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; i < wl->nparams; i++) {
		if (strcmp(wl->params[i].name, name) == 0) {
			*idx = i;
			return (&wl->params[i]);
		}
	}
	return (NULL);
}

void
gen_params_init(struct gen_params *p, const struct gen_workload *wl)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->wl = wl;
	for (i = 0; i < wl->nparams && i < GEN_PARAMS_MAX; i++)
		p->v[i] = wl->params[i].def;
}

int
gen_params_set(struct gen_params *p, const char *name, const char *text,
    struct pg_error *err)
{
	const char *names[GEN_PARAMS_MAX], *best;
	const struct gen_param_desc *d;
	size_t idx, i;
	uint64_t v = 0;
	char lo[48], hi[48];

	d = find_param(p->wl, name, &idx);
	if (d == NULL) {
		for (i = 0; i < p->wl->nparams && i < GEN_PARAMS_MAX; i++)
			names[i] = p->wl->params[i].name;
		best = pg_suggest(name, names, i);
		if (best != NULL)
			return (pg_error_setv(err, -ENOENT, "", PG_POS_NONE, 0,
			    "no parameter --%s (did you mean --%s?)", name,
			    best));
		return (pg_error_setv(err, -ENOENT, "", PG_POS_NONE, 0,
		    "no parameter --%s (pgreplay gen %s --help lists them)",
		    name, p->wl->name));
	}
	if (!parse_value(d->kind, text, &v))
		return (gen_bad(err, "--%s '%s': expected %s", name, text,
		    kind_expect[d->kind]));
	if (d->kind == GEN_KIND_SIZE && v % GEN_PAGE_SIZE != 0)
		return (gen_bad(err,
		    "--%s '%s': expected a whole number of 4KiB pages", name,
		    text));
	if (v < d->min || v > d->max)
		return (gen_bad(err,
		    "--%s '%s': expected a value from %s to %s",
		    name, text, gen_param_format(d->kind, d->min, lo,
		    sizeof(lo)), gen_param_format(d->kind, d->max, hi,
		    sizeof(hi))));
	p->v[idx] = v;
	return (0);
}

uint64_t
gen_params_get(const struct gen_params *p, const char *name)
{
	size_t idx;

	return (find_param(p->wl, name, &idx) != NULL ? p->v[idx] : 0);
}
