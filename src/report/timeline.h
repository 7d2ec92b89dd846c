/*
 * timeline.h - per-interval series of a run (`--timeline`, docs/report.md
 * "Timeline"): plain data the simulator fills row by row, bounded in
 * memory, and its CSV and JSON renderings.
 *
 * A row covers the half-open interval [start, end) of simulated time:
 * gauges (free, queues, swap in use, PID output) are the state at `end`
 * before anything scheduled at `end` happened; counts (freed, laundered,
 * swapped, stall time, OOM kills) are what happened within the interval.
 * Rows end at whole multiples of the interval, except the last one of a
 * run, which ends when the run does.
 */
#ifndef PGREPLAY_REPORT_TIMELINE_H
#define PGREPLAY_REPORT_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/pgerr.h"

struct report;

/*
 * The series, in output order: X(name, is_count, unit, description).
 * A gauge is a value at the end of its interval; a count is a total
 * within the interval.  stall_s is stored in nanoseconds.
 */
#define REPORT_SERIES(X) \
	X(free, 0, "pages", "free pages") \
	X(active, 0, "pages", "pages on the active queue") \
	X(inactive, 0, "pages", "pages on the inactive queue") \
	X(laundry, 0, "pages", "pages on the laundry queue") \
	X(unswappable, 0, "pages", "pages on the unswappable queue") \
	X(wired, 0, "pages", "pages neither free nor on a paging queue") \
	X(swap_used, 0, "pages", "swap blocks in use") \
	X(freed, 1, "pages", "pages freed by the page daemon and laundry") \
	X(laundered, 1, "pages", "pages laundered (background and shortfall)") \
	X(swapped_out, 1, "pages", "pages written to swap") \
	X(swapped_in, 1, "pages", "pages read from swap") \
	X(pid_output, 0, "pages", "page daemon PID controller output") \
	X(stall_s, 1, "s", "time processes spent stalled for memory") \
	X(oom_kills, 1, "kills", "processes killed by the OOM killer")

enum report_series {
#define REPORT_SERIES_ENUM(name, count, unit, descr) REPORT_SERIES_##name,
	REPORT_SERIES(REPORT_SERIES_ENUM)
#undef REPORT_SERIES_ENUM
	REPORT_SERIES_COUNT
};

/* Rows one run keeps at most (about 1 MiB); see report_timeline_push(). */
#define REPORT_TIMELINE_MAX_ROWS 8192
/* `mark` events one run keeps at most; later ones are only counted. */
#define REPORT_TIMELINE_MAX_MARKS 1024

struct report_timeline_row {
	uint64_t end_ns;
	int64_t v[REPORT_SERIES_COUNT];
};

struct report_timeline_mark {
	uint64_t time_ns;
	char label[64];
};

struct report_timeline {
	uint64_t interval_ns;	/* after any coarsening */
	uint64_t requested_ns;	/* as asked for */
	struct report_timeline_row *rows;
	size_t nrows;
	struct report_timeline_mark *marks;
	size_t nmarks;
	uint64_t marks_dropped;
	bool ended;		/* the last row may be partial */
};

enum report_timeline_format {
	REPORT_TIMELINE_CSV = 0,
	REPORT_TIMELINE_JSON,
};

/*
 * report_series_name(), report_series_unit(), report_series_descr() -
 * the i-th series' name, unit and one-line description;
 * report_series_is_count() whether it is a count (else a gauge).
 * i < REPORT_SERIES_COUNT.
 */
const char *report_series_name(size_t i);
const char *report_series_unit(size_t i);
const char *report_series_descr(size_t i);
bool report_series_is_count(size_t i);

/*
 * report_timeline_create() - an empty timeline of the given interval
 * (> 0 ns).  Returns 0 and *out, or -EINVAL / -ENOMEM.  The rows are
 * allocated at once (REPORT_TIMELINE_MAX_ROWS): nothing grows later.
 * Free with report_timeline_destroy().
 */
int report_timeline_create(uint64_t interval_ns, struct report_timeline **out);

/* report_timeline_destroy() - free tl and what it holds; NULL is a no-op. */
void report_timeline_destroy(struct report_timeline *tl);

/*
 * report_timeline_push() - append a row ending at end_ns (later than the
 * last row's end).  When that fills the buffer, adjacent rows are merged
 * in pairs and the interval doubles (report_timeline_coarsen()), so
 * memory stays bounded whatever the run's length; the caller's next
 * boundary is then the last row's end plus the new interval.  Never
 * fails.
 */
void report_timeline_push(struct report_timeline *tl, uint64_t end_ns,
    const int64_t v[REPORT_SERIES_COUNT]);

/*
 * report_timeline_coarsen() - merge rows (0,1), (2,3), ...: the merged
 * row ends where its second row ends, keeps the gauges of its second row
 * and sums the counts; an odd last row stays as it is.  The interval
 * doubles.
 */
void report_timeline_coarsen(struct report_timeline *tl);

/*
 * report_timeline_mark() - record a `mark` event at time_ns (label is
 * truncated to 63 bytes); past REPORT_TIMELINE_MAX_MARKS only counted.
 */
void report_timeline_mark(struct report_timeline *tl, uint64_t time_ns,
    const char *label);

/*
 * report_timeline_equalize() - coarsen the timelines of r's runs until
 * they all have the same interval (the largest), so that one file and
 * one chart axis serve them all.  Runs without a timeline are skipped.
 * Returns the common interval in ns, 0 if no run has a timeline.
 */
uint64_t report_timeline_equalize(struct report *r);

/*
 * report_timeline_format_for() - the format of a timeline file by its
 * name: ".csv" or ".json" (case-insensitive).  Returns 0 and *fmt, or
 * -EINVAL for any other name.
 */
int report_timeline_format_for(const char *path,
    enum report_timeline_format *fmt);

/*
 * report_write_timeline() - every run's timeline in fmt (docs/report.md):
 * CSV, one row per run and interval ("run,start_s,end_s,<series>..."),
 * or JSON (through jansson), one object with the series' names and units
 * and per run its columns, marks and OOM kills.  Returns 0, or -ENOMEM /
 * -EIO with err filled.
 * Returns 0, or -EIO with err filled on a write error.
 */
int report_write_timeline(const struct report *r,
    enum report_timeline_format fmt, FILE *out, struct pg_error *err);

#endif
