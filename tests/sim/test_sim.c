/*
 * test_sim.c - the simulator: clock and ticks, the order of the agenda,
 * the fault path of spec 6.5 (fact 11 of spec 13), stalls and time
 * shifts, swap-in, OOM kills and dropped events, the end of a run,
 * determinism, and the end-to-end scenarios of traces/scenarios/ checked
 * byte for byte against tests/sim/expected/<name>.json.
 *
 * Regenerate the goldens on purpose with
 *	PGREPLAY_REGEN_GOLDEN=1 meson test -C build sim
 * and review the diff: each scenario also asserts its point explicitly,
 * so a regenerated golden cannot hide a broken scenario.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/golden.h"
#include "conf/conf.h"
#include "report/report.h"
#include "sim/clock.h"
#include "sim/heap.h"
#include "sim/replay.h"
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "trace/reader.h"

/* ---- helpers ---- */

static const char *
source_root(void)
{
	const char *r = getenv("PGREPLAY_SOURCE_ROOT");

	return (r != NULL ? r : ".");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f;
	char *buf;
	long n;

	f = fopen(path, "rb");
	if (f == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

static void
cfg_from_yaml(const char *yaml, struct pg_config *cfg)
{
	struct pg_error err;
	int rc;

	rc = conf_load_string("test.yaml", yaml, strlen(yaml), cfg, &err);
	cr_assert_eq(rc, 0, "config: %s", err.msg);
}

/*
 * Replay text through a replay session of one run with invariant checking
 * on, as the CLI does; *out takes the run, *last_ns the last event time.
 */
static void
replay(const struct pg_config *cfg, const char *text, size_t len,
    struct report_run *out, uint64_t *last_ns)
{
	struct replay_options opt = { .check_invariants = true, .jobs = 1 };
	struct trace_reader_opts ropt = { 0 };
	struct replay_session *s;
	struct trace_reader *r;
	struct report rep;
	struct pg_error err;

	cr_assert_eq(trace_reader_open_mem(text, len, "test.pgt", &ropt, &r,
	    &err), 0, "trace: %s", err.msg);
	cr_assert_eq(replay_session_create(cfg, 1, &opt, &s, &err), 0,
	    "sim: %s", err.msg);
	cr_assert_eq(replay_session_read(s, r, &err), 0, "event %ju: %s",
	    (uintmax_t)err.event, err.msg);
	trace_reader_close(r);
	cr_assert_eq(replay_session_finish(s, "test.pgt", &rep, &err), 0,
	    "finish: %s", err.msg);
	cr_assert_eq(rep.nruns, 1);
	if (last_ns != NULL)
		*last_ns = (uint64_t)(rep.trace.duration_s * 1e9 + 0.5);
	*out = rep.runs[0];
	free(rep.runs);
	replay_session_destroy(s);
}

static void
replay_str(const char *yaml, const char *text, struct report_run *out)
{
	struct pg_config cfg;

	cfg_from_yaml(yaml, &cfg);
	replay(&cfg, text, strlen(text), out, NULL);
}

static const struct report_value *
stat_v(const struct report_run *run, const char *name)
{
	const struct report_value *v = report_run_stat(run, name);

	cr_assert_not_null(v, "no stat %s", name);
	return (v);
}

static int64_t
stat_i(const struct report_run *run, const char *name)
{
	return (stat_v(run, name)->i);
}

static double
stat_d(const struct report_run *run, const char *name)
{
	return (stat_v(run, name)->d);
}

static const struct report_process *
proc_of(const struct report_run *run, uint32_t pid)
{
	size_t i;

	for (i = 0; i < run->nprocesses; i++)
		if (run->processes[i].pid == pid)
			return (&run->processes[i]);
	cr_assert_fail("no process %u", pid);
	return (NULL);
}

static double
extra_d(const struct report_process *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nextra; i++)
		if (strcmp(p->extra[i].name, name) == 0)
			return (p->extra[i].is_real ? p->extra[i].d :
			    (double)p->extra[i].i);
	cr_assert_fail("no process figure %s", name);
	return (0);
}

/* The JSON report of one run, as `pgreplay -f json` writes it. */
static char *
run_json(const char *trace_path, uint64_t events, uint64_t last_ns,
    struct report_run *run, size_t *len)
{
	struct report rep;
	struct pg_error err;
	char *buf = NULL;
	FILE *f;

	memset(&rep, 0, sizeof(rep));
	snprintf(rep.trace.path, sizeof(rep.trace.path), "%s", trace_path);
	snprintf(rep.trace.format, sizeof(rep.trace.format), "text");
	rep.trace.events = events;
	rep.trace.duration_s = (double)last_ns / 1e9;
	rep.runs = run;
	rep.nruns = 1;
	f = open_memstream(&buf, len);
	cr_assert_not_null(f);
	cr_assert_eq(report_write_json(&rep, f, &err), 0, "json: %s", err.msg);
	fclose(f);
	return (buf);
}

/* Replay scenario name; *json gets its JSON report. */
static void
scenario(const char *name, struct report_run *run, char **json, size_t *jlen)
{
	char path[1024], rel[256];
	struct pg_config cfg;
	struct pg_error err;
	uint64_t last = 0;
	char *text;
	size_t len;

	snprintf(path, sizeof(path), "%s/configs/scenarios/%s.yaml",
	    source_root(), name);
	cr_assert_eq(conf_load(path, &cfg, &err), 0, "%s: %s", path, err.msg);
	/* The report names the config as pgreplay run from the top would. */
	snprintf(cfg.path, sizeof(cfg.path), "configs/scenarios/%s.yaml",
	    name);
	snprintf(path, sizeof(path), "%s/traces/scenarios/%s.pgt",
	    source_root(), name);
	text = slurp(path, &len);
	cr_assert_not_null(text, "cannot read %s", path);
	replay(&cfg, text, len, run, &last);
	free(text);
	snprintf(rel, sizeof(rel), "traces/scenarios/%s.pgt", name);
	*json = run_json(rel, (uint64_t)stat_i(run, "events"), last, run, jlen);
}

/* Compare with tests/sim/expected/<name>.json, or write it when regenerating. */
static void
golden(const char *name, const char *json, size_t len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/tests/sim/expected/%s.json",
	    source_root(), name);
	golden_check(path, json, len, "the replay's report");
}

