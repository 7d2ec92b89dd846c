/*
 * test_cli.c - "pgreplay convert" and "pgreplay info" as users run them:
 * exit statuses, messages, atomic output, the extension table.
 */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char tmpdir[64];

static void
setup(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(getenv("PGREPLAY_BIN"), "PGREPLAY_BIN must be set");
	cr_assert_not_null(root);
	cr_assert_eq(chdir(root), 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pgtrace-cli-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_expect_eq(system(cmd), 0);
}

/* run() - run "pgreplay ARGS" with stdout+stderr to a file; exit status. */
static int
run(char **output, const char *fmt, ...)
{
	char args[1024], cmd[2048], out[128];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(out, sizeof(out), "%s/output", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s' 2>&1", getenv("PGREPLAY_BIN"),
	    args, out);
	st = system(cmd);
	*output = slurp(out, NULL);
	cr_assert_not_null(*output);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define EX "traces/examples/basic.pgt"

Test(cli, convert_every_extension, .init = setup, .fini = teardown)
{
	static const char *const exts[] = { "pgt", "pgt.zst", "pgb",
		"pgb.zst" };
	char *out, *orig, *back;
	size_t i;

	cr_assert_eq(run(&out, "convert " EX " %s/canon.pgt", tmpdir), 0, "%s",
	    out);
	free(out);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(
		    run(&out, "convert " EX " %s/x.%s", tmpdir, exts[i]), 0,
		    "%s", out);
		cr_expect_str_eq(out, "", "convert is silent on success");
		free(out);
		cr_assert_eq(run(&out, "convert %s/x.%s %s/back.pgt", tmpdir,
				 exts[i], tmpdir),
		    0, "%s", out);
		free(out);
		orig = slurp(
		    strcat(strcpy((char[128]) { 0 }, tmpdir), "/canon.pgt"),
		    NULL);
		back = slurp(
		    strcat(strcpy((char[128]) { 0 }, tmpdir), "/back.pgt"),
		    NULL);
		cr_assert_not_null(orig);
		cr_assert_not_null(back);
		cr_expect_str_eq(orig, back, "via .%s", exts[i]);
		free(orig);
		free(back);
	}
	cr_assert_eq(run(&out,
			 "convert --format binary --zstd " EX " - | "
			 "'%s' convert - -",
			 getenv("PGREPLAY_BIN")),
	    0, "%s", out);
	cr_expect(strncmp(out, "pgtrace 1\n0 proc 100 hog\n", 25) == 0, "%s",
	    out);
	free(out);
}

Test(cli, convert_usage_errors, .init = setup, .fini = teardown)
{
	char *out;

	cr_expect_eq(run(&out, "convert " EX " %s/x.txt", tmpdir), 2);
	cr_expect(strstr(out,
		      "expected a name ending in .pgt, .pgt.zst, .pgb "
		      "or .pgb.zst, or - for standard output") != NULL,
	    "%s", out);
	free(out);
	cr_expect_eq(run(&out, "convert " EX), 2);
	cr_expect(strstr(out, "convert: expected IN and OUT") != NULL, "%s",
	    out);
	free(out);
	cr_expect_eq(run(&out, "convert --format json " EX " -"), 2);
	free(out);
	cr_expect_eq(run(&out, "convert --zstd " EX " %s/x.pgt", tmpdir), 2);
	free(out);
}

Test(cli, convert_bad_input_leaves_no_output, .init = setup, .fini = teardown)
{
	char *out, path[128];

	cr_expect_eq(run(&out,
			 "convert tests/trace/bad/range-past-end.pgt "
			 "%s/x.pgb",
			 tmpdir),
	    2);
	cr_expect_str_eq(out,
	    "pgreplay: tests/trace/bad/range-past-end.pgt:4: "
	    "PINDEX+COUNT 17 exceeds object 1's 16 pages\n");
	free(out);
	snprintf(path, sizeof(path), "%s/x.pgb", tmpdir);
	cr_expect_neq(access(path, F_OK), 0, "no partial OUT");
	cr_expect_eq(run(&out, "ls -A '%s' | grep -c tmp", tmpdir), 1,
	    "no temporary file left: %s", out);
	free(out);
}

Test(cli, info_text_and_json, .init = setup, .fini = teardown)
{
	char *out;

	cr_assert_eq(run(&out, "info " EX), 0, "%s", out);
	cr_expect(
	    strstr(out, "format:       text, version 1, not compressed\n") !=
		NULL,
	    "%s", out);
	cr_expect(strstr(out, "events:       19\n") != NULL, "%s", out);
	cr_expect(strstr(out, "  fault      3\n") != NULL, "%s", out);
	cr_expect(strstr(out, "processes:    2\n") != NULL, "%s", out);
	cr_expect(strstr(out, "objects:      3\n") != NULL, "%s", out);
	cr_expect(strstr(out, "pages mapped: 1544\n") != NULL, "%s", out);
	cr_expect(strstr(out, "swap events:  2\n") != NULL, "%s", out);
	cr_expect(strstr(out, "duration:     13 s\n") != NULL, "%s", out);
	free(out);
	cr_assert_eq(run(&out, "convert " EX " %s/x.pgb.zst", tmpdir), 0);
	free(out);
	cr_assert_eq(run(&out, "info --format json %s/x.pgb.zst", tmpdir), 0);
	cr_expect(strstr(out, "\"format\": \"binary\"") != NULL, "%s", out);
	cr_expect(strstr(out, "\"compressed\": true") != NULL, "%s", out);
	cr_expect(strstr(out, "\"events\": 19") != NULL, "%s", out);
	cr_expect(strstr(out, "\"last_time_ns\": 13000000000") != NULL, "%s",
	    out);
	free(out);
	cr_expect_eq(run(&out, "info tests/trace/bad/bin-unmapped-object.pgb"),
	    2);
	cr_expect_str_eq(out,
	    "pgreplay: tests/trace/bad/bin-unmapped-object.pgb:"
	    " byte 24 (event 2): pid 1 has not mapped object 5\n");
	free(out);
}
