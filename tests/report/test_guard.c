/*
 * test_guard.c - --timeline, --html, --baseline/--tolerance and --junit
 * as users and CI see them: the pgreplay executable on the hog trace of
 * data/ (two runs: with and without swap, the second kills the hog),
 * golden outputs in expected/.
 *
 * Regenerate the golden files on purpose with
 *   PGREPLAY_REGEN_GOLDEN=1 meson test -C BUILD guard
 * and review the diff before committing them.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/golden.h"
#include "../cli/runner.h"

#define RUN(res, ...)                                                      \
	cr_assert_eq(cli_run(&(res), NULL, __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* src_path() - a file under the source tree (malloc'd). */
static char *
src_path(const char *rel)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char *p;

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT is not set");
	p = malloc(strlen(root) + strlen(rel) + 2);
	cr_assert_not_null(p);
	sprintf(p, "%s/%s", root, rel);
	return p;
}

static char *
data(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/report/data/%s", name);
	return src_path(rel);
}

static char *
join(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	cr_assert_not_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

/*
 * without_root() - s with every occurrence of the source root replaced
 * by "SRC", so that a golden file holds no machine path (malloc'd).
 */
static char *
without_root(const char *s)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT"), *p, *q;
	size_t rl = strlen(root);
	char *out = malloc(strlen(s) + 1), *o = out;

	cr_assert_not_null(out);
	for (p = s; (q = strstr(p, root)) != NULL; p = q + rl) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, "SRC", 3);
		o += 3;
	}
	strcpy(o, p);
	return out;
}

/* golden() - text must equal expected/name (or become it: regenerating). */
static void
golden(const char *name, const char *text)
{
	char rel[256], *path;

	snprintf(rel, sizeof(rel), "tests/report/expected/%s", name);
	path = src_path(rel);
	golden_check(path, text, strlen(text), name);
	free(path);
}

/* timeline() - the hog trace's timeline file in ext, at 500 ms. */
static char *
timeline(const char *ext)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), name[32], *out, *text;
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *c2 = data("noswap.yaml");

	snprintf(name, sizeof(name), "t.%s", ext);
	out = join(dir, name);
	RUN(r, trace, "-c", c1, "-c", c2, "-q", "--timeline", out,
	    "--timeline-interval", "500ms");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_eq(r.errlen, 0, "stderr: %s", r.err);
	text = cli_slurp(out, NULL);
	cr_assert_not_null(text, "no %s written", out);
	cli_result_free(&r);
	free(out);
	free(dir);
	free(trace);
	free(c1);
	free(c2);
	return text;
}

Test(timeline, csv_golden)
{
	char *t = timeline("csv");

	cr_assert(strncmp(t, "run,start_s,end_s,free,active,inactive,laundry,"
	    "unswappable,wired,swap_used,freed,laundered,swapped_out,"
	    "swapped_in,pid_output,stall_s,oom_kills\n", 125) == 0, "%s", t);
	/* The noswap run's kill is in the row of [4, 4.5). */
	cr_assert_not_null(strstr(t, "\nnoswap,4.000000000,4.500000000,"));
	golden("hog.timeline.csv", t);
	free(t);
}

Test(timeline, json_golden)
{
	char *t = timeline("json");
	json_error_t je;
	json_t *doc, *runs, *run;
	size_t i, n;

	doc = json_loads(t, 0, &je);
	cr_assert_not_null(doc, "not JSON: %s", je.text);
	cr_assert_float_eq(json_real_value(json_object_get(doc, "interval_s")),
	    0.5, 1e-12);
	runs = json_object_get(doc, "runs");
	cr_assert_eq(json_array_size(runs), 2);
	json_array_foreach(runs, i, run) {
		n = json_array_size(json_object_get(run, "end_s"));
		cr_assert_gt(n, 8);
		/* Every series has one value per row. */
		cr_assert_eq(json_array_size(json_object_get(run, "free")), n);
		cr_assert_eq(json_array_size(json_object_get(run,
		    "oom_kills")), i == 1 ? 1 : 0);
		cr_assert_eq(json_array_size(json_object_get(run, "marks")), 2);
	}
	json_decref(doc);
	golden("hog.timeline.json", t);
	free(t);
}

