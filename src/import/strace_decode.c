/*
 * strace_decode.c - the fields of an strace line (numbers, times, the
 * argument list, flags, fds, the result) and the decoding of the calls
 * that change address spaces or processes into a strace_rec.
 */
#include "import/strace_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
strace_skip_blanks(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return (p);
}

/* strace_parse_num() - decimal or 0x hex, all of s; false if not a number. */
bool
strace_parse_num(const char *s, uint64_t *v)
{
	uint64_t x = 0, d;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return (false);
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = (uint64_t)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (uint64_t)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (uint64_t)(*s - 'A' + 10);
		else
			return (false);
		if (x > (UINT64_MAX - d) / (uint64_t)base)
			return (false);
		x = x * (uint64_t)base + d;
	}
	*v = x;
	return (true);
}

/* strace_parse_time() - "S.F" (epoch) or "HH:MM:SS.F" to ns; false if neither.
 */
bool
strace_parse_time(const char *s, uint64_t *ns)
{
	uint64_t part[3] = { 0, 0, 0 }, frac = 0;
	int n = 0, digits = 0, fd = 0;

	for (;;) {
		digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (part[n] > UINT64_MAX / 10 - 10)
				return (false);
			part[n] = part[n] * 10 + (uint64_t)(*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return (false);
		if (*s == ':' && n < 2) {
			n++;
			s++;
			continue;
		}
		break;
	}
	if (n == 1)
		return (false);
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, fd++)
			if (fd < 9)
				frac = frac * 10 + (uint64_t)(*s - '0');
		if (fd == 0)
			return (false);
		for (; fd < 9; fd++)
			frac *= 10;
	}
	if (*s != '\0' || (n == 0 && fd == 0))
		return (false); /* a bare integer is a pid, not a time */
	if (n == 2) {
		if (part[1] > 59 || part[2] > 60)
			return (false);
		*ns = ((part[0] * 60 + part[1]) * 60 + part[2]) * 1000000000u +
		    frac;
	} else {
		if (part[0] > UINT64_MAX / 1000000000u - 1)
			return (false);
		*ns = part[0] * 1000000000u + frac;
	}
	return (true);
}

/*
 * strace_split_args() - cut the argument list that starts after '(' at p into
 * top-level fields, in place.  Returns the number of fields and sets *end
 * to the byte after the closing ')', or -1 if the list does not close.
 */
int
strace_split_args(char *p, char **argv, int max, char **end)
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
				return (-1);
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
			if (n < max && *strace_skip_blanks(start) != '\0')
				argv[n++] = strace_skip_blanks(start);
			*end = p + 1;
			goto trim;
		} else if (*p == ',' && depth == 0) {
			*p = '\0';
			if (n < max)
				argv[n++] = strace_skip_blanks(start);
			start = p + 1;
		}
	}
	return (-1);
trim:
	for (int i = 0; i < n; i++) {
		q = argv[i] + strlen(argv[i]);
		while (q > argv[i] && (q[-1] == ' ' || q[-1] == '\t'))
			*--q = '\0';
	}
	return (n);
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
			return (true);
	}
	return (false);
}

static unsigned
parse_prot(const char *s)
{
	uint64_t v;
	unsigned prot = 0;

	if (strace_parse_num(s, &v))
		return ((unsigned)v & 7);
	if (flag_has(s, "PROT_READ"))
		prot |= 1;
	if (flag_has(s, "PROT_WRITE"))
		prot |= 2;
	if (flag_has(s, "PROT_EXEC"))
		prot |= 4;
	return (prot);
}

