/*
 * test_units.c - the timeline buffer, tolerances, the baseline reader and
 * the escaping of the JUnit and HTML writers, on reports built by hand.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/baseline.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/timeline.h"

static void
row(int64_t v[REPORT_SERIES_COUNT], int64_t gauge, int64_t count)
{
	size_t k;

	for (k = 0; k < REPORT_SERIES_COUNT; k++)
		v[k] = report_series_is_count(k) ? count : gauge;
}

Test(timeline_buffer, bounded_by_coarsening)
{
	struct report_timeline *tl;
	int64_t v[REPORT_SERIES_COUNT];
	uint64_t i, total = 0;

	cr_assert_eq(report_timeline_create(0, &tl), -EINVAL);
	cr_assert_eq(report_timeline_create(10, &tl), 0);
	for (i = 1; i <= 3 * REPORT_TIMELINE_MAX_ROWS + 1; i++) {
		/* Pushed at the boundaries of the current interval. */
		uint64_t end = tl->nrows == 0 ? tl->interval_ns :
		    tl->rows[tl->nrows - 1].end_ns + tl->interval_ns;

		row(v, (int64_t)i, 1);
		report_timeline_push(tl, end, v);
		total++;
		cr_assert_leq(tl->nrows, REPORT_TIMELINE_MAX_ROWS);
	}
	/*
	 * Full at 8192 rows, then every 4096 more: coarsened at pushes
	 * 8193, 12289, 16385, 20481 and 24577, so 2^5 x 10 ns.
	 */
	cr_assert_eq(tl->interval_ns, 320);
	cr_assert_eq(tl->nrows, 4097);
	/* Counts are kept whole; gauges are those of the latest row. */
	total = 0;
	for (i = 0; i < tl->nrows; i++)
		total += (uint64_t)tl->rows[i].v[REPORT_SERIES_freed];
	cr_assert_eq(total, 3 * REPORT_TIMELINE_MAX_ROWS + 1);
	cr_assert_eq(tl->rows[tl->nrows - 1].v[REPORT_SERIES_free],
	    3 * REPORT_TIMELINE_MAX_ROWS + 1);
	for (i = 0; i + 1 < tl->nrows; i++)
		cr_assert_eq(tl->rows[i].end_ns, (i + 1) * tl->interval_ns);
	report_timeline_destroy(tl);
}

Test(timeline_buffer, equalize_and_marks)
{
	struct report_run runs[2];
	struct report r = { .runs = runs, .nruns = 2 };
	int64_t v[REPORT_SERIES_COUNT];
	size_t i;

	memset(runs, 0, sizeof(runs));
	cr_assert_eq(report_timeline_create(5, &runs[0].timeline), 0);
	cr_assert_eq(report_timeline_create(5, &runs[1].timeline), 0);
	for (i = 1; i <= 8; i++) {
		row(v, 0, 2);
		report_timeline_push(runs[0].timeline, 5 * i, v);
	}
	runs[1].timeline->interval_ns = 20; /* as if coarsened twice */
	cr_assert_eq(report_timeline_equalize(&r), 20);
	cr_assert_eq(runs[0].timeline->nrows, 2);
	cr_assert_eq(runs[0].timeline->rows[1].end_ns, 40);
	cr_assert_eq(runs[0].timeline->rows[1].v[REPORT_SERIES_freed], 8);
	for (i = 0; i < REPORT_TIMELINE_MAX_MARKS + 3; i++)
		report_timeline_mark(runs[0].timeline, i, "m");
	cr_assert_eq(runs[0].timeline->nmarks, REPORT_TIMELINE_MAX_MARKS);
	cr_assert_eq(runs[0].timeline->marks_dropped, 3);
	report_run_finish(&runs[0]);
	report_run_finish(&runs[1]);
}

Test(timeline_buffer, format_by_extension)
{
	enum report_timeline_format f;

	cr_assert_eq(report_timeline_format_for("a/b.CSV", &f), 0);
	cr_assert_eq(f, REPORT_TIMELINE_CSV);
	cr_assert_eq(report_timeline_format_for("t.json", &f), 0);
	cr_assert_eq(f, REPORT_TIMELINE_JSON);
	cr_assert_eq(report_timeline_format_for("t", &f), -EINVAL);
	cr_assert_eq(report_timeline_format_for("d.csv/t", &f), -EINVAL);
	cr_assert_eq(report_timeline_format_for("t.xml", &f), -EINVAL);
}

