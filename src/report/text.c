/*
 * text.c - the human-readable report.  The runs are compared side by side
 * in five sections (Allocation, Reclaim, Laundering, Swap, OOM): one
 * column per run and, under each statistic, every later run's change
 * against the first, marked where it is worse.  Then what only some runs
 * have: OOM kills with their explanation, a panic, stalled processes,
 * phases and the expect outcomes.  Lines stay within 80 columns for up to
 * three runs: long run names become letters, explained in the legend.
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/report_int.h"

#define TEXT_WIDTH 80
#define TEXT_LABEL_MAX 22 /* widest row label */
#define TEXT_COL_MIN 10
#define TEXT_CELL_MAX 48

/* Which direction of a statistic is worse (docs/report.md, "worse"). */
enum text_worse {
	WORSE_NEVER = 0, /* a difference is neither better nor worse */
	WORSE_HIGHER,
	WORSE_LOWER,
};

/* How a row shows its value. */
enum text_unit {
	UNIT_PLAIN = 0, /* the stat as it is: count, or seconds to the ms */
	UNIT_MIB,	/* a page count shown in MiB */
};

/* A row: a label for people, the stat behind it, and its direction. */
struct text_row {
	const char *label;
	const char *stat;
	enum text_worse worse;
	enum text_unit unit;
};

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

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

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
		return false;
	*d = v->is_real ? report_round_ns(v->d) : (double)v->i;
	if (row->unit == UNIT_MIB)
		*d = *d * REPORT_PAGE_SIZE / (1024.0 * 1024.0);
	return true;
}

/* text_is_real() - whether the row prints with decimals. */
static bool
text_is_real(const struct report_run *run, const struct text_row *row)
{
	const struct report_value *v = report_run_stat(run, row->stat);

	return row->unit == UNIT_MIB || (v != NULL && v->is_real);
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
		return false;
	d = b - a;
	/* Compare at the precision shown, so that noise is no change. */
	if (row->unit == UNIT_MIB ? fabs(d) < 0.05 :
	    text_is_real(run, row) ? fabs(d) < 0.0005 : d == 0.0)
		return false;
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
	return true;
}

/* text_run_id() - "A" .. "Z", then "R27", ...: a run's letter. */
static void
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
static void
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
	return L;
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
			return true;
	return false;
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

/* text_setting_line() - "title: key=value ..." for the keys with prefix. */
static void
text_settings(FILE *out, const struct report_run *run,
    const struct report_run *base, const char *title, const char *prefix)
{
	char line[2048], first[64];
	size_t i, k, len = 0, plen = strlen(prefix);
	bool same;

	line[0] = '\0';
	for (i = 0; i < run->nconfig && len < sizeof(line); i++) {
		const struct report_setting *c = &run->config[i];

		if (strncmp(c->name, prefix, plen) != 0)
			continue;
		if (base != NULL) {
			same = false;
			for (k = 0; k < base->nconfig; k++)
				if (strcmp(base->config[k].name, c->name) == 0 &&
				    base->config[k].value == c->value)
					same = true;
			if (same)
				continue;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    "%s%s=%s", len > 0 ? " " : "", c->name + plen, c->text);
	}
	if (line[0] == '\0')
		return;
	snprintf(first, sizeof(first), "     %s:", title);
	text_wrap(out, first, 7, line);
}

static void
text_sysctls(FILE *out, const struct report_run *run,
    const struct report_run *base)
{
	char line[2048];
	size_t i, k, len = 0;
	bool same;

	line[0] = '\0';
	for (i = 0; i < run->nsysctl && len < sizeof(line); i++) {
		const struct report_value *v = &run->sysctl[i];

		if (base != NULL) {
			same = false;
			for (k = 0; k < base->nsysctl; k++)
				if (strcmp(base->sysctl[k].name, v->name) == 0 &&
				    base->sysctl[k].i == v->i)
					same = true;
			if (same)
				continue;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    "%s%s=%" PRId64, len > 0 ? " " : "", v->name, v->i);
	}
	if (line[0] != '\0')
		text_wrap(out, "     sysctl:", 7, line);
}

/* text_same_config() - whether run has every setting and sysctl of base. */
static bool
text_same_config(const struct report_run *run, const struct report_run *base)
{
	size_t i;

	if (run->nconfig != base->nconfig || run->nsysctl != base->nsysctl)
		return false;
	for (i = 0; i < run->nconfig; i++)
		if (strcmp(run->config[i].name, base->config[i].name) != 0 ||
		    run->config[i].value != base->config[i].value)
			return false;
	for (i = 0; i < run->nsysctl; i++)
		if (strcmp(run->sysctl[i].name, base->sysctl[i].name) != 0 ||
		    run->sysctl[i].i != base->sysctl[i].i)
			return false;
	return true;
}

/*
 * text_runs() - the legend: each run's letter, name, configuration file
 * and sweep values, then its full effective configuration; for runs after
 * the first, only what differs from the first.
 */
