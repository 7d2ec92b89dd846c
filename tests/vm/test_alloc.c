/*
 * test_alloc.c - reservation, allocation, freeing and their wakeups
 * (spec 6), and the facts 9 and 10 of spec 13.
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>
#include <malloc.h>
#include <sys/resource.h>

/*
 * 64 MiB = 16384 pages: fm0 80, free_reserved 87, free_severe 127,
 * free_min 167, wakeup_thresh 360, free_target 407 (spec 3).
 */
Test(alloc, thresholds_of_the_test_machine)
{
	struct vm_machine *m;

	m = fx_machine_mib(64, 1, 0);
	cr_assert_eq(m->dom[0].th.free_reserved, 87);
	cr_assert_eq(m->dom[0].th.free_severe, 127);
	cr_assert_eq(m->dom[0].th.free_min, 167);
	cr_assert_eq(m->dom[0].th.pageout_wakeup_thresh, 360);
	cr_assert_eq(m->dom[0].free_count, 16384);
	cr_assert_eq(m->cnt.min_free_count, 16384);
	cr_assert_eq(m->dom[0].last_active_scan, FX_TICKS0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(spec13, fact09_pagedaemon_wakeup_from_pagedaemon_is_noop)
{
	struct vm_machine *m;
	uint32_t obj, page;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);
	vm_pagedaemon_wakeup(m, 0, true);
	cr_assert_eq(m->dom[0].pageout_wanted, 0);
	cr_assert_eq(m->notify.pd_wakeup, 0);

	/* A laundry-thread allocation crossing the threshold: no wakeup. */
	fx_drain_to(m, 0, obj, m->dom[0].th.pageout_wakeup_thresh);
	cr_assert_eq(m->notify.pd_wakeup, 0);
	page = vm_page_alloc(m, obj, 100000, VM_ALLOC_NORMAL, true);
	cr_assert_neq(page, VM_NONE);
	cr_assert_lt(m->dom[0].free_count, m->dom[0].th.pageout_wakeup_thresh);
	cr_assert_eq(m->dom[0].pageout_wanted, 0);
	cr_assert_eq(m->notify.pd_wakeup, 0);

	/* From anyone else: the first call wakes, the second only counts. */
	vm_pagedaemon_wakeup(m, 0, false);
	cr_assert_eq(m->dom[0].pageout_wanted, 1);
	cr_assert_eq(m->notify.pd_wakeup, 1);
	m->notify.pd_wakeup = 0;
	vm_pagedaemon_wakeup(m, 0, false);
	cr_assert_eq(m->dom[0].pageout_wanted, 2);
	cr_assert_eq(m->notify.pd_wakeup, 0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(spec13, fact10_normal_alloc_needs_free_reserved_plus_one_and_only_crossing_wakes)
{
	struct vm_machine *m;
	struct vm_domain *vmd;
	uint32_t obj, fr, page, i;

	m = fx_machine_mib(64, 1, 0);
	vmd = &m->dom[0];
	fr = vmd->th.free_reserved;
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);

	/* Down to exactly wakeup_thresh: nothing crossed, no wakeup. */
	fx_drain_to(m, 0, obj, vmd->th.pageout_wakeup_thresh);
	cr_assert_eq(m->notify.pd_wakeup, 0);
	cr_assert_eq(vmd->pageout_wanted, 0);
	/* The allocation that crosses wakes the daemon... */
	page = vm_page_alloc(m, obj, 200000, VM_ALLOC_NORMAL, false);
	cr_assert_neq(page, VM_NONE);
	cr_assert_eq(vmd->free_count, vmd->th.pageout_wakeup_thresh - 1);
	cr_assert_eq(m->notify.pd_wakeup, 1);
	cr_assert_eq(vmd->pageout_wanted, 1);
	/* ...and, the daemon having run, the next ones below do not. */
	m->notify.pd_wakeup = 0;
	vmd->pageout_wanted = 0;
	for (i = 0; vmd->free_count > fr + 1; i++)
		cr_assert_neq(vm_page_alloc(m, obj, 200001 + i,
		    VM_ALLOC_NORMAL, false), VM_NONE);
	cr_assert_eq(m->notify.pd_wakeup, 0);
	cr_assert_eq(vmd->pageout_wanted, 0);

	/* free_count == free_reserved + 1: NORMAL succeeds once more. */
	cr_assert(vm_domain_allocate(m, 0, VM_ALLOC_NORMAL, false, 1));
	cr_assert_eq(vmd->free_count, fr);
	/* free_count == free_reserved: NORMAL fails and takes nothing. */
	cr_assert_not(vm_domain_allocate(m, 0, VM_ALLOC_NORMAL, false, 1));
	cr_assert_eq(vmd->free_count, fr);
	cr_assert_eq(vm_page_alloc(m, obj, 300000, VM_ALLOC_NORMAL, false),
	    VM_NONE);
	cr_assert_eq(vmd->pageout_deficit, 1);
	cr_assert_eq(vmd->free_count, fr);
	/* The same request from the page daemon is served as SYSTEM. */
	cr_assert(vm_domain_allocate(m, 0, VM_ALLOC_NORMAL, true, 1));
	vm_domain_freecnt_inc(m, 0, 1);
	cr_assert_eq(m->notify.pd_wakeup, 0, "a non-crossing allocation woke");
	vm_machine_destroy(m);
}

Test(alloc, class_limits)
{
	struct vm_machine *m;
	struct vm_domain *vmd;
	uint32_t obj;

	m = fx_machine_mib(64, 1, 0);
	vmd = &m->dom[0];
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);
	fx_drain_to(m, 0, obj, 3);
	cr_assert_not(vm_domain_allocate(m, 0, VM_ALLOC_SYSTEM, false, 2));
	cr_assert(vm_domain_allocate(m, 0, VM_ALLOC_SYSTEM, false, 1));
	cr_assert_not(vm_domain_allocate(m, 0, VM_ALLOC_SYSTEM, false, 1));
	cr_assert_not(vm_domain_allocate(m, 0, VM_ALLOC_INTERRUPT, false, 3));
	cr_assert(vm_domain_allocate(m, 0, VM_ALLOC_INTERRUPT, true, 2));
	cr_assert_eq(vmd->free_count, 0);
	cr_assert_not(vm_domain_allocate(m, 0, VM_ALLOC_INTERRUPT, false, 1));
	cr_assert_eq(m->cnt.min_free_count, 0);
	vm_domain_freecnt_inc(m, 0, 3);
	cr_assert_eq(m->cnt.min_free_count, 0);
	vm_machine_destroy(m);
}

Test(alloc, min_and_severe_sets_and_waiters)
{
	struct vm_machine *m;
	struct vm_domain *vmd;
	uint32_t obj;

	m = fx_machine_mib(64, 1, 0);
	vmd = &m->dom[0];
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);
	fx_drain_to(m, 0, obj, vmd->th.free_min);
	cr_assert_not(vm_page_count_min(m));
	fx_drain_to(m, 0, obj, vmd->th.free_min - 1);
	cr_assert(vm_page_count_min(m));
	cr_assert(vm_page_count_min_all(m));
	cr_assert_not(vm_page_count_severe(m));
	fx_drain_to(m, 0, obj, vmd->th.free_severe - 1);
	cr_assert(vm_page_count_severe(m));
	fx_check(m);

	/* Back above severe only: min set stays, nobody is woken. */
	fx_fill_to(m, 0, obj, vmd->th.free_severe);
	cr_assert_not(vm_page_count_severe(m));
	cr_assert(vm_page_count_min(m));
	cr_assert_not(m->notify.min_waiters);
	/* Reaching free_min leaves the min set and wakes the sleepers. */
	fx_fill_to(m, 0, obj, vmd->th.free_min - 1);
	cr_assert_not(m->notify.min_waiters);
	fx_fill_to(m, 0, obj, vmd->th.free_min);
	cr_assert_not(vm_page_count_min(m));
	cr_assert(m->notify.min_waiters);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, pd_free_waiters_at_pageout_free_min)
{
	struct vm_machine *m;
	struct vm_domain *vmd;
	uint32_t obj;

	m = fx_machine_mib(64, 1, 0);
	vmd = &m->dom[0];
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);
	fx_drain_to(m, 0, obj, 10);
	fx_fill_to(m, 0, obj, vmd->th.pageout_free_min - 1);
	cr_assert_not(m->notify.pd_free_waiters);
	fx_fill_to(m, 0, obj, vmd->th.pageout_free_min);
	cr_assert(m->notify.pd_free_waiters);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, round_robin_over_domains_and_deficit)
{
	struct vm_machine *m;
	uint32_t obj, a, b, c;

	m = fx_machine_mib(64, 2, 0);
	obj = fx_object(m, 1, OBJT_DEFAULT, 1u << 20);
	a = fx_alloc(m, obj, 0);
	b = fx_alloc(m, obj, 1);
	c = fx_alloc(m, obj, 2);
	cr_assert_eq(m->pages[a].domain, 0);
	cr_assert_eq(m->pages[b].domain, 1);
	cr_assert_eq(m->pages[c].domain, 0);
	cr_assert_eq(a, 0, "lowest free page first");
	cr_assert_eq(b, m->dom[1].first_page);

	/* Domain 1 too low for NORMAL: it refuses, domain 0 serves. */
	while (m->dom[1].free_count > m->dom[1].th.free_reserved)
		cr_assert(vm_domain_allocate(m, 1, VM_ALLOC_INTERRUPT, false,
		    1));
	m->objects[obj].domain_rr = 1;
	a = vm_page_alloc(m, obj, 3, VM_ALLOC_NORMAL, false);
	cr_assert_neq(a, VM_NONE);
	cr_assert_eq(m->pages[a].domain, 0);
	cr_assert_eq(m->dom[1].pageout_deficit, 1);
	cr_assert_eq(m->dom[0].pageout_deficit, 0);
	cr_assert_eq(m->objects[obj].domain_rr, 0);
	vm_machine_destroy(m);
}

