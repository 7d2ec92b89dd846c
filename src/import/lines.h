/*
 * lines.h - read a recorder's text output one line at a time, plain or
 * zstd-compressed (recognised by its magic), from a fixed buffer: memory
 * does not grow with the input.  Private to src/import/.
 */
#ifndef PGREPLAY_IMPORT_LINES_H
#define PGREPLAY_IMPORT_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "util/pgerr.h"

/* Longest line accepted; a longer one is an error naming the line. */
#define IMPORT_LINE_MAX 65536

struct import_lines;

/*
 * import_lines_open() - open path ("-" is standard input).  Returns 0 and
 * *out, or a negative errno with err filled and *out NULL.
 */
int import_lines_open(const char *path, struct import_lines **out,
    struct pg_error *err);

/*
 * import_lines_next() - the next line, NUL-terminated, without its line end
 * (LF or CRLF).  Returns 1 with *line and *len set (valid until the next
 * call), 0 at the end, or a negative errno with err filled (file:line).
 */
int import_lines_next(struct import_lines *l, char **line, size_t *len,
    struct pg_error *err);

/* import_lines_name() - the name used in messages ("<stdin>" for "-"). */
const char *import_lines_name(const struct import_lines *l);

/* import_lines_lineno() - the number of the last line returned (1-based). */
uint64_t import_lines_lineno(const struct import_lines *l);

/*
 * import_lines_error() - fill err with the formatted message at the last
 * line of l (its name and line number).  Returns -EINVAL, the importers'
 * answer to a malformed line.
 */
int import_lines_error(const struct import_lines *l, struct pg_error *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* import_lines_close() - release l; l may be NULL. */
void import_lines_close(struct import_lines *l);

#endif
