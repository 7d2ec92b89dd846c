/*
 * test_cli.c - the pgreplay executable as users and CI see it: exit
 * status, messages, reports (interfaces.md sections 3 and 4).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "runner.h"

/* Fail the test if the program could not be run at all. */
#define RUN(res, in, ...)                                                    \
	cr_assert_eq(cli_run(&(res), (in), __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* A bad-usage message: exactly the message line and the --help hint. */
static void
assert_usage_error(const struct cli_result *r, const char *what)
{
	cr_assert_eq(r->status, 2, "exit %d for %s", r->status, what);
	cr_assert_eq(r->outlen, 0, "stdout not empty for %s", what);
	cr_assert_eq(cli_lines(r->err), 2, "stderr for %s: %s", what, r->err);
	cr_assert(strncmp(r->err, "pgreplay: ", 10) == 0, "%s", r->err);
	cr_assert(strstr(r->err, "\nTry 'pgreplay --help'") != NULL, "%s",
	    r->err);
}

/* An input error: one line naming the place. */
static void
assert_input_error(const struct cli_result *r, const char *where)
{
	cr_assert_eq(r->status, 2, "exit %d, stderr %s", r->status, r->err);
	cr_assert_eq(r->outlen, 0, "stdout: %s", r->out);
	cr_assert_eq(cli_lines(r->err), 1, "stderr: %s", r->err);
	cr_assert(strncmp(r->err, "pgreplay: ", 10) == 0, "%s", r->err);
	cr_assert(strstr(r->err, where) != NULL, "'%s' not in: %s", where,
	    r->err);
}

static json_t *
parse_json(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	cr_assert_not_null(j, "bad JSON at line %d: %s\n%s", je.line, je.text,
	    text);
	return j;
}

static json_int_t
stat_int(json_t *run, const char *name)
{
	json_t *v = json_object_get(json_object_get(run, "stats"), name);

	cr_assert(json_is_integer(v), "stat %s missing or not an integer",
	    name);
	return json_integer_value(v);
}

/* replay() - run a small trace with the given configs, JSON output. */
static json_t *
replay_json(const char *trace, const char *c1, const char *c2, int want)
{
	struct cli_result r;
	char *t = cli_data(trace), *p1 = cli_data(c1);
	char *p2 = c2 != NULL ? cli_data(c2) : NULL;
	json_t *j;

	if (p2 != NULL)
		RUN(r, NULL, t, "--format", "json", "-c", p1, "--config", p2);
	else
		RUN(r, NULL, t, "--format=json", "--config", p1);
	cr_assert_eq(r.status, want, "exit %d, stderr: %s", r.status, r.err);
	j = parse_json(r.out);
	cli_result_free(&r);
	free(t);
	free(p1);
	free(p2);
	return j;
}

Test(cli, help)
{
	struct cli_result r;

	RUN(r, NULL, "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "usage: pgreplay", 15) == 0, "%s", r.out);
	cr_assert_eq(r.errlen, 0);
	cli_result_free(&r);

	/* Through the replay options too, wherever -h comes. */
	RUN(r, NULL, "-c", "x.yaml", "-h");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--config FILE") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "--format FMT") != NULL, "%s", r.out);
	cr_assert_eq(r.errlen, 0);
	cli_result_free(&r);
}

Test(cli, version)
{
	struct cli_result r;

	RUN(r, NULL, "--version");
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "pgreplay ", 9) == 0, "%s", r.out);
	cr_assert(r.out[9] >= '0' && r.out[9] <= '9', "%s", r.out);
	cr_assert_eq(cli_lines(r.out), 1);
	cli_result_free(&r);

	RUN(r, NULL, "trace.pgt", "-V");
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "pgreplay ", 9) == 0, "%s", r.out);
	cli_result_free(&r);
}

