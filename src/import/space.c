/*
 * space.c - the per-process mapping model of the importers (space.h).
 *
 * A process holds its mappings (vmas) sorted by start page, each naming
 * the object it shows and the object page of its first page.  Splitting a
 * mapping keeps the object; a process maps an object (in the trace) while
 * at least one of its vmas shows it, so map/unmap events are written when
 * that count goes from 0 to 1 and back.  Processes are written lazily: a
 * selected process gets its `proc` and `map` events just before its first
 * event that matters, which lets the name be the exec'ed program rather
 * than the recorder's wrapper that forked it.
 */
#include "import/space.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BUCKETS 4096
#define NAME_LEN 64

enum vma_type { VT_ANON = 0, VT_FILE, VT_PHYS };

struct vma {
	uint64_t start, end; /* pages */
	uint64_t obj;
	uint64_t base;	 /* object page of start */
	uint64_t shadow; /* private file: object of the written copies */
	uint8_t type;	 /* enum vma_type */
	uint8_t shared;
	uint8_t growsdown;
};

/* A piece of a mapping that cut() removed. */
struct removed {
	uint64_t obj, shadow, base, count;
	bool anon;
};

struct proc {
	struct proc *next; /* hash chain */
	uint32_t pid;
	uint32_t parent;
	char name[NAME_LEN];
	bool selected, select_at_exec;
	bool written;	   /* its proc event is in the trace */
	bool placeholder;  /* made by select() before its fork was seen */
	bool vfork_next;   /* its next child is a vfork child */
	uint32_t vfork_of; /* running in this parent's space until exec */
	bool brk_known;
	uint64_t brk; /* bytes */
	struct vma *v;
	size_t nv, cap;
};

struct file {
	struct file *next_key, *next_path;
	uint64_t dev, ino; /* ino 0: known by path only */
	uint64_t obj;
	char *path; /* NULL when unnamed */
};

struct import_space {
	struct trace_writer *w;
	struct import_options o;
	struct proc *procs[HASH_BUCKETS];
	size_t nprocs;
	struct proc *last; /* lookup cache */
	struct file *by_key[HASH_BUCKETS];
	struct file *by_path[HASH_BUCKETS];
	size_t nfiles;
	uint64_t next_obj;
	bool started;
	uint64_t t0, last_t;
	struct import_stats st;
	/* Objects already announced by a map event (counted once). */
	uint8_t *seen;
	size_t seen_bytes;
	bool eager; /* write processes and maps at once (no touches) */
	/* Scratch for removals: the pieces a range held. */
	struct removed *scratch;
	size_t scratch_cap;
};

static unsigned
hash64(uint64_t x)
{
	x *= UINT64_C(0x9E3779B97F4A7C15);
	return (unsigned)(x >> 52) & (HASH_BUCKETS - 1);
}

static unsigned
hash_str(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return hash64(h);
}

