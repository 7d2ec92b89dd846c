/*
 * report.c - the life of a report run, the expect assertions and the
 * choice of rendering.
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "report/timeline.h"

bool
report_is_seconds(const char *name)
{
	size_t n = strlen(name);

	return (n >= 2 && strcmp(name + n - 2, "_s") == 0);
}

double
report_round_ns(double s)
{
	/* Beyond 9e9 s, s * 1e9 loses the nanoseconds anyway. */
	if (isfinite(s) && fabs(s) < 9e9)
		return (round(s * 1e9) / 1e9);
	return (s);
}

void
report_run_finish(struct report_run *run)
{
	size_t i;

	if (run == NULL)
		return;
	free(run->sysctl);
	for (i = 0; i < run->ndomains; i++)
		free(run->domains[i].fields);
	free(run->domains);
	free(run->stats);
	free(run->oom_kills);
	for (i = 0; i < run->nprocesses; i++)
		free(run->processes[i].extra);
	free(run->processes);
	free(run->expect);
	report_timeline_destroy(run->timeline);
	free(run->config);
	free(run->sweep);
	for (i = 0; i < run->nphases; i++)
		free(run->phases[i].stats);
	free(run->phases);
	memset(run, 0, sizeof(*run));
}

const struct report_value *
report_run_stat(const struct report_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->nstats; i++)
		if (strcmp(run->stats[i].name, name) == 0)
			return (&run->stats[i]);
	return (NULL);
}

int
report_check_expect(struct report_run *run, const struct report_bound *b,
    size_t n)
{
	const struct report_value *v;
	struct report_expect *e;
	size_t i;
	int failed = 0;

	free(run->expect);
	run->expect = NULL;
	run->nexpect = 0;
	if (n == 0)
		return (0);
	run->expect = calloc(n, sizeof(*run->expect));
	if (run->expect == NULL)
		return (-ENOMEM);
	run->nexpect = n;
	for (i = 0; i < n; i++) {
		e = &run->expect[i];
		snprintf(e->stat, sizeof(e->stat), "%s", b[i].stat);
		e->has_min = b[i].has_min;
		e->has_max = b[i].has_max;
		e->min = b[i].min;
		e->max = b[i].max;
		memcpy(e->min_text, b[i].min_text, sizeof(e->min_text));
		memcpy(e->max_text, b[i].max_text, sizeof(e->max_text));
		e->min_text[sizeof(e->min_text) - 1] = '\0';
		e->max_text[sizeof(e->max_text) - 1] = '\0';
		v = report_run_stat(run, b[i].stat);
		if (v != NULL) {
			e->found = true;
			e->is_real = v->is_real;
			e->value = v->is_real ? v->d : (double)v->i;
			/* Compare what the report shows, not the noise below.
			 */
			if (v->is_real && report_is_seconds(v->name))
				e->value = report_round_ns(e->value);
			/*
			 * Written as "not outside" so that a NaN value, which
			 * compares false with everything, fails.
			 */
			e->ok = (!e->has_min || e->value >= e->min) &&
			    (!e->has_max || e->value <= e->max) &&
			    e->value == e->value;
		}
		if (!e->ok)
			failed++;
	}
	return (failed);
}

size_t
report_expect_failures(const struct report *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nruns; i++)
		for (j = 0; j < r->runs[i].nexpect; j++)
			if (!r->runs[i].expect[j].ok)
				n++;
	return (n);
}

int
report_format_parse(const char *name, enum report_format *fmt)
{
	if (strcmp(name, "text") == 0)
		*fmt = REPORT_FORMAT_TEXT;
	else if (strcmp(name, "json") == 0)
		*fmt = REPORT_FORMAT_JSON;
	else if (strcmp(name, "csv") == 0)
		*fmt = REPORT_FORMAT_CSV;
	else if (strcmp(name, "csv-phases") == 0)
		*fmt = REPORT_FORMAT_CSV_PHASES;
	else if (strcmp(name, "csv-oom") == 0)
		*fmt = REPORT_FORMAT_CSV_OOM;
	else
		return (-EINVAL);
	return (0);
}

