/*
 * perf.c - `import perf`: perf script text, optionally merged with the
 * strace log of the same run.
 *
 * Every perf script line is "COMM PID[/TID] [CPU] TIME: EVENT REST"; COMM
 * may hold blanks, so a line is read from its time field: the first field
 * of the form SECONDS.FRACTION: with a pid field before it.  The events
 * used: the page-fault software event (data address), the x86
 * exceptions:page_fault_user/kernel tracepoints (error code: bit 0 the page
 * was present, bit 1 a write), PERF_RECORD_MMAP2/MMAP, FORK, EXIT and
 * COMM.  Other events and records are counted and skipped.  A tracepoint
 * line and the software sample that follows it for the same thread and
 * address are one fault.
 *
 * With strace, the two logs are read side by side in time order (perf's
 * CLOCK_MONOTONIC shifted to strace's realtime by the clock offset, given
 * or estimated from the mmap calls both logs hold); strace contributes the
 * removals perf cannot see (munmap, mremap, brk, madvise) and tells which
 * processes are the workload: those it traced.
 */
#include "import/import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/lines.h"
#include "import/notes.h"
#include "import/space.h"
#include "import/strace.h"

#define MAX_TOKENS 24
#define PEND_BUCKETS 1024
#define PEND_MAX 65536
/* The prescan that estimates the clock offset reads at most this much. */
#define SCAN_PERF_LINES 400000
#define SCAN_STRACE_LINES 20000
#define SCAN_MAPS 4096
/*
 * The pairs that match the same call cluster within a few hundred
 * microseconds; pairs of different calls at a reused address scatter.
 */
#define SCAN_WINDOW_NS 1000000

enum perf_kind {
	PR_SKIP = 0,
	PR_TP_FAULT,
	PR_SW_FAULT,
	PR_MMAP,
	PR_FORK,
	PR_EXIT,
	PR_COMM,
	PR_LOST,
	PR_FAULT_AROUND,
	PR_OTHER,
};

struct perf_rec {
	enum perf_kind kind;
	uint64_t t;
	uint32_t pid, tid;
	uint64_t addr, ecode;
	uint64_t start, len, pgoff, dev, ino;
	bool anon, special, growsdown, shared, has_ino;
	uint32_t cpid, ppid;
	bool exec;
	char comm[64];
	char name[1024];
};

/* Half a fault: a tracepoint line or a sample waiting for its other half. */
struct pend {
	struct pend *next;
	uint32_t tid, pid;
	uint64_t t, addr, ecode;
	bool sample; /* the software sample (no error code) */
};

struct perf_import {
	struct import_lines *in;
	struct strace_parser *sp;
	struct import_space *s;
	const struct import_options *o;
	struct pend *pend[PEND_BUCKETS];
	size_t npend;
	int64_t offset;
	bool offset_raised; /* the given offset was below the mmap pairs' */
	bool tasks, mmaps; /* perf reports them: strace's copies are unused */
	uint64_t tp_seen, lost, fault_around, other;
	uint32_t forking_pid; /* strace alone: last unfinished fork */
	unsigned forking_flags;
};

/* ---- fields ---- */

struct tok {
	const char *p;
	size_t n;
};

static bool
is_digits(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* hexval() - hex digits (with or without 0x) of p[0..n); false if not. */
static bool
hexval(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;
	int d;

	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (n == 0 || n > 16)
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return false;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return true;
}

static bool
decval(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!is_digits(p, n) || n > 19)
		return false;
	for (i = 0; i < n; i++)
		x = x * 10 + (uint64_t)(p[i] - '0');
	*v = x;
	return true;
}

/* numval() - "0x..." hex or decimal. */
static bool
numval(const char *p, size_t n, uint64_t *v)
{
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return hexval(p, n, v);
	return decval(p, n, v);
}

/* time_tok() - "S.F:" to ns. */
static bool
time_tok(const char *p, size_t n, uint64_t *ns)
{
	const char *dot = memchr(p, '.', n);
	uint64_t sec, frac = 0;
	size_t i, fd;

	if (n < 4 || p[n - 1] != ':' || dot == NULL)
		return false;
	if (!decval(p, (size_t)(dot - p), &sec) || sec > 18000000000u)
		return false;
	fd = n - 1 - (size_t)(dot - p) - 1;
	if (fd == 0 || !is_digits(dot + 1, fd))
		return false;
	for (i = 0; i < 9; i++)
		frac = frac * 10 + (i < fd ? (uint64_t)(dot[1 + i] - '0') : 0);
	*ns = sec * 1000000000u + frac;
	return true;
}

