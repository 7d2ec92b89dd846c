/*
 * test_golden.c - every configuration under tests/conf/bad/ must be
 * refused with exactly the one-line message in the .err file beside it.
 *
 * Run with PGREPLAY_REGEN_GOLDEN=1 to (re)write the .err files from what
 * the loader says now; review the diff before committing it
 * (docs/configuration.md, "Golden files").
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/golden.h"
#include "conf/conf.h"

#define MAX_FILES 256

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (f == NULL)
		return (-errno);
	if (fgets(buf, (int)n, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return (0);
}

Test(golden, bad_configs)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	bool regen = golden_regen();
	char *names[MAX_FILES], dir[1024], errpath[600], want[1200];
	char got[1200];
	struct pg_config *cfg = malloc(sizeof(*cfg));
	struct pg_error e;
	struct dirent *de;
	size_t n = 0, i, len, failed = 0;
	DIR *d;
	FILE *f;

	cr_assert_not_null(cfg);
	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT not set");
	/* Paths in messages are relative to tests/conf, stable anywhere. */
	snprintf(dir, sizeof(dir), "%s/tests/conf", root);
	cr_assert_eq(chdir(dir), 0, "chdir %s", dir);
	d = opendir("bad");
	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0) {
			cr_assert_lt(n, MAX_FILES);
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	cr_assert_geq(n, 15, "only %zu bad configs", n);
	for (i = 0; i < n; i++) {
		char path[600];

		snprintf(path, sizeof(path), "bad/%s", names[i]);
		snprintf(errpath, sizeof(errpath), "bad/%.*s.err",
		    (int)(strlen(names[i]) - 5), names[i]);
		pg_error_clear(&e);
		if (conf_load(path, cfg, &e) == 0) {
			cr_log_error("%s: accepted", path);
			failed++;
			continue;
		}
		pg_error_format(&e, got, sizeof(got));
		if (regen) {
			f = fopen(errpath, "w");
			cr_assert_not_null(f, "cannot write %s", errpath);
			fprintf(f, "%s\n", got);
			fclose(f);
			continue;
		}
		if (read_line(errpath, want, sizeof(want)) != 0) {
			cr_log_error("%s: missing %s", path, errpath);
			failed++;
			continue;
		}
		if (strcmp(want, got) != 0) {
			cr_log_error("%s:\n  want: %s\n  got:  %s", path, want,
			    got);
			failed++;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(cfg);
	cr_assert_eq(failed, 0, "%zu of %zu golden configs differ", failed, n);
}
