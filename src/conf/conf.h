/*
 * conf.h - one run's configuration: machine, FreeBSD tunables, device and
 * simulator choices, and the optional sweep and expect sections
 * (interfaces.md section 2, docs/configuration.md).
 *
 * struct pg_config is plain data; conf_load() fills it from a YAML file,
 * conf_defaults() gives FreeBSD's defaults.  Every key is optional.
 *
 * Every numeric key is described by the key table (conf_key_count(),
 * conf_key_desc()); the FreeBSD sysctls are a contiguous part of it
 * (conf_sysctl_count(), conf_sysctl_desc()), in the order of
 * struct pg_sysctl.  The tables are what `pgreplay params`, the reports
 * and the sweep expansion use to name, print and set values.
 */
#ifndef PGREPLAY_CONF_CONF_H
#define PGREPLAY_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pgerr.h"

#define PG_PAGE_SIZE 4096u
#define CONF_NAME_MAX 256
#define CONF_PATH_MAX 512
#define CONF_SWEEP_MAX 16		/* keys in one sweep section */
#define CONF_SWEEP_VALUES_MAX 64	/* values per sweep key */
#define CONF_SWEEP_COMBINATIONS_MAX 4096	/* runs one sweep may expand to */
#define CONF_EXPECT_MAX 64		/* assertions in one expect section */
#define CONF_STAT_NAME_MAX 64
#define CONF_FILE_MAX (1024 * 1024)	/* larger configuration files are refused */
#define CONF_DOMAIN_MIN_PAGES 1024u	/* smallest domain the model accepts */

/*
 * The model variants: later FreeBSD changes of the page daemon that a run
 * may switch on (`model: { variants: [NAME, ...] }`, docs/model.md,
 * "Model variants").  This list is the one place that names them; each
 * X(ID, NAME, COMMIT, WHAT) gives the flag PG_VARIANT(ID), the name the
 * configuration uses, the FreeBSD commit it comes from and one sentence.
 * The model tests the flag in struct vm_machine's variants, never a name.
 * Append new variants at the end: a flag's bit is its position.
 * COMMIT is a git hash where one is known; active-target's is the svn
 * revision (r334154, 2018-05-24: its git hash was not found) and
 * inactive-dirty-limit's the review (D48337; docs/model.md says where its
 * code was read).
 */
#define PG_VARIANTS(X) \
	X(PIDCTRL_2018_06, "pidctrl-2018-06", "e768070ca939", \
	    "pidctrl_daemon() of June 2018: within an interval the error is " \
	    "taken relative to the last call, so repeated calls do not wind " \
	    "the integral up") \
	X(ACTIVE_TARGET, "active-target", "r334154", \
	    "the active-scan target counts PQ_INACTIVE, not the re-aimed " \
	    "pq's PQ_LAUNDRY (S:1356, S:1399)") \
	X(OOM_INSTANT_SHORTAGE, "oom-instant-shortage", "78546fb0e321", \
	    "a scan counts towards an OOM kill only while the domain needs " \
	    "paging (free_count < pageout_wakeup_thresh)") \
	X(INACTIVE_DIRTY_LIMIT, "inactive-dirty-limit", "D48337", \
	    "the inactive scan stops once it has sent as many dirty pages " \
	    "to the laundry as it wanted to free (S:1165-1166, S:1330-1331)")

enum pg_variant_bit {
#define PG_VARIANT_BIT(id, name, commit, what) PG_VARIANT_BIT_##id,
	PG_VARIANTS(PG_VARIANT_BIT)
#undef PG_VARIANT_BIT
	PG_VARIANT_COUNT
};

#define PG_VARIANT(id) (UINT32_C(1) << PG_VARIANT_BIT_##id)
#define PG_VARIANTS_ALL ((UINT32_C(1) << PG_VARIANT_COUNT) - 1)
#define CONF_VARIANTS_TEXT_MAX 256	/* conf_format_value() of a set */

/* The FreeBSD tunables pgreplay models; see conf_sysctl_desc(). */
struct pg_sysctl {
	int32_t hz;				/* kern.hz */
	int32_t pageout_oom_seq;		/* vm.pageout_oom_seq */
	int32_t act_scan_laundry_weight;	/* vm.act_scan_laundry_weight */
	uint32_t background_launder_rate;	/* vm.background_launder_rate */
	uint32_t background_launder_max;	/* vm.background_launder_max */
	int32_t pageout_update_period;		/* vm.pageout_update_period */
	int32_t lowmem_period;			/* vm.lowmem_period */
	int32_t disable_swapspace_pageouts;	/* vm.disable_swapspace_pageouts */
	int32_t panic_on_oom;			/* vm.panic_on_oom */
	int32_t swap_enabled;			/* vm.swap_enabled */
	int32_t swap_idle_enabled;		/* vm.swap_idle_enabled */
};

/* A backing store served first in, first out (spec section 12.5). */
struct pg_device {
	uint64_t latency_ns;		/* per request */
	uint64_t bandwidth_bps;		/* bytes per second, > 0 */
};

