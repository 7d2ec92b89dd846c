/*
 * pmap.c - the machine-dependent page-table services as far as the page
 * daemon sees them (spec 4.4): one mapping per (page, process) with the
 * hardware's accessed (A) and modified (M) bits and the write permission
 * (W).  The amd64 behaviour is modelled.
 *
 * A mapping is one 32-bit word, the process slot above the PV_* bits
 * (VM_PV_ENTRY()).  The first mapping of a page lives in the page itself
 * (vm_page.pv), so a page mapped once, the common case, costs no other
 * memory and no other cache line; the second and later ones sit in one
 * vector of the pv cell pool (vm_page.pvx, vm_page.pvn mappings), in
 * the order they were made.  The kernel's pv list is newest first and the
 * model keeps that order where it matters (pmap_ts_referenced() clears
 * the first five A bits it meets): newest first is the vector from its
 * end, then the page's own word.
 *
 * The cell pool holds vectors of 2^k cells (k = VM_PV_CLASS_MIN ..
 * VM_PV_CLASSES - 1): a header cell with k, then up to 2^k - 1 mappings.
 * Freed vectors go on the free list of their class (through the cell
 * after the header) and are reused first, so the pool only grows to the
 * peak number of multiply mapped pages and never allocates in the steady
 * state.
 */
#include "vm/vm_int.h"
#include "util/grow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t
pvx_cap(const struct vm_machine *m, const struct vm_page *p)
{
	return ((UINT32_C(1) << m->pvc[p->pvx]) - 1);
}

/* A vector of class k; VM_NONE without memory. */
static uint32_t
pvx_alloc(struct vm_machine *m, uint32_t k)
{
	uint32_t *n, v, size;

	v = m->pvc_free[k];
	if (v != VM_NONE) {
		m->pvc_free[k] = m->pvc[v + 1];
		return (v);
	}
	size = UINT32_C(1) << k;
	/* At most 2^30 cells: a vector index stays far from VM_NONE. */
	n = pg_grow32(m->pvc, &m->pvc_cap, (size_t)m->pvc_len + size,
	    sizeof(*n), 4096, UINT32_C(1) << 30);
	if (n == NULL)
		return (VM_NONE);
	m->pvc = n;
	v = m->pvc_len;
	m->pvc_len += size;
	m->pvc[v] = k;
	return (v);
}

static void
pvx_free(struct vm_machine *m, uint32_t v)
{
	uint32_t k = m->pvc[v];

	m->pvc[v + 1] = m->pvc_free[k];
	m->pvc_free[k] = v;
}

/* The word of proc's mapping of p, or NULL. */
static inline uint32_t *
pv_find(const struct vm_machine *m, struct vm_page *p, uint32_t proc)
{
	uint32_t *e, i;

	if (p->pv == VM_NONE)
		return (NULL);
	if (VM_PV_PROC(p->pv) == proc)
		return (&p->pv);
	e = vm_pv_vector(m, p);
	for (i = 0; i < p->pvn; i++)
		if (VM_PV_PROC(e[i]) == proc)
			return (&e[i]);
	return (NULL);
}

/* Add a mapping (the newest); false without memory. */
static bool
pv_add(struct vm_machine *m, struct vm_page *p, uint32_t word)
{
	uint32_t v, k;

	if (p->pv == VM_NONE) {
		p->pv = word;
		return (true);
	}
	if (p->pvn == 0) {
		if ((v = pvx_alloc(m, VM_PV_CLASS_MIN)) == VM_NONE)
			return (false);
		p->pvx = v;
	} else if (p->pvn == pvx_cap(m, p)) {
		k = m->pvc[p->pvx] + 1;
		if (k >= VM_PV_CLASSES || (v = pvx_alloc(m, k)) == VM_NONE)
			return (false);
		/* pvx_alloc() may have moved the pool: index, not pointers. */
		memcpy(&m->pvc[v + 1], vm_pv_vector(m, p),
		    (size_t)p->pvn * sizeof(uint32_t));
		pvx_free(m, p->pvx);
		p->pvx = v;
	}
	vm_pv_vector(m, p)[p->pvn++] = word;
	return (true);
}

