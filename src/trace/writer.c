/*
 * writer.c - the text and binary trace writers, through an optional zstd
 * stream, into an outfile (util/outfile.h): a temporary file renamed into
 * place at the end, or a device, FIFO or standard output written as it goes.
 */
#include "trace/writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace_impl.h"
#include "util/outfile.h"

#define WBUF_SIZE (128 * 1024)
/* Room for one more record of either format before a flush is forced. */
#define WBUF_SLACK (TRACE_LINE_MAX + 2 * TRACE_NAME_MAX)

struct trace_writer {
	struct trace_writer_opts opts;
	char name[PG_ERROR_FILE_MAX]; /* for messages */
	struct outfile *of;	      /* NULL once finished or closed */
	bool finished;
	ZSTD_CCtx *cctx;
	uint8_t *buf; /* encoded, not yet compressed/written */
	size_t len;
	size_t sum_pos; /* buf[0, sum_pos) is in the checksum */
	bool sum_done;
	uint8_t *zbuf;
	size_t zcap;
	uint64_t nevents;
	unsigned nnotes;
	uint64_t time;
	uint64_t step; /* binary: the current time step */
	struct tb_sum sum;
	struct tb_stream stream;
};

static int werr(struct trace_writer *w, struct pg_error *err, int rc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
werr(struct trace_writer *w, struct pg_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = pg_error_vset(err, rc, w->name, PG_POS_NONE, 0, fmt, ap);
	va_end(ap);
	return (rc);
}

static int
write_all(struct trace_writer *w, const uint8_t *p, size_t n,
    struct pg_error *err)
{
	return (outfile_write(w->of, p, n, err));
}

/* flush() - push buf through zstd (if any) to the file; end the frame if last.
 */
static int
flush(struct trace_writer *w, bool last, struct pg_error *err)
{
	ZSTD_inBuffer in = { w->buf, w->len, 0 };
	ZSTD_outBuffer out;
	size_t ret;
	int rc;

	if (w->opts.format == TRACE_FORMAT_BINARY && !w->sum_done)
		tb_sum_update(&w->sum, w->buf + w->sum_pos,
		    w->len - w->sum_pos);
	w->sum_pos = 0;
	if (w->cctx == NULL) {
		rc = write_all(w, w->buf, w->len, err);
		w->len = 0;
		return (rc);
	}
	for (;;) {
		out = (ZSTD_outBuffer) { w->zbuf, w->zcap, 0 };
		ret = ZSTD_compressStream2(w->cctx, &out, &in,
		    last ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(ret))
			return (werr(w, err, -EIO, "zstd: %s",
			    ZSTD_getErrorName(ret)));
		if ((rc = write_all(w, w->zbuf, out.pos, err)) < 0)
			return (rc);
		if (last ? ret == 0 : in.pos == in.size)
			break;
	}
	w->len = 0;
	return (0);
}

static bool
writer_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return (n > k && strcmp(s + n - k, suffix) == 0);
}

bool
trace_writer_format_for(const char *path, struct trace_writer_opts *opts)
{
	bool zstd = writer_ends_with(path, ".zst");

	if (writer_ends_with(path, zstd ? ".pgt.zst" : ".pgt"))
		opts->format = TRACE_FORMAT_TEXT;
	else if (writer_ends_with(path, zstd ? ".pgb.zst" : ".pgb"))
		opts->format = TRACE_FORMAT_BINARY;
	else
		return (false);
	opts->zstd = zstd;
	return (true);
}

