/*
 * keys.c - the table of numeric configuration keys: where each lives in
 * the YAML file and in struct pg_config, its range and its default.
 *
 * The ranges are what the model runs correctly, not what FreeBSD would
 * accept; each bound says why next to it.
 */
#include "conf/conf_int.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define KIB 1024ll
#define MIB (1024ll * KIB)
#define GIB (1024ll * MIB)
#define TIB (1024ll * GIB)
#define US 1000ll
#define MS (1000ll * US)
#define SEC (1000ll * MS)

#define OFF(f) offsetof(struct pg_config, f)

#define KEY(path_, name_, kind_, def_, min_, max_, sec_, leaf_, f_, ft_, pm_, \
    descr_, seed_) \
	{ { path_, name_, kind_, def_, min_, max_, descr_, seed_ }, sec_, \
	    leaf_, OFF(f_), ft_, pm_ }

#define SYSCTL(name_, def_, min_, max_, f_, ft_, descr_, seed_) \
	KEY("sysctl." name_, name_, CONF_INT, def_, min_, max_, "sysctl", \
	    name_, sysctl.f_, ft_, false, descr_, seed_)

#define SYSBOOL(name_, def_, f_, descr_, seed_) \
	KEY("sysctl." name_, name_, CONF_BOOL, def_, 0, 1, "sysctl", name_, \
	    sysctl.f_, CONF_F_I32, false, descr_, seed_)

/*
 * The u_int arithmetic of the laundry thread multiplies these by
 * PAGE_SIZE (S:1044, S:1047): 1048575 * 4096 is the largest product that
 * fits in 32 bits.
 */
#define LAUNDER_UINT_MAX 1048575ll