static void
check_faults_sum(const struct report_run *run)
{
	cr_assert_eq(stat_i(run, "faults"), stat_i(run, "faults_zero_fill") +
	    stat_i(run, "faults_file") + stat_i(run, "faults_swap"));
}

/* ---- clock (spec 12.1) ---- */

Test(clock, ticks_start_like_the_kernel)
{
	cr_assert_eq(sim_ticks0(1000), INT_MAX - 600 * 1000);
	cr_assert_eq(sim_ticks_at(0, 1000), INT_MAX - 600000);
	cr_assert_eq(sim_ticks_at(999999, 1000), INT_MAX - 600000);
	cr_assert_eq(sim_ticks_at(1000000, 1000), INT_MAX - 599999);
	cr_assert_eq(sim_ticks0(100), INT_MAX - 60000);
}

Test(clock, ticks_wrap_after_ten_minutes)
{
	uint64_t ten_min = UINT64_C(600) * SIM_NS_PER_S;

	cr_assert_eq(sim_ticks_at(ten_min, 1000), INT_MAX);
	cr_assert_eq(sim_ticks_at(ten_min + 1000000, 1000), INT_MIN);
	cr_assert_eq(sim_ticks_at(ten_min + 5000000, 1000), INT_MIN + 4);
	/* The full 32-bit period later, the same value again. */
	cr_assert_eq(sim_ticks_at(ten_min + UINT64_C(4294967296) * 1000000,
	    1000), INT_MAX);
}

Test(clock, elapsed_ticks_and_uptime)
{
	cr_assert_eq(sim_elapsed_ticks(0, 1000), 0);
	cr_assert_eq(sim_elapsed_ticks(2999999, 1000), 2);
	cr_assert_eq(sim_elapsed_ticks(3333333, 300), 0);
	cr_assert_eq(sim_elapsed_ticks(3333334, 300), 1);
	/* No overflow near the end of the 64-bit range. */
	cr_assert_eq(sim_elapsed_ticks(UINT64_MAX, 1000),
	    UINT64_MAX / 1000000);
	cr_assert_eq(sim_uptime_at(0), 1);
	cr_assert_eq(sim_uptime_at(999999999), 1);
	cr_assert_eq(sim_uptime_at(1000000000), 2);
}

Test(clock, waits_end_at_the_start_of_a_tick)
{
	cr_assert_eq(sim_wait_end(0, 100, 1000), 100000000);
	cr_assert_eq(sim_wait_end(1500000, 1, 1000), 2000000);
	cr_assert_eq(sim_wait_end(1999999, 1, 1000), 2000000);
	cr_assert_eq(sim_wait_end(2000000, 1, 1000), 3000000);
	/* hz = 300: tick 1 starts at ceil(1e9 / 300) ns. */
	cr_assert_eq(sim_wait_end(0, 1, 300), 3333334);
	cr_assert_eq(sim_tick_start(3, 300), 10000000);
}

/* ---- agenda (spec 12.2) ---- */

Test(heap, order_at_equal_times_is_class_then_seq)
{
	static const unsigned cls[] = { 4, 2, 3, 0, 1, 2, 0, 4, 3, 1 };
	struct sim_heap h = { 0 };
	struct sim_action a, prev;
	uint64_t seq = 0;
	size_t i;

	for (i = 0; i < 10; i++) {
		a.time = 1000;
		a.order = sim_action_order(cls[i], seq++);
		a.arg = (uint32_t)i;
		a.gen = 0;
		a.kind = 0;
		cr_assert_eq(sim_heap_push(&h, &a), 0);
	}
	a.time = 999;
	a.order = sim_action_order(4, seq++);
	a.arg = 99;
	cr_assert_eq(sim_heap_push(&h, &a), 0);
	cr_assert(sim_heap_pop(&h, &a));
	cr_assert_eq(a.arg, 99, "an earlier time goes first, whatever its class");
	cr_assert(sim_heap_pop(&h, &prev));
	cr_assert_eq(prev.arg, 3);
	while (sim_heap_pop(&h, &a)) {
		cr_assert(sim_action_before(&prev, &a));
		cr_assert(a.order >> SIM_SEQ_BITS >= prev.order >> SIM_SEQ_BITS);
		prev = a;
	}
	cr_assert_eq(prev.arg, 7);
	sim_heap_finish(&h);
}

/*
 * An action taken with sim_heap_take() is the least of all; the pushes
 * made before sim_heap_settle() (none, one or two, as an action schedules)
 * and those after are then taken in key order, as a plain list would give
 * them.  A push that filled the open place wrongly, or a settle that lost
 * or kept the taken action, breaks the comparison.
 */
Test(heap, take_then_push_keeps_key_order)
{
	struct sim_action ref[256], a, x;
	struct sim_heap h = { 0 };
	uint64_t rng = 12345, seq = 0;
	size_t nref = 0, i, best, k, npush;
	unsigned step;

	a.time = 0;
	for (step = 0; step < 20000; step++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		npush = nref == 0 ? 1 : (rng >> 60) % 3;
		if (nref > 200)
			npush = 0;
		if (nref > 0) {
			best = 0;
			for (i = 1; i < nref; i++)
				if (sim_action_before(&ref[i], &ref[best]))
					best = i;
			sim_heap_take(&h, &a);
			cr_assert_eq(a.time, ref[best].time);
			cr_assert_eq(a.order, ref[best].order);
			ref[best] = ref[--nref];
		}
		for (k = 0; k < npush; k++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			x.time = a.time + (rng >> 58);	/* never before the one taken */
			x.order = sim_action_order((unsigned)(rng >> 20) % 5, seq++);
			x.arg = (uint32_t)step;
			x.gen = 0;
			x.kind = 0;
			cr_assert_eq(sim_heap_push(&h, &x), 0);
			ref[nref++] = x;
		}
		sim_heap_settle(&h);
		cr_assert_eq(h.n, nref, "step %u: %zu actions, expected %zu",
		    step, h.n, nref);
	}
	while (sim_heap_pop(&h, &a)) {
		best = 0;
		for (i = 1; i < nref; i++)
			if (sim_action_before(&ref[i], &ref[best]))
				best = i;
		cr_assert_eq(a.order, ref[best].order);
		ref[best] = ref[--nref];
	}
	cr_assert_eq(nref, 0);
	sim_heap_finish(&h);
}

