/*
 * vmmeter.h - the model's counters: FreeBSD's vmmeter names where FreeBSD
 * has one (spec section 4.7), and pgreplay's own for what a replay needs
 * (interfaces.md section 4).  Plain data; the report reads it by name
 * through vm_counters_table().
 */
#ifndef PGREPLAY_VM_VMMETER_H
#define PGREPLAY_VM_VMMETER_H

#include <stddef.h>
#include <stdint.h>

/* X(name, description): one line per counter, in report order. */
#define VM_COUNTERS(X) \
	X(v_pdwakeups, "page daemon sleeps ended by a wakeup rather than the timeout") \
	X(v_pdpages, "entries visited by the page daemon's scans (inactive: markers included)") \
	X(v_dfree, "pages freed by the page daemon and the laundry scan") \
	X(v_reactivated, "pages reactivated by the inactive or laundry scan") \
	X(v_pdshortfalls, "SHORTFALL laundry requests posted") \
	X(v_tfree, "pages freed in total") \
	X(v_swapout, "swap write I/Os") \
	X(v_swappgsout, "pages written to swap") \
	X(v_swappgsin, "pages read from swap") \
	X(v_vnodeout, "vnode pager write I/Os") \
	X(v_vnodepgsout, "pages written by the vnode pager") \
	X(v_vnodepgsin, "pages read from files") \
	X(pageout_lock_miss, "vnode lock or suspension misses while laundering") \
	X(faults, "accesses that found the page not resident") \
	X(faults_zero_fill, "faults satisfied by a zero-filled page") \
	X(faults_file, "faults satisfied by a file read") \
	X(faults_swap, "faults satisfied by a swap read") \
	X(faults_soft, "accesses that mapped or write-enabled a resident page") \
	X(laundered_background, "pages counted as laundered by background runs") \
	X(laundered_shortfall, "pages counted as laundered by shortfall runs") \
	X(laundry_clusters, "clusters handed to a pager") \
	X(laundry_calls, "vm_pageout_launder() calls") \
	X(pd_scans, "vm_pageout_scan() calls") \
	X(pd_pauses, "100 ms pauses of the page daemon (pass > 1, paging needed)") \
	X(oom_kills, "processes killed by the OOM killer") \
	X(oom_votes, "OOM votes cast by domains") \
	X(lowmem_events, "vm_lowmem events") \
	X(kernel_cache_released, "pages released by the kernel cache on lowmem") \
	X(swapout_requests, "vm_swapout_run() calls that requested a vmdaemon swapout") \
	X(vmdaemon_wakeups, "vmdaemon wakeups (at most one per second)") \
	X(swapout_idle_requests, "vm_swapout_run_idle() requests") \
	X(speedup_syncer, "speedup_syncer() calls") \
	X(swap_write_fail, "pages whose swap write got FAIL (no space)") \
	X(swapoff_refused, "swapoff requests refused for lack of memory") \
	X(min_free_count, "lowest free page count seen (all domains)") \
	X(peak_unswappable, "largest PQ_UNSWAPPABLE population (all domains)") \
	X(peak_swap_used, "largest number of swap blocks in use")

struct vm_counters {
#define VM_COUNTER_FIELD(name, desc) uint64_t name;
	VM_COUNTERS(VM_COUNTER_FIELD)
#undef VM_COUNTER_FIELD
};

struct vm_counter_desc {
	const char *name;
	const char *description;
	size_t offset;		/* into struct vm_counters */
};

/* vm_counters_table() - the counters in report order; *n gets their number. */
const struct vm_counter_desc *vm_counters_table(size_t *n);

#endif
