/*
 * baseline.c - reading a saved JSON report with jansson and comparing a
 * replay's statistics with it (docs/report.md "Baseline").
 */
#include "report/baseline.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

struct report_baseline {
	char path[PG_ERROR_FILE_MAX];
	json_t *root;
	json_t *runs; /* borrowed from root */
};

/* parse_real() - a finite number in s[0..len), or -EINVAL. */
static int
parse_real(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return (-EINVAL);
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	if (*end != '\0' || !isfinite(*out) || *out < 0)
		return (-EINVAL);
	return (0);
}

int
report_tolerance_parse(const char *s, struct report_tolerance *t,
    char *msg, size_t n)
{
	const char *p = s, *comma;
	bool have_rel = false, have_abs = false;
	size_t len;
	double v;

	t->rel = 0;
	t->abs = 0;
	if (*s == '\0')
		goto bad;
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len > 4 && strncmp(p, "abs=", 4) == 0) {
			if (have_abs || parse_real(p + 4, len - 4, &v) < 0)
				goto bad;
			t->abs = v;
			have_abs = true;
		} else {
			if (len > 4 && strncmp(p, "rel=", 4) == 0) {
				p += 4;
				len -= 4;
			}
			if (have_rel || len == 0)
				goto bad;
			if (p[len - 1] == '%') {
				if (parse_real(p, len - 1, &v) < 0)
					goto bad;
				v /= 100;
			} else if (parse_real(p, len, &v) < 0) {
				goto bad;
			}
			t->rel = v;
			have_rel = true;
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return (0);
bad:
	snprintf(msg, n, "expected a tolerance such as 0.05, 5%%, abs=10 or "
	    "5%%,abs=10 (non-negative numbers), got \"%.60s\"", s);
	return (-EINVAL);
}

char *
report_tolerance_format(const struct report_tolerance *t, char *buf, size_t n)
{
	if (t->abs == 0)
		snprintf(buf, n, "%.6g%%", t->rel * 100);
	else if (t->rel == 0)
		snprintf(buf, n, "abs=%.6g", t->abs);
	else
		snprintf(buf, n, "%.6g%%,abs=%.6g", t->rel * 100, t->abs);
	if (t->abs == 0 && t->rel == 0)
		snprintf(buf, n, "0");
	return (buf);
}

const char *
report_baseline_path(const struct report_baseline *b)
{
	return (b->path);
}

static int
shape_error(struct pg_error *err, const char *path, const char *what)
{
	return (pg_error_setv(err, -EINVAL, path, PG_POS_NONE, 0,
	    "not a pgreplay JSON report: %s", what));
}

int
report_baseline_load(const char *path, struct report_baseline **out,
    struct pg_error *err)
{
	struct report_baseline *b;
	json_error_t je;
	json_t *run, *v;
	const char *key;
	size_t i;
	int rc;

	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	snprintf(b->path, sizeof(b->path), "%s", path);
	b->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (b->root == NULL) {
		free(b);
		/* jansson says why in its text; a missing file has line -1. */
		if (je.line > 0)
			return (pg_error_setv(err, -EINVAL, path, PG_POS_LINE,
			    (uint64_t)je.line, "baseline: %s (column %d)",
			    je.text, je.column));
		return (pg_error_setv(err, -ENOENT, path, PG_POS_NONE, 0,
		    "cannot read the baseline: %s", je.text));
	}
	rc = -EINVAL;
	if (!json_is_object(b->root)) {
		shape_error(err, path, "expected an object at the top level");
		goto fail;
	}
	b->runs = json_object_get(b->root, "runs");
	if (!json_is_array(b->runs)) {
		shape_error(err, path, "expected a \"runs\" array");
		goto fail;
	}
	json_array_foreach(b->runs, i, run) {
		if (!json_is_object(run) ||
		    !json_is_string(json_object_get(run, "name")) ||
		    !json_is_object(json_object_get(run, "stats"))) {
			pg_error_setv(err, -EINVAL, path, PG_POS_NONE, 0,
			    "not a pgreplay JSON report: runs[%zu]: expected "
			    "an object with a string \"name\" and an object "
			    "\"stats\"", i);
			goto fail;
		}
		json_object_foreach(json_object_get(run, "stats"), key, v) {
			/* The report writes a non-finite real as null. */
			if (!json_is_number(v) && !json_is_null(v)) {
				pg_error_setv(err, -EINVAL, path, PG_POS_NONE,
				    0, "not a pgreplay JSON report: run "
				    "'%.200s': stats.%.60s: expected a number",
				    json_string_value(json_object_get(run,
				    "name")), key);
				goto fail;
			}
		}
	}
	*out = b;
	return (0);
fail:
	report_baseline_destroy(b);
	return (rc);
}