struct pg_sweep_key {
	char key[CONF_STAT_NAME_MAX];	/* a sweepable key, e.g. "vm.pageout_oom_seq" */
	uint32_t nvalues;
	int64_t values[CONF_SWEEP_VALUES_MAX];	/* in the key's storage unit */
	uint64_t line;			/* where it was written */
};

#define CONF_BOUND_TEXT_MAX 32

struct pg_expect {
	char stat[CONF_STAT_NAME_MAX];	/* a report statistic name; checked by the CLI */
	bool has_min, has_max;
	double min, max;		/* a duration in seconds: 500ms is 0.5 */
	/* The bounds as written, for messages and reports. */
	char min_text[CONF_BOUND_TEXT_MAX];
	char max_text[CONF_BOUND_TEXT_MAX];
	uint64_t line;			/* where it was written, for messages */
	char tolerance[48];		/* --baseline drift allowed, "" if none;
					   parsed by the CLI (docs/report.md) */
};

struct pg_config {
	char name[CONF_NAME_MAX];	/* report label; default: file name sans extension */
	char path[CONF_PATH_MAX];	/* file it was loaded from ("" for defaults) */

	/* machine: */
	uint64_t memory_bytes;		/* physical memory, multiple of 4 KiB */
	uint32_t domains;		/* memory domains, pages split evenly */
	uint64_t swap_bytes;		/* swap configured at start, multiple of 4 KiB; 0 = none */
	uint64_t kernel_wired_bytes;	/* wired at boot, never reclaimable (rounded up to pages) */
	uint64_t kernel_cache_bytes;	/* reclaimable kernel cache at start (rounded up to pages) */
	uint32_t kernel_cache_release_ppm;	/* share released per lowmem, parts per million */

	struct pg_sysctl sysctl;

	/* devices: */
	struct pg_device swap_dev;
	struct pg_device file_dev;

	/* sim: */
	uint64_t scan_cost_per_scan_ns;	/* > 0, so that a busy daemon advances time */
	uint64_t scan_cost_per_page_ns;
	uint64_t oom_kill_delay_ns;
	int32_t laundry_last_target_init;
	uint64_t drain_ns;
	uint64_t hirunningspace;	/* vfs.hirunningspace, bytes */
	uint32_t lock_miss_ppm;		/* vnode lock miss chance, ppm */
	uint64_t seed;			/* of the PRNG lock_miss uses */

	/* model: */
	uint32_t model_variants;	/* PG_VARIANT() flags; 0 = the seed */

	uint32_t nsweep;
	struct pg_sweep_key sweep[CONF_SWEEP_MAX];
	uint32_t nexpect;
	struct pg_expect expect[CONF_EXPECT_MAX];
	/*
	 * expect_partial: the expect section also passes when events were
	 * dropped or never replayed (by default such a run fails it).
	 */
	bool expect_partial;
};

/* How a key's value is written and stored. */
enum conf_kind {
	CONF_INT,		/* decimal integer */
	CONF_BOOL,		/* 0 or 1 */
	CONF_SIZE,		/* bytes, optional unit; stored in bytes */
	CONF_PERCENT,		/* "25%"; stored in parts per million */
	CONF_DURATION,		/* "1.5ms"; stored in nanoseconds */
	CONF_BANDWIDTH,		/* "1GiB/s"; stored in bytes per second */
	CONF_VARIANTS,		/* a list of variant names; as flags */
};

/* One numeric key of the configuration. */
struct conf_key_desc {
	const char *path;	/* full dotted key: "sysctl.vm.pageout_oom_seq" */
	const char *name;	/* as written in sweep: "vm.pageout_oom_seq", "machine.memory" */
	enum conf_kind kind;
	int64_t def, min, max;	/* in the storage unit (bytes, ppm, ns, ...) */
	const char *descr;	/* one sentence */
	const char *seed;	/* where the rule comes from: "S:151, S:179-181" */
};

/*
 * conf_defaults() - fill cfg with FreeBSD's defaults and the defaults of
 * interfaces.md section 2: 4 GiB in one domain, 8 GiB swap, 64 MiB wired,
 * no kernel cache, name "default", empty path, no sweep, no expect.
 * Cannot fail.
 */
void conf_defaults(struct pg_config *cfg);

/*
 * conf_load() - read the YAML configuration file at path into cfg.
 * cfg is first set to the defaults, then every key of the file is applied
 * and the whole is validated (conf_check(), and every sweep combination).
 * The name defaults to the file name without directory and extension.
 * Returns 0, or a negative errno with err filled ("FILE:LINE: key 'x.y':
 * expected ..., got ..."): -ENOENT and friends when the file cannot be
 * read, -EFBIG above CONF_FILE_MAX bytes, -EINVAL for any bad content.
 * On error cfg holds an unspecified mix of values.  No memory is kept.
 */
int conf_load(const char *path, struct pg_config *cfg, struct pg_error *err);

/*
 * conf_load_string() - as conf_load(), from the len bytes at yaml; name is
 * used as the file name in errors and for the default run name.
 */
