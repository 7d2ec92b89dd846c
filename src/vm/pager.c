/*
 * pager.c - the put routines of the swap and vnode pagers and the I/O they
 * start (spec 9.4, 9.5, 12.5, 12.7): swap_pager_putpages(),
 * swp_pager_async_iodone() and vnode_pager_putpages() as the laundry
 * thread sees them, with the runningbufspace accounting of vfs_bio.c
 * (bufwrite(), runningbufwakeup(), waitrunningbufspace()) that throttles
 * the vnode writes.
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
#include "vm/pager.h"

#include <stdlib.h>

#define IO_BLOCK_RECS 16

enum io_where {
	IO_FREE = 0,		/* on the free list */
	IO_PBUF,		/* swap write waiting for an async slot */
	IO_OUTBOX,		/* started, not yet taken by the simulator */
	IO_DEVICE,		/* taken: being served by a device */
};

struct io_rec {
	struct vm_io io;
	struct io_rec *next;	/* in the free list, pbuf queue or outbox */
	uint8_t where;		/* enum io_where */
};

struct io_block {
	struct io_block *next;
	struct io_rec rec[IO_BLOCK_RECS];
};

struct io_fifo {
	struct io_rec *head, *tail;
	uint32_t n;
};

struct vm_io_state {
	uint32_t next_id;	/* ids start at 1: 0 means "none" */
	uint32_t inflight;	/* async swap writes started, not done */
	struct io_block *blocks;
	struct io_rec *free;
	struct io_fifo pbuf;	/* getpbuf() sleepers, in arrival order */
	uint32_t pbuf_td[VM_MAX_DOMAINS];	/* of which each thread's */
	struct io_fifo outbox;
	/*
	 * The synchronous vnode write each domain's laundry thread waits
	 * for, or 0.
	 */
	uint32_t sync[VM_MAX_DOMAINS];
	/*
	 * vfs_bio.c's runningbufspace (bytes of vnode writes started and
	 * not done), hirunningspace, lorunningspace and runningbufreq, and
	 * the laundry threads asleep in waitrunningbufspace().
	 */
	uint64_t running;
	uint64_t hirunning, lorunning;
	bool runningbufreq;
	bool rb_sleep[VM_MAX_DOMAINS];
	int inject;		/* vm_pager_inject(); < 0: none */
};

static void
fifo_push(struct io_fifo *f, struct io_rec *r)
{
	r->next = NULL;
	if (f->tail != NULL)
		f->tail->next = r;
	else
		f->head = r;
	f->tail = r;
	f->n++;
}

static struct io_rec *
fifo_pop(struct io_fifo *f)
{
	struct io_rec *r;

	r = f->head;
	if (r == NULL)
		return (NULL);
	f->head = r->next;
	if (f->head == NULL)
		f->tail = NULL;
	f->n--;
	r->next = NULL;
	return (r);
}

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

/* lorunningspace of bufinit(): two thirds of hirunningspace, rounded up. */
uint64_t
vm_lorunningspace(uint64_t hirunningspace)
{
	return ((hirunningspace * 2 / 3 + VM_MAXBCACHEBUF - 1) /
	    VM_MAXBCACHEBUF * VM_MAXBCACHEBUF);
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
static struct io_rec *
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

static void
io_release(struct vm_io_state *s, struct io_rec *r)
{
	r->where = IO_FREE;
	r->next = s->free;
	s->free = r;
}

/* Hand r to the devices: the simulator finds it with vm_io_take(). */
static void
io_start(struct vm_machine *m, struct io_rec *r)
{
	r->where = IO_OUTBOX;
	fifo_push(&m->io->outbox, r);
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

/*
 * swap_pager_putpages() - model of swap_pager_putpages() (spec 9.5), as
 * called from the laundry thread, i.e. asynchronously.  The object is
 * already OBJT_SWAP.
 */
static void
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
			fifo_push(&s->pbuf, r);
			s->pbuf_td[r->io.domain]++;
		}
		for (j = 0; j < n; j++)
			rtvals[i + j] = VM_PAGER_PEND;
	}
}

/* The bytes a vnode write adds to runningbufspace (its b_bufsize). */
static uint64_t
io_runningbuf(const struct vm_io *io)
{
	return ((uint64_t)io->count * PG_PAGE_SIZE);
}

/*
 * waitrunningbufspace() - the loop test of waitrunningbufspace()
 * (vfs_bio.c): while runningbufspace > hirunningspace the thread sets
 * runningbufreq and sleeps.
 */
static bool
waitrunningbufspace(struct vm_io_state *s, uint32_t td)
{
	if (s->running <= s->hirunning || td >= VM_MAX_DOMAINS)
		return (false);
	s->runningbufreq = true;
	s->rb_sleep[td] = true;
	return (true);
}

/*
 * vnode_pager_putpages() - model of vnode_pager_putpages() and
 * vnode_pager_generic_putpages() as the laundry thread sees them (spec
 * 9.5, 12.7).  vm_pageout_flush() passes VM_PAGER_PUT_NOREUSE only, so
 * the write is IO_ASYNC (vnode_pager_putpages_ioflags()): VOP_WRITE()
 * bawrite()s the buffers and every page is clean when the call returns.
 * bufwrite() adds the buffers to runningbufspace and, if it already
 * exceeded hirunningspace before them, sleeps in waitrunningbufspace()
 * (the laundry thread lacks TDP_NORUNNINGBUF).  When some domain is short
 * of free pages (vm_page_count_min()) the put is forced to
 * VM_PAGER_PUT_SYNC: IO_SYNC, bwrite(), and the thread waits for this
 * write instead.  The model writes the cluster as one buffer of count
 * pages where the file system writes one per block (spec 12.7).
 */
