/*
 * test_gen.c - the generator's library (src/gen/): determinism, the shape
 * of every workload, the trace rules, parameter parsing and the fixed
 * output of golden traces (tests/gen/golden/, regenerated on purpose with
 * PGREPLAY_REGEN_GOLDEN=1).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/golden.h"
#include "gen/gen.h"
#include "gen/gen_int.h"
#include "trace/validate.h"

/* ---- helpers ---- */

static void
set(struct gen_params *p, const char *name, const char *value)
{
	struct pg_error err;

	cr_assert_eq(gen_params_set(p, name, value, &err), 0,
	    "--%s %s: %s", name, value, err.msg);
}

static struct gen_params
params(const char *wl, const char *const *kv)
{
	struct gen_params p;
	const struct gen_workload *w = gen_workload_find(wl);

	cr_assert_not_null(w, "no workload %s", wl);
	gen_params_init(&p, w);
	for (; kv != NULL && kv[0] != NULL; kv += 2)
		set(&p, kv[0], kv[1]);
	return p;
}

/* What a generated trace looks like, gathered by a sink. */
#define MAXOBJ 4096
struct shape {
	struct trace_validator *v;
	uint64_t events, ops[TRACE_OP_COUNT], pages[TRACE_OP_COUNT];
	uint64_t maps_of[TRACE_OBJ_COUNT];
	uint64_t last_time;
	uint64_t next[MAXOBJ]; /* per object: pindex after the last fault */
	uint64_t nonseq;       /* faults not continuing their object's run */
	uint64_t hits[MAXOBJ]; /* dirty-churn: accesses per page, obj 1 */
	int rc;
	char msg[PG_ERROR_MSG_MAX + 32];
};

static int
shape_event(struct shape *s, const struct trace_event *ev,
    struct pg_error *err)
{
	if (trace_validator_check(s->v, ev, err) < 0) {
		snprintf(s->msg, sizeof(s->msg), "event %llu: %s",
		    (unsigned long long)s->events + 1, err->msg);
		return -EINVAL;
	}
	cr_assert_geq(ev->time_ns, s->last_time);
	s->last_time = ev->time_ns;
	s->events++;
	s->ops[ev->op]++;
	if (ev->op == TRACE_OP_MAP)
		s->maps_of[ev->objtype]++;
	if (ev->op >= TRACE_OP_FAULT && ev->op <= TRACE_OP_UNWIRE) {
		s->pages[ev->op] += ev->count;
		if (ev->obj < MAXOBJ) {
			if (ev->op == TRACE_OP_FAULT &&
			    ev->pindex != s->next[ev->obj])
				s->nonseq++;
			s->next[ev->obj] = ev->pindex + ev->count;
			if (ev->obj == 1 && ev->count == 1 &&
			    ev->pindex < MAXOBJ)
				s->hits[ev->pindex]++;
		}
	}
	return 0;
}

/* shape_sink() - the gen_sink_fn: every event of the batch, in order. */
static int
shape_sink(void *ctx, const struct trace_event *evs, size_t n,
    struct pg_error *err)
{
	struct shape *s = ctx;
	size_t i;
	int rc;

	cr_assert_geq(n, 1);
	for (i = 0; i < n; i++)
		if ((rc = shape_event(s, &evs[i], err)) < 0)
			return rc;
	return 0;
}

/* run_shape() - generate p into a fresh shape, failing on any error. */
static struct shape *
run_shape(const struct gen_params *p)
{
	struct shape *s = calloc(1, sizeof(*s));
	struct pg_error err;
	uint64_t n;
	int rc;

	cr_assert_not_null(s);
	cr_assert_eq(trace_validator_create(&s->v), 0);
	rc = gen_run(p, shape_sink, s, &n, &err);
	cr_assert_eq(rc, 0, "%s: %s %s", p->wl->name, err.msg, s->msg);
	cr_assert_eq(n, s->events);
	return s;
}

static void
shape_free(struct shape *s)
{
	trace_validator_destroy(s->v);
	free(s);
}

