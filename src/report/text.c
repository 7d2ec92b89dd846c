/*
 * text.c - the human-readable report: the key figures of every run side
 * by side, so that a tuner comparing configurations reads across a row,
 * followed by what only some runs have (OOM victims, a panic, stalled
 * processes, failed assertions).
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

/* The rows of the table: a label for people and the stat behind it. */
struct text_row {
	const char *label;
	const char *stat;
};

static const struct text_row text_rows[] = {
	{ "events", "events" },
	{ "  dropped", "events_dropped" },
	{ "  never replayed", "events_unreplayed" },
	{ "faults", "faults" },
	{ "  zero-fill", "faults_zero_fill" },
	{ "  file read", "faults_file" },
	{ "  swap-in", "faults_swap" },
	{ "page daemon wakeups", "v_pdwakeups" },
	{ "pages scanned", "v_pdpages" },
	{ "pages freed by daemon", "v_dfree" },
	{ "pages reactivated", "v_reactivated" },
	{ "shortfall requests", "v_pdshortfalls" },
	{ "laundered, background", "laundered_background" },
	{ "laundered, shortfall", "laundered_shortfall" },
	{ "swap-out I/Os", "v_swapout" },
	{ "pages swapped out", "v_swappgsout" },
	{ "pages swapped in", "v_swappgsin" },
	{ "file pages written", "v_vnodepgsout" },
	{ "stalls", "stalls" },
	{ "stall time (s)", "stall_time_s" },
	{ "I/O wait (s)", "io_wait_s" },
	{ "lowmem events", "lowmem_events" },
	{ "OOM kills", "oom_kills" },
	{ "lowest free pages", "min_free_count" },
	{ "peak swap used", "peak_swap_used" },
};

#define TEXT_CELL_MAX 48

/* text_cell() - one value as the table shows it. */
static void
text_cell(const struct report_value *v, char *buf, size_t n)
{
	if (v == NULL)
		snprintf(buf, n, "-");
	else if (v->is_real)
		snprintf(buf, n, "%.3f", v->d + 0.0); /* + 0.0: no "-0.000" */
	else
		snprintf(buf, n, "%" PRId64, v->i);
}

static const char *
text_expect_op(const struct report_expect *e, char *buf, size_t n)
{
	if (e->has_min && e->has_max)
		snprintf(buf, n, "in [%g, %g]", e->min, e->max);
	else if (e->has_min)
		snprintf(buf, n, ">= %g", e->min);
	else if (e->has_max)
		snprintf(buf, n, "<= %g", e->max);
	else
		snprintf(buf, n, "reported");
	return buf;
}

static void
text_run_details(const struct report_run *run, FILE *out)
{
	char bound[96];
	size_t i, stalled = 0;

	/* Only a run that is not the seed says so: seed reports keep their shape. */
	for (i = 0; i < run->nvariants && i < REPORT_VARIANTS_MAX; i++) {
		if (i == 0)
			fprintf(out, "\n%s: model variants: ", run->name);
		fprintf(out, "%s%s", i > 0 ? ", " : "", run->variants[i]);
		if (i + 1 == run->nvariants)
			fputc('\n', out);
	}
	for (i = 0; i < run->noom_kills; i++) {
		const struct report_oom_kill *k = &run->oom_kills[i];

		if (i == 0)
			fprintf(out, "\n%s: OOM kills\n", run->name);
		fprintf(out,
		    "  %12.6f s  pid %" PRIu32 " (%s), %" PRIu64 " pages\n",
		    k->time_s, k->pid, k->name, k->pages);
	}
	if (run->panic)
		fprintf(out, "\n%s: panic at %.6f s: %s\n", run->name,
		    run->panic_time_s, run->panic_reason);
	for (i = 0; i < run->nprocesses; i++) {
		const struct report_process *p = &run->processes[i];

		if (p->fate == NULL || strcmp(p->fate, "stalled") != 0)
			continue;
		if (stalled++ == 0)
			fprintf(out,
			    "\n%s: processes still stalled at the end\n",
			    run->name);
		fprintf(out,
		    "  pid %" PRIu32 " (%s): %" PRIu64 " stalls, %.6f s\n",
		    p->pid, p->name, p->stalls, p->stall_time_s);
	}
	for (i = 0; i < run->nexpect; i++) {
		const struct report_expect *e = &run->expect[i];

		if (i == 0)
			fprintf(out, "\n%s: expect\n", run->name);
		if (!e->found)
			fprintf(out, "  FAIL %s: not reported\n", e->stat);
		else if (e->is_real)
			fprintf(out, "  %-4s %s = %.9g, expected %s\n",
			    e->ok ? "ok" : "FAIL", e->stat, e->value,
			    text_expect_op(e, bound, sizeof(bound)));
		else
			fprintf(out, "  %-4s %s = %.0f, expected %s\n",
			    e->ok ? "ok" : "FAIL", e->stat, e->value,
			    text_expect_op(e, bound, sizeof(bound)));
	}
}

/*
 * text_colw() - the width of run's column: its name or its widest cell,
 * at least 8 so that short names still line up.
 */
static int
text_colw(const struct report_run *run)
{
	const size_t nrows = sizeof(text_rows) / sizeof(text_rows[0]);
	char cell[TEXT_CELL_MAX];
	size_t w = strlen(run->name), i;

	for (i = 0; i < nrows; i++) {
		text_cell(report_run_stat(run, text_rows[i].stat), cell,
		    sizeof(cell));
		if (strlen(cell) > w)
			w = strlen(cell);
	}
	return w < 8 ? 8 : (int)w;
}

int
report_write_text(const struct report *r, FILE *out, struct pg_error *err)
{
	const size_t nrows = sizeof(text_rows) / sizeof(text_rows[0]);
	char cell[TEXT_CELL_MAX];
	size_t labelw = strlen("panic"), i, j;
	bool any;

	fprintf(out, "trace %s (%s%s): %" PRIu64 " events, %.3f s\n",
	    r->trace.path, r->trace.format, r->trace.compressed ? ", zstd" : "",
	    r->trace.events, r->trace.duration_s);
	if (r->nruns == 0)
		goto done;

	for (i = 0; i < nrows; i++)
		if (strlen(text_rows[i].label) > labelw)
			labelw = strlen(text_rows[i].label);

	fprintf(out, "\n%-*s", (int)labelw, "");
	for (j = 0; j < r->nruns; j++)
		fprintf(out, "  %*s", text_colw(&r->runs[j]), r->runs[j].name);
	fputc('\n', out);

	for (i = 0; i < nrows; i++) {
		/* A row no run reports (an older simulator) is left out. */
		any = false;
		for (j = 0; j < r->nruns; j++)
			if (report_run_stat(&r->runs[j], text_rows[i].stat) !=
			    NULL)
				any = true;
		if (!any)
			continue;
		fprintf(out, "%-*s", (int)labelw, text_rows[i].label);
		for (j = 0; j < r->nruns; j++) {
			text_cell(
			    report_run_stat(&r->runs[j], text_rows[i].stat),
			    cell, sizeof(cell));
			fprintf(out, "  %*s", text_colw(&r->runs[j]), cell);
		}
		fputc('\n', out);
	}
	fprintf(out, "%-*s", (int)labelw, "panic");
	for (j = 0; j < r->nruns; j++)
		fprintf(out, "  %*s", text_colw(&r->runs[j]),
		    r->runs[j].panic ? "yes" : "no");
	fputc('\n', out);

	for (j = 0; j < r->nruns; j++)
		text_run_details(&r->runs[j], out);
done:
	if (ferror(out))
		return pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the report: %s", strerror(errno));
	return 0;
}
