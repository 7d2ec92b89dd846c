/*
 * writer.h - write a trace as text or binary, optionally zstd-compressed.
 *
 * Output goes through util/outfile.h: a regular file (or a new path, or
 * the target of a symbolic link) is atomic: events go to a temporary file
 * in the same directory, renamed over the destination by
 * trace_writer_finish(); a writer closed without finishing leaves no file
 * behind.  Standard output ("-"), a device or a FIFO is written as it goes.
 *
 *	if (trace_writer_open(path, &opts, &w, &err) < 0) ...
 *	while (...)
 *		if (trace_writer_write(w, &ev, &err) < 0) goto fail;
 *	if (trace_writer_finish(w, &err) < 0) goto fail;
 *	fail:
 *	trace_writer_close(w);
 */
#ifndef PGREPLAY_TRACE_WRITER_H
#define PGREPLAY_TRACE_WRITER_H

#include <signal.h>
#include <stdbool.h>

#include "trace/event.h"
#include "util/pgerr.h"

struct trace_writer;

/* Options; a zeroed struct gives canonical uncompressed text. */
struct trace_writer_opts {
	enum trace_format format;
	bool zstd;	/* compress the whole output as one zstd frame */
	int zstd_level; /* 0 means the library default (3) */
	/* As outfile_opts.interrupted: once set, finishing fails (-EINTR). */
	volatile sig_atomic_t *interrupted;
};

/*
 * trace_writer_format_for() - set opts->format and opts->zstd from path's
 * extension: .pgt, .pgb, .pgt.zst or .pgb.zst.  Returns false, leaving
 * opts alone, when the name has none of them.
 */
bool trace_writer_format_for(const char *path, struct trace_writer_opts *opts);

/*
 * trace_writer_open() - start writing to path ("-" is standard output).
 * Returns 0 and a writer in *out, or a negative errno with err filled and
 * *out NULL.  Nothing is visible at path until trace_writer_finish().
 */
int trace_writer_open(const char *path, const struct trace_writer_opts *opts,
    struct trace_writer **out, struct pg_error *err);

/*
 * trace_writer_write() - append ev.  Events a reader would reject on their
 * own (bad op, string with spaces or '#', count 0, value over the limits,
 * time going backwards) are refused with -EINVAL; the semantic checks of
 * validate.h are the caller's business.  Returns 0 or a negative errno
 * with err filled (event number of ev).
 */
int trace_writer_write(struct trace_writer *w, const struct trace_event *ev,
    struct pg_error *err);

/*
 * trace_writer_write_many() - trace_writer_write() of evs[0..n-1] in
 * order, stopping at the first refusal (the events before it are written;
 * err names the refused one).  The loop of a producer that has its events
 * in an array: one call per batch, not per event.
 */
int trace_writer_write_many(struct trace_writer *w,
    const struct trace_event *evs, size_t n, struct pg_error *err);

/*
 * trace_writer_note() - append a note (docs/trace-format.md "Notes"): a
 * statement about the whole trace that is not an event, such as what the
 * source of an imported trace could not record.  text must pass the rules
 * of a mark (1-255 bytes, no control byte, no '#'); at most TRACE_NOTES_MAX
 * notes per trace.  Returns 0 or -EINVAL with err filled.
 */
int trace_writer_note(struct trace_writer *w, const char *text,
    struct pg_error *err);

/*
 * trace_writer_finish() - write the end of the trace (the binary end
 * record, the end of the zstd frame), flush, and move the file into place.
 * Returns 0, or a negative errno with err filled, in which case no file
 * is left at path.  Only trace_writer_close() may follow.
 */
int trace_writer_finish(struct trace_writer *w, struct pg_error *err);

/*
 * trace_writer_close() - release w; if it was not finished, discard what
 * was written (the temporary file is removed).  w may be NULL.
 */
void trace_writer_close(struct trace_writer *w);

#endif
