/*
 * pager_int.h - what the pager files share and nobody else needs: the I/O
 * records, their queues and the per-machine I/O state.  pager.c owns the
 * records and dispatches to the put and completion routines of
 * swap_pager.c and vnode_pager.c; runningbuf.c keeps vfs_bio.c's
 * runningbufspace accounting that throttles the vnode writes.
 */
#ifndef PGREPLAY_VM_PAGER_INT_H
#define PGREPLAY_VM_PAGER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/pager.h"

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

#define IO_BLOCK_RECS 16

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

static inline void
io_fifo_push(struct io_fifo *f, struct io_rec *r)
{
	r->next = NULL;
	if (f->tail != NULL)
		f->tail->next = r;
	else
		f->head = r;
	f->tail = r;
	f->n++;
}

static inline struct io_rec *
io_fifo_pop(struct io_fifo *f)
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

/* pager.c: the I/O records. */
/*
 * io_alloc() - a free record with a fresh id for a write of kind started
 * by the laundry thread of td, or NULL without host memory.
 */
struct io_rec *io_alloc(struct vm_io_state *s, uint8_t kind, uint32_t td);
/* io_release() - give r back to the free list. */
void io_release(struct vm_io_state *s, struct io_rec *r);
/* io_start() - hand r to the devices (the simulator's vm_io_take()). */
void io_start(struct vm_machine *m, struct io_rec *r);

/* swap_pager.c */
/* swap_pager_putpages() - model of swap_pager_putpages(), spec 9.5. */
void swap_pager_putpages(struct vm_machine *m, uint32_t td,
    const uint32_t *pages, int count, int *rtvals);
/*
 * swap_pager_write_done() - a swap write completed: swp_pager_async_iodone()
 * and relpbuf(), which starts the first write waiting for a buffer.
 */
void swap_pager_write_done(struct vm_machine *m, struct io_rec *r, bool error);

/* vnode_pager.c */
/* vnode_pager_putpages() - model of vnode_pager_putpages(), spec 9.5, 12.7. */
void vnode_pager_putpages(struct vm_machine *m, uint32_t td,
    const uint32_t *pages, int count, int *rtvals);
/*
 * vnode_pager_write_done() - a vnode write completed: bufdone() ends a
 * synchronous write's wait and calls runningbufwakeup().
 */
void vnode_pager_write_done(struct vm_machine *m, struct io_rec *r);

/* runningbuf.c */
/* io_runningbuf() - the bytes a vnode write adds to runningbufspace. */
static inline uint64_t
io_runningbuf(const struct vm_io *io)
{
	return ((uint64_t)io->count * PG_PAGE_SIZE);
}
/*
 * waitrunningbufspace() - the loop test of waitrunningbufspace(): true
 * (and td recorded asleep) while runningbufspace > hirunningspace.
 */
bool waitrunningbufspace(struct vm_io_state *s, uint32_t td);
/* runningbufwakeup() - model of runningbufwakeup() for bspace bytes. */
void runningbufwakeup(struct vm_machine *m, uint64_t bspace);

#endif
