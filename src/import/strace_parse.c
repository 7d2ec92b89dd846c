/*
 * strace_parse.c - the strace -f log parser (strace.h).  Each line is cut
 * field by field: prefix (pid, time), then the call, its arguments split at
 * the top-level commas (quotes, brackets and braces respected), then the
 * result.  Only the calls that change address spaces or processes are
 * decoded; the rest are checked for shape and skipped.
 */
#include "import/strace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BUCKETS 1024
#define MAX_ARGS 8

struct tid_ent {
	struct tid_ent *next;
	uint32_t tid, pid;
};

struct pending {
	struct pending *next;
	uint32_t tid;
	uint64_t t;
	char text[STRACE_PENDING_TEXT];
};

struct strace_parser {
	struct import_lines *in;
	struct tid_ent *tids[HASH_BUCKETS];
	size_t ntids;
	struct pending *pend[HASH_BUCKETS];
	size_t npend;
	uint32_t default_pid;	/* for lines without a pid column */
	uint32_t thread_parent; /* a CLONE_THREAD clone is under way here */
	uint64_t lineno;	/* of the last record */
	char join[STRACE_PENDING_TEXT + IMPORT_LINE_MAX + 1];
};

static unsigned
h32(uint32_t x)
{
	return (x * 2654435761u) >> 22 & (HASH_BUCKETS - 1);
}