static char *
tmpname(const char *suffix)
{
	char *p = malloc(256);
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(p, 256, "%s/pgreplay-gen-XXXXXX", dir != NULL ? dir : "/tmp");
	fd = mkstemp(p);
	cr_assert_geq(fd, 0);
	close(fd);
	unlink(p);
	strcat(p, suffix);
	return p;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* write_file() - p into a file named ...suffix; its bytes and length. */
static char *
write_file(const struct gen_params *p, const char *suffix, bool zstd,
    enum trace_format fmt, size_t *len)
{
	struct trace_writer_opts wo = { .format = fmt, .zstd = zstd };
	struct pg_error err;
	char *path = tmpname(suffix), *bytes;
	uint64_t n;

	cr_assert_eq(gen_write_file(p, path, &wo, NULL, &n, &err), 0, "%s",
	    err.msg);
	bytes = slurp(path, len);
	unlink(path);
	free(path);
	return bytes;
}

/* ---- determinism ---- */

static const char *const small_mixed[] = { "procs", "3", "anon", "1MiB",
	"files", "2", "file-size", "2MiB", "duration", "200ms", "rate",
	"20000", NULL };

Test(determinism, same_seed_same_bytes_every_workload)
{
	const struct gen_workload *wl;
	struct gen_params p;
	size_t i, la, lb;
	char *a, *b;

	for (i = 0; (wl = gen_workload_at(i)) != NULL; i++) {
		gen_params_init(&p, wl);
		/* Keep the default traces short where they are long. */
		if (strcmp(wl->name, "mixed") == 0 ||
		    strcmp(wl->name, "dirty-churn") == 0)
			set(&p, "duration", "100ms");
		if (strcmp(wl->name, "fork-server") == 0)
			set(&p, "procs", "50");
		a = write_file(&p, ".pgb", false, TRACE_FORMAT_BINARY, &la);
		b = write_file(&p, ".pgb", false, TRACE_FORMAT_BINARY, &lb);
		cr_assert_eq(la, lb, "%s: %zu then %zu bytes", wl->name, la,
		    lb);
		cr_assert(memcmp(a, b, la) == 0, "%s differs", wl->name);
		free(a);
		free(b);
	}
}

Test(determinism, another_seed_another_trace)
{
	static const char *const names[] = { "anon-hog", "dirty-churn",
		"fork-server", "mixed" };
	struct gen_params p;
	size_t i, la, lb;
	char *a, *b;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		gen_params_init(&p, gen_workload_find(names[i]));
		if (i == 0) {
			/* anon-hog is random only while it holds. */
			set(&p, "size", "4MiB");
			set(&p, "hold", "1s");
		} else if (i == 2) {
			set(&p, "procs", "20");
		} else {
			set(&p, "duration", "50ms");
		}
		a = write_file(&p, ".pgt", false, TRACE_FORMAT_TEXT, &la);
		set(&p, "seed", "7");
		b = write_file(&p, ".pgt", false, TRACE_FORMAT_TEXT, &lb);
		cr_assert(la != lb || memcmp(a, b, la) != 0,
		    "%s: seed 7 gives the default seed's trace", names[i]);
		free(a);
		free(b);
	}
}

Test(determinism, compressed_output_is_the_same_trace)
{
	struct gen_params p = params("mixed", small_mixed);
	size_t lz, lt;
	char *z, *t;

	z = write_file(&p, ".pgb.zst", true, TRACE_FORMAT_BINARY, &lz);
	t = write_file(&p, ".pgt", false, TRACE_FORMAT_TEXT, &lt);
	cr_assert(lz > 4 && memcmp(z, "\x28\xb5\x2f\xfd", 4) == 0);
	cr_assert(lt > 10 && memcmp(t, "pgtrace 1\n", 10) == 0);
	free(z);
	free(t);
}

/*
 * The exact text of small traces of every workload is pinned: a change of
 * the PRNG, the Zipf table or the pacing shows here first.
 */