static int space_error(struct pg_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
space_error(struct pg_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	pg_error_clear(err);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

int
import_space_create(struct trace_writer *w, const struct import_options *opts,
    struct import_space **out)
{
	struct import_space *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->w = w;
	s->o = *opts;
	s->next_obj = 1;
	*out = s;
	return 0;
}

void
import_space_destroy(struct import_space *s)
{
	struct proc *p, *pn;
	struct file *f, *fn;
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < HASH_BUCKETS; i++) {
		for (p = s->procs[i]; p != NULL; p = pn) {
			pn = p->next;
			free(p->v);
			free(p);
		}
		for (f = s->by_key[i]; f != NULL; f = fn) {
			fn = f->next_key;
			free(f->path);
			free(f);
		}
	}
	free(s->scratch);
	free(s->seen);
	free(s);
}

void
import_space_set_eager(struct import_space *s)
{
	s->eager = true;
}

static struct proc *
find(const struct import_space *s, uint32_t pid)
{
	struct proc *p;

	if (s->last != NULL && s->last->pid == pid)
		return s->last;
	for (p = s->procs[hash64(pid)]; p != NULL; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

bool
import_space_known(const struct import_space *s, uint32_t pid)
{
	return find(s, pid) != NULL;
}

/* ---- writing events ---- */

static int
emit(struct import_space *s, uint64_t t, const struct trace_event *ev0,
    struct pg_error *err)
{
	struct trace_event ev = *ev0;
	uint64_t rel;
	int rc;

	if (!s->started) {
		s->started = true;
		s->t0 = t;
	}
	rel = t > s->t0 ? t - s->t0 : 0;
	if (rel < s->last_t) {
		rel = s->last_t;
		s->st.clamped++;
	}
	s->last_t = rel;
	ev.time_ns = rel;
	if ((rc = trace_writer_write(s->w, &ev, err)) < 0)
		return rc;
	s->st.events++;
	switch (ev.op) {
	case TRACE_OP_PROC:
		s->st.procs++;
		break;
	case TRACE_OP_EXIT:
		s->st.exits++;
		break;
	case TRACE_OP_MAP:
		s->st.maps++;
		break;
	case TRACE_OP_UNMAP:
		s->st.unmaps++;
		break;
	case TRACE_OP_FAULT:
		s->st.faults++;
		break;
	case TRACE_OP_DIRTY:
		s->st.dirties++;
		break;
	case TRACE_OP_FREE:
		s->st.frees++;
		s->st.free_pages += ev.count;
		break;
	default:
		break;
	}
	return 0;
}

static const char *
file_path(const struct import_space *s, uint64_t obj)
{
	const struct file *f;
	unsigned i;

	/* Rare (one per map event of a file): a scan is cheap enough. */
	for (i = 0; i < HASH_BUCKETS; i++)
		for (f = s->by_key[i]; f != NULL; f = f->next_key)
			if (f->obj == obj)
				return f->path;
	return NULL;
}

/*
 * announce() - count obj by type the first time a map event names it.
 * bit 0 of the type argument set means a private-copy object.
 */
static int
announce(struct import_space *s, uint64_t obj, unsigned type, bool shadow,
    struct pg_error *err)
{
	size_t byte = (size_t)(obj >> 3), n;
	uint8_t *b;

	if (obj >= IMPORT_OBJECTS_MAX)
		return space_error(err, -ENOSPC,
		    "more than %" PRIu64 " objects (the importer's limit)",
		    (uint64_t)IMPORT_OBJECTS_MAX);
	if (byte >= s->seen_bytes) {
		n = s->seen_bytes == 0 ? 4096 : s->seen_bytes;
		while (n <= byte)
			n *= 2;
		b = realloc(s->seen, n);
		if (b == NULL)
			return space_error(err, -ENOMEM, "out of memory");
		memset(b + s->seen_bytes, 0, n - s->seen_bytes);
		s->seen = b;
		s->seen_bytes = n;
	}
	if (s->seen[byte] & (1u << (obj & 7)))
		return 0;
	s->seen[byte] |= (uint8_t)(1u << (obj & 7));
	if (shadow)
		s->st.objects_shadow++;
	else if (type == VT_FILE)
		s->st.objects_file++;
	else if (type == VT_PHYS)
		s->st.objects_phys++;
	else
		s->st.objects_anon++;
	return 0;
}

static int
emit_map(struct import_space *s, uint64_t t, struct proc *p, uint64_t obj,
    unsigned type, bool shadow, struct pg_error *err)
{
	struct trace_event ev = { 0 };
	int rc;

	if ((rc = announce(s, obj, type, shadow, err)) < 0)
		return rc;

	ev.op = TRACE_OP_MAP;
	ev.pid = p->pid;
	ev.obj = obj;
	ev.objtype = type == VT_FILE ? TRACE_OBJ_FILE :
	    type == VT_PHYS	     ? TRACE_OBJ_PHYS :
				       TRACE_OBJ_ANON;
	ev.count = IMPORT_OBJ_PAGES;
	ev.str = type == VT_FILE ? file_path(s, obj) : NULL;
	return emit(s, t, &ev, err);
}

static int
emit_simple(struct import_space *s, uint64_t t, unsigned op, uint32_t pid,
    uint64_t obj, uint64_t pindex, uint64_t count, struct pg_error *err)
{
	struct trace_event ev = { 0 };

	ev.op = (uint8_t)op;
	ev.pid = pid;
	ev.obj = obj;
	ev.pindex = pindex;
	ev.count = count;
	return emit(s, t, &ev, err);
}

/*
 * shows() - whether one of p's vmas shows obj (as object or shadow).  A
 * scan, from the most recent mappings (the end of the address space
 * holds the libraries every process maps); only mapping changes call it.
 */
static bool
shows(const struct proc *p, uint64_t obj)
{
	size_t i;

	for (i = p->nv; i-- > 0;)
		if (p->v[i].obj == obj || p->v[i].shadow == obj)
			return true;
	return false;
}

/*
 * materialize() - write p's proc event and a map event per object it shows,
 * the first time p has something to say.
 */
static int
materialize(struct import_space *s, uint64_t t, struct proc *p,
    struct pg_error *err)
{
	struct trace_event ev = { 0 };
	size_t i, j;
	int rc;

	if (p->written)
		return 0;
	ev.op = TRACE_OP_PROC;
	ev.pid = p->pid;
	ev.str = p->name;
	if ((rc = emit(s, t, &ev, err)) < 0)
		return rc;
	p->written = true;
	for (i = 0; i < p->nv; i++) {
		for (j = 0; j < i; j++)
			if (p->v[j].obj == p->v[i].obj)
				break;
		if (j == i &&
		    (rc = emit_map(s, t, p, p->v[i].obj, p->v[i].type, false,
			 err)) < 0)
			return rc;
		if (p->v[i].shadow == 0)
			continue;
		for (j = 0; j < i; j++)
			if (p->v[j].shadow == p->v[i].shadow)
				break;
		if (j == i &&
		    (rc = emit_map(s, t, p, p->v[i].shadow, VT_ANON, true,
			 err)) < 0)
			return rc;
	}
	return 0;
}

static bool
live(const struct proc *p)
{
	return p->selected;
}

/* ---- processes ---- */

static int
sanitize_name(char *dst, size_t n, const char *src)
{
	size_t i;

	if (src == NULL || *src == '\0')
		src = "?";
	for (i = 0; i + 1 < n && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c <= ' ' || c == 0x7f || c == '#') ? '_' : (char)c;
	}
	dst[i] = '\0';
	return 0;
}

static int
vma_reserve(struct proc *p, size_t more, struct pg_error *err)
{
	struct vma *nv;
	size_t cap;

	if (p->nv + more <= p->cap)
		return 0;
	if (p->nv + more > IMPORT_VMAS_MAX)
		return space_error(err, -ENOSPC,
		    "process %" PRIu32 " has more than %d mappings (the "
		    "importer's limit)",
		    p->pid, IMPORT_VMAS_MAX);
	cap = p->cap == 0 ? 16 : p->cap * 2;
	while (cap < p->nv + more)
		cap *= 2;
	if (cap > IMPORT_VMAS_MAX)
		cap = IMPORT_VMAS_MAX;
	nv = realloc(p->v, cap * sizeof(*nv));
	if (nv == NULL)
		return space_error(err, -ENOMEM, "out of memory");
	p->v = nv;
	p->cap = cap;
	return 0;
}

int
import_space_proc(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, uint32_t parent, bool vfork, struct pg_error *err)
{
	struct proc *p, *pp;
	unsigned h;

	(void)t;
	if ((p = find(s, pid)) != NULL) {
		if (p->placeholder && p->nv == 0 && parent != 0 &&
		    (pp = find(s, parent)) != NULL && !p->written) {
			/* The fork arrived after the selection: inherit. */
			p->placeholder = false;
			if (pp->nv > 0) {
				if (vma_reserve(p, pp->nv, err) < 0)
					return -ENOMEM;
				memcpy(p->v, pp->v, pp->nv * sizeof(*p->v));
				p->nv = pp->nv;
			}
			p->brk_known = pp->brk_known;
			p->brk = pp->brk;
			p->parent = parent;
			sanitize_name(p->name, sizeof(p->name), pp->name);
		}
		return 0;
	}
	if (s->nprocs >= IMPORT_PROCS_MAX)
		return space_error(err, -ENOSPC,
		    "more than %d live processes (the importer's limit)",
		    IMPORT_PROCS_MAX);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return space_error(err, -ENOMEM, "out of memory");
	p->pid = pid;
	p->parent = parent;
	pp = parent != 0 ? find(s, parent) : NULL;
	sanitize_name(p->name, sizeof(p->name),
	    name != NULL   ? name :
		pp != NULL ? pp->name :
			     NULL);
	if (pp != NULL) {
		if (pp->nv > 0) {
			p->v = malloc(pp->nv * sizeof(*p->v));
			if (p->v == NULL) {
				free(p);
				return space_error(err, -ENOMEM,
				    "out of memory");
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
	return 0;
}

int
import_space_select(struct import_space *s, uint32_t pid, bool at_exec,
    struct pg_error *err)
{
	struct proc *p = find(s, pid);
	int rc;

	if (p == NULL) {
		if ((rc = import_space_proc(s, 0, pid, NULL, 0, false, err)) <
		    0)
			return rc;
		p = find(s, pid);
		p->placeholder = true;
	}
	if (p->selected)
		return 0;
	if (at_exec)
		p->select_at_exec = true;
	else
		p->selected = true;
	return 0;
}

void
import_space_set_vfork(struct import_space *s, uint32_t pid)
{
	struct proc *p = find(s, pid);

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
			    (rc = emit_simple(s, t, TRACE_OP_UNMAP, p->pid,
				 p->v[i].obj, 0, 0, err)) < 0)
				return rc;
			if (p->v[i].shadow == 0)
				continue;
			for (j = 0; j < i; j++)
				if (p->v[j].shadow == p->v[i].shadow)
					break;
			if (j == i &&
			    (rc = emit_simple(s, t, TRACE_OP_UNMAP, p->pid,
				 p->v[i].shadow, 0, 0, err)) < 0)
				return rc;
		}
	}
	p->nv = 0;
	p->brk_known = false;
	return 0;
}

int
import_space_exec(struct import_space *s, uint64_t t, uint32_t pid,
    const char *name, struct pg_error *err)
{
	struct proc *p = find(s, pid);
	int rc;

	if (p == NULL) {
		if ((rc = import_space_proc(s, t, pid, name, 0, false, err)) <
		    0)
			return rc;
		p = find(s, pid);
	}
	if ((rc = drop_all(s, t, p, true, err)) < 0)
		return rc;
	p->vfork_of = 0;
	if (p->select_at_exec) {
		p->selected = true;
		p->select_at_exec = false;
	}
	if (!p->written)
		sanitize_name(p->name, sizeof(p->name), name);
	return 0;
}

int
import_space_exit(struct import_space *s, uint64_t t, uint32_t pid,
    struct pg_error *err)
{
	struct proc *p = find(s, pid), **pp;
	int rc;

	if (p == NULL)
		return 0;
	if (s->eager && p->selected && (rc = materialize(s, t, p, err)) < 0)
		return rc;
	if (p->written) {
		if ((rc = emit_simple(s, t, TRACE_OP_EXIT, pid, 0, 0, 0, err)) <
		    0)
			return rc;
	}
	for (pp = &s->procs[hash64(pid)]; *pp != p; pp = &(*pp)->next)
		continue;
	*pp = p->next;
	if (s->last == p)
		s->last = NULL;
	s->nprocs--;
	free(p->v);
	free(p);
	return 0;
}

/* ---- mappings ---- */

/* first_at() - index of the first vma ending after page. */
static size_t
first_at(const struct proc *p, uint64_t page)
{
	size_t lo = 0, hi = p->nv, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->v[mid].end <= page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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

	i = first_at(p, a);
	/* Split a vma that straddles both ends. */
	if (i < p->nv && p->v[i].start < a && p->v[i].end > b) {
		if ((rc = vma_reserve(p, 1, err)) < 0)
			return rc;
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
			k = s->scratch_cap == 0 ? 16 : s->scratch_cap * 2;
			nrm = realloc(s->scratch, k * sizeof(*nrm));
			if (nrm == NULL)
				return space_error(err, -ENOMEM,
				    "out of memory");
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
		if (rm->anon && shows(p, rm->obj) &&
		    (rc = emit_simple(s, t, TRACE_OP_FREE, p->pid, rm->obj,
			 rm->base, rm->count, err)) < 0)
			return rc;
		if (rm->shadow != 0 && shows(p, rm->shadow) &&
		    (rc = emit_simple(s, t, TRACE_OP_FREE, p->pid, rm->shadow,
			 rm->base, rm->count, err)) < 0)
			return rc;
	}
	for (j = 0; j < nr; j++) {
		/* ... an object that does not is unmapped, once. */
		rm = &s->scratch[j];
		for (k = 0; k < j; k++)
			if (s->scratch[k].obj == rm->obj)
				break;
		if (k == j && !shows(p, rm->obj) &&
		    (rc = emit_simple(s, t, TRACE_OP_UNMAP, p->pid, rm->obj, 0,
			 0, err)) < 0)
			return rc;
		if (rm->shadow == 0)
			continue;
		for (k = 0; k < j; k++)
			if (s->scratch[k].shadow == rm->shadow)
				break;
		if (k == j && !shows(p, rm->shadow) &&
		    (rc = emit_simple(s, t, TRACE_OP_UNMAP, p->pid, rm->shadow,
			 0, 0, err)) < 0)
			return rc;
	}
	return 0;
}

/* insert() - put v into p's sorted list; the range must be free. */
static int
insert(struct proc *p, const struct vma *v, struct pg_error *err)
{
	size_t i;
	int rc;

	i = first_at(p, v->start);
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
		return 0;
	}
	if (i < p->nv && p->v[i].start == v->end && p->v[i].obj == v->obj &&
	    p->v[i].shadow == v->shadow &&
	    p->v[i].base == v->base + (v->end - v->start)) {
		p->v[i].start = v->start;
		p->v[i].base = v->base;
		return 0;
	}
	if ((rc = vma_reserve(p, 1, err)) < 0)
		return rc;
	memmove(&p->v[i + 1], &p->v[i], (p->nv - i) * sizeof(*p->v));
	p->v[i] = *v;
	p->nv++;
	return 0;
}

static int
new_obj(struct import_space *s, unsigned type, uint64_t *obj)
{
	(void)type;
	*obj = s->next_obj++;
	return 0;
}

static struct file *
file_by_path(struct import_space *s, const char *path)
{
	struct file *f;

	for (f = s->by_path[hash_str(path)]; f != NULL; f = f->next_path)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/*
 * file_obj() - the object of a file: by (dev, ino) when known, else by
 * path.  A file first seen by path (strace) takes the inode of the first
 * record that names both; the path then follows the newest file.
 */
static int
file_obj(struct import_space *s, const struct import_mapping *m, uint64_t *obj,
    struct pg_error *err)
{
	struct file *f = NULL, *byp = NULL;
	char path[TRACE_NAME_MAX + 1];
	unsigned h;

	if (m->path != NULL && m->path[0] != '\0') {
		sanitize_name(path, sizeof(path), m->path);
	} else {
		snprintf(path, sizeof(path), "dev%" PRIu64 ":ino%" PRIu64,
		    m->dev, m->ino);
	}
	if (m->ino != 0)
		for (f = s->by_key[hash64(m->dev * 31 + m->ino)]; f != NULL;
		     f = f->next_key)
			if (f->ino == m->ino && f->dev == m->dev)
				break;
	if (f != NULL) {
		*obj = f->obj;
		return 0;
	}
	byp = file_by_path(s, path);
	if (byp != NULL && (m->ino == 0 || byp->ino == 0)) {
		if (byp->ino == 0 && m->ino != 0) {
			/* Learn the inode: rehash by key. */
			struct file **pp;

			for (pp = &s->by_key[hash64(byp->dev * 31)];
			     *pp != NULL && *pp != byp; pp = &(*pp)->next_key)
				continue;
			if (*pp == byp)
				*pp = byp->next_key;
			byp->dev = m->dev;
			byp->ino = m->ino;
			h = hash64(byp->dev * 31 + byp->ino);
			byp->next_key = s->by_key[h];
			s->by_key[h] = byp;
		}
		*obj = byp->obj;
		return 0;
	}
	if (s->nfiles >= IMPORT_FILES_MAX)
		return space_error(err, -ENOSPC,
		    "more than %d files (the importer's limit)",
		    IMPORT_FILES_MAX);
	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->path = strdup(path)) == NULL) {
		free(f);
		return space_error(err, -ENOMEM, "out of memory");
	}
	f->dev = m->ino != 0 ? m->dev : 0;
	f->ino = m->ino;
	new_obj(s, VT_FILE, &f->obj);
	h = hash64(f->dev * 31 + f->ino);
	f->next_key = s->by_key[h];
	s->by_key[h] = f;
	/* The path names the newest file; an older one stays by key. */
	if (byp != NULL) {
		struct file **pp;

		for (pp = &s->by_path[hash_str(path)]; *pp != byp;
		     pp = &(*pp)->next_path)
			continue;
		*pp = byp->next_path;
	}
	h = hash_str(path);
	f->next_path = s->by_path[h];
	s->by_path[h] = f;
	s->nfiles++;
	*obj = f->obj;
	return 0;
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
		if ((rc = file_obj(s, m, &v.obj, err)) < 0)
			return rc;
		v.base = (m->pgoff >> IMPORT_PAGE_SHIFT) + (a - s0);
		if (v.base + (b - a) > IMPORT_OBJ_PAGES)
			return space_error(err, -EINVAL,
			    "file offset 0x%" PRIx64 " is beyond the %" PRIu64
			    " pages an imported file may have",
			    m->pgoff, IMPORT_OBJ_PAGES);
	} else {
		v.type = m->kind == IMPORT_MAP_SPECIAL ? VT_PHYS : VT_ANON;
		i = first_at(p, a);
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
			new_obj(s, v.type, &v.obj);
			fresh = true;
			/* Room below for a stack to grow into. */
			v.base = m->growsdown ? IMPORT_OBJ_PAGES / 2 : 0;
		}
	}
	if (p->written && (fresh || !shows(p, v.obj)) &&
	    (rc = emit_map(s, t, p, v.obj, v.type, false, err)) < 0)
		return rc;
	return insert(p, &v, err);
}

