/*
 * helpers.h - what the import tests share: run an importer into a
 * temporary trace and read it back (validated) into counts and notes.
 */
#ifndef PGREPLAY_TESTS_IMPORT_HELPERS_H
#define PGREPLAY_TESTS_IMPORT_HELPERS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/import.h"
#include "trace/reader.h"
#include "trace/writer.h"

#define DATA "tests/import/data/"

struct readback {
	uint64_t events;
	uint64_t per_op[TRACE_OP_COUNT];
	uint64_t last_time;
	char notes[TRACE_NOTES_MAX][TRACE_NAME_MAX + 1];
	unsigned nnotes;
	char procs[64][64]; /* names, in proc order */
	uint32_t pids[64];
	unsigned nprocs;
	uint32_t other_pid; /* a pid of a page event not in pids[], or 0 */
};

static inline void
to_root(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT must be set");
	cr_assert_eq(chdir(root), 0);
}

/* The private directories of this test process, removed by tmp_cleanup(). */
static char tmp_dirs[32][32];
static unsigned tmp_ndirs;

/* tmp_path() - a fresh name in a private directory, with the suffix. */
static inline void
tmp_path(char *buf, size_t n, const char *suffix)
{
	char dir[] = "/tmp/pgimport-test.XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	if (tmp_ndirs < 32)
		snprintf(tmp_dirs[tmp_ndirs++], sizeof(tmp_dirs[0]), "%s", dir);
	snprintf(buf, n, "%s/trace%s", dir, suffix);
}

/* tmp_cleanup() - remove what tmp_path() made (a suite's .fini). */
static inline void
tmp_cleanup(void)
{
	char path[300];
	struct dirent *d;
	unsigned i;
	DIR *dir;

	for (i = 0; i < tmp_ndirs; i++) {
		if ((dir = opendir(tmp_dirs[i])) == NULL)
			continue;
		while ((d = readdir(dir)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmp_dirs[i],
			    d->d_name);
			unlink(path);
		}
		closedir(dir);
		rmdir(tmp_dirs[i]);
	}
	tmp_ndirs = 0;
}

/*
 * run_import() - kind "perf", "strace", "lackey" or "dtrace" from in (and
 * in2: the strace log for perf) into out.  Returns the importer's code.
 */
static inline int
run_import(const char *kind, const char *in, const char *in2,
    const struct import_options *o, const char *out, bool binary,
    struct import_stats *st, struct pg_error *err)
{
	struct trace_writer_opts wo = { 0 };
	struct trace_writer *w;
	struct import_options def;
	int rc;

	if (o == NULL) {
		import_options_init(&def);
		o = &def;
	}
	wo.format = binary ? TRACE_FORMAT_BINARY : TRACE_FORMAT_TEXT;
	rc = trace_writer_open(out, &wo, &w, err);
	cr_assert_eq(rc, 0, "writer: %s", err->msg);
	if (strcmp(kind, "perf") == 0)
		rc = import_perf(in, in2, o, w, st, err);
	else if (strcmp(kind, "strace") == 0)
		rc = import_strace(in, o, w, st, err);
	else if (strcmp(kind, "lackey") == 0)
		rc = import_lackey(in, o, w, st, err);
	else
		rc = import_dtrace(in, o, w, st, err);
	if (rc == 0)
		rc = trace_writer_finish(w, err);
	trace_writer_close(w);
	return rc;
}

/* read_back() - read path with validation; fails the test on an error. */
static inline void
read_back(const char *path, struct readback *rb)
{
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	const char *note;
	unsigned i;
	int rc;

	memset(rb, 0, sizeof(*rb));
	rc = trace_reader_open(path, NULL, &r, &err);
	cr_assert_eq(rc, 0, "%s: %s", path, err.msg);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		rb->events++;
		rb->per_op[ev.op]++;
		rb->last_time = ev.time_ns;
		if (ev.op == TRACE_OP_PROC && rb->nprocs < 64) {
			snprintf(rb->procs[rb->nprocs], 64, "%s", ev.str);
			rb->pids[rb->nprocs++] = ev.pid;
		}
		if (ev.op >= TRACE_OP_FAULT && ev.op <= TRACE_OP_FREE) {
			for (i = 0; i < rb->nprocs; i++)
				if (rb->pids[i] == ev.pid)
					break;
			if (i == rb->nprocs)
				rb->other_pid = ev.pid;
		}
	}
	cr_assert_eq(rc, 0, "%s: line/byte %llu: %s", path,
	    (unsigned long long)err.pos, err.msg);
	for (i = 0; (note = trace_reader_note(r, i)) != NULL; i++)
		snprintf(rb->notes[rb->nnotes++], TRACE_NAME_MAX + 1, "%s",
		    note);
	trace_reader_close(r);
}

/* has_note() - whether a note contains text. */
static inline bool
has_note(const struct readback *rb, const char *text)
{
	unsigned i;

	for (i = 0; i < rb->nnotes; i++)
		if (strstr(rb->notes[i], text) != NULL)
			return true;
	return false;
}

#endif
