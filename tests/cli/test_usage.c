/*
 * test_usage.c - the command line a newcomer tries (issue 12, points 4
 * and 7): help for every subcommand, `-o -`, and --check that finishes
 * and stops at once on SIGINT or SIGTERM.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"

#define RUN(res, in, ...)                                                    \
	cr_assert_eq(cli_run(&(res), (in), __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

static const char *const subcommands[] = { "convert", "gen", "import",
	"info", "params", "merge" };

/* pgreplay help, help SUBCOMMAND, SUBCOMMAND --help: the same text. */
Test(help, every_subcommand)
{
	struct cli_result a, b;
	char word[64];
	size_t i;

	RUN(a, NULL, "help");
	RUN(b, NULL, "--help");
	cr_assert_eq(a.status, 0, "exit %d: %s", a.status, a.err);
	cr_assert_eq(a.errlen, 0, "%s", a.err);
	cr_assert(strncmp(a.out, "usage: pgreplay", 15) == 0, "%s", a.out);
	cr_assert_str_eq(a.out, b.out);
	cr_assert(strstr(a.out, "pgreplay help [SUBCOMMAND]") != NULL, "%s",
	    a.out);
	cli_result_free(&a);
	cli_result_free(&b);

	RUN(a, NULL, "help", "replay");
	cr_assert_eq(a.status, 0);
	cr_assert(strstr(a.out, "--config FILE") != NULL, "%s", a.out);
	cli_result_free(&a);

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		RUN(a, NULL, "help", subcommands[i]);
		RUN(b, NULL, subcommands[i], "--help");
		cr_assert_eq(a.status, 0, "help %s: exit %d: %s",
		    subcommands[i], a.status, a.err);
		cr_assert_eq(b.status, 0, "%s --help: exit %d: %s",
		    subcommands[i], b.status, b.err);
		snprintf(word, sizeof(word), "usage: pgreplay %s",
		    subcommands[i]);
		cr_assert(strncmp(a.out, word, strlen(word)) == 0, "%s", a.out);
		cr_assert_str_eq(a.out, b.out);
		cli_result_free(&a);
		cli_result_free(&b);
	}

	RUN(a, NULL, "help", "help");
	cr_assert_eq(a.status, 0);
	cr_assert(strncmp(a.out, "usage: pgreplay help", 20) == 0, "%s", a.out);
	cli_result_free(&a);

	RUN(a, NULL, "help", "frobnicate");
	cr_assert_eq(a.status, 2);
	cr_assert_eq(a.outlen, 0);
	cr_assert(strstr(a.err, "unknown subcommand 'frobnicate'") != NULL,
	    "%s", a.err);
	cli_result_free(&a);
}

/* -o - and --output - write the report on standard output. */
Test(output, dash_is_stdout)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	struct cli_result plain, dash;

	RUN(plain, NULL, t, "-c", c, "-f", "json");
	cr_assert_eq(plain.status, 0, "%s", plain.err);
	RUN(dash, NULL, t, "-c", c, "-f", "json", "-o", "-");
	cr_assert_eq(dash.status, 0, "exit %d: %s", dash.status, dash.err);
	cr_assert_gt(dash.outlen, 0);
	cr_assert_str_eq(dash.out, plain.out);
	cli_result_free(&dash);
	RUN(dash, NULL, t, "-c", c, "-f", "json", "--output=-");
	cr_assert_eq(dash.status, 0, "exit %d: %s", dash.status, dash.err);
	cr_assert_str_eq(dash.out, plain.out);
	cli_result_free(&dash);
	/* Asked for explicitly, the report is written even with -q. */
	RUN(dash, NULL, t, "-c", c, "-f", "json", "-q", "-o", "-");
	cr_assert_eq(dash.status, 0);
	cr_assert_str_eq(dash.out, plain.out);
	cli_result_free(&dash);
	cli_result_free(&plain);
	free(t);
	free(c);
}

