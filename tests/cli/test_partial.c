/*
 * test_partial.c - what a replay that skipped events tells its user
 * (issue 12, point 2), and the expect section as written (point 7):
 * bounds printed as written, durations with units, duplicate run names.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define RUN(res, in, ...)                                                    \
	cr_assert_eq(cli_run(&(res), (in), __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* write_text() - path holds exactly text. */
static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fputs(text, f) >= 0, true);
	cr_assert_eq(fclose(f), 0);
}

/*
 * lagging.pgt on lagging.yaml: a 10 s disk read and a 1 s drain leave 4
 * of the 6 events never replayed.  Every bound of its expect section
 * holds, so only the partial replay can fail it.
 */
Test(partial, never_replayed_warns_and_fails_expect)
{
	char *t = cli_data("lagging.pgt"), *c = cli_data("lagging.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	cr_assert_eq(r.status, 1, "exit %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.err, "pgreplay: warning: run lagging: 4 of 6 trace "
	    "events never replayed") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "sim.drain (1s)") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "expect_partial: true") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "expect events_unreplayed <= 0 failed: got 4")
	    != NULL, "%s", r.err);
	cr_assert(strstr(r.out, "FAIL events_unreplayed = 4, expected <= 0")
	    != NULL, "%s", r.out);
	cli_result_free(&r);
	free(t);
	free(c);
}

/* expect_partial: true accepts it, but the warning stays. */
Test(partial, expect_partial_opts_out)
{
	char *t = cli_data("lagging.pgt");
	char *c = cli_data("lagging_partial_ok.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.err, "4 of 6 trace events never replayed") != NULL,
	    "%s", r.err);
	cr_assert(strstr(r.err, "fails the expect") == NULL, "%s", r.err);
	cr_assert(strstr(r.out, "events_unreplayed") == NULL, "%s", r.out);
	cli_result_free(&r);
	free(t);
	free(c);
}

/* Without an expect section the run still warns, and exits 0. */
Test(partial, warns_without_expect)
{
	char *t = cli_data("lagging.pgt");
	char *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/slow.yaml", dir);
	write_text(path, "name: slow\nmachine: { memory: 64MiB, swap: 0, "
	    "kernel_wired: 4MiB }\ndevices:\n"
	    "  file: { latency: 10s, bandwidth: 1GiB/s }\n"
	    "sim: { drain: 1s }\n");
	RUN(r, NULL, t, "-c", path);
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "warning: run slow: 4 of 6 trace events never "
	    "replayed") != NULL, "%s", r.err);
	cli_result_free(&r);
	/* -q: exit status only. */
	RUN(r, NULL, t, "-q", "-c", path);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(r.errlen, 0, "%s", r.err);
	cli_result_free(&r);
	remove(path);
	remove(dir);
	free(dir);
	free(t);
}

/* A complete replay stays silent on stderr (the goldens' runs). */
Test(partial, complete_replay_is_silent)
{
	char *t = cli_data("small.pgt"), *c = cli_data("expect_pass.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(r.errlen, 0, "%s", r.err);
	cli_result_free(&r);
	free(t);
	free(c);
}

/* Events of an OOM-killed process are dropped: warned about too. */
Test(partial, dropped_events_warn)
{
	char *root = getenv("PGREPLAY_SOURCE_ROOT"), t[1024], c[1024];
	struct cli_result r;

	cr_assert_not_null(root);
	snprintf(t, sizeof(t), "%s/traces/demo/churn.pgb.zst", root);
	snprintf(c, sizeof(c), "%s/configs/demo/baseline.yaml", root);
	char want[256];
	const char *p, *q;

	RUN(r, NULL, t, "-c", c, "-f", "json");
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	/* The counts the warning gives are the report's. */
	p = strstr(r.out, "\"events_dropped\": ");
	q = strstr(r.out, "\"events\": ");
	cr_assert(p != NULL && q != NULL, "%s", r.out);
	snprintf(want, sizeof(want), "warning: run baseline: %ld of %ld trace "
	    "events dropped: they belong to processes the OOM killer killed",
	    strtol(p + 18, NULL, 10), strtol(q + 10, NULL, 10));
	cr_assert(strtol(p + 18, NULL, 10) > 0, "the demo no longer drops");
	cr_assert(strstr(r.err, want) != NULL, "'%s' not in: %s", want,
	    r.err);
	cli_result_free(&r);
}

/* Bounds as written: "4000000", not "4e+06"; durations with units. */
Test(expect, bounds_as_written_and_durations)
{
	char *t = cli_data("small.pgt"), *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/bounds.yaml", dir);
	write_text(path, "name: bounds\nmachine: { memory: 64MiB, swap: 64MiB, "
	    "kernel_wired: 4MiB }\nsim: { drain: 1s }\nexpect:\n"
	    "  faults: { min: 4000000 }\n"
	    "  stall_time_s: { max: 2s }\n"
	    "  io_wait_s: { min: 1us, max: 500ms }\n");
	RUN(r, NULL, t, "-c", path);
	cr_assert_eq(r.status, 1, "exit %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.out, "expected >= 4000000\n") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "ok   stall_time_s = 0, expected <= 2s\n") !=
	    NULL, "%s", r.out);
	cr_assert(strstr(r.out, "expected in [1us, 500ms]\n") != NULL, "%s",
	    r.out);
	cr_assert(strstr(r.err, "expect faults >= 4000000 failed") != NULL,
	    "%s", r.err);
	cr_assert(strstr(r.err, "e+06") == NULL, "%s", r.err);
	cli_result_free(&r);

	/* A duration bounds only a statistic in seconds. */
	write_text(path, "expect:\n  faults: { max: 2s }\n");
	RUN(r, NULL, t, "-c", path);
	cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "bounds.yaml:2: key 'expect.faults.max': "
	    "expected a number, got \"2s\" (a duration only bounds a "
	    "statistic in seconds") != NULL, "%s", r.err);
	cli_result_free(&r);
	remove(path);
	remove(dir);
	free(dir);
	free(t);
}

