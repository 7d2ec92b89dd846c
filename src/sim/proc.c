/*
 * proc.c - the trace's processes: their event queues and time shifts,
 * stepping their page ranges (interfaces.md 1, spec 6.5, 6.6,
 * 12.8-12.10), allocation stalls, fault reads, and OOM kills.  The fault
 * itself is vm/fault.c's: this file sleeps a process where vm_fault()
 * says it waits and resumes it when the wait ends; apply.c applies the
 * events that are not page ranges.
 *
 * A process that waits (for memory, a read, a busy page) holds back its
 * own later events, not anybody else's: they queue behind it, and when it
 * resumes every later event of it runs shifted by the time it waited.
 */
#include "sim/proc_int.h"
#include "sim/sim_int.h"
#include "util/arith.h"
#include "util/grow.h"
#include "vm/fault.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* list_add() - append v to the list a of *n entries; 0 or -ENOMEM. */
static int
list_add(uint32_t **a, uint32_t *cap, uint32_t *n, uint32_t v)
{
	uint32_t *na;

	na = pg_grow32(*a, cap, (size_t)*n + 1, sizeof(*na), 16, UINT32_MAX);
	if (na == NULL)
		return (-ENOMEM);
	*a = na;
	na[(*n)++] = v;
	return (0);
}

static void
list_remove(uint32_t *a, uint32_t *n, uint32_t v)
{
	uint32_t i;

	for (i = 0; i < *n; i++) {
		if (a[i] == v) {
			memmove(&a[i], &a[i + 1], (size_t)(*n - i - 1) * sizeof(*a));
			(*n)--;
			return;
		}
	}
}

/*
 * The queue of p could not take or give back an event (rc): the host's
 * memory or the spill file failed.
 */
static int
spill_fail(struct sim *s, struct sim_proc *p, int rc)
{
	if (rc == -ENOMEM)
		return (sim_fail(s, rc, s->events, "process %u: out of memory "
		    "for its %ju waiting events", p->pid, (uintmax_t)p->q.n));
	return (sim_fail(s, rc, s->events, "process %u: cannot keep its %ju "
	    "waiting events in a spill file in %s: %s (set TMPDIR)", p->pid,
	    (uintmax_t)p->q.n, sim_spill_dir(), strerror(-rc)));
}

/* ---- blocking and waking ---- */

/*
 * Start loading the index leaf of the next fault of p: the page its event
 * in progress stands at, or the first of the event at the head of its
 * queue when the queue has it decoded and p's object cache knows the
 * object (docs/performance.md, "Fifth round").  Anything else is left to
 * the fault.  sim_proc_prefetch() then loads the page.
 */
static void
prefetch_leaf(const struct sim *s, struct sim_proc *p)
{
	const struct sim_pev *e = p->has_cur ? &p->cur : &p->q.front;
	uint32_t obj;
	uint64_t pindex;

	p->next_cell = VM_NONE;
	if (!p->has_cur && p->q.front_len == 0)
		return;
	if (e->op != TRACE_OP_FAULT && e->op != TRACE_OP_DIRTY &&
	    e->op != TRACE_OP_WIRE)
		return;
	obj = p->has_cur ? p->obj_slot : sim_proc_cached_obj(p, e->obj);
	pindex = p->has_cur ? p->cursor : e->pindex;
	if (obj != VM_NONE && pindex <= UINT32_MAX)
		p->next_cell = vm_fault_prefetch_leaf(s->m, obj, (uint32_t)pindex);
}

void
sim_proc_prefetch(const struct sim *s, uint32_t pi)
{
	vm_fault_prefetch_page(s->m, s->procs[pi].next_cell);
}

static void
proc_schedule_run(struct sim *s, uint32_t pi, uint64_t t)
{
	struct sim_proc *p = &s->procs[pi];

	p->gen++;
	p->run_pending = true;
	sim_schedule(s, t, SIM_CLASS_TRACE, K_PROC_RUN, pi, p->gen);
	prefetch_leaf(s, p);
}

/*
 * vm_waitpfault() (spec 6.3, 12.8): sleep until a domain leaves the min
 * set if every domain is in it; otherwise the kernel would return at once
 * and retry (a spin), which we replace by a retry one tick later.
 */
