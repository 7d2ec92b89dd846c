/*
 * swap_check.c - the invariants of the swap trees (swap_tree.c), the
 * tree part of vm_swap_check(): every node reached once, of the right
 * class and fill, keys in order and inside their parent's bounds, leaves
 * at one depth, the byte budget of each object, and every node of the
 * pools either in a tree or on its free list.
 */
#include "vm/swap_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

struct sw_census {
	const struct sw_meta *t;
	uint8_t *seen[SW_NCLASS];	/* a bit per node handed out */
	uint64_t *perdev;
	uint64_t blocks;		/* of the object being walked */
	uint64_t bytes;			/* its nodes' */
	uint32_t slot;
	struct pg_error *err;
};

static int
census_fail(struct sw_census *c, const char *what, unsigned cls, uint32_t id)
{
	return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE, 0,
	    "object slot %u: swap tree node %u (%u bytes) %s", c->slot, id,
	    16u << cls, what));
}

/* Mark node id of class cls seen; false if it was already (or is bogus). */
static bool
census_mark(struct sw_census *c, unsigned cls, uint32_t id)
{
	uint8_t bit = (uint8_t)(1u << (id & 7));

	if (id >= c->t->pool[cls].next || (c->seen[cls][id >> 3] & bit) != 0)
		return (false);
	c->seen[cls][id >> 3] |= bit;
	return (true);
}

/*
 * Walk the subtree of node id, h levels tall, whose keys must lie in
 * [lo, hi).
 */
static int
check_node(struct sw_census *c, uint32_t id, uint32_t h, unsigned cls,
    bool root, uint64_t lo, uint64_t hi)
{
	const struct sw_inner *in;
	struct sw_leaf l;
	uint32_t i, min;
	uint64_t clo, chi;
	int error;

	if (!census_mark(c, cls, id))
		return (census_fail(c, "is reached twice, free or not "
		    "allocated", cls, id));
	c->bytes += 16u << cls;
	if (h == 1) {
		l = sw_leaf_at(c->t, cls, id);
		/* A root leaf of class k > 0 outgrew class k - 1 (root_shrink()). */
		min = root ? (cls == 0 ? 1 : SW_LEAF_CAP(cls - 1) / 2 + 1) :
		    SW_LEAF_MIN;
		if (*l.n == 0)
			return (census_fail(c, "is empty", cls, id));
		if (*l.n > l.cap || (*l.n < min && c->t->shrink_failed == 0))
			return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE,
			    0, "object slot %u: swap leaf %u (%u bytes) holds "
			    "%u blocks, not %u to %u", c->slot, id, 16u << cls,
			    *l.n, min, l.cap));
		for (i = 0; i < *l.n; i++) {
			if (l.key[i] < lo || l.key[i] >= hi ||
			    (i > 0 && l.key[i] <= l.key[i - 1]))
				return (census_fail(c, "has keys out of order",
				    cls, id));
			if (l.dev[i] >= SWAP_MAXDEV)
				return (census_fail(c, "names no device", cls,
				    id));
			c->perdev[l.dev[i]]++;
		}
		c->blocks += *l.n;
		return (0);
	}
	if (cls != SW_BIG)
		return (census_fail(c, "is an inner node of a small class",
		    cls, id));
	in = sw_inner_at(c->t, id);
	min = root ? 2 : SW_INNER_MIN;
	if (in->n < min || in->n > SW_INNER_MAX)
		return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE, 0,
		    "object slot %u: swap inner node %u has %u children, not "
		    "%u to %u", c->slot, id, in->n, min, SW_INNER_MAX));
	for (i = 0; i < in->n; i++) {
		clo = i == 0 ? lo : in->key[i - 1];
		chi = i + 1u == in->n ? hi : in->key[i];
		if (clo >= chi || clo < lo || chi > hi)
			return (census_fail(c, "has keys out of order", cls,
			    id));
		if ((error = check_node(c, in->child[i], h - 1, SW_BIG, false,
		    clo, chi)) != 0)
			return (error);
	}
	return (0);
}

