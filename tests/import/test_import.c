/*
 * test_import.c - the importers on real recordings (excerpts of the
 * shared recordings in tests/import/data/, see its README) and on variants
 * of their formats.  Every trace written is read back with validation.
 */
#include "helpers.h"

static struct import_stats st;
static struct pg_error err;
static struct readback rb;
static char out[256];

static void
setup(void)
{
	to_root();
	memset(&st, 0, sizeof(st));
	memset(&err, 0, sizeof(err));
}

TestSuite(import, .init = setup, .fini = tmp_cleanup);

/* perf + strace of the same run: every fault resolves, frees appear. */
Test(import, perf_strace_sqlite3_small)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgb");
	rc = run_import("perf", DATA "sqlite3-small.perf.txt.zst",
	    DATA "sqlite3-small.strace.txt.zst", NULL, out, true, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	/* The 375 faults of sqlite3 after its exec (the README's 386 count
	 * the 11 of strace's child before the exec). */
	cr_expect_eq(st.samples, 375);
	cr_expect_eq(st.resolved, 375);
	cr_expect_eq(st.unresolved, 0);
	cr_expect_eq(st.with_flags, 375);
	cr_expect_eq(rb.events, st.events);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 1);
	cr_expect_str_eq(rb.procs[0], "sqlite3");
	cr_expect_eq(rb.per_op[TRACE_OP_EXIT], 1);
	cr_expect_eq(rb.per_op[TRACE_OP_FAULT] + rb.per_op[TRACE_OP_DIRTY],
	    st.faults + st.dirties);
	/* A first write to a private file page is a read plus a dirty copy. */
	cr_expect_geq(st.faults + st.dirties, st.resolved);
	cr_expect_gt(rb.per_op[TRACE_OP_FREE], 0);
	cr_expect_eq(rb.per_op[TRACE_OP_FREE], st.frees);
	cr_expect_gt(st.objects_file, 5);
	cr_expect_gt(st.objects_shadow, 0);
	cr_expect(has_note(&rb, "first touches only"));
	cr_expect(has_note(&rb, "clock offset"));
	cr_expect(!has_note(&rb, "no write information"));
	cr_expect(!has_note(&rb, "no frees"));
	cr_expect_eq(rb.other_pid, 0);
}

/* The clock file of the run gives the same result as the estimate. */
Test(import, perf_strace_given_clock)
{
	struct import_options o;
	int rc;

	import_options_init(&o);
	rc = import_read_clock(DATA "sqlite3-small.clock.txt", &o.clock_offset,
	    &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(o.clock_offset, INT64_C(1795484134633142880));
	o.clock_offset_set = true;
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf.txt.zst",
	    DATA "sqlite3-small.strace.txt.zst", &o, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_eq(st.samples, 375);
	cr_expect_eq(st.unresolved, 0);
	cr_expect(has_note(&rb, "given"));
}

/* perf alone: every process, no frees from munmap, exits known. */
Test(import, perf_alone)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf.txt.zst", NULL, NULL,
	    out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	/* sqlite3 plus the recorder's wrappers (time, strace, its probes). */
	cr_expect_geq(rb.per_op[TRACE_OP_PROC], 3);
	cr_expect_gt(st.samples, 375);
	cr_expect(has_note(&rb, "no frees"));
	cr_expect_eq(rb.other_pid, 0);
}

/* --pid: one process tree only. */
Test(import, perf_root_pid)
{
	struct import_options o;
	int rc;

	import_options_init(&o);
	o.root_pid = 22525;
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf.txt.zst", NULL, &o,
	    out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 1);
	cr_expect_eq(rb.pids[0], 22525);
	cr_expect_eq(rb.other_pid, 0);
}

/*
 * The same 600 lines printed differently (microsecond times, a cpu
 * column, single blanks, a period field) give the same trace.
 */
Test(import, perf_format_variants)
{
	struct readback a;
	int rc, op;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-head.txt.zst", NULL,
	    NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &a);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-head-variant.txt.zst",
	    NULL, NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_gt(a.events, 200);
	for (op = 0; op < TRACE_OP_COUNT; op++)
		cr_expect_eq(rb.per_op[op], a.per_op[op], "op %s",
		    trace_op_name((unsigned)op));
}

/* A perf that prints the sample before its tracepoint: the same faults. */
Test(import, perf_sample_before_tracepoint)
{
	struct readback a;
	int rc, op;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-head.txt.zst", NULL,
	    NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &a);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-head-swapped.txt.zst",
	    NULL, NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_eq(st.with_flags, st.samples);
	for (op = 0; op < TRACE_OP_COUNT; op++)
		cr_expect_eq(rb.per_op[op], a.per_op[op], "op %s",
		    trace_op_name((unsigned)op));
}

