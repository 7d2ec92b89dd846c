/*
 * alloc.c - reserving, allocating and freeing pages (spec 6), with the
 * wakeups the kernel issues on the way recorded in m->notify.
 *
 * The free list of a domain is a LIFO stack through vm_page.qnext: a page
 * freed last is allocated first, as the buddy allocator's order-0 lists
 * behave.  There is no per-domain page cache (spec 6.6, 12.13).  At
 * boot the list is every managed page in ascending order; since pages
 * leave from the head and come back to the head, the pages never
 * allocated are always its tail, in that order.  That tail is kept as a
 * range (vm_domain.fresh_next, fresh_end), not as links: its page
 * structs are first written when allocated, and the order of
 * allocation is the one the full list gives.
 */
#include "vm/vm_int.h"

#include <string.h>

static uint64_t
free_total(const struct vm_machine *m)
{
	uint64_t sum;
	uint32_t d;

	sum = 0;
	for (d = 0; d < m->ndomains; d++)
		sum += m->dom[d].free_count;
	return (sum);
}

/*
 * vm_pagedaemon_wakeup() - model of pagedaemon_wakeup(), S:1979-1994:
 * only the caller that finds pageout_wanted at 0 issues the wakeup().
 */
void
vm_pagedaemon_wakeup(struct vm_machine *m, uint32_t d, bool from_pagedaemon)
{
	struct vm_domain *vmd;

	if (from_pagedaemon)
		return;
	vmd = &m->dom[d];
	if (vmd->pageout_wanted++ == 0) {
		vmd->pageout_wanted = 1;
		m->notify.pd_wakeup |= (uint64_t)1 << d;
	}
}

/*
 * vm_domain_allocate() - model of vm_domain_allocate() (spec 6.1), with
 * vm_domain_set() for the min and severe sets.
 */
bool
vm_domain_allocate(struct vm_machine *m, uint32_t d, int req,
    bool from_pagedaemon, uint32_t npages)
{
	struct vm_domain *vmd;
	uint64_t total;
	uint32_t limit, old, new;
	int class;

	vmd = &m->dom[d];
	class = req & 3;
	/* The page daemon is allowed to dig deeper into the free list. */
	if (from_pagedaemon && class != VM_ALLOC_INTERRUPT)
		class = VM_ALLOC_SYSTEM;
	if (class == VM_ALLOC_INTERRUPT)
		limit = 0;
	else if (class == VM_ALLOC_SYSTEM)
		limit = vmd->th.interrupt_free_min;
	else
		limit = vmd->th.free_reserved;
	old = vmd->free_count;
	if ((uint64_t)old < (uint64_t)limit + npages)
		return (false);
	new = old - npages;
	vmd->free_count = new;

	/* Only the crossing of the threshold wakes the daemon. */
	if (new < vmd->th.pageout_wakeup_thresh &&
	    old >= vmd->th.pageout_wakeup_thresh)
		vm_pagedaemon_wakeup(m, d, from_pagedaemon);
	/* vm_domain_set(): only on transitions, only if really below. */
	if ((old >= vmd->th.free_min && new < vmd->th.free_min) ||
	    (old >= vmd->th.free_severe && new < vmd->th.free_severe)) {
		if (new < vmd->th.free_min)
			m->min_domains |= (uint64_t)1 << d;
		if (new < vmd->th.free_severe)
			m->severe_domains |= (uint64_t)1 << d;
	}
	total = free_total(m);
	if (total < m->cnt.min_free_count)
		m->cnt.min_free_count = total;
	return (true);
}

/*
 * vm_domain_clear() - model of vm_domain_clear(): leave the min and
 * severe sets when no longer below, waking their sleepers; tell the page
 * daemon's own vm_wait() that pageout_free_min is reached.
 */
static void
vm_domain_clear(struct vm_machine *m, uint32_t d)
{
	struct vm_domain *vmd;
	uint64_t bit;

	vmd = &m->dom[d];
	bit = (uint64_t)1 << d;
	if ((m->min_domains & bit) != 0 && vmd->free_count >= vmd->th.free_min) {
		m->min_domains &= ~bit;
		m->notify.min_waiters = true;
	}
	if ((m->severe_domains & bit) != 0 &&
	    vmd->free_count >= vmd->th.free_severe)
		m->severe_domains &= ~bit;
	if (vmd->free_count >= vmd->th.pageout_free_min)
		m->notify.pd_free_waiters = true;
}

