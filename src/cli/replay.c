/*
 * replay.c - `pgreplay TRACE --config FILE ...`: parse the command line,
 * load every configuration, hand them and the trace to a replay session
 * (src/sim/replay.h: sweeps, one decode, worker threads) and write the
 * report (interfaces.md section 3).
 *
 * Exit status: 0 success, 1 an expect assertion failed (the report is
 * still written), 2 bad usage or bad input, 128 + signal when interrupted
 * by SIGINT or SIGTERM.  An --output file is complete or absent.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "pgreplay_version.h"
#include "report/report.h"
#include "sim/replay.h"
#include "trace/reader.h"

static const char replay_usage[] =
    "usage: pgreplay TRACE --config FILE [--config FILE ...] [options]\n"
    "       pgreplay convert IN OUT\n"
    "       pgreplay gen WORKLOAD [--PARAM VALUE ...] OUT   (gen --list)\n"
    "       pgreplay info TRACE\n"
    "       pgreplay params --config FILE\n"
    "       pgreplay merge REPORT.json...\n"
    "\n"
    "Replays a memory trace through a model of FreeBSD's page daemon once per\n"
    "configuration (and per sweep combination) and reports what it did.\n"
    "\n"
    "Replay options:\n"
    "  -c, --config FILE     a YAML configuration (repeat to compare several)\n"
    "  -f, --format FMT      text (default), json, csv, csv-phases or csv-oom\n"
    "  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
    "  -q, --quiet           print nothing on success (exit status only)\n"
    "  -j, --jobs N          run the runs on N threads (default: one per core)\n"
    "      --shard I/N       run only the I-th of N slices of the runs\n"
    "      --check           check the model's invariants (also PGREPLAY_CHECK=1)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "TRACE may be text (.pgt) or binary, optionally zstd-compressed; '-' reads\n"
    "standard input.  Exit status: 0 success, 1 an expect check failed,\n"
    "2 bad usage or bad input, 130/143 interrupted.  See pgreplay(1).\n";

/*
 * The signal that asked us to stop, or 0.  A signal handler can only talk
 * to the program through such a variable: it is the one global here.
 */
static volatile sig_atomic_t replay_signal;

static void
replay_on_signal(int sig)
{
	replay_signal = sig;
}

/* Long options without a short form. */
enum {
	OPT_CHECK = 256,
	OPT_SHARD,
	OPT_LATER, /* documented, for a later version */
};

struct replay_args {
	const char **configs;
	size_t nconfigs;
	const char *trace;
	enum report_format format;
	const char *output;
	bool quiet;
	bool check;
	unsigned jobs;			/* 0: one per online core */
	uint32_t shard_index, shard_count; /* --shard I/N as I - 1, N; N 0 */
};

/* The progress line on a terminal (replay_options.progress). */
struct replay_meter {
	struct timespec start;
	double last;		/* when the line was last drawn, 0: never */
	bool shown;		/* a line is on the screen */
};

/* replay_parse_jobs() - --jobs N: 1 to REPLAY_JOBS_MAX threads. */
static int
replay_parse_jobs(const char *s, unsigned *jobs)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < 1 ||
	    v > REPLAY_JOBS_MAX) {
		cli_usage_error("--jobs: expected a number of threads from 1 "
		    "to %d, got '%s'", REPLAY_JOBS_MAX, s);
		return -1;
	}
	*jobs = (unsigned)v;
	return 0;
}

/* replay_parse_shard() - --shard I/N with 1 <= I <= N <= 1000000. */
static int
replay_parse_shard(const char *s, struct replay_args *a)
{
	unsigned long i, n;
	char *end, *slash;

	errno = 0;
	i = strtoul(s, &slash, 10);
	if (s[0] >= '0' && s[0] <= '9' && *slash == '/' && slash[1] >= '0' &&
	    slash[1] <= '9') {
		n = strtoul(slash + 1, &end, 10);
		if (*end == '\0' && errno == 0 && i >= 1 && n <= 1000000 &&
		    i <= n) {
			a->shard_index = (uint32_t)(i - 1);
			a->shard_count = (uint32_t)n;
			return 0;
		}
	}
	cli_usage_error("--shard: expected I/N with 1 <= I <= N <= 1000000, "
	    "got '%s'", s);
	return -1;
}

/*
 * replay_parse() - fill a from the command line.  Returns -1 to go on,
 * or the exit status (after printing help, the version or a usage error).
 */