static int bad(struct strace_parser *sp, struct pg_error *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
bad(struct strace_parser *sp, struct pg_error *err, const char *fmt, ...)
{
	char msg[PG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_error_set(err, import_lines_name(sp->in), PG_POS_LINE,
	    import_lines_lineno(sp->in), "%s", msg);
}

int
strace_open(const char *path, struct strace_parser **out, struct pg_error *err)
{
	struct strace_parser *sp;
	int rc;

	*out = NULL;
	sp = calloc(1, sizeof(*sp));
	if (sp == NULL)
		return pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory");
	if ((rc = import_lines_open(path, &sp->in, err)) < 0) {
		free(sp);
		return rc;
	}
	*out = sp;
	return 0;
}

void
strace_close(struct strace_parser *sp)
{
	struct tid_ent *t, *tn;
	struct pending *p, *pn;
	unsigned i;

	if (sp == NULL)
		return;
	for (i = 0; i < HASH_BUCKETS; i++) {
		for (t = sp->tids[i]; t != NULL; t = tn) {
			tn = t->next;
			free(t);
		}
		for (p = sp->pend[i]; p != NULL; p = pn) {
			pn = p->next;
			free(p);
		}
	}
	import_lines_close(sp->in);
	free(sp);
}

uint64_t
strace_lines(const struct strace_parser *sp)
{
	return import_lines_lineno(sp->in);
}

void
strace_where(const struct strace_parser *sp, struct pg_error *err)
{
	snprintf(err->file, sizeof(err->file), "%s", import_lines_name(sp->in));
	err->pos_kind = PG_POS_LINE;
	err->pos = sp->lineno;
}

static struct tid_ent *
tid_find(const struct strace_parser *sp, uint32_t tid)
{
	struct tid_ent *t;

	for (t = sp->tids[h32(tid)]; t != NULL; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static uint32_t
tgid_of(const struct strace_parser *sp, uint32_t tid)
{
	const struct tid_ent *t = tid_find(sp, tid);

	return t != NULL ? t->pid : tid;
}

/*
 * tid_add() - tid belongs to process pid (pid == tid: a process of its
 * own).  A tid first taken for a process, then named by a CLONE_THREAD
 * clone (the thread spoke before its clone returned), becomes a thread.
 */
static int
tid_add(struct strace_parser *sp, uint32_t tid, uint32_t pid,
    struct pg_error *err)
{
	struct tid_ent *t = tid_find(sp, tid);

	if (t != NULL) {
		if (t->pid == t->tid)
			t->pid = pid;
		return 0;
	}
	if (sp->ntids >= STRACE_TIDS_MAX)
		return bad(sp, err,
		    "more than %d live threads (the "
		    "importer's limit)",
		    STRACE_TIDS_MAX);
	t = malloc(sizeof(*t));
	if (t == NULL)
		return pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
	t->tid = tid;
	t->pid = pid;
	t->next = sp->tids[h32(tid)];
	sp->tids[h32(tid)] = t;
	sp->ntids++;
	return 0;
}

static void
tid_del(struct strace_parser *sp, uint32_t tid)
{
	struct tid_ent **pp, *t;

	for (pp = &sp->tids[h32(tid)]; (t = *pp) != NULL; pp = &t->next)
		if (t->tid == tid) {
			*pp = t->next;
			free(t);
			sp->ntids--;
			return;
		}
}

/* ---- fields ---- */

static char *
skip_blanks(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* parse_num() - decimal or 0x hex, all of s; false if not a number. */
static bool
parse_num(const char *s, uint64_t *v)
{
	uint64_t x = 0, d;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = (uint64_t)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (uint64_t)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (uint64_t)(*s - 'A' + 10);
		else
			return false;
		if (x > (UINT64_MAX - d) / (uint64_t)base)
			return false;
		x = x * (uint64_t)base + d;
	}
	*v = x;
	return true;
}

/* parse_time() - "S.F" (epoch) or "HH:MM:SS.F" to ns; false if neither. */
static bool
parse_time(const char *s, uint64_t *ns)
{
	uint64_t part[3] = { 0, 0, 0 }, frac = 0;
	int n = 0, digits = 0, fd = 0;

	for (;;) {
		digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (part[n] > UINT64_MAX / 10 - 10)
				return false;
			part[n] = part[n] * 10 + (uint64_t)(*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return false;
		if (*s == ':' && n < 2) {
			n++;
			s++;
			continue;
		}
		break;
	}
	if (n == 1)
		return false;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, fd++)
			if (fd < 9)
				frac = frac * 10 + (uint64_t)(*s - '0');
		if (fd == 0)
			return false;
		for (; fd < 9; fd++)
			frac *= 10;
	}
	if (*s != '\0' || (n == 0 && fd == 0))
		return false; /* a bare integer is a pid, not a time */
	if (n == 2) {
		if (part[1] > 59 || part[2] > 60)
			return false;
		*ns = ((part[0] * 60 + part[1]) * 60 + part[2]) * 1000000000u +
		    frac;
	} else {
		if (part[0] > UINT64_MAX / 1000000000u - 1)
			return false;
		*ns = part[0] * 1000000000u + frac;
	}
	return true;
}

/*
 * split_args() - cut the argument list that starts after '(' at p into
 * top-level fields, in place.  Returns the number of fields and sets *end
 * to the byte after the closing ')', or -1 if the list does not close.
 */
static int
split_args(char *p, char **argv, int max, char **end)
{
	int depth = 0, n = 0;
	bool quote = false;
	char *start = p, *q;

	for (; *p != '\0'; p++) {
		if (quote) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				quote = false;
			continue;
		}
		if (*p == '"') {
			quote = true;
		} else if (*p == '/' && p[1] == '*') {
			q = strstr(p + 2, "*/");
			if (q == NULL)
				return -1;
			p = q + 1;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ']' || *p == '}') && depth > 0) {
			depth--;
		} else if (*p == ')') {
			if (depth > 0) {
				depth--;
				continue;
			}
			*p = '\0';
			if (n < max && *skip_blanks(start) != '\0')
				argv[n++] = skip_blanks(start);
			*end = p + 1;
			goto trim;
		} else if (*p == ',' && depth == 0) {
			*p = '\0';
			if (n < max)
				argv[n++] = skip_blanks(start);
			start = p + 1;
		}
	}
	return -1;
trim:
	for (int i = 0; i < n; i++) {
		q = argv[i] + strlen(argv[i]);
		while (q > argv[i] && (q[-1] == ' ' || q[-1] == '\t'))
			*--q = '\0';
	}
	return n;
}

/* flag_has() - whether the |-list s names flag (whole word). */
static bool
flag_has(const char *s, const char *flag)
{
	size_t n = strlen(flag);
	const char *p;

	for (p = s; (p = strstr(p, flag)) != NULL; p += n) {
		bool left = p == s || p[-1] == '|' || p[-1] == '=' ||
		    p[-1] == '{' || p[-1] == ' ';
		char c = p[n];
		bool right =
		    c == '\0' || c == '|' || c == ',' || c == '}' || c == ' ';

		if (left && right)
			return true;
	}
	return false;
}

static unsigned
parse_prot(const char *s)
{
	uint64_t v;
	unsigned prot = 0;

	if (parse_num(s, &v))
		return (unsigned)v & 7;
	if (flag_has(s, "PROT_READ"))
		prot |= 1;
	if (flag_has(s, "PROT_WRITE"))
		prot |= 2;
	if (flag_has(s, "PROT_EXEC"))
		prot |= 4;
	return prot;
}

static unsigned
parse_mflags(const char *s)
{
	uint64_t v;
	unsigned f = 0;

	if (parse_num(s, &v)) {
		/* Linux values: MAP_SHARED 1, MAP_FIXED 0x10, MAP_ANON 0x20. */
		return ((v & 0x3) == 1 || (v & 0x3) == 3 ? SR_MAP_SHARED : 0) |
		    (v & 0x10 ? SR_MAP_FIXED : 0) |
		    (v & 0x20 ? SR_MAP_ANON : 0) |
		    (v & 0x100000 ? SR_MAP_FIXED : 0);
	}
	if (flag_has(s, "MAP_SHARED") || flag_has(s, "MAP_SHARED_VALIDATE"))
		f |= SR_MAP_SHARED;
	if (flag_has(s, "MAP_FIXED") || flag_has(s, "MAP_FIXED_NOREPLACE"))
		f |= SR_MAP_FIXED;
	if (flag_has(s, "MAP_ANONYMOUS") || flag_has(s, "MAP_ANON"))
		f |= SR_MAP_ANON;
	return f;
}

static unsigned
parse_cflags(const char *s)
{
	unsigned f = 0;

	if (flag_has(s, "CLONE_THREAD"))
		f |= SR_CLONE_THREAD;
	if (flag_has(s, "CLONE_VM"))
		f |= SR_CLONE_VM;
	if (flag_has(s, "CLONE_VFORK"))
		f |= SR_CLONE_VFORK;
	return f;
}

/* parse_fd() - "-1", "5" or "5</path>"; path copied when present. */
static bool
parse_fd(const char *s, struct strace_rec *r)
{
	const char *lt = strchr(s, '<'), *gt;
	char num[24];
	size_t n;
	uint64_t v;

	r->path[0] = '\0';
	if (strcmp(s, "-1") == 0) {
		r->has_fd = false;
		return true;
	}
	n = lt != NULL ? (size_t)(lt - s) : strlen(s);
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (!parse_num(num, &v))
		return false;
	r->has_fd = v != 4294967295u;
	if (lt != NULL) {
		gt = strrchr(lt, '>');
		if (gt == NULL)
			return false;
		n = (size_t)(gt - lt - 1);
		if (n >= sizeof(r->path))
			n = sizeof(r->path) - 1;
		memcpy(r->path, lt + 1, n);
		r->path[n] = '\0';
	}
	return true;
}

/* addr_arg() - "NULL", a number or hex. */
static bool
addr_arg(const char *s, uint64_t *v)
{
	if (strcmp(s, "NULL") == 0) {
		*v = 0;
		return true;
	}
	return parse_num(s, v);
}

/*
 * parse_result() - after ") ": "= N...", "= ?", "= -1 EFOO (...)".
 * Returns 1 for a success with *v, 0 for a failure or "?", -1 if malformed.
 */
static int
parse_result(char *p, uint64_t *v)
{
	char *tok, *e;

	p = skip_blanks(p);
	if (*p != '=')
		return -1;
	p = skip_blanks(p + 1);
	tok = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	e = p;
	if (*p != '\0')
		*p = '\0';
	if (strcmp(tok, "?") == 0 || tok[0] == '-')
		return 0;
	if (!parse_num(tok, v)) {
		*e = ' ';
		return -1;
	}
	return 1;
}

static bool
forklike(const char *name)
{
	return strcmp(name, "fork") == 0 || strcmp(name, "vfork") == 0 ||
	    strcmp(name, "clone") == 0 || strcmp(name, "clone3") == 0;
}

static bool
of_interest(const char *name)
{
	return forklike(name) || strcmp(name, "mmap") == 0 ||
	    strcmp(name, "mmap2") == 0 || strcmp(name, "munmap") == 0 ||
	    strcmp(name, "mremap") == 0 || strcmp(name, "brk") == 0 ||
	    strcmp(name, "madvise") == 0 || strcmp(name, "execve") == 0 ||
	    strcmp(name, "execveat") == 0;
}

/* fork_flags() - the SR_CLONE_* of a fork-like call's arguments. */
static unsigned
fork_flags(const char *name, char **a, int n)
{
	int i;

	if (strcmp(name, "vfork") == 0)
		return SR_CLONE_VM | SR_CLONE_VFORK;
	for (i = 0; i < n; i++)
		if (strstr(a[i], "CLONE_") != NULL)
			return parse_cflags(a[i]);
	return 0;
}

/*
 * decode() - a complete call "NAME(ARGS) = RESULT" at body.  Returns 1
 * with *r filled, 0 for calls of no interest or that failed, or <0.
 */
static int
decode(struct strace_parser *sp, char *body, struct strace_rec *r,
    struct pg_error *err)
{
	char *a[MAX_ARGS], *open, *end, *name = body;
	int n, ok;
	uint64_t v = 0;

	open = strchr(body, '(');
	if (open == NULL)
		return bad(sp, err, "expected a call \"NAME(ARGS) = RESULT\"");
	*open = '\0';
	if (!of_interest(name)) {
		/* Still a call: its list must close. */
		if (split_args(open + 1, a, MAX_ARGS, &end) < 0 ||
		    parse_result(end, &v) < 0)
			return bad(sp, err,
			    "%.40s: expected \"(ARGS) = RESULT\"", name);
		return 0;
	}
	n = split_args(open + 1, a, MAX_ARGS, &end);
	if (n < 0)
		return bad(sp, err,
		    "%s: the argument list does not close: expected "
		    "\"(ARGS) = RESULT\"",
		    name);
	ok = parse_result(end, &v);
	if (ok < 0)
		return bad(sp, err,
		    "%s: expected \"= RESULT\" after the "
		    "arguments",
		    name);
	if (ok == 0)
		return 0;
	r->result = v;
	r->path[0] = '\0';
	r->flags = 0;
	if (strcmp(name, "mmap") == 0 || strcmp(name, "mmap2") == 0) {
		if (n != 6)
			return bad(sp, err,
			    "mmap: expected 6 arguments (addr, length, prot, "
			    "flags, fd, offset), got %d",
			    n);
		if (!addr_arg(a[0], &r->addr) || !parse_num(a[1], &r->len) ||
		    !parse_fd(a[4], r) || !parse_num(a[5], &r->off))
			return bad(sp, err,
			    "mmap: expected numbers for addr, length, fd and "
			    "offset");
		if (strcmp(name, "mmap2") == 0)
			r->off <<= 12;
		r->prot = parse_prot(a[2]);
		r->flags = parse_mflags(a[3]);
		if (!r->has_fd)
			r->flags |= SR_MAP_ANON;
		r->addr = r->result;
		r->kind = SR_MMAP;
		return 1;
	}
	if (strcmp(name, "munmap") == 0) {
		if (n != 2 || !addr_arg(a[0], &r->addr) ||
		    !parse_num(a[1], &r->len))
			return bad(sp, err,
			    "munmap: expected \"munmap(ADDR, LENGTH)\"");
		r->kind = SR_MUNMAP;
		return 1;
	}
	if (strcmp(name, "mremap") == 0) {
		if (n < 4 || !addr_arg(a[0], &r->addr) ||
		    !parse_num(a[1], &r->len) || !parse_num(a[2], &r->len2))
			return bad(sp, err,
			    "mremap: expected \"mremap(OLD, OLDLEN, NEWLEN, "
			    "FLAGS[, NEW])\"");
		r->kind = SR_MREMAP;
		return 1;
	}
	if (strcmp(name, "brk") == 0) {
		if (n != 1 || !addr_arg(a[0], &r->addr))
			return bad(sp, err, "brk: expected \"brk(ADDR)\"");
		r->kind = SR_BRK;
		return 1;
	}
	if (strcmp(name, "madvise") == 0) {
		if (n != 3 || !addr_arg(a[0], &r->addr) ||
		    !parse_num(a[1], &r->len))
			return bad(sp, err,
			    "madvise: expected \"madvise(ADDR, LENGTH, "
			    "ADVICE)\"");
		r->advice = 0;
		if (strcmp(a[2], "MADV_DONTNEED") == 0 ||
		    strcmp(a[2], "MADV_FREE") == 0 || strcmp(a[2], "4") == 0 ||
		    strcmp(a[2], "8") == 0)
			r->advice = 1;
		else if (strcmp(a[2], "MADV_REMOVE") == 0 ||
		    strcmp(a[2], "9") == 0)
			r->advice = 2;
		if (r->advice == 0)
			return 0;
		r->kind = SR_MADVISE;
		return 1;
	}
	if (forklike(name)) {
		if (v == 0 || v > UINT32_MAX)
			return 0; /* the child's own return, or odd */
		r->child = (uint32_t)v;
		r->flags = fork_flags(name, a, n);
		r->kind = SR_CLONE;
		if ((r->flags & SR_CLONE_THREAD) != 0) {
			sp->thread_parent = 0;
			return tid_add(sp, r->child, r->pid, err) < 0 ?
			    -EINVAL :
			    1;
		}
		return 1;
	}
	/* execve / execveat */
	if (n >= 1) {
		const char *f =
		    a[strcmp(name, "execveat") == 0 && n >= 2 ? 1 : 0];
		size_t len = strlen(f);

		if (len >= 2 && f[0] == '"') {
			f++;
			len -= 2;
		}
		if (len >= sizeof(r->path))
			len = sizeof(r->path) - 1;
		memcpy(r->path, f, len);
		r->path[len] = '\0';
	}
	r->kind = SR_EXECVE;
	return 1;
}

static struct pending *
pend_take(struct strace_parser *sp, uint32_t tid)
{
	struct pending **pp, *p;

	for (pp = &sp->pend[h32(tid)]; (p = *pp) != NULL; pp = &p->next)
		if (p->tid == tid) {
			*pp = p->next;
			sp->npend--;
			return p;
		}
	return NULL;
}

/* unfinished() - keep "NAME(ARGS" of tid until its resumed half. */
static int
unfinished(struct strace_parser *sp, uint32_t tid, uint64_t t, char *body,
    size_t n, struct strace_rec *r, struct pg_error *err)
{
	struct pending *p;
	char *a[MAX_ARGS], *open, *end, name[16];
	size_t k;
	int na;

	p = pend_take(sp, tid);
	if (p == NULL) {
		if (sp->npend >= STRACE_PENDING_MAX)
			return bad(sp, err,
			    "more than %d calls unfinished at once (the "
			    "importer's limit)",
			    STRACE_PENDING_MAX);
		p = malloc(sizeof(*p));
		if (p == NULL)
			return pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "out of memory");
	}
	p->tid = tid;
	p->t = t;
	if (n >= sizeof(p->text))
		n = sizeof(p->text) - 1;
	memcpy(p->text, body, n);
	p->text[n] = '\0';
	p->next = sp->pend[h32(tid)];
	sp->pend[h32(tid)] = p;
	sp->npend++;

	/* A fork-like call in progress: its child may act before it ends. */
	open = strchr(body, '(');
	k = open != NULL ? (size_t)(open - body) : 0;
	if (k == 0 || k >= sizeof(name))
		return 0;
	memcpy(name, body, k);
	name[k] = '\0';
	if (!forklike(name))
		return 0;
	/* The list is cut: close it so that the flags can be read. */
	body[n] = ')';
	body[n + 1] = '\0';
	na = split_args(open + 1, a, MAX_ARGS, &end);
	r->flags = na >= 0 ? fork_flags(name, a, na) : 0;
	if ((r->flags & SR_CLONE_THREAD) != 0)
		sp->thread_parent = tgid_of(sp, tid);
	r->kind = SR_FORKING;
	return 1;
}

