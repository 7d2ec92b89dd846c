/*
 * oom.c - the out-of-memory detector and killer of the page daemon,
 * vm_pageout_mightbe_oom() and vm_pageout_oom() (S:1543-1761, spec 10).
 */
#include <stdio.h>
#include <string.h>

#include "pageout/pageout.h"

/*
 * oom_trail_record() - remember this scan in the domain's ring for the
 * OOM explanation.  Reads the machine, writes only the ring: no counter
 * or decision of the model depends on it.  Fixed size, no allocation.
 */
static void
oom_trail_record(struct vm_machine *m, struct vm_domain *vmd,
    int32_t page_shortage, int32_t starting_page_shortage)
{
	struct vm_oom_scan *e = &vmd->oom_trail[vmd->oom_trail_next];

	e->time_ns = vmd->oom_now_ns;
	e->asked = starting_page_shortage;
	e->left = page_shortage;
	e->oom_seq = vmd->oom_seq;
	e->laundry_request = vmd->laundry_request;
	e->free_count = vmd->free_count;
	e->inactive = vmd->pq[PQ_INACTIVE].cnt;
	e->active = vmd->pq[PQ_ACTIVE].cnt;
	e->laundry = vmd->pq[PQ_LAUNDRY].cnt;
	e->unswappable = vmd->pq[PQ_UNSWAPPABLE].cnt;
	e->laundered = m->cnt.laundered_background +
	    m->cnt.laundered_shortfall;
	e->swap_used = vm_swap_used(m);
	vmd->oom_trail_next = (vmd->oom_trail_next + 1) % VM_OOM_TRAIL;
	if (vmd->oom_trail_n < VM_OOM_TRAIL)
		vmd->oom_trail_n++;
}

/*
 * oom_why_fill() - the explanation of a kill or panic decided now by
 * domain vmd: its trail of scans (oldest first) and the state of the
 * domain and of swap.  Record only, like oom_trail_record().
 */
static void
oom_why_fill(const struct vm_machine *m, const struct vm_domain *vmd,
    uint64_t victim_pages, bool panic, struct vm_oom_why *w)
{
	uint32_t i, first;

	memset(w, 0, sizeof(*w));
	w->time_ns = vmd->oom_now_ns;
	w->domain = vmd->index;
	w->ndomains = m->ndomains;
	w->pageout_oom_seq = m->sysctl.pageout_oom_seq;
	w->nscans = vmd->oom_trail_n;
	first = (vmd->oom_trail_next + VM_OOM_TRAIL - vmd->oom_trail_n) %
	    VM_OOM_TRAIL;
	for (i = 0; i < vmd->oom_trail_n; i++)
		w->scans[i] = vmd->oom_trail[(first + i) % VM_OOM_TRAIL];
	w->free_count = vmd->free_count;
	w->free_min = vmd->th.free_min;
	w->free_target = vmd->th.free_target;
	w->free_severe = vmd->th.free_severe;
	w->inactive = vmd->pq[PQ_INACTIVE].cnt;
	w->active = vmd->pq[PQ_ACTIVE].cnt;
	w->laundry = vmd->pq[PQ_LAUNDRY].cnt;
	w->unswappable = vmd->pq[PQ_UNSWAPPABLE].cnt;
	w->inactive_target = vmd->th.inactive_target;
	w->laundry_request = vmd->laundry_request;
	w->swap_used = vm_swap_used(m);
	w->swap_total = vm_swap_total(m);
	w->victim_pages = victim_pages;
	w->panic = panic;
}

/*
 * vm_pageout_mightbe_oom() - model of vm_pageout_mightbe_oom(),
 * S:1550-1598, spec 10.1 and D11.
 *
 * A scan is a failure when it wanted pages and its inactive pass freed
 * none.  After vm.pageout_oom_seq failures in a row the domain votes; the
 * vote that completes the quorum of all domains runs the killer and is
 * withdrawn at once.  A vote is withdrawn at the domain's next scan only
 * through the "oom_seq < pageout_oom_seq" branch, so with pageout_oom_seq
 * 1 a domain that fails again keeps its vote and with pageout_oom_seq
 * <= 0 no scan ever withdraws it (D11); this is the seed's behaviour and
 * is kept.  With the variant oom-instant-shortage a scan counts as a failure
 * only while the domain needs paging (vm_paging_needed()).
 */
