/*
 * test_expect.c - expect bounds with units and as written, and
 * expect_partial (issue 12, points 2 and 7).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static int
load(const char *yaml, struct pg_config *cfg, struct pg_error *err)
{
	pg_error_clear(err);
	return (conf_load_string("t.yaml", yaml, strlen(yaml), cfg, err));
}

static const char *
load_fail(const char *yaml)
{
	static char buf[1200];
	struct pg_config *cfg = malloc(sizeof(*cfg));
	struct pg_error err;
	int r;

	cr_assert_not_null(cfg);
	r = load(yaml, cfg, &err);
	free(cfg);
	cr_assert_neq(r, 0, "accepted: %s", yaml);
	return (pg_error_format(&err, buf, sizeof(buf)));
}

Test(expect_units, durations_in_seconds)
{
	static const char yaml[] =
	    "expect:\n"
	    "  stall_time_s: { max: 2s }\n"
	    "  io_wait_s: { min: 1.5ms, max: 500ms }\n"
	    "  pd_busy_s: { max: 250us }\n"
	    "  end_time_s: { min: 0, max: 2.5 }\n"
	    "  faults: { max: 4000000 }\n";
	struct pg_config *c = malloc(sizeof(*c));
	struct pg_error err;

	cr_assert_not_null(c);
	cr_assert_eq(load(yaml, c, &err), 0, "%s", err.msg);
	cr_assert_eq(c->nexpect, 5);
	cr_assert(c->expect[0].has_max && c->expect[0].max == 2.0);
	cr_assert_str_eq(c->expect[0].max_text, "2s");
	cr_assert(c->expect[1].min == 0.0015 && c->expect[1].max == 0.5);
	cr_assert_str_eq(c->expect[1].min_text, "1.5ms");
	cr_assert_str_eq(c->expect[1].max_text, "500ms");
	cr_assert(c->expect[2].max == 0.00025);
	cr_assert(c->expect[3].max == 2.5);
	cr_assert_str_eq(c->expect[3].min_text, "0");
	cr_assert_str_eq(c->expect[4].max_text, "4000000");
	cr_assert(c->expect[4].max == 4e6);
	cr_assert(!c->expect_partial);
	free(c);
}

Test(expect_units, errors)
{
	cr_assert_str_eq(load_fail("expect:\n  faults: { max: 2s }\n"),
	    "t.yaml:2: key 'expect.faults.max': expected a number, got \"2s\" "
	    "(a duration only bounds a statistic in seconds, named ..._s)");
	cr_assert_str_eq(load_fail("expect:\n  stall_time_s: { max: 2h }\n"),
	    "t.yaml:2: key 'expect.stall_time_s.max': expected a number, got "
	    "\"2h\" (or a duration in ns, us, ms or s)");
	cr_assert_str_eq(load_fail("expect:\n  stall_time_s: { max: two }\n"),
	    "t.yaml:2: key 'expect.stall_time_s.max': expected a number, got "
	    "\"two\"");
	cr_assert_str_eq(load_fail("expect:\n  stall_time_s: { min: 2s, "
	    "max: 500ms }\n"),
	    "t.yaml:2: key 'expect.stall_time_s': min 2s is greater than max "
	    "500ms");
}

Test(expect_partial, parsed)
{
	struct pg_config *c = malloc(sizeof(*c));
	struct pg_error err;

	cr_assert_not_null(c);
	cr_assert_eq(load("expect_partial: true\n", c, &err), 0, "%s",
	    err.msg);
	cr_assert(c->expect_partial);
	cr_assert_eq(load("expect_partial: false\n", c, &err), 0);
	cr_assert(!c->expect_partial);
	free(c);
	cr_assert_str_eq(load_fail("expect_partial: maybe\n"),
	    "t.yaml:1: key 'expect_partial': expected true or false, got "
	    "\"maybe\"");
	cr_assert_str_eq(load_fail("expect_partial: [1]\n"),
	    "t.yaml:1: key 'expect_partial': expected true or false, got "
	    "a list");
	cr_assert_str_eq(load_fail("expect_partal: true\n"),
	    "t.yaml:1: unknown key 'expect_partal' (did you mean "
	    "'expect_partial'?)");
}
