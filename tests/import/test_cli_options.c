/*
 * test_cli_options.c - `pgreplay import` option handling, run as a child
 * process ($PGREPLAY_BIN): every refused command line exits 2 with its
 * one message, and the accepted option forms (durations in every unit,
 * --format and --zstd on standard output, a clock file, --pid) run.
 */
#include <sys/wait.h>

#include "helpers.h"

/* run() - sh -c cmd; stdout+stderr into buf; returns the exit status. */
static int
run(const char *cmd, char *buf, size_t n)
{
	FILE *p;
	size_t got;
	int st;

	p = popen(cmd, "r");
	cr_assert_not_null(p);
	got = fread(buf, 1, n - 1, p);
	buf[got] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct cli_case {
	const char *args; /* after "pgreplay import" */
	int status;
	const char *want; /* in stdout+stderr */
};

#define STRACE DATA "semantics.strace.txt"
#define LACKEY DATA "sqlite3-small.lackey-excerpt.txt.zst"
#define PERF DATA "sqlite3-small.perf-head.txt.zst"

static const struct cli_case refused[] = {
	{ "", 2, "import: expected perf, strace, lackey or dtrace" },
	{ "foo a b", 2, "unknown source 'foo': expected perf, strace" },
	{ "strace --bogus a b", 2, "import: unknown option '--bogus'" },
	{ "strace --pid 5 a b", 2, "import strace: option for another source" },
	{ "perf --ns-per-instr 3 a b", 2,
	    "import perf: option for another source" },
	{ "lackey --ns-per-instr x a b", 2,
	    "bad --ns-per-instr 'x': expected an integer from 0 to 1000000000" },
	{ "lackey --ns-per-instr 2000000000 a b", 2,
	    "bad --ns-per-instr '2000000000'" },
	{ "lackey --merge-window 5parsecs a b", 2,
	    "bad --merge-window '5parsecs': expected a duration" },
	{ "lackey --merge-window -1ms a b", 2, "bad --merge-window '-1ms'" },
	{ "lackey --merge-window 99999999999999999999ms a b", 2,
	    "bad --merge-window '99999999999999999999ms'" },
	{ "lackey --merge-window 99999999999999s a b", 2,
	    "bad --merge-window '99999999999999s'" },
	{ "perf --clock-offset 12x a b", 2,
	    "bad --clock-offset '12x': expected nanoseconds" },
	{ "perf --pid 0 a b", 2, "bad --pid '0'" },
	{ "perf --pid 4294967296 a b", 2, "bad --pid '4294967296'" },
	{ "perf --pid -3 a b", 2, "bad --pid '-3'" },
	{ "strace a", 2, "import strace: expected IN OUT" },
	{ "strace a b c", 2, "import strace: expected IN OUT" },
	{ "perf a b c d", 2, "import perf: expected PERF.txt [STRACE.txt] OUT" },
	{ "strace " STRACE " out.txt", 2,
	    "cannot tell the format of 'out.txt': expected a name ending in "
	    ".pgt" },
	{ "strace --format text " STRACE " x.pgt", 2,
	    "--format and --zstd are for '-' output; 'x.pgt' is named by its "
	    "extension" },
	{ "strace --zstd " STRACE " x.pgt", 2,
	    "--format and --zstd are for '-' output" },
	{ "strace --format yaml " STRACE " -", 2,
	    "bad --format 'yaml': expected text or binary" },
	{ "perf --clock nonexistent.txt " PERF " -", 2,
	    "nonexistent.txt: cannot open: No such file or directory" },
	{ "perf --clock " STRACE " " PERF " -", 2,
	    "no \"realtime_minus_monotonic_ns N\" line: expected the clock "
	    "file of traces/record/linux.sh" },
	{ "dtrace nonexistent.txt -", 2,
	    "nonexistent.txt: cannot open: No such file or directory" },
	{ "dtrace " DATA "freebsd-sample.dtrace.txt nonexistent-dir/x.pgt", 2,
	    "nonexistent-dir/x.pgt: cannot create: No such file or directory" },
};

static const struct cli_case accepted[] = {
	{ "--help", 0, "usage: pgreplay import perf [options]" },
	{ "perf -h", 0, "lackey options:" },
	{ "strace --format binary --zstd " STRACE " -", 0,
	    "import strace: 19 lines -> 14 events" },
	{ "strace --format binary " STRACE " -", 0,
	    "import strace: 19 lines -> 14 events" },
	{ "lackey --merge-window 2s --ns-per-instr 0 " LACKEY " -", 0,
	    "import lackey: 150012 lines" },
	{ "lackey --merge-window 500us " LACKEY " -", 0,
	    "import lackey: 150012 lines" },
	{ "lackey --merge-window 100ns " LACKEY " -", 0,
	    "import lackey: 150012 lines" },
	{ "lackey --merge-window 7 --ns-per-instr 1000 " LACKEY " -", 0,
	    "import lackey: 150012 lines" },
	{ "perf --clock " DATA "sqlite3-small.clock.txt --no-anon-dirty "
	  "--pid 22525 " PERF " " DATA "sqlite3-small.strace.txt.zst -",
	    0, "import perf: 658 lines" },
	{ "perf --clock-offset -5 --strace " DATA
	  "sqlite3-small.strace.txt.zst " PERF " -",
	    0, "import perf: 658 lines" },
};

static void
check(const struct cli_case *c)
{
	const char *bin = getenv("PGREPLAY_BIN");
	char cmd[2048], buf[1 << 16];
	int st;

	cr_assert_not_null(bin);
	/* Help is on stdout; otherwise the trace there is not looked at. */
	snprintf(cmd, sizeof(cmd), "'%s' import %s 2>&1%s", bin, c->args,
	    strstr(c->args, "-h") != NULL ? "" : " >/dev/null");
	st = run(cmd, buf, sizeof(buf));
	cr_expect_eq(st, c->status, "import %s: exit %d, expected %d: %s",
	    c->args, st, c->status, buf);
	cr_expect_not_null(strstr(buf, c->want),
	    "import %s: no \"%s\" in: %s", c->args, c->want, buf);
	if (c->status != 0)
		cr_expect_not_null(strstr(buf, "pgreplay: "),
		    "import %s: message without the program name: %s",
		    c->args, buf);
}

TestSuite(import_cli_options, .fini = tmp_cleanup);

Test(import_cli_options, refused_command_lines_exit_2)
{
	size_t i;

	to_root();
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		check(&refused[i]);
}

Test(import_cli_options, accepted_option_forms)
{
	size_t i;

	to_root();
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		check(&accepted[i]);
}
