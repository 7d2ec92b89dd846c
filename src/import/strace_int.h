/*
 * strace_int.h - the internals of the strace log parser (strace_parse.c,
 * strace_decode.c), private to them.
 */
#ifndef PGREPLAY_IMPORT_STRACE_INT_H
#define PGREPLAY_IMPORT_STRACE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "import/strace.h"
#include "util/idmap.h"

#define HASH_BUCKETS 1024
#define MAX_ARGS 8

struct pending {
	struct pending *next;
	uint32_t tid;
	uint64_t t;
	char text[STRACE_PENDING_TEXT];
};

struct strace_parser {
	struct import_lines *in;
	struct pg_idmap tids;	/* tid -> its process, for every live tid */
	struct pending *pend[HASH_BUCKETS];
	size_t npend;
	uint32_t default_pid;	/* for lines without a pid column */
	uint32_t thread_parent; /* a CLONE_THREAD clone is under way here */
	uint64_t lineno;	/* of the last record */
	char join[STRACE_PENDING_TEXT + IMPORT_LINE_MAX + 1];
};

/* strace_parse.c */
int strace_bad(struct strace_parser *sp, struct pg_error *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int strace_tid_add(struct strace_parser *sp, uint32_t tid, uint32_t pid,
    struct pg_error *err);

/* strace_decode.c */
char *strace_skip_blanks(char *p);
bool strace_parse_num(const char *s, uint64_t *v);
bool strace_parse_time(const char *s, uint64_t *ns);
int strace_split_args(char *p, char **argv, int max, char **end);
bool strace_forklike(const char *name);
unsigned strace_fork_flags(const char *name, char **a, int n);
int strace_decode(struct strace_parser *sp, char *body, struct strace_rec *r,
    struct pg_error *err);

#endif /* PGREPLAY_IMPORT_STRACE_INT_H */
