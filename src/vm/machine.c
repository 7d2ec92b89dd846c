/*
 * machine.c - the machine at boot (vm_page_startup(), vm_pageout_init(),
 * the page daemon's start-up, S:1770-1787, S:1848-1937) and the invariant
 * checker.
 *
 * Layout of m->pages: the physical pages of domain 0, then those of
 * domain 1, ...; within a domain the kernel's wired pages come first,
 * then the kernel cache's, then the pages the allocator manages.  After
 * the npages physical pages come three markers per domain: marker,
 * inacthead, laundry_marker.
 */
#include "vm/vm_int.h"
#include "vm/pager.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* vm_page_init() - a page of domain that is on no list and in no object. */
void
vm_page_init(struct vm_page *p, uint8_t domain)
{
	memset(p, 0, sizeof(*p));
	p->qnext = p->qprev = VM_NONE;
	p->onext = p->oprev = VM_NONE;
	p->object = VM_NONE;
	p->pv = p->pvx = VM_NONE;
	p->queue = PQ_NONE;
	p->domain = domain;
}

bool
vm_page_fresh(const struct vm_machine *m, uint32_t page)
{
	uint32_t d;

	for (d = 0; d < m->ndomains; d++)
		if (page >= m->dom[d].fresh_next && page < m->dom[d].fresh_end)
			return (true);
	return (false);
}

int
vm_machine_create(const struct pg_config *cfg, int32_t ticks0,
    struct vm_machine **out)
{
	struct vm_layout *lay;
	struct vm_machine *m;
	struct vm_domain *vmd;
	uint64_t total;
	uint32_t d, i, base;

	*out = NULL;
	lay = malloc(sizeof(*lay));
	m = calloc(1, sizeof(*m));
	if (lay == NULL || m == NULL)
		goto nomem;
	vm_layout_compute(cfg, lay);
	if (lay->ndomains == 0 || lay->ndomains > VM_MAX_DOMAINS ||
	    lay->total_pages + 3u * lay->ndomains >= VM_NONE) {
		free(lay);
		free(m);
		return (-EINVAL);
	}
	m->npages = (uint32_t)lay->total_pages;
	m->ndomains = lay->ndomains;
	m->ntotal = m->npages + 3 * m->ndomains;
	m->ppc = lay->ppc;
	m->sysctl = cfg->sysctl;
	m->pageout_update_period = lay->pageout_update_period;
	m->variants = cfg->model_variants;
	m->lock_miss_ppm = cfg->lock_miss_ppm;
	m->lock_rng = cfg->seed;
	m->obj_free_head = m->proc_free_head = m->allproc_head = VM_NONE;
	vm_pmap_init(m);
	m->rn_free = VM_NONE;
	m->pages = malloc((size_t)m->ntotal * sizeof(*m->pages));
	m->dom = calloc(m->ndomains, sizeof(*m->dom));
	pg_idmap_init(&m->obj_index);
	pg_idmap_init(&m->proc_index);
	m->swap = vm_swap_create();
	m->io = vm_io_state_create(cfg->hirunningspace);
	if (m->pages == NULL || m->dom == NULL || vm_radix_init(m) != 0 ||
	    m->swap == NULL || m->io == NULL)
		goto nomem;

	total = 0;
	base = 0;
	for (d = 0; d < m->ndomains; d++) {
		vmd = &m->dom[d];
		vmd->index = d;
		vmd->th = lay->th[d];
		vmd->page_count = lay->page_count[d];
		vmd->first_page = base;
		vmd->kernel_wired = lay->kernel_wired[d];
		vmd->kernel_cache = lay->kernel_cache[d];
		for (i = 0; i < PQ_COUNT; i++)
			vmd->pq[i].head = vmd->pq[i].tail = VM_NONE;
		vmd->free_head = VM_NONE;
		vmd->last_active_scan = ticks0;
		vmd->laundry_request = VM_LAUNDRY_IDLE;
		/*
		 * The managed pages are free, lowest allocated first: the
		 * fresh range (alloc.c), their structs written when they
		 * are first allocated.
		 */
		for (i = 0; i < vmd->kernel_wired + vmd->kernel_cache; i++)
			vm_page_init(&m->pages[base + i], (uint8_t)d);
		vmd->fresh_next = base + vmd->kernel_wired + vmd->kernel_cache;
		vmd->fresh_end = base + vmd->page_count;
		vmd->free_count = vmd->page_count - vmd->kernel_wired -
		    vmd->kernel_cache;
		total += vmd->free_count;
		/* vm_domain_set() of a domain that boots short of memory. */
		if (vmd->free_count < vmd->th.free_min)
			m->min_domains |= (uint64_t)1 << d;
		if (vmd->free_count < vmd->th.free_severe)
			m->severe_domains |= (uint64_t)1 << d;
		vmd->marker = m->npages + 3 * d;
		vmd->inacthead = vmd->marker + 1;
		vmd->laundry_marker = vmd->marker + 2;
		for (i = vmd->marker; i <= vmd->laundry_marker; i++) {
			vm_page_init(&m->pages[i], (uint8_t)d);
			m->pages[i].flags = PG_MARKER;
		}
		/* S:1785-1787: inacthead heads the inactive queue for good. */
		vm_pagequeue_insert_tail(m, d, PQ_INACTIVE, vmd->inacthead);
		base += vmd->page_count;
	}
	m->cnt.min_free_count = total;
	m->lowmem_uptime = 0;
	m->swapdev_enabled = 0;
	/*
	 * Swap configured at boot is a swapon(8) from rc: swap_pager_full
	 * and swap_pager_almost_full start at 2 / 1 (no swap) and
	 * swp_sizecheck() then applies: with at least nswap_lowat (128)
	 * blocks full becomes 0, and with more than nswap_hiwat (512)
	 * almost_full becomes 0 too.
	 */
	if (lay->swap_pages > 0 && vm_swapon(m, lay->swap_pages) != 0) {
		free(lay);
		vm_machine_destroy(m);
		return (-EINVAL);
	}
	free(lay);
	*out = m;
	return (0);
nomem:
	free(lay);
	vm_machine_destroy(m);
	return (-ENOMEM);
}

