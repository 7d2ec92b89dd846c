/*
 * replay_int.h - what the files of `pgreplay TRACE` (replay.c,
 * replay_opts.c, replay_run.c) share, private to them.
 */
#ifndef PGREPLAY_CLI_REPLAY_INT_H
#define PGREPLAY_CLI_REPLAY_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/guard.h"
#include "conf/conf.h"
#include "report/report.h"
#include "util/memuse.h"

/*
 * The signal that asked us to stop, or 0, or REPLAY_STOP_MEMORY when the
 * --max-memory check stopped the session (through the same flag, which
 * the session and the reader watch).  A signal handler can only talk to
 * the program through such a variable: it is the one global here
 * (replay.c).
 */
extern volatile sig_atomic_t replay_signal;

#define REPLAY_STOP_MEMORY (-1)

/*
 * The least a simulated physical page costs (its struct vm_page and its
 * share of the page hash; docs/development.md measures 60 B in all).
 */
#define REPLAY_PAGE_BYTES_MIN 48

/* How often (in events) the models' memory is measured. */
#define REPLAY_MEMORY_EVERY 65536

struct replay_args {
	const char **configs;
	size_t nconfigs;
	const char *trace;
	enum report_format format;
	const char *output;
	bool quiet;
	bool to_stdout; /* -o -: the report even with --quiet */
	bool check;
	uint32_t check_interval; /* 0 (auto) or SIM_CHECK_FULL_EVERY */
	unsigned jobs;			/* 0: one per online core */
	uint32_t shard_index, shard_count; /* --shard I/N as I - 1, N; N 0 */
	uint64_t max_memory;		/* model state bytes; 0: no limit */
	const char *max_memory_arg;
	struct guard guard; /* --timeline, --html, --baseline, --junit */
};

/* The progress line on a terminal (replay_options.progress). */
struct replay_meter {
	struct timespec start;
	double last;		/* when the line was last drawn, 0: never */
	bool shown;		/* a line is on the screen */
	bool draw;		/* a person is watching: draw the line */
	/* --max-memory, checked from the same callback: */
	uint64_t max_memory;
	enum memuse_source msrc;
	uint64_t mbase;		/* heap before the models were built */
	uint64_t next_check;	/* events at the next measurement */
	uint64_t used;		/* growth measured when it was over */
	uint64_t at_events;	/* events simulated then */
};

/*
 * replay_fail() - print the error of a failed library call, unless it is
 * our own signal (replay.c).
 */
void replay_fail(int rc, const struct pg_error *err);

/*
 * replay_check_mode() - --check's argument or PGREPLAY_CHECK (what) into
 * the check interval.  Returns 0, or -1 after a usage error (replay_opts.c).
 */
int replay_check_mode(const char *arg, const char *what, uint32_t *interval);

/*
 * replay_parse() - fill a from the command line.  Returns -1 to go on, or
 * the exit status (after help, the version or a usage error).
 */
int replay_parse(int argc, char **argv, struct replay_args *a);

/*
 * replay_simulate() - run the session over the trace into *report
 * (replay_run.c).  Returns 0, EXIT_BAD_INPUT (printed) or 128 + signal.
 */
int replay_simulate(const struct replay_args *a, const struct pg_config *cfgs,
    struct report *report);

#endif /* PGREPLAY_CLI_REPLAY_INT_H */