static void
text_runs(const struct report *r, FILE *out)
{
	char id[32], line[1024];
	size_t i, j, len;

	fprintf(out, "\n%zu run%s\n", r->nruns, r->nruns == 1 ? "" : "s");
	for (j = 0; j < r->nruns; j++) {
		const struct report_run *run = &r->runs[j];
		const struct report_run *base = j > 0 ? &r->runs[0] : NULL;

		text_run_id(j, id, sizeof(id));
		snprintf(line, sizeof(line), "  %-3s", id);
		text_wrap(out, line, 5, run->name);
		text_wrap(out, "     config:", 7,
		    run->config_path[0] != '\0' ? run->config_path :
						  "(built-in defaults)");
		if (run->nsweep > 0) {
			len = 0;
			line[0] = '\0';
			for (i = 0; i < run->nsweep && len < sizeof(line); i++)
				len += (size_t)snprintf(line + len,
				    sizeof(line) - len, "%s%s=%s",
				    i > 0 ? " " : "", run->sweep[i].name,
				    run->sweep[i].text);
			text_wrap(out, "     sweep:", 7, line);
		}
		if (base != NULL && text_same_config(run, base)) {
			fprintf(out, "     configured as A\n");
			continue;
		}
		if (base != NULL)
			fprintf(out, "     configured as A except:\n");
		text_settings(out, run, base, "machine", "machine.");
		text_settings(out, run, base, "devices", "devices.");
		text_settings(out, run, base, "sim", "sim.");
		text_sysctls(out, run, base);
	}
}

/* text_bound() - a bound as written in the configuration, else %.15g. */
static const char *
text_bound(const char *text, double v, char *buf, size_t n)
{
	if (text[0] != '\0')
		return text;
	snprintf(buf, n, "%.15g", v);
	return buf;
}

static const char *
text_expect_op(const struct report_expect *e, char *buf, size_t n)
{
	char lo[40], hi[40];

	if (e->has_min && e->has_max)
		snprintf(buf, n, "in [%s, %s]",
		    text_bound(e->min_text, e->min, lo, sizeof(lo)),
		    text_bound(e->max_text, e->max, hi, sizeof(hi)));
	else if (e->has_min)
		snprintf(buf, n, ">= %s",
		    text_bound(e->min_text, e->min, lo, sizeof(lo)));
	else if (e->has_max)
		snprintf(buf, n, "<= %s",
		    text_bound(e->max_text, e->max, hi, sizeof(hi)));
	else
		snprintf(buf, n, "reported");
	return buf;
}

static double
text_mib(uint64_t pages)
{
	return (double)pages * REPORT_PAGE_SIZE / (1024.0 * 1024.0);
}

/* text_why() - the explanation of one OOM kill or panic. */
static void
text_why(FILE *out, const struct report_oom_why *w)
{
	char verdict[512], line[256];
	size_t i;

	if (!w->valid)
		return;
	report_oom_verdict(w, verdict, sizeof(verdict));
	text_wrap(out, "    why:", 9, verdict);
	fprintf(out,
	    "    at the decision (domain %" PRIu32 " of %" PRIu32 "):\n",
	    w->domain, w->ndomains);
	fprintf(out,
	    "      free %" PRIu64 " pages (%.1f MiB); free_min %" PRIu64
	    ", free_target %" PRIu64 "\n",
	    w->free_count, text_mib(w->free_count), w->free_min,
	    w->free_target);
	fprintf(out,
	    "      queues: inactive %" PRIu64 ", active %" PRIu64
	    ", laundry %" PRIu64 ", unswappable %" PRIu64 "\n",
	    w->inactive, w->active, w->laundry, w->unswappable);
	fprintf(out,
	    "      swap: %" PRIu64 " of %" PRIu64 " pages in use (%.1f of "
	    "%.1f MiB)\n",
	    w->swap_used, w->swap_total, text_mib(w->swap_used),
	    text_mib(w->swap_total));
	fprintf(out,
	    "      page daemon: PID output %" PRId64 " pages, pass %" PRId64
	    "\n",
	    w->pid_output, w->pass);
	snprintf(line, sizeof(line),
	    "last request %s, %s, target %" PRId64 " pages; laundered so far "
	    "%" PRIu64 " pages in background and %" PRIu64 " in shortfall "
	    "runs, %" PRIu64 " pages swapped out",
	    w->laundry_request, w->lw_state, w->lw_target,
	    w->laundered_background, w->laundered_shortfall, w->swappgsout);
	text_wrap(out, "      laundry thread:", 8, line);
	if (w->nscans == 0)
		return;
	fprintf(out,
	    "    the last %zu scans (vm.pageout_oom_seq %" PRId64 "):\n",
	    w->nscans, w->pageout_oom_seq);
	fprintf(out, "    %10s %7s %6s %4s %7s %7s %7s %-10s %9s\n",
	    "time (s)", "asked", "freed", "seq", "free", "inact", "laundry",
	    "request", "laundered");
	for (i = 0; i < w->nscans; i++) {
		const struct report_oom_scan *sc = &w->scans[i];
		char cleaned[24];

		if (sc->has_laundered)
			snprintf(cleaned, sizeof(cleaned), "%" PRIu64,
			    sc->laundered);
		else
			snprintf(cleaned, sizeof(cleaned), "-");
		fprintf(out,
		    "    %10.3f %7" PRId64 " %6" PRId64 " %4" PRId64
		    " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %-10s %9s\n",
		    sc->time_s, sc->asked, sc->freed, sc->oom_seq,
		    sc->free_count, sc->inactive, sc->laundry,
		    sc->laundry_request, cleaned);
	}
}