int
trace_writer_open(const char *path, const struct trace_writer_opts *opts,
    struct trace_writer **out, struct pg_error *err)
{
	struct outfile_opts oo = { 0 };
	struct trace_writer *w;
	int rc, level;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	if (opts != NULL)
		w->opts = *opts;
	snprintf(w->name, sizeof(w->name), "%s",
	    strcmp(path, "-") == 0 ? "<stdout>" : path);
	w->buf = malloc(WBUF_SIZE + WBUF_SLACK);
	if (w->buf == NULL)
		goto nomem;
	if (w->opts.zstd) {
		w->zcap = ZSTD_CStreamOutSize();
		w->zbuf = malloc(w->zcap);
		w->cctx = ZSTD_createCCtx();
		if (w->zbuf == NULL || w->cctx == NULL)
			goto nomem;
		level = w->opts.zstd_level != 0 ? w->opts.zstd_level : 3;
		if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx,
			ZSTD_c_compressionLevel, level)) ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx,
			ZSTD_c_checksumFlag, 1))) {
			rc = werr(w, err, -EINVAL, "bad zstd level %d", level);
			goto fail;
		}
	}

	oo.interrupted = w->opts.interrupted;
	oo.name = w->name;
	if ((rc = outfile_open(path, &oo, &w->of, err)) < 0)
		goto fail;

	if (w->opts.format == TRACE_FORMAT_BINARY) {
		tb_sum_init(&w->sum);
		memcpy(w->buf, TB_MAGIC, TB_MAGIC_LEN);
		memset(w->buf + TB_MAGIC_LEN, 0, TB_HEADER_LEN - TB_MAGIC_LEN);
		w->buf[8] = TB_VERSION & 0xff;
		w->buf[9] = TB_VERSION >> 8;
		w->len = TB_HEADER_LEN;
	} else {
		memcpy(w->buf, "pgtrace 1\n", 10);
		w->len = 10;
	}
	*out = w;
	return (0);
nomem:
	rc = werr(w, err, -ENOMEM, "out of memory");
fail:
	trace_writer_close(w);
	return (rc);
}

static char *
put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return (p);
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return (p + n);
}

static void
encode_text(struct trace_writer *w, const struct trace_event *ev)
{
	char *p = (char *)w->buf + w->len;
	char t[32];

	p = put_str(p, trace_time_format(ev->time_ns, t, sizeof(t)));
	*p++ = ' ';
	p = put_str(p, trace_op_name(ev->op));
	switch (ev->op) {
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		*p++ = ' ';
		p = put_u64(p, ev->count);
		break;
	case TRACE_OP_MARK:
		*p++ = ' ';
		p = put_str(p, ev->str);
		break;
	default:
		*p++ = ' ';
		p = put_u64(p, ev->pid);
		if (ev->op == TRACE_OP_PROC) {
			*p++ = ' ';
			p = put_str(p, ev->str);
			break;
		}
		if (ev->op == TRACE_OP_EXIT)
			break;
		*p++ = ' ';
		p = put_u64(p, ev->obj);
		if (ev->op == TRACE_OP_UNMAP)
			break;
		*p++ = ' ';
		if (ev->op == TRACE_OP_MAP) {
			p = put_str(p, trace_objtype_name(ev->objtype));
			*p++ = ' ';
			p = put_u64(p, ev->count);
			if (ev->str != NULL) {
				*p++ = ' ';
				p = put_str(p, ev->str);
			}
			break;
		}
		p = put_u64(p, ev->pindex);
		if (ev->count != 1) {
			*p++ = ' ';
			p = put_u64(p, ev->count);
		}
		break;
	}
	*p++ = '\n';
	w->len = (size_t)(p - (char *)w->buf);
}

static uint8_t *
put_bstr(uint8_t *p, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	p = tb_put_varint(p, n);
	memcpy(p, s != NULL ? s : "", n);
	return (p + n);
}

/*
 * encode_page() - a page op (fault ... unwire), already checked.  The
 * generator's hot path: one call per event, no error work.
 */
static inline void
encode_page(struct trace_writer *w, const struct trace_event *ev)
{
	uint8_t *p = w->buf + w->len, *tagp = p++;
	uint64_t dt = ev->time_ns - w->time, zz;
	struct tb_stream *s = &w->stream;
	unsigned tmode, form, v;
	bool same; /* ev is on the current stream */

	if (dt == 0) {
		tmode = TB_TIME_ZERO;
	} else if (dt == w->step) {
		tmode = TB_TIME_STEP;
	} else {
		tmode = TB_TIME_NEW;
		w->step = dt;
		p = tb_put_varint(p, dt);
	}
	v = 0;
	same = s->cur != NULL && s->cur->pid == ev->pid &&
	    s->cur->obj == ev->obj;
	if (!same || ev->count != 1) {
		form = TB_FORM_EXT;
		if (!same) {
			v |= TB_EXT_S;
			tb_stream_switch(s, ev->pid, ev->obj);
			p = tb_put_varint(p, ev->pid);
			p = tb_put_varint(p, ev->obj);
		}
		if (ev->count != 1) {
			v |= TB_EXT_C;
			p = tb_put_varint(p, ev->count);
		}
		p = tb_put_varint(p,
		    tb_zigzag((int64_t)(ev->pindex - s->cur->next)));
	} else {
		zz = tb_zigzag((int64_t)(ev->pindex - s->cur->next));
		if (zz < 4) {
			form = TB_FORM_SEQ;
			v = (unsigned)zz;
		} else if (zz < 1024) {
			form = TB_FORM_NEAR;
			v = (unsigned)(zz & 3);
			*p++ = (uint8_t)(zz >> 2);
		} else if (ev->pindex < (1u << 18)) {
			form = TB_FORM_ABS;
			v = (unsigned)(ev->pindex & 3);
			*p++ = (uint8_t)(ev->pindex >> 2);
			*p++ = (uint8_t)(ev->pindex >> 10);
		} else {
			form = TB_FORM_EXT;
			p = tb_put_varint(p, zz);
		}
	}
	s->cur->next = ev->pindex + ev->count;
	*tagp = TB_PAGE_TAG(ev->op - TRACE_OP_FAULT, tmode, form, v);
	w->len = (size_t)(p - w->buf);
}

