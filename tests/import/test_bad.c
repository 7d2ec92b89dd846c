/*
 * test_bad.c - every input in tests/import/bad/ is refused with exactly
 * the message in its .err file; the importer is named by the file's name
 * up to the first '-' (perf, strace, lackey, dtrace).  With
 * PGREPLAY_REGEN_GOLDEN=1 the .err files are rewritten instead: review
 * the diff before committing.
 */
#include "lib/golden.h"
#include "helpers.h"

#define BAD_DIR "tests/import/bad"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TestSuite(import_bad, .fini = tmp_cleanup);

Test(import_bad, rejected_inputs)
{
	bool regen = golden_regen();
	char *names[128], path[512], errpath[600], got[1200], want[1200];
	char kind[16], out[256], *dash, *nl;
	struct import_stats st;
	struct pg_error err;
	struct dirent *d;
	size_t nnames = 0, i, len, n;
	unsigned kinds = 0;
	DIR *dir;
	FILE *f;
	int rc;

	to_root();
	dir = opendir(BAD_DIR);
	cr_assert_not_null(dir);
	while ((d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (d->d_name[0] == '.' ||
		    (len > 4 && strcmp(d->d_name + len - 4, ".err") == 0))
			continue;
		cr_assert_lt(nnames, 128);
		names[nnames++] = strdup(d->d_name);
	}
	closedir(dir);
	qsort(names, nnames, sizeof(names[0]), cmp_names);
	cr_expect_geq(nnames, 16, "only %zu bad inputs", nnames);
	for (i = 0; i < nnames; i++) {
		dash = strchr(names[i], '-');
		cr_assert_not_null(dash, "%s: no KIND- prefix", names[i]);
		n = (size_t)(dash - names[i]);
		cr_assert_lt(n, sizeof(kind));
		memcpy(kind, names[i], n);
		kind[n] = '\0';
		kinds |= strcmp(kind, "perf") == 0 ? 1 :
		    strcmp(kind, "strace") == 0	   ? 2 :
		    strcmp(kind, "lackey") == 0	   ? 4 :
		    strcmp(kind, "dtrace") == 0	   ? 8 :
						     0;
		snprintf(path, sizeof(path), BAD_DIR "/%s", names[i]);
		snprintf(errpath, sizeof(errpath), "%s.err", path);
		tmp_path(out, sizeof(out), ".pgt");
		memset(&err, 0, sizeof(err));
		rc = run_import(kind, path, NULL, NULL, out, false, &st, &err);
		cr_expect_lt(rc, 0, "%s was accepted", path);
		cr_expect_eq(access(out, F_OK), -1, "%s left a trace", path);
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
		f = fopen(errpath, "r");
		cr_expect_not_null(f, "%s: missing", errpath);
		if (f == NULL)
			continue;
		want[0] = '\0';
		if (fgets(want, sizeof(want), f) == NULL)
			want[0] = '\0';
		fclose(f);
		if ((nl = strchr(want, '\n')) != NULL)
			*nl = '\0';
		cr_expect_str_eq(got, want, "%s", path);
		free(names[i]);
	}
	cr_expect_eq(kinds, 15, "every importer has bad inputs");
}
