/*
 * test_corpus.c - regression on the trace corpus: every trace under
 * traces/ is replayed with the configurations traces/corpus.list gives it,
 * checked against its committed baseline (tests/corpus/baselines/) twice:
 * by pgreplay's own baseline mode (`--baseline B --tolerance 0`, what a
 * user's CI job runs: every statistic of every run, exit 1 on a drift),
 * and as a whole, every value of the JSON report, so that a change of the
 * configuration echo, the phases or the OOM explanations shows as well.
 * On a mismatch the test prints pgreplay's baseline table and each value
 * that changed, by its JSON path.  PGREPLAY_REGEN_GOLDEN=1 writes the
 * reports as the new baselines instead (scripts/refresh-baselines).
 *
 * Differences are printed on standard error (cr_log_error() would fail
 * the run even where the test means them, as in the diff's own test).
 * The simulator is deterministic, so the comparison is exact.  The child
 * runs without PGREPLAY_CHECK: the model's invariant checks cost time in
 * proportion to memory after every daemon step, minutes for the corpus;
 * the model's own suites run them, and the report does not depend on them.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/golden.h"

#define MANIFEST "traces/corpus.list"
#define MAX_ENTRIES 256
#define MAX_CONFIGS 16
#define TRACE_SIZE_MAX (512 * 1024)	  /* bytes of one committed trace */
#define CORPUS_SIZE_MAX (6 * 1024 * 1024) /* bytes of all of traces/ */

struct entry {
	int line;
	char trace[256];
	char configs[MAX_CONFIGS][256];
	int nconfigs;
	char baseline[256];
};

struct manifest {
	struct entry e[MAX_ENTRIES];
	int n;
};

/* to_top() - work from the top of the source tree, as the manifest says. */
static void
to_top(void)
{
	const char *src = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(src, "PGREPLAY_SOURCE_ROOT is not set");
	cr_assert_eq(chdir(src), 0, "cannot chdir to %s", src);
}

static void
split_configs(struct entry *e, char *list)
{
	char *c, *save = NULL;

	for (c = strtok_r(list, ",", &save); c != NULL;
	    c = strtok_r(NULL, ",", &save)) {
		cr_assert_lt(e->nconfigs, MAX_CONFIGS,
		    "%s:%d: too many configs", MANIFEST, e->line);
		snprintf(e->configs[e->nconfigs++], sizeof(e->configs[0]), "%s",
		    c);
	}
}

static struct manifest *
load_manifest(void)
{
	struct manifest *m = calloc(1, sizeof(*m));
	char line[4096], trace[256], configs[2048], baseline[256], extra[8];
	FILE *f;
	int ln = 0, n;
	char *p;

	cr_assert_not_null(m);
	f = fopen(MANIFEST, "r");
	cr_assert_not_null(f, "cannot open %s", MANIFEST);
	while (fgets(line, sizeof(line), f) != NULL) {
		ln++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		n = sscanf(line, "%255s %2047s %255s %7s", trace, configs,
		    baseline, extra);
		if (n <= 0)
			continue;
		cr_assert_eq(n, 3, "%s:%d: expected TRACE CONFIG[,CONFIG...] "
		    "BASELINE", MANIFEST, ln);
		cr_assert_lt(m->n, MAX_ENTRIES);
		m->e[m->n].line = ln;
		snprintf(m->e[m->n].trace, sizeof(trace), "%s", trace);
		snprintf(m->e[m->n].baseline, sizeof(baseline), "%s", baseline);
		split_configs(&m->e[m->n], configs);
		m->n++;
	}
	fclose(f);
	cr_assert_gt(m->n, 0, "%s lists nothing", MANIFEST);
	return m;
}

/*
 * replay() - run pgreplay on e with the JSON report into a temporary
 * file; returns the parsed report.  Unless regen, the run checks itself
 * against e's baseline: *drifted is set when pgreplay found a statistic
 * that moved (exit 1; its table is on standard error).
 */
