/*
 * space_touch.c - touches in the importers' address-space model: an
 * address becomes a fault or dirty event on (object, page index), with
 * copy-on-write into a private mapping's shadow and stack growth.
 */
#include "import/space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct vma *
lookup(struct import_space *s, uint64_t t, struct proc *p, uint64_t pg,
    struct pg_error *err, int *rc)
{
	struct import_mapping m = { .kind = IMPORT_MAP_ANON,
		.growsdown = true };
	size_t i = space_first_at(p, pg);

	*rc = 0;
	if (i < p->nv && p->v[i].start <= pg)
		return (&p->v[i]);
	/*
	 * The stack grows on a fault below it; perf reports the fault before
	 * the grown [stack] mapping.
	 */
	if (i < p->nv && p->v[i].growsdown && p->v[i].type == VT_ANON &&
	    p->v[i].start - pg <= IMPORT_STACK_GAP_PAGES &&
	    (i == 0 || p->v[i - 1].end <= pg)) {
		*rc = import_space_map(s, t, p->pid, pg << IMPORT_PAGE_SHIFT,
		    (p->v[i].start - pg) << IMPORT_PAGE_SHIFT, &m,
		    IMPORT_MAP_KEEP, err);
		if (*rc < 0)
			return (NULL);
		i = space_first_at(p, pg);
		if (i < p->nv && p->v[i].start <= pg)
			return (&p->v[i]);
	}
	return (NULL);
}

int
import_space_touch(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, unsigned flags, struct pg_error *err)
{
	struct proc *p = space_get(s, pid), *owner;
	uint64_t pg = addr >> IMPORT_PAGE_SHIFT, idx;
	bool write = (flags & IMPORT_TOUCH_WRITE) != 0;
	bool present = (flags & IMPORT_TOUCH_PRESENT) != 0;
	struct vma *v;
	size_t vi;
	int rc;

	if (p == NULL || !p->selected)
		return (0);
	s->st.samples++;
	if ((flags & IMPORT_TOUCH_KNOWN) != 0)
		s->st.with_flags++;
	if (write)
		s->st.writes++;
	/* A vfork child touches its parent's pages, if those are written. */
	owner = p;
	if (p->vfork_of != 0 &&
	    ((owner = space_get(s, p->vfork_of)) == NULL || !owner->selected))
		owner = p;
	v = lookup(s, t, owner, pg, err, &rc);
	if (rc < 0)
		return (rc);
	if (v == NULL) {
		s->st.unresolved++;
		return (0);
	}
	s->st.resolved++;
	vi = (size_t)(v - owner->v);
	if ((rc = space_materialize(s, t, owner, err)) < 0)
		return (rc);
	v = &owner->v[vi];
	idx = v->base + (pg - v->start);
	switch (v->type) {
	case VT_ANON:
		return (space_emit_simple(s, t,
		    write || (s->o.anon_dirty && !present) ? TRACE_OP_DIRTY :
							     TRACE_OP_FAULT,
		    owner->pid, v->obj, idx, 1, err));
	case VT_PHYS:
		return (space_emit_simple(s, t, TRACE_OP_FAULT, owner->pid,
		    v->obj, idx, 1, err));
	default:
		break;
	}
	if (!write || v->shared)
		return (space_emit_simple(s, t,
		    write ? TRACE_OP_DIRTY : TRACE_OP_FAULT, owner->pid, v->obj,
		    idx, 1, err));
	/* A write to a private file page: copy-on-write into the shadow. */
	if (!present &&
	    (rc = space_emit_simple(s, t, TRACE_OP_FAULT, owner->pid, v->obj,
		 idx, 1, err)) < 0)
		return (rc);
	if (v->shadow == 0) {
		uint64_t sh;
		size_t i;

		space_new_obj(s, VT_ANON, &sh);
		/* Every piece of the same private mapping shares it. */
		for (i = 0; i < owner->nv; i++)
			if (owner->v[i].obj == v->obj && !owner->v[i].shared &&
			    owner->v[i].shadow == 0)
				owner->v[i].shadow = sh;
		if ((rc = space_emit_map(s, t, owner, sh, VT_ANON, true, err)) <
		    0)
			return (rc);
	}
	return (space_emit_simple(s, t, TRACE_OP_DIRTY, owner->pid, v->shadow,
	    idx, 1, err));
}

int
import_space_implicit(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, struct pg_error *err)
{
	struct import_mapping m = { .kind = IMPORT_MAP_ANON };
	struct proc *p = space_get(s, pid);
	uint64_t pg = addr >> IMPORT_PAGE_SHIFT, lo, hi;
	size_t i;
	int rc;

	if (p == NULL)
		return (0);
	i = space_first_at(p, pg);
	if (i < p->nv && p->v[i].start <= pg)
		return (0);
	/* The gap around pg, within its IMPORT_IMPLICIT_PAGES chunk. */
	lo = pg & ~(IMPORT_IMPLICIT_PAGES - 1);
	hi = lo + IMPORT_IMPLICIT_PAGES;
	if (i > 0 && p->v[i - 1].end > lo)
		lo = p->v[i - 1].end;
	if (i < p->nv && p->v[i].start < hi)
		hi = p->v[i].start;
	rc = import_space_map(s, t, pid, lo << IMPORT_PAGE_SHIFT,
	    (hi - lo) << IMPORT_PAGE_SHIFT, &m, IMPORT_MAP_KEEP, err);
	return (rc < 0 ? rc : 1);
}
