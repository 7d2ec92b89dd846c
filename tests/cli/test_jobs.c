/*
 * test_jobs.c - many runs from the command line: byte-identical reports
 * for --jobs 1, 2 and 3 in every format, the order of the runs, --shard
 * with `pgreplay merge` (by hand and through GNU parallel), merge's
 * refusals, and the progress line (only on a terminal, never with
 * --quiet).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define RUN(res, in, ...)                                                    \
	cr_assert_eq(cli_run(&(res), (in), __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* Same status, stdout and stderr. */
static void
assert_same(const struct cli_result *a, const struct cli_result *b,
    const char *what)
{
	cr_assert_eq(a->status, b->status, "%s: exit %d vs %d", what,
	    a->status, b->status);
	cr_assert(a->outlen == b->outlen &&
	    memcmp(a->out, b->out, a->outlen) == 0, "%s: stdout differs", what);
	cr_assert_str_eq(a->err, b->err, "%s: stderr differs", what);
}

Test(jobs, identical_output_for_any_number_of_jobs)
{
	/* Small inputs: every run checks the model's invariants. */
	static const char *const cases[][3] = {
		{ "tests/cli/data/small.pgt", "tests/cli/data/expect_fail.yaml",
		    "tests/cli/data/sweep.yaml" },
		{ "tests/cli/data/small.pgt", "tests/cli/data/base.yaml",
		    "tests/cli/data/other.yaml" },
		{ "traces/scenarios/anon-hog-noswap.pgt",
		    "configs/scenarios/anon-hog-noswap.yaml",
		    "tests/cli/data/sweep.yaml" },
	};
	static const char *const formats[] = { "text", "json", "csv" };
	static const char *const jobs[] = { "2", "3" };
	struct cli_result one, other;
	char what[256];
	size_t c, f, j;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char *t = cli_source(cases[c][0]), *c1 = cli_source(cases[c][1]);
		char *c2 = cli_source(cases[c][2]);

		for (f = 0; f < 3; f++) {
			RUN(one, NULL, t, "-c", c1, "-c", c2, "-f", formats[f],
			    "--jobs", "1");
			cr_assert(one.status == 0 || one.status == 1,
			    "%s: exit %d: %s", cases[c][0], one.status,
			    one.err);
			cr_assert_gt(one.outlen, 0);
			for (j = 0; j < 2; j++) {
				RUN(other, NULL, t, "-c", c1, "-c", c2, "-f",
				    formats[f], "-j", jobs[j]);
				snprintf(what, sizeof(what), "%s -f %s -j %s",
				    cases[c][0], formats[f], jobs[j]);
				assert_same(&one, &other, what);
				cli_result_free(&other);
			}
			/* The default (one job per core) too. */
			RUN(other, NULL, t, "-c", c1, "-c", c2, "-f",
			    formats[f]);
			assert_same(&one, &other, "default jobs");
			cli_result_free(&other);
			cli_result_free(&one);
		}
		free(t);
		free(c1);
		free(c2);
	}
}

Test(jobs, runs_keep_command_line_order)
{
	char *t = cli_source("tests/cli/data/small.pgt");
	char *a = cli_source("tests/cli/data/base.yaml");
	char *b = cli_source("tests/cli/data/other.yaml");
	struct cli_result ab, ba;
	json_t *jab, *jba, *rab, *rba;

	RUN(ab, NULL, t, "-c", a, "-c", b, "-f", "json", "-j", "2");
	RUN(ba, NULL, t, "-c", b, "-c", a, "-f", "json", "-j", "2");
	cr_assert_eq(ab.status, 0, "%s", ab.err);
	cr_assert_eq(ba.status, 0, "%s", ba.err);
	jab = json_loads(ab.out, 0, NULL);
	jba = json_loads(ba.out, 0, NULL);
	cr_assert(jab != NULL && jba != NULL);
	rab = json_object_get(jab, "runs");
	rba = json_object_get(jba, "runs");
	cr_assert_eq(json_array_size(rab), 2);
	cr_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(rab, 0), "name")), "base");
	cr_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(rba, 0), "name")), "other");
	/* Each run is the same simulation whatever its place. */
	cr_assert(json_equal(json_array_get(rab, 0), json_array_get(rba, 1)));
	cr_assert(json_equal(json_array_get(rab, 1), json_array_get(rba, 0)));
	cr_assert(!json_equal(json_array_get(rab, 0), json_array_get(rab, 1)));
	json_decref(jab);
	json_decref(jba);
	cli_result_free(&ab);
	cli_result_free(&ba);
	free(t);
	free(a);
	free(b);
}

