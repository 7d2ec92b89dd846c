/*
 * vm.h - the machine state of the model: physical pages in domains, page
 * queues with markers, objects, processes and their mappings, the pmap's
 * reference and modify bits, page allocation and freeing, and swap space
 * (spec sections 4, 5, 6).
 *
 * The vm layer knows no daemon and no clock.  Where the kernel would wake a
 * thread, the vm layer records a request in struct vm_notify and the
 * simulator acts on it after the current step.  Scans in src/pageout/ work
 * on these structures directly, as the kernel's do, so the fields are
 * public; the functions below keep every count consistent and are the only
 * way to change queue membership, object membership or the free count.
 *
 * Pages are identified by a uint32_t index into machine->pages; queues are
 * intrusive doubly linked lists of such indices.  Markers are pages too
 * (flag PG_MARKER), stored after the physical pages.  VM_NONE ends lists.
 */
#ifndef PGREPLAY_VM_VM_H
#define PGREPLAY_VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "util/idmap.h"
#include "util/kassert.h"
#include "util/pgerr.h"
#include "vm/hints.h"
#include "vm/thresholds.h"
#include "vm/vmmeter.h"

#define VM_NONE UINT32_MAX

/* Page queues (vm_page.h). */
enum {
	PQ_INACTIVE = 0,
	PQ_ACTIVE = 1,
	PQ_LAUNDRY = 2,
	PQ_UNSWAPPABLE = 3,
	PQ_COUNT = 4,
	PQ_NONE = 255
};

/* act_count bounds (vm_page.h, spec section 2.1). */
#define ACT_DECLINE 1
#define ACT_ADVANCE 3
#define ACT_INIT 5
#define ACT_MAX 64

#define VM_PAGE_BITS_ALL 0xff		/* valid / dirty "fully" */
#define PMAP_TS_REFERENCED_MAX 5

/* aflags */
#define PGA_REFERENCED 0x02

/* flags */
#define PG_MARKER 0x01		/* a queue marker, never a real page */
#define PG_FREE 0x02		/* on its domain's free list */
#define PG_UNHOLDFREE 0x04	/* freed while held: free at the last unhold */
#define PG_FREEBUSY 0x08	/* freed while busy: free when unbusied */

/* busy */
#define VPB_UNBUSIED 0
#define VPB_EXCLUSIVE 0xff	/* otherwise: number of shared busy holders */

/* Allocation classes (spec section 6.1). */
#define VM_ALLOC_NORMAL 0
#define VM_ALLOC_INTERRUPT 1
#define VM_ALLOC_SYSTEM 2

/* Laundry requests (vm_pagequeue.h). */
#define VM_LAUNDRY_IDLE 0
#define VM_LAUNDRY_BACKGROUND 1
#define VM_LAUNDRY_SHORTFALL 2

/* A physical page or queue marker, 48 B; later mappings in pmap.c's pool. */
struct vm_page {
	uint32_t qnext, qprev;		/* queue links; qnext: free list */
	uint32_t onext, oprev;		/* the object's list of resident pages */
	uint32_t object;		/* object slot, or VM_NONE */
	uint32_t pindex;
	uint32_t pv;			/* first mapping (VM_PV_ENTRY), or VM_NONE */
	uint32_t pvx;			/* later mappings: pv cell vector, or VM_NONE */
	uint32_t pvn;			/* number of later mappings */
	uint16_t wire_count;
	uint16_t hold_count;
	uint8_t queue;			/* PQ_* or PQ_NONE */
	uint8_t act_count;		/* u_char in the kernel: wraps (spec D19) */
	uint8_t dirty;			/* 0 or VM_PAGE_BITS_ALL */
	uint8_t valid;			/* 0 or VM_PAGE_BITS_ALL */
	uint8_t aflags;			/* PGA_* */
	uint8_t flags;			/* PG_* */
	uint8_t busy;			/* VPB_* or shared count */
	uint8_t domain;
};

