/*
 * validate.c - the streaming semantic validator of validate.h.
 *
 * Three open-addressing tables (linear probing, backward-shift deletion, so
 * no tombstones pile up over a long trace): live processes by pid, objects
 * by id, mappings by (pid, obj).  Mappings live in a slab and are chained
 * per process, so that "exit" drops a process's mappings in time
 * proportional to their number.  Nothing is allocated per event: tables
 * grow by doubling, up to the caps.
 */
#include "trace/trace_impl.h"
#include "util/grow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define VH_MIN_CAP 64
#define VCACHE_BITS 7
#define VCACHE_SIZE (1u << VCACHE_BITS)

struct vh_entry {
	uint64_t a, b; /* the key (b = 0 for one-word keys) ... */
	uint64_t data; /* ... and what the table keeps with it */
	uint32_t val;
	uint8_t used;
	uint8_t type; /* objs: enum trace_objtype */
};

struct vhash {
	struct vh_entry *e;
	size_t mask; /* capacity - 1; capacity is a power of two */
	size_t count;
};

/* A mapping: in the slab, chained per process (prev/next; next = free list). */
struct vmap {
	uint64_t obj;
	uint64_t pages;
	uint32_t pid;
	uint32_t prev, next;
};

struct trace_validator {
	struct vhash procs; /* pid -> val = first mapping */
	struct vhash objs;  /* obj -> data = pages, val = mappings, type */
	struct vhash maps;  /* (pid, obj) -> val = slab index */
	struct vmap *slab;
	uint32_t slab_len, slab_cap, slab_free;
	uint64_t *swap; /* sizes of the swap devices added by swapon */
	uint32_t nswap, swap_cap;
	uint64_t time;
	/*
	 * The mappings page ops found lately, direct-mapped by (pid, obj):
	 * traces interleave a few streams, so most page ops find theirs
	 * here and not in the table.  Entries of an older generation are
	 * empty; every other event starts a new one.
	 */
	struct vcache_entry {
		uint64_t obj, pages;
		uint32_t pid, gen;
	} cache[VCACHE_SIZE];
	uint32_t gen;
	struct trace_validator_stats st;
};

static size_t
vh_hash(uint64_t a, uint64_t b)
{
	uint64_t h = (a ^ (b * UINT64_C(0xC2B2AE3D27D4EB4F))) *
	    UINT64_C(0x9E3779B97F4A7C15);

	return ((size_t)(h ^ (h >> 29)));
}

static struct vh_entry *
vh_find(const struct vhash *h, uint64_t a, uint64_t b)
{
	size_t i;

	if (h->e == NULL)
		return (NULL);
	for (i = vh_hash(a, b) & h->mask; h->e[i].used; i = (i + 1) & h->mask)
		if (h->e[i].a == a && h->e[i].b == b)
			return (&h->e[i]);
	return (NULL);
}

static int
vh_grow(struct vhash *h)
{
	struct vh_entry *old = h->e, *e;
	size_t oldcap = h->e != NULL ? h->mask + 1 : 0, cap, i, j;

	cap = oldcap != 0 ? oldcap * 2 : VH_MIN_CAP;
	e = calloc(cap, sizeof(*e));
	if (e == NULL)
		return (-ENOMEM);
	for (i = 0; i < oldcap; i++) {
		if (!old[i].used)
			continue;
		for (j = vh_hash(old[i].a, old[i].b) & (cap - 1); e[j].used;
		     j = (j + 1) & (cap - 1))
			continue;
		e[j] = old[i];
	}
	free(old);
	h->e = e;
	h->mask = cap - 1;
	return (0);
}

/* vh_insert() - add a key known to be absent; the table stays half empty. */
static struct vh_entry *
vh_insert(struct vhash *h, uint64_t a, uint64_t b)
{
	size_t i;

	if (h->e == NULL || (h->count + 1) * 2 > h->mask + 1)
		if (vh_grow(h) < 0)
			return (NULL);
	for (i = vh_hash(a, b) & h->mask; h->e[i].used; i = (i + 1) & h->mask)
		continue;
	h->e[i] = (struct vh_entry) { .a = a, .b = b, .used = 1 };
	h->count++;
	return (&h->e[i]);
}

/* vh_remove() - delete e, shifting back later entries of its cluster. */
static void
vh_remove(struct vhash *h, struct vh_entry *e)
{
	size_t i = (size_t)(e - h->e), j = i, k;

	h->count--;
	for (;;) {
		h->e[i].used = 0;
		for (;;) {
			j = (j + 1) & h->mask;
			if (!h->e[j].used)
				return;
			k = vh_hash(h->e[j].a, h->e[j].b) & h->mask;
			/* Entry j may move to i unless its home lies in (i, j].
			 */
			if (i <= j ? (k <= i || k > j) : (k <= i && k > j))
				break;
		}
		h->e[i] = h->e[j];
		i = j;
	}
}

