/*
 * test_object.c - objects, pages in objects, processes and mappings.
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>
#include <errno.h>

Test(object, create_lookup_destroy_reuse)
{
	struct vm_machine *m;
	uint32_t a, b, slot;

	m = fx_machine_mib(64, 1, 0);
	a = fx_object(m, 1000, OBJT_DEFAULT, 16);
	b = fx_object(m, 2000, OBJT_VNODE, 16);
	cr_assert_eq(vm_object_lookup(m, 1000), a);
	cr_assert_eq(vm_object_lookup(m, 2000), b);
	cr_assert_eq(vm_object_lookup(m, 3000), VM_NONE);
	cr_assert_eq(vm_object_create(m, 1000, OBJT_DEFAULT, 16, &slot),
	    -EEXIST);
	cr_assert_eq(m->objects[a].ref_count, 0);
	vm_object_destroy(m, a);
	cr_assert_eq(vm_object_lookup(m, 1000), VM_NONE);
	cr_assert_not(m->objects[a].in_use);
	slot = fx_object(m, 3000, OBJT_SWAP, 4);
	cr_assert_eq(slot, a, "a freed slot is reused");
	cr_assert_eq(m->objects[slot].type, OBJT_SWAP);
	cr_assert_eq(m->nobjects, 2);
	/* Every 64-bit id is a trace's to choose, the largest too. */
	cr_assert_eq(vm_object_lookup(m, UINT64_MAX), VM_NONE);
	b = fx_object(m, UINT64_MAX, OBJT_DEFAULT, 4);
	cr_assert_eq(vm_object_lookup(m, UINT64_MAX), b);
	vm_object_destroy(m, b);
	cr_assert_eq(vm_object_lookup(m, UINT64_MAX), VM_NONE);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(object, many_ids_survive_growth_and_deletion)
{
	struct vm_machine *m;
	uint32_t i, slot[2000];

	m = fx_machine_mib(64, 1, 0);
	for (i = 0; i < 2000; i++)
		slot[i] = fx_object(m, (uint64_t)i * 0x100000001ull, OBJT_DEFAULT,
		    1);
	for (i = 0; i < 2000; i += 2)
		vm_object_destroy(m, slot[i]);
	for (i = 0; i < 2000; i++)
		cr_assert_eq(vm_object_lookup(m, (uint64_t)i * 0x100000001ull),
		    i % 2 == 0 ? VM_NONE : slot[i], "id %u", i);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(object, destroy_frees_pages_and_swap)
{
	struct vm_machine *m;
	uint32_t obj, i, dev, busy;

	m = fx_machine_mib(64, 1, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 64);
	for (i = 0; i < 10; i++)
		vm_page_deactivate(m, fx_alloc(m, obj, i));
	cr_assert(vm_swap_getspace(m, 4, &dev));
	for (i = 20; i < 24; i++)
		vm_swap_assign(m, obj, i, dev);
	busy = vm_page_lookup(m, obj, 3);
	m->pages[busy].busy = 1;
	fx_check(m);
	vm_object_destroy(m, obj);
	cr_assert_eq(vm_swap_used(m), 0);
	cr_assert_eq(vm_swap_avail(m), 1024);
	cr_assert_eq(m->dom[0].free_count, 16384 - 1);
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 0);
	cr_assert_eq(m->cnt.v_tfree, 10);
	fx_check(m);
	vm_page_unbusy(m, busy);
	cr_assert_eq(m->dom[0].free_count, 16384);
	fx_check(m);
	vm_machine_destroy(m);
}

