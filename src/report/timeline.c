/*
 * timeline.c - the bounded per-interval series of a run and their CSV and
 * JSON renderings (docs/report.md "Timeline").
 *
 * Memory: a run's rows are one array of REPORT_TIMELINE_MAX_ROWS rows
 * allocated when the run starts.  A run that outlives that many intervals
 * merges its rows in pairs and doubles its interval, as often as needed:
 * the cost is resolution, never memory, and the file says the interval
 * it used.
 */
#include "report/timeline.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pgreplay_version.h"
#include "report/guard_int.h"
#include "report/report.h"
#include "report/report_int.h"

static const char *const series_names[] = {
#define SERIES_NAME(name, count, unit, descr) #name,
	REPORT_SERIES(SERIES_NAME)
#undef SERIES_NAME
};
static const char *const series_units[] = {
#define SERIES_UNIT(name, count, unit, descr) unit,
	REPORT_SERIES(SERIES_UNIT)
#undef SERIES_UNIT
};
static const char *const series_descrs[] = {
#define SERIES_DESCR(name, count, unit, descr) descr,
	REPORT_SERIES(SERIES_DESCR)
#undef SERIES_DESCR
};
static const bool series_counts[] = {
#define SERIES_COUNT(name, count, unit, descr) count,
	REPORT_SERIES(SERIES_COUNT)
#undef SERIES_COUNT
};

const char *
report_series_name(size_t i)
{
	return (series_names[i]);
}

const char *
report_series_unit(size_t i)
{
	return (series_units[i]);
}

const char *
report_series_descr(size_t i)
{
	return (series_descrs[i]);
}

bool
report_series_is_count(size_t i)
{
	return (series_counts[i]);
}

double
guard_seconds(uint64_t ns)
{
	return ((double)(ns / 1000000000u) + (double)(ns % 1000000000u) / 1e9);
}

int
report_timeline_create(uint64_t interval_ns, struct report_timeline **out)
{
	struct report_timeline *tl;

	*out = NULL;
	if (interval_ns == 0)
		return (-EINVAL);
	tl = calloc(1, sizeof(*tl));
	if (tl == NULL)
		return (-ENOMEM);
	tl->rows = calloc(REPORT_TIMELINE_MAX_ROWS, sizeof(*tl->rows));
	tl->marks = calloc(REPORT_TIMELINE_MAX_MARKS, sizeof(*tl->marks));
	if (tl->rows == NULL || tl->marks == NULL) {
		report_timeline_destroy(tl);
		return (-ENOMEM);
	}
	tl->interval_ns = interval_ns;
	tl->requested_ns = interval_ns;
	*out = tl;
	return (0);
}

void
report_timeline_destroy(struct report_timeline *tl)
{
	if (tl == NULL)
		return;
	free(tl->rows);
	free(tl->marks);
	free(tl);
}

void
report_timeline_coarsen(struct report_timeline *tl)
{
	struct report_timeline_row *a, *b, *dst;
	size_t i, k, n = 0;

	for (i = 0; i + 1 < tl->nrows; i += 2) {
		a = &tl->rows[i];
		b = &tl->rows[i + 1];
		dst = &tl->rows[n++];
		/* Gauges of the later row; counts of both. */
		for (k = 0; k < REPORT_SERIES_COUNT; k++)
			dst->v[k] = series_counts[k] ? a->v[k] + b->v[k] :
			    b->v[k];
		dst->end_ns = b->end_ns;
	}
	if (i < tl->nrows)
		tl->rows[n++] = tl->rows[i];
	tl->nrows = n;
	tl->interval_ns *= 2;
}

void
report_timeline_push(struct report_timeline *tl, uint64_t end_ns,
    const int64_t v[REPORT_SERIES_COUNT])
{
	struct report_timeline_row *row;

	row = &tl->rows[tl->nrows++];
	row->end_ns = end_ns;
	memcpy(row->v, v, sizeof(row->v));
	/*
	 * Coarsen as soon as the buffer is full, not before the next push:
	 * the next boundary is then one of the new interval, and rows stay
	 * aligned to its multiples.
	 */
	if (tl->nrows == REPORT_TIMELINE_MAX_ROWS)
		report_timeline_coarsen(tl);
}

