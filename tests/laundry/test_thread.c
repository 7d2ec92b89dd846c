/*
 * test_thread.c - the laundry thread as a state machine (spec 8): isqrt,
 * where it sleeps and pauses, the end of a shortfall run, waits in the
 * middle of a launder call.
 */
#include "lib/fixture.h"

static const struct pageout_clock clk = { FX_TICKS0, 1 };

/*
 * laundry_backlog() - fill m (a fresh machine) with nlaundry dirty pages of
 * object 1 (type) on LAUNDRY and nactive clean pages of object 2 on
 * ACTIVE: the laundry backlog against the free and inactive pages left
 * that the background trigger of spec 8 compares.
 */
static void
laundry_backlog(struct vm_machine *m, enum vm_objtype type, uint32_t nlaundry,
    uint32_t nactive)
{
	uint32_t obj;

	obj = fx_object(m, 1, type, nlaundry);
	fx_pages(m, obj, 0, nlaundry, PQ_LAUNDRY, true);
	obj = fx_object(m, 2, OBJT_SWAP, nactive);
	fx_pages(m, obj, 0, nactive, PQ_ACTIVE, false);
}

Test(thread, isqrt_table)
{
	static const uint32_t in[] = { 0, 1, 2, 3, 4, 8, 9, 99, 100,
	    UINT32_MAX };
	static const uint32_t out[] = { 0, 1, 1, 1, 2, 2, 3, 9, 10, 65535 };
	uint64_t r;
	uint32_t i, n;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		cr_assert_eq(vm_pageout_isqrt(in[i]), out[i], "isqrt(%u)",
		    in[i]);
	/* Exact floor everywhere: r^2 <= n < (r + 1)^2. */
	for (n = 0; n < 200000; n++) {
		r = vm_pageout_isqrt(n);
		cr_assert(r * r <= n && (r + 1) * (r + 1) > n, "isqrt(%u)", n);
	}
	for (n = 4294000000u; n != 0 && n >= 4294000000u; n += 7) {
		r = vm_pageout_isqrt(n);
		cr_assert(r * r <= n && (r + 1) * (r + 1) > n, "isqrt(%u)", n);
	}
	/* The trigger's multiplier reaches k at nfreed = (k^2 - 1) * 3927. */
	cr_assert_eq(vm_pageout_isqrt((11780 + 1 + 3926) / 3927), 1);
	cr_assert_eq(vm_pageout_isqrt((11781 + 1 + 3926) / 3927), 2);
	cr_assert_eq(vm_pageout_isqrt((94248 + 1 + 3926) / 3927), 5);
}

Test(thread, sleeps_at_boot_and_pauses_hz_over_10)
{
	struct pg_config cfg;
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	uint32_t obj;

	fx_config(&cfg, 4096, 8192);
	cfg.sysctl.hz = 100;
	m = fx_machine_cfg(&cfg);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	cr_assert_eq(dec.visited, 0);

	/* A BACKGROUND request wakes it; the ratio now holds. */
	obj = fx_object(m, 1, OBJT_SWAP, 2100);
	fx_pages(m, obj, 0, 2100, PQ_LAUNDRY, true);
	m->dom[0].laundry_request = VM_LAUNDRY_BACKGROUND;
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 10);
	cr_assert_eq(dec.visited, 1);
	cr_assert_eq(m->dom[0].laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(m->cnt.laundered_background, 32);
	/* After the pause: target met, no request: asleep again. */
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	vm_machine_destroy(m);
}

Test(thread, shortfall_run_drops_remainder)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;

	/* 10 dirty pages, free 100: a shortfall of 47. */
	m = fx_machine(4096, 8192);
	laundry_backlog(m, OBJT_SWAP, 10, 3986);
	laundry_worker_init(&lw, 0, 0);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	m->dom[0].laundry_request = VM_LAUNDRY_SHORTFALL;
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(lw.scan.start_target, 47);
	cr_assert_eq(m->cnt.laundered_shortfall, 10);
	cr_assert_eq(lw.target, 37);
	/* After the pause the unmet remainder is dropped. */
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	cr_assert_not(lw.in_shortfall);
	cr_assert_eq(lw.target, 0);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	vm_machine_destroy(m);
}

