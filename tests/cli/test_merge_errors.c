/*
 * test_merge_errors.c - `pgreplay merge` refusing what is not a set of
 * shard reports of one replay (exit 2, one message naming the file), its
 * usage errors, and a failed expect of a shard reported as the replay
 * reports it (exit 1).
 */
#define _GNU_SOURCE /* asprintf() */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define RUN(res, ...)                                                        \
	cr_assert_eq(cli_run(&(res), NULL, __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* put() - write s as dir/name; returns the path (malloc'd). */
static char *
put(const char *dir, const char *name, const char *s)
{
	char *p = cli_put(dir, name, s);

	cr_assert_not_null(p, "cannot write %s/%s", dir, name);
	return (p);
}

/* refused() - merge the given files: exit 2, one line holding want. */
static void
refused(const char *want, const char *a, const char *b)
{
	struct cli_result r;

	if (b != NULL)
		RUN(r, "merge", a, b);
	else
		RUN(r, "merge", a);
	cr_expect_eq(r.status, 2, "merge %s: exit %d: %s", a, r.status,
	    r.err);
	cr_expect_eq(r.outlen, 0, "merge %s wrote a report", a);
	cr_expect_eq(cli_lines(r.err), 1, "%s", r.err);
	cr_expect_not_null(strstr(r.err, want), "no \"%s\" in: %s", want,
	    r.err);
	cli_result_free(&r);
}

/* shard() - the JSON report of shard spec of small.pgt with cfg. */
static json_t *
shard(const char *cfg, const char *spec)
{
	char *t = cli_source("tests/cli/data/small.pgt");
	char *c1 = cli_source(cfg), *c2 = cli_source("tests/cli/data/base.yaml");
	struct cli_result r;
	json_t *j;

	RUN(r, t, "-c", c1, "-c", c2, "-f", "json", "--shard", spec);
	j = json_loads(r.out, 0, NULL);
	cr_assert_not_null(j, "shard %s: %s", spec, r.err);
	cli_result_free(&r);
	free(t);
	free(c1);
	free(c2);
	return (j);
}

/* dump() - j as dir/name (malloc'd path). */
static char *
dump(const char *dir, const char *name, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2)), *p;

	cr_assert_not_null(s);
	p = put(dir, name, s);
	free(s);
	return (p);
}

TestSuite(merge_errors);

Test(merge_errors, not_shard_reports)
{
	char *dir = cli_tmpdir(), *p[6];
	json_t *a, *b;
	size_t i;

	p[0] = put(dir, "cut.json", "{\n\"pgreplay\": ");
	refused("cut.json:2: expected a JSON report of pgreplay: ", p[0],
	    NULL);
	p[1] = put(dir, "empty.json", "{}\n");
	refused("empty.json: expected a JSON report of pgreplay (no "
		"\"pgreplay\" version member)",
	    p[1], NULL);

	a = shard("tests/cli/data/sweep.yaml", "1/2");
	b = shard("tests/cli/data/sweep.yaml", "2/2");
	/* A shard with a run less than its share. */
	cr_assert_eq(json_array_remove(json_object_get(b, "runs"), 0), 0);
	p[2] = dump(dir, "short.json", b);
	refused("short.json: expected 2 runs in \"runs\" for this shard",
	    p[2], NULL);
	json_decref(b);
	/* A shard without a member its companion has. */
	b = shard("tests/cli/data/sweep.yaml", "2/2");
	cr_assert_eq(json_object_del(b, "trace"), 0);
	p[3] = dump(dir, "a.json", a);
	p[4] = dump(dir, "notrace.json", b);
	refused("notrace.json: does not match", p[3], p[4]);
	refused("(member \"trace\" missing)", p[3], p[4]);
	p[5] = put(dir, "array.json", "[1, 2]\n");
	refused("array.json: expected a JSON report of pgreplay", p[5], NULL);
	json_decref(a);
	json_decref(b);
	for (i = 0; i < 6; i++)
		free(p[i]);
	free(dir);
}

Test(merge_errors, usage)
{
	struct cli_result r;

	RUN(r, "merge", "-x");
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "pgreplay: merge: unknown option "
	    "'-x'"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, "merge", "--bogus");
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "pgreplay: merge: unknown option "
	    "'--bogus'"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, "merge", "-h");
	cr_expect_eq(r.status, 0);
	cr_expect_not_null(strstr(r.out, "usage: pgreplay merge REPORT.json"),
	    "%s", r.out);
	cli_result_free(&r);
}

Test(merge_errors, failed_expect_exits_1)
{
	char *dir = cli_tmpdir(), *p;
	struct cli_result r;
	json_t *a;

	a = shard("tests/cli/data/expect_fail.yaml", "1/1");
	p = dump(dir, "fail.json", a);
	RUN(r, "merge", p);
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_expect_gt(r.outlen, 0);
	cr_expect_not_null(strstr(r.err, "pgreplay: fail: expect faults <= "
	    "10 failed: got "), "%s", r.err);
	cli_result_free(&r);
	json_decref(a);
	free(p);
	free(dir);
}
