/*
 * pager.h - the pagers' put routines and the I/O they start (spec 9.4,
 * 9.5, 12.5, 12.7): the interface and the I/O records in pager.c, the
 * swap pager in swap_pager.c, the vnode pager in vnode_pager.c and
 * vfs_bio.c's runningbufspace in runningbuf.c.
 *
 * A pager never waits: an I/O it starts is put in the machine's outbox
 * (notify.io_submitted) and the simulator serves it on a device, then calls
 * vm_io_complete().  Asynchronous swap writes are limited to
 * nsw_wcount_async (4) in flight; a write beyond that waits in the pbuf
 * queue and the caller must not go on until vm_pbuf_waiting() is false
 * (the kernel's getpbuf() sleep, spec 9.5 step 5).  Vnode writes are
 * asynchronous and throttled by runningbufspace (vfs_bio.c): a caller
 * that vm_runningbuf_waiting() reports asleep must not go on until a
 * completion wakes it (notify.runningbuf_wakeup) and
 * vm_runningbuf_recheck() lets it through.
 */
#ifndef PGREPLAY_VM_PAGER_H
#define PGREPLAY_VM_PAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vm.h"

/* Pager results (vm_pager.h). */
#define VM_PAGER_OK 0
#define VM_PAGER_BAD 1
#define VM_PAGER_FAIL 2
#define VM_PAGER_PEND 3
#define VM_PAGER_ERROR 4
#define VM_PAGER_AGAIN 5

#define NSW_WCOUNT_ASYNC 4		/* spec 2.1 */
#define NSW_CLUSTER_MAX 32		/* MAX_PAGEOUT_CLUSTER */
#define NSWAP_LOWAT 128
#define NSWAP_HIWAT 512
#define VM_MAXBCACHEBUF (64 * 1024)	/* MAXBCACHEBUF = MAXBSIZE, param.h */

enum vm_io_kind {
	VM_IO_SWAP_WRITE = 0,	/* asynchronous, from the laundry thread */
	VM_IO_VNODE_WRITE,	/* bawrite(), or bwrite() under vm_page_count_min() */
};

struct vm_io {
	uint32_t id;			/* unique per machine, increasing */
	uint8_t kind;			/* enum vm_io_kind */
	uint32_t domain;		/* laundry thread that started it */
	uint32_t count;			/* pages */
	uint32_t pages[NSW_CLUSTER_MAX];
	uint32_t object;		/* object slot of the pages */
	uint64_t object_id;		/* its trace id, to tell a reused slot */
};

/*
 * vm_pager_put_pages() - the put routine of the pages' object type, the
 * way vm_pageout_flush() calls it: pages[0..count) are shared-busied, of
 * one object, contiguous.  Fills rtvals[i] with a VM_PAGER_* result.
 * Swap (and DEFAULT, converted to SWAP first): spec 9.5; vnode: OK for
 * each page, undirtied now; the write goes to the outbox and adds
 * count pages to runningbufspace.  If runningbufspace exceeded
 * hirunningspace before it, the calling thread sleeps
 * (vm_runningbuf_waiting()); if a domain is short of free pages
 * (vm_page_count_min()) the write is synchronous and the caller waits for
 * it (vm_io_sync_pending()).
 */
void vm_pager_put_pages(struct vm_machine *m, const uint32_t *pages, int count,
    int *rtvals);

/*
 * vm_pager_put_pages_td() - as vm_pager_put_pages(), for the laundry
 * thread of domain td (the kernel's curthread): the I/O records carry td,
 * and td is the thread that sleeps in waitrunningbufspace() or waits for
 * a synchronous vnode write.  vm_pager_put_pages()
 * is this with td = the domain of pages[0].  count <= NSW_CLUSTER_MAX.
 * If the host runs out of memory for an I/O record the affected pages get
 * VM_PAGER_AGAIN (nothing happens to them), which the kernel never does.
 */
