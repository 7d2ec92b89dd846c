/*
 * units.c - the number grammar of configuration values: integers, sizes,
 * durations, percentages and bandwidths, parsed exactly in integers (no
 * floating point, so "1.5ms" is 1500000 ns on every machine).
 */
#include "conf/conf_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	uint64_t mult;
};

#define KIB 1024ull
/* Binary units first: they are the ones interfaces.md promises. */
static const struct unit size_units[] = {
	{ "B", 1 },
	{ "KiB", KIB },
	{ "MiB", KIB * KIB },
	{ "GiB", KIB * KIB * KIB },
	{ "TiB", KIB * KIB * KIB * KIB },
	{ "kB", 1000ull },
	{ "MB", 1000ull * 1000 },
	{ "GB", 1000ull * 1000 * 1000 },
	{ "TB", 1000ull * 1000 * 1000 * 1000 },
};

static const struct unit duration_units[] = {
	{ "ns", 1 },
	{ "us", 1000ull },
	{ "ms", 1000ull * 1000 },
	{ "s", 1000ull * 1000 * 1000 },
};

static const struct unit percent_units[] = {
	{ "%", 10000ull },	/* 1% is 10000 parts per million */
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define FRAC_DIGITS_MAX 9

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return (a);
}

/*
 * Parse "INT[.FRAC][ ]UNIT" where UNIT is one of units (or absent when
 * unit_optional).  The result is INT * mult + FRAC * mult / 10^d, computed
 * so that nothing overflows: reducing mult / 10^d by their gcd keeps the
 * fractional product below mult.
 */
static enum conf_parse
parse_scaled(const char *s, const struct unit *units, size_t nunits,
    bool unit_optional, uint64_t *out, const char **badunit)
{
	uint64_t ip = 0, fp = 0, pow10 = 1, mult, g, q, v;
	const char *p = s, *u;
	size_t i, fd = 0;
	bool have_digits = false;

	if (*p == '-')
		return (CONF_PARSE_NEGATIVE);
	while (is_digit(*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (ip > (UINT64_MAX - d) / 10)
			return (CONF_PARSE_OVERFLOW);
		ip = ip * 10 + d;
		have_digits = true;
		p++;
	}
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return (CONF_PARSE_SYNTAX);
		while (is_digit(*p)) {
			if (fd == FRAC_DIGITS_MAX)
				return (CONF_PARSE_FRACTION);
			fp = fp * 10 + (uint64_t)(*p - '0');
			pow10 *= 10;
			fd++;
			p++;
		}
	}
	if (!have_digits)
		return (CONF_PARSE_SYNTAX);
	while (*p == ' ')
		p++;
	u = p;
	if (*u == '\0') {
		if (!unit_optional && (ip != 0 || fp != 0))
			return (CONF_PARSE_NO_UNIT);
		mult = 1;
	} else {
		mult = 0;
		for (i = 0; i < nunits; i++) {
			if (strcmp(u, units[i].name) == 0) {
				mult = units[i].mult;
				break;
			}
		}
		if (mult == 0) {
			if (badunit != NULL)
				*badunit = u;
			return (CONF_PARSE_UNIT);
		}
	}
	if (ip != 0 && ip > UINT64_MAX / mult)
		return (CONF_PARSE_OVERFLOW);
	v = ip * mult;
	if (fp != 0) {
		g = gcd(mult, pow10);
		q = pow10 / g;
		if (fp % q != 0)
			return (CONF_PARSE_FRACTION);
		/* fp / q < g, so the product stays below mult. */
		if (v > UINT64_MAX - (fp / q) * (mult / g))
			return (CONF_PARSE_OVERFLOW);
		v += (fp / q) * (mult / g);
	}
	*out = v;
	return (CONF_PARSE_OK);
}

enum conf_parse
conf_parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t v = 0, lim;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!is_digit(*p))
		return (CONF_PARSE_SYNTAX);
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (lim - d) / 10)
			return (CONF_PARSE_OVERFLOW);
		v = v * 10 + d;
	}
	if (*p != '\0')
		return (CONF_PARSE_SYNTAX);
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return (CONF_PARSE_OK);
}

enum conf_parse
conf_parse_size(const char *s, uint64_t *out, const char **unit)
{
	return (parse_scaled(s, size_units, NELEM(size_units), true, out,
	    unit));
}

enum conf_parse
conf_parse_duration(const char *s, uint64_t *out, const char **unit)
{
	return (parse_scaled(s, duration_units, NELEM(duration_units), false,
	    out, unit));
}

enum conf_parse
conf_parse_percent(const char *s, uint64_t *out, const char **unit)
{
	enum conf_parse r;
	size_t len = strlen(s);

	/* A bare number would be ambiguous (0.25 or 25?): require the '%'. */
	if (len == 0 || s[len - 1] != '%')
		return (*s == '-' ? CONF_PARSE_NEGATIVE : CONF_PARSE_SYNTAX);
	r = parse_scaled(s, percent_units, NELEM(percent_units), false, out,
	    unit);
	return (r);
}