/*
 * A mapping of one page by one process: the pmap's view (spec 4.4), one
 * 32-bit word: the process slot above 8 bits of PV_*.  Process slots stay
 * below VM_PV_PROC_MAX (vm_proc_create() refuses more live processes).
 */
#define PV_A 0x01		/* accessed (reference) bit */
#define PV_M 0x02		/* modified bit */
#define PV_W 0x04		/* mapped writable */
#define VM_PV_BITS 0xffu
#define VM_PV_PROC_MAX ((UINT32_C(1) << 24) - 1)
#define VM_PV_ENTRY(proc, bits) ((uint32_t)(proc) << 8 | (uint32_t)(bits))
#define VM_PV_PROC(e) ((uint32_t)(e) >> 8)
/* Classes of the pv cell pool: vectors of 2^k cells (pmap.c). */
#define VM_PV_CLASS_MIN 2
#define VM_PV_CLASSES 22

struct vm_pagequeue {
	uint32_t head, tail;	/* page indices, VM_NONE when empty */
	uint32_t cnt;		/* pq_cnt: pages on the queue, markers excluded */
};

enum vm_objtype {
	OBJT_DEFAULT = 0,	/* anonymous, no swap metadata yet */
	OBJT_SWAP,		/* anonymous with swap metadata */
	OBJT_VNODE,		/* file */
	OBJT_PHYS,		/* physical: pages wired, never paged */
};

#define OBJ_DEAD 0x01

struct vm_object {
	uint64_t id;			/* the trace's object id */
	uint32_t size;			/* pages */
	uint32_t ref_count;		/* mappings */
	uint32_t resident_page_count;
	uint32_t swap_count;		/* swap blocks assigned to its pages */
	uint32_t paging_in_progress;
	uint32_t page_head;		/* resident pages, in insertion order */
	uint32_t page_tail;
	uint32_t domain_rr;		/* round-robin allocation cursor */
	uint32_t rn_root;		/* page index trie (radix.c), or VM_NONE */
	uint8_t rn_height;		/* its levels: 16^height > every pindex in it */
	uint8_t swap_height, swap_class;	/* swap tree levels (0: none), root leaf class */
	uint32_t swap_root;		/* swap tree root (all three private to swap*.c) */
	uint8_t type;			/* enum vm_objtype */
	uint8_t flags;			/* OBJ_* */
	bool in_use;			/* slot holds a live object */
};

/* Process state and flags, as far as OOM needs them (spec 4.3). */
#define PRS_NORMAL 1
#define PRS_ZOMBIE 2
#define P_KILLED 0x01		/* SIGKILLed by the OOM killer */
#define P_WEXIT 0x02		/* exiting */
#define P_SYSTEM 0x04
#define P_PROTECTED 0x08

#define VM_PROC_NAME_MAX 64

struct vm_proc {
	uint32_t pid;
	char name[VM_PROC_NAME_MAX];
	uint8_t state;			/* PRS_* */
	uint8_t flags;			/* P_* */
	bool in_use;
	uint32_t *maps;			/* object slots mapped by this process */
	uint32_t nmaps, maps_cap;
	uint32_t allproc_next, allproc_prev;	/* newest first */
};

/*
 * The OOM explanation (docs/report.md): plain records of what the OOM
 * detector saw, kept so that a report can say why a kill happened.  They
 * are written by vm_pageout_mightbe_oom() and vm_pageout_oom() only, are
 * never read by the model and change no counter.
 */
#define VM_OOM_TRAIL 16		/* scans remembered per domain */

/* One vm_pageout_scan() as vm_pageout_mightbe_oom() saw it. */
struct vm_oom_scan {
	uint64_t time_ns;		/* simulated time of the scan */
	int32_t asked;			/* starting page_shortage */
	int32_t left;			/* page_shortage after the inactive pass */
	int32_t oom_seq;		/* failures in a row after this scan */
	int32_t laundry_request;	/* VM_LAUNDRY_* after the scan */
	uint32_t free_count;
	uint32_t inactive, active, laundry, unswappable;
	uint64_t laundered;		/* laundered_background + _shortfall so far */
	uint64_t swap_used;		/* swap blocks in use */
};

