/*
 * pmap.c - the machine-dependent page-table services as far as the page
 * daemon sees them (spec 4.4): one pv entry per (page, process) mapping
 * with the hardware's accessed (A) and modified (M) bits and the write
 * permission (W).  The amd64 behaviour is modelled.
 *
 * pv entries come from a pool that grows by doubling and recycles through
 * a free list, so a mapping costs no allocation in the steady state.
 */
#include "vm/vm_int.h"

#include <stdlib.h>

/* Grow the pool; false without memory (the pool is left as it was). */
static bool
pv_grow(struct vm_machine *m)
{
	struct vm_pv *n;
	uint32_t cap, i;

	cap = m->pv_cap != 0 ? m->pv_cap * 2 : 1024;
	if (cap <= m->pv_cap || cap == VM_NONE)
		return (false);
	n = realloc(m->pv, (size_t)cap * sizeof(*n));
	if (n == NULL)
		return (false);
	for (i = m->pv_cap; i < cap; i++) {
		n[i].next = i + 1 < cap ? i + 1 : m->pv_free;
		n[i].proc = VM_NONE;
		n[i].bits = 0;
	}
	m->pv_free = m->pv_cap;
	m->pv = n;
	m->pv_cap = cap;
	return (true);
}

static inline void
pv_free(struct vm_machine *m, uint32_t e)
{
	m->pv[e].next = m->pv_free;
	m->pv[e].proc = VM_NONE;
	m->pv_free = e;
}

/*
 * vm_pmap_access() - a load or store by proc: the MMU sets A (and M), or
 * traps to vm_fault() which (re)enters the mapping through pmap_enter().
 * The soft write fault dirties the page and drops its swap copy as
 * vm_fault() does (vm_page_dirty() + vm_pager_page_unswapped()), spec 6.5.
 * Without memory for a new pv entry the access is still counted as a
 * fault but leaves no mapping: the next access faults again.
 */
bool
vm_pmap_access(struct vm_machine *m, uint32_t proc, uint32_t page, bool write)
{
	struct vm_page *p;
	struct vm_pv *pv;
	uint32_t e;

	p = &m->pages[page];
	for (e = p->pv; e != VM_NONE; e = m->pv[e].next)
		if (m->pv[e].proc == proc)
			break;
	if (e != VM_NONE) {
		pv = &m->pv[e];
		if (!write) {
			pv->bits |= PV_A;
			return (false);
		}
		if ((pv->bits & PV_W) != 0) {
			pv->bits |= PV_A | PV_M;
			return (false);
		}
		pv->bits |= PV_W | PV_A | PV_M;
	} else {
		if (m->pv_free == VM_NONE && !pv_grow(m))
			return (true);
		e = m->pv_free;
		pv = &m->pv[e];
		m->pv_free = pv->next;
		pv->proc = proc;
		/*
		 * vm_fault() maps with the entry's protection: a read fault
		 * on a writable (non-copy-on-write) mapping maps the page
		 * writable with M clear, so a later write just sets M and
		 * the page is found dirty by the next scan or cluster
		 * (vm_fault_dirty() dirties and unswaps on write faults only).
		 */
		pv->bits = write ? PV_W | PV_A | PV_M : PV_W | PV_A;
		pv->next = p->pv;
		p->pv = e;
		if (!write)
			return (true);
	}
	p->dirty = VM_PAGE_BITS_ALL;
	if (p->object != VM_NONE)
		vm_swap_release(m, p->object, p->pindex);
	return (true);
}

/*
 * vm_pmap_ts_referenced() - model of amd64 pmap_ts_referenced(): counts
 * and clears at most PMAP_TS_REFERENCED_MAX A bits (the rest stay set for
 * the next call) and moves a writable mapping's M into the page's dirty
 * field.
 */
int
vm_pmap_ts_referenced(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	struct vm_pv *pv;
	uint32_t e;
	int n;

	p = &m->pages[page];
	n = 0;
	for (e = p->pv; e != VM_NONE; e = pv->next) {
		pv = &m->pv[e];
		if ((pv->bits & (PV_W | PV_M)) == (PV_W | PV_M))
			p->dirty = VM_PAGE_BITS_ALL;
		if ((pv->bits & PV_A) != 0 && n < PMAP_TS_REFERENCED_MAX) {
			pv->bits &= (uint8_t)~PV_A;
			n++;
		}
	}
	return (n);
}

bool
vm_pmap_is_modified(const struct vm_machine *m, uint32_t page)
{
	uint32_t e;

	for (e = m->pages[page].pv; e != VM_NONE; e = m->pv[e].next)
		if ((m->pv[e].bits & PV_M) != 0)
			return (true);
	return (false);
}

/* vm_page_test_dirty() - model of vm_page_test_dirty(); M is kept. */
void
vm_page_test_dirty(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->dirty != VM_PAGE_BITS_ALL && vm_pmap_is_modified(m, page))
		p->dirty = VM_PAGE_BITS_ALL;
}

/*
 * vm_pmap_remove_write() - model of pmap_remove_write(): clearing RW and
 * M together, the kernel first saves M into the page.
 */
void
vm_pmap_remove_write(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	struct vm_pv *pv;
	uint32_t e;

	p = &m->pages[page];
	for (e = p->pv; e != VM_NONE; e = pv->next) {
		pv = &m->pv[e];
		if ((pv->bits & PV_M) != 0)
			p->dirty = VM_PAGE_BITS_ALL;
		pv->bits &= (uint8_t)~(PV_W | PV_M);
	}
}

/* vm_pmap_remove_all() - model of pmap_remove_all(). */
void
vm_pmap_remove_all(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	uint32_t e, next;

	p = &m->pages[page];
	for (e = p->pv; e != VM_NONE; e = next) {
		next = m->pv[e].next;
		if ((m->pv[e].bits & PV_M) != 0)
			p->dirty = VM_PAGE_BITS_ALL;
		if ((m->pv[e].bits & PV_A) != 0)
			p->aflags |= PGA_REFERENCED;
		pv_free(m, e);
	}
	p->pv = VM_NONE;
}

bool
vm_page_mapped(const struct vm_machine *m, uint32_t page)
{
	return (m->pages[page].pv != VM_NONE);
}

/*
 * vm_page_act_delta() - S:1270-1280: the software reference bit counts
 * one, and the pmap is asked only when the object is mapped at all.
 */
int
vm_page_act_delta(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	int delta;

	p = &m->pages[page];
	delta = 0;
	if ((p->aflags & PGA_REFERENCED) != 0) {
		p->aflags &= (uint8_t)~PGA_REFERENCED;
		delta = 1;
	}
	if (p->object != VM_NONE && m->objects[p->object].ref_count != 0)
		delta += vm_pmap_ts_referenced(m, page);
	return (delta);
}
