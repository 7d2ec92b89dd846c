/*
 * test_spec13.c - the facts of spec section 13 about laundering, one test
 * each, asserting what the fact states.
 */
#include "lib/fixture.h"

static const struct pageout_clock clk = { FX_TICKS0, 1 };

/* Build an object of size dirty LAUNDRY pages and cluster around P. */
static void
cluster_case(uint32_t size, uint32_t P, uint32_t clean, uint32_t lo,
    uint32_t hi)
{
	struct vm_machine *m;
	uint32_t obj, out[VM_PAGEOUT_PAGE_COUNT], i;
	int n, nc;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, size);
	fx_pages(m, obj, 0, size, PQ_LAUNDRY, true);
	if (clean != UINT32_MAX)
		m->pages[fx_page_at(m, obj, clean)].dirty = 0;
	fx_check(m);
	n = vm_pageout_cluster(m, fx_page_at(m, obj, P), out, &nc);
	fx_check(m);
	cr_assert_eq(nc, (int)(hi - lo + 1), "P=%u size %u: %d pages, want "
	    "%u..%u", P, size, nc, lo, hi);
	for (i = 0; i < (uint32_t)nc; i++)
		cr_assert_eq(m->pages[out[i]].pindex, lo + i,
		    "P=%u: cluster[%u] is %u, want %u", P, i,
		    m->pages[out[i]].pindex, lo + i);
	/* Every page went out in one asynchronous write: PEND, counted. */
	cr_assert_eq(n, nc);
	for (i = 0; i < (uint32_t)nc; i++)
		cr_assert_eq(m->pages[out[i]].busy, 1);
	cr_assert_eq(m->objects[obj].paging_in_progress, (uint32_t)nc);
	cr_assert_eq(m->cnt.laundry_clusters, 1);
	vm_machine_destroy(m);
}

Test(spec13, fact27_cluster_around_pindex)
{
	/* P=37: 5 pages backwards to the boundary 32, 26 forwards. */
	cluster_case(96, 37, UINT32_MAX, 32, 63);
	cluster_case(64, 37, UINT32_MAX, 32, 63);
	/* An aligned page clusters backwards. */
	cluster_case(96, 32, UINT32_MAX, 1, 32);
	cluster_case(96, 0, UINT32_MAX, 0, 31);
	/* The forward scan stops at the object's end; back past 32. */
	cluster_case(50, 37, UINT32_MAX, 18, 49);
}

Test(spec13, fact28_clean_or_nonlaundry_neighbour_stops)
{
	struct vm_machine *m;
	uint32_t obj, out[VM_PAGEOUT_PAGE_COUNT], p34;
	int nc;

	/* Page 34 clean. */
	cluster_case(96, 37, 34, 35, 66);
	cluster_case(67, 37, 34, 35, 66);
	cluster_case(64, 37, 34, 35, 63);

	/* Page 34 dirty but not in the laundry (ACTIVE): the same. */
	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 96);
	fx_pages(m, obj, 0, 34, PQ_LAUNDRY, true);
	p34 = fx_page(m, obj, 34, PQ_ACTIVE, true);
	fx_pages(m, obj, 35, 96 - 35, PQ_LAUNDRY, true);
	(void)vm_pageout_cluster(m, fx_page_at(m, obj, 37), out, &nc);
	fx_check(m);
	cr_assert_eq(nc, 32);
	cr_assert_eq(m->pages[out[0]].pindex, 35);
	cr_assert_eq(m->pages[out[31]].pindex, 66);
	cr_assert_eq(m->pages[p34].queue, PQ_ACTIVE);
	cr_assert_eq(m->pages[p34].busy, 0);
	vm_machine_destroy(m);
}

