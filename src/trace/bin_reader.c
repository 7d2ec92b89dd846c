/*
 * bin_reader.c - the binary trace decoder (layout in binfmt.h and
 * docs/trace-format.md).  The page ops take a short path with no bounds
 * checks: the buffer always holds TB_RECORD_MAX bytes or the rest of the
 * stream followed by zeros, and a record that ran into the zeros is
 * reported as truncated afterwards.
 */
#include "trace/trace_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bin_error(struct trace_reader *r, struct pg_error *err, uint64_t off,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
bin_error(struct trace_reader *r, struct pg_error *err, uint64_t off,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vset(err, -EINVAL, r->name, PG_POS_BYTE, off, fmt, ap);
	va_end(ap);
	err->event = r->nevents + 1;
	return (-EINVAL);
}

/* A tsrc error (I/O, zstd) gets the position the decoder had reached. */
static int
bin_fill(struct trace_reader *r, size_t want, struct pg_error *err)
{
	int rc = reader_fill(r, want, err);

	if (rc < 0) {
		snprintf(err->file, sizeof(err->file), "%s", r->name);
		err->pos_kind = PG_POS_BYTE;
		err->pos =
		    r->src.dctx != NULL ? r->src.produced : r->base + r->end;
		err->event = r->nevents + 1;
	}
	return (rc);
}

#define VARINT(p, v)                                         \
	do {                                                 \
		if (((p) = tb_get_varint((p), (v))) == NULL) \
			goto overflow;                       \
	} while (0)

static int
bin_string(struct trace_reader *r, const uint8_t **pp, const char *what,
    uint64_t off, bool optional, struct pg_error *err)
{
	const uint8_t *p = *pp;
	uint64_t len;

	if ((p = tb_get_varint(p, &len)) == NULL)
		return (bin_error(r, err, off, "varint overflow"));
	/*
	 * The buffer is padded with zeros past the end of the stream: a
	 * record cut short reads them as fields.  Say it is cut short, not
	 * that its (padding) fields are wrong.
	 */
	if (p > r->buf + r->end)
		return (bin_error(r, err, off,
		    "truncated record: the stream "
		    "ends inside it"));
	if (len > TRACE_NAME_MAX)
		return (bin_error(r, err, off,
		    "%s length %" PRIu64 " exceeds %d "
		    "bytes",
		    what, len, TRACE_NAME_MAX));
	if (len > (uint64_t)(r->buf + r->end - p))
		return (bin_error(r, err, off,
		    "truncated record: the stream "
		    "ends inside it"));
	if (len == 0 && !optional)
		return (bin_error(r, err, off, "empty %s", what));
	memcpy(r->str, p, len);
	r->str[len] = '\0';
	if (memchr(r->str, '\0', len) != NULL)
		return (bin_error(r, err, off, "NUL byte in %s", what));
	*pp = p + len;
	return (0);
}

static int
bin_end(struct trace_reader *r, const uint8_t *p, uint64_t off,
    struct pg_error *err)
{
	uint64_t count, last, want;
	const uint8_t *sum_at;

	VARINT(p, &count);
	VARINT(p, &last);
	if (p + 8 > r->buf + r->end)
		return (bin_error(r, err, off, "truncated end record"));
	if (count != r->nevents)
		return (bin_error(r, err, off,
		    "end record counts %" PRIu64
		    " events, the stream holds %" PRIu64 ": events are missing "
		    "or were added",
		    count, r->nevents));
	if (last != r->time)
		return (bin_error(r, err, off,
		    "end record's last time %" PRIu64
		    " ns differs from the stream's %" PRIu64 " ns",
		    last, r->time));
	sum_at = p;
	tb_sum_update(&r->sum, r->buf + r->sum_pos,
	    (size_t)(sum_at - (r->buf + r->sum_pos)));
	r->sum_pos = (size_t)(sum_at - r->buf);
	want = tb_le64(sum_at);
	if (want != tb_sum_final(&r->sum))
		return (bin_error(r, err, off,
		    "checksum mismatch: the stream "
		    "is corrupt"));
	r->pos = (size_t)(sum_at + 8 - r->buf);
	r->sum_pos = r->pos;
	if (r->pos == r->end && !r->eof) {
		if (bin_fill(r, 1, err) < 0)
			return (-EINVAL);
	}
	if (r->pos != r->end)
		return (bin_error(r, err, r->base + r->pos,
		    "trailing data after "
		    "the end record"));
	return (0);
overflow:
	return (bin_error(r, err, off, "varint overflow in the end record"));
}

