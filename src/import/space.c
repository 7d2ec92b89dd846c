/*
 * space.c - the per-process mapping model of the importers (space.h): the
 * space itself, its process table, object numbers and the events it writes.
 *
 * A process holds its mappings (vmas) sorted by start page, each naming
 * the object it shows and the object page of its first page.  Splitting a
 * mapping keeps the object; a process maps an object (in the trace) while
 * at least one of its vmas shows it, so map/unmap events are written when
 * that count goes from 0 to 1 and back.  Processes are written lazily: a
 * selected process gets its `proc` and `map` events just before its first
 * event that matters, which lets the name be the exec'ed program rather
 * than the recorder's wrapper that forked it.
 *
 * The rest of the model: processes in space_proc.c, files in space_file.c,
 * mappings in space_map.c, touches in space_touch.c (space_int.h).
 */
#include "import/space_int.h"
#include "util/grow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
space_error(struct pg_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = pg_error_vset(err, rc, "", PG_POS_NONE, 0, fmt, ap);
	va_end(ap);
	return (rc);
}

int
import_space_create(struct trace_writer *w, const struct import_options *opts,
    struct import_space **out)
{
	struct import_space *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return (-ENOMEM);
	s->w = w;
	s->o = *opts;
	s->next_obj = 1;
	*out = s;
	return (0);
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

struct proc *
space_find(const struct import_space *s, uint32_t pid)
{
	struct proc *p;

	if (s->last != NULL && s->last->pid == pid)
		return (s->last);
	for (p = s->procs[hash64(pid)]; p != NULL; p = p->next)
		if (p->pid == pid)
			return (p);
	return (NULL);
}

bool
import_space_known(const struct import_space *s, uint32_t pid)
{
	return (space_find(s, pid) != NULL);
}

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
		return (rc);
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
	return (0);
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
				return (f->path);
	return (NULL);
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
		return (space_error(err, -ENOSPC,
		    "more than %" PRIu64 " objects (the importer's limit)",
		    (uint64_t)IMPORT_OBJECTS_MAX));
	if (byte >= s->seen_bytes) {
		n = s->seen_bytes;
		b = pg_grow(s->seen, &n, byte + 1, 1, 4096,
		    IMPORT_OBJECTS_MAX / 8);
		if (b == NULL)
			return (space_error(err, -ENOMEM, "out of memory"));
		s->seen = b;
		s->seen_bytes = n;
	}
	if (s->seen[byte] & (1u << (obj & 7)))
		return (0);
	s->seen[byte] |= (uint8_t)(1u << (obj & 7));
	if (shadow)
		s->st.objects_shadow++;
	else if (type == VT_FILE)
		s->st.objects_file++;
	else if (type == VT_PHYS)
		s->st.objects_phys++;
	else
		s->st.objects_anon++;
	return (0);
}

int
space_emit_map(struct import_space *s, uint64_t t, struct proc *p, uint64_t obj,
    unsigned type, bool shadow, struct pg_error *err)
{
	struct trace_event ev = { 0 };
	int rc;

	if ((rc = announce(s, obj, type, shadow, err)) < 0)
		return (rc);

	ev.op = TRACE_OP_MAP;
	ev.pid = p->pid;
	ev.obj = obj;
	ev.objtype = type == VT_FILE ? TRACE_OBJ_FILE :
	    type == VT_PHYS	     ? TRACE_OBJ_PHYS :
				       TRACE_OBJ_ANON;
	ev.count = IMPORT_OBJ_PAGES;
	ev.str = type == VT_FILE ? file_path(s, obj) : NULL;
	return (emit(s, t, &ev, err));
}

int
space_emit_simple(struct import_space *s, uint64_t t, unsigned op, uint32_t pid,
    uint64_t obj, uint64_t pindex, uint64_t count, struct pg_error *err)
{
	struct trace_event ev = { 0 };

	ev.op = (uint8_t)op;
	ev.pid = pid;
	ev.obj = obj;
	ev.pindex = pindex;
	ev.count = count;
	return (emit(s, t, &ev, err));
}

/*
 * space_shows() - whether one of p's vmas shows obj (as object or shadow).  A
 * scan, from the most recent mappings (the end of the address space
 * holds the libraries every process maps); only mapping changes call it.
 */
bool
space_shows(const struct proc *p, uint64_t obj)
{
	size_t i;

	for (i = p->nv; i-- > 0;)
		if (p->v[i].obj == obj || p->v[i].shadow == obj)
			return (true);
	return (false);
}

/*
 * space_materialize() - write p's proc event and a map event per object it
 * shows, the first time p has something to say.
 */
int
space_materialize(struct import_space *s, uint64_t t, struct proc *p,
    struct pg_error *err)
{
	struct trace_event ev = { 0 };
	size_t i, j;
	int rc;

	if (p->written)
		return (0);
	ev.op = TRACE_OP_PROC;
	ev.pid = p->pid;
	ev.str = p->name;
	if ((rc = emit(s, t, &ev, err)) < 0)
		return (rc);
	p->written = true;
	for (i = 0; i < p->nv; i++) {
		for (j = 0; j < i; j++)
			if (p->v[j].obj == p->v[i].obj)
				break;
		if (j == i &&
		    (rc = space_emit_map(s, t, p, p->v[i].obj, p->v[i].type,
			 false, err)) < 0)
			return (rc);
		if (p->v[i].shadow == 0)
			continue;
		for (j = 0; j < i; j++)
			if (p->v[j].shadow == p->v[i].shadow)
				break;
		if (j == i &&
		    (rc = space_emit_map(s, t, p, p->v[i].shadow, VT_ANON, true,
			 err)) < 0)
			return (rc);
	}
	return (0);
}

bool
space_live(const struct proc *p)
{
	return (p->selected);
}

int
space_sanitize_name(char *dst, size_t n, const char *src)
{
	size_t i;

	if (src == NULL || *src == '\0')
		src = "?";
	for (i = 0; i + 1 < n && src[i] != '\0'; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c <= ' ' || c == 0x7f || c == '#') ? '_' : (char)c;
	}
	dst[i] = '\0';
	return (0);
}

int
space_new_obj(struct import_space *s, unsigned type, uint64_t *obj)
{
	(void)type;
	*obj = s->next_obj++;
	return (0);
}

struct proc *
space_get(struct import_space *s, uint32_t pid)
{
	struct proc *p = space_find(s, pid);

	if (p != NULL)
		s->last = p;
	return (p);
}

void
import_space_stats(const struct import_space *s, struct import_stats *st)
{
	*st = s->st;
}
