/*
 * test_fault.c - the fault model's return states (vm/fault.c, spec 6.5,
 * 12.10): done, wait for memory, wait for a read, wait for a busy page,
 * a read whose page was freed, and the host's failure to map (-ENOMEM).
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm/fault.h"
#include "vm/vm_int.h"

static struct vm_machine *m;
static uint32_t anon, file, filler, proc;
static struct vm_fault_info info;

static void
setup(void)
{
	m = fx_machine_mib(64, 1, 4096);
	anon = fx_object(m, 1, OBJT_DEFAULT, 64);
	file = fx_object(m, 2, OBJT_VNODE, 64);
	filler = fx_object(m, 3, OBJT_DEFAULT, 1u << 20);
	proc = fx_proc(m, 100);
	cr_assert_eq(vm_proc_map(m, proc, anon), 0);
	cr_assert_eq(vm_proc_map(m, proc, file), 0);
}

static void
teardown(void)
{
	vm_machine_destroy(m);
}

TestSuite(vm_fault, .init = setup, .fini = teardown);

Test(vm_fault, zero_fill_is_done_and_counted_hard)
{
	uint32_t page;

	cr_assert_eq(vm_fault(m, proc, anon, 5, true, false, &info),
	    VM_FAULT_DONE);
	cr_assert(info.hard);
	page = vm_page_lookup(m, anon, 5);
	cr_assert_neq(page, VM_NONE);
	cr_assert_eq(m->pages[page].valid, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[page].queue, PQ_ACTIVE);
	cr_assert(vm_page_mapped(m, page));
	cr_assert_eq(m->cnt.faults, 1);
	cr_assert_eq(m->cnt.faults_zero_fill, 1);

	/* The mapped page: no fault at all, and nothing counted. */
	cr_assert_eq(vm_fault(m, proc, anon, 5, true, false, &info),
	    VM_FAULT_DONE);
	cr_assert_not(info.hard);
	cr_assert_eq(m->cnt.faults, 1);
	cr_assert_eq(m->cnt.faults_soft, 0);
	fx_check(m);
}

Test(vm_fault, resident_unmapped_page_is_a_soft_fault)
{
	uint32_t page;

	page = fx_alloc(m, anon, 7);
	cr_assert_eq(vm_fault(m, proc, anon, 7, false, false, &info),
	    VM_FAULT_DONE);
	cr_assert_not(info.hard);
	cr_assert_eq(m->cnt.faults_soft, 1);
	cr_assert_eq(m->cnt.faults, 0);
	cr_assert_eq(m->pages[page].queue, PQ_ACTIVE);
	cr_assert(vm_page_mapped(m, page));
	fx_check(m);
}

Test(vm_fault, below_free_severe_waits_for_memory)
{
	uint64_t faults;

	fx_drain_to(m, 0, filler, m->dom[0].th.free_severe - 1);
	cr_assert(vm_page_count_severe(m));
	faults = m->cnt.faults;
	cr_assert_eq(vm_fault(m, proc, anon, 3, false, false, &info),
	    VM_FAULT_WAIT_MEM);
	cr_assert_eq(vm_page_lookup(m, anon, 3), VM_NONE, "a page was taken");
	cr_assert_eq(m->cnt.faults, faults);

	/* A killed process skips the gate and allocates VM_ALLOC_SYSTEM. */
	m->procs[proc].flags |= P_KILLED;
	cr_assert_eq(vm_fault(m, proc, anon, 3, false, false, &info),
	    VM_FAULT_DONE);
	cr_assert(info.hard);
	cr_assert_neq(vm_page_lookup(m, anon, 3), VM_NONE);
	fx_check(m);
}

Test(vm_fault, no_free_page_waits_for_memory)
{
	fx_drain_to(m, 0, filler, 0);
	m->procs[proc].flags |= P_KILLED;
	cr_assert_eq(vm_fault(m, proc, anon, 3, false, false, &info),
	    VM_FAULT_WAIT_MEM);
	cr_assert_eq(vm_page_lookup(m, anon, 3), VM_NONE);
}