/* same() - whether vma v already shows m at page pg (m starts at s0). */
static bool
same(const struct import_space *s, const struct vma *v, uint64_t pg,
    uint64_t s0, const struct import_mapping *m)
{
	const struct file *f;

	if (m->kind != IMPORT_MAP_FILE)
		return v->type ==
		    (m->kind == IMPORT_MAP_SPECIAL ? VT_PHYS : VT_ANON);
	if (v->type != VT_FILE || v->shared != m->shared ||
	    v->base + (pg - v->start) !=
		(m->pgoff >> IMPORT_PAGE_SHIFT) + (pg - s0))
		return false;
	if (m->ino != 0) {
		for (f = s->by_key[hash64(m->dev * 31 + m->ino)]; f != NULL;
		     f = f->next_key)
			if (f->ino == m->ino && f->dev == m->dev)
				return f->obj == v->obj;
	}
	if (m->path != NULL) {
		char path[TRACE_NAME_MAX + 1];

		sanitize_name(path, sizeof(path), m->path);
		f = file_by_path((struct import_space *)s, path);
		/* Known by path only: the inode is learnt, same object. */
		return f != NULL && f->obj == v->obj &&
		    (f->ino == 0 || m->ino == 0);
	}
	return false;
}

static struct proc *
get(struct import_space *s, uint32_t pid)
{
	struct proc *p = find(s, pid);

	if (p != NULL)
		s->last = p;
	return p;
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
		return 0;
	if ((p = get(s, pid)) == NULL) {
		if ((rc = import_space_proc(s, t, pid, NULL, 0, false, err)) <
		    0)
			return rc;
		p = get(s, pid);
	}
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + (1u << IMPORT_PAGE_SHIFT) - 1) >> IMPORT_PAGE_SHIFT;
	if (b <= a)
		return 0;
	/* Without touches, a process is written at its first mapping. */
	if (s->eager && p->selected && (rc = materialize(s, t, p, err)) < 0)
		return rc;
	if (mode == IMPORT_MAP_REPLACE) {
		if ((rc = cut(s, t, p, a, b, live(p), err)) < 0)
			return rc;
	} else {
		/* Remove the parts that hold something else. */
		for (i = first_at(p, a); i < p->nv && p->v[i].start < b;) {
			pg = p->v[i].start > a ? p->v[i].start : a;
			if (same(s, &p->v[i], pg, a, m)) {
				i++;
				continue;
			}
			gap_end = p->v[i].end < b ? p->v[i].end : b;
			if ((rc = cut(s, t, p, pg, gap_end, live(p), err)) < 0)
				return rc;
			i = first_at(p, gap_end);
		}
	}
	/* Fill the gaps. */
	pg = a;
	while (pg < b) {
		i = first_at(p, pg);
		if (i < p->nv && p->v[i].start <= pg) {
			pg = p->v[i].end;
			continue;
		}
		gap_end = i < p->nv && p->v[i].start < b ? p->v[i].start : b;
		if ((rc = add_piece(s, t, p, pg, gap_end, a, m, err)) < 0)
			return rc;
		pg = gap_end;
	}
	return 0;
}