/*
 * bin_note() - a note record: stored, not an event.  Returns 2 so that
 * bin_next() goes on to the next record.
 */
static int
bin_note(struct trace_reader *r, const uint8_t *p, uint64_t off,
    struct pg_error *err)
{
	char msg[PG_ERROR_MSG_MAX];
	uint64_t len;

	if ((p = tb_get_varint(p, &len)) == NULL)
		return (bin_error(r, err, off, "varint overflow"));
	if (len > TRACE_NAME_MAX)
		return (bin_error(r, err, off,
		    "note length %" PRIu64 " exceeds %d bytes", len,
		    TRACE_NAME_MAX));
	if (len > (uint64_t)(r->buf + r->end - p))
		return (bin_error(r, err, off,
		    "truncated record: the stream ends inside it"));
	if (trace_note_check((const char *)p, (size_t)len, msg, sizeof(msg)) <
	    0)
		return (bin_error(r, err, off, "%s", msg));
	if (trace_note_add(r, (const char *)p, (size_t)len) < 0)
		return (bin_error(r, err, off, "more than %d notes",
		    TRACE_NOTES_MAX));
	r->pos = (size_t)(p + len - r->buf);
	return (2);
}

/* bin_other() - every record but the page ops: rare, so checked with care. */
static int
bin_other(struct trace_reader *r, struct trace_event *ev, uint8_t tag,
    uint64_t off, struct pg_error *err)
{
	const uint8_t *p;
	uint64_t dt, v, type;
	unsigned kind = tag - TB_PAGE_TAGS;
	char msg[PG_ERROR_MSG_MAX];
	int rc;

	if (!r->eof && r->end - r->pos < TB_RECORD_MAX + TRACE_NAME_MAX + 1) {
		rc = bin_fill(r, TB_RECORD_MAX + TRACE_NAME_MAX + 1, err);
		if (rc < 0)
			return (rc);
	}
	p = r->buf + r->pos + 1;
	if (kind == TB_KIND_END)
		return (bin_end(r, p, off, err));
	if (kind == TB_KIND_NOTE)
		return (bin_note(r, p, off, err));
	if (kind > TB_KIND_MARK)
		return (bin_error(r, err, off,
		    "bad record tag 0x%02x: unknown "
		    "op",
		    tag));

	VARINT(p, &dt);
	ev->pid = 0;
	ev->obj = 0;
	ev->pindex = 0;
	ev->count = 0;
	ev->objtype = 0;
	ev->str = NULL;
	switch (kind) {
	case TB_KIND_PROC:
	case TB_KIND_EXIT:
	case TB_KIND_MAP:
	case TB_KIND_UNMAP:
		VARINT(p, &v);
		if (v > UINT32_MAX)
			return (bin_error(r, err, off,
			    "pid %" PRIu64 " exceeds "
			    "32 bits",
			    v));
		ev->pid = (uint32_t)v;
		break;
	default:
		break;
	}
	switch (kind) {
	case TB_KIND_PROC:
		ev->op = TRACE_OP_PROC;
		if ((rc = bin_string(r, &p, "process name", off, false, err)) <
		    0)
			return (rc);
		ev->str = r->str;
		break;
	case TB_KIND_EXIT:
		ev->op = TRACE_OP_EXIT;
		break;
	case TB_KIND_MAP:
		ev->op = TRACE_OP_MAP;
		VARINT(p, &ev->obj);
		type = *p++;
		if (p > r->buf + r->end)
			return (bin_error(r, err, off,
			    "truncated record: the stream "
			    "ends inside it"));
		if (type >= TRACE_OBJ_COUNT)
			return (bin_error(r, err, off,
			    "bad object type %" PRIu64, type));
		ev->objtype = (uint8_t)type;
		VARINT(p, &ev->count);
		if ((rc = bin_string(r, &p, "path", off, true, err)) < 0)
			return (rc);
		ev->str = r->str[0] != '\0' ? r->str : NULL;
		break;
	case TB_KIND_UNMAP:
		ev->op = TRACE_OP_UNMAP;
		VARINT(p, &ev->obj);
		break;
	case TB_KIND_SWAPON:
	case TB_KIND_SWAPOFF:
		ev->op =
		    kind == TB_KIND_SWAPON ? TRACE_OP_SWAPON : TRACE_OP_SWAPOFF;
		VARINT(p, &ev->count);
		break;
	case TB_KIND_MARK:
		ev->op = TRACE_OP_MARK;
		if ((rc = bin_string(r, &p, "mark text", off, false, err)) < 0)
			return (rc);
		ev->str = r->str;
		break;
	default:
		break;
	}
	if (p > r->buf + r->end)
		return (bin_error(r, err, off,
		    "truncated record: the stream "
		    "ends inside it"));
	if (dt > UINT64_MAX - r->time)
		return (bin_error(r, err, off, "time overflows 64 bits"));
	ev->time_ns = r->time + dt;
	if (trace_event_check(ev, msg, sizeof(msg)) < 0)
		return (bin_error(r, err, off, "%s", msg));
	r->time = ev->time_ns;
	r->pos = (size_t)(p - r->buf);
	r->nevents++;
	r->ev_pos = off;
	return (1);
overflow:
	return (bin_error(r, err, off, "varint overflow"));
}

