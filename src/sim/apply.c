/*
 * apply.c - applying the trace's events to the machine (interfaces.md 1):
 * a process's map, unmap, free and exit, the creation of a process (and
 * its entry in the pid map, sim_int.h), and the events of no process
 * (swapon, swapoff, mark).  The page ranges of fault, dirty, wire and unwire are
 * stepped by proc.c, which owns the processes' queues and waits.
 */
#include "sim/proc_int.h"
#include "sim/sim_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int
sim_event_start(struct sim *s, uint32_t pi)
{
	struct sim_proc *p = &s->procs[pi];
	struct vm_machine *m = s->m;
	const struct sim_pev *e = &p->cur;
	uint32_t obj, i;

	switch (e->op) {
	case TRACE_OP_EXIT:
		p->fate = PF_EXITED;
		sim_proc_gone(s, p);
		return (0);
	case TRACE_OP_MAP:
		return (do_map(s, p, e));
	case TRACE_OP_UNMAP:
		p->oc_n = 0;
		obj = vm_object_lookup(m, e->obj);
		if (obj == VM_NONE || vm_proc_unmap(m, p->slot, obj) < 0)
			return (event_fail(s, e, p, "object not mapped"));
		return (0);
	default:
		break;
	}
	obj = sim_proc_cached_obj(p, e->obj);
	if (obj == VM_NONE) {
		obj = vm_object_lookup(m, e->obj);
		if (obj == VM_NONE || !proc_maps(m, p->slot, obj))
			return (event_fail(s, e, p, "object not mapped"));
		i = p->oc_n < SIM_OBJ_CACHE ? p->oc_n++ :
		    (uint32_t)(e->evno % SIM_OBJ_CACHE);
		p->oc_id[i] = e->obj;
		p->oc_slot[i] = obj;
	}
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

int
sim_proc_new(struct sim *s, const struct trace_event *ev, uint64_t evno)
{
	struct sim_proc *np, *p;
	uint32_t pi, slot, old, *ns, i;
	int rc;

	pi = sim_pid_lookup(s, ev->pid);
	if (pi != UINT32_MAX && !s->procs[pi].gone)
		return (sim_fail(s, -EINVAL, evno,
		    "event %ju: proc %u: the process already exists",
		    (uintmax_t)evno, ev->pid));
	np = pg_grow32(s->procs, &s->procs_cap, (size_t)s->nprocs + 1,
	    sizeof(*np), 16, UINT32_MAX - 1);
	if (np == NULL)
		return (sim_fail(s, -ENOMEM, evno, "out of memory"));
	s->procs = np;
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
	p->next_cell = VM_NONE;
	if (slot >= s->slot2proc_cap) {
		old = s->slot2proc_cap;
		ns = pg_grow32(s->slot2proc, &s->slot2proc_cap, (size_t)slot + 1,
		    sizeof(*ns), 16, UINT32_MAX);
		if (ns == NULL)
			return (sim_fail(s, -ENOMEM, evno, "out of memory"));
		for (i = old; i < s->slot2proc_cap; i++)
			ns[i] = UINT32_MAX;	/* no process in that slot */
		s->slot2proc = ns;
	}
	s->slot2proc[slot] = pi;
	s->nalive++;
	/* A later process of the same pid replaces the earlier one. */
	if (pg_idmap_put(&s->pids, ev->pid, pi) < 0)
		return (sim_fail(s, -ENOMEM, evno, "out of memory"));
	return (sim_check(s, evno, "a trace event"));
}

int
sim_global_event(struct sim *s, const struct trace_event *ev, uint64_t evno)
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
