/*
 * text_reader.c - the text format of interfaces.md section 1, one line at a
 * time from a fixed buffer.  Tokens are cut in place, so the strings of an
 * event point into the buffer until the next call.
 */
#include "trace/trace_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_SHOWN 40 /* bytes of a bad token quoted in a message */

static int text_error(struct trace_reader *r, struct pg_error *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
text_error(struct trace_reader *r, struct pg_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vset(err, -EINVAL, r->name, PG_POS_LINE, r->line, fmt, ap);
	va_end(ap);
	err->event = r->nevents + 1;
	return (-EINVAL);
}

/*
 * next_line() - the next line, NUL-terminated in place, without its end of
 * line (LF or CRLF).  Returns 1, 0 at the end, or <0.
 */
static int
next_line(struct trace_reader *r, char **line, size_t *len,
    struct pg_error *err)
{
	uint8_t *nl;
	size_t n;
	int rc;

	for (;;) {
		nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
		if (nl != NULL) {
			n = (size_t)(nl - (r->buf + r->pos));
			break;
		}
		if (r->eof) {
			if (r->pos == r->end)
				return (0);
			n = r->end - r->pos;
			break;
		}
		if (r->end - r->pos > TRACE_LINE_MAX)
			break;
		rc = reader_fill(r, r->end - r->pos + 1, err);
		if (rc < 0) {
			r->line++;
			err->pos_kind = PG_POS_LINE;
			err->pos = r->line;
			snprintf(err->file, sizeof(err->file), "%s", r->name);
			return (rc);
		}
	}
	r->line++;
	if (nl == NULL && !r->eof)
		return (text_error(r, err, "line too long: more than %d bytes",
		    TRACE_LINE_MAX));
	if (n > TRACE_LINE_MAX)
		return (text_error(r, err, "line too long: more than %d bytes",
		    TRACE_LINE_MAX));
	*line = (char *)r->buf + r->pos;
	r->pos += n + (nl != NULL);
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	if (memchr(*line, '\0', n) != NULL)
		return (text_error(r, err,
		    "NUL byte in line: a text trace is "
		    "UTF-8 text"));
	*len = n;
	return (1);
}

/* token() - cut the next blank-separated token at *pp, or NULL. */
static char *
token(char **pp)
{
	char *p = *pp, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		*pp = p;
		return (NULL);
	}
	start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return (start);
}

/*
 * parse_u64() - decimal digits only, no sign.  Returns 0, -EINVAL for a
 * non-number, -ERANGE when over 2^64-1.
 */
static int
parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	unsigned d;

	if (*s == '\0')
		return (-EINVAL);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-EINVAL);
		d = (unsigned)(*s - '0');
		if (x > (UINT64_MAX - d) / 10)
			return (-ERANGE);
		x = x * 10 + d;
	}
	*v = x;
	return (0);
}

static int
get_num(struct trace_reader *r, const char *tok, const char *field,
    uint64_t min, uint64_t max, uint64_t *v, struct pg_error *err)
{
	int rc = parse_u64(tok, v);

	if (rc == -EINVAL)
		return (text_error(r, err,
		    "bad %s \"%.*s\": expected an unsigned "
		    "integer",
		    field, TOKEN_SHOWN, tok));
	if (rc == -ERANGE || *v > max)
		return (text_error(r, err,
		    "bad %s \"%.*s\": expected at most "
		    "%" PRIu64,
		    field, TOKEN_SHOWN, tok, max));
	if (*v < min)
		return (text_error(r, err,
		    "bad %s \"%.*s\": expected at least "
		    "%" PRIu64,
		    field, TOKEN_SHOWN, tok, min));
	return (0);
}

/*
 * parse_time() - seconds as "S" or "S.F" with 1 to 9 digits of F, to
 * nanoseconds, exactly: integer arithmetic with overflow checks.
 */
static int
parse_time(struct trace_reader *r, const char *tok, uint64_t *ns,
    struct pg_error *err)
{
	const char *p = tok;
	uint64_t sec = 0, frac = 0;
	unsigned d;
	int digits = 0, fdigits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		d = (unsigned)(*p - '0');
		if (sec > (UINT64_MAX - d) / 10)
			goto range;
		sec = sec * 10 + d;
	}
	if (digits == 0)
		goto bad;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++)
			if (fdigits < 9)
				frac = frac * 10 + (unsigned)(*p - '0');
		if (fdigits == 0)
			goto bad;
		if (fdigits > 9 && *p == '\0')
			return (text_error(r, err,
			    "bad TIME \"%.*s\": more than 9 "
			    "fractional digits (nanoseconds are the unit)",
			    TOKEN_SHOWN, tok));
		for (; fdigits < 9; fdigits++)
			frac *= 10;
	}
	if (*p != '\0')
		goto bad;
	if (sec > (UINT64_MAX - frac) / 1000000000u)
		goto range;
	*ns = sec * 1000000000u + frac;
	return (0);