/*
 * vm_domain_freecnt_inc() - model of vm_domain_freecnt_inc()
 * (vm_pagequeue.h, 2018): vm_domain_clear() runs only on a transition
 * out of a region below free_min.
 */
void
vm_domain_freecnt_inc(struct vm_machine *m, uint32_t d, uint32_t n)
{
	struct vm_domain *vmd;
	uint32_t old, new;

	vmd = &m->dom[d];
	old = vmd->free_count;
	new = old + n;
	vmd->free_count = new;
	if (old < vmd->th.free_min && (new >= vmd->th.free_min ||
	    (old < vmd->th.free_severe && new >= vmd->th.free_severe) ||
	    (old < vmd->th.pageout_free_min &&
	    new >= vmd->th.pageout_free_min)))
		vm_domain_clear(m, d);
}

/*
 * The head of vmd's free list; when only never-allocated pages are left,
 * the lowest of them is written and linked as the head first.
 */
static uint32_t
free_list_head(struct vm_machine *m, struct vm_domain *vmd)
{
	struct vm_page *p;

	if (vmd->free_head == VM_NONE && vmd->fresh_next < vmd->fresh_end) {
		p = &m->pages[vmd->fresh_next];
		vm_page_init(p, (uint8_t)vmd->index);
		p->flags = PG_FREE;
		vmd->free_head = vmd->fresh_next++;
	}
	return (vmd->free_head);
}

/*
 * vm_page_alloc() - model of vm_page_alloc() with a round-robin domain
 * iterator and no waiting: the caller sleeps (vm_wait) and retries.
 * The page's valid bits stay 0: the caller fills it (zero-fill or read)
 * and sets valid.
 */
uint32_t
vm_page_alloc(struct vm_machine *m, uint32_t obj, uint32_t pindex, int req,
    bool from_pagedaemon)
{
	struct vm_object *o;
	struct vm_domain *vmd;
	struct vm_page *p;
	uint32_t i, d, start, page;

	o = &m->objects[obj];
	start = o->domain_rr % m->ndomains;
	o->domain_rr = (start + 1) % m->ndomains;
	for (i = 0; i < m->ndomains; i++) {
		d = (start + i) % m->ndomains;
		vmd = &m->dom[d];
		if (!vm_domain_allocate(m, d, req, from_pagedaemon, 1)) {
			/* vm_domain_alloc_fail(): VM_ALLOC_COUNT hint 0 -> 1. */
			vmd->pageout_deficit += 1;
			continue;
		}
		page = free_list_head(m, vmd);
		if (page == VM_NONE) {
			/* Cannot happen while the free list matches free_count. */
			vm_domain_freecnt_inc(m, d, 1);
			continue;
		}
		p = &m->pages[page];
		if (vm_page_insert_object(m, page, obj, pindex) != 0) {
			/* No memory for the page index: the run fails. */
			m->notify.nomem = true;
			vm_domain_freecnt_inc(m, d, 1);
			return (VM_NONE);
		}
		vmd->free_head = p->qnext;
		p->qnext = VM_NONE;
		p->flags = 0;
		p->aflags = 0;
		p->act_count = 0;
		p->dirty = 0;
		p->valid = 0;
		p->busy = VPB_UNBUSIED;
		p->wire_count = 0;
		p->hold_count = 0;
		p->queue = PQ_NONE;
		p->pv = p->pvx = VM_NONE;
		p->pvn = 0;
		return (page);
	}
	return (VM_NONE);
}

/* vm_page_free_phys() - the page goes on its domain's free list. */
void
vm_page_free_phys(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	struct vm_domain *vmd;

	p = &m->pages[page];
	vmd = &m->dom[p->domain];
	p->flags = PG_FREE;
	p->aflags = 0;
	p->act_count = 0;
	p->busy = VPB_UNBUSIED;
	p->hold_count = 0;
	p->wire_count = 0;
	p->qnext = vmd->free_head;
	vmd->free_head = page;
	vm_domain_freecnt_inc(m, p->domain, 1);
}

/* Finish a free deferred by a hold or a busy once both are gone. */
static void
free_deferred_done(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if ((p->flags & (PG_UNHOLDFREE | PG_FREEBUSY)) == 0 ||
	    p->hold_count != 0 || p->busy != VPB_UNBUSIED)
		return;
	/* An I/O completion may have requeued the page meanwhile. */
	vm_pagequeue_remove(m, page);
	vm_pmap_remove_all(m, page);
	vm_page_free_phys(m, page);
}