static json_t *
replay(const struct entry *e, bool regen, bool *drifted)
{
	const char *bin = getenv("PGREPLAY_BIN");
	const char *argv[4 + 2 * MAX_CONFIGS + 7];
	char out[] = "/tmp/pgreplay-corpus-XXXXXX";
	json_error_t je;
	json_t *j;
	int fd, st, n = 0, i;
	pid_t pid;

	cr_assert_not_null(bin, "PGREPLAY_BIN is not set");
	fd = mkstemp(out);
	cr_assert_geq(fd, 0);
	argv[n++] = bin;
	argv[n++] = e->trace;
	for (i = 0; i < e->nconfigs; i++) {
		argv[n++] = "--config";
		argv[n++] = e->configs[i];
	}
	argv[n++] = "--format";
	argv[n++] = "json";
	if (!regen) {
		/* Corpus configs carry no expect: exit 1 is a drift. */
		argv[n++] = "--baseline";
		argv[n++] = e->baseline;
		argv[n++] = "--tolerance";
		argv[n++] = "0";
	}
	argv[n] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fd, 1);
		unsetenv("PGREPLAY_CHECK");
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fd);
	while (waitpid(pid, &st, 0) < 0)
		cr_assert_eq(errno, EINTR);
	cr_assert(WIFEXITED(st) && (WEXITSTATUS(st) == 0 ||
	    WEXITSTATUS(st) == 1), "%s:%d: pgreplay %s failed (status %d)",
	    MANIFEST, e->line, e->trace, st);
	*drifted = WEXITSTATUS(st) == 1;
	j = json_load_file(out, 0, &je);
	unlink(out);
	cr_assert_not_null(j, "%s:%d: the report is not JSON: %s", MANIFEST,
	    e->line, je.text);
	return j;
}

/* ---- the readable diff ---- */

struct diff {
	int n;	    /* differences found */
	int shown;  /* printed */
	bool quiet; /* count only (the diff's own test) */
};

static void
show(struct diff *d, const char *path, json_t *a, json_t *b)
{
	char *sa, *sb;

	d->n++;
	if (d->quiet || d->shown >= 40)
		return;
	d->shown++;
	sa = a != NULL ? json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	sb = b != NULL ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	fprintf(stderr, "  %s: baseline %.60s, now %.60s\n", path,
	    sa != NULL ? sa : "(absent)", sb != NULL ? sb : "(absent)");
	free(sa);
	free(sb);
}

/* diff() - walk a (baseline) and b (now) and show every leaf that differs. */
static void
diff(struct diff *d, const char *path, json_t *a, json_t *b)
{
	char sub[512];
	const char *key;
	json_t *v;
	size_t i, na, nb;

	if (a == NULL || b == NULL || json_typeof(a) != json_typeof(b)) {
		show(d, path, a, b);
		return;
	}
	if (json_is_object(a)) {
		json_object_foreach(a, key, v) {
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			diff(d, sub, v, json_object_get(b, key));
		}
		json_object_foreach(b, key, v) {
			if (json_object_get(a, key) == NULL) {
				snprintf(sub, sizeof(sub), "%s.%s", path, key);
				show(d, sub, NULL, v);
			}
		}
		return;
	}
	if (json_is_array(a)) {
		na = json_array_size(a);
		nb = json_array_size(b);
		for (i = 0; i < na || i < nb; i++) {
			/* Runs and processes are easier found by name. */
			v = json_object_get(json_array_get(a, i), "name");
			if (json_is_string(v))
				snprintf(sub, sizeof(sub), "%s[%zu:%s]", path, i,
				    json_string_value(v));
			else
				snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			diff(d, sub, json_array_get(a, i),
			    json_array_get(b, i));
		}
		return;
	}
	if (!json_equal(a, b))
		show(d, path, a, b);
}

