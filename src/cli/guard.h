/*
 * guard.h - the replay's extra outputs and checks: --timeline,
 * --timeline-interval, --html, --baseline, --tolerance and --junit
 * (docs/report.md).  replay.c parses the options through guard_option()
 * and calls guard_prepare() before and guard_finish() after simulating.
 */
#ifndef PGREPLAY_CLI_GUARD_H
#define PGREPLAY_CLI_GUARD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "report/baseline.h"
#include "report/report.h"

/* getopt_long values of the options (above replay.c's own). */
enum {
	GUARD_OPT_TIMELINE = 400,
	GUARD_OPT_TIMELINE_INTERVAL,
	GUARD_OPT_HTML,
	GUARD_OPT_BASELINE,
	GUARD_OPT_TOLERANCE,
	GUARD_OPT_JUNIT,
	GUARD_OPT_LAST = GUARD_OPT_JUNIT,
};

struct guard_run {
	char name[REPORT_NAME_MAX];
	size_t config;
};

struct guard {
	const char *timeline, *html, *baseline_path, *junit;
	uint64_t interval_ns;
	bool interval_set, tolerance_set;
	struct report_tolerance tol;
	struct report_baseline *baseline;
	/* Per configuration file: the tolerances of its expect section. */
	struct report_stat_tolerance **over;
	size_t *nover;
	size_t nconfigs;
	/* Every run of the replay (sweeps expanded): name and its file. */
	struct guard_run *runs;
	size_t nruns;
	volatile sig_atomic_t *interrupted;
};

/* guard_init() - no option given; interrupted is replay.c's signal flag. */
void guard_init(struct guard *g, volatile sig_atomic_t *interrupted);

/*
 * guard_option() - take option ch (GUARD_OPT_*) with its argument.
 * Returns 0, or EXIT_BAD_INPUT after printing a usage error.
 */
int guard_option(struct guard *g, int ch, const char *arg);

/*
 * guard_check_args() - the options make sense together (--tolerance
 * needs --baseline, --timeline-interval a timeline or --html).  Returns
 * 0 or EXIT_BAD_INPUT (printed).
 */
int guard_check_args(const struct guard *g);

/* guard_interval() - the sampling interval runs need (0: no timeline). */
uint64_t guard_interval(const struct guard *g);

/*
 * guard_prepare() - before anything runs: parse every `tolerance` of the
 * expect sections of the n configuration files cfgs, name their runs
 * (sweeps expanded, as the replay does), read the baseline and match its
 * runs with those of the replay by name; with --shard (shard_count > 1)
 * only with this shard's runs.  Returns 0 or EXIT_BAD_INPUT (printed:
 * file, line and reason).
 */
int guard_prepare(struct guard *g, const struct pg_config *cfgs, size_t n,
    uint32_t shard_index, uint32_t shard_count);

/*
 * guard_finish() - after the report is complete: write the timeline,
 * the HTML page, compare with the baseline (its table on stderr unless
 * quiet) and write the JUnit file.  Returns 0, EXIT_CHECK_FAILED when a
 * statistic regressed, EXIT_BAD_INPUT (printed) when a file cannot be
 * written or the baseline lacks a statistic, or 128 + signal.
 */
int guard_finish(struct guard *g, struct report *report, bool quiet);

/* guard_free() - release what g holds. */
void guard_free(struct guard *g);

#endif