/* ---- fault path (spec 6.5, fact 11) ---- */

static const char small_noswap_yaml[] =
    "machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n"
    "sysctl: { vm.pageout_oom_seq: 100000 }\n"
    "sim: { drain: 2s }\n";

Test(spec13, fact11_fault_below_severe_does_not_allocate_or_add_deficit)
{
	struct pg_config cfg;
	struct pg_error err;
	struct sim_options opt = { .check_invariants = true };
	struct trace_event ev;
	struct vm_domain *vmd;
	struct sim *s;
	uint32_t obj, resident_before, free_before;

	cfg_from_yaml(small_noswap_yaml, &cfg);
	cr_assert_eq(sim_create(&cfg, &opt, &s, &err), 0, "%s", err.msg);
	memset(&ev, 0, sizeof(ev));
	ev.op = TRACE_OP_PROC;
	ev.pid = 10;
	ev.str = "p";
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	ev.op = TRACE_OP_MAP;
	ev.obj = 1;
	ev.objtype = TRACE_OBJ_ANON;
	ev.count = 8192;
	ev.str = NULL;
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	/* Dirty more than memory: the fault stops at the severe gate. */
	ev.op = TRACE_OP_DIRTY;
	ev.pindex = 0;
	ev.count = 8192;
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);

	vmd = &s->m->dom[0];
	obj = vm_object_lookup(s->m, 1);
	cr_assert(vm_page_count_severe(s->m));
	/* The allocation that crossed free_severe was the last one. */
	cr_assert_eq(vmd->free_count, vmd->th.free_severe - 1);
	cr_assert_eq(vmd->pageout_deficit, 0);
	cr_assert_eq(s->procs[0].block, PB_MEM_MIN);
	cr_assert_eq(s->procs[0].stalls, 1);
	resident_before = s->m->objects[obj].resident_page_count;
	free_before = vmd->free_count;
	cr_assert_eq(s->procs[0].cursor, resident_before);

	/* A second faulting process at the same time: no allocation either. */
	ev.op = TRACE_OP_PROC;
	ev.pid = 11;
	ev.str = "q";
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	ev.op = TRACE_OP_MAP;
	ev.obj = 2;
	ev.count = 16;
	ev.str = NULL;
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	ev.op = TRACE_OP_FAULT;
	ev.count = 1;
	cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	cr_assert_eq(vmd->free_count, free_before);
	cr_assert_eq(vmd->pageout_deficit, 0);
	cr_assert_eq(s->m->objects[vm_object_lookup(s->m, 2)]
	    .resident_page_count, 0);
	cr_assert_eq(s->m->objects[obj].resident_page_count, resident_before);
	cr_assert_eq(s->procs[1].block, PB_MEM_MIN);
	cr_assert_eq(s->stalls, 2);
	sim_destroy(s);
}

/* ---- stalls shift a process's later events, not the others' ---- */

Test(stall, memory_stall_shifts_only_the_stalled_process)
{
	struct report_run run;
	const struct report_process *a, *b;

	/*
	 * b takes most of memory; a stalls at 0.1 s; b exits at 0.5 s and
	 * frees it, which wakes a: a waited 0.4 s, so its exit (trace time
	 * 1 s) runs at 1.4 s.  Nothing else can free memory (no swap, no
	 * clean pages, no kernel cache) and the OOM killer is held off.
	 */
	replay_str(small_noswap_yaml,
	    "pgtrace 1\n"
	    "0 proc 1 a\n"
	    "0 proc 2 b\n"
	    "0 map 2 2 anon 3000\n"
	    "0 dirty 2 2 0 3000\n"
	    "0 map 1 1 anon 2000\n"
	    "0.1 dirty 1 1 0 2000\n"
	    "0.5 exit 2\n"
	    "1 exit 1\n", &run);
	a = proc_of(&run, 1);
	b = proc_of(&run, 2);
	cr_assert_str_eq(a->fate, "exited");
	cr_assert_str_eq(b->fate, "exited");
	cr_assert_eq(a->stalls, 1);
	cr_assert_float_eq(a->stall_time_s, 0.4, 1e-12);
	cr_assert_float_eq(extra_d(a, "end_time_s"), 1.4, 1e-12);
	cr_assert_eq(b->stalls, 0);
	cr_assert_float_eq(extra_d(b, "end_time_s"), 0.5, 1e-12);
	cr_assert_eq(stat_i(&run, "stalls"), 1);
	cr_assert_float_eq(stat_d(&run, "stall_time_s"), 0.4, 1e-12);
	cr_assert_eq(extra_d(a, "faults"), 2000);
	report_run_finish(&run);
}

Test(stall, read_wait_shifts_later_events_exactly)
{
	struct report_run run;
	const struct report_process *a, *b;

	/*
	 * Each file read: 1 ms latency + 4096 B at 4096000 B/s = 2 ms; two
	 * reads in a row end at 4 ms, so a's exit (1 s) runs at 1.004 s
	 * while b's runs at its trace time.
	 */
	replay_str("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n"
	    "devices: { file: { latency: 1ms, bandwidth: 4000KiB/s } }\n",
	    "pgtrace 1\n"
	    "0 proc 1 a\n"
	    "0 proc 2 b\n"
	    "0 map 1 7 file 10\n"
	    "0 fault 1 7 0 2\n"
	    "0 map 2 8 anon 10\n"
	    "0.002 dirty 2 8 0 10\n"
	    "1 exit 1\n"
	    "1 exit 2\n", &run);
	a = proc_of(&run, 1);
	b = proc_of(&run, 2);
	cr_assert_float_eq(extra_d(a, "io_wait_s"), 0.004, 1e-12);
	cr_assert_float_eq(extra_d(a, "end_time_s"), 1.004, 1e-12);
	cr_assert_float_eq(extra_d(b, "end_time_s"), 1.0, 1e-12);
	cr_assert_eq(stat_i(&run, "faults_file"), 2);
	cr_assert_eq(stat_i(&run, "v_vnodepgsin"), 2);
	cr_assert_eq(stat_i(&run, "file_reads"), 2);
	cr_assert_eq(a->stalls, 0);
	check_faults_sum(&run);
	report_run_finish(&run);
}

