/*
 * html.h - `--html FILE`: one self-contained HTML page of a replay
 * (docs/report.md "HTML"): the runs side by side, a chart per timeline
 * series with one line per run, OOM kills and `mark` phases on the time
 * axis, and every kill explained.  The charting library (uPlot, vendored
 * in src/report/vendor/) is written into the page: no network needed.
 */
#ifndef PGREPLAY_REPORT_HTML_H
#define PGREPLAY_REPORT_HTML_H

#include <stdio.h>

#include "report/report.h"
#include "util/pgerr.h"

/*
 * report_write_html() - the page for r.  Charts need the runs'
 * timelines (report_run.timeline); runs without one get tables only.
 * The page's script marks its outcome in the element #pgreplay-status
 * (data-state "ok" with data-charts and per chart data-painted, or
 * "error" with the message), which the browser test reads.  Returns 0,
 * or -ENOMEM / -EIO with err filled.
 */
int report_write_html(const struct report *r, FILE *out, struct pg_error *err);

#endif
