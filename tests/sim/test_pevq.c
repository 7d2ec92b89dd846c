/*
 * test_pevq.c - the queue of a waiting process's events (src/sim/pevq.c)
 * and its spill file (src/sim/spill.c): order and contents through the
 * spill, the memory bound, slot reuse, clearing, a failing spill file, and
 * the point of it all (docs/model.md, "Memory bounds"): a process with a
 * backlog of over a million events holds back its own events only, never
 * another process's.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/sim_feed.h"
#include "report/report.h"
#include "sim/sim.h"
#include "sim/sim_int.h"

/*
 * The i-th test event, times increasing: every fourth a one-page event of
 * small values (a one-word record), the others with fields of every
 * length (long records).
 */
static struct sim_pev
nth_event(uint64_t i)
{
	struct sim_pev e;

	memset(&e, 0, sizeof(e));
	e.time_ns = i * 1000 + (i * 7919) % 997;
	e.evno = 2 * i + 1;
	e.op = (uint8_t)(TRACE_OP_FAULT + i % 3);
	e.objtype = (uint8_t)(i % 3);
	e.obj = i % 5 == 0 ? UINT64_MAX - i : i % 17;
	e.pindex = (i * 2654435761u) % (UINT64_C(1) << (i % 40));
	e.count = 1 + i % 300;
	if (i % 4 == 1) {
		e.obj = i % 251;
		e.pindex = (i * 2654435761u) % (UINT64_C(1) << 21);
		e.count = 1;
	}
	return (e);
}

static void
assert_event(const struct sim_pev *got, uint64_t i)
{
	struct sim_pev want = nth_event(i);

	cr_assert_eq(got->time_ns, want.time_ns, "event %ju: time", (uintmax_t)i);
	cr_assert_eq(got->evno, want.evno, "event %ju: evno", (uintmax_t)i);
	cr_assert_eq(got->op, want.op, "event %ju: op", (uintmax_t)i);
	cr_assert_eq(got->objtype, want.objtype, "event %ju", (uintmax_t)i);
	cr_assert_eq(got->obj, want.obj, "event %ju: obj", (uintmax_t)i);
	cr_assert_eq(got->pindex, want.pindex, "event %ju", (uintmax_t)i);
	cr_assert_eq(got->count, want.count, "event %ju", (uintmax_t)i);
}

/*
 * In the long form each field takes the fewest of 1, 2, 4 or 8 bytes
 * that hold it: on both sides of every limit, the record's length and
 * the value read back.  (A count of 2 keeps the record out of the short
 * form.)
 */
Test(pevq, a_field_takes_the_fewest_bytes_that_hold_it)
{
	static const struct {
		uint64_t v;
		uint32_t bytes;
	} lim[] = {
		{ 0, 1 }, { 1, 1 }, { 0xff, 1 }, { 0x100, 2 }, { 0xffff, 2 },
		{ 0x10000, 4 }, { 0xffffffff, 4 }, { UINT64_C(0x100000000), 8 },
		{ UINT64_MAX - 1, 8 },
	};
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev lead, e, got;
	size_t i;

	sim_spill_init(&sp);
	memset(&lead, 0, sizeof(lead));
	lead.op = TRACE_OP_FAULT;
	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		memset(&q, 0, sizeof(q));
		memset(&e, 0, sizeof(e));
		e.op = TRACE_OP_FAULT;
		e.pindex = lim[i].v;
		e.obj = lim[i].v;
		e.count = 2;
		/* The first event of an empty queue is held, not encoded. */
		cr_assert_eq(sim_pevq_push(&q, &sp, &lead), 0);
		cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
		/* Tags, time and number deltas (0), the object, pindex, count. */
		cr_assert_eq(q.len, 3 + 1 + 1 + 2 * lim[i].bytes + 1,
		    "value %#jx: a record of %u bytes", (uintmax_t)lim[i].v,
		    q.len);
		cr_assert_eq(sim_pevq_pop(&q, &sp, &got), 0);
		cr_assert_eq(sim_pevq_pop(&q, &sp, &got), 0);
		cr_assert_eq(got.pindex, lim[i].v);
		cr_assert_eq(got.obj, lim[i].v);
		cr_assert_eq(got.count, 2);
		sim_pevq_free(&q, &sp);
	}
	sim_spill_finish(&sp);
}