/* The state of the machine when the OOM killer (or panic) fired. */
struct vm_oom_why {
	uint64_t time_ns;
	uint32_t domain;		/* the domain whose vote completed the quorum */
	uint32_t ndomains;
	int32_t pageout_oom_seq;	/* vm.pageout_oom_seq */
	uint32_t nscans;		/* valid entries of scans, oldest first */
	struct vm_oom_scan scans[VM_OOM_TRAIL];
	uint32_t free_count, free_min, free_target, free_severe;
	uint32_t inactive, active, laundry, unswappable;
	uint32_t inactive_target;
	int32_t laundry_request;	/* VM_LAUNDRY_* at the kill */
	uint64_t swap_used, swap_total;	/* blocks */
	uint64_t victim_pages;		/* the victim's size when chosen */
	bool panic;			/* vm.panic_on_oom: panic instead of kill */
};

/*
 * The OOM victims one step may choose before the simulator reads the
 * mailbox: vm_pageout_oom() runs at most once per page-daemon scan and the
 * simulator empties the mailbox after every step (sim_notify()), so one
 * would do; vm_pageout_oom() asserts that a slot is free.
 */
#define VM_NOTIFY_KILLS_MAX 8

/*
 * Requests from the vm layer (and the scans) to the simulator.  The
 * simulator reads and clears them after every step it runs.
 */
struct vm_notify {
	uint64_t pd_wakeup;		/* domains whose daemon got a wakeup() */
	uint64_t laundry_wakeup;	/* domains whose laundry thread got a wakeup() */
	bool min_waiters;		/* vm_domain_clear(): wake every vm_wait sleeper */
	bool pd_free_waiters;		/* the daemon's own vm_wait may proceed */
	bool io_submitted;		/* new I/O in the outbox (vm_io_take()) */
	bool pbuf_freed;		/* an async swap write slot became free */
	bool runningbuf_wakeup;		/* runningwakeup(): waitrunningbufspace() sleepers */
	bool nomem;			/* the page index could not grow: fail the run */
	uint32_t nkill;			/* OOM victims chosen, in order */
	uint32_t kill[VM_NOTIFY_KILLS_MAX];	/* their process slots */
	bool panic;			/* vm.panic_on_oom fired */
	char panic_reason[128];
	struct vm_oom_why kill_why[VM_NOTIFY_KILLS_MAX]; /* why kill[i] */
	struct vm_oom_why panic_why;	/* why the panic */
};

struct vm_domain {
	uint32_t index;
	struct vm_thresholds th;
	struct vm_pagequeue pq[PQ_COUNT];
	uint32_t page_count;
	uint32_t free_count;
	/* Free pages: LIFO through qnext, then [fresh_next, fresh_end) (alloc.c). */
	uint32_t free_head, fresh_next, fresh_end;
	uint32_t pageout_deficit;	/* u_int, atomic in the kernel */
	int32_t pageout_wanted;		/* S:1799, S:1824, S:1979-1994 */
	uint32_t marker;		/* inactive scan cursor */
	uint32_t inacthead;		/* LRU bypass insertion point, S:1785-1787 */
	uint32_t laundry_marker;	/* laundry scan cursor */
	bool oom;			/* this domain votes for OOM */
	int32_t oom_seq;
	int32_t last_active_scan;	/* ticks */
	int32_t laundry_request;	/* VM_LAUNDRY_* */
	int32_t clean_pages_freed;
	uint32_t kernel_wired;		/* pages wired by the kernel at boot */
	uint32_t kernel_cache;		/* pages held by the reclaimable kernel cache */
	uint32_t first_page;		/* its pages are [first_page, first_page + page_count) */
	/* The last VM_OOM_TRAIL scans, a ring (record only, see vm_oom_why). */
	struct vm_oom_scan oom_trail[VM_OOM_TRAIL];
	uint32_t oom_trail_next, oom_trail_n;
	uint64_t oom_now_ns;		/* time of the scan running (record only) */
	struct vm_act_hints act;	/* the active scan's loads ahead */
};

