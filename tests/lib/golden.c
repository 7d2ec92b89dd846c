/*
 * golden.c - golden files: regeneration and diffs (golden.h).
 */
#include "lib/golden.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool
golden_regen(void)
{
	const char *v = getenv("PGREPLAY_REGEN_GOLDEN");

	return (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0);
}

char *
golden_diff(const char *path, const char *got, size_t n)
{
	char tmp[512], cmd[2048], line[1024];
	size_t len = 0, cap = 4096, lines = 0;
	char *out;
	FILE *f, *p;
	int fd;

	out = malloc(cap);
	cr_assert_not_null(out);
	out[0] = '\0';
	snprintf(tmp, sizeof(tmp), "%s/pgreplay-golden-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : P_tmpdir);
	fd = mkstemp(tmp);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	f = fdopen(fd, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(got, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s' 2>&1", path, tmp);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run diff");
	while (fgets(line, sizeof(line), p) != NULL) {
		if (lines++ == GOLDEN_DIFF_LINES) {
			snprintf(line, sizeof(line), "[... more lines]\n");
		} else if (lines > GOLDEN_DIFF_LINES) {
			continue;
		}
		/* diff's second header names the scratch file: say "got". */
		if (lines == 2 && strncmp(line, "+++ ", 4) == 0)
			snprintf(line, sizeof(line), "+++ got\n");
		if (len + strlen(line) + 1 > cap) {
			cap = 2 * cap + strlen(line);
			out = realloc(out, cap);
			cr_assert_not_null(out);
		}
		memcpy(out + len, line, strlen(line) + 1);
		len += strlen(line);
	}
	pclose(p);
	unlink(tmp);
	return (out);
}

void
golden_check(const char *path, const char *got, size_t n, const char *what)
{
	char *want = NULL, *diff;
	long wn = -1;
	FILE *f;

	if (golden_regen()) {
		f = fopen(path, "wb");
		cr_assert_not_null(f, "cannot write %s: %s", path,
		    strerror(errno));
		cr_assert_eq(fwrite(got, 1, n, f), n);
		cr_assert_eq(fclose(f), 0);
		return;
	}
	if ((f = fopen(path, "rb")) != NULL) {
		if (fseek(f, 0, SEEK_END) == 0 && (wn = ftell(f)) >= 0) {
			rewind(f);
			want = malloc((size_t)wn + 1);
			cr_assert_not_null(want);
			if (fread(want, 1, (size_t)wn, f) != (size_t)wn)
				wn = -1;
		}
		fclose(f);
	}
	cr_assert_geq(wn, 0, "no golden %s for %s (PGREPLAY_REGEN_GOLDEN=1 "
	    "writes it)", path, what);
	if ((size_t)wn == n && memcmp(want, got, n) == 0) {
		free(want);
		return;
	}
	free(want);
	diff = golden_diff(path, got, n);
	cr_assert_fail("%s differs from %s; if the change is intended, "
	    "regenerate with PGREPLAY_REGEN_GOLDEN=1 and review the diff:\n%s",
	    what, path, diff);
}
