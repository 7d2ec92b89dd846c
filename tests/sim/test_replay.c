/*
 * test_replay.c - the replay session (src/sim/replay.h): the same report
 * for any number of jobs, runs in expansion order, shard slices, the
 * error of the earliest event, the expect checks and their suggestions,
 * interrupts, and the progress line.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "report/report.h"
#include "sim/replay.h"
#include "trace/reader.h"

static const char *
source_root(void)
{
	const char *r = getenv("PGREPLAY_SOURCE_ROOT");

	return (r != NULL ? r : ".");
}

static void
load(const char *rel, struct pg_config *cfg)
{
	char path[1024];
	struct pg_error err;

	snprintf(path, sizeof(path), "%s/%s", source_root(), rel);
	cr_assert_eq(conf_load(path, cfg, &err), 0, "%s: %s", path, err.msg);
}

static void
yaml(const char *text, struct pg_config *cfg)
{
	struct pg_error err;

	cr_assert_eq(conf_load_string("t.yaml", text, strlen(text), cfg,
	    &err), 0, "%s", err.msg);
}

/*
 * session_json() - replay trace (a file under the source root) through a
 * session of n configurations with jobs workers; the JSON report, or NULL
 * with *rc and err set when the session failed.
 */
static char *
session_json(const struct pg_config *cfgs, size_t n, const char *trace,
    unsigned jobs, uint32_t shard, uint32_t nshards, int *rcp,
    struct pg_error *err)
{
	struct replay_options opt = { .check_invariants = false, .jobs = jobs,
		.shard_index = shard, .shard_count = nshards };
	struct replay_session *s;
	struct trace_reader *r;
	struct report rep;
	char path[1024], *buf = NULL;
	size_t len;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", source_root(), trace);
	cr_assert_eq(replay_session_create(cfgs, n, &opt, &s, err), 0, "%s",
	    err->msg);
	cr_assert_eq(trace_reader_open(path, NULL, &r, err), 0, "%s",
	    err->msg);
	rc = replay_session_read(s, r, err);
	if (rc == 0)
		rc = replay_session_finish(s, trace, &rep, err);
	trace_reader_close(r);
	*rcp = rc;
	if (rc == 0) {
		f = open_memstream(&buf, &len);
		cr_assert_not_null(f);
		cr_assert_eq(report_write_json(&rep, f, err), 0);
		fclose(f);
		replay_report_release(&rep);
	}
	replay_session_destroy(s);
	return (buf);
}

Test(session, same_report_for_every_number_of_jobs)
{
	static const char *const traces[] = { "traces/demo/churn.pgt",
		"traces/demo/churn.pgb.zst", "traces/scenarios/two-domains.pgt" };
	struct pg_config cfgs[3];
	struct pg_error err;
	char *one, *other;
	unsigned jobs;
	size_t t;
	int rc;

	load("configs/demo/baseline.yaml", &cfgs[0]);
	load("tests/cli/data/sweep.yaml", &cfgs[1]);
	load("configs/scenarios/two-domains.yaml", &cfgs[2]);
	for (t = 0; t < sizeof(traces) / sizeof(traces[0]); t++) {
		one = session_json(cfgs, 3, traces[t], 1, 0, 0, &rc, &err);
		cr_assert_eq(rc, 0, "%s: %s", traces[t], err.msg);
		cr_assert_not_null(strstr(one, "sweep[vm.pageout_oom_seq=48,"
		    "vm.act_scan_laundry_weight=3]"));
		for (jobs = 2; jobs <= 3; jobs++) {
			other = session_json(cfgs, 3, traces[t], jobs, 0, 0,
			    &rc, &err);
			cr_assert_eq(rc, 0, "%s", err.msg);
			cr_assert_str_eq(one, other, "%s: --jobs %u differs",
			    traces[t], jobs);
			free(other);
		}
		free(one);
		/*
		 * One run, more jobs than runs: one worker replays while the
		 * caller's thread decodes beside it.
		 */
		one = session_json(cfgs, 1, traces[t], 1, 0, 0, &rc, &err);
		cr_assert_eq(rc, 0, "%s: %s", traces[t], err.msg);
		for (jobs = 2; jobs <= 3; jobs++) {
			other = session_json(cfgs, 1, traces[t], jobs, 0, 0,
			    &rc, &err);
			cr_assert_eq(rc, 0, "%s", err.msg);
			cr_assert_str_eq(one, other, "%s: one run, --jobs %u "
			    "differs", traces[t], jobs);
			free(other);
		}
		free(one);
	}
}

