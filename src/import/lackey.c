/*
 * lackey.c - `import lackey`: valgrind --tool=lackey --trace-mem=yes logs,
 * best with --trace-syscalls=yes.
 *
 * Lines: "I  ADDR,SIZE" (an instruction fetch), " L|S|M ADDR,SIZE" (load,
 * store, modify), "SYSCALL[PID,TID](NR) sys_NAME ( ARGS ) --> ...
 * Success(0xRES)" (calls split as "--> [async] ..." and "... [async] -->
 * RESULT" are joined), "==PID== ..." (valgrind's header and footer),
 * " --> ..." continuations and "--PID-- ..." messages (skipped).
 *
 * One process.  There are no timestamps: time is the number of guest
 * instructions so far times --ns-per-instr.  Fetches and loads touch,
 * stores and modifies dirty; an access across a page boundary touches
 * both pages.  A page touched the same way within --merge-window is not
 * written again (the model only keeps a reference bit between scans).
 * Mappings come from the mmap, munmap, mremap, brk and madvise calls,
 * file identity from the openat/open calls' paths; what valgrind mapped
 * without a call (the program, ld.so, the stack) is implicit anonymous
 * memory.
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

#define MERGE_SLOTS 4096
#define FD_MAX 1024
#define MAX_ARGS 8

struct merge_slot {
	uint64_t page;
	uint64_t touch_t, dirty_t;
	uint8_t used, dirtied;
};

struct lackey {
	struct import_lines *in;
	struct import_space *s;
	const struct import_options *o;
	uint32_t pid;
	bool started, exited;
	uint64_t instrs, t;
	char name[64];
	char *fdpath[FD_MAX];
	/* The call waiting for its "... [async] --> RESULT" line. */
	char async[1024];
	bool async_pending;
	uint64_t implicit, syscalls;
	struct merge_slot slot[MERGE_SLOTS];
};

static int lk_bad(struct lackey *lk, struct pg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
lk_bad(struct lackey *lk, struct pg_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(err, -EINVAL, import_lines_name(lk->in), PG_POS_LINE,
	    import_lines_lineno(lk->in), fmt, ap);
	va_end(ap);
	return (rc);
}

static int
where(struct lackey *lk, struct pg_error *err, int rc)
{
	if (err->file[0] == '\0') {
		snprintf(err->file, sizeof(err->file), "%s",
		    import_lines_name(lk->in));
		err->pos_kind = PG_POS_LINE;
		err->pos = import_lines_lineno(lk->in);
	}
	return (rc);
}

static int
start(struct lackey *lk, struct pg_error *err)
{
	int rc;

	if (lk->started)
		return (0);
	if (lk->pid == 0)
		lk->pid = 1;
	rc = import_space_proc(lk->s, 0, lk->pid,
	    lk->name[0] != '\0' ? lk->name : "lackey", 0, false, err);
	lk->started = true;
	return (rc);
}

static int
touch_page(struct lackey *lk, uint64_t addr, bool write, struct pg_error *err)
{
	uint64_t pg = addr >> IMPORT_PAGE_SHIFT;
	struct merge_slot *m = &lk->slot[(pg * 0x9E3779B97F4A7C15u) >> 52];
	int rc;

	if (m->used && m->page == pg && lk->o->merge_ns > 0) {
		if (!write && lk->t - m->touch_t < lk->o->merge_ns)
			goto merged;
		if (write && m->dirtied && lk->t - m->dirty_t < lk->o->merge_ns)
			goto merged;
	}
	if (!m->used || m->page != pg) {
		m->used = 1;
		m->page = pg;
		m->dirtied = 0;
	}
	m->touch_t = lk->t;
	if (write) {
		m->dirty_t = lk->t;
		m->dirtied = 1;
	}
	rc = import_space_implicit(lk->s, lk->t, lk->pid, addr, err);
	if (rc < 0)
		return (rc);
	lk->implicit += (uint64_t)rc;
	rc = import_space_touch(lk->s, lk->t, lk->pid, addr,
	    IMPORT_TOUCH_KNOWN | (write ? IMPORT_TOUCH_WRITE : 0), err);
	return (rc < 0 ? rc : 0);
merged:
	return (1);
}

/* access() - "ADDR,SIZE" after the kind letter. */
static int
access_line(struct lackey *lk, const char *p, bool write, bool instr,
    struct pg_error *err, struct import_stats *st)
{
	uint64_t addr = 0, size = 0, last;
	const char *q = p;
	int d, rc;

	for (; *q != ','; q++) {
		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (*q >= 'a' && *q <= 'f')
			d = *q - 'a' + 10;
		else if (*q >= 'A' && *q <= 'F')
			d = *q - 'A' + 10;
		else
			goto bad;
		if (q - p >= 16)
			goto bad;
		addr = addr << 4 | (uint64_t)d;
	}
	if (q == p)
		goto bad;
	for (q++; *q >= '0' && *q <= '9'; q++) {
		size = size * 10 + (uint64_t)(*q - '0');
		if (size > 1u << 20)
			goto bad;
	}
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '\0' || size == 0)
		goto bad;
	if ((rc = start(lk, err)) < 0)
		return (where(lk, err, rc));
	if (instr) {
		lk->instrs++;
		lk->t = lk->instrs * lk->o->ns_per_instr;
	}
	last = addr + size - 1;
	rc = touch_page(lk, addr, write, err);
	if (rc < 0)
		return (where(lk, err, rc));
	st->merged += (uint64_t)rc;
	if ((last >> IMPORT_PAGE_SHIFT) != (addr >> IMPORT_PAGE_SHIFT)) {
		rc = touch_page(lk, last, write, err);
		if (rc < 0)
			return (where(lk, err, rc));
		st->merged += (uint64_t)rc;
	}
	return (0);
bad:
	return (lk_bad(lk, err,
	    "bad access \"%.40s\": expected HEXADDR,SIZE (SIZE 1 to 1048576)",
	    p));
}

