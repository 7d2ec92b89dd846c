/*
 * test_report.c - the report writers on a report built by hand: the JSON
 * document byte for byte against a golden file, the text and CSV shapes,
 * and the expect evaluation.
 *
 * Regenerate the golden file on purpose with
 *   PGREPLAY_REGEN_GOLDEN=1 meson test -C BUILD report
 * and review the diff before committing it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/golden.h"
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
	char *got, *path = golden_path();
	size_t n;

	make_report(&r);
	got = render(&r, REPORT_FORMAT_JSON, &n);
	golden_check(path, got, n, "the JSON report");
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
		"run,model.variants,kern.hz,vm.pageout_oom_seq,faults,"
		"faults_zero_fill,faults_file,faults_swap,v_dfree,oom_kills,stalls,"
		"stall_time_s,io_wait_s,panic,expect_failed\n",
		145) == 0,
	    "%s", got);
	cr_assert(strstr(got,
		      "\nbase,none,1000,12,384,256,128,0,0,1,3,0.300000000,"
		      "0.000000000,0,1,") != NULL,
	    "%s", got);
	cr_assert(strstr(got,
		      "\n\"sweep[vm.a=1,vm.b=2]\",none,1000,12,1000,") !=
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
	cr_assert_str_eq(got, "run,model.variants,panic,expect_failed,"
	    "config_path,sweep,oom_verdicts,phases\n");
	free(got);
	got = render(&r, REPORT_FORMAT_TEXT, NULL);
	cr_assert(strstr(got, "(binary, zstd): 0 events") != NULL, "%s", got);
	free(got);
}

/* ---- the OOM verdict, from data ---- */

/* why_above_target() - a kill with free memory above target, swap 5% used. */
static struct report_oom_why
why_above_target(void)
{
	struct report_oom_why w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.valid = true;
	w.ndomains = 1;
	w.pageout_oom_seq = 12;
	w.nscans = 12;
	for (i = 0; i < w.nscans; i++) {
		w.scans[i].time_s = 1.0 + 0.1 * (double)i;
		w.scans[i].asked = 100;
		w.scans[i].failed = true;
		w.scans[i].oom_seq = (int64_t)i + 1;
		w.scans[i].has_laundered = i > 0;
		w.scans[i].laundered = 50;
	}
	w.free_count = 500;
	w.free_min = 100;
	w.free_target = 400;
	w.swap_used = 5;
	w.swap_total = 100;
	snprintf(w.lw_state, sizeof(w.lw_state), "asleep, no request");
	return w;
}

Test(verdict, free_memory_above_target)
{
	struct report_oom_why w = why_above_target();
	char buf[512];

	cr_assert_str_eq(report_oom_verdict(&w, buf, sizeof(buf)),
	    "killed with swap 5% used and free memory above target after 12 "
	    "failing scans in a row (vm.pageout_oom_seq 12): the page daemon "
	    "kept reclaiming after the shortage ended and the inactive queue "
	    "held no clean pages; raising vm.pageout_oom_seq or the variants "
	    "in docs/model.md avoid it");
}

Test(verdict, each_cause_has_its_words)
{
	struct report_oom_why w = why_above_target();
	char buf[512];

	w.swap_total = 0;
	w.swap_used = 0;
	w.free_count = 50;
	report_oom_verdict(&w, buf, sizeof(buf));
	cr_assert(strstr(buf, "below free_min") != NULL, "%s", buf);
	cr_assert(strstr(buf, "there is no swap") != NULL, "%s", buf);
	cr_assert(strstr(buf, "more swap or memory") != NULL, "%s", buf);

	w = why_above_target();
	w.swap_used = 99;
	w.free_count = 200;
	report_oom_verdict(&w, buf, sizeof(buf));
	cr_assert(strstr(buf, "swap 99% used") != NULL, "%s", buf);
	cr_assert(strstr(buf, "between free_min and free_target") != NULL, "%s",
	    buf);
	cr_assert(strstr(buf, "swap is full") != NULL, "%s", buf);

	w = why_above_target();
	w.free_count = 200;
	report_oom_verdict(&w, buf, sizeof(buf));
	cr_assert(strstr(buf, "could not clean pages as fast") != NULL, "%s",
	    buf);

	w = why_above_target();
	w.panic = true;
	report_oom_verdict(&w, buf, sizeof(buf));
	cr_assert(strncmp(buf, "panicked with", 13) == 0, "%s", buf);

	w.valid = false;
	cr_assert_str_eq(report_oom_verdict(&w, buf, sizeof(buf)),
	    "no explanation recorded");
	/* Always terminated, however small the buffer. */
	w = why_above_target();
	report_oom_verdict(&w, buf, 8);
	cr_assert_str_eq(buf, "killed ");
}

