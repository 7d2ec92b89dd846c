/*
 * test_queue.c - the queue primitives of spec 5.1 (pre-batching).
 */
#include "lib/fixture.h"

#include <criterion/criterion.h>

static struct vm_machine *m;
static uint32_t obj, pg[8];

static void
setup(void)
{
	uint32_t i;

	m = fx_machine_mib(64, 1, 0);
	obj = fx_object(m, 1, OBJT_DEFAULT, 64);
	for (i = 0; i < 8; i++)
		pg[i] = fx_alloc(m, obj, i);
}

static void
teardown(void)
{
	vm_machine_destroy(m);
}

TestSuite(queue, .init = setup, .fini = teardown);

Test(queue, boot_has_only_inacthead_queued)
{
	uint32_t q[4], d;

	d = 0;
	cr_assert_eq(fx_queue(m, d, PQ_INACTIVE, q, 4), 1);
	cr_assert_eq(q[0], m->dom[0].inacthead);
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 0);
	cr_assert_eq(m->pages[m->dom[0].marker].queue, PQ_NONE);
	cr_assert_eq(m->pages[m->dom[0].laundry_marker].queue, PQ_NONE);
	cr_assert_eq(m->pages[pg[0]].queue, PQ_NONE);
	fx_check(m);
}

Test(queue, enqueue_appends_dequeue_unlinks)
{
	uint32_t q[8];

	vm_page_enqueue(m, PQ_ACTIVE, pg[0]);
	vm_page_enqueue(m, PQ_ACTIVE, pg[1]);
	vm_page_enqueue(m, PQ_ACTIVE, pg[2]);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 3);
	cr_assert_eq(fx_queue(m, 0, PQ_ACTIVE, q, 8), 3);
	cr_assert(q[0] == pg[0] && q[1] == pg[1] && q[2] == pg[2]);
	fx_check(m);
	vm_page_dequeue(m, pg[1]);
	cr_assert_eq(m->pages[pg[1]].queue, PQ_NONE);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 2);
	cr_assert_eq(fx_queue(m, 0, PQ_ACTIVE, q, 8), 2);
	cr_assert(q[0] == pg[0] && q[1] == pg[2]);
	vm_page_dequeue(m, pg[1]);	/* no-op on PQ_NONE */
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 2);
	fx_check(m);
}

Test(queue, requeue_moves_to_tail_of_same_queue)
{
	uint32_t q[8];

	vm_page_enqueue(m, PQ_LAUNDRY, pg[0]);
	vm_page_enqueue(m, PQ_LAUNDRY, pg[1]);
	vm_page_enqueue(m, PQ_LAUNDRY, pg[2]);
	vm_page_requeue(m, pg[0]);
	cr_assert_eq(fx_queue(m, 0, PQ_LAUNDRY, q, 8), 3);
	cr_assert(q[0] == pg[1] && q[1] == pg[2] && q[2] == pg[0]);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 3);
	fx_check(m);
}

Test(queue, activate_raises_act_count_and_appends)
{
	uint32_t q[8];

	m->pages[pg[0]].act_count = 2;
	m->pages[pg[1]].act_count = 9;
	vm_page_enqueue(m, PQ_INACTIVE, pg[0]);
	vm_page_activate(m, pg[0]);
	vm_page_activate(m, pg[1]);
	cr_assert_eq(m->pages[pg[0]].act_count, ACT_INIT);
	cr_assert_eq(m->pages[pg[1]].act_count, 9);
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 0);
	cr_assert_eq(fx_queue(m, 0, PQ_ACTIVE, q, 8), 2);
	cr_assert(q[0] == pg[0] && q[1] == pg[1]);
	fx_check(m);
}

Test(queue, activate_of_active_page_keeps_position)
{
	uint32_t q[8];

	vm_page_activate(m, pg[0]);
	vm_page_activate(m, pg[1]);
	m->pages[pg[0]].act_count = 1;
	vm_page_activate(m, pg[0]);
	cr_assert_eq(m->pages[pg[0]].act_count, ACT_INIT);
	cr_assert_eq(fx_queue(m, 0, PQ_ACTIVE, q, 8), 2);
	cr_assert(q[0] == pg[0] && q[1] == pg[1], "position changed");
	fx_check(m);
}

