/*
 * pd_env.c - the page daemon's test environment (pd_env.h).
 */
#include "lib/pd_env.h"

#include <criterion/criterion.h>
#include <string.h>

/* FreeBSD's defaults (conf_defaults()), on a machine with no kernel memory. */
void
pdt_config(struct pg_config *cfg, uint64_t pages, uint32_t domains)
{
	conf_defaults(cfg);
	strcpy(cfg->name, "pageout-test");
	cfg->memory_bytes = pages * PG_PAGE_SIZE;
	cfg->domains = domains;
	cfg->swap_bytes = 0;
	cfg->kernel_wired_bytes = 0;
	cfg->kernel_cache_bytes = 0;
}

void
pdt_boot(struct pdt_env *e)
{
	int error;

	e->m = NULL;
	error = vm_machine_create(&e->cfg, PDT_TICKS0, &e->m);
	cr_assert_eq(error, 0, "vm_machine_create: %d", error);
	pageout_shared_init(&e->sh, &e->cfg);
	e->clk.ticks = PDT_TICKS0;
	e->clk.time_uptime = 1;
	e->elapsed = 0;
	e->next_obj_id = 1000;
	e->filler = VM_NONE;
	e->filler_next = 0;
	error = vm_proc_create(e->m, 100, "proc100", &e->proc);
	cr_assert_eq(error, 0, "vm_proc_create: %d", error);
	pdt_check(e);
}

void
pdt_boot_pages(struct pdt_env *e, uint64_t pages, uint32_t domains)
{
	pdt_config(&e->cfg, pages, domains);
	pdt_boot(e);
}

void
pdt_check(struct pdt_env *e)
{
	struct pg_error err;
	int error;

	memset(&err, 0, sizeof(err));
	error = vm_machine_check(e->m, &err);
	cr_assert_eq(error, 0, "vm_machine_check: %s", err.msg);
}

void
pdt_shutdown(struct pdt_env *e)
{
	pdt_check(e);
	vm_machine_destroy(e->m);
	e->m = NULL;
}

uint32_t
pdt_object(struct pdt_env *e, enum vm_objtype type, uint32_t size, bool mapped)
{
	uint32_t slot;
	int error;

	error = vm_object_create(e->m, e->next_obj_id++, type, size, &slot);
	cr_assert_eq(error, 0, "vm_object_create: %d", error);
	if (mapped) {
		error = vm_proc_map(e->m, e->proc, slot);
		cr_assert_eq(error, 0, "vm_proc_map: %d", error);
	}
	return (slot);
}

uint32_t
pdt_page(struct pdt_env *e, uint32_t d, uint32_t obj, uint32_t pindex,
    uint8_t queue)
{
	struct vm_page *pg;
	uint32_t p;

	e->m->objects[obj].domain_rr = d;
	p = vm_page_alloc(e->m, obj, pindex, VM_ALLOC_INTERRUPT, false);
	cr_assert_neq(p, VM_NONE, "vm_page_alloc(%u, %u) failed", obj, pindex);
	pg = &e->m->pages[p];
	cr_assert_eq(pg->domain, d, "page in domain %u, wanted %u",
	    pg->domain, d);
	pg->valid = VM_PAGE_BITS_ALL;
	pg->dirty = 0;
	pg->act_count = 0;
	if (queue != PQ_NONE)
		vm_page_enqueue(e->m, queue, p);
	return (p);
}

uint32_t
pdt_pages(struct pdt_env *e, uint32_t d, uint32_t obj, uint32_t first,
    uint32_t n, uint8_t queue)
{
	uint32_t i, p, p0;

	p0 = VM_NONE;
	for (i = 0; i < n; i++) {
		p = pdt_page(e, d, obj, first + i, queue);
		if (i == 0)
			p0 = p;
	}
	return (p0);
}

void
pdt_set_free(struct pdt_env *e, uint32_t d, uint32_t free)
{
	uint32_t n, p;

	cr_assert_geq(e->m->dom[d].free_count, free);
	n = e->m->dom[d].free_count - free;
	if (e->filler == VM_NONE)
		e->filler = pdt_object(e, OBJT_DEFAULT, UINT32_C(1) << 30, false);
	while (n-- > 0) {
		p = pdt_page(e, d, e->filler, e->filler_next++, PQ_NONE);
		vm_page_wire(e->m, p);
	}
	cr_assert_eq(e->m->dom[d].free_count, free);
}

bool
pdt_scan(struct pdt_env *e, uint32_t d, int32_t pass, int32_t shortage)
{
	bool met;

	met = vm_pageout_scan(e->m, &e->sh, d, pass, shortage, &e->clk, NULL);
	pdt_check(e);
	return (met);
}

int
pdt_qpos(struct pdt_env *e, uint32_t page)
{
	const struct vm_page *pg = &e->m->pages[page];
	uint32_t p;
	int i;

	if (pg->queue == PQ_NONE)
		return (-1);
	i = 0;
	for (p = e->m->dom[pg->domain].pq[pg->queue].head; p != VM_NONE;
	    p = e->m->pages[p].qnext, i++)
		if (p == page)
			return (i);
	return (-1);
}

bool
pdt_queue_has(struct pdt_env *e, uint32_t d, uint8_t q, uint32_t page)
{
	uint32_t p;

	for (p = e->m->dom[d].pq[q].head; p != VM_NONE;
	    p = e->m->pages[p].qnext)
		if (p == page)
			return (true);
	return (false);
}

void
pdt_advance(struct pdt_env *e, int32_t ticks)
{
	e->elapsed += ticks;
	e->clk.ticks = (int32_t)((uint32_t)PDT_TICKS0 + (uint32_t)e->elapsed);
	e->clk.time_uptime = 1 + e->elapsed / e->cfg.sysctl.hz;
}
