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
#include "cli/guard.h"

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
#include "sim/sim.h"
#include "trace/reader.h"
#include "util/memuse.h"
#include "util/outfile.h"

static const char replay_usage[] =
    "usage: pgreplay TRACE --config FILE [--config FILE ...] [options]\n"
    "       pgreplay convert IN OUT\n"
    "       pgreplay gen WORKLOAD [--PARAM VALUE ...] OUT   (gen --list)\n"
    "       pgreplay info TRACE\n"
    "       pgreplay params --config FILE\n"
    "       pgreplay merge REPORT.json...\n"
    "       pgreplay help [SUBCOMMAND]\n"
    "\n"
    "Replays a memory trace through a model of FreeBSD's page daemon once per\n"
    "configuration (and per sweep combination) and reports what it did.\n"
    "\n"
    "Replay options:\n"
    "  -c, --config FILE     a YAML configuration (repeat to compare several)\n"
    "  -f, --format FMT      text (default), json, csv, csv-phases or csv-oom\n"
    "  -o, --output FILE     write the report to FILE (atomically); '-' is stdout\n"
    "  -q, --quiet           print nothing on success (exit status only)\n"
    "  -j, --jobs N          run the runs on N threads (default: one per core)\n"
    "      --shard I/N       run only the I-th of N slices of the runs\n"
    "      --check[=full]    check the model's invariants: the cheap ones after\n"
    "                        every step, all of them every pages/64 steps and at\n"
    "                        the end; =full: all after every step (slow)\n"
    "                        (also PGREPLAY_CHECK=1 or PGREPLAY_CHECK=full)\n"
    "      --max-memory SIZE stop (exit 2) if the models' state outgrows SIZE\n"
    "      --timeline FILE   per-interval series of every run, FILE.csv or FILE.json\n"
    "      --timeline-interval DUR  the timeline's interval (default 1s)\n"
    "      --html FILE       a self-contained HTML report with charts\n"
    "      --baseline FILE   compare every statistic with a saved JSON report\n"
    "      --tolerance X     allowed drift: 0 (exact, default), 5%, 0.05, 5%,abs=10\n"
    "      --junit FILE      JUnit XML of the runs, expect and baseline checks\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "TRACE may be text (.pgt) or binary, optionally zstd-compressed; '-' reads\n"
    "standard input.  Exit status: 0 success, 1 an expect check failed,\n"
    "2 bad usage or bad input, 130/143 interrupted.  See pgreplay(1).\n";

/*
 * The signal that asked us to stop, or 0, or REPLAY_STOP_MEMORY when the
 * --max-memory check stopped the session (through the same flag, which
 * the session and the reader watch).  A signal handler can only talk to
 * the program through such a variable: it is the one global here.
 */
static volatile sig_atomic_t replay_signal;
#define REPLAY_STOP_MEMORY (-1)

/*
 * The least a simulated physical page costs (its struct vm_page and its
 * share of the page hash; docs/development.md measures 60 B in all).
 */
#define REPLAY_PAGE_BYTES_MIN 48

/* How often (in events) the models' memory is measured. */
#define REPLAY_MEMORY_EVERY 65536

static void
replay_on_signal(int sig)
{
	replay_signal = sig;
}

/* Long options without a short form. */
enum {
	OPT_CHECK = 256,
	OPT_SHARD,
	OPT_MAX_MEMORY,
};

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
 * replay_check_mode() - the argument of --check (what) or the value of
 * PGREPLAY_CHECK: absent or "1" samples the full check, "full" runs it
 * after every step.  Returns 0, or -1 after a usage error.
 */
