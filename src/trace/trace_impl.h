/*
 * trace_impl.h - what the readers and writers of src/trace/ share
 * (private: nothing outside src/trace/ includes it).
 */
#ifndef PGREPLAY_TRACE_IMPL_H
#define PGREPLAY_TRACE_IMPL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <zstd.h>

#include "trace/binfmt.h"
#include "trace/event.h"
#include "trace/reader.h"
#include "trace/validate.h"
#include "util/pgerr.h"

/* Longest text line accepted; longer ones are refused, not allocated for. */
#define TRACE_LINE_MAX 4096
/* Largest zstd window a compressed trace may need: 2^27 = 128 MiB. */
#define TRACE_ZSTD_WINDOW_LOG_MAX 27
/* The reader's buffer: room for many lines or binary records at once. */
#define TRACE_BUF_SIZE (256 * 1024)

#define ZSTD_MAGIC_LE 0xFD2FB528u

/*
 * A byte source: a file descriptor or a memory block, transparently
 * decompressed when it starts with a zstd frame.
 */
struct tsrc {
	int fd; /* -1 when reading memory */
	bool close_fd;
	const uint8_t *mem;
	size_t mem_len, mem_pos;
	uint8_t peek[4]; /* raw bytes read to recognise zstd */
	size_t npeek, peek_pos;
	bool raw_eof;
	ZSTD_DCtx *dctx; /* non-NULL for zstd input */
	uint8_t *zin;
	size_t zin_len, zin_pos;
	size_t zret; /* last ZSTD_decompressStream() hint; 0 = frame done */
	uint64_t produced; /* decompressed bytes, for error positions */
	volatile sig_atomic_t *interrupted; /* trace_reader_opts.interrupted */
	uint64_t zread; /* compressed bytes read for zstd, magic included */
};

/* tsrc_open() - open path ("-" = stdin) or memory (path NULL); detects zstd. */
int tsrc_open(struct tsrc *s, const char *path, const void *mem, size_t len,
    volatile sig_atomic_t *interrupted, struct pg_error *err);
/* tsrc_read() - up to n decompressed bytes; 0 at the end, <0 with err->msg. */
ssize_t tsrc_read(struct tsrc *s, uint8_t *buf, size_t n, struct pg_error *err);
void tsrc_close(struct tsrc *s);

struct trace_reader {
	struct tsrc src;
	char name[PG_ERROR_FILE_MAX];
	struct trace_format_info fmt;
	int (*next)(struct trace_reader *, struct trace_event *,
	    struct pg_error *);
	/*
	 * The format's run of events that need no checks of their own
	 * (binary page ops), or NULL: decodes up to max of them, stopping
	 * before the first it cannot take, which next() then decodes.
	 */
	size_t (*pages)(struct trace_reader *, struct trace_event *,
	    uint64_t *, size_t);
	struct trace_validator *val;

	/* Decompressed input: [pos, end) is unread; slack after end is zero. */
	uint8_t *buf;
	size_t pos, end;
	bool eof;
	uint64_t base; /* stream offset of buf[0] */

	uint64_t nevents; /* events returned */
	uint64_t ev_pos;  /* line (text) or byte offset (binary) of the last */
	int status;	  /* 0 running, 1 ended, <0 failed */
	struct pg_error saved; /* the error to repeat after a failure */

	uint64_t time; /* time of the last event */

	/* Notes read so far (text "#@note TEXT" lines, binary f8 records). */
	char notes[TRACE_NOTES_MAX][TRACE_NAME_MAX + 1];
	unsigned nnotes;

	/* text */
	uint64_t line;
	bool have_header;

	/* binary */
	struct tb_sum sum;
	size_t sum_pos; /* buf[sum_pos, pos) is consumed, not yet summed */
	uint64_t step;	/* the current time step */
	char str[TRACE_NAME_MAX + 1];
	struct tb_stream stream;
};

/* reader_fill() - move unread bytes to the front and read until want are
 * available or the input ends.  Returns 0 or <0 with err filled (by pos). */
int reader_fill(struct trace_reader *r, size_t want, struct pg_error *err);

int text_reader_init(struct trace_reader *r, struct pg_error *err);
int bin_reader_init(struct trace_reader *r, struct pg_error *err);

/*
 * trace_event_check() - the checks any single event must pass whatever
 * its source: known op and type, count >= 1, values within TRACE_PAGES_MAX,
 * strings present where required and made of token characters.  Returns 0,
 * or -EINVAL with a sentence in msg.
 */
int trace_event_check(const struct trace_event *ev, char *msg, size_t n);

/*
 * trace_page_range_ok() - the page-op rule of trace_event_check(): COUNT
 * in 1 .. TRACE_PAGES_MAX and PINDEX + COUNT within TRACE_PAGES_MAX.  One
 * test without overflow, so that the writer's fast path and the checker
 * share it.
 */
static inline bool
trace_page_range_ok(uint64_t pindex, uint64_t count)
{
	return (count - 1 < TRACE_PAGES_MAX && pindex < TRACE_PAGES_MAX &&
	    count <= TRACE_PAGES_MAX - pindex);
}

/*
 * trace_note_check() - whether text is a valid note: 1 to TRACE_NAME_MAX
 * bytes, printable, no '#', not starting or ending with a blank.  Returns 0,
 * or -EINVAL with a sentence in msg.
 */
int trace_note_check(const char *text, size_t len, char *msg, size_t n);

/* trace_note_add() - store a checked note in r; -ENOSPC when r is full. */
int trace_note_add(struct trace_reader *r, const char *text, size_t len);

/* trace_op_parse() - the op named by s (len bytes), or -1. */
int trace_op_parse(const char *s, size_t len);
/* trace_objtype_parse() - the object type named by s, or -1. */
int trace_objtype_parse(const char *s, size_t len);

#endif