Test(alloc, alloc_clears_state_and_inserts)
{
	struct vm_machine *m;
	uint32_t obj, page;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 16);
	page = vm_page_alloc(m, obj, 5, VM_ALLOC_NORMAL, false);
	cr_assert_eq(vm_page_lookup(m, obj, 5), page);
	cr_assert_eq(m->objects[obj].resident_page_count, 1);
	cr_assert_eq(m->pages[page].queue, PQ_NONE);
	cr_assert_eq(m->pages[page].valid, 0);
	cr_assert_eq(m->pages[page].dirty, 0);
	cr_assert_eq(m->pages[page].flags, 0);
	cr_assert_eq(m->dom[0].free_count, 16383);
	cr_assert_eq(m->cnt.min_free_count, 16383);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, free_is_lifo_and_cleans_up)
{
	struct vm_machine *m;
	uint32_t obj, proc, page, again;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 16);
	proc = fx_proc(m, 100);
	cr_assert_eq(vm_proc_map(m, proc, obj), 0);
	page = fx_alloc(m, obj, 3);
	vm_page_activate(m, page);
	(void)vm_pmap_access(m, proc, page, true);
	vm_page_free(m, page);
	cr_assert_eq(m->cnt.v_tfree, 1);
	cr_assert_eq(m->pages[page].queue, PQ_NONE);
	cr_assert_eq(m->pages[page].pv, VM_NONE);
	cr_assert_eq(m->pages[page].object, VM_NONE);
	cr_assert_eq(m->pages[page].dirty, 0);
	cr_assert_eq(m->pages[page].valid, 0);
	cr_assert_eq(m->pages[page].act_count, 0);
	cr_assert_eq(vm_page_lookup(m, obj, 3), VM_NONE);
	cr_assert_eq(m->dom[0].free_count, 16384);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 0);
	fx_check(m);
	again = fx_alloc(m, obj, 4);
	cr_assert_eq(again, page, "the last freed page is allocated first");
	vm_machine_destroy(m);
}

