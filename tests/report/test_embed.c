/*
 * test_embed.c - src/report/embed, the build tool that turns the HTML
 * report's assets into C arrays ($EMBED_BIN): the bytes and the length it
 * writes, and its refusals (usage, an unreadable input, an output that
 * cannot be created), each exit 1 with no output file left behind.
 */
#define _GNU_SOURCE /* asprintf() */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* embed() - run $EMBED_BIN with args (shell words); the exit status. */
static int
embed(const char *args)
{
	const char *bin = getenv("EMBED_BIN");
	char *cmd;
	int st;

	cr_assert_not_null(bin, "EMBED_BIN must be set");
	cr_assert(asprintf(&cmd, "'%s' %s 2>/dev/null", bin, args) > 0);
	st = system(cmd);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* slurp() - a small file, NUL-terminated, into buf. */
static void
slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	cr_assert_not_null(f, "%s", path);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

Test(embed, bytes_and_length)
{
	char dir[] = "/tmp/pgreplay-embed-XXXXXX", *args, buf[4096];
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert(asprintf(&args, "%s/out.c a %s/a.txt b %s/b.txt", dir, dir,
	    dir) > 0);
	f = fopen(strcat(strcpy(buf, dir), "/a.txt"), "w");
	cr_assert_not_null(f);
	fputs("hi\n", f);
	fclose(f);
	f = fopen(strcat(strcpy(buf, dir), "/b.txt"), "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(embed(args), 0);
	slurp(strcat(strcpy(buf, dir), "/out.c"), buf, sizeof(buf));
	cr_expect_not_null(strstr(buf, "const unsigned char a[] = {\n"
	    "\t0x68, 0x69, 0x0a,\n\t0x00\n};\nconst size_t a_len = 3;\n"),
	    "%s", buf);
	cr_expect_not_null(strstr(buf, "const unsigned char b[] = {\n"
	    "\t0x00\n};\nconst size_t b_len = 0;\n"), "%s", buf);
	cr_expect_not_null(strstr(buf, "#include \"report/assets.h\""));
	free(args);
	cr_assert(asprintf(&args, "rm -r '%s'", dir) > 0);
	cr_expect_eq(system(args), 0);
	free(args);
}

Test(embed, refusals_leave_no_output)
{
	char dir[] = "/tmp/pgreplay-embed-XXXXXX", *args, out[64];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/out.c", dir);
	cr_expect_eq(embed(""), 1);
	cr_assert(asprintf(&args, "%s name", out) > 0);
	cr_expect_eq(embed(args), 1, "an odd number of arguments");
	free(args);
	cr_assert(asprintf(&args, "%s name %s/missing.txt", out, dir) > 0);
	cr_expect_eq(embed(args), 1, "a missing input");
	cr_expect_eq(access(out, F_OK), -1, "the output was left behind");
	free(args);
	cr_assert(asprintf(&args, "%s/no/such/dir/out.c name %s", dir,
	    out) > 0);
	cr_expect_eq(embed(args), 1, "an output that cannot be created");
	free(args);
	/* A directory as input: fopen() succeeds, reading fails. */
	cr_assert(asprintf(&args, "%s name %s", out, dir) > 0);
	cr_expect_eq(embed(args), 1, "a directory as input");
	cr_expect_eq(access(out, F_OK), -1, "the output was left behind");
	free(args);
	cr_expect_eq(rmdir(dir), 0);
}
