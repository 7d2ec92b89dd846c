/*
 * test_pager.c - the swap and vnode put routines and their I/O (spec 9.5,
 * 12.5): chunking and halving, the swap space flags, the pbuf limit,
 * completions.
 */
#include "lib/fixture.h"

/* Flush pages 0..31 of a fresh 32-page object with avail swap blocks. */
static struct vm_machine *
flush32(uint64_t avail, int *rtvals, uint32_t *obj)
{
	struct vm_machine *m;
	uint32_t pages[32], i;

	m = fx_machine(4096, avail);
	*obj = fx_object(m, 1, OBJT_SWAP, 32);
	for (i = 0; i < 32; i++)
		pages[i] = fx_page(m, *obj, i, PQ_LAUNDRY, true);
	(void)vm_pageout_flush(m, pages, 32, rtvals);
	fx_check(m);
	return (m);
}

static void
expect_status(const int *rtvals, uint32_t lo, uint32_t hi, int status)
{
	uint32_t i;

	for (i = lo; i <= hi; i++)
		cr_assert_eq(rtvals[i], status, "page %u: status %d, want %d",
		    i, rtvals[i], status);
}

Test(pager, swap_chunk_halving)
{
	struct vm_machine *m;
	const struct vm_io *io;
	int rtvals[32];
	uint32_t obj;

	/* 32 fails, 16 fits; the other 16 pages fail (16, 8, 4 ... ). */
	m = flush32(16, rtvals, &obj);
	expect_status(rtvals, 0, 15, VM_PAGER_PEND);
	expect_status(rtvals, 16, 31, VM_PAGER_FAIL);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->count, 16);
	cr_assert_null(vm_io_take(m));
	cr_assert_eq(m->cnt.v_swapout, 1);
	cr_assert_eq(m->cnt.v_swappgsout, 16);
	cr_assert_eq(m->cnt.swap_write_fail, 16);
	vm_machine_destroy(m);

	/* 32, 16 fail; 8 fits. */
	m = flush32(8, rtvals, &obj);
	expect_status(rtvals, 0, 7, VM_PAGER_PEND);
	expect_status(rtvals, 8, 31, VM_PAGER_FAIL);
	cr_assert_eq(vm_io_take(m)->count, 8);
	vm_machine_destroy(m);

	/* 32, 16, 8 fail; 4 fits. */
	m = flush32(4, rtvals, &obj);
	expect_status(rtvals, 0, 3, VM_PAGER_PEND);
	expect_status(rtvals, 4, 31, VM_PAGER_FAIL);
	cr_assert_eq(vm_io_take(m)->count, 4);
	vm_machine_destroy(m);

	/*
	 * 32, 16, 8, 4 fail: the chunk of 4 fails without trying 2.  The
	 * next chunk (28 pages) halves 14, 7, 3 and 3 blocks are there.
	 */
	m = flush32(3, rtvals, &obj);
	expect_status(rtvals, 0, 3, VM_PAGER_FAIL);
	expect_status(rtvals, 4, 6, VM_PAGER_PEND);
	expect_status(rtvals, 7, 31, VM_PAGER_FAIL);
	io = vm_io_take(m);
	cr_assert_eq(io->count, 3);
	cr_assert_eq(m->pages[io->pages[0]].pindex, 4);
	cr_assert_eq(m->cnt.swap_write_fail, 29);
	/* The failed pages are parked in PQ_UNSWAPPABLE. */
	cr_assert_eq(m->dom[0].pq[PQ_UNSWAPPABLE].cnt, 29);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 3);
	vm_machine_destroy(m);
}

Test(pager, swap_full_flags_after_failure)
{
	struct vm_machine *m;
	uint32_t obj, pages[32], i, k;
	int rtvals[32];

	m = fx_machine(4096, 600);
	cr_assert_eq(vm_swap_full(m), 0);
	cr_assert_eq(vm_swap_almost_full(m), 0);
	obj = fx_object(m, 1, OBJT_SWAP, 608);
	fx_pages(m, obj, 0, 608, PQ_LAUNDRY, true);
	for (k = 0; k < 19; k++) {
		for (i = 0; i < 32; i++)
			pages[i] = fx_page_at(m, obj, 32 * k + i);
		(void)vm_pageout_flush(m, pages, 32, rtvals);
		(void)fx_complete_all(m);
		fx_check(m);
		if (k == 0) {
			/* 568 left: above nswap_hiwat. */
			cr_assert_eq(vm_swap_avail(m), 568);
			cr_assert_eq(vm_swap_almost_full(m), 0);
		}
		if (k == 14) {
			/* 120 left: below nswap_lowat. */
			cr_assert_eq(vm_swap_avail(m), 120);
			cr_assert_eq(vm_swap_almost_full(m), 1);
			cr_assert_eq(vm_swap_full(m), 0);
		}
	}
	/* The 19th cluster found 24 blocks: 16 + 8, then failures. */
	cr_assert_eq(vm_swap_avail(m), 0);
	cr_assert_eq(vm_swap_full(m), 2);
	cr_assert_eq(vm_swap_almost_full(m), 1);
	cr_assert_eq(m->cnt.swap_write_fail, 8);
	vm_machine_destroy(m);
}