Test(cli, usage_errors)
{
	struct cli_result r;
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");

	RUN(r, NULL, "-c", c);
	assert_usage_error(&r, "no trace");
	cr_assert(strstr(r.err, "no trace given") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t);
	assert_usage_error(&r, "no config");
	cr_assert(strstr(r.err, "no configuration given") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c", c, "--bogus");
	assert_usage_error(&r, "unknown long option");
	cr_assert(strstr(r.err, "unknown option '--bogus'") != NULL, "%s",
	    r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c", c, "-z");
	assert_usage_error(&r, "unknown short option");
	cr_assert(strstr(r.err, "unknown option '-z'") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c", c, "--format", "xml");
	assert_usage_error(&r, "bad format");
	cr_assert(strstr(r.err, "unknown format 'xml'") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c");
	assert_usage_error(&r, "missing argument");
	cr_assert(strstr(r.err, "needs an argument") != NULL, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, "--output");
	assert_usage_error(&r, "missing long argument");
	cr_assert(strstr(r.err, "'--output' needs an argument") != NULL, "%s",
	    r.err);
	cli_result_free(&r);

	RUN(r, NULL, t, t, "-c", c);
	assert_usage_error(&r, "two traces");
	cli_result_free(&r);

	free(t);
	free(c);
}

Test(cli, bad_config)
{
	char *t = cli_data("small.pgt"), *c = cli_data("bad_key.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r, "bad_key.yaml:3:");
	cr_assert(strstr(r.err, "memroy") != NULL, "%s", r.err);
	cli_result_free(&r);

	free(c);
	c = cli_data("no-such-config.yaml");
	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r, "no-such-config.yaml");
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, expect_unknown_statistic)
{
	char *t = cli_data("small.pgt"), *c = cli_data("expect_typo.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r,
	    "expect_typo.yaml:7: expect: unknown statistic "
	    "'oom_kils' (did you mean 'oom_kills'?)");
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, bad_trace)
{
	char *t = cli_data("bad.pgt"), *c = cli_data("base.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r, "bad.pgt:4:");
	cli_result_free(&r);
	free(t);

	t = cli_data("no-such-trace.pgt");
	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r, "no-such-trace.pgt");
	cli_result_free(&r);
	free(t);
	free(c);
}

/*
 * Control bytes quoted from the input are escaped: the message stays one
 * line and sends no escape sequence to the terminal.
 */
Test(cli, control_bytes_in_messages_are_escaped)
{
	char *t = cli_data("control-bytes.pgt"), *c = cli_data("base.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c);
	assert_input_error(&r, "control-bytes.pgt:3: unknown op");
	cr_assert(strstr(r.err, "\\x1b[31mo\\x0bc") != NULL, "%s", r.err);
	cr_assert_null(strchr(r.err, '\033'), "raw ESC on stderr");
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, json_report_shape)
{
	static const char *const stats[] = { "v_pdwakeups", "v_pdpages",
		"v_dfree", "v_reactivated", "v_pdshortfalls", "v_tfree",
		"v_swapout", "v_swappgsout", "v_swappgsin", "v_vnodeout",
		"v_vnodepgsout", "v_vnodepgsin", "pageout_lock_miss", "faults",
		"faults_zero_fill", "faults_file", "faults_swap",
		"laundered_background", "laundered_shortfall",
		"laundry_clusters", "oom_kills", "lowmem_events", "stalls",
		"stall_time_s", "min_free_count", "peak_unswappable",
		"peak_swap_used" };
	static const char *const domain_fields[] = { "page_count", "free_min",
		"free_target", "free_severe", "free_reserved",
		"inactive_target", "pageout_wakeup_thresh" };
	static const char *const run_keys[] = { "name", "model", "sysctl",
		"domains", "stats", "oom_kills", "processes", "panic", "expect",
		"config", "phases" };
	json_t *j = replay_json("small.pgt", "base.yaml", NULL, 0);
	json_t *trace, *runs, *run, *dom, *procs, *p, *stall;
	const char *key;
	json_t *v;
	size_t i;

	cr_assert(json_is_string(json_object_get(j, "pgreplay")));
	trace = json_object_get(j, "trace");
	cr_assert_eq(json_integer_value(json_object_get(trace, "events")), 9);
	cr_assert(json_is_real(json_object_get(trace, "duration_s")));
	cr_assert_float_eq(
	    json_real_value(json_object_get(trace, "duration_s")), 1.5, 1e-12);
	cr_assert_str_eq(json_string_value(json_object_get(trace, "format")),
	    "text");

	runs = json_object_get(j, "runs");
	cr_assert_eq(json_array_size(runs), 1);
	run = json_array_get(runs, 0);
	/* The run's keys, in the documented order. */
	i = 0;
	json_object_foreach(run, key, v)
	{
		cr_assert(i < sizeof(run_keys) / sizeof(run_keys[0]),
		    "extra %s", key);
		cr_assert_str_eq(key, run_keys[i]);
		i++;
	}
	cr_assert_eq(i, sizeof(run_keys) / sizeof(run_keys[0]));
	cr_assert_str_eq(json_string_value(json_object_get(run, "name")),
	    "base");
	cr_assert_eq(json_integer_value(json_object_get(
			 json_object_get(run, "sysctl"), "vm.pageout_oom_seq")),
	    12);

	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		cr_assert_not_null(
		    json_object_get(json_object_get(run, "stats"), stats[i]),
		    "stat %s missing", stats[i]);
	cr_assert(json_is_real(
	    json_object_get(json_object_get(run, "stats"), "stall_time_s")));
	/* interfaces.md 4: faults = zero-fill + file + swap. */
	cr_assert_eq(stat_int(run, "faults"),
	    stat_int(run, "faults_zero_fill") + stat_int(run, "faults_file") +
		stat_int(run, "faults_swap"));
	cr_assert_eq(stat_int(run, "faults_zero_fill"), 256);
	cr_assert_eq(stat_int(run, "faults_file"), 128);
	cr_assert_eq(stat_int(run, "oom_kills"), 0);

	cr_assert_eq(json_array_size(json_object_get(run, "domains")), 1);
	dom = json_array_get(json_object_get(run, "domains"), 0);
	for (i = 0; i < sizeof(domain_fields) / sizeof(domain_fields[0]); i++)
		cr_assert(
		    json_is_integer(json_object_get(dom, domain_fields[i])),
		    "domain field %s", domain_fields[i]);
	/* 64 MiB is 16384 pages. */
	cr_assert_eq(json_integer_value(json_object_get(dom, "page_count")),
	    16384);

	cr_assert(json_is_array(json_object_get(run, "oom_kills")));
	cr_assert_eq(json_array_size(json_object_get(run, "oom_kills")), 0);
	cr_assert(json_is_null(json_object_get(run, "panic")));
	cr_assert_eq(json_array_size(json_object_get(run, "expect")), 0);

	procs = json_object_get(run, "processes");
	cr_assert_eq(json_array_size(procs), 2);
	p = json_array_get(procs, 0);
	cr_assert_eq(json_integer_value(json_object_get(p, "pid")), 100);
	cr_assert_str_eq(json_string_value(json_object_get(p, "name")),
	    "writer");
	cr_assert_str_eq(json_string_value(json_object_get(p, "fate")),
	    "exited");
	cr_assert(json_is_integer(json_object_get(p, "stalls")));
	stall = json_object_get(p, "stall_time_s");
	cr_assert(json_is_real(stall));
	p = json_array_get(procs, 1);
	cr_assert_str_eq(json_string_value(json_object_get(p, "name")),
	    "reader");
	json_decref(j);
}

Test(cli, output_is_atomic)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	char *bad = cli_data("bad.pgt"), *dir = cli_tmpdir();
	char out[512], *text;
	struct cli_result r;
	json_t *j;
	FILE *fp;

	cr_assert_not_null(dir);
	snprintf(out, sizeof(out), "%s/report.json", dir);
	RUN(r, NULL, t, "-c", c, "-f", "json", "-o", out);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.outlen, 0, "report went to stdout too");
	cli_result_free(&r);
	/* The report and nothing else: no temporary file left behind. */
	cr_assert_eq(cli_dir_entries(dir), 1);
	text = cli_slurp(out, NULL);
	cr_assert_not_null(text);
	j = parse_json(text);
	cr_assert_eq(json_array_size(json_object_get(j, "runs")), 1);
	json_decref(j);
	free(text);

	/* Bad input: the old file stays as it was, nothing is added. */
	fp = fopen(out, "w");
	cr_assert_not_null(fp);
	fputs("old\n", fp);
	fclose(fp);
	RUN(r, NULL, bad, "-c", c, "-f", "json", "-o", out);
	cr_assert_eq(r.status, 2);
	cli_result_free(&r);
	text = cli_slurp(out, NULL);
	cr_assert_str_eq(text, "old\n");
	free(text);
	cr_assert_eq(cli_dir_entries(dir), 1);
	remove(out);

	/* A bad input and no file before: still no file. */
	RUN(r, NULL, bad, "-c", c, "-o", out);
	cr_assert_eq(r.status, 2);
	cli_result_free(&r);
	cr_assert_eq(cli_dir_entries(dir), 0);

	/* A directory that does not exist: a message naming the file. */
	snprintf(out, sizeof(out), "%s/missing/report.txt", dir);
	RUN(r, NULL, t, "-c", c, "-o", out);
	assert_input_error(&r, "missing/report.txt");
	cli_result_free(&r);

	remove(dir);
	free(dir);
	free(bad);
	free(t);
	free(c);
}

Test(cli, interrupted_leaves_no_file, .timeout = 60)
{
	char *c = cli_data("base.yaml"), *dir = cli_tmpdir();
	char out[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	snprintf(out, sizeof(out), "%s/report.json", dir);
	cr_assert_eq(cli_run_signalled(&r, "pgtrace 1\n0 proc 1 a\n", SIGTERM,
			 300, "-", "-c", c, "-f", "json", "-o", out,
			 (const char *)NULL),
	    0);
	cr_assert_eq(r.status, 143, "exit %d: %s", r.status, r.err);
	cr_assert(r.ended_before_eof,
	    "the signal was only acted on when the input ended");
	cr_assert_eq(cli_dir_entries(dir), 0);
	cli_result_free(&r);

	cr_assert_eq(cli_run_signalled(&r, "pgtrace 1\n", SIGINT, 300, "-",
			 "-c", c, (const char *)NULL),
	    0);
	cr_assert_eq(r.status, 130, "exit %d: %s", r.status, r.err);
	cr_assert(r.ended_before_eof,
	    "the signal was only acted on when the input ended");
	cr_assert_eq(r.outlen, 0, "a report after an interruption: %s", r.out);
	cli_result_free(&r);
	remove(dir);
	free(dir);
	free(c);
}

Test(cli, expect_pass)
{
	json_t *j = replay_json("small.pgt", "expect_pass.yaml", NULL, 0);
	json_t *exp = json_object_get(
	    json_array_get(json_object_get(j, "runs"), 0), "expect");
	json_t *e;

	cr_assert_eq(json_array_size(exp), 2);
	e = json_array_get(exp, 0);
	cr_assert_str_eq(json_string_value(json_object_get(e, "stat")),
	    "faults");
	cr_assert(json_is_true(json_object_get(e, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(e, "value")), 384);
	cr_assert_eq(json_integer_value(json_object_get(e, "min")), 1);
	cr_assert(json_is_null(json_object_get(e, "max")));
	e = json_array_get(exp, 1);
	cr_assert_str_eq(json_string_value(json_object_get(e, "stat")),
	    "oom_kills");
	cr_assert(json_is_true(json_object_get(e, "ok")));
	json_decref(j);
}

Test(cli, expect_fail)
{
	char *t = cli_data("small.pgt"), *c = cli_data("expect_fail.yaml");
	struct cli_result r;
	json_t *j, *exp, *e;

	RUN(r, NULL, t, "-c", c, "-f", "json");
	/* The report is written, and the status says the check failed. */
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	j = parse_json(r.out);
	exp = json_object_get(json_array_get(json_object_get(j, "runs"), 0),
	    "expect");
	cr_assert_eq(json_array_size(exp), 2);
	cr_assert(json_is_true(json_object_get(json_array_get(exp, 0), "ok")));
	e = json_array_get(exp, 1);
	cr_assert_str_eq(json_string_value(json_object_get(e, "stat")),
	    "faults");
	cr_assert(json_is_false(json_object_get(e, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(e, "max")), 10);
	cr_assert_gt(json_integer_value(json_object_get(e, "value")), 10);
	cr_assert(strstr(r.err, "fail: expect faults <= 10 failed") != NULL,
	    "%s", r.err);
	json_decref(j);
	cli_result_free(&r);

	/* Quiet: nothing at all, the status alone tells. */
	RUN(r, NULL, t, "-c", c, "--quiet");
	cr_assert_eq(r.status, 1);
	cr_assert_eq(r.outlen, 0);
	cr_assert_eq(r.errlen, 0, "%s", r.err);
	cli_result_free(&r);

	/* The text report shows the failure too. */
	RUN(r, NULL, t, "-c", c);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.out, "FAIL faults") != NULL, "%s", r.out);
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, two_configs_side_by_side)
{
	char *t = cli_data("small.pgt"), *c1 = cli_data("base.yaml");
	char *c2 = cli_data("other.yaml");
	struct cli_result r;
	const char *line, *nl;
	json_t *j, *runs;
	bool header = false;

	RUN(r, NULL, t, "-c", c1, "-c", c2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* One header line names both runs, and the faults row has 2 values. */
	for (line = r.out; line != NULL && *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			break;
		if (strstr(line, "base") != NULL &&
		    strstr(line, "other") != NULL &&
		    strstr(line, "base") < nl && strstr(line, "other") < nl)
			header = true;
		if (strncmp(line, "faults ", 7) == 0) {
			char row[256];
			long a, b;

			snprintf(row, sizeof(row), "%.*s", (int)(nl - line),
			    line);
			cr_assert_eq(sscanf(row + 6, "%ld %ld", &a, &b), 2,
			    "%s", row);
			cr_assert_eq(a, 384);
			cr_assert_eq(b, 384);
		}
	}
	cr_assert(header, "no header with both runs:\n%s", r.out);
	cli_result_free(&r);

	j = replay_json("small.pgt", "base.yaml", "other.yaml", 0);
	runs = json_object_get(j, "runs");
	cr_assert_eq(json_array_size(runs), 2);
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(runs, 0), "name")),
	    "base");
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(runs, 1), "name")),
	    "other");
	cr_assert_eq(json_integer_value(json_object_get(
			 json_object_get(json_array_get(runs, 1), "sysctl"),
			 "vm.pageout_oom_seq")),
	    48);
	json_decref(j);
	free(t);
	free(c1);
	free(c2);
}