/* ---- through the executable ---- */

#include "runner.h"

/* run_ok() - pgreplay's stdout for the arguments; it must exit with 0. */
#define run_ok(res, ...) \
	do { \
		cr_assert_eq(cli_run(res, NULL, __VA_ARGS__, NULL), 0); \
		cr_assert_eq((res)->status, 0, "status %d: %s", \
		    (res)->status, (res)->err); \
	} while (0)

/*
 * cli_relative() - s with every occurrence of the absolute tests/cli/data
 * directory turned into "tests/cli/data", so that goldens hold no machine
 * path.  Returns a malloc'd string.
 */
static char *
cli_relative(const char *s)
{
	char *dir = cli_data(""), *out, *o;
	size_t dl, rl = strlen("tests/cli/data/");
	const char *p;

	cr_assert_not_null(dir);
	dl = strlen(dir);
	out = malloc(strlen(s) + 1);
	cr_assert_not_null(out);
	for (p = s, o = out; *p != '\0';) {
		if (strncmp(p, dir, dl) == 0) {
			memcpy(o, "tests/cli/data/", rl);
			o += rl;
			p += dl;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	free(dir);
	return out;
}

/* cli_golden() - compare with tests/cli/expected/name, or rewrite it. */
static void
cli_golden(const char *name, const char *got)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char path[1024];

	snprintf(path, sizeof(path), "%s/tests/cli/expected/%s",
	    root != NULL ? root : ".", name);
	golden_check(path, got, strlen(got), name);
}

/* hog() - the JSON report of oom-hog.pgt on configuration config. */
static json_t *
hog(const char *config, char **text)
{
	char *trace = cli_data("oom-hog.pgt"), *cfg = cli_data(config);
	struct cli_result res;
	json_error_t jerr;
	json_t *j;

	run_ok(&res, trace, "--config", cfg, "--format", "json");
	j = json_loads(res.out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	if (text != NULL)
		*text = cli_relative(res.out);
	cli_result_free(&res);
	free(trace);
	free(cfg);
	return j;
}

static int64_t
jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return (int64_t)json_integer_value(v);
}

Test(oom_hog, fast_swap_keeps_up_and_nobody_is_killed)
{
	json_t *j = hog("oom-hog.yaml", NULL);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);

	cr_assert_eq(jint(json_object_get(run, "stats"), "oom_kills"), 0);
	cr_assert_eq(json_array_size(json_object_get(run, "oom_kills")), 0);
	cr_assert_gt(jint(json_object_get(run, "stats"), "v_swappgsout"), 0);
	/* No mark in the trace: no phases at all. */
	cr_assert_null(json_object_get(run, "phases"));
	json_decref(j);
}