Test(alloc, busy_free_is_deferred_until_unbusy)
{
	struct vm_machine *m;
	uint32_t obj, page;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 16);
	page = fx_alloc(m, obj, 0);
	vm_page_launder(m, page);
	m->pages[page].busy = 2;
	vm_page_free(m, page);
	cr_assert_eq(m->cnt.v_tfree, 1);
	cr_assert(m->pages[page].flags & PG_FREEBUSY);
	cr_assert_eq(m->pages[page].object, VM_NONE);
	cr_assert_eq(m->objects[obj].resident_page_count, 0);
	cr_assert_eq(m->dom[0].free_count, 16383);
	fx_check(m);
	vm_page_free(m, page);		/* again: no-op */
	cr_assert_eq(m->cnt.v_tfree, 1);
	/* An I/O completion requeues it before the last unbusy. */
	vm_page_deactivate_noreuse(m, page);
	vm_page_unbusy(m, page);
	cr_assert_eq(m->dom[0].free_count, 16383);
	vm_page_unbusy(m, page);
	cr_assert_eq(m->dom[0].free_count, 16384);
	cr_assert(m->pages[page].flags & PG_FREE);
	cr_assert_eq(m->pages[page].queue, PQ_NONE);
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 0);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, held_free_is_deferred_until_unhold)
{
	struct vm_machine *m;
	uint32_t obj, page;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 16);
	page = fx_alloc(m, obj, 0);
	vm_page_hold(m, page);
	vm_page_hold(m, page);
	vm_page_free(m, page);
	cr_assert(m->pages[page].flags & PG_UNHOLDFREE);
	cr_assert_eq(m->dom[0].free_count, 16383);
	fx_check(m);
	vm_page_unhold(m, page);
	cr_assert_eq(m->dom[0].free_count, 16383);
	vm_page_unhold(m, page);
	cr_assert_eq(m->dom[0].free_count, 16384);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, wire_stays_queued_unwire_activates)
{
	struct vm_machine *m;
	uint32_t obj, a, b;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 16);
	a = fx_alloc(m, obj, 0);
	b = fx_alloc(m, obj, 1);
	vm_page_deactivate(m, a);
	vm_page_wire(m, a);
	vm_page_wire(m, b);
	cr_assert_eq(m->pages[a].queue, PQ_INACTIVE, "wiring dequeued");
	/* The last unwiring moves a still-queued page to the ACTIVE tail. */
	m->pages[a].act_count = 1;
	vm_page_unwire(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].tail, a);
	cr_assert_eq(m->pages[a].act_count, ACT_INIT);
	/* An unwiring that is not the last changes nothing. */
	vm_page_wire(m, b);
	vm_page_unwire(m, b);
	cr_assert_eq(m->pages[b].queue, PQ_NONE);
	cr_assert_eq(m->pages[b].wire_count, 1);
	vm_page_unwire(m, b);
	cr_assert_eq(m->pages[b].queue, PQ_ACTIVE);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].tail, b);
	/* A page already ACTIVE is only referenced, and stays in place. */
	vm_page_wire(m, a);
	m->pages[a].aflags = 0;
	vm_page_unwire(m, a);
	cr_assert_eq(m->pages[a].queue, PQ_ACTIVE);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].tail, b);
	cr_assert_eq(m->pages[a].aflags & PGA_REFERENCED, PGA_REFERENCED);
	fx_check(m);
	vm_machine_destroy(m);
}