/* pid_tok() - "PID/TID" or "PID"; -1 values are refused. */
static bool
pid_tok(const char *p, size_t n, uint32_t *pid, uint32_t *tid)
{
	const char *slash = memchr(p, '/', n);
	uint64_t a, b;

	if (slash == NULL) {
		if (!decval(p, n, &a) || a > UINT32_MAX)
			return false;
		*pid = *tid = (uint32_t)a;
		return true;
	}
	if (!decval(p, (size_t)(slash - p), &a) ||
	    !decval(slash + 1, n - (size_t)(slash - p) - 1, &b) ||
	    a > UINT32_MAX || b > UINT32_MAX)
		return false;
	*pid = (uint32_t)a;
	*tid = (uint32_t)b;
	return true;
}

static bool
is_pidlike(const char *p, size_t n)
{
	uint32_t a, b;

	if (n >= 2 && p[0] == '-' && p[1] == '1')
		return true; /* -1/-1: synthesized records */
	return pid_tok(p, n, &a, &b);
}

/*
 * keyval() - the value after "key=" in rest, up to a blank, in hex (with
 * or without 0x: the tracepoint prints %lx and %ps).  Returns 1 with *v,
 * 0 if the key is missing, -1 if its value is not hex (%ps printed a
 * kernel symbol).
 */
static int
keyval(const char *rest, const char *key, uint64_t *v)
{
	const char *p = rest, *e;
	size_t k = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if (p == rest || p[-1] == ' ' || p[-1] == '\t') {
			p += k;
			for (e = p; *e != '\0' && *e != ' ' && *e != '\t'; e++)
				continue;
			return hexval(p, (size_t)(e - p), v) ? 1 : -1;
		}
		p += k;
	}
	return 0;
}

static bool
sw_fault_event(const char *p, size_t n)
{
	static const char *const names[] = { "page-faults", "faults",
		"minor-faults", "major-faults", "page-faults:u",
		"page-faults:k", "page-faults:uk" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && memcmp(p, names[i], n) == 0)
			return true;
	return false;
}

/* mmap_rest() - " PID/TID: [0xS(0xL) @ PGOFF MAJ:MIN INO GEN]: PROT NAME". */
static int
mmap_rest(struct import_lines *in, const char *rest, bool v2,
    struct perf_rec *r, struct pg_error *err)
{
	const char *p = strchr(rest, '['), *q, *close;
	uint64_t maj, min;
	size_t n;

	if (p == NULL)
		goto bad;
	p++;
	q = strchr(p, '(');
	if (q == NULL || !hexval(p, (size_t)(q - p), &r->start))
		goto bad;
	p = q + 1;
	q = strchr(p, ')');
	if (q == NULL || !hexval(p, (size_t)(q - p), &r->len))
		goto bad;
	p = q + 1;
	while (*p == ' ')
		p++;
	if (*p != '@')
		goto bad;
	p++;
	while (*p == ' ')
		p++;
	for (q = p; *q != '\0' && *q != ' ' && *q != ']'; q++)
		continue;
	if (!numval(p, (size_t)(q - p), &r->pgoff))
		goto bad;
	close = strstr(q, "]:");
	if (close == NULL)
		goto bad;
	r->has_ino = false;
	r->dev = r->ino = 0;
	p = q;
	while (*p == ' ')
		p++;
	if (v2 && p < close && *p != '<') {
		/* MAJ:MIN (hex) INO (decimal) GEN */
		q = strchr(p, ':');
		if (q == NULL || q > close || !hexval(p, (size_t)(q - p), &maj))
			goto bad;
		p = q + 1;
		for (q = p; *q != ' ' && q < close; q++)
			continue;
		if (!hexval(p, (size_t)(q - p), &min))
			goto bad;
		p = q;
		while (*p == ' ')
			p++;
		for (q = p; *q != ' ' && q < close; q++)
			continue;
		if (!decval(p, (size_t)(q - p), &r->ino))
			goto bad;
		r->dev = maj << 20 | min;
		r->has_ino = r->ino != 0;
	}
	/* "]: PROT NAME" */
	p = close + 2;
	while (*p == ' ')
		p++;
	for (q = p; *q != '\0' && *q != ' '; q++)
		continue;
	if (q == p)
		goto bad;
	r->shared = v2 && (size_t)(q - p) >= 4 && p[3] == 's';
	p = q;
	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= sizeof(r->name))
		n = sizeof(r->name) - 1;
	memcpy(r->name, p, n);
	r->name[n] = '\0';
	r->growsdown = strcmp(r->name, "[stack]") == 0 ||
	    strncmp(r->name, "[stack:", 7) == 0;
	r->special = !r->growsdown && r->name[0] == '[' &&
	    strcmp(r->name, "[heap]") != 0 && !r->has_ino;
	r->anon = !r->has_ino &&
	    (r->name[0] == '\0' || strncmp(r->name, "//anon", 6) == 0 ||
		r->name[0] == '[' ||
		(v2 && r->dev == 0 && r->ino == 0 &&
		    strncmp(r->name, "/", 1) != 0));
	if (!r->has_ino && v2 && r->dev == 0 &&
	    strncmp(r->name, "//", 2) != 0 && r->name[0] == '/') {
		/* A file without an inode (build-id records): by its name. */
		r->anon = false;
	}
	return 1;