Test(tolerance, syntax)
{
	struct report_tolerance t;
	char msg[200], buf[64];

	cr_assert_eq(report_tolerance_parse("0.05", &t, msg, sizeof(msg)), 0);
	cr_assert_float_eq(t.rel, 0.05, 1e-15);
	cr_assert_eq(t.abs, 0);
	cr_assert_eq(report_tolerance_parse("5%", &t, msg, sizeof(msg)), 0);
	cr_assert_float_eq(t.rel, 0.05, 1e-15);
	cr_assert_eq(report_tolerance_parse("abs=10,2.5%", &t, msg,
	    sizeof(msg)), 0);
	cr_assert_float_eq(t.rel, 0.025, 1e-15);
	cr_assert_eq(t.abs, 10);
	cr_assert_str_eq(report_tolerance_format(&t, buf, sizeof(buf)),
	    "2.5%,abs=10");
	cr_assert_eq(report_tolerance_parse("rel=0.1,abs=0.5", &t, msg,
	    sizeof(msg)), 0);
	cr_assert_float_eq(t.rel, 0.1, 1e-15);
	cr_assert_eq(report_tolerance_parse("0", &t, msg, sizeof(msg)), 0);
	cr_assert_str_eq(report_tolerance_format(&t, buf, sizeof(buf)), "0");
	cr_assert_eq(report_tolerance_parse("5%%", &t, msg, sizeof(msg)),
	    -EINVAL);
	cr_assert_str_eq(msg, "expected a tolerance such as 0.05, 5%, abs=10 "
	    "or 5%,abs=10 (non-negative numbers), got \"5%%\"");
	cr_assert_eq(report_tolerance_parse("abs=1,", &t, msg, sizeof(msg)),
	    -EINVAL);
	cr_assert_eq(report_tolerance_parse("inf", &t, msg, sizeof(msg)),
	    -EINVAL);
}

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/pgreplay-units-XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
one_run(struct report_run *run, const char *name, int64_t dfree, double st)
{
	memset(run, 0, sizeof(*run));
	snprintf(run->name, sizeof(run->name), "%s", name);
	run->stats = calloc(3, sizeof(*run->stats));
	run->nstats = 3;
	snprintf(run->stats[0].name, 64, "v_dfree");
	run->stats[0].i = dfree;
	snprintf(run->stats[1].name, 64, "stall_time_s");
	run->stats[1].is_real = true;
	run->stats[1].d = st;
	snprintf(run->stats[2].name, 64, "brand_new");
}

Test(baseline_unit, compare)
{
	char *path = write_tmp("{\"runs\": [{\"name\": \"a\", \"stats\": "
	    "{\"v_dfree\": 100, \"stall_time_s\": 0.3, \"gone\": 4}}]}");
	struct report_baseline *b;
	struct report_run run;
	struct report_run_checks c;
	struct report_tolerance tol = { 0, 0 };
	struct report_stat_tolerance over = { "v_dfree", { 0.1, 0 } };
	struct pg_error err;
	const char *names[] = { "a" };

	cr_assert_eq(report_baseline_load(path, &b, &err), 0, "%s", err.msg);
	cr_assert_eq(report_baseline_match(b, names, 1, &err), 0);
	/* 0.1 + 0.2 is 0.30000000000000004: still exactly the 0.3 saved. */
	one_run(&run, "a", 110, 0.1 + 0.2);
	cr_assert_eq(report_baseline_compare(b, &run, &tol, &over, 1, &c), 0);
	cr_assert_eq(c.nchecks, 4);
	cr_assert_eq(c.checks[0].status, REPORT_CHECK_OK); /* 10% allowed */
	cr_assert_eq(c.checks[1].status, REPORT_CHECK_OK);
	cr_assert_eq(c.checks[2].status, REPORT_CHECK_NEW);
	cr_assert_eq(c.checks[3].status, REPORT_CHECK_MISSING);
	cr_assert_str_eq(c.checks[3].stat, "gone");
	cr_assert_eq(c.nregressed, 0);
	cr_assert_eq(c.nmissing, 1);
	report_run_checks_finish(&c);
	run.stats[0].i = 111;
	cr_assert_eq(report_baseline_compare(b, &run, &tol, &over, 1, &c), 0);
	cr_assert_eq(c.checks[0].status, REPORT_CHECK_REGRESSED);
	cr_assert_float_eq(c.checks[0].allowed, 10, 1e-12);
	cr_assert_eq(c.nregressed, 1);
	report_run_checks_finish(&c);
	snprintf(run.name, sizeof(run.name), "b");
	cr_assert_eq(report_baseline_compare(b, &run, &tol, NULL, 0, &c),
	    -ENOENT);
	report_run_finish(&run);
	report_baseline_destroy(b);
	remove(path);
	free(path);
}