Test(oom_hog, slow_swap_kill_is_explained)
{
	char *text;
	json_t *j = hog("oom-hog-slow-swap.yaml", &text);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *k = json_array_get(json_object_get(run, "oom_kills"), 0);
	json_t *e = json_object_get(k, "explanation"), *scans, *sc, *lt;
	size_t i;

	cr_assert_not_null(e);
	cr_assert_eq(jint(k, "pid"), 100);
	cr_assert_float_eq(json_real_value(json_object_get(k, "time_s")),
	    1.11, 1e-9);
	cr_assert_eq(jint(e, "pageout_oom_seq"), 12);
	cr_assert_eq(jint(e, "failing_scans_listed"), 12);
	cr_assert_eq(jint(e, "free_count"), 126);
	cr_assert_eq(jint(e, "free_min"), 167);
	cr_assert_eq(jint(e, "free_target"), 407);
	cr_assert_eq(jint(e, "swap_used"), 160);
	cr_assert_eq(jint(e, "swap_total"), 262144);
	cr_assert_eq(jint(e, "pid_output"), 936);
	cr_assert_eq(jint(e, "laundry"), 2673);
	cr_assert_eq(jint(e, "victim_pages"), jint(k, "pages"));
	lt = json_object_get(e, "laundry_thread");
	cr_assert_str_eq(json_string_value(json_object_get(lt, "request")),
	    "shortfall");
	cr_assert_str_eq(json_string_value(json_object_get(lt, "state")),
	    "waiting for a swap write slot");
	cr_assert_eq(jint(lt, "swappgsout"), 160);
	/* The twelve failing scans, 100 ms apart, oom_seq 1 .. 12. */
	scans = json_object_get(e, "scans");
	cr_assert_eq(json_array_size(scans), 12);
	for (i = 0; i < 12; i++) {
		sc = json_array_get(scans, i);
		cr_assert(json_is_true(json_object_get(sc, "failed")));
		cr_assert_eq(jint(sc, "oom_seq"), (int64_t)i + 1);
		cr_assert_eq(jint(sc, "freed"), 0);
		cr_assert_float_eq(
		    json_real_value(json_object_get(sc, "time_s")),
		    0.01 + 0.1 * (double)i, 1e-9);
	}
	cr_assert_eq(jint(json_array_get(scans, 0), "page_shortage"), 198);
	cr_assert_eq(jint(json_array_get(scans, 11), "page_shortage"), 936);
	cr_assert_str_eq(json_string_value(json_object_get(k, "verdict")),
	    "killed with swap 0% used and free memory below free_min after 12 "
	    "failing scans in a row (vm.pageout_oom_seq 12): the inactive "
	    "queue held no clean pages and the laundry thread was still "
	    "waiting for its writes (a slow swap device) during the failing "
	    "scans; raising vm.pageout_oom_seq, a faster swap device or the "
	    "variants in docs/model.md avoid it");
	cli_golden("oom-hog-slow-swap.json", text);
	free(text);
	json_decref(j);
}

Test(oom_hog, explanation_in_text_and_csv)
{
	char *trace = cli_data("oom-hog.pgt");
	char *cfg = cli_data("oom-hog-slow-swap.yaml");
	struct cli_result res;

	run_ok(&res, trace, "--config", cfg);
	cr_assert(strstr(res.out, "\n    why: killed with swap 0% used") !=
		NULL, "%s", res.out);
	cr_assert(strstr(res.out, "free 126 pages (0.5 MiB); free_min 167, "
				  "free_target 407\n") != NULL, "%s", res.out);
	cr_assert(strstr(res.out, "page daemon: PID output 936 pages") != NULL,
	    "%s", res.out);
	cr_assert(strstr(res.out, "the last 12 scans") != NULL, "%s", res.out);
	cli_result_free(&res);

	run_ok(&res, trace, "--config", cfg, "--format", "csv");
	cr_assert(strstr(res.out, ",\"1.110000000 s pid 100: killed with swap "
				  "0% used") != NULL, "%s", res.out);
	cli_result_free(&res);

	run_ok(&res, trace, "--config", cfg, "--format", "csv-oom");
	cr_assert_eq(cli_lines(res.out), 2, "%s", res.out);
	cr_assert(strstr(res.out, "\noom-hog-slow-swap,kill,1.110000000,100,"
				  "hog,0,12,12,0.010000000,126,167,407,") !=
		NULL, "%s", res.out);
	cli_result_free(&res);
	free(cfg);
	free(trace);
}

Test(oom_hog, panic_is_explained_too)
{
	json_t *j = hog("oom-hog-panic.yaml", NULL);
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *p = json_object_get(run, "panic");

	cr_assert(json_is_object(p));
	cr_assert_eq(json_array_size(json_object_get(run, "oom_kills")), 0);
	cr_assert(strncmp(json_string_value(json_object_get(p, "verdict")),
		      "panicked with swap 0% used", 26) == 0);
	cr_assert_eq(jint(json_object_get(p, "explanation"), "free_count"),
	    126);
	json_decref(j);
}

/* sweep() - small.pgt on the three-run memory sweep, in format fmt. */
static void
sweep(struct cli_result *res, const char *fmt)
{
	char *trace = cli_data("small.pgt");
	char *cfg = cli_data("memory-sweep-with-a-long-name.yaml");

	run_ok(res, trace, "--config", cfg, "--format", fmt);
	free(cfg);
	free(trace);
}

