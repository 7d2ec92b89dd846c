/*
 * replay_opts.c - the command line of `pgreplay TRACE --config FILE ...`
 * into struct replay_args, and its --help.
 */
#include "cli/replay_int.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgreplay_version.h"
#include "report/report.h"
#include "sim/replay.h"
#include "sim/sim.h"

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
    "  -j, --jobs N          use N threads (default: one per core)\n"
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

/* Long options without a short form. */
enum {
	OPT_CHECK = 256,
	OPT_SHARD,
	OPT_MAX_MEMORY,
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
		return (-1);
	}
	*jobs = (unsigned)v;
	return (0);
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
			return (0);
		}
	}
	cli_usage_error("--shard: expected I/N with 1 <= I <= N <= 1000000, "
	    "got '%s'", s);
	return (-1);
}

/*
 * replay_check_mode() - the argument of --check (what) or the value of
 * PGREPLAY_CHECK: absent or "1" samples the full check, "full" runs it
 * after every step.  Returns 0, or -1 after a usage error.
 */
int
replay_check_mode(const char *arg, const char *what, uint32_t *interval)
{
	if (arg == NULL || strcmp(arg, "1") == 0) {
		*interval = 0;
		return (0);
	}
	if (strcmp(arg, "full") == 0) {
		*interval = SIM_CHECK_FULL_EVERY;
		return (0);
	}
	cli_usage_error("%s: unknown check mode '%s' (expected full)", what,
	    arg);
	return (-1);
}

/*
 * replay_parse() - fill a from the command line.  Returns -1 to go on,
 * or the exit status (after printing help, the version or a usage error).
 */
int
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
		return (EXIT_BAD_INPUT);
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
				return (EXIT_BAD_INPUT);
			}
			break;
		case 'o':
			if (optarg[0] == '\0') {
				cli_usage_error("--output needs a file name");
				return (EXIT_BAD_INPUT);
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
				return (EXIT_BAD_INPUT);
			break;
		case OPT_MAX_MEMORY:
			if (cli_parse_size(optarg, &a->max_memory) < 0 ||
			    a->max_memory == 0) {
				cli_usage_error("--max-memory: expected a size "
						"such as 512MiB or 4GiB, got "
						"'%s'",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			a->max_memory_arg = optarg;
			break;
		case 'j':
			if (replay_parse_jobs(optarg, &a->jobs) < 0)
				return (EXIT_BAD_INPUT);
			break;
		case OPT_SHARD:
			if (replay_parse_shard(optarg, a) < 0)
				return (EXIT_BAD_INPUT);
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return (fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT);
		case 'V':
			printf("pgreplay %s\n", PGREPLAY_VERSION);
			return (fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT);
		case GUARD_OPT_TIMELINE:
		case GUARD_OPT_TIMELINE_INTERVAL:
		case GUARD_OPT_HTML:
		case GUARD_OPT_BASELINE:
		case GUARD_OPT_TOLERANCE:
		case GUARD_OPT_JUNIT:
			if (guard_option(&a->guard, ch, optarg) != 0)
				return (EXIT_BAD_INPUT);
			break;
		default:
			return (cli_option_error(NULL, ch, argv));
		}
	}
	if (optind >= argc) {
		cli_usage_error("no trace given");
		return (EXIT_BAD_INPUT);
	}
	if (argc - optind > 1) {
		cli_usage_error("one trace at a time: unexpected '%s'",
		    argv[optind + 1]);
		return (EXIT_BAD_INPUT);
	}
	a->trace = argv[optind];
	if (a->nconfigs == 0) {
		cli_usage_error("no configuration given (use --config FILE)");
		return (EXIT_BAD_INPUT);
	}
	if (guard_check_args(&a->guard) != 0)
		return (EXIT_BAD_INPUT);
	return (-1);
}
