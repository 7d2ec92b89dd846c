/*
 * junit.h - `--junit FILE`: the outcome of a replay as JUnit XML, the
 * format Jenkins, GitLab and most CI systems display (docs/report.md
 * "JUnit").
 */
#ifndef PGREPLAY_REPORT_JUNIT_H
#define PGREPLAY_REPORT_JUNIT_H

#include <stdio.h>

#include "report/baseline.h"
#include "report/report.h"
#include "util/pgerr.h"

/*
 * report_write_junit() - one <testsuite> per run of r, holding a test
 * case "replay" (the run completed; its key figures in <system-out>),
 * one per `expect` assertion and, when checks is not NULL (one entry per
 * run, in r's order), one per statistic compared with the baseline
 * (statistics the baseline lacks are <skipped/>).  Text is escaped for
 * XML 1.0: markup characters become entities, control characters and
 * invalid UTF-8 become U+FFFD.  No time stamps: the same replay gives the
 * same file.  Returns 0, or -EIO with err filled on a write error.
 */
int report_write_junit(const struct report *r,
    const struct report_run_checks *checks, FILE *out, struct pg_error *err);

#endif