bad:
	return (text_error(r, err,
	    "bad TIME \"%.*s\": expected seconds as an "
	    "integer or a decimal with at most 9 fractional digits",
	    TOKEN_SHOWN, tok));
range:
	return (text_error(r, err,
	    "bad TIME \"%.*s\": expected at most "
	    "18446744073.709551615 seconds",
	    TOKEN_SHOWN, tok));
}

/* Argument names per op, for "missing ..." and usage in messages. */
static const char *const op_usage[TRACE_OP_COUNT] = {
	[TRACE_OP_PROC] = "proc PID NAME",
	[TRACE_OP_EXIT] = "exit PID",
	[TRACE_OP_MAP] = "map PID OBJ TYPE PAGES [PATH]",
	[TRACE_OP_UNMAP] = "unmap PID OBJ",
	[TRACE_OP_FAULT] = "fault PID OBJ PINDEX [COUNT]",
	[TRACE_OP_DIRTY] = "dirty PID OBJ PINDEX [COUNT]",
	[TRACE_OP_FREE] = "free PID OBJ PINDEX [COUNT]",
	[TRACE_OP_WIRE] = "wire PID OBJ PINDEX [COUNT]",
	[TRACE_OP_UNWIRE] = "unwire PID OBJ PINDEX [COUNT]",
	[TRACE_OP_SWAPON] = "swapon PAGES",
	[TRACE_OP_SWAPOFF] = "swapoff PAGES",
	[TRACE_OP_MARK] = "mark TEXT...",
};

static const char *const page_args[] = { "PID", "OBJ", "PINDEX" };
static const char *const map_args[] = { "PID", "OBJ", "TYPE", "PAGES" };
static const char *const proc_args[] = { "PID", "NAME" };
static const char *const unmap_args[] = { "PID", "OBJ" };
static const char *const pages_args[] = { "PAGES" };

#define MAX_ARGS 6

static int
parse_event(struct trace_reader *r, char *p, struct trace_event *ev,
    struct pg_error *err)
{
	const char *const *names;
	char *ttok, *otok, *a[MAX_ARGS + 1], *end;
	int op, t, nmin, nmax, n, rc;
	char prev[32];
	uint64_t v;

	ttok = token(&p);
	otok = token(&p);
	if (otok == NULL)
		return (text_error(r, err,
		    "missing op: expected \"TIME OP "
		    "ARGS...\""));
	rc = parse_time(r, ttok, &ev->time_ns, err);
	if (rc < 0)
		return (rc);
	op = trace_op_parse(otok, strlen(otok));
	if (op < 0)
		return (text_error(r, err,
		    "unknown op \"%.*s\": expected proc, "
		    "exit, map, unmap, fault, dirty, free, wire, unwire, swapon, "
		    "swapoff or mark",
		    TOKEN_SHOWN, otok));
	if (ev->time_ns < r->time)
		return (text_error(r, err,
		    "time %s goes backwards: the previous "
		    "event is at %s",
		    ttok, trace_time_format(r->time, prev, sizeof(prev))));
	ev->op = (uint8_t)op;
	ev->pid = 0;
	ev->obj = 0;
	ev->pindex = 0;
	ev->count = 0;
	ev->objtype = 0;
	ev->str = NULL;

	if (op == TRACE_OP_MARK) {
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (*p == '\0')
			return (text_error(r, err,
			    "missing TEXT: expected "
			    "\"mark TEXT...\""));
		if (end - p > TRACE_NAME_MAX)
			return (text_error(r, err,
			    "mark TEXT is longer than %d "
			    "bytes",
			    TRACE_NAME_MAX));
		ev->str = p;
		goto done;
	}

	for (n = 0; n <= MAX_ARGS && (a[n] = token(&p)) != NULL; n++)
		continue;
	switch (op) {
	case TRACE_OP_PROC:
		names = proc_args, nmin = 2, nmax = 2;
		break;
	case TRACE_OP_EXIT:
		names = proc_args, nmin = 1, nmax = 1;
		break;
	case TRACE_OP_MAP:
		names = map_args, nmin = 4, nmax = 5;
		break;
	case TRACE_OP_UNMAP:
		names = unmap_args, nmin = 2, nmax = 2;
		break;
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		names = pages_args, nmin = 1, nmax = 1;
		break;
	default:
		names = page_args, nmin = 3, nmax = 4;
		break;
	}
	if (n < nmin)
		return (text_error(r, err, "missing %s: expected \"%s\"",
		    names[n], op_usage[op]));
	if (n > nmax)
		return (text_error(r, err, "too many fields: expected \"%s\"",
		    op_usage[op]));

