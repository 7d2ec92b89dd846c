/*
 * test_compare.c - bench/compare, the A/B timing of two pgreplay builds
 * (docs/performance.md): its table, its check that the builds' reports
 * are byte-identical, its --decode mode (pgreplay info), its --control
 * row (the base against itself), and its usage errors.
 */
#define _GNU_SOURCE /* asprintf() */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner.h"

/* The line of out that starts with exe and a space, or NULL. */
static const char *
row_of(const char *out, const char *exe)
{
	size_t n = strlen(exe);
	const char *l;

	for (l = out; l != NULL && *l != '\0'; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		if (strncmp(l, exe, n) == 0 && l[n] == ' ')
			return (l);
	}
	return (NULL);
}

/* An executable shell script dir/name running body: a stand-in build. */
static char *
wrapper(const char *dir, const char *name, const char *body)
{
	char *text, *path;

	cr_assert(asprintf(&text, "#!/bin/sh\n%s\n", body) > 0);
	path = cli_put(dir, name, text);
	free(text);
	cr_assert_not_null(path, "cannot write %s/%s", dir, name);
	cr_assert_eq(chmod(path, 0755), 0);
	return (path);
}

Test(compare, times_two_builds_and_finds_their_reports_equal,
    .timeout = 120)
{
	char *tool = cli_source("bench/compare");
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	const char *bin = getenv("PGREPLAY_BIN");
	double med, lo, hi, xbase, xround;
	struct cli_result res;
	const char *row;

	cr_assert_eq(cli_run_program(&res, tool, "--runs", "3", t, c, bin,
	    bin, (const char *)NULL), 0, "cannot run %s", tool);
	cr_assert_eq(res.status, 0, "status %d: %s", res.status, res.err);
	cr_assert_not_null(strstr(res.out, "3 rounds, CPU seconds"), "%s",
	    res.out);
	cr_assert_not_null(strstr(res.out, "reports: byte-identical"), "%s",
	    res.out);
	row = row_of(res.out, bin);
	cr_assert_not_null(row, "no row for %s in\n%s", bin, res.out);
	cr_assert_eq(sscanf(row + strlen(bin), "%lf %lf %lf %lf %lf", &med,
	    &lo, &hi, &xbase, &xround), 5, "%s", row);
	cr_assert(lo > 0 && lo <= med && med <= hi, "%s", row);
	/* The first executable is the base of both ratios. */
	cr_assert_float_eq(xbase, 1.0, 1e-9, "%s", row);
	cr_assert_float_eq(xround, 1.0, 1e-9, "%s", row);
	cli_result_free(&res);
	free(tool);
	free(t);
	free(c);
}

Test(compare, a_build_whose_report_differs_fails, .timeout = 120)
{
	char *tool = cli_source("bench/compare"), *dir = cli_tmpdir(), *wrap;
	char *body;
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	char *o = cli_data("other.yaml");
	const char *bin = getenv("PGREPLAY_BIN");
	struct cli_result res;

	/* A "build" that replays one more configuration: another report. */
	cr_assert(asprintf(&body, "exec '%s' \"$@\" -c '%s'", bin, o) > 0);
	wrap = wrapper(dir, "changed", body);
	free(body);
	cr_assert_eq(cli_run_program(&res, tool, "--runs", "1", t, c, bin,
	    wrap, (const char *)NULL), 0, "cannot run %s", tool);
	cr_assert_eq(res.status, 1, "status %d: %s%s", res.status, res.out,
	    res.err);
	cr_assert_not_null(strstr(res.out, "differs from that of"), "%s",
	    res.out);
	cr_assert_not_null(row_of(res.out, wrap), "%s", res.out);
	cli_result_free(&res);

	/* --no-check times them all the same. */
	cr_assert_eq(cli_run_program(&res, tool, "--runs", "1", "--no-check",
	    t, c, bin, wrap, (const char *)NULL), 0);
	cr_assert_eq(res.status, 0, "status %d: %s", res.status, res.err);
	cr_assert_null(strstr(res.out, "reports:"), "%s", res.out);
	cli_result_free(&res);
	free(wrap);
	free(dir);
	free(tool);
	free(t);
	free(c);
	free(o);
}

/*
 * --control: the base runs twice a round, the second time as its own
 * "(again)" row, and the noise line sums it up.  The base is a wrapper
 * that logs each of its runs, so a control that ran anything else shows.
 */
