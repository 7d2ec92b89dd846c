/*
 * cluster.c - clustering a laundry page with its dirty neighbours and
 * handing the cluster to the pager: vm_pageout_cluster() and
 * vm_pageout_flush() of the seed (S:325-551, spec 9.3, 9.4, 15 D5-D6).
 */
#include <assert.h>

#include "pageout/pageout.h"
#include "vm/pager.h"

/*
 * cluster_eligible() - the tests S:368-382 (and S:398-407) apply to a
 * neighbour p, in the seed's order (spec 15 D6): it exists and is not
 * busy; vm_page_test_dirty() (which may dirty an ACTIVE or INACTIVE page
 * whose mapping has M set, before the queue is even looked at); it is
 * dirty; it is in the laundry (PQ_LAUNDRY or PQ_UNSWAPPABLE, D5) and not
 * held.  vm_page_held() of this era counts wirings as well as holds
 * (hold_count > 0 || wire_count > 0), so a wired neighbour stops the
 * cluster; spec 15 D6 says otherwise, the seed's vm_page.h is followed
 * (docs/model.md).  valid is not checked, as in the seed.
 */
static bool
cluster_eligible(struct vm_machine *m, uint32_t p)
{
	if (p == VM_NONE || m->pages[p].busy != VPB_UNBUSIED)
		return (false);
	vm_page_test_dirty(m, p);
	if (m->pages[p].dirty == 0)
		return (false);
	if (!vm_page_in_laundry(m, p) || vm_page_held(m, p))
		return (false);
	return (true);
}

/*
 * pageout_flush_td() - vm_pageout_flush() for the laundry thread of
 * domain td, which the I/O records name (the kernel's curthread).
 */
static int
pageout_flush_td(struct vm_machine *m, uint32_t td, uint32_t *mc, int count,
    int *rtvals)
{
	struct vm_object *object;
	struct vm_page *mt;
	int pageout_status[2 * VM_PAGEOUT_PAGE_COUNT];
	int i, numpagedout;

	assert(count > 0 && count <= NSW_CLUSTER_MAX);
	if (rtvals == NULL)
		rtvals = pageout_status;
	object = &m->objects[m->pages[mc[0]].object];
	numpagedout = 0;

	/*
	 * Initiate I/O: every page is shared-busied for the pager, and the
	 * object is marked as having paging in progress so that it is not
	 * collapsed under the write (S:462-470).  The seed's assertions
	 * that the pages are fully valid and write-protected are
	 * INVARIANTS-only; vm_pageout_cluster() guarantees the latter, and
	 * the model's pages are valid whenever they are dirty.
	 */
	for (i = 0; i < count; i++) {
		mt = &m->pages[mc[i]];
		assert(mt->busy != VPB_EXCLUSIVE);
		mt->busy++;
	}
	object->paging_in_progress += (uint32_t)count;

	vm_pager_put_pages_td(m, td, mc, count, rtvals);

	/*
	 * The pager may have turned an OBJT_DEFAULT object into OBJT_SWAP,
	 * so the type is read only now (S:521).
	 */
	for (i = 0; i < count; i++) {
		switch (rtvals[i]) {
		case VM_PAGER_OK:
			if (vm_page_in_laundry(m, mc[i]))
				vm_page_deactivate_noreuse(m, mc[i]);
			/* FALLTHROUGH */
		case VM_PAGER_PEND:
			numpagedout++;
			break;
		case VM_PAGER_BAD:
			/*
			 * Beyond the end of the object: pretend the write
			 * worked, so the contents are lost if the page is
			 * reclaimed.
			 */
			m->pages[mc[i]].dirty = 0;
			if (vm_page_in_laundry(m, mc[i]))
				vm_page_deactivate_noreuse(m, mc[i]);
			break;
		case VM_PAGER_ERROR:
		case VM_PAGER_FAIL:
			/*
			 * No swap space: park the page in PQ_UNSWAPPABLE,
			 * where the laundry thread does not look while no
			 * swap device is configured, and count it as done.
			 * Anything else is reactivated so that it does not
			 * clog the laundry and inactive queues.
			 */
			if (object->type == OBJT_SWAP &&
			    rtvals[i] == VM_PAGER_FAIL) {
				vm_page_unswappable(m, mc[i]);
				numpagedout++;
			} else
				vm_page_activate(m, mc[i]);
			break;
		case VM_PAGER_AGAIN:
		default:
			break;
		}

		/*
		 * A write still in progress keeps its page busy and the
		 * object's paging_in_progress up until it completes
		 * (vm_io_complete()).
		 */
		if (rtvals[i] != VM_PAGER_PEND) {
			assert(object->paging_in_progress > 0);
			if (object->paging_in_progress > 0)
				object->paging_in_progress--;
			vm_page_unbusy(m, mc[i]);
		}
	}
	return (numpagedout);
}