bad:
	return import_lines_error(in, err,
	    "bad mapping record: expected \"PID/TID: [0xSTART(0xLEN) @ PGOFF "
	    "MAJ:MIN INODE GEN]: PROT NAME\"");
}

/*
 * parse() - one perf script line into r.  Returns 1 with r->kind set (PR_SKIP
 * for blank, comment and call-chain lines), or <0 with err filled.
 */
static int
parse(struct import_lines *in, char *line, struct perf_rec *r,
    struct pg_error *err)
{
	struct tok t[MAX_TOKENS];
	size_t nt = 0, ti, pi, ei, i, n;
	const char *p = line, *rest, *ev;
	uint64_t v;

	r->kind = PR_SKIP;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 1;
	while (*p != '\0' && nt < MAX_TOKENS) {
		t[nt].p = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		t[nt].n = (size_t)(p - t[nt].p);
		nt++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	for (ti = 0; ti < nt; ti++)
		if (time_tok(t[ti].p, t[ti].n, &r->t))
			break;
	if (ti == nt) {
		/* A call-chain line: "ADDR SYM (DSO)" with no time. */
		if (line[0] == ' ' || line[0] == '\t') {
			if (hexval(t[0].p, t[0].n, &v))
				return 1;
		}
		return import_lines_error(in, err,
		    "expected a perf script line \"COMM PID/TID TIME: EVENT "
		    "...\" (perf script --ns with the pid, tid, time and "
		    "event fields)");
	}
	for (pi = ti; pi-- > 0;) {
		if (t[pi].n >= 2 && t[pi].p[0] == '[')
			continue; /* the cpu */
		break;
	}
	if (pi == (size_t)-1 || pi >= ti || !is_pidlike(t[pi].p, t[pi].n))
		return import_lines_error(in, err,
		    "expected PID/TID before the time field (perf script -F "
		    "pid,tid,time,...)");
	if (t[pi].p[0] == '-') {
		r->pid = r->tid = 0;
	} else {
		pid_tok(t[pi].p, t[pi].n, &r->pid, &r->tid);
	}
	n = pi > 0 ? (size_t)(t[pi - 1].p + t[pi - 1].n - t[0].p) : 0;
	if (n >= sizeof(r->comm))
		n = sizeof(r->comm) - 1;
	memcpy(r->comm, t[0].p, n);
	r->comm[n] = '\0';
	/* The event, after an optional period. */
	for (ei = ti + 1; ei < nt && is_digits(t[ei].p, t[ei].n); ei++)
		continue;
	if (ei >= nt)
		return import_lines_error(in, err,
		    "expected an event name after the time field (perf "
		    "script -F ...,event)");
	ev = t[ei].p;
	n = t[ei].n;
	rest = ev + n;
	if (n > 12 && memcmp(ev, "PERF_RECORD_", 12) == 0) {
		if (strncmp(ev, "PERF_RECORD_MMAP2", 17) == 0 ||
		    (strncmp(ev, "PERF_RECORD_MMAP", 16) == 0 && n == 16)) {
			r->kind = PR_MMAP;
			if (mmap_rest(in, rest, ev[16] == '2', r, err) < 0)
				return -EINVAL;
			/* The record's own pid/tid is authoritative. */
			for (p = rest; *p == ' '; p++)
				continue;
			for (i = 0; p[i] != '\0' && p[i] != ':' && p[i] != ' ';
			     i++)
				continue;
			if (i >= 2 && p[0] == '-') {
				r->kind = PR_OTHER; /* -1: the kernel's maps */
				return 1;
			}
			if (i > 0 && pid_tok(p, i, &r->pid, &r->tid) == false)
				return import_lines_error(in, err,
				    "bad mapping record: expected \"PID/TID:\" "
				    "after PERF_RECORD_MMAP2");
			return 1;
		}
		if (strncmp(ev, "PERF_RECORD_FORK(", 17) == 0 ||
		    strncmp(ev, "PERF_RECORD_EXIT(", 17) == 0) {
			unsigned long long a, b, c, d;

			if (sscanf(ev + 16, "(%llu:%llu):(%llu:%llu)", &a, &b,
				&c, &d) != 4 ||
			    a > UINT32_MAX || c > UINT32_MAX)
				return import_lines_error(in, err,
				    "bad task record: expected "
				    "\"PERF_RECORD_%.4s(PID:TID):(PPID:PTID)\"",
				    ev + 12);
			r->kind = ev[12] == 'F' ? PR_FORK : PR_EXIT;
			r->cpid = (uint32_t)a;
			r->tid = (uint32_t)b;
			r->ppid = (uint32_t)c;
			if (r->kind == PR_EXIT)
				r->pid = (uint32_t)a;
			return 1;
		}
		if (strncmp(ev, "PERF_RECORD_COMM", 16) == 0) {
			const char *colon, *last;

			/* "PERF_RECORD_COMM exec: NAME:PID/TID" is an exec,
			 * "PERF_RECORD_COMM: NAME:PID/TID" a rename. */
			for (p = rest; *p == ' '; p++)
				continue;
			r->exec = memchr(ev, ':', n) == NULL &&
			    strncmp(p, "exec:", 5) == 0;
			colon = strchr(ev, ':');
			if (colon == NULL)
				colon = strchr(rest, ':');
			if (colon == NULL)
				goto comm_bad;
			for (p = colon + 1; *p == ' '; p++)
				continue;
			last = strrchr(p, ':');
			if (last == NULL)
				goto comm_bad;
			n = (size_t)(last - p);
			if (n >= sizeof(r->name))
				n = sizeof(r->name) - 1;
			memcpy(r->name, p, n);
			r->name[n] = '\0';
			r->kind = PR_COMM;
			return 1;
comm_bad:
			return import_lines_error(in, err,
			    "bad comm record: expected \"PERF_RECORD_COMM[ "
			    "exec]: NAME:PID/TID\"");
		}
		r->kind = strncmp(ev, "PERF_RECORD_LOST", 16) == 0 ? PR_LOST :
								     PR_OTHER;
		return 1;
	}
	if (ev[n - 1] != ':')
		return import_lines_error(in, err,
		    "bad event field \"%.*s\": expected an event name ending "
		    "in ':'",
		    (int)(n > 40 ? 40 : n), ev);
	n--;
	if ((n == 26 && memcmp(ev, "exceptions:page_fault_user", 26) == 0) ||
	    (n == 28 && memcmp(ev, "exceptions:page_fault_kernel", 28) == 0)) {
		int ka = keyval(rest, "address=", &r->addr);

		if (ka == 0 || keyval(rest, "error_code=", &r->ecode) != 1)
			return import_lines_error(in, err,
			    "%.*s: expected \"address=0xADDR ... "
			    "error_code=0xCODE\"",
			    (int)n, ev);
		/* A symbol for the address: a kernel address, not ours. */
		r->kind = ka == 1 ? PR_TP_FAULT : PR_OTHER;
		return 1;
	}
	if (sw_fault_event(ev, n)) {
		while (*rest == ' ' || *rest == '\t')
			rest++;
		for (i = 0;
		     rest[i] != '\0' && rest[i] != ' ' && rest[i] != '\t'; i++)
			continue;
		if (!hexval(rest, i, &r->addr))
			return import_lines_error(in, err,
			    "%.*s: expected the data address in hex (perf "
			    "record -d, perf script -F ...,addr)",
			    (int)n, ev);
		r->kind = PR_SW_FAULT;
		return 1;
	}
	if (n > 8 && memcmp(ev, "filemap:", 8) == 0)
		r->kind = PR_FAULT_AROUND;
	else
		r->kind = PR_OTHER;
	return 1;
}

static int
perf_next(struct perf_import *pi, struct perf_rec *r, struct pg_error *err)
{
	char *line;
	size_t len;
	int rc;

	for (;;) {
		rc = import_lines_next(pi->in, &line, &len, err);
		if (rc <= 0)
			return rc;
		if ((rc = parse(pi->in, line, r, err)) < 0)
			return rc;
		if (r->kind != PR_SKIP)
			return 1;
	}
}

/* ---- applying ---- */

static bool
user_addr(uint64_t a)
{
	/* Canonical kernel addresses have the top bit set (x86-64, arm64). */
	return (a >> 63) == 0;
}

static unsigned
flags_of(uint64_t ecode)
{
	return IMPORT_TOUCH_KNOWN | (ecode & 2 ? IMPORT_TOUCH_WRITE : 0) |
	    (ecode & 1 ? IMPORT_TOUCH_PRESENT : 0);
}

static struct pend *
pend_take(struct perf_import *pi, uint32_t tid)
{
	struct pend **pp, *p;

	for (pp = &pi->pend[tid % PEND_BUCKETS]; (p = *pp) != NULL;
	     pp = &p->next)
		if (p->tid == tid) {
			*pp = p->next;
			pi->npend--;
			return p;
		}
	return NULL;
}

static int
where(struct import_lines *in, struct pg_error *err, int rc)
{
	if (err->file[0] == '\0') {
		snprintf(err->file, sizeof(err->file), "%s",
		    import_lines_name(in));
		err->pos_kind = PG_POS_LINE;
		err->pos = import_lines_lineno(in);
	}
	return rc;
}

/* touch_pend() - write p's fault alone (its other half never came). */
static int
touch_pend(struct perf_import *pi, struct pend *p, uint64_t off,
    struct pg_error *err)
{
	int rc;

