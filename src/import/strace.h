/*
 * strace.h - the strace -f log parser, shared by `import strace` and the
 * strace half of `import perf --strace` (private to src/import/).
 *
 * Accepted: lines "[PID ]TIME CALL(ARGS) = RESULT" with TIME as -ttt or
 * --timestamps=unix[,us|,ns] (seconds.fraction since the epoch) or -tt
 * (HH:MM:SS.fraction), an optional "[pid N]" prefix, an optional -T
 * "<duration>" suffix, -y fd paths ("5</path>"), split calls
 * ("CALL(ARGS <unfinished ...>" then "<... CALL resumed>ARGS) = RESULT",
 * joined per thread), "+++ exited with N +++", "+++ killed by SIG +++",
 * "--- SIG... ---" (ignored) and the calls of no interest (ignored).
 * Thread ids are mapped to their process (the thread group) through the
 * CLONE_THREAD clones seen.
 */
#ifndef PGREPLAY_IMPORT_STRACE_H
#define PGREPLAY_IMPORT_STRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "import/lines.h"
#include "util/pgerr.h"

/* Limits of the parser's tables. */
#define STRACE_TIDS_MAX 65536	 /* live threads that are not leaders */
#define STRACE_PENDING_MAX 4096	 /* calls unfinished at the same time */
#define STRACE_PENDING_TEXT 2048 /* bytes of an unfinished call kept */

enum strace_kind {
	SR_MMAP = 1,
	SR_MUNMAP,
	SR_MREMAP,
	SR_BRK,
	SR_MADVISE,
	SR_CLONE,   /* fork, vfork, clone, clone3 that returned a child */
	SR_FORKING, /* an unfinished fork-like call: child soon */
	SR_EXECVE,  /* successful */
	SR_EXIT,    /* "+++ exited/killed" of a process (its leader) */
};

#define SR_MAP_SHARED 1u
#define SR_MAP_FIXED 2u
#define SR_MAP_ANON 4u

#define SR_CLONE_THREAD 1u
#define SR_CLONE_VM 2u
#define SR_CLONE_VFORK 4u

struct strace_rec {
	enum strace_kind kind;
	uint64_t t;   /* ns since the epoch (or since midnight for -tt) */
	uint32_t pid; /* the process (thread group) */
	uint32_t tid;
	uint64_t addr, len, len2, result;
	uint64_t off;	/* mmap file offset, bytes */
	unsigned flags; /* SR_MAP_* or SR_CLONE_* */
	unsigned prot;	/* 1 read, 2 write, 4 exec */
	int advice;	/* madvise: 1 frees anon, 2 frees file too, 0 no */
	uint32_t child;
	bool has_fd;
	char path[1024]; /* mmap -y path, execve file; "" if none */
};

struct strace_parser;

/* strace_open() - open path ("-" is standard input). */
int strace_open(const char *path, struct strace_parser **out,
    struct pg_error *err);

/*
 * strace_next() - the next call of interest, in file order.  Returns 1
 * with *r filled, 0 at the end, or <0 with err (file:line: what was
 * expected).
 */
int strace_next(struct strace_parser *sp, struct strace_rec *r,
    struct pg_error *err);

/* strace_lines() - lines read so far. */
uint64_t strace_lines(const struct strace_parser *sp);

/* strace_where() - file and line of the last record, into err. */
void strace_where(const struct strace_parser *sp, struct pg_error *err);

/* strace_close() - release sp and its file; sp may be NULL. */
void strace_close(struct strace_parser *sp);

/*
 * import_apply_strace() - apply one strace record to a space (strace_apply.c):
 * merged: with perf, whose task (tasks) and mapping (mmaps) records make
 * strace's copies redundant.  forking_*: the last unfinished fork-like
 * call, for children that speak before their parent's call returns.
 */
struct import_space;
struct strace_rec;
int import_apply_strace(struct import_space *s, const struct strace_rec *r,
    uint64_t t, bool merged, bool tasks, bool mmaps, uint32_t *forking_pid,
    unsigned *forking_flags, struct pg_error *err);

#endif
