/*
 * outfile.h - one output file of pgreplay (a report, a converted trace, a
 * timeline, ...), written so that nothing is lost and nothing is left
 * half-written (docs/robustness.md, "Outputs").
 *
 * What the destination is decides how it is written:
 *  - a new path or a regular file: into a hidden temporary file of the
 *    same directory, flushed to disk and renamed over the destination by
 *    outfile_commit(); an existing file keeps its permissions, and is
 *    untouched until then;
 *  - a symbolic link: followed (to any depth up to OUTFILE_LINKS_MAX) and
 *    its final target treated as above; the link itself stays;
 *  - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the
 *    process's own descriptor, duplicated and written in place;
 *  - anything else that exists (a character or block device, a FIFO, a
 *    descriptor link of another process under /proc): written in place,
 *    never replaced, never truncated by us;
 *  - a directory: refused.
 * Every write, flush and close is checked: /dev/full or a full disk is an
 * error naming the path, never a success.
 *
 *	struct outfile *f;
 *	if (outfile_open(path, &opts, &f, &err) < 0) fail(&err);
 *	write to outfile_stream(f) (or outfile_fd(f), not both);
 *	if (trouble) { outfile_abort(f); ... }
 *	if (outfile_commit(f, &err) < 0) fail(&err);
 *
 * The library never installs signal handlers: a program that wants a
 * SIGINT to remove the temporary file points opts->interrupted at the
 * flag its handler sets, stops writing when it is set, and calls
 * outfile_abort() (outfile_commit() also refuses once it is set).
 */
#ifndef PGREPLAY_UTIL_OUTFILE_H
#define PGREPLAY_UTIL_OUTFILE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/pgerr.h"

/* Symbolic links followed before giving up with ELOOP. */
#define OUTFILE_LINKS_MAX 32

struct outfile;

/* How an open outfile writes; outfile_kind() tells. */
enum outfile_kind {
	OUTFILE_ATOMIC = 0, /* temporary file renamed into place */
	OUTFILE_IN_PLACE,   /* device, FIFO, descriptor: written directly */
	OUTFILE_STDOUT,	    /* a descriptor of ours: stdout, /dev/fd/N */
};

/* Options; a zeroed struct (or NULL) gives the defaults. */
struct outfile_opts {
	/*
	 * If not NULL: once *interrupted is non-zero, outfile_commit()
	 * removes the temporary file and fails with -EINTR.
	 */
	volatile sig_atomic_t *interrupted;
	/* Name for messages instead of the path ("-": "standard output"). */
	const char *name;
};

/*
 * outfile_open() - prepare to write path as described above.  Returns 0
 * and *out, or a negative errno with err filled ("PATH: cannot create:
 * ...") and *out NULL: -EISDIR for a directory, -ELOOP for too many
 * links, -ENOENT for a missing directory, -EINTR when opening a FIFO was
 * interrupted, and whatever open() or mkstemp() said.  Nothing is visible
 * at a regular path until outfile_commit().
 */
int outfile_open(const char *path, const struct outfile_opts *opts,
    struct outfile **out, struct pg_error *err);

/*
 * outfile_stream() - a stdio stream on the output, created at the first
 * call and owned by f (never fclose() it).  NULL only when out of memory.
 */
FILE *outfile_stream(struct outfile *f);

/*
 * outfile_fd() - the descriptor to write(2) to directly (never close()
 * it).  Do not mix with outfile_stream().
 */
int outfile_fd(const struct outfile *f);

/* outfile_kind() - how f writes; outfile_path() - what it writes. */
enum outfile_kind outfile_kind(const struct outfile *f);
const char *outfile_path(const struct outfile *f);

/*
 * outfile_write() - write all len bytes at buf to f's descriptor,
 * retrying short writes and EINTR (unless interrupted).  Returns 0 or a
 * negative errno with err filled ("PATH: write error: ...").
 */
int outfile_write(struct outfile *f, const void *buf, size_t len,
    struct pg_error *err);

/*
 * outfile_commit() - finish: flush the stream, and for a temporary file
 * fsync(), close() and rename() it over the destination (then fsync its
 * directory).  Frees f whatever happens.  Returns 0, or a negative errno
 * with err filled ("PATH: write error: No space left on device"), in
 * which case the temporary file is removed and a regular destination is
 * as it was before outfile_open().
 */
int outfile_commit(struct outfile *f, struct pg_error *err);

/*
 * outfile_abort() - give up: close, remove the temporary file, free f.
 * What was already written in place (a device, a pipe) stays written.
 * f may be NULL.
 */
void outfile_abort(struct outfile *f);

#endif