/* ---- kills, drops, the end of a run ---- */

Test(kill, killed_process_later_events_are_dropped_and_counted)
{
	struct report_run run;
	const struct report_process *hog, *other;

	replay_str("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    "pgtrace 1\n"
	    "0 proc 1 other\n"
	    "0 map 1 1 anon 100\n"
	    "0 dirty 1 1 0 100\n"
	    "0 proc 2 hog\n"
	    "0 map 2 2 anon 8192\n"
	    "0.01 dirty 2 2 0 8192\n"
	    "20 fault 2 2 0 10\n"
	    "20 dirty 2 2 0 10\n"
	    "21 exit 2\n"
	    "21 exit 1\n", &run);
	cr_assert_eq(run.noom_kills, 1);
	cr_assert_eq(run.oom_kills[0].pid, 2);
	cr_assert_str_eq(run.oom_kills[0].name, "hog");
	hog = proc_of(&run, 2);
	other = proc_of(&run, 1);
	cr_assert_str_eq(hog->fate, "killed");
	cr_assert_str_eq(other->fate, "exited");
	/*
	 * The dirty it was in the middle of when it exited, and the fault,
	 * dirty and exit at 20-21 s, which never happen.
	 */
	cr_assert_eq(extra_d(hog, "events_dropped"), 4);
	cr_assert_eq(stat_i(&run, "events_dropped"), 4);
	cr_assert_eq(stat_i(&run, "oom_kills"), 1);
	cr_assert_lt(run.oom_kills[0].time_s, 20.0);
	report_run_finish(&run);
}

Test(runend, drain_ends_with_the_waiting_process_stalled)
{
	struct report_run run;
	const struct report_process *p;

	/* No swap, no OOM kill: the process waits for memory for ever. */
	replay_str(small_noswap_yaml,
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 8192\n"
	    "0.5 dirty 1 1 0 8192\n"
	    "1 fault 1 1 0 1\n"
	    "2 dirty 1 1 0 1\n"
	    "3 exit 1\n", &run);
	p = proc_of(&run, 1);
	cr_assert_str_eq(p->fate, "stalled");
	/* The dirty in progress and the three events behind it. */
	cr_assert_eq(extra_d(p, "events_unreplayed"), 4);
	cr_assert_eq(stat_i(&run, "events_unreplayed"), 4);
	/* Stalled from 0.5 s until drain (2 s) after the last event (3 s). */
	cr_assert_float_eq(p->stall_time_s, 4.5, 1e-12);
	cr_assert_float_eq(stat_d(&run, "end_time_s"), 5.0, 1e-12);
	cr_assert_eq(run.noom_kills, 0);
	report_run_finish(&run);
}

Test(runend, ends_when_every_process_has_exited)
{
	struct report_run run;

	replay_str("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 10\n"
	    "0.25 dirty 1 1 0 10\n"
	    "0.5 exit 1\n", &run);
	cr_assert_float_eq(stat_d(&run, "end_time_s"), 0.5, 1e-12);
	cr_assert_str_eq(proc_of(&run, 1)->fate, "exited");
	cr_assert_eq(stat_i(&run, "faults_zero_fill"), 10);
	cr_assert_eq(stat_i(&run, "events"), 4);
	report_run_finish(&run);
}

/* The end-of-run length of queue `name` ("active"...) of domain 0. */
static int64_t
domain0_field(const struct report_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->domains[0].nfields; i++)
		if (strcmp(run->domains[0].fields[i].name, name) == 0)
			return (run->domains[0].fields[i].i);
	cr_assert_fail("domain field %s missing", name);
	return (-1);
}

/*
 * vm_fault() with VM_FAULT_WIRE wires the page instead of activating it,
 * and a read fault maps writable, so a later write is no fault at all.
 */
Test(fault, wire_does_not_activate_and_read_then_write_is_no_fault)
{
	struct report_run run;

	replay_str("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n"
	    "sim: { drain: 1s }\n",
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 20\n"
	    "0.1 wire 1 1 0 10\n"
	    "0.2 fault 1 1 10 5\n"
	    "0.3 dirty 1 1 10 5\n", &run);
	cr_assert_eq(domain0_field(&run, "active"), 5,
	    "wired pages were activated");
	cr_assert_eq(stat_i(&run, "faults_zero_fill"), 15);
	cr_assert_eq(stat_i(&run, "faults_soft"), 0,
	    "a write after a read fault faulted again");
	report_run_finish(&run);
}

Test(runend, stat_names_match_the_report)
{
	struct report_run run;
	size_t i;

	replay_str("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    "pgtrace 1\n0 mark start\n", &run);
	for (i = 0; sim_stat_name(i) != NULL; i++) {
		cr_assert_lt(i, run.nstats);
		cr_assert_str_eq(run.stats[i].name, sim_stat_name(i));
	}
	cr_assert_eq(i, run.nstats);
	cr_assert_eq(stat_i(&run, "marks"), 1);
	report_run_finish(&run);
}

Test(trace_errors, unknown_pid_and_unmapped_object_are_errors)
{
	struct pg_config cfg;
	struct pg_error err;
	struct trace_event ev;
	struct sim *s;

	cfg_from_yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n", &cfg);
	cr_assert_eq(sim_create(&cfg, NULL, &s, &err), 0);
	memset(&ev, 0, sizeof(ev));
	ev.op = TRACE_OP_FAULT;
	ev.pid = 5;
	ev.obj = 1;
	ev.count = 1;
	cr_assert_eq(sim_feed(s, &ev, &err), -EINVAL);
	cr_assert_eq(err.event, 1);
	cr_assert_not_null(strstr(err.msg, "no process 5"), "%s", err.msg);
	sim_destroy(s);

	cr_assert_eq(sim_create(&cfg, NULL, &s, &err), 0);
	ev.op = TRACE_OP_PROC;
	ev.str = "x";
	cr_assert_eq(sim_feed(s, &ev, &err), 0);
	ev.op = TRACE_OP_FAULT;
	ev.str = NULL;
	cr_assert_eq(sim_feed(s, &ev, &err), -EINVAL);
	cr_assert_not_null(strstr(err.msg, "not mapped"), "%s", err.msg);
	sim_destroy(s);
}

/* ---- swap-in after swap-out ---- */

Test(swap, pages_swapped_out_come_back_by_swap_reads)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("anon-hog-swap", &run, &json, &len);
	cr_assert_gt(stat_i(&run, "v_swappgsout"), 0);
	cr_assert_gt(stat_i(&run, "faults_swap"), 0);
	cr_assert_eq(stat_i(&run, "faults_swap"), stat_i(&run, "v_swappgsin"));
	cr_assert_eq(stat_i(&run, "faults_swap"), stat_i(&run, "swap_reads"));
	check_faults_sum(&run);
	free(json);
	report_run_finish(&run);
}

