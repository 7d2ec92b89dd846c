/*
 * test_batch.c - trace_reader_read() (reader.h) gives the events,
 * positions, errors and event counts of a loop of trace_reader_next(),
 * for any batch size: on the traces under traces/, on every bad trace of
 * tests/trace/bad/, and on a long binary stream broken at many places
 * (bytes changed, cut short, a page op the validator refuses inside a
 * run of good ones), which puts the errors in the middle of batches.
 */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "helpers.h"

/* What reading a trace gave: its events, their positions, how it ended. */
struct outcome {
	struct tev *ev;
	uint64_t *pos;
	size_t n, cap;
	int rc;
	struct pg_error err;
	uint64_t nevents;
};

static void
outcome_add(struct outcome *o, const struct trace_event *ev, uint64_t pos)
{
	if (o->n == o->cap) {
		o->cap = o->cap != 0 ? o->cap * 2 : 256;
		o->ev = realloc(o->ev, o->cap * sizeof(*o->ev));
		o->pos = realloc(o->pos, o->cap * sizeof(*o->pos));
		cr_assert(o->ev != NULL && o->pos != NULL);
	}
	o->pos[o->n] = pos;
	tev_set(&o->ev[o->n++], ev);
}

static void
outcome_free(struct outcome *o)
{
	free(o->ev);
	free(o->pos);
}

static int
open_trace(const char *path, const void *mem, size_t len,
    struct trace_reader **r, struct pg_error *err)
{
	if (path != NULL)
		return (trace_reader_open(path, NULL, r, err));
	return (trace_reader_open_mem(mem, len, "mem", NULL, r, err));
}

/* by_next() - read with trace_reader_next(), one event a call. */
static void
by_next(const char *path, const void *mem, size_t len, struct outcome *o)
{
	struct trace_reader *r;
	struct trace_event ev;
	int rc;

	memset(o, 0, sizeof(*o));
	if ((o->rc = open_trace(path, mem, len, &r, &o->err)) < 0)
		return;
	while ((rc = trace_reader_next(r, &ev, &o->err)) == 1)
		outcome_add(o, &ev, trace_reader_pos(r));
	o->rc = rc;
	o->nevents = trace_reader_events(r);
	trace_reader_close(r);
}

/* by_read() - read with trace_reader_read(), up to max events a call. */
static void
by_read(const char *path, const void *mem, size_t len, size_t max,
    struct outcome *o)
{
	struct trace_event *ev = calloc(max, sizeof(*ev));
	uint64_t *pos = calloc(max, sizeof(*pos));
	struct trace_reader *r;
	struct pg_error again;
	int rc, i;

	cr_assert(ev != NULL && pos != NULL);
	memset(o, 0, sizeof(*o));
	if ((o->rc = open_trace(path, mem, len, &r, &o->err)) < 0)
		goto out;
	while ((rc = trace_reader_read(r, ev, pos, max, &o->err)) > 0) {
		cr_assert_leq((size_t)rc, max);
		for (i = 0; i < rc; i++) {
			cr_assert(i == rc - 1 || ev[i].str == NULL,
			    "a string in event %d of a batch of %d", i, rc);
			outcome_add(o, &ev[i], pos[i]);
		}
	}
	o->rc = rc;
	o->nevents = trace_reader_events(r);
	/* An ended or failed reader says the same again. */
	cr_assert_eq(trace_reader_read(r, ev, pos, max, &again), rc);
	if (rc < 0)
		cr_assert_str_eq(again.msg, o->err.msg);
	trace_reader_close(r);
out:
	free(ev);
	free(pos);
}

static void
same(const struct outcome *a, const struct outcome *b, const char *what,
    size_t max)
{
	size_t i;

	cr_assert_eq(a->n, b->n, "%s, batches of %zu: %zu events, not %zu",
	    what, max, b->n, a->n);
	for (i = 0; i < a->n; i++) {
		cr_assert(tev_eq(&a->ev[i], &b->ev[i]),
		    "%s, batches of %zu: event %zu differs", what, max, i + 1);
		cr_assert_eq(a->pos[i], b->pos[i],
		    "%s, batches of %zu: event %zu at %llu, not %llu", what,
		    max, i + 1, (unsigned long long)b->pos[i],
		    (unsigned long long)a->pos[i]);
	}
	cr_assert_eq(a->rc, b->rc, "%s, batches of %zu: rc %d, not %d", what,
	    max, b->rc, a->rc);
	cr_assert_eq(a->nevents, b->nevents, "%s, batches of %zu", what, max);
	if (a->rc >= 0)
		return;
	cr_assert_str_eq(a->err.msg, b->err.msg, "%s, batches of %zu", what,
	    max);
	cr_assert_str_eq(a->err.file, b->err.file);
	cr_assert_eq(a->err.pos_kind, b->err.pos_kind);
	cr_assert_eq(a->err.pos, b->err.pos, "%s, batches of %zu", what, max);
	cr_assert_eq(a->err.event, b->err.event, "%s, batches of %zu", what,
	    max);
}

