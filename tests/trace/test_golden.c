/*
 * test_golden.c - every input in tests/trace/bad/ is refused with exactly
 * the message in its .err file (pg_error_format(), path as passed).
 * With PGREPLAY_REGEN_GOLDEN=1 the .err files are rewritten instead:
 * review the diff before committing.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <unistd.h>

#include "lib/golden.h"
#include "helpers.h"

#define BAD_DIR "tests/trace/bad"
#define MIN_BAD 25

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(golden, rejected_inputs)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	bool regen = golden_regen();
	char *names[256], path[512], errpath[600], got[1200], *want, *nl;
	struct pg_error err;
	struct dirent *d;
	struct tev *evs;
	size_t n, i, nnames = 0, len;
	DIR *dir;
	FILE *f;
	int rc;

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT must be set");
	cr_assert_eq(chdir(root), 0);
	dir = opendir(BAD_DIR);
	cr_assert_not_null(dir);
	while ((d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (d->d_name[0] == '.' ||
		    (len > 4 && strcmp(d->d_name + len - 4, ".err") == 0))
			continue;
		cr_assert_lt(nnames, 256);
		names[nnames++] = strdup(d->d_name);
	}
	closedir(dir);
	qsort(names, nnames, sizeof(names[0]), cmp_names);
	cr_expect_geq(nnames, MIN_BAD, "only %zu bad traces", nnames);

	for (i = 0; i < nnames; i++) {
		snprintf(path, sizeof(path), BAD_DIR "/%s", names[i]);
		snprintf(errpath, sizeof(errpath), "%s.err", path);
		memset(&err, 0, sizeof(err));
		rc = read_events(path, NULL, 0, true, &evs, &n, NULL, &err);
		free(evs);
		cr_expect_lt(rc, 0, "%s was accepted", path);
		if (rc >= 0)
			continue;
		pg_error_format(&err, got, sizeof(got));
		if (regen) {
			f = fopen(errpath, "w");
			cr_assert_not_null(f);
			fprintf(f, "%s\n", got);
			fclose(f);
			continue;
		}
		want = slurp(errpath, NULL);
		cr_expect_not_null(want, "%s: missing", errpath);
		if (want == NULL)
			continue;
		if ((nl = strchr(want, '\n')) != NULL)
			*nl = '\0';
		cr_expect_str_eq(got, want, "%s", path);
		free(want);
		free(names[i]);
	}
}