struct vm_swap;		/* swap space: src/vm/swap.c */
struct vm_io_state;	/* pager I/O outbox: src/vm/pager.c */

struct vm_machine {
	struct vm_page *pages;		/* npages physical pages, then markers */
	uint32_t npages;
	uint32_t ntotal;		/* npages + 3 markers per domain */
	struct vm_domain *dom;
	uint32_t ndomains;
	uint32_t ppc;			/* vm_pageout_page_count */
	struct pg_sysctl sysctl;	/* effective tunables */
	int32_t pageout_update_period;	/* effective (0 -> 600) */
	/*
	 * The model variants in force (conf.h PG_VARIANT() flags; 0 is
	 * the seed): what the page daemon tests to follow a later kernel.
	 */
	uint32_t variants;
	/*
	 * sim.lock_miss and the state of the generator it draws from
	 * (pageout_lock_missed(), src/pageout/launder.c).
	 */
	uint32_t lock_miss_ppm;
	uint64_t lock_rng;

	/*
	 * Slots [0, nobjects) and [0, nprocs) have been used at least once
	 * (test in_use); the arrays move when they grow, so keep slot
	 * numbers, not pointers, across vm_object_create() and
	 * vm_proc_create().  Free slots are chained through page_head and
	 * allproc_next and reused newest first.
	 */
	struct vm_object *objects;	/* slots */
	uint32_t nobjects, objects_cap;
	uint32_t obj_free_head;		/* free object slots, or VM_NONE */
	struct vm_proc *procs;		/* slots */
	uint32_t nprocs, procs_cap;
	uint32_t proc_free_head;	/* free process slots, or VM_NONE */
	uint32_t allproc_head;		/* newest process first */

	/* The pv cell pool: second and later mappings of pages (pmap.c). */
	uint32_t *pvc;
	uint32_t pvc_len, pvc_cap;	/* cells handed out / allocated */
	uint32_t pvc_free[VM_PV_CLASSES];	/* free vectors by class */

	/* Nodes of the objects' page index tries (radix.c), 16 cells each. */
	uint32_t *rn;
	uint32_t rn_cap, rn_nfree, rn_free, rn_fresh;
	struct pg_idmap obj_index;	/* trace object id -> slot */
	struct pg_idmap proc_index;	/* pid -> slot */

	struct vm_swap *swap;
	struct vm_io_state *io;

	uint64_t min_domains;		/* vm_min_domains bitset */
	uint64_t severe_domains;	/* vm_severe_domains bitset */
	int32_t swapdev_enabled;	/* S:157, S:553-566 */
	int32_t pageout_oom_vote;	/* S:1543 */
	int64_t lowmem_uptime;		/* S:156 */

	struct vm_counters cnt;
	struct vm_notify notify;
};

/* ---- machine (machine.c) ---- */

/*
 * vm_machine_create() - build the machine of cfg at boot: domains and their
 * thresholds from vm_layout_compute(), every page free except the kernel's
 * wired and cache pages, the three markers per domain with inacthead at
 * the head of each inactive queue (S:1785-1787), last_active_scan = ticks0,
 * and cfg->swap_bytes of swap (one device; swapdev_enabled if > 0).
 * Domain d owns pages [first_page, first_page + page_count): its kernel
 * wired pages first, then its kernel cache, then the free pages (the
 * lowest is allocated first).  Swap at boot is a vm_swapon(): from the
 * boot state full = 2 / almost_full = 1, >= 128 blocks give full = 0 and
 * > 512 blocks almost_full = 0.
 * Returns 0 and *out, -EINVAL for an impossible layout, or -ENOMEM.
 * Free with vm_machine_destroy().
 */
