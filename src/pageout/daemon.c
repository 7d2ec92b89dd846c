/*
 * daemon.c - the page daemon worker of one domain, vm_pageout_worker()
 * (S:1763-1841, spec 7.1-7.2), cut at its one blocking point: the
 * simulator runs pageout_worker_top(), waits as told, then runs
 * pageout_worker_scan().
 */
#include <string.h>

#include "pageout/pageout.h"

/* pageout_shared_init() - the static variables of vm_swapout.c at boot. */
void
pageout_shared_init(struct pageout_shared *sh, const struct pg_config *cfg)
{
	memset(sh, 0, sizeof(*sh));
	sh->kernel_cache_release_ppm = cfg->kernel_cache_release_ppm;
}

/*
 * vm_paging_needed() - model of vm_paging_needed() (vm_pagequeue.h): the
 * daemon must keep reclaiming while the free count is below the wakeup
 * threshold.
 */
static bool
vm_paging_needed(const struct vm_domain *vmd, uint32_t free_count)
{
	return (free_count < vmd->th.pageout_wakeup_thresh);
}

/*
 * pageout_worker_init() - model of the prologue of vm_pageout_worker(),
 * S:1770-1774, and of the PID set-up of vm_pageout_init_domain(),
 * S:1892-1897.  last_active_scan and the markers are the machine's
 * (vm_machine_create() did S:1783-1787).
 */
void
pageout_worker_init(struct pageout_worker *w, const struct vm_machine *m,
    uint32_t d)
{
	const struct vm_thresholds *th = &m->dom[d].th;

	memset(w, 0, sizeof(*w));
	w->domain = d;
	w->pass = 0;
	w->shortage = 0;
	w->target_met = true;
	/* pidctrl_init() multiplies the bound by setpoint and Kid itself. */
	pidctrl_init(&w->pid, th->pid_interval, th->pid_setpoint,
	    PIDCTRL_BOUND, PIDCTRL_KPD, PIDCTRL_KID, PIDCTRL_KDD);
}

/*
 * pageout_worker_top() - model of the top of the loop, S:1799-1822.
 * wanted is cleared before the free count is tested so that a waker that
 * finds it 0 afterwards is not lost (S:1795-1798).  Paging needed with
 * pass <= 1 does not wait at all (spec 7.2, D23).
 */
struct pd_decision
pageout_worker_top(struct vm_machine *m, struct pageout_worker *w)
{
	struct vm_domain *vmd = &m->dom[w->domain];
	struct pd_decision dec;
	int32_t timo;

	timo = m->sysctl.hz / VM_INACT_SCAN_RATE;
	vmd->pageout_wanted = 0;				/* S:1799 */
	if (vm_paging_needed(vmd, vmd->free_count)) {		/* S:1804 */
		if (w->pass > 1) {			/* S:1811-1812 */
			m->cnt.pd_pauses++;
			dec.wait = PD_WAIT_PAUSE;
			dec.ticks = timo;
		} else {
			dec.wait = PD_WAIT_NONE;
			dec.ticks = 0;
		}
	} else {
		/* S:1818-1820: a wakeup() ends the sleep early. */
		dec.wait = PD_WAIT_SLEEP;
		dec.ticks = timo;
	}
	return (dec);
}

/*
 * pageout_worker_scan() - model of the rest of the loop, S:1821-1840.
 * pass never decreases (spec 7.2): once the controller has asked for
 * pages it stays at least 1, once a scan failed at least 2.
 */
uint64_t
pageout_worker_scan(struct vm_machine *m, struct pageout_worker *w,
    struct pageout_shared *sh, const struct pageout_clock *clk, bool woken)
{
	struct vm_domain *vmd = &m->dom[w->domain];
	uint64_t visited;

	if (woken)						/* S:1821 */
		m->cnt.v_pdwakeups++;
	vmd->pageout_wanted = 1;				/* S:1824 */
	/* S:1830; the variant pidctrl-2018-06 has the later controller. */
	if ((m->variants & PG_VARIANT(PIDCTRL_2018_06)) != 0)
		w->shortage = pidctrl_daemon_2018(&w->pid,
		    (int32_t)vmd->free_count, clk->ticks);
	else
		w->shortage = pidctrl_daemon(&w->pid,
		    (int32_t)vmd->free_count, clk->ticks);
	if (w->shortage != 0 && w->pass == 0)		/* S:1831-1832 */
		w->pass = 1;
	visited = 0;
	w->target_met = vm_pageout_scan(m, sh, w->domain, w->pass,
	    w->shortage, clk, &visited);			/* S:1834 */
	if (!w->target_met)				/* S:1839-1840 */
		w->pass++;
	w->scans++;
	m->cnt.pd_scans++;
	return (visited);
}
