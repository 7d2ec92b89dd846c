/*
 * test_swap.c - swap space (spec 9.5, 12.6): boot state, hysteresis,
 * allocation failure, devices, swapoff.
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>
#include <errno.h>

Test(swap, boot_flags_follow_sizecheck)
{
	struct vm_machine *m;

	m = fx_machine_mib(64, 1, 0);
	cr_assert_eq(vm_swap_full(m), 2);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	cr_assert_eq(m->swapdev_enabled, 0);
	cr_assert_eq(vm_swap_total(m), 0);
	vm_machine_destroy(m);

	m = fx_machine_mib(64, 1, 100);		/* below nswap_lowat */
	cr_assert_eq(vm_swap_full(m), 2);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	cr_assert_eq(m->swapdev_enabled, 1);
	vm_machine_destroy(m);

	m = fx_machine_mib(64, 1, 200);		/* between lowat and hiwat */
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	vm_machine_destroy(m);

	m = fx_machine_mib(64, 1, 1024);
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(vm_swap_almost_full(m), 0);
	cr_assert_eq(vm_swap_avail(m), 1024);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, hysteresis_of_almost_full)
{
	struct vm_machine *m;
	uint32_t obj, dev, i;

	m = fx_machine_mib(64, 1, 600);
	obj = fx_object(m, 1, OBJT_SWAP, 1000);
	cr_assert(vm_swap_getspace(m, 100, &dev));
	for (i = 0; i < 100; i++)
		vm_swap_assign(m, obj, i, dev);
	cr_assert_eq(vm_swap_avail(m), 500);
	cr_assert_eq(vm_swap_almost_full(m), 0, "set above lowat");
	cr_assert(vm_swap_getspace(m, 373, &dev));
	for (i = 100; i < 473; i++)
		vm_swap_assign(m, obj, i, dev);
	cr_assert_eq(vm_swap_avail(m), 127);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(m->cnt.peak_swap_used, 473);
	fx_check(m);
	for (i = 0; vm_swap_avail(m) < 512; i++)
		vm_swap_release(m, obj, i);
	cr_assert_eq(vm_swap_almost_full(m), 1, "cleared at or below hiwat");
	vm_swap_release(m, obj, i);
	cr_assert_eq(vm_swap_avail(m), 513);
	cr_assert_eq(vm_swap_almost_full(m), 0);
	cr_assert_eq(m->objects[obj].swap_count, 600 - 513);
	cr_assert_eq(m->cnt.peak_swap_used, 473);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, getspace_failure_sets_full)
{
	struct vm_machine *m;
	uint32_t obj, dev;

	m = fx_machine_mib(64, 1, 600);
	obj = fx_object(m, 1, OBJT_SWAP, 1000);
	cr_assert_not(vm_swap_getspace(m, 601, &dev));
	cr_assert_eq(vm_swap_full(m), 2);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	cr_assert_eq(vm_swap_avail(m), 600);
	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, obj, 0, dev);
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(vm_swap_almost_full(m), 0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, assign_replaces_old_block)
{
	struct vm_machine *m;
	uint32_t obj, dev;

	m = fx_machine_mib(64, 1, 600);
	obj = fx_object(m, 1, OBJT_SWAP, 1000);
	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, obj, 7, dev);
	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, obj, 7, dev);
	cr_assert_eq(vm_swap_used(m), 1);
	cr_assert_eq(m->objects[obj].swap_count, 1);
	cr_assert(vm_swap_has(m, obj, 7));
	cr_assert_not(vm_swap_has(m, obj, 8));
	fx_check(m);
	vm_swap_release_object(m, obj);
	cr_assert_eq(vm_swap_used(m), 0);
	cr_assert_eq(m->objects[obj].swap_count, 0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, first_device_with_room_is_chosen)
{
	struct vm_machine *m;
	uint32_t dev0, dev1, dev;

	m = fx_machine_mib(64, 1, 40);
	cr_assert_eq(vm_swapon(m, 100), 0);
	cr_assert_eq(vm_swap_total(m), 140);
	cr_assert_eq(vm_swap_full(m), 0, "140 blocks >= lowat");
	cr_assert(vm_swap_getspace(m, 32, &dev0));
	cr_assert(vm_swap_getspace(m, 16, &dev1));
	cr_assert_neq(dev0, dev1, "8 blocks left on the first device");
	cr_assert(vm_swap_getspace(m, 8, &dev));
	cr_assert_eq(dev, dev0);
	cr_assert_eq(vm_swapon(m, 0), -EINVAL);
	vm_machine_destroy(m);
}

