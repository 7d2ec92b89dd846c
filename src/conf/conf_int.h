/*
 * conf_int.h - what the files of the conf module share: the key table with
 * its storage details, the unit parsers and the cross-field check.  Not
 * for other modules (tests include it to pin the unit grammar).
 */
#ifndef PGREPLAY_CONF_CONF_INT_H
#define PGREPLAY_CONF_CONF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "util/suggest.h"

/* The C type of the pg_config field behind a key. */
enum conf_field {
	CONF_F_I32,
	CONF_F_U32,
	CONF_F_U64,
};

struct conf_key {
	struct conf_key_desc d;		/* first: conf_key_desc() returns &d */
	const char *section;		/* mapping it lives in: "machine.kernel_cache" */
	const char *leaf;		/* its key in that mapping: "size", "kern.hz" */
	size_t off;			/* offsetof(struct pg_config, ...) */
	enum conf_field field;
	bool page_multiple;		/* must be a multiple of PG_PAGE_SIZE */
};

/*
 * The index of each key in conf_keys[]: the table is written with these
 * designators, so an index cannot drift from its entry (keys.c asserts
 * that the table has exactly CONF_NKEYS entries, and a test that each
 * designator names its key).
 */
enum conf_key_id {
	CK_MEMORY,
	CK_DOMAINS,
	CK_SWAP,
	CK_KERNEL_WIRED,
	CK_KERNEL_CACHE,
	CK_KERNEL_CACHE_RELEASE,
	CK_KERN_HZ,
	CK_VM_PAGEOUT_OOM_SEQ,
	CK_VM_ACT_SCAN_LAUNDRY_WEIGHT,
	CK_VM_BACKGROUND_LAUNDER_RATE,
	CK_VM_BACKGROUND_LAUNDER_MAX,
	CK_VM_PAGEOUT_UPDATE_PERIOD,
	CK_VM_LOWMEM_PERIOD,
	CK_VM_DISABLE_SWAPSPACE_PAGEOUTS,
	CK_VM_PANIC_ON_OOM,
	CK_VM_SWAP_ENABLED,
	CK_VM_SWAP_IDLE_ENABLED,
	CK_DEVICES_SWAP_LATENCY,
	CK_DEVICES_SWAP_BANDWIDTH,
	CK_DEVICES_FILE_LATENCY,
	CK_DEVICES_FILE_BANDWIDTH,
	CK_SIM_SCAN_COST_PER_SCAN,
	CK_SIM_SCAN_COST_PER_PAGE,
	CK_SIM_OOM_KILL_DELAY,
	CK_SIM_LAUNDRY_LAST_TARGET_INIT,
	CK_SIM_DRAIN,
	CK_SIM_HIRUNNINGSPACE,
	CK_SIM_LOCK_MISS,
	CK_SIM_SEED,
	CK_MODEL_VARIANTS,
	CONF_NKEYS
};

/* The sysctls: conf_keys[CONF_SYSCTL_FIRST ... + CONF_SYSCTL_COUNT). */
#define CONF_SYSCTL_FIRST CK_KERN_HZ
#define CONF_SYSCTL_COUNT (CK_VM_SWAP_IDLE_ENABLED - CK_KERN_HZ + 1)

/* The table, indexed by enum conf_key_id; conf_nkeys is CONF_NKEYS. */
extern const struct conf_key conf_keys[];
extern const size_t conf_nkeys;

/* Outcome of a unit parser, before the key's range is applied. */
enum conf_parse {
	CONF_PARSE_OK = 0,
	CONF_PARSE_SYNTAX,	/* not a number of the expected shape */
	CONF_PARSE_NEGATIVE,	/* a minus sign where none is allowed */
	CONF_PARSE_UNIT,	/* a unit this kind does not know */
	CONF_PARSE_NO_UNIT,	/* a non-zero duration without a unit */
	CONF_PARSE_FRACTION,	/* finer than the storage unit */
	CONF_PARSE_OVERFLOW,	/* does not fit in 64 bits */
};

/*
 * conf_parse_int() - a decimal integer with an optional leading '-'.
 * conf_parse_size() - bytes: "4096", "4GiB", "1.5 MiB", "500MB".
 * conf_parse_duration() - "100us", "1.5ms", "0" (a unit is required
 * otherwise).  conf_parse_percent() - "25%", "12.5%", in ppm.
 * conf_parse_bandwidth() - a size followed by "/s".
 * Each returns CONF_PARSE_OK and sets *out, or a reason; on UNIT, *unit
 * (if not NULL) points at the unknown unit in s.
 */
enum conf_parse conf_parse_int(const char *s, int64_t *out);
enum conf_parse conf_parse_size(const char *s, uint64_t *out,
    const char **unit);
enum conf_parse conf_parse_duration(const char *s, uint64_t *out,
    const char **unit);
enum conf_parse conf_parse_percent(const char *s, uint64_t *out,
    const char **unit);
enum conf_parse conf_parse_bandwidth(const char *s, uint64_t *out,
    const char **unit);

/*
 * conf_value_parse() - parse s for key k, with range and alignment checks.
 * Returns 0 and sets *out, or -EINVAL with msg holding the part of the
 * message after "key 'x': " ("expected ..., got "s" (why)").
 */
int conf_value_parse(const struct conf_key *k, const char *s, int64_t *out,
    char *msg, size_t n);

/* conf_expected() - "an integer from 1 to 10", "a size from 0 to 1TiB" ... */
char *conf_expected(const struct conf_key *k, char *buf, size_t n);

/* conf_quote() - s for a message: at most 40 bytes, control bytes as '?'. */
char *conf_quote(const char *s, char *buf, size_t n);

/* conf_field_get(), conf_field_set() - raw access to a key's field. */
int64_t conf_field_get(const struct conf_key *k, const struct pg_config *cfg);
void conf_field_set(const struct conf_key *k, struct pg_config *cfg, int64_t v);

/*
 * conf_cross_check() - the rules that involve several keys.  Returns 0, or
 * -EINVAL with msg set (complete message, without file and line) and
 * *blame set to the index of the key the message is about.
 */
int conf_cross_check(const struct pg_config *cfg, char *msg, size_t n,
    size_t *blame);

/*
 * conf_format_variants() - the set as names in bit order joined by '+',
 * "none" for the empty set.  Always NUL-terminates (n > 0); returns buf.
 */
char *conf_format_variants(uint32_t set, char *buf, size_t n);

/*
 * conf_variant_suggest() - the variant name nearest to name (through
 * pg_suggest()), or NULL.
 */
const char *conf_variant_suggest(const char *name);

#endif
