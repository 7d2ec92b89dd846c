/*
 * html.c - the self-contained HTML report (docs/report.md "HTML").
 *
 * The page is static HTML for the tables and the kills, the timeline
 * JSON document for the charts, the vendored uPlot and our html.js that
 * draws them (all written into the page: it opens offline, from a CI
 * artifact or a mail attachment alike).
 */
#include "report/html.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pgreplay_version.h"
#include "report/assets.h"
#include "report/guard_int.h"
#include "report/report_int.h"
#include "report/timeline.h"

/* value_of() - v as a number (seconds as the report shows them). */
static double
value_of(const struct report_value *v)
{
	if (!v->is_real)
		return ((double)v->i);
	return (report_is_seconds(v->name) ? report_round_ns(v->d) : v->d);
}

static void
cell(FILE *out, const struct report_value *v)
{
	if (v == NULL)
		fputs("<td class=\"n\">-</td>", out);
	else if (v->is_real)
		fprintf(out, "<td class=\"n\">%.9g</td>", value_of(v));
	else
		fprintf(out, "<td class=\"n\">%" PRId64 "</td>", v->i);
}

/* delta() - the change of v against base, absolute and relative. */
static void
delta(FILE *out, const struct report_value *base, const struct report_value *v)
{
	double a, b, d;

	if (base == NULL || v == NULL) {
		fputs("<td class=\"n\">-</td>", out);
		return;
	}
	a = value_of(base);
	b = value_of(v);
	d = b - a;
	if (d == 0 || !isfinite(d)) {
		fputs("<td class=\"n\"></td>", out);
		return;
	}
	fprintf(out, "<td class=\"n %s\">%+.9g", d > 0 ? "up" : "down", d);
	if (a != 0)
		fprintf(out, " (%+.1f%%)", 100 * d / fabs(a));
	fputs("</td>", out);
}

static const struct report_value *
find(const struct report_value *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return (&v[i]);
	return (NULL);
}

static void
table_header(FILE *out, const struct report *r, const char *what)
{
	size_t i;

	fputs("<table>\n<tr><th>", out);
	guard_escape(out, what);
	fputs("</th>", out);
	for (i = 0; i < r->nruns; i++) {
		fputs("<th>", out);
		guard_escape(out, r->runs[i].name);
		fputs("</th>", out);
		if (i > 0) {
			fputs("<th>change vs ", out);
			guard_escape(out, r->runs[0].name);
			fputs("</th>", out);
		}
	}
	fputs("</tr>\n", out);
}

