/*
 * perf_parse.c - one line of perf script text into a perf_rec: the fields
 * (time, pid, hex and decimal numbers, key=value) and the records
 * `import perf` uses (perf.c).
 */
#include "import/perf_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/lines.h"

struct tok {
	const char *p;
	size_t n;
};

static bool
is_digits(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return (false);
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return (false);
	return (true);
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
		return (false);
	for (i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return (false);
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return (true);
}

static bool
decval(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!is_digits(p, n) || n > 19)
		return (false);
	for (i = 0; i < n; i++)
		x = x * 10 + (uint64_t)(p[i] - '0');
	*v = x;
	return (true);
}

/* numval() - "0x..." hex or decimal. */
static bool
numval(const char *p, size_t n, uint64_t *v)
{
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return (hexval(p, n, v));
	return (decval(p, n, v));
}

/* time_tok() - "S.F:" to ns. */
static bool
time_tok(const char *p, size_t n, uint64_t *ns)
{
	const char *dot = memchr(p, '.', n);
	uint64_t sec, frac = 0;
	size_t i, fd;

	if (n < 4 || p[n - 1] != ':' || dot == NULL)
		return (false);
	if (!decval(p, (size_t)(dot - p), &sec) || sec > 18000000000u)
		return (false);
	fd = n - 1 - (size_t)(dot - p) - 1;
	if (fd == 0 || !is_digits(dot + 1, fd))
		return (false);
	for (i = 0; i < 9; i++)
		frac = frac * 10 + (i < fd ? (uint64_t)(dot[1 + i] - '0') : 0);
	*ns = sec * 1000000000u + frac;
	return (true);
}

/* pid_tok() - "PID/TID" or "PID"; -1 values are refused. */
static bool
pid_tok(const char *p, size_t n, uint32_t *pid, uint32_t *tid)
{
	const char *slash = memchr(p, '/', n);
	uint64_t a, b;

	if (slash == NULL) {
		if (!decval(p, n, &a) || a > UINT32_MAX)
			return (false);
		*pid = *tid = (uint32_t)a;
		return (true);
	}
	if (!decval(p, (size_t)(slash - p), &a) ||
	    !decval(slash + 1, n - (size_t)(slash - p) - 1, &b) ||
	    a > UINT32_MAX || b > UINT32_MAX)
		return (false);
	*pid = (uint32_t)a;
	*tid = (uint32_t)b;
	return (true);
}

static bool
is_pidlike(const char *p, size_t n)
{
	uint32_t a, b;

	if (n >= 2 && p[0] == '-' && p[1] == '1')
		return (true); /* -1/-1: synthesized records */
	return (pid_tok(p, n, &a, &b));
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
			return (hexval(p, (size_t)(e - p), v) ? 1 : -1);
		}
		p += k;
	}
	return (0);
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
			return (true);
	return (false);
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
	return (1);
bad:
	return (import_lines_error(in, err,
	    "bad mapping record: expected \"PID/TID: [0xSTART(0xLEN) @ PGOFF "
	    "MAJ:MIN INODE GEN]: PROT NAME\""));
}

/*
 * perf_parse() - one perf script line into r.  Returns 1 with r->kind set
 * (PR_SKIP for blank, comment and call-chain lines), or <0 with err filled.
 */
