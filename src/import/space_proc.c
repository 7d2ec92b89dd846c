/*
 * space_proc.c - processes of the importers' address-space model: fork
 * (which copies the parent's mappings), selection, vfork, exec and exit.
 */
#include "import/space_int.h"
#include "util/grow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
space_vma_reserve(struct proc *p, size_t more, struct pg_error *err)
{
	struct vma *nv;
	size_t cap;

	if (p->nv + more <= p->cap)
		return (0);
	if (p->nv + more > IMPORT_VMAS_MAX)
		return (space_error(err, -ENOSPC,
		    "process %" PRIu32 " has more than %d mappings (the "
		    "importer's limit)",
		    p->pid, IMPORT_VMAS_MAX));
	cap = p->cap;
	nv = pg_grow(p->v, &cap, p->nv + more, sizeof(*nv), 16,
	    IMPORT_VMAS_MAX);
	if (nv == NULL)
		return (space_error(err, -ENOMEM, "out of memory"));
	p->v = nv;
	p->cap = cap;
	return (0);
}

int
import_space_proc(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, uint32_t parent, bool vfork, struct pg_error *err)
{
	struct proc *p, *pp;
	unsigned h;

	(void)t;
	if ((p = space_find(s, pid)) != NULL) {
		if (p->placeholder && p->nv == 0 && parent != 0 &&
		    (pp = space_find(s, parent)) != NULL && !p->written) {
			/* The fork arrived after the selection: inherit. */
			p->placeholder = false;
			if (pp->nv > 0) {
				if (space_vma_reserve(p, pp->nv, err) < 0)
					return (-ENOMEM);
				memcpy(p->v, pp->v, pp->nv * sizeof(*p->v));
				p->nv = pp->nv;
			}
			p->brk_known = pp->brk_known;
			p->brk = pp->brk;
			p->parent = parent;
			space_sanitize_name(p->name, sizeof(p->name), pp->name);
		}
		return (0);
	}
	if (s->nprocs >= IMPORT_PROCS_MAX)
		return (space_error(err, -ENOSPC,
		    "more than %d live processes (the importer's limit)",
		    IMPORT_PROCS_MAX));
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return (space_error(err, -ENOMEM, "out of memory"));
	p->pid = pid;
	p->parent = parent;
	pp = parent != 0 ? space_find(s, parent) : NULL;
	space_sanitize_name(p->name, sizeof(p->name),
	    name != NULL   ? name :
		pp != NULL ? pp->name :
			     NULL);
	if (pp != NULL) {
		if (pp->nv > 0) {
			p->v = malloc(pp->nv * sizeof(*p->v));
			if (p->v == NULL) {
				free(p);
				return (space_error(err, -ENOMEM,
				    "out of memory"));
			}
			memcpy(p->v, pp->v, pp->nv * sizeof(*p->v));
			p->nv = p->cap = pp->nv;
		}
		p->brk_known = pp->brk_known;
		p->brk = pp->brk;
		if (pp->selected)
			p->selected = true;
		if (vfork || pp->vfork_next)
			p->vfork_of = parent;
		pp->vfork_next = false;
	}
	if (s->o.all_pids || (s->o.root_pid != 0 && pid == s->o.root_pid))
		p->selected = true;
	h = hash64(pid);
	p->next = s->procs[h];
	s->procs[h] = p;
	s->nprocs++;
	return (0);
}

int
import_space_select(struct import_space *s, uint32_t pid, bool at_exec,
    struct pg_error *err)
{
	struct proc *p = space_find(s, pid);
	int rc;

	if (p == NULL) {
		if ((rc = import_space_proc(s, 0, pid, NULL, 0, false, err)) <
		    0)
			return (rc);
		p = space_find(s, pid);
		p->placeholder = true;
	}
	if (p->selected)
		return (0);
	if (at_exec)
		p->select_at_exec = true;
	else
		p->selected = true;
	return (0);
}

void
import_space_set_vfork(struct import_space *s, uint32_t pid)
{
	struct proc *p = space_find(s, pid);

	if (p != NULL)
		p->vfork_next = true;
}

/* drop_all() - p loses every mapping (exec, exit). */
static int
drop_all(struct import_space *s, uint64_t t, struct proc *p, bool write,
    struct pg_error *err)
{
	size_t i, j;
	int rc;

	if (write && p->written) {
		for (i = 0; i < p->nv; i++) {
			for (j = 0; j < i; j++)
				if (p->v[j].obj == p->v[i].obj)
					break;
			if (j == i &&
			    (rc = space_emit_simple(s, t, TRACE_OP_UNMAP,
				 p->pid, p->v[i].obj, 0, 0, err)) < 0)
				return (rc);
			if (p->v[i].shadow == 0)
				continue;
			for (j = 0; j < i; j++)
				if (p->v[j].shadow == p->v[i].shadow)
					break;
			if (j == i &&
			    (rc = space_emit_simple(s, t, TRACE_OP_UNMAP,
				 p->pid, p->v[i].shadow, 0, 0, err)) < 0)
				return (rc);
		}
	}
	p->nv = 0;
	p->brk_known = false;
	return (0);
}

int
import_space_exec(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, struct pg_error *err)
{
	struct proc *p = space_find(s, pid);
	int rc;

	if (p == NULL) {
		if ((rc = import_space_proc(s, t, pid, name, 0, false, err)) <
		    0)
			return (rc);
		p = space_find(s, pid);
	}
	if ((rc = drop_all(s, t, p, true, err)) < 0)
		return (rc);
	p->vfork_of = 0;
	if (p->select_at_exec) {
		p->selected = true;
		p->select_at_exec = false;
	}
	if (!p->written)
		space_sanitize_name(p->name, sizeof(p->name), name);
	return (0);
}

int
import_space_exit(struct import_space *s, uint64_t t, uint32_t pid,
    struct pg_error *err)
{
	struct proc *p = space_find(s, pid), **pp;
	int rc;

	if (p == NULL)
		return (0);
	if (s->eager && p->selected &&
	    (rc = space_materialize(s, t, p, err)) < 0)
		return (rc);
	if (p->written) {
		if ((rc = space_emit_simple(s, t, TRACE_OP_EXIT, pid, 0, 0, 0,
			 err)) < 0)
			return (rc);
	}
	for (pp = &s->procs[hash64(pid)]; *pp != p; pp = &(*pp)->next)
		continue;
	*pp = p->next;
	if (s->last == p)
		s->last = NULL;
	s->nprocs--;
	free(p->v);
	free(p);
	return (0);
}