const struct conf_key conf_keys[] = {
	/* machine: */
	[CK_MEMORY] = KEY("machine.memory", "machine.memory", CONF_SIZE,
	    4 * GIB, (int64_t)CONF_DOMAIN_MIN_PAGES * PG_PAGE_SIZE, 1 * TIB,
	    "machine", "memory", memory_bytes, CONF_F_U64, true,
	    "physical memory, split evenly among the domains", "spec §3"),
	[CK_DOMAINS] = KEY("machine.domains", "machine.domains", CONF_INT, 1, 1,
	    64, "machine", "domains", domains, CONF_F_U32, false,
	    "memory domains (NUMA), each with its own page daemon and laundry "
	    "thread", "spec §4.5"),
	[CK_SWAP] = KEY("machine.swap", "machine.swap", CONF_SIZE, 8 * GIB, 0,
	    4 * TIB, "machine", "swap", swap_bytes, CONF_F_U64, true,
	    "swap configured at start; 0 means none", "spec §9.5"),
	[CK_KERNEL_WIRED] = KEY("machine.kernel_wired", "machine.kernel_wired",
	    CONF_SIZE, 64 * MIB, 0, 1 * TIB, "machine", "kernel_wired",
	    kernel_wired_bytes, CONF_F_U64, false,
	    "memory wired by the kernel at boot, never reclaimable", "spec §3"),
	[CK_KERNEL_CACHE] = KEY("machine.kernel_cache.size",
	    "machine.kernel_cache.size",
	    CONF_SIZE, 0, 0, 1 * TIB, "machine.kernel_cache", "size",
	    kernel_cache_bytes, CONF_F_U64, false,
	    "reclaimable kernel cache (e.g. ZFS ARC) at start, wired until "
	    "released", "spec §11"),
	[CK_KERNEL_CACHE_RELEASE] = KEY("machine.kernel_cache.lowmem_release",
	    "machine.kernel_cache.lowmem_release", CONF_PERCENT, 250000, 0,
	    1000000, "machine.kernel_cache", "lowmem_release",
	    kernel_cache_release_ppm, CONF_F_U32, false,
	    "share of the kernel cache's current size released per lowmem "
	    "event", "spec §11"),

	/* sysctl: in the order of struct pg_sysctl */
	/*
	 * hz / 10 must be at least 1 tick (S:1062, S:1812, S:1820), and
	 * hz * vm.pageout_update_period must fit in an int (S:1416).
	 */
	[CK_KERN_HZ] = SYSCTL("kern.hz", 1000, 10, 10000, hz, CONF_F_I32,
	    "clock interrupts per second; the daemons pause hz/10 ticks",
	    "spec §2.1, subr_param.c"),
	[CK_VM_PAGEOUT_OOM_SEQ] = SYSCTL("vm.pageout_oom_seq", 12, 1, 1000000,
	    pageout_oom_seq, CONF_F_I32,
	    "consecutive no-progress inactive scans before a domain votes "
	    "for an OOM kill", "S:151, S:179-181, S:1556-1588"),
	/* The active-scan target divides by it (S:1400). */
	[CK_VM_ACT_SCAN_LAUNDRY_WEIGHT] = SYSCTL("vm.act_scan_laundry_weight",
	    3, 1, 1000, act_scan_laundry_weight, CONF_F_I32,
	    "weight of clean pages against dirty ones in the active-scan "
	    "target", "S:183-186, S:1400-1402, S:1527"),
	[CK_VM_BACKGROUND_LAUNDER_RATE] = SYSCTL("vm.background_launder_rate",
	    4096, 0, LAUNDER_UINT_MAX, background_launder_rate, CONF_F_U32,
	    "labelled KB/s; pages per 100 ms = rate * 4096 / 1024 / 10 "
	    "(units quirk)", "S:188-191, S:1047"),
	[CK_VM_BACKGROUND_LAUNDER_MAX] = SYSCTL("vm.background_launder_max",
	    20480, 0, LAUNDER_UINT_MAX, background_launder_max, CONF_F_U32,
	    "labelled KB; pages = max * 4096 / 1024 (units quirk)",
	    "S:193-195, S:1044"),
	/* At most 86400 so that hz * period fits in an int (S:1416). */
	[CK_VM_PAGEOUT_UPDATE_PERIOD] = SYSCTL("vm.pageout_update_period", 600,
	    0, 86400, pageout_update_period, CONF_F_I32,
	    "seconds to visit every active page when idle; 0 means 600",
	    "S:165-167, S:1933-1934"),
	[CK_VM_LOWMEM_PERIOD] = SYSCTL("vm.lowmem_period", 10, 0, 86400,
	    lowmem_period, CONF_F_I32,
	    "seconds between vm_lowmem events", "S:155, S:169-170"),
	[CK_VM_DISABLE_SWAPSPACE_PAGEOUTS] =
	    SYSBOOL("vm.disable_swapspace_pageouts", 0,
	    disable_swapspace_pageouts,
	    "if 1, dirty anonymous pages are never paged out",
	    "S:172-173, S:849"),
	[CK_VM_PANIC_ON_OOM] = SYSBOOL("vm.panic_on_oom", 0, panic_on_oom,
	    "if 1, panic instead of killing the chosen OOM victim",
	    "S:159-163, S:1753"),
	[CK_VM_SWAP_ENABLED] = SYSBOOL("vm.swap_enabled", 1, swap_enabled,
	    "if 0, the page daemon requests no vmdaemon swapouts",
	    "vm_swapout.c"),
	[CK_VM_SWAP_IDLE_ENABLED] = SYSBOOL("vm.swap_idle_enabled", 0,
	    swap_idle_enabled,
	    "if 1, idle processes may be swapped out whole", "vm_swapout.c"),

	/* devices: */
	[CK_DEVICES_SWAP_LATENCY] = KEY("devices.swap.latency",
	    "devices.swap.latency", CONF_DURATION,
	    100 * US, 0, 10 * SEC, "devices.swap", "latency",
	    swap_dev.latency_ns,
	    CONF_F_U64, false, "service time of a swap request before its "
	    "transfer", "spec §12.5"),
	[CK_DEVICES_SWAP_BANDWIDTH] = KEY("devices.swap.bandwidth",
	    "devices.swap.bandwidth", CONF_BANDWIDTH,
	    1 * GIB, 1, 1 * TIB, "devices.swap", "bandwidth",
	    swap_dev.bandwidth_bps, CONF_F_U64, false,
	    "transfer rate of the swap device", "spec §12.5"),
	[CK_DEVICES_FILE_LATENCY] = KEY("devices.file.latency",
	    "devices.file.latency", CONF_DURATION,
	    100 * US, 0, 10 * SEC, "devices.file", "latency",
	    file_dev.latency_ns,
	    CONF_F_U64, false, "service time of a file read or write before "
	    "its transfer", "spec §12.7"),
	[CK_DEVICES_FILE_BANDWIDTH] = KEY("devices.file.bandwidth",
	    "devices.file.bandwidth", CONF_BANDWIDTH,
	    1 * GIB, 1, 1 * TIB, "devices.file", "bandwidth",
	    file_dev.bandwidth_bps, CONF_F_U64, false,
	    "transfer rate of the file system's device", "spec §12.7"),

	/* sim: */
	/* A zero-cost scan would let pass <= 1 loop forever at one instant. */
	[CK_SIM_SCAN_COST_PER_SCAN] = KEY("sim.scan_cost.per_scan",
	    "sim.scan_cost.per_scan", CONF_DURATION,
	    5 * US, 1, 1 * SEC, "sim.scan_cost", "per_scan",
	    scan_cost_per_scan_ns, CONF_F_U64, false,
	    "simulated CPU time of one page-daemon scan", "spec §12.3"),
	[CK_SIM_SCAN_COST_PER_PAGE] = KEY("sim.scan_cost.per_page",
	    "sim.scan_cost.per_page", CONF_DURATION,
	    50, 0, 1 * MS, "sim.scan_cost", "per_page", scan_cost_per_page_ns,
	    CONF_F_U64, false, "simulated CPU time per queue entry visited",
	    "spec §12.3"),
	[CK_SIM_OOM_KILL_DELAY] = KEY("sim.oom_kill_delay",
	    "sim.oom_kill_delay", CONF_DURATION, 0, 0,
	    3600 * SEC, "sim", "oom_kill_delay", oom_kill_delay_ns, CONF_F_U64,
	    false, "time from the OOM kill to the victim's exit", "spec §12.9"),
	[CK_SIM_LAUNDRY_LAST_TARGET_INIT] = KEY("sim.laundry_last_target_init",
	    "sim.laundry_last_target_init",
	    CONF_INT, 0, INT32_MIN, INT32_MAX, "sim",
	    "laundry_last_target_init", laundry_last_target_init, CONF_F_I32,
	    false, "initial last_target of the laundry thread, uninitialised "
	    "in the seed", "S:947, spec §8"),
	[CK_SIM_DRAIN] = KEY("sim.drain", "sim.drain", CONF_DURATION, 60 * SEC,
	    0, 86400 * SEC, "sim", "drain", drain_ns, CONF_F_U64, false,
	    "simulated time the machine runs on after the last trace event",
	    "interfaces.md §2"),
	/*
	 * bufinit() sets max(min(roundup(hibufspace / 64, MAXBCACHEBUF),
	 * 16 MiB), 1 MiB): the default is the cap, which machines with a
	 * buffer cache of 1 GiB or more reach; the bounds are the
	 * formula's floor and a generous ceiling.
	 */
	[CK_SIM_HIRUNNINGSPACE] = KEY("sim.hirunningspace",
	    "sim.hirunningspace", CONF_SIZE, 16 * MIB,
	    1 * MIB, 1 * GIB, "sim", "hirunningspace", hirunningspace,
	    CONF_F_U64, false,
	    "vfs.hirunningspace: asynchronous vnode writes in flight above "
	    "which the laundry thread sleeps until they drop to "
	    "lorunningspace (two thirds, rounded up to 64 KiB)",
	    "vfs_bio.c bufinit(), bufwrite(), waitrunningbufspace(); "
	    "spec §12.7"),
	/*
	 * A probability, written as a percentage: 100% would make every
	 * vnode pageout miss, which is allowed (the laundry thread then
	 * skips vnodes and speeds up the syncer at every call).
	 */
	[CK_SIM_LOCK_MISS] = KEY("sim.lock_miss", "sim.lock_miss", CONF_PERCENT,
	    0, 0, 1000000, "sim", "lock_miss", lock_miss_ppm, CONF_F_U32, false,
	    "chance that each vnode lock attempt of a pageout "
	    "(vn_start_write(V_NOWAIT), vget(LK_TIMELOCK)) misses",
	    "S:576-685, S:874-882, S:902-905, spec §15 D17"),
	[CK_SIM_SEED] = KEY("sim.seed", "sim.seed", CONF_INT, 1, 0, INT64_MAX,
	    "sim", "seed", seed, CONF_F_U64, false,
	    "seed of the simulator's pseudo-random generator (sim.lock_miss "
	    "draws from it); the same seed gives the same run",
	    "docs/model.md"),

	/* model: */
	[CK_MODEL_VARIANTS] = KEY("model.variants", "model.variants",
	    CONF_VARIANTS, 0, 0,
	    PG_VARIANTS_ALL, "model", "variants", model_variants, CONF_F_U32,
	    false, "later FreeBSD changes of the page daemon to model instead "
	    "of the seed's code; none means the seed",
	    "docs/model.md, \"Model variants\""),
};

