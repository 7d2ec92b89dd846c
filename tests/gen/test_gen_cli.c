/*
 * test_gen_cli.c - "pgreplay gen" as users see it: --list, WORKLOAD
 * --help, the output formats, and one-line refusals with exit status 2.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/runner.h"

#define RUN(res, ...)                                                    \
	cr_assert_eq(cli_run(&(res), NULL, __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

static void
assert_one_line_error(const struct cli_result *r, const char *says)
{
	cr_assert_eq(r->status, 2, "exit %d, stderr %s", r->status, r->err);
	cr_assert_eq(r->outlen, 0, "stdout: %s", r->out);
	cr_assert_eq(cli_lines(r->err), 1, "stderr: %s", r->err);
	cr_assert(strncmp(r->err, "pgreplay: gen ", 14) == 0, "%s", r->err);
	cr_assert(strstr(r->err, says) != NULL, "'%s' not in %s", says,
	    r->err);
}

Test(gen_cli, list_names_every_workload)
{
	static const char *const names[] = { "anon-hog", "file-stream",
		"dirty-churn", "fork-server", "mixed", "db-backup-leak" };
	struct cli_result r;
	size_t i;

	RUN(r, "gen", "--list");
	cr_assert_eq(r.status, 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert(strstr(r.out, names[i]) != NULL, "%s", names[i]);
	cli_result_free(&r);
}

Test(gen_cli, workload_help_lists_parameters_with_defaults)
{
	struct cli_result r;

	RUN(r, "gen", "dirty-churn", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--skew") != NULL);
	cr_assert(strstr(r.out, "default 0.99, from 0 to 8") != NULL, "%s",
	    r.out);
	cr_assert(strstr(r.out, "default 512MiB") != NULL);
	cli_result_free(&r);
}

Test(gen_cli, writes_what_info_reads)
{
	char *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	snprintf(path, sizeof(path), "%s/m.pgb.zst", dir);
	RUN(r, "gen", "mixed", "--duration", "50ms", "--rate=10000", path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.errlen, 0);
	cli_result_free(&r);
	RUN(r, "info", path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "binary") != NULL && strstr(r.out, "zstd"),
	    "%s", r.out);
	/* 4 procs, 4 anon + 8 file maps, 490 accesses, 4 exits. */
	cr_assert(strstr(r.out, "events:       510") != NULL, "%s", r.out);
	cli_result_free(&r);
	unlink(path);
	rmdir(dir);
	free(dir);
}

Test(gen_cli, dash_writes_text_on_stdout)
{
	struct cli_result r;

	RUN(r, "gen", "anon-hog", "--size", "64KiB", "--chunk", "16KiB", "-");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "pgtrace 1\n"
				"0 proc 100 hog\n"
				"0 map 100 1 anon 16\n"
				"0 dirty 100 1 0 4\n"
				"0.000015258 dirty 100 1 4 4\n"
				"0.000030517 dirty 100 1 8 4\n"
				"0.000045776 dirty 100 1 12 4\n"
				"0.000061035 exit 100\n");
	cli_result_free(&r);
}

Test(gen_cli, bad_input_is_one_line_and_exit_2)
{
	char *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	snprintf(path, sizeof(path), "%s/x.pgb", dir);
	RUN(r, "gen", "anon-hog", "--size", "1GB", path);
	assert_one_line_error(&r, "gen anon-hog: --size '1GB': expected a "
				  "size");
	cli_result_free(&r);
	RUN(r, "gen", "anon-hog", "--procs", "0", path);
	assert_one_line_error(&r, "from 1 to 1024");
	cli_result_free(&r);
	RUN(r, "gen", "anon-hog", "--sise", "1MiB", path);
	assert_one_line_error(&r, "did you mean --size?");
	cli_result_free(&r);
	RUN(r, "gen", "mixed", "--files", "0", path);
	assert_one_line_error(&r, "--anon-share 100%");
	cli_result_free(&r);
	/* Nothing is left behind by a refused run. */
	cr_assert_eq(cli_dir_entries(dir), 0);

	RUN(r, "gen", "no-such", path);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown workload 'no-such'") != NULL);
	cli_result_free(&r);
	RUN(r, "gen", "mixed", "out.txt");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "cannot tell the format") != NULL);
	cli_result_free(&r);
	RUN(r, "gen", "mixed", "--rate");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--rate needs a value") != NULL);
	cli_result_free(&r);
	RUN(r, "gen", "mixed");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "expected OUT") != NULL);
	cli_result_free(&r);
	rmdir(dir);
	free(dir);
}

Test(gen_cli, interrupted_generation_leaves_no_file)
{
	char *dir = cli_tmpdir(), path[512];
	struct cli_result r;

	/* 10^10 events: minutes of work, stopped after 300 ms. */
	snprintf(path, sizeof(path), "%s/big.pgb", dir);
	cr_assert_eq(cli_run_signalled(&r, "", SIGINT, 300, "gen", "mixed",
	    "--rate", "100000000", "--duration", "100s", path,
	    (const char *)NULL), 0);
	cr_assert_eq(r.status, 130, "exit %d, stderr %s", r.status, r.err);
	cr_assert_eq(cli_dir_entries(dir), 0, "a file was left behind");
	cli_result_free(&r);
	rmdir(dir);
	free(dir);
}
