/*
 * db_backup_leak.c - the "db-backup-leak" workload, the story of the
 * demo (traces/demo/make-churn.sh): a database keeps a buffer pool hot
 * and dirty, a backup job streams a big file through the page cache, and
 * a leaking process grows until memory and swap run out.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>

enum {
	P_SEED = GEN_SEED,
	P_POOL,
	P_HOT,
	P_DIRTY,
	P_PERIOD,
	P_BACKUP,
	P_BACKUP_RATE,
	P_BACKUP_CHUNK,
	P_BACKUP_START,
	P_LEAK,
	P_LEAK_RATE,
	P_LEAK_CHUNK,
	P_LEAK_START,
	P_DURATION,
	P_COUNT
};

static const struct gen_param_desc params[P_COUNT] = {
	GEN_SEED_PARAM,
	{ "pool", GEN_KIND_SIZE, UINT64_C(96) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 40, "the database's buffer pool, dirtied at start" },
	{ "hot", GEN_KIND_PERCENT, 500000, 0, GEN_PPM,
	    "share of the pool, from its start, re-read every --period" },
	{ "dirty", GEN_KIND_PERCENT, 125000, 1, GEN_PPM,
	    "share of the pool re-dirtied every --period, a rotating slice" },
	{ "period", GEN_KIND_DURATION, GEN_NS_PER_S, 1000000,
	    3600 * GEN_NS_PER_S, "interval of the database's passes" },
	{ "backup", GEN_KIND_SIZE, UINT64_C(1) << 30, GEN_PAGE_SIZE,
	    UINT64_C(1) << 44, "the file the backup job reads" },
	{ "backup-rate", GEN_KIND_BANDWIDTH, UINT64_C(64) << 20, 1,
	    GEN_BANDWIDTH_MAX, "read bandwidth of the backup" },
	{ "backup-chunk", GEN_KIND_SIZE, UINT64_C(16) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 30, "pages the backup reads per event" },
	{ "backup-start", GEN_KIND_DURATION, 2 * GEN_NS_PER_S, 0,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S, "when the backup starts reading" },
	{ "leak", GEN_KIND_SIZE, UINT64_C(192) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 40, "anonymous memory the leaking process reaches" },
	{ "leak-rate", GEN_KIND_BANDWIDTH, UINT64_C(16) << 20, 1,
	    GEN_BANDWIDTH_MAX, "growth rate of the leak" },
	{ "leak-chunk", GEN_KIND_SIZE, UINT64_C(4) << 20, GEN_PAGE_SIZE,
	    UINT64_C(1) << 30, "pages the leak dirties per event" },
	{ "leak-start", GEN_KIND_DURATION, 5 * GEN_NS_PER_S, 0,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S, "when the leak starts growing" },
	{ "duration", GEN_KIND_DURATION, 30 * GEN_NS_PER_S, 1000000,
	    GEN_SPAN_MAX_S * GEN_NS_PER_S, "when everything exits" },
};

#define DB_PID 100
#define BACKUP_PID 200
#define LEAK_PID 300

static int
dbl_check(const uint64_t *v, struct pg_error *err)
{
	if (v[P_BACKUP_START] >= v[P_DURATION] ||
	    v[P_LEAK_START] >= v[P_DURATION])
		return (gen_bad(err, "--backup-start and --leak-start must be "
		    "before --duration"));
	if (gen_pages(v[P_POOL]) > TRACE_PAGES_MAX ||
	    gen_pages(v[P_BACKUP]) > TRACE_PAGES_MAX ||
	    gen_pages(v[P_LEAK]) > TRACE_PAGES_MAX)
		return (gen_bad(err, "--pool, --backup, --leak: at most 2^32 "
		    "pages"));
	return (0);
}

/* The three actors, in the order they win ties. */
enum { A_DB, A_BACKUP, A_LEAK };

