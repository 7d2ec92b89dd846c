/*
 * sim_feed.h - feed one trace event to a simulator in a test, asserting
 * that it is taken (header only: tests/sim and tests/fidelity use it).
 */
#ifndef PGREPLAY_TESTS_LIB_SIM_FEED_H
#define PGREPLAY_TESTS_LIB_SIM_FEED_H

#include <criterion/criterion.h>

#include <string.h>

#include "sim/sim.h"
#include "trace/event.h"

static inline void
fx_sim_feed(struct sim *s, uint64_t t, uint8_t op, uint32_t pid,
    uint64_t obj, uint8_t objtype, uint64_t pindex, uint64_t count,
    const char *str)
{
	struct trace_event ev;
	struct pg_error err;
	int error;

	memset(&ev, 0, sizeof(ev));
	ev.time_ns = t;
	ev.op = op;
	ev.pid = pid;
	ev.obj = obj;
	ev.pindex = pindex;
	ev.count = count;
	ev.objtype = objtype;
	ev.str = str;
	error = sim_feed(s, &ev, &err);
	cr_assert_eq(error, 0, "sim_feed: %s", err.msg);
}

#endif