static int
replay_parse(int argc, char **argv, struct replay_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "baseline", required_argument, NULL, OPT_LATER },
		{ "tolerance", required_argument, NULL, OPT_LATER },
		{ "html", required_argument, NULL, OPT_LATER },
		{ "junit", required_argument, NULL, OPT_LATER },
		{ "timeline", required_argument, NULL, OPT_LATER },
		{ NULL, 0, NULL, 0 },
	};
	int ch, idx;

	/* argv is at most argc long: enough room for every --config. */
	a->configs = calloc((size_t)argc, sizeof(*a->configs));
	if (a->configs == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return EXIT_BAD_INPUT;
	}
	opterr = 0; /* our messages, in our format */
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":c:f:o:qj:hV", longopts, &idx)) !=
	    -1) {
		switch (ch) {
		case 'c':
			a->configs[a->nconfigs++] = optarg;
			break;
		case 'f':
			if (report_format_parse(optarg, &a->format) < 0) {
				cli_usage_error(
				    "unknown format '%s' (expected text, json, "
				    "csv, csv-phases or csv-oom)",
				    optarg);
				return EXIT_BAD_INPUT;
			}
			break;
		case 'o':
			if (optarg[0] == '\0') {
				cli_usage_error("--output needs a file name");
				return EXIT_BAD_INPUT;
			}
			a->output = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case 'j':
			if (replay_parse_jobs(optarg, &a->jobs) < 0)
				return EXIT_BAD_INPUT;
			break;
		case OPT_SHARD:
			if (replay_parse_shard(optarg, a) < 0)
				return EXIT_BAD_INPUT;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT;
		case 'V':
			printf("pgreplay %s\n", PGREPLAY_VERSION);
			return fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT;
		case OPT_LATER:
			cli_usage_error(
			    "option '--%s' is not available in this "
			    "version",
			    longopts[idx].name);
			return EXIT_BAD_INPUT;
		case ':':
			/* A long option sets optopt too: look at argv. */
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				cli_usage_error("option '%s' needs an argument",
				    argv[optind - 1]);
			else
				cli_usage_error(
				    "option '-%c' needs an argument", optopt);
			return EXIT_BAD_INPUT;
		default:
			/* Only an unknown short option sets optopt. */
			if (optopt != 0)
				cli_usage_error("unknown option '-%c'", optopt);
			else
				cli_usage_error("unknown option '%s'",
				    argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind >= argc) {
		cli_usage_error("no trace given");
		return EXIT_BAD_INPUT;
	}
	if (argc - optind > 1) {
		cli_usage_error("one trace at a time: unexpected '%s'",
		    argv[optind + 1]);
		return EXIT_BAD_INPUT;
	}
	a->trace = argv[optind];
	if (a->nconfigs == 0) {
		cli_usage_error("no configuration given (use --config FILE)");
		return EXIT_BAD_INPUT;
	}
	return -1;
}

/*
 * replay_fail() - print the error of a failed library call, unless it is
 * our own signal; an invariant violation is a bug in the model, not in
 * the input: stop with a core to look at.
 */
static void
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
		return EXIT_BAD_INPUT;
	}
	for (i = 0; i < a->nconfigs; i++) {
		pg_error_clear(&err);
		if ((rc = conf_load(a->configs[i], &cfgs[i], &err)) < 0 ||
		    (rc = replay_config_check(&cfgs[i], &err)) < 0) {
			replay_fail(rc, &err);
			free(cfgs);
			return EXIT_BAD_INPUT;
		}
	}
	*cfgsp = cfgs;
	return 0;
}

static double
replay_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * replay_meter_draw() - the progress callback: from one second on, redraw
 * the one progress line at most five times a second.
 */
static void
replay_meter_draw(void *arg, const struct replay_progress *p)
{
	struct replay_meter *m = arg;
	char line[160];
	double t = replay_since(&m->start);

	if (t < 1.0 || (m->last != 0 && t - m->last < 0.2))
		return;
	m->last = t;
	m->shown = true;
	fprintf(stderr, "\rpgreplay: %s\033[K",
	    replay_progress_format(p, t, line, sizeof(line)));
	fflush(stderr);
}

/* replay_meter_clear() - take the progress line off the screen. */
static void
replay_meter_clear(struct replay_meter *m)
{
	if (m->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		m->shown = false;
	}
}

/*
 * replay_simulate() - run the session over the trace into *report.
 * Returns 0, EXIT_BAD_INPUT (printed) or, on a signal, 128 + its number.
 */
static int
replay_simulate(const struct replay_args *a, const struct pg_config *cfgs,
    struct report *report)
{
	struct trace_reader_opts ropts = { .no_validate = false, .name = NULL,
		.interrupted = &replay_signal };
	struct replay_options so = { .jobs = a->jobs,
		.shard_index = a->shard_index, .shard_count = a->shard_count,
		.interrupted = &replay_signal };
	struct replay_session *s = NULL;
	struct trace_reader *r = NULL;
	struct replay_meter meter;
	struct pg_error err;
	const char *env = getenv("PGREPLAY_CHECK");
	int rc, ret = EXIT_BAD_INPUT;

