/*
 * test_variants.c - the model variants (docs/model.md, "Model variants"):
 * each later FreeBSD change is pinned with its flag set, and the same
 * state without the flag keeps the seed's behaviour, so a variant that is
 * not applied, or applied without its flag, fails here.
 */
#include <criterion/criterion.h>

#include "lib/pd_env.h"

/* ---- pidctrl-2018-06: pidctrl_daemon() of e768070ca939 ---- */

/* The controller of a 262144-page domain (setpoint 5643, spec 7.3). */
static void
pid_262144(struct pidctrl *pc)
{
	pidctrl_init(pc, 100, 5643, PIDCTRL_BOUND, PIDCTRL_KPD, PIDCTRL_KID,
	    PIDCTRL_KDD);
}

/*
 * A second call 10 ticks into the interval, free 4643 both times (spec
 * 7.3's example): the seed re-adds the raw error (e 2000, integral 3000,
 * derivative 2000: 1666 - 708 = 958); the rewrite adds only what changed
 * since the last call, 1000 - (1000 - 708) = 708 (error 1708, integral
 * 1708, derivative 1708: 569 + 427 + 213 = 1209, 1209 - 708 = 501).
 */
Test(variants, pidctrl_2018_06_asks_only_for_what_changed)
{
	struct pidctrl seed, later;

	pid_262144(&seed);
	pid_262144(&later);
	cr_assert_eq(pidctrl_daemon(&seed, 4643, PDT_TICKS0), 708);
	cr_assert_eq(pidctrl_daemon_2018(&later, 4643, PDT_TICKS0), 708);
	cr_assert_eq(pidctrl_daemon(&seed, 4643, PDT_TICKS0 + 10), 958);
	cr_assert_eq(pidctrl_daemon_2018(&later, 4643, PDT_TICKS0 + 10), 501);
	cr_assert_eq(later.pc_error, 1708);
	cr_assert_eq(later.pc_integral, 1708);
	cr_assert_eq(later.pc_output, 1209);
}

/*
 * An early call while the error is negative (the case the commit message
 * names): six intervals at free 4643 (integral 6000), then free 6643 at an
 * interval start (both: 667) and again 10 ticks later.  The seed clamps the
 * error at 0 and takes the derivative from it: 0 + 1250 - 125 = 1125, so
 * 458 more.  The rewrite keeps the error negative and adds the
 * difference to the integral: error -333, integral 5667, derivative
 * -1333: -111 + 1416 - 166 = 1139, so 472 more.
 */
Test(variants, pidctrl_2018_06_early_call_with_negative_error)
{
	struct pidctrl seed, later;
	int32_t t;
	int i;

	pid_262144(&seed);
	pid_262144(&later);
	for (i = 0, t = PDT_TICKS0; i < 6; i++, t += 100) {
		(void)pidctrl_daemon(&seed, 4643, t);
		(void)pidctrl_daemon_2018(&later, 4643, t);
	}
	cr_assert_eq(seed.pc_integral, 6000);
	cr_assert_eq(later.pc_integral, 6000);
	cr_assert_eq(pidctrl_daemon(&seed, 6643, t), 667);
	cr_assert_eq(pidctrl_daemon_2018(&later, 6643, t), 667);
	cr_assert_eq(pidctrl_daemon(&seed, 6643, t + 10), 458);
	cr_assert_eq(pidctrl_daemon_2018(&later, 6643, t + 10), 472);
	cr_assert_eq(seed.pc_error, 0);
	cr_assert_eq(later.pc_error, -333);
	cr_assert_eq(later.pc_integral, 5667);
}