static bool
num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (end != s && errno == 0 && (*end == '\0' || *end == '('));
}

/*
 * syscall_apply() - "sys_NAME ( ARGS )" with its result.  Only the calls
 * that change the address space or the fd table matter.
 */
static int
syscall_apply(struct lackey *lk, char *call, uint64_t res, struct pg_error *err)
{
	char *a[MAX_ARGS], *open, *close, *p, *name = call, *path;
	uint64_t v[MAX_ARGS] = { 0 };
	struct import_mapping m = { 0 };
	int n = 0, i, rc;

	open = strchr(call, '(');
	close = strrchr(call, ')');
	if (open == NULL || close == NULL || close < open)
		return (lk_bad(lk, err,
		    "expected \"sys_NAME ( ARGS )\" in a SYSCALL line"));
	*open = '\0';
	*close = '\0';
	for (p = name + strlen(name); p > name && p[-1] == ' ';)
		*--p = '\0';
	p = open + 1;
	while (n < MAX_ARGS) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		a[n] = p;
		/* A pointer argument may carry "(text)" with commas inside. */
		while (*p != '\0' && *p != ',') {
			if (*p == '(') {
				char *e = strchr(p, ')');

				p = e != NULL ? e : p + strlen(p) - 1;
			}
			p++;
		}
		if (*p == ',')
			*p++ = '\0';
		for (char *e = a[n] + strlen(a[n]); e > a[n] && e[-1] == ' ';)
			*--e = '\0';
		num(a[n], &v[n]);
		n++;
	}
	lk->syscalls++;
	if ((rc = start(lk, err)) < 0)
		return (rc);
	if (strcmp(name, "sys_openat") == 0 || strcmp(name, "sys_open") == 0) {
		i = strcmp(name, "sys_openat") == 0 ? 1 : 0;
		if (n <= i || res >= FD_MAX)
			return (0);
		path = strchr(a[i], '(');
		if (path == NULL)
			return (0);
		path++;
		p = strrchr(path, ')');
		if (p != NULL)
			*p = '\0';
		free(lk->fdpath[res]);
		lk->fdpath[res] = strdup(path);
		return (0);
	}
	if (strcmp(name, "sys_close") == 0) {
		if (n >= 1 && v[0] < FD_MAX) {
			free(lk->fdpath[v[0]]);
			lk->fdpath[v[0]] = NULL;
		}
		return (0);
	}
	if (strcmp(name, "sys_mmap") == 0) {
		if (n != 6)
			return (lk_bad(lk, err,
			    "sys_mmap: expected 6 arguments, got %d", n));
		/* Linux flags: MAP_SHARED 1, MAP_FIXED 0x10, MAP_ANON 0x20. */
		m.kind = (v[3] & 0x20) || v[4] == 4294967295u ?
		    IMPORT_MAP_ANON :
		    IMPORT_MAP_FILE;
		m.shared = (v[3] & 3) == 1;
		m.pgoff = v[5];
		m.path = m.kind == IMPORT_MAP_FILE ?
		    (v[4] < FD_MAX && lk->fdpath[v[4]] != NULL ?
			    lk->fdpath[v[4]] :
			    "unknown-file") :
		    NULL;
		if ((v[3] & 0x10) != 0 &&
		    (rc = import_space_unmap(lk->s, lk->t, lk->pid, res, v[1],
			 err)) < 0)
			return (rc);
		return (import_space_map(lk->s, lk->t, lk->pid, res, v[1], &m,
		    IMPORT_MAP_REPLACE, err));
	}
	if (strcmp(name, "sys_munmap") == 0 && n == 2)
		return (import_space_unmap(lk->s, lk->t, lk->pid, v[0], v[1],
		    err));
	if (strcmp(name, "sys_mremap") == 0 && n >= 4)
		return (import_space_remap(lk->s, lk->t, lk->pid, v[0], v[1],
		    v[2], res, err));
	if (strcmp(name, "sys_brk") == 0)
		return (import_space_brk(lk->s, lk->t, lk->pid, res, err));
	if (strcmp(name, "sys_madvise") == 0 && n == 3 &&
	    (v[2] == 4 || v[2] == 8 || v[2] == 9))
		return (import_space_discard(lk->s, lk->t, lk->pid, v[0], v[1],
		    v[2] == 9, err));
	return (0);
}

