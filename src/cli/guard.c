/*
 * guard.c - the replay's timeline, HTML, baseline and JUnit outputs
 * (docs/report.md; options in interfaces.md section 3).  The library
 * does the work (src/report/timeline.c, html.c, baseline.c, junit.c);
 * this file parses the options, prints and maps outcomes to exit codes.
 */
#include "cli/guard.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/timeline.h"

void
guard_init(struct guard *g, volatile sig_atomic_t *interrupted)
{
	memset(g, 0, sizeof(*g));
	g->interval_ns = UINT64_C(1000000000);
	g->interrupted = interrupted;
}

static int
need_name(const char *opt, const char *arg)
{
	if (arg[0] != '\0')
		return (0);
	cli_usage_error("--%s needs a file name", opt);
	return (EXIT_BAD_INPUT);
}

int
guard_option(struct guard *g, int ch, const char *arg)
{
	enum report_timeline_format fmt;
	char msg[256] = "";

	switch (ch) {
	case GUARD_OPT_TIMELINE:
		if (need_name("timeline", arg) != 0)
			return (EXIT_BAD_INPUT);
		if (report_timeline_format_for(arg, &fmt) < 0) {
			cli_usage_error("--timeline %s: expected a file name "
			    "ending in .csv or .json (the format)", arg);
			return (EXIT_BAD_INPUT);
		}
		g->timeline = arg;
		return (0);
	case GUARD_OPT_TIMELINE_INTERVAL:
		if (conf_duration_parse(arg, &g->interval_ns, msg,
		    sizeof(msg)) < 0 || g->interval_ns == 0) {
			cli_usage_error("--timeline-interval: %s",
			    g->interval_ns == 0 && msg[0] == '\0' ?
			    "expected a duration above 0" : msg);
			return (EXIT_BAD_INPUT);
		}
		g->interval_set = true;
		return (0);
	case GUARD_OPT_HTML:
		if (need_name("html", arg) != 0)
			return (EXIT_BAD_INPUT);
		g->html = arg;
		return (0);
	case GUARD_OPT_BASELINE:
		if (need_name("baseline", arg) != 0)
			return (EXIT_BAD_INPUT);
		g->baseline_path = arg;
		return (0);
	case GUARD_OPT_TOLERANCE:
		if (report_tolerance_parse(arg, &g->tol, msg,
		    sizeof(msg)) < 0) {
			cli_usage_error("--tolerance: %s", msg);
			return (EXIT_BAD_INPUT);
		}
		g->tolerance_set = true;
		return (0);
	case GUARD_OPT_JUNIT:
	default:
		if (need_name("junit", arg) != 0)
			return (EXIT_BAD_INPUT);
		g->junit = arg;
		return (0);
	}
}

int
guard_check_args(const struct guard *g)
{
	if (g->tolerance_set && g->baseline_path == NULL) {
		cli_usage_error("--tolerance needs --baseline");
		return (EXIT_BAD_INPUT);
	}
	if (g->interval_set && g->timeline == NULL && g->html == NULL) {
		cli_usage_error(
		    "--timeline-interval needs --timeline or --html");
		return (EXIT_BAD_INPUT);
	}
	return (0);
}

uint64_t
guard_interval(const struct guard *g)
{
	return (g->timeline != NULL || g->html != NULL ? g->interval_ns : 0);
}

/* guard_name_runs() - g->runs: every run of the n files, in order. */
static int
guard_name_runs(struct guard *g, const struct pg_config *cfgs, size_t n)
{
	struct pg_config *one;
	size_t i, c, total = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		total += conf_sweep_combinations(&cfgs[i]);
	g->runs = calloc(total != 0 ? total : 1, sizeof(*g->runs));
	one = malloc(sizeof(*one));
	if (g->runs == NULL || one == NULL) {
		free(one);
		return (-ENOMEM);
	}
	for (i = 0; i < n && rc == 0; i++) {
		for (c = 0; c < conf_sweep_combinations(&cfgs[i]); c++) {
			rc = conf_apply_sweep(&cfgs[i], c, one);
			if (rc < 0)
				break;
			snprintf(g->runs[g->nruns].name,
			    sizeof(g->runs[g->nruns].name), "%s", one->name);
			g->runs[g->nruns++].config = i;
		}
	}
	free(one);
	return (rc);
}

