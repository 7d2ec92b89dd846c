/*
 * perf.c - `import perf`: perf script text, optionally merged with the
 * strace log of the same run.
 *
 * Every perf script line is "COMM PID[/TID] [CPU] TIME: EVENT REST"; COMM
 * may hold blanks, so a line is read from its time field: the first field
 * of the form SECONDS.FRACTION: with a pid field before it.  The events
 * used: the page-fault software event (data address), the x86
 * exceptions:page_fault_user/kernel tracepoints (error code: bit 0 the page
 * was present, bit 1 a write), PERF_RECORD_MMAP2/MMAP, FORK, EXIT and
 * COMM.  Other events and records are counted and skipped.  A tracepoint
 * line and the software sample that follows it for the same thread and
 * address are one fault.
 *
 * With strace, the two logs are read side by side in time order (perf's
 * CLOCK_MONOTONIC shifted to strace's realtime by the clock offset, given
 * or estimated from the mmap calls both logs hold); strace contributes the
 * removals perf cannot see (munmap, mremap, brk, madvise) and tells which
 * processes are the workload: those it traced.
 *
 * This file pairs the fault halves, applies perf's records to the space and
 * drives the import; perf_parse.c reads a line, perf_clock.c estimates the
 * clock offset, strace_apply.c applies strace's records.
 */
#include "import/perf_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/lines.h"
#include "import/notes.h"
#include "import/space.h"
#include "import/strace.h"

static bool
user_addr(uint64_t a)
{
	/* Canonical kernel addresses have the top bit set (x86-64, arm64). */
	return ((a >> 63) == 0);
}

static unsigned
flags_of(uint64_t ecode)
{
	return (IMPORT_TOUCH_KNOWN | (ecode & 2 ? IMPORT_TOUCH_WRITE : 0) |
	    (ecode & 1 ? IMPORT_TOUCH_PRESENT : 0));
}

static struct pend *
pend_take(struct perf_import *pi, uint32_t tid)
{
	struct pend **pp, *p;

	for (pp = &pi->pend[tid % PEND_BUCKETS]; (p = *pp) != NULL;
	     pp = &p->next)
		if (p->tid == tid) {
			*pp = p->next;
			pi->npend--;
			return (p);
		}
	return (NULL);
}

static int
where(struct import_lines *in, struct pg_error *err, int rc)
{
	if (err->file[0] == '\0') {
		snprintf(err->file, sizeof(err->file), "%s",
		    import_lines_name(in));
		err->pos_kind = PG_POS_LINE;
		err->pos = import_lines_lineno(in);
	}
	return (rc);
}

/* touch_pend() - write p's fault alone (its other half never came). */
static int
touch_pend(struct perf_import *pi, struct pend *p, uint64_t off,
    struct pg_error *err)
{
	int rc;

	rc = import_space_touch(pi->s, p->t + off, p->pid, p->addr,
	    p->sample ? 0 : flags_of(p->ecode), err);
	free(p);
	return (rc < 0 ? rc : 0);
}

static int
cmp_pend_time(const void *a, const void *b)
{
	const struct pend *x = *(struct pend *const *)a;
	const struct pend *y = *(struct pend *const *)b;

	if (x->t != y->t)
		return (x->t < y->t ? -1 : 1);
	return (x->tid < y->tid ? -1 : x->tid > y->tid);
}

/*
 * flush_all() - write every half fault, oldest first, before anything
 * that changes mappings or processes: each resolves against the mappings
 * of its own time.
 */
static int
flush_all(struct perf_import *pi, uint64_t off, struct pg_error *err)
{
	struct pend *one[16], **v = one, *p;
	size_t n = 0, i;
	unsigned b;
	int rc = 0;

	if (pi->npend == 0)
		return (0);
	if (pi->npend > sizeof(one) / sizeof(one[0])) {
		v = malloc(pi->npend * sizeof(*v));
		if (v == NULL)
			return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "out of memory"));
	}
	for (b = 0; b < PEND_BUCKETS; b++) {
		for (p = pi->pend[b]; p != NULL; p = p->next)
			v[n++] = p;
		pi->pend[b] = NULL;
	}
	pi->npend = 0;
	qsort(v, n, sizeof(*v), cmp_pend_time);
	for (i = 0; i < n; i++) {
		if (rc < 0) {
			free(v[i]);
			continue;
		}
		rc = touch_pend(pi, v[i], off, err);
	}
	if (v != one)
		free(v);
	return (rc);
}

/* hold() - keep half a fault of r until its other half or a change. */
static int
hold(struct perf_import *pi, const struct perf_rec *r, bool sample,
    struct pg_error *err)
{
	struct pend *p;

	if (pi->npend >= PEND_MAX)
		return (pg_error_setv(err, -ENOSPC, "", PG_POS_NONE, 0,
		    "more than %d threads with a fault pending (the "
		    "importer's limit)",
		    PEND_MAX));
	if ((p = malloc(sizeof(*p))) == NULL)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory"));
	p->tid = r->tid;
	p->pid = r->pid;
	p->t = r->t;
	p->addr = r->addr;
	p->ecode = r->ecode;
	p->sample = sample;
	p->next = pi->pend[r->tid % PEND_BUCKETS];
	pi->pend[r->tid % PEND_BUCKETS] = p;
	pi->npend++;
	return (0);
}

