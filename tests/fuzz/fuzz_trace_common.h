/*
 * fuzz_trace_common.h - read a whole trace from memory and check the
 * reader's promises, for the trace fuzz targets.
 */
#ifndef PGREPLAY_TESTS_FUZZ_TRACE_COMMON_H
#define PGREPLAY_TESTS_FUZZ_TRACE_COMMON_H

#include <string.h>

#include "fuzz.h"
#include "trace/event.h"
#include "trace/reader.h"

/*
 * fuzz_read_trace() - open the len bytes at buf as a trace and read it to
 * the end or the first error, checking on the way that every event is
 * within the documented limits, that times never decrease and that an
 * error always comes with a message.  With validate, the semantic rules
 * of validate.h run too.
 */
static inline void
fuzz_read_trace(const void *buf, size_t len, bool validate)
{
	struct trace_reader_opts o = { .no_validate = !validate };
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	uint64_t last = 0, n = 0;
	int rc;

	pg_error_clear(&err);
	if (trace_reader_open_mem(buf, len, "fuzz", &o, &r, &err) < 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		FUZZ_ASSERT(r == NULL);
		return;
	}
	while ((rc = trace_reader_next(r, &ev, &err)) == 1) {
		FUZZ_ASSERT(ev.op < TRACE_OP_COUNT);
		FUZZ_ASSERT(ev.time_ns >= last);
		last = ev.time_ns;
		if (ev.str != NULL)
			FUZZ_ASSERT(strlen(ev.str) <= TRACE_NAME_MAX);
		if (ev.op == TRACE_OP_MAP)
			FUZZ_ASSERT(ev.objtype < TRACE_OBJ_COUNT);
		if (ev.op >= TRACE_OP_FAULT && ev.op <= TRACE_OP_UNWIRE) {
			FUZZ_ASSERT(ev.count >= 1);
			FUZZ_ASSERT(ev.count <= TRACE_PAGES_MAX);
			FUZZ_ASSERT(ev.pindex <= TRACE_PAGES_MAX - ev.count);
		}
		n++;
	}
	/*
	 * The count includes an event that was decoded but refused by the
	 * validator: it is the event number the error names.
	 */
	FUZZ_ASSERT(trace_reader_events(r) == n ||
	    (rc < 0 && trace_reader_events(r) == n + 1));
	if (rc < 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		/* The reader stays failed. */
		FUZZ_ASSERT(trace_reader_next(r, &ev, &err) < 0);
	} else {
		FUZZ_ASSERT(trace_reader_next(r, &ev, &err) == 0);
	}
	trace_reader_close(r);
}

#endif
