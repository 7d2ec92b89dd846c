/*
 * result_int.h - what the files of a run's report (result.c,
 * result_phase.c, result_oom.c) share, private to them.
 */
#ifndef PGREPLAY_SIM_RESULT_INT_H
#define PGREPLAY_SIM_RESULT_INT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_int.h"

static inline double
secs(uint64_t ns)
{
	/* Exact for whole and most fractional values; JSON prints them %.17g. */
	return ((double)(ns / SIM_NS_PER_S) +
	    (double)(ns % SIM_NS_PER_S) / 1e9);
}

static inline void
set_int(struct report_value *v, const char *name, int64_t i)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->i = i;
}

static inline void
set_real(struct report_value *v, const char *name, double d)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->is_real = true;
	v->d = d;
}

/* result.c */
size_t result_nstats(void);
size_t result_stats_into(const struct sim *s, struct report_value *v);

/* result_phase.c */
int result_fill_phases(const struct sim *s, struct report_run *out);

/* result_oom.c */
void result_why_fill(const struct sim_oom_why *w, struct report_oom_why *r);
int result_fill_processes(const struct sim *s, struct report_run *out);

#endif /* PGREPLAY_SIM_RESULT_INT_H */