/*
 * A one-page event whose time and number deltas, object and page fit
 * 20, 8, 8 and 21 bits is one 8-byte word; one more in any of them, or a
 * second page, and it is a long record.  Each value is read back.
 */
Test(pevq, a_one_page_event_of_small_values_is_one_word)
{
	static const struct {
		uint64_t dt, dn, obj, pindex, count;
		bool word;
	} c[] = {
		{ 0, 1, 0, 0, 1, true },
		{ (1 << 20) - 1, 255, 255, (1 << 21) - 1, 1, true },
		{ 1 << 20, 255, 255, (1 << 21) - 1, 1, false },
		{ (1 << 20) - 1, 256, 255, (1 << 21) - 1, 1, false },
		{ (1 << 20) - 1, 255, 256, (1 << 21) - 1, 1, false },
		{ (1 << 20) - 1, 255, 255, 1 << 21, 1, false },
		{ 5, 3, 7, 9, 2, false },
		{ 5, 3, 7, 9, 0, false },
	};
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev lead, e, got;
	size_t i;

	sim_spill_init(&sp);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&q, 0, sizeof(q));
		memset(&lead, 0, sizeof(lead));
		lead.op = TRACE_OP_FAULT;
		lead.time_ns = 1000000;
		lead.evno = 40;
		e = lead;
		e.op = TRACE_OP_WIRE;
		e.objtype = 2;
		e.time_ns += c[i].dt;
		e.evno += c[i].dn;
		e.obj = c[i].obj;
		e.pindex = c[i].pindex;
		e.count = c[i].count;
		cr_assert_eq(sim_pevq_push(&q, &sp, &lead), 0);
		cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
		/* The form is bit 0 of the record's first byte. */
		cr_assert_eq(q.buf[q.head] & 1, c[i].word ? 1 : 0,
		    "case %zu: %s", i, c[i].word ? "one word" : "long");
		if (c[i].word)
			cr_assert_eq(q.len, 8, "case %zu: one word, not %u "
			    "bytes", i, q.len);
		cr_assert_eq(sim_pevq_pop(&q, &sp, &got), 0);
		cr_assert_eq(sim_pevq_pop(&q, &sp, &got), 0);
		cr_assert_eq(got.time_ns, e.time_ns, "case %zu: time", i);
		cr_assert_eq(got.evno, e.evno, "case %zu: evno", i);
		cr_assert_eq(got.obj, e.obj, "case %zu: obj", i);
		cr_assert_eq(got.pindex, e.pindex, "case %zu: pindex", i);
		cr_assert_eq(got.count, e.count, "case %zu: count", i);
		cr_assert_eq(got.op, TRACE_OP_WIRE, "case %zu: op", i);
		cr_assert_eq(got.objtype, 2, "case %zu: objtype", i);
		sim_pevq_free(&q, &sp);
	}
	sim_spill_finish(&sp);
}

/*
 * An event that finds the queue empty is kept as it is, in no record:
 * the ring stays empty until a second event waits behind it, and the
 * events still come out in order, with the deltas of the records after
 * the held one right.
 */
Test(pevq, the_event_of_an_empty_queue_is_held_as_it_is)
{
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev e;
	uint64_t i, k;

	memset(&q, 0, sizeof(q));
	sim_spill_init(&sp);
	for (i = 0; i < 1000; i += k) {
		/* One event alone, then two and three behind a held one. */
		for (k = 0; k < 1 + i % 3; k++) {
			e = nth_event(i + k);
			cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
			if (k == 0) {
				cr_assert_eq(q.len, 0, "event %ju: no record",
				    (uintmax_t)i);
				cr_assert_eq(q.front_len, PEVQ_FRONT_HELD);
				cr_assert_eq(sim_pevq_front_time(&q),
				    e.time_ns);
			} else
				cr_assert_gt(q.len, 0, "the rest: records");
		}
		for (k = 0; k < 1 + i % 3; k++) {
			cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
			assert_event(&e, i + k);
		}
		cr_assert_eq(q.n, 0);
		cr_assert_eq(q.len, 0);
	}
	sim_pevq_free(&q, &sp);
	sim_spill_finish(&sp);
}