/* The run names of a JSON report, in order, joined by '|'. */
static void
names(const char *json, char *out, size_t n)
{
	const char *p = json;
	size_t len = 0;

	out[0] = '\0';
	/* A run's name is the first member of each run object. */
	while ((p = strstr(p, "\n      \"name\": \"")) != NULL) {
		const char *q;

		p += strlen("\n      \"name\": \"");
		q = strchr(p, '"');
		len += (size_t)snprintf(out + len, n - len, "%s%.*s",
		    len > 0 ? "|" : "", (int)(q - p), p);
		p = q;
	}
}

Test(session, runs_in_expansion_order_and_shards_slice_them)
{
	struct pg_config cfgs[2];
	struct pg_error err;
	char got[2048], *json;
	int rc;

	load("configs/demo/baseline.yaml", &cfgs[0]);
	load("tests/cli/data/sweep.yaml", &cfgs[1]);
	json = session_json(cfgs, 2, "traces/demo/churn.pgt", 3, 0, 0, &rc,
	    &err);
	cr_assert_eq(rc, 0);
	names(json, got, sizeof(got));
	cr_assert_str_eq(got, "baseline|"
	    "sweep[vm.pageout_oom_seq=12,vm.act_scan_laundry_weight=1]|"
	    "sweep[vm.pageout_oom_seq=12,vm.act_scan_laundry_weight=3]|"
	    "sweep[vm.pageout_oom_seq=48,vm.act_scan_laundry_weight=1]|"
	    "sweep[vm.pageout_oom_seq=48,vm.act_scan_laundry_weight=3]");
	free(json);

	/* Shard 2 of 3: runs 1 and 4 (k % 3 == 1). */
	json = session_json(cfgs, 2, "traces/demo/churn.pgt", 2, 1, 3, &rc,
	    &err);
	cr_assert_eq(rc, 0);
	names(json, got, sizeof(got));
	cr_assert_str_eq(got,
	    "sweep[vm.pageout_oom_seq=12,vm.act_scan_laundry_weight=1]|"
	    "sweep[vm.pageout_oom_seq=48,vm.act_scan_laundry_weight=3]");
	free(json);

	/* More shards than runs: an empty slice is a valid report. */
	json = session_json(cfgs, 1, "traces/demo/churn.pgt", 2, 4, 6, &rc,
	    &err);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(json, "\"runs\": []"), "%s", json);
	free(json);
}

Test(session, shard_counts)
{
	struct replay_options opt = { .jobs = 1, .shard_index = 2,
		.shard_count = 3 };
	struct replay_session *s;
	struct pg_config cfg;
	struct pg_error err;

	load("tests/cli/data/sweep.yaml", &cfg);
	cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), 0);
	cr_assert_eq(replay_session_total_runs(s), 4);
	cr_assert_eq(replay_session_runs(s), 1);
	replay_session_destroy(s);
	opt.shard_index = 3;
	cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), -EINVAL);
	cr_assert_null(s);
}

/*
 * Every run refuses event 3 (no such process): whatever the jobs, the
 * error is that of the first run, at that event.
 */
