/*
 * text.c - the human-readable report.  The runs are compared side by side
 * in five sections (Allocation, Reclaim, Laundering, Swap, OOM): one
 * column per run and, under each statistic, every later run's change
 * against the first, marked where it is worse.  Then what only some runs
 * have: OOM kills with their explanation, a panic, stalled processes,
 * phases and the expect outcomes (text_runs.c).  Lines stay within 80
 * columns for up to three runs: long run names become letters, explained
 * in the legend.
 */
#include "report/text_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#define TEXT_WIDTH 80
#define TEXT_LABEL_MAX 22 /* widest row label */
#define TEXT_COL_MIN 10
#define TEXT_CELL_MAX 48

struct text_section {
	const char *title;
	const struct text_row *rows;
	size_t nrows;
	const char *note; /* what a label cannot say; NULL for none */
};

static const struct text_row rows_alloc[] = {
	{ "events replayed", "events", WORSE_NEVER, UNIT_PLAIN },
	{ "  dropped (killed)", "events_dropped", WORSE_HIGHER, UNIT_PLAIN },
	{ "  never replayed", "events_unreplayed", WORSE_HIGHER, UNIT_PLAIN },
	{ "faults", "faults", WORSE_HIGHER, UNIT_PLAIN },
	{ "  zero-fill", "faults_zero_fill", WORSE_NEVER, UNIT_PLAIN },
	{ "  file read", "faults_file", WORSE_HIGHER, UNIT_PLAIN },
	{ "  swap-in", "faults_swap", WORSE_HIGHER, UNIT_PLAIN },
	{ "stalls", "stalls", WORSE_HIGHER, UNIT_PLAIN },
	{ "stall time, sum (s)", "stall_time_s", WORSE_HIGHER, UNIT_PLAIN },
	{ "I/O wait, sum (s)", "io_wait_s", WORSE_HIGHER, UNIT_PLAIN },
	{ "lowest free pages", "min_free_count", WORSE_LOWER, UNIT_PLAIN },
	{ "  in MiB", "min_free_count", WORSE_LOWER, UNIT_MIB },
};

static const struct text_row rows_reclaim[] = {
	{ "page daemon wakeups", "v_pdwakeups", WORSE_NEVER, UNIT_PLAIN },
	{ "page daemon scans", "pd_scans", WORSE_HIGHER, UNIT_PLAIN },
	{ "pages scanned", "v_pdpages", WORSE_HIGHER, UNIT_PLAIN },
	{ "pages freed by daemon", "v_dfree", WORSE_NEVER, UNIT_PLAIN },
	{ "pages reactivated", "v_reactivated", WORSE_NEVER, UNIT_PLAIN },
	{ "lowmem events", "lowmem_events", WORSE_HIGHER, UNIT_PLAIN },
	{ "daemon CPU (s)", "pd_busy_s", WORSE_HIGHER, UNIT_PLAIN },
};

static const struct text_row rows_launder[] = {
	{ "shortfall requests", "v_pdshortfalls", WORSE_HIGHER, UNIT_PLAIN },
	{ "launder calls", "laundry_calls", WORSE_NEVER, UNIT_PLAIN },
	{ "laundered, bg runs", "laundered_background", WORSE_NEVER,
	    UNIT_PLAIN },
	{ "laundered, shortfall", "laundered_shortfall", WORSE_HIGHER,
	    UNIT_PLAIN },
	{ "clusters written", "laundry_clusters", WORSE_NEVER, UNIT_PLAIN },
	{ "file pages written", "v_vnodepgsout", WORSE_NEVER, UNIT_PLAIN },
	{ "laundry CPU (s)", "laundry_busy_s", WORSE_NEVER, UNIT_PLAIN },
};

static const struct text_row rows_swap[] = {
	{ "swap-out I/Os", "v_swapout", WORSE_NEVER, UNIT_PLAIN },
	{ "pages swapped out", "v_swappgsout", WORSE_NEVER, UNIT_PLAIN },
	{ "pages swapped in", "v_swappgsin", WORSE_HIGHER, UNIT_PLAIN },
	{ "peak swap used, pages", "peak_swap_used", WORSE_HIGHER, UNIT_PLAIN },
	{ "  in MiB", "peak_swap_used", WORSE_HIGHER, UNIT_MIB },
	{ "swap write failures", "swap_write_fail", WORSE_HIGHER, UNIT_PLAIN },
};