static void
vnode_pager_putpages(struct vm_machine *m, uint32_t td, const uint32_t *pages,
    int count, int *rtvals)
{
	struct vm_io_state *s;
	struct io_rec *r;
	uint64_t space;
	uint32_t obj;
	int i;
	bool sync;

	s = m->io;
	obj = m->pages[pages[0]].object;
	sync = vm_page_count_min(m);
	r = io_alloc(s, VM_IO_VNODE_WRITE, td);
	if (r == NULL) {
		for (i = 0; i < count; i++)
			rtvals[i] = VM_PAGER_AGAIN;
		return;
	}
	for (i = 0; i < count; i++) {
		m->pages[pages[i]].dirty = 0;
		r->io.pages[i] = pages[i];
		rtvals[i] = VM_PAGER_OK;
	}
	r->io.count = (uint32_t)count;
	r->io.object = obj;
	r->io.object_id = m->objects[obj].id;
	m->cnt.v_vnodeout++;
	m->cnt.v_vnodepgsout += (uint64_t)count;

	/* bufwrite(): "Normal bwrites pipeline writes", sync or not. */
	space = s->running;
	s->running += io_runningbuf(&r->io);
	io_start(m, r);
	if (sync) {
		if (td < VM_MAX_DOMAINS)
			s->sync[td] = r->io.id;
	} else if (space > s->hirunning)
		(void)waitrunningbufspace(s, td);
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

	r = fifo_pop(&m->io->outbox);
	if (r == NULL)
		return (NULL);
	r->where = IO_DEVICE;
	return (&r->io);
}

/*
 * The pages' paging_in_progress goes back down by the record's count if
 * the object is still the one the write was started for.  The model frees
 * pages under I/O at once (PG_FREEBUSY) and reuses object slots, where the
 * kernel would wait for the I/O, so the slot alone does not prove it.
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
		 * simulator's fault path sleeps too (sim/proc.c), so only a
		 * caller of the vm layer itself gets here: the write has
		 * already dirtied the page, released its block (spec 6.5)
		 * and activated it, which is where the kernel ends once its
		 * sleeping fault resumes after this completion.  Keep it.
		 */
		vm_page_unbusy(m, page);
	}
	io_pip_wakeup(m, io);
}

/*
 * runningbufwakeup() - model of runningbufwakeup() and runningwakeup()
 * (vfs_bio.c): subtract the write's bytes and, on the transition to
 * lorunningspace or below, wake every waitrunningbufspace() sleeper at
 * once if runningbufreq is set.
 */
static void
runningbufwakeup(struct vm_machine *m, uint64_t bspace)
{
	struct vm_io_state *s;
	uint64_t space;
	uint32_t d;

	s = m->io;
	space = s->running;
	s->running = space >= bspace ? space - bspace : 0;
	if (space < s->lorunning || s->running > s->lorunning)
		return;
	if (!s->runningbufreq)
		return;
	s->runningbufreq = false;
	for (d = 0; d < VM_MAX_DOMAINS; d++)
		s->rb_sleep[d] = false;
	m->notify.runningbuf_wakeup = true;
}

void
vm_io_complete(struct vm_machine *m, uint32_t io_id, bool error)
{
	struct vm_io_state *s;
	struct io_rec *r, *next;

	s = m->io;
	r = io_find(s, io_id);
	if (r == NULL || r->where == IO_PBUF)
		return;
	if (r->where == IO_OUTBOX)
		fifo_remove(&s->outbox, r);
	if (r->io.kind == VM_IO_SWAP_WRITE) {
		swp_pager_async_iodone(m, &r->io, error);

		/*
		 * relpbuf(): the buffer goes back, and the first getpbuf()
		 * sleeper gets it.
		 */
		if (s->inflight > 0)
			s->inflight--;
		next = fifo_pop(&s->pbuf);
		if (next != NULL)
			s->pbuf_td[next->io.domain]--;
		if (next != NULL) {
			s->inflight++;
			io_start(m, next);
		}
		m->notify.pbuf_freed = true;
	} else {
		/*
		 * The pages were cleaned and unbusied by vm_pageout_flush()
		 * and the completion touches neither them nor their object
		 * slot, which may have been reused since.  bufdone() calls
		 * runningbufwakeup().
		 */
		if (r->io.domain < VM_MAX_DOMAINS &&
		    s->sync[r->io.domain] == r->io.id)
			s->sync[r->io.domain] = 0;
		runningbufwakeup(m, io_runningbuf(&r->io));
	}
	io_release(s, r);
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
vm_io_sync_pending(const struct vm_machine *m, uint32_t d)
{
	if (d >= VM_MAX_DOMAINS)
		return (0);
	return (m->io->sync[d]);
}

bool
vm_runningbuf_waiting(const struct vm_machine *m, uint32_t d)
{
	if (d >= VM_MAX_DOMAINS)
		return (false);
	return (m->io->rb_sleep[d]);
}

bool
vm_runningbuf_recheck(struct vm_machine *m, uint32_t d)
{
	return (waitrunningbufspace(m->io, d));
}

uint64_t
vm_runningbufspace(const struct vm_machine *m)
{
	return (m->io->running);
}

uint64_t
vm_hirunningspace(const struct vm_machine *m)
{
	return (m->io->hirunning);
}

uint32_t
vm_io_inflight(const struct vm_machine *m)
{
	return (m->io->inflight);
}

uint32_t
vm_io_outbox(const struct vm_machine *m)
{
	return (m->io->outbox.n);
}
