/*
 * helpers.c - see vmtest.h.
 */
#include "vmtest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* FreeBSD's defaults (conf_defaults()), on a machine with no kernel memory. */
void
t_config(struct pg_config *cfg, uint32_t memory_mib, uint32_t ndomains,
    uint64_t swap_blocks)
{
	conf_defaults(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "vmtest");
	cfg->memory_bytes = (uint64_t)memory_mib << 20;
	cfg->domains = ndomains;
	cfg->swap_bytes = swap_blocks * PG_PAGE_SIZE;
	cfg->kernel_wired_bytes = 0;
	cfg->kernel_cache_bytes = 0;
}

struct vm_machine *
t_machine(uint32_t memory_mib, uint32_t ndomains, uint64_t swap_blocks)
{
	struct pg_config cfg;
	struct vm_machine *m;

	t_config(&cfg, memory_mib, ndomains, swap_blocks);
	cr_assert_eq(vm_machine_create(&cfg, T_TICKS0, &m), 0);
	cr_assert_not_null(m);
	return (m);
}

void
t_check(const struct vm_machine *m)
{
	struct pg_error err;
	int r;

	r = vm_machine_check(m, &err);
	cr_assert_eq(r, 0, "vm_machine_check: %d: %s", r, err.msg);
}

uint32_t
t_object(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size)
{
	uint32_t slot;

	cr_assert_eq(vm_object_create(m, id, type, size, &slot), 0);
	return (slot);
}

uint32_t
t_page(struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	uint32_t page;

	page = vm_page_alloc(m, obj, pindex, VM_ALLOC_INTERRUPT, false);
	cr_assert_neq(page, VM_NONE, "allocation of pindex %u failed", pindex);
	m->pages[page].valid = VM_PAGE_BITS_ALL;
	return (page);
}

void
t_drain_to(struct vm_machine *m, uint32_t d, uint32_t obj, uint32_t target)
{
	uint32_t pindex;

	pindex = m->objects[obj].resident_page_count;
	while (m->dom[d].free_count > target)
		(void)t_page(m, obj, pindex++);
}

void
t_fill_to(struct vm_machine *m, uint32_t d, uint32_t obj, uint32_t target)
{
	while (m->dom[d].free_count < target) {
		cr_assert_neq(m->objects[obj].page_tail, VM_NONE);
		vm_page_free(m, m->objects[obj].page_tail);
	}
}

uint32_t
t_queue(const struct vm_machine *m, uint32_t d, uint8_t q, uint32_t *out,
    uint32_t max)
{
	uint32_t n, page;

	n = 0;
	for (page = m->dom[d].pq[q].head; page != VM_NONE;
	    page = m->pages[page].qnext) {
		if (n < max)
			out[n] = page;
		n++;
	}
	return (n);
}

uint32_t
t_proc(struct vm_machine *m, uint32_t pid)
{
	char name[32];
	uint32_t slot;

	snprintf(name, sizeof(name), "t%u", pid);
	cr_assert_eq(vm_proc_create(m, pid, name, &slot), 0);
	return (slot);
}
