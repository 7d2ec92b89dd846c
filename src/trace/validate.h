/*
 * validate.h - the semantic rules of a trace, checked one event at a time.
 *
 * Every reader runs a validator unless told not to; a program that
 * produces events itself (an importer, a generator, the simulator reading
 * with no_validate) can run one directly.  Rules (docs/trace-format.md):
 * times never decrease; a pid appears with "proc" before any other event
 * and again only after its "exit"; a mapped object keeps its TYPE and
 * PAGES; a pid maps an object at most once at a time; page ops need a
 * mapping and PINDEX+COUNT <= PAGES; "unmap" needs a mapping; "exit"
 * needs a live pid and drops its mappings; an anonymous object without
 * mappings is destroyed, file and phys objects persist; "swapoff PAGES"
 * removes a device of that size added by the trace's own "swapon".
 *
 * Memory is proportional to the live processes, objects and mappings,
 * with hard caps (TRACE_VALIDATE_*_MAX) beyond which events are refused.
 */
#ifndef PGREPLAY_TRACE_VALIDATE_H
#define PGREPLAY_TRACE_VALIDATE_H

#include <stdint.h>

#include "trace/event.h"
#include "util/pgerr.h"

#define TRACE_VALIDATE_PROCS_MAX (UINT32_C(1) << 20)   /* live processes */
#define TRACE_VALIDATE_OBJECTS_MAX (UINT32_C(1) << 24) /* existing objects */
#define TRACE_VALIDATE_MAPS_MAX (UINT32_C(1) << 24)    /* live mappings */
#define TRACE_VALIDATE_SWAPDEVS_MAX 1024	       /* swap devices */
#define TRACE_VALIDATE_PROCS_TOTAL_MAX (UINT32_C(1) << 22) /* proc events */

struct trace_validator;

/* Totals since creation, for summaries ("pgreplay info"). */
struct trace_validator_stats {
	uint64_t procs;	       /* proc events */
	uint64_t objects;      /* objects created (a map of a new OBJ) */
	uint64_t pages_mapped; /* sum of PAGES over map events */
	uint64_t live_procs;
	uint64_t live_objects;
	uint64_t live_maps;
};

/*
 * trace_validator_create() - an empty validator (no process, no object,
 * no swap device, time 0).  Returns 0 or -ENOMEM; *out is NULL on error.
 */
int trace_validator_create(struct trace_validator **out);

/*
 * trace_validator_check() - check ev against the rules and the events seen
 * so far, then account for it.  Returns 0, or -EINVAL (a rule is broken or
 * a cap is reached) or -ENOMEM with err->msg filled and err->pos_kind
 * PG_POS_NONE: the caller adds the position (trace_reader_where()).  A
 * refused event leaves the state unchanged.
 */
int trace_validator_check(struct trace_validator *v,
    const struct trace_event *ev, struct pg_error *err);

/*
 * trace_validator_pages() - trace_validator_check() of ev[0..n-1], for a
 * decoder's run of page ops: returns how many passed in a row.  The first
 * that did not is left unaccounted for; trace_validator_check() of it
 * gives the error.
 */
size_t trace_validator_pages(struct trace_validator *v,
    const struct trace_event *ev, size_t n);

/* trace_validator_stats() - fill *st with the totals so far. */
void trace_validator_stats(const struct trace_validator *v,
    struct trace_validator_stats *st);

/* trace_validator_destroy() - free v.  v may be NULL. */
void trace_validator_destroy(struct trace_validator *v);

#endif