	rc = import_space_touch(pi->s, p->t + off, p->pid, p->addr,
	    p->sample ? 0 : flags_of(p->ecode), err);
	free(p);
	return rc < 0 ? rc : 0;
}

static int
cmp_pend_time(const void *a, const void *b)
{
	const struct pend *x = *(struct pend *const *)a;
	const struct pend *y = *(struct pend *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/*
 * flush_all() - write every half fault, oldest first, before anything
 * that changes mappings or processes: each resolves against the mappings
 * of its own time.
 */
static int
flush_all(struct perf_import *pi, uint64_t off, struct pg_error *err)
{
	struct pend *one[16], **v = one, *p;
	size_t n = 0, i;
	unsigned b;
	int rc = 0;

	if (pi->npend == 0)
		return 0;
	if (pi->npend > sizeof(one) / sizeof(one[0])) {
		v = malloc(pi->npend * sizeof(*v));
		if (v == NULL)
			return pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "out of memory");
	}
	for (b = 0; b < PEND_BUCKETS; b++) {
		for (p = pi->pend[b]; p != NULL; p = p->next)
			v[n++] = p;
		pi->pend[b] = NULL;
	}
	pi->npend = 0;
	qsort(v, n, sizeof(*v), cmp_pend_time);
	for (i = 0; i < n; i++) {
		if (rc < 0) {
			free(v[i]);
			continue;
		}
		rc = touch_pend(pi, v[i], off, err);
	}
	if (v != one)
		free(v);
	return rc;
}

/* hold() - keep half a fault of r until its other half or a change. */
static int
hold(struct perf_import *pi, const struct perf_rec *r, bool sample,
    struct pg_error *err)
{
	struct pend *p;

	if (pi->npend >= PEND_MAX)
		return pg_error_setv(err, -ENOSPC, "", PG_POS_NONE, 0,
		    "more than %d threads with a fault pending (the "
		    "importer's limit)",
		    PEND_MAX);
	if ((p = malloc(sizeof(*p))) == NULL)
		return pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
	p->tid = r->tid;
	p->pid = r->pid;
	p->t = r->t;
	p->addr = r->addr;
	p->ecode = r->ecode;
	p->sample = sample;
	p->next = pi->pend[r->tid % PEND_BUCKETS];
	pi->pend[r->tid % PEND_BUCKETS] = p;
	pi->npend++;
	return 0;
}

/*
 * fault_half() - a tracepoint line (sample false) or a software sample
 * (true).  The two halves of one fault are adjacent for the same thread
 * and address, in either order; a half that is followed by anything else
 * of its thread is a fault of its own.
 */
static int
fault_half(struct perf_import *pi, const struct perf_rec *r, bool sample,
    struct pg_error *err)
{
	uint64_t off = (uint64_t)pi->offset;
	struct pend *p = pend_take(pi, r->tid);
	uint64_t ecode;
	int rc;

	if (p != NULL && p->sample != sample && p->addr == r->addr) {
		ecode = sample ? p->ecode : r->ecode;
		/* The fault's time is the sample's. */
		rc = import_space_touch(pi->s,
		    (sample ? r->t : p->t) + off, r->pid, r->addr,
		    flags_of(ecode), err);
		free(p);
		return rc < 0 ? rc : 0;
	}
	if (p != NULL && (rc = touch_pend(pi, p, off, err)) < 0)
		return rc;
	return hold(pi, r, sample, err);
}

static int
ensure(struct perf_import *pi, uint64_t t, uint32_t pid, const char *comm,
    struct pg_error *err)
{
	if (pid == 0 || import_space_known(pi->s, pid))
		return 0;
	return import_space_proc(pi->s, t, pid, comm, 0, false, err);
}

static int
apply_perf(struct perf_import *pi, struct perf_rec *r, struct pg_error *err)
{
	uint64_t t = r->t + (uint64_t)pi->offset;
	uint64_t off = (uint64_t)pi->offset;
	struct import_mapping m = { 0 };
	int rc;

	switch (r->kind) {
	case PR_TP_FAULT:
		pi->tp_seen++;
		if (!user_addr(r->addr))
			return 0;
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return rc;
		return fault_half(pi, r, false, err);
	case PR_SW_FAULT:
		if (!user_addr(r->addr))
			return 0;
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return rc;
		return fault_half(pi, r, true, err);
	default:
		break;
	}
	/* Anything else may change mappings: the halves go first. */
	if (r->kind != PR_LOST && r->kind != PR_FAULT_AROUND &&
	    r->kind != PR_OTHER && (rc = flush_all(pi, off, err)) < 0)
		return rc;
	switch (r->kind) {
	case PR_MMAP:
		if ((rc = ensure(pi, t, r->pid, r->comm, err)) < 0)
			return rc;
		m.kind = r->special ? IMPORT_MAP_SPECIAL :
		    r->anon	    ? IMPORT_MAP_ANON :
				      IMPORT_MAP_FILE;
		m.dev = r->dev;
		m.ino = r->ino;
		m.path = r->name;
		m.pgoff = m.kind == IMPORT_MAP_FILE ? r->pgoff : 0;
		m.shared = r->shared;
		m.growsdown = r->growsdown;
		return import_space_map(pi->s, t, r->pid, r->start, r->len, &m,
		    IMPORT_MAP_KEEP, err);
	case PR_FORK:
		if (r->cpid == r->ppid)
			return 0; /* a thread */
		if ((rc = ensure(pi, t, r->ppid, r->comm, err)) < 0)
			return rc;
		return import_space_proc(pi->s, t, r->cpid, r->comm, r->ppid,
		    false, err);
	case PR_EXIT:
		if (r->pid != r->tid)
			return 0;
		return import_space_exit(pi->s, t, r->pid, err);
	case PR_COMM:
		if (!r->exec)
			return 0;
		return import_space_exec(pi->s, t, r->pid, r->name, err);
	case PR_LOST:
		pi->lost++;
		return 0;
	case PR_FAULT_AROUND:
		pi->fault_around++;
		return 0;
	default:
		pi->other++;
		return 0;
	}
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL && b[1] != '\0' ? b + 1 : path;
}

/*
 * import_apply_strace() - one strace record, with perf (tasks/mmaps: what
 * perf already reports) or alone.  Shared with strace.c.
 */
int
import_apply_strace(struct import_space *s, const struct strace_rec *r,
    uint64_t t, bool merged, bool tasks, bool mmaps, uint32_t *forking_pid,
    unsigned *forking_flags, struct pg_error *err)
{
	struct import_mapping m = { 0 };
	int rc;

	if (!import_space_known(s, r->pid)) {
		if (merged) {
			rc = import_space_select(s, r->pid,
			    r->kind == SR_EXECVE, err);
		} else {
			rc = import_space_proc(s, t, r->pid, NULL,
			    *forking_pid != r->pid ? *forking_pid : 0,
			    (*forking_flags & SR_CLONE_VM) != 0, err);
			*forking_pid = 0;
		}
		if (rc < 0)
			return rc;
	} else if (merged) {
		if ((rc = import_space_select(s, r->pid, r->kind == SR_EXECVE,
			 err)) < 0)
			return rc;
	}
	switch (r->kind) {
	case SR_MMAP:
		m.kind = (r->flags & SR_MAP_ANON) ? IMPORT_MAP_ANON :
						    IMPORT_MAP_FILE;
		m.path = r->path[0] != '\0' ? r->path : NULL;
		if (m.kind == IMPORT_MAP_FILE && m.path == NULL)
			m.path = "unknown-file"; /* strace without -y */
		m.pgoff = r->off;
		m.shared = (r->flags & SR_MAP_SHARED) != 0;
		/*
		 * With perf's mapping records, perf's record of this very
		 * call replaces what differs; an unmap here could come after
		 * it when the clocks are a few microseconds apart.
		 */
		if (mmaps)
			return 0;
		if ((r->flags & SR_MAP_FIXED) != 0 &&
		    (rc = import_space_unmap(s, t, r->pid, r->addr, r->len,
			 err)) < 0)
			return rc;
		return import_space_map(s, t, r->pid, r->addr, r->len, &m,
		    IMPORT_MAP_KEEP, err);
	case SR_MUNMAP:
		return import_space_unmap(s, t, r->pid, r->addr, r->len, err);
	case SR_MREMAP:
		return import_space_remap(s, t, r->pid, r->addr, r->len,
		    r->len2, r->result, err);
	case SR_BRK:
		return import_space_brk(s, t, r->pid, r->result, err);
	case SR_MADVISE:
		return import_space_discard(s, t, r->pid, r->addr, r->len,
		    r->advice == 2, err);
	case SR_FORKING:
		if ((r->flags & SR_CLONE_THREAD) != 0)
			return 0;
		if ((r->flags & SR_CLONE_VFORK) != 0)
			import_space_set_vfork(s, r->pid);
		*forking_pid = r->pid;
		*forking_flags = r->flags;
		return 0;
	case SR_CLONE:
		if ((r->flags & SR_CLONE_THREAD) != 0)
			return 0;
		if (tasks) {
			if ((r->flags & SR_CLONE_VFORK) != 0)
				import_space_set_vfork(s, r->pid);
			return 0;
		}
		*forking_pid = 0;
		return import_space_proc(s, t, r->child, NULL, r->pid,
		    (r->flags & SR_CLONE_VM) != 0, err);
	case SR_EXECVE:
		if (tasks)
			return 0;
		return import_space_exec(s, t, r->pid, base_name(r->path), err);
	case SR_EXIT:
		if (tasks)
			return 0;
		return import_space_exit(s, t, r->pid, err);
	}
	return 0;
}

/* ---- the clock offset ---- */

struct scan_map {
	uint32_t pid;
	uint64_t addr, t;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * prescan() - read the first lines of both logs once before the import:
 * whether perf reports tasks and mappings itself (if not, strace's are
 * used), and realtime minus monotonic from the mmap calls both logs hold
 * (*pairs of them; none is an error only if need_offset).  strace stamps a
 * call at its entry, perf its mapping record during the call, so each pair
 * bounds the offset from below; the tightest bound within the densest
 * millisecond of bounds is taken (address reuse pairs some calls with the
 * wrong record, far away).
 */
static int
prescan(const char *perf_path, const char *strace_path, bool need_offset,
    int64_t *off, uint64_t *pairs, bool *tasks, bool *mmaps,
    struct pg_error *err)
{
	struct import_lines *in = NULL;
	struct strace_parser *sp = NULL;
	struct scan_map *pm = NULL;
	struct strace_rec *sr = NULL;
	struct perf_rec *r = NULL;
	int64_t *d = NULL, best = 0;
	size_t np = 0, nd = 0, i, k, nbest;
	char *line;
	size_t len;
	int rc;

	pm = malloc(SCAN_MAPS * sizeof(*pm));
	d = malloc(SCAN_MAPS * sizeof(*d));
	r = malloc(sizeof(*r));
	sr = malloc(sizeof(*sr));
	if (pm == NULL || d == NULL || r == NULL || sr == NULL) {
		rc = pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
		goto out;
	}
	if ((rc = import_lines_open(perf_path, &in, err)) < 0)
		goto out;
	*tasks = *mmaps = false;
	while (import_lines_lineno(in) < SCAN_PERF_LINES &&
	    (rc = import_lines_next(in, &line, &len, err)) == 1) {
		if ((rc = parse(in, line, r, err)) < 0)
			goto out;
		if (r->kind == PR_FORK || r->kind == PR_EXIT ||
		    r->kind == PR_COMM)
			*tasks = true;
		if (r->kind != PR_MMAP || np >= SCAN_MAPS)
			continue;
		*mmaps = true;
		pm[np].pid = r->pid;
		pm[np].addr = r->start;
		pm[np].t = r->t;
		np++;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if ((rc = strace_open(strace_path, &sp, err)) < 0)
		goto out;
	while (nd < SCAN_MAPS && strace_lines(sp) < SCAN_STRACE_LINES &&
	    (rc = strace_next(sp, sr, err)) == 1) {
		if (sr->kind != SR_MMAP)
			continue;
		for (i = 0; i < np; i++)
			if (pm[i].pid == sr->pid && pm[i].addr == sr->addr &&
			    nd < SCAN_MAPS)
				d[nd++] = (int64_t)(sr->t - pm[i].t);
	}
	if (rc < 0)
		goto out;
	rc = 0;
	*pairs = nd;
	if (nd == 0 && !need_offset)
		goto out;
	if (nd == 0) {
		rc = pg_error_setv(err, -EINVAL, strace_path, PG_POS_NONE, 0,
		    "cannot align the clocks: no mmap call of the strace log "
		    "matches a perf mapping record in the first lines; give "
		    "--clock-offset NS or --clock FILE");
		goto out;
	}
	qsort(d, nd, sizeof(*d), cmp_i64);
	/* The densest SCAN_WINDOW_NS of differences, then its top. */
	for (k = 0, i = 0, nbest = 0; k < nd; k++) {
		while (d[k] - d[i] > SCAN_WINDOW_NS)
			i++;
		if (k - i + 1 > nbest) {
			nbest = k - i + 1;
			best = d[k];
		}
	}
	*off = best;
out:
	strace_close(sp);
	import_lines_close(in);
	free(pm);
	free(d);
	free(r);
	free(sr);
	return rc;
}

/* ---- the driver ---- */

static void
perf_notes(struct import_notes *n, const struct perf_import *pi,
    const struct import_stats *st, bool merged, uint64_t pairs)
{
	if (pi->tp_seen == 0)
		import_note(n,
		    "no write information: no exceptions:page_fault_* "
		    "tracepoint in the recording, every fault is a read");
	import_note(n,
	    "first touches only: perf sees the fault that maps a page, not "
	    "later references; fault-around pages (mapped without a fault) "
	    "are not in the trace");
	if (!merged)
		import_note(n,
		    "no frees: perf sees no munmap, brk or madvise (merge an "
		    "strace log with --strace); exits are known");
	if (pi->o->anon_dirty)
		import_note(n,
		    "anonymous pages count as dirty from their first fault "
		    "(no backing store; later writes take no fault)");
	import_note(n,
	    "copy-on-write after fork is not modelled: parent and child "
	    "share their anonymous objects");
	import_note(n,
	    "faults: %" PRIu64 " of the workload, %" PRIu64
	    " resolved to a mapping, %" PRIu64
	    " unresolved and dropped; %" PRIu64 " with the write flag, %" PRIu64
	    " writes",
	    st->samples, st->resolved, st->unresolved, st->with_flags,
	    st->writes);
	if (pi->lost > 0)
		import_note(n, "perf lost records %" PRIu64 " times", pi->lost);
	if (merged)
		import_note(n,
		    "clock offset (realtime - monotonic) %" PRId64 " ns, %s",
		    pi->offset,
		    !pi->o->clock_offset_set ? "estimated from the mmap calls" :
		    pi->offset_raised ?
					       "given, raised to the bound of the mmap calls" :
					       "given");
	(void)pairs;
}

int
import_perf(const char *perf_path, const char *strace_path,
    const struct import_options *o, struct trace_writer *w,
    struct import_stats *st, struct pg_error *err)
{
	struct perf_import pi = { 0 };
	struct import_options so = *o;
	struct import_notes notes;
	struct strace_rec *sr = NULL;
	struct perf_rec *pr = NULL;
	uint64_t pairs = 0;
	int64_t est = 0;
	bool have_p, have_s = false;
	unsigned i;
	int rc;

	pg_error_clear(err);
	memset(st, 0, sizeof(*st));
	pi.o = &so;
	pi.tasks = pi.mmaps = true;
	if (strace_path != NULL) {
		so.all_pids = false;
		if (o->clock_offset_set)
			pi.offset = o->clock_offset;
		if (strcmp(perf_path, "-") != 0 &&
		    strcmp(strace_path, "-") != 0) {
			rc = prescan(perf_path, strace_path,
			    !o->clock_offset_set, &est, &pairs, &pi.tasks,
			    &pi.mmaps, err);
			if (rc < 0)
				return rc;
			/*
			 * The pairs bound the offset from below; a clock file
			 * read before the run can be a few microseconds
			 * under that bound, which puts strace's calls after
			 * the mappings they made.  Take the bound then.
			 */
			if (!o->clock_offset_set)
				pi.offset = est;
			else if (pairs > 0 && est > pi.offset &&
			    est - pi.offset < SCAN_WINDOW_NS) {
				pi.offset = est;
				pi.offset_raised = true;
			}
		} else if (!o->clock_offset_set) {
			return pg_error_setv(err, -EINVAL, "", PG_POS_NONE, 0,
			    "reading standard input, the clock offset cannot "
			    "be estimated: give --clock-offset NS or --clock "
			    "FILE");
		}
	} else if (o->root_pid == 0) {
		so.all_pids = true;
	}
	pr = malloc(sizeof(*pr));
	sr = malloc(sizeof(*sr));
	if (pr == NULL || sr == NULL) {
		rc = pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
		goto out;
	}
	if ((rc = import_space_create(w, &so, &pi.s)) < 0) {
		pg_error_setv(err, rc, "", PG_POS_NONE, 0, "out of memory");
		goto out;
	}
	if ((rc = import_lines_open(perf_path, &pi.in, err)) < 0)
		goto out;
	if (strace_path != NULL &&
	    (rc = strace_open(strace_path, &pi.sp, err)) < 0)
		goto out;

	if ((rc = perf_next(&pi, pr, err)) < 0)
		goto out;
	have_p = rc == 1;
	if (pi.sp != NULL) {
		if ((rc = strace_next(pi.sp, sr, err)) < 0)
			goto out;
		have_s = rc == 1;
	}
	while (have_p || have_s) {
		if (have_p &&
		    (!have_s || pr->t + (uint64_t)pi.offset < sr->t)) {
			if ((rc = apply_perf(&pi, pr, err)) < 0) {
				where(pi.in, err, rc);
				goto out;
			}
			if ((rc = perf_next(&pi, pr, err)) < 0)
				goto out;
			have_p = rc == 1;
		} else {
			rc = flush_all(&pi, (uint64_t)pi.offset, err);
			if (rc < 0) {
				where(pi.in, err, rc);
				goto out;
			}
			rc = import_apply_strace(pi.s, sr, sr->t, true,
			    pi.tasks, pi.mmaps, &pi.forking_pid,
			    &pi.forking_flags, err);
			if (rc < 0) {
				if (err->file[0] == '\0')
					strace_where(pi.sp, err);
				goto out;
			}
			if ((rc = strace_next(pi.sp, sr, err)) < 0)
				goto out;
			have_s = rc == 1;
		}
	}
	if ((rc = flush_all(&pi, (uint64_t)pi.offset, err)) < 0) {
		where(pi.in, err, rc);
		goto out;
	}
	import_space_stats(pi.s, st);
	st->lines = import_lines_lineno(pi.in) +
	    (pi.sp != NULL ? strace_lines(pi.sp) : 0);
	import_notes_init(&notes);
	import_note(&notes, "imported by pgreplay import perf%s",
	    strace_path != NULL ? " --strace" : "");
	perf_notes(&notes, &pi, st, strace_path != NULL, pairs);
	import_notes_objects(&notes, st);
	rc = import_notes_write(&notes, w, err);
out:
	for (i = 0; i < PEND_BUCKETS; i++)
		while (pi.pend[i] != NULL)
			free(pend_take(&pi, pi.pend[i]->tid));
	import_space_destroy(pi.s);
	strace_close(pi.sp);
	import_lines_close(pi.in);
	free(pr);
	free(sr);
	return rc;
}