static int
bin_next(struct trace_reader *r, struct trace_event *ev, struct pg_error *err)
{
	const uint8_t *p;
	uint64_t v, pid, pindex, count = 1;
	unsigned tag, t, op, vbits;
	int rc;

again:
	if (r->end - r->pos < TB_RECORD_MAX && !r->eof) {
		rc = bin_fill(r, TB_RECORD_MAX, err);
		if (rc < 0)
			return (rc);
	}
	if (r->pos >= r->end)
		return (bin_error(r, err, r->base + r->pos,
		    "truncated stream: "
		    "the end record is missing after %" PRIu64 " events",
		    r->nevents));
	p = r->buf + r->pos;
	tag = *p++;
	if (tag >= TB_PAGE_TAGS) {
		rc = bin_other(r, ev, (uint8_t)tag, r->base + r->pos, err);
		if (rc == 2)
			goto again;
		return (rc);
	}
	t = tag >> 4;
	op = (t * 11) >> 5; /* t / 3 for t < 15 */
	switch (t - op * 3) {
	case TB_TIME_ZERO:
		break;
	case TB_TIME_NEW:
		VARINT(p, &r->step);
		/* FALLTHROUGH */
	default:
		if (r->step > UINT64_MAX - r->time)
			return (bin_error(r, err, r->base + r->pos,
			    "time "
			    "overflows 64 bits"));
		r->time += r->step;
		break;
	}
	vbits = tag & 3;
	switch ((tag >> 2) & 3) {
	case TB_FORM_SEQ:
		if (r->stream.cur == NULL)
			goto nostream;
		pindex = r->stream.cur->next + (uint64_t)tb_unzigzag(vbits);
		break;
	case TB_FORM_NEAR:
		if (r->stream.cur == NULL)
			goto nostream;
		v = vbits | (uint64_t)*p++ << 2;
		pindex = r->stream.cur->next + (uint64_t)tb_unzigzag(v);
		break;
	case TB_FORM_ABS:
		if (r->stream.cur == NULL)
			goto nostream;
		pindex = vbits | (uint64_t)p[0] << 2 | (uint64_t)p[1] << 10;
		p += 2;
		break;
	default:
		if (vbits & TB_EXT_S) {
			VARINT(p, &pid);
			VARINT(p, &v);
			if (pid > UINT32_MAX)
				return (bin_error(r, err, r->base + r->pos,
				    "pid "
				    "%" PRIu64 " exceeds 32 bits",
				    pid));
			tb_stream_switch(&r->stream, (uint32_t)pid, v);
		} else if (r->stream.cur == NULL) {
			goto nostream;
		}
		if (vbits & TB_EXT_C) {
			VARINT(p, &count);
			if (count == 0 && p <= r->buf + r->end)
				return (bin_error(r, err, r->base + r->pos,
				    "bad count 0: expected at least 1"));
		}
		VARINT(p, &v);
		pindex = r->stream.cur->next + (uint64_t)tb_unzigzag(v);
		break;
	}
	if (p > r->buf + r->end)
		return (bin_error(r, err, r->base + r->pos,
		    "truncated record: "
		    "the stream ends inside it"));
	if (pindex >= TRACE_PAGES_MAX || count > TRACE_PAGES_MAX - pindex)
		return (bin_error(r, err, r->base + r->pos,
		    "bad pindex %" PRIu64 " count %" PRIu64 ": beyond %" PRIu64
		    " pages",
		    pindex, count, TRACE_PAGES_MAX));
	r->stream.cur->next = pindex + count;
	ev->time_ns = r->time;
	ev->op = (uint8_t)(TRACE_OP_FAULT + op);
	ev->pid = r->stream.cur->pid;
	ev->obj = r->stream.cur->obj;
	ev->pindex = pindex;
	ev->count = count;
	ev->objtype = 0;
	ev->str = NULL;
	r->ev_pos = r->base + r->pos;
	r->pos = (size_t)(p - r->buf);
	r->nevents++;
	return (1);
overflow:
	return (bin_error(r, err, r->base + r->pos, "varint overflow"));
nostream:
	return (bin_error(r, err, r->base + r->pos,
	    "page op before any "
	    "record named its process and object"));
}