void
report_timeline_mark(struct report_timeline *tl, uint64_t time_ns,
    const char *label)
{
	struct report_timeline_mark *m;

	if (tl->nmarks == REPORT_TIMELINE_MAX_MARKS) {
		tl->marks_dropped++;
		return;
	}
	m = &tl->marks[tl->nmarks++];
	m->time_ns = time_ns;
	snprintf(m->label, sizeof(m->label), "%s", label);
}

uint64_t
report_timeline_equalize(struct report *r)
{
	uint64_t common = 0;
	size_t i;

	for (i = 0; i < r->nruns; i++)
		if (r->runs[i].timeline != NULL &&
		    r->runs[i].timeline->interval_ns > common)
			common = r->runs[i].timeline->interval_ns;
	/* Every interval is the same request times a power of two. */
	for (i = 0; i < r->nruns; i++)
		while (r->runs[i].timeline != NULL &&
		    r->runs[i].timeline->interval_ns < common)
			report_timeline_coarsen(r->runs[i].timeline);
	return (common);
}

int
report_timeline_format_for(const char *path, enum report_timeline_format *fmt)
{
	const char *dot = strrchr(path, '.');
	char ext[8];
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL ||
	    strlen(dot) >= sizeof(ext))
		return (-EINVAL);
	for (i = 0; dot[i] != '\0'; i++)
		ext[i] = (char)tolower((unsigned char)dot[i]);
	ext[i] = '\0';
	if (strcmp(ext, ".csv") == 0)
		*fmt = REPORT_TIMELINE_CSV;
	else if (strcmp(ext, ".json") == 0)
		*fmt = REPORT_TIMELINE_JSON;
	else
		return (-EINVAL);
	return (0);
}

/* row_start() - where row i of tl begins. */
static uint64_t
row_start(const struct report_timeline *tl, size_t i)
{
	return (i == 0 ? 0 : tl->rows[i - 1].end_ns);
}

/* seconds_csv() - ns as exact decimal seconds, 9 places (as csv.c). */
static void
seconds_csv(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%09" PRIu64, ns / 1000000000u,
	    ns % 1000000000u);
}

static int
timeline_csv(const struct report *r, FILE *out, struct pg_error *err)
{
	const struct report_timeline *tl;
	size_t i, j, k;

	fputs("run,start_s,end_s", out);
	for (k = 0; k < REPORT_SERIES_COUNT; k++)
		fprintf(out, ",%s", series_names[k]);
	fputc('\n', out);
	for (i = 0; i < r->nruns; i++) {
		tl = r->runs[i].timeline;
		for (j = 0; tl != NULL && j < tl->nrows; j++) {
			report_csv_field(out, r->runs[i].name);
			fputc(',', out);
			seconds_csv(out, row_start(tl, j));
			fputc(',', out);
			seconds_csv(out, tl->rows[j].end_ns);
			for (k = 0; k < REPORT_SERIES_COUNT; k++) {
				fputc(',', out);
				if (k == REPORT_SERIES_stall_s)
					seconds_csv(out,
					    (uint64_t)tl->rows[j].v[k]);
				else
					fprintf(out, "%" PRId64,
					    tl->rows[j].v[k]);
			}
			fputc('\n', out);
		}
	}
	if (ferror(out))
		return (pg_error_setv(err, -EIO, "", PG_POS_NONE, 0,
		    "write error"));
	return (0);
}

/* A builder that remembers whether any allocation failed (as json.c). */
struct tjb {
	bool failed;
};

static json_t *
tj(struct tjb *b, json_t *v)
{
	if (v == NULL)
		b->failed = true;
	return (v);
}

static void
tset(struct tjb *b, json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL || json_object_set_new(obj, key, v) != 0) {
		b->failed = true;
		json_decref(v);
	}
}

static void
tappend(struct tjb *b, json_t *arr, json_t *v)
{
	if (arr == NULL || v == NULL || json_array_append_new(arr, v) != 0) {
		b->failed = true;
		json_decref(v);
	}
}