void vm_pager_put_pages_td(struct vm_machine *m, uint32_t td,
    const uint32_t *pages, int count, int *rtvals);

/*
 * vm_pager_inject() - tests only: the next put (one call) returns status
 * for every page, starts no I/O and touches no counter or swap block, so
 * that vm_pageout_flush()'s handling of results the model's pagers never
 * produce (BAD, ERROR, AGAIN, FAIL on a vnode) can be exercised.  A
 * negative status cancels a pending injection.
 */
void vm_pager_inject(struct vm_machine *m, int status);

/*
 * vm_io_take() - the oldest started I/O not yet handed to a device, or
 * NULL.  The record stays owned by the machine and valid until
 * vm_io_complete() of its id.
 */
const struct vm_io *vm_io_take(struct vm_machine *m);

/*
 * vm_io_complete() - the device finished io (error: it failed).  Swap
 * writes: spec 9.5 step 6 (undirty + deactivate_noreuse + unbusy, or
 * activate + unbusy on error) and a free pbuf slot; vnode writes: the
 * pages are not touched (cleaned and unbusied by the put already), the
 * write leaves runningbufspace and, when that drops to lorunningspace or
 * below, every waitrunningbufspace() sleeper is woken at once
 * (runningbufwakeup(); notify.runningbuf_wakeup).
 */
void vm_io_complete(struct vm_machine *m, uint32_t io_id, bool error);

/* vm_io_outbox() - I/Os started and not yet taken by vm_io_take(). */
uint32_t vm_io_outbox(const struct vm_machine *m);

/* vm_pbuf_queued() - swap writes waiting in the pbuf queue. */
uint32_t vm_pbuf_queued(const struct vm_machine *m);

/* vm_pbuf_waiting() - swap writes wait for a free async slot. */
bool vm_pbuf_waiting(const struct vm_machine *m);
/*
 * vm_pbuf_waiting_td() - a swap write started by the laundry thread of
 * domain d waits for an async slot: that thread sleeps in getpbuf() until
 * its own write gets a buffer, whatever other threads wait for.
 */
bool vm_pbuf_waiting_td(const struct vm_machine *m, uint32_t d);

/*
 * vm_io_sync_pending() - id of the synchronous vnode write (forced by
 * vm_page_count_min()) the laundry thread of d waits for, or 0.
 */
uint32_t vm_io_sync_pending(const struct vm_machine *m, uint32_t d);

/*
 * vm_runningbuf_waiting() - the laundry thread of d sleeps in
 * waitrunningbufspace() and has not been woken yet.
 */
bool vm_runningbuf_waiting(const struct vm_machine *m, uint32_t d);

/*
 * vm_runningbuf_recheck() - the loop test a woken waitrunningbufspace()
 * sleeper of domain d makes: if runningbufspace is still above
 * hirunningspace it sleeps again (returns true, vm_runningbuf_waiting()
 * is then true); else it goes on (false).
 */
bool vm_runningbuf_recheck(struct vm_machine *m, uint32_t d);

/* vm_runningbufspace() - bytes of vnode writes started and not done. */
uint64_t vm_runningbufspace(const struct vm_machine *m);

/* vm_hirunningspace() - the machine's hirunningspace (sim.hirunningspace). */
uint64_t vm_hirunningspace(const struct vm_machine *m);

/*
 * vm_lorunningspace() - lorunningspace for hirunningspace, as bufinit()
 * derives it: roundup(2 * hi / 3, MAXBCACHEBUF).
 */
uint64_t vm_lorunningspace(uint64_t hirunningspace);

/* vm_io_inflight() - asynchronous swap writes in flight. */
uint32_t vm_io_inflight(const struct vm_machine *m);

/*
 * vm_io_state_create() / _destroy() - used by vm_machine_create/destroy;
 * hirunningspace in bytes.
 */
struct vm_io_state *vm_io_state_create(uint64_t hirunningspace);
void vm_io_state_destroy(struct vm_io_state *s);

#endif