static int verr(struct pg_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
verr(struct pg_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = pg_error_vset(err, rc, "", PG_POS_NONE, 0, fmt, ap);
	va_end(ap);
	return (rc);
}

int
trace_validator_create(struct trace_validator **out)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return (-ENOMEM);
	(*out)->slab_free = NIL;
	(*out)->gen = 1; /* the zeroed entries are of generation 0: empty */
	return (0);
}

/* cache_clear() - empty the mapping cache: a new generation. */
static void
cache_clear(struct trace_validator *v)
{
	if (++v->gen == 0) {
		memset(v->cache, 0, sizeof(v->cache));
		v->gen = 1;
	}
}

void
trace_validator_destroy(struct trace_validator *v)
{
	if (v == NULL)
		return;
	free(v->procs.e);
	free(v->objs.e);
	free(v->maps.e);
	free(v->slab);
	free(v->swap);
	free(v);
}

void
trace_validator_stats(const struct trace_validator *v,
    struct trace_validator_stats *st)
{
	*st = v->st;
	st->live_procs = v->procs.count;
	st->live_objects = v->objs.count;
	st->live_maps = v->maps.count;
}

/* Drop one reference to obj; an anonymous object without any is destroyed. */
static void
obj_unref(struct trace_validator *v, uint64_t obj)
{
	struct vh_entry *o = vh_find(&v->objs, obj, 0);

	if (o == NULL)
		return;
	if (--o->val == 0 && o->type == TRACE_OBJ_ANON)
		vh_remove(&v->objs, o);
}

static void
map_unlink(struct trace_validator *v, struct vh_entry *p, uint32_t m)
{
	struct vmap *mp = &v->slab[m];

	if (mp->prev != NIL)
		v->slab[mp->prev].next = mp->next;
	else
		p->val = mp->next;
	if (mp->next != NIL)
		v->slab[mp->next].prev = mp->prev;
	mp->next = v->slab_free;
	v->slab_free = m;
}

static int
do_map(struct trace_validator *v, const struct trace_event *ev,
    struct vh_entry *p, struct pg_error *err)
{
	struct vh_entry *o, *me;
	struct vmap *mp, *grown;
	uint32_t m;

	if (vh_find(&v->maps, ev->pid, ev->obj) != NULL)
		return (verr(err, -EINVAL,
		    "pid %" PRIu32 " already maps object "
		    "%" PRIu64,
		    ev->pid, ev->obj));
	o = vh_find(&v->objs, ev->obj, 0);
	if (o != NULL && (o->type != ev->objtype || o->data != ev->count))
		return (verr(err, -EINVAL,
		    "object %" PRIu64 " is %s of %" PRIu64
		    " pages, not %s of %" PRIu64 " pages: every map of an "
		    "object must agree",
		    ev->obj, trace_objtype_name(o->type), o->data,
		    trace_objtype_name(ev->objtype), ev->count));
	if (o == NULL && v->objs.count >= TRACE_VALIDATE_OBJECTS_MAX)
		return (verr(err, -EINVAL,
		    "too many objects: the limit is %" PRIu32,
		    TRACE_VALIDATE_OBJECTS_MAX));
	if (v->maps.count >= TRACE_VALIDATE_MAPS_MAX)
		return (verr(err, -EINVAL,
		    "too many live mappings: the limit is "
		    "%" PRIu32,
		    TRACE_VALIDATE_MAPS_MAX));

	/* Allocate everything before changing anything. */
	if (v->slab_free == NIL) {
		grown = pg_grow32(v->slab, &v->slab_cap, (size_t)v->slab_len + 1,
		    sizeof(*grown), 64, NIL);
		if (grown == NULL)
			goto nomem;
		v->slab = grown;
	}
	if (o == NULL) {
		o = vh_insert(&v->objs, ev->obj, 0);
		if (o == NULL)
			goto nomem;
		o->type = ev->objtype;
		o->data = ev->count;
		o->val = 0;
		v->st.objects++;
	}
	me = vh_insert(&v->maps, ev->pid, ev->obj);
	if (me == NULL) {
		if (o->val == 0)
			vh_remove(&v->objs, o);
		goto nomem;
	}
	if (v->slab_free != NIL) {
		m = v->slab_free;
		v->slab_free = v->slab[m].next;
	} else {
		m = v->slab_len++;
	}
	me->val = m;
	mp = &v->slab[m];
	mp->obj = ev->obj;
	mp->pages = ev->count;
	mp->pid = ev->pid;
	mp->prev = NIL;
	mp->next = p->val;
	if (p->val != NIL)
		v->slab[p->val].prev = m;
	p->val = m;
	o->val++;
	v->st.pages_mapped += ev->count;
	return (0);
nomem:
	return (verr(err, -ENOMEM, "out of memory"));
}