static unsigned
parse_mflags(const char *s)
{
	uint64_t v;
	unsigned f = 0;

	if (strace_parse_num(s, &v)) {
		/* Linux values: MAP_SHARED 1, MAP_FIXED 0x10, MAP_ANON 0x20. */
		return (((v & 0x3) == 1 || (v & 0x3) == 3 ? SR_MAP_SHARED : 0) |
		    (v & 0x10 ? SR_MAP_FIXED : 0) |
		    (v & 0x20 ? SR_MAP_ANON : 0) |
		    (v & 0x100000 ? SR_MAP_FIXED : 0));
	}
	if (flag_has(s, "MAP_SHARED") || flag_has(s, "MAP_SHARED_VALIDATE"))
		f |= SR_MAP_SHARED;
	if (flag_has(s, "MAP_FIXED") || flag_has(s, "MAP_FIXED_NOREPLACE"))
		f |= SR_MAP_FIXED;
	if (flag_has(s, "MAP_ANONYMOUS") || flag_has(s, "MAP_ANON"))
		f |= SR_MAP_ANON;
	return (f);
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
	return (f);
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
		return (true);
	}
	n = lt != NULL ? (size_t)(lt - s) : strlen(s);
	if (n == 0 || n >= sizeof(num))
		return (false);
	memcpy(num, s, n);
	num[n] = '\0';
	if (!strace_parse_num(num, &v))
		return (false);
	r->has_fd = v != 4294967295u;
	if (lt != NULL) {
		gt = strrchr(lt, '>');
		if (gt == NULL)
			return (false);
		n = (size_t)(gt - lt - 1);
		if (n >= sizeof(r->path))
			n = sizeof(r->path) - 1;
		memcpy(r->path, lt + 1, n);
		r->path[n] = '\0';
	}
	return (true);
}

/* addr_arg() - "NULL", a number or hex. */
static bool
addr_arg(const char *s, uint64_t *v)
{
	if (strcmp(s, "NULL") == 0) {
		*v = 0;
		return (true);
	}
	return (strace_parse_num(s, v));
}

/*
 * parse_result() - after ") ": "= N...", "= ?", "= -1 EFOO (...)".
 * Returns 1 for a success with *v, 0 for a failure or "?", -1 if malformed.
 */
static int
parse_result(char *p, uint64_t *v)
{
	char *tok, *e;

	p = strace_skip_blanks(p);
	if (*p != '=')
		return (-1);
	p = strace_skip_blanks(p + 1);
	tok = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	e = p;
	if (*p != '\0')
		*p = '\0';
	if (strcmp(tok, "?") == 0 || tok[0] == '-')
		return (0);
	if (!strace_parse_num(tok, v)) {
		*e = ' ';
		return (-1);
	}
	return (1);
}

bool
strace_forklike(const char *name)
{
	return (strcmp(name, "fork") == 0 || strcmp(name, "vfork") == 0 ||
	    strcmp(name, "clone") == 0 || strcmp(name, "clone3") == 0);
}

static bool
of_interest(const char *name)
{
	return (strace_forklike(name) || strcmp(name, "mmap") == 0 ||
	    strcmp(name, "mmap2") == 0 || strcmp(name, "munmap") == 0 ||
	    strcmp(name, "mremap") == 0 || strcmp(name, "brk") == 0 ||
	    strcmp(name, "madvise") == 0 || strcmp(name, "execve") == 0 ||
	    strcmp(name, "execveat") == 0);
}

/* strace_fork_flags() - the SR_CLONE_* of a fork-like call's arguments. */
unsigned
strace_fork_flags(const char *name, char **a, int n)
{
	int i;

	if (strcmp(name, "vfork") == 0)
		return (SR_CLONE_VM | SR_CLONE_VFORK);
	for (i = 0; i < n; i++)
		if (strstr(a[i], "CLONE_") != NULL)
			return (parse_cflags(a[i]));
	return (0);
}

/*
 * strace_decode() - a complete call "NAME(ARGS) = RESULT" at body.  Returns 1
 * with *r filled, 0 for calls of no interest or that failed, or <0.
 */
int
strace_decode(struct strace_parser *sp, char *body, struct strace_rec *r,
    struct pg_error *err)
{
	char *a[MAX_ARGS], *open, *end, *name = body;
	int n, ok;
	uint64_t v = 0;

