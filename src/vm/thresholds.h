/*
 * thresholds.h - the machine's layout into domains and each domain's
 * paging thresholds, as vm_pageout_init() and vm_pageout_init_domain()
 * compute them (S:1848-1937, spec section 3).
 *
 * Pure functions of the configuration: used by the model at start-up and
 * by `pgreplay params`.
 */
#ifndef PGREPLAY_VM_THRESHOLDS_H
#define PGREPLAY_VM_THRESHOLDS_H

#include <stdint.h>

#include "conf/conf.h"
#include "conf/pageout_init.h"

#define VM_MAX_DOMAINS 64

/* Compile-time constants of the seed (spec section 2.1). */
#define VM_LAUNDER_RATE 10		/* S:148 */
#define VM_INACT_SCAN_RATE 10		/* S:149 */
#define VM_PAGEOUT_PAGE_COUNT PG_PAGEOUT_PAGE_COUNT		/* S:197 */
#define VM_PAGEOUT_PAGE_COUNT_TINY PG_PAGEOUT_PAGE_COUNT_TINY	/* S:1909-1910 */
#define VM_MAXBSIZE PG_MAXBSIZE
#define VM_INTERRUPT_FREE_MIN PG_INTERRUPT_FREE_MIN		/* S:1854 */

struct vm_thresholds {
	uint32_t page_count;		/* vmd_page_count */
	uint32_t free_count_init;	/* fc0: free pages when the daemon starts */
	uint32_t interrupt_free_min;
	uint32_t pageout_free_min;
	uint32_t free_reserved;
	uint32_t free_min;
	uint32_t free_severe;
	uint32_t free_target;
	uint32_t inactive_target;
	uint32_t pageout_wakeup_thresh;
	uint32_t background_launder_target;
	uint32_t fm0;			/* free_min before the reserve is added */
	int32_t pid_setpoint;		/* = free_target */
	int32_t pid_interval;		/* hz / VM_INACT_SCAN_RATE ticks */
	int32_t pid_bound;		/* PIDCTRL_BOUND * setpoint * PIDCTRL_KID */
};

/*
 * VM_THRESHOLD_FIELDS(X) - the fields of struct vm_thresholds, once for
 * every list of them: X(name, is_signed, report) in the order
 * `pgreplay params` prints them; report is the field's place in a run
 * report's domains[] (1 first, 0 not reported).  docs/report.md and
 * docs/configuration.md name them, and tests/docs checks that they do.
 */
#define VM_THRESHOLD_FIELDS(X) \
	X(page_count, 0, 1) \
	X(free_count_init, 0, 0) \
	X(interrupt_free_min, 0, 10) \
	X(pageout_free_min, 0, 9) \
	X(free_reserved, 0, 5) \
	X(free_min, 0, 2) \
	X(free_severe, 0, 4) \
	X(free_target, 0, 3) \
	X(inactive_target, 0, 6) \
	X(pageout_wakeup_thresh, 0, 7) \
	X(background_launder_target, 0, 8) \
	X(pid_setpoint, 1, 0) \
	X(pid_interval, 1, 0) \
	X(pid_bound, 1, 0)

/* The number of fields VM_THRESHOLD_FIELDS() gives a run report. */
#define VM_THRESHOLDS_REPORTED 10

/* How the configured memory is split among the domains at boot. */
struct vm_layout {
	uint32_t ndomains;
	uint32_t ppc;				/* vm_pageout_page_count */
	uint64_t total_pages;			/* v_page_count */
	uint32_t page_count[VM_MAX_DOMAINS];	/* pages in each domain */
	uint32_t kernel_wired[VM_MAX_DOMAINS];	/* of which wired by the kernel */
	uint32_t kernel_cache[VM_MAX_DOMAINS];	/* of which held by the kernel cache */
	uint64_t swap_pages;
	struct vm_thresholds th[VM_MAX_DOMAINS];
	/* Global sums, as vm_pageout_init() keeps them in vm_cnt (S:1913-1926). */
	uint64_t v_free_reserved, v_free_target, v_free_min, v_inactive_target,
	    v_pageout_free_min, v_interrupt_free_min, v_free_severe;
	int32_t pageout_update_period;		/* effective: 0 means 600 (S:1933) */
};

/*
 * vm_ppc_for() - vm_pageout_page_count for a machine of total_pages pages:
 * 8 below 2000 pages, else 32 (S:1909-1910).  Decided from the global
 * count before any domain is initialised.
 */
uint32_t vm_ppc_for(uint64_t total_pages);

/*
 * vm_thresholds_compute() - vm_pageout_init_domain() for one domain of
 * page_count pages with free_count_init free pages, given ppc and hz.
 * Fills th entirely.
 */
void vm_thresholds_compute(uint32_t page_count, uint32_t free_count_init,
    uint32_t ppc, int32_t hz, struct vm_thresholds *th);

/*
 * vm_layout_compute() - split cfg's memory, kernel wired memory and kernel
 * cache evenly among its domains (the first total % n domains get one page
 * more) and compute every domain's thresholds.  The configuration must
 * already be valid (conf_load() checks what this relies on).
 */
void vm_layout_compute(const struct pg_config *cfg, struct vm_layout *out);

#endif
