/*
 * thresholds.c - model of vm_pageout_init() and vm_pageout_init_domain(),
 * S:1848-1937, spec section 3.
 */
#include "vm/thresholds.h"

#include <string.h>

#define PIDCTRL_BOUND 4		/* sys/pidctrl.h, spec section 2.1 */
#define PIDCTRL_KID 4

uint32_t
vm_ppc_for(uint64_t total_pages)
{
	return (pg_ppc_for(total_pages));			/* S:1909-1910 */
}

void
vm_thresholds_compute(uint32_t page_count, uint32_t free_count_init,
    uint32_t ppc, int32_t hz, struct vm_thresholds *th)
{
	uint32_t fm0;

	memset(th, 0, sizeof(*th));
	th->page_count = page_count;
	th->free_count_init = free_count_init;
	th->interrupt_free_min = VM_INTERRUPT_FREE_MIN;		/* S:1854 */
	/* S:1861-1870 in conf/pageout_init.h, which conf_check() uses too. */
	fm0 = pg_fm0(page_count);				/* S:1861-1864 */
	th->fm0 = fm0;
	th->pageout_free_min = pg_pageout_free_min();		/* S:1865 */
	th->free_reserved = pg_free_reserved(page_count, ppc);	/* S:1867 */
	th->free_severe = fm0 / 2 + th->free_reserved;		/* S:1869, S:1872 */
	th->free_target = pg_free_target(page_count, ppc);	/* S:1870 */
	th->free_min = fm0 + th->free_reserved;			/* S:1871 */
	th->inactive_target = (3 * th->free_target) / 2;	/* S:1873 */
	if (th->inactive_target > free_count_init / 3)		/* S:1874 */
		th->inactive_target = free_count_init / 3;
	/* S:1881: divide first, then multiply. */
	th->pageout_wakeup_thresh = (th->free_target / 10) * 9;
	th->background_launder_target =
	    (th->free_target - th->free_min) / 10;		/* S:1888 */
	/* S:1892-1894 and pidctrl_init(): bound = BOUND * setpoint * Kid. */
	th->pid_setpoint = (int32_t)th->free_target;
	th->pid_interval = hz / VM_INACT_SCAN_RATE;
	th->pid_bound = PIDCTRL_BOUND * th->pid_setpoint * PIDCTRL_KID;
}

void
vm_layout_compute(const struct pg_config *cfg, struct vm_layout *out)
{
	uint64_t wired_pages, cache_pages;
	uint32_t i, n, fc0;

	memset(out, 0, sizeof(*out));
	n = cfg->domains;
	out->ndomains = n;
	out->total_pages = cfg->memory_bytes / PG_PAGE_SIZE;
	out->swap_pages = cfg->swap_bytes / PG_PAGE_SIZE;
	out->ppc = vm_ppc_for(out->total_pages);
	wired_pages = (cfg->kernel_wired_bytes + PG_PAGE_SIZE - 1) / PG_PAGE_SIZE;
	cache_pages = (cfg->kernel_cache_bytes + PG_PAGE_SIZE - 1) / PG_PAGE_SIZE;
	out->pageout_update_period = cfg->sysctl.pageout_update_period != 0 ?
	    cfg->sysctl.pageout_update_period : 600;		/* S:1933-1934 */
	for (i = 0; i < n; i++) {
		out->page_count[i] = (uint32_t)pg_domain_share(
		    out->total_pages, n, i);
		out->kernel_wired[i] = (uint32_t)pg_domain_share(wired_pages,
		    n, i);
		out->kernel_cache[i] = (uint32_t)pg_domain_share(cache_pages,
		    n, i);
		fc0 = out->page_count[i] - out->kernel_wired[i] -
		    out->kernel_cache[i];
		vm_thresholds_compute(out->page_count[i], fc0, out->ppc,
		    cfg->sysctl.hz, &out->th[i]);
		out->v_free_reserved += out->th[i].free_reserved;
		out->v_free_target += out->th[i].free_target;
		out->v_free_min += out->th[i].free_min;
		out->v_inactive_target += out->th[i].inactive_target;
		out->v_pageout_free_min += out->th[i].pageout_free_min;
		out->v_interrupt_free_min += out->th[i].interrupt_free_min;
		out->v_free_severe += out->th[i].free_severe;
	}
}