Test(session, error_of_the_earliest_event_and_lowest_run)
{
	static const char trace[] =
	    "pgtrace 1\n0 proc 1 a\n0 map 1 1 anon 16\n0.1 fault 1 7 0\n";
	struct pg_config cfgs[2];
	struct trace_reader *r;
	struct replay_options opt = { .jobs = 1 };
	struct replay_session *s;
	struct pg_error err;
	unsigned jobs;
	int rc;

	yaml("name: a\nmachine: { memory: 16MiB, swap: 0, kernel_wired: "
	    "2MiB }\n", &cfgs[0]);
	yaml("name: b\nmachine: { memory: 32MiB, swap: 0, kernel_wired: "
	    "2MiB }\n", &cfgs[1]);
	for (jobs = 1; jobs <= 2; jobs++) {
		struct trace_reader_opts ro = { .no_validate = true };

		opt.jobs = jobs;
		cr_assert_eq(replay_session_create(cfgs, 2, &opt, &s, &err),
		    0);
		cr_assert_eq(trace_reader_open_mem(trace, sizeof(trace) - 1,
		    "t.pgt", &ro, &r, &err), 0);
		rc = replay_session_read(s, r, &err);
		cr_assert_eq(rc, -EINVAL, "rc %d: %s", rc, err.msg);
		cr_assert_str_eq(err.file, "t.pgt");
		cr_assert_eq(err.pos_kind, PG_POS_LINE);
		cr_assert_eq(err.pos, 4, "line %ju", (uintmax_t)err.pos);
		cr_assert_eq(err.event, 3);
		cr_assert(strncmp(err.msg, "run a: ", 7) == 0, "%s", err.msg);
		/* The error sticks. */
		cr_assert_eq(replay_session_finish(s, "t.pgt", &(struct
		    report){ 0 }, &err), -EINVAL);
		trace_reader_close(r);
		replay_session_destroy(s);
	}
	/* A single run on a worker thread reports the same error. */
	opt.jobs = 2;
	{
		struct trace_reader_opts ro = { .no_validate = true };

		cr_assert_eq(replay_session_create(cfgs, 1, &opt, &s, &err),
		    0);
		cr_assert_eq(trace_reader_open_mem(trace, sizeof(trace) - 1,
		    "t.pgt", &ro, &r, &err), 0);
		rc = replay_session_read(s, r, &err);
		cr_assert_eq(rc, -EINVAL, "rc %d: %s", rc, err.msg);
		cr_assert_eq(err.pos, 4, "line %ju", (uintmax_t)err.pos);
		cr_assert_eq(err.event, 3);
		trace_reader_close(r);
		replay_session_destroy(s);
	}
}

/*
 * The refused event lies in the third batch: one job holds several full
 * batches and feeds them to each run in turn; the error still names the
 * event and line of the batch it came from, for one and for two jobs.
 */
Test(session, error_in_a_later_batch)
{
	enum { FAULTS = 2 * REPLAY_BATCH_EVENTS + 100 };
	static const char head[] =
	    "pgtrace 1\n0 proc 1 a\n0 map 1 1 anon 16\n";
	static const char line[] = "0.1 fault 1 1 3\n";
	static const char bad[] = "0.2 fault 1 7 0\n";
	struct trace_reader_opts ro = { .no_validate = true };
	struct replay_options opt = { .jobs = 1 };
	struct pg_config cfgs[2];
	struct trace_reader *r;
	struct replay_session *s;
	struct pg_error err;
	char *text, *p;
	size_t len;
	unsigned jobs;
	int i, rc;

	len = strlen(head) + FAULTS * strlen(line) + strlen(bad);
	text = malloc(len + 1);
	cr_assert_not_null(text);
	p = text + sprintf(text, "%s", head);
	for (i = 0; i < FAULTS; i++)
		p += sprintf(p, "%s", line);
	sprintf(p, "%s", bad);
	yaml("name: a\nmachine: { memory: 16MiB, swap: 0, kernel_wired: "
	    "2MiB }\n", &cfgs[0]);
	yaml("name: b\nmachine: { memory: 32MiB, swap: 0, kernel_wired: "
	    "2MiB }\n", &cfgs[1]);
	for (jobs = 1; jobs <= 2; jobs++) {
		opt.jobs = jobs;
		cr_assert_eq(replay_session_create(cfgs, 2, &opt, &s, &err),
		    0);
		cr_assert_eq(trace_reader_open_mem(text, len, "t.pgt", &ro, &r,
		    &err), 0);
		rc = replay_session_read(s, r, &err);
		cr_assert_eq(rc, -EINVAL, "rc %d: %s", rc, err.msg);
		cr_assert_eq(err.event, 3 + FAULTS, "-j%u: event %ju", jobs,
		    (uintmax_t)err.event);
		cr_assert_eq(err.pos, 4 + FAULTS, "-j%u: line %ju", jobs,
		    (uintmax_t)err.pos);
		cr_assert(strncmp(err.msg, "run a: ", 7) == 0, "%s", err.msg);
		trace_reader_close(r);
		replay_session_destroy(s);
	}
	free(text);
}