/* A 1 us interval over 6.5 s: far more intervals than rows are kept. */
Test(timeline, coarsens_when_long)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *out = join(dir, "t.json"), *t;
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	json_t *doc, *run;
	double iv;
	size_t n;

	RUN(r, trace, "-c", c1, "-q", "--timeline", out,
	    "--timeline-interval", "1us");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	t = cli_slurp(out, NULL);
	doc = json_loads(t, 0, NULL);
	cr_assert_not_null(doc);
	iv = json_real_value(json_object_get(doc, "interval_s"));
	/* 1 us doubled: 6.5 s / 8192 rows needs 2^10 us at least. */
	cr_assert_geq(iv, 1024e-6, "interval %g", iv);
	run = json_array_get(json_object_get(doc, "runs"), 0);
	n = json_array_size(json_object_get(run, "end_s"));
	cr_assert_leq(n, 8192);
	cr_assert_gt(n, 4096 - 1);
	json_decref(doc);
	free(t);
	cli_result_free(&r);
	free(out);
	free(dir);
	free(trace);
	free(c1);
}

Test(timeline, bad_options)
{
	struct cli_result r;
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");

	RUN(r, trace, "-c", c1, "--timeline", "t.txt");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "--timeline t.txt: expected a file "
	    "name ending in .csv or .json"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "--timeline", "t.csv", "--timeline-interval",
	    "10");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "--timeline-interval: expected a "
	    "duration"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "--timeline-interval", "1s");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "needs --timeline or --html"), "%s",
	    r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "--tolerance", "5%");
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "--tolerance needs --baseline"), "%s",
	    r.err);
	cli_result_free(&r);
	free(trace);
	free(c1);
}

/* save_baseline() - the JSON report of the two runs, in dir (malloc'd). */
static char *
save_baseline(const char *dir)
{
	struct cli_result r;
	char *out = join(dir, "base.json");
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *c2 = data("noswap.yaml");

	RUN(r, trace, "-c", c1, "-c", c2, "-f", "json", "-o", out);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	free(trace);
	free(c1);
	free(c2);
	return out;
}

/* bump() - multiply stat of run in the JSON report at path by f. */
static void
bump(const char *path, const char *run, const char *stat, double f)
{
	json_t *doc = json_load_file(path, 0, NULL), *r, *stats, *v;
	size_t i;

	cr_assert_not_null(doc);
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		if (strcmp(json_string_value(json_object_get(r, "name")),
		    run) != 0)
			continue;
		stats = json_object_get(r, "stats");
		v = json_object_get(stats, stat);
		cr_assert_not_null(v);
		json_object_set_new(stats, stat, json_integer(
		    (json_int_t)(json_number_value(v) * f)));
	}
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0);
	json_decref(doc);
}

/*
 * drop_warnings() - remove the "pgreplay: warning:" lines of partial
 * replays (the hog's last events are never replayed or dropped, on
 * purpose) so that the tests read the baseline's own lines.
 */
