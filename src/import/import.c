/*
 * import.c - what the importers share: their options and their notes.
 */
#include "import/import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/lines.h"
#include "import/notes.h"

void
import_options_init(struct import_options *o)
{
	memset(o, 0, sizeof(*o));
	o->anon_dirty = true;
	o->ns_per_instr = 1;
	o->merge_ns = 1000000;
}

void
import_notes_init(struct import_notes *n)
{
	n->n = 0;
}

void
import_note(struct import_notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n->n >= TRACE_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(n->text[n->n], sizeof(n->text[0]), fmt, ap);
	va_end(ap);
	n->n++;
}

void
import_notes_objects(struct import_notes *n, const struct import_stats *st)
{
	import_note(n,
	    "processes %" PRIu64 ", exits %" PRIu64 "; objects: %" PRIu64
	    " anon, %" PRIu64 " file, %" PRIu64 " private-copy, %" PRIu64
	    " kernel; frees %" PRIu64 " (%" PRIu64 " pages)",
	    st->procs, st->exits, st->objects_anon, st->objects_file,
	    st->objects_shadow, st->objects_phys, st->frees, st->free_pages);
	if (st->clamped > 0)
		import_note(n,
		    "%" PRIu64 " events were reported out of time order and "
		    "written at the time of the event before them",
		    st->clamped);
}

int
import_notes_write(const struct import_notes *n, struct trace_writer *w,
    struct pg_error *err)
{
	unsigned i;
	int rc;

	for (i = 0; i < n->n; i++)
		if ((rc = trace_writer_note(w, n->text[i], err)) < 0)
			return (rc);
	return (0);
}

int
import_read_clock(const char *path, int64_t *off, struct pg_error *err)
{
	struct import_lines *in;
	char *line, *p, *end;
	size_t len;
	long long v;
	int rc;

	if ((rc = import_lines_open(path, &in, err)) < 0)
		return (rc);
	while ((rc = import_lines_next(in, &line, &len, err)) == 1) {
		p = strstr(line, "realtime_minus_monotonic_ns");
		if (p == NULL)
			continue;
		p += strlen("realtime_minus_monotonic_ns");
		while (*p == ' ' || *p == '=' || *p == '\t')
			p++;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || errno != 0 || (*end != '\0' && *end != ' ')) {
			rc = pg_error_set(err, import_lines_name(in),
			    PG_POS_LINE, import_lines_lineno(in),
			    "expected \"realtime_minus_monotonic_ns N\" with "
			    "N in nanoseconds");
			goto out;
		}
		*off = (int64_t)v;
		rc = 0;
		goto out;
	}
	if (rc == 0)
		rc = pg_error_set(err, import_lines_name(in), PG_POS_NONE, 0,
		    "no \"realtime_minus_monotonic_ns N\" line: expected the "
		    "clock file of traces/record/linux.sh");
out:
	import_lines_close(in);
	return (rc);
}