int vm_machine_create(const struct pg_config *cfg, int32_t ticks0,
    struct vm_machine **out);

/* vm_machine_destroy() - free everything; NULL is a no-op. */
void vm_machine_destroy(struct vm_machine *m);

/*
 * vm_machine_check() - the invariants (issue: checking mode): queue counts
 * match the lists, no page is on two queues, markers are where they belong,
 * free + queued + otherwise-held pages = total pages, swap blocks in use =
 * blocks assigned to pages, free counts are consistent with the free
 * lists.  Returns 0, or -EFAULT with a message in err (file left empty).
 * O(pages): for tests and the checking mode only.
 */
int vm_machine_check(const struct vm_machine *m, struct pg_error *err);

/* ---- queues (queue.c), pre-batching semantics of spec 5.1 ---- */

void vm_pagequeue_insert_tail(struct vm_machine *m, uint32_t q_domain,
    uint8_t queue, uint32_t page);
/* vm_pagequeue_insert_after() - put page (or a marker) right after `after`. */
void vm_pagequeue_insert_after(struct vm_machine *m, uint32_t after,
    uint32_t page);
/* vm_pagequeue_insert_before() - put page right before `before`. */
void vm_pagequeue_insert_before(struct vm_machine *m, uint32_t before,
    uint32_t page);
/* vm_pagequeue_remove() - unlink a page or marker (markers: cnt unchanged). */
void vm_pagequeue_remove(struct vm_machine *m, uint32_t page);

/* vm_page_dequeue() - unlink, queue = PQ_NONE, pq_cnt--. No-op if PQ_NONE. */
void vm_page_dequeue(struct vm_machine *m, uint32_t page);
/* vm_page_enqueue() - append at the tail of queue, pq_cnt++ (page must be PQ_NONE). */
void vm_page_enqueue(struct vm_machine *m, uint8_t queue, uint32_t page);
/* vm_page_requeue() - move to the tail of its current queue. */
void vm_page_requeue(struct vm_machine *m, uint32_t page);
/* vm_page_activate() - spec 5.1: act_count >= ACT_INIT; to ACTIVE tail unless already ACTIVE. */
void vm_page_activate(struct vm_machine *m, uint32_t page);
/* vm_page_deactivate() - spec 5.1: no-op if INACTIVE, else INACTIVE tail. */
void vm_page_deactivate(struct vm_machine *m, uint32_t page);
/* vm_page_deactivate_noreuse() - spec 5.1: dequeue, insert before inacthead. */
void vm_page_deactivate_noreuse(struct vm_machine *m, uint32_t page);
/* vm_page_launder() - spec 5.1: to LAUNDRY tail unless already LAUNDRY. */
void vm_page_launder(struct vm_machine *m, uint32_t page);
/* vm_page_unswappable() - spec 5.1: to UNSWAPPABLE tail (also from UNSWAPPABLE). */
void vm_page_unswappable(struct vm_machine *m, uint32_t page);
/*
 * vm_page_held() - model of vm_page_held() (vm_page.h, 2018): a hold or a
 * wiring prevents the page from being reclaimed.
 */
bool vm_page_held(const struct vm_machine *m, uint32_t page);
/* vm_page_in_laundry() - queue is LAUNDRY or UNSWAPPABLE. */
bool vm_page_in_laundry(const struct vm_machine *m, uint32_t page);

/* ---- objects (object.c) ---- */

/*
 * vm_object_lookup() - the slot of trace object id, or VM_NONE.
 */
uint32_t vm_object_lookup(const struct vm_machine *m, uint64_t id);
/*
 * vm_object_create() - a new object of type and size pages for trace id,
 * ref_count 0.  Returns 0 and *slot, -EEXIST if id is live, -ENOMEM.
 */
int vm_object_create(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size, uint32_t *slot);
/*
 * vm_object_destroy() - free every resident page (busy ones when their
 * I/O completes), release every swap block, free the slot (spec 12.9).
 */