Test(alloc, kernel_pages_and_cache_release)
{
	struct pg_config cfg;
	struct vm_machine *m;
	uint32_t n;

	fx_config_mib(&cfg, 64, 1, 0);
	cfg.kernel_wired_bytes = 100 * PG_PAGE_SIZE;
	cfg.kernel_cache_bytes = 1000 * PG_PAGE_SIZE;
	cr_assert_eq(vm_machine_create(&cfg, FX_TICKS0, &m), 0);
	cr_assert_eq(m->dom[0].kernel_wired, 100);
	cr_assert_eq(m->dom[0].kernel_cache, 1000);
	cr_assert_eq(m->dom[0].free_count, 16384 - 1100);
	/* Page 1100 is the first allocated: the head of the fresh range. */
	cr_assert_eq(m->dom[0].free_head, VM_NONE);
	cr_assert_eq(m->dom[0].fresh_next, 1100);
	fx_check(m);
	n = vm_domain_kernel_cache_release(m, 0, 250);
	cr_assert_eq(n, 250);
	cr_assert_eq(m->dom[0].kernel_cache, 750);
	cr_assert_eq(m->dom[0].free_count, 16384 - 850);
	cr_assert_eq(m->cnt.kernel_cache_released, 250);
	fx_check(m);
	n = vm_domain_kernel_cache_release(m, 0, 5000);
	cr_assert_eq(n, 750);
	cr_assert_eq(m->dom[0].free_count, 16384 - 100);
	fx_check(m);
	vm_machine_destroy(m);
}