enum conf_parse
conf_parse_bandwidth(const char *s, uint64_t *out, const char **unit)
{
	char buf[64];
	size_t len = strlen(s);

	if (len < 2 || len >= sizeof(buf) || strcmp(s + len - 2, "/s") != 0)
		return (*s == '-' ? CONF_PARSE_NEGATIVE : CONF_PARSE_SYNTAX);
	memcpy(buf, s, len - 2);
	buf[len - 2] = '\0';
	if (parse_scaled(buf, size_units, NELEM(size_units), true, out,
	    NULL) == CONF_PARSE_UNIT) {
		/* Point into s, not into the local copy. */
		if (unit != NULL) {
			const char *p = s;

			while (is_digit(*p) || *p == '.' || *p == ' ')
				p++;
			*unit = p;
		}
		return (CONF_PARSE_UNIT);
	}
	return (parse_scaled(buf, size_units, NELEM(size_units), true, out,
	    NULL));
}

/* Largest unit of the list (binary ones for sizes) that divides v. */
static const char *
best_unit(const struct unit *units, size_t nunits, uint64_t v, uint64_t *q)
{
	size_t i;

	for (i = nunits; i-- > 0;) {
		if (v != 0 && v % units[i].mult == 0) {
			*q = v / units[i].mult;
			return (units[i].name);
		}
	}
	*q = v;
	return (units[0].name);
}

char *
conf_format_value(enum conf_kind kind, int64_t v, char *buf, size_t n)
{
	uint64_t q, u = (uint64_t)v;
	const char *name;

	if (n == 0)
		return (buf);
	switch (kind) {
	case CONF_SIZE:
	case CONF_BANDWIDTH:
		if (v < 0)
			goto plain;
		/* Only the binary units: 5 binary units precede the others. */
		name = best_unit(size_units, 5, u, &q);
		if (u == 0)
			snprintf(buf, n, "0%s", kind == CONF_BANDWIDTH ?
			    "B/s" : "");
		else
			snprintf(buf, n, "%" PRIu64 "%s%s", q, name,
			    kind == CONF_BANDWIDTH ? "/s" : "");
		break;
	case CONF_DURATION:
		if (v < 0)
			goto plain;
		name = best_unit(duration_units, NELEM(duration_units), u, &q);
		snprintf(buf, n, "%" PRIu64 "%s", q, u == 0 ? "s" : name);
		break;
	case CONF_PERCENT:
		if (v < 0)
			goto plain;
		if (u % 10000 == 0) {
			snprintf(buf, n, "%" PRIu64 "%%", u / 10000);
		} else {
			char frac[8];
			size_t len;

			snprintf(frac, sizeof(frac), "%04u",
			    (unsigned)(u % 10000));
			len = strlen(frac);
			while (len > 0 && frac[len - 1] == '0')
				frac[--len] = '\0';
			snprintf(buf, n, "%" PRIu64 ".%s%%", u / 10000, frac);
		}
		break;
	case CONF_VARIANTS:
		conf_format_variants((uint32_t)v, buf, n);
		break;
	default:
	plain:
		snprintf(buf, n, "%" PRId64, v);
		break;
	}
	return (buf);
}

