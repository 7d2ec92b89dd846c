/*
 * test_html.c - the HTML report in a real browser: pgreplay writes the
 * page for the hog trace (two runs, an OOM kill, two marks), headless
 * Chromium runs its scripts and dumps the DOM, and the test checks what
 * the page's script recorded in #pgreplay-status: no script error, every
 * chart drawn, each canvas painted with its runs' lines.
 *
 * Chromium is Debian's `chromium` (scripts/bootstrap installs it).  Run
 * as root with --no-sandbox, bounded by timeout(1).  Without a chromium
 * on PATH the test is skipped with a loud message; CI has one.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/runner.h"

#define RUN(res, ...)                                                      \
	cr_assert_eq(cli_run(&(res), NULL, __VA_ARGS__, (const char *)NULL), \
	    0, "cannot run $PGREPLAY_BIN")

/* find_chromium() - the browser's path on PATH, or NULL (malloc'd). */
static char *
find_chromium(void)
{
	static const char *const names[] = { "chromium", "chromium-browser" };
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *full;
	size_t i;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (i = 0; i < 2; i++) {
		copy = strdup(path);
		for (dir = strtok_r(copy, ":", &save); dir != NULL;
		    dir = strtok_r(NULL, ":", &save)) {
			full = malloc(strlen(dir) + strlen(names[i]) + 2);
			sprintf(full, "%s/%s", dir, names[i]);
			if (access(full, X_OK) == 0) {
				free(copy);
				return full;
			}
			free(full);
		}
		free(copy);
	}
	return NULL;
}

static char *
src(const char *rel)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char *p;

	cr_assert_not_null(root);
	p = malloc(strlen(root) + strlen(rel) + 2);
	sprintf(p, "%s/%s", root, rel);
	return p;
}

/* attr() - the value of attribute name in the tag starting at tag. */
static long
attr(const char *tag, const char *name)
{
	char key[64];
	const char *p, *end = strchr(tag, '>');

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(tag, key);
	if (p == NULL || (end != NULL && p > end))
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

Test(html, renders_in_chromium, .timeout = 300)
{
	struct cli_result r;
	char *chromium = find_chromium(), *dir, *html, *profile, *cmd, *dom;
	char *trace, *c1, *c2, *status, *p;
	size_t len = 0, cap = 1 << 20, n, charts = 0;
	FILE *f;

	if (chromium == NULL) {
		fputs("\n*** test_html: SKIPPED: no chromium on PATH; install "
		    "Debian's chromium (scripts/bootstrap test does) to test "
		    "the HTML report in a browser ***\n\n", stderr);
		cr_skip_test("no chromium on PATH");
	}
	dir = cli_tmpdir();
	html = malloc(strlen(dir) + 16);
	profile = malloc(strlen(dir) + 16);
	sprintf(html, "%s/report.html", dir);
	sprintf(profile, "%s/profile", dir);
	trace = src("tests/report/data/hog.pgt");
	c1 = src("tests/report/data/swap.yaml");
	c2 = src("tests/report/data/noswap.yaml");
	RUN(r, trace, "-c", c1, "-c", c2, "-q", "--html", html,
	    "--timeline-interval", "250ms");
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	/* The noswap run's kill carries the model's own explanation. */
	p = cli_slurp(html, NULL);
	cr_assert_not_null(p, "cannot read %s", html);
	cr_assert_not_null(strstr(p, "<p class=\"verdict\"><b>Why:</b> killed"),
	    "the HTML report has no verdict for the OOM kill");
	cr_assert_not_null(strstr(p, "<th>page_shortage asked</th>"),
	    "the HTML report has no table of the failing scans");
	/* hog.pgt has two marks: the phases table of each run. */
	cr_assert_not_null(strstr(p, "<h4>Phases</h4>"),
	    "the HTML report has no phases");
	cr_assert_not_null(strstr(p, "<td>v_dfree</td>"),
	    "the phases table lists no statistic");
	free(p);

	/*
	 * --virtual-time-budget lets the page's scripts and timers run
	 * before the DOM is dumped; timeout(1) bounds a browser that hangs.
	 */
	cmd = malloc(strlen(chromium) + 2 * strlen(dir) + 512);
	sprintf(cmd, "timeout -k 10 120 '%s' --headless=new --no-sandbox "
	    "--disable-gpu --disable-dev-shm-usage --no-first-run "
	    "--user-data-dir='%s' --window-size=1280,2000 "
	    "--virtual-time-budget=10000 --dump-dom 'file://%s' 2>/dev/null",
	    chromium, profile, html);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	dom = malloc(cap);
	while ((n = fread(dom + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			dom = realloc(dom, cap);
		}
	}
	dom[len] = '\0';
	cr_assert_eq(pclose(f), 0, "chromium failed: %s", cmd);

	status = strstr(dom, "id=\"pgreplay-status\"");
	cr_assert_not_null(status, "no status element in the DOM");
	while (status > dom && *status != '<')
		status--;
	/* Only the tag and its text: the script below names the states. */
	p = strstr(status, "</span>");
	cr_assert_not_null(p);
	*p = '\0';
	cr_assert_null(strstr(status, "data-state=\"error\""),
	    "script error: %.300s", status);
	cr_assert_not_null(strstr(status, "data-state=\"ok\""),
	    "charts not drawn: %.300s", status);
	/* One chart per series: 14. */
	cr_assert_eq(attr(status, "data-charts"), 14, "%.300s", status);
	*p = '<';
	for (p = dom; (p = strstr(p, "<div class=\"chart\"")) != NULL; p++) {
		cr_assert_gt(attr(p, "data-painted"), 2000,
		    "a blank canvas: %.200s", p);
		cr_assert_gt(attr(p, "data-line-pixels"), 50,
		    "a chart without lines: %.200s", p);
		charts++;
	}
	cr_assert_eq(charts, 14);
	/* uPlot made one canvas per chart. */
	for (p = dom, n = 0; (p = strstr(p, "<canvas")) != NULL; p++)
		n++;
	cr_assert_eq(n, 14);
	/* The kill and both runs are in the tables. */
	cr_assert_not_null(strstr(dom, "killed pid 100 (hog)"));
	/* Chromium's profile is megabytes: do not leave it in /tmp. */
	sprintf(cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(dom);
	free(cmd);
	free(chromium);
	free(trace);
	free(c1);
	free(c2);
	free(html);
	free(profile);
	free(dir);
}
