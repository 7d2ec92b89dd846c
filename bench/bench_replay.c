/*
 * bench_replay.c - speed and memory of a whole replay: binary decode plus
 * simulation, the baseline for the performance targets (20 million trace
 * events per second per core, 64 bytes of memory per simulated page).
 *
 * Each workload is a synthetic trace generated in memory from a fixed-seed
 * PRNG (the same trace on every machine), encoded with the binary writer
 * to a temporary file, loaded back into memory and read with
 * trace_reader_open_mem(), so that no disk I/O is timed.  A trace is one
 * process that maps one anonymous object, touches all of it in one
 * prefault event, then issues EVENTS single-page touches (fault or dirty)
 * and exits.  For each workload the program reports the median over RUNS
 * of:
 *
 * - decode: trace_reader_next() alone, with validation, as the CLI reads;
 * - replay: decode + a replay session of one run and one job (batching
 *   and sim_feed()) of the touch events (CPU and wall time), the
 *   per-event cost the targets are about; the setup events (proc, map,
 *   the prefault of the whole object), the session's creation and its
 *   finish are timed on their own.  Under memory pressure the prefault blocks
 *   and part of its work runs during the touch events, as it would in a
 *   real replay;
 *
 * and, from the first run, the memory per simulated (physical) page:
 * the structural size (sizeof(struct vm_page), its first mapping inline,
 * plus its share of a dense per-object page index),
 * the heap the simulation holds at the end of the trace (mallinfo2()
 * delta over the session's creation and the feed loop, batch included) and the resident set growth
 * over the same span.
 *
 *	bench_replay [EVENTS [RUNS [WORKLOAD]]]
 *	bench_replay --write FILE EVENTS WORKLOAD
 *
 * The second form only writes the binary trace of WORKLOAD with EVENTS
 * touches to FILE, for timing the pgreplay command (docs/report.md).
 *
 * WORKLOAD restricts the run to one workload by name (for profilers).
 * Invariant checking is off.  Run by `meson test --benchmark`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "report/report.h"
#include "sim/replay.h"
#include "trace/reader.h"
#include "trace/writer.h"
#include "vm/vm.h"

#define RUNS_MAX 64
#define SETUP_EVENTS 3	/* proc, map, prefault: the rest are touches */
#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

struct workload {
	const char *name;
	const char *what;
	uint64_t memory_bytes;
	uint64_t swap_bytes;
	uint64_t kernel_wired_bytes;
	uint32_t obj_pages;	/* size of the one anonymous object */
	uint32_t hot_pages;	/* pages [0, hot_pages) are the hot set */
	unsigned cold_pct;	/* share of touches anywhere in the object */
	unsigned write_pct;	/* share of touches that are writes (dirty) */
	bool sequential;	/* touch pages in order instead of at random */
	uint64_t dt_ns;		/* trace time between touches */
};

static const struct workload workloads[] = {
	{ "random", "random touches of a resident 1 GiB set, 4 GiB machine",
	    4 * GIB, 8 * GIB, 64 * MIB, 262144, 262144, 0, 20, false, 1000 },
	{ "sequential", "sequential touches of a resident 1 GiB set, 4 GiB "
	    "machine",
	    4 * GIB, 8 * GIB, 64 * MIB, 262144, 262144, 0, 20, true, 1000 },
	{ "pressure", "512 MiB object on a 256 MiB machine with 1 GiB swap: "
	    "95% of touches in a 128 MiB hot set, 5% anywhere",
	    256 * MIB, 1 * GIB, 16 * MIB, 131072, 32768, 5, 50, false,
	    100000 },
};
#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* splitmix64: a fixed-seed generator of our own, the same everywhere. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static _Noreturn void
die(const char *what, const struct pg_error *err)
{
	char buf[1200];

	fprintf(stderr, "bench_replay: %s: %s\n", what,
	    pg_error_format(err, buf, sizeof(buf)));
	exit(1);
}

