/*
 * test_swap.c - swap space (spec 9.5, 12.6): boot state, hysteresis,
 * allocation failure, devices, swapoff; the swap metadata's budget of
 * 16 bytes per block in use (issue 8) and its trees (swap_tree.c).
 */
#include "lib/fixture.h"
#include "vm/vm_int.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

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

/* ---- the metadata's budget: 16 bytes per block in use (issue 8) ---- */

/* The pools' slabs (16 KiB, three classes) and reservations: a constant. */
#define META_SLACK (64 * 1024)

/* A fixed 32-bit generator, so that every run tests the same patterns. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (*s ^ (*s >> 15));
}

/* Assign the blocks of pindex[0..n) of obj in runs of 16, as the pager. */
static void
assign_all(struct vm_machine *m, uint32_t obj, const uint32_t *pindex,
    uint32_t n)
{
	uint32_t i, dev;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			cr_assert(vm_swap_getspace(m, n - i < 16 ? n - i : 16,
			    &dev));
		vm_swap_assign(m, obj, pindex[i], dev);
	}
}

static void
assert_budget(const struct vm_machine *m, uint64_t blocks, const char *what)
{
	cr_assert_eq(vm_swap_used(m), blocks, "%s", what);
	cr_assert_leq(vm_swap_node_bytes(m), 16 * blocks,
	    "%s: %llu bytes of nodes for %llu blocks", what,
	    (unsigned long long)vm_swap_node_bytes(m),
	    (unsigned long long)blocks);
	cr_assert_leq(vm_swap_meta_bytes(m), 16 * blocks + META_SLACK,
	    "%s: %llu bytes held for %llu blocks", what,
	    (unsigned long long)vm_swap_meta_bytes(m),
	    (unsigned long long)blocks);
	fx_check(m);
}

#define NBLK 40000u

Test(swap_budget, dense_object)
{
	struct vm_machine *m;
	uint32_t obj, *pi, i;

	m = fx_machine_mib(64, 1, NBLK + 1000);
	obj = fx_object(m, 1, OBJT_SWAP, NBLK);
	pi = malloc(NBLK * sizeof(*pi));
	cr_assert_not_null(pi);
	for (i = 0; i < NBLK; i++)
		pi[i] = i;
	cr_assert_eq(vm_swap_meta_bytes(m), vm_swap_meta_bytes(m));
	assign_all(m, obj, pi, NBLK);
	assert_budget(m, NBLK, "dense");
	/*
	 * A run fills its leaves to 12 blocks (shift() in swap_tree.c):
	 * about 6.7 B a block; plain half splits would leave 11.4.
	 */
	cr_assert_leq(vm_swap_node_bytes(m), 8 * NBLK);
	for (i = 0; i < NBLK; i++)
		cr_assert(vm_swap_has(m, obj, i));
	cr_assert_not(vm_swap_has(m, obj, NBLK));
	free(pi);
	vm_machine_destroy(m);
}

Test(swap_budget, dense_backwards_and_shuffled)
{
	struct vm_machine *m;
	uint32_t obj, *pi, i, j, t, seed = 7;

	m = fx_machine_mib(64, 1, 2 * NBLK + 1000);
	obj = fx_object(m, 1, OBJT_SWAP, 2 * NBLK);
	pi = malloc(NBLK * sizeof(*pi));
	cr_assert_not_null(pi);
	for (i = 0; i < NBLK; i++)
		pi[i] = NBLK - 1 - i;
	assign_all(m, obj, pi, NBLK);
	assert_budget(m, NBLK, "backwards");
	for (i = 0; i < NBLK; i++)
		pi[i] = NBLK + i;
	for (i = NBLK - 1; i > 0; i--) {
		j = lcg(&seed) % (i + 1);
		t = pi[i], pi[i] = pi[j], pi[j] = t;
	}
	assign_all(m, obj, pi, NBLK);
	assert_budget(m, 2 * NBLK, "shuffled");
	free(pi);
	vm_machine_destroy(m);
}

/*
 * Isolated blocks: one per 4099 pages (a trie's leaf and inner nodes
 * would cost over 100 B each) and random 32-bit pindexes.
 */