static void
drop_warnings(char *err)
{
	static const char w[] = "pgreplay: warning: ";
	char *in = err, *out = err, *nl;
	size_t len;

	while (*in != '\0') {
		nl = strchr(in, '\n');
		len = nl != NULL ? (size_t)(nl - in) + 1 : strlen(in);
		if (strncmp(in, w, sizeof(w) - 1) != 0) {
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	*out = '\0';
}

/* check() - replay both runs against baseline with extra arguments. */
static void
check(struct cli_result *r, const char *baseline, const char *tol,
    const char *cfg2, const char *junit)
{
	char *trace = data("hog.pgt"), *c1 = data(cfg2);
	char *c2 = data("noswap.yaml"), *now = malloc(strlen(baseline) + 16);

	/*
	 * The report goes beside the baseline: -o /dev/null would have the
	 * atomic writer rename a regular file over the device.
	 */
	sprintf(now, "%s.now.json", baseline);
	if (junit != NULL)
		RUN(*r, trace, "-c", c1, "-c", c2, "-f", "json", "-o", now,
		    "--baseline", baseline, "--tolerance", tol, "--junit",
		    junit);
	else
		RUN(*r, trace, "-c", c1, "-c", c2, "-f", "json", "-o", now,
		    "--baseline", baseline, "--tolerance", tol);
	if (r->err != NULL)
		drop_warnings(r->err);
	free(now);
	free(trace);
	free(c1);
	free(c2);
}

Test(baseline, passes_against_itself)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);

	check(&r, b, "0", "swap.yaml", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, ": 2 runs, "), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "(tolerance 0): no regression\n"),
	    "%s", r.err);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cli_result_free(&r);
	free(b);
	free(dir);
}

Test(baseline, fails_on_drift_and_tolerance_accepts_it)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);

	/* The baseline freed 10% fewer pages than the replay does now. */
	bump(b, "swap", "v_dfree", 1 / 1.1);
	check(&r, b, "5%", "swap.yaml", NULL);
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "1 regressed, 0 missing\n"), "%s",
	    r.err);
	cr_assert_not_null(strstr(r.err, "\n  run   statistic"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\n  swap  v_dfree  "), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "(+10.0%)"), "%s", r.err);
	cli_result_free(&r);

	check(&r, b, "15%", "swap.yaml", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	/* Absolute: 5664 pages now, 5149 then: 515 apart. */
	check(&r, b, "abs=500", "swap.yaml", NULL);
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	check(&r, b, "1%,abs=600", "swap.yaml", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	/* The config's expect: v_dfree: { tolerance: 20% } overrides 0. */
	check(&r, b, "0", "swap_tolerant.yaml", NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	free(b);
	free(dir);
}

Test(baseline, exit_2_when_it_does_not_match)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);
	char *missing = join(dir, "nope.json"), *bad = join(dir, "bad.json");
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *other = data("other_name.yaml");
	FILE *f;

	RUN(r, trace, "-c", c1, "--baseline", missing);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_eq(r.outlen, 0);
	cr_assert_not_null(strstr(r.err, "nope.json: cannot read the "
	    "baseline: "), "%s", r.err);
	cr_assert_eq(cli_lines(r.err), 1, "%s", r.err);
	cli_result_free(&r);

	f = fopen(bad, "w");
	cr_assert_not_null(f);
	fputs("{\n  \"runs\": [\n    {\"name\": \"swap\", }\n  ]\n}\n", f);
	fclose(f);
	RUN(r, trace, "-c", c1, "--baseline", bad);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "bad.json:3: baseline: "), "%s",
	    r.err);
	cli_result_free(&r);

	/* A run the baseline lacks, and a baseline run not replayed. */
	RUN(r, trace, "-c", c1, "-c", other, "--baseline", b);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_eq(r.outlen, 0);
	cr_assert_not_null(strstr(r.err, "base.json: baseline has no run "
	    "'elsewhere'"), "%s", r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "--baseline", b);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "base.json: baseline run 'noswap' is "
	    "not among the runs of this replay"), "%s", r.err);
	cli_result_free(&r);
	free(missing);
	free(bad);
	free(trace);
	free(c1);
	free(other);
	free(b);
	free(dir);
}

Test(baseline, exit_2_for_a_statistic_no_longer_reported)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);
	json_t *doc = json_load_file(b, 0, NULL), *run;
	size_t i;

	json_array_foreach(json_object_get(doc, "runs"), i, run)
		json_object_set_new(json_object_get(run, "stats"),
		    "v_retired", json_integer(3));
	cr_assert_eq(json_dump_file(doc, b, JSON_INDENT(2)), 0);
	json_decref(doc);
	check(&r, b, "0", "swap.yaml", NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "v_retired"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "does not match the runs"), "%s",
	    r.err);
	cli_result_free(&r);
	free(b);
	free(dir);
}