Test(spec13, fact29_pageout_status_fail_bad)
{
	struct vm_machine *m;
	uint32_t a, s, v, b, obj, q[8];
	int n;

	/* No swap device: FAIL. */
	m = fx_machine(4096, 0);

	/* A DEFAULT object becomes SWAP, then FAIL -> UNSWAPPABLE, counted. */
	obj = fx_object(m, 1, OBJT_DEFAULT, 8);
	a = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	n = vm_pageout_cluster(m, a, NULL, NULL);
	fx_check(m);
	cr_assert_eq(m->objects[obj].type, OBJT_SWAP);
	cr_assert_eq(n, 1);
	cr_assert_eq(m->pages[a].queue, PQ_UNSWAPPABLE);
	cr_assert_eq(m->pages[a].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[a].busy, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);
	cr_assert_eq(m->cnt.swap_write_fail, 1);

	/* The same for an object that was SWAP already. */
	obj = fx_object(m, 2, OBJT_SWAP, 8);
	s = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	n = vm_pageout_cluster(m, s, NULL, NULL);
	fx_check(m);
	cr_assert_eq(n, 1);
	cr_assert_eq(m->pages[s].queue, PQ_UNSWAPPABLE);

	/* FAIL on a VNODE object: activated, not counted. */
	obj = fx_object(m, 3, OBJT_VNODE, 8);
	v = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	vm_pager_inject(m, VM_PAGER_FAIL);
	n = vm_pageout_cluster(m, v, NULL, NULL);
	fx_check(m);
	cr_assert_eq(n, 0);
	cr_assert_eq(m->pages[v].queue, PQ_ACTIVE);
	cr_assert_geq(m->pages[v].act_count, ACT_INIT);
	cr_assert_eq(m->pages[v].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[v].busy, 0);
	cr_assert_eq(m->objects[obj].paging_in_progress, 0);

	/* BAD: undirtied, just before inacthead, not counted. */
	obj = fx_object(m, 4, OBJT_SWAP, 8);
	/* A page behind inacthead. */
	(void)fx_page(m, obj, 7, PQ_INACTIVE, false);
	b = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	vm_pager_inject(m, VM_PAGER_BAD);
	n = vm_pageout_cluster(m, b, NULL, NULL);
	fx_check(m);
	cr_assert_eq(n, 0);
	cr_assert_eq(m->pages[b].dirty, 0);
	cr_assert_eq(m->pages[b].queue, PQ_INACTIVE);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 3);
	cr_assert_eq(q[0], b);
	cr_assert_eq(q[1], m->dom[0].inacthead);
	vm_machine_destroy(m);
}

Test(spec13, fact30_no_swap_unswappable_counted)
{
	struct vm_machine *m;
	uint32_t A, B, R, proc, r, a10, b, q[32], i;
	int32_t n;

	m = fx_machine(4096, 0);
	cr_assert_eq(m->swapdev_enabled, 0);
	proc = fx_proc(m, 100);
	R = fx_object(m, 1, OBJT_DEFAULT, 4);
	fx_map(m, proc, R);
	B = fx_object(m, 2, OBJT_DEFAULT, 4);
	fx_map(m, proc, B);
	A = fx_object(m, 3, OBJT_DEFAULT, 16);

	/* A referenced mapped page first: a background reactivation. */
	r = fx_page(m, R, 0, PQ_LAUNDRY, true);
	(void)vm_pmap_access(m, proc, r, false);
	fx_pages(m, A, 0, 10, PQ_LAUNDRY, true);
	/* An UNSWAPPABLE neighbour of A, and an unrelated UNSWAPPABLE page. */
	b = fx_page(m, B, 0, PQ_UNSWAPPABLE, true);
	(void)vm_pmap_access(m, proc, b, false);
	a10 = fx_page(m, A, 10, PQ_UNSWAPPABLE, true);
	fx_check(m);

	n = vm_pageout_launder(m, 0, 100, false);
	fx_check(m);
	/* r (reactivated) + a0..a9 + the neighbour a10, all FAIL. */
	cr_assert_eq(n, 12);
	cr_assert_eq(m->cnt.v_reactivated, 1);
	cr_assert_eq(m->pages[r].queue, PQ_ACTIVE);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 0);
	/* a10 failed again and went to the UNSWAPPABLE tail, after a9. */
	cr_assert_eq(fx_queue(m, 0, PQ_UNSWAPPABLE, q, 32), 12);
	cr_assert_eq(q[0], b);
	for (i = 0; i <= 10; i++)
		cr_assert_eq(q[1 + i], fx_page_at(m, A, i));
	cr_assert_eq(q[11], a10);
	/* The UNSWAPPABLE queue itself was not scanned: b is untouched. */
	cr_assert_eq(m->pages[b].act_count, 0);
	cr_assert(vm_pmap_bits(m, proc, b) & PV_A);
	vm_machine_destroy(m);
}