/*
 * fault_half() - a tracepoint line (sample false) or a software sample
 * (true).  The two halves of one fault are adjacent for the same thread
 * and address, in either order; a half that is followed by anything else
 * of its thread is a fault of its own.
 */
static int
fault_half(struct perf_import *pi, const struct perf_rec *r, bool sample,
    struct pg_error *err)
{
	uint64_t off = (uint64_t)pi->offset;
	struct pend *p = pend_take(pi, r->tid);
	uint64_t ecode;
	int rc;

	if (p != NULL && p->sample != sample && p->addr == r->addr) {
		ecode = sample ? p->ecode : r->ecode;
		/* The fault's time is the sample's. */
		rc = import_space_touch(pi->s, (sample ? r->t : p->t) + off,
		    r->pid, r->addr, flags_of(ecode), err);
		free(p);
		return (rc < 0 ? rc : 0);
	}
	if (p != NULL && (rc = touch_pend(pi, p, off, err)) < 0)
		return (rc);
	return (hold(pi, r, sample, err));
}

static int
ensure(struct perf_import *pi, uint64_t t, uint32_t pid, const char *comm,
    struct pg_error *err)
{
	if (pid == 0 || import_space_known(pi->s, pid))
		return (0);
	return (import_space_proc(pi->s, t, pid, comm, 0, false, err));
}

static int
apply_perf(struct perf_import *pi, struct perf_rec *r, struct pg_error *err)
{
	uint64_t t = r->t + (uint64_t)pi->offset;
	uint64_t off = (uint64_t)pi->offset;
	struct import_mapping m = { 0 };
	int rc;

	switch (r->kind) {
	case PR_TP_FAULT:
		pi->tp_seen++;
		if (!user_addr(r->addr))
			return (0);
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return (rc);
		return (fault_half(pi, r, false, err));
	case PR_SW_FAULT:
		if (!user_addr(r->addr))
			return (0);
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return (rc);
		return (fault_half(pi, r, true, err));
	default:
		break;
	}
	/* Anything else may change mappings: the halves go first. */
	if (r->kind != PR_LOST && r->kind != PR_FAULT_AROUND &&
	    r->kind != PR_OTHER && (rc = flush_all(pi, off, err)) < 0)
		return (rc);
	switch (r->kind) {
	case PR_MMAP:
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return (rc);
		m.kind = r->special ? IMPORT_MAP_SPECIAL :
		    r->anon	    ? IMPORT_MAP_ANON :
				      IMPORT_MAP_FILE;
		m.dev = r->dev;
		m.ino = r->ino;
		m.path = r->name;
		m.pgoff = m.kind == IMPORT_MAP_FILE ? r->pgoff : 0;
		m.shared = r->shared;
		m.growsdown = r->growsdown;
		return (import_space_map(pi->s, t, r->pid, r->start, r->len, &m,
		    IMPORT_MAP_KEEP, err));
	case PR_FORK:
		if (r->cpid == r->ppid)
			return (0); /* a thread */
		if ((rc = ensure(pi, t, r->ppid, r->comm, err)) < 0)
			return (rc);
		return (import_space_proc(pi->s, t, r->cpid, r->comm, r->ppid,
		    false, err));
	case PR_EXIT:
		if (r->pid != r->tid)
			return (0);
		return (import_space_exit(pi->s, t, r->pid, err));
	case PR_COMM:
		if (!r->exec)
			return (0);
		return (import_space_exec(pi->s, t, r->pid, r->name, err));
	case PR_LOST:
		pi->lost++;
		return (0);
	case PR_FAULT_AROUND:
		pi->fault_around++;
		return (0);
	default:
		pi->other++;
		return (0);
	}
}

static void
perf_notes(struct import_notes *n, const struct perf_import *pi,
    const struct import_stats *st, bool merged, uint64_t pairs)
{
	if (pi->tp_seen == 0)
		import_note(n,
		    "no write information: no exceptions:page_fault_* "
		    "tracepoint in the recording, every fault is a read");
	import_note(n,
	    "first touches only: perf sees the fault that maps a page, not "
	    "later references; fault-around pages (mapped without a fault) "
	    "are not in the trace");
	if (!merged)
		import_note(n,
		    "no frees: perf sees no munmap, brk or madvise (merge an "
		    "strace log with --strace); exits are known");
	if (pi->o->anon_dirty)
		import_note(n,
		    "anonymous pages count as dirty from their first fault "
		    "(no backing store; later writes take no fault)");
	import_note(n,
	    "copy-on-write after fork is not modelled: parent and child "
	    "share their anonymous objects");
	import_note(n,
	    "faults: %" PRIu64 " of the workload, %" PRIu64
	    " resolved to a mapping, %" PRIu64
	    " unresolved and dropped; %" PRIu64 " with the write flag, %" PRIu64
	    " writes",
	    st->samples, st->resolved, st->unresolved, st->with_flags,
	    st->writes);
	if (pi->lost > 0)
		import_note(n, "perf lost records %" PRIu64 " times", pi->lost);
	if (merged)
		import_note(n,
		    "clock offset (realtime - monotonic) %" PRId64 " ns, %s",
		    pi->offset,
		    !pi->o->clock_offset_set ?
			"estimated from the mmap calls" :
			pi->offset_raised ?
			"given, raised to the bound of the mmap calls" :
			"given");
	(void)pairs;
}

