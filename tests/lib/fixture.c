/*
 * fixture.c - see fixture.h.
 */
#include "lib/fixture.h"

#include <stdio.h>
#include <string.h>

void
fx_config(struct pg_config *cfg, uint32_t pages, uint64_t swap_pages)
{
	conf_defaults(cfg);
	cfg->memory_bytes = (uint64_t)pages * PG_PAGE_SIZE;
	cfg->domains = 1;
	cfg->swap_bytes = swap_pages * PG_PAGE_SIZE;
	cfg->kernel_wired_bytes = 0;
	cfg->kernel_cache_bytes = 0;
	cfg->laundry_last_target_init = 0;
}

void
fx_config_mib(struct pg_config *cfg, uint32_t memory_mib, uint32_t ndomains,
    uint64_t swap_pages)
{
	fx_config(cfg, (uint32_t)(((uint64_t)memory_mib << 20) / PG_PAGE_SIZE),
	    swap_pages);
	cfg->domains = ndomains;
}

struct vm_machine *
fx_machine_mib(uint32_t memory_mib, uint32_t ndomains, uint64_t swap_pages)
{
	struct pg_config cfg;

	fx_config_mib(&cfg, memory_mib, ndomains, swap_pages);
	return (fx_machine_cfg(&cfg));
}

struct vm_machine *
fx_machine_cfg(const struct pg_config *cfg)
{
	struct vm_machine *m;
	int error;

	error = vm_machine_create(cfg, FX_TICKS0, &m);
	cr_assert_eq(error, 0, "vm_machine_create: %d", error);
	fx_check(m);
	return (m);
}

struct vm_machine *
fx_machine(uint32_t pages, uint64_t swap_pages)
{
	struct pg_config cfg;

	fx_config(&cfg, pages, swap_pages);
	return (fx_machine_cfg(&cfg));
}

uint32_t
fx_object(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size)
{
	uint32_t slot;
	int error;

	error = vm_object_create(m, id, type, size, &slot);
	cr_assert_eq(error, 0, "vm_object_create: %d", error);
	return (slot);
}

uint32_t
fx_proc(struct vm_machine *m, uint32_t pid)
{
	char name[32];
	uint32_t slot;
	int error;

	snprintf(name, sizeof(name), "t%u", pid);
	error = vm_proc_create(m, pid, name, &slot);
	cr_assert_eq(error, 0, "vm_proc_create: %d", error);
	return (slot);
}

void
fx_map(struct vm_machine *m, uint32_t proc, uint32_t obj)
{
	int error;

	error = vm_proc_map(m, proc, obj);
	cr_assert_eq(error, 0, "vm_proc_map: %d", error);
}

uint32_t
fx_page(struct vm_machine *m, uint32_t obj, uint32_t pindex, uint8_t queue,
    bool dirty)
{
	uint32_t p;

	/* INTERRUPT: tests fill memory below free_reserved on purpose. */
	p = vm_page_alloc(m, obj, pindex, VM_ALLOC_INTERRUPT, false);
	cr_assert_neq(p, VM_NONE, "no free page for (%u, %u)", obj, pindex);
	m->pages[p].valid = VM_PAGE_BITS_ALL;
	m->pages[p].dirty = dirty ? VM_PAGE_BITS_ALL : 0;
	if (queue != PQ_NONE)
		vm_page_enqueue(m, queue, p);
	return (p);
}

void
fx_pages(struct vm_machine *m, uint32_t obj, uint32_t first, uint32_t n,
    uint8_t queue, bool dirty)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		(void)fx_page(m, obj, first + i, queue, dirty);
}

uint32_t
fx_page_at(const struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	uint32_t p;

	p = vm_page_lookup(m, obj, pindex);
	cr_assert_neq(p, VM_NONE, "page (%u, %u) is not resident", obj,
	    pindex);
	return (p);
}

void
fx_check(const struct vm_machine *m)
{
	struct pg_error err;
	int error;

	memset(&err, 0, sizeof(err));
	error = vm_machine_check(m, &err);
	cr_assert_eq(error, 0, "vm_machine_check: %s", err.msg);
}

uint32_t
fx_queue(const struct vm_machine *m, uint32_t d, uint8_t q, uint32_t *out,
    uint32_t max)
{
	uint32_t n, p;

	n = 0;
	for (p = m->dom[d].pq[q].head; p != VM_NONE; p = m->pages[p].qnext) {
		if (n < max)
			out[n] = p;
		n++;
	}
	return (n);
}

uint32_t
fx_complete_all(struct vm_machine *m)
{
	const struct vm_io *io;
	uint32_t n;

	n = 0;
	while ((io = vm_io_take(m)) != NULL) {
		vm_io_complete(m, io->id, false);
		n++;
	}
	return (n);
}

uint32_t
fx_alloc(struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	uint32_t page;

	page = vm_page_alloc(m, obj, pindex, VM_ALLOC_INTERRUPT, false);
	cr_assert_neq(page, VM_NONE, "allocation of pindex %u failed", pindex);
	m->pages[page].valid = VM_PAGE_BITS_ALL;
	return (page);
}

void
fx_drain_to(struct vm_machine *m, uint32_t d, uint32_t obj, uint32_t target)
{
	uint32_t pindex;

	pindex = m->objects[obj].resident_page_count;
	while (m->dom[d].free_count > target)
		(void)fx_alloc(m, obj, pindex++);
}

void
fx_fill_to(struct vm_machine *m, uint32_t d, uint32_t obj, uint32_t target)
{
	while (m->dom[d].free_count < target) {
		cr_assert_neq(m->objects[obj].page_tail, VM_NONE);
		vm_page_free(m, m->objects[obj].page_tail);
	}
}