/* Drop the mapping at e (a word of p), keeping the others' order. */
static void
pv_del(struct vm_machine *m, struct vm_page *p, uint32_t *e)
{
	uint32_t *x, i;

	if (p->pvn == 0) {
		p->pv = VM_NONE;
		return;
	}
	x = vm_pv_vector(m, p);
	if (e == &p->pv) {
		/* The oldest of the others becomes the page's own word. */
		p->pv = x[0];
		i = 0;
	} else
		i = (uint32_t)(e - x);
	memmove(&x[i], &x[i + 1], (size_t)(p->pvn - i - 1) * sizeof(*x));
	if (--p->pvn == 0) {
		pvx_free(m, p->pvx);
		p->pvx = VM_NONE;
	}
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
	uint32_t *e;

	p = &m->pages[page];
	e = pv_find(m, p, proc);
	if (e != NULL) {
		if (!write) {
			*e |= PV_A;
			return (false);
		}
		if ((*e & PV_W) != 0) {
			*e |= PV_A | PV_M;
			return (false);
		}
		*e |= PV_W | PV_A | PV_M;
	} else {
		/*
		 * vm_fault() maps with the entry's protection: a read fault
		 * on a writable (non-copy-on-write) mapping maps the page
		 * writable with M clear, so a later write just sets M and
		 * the page is found dirty by the next scan or cluster
		 * (vm_fault_dirty() dirties and unswaps on write faults only).
		 */
		if (!pv_add(m, p, VM_PV_ENTRY(proc,
		    write ? PV_W | PV_A | PV_M : PV_W | PV_A)))
			return (true);
		if (!write)
			return (true);
	}
	p->dirty = VM_PAGE_BITS_ALL;
	if (p->object != VM_NONE)
		vm_swap_release(m, p->object, p->pindex);
	return (true);
}

bool
vm_pmap_would_fault(const struct vm_machine *m, uint32_t proc, uint32_t page,
    bool write)
{
	const uint32_t *e;

	e = pv_find(m, &m->pages[page], proc);
	if (e == NULL)
		return (true);
	return (write && (*e & PV_W) == 0);
}

int
vm_pmap_bits(const struct vm_machine *m, uint32_t proc, uint32_t page)
{
	const uint32_t *e;

	e = pv_find(m, &m->pages[page], proc);
	return (e == NULL ? -1 : (int)(*e & VM_PV_BITS));
}

void
vm_pmap_set_bits(struct vm_machine *m, uint32_t proc, uint32_t page,
    uint8_t bits)
{
	uint32_t *e;

	e = pv_find(m, &m->pages[page], proc);
	if (e != NULL)
		*e = VM_PV_ENTRY(proc, bits);
}

/* ts_referenced() of one mapping word; n counts the A bits cleared. */
static inline void
ts_one(struct vm_page *p, uint32_t *e, int *n)
{
	if ((*e & (PV_W | PV_M)) == (PV_W | PV_M))
		p->dirty = VM_PAGE_BITS_ALL;
	if ((*e & PV_A) != 0 && *n < PMAP_TS_REFERENCED_MAX) {
		*e &= ~(uint32_t)PV_A;
		(*n)++;
	}
}

/*
 * vm_pmap_ts_referenced() - model of amd64 pmap_ts_referenced(): counts
 * and clears at most PMAP_TS_REFERENCED_MAX A bits, newest mapping first
 * (the rest stay set for the next call), and moves a writable mapping's
 * M into the page's dirty field.
 */
int
vm_pmap_ts_referenced(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	uint32_t *x, i;
	int n;

	p = &m->pages[page];
	n = 0;
	if (p->pv == VM_NONE)
		return (0);
	if (p->pvn != 0) {
		x = vm_pv_vector(m, p);
		for (i = p->pvn; i > 0; i--)
			ts_one(p, &x[i - 1], &n);
	}
	ts_one(p, &p->pv, &n);
	return (n);
}

bool
vm_pmap_is_modified(const struct vm_machine *m, uint32_t page)
{
	const struct vm_page *p = &m->pages[page];
	const uint32_t *x;
	uint32_t i, any;

	if (p->pv == VM_NONE)
		return (false);
	any = p->pv;
	if (p->pvn != 0) {
		x = vm_pv_vector(m, p);
		for (i = 0; i < p->pvn; i++)
			any |= x[i];
	}
	return ((any & PV_M) != 0);
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
	uint32_t *x, i, any;

	p = &m->pages[page];
	if (p->pv == VM_NONE)
		return;
	any = p->pv;
	p->pv &= ~(uint32_t)(PV_W | PV_M);
	if (p->pvn != 0) {
		x = vm_pv_vector(m, p);
		for (i = 0; i < p->pvn; i++) {
			any |= x[i];
			x[i] &= ~(uint32_t)(PV_W | PV_M);
		}
	}
	if ((any & PV_M) != 0)
		p->dirty = VM_PAGE_BITS_ALL;
}