static const size_t batch_sizes[] = { 1, 3, 64, 4096 };

/* compare() - every batch size reads what trace_reader_next() reads. */
static void
compare(const char *path, const void *mem, size_t len, const char *what,
    struct outcome *ref)
{
	struct outcome b;
	size_t k;

	by_next(path, mem, len, ref);
	for (k = 0; k < sizeof(batch_sizes) / sizeof(batch_sizes[0]); k++) {
		by_read(path, mem, len, batch_sizes[k], &b);
		same(ref, &b, what, batch_sizes[k]);
		outcome_free(&b);
	}
}

static const char *
source_root(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT must be set");
	return (root);
}

/* compare_dir() - compare() on every file of dir; how many failed. */
static unsigned
compare_dir(const char *rel, unsigned *nfiles)
{
	char dir[1024], path[2048];
	struct outcome ref;
	struct dirent *d;
	unsigned failed = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/%s", source_root(), rel);
	dp = opendir(dir);
	cr_assert_not_null(dp, "%s", dir);
	while ((d = readdir(dp)) != NULL) {
		size_t l = strlen(d->d_name);

		if (d->d_name[0] == '.' ||
		    (l > 4 && strcmp(d->d_name + l - 4, ".err") == 0) ||
		    strstr(d->d_name, ".pg") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		compare(path, NULL, 0, d->d_name, &ref);
		failed += ref.rc < 0;
		(*nfiles)++;
		outcome_free(&ref);
	}
	closedir(dp);
	return (failed);
}

Test(batch, every_bad_trace_fails_the_same_way)
{
	unsigned n = 0, failed = compare_dir("tests/trace/bad", &n);

	cr_assert_geq(n, 40, "only %u bad traces found", n);
	cr_assert_eq(failed, n, "%u of %u bad traces were read to the end",
	    n - failed, n);
}

Test(batch, the_shipped_traces_read_the_same)
{
	unsigned n = 0;

	cr_assert_eq(compare_dir("traces/demo", &n), 0);
	cr_assert_eq(compare_dir("traces/generated-corpus", &n), 0);
	cr_assert_eq(compare_dir("traces/examples", &n), 0);
	cr_assert_geq(n, 8);
}

#define NPROCS 64 /* 192 streams: slots of the prediction collide */
#define NOBJS 3 /* per process: two anonymous, one file */

static struct tev
ev_of(uint64_t t, uint8_t op, uint32_t pid, uint64_t obj, uint64_t pindex,
    uint64_t count)
{
	struct tev e = { .ev = { .time_ns = t, .op = op, .pid = pid,
	    .obj = obj, .pindex = pindex, .count = count } };

	return (e);
}

/*
 * make_stream() - an uncompressed binary trace of about nev page ops in
 * every form the encoder has (the next page, a near one, one below 2^18,
 * a far one, ranges; the same time, the usual step, a new step), with
 * processes mapping objects with long paths as it goes.  Page op number
 * bad_at (if not 0) touches an object its process has not mapped.
 */
static char *
make_stream(size_t nev, size_t bad_at, size_t *len)
{
	char path[] = "/tmp/pgtrace-batch-XXXXXX", name[TRACE_NAME_MAX + 1];
	struct tev *evs = calloc(nev + 64, sizeof(*evs));
	uint64_t seed = 42, t = 0, next[NPROCS * NOBJS] = { 0 }, v, pi;
	size_t n = 0, i, k, npages;
	struct pg_error err;
	char *buf;
	int fd;

	cr_assert_not_null(evs);
	memset(name, 'p', TRACE_NAME_MAX);
	name[TRACE_NAME_MAX] = '\0';
	for (i = 0; i < NPROCS; i++) {
		evs[n] = ev_of(t, TRACE_OP_PROC, (uint32_t)i + 1, 0, 0, 0);
		evs[n].ev.str = "worker";
		n++;
		for (k = 0; k < NOBJS; k++) {
			evs[n] = ev_of(t, TRACE_OP_MAP, (uint32_t)i + 1,
			    i * NOBJS + k + 1, 0, k == 2 ? 1u << 22 : 1u << 20);
			evs[n].ev.objtype =
			    k == 2 ? TRACE_OBJ_FILE : TRACE_OBJ_ANON;
			evs[n].ev.str = k == 2 ? name : NULL;
			n++;
		}
	}
	npages = nev - n;
	for (i = 1; i <= npages; i++) {
		v = rnd(&seed);
		k = (size_t)(v % (NPROCS * NOBJS));
		t += (v >> 8) % 8 == 0 ? 0 : (v >> 12) % 16 == 0 ? 977 : 1000;
		switch ((v >> 20) % 5) {
		case 0:	 pi = next[k]; break;
		case 1:	 pi = next[k] + 40 - (v >> 24) % 80; break;
		case 2:	 pi = (v >> 24) % (1u << 18); break;
		default: pi = (v >> 24) % (1u << 20); break;
		}
		pi %= (1u << 20) - 8;
		evs[n] = ev_of(t, (uint8_t)(TRACE_OP_FAULT + (v >> 40) % 3),
		    (uint32_t)(k / NOBJS) + 1, k + 1, pi,
		    (v >> 44) % 16 == 0 ? 1 + (v >> 48) % 7 : 1);
		next[k] = pi + evs[n].ev.count;
		if (i == bad_at)
			evs[n].ev.obj = 999;
		n++;
	}
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(write_events(path, TRACE_FORMAT_BINARY, false, evs, n,
	    &err), 0, "%s", err.msg);
	buf = slurp(path, len);
	cr_assert_not_null(buf);
	unlink(path);
	free(evs);
	return (buf);
}

Test(batch, a_refused_page_op_inside_a_batch)
{
	static const size_t at[] = { 1, 2, 63, 64, 65, 4000, 4096, 9700 };
	struct outcome ref;
	char what[64], *buf;
	size_t len, i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		buf = make_stream(10000, at[i], &len);
		snprintf(what, sizeof(what), "page op %zu refused", at[i]);
		compare(NULL, buf, len, what, &ref);
		cr_assert_lt(ref.rc, 0, "%s", what);
		cr_assert(strstr(ref.err.msg, "has not mapped") != NULL, "%s",
		    ref.err.msg);
		cr_assert_eq(ref.err.event, NPROCS * 4 + at[i], "%s", what);
		outcome_free(&ref);
		free(buf);
	}
}

