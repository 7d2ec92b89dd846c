/*
 * test_scan.c - vm_pageout_scan() against the facts of spec 13 (suite
 * spec13) and the review precisions of spec 15 (suite quirks).
 *
 * Machines of 4096 pages in one domain unless said otherwise:
 * free_target 147, pageout_wakeup_thresh 126, inactive_target 220 (spec
 * 3.1).  The inacthead marker sits at the head of the inactive queue, so
 * pages enqueued by a test come after it.
 */
#include <criterion/criterion.h>

#include "lib/pd_env.h"

#define FT 147		/* free_target of a 4096-page domain */
#define IT 220		/* inactive_target */

/* ticks that make min_scan = n for a queue of cnt pages (hz 1000, 600 s). */
static void
pdt_min_scan(struct pdt_env *e, uint32_t d, uint32_t n, uint32_t cnt)
{
	uint32_t dt;

	dt = (uint32_t)((uint64_t)n * 600000 / cnt);
	e->m->dom[d].last_active_scan = (int32_t)((uint32_t)e->clk.ticks - dt);
}

static struct vm_page *
P(struct pdt_env *e, uint32_t p)
{
	return (&e->m->pages[p]);
}

/* ---- inactive scan ---- */

/* fact 12: T3 from an inactive page whose object is mapped. */
static void
fact12_case(int abits, uint8_t want)
{
	struct pdt_env e;
	uint32_t o, p;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, true);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 1, PQ_INACTIVE);	/* behind it: unexamined (D7) */
	P(&e, p)->aflags |= PGA_REFERENCED;
	if (abits > 0)
		(void)vm_pmap_access(e.m, e.proc, p, false);
	pdt_check(&e);
	cr_assert_not(pdt_scan(&e, 0, 1, 10));
	cr_assert_eq(P(&e, p)->queue, PQ_ACTIVE);
	cr_assert_eq(e.m->dom[0].pq[PQ_ACTIVE].tail, p);
	cr_assert_eq(P(&e, p)->act_count, want);
	cr_assert_eq(P(&e, p)->aflags & PGA_REFERENCED, 0);
	cr_assert_eq(e.m->cnt.v_reactivated, 1);
	pdt_shutdown(&e);
}

Test(spec13, fact12_reactivation_act_count_9)
{
	fact12_case(0, 9);
}

Test(spec13, fact12_reactivation_act_count_10_with_a_bit)
{
	fact12_case(1, 10);
}

Test(spec13, fact13_unmapped_referenced_back_to_inactive_tail)
{
	struct pdt_env e;
	uint32_t o, p, spare;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	spare = pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	P(&e, p)->aflags |= PGA_REFERENCED;
	P(&e, p)->act_count = 0;
	cr_assert_not(pdt_scan(&e, 0, 1, 10));
	cr_assert_eq(P(&e, p)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].tail, p);
	cr_assert_eq(pdt_qpos(&e, spare), 1);
	cr_assert_eq(P(&e, p)->act_count, 0);
	cr_assert_eq(P(&e, p)->aflags & PGA_REFERENCED, 0);
	cr_assert_eq(e.m->cnt.v_reactivated, 0);
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].cnt, 2);
	pdt_shutdown(&e);
}

