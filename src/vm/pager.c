/*
 * pager.c - model of the pager interface (vm_pager.c, vm_pager.h) as the
 * laundry thread uses it: vm_pager_put_pages() dispatches to the put
 * routine of the object's type (swap_pager.c, vnode_pager.c), and the I/O
 * records those start live here until the simulator's devices complete
 * them (vm_io_take(), vm_io_complete()), spec 9.4, 9.5, 12.5, 12.7.
 *
 * A pager never waits here.  Where the kernel's swap pager sleeps in
 * getpbuf() for one of the nsw_wcount_async buffers, the write is parked
 * in the pbuf queue and vm_pbuf_waiting() tells the laundry thread to stop
 * until it has been started.  Where the kernel's thread sleeps in
 * waitrunningbufspace() after an asynchronous vnode write, the thread is
 * recorded as a sleeper (vm_runningbuf_waiting()) until a completion
 * brings runningbufspace down to lorunningspace; where the vnode pager
 * writes synchronously (vm_page_count_min()), the record is the thread's
 * wait (vm_io_sync_pending()).
 *
 * I/O records live in blocks that are never moved, so the pointer
 * vm_io_take() returns stays valid until the I/O completes.  At most
 * NSW_WCOUNT_ASYNC swap writes are in flight and the pbuf queue holds what
 * one cluster of each waiting laundry thread produced; vnode writes in
 * flight are bounded by hirunningspace plus one cluster per domain.
 */
#include "vm/pager_int.h"

#include <stdlib.h>

/* Unlink r from f; r must be on it. */
static void
fifo_remove(struct io_fifo *f, struct io_rec *r)
{
	struct io_rec **pp, *prev;

	prev = NULL;
	for (pp = &f->head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			if (f->tail == r)
				f->tail = prev;
			f->n--;
			r->next = NULL;
			return;
		}
		prev = *pp;
	}
}

struct vm_io_state *
vm_io_state_create(uint64_t hirunningspace)
{
	struct vm_io_state *s;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return (NULL);
	s->next_id = 1;
	s->inject = -1;
	s->hirunning = hirunningspace;
	s->lorunning = vm_lorunningspace(hirunningspace);
	return (s);
}

void
vm_io_state_destroy(struct vm_io_state *s)
{
	struct io_block *b, *next;

	if (s == NULL)
		return;
	for (b = s->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(s);
}

/*
 * A free record with a fresh id, or NULL without host memory.  Blocks are
 * added only when every record is in use, which the bounds above make
 * rare; they are never given back before the machine is destroyed.
 */
struct io_rec *
io_alloc(struct vm_io_state *s, uint8_t kind, uint32_t td)
{
	struct io_block *b;
	struct io_rec *r;
	int i;

	if (s->free == NULL) {
		b = calloc(1, sizeof(*b));
		if (b == NULL)
			return (NULL);
		b->next = s->blocks;
		s->blocks = b;
		for (i = IO_BLOCK_RECS - 1; i >= 0; i--) {
			b->rec[i].next = s->free;
			s->free = &b->rec[i];
		}
	}
	r = s->free;
	s->free = r->next;
	r->next = NULL;
	r->io.id = s->next_id++;
	r->io.kind = kind;
	r->io.domain = td;
	r->io.count = 0;
	return (r);
}

void
io_release(struct vm_io_state *s, struct io_rec *r)
{
	r->where = IO_FREE;
	r->next = s->free;
	s->free = r;
}

/* Hand r to the devices: the simulator finds it with vm_io_take(). */
void
io_start(struct vm_machine *m, struct io_rec *r)
{
	r->where = IO_OUTBOX;
	io_fifo_push(&m->io->outbox, r);
	m->notify.io_submitted = true;
}

static struct io_rec *
io_find(struct vm_io_state *s, uint32_t id)
{
	struct io_block *b;
	int i;

	for (b = s->blocks; b != NULL; b = b->next)
		for (i = 0; i < IO_BLOCK_RECS; i++)
			if (b->rec[i].where != IO_FREE && b->rec[i].io.id == id)
				return (&b->rec[i]);
	return (NULL);
}

/* vm_pager_put_pages_td() - model of vm_pager_put_pages(), vm_pager.h. */
void
vm_pager_put_pages_td(struct vm_machine *m, uint32_t td,
    const uint32_t *pages, int count, int *rtvals)
{
	struct vm_object *object;
	int i;

	if (count <= 0)
		return;
	if (m->io->inject >= 0) {
		for (i = 0; i < count; i++)
			rtvals[i] = m->io->inject;
		m->io->inject = -1;
		return;
	}
	object = &m->objects[m->pages[pages[0]].object];
	switch (object->type) {
	case OBJT_DEFAULT:
		/*
		 * The first pageout converts an anonymous object to a swap
		 * object before any space is allocated, so it stays
		 * OBJT_SWAP even if the allocation fails (spec 4.2).
		 */
		object->type = OBJT_SWAP;
		/* FALLTHROUGH */
	case OBJT_SWAP:
		swap_pager_putpages(m, td, pages, count, rtvals);
		break;
	case OBJT_VNODE:
		vnode_pager_putpages(m, td, pages, count, rtvals);
		break;
	default:
		/*
		 * OBJT_PHYS pages are wired and never reach a laundry
		 * queue; the kernel's phys pager has no put routine.
		 */
		for (i = 0; i < count; i++)
			rtvals[i] = VM_PAGER_FAIL;
		break;
	}
}

void
vm_pager_put_pages(struct vm_machine *m, const uint32_t *pages, int count,
    int *rtvals)
{
	if (count <= 0)
		return;
	vm_pager_put_pages_td(m, m->pages[pages[0]].domain, pages, count,
	    rtvals);
}

void
vm_pager_inject(struct vm_machine *m, int status)
{
	m->io->inject = status < 0 ? -1 : status;
}

const struct vm_io *
vm_io_take(struct vm_machine *m)
{
	struct io_rec *r;

	r = io_fifo_pop(&m->io->outbox);
	if (r == NULL)
		return (NULL);
	r->where = IO_DEVICE;
	return (&r->io);
}

void
vm_io_complete(struct vm_machine *m, uint32_t io_id, bool error)
{
	struct vm_io_state *s;
	struct io_rec *r;

	s = m->io;
	r = io_find(s, io_id);
	if (r == NULL || r->where == IO_PBUF)
		return;
	if (r->where == IO_OUTBOX)
		fifo_remove(&s->outbox, r);
	if (r->io.kind == VM_IO_SWAP_WRITE)
		swap_pager_write_done(m, r, error);
	else
		vnode_pager_write_done(m, r);
	io_release(s, r);
}

uint32_t
vm_io_outbox(const struct vm_machine *m)
{
	return (m->io->outbox.n);
}
