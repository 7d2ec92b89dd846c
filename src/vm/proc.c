/*
 * proc.c - processes, their mappings and the allproc list (spec 4.3).
 *
 * A mapping always covers a whole object, so a process's map is the list
 * of object slots it maps.  Slots of exited processes are reused together
 * with their maps array, so a replay allocates only when it sees more
 * simultaneous processes or mappings than before.
 */
#include "vm/vm_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t
vm_proc_lookup(const struct vm_machine *m, uint32_t pid)
{
	uint32_t slot;

	return (pg_idmap_get(&m->proc_index, pid, &slot) ? slot : VM_NONE);
}

static int
proc_grow(struct vm_machine *m)
{
	struct vm_proc *n;

	/* Slots stay below VM_NONE. */
	n = pg_grow32(m->procs, &m->procs_cap, (size_t)m->procs_cap + 1,
	    sizeof(*n), 32, VM_NONE);
	if (n == NULL)
		return (-ENOMEM);
	m->procs = n;
	return (0);
}

int
vm_proc_create(struct vm_machine *m, uint32_t pid, const char *name,
    uint32_t *slot)
{
	struct vm_proc *p;
	uint32_t s;
	int error;

	if (vm_proc_lookup(m, pid) != VM_NONE)
		return (-EEXIST);
	if (m->proc_free_head != VM_NONE) {
		s = m->proc_free_head;
		if ((error = pg_idmap_put(&m->proc_index, pid, s)) != 0)
			return (error);
		m->proc_free_head = m->procs[s].allproc_next;
	} else {
		/* A process slot must fit a pv word (VM_PV_ENTRY). */
		if (m->nprocs >= VM_PV_PROC_MAX)
			return (-ENOMEM);
		if (m->nprocs == m->procs_cap && (error = proc_grow(m)) != 0)
			return (error);
		s = m->nprocs;
		if ((error = pg_idmap_put(&m->proc_index, pid, s)) != 0)
			return (error);
		m->nprocs++;
	}
	p = &m->procs[s];
	p->pid = pid;
	snprintf(p->name, sizeof(p->name), "%s", name != NULL ? name : "");
	p->state = PRS_NORMAL;
	p->flags = 0;
	p->in_use = true;
	p->nmaps = 0;
	/* New processes go to the head of allproc (fork inserts there). */
	p->allproc_prev = VM_NONE;
	p->allproc_next = m->allproc_head;
	if (m->allproc_head != VM_NONE)
		m->procs[m->allproc_head].allproc_prev = s;
	m->allproc_head = s;
	*slot = s;
	return (0);
}

int
vm_proc_map(struct vm_machine *m, uint32_t proc, uint32_t obj)
{
	struct vm_proc *p;
	uint32_t *n, i;

	p = &m->procs[proc];
	for (i = 0; i < p->nmaps; i++)
		if (p->maps[i] == obj)
			return (-EEXIST);
	n = pg_grow32(p->maps, &p->maps_cap, (size_t)p->nmaps + 1, sizeof(*n),
	    8, UINT32_MAX);
	if (n == NULL)
		return (-ENOMEM);
	p->maps = n;
	p->maps[p->nmaps++] = obj;
	m->objects[obj].ref_count++;
	return (0);
}

/*
 * Remove proc's pv entries from every resident page of obj, as
 * pmap_remove() of the mapping's range does: A becomes PGA_REFERENCED and
 * M becomes dirty, so no reference or modification is lost.
 */
static void
proc_remove_pvs(struct vm_machine *m, uint32_t proc, uint32_t obj)
{
	uint32_t page;

	for (page = m->objects[obj].page_head; page != VM_NONE;
	    page = m->pages[page].onext)
		vm_pmap_remove_proc(m, proc, page);
}

int
vm_proc_unmap(struct vm_machine *m, uint32_t proc, uint32_t obj)
{
	struct vm_proc *p;
	struct vm_object *o;
	uint32_t i;

	p = &m->procs[proc];
	for (i = 0; i < p->nmaps; i++)
		if (p->maps[i] == obj)
			break;
	if (i == p->nmaps)
		return (-ENOENT);
	/* Keep the order: exit unmaps in mapping order, deterministically. */
	memmove(&p->maps[i], &p->maps[i + 1],
	    (size_t)(p->nmaps - i - 1) * sizeof(p->maps[0]));
	p->nmaps--;
	proc_remove_pvs(m, proc, obj);
	o = &m->objects[obj];
	o->ref_count--;
	/*
	 * An anonymous object dies with its last reference
	 * (vm_object_deallocate()); file and physical objects stay cached,
	 * unmapped, as the vnode keeps them.
	 */
	if (o->ref_count == 0 &&
	    (o->type == OBJT_DEFAULT || o->type == OBJT_SWAP))
		vm_object_destroy(m, obj);
	return (0);
}

/* vm_proc_exit() - exit1() and the final vmspace_exit(). */
void
vm_proc_exit(struct vm_machine *m, uint32_t proc)
{
	struct vm_proc *p;

	p = &m->procs[proc];
	while (p->nmaps > 0)
		(void)vm_proc_unmap(m, proc, p->maps[0]);
	p->state = PRS_ZOMBIE;
	if (p->allproc_prev != VM_NONE)
		m->procs[p->allproc_prev].allproc_next = p->allproc_next;
	else
		m->allproc_head = p->allproc_next;
	if (p->allproc_next != VM_NONE)
		m->procs[p->allproc_next].allproc_prev = p->allproc_prev;
	pg_idmap_del(&m->proc_index, p->pid);
	p->in_use = false;
	p->allproc_prev = VM_NONE;
	p->allproc_next = m->proc_free_head;
	m->proc_free_head = proc;
}

/*
 * vm_proc_size() - the VM_OOM_MEM size of vm_pageout_oom() (S:1637-1655,
 * S:1731-1733, spec 10.2): resident pages of every mapped DEFAULT, SWAP,
 * PHYS or VNODE object, plus the swap blocks of SWAP objects
 * (vmspace_swap_count()).  A shared object counts in full for every
 * process that maps it, as in the kernel.  Our mappings are never
 * copy-on-write, so the NEEDS_COPY exclusion has nothing to exclude.
 */
uint64_t
vm_proc_size(const struct vm_machine *m, uint32_t proc)
{
	const struct vm_proc *p;
	const struct vm_object *o;
	uint64_t size;
	uint32_t i;

	p = &m->procs[proc];
	size = 0;
	for (i = 0; i < p->nmaps; i++) {
		o = &m->objects[p->maps[i]];
		switch (o->type) {
		case OBJT_DEFAULT:
		case OBJT_SWAP:
		case OBJT_VNODE:
		case OBJT_PHYS:
			size += o->resident_page_count;
			break;
		default:
			break;
		}
		if (o->type == OBJT_SWAP)
			size += o->swap_count;
	}
	return (size);
}