Test(spec13, fact14_clean_freed_dirty_laundered)
{
	struct pdt_env e;
	uint32_t o, p, free0;

	/* Clean: freed, page_shortage 1 -> 0, target met. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	free0 = e.m->dom[0].free_count;
	cr_assert(pdt_scan(&e, 0, 1, 1));
	cr_assert_eq(P(&e, p)->object, VM_NONE);
	cr_assert_eq(e.m->dom[0].free_count, free0 + 1);
	cr_assert_eq(e.m->cnt.v_dfree, 1);
	cr_assert_eq(e.m->dom[0].clean_pages_freed, 1);
	pdt_shutdown(&e);

	/* Dirty: LAUNDRY tail, page_shortage stays 1. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	P(&e, p)->dirty = VM_PAGE_BITS_ALL;
	free0 = e.m->dom[0].free_count;
	cr_assert_not(pdt_scan(&e, 0, 1, 1));
	cr_assert_eq(P(&e, p)->queue, PQ_LAUNDRY);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].tail, p);
	cr_assert_eq(e.m->dom[0].free_count, free0);
	cr_assert_eq(e.m->cnt.v_dfree, 0);
	cr_assert_eq(e.m->dom[0].clean_pages_freed, 0);
	pdt_shutdown(&e);
}

Test(spec13, fact15_v_pdpages_counts_inacthead_not_active_markers)
{
	struct pdt_env e;
	uint32_t o, a, x, y, mk;
	uint64_t visited;

	/* Inactive: [inacthead, a, b]; maxscan 2 visits inacthead and a. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	a = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	cr_assert(vm_pageout_scan(e.m, &e.sh, 0, 1, 100, &e.clk, &visited) ==
	    false);
	pdt_check(&e);
	cr_assert_eq(P(&e, a)->object, VM_NONE);	/* a was freed */
	cr_assert_eq(e.m->cnt.v_pdpages, 2);
	cr_assert_eq(visited, 2);

	/*
	 * Active: [x, marker, y] and min_scan 3: the marker takes a unit of
	 * scanned (visited) but not of v_pdpages.
	 */
	x = pdt_page(&e, 0, o, 10, PQ_ACTIVE);
	y = pdt_page(&e, 0, o, 11, PQ_ACTIVE);
	P(&e, x)->act_count = 5;
	P(&e, y)->act_count = 5;
	mk = e.m->dom[0].laundry_marker;
	vm_pagequeue_insert_after(e.m, x, mk);
	pdt_min_scan(&e, 0, 3, 2);
	e.m->cnt.v_pdpages = 0;
	cr_assert(vm_pageout_scan(e.m, &e.sh, 0, 0, 0, &e.clk, &visited));
	vm_pagequeue_remove(e.m, mk);
	cr_assert_eq(visited, 3);
	cr_assert_eq(e.m->cnt.v_pdpages, 2);
	cr_assert_eq(P(&e, x)->act_count, 4);
	cr_assert_eq(P(&e, y)->act_count, 4);
	pdt_shutdown(&e);
}

/*
 * The number of dirty act_count-1 pages the active scan launders is
 * inactq_shortage exactly when every page costs 1 (spec 7.4 H), so these
 * tests read the active-scan target from it.
 */
static uint32_t
pdt_dirty_active(struct pdt_env *e, uint32_t n)
{
	uint32_t o, i, p, first;

	o = pdt_object(e, OBJT_DEFAULT, n, false);
	first = VM_NONE;
	for (i = 0; i < n; i++) {
		p = pdt_page(e, 0, o, i, PQ_ACTIVE);
		P(e, p)->dirty = VM_PAGE_BITS_ALL;
		P(e, p)->act_count = 1;
		if (i == 0)
			first = p;
	}
	return (first);
}

Test(spec13, fact16_held_and_busy_stay_and_raise_the_target)
{
	struct pdt_env e;
	uint32_t o, h, b;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	h = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	b = pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 2, PQ_INACTIVE);
	P(&e, h)->hold_count = 1;
	P(&e, b)->busy = 1;
	(void)pdt_dirty_active(&e, 1000);
	pdt_set_free(&e, 0, 100);
	pdt_check(&e);
	cr_assert_not(pdt_scan(&e, 0, 1, 10));
	cr_assert_eq(pdt_qpos(&e, h), 1);
	cr_assert_eq(pdt_qpos(&e, b), 2);
	cr_assert_eq(P(&e, h)->queue, PQ_INACTIVE);
	cr_assert_eq(P(&e, b)->queue, PQ_INACTIVE);
	/* 3 * (220 - (0 + 0/3) + (147 - 100) + 0 + addl 2) = 807, not 801. */
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt,
	    3 * (IT - 0 + (FT - 100) + 0 + 2));
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 807);
	P(&e, h)->hold_count = 0;
	P(&e, b)->busy = 0;
	pdt_shutdown(&e);
}