/*
 * bin_pages() - bin_next()'s decoding of page ops in a loop, with the time
 * in locals: up to max of them from r->pos on, into ev[] and pos[].  It
 * takes only records that lie wholly in the buffer and decode without an
 * error, and changes nothing for the first it does not take (another
 * kind of record, one that needs a refill, or a bad one): bin_next() then
 * decodes that one, and says what is wrong with it.
 */
static size_t
bin_pages(struct trace_reader *r, struct trace_event *ev, uint64_t *pos,
    size_t max)
{
	const uint8_t *rec, *p, *last;
	uint64_t time = r->time, step = r->step, tnew, snew;
	uint64_t v, pid = 0, obj = 0, pindex, count, next = 0;
	unsigned tag, t, op, vbits, slot = 0;
	struct tb_pred_entry *cur = r->stream.cur;
	bool enter;
	size_t n = 0;

	if (r->end < TB_RECORD_MAX)
		return (0);
	/* A page record starting at or before last ends inside the data. */
	last = r->buf + r->end - TB_RECORD_MAX;
	for (rec = r->buf + r->pos; n < max && rec <= last; rec = p) {
		tag = *rec;
		if (tag >= TB_PAGE_TAGS)
			break;
		p = rec + 1;
		t = tag >> 4;
		op = (t * 11) >> 5; /* t / 3 for t < 15 */
		tnew = time;
		snew = step;
		switch (t - op * 3) {
		case TB_TIME_ZERO:
			break;
		case TB_TIME_NEW:
			if ((p = tb_get_varint(p, &snew)) == NULL)
				goto stop;
			/* FALLTHROUGH */
		default:
			if (snew > UINT64_MAX - time)
				goto stop;
			tnew = time + snew;
			break;
		}
		vbits = tag & 3;
		count = 1;
		enter = false;
		if (((tag >> 2) & 3) == TB_FORM_EXT && (vbits & TB_EXT_S)) {
			if ((p = tb_get_varint(p, &pid)) == NULL ||
			    (p = tb_get_varint(p, &obj)) == NULL ||
			    pid > UINT32_MAX)
				goto stop;
			slot = tb_pred_slot((uint32_t)pid, obj);
			next = tb_stream_peek(&r->stream, slot, (uint32_t)pid,
			    obj);
			enter = true;
		} else if (cur == NULL) {
			goto stop;
		} else {
			next = cur->next;
		}
		switch ((tag >> 2) & 3) {
		case TB_FORM_SEQ:
			pindex = next + (uint64_t)tb_unzigzag(vbits);
			break;
		case TB_FORM_NEAR:
			v = vbits | (uint64_t)*p++ << 2;
			pindex = next + (uint64_t)tb_unzigzag(v);
			break;
		case TB_FORM_ABS:
			pindex = vbits | (uint64_t)p[0] << 2 |
			    (uint64_t)p[1] << 10;
			p += 2;
			break;
		default:
			if ((vbits & TB_EXT_C) &&
			    ((p = tb_get_varint(p, &count)) == NULL ||
			    count == 0))
				goto stop;
			if ((p = tb_get_varint(p, &v)) == NULL)
				goto stop;
			pindex = next + (uint64_t)tb_unzigzag(v);
			break;
		}
		if (pindex >= TRACE_PAGES_MAX ||
		    count > TRACE_PAGES_MAX - pindex)
			goto stop;

		/* The record is good: take it. */
		if (enter) {
			tb_stream_enter(&r->stream, slot, (uint32_t)pid, obj,
			    next);
			cur = r->stream.cur;
		}
		cur->next = pindex + count;
		time = tnew;
		step = snew;
		ev[n].time_ns = time;
		ev[n].op = (uint8_t)(TRACE_OP_FAULT + op);
		ev[n].pid = cur->pid;
		ev[n].obj = cur->obj;
		ev[n].pindex = pindex;
		ev[n].count = count;
		ev[n].objtype = 0;
		ev[n].str = NULL;
		pos[n] = r->base + (uint64_t)(rec - r->buf);
		n++;
	}
stop:
	r->time = time;
	r->step = step;
	r->pos = (size_t)(rec - r->buf);
	if (n > 0) {
		r->nevents += n;
		r->ev_pos = pos[n - 1];
	}
	return (n);
}