Test(determinism, golden_traces)
{
	static const char *const golden[][12] = {
		{ "anon-hog", "size", "256KiB", "procs", "2", "start-gap",
		    "10ms", "hold", "20ms", "touch-rate", "500", NULL },
		{ "file-stream", "size", "512KiB", "files", "2", "procs", "2",
		    "passes", "2", "write", "20%", NULL },
		{ "dirty-churn", "size", "1MiB", "duration", "20ms", "rate",
		    "2000", "procs", "2", NULL },
		{ "fork-server", "procs", "5", "duration", "50ms", "text",
		    "1MiB", "anon", "128KiB", "lifetime", "30ms", NULL },
		{ "mixed", "procs", "2", "anon", "256KiB", "file-size",
		    "512KiB", "duration", "10ms", "rate", "3000", NULL },
		{ "db-backup-leak", "pool", "1MiB", "backup", "4MiB", "leak",
		    "2MiB", "duration", "3s", "leak-start", "1s", NULL },
	};
	const char *src = getenv("PGREPLAY_SOURCE_ROOT");
	char path[1024], *got;
	struct gen_params p;
	size_t i, lg;

	cr_assert_not_null(src, "PGREPLAY_SOURCE_ROOT is not set");
	for (i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		p = params(golden[i][0], golden[i] + 1);
		got = write_file(&p, ".pgt", false, TRACE_FORMAT_TEXT, &lg);
		snprintf(path, sizeof(path), "%s/tests/gen/golden/%s.pgt", src,
		    golden[i][0]);
		golden_check(path, got, lg, golden[i][0]);
		free(got);
	}
}

/* ---- shapes ---- */

Test(shape, anon_hog_dirties_every_page_once_then_holds)
{
	static const char *const kv[] = { "size", "64MiB", "procs", "3",
		"chunk", "1MiB", "hold", "2s", "touch-rate", "1000", "write",
		"25%", NULL };
	struct gen_params p = params("anon-hog", kv);
	struct shape *s = run_shape(&p);
	uint64_t touches;

	cr_assert_eq(s->ops[TRACE_OP_PROC], 3);
	cr_assert_eq(s->ops[TRACE_OP_EXIT], 3);
	cr_assert_eq(s->maps_of[TRACE_OBJ_ANON], 3);
	/* Growing: 64 chunks per process; holding: 2000 touches each. */
	touches = s->ops[TRACE_OP_FAULT] + s->ops[TRACE_OP_DIRTY] - 3 * 64;
	cr_assert_eq(touches, 3 * 2000, "%llu holding touches",
	    (unsigned long long)touches);
	cr_assert_eq(s->pages[TRACE_OP_DIRTY] - (s->ops[TRACE_OP_DIRTY] -
	    3 * 64), 3 * 16384, "every page of the three objects dirtied");
	/* About a quarter of the holding touches write. */
	cr_assert(s->ops[TRACE_OP_DIRTY] - 3 * 64 > 1200 &&
	    s->ops[TRACE_OP_DIRTY] - 3 * 64 < 1800);
	/* 64 MiB at 1 GiB/s, then two seconds. */
	cr_assert(s->last_time > 2000000000 && s->last_time < 2100000000,
	    "ends at %llu ns", (unsigned long long)s->last_time);
	shape_free(s);
}

Test(shape, anon_hog_can_exceed_memory_and_swap)
{
	static const char *const kv[] = { "size", "16GiB", "chunk", "16MiB",
		NULL };
	struct gen_params p = params("anon-hog", kv);
	struct shape *s = run_shape(&p);

	/* 16 GiB dirtied: past the default 4 GiB machine with 8 GiB swap. */
	cr_assert_eq(s->pages[TRACE_OP_DIRTY], UINT64_C(16) << 18);
	cr_assert_eq(s->ops[TRACE_OP_DIRTY], 1024);
	shape_free(s);
}

