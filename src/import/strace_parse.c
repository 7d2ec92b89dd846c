/*
 * strace_parse.c - the strace -f log parser (strace.h).  Each line is cut
 * field by field: prefix (pid, time), then the call, its arguments split at
 * the top-level commas (quotes, brackets and braces respected), then the
 * result.  Only the calls that change address spaces or processes are
 * decoded (strace_decode.c); the rest are checked for shape and skipped.
 * This file holds the parser's state: the thread table, the unfinished
 * calls, and the loop over lines.
 */
#include "import/strace_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned
h32(uint32_t x)
{
	return ((x * 2654435761u) >> 22 & (HASH_BUCKETS - 1));
}

int
strace_bad(struct strace_parser *sp, struct pg_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(err, -EINVAL, import_lines_name(sp->in), PG_POS_LINE,
	    import_lines_lineno(sp->in), fmt, ap);
	va_end(ap);
	return (rc);
}

int
strace_open(const char *path, struct strace_parser **out, struct pg_error *err)
{
	struct strace_parser *sp;
	int rc;

	*out = NULL;
	sp = calloc(1, sizeof(*sp));
	if (sp == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	if ((rc = import_lines_open(path, &sp->in, err)) < 0) {
		free(sp);
		return (rc);
	}
	*out = sp;
	return (0);
}

void
strace_close(struct strace_parser *sp)
{
	struct pending *p, *pn;
	unsigned i;

	if (sp == NULL)
		return;
	pg_idmap_finish(&sp->tids);
	for (i = 0; i < HASH_BUCKETS; i++) {
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
	return (import_lines_lineno(sp->in));
}

void
strace_where(const struct strace_parser *sp, struct pg_error *err)
{
	snprintf(err->file, sizeof(err->file), "%s", import_lines_name(sp->in));
	err->pos_kind = PG_POS_LINE;
	err->pos = sp->lineno;
}

static bool
tid_known(const struct strace_parser *sp, uint32_t tid)
{
	uint32_t pid;

	return (pg_idmap_get(&sp->tids, tid, &pid));
}

static uint32_t
tgid_of(const struct strace_parser *sp, uint32_t tid)
{
	uint32_t pid;

	return (pg_idmap_get(&sp->tids, tid, &pid) ? pid : tid);
}

/*
 * strace_tid_add() - tid belongs to process pid (pid == tid: a process of its
 * own).  A tid first taken for a process, then named by a CLONE_THREAD
 * clone (the thread spoke before its clone returned), becomes a thread.
 */
int
strace_tid_add(struct strace_parser *sp, uint32_t tid, uint32_t pid,
    struct pg_error *err)
{
	uint32_t was;

	if (pg_idmap_get(&sp->tids, tid, &was)) {
		if (was == tid &&
		    pg_idmap_put(&sp->tids, tid, pid) != 0)
			return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "out of memory"));
		return (0);
	}
	if (sp->tids.count >= STRACE_TIDS_MAX)
		return (strace_bad(sp, err,
		    "more than %d live threads (the importer's limit)",
		    STRACE_TIDS_MAX));
	if (pg_idmap_put(&sp->tids, tid, pid) != 0)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory"));
	return (0);
}

static void
tid_del(struct strace_parser *sp, uint32_t tid)
{
	pg_idmap_del(&sp->tids, tid);
}