static _Noreturn void
die_errno(const char *what)
{
	fprintf(stderr, "bench_replay: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bytes the allocator has handed out and not taken back. */
static uint64_t
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (uint64_t)mi.uordblks + (uint64_t)mi.hblkhd;
}

/* Resident set size in bytes (/proc/self/statm), 0 if unknown. */
static uint64_t
rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	if (n != 2)
		return 0;
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void
put(struct trace_writer *w, const struct trace_event *ev)
{
	struct pg_error err;

	if (trace_writer_write(w, ev, &err) < 0)
		die("write", &err);
}

/*
 * generate() - write workload wl with n touches as a binary trace to
 * path, then load the file into memory.  Returns the buffer (the caller
 * frees it), its length in *len, the events in *nevents and the pages
 * touched (sum of counts) in *ntouch.
 */
static void *
generate(const struct workload *wl, const char *path, uint64_t n,
    size_t *len, uint64_t *nevents, uint64_t *ntouch)
{
	struct trace_writer_opts o = { .format = TRACE_FORMAT_BINARY };
	struct trace_event ev = { .op = TRACE_OP_PROC, .pid = 1,
		.str = "bench" };
	struct trace_writer *w;
	struct pg_error err;
	uint64_t i, s = 0x5eed0000u + (uint64_t)(wl - workloads), r;
	uint64_t pg = 0;
	FILE *f;
	long sz;
	void *buf;

	if (trace_writer_open(path, &o, &w, &err) < 0)
		die(path, &err);
	put(w, &ev);
	ev.op = TRACE_OP_MAP;
	ev.obj = 1;
	ev.objtype = TRACE_OBJ_ANON;
	ev.count = wl->obj_pages;
	ev.str = NULL;
	put(w, &ev);
	/* Prefault: every page of the object written once, in one event. */
	ev.op = TRACE_OP_DIRTY;
	ev.pindex = 0;
	put(w, &ev);
	ev.count = 1;
	for (i = 0; i < n; i++) {
		ev.time_ns = (i + 1) * wl->dt_ns;
		r = rnd(&s);
		if (wl->sequential) {
			ev.pindex = pg;
			pg = pg + 1 == wl->hot_pages ? 0 : pg + 1;
		} else if (wl->cold_pct != 0 && (r >> 56) % 100 < wl->cold_pct) {
			ev.pindex = (r & 0xffffffffu) % wl->obj_pages;
		} else {
			ev.pindex = (r & 0xffffffffu) % wl->hot_pages;
		}
		ev.op = ((r >> 40) & 0xffff) % 100 < wl->write_pct ?
		    TRACE_OP_DIRTY : TRACE_OP_FAULT;
		put(w, &ev);
	}
	ev.op = TRACE_OP_EXIT;
	ev.time_ns += wl->dt_ns;
	put(w, &ev);
	if (trace_writer_finish(w, &err) < 0)
		die(path, &err);
	trace_writer_close(w);
	*nevents = n + 4;
	*ntouch = n + wl->obj_pages;

	if ((f = fopen(path, "rb")) == NULL)
		die_errno(path);
	if (fseek(f, 0, SEEK_END) < 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0)
		die_errno(path);
	if ((buf = malloc((size_t)sz)) == NULL)
		die_errno("malloc");
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz)
		die_errno(path);
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

static struct trace_reader *
open_mem(const void *buf, size_t len)
{
	struct trace_reader_opts o = { .no_validate = false };
	struct trace_reader *r;
	struct pg_error err;

	if (trace_reader_open_mem(buf, len, "bench", &o, &r, &err) < 0)
		die("open", &err);
	return r;
}

/* decode() - read the whole trace; returns CPU seconds. */
static double
decode(const void *buf, size_t len, uint64_t expect)
{
	struct trace_reader *r = open_mem(buf, len);
	struct trace_event ev;
	struct pg_error err;
	uint64_t sum = 0, n = 0;
	double t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t;
	int rc;

	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		sum += ev.pindex; /* touch the event so nothing is elided */
		n++;
	}
	t = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
	if (rc < 0)
		die("decode", &err);
	trace_reader_close(r);
	if (n != expect || sum == 1) {
		fprintf(stderr, "bench_replay: decoded %llu events, expected "
		    "%llu\n", (unsigned long long)n,
		    (unsigned long long)expect);
		exit(1);
	}
	return t;
}

struct replay_result {
	double cpu, wall;	/* decode + feed of the events after the setup */
	double setup;		/* CPU seconds of the setup events */
	double create, finish;	/* CPU seconds of the session create, finish */
	uint64_t heap, rss;	/* growth over the session create and the loop */
	uint64_t pages;		/* simulated physical pages */
	struct report_run run;
};

static double
stat_of(const struct report_run *run, const char *name)
{
	const struct report_value *v = report_run_stat(run, name);

	return v == NULL ? -1 : v->is_real ? v->d : (double)v->i;
}

/*
 * replay() - decode and simulate the whole trace under cfg through a
 * replay session of one run and one job, as `pgreplay --jobs 1` does.
 * replay_session_sync() makes the runs catch up at the end of the setup
 * events and of the trace, so that each part is timed whole.
 */