static void
page_remove_case(uint32_t count_kind)
{
	struct vm_machine *m;
	uint32_t obj, i, dev;

	m = fx_machine_mib(64, 1, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 100);
	for (i = 0; i < 10; i++)
		vm_page_activate(m, fx_alloc(m, obj, i));
	cr_assert(vm_swap_getspace(m, 10, &dev));
	for (i = 10; i < 20; i++)
		vm_swap_assign(m, obj, i, dev);
	/* Either a small range (lookups) or a big one (list walks). */
	if (count_kind == 0)
		vm_object_page_remove(m, obj, 5, 8);	/* 5..12 */
	else
		vm_object_page_remove(m, obj, 5, 1000);	/* 5.. */
	for (i = 0; i < 5; i++)
		cr_assert_neq(vm_page_lookup(m, obj, i), VM_NONE);
	for (i = 5; i < 10; i++)
		cr_assert_eq(vm_page_lookup(m, obj, i), VM_NONE);
	cr_assert_eq(m->objects[obj].resident_page_count, 5);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 5);
	for (i = 10; i < 20; i++)
		cr_assert_eq(vm_swap_has(m, obj, i),
		    count_kind == 0 ? i >= 13 : false, "pindex %u", i);
	cr_assert_eq(m->objects[obj].swap_count, count_kind == 0 ? 7 : 0);
	cr_assert_eq(vm_swap_used(m), count_kind == 0 ? 7 : 0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(object, page_remove_small_range)
{
	page_remove_case(0);
}

Test(object, page_remove_large_range)
{
	page_remove_case(1);
}

Test(proc, allproc_is_newest_first)
{
	struct vm_machine *m;
	uint32_t a, b, c, s;

	m = fx_machine_mib(64, 1, 0);
	a = fx_proc(m, 10);
	b = fx_proc(m, 20);
	c = fx_proc(m, 30);
	cr_assert_eq(m->allproc_head, c);
	cr_assert_eq(m->procs[c].allproc_next, b);
	cr_assert_eq(m->procs[b].allproc_next, a);
	cr_assert_eq(m->procs[a].allproc_next, VM_NONE);
	cr_assert_eq(vm_proc_create(m, 20, "dup", &s), -EEXIST);
	cr_assert_eq(m->procs[a].state, PRS_NORMAL);
	cr_assert_str_eq(m->procs[b].name, "t20");
	vm_proc_exit(m, b);
	cr_assert_eq(vm_proc_lookup(m, 20), VM_NONE);
	cr_assert_eq(m->procs[b].state, PRS_ZOMBIE);
	cr_assert_eq(m->procs[c].allproc_next, a);
	cr_assert_eq(m->procs[a].allproc_prev, c);
	s = fx_proc(m, 40);
	cr_assert_eq(s, b, "the freed slot is reused");
	cr_assert_eq(m->allproc_head, s);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(proc, map_unmap_errors_and_refs)
{
	struct vm_machine *m;
	uint32_t p, q, anon, file;

	m = fx_machine_mib(64, 1, 0);
	p = fx_proc(m, 10);
	q = fx_proc(m, 11);
	anon = fx_object(m, 1, OBJT_DEFAULT, 8);
	file = fx_object(m, 2, OBJT_VNODE, 8);
	cr_assert_eq(vm_proc_map(m, p, anon), 0);
	cr_assert_eq(vm_proc_map(m, p, anon), -EEXIST);
	cr_assert_eq(vm_proc_map(m, q, anon), 0);
	cr_assert_eq(vm_proc_map(m, p, file), 0);
	cr_assert_eq(m->objects[anon].ref_count, 2);
	cr_assert_eq(vm_proc_unmap(m, q, file), -ENOENT);
	fx_check(m);
	cr_assert_eq(vm_proc_unmap(m, p, anon), 0);
	cr_assert(m->objects[anon].in_use);
	cr_assert_eq(m->objects[anon].ref_count, 1);
	vm_proc_exit(m, q);
	cr_assert_not(m->objects[anon].in_use, "last unmap destroys anon");
	cr_assert_eq(vm_object_lookup(m, 1), VM_NONE);
	cr_assert_eq(vm_proc_unmap(m, p, file), 0);
	cr_assert(m->objects[file].in_use, "a file object persists");
	fx_check(m);
	vm_machine_destroy(m);
}

Test(proc, unmap_transfers_a_and_m)
{
	struct vm_machine *m;
	uint32_t p, q, obj, pa, pb;

	m = fx_machine_mib(64, 1, 0);
	p = fx_proc(m, 10);
	q = fx_proc(m, 11);
	obj = fx_object(m, 1, OBJT_DEFAULT, 8);
	cr_assert_eq(vm_proc_map(m, p, obj), 0);
	cr_assert_eq(vm_proc_map(m, q, obj), 0);
	pa = fx_alloc(m, obj, 0);
	pb = fx_alloc(m, obj, 1);
	(void)vm_pmap_access(m, p, pa, false);
	(void)vm_pmap_access(m, q, pa, false);
	(void)vm_pmap_access(m, p, pb, true);
	m->pages[pb].dirty = 0;
	cr_assert_eq(vm_proc_unmap(m, p, obj), 0);
	cr_assert(m->pages[pa].aflags & PGA_REFERENCED);
	cr_assert_eq(m->pages[pb].dirty, VM_PAGE_BITS_ALL);
	cr_assert_not(vm_page_mapped(m, pb));
	cr_assert(vm_page_mapped(m, pa), "q's mapping must stay");
	cr_assert(vm_pmap_bits(m, q, pa) >= 0, "q maps pa");
	fx_check(m);
	vm_machine_destroy(m);
}

Test(proc, exit_frees_private_pages_and_swap)
{
	struct vm_machine *m;
	uint32_t p, obj, i, dev;

	m = fx_machine_mib(64, 1, 1024);
	p = fx_proc(m, 10);
	obj = fx_object(m, 1, OBJT_SWAP, 64);
	cr_assert_eq(vm_proc_map(m, p, obj), 0);
	for (i = 0; i < 8; i++) {
		vm_page_activate(m, fx_alloc(m, obj, i));
		(void)vm_pmap_access(m, p, vm_page_lookup(m, obj, i), true);
	}
	cr_assert(vm_swap_getspace(m, 2, &dev));
	vm_swap_assign(m, obj, 30, dev);
	vm_swap_assign(m, obj, 31, dev);
	vm_proc_exit(m, p);
	cr_assert_eq(m->dom[0].free_count, 16384);
	cr_assert_eq(vm_swap_used(m), 0);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 0);
	cr_assert_eq(m->allproc_head, VM_NONE);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(proc, size_counts_shared_objects_in_full)
{
	struct vm_machine *m;
	uint32_t p, q, shared, pa, pq, file, phys, i, dev;

	m = fx_machine_mib(64, 1, 1024);
	p = fx_proc(m, 100);
	q = fx_proc(m, 101);
	shared = fx_object(m, 1, OBJT_SWAP, 64);
	pa = fx_object(m, 2, OBJT_DEFAULT, 64);
	pq = fx_object(m, 3, OBJT_DEFAULT, 64);
	file = fx_object(m, 4, OBJT_VNODE, 64);
	phys = fx_object(m, 5, OBJT_PHYS, 64);
	cr_assert_eq(vm_proc_map(m, p, shared), 0);
	cr_assert_eq(vm_proc_map(m, q, shared), 0);
	cr_assert_eq(vm_proc_map(m, p, pa), 0);
	cr_assert_eq(vm_proc_map(m, q, pq), 0);
	cr_assert_eq(vm_proc_map(m, q, file), 0);
	cr_assert_eq(vm_proc_map(m, q, phys), 0);
	for (i = 0; i < 10; i++)
		(void)fx_alloc(m, shared, i);
	cr_assert(vm_swap_getspace(m, 3, &dev));
	for (i = 10; i < 13; i++)
		vm_swap_assign(m, shared, i, dev);
	for (i = 0; i < 5; i++)
		(void)fx_alloc(m, pa, i);
	for (i = 0; i < 2; i++)
		(void)fx_alloc(m, pq, i);
	for (i = 0; i < 4; i++)
		(void)fx_alloc(m, file, i);
	(void)fx_alloc(m, phys, 0);
	cr_assert_eq(vm_proc_size(m, p), 10 + 3 + 5);
	cr_assert_eq(vm_proc_size(m, q), 10 + 3 + 2 + 4 + 1);
	fx_check(m);
	vm_machine_destroy(m);
}
