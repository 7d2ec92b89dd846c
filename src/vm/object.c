/*
 * object.c - objects: slots, the trace id -> slot map and each object's
 * list of resident pages; the pindex -> page index is radix.c.
 */
#include "vm/vm_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint32_t
vm_object_lookup(const struct vm_machine *m, uint64_t id)
{
	uint32_t slot;

	return (pg_idmap_get(&m->obj_index, id, &slot) ? slot : VM_NONE);
}

/*
 * vm_page_insert_object() - model of vm_page_insert(): index it and
 * append it to the object's resident list.
 */
int
vm_page_insert_object(struct vm_machine *m, uint32_t page, uint32_t obj,
    uint32_t pindex)
{
	struct vm_object *o;
	struct vm_page *p;
	int error;

	if ((error = vm_radix_insert(m, obj, pindex, page)) != 0)
		return (error);
	o = &m->objects[obj];
	p = &m->pages[page];
	p->object = obj;
	p->pindex = pindex;
	p->onext = VM_NONE;
	p->oprev = o->page_tail;
	if (o->page_tail != VM_NONE)
		m->pages[o->page_tail].onext = page;
	else
		o->page_head = page;
	o->page_tail = page;
	o->resident_page_count++;
	return (0);
}

/* vm_page_remove_object() - model of vm_page_remove(). */
void
vm_page_remove_object(struct vm_machine *m, uint32_t page)
{
	struct vm_object *o;
	struct vm_page *p;

	p = &m->pages[page];
	if (p->object == VM_NONE)
		return;
	o = &m->objects[p->object];
	vm_radix_remove(m, p->object, p->pindex);
	if (p->oprev != VM_NONE)
		m->pages[p->oprev].onext = p->onext;
	else
		o->page_head = p->onext;
	if (p->onext != VM_NONE)
		m->pages[p->onext].oprev = p->oprev;
	else
		o->page_tail = p->oprev;
	p->onext = p->oprev = VM_NONE;
	o->resident_page_count--;
	p->object = VM_NONE;
}

static int
object_grow(struct vm_machine *m)
{
	struct vm_object *n;

	/* Slots stay below VM_NONE. */
	n = pg_grow32(m->objects, &m->objects_cap, (size_t)m->objects_cap + 1,
	    sizeof(*n), 64, VM_NONE);
	if (n == NULL)
		return (-ENOMEM);
	m->objects = n;
	return (0);
}

int
vm_object_create(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size, uint32_t *slot)
{
	struct vm_object *o;
	uint32_t s;
	int error;

	if (vm_object_lookup(m, id) != VM_NONE)
		return (-EEXIST);
	if (m->obj_free_head != VM_NONE) {
		s = m->obj_free_head;
		error = pg_idmap_put(&m->obj_index, id, s);
		if (error != 0)
			return (error);
		m->obj_free_head = m->objects[s].page_head;
	} else {
		if (m->nobjects == m->objects_cap &&
		    (error = object_grow(m)) != 0)
			return (error);
		s = m->nobjects;
		error = pg_idmap_put(&m->obj_index, id, s);
		if (error != 0)
			return (error);
		m->nobjects++;
	}
	o = &m->objects[s];
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->size = size;
	o->type = (uint8_t)type;
	o->page_head = o->page_tail = VM_NONE;
	o->swap_root = VM_NONE;
	o->rn_root = VM_NONE;
	o->in_use = true;
	*slot = s;
	return (0);
}

/*
 * vm_object_destroy() - model of vm_object_terminate() without the wait
 * for paging_in_progress (spec 12.9): pages under I/O are detached now
 * and go to the free list when unbusied (PG_FREEBUSY), so the slot can be
 * reused at once.  The caller makes sure nobody maps the object.
 */
void
vm_object_destroy(struct vm_machine *m, uint32_t slot)
{
	struct vm_object *o;

	o = &m->objects[slot];
	o->flags |= OBJ_DEAD;
	while (o->page_head != VM_NONE)
		vm_page_free(m, o->page_head);
	vm_swap_release_object(m, slot);
	pg_idmap_del(&m->obj_index, o->id);
	memset(o, 0, sizeof(*o));
	o->in_use = false;
	o->page_tail = o->swap_root = o->rn_root = VM_NONE;
	o->page_head = m->obj_free_head;
	m->obj_free_head = slot;
}

/*
 * vm_object_page_remove() - model of vm_object_page_remove(obj, first,
 * first + count, 0) followed by swap_pager_freespace() of the range, as
 * madvise(MADV_FREE)/munmap of an anonymous range or a file truncation
 * do.  Deviation: a wired page in the range is freed too (its wiring is
 * dropped) where the kernel would only invalidate it; the trace's `free`
 * discards the contents either way.  Work is O(min(count, resident)).
 */
void
vm_object_page_remove(struct vm_machine *m, uint32_t obj, uint32_t first,
    uint32_t count)
{
	struct vm_object *o;
	uint64_t end, i;
	uint32_t page, next;

	o = &m->objects[obj];
	end = (uint64_t)first + count;
	if (count >= o->resident_page_count) {
		for (page = o->page_head; page != VM_NONE; page = next) {
			next = m->pages[page].onext;
			if (m->pages[page].pindex >= first &&
			    m->pages[page].pindex < end)
				vm_page_free(m, page);
		}
	} else {
		for (i = first; i < end; i++) {
			page = vm_page_lookup(m, obj, (uint32_t)i);
			if (page != VM_NONE)
				vm_page_free(m, page);
		}
	}
	vm_swap_release_range(m, obj, first, count);
}