/* ---- active scan ---- */

Test(spec13, fact17_act_count_clamp_and_destinations)
{
	struct pdt_env e;
	uint32_t o, om, r, uc, ud;

	/* inactq_shortage <= 0 (plenty free): both go to the INACTIVE tail. */
	pdt_boot_pages(&e, 4096, 1);
	om = pdt_object(&e, OBJT_DEFAULT, 64, true);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	r = pdt_page(&e, 0, om, 0, PQ_ACTIVE);
	uc = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	ud = pdt_page(&e, 0, o, 1, PQ_ACTIVE);
	P(&e, r)->act_count = 62;
	P(&e, r)->aflags |= PGA_REFERENCED;
	(void)vm_pmap_access(e.m, e.proc, r, false);	/* act_delta 2 */
	P(&e, uc)->act_count = 1;
	P(&e, ud)->act_count = 1;
	P(&e, ud)->dirty = VM_PAGE_BITS_ALL;
	pdt_min_scan(&e, 0, 3, 3);
	pdt_check(&e);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, r)->act_count, 64);
	cr_assert_eq(P(&e, r)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, uc)->act_count, 0);
	cr_assert_eq(P(&e, uc)->queue, PQ_INACTIVE);
	cr_assert_eq(P(&e, ud)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].tail, ud);
	pdt_shutdown(&e);

	/* inactq_shortage > 0: clean to INACTIVE, dirty to LAUNDRY. */
	pdt_boot_pages(&e, 4096, 1);
	om = pdt_object(&e, OBJT_DEFAULT, 64, true);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	r = pdt_page(&e, 0, om, 0, PQ_ACTIVE);
	uc = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	ud = pdt_page(&e, 0, o, 1, PQ_ACTIVE);
	P(&e, r)->act_count = 62;
	P(&e, r)->aflags |= PGA_REFERENCED;
	(void)vm_pmap_access(e.m, e.proc, r, false);
	P(&e, uc)->act_count = 1;
	P(&e, ud)->act_count = 1;
	P(&e, ud)->dirty = VM_PAGE_BITS_ALL;
	pdt_set_free(&e, 0, 100);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, r)->act_count, 64);
	cr_assert_eq(e.m->dom[0].pq[PQ_ACTIVE].tail, r);
	cr_assert_eq(P(&e, uc)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->dom[0].pq[PQ_INACTIVE].tail, uc);
	cr_assert_eq(P(&e, ud)->queue, PQ_LAUNDRY);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].tail, ud);
	pdt_shutdown(&e);
}

Test(spec13, fact18_dirty_goes_inactive_without_shortage)
{
	struct pdt_env e;
	uint32_t o, ud;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	ud = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	P(&e, ud)->act_count = 1;
	P(&e, ud)->dirty = VM_PAGE_BITS_ALL;
	pdt_min_scan(&e, 0, 1, 1);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, ud)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 0);
	cr_assert_eq(P(&e, ud)->dirty, VM_PAGE_BITS_ALL);
	pdt_shutdown(&e);
}

Test(spec13, fact19_clean_costs_3_dirty_costs_1)
{
	struct pdt_env e;
	uint32_t o, c1, c2, d[4];
	int i;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	c1 = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	for (i = 0; i < 4; i++) {
		d[i] = pdt_page(&e, 0, o, (uint32_t)(1 + i), PQ_ACTIVE);
		P(&e, d[i])->dirty = VM_PAGE_BITS_ALL;
		P(&e, d[i])->act_count = 1;
	}
	c2 = pdt_page(&e, 0, o, 5, PQ_ACTIVE);
	P(&e, c1)->act_count = 1;
	P(&e, c2)->act_count = 1;
	/* 3 * (220 - (0 + 0) + (147 - 365)) = 6. */
	pdt_set_free(&e, 0, 365);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	/* 6 - 3 (c1) - 1 - 1 - 1 (d0..d2) = 0: the walk stops. */
	cr_assert_eq(P(&e, c1)->queue, PQ_INACTIVE);
	cr_assert_eq(P(&e, d[0])->queue, PQ_LAUNDRY);
	cr_assert_eq(P(&e, d[1])->queue, PQ_LAUNDRY);
	cr_assert_eq(P(&e, d[2])->queue, PQ_LAUNDRY);
	cr_assert_eq(P(&e, d[3])->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, d[3])->act_count, 1);
	cr_assert_eq(P(&e, c2)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, c2)->act_count, 1);
	pdt_shutdown(&e);
}

