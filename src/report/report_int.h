/*
 * report_int.h - what the files of the report module share.
 */
#ifndef PGREPLAY_REPORT_REPORT_INT_H
#define PGREPLAY_REPORT_REPORT_INT_H

#include <stdbool.h>

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

#endif