Test(swap_budget, sparse_object)
{
	struct vm_machine *m;
	uint32_t obj, obj2, *pi, i, seed = 1;

	m = fx_machine_mib(64, 1, 2 * NBLK + 1000);
	obj = fx_object(m, 1, OBJT_SWAP, UINT32_MAX);
	obj2 = fx_object(m, 2, OBJT_SWAP, UINT32_MAX);
	pi = malloc(NBLK * sizeof(*pi));
	cr_assert_not_null(pi);
	for (i = 0; i < NBLK; i++)
		pi[i] = i * 4099u;
	assign_all(m, obj, pi, NBLK);
	assert_budget(m, NBLK, "stride 4099");
	for (i = 0; i < NBLK; i++)
		pi[i] = lcg(&seed);
	assign_all(m, obj2, pi, NBLK);
	/* The generator may repeat a pindex: that replaces the block. */
	assert_budget(m, NBLK + m->objects[obj2].swap_count, "random");
	cr_assert_gt(m->objects[obj2].swap_count, NBLK - 10);
	for (i = 0; i < NBLK; i++) {
		cr_assert(vm_swap_has(m, obj2, pi[i]));
		cr_assert(vm_swap_has(m, obj, i * 4099u));
		cr_assert_not(vm_swap_has(m, obj, i * 4099u + 1));
	}
	free(pi);
	vm_machine_destroy(m);
}

/* Many objects with 1 to 9 blocks: the small root leaves. */
Test(swap_budget, small_objects)
{
	struct vm_machine *m;
	uint32_t obj, k, i, dev, n = 0;

	m = fx_machine_mib(64, 1, 20000);
	for (k = 0; k < 2000; k++) {
		obj = fx_object(m, 100 + k, OBJT_SWAP, 1u << 20);
		cr_assert(vm_swap_getspace(m, 1 + k % 9, &dev));
		for (i = 0; i < 1 + k % 9; i++)
			vm_swap_assign(m, obj, i * 1000u + k, dev);
		n += 1 + k % 9;
		if (k % 9 == 0)
			cr_assert_eq(vm_swap_node_bytes(m) % 16, 0);
	}
	assert_budget(m, n, "small objects");
	/* One block: a 16-byte leaf. */
	m = (vm_machine_destroy(m), fx_machine_mib(64, 1, 2000));
	obj = fx_object(m, 1, OBJT_SWAP, 100);
	cr_assert(vm_swap_getspace(m, 1, &dev));
	vm_swap_assign(m, obj, 5, dev);
	cr_assert_eq(vm_swap_node_bytes(m), 16);
	vm_machine_destroy(m);
}

/*
 * The root leaf grows at 4 and 7 blocks and shrinks at 3 and 1, and the
 * tree gives its nodes back as blocks go: the budget holds all the way
 * down and nothing is left at the end.
 */
Test(swap_budget, shrinks_with_releases)
{
	struct vm_machine *m;
	uint32_t obj, *pi, i, j, t, seed = 3;
	uint64_t left;

	m = fx_machine_mib(64, 1, NBLK + 1000);
	obj = fx_object(m, 1, OBJT_SWAP, UINT32_MAX);
	pi = malloc(NBLK * sizeof(*pi));
	cr_assert_not_null(pi);
	for (i = 0; i < NBLK; i++)
		pi[i] = i * 3u;
	assign_all(m, obj, pi, NBLK);
	for (i = NBLK - 1; i > 0; i--) {
		j = lcg(&seed) % (i + 1);
		t = pi[i], pi[i] = pi[j], pi[j] = t;
	}
	for (i = 0; i < NBLK; i++) {
		vm_swap_release(m, obj, pi[i]);
		left = NBLK - 1 - i;
		cr_assert_leq(vm_swap_node_bytes(m), 16 * left,
		    "%llu bytes of nodes for %llu blocks",
		    (unsigned long long)vm_swap_node_bytes(m),
		    (unsigned long long)left);
		/* The pools keep their slabs for the next peak. */
		cr_assert_leq(vm_swap_meta_bytes(m), 16 * NBLK + META_SLACK);
		if (left % 4999 == 0 || left < 16)
			fx_check(m);
	}
	cr_assert_eq(vm_swap_node_bytes(m), 0);
	cr_assert_eq(m->objects[obj].swap_count, 0);
	free(pi);
	vm_machine_destroy(m);
}