Test(layout, three_runs_with_long_names_fit_80_columns)
{
	struct cli_result res;
	const char *p, *nl;

	sweep(&res, "text");
	for (p = res.out; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		cr_assert_not_null(nl);
		cr_assert_leq(nl - p, 80, "line over 80 columns: %.*s",
		    (int)(nl - p), p);
	}
	cr_assert(strstr(res.out, "\n3 runs\n") != NULL, "%s", res.out);
	cr_assert(strstr(res.out, "\n  C   memory-sweep-with-a-rather-long-"
				  "name[machine.memory=64MiB]\n") != NULL,
	    "%s", res.out);
	cr_assert(strstr(res.out, "\n     sweep: machine.memory=32MiB\n") !=
		NULL, "%s", res.out);
	/* Lowest free pages in pages and MiB, with the change against A. */
	cr_assert(strstr(res.out, "+12288 +457.1%") != NULL, "%s", res.out);
	cr_assert(strstr(res.out, "\n  in MiB      ") != NULL, "%s", res.out);
	/* The run outlived the trace: its end is shown. */
	cr_assert(strstr(res.out, "\nrun ended at (s) ") != NULL, "%s",
	    res.out);
	cr_assert(strstr(res.out, "\n  from one `mark` event to the next") !=
		NULL, "%s", res.out);
	cli_result_free(&res);
}

Test(config, csv_has_a_column_per_key)
{
	struct cli_result res;
	char *line2;

	sweep(&res, "csv");
	cr_assert(strstr(res.out, ",expect_failed,config_path,machine.memory,"
				  "machine.domains,machine.swap,") != NULL,
	    "%s", res.out);
	cr_assert(strstr(res.out, ",sim.hirunningspace,") != NULL, "%s",
	    res.out);
	cr_assert(strstr(res.out, ",sweep,oom_verdicts,phases\n") != NULL,
	    "%s", res.out);
	cr_assert_eq(cli_lines(res.out), 4);
	line2 = strchr(res.out, '\n') + 1;
	cr_assert(strstr(line2, "memory-sweep-with-a-long-name.yaml,16777216,1,"
				"67108864,4194304,") != NULL, "%s", res.out);
	cr_assert(strstr(res.out, "memory-sweep-with-a-long-name.yaml,33554432,"
				  "1,") != NULL, "%s", res.out);
	cr_assert(strstr(res.out, ",machine.memory=64MiB,,2\n") != NULL, "%s",
	    res.out);
	cli_result_free(&res);
}