static int
check_object(struct sw_census *c, const struct vm_object *o)
{
	int error;

	c->blocks = c->bytes = 0;
	if (o->swap_height == 0) {
		if (o->swap_root != VM_NONE)
			return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE,
			    0, "object slot %u: no swap tree but root %u",
			    c->slot, o->swap_root));
	} else {
		if (o->swap_height > SW_HEIGHT_MAX ||
		    o->swap_class >= SW_NCLASS ||
		    (o->swap_height > 1 && o->swap_class != SW_BIG))
			return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE,
			    0, "object slot %u: swap tree of height %u, root "
			    "class %u", c->slot, o->swap_height,
			    o->swap_class));
		if ((error = check_node(c, o->swap_root, o->swap_height,
		    o->swap_class, true, 0, UINT64_C(1) << 32)) != 0)
			return (error);
	}
	if (c->blocks != o->swap_count)
		return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE, 0,
		    "object slot %u: swap_count %u but %" PRIu64 " blocks",
		    c->slot, o->swap_count, c->blocks));
	/* The budget of issue 8 (swap_tree.c): 16 bytes a block. */
	if (c->bytes > 16 * c->blocks && c->t->shrink_failed == 0)
		return (pg_error_setv(c->err, -EFAULT, "", PG_POS_NONE, 0,
		    "object slot %u: swap tree of %" PRIu64 " bytes for %"
		    PRIu64 " blocks, over 16 a block", c->slot, c->bytes,
		    c->blocks));
	return (0);
}

/* Every node handed out is in a tree or on the free list, not both. */
static int
check_pools(struct sw_census *c)
{
	const struct sw_pool *p;
	uint32_t id, n, k;
	unsigned cls;

	for (cls = 0; cls < SW_NCLASS; cls++) {
		p = &c->t->pool[cls];
		n = 0;
		for (id = p->free; n < p->nfree; id = *sw_pool_link(p, id)) {
			if (!census_mark(c, cls, id))
				return (pg_error_setv(c->err, -EFAULT, "",
				    PG_POS_NONE, 0, "swap pool of %u-byte "
				    "nodes: free node %u is in use, bogus or "
				    "listed twice", 16u << cls, id));
			n++;
		}
		for (k = 0; k < p->next; k++)
			if ((c->seen[cls][k >> 3] & (1u << (k & 7))) == 0)
				return (pg_error_setv(c->err, -EFAULT, "",
				    PG_POS_NONE, 0, "swap pool of %u-byte "
				    "nodes: node %u is neither free nor in a "
				    "tree", 16u << cls, k));
		if ((uint64_t)p->next > (uint64_t)p->nslab <<
		    (SW_SLAB_SHIFT - p->shift))
			return (pg_error_setv(c->err, -EFAULT, "",
			    PG_POS_NONE, 0, "swap pool of %u-byte nodes: %u "
			    "handed out from %u slabs", 16u << cls, p->next,
			    p->nslab));
	}
	return (0);
}

int
sw_check(const struct sw_meta *t, const struct vm_machine *m,
    uint64_t perdev[SWAP_MAXDEV], struct pg_error *err)
{
	struct sw_census c = { .t = t, .perdev = perdev, .err = err };
	unsigned cls;
	uint32_t i;
	int error = 0;

	for (cls = 0; cls < SW_NCLASS; cls++) {
		c.seen[cls] = calloc((size_t)t->pool[cls].next / 8 + 1, 1);
		if (c.seen[cls] == NULL) {
			error = pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
			    "swap check: out of memory");
			goto out;
		}
	}
	for (i = 0; i < m->nobjects; i++) {
		c.slot = i;
		if (!m->objects[i].in_use) {
			if (m->objects[i].swap_height != 0 ||
			    m->objects[i].swap_count != 0) {
				error = pg_error_setv(err, -EFAULT, "",
				    PG_POS_NONE, 0, "dead object slot %u has "
				    "swap blocks", i);
				goto out;
			}
			continue;
		}
		if ((error = check_object(&c, &m->objects[i])) != 0)
			goto out;
	}
	error = check_pools(&c);
out:
	for (cls = 0; cls < SW_NCLASS; cls++)
		free(c.seen[cls]);
	return (error);
}