int
perf_parse(struct import_lines *in, char *line, struct perf_rec *r,
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
		return (1);
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
				return (1);
		}
		return (import_lines_error(in, err,
		    "expected a perf script line \"COMM PID/TID TIME: EVENT "
		    "...\" (perf script --ns with the pid, tid, time and "
		    "event fields)"));
	}
	for (pi = ti; pi-- > 0;) {
		if (t[pi].n >= 2 && t[pi].p[0] == '[')
			continue; /* the cpu */
		break;
	}
	if (pi == (size_t)-1 || pi >= ti || !is_pidlike(t[pi].p, t[pi].n))
		return (import_lines_error(in, err,
		    "expected PID/TID before the time field (perf script -F "
		    "pid,tid,time,...)"));
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
		return (import_lines_error(in, err,
		    "expected an event name after the time field (perf "
		    "script -F ...,event)"));
	ev = t[ei].p;
	n = t[ei].n;
	rest = ev + n;
	if (n > 12 && memcmp(ev, "PERF_RECORD_", 12) == 0) {
		if (strncmp(ev, "PERF_RECORD_MMAP2", 17) == 0 ||
		    (strncmp(ev, "PERF_RECORD_MMAP", 16) == 0 && n == 16)) {
			r->kind = PR_MMAP;
			if (mmap_rest(in, rest, ev[16] == '2', r, err) < 0)
				return (-EINVAL);
			/* The record's own pid/tid is authoritative. */
			for (p = rest; *p == ' '; p++)
				continue;
			for (i = 0; p[i] != '\0' && p[i] != ':' && p[i] != ' ';
			     i++)
				continue;
			if (i >= 2 && p[0] == '-') {
				r->kind = PR_OTHER; /* -1: the kernel's maps */
				return (1);
			}
			if (i > 0 && pid_tok(p, i, &r->pid, &r->tid) == false)
				return (import_lines_error(in, err,
				    "bad mapping record: expected \"PID/TID:\" "
				    "after PERF_RECORD_MMAP2"));
			return (1);
		}
		if (strncmp(ev, "PERF_RECORD_FORK(", 17) == 0 ||
		    strncmp(ev, "PERF_RECORD_EXIT(", 17) == 0) {
			unsigned long long a, b, c, d;

			if (sscanf(ev + 16, "(%llu:%llu):(%llu:%llu)", &a, &b,
				&c, &d) != 4 ||
			    a > UINT32_MAX || c > UINT32_MAX)
				return (import_lines_error(in, err,
				    "bad task record: expected "
				    "\"PERF_RECORD_%.4s(PID:TID):(PPID:PTID)\"",
				    ev + 12));
			r->kind = ev[12] == 'F' ? PR_FORK : PR_EXIT;
			r->cpid = (uint32_t)a;
			r->tid = (uint32_t)b;
			r->ppid = (uint32_t)c;
			if (r->kind == PR_EXIT)
				r->pid = (uint32_t)a;
			return (1);
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
			return (1);
comm_bad:
			return (import_lines_error(in, err,
			    "bad comm record: expected \"PERF_RECORD_COMM[ "
			    "exec]: NAME:PID/TID\""));
		}
		r->kind = strncmp(ev, "PERF_RECORD_LOST", 16) == 0 ? PR_LOST :
								     PR_OTHER;
		return (1);
	}
	if (ev[n - 1] != ':')
		return (import_lines_error(in, err,
		    "bad event field \"%.*s\": expected an event name ending "
		    "in ':'",
		    (int)(n > 40 ? 40 : n), ev));
	n--;
	if ((n == 26 && memcmp(ev, "exceptions:page_fault_user", 26) == 0) ||
	    (n == 28 && memcmp(ev, "exceptions:page_fault_kernel", 28) == 0)) {
		int ka = keyval(rest, "address=", &r->addr);

		if (ka == 0 || keyval(rest, "error_code=", &r->ecode) != 1)
			return (import_lines_error(in, err,
			    "%.*s: expected \"address=0xADDR ... "
			    "error_code=0xCODE\"",
			    (int)n, ev));
		/* A symbol for the address: a kernel address, not ours. */
		r->kind = ka == 1 ? PR_TP_FAULT : PR_OTHER;
		return (1);
	}
	if (sw_fault_event(ev, n)) {
		while (*rest == ' ' || *rest == '\t')
			rest++;
		for (i = 0;
		     rest[i] != '\0' && rest[i] != ' ' && rest[i] != '\t'; i++)
			continue;
		if (!hexval(rest, i, &r->addr))
			return (import_lines_error(in, err,
			    "%.*s: expected the data address in hex (perf "
			    "record -d, perf script -F ...,addr)",
			    (int)n, ev));
		r->kind = PR_SW_FAULT;
		return (1);
	}
	if (n > 8 && memcmp(ev, "filemap:", 8) == 0)
		r->kind = PR_FAULT_AROUND;
	else
		r->kind = PR_OTHER;
	return (1);
}

int
perf_next(struct perf_import *pi, struct perf_rec *r, struct pg_error *err)
{
	char *line;
	size_t len;
	int rc;

	for (;;) {
		rc = import_lines_next(pi->in, &line, &len, err);
		if (rc <= 0)
			return (rc);
		if ((rc = perf_parse(pi->in, line, r, err)) < 0)
			return (rc);
		if (r->kind != PR_SKIP)
			return (1);
	}
}