	open = strchr(body, '(');
	if (open == NULL)
		return (strace_bad(sp, err,
		    "expected a call \"NAME(ARGS) = RESULT\""));
	*open = '\0';
	if (!of_interest(name)) {
		/* Still a call: its list must close. */
		if (strace_split_args(open + 1, a, MAX_ARGS, &end) < 0 ||
		    parse_result(end, &v) < 0)
			return (strace_bad(sp, err,
			    "%.40s: expected \"(ARGS) = RESULT\"", name));
		return (0);
	}
	n = strace_split_args(open + 1, a, MAX_ARGS, &end);
	if (n < 0)
		return (strace_bad(sp, err,
		    "%s: the argument list does not close: expected "
		    "\"(ARGS) = RESULT\"",
		    name));
	ok = parse_result(end, &v);
	if (ok < 0)
		return (strace_bad(sp, err,
		    "%s: expected \"= RESULT\" after the "
		    "arguments",
		    name));
	if (ok == 0)
		return (0);
	r->result = v;
	r->path[0] = '\0';
	r->flags = 0;
	if (strcmp(name, "mmap") == 0 || strcmp(name, "mmap2") == 0) {
		if (n != 6)
			return (strace_bad(sp, err,
			    "mmap: expected 6 arguments (addr, length, prot, "
			    "flags, fd, offset), got %d",
			    n));
		if (!addr_arg(a[0], &r->addr) ||
		    !strace_parse_num(a[1], &r->len) || !parse_fd(a[4], r) ||
		    !strace_parse_num(a[5], &r->off))
			return (strace_bad(sp, err,
			    "mmap: expected numbers for addr, length, fd and "
			    "offset"));
		if (strcmp(name, "mmap2") == 0)
			r->off <<= 12;
		r->prot = parse_prot(a[2]);
		r->flags = parse_mflags(a[3]);
		if (!r->has_fd)
			r->flags |= SR_MAP_ANON;
		r->addr = r->result;
		r->kind = SR_MMAP;
		return (1);
	}
	if (strcmp(name, "munmap") == 0) {
		if (n != 2 || !addr_arg(a[0], &r->addr) ||
		    !strace_parse_num(a[1], &r->len))
			return (strace_bad(sp, err,
			    "munmap: expected \"munmap(ADDR, LENGTH)\""));
		r->kind = SR_MUNMAP;
		return (1);
	}
	if (strcmp(name, "mremap") == 0) {
		if (n < 4 || !addr_arg(a[0], &r->addr) ||
		    !strace_parse_num(a[1], &r->len) ||
		    !strace_parse_num(a[2], &r->len2))
			return (strace_bad(sp, err,
			    "mremap: expected \"mremap(OLD, OLDLEN, NEWLEN, "
			    "FLAGS[, NEW])\""));
		r->kind = SR_MREMAP;
		return (1);
	}
	if (strcmp(name, "brk") == 0) {
		if (n != 1 || !addr_arg(a[0], &r->addr))
			return (strace_bad(sp, err,
			    "brk: expected \"brk(ADDR)\""));
		r->kind = SR_BRK;
		return (1);
	}
	if (strcmp(name, "madvise") == 0) {
		if (n != 3 || !addr_arg(a[0], &r->addr) ||
		    !strace_parse_num(a[1], &r->len))
			return (strace_bad(sp, err,
			    "madvise: expected \"madvise(ADDR, LENGTH, "
			    "ADVICE)\""));
		r->advice = 0;
		if (strcmp(a[2], "MADV_DONTNEED") == 0 ||
		    strcmp(a[2], "MADV_FREE") == 0 || strcmp(a[2], "4") == 0 ||
		    strcmp(a[2], "8") == 0)
			r->advice = 1;
		else if (strcmp(a[2], "MADV_REMOVE") == 0 ||
		    strcmp(a[2], "9") == 0)
			r->advice = 2;
		if (r->advice == 0)
			return (0);
		r->kind = SR_MADVISE;
		return (1);
	}
	if (strace_forklike(name)) {
		if (v == 0 || v > UINT32_MAX)
			return (0); /* the child's own return, or odd */
		r->child = (uint32_t)v;
		r->flags = strace_fork_flags(name, a, n);
		r->kind = SR_CLONE;
		if ((r->flags & SR_CLONE_THREAD) != 0) {
			sp->thread_parent = 0;
			return (strace_tid_add(sp, r->child, r->pid, err) < 0 ?
			    -EINVAL :
			    1);
		}
		return (1);
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
	return (1);
}