Test(cli, sweep_expands)
{
	/* First key slowest: (12,1) (12,3) (48,1) (48,3). */
	static const int seq[] = { 12, 12, 48, 48 }, weight[] = { 1, 3, 1, 3 };
	json_t *j = replay_json("small.pgt", "sweep.yaml", "base.yaml", 0);
	json_t *runs = json_object_get(j, "runs"), *run, *sc;
	const char *name;
	size_t i;

	cr_assert_eq(json_array_size(runs), 5);
	for (i = 0; i < 4; i++) {
		run = json_array_get(runs, i);
		name = json_string_value(json_object_get(run, "name"));
		cr_assert(strncmp(name, "sweep", 5) == 0, "%s", name);
		cr_assert(strstr(name, "vm.pageout_oom_seq=") != NULL, "%s",
		    name);
		sc = json_object_get(run, "sysctl");
		cr_assert_eq(json_integer_value(
				 json_object_get(sc, "vm.pageout_oom_seq")),
		    seq[i], "run %zu", i);
		cr_assert_eq(json_integer_value(json_object_get(sc,
				 "vm.act_scan_laundry_weight")),
		    weight[i], "run %zu", i);
	}
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(runs, 4), "name")),
	    "base");
	json_decref(j);
}

Test(cli, deterministic)
{
	static const char *const formats[] = { "json", "text", "csv" };
	char *t = cli_data("small.pgt"), *c1 = cli_data("base.yaml");
	char *c2 = cli_data("sweep.yaml");
	struct cli_result a, b;
	size_t i;

	for (i = 0; i < 3; i++) {
		RUN(a, NULL, t, "-c", c1, "-c", c2, "-f", formats[i]);
		RUN(b, NULL, t, "-c", c1, "-c", c2, "-f", formats[i]);
		cr_assert_eq(a.status, 0, "%s", a.err);
		cr_assert_gt(a.outlen, 0);
		cr_assert_eq(a.outlen, b.outlen, "%s", formats[i]);
		cr_assert(memcmp(a.out, b.out, a.outlen) == 0, "%s differs",
		    formats[i]);
		cr_assert_eq(a.out[a.outlen - 1], '\n');
		cli_result_free(&a);
		cli_result_free(&b);
	}
	free(t);
	free(c1);
	free(c2);
}