Test(pager, pbuf_limit)
{
	struct vm_machine *m;
	const struct vm_io *io[5];
	uint32_t obj, p[5], i;

	m = fx_machine(4096, 1024);
	for (i = 0; i < 5; i++) {
		obj = fx_object(m, i + 1, OBJT_SWAP, 1);
		p[i] = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	}
	for (i = 0; i < 4; i++)
		cr_assert_eq(vm_pageout_cluster(m, p[i], NULL, NULL), 1);
	cr_assert_eq(vm_io_inflight(m), 4);
	cr_assert_not(vm_pbuf_waiting(m));
	cr_assert(m->notify.io_submitted);

	/* The fifth write waits for a buffer, yet counts as PEND. */
	m->notify.io_submitted = false;
	cr_assert_eq(vm_pageout_cluster(m, p[4], NULL, NULL), 1);
	fx_check(m);
	cr_assert(vm_pbuf_waiting(m));
	cr_assert_eq(vm_pbuf_queued(m), 1);
	cr_assert_eq(vm_io_inflight(m), 4);
	cr_assert_eq(vm_io_outbox(m), 4);
	cr_assert_not(m->notify.io_submitted);
	cr_assert_eq(m->pages[p[4]].busy, 1);
	for (i = 0; i < 4; i++) {
		io[i] = vm_io_take(m);
		cr_assert_not_null(io[i]);
		cr_assert_eq(io[i]->pages[0], p[i]);
		if (i > 0)
			cr_assert_gt(io[i]->id, io[i - 1]->id);
	}
	cr_assert_null(vm_io_take(m));

	/* A completion frees a slot: the waiting write starts. */
	vm_io_complete(m, io[0]->id, false);
	fx_check(m);
	cr_assert(m->notify.pbuf_freed);
	cr_assert(m->notify.io_submitted);
	cr_assert_not(vm_pbuf_waiting(m));
	cr_assert_eq(vm_io_inflight(m), 4);
	io[4] = vm_io_take(m);
	cr_assert_not_null(io[4]);
	cr_assert_eq(io[4]->pages[0], p[4]);
	cr_assert_gt(io[4]->id, io[3]->id);
	for (i = 1; i < 5; i++)
		vm_io_complete(m, io[i]->id, false);
	fx_check(m);
	cr_assert_eq(vm_io_inflight(m), 0);
	for (i = 0; i < 5; i++) {
		cr_assert_eq(m->pages[p[i]].busy, 0);
		cr_assert_eq(m->pages[p[i]].queue, PQ_INACTIVE);
	}
	vm_machine_destroy(m);
}

Test(pager, completion_error_activates)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, p;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	cr_assert_eq(m->objects[obj].paging_in_progress, 1);
	io = vm_io_take(m);
	vm_io_complete(m, io->id, true);
	fx_check(m);
	cr_assert_eq(m->pages[p].queue, PQ_ACTIVE);
	cr_assert_geq(m->pages[p].act_count, ACT_INIT);
	cr_assert_eq(m->pages[p].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[p].busy, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);
	cr_assert(vm_swap_has(m, obj, 0));
	cr_assert_eq(vm_io_inflight(m), 0);
	vm_machine_destroy(m);
}