/*
 * Fact 20's state on a 262144-page domain (free_target 5643,
 * inactive_target 8464): I = 5000 referenced unmapped pages (an inactive
 * scan only requeues them), L = 3000, free 4000, and 7000 clean
 * act_count-1 active pages, each of which lowers the target by 3.
 */
static void
fact20_state(struct pdt_env *e)
{
	uint32_t oi, ol, oa, i, p;

	pdt_boot_pages(e, 262144, 1);
	cr_assert_eq(e->m->dom[0].th.inactive_target, 8464);
	cr_assert_eq(e->m->dom[0].th.free_target, 5643);
	oi = pdt_object(e, OBJT_DEFAULT, 5000, false);
	ol = pdt_object(e, OBJT_DEFAULT, 3000, false);
	oa = pdt_object(e, OBJT_DEFAULT, 7000, false);
	for (i = 0; i < 5000; i++) {
		p = pdt_page(e, 0, oi, i, PQ_INACTIVE);
		P(e, p)->aflags |= PGA_REFERENCED;
	}
	for (i = 0; i < 3000; i++) {
		p = pdt_page(e, 0, ol, i, PQ_LAUNDRY);
		P(e, p)->dirty = VM_PAGE_BITS_ALL;
	}
	for (i = 0; i < 7000; i++) {
		p = pdt_page(e, 0, oa, i, PQ_ACTIVE);
		P(e, p)->act_count = 1;
	}
	pdt_set_free(e, 0, 4000);
	e->m->dom[0].pageout_deficit = 0;
	pdt_check(e);
}

Test(spec13, fact20_active_target_uses_laundry_count_when_start_positive)
{
	struct pdt_env e;

	/* pass 0: start 0, N = I: 3 * (8464 - (5000 + 1000) + 1643) = 12321. */
	fact20_state(&e);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->dom[0].free_count, 4000);
	cr_assert_eq(7000 - e.m->dom[0].pq[PQ_ACTIVE].cnt, 12321 / 3);
	pdt_shutdown(&e);

	/* start > 0: N = L: 3 * (8464 - (3000 + 1000) + 1643) = 18321. */
	fact20_state(&e);
	cr_assert_not(pdt_scan(&e, 0, 1, 100));
	cr_assert_eq(e.m->dom[0].free_count, 4000);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 3000);
	cr_assert_eq(7000 - e.m->dom[0].pq[PQ_ACTIVE].cnt, 18321 / 3);
	pdt_shutdown(&e);
}