static void
mem_wait(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];

	if (!p->in_stall) {
		p->in_stall = true;
		p->stalls++;
		s->stalls++;
	}
	p->block_start = s->now;
	if (vm_page_count_min_all(s->m)) {
		p->block = PB_MEM_MIN;
		if (list_add(&s->min_waiters, &s->min_cap, &s->nmin,
		    pi) < 0) {
			sim_fail(s, -ENOMEM, p->cur.evno, "out of memory");
			return;
		}
	} else {
		p->block = PB_MEM_TICK;
		proc_schedule_run(s, pi, sim_wait_end(s->now, 1, s->hz));
	}
}

void
sim_proc_wake_min(struct sim *s)
{
	uint32_t i, n, pi;

	/* Woken together, in the order they went to sleep (spec 6.6). */
	n = s->nmin;
	s->nmin = 0;
	for (i = 0; i < n; i++) {
		pi = s->min_waiters[i];
		if (s->procs[pi].block == PB_MEM_MIN && !s->procs[pi].gone)
			proc_schedule_run(s, pi, s->now);
	}
}

void
sim_proc_wake_busy(struct sim *s)
{
	struct sim_proc *p;
	uint32_t i, pi;

	for (i = 0; i < s->nbusy;) {
		pi = s->busy_waiters[i];
		p = &s->procs[pi];
		if (p->block != PB_BUSY || p->gone) {
			list_remove(s->busy_waiters, &s->nbusy, pi);
			continue;
		}
		if (s->m->pages[p->io_page].busy == VPB_UNBUSIED) {
			list_remove(s->busy_waiters, &s->nbusy, pi);
			proc_schedule_run(s, pi, s->now);
			continue;
		}
		i++;
	}
}

/* End a wait: its time shifts the process's later events (spec 12.8). */
static void
unblock(struct sim *s, struct sim_proc *p)
{
	uint64_t w;

	if (p->block == PB_NONE)
		return;
	w = s->now - p->block_start;
	p->shift = pg_add_sat(p->shift, w);
	if (p->block == PB_MEM_MIN || p->block == PB_MEM_TICK) {
		p->stall_ns += w;
		s->stall_ns += w;
	} else {
		p->io_wait_ns += w;
		s->io_wait_ns += w;
	}
	p->block = PB_NONE;
}

/* ---- the fault path (spec 6.5, 12.10): vm/fault.c, resumed from here ---- */

/* Serve the read vm_fault() asked for on the swap or file device. */
static void
start_read(struct sim *s, uint32_t pi, uint32_t page, bool swap)
{
	struct sim_proc *p = &s->procs[pi];
	uint64_t done;

	done = sim_device_submit(swap ? &s->swap_dev : &s->file_dev, s->now, 1);
	if (swap)
		s->swap_reads++;
	else
		s->file_reads++;
	p->block = PB_IO;
	p->block_start = s->now;
	p->io_page = page;
	p->io_swap = swap;
	p->gen++;
	sim_schedule(s, done, SIM_CLASS_IO, K_READ_DONE, pi, 0);
}

/*
 * One page of a fault/dirty/wire range.  Returns 0 when done, 1 when the
 * process must wait, < 0 on error.
 */
static int
fault_page(struct sim *s, uint32_t pi, uint32_t pindex, bool write, bool wire)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_fault_info info;
	uint32_t cell = p->next_cell;
	int rc;

	/* The leaf prefetch's cell serves the first fault after it only. */
	p->next_cell = VM_NONE;
	rc = vm_fault_at_cell(s->m, p->slot, p->obj_slot, pindex, cell, write,
	    wire, &info);
	switch (rc) {
	case VM_FAULT_DONE:
		if (info.hard)
			p->faults++;
		p->in_stall = false;
		return (0);
	case VM_FAULT_WAIT_BUSY:
		p->block = PB_BUSY;
		p->block_start = s->now;
		p->io_page = info.page;
		if (list_add(&s->busy_waiters, &s->busy_cap, &s->nbusy,
		    pi) < 0)
			return (sim_fail(s, -ENOMEM, p->cur.evno,
			    "out of memory"));
		return (1);
	case VM_FAULT_WAIT_MEM:
		mem_wait(s, pi);
		return (1);
	case VM_FAULT_WAIT_READ:
		p->in_stall = false;
		start_read(s, pi, info.page, info.swap);
		return (1);
	default:
		assert(rc < 0);
		return (sim_fail(s, rc, p->cur.evno, "out of memory"));
	}
}

