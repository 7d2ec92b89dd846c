/*
 * fork_server.c - the "fork-server" workload: a server that forks many
 * short-lived workers (a CGI server, a build running compilers, a shell
 * script): every worker maps the same program file, faults part of its
 * text, dirties a little private memory and exits, so file pages stay
 * shared and hot while anonymous objects come and go.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

enum {
	P_SEED = GEN_SEED,
	P_DURATION,
	P_PROCS,
	P_TEXT,
	P_TOUCH,
	P_ANON,
	P_LIFETIME,
	P_CHUNK,
	P_PARENT_ANON,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "duration", GEN_KIND_DURATION, 10 * GEN_NS_PER_S, 1,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S,
	    "time over which the workers are started, evenly" },
	{ "procs", GEN_KIND_COUNT, 2000, 1, 1000000, "workers started" },
	{ "text", GEN_KIND_SIZE, UINT64_C(32) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 34, "the program file (text, libraries) all map" },
	{ "touch", GEN_KIND_PERCENT, 250000, 0, GEN_PPM,
	    "share of the program file each worker faults, in random chunks" },
	{ "anon", GEN_KIND_SIZE, UINT64_C(2) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 34, "private anonymous memory each worker dirties" },
	{ "lifetime", GEN_KIND_DURATION, 100000000, 1000, 3600 * GEN_NS_PER_S,
	    "time from a worker's start to its exit" },
	{ "chunk", GEN_KIND_SIZE, 64 << 10, GEN_PAGE_SIZE, UINT64_C(1) << 30,
	    "pages one event touches" },
	{ "parent-anon", GEN_KIND_SIZE, UINT64_C(64) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 34, "the server's own dirty anonymous memory" },
};

#define SERVER_PID 100
#define TEXT_OBJ 1
#define SERVER_ANON_OBJ 2
#define WORKER_PID0 1000 /* worker i is pid and object 1000 + i */
#define FIRST_FORK 1000 /* ns: the server forks its first worker */

struct worker {
	uint64_t id;	/* worker i: pid and object 1000 + i */
	uint64_t start;
	uint64_t step;	/* events made so far */
};

struct plan {
	uint64_t text_pages, anon_pages, chunk;
	uint64_t ntext, nanon; /* events per worker of each kind */
	uint64_t interval;	/* ns between worker starts (rounded down) */
	uint64_t ring;		/* workers alive at once, at most */
};

static void
plan_of(const uint64_t *v, struct plan *p)
{
	uint64_t touched;

	p->text_pages = gen_pages(v[P_TEXT]);
	p->anon_pages = gen_pages(v[P_ANON]);
	p->chunk = gen_pages(v[P_CHUNK]);
	touched = p->text_pages * v[P_TOUCH] / GEN_PPM;
	p->ntext = (touched + p->chunk - 1) / p->chunk;
	p->nanon = (p->anon_pages + p->chunk - 1) / p->chunk;
	p->interval = v[P_DURATION] / v[P_PROCS];
	/*
	 * All workers live equally long, so they exit in start order: the
	 * live ones fit a ring of lifetime / interval + 2 slots.
	 */
	p->ring = p->interval == 0 ? v[P_PROCS] :
	    v[P_LIFETIME] / p->interval + 2;
	if (p->ring > v[P_PROCS])
		p->ring = v[P_PROCS];
}

static int
fork_check(const uint64_t *v, struct pg_error *err)
{
	struct plan p;

	plan_of(v, &p);
	if (p.chunk > p.text_pages)
		return (gen_bad(err, "--chunk is larger than --text"));
	if (p.ntext + p.nanon + 1 > v[P_LIFETIME])
		return (gen_bad(err, "--lifetime %" PRIu64 " ns is too short "
		    "for the %" PRIu64 " events of a worker (one per ns at "
		    "most)",
		    v[P_LIFETIME], p.ntext + p.nanon));
	if (gen_check_events(v[P_PROCS] * (p.ntext + p.nanon + 3),
	    "--procs, --text, --touch, --anon and --chunk", err) < 0)
		return (-EINVAL);
	if (gen_check_span(v[P_DURATION] + v[P_LIFETIME],
	    "--duration and --lifetime", err) < 0)
		return (-EINVAL);
	/* Actor 0 is the server, 1 + slot a worker (fork_run()). */
	return (gen_sched_check((uint32_t)p.ring + 1,
	    FIRST_FORK + v[P_DURATION] + v[P_LIFETIME],
	    "--procs, --duration and --lifetime", err));
}

/*
 * worker_time() - when worker w makes its event j (1-based): n events
 * spread evenly over the lifetime, the exit last.  frac is UINT64_MAX /
 * (n + 1), divided once per run rather than once per event (a 64-bit
 * division costs as much as the rest of the event).
 */