Test(vm_fault, file_page_waits_for_a_read)
{
	uint32_t page;

	cr_assert_eq(vm_fault(m, proc, file, 9, false, false, &info),
	    VM_FAULT_WAIT_READ);
	cr_assert_not(info.swap);
	page = info.page;
	cr_assert_eq(page, vm_page_lookup(m, file, 9));
	cr_assert_eq(m->pages[page].busy, VPB_EXCLUSIVE);
	cr_assert_eq(m->pages[page].valid, 0);
	cr_assert_eq(m->cnt.faults, 0, "counted before the read");

	cr_assert_eq(vm_fault_read_done(m, proc, page, false, false, false),
	    VM_FAULT_DONE);
	cr_assert_eq(m->pages[page].busy, VPB_UNBUSIED);
	cr_assert_eq(m->pages[page].valid, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->cnt.faults, 1);
	cr_assert_eq(m->cnt.faults_file, 1);
	cr_assert_eq(m->cnt.v_vnodepgsin, 1);
	cr_assert_eq(m->pages[page].queue, PQ_ACTIVE);
	cr_assert(vm_page_mapped(m, page));
	fx_check(m);
}

Test(vm_fault, swapped_page_waits_for_a_swap_read)
{
	uint32_t dev, page;

	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, anon, 4, dev);
	cr_assert_eq(vm_fault(m, proc, anon, 4, true, false, &info),
	    VM_FAULT_WAIT_READ);
	cr_assert(info.swap);
	page = info.page;
	cr_assert_eq(m->pages[page].busy, VPB_EXCLUSIVE);

	cr_assert_eq(vm_fault_read_done(m, proc, page, true, true, false),
	    VM_FAULT_DONE);
	cr_assert_eq(m->cnt.faults_swap, 1);
	cr_assert_eq(m->cnt.v_swappgsin, 1);
	cr_assert_eq(m->pages[page].busy, VPB_UNBUSIED);
	/* The store through the new mapping dirtied it and freed its block. */
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	cr_assert_not(vm_swap_has(m, anon, 4));
	fx_check(m);
}

Test(vm_fault, read_of_a_freed_page_faults_again)
{
	uint32_t page;

	cr_assert_eq(vm_fault(m, proc, file, 1, false, false, &info),
	    VM_FAULT_WAIT_READ);
	page = info.page;
	vm_page_free(m, page);		/* deferred: the page is busy */
	cr_assert_eq(vm_fault_read_done(m, proc, page, false, false, false),
	    VM_FAULT_AGAIN);
	cr_assert_eq(vm_page_lookup(m, file, 1), VM_NONE);
	cr_assert_eq(m->cnt.faults, 0);
	cr_assert_eq(m->cnt.faults_file, 0);
	fx_check(m);
}

Test(vm_fault, read_for_a_gone_process_leaves_the_page_cached)
{
	uint32_t page;

	cr_assert_eq(vm_fault(m, proc, file, 2, false, false, &info),
	    VM_FAULT_WAIT_READ);
	page = info.page;
	cr_assert_eq(vm_fault_read_done(m, VM_NONE, page, false, false,
	    false), VM_FAULT_DONE);
	cr_assert_eq(m->pages[page].queue, PQ_ACTIVE);
	cr_assert_not(vm_page_mapped(m, page));
	cr_assert_eq(m->cnt.faults_file, 1);
	fx_check(m);
}

Test(vm_fault, busy_page_waits_until_unbusied)
{
	uint32_t page;

	page = fx_alloc(m, anon, 6);
	m->pages[page].busy = VPB_EXCLUSIVE;
	cr_assert_eq(vm_fault(m, proc, anon, 6, false, false, &info),
	    VM_FAULT_WAIT_BUSY);
	cr_assert_eq(info.page, page);
	cr_assert_not(vm_page_mapped(m, page), "mapped while busy");
	cr_assert_eq(m->cnt.faults_soft, 0);
	m->pages[page].busy = VPB_UNBUSIED;
	cr_assert_eq(vm_fault(m, proc, anon, 6, false, false, &info),
	    VM_FAULT_DONE);
	cr_assert_eq(m->cnt.faults_soft, 1);
}

Test(vm_fault, busy_page_mapped_for_the_access_does_not_wait)
{
	uint32_t page;

	page = fx_alloc(m, anon, 6);
	cr_assert_eq(vm_fault(m, proc, anon, 6, false, false, &info),
	    VM_FAULT_DONE);
	/* Shared-busied for a pageout: reads go through the mapping. */
	m->pages[page].busy = 1;
	cr_assert_eq(vm_fault(m, proc, anon, 6, false, false, &info),
	    VM_FAULT_DONE);
	/* A store through a write-protected mapping would fault: it waits. */
	vm_pmap_remove_write(m, page);
	cr_assert_eq(vm_fault(m, proc, anon, 6, true, false, &info),
	    VM_FAULT_WAIT_BUSY);
	m->pages[page].busy = VPB_UNBUSIED;
}