/*
 * The free list is every managed page, lowest first, and LIFO after
 * that; the pages never allocated are kept as a range, not as links
 * (alloc.c), and must come out in the order the whole list gives.
 */
Test(alloc, never_allocated_pages_are_the_free_lists_tail_in_order)
{
	struct vm_machine *m;
	uint32_t obj, a, b, c, d, e;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 7, OBJT_DEFAULT, 64);
	a = fx_alloc(m, obj, 0);
	b = fx_alloc(m, obj, 1);
	c = fx_alloc(m, obj, 2);
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 1);
	cr_assert_eq(c, 2);
	cr_assert_eq(m->dom[0].fresh_next, 3);
	vm_page_free(m, b);
	vm_page_free(m, a);
	fx_check(m);
	d = fx_alloc(m, obj, 3);
	e = fx_alloc(m, obj, 4);
	cr_assert_eq(d, a, "the last freed page first");
	cr_assert_eq(e, b);
	cr_assert_eq(fx_alloc(m, obj, 5), 3, "then the lowest never used");
	cr_assert_eq(m->dom[0].free_count, 16384 - 4);
	fx_check(m);
	vm_machine_destroy(m);
}

static long
max_rss_kib(void)
{
	struct rusage ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return (ru.ru_maxrss);
}

/*
 * A 64 GiB machine (16.7 M pages, 805 MB of page structs and 72 MB of
 * page index nodes) costs nothing until its pages are used: booting it
 * writes only the kernel's pages and the markers.
 */
Test(alloc, a_large_machine_boots_without_writing_its_free_pages)
{
	struct pg_config cfg;
	struct vm_machine *m;
	long before;

	fx_config_mib(&cfg, 64 * 1024, 1, 0);
#ifdef M_PERTURB
	/* meson test sets MALLOC_PERTURB_, which fills every allocation. */
	mallopt(M_PERTURB, 0);
#endif
	before = max_rss_kib();
	cr_assert_eq(vm_machine_create(&cfg, FX_TICKS0, &m), 0);
	cr_assert_eq(m->dom[0].free_count, 16777216);
	/* 400 MB leaves room for a sanitizer's shadow of the arrays. */
	cr_assert_lt(max_rss_kib() - before, 400 * 1000L,
	    "booting grew the resident set by %ld KiB",
	    max_rss_kib() - before);
	cr_assert_eq(fx_alloc(m, fx_object(m, 1, OBJT_DEFAULT, 4), 0), 0);
	vm_machine_destroy(m);
}