Test(cli, stdin_trace)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	struct cli_result r;
	json_t *j, *trace;

	RUN(r, t, "-", "-c", c, "-f", "json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = parse_json(r.out);
	trace = json_object_get(j, "trace");
	cr_assert_eq(json_integer_value(json_object_get(trace, "events")), 9);
	cr_assert_str_eq(json_string_value(json_object_get(trace, "path")),
	    "-");
	json_decref(j);
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, csv_report)
{
	char *t = cli_data("small.pgt"), *c1 = cli_data("base.yaml");
	char *c2 = cli_data("sweep.yaml");
	struct cli_result r;
	const char *p;
	size_t commas = 0, rowcommas;

	RUN(r, NULL, t, "-c", c1, "-c", c2, "--format", "csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "run,", 4) == 0, "%s", r.out);
	cr_assert(strstr(r.out, ",faults,") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, ",stall_time_s,") != NULL, "%s", r.out);
	cr_assert_eq(cli_lines(r.out), 1 + 5);
	/* The header and the first row have the same number of fields. */
	for (p = r.out; *p != '\n'; p++)
		commas += *p == ',';
	for (rowcommas = 0, p++; *p != '\n'; p++)
		rowcommas += *p == ',';
	cr_assert_eq(rowcommas, commas);
	/* Sweep names hold commas: they must be quoted. */
	cr_assert(strstr(r.out, "\n\"sweep[") != NULL, "%s", r.out);
	cli_result_free(&r);
	free(t);
	free(c1);
	free(c2);
}

