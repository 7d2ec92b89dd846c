/*
 * check.c - the checking mode of a run (sim.h, docs/development.md) and
 * the way out of a run when the caller is interrupted.
 *
 * The whole invariant check, vm_machine_check(), walks every page, object
 * and swap block: after every step of a long trace it made --check
 * thousands of times slower than a plain replay.  So each step runs the
 * checks that cost O(domains), which catch a page counted twice or lost
 * by a queue or the free list, and the full walk runs every
 * check_interval steps (by default 1/64 of the pages: about as much work
 * again as the steps between) and at the end of the run.  A violation is
 * then found within check_interval steps of the one that caused it;
 * check_interval 1 (PGREPLAY_CHECK=full, --check=full) pins it exactly.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>

/*
 * check_counts() - the O(domains) part: each domain's free, queued and
 * kernel pages fit in the domain.  Returns 0 or -EFAULT with msg set.
 */
static int
check_counts(const struct vm_machine *m, char *msg, size_t n)
{
	const struct vm_domain *vmd;
	uint64_t held;
	uint32_t d, q;

	for (d = 0; d < m->ndomains; d++) {
		vmd = &m->dom[d];
		if (vmd->free_count > vmd->page_count) {
			snprintf(msg, n, "domain %u: free_count %u above "
			    "page_count %u", d, vmd->free_count,
			    vmd->page_count);
			return (-EFAULT);
		}
		held = (uint64_t)vmd->free_count + vmd->kernel_wired +
		    vmd->kernel_cache;
		for (q = 0; q < PQ_COUNT; q++)
			held += vmd->pq[q].cnt;
		if (held > vmd->page_count) {
			snprintf(msg, n, "domain %u: %ju pages free, queued or "
			    "held by the kernel, but only %u in the domain", d,
			    (uintmax_t)held, vmd->page_count);
			return (-EFAULT);
		}
	}
	return (0);
}

int
sim_check_step(struct sim *s, uint64_t evno, const char *what)
{
	struct pg_error e;
	bool sampled = false;
	char t[32];
	int rc;

	pg_error_clear(&e);
	rc = check_counts(s->m, e.msg, sizeof(e.msg));
	if (rc == 0 && ++s->check_steps >= s->check_interval) {
		s->check_steps = 0;
		rc = vm_machine_check(s->m, &e);
		sampled = s->check_interval > 1;
	}
	if (rc == 0)
		return (0);
	if (rc == -ENOMEM)
		return (sim_fail(s, rc, evno, "out of memory for the "
		    "invariant check"));
	trace_time_format(s->now, t, sizeof(t));
	/* The walk only runs now and then: the break may be older. */
	return (sim_fail(s, -EFAULT, evno,
	    "invariant violated after %s (event %ju, t=%s s): %s%s", what,
	    (uintmax_t)evno, t, e.msg, sampled ? " (found by the full check "
	    "of every few steps: --check=full names the step)" : ""));
}

int
sim_check_full(struct sim *s, uint64_t evno, const char *what)
{
	if (!s->opt.check_invariants || s->error != 0)
		return (s->error);
	/* The next sim_check() runs the whole walk. */
	s->check_steps = s->check_interval;
	return (sim_check(s, evno, what));
}

void
sim_check_init(struct sim *s)
{
	s->check_interval = s->opt.check_interval != 0 ?
	    s->opt.check_interval : SIM_CHECK_INTERVAL(s->m->ntotal);
	s->check_steps = 0;
}

bool
sim_interrupted_now(struct sim *s)
{
	if (s->error == 0)
		sim_fail(s, -EINTR, s->events, "interrupted");
	return (true);
}
