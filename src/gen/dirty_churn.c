/*
 * dirty_churn.c - the "dirty-churn" workload: a database-like working
 * set, one anonymous buffer pool shared by worker processes, read and
 * written with Zipf-skewed popularity.  Hot pages stay referenced and
 * dirty; the cold tail is what the laundry must clean to free memory.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>

enum {
	P_SEED = GEN_SEED,
	P_SIZE,
	P_PROCS,
	P_DURATION,
	P_RATE,
	P_SKEW,
	P_WRITE,
	P_CHUNK,
	P_PREFAULT,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "size", GEN_KIND_SIZE, UINT64_C(512) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 44, "the working set: one shared anonymous object" },
	{ "procs", GEN_KIND_COUNT, 1, 1, 256,
	    "worker processes sharing the working set" },
	{ "duration", GEN_KIND_DURATION, 30 * GEN_NS_PER_S, 1,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S, "how long the workers run" },
	{ "rate", GEN_KIND_RATE, 100000, 1, 1000000000,
	    "accesses per second, all workers together" },
	{ "skew", GEN_KIND_DECIMAL, 990000, 0, 8 * GEN_PPM,
	    "Zipf exponent of the popularity of --chunk blocks (0: uniform)" },
	{ "write", GEN_KIND_PERCENT, 300000, 0, GEN_PPM,
	    "share of accesses that write" },
	{ "chunk", GEN_KIND_SIZE, GEN_PAGE_SIZE, GEN_PAGE_SIZE,
	    UINT64_C(1) << 30, "pages one access touches (a database block)" },
	{ "prefault", GEN_KIND_COUNT, 1, 0, 1,
	    "1: dirty the whole working set first (a warm buffer pool)" },
};

static int
churn_check(const uint64_t *v, struct pg_error *err)
{
	if (v[P_SIZE] % v[P_CHUNK] != 0)
		return (gen_bad(err, "--size (%" PRIu64 " pages) is not a "
		    "multiple of --chunk (%" PRIu64 " pages)",
		    gen_pages(v[P_SIZE]), gen_pages(v[P_CHUNK])));
	if (gen_pages(v[P_SIZE]) > TRACE_PAGES_MAX)
		return (gen_bad(err, "--size: at most 2^32 pages (16TiB)"));
	return (gen_check_events((v[P_DURATION] / GEN_NS_PER_S + 1) *
	    v[P_RATE], "--duration and --rate", err));
}

static void
churn_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t pages = gen_pages(v[P_SIZE]), chunk = gen_pages(v[P_CHUNK]);
	uint64_t end, t, block;
	uint32_t nproc = (uint32_t)v[P_PROCS], i, w = 0;
	struct gen_pace pace;
	struct gen_zipf zipf;
	struct gen_rng rng;

	rng = gen_rng_seeded(v[P_SEED]);
	if (gen_zipf_init(&zipf, pages / chunk, v[P_SKEW], &rng) < 0) {
		gen_out_nomem(o, "the Zipf table");
		return;
	}
	for (i = 0; i < nproc; i++) {
		gen_out_proc(o, 0, 100 + i, "db");
		gen_out_map(o, 0, 100 + i, 1, TRACE_OBJ_ANON, pages, NULL);
	}
	if (v[P_PREFAULT])
		gen_out_page(o, 0, TRACE_OP_DIRTY, 100, 1, 0, pages);
	end = v[P_DURATION];
	/* Accesses k = 0, 1... at k / rate seconds from 1 ms on. */
	gen_pace_init(&pace, 1000000, GEN_NS_PER_S, v[P_RATE]);
	for (t = pace.t; t < end && !gen_out_failed(o);
	    t = gen_pace_step(&pace)) {
		block = gen_zipf_page(&zipf, &rng);
		gen_out_page(o, t,
		    gen_rng_chance(&rng, v[P_WRITE]) ? TRACE_OP_DIRTY :
		    TRACE_OP_FAULT, 100 + w, 1, block * chunk, chunk);
		if (++w == nproc)
			w = 0;
	}
	for (i = 0; i < nproc; i++)
		gen_out_exit(o, end, 100 + i);
	gen_zipf_finish(&zipf);
}

static const struct gen_impl impl = { churn_check, churn_run };

const struct gen_workload gen_dirty_churn = {
	.name = "dirty-churn",
	.summary = "a database-like working set, Zipf-skewed reads and writes",
	.description =
	    "--procs workers (pid 100, 101...) share one anonymous object of\n"
	    "--size (object 1), dirtied whole at the start if --prefault.\n"
	    "From 1 ms to --duration they make --rate accesses per second in\n"
	    "turn, each to one --chunk block chosen with Zipf popularity of\n"
	    "exponent --skew (the popular blocks scattered over the object),\n"
	    "--write of them writes.  The hot blocks stay active and dirty;\n"
	    "the laundry must clean the cold tail to free memory.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