int
strace_next(struct strace_parser *sp, struct strace_rec *r,
    struct pg_error *err)
{
	char *line, *p, *tok, *body, *e;
	struct pending *pd;
	uint64_t v, t;
	uint32_t tid;
	size_t len, n;
	int rc;

	for (;;) {
		rc = import_lines_next(sp->in, &line, &len, err);
		if (rc <= 0)
			return rc;
		sp->lineno = import_lines_lineno(sp->in);
		p = skip_blanks(line);
		if (*p == '\0')
			continue;
		memset(r, 0, offsetof(struct strace_rec, path));
		r->path[0] = '\0';
		/* Prefix: "[pid N]" or "N", then the time. */
		tid = 0;
		if (strncmp(p, "[pid", 4) == 0) {
			p = skip_blanks(p + 4);
			e = strchr(p, ']');
			if (e == NULL)
				return bad(sp, err, "expected \"[pid N]\"");
			*e = '\0';
			if (!parse_num(p, &v) || v > UINT32_MAX)
				return bad(sp, err, "bad pid \"%.20s\"", p);
			tid = (uint32_t)v;
			p = skip_blanks(e + 1);
		}
		tok = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (strncmp(tok, "strace:", 7) == 0)
			continue; /* strace's own messages */
		if (tid == 0 && !parse_time(tok, &t)) {
			if (!parse_num(tok, &v) || v == 0 || v > UINT32_MAX)
				return bad(sp, err,
				    "bad first field \"%.40s\": expected a pid "
				    "or a time (-ttt, --timestamps=unix, -tt)",
				    tok);
			tid = (uint32_t)v;
			p = skip_blanks(p);
			tok = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
			if (!parse_time(tok, &t))
				return bad(sp, err,
				    "bad time \"%.40s\": expected seconds "
				    "since the epoch (-ttt or "
				    "--timestamps=unix) or HH:MM:SS.F (-tt)",
				    tok);
		} else if (tid != 0 && !parse_time(tok, &t)) {
			return bad(sp, err,
			    "bad time \"%.40s\": expected seconds since the "
			    "epoch (-ttt or --timestamps=unix) or HH:MM:SS.F "
			    "(-tt)",
			    tok);
		}
		if (tid == 0) {
			if (sp->default_pid == 0)
				sp->default_pid = 1;
			tid = sp->default_pid;
		} else if (sp->default_pid == 0) {
			sp->default_pid = tid;
		}
		body = skip_blanks(p);
		n = strlen(body);
		/* -T: a trailing "<0.000012>". */
		if (n > 2 && body[n - 1] == '>') {
			e = strrchr(body, '<');
			if (e != NULL && e > body && e[1] >= '0' &&
			    e[1] <= '9') {
				*e = '\0';
				n = (size_t)(e - body);
			}
		}
		while (n > 0 && (body[n - 1] == ' ' || body[n - 1] == '\t'))
			body[--n] = '\0';
		if (tid_find(sp, tid) == NULL &&
		    (rc = tid_add(sp, tid,
			 sp->thread_parent != 0 ? sp->thread_parent : tid,
			 err)) < 0)
			return rc;
		r->tid = tid;
		r->pid = tgid_of(sp, tid);
		r->t = t;
		if (strncmp(body, "+++", 3) == 0) {
			if (strstr(body, "superseded") != NULL) {
				/* A thread exec'ed: it became the leader. */
				tid_del(sp, tid);
				continue;
			}
			if (strstr(body, "exited") == NULL &&
			    strstr(body, "killed") == NULL)
				return bad(sp, err,
				    "expected \"+++ exited with N +++\" or "
				    "\"+++ killed by SIG +++\"");
			tid_del(sp, tid);
			if (r->pid != tid)
				continue; /* a thread ended */
			r->kind = SR_EXIT;
			return 1;
		}
		if (strncmp(body, "---", 3) == 0 || body[0] == '[' ||
		    strncmp(body, "???", 3) == 0)
			continue; /* signals, notices */
		if (n >= 16 && strcmp(body + n - 16, "<unfinished ...>") == 0) {
			n -= 16;
			while (n > 0 && body[n - 1] == ' ')
				n--;
			rc = unfinished(sp, tid, t, body, n, r, err);
			if (rc != 0)
				return rc;
			continue;
		}
		if (strncmp(body, "<...", 4) == 0) {
			e = strstr(body, "resumed>");
			if (e == NULL)
				return bad(sp, err,
				    "expected \"<... NAME resumed>\"");
			pd = pend_take(sp, tid);
			if (pd == NULL)
				return bad(sp, err,
				    "a resumed call without its unfinished "
				    "start on an earlier line of pid %" PRIu32,
				    tid);
			e += 8;
			snprintf(sp->join, sizeof(sp->join), "%s%s", pd->text,
			    e);
			r->t = pd->t;
			free(pd);
			rc = decode(sp, sp->join, r, err);
		} else {
			rc = decode(sp, body, r, err);
		}
		if (rc != 0)
			return rc;
	}
}
