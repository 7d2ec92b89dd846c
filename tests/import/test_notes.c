/*
 * test_notes.c - trace notes (what an importer could not know) survive
 * both formats and the conversions between them, are not events, and
 * stay invisible to what reads only events.
 */
#include "helpers.h"

static void
write_with_notes(const char *path, bool binary)
{
	struct trace_writer_opts wo = { 0 };
	struct trace_event ev = { 0 };
	struct trace_writer *w;
	struct pg_error err;

	wo.format = binary ? TRACE_FORMAT_BINARY : TRACE_FORMAT_TEXT;
	cr_assert_eq(trace_writer_open(path, &wo, &w, &err), 0);
	ev.op = TRACE_OP_PROC;
	ev.pid = 1;
	ev.str = "a";
	cr_assert_eq(trace_writer_write(w, &ev, &err), 0);
	cr_assert_eq(trace_writer_note(w, "no write information", &err), 0);
	ev.op = TRACE_OP_EXIT;
	ev.time_ns = 5;
	ev.str = NULL;
	cr_assert_eq(trace_writer_write(w, &ev, &err), 0);
	cr_assert_eq(trace_writer_note(w, "first touches only", &err), 0);
	cr_expect_lt(trace_writer_note(w, "bad # note", &err), 0);
	cr_expect_lt(trace_writer_note(w, "", &err), 0);
	cr_assert_eq(trace_writer_finish(w, &err), 0);
	trace_writer_close(w);
}

TestSuite(notes, .fini = tmp_cleanup);

Test(notes, both_formats)
{
	struct readback rb;
	char path[256];
	int b;

	for (b = 0; b < 2; b++) {
		tmp_path(path, sizeof(path), b ? ".pgb" : ".pgt");
		write_with_notes(path, b == 1);
		read_back(path, &rb);
		cr_expect_eq(rb.events, 2, "notes are not events");
		cr_expect_eq(rb.nnotes, 2);
		cr_expect_str_eq(rb.notes[0], "no write information");
		cr_expect_str_eq(rb.notes[1], "first touches only");
	}
}

/* A text note is a comment line: what ignores it reads the same events. */
Test(notes, text_is_a_comment)
{
	static const char txt[] = "pgtrace 1\n#@note from an importer\n"
				  "0 proc 1 a\n#@note second\n1 exit 1\n";
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	int n = 0;

	cr_assert_eq(
	    trace_reader_open_mem(txt, sizeof(txt) - 1, "mem", NULL, &r, &err),
	    0);
	while (trace_reader_next(r, &ev, &err) == 1)
		n++;
	cr_expect_eq(n, 2);
	cr_expect_str_eq(trace_reader_note(r, 0), "from an importer");
	cr_expect_str_eq(trace_reader_note(r, 1), "second");
	cr_expect_null(trace_reader_note(r, 2));
	trace_reader_close(r);
}

/* Too many notes is an error naming the line, not an allocation. */
Test(notes, limit)
{
	char buf[8192];
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	size_t n = 0;
	int i, rc;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "pgtrace 1\n");
	for (i = 0; i <= TRACE_NOTES_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "#@note n%d\n",
		    i);
	cr_assert_eq(trace_reader_open_mem(buf, n, "mem", NULL, &r, &err), 0);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1)
		continue;
	cr_expect_lt(rc, 0);
	cr_expect_eq(err.pos, TRACE_NOTES_MAX + 2);
	cr_expect_str_eq(err.msg, "more than 32 notes");
	trace_reader_close(r);
}
