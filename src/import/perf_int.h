/*
 * perf_int.h - the internals of `import perf` (perf*.c), private to them:
 * a parsed perf script record and the importer's state.
 */
#ifndef PGREPLAY_IMPORT_PERF_INT_H
#define PGREPLAY_IMPORT_PERF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "import/import.h"
#include "import/lines.h"
#include "import/space.h"
#include "import/strace.h"

#define MAX_TOKENS 24
#define PEND_BUCKETS 1024
#define PEND_MAX 65536

/* The prescan that estimates the clock offset reads at most this much. */
#define SCAN_PERF_LINES 400000
#define SCAN_STRACE_LINES 20000
#define SCAN_MAPS 4096

/*
 * The pairs that match the same call cluster within a few hundred
 * microseconds; pairs of different calls at a reused address scatter.
 */
#define SCAN_WINDOW_NS 1000000

enum perf_kind {
	PR_SKIP = 0,
	PR_TP_FAULT,
	PR_SW_FAULT,
	PR_MMAP,
	PR_FORK,
	PR_EXIT,
	PR_COMM,
	PR_LOST,
	PR_FAULT_AROUND,
	PR_OTHER,
};

struct perf_rec {
	enum perf_kind kind;
	uint64_t t;
	uint32_t pid, tid;
	uint64_t addr, ecode;
	uint64_t start, len, pgoff, dev, ino;
	bool anon, special, growsdown, shared, has_ino;
	uint32_t cpid, ppid;
	bool exec;
	char comm[64];
	char name[1024];
};

/* Half a fault: a tracepoint line or a sample waiting for its other half. */
struct pend {
	struct pend *next;
	uint32_t tid, pid;
	uint64_t t, addr, ecode;
	bool sample; /* the software sample (no error code) */
};

struct perf_import {
	struct import_lines *in;
	struct strace_parser *sp;
	struct import_space *s;
	const struct import_options *o;
	struct pend *pend[PEND_BUCKETS];
	size_t npend;
	int64_t offset;
	bool offset_raised; /* the given offset was below the mmap pairs' */
	bool tasks, mmaps; /* perf reports them: strace's copies are unused */
	uint64_t tp_seen, lost, fault_around, other;
	uint32_t forking_pid; /* strace alone: last unfinished fork */
	unsigned forking_flags;
};

/* perf_parse.c */
int perf_parse(struct import_lines *in, char *line, struct perf_rec *r,
    struct pg_error *err);
int perf_next(struct perf_import *pi, struct perf_rec *r,
    struct pg_error *err);

/* perf_clock.c */
int perf_prescan(const char *perf_path, const char *strace_path,
    bool need_offset, int64_t *off, uint64_t *pairs, bool *tasks, bool *mmaps,
    struct pg_error *err);

#endif /* PGREPLAY_IMPORT_PERF_INT_H */