Test(baseline_unit, shapes)
{
	const char *bad[] = { "[]", "{\"runs\": 3}",
		"{\"runs\": [{\"name\": 1, \"stats\": {}}]}",
		"{\"runs\": [{\"name\": \"a\", \"stats\": {\"x\": \"y\"}}]}" };
	struct report_baseline *b;
	struct pg_error err;
	char *path;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_tmp(bad[i]);
		pg_error_clear(&err);
		cr_assert_eq(report_baseline_load(path, &b, &err), -EINVAL,
		    "%s", bad[i]);
		cr_assert_null(b);
		cr_assert_str_eq(err.file, path);
		cr_assert(strncmp(err.msg, "not a pgreplay JSON report: ",
		    28) == 0, "%s", err.msg);
		remove(path);
		free(path);
	}
}

/* render() - what fn writes for r, NUL-terminated (malloc'd). */
static char *
render_junit(const struct report *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct pg_error err;

	cr_assert_not_null(f);
	cr_assert_eq(report_write_junit(r, NULL, f, &err), 0);
	fclose(f);
	return buf;
}

Test(junit_unit, escapes_xml)
{
	struct report_run run;
	struct report r = { .runs = &run, .nruns = 1 };
	char *x;

	one_run(&run, "a<b&\"c'>\x01\xff\xc3\xa9", 1, 0);
	snprintf(r.trace.path, sizeof(r.trace.path), "t]]>.pgt");
	x = render_junit(&r);
	cr_assert_not_null(strstr(x, "<testsuite name=\"a&lt;b&amp;&quot;c"
	    "&apos;&gt;\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\" tests=\"1\" "
	    "failures=\"0\""), "%s", x);
	cr_assert_not_null(strstr(x, "trace t]]&gt;.pgt: 0 events"), "%s", x);
	cr_assert_null(strstr(x, "\x01"));
	free(x);
	report_run_finish(&run);
}

Test(html_unit, data_cannot_close_the_script)
{
	struct report_run run;
	struct report r = { .runs = &run, .nruns = 1 };
	int64_t v[REPORT_SERIES_COUNT];
	char *buf = NULL, *data, *end;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct pg_error err;

	one_run(&run, "</script><b>x</b>", 1, 0);
	cr_assert_eq(report_timeline_create(1000, &run.timeline), 0);
	row(v, 7, 1);
	report_timeline_push(run.timeline, 1000, v);
	report_timeline_mark(run.timeline, 500, "</SCRIPT> & <!--");
	cr_assert_eq(report_write_html(&r, f, &err), 0);
	fclose(f);
	/* The tables escape the name; the data block holds no '<'. */
	cr_assert_not_null(strstr(buf, "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"));
	data = strstr(buf, "<script type=\"application/json\" "
	    "id=\"pgreplay-data\">");
	cr_assert_not_null(data);
	data = strchr(data, '>') + 1;
	end = strstr(data, "</script>");
	cr_assert_not_null(end);
	*end = '\0';
	cr_assert_null(strchr(data, '<'), "%s", data);
	cr_assert_not_null(strstr(data, "\"label\":\"\\u003c/SCRIPT> & "
	    "\\u003c!--\""), "%s", data);
	/* Self-contained: no URL is fetched. */
	*end = '<';
	cr_assert_null(strstr(buf, "src=\"http"));
	cr_assert_null(strstr(buf, "<link"));
	free(buf);
	report_run_finish(&run);
}