Test(jobs, bad_jobs_and_shard_values)
{
	static const char *const bad[][2] = { { "--jobs", "0" },
		{ "--jobs", "x" }, { "--jobs", "257" }, { "--shard", "0/2" },
		{ "--shard", "3/2" }, { "--shard", "1" }, { "--shard", "1/x" },
		{ "--shard", "-1/2" } };
	char *t = cli_source("tests/cli/data/small.pgt");
	char *c = cli_source("tests/cli/data/base.yaml");
	struct cli_result r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		RUN(r, NULL, t, "-c", c, bad[i][0], bad[i][1]);
		cr_assert_eq(r.status, 2, "%s %s", bad[i][0], bad[i][1]);
		cr_assert_eq(cli_lines(r.err), 2, "%s", r.err);
		cr_assert_not_null(strstr(r.err, bad[i][0]), "%s", r.err);
		cli_result_free(&r);
	}
	free(t);
	free(c);
}

/* Write s to dir/name; returns the path (malloc'd). */
static char *
put(const char *dir, const char *name, const char *s, size_t n)
{
	char *p;
	FILE *f;

	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	f = fopen(p, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(s, 1, n, f), n);
	fclose(f);
	return (p);
}

Test(shard, merge_gives_the_single_report)
{
	char *t = cli_source("tests/cli/data/small.pgt");
	char *c1 = cli_source("tests/cli/data/sweep.yaml");
	char *c2 = cli_source("tests/cli/data/base.yaml");
	char *dir = cli_tmpdir(), *p[3], name[32], spec[8];
	struct cli_result single, r;
	json_t *j;
	int i;

	RUN(single, NULL, t, "-c", c1, "-c", c2, "-f", "json");
	cr_assert_eq(single.status, 0, "%s", single.err);
	for (i = 0; i < 3; i++) {
		snprintf(spec, sizeof(spec), "%d/3", i + 1);
		RUN(r, NULL, t, "-c", c1, "-c", c2, "-f", "json", "--shard",
		    spec);
		cr_assert_eq(r.status, 0, "%s", r.err);
		j = json_loads(r.out, 0, NULL);
		cr_assert_not_null(j);
		/* 5 runs: shards of 2, 2 and 1. */
		cr_assert_eq(json_array_size(json_object_get(j, "runs")),
		    i < 2 ? 2 : 1);
		cr_assert_eq(json_integer_value(json_object_get(
		    json_object_get(j, "shard"), "total_runs")), 5);
		json_decref(j);
		snprintf(name, sizeof(name), "shard-%d.json", i + 1);
		p[i] = put(dir, name, r.out, r.outlen);
		cli_result_free(&r);
	}
	/* Any order of the shards. */
	RUN(r, NULL, "merge", p[2], p[0], p[1]);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.outlen, single.outlen);
	cr_assert(memcmp(r.out, single.out, r.outlen) == 0,
	    "merged report differs from the single process's");
	cli_result_free(&r);

	/* Refusals: a missing shard, a duplicate, a report of no shard. */
	RUN(r, NULL, "merge", p[0], p[1]);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(r.outlen, 0);
	cr_assert_str_eq(r.err, "pgreplay: merge: shard 3 of 3 is missing\n");
	cli_result_free(&r);
	RUN(r, NULL, "merge", p[0], p[1], p[2], p[1]);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "the same shard as"), "%s", r.err);
	cli_result_free(&r);
	free(p[2]);
	p[2] = put(dir, "single.json", single.out, single.outlen);
	RUN(r, NULL, "merge", p[0], p[1], p[2]);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "single.json: expected the report "
	    "of a shard"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, NULL, "merge");
	cr_assert_eq(r.status, 2);
	cli_result_free(&r);

	for (i = 0; i < 3; i++)
		free(p[i]);
	cli_result_free(&single);
	free(dir);
	free(t);
	free(c1);
	free(c2);
}

