/*
 * oom.c - the out-of-memory detector and killer of the page daemon,
 * vm_pageout_mightbe_oom() and vm_pageout_oom() (S:1543-1761, spec 10).
 */
#include <stdio.h>

#include "pageout/pageout.h"

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
	(void)vm_pageout_oom(m);				/* S:1588 */
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
	if (m->notify.nkill < sizeof(m->notify.kill) /
	    sizeof(m->notify.kill[0]))
		m->notify.kill[m->notify.nkill++] = bigproc;
	m->cnt.oom_kills++;
	return (bigproc);
}