void vm_object_destroy(struct vm_machine *m, uint32_t slot);
/*
 * vm_page_lookup() - the resident page (object, pindex), or VM_NONE:
 * a walk of the object's trie (radix.c), O(log16 pindex), no hashing.
 */
uint32_t vm_page_lookup(const struct vm_machine *m, uint32_t obj, uint32_t pindex);
/*
 * vm_object_page_remove() - free pages [first, first+count) of obj and
 * release their swap blocks (madvise/munmap of a range; trace `free`).
 */
void vm_object_page_remove(struct vm_machine *m, uint32_t obj, uint32_t first,
    uint32_t count);

/* ---- processes and mappings (proc.c) ---- */

/* vm_proc_lookup() - slot of live pid, or VM_NONE. */
uint32_t vm_proc_lookup(const struct vm_machine *m, uint32_t pid);
/* vm_proc_create() - a NORMAL process at the head of allproc. 0, -EEXIST, -ENOMEM. */
int vm_proc_create(struct vm_machine *m, uint32_t pid, const char *name,
    uint32_t *slot);
/* vm_proc_map() - proc maps obj: obj->ref_count++.  0, -EEXIST, -ENOMEM. */
int vm_proc_map(struct vm_machine *m, uint32_t proc, uint32_t obj);
/*
 * vm_proc_unmap() - drop proc's mapping of obj: remove its pv entries from
 * the object's pages (A -> PGA_REFERENCED, M -> dirty, as pmap_remove
 * does), obj->ref_count--; an anonymous object left with no reference is
 * destroyed.  0 or -ENOENT.
 */
int vm_proc_unmap(struct vm_machine *m, uint32_t proc, uint32_t obj);
/* vm_proc_exit() - unmap everything, leave allproc, free the slot. */
void vm_proc_exit(struct vm_machine *m, uint32_t proc);
/* vm_proc_size() - OOM size (spec 10.2): resident pages + swap blocks of the mapped objects. */
uint64_t vm_proc_size(const struct vm_machine *m, uint32_t proc);

/* ---- pmap (pmap.c), spec 4.4 ---- */

/*
 * vm_pmap_access() - process proc touches page through its mapping of the
 * page's object.  Returns true if the access faulted: no pv for proc yet
 * (a soft fault: a writable pv is created, as vm_fault() maps with the
 * entry's protection) or a write through a read-only pv, i.e. after
 * pmap_remove_write() (a soft write fault: pv made writable).  Sets A (and
 * M for a write).  A faulting write also dirties the page (vm_page_dirty)
 * and releases its swap block (spec 6.5 step 5); a write through a
 * writable pv only sets M, which the scans turn into dirty.
 */
bool vm_pmap_access(struct vm_machine *m, uint32_t proc, uint32_t page, bool write);
/* vm_pmap_would_fault() - no mapping by proc yet, or a write through a read-only one. */
bool vm_pmap_would_fault(const struct vm_machine *m, uint32_t proc,
    uint32_t page, bool write);
/* vm_pmap_bits() - the PV_* bits of proc's mapping of page, or -1 (tests, reports). */
int vm_pmap_bits(const struct vm_machine *m, uint32_t proc, uint32_t page);
/* vm_pmap_set_bits() - set them (a mapping must exist; tests only). */
void vm_pmap_set_bits(struct vm_machine *m, uint32_t proc, uint32_t page,
    uint8_t bits);
