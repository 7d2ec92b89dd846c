/*
 * timeline.c - the sampler of `--timeline`: a row of the run's series at
 * every boundary of the interval in simulated time (report/timeline.h).
 *
 * The engine calls sim_timeline_reach() before simulated time moves to
 * t; every boundary B <= t not yet sampled gives a row ending at B with
 * the state as it is then, i.e. after everything before B and before
 * anything at B.  Sampling depends only on simulated time, so the rows
 * are the same on every machine and for any number of threads.  The cost
 * is a few dozen loads per boundary, nothing per event.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/timeline.h"

struct sim_timeline {
	struct report_timeline *tl;	/* handed to the report at the end */
	uint64_t next;			/* the next boundary */
	uint64_t last_end;		/* end of the last row, 0 at first */
	/* Running totals at the last boundary, for the counts. */
	uint64_t freed, laundered, swapped_out, swapped_in, stall_ns, kills;
};

int
sim_timeline_start(struct sim *s, uint64_t interval_ns)
{
	struct sim_timeline *t;
	int rc;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return (-ENOMEM);
	rc = report_timeline_create(interval_ns, &t->tl);
	if (rc < 0) {
		free(t);
		return (rc);
	}
	t->next = interval_ns;
	s->tl = t;
	return (0);
}

/*
 * stall_at() - stall time accrued by time at: the finished stalls plus
 * the part of those in progress, so that a long stall is spread over the
 * intervals it covers instead of landing in the one where it ends.
 */
static uint64_t
stall_at(const struct sim *s, uint64_t at)
{
	const struct sim_proc *p;
	uint64_t ns = s->stall_ns;
	uint32_t i;

	for (i = 0; i < s->nprocs; i++) {
		p = &s->procs[i];
		if (!p->gone && (p->block == PB_MEM_MIN ||
		    p->block == PB_MEM_TICK) && at > p->block_start)
			ns += at - p->block_start;
	}
	return (ns);
}

/* sample() - push the row ending at end. */
static void
sample(struct sim *s, uint64_t end)
{
	struct sim_timeline *t = s->tl;
	const struct vm_counters *c = &s->m->cnt;
	const struct vm_domain *vd;
	int64_t v[REPORT_SERIES_COUNT];
	uint64_t queued, laundered, stall;
	uint32_t d;

	memset(v, 0, sizeof(v));
	for (d = 0; d < s->ndomains; d++) {
		vd = &s->m->dom[d];
		v[REPORT_SERIES_free] += vd->free_count;
		v[REPORT_SERIES_active] += vd->pq[PQ_ACTIVE].cnt;
		v[REPORT_SERIES_inactive] += vd->pq[PQ_INACTIVE].cnt;
		v[REPORT_SERIES_laundry] += vd->pq[PQ_LAUNDRY].cnt;
		v[REPORT_SERIES_unswappable] += vd->pq[PQ_UNSWAPPABLE].cnt;
		queued = (uint64_t)vd->free_count + vd->pq[PQ_ACTIVE].cnt +
		    vd->pq[PQ_INACTIVE].cnt + vd->pq[PQ_LAUNDRY].cnt +
		    vd->pq[PQ_UNSWAPPABLE].cnt;
		/* Kernel memory and cache, wired and in-transit pages. */
		if (vd->page_count > queued)
			v[REPORT_SERIES_wired] += vd->page_count - queued;
		v[REPORT_SERIES_pid_output] += s->pd[d].w.shortage;
	}
	v[REPORT_SERIES_swap_used] = (int64_t)vm_swap_used(s->m);
	laundered = c->laundered_background + c->laundered_shortfall;
	stall = stall_at(s, end);
	v[REPORT_SERIES_freed] = (int64_t)(c->v_dfree - t->freed);
	v[REPORT_SERIES_laundered] = (int64_t)(laundered - t->laundered);
	v[REPORT_SERIES_swapped_out] =
	    (int64_t)(c->v_swappgsout - t->swapped_out);
	v[REPORT_SERIES_swapped_in] = (int64_t)(c->v_swappgsin - t->swapped_in);
	v[REPORT_SERIES_stall_s] = (int64_t)(stall - t->stall_ns);
	v[REPORT_SERIES_oom_kills] = (int64_t)(c->oom_kills - t->kills);
	t->freed = c->v_dfree;
	t->laundered = laundered;
	t->swapped_out = c->v_swappgsout;
	t->swapped_in = c->v_swappgsin;
	t->stall_ns = stall;
	t->kills = c->oom_kills;
	report_timeline_push(t->tl, end, v);
	t->last_end = end;
	/* A push may have doubled the interval: the next boundary follows. */
	t->next = end + t->tl->interval_ns;
}

void
sim_timeline_reach(struct sim *s, uint64_t t)
{
	/*
	 * A long quiet stretch gives one row per boundary; the pushes
	 * coarsen the interval as the buffer fills, so even a jump of
	 * years costs at most a few times REPORT_TIMELINE_MAX_ROWS rows.
	 */
	while (s->tl->next <= t && s->tl->next > s->tl->last_end)
		sample(s, s->tl->next);
}

void
sim_timeline_mark(struct sim *s, const char *label)
{
	report_timeline_mark(s->tl->tl, s->now, label != NULL ? label : "");
}

struct report_timeline *
sim_timeline_end(struct sim *s)
{
	struct report_timeline *tl;

	if (s->tl == NULL || s->tl->tl == NULL)
		return (NULL);
	/* The last, partial interval: up to the end of the run. */
	if (!s->tl->tl->ended) {
		sim_timeline_reach(s, s->now);
		if (s->now > s->tl->last_end)
			sample(s, s->now);
		s->tl->tl->ended = true;
	}
	tl = s->tl->tl;
	s->tl->tl = NULL;
	return (tl);
}

void
sim_timeline_free(struct sim *s)
{
	if (s->tl == NULL)
		return;
	report_timeline_destroy(s->tl->tl);
	free(s->tl);
	s->tl = NULL;
}
