/*
 * report.h - what a replay produces, as plain data, and its renderings
 * (interfaces.md section 4).  The simulator fills struct report_run; this
 * module knows nothing of the model and writes text and JSON.
 */
#ifndef PGREPLAY_REPORT_REPORT_H
#define PGREPLAY_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/pgerr.h"

#define REPORT_NAME_MAX 128

/* A named value: integers stay integers in JSON; seconds are reals. */
struct report_value {
	char name[64];
	bool is_real;
	int64_t i;
	double d;
};

struct report_domain {
	uint32_t index;
	struct report_value *fields;	/* page_count, free_min, ... (interfaces.md 4) */
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
	const char *fate;	/* "exited", "killed", "running", "stalled" */
	uint64_t stalls;
	double stall_time_s;
	struct report_value *extra;	/* more per-process figures */
	size_t nextra;
};

struct report_expect {
	char stat[64];
	bool ok;
	bool found;
	double value;
	bool has_min, has_max;
	double min, max;
};

struct report_run {
	char name[REPORT_NAME_MAX];
	struct report_value *sysctl;	/* effective values */
	size_t nsysctl;
	struct report_domain *domains;
	size_t ndomains;
	struct report_value *stats;	/* counters, in a fixed order */
	size_t nstats;
	struct report_oom_kill *oom_kills;
	size_t noom_kills;
	struct report_process *processes;	/* in order of appearance */
	size_t nprocesses;
	bool panic;
	double panic_time_s;
	char panic_reason[128];
	struct report_expect *expect;
	size_t nexpect;
};

struct report_trace {
	char path[512];
	char format[32];		/* "text", "binary" */
	bool compressed;
	uint64_t events;
	double duration_s;
};

struct report {
	struct report_trace trace;
	struct report_run *runs;
	size_t nruns;
};

/* report_run_finish() - free what a run owns (not the struct itself); NULL ok. */
void report_run_finish(struct report_run *run);

/* report_run_stat() - the stat called name, or NULL. */
const struct report_value *report_run_stat(const struct report_run *run,
    const char *name);

/*
 * report_write_json() - the JSON document of interfaces.md section 4,
 * through jansson, keys in a fixed order (byte-identical output for the
 * same report).  Returns 0 or a negative errno (err filled).
 */
int report_write_json(const struct report *r, FILE *out, struct pg_error *err);

/* report_write_text() - a readable summary, one block per run, side by side when several. */
int report_write_text(const struct report *r, FILE *out, struct pg_error *err);

#endif
