/*
 * import.h - turn recordings of real programs into pgreplay traces.
 *
 * Four sources (docs/recording.md): `perf script` text of page-fault
 * samples with the x86 error-code tracepoint and perf's task and mmap
 * records, optionally merged with an `strace -f` log of the same run;
 * an strace log alone; a valgrind lackey log; the output of
 * traces/record/freebsd.d.  Each importer reads its input line by line in
 * constant memory (bounded tables, limits in space.h) and writes events to
 * a caller's trace_writer, then notes (trace_writer_note()) saying what
 * the source could not know and how much was resolved.
 *
 *	struct import_options o;
 *	struct import_stats st;
 *	import_options_init(&o);
 *	if (import_perf("perf.txt", "strace.txt", &o, w, &st, &err) < 0) ...
 *
 * Errors: malformed input fails with -EINVAL and err holding the file, the
 * line and what was expected; a full table with -ENOSPC naming the limit.
 */
#ifndef PGREPLAY_IMPORT_IMPORT_H
#define PGREPLAY_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/writer.h"
#include "util/pgerr.h"

struct import_options {
	/*
	 * Count an anonymous page dirty from its first fault, read or write
	 * (default true): it has no backing store, and on kernels without a
	 * shared zero page a later write to it takes no fault, so the write
	 * would be lost otherwise.
	 */
	bool anon_dirty;
	/* Write every process, not only the workload (perf alone). */
	bool all_pids;
	/* perf: only this pid and its descendants (0: all, or strace's). */
	uint32_t root_pid;
	/*
	 * perf + strace: realtime minus monotonic clock, ns, when known
	 * (clock_offset_set); otherwise estimated from the mmap calls both
	 * logs hold.
	 */
	int64_t clock_offset;
	bool clock_offset_set;
	/* lackey: nanoseconds per guest instruction (time = instructions). */
	uint64_t ns_per_instr;
	/*
	 * lackey: a touch of a page touched in the same way less than this
	 * long ago (ns of trace time) is not written again; 0 writes all.
	 */
	uint64_t merge_ns;
};

/* Counters of one import, for the notes and the CLI's summary. */
struct import_stats {
	uint64_t lines;	     /* input lines read, all inputs */
	uint64_t samples;    /* faults / accesses of selected processes */
	uint64_t resolved;   /* ... that fell in a known mapping */
	uint64_t unresolved; /* ... that did not (dropped, not written) */
	uint64_t with_flags; /* ... whose write flag was known */
	uint64_t writes;     /* ... that were writes */
	uint64_t merged;     /* lackey: touches merged into an earlier one */
	uint64_t events;     /* events written */
	uint64_t faults, dirties, frees, free_pages;
	uint64_t maps, unmaps, procs, exits;
	uint64_t objects_anon, objects_file, objects_shadow, objects_phys;
	uint64_t clamped; /* events moved forward to keep time monotonic */
};

/* import_options_init() - the defaults. */
void import_options_init(struct import_options *o);

/*
 * import_perf() - perf script text at perf_path, merged with the strace
 * log at strace_path when that is not NULL.  Returns 0 with *st filled, or
 * a negative errno with err filled.  w is not finished.
 */
int import_perf(const char *perf_path, const char *strace_path,
    const struct import_options *o, struct trace_writer *w,
    struct import_stats *st, struct pg_error *err);

/* import_strace() - an strace -f log alone (mappings, frees, processes). */
int import_strace(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err);

/* import_lackey() - a valgrind --tool=lackey --trace-mem=yes log. */
int import_lackey(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err);

/* import_dtrace() - the output of traces/record/freebsd.d. */
int import_dtrace(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err);

/*
 * import_read_clock() - the clock offset from a clock file written by
 * traces/record/linux.sh (and the shared recordings' clock.txt): the first
 * "realtime_minus_monotonic_ns N" pair.  Returns 0 with *off, or <0 with
 * err.
 */
int import_read_clock(const char *path, int64_t *off, struct pg_error *err);

#endif
