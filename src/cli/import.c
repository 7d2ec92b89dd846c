/*
 * import.c - "pgreplay import perf|strace|lackey|dtrace IN... OUT": turn a
 * recording into a trace (src/import/), written as OUT's name says.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "trace/writer.h"

static const char import_usage[] =
    "usage: pgreplay import perf [options] PERF.txt [STRACE.txt] OUT\n"
    "       pgreplay import strace STRACE.txt OUT\n"
    "       pgreplay import lackey [--ns-per-instr N] [--merge-window T] "
    "LACKEY.txt OUT\n"
    "       pgreplay import dtrace DTRACE.txt OUT\n"
    "\n"
    "Turns a recording (plain or zstd-compressed; '-' is standard input)\n"
    "into a trace OUT, chosen by its name (.pgt, .pgt.zst, .pgb, .pgb.zst;\n"
    "'-' writes text on standard output unless --format binary / --zstd).\n"
    "See docs/recording.md.\n"
    "\n"
    "perf options:\n"
    "  --strace FILE        merge the strace -f log of the same run (also\n"
    "                       the second input): frees, workload processes\n"
    "  --clock FILE         clock file of the run (realtime_minus_monotonic_ns)\n"
    "  --clock-offset NS    realtime minus monotonic clock, nanoseconds\n"
    "  --pid PID            only PID and its descendants\n"
    "  --no-anon-dirty      an anonymous page read first stays clean\n"
    "lackey options:\n"
    "  --ns-per-instr N     trace time per guest instruction (default 1)\n"
    "  --merge-window T     do not repeat a touch of the same page within T\n"
    "                       of trace time (default 1ms; 0 keeps every access)\n";

/* parse_duration() - "1ms", "500us", "0", "2s", "100ns" to ns. */
static bool
parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno != 0 || *s == '-')
		return (false);
	if (strcmp(end, "ns") == 0 || (*end == '\0'))
		*ns = v;
	else if (strcmp(end, "us") == 0 && v <= UINT64_MAX / 1000)
		*ns = v * 1000;
	else if (strcmp(end, "ms") == 0 && v <= UINT64_MAX / 1000000)
		*ns = v * 1000000;
	else if (strcmp(end, "s") == 0 && v <= UINT64_MAX / 1000000000)
		*ns = v * 1000000000;
	else
		return (false);
	return (true);
}

static bool
parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || *s == '-')
		return (false);
	*v = x;
	return (true);
}

