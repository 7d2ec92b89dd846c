/*
 * event.h - one decoded trace event, the unit that flows from the trace
 * readers to the simulator.
 *
 * A reader fills a struct trace_event per call; any string it points to
 * (process name, path, mark text) stays valid until the next call on the
 * same reader.  Events are plain data so that one decoded stream can later
 * feed many simulations.
 */
#ifndef PGREPLAY_TRACE_EVENT_H
#define PGREPLAY_TRACE_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum trace_op {
	TRACE_OP_PROC = 0, /* pid, str = name */
	TRACE_OP_EXIT,	   /* pid */
	TRACE_OP_MAP, /* pid, obj, objtype, count = pages, str = path or NULL */
	TRACE_OP_UNMAP,	  /* pid, obj */
	TRACE_OP_FAULT,	  /* pid, obj, pindex, count */
	TRACE_OP_DIRTY,	  /* pid, obj, pindex, count */
	TRACE_OP_FREE,	  /* pid, obj, pindex, count */
	TRACE_OP_WIRE,	  /* pid, obj, pindex, count */
	TRACE_OP_UNWIRE,  /* pid, obj, pindex, count */
	TRACE_OP_SWAPON,  /* count = pages */
	TRACE_OP_SWAPOFF, /* count = pages */
	TRACE_OP_MARK,	  /* str = label (may contain spaces) */
	TRACE_OP_COUNT
};

enum trace_objtype {
	TRACE_OBJ_ANON = 0,
	TRACE_OBJ_FILE,
	TRACE_OBJ_PHYS,
	TRACE_OBJ_COUNT
};

/* Limits every reader enforces, so that no input can drive an allocation. */
#define TRACE_NAME_MAX 255 /* bytes of a name, path or mark text */
/*
 * Notes: trace-wide statements that are not events (what an importer could
 * not know, docs/trace-format.md "Notes").  A trace holds at most this many.
 */
#define TRACE_NOTES_MAX 32
#define TRACE_PAGES_MAX \
	(UINT64_C(1) << 32) /* object size / pindex+count bound */

struct trace_event {
	uint64_t time_ns; /* nanoseconds since trace start; never decreases */
	uint64_t obj;	  /* object id chosen by the trace */
	uint64_t pindex;  /* first page index (page ops) */
	uint64_t count;	  /* pages: range length, map size, swap size */
	uint32_t pid;
	uint8_t op;	 /* enum trace_op */
	uint8_t objtype; /* enum trace_objtype, for TRACE_OP_MAP */
	const char *str; /* NUL-terminated, or NULL; see above */
};

/* The container formats a trace can be stored in (docs/trace-format.md). */
enum trace_format {
	TRACE_FORMAT_TEXT = 0, /* "pgtrace 1" lines, .pgt */
	TRACE_FORMAT_BINARY,   /* the compact binary stream, .pgb */
};

/* trace_op_name() - the text-format name of op ("fault"...), or NULL. */
const char *trace_op_name(unsigned op);

/* trace_objtype_name() - "anon", "file" or "phys", or NULL. */
const char *trace_objtype_name(unsigned type);

/*
 * trace_time_format() - write ns as the shortest exact decimal number of
 * seconds ("0", "1.5", "12.000000123"), the form the text format uses.
 * Writes at most n bytes including the NUL (32 always suffice); returns buf.
 */
char *trace_time_format(uint64_t ns, char *buf, size_t n);

#endif