Test(pevq, order_and_contents_survive_the_spill)
{
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev e;
	uint64_t in = 0, out = 0, k;

	memset(&q, 0, sizeof(q));
	sim_spill_init(&sp);
	/* Grow a backlog of 200000 (three in, one out), then drain it. */
	while (in < 200000) {
		for (k = 0; k < 3; k++) {
			e = nth_event(in++);
			cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
		}
		cr_assert_eq(sim_pevq_front_time(&q), nth_event(out).time_ns);
		cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
		assert_event(&e, out++);
		cr_assert_leq(q.cap, PEVQ_RING_MAX, "the ring stays bounded");
	}
	cr_assert_eq(q.n, in - out);
	cr_assert_gt(sp.chunks_out, 100, "the backlog went to the file");
	cr_assert_geq(sp.fd, 0);
	while (q.n > 0) {
		cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
		assert_event(&e, out++);
	}
	cr_assert_eq(out, in);
	cr_assert_eq(sp.nfree, sp.nslots, "every slot came back");
	cr_assert_eq(q.nchunks, 0);
	cr_assert_eq(q.wlen, 0);
	cr_assert_null(q.wbuf, "the chunk buffer goes with the spill");
	/* Empty again: it keeps working, deltas and all. */
	e = nth_event(in);
	cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
	cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
	assert_event(&e, in);
	sim_pevq_free(&q, &sp);
	sim_spill_finish(&sp);
}

Test(pevq, slots_are_reused_so_the_file_holds_the_peak_backlog)
{
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev e;
	uint64_t i, round, base = 0;
	uint32_t slots_after_first = 0;

	memset(&q, 0, sizeof(q));
	sim_spill_init(&sp);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < 50000; i++) {
			e = nth_event(base + i);
			cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
		}
		for (i = 0; i < 50000; i++) {
			cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
			assert_event(&e, base + i);
		}
		base += 50000;
		if (round == 0)
			slots_after_first = sp.nslots;
		cr_assert_eq(sp.nslots, slots_after_first,
		    "round %ju grew the file", (uintmax_t)round);
	}
	cr_assert_gt(slots_after_first, 0);
	sim_pevq_free(&q, &sp);
	sim_spill_finish(&sp);
}

Test(pevq, clear_gives_back_every_slot)
{
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev e;
	uint64_t i;

	memset(&q, 0, sizeof(q));
	sim_spill_init(&sp);
	for (i = 0; i < 30000; i++) {
		e = nth_event(i);
		cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
	}
	cr_assert_gt(q.nchunks, 0);
	sim_pevq_clear(&q, &sp);
	cr_assert_eq(q.n, 0);
	cr_assert_eq(sp.nfree, sp.nslots);
	/* The next event decodes against the last one put in. */
	e = nth_event(30000);
	cr_assert_eq(sim_pevq_push(&q, &sp, &e), 0);
	cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
	assert_event(&e, 30000);
	sim_pevq_free(&q, &sp);
	sim_spill_finish(&sp);
}