/* check_entry() - replay e and compare; returns the differences found. */
static int
check_entry(const struct entry *e, bool regen)
{
	struct diff d = { 0, 0, false };
	json_error_t je;
	json_t *now, *base;
	bool drifted = false;

	now = replay(e, regen, &drifted);
	/* The version changes with every release; the rest must not. */
	json_object_del(now, "pgreplay");
	if (regen) {
		cr_assert_eq(json_dump_file(now, e->baseline,
		    JSON_INDENT(2) | JSON_SORT_KEYS), 0, "cannot write %s",
		    e->baseline);
		json_decref(now);
		return 0;
	}
	base = json_load_file(e->baseline, 0, &je);
	if (base == NULL) {
		fprintf(stderr, "%s:%d: cannot read the baseline %s: %s "
				"(scripts/refresh-baselines writes it)\n",
		    MANIFEST, e->line, e->baseline, je.text);
		json_decref(now);
		return 1;
	}
	json_object_del(base, "pgreplay");
	if (drifted)
		fprintf(stderr, "%s:%d: %s: pgreplay --baseline %s found a "
				"statistic that moved (its table is above)\n",
		    MANIFEST, e->line, e->trace, e->baseline);
	diff(&d, "$", base, now);
	d.n += drifted;
	if (d.n > 0)
		fprintf(stderr, "%s:%d: %s: %d value(s) differ from %s%s; if "
				"the change is intended, run "
				"scripts/refresh-baselines and review the "
				"diff\n",
		    MANIFEST, e->line, e->trace, d.n, e->baseline,
		    d.shown < d.n ? " (first 40 shown above)" : "");
	json_decref(base);
	json_decref(now);
	return d.n;
}

/*
 * The entries are shared among PARTS tests so that Criterion's --jobs
 * replays them in parallel.
 */
#define PARTS 4

static void
replay_part(int part)
{
	struct manifest *m;
	bool regen = golden_regen();
	int i, bad = 0, ran = 0;

	to_top();
	m = load_manifest();
	for (i = part; i < m->n; i += PARTS) {
		bad += check_entry(&m->e[i], regen) != 0;
		ran++;
	}
	cr_assert_eq(bad, 0, "%d of %d corpus replays differ from their "
	    "baselines (see the lines above)", bad, ran);
	free(m);
}

Test(corpus, replay_part0, .timeout = 300) { replay_part(0); }
Test(corpus, replay_part1, .timeout = 300) { replay_part(1); }
Test(corpus, replay_part2, .timeout = 300) { replay_part(2); }
Test(corpus, replay_part3, .timeout = 300) { replay_part(3); }

/* ---- the traces are what their scripts make ---- */

/* same_file() - true if the files a and b hold the same bytes. */
static bool
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb;
	bool same = fa != NULL && fb != NULL;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = false;
		if (ca == EOF)
			break;
	}
	if (fa != NULL)
		fclose(fa);
	if (fb != NULL)
		fclose(fb);
	return same;
}

/*
 * regenerate() - run the script with $PGREPLAY_BIN into a fresh directory
 * and compare each trace it writes with the committed one beside it.
 */
static void
regenerate(const char *script, const char *const *names)
{
	const char *bin = getenv("PGREPLAY_BIN");
	char dir[] = "/tmp/pgreplay-regen-XXXXXX", got[512], want[512];
	char *dirname_end;
	int st;
	pid_t pid;

	cr_assert_not_null(bin);
	cr_assert_not_null(mkdtemp(dir));
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", script, bin, dir, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		cr_assert_eq(errno, EINTR);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed (%d)",
	    script, st);
	snprintf(want, sizeof(want), "%s", script);
	dirname_end = strrchr(want, '/');
	cr_assert_not_null(dirname_end);
	for (; *names != NULL; names++) {
		snprintf(got, sizeof(got), "%s/%s", dir, *names);
		snprintf(dirname_end + 1, sizeof(want) - (size_t)(dirname_end +
		    1 - want), "%s", *names);
		cr_expect(same_file(got, want), "%s now makes a %s that differs "
		    "from the committed %s: rerun it and refresh the baselines "
		    "(scripts/refresh-baselines)", script, *names, want);
		unlink(got);
	}
	rmdir(dir);
}

Test(corpus, generated_traces_are_what_their_scripts_make)
{
	static const char *const demo[] = { "churn.pgb.zst", "churn.pgt",
		NULL };
	static const char *const corpus[] = { "anon-hog.pgb.zst",
		"anon-hog-4g.pgb.zst", "file-stream.pgb.zst",
		"dirty-churn.pgb.zst", "fork-server.pgb.zst", "mixed.pgb.zst",
		NULL };

	to_top();
	regenerate("traces/demo/make-churn.sh", demo);
	regenerate("traces/generated-corpus/make.sh", corpus);
}

