/*
 * test_pmap.c - reference and modify bits (spec 4.4) and act_delta
 * (S:1270-1280).
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>

static struct vm_machine *m;
static uint32_t obj, page, procs[8];

static void
setup(void)
{
	uint32_t i;

	m = fx_machine_mib(64, 1, 4096);
	obj = fx_object(m, 1, OBJT_SWAP, 64);
	for (i = 0; i < 8; i++) {
		procs[i] = fx_proc(m, 100 + i);
		cr_assert_eq(vm_proc_map(m, procs[i], obj), 0);
	}
	page = fx_alloc(m, obj, 0);
}

static void
teardown(void)
{
	vm_machine_destroy(m);
}

TestSuite(pmap, .init = setup, .fini = teardown);

static uint8_t
pvbits(uint32_t proc)
{
	int bits;

	bits = vm_pmap_bits(m, proc, page);
	if (bits < 0)
		cr_assert_fail("no pv for process slot %u", proc);
	return ((uint8_t)bits);
}

Test(pmap, read_soft_fault_then_hits)
{
	cr_assert(vm_pmap_access(m, procs[0], page, false), "no soft fault");
	/* vm_fault() maps with the entry's protection: writable, M clear. */
	cr_assert_eq(pvbits(procs[0]), PV_A | PV_W);
	cr_assert(vm_page_mapped(m, page));
	cr_assert_eq(m->pages[page].dirty, 0);
	cr_assert_not(vm_pmap_access(m, procs[0], page, false));
	fx_check(m);
}

Test(pmap, write_faults_dirty_and_drop_swap)
{
	uint32_t dev;

	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, obj, 0, dev);
	cr_assert_eq(vm_swap_used(m), 1);
	cr_assert(vm_pmap_access(m, procs[0], page, false));
	/* A write after a read fault sets M only: no fault, swap kept. */
	cr_assert_not(vm_pmap_access(m, procs[0], page, true));
	cr_assert_eq(m->pages[page].dirty, 0);
	cr_assert(vm_swap_has(m, obj, 0));
	/* After pmap_remove_write(): a write is a soft write fault. */
	vm_pmap_remove_write(m, page);
	m->pages[page].dirty = 0;
	cr_assert(vm_pmap_access(m, procs[0], page, true));
	cr_assert_eq(pvbits(procs[0]), PV_A | PV_M | PV_W);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	cr_assert_not(vm_swap_has(m, obj, 0));
	cr_assert_eq(vm_swap_used(m), 0);
	cr_assert_eq(m->objects[obj].swap_count, 0);
	fx_check(m);
	/* Through a writable mapping: no fault, A|M only. */
	m->pages[page].dirty = 0;
	vm_pmap_set_bits(m, procs[0], page, PV_W);
	cr_assert_not(vm_pmap_access(m, procs[0], page, true));
	cr_assert_eq(pvbits(procs[0]), PV_A | PV_M | PV_W);
	cr_assert_eq(m->pages[page].dirty, 0, "a hit dirtied the page");
	/* A first access that writes: one fault, writable at once. */
	cr_assert(vm_pmap_access(m, procs[1], page, true));
	cr_assert_eq(pvbits(procs[1]), PV_A | PV_M | PV_W);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	fx_check(m);
}

Test(pmap, ts_referenced_caps_at_five)
{
	uint32_t i;

	for (i = 0; i < 7; i++)
		(void)vm_pmap_access(m, procs[i], page, false);
	cr_assert_eq(vm_pmap_ts_referenced(m, page), PMAP_TS_REFERENCED_MAX);
	cr_assert_eq(vm_pmap_ts_referenced(m, page), 2);
	cr_assert_eq(vm_pmap_ts_referenced(m, page), 0);
	cr_assert_eq(m->pages[page].dirty, 0);
}