void
sim_proc_read_done(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	bool waiting;
	int rc;

	waiting = !p->gone && p->block == PB_IO;
	rc = vm_fault_read_done(s->m, waiting ? p->slot : VM_NONE, p->io_page,
	    p->io_swap, p->cur.op == TRACE_OP_DIRTY, p->cur.op == TRACE_OP_WIRE);
	if (rc < 0) {
		sim_fail(s, rc, p->cur.evno, "out of memory");
		return;
	}
	if (rc == VM_FAULT_DONE) {
		p->faults++;
		if (waiting)
			p->cursor++;
	}
	sim_proc_wake_busy(s);
	sim_check(s, s->events, "a fault read completion");
	sim_notify(s);
	if (waiting && s->error == 0)
		sim_proc_run(s, pi);
}

/* ---- applying events ---- */

void
sim_proc_gone(struct sim *s, struct sim_proc *p)
{
	vm_proc_exit(s->m, p->slot);
	p->slot = VM_NONE;
	p->gone = true;
	p->end_ns = s->now;
	p->gen++;
	s->nalive--;
}

/* Step the page range of cur.  0 done, 1 waiting, < 0 error. */
static int
event_step(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_machine *m = s->m;
	uint64_t end;
	uint32_t page;
	bool write, wire;
	int r;

	end = p->cur.pindex + p->cur.count;
	if (p->cur.op == TRACE_OP_UNWIRE) {
		for (; p->cursor < end; p->cursor++) {
			page = vm_page_lookup(m, p->obj_slot, (uint32_t)p->cursor);
			if (page != VM_NONE && m->pages[page].wire_count > 0)
				vm_page_unwire(m, page);
		}
		return (0);
	}
	write = p->cur.op == TRACE_OP_DIRTY;
	wire = p->cur.op == TRACE_OP_WIRE;
	while (p->cursor < end) {
		r = fault_page(s, pi, (uint32_t)p->cursor, write, wire);
		if (r != 0)
			return (r);
		p->cursor++;
	}
	return (0);
}

/*
 * Run process pi as far as it can go at the current time: the event in
 * progress, then queued events due by now; schedule itself for the next
 * one otherwise.
 */
void
sim_proc_run(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	uint64_t due;
	int r;

	p->run_pending = false;
	if (p->gone)
		return;
	unblock(s, p);
	for (;;) {
		if (s->error != 0 || s->panicked)
			return;
		if (!p->has_cur) {
			if (p->q.n == 0)
				return;
			due = pg_add_sat(sim_pevq_front_time(&p->q), p->shift);
			if (due > s->now) {
				proc_schedule_run(s, pi, due);
				return;
			}
			r = sim_pevq_pop(&p->q, &s->spill, &p->cur);
			if (r < 0) {
				spill_fail(s, p, r);
				return;
			}
			p->has_cur = true;
			r = sim_event_start(s, pi);
			if (r < 0)
				return;
			if (r == 0) {
				p->has_cur = false;
				sim_check(s, p->cur.evno, "a trace event");
				sim_notify(s);
				if (p->gone)
					return;
				continue;
			}
		}
		r = event_step(s, pi);
		sim_notify(s);
		if (r < 0)
			return;
		if (r == 1)
			return;
		p->has_cur = false;
		p->in_stall = false;
		sim_check(s, p->cur.evno, "a trace event");
	}
}

/* ---- kills (spec 10.2, 12.9) ---- */

void
sim_proc_kill(struct sim *s, uint32_t slot)
{
	struct sim_proc *p;
	struct sim_kill *nk, *k;
	uint32_t d, pi;

	if (slot >= s->slot2proc_cap)
		return;
	pi = s->slot2proc[slot];
	p = &s->procs[pi];
	if (p->gone || p->fate == PF_KILLED)
		return;
	p->fate = PF_KILLED;
	nk = pg_grow32(s->kills, &s->kills_cap, (size_t)s->nkills + 1,
	    sizeof(*nk), 8, UINT32_MAX);
	if (nk == NULL) {
		sim_fail(s, -ENOMEM, s->events, "out of memory");
		return;
	}
	s->kills = nk;
	k = &s->kills[s->nkills++];
	k->why.valid = false;	/* filled by sim_notify() for a model kill */
	k->time_ns = s->now;
	k->pid = p->pid;
	memcpy(k->name, p->name, sizeof(k->name));
	k->pages = vm_proc_size(s->m, slot);
	k->free_count = k->free_target = 0;
	for (d = 0; d < s->m->ndomains; d++) {
		k->free_count += s->m->dom[d].free_count;
		k->free_target += s->m->dom[d].th.free_target;
	}
	/* Its later trace events will not happen: drop and count them. */
	p->dropped += p->q.n;
	s->events_dropped += p->q.n;
	sim_pevq_clear(&p->q, &s->spill);
	/* A killed process allocates SYSTEM and skips the severe gate: retry now. */
	if (p->block == PB_MEM_MIN) {
		list_remove(s->min_waiters, &s->nmin, pi);
		proc_schedule_run(s, pi, s->now);
	} else if (p->block == PB_MEM_TICK) {
		proc_schedule_run(s, pi, s->now);
	}
	sim_schedule(s, pg_add_sat(s->now, s->cfg.oom_kill_delay_ns),
	    SIM_CLASS_TRACE, K_KILL_EXIT, pi, 0);
}

