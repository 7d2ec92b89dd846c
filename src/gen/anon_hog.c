/*
 * anon_hog.c - the "anon-hog" workload: processes that grow and dirty
 * anonymous memory at a steady rate, optionally past RAM + swap, then keep
 * touching it at random for a while and exit.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

enum {
	P_SEED = GEN_SEED,
	P_SIZE,
	P_PROCS,
	P_CHUNK,
	P_RATE,
	P_START_GAP,
	P_HOLD,
	P_TOUCH_RATE,
	P_WRITE,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "size", GEN_KIND_SIZE, UINT64_C(1) << 30, GEN_PAGE_SIZE,
	    UINT64_C(1) << 44, "anonymous memory each process grows to" },
	{ "procs", GEN_KIND_COUNT, 1, 1, 1024,
	    "hog processes, each with its own object" },
	{ "chunk", GEN_KIND_SIZE, 64 << 10, GEN_PAGE_SIZE, UINT64_C(1) << 30,
	    "memory dirtied by one event while growing" },
	{ "rate", GEN_KIND_BANDWIDTH, UINT64_C(1) << 30, 1, GEN_BANDWIDTH_MAX,
	    "growth rate of each process" },
	{ "start-gap", GEN_KIND_DURATION, 0, 0, 3600 * GEN_NS_PER_S,
	    "delay between the starts of successive processes" },
	{ "hold", GEN_KIND_DURATION, 0, 0, 86400 * GEN_NS_PER_S,
	    "time each process keeps touching its memory after growing" },
	{ "touch-rate", GEN_KIND_RATE, 1000, 1, 1000000000,
	    "one-page touches per second of each process while holding" },
	{ "write", GEN_KIND_PERCENT, 500000, 0, GEN_PPM,
	    "share of the holding touches that write" },
};

struct hog {
	struct gen_pace pace;
	uint64_t next;	 /* next page to dirty while growing */
	uint64_t end;	 /* when holding ends: the exit */
	bool holding;
};

static int
hog_check(const uint64_t *v, struct pg_error *err)
{
	uint64_t grow, span;
	int rc;

	if (v[P_CHUNK] > v[P_SIZE])
		return (gen_bad(err, "--chunk %" PRIu64 " pages is larger than "
		    "--size (%" PRIu64 " pages)", gen_pages(v[P_CHUNK]),
		    gen_pages(v[P_SIZE])));
	if (gen_pages(v[P_SIZE]) > TRACE_PAGES_MAX)
		return (gen_bad(err, "--size: at most 2^32 pages (16TiB)"));
	if ((rc = gen_xfer_ns(v[P_SIZE], v[P_RATE], "--size at --rate",
	    &grow, err)) < 0)
		return (rc);
	span = (v[P_PROCS] - 1) * v[P_START_GAP] + grow + v[P_HOLD];
	/* Below 2^10 * (2^32 + 86400 * 10^9): no overflow. */
	rc = gen_check_events(v[P_PROCS] * (gen_pages(v[P_SIZE]) /
	    gen_pages(v[P_CHUNK]) + 3 + v[P_HOLD] / GEN_NS_PER_S *
	    v[P_TOUCH_RATE]), "--procs, --size, --chunk, --hold and "
	    "--touch-rate", err);
	if (rc < 0)
		return (rc);
	return (gen_check_span(span, "--procs, --start-gap, --size, --rate "
	    "and --hold", err));
}

static void
hog_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t pages = gen_pages(v[P_SIZE]), chunk = gen_pages(v[P_CHUNK]);
	uint64_t t, n, hold_start;
	uint32_t nproc = (uint32_t)v[P_PROCS], i;
	struct gen_sched_ent e;
	struct gen_sched sched;
	struct gen_rng rng;
	struct hog *h, *hogs;

	rng = gen_rng_seeded(v[P_SEED]);
	hogs = calloc(nproc, sizeof(*hogs));
	if (hogs == NULL || gen_sched_init(&sched, nproc) < 0) {
		free(hogs);
		gen_out_nomem(o, "the anon-hog processes");
		return;
	}
	for (i = 0; i < nproc; i++) {
		/* One chunk every chunk / rate seconds, exactly. */
		gen_pace_init(&hogs[i].pace, i * v[P_START_GAP],
		    v[P_CHUNK] * GEN_NS_PER_S, v[P_RATE]);
		gen_sched_push(&sched, hogs[i].pace.t, i);
	}
	while (!gen_out_failed(o) && gen_sched_pop(&sched, &e)) {
		h = &hogs[e.actor];
		t = e.time;
		if (!h->holding && h->next == 0) {
			gen_out_proc(o, t, 100 + e.actor, "hog");
			gen_out_map(o, t, 100 + e.actor, 1 + e.actor,
			    TRACE_OBJ_ANON, pages, NULL);
		}
		if (!h->holding) {
			n = pages - h->next < chunk ? pages - h->next : chunk;
			gen_out_page(o, t, TRACE_OP_DIRTY, 100 + e.actor,
			    1 + e.actor, h->next, n);
			h->next += n;
			if (h->next < pages) {
				gen_sched_push(&sched, gen_pace_step(&h->pace),
				    e.actor);
				continue;
			}
			/* Grown: hold from when the next chunk would be due. */
			hold_start = gen_pace_step(&h->pace);
			h->end = hold_start + v[P_HOLD];
			h->holding = true;
			gen_pace_init(&h->pace, hold_start, GEN_NS_PER_S,
			    v[P_TOUCH_RATE]);
			gen_sched_push(&sched, hold_start, e.actor);
			continue;
		}
		if (t >= h->end) {
			gen_out_exit(o, t, 100 + e.actor);
			continue;
		}
		gen_out_page(o, t,
		    gen_rng_chance(&rng, v[P_WRITE]) ? TRACE_OP_DIRTY :
		    TRACE_OP_FAULT, 100 + e.actor, 1 + e.actor,
		    gen_rng_below(&rng, pages), 1);
		t = gen_pace_step(&h->pace);
		gen_sched_push(&sched, t < h->end ? t : h->end, e.actor);
	}
	gen_sched_finish(&sched);
	free(hogs);
}

static const struct gen_impl impl = { hog_check, hog_run };

const struct gen_workload gen_anon_hog = {
	.name = "anon-hog",
	.summary = "processes grow and dirty anonymous memory, then hold it",
	.description =
	    "Each of --procs processes (pid 100, 101...) maps its own\n"
	    "anonymous object of --size and dirties it from the start,\n"
	    "--chunk at a time at --rate; process i starts i * --start-gap\n"
	    "after the first.  Grown, it keeps touching random single pages\n"
	    "of it for --hold at --touch-rate (--write of them writes), then\n"
	    "exits.\n"
	    "With --procs x --size beyond memory + swap the OOM killer must\n"
	    "act; below memory it shows the page daemon idle.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