int conf_load_string(const char *name, const char *yaml, size_t len,
    struct pg_config *cfg, struct pg_error *err);

/*
 * conf_check() - validate a configuration built in memory: every key in
 * its range, sizes page-aligned where required, and the cross-field rules
 * (domains of at least CONF_DOMAIN_MIN_PAGES pages, each with more free
 * pages at start than its free_target).  Returns 0 or -EINVAL with err
 * filled (file cfg->path, line unknown).
 */
int conf_check(const struct pg_config *cfg, struct pg_error *err);

/*
 * conf_key_count(), conf_key_desc() - the table of numeric keys, in a fixed
 * order (machine, sysctl, devices, sim).  conf_key_desc() returns NULL for
 * i >= conf_key_count().  The descriptors are static constants.
 */
size_t conf_key_count(void);
const struct conf_key_desc *conf_key_desc(size_t i);

/*
 * conf_key_find() - index of the key named name, either its sweep name
 * ("vm.pageout_oom_seq", "machine.memory") or its full path
 * ("sysctl.vm.pageout_oom_seq").  Returns 0 and sets *index, or -ENOENT.
 */
int conf_key_find(const char *name, size_t *index);

/*
 * conf_key_get() - the value of key i in cfg, in its storage unit.
 * i must be < conf_key_count().
 */
int64_t conf_key_get(const struct pg_config *cfg, size_t i);

/*
 * conf_key_set() - set key i of cfg to v (storage unit).  Returns 0, or
 * -ERANGE (cfg unchanged) if v is outside the key's range or, for memory
 * and swap, not a multiple of the page size; -EINVAL if i is out of range.
 * Cross-field rules are not checked here: see conf_check().
 */
int conf_key_set(struct pg_config *cfg, size_t i, int64_t v);

/*
 * conf_sysctl_count(), conf_sysctl_desc(), conf_sysctl_get(),
 * conf_sysctl_set() - the same for the FreeBSD sysctls only, indexed
 * 0 .. conf_sysctl_count() - 1 in the order of struct pg_sysctl.
 * desc->name is the FreeBSD name ("kern.hz").
 */
size_t conf_sysctl_count(void);
const struct conf_key_desc *conf_sysctl_desc(size_t i);
int64_t conf_sysctl_get(const struct pg_config *cfg, size_t i);
int conf_sysctl_set(struct pg_config *cfg, size_t i, int64_t v);

/*
 * conf_format_value() - write v as the configuration would spell it for a
 * key of the given kind ("4GiB", "100us", "25%", "1GiB/s", "12"), choosing
 * the largest unit that represents it exactly.  A set of variants is
 * written as its names in bit order joined by '+', or "none".  Always
 * NUL-terminates (if n > 0); returns buf.
 */
char *conf_format_value(enum conf_kind kind, int64_t v, char *buf, size_t n);

/*
 * conf_duration_parse() - a duration as the configuration writes one
 * ("1s", "250ms", "1.5us"; a unit is required), for command-line options.
 * Returns 0 and *ns, or -EINVAL with msg (n bytes) saying what was
 * expected and why s was refused.
 */
int conf_duration_parse(const char *s, uint64_t *ns, char *msg, size_t n);

/*
 * conf_size_parse() - a size as the configuration writes one ("4096",
 * "4GiB", "1.5 MiB", "500MB"), for command-line options.  Returns 0 and
 * *bytes, -ERANGE when it does not fit in 64 bits, or -EINVAL.
 */
int conf_size_parse(const char *s, uint64_t *bytes);

/*
 * conf_variant_count(), conf_variant_name(), conf_variant_commit(),
 * conf_variant_what() - the variants of PG_VARIANTS(), by bit number
 * (0 .. conf_variant_count() - 1); NULL past the end.
 */
size_t conf_variant_count(void);
const char *conf_variant_name(size_t bit);
const char *conf_variant_commit(size_t bit);
const char *conf_variant_what(size_t bit);

/*
 * conf_variant_find() - the flag of the variant called name.  Returns 0
 * and sets *flag, or -ENOENT.
 */
int conf_variant_find(const char *name, uint32_t *flag);

/*
 * conf_sweep_combinations() - the number of runs cfg's sweep expands to:
 * the product of the value counts of its keys, 1 without a sweep.
 */
size_t conf_sweep_combinations(const struct pg_config *cfg);

/*
 * conf_apply_sweep() - write into out the configuration of run number
 * combination (0 .. conf_sweep_combinations() - 1) of base's sweep.  The
 * first sweep key varies slowest, the last fastest.  out has no sweep, the
 * sweep values applied, and the name "base[key=value,key=value]" (cut to
 * CONF_NAME_MAX - 1 bytes).  Without a sweep, combination 0 is a copy of
 * base.  Returns 0, -ERANGE if combination is out of range, or -EINVAL if
 * a sweep names an unknown key or a value out of range (not possible for
 * a configuration from conf_load()).  out may not alias base.
 */
int conf_apply_sweep(const struct pg_config *base, size_t combination,
    struct pg_config *out);

#endif
