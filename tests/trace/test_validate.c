/*
 * test_validate.c - the semantic rules, through the reader (which runs
 * the validator by default) and through the validator alone.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "helpers.h"
#include "trace/validate.h"

#define HDR "pgtrace 1\n"

static void
expect_error(const char *text, const char *want)
{
	char buf[1024];

	cr_expect_str_eq(text_error(text, buf, sizeof(buf)), want);
}

static void
expect_ok(const char *text)
{
	char buf[1024];

	cr_expect_str_eq(text_error(text, buf, sizeof(buf)), "");
}

Test(validate, proc_rules)
{
	expect_error(HDR "0 proc 1 a\n0 proc 1 b\n",
	    "mem:3: pid 1 is already "
	    "running: a second proc before its exit");
	expect_ok(HDR "0 proc 1 a\n1 exit 1\n2 proc 1 b\n3 exit 1\n");
	expect_error(HDR "0 map 1 1 anon 1\n",
	    "mem:2: pid 1 is not running: "
	    "a proc event must come first (and none since its exit)");
	expect_error(HDR "0 proc 1 a\n0 exit 1\n0 exit 1\n",
	    "mem:4: pid 1 is "
	    "not running: a proc event must come first (and none since its "
	    "exit)");
	expect_error(HDR "0 proc 1 a\n0 map 1 1 anon 4\n1 exit 1\n"
			 "2 fault 1 1 0\n",
	    "mem:5: pid 1 is not running: a proc event "
	    "must come first (and none since its exit)");
}

Test(validate, map_rules)
{
	expect_error(HDR "0 proc 1 a\n0 proc 2 b\n0 map 1 9 anon 4\n"
			 "0 map 2 9 file 4\n",
	    "mem:5: object 9 is anon of 4 pages, not "
	    "file of 4 pages: every map of an object must agree");
	expect_error(HDR "0 proc 1 a\n0 proc 2 b\n0 map 1 9 anon 4\n"
			 "0 map 2 9 anon 5\n",
	    "mem:5: object 9 is anon of 4 pages, not "
	    "anon of 5 pages: every map of an object must agree");
	expect_error(HDR "0 proc 1 a\n0 map 1 9 anon 4\n0 map 1 9 anon 4\n",
	    "mem:4: pid 1 already maps object 9");
	expect_ok(HDR "0 proc 1 a\n0 proc 2 b\n0 map 1 9 anon 4\n"
		      "0 map 2 9 anon 4\n0 fault 2 9 3\n");
}

Test(validate, anon_destroyed_file_persists)
{
	/* The anonymous object is gone once unmapped: a new one may differ. */
	expect_ok(HDR "0 proc 1 a\n0 map 1 9 anon 4\n1 unmap 1 9\n"
		      "2 map 1 9 anon 8\n");
	expect_ok(HDR "0 proc 1 a\n0 map 1 9 anon 4\n1 exit 1\n"
		      "2 proc 2 b\n2 map 2 9 file 1\n");
	/* A file object stays cached: later maps must agree with it. */
	expect_error(HDR "0 proc 1 a\n0 map 1 9 file 4\n1 unmap 1 9\n"
			 "2 map 1 9 file 8\n",
	    "mem:5: object 9 is file of 4 pages, not "
	    "file of 8 pages: every map of an object must agree");
	expect_error(HDR "0 proc 1 a\n0 map 1 9 phys 4\n1 exit 1\n"
			 "2 proc 1 a\n2 map 1 9 anon 4\n",
	    "mem:6: object 9 is phys of 4 "
	    "pages, not anon of 4 pages: every map of an object must agree");
	/* Still shared while another process maps it. */
	expect_error(HDR
	    "0 proc 1 a\n0 proc 2 b\n0 map 1 9 anon 4\n"
	    "0 map 2 9 anon 4\n1 exit 1\n2 proc 3 c\n2 map 3 9 anon 5\n",
	    "mem:8: object 9 is anon of 4 pages, not anon of 5 pages: every "
	    "map of an object must agree");
}

Test(validate, page_ops)
{
	expect_error(HDR "0 proc 1 a\n0 fault 1 9 0\n",
	    "mem:3: pid 1 has not "
	    "mapped object 9");
	expect_error(HDR "0 proc 1 a\n0 proc 2 b\n0 map 1 9 anon 4\n"
			 "0 dirty 2 9 0\n",
	    "mem:5: pid 2 has not mapped object 9");
	expect_error(HDR "0 proc 1 a\n0 map 1 9 anon 4\n0 fault 1 9 4\n",
	    "mem:4: PINDEX 4 is beyond object 9's 4 pages");
	expect_error(HDR "0 proc 1 a\n0 map 1 9 anon 4\n0 wire 1 9 2 3\n",
	    "mem:4: PINDEX+COUNT 5 exceeds object 9's 4 pages");
	expect_ok(HDR "0 proc 1 a\n0 map 1 9 anon 4\n0 free 1 9 0 4\n"
		      "0 unwire 1 9 3\n");
	expect_error(HDR "0 proc 1 a\n0 map 1 9 anon 4\n0 unmap 1 9\n"
			 "0 fault 1 9 0\n",
	    "mem:5: pid 1 has not mapped object 9");
	expect_error(HDR "0 proc 1 a\n0 unmap 1 9\n",
	    "mem:3: unmap: pid 1 has "
	    "not mapped object 9");
}