/* result() - "Success(0xN)" in s: 1 with *v, 0 for Failure, -1 if none. */
static int
result(const char *s, uint64_t *v)
{
	const char *p = strstr(s, "Success(");

	if (p != NULL)
		return (num(p + 8, v) || sscanf(p + 8, "%" SCNx64, v) == 1 ? 1 :
									    -1);
	return (strstr(s, "Failure(") != NULL ? 0 : -1);
}

static int
syscall_line(struct lackey *lk, char *line, struct pg_error *err)
{
	char *p, *arrow, *call;
	unsigned long long pid;
	uint64_t res;
	int ok, rc;

	if (sscanf(line, "SYSCALL[%llu,", &pid) != 1 || pid == 0 ||
	    pid > UINT32_MAX)
		return (lk_bad(lk, err,
		    "expected \"SYSCALL[PID,TID](NR) sys_NAME ( ARGS ) --> "
		    "RESULT\""));
	if (lk->pid == 0)
		lk->pid = (uint32_t)pid;
	p = strchr(line, ')');
	if (p == NULL)
		return (lk_bad(lk, err,
		    "expected \"(NR)\" after SYSCALL[PID,TID]"));
	call = p + 1;
	while (*call == ' ')
		call++;
	if (strncmp(call, "... [async]", 11) == 0) {
		if (!lk->async_pending)
			return (lk_bad(lk, err,
			    "an \"[async]\" result without its call on an "
			    "earlier line"));
		lk->async_pending = false;
		ok = result(call, &res);
		if (ok < 0)
			return (lk_bad(lk, err,
			    "expected \"Success(0xN)\" or \"Failure(0xN)\""));
		if (ok == 0)
			return (0);
		rc = syscall_apply(lk, lk->async, res, err);
		return (rc < 0 ? where(lk, err, rc) : 0);
	}
	if (strncmp(call, "sys_", 4) != 0)
		return (0); /* "unimplemented ... syscall" and the like */
	arrow = strstr(call, "-->");
	if (arrow == NULL)
		return (lk_bad(lk, err, "expected \"-->\" and a result"));
	if (strstr(arrow, "[async] ...") != NULL) {
		*arrow = '\0';
		snprintf(lk->async, sizeof(lk->async), "%s", call);
		lk->async_pending = true;
		return (0);
	}
	ok = result(arrow, &res);
	if (ok < 0)
		return (lk_bad(lk, err,
		    "expected \"Success(0xN)\" or \"Failure(0xN)\""));
	if (ok == 0)
		return (0);
	*arrow = '\0';
	/* "[sync]" may follow the argument list. */
	if ((p = strstr(call, ")[")) != NULL)
		p[1] = '\0';
	rc = syscall_apply(lk, call, res, err);
	return (rc < 0 ? where(lk, err, rc) : 0);
}