int
import_perf(const char *perf_path, const char *strace_path,
    const struct import_options *o, struct trace_writer *w,
    struct import_stats *st, struct pg_error *err)
{
	struct perf_import pi = { 0 };
	struct import_options so = *o;
	struct import_notes notes;
	struct strace_rec *sr = NULL;
	struct perf_rec *pr = NULL;
	uint64_t pairs = 0;
	int64_t est = 0;
	bool have_p, have_s = false;
	unsigned i;
	int rc;

	pg_error_clear(err);
	memset(st, 0, sizeof(*st));
	pi.o = &so;
	pi.tasks = pi.mmaps = true;
	if (strace_path != NULL) {
		so.all_pids = false;
		if (o->clock_offset_set)
			pi.offset = o->clock_offset;
		if (strcmp(perf_path, "-") != 0 &&
		    strcmp(strace_path, "-") != 0) {
			rc = perf_prescan(perf_path, strace_path,
			    !o->clock_offset_set, &est, &pairs, &pi.tasks,
			    &pi.mmaps, err);
			if (rc < 0)
				return (rc);
			/*
			 * The pairs bound the offset from below; a clock file
			 * read before the run can be a few microseconds
			 * under that bound, which puts strace's calls after
			 * the mappings they made.  Take the bound then.
			 */
			if (!o->clock_offset_set)
				pi.offset = est;
			else if (pairs > 0 && est > pi.offset &&
			    est - pi.offset < SCAN_WINDOW_NS) {
				pi.offset = est;
				pi.offset_raised = true;
			}
		} else if (!o->clock_offset_set) {
			return (pg_error_setv(err, -EINVAL, "", PG_POS_NONE, 0,
			    "reading standard input, the clock offset cannot "
			    "be estimated: give --clock-offset NS or --clock "
			    "FILE"));
		}
	} else if (o->root_pid == 0) {
		so.all_pids = true;
	}
	pr = malloc(sizeof(*pr));
	sr = malloc(sizeof(*sr));
	if (pr == NULL || sr == NULL) {
		rc = pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
		goto out;
	}
	if ((rc = import_space_create(w, &so, &pi.s)) < 0) {
		pg_error_setv(err, rc, "", PG_POS_NONE, 0, "out of memory");
		goto out;
	}
	if ((rc = import_lines_open(perf_path, &pi.in, err)) < 0)
		goto out;
	if (strace_path != NULL &&
	    (rc = strace_open(strace_path, &pi.sp, err)) < 0)
		goto out;

	if ((rc = perf_next(&pi, pr, err)) < 0)
		goto out;
	have_p = rc == 1;
	if (pi.sp != NULL) {
		if ((rc = strace_next(pi.sp, sr, err)) < 0)
			goto out;
		have_s = rc == 1;
	}
	while (have_p || have_s) {
		if (have_p &&
		    (!have_s || pr->t + (uint64_t)pi.offset < sr->t)) {
			if ((rc = apply_perf(&pi, pr, err)) < 0) {
				where(pi.in, err, rc);
				goto out;
			}
			if ((rc = perf_next(&pi, pr, err)) < 0)
				goto out;
			have_p = rc == 1;
		} else {
			rc = flush_all(&pi, (uint64_t)pi.offset, err);
			if (rc < 0) {
				where(pi.in, err, rc);
				goto out;
			}
			rc = import_apply_strace(pi.s, sr, sr->t, true,
			    pi.tasks, pi.mmaps, &pi.forking_pid,
			    &pi.forking_flags, err);
			if (rc < 0) {
				if (err->file[0] == '\0')
					strace_where(pi.sp, err);
				goto out;
			}
			if ((rc = strace_next(pi.sp, sr, err)) < 0)
				goto out;
			have_s = rc == 1;
		}
	}
	if ((rc = flush_all(&pi, (uint64_t)pi.offset, err)) < 0) {
		where(pi.in, err, rc);
		goto out;
	}
	import_space_stats(pi.s, st);
	st->lines = import_lines_lineno(pi.in) +
	    (pi.sp != NULL ? strace_lines(pi.sp) : 0);
	import_notes_init(&notes);
	import_note(&notes, "imported by pgreplay import perf%s",
	    strace_path != NULL ? " --strace" : "");
	perf_notes(&notes, &pi, st, strace_path != NULL, pairs);
	import_notes_objects(&notes, st);
	rc = import_notes_write(&notes, w, err);
out:
	for (i = 0; i < PEND_BUCKETS; i++)
		while (pi.pend[i] != NULL)
			free(pend_take(&pi, pi.pend[i]->tid));
	import_space_destroy(pi.s);
	strace_close(pi.sp);
	import_lines_close(pi.in);
	free(pr);
	free(sr);
	return (rc);
}