void
sim_proc_kill_exit(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];

	if (p->gone)
		return;
	if (p->has_cur) {
		/* The event it was in the middle of is cut short. */
		p->has_cur = false;
		p->dropped++;
		s->events_dropped++;
	}
	p->dropped += p->q.n;
	s->events_dropped += p->q.n;
	sim_pevq_clear(&p->q, &s->spill);
	unblock(s, p);
	list_remove(s->min_waiters, &s->nmin, pi);
	list_remove(s->busy_waiters, &s->nbusy, pi);
	sim_proc_gone(s, p);
	sim_check(s, s->events, "the exit of a killed process");
	sim_notify(s);
}

/* ---- trace events arriving ---- */

int
sim_proc_event(struct sim *s, const struct trace_event *ev, uint64_t evno)
{
	struct sim_proc *p;
	struct sim_pev e;
	uint32_t pi;
	int rc;

	switch (ev->op) {
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
	case TRACE_OP_MARK:
		return (sim_global_event(s, ev, evno));
	case TRACE_OP_PROC:
		return (sim_proc_new(s, ev, evno));
	default:
		break;
	}
	if (ev->op >= TRACE_OP_COUNT)
		return (sim_fail(s, -EINVAL, evno, "event %ju: unknown op %u",
		    (uintmax_t)evno, ev->op));
	pi = sim_pid_lookup(s, ev->pid);
	if (pi == UINT32_MAX)
		return (sim_fail(s, -EINVAL, evno,
		    "event %ju: %s: no process %u", (uintmax_t)evno,
		    trace_op_name(ev->op), ev->pid));
	p = &s->procs[pi];
	if (p->fate == PF_KILLED) {
		/* Killed by the OOM killer: its later events never happen. */
		p->dropped++;
		s->events_dropped++;
		return (0);
	}
	if (p->gone)
		return (sim_fail(s, -EINVAL, evno,
		    "event %ju: %s: process %u has exited", (uintmax_t)evno,
		    trace_op_name(ev->op), ev->pid));

	e.time_ns = ev->time_ns;
	e.obj = ev->obj;
	e.pindex = ev->pindex;
	e.count = ev->count;
	e.evno = evno;
	e.op = ev->op;
	e.objtype = ev->objtype;
	rc = sim_pevq_push(&p->q, &s->spill, &e);
	if (rc < 0)
		return (spill_fail(s, p, rc));
	if (p->block == PB_NONE && !p->run_pending && !p->has_cur)
		sim_proc_run(s, pi);
	return (s->error);
}

/* ---- end of the run ---- */

void
sim_proc_end(struct sim *s)
{
	struct sim_proc *p;
	uint64_t n;
	uint32_t i;

	for (i = 0; i < s->nprocs; i++) {
		p = &s->procs[i];
		n = p->q.n + (p->has_cur ? 1 : 0);
		if (p->gone) {
			/* Events left behind an exit would be trace errors; count them. */
			p->unreplayed += p->q.n;
			s->events_unreplayed += p->q.n;
			continue;
		}
		p->unreplayed += n;
		s->events_unreplayed += n;
		p->end_ns = s->now;
		/* A process still waiting for memory ends "stalled" (interfaces.md 2). */
		if (p->fate == PF_ALIVE &&
		    (p->block == PB_MEM_MIN || p->block == PB_MEM_TICK))
			p->fate = PF_STALLED;
		/* Its wait so far counts in its stall or I/O time. */
		unblock(s, p);
	}
}

void
sim_procs_free(struct sim *s)
{
	uint32_t i;

	for (i = 0; i < s->nprocs; i++)
		sim_pevq_free(&s->procs[i].q, &s->spill);
	free(s->procs);
	s->procs = NULL;
	s->nprocs = 0;
}
