/*
 * strace.c - `import strace`: an strace -f log alone.  It gives mappings,
 * frees and processes exactly, but no page touches: the trace says what
 * each process had mapped and released, for merging or inspection.
 */
#include "import/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/notes.h"
#include "import/space.h"
#include "import/strace.h"

int
import_strace(const char *path, const struct import_options *o,
    struct trace_writer *w, struct import_stats *st, struct pg_error *err)
{
	struct import_options so = *o;
	struct strace_parser *sp = NULL;
	struct import_space *s = NULL;
	struct import_notes notes;
	struct strace_rec *r;
	uint32_t forking_pid = 0;
	unsigned forking_flags = 0;
	int rc;

	pg_error_clear(err);
	memset(st, 0, sizeof(*st));
	so.all_pids = true;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	if ((rc = import_space_create(w, &so, &s)) < 0) {
		pg_error_setv(err, rc, path, PG_POS_NONE, 0, "out of memory");
		goto out;
	}
	import_space_set_eager(s);
	if ((rc = strace_open(path, &sp, err)) < 0)
		goto out;
	while ((rc = strace_next(sp, r, err)) == 1) {
		rc = import_apply_strace(s, r, r->t, false, false, false,
		    &forking_pid, &forking_flags, err);
		if (rc < 0) {
			if (err->file[0] == '\0')
				strace_where(sp, err);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	import_space_stats(s, st);
	st->lines = strace_lines(sp);
	import_notes_init(&notes);
	import_note(&notes, "imported by pgreplay import strace");
	import_note(&notes,
	    "no page touches: strace records system calls only; mappings, "
	    "frees and processes are exact, faults and dirtying absent");
	import_notes_objects(&notes, st);
	rc = import_notes_write(&notes, w, err);
out:
	strace_close(sp);
	import_space_destroy(s);
	free(r);
	return (rc);
}