/* vm_pmap_remove_proc() - pmap_remove() of proc's mapping: A -> PGA_REFERENCED, M -> dirty. */
void vm_pmap_remove_proc(struct vm_machine *m, uint32_t proc, uint32_t page);
/* pmap_ts_referenced(): count A bits (max 5, newest mapping first), clear those counted, M of a writable pv -> dirty. */
int vm_pmap_ts_referenced(struct vm_machine *m, uint32_t page);
/* pmap_is_modified(): any pv with M. */
bool vm_pmap_is_modified(const struct vm_machine *m, uint32_t page);
/* vm_page_test_dirty(): if dirty != ALL and modified -> dirty = ALL. */
void vm_page_test_dirty(struct vm_machine *m, uint32_t page);
/* pmap_remove_write(): every pv read-only; M -> dirty. */
void vm_pmap_remove_write(struct vm_machine *m, uint32_t page);
/* pmap_remove_all(): drop every pv; M -> dirty, A -> PGA_REFERENCED. */
void vm_pmap_remove_all(struct vm_machine *m, uint32_t page);
/* vm_page_mapped() - the page has at least one pv. */
bool vm_page_mapped(const struct vm_machine *m, uint32_t page);
/*
 * vm_page_act_delta() - the act_delta of the scans (S:1270-1280, spec 7.4
 * C.8): 1 if PGA_REFERENCED (cleared), plus pmap_ts_referenced() if the
 * page's object has ref_count != 0.
 */
int vm_page_act_delta(struct vm_machine *m, uint32_t page);

/* ---- allocation and freeing (alloc.c), spec 6 ---- */

/*
 * vm_domain_allocate() - reserve npages free pages of domain d for class
 * req (VM_ALLOC_*); from_pagedaemon raises NORMAL to SYSTEM.  Follows spec
 * 6.1 exactly, including the wakeup on crossing pageout_wakeup_thresh and
 * the min/severe bits.  Returns true if reserved.
 */
bool vm_domain_allocate(struct vm_machine *m, uint32_t d, int req,
    bool from_pagedaemon, uint32_t npages);
/*
 * vm_page_alloc() - allocate one page for (obj, pindex): domains are tried
 * round-robin from the object's cursor (the cursor advances by one per
 * call); a domain that refuses gets pageout_deficit += 1 (spec 6.2).
 * The page comes back off every queue, valid = dirty = 0, act_count 0,
 * inserted in the object.  Returns the page, or VM_NONE if every domain
 * refused.
 */
uint32_t vm_page_alloc(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    int req, bool from_pagedaemon);
/*
 * vm_domain_freecnt_inc() - return n pages to d's free count with the
 * wakeups of spec 6.6 (vm_domain_clear).  Only for pages already put on
 * the free list: kernel cache pages go back with
 * vm_domain_kernel_cache_release(), which calls it.
 */
void vm_domain_freecnt_inc(struct vm_machine *m, uint32_t d, uint32_t n);
/*
 * vm_domain_kernel_cache_release() - the kernel cache of domain d gives
 * back min(n, kernel_cache) pages: onto the free list, kernel_cache -=,
 * vm_domain_freecnt_inc(), cnt.kernel_cache_released +=.  Returns the
 * number of pages released.
 */
uint32_t vm_domain_kernel_cache_release(struct vm_machine *m, uint32_t d,
    uint32_t n);
/*
 * vm_page_free() - spec 6.6: v_tfree++, dequeue, pmap_remove_all, remove
 * from the object, valid = dirty = 0, aflags and act_count cleared, any
 * wiring dropped; deferred while held (PG_UNHOLDFREE) or busy
 * (PG_FREEBUSY); else onto the free list with freecnt_inc.  Does not free
 * the swap block.  A page awaiting a deferred free has object == VM_NONE:
 * an I/O completion must test that before touching the object; it may
 * still requeue the page, the final free dequeues it.  Freeing a free or
 * deferred page again is a no-op.
 */
void vm_page_free(struct vm_machine *m, uint32_t page);
/* vm_page_unbusy() - drop one busy hold; completes a PG_FREEBUSY free. */
void vm_page_unbusy(struct vm_machine *m, uint32_t page);
/* vm_page_hold() / vm_page_unhold() - hold_count +/-; the last unhold completes a PG_UNHOLDFREE free. */
void vm_page_hold(struct vm_machine *m, uint32_t page);
void vm_page_unhold(struct vm_machine *m, uint32_t page);
/*
 * vm_page_wire() / vm_page_unwire() - wire_count +/-.  Wiring leaves the
 * page on its queue (the seed's scans dequeue wired pages lazily); the
 * last unwiring of a page on no queue puts it on the ACTIVE tail.
 */
