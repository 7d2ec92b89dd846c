/*
 * text_int.h - what the files of the text report (text.c, text_runs.c)
 * share, private to them.
 */
#ifndef PGREPLAY_REPORT_TEXT_INT_H
#define PGREPLAY_REPORT_TEXT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"
#include "report/report_int.h"

/* Which direction of a statistic is worse (docs/report.md, "worse"). */
enum text_worse {
	WORSE_NEVER = 0, /* a difference is neither better nor worse */
	WORSE_HIGHER,
	WORSE_LOWER,
};

/* How a row shows its value. */
enum text_unit {
	UNIT_PLAIN = 0, /* the stat as it is: count, or seconds to the ms */
	UNIT_MIB,	/* a page count shown in MiB */
};

/* A row: a label for people, the stat behind it, and its direction. */
struct text_row {
	const char *label;
	const char *stat;
	enum text_worse worse;
	enum text_unit unit;
};

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

/* text.c */
void text_run_id(size_t j, char *buf, size_t n);
void text_wrap(FILE *out, const char *first, int indent, const char *s);

/* text_runs.c */
void text_runs(const struct report *r, FILE *out);
void text_run_details(const struct report_run *run, FILE *out);

#endif /* PGREPLAY_REPORT_TEXT_INT_H */