static void
replay(const struct pg_config *cfg, const void *buf, size_t len,
    uint64_t expect, struct replay_result *res)
{
	struct replay_options so = { .check_invariants = false, .jobs = 1 };
	struct trace_reader *r = open_mem(buf, len);
	struct replay_session *s;
	struct trace_event ev;
	struct pg_error err;
	struct report rep;
	uint64_t heap0, rss0, n = 0;
	double t0, w0;
	size_t d, k;
	int rc;

	heap0 = heap_bytes();
	rss0 = rss_bytes();
	t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (replay_session_create(cfg, 1, &so, &s, &err) < 0)
		die("replay_session_create", &err);
	res->create = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;

	/* The setup events (proc, map, prefault), timed on their own. */
	t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	while (n < SETUP_EVENTS &&
	    (rc = trace_reader_next(r, &ev, &err)) == 1) {
		if (replay_session_feed(s, &ev, NULL, &err) < 0)
			die("replay_session_feed", &err);
		n++;
	}
	if (n < SETUP_EVENTS)
		die("decode", &err);
	if (replay_session_sync(s, &err) < 0)
		die("replay_session_sync", &err);
	res->setup = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;

	t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	w0 = clock_s(CLOCK_MONOTONIC);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		if (replay_session_feed(s, &ev, NULL, &err) < 0)
			die("replay_session_feed", &err);
		n++;
	}
	if (rc < 0)
		die("decode", &err);
	if (replay_session_sync(s, &err) < 0)
		die("replay_session_sync", &err);
	res->cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
	res->wall = clock_s(CLOCK_MONOTONIC) - w0;
	if (n != expect) {
		fprintf(stderr, "bench_replay: fed %llu events, expected "
		    "%llu\n", (unsigned long long)n,
		    (unsigned long long)expect);
		exit(1);
	}
	res->heap = heap_bytes() - heap0;
	res->rss = rss_bytes() - rss0;

	t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (replay_session_finish(s, "bench", &rep, &err) < 0)
		die("replay_session_finish", &err);
	res->finish = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
	res->run = rep.runs[0];
	free(rep.runs);
	replay_session_destroy(s);
	trace_reader_close(r);

	res->pages = 0;
	for (d = 0; d < res->run.ndomains; d++)
		for (k = 0; k < res->run.domains[d].nfields; k++)
			if (strcmp(res->run.domains[d].fields[k].name,
			    "page_count") == 0)
				res->pages += (uint64_t)
				    res->run.domains[d].fields[k].i;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/*
 * The structural bytes per physical page of a machine of npages pages:
 * the page (its first mapping inline) and its share of a dense page index
 * (one 64-byte trie node per 16 pages, 1/15 more above).
 */
static double
struct_bytes(uint64_t npages)
{
	(void)npages;
	return (double)sizeof(struct vm_page) + 64.0 / 16.0 * 16.0 / 15.0;
}