Test(cli, quiet_and_check)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	struct cli_result r;

	RUN(r, NULL, t, "-c", c, "-q", "--check");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.outlen, 0);
	cr_assert_eq(r.errlen, 0);
	cli_result_free(&r);

	RUN(r, NULL, t, "-c", c);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "trace ", 6) == 0, "%s", r.out);
	cr_assert(strstr(r.out, "9 events") != NULL, "%s", r.out);
	cli_result_free(&r);
	free(t);
	free(c);
}

Test(cli, info_convert_params)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	char *dir = cli_tmpdir(), bin[512], back[512];
	struct cli_result r;

	cr_assert_not_null(dir);
	RUN(r, NULL, "info", t);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "9") != NULL, "event count: %s", r.out);
	cr_assert(strstr(r.out, "text") != NULL, "format: %s", r.out);
	cli_result_free(&r);

	snprintf(bin, sizeof(bin), "%s/small.pgb.zst", dir);
	RUN(r, NULL, "convert", t, bin);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	RUN(r, NULL, "info", bin);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "binary") != NULL, "format: %s", r.out);
	cli_result_free(&r);
	snprintf(back, sizeof(back), "%s/back.pgt", dir);
	RUN(r, NULL, "convert", bin, back);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	/* The binary trace replays like the text one. */
	RUN(r, NULL, bin, "-c", c, "-f", "csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);

	RUN(r, NULL, "convert", t);
	cr_assert_eq(r.status, 2);
	cli_result_free(&r);

	RUN(r, NULL, "params", "--config", c);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "vm.pageout_oom_seq") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "free_target") != NULL, "%s", r.out);
	cli_result_free(&r);

	remove(bin);
	remove(back);
	remove(dir);
	free(dir);
	free(t);
	free(c);
}