/* A swap object with resident pages 0..3 and blocks for 0..3 and 10..19. */
static uint32_t
swapped_object(struct vm_machine *m)
{
	uint32_t obj, dev, i;

	obj = fx_object(m, 1, OBJT_SWAP, 64);
	for (i = 0; i < 4; i++)
		vm_page_activate(m, fx_alloc(m, obj, i));
	cr_assert(vm_swap_getspace(m, 4, &dev));
	for (i = 0; i < 4; i++)
		vm_swap_assign(m, obj, i, dev);
	cr_assert(vm_swap_getspace(m, 10, &dev));
	for (i = 10; i < 20; i++)
		vm_swap_assign(m, obj, i, dev);
	return (obj);
}

Test(swap, swapoff_pages_in_and_disables)
{
	struct vm_machine *m;
	uint32_t obj, i, page;

	m = fx_machine_mib(64, 1, 1024);
	obj = swapped_object(m);
	cr_assert_eq(vm_swapoff(m, 999), -ENOENT);
	cr_assert_eq(vm_swapoff(m, 1024), 0);
	cr_assert_eq(m->swapdev_enabled, 0);
	cr_assert_eq(vm_swap_total(m), 0);
	cr_assert_eq(vm_swap_used(m), 0);
	cr_assert_eq(m->objects[obj].swap_count, 0);
	cr_assert_eq(m->cnt.v_swappgsin, 10);
	for (i = 0; i < 4; i++) {
		page = vm_page_lookup(m, obj, i);
		cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
		cr_assert_eq(m->pages[page].queue, PQ_ACTIVE);
	}
	for (i = 10; i < 20; i++) {
		page = vm_page_lookup(m, obj, i);
		cr_assert_neq(page, VM_NONE, "pindex %u not paged in", i);
		cr_assert_eq(m->pages[page].dirty, VM_PAGE_BITS_ALL);
		cr_assert_eq(m->pages[page].valid, VM_PAGE_BITS_ALL);
		cr_assert_eq(m->pages[page].queue, PQ_LAUNDRY);
	}
	cr_assert_eq(m->objects[obj].resident_page_count, 14);
	cr_assert_eq(m->dom[0].free_count, 16384 - 14);
	fx_check(m);
	cr_assert_eq(vm_swapoff(m, 1024), -ENOENT);
	vm_machine_destroy(m);
}

Test(swap, swapoff_of_one_of_two_devices_keeps_swap_enabled)
{
	struct vm_machine *m;
	uint32_t dev;

	m = fx_machine_mib(64, 1, 1024);
	cr_assert_eq(vm_swapon(m, 2048), 0);
	cr_assert(vm_swap_getspace(m, 1, &dev));
	(void)fx_object(m, 1, OBJT_SWAP, 8);
	vm_swap_assign(m, vm_object_lookup(m, 1), 0, dev);
	cr_assert_eq(vm_swapoff(m, 2048), 0);
	cr_assert_eq(m->swapdev_enabled, 1);
	cr_assert_eq(vm_swap_total(m), 1024);
	cr_assert_eq(vm_swap_used(m), 1);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, swapoff_refused_without_memory)
{
	struct vm_machine *m;
	uint32_t fill;

	m = fx_machine_mib(64, 1, 20000);
	fill = fx_object(m, 9, OBJT_DEFAULT, 1u << 20);
	fx_drain_to(m, 0, fill, 100);
	/* 100 free + 20000 avail < 20000 + 128 (swapoff_one()). */
	cr_assert_eq(vm_swapoff(m, 20000), -ENOMEM);
	cr_assert_eq(m->cnt.swapoff_refused, 1);
	cr_assert_eq(m->swapdev_enabled, 1);
	cr_assert_eq(vm_swap_total(m), 20000);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(swap, swapoff_refused_when_page_in_cannot_allocate)
{
	struct vm_machine *m;
	uint32_t obj, fill, dev, i;

	m = fx_machine_mib(64, 1, 200);
	cr_assert_eq(vm_swapon(m, 1000), 0);
	obj = fx_object(m, 1, OBJT_SWAP, 1000);
	cr_assert(vm_swap_getspace(m, 200, &dev));
	for (i = 0; i < 200; i++)
		vm_swap_assign(m, obj, i, dev);
	fill = fx_object(m, 9, OBJT_DEFAULT, 1u << 20);
	fx_drain_to(m, 0, fill, 150);
	/* The kernel's test passes (150 + 1000 >= 328), the pages do not fit. */
	cr_assert_eq(vm_swapoff(m, 200), -ENOMEM);
	fx_fill_to(m, 0, fill, 202);
	cr_assert_eq(vm_swapoff(m, 200), 0);
	cr_assert_eq(m->dom[0].free_count, 2);
	cr_assert_eq(m->cnt.v_swappgsin, 200);
	fx_check(m);
	vm_machine_destroy(m);
}
