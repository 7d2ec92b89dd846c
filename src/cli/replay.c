/*
 * replay.c - `pgreplay TRACE --config FILE ...`: load every configuration,
 * expand the sweeps, decode the trace once and feed each event to one
 * simulation per run, then write the report (interfaces.md section 3).
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
#include <unistd.h>

#include "conf/conf.h"
#include "pgreplay_version.h"
#include "report/report.h"
#include "sim/sim.h"
#include "trace/reader.h"

static const char replay_usage[] =
    "usage: pgreplay TRACE --config FILE [--config FILE ...] [options]\n"
    "       pgreplay convert IN OUT\n"
    "       pgreplay info TRACE\n"
    "       pgreplay params --config FILE\n"
    "\n"
    "Replays a memory trace through a model of FreeBSD's page daemon once per\n"
    "configuration (and per sweep combination) and reports what it did.\n"
    "\n"
    "Replay options:\n"
    "  -c, --config FILE     a YAML configuration (repeat to compare several)\n"
    "  -f, --format FMT      text (default), json, csv, csv-phases or csv-oom\n"
    "  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
    "  -q, --quiet           print nothing on success (exit status only)\n"
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
};

/* One run: a configuration with its sweep values applied, and its model. */
struct replay_run {
	struct pg_config cfg;
	const struct pg_config *base; /* the file it came from */
	struct sim *sim;
};

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
		{ "jobs", required_argument, NULL, OPT_LATER },
		{ "shard", required_argument, NULL, OPT_LATER },
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
	while ((ch = getopt_long(argc, argv, ":c:f:o:qhV", longopts, &idx)) !=
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

/* replay_distance() - Levenshtein distance of a and b (names are short). */
static size_t
replay_distance(const char *a, const char *b)
{
	size_t prev[CONF_STAT_NAME_MAX + 1], cur[CONF_STAT_NAME_MAX + 1];
	size_t la = strnlen(a, CONF_STAT_NAME_MAX);
	size_t lb = strnlen(b, CONF_STAT_NAME_MAX);
	size_t i, j, best;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(prev[0]));
	}
	return prev[lb];
}

/*
 * replay_check_expect() - every expect statistic of cfg must be one the
 * simulator reports; a typo would otherwise fail every run, or worse,
 * be mistaken for a regression.  Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
replay_check_expect(const struct pg_config *cfg)
{
	const char *name, *near;
	size_t i, k, d, bestd;
	bool known;

	for (i = 0; i < cfg->nexpect; i++) {
		known = false;
		near = NULL;
		bestd = SIZE_MAX;
		for (k = 0; (name = sim_stat_name(k)) != NULL; k++) {
			if (strcmp(name, cfg->expect[i].stat) == 0) {
				known = true;
				break;
			}
			d = replay_distance(cfg->expect[i].stat, name);
			if (d < bestd) {
				bestd = d;
				near = name;
			}
		}
		if (known)
			continue;
		/* Only suggest what is plausibly a misspelling. */
		if (near != NULL && bestd <= 3)
			fprintf(stderr,
			    "pgreplay: %s:%" PRIu64 ": expect: unknown "
			    "statistic '%s' (did you mean '%s'?)\n",
			    cfg->path, cfg->expect[i].line, cfg->expect[i].stat,
			    near);
		else
			fprintf(stderr,
			    "pgreplay: %s:%" PRIu64 ": expect: unknown "
			    "statistic '%s'\n",
			    cfg->path, cfg->expect[i].line,
			    cfg->expect[i].stat);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/*
 * replay_runs() - load every configuration and expand its sweep into
 * *runs (the first sweep key varies slowest, configurations in command
 * line order).  Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
replay_runs(const struct replay_args *a, struct pg_config **basesp,
    struct replay_run **runsp, size_t *nrunsp)
{
	struct pg_config *bases;
	struct replay_run *runs = NULL;
	struct pg_error err;
	size_t i, c, n, total = 0;
	int rc;

	bases = calloc(a->nconfigs, sizeof(*bases));
	if (bases == NULL)
		goto nomem;
	for (i = 0; i < a->nconfigs; i++) {
		pg_error_clear(&err);
		if (conf_load(a->configs[i], &bases[i], &err) < 0) {
			cli_report_error(&err);
			goto fail;
		}
		if (replay_check_expect(&bases[i]) != 0)
			goto fail;
		n = conf_sweep_combinations(&bases[i]);
		if (n > SIZE_MAX / sizeof(*runs) - total)
			goto nomem;
		total += n;
	}
	runs = calloc(total, sizeof(*runs));
	if (runs == NULL)
		goto nomem;
	for (i = 0, n = 0; i < a->nconfigs; i++) {
		for (c = 0; c < conf_sweep_combinations(&bases[i]); c++, n++) {
			rc = conf_apply_sweep(&bases[i], c, &runs[n].cfg);
			if (rc < 0) {
				fprintf(stderr,
				    "pgreplay: %s: cannot apply sweep "
				    "combination %zu: %s\n",
				    bases[i].path, c, strerror(-rc));
				goto fail;
			}
			runs[n].base = &bases[i];
		}
	}
	*basesp = bases;
	*runsp = runs;
	*nrunsp = total;
	return 0;
nomem:
	fputs("pgreplay: out of memory\n", stderr);
fail:
	free(runs);
	free(bases);
	return EXIT_BAD_INPUT;
}

/*
 * replay_feed_error() - report an event the simulation refused, at the
 * position of the event in the trace.  An invariant violation is a bug
 * in the model, not in the input: stop with a core to look at.
 */
