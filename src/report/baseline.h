/*
 * baseline.h - the CI regression mode (`--baseline OLD.json`,
 * `--tolerance`, docs/report.md "Baseline"): read a saved JSON report with
 * jansson, match its runs to this replay's by name and compare every
 * statistic within a tolerance.
 *
 * A statistic regresses when it drifts from the baseline by more than its
 * tolerance allows, in either direction: a saved report is a statement of
 * what the model does, and an improvement is accepted by saving a new
 * baseline, not silently.
 */
#ifndef PGREPLAY_REPORT_BASELINE_H
#define PGREPLAY_REPORT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/report.h"
#include "util/pgerr.h"

/* Allowed drift: |new - old| <= max(rel * |old|, abs). */
struct report_tolerance {
	double rel;
	double abs;
};

/* One statistic of one run against the baseline. */
enum report_check_status {
	REPORT_CHECK_OK = 0,
	REPORT_CHECK_REGRESSED,	/* drifted beyond its tolerance */
	REPORT_CHECK_MISSING,	/* in the baseline, not reported now */
	REPORT_CHECK_NEW,	/* reported now, not in the baseline */
};

struct report_check {
	char stat[64];
	enum report_check_status status;
	bool is_real;
	double old_value;		/* NaN when NEW */
	double new_value;		/* NaN when MISSING */
	struct report_tolerance tol;
	double allowed;			/* drift its tolerance allows */
};

/* The checks of one run, in the order of its stats (then MISSING ones). */
struct report_run_checks {
	char run[REPORT_NAME_MAX];
	struct report_check *checks;	/* owned */
	size_t nchecks;
	size_t nregressed, nmissing;
};

/* A per-statistic tolerance (the config's `expect: STAT: {tolerance:}`). */
struct report_stat_tolerance {
	char stat[64];
	struct report_tolerance tol;
};

struct report_baseline;

/*
 * report_tolerance_parse() - "0.05", "5%", "abs=10", "5%,abs=10",
 * "rel=5%,abs=0.5" (parts in any order, each at most once; "0" is
 * exact).  Returns 0 and *t, or -EINVAL with a reason in msg (n bytes)
 * saying what was expected.
 */
int report_tolerance_parse(const char *s, struct report_tolerance *t,
    char *msg, size_t n);

/*
 * report_tolerance_format() - t as the syntax above ("5%,abs=10", "0");
 * writes at most n bytes, returns buf.
 */
char *report_tolerance_format(const struct report_tolerance *t, char *buf,
    size_t n);

/*
 * report_baseline_load() - read the JSON report at path: an object whose
 * "runs" array holds objects with a string "name" and an object "stats"
 * of numbers.  Returns 0 and *out (free with report_baseline_destroy()),
 * or a negative errno with err naming the file (and line for a JSON
 * syntax error) and what was expected.
 */
int report_baseline_load(const char *path, struct report_baseline **out,
    struct pg_error *err);

/* report_baseline_destroy() - free b; NULL is a no-op. */
void report_baseline_destroy(struct report_baseline *b);

/*
 * report_baseline_match() - the n run names must be exactly the
 * baseline's runs (each present once on both sides).  Returns 0, or
 * -ENOENT with err naming the baseline file and the first run missing on
 * either side.
 */
int report_baseline_match(const struct report_baseline *b,
    const char *const *names, size_t n, struct pg_error *err);

/*
 * report_baseline_compare() - compare every statistic of run with the
 * baseline run of the same name, with tolerance def unless over[] (n
 * entries) names the statistic.  Seconds are compared after rounding to
 * whole nanoseconds and every real as the JSON report prints it (15
 * significant digits), so a report compared with itself never drifts.
 * Fills *out (release with report_run_checks_finish()).  Returns 0,
 * -ENOENT if the baseline has no such run, or -ENOMEM.
 */
int report_baseline_compare(const struct report_baseline *b,
    const struct report_run *run, const struct report_tolerance *def,
    const struct report_stat_tolerance *over, size_t nover,
    struct report_run_checks *out);

/* report_run_checks_finish() - free what c owns; NULL is a no-op. */
void report_run_checks_finish(struct report_run_checks *c);

/*
 * report_baseline_write_table() - a readable account on out: one summary
 * line, then a table of every statistic that regressed or is missing
 * (run, statistic, baseline, now, change, allowed).  Returns 0 or -EIO
 * with err filled.
 */
int report_baseline_write_table(const struct report_baseline *b,
    const struct report_run_checks *c, size_t n,
    const struct report_tolerance *def, FILE *out, struct pg_error *err);

/* report_baseline_path() - the file b was read from. */
const char *report_baseline_path(const struct report_baseline *b);

#endif
