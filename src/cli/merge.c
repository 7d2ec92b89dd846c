/*
 * merge.c - `pgreplay merge REPORT.json...`: combine the JSON reports of
 * `pgreplay --shard I/N` runs into the report one process would have
 * written (docs/scaling.md).
 *
 * Shard I of N holds the runs k (0-based, in expansion order) with
 * k % N == I - 1, in order (src/sim/replay.h), so run k of the whole
 * replay is run k / N of shard k % N + 1.  The merged document is the
 * first shard's with its "shard" member removed and "runs" replaced by
 * every run in that order; it is dumped as report_write_json() dumps (the
 * shard test compares the result with a single process byte for byte).
 * Every other top-level member (version, trace, anything later versions
 * add) must be equal in all shards.
 *
 * Exit status: 0, 1 when an expect assertion of a run failed (as the
 * replay itself), 2 for bad usage or reports that do not fit together.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgreplay_version.h"

/* Must equal JSON_FLAGS of src/report/json.c. */
#define MERGE_JSON_FLAGS \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
#define MERGE_SHARDS_MAX 1000000

static const char merge_usage[] =
    "usage: pgreplay merge REPORT.json...\n"
    "\n"
    "Combines the JSON reports of 'pgreplay --shard I/N -f json' (every shard\n"
    "1..N of one replay, in any order) into the report a single process\n"
    "would have written, on standard output.  Exit status: 0, 1 an expect\n"
    "check failed in a run, 2 bad usage or reports that do not fit together.\n";

/* One shard report: its file, document and place. */
struct merge_shard {
	const char *path;
	json_t *root;
	json_t *runs;
	json_int_t index, count, total;
};

static void
merge_error(const char *path, const char *fmt, const char *a, const char *b)
{
	struct pg_error e;

	pg_error_clear(&e);
	snprintf(e.file, sizeof(e.file), "%s", path);
	snprintf(e.msg, sizeof(e.msg), fmt, a, b);
	cli_report_error(&e);
}

/* merge_int() - the integer member key of obj, or -1. */
static json_int_t
merge_int(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return (json_is_integer(v) ? json_integer_value(v) : -1);
}

/*
 * merge_load() - read one shard report and check its own consistency.
 * Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
merge_load(const char *path, struct merge_shard *sh)
{
	json_error_t je;
	json_t *ver, *shard;
	json_int_t want;
	char line[32];

	sh->path = path;
	sh->root = json_load_file(path, 0, &je);
	if (sh->root == NULL) {
		struct pg_error e;

		pg_error_clear(&e);
		snprintf(e.file, sizeof(e.file), "%s", path);
		e.pos_kind = je.line > 0 ? PG_POS_LINE : PG_POS_NONE;
		e.pos = je.line > 0 ? (uint64_t)je.line : 0;
		snprintf(e.msg, sizeof(e.msg),
		    "expected a JSON report of pgreplay: %s", je.text);
		cli_report_error(&e);
		return (EXIT_BAD_INPUT);
	}
	ver = json_object_get(sh->root, "pgreplay");
	if (!json_is_string(ver)) {
		merge_error(path, "expected a JSON report of pgreplay (no "
		    "\"pgreplay\" version member)%s%.0s", "", "");
		return (EXIT_BAD_INPUT);
	}
	if (strcmp(json_string_value(ver), PGREPLAY_VERSION) != 0) {
		merge_error(path, "written by pgreplay %s, this is pgreplay %s",
		    json_string_value(ver), PGREPLAY_VERSION);
		return (EXIT_BAD_INPUT);
	}
	shard = json_object_get(sh->root, "shard");
	sh->index = merge_int(shard, "index");
	sh->count = merge_int(shard, "count");
	sh->total = merge_int(shard, "total_runs");
	sh->runs = json_object_get(sh->root, "runs");
	if (!json_is_object(shard) || sh->count < 1 ||
	    sh->count > MERGE_SHARDS_MAX || sh->index < 1 ||
	    sh->index > sh->count || sh->total < 0) {
		merge_error(path, "expected the report of a shard (a \"shard\" "
		    "member with index, count and total_runs, as written by "
		    "'pgreplay --shard I/N -f json')%s%.0s", "", "");
		return (EXIT_BAD_INPUT);
	}
	want = sh->total / sh->count +
	    (sh->index - 1 < sh->total % sh->count ? 1 : 0);
	if (!json_is_array(sh->runs) ||
	    (json_int_t)json_array_size(sh->runs) != want) {
		snprintf(line, sizeof(line), "%" JSON_INTEGER_FORMAT, want);
		merge_error(path, "expected %s runs in \"runs\" for this "
		    "shard%.0s", line, "");
		return (EXIT_BAD_INPUT);
	}
	return (0);
}

/*
 * merge_fits() - b belongs to the same replay as a: same shard count and
 * runs, and every top-level member but "runs" and "shard" equal.
 * Returns 0 or EXIT_BAD_INPUT (printed).
 */