static void
demo_paths(char *t, char *c1, char *c2, size_t n)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(root);
	snprintf(t, n, "%s/traces/demo/churn.pgb.zst", root);
	snprintf(c1, n, "%s/configs/demo/baseline.yaml", root);
	snprintf(c2, n, "%s/configs/demo/oom-seq-120.yaml", root);
}

/*
 * --check on the demo finishes (it took over 14 minutes) and reports
 * exactly what the unchecked run reports.
 */
Test(check, demo_with_check_finishes)
{
	char t[1024], c1[1024], c2[1024];
	struct cli_result plain, checked;

	demo_paths(t, c1, c2, sizeof(t));
	unsetenv("PGREPLAY_CHECK");
	RUN(plain, NULL, t, "-c", c1, "-c", c2, "-f", "json");
	cr_assert_eq(plain.status, 0, "%s", plain.err);
	RUN(checked, NULL, t, "-c", c1, "-c", c2, "-f", "json", "--check");
	cr_assert_eq(checked.status, 0, "exit %d: %s", checked.status,
	    checked.err);
	cr_assert_str_eq(checked.out, plain.out);
	cli_result_free(&checked);
	cli_result_free(&plain);
}

/* The check modes: "full" accepted on the command line and in the env. */
Test(check, modes)
{
	char *t = cli_data("small.pgt"), *c = cli_data("base.yaml");
	struct cli_result a, b;

	unsetenv("PGREPLAY_CHECK");
	RUN(a, NULL, t, "-c", c, "-f", "json");
	RUN(b, NULL, t, "-c", c, "-f", "json", "--check=full");
	cr_assert_eq(b.status, 0, "exit %d: %s", b.status, b.err);
	cr_assert_str_eq(a.out, b.out);
	cli_result_free(&b);
	setenv("PGREPLAY_CHECK", "full", 1);
	RUN(b, NULL, t, "-c", c, "-f", "json");
	cr_assert_eq(b.status, 0, "exit %d: %s", b.status, b.err);
	cr_assert_str_eq(a.out, b.out);
	cli_result_free(&b);
	setenv("PGREPLAY_CHECK", "sometimes", 1);
	RUN(b, NULL, t, "-c", c);
	cr_assert_eq(b.status, 2);
	cr_assert(strstr(b.err, "PGREPLAY_CHECK: unknown check mode "
	    "'sometimes'") != NULL, "%s", b.err);
	cli_result_free(&b);
	unsetenv("PGREPLAY_CHECK");
	RUN(b, NULL, t, "-c", c, "--check=often");
	cr_assert_eq(b.status, 2);
	cli_result_free(&b);
	cli_result_free(&a);
	free(t);
	free(c);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * A signal stops a long --check=full run (minutes on the demo) from
 * inside the simulation at once: 130 for SIGINT, 143 for SIGTERM, and no
 * report.
 */
static void
stop_check_run(int sig, int want)
{
	char t[1024], c1[1024], c2[1024];
	struct cli_result r;
	double t0, dt;

	demo_paths(t, c1, c2, sizeof(t));
	t0 = now_s();
	cr_assert_eq(cli_run_signalled(&r, "", sig, 400, t, "-c", c1, "-c", c2,
	    "--check=full", (const char *)NULL), 0);
	dt = now_s() - t0 - 0.4;
	cr_assert_eq(r.status, want, "exit %d: %s", r.status, r.err);
	/*
	 * Within the runner's 3 s window (wall time, on a shared machine);
	 * unloaded it takes a few milliseconds, and the unchecked-loop
	 * version ran on for minutes.
	 */
	cr_assert(r.ended_before_eof, "still running 3 s after the signal "
	    "(%.3f s)", dt);
	cr_assert_eq(r.outlen, 0, "a report after an interruption: %s", r.out);
	cli_result_free(&r);
}

Test(check, sigint_stops_check_run)
{
	stop_check_run(SIGINT, 130);
}

Test(check, sigterm_stops_check_run)
{
	stop_check_run(SIGTERM, 143);
}
