/*
 * reader.h - read a trace, text or binary, plain or zstd-compressed.
 *
 * The format is recognised by content, never by file name: a zstd frame
 * is decompressed and its content examined; the binary magic selects the
 * binary decoder; anything else is read as text ("pgtrace 1").  Reading
 * streams with fixed buffers: memory does not grow with the trace length.
 *
 * Typical use:
 *
 *	struct trace_reader *r;
 *	struct trace_event ev;
 *	struct pg_error err;
 *	int rc;
 *
 *	if (trace_reader_open(path, NULL, &r, &err) < 0)
 *		fail(&err);
 *	while ((rc = trace_reader_next(r, &ev, &err)) == 1)
 *		use(&ev);
 *	trace_reader_close(r);
 *	if (rc < 0)
 *		fail(&err);
 *
 * A reader is not thread-safe; distinct readers are independent.
 */
#ifndef PGREPLAY_TRACE_READER_H
#define PGREPLAY_TRACE_READER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "trace/event.h"
#include "util/pgerr.h"

struct trace_reader;

/* Options; a zeroed struct (or NULL) gives the defaults. */
struct trace_reader_opts {
	/*
	 * Skip the semantic checks of validate.h (the caller runs its own
	 * trace_validator, or only wants the syntax checked).  Syntax, limits
	 * and non-decreasing time are always checked.
	 */
	bool no_validate;
	/* Name for error messages instead of the path ("-" gives "<stdin>"). */
	const char *name;
	/*
	 * If not NULL: a read interrupted by a signal while *interrupted is
	 * non-zero fails with -EINTR instead of being retried, so that a
	 * program reading a pipe can stop on SIGINT without waiting for more
	 * input.  The caller's signal handler sets it (without SA_RESTART).
	 */
	volatile sig_atomic_t *interrupted;
};

/* What trace_reader_format() reports. */
struct trace_format_info {
	enum trace_format format;
	bool compressed;  /* the input was zstd-compressed */
	unsigned version; /* the format version from the header */
};

/*
 * trace_reader_open() - open path ("-" is standard input) and recognise its
 * format.  On success returns 0 and *out owns the file until
 * trace_reader_close().  On failure returns a negative errno, *out is NULL
 * and err says why (-ENOENT etc. for I/O, -EINVAL for an unrecognised or
 * corrupt header, -ENOMEM).
 */
int trace_reader_open(const char *path, const struct trace_reader_opts *opts,
    struct trace_reader **out, struct pg_error *err);

/*
 * trace_reader_open_mem() - as trace_reader_open(), reading the len bytes at
 * buf, which must stay valid and unchanged until trace_reader_close().
 * name is used in error messages.
 */
int trace_reader_open_mem(const void *buf, size_t len, const char *name,
    const struct trace_reader_opts *opts, struct trace_reader **out,
    struct pg_error *err);

/*
 * trace_reader_next() - decode the next event into *ev.
 * Returns 1 when *ev holds an event, 0 at the end of the trace (the binary
 * end record has been checked), or a negative errno with err filled: file,
 * line (text) or byte offset in the decompressed stream and event number
 * (binary), and what was expected.  Strings in *ev stay valid until the
 * next call.  After an error or the end, further calls return the same.
 */
int trace_reader_next(struct trace_reader *r, struct trace_event *ev,
    struct pg_error *err);

/*
 * trace_reader_read() - decode up to max events into ev[], and into pos[]
 * the position of each (what trace_reader_pos() says after it): the same
 * events as as many calls of trace_reader_next(), at a fraction of the
 * cost per event.  Returns how many (at least 1), 0 at the end of the
 * trace, or a negative errno with err filled.  An error after some events
 * ends the batch before the bad one; the next call returns it.  Only the
 * last event of a batch may carry a string, valid until the next call.
 */
int trace_reader_read(struct trace_reader *r, struct trace_event *ev,
    uint64_t *pos, size_t max, struct pg_error *err);

/*
 * trace_reader_format() - the format of the open trace.  Valid right after
 * trace_reader_open().
 */
struct trace_format_info trace_reader_format(const struct trace_reader *r);

/*
 * trace_reader_events() - how many events have been decoded: those
 * trace_reader_next() returned, plus one the validator refused (the event
 * number an error names).
 */
uint64_t trace_reader_events(const struct trace_reader *r);

/*
 * trace_reader_where() - set e's file, position and event number to those
 * of the last event returned (file:line for text, byte offset and event
 * number for binary), leaving e->msg alone.  Lets a later stage (the
 * validator, the simulator) report "FILE:LINE: problem" for an event.
 */
void trace_reader_where(const struct trace_reader *r, struct pg_error *e);

/*
 * trace_reader_pos() - the position of the event last returned: what
 * trace_reader_where() puts in e->pos, without formatting the file name
 * (for a loop that runs once per event).
 */
uint64_t trace_reader_pos(const struct trace_reader *r);

/*
 * trace_reader_input() - how far through its input r is, for progress
 * lines: *done is the number of input bytes consumed (compressed bytes
 * for a zstd input, so that it compares with the file size), *size the
 * size of the input, or 0 when it is not known (a pipe, a terminal).
 */
void trace_reader_input(const struct trace_reader *r, uint64_t *done,
    uint64_t *size);

/*
 * trace_reader_note() - the i-th note read so far (0-based), or NULL when
 * fewer than i+1 notes have been read.  Notes are statements about the
 * whole trace (what its source could not record); they are not events and
 * may sit anywhere in the stream, so they are complete only once
 * trace_reader_next() has returned 0.  The string lives as long as r.
 */
const char *trace_reader_note(const struct trace_reader *r, unsigned i);

/*
 * trace_reader_stats() - the validator's totals over the events decoded
 * so far (validate.h).  Returns false, leaving *st alone, when r was
 * opened with no_validate.
 */
struct trace_validator_stats;
bool trace_reader_stats(const struct trace_reader *r,
    struct trace_validator_stats *st);

/* trace_reader_close() - release r and its file.  r may be NULL. */
void trace_reader_close(struct trace_reader *r);

#endif
