/*
 * test_text.c - the text reader: every op, time parsing, syntax errors.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#define HDR "pgtrace 1\n"
#define PROC "0 proc 7 cc\n"
#define MAP "0 map 7 3 anon 100\n"

static struct tev *
one_event(const char *text, size_t *n)
{
	struct pg_error err;
	struct tev *evs;
	char buf[1024];
	int rc;

	rc = read_text(text, &evs, n, &err);
	cr_assert_eq(rc, 0, "unexpected error: %s",
	    pg_error_format(&err, buf, sizeof(buf)));
	return evs;
}

Test(text, every_op)
{
	static const char text[] = HDR "# comment line\n"
				       "\n"
				       "0 proc 7 cc   # trailing comment\n"
				       "0\tmap\t7 3 anon 100\n"
				       "0 map 7 4 file 8 /lib/libc.so\n"
				       "0 map 7 5 phys 2\n"
				       "1 fault 7 3 5\n"
				       "1 dirty 7 3 6 4\n"
				       "1 free 7 3 0 100\n"
				       "2 wire 7 4 1 2\n"
				       "2 unwire 7 4 1 2\n"
				       "3 swapon 1024\n"
				       "3 swapoff 1024\n"
				       "3 mark  phase  two\t \n"
				       "4 unmap 7 5\n"
				       "5 exit 7\n";
	size_t n;
	struct tev *e = one_event(text, &n);

	cr_assert_eq(n, 14);
	cr_expect_eq(e[0].ev.op, TRACE_OP_PROC);
	cr_expect_eq(e[0].ev.pid, 7);
	cr_expect_str_eq(e[0].str, "cc");
	cr_expect_eq(e[1].ev.op, TRACE_OP_MAP);
	cr_expect_eq(e[1].ev.obj, 3);
	cr_expect_eq(e[1].ev.objtype, TRACE_OBJ_ANON);
	cr_expect_eq(e[1].ev.count, 100);
	cr_expect_not(e[1].has_str);
	cr_expect_eq(e[2].ev.objtype, TRACE_OBJ_FILE);
	cr_expect_str_eq(e[2].str, "/lib/libc.so");
	cr_expect_eq(e[3].ev.objtype, TRACE_OBJ_PHYS);
	cr_expect_eq(e[4].ev.op, TRACE_OP_FAULT);
	cr_expect_eq(e[4].ev.pindex, 5);
	cr_expect_eq(e[4].ev.count, 1, "COUNT defaults to 1");
	cr_expect_eq(e[4].ev.time_ns, 1000000000);
	cr_expect_eq(e[5].ev.op, TRACE_OP_DIRTY);
	cr_expect_eq(e[5].ev.count, 4);
	cr_expect_eq(e[6].ev.op, TRACE_OP_FREE);
	cr_expect_eq(e[7].ev.op, TRACE_OP_WIRE);
	cr_expect_eq(e[8].ev.op, TRACE_OP_UNWIRE);
	cr_expect_eq(e[9].ev.op, TRACE_OP_SWAPON);
	cr_expect_eq(e[9].ev.count, 1024);
	cr_expect_eq(e[10].ev.op, TRACE_OP_SWAPOFF);
	cr_expect_eq(e[11].ev.op, TRACE_OP_MARK);
	cr_expect_str_eq(e[11].str, "phase  two",
	    "inner blanks kept, ends trimmed");
	cr_expect_eq(e[12].ev.op, TRACE_OP_UNMAP);
	cr_expect_eq(e[13].ev.op, TRACE_OP_EXIT);
	free(e);
}

Test(text, crlf_and_no_final_newline)
{
	size_t n;
	struct tev *e =
	    one_event("# c\r\npgtrace 1\r\n0 proc 1 a\r\n1 exit 1", &n);

	cr_assert_eq(n, 2);
	cr_expect_str_eq(e[0].str, "a");
	cr_expect_eq(e[1].ev.time_ns, 1000000000);
	free(e);
}

static uint64_t
time_of(const char *t)
{
	char text[256];
	size_t n;
	struct tev *e;
	uint64_t ns;

	snprintf(text, sizeof(text), HDR "%s mark x\n", t);
	e = one_event(text, &n);
	cr_assert_eq(n, 1);
	ns = e[0].ev.time_ns;
	free(e);
	return ns;
}

Test(text, time_parsing)
{
	cr_expect_eq(time_of("0"), 0);
	cr_expect_eq(time_of("1.5"), 1500000000);
	cr_expect_eq(time_of("12.000000123"), 12000000123u);
	cr_expect_eq(time_of("0.000000001"), 1);
	cr_expect_eq(time_of("007.25"), 7250000000u);
	cr_expect_eq(time_of("18446744073.709551615"), UINT64_MAX,
	    "the largest time is exact");
}

static void
expect_error(const char *text, const char *want)
{
	char buf[1024];

	cr_expect_str_eq(text_error(text, buf, sizeof(buf)), want);
}

Test(text, time_errors)
{
	expect_error(HDR "1.0000000001 mark x\n",
	    "mem:2: bad TIME "
	    "\"1.0000000001\": more than 9 fractional digits (nanoseconds "
	    "are the unit)");
	expect_error(HDR "18446744073.709551616 mark x\n",
	    "mem:2: bad TIME "
	    "\"18446744073.709551616\": expected at most "
	    "18446744073.709551615 seconds");
	expect_error(HDR "99999999999999999999999 mark x\n",
	    "mem:2: bad TIME "
	    "\"99999999999999999999999\": expected at most "
	    "18446744073.709551615 seconds");
	expect_error(HDR "1. mark x\n",
	    "mem:2: bad TIME \"1.\": expected "
	    "seconds as an integer or a decimal with at most 9 fractional "
	    "digits");
	expect_error(HDR ".5 mark x\n",
	    "mem:2: bad TIME \".5\": expected "
	    "seconds as an integer or a decimal with at most 9 fractional "
	    "digits");
	expect_error(HDR "-1 mark x\n",
	    "mem:2: bad TIME \"-1\": expected "
	    "seconds as an integer or a decimal with at most 9 fractional "
	    "digits");
	expect_error(HDR "1e3 mark x\n",
	    "mem:2: bad TIME \"1e3\": expected "
	    "seconds as an integer or a decimal with at most 9 fractional "
	    "digits");
	expect_error(HDR "2 mark x\n1.999999999 mark y\n",
	    "mem:3: time "
	    "1.999999999 goes backwards: the previous event is at 2");
}

Test(text, syntax_errors)
{
	expect_error(HDR PROC MAP "0 fault 7 3 12x\n",
	    "mem:4: bad PINDEX "
	    "\"12x\": expected an unsigned integer");
	expect_error(HDR "0 frobnicate 1\n",
	    "mem:2: unknown op \"frobnicate\": "
	    "expected proc, exit, map, unmap, fault, dirty, free, wire, "
	    "unwire, swapon, swapoff or mark");
	expect_error(HDR PROC MAP "0 fault 7 3\n",
	    "mem:4: missing PINDEX: "
	    "expected \"fault PID OBJ PINDEX [COUNT]\"");
	expect_error(HDR PROC MAP "0 fault 7 3 1 2 3\n",
	    "mem:4: too many "
	    "fields: expected \"fault PID OBJ PINDEX [COUNT]\"");
	expect_error(HDR PROC MAP "0 fault 7 3 1 0\n",
	    "mem:4: bad COUNT "
	    "\"0\": expected at least 1");
	expect_error(HDR "0 proc 4294967296 x\n",
	    "mem:2: bad PID "
	    "\"4294967296\": expected at most 4294967295");
	expect_error(HDR PROC "0 map 7 3 anonymous 1\n",
	    "mem:3: bad TYPE "
	    "\"anonymous\": expected anon, file or phys");
	expect_error(HDR PROC "0 map 7 3 anon 4294967297\n",
	    "mem:3: bad PAGES "
	    "\"4294967297\": expected at most 4294967296");
	expect_error(HDR "0 swapon 0\n",
	    "mem:2: bad PAGES \"0\": expected at "
	    "least 1");
	expect_error(HDR "0 mark   # only a comment\n",
	    "mem:2: missing TEXT: "
	    "expected \"mark TEXT...\"");
	expect_error(HDR "0\n",
	    "mem:2: missing op: expected \"TIME OP "
	    "ARGS...\"");
	expect_error(HDR "0 proc\n",
	    "mem:2: missing PID: expected \"proc PID "
	    "NAME\"");
}

Test(text, header_errors)
{
	expect_error("",
	    "mem:1: missing header: the trace ends before "
	    "\"pgtrace 1\"");
	expect_error("# only comments\n\n",
	    "mem:2: missing header: the trace "
	    "ends before \"pgtrace 1\"");
	expect_error("0 proc 1 a\n",
	    "mem:1: missing header: expected "
	    "\"pgtrace 1\" as the first line that is not a comment");
	expect_error("pgtrace 2\n",
	    "mem:1: unsupported header \"pgtrace 2\": "
	    "this pgreplay reads \"pgtrace 1\"");
	expect_error("pgtrace 1 extra\n",
	    "mem:1: unsupported header "
	    "\"pgtrace 1 ...\": this pgreplay reads \"pgtrace 1\"");
}

Test(text, long_lines)
{
	char *text, buf[1024];
	size_t i;

	/* A line of exactly the limit is fine; one byte more is refused. */
	text = malloc(20000);
	cr_assert_not_null(text);
	strcpy(text, HDR "0 mark x #");
	for (i = strlen(text); i < strlen(HDR) + 4096; i++)
		text[i] = 'y';
	text[i] = '\0';
	cr_expect_str_eq(text_error(text, buf, sizeof(buf)), "",
	    "a 4096-byte line is accepted");
	strcat(text, "z\n");
	cr_expect_str_eq(text_error(text, buf, sizeof(buf)),
	    "mem:2: line too "
	    "long: more than 4096 bytes");
	free(text);
}

