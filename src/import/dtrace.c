/*
 * dtrace.c - `import dtrace`: the output of traces/record/freebsd.d.
 *
 * The format (docs/recording.md) is line oriented, fields separated by
 * blanks, the header "pgreplay-dtrace 1" first, then one record per line,
 * TIME being the kernel's `timestamp` (ns):
 *
 *	TIME exec PID NAME            a process exec'ed NAME
 *	TIME fork PPID PID            PPID forked PID
 *	TIME exit PID
 *	TIME image PID TADDR TSIZE DADDR DSIZE NAME
 *	                              the exec'ed image: text and data (bytes)
 *	TIME mmap PID ADDR LEN PROT FLAGS FD OFF PATH
 *	                              PATH "-" when anonymous or unknown
 *	TIME munmap PID ADDR LEN
 *	TIME madvise PID ADDR LEN ADVICE
 *	TIME brk PID ADDR             the new break (FreeBSD's break(2))
 *	TIME fault PID ADDR TYPE      TYPE r, w or x (vm_fault's fault_type)
 *
 * Numbers are decimal or 0x hex.  FreeBSD values: MAP_SHARED 0x1,
 * MAP_FIXED 0x10, MAP_ANON 0x1000; MADV_DONTNEED 4, MADV_FREE 5.  Lines
 * starting with '#' and blank lines are ignored (dtrace -q prints none).
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

#define MAX_FIELDS 12

struct op_shape {
	const char *name;
	int nfields; /* after TIME and the op; -1: at least 1 */
	const char *usage;
};

static const struct op_shape shapes[] = {
	{ "exec", 2, "TIME exec PID NAME" },
	{ "fork", 2, "TIME fork PPID PID" },
	{ "exit", 1, "TIME exit PID" },
	{ "image", 6, "TIME image PID TADDR TSIZE DADDR DSIZE NAME" },
	{ "mmap", 8, "TIME mmap PID ADDR LEN PROT FLAGS FD OFF PATH" },
	{ "munmap", 3, "TIME munmap PID ADDR LEN" },
	{ "madvise", 4, "TIME madvise PID ADDR LEN ADVICE" },
	{ "brk", 2, "TIME brk PID ADDR" },
	{ "fault", 3, "TIME fault PID ADDR TYPE" },
};

static bool
dnum(const char *s, uint64_t *v)
{
	char *end;

	if (*s == '-' || *s == '+' || *s == '\0')
		return (false);
	errno = 0;
	*v = strtoull(s, &end, 0);
	return (*end == '\0' && errno == 0);
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
	return (rc);
}