Test(spec13, fact31_unswappable_scanned_first)
{
	struct vm_machine *m;
	const struct vm_io *io;
	uint32_t U, L, u, l;
	int32_t n;

	m = fx_machine(4096, 1024);
	cr_assert_eq(m->swapdev_enabled, 1);
	L = fx_object(m, 1, OBJT_SWAP, 4);
	U = fx_object(m, 2, OBJT_SWAP, 4);
	/* The LAUNDRY page is older, yet UNSWAPPABLE goes first. */
	l = fx_page(m, L, 0, PQ_LAUNDRY, true);
	u = fx_page(m, U, 0, PQ_UNSWAPPABLE, true);

	n = vm_pageout_launder(m, 0, 1, false);
	fx_check(m);
	cr_assert_eq(n, 1);
	cr_assert_eq(m->pages[u].busy, 1);
	cr_assert_eq(m->pages[l].busy, 0);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->pages[0], u);
	cr_assert_null(vm_io_take(m));

	/* Next call: u is busy (skipped), then LAUNDRY is scanned. */
	n = vm_pageout_launder(m, 0, 1, false);
	fx_check(m);
	cr_assert_eq(n, 1);
	cr_assert_eq(m->pages[l].busy, 1);
	io = vm_io_take(m);
	cr_assert_not_null(io);
	cr_assert_eq(io->pages[0], l);
	vm_machine_destroy(m);
}

Test(spec13, fact32_reactivation_counts_in_background)
{
	struct vm_machine *m;
	uint32_t R, C, proc, r, c;
	int pass;
	bool shortfall;

	for (pass = 0; pass < 2; pass++) {
		shortfall = pass == 1;
		m = fx_machine(4096, 1024);
		proc = fx_proc(m, 100);
		R = fx_object(m, 1, OBJT_SWAP, 4);
		fx_map(m, proc, R);
		C = fx_object(m, 2, OBJT_SWAP, 4);
		r = fx_page(m, R, 0, PQ_LAUNDRY, true);
		m->pages[r].aflags |= PGA_REFERENCED;
		c = fx_page(m, C, 0, PQ_LAUNDRY, false);
		fx_check(m);

		cr_assert_eq(vm_pageout_launder(m, 0, 10, shortfall),
		    shortfall ? 0 : 1);
		fx_check(m);
		cr_assert_eq(m->cnt.v_reactivated, 1);
		cr_assert_eq(m->pages[r].queue, PQ_ACTIVE);
		/* The clean page was freed, and never counts. */
		cr_assert_eq(m->cnt.v_dfree, 1);
		cr_assert(m->pages[c].flags & PG_FREE);
		cr_assert_eq(shortfall ? m->cnt.laundered_shortfall :
		    m->cnt.laundered_background, shortfall ? 0 : 1);
		vm_machine_destroy(m);
	}
}

Test(spec13, fact33_cluster_exceeds_request)
{
	struct vm_machine *m;
	uint32_t obj;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 32);
	fx_pages(m, obj, 0, 32, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_launder(m, 0, 1, false),
	    1 + (int32_t)m->ppc - 1);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * Fill memory so that L = k dirty LAUNDRY pages, i INACTIVE and the rest
 * of `used` on ACTIVE: free + I = pages - used + i.
 */