int
import_space_unmap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, struct pg_error *err)
{
	struct proc *p = get(s, pid);
	uint64_t a, b;

	if (p == NULL || len == 0)
		return 0;
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + (1u << IMPORT_PAGE_SHIFT) - 1) >> IMPORT_PAGE_SHIFT;
	return cut(s, t, p, a, b, live(p), err);
}

int
import_space_remap(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t old, uint64_t oldlen, uint64_t newlen, uint64_t new,
    struct pg_error *err)
{
	struct proc *p = get(s, pid);
	struct vma *moved = NULL, last = { 0 }, v;
	uint64_t oa, ob, na, nb, keep;
	size_t i, n = 0;
	bool have_last = false;
	int rc = 0;

	if (p == NULL)
		return 0;
	oa = old >> IMPORT_PAGE_SHIFT;
	ob = (old + oldlen + 4095) >> IMPORT_PAGE_SHIFT;
	na = new >> IMPORT_PAGE_SHIFT;
	nb = (new + newlen + 4095) >> IMPORT_PAGE_SHIFT;
	keep = (nb - na) < (ob - oa) ? (nb - na) : (ob - oa);
	/* A shrunk tail is unmapped. */
	if (oa + keep < ob &&
	    (rc = cut(s, t, p, oa + keep, ob, live(p), err)) < 0)
		return rc;
	if (na != oa) {
		/* The destination was free, or is unmapped by MREMAP_FIXED. */
		if ((rc = cut(s, t, p, na, nb, live(p), err)) < 0)
			return rc;
		for (i = first_at(p, oa);
		     i < p->nv && p->v[i].start < oa + keep; i++)
			n++;
		if (n > 0) {
			moved = malloc(n * sizeof(*moved));
			if (moved == NULL)
				return space_error(err, -ENOMEM,
				    "out of memory");
			memcpy(moved, &p->v[first_at(p, oa)],
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
		i = first_at(p, na + keep - 1);
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
			else if ((rc = cut(s, t, p, v.start, v.end, live(p),
				      err)) < 0 ||
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
	return rc;
}

int
import_space_brk(struct import_space *s, uint64_t t, uint32_t pid, uint64_t brk,
    struct pg_error *err)
{
	struct proc *p = get(s, pid);
	struct import_mapping m = { .kind = IMPORT_MAP_ANON };
	uint64_t a, b;
	int rc = 0;

	if (p == NULL)
		return 0;
	if (!p->brk_known) {
		p->brk_known = true;
		p->brk = brk;
		return 0;
	}
	a = (p->brk + 4095) >> IMPORT_PAGE_SHIFT;
	b = (brk + 4095) >> IMPORT_PAGE_SHIFT;
	if (b > a)
		rc = import_space_map(s, t, pid, a << IMPORT_PAGE_SHIFT,
		    (b - a) << IMPORT_PAGE_SHIFT, &m, IMPORT_MAP_KEEP, err);
	else if (b < a)
		rc = cut(s, t, p, b, a, live(p), err);
	p->brk = brk;
	return rc;
}

int
import_space_discard(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, uint64_t len, bool file_too, struct pg_error *err)
{
	struct proc *p = get(s, pid);
	uint64_t a, b, lo, hi;
	struct vma *v;
	size_t i;
	int rc;

	if (p == NULL || !p->written)
		return 0;
	a = addr >> IMPORT_PAGE_SHIFT;
	b = (addr + len + 4095) >> IMPORT_PAGE_SHIFT;
	for (i = first_at(p, a); i < p->nv && p->v[i].start < b; i++) {
		v = &p->v[i];
		lo = v->start > a ? v->start : a;
		hi = v->end < b ? v->end : b;
		if (v->type == VT_PHYS || (v->type == VT_FILE && !file_too))
			goto shadow;
		if ((rc = emit_simple(s, t, TRACE_OP_FREE, p->pid, v->obj,
			 v->base + (lo - v->start), hi - lo, err)) < 0)
			return rc;
shadow:
		if (v->shadow != 0 &&
		    (rc = emit_simple(s, t, TRACE_OP_FREE, p->pid, v->shadow,
			 v->base + (lo - v->start), hi - lo, err)) < 0)
			return rc;
	}
	return 0;
}

/* ---- touches ---- */

static struct vma *
lookup(struct import_space *s, uint64_t t, struct proc *p, uint64_t pg,
    struct pg_error *err, int *rc)
{
	struct import_mapping m = { .kind = IMPORT_MAP_ANON,
		.growsdown = true };
	size_t i = first_at(p, pg);

	*rc = 0;
	if (i < p->nv && p->v[i].start <= pg)
		return &p->v[i];
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
			return NULL;
		i = first_at(p, pg);
		if (i < p->nv && p->v[i].start <= pg)
			return &p->v[i];
	}
	return NULL;
}

int
import_space_touch(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, unsigned flags, struct pg_error *err)
{
	struct proc *p = get(s, pid), *owner;
	uint64_t pg = addr >> IMPORT_PAGE_SHIFT, idx;
	bool write = (flags & IMPORT_TOUCH_WRITE) != 0;
	bool present = (flags & IMPORT_TOUCH_PRESENT) != 0;
	struct vma *v;
	size_t vi;
	int rc;

	if (p == NULL || !p->selected)
		return 0;
	s->st.samples++;
	if ((flags & IMPORT_TOUCH_KNOWN) != 0)
		s->st.with_flags++;
	if (write)
		s->st.writes++;
	/* A vfork child touches its parent's pages, if those are written. */
	owner = p;
	if (p->vfork_of != 0 &&
	    ((owner = get(s, p->vfork_of)) == NULL || !owner->selected))
		owner = p;
	v = lookup(s, t, owner, pg, err, &rc);
	if (rc < 0)
		return rc;
	if (v == NULL) {
		s->st.unresolved++;
		return 0;
	}
	s->st.resolved++;
	vi = (size_t)(v - owner->v);
	if ((rc = materialize(s, t, owner, err)) < 0)
		return rc;
	v = &owner->v[vi];
	idx = v->base + (pg - v->start);
	switch (v->type) {
	case VT_ANON:
		return emit_simple(s, t,
		    write || (s->o.anon_dirty && !present) ? TRACE_OP_DIRTY :
							     TRACE_OP_FAULT,
		    owner->pid, v->obj, idx, 1, err);
	case VT_PHYS:
		return emit_simple(s, t, TRACE_OP_FAULT, owner->pid, v->obj,
		    idx, 1, err);
	default:
		break;
	}
	if (!write || v->shared)
		return emit_simple(s, t,
		    write ? TRACE_OP_DIRTY : TRACE_OP_FAULT, owner->pid, v->obj,
		    idx, 1, err);
	/* A write to a private file page: copy-on-write into the shadow. */
	if (!present &&
	    (rc = emit_simple(s, t, TRACE_OP_FAULT, owner->pid, v->obj, idx, 1,
		 err)) < 0)
		return rc;
	if (v->shadow == 0) {
		uint64_t sh;
		size_t i;

		new_obj(s, VT_ANON, &sh);
		/* Every piece of the same private mapping shares it. */
		for (i = 0; i < owner->nv; i++)
			if (owner->v[i].obj == v->obj && !owner->v[i].shared &&
			    owner->v[i].shadow == 0)
				owner->v[i].shadow = sh;
		if ((rc = emit_map(s, t, owner, sh, VT_ANON, true, err)) < 0)
			return rc;
	}
	return emit_simple(s, t, TRACE_OP_DIRTY, owner->pid, v->shadow, idx, 1,
	    err);
}

int
import_space_implicit(struct import_space *s, uint64_t t, uint32_t pid,
    uint64_t addr, struct pg_error *err)
{
	struct import_mapping m = { .kind = IMPORT_MAP_ANON };
	struct proc *p = get(s, pid);
	uint64_t pg = addr >> IMPORT_PAGE_SHIFT, lo, hi;
	size_t i;
	int rc;

	if (p == NULL)
		return 0;
	i = first_at(p, pg);
	if (i < p->nv && p->v[i].start <= pg)
		return 0;
	/* The gap around pg, within its IMPORT_IMPLICIT_PAGES chunk. */
	lo = pg & ~(IMPORT_IMPLICIT_PAGES - 1);
	hi = lo + IMPORT_IMPLICIT_PAGES;
	if (i > 0 && p->v[i - 1].end > lo)
		lo = p->v[i - 1].end;
	if (i < p->nv && p->v[i].start < hi)
		hi = p->v[i].start;
	rc = import_space_map(s, t, pid, lo << IMPORT_PAGE_SHIFT,
	    (hi - lo) << IMPORT_PAGE_SHIFT, &m, IMPORT_MAP_KEEP, err);
	return rc < 0 ? rc : 1;
}

void
import_space_stats(const struct import_space *s, struct import_stats *st)
{
	*st = s->st;
}