static int
do_exit(struct trace_validator *v, struct vh_entry *p)
{
	uint32_t m, next;
	struct vh_entry *me;

	for (m = p->val; m != NIL; m = next) {
		next = v->slab[m].next;
		me = vh_find(&v->maps, v->slab[m].pid, v->slab[m].obj);
		if (me != NULL)
			vh_remove(&v->maps, me);
		obj_unref(v, v->slab[m].obj);
		v->slab[m].next = v->slab_free;
		v->slab_free = m;
	}
	vh_remove(&v->procs, p);
	return (0);
}

static int
do_swap(struct trace_validator *v, const struct trace_event *ev,
    struct pg_error *err)
{
	uint64_t *grown;
	uint32_t i;

	if (ev->op == TRACE_OP_SWAPON) {
		if (v->nswap >= TRACE_VALIDATE_SWAPDEVS_MAX)
			return (verr(err, -EINVAL,
			    "too many swap devices: the "
			    "limit is %d",
			    TRACE_VALIDATE_SWAPDEVS_MAX));
		grown = pg_grow32(v->swap, &v->swap_cap, (size_t)v->nswap + 1,
		    sizeof(*grown), 8, TRACE_VALIDATE_SWAPDEVS_MAX);
		if (grown == NULL)
			return (verr(err, -ENOMEM, "out of memory"));
		v->swap = grown;
		v->swap[v->nswap++] = ev->count;
		return (0);
	}
	for (i = 0; i < v->nswap; i++) {
		if (v->swap[i] == ev->count) {
			v->swap[i] = v->swap[--v->nswap];
			return (0);
		}
	}
	return (verr(err, -EINVAL,
	    "swapoff %" PRIu64 ": no swap device of %" PRIu64
	    " pages added by swapon is active (a trace can only remove "
	    "swap it added)",
	    ev->count, ev->count));
}

/*
 * check_event() - every check of one event, with the message of the first
 * that fails.  Out of line: trace_validator_check() takes the page ops
 * that pass without it, so that they do not pay for this frame, and keeps
 * the mapping they last found.
 */
static __attribute__((noinline)) int
check_event(struct trace_validator *v, const struct trace_event *ev,
    struct pg_error *err)
{
	struct vh_entry *p, *me;
	uint64_t pages;
	char a[32], b[32];
	int rc;

	if (ev->time_ns < v->time)
		return (verr(err, -EINVAL,
		    "time %s goes backwards: the previous "
		    "event is at %s",
		    trace_time_format(ev->time_ns, a, sizeof(a)),
		    trace_time_format(v->time, b, sizeof(b))));

	if (ev->op >= TRACE_OP_FAULT && ev->op <= TRACE_OP_UNWIRE) {
		if (ev->count == 0 || ev->pindex >= TRACE_PAGES_MAX ||
		    ev->count > TRACE_PAGES_MAX - ev->pindex)
			goto syntax;
		/* The mapping cache is page_op_passes()'s to fill. */
		me = vh_find(&v->maps, ev->pid, ev->obj);
		if (me == NULL) {
			if (vh_find(&v->procs, ev->pid, 0) == NULL)
				goto notlive;
			return (verr(err, -EINVAL,
			    "pid %" PRIu32 " has "
			    "not mapped object %" PRIu64,
			    ev->pid, ev->obj));
		}
		pages = v->slab[me->val].pages;
		if (ev->pindex >= pages)
			return (verr(err, -EINVAL,
			    "PINDEX %" PRIu64 " is beyond "
			    "object %" PRIu64 "'s %" PRIu64 " pages",
			    ev->pindex, ev->obj, pages));
		if (ev->pindex + ev->count > pages)
			return (verr(err, -EINVAL,
			    "PINDEX+COUNT %" PRIu64 " exceeds object %" PRIu64
			    "'s %" PRIu64 " pages",
			    ev->pindex + ev->count, ev->obj, pages));
		v->time = ev->time_ns;
		return (0);
	}