Test(spec13, fact21_min_scan_43_and_5999_pages)
{
	struct pdt_env e;
	uint32_t o, i, p;
	int32_t tick;

	/* 262144 active pages, 100 ticks: 262144 * 100 / 600000 = 43. */
	pdt_boot_pages(&e, 300000, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 262144, false);
	for (i = 0; i < 262144; i++) {
		p = pdt_page(&e, 0, o, i, PQ_ACTIVE);
		P(&e, p)->act_count = 10;
	}
	pdt_advance(&e, 100);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->cnt.v_pdpages, 43);
	cr_assert_eq(e.m->dom[0].last_active_scan, e.clk.ticks);

	/* D18: the same 100 ticks across the wrap of ticks. */
	e.m->dom[0].last_active_scan = INT32_MAX - 50;
	e.clk.ticks = INT32_MIN + 49;
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->cnt.v_pdpages, 86);
	cr_assert_eq(e.m->dom[0].last_active_scan, INT32_MIN + 49);
	pdt_shutdown(&e);

	/* 5999 pages: 0 after 100 ticks (not recorded), 1 after 200. */
	pdt_boot_pages(&e, 8192, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 5999, false);
	for (i = 0; i < 5999; i++) {
		p = pdt_page(&e, 0, o, i, PQ_ACTIVE);
		P(&e, p)->act_count = 10;
	}
	tick = e.m->dom[0].last_active_scan;
	pdt_advance(&e, 100);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->cnt.v_pdpages, 0);
	cr_assert_eq(e.m->dom[0].last_active_scan, tick);
	pdt_advance(&e, 100);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->cnt.v_pdpages, 1);
	cr_assert_eq(e.m->dom[0].last_active_scan, e.clk.ticks);
	pdt_shutdown(&e);
}

/* ---- laundry request, deficit, pass 0 ---- */

Test(spec13, fact37_laundry_request)
{
	struct pdt_env e;
	struct vm_domain *vmd;
	uint32_t o, ol, l;

	pdt_boot_pages(&e, 4096, 1);
	vmd = &e.m->dom[0];
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	ol = pdt_object(&e, OBJT_DEFAULT, 64, false);

	/* L = 0, no swap: no request, but clean_pages_freed is kept. */
	(void)pdt_pages(&e, 0, o, 0, 10, PQ_INACTIVE);
	cr_assert(pdt_scan(&e, 0, 1, 3));
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(e.m->notify.laundry_wakeup, 0);
	cr_assert_eq(vmd->clean_pages_freed, 3);

	/* pass 0 with L > 0: no request. */
	l = pdt_page(&e, 0, ol, 0, PQ_LAUNDRY);
	P(&e, l)->dirty = VM_PAGE_BITS_ALL;
	cr_assert(pdt_scan(&e, 0, 0, 50));
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(e.m->notify.laundry_wakeup, 0);

	/* Target met with L > 0: BACKGROUND. */
	cr_assert(pdt_scan(&e, 0, 1, 2));
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_BACKGROUND);
	cr_assert_eq(e.m->notify.laundry_wakeup, 1);
	cr_assert_eq(e.m->cnt.v_pdshortfalls, 0);
	cr_assert_eq(vmd->clean_pages_freed, 5);

	/* A pending BACKGROUND request is not upgraded, nobody is woken. */
	e.m->notify.laundry_wakeup = 0;
	cr_assert_not(pdt_scan(&e, 0, 1, 1000));
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_BACKGROUND);
	cr_assert_eq(e.m->notify.laundry_wakeup, 0);
	cr_assert_eq(e.m->cnt.v_pdshortfalls, 0);

	/* IDLE and the target missed: SHORTFALL, v_pdshortfalls + 1. */
	vmd->laundry_request = VM_LAUNDRY_IDLE;
	cr_assert_not(pdt_scan(&e, 0, 1, 1000));
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_SHORTFALL);
	cr_assert_eq(e.m->notify.laundry_wakeup, 1);
	cr_assert_eq(e.m->cnt.v_pdshortfalls, 1);
	pdt_shutdown(&e);

	/* L = 0 but a swap device: a request all the same. */
	pdt_config(&e.cfg, 4096, 1);
	e.cfg.swap_bytes = 1024 * PG_PAGE_SIZE;
	pdt_boot(&e);
	cr_assert_neq(e.m->swapdev_enabled, 0);
	cr_assert_not(pdt_scan(&e, 0, 1, 5));
	cr_assert_eq(e.m->dom[0].laundry_request, VM_LAUNDRY_SHORTFALL);
	cr_assert_eq(e.m->notify.laundry_wakeup, 1);
	pdt_shutdown(&e);
}

