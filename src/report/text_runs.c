/*
 * text_runs.c - the parts of the text report about single runs: the
 * settings and sysctls of each run, and what only some runs have (OOM
 * kills with their explanation, a panic, stalled processes, phases, the
 * expect outcomes).
 */
#include "report/text_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

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
		return (false);
	for (i = 0; i < run->nconfig; i++)
		if (strcmp(run->config[i].name, base->config[i].name) != 0 ||
		    run->config[i].value != base->config[i].value)
			return (false);
	for (i = 0; i < run->nsysctl; i++)
		if (strcmp(run->sysctl[i].name, base->sysctl[i].name) != 0 ||
		    run->sysctl[i].i != base->sysctl[i].i)
			return (false);
	return (true);
}

/*
 * text_runs() - the legend: each run's letter, name, configuration file
 * and sweep values, then its full effective configuration; for runs after
 * the first, only what differs from the first.
 */
void
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
		return (text);
	snprintf(buf, n, "%.15g", v);
	return (buf);
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
	return (buf);
}

static double
text_mib(uint64_t pages)
{
	return ((double)pages * REPORT_PAGE_SIZE / (1024.0 * 1024.0));
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

void
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