Test(shape, file_stream_reads_sequentially_past_memory)
{
	static const char *const kv[] = { "size", "6GiB", "chunk", "1MiB",
		"files", "1", NULL };
	struct gen_params p = params("file-stream", kv);
	struct shape *s = run_shape(&p);

	cr_assert_eq(s->pages[TRACE_OP_FAULT], UINT64_C(6) << 18,
	    "6 GiB read: more than the default 4 GiB of memory");
	cr_assert_eq(s->nonseq, 0, "%llu reads out of order",
	    (unsigned long long)s->nonseq);
	cr_assert_eq(s->maps_of[TRACE_OBJ_FILE], 1);
	cr_assert_eq(s->ops[TRACE_OP_UNMAP], 1);
	cr_assert_eq(s->ops[TRACE_OP_DIRTY], 0);
	/* 6 GiB at 512 MiB/s: 12 s. */
	cr_assert(s->last_time >= 12000000000 && s->last_time < 12100000000);
	shape_free(s);
}

Test(shape, file_stream_readers_share_files_and_passes_repeat)
{
	static const char *const kv[] = { "size", "8MiB", "files", "3",
		"procs", "2", "passes", "2", NULL };
	struct gen_params p = params("file-stream", kv);
	struct shape *s = run_shape(&p);

	/* Each reader opens the 3 files twice. */
	cr_assert_eq(s->maps_of[TRACE_OBJ_FILE], 2 * 3 * 2);
	cr_assert_eq(s->ops[TRACE_OP_UNMAP], 12);
	cr_assert_eq(s->pages[TRACE_OP_FAULT], 12 * 2048);
	shape_free(s);
}

Test(shape, dirty_churn_is_zipf_skewed)
{
	static const char *const kv[] = { "size", "16MiB", "duration", "2s",
		"rate", "50000", "skew", "1.0", "write", "30%", NULL };
	struct gen_params p = params("dirty-churn", kv);
	struct shape *s = run_shape(&p), *u;
	uint64_t top = 0, total = 0, i, writes;

	for (i = 0; i < MAXOBJ; i++) {
		total += s->hits[i];
		if (s->hits[i] > top)
			top = s->hits[i];
	}
	/*
	 * 4096 pages with s = 1: the hottest takes 1/H(4096) = 11.3% of the
	 * accesses; uniform would give 0.02%.
	 */
	cr_assert_eq(total, 100000 - 50);
	cr_assert(top > total / 10 && top < total / 8, "hottest %llu of %llu",
	    (unsigned long long)top, (unsigned long long)total);
	writes = s->ops[TRACE_OP_DIRTY] - 1;
	cr_assert(writes > 28000 && writes < 32000, "%llu writes",
	    (unsigned long long)writes);
	cr_assert_eq(s->pages[TRACE_OP_DIRTY] - writes, 4096, "prefault");
	shape_free(s);

	set(&p, "skew", "0");
	u = run_shape(&p);
	for (i = 0, top = 0; i < MAXOBJ; i++)
		if (u->hits[i] > top)
			top = u->hits[i];
	cr_assert(top < 80, "uniform: hottest page %llu of 100000",
	    (unsigned long long)top);
	shape_free(u);
}

Test(shape, fork_server_has_many_exits_and_shared_text)
{
	static const char *const kv[] = { "procs", "500", "duration", "5s",
		"text", "8MiB", "touch", "50%", NULL };
	struct gen_params p = params("fork-server", kv);
	struct shape *s = run_shape(&p);
	struct trace_validator_stats st;

	cr_assert_eq(s->ops[TRACE_OP_PROC], 501);
	cr_assert_eq(s->ops[TRACE_OP_EXIT], 501);
	/* Server and workers all map the one program file. */
	cr_assert_eq(s->maps_of[TRACE_OBJ_FILE], 501);
	cr_assert_eq(s->maps_of[TRACE_OBJ_ANON], 501);
	trace_validator_stats(s->v, &st);
	cr_assert_eq(st.objects, 2 + 500, "one file, 501 anonymous objects");
	cr_assert_eq(st.live_procs, 0);
	/* Each worker faults half of the 2048 text pages, in 16-page runs. */
	cr_assert_eq(s->pages[TRACE_OP_FAULT], 2048 + 500 * 1024);
	shape_free(s);
}