/*
 * `params --variants` lists every variant a configuration accepts, with
 * the FreeBSD commit it comes from, in text and JSON; each listed name
 * loads as model.variants.
 */
Test(cli, params_lists_the_variants_with_their_commits)
{
	char *dir = cli_tmpdir(), path[512], yaml[128];
	json_t *list, *v;
	json_error_t jerr;
	struct cli_result r;
	size_t i;
	FILE *f;

	cr_assert_not_null(dir);
	RUN(r, NULL, "params", "--variants");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "oom-instant-shortage") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "78546fb0e321") != NULL, "%s", r.out);
	cli_result_free(&r);
	RUN(r, NULL, "params", "--variants", "--format", "json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	list = json_loads(r.out, 0, &jerr);
	cr_assert(json_is_array(list), "%s: %s", jerr.text, r.out);
	cr_assert_eq(json_array_size(list), conf_variant_count());
	json_array_foreach(list, i, v) {
		cr_assert_str_eq(json_string_value(json_object_get(v, "name")),
		    conf_variant_name(i));
		cr_assert_str_eq(json_string_value(json_object_get(v,
		    "commit")), conf_variant_commit(i));
		cr_assert_gt(strlen(json_string_value(json_object_get(v,
		    "what"))), 20);
		snprintf(path, sizeof(path), "%s/v.yaml", dir);
		snprintf(yaml, sizeof(yaml), "model: { variants: [%s] }\n",
		    conf_variant_name(i));
		cr_assert_not_null(f = fopen(path, "w"));
		fputs(yaml, f);
		fclose(f);
		RUN(r, NULL, "params", "--config", path);
		cr_assert_eq(r.status, 0, "%s: %s", yaml, r.err);
		cli_result_free(&r);
	}
	json_decref(list);
	RUN(r, NULL, "params", "--variants", "--config", path);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--variants") != NULL, "%s", r.err);
	cli_result_free(&r);
	remove(path);
	remove(dir);
	free(dir);
}