/* stats_table() - every statistic (sysctls when sysctl), runs side by side. */
static void
values_table(FILE *out, const struct report *r, bool sysctl)
{
	const struct report_run *first = &r->runs[0], *run;
	const struct report_value *fv, *base, *v;
	size_t i, k, n = sysctl ? first->nsysctl : first->nstats;

	table_header(out, r, sysctl ? "sysctl" : "statistic");
	for (k = 0; k < n; k++) {
		fv = sysctl ? &first->sysctl[k] : &first->stats[k];
		fputs("<tr><td>", out);
		guard_escape(out, fv->name);
		fputs("</td>", out);
		for (i = 0; i < r->nruns; i++) {
			run = &r->runs[i];
			v = sysctl ? find(run->sysctl, run->nsysctl, fv->name) :
			    report_run_stat(run, fv->name);
			cell(out, v);
			if (i > 0) {
				base = fv;
				delta(out, base, v);
			}
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

/*
 * row_before() - the last timeline row ending at or before time_s, or
 * NULL: the machine as it was just before a kill (the row holding the
 * kill would show the victim's memory already freed).
 */
static const struct report_timeline_row *
row_before(const struct report_timeline *tl, double time_s)
{
	const struct report_timeline_row *row = NULL;
	size_t j;

	for (j = 0; tl != NULL && j < tl->nrows; j++) {
		if (guard_seconds(tl->rows[j].end_ns) > time_s)
			break;
		row = &tl->rows[j];
	}
	return (row);
}

/*
 * why_explanation() - the model's own account of a kill or panic
 * (docs/report.md, "Why did the OOM killer fire?"): the verdict, the
 * free count against its thresholds, the queues, swap, the PID output
 * and the laundry thread, then the last scans of the deciding domain.
 */
static void
why_explanation(FILE *out, const struct report_oom_why *w)
{
	char verdict[512];
	size_t i;

	if (!w->valid)
		return;
	report_oom_verdict(w, verdict, sizeof(verdict));
	fputs("<p class=\"verdict\"><b>Why:</b> ", out);
	guard_escape(out, verdict);
	fputs("</p>\n", out);
	fprintf(out, "<p>Domain %" PRIu32 ": %" PRIu64 " free pages "
	    "(free_min %" PRIu64 ", free_severe %" PRIu64 ", free_target %"
	    PRIu64 "); %" PRIu64 " inactive (target %" PRIu64 "), %" PRIu64
	    " active, %" PRIu64 " laundry, %" PRIu64 " unswappable; swap %"
	    PRIu64 " of %" PRIu64 " pages in use; PID output %" PRId64
	    ", pass %" PRId64 "; laundry thread ", w->domain, w->free_count,
	    w->free_min, w->free_severe, w->free_target, w->inactive,
	    w->inactive_target, w->active, w->laundry, w->unswappable,
	    w->swap_used, w->swap_total, w->pid_output, w->pass);
	guard_escape(out, w->lw_state);
	fprintf(out, ", target %" PRId64 ", %" PRIu64 " laundered in the "
	    "background and %" PRIu64 " in shortfall so far.</p>\n",
	    w->lw_target, w->laundered_background, w->laundered_shortfall);
	if (w->nscans == 0)
		return;
	fputs("<table><tr><th>scan at (s)</th><th>page_shortage asked</th>"
	    "<th>freed</th><th>failing in a row</th><th>free</th>"
	    "<th>inactive</th><th>laundry request</th></tr>\n", out);
	for (i = 0; i < w->nscans; i++) {
		const struct report_oom_scan *sc = &w->scans[i];

		fprintf(out, "<tr><td>%.3f</td><td>%" PRId64 "</td><td>%"
		    PRId64 "</td><td>%" PRId64 " of %" PRId64 "</td><td>%"
		    PRIu64 "</td><td>%" PRIu64 "</td><td>", sc->time_s,
		    sc->asked, sc->freed, sc->oom_seq, w->pageout_oom_seq,
		    sc->free_count, sc->inactive);
		guard_escape(out, sc->laundry_request);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

/*
 * kill_explanation() - what is known about kill k of run: the victim,
 * the model's account of the decision (why_explanation()), and from the
 * timeline the state at the last boundary before it.
 */
static void
kill_explanation(FILE *out, const struct report_run *run, size_t k)
{
	const struct report_oom_kill *kill = &run->oom_kills[k];
	const struct report_timeline_row *row;
	const struct report_value *v;

	fputs("<div class=\"kill\"><p><b>", out);
	fprintf(out, "%.9g s", kill->time_s);
	fputs("</b>: killed pid ", out);
	fprintf(out, "%" PRIu32 " (", kill->pid);
	guard_escape(out, kill->name);
	fprintf(out, "), %" PRIu64 " pages.</p>\n", kill->pages);
	why_explanation(out, &kill->why);
	row = row_before(run->timeline, kill->time_s);
	if (row != NULL) {
		fprintf(out, "<p>At the last timeline boundary before the kill "
		    "(%.9g s): %" PRId64 " free pages, %" PRId64 " inactive, "
		    "%" PRId64 " laundry, %" PRId64 " active; %" PRId64
		    " swap blocks in use; PID output %" PRId64 "; %" PRId64
		    " pages freed and %" PRId64 " swapped out in the "
		    "interval up to it.</p>\n", guard_seconds(row->end_ns),
		    row->v[REPORT_SERIES_free], row->v[REPORT_SERIES_inactive],
		    row->v[REPORT_SERIES_laundry], row->v[REPORT_SERIES_active],
		    row->v[REPORT_SERIES_swap_used],
		    row->v[REPORT_SERIES_pid_output],
		    row->v[REPORT_SERIES_freed],
		    row->v[REPORT_SERIES_swapped_out]);
	}
	v = find(run->sysctl, run->nsysctl, "vm.pageout_oom_seq");
	if (v != NULL)
		fprintf(out, "<p>vm.pageout_oom_seq was %" PRId64 ".</p>\n",
		    v->i);
	fputs("</div>\n", out);
}

/*
 * phase_table() - a run's statistics split by the trace's `mark` events:
 * one column per phase, one row per additive statistic (the change of it
 * within the phase), as runs[].phases of the JSON report.
 */
static void
phase_table(FILE *out, const struct report_run *run)
{
	const struct report_phase *first;
	const struct report_value *v;
	size_t i, k;

	if (run->nphases == 0)
		return;
	first = &run->phases[0];
	fputs("<h4>Phases</h4>\n<table><tr><th>statistic</th>", out);
	for (i = 0; i < run->nphases; i++) {
		fputs("<th>", out);
		guard_escape(out, run->phases[i].name);
		fprintf(out, "<br>%.3f&ndash;%.3f s</th>",
		    run->phases[i].start_s, run->phases[i].end_s);
	}
	fputs("</tr>\n", out);
	for (k = 0; k < first->nstats; k++) {
		fputs("<tr><td>", out);
		guard_escape(out, first->stats[k].name);
		fputs("</td>", out);
		for (i = 0; i < run->nphases; i++) {
			v = report_phase_stat(&run->phases[i],
			    first->stats[k].name);
			if (v == NULL)
				fputs("<td>-</td>", out);
			else if (v->is_real)
				fprintf(out, "<td>%.3f</td>", v->d + 0.0);
			else
				fprintf(out, "<td>%" PRId64 "</td>", v->i);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
	if (run->phases_truncated)
		fprintf(out, "<p>More than %d marks: the later ones are counted "
		    "in the last phase.</p>\n", REPORT_PHASES_MAX);
}

static void
run_sections(FILE *out, const struct report_run *run)
{
	const struct report_expect *e;
	size_t k;

	fputs("<h3>", out);
	guard_escape(out, run->name);
	fputs("</h3>\n", out);
	if (run->panic) {
		fprintf(out, "<p class=\"fail\">Panic at %.9g s: ",
		    run->panic_time_s);
		guard_escape(out, run->panic_reason);
		fputs("</p>\n", out);
		why_explanation(out, &run->panic_why);
	}
	if (run->noom_kills == 0)
		fputs("<p>No OOM kill.</p>\n", out);
	for (k = 0; k < run->noom_kills; k++)
		kill_explanation(out, run, k);
	phase_table(out, run);
	for (k = 0; k < run->nexpect; k++) {
		e = &run->expect[k];
		fprintf(out, "<p class=\"%s\">expect ", e->ok ? "ok" : "fail");
		guard_escape(out, e->stat);
		if (e->has_min)
			fprintf(out, " &gt;= %g", e->min);
		if (e->has_max)
			fprintf(out, " &lt;= %g", e->max);
		if (e->found)
			fprintf(out, ": %.9g, %s</p>\n", e->value,
			    e->ok ? "holds" : "FAILED");
		else
			fputs(": not reported, FAILED</p>\n", out);
	}
}

int
report_write_html(const struct report *r, FILE *out, struct pg_error *err)
{
	json_t *doc;
	char *json;
	const char *p;
	size_t i;

	doc = guard_timeline_json(r);
	/*
	 * Compact; every '<' (only ever inside a string) is written as
	 * \u003c, so that neither "</script>" nor "<!--" can occur in the
	 * data, whatever a run or mark is called.
	 */
	json = doc != NULL ? json_dumps(doc, JSON_COMPACT |
	    JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) : NULL;
	json_decref(doc);
	if (json == NULL)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory for the HTML report"));

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>pgreplay: ", out);
	guard_escape(out, r->trace.path);
	fputs("</title>\n<style>\n", out);
	fwrite(report_vendor_uplot_css, 1, report_vendor_uplot_css_len, out);
	fputs("\n", out);
	fwrite(report_html_css, 1, report_html_css_len, out);
	fputs("</style>\n</head>\n<body>\n<h1>pgreplay report</h1>\n"
	    "<p class=\"meta\">Trace ", out);
	guard_escape(out, r->trace.path);
	fprintf(out, " (%s%s): %" PRIu64 " events, %.9g s.  pgreplay %s.  "
	    "<span id=\"pgreplay-status\" data-state=\"loading\">charts "
	    "not drawn (scripts disabled?)</span></p>\n",
	    r->trace.format, r->trace.compressed ? ", zstd" : "",
	    r->trace.events, r->trace.duration_s, PGREPLAY_VERSION);

	fputs("<h2>Timelines</h2>\n<p class=\"meta\">One line per run; "
	    "dashed grey lines are the trace's mark events, solid lines in a "
	    "run's colour its OOM kills.</p>\n<div id=\"charts\"></div>\n",
	    out);
	if (r->nruns > 0) {
		fputs("<h2>OOM kills, panics and assertions</h2>\n", out);
		for (i = 0; i < r->nruns; i++)
			run_sections(out, &r->runs[i]);
		fputs("<h2>Statistics</h2>\n", out);
		values_table(out, r, false);
		fputs("<h2>Tunables</h2>\n", out);
		values_table(out, r, true);
	}
	fputs("<script type=\"application/json\" id=\"pgreplay-data\">", out);
	for (p = json; *p != '\0'; p++)
		if (*p == '<')
			fputs("\\u003c", out);
		else
			fputc(*p, out);
	fputs("</script>\n<script>\n", out);
	fwrite(report_vendor_uplot_js, 1, report_vendor_uplot_js_len, out);
	fputs("\n</script>\n<script>\n", out);
	fwrite(report_html_js, 1, report_html_js_len, out);
	fputs("</script>\n</body>\n</html>\n", out);
	free(json);
	if (ferror(out))
		return (pg_error_setv(err, -EIO, "", PG_POS_NONE, 0,
		    "write error"));
	return (0);
}