static void
fill(struct vm_machine *m, uint32_t k, uint32_t used, uint32_t i)
{
	uint32_t L, A, I;

	L = fx_object(m, 1, OBJT_SWAP, k);
	fx_pages(m, L, 0, k, PQ_LAUNDRY, true);
	A = fx_object(m, 2, OBJT_SWAP, used - k - i);
	fx_pages(m, A, 0, used - k - i, PQ_ACTIVE, false);
	if (i > 0) {
		I = fx_object(m, 3, OBJT_SWAP, i);
		fx_pages(m, I, 0, i, PQ_INACTIVE, false);
	}
	fx_check(m);
}

Test(spec13, fact34_background_rate_1638)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;

	/* L = 1100 = free: the trigger holds; 4 KiB pages, rate 4096. */
	m = fx_machine(4096, 8192);
	fill(m, 1100, 4096 - 1100, 0);
	cr_assert_eq(m->dom[0].th.background_launder_target, 5);

	/* A small target: min(1638, 5) = 5. */
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(lw.launder, 5);
	cr_assert_eq(lw.scan.start_target, 5);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 100);

	/* A target above the rate: 4096 * 4096 / 1024 / 10 = 1638. */
	m->dom[0].th.background_launder_target = 5000;
	laundry_worker_init(&lw, 0, 5000);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(lw.launder, 1638);
	cr_assert_eq(lw.scan.start_target, 1638);
	cr_assert_eq(lw.target, 5000);
	/* The fifth write in flight waits for a pbuf: the thread stops. */
	cr_assert_eq(dec.wait, LW_WAIT_PBUF);
	cr_assert_eq(m->cnt.laundry_calls, 2);
	vm_machine_destroy(m);
}

/* One background decision of a fresh thread: the laundry calls it made. */
static uint64_t
background_case(uint32_t k, uint32_t used, uint32_t i, int32_t last_target,
    int32_t *target)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	uint64_t calls;

	m = fx_machine(4096, 8192);
	fill(m, k, used, i);
	laundry_worker_init(&lw, 0, last_target);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	calls = m->cnt.laundry_calls;
	if (calls == 0) {
		/* Nothing to launder and no request: asleep, target 0. */
		cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
		cr_assert_eq(lw.target, 0);
	}
	*target = lw.target;
	vm_machine_destroy(m);
	return (calls);
}

Test(spec13, fact35_background_trigger_and_safety_belt)
{
	int32_t bg, target;

	bg = 5;		/* background_launder_target of 4096 pages */

	/* L = free + I - 1: no target. */
	cr_assert_eq(background_case(1100, 4096 - 1101, 0, bg, &target), 0);
	/* L = free + I: target, and a run starts. */
	cr_assert_eq(background_case(1100, 4096 - 1100, 0, bg, &target), 1);
	cr_assert_eq(target, 0);	/* one cluster of 32 met it */
	/* Inactive pages count as clean: L = 1100 < free 1100 + I 100. */
	cr_assert_eq(background_case(1100, 4096 - 1100, 100, bg, &target), 0);

	/*
	 * The unsigned safety belt: last_target 0 < target cancels the
	 * run at once (nothing laundered, thread asleep) ...
	 */
	cr_assert_eq(background_case(1100, 4096 - 1100, 0, 0, &target), 0);
	/* ... as does last_target >= target + 81920 ... */
	cr_assert_eq(background_case(1100, 4096 - 1100, 0, bg + 81920,
	    &target), 0);
	/* ... while just below it the run goes ahead. */
	cr_assert_eq(background_case(1100, 4096 - 1100, 0, bg + 81919,
	    &target), 1);
}