Test(shard, merge_refuses_another_trace_or_version)
{
	char *t1 = cli_source("tests/cli/data/small.pgt");
	char *t2 = cli_source("traces/scenarios/anon-hog-noswap.pgt");
	char *c = cli_source("tests/cli/data/sweep.yaml");
	char *dir = cli_tmpdir(), *p1, *p2, *p3, *v;
	struct cli_result r1, r2;
	const char *at;

	RUN(r1, NULL, t1, "-c", c, "-f", "json", "--shard", "1/2");
	RUN(r2, NULL, t2, "-c", c, "-f", "json", "--shard", "2/2");
	cr_assert(r1.status == 0 && r2.status == 0);
	p1 = put(dir, "a.json", r1.out, r1.outlen);
	p2 = put(dir, "b.json", r2.out, r2.outlen);
	cli_result_free(&r2);
	RUN(r2, NULL, "merge", p1, p2);
	cr_assert_eq(r2.status, 2);
	cr_assert_eq(cli_lines(r2.err), 1, "%s", r2.err);
	cr_assert_not_null(strstr(r2.err, "b.json: a report of another trace "
	    "than"), "%s", r2.err);
	cli_result_free(&r2);

	/* The same shard rewritten as if by another version. */
	at = strstr(r1.out, "\"pgreplay\": \"");
	cr_assert_not_null(at);
	cr_assert(asprintf(&v, "%.*s\"pgreplay\": \"0.0.0-other\"%s",
	    (int)(at - r1.out), r1.out, strchr(at + 13, '"') + 1) > 0);
	p3 = put(dir, "c.json", v, strlen(v));
	RUN(r2, NULL, "merge", p3);
	cr_assert_eq(r2.status, 2);
	cr_assert_not_null(strstr(r2.err, "c.json: written by pgreplay "
	    "0.0.0-other"), "%s", r2.err);
	cli_result_free(&r2);
	cli_result_free(&r1);
	free(v);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
	free(t1);
	free(t2);
	free(c);
}

/* Single-quote s for sh. */
static void
shq(char *out, size_t n, const char *s)
{
	size_t k = 0;

	out[k++] = '\'';
	for (; *s != '\0' && k + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else
			out[k++] = *s;
	}
	out[k++] = '\'';
	out[k] = '\0';
}

Test(shard, sweep_through_gnu_parallel, .timeout = 300)
{
	char *t = cli_source("tests/cli/data/small.pgt");
	char *c = cli_source("tests/cli/data/sweep.yaml");
	char *c2 = cli_source("tests/cli/data/base.yaml");
	char *dir = cli_tmpdir(), *merged, *path;
	char qbin[1200], qt[1200], qc[1200], qc2[1200], qd[1200], cmd[8192];
	struct cli_result single;
	size_t len;
	int rc;

	cr_assert_eq(system("command -v parallel >/dev/null"), 0,
	    "GNU parallel is not installed (scripts/bootstrap installs it)");
	RUN(single, NULL, t, "-c", c, "-c", c2, "-f", "json");
	cr_assert_eq(single.status, 0, "%s", single.err);
	shq(qbin, sizeof(qbin), getenv("PGREPLAY_BIN"));
	shq(qt, sizeof(qt), t);
	shq(qc, sizeof(qc), c);
	shq(qc2, sizeof(qc2), c2);
	shq(qd, sizeof(qd), dir);
	/* As docs/scaling.md shows it: 4 shards, 2 at a time. */
	snprintf(cmd, sizeof(cmd),
	    "cd %s && seq 1 4 | parallel --will-cite -j 2 --halt now,fail=1 "
	    "%s %s -c %s -c %s -f json --jobs 1 --shard {}/4 '>' "
	    "shard-{}.json && %s merge shard-*.json > merged.json",
	    qd, qbin, qt, qc, qc2, qbin);
	rc = system(cmd);
	cr_assert_eq(rc, 0, "%s: status %d", cmd, rc);
	cr_assert(asprintf(&path, "%s/merged.json", dir) > 0);
	merged = cli_slurp(path, &len);
	cr_assert_not_null(merged);
	cr_assert_eq(len, single.outlen);
	cr_assert(memcmp(merged, single.out, len) == 0,
	    "the merged report differs from the single process's");
	free(merged);
	free(path);
	cli_result_free(&single);
	free(dir);
	free(t);
	free(c);
	free(c2);
}