Test(pmap, ts_referenced_moves_m_of_writable_mapping)
{
	(void)vm_pmap_access(m, procs[0], page, true);
	m->pages[page].dirty = 0;
	cr_assert_eq(vm_pmap_ts_referenced(m, page), 1);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	cr_assert(vm_pmap_is_modified(m, page), "M must stay set");
}

Test(pmap, test_dirty_and_is_modified)
{
	(void)vm_pmap_access(m, procs[0], page, false);
	cr_assert_not(vm_pmap_is_modified(m, page));
	vm_page_test_dirty(m, page);
	cr_assert_eq(m->pages[page].dirty, 0);
	(void)vm_pmap_access(m, procs[0], page, true);
	m->pages[page].dirty = 0;
	vm_page_test_dirty(m, page);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	cr_assert(vm_pmap_is_modified(m, page));
}

Test(pmap, remove_write_then_write_faults_again)
{
	(void)vm_pmap_access(m, procs[0], page, true);
	(void)vm_pmap_access(m, procs[1], page, false);
	m->pages[page].dirty = 0;
	vm_pmap_remove_write(m, page);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(pvbits(procs[0]), PV_A);
	cr_assert_eq(pvbits(procs[1]), PV_A);
	cr_assert_not(vm_pmap_is_modified(m, page));
	cr_assert(vm_pmap_access(m, procs[0], page, true),
	    "a write after remove_write must fault");
}

Test(pmap, remove_all_saves_a_and_m)
{
	(void)vm_pmap_access(m, procs[0], page, true);
	(void)vm_pmap_access(m, procs[1], page, false);
	m->pages[page].dirty = 0;
	vm_pmap_remove_all(m, page);
	cr_assert_not(vm_page_mapped(m, page));
	cr_assert(m->pages[page].aflags & PGA_REFERENCED);
	cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
	fx_check(m);
	cr_assert(vm_pmap_access(m, procs[0], page, false));
	fx_check(m);
}

Test(pmap, act_delta_counts_referenced_and_a_bits)
{
	(void)vm_pmap_access(m, procs[0], page, false);
	(void)vm_pmap_access(m, procs[1], page, false);
	m->pages[page].aflags |= PGA_REFERENCED;
	cr_assert_eq(vm_page_act_delta(m, page), 3);
	cr_assert_eq(m->pages[page].aflags & PGA_REFERENCED, 0);
	cr_assert_eq(vm_page_act_delta(m, page), 0);
}

Test(pmap, act_delta_skips_pmap_of_unmapped_object)
{
	uint32_t vobj, vpage, p;

	vobj = fx_object(m, 2, OBJT_VNODE, 8);
	p = procs[0];
	cr_assert_eq(vm_proc_map(m, p, vobj), 0);
	vpage = fx_alloc(m, vobj, 0);
	(void)vm_pmap_access(m, p, vpage, false);
	cr_assert_eq(vm_proc_unmap(m, p, vobj), 0);
	cr_assert_eq(m->objects[vobj].ref_count, 0);
	cr_assert(m->objects[vobj].in_use, "a vnode object must persist");
	cr_assert_not(vm_page_mapped(m, vpage));
	/* The A bit became PGA_REFERENCED at unmap: worth 1, once. */
	cr_assert_eq(vm_page_act_delta(m, vpage), 1);
	cr_assert_eq(vm_page_act_delta(m, vpage), 0);
	fx_check(m);
}

Test(pmap, act_delta_with_ref_count_zero_ignores_a_bits)
{
	(void)vm_pmap_access(m, procs[0], page, false);
	/* Forge the state the scan sees: object unreferenced, A still set. */
	m->objects[obj].ref_count = 0;
	cr_assert_eq(vm_page_act_delta(m, page), 0);
	cr_assert_eq(pvbits(procs[0]) & PV_A, PV_A, "A must not be cleared");
	m->objects[obj].ref_count = 8;
	cr_assert_eq(vm_page_act_delta(m, page), 1);
	fx_check(m);
}
