/*
 * report_int.h - what the files of the report module share.
 */
#ifndef PGREPLAY_REPORT_REPORT_INT_H
#define PGREPLAY_REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

/*
 * report_is_seconds() - whether a value of this name is a time in seconds
 * (the convention of the report: such names end in "_s").
 */
bool report_is_seconds(const char *name);

/*
 * report_round_ns() - s rounded to whole nanoseconds, the resolution of
 * the simulation, so that the tail noise of a sum of doubles neither shows
 * in the report nor decides an expect assertion.  Non-finite and huge
 * values are returned unchanged.
 */
double report_round_ns(double s);

/* report_write_csv_phases(), report_write_csv_oom(): csv.c, see report.h. */
int report_write_csv_phases(const struct report *r, FILE *out,
    struct pg_error *err);
int report_write_csv_oom(const struct report *r, FILE *out,
    struct pg_error *err);

/*
 * report_csv_field() - s as one RFC 4180 field on out, quoted (with its
 * quotes doubled) only when it holds a comma, a quote or a line break
 * (csv.c; the timeline's CSV uses it too).
 */
void report_csv_field(FILE *out, const char *s);

/* report_phase_stat() - the stat called name in ph->stats, or NULL. */
const struct report_value *report_phase_stat(const struct report_phase *ph,
    const char *name);

#endif