/*
 * Random assignments, replacements and releases against a plain array:
 * the tree answers vm_swap_has() as the array does and passes its
 * check throughout.
 */
Test(swap_budget, random_operations_match_a_reference)
{
	struct vm_machine *m;
	uint8_t *ref;
	uint32_t obj, i, p, dev, seed = 11, n = 0, span = 3000, f, c;

	m = fx_machine_mib(64, 1, 4000);
	cr_assert_eq(vm_swapon(m, 4000), 0);
	obj = fx_object(m, 1, OBJT_SWAP, span);
	ref = calloc(span, 1);
	cr_assert_not_null(ref);
	for (i = 0; i < 60000; i++) {
		p = lcg(&seed) % span;
		switch (lcg(&seed) % 8) {
		case 0: case 1: case 2: case 3:
			cr_assert(vm_swap_getspace(m, 1, &dev));
			vm_swap_assign(m, obj, p, dev);
			n += ref[p] == 0;
			ref[p] = 1;
			break;
		case 7:
			if (lcg(&seed) % 16 != 0)
				break;
			f = p;
			c = lcg(&seed) % 200;
			vm_swap_release_range(m, obj, f, c);
			for (; f < p + c && f < span; f++) {
				n -= ref[f];
				ref[f] = 0;
			}
			break;
		default:
			vm_swap_release(m, obj, p);
			n -= ref[p];
			ref[p] = 0;
		}
		cr_assert_eq(m->objects[obj].swap_count, n);
		cr_assert_eq(vm_swap_has(m, obj, p), ref[p] != 0);
		if (i % 1000 == 0) {
			for (p = 0; p < span; p++)
				cr_assert_eq(vm_swap_has(m, obj, p),
				    ref[p] != 0, "pindex %u", p);
			assert_budget(m, n, "random operations");
		}
	}
	free(ref);
	vm_machine_destroy(m);
}

Test(swap_tree, release_range)
{
	struct vm_machine *m;
	uint32_t obj, i, *pi;

	m = fx_machine_mib(64, 1, 4000);
	obj = fx_object(m, 1, OBJT_SWAP, 1u << 20);
	pi = malloc(3000 * sizeof(*pi));
	cr_assert_not_null(pi);
	for (i = 0; i < 3000; i++)
		pi[i] = i < 2000 ? i : 100000 + 7 * i;
	assign_all(m, obj, pi, 3000);
	/* A range inside, across leaves and inner nodes. */
	vm_swap_release_range(m, obj, 100, 500);
	for (i = 0; i < 2000; i++)
		cr_assert_eq(vm_swap_has(m, obj, i), i < 100 || i >= 600,
		    "pindex %u", i);
	cr_assert_eq(m->objects[obj].swap_count, 2500);
	cr_assert_eq(vm_swap_used(m), 2500);
	fx_check(m);
	/* A range with no block, and one that starts past every block. */
	vm_swap_release_range(m, obj, 2000, 90000);
	vm_swap_release_range(m, obj, UINT32_MAX, 10);
	cr_assert_eq(m->objects[obj].swap_count, 2500);
	/* A count that overflows first + count: to the end. */
	vm_swap_release_range(m, obj, 1500, UINT64_MAX);
	cr_assert_eq(m->objects[obj].swap_count, 1000);
	cr_assert(vm_swap_has(m, obj, 1499));
	cr_assert_not(vm_swap_has(m, obj, 100000 + 7 * 2999));
	cr_assert_leq(vm_swap_node_bytes(m), 16 * 1000);
	cr_assert_leq(vm_swap_meta_bytes(m), 16 * 3000 + META_SLACK);
	fx_check(m);
	vm_swap_release_range(m, obj, 0, 1500);
	cr_assert_eq(m->objects[obj].swap_count, 0);
	cr_assert_eq(vm_swap_node_bytes(m), 0);
	cr_assert_eq(vm_swap_avail(m), 4000);
	fx_check(m);
	free(pi);
	vm_machine_destroy(m);
}

