/*
 * test_report.c - the report writers on a report built by hand: the JSON
 * document byte for byte against a golden file, the text and CSV shapes,
 * and the expect evaluation.
 *
 * Regenerate the golden file on purpose with
 *   PGREPLAY_REGEN=1 meson test -C BUILD report
 * and review the diff before committing it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static struct report_value
ival(const char *name, int64_t i)
{
	struct report_value v = { .is_real = false, .i = i };

	snprintf(v.name, sizeof(v.name), "%s", name);
	return v;
}

static struct report_value
rval(const char *name, double d)
{
	struct report_value v = { .is_real = true, .d = d };

	snprintf(v.name, sizeof(v.name), "%s", name);
	return v;
}

static void *
dup_mem(const void *p, size_t n)
{
	void *q = malloc(n);

	cr_assert_not_null(q);
	memcpy(q, p, n);
	return q;
}

/* fill_run() - a run as the simulator would fill it (malloc'd arrays). */
static void
fill_run(struct report_run *run, const char *name, int64_t faults, bool panic)
{
	struct report_value sysctl[] = { ival("kern.hz", 1000),
		ival("vm.pageout_oom_seq", 12) };
	struct report_value dom[] = { ival("page_count", 16384),
		ival("free_min", 135), ival("free_target", 400) };
	/* 0.1 + 0.2 is 0.30000000000000004: the report must say 0.3. */
	struct report_value stats[] = { ival("faults", faults),
		ival("faults_zero_fill", faults - 128),
		ival("faults_file", 128), ival("faults_swap", 0),
		ival("v_dfree", 0), ival("oom_kills", 1), ival("stalls", 3),
		rval("stall_time_s", 0.1 + 0.2), rval("io_wait_s", -0.0) };
	struct report_oom_kill kill = { .time_s = 12.000000123,
		.pid = 100,
		.pages = 262144 };
	struct report_value extra[] = { ival("faults", 12),
		rval("ratio", NAN) };

	memset(run, 0, sizeof(*run));
	snprintf(run->name, sizeof(run->name), "%s", name);
	run->sysctl = dup_mem(sysctl, sizeof(sysctl));
	run->nsysctl = 2;
	run->domains = calloc(1, sizeof(*run->domains));
	cr_assert_not_null(run->domains);
	run->domains[0].fields = dup_mem(dom, sizeof(dom));
	run->domains[0].nfields = 3;
	run->ndomains = 1;
	run->stats = dup_mem(stats, sizeof(stats));
	run->nstats = sizeof(stats) / sizeof(stats[0]);
	snprintf(kill.name, sizeof(kill.name), "hog");
	run->oom_kills = dup_mem(&kill, sizeof(kill));
	run->noom_kills = 1;
	run->processes = calloc(2, sizeof(*run->processes));
	cr_assert_not_null(run->processes);
	run->nprocesses = 2;
	run->processes[0].pid = 100;
	snprintf(run->processes[0].name, sizeof(run->processes[0].name), "hog");
	run->processes[0].fate = "killed";
	run->processes[0].stalls = 3;
	run->processes[0].stall_time_s = 0.25;
	run->processes[0].extra = dup_mem(extra, sizeof(extra));
	run->processes[0].nextra = 2;
	run->processes[1].pid = 200;
	snprintf(run->processes[1].name, sizeof(run->processes[1].name),
	    "w\xff"
	    "rd");
	run->processes[1].fate = "stalled";
	run->processes[1].stalls = 1;
	run->processes[1].stall_time_s = 5;
	run->panic = panic;
	if (panic) {
		run->panic_time_s = 30;
		snprintf(run->panic_reason, sizeof(run->panic_reason),
		    "out of swap space");
	}
}

/* make_report() - two runs, the second with a comma in its name. */
static void
make_report(struct report *r)
{
	static const struct report_bound bounds[] = {
		{ .stat = "oom_kills", .has_max = true, .max = 0 },
		{ .stat = "stall_time_s",
		    .has_min = true,
		    .min = 0.1,
		    .has_max = true,
		    .max = 2.0 },
	};

	memset(r, 0, sizeof(*r));
	snprintf(r->trace.path, sizeof(r->trace.path), "traces/t.pgt");
	snprintf(r->trace.format, sizeof(r->trace.format), "text");
	r->trace.events = 9;
	r->trace.duration_s = 1.5;
	r->runs = calloc(2, sizeof(*r->runs));
	cr_assert_not_null(r->runs);
	r->nruns = 2;
	fill_run(&r->runs[0], "base", 384, false);
	fill_run(&r->runs[1], "sweep[vm.a=1,vm.b=2]", 1000, true);
	cr_assert_eq(report_check_expect(&r->runs[0], bounds, 2), 1);
}

