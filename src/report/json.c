/*
 * json.c - the JSON report of interfaces.md section 4, built with jansson.
 *
 * The whole document is built in memory first and dumped in one go, so a
 * failure (out of memory) never leaves half a document on the stream.
 * Keys are inserted in the documented order and dumped with
 * JSON_PRESERVE_ORDER; reals go through jb_seconds()/jb_real() so that
 * the text of a number depends only on its value.
 */
#include "report/report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pgreplay_version.h"
#include "report/report_int.h"

/*
 * 15 significant digits: every decimal of up to 15 digits survives the
 * trip through a double, so a time rounded to nanoseconds below 10^6 s
 * prints as its exact decimal, and the tail noise of a sum of doubles
 * (0.30000000000000004) is not shown.
 */
#define JSON_FLAGS \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* A builder that remembers whether any allocation failed. */
struct jb {
	bool failed;
};

static json_t *
jb_check(struct jb *b, json_t *v)
{
	if (v == NULL)
		b->failed = true;
	return (v);
}

/* jb_set() - obj[key] = v (stolen); records failure instead of returning it. */
static void
jb_set(struct jb *b, json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || obj == NULL) {
		b->failed = true;
		json_decref(v);
		return;
	}
	if (json_object_set_new(obj, key, v) != 0)
		b->failed = true;
}

static void
jb_append(struct jb *b, json_t *arr, json_t *v)
{
	if (v == NULL || arr == NULL) {
		b->failed = true;
		json_decref(v);
		return;
	}
	if (json_array_append_new(arr, v) != 0)
		b->failed = true;
}

/*
 * jb_string() - a JSON string of s.  Names come from traces and may not be
 * UTF-8, which jansson refuses; such bytes are replaced by '?' rather than
 * failing the whole report.
 */
