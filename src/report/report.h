/*
 * report.h - what a replay produces, as plain data, and its renderings
 * (interfaces.md section 4, docs/report.md).  The simulator fills struct
 * report_run; this module knows nothing of the model, evaluates the
 * `expect` assertions and writes text, JSON and CSV.
 *
 * Ownership: every array and every string pointer of a struct report_run
 * (sysctl, domains and their fields, stats, oom_kills, processes and their
 * extra, expect) is allocated with malloc() and owned by the run, released
 * by report_run_finish(); struct report_process.fate is the exception, a
 * static string.  struct report itself does not own its runs array.  A
 * run owns its timeline too (report/timeline.h).
 */
#ifndef PGREPLAY_REPORT_REPORT_H
#define PGREPLAY_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/pgerr.h"

#define REPORT_NAME_MAX 256 /* as CONF_NAME_MAX: a sweep name must fit */

struct report_timeline; /* report/timeline.h */

/* A named value: integers stay integers in JSON; seconds are reals. */
struct report_value {
	char name[64];
	bool is_real;
	int64_t i;
	double d;
};

struct report_domain {
	uint32_t index;
	struct report_value
	    *fields; /* page_count, free_min, ... (interfaces.md 4) */
	size_t nfields;
};

struct report_oom_kill {
	double time_s;
	uint32_t pid;
	char name[64];
	uint64_t pages;
};

struct report_process {
	uint32_t pid;
	char name[64];
	const char *fate; /* "exited", "killed", "running", "stalled" */
	uint64_t stalls;
	double stall_time_s;
	struct report_value *extra; /* more per-process figures */
	size_t nextra;
};

/* One evaluated `expect` assertion (report_check_expect()). */
struct report_expect {
	char stat[64];
	bool ok;
	bool found;   /* the run reports this statistic */
	bool is_real; /* the statistic is a real (value printed as such) */
	double value;
	bool has_min, has_max;
	double min, max;
	char min_text[32], max_text[32]; /* as written ("" prints %.15g) */
};

/* One assertion to evaluate: plain data, filled from the configuration. */
struct report_bound {
	char stat[64];
	bool has_min, has_max;
	double min, max;
	char min_text[32], max_text[32]; /* as written, or "" */
};

/* The renderings of a report. */
enum report_format {
	REPORT_FORMAT_TEXT = 0,
	REPORT_FORMAT_JSON,
	REPORT_FORMAT_CSV,
};

#define REPORT_VARIANTS_MAX 32	/* model variants one run may name */

struct report_run {
	char name[REPORT_NAME_MAX];
	/* The model variants the run used, in their order; none: the seed. */
	char variants[REPORT_VARIANTS_MAX][48];
	size_t nvariants;
	struct report_value *sysctl; /* effective values */
	size_t nsysctl;
	struct report_domain *domains;
	size_t ndomains;
	struct report_value *stats; /* counters, in a fixed order */
	size_t nstats;
	struct report_oom_kill *oom_kills;
	size_t noom_kills;
	struct report_process *processes; /* in order of appearance */
	size_t nprocesses;
	bool panic;
	double panic_time_s;
	char panic_reason[128];
	struct report_expect *expect;
	size_t nexpect;
	struct report_timeline *timeline; /* owned; NULL unless sampled */
};

struct report_trace {
	char path[512];
	char format[32]; /* "text", "binary" */
	bool compressed;
	uint64_t events;
	double duration_s;
};

/* Which slice of the runs a `--shard I/N` report holds (docs/scaling.md). */
struct report_shard {
	uint32_t index;	     /* I, from 1; 0 when the report is not a shard */
	uint32_t count;	     /* N */
	uint64_t total_runs; /* runs of the whole replay, all shards */
};

struct report {
	struct report_trace trace;
	struct report_shard shard;
	struct report_run *runs;
	size_t nruns;
};

/*
 * report_run_finish() - free what a run owns (not the struct itself) and
 * zero it, so that a second call is harmless.  NULL is a no-op.
 */
void report_run_finish(struct report_run *run);

/*
 * report_run_stat() - the stat called name in run->stats, or NULL.
 * The pointer stays valid until the run is finished.
 */
const struct report_value *report_run_stat(const struct report_run *run,
    const char *name);

/*
 * report_check_expect() - evaluate the n assertions of b against run's
 * stats and store the outcome in run->expect (replacing what it held), in
 * the order of b.  An assertion holds when the statistic exists and
 * min <= value <= max for the bounds that are set; a statistic the run
 * does not report fails (found = false).  Returns the number of failed
 * assertions (0 .. n), or -ENOMEM (run->expect then empty).
 */
int report_check_expect(struct report_run *run, const struct report_bound *b,
    size_t n);

/*
 * report_expect_failures() - the number of failed assertions in all runs
 * of r (as evaluated by report_check_expect()).
 */
size_t report_expect_failures(const struct report *r);

/*
 * report_format_parse() - "text", "json" or "csv" to *fmt.  Returns 0, or
 * -EINVAL for any other name (*fmt unchanged).
 */
int report_format_parse(const char *name, enum report_format *fmt);

/*
 * report_write() - render r in format fmt on out (report_write_text(),
 * report_write_json() or report_write_csv()).  Returns 0 or a negative
 * errno with err filled.
 */
int report_write(const struct report *r, enum report_format fmt, FILE *out,
    struct pg_error *err);

/*
 * report_write_json() - the JSON document of interfaces.md section 4,
 * through jansson: keys in a fixed order, 2-space indentation, a final
 * newline.  Integers are JSON integers; reals are printed with 15
 * significant digits after rounding seconds to whole nanoseconds, so the
 * same report always gives byte-identical output and a time computed
 * from integer nanoseconds prints as its exact decimal ("12.000000123").
 * Non-finite reals are written as null.  Returns 0, or a negative errno
 * with err filled (-ENOMEM, -EIO on a write error).  Nothing is written
 * before the document is complete in memory.
 */
int report_write_json(const struct report *r, FILE *out, struct pg_error *err);

/*
 * report_write_text() - a readable summary: the trace, then one table of
 * key figures with one column per run (side by side when several), then
 * per run its OOM kills, panic, stalled processes and expect outcomes.
 * Returns 0, or -EIO with err filled on a write error.
 */
int report_write_text(const struct report *r, FILE *out, struct pg_error *err);

/*
 * report_write_csv() - RFC 4180 CSV: a header row ("run", every sysctl,
 * every stat, "panic", "expect_failed") then one row per run.  The
 * columns are those of the first run; a value a later run lacks is left
 * empty.  Fields with a comma, quote or newline are quoted.  Returns 0,
 * or -EIO with err filled on a write error.
 */
int report_write_csv(const struct report *r, FILE *out, struct pg_error *err);

#endif
