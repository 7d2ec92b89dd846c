/*
 * csv.c - one row per run with every sysctl and every statistic, for
 * spreadsheets and plotting a sweep (RFC 4180 quoting, lines end in LF).
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

/* csv_field() - s as one field, quoted only when it has to be. */
static void
csv_field(FILE *out, const char *s)
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

int
report_write_csv(const struct report *r, FILE *out, struct pg_error *err)
{
	const struct report_run *first = r->nruns > 0 ? &r->runs[0] : NULL;
	size_t i, j, failed;

	fputs("run,model.variants", out);
	for (i = 0; first != NULL && i < first->nsysctl; i++) {
		fputc(',', out);
		csv_field(out, first->sysctl[i].name);
	}
	for (i = 0; first != NULL && i < first->nstats; i++) {
		fputc(',', out);
		csv_field(out, first->stats[i].name);
	}
	fputs(",panic,expect_failed\n", out);

	for (j = 0; j < r->nruns; j++) {
		const struct report_run *run = &r->runs[j];

		csv_field(out, run->name);
		/* The variants joined by '+' (names hold no comma), or none. */
		fputc(',', out);
		for (i = 0; i < run->nvariants && i < REPORT_VARIANTS_MAX; i++)
			fprintf(out, "%s%s", i > 0 ? "+" : "", run->variants[i]);
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
		fprintf(out, ",%d,%zu\n", run->panic ? 1 : 0, failed);
	}
	if (ferror(out))
		return pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the CSV report: %s", strerror(errno));
	return 0;
}