int
bin_reader_init(struct trace_reader *r, struct pg_error *err)
{
	const uint8_t *h = r->buf;
	unsigned version, flags;
	uint32_t reserved;

	if (r->end < TB_MAGIC_LEN || memcmp(h, TB_MAGIC, TB_MAGIC_LEN) != 0)
		return (pg_error_set(err, r->name, PG_POS_BYTE, 0,
		    "bad magic: "
		    "not a pgreplay trace (expected \"pgtrace 1\" text, the "
		    "binary magic or zstd)"));
	if (r->end < TB_HEADER_LEN)
		return (pg_error_set(err, r->name, PG_POS_BYTE, r->end,
		    "truncated header"));
	version = (unsigned)h[8] | (unsigned)h[9] << 8;
	flags = (unsigned)h[10] | (unsigned)h[11] << 8;
	reserved = (uint32_t)h[12] | (uint32_t)h[13] << 8 |
	    (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
	if (version != TB_VERSION)
		return (pg_error_set(err, r->name, PG_POS_BYTE, 8,
		    "unsupported "
		    "binary version %u: this pgreplay reads version %d",
		    version, TB_VERSION));
	if (flags != 0)
		return (pg_error_set(err, r->name, PG_POS_BYTE, 10,
		    "unknown "
		    "header flags 0x%04x",
		    flags));
	if (reserved != 0)
		return (pg_error_set(err, r->name, PG_POS_BYTE, 12,
		    "reserved "
		    "header bytes are not zero"));
	r->fmt.version = version;
	r->pos = TB_HEADER_LEN;
	r->sum_pos = 0;
	tb_sum_init(&r->sum);
	r->next = bin_next;
	r->pages = bin_pages;
	return (0);
}