/* Two worker iterations 10 ticks apart at free 4643; the second's output. */
static int32_t
worker_second_output(uint32_t variants)
{
	struct pageout_worker w;
	struct pdt_env e;
	int32_t out;

	pdt_boot_pages(&e, 262144, 1);
	e.m->variants = variants;
	pdt_set_free(&e, 0, 4643);
	pageout_worker_init(&w, e.m, 0);
	(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
	cr_assert_eq(w.shortage, 708);
	pdt_advance(&e, 10);
	(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
	out = w.shortage;
	pdt_shutdown(&e);
	return (out);
}

/* The worker uses the rewrite exactly when the flag is set. */
Test(variants, pidctrl_2018_06_reaches_the_worker_through_its_flag)
{
	cr_assert_eq(worker_second_output(0), 958);
	cr_assert_eq(worker_second_output(PG_VARIANT(PIDCTRL_2018_06)), 501);
	cr_assert_eq(worker_second_output(PG_VARIANTS_ALL &
	    ~PG_VARIANT(PIDCTRL_2018_06)), 958);
}

/* ---- active-target: vm_pageout_active_target() ---- */

/*
 * Spec 7.4 G's example (I 5000 referenced unmapped pages that stay, L 3000
 * dirty, A 7000 pages of act_count 1, free 4000), scanned with a positive
 * starting shortage.  Returns the pages the active scan moved.
 */
static uint32_t
active_moved(uint32_t variants)
{
	struct pdt_env e;
	uint32_t oi, ol, oa, i, p, moved;

	pdt_boot_pages(&e, 262144, 1);
	e.m->variants = variants;
	oi = pdt_object(&e, OBJT_DEFAULT, 5000, false);
	ol = pdt_object(&e, OBJT_DEFAULT, 3000, false);
	oa = pdt_object(&e, OBJT_DEFAULT, 7000, false);
	for (i = 0; i < 5000; i++) {
		p = pdt_page(&e, 0, oi, i, PQ_INACTIVE);
		e.m->pages[p].aflags |= PGA_REFERENCED;
	}
	for (i = 0; i < 3000; i++) {
		p = pdt_page(&e, 0, ol, i, PQ_LAUNDRY);
		e.m->pages[p].dirty = VM_PAGE_BITS_ALL;
	}
	for (i = 0; i < 7000; i++) {
		p = pdt_page(&e, 0, oa, i, PQ_ACTIVE);
		e.m->pages[p].act_count = 1;
	}
	pdt_set_free(&e, 0, 4000);
	e.m->dom[0].pageout_deficit = 0;
	cr_assert_not(pdt_scan(&e, 0, 1, 100));
	cr_assert_eq(e.m->dom[0].free_count, 4000);
	moved = 7000 - e.m->dom[0].pq[PQ_ACTIVE].cnt;
	/* Clean pages of act_count 0: all of them went inactive. */
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].cnt, 5000 + moved);
	pdt_shutdown(&e);
	return (moved);
}

/*
 * The seed counts N = L (pq re-aimed at PQ_LAUNDRY, S:1356/S:1399):
 * 3 * (8464 - (3000 + 1000) + 1643) = 18321, 6107 clean pages moved.  The
 * variant counts PQ_INACTIVE: 3 * (8464 - (5000 + 1000) + 1643) = 12321,
 * 4107 pages.
 */
Test(variants, active_target_counts_the_inactive_queue)
{
	cr_assert_eq(active_moved(0), 6107);
	cr_assert_eq(active_moved(PG_VARIANT(ACTIVE_TARGET)), 4107);
	cr_assert_eq(active_moved(PG_VARIANTS_ALL &
	    ~PG_VARIANT(ACTIVE_TARGET)), 6107);
}

/* ---- oom-instant-shortage: vm_pageout_mightbe_oom() of 78546fb0e321 ---- */

/*
 * Twelve reclaiming scans that free nothing (an empty inactive queue) in a
 * domain whose free count is free; returns the OOM kills.
 */
static uint64_t
kills_after_12_failures(uint32_t variants, bool paging_needed)
{
	struct pdt_env e;
	uint32_t proc, obj, i, p;
	uint64_t kills;

	pdt_boot_pages(&e, 8192, 1);
	e.m->variants = variants;
	cr_assert_eq(vm_proc_create(e.m, 200, "hog", &proc), 0);
	obj = pdt_object(&e, OBJT_DEFAULT, 32, false);
	cr_assert_eq(vm_proc_map(e.m, proc, obj), 0);
	for (i = 0; i < 10; i++) {
		p = pdt_page(&e, 0, obj, i, PQ_NONE);
		vm_page_wire(e.m, p);
	}
	if (paging_needed)
		pdt_set_free(&e, 0, e.m->dom[0].th.pageout_wakeup_thresh - 1);
	cr_assert_eq(e.m->dom[0].free_count >=
	    e.m->dom[0].th.pageout_wakeup_thresh, !paging_needed);
	for (i = 0; i < 12; i++)
		cr_assert_not(pdt_scan(&e, 0, 2, 100));
	kills = e.m->cnt.oom_kills;
	if (!paging_needed && (variants & PG_VARIANT(OOM_INSTANT_SHORTAGE)))
		cr_assert_eq(e.m->dom[0].oom_seq, 0);
	pdt_shutdown(&e);
	return (kills);
}

/*
 * The seed kills at the 12th failed scan even with free memory above the
 * wakeup threshold (the PID controller still asking); the variant counts
 * a failure only while the domain needs paging, and still kills when it
 * does.
 */