void vm_page_wire(struct vm_machine *m, uint32_t page);
void vm_page_unwire(struct vm_machine *m, uint32_t page);
/* vm_page_count_severe() / _min(): any domain in the severe / min set. */
bool vm_page_count_severe(const struct vm_machine *m);
bool vm_page_count_min(const struct vm_machine *m);
/* every domain is in the min set (vm_wait sleeps only then, spec 6.3) */
bool vm_page_count_min_all(const struct vm_machine *m);
/*
 * vm_pagedaemon_wakeup() - S:1979-1994: no-op from the page-daemon process;
 * else pageout_wanted++ and, if it was 0, notify.pd_wakeup |= 1 << d.
 */
void vm_pagedaemon_wakeup(struct vm_machine *m, uint32_t d, bool from_pagedaemon);

/* ---- swap space (swap.c), spec 9.5 and 12.6 ---- */

/* swap_pager_avail, and the full / almost_full flags. */
uint64_t vm_swap_avail(const struct vm_machine *m);
uint64_t vm_swap_total(const struct vm_machine *m);
uint64_t vm_swap_used(const struct vm_machine *m);
int vm_swap_full(const struct vm_machine *m);
int vm_swap_almost_full(const struct vm_machine *m);
/*
 * vm_swap_getspace() - allocate n contiguous blocks (approximated by
 * avail >= n on one device; documented deviation).  On failure sets
 * full = 2, almost_full = 1 and returns false.  On success avail -= n and
 * the hysteresis of spec 9.5 step 4 applies; *device is what
 * vm_swap_assign() takes for each of the n pages, which the caller must
 * assign before anything else runs (vm_machine_check() counts blocks).
 */
bool vm_swap_getspace(struct vm_machine *m, uint32_t n, uint32_t *device);
/* vm_swap_assign() - (obj, pindex) now owns a block of device (any old block is freed). */
void vm_swap_assign(struct vm_machine *m, uint32_t obj, uint32_t pindex, uint32_t device);
/* vm_swap_has() - (obj, pindex) has a swap block. */
bool vm_swap_has(const struct vm_machine *m, uint32_t obj, uint32_t pindex);
/* vm_swap_release() - free the block of (obj, pindex), if any (swap_pager_unswapped). */
void vm_swap_release(struct vm_machine *m, uint32_t obj, uint32_t pindex);
/* vm_swap_release_object() - free every block of obj. */
void vm_swap_release_object(struct vm_machine *m, uint32_t obj);
/*
 * vm_swapon() - add a device of pages blocks (at most 32 devices):
 * avail += pages, the hysteresis of spec 9.5 step 4, swapdev_enabled = 1.
 * 0, -EINVAL (0 pages or too many blocks), -ENOSPC (no device slot).
 */
int vm_swapon(struct vm_machine *m, uint64_t pages);
/*
 * vm_swapoff() - remove the most recently added device of exactly `pages`
 * blocks: refused (-ENOMEM, cnt.swapoff_refused++) when free pages + free
 * swap < its blocks + 128, as swapoff_one() refuses, or when its blocks
 * of non-resident pages exceed what VM_ALLOC_SYSTEM allocations can take
 * (the model cannot sleep for memory); else every block on it is paged
 * back in as swp_pager_force_pagein() does (a resident page is dirtied;
 * another is allocated SYSTEM, valid, dirty and put on the LAUNDRY tail,
 * v_swappgsin++) and released.  -ENOENT if no such device.
 * swapdev_enabled = 0 when the last device goes.
 */
int vm_swapoff(struct vm_machine *m, uint64_t pages);

#endif