/*
 * Every subcommand refuses a bad option with its own one message (getopt
 * prints nothing of its own): the option named, exit 2.
 */
Test(cli, subcommand_option_errors_are_one_message)
{
	static const struct {
		const char *argv[4];
		const char *says;
	} cases[] = {
		{ { "params", "--bogus" }, "params: unknown option '--bogus'" },
		{ { "params", "-V" }, "params: unknown option '-V'" },
		{ { "params", "--config" },
		    "params: option '--config' needs an argument" },
		{ { "info", "-x", "t.pgt" }, "info: unknown option '-x'" },
		{ { "info", "--format" },
		    "info: option '--format' needs an argument" },
		{ { "convert", "--zz", "a", "b" },
		    "convert: unknown option '--zz'" },
		{ { "import", "perf", "--bogus=1", "a" },
		    "import: unknown option '--bogus'" },
		{ { "import", "perf", "--strace" },
		    "import: option '--strace' needs an argument" },
		{ { "merge", "-q" }, "merge: unknown option '-q'" },
	};
	struct cli_result r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		RUN(r, NULL, cases[i].argv[0], cases[i].argv[1],
		    cases[i].argv[2], cases[i].argv[3]);
		assert_usage_error(&r, cases[i].says);
		cr_assert(strstr(r.err, cases[i].says) != NULL, "%s", r.err);
		cli_result_free(&r);
	}
}