const size_t conf_nkeys = sizeof(conf_keys) / sizeof(conf_keys[0]);

/* Every index of enum conf_key_id has its entry, and no more. */
_Static_assert(sizeof(conf_keys) / sizeof(conf_keys[0]) == CONF_NKEYS,
    "the key table and enum conf_key_id disagree");

int64_t
conf_field_get(const struct conf_key *k, const struct pg_config *cfg)
{
	const char *p = (const char *)cfg + k->off;
	int32_t i32;
	uint32_t u32;
	uint64_t u64;

	switch (k->field) {
	case CONF_F_I32:
		memcpy(&i32, p, sizeof(i32));
		return (i32);
	case CONF_F_U32:
		memcpy(&u32, p, sizeof(u32));
		return (u32);
	default:
		memcpy(&u64, p, sizeof(u64));
		return ((int64_t)u64);
	}
}

void
conf_field_set(const struct conf_key *k, struct pg_config *cfg, int64_t v)
{
	char *p = (char *)cfg + k->off;
	int32_t i32 = (int32_t)v;
	uint32_t u32 = (uint32_t)v;
	uint64_t u64 = (uint64_t)v;

	switch (k->field) {
	case CONF_F_I32:
		memcpy(p, &i32, sizeof(i32));
		break;
	case CONF_F_U32:
		memcpy(p, &u32, sizeof(u32));
		break;
	default:
		memcpy(p, &u64, sizeof(u64));
		break;
	}
}

