/*
 * swap_pager.c - model of the write half of swap_pager.c as the laundry
 * thread sees it (spec 9.5): swap_pager_putpages() with its getpbuf()
 * limit of nsw_wcount_async buffers, swp_pager_async_iodone() for a
 * completed write, and relpbuf().  Reads from swap are the fault path's
 * (vm/fault.c); the swap space itself is vm/swap.c.
 *
 * Where the kernel's thread sleeps in getpbuf(), the write waits in the
 * pbuf queue and vm_pbuf_waiting_td() keeps its laundry thread stopped
 * until a completion hands it a buffer.
 */
#include "vm/pager_int.h"

#include <assert.h>

/*
 * swap_pager_putpages() - model of swap_pager_putpages() (spec 9.5), as
 * called from the laundry thread, i.e. asynchronously.  The object is
 * already OBJT_SWAP.
 */
void
swap_pager_putpages(struct vm_machine *m, uint32_t td, const uint32_t *pages,
    int count, int *rtvals)
{
	struct vm_io_state *s;
	struct vm_object *object;
	struct io_rec *r;
	uint32_t device, obj;
	int i, j, n;
	bool ok;

	s = m->io;
	obj = m->pages[pages[0]].object;
	object = &m->objects[obj];
	for (i = 0; i < count; i += n) {
		n = count - i;
		if (n > NSW_CLUSTER_MAX)
			n = NSW_CLUSTER_MAX;

		/*
		 * The record is taken first so that running out of host
		 * memory cannot leave swap space allocated to nobody.
		 */
		r = io_alloc(s, VM_IO_SWAP_WRITE, td);
		if (r == NULL) {
			for (j = 0; j < n; j++)
				rtvals[i + j] = VM_PAGER_AGAIN;
			continue;
		}

		/*
		 * Get the biggest contiguous run of swap we can, halving
		 * down to 4 pages; smaller runs would fragment swap too
		 * much, so those pages fail instead.
		 */
		while (!(ok = vm_swap_getspace(m, (uint32_t)n, &device)) &&
		    n > 4)
			n >>= 1;
		if (!ok) {
			io_release(s, r);
			for (j = 0; j < n; j++)
				rtvals[i + j] = VM_PAGER_FAIL;
			m->cnt.swap_write_fail += (uint64_t)n;
			continue;
		}

		for (j = 0; j < n; j++) {
			vm_swap_assign(m, obj, m->pages[pages[i + j]].pindex,
			    device);
			r->io.pages[j] = pages[i + j];
		}
		r->io.count = (uint32_t)n;
		r->io.object = obj;
		r->io.object_id = object->id;
		m->cnt.v_swapout++;
		m->cnt.v_swappgsout += (uint64_t)n;

		/*
		 * The swap buffer never enters runningbufspace (its
		 * b_runningbufspace stays 0 and swapgeom_strategy() hands
		 * it to GEOM directly): swap writes are limited by
		 * nsw_wcount_async alone.
		 *
		 * getpbuf(&nsw_wcount_async): with every async buffer in
		 * use the kernel's thread sleeps here until a completion
		 * releases one; the write waits in the pbuf queue instead.
		 */
		if (s->inflight < NSW_WCOUNT_ASYNC && s->pbuf.n == 0) {
			s->inflight++;
			io_start(m, r);
		} else {
			r->where = IO_PBUF;
			io_fifo_push(&s->pbuf, r);
			s->pbuf_td[r->io.domain]++;
		}
		for (j = 0; j < n; j++)
			rtvals[i + j] = VM_PAGER_PEND;
	}
}

/*
 * The pages' paging_in_progress goes back down by the record's count if
 * the object is still the one the write was started for.  The model frees
 * pages under I/O at once (PG_FREEBUSY) and reuses object slots, where the
 * kernel would wait for the I/O, so the slot alone does not prove it.
 *
 * A page of the write still in the object proves it: pages never change
 * objects and a destroyed object has none, so that object took count into
 * paging_in_progress when the write started and less than count left is
 * an underflow, asserted as the kernel's vm_object_pip_wakeupn() does.
 * With every page freed during the write, only the slot's trace id is
 * left: an object destroyed and mapped again under the same id reuses it,
 * and then the new object's smaller count means "not the same object".
 */