Test(thread, background_request_left_pending_during_run)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;

	/* Nothing can be laundered (anonymous pageouts disabled). */
	m = fx_machine(4096, 8192);
	m->sysctl.disable_swapspace_pageouts = 1;
	laundry_backlog(m, OBJT_SWAP, 1100, 1896);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(dec.visited, 1100);
	m->dom[0].laundry_request = VM_LAUNDRY_BACKGROUND;
	/* The thread keeps calling every 100 ms while target > 0. */
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(m->cnt.laundry_calls, 2);
	cr_assert_eq(lw.target, 5);
	cr_assert_eq(m->dom[0].laundry_request, VM_LAUNDRY_BACKGROUND);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(thread, waits_for_pbuf_inside_a_call)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	const struct vm_io *io;

	/* Background target 5000 at 1638 per call. */
	m = fx_machine(4096, 8192);
	laundry_backlog(m, OBJT_SWAP, 1700, 700);
	m->dom[0].th.background_launder_target = 5000;
	laundry_worker_init(&lw, 0, 5000);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PBUF);
	cr_assert_eq(m->cnt.laundry_clusters, 5);
	while (dec.wait == LW_WAIT_PBUF) {
		io = vm_io_take(m);
		cr_assert_not_null(io);
		vm_io_complete(m, io->id, false);
		fx_check(m);
		dec = laundry_worker_run(m, &lw, &clk);
	}
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	/*
	 * One call, ended by maxscan (1700): each cluster costs its page,
	 * its 31 neighbours (maxscan -= n - 1) and the 31 busy neighbours
	 * met again behind the marker (spec 15 D20), 63 in all, so only 27
	 * clusters fit: 864 pages of the 1638 asked for.
	 */
	cr_assert_eq(m->cnt.laundry_calls, 1);
	cr_assert_eq(m->cnt.laundry_clusters, 27);
	cr_assert_eq(m->cnt.laundered_background, 864);
	cr_assert_eq(lw.target, 5000 - 864);
	cr_assert_leq(vm_io_inflight(m), 4);
	vm_machine_destroy(m);
}

/* IO_ASYNC below hirunningspace: the call ends without waiting. */
Test(thread, vnode_write_does_not_wait_below_hirunningspace)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	const struct vm_io *io;

	m = fx_machine(4096, 8192);
	laundry_backlog(m, OBJT_VNODE, 1100, 1896);
	cr_assert_not(vm_page_count_min(m));
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(m->cnt.v_vnodepgsout, 32);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->kind, VM_IO_VNODE_WRITE);
	cr_assert_eq(vm_runningbufspace(m), 32 * PG_PAGE_SIZE);
	vm_io_complete(m, io->id, false);
	fx_check(m);
	vm_machine_destroy(m);
}

/* Below free_min the write is synchronous and the thread waits for it. */
Test(thread, waits_for_synchronous_vnode_write)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	const struct vm_io *io;
	uint32_t V, A, n;

	m = fx_machine(4096, 8192);
	V = fx_object(m, 1, OBJT_VNODE, 1100);
	fx_pages(m, V, 0, 1100, PQ_LAUNDRY, true);
	n = m->dom[0].free_count - m->dom[0].th.free_min + 1;
	A = fx_object(m, 2, OBJT_SWAP, n);
	fx_pages(m, A, 0, n, PQ_ACTIVE, false);
	cr_assert(vm_page_count_min(m));
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_IO);
	io = vm_io_take(m);
	cr_assert_eq(dec.io_id, io->id);
	vm_io_complete(m, io->id, false);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_neq(dec.wait, LW_WAIT_IO);
	cr_assert_neq(dec.wait, LW_WAIT_RUNNINGBUF);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * hirunningspace 1 MiB: a background call of 1638 pages sleeps in
 * waitrunningbufspace() after its 10th cluster and goes on when a
 * completion takes runningbufspace to lorunningspace.
 */
Test(thread, waits_in_waitrunningbufspace_inside_a_call)
{
	struct pg_config cfg;
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	const struct vm_io *io;
	uint32_t i;

	fx_config(&cfg, 4096, 8192);
	cfg.hirunningspace = 1024 * 1024;
	m = fx_machine_cfg(&cfg);
	laundry_backlog(m, OBJT_VNODE, 1700, 700);
	cr_assert_not(vm_page_count_min(m));
	m->dom[0].th.background_launder_target = 5000;
	laundry_worker_init(&lw, 0, 5000);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_RUNNINGBUF);
	cr_assert_eq(m->cnt.v_vnodeout, 10);
	/* Not woken: a run re-tests and stops at once. */
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_RUNNINGBUF);
	cr_assert_eq(dec.visited, 0);
	cr_assert_eq(m->cnt.v_vnodeout, 10);
	for (i = 0; i < 5; i++) {
		io = vm_io_take(m);
		vm_io_complete(m, io->id, false);
	}
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(m->cnt.v_vnodeout, 15);
	cr_assert_eq(dec.wait, LW_WAIT_RUNNINGBUF);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(thread, spinning_thread_yields_a_tick)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;

	/* Rate 2 KB/s: 2 * 4096 / 1024 / 10 = 0 pages per call. */
	m = fx_machine(4096, 8192);
	m->sysctl.background_launder_rate = 2;
	laundry_backlog(m, OBJT_SWAP, 1100, 1896);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 1);
	cr_assert_eq(lw.target, 5);
	cr_assert_eq(m->cnt.laundry_calls, 0);
	vm_machine_destroy(m);
}