int
report_write(const struct report *r, enum report_format fmt, FILE *out,
    struct pg_error *err)
{
	switch (fmt) {
	case REPORT_FORMAT_JSON:
		return (report_write_json(r, out, err));
	case REPORT_FORMAT_CSV:
		return (report_write_csv(r, out, err));
	case REPORT_FORMAT_CSV_PHASES:
		return (report_write_csv_phases(r, out, err));
	case REPORT_FORMAT_CSV_OOM:
		return (report_write_csv_oom(r, out, err));
	case REPORT_FORMAT_TEXT:
	default:
		return (report_write_text(r, out, err));
	}
}

const struct report_value *
report_phase_stat(const struct report_phase *ph, const char *name)
{
	size_t i;

	for (i = 0; i < ph->nstats; i++)
		if (strcmp(ph->stats[i].name, name) == 0)
			return (&ph->stats[i]);
	return (NULL);
}

/* pct() - 100 * a / b, 0 when b is 0. */
static double
pct(uint64_t a, uint64_t b)
{
	return (b == 0 ? 0.0 : 100.0 * (double)a / (double)b);
}

/*
 * The verdict is built from the data in the order a tuner reads it: how
 * full swap was, where free memory stood against the thresholds, why the
 * inactive scans freed nothing, and which knob moves the decision.
 */
char *
report_oom_verdict(const struct report_oom_why *w, char *buf, size_t n)
{
	const char *what = w->panic ? "panicked" : "killed";
	const char *free_state, *why, *fix;
	uint64_t laundered = 0;
	size_t i, nfailed = 0;
	bool swap_full, free_ok;

	if (n == 0)
		return (buf);
	if (!w->valid) {
		snprintf(buf, n, "no explanation recorded");
		return (buf);
	}
	/* The failing scans in a row that ended with the decision. */
	for (i = w->nscans; i > 0 && w->scans[i - 1].failed; i--)
		if (w->scans[i - 1].has_laundered)
			laundered += w->scans[i - 1].laundered;
	if (w->nscans > 0)
		nfailed = (size_t)w->scans[w->nscans - 1].oom_seq;
	swap_full = w->swap_total == 0 ||
	    w->swap_used * 100 >= w->swap_total * 95;
	free_ok = w->free_count >= w->free_target;
	if (free_ok)
		free_state = "free memory above target";
	else if (w->free_count >= w->free_min)
		free_state = "free memory between free_min and free_target";
	else
		free_state = "free memory below free_min";

	if (w->swap_total == 0)
		why = "there is no swap, so dirty anonymous pages cannot be "
		      "laundered and the inactive queue held no clean pages";
	else if (swap_full)
		why = "swap is full, so the laundry cannot write dirty pages "
		      "out and the inactive queue held no clean pages";
	else if (free_ok)
		why = "the page daemon kept reclaiming after the shortage "
		      "ended and the inactive queue held no clean pages";
	else if (laundered == 0 && strncmp(w->lw_state, "waiting", 7) == 0)
		why = "the inactive queue held no clean pages and the laundry "
		      "thread was still waiting for its writes (a slow swap "
		      "device) during the failing scans";
	else if (laundered == 0)
		why = "the inactive queue held no clean pages and the laundry "
		      "wrote nothing back during the failing scans";
	else
		why = "the laundry could not clean pages as fast as the "
		      "scans needed them, so the inactive queue held no "
		      "clean pages";

	if (w->swap_total == 0 || swap_full)
		fix = "more swap or memory, or a smaller workload, avoid it";
	else if (!free_ok && laundered == 0 &&
	    strncmp(w->lw_state, "waiting", 7) == 0)
		fix = "raising vm.pageout_oom_seq, a faster swap device or "
		      "the variants in docs/model.md avoid it";
	else
		fix = "raising vm.pageout_oom_seq or the variants in "
		      "docs/model.md avoid it";
	snprintf(buf, n,
	    "%s with swap %.0f%% used and %s after %zu failing scans in "
	    "a row (vm.pageout_oom_seq %" PRId64 "): %s; %s",
	    what, pct(w->swap_used, w->swap_total), free_state, nfailed,
	    w->pageout_oom_seq, why, fix);
	return (buf);
}