void
vm_machine_destroy(struct vm_machine *m)
{
	uint32_t i;

	if (m == NULL)
		return;
	if (m->procs != NULL)
		for (i = 0; i < m->procs_cap; i++)
			free(m->procs[i].maps);
	free(m->procs);
	free(m->objects);
	vm_pmap_fini(m);
	vm_radix_fini(m);
	free(m->pages);
	for (i = 0; m->dom != NULL && i < m->ndomains; i++)
		vm_act_hints_free(&m->dom[i]);
	free(m->dom);
	pg_idmap_finish(&m->obj_index);
	pg_idmap_finish(&m->proc_index);
	vm_swap_destroy(m->swap);
	if (m->io != NULL)
		vm_io_state_destroy(m->io);
	free(m);
}

#define FAIL(...) do {							\
	error = pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0, __VA_ARGS__); \
	goto out;							\
} while (0)

static const char *const qname[PQ_COUNT] = {
	"INACTIVE", "ACTIVE", "LAUNDRY", "UNSWAPPABLE"
};

int
vm_machine_check(const struct vm_machine *m, struct pg_error *err)
{
	const struct vm_domain *vmd;
	const struct vm_page *p;
	const struct vm_object *o;
	const struct vm_proc *pr;
	uint8_t *seen;
	uint32_t d, q, page, prev, n, i, j, k, kend, nfree, held, resident, e;
	uint32_t *refs;
	int error;

	error = 0;
	if (err != NULL)
		pg_error_clear(err);
	seen = calloc(m->ntotal, 1);
	refs = calloc(m->nobjects + 1, sizeof(*refs));
	if (seen == NULL || refs == NULL) {
		free(seen);
		free(refs);
		return (-ENOMEM);
	}

	/* Queues: links, counts, membership. */
	for (d = 0; d < m->ndomains; d++) {
		vmd = &m->dom[d];
		for (q = 0; q < PQ_COUNT; q++) {
			n = 0;
			prev = VM_NONE;
			for (page = vmd->pq[q].head; page != VM_NONE;
			    page = p->qnext) {
				if (page >= m->ntotal)
					FAIL("domain %u %s: bad page index %u",
					    d, qname[q], page);
				p = &m->pages[page];
				if (seen[page])
					FAIL("page %u is on a queue twice "
					    "(domain %u %s)", page, d, qname[q]);
				seen[page] = 1;
				if (p->qprev != prev)
					FAIL("domain %u %s: page %u qprev %u, "
					    "expected %u", d, qname[q], page,
					    p->qprev, prev);
				if (p->queue != q || p->domain != d)
					FAIL("page %u on domain %u %s says "
					    "queue %u domain %u", page, d,
					    qname[q], p->queue, p->domain);
				if ((p->flags & PG_FREE) != 0)
					FAIL("free page %u on domain %u %s",
					    page, d, qname[q]);
				if ((p->flags & PG_MARKER) == 0)
					n++;
				prev = page;
			}
			if (vmd->pq[q].tail != prev)
				FAIL("domain %u %s: tail %u, last page %u", d,
				    qname[q], vmd->pq[q].tail, prev);
			if (n != vmd->pq[q].cnt)
				FAIL("domain %u %s: pq_cnt %u but %u pages on "
				    "the list", d, qname[q], vmd->pq[q].cnt, n);
		}
		if (m->pages[vmd->inacthead].queue != PQ_INACTIVE ||
		    !seen[vmd->inacthead])
			FAIL("domain %u: inacthead is not in INACTIVE", d);
		if (m->pages[vmd->marker].queue != PQ_NONE &&
		    m->pages[vmd->marker].queue != PQ_INACTIVE)
			FAIL("domain %u: scan marker on %s", d,
			    qname[m->pages[vmd->marker].queue]);
		if (m->pages[vmd->laundry_marker].queue == PQ_INACTIVE ||
		    m->pages[vmd->laundry_marker].queue == PQ_ACTIVE)
			FAIL("domain %u: laundry marker on %s", d,
			    qname[m->pages[vmd->laundry_marker].queue]);
	}
	for (page = 0; page < m->ntotal; page++) {
		if (vm_page_fresh(m, page))
			continue;
		p = &m->pages[page];
		if (!seen[page] && p->queue != PQ_NONE)
			FAIL("page %u says queue %u but is on no list", page,
			    p->queue);
		if ((page >= m->npages) != ((p->flags & PG_MARKER) != 0))
			FAIL("page %u: PG_MARKER %s", page,
			    page >= m->npages ? "missing" : "on a real page");
	}

	/* Free lists and the page census of each domain. */
	memset(seen, 0, m->ntotal);
	for (d = 0; d < m->ndomains; d++) {
		vmd = &m->dom[d];
		if (vmd->free_count > vmd->page_count)
			FAIL("domain %u: free_count %u above page_count %u", d,
			    vmd->free_count, vmd->page_count);
		nfree = 0;
		for (page = vmd->free_head; page != VM_NONE; page = p->qnext) {
			if (page >= m->npages || nfree > vmd->page_count)
				FAIL("domain %u: free list broken at %u", d,
				    page);
			p = &m->pages[page];
			if ((p->flags & PG_FREE) == 0 || p->domain != d ||
			    seen[page] || vm_page_fresh(m, page))
				FAIL("domain %u: page %u on the free list is "
				    "not a free page of the domain", d, page);
			if (p->queue != PQ_NONE || p->object != VM_NONE ||
			    p->pv != VM_NONE)
				FAIL("free page %u is queued, in an object or "
				    "mapped", page);
			seen[page] = 1;
			nfree++;
		}
		kend = vmd->first_page + vmd->kernel_wired + vmd->kernel_cache;
		if (vmd->fresh_next < kend || vmd->fresh_next > vmd->fresh_end ||
		    vmd->fresh_end != vmd->first_page + vmd->page_count)
			FAIL("domain %u: fresh pages [%u, %u) outside its "
			    "managed pages [%u, %u)", d, vmd->fresh_next,
			    vmd->fresh_end, kend,
			    vmd->first_page + vmd->page_count);
		nfree += vmd->fresh_end - vmd->fresh_next;
		if (nfree != vmd->free_count)
			FAIL("domain %u: free_count %u but %u pages on the "
			    "free list", d, vmd->free_count, nfree);
		held = 0;
		for (page = vmd->first_page; page < vmd->fresh_next; page++) {
			p = &m->pages[page];
			if (p->domain != d)
				FAIL("page %u of domain %u says domain %u",
				    page, d, p->domain);
			if ((p->flags & PG_FREE) != 0) {
				if (!seen[page])
					FAIL("page %u is PG_FREE but not on "
					    "the free list", page);
				continue;
			}
			if (page < kend) {
				if (p->queue != PQ_NONE ||
				    p->object != VM_NONE)
					FAIL("kernel page %u is queued or in "
					    "an object", page);
				continue;
			}
			/*
			 * Any other page is allocated: in an object, or
			 * waiting for its deferred free.
			 */
			if (p->object == VM_NONE && (p->flags &
			    (PG_UNHOLDFREE | PG_FREEBUSY)) == 0)
				FAIL("page %u is neither free, kernel, in an "
				    "object nor awaiting a deferred free",
				    page);
			held++;
		}
		if (nfree + vmd->kernel_wired + vmd->kernel_cache + held !=
		    vmd->page_count)
			FAIL("domain %u: %u free + %u kernel + %u allocated "
			    "!= %u pages", d, nfree, vmd->kernel_wired +
			    vmd->kernel_cache, held, vmd->page_count);
		/* The sets change only on transitions, so they are exact. */
		if (((m->min_domains >> d) & 1) !=
		    (vmd->free_count < vmd->th.free_min ? 1u : 0u))
			FAIL("domain %u: %u free, free_min %u, min set bit %u",
			    d, vmd->free_count, vmd->th.free_min,
			    (unsigned)((m->min_domains >> d) & 1));
		if (((m->severe_domains >> d) & 1) !=
		    (vmd->free_count < vmd->th.free_severe ? 1u : 0u))
			FAIL("domain %u: %u free, free_severe %u, severe set "
			    "bit %u", d, vmd->free_count, vmd->th.free_severe,
			    (unsigned)((m->severe_domains >> d) & 1));
	}

	/* Objects: resident lists and the page index. */
	resident = 0;
	for (i = 0; i < m->nobjects; i++) {
		o = &m->objects[i];
		if (!o->in_use)
			continue;
		if (vm_object_lookup(m, o->id) != i)
			FAIL("object slot %u (id %" PRIu64 ") not found by id",
			    i, o->id);
		n = 0;
		prev = VM_NONE;
		for (page = o->page_head; page != VM_NONE; page = p->onext) {
			if (page >= m->npages || n > m->npages)
				FAIL("object slot %u: page list broken at %u",
				    i, page);
			p = &m->pages[page];
			if (p->object != i || p->oprev != prev)
				FAIL("object slot %u: page %u says object %u",
				    i, page, p->object);
			if ((p->flags & PG_FREE) != 0)
				FAIL("free page %u in object slot %u", page, i);
			if (vm_page_lookup(m, i, p->pindex) != page)
				FAIL("page %u (object %u, pindex %u) not found "
				    "in the page index", page, i, p->pindex);
			prev = page;
			n++;
		}
		if (o->page_tail != prev)
			FAIL("object slot %u: page_tail %u, last page %u", i,
			    o->page_tail, prev);
		if (n != o->resident_page_count)
			FAIL("object slot %u: resident_page_count %u but %u "
			    "pages", i, o->resident_page_count, n);
		resident += n;
	}
	n = 0;
	for (page = 0; page < m->npages; page++)
		if (!vm_page_fresh(m, page) && m->pages[page].object != VM_NONE)
			n++;
	if (n != resident)
		FAIL("%u pages name an object, objects hold %u", n, resident);

	/* Mappings: reference counts and pv entries. */
	for (i = 0; i < m->nprocs; i++) {
		pr = &m->procs[i];
		if (!pr->in_use)
			continue;
		if (vm_proc_lookup(m, pr->pid) != i)
			FAIL("process slot %u (pid %u) not found by pid", i,
			    pr->pid);
		for (j = 0; j < pr->nmaps; j++) {
			if (pr->maps[j] >= m->nobjects ||
			    !m->objects[pr->maps[j]].in_use)
				FAIL("pid %u maps dead object slot %u",
				    pr->pid, pr->maps[j]);
			refs[pr->maps[j]]++;
		}
	}
	for (i = 0; i < m->nobjects; i++)
		if (m->objects[i].in_use && refs[i] != m->objects[i].ref_count)
			FAIL("object slot %u: ref_count %u but %u mappings", i,
			    m->objects[i].ref_count, refs[i]);
	for (page = 0; page < m->npages; page++) {
		if (vm_page_fresh(m, page))
			continue;
		p = &m->pages[page];
		if (p->pv == VM_NONE) {
			if (p->pvn != 0)
				FAIL("page %u: %u later mappings but no first",
				    page, p->pvn);
			continue;
		}
		if (p->object == VM_NONE)
			FAIL("page %u has mappings but no object", page);
		for (k = 0; k <= p->pvn; k++) {
			e = k == 0 ? p->pv : p->pvn <= m->pvc_len &&
			    p->pvx < m->pvc_len - p->pvn ? m->pvc[p->pvx + k] :
			    VM_NONE;
			if (e == VM_NONE)
				FAIL("page %u: pv vector %u broken", page,
				    p->pvx);
			if (VM_PV_PROC(e) >= m->nprocs ||
			    !m->procs[VM_PV_PROC(e)].in_use)
				FAIL("page %u mapped by dead process slot %u",
				    page, VM_PV_PROC(e));
			pr = &m->procs[VM_PV_PROC(e)];
			for (j = 0; j < pr->nmaps; j++)
				if (pr->maps[j] == p->object)
					break;
			if (j == pr->nmaps)
				FAIL("page %u mapped by pid %u, which does "
				    "not map its object", page, pr->pid);
		}
	}
	if ((error = vm_pmap_check(m, err)) != 0)
		goto out;

	for (i = m->allproc_head, n = 0, prev = VM_NONE; i != VM_NONE;
	    prev = i, i = m->procs[i].allproc_next, n++) {
		if (i >= m->nprocs || !m->procs[i].in_use ||
		    m->procs[i].allproc_prev != prev || n > m->nprocs)
			FAIL("allproc broken at slot %u", i);
	}

	error = vm_swap_check(m, err);
out:
	free(seen);
	free(refs);
	return (error);
}
