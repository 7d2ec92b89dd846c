/*
 * reader.c - open a trace, recognise its format by content and hand the
 * bytes to the text or binary decoder; run the validator on each event.
 */
#include "trace/trace_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Zeroed bytes kept after the data so decoders may read a little past it. */
#define READER_SLACK (2 * TB_RECORD_MAX)

int
reader_fill(struct trace_reader *r, size_t want, struct pg_error *err)
{
	size_t keep = r->end - r->pos;
	ssize_t got;

	/* The binary checksum covers bytes consumed before they move away. */
	if (r->fmt.format == TRACE_FORMAT_BINARY && r->pos > r->sum_pos)
		tb_sum_update(&r->sum, r->buf + r->sum_pos,
		    r->pos - r->sum_pos);
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, keep);
		r->base += r->pos;
		r->pos = 0;
		r->end = keep;
	}
	r->sum_pos = 0;
	if (want > TRACE_BUF_SIZE)
		want = TRACE_BUF_SIZE;
	while (!r->eof && r->end - r->pos < want) {
		got = tsrc_read(&r->src, r->buf + r->end,
		    TRACE_BUF_SIZE - r->end, err);
		if (got < 0)
			return ((int)got);
		if (got == 0)
			r->eof = true;
		r->end += (size_t)got;
	}
	memset(r->buf + r->end, 0, READER_SLACK);
	return (0);
}

static int
reader_open(const char *path, const void *mem, size_t len, const char *name,
    const struct trace_reader_opts *opts, struct trace_reader **out,
    struct pg_error *err)
{
	struct trace_reader *r;
	size_t i, scan;
	int rc;

	*out = NULL;
	if (opts != NULL && opts->name != NULL)
		name = opts->name;
	else if (path != NULL && strcmp(path, "-") == 0)
		name = "<stdin>";
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return (pg_error_setv(err, -ENOMEM, name, PG_POS_NONE, 0,
		    "out of memory"));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->src.fd = -1;
	r->buf = malloc(TRACE_BUF_SIZE + READER_SLACK);
	if (r->buf == NULL) {
		rc = pg_error_setv(err, -ENOMEM, name, PG_POS_NONE, 0,
		    "out of memory");
		goto fail;
	}
	if (opts == NULL || !opts->no_validate) {
		rc = trace_validator_create(&r->val);
		if (rc < 0) {
			pg_error_setv(err, rc, name, PG_POS_NONE, 0,
			    "out of memory");
			goto fail;
		}
	}
	rc = tsrc_open(&r->src, path, mem, len,
	    opts != NULL ? opts->interrupted : NULL, err);
	if (rc < 0)
		goto fail_named;
	r->fmt.compressed = r->src.dctx != NULL;
	rc = reader_fill(r, TB_HEADER_LEN, err);
	if (rc < 0) {
		/* Before the format is known, a byte offset is all we have. */
		if (err != NULL) {
			err->pos_kind = PG_POS_BYTE;
			err->pos = r->src.produced;
		}
		goto fail_named;
	}

	/*
	 * The binary magic starts with a byte no text trace starts with; a
	 * NUL near the start means neither format.
	 */
	if (r->end > 0 && r->buf[0] == (uint8_t)TB_MAGIC[0]) {
		r->fmt.format = TRACE_FORMAT_BINARY;
		rc = bin_reader_init(r, err);
	} else {
		scan = r->end < 512 ? r->end : 512;
		for (i = 0; i < scan; i++)
			if (r->buf[i] == '\0')
				break;
		if (i < scan) {
			rc = pg_error_set(err, r->name, PG_POS_NONE, 0,
			    "unrecognised format: not a text trace "
			    "(\"pgtrace 1\"), a binary trace or zstd");
			goto fail;
		}
		r->fmt.format = TRACE_FORMAT_TEXT;
		rc = text_reader_init(r, err);
	}
	if (rc < 0)
		goto fail;
	*out = r;
	return (0);

fail_named:
	/* tsrc_*() only fill the message; the file name is ours to add. */
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", r->name);
fail:
	trace_reader_close(r);
	return (rc);
}

int
trace_reader_open(const char *path, const struct trace_reader_opts *opts,
    struct trace_reader **out, struct pg_error *err)
{
	return (reader_open(path, NULL, 0, path, opts, out, err));
}

int
trace_reader_open_mem(const void *buf, size_t len, const char *name,
    const struct trace_reader_opts *opts, struct trace_reader **out,
    struct pg_error *err)
{
	return (reader_open(NULL, buf, len, name != NULL ? name : "<memory>",
	    opts, out, err));
}

/* reader_one() - one event by the format's next(), validated; sets status. */
static int
reader_one(struct trace_reader *r, struct trace_event *ev, struct pg_error *err)
{
	int rc = r->next(r, ev, err);

	if (rc == 1) {
		if (r->val == NULL)
			return (1);
		rc = trace_validator_check(r->val, ev, err);
		if (rc == 0)
			return (1);
		trace_reader_where(r, err);
	}
	if (rc == 0) {
		r->status = 1;
		return (0);
	}
	r->status = rc;
	r->saved = *err;
	return (rc);
}