/* Two runs with one name: refused, naming both configurations. */
Test(names, duplicate_run_names_refused)
{
	char *t = cli_data("small.pgt"), *b = cli_data("base.yaml");
	char *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/other.yaml", dir);
	write_text(path, "name: base\nsysctl: { vm.pageout_oom_seq: 24 }\n");
	RUN(r, NULL, t, "-c", b, "-c", path);
	cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(r.outlen, 0, "%s", r.out);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, b) != NULL && strstr(r.err, path) != NULL &&
	    strstr(r.err, "'base'") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c", b, "-c", b);
	cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.err, "given twice") != NULL, "%s", r.err);
	cli_result_free(&r);
	remove(path);
	remove(dir);
	free(dir);
	free(t);
	free(b);
}

/*
 * A process that waits 10 s for a read with 20000 events behind it: more
 * than a queue keeps in memory (docs/model.md, "Memory bounds"), so they
 * go through the spill file in $TMPDIR.  Writes the trace and its config
 * into dir.
 */
static void
write_backlog(const char *dir, char *trace, char *conf, size_t n)
{
	FILE *f;
	int i;

	snprintf(trace, n, "%s/backlog.pgt", dir);
	f = fopen(trace, "w");
	cr_assert_not_null(f);
	fputs("pgtrace 1\n0 proc 1 lagging\n0 map 1 1 file 64 /data/f\n"
	    "0 fault 1 1 0 1\n", f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "0.%06d fault 1 1 0 1\n", 1000 + i);
	fputs("0.5 exit 1\n", f);
	cr_assert_eq(fclose(f), 0);
	snprintf(conf, n, "%s/backlog.yaml", dir);
	write_text(conf,
	    "machine: { memory: 64MiB, swap: 0, kernel_wired: 4MiB }\n"
	    "devices:\n  file: { latency: 10s, bandwidth: 1GiB/s }\n"
	    "sim: { drain: 60s }\n");
}

/* The backlog is replayed whole; the spill file leaves nothing behind. */
Test(partial, long_backlog_is_replayed_through_the_spill_file)
{
	char *dir = cli_tmpdir(), trace[512], conf[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	write_backlog(dir, trace, conf, sizeof(trace));
	cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
	RUN(r, NULL, trace, "-c", conf, "-f", "json");
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(r.errlen, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"events_unreplayed\": 0") != NULL, "%s",
	    r.out);
	cr_assert(strstr(r.out, "\"events\": 20004") != NULL, "%s", r.out);
	cr_assert_eq(cli_dir_entries(dir), 2, "a spill file was left behind");
	cli_result_free(&r);
	free(dir);
}

/* No place for the spill file: one message naming it, exit 2. */
Test(partial, spill_file_that_cannot_be_made_is_one_message)
{
	char *dir = cli_tmpdir(), trace[512], conf[512];
	struct cli_result r;

	char bin[512];
	const char *real = getenv("PGREPLAY_BIN");

	cr_assert_not_null(dir);
	cr_assert_not_null(real);
	write_backlog(dir, trace, conf, sizeof(trace));
	/* The runner's own files go to TMPDIR: only the child gets it. */
	snprintf(bin, sizeof(bin), "%s", real);
	cr_assert_eq(setenv("PGREPLAY_BIN", "/usr/bin/env", 1), 0);
	RUN(r, NULL, "TMPDIR=/nonexistent/pgreplay", bin, trace, "-c", conf,
	    "-q");
	cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "backlog.pgt") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "process 1: cannot keep its") != NULL, "%s",
	    r.err);
	cr_assert(strstr(r.err, "in a spill file in /nonexistent/pgreplay: No "
	    "such file or directory (set TMPDIR)") != NULL, "%s", r.err);
	cli_result_free(&r);
	free(dir);
}
