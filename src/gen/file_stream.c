/*
 * file_stream.c - the "file-stream" workload: readers streaming files
 * larger than memory sequentially through the page cache (a backup, a
 * scan, a media server): file pages that are used once and must be
 * recycled by the page daemon without hurting anything else.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

enum {
	P_SEED = GEN_SEED,
	P_SIZE,
	P_FILES,
	P_PROCS,
	P_CHUNK,
	P_RATE,
	P_PASSES,
	P_START_GAP,
	P_WRITE,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "size", GEN_KIND_SIZE, UINT64_C(8) << 30, GEN_PAGE_SIZE,
	    UINT64_C(1) << 44, "size of each file" },
	{ "files", GEN_KIND_COUNT, 1, 1, 1024, "files in the set" },
	{ "procs", GEN_KIND_COUNT, 1, 1, 256,
	    "concurrent readers; reader i starts with file i mod --files" },
	{ "chunk", GEN_KIND_SIZE, 128 << 10, GEN_PAGE_SIZE, UINT64_C(1) << 30,
	    "pages read by one event (a read-ahead cluster)" },
	{ "rate", GEN_KIND_BANDWIDTH, UINT64_C(512) << 20, 1,
	    GEN_BANDWIDTH_MAX, "read bandwidth of each reader" },
	{ "passes", GEN_KIND_COUNT, 1, 1, 1000,
	    "times each reader reads the whole set" },
	{ "start-gap", GEN_KIND_DURATION, 0, 0, 3600 * GEN_NS_PER_S,
	    "delay between the starts of successive readers" },
	{ "write", GEN_KIND_PERCENT, 0, 0, GEN_PPM,
	    "share of chunks rewritten in place (dirty) instead of read" },
};

struct reader {
	struct gen_pace pace;
	uint64_t file;	 /* files opened so far */
	uint64_t pos;	 /* next page of the current file */
	bool open;
};

static int
stream_check(const uint64_t *v, struct pg_error *err)
{
	uint64_t one, reads;
	int rc;

	if (v[P_CHUNK] > v[P_SIZE])
		return (gen_bad(err, "--chunk %" PRIu64 " pages is larger than "
		    "--size (%" PRIu64 " pages)", gen_pages(v[P_CHUNK]),
		    gen_pages(v[P_SIZE])));
	if (gen_pages(v[P_SIZE]) > TRACE_PAGES_MAX)
		return (gen_bad(err, "--size: at most 2^32 pages (16TiB)"));
	if ((rc = gen_xfer_ns(v[P_SIZE], v[P_RATE], "--size at --rate", &one,
	    err)) < 0)
		return (rc);
	reads = v[P_FILES] * v[P_PASSES];
	/* Below 2^8 * 2^20 * 2^32: no overflow. */
	rc = gen_check_events(v[P_PROCS] * reads * (gen_pages(v[P_SIZE]) /
	    gen_pages(v[P_CHUNK]) + 2), "--procs, --files, --passes, --size "
	    "and --chunk", err);
	if (rc < 0)
		return (rc);
	if (one != 0 && reads > GEN_SPAN_MAX_S * GEN_NS_PER_S / one)
		return (gen_check_span(UINT64_MAX, "--files x --passes",
		    err));
	return (gen_check_span(reads * one + (v[P_PROCS] - 1) *
	    v[P_START_GAP], "--files, --passes, --size, --rate and "
	    "--start-gap", err));
}

static void
stream_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t pages = gen_pages(v[P_SIZE]), chunk = gen_pages(v[P_CHUNK]);
	uint64_t reads = v[P_FILES] * v[P_PASSES], t, n, obj;
	uint32_t nproc = (uint32_t)v[P_PROCS], i, pid;
	struct gen_sched_ent e;
	struct gen_sched sched;
	struct gen_rng rng;
	struct reader *rd, *rds;
	char path[64];

	rng = gen_rng_seeded(v[P_SEED]);
	rds = calloc(nproc, sizeof(*rds));
	if (rds == NULL || gen_sched_init(&sched, nproc) < 0) {
		free(rds);
		gen_out_nomem(o, "the file-stream readers");
		return;
	}
	for (i = 0; i < nproc; i++) {
		gen_pace_init(&rds[i].pace, i * v[P_START_GAP],
		    v[P_CHUNK] * GEN_NS_PER_S, v[P_RATE]);
		gen_sched_push(&sched, rds[i].pace.t, i);
	}
	while (!gen_out_failed(o) && gen_sched_pop(&sched, &e)) {
		rd = &rds[e.actor];
		t = e.time;
		pid = 100 + e.actor;
		if (rd->open && rd->pos == pages) {
			/* Closing the file leaves its pages cached. */
			gen_out_unmap(o, t, pid, 1 + (e.actor + rd->file - 1) %
			    v[P_FILES]);
			rd->open = false;
			if (rd->file == reads) {
				gen_out_exit(o, t, pid);
				continue;
			}
		}
		if (rd->file == 0)
			gen_out_proc(o, t, pid, "reader");
		/* Files 1..files; reader i starts with file i mod files. */
		obj = 1 + (e.actor + rd->file - (rd->open ? 1 : 0)) %
		    v[P_FILES];
		if (!rd->open) {
			snprintf(path, sizeof(path),
			    "/data/stream/file%" PRIu64, obj - 1);
			gen_out_map(o, t, pid, obj, TRACE_OBJ_FILE, pages,
			    path);
			rd->open = true;
			rd->file++;
			rd->pos = 0;
		}
		n = pages - rd->pos < chunk ? pages - rd->pos : chunk;
		gen_out_page(o, t,
		    v[P_WRITE] != 0 && gen_rng_chance(&rng, v[P_WRITE]) ?
		    TRACE_OP_DIRTY : TRACE_OP_FAULT, pid, obj, rd->pos, n);
		rd->pos += n;
		/* The next read, or the close when the file is done. */
		gen_sched_push(&sched, gen_pace_step(&rd->pace), e.actor);
	}
	gen_sched_finish(&sched);
	free(rds);
}

static const struct gen_impl impl = { stream_check, stream_run };

const struct gen_workload gen_file_stream = {
	.name = "file-stream",
	.summary = "readers stream files larger than memory sequentially",
	.description =
	    "Each of --procs readers (pid 100, 101...) reads --files files of\n"
	    "--size (file objects 1..N, shared by every reader) from start to\n"
	    "end, --chunk per event at --rate, mapping each file while it\n"
	    "reads it; reader i starts with file i mod --files and i *\n"
	    "--start-gap after the first, and reads the set --passes times.\n"
	    "--write of the chunks are rewritten in place instead of read.\n"
	    "Pages are used once: the page daemon must recycle them.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
