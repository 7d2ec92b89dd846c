/*
 * csv.c - one row per run with every sysctl and every statistic, for
 * spreadsheets and plotting a sweep (RFC 4180 quoting, lines end in LF).
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "report/report_int.h"

void
report_csv_field(FILE *out, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* csv_value() - the value called name in v[0..n), or an empty field. */
static void
csv_value(FILE *out, const struct report_value *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) != 0)
			continue;
		/*
		 * %.9f: seconds to the nanosecond, the same text every time;
		 * + 0.0 turns -0 into 0.
		 */
		if (v[i].is_real)
			fprintf(out, "%.9f", v[i].d + 0.0);
		else
			fprintf(out, "%" PRId64, v[i].i);
		return;
	}
}

/* csv_setting() - the setting called name in v[0..n), or an empty field. */
static void
csv_setting(FILE *out, const struct report_setting *v, size_t n,
    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0) {
			fprintf(out, "%" PRId64, v[i].value);
			return;
		}
}

/* csv_sweep() - "key=value;key=value" as a configuration spells them. */
static void
csv_sweep(FILE *out, const struct report_run *run)
{
	char buf[1024];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < run->nsweep && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s=%s",
		    i > 0 ? ";" : "", run->sweep[i].name, run->sweep[i].text);
	report_csv_field(out, buf);
}

/* csv_verdicts() - each kill's (and the panic's) verdict, " | " apart. */
static void
csv_verdicts(FILE *out, const struct report_run *run)
{
	char buf[4096], v[512];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < run->noom_kills && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "%s%.9f s pid %" PRIu32 ": %s", i > 0 ? " | " : "",
		    run->oom_kills[i].time_s, run->oom_kills[i].pid,
		    report_oom_verdict(&run->oom_kills[i].why, v, sizeof(v)));
	if (run->panic && len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, "%s%.9f s panic: %s",
		    len > 0 ? " | " : "", run->panic_time_s,
		    report_oom_verdict(&run->panic_why, v, sizeof(v)));
	report_csv_field(out, buf);
}