static int
replay_check_mode(const char *arg, const char *what, uint32_t *interval)
{
	if (arg == NULL || strcmp(arg, "1") == 0) {
		*interval = 0;
		return 0;
	}
	if (strcmp(arg, "full") == 0) {
		*interval = SIM_CHECK_FULL_EVERY;
		return 0;
	}
	cli_usage_error("%s: unknown check mode '%s' (expected full)", what,
	    arg);
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
		{ "check", optional_argument, NULL, OPT_CHECK },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "baseline", required_argument, NULL, GUARD_OPT_BASELINE },
		{ "tolerance", required_argument, NULL, GUARD_OPT_TOLERANCE },
		{ "html", required_argument, NULL, GUARD_OPT_HTML },
		{ "junit", required_argument, NULL, GUARD_OPT_JUNIT },
		{ "timeline", required_argument, NULL, GUARD_OPT_TIMELINE },
		{ "timeline-interval", required_argument, NULL,
		    GUARD_OPT_TIMELINE_INTERVAL },
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
			/* '-' is standard output, as for convert. */
			a->output = strcmp(optarg, "-") == 0 ? NULL : optarg;
			a->to_stdout = a->output == NULL;
			break;
		case 'q':
			a->quiet = true;
			break;
		case OPT_CHECK:
			a->check = true;
			if (replay_check_mode(optarg, "--check",
			    &a->check_interval) < 0)
				return EXIT_BAD_INPUT;
			break;
		case OPT_MAX_MEMORY:
			if (cli_parse_size(optarg, &a->max_memory) < 0 ||
			    a->max_memory == 0) {
				cli_usage_error("--max-memory: expected a size "
						"such as 512MiB or 4GiB, got "
						"'%s'",
				    optarg);
				return EXIT_BAD_INPUT;
			}
			a->max_memory_arg = optarg;
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
		case GUARD_OPT_TIMELINE:
		case GUARD_OPT_TIMELINE_INTERVAL:
		case GUARD_OPT_HTML:
		case GUARD_OPT_BASELINE:
		case GUARD_OPT_TOLERANCE:
		case GUARD_OPT_JUNIT:
			if (guard_option(&a->guard, ch, optarg) != 0)
				return EXIT_BAD_INPUT;
			break;
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
	if (guard_check_args(&a->guard) != 0)
		return EXIT_BAD_INPUT;
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
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
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
		return 0;
	names = calloc(total, sizeof(*names));
	tmp = malloc(sizeof(*tmp));
	if (names == NULL || tmp == NULL) {
		free(names);
		free(tmp);
		fputs("pgreplay: out of memory\n", stderr);
		return EXIT_BAD_INPUT;
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
	return ret;
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
	if (replay_check_names(cfgs, a->nconfigs) != 0) {
		free(cfgs);
		return EXIT_BAD_INPUT;
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
 * replay_over_memory() - whether the heap has grown by more than
 * --max-memory since the session was started; sets m->used.
 */
static bool
replay_over_memory(struct replay_meter *m)
{
	uint64_t now = memuse_bytes(m->msrc);

	m->used = now > m->mbase ? now - m->mbase : 0;
	return m->used > m->max_memory;
}

/*
 * replay_memory_precheck() - refuse, before any machine is built, runs
 * whose page arrays alone pass --max-memory (a 1 TiB machine is 12 GiB):
 * every sweep combination of every configuration that the shard keeps,
 * together.  Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
replay_memory_precheck(const struct replay_args *a,
    const struct pg_config *cfgs)
{
	struct pg_config *run;
	uint64_t need = 0, k = 0;
	size_t i, c, n;

	run = malloc(sizeof(*run));
	if (run == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return EXIT_BAD_INPUT;
	}
	for (i = 0; i < a->nconfigs; i++) {
		n = conf_sweep_combinations(&cfgs[i]);
		for (c = 0; c < n; c++, k++) {
			if (a->shard_count > 1 &&
			    k % a->shard_count != a->shard_index)
				continue;
			if (conf_apply_sweep(&cfgs[i], c, run) < 0)
				continue; /* the session reports it */
			need += run->memory_bytes / PG_PAGE_SIZE *
			    REPLAY_PAGE_BYTES_MIN;
			if (need <= a->max_memory)
				continue;
			fprintf(stderr,
			    "pgreplay: %s: run %s: the models need at least "
			    "%" PRIu64 " MiB, more than --max-memory %s\n",
			    cfgs[i].path, run->name, need >> 20,
			    a->max_memory_arg);
			free(run);
			return EXIT_BAD_INPUT;
		}
	}
	free(run);
	return 0;
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
	double t;

	if (m->max_memory != 0 && p->events >= m->next_check) {
		m->next_check = p->events + REPLAY_MEMORY_EVERY;
		if (replay_over_memory(m)) {
			m->at_events = p->events;
			/* Stops the session within one event, as a signal. */
			replay_signal = REPLAY_STOP_MEMORY;
			return;
		}
	}
	if (!m->draw)
		return;
	t = replay_since(&m->start);
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
	size_t i;
	int rc, ret = EXIT_BAD_INPUT;

	so.check_invariants = a->check;
	so.check_interval = a->check_interval;
	if (!a->check && env != NULL && env[0] != '\0' &&
	    strcmp(env, "0") != 0) {
		if (replay_check_mode(env, "PGREPLAY_CHECK",
		    &so.check_interval) < 0)
			return EXIT_BAD_INPUT;
		so.check_invariants = true;
	}
	so.timeline_interval_ns = guard_interval(&a->guard);
	memset(&meter, 0, sizeof(meter));
	clock_gettime(CLOCK_MONOTONIC, &meter.start);
	/* Progress only for a person watching (docs/pgreplay.1). */
	meter.draw = !a->quiet && isatty(STDERR_FILENO);
	meter.max_memory = a->max_memory;
	if (meter.max_memory != 0) {
		if (replay_memory_precheck(a, cfgs) != 0)
			return EXIT_BAD_INPUT;
		meter.msrc = memuse_source();
		meter.mbase = memuse_bytes(meter.msrc);
		meter.next_check = REPLAY_MEMORY_EVERY;
	}
	if (meter.draw || meter.max_memory != 0) {
		so.progress = replay_meter_draw;
		so.progress_arg = &meter;
	}
	pg_error_clear(&err);
	rc = replay_session_create(cfgs, a->nconfigs, &so, &s, &err);
	if (rc < 0) {
		replay_fail(rc, &err);
		goto out;
	}
	/* The machines are built: the first measurement. */
	if (meter.max_memory != 0 && replay_over_memory(&meter)) {
		fprintf(stderr,
		    "pgreplay: %s: the models need %" PRIu64
		    " MiB, more than --max-memory %s\n",
		    a->nconfigs == 1 ? cfgs[0].path : a->trace,
		    meter.used >> 20, a->max_memory_arg);
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
	for (i = 0; !a->quiet && i < report->nruns; i++)
		cli_warn_partial(replay_session_config(s, i), &report->runs[i]);
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
	if (replay_signal == REPLAY_STOP_MEMORY) {
		fprintf(stderr,
		    "pgreplay: %s: event %" PRIu64 ": the models' state has "
		    "grown to %" PRIu64 " MiB, more than --max-memory %s\n",
		    a->trace, meter.at_events, meter.used >> 20,
		    a->max_memory_arg);
		replay_signal = 0;
		ret = EXIT_BAD_INPUT;
	} else if (replay_signal != 0) {
		ret = 128 + replay_signal;
	}
	return ret;
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
	return 0;
fail:
	if (replay_signal != 0)
		return 128 + replay_signal;
	cli_report_error(&err);
	return EXIT_BAD_INPUT;
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
		return replay_write_file(a->output, report, a->format);
	if (a->quiet && !a->to_stdout)
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
	int ret, gret;

	memset(&report, 0, sizeof(report));
	guard_init(&a.guard, &replay_signal);
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
	return ret;
}