Test(baseline, bad_tolerances)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *badtol = data("bad_tolerance.yaml");
	const char *bad[] = { "", "5", "x%", "-1", "5%,5%", "abs=", "abs=-2",
		"5%,abs=1,abs=2" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		RUN(r, trace, "-c", c1, "-c", badtol, "--baseline", b,
		    "--tolerance", bad[i]);
		if (strcmp(bad[i], "5") == 0) {
			/* 5 is a relative 500%: valid; the config is not. */
			cr_assert_eq(r.status, 2);
			cr_assert_not_null(strstr(r.err,
			    "bad_tolerance.yaml:6: key 'expect.v_dfree.tolerance': expected a "
			    "tolerance"), "%s", r.err);
		} else {
			cr_assert_eq(r.status, 2, "'%s': exit %d", bad[i],
			    r.status);
			cr_assert_not_null(strstr(r.err, "--tolerance: "
			    "expected a tolerance such as"), "'%s': %s",
			    bad[i], r.err);
		}
		cli_result_free(&r);
	}
	free(trace);
	free(c1);
	free(badtol);
	free(b);
	free(dir);
}

Test(junit, golden)
{
	static const char xml_head[] = "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?>\n<testsuites name=\"pgreplay\" ";
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);
	char *xml = join(dir, "junit.xml"), *text, *clean;

	bump(b, "swap", "v_dfree", 1 / 1.1);
	check(&r, b, "5%", "swap_expect.yaml", xml);
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	text = cli_slurp(xml, NULL);
	cr_assert_not_null(text);
	cr_assert(strncmp(text, xml_head, strlen(xml_head)) == 0, "%s", text);
	/* One failed expect, one drifted statistic. */
	cr_assert_not_null(strstr(text, " failures=\"2\" "), "%s", text);
	cr_assert_not_null(strstr(text, "name=\"expect oom_kills &lt;= 0\""));
	cr_assert_not_null(strstr(text, "name=\"baseline v_dfree\">\n      "
	    "<failure type=\"baseline\""));
	clean = without_root(text);
	golden("hog.junit.xml", clean);
	free(clean);
	free(text);
	cli_result_free(&r);
	free(xml);
	free(b);
	free(dir);
}

/* The timeline is the same whatever the number of threads. */
Test(timeline, same_for_any_jobs)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *t1 = join(dir, "1.csv");
	char *t2 = join(dir, "2.csv"), *a, *b;
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *c2 = data("noswap.yaml");

	RUN(r, trace, "-c", c1, "-c", c2, "-q", "-j", "1", "--timeline", t1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "-c", c2, "-q", "-j", "2", "--timeline", t2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	a = cli_slurp(t1, NULL);
	b = cli_slurp(t2, NULL);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(a, b);
	cr_assert_gt(cli_lines(a), 10);
	free(a);
	free(b);
	free(t1);
	free(t2);
	free(trace);
	free(c1);
	free(c2);
	free(dir);
}

/* A shard is checked against the runs of the whole baseline it holds. */
Test(baseline, shard_matches_its_runs)
{
	struct cli_result r;
	char *dir = cli_tmpdir(), *b = save_baseline(dir);
	char *trace = data("hog.pgt"), *c1 = data("swap.yaml");
	char *c2 = data("noswap.yaml");

	RUN(r, trace, "-c", c1, "-c", c2, "--shard", "2/2", "-f", "json",
	    "-o", b, "--baseline", b);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, ": 1 run, "), "%s", r.err);
	cli_result_free(&r);
	/* b is now the report of shard 2: shard 2 matches it, 1 does not. */
	RUN(r, trace, "-c", c1, "-c", c2, "--shard", "2/2", "-q",
	    "--baseline", b);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	RUN(r, trace, "-c", c1, "-c", c2, "--shard", "1/2", "-q",
	    "--baseline", b);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	free(trace);
	free(c1);
	free(c2);
	free(b);
	free(dir);
}