static void
io_pip_wakeup(struct vm_machine *m, const struct vm_io *io)
{
	struct vm_object *object;
	uint32_t i;
	bool same;

	object = &m->objects[io->object];
	same = false;
	for (i = 0; i < io->count; i++)
		if (m->pages[io->pages[i]].object == io->object)
			same = true;
	assert(!same || object->paging_in_progress >= io->count);
	if (!same)
		same = object->in_use && object->id == io->object_id;
	if (same && object->paging_in_progress >= io->count)
		object->paging_in_progress -= io->count;
}

/*
 * swp_pager_async_iodone() - model of swp_pager_async_iodone() for a
 * write (spec 9.5 step 6, T17, T19; spec 16): on success every page is
 * undirtied and vm_page_deactivate_noreuse()d unconditionally, as in the
 * 2018 kernel.
 */
static void
swp_pager_async_iodone(struct vm_machine *m, const struct vm_io *io,
    bool error)
{
	struct vm_page *p;
	uint32_t i, page;

	for (i = 0; i < io->count; i++) {
		page = io->pages[i];
		p = &m->pages[page];
		if ((p->flags & PG_FREEBUSY) != 0) {
			/* Its object let it go during the write. */
			vm_page_unbusy(m, page);
			continue;
		}
		if (error) {
			/*
			 * Reactivate the page so that it does not clog the
			 * inactive queue; it stays dirty and keeps its
			 * swap block.
			 */
			vm_page_activate(m, page);
		} else if (vm_swap_has(m, p->object, p->pindex)) {
			/*
			 * The kernel undirties and deactivates (noreuse: in
			 * front of inacthead) every page of a successful
			 * write, whatever queue it is in now: a page unwired
			 * or activated during the write goes to the inactive
			 * queue too.  A wired page stays off the queues.
			 */
			p->dirty = 0;
			vm_page_deactivate_noreuse(m, page);
		}
		/*
		 * Otherwise a write landed during the I/O.  The kernel's fault
		 * sleeps on the busy, write-protected page, and the
		 * simulator's fault path sleeps too (vm/fault.c), so only a
		 * caller of the vm layer itself gets here: the write has
		 * already dirtied the page, released its block (spec 6.5)
		 * and activated it, which is where the kernel ends once its
		 * sleeping fault resumes after this completion.  Keep it.
		 */
		vm_page_unbusy(m, page);
	}
	io_pip_wakeup(m, io);
}

void
swap_pager_write_done(struct vm_machine *m, struct io_rec *r, bool error)
{
	struct vm_io_state *s;
	struct io_rec *next;

	s = m->io;
	swp_pager_async_iodone(m, &r->io, error);

	/*
	 * relpbuf(): the buffer goes back, and the first getpbuf()
	 * sleeper gets it.  A write that completes was started, so it
	 * holds one of the buffers.
	 */
	assert(s->inflight > 0);
	if (s->inflight > 0)
		s->inflight--;
	next = io_fifo_pop(&s->pbuf);
	if (next != NULL)
		s->pbuf_td[next->io.domain]--;
	if (next != NULL) {
		s->inflight++;
		io_start(m, next);
	}
	m->notify.pbuf_freed = true;
}

bool
vm_pbuf_waiting(const struct vm_machine *m)
{
	return (m->io->pbuf.n != 0);
}

bool
vm_pbuf_waiting_td(const struct vm_machine *m, uint32_t d)
{
	return (m->io->pbuf_td[d] != 0);
}

uint32_t
vm_pbuf_queued(const struct vm_machine *m)
{
	return (m->io->pbuf.n);
}

uint32_t
vm_io_inflight(const struct vm_machine *m)
{
	return (m->io->inflight);
}