/* Fact 40: 10 clean inactive pages, 1000 dirty active ones, free 100. */
static void
fact40_state(struct pdt_env *e)
{
	uint32_t o;

	pdt_boot_pages(e, 4096, 1);
	o = pdt_object(e, OBJT_DEFAULT, 64, false);
	(void)pdt_pages(e, 0, o, 0, 10, PQ_INACTIVE);
	(void)pdt_dirty_active(e, 1000);
	pdt_set_free(e, 0, 100);
}

Test(spec13, fact40_deficit_once_inactive_three_times_active)
{
	struct pdt_env e;

	/* deficit 5, shortage 0: 5 freed; 3 * (220 + (147 - 105) + 5) = 801. */
	fact40_state(&e);
	e.m->dom[0].pageout_deficit = 5;
	cr_assert(pdt_scan(&e, 0, 1, 0));
	cr_assert_eq(e.m->dom[0].pageout_deficit, 0);
	cr_assert_eq(e.m->cnt.v_dfree, 5);
	cr_assert_eq(e.m->dom[0].free_count, 105);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 801);
	pdt_shutdown(&e);

	/* The same 5 pages asked by the PID instead: 3 * (220 + 42) = 786. */
	fact40_state(&e);
	cr_assert(pdt_scan(&e, 0, 1, 5));
	cr_assert_eq(e.m->cnt.v_dfree, 5);
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 786);
	pdt_shutdown(&e);

	/* pass 0 leaves the deficit alone. */
	fact40_state(&e);
	e.m->dom[0].pageout_deficit = 5;
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->dom[0].pageout_deficit, 5);
	cr_assert_eq(e.m->cnt.v_dfree, 0);
	pdt_shutdown(&e);
}

Test(spec13, fact41_invalid_pages_freed_without_reference_check)
{
	struct pdt_env e;
	uint32_t om, w, inv, av;

	pdt_boot_pages(&e, 4096, 1);
	om = pdt_object(&e, OBJT_DEFAULT, 64, true);
	/* [inacthead, w (invalid, wired), inv (invalid, referenced), spare] */
	w = pdt_page(&e, 0, om, 0, PQ_INACTIVE);
	inv = pdt_page(&e, 0, om, 1, PQ_INACTIVE);
	(void)pdt_page(&e, 0, om, 2, PQ_INACTIVE);
	P(&e, w)->valid = 0;
	vm_page_wire(e.m, w);
	cr_assert_eq(P(&e, w)->queue, PQ_INACTIVE);
	P(&e, inv)->valid = 0;
	P(&e, inv)->aflags |= PGA_REFERENCED;
	pdt_check(&e);
	cr_assert(pdt_scan(&e, 0, 1, 1));
	/* The wired test comes first: dequeued, not freed. */
	cr_assert_eq(P(&e, w)->queue, PQ_NONE);
	cr_assert_eq(P(&e, w)->object, om);
	/* Freed although referenced and mapped; page_shortage 1 -> 0. */
	cr_assert_eq(P(&e, inv)->object, VM_NONE);
	cr_assert_eq(e.m->cnt.v_dfree, 1);
	cr_assert_eq(e.m->cnt.v_reactivated, 0);

	/* The active scan never tests valid: an invalid page only ages. */
	av = pdt_page(&e, 0, om, 3, PQ_ACTIVE);
	P(&e, av)->valid = 0;
	P(&e, av)->act_count = 5;
	pdt_min_scan(&e, 0, 1, 1);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, av)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, av)->act_count, 4);
	cr_assert_eq(P(&e, av)->object, om);
	pdt_shutdown(&e);
}

