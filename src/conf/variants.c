/*
 * variants.c - the names of the model variants (PG_VARIANTS() of conf.h)
 * and their written form: the configuration lists names, the model sees
 * flags.
 */
#include "conf/conf_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct variant {
	const char *name;
	const char *commit;
	const char *what;
};

static const struct variant variants[] = {
#define VARIANT_ROW(id, name_, commit_, what_) \
	[PG_VARIANT_BIT_##id] = { name_, commit_, what_ },
	PG_VARIANTS(VARIANT_ROW)
#undef VARIANT_ROW
};

_Static_assert(sizeof(variants) / sizeof(variants[0]) == PG_VARIANT_COUNT,
    "one row per variant");
_Static_assert(PG_VARIANT_COUNT <= 32, "the flags are a uint32_t");

size_t
conf_variant_count(void)
{
	return (PG_VARIANT_COUNT);
}

const char *
conf_variant_name(size_t bit)
{
	return (bit < PG_VARIANT_COUNT ? variants[bit].name : NULL);
}

const char *
conf_variant_commit(size_t bit)
{
	return (bit < PG_VARIANT_COUNT ? variants[bit].commit : NULL);
}

const char *
conf_variant_what(size_t bit)
{
	return (bit < PG_VARIANT_COUNT ? variants[bit].what : NULL);
}

int
conf_variant_find(const char *name, uint32_t *flag)
{
	size_t i;

	for (i = 0; i < PG_VARIANT_COUNT; i++) {
		if (strcmp(name, variants[i].name) == 0) {
			*flag = UINT32_C(1) << i;
			return (0);
		}
	}
	return (-ENOENT);
}

const char *
conf_variant_suggest(const char *name)
{
	const char *cands[PG_VARIANT_COUNT];
	size_t i;

	for (i = 0; i < PG_VARIANT_COUNT; i++)
		cands[i] = variants[i].name;
	return (pg_suggest(name, cands, PG_VARIANT_COUNT));
}

char *
conf_format_variants(uint32_t set, char *buf, size_t n)
{
	size_t i, len = 0;

	if (n == 0)
		return (buf);
	buf[0] = '\0';
	for (i = 0; i < PG_VARIANT_COUNT; i++) {
		if ((set & (UINT32_C(1) << i)) == 0)
			continue;
		snprintf(buf + len, n - len, "%s%s", len > 0 ? "+" : "",
		    variants[i].name);
		len = strlen(buf);
	}
	/* Bits no variant owns cannot come from the loader; show them. */
	if ((set & ~PG_VARIANTS_ALL) != 0)
		snprintf(buf + len, n - len, "%s0x%x", len > 0 ? "+" : "",
		    (unsigned)(set & ~PG_VARIANTS_ALL));
	else if (len == 0)
		snprintf(buf, n, "none");
	return (buf);
}