Test(spec13, fact36_shortfall_handshake)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	struct vm_domain *vmd;
	uint32_t A, i, n;
	int32_t want;

	/* 200 dirty laundry pages, free 100 < free_target 147. */
	m = fx_machine(4096, 8192);
	vmd = &m->dom[0];
	fill(m, 200, 3996, 0);
	cr_assert_eq(vmd->free_count, 100);
	laundry_worker_init(&lw, 0, 0);
	/* L >= free + I, but last_target 0 cancels: asleep. */
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	cr_assert_eq(m->cnt.laundry_calls, 0);

	/* The daemon posts SHORTFALL; the values at the handshake count. */
	vmd->laundry_request = VM_LAUNDRY_SHORTFALL;
	vmd->pageout_deficit = 7;
	want = (int32_t)(vmd->th.free_target - vmd->free_count) + 7;
	cr_assert_eq(want, 54);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(lw.shortfall, 54);
	cr_assert(lw.in_shortfall);
	/* The whole amount in one call. */
	cr_assert_eq(m->cnt.laundry_calls, 1);
	cr_assert_eq(lw.scan.start_target, 54);
	cr_assert_eq(m->cnt.laundered_shortfall, 64);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(vmd->pageout_deficit, 7);	/* read, not consumed */
	vm_machine_destroy(m);

	/*
	 * A sum <= 0 still consumes the request and cancels a background
	 * run in progress.  The run cannot progress: pageouts of anonymous
	 * pages are disabled, so its target stays up.
	 */
	m = fx_machine(4096, 8192);
	vmd = &m->dom[0];
	m->sysctl.disable_swapspace_pageouts = 1;
	fill(m, 1100, 4096 - 1100, 0);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	cr_assert_eq(lw.target, 5);
	/* Background pending: the page daemon leaves it so. */
	vmd->laundry_request = VM_LAUNDRY_SHORTFALL;
	/* Free 200 active pages so that the ratio no longer triggers. */
	A = vm_object_lookup(m, 2);
	for (i = 0, n = 0; n < 200; i++)
		if (vm_page_lookup(m, A, i) != VM_NONE) {
			vm_page_free(m, vm_page_lookup(m, A, i));
			n++;
		}
	cr_assert_eq(vmd->free_count, 1300);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(lw.shortfall, 147 - 1300);
	cr_assert_eq(lw.target, 0);
	cr_assert_not(lw.in_shortfall);
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	vm_machine_destroy(m);
}

/* One launder call with vnodes_skipped forced; speedup_syncer calls. */
static uint64_t
syncer_case(int32_t skipped, int32_t launder, uint32_t npages)
{
	struct vm_machine *m;
	struct launder_scan ls;
	enum lw_wait wait;
	uint64_t visited, calls;
	uint32_t obj;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 64);
	fx_pages(m, obj, 0, npages, PQ_LAUNDRY, true);
	visited = 0;
	vm_pageout_launder_start(m, 0, &ls, launder, false);
	/* The model's vnode locks never miss; stand in for one that did. */
	ls.vnodes_skipped = skipped;
	cr_assert(vm_pageout_launder_step(m, 0, &ls, false, &wait, &visited));
	(void)vm_pageout_launder_finish(m, 0, &ls);
	fx_check(m);
	calls = m->cnt.speedup_syncer;
	vm_machine_destroy(m);
	return (calls);
}

Test(spec13, fact38_speedup_syncer)
{
	/* A vnode skipped and the target missed: the syncer is woken. */
	cr_assert_eq(syncer_case(1, 100, 4), 1);
	/* A vnode skipped but the target met: not. */
	cr_assert_eq(syncer_case(1, 4, 4), 0);
	/* No vnode skipped, target missed: not. */
	cr_assert_eq(syncer_case(0, 100, 4), 0);
}