/* vm_pageout_flush() - model of vm_pageout_flush(), S:441-551 */
int
vm_pageout_flush(struct vm_machine *m, uint32_t *pages, int count,
    int *rtvals)
{
	if (count <= 0)
		return (0);
	return (pageout_flush_td(m, m->pages[pages[0]].domain, pages, count,
	    rtvals));
}

/* vm_pageout_cluster() - model of vm_pageout_cluster(), S:325-425 */
int
vm_pageout_cluster(struct vm_machine *m, uint32_t page,
    uint32_t *cluster_out, int *ncluster)
{
	struct vm_object *object;
	uint32_t mc[2 * VM_PAGEOUT_PAGE_COUNT], p, pb, ps, obj;
	uint64_t pindex;
	int ib, is, i, page_base, pageout_count, ppc;

	ppc = (int)m->ppc;
	assert(ppc > 0 && ppc <= VM_PAGEOUT_PAGE_COUNT);
	obj = m->pages[page].object;
	object = &m->objects[obj];
	pindex = m->pages[page].pindex;
	assert(m->pages[page].busy == VPB_UNBUSIED);
	assert(m->pages[page].hold_count == 0);

	/* Later writes must fault, so that they are seen (spec 13 #46). */
	vm_pmap_remove_write(m, page);

	mc[ppc] = pb = ps = page;
	pageout_count = 1;
	page_base = ppc;
	ib = 1;
	is = 1;

	/*
	 * Scan backwards first and try to end the cluster on an alignment
	 * boundary, so that out-of-order flushing does not fragment the
	 * backing store; then forwards while room remains (S:350-361).
	 */
more:
	while (ib != 0 && pageout_count < ppc) {
		if ((uint64_t)ib > pindex) {
			ib = 0;
			break;
		}
		p = vm_page_lookup(m, obj, m->pages[pb].pindex - 1);
		if (!cluster_eligible(m, p)) {
			ib = 0;
			break;
		}
		vm_pmap_remove_write(m, p);
		mc[--page_base] = pb = p;
		++pageout_count;
		++ib;

		/*
		 * At an alignment boundary: switch direction, but keep ib
		 * so that the reverse scan may resume past it (S:389-394).
		 */
		if ((pindex - (uint64_t)(ib - 1)) % (uint64_t)ppc == 0)
			break;
	}
	while (pageout_count < ppc && pindex + (uint64_t)is < object->size) {
		p = vm_page_lookup(m, obj, m->pages[ps].pindex + 1);
		if (!cluster_eligible(m, p))
			break;
		vm_pmap_remove_write(m, p);
		mc[page_base + pageout_count] = ps = p;
		++pageout_count;
		++is;
	}

	/*
	 * The forward scan ran out: go on backwards past the boundary to
	 * fill the cluster (S:415-421).
	 */
	if (ib != 0 && pageout_count < ppc)
		goto more;

	if (cluster_out != NULL)
		for (i = 0; i < pageout_count; i++)
			cluster_out[i] = mc[page_base + i];
	if (ncluster != NULL)
		*ncluster = pageout_count;
	m->cnt.laundry_clusters++;
	return (pageout_flush_td(m, m->pages[page].domain, &mc[page_base],
	    pageout_count, NULL));
}