/* ---- determinism ---- */

Test(determinism, same_inputs_give_identical_reports)
{
	struct report_run r1, r2;
	char *j1, *j2;
	size_t l1, l2;

	scenario("dirty-churn", &r1, &j1, &l1);
	scenario("dirty-churn", &r2, &j2, &l2);
	cr_assert_eq(l1, l2);
	cr_assert(memcmp(j1, j2, l1) == 0, "two replays differ");
	cr_assert_eq(r1.nstats, r2.nstats);
	cr_assert(memcmp(r1.stats, r2.stats, r1.nstats * sizeof(*r1.stats))
	    == 0);
	free(j1);
	free(j2);
	report_run_finish(&r1);
	report_run_finish(&r2);
}

/* ---- scenarios (traces/scenarios, configs/scenarios) ---- */

Test(scenarios, anon_hog_noswap)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("anon-hog-noswap", &run, &json, &len);
	/* The point: the largest process is killed, the other survives. */
	cr_assert_eq(run.noom_kills, 1);
	cr_assert_eq(run.oom_kills[0].pid, 200);
	cr_assert_str_eq(run.oom_kills[0].name, "hog");
	cr_assert_gt(run.oom_kills[0].pages, 2048);
	cr_assert_str_eq(proc_of(&run, 200)->fate, "killed");
	cr_assert_str_eq(proc_of(&run, 100)->fate, "exited");
	cr_assert_eq(stat_i(&run, "v_swappgsout"), 0);
	cr_assert_eq(stat_i(&run, "events_dropped"), 3);
	check_faults_sum(&run);
	golden("anon-hog-noswap", json, len);
	free(json);
	report_run_finish(&run);
}

Test(scenarios, anon_hog_swap)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("anon-hog-swap", &run, &json, &len);
	/* The point: with swap, the same pressure pages out and nobody dies. */
	cr_assert_eq(run.noom_kills, 0);
	cr_assert_eq(stat_i(&run, "oom_kills"), 0);
	cr_assert_gt(stat_i(&run, "v_swappgsout"), 0);
	cr_assert_gt(stat_i(&run, "faults_swap"), 0);
	cr_assert_str_eq(proc_of(&run, 200)->fate, "exited");
	cr_assert_str_eq(proc_of(&run, 100)->fate, "exited");
	check_faults_sum(&run);
	golden("anon-hog-swap", json, len);
	free(json);
	report_run_finish(&run);
}

Test(scenarios, file_seqread)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("file-seqread", &run, &json, &len);
	/* The point: clean file pages are recycled without laundering. */
	cr_assert_gt(stat_i(&run, "v_dfree"), 0);
	cr_assert_eq(stat_i(&run, "laundered_background"), 0);
	cr_assert_eq(stat_i(&run, "laundered_shortfall"), 0);
	cr_assert_eq(stat_i(&run, "faults_file"), 32768);
	cr_assert_eq(run.noom_kills, 0);
	cr_assert_str_eq(proc_of(&run, 300)->fate, "exited");
	check_faults_sum(&run);
	golden("file-seqread", json, len);
	free(json);
	report_run_finish(&run);
}

Test(scenarios, dirty_churn)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("dirty-churn", &run, &json, &len);
	/* The point: both laundering modes run. */
	cr_assert_gt(stat_i(&run, "laundered_background"), 0);
	cr_assert_gt(stat_i(&run, "laundered_shortfall"), 0);
	cr_assert_gt(stat_i(&run, "v_pdshortfalls"), 0);
	cr_assert_gt(stat_i(&run, "v_swappgsout"), 0);
	cr_assert_eq(run.noom_kills, 0);
	check_faults_sum(&run);
	golden("dirty-churn", json, len);
	free(json);
	report_run_finish(&run);
}

Test(scenarios, two_domains)
{
	struct report_run run;
	char *json;
	size_t len;
	size_t d;

	scenario("two-domains", &run, &json, &len);
	/* The point: both domains' daemons work; nobody is killed. */
	cr_assert_eq(run.ndomains, 2);
	for (d = 0; d < 2; d++) {
		cr_assert_eq(run.domains[d].fields[0].i, 8192);
		cr_assert_str_eq(run.domains[d].fields[11].name, "pass");
		cr_assert_gt(run.domains[d].fields[11].i, 1);
	}
	cr_assert_eq(run.noom_kills, 0);
	cr_assert_gt(stat_i(&run, "v_swappgsout"), 0);
	check_faults_sum(&run);
	golden("two-domains", json, len);
	free(json);
	report_run_finish(&run);
}

Test(scenarios, kernel_cache_lowmem)
{
	struct report_run run;
	char *json;
	size_t len;

	scenario("kernel-cache-lowmem", &run, &json, &len);
	/* The point: lowmem events shrink the kernel cache. */
	cr_assert_gt(stat_i(&run, "lowmem_events"), 0);
	cr_assert_gt(stat_i(&run, "kernel_cache_released"), 0);
	cr_assert_eq(run.noom_kills, 0);
	check_faults_sum(&run);
	golden("kernel-cache-lowmem", json, len);
	free(json);
	report_run_finish(&run);
}