static uint64_t
worker_time(const struct worker *w, uint64_t j, uint64_t frac,
    uint64_t lifetime)
{
	return (w->start + gen_mulhi(j * frac, lifetime));
}

static void
fork_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t n, frac, i, spawned = 0, ring, t, pindex, cnt, now;
	uint64_t lifetime = v[P_LIFETIME];
	struct gen_sched_ent e;
	struct gen_sched sched;
	struct worker *ws, *w;
	struct gen_rng rng;
	struct plan p;
	uint32_t pid;

	plan_of(v, &p);
	n = p.ntext + p.nanon;
	frac = UINT64_MAX / (n + 1);
	rng = gen_rng_seeded(v[P_SEED]);
	ring = p.ring;
	ws = calloc(ring, sizeof(*ws));
	if (ws == NULL || gen_sched_init(&sched, (uint32_t)ring + 1) < 0) {
		free(ws);
		gen_out_nomem(o, "the fork-server workers");
		return;
	}
	gen_out_proc(o, 0, SERVER_PID, "server");
	gen_out_map(o, 0, SERVER_PID, TEXT_OBJ, TRACE_OBJ_FILE, p.text_pages,
	    "/usr/local/bin/server");
	gen_out_page(o, 0, TRACE_OP_FAULT, SERVER_PID, TEXT_OBJ, 0,
	    p.text_pages);
	gen_out_map(o, 0, SERVER_PID, SERVER_ANON_OBJ, TRACE_OBJ_ANON,
	    gen_pages(v[P_PARENT_ANON]), NULL);
	gen_out_page(o, 0, TRACE_OP_DIRTY, SERVER_PID, SERVER_ANON_OBJ, 0,
	    gen_pages(v[P_PARENT_ANON]));
	/* Actor 0 is the server's next fork; actor 1 + slot a worker. */
	gen_sched_push(&sched, FIRST_FORK, 0);
	while (!gen_out_failed(o) && gen_sched_pop(&sched, &e)) {
		now = e.time;
		if (e.actor == 0) {
			i = spawned++;
			pid = (uint32_t)(WORKER_PID0 + i);
			w = &ws[i % ring];
			w->id = i;
			w->start = now;
			w->step = 0;
			gen_out_proc(o, now, pid, "worker");
			gen_out_map(o, now, pid, TEXT_OBJ, TRACE_OBJ_FILE,
			    p.text_pages, "/usr/local/bin/server");
			gen_out_map(o, now, pid, WORKER_PID0 + i,
			    TRACE_OBJ_ANON, p.anon_pages, NULL);
			gen_sched_push(&sched,
			    worker_time(w, 1, frac, lifetime), 1 + (uint32_t)(i %
			    ring));
			if (spawned < v[P_PROCS])
				gen_sched_push(&sched, FIRST_FORK + spawned *
				    p.interval, 0);
			continue;
		}
		w = &ws[e.actor - 1];
		i = w->id;
		pid = (uint32_t)(WORKER_PID0 + i);
		if (w->step == n) {
			gen_out_exit(o, now, pid);
			continue;
		}
		if (w->step < p.ntext) {
			/* Exec faults in random chunks of the program. */
			pindex = gen_rng_below(&rng, p.text_pages - p.chunk +
			    1);
			gen_out_page(o, now, TRACE_OP_FAULT, pid, TEXT_OBJ,
			    pindex, p.chunk);
		} else {
			pindex = (w->step - p.ntext) * p.chunk;
			cnt = p.anon_pages - pindex < p.chunk ?
			    p.anon_pages - pindex : p.chunk;
			gen_out_page(o, now, TRACE_OP_DIRTY, pid,
			    WORKER_PID0 + i, pindex, cnt);
		}
		w->step++;
		t = w->step == n ? w->start + lifetime :
		    worker_time(w, w->step + 1, frac, lifetime);
		gen_sched_push(&sched, t, e.actor);
	}
	if (!gen_out_failed(o))
		gen_out_exit(o, FIRST_FORK + v[P_DURATION] + lifetime,
		    SERVER_PID);
	gen_sched_finish(&sched);
	free(ws);
}

static const struct gen_impl impl = { fork_check, fork_run };

const struct gen_workload gen_fork_server = {
	.name = "fork-server",
	.summary = "a server forks many short-lived workers sharing file pages",
	.description =
	    "A server (pid 100) maps a program file of --text (file object 1)\n"
	    "and faults it whole, and dirties --parent-anon of its own.  It\n"
	    "starts --procs workers evenly over --duration (pid and anonymous\n"
	    "object 1000 + i); each maps the program, faults --touch of it in\n"
	    "random --chunk runs, dirties its --anon of private memory, and\n"
	    "exits --lifetime after its start.  The program's pages stay\n"
	    "shared and referenced; anonymous objects are created and\n"
	    "destroyed all the time.  The server exits last.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