/* Without the error-code tracepoint the trace says it knows no writes. */
Test(import, perf_without_tracepoint)
{
	struct import_options o;
	int rc;

	import_options_init(&o);
	o.anon_dirty = false;
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-head-notp.txt.zst",
	    NULL, &o, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_gt(st.samples, 100);
	cr_expect_eq(st.with_flags, 0);
	cr_expect_eq(st.writes, 0);
	cr_expect_eq(rb.per_op[TRACE_OP_DIRTY], 0);
	cr_expect(has_note(&rb, "no write information"));
}

/* gcc: vfork + exec of cc1; the child is named by its exec. */
Test(import, perf_strace_gcc_vfork)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgb");
	rc = run_import("perf", DATA "gcc-head.perf.txt.zst",
	    DATA "gcc-head.strace.txt.zst", NULL, out, true, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 2);
	cr_expect_str_eq(rb.procs[0], "gcc");
	cr_expect_str_eq(rb.procs[1], "cc1");
	cr_expect_eq(st.unresolved, 0);
	cr_expect_gt(st.resolved, 2000);
	cr_expect_eq(rb.other_pid, 0);
}

/* strace alone: mappings, frees, processes; no touches. */
Test(import, strace_alone)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", DATA "sqlite3.strace.txt.zst", NULL, NULL,
	    out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 1);
	cr_expect_eq(rb.per_op[TRACE_OP_EXIT], 1);
	cr_expect_eq(rb.per_op[TRACE_OP_FAULT], 0);
	cr_expect_eq(rb.per_op[TRACE_OP_DIRTY], 0);
	cr_expect_gt(rb.per_op[TRACE_OP_FREE], 10);
	cr_expect_gt(rb.per_op[TRACE_OP_MAP], 10);
	cr_expect(has_note(&rb, "no page touches"));
}

/*
 * The strace log printed differently ("[pid N]" prefix, microsecond
 * stamps, -T durations, an unfinished/resumed pair) gives the same trace.
 */
Test(import, strace_format_variants)
{
	struct readback a;
	int rc, op;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", DATA "sqlite3-small.strace.txt.zst", NULL,
	    NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &a);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", DATA "sqlite3-small.strace-variant.txt", NULL,
	    NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_gt(a.per_op[TRACE_OP_MAP], 5);
	for (op = 0; op < TRACE_OP_COUNT; op++)
		cr_expect_eq(rb.per_op[op], a.per_op[op], "op %s",
		    trace_op_name((unsigned)op));
}

/* lackey: every access, time from the instruction count. */
Test(import, lackey_excerpt)
{
	struct import_options o;
	struct readback a;
	int rc;

	import_options_init(&o);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("lackey", DATA "sqlite3-small.lackey-excerpt.txt.zst",
	    NULL, &o, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &a);
	cr_expect_eq(a.per_op[TRACE_OP_PROC], 1);
	cr_expect_eq(a.pids[0], 19761);
	cr_expect_str_eq(a.procs[0], "sqlite3");
	cr_expect_eq(a.per_op[TRACE_OP_EXIT], 1);
	cr_expect_gt(a.per_op[TRACE_OP_DIRTY], 10);
	cr_expect_gt(a.per_op[TRACE_OP_FREE], 0);
	cr_expect_eq(st.unresolved, 0);
	cr_expect(has_note(&a, "no timestamps"));

	/* Twice the time per instruction: twice the duration. */
	o.ns_per_instr = 2;
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("lackey", DATA "sqlite3-small.lackey-excerpt.txt.zst",
	    NULL, &o, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.last_time, 2 * a.last_time);
	cr_expect_eq(rb.events, a.events);

	/* No merging: every access is written. */
	o.ns_per_instr = 1;
	o.merge_ns = 0;
	tmp_path(out, sizeof(out), ".pgb");
	rc = run_import("lackey", DATA "sqlite3-small.lackey-excerpt.txt.zst",
	    NULL, &o, out, true, &st, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	read_back(out, &rb);
	cr_expect_gt(rb.events, 100000);
	cr_expect_eq(st.merged, 0);
}

/* same_file() - whether the files at a and b hold the same bytes. */
static void
expect_same_file(const char *got_path, const char *want_path)
{
	char *want, *got;
	size_t wn, gn;
	FILE *f;

	f = fopen(got_path, "r");
	cr_assert_not_null(f);
	got = malloc(65536);
	gn = fread(got, 1, 65535, f);
	fclose(f);
	f = fopen(want_path, "r");
	cr_assert_not_null(f, "%s", want_path);
	want = malloc(65536);
	wn = fread(want, 1, 65535, f);
	fclose(f);
	got[gn] = want[wn] = '\0';
	cr_expect_str_eq(got, want, "%s", want_path);
	free(got);
	free(want);
}

/*
 * What each call does to the pages (hand-written log, checked by hand):
 * brk shrink frees the top; mremap moves and grows without a free and
 * shrinks by freeing the tail; madvise(DONTNEED) frees; MAP_FIXED frees
 * what it covers; munmap frees, and unmaps an object left unmapped; a
 * fork inherits, an exec drops.
 */
Test(import, strace_semantics)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", DATA "semantics.strace.txt", NULL, NULL, out,
	    false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	expect_same_file(out, DATA "semantics.expected.pgt");
}