/* ---- the idle-hog scenario of the model variants (docs/model.md) ---- */

struct idle_hog {
	struct report_run run;
	bool killed;
	double kill_s;
	uint64_t kill_free, kill_free_target;
};

/*
 * Replay traces/scenarios/<trace>.pgt with configs/scenarios/<config>.yaml
 * as scenario() does, keeping the machine's free count at the kill (the
 * simulator's record, not in the report); compare with the golden
 * tests/sim/expected/<config>.json.  Checking the invariants after every
 * step costs about 15 s of CPU per run of this machine (far more under
 * the sanitizers), so the machine is checked once, at the end of the run;
 * the model's code is checked step by step by the smaller machines of the
 * other suites.
 */
static void
scenario_run(const char *trace, const char *config, struct idle_hog *h)
{
	struct sim_options opt = { .check_invariants = false };
	struct trace_reader_opts ropt = { 0 };
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_config cfg;
	struct pg_error err;
	struct sim *s;
	char path[1024], name[256], *text, *json;
	uint64_t last = 0;
	size_t len, jlen;
	int rc;

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "%s/configs/scenarios/%s.yaml",
	    source_root(), config);
	cr_assert_eq(conf_load(path, &cfg, &err), 0, "%s: %s", path, err.msg);
	/* The report names the config as pgreplay run from the top would. */
	snprintf(cfg.path, sizeof(cfg.path), "configs/scenarios/%s.yaml",
	    config);
	snprintf(path, sizeof(path), "%s/traces/scenarios/%s.pgt",
	    source_root(), trace);
	text = slurp(path, &len);
	cr_assert_not_null(text, "cannot read %s", path);
	snprintf(name, sizeof(name), "%s.pgt", trace);
	cr_assert_eq(trace_reader_open_mem(text, len, name, &ropt, &r, &err),
	    0, "trace: %s", err.msg);
	cr_assert_eq(sim_create(&cfg, &opt, &s, &err), 0, "sim: %s", err.msg);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		last = ev.time_ns;
		cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(rc, 0, "trace: %s", err.msg);
	trace_reader_close(r);
	cr_assert_eq(sim_finish(s, &h->run, &err), 0, "finish: %s", err.msg);
	cr_assert_eq(vm_machine_check(s->m, &err), 0, "%s: %s", config,
	    err.msg);
	if (s->nkills > 0) {
		h->killed = true;
		h->kill_s = (double)s->kills[0].time_ns / 1e9;
		h->kill_free = s->kills[0].free_count;
		h->kill_free_target = s->kills[0].free_target;
	}
	sim_destroy(s);
	free(text);
	snprintf(path, sizeof(path), "traces/scenarios/%s.pgt", trace);
	json = run_json(path, (uint64_t)stat_i(&h->run, "events"), last,
	    &h->run, &jlen);
	golden(config, json, jlen);
	free(json);
}

static void
idle_hog(const char *config, struct idle_hog *h)
{
	scenario_run("idle-hog", config, h);
}

/*
 * The seed: the hog is killed about a second after its last page came in,
 * idle, with more free pages than free_target and four-fifths of the swap
 * unused (S:1356/S:1399 and the PID integral, docs/model.md).
 */
Test(scenarios, idle_hog_seed_kills_with_free_memory_above_target)
{
	struct idle_hog h;
	double done;

	idle_hog("idle-hog", &h);
	cr_assert(h.killed);
	cr_assert_eq(h.run.noom_kills, 1);
	cr_assert_eq(h.run.oom_kills[0].pid, 200);
	cr_assert_eq(h.run.oom_kills[0].pages, 65536, "all of it faulted in");
	cr_assert_gt(h.kill_free, h.kill_free_target, "free %ju target %ju",
	    (uintmax_t)h.kill_free, (uintmax_t)h.kill_free_target);
	/* Its last fault was done when its stall ended; the kill follows. */
	done = 0.020 + proc_of(&h.run, 200)->stall_time_s;
	cr_assert(h.kill_s > done && h.kill_s < done + 2.0, "kill %f done %f",
	    h.kill_s, done);
	cr_assert_lt(stat_i(&h.run, "peak_swap_used"), 262144 / 4);
	cr_assert_eq(h.run.nvariants, 0);
	report_run_finish(&h.run);
}

/* The report of runs a and b side by side in format fmt. */
static char *
render2(struct report_run *a, struct report_run *b, enum report_format fmt)
{
	struct report_run runs[2];
	struct report rep;
	struct pg_error err;
	char *buf = NULL;
	size_t len;
	FILE *f;

	memset(&rep, 0, sizeof(rep));
	snprintf(rep.trace.path, sizeof(rep.trace.path), "idle-hog.pgt");
	snprintf(rep.trace.format, sizeof(rep.trace.format), "text");
	runs[0] = *a;
	runs[1] = *b;
	rep.runs = runs;
	rep.nruns = 2;
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(fmt == REPORT_FORMAT_TEXT ? report_write_text(&rep, f,
	    &err) : report_write_csv(&rep, f, &err), 0, "%s", err.msg);
	fclose(f);
	return (buf);
}

/* Every report names the variants of a run; the seed's says none. */
static void
idle_hog_reports(struct report_run *seed, struct report_run *v)
{
	char *out;

	out = render2(seed, v, REPORT_FORMAT_TEXT);
	cr_assert(strstr(out, "\npidctrl-2018-06: model variants: "
	    "pidctrl-2018-06\n") != NULL, "%s", out);
	cr_assert(strstr(out, "seed: model variants") == NULL, "%s", out);
	free(out);
	out = render2(seed, v, REPORT_FORMAT_CSV);
	cr_assert(strncmp(out, "run,model.variants,", 19) == 0, "%s", out);
	cr_assert(strstr(out, "\nseed,none,") != NULL, "%s", out);
	cr_assert(strstr(out, "\npidctrl-2018-06,pidctrl-2018-06,") != NULL,
	    "%s", out);
	free(out);
}