static struct pending *
pend_take(struct strace_parser *sp, uint32_t tid)
{
	struct pending **pp, *p;

	for (pp = &sp->pend[h32(tid)]; (p = *pp) != NULL; pp = &p->next)
		if (p->tid == tid) {
			*pp = p->next;
			sp->npend--;
			return (p);
		}
	return (NULL);
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
			return (strace_bad(sp, err,
			    "more than %d calls unfinished at once (the "
			    "importer's limit)",
			    STRACE_PENDING_MAX));
		p = malloc(sizeof(*p));
		if (p == NULL)
			return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "out of memory"));
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
		return (0);
	memcpy(name, body, k);
	name[k] = '\0';
	if (!strace_forklike(name))
		return (0);
	/* The list is cut: close it so that the flags can be read. */
	body[n] = ')';
	body[n + 1] = '\0';
	na = strace_split_args(open + 1, a, MAX_ARGS, &end);
	r->flags = na >= 0 ? strace_fork_flags(name, a, na) : 0;
	if ((r->flags & SR_CLONE_THREAD) != 0)
		sp->thread_parent = tgid_of(sp, tid);
	r->kind = SR_FORKING;
	return (1);
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
			return (rc);
		sp->lineno = import_lines_lineno(sp->in);
		p = strace_skip_blanks(line);
		if (*p == '\0')
			continue;
		memset(r, 0, offsetof(struct strace_rec, path));
		r->path[0] = '\0';
		/* Prefix: "[pid N]" or "N", then the time. */
		tid = 0;
		if (strncmp(p, "[pid", 4) == 0) {
			p = strace_skip_blanks(p + 4);
			e = strchr(p, ']');
			if (e == NULL)
				return (strace_bad(sp, err,
				    "expected \"[pid N]\""));
			*e = '\0';
			if (!strace_parse_num(p, &v) || v > UINT32_MAX)
				return (strace_bad(sp, err, "bad pid \"%.20s\"",
				    p));
			tid = (uint32_t)v;
			p = strace_skip_blanks(e + 1);
		}
		tok = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (strncmp(tok, "strace:", 7) == 0)
			continue; /* strace's own messages */
		if (tid == 0 && !strace_parse_time(tok, &t)) {
			if (!strace_parse_num(tok, &v) || v == 0 ||
			    v > UINT32_MAX)
				return (strace_bad(sp, err,
				    "bad first field \"%.40s\": expected a pid "
				    "or a time (-ttt, --timestamps=unix, -tt)",
				    tok));
			tid = (uint32_t)v;
			p = strace_skip_blanks(p);
			tok = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
			if (!strace_parse_time(tok, &t))
				return (strace_bad(sp, err,
				    "bad time \"%.40s\": expected seconds "
				    "since the epoch (-ttt or "
				    "--timestamps=unix) or HH:MM:SS.F (-tt)",
				    tok));
		} else if (tid != 0 && !strace_parse_time(tok, &t)) {
			return (strace_bad(sp, err,
			    "bad time \"%.40s\": expected seconds since the "
			    "epoch (-ttt or --timestamps=unix) or HH:MM:SS.F "
			    "(-tt)",
			    tok));
		}
		if (tid == 0) {
			if (sp->default_pid == 0)
				sp->default_pid = 1;
			tid = sp->default_pid;
		} else if (sp->default_pid == 0) {
			sp->default_pid = tid;
		}
		body = strace_skip_blanks(p);
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
		if (!tid_known(sp, tid) &&
		    (rc = strace_tid_add(sp, tid,
			 sp->thread_parent != 0 ? sp->thread_parent : tid,
			 err)) < 0)
			return (rc);
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
				return (strace_bad(sp, err,
				    "expected \"+++ exited with N +++\" or "
				    "\"+++ killed by SIG +++\""));
			tid_del(sp, tid);
			if (r->pid != tid)
				continue; /* a thread ended */
			r->kind = SR_EXIT;
			return (1);
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
				return (rc);
			continue;
		}
		if (strncmp(body, "<...", 4) == 0) {
			e = strstr(body, "resumed>");
			if (e == NULL)
				return (strace_bad(sp, err,
				    "expected \"<... NAME resumed>\""));
			pd = pend_take(sp, tid);
			if (pd == NULL)
				return (strace_bad(sp, err,
				    "a resumed call without its unfinished "
				    "start on an earlier line of pid %" PRIu32,
				    tid));
			e += 8;
			snprintf(sp->join, sizeof(sp->join), "%s%s", pd->text,
			    e);
			r->t = pd->t;
			free(pd);
			rc = strace_decode(sp, sp->join, r, err);
		} else {
			rc = strace_decode(sp, body, r, err);
		}
		if (rc != 0)
			return (rc);
	}
}