Test(shape, mixed_has_both_object_types_reads_writes_frees)
{
	static const char *const kv[] = { "procs", "3", "anon", "4MiB",
		"files", "2", "file-size", "8MiB", "duration", "1s", "rate",
		"100000", "free", "1%", NULL };
	struct gen_params p = params("mixed", kv);
	struct shape *s = run_shape(&p);
	uint64_t accesses;

	cr_assert_eq(s->maps_of[TRACE_OBJ_ANON], 3);
	cr_assert_eq(s->maps_of[TRACE_OBJ_FILE], 3 * 2);
	accesses = s->ops[TRACE_OP_FAULT] + s->ops[TRACE_OP_DIRTY] +
	    s->ops[TRACE_OP_FREE];
	cr_assert_eq(accesses, 99900);
	cr_assert_gt(s->ops[TRACE_OP_FREE], 200);
	cr_assert_gt(s->ops[TRACE_OP_DIRTY], 10000);
	/* The two files get accesses: the object ids 1 and 2 moved. */
	cr_assert_gt(s->next[1] + s->next[2], 0);
	shape_free(s);
}

Test(shape, db_backup_leak_tells_the_demo_story)
{
	struct gen_params p = params("db-backup-leak", NULL);
	struct shape *s = run_shape(&p);

	cr_assert_eq(s->ops[TRACE_OP_PROC], 3);
	cr_assert_eq(s->ops[TRACE_OP_EXIT], 3);
	/* The backup reads all of its 1 GiB file. */
	cr_assert_eq(s->next[2], 262144);
	/* The leak reaches 192 MiB by 5 s + 12 s < 30 s. */
	cr_assert_eq(s->next[3], 49152);
	cr_assert_eq(s->last_time, 30000000000);
	shape_free(s);
}

/* ---- parameters ---- */

Test(params, values_parse_exactly_and_format_back)
{
	static const struct {
		const char *wl, *name, *text, *back;
		uint64_t v;
	} ok[] = {
		{ "anon-hog", "size", "1.5GiB", "1536MiB", UINT64_C(3) << 29 },
		{ "anon-hog", "size", "8192", "8KiB", 8192 },
		{ "anon-hog", "size", "4 MiB", "4MiB", 4 << 20 },
		{ "anon-hog", "rate", "64MiB/s", "64MiB/s", 64 << 20 },
		{ "anon-hog", "hold", "1.5s", "1500ms", 1500000000 },
		{ "anon-hog", "hold", "0", "0", 0 },
		{ "anon-hog", "write", "12.5%", "12.5%", 125000 },
		{ "anon-hog", "touch-rate", "300/s", "300/s", 300 },
		{ "dirty-churn", "skew", "1.25", "1.25", 1250000 },
		{ "anon-hog", "seed", "18446744073709551615",
		    "18446744073709551615", UINT64_MAX },
	};
	struct gen_params p;
	char buf[48];
	size_t i;
	const struct gen_param_desc *d;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		gen_params_init(&p, gen_workload_find(ok[i].wl));
		set(&p, ok[i].name, ok[i].text);
		cr_assert_eq(gen_params_get(&p, ok[i].name), ok[i].v, "%s",
		    ok[i].text);
		for (d = p.wl->params; strcmp(d->name, ok[i].name) != 0; d++)
			;
		cr_assert_str_eq(gen_param_format(d->kind, ok[i].v, buf,
		    sizeof(buf)), ok[i].back);
	}
}