/*
 * vm_page_free() - model of vm_page_free_toq() (spec 6.6).  The kernel
 * panics on a busy or wired page; the model defers a busy page's free to
 * vm_page_unbusy() (an object destroyed under I/O, spec 12.9) and drops a
 * wiring, since the trace discards the contents anyway.
 */
void
vm_page_free(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if ((p->flags & (PG_FREE | PG_MARKER | PG_UNHOLDFREE |
	    PG_FREEBUSY)) != 0)
		return;
	m->cnt.v_tfree++;
	vm_pagequeue_remove(m, page);
	vm_pmap_remove_all(m, page);
	vm_page_remove_object(m, page);
	p->valid = 0;
	p->dirty = 0;
	p->aflags = 0;
	p->act_count = 0;
	p->wire_count = 0;
	if (p->hold_count != 0)
		p->flags |= PG_UNHOLDFREE;
	if (p->busy != VPB_UNBUSIED)
		p->flags |= PG_FREEBUSY;
	if ((p->flags & (PG_UNHOLDFREE | PG_FREEBUSY)) != 0)
		return;
	vm_page_free_phys(m, page);
}

/* vm_page_unbusy() - vm_page_sunbusy() or vm_page_xunbusy(). */
void
vm_page_unbusy(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->busy == VPB_EXCLUSIVE)
		p->busy = VPB_UNBUSIED;
	else if (p->busy != VPB_UNBUSIED)
		p->busy--;
	if (p->busy == VPB_UNBUSIED)
		free_deferred_done(m, page);
}

void
vm_page_hold(struct vm_machine *m, uint32_t page)
{
	m->pages[page].hold_count++;
}

/* vm_page_unhold() - model of vm_page_unhold(): PG_UNHOLDFREE completes. */
void
vm_page_unhold(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->hold_count == 0)
		return;
	if (--p->hold_count == 0)
		free_deferred_done(m, page);
}

/* vm_page_wire() - seed era: the page stays queued; scans dequeue it lazily. */
void
vm_page_wire(struct vm_machine *m, uint32_t page)
{
	m->pages[page].wire_count++;
}

/*
 * vm_page_unwire() - model of vm_page_unwire(m, PQ_ACTIVE) of the lazy-
 * dequeue era (late 2017 - April 2018), as munlock's vm_fault_unwire()
 * calls it: at the last unwiring a page already on ACTIVE is only
 * referenced; any other page (on another queue, or taken off its queue by
 * a scan, S:1194-1202) is dequeued and put on the ACTIVE tail with its
 * act_count raised to at least ACT_INIT.
 */
void
vm_page_unwire(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->wire_count == 0)
		return;
	if (--p->wire_count != 0 || p->object == VM_NONE)
		return;
	if (p->queue == PQ_ACTIVE) {
		p->aflags |= PGA_REFERENCED;
		return;
	}
	vm_page_dequeue(m, page);
	vm_page_enqueue(m, PQ_ACTIVE, page);
	vm_page_activate(m, page);
}

bool
vm_page_count_severe(const struct vm_machine *m)
{
	return (m->severe_domains != 0);
}

bool
vm_page_count_min(const struct vm_machine *m)
{
	return (m->min_domains != 0);
}

bool
vm_page_count_min_all(const struct vm_machine *m)
{
	uint64_t all;

	all = m->ndomains >= 64 ? UINT64_MAX :
	    ((uint64_t)1 << m->ndomains) - 1;
	return ((m->min_domains & all) == all);
}

/*
 * vm_domain_kernel_cache_release() - the kernel cache of domain d gives
 * back up to n pages (its vm_lowmem handler): they go on the free list
 * with vm_domain_freecnt_inc() and count in kernel_cache_released.
 * The cache's pages are the top of [kernel_wired, kernel_wired + cache)
 * of the domain, so it always shrinks from the top.
 */
uint32_t
vm_domain_kernel_cache_release(struct vm_machine *m, uint32_t d, uint32_t n)
{
	struct vm_domain *vmd;
	struct vm_page *p;
	uint32_t i, page;

	vmd = &m->dom[d];
	if (n > vmd->kernel_cache)
		n = vmd->kernel_cache;
	for (i = 0; i < n; i++) {
		page = vmd->first_page + vmd->kernel_wired +
		    vmd->kernel_cache - 1;
		vmd->kernel_cache--;
		p = &m->pages[page];
		p->flags = PG_FREE;
		p->qnext = vmd->free_head;
		vmd->free_head = page;
	}
	if (n > 0)
		vm_domain_freecnt_inc(m, d, n);
	m->cnt.kernel_cache_released += n;
	return (n);
}
