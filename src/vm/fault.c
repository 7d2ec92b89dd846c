/*
 * fault.c - model of the page fault handler, vm_fault() of vm_fault.c,
 * for the trace's fault/dirty/wire accesses (spec 6.5, 12.10): the soft
 * fault through the pmap, the sleep on a busy page, the free_severe gate
 * and vm_waitpfault() of a fault that gets no page, the zero fill, and the
 * read of a page from swap (swap_pager_getpages()) or from its file
 * (vnode_pager_getpages()) with the page exclusive-busy meanwhile.
 *
 * The handler is resumable the way the page daemon's threads are: it
 * returns what it waits for (enum vm_fault_status) and the simulator,
 * which owns time, sleeps the process and calls back.  The machine's
 * pages and counters are written here only.
 */
#include "vm/fault.h"
#include "vm/vm_int.h"

#include <errno.h>

/* Would this access fault: no mapping by proc, or a write through a read-only one. */
static bool
would_fault(const struct vm_machine *m, uint32_t proc, uint32_t page,
    bool write)
{
	return (vm_pmap_would_fault(m, proc, page, write));
}

/*
 * The access through the pmap; true if it faulted.  A fault leaves proc
 * mapping the page unless the pv pool could not grow, which is the host's
 * memory failing, not the model's: -ENOMEM.
 */
static int
pmap_access(struct vm_machine *m, uint32_t proc, uint32_t page, bool write)
{
	if (!vm_pmap_access(m, proc, page, write))
		return (0);
	if (vm_pmap_bits(m, proc, page) < 0)
		return (-ENOMEM);
	return (1);
}

/*
 * Map a page just made valid for proc, then the access.  vm_fault() ends
 * with "wire it if the fault wires (mlock, the trace's `wire`), else
 * activate it": a wired page is not activated.  PHYS pages are wired.
 */
static int
fault_map(struct vm_machine *m, uint32_t proc, uint32_t page, bool write,
    bool wire)
{
	int rc;

	if (wire)
		vm_page_wire(m, page);
	if (m->objects[m->pages[page].object].type == OBJT_PHYS)
		vm_page_wire(m, page);
	else if (!wire)
		vm_page_activate(m, page);
	rc = pmap_access(m, proc, page, write);
	return (rc < 0 ? rc : 0);
}

/*
 * The resident page (obj, pindex), or VM_NONE.  The page a cell holds is
 * the one if its own fields name the place: a page's (object, pindex) is
 * set where it enters the object's trie and its object cleared where it
 * leaves (object.c), so the check is exact whatever the cell holds now.
 * Anything else walks the trie.
 */
static uint32_t
lookup_at_cell(const struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint32_t cell)
{
	uint32_t page = vm_radix_cell_value(m, cell);

	if (page < m->npages && m->pages[page].object == obj &&
	    m->pages[page].pindex == pindex)
		return (page);
	return (vm_page_lookup(m, obj, pindex));
}

int
vm_fault(struct vm_machine *m, uint32_t proc, uint32_t obj, uint32_t pindex,
    bool write, bool wire, struct vm_fault_info *info)
{
	return (vm_fault_at_cell(m, proc, obj, pindex, VM_NONE, write, wire,
	    info));
}

int
vm_fault_at_cell(struct vm_machine *m, uint32_t proc, uint32_t obj,
    uint32_t pindex, uint32_t cell, bool write, bool wire,
    struct vm_fault_info *info)
{
	uint32_t page;
	bool killed;
	int rc;

	info->page = VM_NONE;
	info->swap = false;
	info->hard = false;
	page = lookup_at_cell(m, obj, pindex, cell);
	if (page != VM_NONE) {
		if (m->pages[page].busy != VPB_UNBUSIED &&
		    would_fault(m, proc, page, write)) {
			/* A fault on a busy page sleeps until it is unbusied. */
			info->page = page;
			return (VM_FAULT_WAIT_BUSY);
		}
		rc = pmap_access(m, proc, page, write);
		if (rc < 0)
			return (rc);
		if (rc > 0) {
			/* Soft fault: T2 (spec 5.2), unless it wires. */
			m->cnt.faults_soft++;
			if (!wire)
				vm_page_activate(m, page);
		}
		/* mlock faults every page in with VM_FAULT_WIRE. */
		if (wire)
			vm_page_wire(m, page);
		return (VM_FAULT_DONE);
	}

	/* Spec 6.5 step 2: below free_severe a user fault does not allocate. */
	killed = (m->procs[proc].flags & P_KILLED) != 0;
	if (!killed && vm_page_count_severe(m))
		return (VM_FAULT_WAIT_MEM);
	page = vm_page_alloc(m, obj, pindex,
	    killed ? VM_ALLOC_SYSTEM : VM_ALLOC_NORMAL, false);
	if (page == VM_NONE)
		return (VM_FAULT_WAIT_MEM);
	info->swap = vm_swap_has(m, obj, pindex);
	if (info->swap || m->objects[obj].type == OBJT_VNODE) {
		/* The page is exclusive-busy while it is read, as in vm_fault. */
		m->pages[page].busy = VPB_EXCLUSIVE;
		info->page = page;
		return (VM_FAULT_WAIT_READ);
	}
	m->pages[page].valid = VM_PAGE_BITS_ALL;
	m->cnt.faults++;
	m->cnt.faults_zero_fill++;
	info->hard = true;
	rc = fault_map(m, proc, page, write, wire);
	return (rc < 0 ? rc : VM_FAULT_DONE);
}

uint32_t
vm_fault_prefetch_leaf(const struct vm_machine *m, uint32_t obj,
    uint32_t pindex)
{
	const uint32_t *cell;

	if ((cell = vm_radix_cell(m, obj, pindex)) == NULL)
		return (VM_NONE);
	__builtin_prefetch(cell);
	return ((uint32_t)(cell - m->rn));
}

void
vm_fault_prefetch_page(const struct vm_machine *m, uint32_t cell)
{
	uint32_t page;

	if ((page = vm_radix_cell_value(m, cell)) >= m->npages)
		return;
	vm_page_prefetch(m, page);
}

int
vm_fault_read_done(struct vm_machine *m, uint32_t proc, uint32_t page,
    bool swap, bool write, bool wire)
{
	struct vm_page *pg = &m->pages[page];

	if ((pg->flags & PG_FREEBUSY) != 0 || pg->object == VM_NONE) {
		/* Freed while read (free, unmap, exit): complete the free, retry. */
		vm_page_unbusy(m, page);
		return (VM_FAULT_AGAIN);
	}
	pg->valid = VM_PAGE_BITS_ALL;
	m->cnt.faults++;
	if (swap) {
		/* The swap block stays assigned; the page is clean (spec 6.5). */
		m->cnt.faults_swap++;
		m->cnt.v_swappgsin++;
	} else {
		m->cnt.faults_file++;
		m->cnt.v_vnodepgsin++;
	}
	vm_page_unbusy(m, page);
	if (proc == VM_NONE) {
		/* Its process is gone: the page stays cached, active. */
		vm_page_activate(m, page);
		return (VM_FAULT_DONE);
	}
	return (fault_map(m, proc, page, write, wire) < 0 ? -ENOMEM :
	    VM_FAULT_DONE);
}