Test(spec13, fact41_invalid_pages_freed)
{
	struct vm_machine *m;
	uint32_t obj, proc, inv, held, busy, wired;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 8);
	fx_map(m, proc, obj);
	/* Referenced and mapped, but invalid: freed without a look. */
	inv = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	(void)vm_pmap_access(m, proc, inv, false);
	m->pages[inv].aflags |= PGA_REFERENCED;
	m->pages[inv].valid = 0;
	/* The held, busy and wired tests come first. */
	held = fx_page(m, obj, 2, PQ_LAUNDRY, true);
	m->pages[held].valid = 0;
	vm_page_hold(m, held);
	busy = fx_page(m, obj, 4, PQ_LAUNDRY, true);
	m->pages[busy].valid = 0;
	m->pages[busy].busy = 1;
	wired = fx_page(m, obj, 6, PQ_LAUNDRY, true);
	m->pages[wired].valid = 0;
	vm_page_wire(m, wired);
	fx_check(m);

	/* The free does not count toward the target. */
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 0);
	fx_check(m);
	cr_assert_eq(m->cnt.v_dfree, 1);
	cr_assert_eq(m->cnt.v_reactivated, 0);
	cr_assert(m->pages[inv].flags & PG_FREE);
	cr_assert_eq(m->pages[held].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[busy].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[wired].queue, PQ_NONE);
	cr_assert_eq(m->pages[wired].object, obj);
	m->pages[busy].busy = 0;
	vm_machine_destroy(m);
}

Test(spec13, fact42_wired_and_held)
{
	struct vm_machine *m;
	uint32_t obj, w, wh;

	m = fx_machine(4096, 1024);
	obj = fx_object(m, 1, OBJT_SWAP, 8);
	w = fx_page(m, obj, 0, PQ_LAUNDRY, true);
	vm_page_wire(m, w);
	wh = fx_page(m, obj, 2, PQ_LAUNDRY, true);
	vm_page_wire(m, wh);
	vm_page_hold(m, wh);
	fx_check(m);

	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 0);
	fx_check(m);
	/* Wired: dequeued, not counted, not paged out. */
	cr_assert_eq(m->pages[w].queue, PQ_NONE);
	cr_assert_eq(m->pages[w].busy, 0);
	cr_assert_eq(m->pages[w].dirty, VM_PAGE_BITS_ALL);
	/* Wired and held: the held test comes first, so skipped. */
	cr_assert_eq(m->pages[wh].queue, PQ_LAUNDRY);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 1);
	cr_assert_eq(m->cnt.v_swapout, 0);
	vm_machine_destroy(m);
}

Test(spec13, fact45_cleaned_pages_before_inacthead)
{
	struct vm_machine *m;
	const struct vm_io *io[3] = { NULL, NULL, NULL };
	uint32_t a, b, c, v, i1, q[16], A, B, C, V, I;
	int i;

	m = fx_machine(4096, 1024);
	I = fx_object(m, 9, OBJT_SWAP, 4);
	i1 = fx_page(m, I, 0, PQ_INACTIVE, false);
	A = fx_object(m, 1, OBJT_SWAP, 4);
	B = fx_object(m, 2, OBJT_SWAP, 4);
	C = fx_object(m, 3, OBJT_SWAP, 4);
	V = fx_object(m, 4, OBJT_VNODE, 4);
	a = fx_page(m, A, 0, PQ_LAUNDRY, true);
	v = fx_page(m, V, 0, PQ_LAUNDRY, true);
	b = fx_page(m, B, 0, PQ_LAUNDRY, true);
	c = fx_page(m, C, 0, PQ_LAUNDRY, true);

	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 4);
	fx_check(m);
	/* The vnode write is synchronous: v is already before inacthead. */
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 16), 3);
	cr_assert_eq(q[0], v);
	cr_assert_eq(q[1], m->dom[0].inacthead);
	cr_assert_eq(q[2], i1);

	/* Started in order a, v, b, c; swap writes complete c, a, b. */
	for (i = 0; i < 4; i++) {
		const struct vm_io *t = vm_io_take(m);

		cr_assert_not_null(t);
		if (t->kind == VM_IO_VNODE_WRITE)
			vm_io_complete(m, t->id, false);
		else if (t->pages[0] == a)
			io[0] = t;
		else if (t->pages[0] == b)
			io[1] = t;
		else
			io[2] = t;
	}
	vm_io_complete(m, io[2]->id, false);
	vm_io_complete(m, io[0]->id, false);
	vm_io_complete(m, io[1]->id, false);
	fx_check(m);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 16), 6);
	cr_assert_eq(q[0], v);
	cr_assert_eq(q[1], c);
	cr_assert_eq(q[2], a);
	cr_assert_eq(q[3], b);
	cr_assert_eq(q[4], m->dom[0].inacthead);
	cr_assert_eq(q[5], i1);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(m->pages[q[i]].dirty, 0);
		cr_assert_eq(m->pages[q[i]].busy, 0);
	}
	vm_machine_destroy(m);
}

