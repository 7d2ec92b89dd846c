/*
 * test_cli.c - `pgreplay import` run as a child process ($PGREPLAY_BIN):
 * exit codes, the one-line message of a bad input, and `info` showing the
 * notes of an imported trace.
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

TestSuite(import_cli, .fini = tmp_cleanup);

Test(import_cli, perf_to_info)
{
	const char *bin = getenv("PGREPLAY_BIN");
	char cmd[2048], buf[16384], out[256];

	to_root();
	cr_assert_not_null(bin);
	tmp_path(out, sizeof(out), ".pgb.zst");
	snprintf(cmd, sizeof(cmd),
	    "'%s' import perf --strace " DATA
	    "sqlite3-small.strace.txt.zst " DATA
	    "sqlite3-small.perf.txt.zst '%s' 2>&1",
	    bin, out);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 0, "%s", buf);
	cr_expect_not_null(strstr(buf, "375 resolved, 0 unresolved"), "%s",
	    buf);
	snprintf(cmd, sizeof(cmd), "'%s' info '%s' 2>&1", bin, out);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 0, "%s", buf);
	cr_expect_not_null(strstr(buf, "binary, version 1, zstd-compressed"));
	cr_expect_not_null(strstr(buf, "notes:\n"), "%s", buf);
	cr_expect_not_null(strstr(buf, "first touches only"), "%s", buf);
	/* The text form keeps the notes too. */
	snprintf(cmd, sizeof(cmd), "'%s' convert '%s' - 2>&1", bin, out);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 0);
	cr_expect_not_null(strstr(buf, "\n#@note first touches only"));
}

Test(import_cli, bad_input_exit_2)
{
	const char *bin = getenv("PGREPLAY_BIN");
	char cmd[2048], buf[4096];

	to_root();
	snprintf(cmd, sizeof(cmd),
	    "'%s' import strace tests/import/bad/strace-bad-time.txt - "
	    "2>&1 >/dev/null",
	    bin);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 2);
	cr_expect_str_eq(buf,
	    "pgreplay: tests/import/bad/strace-bad-time.txt:2: bad time "
	    "\"yesterday\": expected seconds since the epoch (-ttt or "
	    "--timestamps=unix) or HH:MM:SS.F (-tt)\n");
	snprintf(cmd, sizeof(cmd), "'%s' import nosuch a b 2>&1", bin);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 2);
	cr_expect_not_null(strstr(buf, "unknown source 'nosuch'"));
	snprintf(cmd, sizeof(cmd), "'%s' import dtrace a b.txt 2>&1", bin);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 2);
	cr_expect_not_null(strstr(buf, "cannot tell the format"));
	snprintf(cmd, sizeof(cmd), "'%s' import lackey --strace x a b.pgt 2>&1",
	    bin);
	cr_expect_eq(run(cmd, buf, sizeof(buf)), 2);
}