/*
 * Make the pv cell pool unable to grow: no free vector of the smallest
 * class and a size whose doubling would overflow.  undo_pv_exhaust()
 * restores it.  A page's first mapping lives in the page and needs no
 * pool, so only a second process's mapping can fail.
 */
static uint32_t saved_len, saved_cap, saved_free;

static void
pv_exhaust(void)
{
	saved_len = m->pvc_len;
	saved_cap = m->pvc_cap;
	saved_free = m->pvc_free[VM_PV_CLASS_MIN];
	m->pvc_free[VM_PV_CLASS_MIN] = VM_NONE;
	m->pvc_len = m->pvc_cap = UINT32_C(1) << 31;
}

static void
undo_pv_exhaust(void)
{
	m->pvc_len = saved_len;
	m->pvc_cap = saved_cap;
	m->pvc_free[VM_PV_CLASS_MIN] = saved_free;
}

/* A second process mapping anon and file, for a page's second mapping. */
static uint32_t
second_proc(void)
{
	uint32_t q;

	q = fx_proc(m, 101);
	cr_assert_eq(vm_proc_map(m, q, anon), 0);
	cr_assert_eq(vm_proc_map(m, q, file), 0);
	return (q);
}

Test(vm_fault, failed_pv_grow_is_an_error_not_a_fault)
{
	uint32_t page, q;
	int rc;

	q = second_proc();
	page = fx_alloc(m, anon, 8);
	cr_assert_eq(vm_fault(m, proc, anon, 8, false, false, &info),
	    VM_FAULT_DONE);
	pv_exhaust();
	rc = vm_fault(m, q, anon, 8, false, false, &info);
	undo_pv_exhaust();
	cr_assert_eq(rc, -ENOMEM, "soft fault without a pv: %d", rc);
	cr_assert_lt(vm_pmap_bits(m, q, page), 0);
	cr_assert_geq(vm_pmap_bits(m, proc, page), 0);
}

Test(vm_fault, a_read_maps_in_the_page_without_the_pool)
{
	int rc;

	/*
	 * The page of a completed read has no mapping yet: the first one
	 * lives in the page, so an exhausted pool cannot fail it.
	 */
	cr_assert_eq(vm_fault(m, proc, file, 3, false, false, &info),
	    VM_FAULT_WAIT_READ);
	pv_exhaust();
	rc = vm_fault_read_done(m, proc, info.page, false, false, false);
	undo_pv_exhaust();
	cr_assert_eq(rc, 0);
	cr_assert(vm_page_mapped(m, info.page));
}

/*
 * The simulator prefetches a fault's leaf and page some actions ahead
 * (vm_fault_prefetch_leaf(), _page()): the cell it loads is the one
 * vm_page_lookup() reads, found without a leaf where none covers the
 * index, and the hints write nothing, whatever the index or cell.
 */
