/*
 * result_phase.c - the phases of a run: the statistics between two mark
 * events, as differences of the run's counters (interfaces.md 4).
 */
#include "sim/result_int.h"
#include "util/grow.h"

#include "conf/conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * phase_additive() - whether a statistic adds up over time, so that its
 * change over a phase means something.  Lowest, peak, "most within" and
 * "time at which" values do not.
 */
static bool
phase_additive(const char *name)
{
	static const char *const gauges[] = {
		"min_free_count", "peak_unswappable", "peak_swap_used",
		"pd_iterations_max_interval", "swap_device_busy_until_s",
		"end_time_s",
	};
	size_t i;

	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++)
		if (strcmp(name, gauges[i]) == 0)
			return (false);
	return (true);
}

/*
 * phase_push() - open a phase called name at start_ns; its statistics at
 * the start are the current ones, or all zero (zero: the run's start).
 */
static int
phase_push(struct sim *s, const char *name, uint64_t start_ns, bool zero)
{
	struct sim_phase *np, *ph;
	size_t ncap, i;

	if (s->nphases >= REPORT_PHASES_MAX) {
		/* Bounded memory: later marks fall into the last phase. */
		s->phases_truncated = true;
		return (0);
	}
	if (s->nphases == s->phases_cap) {
		ncap = s->phases_cap;
		np = pg_grow(s->phases, &ncap, (size_t)s->nphases + 1,
		    sizeof(*np), 8, REPORT_PHASES_MAX);
		if (np == NULL)
			return (sim_fail(s, -ENOMEM, s->events,
			    "out of memory"));
		s->phases = np;
		s->phases_cap = (uint32_t)ncap;
	}
	ph = &s->phases[s->nphases];
	ph->at_start = calloc(result_nstats(), sizeof(*ph->at_start));
	if (ph->at_start == NULL)
		return (sim_fail(s, -ENOMEM, s->events, "out of memory"));
	s->nphases++;
	snprintf(ph->name, sizeof(ph->name), "%s", name);
	ph->start_ns = start_ns;
	result_stats_into(s, ph->at_start);
	for (i = 0; zero && i < result_nstats(); i++) {
		ph->at_start[i].i = 0;
		ph->at_start[i].d = 0.0;
	}
	return (0);
}

int
sim_phase_mark(struct sim *s, const char *name)
{
	int rc;

	/* What came before a first mark after time 0 is a phase of its own. */
	if (s->nphases == 0 && s->now > 0 &&
	    (rc = phase_push(s, "(start)", 0, true)) < 0)
		return (rc);
	return (phase_push(s, name, s->now, false));
}

void
sim_phases_free(struct sim *s)
{
	uint32_t i;

	for (i = 0; i < s->nphases; i++)
		free(s->phases[i].at_start);
	free(s->phases);
	s->phases = NULL;
	s->nphases = s->phases_cap = 0;
}

/* result_fill_phases() - each phase's change of every additive statistic. */
int
result_fill_phases(const struct sim *s, struct report_run *out)
{
	struct report_value *end, *d;
	const struct report_value *a, *b;
	struct report_phase *rp;
	size_t ns = result_nstats(), i, k, n;

	if (s->nphases == 0)
		return (0);
	end = calloc(ns, sizeof(*end));
	out->phases = calloc(s->nphases, sizeof(*out->phases));
	if (end == NULL || out->phases == NULL) {
		free(end);
		return (-ENOMEM);
	}
	out->nphases = s->nphases;
	out->phases_truncated = s->phases_truncated;
	result_stats_into(s, end);
	for (i = 0; i < s->nphases; i++) {
		rp = &out->phases[i];
		snprintf(rp->name, sizeof(rp->name), "%s", s->phases[i].name);
		rp->start_s = secs(s->phases[i].start_ns);
		rp->end_s = secs(i + 1 < s->nphases ?
		    s->phases[i + 1].start_ns : s->now);
		d = calloc(ns, sizeof(*d));
		if (d == NULL) {
			free(end);
			return (-ENOMEM);
		}
		rp->stats = d;
		a = s->phases[i].at_start;
		b = i + 1 < s->nphases ? s->phases[i + 1].at_start : end;
		for (k = 0, n = 0; k < ns; k++) {
			if (!phase_additive(a[k].name))
				continue;
			d[n] = b[k];
			d[n].i = b[k].i - a[k].i;
			d[n].d = b[k].d - a[k].d;
			n++;
		}
		rp->nstats = n;
	}
	free(end);
	return (0);
}