/* The columns of a run's phase table (labels of at most 6 characters). */
static const struct text_row phase_rows[] = {
	{ "faults", "faults", WORSE_NEVER, UNIT_PLAIN },
	{ "freed", "v_dfree", WORSE_NEVER, UNIT_PLAIN },
	{ "laund.", "laundered_background", WORSE_NEVER, UNIT_PLAIN },
	{ "swpout", "v_swappgsout", WORSE_NEVER, UNIT_PLAIN },
	{ "stalls", "stalls", WORSE_NEVER, UNIT_PLAIN },
	{ "stll s", "stall_time_s", WORSE_NEVER, UNIT_PLAIN },
	{ "OOM", "oom_kills", WORSE_NEVER, UNIT_PLAIN },
};

/*
 * text_phases() - a run's phases, one line each: name, start and end,
 * then the changes of a few statistics (laund.: pages laundered by
 * background and shortfall runs; swpout: pages swapped out; stll s: stall
 * time summed over processes).  The JSON and CSV carry every statistic.
 */
static void
text_phases(const struct report_run *run, FILE *out)
{
	const struct report_value *v, *v2;
	char line[512];
	size_t i, k;

	if (run->nphases == 0)
		return;
	snprintf(line, sizeof(line), "%s: phases", run->name);
	fputc('\n', out);
	text_wrap(out, "", 2, line);
	fprintf(out, "  from one `mark` event to the next; laund.: pages "
		     "laundered, stll s: stall time\n");
	fprintf(out, "  %-12s %7s %7s", "phase", "from s", "to s");
	for (k = 0; k < NROWS(phase_rows); k++)
		fprintf(out, " %6s", phase_rows[k].label);
	fputc('\n', out);
	for (i = 0; i < run->nphases; i++) {
		const struct report_phase *ph = &run->phases[i];

		fprintf(out, "  %-12.12s %7.3f %7.3f", ph->name, ph->start_s,
		    ph->end_s);
		for (k = 0; k < NROWS(phase_rows); k++) {
			v = report_phase_stat(ph, phase_rows[k].stat);
			if (v == NULL)
				fprintf(out, " %6s", "-");
			else if (v->is_real)
				fprintf(out, " %6.3f", v->d + 0.0);
			else if (k == 2 && (v2 = report_phase_stat(ph,
			    "laundered_shortfall")) != NULL)
				fprintf(out, " %6" PRId64, v->i + v2->i);
			else
				fprintf(out, " %6" PRId64, v->i);
		}
		fputc('\n', out);
	}
	if (run->phases_truncated)
		fprintf(out, "  (more than %d marks: the later ones are counted "
		    "in the last phase)\n", REPORT_PHASES_MAX);
}

static void
text_run_details(const struct report_run *run, FILE *out)
{
	char bound[96];
	size_t i, stalled = 0;

	/* Only a run of variants says so: seed reports keep their shape. */
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
		    "  %.3f s  pid %" PRIu32 " (%s), %" PRIu64
		    " pages (%.1f MiB)\n",
		    k->time_s, k->pid, k->name, k->pages, text_mib(k->pages));
		text_why(out, &k->why);
	}
	if (run->panic) {
		fprintf(out, "\n%s: panic at %.3f s: %s\n", run->name,
		    run->panic_time_s, run->panic_reason);
		text_why(out, &run->panic_why);
	}
	for (i = 0; i < run->nprocesses; i++) {
		const struct report_process *p = &run->processes[i];

		if (p->fate == NULL || strcmp(p->fate, "stalled") != 0)
			continue;
		if (stalled++ == 0)
			fprintf(out,
			    "\n%s: processes still stalled at the end\n",
			    run->name);
		fprintf(out,
		    "  pid %" PRIu32 " (%s): %" PRIu64 " stall%s, %.3f s\n",
		    p->pid, p->name, p->stalls, p->stalls == 1 ? "" : "s",
		    p->stall_time_s);
	}
	text_phases(run, out);
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
		return pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the report: %s", strerror(errno));
	return 0;
}