void
vm_pageout_mightbe_oom(struct vm_machine *m, uint32_t d,
    int32_t page_shortage, int32_t shortage)
{
	struct vm_domain *vmd = &m->dom[d];
	int32_t old_vote, starting_page_shortage;
	uint32_t nkill, victim;

	starting_page_shortage = shortage;
	if (starting_page_shortage <= 0 ||
	    starting_page_shortage != page_shortage)	/* S:1556-1560 */
		vmd->oom_seq = 0;
	else if ((m->variants & PG_VARIANT(OOM_INSTANT_SHORTAGE)) != 0 &&
	    vmd->free_count >= vmd->th.pageout_wakeup_thresh)
		/*
		 * The variant oom-instant-shortage (FreeBSD 78546fb0e321): a
		 * failed scan while the domain does not need paging is the
		 * PID controller overshooting, not a shortage; start again.
		 */
		vmd->oom_seq = 0;
	else
		vmd->oom_seq++;
	oom_trail_record(m, vmd, page_shortage, starting_page_shortage);
	if (vmd->oom_seq < m->sysctl.pageout_oom_seq) {	/* S:1561-1567 */
		if (vmd->oom) {
			vmd->oom = false;
			m->pageout_oom_vote--;
		}
		return;
	}

	/* S:1573: start counting again, whatever the vote gives. */
	vmd->oom_seq = 0;
	if (vmd->oom)					/* S:1575-1576 */
		return;

	vmd->oom = true;				/* S:1578-1581 */
	old_vote = m->pageout_oom_vote++;
	m->cnt.oom_votes++;
	if (old_vote != (int32_t)m->ndomains - 1)
		return;

	/* This domain completes the quorum: kill, then recall the vote. */
	nkill = m->notify.nkill;
	victim = vm_pageout_oom(m);				/* S:1588 */
	if (victim != VM_NONE && m->notify.panic)
		oom_why_fill(m, vmd, vm_proc_size(m, victim), true,
		    &m->notify.panic_why);
	else if (victim != VM_NONE && m->notify.nkill > nkill)
		oom_why_fill(m, vmd, vm_proc_size(m, victim), false,
		    &m->notify.kill_why[nkill]);
	vmd->oom = false;				/* S:1596-1597 */
	m->pageout_oom_vote--;
}

/*
 * vm_pageout_oom() - model of vm_pageout_oom(VM_OOM_MEM), S:1659-1761,
 * spec 10.2.
 *
 * allproc is walked newest first.  What the model has no state for is
 * never a reason to skip: P_INEXEC, thread states, a missing vmspace and
 * a contended map lock (S:1685-1730) do not exist here.  The size is
 * vmspace_swap_count() + vm_pageout_oom_pagecount(), which
 * vm_proc_size() computes.  The strictly largest process wins, so a tie
 * keeps the one visited first and a process of size 0 is never chosen.
 * killproc() becomes a request to the simulator (notify.kill), which
 * carries out the exit; sched_nice() has no model.
 */
uint32_t
vm_pageout_oom(struct vm_machine *m)
{
	const struct vm_proc *pr;
	uint64_t size, bigsize;
	uint32_t p, bigproc;
	bool swap_avail;

	bigproc = VM_NONE;
	bigsize = 0;
	swap_avail = vm_swap_avail(m) != 0;
	for (p = m->allproc_head; p != VM_NONE; p = pr->allproc_next) {
		pr = &m->procs[p];
		/* S:1685-1691: system, protected, killed or exiting. */
		if (pr->state != PRS_NORMAL ||
		    (pr->flags & (P_PROTECTED | P_SYSTEM | P_WEXIT)) != 0 ||
		    pr->pid == 1 || (pr->flags & P_KILLED) != 0 ||
		    (pr->pid < 48 && swap_avail))
			continue;
		size = vm_proc_size(m, p);		/* S:1731-1733 */
		if (size > bigsize) {			/* S:1742-1749 */
			bigproc = p;
			bigsize = size;
		}
	}
	if (bigproc == VM_NONE)
		return (VM_NONE);
	if (m->sysctl.panic_on_oom != 0) {		/* S:1753-1754 */
		m->notify.panic = true;
		snprintf(m->notify.panic_reason,
		    sizeof(m->notify.panic_reason), "out of swap space");
		return (bigproc);
	}
	/* S:1755-1759: killproc(bigproc, "out of swap space"). */
	m->procs[bigproc].flags |= P_KILLED;
	PG_KASSERT(m->notify.nkill < VM_NOTIFY_KILLS_MAX,
	    ("OOM kill mailbox full (%u victims)", m->notify.nkill));
	if (m->notify.nkill < VM_NOTIFY_KILLS_MAX)
		m->notify.kill[m->notify.nkill++] = bigproc;
	m->cnt.oom_kills++;
	return (bigproc);
}