static void
replay_feed_error(const struct trace_reader *r, const struct replay_run *run,
    size_t nruns, struct pg_error *err, int rc)
{
	char msg[PG_ERROR_MSG_MAX];

	trace_reader_where(r, err);
	if (nruns > 1 || rc == -EFAULT) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		snprintf(err->msg, sizeof(err->msg), "%s%.200s: %.280s",
		    rc == -EFAULT ? "invariant violated in run " : "run ",
		    run->cfg.name, msg);
	}
	cli_report_error(err);
	if (rc == -EFAULT)
		abort();
}

/*
 * replay_simulate() - decode the trace once, feeding every event to every
 * run, then finish each run into report->runs.  Returns 0, EXIT_BAD_INPUT
 * (printed) or, when a signal arrived, 128 + its number.
 */
static int
replay_simulate(const struct replay_args *a, struct replay_run *runs,
    size_t nruns, struct report *report)
{
	struct trace_reader *r = NULL;
	struct trace_reader_opts ropts = { .no_validate = false, .name = NULL,
		.interrupted = &replay_signal };
	struct trace_format_info fi;
	struct sim_options so;
	struct trace_event ev;
	struct pg_error err;
	uint64_t last_ns = 0;
	size_t i;
	int rc, ret = EXIT_BAD_INPUT;
	const char *env = getenv("PGREPLAY_CHECK");

	so.check_invariants =
	    a->check || (env != NULL && strcmp(env, "1") == 0);
	for (i = 0; i < nruns; i++) {
		pg_error_clear(&err);
		rc = sim_create(&runs[i].cfg, &so, &runs[i].sim, &err);
		if (rc < 0) {
			if (err.file[0] == '\0')
				snprintf(err.file, sizeof(err.file), "%s",
				    runs[i].cfg.path);
			cli_report_error(&err);
			return EXIT_BAD_INPUT;
		}
	}

	pg_error_clear(&err);
	if (trace_reader_open(a->trace, &ropts, &r, &err) < 0) {
		if (replay_signal == 0)
			cli_report_error(&err);
		goto out;
	}
	fi = trace_reader_format(r);
	for (;;) {
		if (replay_signal != 0)
			goto out;
		/* No pg_error_clear() here: this loop runs once per event. */
		rc = trace_reader_next(r, &ev, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			/* A read cut short by our own signal is not an error.
			 */
			if (replay_signal == 0)
				cli_report_error(&err);
			goto out;
		}
		last_ns = ev.time_ns;
		for (i = 0; i < nruns; i++) {
			rc = sim_feed(runs[i].sim, &ev, &err);
			if (rc < 0) {
				replay_feed_error(r, &runs[i], nruns, &err, rc);
				goto out;
			}
		}
	}

	snprintf(report->trace.path, sizeof(report->trace.path), "%s",
	    a->trace);
	snprintf(report->trace.format, sizeof(report->trace.format), "%s",
	    fi.format == TRACE_FORMAT_BINARY ? "binary" : "text");
	report->trace.compressed = fi.compressed;
	report->trace.events = trace_reader_events(r);
	report->trace.duration_s = (double)last_ns / 1e9;

	for (i = 0; i < nruns; i++) {
		struct report_bound bounds[CONF_EXPECT_MAX];
		const struct pg_config *cfg = &runs[i].cfg;
		size_t k;

		if (replay_signal != 0)
			goto out;
		pg_error_clear(&err);
		rc = sim_finish(runs[i].sim, &report->runs[i], &err);
		report->nruns = i + 1;
		if (rc < 0) {
			char msg[PG_ERROR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", err.msg);
			snprintf(err.msg, sizeof(err.msg),
			    "%srun %.200s: %.280s",
			    rc == -EFAULT ? "invariant violated in " : "",
			    cfg->name, msg);
			if (err.file[0] == '\0')
				snprintf(err.file, sizeof(err.file), "%s",
				    a->trace);
			cli_report_error(&err);
			if (rc == -EFAULT)
				abort();
			goto out;
		}
		/* The run is named by its configuration, sweep values included.
		 */
		snprintf(report->runs[i].name, sizeof(report->runs[i].name),
		    "%s", cfg->name);
		if (sim_report_sweep(runs[i].base, cfg, &report->runs[i]) < 0) {
			fputs("pgreplay: out of memory\n", stderr);
			goto out;
		}
		for (k = 0; k < cfg->nexpect; k++) {
			snprintf(bounds[k].stat, sizeof(bounds[k].stat), "%s",
			    cfg->expect[k].stat);
			bounds[k].has_min = cfg->expect[k].has_min;
			bounds[k].has_max = cfg->expect[k].has_max;
			bounds[k].min = cfg->expect[k].min;
			bounds[k].max = cfg->expect[k].max;
		}
		if (report_check_expect(&report->runs[i], bounds,
			cfg->nexpect) < 0) {
			fputs("pgreplay: out of memory\n", stderr);
			goto out;
		}
	}
	ret = 0;
out:
	trace_reader_close(r);
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

int
cli_replay(int argc, char **argv)
{
	struct replay_args a = { .format = REPORT_FORMAT_TEXT };
	struct sigaction sa, old_int, old_term;
	struct pg_config *bases = NULL;
	struct replay_run *runs = NULL;
	struct report report;
	struct pg_error err;
	size_t nruns = 0, i;
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

	ret = replay_runs(&a, &bases, &runs, &nruns);
	if (ret != 0)
		goto out;
	report.runs = calloc(nruns, sizeof(*report.runs));
	if (report.runs == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	ret = replay_simulate(&a, runs, nruns, &report);
	if (ret != 0)
		goto out;

	if (a.output != NULL) {
		ret = replay_write_file(a.output, &report, a.format);
		if (ret != 0)
			goto out;
	} else if (!a.quiet) {
		pg_error_clear(&err);
		if (report_write(&report, a.format, stdout, &err) < 0 ||
		    fflush(stdout) != 0) {
			fprintf(stderr,
			    "pgreplay: standard output: write "
			    "error: %s\n",
			    strerror(errno));
			ret = EXIT_BAD_INPUT;
			goto out;
		}
	}
	if (report_expect_failures(&report) > 0) {
		if (!a.quiet)
			replay_tell_failures(&report);
		ret = EXIT_CHECK_FAILED;
	}
out:
	for (i = 0; i < report.nruns; i++)
		report_run_finish(&report.runs[i]);
	free(report.runs);
	for (i = 0; runs != NULL && i < nruns; i++)
		sim_destroy(runs[i].sim);
	free(runs);
	free(bases);
	free(a.configs);
	if (replay_signal != 0)
		ret = 128 + replay_signal;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}