/* The FreeBSD DTrace script's format, on the hand-written sample. */
Test(import, dtrace_sample)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("dtrace", DATA "freebsd-sample.dtrace.txt", NULL, NULL,
	    out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 2);
	cr_expect_eq(rb.per_op[TRACE_OP_EXIT], 2);
	cr_expect_eq(st.unresolved, 0);
	/* The whole trace, byte for byte. */
	expect_same_file(out, DATA "freebsd-sample.expected.pgt");
}

/* An over-long line is refused with its number, not allocated for. */
Test(import, line_too_long)
{
	char in[256];
	FILE *f;
	int i, rc;

	tmp_path(in, sizeof(in), ".txt");
	f = fopen(in, "w");
	cr_assert_not_null(f);
	fputs("pgreplay-dtrace 1\n1 exec 1 ", f);
	for (i = 0; i < 70000; i++)
		fputc('x', f);
	fputc('\n', f);
	fclose(f);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("dtrace", in, NULL, NULL, out, false, &st, &err);
	cr_expect_lt(rc, 0);
	cr_expect_eq(err.pos, 2);
	cr_expect_str_eq(err.msg, "line too long: more than 65536 bytes");
	cr_expect_eq(access(out, F_OK), -1, "no trace is left behind");
}

/* A process with more mappings than the table holds is an error. */
Test(import, mapping_limit)
{
	char in[256];
	FILE *f;
	int i, rc;

	tmp_path(in, sizeof(in), ".txt");
	f = fopen(in, "w");
	cr_assert_not_null(f);
	/* Every other page: no two mappings merge. */
	for (i = 0; i <= 65536; i++)
		fprintf(f,
		    "7 1.%09d mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, "
		    "3</f>, %d) = 0x%x\n",
		    i, i * 8192, 0x10000000 + i * 8192);
	fclose(f);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", in, NULL, NULL, out, false, &st, &err);
	cr_expect_eq(rc, -ENOSPC);
	cr_expect_eq(err.pos, 65537);
	cr_expect_str_eq(err.msg,
	    "process 7 has more than 65536 mappings (the importer's limit)");
}

/* perf without its task records: strace's exec and exit are used. */
Test(import, perf_without_task_records)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", DATA "sqlite3-small.perf-notask.txt.zst",
	    DATA "sqlite3-small.strace.txt.zst", NULL, out, false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 1);
	cr_expect_str_eq(rb.procs[0], "sqlite3");
	cr_expect_eq(rb.per_op[TRACE_OP_EXIT], 1);
	cr_expect_eq(st.samples, 375);
	cr_expect_eq(st.unresolved, 0);
}

/* A thread's calls belong to its process (clone3 with CLONE_THREAD). */
Test(import, strace_threads)
{
	int rc;

	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("strace", DATA "xz-threads.strace.txt", NULL, NULL, out,
	    false, &st, &err);
	cr_assert_eq(rc, 0, "%s:%llu: %s", err.file,
	    (unsigned long long)err.pos, err.msg);
	read_back(out, &rb);
	cr_expect_eq(rb.per_op[TRACE_OP_PROC], 2);
	cr_expect_str_eq(rb.procs[0], "sh");
	cr_expect_str_eq(rb.procs[1], "xz");
	cr_expect_eq(rb.per_op[TRACE_OP_EXIT], 2);
	/* The thread's munmaps free pages of xz's objects. */
	cr_expect_eq(rb.per_op[TRACE_OP_FREE], 2);
	cr_expect_eq(rb.other_pid, 0);
}

/* A cut zstd file is refused, not taken for a shorter recording. */
Test(import, truncated_zstd)
{
	char in[256], buf[6000];
	FILE *f;
	size_t n;
	int rc;

	f = fopen(DATA "sqlite3-small.perf.txt.zst", "rb");
	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cr_assert_eq(n, sizeof(buf));
	tmp_path(in, sizeof(in), ".txt.zst");
	f = fopen(in, "wb");
	cr_assert_not_null(f);
	fwrite(buf, 1, n, f);
	fclose(f);
	tmp_path(out, sizeof(out), ".pgt");
	rc = run_import("perf", in, NULL, NULL, out, false, &st, &err);
	cr_expect_lt(rc, 0);
	cr_expect_str_eq(err.msg, "truncated zstd stream");
	cr_expect_eq(access(out, F_OK), -1);
}
