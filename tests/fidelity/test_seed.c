/*
 * test_seed.c - rows of the fidelity table (docs/model.md) that no other
 * suite pinned: seed functions, or branches of them, exercised here on
 * machines built with the helpers of the pageout and laundry tests.
 *
 * Each test names the seed lines it pins and asserts what would change if
 * the model stopped following them.
 */
#include "lib/fixture.h"
#include "lib/pd_env.h"

/* Pages of a laundry-test machine. */
static struct vm_page *
PG(struct vm_machine *m, uint32_t p)
{
	return (&m->pages[p]);
}

/*
 * vm_pageout_flush(), S:506-530: VM_PAGER_ERROR reactivates the page and
 * is never counted, even on an OBJT_SWAP object, where VM_PAGER_FAIL parks
 * the page in PQ_UNSWAPPABLE and counts it.
 */
Test(fidelity, flush_error_activates_fail_parks)
{
	struct vm_machine *m;
	uint32_t obj, pages[4], i;
	int rtvals[4], n;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 8);
	for (i = 0; i < 4; i++)
		pages[i] = fx_page(m, obj, i, PQ_LAUNDRY, true);
	fx_check(m);

	vm_pager_inject(m, VM_PAGER_ERROR);
	n = vm_pageout_flush(m, pages, 4, rtvals);
	fx_check(m);
	cr_assert_eq(n, 0, "ERROR pages were counted as paged out");
	for (i = 0; i < 4; i++) {
		cr_assert_eq(rtvals[i], VM_PAGER_ERROR);
		cr_assert_eq(PG(m, pages[i])->queue, PQ_ACTIVE, "page %u", i);
		cr_assert_geq(PG(m, pages[i])->act_count, ACT_INIT);
		cr_assert_eq(PG(m, pages[i])->dirty, VM_PAGE_BITS_ALL);
		cr_assert_eq(PG(m, pages[i])->busy, 0);
	}
	cr_assert_eq(m->dom[0].pq[PQ_UNSWAPPABLE].cnt, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);

	/* The same pages and object, FAIL: parked and counted. */
	vm_pager_inject(m, VM_PAGER_FAIL);
	n = vm_pageout_flush(m, pages, 4, rtvals);
	fx_check(m);
	cr_assert_eq(n, 4);
	cr_assert_eq(m->dom[0].pq[PQ_UNSWAPPABLE].cnt, 4);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 0);
	vm_machine_destroy(m);
}

/*
 * vm_pageout_flush(), S:484-505: OK and BAD move a page before inacthead
 * only if it is still in the laundry; a page that left the laundry stays
 * where it is.  OK counts, BAD undirties and does not count.  The flush
 * itself never cleans an OK page: that is the pager's business.
 */
Test(fidelity, flush_ok_and_bad_move_only_laundry_pages)
{
	struct vm_machine *m;
	uint32_t obj, a, b, c, d, pages[2], q[8];
	int rtvals[2], n;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 8);
	a = fx_page(m, obj, 0, PQ_ACTIVE, true);
	b = fx_page(m, obj, 1, PQ_LAUNDRY, true);
	pages[0] = a;
	pages[1] = b;
	vm_pager_inject(m, VM_PAGER_OK);
	n = vm_pageout_flush(m, pages, 2, rtvals);
	fx_check(m);
	cr_assert_eq(n, 2);
	cr_assert_eq(PG(m, a)->queue, PQ_ACTIVE);
	cr_assert_eq(PG(m, a)->dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(PG(m, b)->queue, PQ_INACTIVE);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 2);
	cr_assert_eq(q[0], b);
	cr_assert_eq(q[1], m->dom[0].inacthead);

	c = fx_page(m, obj, 2, PQ_ACTIVE, true);
	d = fx_page(m, obj, 3, PQ_UNSWAPPABLE, true);
	pages[0] = c;
	pages[1] = d;
	vm_pager_inject(m, VM_PAGER_BAD);
	n = vm_pageout_flush(m, pages, 2, rtvals);
	fx_check(m);
	cr_assert_eq(n, 0);
	cr_assert_eq(PG(m, c)->queue, PQ_ACTIVE);
	cr_assert_eq(PG(m, c)->dirty, 0);
	cr_assert_eq(PG(m, d)->dirty, 0);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 3);
	cr_assert_eq(q[0], b);
	cr_assert_eq(q[1], d);
	cr_assert_eq(q[2], m->dom[0].inacthead);
	cr_assert_eq(m->dom[0].pq[PQ_UNSWAPPABLE].cnt, 0);
	vm_machine_destroy(m);
}

