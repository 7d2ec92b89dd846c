/*
 * mixed.c - the "mixed" workload: several processes, each with private
 * anonymous memory, all sharing a few files, with a hot set in every
 * object, reads and writes and the occasional free: the general case.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

enum {
	P_SEED = GEN_SEED,
	P_PROCS,
	P_ANON,
	P_FILES,
	P_FILE_SIZE,
	P_DURATION,
	P_RATE,
	P_ANON_SHARE,
	P_HOT,
	P_HOT_SHARE,
	P_WRITE,
	P_FILE_WRITE,
	P_FREE,
	P_CHUNK,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "procs", GEN_KIND_COUNT, 4, 1, 256, "worker processes" },
	{ "anon", GEN_KIND_SIZE, UINT64_C(256) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 40, "private anonymous memory of each process" },
	{ "files", GEN_KIND_COUNT, 2, 0, 64,
	    "files every process maps (shared file objects)" },
	{ "file-size", GEN_KIND_SIZE, UINT64_C(512) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 40, "size of each file" },
	{ "duration", GEN_KIND_DURATION, 30 * GEN_NS_PER_S, 1,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S, "how long the processes run" },
	{ "rate", GEN_KIND_RATE, 200000, 1, 1000000000,
	    "accesses per second, all processes together" },
	{ "anon-share", GEN_KIND_PERCENT, 500000, 0, GEN_PPM,
	    "share of accesses to the process's own anonymous memory" },
	{ "hot", GEN_KIND_PERCENT, 100000, 1, GEN_PPM,
	    "the hot set: this share of each object, from its start" },
	{ "hot-share", GEN_KIND_PERCENT, 900000, 0, GEN_PPM,
	    "share of accesses that go to the hot set" },
	{ "write", GEN_KIND_PERCENT, 200000, 0, GEN_PPM,
	    "share of anonymous accesses that write" },
	{ "file-write", GEN_KIND_PERCENT, 50000, 0, GEN_PPM,
	    "share of file accesses that write" },
	{ "free", GEN_KIND_PERCENT, 1000, 0, GEN_PPM,
	    "share of anonymous accesses that free their chunk instead" },
	{ "chunk", GEN_KIND_SIZE, GEN_PAGE_SIZE, GEN_PAGE_SIZE,
	    UINT64_C(1) << 30, "pages one access touches" },
};

static int
mixed_check(const uint64_t *v, struct pg_error *err)
{
	if (v[P_FILES] == 0 && v[P_ANON_SHARE] != GEN_PPM)
		return (gen_bad(err, "--files 0 needs --anon-share 100%%"));
	if (v[P_CHUNK] > v[P_ANON] ||
	    (v[P_FILES] != 0 && v[P_CHUNK] > v[P_FILE_SIZE]))
		return (gen_bad(err, "--chunk is larger than --anon or "
		    "--file-size"));
	if (gen_pages(v[P_ANON]) > TRACE_PAGES_MAX ||
	    gen_pages(v[P_FILE_SIZE]) > TRACE_PAGES_MAX)
		return (gen_bad(err,
		    "--anon, --file-size: at most 2^32 pages"));
	return (gen_check_events((v[P_DURATION] / GEN_NS_PER_S + 1) *
	    v[P_RATE], "--duration and --rate", err));
}

/* pick() - the first page of a chunk of an object of pages pages. */
static uint64_t
pick(struct gen_rng *r, uint64_t pages, uint64_t chunk, uint64_t hot_ppm,
    uint64_t hot_share)
{
	uint64_t starts = pages - chunk + 1, hot;

	hot = pages * hot_ppm / GEN_PPM;
	if (hot < chunk)
		hot = chunk;
	if (gen_rng_chance(r, hot_share))
		starts = hot - chunk + 1;
	return (gen_rng_below(r, starts));
}

static void
mixed_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t anon = gen_pages(v[P_ANON]), fsize = gen_pages(v[P_FILE_SIZE]);
	uint64_t chunk = gen_pages(v[P_CHUNK]), nfiles = v[P_FILES];
	uint64_t t, end = v[P_DURATION], obj, pg, f;
	uint32_t nproc = (uint32_t)v[P_PROCS], i, pid;
	struct gen_pace pace;
	struct gen_rng rng;
	enum trace_op op;
	char path[64];

	rng = gen_rng_seeded(v[P_SEED]);
	/* Files are objects 1..files; process i's memory is files + 1 + i. */
	for (i = 0; i < nproc; i++) {
		gen_out_proc(o, 0, 100 + i, "worker");
		gen_out_map(o, 0, 100 + i, nfiles + 1 + i, TRACE_OBJ_ANON,
		    anon, NULL);
		for (f = 0; f < nfiles; f++) {
			snprintf(path, sizeof(path), "/data/shared%" PRIu64, f);
			gen_out_map(o, 0, 100 + i, 1 + f, TRACE_OBJ_FILE,
			    fsize, path);
		}
	}
	gen_pace_init(&pace, 1000000, GEN_NS_PER_S, v[P_RATE]);
	for (t = pace.t; t < end && !gen_out_failed(o);
	    t = gen_pace_step(&pace)) {
		pid = 100 + (uint32_t)gen_rng_below(&rng, nproc);
		if (gen_rng_chance(&rng, v[P_ANON_SHARE])) {
			obj = nfiles + 1 + (pid - 100);
			pg = pick(&rng, anon, chunk, v[P_HOT], v[P_HOT_SHARE]);
			if (v[P_FREE] != 0 && gen_rng_chance(&rng, v[P_FREE]))
				op = TRACE_OP_FREE;
			else if (gen_rng_chance(&rng, v[P_WRITE]))
				op = TRACE_OP_DIRTY;
			else
				op = TRACE_OP_FAULT;
		} else {
			obj = 1 + gen_rng_below(&rng, nfiles);
			pg = pick(&rng, fsize, chunk, v[P_HOT], v[P_HOT_SHARE]);
			op = gen_rng_chance(&rng, v[P_FILE_WRITE]) ?
			    TRACE_OP_DIRTY : TRACE_OP_FAULT;
		}
		gen_out_page(o, t, op, pid, obj, pg, chunk);
	}
	for (i = 0; i < nproc; i++)
		gen_out_exit(o, end, 100 + i);
}

static const struct gen_impl impl = { mixed_check, mixed_run };

const struct gen_workload gen_mixed = {
	.name = "mixed",
	.summary = "processes with private memory and shared files, a hot set",
	.description =
	    "--procs processes (pid 100, 101...) each map --anon of private\n"
	    "anonymous memory (object files + 1 + i) and all --files files of\n"
	    "--file-size (objects 1..files).  From 1 ms to --duration they\n"
	    "make --rate accesses per second: a random process touches\n"
	    "--chunk of its own memory (--anon-share of the time) or of a\n"
	    "random file;\n"
	    "--hot-share of the accesses fall in the object's hot set, its\n"
	    "first --hot.  Anonymous accesses write (--write) or free their\n"
	    "chunk (--free); file accesses write with --file-write.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
