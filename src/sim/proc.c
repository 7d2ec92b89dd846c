/*
 * proc.c - the trace's processes: their event queues and time shifts,
 * applying trace events to the machine (interfaces.md 1, spec 6.5, 6.6,
 * 12.8-12.10), allocation stalls, fault reads, and OOM kills.
 *
 * A process that waits (for memory, a read, a busy page) holds back its
 * own later events, not anybody else's: they queue behind it, and when it
 * resumes every later event of it runs shifted by the time it waited.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return (a > UINT64_MAX - b ? UINT64_MAX : a + b);
}

/* ---- pid table: open addressing on the integer pid, no pointers hashed ---- */

static uint32_t
pid_hash(uint32_t pid, uint32_t mask)
{
	return ((pid * UINT32_C(0x9E3779B1)) & mask);
}

static uint32_t
pid_lookup(const struct sim *s, uint32_t pid)
{
	uint32_t i, v;

	for (i = pid_hash(pid, s->pid_tab_mask);; i = (i + 1) & s->pid_tab_mask) {
		v = s->pid_tab[i];
		if (v == 0)
			return (UINT32_MAX);
		if (s->procs[v - 1].pid == pid)
			return (v - 1);
	}
}

/* Map pid to procs index pi (replacing an earlier process of that pid). */
static int
pid_insert(struct sim *s, uint32_t pid, uint32_t pi)
{
	uint32_t *nt, nmask, i, j, v;

	if (s->nprocs * 2 > s->pid_tab_mask) {
		nmask = s->pid_tab_mask * 2 + 1;
		nt = calloc((size_t)nmask + 1, sizeof(*nt));
		if (nt == NULL)
			return (-ENOMEM);
		for (i = 0; i <= s->pid_tab_mask; i++) {
			v = s->pid_tab[i];
			if (v == 0)
				continue;
			for (j = pid_hash(s->procs[v - 1].pid, nmask); nt[j] != 0;
			    j = (j + 1) & nmask)
				;
			nt[j] = v;
		}
		free(s->pid_tab);
		s->pid_tab = nt;
		s->pid_tab_mask = nmask;
	}
	for (i = pid_hash(pid, s->pid_tab_mask);; i = (i + 1) & s->pid_tab_mask) {
		v = s->pid_tab[i];
		if (v == 0 || s->procs[v - 1].pid == pid) {
			s->pid_tab[i] = pi + 1;
			return (0);
		}
	}
}