Test(session, feed_and_sync_match_read)
{
	struct pg_config cfg;
	struct replay_options opt = { .jobs = 2 };
	struct replay_session *s;
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err, where;
	struct report a, b;
	char path[1024];
	int rc, n = 0;

	load("tests/cli/data/sweep.yaml", &cfg);
	snprintf(path, sizeof(path), "%s/traces/demo/churn.pgt",
	    source_root());
	cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), 0);
	cr_assert_eq(trace_reader_open(path, NULL, &r, &err), 0);
	cr_assert_eq(replay_session_read(s, r, &err), 0, "%s", err.msg);
	cr_assert_eq(replay_session_finish(s, "x", &a, &err), 0);
	trace_reader_close(r);
	replay_session_destroy(s);

	cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), 0);
	cr_assert_eq(trace_reader_open(path, NULL, &r, &err), 0);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		trace_reader_where(r, &where);
		cr_assert_eq(replay_session_feed(s, &ev, &where, &err), 0);
		if (++n == 10)
			cr_assert_eq(replay_session_sync(s, &err), 0);
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(replay_session_finish(s, "x", &b, &err), 0);
	trace_reader_close(r);
	replay_session_destroy(s);

	cr_assert_eq(a.nruns, 4);
	cr_assert_eq(b.nruns, 4);
	cr_assert_eq(a.trace.events, b.trace.events);
	for (n = 0; n < 4; n++) {
		const struct report_value *x, *y;

		x = report_run_stat(&a.runs[n], "v_dfree");
		y = report_run_stat(&b.runs[n], "v_dfree");
		cr_assert(x != NULL && y != NULL);
		cr_assert_eq(x->i, y->i);
		cr_assert_str_eq(a.runs[n].name, b.runs[n].name);
	}
	replay_report_release(&a);
	replay_report_release(&b);
}

/* report_json() - rep as JSON text (malloc'd); rep is released. */
static char *
report_json(struct report *rep)
{
	struct pg_error err;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(report_write_json(rep, f, &err), 0);
	fclose(f);
	replay_report_release(rep);
	return (buf);
}

/*
 * Marks of 250 bytes, 400 of them: more string bytes than a batch holds
 * (REPLAY_BATCH_STRINGS), so that the reader's batches must carry a mark
 * over into the next batch.  The report names every phase, so a mark
 * lost, doubled or pointing at the reader's memory shows.
 */
Test(session, strings_that_fill_a_batch_go_on_to_the_next)
{
	struct pg_config cfg;
	struct replay_options opt = { .jobs = 1 };
	struct replay_session *s;
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err, where;
	struct report rep;
	char *text, *a, *b, pad[241], name[16];
	size_t len = 0, cap = 400 * 300 + 64;
	unsigned i, jobs;
	int rc;

	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text, cap,
	    "pgtrace 1\n0 proc 1 a\n0 map 1 1 anon 1024\n");
	for (i = 0; i < 400; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "%u.001 fault 1 1 %u\n%u.002 mark m%03u %s\n", i, i, i, i,
		    pad);
	cr_assert_gt(400 * (strlen(pad) + 6), REPLAY_BATCH_STRINGS);
	yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    &cfg);
	for (jobs = 1; jobs <= 2; jobs++) {
		opt.jobs = jobs;
		cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), 0);
		cr_assert_eq(trace_reader_open_mem(text, len, "t.pgt", NULL,
		    &r, &err), 0);
		cr_assert_eq(replay_session_read(s, r, &err), 0, "%s", err.msg);
		cr_assert_eq(replay_session_finish(s, "t", &rep, &err), 0);
		trace_reader_close(r);
		replay_session_destroy(s);
		a = report_json(&rep);

		cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), 0);
		cr_assert_eq(trace_reader_open_mem(text, len, "t.pgt", NULL,
		    &r, &err), 0);
		while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
			trace_reader_where(r, &where);
			cr_assert_eq(replay_session_feed(s, &ev, &where, &err),
			    0);
		}
		cr_assert_eq(rc, 0);
		cr_assert_eq(replay_session_finish(s, "t", &rep, &err), 0);
		trace_reader_close(r);
		replay_session_destroy(s);
		b = report_json(&rep);

		cr_assert_str_eq(a, b, "--jobs %u: read and feed differ", jobs);
		for (i = 0; i < 400; i += 1) {
			snprintf(name, sizeof(name), "\"m%03u xxx", i);
			cr_assert_not_null(strstr(a, name), "no phase %s", name);
		}
		free(a);
		free(b);
	}
	free(text);
}