/* ---- progress ---- */

/*
 * run_on_pty() - run pgreplay with stderr on a pseudo-terminal, the trace
 * fed slowly on stdin for about two seconds; returns what the terminal
 * showed (malloc'd) and the exit status in *status.
 */
static char *
run_on_pty(const char *cfg, bool quiet, int *status)
{
	char *argv[8] = { getenv("PGREPLAY_BIN"), "-", "-c", (char *)cfg,
		"-j", "1", quiet ? "--quiet" : NULL, NULL };
	char line[64], *out = NULL;
	size_t len = 0;
	struct pollfd pfd;
	int in[2], master, i, k, ev = 0;
	ssize_t got;
	FILE *mem;
	pid_t pid;

	cr_assert_eq(pipe(in), 0);
	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in[0], STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(in[0]);
		close(in[1]);
		/* Fast enough to feed: the checks are not what is tested. */
		unsetenv("PGREPLAY_CHECK");
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	mem = open_memstream(&out, &len);
	cr_assert_not_null(mem);
	dprintf(in[1], "pgtrace 1\n0 proc 1 p\n0 map 1 1 anon 1024\n");
	for (i = 0; i < 40; i++) {
		for (k = 0; k < 600; k++, ev++) {
			snprintf(line, sizeof(line), "%d.%06d fault 1 1 %d\n",
			    ev / 1000000, ev % 1000000, (ev * 37) % 1024);
			cr_assert_gt(write(in[1], line, strlen(line)), 0);
		}
		/* Drain the terminal meanwhile, and wait 50 ms. */
		pfd.fd = master;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) &&
		    (got = read(master, line, sizeof(line))) > 0)
			fwrite(line, 1, (size_t)got, mem);
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	close(in[1]);
	while ((got = read(master, line, sizeof(line))) > 0)
		fwrite(line, 1, (size_t)got, mem);
	close(master);
	cr_assert_eq(waitpid(pid, status, 0), pid);
	fclose(mem);
	return (out);
}

Test(progress, shown_on_a_terminal_only_and_not_when_quiet, .timeout = 120)
{
	char *c = cli_source("tests/cli/data/base.yaml");
	char *shown;
	int status;

	shown = run_on_pty(c, false, &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", shown);
	cr_assert_not_null(strstr(shown, "\rpgreplay: "), "no progress: %s",
	    shown);
	cr_assert_not_null(strstr(shown, " events, "), "%s", shown);
	cr_assert_not_null(strstr(shown, " elapsed"), "%s", shown);
	/* The line is taken off the screen at the end. */
	cr_assert_not_null(strstr(shown, "\r\033[K"), "%s", shown);
	free(shown);

	shown = run_on_pty(c, true, &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", shown);
	cr_assert_str_eq(shown, "", "--quiet printed: %s", shown);
	free(shown);
	free(c);
}

Test(progress, nothing_when_stderr_is_not_a_terminal)
{
	char *t = cli_source("tests/cli/data/small.pgt");
	char *c = cli_source("tests/cli/data/sweep.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c, "-j", "2");
	cr_assert_eq(r.status, 0);
	cr_assert_gt(r.outlen, 0);
	cr_assert_eq(r.errlen, 0, "stderr: %s", r.err);
	cli_result_free(&r);
	free(t);
	free(c);
}