Test(variants, oom_instant_shortage_counts_only_while_paging_is_needed)
{
	uint32_t v = PG_VARIANT(OOM_INSTANT_SHORTAGE);

	cr_assert_eq(kills_after_12_failures(0, false), 1);
	cr_assert_eq(kills_after_12_failures(v, false), 0);
	cr_assert_eq(kills_after_12_failures(PG_VARIANTS_ALL & ~v, false), 1);
	cr_assert_eq(kills_after_12_failures(0, true), 1);
	cr_assert_eq(kills_after_12_failures(v, true), 1);
}

/* ---- inactive-dirty-limit: the inactive scan of review D48337 ---- */

struct dirty_scan {
	uint32_t laundered;	/* pages the scan sent to the laundry */
	uint32_t freed;		/* clean pages it freed */
	bool met;		/* its target was met */
	uint8_t request;	/* the laundry request it left */
};

/*
 * An inactive queue of 3000 dirty pages of an object of type dirty_type
 * followed by 1000 clean file pages (all unmapped, unreferenced), with
 * 1 GiB of swap or none, scanned by a reclaiming pass for 100 pages.
 */
static struct dirty_scan
dirty_scan(uint32_t variants, enum vm_objtype dirty_type, bool swap)
{
	struct dirty_scan r;
	struct pdt_env e;
	uint32_t od, oc, i, p, free0;

	pdt_config(&e.cfg, 262144, 1);
	if (swap)
		e.cfg.swap_bytes = UINT64_C(1) << 30;
	pdt_boot(&e);
	cr_assert_eq(vm_swap_almost_full(e.m) == 0, swap);
	e.m->variants = variants;
	od = pdt_object(&e, dirty_type, 3000, false);
	oc = pdt_object(&e, OBJT_VNODE, 1000, false);
	for (i = 0; i < 3000; i++) {
		p = pdt_page(&e, 0, od, i, PQ_INACTIVE);
		e.m->pages[p].dirty = VM_PAGE_BITS_ALL;
	}
	(void)pdt_pages(&e, 0, oc, 0, 1000, PQ_INACTIVE);
	e.m->dom[0].pageout_deficit = 0;
	free0 = e.m->dom[0].free_count;
	r.met = pdt_scan(&e, 0, 1, 100);
	r.laundered = e.m->dom[0].pq[PQ_LAUNDRY].cnt;
	r.freed = e.m->dom[0].free_count - free0;
	r.request = e.m->dom[0].laundry_request;
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].cnt,
	    4000 - r.laundered - r.freed);
	pdt_shutdown(&e);
	return (r);
}

/*
 * The seed walks past all 3000 dirty pages (each to the laundry) to the
 * clean ones and frees 100: target met, a background request.  The
 * variant stops at the 100th dirty page (inact_scan_laundry_weight 1 x
 * 100 wanted): 100 laundered, none freed, target missed, a shortfall
 * request for the laundry thread.
 */
Test(variants, inactive_dirty_limit_stops_after_as_many_dirty_pages)
{
	uint32_t v = PG_VARIANT(INACTIVE_DIRTY_LIMIT);
	struct dirty_scan r;

	r = dirty_scan(0, OBJT_VNODE, false);
	cr_assert_eq(r.laundered, 3000);
	cr_assert_eq(r.freed, 100);
	cr_assert(r.met);
	cr_assert_eq(r.request, VM_LAUNDRY_BACKGROUND);
	r = dirty_scan(v, OBJT_VNODE, false);
	cr_assert_eq(r.laundered, 100);
	cr_assert_eq(r.freed, 0);
	cr_assert_not(r.met);
	cr_assert_eq(r.request, VM_LAUNDRY_SHORTFALL);
	r = dirty_scan(PG_VARIANTS_ALL & ~v, OBJT_VNODE, false);
	cr_assert_eq(r.laundered, 3000);
	cr_assert_eq(r.freed, 100);
}

/*
 * Anonymous dirty pages count only while swap is not (nearly) full: with
 * no swap device (swap_pager_almost_full set) the variant walks past them
 * as the seed does; with 1 GiB of free swap it stops at 100.
 */
Test(variants, inactive_dirty_limit_skips_anonymous_pages_without_swap)
{
	uint32_t v = PG_VARIANT(INACTIVE_DIRTY_LIMIT);
	struct dirty_scan r;

	r = dirty_scan(v, OBJT_DEFAULT, false);
	cr_assert_eq(r.laundered, 3000);
	cr_assert_eq(r.freed, 100);
	cr_assert(r.met);
	r = dirty_scan(v, OBJT_DEFAULT, true);
	cr_assert_eq(r.laundered, 100);
	cr_assert_eq(r.freed, 0);
	cr_assert_not(r.met);
	r = dirty_scan(0, OBJT_DEFAULT, true);
	cr_assert_eq(r.laundered, 3000);
	cr_assert_eq(r.freed, 100);
}