Test(session, expect_statistics_are_checked_with_suggestions)
{
	struct pg_config cfg;
	struct replay_options opt = { .jobs = 1 };
	struct replay_session *s;
	struct pg_error err;
	char line[1200];

	yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n"
	    "expect:\n  v_dfree: { min: 0 }\n  oom_kils: { max: 0 }\n",
	    &cfg);
	cr_assert_eq(replay_session_create(&cfg, 1, &opt, &s, &err), -EINVAL);
	cr_assert_str_eq(pg_error_format(&err, line, sizeof(line)),
	    "t.yaml:4: expect: unknown statistic 'oom_kils' (did you mean "
	    "'oom_kills'?)");
	/* Transposed letters are one edit for the config module's distance. */
	yaml("expect:\n  v_dfere: { min: 0 }\n", &cfg);
	cr_assert_eq(replay_config_check(&cfg, &err), -EINVAL);
	cr_assert_not_null(strstr(err.msg, "did you mean 'v_dfree'"),
	    "%s", err.msg);
	yaml("expect:\n  zzz: { min: 0 }\n", &cfg);
	cr_assert_eq(replay_config_check(&cfg, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "expect: unknown statistic 'zzz'");
}

Test(session, interrupted_stops)
{
	static volatile sig_atomic_t stop = SIGINT;
	struct replay_options opt = { .jobs = 2, .interrupted = &stop };
	struct pg_config cfgs[2];
	struct replay_session *s;
	struct trace_reader *r;
	struct pg_error err;
	char path[1024];

	load("configs/demo/baseline.yaml", &cfgs[0]);
	load("configs/demo/oom-seq-120.yaml", &cfgs[1]);
	snprintf(path, sizeof(path), "%s/traces/demo/churn.pgt",
	    source_root());
	cr_assert_eq(replay_session_create(cfgs, 2, &opt, &s, &err), 0);
	cr_assert_eq(trace_reader_open(path, NULL, &r, &err), 0);
	cr_assert_eq(replay_session_read(s, r, &err), -EINTR);
	trace_reader_close(r);
	replay_session_destroy(s);
}

Test(session, progress_line)
{
	struct replay_progress p = { .events = 12345678 };
	char buf[160];

	cr_assert_str_eq(replay_progress_format(&p, 5.0, buf, sizeof(buf)),
	    "12345678 events, 2.47 M/s, 0:05 elapsed");
	p.input_done = 25;
	p.input_size = 100;
	cr_assert_str_eq(replay_progress_format(&p, 5.0, buf, sizeof(buf)),
	    "12345678 events, 2.47 M/s, 0:05 elapsed, 0:15 left (25%)");
	p.events = 4200;
	p.input_done = 1;
	p.input_size = 1000;
	cr_assert_str_eq(replay_progress_format(&p, 3661.0, buf, sizeof(buf)),
	    "4200 events, 1 /s, 1:01:01 elapsed, 1015:55:39 left (0%)");
	p.events = 1500;
	p.input_done = p.input_size = 0;
	cr_assert_str_eq(replay_progress_format(&p, 1.0, buf, sizeof(buf)),
	    "1500 events, 1.5 k/s, 0:01 elapsed");
	/* Truncation keeps a NUL within the buffer. */
	cr_assert_str_eq(replay_progress_format(&p, 1.0, buf, 5), "1500");
}