/*
 * vm_pageout_clean(), S:669-670, and its caller, S:874-882: a cluster that
 * pages nothing out is EIO, which neither counts toward the target nor is
 * a lock miss (only EDEADLK is); the scan goes on to the next page.
 */
Test(fidelity, clean_eio_counts_nothing_and_is_no_lock_miss)
{
	struct vm_machine *m;
	uint32_t A, B, a, b, q[4];
	int32_t n;

	m = fx_machine(4096, 1024);
	A = fx_object(m, 1, OBJT_SWAP, 4);
	B = fx_object(m, 2, OBJT_SWAP, 4);
	a = fx_page(m, A, 0, PQ_LAUNDRY, true);
	b = fx_page(m, B, 0, PQ_LAUNDRY, true);
	fx_check(m);

	/* a's put (one call) pages nothing out: vm_pageout_cluster() 0. */
	vm_pager_inject(m, VM_PAGER_AGAIN);
	n = vm_pageout_launder(m, 0, 10, false);
	fx_check(m);
	cr_assert_eq(n, 1, "only b's page counts");
	cr_assert_eq(PG(m, a)->queue, PQ_LAUNDRY);
	cr_assert_eq(PG(m, a)->busy, 0);
	cr_assert_eq(PG(m, a)->dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(PG(m, b)->busy, 1);
	/* a stays where it was, not requeued. */
	cr_assert_eq(fx_queue(m, 0, PQ_LAUNDRY, q, 4), 2);
	cr_assert_eq(q[0], a);
	cr_assert_eq(q[1], b);
	/* Not EDEADLK: no lock miss, and no syncer although 9 are missing. */
	cr_assert_eq(m->cnt.pageout_lock_miss, 0);
	cr_assert_eq(m->cnt.speedup_syncer, 0);
	cr_assert_eq(fx_complete_all(m), 1);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * vm_pageout_swapon() and vm_pageout_swapoff(), S:553-566, with
 * vm_pageout_launder()'s choice of queue, S:715-721: PQ_UNSWAPPABLE is
 * not scanned without a swap device, is scanned (first) from the first
 * swapon on, and is left alone again once the last device is gone; the
 * removal of a device that is not the last keeps swapdev_enabled.
 */
Test(fidelity, swapon_opens_and_last_swapoff_closes_the_unswappable_queue)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t U, u, u2;

	m = fx_machine(4096, 0);
	U = fx_object(m, 1, OBJT_SWAP, 4);
	u = fx_page(m, U, 0, PQ_UNSWAPPABLE, true);
	fx_check(m);
	cr_assert_eq(m->swapdev_enabled, 0);
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 0);
	cr_assert_eq(PG(m, u)->queue, PQ_UNSWAPPABLE);
	cr_assert_eq(PG(m, u)->busy, 0);

	/* swapon(8) at run time. */
	cr_assert_eq(vm_swapon(m, 1024), 0);
	cr_assert_eq(m->swapdev_enabled, 1);
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 1);
	fx_check(m);
	cr_assert_eq(PG(m, u)->busy, 1);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->pages[0], u);
	vm_io_complete(m, io->id, false);
	fx_check(m);
	cr_assert_eq(PG(m, u)->queue, PQ_INACTIVE);
	cr_assert(vm_swap_has(m, U, 0));

	/* A second device comes and goes: swap stays enabled. */
	cr_assert_eq(vm_swapon(m, 512), 0);
	cr_assert_eq(vm_swapoff(m, 512), 0);
	cr_assert_eq(m->swapdev_enabled, 1);
	/* The last one goes: disabled; u's block is paged in (dirtied). */
	cr_assert_eq(vm_swapoff(m, 1024), 0);
	fx_check(m);
	cr_assert_eq(m->swapdev_enabled, 0);
	cr_assert_not(vm_swap_has(m, U, 0));
	cr_assert_eq(PG(m, u)->dirty, VM_PAGE_BITS_ALL);

	/* PQ_UNSWAPPABLE is no longer scanned. */
	u2 = fx_page(m, U, 1, PQ_UNSWAPPABLE, true);
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 0);
	cr_assert_eq(PG(m, u2)->queue, PQ_UNSWAPPABLE);
	cr_assert_eq(PG(m, u2)->busy, 0);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * swap_pager.c swapoff_one() (companion): when the last swap device is
 * removed the kernel puts swap_pager_full / swap_pager_almost_full back to
 * their boot values 2 / 1 ("if (nswapdev == 0)").
 */