/* vm_pmap_remove_all() - model of pmap_remove_all(). */
void
vm_pmap_remove_all(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;
	uint32_t *x, i, any;

	p = &m->pages[page];
	if (p->pv == VM_NONE)
		return;
	any = p->pv;
	if (p->pvn != 0) {
		x = vm_pv_vector(m, p);
		for (i = 0; i < p->pvn; i++)
			any |= x[i];
		pvx_free(m, p->pvx);
		p->pvx = VM_NONE;
		p->pvn = 0;
	}
	if ((any & PV_M) != 0)
		p->dirty = VM_PAGE_BITS_ALL;
	if ((any & PV_A) != 0)
		p->aflags |= PGA_REFERENCED;
	p->pv = VM_NONE;
}

/*
 * vm_pmap_remove_proc() - pmap_remove() of proc's mapping of page: A
 * becomes PGA_REFERENCED and M dirty, so nothing is lost.
 */
void
vm_pmap_remove_proc(struct vm_machine *m, uint32_t proc, uint32_t page)
{
	struct vm_page *p;
	uint32_t *e;

	p = &m->pages[page];
	e = pv_find(m, p, proc);
	if (e == NULL)
		return;
	if ((*e & PV_A) != 0)
		p->aflags |= PGA_REFERENCED;
	if ((*e & PV_M) != 0)
		p->dirty = VM_PAGE_BITS_ALL;
	pv_del(m, p, e);
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

void
vm_pmap_init(struct vm_machine *m)
{
	uint32_t k;

	m->pvc = NULL;
	m->pvc_len = m->pvc_cap = 0;
	for (k = 0; k < VM_PV_CLASSES; k++)
		m->pvc_free[k] = VM_NONE;
}

void
vm_pmap_fini(struct vm_machine *m)
{
	free(m->pvc);
	vm_pmap_init(m);
}

int
vm_pmap_check(const struct vm_machine *m, struct pg_error *err)
{
	const struct vm_page *p;
	uint64_t used, nfree, steps;
	uint32_t page, k, v, i;

	used = 0;
	for (page = 0; page < m->npages; page++) {
		if (vm_page_fresh(m, page))
			continue;
		p = &m->pages[page];
		if (p->pvn == 0)
			continue;
		if (p->pv == VM_NONE || p->pvx >= m->pvc_len ||
		    m->pvc[p->pvx] < VM_PV_CLASS_MIN ||
		    m->pvc[p->pvx] >= VM_PV_CLASSES ||
		    p->pvn > pvx_cap(m, p))
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "page %u: bad pv vector %u (%u mappings)", page,
			    p->pvx, p->pvn));
		used += UINT64_C(1) << m->pvc[p->pvx];
		for (i = 0; i < p->pvn; i++)
			if (VM_PV_PROC(vm_pv_vector(m, p)[i]) == VM_PV_PROC(p->pv))
				return (pg_error_setv(err, -EFAULT, "",
				    PG_POS_NONE, 0, "page %u mapped twice by "
				    "process slot %u", page, VM_PV_PROC(p->pv)));
	}
	nfree = 0;
	for (k = 0; k < VM_PV_CLASSES; k++) {
		steps = 0;
		for (v = m->pvc_free[k]; v != VM_NONE; v = m->pvc[v + 1]) {
			if (v >= m->pvc_len || m->pvc[v] != k ||
			    ++steps > m->pvc_len)
				return (pg_error_setv(err, -EFAULT, "",
				    PG_POS_NONE, 0, "pv pool: free list of "
				    "class %u broken at %u", k, v));
			nfree += UINT64_C(1) << k;
		}
	}
	if (used + nfree != m->pvc_len)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "pv pool: %" PRIu64 " cells in use + %" PRIu64
		    " free != %u", used, nfree, m->pvc_len));
	return (0);
}