Test(text, where_reports_last_event_line)
{
	static const char text[] = HDR "\n# x\n0 proc 1 a\n\n1 exit 1\n";
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;

	cr_assert_eq(
	    trace_reader_open_mem(text, strlen(text), "t.pgt", NULL, &r, &err),
	    0);
	cr_assert_eq(trace_reader_next(r, &ev, &err), 1);
	memset(&err, 0, sizeof(err));
	trace_reader_where(r, &err);
	cr_expect_str_eq(err.file, "t.pgt");
	cr_expect_eq(err.pos_kind, PG_POS_LINE);
	cr_expect_eq(err.pos, 4);
	cr_assert_eq(trace_reader_next(r, &ev, &err), 1);
	trace_reader_where(r, &err);
	cr_expect_eq(err.pos, 6);
	cr_expect_eq(err.event, 2);
	cr_expect_eq(trace_reader_next(r, &ev, &err), 0);
	cr_expect_eq(trace_reader_next(r, &ev, &err), 0, "end is sticky");
	cr_expect_eq(trace_reader_events(r), 2);
	trace_reader_close(r);
}

Test(text, error_is_sticky)
{
	static const char text[] = HDR "0 bogus\n0 proc 1 a\n";
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;

	cr_assert_eq(
	    trace_reader_open_mem(text, strlen(text), "t", NULL, &r, &err), 0);
	cr_expect_lt(trace_reader_next(r, &ev, &err), 0);
	memset(&err, 0, sizeof(err));
	cr_expect_lt(trace_reader_next(r, &ev, &err), 0);
	cr_expect_eq(err.pos, 2, "the same error again");
	trace_reader_close(r);
}

Test(text, time_format)
{
	char buf[32];

	cr_expect_str_eq(trace_time_format(0, buf, sizeof(buf)), "0");
	cr_expect_str_eq(trace_time_format(1500000000, buf, sizeof(buf)),
	    "1.5");
	cr_expect_str_eq(trace_time_format(12000000123u, buf, sizeof(buf)),
	    "12.000000123");
	cr_expect_str_eq(trace_time_format(UINT64_MAX, buf, sizeof(buf)),
	    "18446744073.709551615");
	cr_expect_str_eq(trace_op_name(TRACE_OP_UNWIRE), "unwire");
	cr_expect_null(trace_op_name(TRACE_OP_COUNT));
	cr_expect_str_eq(trace_objtype_name(TRACE_OBJ_PHYS), "phys");
	cr_expect_null(trace_objtype_name(TRACE_OBJ_COUNT));
}