/*
 * pidctrl-2018-06 alone changes nothing here: it rewrote the calls inside
 * one PID interval, and from the first failed scan the seed's daemon
 * pauses a whole interval between scans, so every call starts one.
 */
Test(scenarios, idle_hog_pidctrl_2018_06_is_the_seed_here)
{
	struct idle_hog seed, h;

	idle_hog("idle-hog", &seed);
	idle_hog("idle-hog-pidctrl-2018-06", &h);
	cr_assert(h.killed);
	cr_assert_float_eq(h.kill_s, seed.kill_s, 1e-9);
	cr_assert_eq(stat_i(&h.run, "pd_iterations_max_interval"), 2);
	cr_assert_eq(stat_i(&h.run, "v_pdpages"), stat_i(&seed.run,
	    "v_pdpages"));
	cr_assert_eq(h.run.nvariants, 1);
	cr_assert_str_eq(h.run.variants[0], "pidctrl-2018-06");
	idle_hog_reports(&seed.run, &h.run);
	report_run_finish(&seed.run);
	report_run_finish(&h.run);
}

/* Each of the other fixes lets the hog live and exit. */
static void
idle_hog_survives(const char *config, const char *variant)
{
	struct idle_hog h;

	idle_hog(config, &h);
	cr_assert_not(h.killed, "%s kills at %f", config, h.kill_s);
	cr_assert_eq(stat_i(&h.run, "oom_kills"), 0);
	cr_assert_str_eq(proc_of(&h.run, 200)->fate, "exited");
	cr_assert_str_eq(proc_of(&h.run, 100)->fate, "exited");
	cr_assert_gt(stat_i(&h.run, "v_swappgsout"), 65536 / 2);
	if (variant != NULL) {
		cr_assert_eq(h.run.nvariants, 1);
		cr_assert_str_eq(h.run.variants[0], variant);
	}
	report_run_finish(&h.run);
}

Test(scenarios, idle_hog_active_target_avoids_the_kill)
{
	idle_hog_survives("idle-hog-active-target", "active-target");
}

Test(scenarios, idle_hog_oom_instant_shortage_avoids_the_kill)
{
	idle_hog_survives("idle-hog-oom-instant-shortage",
	    "oom-instant-shortage");
}

Test(scenarios, idle_hog_all_variants_avoid_the_kill)
{
	idle_hog_survives("idle-hog-all", NULL);
}

/* ---- the cache-then-hog scenario (docs/model.md) ---- */

/*
 * The seed: the reader's bursts wake the daemon inside its PID intervals
 * (up to 8 calls in one); the hog that follows is killed idle, seconds
 * after its last page came in, with free memory above free_target.
 */
Test(scenarios, cache_then_hog_seed_kills_with_free_memory_above_target)
{
	struct idle_hog h;
	double done;

	scenario_run("cache-then-hog", "cache-then-hog", &h);
	cr_assert(h.killed);
	cr_assert_eq(h.run.noom_kills, 1);
	cr_assert_eq(h.run.oom_kills[0].pid, 200);
	cr_assert_eq(h.run.oom_kills[0].pages, 10240, "all of it faulted in");
	cr_assert_gt(h.kill_free, h.kill_free_target, "free %ju target %ju",
	    (uintmax_t)h.kill_free, (uintmax_t)h.kill_free_target);
	done = 9.0 + proc_of(&h.run, 200)->stall_time_s;
	cr_assert(h.kill_s > done + 1.0, "kill %f done %f", h.kill_s, done);
	cr_assert_eq(stat_i(&h.run, "pd_iterations_max_interval"), 8);
	cr_assert_str_eq(proc_of(&h.run, 300)->fate, "exited");
	cr_assert_eq(h.run.nvariants, 0);
	report_run_finish(&h.run);
}

/* Each variant lets the hog live: the kill changes with every fix. */
static void
cache_then_hog_survives(const char *config, const char *variant,
    int64_t max_interval)
{
	struct idle_hog h;

	scenario_run("cache-then-hog", config, &h);
	cr_assert_not(h.killed, "%s kills at %f", config, h.kill_s);
	cr_assert_eq(stat_i(&h.run, "oom_kills"), 0);
	cr_assert_str_eq(proc_of(&h.run, 200)->fate, "exited");
	cr_assert_str_eq(proc_of(&h.run, 300)->fate, "exited");
	cr_assert_eq(stat_i(&h.run, "pd_iterations_max_interval"),
	    max_interval);
	cr_assert_eq(h.run.nvariants, 1);
	cr_assert_str_eq(h.run.variants[0], variant);
	report_run_finish(&h.run);
}

/*
 * The June-2018 controller answers the calls inside one interval
 * differently (at most 4 in one here, the seed 8) and the run takes
 * another course: no kill.
 */
Test(scenarios, cache_then_hog_pidctrl_2018_06_avoids_the_kill)
{
	cache_then_hog_survives("cache-then-hog-pidctrl-2018-06",
	    "pidctrl-2018-06", 4);
}

Test(scenarios, cache_then_hog_active_target_avoids_the_kill)
{
	cache_then_hog_survives("cache-then-hog-active-target",
	    "active-target", 8);
}

Test(scenarios, cache_then_hog_oom_instant_shortage_avoids_the_kill)
{
	cache_then_hog_survives("cache-then-hog-oom-instant-shortage",
	    "oom-instant-shortage", 8);
}

/* ---- panic_on_oom and the checking mode through the simulator ---- */

/*
 * vm.panic_on_oom = 1 (S:1752-1754): where the OOM killer would kill, the
 * run ends with a panic instead: nobody is killed, the report carries the
 * panic's time and reason, and the events after it are not replayed.
 */