static int
csv_done(FILE *out, struct pg_error *err)
{
	if (ferror(out))
		return (pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the CSV report: %s", strerror(errno)));
	return (0);
}

int
report_write_csv_phases(const struct report *r, FILE *out,
    struct pg_error *err)
{
	const struct report_phase *ref = NULL;
	size_t i, j, k;

	/* The columns: those of the first phase of any run. */
	for (j = 0; j < r->nruns && ref == NULL; j++)
		if (r->runs[j].nphases > 0)
			ref = &r->runs[j].phases[0];
	fputs("run,phase,index,start_s,end_s", out);
	for (k = 0; ref != NULL && k < ref->nstats; k++) {
		fputc(',', out);
		report_csv_field(out, ref->stats[k].name);
	}
	fputc('\n', out);
	for (j = 0; j < r->nruns; j++) {
		const struct report_run *run = &r->runs[j];

		for (i = 0; i < run->nphases; i++) {
			const struct report_phase *ph = &run->phases[i];

			report_csv_field(out, run->name);
			fputc(',', out);
			report_csv_field(out, ph->name);
			fprintf(out, ",%zu,%.9f,%.9f", i, ph->start_s + 0.0,
			    ph->end_s + 0.0);
			for (k = 0; k < ref->nstats; k++) {
				fputc(',', out);
				csv_value(out, ph->stats, ph->nstats,
				    ref->stats[k].name);
			}
			fputc('\n', out);
		}
	}
	return (csv_done(out, err));
}

/* csv_why_row() - one kill or panic and its explanation. */
static void
csv_why_row(FILE *out, const struct report_run *run, const char *event,
    double time_s, uint32_t pid, const char *name,
    const struct report_oom_why *w)
{
	char v[512];
	uint64_t laundered = 0;
	size_t i, nfailed = 0;
	double first = 0.0;

	for (i = 0; i < w->nscans; i++) {
		if (!w->scans[i].failed)
			continue;
		if (nfailed++ == 0)
			first = w->scans[i].time_s;
		if (w->scans[i].has_laundered)
			laundered += w->scans[i].laundered;
	}
	report_csv_field(out, run->name);
	fprintf(out, ",%s,%.9f,%" PRIu32 ",", event, time_s + 0.0, pid);
	report_csv_field(out, name);
	fprintf(out,
	    ",%" PRIu32 ",%" PRId64 ",%zu,%.9f,%" PRIu64 ",%" PRIu64
	    ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	    ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64
	    ",%s,%s,%" PRId64 ",%" PRIu64 ",%" PRIu64 ",",
	    w->domain, w->pageout_oom_seq, nfailed, first + 0.0, w->free_count,
	    w->free_min, w->free_target, w->inactive, w->active, w->laundry,
	    w->unswappable, w->swap_used, w->swap_total, w->victim_pages,
	    w->pid_output, w->pass, w->laundry_request, w->lw_state,
	    w->lw_target, laundered,
	    w->laundered_background + w->laundered_shortfall);
	report_csv_field(out, report_oom_verdict(w, v, sizeof(v)));
	fputc('\n', out);
}

int
report_write_csv_oom(const struct report *r, FILE *out, struct pg_error *err)
{
	size_t i, j;

	fputs("run,event,time_s,pid,name,domain,pageout_oom_seq,"
	      "failing_scans_listed,first_failing_scan_s,free_count,free_min,"
	      "free_target,inactive,active,laundry,unswappable,swap_used,"
	      "swap_total,victim_pages,pid_output,pass,laundry_request,"
	      "laundry_state,laundry_target,laundered_during_failing_scans,"
	      "laundered_total,verdict\n",
	    out);
	for (j = 0; j < r->nruns; j++) {
		const struct report_run *run = &r->runs[j];

		for (i = 0; i < run->noom_kills; i++)
			csv_why_row(out, run, "kill", run->oom_kills[i].time_s,
			    run->oom_kills[i].pid, run->oom_kills[i].name,
			    &run->oom_kills[i].why);
		if (run->panic)
			csv_why_row(out, run, "panic", run->panic_time_s, 0,
			    "", &run->panic_why);
	}
	return (csv_done(out, err));
}

int
report_write_csv(const struct report *r, FILE *out, struct pg_error *err)
{
	const struct report_run *first = r->nruns > 0 ? &r->runs[0] : NULL;
	size_t i, j, failed;

	fputs("run,model.variants", out);
	for (i = 0; first != NULL && i < first->nsysctl; i++) {
		fputc(',', out);
		report_csv_field(out, first->sysctl[i].name);
	}
	for (i = 0; first != NULL && i < first->nstats; i++) {
		fputc(',', out);
		report_csv_field(out, first->stats[i].name);
	}
	fputs(",panic,expect_failed", out);
	/* Added with schema_version 1, after the original columns. */
	fputs(",config_path", out);
	for (i = 0; first != NULL && i < first->nconfig; i++) {
		fputc(',', out);
		report_csv_field(out, first->config[i].name);
	}
	fputs(",sweep,oom_verdicts,phases\n", out);

	for (j = 0; j < r->nruns; j++) {
		const struct report_run *run = &r->runs[j];

		report_csv_field(out, run->name);
		/* The variants joined by '+' (names hold no comma), or none. */
		fputc(',', out);
		for (i = 0; i < run->nvariants && i < REPORT_VARIANTS_MAX; i++)
			fprintf(out, "%s%s", i > 0 ? "+" : "",
			    run->variants[i]);
		if (run->nvariants == 0)
			fputs("none", out);
		for (i = 0; i < first->nsysctl; i++) {
			fputc(',', out);
			csv_value(out, run->sysctl, run->nsysctl,
			    first->sysctl[i].name);
		}
		for (i = 0; i < first->nstats; i++) {
			fputc(',', out);
			csv_value(out, run->stats, run->nstats,
			    first->stats[i].name);
		}
		failed = 0;
		for (i = 0; i < run->nexpect; i++)
			if (!run->expect[i].ok)
				failed++;
		fprintf(out, ",%d,%zu,", run->panic ? 1 : 0, failed);
		report_csv_field(out, run->config_path);
		for (i = 0; i < first->nconfig; i++) {
			fputc(',', out);
			csv_setting(out, run->config, run->nconfig,
			    first->config[i].name);
		}
		fputc(',', out);
		csv_sweep(out, run);
		fputc(',', out);
		csv_verdicts(out, run);
		fprintf(out, ",%zu\n", run->nphases);
	}
	return (csv_done(out, err));
}