char *
conf_quote(const char *s, char *buf, size_t n)
{
	size_t i, o = 0;

	if (n == 0)
		return (buf);
	for (i = 0; s[i] != '\0' && o + 1 < n; i++) {
		if (i == 40) {
			if (o + 4 < n) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		buf[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	}
	buf[o] = '\0';
	return (buf);
}

char *
conf_expected(const struct conf_key *k, char *buf, size_t n)
{
	char lo[32], hi[32];
	const char *what;

	conf_format_value(k->d.kind, k->d.min, lo, sizeof(lo));
	conf_format_value(k->d.kind, k->d.max, hi, sizeof(hi));
	switch (k->d.kind) {
	case CONF_BOOL:
		snprintf(buf, n, "0 or 1");
		return (buf);
	case CONF_VARIANTS:
		snprintf(buf, n, "variant names joined by '+', or none");
		return (buf);
	case CONF_SIZE:
		what = "a size";
		break;
	case CONF_PERCENT:
		what = "a percentage";
		break;
	case CONF_DURATION:
		what = "a duration";
		break;
	case CONF_BANDWIDTH:
		what = "a bandwidth";
		break;
	default:
		what = "an integer";
		break;
	}
	snprintf(buf, n, "%s from %s to %s", what, lo, hi);
	return (buf);
}

/* The words after the quoted value that say why it was refused. */
static const char *
parse_detail(enum conf_kind kind, enum conf_parse r)
{
	switch (r) {
	case CONF_PARSE_NEGATIVE:
		return (" (negative)");
	case CONF_PARSE_NO_UNIT:
		return (" (a unit is needed: ns, us, ms or s)");
	case CONF_PARSE_FRACTION:
		switch (kind) {
		case CONF_DURATION:
			return (" (finer than 1ns)");
		case CONF_PERCENT:
			return (" (finer than 0.0001%)");
		default:
			return (" (not a whole number of bytes)");
		}
	case CONF_PARSE_SYNTAX:
		if (kind == CONF_BANDWIDTH)
			return (" (write it like 1GiB/s)");
		if (kind == CONF_PERCENT)
			return (" (write it like 25%)");
		return ("");
	default:
		return ("");
	}
}

int
conf_duration_parse(const char *s, uint64_t *ns, char *msg, size_t n)
{
	enum conf_parse r;
	const char *unit = NULL;
	char q[48];

	r = conf_parse_duration(s, ns, &unit);
	if (r == CONF_PARSE_OK)
		return (0);
	if (r == CONF_PARSE_UNIT && unit != NULL)
		snprintf(msg, n, "expected a duration such as 1s or 250ms, got "
		    "\"%s\" (unknown unit '%.16s': use ns, us, ms or s)",
		    conf_quote(s, q, sizeof(q)), unit);
	else
		snprintf(msg, n, "expected a duration such as 1s or 250ms, got "
		    "\"%s\"%s", conf_quote(s, q, sizeof(q)),
		    r == CONF_PARSE_OVERFLOW ? " (too large)" :
		    parse_detail(CONF_DURATION, r));
	return (-EINVAL);
}

int
conf_size_parse(const char *s, uint64_t *bytes)
{
	switch (conf_parse_size(s, bytes, NULL)) {
	case CONF_PARSE_OK:
		return (0);
	case CONF_PARSE_OVERFLOW:
		return (-ERANGE);
	default:
		return (-EINVAL);
	}
}

static const char *
unit_list(enum conf_kind kind)
{
	switch (kind) {
	case CONF_DURATION:
		return ("ns, us, ms or s");
	case CONF_PERCENT:
		return ("%");
	default:
		return ("B, KiB, MiB, GiB, TiB, kB, MB, GB or TB");
	}
}

/*
 * A set of variants written as conf_format_value() writes it: names
 * joined by '+', or "none".  The YAML file lists them instead (load.c).
 */
static int
parse_variant_names(const struct conf_key *k, const char *s, int64_t *out,
    char *msg, size_t n)
{
	char name[64], q[48];
	const char *p, *end, *hint;
	uint32_t set = 0, flag;
	size_t len;

	if (strcmp(s, "none") == 0) {
		*out = 0;
		return (0);
	}
	for (p = s;; p = end + 1) {
		end = strchr(p, '+');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(name)) {
			snprintf(msg, n, "expected %s, got \"%s\"",
			    conf_expected(k, name, sizeof(name)),
			    conf_quote(s, q, sizeof(q)));
			return (-EINVAL);
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (conf_variant_find(name, &flag) != 0) {
			hint = conf_variant_suggest(name);
			conf_quote(name, q, sizeof(q));
			if (hint != NULL)
				snprintf(msg, n, "unknown variant '%s' (did "
				    "you mean '%s'?)", q, hint);
			else
				snprintf(msg, n, "unknown variant '%s'", q);
			return (-EINVAL);
		}
		set |= flag;
		if (end == NULL)
			break;
	}
	*out = set;
	return (0);
}

int
conf_value_parse(const struct conf_key *k, const char *s, int64_t *out,
    char *msg, size_t n)
{
	char exp[96], q[48], ub[48];
	const char *unit = NULL;
	enum conf_parse r;
	uint64_t u = 0;
	int64_t v = 0;

	switch (k->d.kind) {
	case CONF_INT:
	case CONF_BOOL:
		r = conf_parse_int(s, &v);
		break;
	case CONF_VARIANTS:
		return (parse_variant_names(k, s, out, msg, n));
	case CONF_SIZE:
		r = conf_parse_size(s, &u, &unit);
		break;
	case CONF_DURATION:
		r = conf_parse_duration(s, &u, &unit);
		break;
	case CONF_PERCENT:
		r = conf_parse_percent(s, &u, &unit);
		break;
	default:
		r = conf_parse_bandwidth(s, &u, &unit);
		break;
	}
	if (k->d.kind != CONF_INT && k->d.kind != CONF_BOOL && r ==
	    CONF_PARSE_OK) {
		if (u > INT64_MAX)
			r = CONF_PARSE_OVERFLOW;
		else
			v = (int64_t)u;
	}
	conf_expected(k, exp, sizeof(exp));
	conf_quote(s, q, sizeof(q));
	if (r == CONF_PARSE_UNIT) {
		snprintf(msg, n, "expected %s, got \"%s\" (unknown unit '%s'; "
		    "use %s)", exp, q, conf_quote(unit, ub, sizeof(ub)),
		    unit_list(k->d.kind));
		return (-EINVAL);
	}
	if (r != CONF_PARSE_OK) {
		snprintf(msg, n, "expected %s, got \"%s\"%s", exp, q,
		    parse_detail(k->d.kind, r));
		return (-EINVAL);
	}
	if (v < k->d.min || v > k->d.max) {
		snprintf(msg, n, "expected %s, got \"%s\"", exp, q);
		return (-EINVAL);
	}
	if (k->page_multiple && v % PG_PAGE_SIZE != 0) {
		snprintf(msg, n, "expected a multiple of the page size (4KiB), "
		    "got \"%s\"", q);
		return (-EINVAL);
	}
	*out = v;
	return (0);
}