Test(spec13, fact46_write_after_cluster_faults)
{
	struct vm_machine *m;
	uint32_t obj, proc, p;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 4);
	fx_map(m, proc, obj);
	p = fx_page(m, obj, 0, PQ_LAUNDRY, false);
	/* A write through a writable mapping: no fault. */
	cr_assert(vm_pmap_access(m, proc, p, true));
	cr_assert_not(vm_pmap_access(m, proc, p, true));
	m->pages[p].aflags = 0;

	cr_assert_eq(vm_pageout_cluster(m, p, NULL, NULL), 1);
	cr_assert_eq(fx_complete_all(m), 1);
	fx_check(m);
	cr_assert_eq(m->pages[p].queue, PQ_INACTIVE);
	cr_assert_eq(m->pages[p].dirty, 0);
	cr_assert(vm_swap_has(m, obj, 0));

	/* Write-protected by the cluster: the write is a soft fault ... */
	cr_assert(vm_pmap_access(m, proc, p, true));
	/* ... whose handler activates the page (vm_fault). */
	vm_page_activate(m, p);
	fx_check(m);
	cr_assert_eq(m->pages[p].queue, PQ_ACTIVE);
	cr_assert_geq(m->pages[p].act_count, 5);
	cr_assert_eq(m->pages[p].dirty, VM_PAGE_BITS_ALL);
	cr_assert_not(vm_swap_has(m, obj, 0));
	vm_machine_destroy(m);
}

Test(spec13, fact47_no_laundry_no_background)
{
	struct vm_machine *m;
	struct laundry_worker lw;
	struct lw_decision dec;
	uint32_t U, A;

	/* A large UNSWAPPABLE backlog, L = 0, free + I > 0: never. */
	m = fx_machine(4096, 0);
	U = fx_object(m, 1, OBJT_SWAP, 3000);
	fx_pages(m, U, 0, 3000, PQ_UNSWAPPABLE, true);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(dec.wait, LW_WAIT_SLEEP);
	cr_assert_eq(lw.target, 0);
	cr_assert_eq(m->cnt.laundry_calls, 0);
	vm_machine_destroy(m);

	/* free + I = 0: 0 >= 0 starts a run with nothing to launder. */
	m = fx_machine(4096, 0);
	U = fx_object(m, 1, OBJT_SWAP, 3000);
	fx_pages(m, U, 0, 3000, PQ_UNSWAPPABLE, true);
	A = fx_object(m, 2, OBJT_SWAP, 1096);
	fx_pages(m, A, 0, 1096, PQ_ACTIVE, false);
	cr_assert_eq(m->dom[0].free_count, 0);
	laundry_worker_init(&lw, 0, 5);
	dec = laundry_worker_run(m, &lw, &clk);
	fx_check(m);
	cr_assert_eq(m->cnt.laundry_calls, 1);
	cr_assert_eq(lw.target, 5);
	cr_assert_eq(dec.wait, LW_WAIT_PAUSE);
	vm_machine_destroy(m);
}
