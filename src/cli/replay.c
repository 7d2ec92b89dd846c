/*
 * replay.c - `pgreplay TRACE --config FILE ...`: parse the command line,
 * load every configuration, hand them and the trace to a replay session
 * (src/sim/replay.h: sweeps, one decode, worker threads) and write the
 * report (interfaces.md section 3).
 *
 * Exit status: 0 success, 1 an expect assertion failed (the report is
 * still written), 2 bad usage or bad input, 128 + signal when interrupted
 * by SIGINT or SIGTERM.  An --output file is complete or absent.
 *
 * The options are read by replay_opts.c, the session is run (with the
 * progress line and --max-memory) by replay_run.c.
 */
#include "cli/replay_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "report/report.h"
#include "sim/replay.h"
#include "sim/sim.h"
#include "trace/reader.h"
#include "util/outfile.h"

/* The one global: see replay_int.h. */
volatile sig_atomic_t replay_signal;

static void
replay_on_signal(int sig)
{
	replay_signal = sig;
}

/*
 * replay_fail() - print the error of a failed library call, unless it is
 * our own signal; an invariant violation is a bug in the model, not in
 * the input: stop with a core to look at.
 */
void
replay_fail(int rc, const struct pg_error *err)
{
	if (rc == -EINTR && replay_signal != 0)
		return;
	if (rc == -ENOMEM && err->file[0] == '\0')
		fputs("pgreplay: out of memory\n", stderr);
	else
		cli_report_error(err);
	if (rc == -EFAULT)
		abort();
}

/* A run's name and the configuration it comes from. */
struct replay_name {
	char name[CONF_NAME_MAX];
	const struct pg_config *base;
	size_t order;
};

/* replay_name_cmp() - qsort() order: by name, then command line order. */
static int
replay_name_cmp(const void *x, const void *y)
{
	const struct replay_name *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return (c);
	return (a->order < b->order ? -1 : a->order > b->order);
}

/*
 * replay_check_names() - every run must have its own name: reports,
 * expect messages and a CSV's first column tell runs apart by it alone.
 * The runs are the sweep combinations of the n configurations cfgs.
 * Returns 0 or EXIT_BAD_INPUT (printed, naming both configurations).
 */
