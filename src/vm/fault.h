/*
 * fault.h - the page fault handler, vm_fault() of vm_fault.c, for one page
 * of a trace's fault/dirty/wire range (spec 6.5, 12.10).
 *
 * Like the page daemon's threads, the handler never sleeps: where the
 * kernel's vm_fault() would, it returns what it waits for and the
 * simulator resumes it.  After VM_FAULT_WAIT_MEM or VM_FAULT_WAIT_BUSY the
 * caller sleeps (vm_waitpfault(), or until the page is unbusied) and calls
 * vm_fault() again, as the kernel's fault restarts at RetryFault; after
 * VM_FAULT_WAIT_READ it serves the read on a device and calls
 * vm_fault_read_done().
 */
#ifndef PGREPLAY_VM_FAULT_H
#define PGREPLAY_VM_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vm.h"

/* What vm_fault() and vm_fault_read_done() return, besides -errno. */
enum vm_fault_status {
	VM_FAULT_DONE = 0,	/* the access is done */
	VM_FAULT_WAIT_MEM,	/* no page: vm_waitpfault(), fault again */
	VM_FAULT_WAIT_READ,	/* a page to read: vm_fault_read_done() */
	VM_FAULT_WAIT_BUSY,	/* a busy page: fault again once unbusied */
	VM_FAULT_AGAIN,		/* the page read was freed: fault again */
};

/* What a fault tells its caller besides its status. */
struct vm_fault_info {
	uint32_t page;	/* WAIT_READ: the page to read; WAIT_BUSY: it */
	bool swap;	/* WAIT_READ: read from swap (else from the file) */
	bool hard;	/* DONE: counted in cnt.faults (a zero fill) */
};

/*
 * vm_fault() - model of vm_fault() for an access by vm process proc to
 * page pindex of its mapped object obj: a store if write, with
 * VM_FAULT_WIRE (mlock, the trace's `wire`) if wire.
 *
 * A resident page that is not busy (or busy, with a mapping that lets
 * the access through) is accessed through the pmap: a soft fault counts
 * in cnt.faults_soft and activates the page unless it wires (T2, spec
 * 5.2); VM_FAULT_DONE.  A busy page the access would fault on:
 * VM_FAULT_WAIT_BUSY, info->page.  Otherwise a page is allocated (not
 * below free_severe, spec 6.5 step 2, unless proc was killed, which
 * allocates VM_ALLOC_SYSTEM): none, VM_FAULT_WAIT_MEM.  A page with a
 * swap block, or of a file, is exclusive-busied to be read:
 * VM_FAULT_WAIT_READ, info->page and info->swap.  Any other page is
 * zero-filled, counted and mapped: VM_FAULT_DONE with info->hard.
 *
 * Returns -ENOMEM, with the page left resident and unmapped, if the host
 * has no memory for the mapping's pv entry.
 */
int vm_fault(struct vm_machine *m, uint32_t proc, uint32_t obj,
    uint32_t pindex, bool write, bool wire, struct vm_fault_info *info);

/*
 * vm_fault_at_cell() - vm_fault() given the cell vm_fault_prefetch_leaf()
 * returned for (obj, pindex), VM_NONE for none: a page the cell still
 * holds at that place is found without a second walk of the trie.  A
 * stale cell costs only the walk; the fault is the same.
 */
int vm_fault_at_cell(struct vm_machine *m, uint32_t proc, uint32_t obj,
    uint32_t pindex, uint32_t cell, bool write, bool wire,
    struct vm_fault_info *info);

/*
 * vm_fault_read_done() - the read vm_fault() asked for (info->page,
 * info->swap) is done.  If the page was freed meanwhile (free, unmap,
 * exit) the free completes: VM_FAULT_AGAIN.  Else the page is valid, the
 * fault counts (faults_swap and v_swappgsin, the swap block staying
 * assigned and the page clean, spec 6.5; or faults_file and
 * v_vnodepgsin), the page is unbusied and mapped for proc as vm_fault()
 * would with write and wire: VM_FAULT_DONE.  With proc VM_NONE (its
 * process is gone) the page stays cached, active.  -ENOMEM as vm_fault().
 */
int vm_fault_read_done(struct vm_machine *m, uint32_t proc, uint32_t page,
    bool swap, bool write, bool wire);

/*
 * vm_fault_prefetch_leaf() - start loading the index leaf that vm_fault()
 * of (obj, pindex) reads first, and return its cell (VM_NONE if no leaf
 * covers pindex) for vm_fault_prefetch_page(), which, once the leaf is
 * in, starts loading the page.  Called a few actions ahead of the fault,
 * the cache misses overlap other work.  Hints: they read the machine and
 * write nothing, and a cell that changed meanwhile only loads another
 * page.
 */
uint32_t vm_fault_prefetch_leaf(const struct vm_machine *m, uint32_t obj,
    uint32_t pindex);
void vm_fault_prefetch_page(const struct vm_machine *m, uint32_t cell);

#endif