Test(queue, activate_ignores_wired_page_off_active)
{
	vm_page_enqueue(m, PQ_INACTIVE, pg[0]);
	vm_page_wire(m, pg[0]);
	vm_page_activate(m, pg[0]);
	cr_assert_eq(m->pages[pg[0]].queue, PQ_INACTIVE);
	cr_assert_eq(m->pages[pg[0]].act_count, 0);
	vm_page_wire(m, pg[1]);
	vm_page_activate(m, pg[1]);
	cr_assert_eq(m->pages[pg[1]].queue, PQ_NONE);
	fx_check(m);
}

Test(queue, deactivate_is_noop_on_inactive_page)
{
	uint32_t q[8];

	vm_page_deactivate(m, pg[0]);
	vm_page_deactivate(m, pg[1]);
	vm_page_deactivate(m, pg[0]);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 3);
	cr_assert(q[0] == m->dom[0].inacthead && q[1] == pg[0] &&
	    q[2] == pg[1], "an inactive page moved");
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 2);
	fx_check(m);
}

Test(queue, deactivate_moves_active_page_to_inactive_tail)
{
	uint32_t q[8];

	vm_page_deactivate(m, pg[0]);
	vm_page_activate(m, pg[1]);
	m->pages[pg[1]].act_count = 7;
	vm_page_deactivate(m, pg[1]);
	cr_assert_eq(m->pages[pg[1]].act_count, 7, "act_count touched");
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 3);
	cr_assert_eq(q[2], pg[1]);
	cr_assert_eq(m->dom[0].pq[PQ_ACTIVE].cnt, 0);
	fx_check(m);
}

Test(queue, deactivate_noreuse_inserts_before_inacthead_in_order)
{
	uint32_t q[8];

	vm_page_deactivate(m, pg[0]);	/* behind inacthead */
	vm_page_deactivate_noreuse(m, pg[1]);
	vm_page_launder(m, pg[2]);
	vm_page_deactivate_noreuse(m, pg[2]);
	/* Already INACTIVE behind inacthead: moved in front of it too. */
	vm_page_deactivate_noreuse(m, pg[0]);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 4);
	cr_assert(q[0] == pg[1] && q[1] == pg[2] && q[2] == pg[0] &&
	    q[3] == m->dom[0].inacthead);
	cr_assert_eq(m->dom[0].pq[PQ_INACTIVE].cnt, 3);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 0);
	fx_check(m);
}

Test(queue, launder_noop_on_laundry_moves_unswappable)
{
	uint32_t q[8];

	vm_page_launder(m, pg[0]);
	vm_page_launder(m, pg[1]);
	vm_page_launder(m, pg[0]);
	cr_assert_eq(fx_queue(m, 0, PQ_LAUNDRY, q, 8), 2);
	cr_assert(q[0] == pg[0] && q[1] == pg[1], "a laundry page moved");
	vm_page_unswappable(m, pg[2]);
	vm_page_launder(m, pg[2]);
	cr_assert_eq(m->pages[pg[2]].queue, PQ_LAUNDRY);
	cr_assert_eq(m->dom[0].pq[PQ_UNSWAPPABLE].cnt, 0);
	cr_assert_eq(m->dom[0].pq[PQ_LAUNDRY].cnt, 3);
	vm_page_wire(m, pg[3]);
	vm_page_launder(m, pg[3]);
	cr_assert_eq(m->pages[pg[3]].queue, PQ_NONE);
	fx_check(m);
}

Test(queue, unswappable_always_to_tail_and_peak)
{
	uint32_t q[8];

	vm_page_unswappable(m, pg[0]);
	vm_page_unswappable(m, pg[1]);
	vm_page_unswappable(m, pg[2]);
	vm_page_unswappable(m, pg[0]);
	cr_assert_eq(fx_queue(m, 0, PQ_UNSWAPPABLE, q, 8), 3);
	cr_assert(q[0] == pg[1] && q[1] == pg[2] && q[2] == pg[0]);
	cr_assert(vm_page_in_laundry(m, pg[0]));
	vm_page_launder(m, pg[3]);
	cr_assert(vm_page_in_laundry(m, pg[3]));
	vm_page_deactivate(m, pg[4]);
	cr_assert_not(vm_page_in_laundry(m, pg[4]));
	vm_page_dequeue(m, pg[1]);
	vm_page_dequeue(m, pg[2]);
	cr_assert_eq(m->cnt.peak_unswappable, 3);
	fx_check(m);
}