static void
header_line(struct lackey *lk, const char *line)
{
	unsigned long long pid;
	const char *p, *e, *b;
	size_t n;

	if (sscanf(line, "==%llu==", &pid) == 1 && lk->pid == 0 && pid > 0 &&
	    pid <= UINT32_MAX)
		lk->pid = (uint32_t)pid;
	if ((p = strstr(line, "Command: ")) != NULL && lk->name[0] == '\0') {
		p += 9;
		for (e = p; *e != '\0' && *e != ' '; e++)
			continue;
		for (b = e; b > p && b[-1] != '/'; b--)
			continue;
		n = (size_t)(e - b);
		if (n >= sizeof(lk->name))
			n = sizeof(lk->name) - 1;
		memcpy(lk->name, b, n);
		lk->name[n] = '\0';
	}
	if (strstr(line, "Exit code:") != NULL)
		lk->exited = true;
}

int
import_lackey(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err)
{
	struct import_options so = *o;
	struct import_notes notes;
	struct lackey *lk;
	char *line;
	size_t len;
	unsigned i;
	int rc;

	pg_error_clear(err);
	memset(st, 0, sizeof(*st));
	so.all_pids = true;
	/* Every store is seen: no need to guess dirtiness from faults. */
	so.anon_dirty = false;
	lk = calloc(1, sizeof(*lk));
	if (lk == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	lk->o = &so;
	if ((rc = import_space_create(w, &so, &lk->s)) < 0) {
		pg_error_setv(err, rc, path, PG_POS_NONE, 0, "out of memory");
		goto out;
	}
	if ((rc = import_lines_open(path, &lk->in, err)) < 0)
		goto out;
	while ((rc = import_lines_next(lk->in, &line, &len, err)) == 1) {
		if (line[0] == 'I' && line[1] == ' ' && line[2] == ' ')
			rc = access_line(lk, line + 3, false, true, err, st);
		else if (line[0] == ' ' && line[2] == ' ' &&
		    (line[1] == 'L' || line[1] == 'S' || line[1] == 'M'))
			rc = access_line(lk, line + 3, line[1] != 'L', false,
			    err, st);
		else if (strncmp(line, "SYSCALL[", 8) == 0)
			rc = syscall_line(lk, line, err);
		else if (line[0] == '=' && line[1] == '=')
			header_line(lk, line);
		else if (strncmp(line, " -->", 4) == 0 ||
		    (line[0] == '-' && line[1] == '-') || len == 0)
			rc = 0;
		else
			rc = lk_bad(lk, err,
			    "expected a lackey line: \"I  ADDR,SIZE\", \" L|S|M "
			    "ADDR,SIZE\", \"SYSCALL[...]\" or \"==PID== ...\"");
		if (rc < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	if ((rc = start(lk, err)) < 0)
		goto out;
	if (lk->exited &&
	    (rc = import_space_exit(lk->s, lk->t, lk->pid, err)) < 0)
		goto out;
	{
		uint64_t merged = st->merged;

		import_space_stats(lk->s, st);
		st->merged = merged;
	}
	st->lines = import_lines_lineno(lk->in);
	import_notes_init(&notes);
	import_note(&notes, "imported by pgreplay import lackey");
	import_note(&notes,
	    "no timestamps: time is %" PRIu64 " guest instructions x %" PRIu64
	    " ns",
	    lk->instrs, so.ns_per_instr);
	import_note(&notes,
	    "every access is seen (reads and writes); touches of a page "
	    "repeated within %" PRIu64 " ns were merged: %" PRIu64,
	    so.merge_ns, st->merged);
	import_note(&notes,
	    "one process, valgrind's address space; %" PRIu64
	    " regions set up without a traced call (program, ld.so, stack) "
	    "were taken as anonymous memory",
	    lk->implicit);
	if (lk->syscalls == 0)
		import_note(&notes,
		    "no frees and no file identity: the log has no SYSCALL "
		    "lines (record with --trace-syscalls=yes)");
	if (!lk->exited)
		import_note(&notes,
		    "the log has no valgrind footer: cut short, no exit");
	import_notes_objects(&notes, st);
	rc = import_notes_write(&notes, w, err);
out:
	if (lk != NULL) {
		for (i = 0; i < FD_MAX; i++)
			free(lk->fdpath[i]);
		import_space_destroy(lk->s);
		import_lines_close(lk->in);
	}
	free(lk);
	return (rc);
}