static const struct text_row rows_oom[] = {
	{ "OOM votes", "oom_votes", WORSE_HIGHER, UNIT_PLAIN },
	{ "OOM kills", "oom_kills", WORSE_HIGHER, UNIT_PLAIN },
};

static const struct text_section text_sections[] = {
	{ "Allocation", rows_alloc, NROWS(rows_alloc),
	    "stall time and I/O wait are summed over all processes." },
	{ "Reclaim", rows_reclaim, NROWS(rows_reclaim), NULL },
	{ "Laundering", rows_launder, NROWS(rows_launder),
	    "laundered: pages a background or shortfall laundry run counted "
	    "as done: written to swap or a file, or parked as unswappable "
	    "when a swap write failed for want of space." },
	{ "Swap", rows_swap, NROWS(rows_swap), NULL },
	{ "OOM", rows_oom, NROWS(rows_oom), NULL },
};

#define NSECTIONS NROWS(text_sections)

/* The layout of the side-by-side table. */
struct text_layout {
	int labelw, colw;
	bool letters; /* columns headed by letters, names in the legend */
};

/* text_number() - the value of a row for run, as a double; false if absent. */
static bool
text_number(const struct report_run *run, const struct text_row *row,
    double *d)
{
	const struct report_value *v = report_run_stat(run, row->stat);

	if (v == NULL)
		return (false);
	*d = v->is_real ? report_round_ns(v->d) : (double)v->i;
	if (row->unit == UNIT_MIB)
		*d = *d * REPORT_PAGE_SIZE / (1024.0 * 1024.0);
	return (true);
}

/* text_is_real() - whether the row prints with decimals. */
static bool
text_is_real(const struct report_run *run, const struct text_row *row)
{
	const struct report_value *v = report_run_stat(run, row->stat);

	return (row->unit == UNIT_MIB || (v != NULL && v->is_real));
}

/*
 * text_cell() - one value as the table shows it: counts in full, seconds
 * to the millisecond, MiB to a tenth.
 */
static void
text_cell(const struct report_run *run, const struct text_row *row, char *buf,
    size_t n)
{
	double d;

	if (!text_number(run, row, &d))
		snprintf(buf, n, "-");
	else if (row->unit == UNIT_MIB)
		snprintf(buf, n, "%.1f", d + 0.0); /* + 0.0: no "-0.0" */
	else if (text_is_real(run, row))
		snprintf(buf, n, "%.3f", d + 0.0);
	else
		snprintf(buf, n, "%.0f", d);
}

/* text_abs() - a signed difference in at most 8 characters. */
static void
text_abs(double d, bool real, int decimals, char *buf, size_t n)
{
	double a = fabs(d);

	if (real && a < 100.0)
		snprintf(buf, n, "%+.*f", decimals, d);
	else if (a < 1e6)
		snprintf(buf, n, "%+.0f", d);
	else if (a < 1e9)
		snprintf(buf, n, "%+.*fM", a < 1e7 ? 2 : a < 1e8 ? 1 : 0,
		    d / 1e6);
	else
		snprintf(buf, n, "%+.*fG", a < 1e10 ? 2 : a < 1e11 ? 1 : 0,
		    d / 1e9);
}

/*
 * text_change() - the change of run against base for row: absolute and
 * percent, "!" appended when it is worse.  Empty when they are equal or
 * either lacks the value.  Returns whether there is a change.
 */
static bool
text_change(const struct report_run *base, const struct report_run *run,
    const struct text_row *row, char *buf, size_t n)
{
	char abs[24], pc[16];
	double a, b, d;
	bool worse;

	buf[0] = '\0';
	if (!text_number(base, row, &a) || !text_number(run, row, &b))
		return (false);
	d = b - a;
	/* Compare at the precision shown, so that noise is no change. */
	if (row->unit == UNIT_MIB ? fabs(d) < 0.05 :
	    text_is_real(run, row) ? fabs(d) < 0.0005 : d == 0.0)
		return (false);
	text_abs(d, text_is_real(run, row), row->unit == UNIT_MIB ? 1 : 3,
	    abs, sizeof(abs));
	if (a == 0.0)
		snprintf(pc, sizeof(pc), "new");
	else if (fabs(100.0 * d / a) >= 999.5)
		snprintf(pc, sizeof(pc), "%s999%%", d > 0 ? ">+" : "<-");
	else
		snprintf(pc, sizeof(pc), "%+.1f%%", 100.0 * d / fabs(a));
	worse = (row->worse == WORSE_HIGHER && d > 0) ||
	    (row->worse == WORSE_LOWER && d < 0);
	snprintf(buf, n, "%s %s%s", abs, pc, worse ? "!" : "");
	return (true);
}