/* ---- the manifest itself ---- */

static bool
is_trace(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".pgt") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".pgb") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".zst") == 0);
}

static bool
listed(const struct manifest *m, const char *path)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->e[i].trace, path) == 0)
			return true;
	return false;
}

/* walk() - check every trace under dir; the bytes of all files into *sum. */
static void
walk(const struct manifest *m, const char *dir, long long *sum, int *unlisted)
{
	char path[1024];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	cr_assert_not_null(d, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* Big generated traces live there, never in git. */
		if (strcmp(path, "traces/generated") == 0)
			continue;
		cr_assert_eq(stat(path, &st), 0, "%s", path);
		if (S_ISDIR(st.st_mode)) {
			walk(m, path, sum, unlisted);
			continue;
		}
		*sum += st.st_size;
		if (!is_trace(de->d_name))
			continue;
		cr_expect_leq(st.st_size, TRACE_SIZE_MAX,
		    "%s is %lld bytes: corpus traces are a few hundred KiB at "
		    "most", path, (long long)st.st_size);
		if (!listed(m, path)) {
			fprintf(stderr, "%s is not in %s\n", path, MANIFEST);
			(*unlisted)++;
		}
	}
	closedir(d);
}

Test(corpus, manifest_lists_every_trace_and_they_are_small)
{
	struct manifest *m;
	long long sum = 0;
	int unlisted = 0;

	to_top();
	m = load_manifest();
	walk(m, "traces", &sum, &unlisted);
	cr_assert_eq(unlisted, 0, "%d traces under traces/ are not in %s",
	    unlisted, MANIFEST);
	cr_assert_leq(sum, CORPUS_SIZE_MAX, "traces/ holds %lld bytes", sum);
	free(m);
}

Test(corpus, manifest_names_files_that_exist)
{
	struct manifest *m;
	struct stat st;
	int i, j, k;

	to_top();
	m = load_manifest();
	for (i = 0; i < m->n; i++) {
		cr_assert_eq(stat(m->e[i].trace, &st), 0, "%s:%d: no trace %s",
		    MANIFEST, m->e[i].line, m->e[i].trace);
		for (j = 0; j < m->e[i].nconfigs; j++)
			cr_assert_eq(stat(m->e[i].configs[j], &st), 0,
			    "%s:%d: no config %s", MANIFEST, m->e[i].line,
			    m->e[i].configs[j]);
		cr_assert(strncmp(m->e[i].baseline, "tests/corpus/baselines/",
		    23) == 0, "%s:%d: baselines live in "
		    "tests/corpus/baselines/", MANIFEST, m->e[i].line);
		/* Two lines writing one baseline would hide each other. */
		for (k = 0; k < i; k++)
			cr_assert_str_neq(m->e[k].baseline, m->e[i].baseline,
			    "%s:%d: baseline %s is also line %d's", MANIFEST,
			    m->e[i].line, m->e[i].baseline, m->e[k].line);
	}
	free(m);
}

/*
 * The diff must say what changed: a baseline with one statistic altered
 * is reported by that statistic's path.
 */
Test(corpus, a_changed_baseline_is_reported_by_path)
{
	struct diff d = { 0, 0, true };
	json_t *a = json_pack("{s:[{s:{s:i,s:i}}]}", "runs", "stats", "v_dfree",
	    10, "faults", 5);
	json_t *b = json_pack("{s:[{s:{s:i,s:i}}]}", "runs", "stats", "v_dfree",
	    11, "faults", 5);

	diff(&d, "$", a, b);
	cr_assert_eq(d.n, 1);
	json_object_set_new(json_array_get(json_object_get(b, "runs"), 0),
	    "extra", json_true());
	d.n = 0;
	diff(&d, "$", a, b);
	cr_assert_eq(d.n, 2, "a new field is a difference too");
	json_decref(a);
	json_decref(b);
}