Test(validate, swap)
{
	expect_ok(HDR "0 swapon 10\n0 swapon 20\n1 swapoff 10\n2 swapoff 20\n");
	expect_error(HDR "0 swapon 10\n1 swapoff 20\n",
	    "mem:3: swapoff 20: no "
	    "swap device of 20 pages added by swapon is active (a trace can "
	    "only remove swap it added)");
	expect_error(HDR "0 swapon 10\n1 swapoff 10\n1 swapoff 10\n",
	    "mem:4: "
	    "swapoff 10: no swap device of 10 pages added by swapon is active "
	    "(a trace can only remove swap it added)");
}

Test(validate, direct_use_and_stats)
{
	struct trace_validator *v;
	struct trace_validator_stats st;
	struct trace_event ev = { 0 };
	struct pg_error err;

	cr_assert_eq(trace_validator_create(&v), 0);
	ev.op = TRACE_OP_PROC;
	ev.pid = 5;
	ev.str = "x";
	cr_expect_eq(trace_validator_check(v, &ev, &err), 0);
	ev.op = TRACE_OP_MAP;
	ev.obj = 1;
	ev.count = 10;
	ev.str = NULL;
	cr_expect_eq(trace_validator_check(v, &ev, &err), 0);
	ev.time_ns = 5;
	ev.op = TRACE_OP_FAULT;
	ev.pindex = 9;
	ev.count = 1;
	cr_expect_eq(trace_validator_check(v, &ev, &err), 0);
	ev.time_ns = 4;
	cr_expect_eq(trace_validator_check(v, &ev, &err), -EINVAL);
	cr_expect_str_eq(err.msg,
	    "time 0.000000004 goes backwards: the "
	    "previous event is at 0.000000005");
	cr_expect_eq(err.pos_kind, PG_POS_NONE, "the caller adds the position");
	ev.time_ns = 6;
	ev.count = 0;
	cr_expect_eq(trace_validator_check(v, &ev, &err), -EINVAL,
	    "count 0 is refused");
	trace_validator_stats(v, &st);
	cr_expect_eq(st.procs, 1);
	cr_expect_eq(st.objects, 1);
	cr_expect_eq(st.pages_mapped, 10);
	cr_expect_eq(st.live_maps, 1);
	ev.op = TRACE_OP_EXIT;
	cr_expect_eq(trace_validator_check(v, &ev, &err), 0);
	trace_validator_stats(v, &st);
	cr_expect_eq(st.live_procs, 0);
	cr_expect_eq(st.live_maps, 0);
	cr_expect_eq(st.live_objects, 0, "the anon object died with its map");
	trace_validator_destroy(v);
	trace_validator_destroy(NULL);
}

/*
 * Many processes come and go, each with several mappings: the tables must
 * shrink back (memory follows the live set) and stay consistent through
 * backward-shift deletions.
 */
Test(validate, churn_keeps_tables_consistent)
{
	struct trace_validator *v;
	struct trace_validator_stats st;
	struct trace_event ev = { 0 };
	struct pg_error err;
	uint32_t pid, k;
	uint64_t seed = 42;

	cr_assert_eq(trace_validator_create(&v), 0);
	for (pid = 1; pid <= 20000; pid++) {
		ev.op = TRACE_OP_PROC;
		ev.pid = pid;
		ev.str = "p";
		cr_assert_eq(trace_validator_check(v, &ev, &err), 0, "%s",
		    err.msg);
		ev.str = NULL;
		for (k = 0; k < 4; k++) {
			ev.op = TRACE_OP_MAP;
			ev.obj = (uint64_t)pid * 8 + k;
			ev.objtype = TRACE_OBJ_ANON;
			ev.count = 16;
			cr_assert_eq(trace_validator_check(v, &ev, &err), 0,
			    "%s", err.msg);
		}
		ev.op = TRACE_OP_UNMAP;
		ev.obj = (uint64_t)pid * 8 + rnd(&seed) % 4;
		cr_assert_eq(trace_validator_check(v, &ev, &err), 0, "%s",
		    err.msg);
		if (pid > 100) {
			/* Exit an older process, keeping ~100 alive. */
			ev.op = TRACE_OP_EXIT;
			ev.pid = pid - 100;
			cr_assert_eq(trace_validator_check(v, &ev, &err), 0,
			    "%s", err.msg);
		}
	}
	trace_validator_stats(v, &st);
	cr_expect_eq(st.live_procs, 100);
	cr_expect_eq(st.live_maps, 300);
	cr_expect_eq(st.live_objects, 300);
	cr_expect_eq(st.procs, 20000);
	/* Every surviving mapping is still found. */
	for (pid = 19901; pid <= 20000; pid++) {
		unsigned found = 0;

		for (k = 0; k < 4; k++) {
			ev.op = TRACE_OP_FAULT;
			ev.pid = pid;
			ev.obj = (uint64_t)pid * 8 + k;
			ev.pindex = 15;
			ev.count = 1;
			found += trace_validator_check(v, &ev, &err) == 0;
		}
		cr_expect_eq(found, 3, "pid %u", pid);
	}
	trace_validator_destroy(v);
}

