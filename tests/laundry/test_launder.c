/*
 * test_launder.c - the launder scan (spec 9.1) beyond section 13: the
 * reactivation bonus, requeues, maxscan, and the walk that stops for the
 * pager and resumes from the laundry marker.
 */
#include "lib/fixture.h"

Test(launder, busy_cluster_pages_visited_again)
{
	struct vm_machine *m;
	struct launder_scan ls;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t A, B, b0;

	/* Spec 15 D20: a0's cluster takes a1, a2, which stay queued busy. */
	m = fx_machine(4096, 1024);
	A = fx_object(m, 1, OBJT_SWAP, 3);
	B = fx_object(m, 2, OBJT_SWAP, 1);
	fx_pages(m, A, 0, 3, PQ_LAUNDRY, true);
	b0 = fx_page(m, B, 0, PQ_LAUNDRY, true);
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 10, false);
	/* Swap is configured: PQ_UNSWAPPABLE (empty) first. */
	cr_assert_eq(ls.queue, PQ_UNSWAPPABLE);
	cr_assert_eq(ls.maxscan, 0);
	cr_assert(vm_pageout_launder_step(m, 0, &ls, false, &wait, &visited));
	fx_check(m);
	/* a0 (maxscan 4 - 1 - 2 = 1), then a1 busy; a2 is not reached. */
	cr_assert_eq(visited, 2);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 3);
	cr_assert_eq(m->pages[b0].busy, 0);
	cr_assert_eq(m->pages[b0].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[m->dom[0].laundry_marker].queue, PQ_NONE);
	vm_machine_destroy(m);
}

Test(launder, reactivation_bonus_wraps)
{
	struct vm_machine *m;
	uint32_t obj, proc, p, q;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	fx_map(m, proc, obj);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	m->pages[p].act_count = 250;
	m->pages[p].aflags |= PGA_REFERENCED;
	q = fx_page(m, obj, 2, PQ_LAUNDRY, true);
	m->pages[q].act_count = 253;
	m->pages[q].aflags |= PGA_REFERENCED;
	/* One A bit more on q: act_delta 2. */
	(void)vm_pmap_access(m, proc, q, false);

	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 2);
	fx_check(m);
	cr_assert_eq(m->cnt.v_reactivated, 2);
	cr_assert_eq(m->pages[p].queue, PQ_ACTIVE);
	cr_assert_eq(m->pages[p].act_count, 254);
	/* 253 + 2 + 3 = 258 wraps to 2 (u_char, spec 15 D19). */
	cr_assert_eq(m->pages[q].act_count, 2);
	vm_machine_destroy(m);
}

Test(launder, unmapped_referenced_requeued_dead_left)
{
	struct vm_machine *m;
	uint32_t U, D, u, d, other, q[4];

	m = fx_machine(4096, 1024);
	U = fx_object(m, 1, OBJT_SWAP, 4);
	D = fx_object(m, 2, OBJT_SWAP, 4);
	u = fx_page(m, U, 0, PQ_LAUNDRY, true);
	m->pages[u].aflags |= PGA_REFERENCED;
	d = fx_page(m, D, 0, PQ_LAUNDRY, true);
	m->objects[D].flags |= OBJ_DEAD;
	other = fx_page(m, U, 2, PQ_LAUNDRY, false);
	m->pages[other].aflags |= PGA_REFERENCED;

	/* T14: requeued, not counted; a dead object's dirty page stays. */
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 0);
	fx_check(m);
	cr_assert_eq(m->cnt.v_reactivated, 0);
	cr_assert_eq(fx_queue(m, 0, PQ_LAUNDRY, q, 4), 3);
	cr_assert_eq(q[0], d);
	cr_assert_eq(q[1], u);
	cr_assert_eq(q[2], other);
	cr_assert_eq(m->pages[u].aflags & PGA_REFERENCED, 0);
	cr_assert_eq(m->pages[d].busy, 0);
	cr_assert_eq(m->cnt.v_swapout, 0);
	m->objects[D].flags &= (uint8_t)~OBJ_DEAD;
	vm_machine_destroy(m);
}

