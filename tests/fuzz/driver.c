/*
 * driver.c - main() for a fuzz target built without a fuzzing engine:
 * runs LLVMFuzzerTestOneInput() once per file named on the command line,
 * or per regular file in a directory named there (in name order, names
 * starting with '.' skipped, so that a directory can hold a .keep file).
 * Prints how many inputs ran; exits 1 when an argument cannot be read
 * and 2 when nothing at all was run, so that a lost corpus is noticed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* driver_run_file() - one input; returns 0 or -1 (printed). */
static int
driver_run_file(const char *path)
{
	FILE *f;
	uint8_t *buf;
	long n;
	size_t got;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "driver: %s: cannot size\n", path);
		fclose(f);
		return -1;
	}
	/* One extra byte, so that an empty file is a valid pointer. */
	buf = malloc((size_t)n + 1);
	if (buf == NULL) {
		fprintf(stderr, "driver: %s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	if (got != (size_t)n) {
		fprintf(stderr, "driver: %s: short read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

static int
driver_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* driver_run_dir() - every file of dir; returns the count or -1. */
static long
driver_run_dir(const char *dir)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **nn, *path;
	size_t n = 0, cap = 0, i;
	long ran = 0;
	struct stat st;

	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "driver: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL)
				goto nomem;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	closedir(d);
	d = NULL;
	if (n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), driver_cmp);
	for (i = 0; i < n; i++) {
		path = malloc(strlen(dir) + strlen(names[i]) + 2);
		if (path == NULL)
			goto nomem;
		sprintf(path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (driver_run_file(path) < 0)
				ran = -1;
			else if (ran >= 0)
				ran++;
		}
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ran;
nomem:
	fprintf(stderr, "driver: %s: out of memory\n", dir);
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return -1;
}

int
main(int argc, char **argv)
{
	struct stat st;
	long total = 0, r;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "driver: %s: %s\n", argv[i],
			    strerror(errno));
			bad = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			r = driver_run_dir(argv[i]);
			if (r < 0)
				bad = 1;
			else
				total += r;
		} else if (driver_run_file(argv[i]) < 0) {
			bad = 1;
		} else {
			total++;
		}
	}
	printf("%s: %ld inputs run\n", argc > 0 ? argv[0] : "driver", total);
	if (bad)
		return 1;
	return total > 0 ? 0 : 2;
}