void
report_baseline_destroy(struct report_baseline *b)
{
	if (b == NULL)
		return;
	json_decref(b->root);
	free(b);
}

/* find_run() - the baseline run called name, or NULL. */
static json_t *
find_run(const struct report_baseline *b, const char *name)
{
	json_t *run;
	size_t i;

	json_array_foreach(b->runs, i, run)
		if (strcmp(json_string_value(json_object_get(run, "name")),
		    name) == 0)
			return (run);
	return (NULL);
}

int
report_baseline_match(const struct report_baseline *b,
    const char *const *names, size_t n, struct pg_error *err)
{
	const char *bn;
	json_t *run;
	size_t i, k;

	for (k = 0; k < n; k++)
		if (find_run(b, names[k]) == NULL)
			return (pg_error_setv(err, -ENOENT, b->path,
			    PG_POS_NONE, 0, "baseline has no run '%.200s' "
			    "(runs are matched by name)", names[k]));
	json_array_foreach(b->runs, i, run) {
		bn = json_string_value(json_object_get(run, "name"));
		for (k = 0; k < n; k++)
			if (strcmp(names[k], bn) == 0)
				break;
		if (k == n)
			return (pg_error_setv(err, -ENOENT, b->path,
			    PG_POS_NONE, 0, "baseline run '%.200s' is not "
			    "among the runs of this replay", bn));
	}
	return (0);
}

/*
 * as_printed() - v as the JSON report prints it: seconds rounded to
 * nanoseconds, every real through 15 significant digits.
 */
static double
as_printed(const struct report_value *v)
{
	char buf[40];
	double d;

	if (!v->is_real)
		return ((double)v->i);
	d = v->d;
	if (report_is_seconds(v->name))
		d = report_round_ns(d);
	if (!isfinite(d))
		return (d);
	snprintf(buf, sizeof(buf), "%.15g", d);
	return (strtod(buf, NULL));
}

static const struct report_tolerance *
tolerance_for(const char *stat, const struct report_tolerance *def,
    const struct report_stat_tolerance *over, size_t nover)
{
	size_t i;

	for (i = 0; i < nover; i++)
		if (strcmp(over[i].stat, stat) == 0)
			return (&over[i].tol);
	return (def);
}

int
report_baseline_compare(const struct report_baseline *b,
    const struct report_run *run, const struct report_tolerance *def,
    const struct report_stat_tolerance *over, size_t nover,
    struct report_run_checks *out)
{
	struct report_check *c;
	const struct report_value *v;
	json_t *brun, *stats, *bv;
	const char *key;
	size_t i, nb, k = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->run, sizeof(out->run), "%s", run->name);
	brun = find_run(b, run->name);
	if (brun == NULL)
		return (-ENOENT);
	stats = json_object_get(brun, "stats");
	nb = json_object_size(stats);
	out->checks = calloc(run->nstats + nb + 1, sizeof(*out->checks));
	if (out->checks == NULL)
		return (-ENOMEM);
	for (i = 0; i < run->nstats; i++) {
		v = &run->stats[i];
		c = &out->checks[k++];
		snprintf(c->stat, sizeof(c->stat), "%s", v->name);
		c->is_real = v->is_real;
		c->new_value = as_printed(v);
		c->tol = *tolerance_for(v->name, def, over, nover);
		bv = json_object_get(stats, v->name);
		if (bv == NULL) {
			c->status = REPORT_CHECK_NEW;
			c->old_value = NAN;
			continue;
		}
		c->old_value = json_is_null(bv) ? NAN : json_number_value(bv);
		c->allowed = fmax(c->tol.rel * fabs(c->old_value), c->tol.abs);
		if (!isfinite(c->old_value) || !isfinite(c->new_value)) {
			/* Printed as null on both sides: the same report. */
			if (isfinite(c->old_value) == isfinite(c->new_value))
				continue;
			c->status = REPORT_CHECK_REGRESSED;
			out->nregressed++;
		} else if (fabs(c->new_value - c->old_value) > c->allowed) {
			c->status = REPORT_CHECK_REGRESSED;
			out->nregressed++;
		}
	}
	json_object_foreach(stats, key, bv) {
		if (report_run_stat(run, key) != NULL)
			continue;
		c = &out->checks[k++];
		snprintf(c->stat, sizeof(c->stat), "%s", key);
		c->status = REPORT_CHECK_MISSING;
		c->is_real = json_is_real(bv);
		c->old_value = json_number_value(bv);
		c->new_value = NAN;
		c->tol = *tolerance_for(key, def, over, nover);
		out->nmissing++;
	}
	out->nchecks = k;
	return (0);
}