Test(pevq, a_spill_file_that_cannot_be_made_fails_the_push_only)
{
	struct sim_pevq q;
	struct sim_spill sp;
	struct sim_pev e;
	uint64_t i, n;
	int rc = 0;

	memset(&q, 0, sizeof(q));
	sim_spill_init(&sp);
	cr_assert_eq(setenv("TMPDIR", "/nonexistent/pgreplay-test", 1), 0);
	for (i = 0; rc == 0; i++) {
		e = nth_event(i);
		rc = sim_pevq_push(&q, &sp, &e);
		cr_assert_lt(i, 100000, "the ring never filled");
	}
	cr_assert_eq(rc, -ENOENT);
	/* The refused event is not queued; the ring's are all there. */
	n = q.n;
	cr_assert_lt(n, i);
	for (i = 0; q.n > 0; i++) {
		cr_assert_eq(sim_pevq_pop(&q, &sp, &e), 0);
		assert_event(&e, i);
	}
	cr_assert_eq(i, n);
	unsetenv("TMPDIR");
	sim_pevq_free(&q, &sp);
	sim_spill_finish(&sp);
}

/* ---- in the simulator ---- */

/* Object 7 is a file, any other anonymous memory. */
static void
feed(struct sim *s, uint8_t op, uint32_t pid, uint64_t t, uint64_t obj,
    uint64_t pindex, uint64_t count)
{
	fx_sim_feed(s, t, op, pid, obj,
	    obj == 7 ? TRACE_OBJ_FILE : TRACE_OBJ_ANON, pindex, count,
	    op == TRACE_OP_PROC ? "p" : NULL);
}

/*
 * Process 1 waits 10 s for a file read at time 0, and its next 1.2 million
 * events (more than the 2^20 a queue held in memory before the spill, when
 * a full queue stopped the reading of the trace) queue behind it.
 * Process 2 (anonymous memory) still runs at its trace times: it exits
 * at 1.5 s, not after process 1 has caught up; and every event of
 * process 1 is replayed.
 */
Test(pevq, a_long_backlog_holds_back_only_its_own_process)
{
	static const char yaml[] =
	    "machine: { memory: 256MiB, swap: 0, kernel_wired: 8MiB }\n"
	    "devices: { file: { latency: 10s } }\n"
	    "sim: { drain: 60s }\n";
	const uint64_t nev = 1200000, ms = 1000000;
	struct sim_options opt = { .check_invariants = false };
	struct report_run run;
	struct pg_config cfg;
	struct pg_error err;
	struct sim *s;
	uint64_t i;

	cr_assert_eq(conf_load_string("test.yaml", yaml, strlen(yaml), &cfg,
	    &err), 0, "%s", err.msg);
	cr_assert_eq(sim_create(&cfg, &opt, &s, &err), 0, "%s", err.msg);
	feed(s, TRACE_OP_PROC, 1, 0, 0, 0, 0);
	feed(s, TRACE_OP_PROC, 2, 0, 0, 0, 0);
	feed(s, TRACE_OP_MAP, 1, 0, 7, 0, 16);
	feed(s, TRACE_OP_MAP, 2, 0, 8, 0, 16);
	feed(s, TRACE_OP_FAULT, 1, 0, 7, 0, 1);
	cr_assert_eq(s->procs[0].block, PB_IO);
	for (i = 0; i < nev; i++)
		feed(s, TRACE_OP_FAULT, 1, ms + i * 1000, 7, 0, 1);
	feed(s, TRACE_OP_FAULT, 2, 1500 * ms, 8, 0, 1);
	feed(s, TRACE_OP_EXIT, 2, 1500 * ms, 0, 0, 0);
	cr_assert(s->procs[1].gone);
	cr_assert_eq(s->procs[1].end_ns, 1500 * ms,
	    "process 2 ran late: %ju", (uintmax_t)s->procs[1].end_ns);
	cr_assert_eq(s->procs[0].q.n, nev, "process 1 holds its backlog");
	cr_assert_leq(s->procs[0].q.cap, PEVQ_RING_MAX);
	cr_assert_gt(s->spill.chunks_out, 0);
	cr_assert_eq(sim_finish(s, &run, &err), 0, "%s", err.msg);
	cr_assert_eq(s->events_unreplayed, 0);
	cr_assert_eq(s->events_dropped, 0);
	cr_assert_eq(s->procs[0].q.n, 0);
	cr_assert_eq(s->spill.nfree, s->spill.nslots);
	report_run_finish(&run);
	sim_destroy(s);
}