static void
encode_binary(struct trace_writer *w, const struct trace_event *ev)
{
	uint8_t *p = w->buf + w->len, *tagp = p++;
	uint64_t dt = ev->time_ns - w->time;

	if (ev->op >= TRACE_OP_FAULT && ev->op <= TRACE_OP_UNWIRE) {
		encode_page(w, ev);
		return;
	}

	switch (ev->op) {
	case TRACE_OP_PROC:
		*tagp = TB_TAG(TB_KIND_PROC);
		p = tb_put_varint(p, dt);
		p = tb_put_varint(p, ev->pid);
		p = put_bstr(p, ev->str);
		break;
	case TRACE_OP_EXIT:
		*tagp = TB_TAG(TB_KIND_EXIT);
		p = tb_put_varint(p, dt);
		p = tb_put_varint(p, ev->pid);
		break;
	case TRACE_OP_MAP:
		*tagp = TB_TAG(TB_KIND_MAP);
		p = tb_put_varint(p, dt);
		p = tb_put_varint(p, ev->pid);
		p = tb_put_varint(p, ev->obj);
		*p++ = ev->objtype;
		p = tb_put_varint(p, ev->count);
		p = put_bstr(p, ev->str);
		break;
	case TRACE_OP_UNMAP:
		*tagp = TB_TAG(TB_KIND_UNMAP);
		p = tb_put_varint(p, dt);
		p = tb_put_varint(p, ev->pid);
		p = tb_put_varint(p, ev->obj);
		break;
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		*tagp = TB_TAG(ev->op == TRACE_OP_SWAPON ? TB_KIND_SWAPON :
							   TB_KIND_SWAPOFF);
		p = tb_put_varint(p, dt);
		p = tb_put_varint(p, ev->count);
		break;
	default:
		*tagp = TB_TAG(TB_KIND_MARK);
		p = tb_put_varint(p, dt);
		p = put_bstr(p, ev->str);
		break;
	}
	w->len = (size_t)(p - w->buf);
}

/*
 * write_checked() - trace_writer_write() of an event the fast path did
 * not take: checked, with a message for what is wrong.  Out of line, so
 * that its message buffers cost the fast path no stack frame.
 */
static __attribute__((noinline)) int
write_checked(struct trace_writer *w, const struct trace_event *ev,
    struct pg_error *err)
{
	char msg[PG_ERROR_MSG_MAX], a[32], b[32];
	int rc;

	if (w->finished)
		return (werr(w, err, -EINVAL, "write after finish"));
	if (trace_event_check(ev, msg, sizeof(msg)) < 0)
		return (werr(w, err, -EINVAL, "event %" PRIu64 ": %s",
		    w->nevents + 1, msg));
	if (ev->time_ns < w->time)
		return (werr(w, err, -EINVAL,
		    "event %" PRIu64 ": time %s goes "
		    "backwards: the previous event is at %s",
		    w->nevents + 1,
		    trace_time_format(ev->time_ns, a, sizeof(a)),
		    trace_time_format(w->time, b, sizeof(b))));
	if (w->opts.format == TRACE_FORMAT_BINARY)
		encode_binary(w, ev);
	else
		encode_text(w, ev);
	w->time = ev->time_ns;
	w->nevents++;
	if (w->len >= WBUF_SIZE && (rc = flush(w, false, err)) < 0)
		return (rc);
	return (0);
}