Test(batch, changed_bytes_fail_the_same_way)
{
	struct outcome ref;
	char what[64], *buf, *bad;
	uint64_t seed = 7, v;
	unsigned failed = 0, late = 0, i;
	size_t len, at;

	buf = make_stream(6000, 0, &len);
	compare(NULL, buf, len, "intact", &ref);
	cr_assert_eq(ref.rc, 0, "%s", ref.err.msg);
	cr_assert_eq(ref.n, 6000);
	outcome_free(&ref);
	bad = malloc(len);
	cr_assert_not_null(bad);
	for (i = 0; i < 300; i++) {
		v = rnd(&seed);
		at = 16 + (size_t)(v % (len - 16));
		memcpy(bad, buf, len);
		bad[at] = (char)(i % 3 == 0 ? 0xff : (uint8_t)bad[at] ^
		    (uint8_t)(1u << ((v >> 32) % 8)));
		snprintf(what, sizeof(what), "byte %zu changed", at);
		compare(NULL, bad, len, what, &ref);
		failed += ref.rc < 0;
		late += ref.rc < 0 && ref.err.event > 100 &&
		    ref.err.event < 5900;
		outcome_free(&ref);
	}
	/* Most changes must surface inside the stream, not only at its end. */
	cr_assert_eq(failed, 300, "%u of 300 changes went unnoticed",
	    300 - failed);
	cr_assert_geq(late, 100, "only %u errors inside the stream", late);
	free(bad);
	free(buf);
}

Test(batch, cut_short_fails_the_same_way)
{
	struct outcome ref;
	char what[64], *buf;
	size_t len, cut;

	buf = make_stream(3000, 0, &len);
	for (cut = 16; cut < len; cut += 97) {
		snprintf(what, sizeof(what), "cut at %zu of %zu", cut, len);
		compare(NULL, buf, cut, what, &ref);
		cr_assert_lt(ref.rc, 0, "%s", what);
		outcome_free(&ref);
	}
	free(buf);
}