static void
dbl_run(const uint64_t *v, struct gen_out *o)
{
	uint64_t pool = gen_pages(v[P_POOL]), backup = gen_pages(v[P_BACKUP]);
	uint64_t leak = gen_pages(v[P_LEAK]), end = v[P_DURATION];
	uint64_t hot = pool * v[P_HOT] / GEN_PPM, slice, nslices, cycle = 0;
	uint64_t bpos = 0, lpos = 0, n, t;
	uint64_t bchunk = gen_pages(v[P_BACKUP_CHUNK]);
	uint64_t lchunk = gen_pages(v[P_LEAK_CHUNK]);
	struct gen_pace bpace, lpace;
	struct gen_sched_ent e;
	struct gen_sched sched;

	slice = pool * v[P_DIRTY] / GEN_PPM;
	if (slice == 0)
		slice = 1;
	nslices = (pool + slice - 1) / slice;
	if (gen_sched_init(&sched, 3) < 0) {
		gen_out_nomem(o, "the scheduler");
		return;
	}
	gen_out_proc(o, 0, DB_PID, "postgres");
	gen_out_map(o, 0, DB_PID, 1, TRACE_OBJ_ANON, pool, NULL);
	gen_out_page(o, 1000000, TRACE_OP_DIRTY, DB_PID, 1, 0, pool);
	gen_sched_push(&sched, v[P_PERIOD], A_DB);
	gen_pace_init(&bpace, v[P_BACKUP_START], v[P_BACKUP_CHUNK] *
	    GEN_NS_PER_S, v[P_BACKUP_RATE]);
	gen_sched_push(&sched, bpace.t, A_BACKUP);
	gen_pace_init(&lpace, v[P_LEAK_START], v[P_LEAK_CHUNK] * GEN_NS_PER_S,
	    v[P_LEAK_RATE]);
	gen_sched_push(&sched, lpace.t, A_LEAK);
	while (!gen_out_failed(o) && gen_sched_pop(&sched, &e)) {
		t = e.time;
		if (t >= end)
			continue;
		switch (e.actor) {
		case A_DB:
			if (hot > 0)
				gen_out_page(o, t, TRACE_OP_FAULT, DB_PID, 1, 0,
				    hot);
			n = (cycle % nslices) * slice;
			gen_out_page(o, t, TRACE_OP_DIRTY, DB_PID, 1, n,
			    pool - n < slice ? pool - n : slice);
			cycle++;
			gen_sched_push(&sched, t + v[P_PERIOD], A_DB);
			break;
		case A_BACKUP:
			if (bpos == 0) {
				gen_out_proc(o, t, BACKUP_PID, "backup");
				gen_out_map(o, t, BACKUP_PID, 2, TRACE_OBJ_FILE,
				    backup, "/backup/base.tar");
			}
			n = backup - bpos < bchunk ? backup - bpos : bchunk;
			gen_out_page(o, t, TRACE_OP_FAULT, BACKUP_PID, 2, bpos,
			    n);
			bpos += n;
			if (bpos < backup)
				gen_sched_push(&sched, gen_pace_step(&bpace),
				    A_BACKUP);
			break;
		case A_LEAK:
			if (lpos == 0) {
				gen_out_proc(o, t, LEAK_PID, "leaky");
				gen_out_map(o, t, LEAK_PID, 3, TRACE_OBJ_ANON,
				    leak, NULL);
			}
			n = leak - lpos < lchunk ? leak - lpos : lchunk;
			gen_out_page(o, t, TRACE_OP_DIRTY, LEAK_PID, 3, lpos,
			    n);
			lpos += n;
			if (lpos < leak)
				gen_sched_push(&sched, gen_pace_step(&lpace),
				    A_LEAK);
			break;
		}
	}
	/* The backup and the leak may not have started before the end. */
	if (bpos > 0)
		gen_out_exit(o, end, BACKUP_PID);
	if (lpos > 0)
		gen_out_exit(o, end, LEAK_PID);
	gen_out_exit(o, end, DB_PID);
	gen_sched_finish(&sched);
}

static const struct gen_impl impl = { dbl_check, dbl_run };

const struct gen_workload gen_db_backup_leak = {
	.name = "db-backup-leak",
	.summary = "the demo: a hot dirty buffer pool, a backup stream, a leak",
	.description =
	    "A database (pid 100) dirties a buffer pool of --pool (object 1)\n"
	    "at 1 ms, then every --period re-reads its first --hot and\n"
	    "re-dirties a rotating slice of --dirty of it.  A backup (pid\n"
	    "200) reads the file --backup (object 2) from --backup-start at\n"
	    "--backup-rate, --backup-chunk per event; a leaking process (pid\n"
	    "300) dirties --leak of anonymous memory (object 3) from\n"
	    "--leak-start at --leak-rate.  All exit at --duration.  There is\n"
	    "no random choice: --seed changes nothing.",
	.params = params,
	.nparams = P_COUNT,
	.impl = &impl,
};