	so.check_invariants =
	    a->check || (env != NULL && strcmp(env, "1") == 0);
	memset(&meter, 0, sizeof(meter));
	clock_gettime(CLOCK_MONOTONIC, &meter.start);
	/* Progress only for a person watching (docs/pgreplay.1). */
	if (!a->quiet && isatty(STDERR_FILENO)) {
		so.progress = replay_meter_draw;
		so.progress_arg = &meter;
	}
	pg_error_clear(&err);
	rc = replay_session_create(cfgs, a->nconfigs, &so, &s, &err);
	if (rc < 0) {
		replay_fail(rc, &err);
		goto out;
	}
	pg_error_clear(&err);
	if ((rc = trace_reader_open(a->trace, &ropts, &r, &err)) < 0) {
		if (replay_signal == 0)
			replay_fail(rc, &err);
		goto out;
	}
	rc = replay_session_read(s, r, &err);
	if (rc == 0)
		rc = replay_session_finish(s, a->trace, report, &err);
	replay_meter_clear(&meter);
	if (rc < 0) {
		replay_fail(rc, &err);
		goto out;
	}
	if (a->shard_count > 0) {
		report->shard.index = a->shard_index + 1;
		report->shard.count = a->shard_count;
		report->shard.total_runs = replay_session_total_runs(s);
	}
	ret = 0;
out:
	replay_meter_clear(&meter);
	trace_reader_close(r);
	replay_session_destroy(s);
	if (replay_signal != 0)
		ret = 128 + replay_signal;
	return ret;
}

/*
 * replay_write_file() - write the report to path atomically: into a
 * temporary file of the same directory (so that rename() cannot cross
 * file systems), flushed to disk, then renamed over path.  On any error
 * or a signal the temporary file is removed and path left untouched.
 * Returns 0, EXIT_BAD_INPUT (printed) or 128 + signal.
 */
static int
replay_write_file(const char *path, const struct report *report,
    enum report_format fmt)
{
	struct pg_error err;
	const char *slash = strrchr(path, '/');
	char *tmp;
	size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 16;
	mode_t mask;
	FILE *fp = NULL;
	int fd, ret = EXIT_BAD_INPUT;

	tmp = malloc(n);
	if (tmp == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return EXIT_BAD_INPUT;
	}
	/* A hidden name, so that a directory listing never shows a half file.
	 */
	snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "pgreplay: %s: cannot create: %s\n", path,
		    strerror(errno));
		free(tmp);
		return EXIT_BAD_INPUT;
	}
	/* mkstemp() makes it 0600; a report is as readable as any new file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "pgreplay: %s: %s\n", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	pg_error_clear(&err);
	if (report_write(report, fmt, fp, &err) < 0) {
		snprintf(err.file, sizeof(err.file), "%s", path);
		cli_report_error(&err);
		goto fail;
	}
	if (fflush(fp) != 0 || fsync(fileno(fp)) < 0) {
		fprintf(stderr, "pgreplay: %s: write error: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	if (fclose(fp) != 0) {
		fp = NULL;
		fprintf(stderr, "pgreplay: %s: write error: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	fp = NULL;
	if (replay_signal != 0)
		goto fail;
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "pgreplay: %s: cannot replace: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	if (fp != NULL)
		fclose(fp);
	unlink(tmp);
	free(tmp);
	if (replay_signal != 0)
		ret = 128 + replay_signal;
	return ret;
}

/* replay_tell_failures() - one stderr line per failed assertion, for CI logs.
 */
static void
replay_tell_failures(const struct report *report)
{
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
				    "pgreplay: %s: expect %s >= %g "
				    "failed: got %.9g\n",
				    run->name, e->stat, e->min, e->value);
			else
				fprintf(stderr,
				    "pgreplay: %s: expect %s <= %g "
				    "failed: got %.9g\n",
				    run->name, e->stat, e->max, e->value);
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
		return replay_write_file(a->output, report, a->format);
	if (a->quiet)
		return 0;
	pg_error_clear(&err);
	if (report_write(report, a->format, stdout, &err) < 0 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "pgreplay: standard output: write error: %s\n",
		    strerror(errno));
		return EXIT_BAD_INPUT;
	}
	return 0;
}

int
cli_replay(int argc, char **argv)
{
	struct replay_args a = { .format = REPORT_FORMAT_TEXT };
	struct sigaction sa, old_int, old_term;
	struct pg_config *cfgs = NULL;
	struct report report;
	int ret;

	memset(&report, 0, sizeof(report));
	ret = replay_parse(argc, argv, &a);
	if (ret >= 0) {
		free(a.configs);
		return ret;
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
out:
	replay_report_release(&report);
	free(cfgs);
	free(a.configs);
	if (replay_signal != 0)
		ret = 128 + replay_signal;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}