static void
bench(const struct workload *wl, uint64_t n, int runs, const char *dir)
{
	double tdec[RUNS_MAX], tcpu[RUNS_MAX], twall[RUNS_MAX];
	double tcre[RUNS_MAX], tfin[RUNS_MAX], tset[RUNS_MAX];
	double dec, cpu, wall;
	struct replay_result res, first;
	struct pg_config cfg;
	uint64_t nev, ntouch, ntev;
	char path[256];
	size_t len;
	void *buf;
	int i;

	snprintf(path, sizeof(path), "%s/%s.pgb", dir, wl->name);
	buf = generate(wl, path, n, &len, &nev, &ntouch);
	unlink(path);

	conf_defaults(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", wl->name);
	cfg.memory_bytes = wl->memory_bytes;
	cfg.swap_bytes = wl->swap_bytes;
	cfg.kernel_wired_bytes = wl->kernel_wired_bytes;

	for (i = 0; i < runs; i++)
		tdec[i] = decode(buf, len, nev);
	memset(&first, 0, sizeof(first));
	for (i = 0; i < runs; i++) {
		memset(&res, 0, sizeof(res));
		replay(&cfg, buf, len, nev, &res);
		tcpu[i] = res.cpu;
		twall[i] = res.wall;
		tcre[i] = res.create;
		tfin[i] = res.finish;
		tset[i] = res.setup;
		if (i == 0)
			first = res; /* memory: the first run, a fresh heap */
		else
			report_run_finish(&res.run);
	}
	ntev = nev - SETUP_EVENTS;
	dec = median(tdec, runs);
	cpu = median(tcpu, runs);
	wall = median(twall, runs);

	printf("\n%s: %s\n", wl->name, wl->what);
	printf("  trace      %llu events (%llu page touches), %.2f bytes/event,"
	       " %.3f s simulated\n", (unsigned long long)nev,
	    (unsigned long long)ntouch, (double)len / (double)nev,
	    (double)(n + 1) * (double)wl->dt_ns / 1e9);
	printf("  decode     %8.3f s cpu  %7.2f Mevents/s\n", dec,
	    (double)nev / dec / 1e6);
	printf("  replay     %8.3f s cpu  %7.2f Mevents/s   %8.3f s wall  "
	       "%7.2f Mevents/s  (the %llu touch events)\n", cpu,
	    (double)ntev / cpu / 1e6, wall, (double)ntev / wall / 1e6,
	    (unsigned long long)ntev);
	printf("  setup      %8.4f s cpu  (proc, map, prefault of %u pages)\n",
	    median(tset, runs), wl->obj_pages);
	printf("  create     %8.4f s cpu   finish %8.4f s cpu\n",
	    median(tcre, runs), median(tfin, runs));
	printf("  memory     %llu pages: %.1f B/page structural, %.1f B/page "
	       "heap, %.1f B/page RSS growth\n",
	    (unsigned long long)first.pages, struct_bytes(first.pages),
	    (double)first.heap / (double)first.pages,
	    (double)first.rss / (double)first.pages);
	printf("  model      pd_iterations %.0f, pd_busy %.3f s, laundry_busy "
	       "%.3f s, swap_reads %.0f, stalls %.0f, events_dropped %.0f, "
	       "oom_kills %zu\n",
	    stat_of(&first.run, "pd_iterations"),
	    stat_of(&first.run, "pd_busy_s"),
	    stat_of(&first.run, "laundry_busy_s"),
	    stat_of(&first.run, "swap_reads"),
	    stat_of(&first.run, "stalls"),
	    stat_of(&first.run, "events_dropped"), first.run.noom_kills);
	/* One line per workload for scripts and the docs table. */
	printf("RESULT %s events=%llu runs=%d decode_mev_s=%.2f "
	       "replay_cpu_s=%.3f replay_wall_s=%.3f replay_mev_s_cpu=%.2f "
	       "replay_mev_s_wall=%.2f struct_b_page=%.1f heap_b_page=%.1f "
	       "rss_b_page=%.1f\n", wl->name, (unsigned long long)nev, runs,
	    (double)nev / dec / 1e6, cpu, wall, (double)ntev / cpu / 1e6,
	    (double)ntev / wall / 1e6, struct_bytes(first.pages),
	    (double)first.heap / (double)first.pages,
	    (double)first.rss / (double)first.pages);
	fflush(stdout);
	report_run_finish(&first.run);
	free(buf);
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 2000000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	const char *only = argc > 3 ? argv[3] : NULL;
	char dir[] = "/tmp/pgreplay-bench-XXXXXX";
	size_t i, done = 0;

	if (argc == 5 && strcmp(argv[1], "--write") == 0) {
		/* Keep the trace of one workload, for timing the CLI. */
		uint64_t nev, ntouch;
		size_t len;

		n = strtoull(argv[3], NULL, 10);
		for (i = 0; i < NWORKLOADS; i++)
			if (strcmp(argv[4], workloads[i].name) == 0)
				break;
		if (i == NWORKLOADS || n == 0) {
			fputs("usage: bench_replay --write FILE EVENTS "
			    "WORKLOAD\n", stderr);
			return 2;
		}
		free(generate(&workloads[i], argv[2], n, &len, &nev,
		    &ntouch));
		printf("%s: %llu events, %zu bytes\n", argv[2],
		    (unsigned long long)nev, len);
		return 0;
	}
	if (argc > 4 || runs < 1 || runs > RUNS_MAX || n == 0) {
		fputs("usage: bench_replay [EVENTS [RUNS (1-64) [WORKLOAD]]]\n",
		    stderr);
		return 2;
	}
	if (mkdtemp(dir) == NULL)
		die_errno("mkdtemp");
	printf("bench_replay: %llu touches per workload, median of %d runs, "
	       "sizeof(struct vm_page) %zu\n",
	    (unsigned long long)n, runs, sizeof(struct vm_page));
	for (i = 0; i < NWORKLOADS; i++) {
		if (only != NULL && strcmp(only, workloads[i].name) != 0)
			continue;
		bench(&workloads[i], n, runs, dir);
		done++;
	}
	rmdir(dir);
	if (done == 0) {
		fprintf(stderr, "bench_replay: no workload named %s\n", only);
		return 2;
	}
	return 0;
}