	if ((rc = trace_event_check(ev, a, 0)) < 0)
		goto syntax;
	cache_clear(v);
	switch (ev->op) {
	case TRACE_OP_PROC:
		if (vh_find(&v->procs, ev->pid, 0) != NULL)
			return (verr(err, -EINVAL,
			    "pid %" PRIu32 " is already "
			    "running: a second proc before its exit",
			    ev->pid));
		if (v->procs.count >= TRACE_VALIDATE_PROCS_MAX)
			return (verr(err, -EINVAL,
			    "too many live processes: the "
			    "limit is %" PRIu32,
			    TRACE_VALIDATE_PROCS_MAX));
		/*
		 * The simulator keeps every process for the report, exited
		 * or not: the total, not only the live count, needs a cap.
		 */
		if (v->st.procs >= TRACE_VALIDATE_PROCS_TOTAL_MAX)
			return (verr(err, -EINVAL,
			    "too many processes in one trace: the "
			    "limit is %" PRIu32,
			    TRACE_VALIDATE_PROCS_TOTAL_MAX));
		p = vh_insert(&v->procs, ev->pid, 0);
		if (p == NULL)
			return (verr(err, -ENOMEM, "out of memory"));
		p->val = NIL;
		v->st.procs++;
		break;
	case TRACE_OP_EXIT:
	case TRACE_OP_MAP:
	case TRACE_OP_UNMAP:
		p = vh_find(&v->procs, ev->pid, 0);
		if (p == NULL)
			goto notlive;
		if (ev->op == TRACE_OP_EXIT) {
			do_exit(v, p);
		} else if (ev->op == TRACE_OP_MAP) {
			if ((rc = do_map(v, ev, p, err)) < 0)
				return (rc);
		} else {
			me = vh_find(&v->maps, ev->pid, ev->obj);
			if (me == NULL)
				return (verr(err, -EINVAL,
				    "unmap: pid %" PRIu32
				    " has not mapped object %" PRIu64,
				    ev->pid, ev->obj));
			map_unlink(v, p, me->val);
			vh_remove(&v->maps, me);
			obj_unref(v, ev->obj);
		}
		break;
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		if ((rc = do_swap(v, ev, err)) < 0)
			return (rc);
		break;
	default:
		break;
	}
	v->time = ev->time_ns;
	return (0);

syntax : {
	char msg[PG_ERROR_MSG_MAX];

	trace_event_check(ev, msg, sizeof(msg));
	return (verr(err, -EINVAL, "%s", msg));
}
notlive:
	return (verr(err, -EINVAL,
	    "pid %" PRIu32 " is not running: a proc "
	    "event must come first (and none since its exit)",
	    ev->pid));
}

/*
 * page_op_passes() - whether ev is a page op that passes: its mapping
 * found (in the cache, or in the table), count at least 1 and the range
 * within the mapping's pages, which a map event keeps within
 * TRACE_PAGES_MAX.  Accounts for it if so, keeping the mapping it found;
 * anything else is for check_event().
 */
static inline bool
page_op_passes(struct trace_validator *v, const struct trace_event *ev)
{
	const struct vh_entry *me;
	struct vcache_entry *c;
	uint64_t h;

	if ((unsigned)ev->op - TRACE_OP_FAULT > TRACE_OP_UNWIRE - TRACE_OP_FAULT ||
	    ev->time_ns < v->time)
		return (false);
	h = (ev->obj ^ (uint64_t)ev->pid << 32) * UINT64_C(0x9E3779B97F4A7C15);
	c = &v->cache[h >> (64 - VCACHE_BITS)];
	if (c->gen != v->gen || c->pid != ev->pid || c->obj != ev->obj) {
		me = vh_find(&v->maps, ev->pid, ev->obj);
		if (me == NULL)
			return (false);
		*c = (struct vcache_entry) { .obj = ev->obj, .pid = ev->pid,
			.gen = v->gen, .pages = v->slab[me->val].pages };
	}
	if (ev->count == 0 || ev->pindex >= c->pages ||
	    ev->count > c->pages - ev->pindex)
		return (false);
	v->time = ev->time_ns;
	return (true);
}

int
trace_validator_check(struct trace_validator *v, const struct trace_event *ev,
    struct pg_error *err)
{
	if (page_op_passes(v, ev))
		return (0);
	return (check_event(v, ev, err));
}

size_t
trace_validator_pages(struct trace_validator *v, const struct trace_event *ev,
    size_t n)
{
	size_t i;

	for (i = 0; i < n && page_op_passes(v, &ev[i]); i++)
		continue;
	return (i);
}
