/*
 * report.h - what a replay produces, as plain data, and its renderings
 * (interfaces.md section 4, docs/report.md).  The simulator fills struct
 * report_run; this module knows nothing of the model, evaluates the
 * `expect` assertions and writes text, JSON and CSV.
 *
 * Ownership: every array and every string pointer of a struct report_run
 * (sysctl, domains and their fields, stats, oom_kills, processes and their
 * extra, expect, config, sweep, phases and their stats) is allocated with
 * malloc() and owned by the run, released by report_run_finish(); struct
 * report_process.fate is the exception, a static string.  struct report
 * itself does not own its runs array.  A run owns its timeline too
 * (report/timeline.h).
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

/* The model's page size: reports convert page counts to MiB with it. */
#define REPORT_PAGE_SIZE 4096u

/*
 * The version of the JSON document's shape (docs/report.md, "Schema
 * version"): raised when a key is removed, renamed or changes type or
 * meaning, never for an added key.
 */
#define REPORT_SCHEMA_VERSION 1

#define REPORT_OOM_SCANS 16 /* scans an explanation lists, at most */

/* One page daemon scan before an OOM kill (plain data, no words). */
struct report_oom_scan {
	double time_s;
	int64_t asked;	  /* the page_shortage the scan started with */
	int64_t freed;	  /* pages its inactive pass freed (asked - left) */
	int64_t oom_seq;  /* failing scans in a row after it */
	bool failed;	  /* it wanted pages and freed none */
	uint64_t free_count;
	uint64_t inactive, active, laundry, unswappable;
	char laundry_request[16]; /* "idle", "background", "shortfall" */
	bool has_laundered;	  /* false for the first scan listed */
	uint64_t laundered;	  /* pages laundered since the previous one */
	uint64_t swap_used;	  /* pages of swap in use */
};

/*
 * Why the OOM killer fired (or vm.panic_on_oom panicked): what the model
 * recorded at the decision, as data.  report_oom_verdict() puts it into
 * words.  All counts in pages.
 */
struct report_oom_why {
	bool valid; /* false: no record (an older simulator) */
	bool panic;
	uint32_t domain, ndomains;
	int64_t pageout_oom_seq;
	size_t nscans; /* the last scans of the deciding domain, oldest first */
	struct report_oom_scan scans[REPORT_OOM_SCANS];
	uint64_t free_count, free_min, free_severe, free_target;
	uint64_t inactive, active, laundry, unswappable, inactive_target;
	char laundry_request[16];
	uint64_t swap_used, swap_total;
	int64_t pid_output; /* the PID controller's last output (pages) */
	int64_t pass;	    /* the page daemon's pass */
	int64_t lw_target;  /* pages the laundry thread still aims to launder */
	int64_t lw_last_target;
	bool lw_in_shortfall;
	char lw_state[32]; /* "asleep", "pausing", "waiting for swap I/O", ... */
	uint64_t laundered_background, laundered_shortfall; /* totals so far */
	uint64_t swappgsout;
	uint64_t victim_pages;
};

struct report_oom_kill {
	double time_s;
	uint32_t pid;
	char name[64];
	uint64_t pages;
	struct report_oom_why why;
};

/* One configuration key as the run used it (docs/report.md, "config"). */
struct report_setting {
	char name[64];	/* the key as a sweep names it: "machine.memory" */
	int64_t value;	/* in the key's storage unit */
	char unit[12];	/* "bytes", "ns", "ppm", "bytes/s" or "" */
	char text[32];	/* as a configuration would spell it: "64MiB" */
};

/*
 * The statistics of one phase: from a trace `mark` to the next, or to the
 * end of the run; stats holds the change of every additive statistic.
 */
struct report_phase {
	char name[64];
	double start_s, end_s;
	struct report_value *stats;
	size_t nstats;
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
	REPORT_FORMAT_CSV_PHASES, /* one row per run and phase */
	REPORT_FORMAT_CSV_OOM,	  /* one row per OOM kill or panic */
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
	/* Added with schema_version 1 (docs/report.md): */
	char config_path[512]; /* "" for the built-in defaults */
	struct report_setting *config; /* every key but the sysctls */
	size_t nconfig;
	struct report_setting *sweep; /* the sweep values of this run */
	size_t nsweep;
	struct report_oom_why panic_why;
	struct report_phase *phases; /* none without `mark` events */
	size_t nphases;
	bool phases_truncated; /* marks beyond REPORT_PHASES_MAX were merged */
};

#define REPORT_PHASES_MAX 1024

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
 * report_oom_verdict() - one line in a tuner's words saying why the kill
 * or panic explained by w happened and what avoids it, into buf (always
 * NUL-terminated if n > 0).  Returns buf.  The same data always gives the
 * same words.
 */
char *report_oom_verdict(const struct report_oom_why *w, char *buf, size_t n);

/*
 * report_format_parse() - "text", "json", "csv", "csv-phases" or
 * "csv-oom" to *fmt.  Returns 0, or
 * -EINVAL for any other name (*fmt unchanged).
 */
int report_format_parse(const char *name, enum report_format *fmt);

/*
 * report_write() - render r in format fmt on out (report_write_text(),
 * report_write_json(), report_write_csv() and the two CSV tables).  Returns 0 or a negative
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
 * report_write_text() - a readable summary: the trace; the runs with their
 * letters and effective configuration (later runs: what differs from the
 * first); the sections Allocation, Reclaim, Laundering, Swap and OOM with
 * one column per run and each later run's change against the first, "!"
 * where worse; then per run its OOM kills with their explanation, panic,
 * stalled processes, phases and expect outcomes.  At most 80 columns for
 * up to three runs.  Returns 0, or -EIO with err filled on a write error.
 */
int report_write_text(const struct report *r, FILE *out, struct pg_error *err);

/*
 * report_write_csv() - RFC 4180 CSV: a header row ("run", every sysctl,
 * every stat, "panic", "expect_failed", "config_path", every other
 * configuration key, "sweep", "oom_verdicts", "phases") then one row per
 * run.  The columns are those of the first run; a value a later run lacks
 * is left empty.  Fields with a comma, quote or newline are quoted.
 * report_write_csv_phases() writes one row per run and phase,
 * report_write_csv_oom() one per OOM kill or panic (docs/report.md).
 * Returns 0, or -EIO with err filled on a write error.
 */
int report_write_csv(const struct report *r, FILE *out, struct pg_error *err);

#endif