void
report_run_checks_finish(struct report_run_checks *c)
{
	if (c == NULL)
		return;
	free(c->checks);
	memset(c, 0, sizeof(*c));
}

/* num() - a value as the table shows it. */
static char *
num(double d, bool is_real, char *buf, size_t n)
{
	if (isnan(d))
		snprintf(buf, n, "-");
	else if (is_real)
		snprintf(buf, n, "%.9g", d);
	else
		snprintf(buf, n, "%.0f", d);
	return (buf);
}

int
report_baseline_write_table(const struct report_baseline *b,
    const struct report_run_checks *c, size_t n,
    const struct report_tolerance *def, FILE *out, struct pg_error *err)
{
	const struct report_check *k;
	size_t i, j, compared = 0, bad = 0, missing = 0, wrun = 3, wstat = 9;
	char o[32], w[32], ch[48], al[32], tol[48];
	double d;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c[i].nchecks; j++) {
			k = &c[i].checks[j];
			if (k->status != REPORT_CHECK_NEW)
				compared++;
			if (k->status != REPORT_CHECK_REGRESSED &&
			    k->status != REPORT_CHECK_MISSING)
				continue;
			if (strlen(c[i].run) > wrun)
				wrun = strlen(c[i].run);
			if (strlen(k->stat) > wstat)
				wstat = strlen(k->stat);
		}
		bad += c[i].nregressed;
		missing += c[i].nmissing;
	}
	if (wrun > 40)
		wrun = 40;
	fprintf(out, "baseline %s: %zu run%s, %zu statistics compared "
	    "(tolerance %s): ", b->path, n, n == 1 ? "" : "s", compared,
	    report_tolerance_format(def, tol, sizeof(tol)));
	if (bad == 0 && missing == 0)
		fputs("no regression\n", out);
	else
		fprintf(out, "%zu regressed, %zu missing\n", bad, missing);
	if (bad + missing > 0)
		fprintf(out, "  %-*s  %-*s  %14s  %14s  %22s  %12s\n",
		    (int)wrun, "run", (int)wstat, "statistic", "baseline",
		    "now", "change", "allowed");
	for (i = 0; i < n; i++) {
		for (j = 0; j < c[i].nchecks; j++) {
			k = &c[i].checks[j];
			if (k->status == REPORT_CHECK_MISSING) {
				snprintf(ch, sizeof(ch), "not reported");
				snprintf(al, sizeof(al), "-");
			} else if (k->status == REPORT_CHECK_REGRESSED) {
				d = k->new_value - k->old_value;
				if (k->old_value != 0)
					snprintf(ch, sizeof(ch),
					    "%+.9g (%+.1f%%)", d,
					    100 * d / fabs(k->old_value));
				else
					snprintf(ch, sizeof(ch), "%+.9g", d);
				num(k->allowed, true, al, sizeof(al));
			} else {
				continue;
			}
			fprintf(out, "  %-*.*s  %-*s  %14s  %14s  %22s  %12s\n",
			    (int)wrun, (int)wrun, c[i].run, (int)wstat,
			    k->stat,
			    num(k->old_value, k->is_real, o, sizeof(o)),
			    num(k->new_value, k->is_real, w, sizeof(w)),
			    ch, al);
		}
	}
	if (ferror(out))
		return (pg_error_setv(err, -EIO, "", PG_POS_NONE, 0,
		    "write error"));
	return (0);
}