Test(queue, markers_are_not_counted)
{
	struct vm_domain *vmd;
	uint32_t q[8];

	vmd = &m->dom[0];
	vm_page_deactivate(m, pg[0]);
	vm_page_deactivate(m, pg[1]);
	vm_pagequeue_insert_after(m, pg[0], vmd->marker);
	cr_assert_eq(vmd->pq[PQ_INACTIVE].cnt, 2);
	cr_assert_eq(fx_queue(m, 0, PQ_INACTIVE, q, 8), 4);
	cr_assert(q[1] == pg[0] && q[2] == vmd->marker && q[3] == pg[1]);
	fx_check(m);
	vm_page_launder(m, pg[2]);
	vm_pagequeue_insert_before(m, pg[2], vmd->laundry_marker);
	cr_assert_eq(vmd->pq[PQ_LAUNDRY].cnt, 1);
	cr_assert_eq(vmd->pq[PQ_LAUNDRY].head, vmd->laundry_marker);
	fx_check(m);
	vm_pagequeue_remove(m, vmd->marker);
	vm_pagequeue_remove(m, vmd->laundry_marker);
	cr_assert_eq(vmd->pq[PQ_INACTIVE].cnt, 2);
	cr_assert_eq(vmd->pq[PQ_LAUNDRY].cnt, 1);
	cr_assert_eq(m->pages[vmd->marker].queue, PQ_NONE);
	vm_pagequeue_insert_tail(m, 0, PQ_INACTIVE, vmd->marker);
	cr_assert_eq(vmd->pq[PQ_INACTIVE].tail, vmd->marker);
	cr_assert_eq(vmd->pq[PQ_INACTIVE].cnt, 2);
	fx_check(m);
}

/* ---- the active scan's hints (hints.c; docs/performance.md) ---- */

/* Whether the active queue of domain 0 is a subsequence of its hints. */
static bool
hints_cover_queue(void)
{
	const struct vm_domain *vmd = &m->dom[0];
	uint32_t q[64], n, k = 0, i, j;

	n = fx_queue(m, 0, PQ_ACTIVE, q, 64);
	for (i = 0; i < n; i++) {
		for (; k < vmd->act.len; k++) {
			j = vmd->act.head + k;
			if (j >= vmd->act.cap)
				j -= vmd->act.cap;
			if (vmd->act.ring[j] == q[i])
				break;
		}
		if (k++ >= vmd->act.len)
			return (false);
	}
	return (true);
}

/*
 * The hints hold the active queue in order through appends, requeues and
 * removals from the middle; they stay within a quarter more entries than
 * the domain has pages, rebuilt from the queue when that fills with
 * entries left behind; the scan's step takes its page's entry and those
 * before it out.  None of it changes the queue.
 */
Test(queue, active_hints_follow_the_queue)
{
	struct vm_domain *vmd = &m->dom[0];
	uint32_t max = vmd->page_count + vmd->page_count / 4 + 1024;
	uint32_t extra[56], q[64], i, n, len, rebuilds = 0;

	for (i = 0; i < 56; i++)
		extra[i] = fx_alloc(m, obj, 8 + i);
	for (i = 0; i < 8; i++)
		vm_page_enqueue(m, PQ_ACTIVE, pg[i]);
	for (i = 0; i < 56; i++)
		vm_page_enqueue(m, PQ_ACTIVE, extra[i]);
	cr_assert(hints_cover_queue());
	/* Out of the middle and back at the tail, until the ring refills. */
	for (i = 0; i < 3 * max; i++) {
		len = vmd->act.len;
		vm_page_dequeue(m, extra[(i * 7) % 56]);
		vm_page_enqueue(m, PQ_ACTIVE, extra[(i * 7) % 56]);
		if (vmd->act.len < len)
			rebuilds++;
		cr_assert_leq(vmd->act.cap, max, "%u entries", vmd->act.cap);
	}
	cr_assert_geq(rebuilds, 2, "rebuilt %u times", rebuilds);
	cr_assert(hints_cover_queue());
	vm_page_requeue(m, pg[0]);
	cr_assert(hints_cover_queue());
	/* The scan at the queue's head takes entries up to its page. */
	n = fx_queue(m, 0, PQ_ACTIVE, q, 64);
	cr_assert_eq(n, 64);
	len = vmd->act.len;
	vm_act_hints_ahead(m, vmd, q[0]);
	cr_assert_lt(vmd->act.len, len);
	cr_assert_eq(fx_queue(m, 0, PQ_ACTIVE, q, 64), 64, "queue unchanged");
	cr_assert_not(hints_cover_queue(), "the head's entry is out");
	vm_page_requeue(m, q[0]);	/* as the scan does next */
	cr_assert(hints_cover_queue());
	fx_check(m);
}