/*
 * The fast path: a binary page op that passes the checks of
 * trace_event_check() and keeps time in order goes straight to the
 * encoder; anything else takes the checked path, which says what is
 * wrong.  binary_open() holds for a whole batch, fast_event() is per event.
 */
static inline bool
binary_open(const struct trace_writer *w)
{
	return (w->opts.format == TRACE_FORMAT_BINARY && !w->finished);
}

static inline bool
fast_event(const struct trace_writer *w, const struct trace_event *ev)
{
	return ((unsigned)(ev->op - TRACE_OP_FAULT) < TB_PAGE_OPS &&
	    ev->time_ns >= w->time &&
	    trace_page_range_ok(ev->pindex, ev->count));
}

static inline int
write_fast(struct trace_writer *w, const struct trace_event *ev,
    struct pg_error *err)
{
	encode_page(w, ev);
	w->time = ev->time_ns;
	w->nevents++;
	if (w->len >= WBUF_SIZE)
		return (flush(w, false, err));
	return (0);
}

int
trace_writer_write(struct trace_writer *w, const struct trace_event *ev,
    struct pg_error *err)
{
	if (binary_open(w) && fast_event(w, ev))
		return (write_fast(w, ev, err));
	return (write_checked(w, ev, err));
}

int
trace_writer_write_many(struct trace_writer *w,
    const struct trace_event *evs, size_t n, struct pg_error *err)
{
	const struct trace_event *ev, *end = evs + n;
	bool fast = binary_open(w);
	int rc;

	for (ev = evs; ev < end; ev++) {
		rc = fast && fast_event(w, ev) ? write_fast(w, ev, err) :
		    write_checked(w, ev, err);
		if (rc < 0)
			return (rc);
	}
	return (0);
}

int
trace_writer_note(struct trace_writer *w, const char *text,
    struct pg_error *err)
{
	char msg[PG_ERROR_MSG_MAX];
	size_t n = strlen(text);
	uint8_t *p;
	int rc;

	if (w->finished)
		return (werr(w, err, -EINVAL, "write after finish"));
	if (trace_note_check(text, n, msg, sizeof(msg)) < 0)
		return (werr(w, err, -EINVAL, "%s", msg));
	if (w->nnotes >= TRACE_NOTES_MAX)
		return (werr(w, err, -EINVAL, "more than %d notes",
		    TRACE_NOTES_MAX));
	p = w->buf + w->len;
	if (w->opts.format == TRACE_FORMAT_BINARY) {
		*p++ = TB_TAG(TB_KIND_NOTE);
		p = put_bstr(p, text);
	} else {
		memcpy(p, "#@note ", 7);
		memcpy(p + 7, text, n);
		p += 7 + n;
		*p++ = '\n';
	}
	w->len = (size_t)(p - w->buf);
	w->nnotes++;
	if (w->len >= WBUF_SIZE && (rc = flush(w, false, err)) < 0)
		return (rc);
	return (0);
}

int
trace_writer_finish(struct trace_writer *w, struct pg_error *err)
{
	uint64_t sum;
	uint8_t *p;
	int i, rc;

	if (w->finished)
		return (werr(w, err, -EINVAL, "finished twice"));
	w->finished = true;
	if (w->opts.format == TRACE_FORMAT_BINARY) {
		p = w->buf + w->len;
		*p++ = TB_TAG_END;
		p = tb_put_varint(p, w->nevents);
		p = tb_put_varint(p, w->time);
		w->len = (size_t)(p - w->buf);
		tb_sum_update(&w->sum, w->buf + w->sum_pos,
		    w->len - w->sum_pos);
		w->sum_done = true;
		sum = tb_sum_final(&w->sum);
		for (i = 0; i < 8; i++)
			*p++ = (uint8_t)(sum >> (8 * i));
		w->len = (size_t)(p - w->buf);
	}
	/* On failure trace_writer_close() removes the temporary file. */
	if ((rc = flush(w, true, err)) < 0)
		return (rc);
	rc = outfile_commit(w->of, err);
	w->of = NULL;
	return (rc);
}

void
trace_writer_close(struct trace_writer *w)
{
	if (w == NULL)
		return;
	outfile_abort(w->of);
	ZSTD_freeCCtx(w->cctx);
	free(w->zbuf);
	free(w->buf);
	free(w);
}