static int
replay_check_names(const struct pg_config *cfgs, size_t n)
{
	struct replay_name *names;
	struct pg_config *tmp;
	const struct replay_name *x, *y;
	size_t i, c, total = 0;
	int ret = 0;

	for (i = 0; i < n; i++)
		total += conf_sweep_combinations(&cfgs[i]);
	if (total < 2)
		return (0);
	names = calloc(total, sizeof(*names));
	tmp = malloc(sizeof(*tmp));
	if (names == NULL || tmp == NULL) {
		free(names);
		free(tmp);
		fputs("pgreplay: out of memory\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	for (i = 0, total = 0; i < n; i++) {
		for (c = 0; c < conf_sweep_combinations(&cfgs[i]); c++) {
			/* Loaded configurations expand without error. */
			if (conf_apply_sweep(&cfgs[i], c, tmp) < 0)
				continue;
			memcpy(names[total].name, tmp->name,
			    sizeof(names[total].name));
			names[total].base = &cfgs[i];
			names[total].order = total;
			total++;
		}
	}
	qsort(names, total, sizeof(*names), replay_name_cmp);
	for (i = 1; i < total && ret == 0; i++) {
		x = &names[i - 1];
		y = &names[i];
		if (strcmp(x->name, y->name) != 0)
			continue;
		if (x->base == y->base)
			cli_error("%s: two runs named '%s'", y->base->path,
			    y->name);
		else if (strcmp(x->base->path, y->base->path) == 0)
			cli_error("%s: given twice (two runs named '%s')",
			    y->base->path, y->name);
		else
			cli_error("%s and %s: both configurations name a run "
			    "'%s' (give one of them another 'name:')",
			    x->base->path, y->base->path, y->name);
		ret = EXIT_BAD_INPUT;
	}
	free(tmp);
	free(names);
	return (ret);
}

/*
 * replay_load() - load every configuration of the command line, each
 * checked (expect statistics included) before the next is read.
 * Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
replay_load(const struct replay_args *a, struct pg_config **cfgsp)
{
	struct pg_config *cfgs;
	struct pg_error err;
	size_t i;
	int rc;

	cfgs = calloc(a->nconfigs, sizeof(*cfgs));
	if (cfgs == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	for (i = 0; i < a->nconfigs; i++) {
		pg_error_clear(&err);
		if ((rc = conf_load(a->configs[i], &cfgs[i], &err)) < 0 ||
		    (rc = replay_config_check(&cfgs[i], &err)) < 0) {
			replay_fail(rc, &err);
			free(cfgs);
			return (EXIT_BAD_INPUT);
		}
	}
	if (replay_check_names(cfgs, a->nconfigs) != 0) {
		free(cfgs);
		return (EXIT_BAD_INPUT);
	}
	*cfgsp = cfgs;
	return (0);
}

/*
 * replay_write_file() - write the report to path through outfile.h: a
 * regular file is replaced atomically, a device or FIFO written in place.
 * On any error or a signal a temporary file is removed and a regular path
 * left untouched.  Returns 0, EXIT_BAD_INPUT (printed) or 128 + signal.
 */
static int
replay_write_file(const char *path, const struct report *report,
    enum report_format fmt)
{
	struct outfile_opts oo = { .interrupted = &replay_signal };
	struct outfile *of;
	struct pg_error err;
	FILE *fp;

	pg_error_clear(&err);
	if (outfile_open(path, &oo, &of, &err) < 0)
		goto fail;
	if ((fp = outfile_stream(of)) == NULL) {
		outfile_abort(of);
		pg_error_set(&err, path, PG_POS_NONE, 0, "out of memory");
		goto fail;
	}
	if (report_write(report, fmt, fp, &err) < 0) {
		outfile_abort(of);
		snprintf(err.file, sizeof(err.file), "%s", path);
		goto fail;
	}
	if (outfile_commit(of, &err) < 0)
		goto fail;
	return (0);
fail:
	if (replay_signal != 0)
		return (128 + replay_signal);
	cli_report_error(&err);
	return (EXIT_BAD_INPUT);
}

/* replay_tell_failures() - one stderr line per failed assertion, for CI logs.
 */
static void
replay_tell_failures(const struct report *report)
{
	char b[40];
	size_t i, j;

	for (i = 0; i < report->nruns; i++) {
		const struct report_run *run = &report->runs[i];

		for (j = 0; j < run->nexpect; j++) {
			const struct report_expect *e = &run->expect[j];

			if (e->ok)
				continue;
			if (!e->found)
				fprintf(stderr,
				    "pgreplay: %s: expect %s: "
				    "not reported\n",
				    run->name, e->stat);
			else if (e->has_min && e->value < e->min)
				fprintf(stderr,
				    "pgreplay: %s: expect %s >= %s "
				    "failed: got %.9g\n",
				    run->name, e->stat, cli_bound_text(
				    e->min_text, e->min, b, sizeof(b)),
				    e->value);
			else
				fprintf(stderr,
				    "pgreplay: %s: expect %s <= %s "
				    "failed: got %.9g\n",
				    run->name, e->stat, cli_bound_text(
				    e->max_text, e->max, b, sizeof(b)),
				    e->value);
		}
	}
}

/*
 * replay_emit() - write the report where asked: --output (atomically),
 * or standard output unless --quiet.  Returns 0, EXIT_BAD_INPUT (printed)
 * or 128 + signal.
 */
static int
replay_emit(const struct replay_args *a, const struct report *report)
{
	struct pg_error err;

	if (a->output != NULL)
		return (replay_write_file(a->output, report, a->format));
	if (a->quiet && !a->to_stdout)
		return (0);
	pg_error_clear(&err);
	if (report_write(report, a->format, stdout, &err) < 0 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "pgreplay: standard output: write error: %s\n",
		    strerror(errno));
		return (EXIT_BAD_INPUT);
	}
	return (0);
}

int
cli_replay(int argc, char **argv)
{
	struct replay_args a = { .format = REPORT_FORMAT_TEXT };
	struct sigaction sa, old_int, old_term;
	struct pg_config *cfgs = NULL;
	struct report report;
	int ret, gret;

	memset(&report, 0, sizeof(report));
	guard_init(&a.guard, &replay_signal);
	ret = replay_parse(argc, argv, &a);
	if (ret >= 0) {
		free(a.configs);
		return (ret);
	}

	/*
	 * No SA_RESTART: a read of standard input blocked when the signal
	 * arrives must return, so that we notice and stop.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = replay_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* 1. The configurations, 2. the replay, 3. the outputs, 4. status. */
	ret = replay_load(&a, &cfgs);
	if (ret != 0)
		goto out;
	ret = guard_prepare(&a.guard, cfgs, a.nconfigs, a.shard_index,
	    a.shard_count);
	if (ret != 0)
		goto out;
	ret = replay_simulate(&a, cfgs, &report);
	if (ret != 0)
		goto out;
	ret = replay_emit(&a, &report);
	if (ret != 0)
		goto out;
	if (report_expect_failures(&report) > 0) {
		if (!a.quiet)
			replay_tell_failures(&report);
		ret = EXIT_CHECK_FAILED;
	}
	gret = guard_finish(&a.guard, &report, a.quiet);
	if (gret > ret)
		ret = gret; /* 2 and 128 + signal win over 1 */
out:
	guard_free(&a.guard);
	replay_report_release(&report);
	free(cfgs);
	free(a.configs);
	if (replay_signal != 0)
		ret = cli_interrupted(replay_signal,
		    a.output != NULL ? "no report written" : "no report");
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return (ret);
}
