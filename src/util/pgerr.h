/*
 * pgerr.h - the one error convention of pgreplay.
 *
 * Library functions return 0 on success or a negative errno value on
 * failure.  Functions that parse input or do I/O also take a caller-owned
 * struct pg_error which they fill on failure with where the problem is
 * (file, and line or byte offset, and event number when known) and a
 * sentence saying what was expected.  The library never prints; the CLI
 * formats the error with pg_error_format() and exits with status 2.
 */
#ifndef PGREPLAY_UTIL_PGERR_H
#define PGREPLAY_UTIL_PGERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PG_ERROR_FILE_MAX 512
#define PG_ERROR_MSG_MAX 512

enum pg_pos_kind {
	PG_POS_NONE = 0,	/* only the file is known */
	PG_POS_LINE,		/* text input: 1-based line number */
	PG_POS_BYTE,		/* binary input: byte offset in the (decompressed) stream */
};

struct pg_error {
	char file[PG_ERROR_FILE_MAX];	/* "" when there is no file */
	enum pg_pos_kind pos_kind;
	uint64_t pos;			/* line or byte offset, by pos_kind */
	uint64_t event;			/* 1-based event number, 0 when unknown */
	char msg[PG_ERROR_MSG_MAX];
};

/*
 * pg_error_clear() - reset to "no error".
 */
void pg_error_clear(struct pg_error *e);

/*
 * pg_error_set() - fill e with a position and a printf-style message; the
 * event number is reset to 0 (unknown), so e need not be cleared first.
 * Returns -EINVAL so that callers can write `return pg_error_set(...)`.
 * e may be NULL, in which case only the return value matters.
 */
int pg_error_set(struct pg_error *e, const char *file, enum pg_pos_kind kind,
    uint64_t pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * pg_error_setv() - as pg_error_set(), but the return value is chosen by
 * the caller (a negative errno).
 */
int pg_error_setv(struct pg_error *e, int ret, const char *file,
    enum pg_pos_kind kind, uint64_t pos, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/*
 * pg_error_vset() - pg_error_setv() with a va_list: the one body of every
 * module's printf-style error helper (which adds its own file and
 * position).  Returns ret; e may be NULL.
 */
int pg_error_vset(struct pg_error *e, int ret, const char *file,
    enum pg_pos_kind kind, uint64_t pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/*
 * pg_error_format() - render e as one line, without the program name and
 * without a newline:
 *   "FILE:LINE: MSG"                      (PG_POS_LINE)
 *   "FILE: byte OFFSET (event N): MSG"    (PG_POS_BYTE; event part if known)
 *   "FILE: MSG"                           (PG_POS_NONE)
 * Writes at most n bytes including the terminating NUL; returns buf.
 */
char *pg_error_format(const struct pg_error *e, char *buf, size_t n);

#endif