Test(panic, panic_on_oom_ends_the_run_instead_of_killing)
{
	struct pg_config cfg;
	struct report_run run;
	char *text;
	size_t len;
	char path[1024];

	snprintf(path, sizeof(path), "%s/configs/scenarios/anon-hog-noswap.yaml",
	    source_root());
	cr_assert_eq(conf_load(path, &cfg, NULL), 0);
	cfg.sysctl.panic_on_oom = 1;
	snprintf(path, sizeof(path), "%s/traces/scenarios/anon-hog-noswap.pgt",
	    source_root());
	text = slurp(path, &len);
	replay(&cfg, text, len, &run, NULL);
	cr_assert(run.panic, "no panic reported");
	cr_assert_gt(run.panic_time_s, 0.0);
	cr_assert_str_eq(run.panic_reason, "out of swap space");
	cr_assert_eq(stat_i(&run, "oom_kills"), 0);
	cr_assert_eq(run.noom_kills, 0);
	cr_assert_gt(stat_i(&run, "events_unreplayed"), 0,
	    "events after the panic were replayed");
	report_run_finish(&run);
	free(text);
}

/*
 * The checking mode (issue item 10): a broken invariant stops the run
 * with -EFAULT and a message naming the event after which it broke.
 */
Test(check, invariant_violation_names_the_event)
{
	static const char trace[] =
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 16\n"
	    "0.1 dirty 1 1 0 4\n"
	    "0.2 fault 1 1 4 4\n";
	/* Every step fully checked, so the event is named exactly. */
	struct sim_options opt = { .check_invariants = true,
		.check_interval = SIM_CHECK_FULL_EVERY };
	struct trace_reader_opts ropt = { 0 };
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_config cfg;
	struct pg_error err;
	struct sim *s;
	int rc = 0, n = 0;

	cfg_from_yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    &cfg);
	cr_assert_eq(trace_reader_open_mem(trace, sizeof(trace) - 1, "t.pgt",
	    &ropt, &r, &err), 0);
	cr_assert_eq(sim_create(&cfg, &opt, &s, &err), 0);
	while (trace_reader_next(r, &ev, &err) == 1) {
		if (++n == 4)
			s->m->dom[0].free_count--;	/* corrupt the count */
		rc = sim_feed(s, &ev, &err);
		if (rc != 0)
			break;
	}
	cr_assert_eq(rc, -EFAULT, "the corruption went unnoticed");
	cr_assert_eq(n, 4);
	cr_assert(strstr(err.msg, "invariant violated") != NULL, "%s",
	    err.msg);
	cr_assert(strstr(err.msg, "event 4") != NULL, "%s", err.msg);
	trace_reader_close(r);
	sim_destroy(s);
}

/*
 * The sampled check (src/sim/check.c): the per-step counts catch a domain
 * holding more pages than it has at once; a corruption only the full walk
 * sees is caught by the end of the run at the latest.
 */
static int
feed_corrupted(const struct sim_options *opt, int how, struct pg_error *err,
    int *at)
{
	static const char trace[] =
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 16\n"
	    "0.1 dirty 1 1 0 4\n"
	    "0.2 fault 1 1 4 4\n"
	    "0.3 exit 1\n";
	struct trace_reader_opts ropt = { 0 };
	struct trace_reader *r;
	struct trace_event ev;
	struct report_run run;
	struct pg_config cfg;
	struct sim *s;
	int rc = 0, n = 0;

	cfg_from_yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    &cfg);
	cr_assert_eq(trace_reader_open_mem(trace, sizeof(trace) - 1, "t.pgt",
	    &ropt, &r, err), 0);
	cr_assert_eq(sim_create(&cfg, opt, &s, err), 0);
	*at = 0;
	while (trace_reader_next(r, &ev, err) == 1) {
		if (++n == 4) {
			if (how == 0)
				s->m->dom[0].free_count--;
			else
				s->m->dom[0].pq[PQ_ACTIVE].cnt +=
				    s->m->dom[0].page_count;
		}
		rc = sim_feed(s, &ev, err);
		if (rc != 0) {
			*at = n;
			break;
		}
	}
	if (rc == 0) {
		rc = sim_finish(s, &run, err);
		report_run_finish(&run);
	}
	trace_reader_close(r);
	sim_destroy(s);
	return rc;
}

Test(check, sampled_check_still_catches)
{
	struct sim_options opt = { .check_invariants = true };
	struct pg_error err;
	int at;

	/* A lost free page: the full walk at the end of the run sees it. */
	cr_assert_eq(feed_corrupted(&opt, 0, &err, &at), -EFAULT,
	    "the corruption went unnoticed");
	cr_assert(strstr(err.msg, "invariant violated") != NULL, "%s",
	    err.msg);
	/* Too many queued pages: the per-step counts, at the next step. */
	cr_assert_eq(feed_corrupted(&opt, 1, &err, &at), -EFAULT);
	cr_assert_eq(at, 4, "caught at event %d", at);
	cr_assert(strstr(err.msg, "pages free, queued or held") != NULL, "%s",
	    err.msg);
}

/* An interrupted flag stops sim_feed() and sim_finish() with -EINTR. */
Test(check, interrupted_flag_stops_the_run)
{
	static const char trace[] =
	    "pgtrace 1\n"
	    "0 proc 1 p\n"
	    "0 map 1 1 anon 16\n"
	    "100 dirty 1 1 0 4\n";
	volatile sig_atomic_t flag = 0;
	struct sim_options opt = { .check_invariants = true,
		.interrupted = &flag };
	struct trace_reader_opts ropt = { 0 };
	struct trace_reader *r;
	struct trace_event ev;
	struct report_run run;
	struct pg_config cfg;
	struct pg_error err;
	struct sim *s;
	int n = 0;

	cfg_from_yaml("machine: { memory: 16MiB, swap: 0, kernel_wired: 2MiB }\n",
	    &cfg);
	cr_assert_eq(trace_reader_open_mem(trace, sizeof(trace) - 1, "t.pgt",
	    &ropt, &r, &err), 0);
	cr_assert_eq(sim_create(&cfg, &opt, &s, &err), 0);
	while (trace_reader_next(r, &ev, &err) == 1) {
		/* Before the event 100 s on: the daemons run in between. */
		if (++n == 3)
			flag = 1;
		if (n < 3)
			cr_assert_eq(sim_feed(s, &ev, &err), 0, "%s", err.msg);
		else
			cr_assert_eq(sim_feed(s, &ev, &err), -EINTR);
	}
	cr_assert_eq(sim_finish(s, &run, &err), -EINTR);
	trace_reader_close(r);
	sim_destroy(s);
}