static int
grow_u32(uint32_t **a, uint32_t *cap, uint32_t need)
{
	uint32_t *na, ncap;

	if (need <= *cap)
		return (0);
	ncap = *cap != 0 ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	na = realloc(*a, (size_t)ncap * sizeof(*na));
	if (na == NULL)
		return (-ENOMEM);
	*a = na;
	*cap = ncap;
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

/* ---- event queue of one process ---- */

static int
queue_push(struct sim_proc *p, const struct sim_pev *e)
{
	struct sim_pev *nq;
	uint32_t ncap, i;

	if (p->qn == p->qcap) {
		ncap = p->qcap != 0 ? p->qcap * 2 : 16;
		nq = malloc((size_t)ncap * sizeof(*nq));
		if (nq == NULL)
			return (-ENOMEM);
		for (i = 0; i < p->qn; i++)
			nq[i] = p->q[(p->qhead + i) & (p->qcap - 1)];
		free(p->q);
		p->q = nq;
		p->qcap = ncap;
		p->qhead = 0;
	}
	p->q[(p->qhead + p->qn) & (p->qcap - 1)] = *e;
	p->qn++;
	return (0);
}

static void
queue_clear(struct sim_proc *p)
{
	p->qhead = 0;
	p->qn = 0;
}

/* ---- blocking and waking ---- */

static void
proc_schedule_run(struct sim *s, uint32_t pi, uint64_t t)
{
	struct sim_proc *p = &s->procs[pi];

	p->gen++;
	p->run_pending = true;
	sim_schedule(s, t, SIM_CLASS_TRACE, K_PROC_RUN, pi, p->gen);
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
		if (grow_u32(&s->min_waiters, &s->min_cap, s->nmin + 1) < 0) {
			sim_fail(s, -ENOMEM, p->cur.evno, "out of memory");
			return;
		}
		s->min_waiters[s->nmin++] = pi;
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
	p->shift = add_sat(p->shift, w);
	if (p->block == PB_MEM_MIN || p->block == PB_MEM_TICK) {
		p->stall_ns += w;
		s->stall_ns += w;
	} else {
		p->io_wait_ns += w;
		s->io_wait_ns += w;
	}
	p->block = PB_NONE;
}

/* ---- the fault path (spec 6.5, 12.10) ---- */

/* Would this access fault: no mapping by proc, or a write through a read-only one. */
static bool
would_fault(const struct vm_machine *m, uint32_t proc, uint32_t page,
    bool write)
{
	return (vm_pmap_would_fault(m, proc, page, write));
}

/*
 * Map a page just made valid for p, then the access.  vm_fault() ends
 * with "wire it if the fault wires (mlock, the trace's `wire`), else
 * activate it": a wired page is not activated.  PHYS pages are wired.
 */
static void
fault_map(struct sim *s, struct sim_proc *p, uint32_t page, bool write,
    bool wire)
{
	struct vm_machine *m = s->m;

	if (wire)
		vm_page_wire(m, page);
	if (m->objects[m->pages[page].object].type == OBJT_PHYS)
		vm_page_wire(m, page);
	else if (!wire)
		vm_page_activate(m, page);
	(void)vm_pmap_access(m, p->slot, page, write);
}

static void
start_read(struct sim *s, uint32_t pi, uint32_t page, bool swap)
{
	struct sim_proc *p = &s->procs[pi];
	uint64_t done;

	/* The page is exclusive-busy while it is read, as in vm_fault. */
	s->m->pages[page].busy = VPB_EXCLUSIVE;
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
 * process must wait.
 */
static int
fault_page(struct sim *s, uint32_t pi, uint32_t pindex, bool write, bool wire)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_machine *m = s->m;
	uint32_t obj = p->obj_slot, page;
	bool killed;

	page = vm_page_lookup(m, obj, pindex);
	if (page != VM_NONE) {
		if (m->pages[page].busy != VPB_UNBUSIED &&
		    would_fault(m, p->slot, page, write)) {
			/* A fault on a busy page sleeps until it is unbusied. */
			p->block = PB_BUSY;
			p->block_start = s->now;
			p->io_page = page;
			if (grow_u32(&s->busy_waiters, &s->busy_cap,
			    s->nbusy + 1) < 0)
				return (sim_fail(s, -ENOMEM, p->cur.evno,
				    "out of memory"));
			s->busy_waiters[s->nbusy++] = pi;
			return (1);
		}
		if (vm_pmap_access(m, p->slot, page, write)) {
			/* Soft fault: T2 (spec 5.2), unless it wires. */
			m->cnt.faults_soft++;
			if (!wire)
				vm_page_activate(m, page);
		}
		/* mlock faults every page in with VM_FAULT_WIRE. */
		if (wire)
			vm_page_wire(m, page);
		p->in_stall = false;
		return (0);
	}

	/* Spec 6.5 step 2: below free_severe a user fault does not allocate. */
	killed = (m->procs[p->slot].flags & P_KILLED) != 0;
	if (!killed && vm_page_count_severe(m)) {
		mem_wait(s, pi);
		return (1);
	}
	page = vm_page_alloc(m, obj, pindex,
	    killed ? VM_ALLOC_SYSTEM : VM_ALLOC_NORMAL, false);
	if (page == VM_NONE) {
		mem_wait(s, pi);
		return (1);
	}
	p->in_stall = false;
	if (vm_swap_has(m, obj, pindex)) {
		start_read(s, pi, page, true);
		return (1);
	}
	if (m->objects[obj].type == OBJT_VNODE) {
		start_read(s, pi, page, false);
		return (1);
	}
	m->pages[page].valid = VM_PAGE_BITS_ALL;
	m->cnt.faults++;
	m->cnt.faults_zero_fill++;
	p->faults++;
	fault_map(s, p, page, write, wire);
	return (0);
}

void
sim_proc_read_done(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_machine *m = s->m;
	struct vm_page *pg = &m->pages[p->io_page];
	bool waiting, write;

	waiting = !p->gone && p->block == PB_IO;
	if ((pg->flags & PG_FREEBUSY) != 0 || pg->object == VM_NONE) {
		/* Freed while read (free, unmap, exit): complete the free, retry. */
		vm_page_unbusy(m, p->io_page);
	} else {
		pg->valid = VM_PAGE_BITS_ALL;
		m->cnt.faults++;
		if (p->io_swap) {
			/* The swap block stays assigned; the page is clean (spec 6.5). */
			m->cnt.faults_swap++;
			m->cnt.v_swappgsin++;
		} else {
			m->cnt.faults_file++;
			m->cnt.v_vnodepgsin++;
		}
		p->faults++;
		vm_page_unbusy(m, p->io_page);
		if (waiting) {
			write = p->cur.op == TRACE_OP_DIRTY;
			fault_map(s, p, p->io_page, write,
			    p->cur.op == TRACE_OP_WIRE);
			p->cursor++;
		} else {
			/* Its process is gone: the page stays cached, active. */
			vm_page_activate(m, p->io_page);
		}
	}
	sim_proc_wake_busy(s);
	sim_check(s, s->events, "a fault read completion");
	sim_notify(s);
	if (waiting && s->error == 0)
		sim_proc_run(s, pi);
}

/* ---- applying events ---- */

static int
event_fail(struct sim *s, const struct sim_pev *e, struct sim_proc *p,
    const char *what)
{
	return (sim_fail(s, -EINVAL, e->evno, "event %ju: %s %u: %s",
	    (uintmax_t)e->evno, trace_op_name(e->op), p->pid, what));
}

static bool
proc_maps(const struct vm_machine *m, uint32_t proc, uint32_t obj)
{
	const struct vm_proc *vp = &m->procs[proc];
	uint32_t i;

	for (i = 0; i < vp->nmaps; i++)
		if (vp->maps[i] == obj)
			return (true);
	return (false);
}

static void
proc_gone(struct sim *s, struct sim_proc *p)
{
	vm_proc_exit(s->m, p->slot);
	p->slot = VM_NONE;
	p->gone = true;
	p->end_ns = s->now;
	p->gen++;
	s->nalive--;
}

static int
do_map(struct sim *s, struct sim_proc *p, const struct sim_pev *e)
{
	struct vm_machine *m = s->m;
	enum vm_objtype type;
	uint32_t obj;
	uint8_t have;
	int rc;

	type = e->objtype == TRACE_OBJ_FILE ? OBJT_VNODE :
	    e->objtype == TRACE_OBJ_PHYS ? OBJT_PHYS : OBJT_DEFAULT;
	obj = vm_object_lookup(m, e->obj);
	if (obj == VM_NONE) {
		if (e->count == 0 || e->count > UINT32_MAX)
			return (event_fail(s, e, p, "bad object size"));
		rc = vm_object_create(m, e->obj, type, (uint32_t)e->count, &obj);
		if (rc < 0)
			return (sim_fail(s, rc, e->evno,
			    "event %ju: cannot create object %ju",
			    (uintmax_t)e->evno, (uintmax_t)e->obj));
	} else {
		have = m->objects[obj].type;
		if (have == OBJT_SWAP)
			have = OBJT_DEFAULT;
		if (have != type || m->objects[obj].size != e->count)
			return (event_fail(s, e, p,
			    "object mapped again with another type or size"));
	}
	rc = vm_proc_map(m, p->slot, obj);
	if (rc == -EEXIST)
		return (event_fail(s, e, p, "object already mapped"));
	if (rc < 0)
		return (sim_fail(s, rc, e->evno, "out of memory"));
	return (0);
}

/*
 * Start the event at the head of p's queue: non-page events are applied
 * whole; page ranges are checked and their cursor set.  Returns 0 (done),
 * 2 (a page range to step through) or a negative errno.
 */
static int
event_start(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_machine *m = s->m;
	const struct sim_pev *e = &p->cur;
	uint32_t obj;

	switch (e->op) {
	case TRACE_OP_EXIT:
		p->fate = PF_EXITED;
		proc_gone(s, p);
		return (0);
	case TRACE_OP_MAP:
		return (do_map(s, p, e));
	case TRACE_OP_UNMAP:
		obj = vm_object_lookup(m, e->obj);
		if (obj == VM_NONE || vm_proc_unmap(m, p->slot, obj) < 0)
			return (event_fail(s, e, p, "object not mapped"));
		return (0);
	default:
		break;
	}
	obj = vm_object_lookup(m, e->obj);
	if (obj == VM_NONE || !proc_maps(m, p->slot, obj))
		return (event_fail(s, e, p, "object not mapped"));
	if (e->pindex > m->objects[obj].size ||
	    e->count > m->objects[obj].size - e->pindex)
		return (event_fail(s, e, p, "pages beyond the object's end"));
	p->obj_slot = obj;
	p->cursor = e->pindex;
	if (e->op == TRACE_OP_FREE) {
		vm_object_page_remove(m, obj, (uint32_t)e->pindex,
		    (uint32_t)e->count);
		return (0);
	}
	return (2);
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
			if (p->qn == 0)
				return;
			due = add_sat(p->q[p->qhead].time_ns, p->shift);
			if (due > s->now) {
				proc_schedule_run(s, pi, due);
				return;
			}
			p->cur = p->q[p->qhead];
			p->qhead = (p->qhead + 1) & (p->qcap - 1);
			p->qn--;
			p->has_cur = true;
			r = event_start(s, pi);
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
	uint32_t d, pi, ncap;

	if (slot >= s->slot2proc_cap)
		return;
	pi = s->slot2proc[slot];
	p = &s->procs[pi];
	if (p->gone || p->fate == PF_KILLED)
		return;
	p->fate = PF_KILLED;
	if (s->nkills == s->kills_cap) {
		ncap = s->kills_cap != 0 ? s->kills_cap * 2 : 8;
		nk = realloc(s->kills, (size_t)ncap * sizeof(*nk));
		if (nk == NULL) {
			sim_fail(s, -ENOMEM, s->events, "out of memory");
			return;
		}
		s->kills = nk;
		s->kills_cap = ncap;
	}
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
	p->dropped += p->qn;
	s->events_dropped += p->qn;
	queue_clear(p);
	/* A killed process allocates SYSTEM and skips the severe gate: retry now. */
	if (p->block == PB_MEM_MIN) {
		list_remove(s->min_waiters, &s->nmin, pi);
		proc_schedule_run(s, pi, s->now);
	} else if (p->block == PB_MEM_TICK) {
		proc_schedule_run(s, pi, s->now);
	}
	sim_schedule(s, add_sat(s->now, s->cfg.oom_kill_delay_ns),
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
	p->dropped += p->qn;
	s->events_dropped += p->qn;
	queue_clear(p);
	unblock(s, p);
	list_remove(s->min_waiters, &s->nmin, pi);
	list_remove(s->busy_waiters, &s->nbusy, pi);
	proc_gone(s, p);
	sim_check(s, s->events, "the exit of a killed process");
	sim_notify(s);
}

/* ---- trace events arriving ---- */

static int
proc_new(struct sim *s, const struct trace_event *ev, uint64_t evno)
{
	struct sim_proc *np, *p;
	uint32_t pi, slot, ncap, *ns, i;
	int rc;

	pi = pid_lookup(s, ev->pid);
	if (pi != UINT32_MAX && !s->procs[pi].gone)
		return (sim_fail(s, -EINVAL, evno,
		    "event %ju: proc %u: the process already exists",
		    (uintmax_t)evno, ev->pid));
	if (s->nprocs == s->procs_cap) {
		ncap = s->procs_cap != 0 ? s->procs_cap * 2 : 16;
		np = realloc(s->procs, (size_t)ncap * sizeof(*np));
		if (np == NULL)
			return (sim_fail(s, -ENOMEM, evno, "out of memory"));
		s->procs = np;
		s->procs_cap = ncap;
	}
	rc = vm_proc_create(s->m, ev->pid,
	    ev->str != NULL ? ev->str : "", &slot);
	if (rc < 0)
		return (sim_fail(s, rc, evno,
		    "event %ju: proc %u: cannot create the process",
		    (uintmax_t)evno, ev->pid));
	pi = s->nprocs++;
	p = &s->procs[pi];
	memset(p, 0, sizeof(*p));
	p->pid = ev->pid;
	if (ev->str != NULL)
		snprintf(p->name, sizeof(p->name), "%s", ev->str);
	p->slot = slot;
	if (slot >= s->slot2proc_cap) {
		ncap = s->slot2proc_cap != 0 ? s->slot2proc_cap : 16;
		while (ncap <= slot)
			ncap *= 2;
		ns = realloc(s->slot2proc, (size_t)ncap * sizeof(*ns));
		if (ns == NULL)
			return (sim_fail(s, -ENOMEM, evno, "out of memory"));
		for (i = s->slot2proc_cap; i < ncap; i++)
			ns[i] = UINT32_MAX;
		s->slot2proc = ns;
		s->slot2proc_cap = ncap;
	}
	s->slot2proc[slot] = pi;
	s->nalive++;
	if (pid_insert(s, ev->pid, pi) < 0)
		return (sim_fail(s, -ENOMEM, evno, "out of memory"));
	return (sim_check(s, evno, "a trace event"));
}

static int
global_event(struct sim *s, const struct trace_event *ev, uint64_t evno)
{
	int rc;

	switch (ev->op) {
	case TRACE_OP_SWAPON:
		rc = vm_swapon(s->m, ev->count);
		if (rc < 0)
			return (sim_fail(s, rc, evno,
			    "event %ju: swapon %ju: refused", (uintmax_t)evno,
			    (uintmax_t)ev->count));
		break;
	case TRACE_OP_SWAPOFF:
		/* -ENOMEM: refused, counted by the vm layer (swapoff_refused). */
		rc = vm_swapoff(s->m, ev->count);
		if (rc == -ENOENT)
			return (sim_fail(s, -EINVAL, evno,
			    "event %ju: swapoff %ju: no swap device of that size",
			    (uintmax_t)evno, (uintmax_t)ev->count));
		else if (rc < 0 && rc != -ENOMEM)
			return (sim_fail(s, rc, evno,
			    "event %ju: swapoff %ju failed", (uintmax_t)evno,
			    (uintmax_t)ev->count));
		break;
	case TRACE_OP_MARK:
	default:
		snprintf(s->last_mark, sizeof(s->last_mark), "%s",
		    ev->str != NULL ? ev->str : "");
		/* The phase opens before the mark, so that it counts it. */
		if (sim_phase_mark(s, s->last_mark) < 0)
			return (s->error);
		s->marks++;
		return (0);
	}
	sim_check(s, evno, "a trace event");
	sim_notify(s);
	return (s->error);
}

int
sim_proc_event(struct sim *s, const struct trace_event *ev, uint64_t evno)
{
	struct sim_proc *p;
	struct sim_pev e;
	uint64_t limit;
	uint32_t pi;

	switch (ev->op) {
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
	case TRACE_OP_MARK:
		return (global_event(s, ev, evno));
	case TRACE_OP_PROC:
		return (proc_new(s, ev, evno));
	default:
		break;
	}
	if (ev->op >= TRACE_OP_COUNT)
		return (sim_fail(s, -EINVAL, evno, "event %ju: unknown op %u",
		    (uintmax_t)evno, ev->op));
	pi = pid_lookup(s, ev->pid);
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

	if (p->qn >= SIM_PROC_QUEUE_MAX) {
		/*
		 * The memory bound: stop reading the trace and run the
		 * simulation until the process drains; give up on this
		 * event after sim.drain (docs/model.md).
		 */
		limit = add_sat(ev->time_ns, s->cfg.drain_ns);
		while (p->qn >= SIM_PROC_QUEUE_MAX && !p->gone &&
		    sim_run_one(s, limit))
			;
		if (s->error != 0)
			return (s->error);
		if (p->fate == PF_KILLED) {
			p->dropped++;
			s->events_dropped++;
			return (0);
		}
		if (p->gone || p->qn >= SIM_PROC_QUEUE_MAX || s->panicked) {
			p->unreplayed++;
			s->events_unreplayed++;
			return (0);
		}
	}
	e.time_ns = ev->time_ns;
	e.obj = ev->obj;
	e.pindex = ev->pindex;
	e.count = ev->count;
	e.evno = evno;
	e.op = ev->op;
	e.objtype = ev->objtype;
	if (queue_push(p, &e) < 0)
		return (sim_fail(s, -ENOMEM, evno, "out of memory"));
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
		n = p->qn + (p->has_cur ? 1 : 0);
		if (p->gone) {
			/* Events left behind an exit would be trace errors; count them. */
			p->unreplayed += p->qn;
			s->events_unreplayed += p->qn;
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
		free(s->procs[i].q);
	free(s->procs);
	s->procs = NULL;
	s->nprocs = 0;
}