	switch (op) {
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		rc = get_num(r, a[0], "PAGES", 1, TRACE_PAGES_MAX, &ev->count,
		    err);
		if (rc < 0)
			return (rc);
		goto done;
	default:
		break;
	}
	rc = get_num(r, a[0], "PID", 0, UINT32_MAX, &v, err);
	if (rc < 0)
		return (rc);
	ev->pid = (uint32_t)v;
	switch (op) {
	case TRACE_OP_PROC:
		if (strlen(a[1]) > TRACE_NAME_MAX)
			return (text_error(r, err,
			    "NAME is longer than %d bytes", TRACE_NAME_MAX));
		ev->str = a[1];
		goto done;
	case TRACE_OP_EXIT:
		goto done;
	default:
		break;
	}
	rc = get_num(r, a[1], "OBJ", 0, UINT64_MAX, &ev->obj, err);
	if (rc < 0)
		return (rc);
	switch (op) {
	case TRACE_OP_UNMAP:
		goto done;
	case TRACE_OP_MAP:
		t = trace_objtype_parse(a[2], strlen(a[2]));
		if (t < 0)
			return (text_error(r, err,
			    "bad TYPE \"%.*s\": expected "
			    "anon, file or phys",
			    TOKEN_SHOWN, a[2]));
		ev->objtype = (uint8_t)t;
		rc = get_num(r, a[3], "PAGES", 1, TRACE_PAGES_MAX, &ev->count,
		    err);
		if (rc < 0)
			return (rc);
		if (n == 5) {
			if (strlen(a[4]) > TRACE_NAME_MAX)
				return (text_error(r, err,
				    "PATH is longer than "
				    "%d bytes",
				    TRACE_NAME_MAX));
			ev->str = a[4];
		}
		goto done;
	default:
		break;
	}
	rc = get_num(r, a[2], "PINDEX", 0, TRACE_PAGES_MAX - 1, &ev->pindex,
	    err);
	if (rc < 0)
		return (rc);
	ev->count = 1;
	if (n == 4) {
		rc = get_num(r, a[3], "COUNT", 1, TRACE_PAGES_MAX, &ev->count,
		    err);
		if (rc < 0)
			return (rc);
	}
	if (ev->pindex + ev->count > TRACE_PAGES_MAX)
		return (text_error(r, err,
		    "PINDEX+COUNT %" PRIu64 " exceeds the "
		    "limit of %" PRIu64 " pages",
		    ev->pindex + ev->count, TRACE_PAGES_MAX));
done:
	r->time = ev->time_ns;
	r->nevents++;
	r->ev_pos = r->line;
	return (1);
}

/*
 * text_note() - a "#@note TEXT" line: a comment to older readers, a note to
 * this one.  Trailing blanks are not part of the text.
 */
static int
text_note(struct trace_reader *r, char *p, struct pg_error *err)
{
	char msg[PG_ERROR_MSG_MAX];
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (trace_note_check(p, n, msg, sizeof(msg)) < 0)
		return (text_error(r, err, "%s", msg));
	if (trace_note_add(r, p, n) < 0)
		return (text_error(r, err, "more than %d notes",
		    TRACE_NOTES_MAX));
	return (0);
}

static int
text_next(struct trace_reader *r, struct trace_event *ev, struct pg_error *err)
{
	char *line = NULL, *hash, *p, *t1, *t2, *t3;
	size_t len = 0;
	int rc;

	for (;;) {
		rc = next_line(r, &line, &len, err);
		if (rc <= 0)
			break;
		if (len > 7 && memcmp(line, "#@note ", 7) == 0) {
			if ((rc = text_note(r, line + 7, err)) < 0)
				return (rc);
			continue;
		}
		hash = memchr(line, '#', len);
		if (hash != NULL)
			*hash = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			continue;
		if (r->have_header)
			return (parse_event(r, p, ev, err));
		t1 = token(&p);
		t2 = token(&p);
		t3 = token(&p);
		if (strcmp(t1, "pgtrace") != 0)
			return (text_error(r, err,
			    "missing header: expected "
			    "\"pgtrace 1\" as the first line that is not a "
			    "comment"));
		if (t2 == NULL || strcmp(t2, "1") != 0 || t3 != NULL)
			return (text_error(r, err,
			    "unsupported header \"pgtrace "
			    "%.*s%s\": this pgreplay reads \"pgtrace 1\"",
			    TOKEN_SHOWN, t2 != NULL ? t2 : "",
			    t3 != NULL ? " ..." : ""));
		r->have_header = true;
	}
	if (rc == 0 && !r->have_header) {
		if (r->line == 0)
			r->line = 1;
		return (text_error(r, err,
		    "missing header: the trace ends "
		    "before \"pgtrace 1\""));
	}
	return (rc);
}

int
text_reader_init(struct trace_reader *r, struct pg_error *err)
{
	r->next = text_next;
	r->fmt.version = 1;
	return (0);
}