/* text_run_id() - "A" .. "Z", then "R27", ...: a run's letter. */
void
text_run_id(size_t j, char *buf, size_t n)
{
	if (j < 26)
		snprintf(buf, n, "%c", (char)('A' + j));
	else
		snprintf(buf, n, "R%zu", j + 1);
}

/*
 * text_wrap() - first, then the words of s, on lines of at most
 * TEXT_WIDTH columns, the later ones indented by indent; a word too long
 * for a line of its own (a long run name or path) is cut.
 */
void
text_wrap(FILE *out, const char *first, int indent, const char *s)
{
	int col = fprintf(out, "%s", first), wl, room;
	const char *p = s, *e;
	bool fresh = first[0] == '\0';

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		wl = (int)(e - p);
		if (!fresh && col + 1 + wl > TEXT_WIDTH && col > indent) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			fresh = true;
		}
		if (!fresh) {
			fputc(' ', out);
			col++;
		}
		room = TEXT_WIDTH - col;
		if (wl > room && room > 0) {
			/* Cut the word; go on with the rest of it. */
			fprintf(out, "%.*s\n%*s", room, p, indent, "");
			p += room;
			col = indent;
			fresh = true;
			continue;
		}
		fprintf(out, "%.*s", wl, p);
		col += wl;
		fresh = false;
		p = e;
	}
	fputc('\n', out);
}

static struct text_layout
text_layout(const struct report *r)
{
	struct text_layout L = { .labelw = 0, .colw = TEXT_COL_MIN };
	char cell[TEXT_CELL_MAX];
	size_t s, i, j, w;

	for (s = 0; s < NSECTIONS; s++)
		for (i = 0; i < text_sections[s].nrows; i++) {
			w = strlen(text_sections[s].rows[i].label);
			if ((int)w > L.labelw)
				L.labelw = (int)w;
		}
	if (L.labelw < (int)strlen("run ended at (s)"))
		L.labelw = (int)strlen("run ended at (s)");
	for (s = 0; s < NSECTIONS; s++)
		for (i = 0; i < text_sections[s].nrows; i++)
			for (j = 0; j < r->nruns; j++) {
				const struct text_row *row =
				    &text_sections[s].rows[i];

				text_cell(&r->runs[j], row, cell, sizeof(cell));
				if ((int)strlen(cell) > L.colw)
					L.colw = (int)strlen(cell);
				if (j > 0 && text_change(&r->runs[0],
				    &r->runs[j], row, cell, sizeof(cell)) &&
				    (int)strlen(cell) > L.colw)
					L.colw = (int)strlen(cell);
			}
	/* Names head the columns only when all fit; else letters. */
	for (j = 0; j < r->nruns; j++)
		if ((int)strlen(r->runs[j].name) > L.colw)
			L.letters = true;
	return (L);
}

static void
text_header(const struct report *r, const struct text_layout *L,
    const char *title, FILE *out)
{
	char id[32];
	size_t j;

	fprintf(out, "\n%-*s", L->labelw, title);
	for (j = 0; j < r->nruns; j++) {
		text_run_id(j, id, sizeof(id));
		fprintf(out, "  %*s", L->colw,
		    L->letters ? id : r->runs[j].name);
	}
	fputc('\n', out);
}