static json_t *
jb_string(struct jb *b, const char *s)
{
	json_t *v;
	char *copy;
	size_t i;

	if (s == NULL)
		return (jb_check(b, json_null()));
	v = json_string(s);
	if (v != NULL)
		return (v);
	copy = strdup(s);
	if (copy == NULL)
		return (jb_check(b, NULL));
	for (i = 0; copy[i] != '\0'; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	v = json_string(copy);
	free(copy);
	return (jb_check(b, v));
}

/* jb_real() - a real, or null when it is not finite (JSON has no NaN). */
static json_t *
jb_real(struct jb *b, double d)
{
	if (!isfinite(d))
		return (jb_check(b, json_null()));
	/* Avoid "-0.0": it is the same value, and diffs should not show it. */
	if (d == 0.0)
		d = 0.0;
	return (jb_check(b, json_real(d)));
}

/* jb_seconds() - a time in seconds, rounded to whole nanoseconds. */
static json_t *
jb_seconds(struct jb *b, double s)
{
	return (jb_real(b, report_round_ns(s)));
}

static json_t *
jb_value(struct jb *b, const struct report_value *v)
{
	if (!v->is_real)
		return (jb_check(b, json_integer((json_int_t)v->i)));
	if (report_is_seconds(v->name))
		return (jb_seconds(b, v->d));
	return (jb_real(b, v->d));
}

static json_t *
jb_values(struct jb *b, const struct report_value *v, size_t n)
{
	json_t *obj = jb_check(b, json_object());
	size_t i;

	for (i = 0; i < n; i++)
		jb_set(b, obj, v[i].name, jb_value(b, &v[i]));
	return (obj);
}

/*
 * jb_bound() - an expect bound or value: an integer when the statistic is
 * an integer and the number is integral (as the user most likely wrote
 * it), otherwise a real.
 */
static json_t *
jb_bound(struct jb *b, bool is_real, double d)
{
	if (!is_real && isfinite(d) && d == floor(d) && fabs(d) < 9e15)
		return (jb_check(b, json_integer((json_int_t)d)));
	return (jb_real(b, d));
}

static json_t *
jb_trace(struct jb *b, const struct report_trace *t)
{
	json_t *obj = jb_check(b, json_object());

	jb_set(b, obj, "path", jb_string(b, t->path));
	jb_set(b, obj, "format", jb_string(b, t->format));
	jb_set(b, obj, "compressed", jb_check(b, json_boolean(t->compressed)));
	jb_set(b, obj, "events",
	    jb_check(b, json_integer((json_int_t)t->events)));
	jb_set(b, obj, "duration_s", jb_seconds(b, t->duration_s));
	return (obj);
}

static json_t *
jb_int(struct jb *b, int64_t i)
{
	return (jb_check(b, json_integer((json_int_t)i)));
}

static json_t *
jb_settings(struct jb *b, const struct report_setting *v, size_t n)
{
	json_t *obj = jb_check(b, json_object());
	size_t i;

	for (i = 0; i < n; i++)
		jb_set(b, obj, v[i].name, jb_int(b, v[i].value));
	return (obj);
}

static json_t *
jb_config(struct jb *b, const struct report_run *run)
{
	json_t *obj = jb_check(b, json_object());

	jb_set(b, obj, "path", jb_string(b, run->config_path));
	jb_set(b, obj, "sweep", jb_settings(b, run->sweep, run->nsweep));
	jb_set(b, obj, "values", jb_settings(b, run->config, run->nconfig));
	return (obj);
}

/* jb_why() - an OOM explanation, as data (docs/report.md). */
static json_t *
jb_why(struct jb *b, const struct report_oom_why *w)
{
	json_t *obj, *arr, *o;
	size_t i, nfailed = 0;

	if (!w->valid)
		return (jb_check(b, json_null()));
	obj = jb_check(b, json_object());
	jb_set(b, obj, "domain", jb_int(b, w->domain));
	jb_set(b, obj, "domains", jb_int(b, w->ndomains));
	jb_set(b, obj, "pageout_oom_seq", jb_int(b, w->pageout_oom_seq));
	for (i = 0; i < w->nscans; i++)
		if (w->scans[i].failed)
			nfailed++;
	jb_set(b, obj, "failing_scans_listed", jb_int(b, (int64_t)nfailed));
	arr = jb_check(b, json_array());
	for (i = 0; i < w->nscans; i++) {
		const struct report_oom_scan *sc = &w->scans[i];

		o = jb_check(b, json_object());
		jb_set(b, o, "time_s", jb_seconds(b, sc->time_s));
		jb_set(b, o, "page_shortage", jb_int(b, sc->asked));
		jb_set(b, o, "freed", jb_int(b, sc->freed));
		jb_set(b, o, "failed", jb_check(b, json_boolean(sc->failed)));
		jb_set(b, o, "oom_seq", jb_int(b, sc->oom_seq));
		jb_set(b, o, "free_count", jb_int(b, (int64_t)sc->free_count));
		jb_set(b, o, "inactive", jb_int(b, (int64_t)sc->inactive));
		jb_set(b, o, "active", jb_int(b, (int64_t)sc->active));
		jb_set(b, o, "laundry", jb_int(b, (int64_t)sc->laundry));
		jb_set(b, o, "unswappable",
		    jb_int(b, (int64_t)sc->unswappable));
		jb_set(b, o, "laundry_request",
		    jb_string(b, sc->laundry_request));
		jb_set(b, o, "laundered",
		    sc->has_laundered ? jb_int(b, (int64_t)sc->laundered) :
					jb_check(b, json_null()));
		jb_set(b, o, "swap_used", jb_int(b, (int64_t)sc->swap_used));
		jb_append(b, arr, o);
	}
	jb_set(b, obj, "scans", arr);
	jb_set(b, obj, "free_count", jb_int(b, (int64_t)w->free_count));
	jb_set(b, obj, "free_min", jb_int(b, (int64_t)w->free_min));
	jb_set(b, obj, "free_severe", jb_int(b, (int64_t)w->free_severe));
	jb_set(b, obj, "free_target", jb_int(b, (int64_t)w->free_target));
	jb_set(b, obj, "inactive", jb_int(b, (int64_t)w->inactive));
	jb_set(b, obj, "active", jb_int(b, (int64_t)w->active));
	jb_set(b, obj, "laundry", jb_int(b, (int64_t)w->laundry));
	jb_set(b, obj, "unswappable", jb_int(b, (int64_t)w->unswappable));
	jb_set(b, obj, "inactive_target",
	    jb_int(b, (int64_t)w->inactive_target));
	jb_set(b, obj, "swap_used", jb_int(b, (int64_t)w->swap_used));
	jb_set(b, obj, "swap_total", jb_int(b, (int64_t)w->swap_total));
	jb_set(b, obj, "pid_output", jb_int(b, w->pid_output));
	jb_set(b, obj, "pass", jb_int(b, w->pass));
	o = jb_check(b, json_object());
	jb_set(b, o, "request", jb_string(b, w->laundry_request));
	jb_set(b, o, "state", jb_string(b, w->lw_state));
	jb_set(b, o, "target", jb_int(b, w->lw_target));
	jb_set(b, o, "last_target", jb_int(b, w->lw_last_target));
	jb_set(b, o, "in_shortfall",
	    jb_check(b, json_boolean(w->lw_in_shortfall)));
	jb_set(b, o, "laundered_background",
	    jb_int(b, (int64_t)w->laundered_background));
	jb_set(b, o, "laundered_shortfall",
	    jb_int(b, (int64_t)w->laundered_shortfall));
	jb_set(b, o, "swappgsout", jb_int(b, (int64_t)w->swappgsout));
	jb_set(b, obj, "laundry_thread", o);
	jb_set(b, obj, "victim_pages", jb_int(b, (int64_t)w->victim_pages));
	return (obj);
}

static json_t *
jb_verdict(struct jb *b, const struct report_oom_why *w)
{
	char buf[512];

	return (jb_string(b, report_oom_verdict(w, buf, sizeof(buf))));
}

static json_t *
jb_phases(struct jb *b, const struct report_run *run)
{
	json_t *arr = jb_check(b, json_array()), *o;
	size_t i;

	for (i = 0; i < run->nphases; i++) {
		const struct report_phase *ph = &run->phases[i];

		o = jb_check(b, json_object());
		jb_set(b, o, "name", jb_string(b, ph->name));
		jb_set(b, o, "start_s", jb_seconds(b, ph->start_s));
		jb_set(b, o, "end_s", jb_seconds(b, ph->end_s));
		jb_set(b, o, "stats", jb_values(b, ph->stats, ph->nstats));
		jb_append(b, arr, o);
	}
	return (arr);
}

static json_t *
jb_run(struct jb *b, const struct report_run *run)
{
	json_t *obj = jb_check(b, json_object());
	json_t *arr, *o;
	size_t i;

	jb_set(b, obj, "name", jb_string(b, run->name));
	arr = jb_check(b, json_array());
	for (i = 0; i < run->nvariants && i < REPORT_VARIANTS_MAX; i++)
		jb_append(b, arr, jb_string(b, run->variants[i]));
	o = jb_check(b, json_object());
	jb_set(b, o, "variants", arr);
	jb_set(b, obj, "model", o);
	jb_set(b, obj, "sysctl", jb_values(b, run->sysctl, run->nsysctl));

	arr = jb_check(b, json_array());
	for (i = 0; i < run->ndomains; i++)
		jb_append(b, arr,
		    jb_values(b, run->domains[i].fields,
			run->domains[i].nfields));
	jb_set(b, obj, "domains", arr);

	jb_set(b, obj, "stats", jb_values(b, run->stats, run->nstats));

	arr = jb_check(b, json_array());
	for (i = 0; i < run->noom_kills; i++) {
		const struct report_oom_kill *k = &run->oom_kills[i];

		o = jb_check(b, json_object());
		jb_set(b, o, "time_s", jb_seconds(b, k->time_s));
		jb_set(b, o, "pid", jb_check(b, json_integer(k->pid)));
		jb_set(b, o, "name", jb_string(b, k->name));
		jb_set(b, o, "pages",
		    jb_check(b, json_integer((json_int_t)k->pages)));
		jb_set(b, o, "verdict", jb_verdict(b, &k->why));
		jb_set(b, o, "explanation", jb_why(b, &k->why));
		jb_append(b, arr, o);
	}
	jb_set(b, obj, "oom_kills", arr);

	arr = jb_check(b, json_array());
	for (i = 0; i < run->nprocesses; i++) {
		const struct report_process *p = &run->processes[i];
		size_t j;

		o = jb_check(b, json_object());
		jb_set(b, o, "pid", jb_check(b, json_integer(p->pid)));
		jb_set(b, o, "name", jb_string(b, p->name));
		jb_set(b, o, "fate", jb_string(b, p->fate));
		jb_set(b, o, "stalls",
		    jb_check(b, json_integer((json_int_t)p->stalls)));
		jb_set(b, o, "stall_time_s", jb_seconds(b, p->stall_time_s));
		for (j = 0; j < p->nextra; j++)
			jb_set(b, o, p->extra[j].name,
			    jb_value(b, &p->extra[j]));
		jb_append(b, arr, o);
	}
	jb_set(b, obj, "processes", arr);

	if (run->panic) {
		o = jb_check(b, json_object());
		jb_set(b, o, "time_s", jb_seconds(b, run->panic_time_s));
		jb_set(b, o, "reason", jb_string(b, run->panic_reason));
		jb_set(b, o, "verdict", jb_verdict(b, &run->panic_why));
		jb_set(b, o, "explanation", jb_why(b, &run->panic_why));
		jb_set(b, obj, "panic", o);
	} else
		jb_set(b, obj, "panic", jb_check(b, json_null()));

	arr = jb_check(b, json_array());
	for (i = 0; i < run->nexpect; i++) {
		const struct report_expect *e = &run->expect[i];

		o = jb_check(b, json_object());
		jb_set(b, o, "stat", jb_string(b, e->stat));
		jb_set(b, o, "ok", jb_check(b, json_boolean(e->ok)));
		jb_set(b, o, "value",
		    e->found ? jb_bound(b, e->is_real, e->value) :
			       jb_check(b, json_null()));
		jb_set(b, o, "min",
		    e->has_min ? jb_bound(b, e->is_real, e->min) :
				 jb_check(b, json_null()));
		jb_set(b, o, "max",
		    e->has_max ? jb_bound(b, e->is_real, e->max) :
				 jb_check(b, json_null()));
		jb_append(b, arr, o);
	}
	jb_set(b, obj, "expect", arr);
	jb_set(b, obj, "config", jb_config(b, run));
	/* Only a trace with `mark` events has phases (docs/report.md). */
	if (run->nphases > 0) {
		jb_set(b, obj, "phases", jb_phases(b, run));
		if (run->phases_truncated)
			jb_set(b, obj, "phases_truncated",
			    jb_check(b, json_true()));
	}
	return (obj);
}

int
report_write_json(const struct report *r, FILE *out, struct pg_error *err)
{
	struct jb b = { .failed = false };
	json_t *root, *runs;
	size_t i;
	int rc = 0;

	root = jb_check(&b, json_object());
	jb_set(&b, root, "pgreplay", jb_string(&b, PGREPLAY_VERSION));
	jb_set(&b, root, "schema_version", jb_int(&b, REPORT_SCHEMA_VERSION));
	jb_set(&b, root, "trace", jb_trace(&b, &r->trace));
	if (r->shard.index != 0) {
		json_t *sh = jb_check(&b, json_object());

		jb_set(&b, sh, "index", jb_check(&b,
		    json_integer((json_int_t)r->shard.index)));
		jb_set(&b, sh, "count", jb_check(&b,
		    json_integer((json_int_t)r->shard.count)));
		jb_set(&b, sh, "total_runs", jb_check(&b,
		    json_integer((json_int_t)r->shard.total_runs)));
		jb_set(&b, root, "shard", sh);
	}
	runs = jb_check(&b, json_array());
	for (i = 0; i < r->nruns; i++)
		jb_append(&b, runs, jb_run(&b, &r->runs[i]));
	jb_set(&b, root, "runs", runs);

	if (b.failed) {
		rc = pg_error_setv(err, -ENOMEM, NULL, PG_POS_NONE, 0,
		    "out of memory while building the JSON report");
		goto out;
	}
	if (json_dumpf(root, out, JSON_FLAGS) != 0 || fputc('\n', out) == EOF ||
	    ferror(out))
		rc = pg_error_setv(err, -EIO, NULL, PG_POS_NONE, 0,
		    "cannot write the JSON report: %s", strerror(errno));
out:
	json_decref(root);
	return (rc);
}