static void
free_report(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nruns; i++)
		report_run_finish(&r->runs[i]);
	free(r->runs);
}

/* render() - r in fmt, as a malloc'd string. */
static char *
render(const struct report *r, enum report_format fmt, size_t *len)
{
	struct pg_error err;
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	cr_assert_not_null(fp);
	cr_assert_eq(report_write(r, fmt, fp, &err), 0, "%s", err.msg);
	cr_assert_eq(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

static char *
golden_path(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char *p = malloc(1024);

	cr_assert_not_null(p);
	snprintf(p, 1024, "%s/tests/cli/data/golden/report.json",
	    root != NULL ? root : ".");
	return p;
}

Test(report, json_matches_golden)
{
	struct report r;
	char *got, *want, *path = golden_path();
	size_t n, wn;
	FILE *fp;

	make_report(&r);
	got = render(&r, REPORT_FORMAT_JSON, &n);
	if (getenv("PGREPLAY_REGEN") != NULL) {
		fp = fopen(path, "wb");
		cr_assert_not_null(fp, "cannot write %s", path);
		fwrite(got, 1, n, fp);
		fclose(fp);
	}
	fp = fopen(path, "rb");
	cr_assert_not_null(fp, "missing golden %s", path);
	want = calloc(1, 1 << 16);
	cr_assert_not_null(want);
	wn = fread(want, 1, (1 << 16) - 1, fp);
	fclose(fp);
	cr_assert_eq(n, wn, "length %zu, golden %zu:\n%s", n, wn, got);
	cr_assert(memcmp(got, want, n) == 0, "differs from golden:\n%s", got);
	free(want);
	free(got);
	free(path);
	free_report(&r);
}

Test(report, json_values)
{
	struct report r;
	json_error_t je;
	json_t *j, *run, *stats, *p, *e;
	char *got;

	make_report(&r);
	got = render(&r, REPORT_FORMAT_JSON, NULL);
	cr_assert(strstr(got, "\"stall_time_s\": 0.3,") != NULL, "%s", got);
	cr_assert(strstr(got, "\"time_s\": 12.000000123,") != NULL, "%s", got);
	cr_assert(strstr(got, "\"io_wait_s\": 0.0") != NULL, "-0.0: %s", got);
	cr_assert(strstr(got, "\n  \"runs\": [\n") != NULL, "indent: %s", got);
	cr_assert_eq(got[strlen(got) - 1], '\n');
	j = json_loads(got, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "pgreplay")),
	    "0.1.0");
	run = json_array_get(json_object_get(j, "runs"), 0);
	stats = json_object_get(run, "stats");
	cr_assert(json_is_integer(json_object_get(stats, "faults")));
	cr_assert_eq(json_integer_value(json_object_get(stats, "faults")), 384);
	cr_assert(json_is_real(json_object_get(stats, "stall_time_s")));
	p = json_array_get(json_object_get(run, "processes"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(p, "fate")),
	    "killed");
	cr_assert_eq(json_integer_value(json_object_get(p, "faults")), 12);
	cr_assert(json_is_null(json_object_get(p, "ratio")), "NaN is null");
	p = json_array_get(json_object_get(run, "processes"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(p, "name")), "w?rd");
	cr_assert(json_is_null(json_object_get(run, "panic")));
	e = json_array_get(json_object_get(run, "expect"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(e, "stat")),
	    "oom_kills");
	cr_assert(json_is_false(json_object_get(e, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(e, "value")), 1);
	cr_assert(json_is_null(json_object_get(e, "min")));
	cr_assert_eq(json_integer_value(json_object_get(e, "max")), 0);
	e = json_array_get(json_object_get(run, "expect"), 1);
	cr_assert(json_is_true(json_object_get(e, "ok")));
	cr_assert(json_is_real(json_object_get(e, "min")));

	run = json_array_get(json_object_get(j, "runs"), 1);
	cr_assert_float_eq(json_real_value(json_object_get(
			       json_object_get(run, "panic"), "time_s")),
	    30.0, 0);
	cr_assert_str_eq(json_string_value(json_object_get(
			     json_object_get(run, "panic"), "reason")),
	    "out of swap space");
	json_decref(j);
	free(got);
	free_report(&r);
}

Test(report, json_write_error)
{
	struct report r;
	struct pg_error err;
	FILE *fp = fopen("/dev/null", "r");

	cr_assert_not_null(fp);
	make_report(&r);
	cr_assert_eq(report_write_json(&r, fp, &err), -EIO);
	cr_assert(strstr(err.msg, "cannot write") != NULL, "%s", err.msg);
	fclose(fp);
	free_report(&r);
}

Test(report, text_has_the_figures)
{
	static const char first[] =
	    "trace traces/t.pgt (text): 9 events, 1.500 s\n";
	struct report r;
	char *got, *nl;

	make_report(&r);
	got = render(&r, REPORT_FORMAT_TEXT, NULL);
	cr_assert(strncmp(got, first, strlen(first)) == 0, "%s", got);
	/* A name wider than a column: letters head the columns, the legend
	 * names the runs. */
	cr_assert(strstr(got, "\n2 runs\n  A   base\n") != NULL, "%s", got);
	cr_assert(strstr(got, "\n  B   sweep[vm.a=1,vm.b=2]\n") != NULL, "%s",
	    got);
	nl = strstr(got, "\nAllocation ");
	cr_assert_not_null(nl, "%s", got);
	cr_assert(strncmp(strchr(nl + 1, '\n') - 1, "B\n", 2) == 0, "%s", got);
	cr_assert(strstr(nl, " A ") < strchr(nl + 1, '\n'), "%s", got);
	/* A section without any statistic is left out. */
	cr_assert(strstr(got, "\nSwap ") == NULL, "%s", got);
	cr_assert(strstr(got, ": 1 stall, 5.000 s\n") != NULL, "%s", got);
	cr_assert(strstr(got, "\nfaults ") != NULL, "%s", got);
	/* B's change against A under its value, worse (more faults): "!". */
	cr_assert(strstr(got, "+616 +160.4%!\n") != NULL, "%s", got);
	cr_assert(strstr(got, "384") != NULL, "%s", got);
	cr_assert(strstr(got, "1000") != NULL, "%s", got);
	cr_assert(strstr(got, "stall time, sum (s)") != NULL, "%s", got);
	cr_assert(strstr(got, "summed over all processes") != NULL, "%s", got);
	cr_assert(strstr(got, "0.300") != NULL, "%s", got);
	cr_assert(strstr(got, "pid 100 (hog), 262144 pages") != NULL, "%s",
	    got);
	cr_assert(strstr(got, "panic at 30.000 s: out of swap space") !=
		NULL,
	    "%s", got);
	cr_assert(strstr(got, "FAIL oom_kills = 1, expected <= 0") != NULL,
	    "%s", got);
	cr_assert(strstr(got,
		      "ok   stall_time_s = 0.3, expected in [0.1, 2]") != NULL,
	    "%s", got);
	cr_assert(strstr(got, "processes still stalled") != NULL, "%s", got);
	/* A stat no run reports has no row. */
	cr_assert(strstr(got, "peak swap used") == NULL, "%s", got);
	free(got);
	free_report(&r);
}

Test(report, csv_header_and_rows)
{
	struct report r;
	char *got;

	make_report(&r);
	got = render(&r, REPORT_FORMAT_CSV, NULL);
	cr_assert(
	    strncmp(got,
		"run,kern.hz,vm.pageout_oom_seq,faults,"
		"faults_zero_fill,faults_file,faults_swap,v_dfree,oom_kills,stalls,"
		"stall_time_s,io_wait_s,panic,expect_failed\n",
		130) == 0,
	    "%s", got);
	cr_assert(strstr(got,
		      "\nbase,1000,12,384,256,128,0,0,1,3,0.300000000,"
		      "0.000000000,0,1,") != NULL,
	    "%s", got);
	cr_assert(strstr(got, "\n\"sweep[vm.a=1,vm.b=2]\",1000,12,1000,") !=
		NULL,
	    "%s", got);
	cr_assert(strstr(got, ",1,0,") != NULL, "panic column: %s", got);
	free(got);
	free_report(&r);
}

Test(report, expect_evaluation)
{
	struct report_run run;
	struct report_bound b[5];

	memset(b, 0, sizeof(b));
	fill_run(&run, "x", 384, false);
	snprintf(b[0].stat, sizeof(b[0].stat), "faults");
	b[0].has_min = b[0].has_max = true;
	b[0].min = 384;
	b[0].max = 384;
	snprintf(b[1].stat, sizeof(b[1].stat), "stall_time_s");
	b[1].has_max = true;
	/* 0.1 + 0.2 is a hair above 0.3, but the report says 0.3: it holds. */
	b[1].max = 0.3;
	snprintf(b[2].stat, sizeof(b[2].stat), "nonexistent");
	b[2].has_max = true;
	snprintf(b[3].stat, sizeof(b[3].stat), "v_dfree"); /* no bound */
	snprintf(b[4].stat, sizeof(b[4].stat), "faults");
	b[4].has_min = true;
	b[4].min = 385;
	cr_assert_eq(report_check_expect(&run, b, 5), 2);
	cr_assert_eq(run.nexpect, 5);
	cr_assert(run.expect[0].ok && run.expect[0].found);
	cr_assert(!run.expect[0].is_real);
	cr_assert_float_eq(run.expect[0].value, 384.0, 0);
	cr_assert(run.expect[1].ok && run.expect[1].is_real);
	cr_assert(!run.expect[2].ok && !run.expect[2].found);
	cr_assert(run.expect[3].ok);
	cr_assert(!run.expect[4].ok);
	/* Evaluating again replaces the outcome. */
	cr_assert_eq(report_check_expect(&run, b, 1), 0);
	cr_assert_eq(run.nexpect, 1);
	cr_assert_eq(report_check_expect(&run, b, 0), 0);
	cr_assert_eq(run.nexpect, 0);
	cr_assert_null(run.expect);
	report_run_finish(&run);
	report_run_finish(&run); /* harmless twice */
	report_run_finish(NULL);
	cr_assert_null(run.stats);
}

Test(report, helpers)
{
	enum report_format f = REPORT_FORMAT_JSON;
	struct report r;

	cr_assert_eq(report_format_parse("csv", &f), 0);
	cr_assert_eq(f, REPORT_FORMAT_CSV);
	cr_assert_eq(report_format_parse("text", &f), 0);
	cr_assert_eq(f, REPORT_FORMAT_TEXT);
	cr_assert_eq(report_format_parse("xml", &f), -EINVAL);
	cr_assert_eq(f, REPORT_FORMAT_TEXT);
	make_report(&r);
	cr_assert_eq(report_expect_failures(&r), 1);
	cr_assert_not_null(report_run_stat(&r.runs[0], "v_dfree"));
	cr_assert_eq(report_run_stat(&r.runs[0], "faults")->i, 384);
	cr_assert_null(report_run_stat(&r.runs[0], "nope"));
	free_report(&r);
}

Test(report, empty_report)
{
	struct report r;
	char *got;

	memset(&r, 0, sizeof(r));
	snprintf(r.trace.path, sizeof(r.trace.path), "-");
	snprintf(r.trace.format, sizeof(r.trace.format), "binary");
	r.trace.compressed = true;
	got = render(&r, REPORT_FORMAT_JSON, NULL);
	cr_assert(strstr(got, "\"runs\": []") != NULL, "%s", got);
	cr_assert(strstr(got, "\"compressed\": true") != NULL, "%s", got);
	free(got);
	got = render(&r, REPORT_FORMAT_CSV, NULL);
	cr_assert_str_eq(got,
	    "run,panic,expect_failed,config_path,sweep,oom_verdicts,phases\n");
	free(got);
	got = render(&r, REPORT_FORMAT_TEXT, NULL);
	cr_assert(strstr(got, "(binary, zstd): 0 events") != NULL, "%s", got);
	free(got);
}