Test(params, bad_values_are_refused_with_a_reason)
{
	static const struct {
		const char *name, *text, *says;
	} bad[] = {
		{ "size", "1GB", "expected a size" },
		{ "size", "1000", "whole number of 4KiB pages" },
		{ "size", "0", "from 4KiB to 16TiB" },
		{ "size", "-1MiB", "expected a size" },
		{ "size", "1.0000001MiB", "expected a size" },
		{ "size", "99999999999999999999", "expected a size" },
		{ "procs", "0", "from 1 to 1024" },
		{ "procs", "2x", "an unsigned integer" },
		{ "hold", "5", "a duration" },
		{ "write", "0.5", "a percentage" },
		{ "write", "101%", "from 0% to 100%" },
		{ "rate", "1GiB", "a bandwidth" },
		{ "touch-rate", "", "a rate" },
	};
	struct gen_params p;
	struct pg_error err;
	size_t i;

	gen_params_init(&p, gen_workload_find("anon-hog"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(gen_params_set(&p, bad[i].name, bad[i].text,
		    &err), -EINVAL, "%s '%s' accepted", bad[i].name,
		    bad[i].text);
		cr_assert(strstr(err.msg, bad[i].says) != NULL,
		    "--%s '%s': %s", bad[i].name, bad[i].text, err.msg);
	}
	cr_assert_eq(gen_params_get(&p, "procs"), 1, "p changed on error");
	cr_assert_eq(gen_params_set(&p, "szie", "1MiB", &err), -ENOENT);
	cr_assert(strstr(err.msg, "did you mean --size?") != NULL, "%s",
	    err.msg);
}

Test(params, combinations_are_checked)
{
	static const struct {
		const char *wl, *kv[7], *says;
	} bad[] = {
		{ "anon-hog", { "size", "64KiB", "chunk", "1MiB", NULL },
		    "larger than" },
		{ "anon-hog", { "size", "1TiB", "rate", "1B/s", NULL },
		    "ten days" },
		{ "dirty-churn", { "size", "12KiB", "chunk", "8KiB", NULL },
		    "not a multiple" },
		{ "mixed", { "files", "0", NULL }, "--anon-share 100%" },
		{ "fork-server", { "lifetime", "1us", "touch", "100%", "text",
		    "64MiB", NULL }, "too short" },
		{ "mixed", { "rate", "1000000000", "duration", "200s", NULL },
		    "more than 100000000000" },
		{ "db-backup-leak", { "leak-start", "40s", NULL },
		    "before --duration" },
	};
	struct gen_params p;
	struct pg_error err;
	uint64_t n;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = params(bad[i].wl, bad[i].kv);
		cr_assert_eq(gen_params_check(&p, &err), -EINVAL, "%s: %s",
		    bad[i].wl, bad[i].says);
		cr_assert(strstr(err.msg, bad[i].says) != NULL, "%s", err.msg);
		cr_assert_eq(gen_run(&p, NULL, NULL, &n, &err), -EINVAL);
		cr_assert_eq(n, 0);
	}
}

Test(params, every_default_is_in_range_and_documented)
{
	const struct gen_workload *wl;
	const struct gen_param_desc *d;
	size_t i, j;

	for (i = 0; (wl = gen_workload_at(i)) != NULL; i++) {
		cr_assert_leq(wl->nparams, GEN_PARAMS_MAX);
		cr_assert_str_eq(wl->params[0].name, "seed");
		cr_assert(wl->summary[0] != '\0' && wl->description[0] != '\0');
		for (j = 0; j < wl->nparams; j++) {
			d = &wl->params[j];
			cr_assert(d->min <= d->def && d->def <= d->max,
			    "%s --%s", wl->name, d->name);
			cr_assert(d->help != NULL && d->help[0] != '\0');
		}
	}
	cr_assert_null(gen_workload_find("nope"));
}

/* ---- the arithmetic under every workload ---- */

/*
 * gen_mulhi() takes the compiler's 128-bit product where there is one; it
 * must agree with the portable form on every machine, or a seed would
 * not mean the same trace everywhere.
 */