static int
merge_fits(const struct merge_shard *a, const struct merge_shard *b)
{
	const char *key;
	json_t *v;

	if (a->count != b->count || a->total != b->total) {
		merge_error(b->path, "a shard of another split or sweep than "
		    "%s (shard count or total runs differ)%s", a->path, "");
		return (EXIT_BAD_INPUT);
	}
	if (a->index == b->index) {
		merge_error(b->path, "the same shard as %s%.0s", a->path, "");
		return (EXIT_BAD_INPUT);
	}
	json_object_foreach(b->root, key, v) {
		if (strcmp(key, "runs") == 0 || strcmp(key, "shard") == 0)
			continue;
		if (!json_equal(v, json_object_get(a->root, key))) {
			merge_error(b->path, strcmp(key, "trace") == 0 ?
			    "a report of another trace than %s%.0s" :
			    "does not match %s (member \"%s\" differs)",
			    a->path, key);
			return (EXIT_BAD_INPUT);
		}
	}
	json_object_foreach(a->root, key, v) {
		if (json_object_get(b->root, key) == NULL) {
			merge_error(b->path, "does not match %s (member \"%s\" "
			    "missing)", a->path, key);
			return (EXIT_BAD_INPUT);
		}
	}
	return (0);
}

/* merge_num() - a JSON number as a double. */
static double
merge_num(json_t *v)
{
	return (json_number_value(v));
}

/*
 * merge_tell_failures() - the stderr lines of a failed expect, as the
 * replay prints them.  Returns the number of failures.
 */
static size_t
merge_tell_failures(json_t *runs)
{
	const char *name;
	json_t *run, *e;
	size_t i, j, n = 0;

	json_array_foreach(runs, i, run) {
		name = json_string_value(json_object_get(run, "name"));
		json_array_foreach(json_object_get(run, "expect"), j, e) {
			const char *stat =
			    json_string_value(json_object_get(e, "stat"));
			json_t *val = json_object_get(e, "value");
			json_t *min = json_object_get(e, "min");
			json_t *max = json_object_get(e, "max");

			if (json_is_true(json_object_get(e, "ok")))
				continue;
			n++;
			if (json_is_null(val))
				fprintf(stderr, "pgreplay: %s: expect %s: not "
				    "reported\n", name, stat);
			else if (json_is_number(min) &&
			    merge_num(val) < merge_num(min))
				fprintf(stderr, "pgreplay: %s: expect %s >= %g "
				    "failed: got %.9g\n", name, stat,
				    merge_num(min), merge_num(val));
			else
				fprintf(stderr, "pgreplay: %s: expect %s <= %g "
				    "failed: got %.9g\n", name, stat,
				    merge_num(max), merge_num(val));
		}
	}
	return (n);
}

/*
 * merge_write() - the merged document of the count shards, sorted by
 * index in by[], on standard output.  Returns the exit status.
 */
static int
merge_write(struct merge_shard **by, json_int_t count)
{
	json_t *root, *runs;
	json_int_t k, total = by[0]->total;
	int ret = 0;

	root = json_copy(by[0]->root);
	runs = json_array();
	if (root == NULL || runs == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	for (k = 0; k < total; k++)
		if (json_array_append(runs, json_array_get(by[k % count]->runs,
		    (size_t)(k / count))) != 0) {
			fputs("pgreplay: out of memory\n", stderr);
			ret = EXIT_BAD_INPUT;
			goto out;
		}
	json_object_del(root, "shard");
	if (json_object_set(root, "runs", runs) != 0) {
		fputs("pgreplay: out of memory\n", stderr);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (json_dumpf(root, stdout, MERGE_JSON_FLAGS) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		fprintf(stderr, "pgreplay: standard output: write error: %s\n",
		    strerror(errno));
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (merge_tell_failures(runs) > 0)
		ret = EXIT_CHECK_FAILED;
out:
	json_decref(runs);
	json_decref(root);
	return (ret);
}

int
cli_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct merge_shard *sh = NULL, **by = NULL;
	json_int_t count;
	size_t i, n;
	int ch, ret = EXIT_BAD_INPUT;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(merge_usage, stdout);
			return (fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT);
		}
		return (cli_option_error("merge", ch, argv));
	}
	n = (size_t)(argc - optind);
	if (n == 0) {
		cli_usage_error("merge: no report given");
		return (EXIT_BAD_INPUT);
	}
	sh = calloc(n, sizeof(*sh));
	if (sh == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	for (i = 0; i < n; i++)
		if ((ret = merge_load(argv[optind + (int)i], &sh[i])) != 0)
			goto out;
	ret = EXIT_BAD_INPUT;
	count = sh[0].count;
	by = calloc((size_t)count, sizeof(*by));
	if (by == NULL) {
		fputs("pgreplay: out of memory\n", stderr);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && merge_fits(&sh[0], &sh[i]) != 0)
			goto out;
		if (by[sh[i].index - 1] != NULL) {
			merge_error(sh[i].path, "the same shard as %s%.0s",
			    by[sh[i].index - 1]->path, "");
			goto out;
		}
		by[sh[i].index - 1] = &sh[i];
	}
	for (i = 0; i < (size_t)count; i++)
		if (by[i] == NULL) {
			fprintf(stderr, "pgreplay: merge: shard %zu of %"
			    JSON_INTEGER_FORMAT " is missing\n", i + 1, count);
			goto out;
		}
	ret = merge_write(by, count);
out:
	for (i = 0; i < n; i++)
		json_decref(sh[i].root);
	free(by);
	free(sh);
	return (ret);
}
