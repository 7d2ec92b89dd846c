/*
 * conf.h - one run's configuration: machine, FreeBSD tunables, device and
 * simulator choices, and the optional sweep and expect sections
 * (interfaces.md section 2).
 *
 * struct pg_config is plain data; conf_load() fills it from a YAML file,
 * conf_defaults() gives FreeBSD's defaults.  Every key is optional.
 */
#ifndef PGREPLAY_CONF_CONF_H
#define PGREPLAY_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pgerr.h"

#define PG_PAGE_SIZE 4096u
#define CONF_NAME_MAX 128
#define CONF_PATH_MAX 512
#define CONF_SWEEP_MAX 16		/* keys in one sweep section */
#define CONF_SWEEP_VALUES_MAX 64	/* values per sweep key */
#define CONF_EXPECT_MAX 64		/* assertions in one expect section */
#define CONF_STAT_NAME_MAX 64

/* The FreeBSD tunables pgreplay models; names in conf_sysctl_table(). */
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
	int64_t values[CONF_SWEEP_VALUES_MAX];
	uint64_t line;			/* where it was written */
};

struct pg_expect {
	char stat[CONF_STAT_NAME_MAX];	/* a report statistic name; checked by the CLI */
	bool has_min, has_max;
	double min, max;
	uint64_t line;			/* where it was written, for messages */
};

struct pg_config {
	char name[CONF_NAME_MAX];	/* report label; default: file name sans extension */
	char path[CONF_PATH_MAX];	/* file it was loaded from ("" for defaults) */

	/* machine: */
	uint64_t memory_bytes;		/* physical memory, multiple of 4 KiB */
	uint32_t domains;		/* memory domains, pages split evenly */
	uint64_t swap_bytes;		/* swap configured at start; 0 = none */
	uint64_t kernel_wired_bytes;	/* wired at boot, never reclaimable */
	uint64_t kernel_cache_bytes;	/* reclaimable kernel cache at start */
	uint32_t kernel_cache_release_ppm;	/* share released per lowmem, parts per million */

	struct pg_sysctl sysctl;

	/* devices: */
	struct pg_device swap_dev;
	struct pg_device file_dev;

	/* sim: */
	uint64_t scan_cost_per_scan_ns;
	uint64_t scan_cost_per_page_ns;
	uint64_t oom_kill_delay_ns;
	int32_t laundry_last_target_init;
	uint64_t drain_ns;

	uint32_t nsweep;
	struct pg_sweep_key sweep[CONF_SWEEP_MAX];
	uint32_t nexpect;
	struct pg_expect expect[CONF_EXPECT_MAX];
};

#endif