static void
text_row_out(const struct report *r, const struct text_layout *L,
    const char *label, const struct text_row *row, FILE *out)
{
	char cell[TEXT_CELL_MAX];
	bool changed = false;
	size_t j;

	fprintf(out, "%-*s", L->labelw, label);
	for (j = 0; j < r->nruns; j++) {
		text_cell(&r->runs[j], row, cell, sizeof(cell));
		fprintf(out, "  %*s", L->colw, cell);
		if (j > 0 && text_change(&r->runs[0], &r->runs[j], row, cell,
		    sizeof(cell)))
			changed = true;
	}
	fputc('\n', out);
	if (!changed)
		return;
	/* The change line: under each later run, its change against A. */
	fprintf(out, "%-*s  %*s", L->labelw, "", L->colw, "");
	for (j = 1; j < r->nruns; j++) {
		text_change(&r->runs[0], &r->runs[j], row, cell, sizeof(cell));
		fprintf(out, "  %*s", L->colw, cell);
	}
	fputc('\n', out);
}

/* text_any() - whether some run reports the row's stat. */
static bool
text_any(const struct report *r, const char *stat)
{
	size_t j;

	for (j = 0; j < r->nruns; j++)
		if (report_run_stat(&r->runs[j], stat) != NULL)
			return (true);
	return (false);
}

static void
text_tables(const struct report *r, FILE *out)
{
	static const struct text_row end_row = { "run ended at (s)",
		"end_time_s", WORSE_NEVER, UNIT_PLAIN };
	const struct text_layout L = text_layout(r);
	const struct report_value *v;
	bool show_end = false, anypanic = false, any;
	char cell[TEXT_CELL_MAX];
	size_t s, i, j;

	for (j = 0; j < r->nruns; j++) {
		v = report_run_stat(&r->runs[j], "end_time_s");
		if (v != NULL && fabs(report_round_ns(v->d) -
		    report_round_ns(r->trace.duration_s)) >= 0.0005)
			show_end = true;
		if (r->runs[j].panic)
			anypanic = true;
	}
	for (s = 0; s < NSECTIONS; s++) {
		/* A section with no row to show (an older simulator) is left out. */
		any = s == NSECTIONS - 1;
		for (i = 0; i < text_sections[s].nrows; i++)
			if (text_any(r, text_sections[s].rows[i].stat))
				any = true;
		if (!any)
			continue;
		text_header(r, &L, text_sections[s].title, out);
		for (i = 0; i < text_sections[s].nrows; i++) {
			/* A row no run reports (an older simulator) is left out. */
			if (!text_any(r, text_sections[s].rows[i].stat))
				continue;
			text_row_out(r, &L, text_sections[s].rows[i].label,
			    &text_sections[s].rows[i], out);
		}
		if (s == 0 && show_end)
			text_row_out(r, &L, end_row.label, &end_row, out);
		if (text_sections[s].note != NULL)
			text_wrap(out, "  note:", 8, text_sections[s].note);
		if (s == NSECTIONS - 1) {
			fprintf(out, "%-*s", L.labelw, "panic");
			for (j = 0; j < r->nruns; j++)
				fprintf(out, "  %*s", L.colw,
				    r->runs[j].panic ? "yes" : "no");
			fputc('\n', out);
			if (anypanic && !r->runs[0].panic) {
				fprintf(out, "%-*s  %*s", L.labelw, "",
				    L.colw, "");
				for (j = 1; j < r->nruns; j++)
					fprintf(out, "  %*s", L.colw,
					    r->runs[j].panic ? "new!" : "");
				fputc('\n', out);
			}
		}
	}
	if (r->nruns > 1) {
		text_run_id(0, cell, sizeof(cell));
		fprintf(out,
		    "\nUnder each value of a later run: its change against "
		    "%s, absolute and in\npercent; ! marks a change for the "
		    "worse (docs/report.md says which way is\nworse for each "
		    "statistic).\n",
		    cell);
	}
}

int
report_write_text(const struct report *r, FILE *out, struct pg_error *err)
{
	char line[1024];
	size_t j;

	snprintf(line, sizeof(line), "%s (%s%s): %" PRIu64 " events, %.3f s",
	    r->trace.path, r->trace.format, r->trace.compressed ? ", zstd" : "",
	    r->trace.events, report_round_ns(r->trace.duration_s));
	text_wrap(out, "trace", 6, line);
	if (r->nruns == 0)
		goto done;
	text_runs(r, out);
	text_tables(r, out);
	for (j = 0; j < r->nruns; j++)
		text_run_details(&r->runs[j], out);
done:
	if (ferror(out))
		return (pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the report: %s", strerror(errno)));
	return (0);
}
