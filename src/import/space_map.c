/*
 * space_map.c - mappings of the importers' address-space model: a
 * process's sorted vmas, and map, unmap, remap (mremap), brk and discard
 * (madvise) on them.
 */
#include "import/space_int.h"
#include "util/grow.h"
#include "util/kassert.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* space_first_at() - index of the first vma ending after page. */
size_t
space_first_at(const struct proc *p, uint64_t page)
{
	size_t lo = 0, hi = p->nv, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->v[mid].end <= page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * cut() - remove pages [a, b) from p's vmas.  With free_pages, the
 * anonymous pages (and written private copies) of the range are freed if
 * their object stays mapped elsewhere in p, and objects p no longer shows
 * are unmapped (which frees what they held).  Without it (a move),
 * nothing is written.
 */
static int
cut(struct import_space *s, uint64_t t, struct proc *p, uint64_t a, uint64_t b,
    bool free_pages, struct pg_error *err)
{
	struct removed *rm, *nrm;
	size_t i, j, k, nr = 0;
	struct vma *v, piece;
	uint64_t lo, hi;
	bool write = free_pages && p->written;
	int rc;

	i = space_first_at(p, a);
	/* Split a vma that straddles both ends. */
	if (i < p->nv && p->v[i].start < a && p->v[i].end > b) {
		if ((rc = space_vma_reserve(p, 1, err)) < 0)
			return (rc);
		memmove(&p->v[i + 1], &p->v[i], (p->nv - i) * sizeof(*p->v));
		p->nv++;
		p->v[i].end = a;
		p->v[i + 1].base += a - p->v[i + 1].start;
		p->v[i + 1].start = a;
		i++;
	}
	for (j = i; j < p->nv && p->v[j].start < b; j++) {
		v = &p->v[j];
		lo = v->start > a ? v->start : a;
		hi = v->end < b ? v->end : b;
		piece = *v;
		piece.base += lo - v->start;
		piece.start = lo;
		piece.end = hi;
		if (v->start < lo) {
			v->end = lo; /* the head stays */
		} else if (v->end > hi) {
			v->base += hi - v->start; /* the tail stays */
			v->start = hi;
		} else {
			v->end = v->start; /* emptied: removed below */
		}
		if (!write)
			continue;
		if (nr == s->scratch_cap) {
			k = s->scratch_cap;
			nrm = pg_grow(s->scratch, &k, nr + 1, sizeof(*nrm), 16,
			    SIZE_MAX);
			if (nrm == NULL)
				return (space_error(err, -ENOMEM,
				    "out of memory"));
			s->scratch = nrm;
			s->scratch_cap = k;
		}
		rm = &s->scratch[nr++];
		rm->obj = piece.obj;
		rm->shadow = piece.shadow;
		rm->base = piece.base;
		rm->count = piece.end - piece.start;
		rm->anon = piece.type == VT_ANON;
	}
	for (j = k = 0; j < p->nv; j++)
		if (p->v[j].end > p->v[j].start)
			p->v[k++] = p->v[j];
	p->nv = k;
	for (j = 0; j < nr; j++) {
		rm = &s->scratch[j];
		/* Pages of an object that stays mapped are freed ... */
		if (rm->anon && space_shows(p, rm->obj) &&
		    (rc = space_emit_simple(s, t, TRACE_OP_FREE, p->pid,
			 rm->obj, rm->base, rm->count, err)) < 0)
			return (rc);
		if (rm->shadow != 0 && space_shows(p, rm->shadow) &&
		    (rc = space_emit_simple(s, t, TRACE_OP_FREE, p->pid,
			 rm->shadow, rm->base, rm->count, err)) < 0)
			return (rc);
	}
	for (j = 0; j < nr; j++) {
		/* ... an object that does not is unmapped, once. */
		rm = &s->scratch[j];
		for (k = 0; k < j; k++)
			if (s->scratch[k].obj == rm->obj)
				break;
		if (k == j && !space_shows(p, rm->obj) &&
		    (rc = space_emit_simple(s, t, TRACE_OP_UNMAP, p->pid,
			 rm->obj, 0, 0, err)) < 0)
			return (rc);
		if (rm->shadow == 0)
			continue;
		for (k = 0; k < j; k++)
			if (s->scratch[k].shadow == rm->shadow)
				break;
		if (k == j && !space_shows(p, rm->shadow) &&
		    (rc = space_emit_simple(s, t, TRACE_OP_UNMAP, p->pid,
			 rm->shadow, 0, 0, err)) < 0)
			return (rc);
	}
	return (0);
}

/* insert() - put v into p's sorted list; the range must be free. */
static int
insert(struct proc *p, const struct vma *v, struct pg_error *err)
{
	size_t i;
	int rc;

	i = space_first_at(p, v->start);
	PG_KASSERT(v->start < v->end && (i == p->nv ||
	    p->v[i].start >= v->end), ("vma [%#" PRIx64 ", %#" PRIx64
	    ") of pid %" PRIu32 " overlaps a mapping", v->start, v->end,
	    p->pid));
	/* Merge with a neighbour that continues the same object. */
	if (i > 0 && p->v[i - 1].end == v->start && p->v[i - 1].obj == v->obj &&
	    p->v[i - 1].shadow == v->shadow &&
	    p->v[i - 1].base + (v->start - p->v[i - 1].start) == v->base) {
		p->v[i - 1].end = v->end;
		if (i < p->nv && p->v[i].start == v->end &&
		    p->v[i].obj == v->obj && p->v[i].shadow == v->shadow &&
		    p->v[i].base == v->base + (v->end - v->start)) {
			p->v[i - 1].end = p->v[i].end;
			memmove(&p->v[i], &p->v[i + 1],
			    (p->nv - i - 1) * sizeof(*p->v));
			p->nv--;
		}
		return (0);
	}
	if (i < p->nv && p->v[i].start == v->end && p->v[i].obj == v->obj &&
	    p->v[i].shadow == v->shadow &&
	    p->v[i].base == v->base + (v->end - v->start)) {
		p->v[i].start = v->start;
		p->v[i].base = v->base;
		return (0);
	}
	if ((rc = space_vma_reserve(p, 1, err)) < 0)
		return (rc);
	memmove(&p->v[i + 1], &p->v[i], (p->nv - i) * sizeof(*p->v));
	p->v[i] = *v;
	p->nv++;
	return (0);
}

/* add_piece() - map the free pages [a, b) of p as m (whose start is s0). */
static int
add_piece(struct import_space *s, uint64_t t, struct proc *p, uint64_t a,
    uint64_t b, uint64_t s0, const struct import_mapping *m,
    struct pg_error *err)
{
	struct vma v = { 0 };
	bool fresh = false;
	size_t i;
	int rc;

	v.start = a;
	v.end = b;
	v.shared = m->shared;
	v.growsdown = m->growsdown;
	if (m->kind == IMPORT_MAP_FILE) {
		v.type = VT_FILE;
		if ((rc = space_file_obj(s, m, &v.obj, err)) < 0)
			return (rc);
		v.base = (m->pgoff >> IMPORT_PAGE_SHIFT) + (a - s0);
		if (v.base + (b - a) > IMPORT_OBJ_PAGES)
			return (space_error(err, -EINVAL,
			    "file offset 0x%" PRIx64 " is beyond the %" PRIu64
			    " pages an imported file may have",
			    m->pgoff, IMPORT_OBJ_PAGES));
	} else {
		v.type = m->kind == IMPORT_MAP_SPECIAL ? VT_PHYS : VT_ANON;
		i = space_first_at(p, a);
		if (v.type == VT_ANON && i > 0 && p->v[i - 1].end == a &&
		    p->v[i - 1].type == VT_ANON &&
		    p->v[i - 1].base + (a - p->v[i - 1].start) + (b - a) <=
			IMPORT_OBJ_PAGES) {
			/* Growth of the region below (the heap). */
			v.obj = p->v[i - 1].obj;
			v.base = p->v[i - 1].base + (a - p->v[i - 1].start);
			v.growsdown = p->v[i - 1].growsdown;
		} else if (v.type == VT_ANON && i < p->nv &&
		    p->v[i].start == b && p->v[i].growsdown &&
		    p->v[i].type == VT_ANON && p->v[i].base >= b - a) {
			/* Growth of the stack downwards. */
			v.obj = p->v[i].obj;
			v.base = p->v[i].base - (b - a);
			v.growsdown = 1;
		} else {
			space_new_obj(s, v.type, &v.obj);
			fresh = true;
			/* Room below for a stack to grow into. */
			v.base = m->growsdown ? IMPORT_OBJ_PAGES / 2 : 0;
		}
	}
	if (p->written && (fresh || !space_shows(p, v.obj)) &&
	    (rc = space_emit_map(s, t, p, v.obj, v.type, false, err)) < 0)
		return (rc);
	return (insert(p, &v, err));
}

/* same() - whether vma v already shows m at page pg (m starts at s0). */
static bool
same(const struct import_space *s, const struct vma *v, uint64_t pg,
    uint64_t s0, const struct import_mapping *m)
{
	const struct file *f;

	if (m->kind != IMPORT_MAP_FILE)
		return (v->type ==
		    (m->kind == IMPORT_MAP_SPECIAL ? VT_PHYS : VT_ANON));
	if (v->type != VT_FILE || v->shared != m->shared ||
	    v->base + (pg - v->start) !=
		(m->pgoff >> IMPORT_PAGE_SHIFT) + (pg - s0))
		return (false);
	if (m->ino != 0) {
		for (f = s->by_key[hash64(m->dev * 31 + m->ino)]; f != NULL;
		     f = f->next_key)
			if (f->ino == m->ino && f->dev == m->dev)
				return (f->obj == v->obj);
	}
	if (m->path != NULL) {
		char path[TRACE_NAME_MAX + 1];

		space_sanitize_name(path, sizeof(path), m->path);
		f = space_file_by_path((struct import_space *)s, path);
		/* Known by path only: the inode is learnt, same object. */
		return (f != NULL && f->obj == v->obj &&
		    (f->ino == 0 || m->ino == 0));
	}
	return (false);
}

int
import_space_map(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, const struct import_mapping *m,
    enum import_map_mode mode, struct pg_error *err)
{
	struct proc *p;
	uint64_t a, b, pg, gap_end;
	size_t i;
	int rc;

	if (len == 0)
		return (0);
	if ((p = space_get(s, pid)) == NULL) {
		if ((rc = import_space_proc(s, t, pid, NULL, 0, false, err)) <
		    0)
			return (rc);
		p = space_get(s, pid);
	}
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + (1u << IMPORT_PAGE_SHIFT) - 1) >> IMPORT_PAGE_SHIFT;
	if (b <= a)
		return (0);
	/* Without touches, a process is written at its first mapping. */
	if (s->eager && p->selected &&
	    (rc = space_materialize(s, t, p, err)) < 0)
		return (rc);
	if (mode == IMPORT_MAP_REPLACE) {
		if ((rc = cut(s, t, p, a, b, space_live(p), err)) < 0)
			return (rc);
	} else {
		/* Remove the parts that hold something else. */
		for (i = space_first_at(p, a);
		     i < p->nv && p->v[i].start < b;) {
			pg = p->v[i].start > a ? p->v[i].start : a;
			if (same(s, &p->v[i], pg, a, m)) {
				i++;
				continue;
			}
			gap_end = p->v[i].end < b ? p->v[i].end : b;
			if ((rc = cut(s, t, p, pg, gap_end, space_live(p),
				 err)) < 0)
				return (rc);
			i = space_first_at(p, gap_end);
		}
	}
	/* Fill the gaps. */
	pg = a;
	while (pg < b) {
		i = space_first_at(p, pg);
		if (i < p->nv && p->v[i].start <= pg) {
			pg = p->v[i].end;
			continue;
		}
		gap_end = i < p->nv && p->v[i].start < b ? p->v[i].start : b;
		/*
		 * An object has IMPORT_OBJ_PAGES pages and a fresh stack
		 * starts in the middle of its own: a larger anonymous range
		 * (a sanitizer's shadow reservation, a fuzzed brk) takes
		 * several objects, so that no page index passes the object.
		 */
		if (m->kind != IMPORT_MAP_FILE &&
		    gap_end - pg > IMPORT_OBJ_PAGES / 2)
			gap_end = pg + IMPORT_OBJ_PAGES / 2;
		if ((rc = add_piece(s, t, p, pg, gap_end, a, m, err)) < 0)
			return (rc);
		pg = gap_end;
	}
	return (0);
}

