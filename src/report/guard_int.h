/*
 * guard_int.h - what the timeline, HTML, baseline and JUnit files of the
 * report module share.  Not for other modules.
 */
#ifndef PGREPLAY_REPORT_GUARD_INT_H
#define PGREPLAY_REPORT_GUARD_INT_H

#include <jansson.h>
#include <stdio.h>
#include <stdint.h>

struct report;

/*
 * The dump flags of every JSON output: as the JSON report (json.c), so
 * that a number's text depends only on its value.
 */
#define GUARD_JSON_FLAGS \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/*
 * guard_timeline_json() - the timeline document of r (docs/report.md
 * "Timeline"), a new reference, or NULL when out of memory.
 */
json_t *guard_timeline_json(const struct report *r);

/* guard_seconds() - ns as seconds (exact below 10^6 s at 15 digits). */
double guard_seconds(uint64_t ns);

/*
 * guard_escape() - s as XML 1.0 (and HTML) character data or attribute
 * value: the five markup characters as entities, control bytes and
 * invalid UTF-8 as U+FFFD.  Used by the JUnit and HTML writers.
 */
void guard_escape(FILE *out, const char *s);

#endif