/* reader_ended() - what a reader that has ended or failed returns. */
static int
reader_ended(struct trace_reader *r, struct pg_error *err)
{
	if (r->status > 0)
		return (0);
	*err = r->saved;
	return (r->status);
}

int
trace_reader_next(struct trace_reader *r, struct trace_event *ev,
    struct pg_error *err)
{
	struct pg_error local;

	if (err == NULL)
		err = &local;
	if (r->status != 0)
		return (reader_ended(r, err));
	return (reader_one(r, ev, err));
}

/*
 * reader_pages() - validate the n events pages() decoded.  Returns how
 * many passed; for the first that did not, sets the reader's position,
 * event number and status as reader_one() would have.
 */
static size_t
reader_pages(struct trace_reader *r, const struct trace_event *ev,
    const uint64_t *pos, size_t n)
{
	size_t i;
	int rc;

	if (r->val == NULL)
		return (n);
	i = trace_validator_pages(r->val, ev, n);
	for (; i < n; i++) {
		rc = trace_validator_check(r->val, &ev[i], &r->saved);
		if (rc < 0) {
			r->nevents -= n - i - 1;
			r->ev_pos = pos[i];
			trace_reader_where(r, &r->saved);
			r->status = rc;
			return (i);
		}
	}
	return (n);
}

int
trace_reader_read(struct trace_reader *r, struct trace_event *ev,
    uint64_t *pos, size_t max, struct pg_error *err)
{
	struct pg_error local;
	size_t n = 0, got;
	int rc;

	if (err == NULL)
		err = &local;
	if (r->status != 0)
		return (reader_ended(r, err));
	if (max > INT_MAX)
		max = INT_MAX;
	while (n < max) {
		if (r->pages != NULL) {
			got = r->pages(r, ev + n, pos + n, max - n);
			n += reader_pages(r, ev + n, pos + n, got);
			if (r->status != 0 || n == max)
				break;
		}
		rc = reader_one(r, &ev[n], err);
		if (rc <= 0)
			break;
		pos[n] = r->ev_pos;
		/* The string lives in the reader until the next event. */
		if (ev[n++].str != NULL)
			break;
	}
	if (n > 0)
		return ((int)n);
	return (reader_ended(r, err));
}

struct trace_format_info
trace_reader_format(const struct trace_reader *r)
{
	return (r->fmt);
}

uint64_t
trace_reader_events(const struct trace_reader *r)
{
	return (r->nevents);
}

void
trace_reader_where(const struct trace_reader *r, struct pg_error *e)
{
	if (e == NULL)
		return;
	snprintf(e->file, sizeof(e->file), "%s", r->name);
	e->pos_kind =
	    r->fmt.format == TRACE_FORMAT_TEXT ? PG_POS_LINE : PG_POS_BYTE;
	e->pos = r->ev_pos;
	e->event = r->nevents;
}

uint64_t
trace_reader_pos(const struct trace_reader *r)
{
	return (r->ev_pos);
}

const char *
trace_reader_note(const struct trace_reader *r, unsigned i)
{
	return (i < r->nnotes ? r->notes[i] : NULL);
}

int
trace_note_check(const char *text, size_t len, char *msg, size_t n)
{
	size_t i;

	if (len == 0) {
		snprintf(msg, n, "empty note");
		return (-EINVAL);
	}
	if (len > TRACE_NAME_MAX) {
		snprintf(msg, n, "note is longer than %d bytes",
		    TRACE_NAME_MAX);
		return (-EINVAL);
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f ||
		    text[i] == '#') {
			snprintf(msg, n,
			    "bad byte 0x%02x in note: expected text without "
			    "control bytes or '#'",
			    (unsigned char)text[i]);
			return (-EINVAL);
		}
	}
	if (text[0] == ' ' || text[len - 1] == ' ') {
		snprintf(msg, n, "note starts or ends with a blank");
		return (-EINVAL);
	}
	return (0);
}

int
trace_note_add(struct trace_reader *r, const char *text, size_t len)
{
	if (r->nnotes >= TRACE_NOTES_MAX)
		return (-ENOSPC);
	memcpy(r->notes[r->nnotes], text, len);
	r->notes[r->nnotes][len] = '\0';
	r->nnotes++;
	return (0);
}

void
trace_reader_input(const struct trace_reader *r, uint64_t *done,
    uint64_t *size)
{
	struct stat st;

	*done = r->src.dctx != NULL ? r->src.zread : r->base + r->pos;
	if (r->src.fd < 0)
		*size = r->src.mem_len;
	else if (fstat(r->src.fd, &st) == 0 && S_ISREG(st.st_mode))
		*size = (uint64_t)st.st_size;
	else
		*size = 0;
}

bool
trace_reader_stats(const struct trace_reader *r,
    struct trace_validator_stats *st)
{
	if (r->val == NULL)
		return (false);
	trace_validator_stats(r->val, st);
	return (true);
}

void
trace_reader_close(struct trace_reader *r)
{
	if (r == NULL)
		return;
	tsrc_close(&r->src);
	trace_validator_destroy(r->val);
	free(r->buf);
	free(r);
}