int
import_space_unmap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, struct pg_error *err)
{
	struct proc *p = space_get(s, pid);
	uint64_t a, b;

	if (p == NULL || len == 0)
		return (0);
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + (1u << IMPORT_PAGE_SHIFT) - 1) >> IMPORT_PAGE_SHIFT;
	return (cut(s, t, p, a, b, space_live(p), err));
}

int
import_space_remap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t old, uint64_t oldlen, uint64_t newlen, uint64_t new,
    struct pg_error *err)
{
	struct proc *p = space_get(s, pid);
	struct vma *moved = NULL, last = { 0 }, v;
	uint64_t oa, ob, na, nb, keep;
	size_t i, n = 0;
	bool have_last = false;
	int rc = 0;

	if (p == NULL)
		return (0);
	oa = old >> IMPORT_PAGE_SHIFT;
	ob = (old + oldlen + 4095) >> IMPORT_PAGE_SHIFT;
	na = new >> IMPORT_PAGE_SHIFT;
	nb = (new + newlen + 4095) >> IMPORT_PAGE_SHIFT;
	keep = (nb - na) < (ob - oa) ? (nb - na) : (ob - oa);
	/* A shrunk tail is unmapped. */
	if (oa + keep < ob &&
	    (rc = cut(s, t, p, oa + keep, ob, space_live(p), err)) < 0)
		return (rc);
	if (na != oa) {
		/* The destination was free, or is unmapped by MREMAP_FIXED. */
		if ((rc = cut(s, t, p, na, nb, space_live(p), err)) < 0)
			return (rc);
		for (i = space_first_at(p, oa);
		     i < p->nv && p->v[i].start < oa + keep; i++)
			n++;
		if (n > 0) {
			moved = malloc(n * sizeof(*moved));
			if (moved == NULL)
				return (space_error(err, -ENOMEM,
				    "out of memory"));
			memcpy(moved, &p->v[space_first_at(p, oa)],
			    n * sizeof(*moved));
		}
		/* Detach without writing: the pages move, they stay. */
		if ((rc = cut(s, t, p, oa, oa + keep, false, err)) < 0)
			goto out;
		for (i = 0; i < n; i++) {
			v = moved[i];
			if (v.start < oa) {
				v.base += oa - v.start;
				v.start = oa;
			}
			if (v.end > oa + keep)
				v.end = oa + keep;
			v.start = v.start - oa + na;
			v.end = v.end - oa + na;
			if ((rc = insert(p, &v, err)) < 0)
				goto out;
		}
	}
	/* A grown tail continues the object of the last page. */
	if (nb - na > keep) {
		i = space_first_at(p, na + keep - 1);
		if (keep > 0 && i < p->nv && p->v[i].start <= na + keep - 1) {
			last = p->v[i];
			have_last = true;
		}
		if (have_last) {
			v = last;
			v.base = last.base + (last.end - last.start);
			v.start = na + keep;
			v.end = nb;
			if (v.base + (v.end - v.start) > IMPORT_OBJ_PAGES)
				have_last = false;
			else if ((rc = cut(s, t, p, v.start, v.end,
				      space_live(p), err)) < 0 ||
			    (rc = insert(p, &v, err)) < 0)
				goto out;
		}
		if (!have_last) {
			struct import_mapping m = { .kind = IMPORT_MAP_ANON };

			rc = import_space_map(s, t, pid,
			    (na + keep) << IMPORT_PAGE_SHIFT,
			    (nb - na - keep) << IMPORT_PAGE_SHIFT, &m,
			    IMPORT_MAP_REPLACE, err);
		}
	}
out:
	free(moved);
	return (rc);
}

