/*
 * test_cluster.c - vm_pageout_cluster() beyond the facts of section 13:
 * the other properties of spec 9.3 and the eligibility rules of 15 D5-D6.
 */
#include "lib/fixture.h"

/* Cluster around P in an object of size dirty LAUNDRY pages; [lo, hi]. */
static void
expect_cluster(struct vm_machine *m, uint32_t obj, uint32_t P, uint32_t lo,
    uint32_t hi)
{
	uint32_t out[VM_PAGEOUT_PAGE_COUNT], i;
	int nc;

	(void)vm_pageout_cluster(m, fx_page_at(m, obj, P), out, &nc);
	fx_check(m);
	cr_assert_eq(nc, (int)(hi - lo + 1), "P=%u: %d pages, want %u..%u",
	    P, nc, lo, hi);
	for (i = 0; i < (uint32_t)nc; i++)
		cr_assert_eq(m->pages[out[i]].pindex, lo + i);
}

static struct vm_machine *
laundry_object(uint32_t pages, uint32_t size, uint32_t *obj)
{
	struct vm_machine *m;

	m = fx_machine(pages, 1024);
	*obj = fx_object(m, 1, OBJT_SWAP, size);
	fx_pages(m, *obj, 0, size, PQ_LAUNDRY, true);
	return (m);
}

Test(cluster, spec_9_3_properties)
{
	struct vm_machine *m;
	uint32_t obj;

	m = laundry_object(4096, 96, &obj);
	expect_cluster(m, obj, 63, 32, 63);
	vm_machine_destroy(m);

	/* Page 40 clean: forward stops at 39, backwards past 32 to 8. */
	m = laundry_object(4096, 96, &obj);
	m->pages[fx_page_at(m, obj, 40)].dirty = 0;
	expect_cluster(m, obj, 37, 8, 39);
	vm_machine_destroy(m);

	/* A machine below 2000 pages clusters by 8. */
	m = laundry_object(1500, 32, &obj);
	cr_assert_eq(m->ppc, 8);
	expect_cluster(m, obj, 5, 0, 7);
	vm_machine_destroy(m);
}

Test(cluster, test_dirty_runs_before_queue_test)
{
	struct vm_machine *m;
	uint32_t obj, proc, p36;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 96);
	fx_map(m, proc, obj);
	fx_pages(m, obj, 0, 36, PQ_LAUNDRY, true);
	/* Clean at the MI layer, modified in the pmap, and ACTIVE. */
	p36 = fx_page(m, obj, 36, PQ_ACTIVE, false);
	(void)vm_pmap_access(m, proc, p36, true);
	m->pages[p36].dirty = 0;
	fx_pages(m, obj, 37, 96 - 37, PQ_LAUNDRY, true);
	expect_cluster(m, obj, 37, 37, 68);
	/* vm_page_test_dirty() ran on it although it is not eligible. */
	cr_assert_eq(m->pages[p36].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[p36].busy, 0);
	cr_assert_eq(m->pages[p36].queue, PQ_ACTIVE);
	vm_machine_destroy(m);
}

Test(cluster, held_busy_or_wired_neighbour_stops)
{
	struct vm_machine *m;
	uint32_t obj, p36, p38, p39;

	m = laundry_object(4096, 96, &obj);
	p36 = fx_page_at(m, obj, 36);
	p38 = fx_page_at(m, obj, 38);
	vm_page_hold(m, p36);
	m->pages[p38].busy = 1;
	expect_cluster(m, obj, 37, 37, 37);
	m->pages[p38].busy = 0;
	vm_page_unhold(m, p36);
	vm_machine_destroy(m);

	/*
	 * vm_page_held() counts wirings (vm_page.h of 2018; spec 15 D6
	 * says otherwise): a wired neighbour at 39 stops the forward phase,
	 * so the cluster around 37 is 7..38 (reverse phase continues past
	 * the alignment boundary, S:415-416) and 39 is left alone.
	 */
	m = laundry_object(4096, 96, &obj);
	p39 = fx_page_at(m, obj, 39);
	vm_page_wire(m, p39);
	expect_cluster(m, obj, 37, 7, 38);
	cr_assert_eq(m->pages[p39].busy, 0);
	vm_machine_destroy(m);
}

Test(cluster, pages_are_write_protected)
{
	struct vm_machine *m;
	uint32_t obj, proc, i, p;

	m = fx_machine(4096, 1024);
	proc = fx_proc(m, 100);
	obj = fx_object(m, 1, OBJT_SWAP, 8);
	fx_map(m, proc, obj);
	for (i = 0; i < 8; i++) {
		p = fx_page(m, obj, i, PQ_LAUNDRY, false);
		(void)vm_pmap_access(m, proc, p, true);
	}
	expect_cluster(m, obj, 3, 0, 7);
	for (i = 0; i < 8; i++) {
		p = fx_page_at(m, obj, i);
		cr_assert_eq(vm_pmap_bits(m, proc, p) & PV_W, 0);
		cr_assert_eq(m->pages[p].dirty, VM_PAGE_BITS_ALL);
	}
	cr_assert_eq(m->cnt.laundry_clusters, 1);
	vm_machine_destroy(m);
}