static json_t *
run_json(struct tjb *b, const struct report_run *run)
{
	const struct report_timeline *tl = run->timeline;
	json_t *o, *a;
	size_t j, k;

	o = tj(b, json_object());
	tset(b, o, "name", tj(b, json_string(run->name)));
	a = tj(b, json_array());
	for (j = 0; tl != NULL && j < tl->nrows; j++)
		tappend(b, a, tj(b, json_real(guard_seconds(
		    tl->rows[j].end_ns))));
	tset(b, o, "end_s", a);
	for (k = 0; k < REPORT_SERIES_COUNT; k++) {
		a = tj(b, json_array());
		for (j = 0; tl != NULL && j < tl->nrows; j++)
			tappend(b, a, k == REPORT_SERIES_stall_s ?
			    tj(b, json_real(guard_seconds(
			    (uint64_t)tl->rows[j].v[k]))) :
			    tj(b, json_integer(tl->rows[j].v[k])));
		tset(b, o, series_names[k], a);
	}
	a = tj(b, json_array());
	for (j = 0; tl != NULL && j < tl->nmarks; j++) {
		json_t *m = tj(b, json_object());

		tset(b, m, "time_s", tj(b, json_real(guard_seconds(
		    tl->marks[j].time_ns))));
		tset(b, m, "label", tj(b, json_string(tl->marks[j].label)));
		tappend(b, a, m);
	}
	tset(b, o, "marks", a);
	tset(b, o, "marks_dropped", tj(b, json_integer(tl != NULL ?
	    (json_int_t)tl->marks_dropped : 0)));
	a = tj(b, json_array());
	for (j = 0; j < run->noom_kills; j++) {
		json_t *m = tj(b, json_object());

		tset(b, m, "time_s", tj(b, json_real(
		    run->oom_kills[j].time_s)));
		tset(b, m, "pid", tj(b, json_integer(run->oom_kills[j].pid)));
		tset(b, m, "name", tj(b, json_string(run->oom_kills[j].name)));
		tset(b, m, "pages", tj(b, json_integer(
		    (json_int_t)run->oom_kills[j].pages)));
		tappend(b, a, m);
	}
	tset(b, o, "oom_kills", a);
	return (o);
}

json_t *
guard_timeline_json(const struct report *r)
{
	struct tjb b = { false };
	uint64_t interval = 0, requested = 0;
	json_t *root, *a, *s;
	size_t i, k;

	for (i = 0; i < r->nruns; i++)
		if (r->runs[i].timeline != NULL) {
			interval = r->runs[i].timeline->interval_ns;
			requested = r->runs[i].timeline->requested_ns;
			break;
		}
	root = tj(&b, json_object());
	tset(&b, root, "pgreplay", tj(&b, json_string(PGREPLAY_VERSION)));
	tset(&b, root, "interval_s", tj(&b, json_real(guard_seconds(
	    interval))));
	tset(&b, root, "requested_interval_s", tj(&b, json_real(
	    guard_seconds(requested))));
	a = tj(&b, json_array());
	for (k = 0; k < REPORT_SERIES_COUNT; k++) {
		s = tj(&b, json_object());
		tset(&b, s, "name", tj(&b, json_string(series_names[k])));
		tset(&b, s, "unit", tj(&b, json_string(series_units[k])));
		tset(&b, s, "kind", tj(&b, json_string(series_counts[k] ?
		    "count" : "gauge")));
		tset(&b, s, "description", tj(&b, json_string(
		    series_descrs[k])));
		tappend(&b, a, s);
	}
	tset(&b, root, "series", a);
	a = tj(&b, json_array());
	for (i = 0; i < r->nruns; i++)
		tappend(&b, a, run_json(&b, &r->runs[i]));
	tset(&b, root, "runs", a);
	if (b.failed) {
		json_decref(root);
		return (NULL);
	}
	return (root);
}

int
report_write_timeline(const struct report *r, enum report_timeline_format fmt,
    FILE *out, struct pg_error *err)
{
	json_t *root;
	int rc;

	if (fmt == REPORT_TIMELINE_CSV)
		return (timeline_csv(r, out, err));
	root = guard_timeline_json(r);
	if (root == NULL)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory for the timeline"));
	rc = json_dumpf(root, out, GUARD_JSON_FLAGS);
	json_decref(root);
	if (rc != 0 || fputc('\n', out) == EOF || ferror(out))
		return (pg_error_setv(err, -EIO, "", PG_POS_NONE, 0,
		    "write error"));
	return (0);
}