Test(compare, control_times_the_base_against_itself, .timeout = 120)
{
	char *tool = cli_source("bench/compare"), *dir = cli_tmpdir(), *wrap;
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	char *body, *log, *label, line[64];
	const char *bin = getenv("PGREPLAY_BIN"), *row;
	double med, lo, hi, xbase, xround;
	struct cli_result res;
	int runs = 0;
	FILE *f;

	cr_assert(asprintf(&log, "%s/runs.log", dir) > 0);
	cr_assert(asprintf(&body, "echo run >> '%s'; exec '%s' \"$@\"", log,
	    bin) > 0);
	wrap = wrapper(dir, "base", body);
	cr_assert_eq(cli_run_program(&res, tool, "--control", "--no-check",
	    "--runs", "2", t, c, wrap, bin, (const char *)NULL), 0);
	cr_assert_eq(res.status, 0, "status %d: %s", res.status, res.err);
	cr_assert(asprintf(&label, "%s (again)", wrap) > 0);
	row = row_of(res.out, label);
	cr_assert_not_null(row, "no control row in\n%s", res.out);
	cr_assert_eq(sscanf(row + strlen(label), "%lf %lf %lf %lf %lf", &med,
	    &lo, &hi, &xbase, &xround), 5, "%s", row);
	cr_assert(lo > 0 && lo <= med && med <= hi, "%s", row);
	cr_assert_not_null(row_of(res.out, bin), "%s", res.out);
	cr_assert_not_null(strstr(res.out, "control: the base against itself"),
	    "%s", res.out);
	f = fopen(log, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		runs++;
	fclose(f);
	cr_assert_eq(runs, 4, "the base ran %d times, not 2 rounds x 2", runs);
	cli_result_free(&res);
	free(label);
	free(body);
	free(log);
	free(wrap);
	free(dir);
	free(tool);
	free(t);
	free(c);
}

Test(compare, usage_errors_exit_2_with_a_message)
{
	char *tool = cli_source("bench/compare");
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	const char *bin = getenv("PGREPLAY_BIN");
	struct cli_result res;

	cr_assert_eq(cli_run_program(&res, tool, t, c, bin,
	    (const char *)NULL), 0);
	cr_assert_eq(res.status, 2);
	cr_assert_not_null(strstr(res.err, "at least two executables"), "%s",
	    res.err);
	cli_result_free(&res);

	cr_assert_eq(cli_run_program(&res, tool, "no-such.pgt", c, bin, bin,
	    (const char *)NULL), 0);
	cr_assert_eq(res.status, 2);
	cr_assert_not_null(strstr(res.err, "no-such.pgt: no such file"), "%s",
	    res.err);
	cli_result_free(&res);

	cr_assert_eq(cli_run_program(&res, tool, t, c, bin, "/nonexistent",
	    (const char *)NULL), 0);
	cr_assert_eq(res.status, 2);
	cr_assert_not_null(strstr(res.err, "/nonexistent: not an executable"),
	    "%s", res.err);
	cli_result_free(&res);
	free(tool);
	free(t);
	free(c);
}

Test(compare, decode_times_info_and_compares_its_output, .timeout = 120)
{
	char *tool = cli_source("bench/compare"), *dir = cli_tmpdir(), *wrap;
	char *body;
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	const char *bin = getenv("PGREPLAY_BIN");
	struct cli_result res;

	cr_assert_eq(cli_run_program(&res, tool, "--decode", "--runs", "2", t,
	    bin, bin, (const char *)NULL), 0, "cannot run %s", tool);
	cr_assert_eq(res.status, 0, "status %d: %s", res.status, res.err);
	cr_assert_not_null(strstr(res.out, "of each pgreplay info"), "%s",
	    res.out);
	cr_assert_not_null(strstr(res.out, "info output: byte-identical"),
	    "%s", res.out);
	cr_assert_not_null(row_of(res.out, bin), "%s", res.out);
	cli_result_free(&res);

	/* A "build" whose info prints one more line. */
	cr_assert(asprintf(&body, "'%s' \"$@\" && echo extra", bin) > 0);
	wrap = wrapper(dir, "chatty", body);
	free(body);
	cr_assert_eq(cli_run_program(&res, tool, "--decode", "--runs", "1", t,
	    bin, wrap, (const char *)NULL), 0);
	cr_assert_eq(res.status, 1, "status %d: %s%s", res.status, res.out,
	    res.err);
	cr_assert_not_null(strstr(res.out, "differs from that of"), "%s",
	    res.out);
	cli_result_free(&res);

	/* No configuration with --decode: a configuration is not a build. */
	cr_assert_eq(cli_run_program(&res, tool, "--decode", "--config", c, t,
	    bin, bin, (const char *)NULL), 0);
	cr_assert_eq(res.status, 2);
	cr_assert_not_null(strstr(res.err, "takes no configuration"), "%s",
	    res.err);
	cli_result_free(&res);
	free(wrap);
	free(dir);
	free(tool);
	free(t);
	free(c);
}