Test(launder, disable_swapspace_pageouts)
{
	struct vm_machine *m;
	struct launder_scan ls;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t A, V, a, v;

	m = fx_machine(4096, 1024);
	m->sysctl.disable_swapspace_pageouts = 1;
	A = fx_object(m, 1, OBJT_DEFAULT, 8);
	V = fx_object(m, 2, OBJT_VNODE, 8);
	a = fx_page(m, A, 0, PQ_LAUNDRY, true);
	(void)fx_page(m, A, 4, PQ_LAUNDRY, true);
	v = fx_page(m, V, 0, PQ_LAUNDRY, true);
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 10, false);
	cr_assert(vm_pageout_launder_step(m, 0, &ls, false, &wait, &visited));
	/* maxscan: the requeued pages are not met again. */
	cr_assert_eq(visited, 3);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 1);
	fx_check(m);
	cr_assert_eq(m->pages[a].queue, PQ_LAUNDRY);
	cr_assert_eq(m->objects[A].type, OBJT_DEFAULT);
	cr_assert_eq(m->pages[v].queue, PQ_INACTIVE);
	vm_machine_destroy(m);
}

Test(launder, clean_mapped_page_unmapped_and_freed)
{
	struct vm_machine *m;
	uint32_t obj, proc, p;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	fx_map(m, proc, obj);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, false);
	(void)vm_pmap_access(m, proc, p, false);
	(void)vm_pmap_ts_referenced(m, p);	/* A bit consumed */
	cr_assert(vm_page_mapped(m, p));
	cr_assert_eq(vm_pageout_launder(m, 0, 10, true), 0);
	fx_check(m);
	cr_assert_eq(m->cnt.v_dfree, 1);
	cr_assert(m->pages[p].flags & PG_FREE);
	cr_assert_not(vm_page_mapped(m, p));
	vm_machine_destroy(m);
}

Test(launder, walk_stops_for_pbuf_and_resumes)
{
	struct vm_machine *m;
	struct launder_scan ls;
	const struct vm_io *io;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t p[6], obj, i, marker;

	m = fx_machine(4096, 1024);
	for (i = 0; i < 6; i++) {
		obj = fx_object(m, i + 1, OBJT_SWAP, 1);
		p[i] = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	}
	marker = m->dom[0].laundry_marker;
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 100, true);
	/* Four writes go out; the fifth waits: the walk stops after it. */
	cr_assert_not(vm_pageout_launder_step(m, 0, &ls, true, &wait,
	    &visited));
	fx_check(m);
	cr_assert_eq(wait, LW_WAIT_PBUF);
	cr_assert_eq(visited, 5);
	cr_assert_eq(m->pages[marker].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[p[4]].qnext, marker);
	cr_assert_eq(m->pages[marker].qnext, p[5]);
	cr_assert_eq(m->pages[p[5]].busy, 0);

	/* A completion starts the waiting write; the walk goes on. */
	io = vm_io_take(m);
	vm_io_complete(m, io->id, false);
	cr_assert_not(vm_pbuf_waiting(m));
	/* p[5]'s write waits in turn: the walk stops again, then ends. */
	cr_assert_not(vm_pageout_launder_step(m, 0, &ls, true, &wait,
	    &visited));
	cr_assert_eq(wait, LW_WAIT_PBUF);
	cr_assert_eq(visited, 6);
	io = vm_io_take(m);
	cr_assert_eq(io->pages[0], p[1]);
	vm_io_complete(m, io->id, false);
	cr_assert_not(vm_pbuf_waiting(m));
	cr_assert(vm_pageout_launder_step(m, 0, &ls, true, &wait, &visited));
	cr_assert_eq(visited, 6);
	cr_assert_eq(m->pages[marker].queue, PQ_NONE);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 6);
	cr_assert_eq(m->cnt.laundered_shortfall, 6);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	fx_check(m);
	vm_machine_destroy(m);
}

/* IO_ASYNC below hirunningspace: the walk goes on past a vnode write. */
Test(launder, walk_goes_on_past_vnode_write)
{
	struct vm_machine *m;
	struct launder_scan ls;
	const struct vm_io *io;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t V, S, v, s;

	m = fx_machine(4096, 1024);
	V = fx_object(m, 1, OBJT_VNODE, 4);
	S = fx_object(m, 2, OBJT_SWAP, 4);
	v = fx_page(m, V, 0, PQ_LAUNDRY, true);
	s = fx_page(m, S, 0, PQ_LAUNDRY, true);
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 10, false);
	cr_assert(vm_pageout_launder_step(m, 0, &ls, true, &wait, &visited));
	cr_assert_eq(m->pages[v].queue, PQ_INACTIVE);
	cr_assert_eq(m->pages[s].busy, 1);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 2);
	/* The vnode write is still in flight. */
	io = vm_io_take(m);
	cr_assert_eq(io->kind, VM_IO_VNODE_WRITE);
	cr_assert_eq(vm_runningbufspace(m), PG_PAGE_SIZE);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * Below free_min the vnode write is synchronous (vnode_pager_putpages()
 * under vm_page_count_min()): the walk stops until it completes.
 */