Test(config, json_states_the_effective_configuration)
{
	struct cli_result res;
	json_error_t jerr;
	json_t *j, *run, *c;
	char *text;

	sweep(&res, "json");
	j = json_loads(res.out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	cr_assert_eq(jint(j, "schema_version"), 1);
	run = json_array_get(json_object_get(j, "runs"), 1);
	c = json_object_get(run, "config");
	cr_assert(strstr(json_string_value(json_object_get(c, "path")),
		      "memory-sweep-with-a-long-name.yaml") != NULL);
	cr_assert_eq(jint(json_object_get(c, "sweep"), "machine.memory"),
	    32 << 20);
	cr_assert_eq(json_object_size(json_object_get(c, "sweep")), 1);
	cr_assert_eq(jint(json_object_get(c, "values"), "machine.memory"),
	    32 << 20);
	cr_assert_eq(jint(json_object_get(c, "values"), "machine.kernel_wired"),
	    4 << 20);
	cr_assert_eq(jint(json_object_get(c, "values"), "devices.swap.latency"),
	    100000);
	cr_assert_eq(jint(json_object_get(c, "values"), "sim.drain"),
	    60000000000LL);
	text = cli_relative(res.out);
	cli_golden("memory-sweep.json", text);
	free(text);
	json_decref(j);
	cli_result_free(&res);
}

Test(phases, split_at_marks_in_every_format)
{
	struct cli_result res;
	json_error_t jerr;
	json_t *j, *run, *ph, *p0, *p1;

	sweep(&res, "json");
	j = json_loads(res.out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	run = json_array_get(json_object_get(j, "runs"), 0);
	ph = json_object_get(run, "phases");
	cr_assert_eq(json_array_size(ph), 2);
	p0 = json_array_get(ph, 0);
	p1 = json_array_get(ph, 1);
	cr_assert_str_eq(json_string_value(json_object_get(p0, "name")),
	    "(start)");
	cr_assert_str_eq(json_string_value(json_object_get(p1, "name")),
	    "phase two");
	cr_assert_float_eq(json_real_value(json_object_get(p0, "start_s")),
	    0.0, 1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(p0, "end_s")), 0.5,
	    1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(p1, "start_s")),
	    0.5, 1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(p1, "end_s")),
	    json_real_value(json_object_get(json_object_get(run, "stats"),
		"end_time_s")),
	    1e-12);
	/* The phases add up to the run; gauges are not split. */
	cr_assert_eq(jint(json_object_get(p0, "stats"), "faults") +
		jint(json_object_get(p1, "stats"), "faults"),
	    jint(json_object_get(run, "stats"), "faults"));
	cr_assert_eq(jint(json_object_get(p0, "stats"), "faults"), 384);
	cr_assert_eq(jint(json_object_get(p1, "stats"), "marks"), 1);
	cr_assert_null(json_object_get(json_object_get(p0, "stats"),
	    "min_free_count"));
	json_decref(j);
	cli_result_free(&res);

	sweep(&res, "csv-phases");
	cr_assert_eq(cli_lines(res.out), 7, "%s", res.out);
	cr_assert(strncmp(res.out, "run,phase,index,start_s,end_s,", 30) == 0,
	    "%s", res.out);
	cr_assert(strstr(res.out, "\nmemory-sweep-with-a-rather-long-name["
				  "machine.memory=16MiB],phase two,1,"
				  "0.500000000,") != NULL, "%s", res.out);
	cli_result_free(&res);
}

Test(phases, none_without_marks)
{
	char *trace = cli_data("oom-hog.pgt"), *cfg = cli_data("oom-hog.yaml");
	struct cli_result res;

	run_ok(&res, trace, "--config", cfg, "--format", "csv-phases");
	cr_assert_eq(cli_lines(res.out), 1, "%s", res.out);
	cli_result_free(&res);
	run_ok(&res, trace, "--config", cfg);
	cr_assert(strstr(res.out, "phases") == NULL, "%s", res.out);
	cli_result_free(&res);
	free(cfg);
	free(trace);
}

/*
 * The first case of issue 7.4: the idle-hog scenario (a 256 MiB anonymous
 * hog on a 64 MiB machine with 1 GiB of swap) is killed by the seed with
 * free memory above target; its explanation says so.
 */
Test(oom_hog, idle_hog_killed_with_free_memory_above_target)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char trace[1024], cfg[1024];
	struct cli_result res;
	json_error_t jerr;
	json_t *j, *k, *e;

	snprintf(trace, sizeof(trace), "%s/traces/scenarios/idle-hog.pgt",
	    root != NULL ? root : ".");
	snprintf(cfg, sizeof(cfg), "%s/configs/scenarios/idle-hog.yaml",
	    root != NULL ? root : ".");
	run_ok(&res, trace, "--config", cfg, "--format", "json");
	j = json_loads(res.out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	k = json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "runs"), 0), "oom_kills"), 0);
	cr_assert_not_null(k);
	e = json_object_get(k, "explanation");
	cr_assert_eq(jint(k, "pages"), 65536);
	cr_assert_eq(jint(e, "free_count"), 564);
	cr_assert_eq(jint(e, "free_target"), 407);
	cr_assert_gt(jint(e, "free_count"), jint(e, "free_target"));
	cr_assert_eq(jint(e, "swap_used"), 52276);
	cr_assert_eq(jint(e, "swap_total"), 262144);
	cr_assert_eq(jint(e, "pid_output"), 1028);
	cr_assert_str_eq(json_string_value(json_object_get(k, "verdict")),
	    "killed with swap 20% used and free memory above target after 12 "
	    "failing scans in a row (vm.pageout_oom_seq 12): the page daemon "
	    "kept reclaiming after the shortage ended and the inactive queue "
	    "held no clean pages; raising vm.pageout_oom_seq or the variants "
	    "in docs/model.md avoid it");
	json_decref(j);
	cli_result_free(&res);
}