Test(pager, vnode_write_is_asynchronous)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, p, q[4];

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_VNODE, 4);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	cr_assert_not(vm_page_count_min(m));
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	fx_check(m);
	/* OK: clean, unbusied, before inacthead, at once. */
	cr_assert_eq(m->pages[p].dirty, 0);
	cr_assert_eq(m->pages[p].busy, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 4), 2);
	cr_assert_eq(q[0], p);
	cr_assert_eq(m->cnt.v_vnodeout, 1);
	cr_assert_eq(m->cnt.v_vnodepgsout, 1);
	cr_assert_eq(m->cnt.v_swapout, 0);
	/*
	 * IO_ASYNC below hirunningspace: the write is in flight and counted
	 * in runningbufspace, and nobody waits for it.
	 */
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->kind, VM_IO_VNODE_WRITE);
	cr_assert_eq(io->domain, 0);
	cr_assert_eq(vm_io_sync_pending(m, 0), 0);
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	cr_assert_eq(vm_runningbufspace(m), PG_PAGE_SIZE);
	cr_assert_eq(vm_io_inflight(m), 0);
	/* The completion touches nothing but runningbufspace. */
	vm_io_complete(m, io->id, false);
	cr_assert_eq(vm_runningbufspace(m), 0);
	cr_assert_not(m->notify.runningbuf_wakeup);
	cr_assert_eq(m->pages[p].queue, PQ_INACTIVE);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * vnode_pager_putpages() forces VM_PAGER_PUT_SYNC while some domain is
 * below free_min (vm_page_count_min()): the write is synchronous and the
 * laundry thread waits for it; it still counts in runningbufspace.
 */
Test(pager, vnode_write_is_synchronous_below_free_min)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, fill, p, n;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_VNODE, 4);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	n = m->dom[0].free_count - m->dom[0].th.free_min + 1;
	fill = fx_object(m, 2, OBJT_DEFAULT, n);
	fx_pages(m, fill, 0, n, PQ_ACTIVE, false);
	cr_assert(vm_page_count_min(m));
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	fx_check(m);
	cr_assert_eq(m->pages[p].dirty, 0);
	cr_assert_eq(m->pages[p].busy, 0);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(vm_io_sync_pending(m, 0), io->id);
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	cr_assert_eq(vm_runningbufspace(m), PG_PAGE_SIZE);
	vm_io_complete(m, io->id, false);
	cr_assert_eq(vm_io_sync_pending(m, 0), 0);
	cr_assert_eq(vm_runningbufspace(m), 0);
	fx_check(m);
	vm_machine_destroy(m);
}

/* Start one 32-page vnode cluster of a fresh object (trace id id). */
static void
vnode_cluster(struct vm_machine *m, uint64_t id)
{
	uint32_t obj;

	obj = fx_object(m, id, OBJT_VNODE, 32);
	fx_pages(m, obj, 0, 32, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_cluster(m, fx_page_at(m, obj, 0), NULL, NULL),
	    32);
}

/*
 * bufwrite(), waitrunningbufspace(), runningbufwakeup() (vfs_bio.c) with
 * hirunningspace 1 MiB, lorunningspace roundup(2/3 MiB, 64 KiB) =
 * 704 KiB, and 128 KiB clusters.  bufwrite() tests the space *before*
 * its buffer: the 9th cluster starts at exactly 1 MiB and goes on, the
 * 10th (at 1152 KiB) sleeps.  Only the completion that brings
 * runningbufspace to lorunningspace or below wakes the sleeper; a woken
 * sleeper re-tests against hirunningspace.
 */
Test(pager, runningbufspace_limit)
{
	struct pg_config cfg;
	struct vm_machine *m;
	const struct vm_io *io[12];
	uint32_t i;

	fx_config(&cfg, 4096, 1024);
	cfg.hirunningspace = 1024 * 1024;
	m = fx_machine_cfg(&cfg);
	cr_assert_eq(vm_hirunningspace(m), 1024 * 1024);
	cr_assert_eq(vm_lorunningspace(vm_hirunningspace(m)), 704 * 1024);
	cr_assert_eq(vm_lorunningspace(16 * 1024 * 1024), 11206656);
	for (i = 0; i < 9; i++) {
		vnode_cluster(m, 1 + i);
		cr_assert_not(vm_runningbuf_waiting(m, 0), "cluster %u", i);
	}
	cr_assert_eq(vm_runningbufspace(m), 1152 * 1024);
	vnode_cluster(m, 10);
	fx_check(m);
	cr_assert(vm_runningbuf_waiting(m, 0));
	cr_assert_eq(vm_io_sync_pending(m, 0), 0);
	cr_assert_eq(vm_runningbufspace(m), 1280 * 1024);
	for (i = 0; i < 10; i++)
		io[i] = vm_io_take(m);
	cr_assert_null(vm_io_take(m));

	/* 1152, 1024, 896, 768 KiB: no wakeup yet. */
	for (i = 0; i < 4; i++) {
		vm_io_complete(m, io[i]->id, false);
		cr_assert(vm_runningbuf_waiting(m, 0), "completion %u", i);
		cr_assert_not(m->notify.runningbuf_wakeup);
	}
	/* 640 KiB <= 704 KiB: every sleeper is woken. */
	vm_io_complete(m, io[4]->id, false);
	cr_assert_eq(vm_runningbufspace(m), 640 * 1024);
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	cr_assert(m->notify.runningbuf_wakeup);
	m->notify.runningbuf_wakeup = false;

	/*
	 * Before the woken thread runs, writes that do not sleep themselves
	 * (the space before each is at most hirunningspace) take the space
	 * to 1 MiB, where the re-test lets the thread through, then to
	 * 1152 KiB, where it sleeps again.
	 */
	for (i = 0; i < 3; i++)
		vnode_cluster(m, 11 + i);
	cr_assert_eq(vm_runningbufspace(m), 1024 * 1024);
	cr_assert_not(vm_runningbuf_recheck(m, 0));
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	vnode_cluster(m, 14);
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	cr_assert(vm_runningbuf_recheck(m, 0));
	cr_assert(vm_runningbuf_waiting(m, 0));
	for (i = 5; i < 10; i++)
		vm_io_complete(m, io[i]->id, false);
	cr_assert_eq(fx_complete_all(m), 4);
	cr_assert_eq(vm_runningbufspace(m), 0);
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	fx_check(m);
	vm_machine_destroy(m);
}