Test(fidelity, last_swapoff_restores_the_no_swap_flags)
{
	struct vm_machine *m;

	m = fx_machine(4096, 1024);
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(vm_swap_almost_full(m), 0);
	cr_assert_eq(vm_swapoff(m, 1024), 0);
	fx_check(m);
	cr_assert_eq(vm_swap_full(m), 2);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	vm_machine_destroy(m);
}

/* min_scan becomes n for an active queue of cnt pages (hz 1000, 600 s). */
static void
f_min_scan(struct pdt_env *e, uint32_t n, uint32_t cnt)
{
	uint32_t dt;

	dt = (uint32_t)((uint64_t)n * 600000 / cnt);
	e->m->dom[0].last_active_scan = (int32_t)((uint32_t)e->clk.ticks - dt);
}

/*
 * vm_pageout_scan(), S:1281-1303 and S:1325-1331: pages of a dead object.
 * A dirty unreferenced page is left off every queue (T7: the thread
 * destroying the object frees it), not laundered; a referenced page of an
 * unmapped dead object is not requeued (T4 needs a live object) but falls
 * through to the clean test and is freed.
 */
Test(fidelity, inactive_scan_pages_of_a_dead_object)
{
	struct pdt_env e;
	uint32_t o, d, r;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	d = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	r = pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 2, PQ_INACTIVE);	/* unexamined (D7) */
	e.m->pages[d].dirty = VM_PAGE_BITS_ALL;
	e.m->pages[r].aflags |= PGA_REFERENCED;
	e.m->objects[o].flags |= OBJ_DEAD;
	pdt_check(&e);

	cr_assert_not(pdt_scan(&e, 0, 1, 10));
	cr_assert_eq(e.m->pages[d].queue, PQ_NONE);
	cr_assert_eq(e.m->pages[d].object, o);
	cr_assert_eq(e.m->pages[d].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 0);
	cr_assert_eq(e.m->pages[r].object, VM_NONE, "r was not freed");
	cr_assert_eq(e.m->cnt.v_dfree, 1);
	cr_assert_eq(e.m->cnt.v_reactivated, 0);
	/* Only r's free counts: 10 - 9. */
	cr_assert_eq(e.m->dom[0].clean_pages_freed, 1);
	e.m->objects[o].flags &= (uint8_t)~OBJ_DEAD;
	pdt_shutdown(&e);
}

/*
 * vm_pageout_scan(), S:1422-1457: the active scan skips neither held nor
 * busy pages ("Held pages may be deactivated"), unlike the inactive and
 * laundry scans.
 */
Test(fidelity, active_scan_deactivates_held_and_busy_pages)
{
	struct pdt_env e;
	uint32_t o, h, b;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	h = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	b = pdt_page(&e, 0, o, 1, PQ_ACTIVE);
	e.m->pages[h].act_count = 1;
	e.m->pages[b].act_count = 1;
	vm_page_hold(e.m, h);
	e.m->pages[b].busy = 1;
	f_min_scan(&e, 2, 2);
	pdt_check(&e);

	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->pages[h].queue, PQ_INACTIVE);
	cr_assert_eq(e.m->pages[b].queue, PQ_INACTIVE);
	cr_assert_eq(e.m->pages[h].act_count, 0);
	cr_assert_eq(e.m->pages[b].act_count, 0);
	cr_assert_eq(e.m->cnt.v_pdpages, 2);
	vm_page_unhold(e.m, h);
	e.m->pages[b].busy = 0;
	pdt_shutdown(&e);
}