Test(arith, mulhi_agrees_with_the_portable_product)
{
	static const uint64_t v[] = { 0, 1, 2, 3, UINT32_MAX,
		UINT64_C(1) << 32, (UINT64_C(1) << 32) + 1, UINT64_MAX / 3,
		UINT64_MAX / 2, UINT64_MAX - 1, UINT64_MAX,
		UINT64_C(0x9e3779b97f4a7c15), UINT64_C(0xbf58476d1ce4e5b9) };
	struct gen_rng r;
	uint64_t a, b;
	size_t i, j;
	int k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			cr_assert_eq(gen_mulhi(v[i], v[j]),
			    gen_mulhi_portable(v[i], v[j]),
			    "mulhi(%#jx, %#jx)", (uintmax_t)v[i],
			    (uintmax_t)v[j]);
	cr_assert_eq(gen_mulhi(UINT64_MAX, UINT64_MAX), UINT64_MAX - 1);
	cr_assert_eq(gen_mulhi(UINT64_C(1) << 63, 4), 2);
	r = gen_rng_seeded(7);
	for (k = 0; k < 100000; k++) {
		a = gen_rng_next(&r);
		b = gen_rng_next(&r) >> (k % 64);
		cr_assert_eq(gen_mulhi(a, b), gen_mulhi_portable(a, b));
	}
}

/* The scheduler pops in (time, actor) order, whatever the pushes. */
Test(arith, scheduler_pops_in_time_then_actor_order)
{
	struct gen_sched s;
	struct gen_sched_ent e, last = { 0, 0 };
	struct gen_rng r;
	uint32_t a, pops = 0;

	r = gen_rng_seeded(11);
	cr_assert_eq(gen_sched_init(&s, 64), 0);
	for (a = 0; a < 64; a++)
		gen_sched_push(&s, gen_rng_below(&r, 8), a);
	while (gen_sched_pop(&s, &e)) {
		cr_assert(e.time > last.time || (e.time == last.time &&
		    (pops == 0 || e.actor > last.actor)),
		    "pop %u: (%ju, %u) after (%ju, %u)", pops,
		    (uintmax_t)e.time, e.actor, (uintmax_t)last.time,
		    last.actor);
		last = e;
		/* Half the actors run again later, as workers do. */
		if (pops++ < 2000 && e.actor % 2 == 0)
			gen_sched_push(&s, e.time + 1 + gen_rng_below(&r, 5),
			    e.actor);
	}
	cr_assert_gt(pops, 64);
	gen_sched_finish(&s);
}

/*
 * The scheduler's keys hold every time up to gen_sched_time_max() for the
 * largest actor, in order; gen_sched_check() refuses one beyond it.
 */
Test(arith, scheduler_keys_reach_the_time_max)
{
	uint64_t max = gen_sched_time_max(1000001);
	struct pg_error err;
	struct gen_sched s;
	struct gen_sched_ent e;

	/* 1000001 actors: 20 bits of actor, 44 of time. */
	cr_assert_eq(max, (UINT64_MAX >> 20) - 1);
	cr_assert_eq(gen_sched_time_max(1), UINT64_MAX - 1);
	cr_assert_eq(gen_sched_time_max(3), (UINT64_MAX >> 2) - 1);
	cr_assert_eq(gen_sched_check(1000001, max, "x", &err), 0);
	cr_assert_eq(gen_sched_check(1000001, max + 1, "--procs", &err),
	    -EINVAL);
	cr_assert(strstr(err.msg, "--procs") != NULL, "%s", err.msg);
	/* The largest time and actor pop after an earlier time, then empty. */
	cr_assert_eq(gen_sched_init(&s, 1000001), 0);
	gen_sched_push(&s, max, 1000000);
	gen_sched_push(&s, max, 999999);
	gen_sched_push(&s, max - 1, 1000000 - 2);
	cr_assert(gen_sched_pop(&s, &e));
	cr_assert_eq(e.time, max - 1);
	cr_assert_eq(e.actor, 999998);
	cr_assert(gen_sched_pop(&s, &e));
	cr_assert_eq(e.time, max);
	cr_assert_eq(e.actor, 999999);
	cr_assert(gen_sched_pop(&s, &e));
	cr_assert_eq(e.actor, 1000000);
	cr_assert_not(gen_sched_pop(&s, &e));
	gen_sched_finish(&s);
}
