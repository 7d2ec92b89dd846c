/*
 * space.h - the address-space model shared by the importers (private to
 * src/import/).
 *
 * Recorders report what the kernel did to address spaces (mappings made,
 * moved, removed; processes forked, exec'ed, exited) and which addresses
 * faulted.  The space keeps, per process, the list of mappings as the
 * kernel had them, and turns each report into pgreplay events written to a
 * trace_writer: an address becomes (object, page index).
 *
 * Objects: a file is one `file` object per (device, inode), or per path when
 * the recorder gives no inode, shared by every process mapping it; anonymous
 * memory is `anon` objects per process; a private file mapping that is
 * written gets an `anon` shadow object for its copies; [vdso]-like kernel
 * pages are `phys`.  Every object is declared with IMPORT_OBJ_PAGES pages:
 * a recorder knows neither file sizes nor how far a region will grow, and
 * the size is only a bound (objects are sparse in the simulator).
 *
 * Times are the recorder's own nanoseconds; the first event written is at
 * 0 and times never decrease (a report that is slightly out of order is
 * written at the time of the previous event).
 *
 * Memory is bounded: IMPORT_PROCS_MAX live processes, IMPORT_VMAS_MAX
 * mappings per process, IMPORT_FILES_MAX files.  Exceeding one fails with
 * -ENOSPC and a message naming the limit; the caller adds the position.
 */
#ifndef PGREPLAY_IMPORT_SPACE_H
#define PGREPLAY_IMPORT_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "import/import.h"
#include "trace/writer.h"
#include "util/pgerr.h"

#define IMPORT_PAGE_SHIFT 12
#define IMPORT_OBJ_PAGES (UINT64_C(1) << 30)
#define IMPORT_PROCS_MAX 32768
#define IMPORT_VMAS_MAX 65536
#define IMPORT_FILES_MAX 65536
#define IMPORT_OBJECTS_MAX (UINT64_C(1) << 24) /* as the trace validator */
/* How far below a [stack] mapping a fault is taken as stack growth. */
#define IMPORT_STACK_GAP_PAGES 2048
/* Chunks of implicit anonymous memory: 1 GiB. */
#define IMPORT_IMPLICIT_PAGES (UINT64_C(1) << 18)

enum import_map_kind {
	IMPORT_MAP_ANON = 0,
	IMPORT_MAP_FILE,
	IMPORT_MAP_SPECIAL, /* [vdso], [vvar]: kernel pages, not reclaimable */
};

/* What a mapping record says the new range is. */
struct import_mapping {
	enum import_map_kind kind;
	uint64_t dev, ino; /* file identity; ino 0 when unknown */
	const char *path;  /* file name, or NULL */
	uint64_t pgoff;	   /* file offset of the start, bytes */
	bool shared;	   /* MAP_SHARED */
	bool growsdown;	   /* the stack */
};

/* How a new mapping treats what the model already has in its range. */
enum import_map_mode {
	/*
	 * A report of what is there (perf's MMAP2, a plain mmap): a part
	 * that already holds the same thing is kept, pages and all; only
	 * different or missing parts change.  perf re-reports a growing heap
	 * whole, so this keeps its pages.
	 */
	IMPORT_MAP_KEEP = 0,
	/* MAP_FIXED: whatever was in the range is unmapped first. */
	IMPORT_MAP_REPLACE,
};

/* Touch flags. */
#define IMPORT_TOUCH_WRITE 1u	/* the access was a write */
#define IMPORT_TOUCH_PRESENT 2u /* the page was present (protection fault) */
#define IMPORT_TOUCH_KNOWN 4u	/* the source gave the write flag */

struct import_space;

/*
 * import_space_create() - a model writing to w (which stays the caller's).
 * Returns 0 and *out, or -ENOMEM.
 */
int import_space_create(struct trace_writer *w,
    const struct import_options *opts, struct import_space **out);

/*
 * import_space_set_eager() - write a selected process at its first mapping
 * or its exit (a source without touches, such as strace alone), rather
 * than before its first touch.
 */
void import_space_set_eager(struct import_space *s);

/* import_space_destroy() - release s; s may be NULL. */
void import_space_destroy(struct import_space *s);

/*
 * import_space_proc() - process pid appears at time t with name, forked
 * from parent (0: none known), whose mappings it inherits.  A pid already
 * known is left alone (two sources may both report the fork).  The child
 * is selected when its parent is.  vfork: the child runs in the parent's
 * address space until exec, so its touches count as the parent's.
 */
int import_space_proc(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, uint32_t parent, bool vfork, struct pg_error *err);

/*
 * import_space_select() - make pid part of the workload: its events are
 * written from now on (or from its next exec if at_exec).  An unknown pid
 * is created, to inherit its parent's mappings when its fork is reported.
 * Processes that are never selected are modelled but not written (the
 * recorder's own wrappers).  With import_options.all_pids every process is
 * selected.
 */
int import_space_select(struct import_space *s, uint32_t pid, bool at_exec,
    struct pg_error *err);

/* import_space_known() - whether pid is a live modelled process. */
bool import_space_known(const struct import_space *s, uint32_t pid);

/* import_space_set_vfork() - pid's next fork is a vfork (strace said so). */
void import_space_set_vfork(struct import_space *s, uint32_t pid);

/* import_space_exec() - pid exec'ed name: its address space is replaced. */
int import_space_exec(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, struct pg_error *err);

/* import_space_exit() - pid exited; unknown pids are ignored. */
int import_space_exit(struct import_space *s, uint64_t t, uint32_t pid,
    struct pg_error *err);

/* import_space_map() - pid maps [addr, addr+len) as m (see the modes). */
int import_space_map(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, const struct import_mapping *m,
    enum import_map_mode mode, struct pg_error *err);

/* import_space_unmap() - munmap(addr, len): the range's pages are freed. */
int import_space_unmap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, struct pg_error *err);

/*
 * import_space_remap() - mremap(old, oldlen, newlen) = new: the mapping
 * moves with its pages (no fault again), a shrunk tail is freed, a grown
 * tail continues the same object.
 */
int import_space_remap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t old, uint64_t oldlen, uint64_t newlen, uint64_t new,
    struct pg_error *err);

/*
 * import_space_brk() - brk() returned brk: growth maps anonymous memory,
 * shrinking frees it.  The first value seen is the start of the heap.
 */
int import_space_brk(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t brk, struct pg_error *err);

/*
 * import_space_discard() - madvise(DONTNEED/FREE) or (file too) REMOVE:
 * the range's anonymous pages are freed and will fault again.
 */
int import_space_discard(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, bool file_too, struct pg_error *err);

/*
 * import_space_touch() - pid accessed addr (flags IMPORT_TOUCH_*): writes
 * a fault or dirty event (two for the first write to a private file page:
 * the file read and the dirty copy).  Returns 1 when the address resolved
 * to a mapping, 0 when it did not (nothing is written; counted), or <0.
 */
int import_space_touch(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, unsigned flags, struct pg_error *err);

/*
 * import_space_implicit() - if nothing covers addr in pid, map the gap
 * around it (within its aligned IMPORT_IMPLICIT_PAGES chunk) as anonymous
 * memory: the parts of an address space set up without a recorded call
 * (valgrind's loading of the program, the kernel's exec image and stack).
 * Returns 1 if it mapped something, 0 if addr was covered, or <0.
 */
int import_space_implicit(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, struct pg_error *err);

/* import_space_stats() - the counters so far (import.h). */
void import_space_stats(const struct import_space *s, struct import_stats *st);

#endif