Test(launder, walk_stops_for_synchronous_vnode_write)
{
	struct vm_machine *m;
	struct launder_scan ls;
	const struct vm_io *io;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t V, S, F, v, s, n;

	m = fx_machine(4096, 1024);
	V = fx_object(m, 1, OBJT_VNODE, 4);
	S = fx_object(m, 2, OBJT_SWAP, 4);
	v = fx_page(m, V, 0, PQ_LAUNDRY, true);
	s = fx_page(m, S, 0, PQ_LAUNDRY, true);
	n = m->dom[0].free_count - m->dom[0].th.free_min + 1;
	F = fx_object(m, 3, OBJT_DEFAULT, n);
	fx_pages(m, F, 0, n, PQ_ACTIVE, false);
	cr_assert(vm_page_count_min(m));
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 10, false);
	cr_assert_not(vm_pageout_launder_step(m, 0, &ls, true, &wait,
	    &visited));
	cr_assert_eq(wait, LW_WAIT_IO);
	cr_assert_eq(m->pages[v].queue, PQ_INACTIVE);
	cr_assert_eq(m->pages[s].busy, 0);
	io = vm_io_take(m);
	cr_assert_eq(vm_io_sync_pending(m, 0), io->id);
	vm_io_complete(m, io->id, false);
	cr_assert(vm_pageout_launder_step(m, 0, &ls, true, &wait, &visited));
	cr_assert_eq(m->pages[s].busy, 1);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 2);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * hirunningspace 1 MiB: the 10th 128 KiB cluster leaves the thread in
 * waitrunningbufspace() and the walk stops behind it; resumed before a
 * wakeup it re-tests and stops again without visiting anything; after
 * the completion that takes runningbufspace to lorunningspace (704 KiB)
 * it goes on with the 11th.
 */
Test(launder, walk_stops_for_runningbuf_and_resumes)
{
	struct pg_config cfg;
	struct vm_machine *m;
	struct launder_scan ls;
	const struct vm_io *io;
	enum lw_wait wait;
	uint64_t visited;
	uint32_t obj[11], i, marker;

	fx_config(&cfg, 4096, 1024);
	cfg.hirunningspace = 1024 * 1024;
	m = fx_machine_cfg(&cfg);
	for (i = 0; i < 11; i++) {
		obj[i] = fx_object(m, i + 1, OBJT_VNODE, 32);
		fx_pages(m, obj[i], 0, 32, PQ_LAUNDRY, true);
	}
	marker = m->dom[0].laundry_marker;
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, 1000, true);
	cr_assert_not(vm_pageout_launder_step(m, 0, &ls, true, &wait,
	    &visited));
	fx_check(m);
	cr_assert_eq(wait, LW_WAIT_RUNNINGBUF);
	cr_assert_eq(visited, 10);
	cr_assert_eq(m->cnt.v_vnodeout, 10);
	cr_assert_eq(m->pages[marker].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[marker].qnext, fx_page_at(m, obj[10], 0));

	/* No wakeup yet: the re-test sleeps again. */
	cr_assert_not(vm_pageout_launder_step(m, 0, &ls, true, &wait,
	    &visited));
	cr_assert_eq(wait, LW_WAIT_RUNNINGBUF);
	cr_assert_eq(visited, 10);

	for (i = 0; i < 5; i++) {
		io = vm_io_take(m);
		vm_io_complete(m, io->id, false);
	}
	cr_assert_not(vm_runningbuf_waiting(m, 0));
	cr_assert(vm_pageout_launder_step(m, 0, &ls, true, &wait, &visited));
	cr_assert_eq(visited, 11);
	cr_assert_eq(m->cnt.v_vnodeout, 11);
	cr_assert_eq(m->pages[marker].queue, PQ_NONE);
	cr_assert_eq(vm_pageout_launder_finish(m, 0, &ls), 11 * 32);
	cr_assert_eq(fx_complete_all(m), 6);
	fx_check(m);
	vm_machine_destroy(m);
}
