/*
 * test_quirks.c - items of spec sections 14 and 15 that no other suite
 * pinned (suite quirks, named after the item: qNN for section 14, dNN for
 * section 15).
 */
#include "lib/fixture.h"
#include "lib/pd_env.h"

/*
 * Spec 14 item 6 (S:1143-1153): the seed's comment says the starting
 * page_shortage can be negative; it cannot, since the PID output is never
 * negative (and the deficit is a u_int).  Whatever the free count and
 * however the calls fall into intervals, the controller returns >= 0, and
 * a reclaiming scan far above the target starts at exactly 0: no inactive
 * scan, no laundry request, oom_seq reset.
 */
Test(quirks, q06_starting_shortage_is_never_negative)
{
	struct pidctrl pc;
	struct pdt_env e;
	struct pageout_worker w;
	uint32_t o, l;
	int32_t input, r, t;
	int i;

	pidctrl_init(&pc, 100, 5643, PIDCTRL_BOUND, PIDCTRL_KPD, PIDCTRL_KID,
	    PIDCTRL_KDD);
	t = PDT_TICKS0;
	for (input = 0; input < 40000; input += 97) {
		r = pidctrl_daemon(&pc, input % 20000, t);
		cr_assert_geq(r, 0, "input %d: %d", input % 20000, r);
		/* 37 ticks apart: two or three calls per interval. */
		t = (int32_t)((uint32_t)t + 37);
	}

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	(void)pdt_pages(&e, 0, o, 0, 5, PQ_INACTIVE);
	l = pdt_page(&e, 0, o, 10, PQ_LAUNDRY);
	e.m->pages[l].dirty = VM_PAGE_BITS_ALL;
	pageout_worker_init(&w, e.m, 0);
	w.pass = 2;			/* a shortage earlier in the run */
	e.m->dom[0].oom_seq = 7;
	for (i = 0; i < 5; i++) {
		pdt_advance(&e, 100);
		(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
		pdt_check(&e);
		cr_assert_eq(w.shortage, 0);
		cr_assert(w.target_met);
		cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].cnt, 5);
		cr_assert_eq(e.m->dom[0].laundry_request, VM_LAUNDRY_IDLE);
		cr_assert_eq(e.m->dom[0].clean_pages_freed, 0);
		cr_assert_eq(e.m->dom[0].oom_seq, 0);
	}
	cr_assert_eq(w.pass, 2);
	pdt_shutdown(&e);
}

/*
 * Spec 14 item 9: a wired page is ignored by vm_page_deactivate(),
 * vm_page_deactivate_noreuse(), vm_page_launder() and, off the active
 * queue, vm_page_activate(); the last unwiring of a page on no queue puts
 * it on the active tail.
 */
Test(quirks, q09_wired_pages_ignored_by_the_queue_primitives)
{
	struct vm_machine *m;
	uint32_t obj, a, b;

	m = fx_machine(4096, 0);
	obj = fx_object(m, 1, OBJT_DEFAULT, 8);
	a = fx_page(m, obj, 0, PQ_ACTIVE, false);
	b = fx_page(m, obj, 1, PQ_NONE, true);
	vm_page_wire(m, a);
	vm_page_wire(m, b);

	vm_page_deactivate(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);
	vm_page_deactivate_noreuse(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);
	vm_page_launder(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);

	vm_page_deactivate(m, b);
	vm_page_deactivate_noreuse(m, b);
	vm_page_launder(m, b);
	vm_page_activate(m, b);
	cr_assert_eq(m->pages[b].queue, PQ_NONE);
	cr_assert_eq(m->pages[b].act_count, 0);
	fx_check(m);

	vm_page_unwire(m, b);
	cr_assert_eq(m->pages[b].queue, PQ_ACTIVE);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].tail, b);
	vm_page_unwire(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * Spec 15 D6 (S:368-407): the cluster tests neither valid nor wire_count;
 * an invalid dirty laundry neighbour is written with the cluster.
 */
Test(quirks, d06_cluster_takes_an_invalid_neighbour)
{
	struct vm_machine *m;
	uint32_t obj, p36, out[VM_PAGEOUT_PAGE_COUNT];
	int nc;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 96);
	fx_pages(m, obj, 0, 96, PQ_LAUNDRY, true);
	p36 = fx_page_at(m, obj, 36);
	m->pages[p36].valid = 0;
	fx_check(m);
	cr_assert_eq(vm_pageout_cluster(m, fx_page_at(m, obj, 37), out, &nc),
	    32);
	fx_check(m);
	cr_assert_eq(nc, 32);
	cr_assert_eq(m->pages[out[0]].pindex, 32);
	cr_assert_eq(m->pages[out[4]].pindex, 36);
	cr_assert_eq(m->pages[p36].busy, 1);
	cr_assert(vm_swap_has(m, obj, 36));
	cr_assert_eq(fx_complete_all(m), 1);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * Spec 15 D23 (S:1804-1812, S:1830-1832, S:1148-1152): a pending deficit
 * never raises pass by itself; only a non-zero PID output does.  While
 * pass is 0 the deficit is not consumed; once paging is needed with pass
 * still 0 the worker rescans at once, its controller speaks, pass becomes
 * 1 and the scan takes the deficit.
 */
Test(quirks, d23_a_deficit_alone_never_raises_pass)
{
	struct pdt_env e;
	struct pageout_worker w;
	struct pd_decision dec;
	int i;

	pdt_boot_pages(&e, 4096, 1);
	pageout_worker_init(&w, e.m, 0);
	e.m->dom[0].pageout_deficit = 50;
	for (i = 0; i < 3; i++) {
		dec = pageout_worker_top(e.m, &w);
		cr_assert_eq(dec.wait, PD_WAIT_SLEEP);
		pdt_advance(&e, dec.ticks);
		(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
		pdt_check(&e);
		cr_assert_eq(w.shortage, 0);
		cr_assert_eq(w.pass, 0, "iteration %d", i);
		cr_assert_eq(e.m->dom[0].pageout_deficit, 50);
	}

	/* Paging needed, pass 0: no wait at all. */
	pdt_set_free(&e, 0, 100);
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_NONE);
	pdt_advance(&e, 100);
	(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
	pdt_check(&e);
	cr_assert_gt(w.shortage, 0);
	cr_assert_eq(e.m->dom[0].pageout_deficit, 0);
	/* Nothing to free: the target is missed and pass goes on to 2. */
	cr_assert_eq(w.pass, 2);
	pdt_shutdown(&e);
}