int
guard_prepare(struct guard *g, const struct pg_config *cfgs, size_t n,
    uint32_t shard_index, uint32_t shard_count)
{
	struct pg_error err;
	const char **names;
	const struct pg_expect *e;
	char msg[256];
	size_t i, k, c;
	int rc;

	/* Every tolerance of every expect section, baseline or not. */
	g->over = calloc(n != 0 ? n : 1, sizeof(*g->over));
	g->nover = calloc(n != 0 ? n : 1, sizeof(*g->nover));
	if (g->over == NULL || g->nover == NULL)
		goto nomem;
	g->nconfigs = n;
	for (i = 0; i < n; i++) {
		if (cfgs[i].nexpect == 0)
			continue;
		g->over[i] = calloc(cfgs[i].nexpect, sizeof(*g->over[i]));
		if (g->over[i] == NULL)
			goto nomem;
		for (k = 0, c = 0; k < cfgs[i].nexpect; k++) {
			e = &cfgs[i].expect[k];
			if (e->tolerance[0] == '\0')
				continue;
			if (report_tolerance_parse(e->tolerance,
			    &g->over[i][c].tol, msg, sizeof(msg)) < 0) {
				fprintf(stderr, "pgreplay: %s:%" PRIu64 ": "
				    "key 'expect.%s.tolerance': %s\n",
				    cfgs[i].path, e->line, e->stat, msg);
				return (EXIT_BAD_INPUT);
			}
			snprintf(g->over[i][c].stat, sizeof(g->over[i][c].stat),
			    "%s", e->stat);
			c++;
		}
		g->nover[i] = c;
	}
	rc = guard_name_runs(g, cfgs, n);
	if (rc == -ENOMEM)
		goto nomem;
	if (rc < 0) {
		/* The replay refuses such a sweep itself, with its message. */
		return (0);
	}
	if (g->baseline_path == NULL)
		return (0);
	pg_error_clear(&err);
	if (report_baseline_load(g->baseline_path, &g->baseline, &err) < 0) {
		cli_report_error(&err);
		return (EXIT_BAD_INPUT);
	}
	names = calloc(g->nruns != 0 ? g->nruns : 1, sizeof(*names));
	if (names == NULL)
		goto nomem;
	/*
	 * A shard (the runs k with k % N == I, docs/scaling.md) is compared
	 * with the baseline of the whole replay, or with one of the same
	 * shard.
	 */
	for (i = 0; i < g->nruns; i++)
		names[i] = g->runs[i].name;
	pg_error_clear(&err);
	rc = report_baseline_match(g->baseline, names, g->nruns, &err);
	if (rc < 0 && shard_count > 1) {
		for (i = 0, k = 0; i < g->nruns; i++)
			if (i % shard_count == shard_index)
				names[k++] = g->runs[i].name;
		pg_error_clear(&err);
		rc = report_baseline_match(g->baseline, names, k, &err);
	}
	free(names);
	if (rc < 0) {
		cli_report_error(&err);
		return (EXIT_BAD_INPUT);
	}
	return (0);
nomem:
	fputs("pgreplay: out of memory\n", stderr);
	return (EXIT_BAD_INPUT);
}

/* guard_config_of() - the configuration file of the run called name. */
static size_t
guard_config_of(const struct guard *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nruns; i++)
		if (strcmp(g->runs[i].name, name) == 0)
			return (g->runs[i].config);
	return (SIZE_MAX);
}

/* What guard_output() writes: one of our renderings. */
struct guard_writer {
	int (*fn)(const struct guard_writer *w, FILE *out,
	    struct pg_error *err);
	const struct report *report;
	const struct report_run_checks *checks;
	enum report_timeline_format fmt;
};

/*
 * guard_output() - write through w to path, complete or not at all: a
 * regular file (or a new one) is written to a temporary file beside it,
 * flushed and renamed over it; anything else (a terminal, a pipe,
 * /dev/stdout) is written in place.  The one place that opens our
 * output files.  Returns 0, EXIT_BAD_INPUT (printed) or 128 + signal.
 */