Test(swap_tree, release_object_and_destroy)
{
	struct vm_machine *m;
	uint32_t a, b, i, pi[1000];

	m = fx_machine_mib(64, 1, 4000);
	a = fx_object(m, 1, OBJT_SWAP, 1u << 20);
	b = fx_object(m, 2, OBJT_SWAP, 1u << 20);
	for (i = 0; i < 1000; i++)
		pi[i] = i * 13;
	assign_all(m, a, pi, 1000);
	assign_all(m, b, pi, 2);
	vm_swap_release_object(m, a);
	cr_assert_eq(m->objects[a].swap_count, 0);
	cr_assert_not(vm_swap_has(m, a, 13));
	cr_assert(vm_swap_has(m, b, 13));
	cr_assert_eq(vm_swap_used(m), 2);
	cr_assert_eq(vm_swap_node_bytes(m), 16, "b's root leaf alone");
	fx_check(m);
	/* The freed nodes are reused: no new slab for the same tree. */
	i = (uint32_t)vm_swap_meta_bytes(m);
	assign_all(m, a, pi, 1000);
	cr_assert_eq(vm_swap_meta_bytes(m), i);
	vm_object_destroy(m, a);
	cr_assert_eq(vm_swap_used(m), 2);
	cr_assert_eq(vm_swap_node_bytes(m), 16);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * swap_pager_swapoff() walks the objects and each object's blocks in
 * pindex order: the pages it reads in reach the laundry queue in object
 * slot order, then pindex order, whatever the order of assignment.
 * Blocks of the other device stay.
 */
Test(swap_tree, swapoff_in_object_then_pindex_order)
{
	struct vm_machine *m;
	uint32_t a, b, d0, d1, i, n, q[256], last_obj, last_pi, pg;

	m = fx_machine_mib(64, 1, 1000);
	cr_assert_eq(vm_swapon(m, 500), 0);
	a = fx_object(m, 1, OBJT_SWAP, 4000);
	b = fx_object(m, 2, OBJT_SWAP, 4000);
	/* Fill the first device so that the second is chosen next. */
	cr_assert(vm_swap_getspace(m, 1000, &d0));
	cr_assert(vm_swap_getspace(m, 100, &d1));
	cr_assert_neq(d0, d1);
	for (i = 0; i < 50; i++) {
		vm_swap_assign(m, b, 900 - 7 * i, d1);
		vm_swap_assign(m, a, 500 - 3 * i, d1);
	}
	for (i = 0; i < 1000; i++)
		vm_swap_assign(m, i % 2 ? a : b, 1000 + i, d0);
	fx_check(m);
	cr_assert_eq(vm_swapoff(m, 500), 0);
	cr_assert_eq(m->cnt.v_swappgsin, 100);
	n = fx_queue(m, 0, PQ_LAUNDRY, q, 256);
	last_obj = 0;
	last_pi = 0;
	for (i = 0; i < n; i++) {
		pg = q[i];
		if ((m->pages[pg].flags & PG_MARKER) != 0)
			continue;
		cr_assert(m->pages[pg].object > last_obj ||
		    (m->pages[pg].object == last_obj &&
		    m->pages[pg].pindex > last_pi) || i == 0,
		    "page %u (object %u, pindex %u) out of order", i,
		    m->pages[pg].object, m->pages[pg].pindex);
		last_obj = m->pages[pg].object;
		last_pi = m->pages[pg].pindex;
	}
	cr_assert_eq(m->objects[a].swap_count, 500);
	cr_assert_eq(m->objects[b].swap_count, 500);
	for (i = 0; i < 1000; i++)
		cr_assert(vm_swap_has(m, i % 2 ? a : b, 1000 + i));
	for (i = 0; i < 50; i++)
		cr_assert_not(vm_swap_has(m, a, 500 - 3 * i));
	assert_budget(m, 1000, "after swapoff");
	vm_machine_destroy(m);
}