int
cli_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strace", required_argument, NULL, 's' },
		{ "clock", required_argument, NULL, 'c' },
		{ "clock-offset", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "no-anon-dirty", no_argument, NULL, 'a' },
		{ "ns-per-instr", required_argument, NULL, 'n' },
		{ "merge-window", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "zstd", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_writer_opts wo = { 0 };
	struct import_options o;
	struct import_stats st;
	struct trace_writer *w = NULL;
	struct pg_error err;
	const char *src, *in, *out, *strace = NULL, *clock = NULL;
	const char *fmt = NULL;
	bool zstd = false, perf_opts = false, lackey_opts = false;
	uint64_t v;
	char *end;
	int c, rc, nin;

	import_options_init(&o);
	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(import_usage, stdout);
		return (0);
	}
	if (argc < 2) {
		cli_usage_error("import: expected perf, strace, lackey or "
				"dtrace");
		return (EXIT_BAD_INPUT);
	}
	src = argv[1];
	if (strcmp(src, "perf") != 0 && strcmp(src, "strace") != 0 &&
	    strcmp(src, "lackey") != 0 && strcmp(src, "dtrace") != 0) {
		cli_usage_error("import: unknown source '%s': expected perf, "
				"strace, lackey or dtrace",
		    src);
		return (EXIT_BAD_INPUT);
	}
	argc--;
	argv++;
	opterr = 0; /* cli_option_error() says what is wrong */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			strace = optarg;
			perf_opts = true;
			break;
		case 'c':
			clock = optarg;
			perf_opts = true;
			break;
		case 'o':
			errno = 0;
			o.clock_offset = strtoll(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0) {
				cli_usage_error("import: bad --clock-offset "
						"'%s': expected nanoseconds",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			o.clock_offset_set = true;
			perf_opts = true;
			break;
		case 'p':
			if (!parse_u64(optarg, &v) || v == 0 ||
			    v > UINT32_MAX) {
				cli_usage_error("import: bad --pid '%s'",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			o.root_pid = (uint32_t)v;
			perf_opts = true;
			break;
		case 'a':
			o.anon_dirty = false;
			break;
		case 'n':
			if (!parse_u64(optarg, &o.ns_per_instr) ||
			    o.ns_per_instr > 1000000000) {
				cli_usage_error("import: bad --ns-per-instr "
						"'%s': expected an integer "
						"from 0 to 1000000000",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			lackey_opts = true;
			break;
		case 'm':
			if (!parse_duration(optarg, &o.merge_ns)) {
				cli_usage_error("import: bad --merge-window "
						"'%s': expected a duration "
						"such as 1ms, 500us or 0",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			lackey_opts = true;
			break;
		case 'f':
			fmt = optarg;
			break;
		case 'z':
			zstd = true;
			break;
		case 'h':
			fputs(import_usage, stdout);
			return (0);
		default:
			return (cli_option_error("import", c, argv));
		}
	}
	if ((perf_opts && strcmp(src, "perf") != 0) ||
	    (lackey_opts && strcmp(src, "lackey") != 0)) {
		cli_usage_error("import %s: option for another source", src);
		return (EXIT_BAD_INPUT);
	}
	nin = argc - optind - 1;
	if (nin < 1 ||
	    nin > (strcmp(src, "perf") == 0 && strace == NULL ? 2 : 1)) {
		cli_usage_error("import %s: expected %s", src,
		    strcmp(src, "perf") == 0 ? "PERF.txt [STRACE.txt] OUT" :
					       "IN OUT");
		return (EXIT_BAD_INPUT);
	}
	in = argv[optind];
	if (nin == 2)
		strace = argv[optind + 1];
	out = argv[argc - 1];
	if (cli_trace_output("import", out, fmt, zstd, &wo) != 0)
		return (EXIT_BAD_INPUT);
	if (clock != NULL) {
		if (import_read_clock(clock, &o.clock_offset, &err) < 0)
			goto fail;
		o.clock_offset_set = true;
	}

	if ((rc = trace_writer_open(out, &wo, &w, &err)) < 0)
		goto fail;
	if (strcmp(src, "perf") == 0)
		rc = import_perf(in, strace, &o, w, &st, &err);
	else if (strcmp(src, "strace") == 0)
		rc = import_strace(in, &o, w, &st, &err);
	else if (strcmp(src, "lackey") == 0)
		rc = import_lackey(in, &o, w, &st, &err);
	else
		rc = import_dtrace(in, &o, w, &st, &err);
	if (rc < 0)
		goto fail;
	if ((rc = trace_writer_finish(w, &err)) < 0)
		goto fail;
	trace_writer_close(w);
	fprintf(stderr,
	    "pgreplay: import %s: %" PRIu64 " lines -> %" PRIu64
	    " events: %" PRIu64 " faults, %" PRIu64 " dirty, %" PRIu64
	    " frees, %" PRIu64 " processes, %" PRIu64 " objects; %" PRIu64
	    " touches, %" PRIu64 " resolved, %" PRIu64 " unresolved\n",
	    src, st.lines, st.events, st.faults, st.dirties, st.frees, st.procs,
	    st.objects_anon + st.objects_file + st.objects_shadow +
		st.objects_phys,
	    st.samples, st.resolved, st.unresolved);
	return (0);
fail:
	cli_report_error(&err);
	trace_writer_close(w);
	return (EXIT_BAD_INPUT);
}