/* A page op of pid on object obj at pindex, at time t. */
static struct trace_event
page_op(uint32_t pid, uint64_t obj, uint64_t pindex, uint64_t t)
{
	return ((struct trace_event) { .op = TRACE_OP_FAULT, .pid = pid,
	    .obj = obj, .pindex = pindex, .count = 1, .time_ns = t });
}

/*
 * The validator keeps the mappings page ops found in a small cache: more
 * streams than it has entries, interleaved, must each be checked against
 * their own mapping, and an unmap or a map of another size must not leave
 * the old one behind.  Process k maps object 1000 + k of k pages;
 * process 1 also maps object 3000 + k of k pages.
 */
Test(validate, mapping_cache_keeps_each_stream_its_own_mapping)
{
	enum { N = 300 };
	struct trace_validator *v;
	struct trace_event ev = { 0 }, ops[2 * N];
	struct pg_error err;
	uint32_t k;

	cr_assert_eq(trace_validator_create(&v), 0);
	for (k = 1; k <= N; k++) {
		ev = (struct trace_event) { .op = TRACE_OP_PROC, .pid = k,
			.str = "p" };
		cr_assert_eq(trace_validator_check(v, &ev, &err), 0);
		ev = (struct trace_event) { .op = TRACE_OP_MAP, .pid = k,
			.obj = 1000 + k, .count = k };
		cr_assert_eq(trace_validator_check(v, &ev, &err), 0);
	}
	for (k = 1; k <= N; k++) {
		ev = (struct trace_event) { .op = TRACE_OP_MAP, .pid = 1,
			.obj = 3000 + k, .count = k };
		cr_assert_eq(trace_validator_check(v, &ev, &err), 0);
	}
	/* Twice round: the second finds every stream in the cache or not. */
	for (int round = 0; round < 2; round++) {
		for (k = 1; k <= N; k++) {
			ops[2 * k - 2] = page_op(k, 1000 + k, k - 1, 1);
			ops[2 * k - 1] = page_op(1, 3000 + k, k - 1, 1);
		}
		cr_expect_eq(trace_validator_pages(v, ops, 2 * N), 2 * N);
	}
	for (k = 1; k <= N; k++) {
		ev = page_op(k, 1000 + k, k, 2);
		cr_expect_eq(trace_validator_pages(v, &ev, 1), 0,
		    "object %u has %u pages", 1000 + k, k);
		ev = page_op(1, 3000 + k, k, 2);
		cr_expect_eq(trace_validator_pages(v, &ev, 1), 0,
		    "object %u has %u pages", 3000 + k, k);
		ev = page_op(1, 3000 + k, k - 1, 2);
		cr_expect_eq(trace_validator_pages(v, &ev, 1), 1);
	}

	/* Object 1001 is in the cache, but for process 1 only. */
	ev = page_op(1, 1001, 0, 2);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 1);
	ev = page_op(2, 1001, 0, 2);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 0);
	cr_expect_eq(trace_validator_check(v, &ev, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "pid 2 has not mapped object 1001");

	/* In the cache, then unmapped. */
	ev = page_op(150, 1150, 0, 3);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 1);
	ev = (struct trace_event) { .op = TRACE_OP_UNMAP, .pid = 150,
		.obj = 1150, .time_ns = 3 };
	cr_assert_eq(trace_validator_check(v, &ev, &err), 0);
	ev = page_op(150, 1150, 0, 3);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 0);
	cr_expect_eq(trace_validator_check(v, &ev, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "pid 150 has not mapped object 1150");

	ev = (struct trace_event) { .op = TRACE_OP_MAP, .pid = 150,
		.obj = 1150, .count = 2, .time_ns = 3 };
	cr_assert_eq(trace_validator_check(v, &ev, &err), 0, "%s", err.msg);
	ev = page_op(150, 1150, 1, 3);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 1);
	ev = page_op(150, 1150, 2, 3);
	cr_expect_eq(trace_validator_pages(v, &ev, 1), 0);
	cr_expect_eq(trace_validator_check(v, &ev, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "PINDEX 2 is beyond object 1150's 2 pages");
	trace_validator_destroy(v);
}