Test(spec13, fact42_wired_inactive_counted_wired_active_not)
{
	struct pdt_env e;
	uint32_t o, w1, w2, wa;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	w1 = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	w2 = pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	(void)pdt_page(&e, 0, o, 2, PQ_INACTIVE);
	wa = pdt_page(&e, 0, o, 3, PQ_ACTIVE);
	vm_page_wire(e.m, w1);
	vm_page_wire(e.m, w2);
	vm_page_wire(e.m, wa);
	cr_assert_eq(P(&e, wa)->queue, PQ_ACTIVE);
	(void)pdt_dirty_active(&e, 1000);
	pdt_set_free(&e, 0, 100);
	cr_assert_not(pdt_scan(&e, 0, 1, 10));
	cr_assert_eq(P(&e, w1)->queue, PQ_NONE);
	cr_assert_eq(P(&e, w2)->queue, PQ_NONE);
	cr_assert_eq(P(&e, wa)->queue, PQ_NONE);
	cr_assert_eq(P(&e, wa)->wire_count, 1);
	/* addl 2 from the inactive wired pages, nothing from the active one. */
	cr_assert_eq(e.m->dom[0].pq[PQ_LAUNDRY].cnt, 3 * (IT + (FT - 100) + 2));
	/* inactive: inacthead, w1, w2; active: wa and 807 laundered pages. */
	cr_assert_eq(e.m->cnt.v_pdpages, 3 + 1 + 807);
	pdt_shutdown(&e);
}

Test(spec13, fact43_pass0_skips_inactive_deficit_laundry_and_resets_oom_seq)
{
	struct pdt_env e;
	struct vm_domain *vmd;
	uint32_t o, ol, l, a[3], i;

	pdt_boot_pages(&e, 4096, 1);
	vmd = &e.m->dom[0];
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	ol = pdt_object(&e, OBJT_DEFAULT, 64, false);
	(void)pdt_pages(&e, 0, o, 0, 5, PQ_INACTIVE);
	l = pdt_page(&e, 0, ol, 0, PQ_LAUNDRY);
	P(&e, l)->dirty = VM_PAGE_BITS_ALL;
	for (i = 0; i < 3; i++) {
		a[i] = pdt_page(&e, 0, o, 10 + i, PQ_ACTIVE);
		P(&e, a[i])->act_count = 5;
	}
	vmd->pageout_deficit = 7;
	vmd->oom_seq = 5;
	pdt_min_scan(&e, 0, 3, 3);
	cr_assert(pdt_scan(&e, 0, 0, 50));
	cr_assert_eq(vmd->pq[PQ_INACTIVE].cnt, 5);
	cr_assert_eq(vmd->pageout_deficit, 7);
	cr_assert_eq(vmd->laundry_request, VM_LAUNDRY_IDLE);
	cr_assert_eq(e.m->notify.laundry_wakeup, 0);
	cr_assert_eq(vmd->oom_seq, 0);
	cr_assert_eq(vmd->clean_pages_freed, 0);
	cr_assert_eq(e.m->cnt.v_dfree, 0);
	/* Only the active scan ran: three pages, aged by one. */
	cr_assert_eq(e.m->cnt.v_pdpages, 3);
	for (i = 0; i < 3; i++)
		cr_assert_eq(P(&e, a[i])->act_count, 4);
	pdt_shutdown(&e);
}

/* ---- spec 15 ---- */