static int
guard_output(const struct guard *g, const char *path,
    const struct guard_writer *w)
{
	struct pg_error err;
	struct stat st;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 16;
	bool in_place;
	char *tmp = NULL;
	mode_t mask;
	FILE *fp;
	int fd;

	in_place = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	if (in_place) {
		fp = fopen(path, "w");
	} else {
		tmp = malloc(n);
		if (tmp == NULL) {
			fputs("pgreplay: out of memory\n", stderr);
			return (EXIT_BAD_INPUT);
		}
		snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path,
		    path + dirlen);
		fd = mkstemp(tmp);
		fp = NULL;
		if (fd >= 0) {
			mask = umask(0);
			umask(mask);
			if (fchmod(fd, 0666 & ~mask) < 0 ||
			    (fp = fdopen(fd, "w")) == NULL) {
				close(fd);
				unlink(tmp);
			}
		}
	}
	if (fp == NULL) {
		fprintf(stderr, "pgreplay: %s: cannot create: %s\n", path,
		    strerror(errno));
		free(tmp);
		return (EXIT_BAD_INPUT);
	}
	pg_error_clear(&err);
	if (w->fn(w, fp, &err) < 0) {
		snprintf(err.file, sizeof(err.file), "%s", path);
		cli_report_error(&err);
		goto fail;
	}
	if (fflush(fp) != 0 || (!in_place && fsync(fileno(fp)) < 0)) {
		fprintf(stderr, "pgreplay: %s: write error: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	if (fclose(fp) != 0) {
		fp = NULL;
		fprintf(stderr, "pgreplay: %s: write error: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	fp = NULL;
	if (*g->interrupted != 0)
		goto fail;
	if (!in_place && rename(tmp, path) < 0) {
		fprintf(stderr, "pgreplay: %s: cannot replace: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	return (0);
fail:
	if (fp != NULL)
		fclose(fp);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	return (*g->interrupted != 0 ? 128 + *g->interrupted : EXIT_BAD_INPUT);
}

static int
write_timeline(const struct guard_writer *w, FILE *out, struct pg_error *err)
{
	return (report_write_timeline(w->report, w->fmt, out, err));
}

static int
write_html(const struct guard_writer *w, FILE *out, struct pg_error *err)
{
	return (report_write_html(w->report, out, err));
}

static int
write_junit(const struct guard_writer *w, FILE *out, struct pg_error *err)
{
	return (report_write_junit(w->report, w->checks, out, err));
}

int
guard_finish(struct guard *g, struct report *report, bool quiet)
{
	struct guard_writer w = { .report = report };
	struct report_run_checks *checks = NULL;
	struct pg_error err;
	uint64_t interval;
	size_t i, regressed = 0, missing = 0;
	int rc, ret = 0;

	interval = report_timeline_equalize(report);
	if (interval != 0 && interval != g->interval_ns && !quiet)
		fprintf(stderr, "pgreplay: timeline: a run outlived %d "
		    "intervals of %.9g s: rows merged to intervals of %.9g s\n",
		    REPORT_TIMELINE_MAX_ROWS, (double)g->interval_ns / 1e9,
		    (double)interval / 1e9);
	if (g->timeline != NULL) {
		(void)report_timeline_format_for(g->timeline, &w.fmt);
		w.fn = write_timeline;
		if ((rc = guard_output(g, g->timeline, &w)) != 0)
			return (rc);
	}
	if (g->html != NULL) {
		w.fn = write_html;
		if ((rc = guard_output(g, g->html, &w)) != 0)
			return (rc);
	}
	if (g->baseline != NULL) {
		checks = calloc(report->nruns != 0 ? report->nruns : 1,
		    sizeof(*checks));
		if (checks == NULL) {
			fputs("pgreplay: out of memory\n", stderr);
			return (EXIT_BAD_INPUT);
		}
		for (i = 0; i < report->nruns; i++) {
			size_t c = guard_config_of(g, report->runs[i].name);

			rc = report_baseline_compare(g->baseline,
			    &report->runs[i], &g->tol,
			    c < g->nconfigs ? g->over[c] : NULL,
			    c < g->nconfigs ? g->nover[c] : 0, &checks[i]);
			if (rc < 0) {
				fprintf(stderr, "pgreplay: %s: run '%s': %s\n",
				    report_baseline_path(g->baseline),
				    report->runs[i].name, rc == -ENOENT ?
				    "not in the baseline" : strerror(-rc));
				ret = EXIT_BAD_INPUT;
				goto out;
			}
			regressed += checks[i].nregressed;
			missing += checks[i].nmissing;
		}
		pg_error_clear(&err);
		if (!quiet && report_baseline_write_table(g->baseline, checks,
		    report->nruns, &g->tol, stderr, &err) < 0) {
			ret = EXIT_BAD_INPUT;
			goto out;
		}
	}
	if (g->junit != NULL) {
		w.fn = write_junit;
		w.checks = checks;
		if ((rc = guard_output(g, g->junit, &w)) != 0) {
			ret = rc;
			goto out;
		}
	}
	if (missing > 0) {
		fprintf(stderr, "pgreplay: %s: the baseline has %zu "
		    "statistic%s this replay does not report: it does not "
		    "match the runs\n", report_baseline_path(g->baseline),
		    missing, missing == 1 ? "" : "s");
		ret = EXIT_BAD_INPUT;
	} else if (regressed > 0) {
		ret = EXIT_CHECK_FAILED;
	}
out:
	for (i = 0; checks != NULL && i < report->nruns; i++)
		report_run_checks_finish(&checks[i]);
	free(checks);
	return (ret);
}

void
guard_free(struct guard *g)
{
	size_t i;

	report_baseline_destroy(g->baseline);
	g->baseline = NULL;
	for (i = 0; g->over != NULL && i < g->nconfigs; i++)
		free(g->over[i]);
	free(g->over);
	free(g->nover);
	free(g->runs);
	g->over = NULL;
	g->nover = NULL;
	g->runs = NULL;
}