Test(vm_fault, prefetch_finds_the_lookups_cell_and_writes_nothing)
{
	static const uint32_t idx[] = { 0, 1, 15, 16, 255, 4096, 65535,
	    (1u << 20) - 1, 1u << 20, UINT32_MAX };
	size_t bytes = (size_t)m->ntotal * sizeof(*m->pages), i;
	struct vm_counters cnt;
	const uint32_t *cell;
	struct vm_page *copy;
	uint32_t p1, p2, c;

	p1 = fx_alloc(m, filler, 1);
	p2 = fx_alloc(m, filler, 65535);
	cr_assert_eq(*vm_radix_cell(m, filler, 1), p1);
	cr_assert_eq(*vm_radix_cell(m, filler, 65535), p2);
	cr_assert_eq(*vm_radix_cell(m, filler, 0), VM_NONE,
	    "0 shares 1's leaf and has no page");
	cr_assert_eq(vm_radix_cell(m, filler, 4096), NULL,
	    "no leaf covers 4096: a leaf holds 16 neighbours");
	cr_assert_eq(vm_radix_cell(m, filler, UINT32_MAX), NULL,
	    "beyond the trie's height");
	cr_assert_eq(vm_radix_cell(m, anon, 3), NULL, "an empty trie");
	c = vm_fault_prefetch_leaf(m, filler, 65535);
	cr_assert_eq(vm_radix_cell_value(m, c), p2);
	cr_assert_eq(vm_radix_cell_value(m, VM_NONE), VM_NONE);
	cr_assert_eq(vm_radix_cell_value(m, m->rn_cap * 16), VM_NONE,
	    "past the pool");
	cr_assert_eq(vm_radix_cell_value(m, m->rn_cap * 16 - 1),
	    m->rn[m->rn_cap * 16 - 1], "the pool's last cell");
	for (i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		cell = vm_radix_cell(m, filler, idx[i]);
		cr_assert_eq(cell != NULL ? *cell : VM_NONE,
		    vm_page_lookup(m, filler, idx[i]), "pindex %u", idx[i]);
	}

	copy = malloc(bytes);
	cr_assert_not_null(copy);
	memcpy(copy, m->pages, bytes);
	cnt = m->cnt;
	for (i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		c = vm_fault_prefetch_leaf(m, filler, idx[i]);
		cell = vm_radix_cell(m, filler, idx[i]);
		cr_assert_eq(c, cell != NULL ? (uint32_t)(cell - m->rn) : VM_NONE,
		    "pindex %u", idx[i]);
		vm_fault_prefetch_page(m, c);
		vm_fault_prefetch_page(m, vm_fault_prefetch_leaf(m, anon, idx[i]));
		vm_fault_prefetch_page(m, idx[i]);
	}
	cr_assert_eq(memcmp(copy, m->pages, bytes), 0);
	cr_assert_eq(memcmp(&cnt, &m->cnt, sizeof(cnt)), 0);
	free(copy);
	fx_check(m);
}

/*
 * vm_fault_at_cell() takes the page of the prefetch's cell only if the
 * page's own (object, pindex) is the fault's: a cell that now holds the
 * page of another index or another object, nothing, or lies past the
 * pool, leaves the fault exactly what vm_fault() makes of it.
 */
Test(vm_fault, a_cell_serves_only_the_page_at_its_place)
{
	uint32_t p7, pf9, page, c;

	p7 = fx_alloc(m, anon, 7);
	pf9 = fx_alloc(m, filler, 9);

	/* (anon, 6) shares 7's leaf: a cell holding p7 must not serve 6. */
	c = vm_fault_prefetch_leaf(m, anon, 7);
	cr_assert_eq(vm_fault_at_cell(m, proc, anon, 6, c, false, false,
	    &info), VM_FAULT_DONE);
	cr_assert(info.hard, "6 is zero-filled, not a soft fault on 7");
	page = vm_page_lookup(m, anon, 6);
	cr_assert_neq(page, VM_NONE);
	cr_assert_neq(page, p7);
	cr_assert_not(vm_page_mapped(m, p7));

	/* The same pindex of another object: not the page either. */
	c = vm_fault_prefetch_leaf(m, filler, 9);
	cr_assert_eq(vm_radix_cell_value(m, c), pf9);
	cr_assert_eq(vm_fault_at_cell(m, proc, anon, 9, c, true, false,
	    &info), VM_FAULT_DONE);
	cr_assert(info.hard);
	cr_assert_neq(vm_page_lookup(m, anon, 9), pf9);
	cr_assert_not(vm_page_mapped(m, pf9));

	/* Its own cell: the soft fault on p7, as vm_fault() would. */
	c = vm_fault_prefetch_leaf(m, anon, 7);
	cr_assert_eq(vm_fault_at_cell(m, proc, anon, 7, c, false, false,
	    &info), VM_FAULT_DONE);
	cr_assert_not(info.hard);
	cr_assert_eq(m->cnt.faults_soft, 1);
	cr_assert(vm_page_mapped(m, p7));

	/* No cell, or one past the pool: the walk finds 7 again. */
	vm_pmap_remove_all(m, p7);
	cr_assert_eq(vm_fault_at_cell(m, proc, anon, 7, VM_NONE, false, false,
	    &info), VM_FAULT_DONE);
	cr_assert_eq(m->cnt.faults_soft, 2);
	vm_pmap_remove_all(m, p7);
	cr_assert_eq(vm_fault_at_cell(m, proc, anon, 7, m->rn_cap * 16, false,
	    false, &info), VM_FAULT_DONE);
	cr_assert_eq(m->cnt.faults_soft, 3);
	cr_assert_eq(m->cnt.faults, 2);
	fx_check(m);
}