int
import_dtrace(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err)
{
	struct import_options so = *o;
	struct import_lines *in = NULL;
	struct import_space *s = NULL;
	struct import_mapping m;
	struct import_notes notes;
	char *line, *f[MAX_FIELDS + 1], *p, image[80];
	uint64_t v[MAX_FIELDS], t, t0 = 0, implicit = 0;
	const struct op_shape *sh;
	bool header = false;
	size_t len, k;
	int n, i, rc;
	uint32_t pid;

	pg_error_clear(err);
	memset(st, 0, sizeof(*st));
	so.all_pids = true;
	/* vm_fault() says whether the access was a write: no guessing. */
	so.anon_dirty = false;
	if ((rc = import_space_create(w, &so, &s)) < 0)
		return (pg_error_setv(err, rc, path, PG_POS_NONE, 0,
		    "out of memory"));
	if ((rc = import_lines_open(path, &in, err)) < 0)
		goto out;
	while ((rc = import_lines_next(in, &line, &len, err)) == 1) {
		for (n = 0, p = line; n <= MAX_FIELDS;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0' || (*p == '#' && n == 0))
				break;
			f[n++] = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
		}
		if (n == 0)
			continue;
		if (!header) {
			if (n != 2 || strcmp(f[0], "pgreplay-dtrace") != 0 ||
			    strcmp(f[1], "1") != 0) {
				rc = import_lines_error(in, err,
				    "expected the header \"pgreplay-dtrace 1\" "
				    "(the output of traces/record/freebsd.d)");
				goto out;
			}
			header = true;
			continue;
		}
		if (n < 3) {
			rc = import_lines_error(in, err,
			    "expected \"TIME OP PID ...\"");
			goto out;
		}
		if (!dnum(f[0], &t)) {
			rc = import_lines_error(in, err,
			    "bad TIME \"%.40s\": expected nanoseconds", f[0]);
			goto out;
		}
		for (k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++)
			if (strcmp(f[1], shapes[k].name) == 0)
				break;
		if (k == sizeof(shapes) / sizeof(shapes[0])) {
			rc = import_lines_error(in, err,
			    "unknown record \"%.40s\": expected exec, fork, "
			    "exit, image, mmap, munmap, madvise, brk or fault",
			    f[1]);
			goto out;
		}
		sh = &shapes[k];
		if (n - 2 != sh->nfields) {
			rc = import_lines_error(in, err, "%s: expected \"%s\"",
			    sh->name, sh->usage);
			goto out;
		}
		for (i = 2; i < n; i++) {
			/* Names and paths and the fault type are words. */
			if ((k == 0 && i == 3) || (k == 4 && i == 9) ||
			    (k == 3 && i == 7) || (k == 8 && i == 4))
				continue;
			if (k == 4 && i == 7 && strcmp(f[i], "-1") == 0) {
				v[i] = UINT64_MAX; /* no descriptor */
				continue;
			}
			if (!dnum(f[i], &v[i])) {
				rc = import_lines_error(in, err,
				    "%s: bad number \"%.40s\": expected \"%s\"",
				    sh->name, f[i], sh->usage);
				goto out;
			}
		}
		if (v[2] > UINT32_MAX) {
			rc = import_lines_error(in, err,
			    "%s: pid %" PRIu64 " exceeds 32 "
			    "bits",
			    sh->name, v[2]);
			goto out;
		}
		if (t0 == 0)
			t0 = t;
		pid = (uint32_t)v[2];
		memset(&m, 0, sizeof(m));
		switch (k) {
		case 0:
			rc = import_space_exec(s, t, pid, f[3], err);
			break;
		case 1:
			if (v[3] > UINT32_MAX) {
				rc = import_lines_error(in, err,
				    "fork: bad child pid");
				goto out;
			}
			if (!import_space_known(s, pid))
				rc = import_space_proc(s, t, pid, NULL, 0,
				    false, err);
			if (rc >= 0)
				rc = import_space_proc(s, t, (uint32_t)v[3],
				    NULL, pid, false, err);
			break;
		case 2:
			rc = import_space_exit(s, t, pid, err);
			break;
		case 3:
			/* The program's text, by its name (no path in D). */
			m.kind = IMPORT_MAP_FILE;
			snprintf(image, sizeof(image), "exec:%s", f[7]);
			m.path = image;
			rc = import_space_map(s, t, pid, v[3], v[4], &m,
			    IMPORT_MAP_REPLACE, err);
			m.kind = IMPORT_MAP_ANON;
			if (rc >= 0)
				rc = import_space_map(s, t, pid, v[5], v[6], &m,
				    IMPORT_MAP_REPLACE, err);
			break;
		case 4:
			m.kind = (v[6] & 0x1000) != 0 ? IMPORT_MAP_ANON :
							IMPORT_MAP_FILE;
			m.shared = (v[6] & 1) != 0;
			m.pgoff = v[8];
			m.path = strcmp(f[9], "-") != 0 ? f[9] : "unknown-file";
			rc = import_space_map(s, t, pid, v[3], v[4], &m,
			    (v[6] & 0x10) != 0 ? IMPORT_MAP_REPLACE :
						 IMPORT_MAP_KEEP,
			    err);
			break;
		case 5:
			rc = import_space_unmap(s, t, pid, v[3], v[4], err);
			break;
		case 6:
			rc = v[5] == 4 || v[5] == 5 ?
			    import_space_discard(s, t, pid, v[3], v[4], false,
				err) :
			    0;
			break;
		case 7:
			rc = import_space_brk(s, t, pid, v[3], err);
			break;
		default:
			if (strcmp(f[4], "r") != 0 && strcmp(f[4], "w") != 0 &&
			    strcmp(f[4], "x") != 0) {
				rc = import_lines_error(in, err,
				    "fault: bad TYPE \"%.10s\": expected r, w "
				    "or x",
				    f[4]);
				goto out;
			}
			if (!import_space_known(s, pid) &&
			    (rc = import_space_proc(s, t, pid, NULL, 0, false,
				 err)) < 0)
				break;
			rc = import_space_implicit(s, t, pid, v[3], err);
			if (rc > 0)
				implicit++;
			if (rc >= 0)
				rc = import_space_touch(s, t, pid, v[3],
				    IMPORT_TOUCH_KNOWN |
					(f[4][0] == 'w' ? IMPORT_TOUCH_WRITE :
							  0),
				    err);
			break;
		}
		if (rc < 0) {
			where(in, err, rc);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	if (!header) {
		rc = import_lines_error(in, err,
		    "empty input: expected the header \"pgreplay-dtrace 1\"");
		goto out;
	}
	import_space_stats(s, st);
	st->lines = import_lines_lineno(in);
	import_notes_init(&notes);
	import_note(&notes, "imported by pgreplay import dtrace");
	import_note(&notes,
	    "first touches only: vm_fault() runs when a page is not mapped, "
	    "not on later references");
	import_note(&notes,
	    "%" PRIu64 " regions mapped without a traced call (stack, "
	    "parts of the exec image) were taken as anonymous memory",
	    implicit);
	import_notes_objects(&notes, st);
	rc = import_notes_write(&notes, w, err);
out:
	import_space_destroy(s);
	import_lines_close(in);
	return (rc);
}