void
conf_defaults(struct pg_config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->name, "default");
	for (i = 0; i < conf_nkeys; i++)
		conf_field_set(&conf_keys[i], cfg, conf_keys[i].d.def);
}

size_t
conf_key_count(void)
{
	return (conf_nkeys);
}

const struct conf_key_desc *
conf_key_desc(size_t i)
{
	return (i < conf_nkeys ? &conf_keys[i].d : NULL);
}

int
conf_key_find(const char *name, size_t *index)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++) {
		if (strcmp(name, conf_keys[i].d.name) == 0 ||
		    strcmp(name, conf_keys[i].d.path) == 0) {
			*index = i;
			return (0);
		}
	}
	return (-ENOENT);
}

int64_t
conf_key_get(const struct pg_config *cfg, size_t i)
{
	return (i < conf_nkeys ? conf_field_get(&conf_keys[i], cfg) : 0);
}

int
conf_key_set(struct pg_config *cfg, size_t i, int64_t v)
{
	const struct conf_key *k;

	if (i >= conf_nkeys)
		return (-EINVAL);
	k = &conf_keys[i];
	if (v < k->d.min || v > k->d.max)
		return (-ERANGE);
	if (k->page_multiple && v % PG_PAGE_SIZE != 0)
		return (-ERANGE);
	conf_field_set(k, cfg, v);
	return (0);
}

size_t
conf_sysctl_count(void)
{
	return (CONF_SYSCTL_COUNT);
}

const struct conf_key_desc *
conf_sysctl_desc(size_t i)
{
	return (i < CONF_SYSCTL_COUNT ? &conf_keys[CONF_SYSCTL_FIRST + i].d :
	    NULL);
}

int64_t
conf_sysctl_get(const struct pg_config *cfg, size_t i)
{
	return (i < CONF_SYSCTL_COUNT ? conf_key_get(cfg, CONF_SYSCTL_FIRST +
	    i) : 0);
}

int
conf_sysctl_set(struct pg_config *cfg, size_t i, int64_t v)
{
	if (i >= CONF_SYSCTL_COUNT)
		return (-EINVAL);
	return (conf_key_set(cfg, CONF_SYSCTL_FIRST + i, v));
}