Test(quirks, d07_inacthead_costs_one_maxscan_unit)
{
	struct pdt_env e;
	uint32_t o, p, q;
	uint64_t visited;

	/* One page behind inacthead: never examined. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	cr_assert_not(vm_pageout_scan(e.m, &e.sh, 0, 1, 100, &e.clk,
	    &visited));
	pdt_check(&e);
	cr_assert_eq(visited, 1);
	cr_assert_eq(e.m->cnt.v_pdpages, 1);
	cr_assert_eq(P(&e, p)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->cnt.v_dfree, 0);
	pdt_shutdown(&e);

	/* Two pages: the first is freed, the second is not reached. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	p = pdt_page(&e, 0, o, 0, PQ_INACTIVE);
	q = pdt_page(&e, 0, o, 1, PQ_INACTIVE);
	cr_assert_not(pdt_scan(&e, 0, 1, 100));
	cr_assert_eq(P(&e, p)->object, VM_NONE);
	cr_assert_eq(P(&e, q)->queue, PQ_INACTIVE);
	cr_assert_eq(e.m->cnt.v_dfree, 1);
	pdt_shutdown(&e);
}

Test(quirks, d08_active_walk_stops_after_the_tail)
{
	struct pdt_env e;
	uint32_t o, a, b;

	/* One page, min_scan 5: visited once, since it was the tail. */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	a = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	P(&e, a)->act_count = 10;
	pdt_min_scan(&e, 0, 5, 1);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, a)->act_count, 9);
	cr_assert_eq(e.m->cnt.v_pdpages, 1);
	pdt_shutdown(&e);

	/*
	 * Two pages, min_scan 5: the page processed is always at the head
	 * with the other behind it, so the walk goes on: a b a b a.
	 */
	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	a = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	b = pdt_page(&e, 0, o, 1, PQ_ACTIVE);
	P(&e, a)->act_count = 10;
	P(&e, b)->act_count = 10;
	pdt_min_scan(&e, 0, 5, 2);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, a)->act_count, 7);
	cr_assert_eq(P(&e, b)->act_count, 8);
	cr_assert_eq(e.m->cnt.v_pdpages, 5);
	pdt_shutdown(&e);
}

Test(quirks, d19_act_count_wraps_before_the_clamp)
{
	struct pdt_env e;
	uint32_t o, om, w0, c64, w1, i0, i1;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	om = pdt_object(&e, OBJT_DEFAULT, 64, true);
	/* Active scan, REFERENCED only (act_delta 1): +4. */
	w0 = pdt_page(&e, 0, o, 0, PQ_ACTIVE);
	c64 = pdt_page(&e, 0, o, 1, PQ_ACTIVE);
	w1 = pdt_page(&e, 0, o, 2, PQ_ACTIVE);
	P(&e, w0)->act_count = 252;	/* 256 -> 0: a referenced page leaves */
	P(&e, c64)->act_count = 250;	/* 254 -> clamped to 64 */
	P(&e, w1)->act_count = 253;	/* 257 -> 1 */
	P(&e, w0)->aflags |= PGA_REFERENCED;
	P(&e, c64)->aflags |= PGA_REFERENCED;
	P(&e, w1)->aflags |= PGA_REFERENCED;
	pdt_min_scan(&e, 0, 3, 3);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(P(&e, w0)->act_count, 0);
	cr_assert_eq(P(&e, w0)->queue, PQ_INACTIVE);
	cr_assert_eq(P(&e, c64)->act_count, 64);
	cr_assert_eq(P(&e, c64)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, w1)->act_count, 1);
	cr_assert_eq(P(&e, w1)->queue, PQ_ACTIVE);

	/* Inactive scan T3 is unclamped: 250 + 1 + 3 = 254; 253 -> 1. */
	e.m->dom[0].last_active_scan = e.clk.ticks;
	i0 = pdt_page(&e, 0, om, 0, PQ_INACTIVE);
	i1 = pdt_page(&e, 0, om, 1, PQ_INACTIVE);
	(void)pdt_page(&e, 0, om, 2, PQ_INACTIVE);
	vm_page_dequeue(e.m, w0);	/* keep the inactive queue to 3 */
	vm_page_enqueue(e.m, PQ_ACTIVE, w0);
	P(&e, w0)->act_count = 30;
	P(&e, i0)->act_count = 250;
	P(&e, i1)->act_count = 253;
	P(&e, i0)->aflags |= PGA_REFERENCED;
	P(&e, i1)->aflags |= PGA_REFERENCED;
	pdt_check(&e);
	cr_assert_not(pdt_scan(&e, 0, 1, 100));
	cr_assert_eq(P(&e, i0)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, i0)->act_count, 254);
	cr_assert_eq(P(&e, i1)->queue, PQ_ACTIVE);
	cr_assert_eq(P(&e, i1)->act_count, 1);
	pdt_shutdown(&e);
}