int
import_space_brk(struct import_space *s, uint64_t t, uint32_t pid, uint64_t brk,
    struct pg_error *err)
{
	struct proc *p = space_get(s, pid);
	struct import_mapping m = { .kind = IMPORT_MAP_ANON };
	uint64_t a, b;
	int rc = 0;

	if (p == NULL)
		return (0);
	if (!p->brk_known) {
		p->brk_known = true;
		p->brk = brk;
		return (0);
	}
	a = (p->brk + 4095) >> IMPORT_PAGE_SHIFT;
	b = (brk + 4095) >> IMPORT_PAGE_SHIFT;
	if (b > a)
		rc = import_space_map(s, t, pid, a << IMPORT_PAGE_SHIFT,
		    (b - a) << IMPORT_PAGE_SHIFT, &m, IMPORT_MAP_KEEP, err);
	else if (b < a)
		rc = cut(s, t, p, b, a, space_live(p), err);
	p->brk = brk;
	return (rc);
}

int
import_space_discard(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, bool file_too, struct pg_error *err)
{
	struct proc *p = space_get(s, pid);
	uint64_t a, b, lo, hi;
	struct vma *v;
	size_t i;
	int rc;

	if (p == NULL || !p->written)
		return (0);
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + 4095) >> IMPORT_PAGE_SHIFT;
	for (i = space_first_at(p, a); i < p->nv && p->v[i].start < b; i++) {
		v = &p->v[i];
		lo = v->start > a ? v->start : a;
		hi = v->end < b ? v->end : b;
		if (v->type == VT_PHYS || (v->type == VT_FILE && !file_too))
			goto shadow;
		if ((rc = space_emit_simple(s, t, TRACE_OP_FREE, p->pid, v->obj,
			 v->base + (lo - v->start), hi - lo, err)) < 0)
			return (rc);
shadow:
		if (v->shadow != 0 &&
		    (rc = space_emit_simple(s, t, TRACE_OP_FREE, p->pid,
			 v->shadow, v->base + (lo - v->start), hi - lo, err)) <
			0)
			return (rc);
	}
	return (0);
}
