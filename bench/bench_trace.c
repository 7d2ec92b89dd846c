/*
 * bench_trace.c - size and decoding speed of the binary trace format.
 *
 * Generates N single-page touches of one 262144-page (1 GiB) anonymous
 * object, random and sequential, writes each as .pgb and .pgb.zst to a
 * temporary directory, then reads them back with trace_reader (decompress,
 * parse, fill struct trace_event) and reports bytes per event and the
 * median decoding rate (events per CPU second, one thread) of several
 * runs, without and with validation.
 *
 *	bench_trace [N [RUNS [DT_EVERY]]]
 *
 * DT_EVERY: the time advances by 1 us every DT_EVERY events (default 1:
 * every event has its own time).  Run by `meson test --benchmark`.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "trace/reader.h"
#include "trace/writer.h"

#define PAGES 262144u

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void
die(const struct pg_error *err)
{
	char buf[1200];

	fprintf(stderr, "bench_trace: %s\n",
	    pg_error_format(err, buf, sizeof(buf)));
	exit(1);
}

static void
generate(const char *path, bool zstd, bool sequential, uint64_t n,
    uint64_t dt_every)
{
	struct trace_writer_opts o = { .format = TRACE_FORMAT_BINARY,
		.zstd = zstd };
	struct trace_event ev = { .op = TRACE_OP_PROC, .pid = 1, .str = "b" };
	struct trace_writer *w;
	struct pg_error err;
	uint64_t i, s = 1;

	if (trace_writer_open(path, &o, &w, &err) < 0)
		die(&err);
	if (trace_writer_write(w, &ev, &err) < 0)
		die(&err);
	ev.op = TRACE_OP_MAP;
	ev.obj = 1;
	ev.count = PAGES;
	ev.str = NULL;
	if (trace_writer_write(w, &ev, &err) < 0)
		die(&err);
	ev.op = TRACE_OP_FAULT;
	ev.count = 1;
	for (i = 0; i < n; i++) {
		ev.time_ns = (i / dt_every) * 1000;
		ev.pindex = sequential ? i % PAGES : rnd(&s) % PAGES;
		if (trace_writer_write(w, &ev, &err) < 0)
			die(&err);
	}
	if (trace_writer_finish(w, &err) < 0)
		die(&err);
	trace_writer_close(w);
}

static double
now(void)
{
	struct timespec ts;

	/*
	 * CPU time of this process: the figure wanted is the speed of one
	 * core, which wall time on a shared machine overstates the cost of.
	 */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* decode() - read the whole trace; returns seconds taken. */
static double
decode(const char *path, bool validate, uint64_t expect)
{
	struct trace_reader_opts o = { .no_validate = !validate };
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	uint64_t sum = 0, n = 0;
	double t0 = now();
	int rc;

	if (trace_reader_open(path, &o, &r, &err) < 0)
		die(&err);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		sum += ev.pindex; /* touch the event so nothing is elided */
		n++;
	}
	if (rc < 0)
		die(&err);
	trace_reader_close(r);
	if (n != expect + 2 || sum == 1) {
		fprintf(stderr, "bench_trace: %llu events, expected %llu\n",
		    (unsigned long long)n, (unsigned long long)expect + 2);
		exit(1);
	}
	return now() - t0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000;
	int runs = argc > 2 ? atoi(argv[2]) : 5, i, k;
	uint64_t dt_every = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
	char dir[] = "/tmp/pgreplay-bench-XXXXXX", path[128];
	double t[64], med, medv;
	struct stat st;

	if (runs < 1 || runs > 64 || n == 0 || dt_every == 0) {
		fputs("usage: bench_trace [N [RUNS (1-64) [DT_EVERY]]]\n",
		    stderr);
		return 2;
	}
	if (mkdtemp(dir) == NULL) {
		perror("bench_trace: mkdtemp");
		return 1;
	}
	printf("%llu single-page touches of a 262144-page object, time step "
	       "1 us every %llu events, median of %d runs\n",
	    (unsigned long long)n, (unsigned long long)dt_every, runs);
	for (k = 0; k < 4; k++) {
		bool seq = k < 2, zstd = k % 2 == 1;

		snprintf(path, sizeof(path), "%s/t.pgb%s", dir,
		    zstd ? ".zst" : "");
		generate(path, zstd, seq, n, dt_every);
		if (stat(path, &st) < 0) {
			perror(path);
			return 1;
		}
		for (i = 0; i < runs; i++)
			t[i] = decode(path, false, n);
		qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
		med = t[runs / 2];
		for (i = 0; i < runs; i++)
			t[i] = decode(path, true, n);
		qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
		medv = t[runs / 2];
		printf("%-10s %-8s %6.4f bytes/event  decode %7.1f Mevents/s  "
		       "decode+validate %7.1f Mevents/s\n",
		    seq ? "sequential" : "random", zstd ? ".pgb.zst" : ".pgb",
		    (double)st.st_size / (double)n, n / med / 1e6,
		    n / medv / 1e6);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