Test(pager, object_destroyed_during_write)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, p, free0;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	free0 = m->dom[0].free_count;
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	io = vm_io_take(m);
	vm_object_destroy(m, obj);
	fx_check(m);
	cr_assert(m->pages[p].flags & PG_FREEBUSY);
	vm_io_complete(m, io->id, false);
	fx_check(m);
	cr_assert(m->pages[p].flags & PG_FREE);
	cr_assert_eq(m->dom[0].free_count, free0 + 1);
	cr_assert_eq(vm_io_inflight(m), 0);
	vm_machine_destroy(m);
}

Test(pager, write_during_swap_write_stays_dirty)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, proc, p;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	fx_map(m, proc, obj);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	io = vm_io_take(m);
	/* The model lets the write through where the kernel would sleep. */
	cr_assert(vm_pmap_access(m, proc, p, true));
	vm_page_activate(m, p);
	cr_assert_not(vm_swap_has(m, obj, 0));
	vm_io_complete(m, io->id, false);
	fx_check(m);
	/* The kernel's end state: active, dirty, no swap block. */
	cr_assert_eq(m->pages[p].queue, PQ_ACTIVE);
	cr_assert_eq(m->pages[p].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[p].busy, 0);
	vm_machine_destroy(m);
}

/*
 * swp_pager_async_iodone() of 2018 undirties and deactivates every page of
 * a successful write unconditionally: a page that left the laundry during
 * the write without being written to (here activated, as vm_page_unwire()
 * of a page wired meanwhile does) goes to the inactive queue in front of
 * inacthead, clean, keeping its swap block.
 */
Test(pager, completion_deactivates_a_page_that_left_the_laundry)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t obj, proc, p, q[8], n;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	fx_map(m, proc, obj);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	io = vm_io_take(m);
	vm_page_activate(m, p);
	cr_assert_eq(m->pages[p].queue, PQ_ACTIVE);
	vm_io_complete(m, io->id, false);
	fx_check(m);
	cr_assert_eq(m->pages[p].queue, PQ_INACTIVE);
	cr_assert_eq(m->pages[p].dirty, 0);
	cr_assert(vm_swap_has(m, obj, 0));
	cr_assert_eq(m->pages[p].busy, 0);
	/* noreuse: before inacthead, which is the queue's first entry. */
	n = fx_queue(m, 0, PQ_INACTIVE, q, 8);
	cr_assert_eq(n, 2);
	cr_assert_eq(q[0], p);
	cr_assert_eq(q[1], m->dom[0].inacthead);
	vm_machine_destroy(m);
}

Test(pager, inject_leaves_no_trace)
{
	struct vm_machine *m;
	uint32_t obj, p;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	vm_pager_inject(m, VM_PAGER_AGAIN);
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 0);
	fx_check(m);
	/* AGAIN: nothing happens to the page. */
	cr_assert_eq(m->pages[p].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[p].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[p].busy, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);
	cr_assert_null(vm_io_take(m));
	/* One call only: the next one writes. */
	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	cr_assert_not_null(vm_io_take(m));
	vm_machine_destroy(m);
}
