/*
 * swap_int.h - private to src/vm/: the swap metadata, each object's
 * B+tree of (pindex -> device) kept in pools of 16-, 32- and 64-byte
 * nodes (swap_tree.c), as swap.c uses it.
 *
 * The budget (issue 8): the nodes an object holds never take more than
 * 16 bytes per swap block it has, whatever the pattern of its blocks,
 * because every node but the root is at least half full and the root
 * leaf shrinks with the object (swap_tree.c says why this suffices).
 * The pools hold slabs of 16 KiB and never move a node, so growth costs
 * one slab at a time and no copy.
 */
#ifndef PGREPLAY_VM_SWAP_INT_H
#define PGREPLAY_VM_SWAP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/pgerr.h"
#include "vm/vm.h"

#define SWAP_MAXDEV 32

#define SW_NCLASS 3		/* node classes: 16 << class bytes */
#define SW_BIG 2		/* 64-byte nodes: all but small root leaves */

struct sw_pool {
	uint8_t **slab;		/* 16 KiB each; never moved or freed early */
	uint32_t nslab, slab_cap;
	uint32_t next;		/* nodes handed out so far */
	uint32_t free;		/* free nodes, linked by their first word */
	uint32_t nfree;
	uint8_t shift;		/* log2 of the node size */
};

struct sw_meta {
	struct sw_pool pool[SW_NCLASS];
	uint32_t height_max;	/* the tallest tree so far */
	uint64_t shrink_failed;	/* root leaves left too big (host OOM) */
};

void sw_meta_init(struct sw_meta *t);
void sw_meta_fini(struct sw_meta *t);
/* Free nodes for n insertions without host allocation; 0 or -ENOMEM. */
int sw_meta_reserve(struct sw_meta *t, uint32_t n);
/* The device of (o, pindex), or -1 when it has no block. */
int sw_lookup(const struct sw_meta *t, const struct vm_object *o,
    uint32_t pindex);
/*
 * Record dev for (o, pindex): *old is the device it had, or -1 when the
 * block is new.  0, or -ENOMEM with nothing changed.
 */
int sw_insert(struct sw_meta *t, struct vm_object *o, uint32_t pindex,
    uint8_t dev, int *old);
/* Forget (o, pindex): its device, or -1 when it had no block. */
int sw_remove(struct sw_meta *t, struct vm_object *o, uint32_t pindex);
/* The first block of o at or after from, in pindex order: false if none. */
bool sw_next(const struct sw_meta *t, const struct vm_object *o,
    uint64_t from, uint32_t *pindex, uint8_t *dev);
/* Forget every block of o; perdev[d] += its blocks on device d. */
void sw_free_all(struct sw_meta *t, struct vm_object *o,
    uint32_t perdev[SWAP_MAXDEV]);
/* Bytes of the pools (slabs and their tables), and of the nodes in use. */
uint64_t sw_meta_bytes(const struct sw_meta *t);
uint64_t sw_node_bytes(const struct sw_meta *t);
/*
 * Check every object's tree and the pools: order, fill, heights, the
 * byte budget, blocks per device (added to perdev) and per object (must
 * equal swap_count), every node used once or free.  0, -EFAULT or
 * -ENOMEM (the checker's own bitmap), err filled.
 */
int sw_check(const struct sw_meta *t, const struct vm_machine *m,
    uint64_t perdev[SWAP_MAXDEV], struct pg_error *err);

/* swap.c: the devices and the machine's swap state (m->swap). */
struct swap_dev {
	uint64_t nblks;
	uint64_t used;		/* blocks reserved or assigned */
	bool active;
	bool closing;		/* SW_CLOSING: being removed by swapoff */
};

struct vm_swap {
	struct swap_dev dev[SWAP_MAXDEV];
	uint32_t order[SWAP_MAXDEV];	/* active devices, oldest first */
	uint32_t ndev;
	uint64_t total;			/* blocks of the active devices */
	uint64_t avail;			/* swap_pager_avail */
	int full;			/* swap_pager_full */
	int almost_full;		/* swap_pager_almost_full */
	uint32_t nblk;			/* blocks assigned to pages */
	struct sw_meta meta;		/* the objects' trees (swap_tree.c) */
};

/* ---- the nodes and helpers of swap_tree.c, swap_remove.c, swap_check.c ---- */

#define SW_SLAB_SHIFT 14	/* 16 KiB slabs */
#define SW_LEAF_CAP(cls) (3u << (cls))	/* 5 bytes a block, 1 for n */
#define SW_LEAF_MAX 12
#define SW_LEAF_MIN 6
#define SW_INNER_MAX 8
#define SW_INNER_MIN 4
/* 2 root children, 4 per inner node, 6 blocks a leaf: 2^32 blocks fit. */
#define SW_HEIGHT_MAX 16

/* An inner node: child[i] holds the pindexes in [key[i - 1], key[i]). */
struct sw_inner {
	uint32_t child[SW_INNER_MAX];
	uint32_t key[SW_INNER_MAX - 1];
	uint8_t pad[3];
	uint8_t n;		/* children; at the last byte, as in a leaf */
};
_Static_assert(sizeof(struct sw_inner) == 64, "an inner node is 64 bytes");

/* A leaf of class cls: cap keys, cap devices, the count in the last byte. */
struct sw_leaf {
	uint32_t *key;
	uint8_t *dev;
	uint8_t *n;
	uint32_t cap;
};

/* The inner nodes from the root to a leaf, and the child taken in each. */
struct sw_path {
	uint32_t node[SW_HEIGHT_MAX];
	uint8_t slot[SW_HEIGHT_MAX];
	uint32_t depth;		/* inner nodes above the leaf */
	uint32_t leaf;
};

/* Make sure want nodes can be taken without a host allocation: 0 or -ENOMEM. */
int sw_pool_reserve(struct sw_pool *p, uint64_t want);
/* The path from o's root to the leaf where pindex is or would be. */
void sw_descend(const struct sw_meta *t, const struct vm_object *o,
    uint32_t pindex, struct sw_path *p);

static inline uint8_t *
sw_pool_node(const struct sw_pool *p, uint32_t id)
{
	unsigned per = SW_SLAB_SHIFT - p->shift;

	return (p->slab[id >> per] +
	    ((size_t)(id & ((1u << per) - 1)) << p->shift));
}

static inline uint32_t *
sw_pool_link(const struct sw_pool *p, uint32_t id)
{
	return ((uint32_t *)(void *)sw_pool_node(p, id));
}

/* sw_pool_node() of the 64-byte pool, its node size a constant. */
static inline uint8_t *
sw_big_node(const struct sw_meta *t, uint32_t id)
{
	enum { per = SW_SLAB_SHIFT - (4 + SW_BIG) };

	return (t->pool[SW_BIG].slab[id >> per] +
	    ((size_t)(id & ((1u << per) - 1)) << (4 + SW_BIG)));
}

static inline struct sw_inner *
sw_inner_at(const struct sw_meta *t, uint32_t id)
{
	return ((struct sw_inner *)(void *)sw_big_node(t, id));
}

static inline struct sw_leaf
sw_leaf_at(const struct sw_meta *t, unsigned cls, uint32_t id)
{
	struct sw_leaf l;
	uint8_t *b = sw_pool_node(&t->pool[cls], id);

	l.cap = SW_LEAF_CAP(cls);
	l.key = (uint32_t *)(void *)b;
	l.dev = b + 4 * l.cap;
	l.n = b + (16u << cls) - 1;
	return (l);
}

/*
 * The searches of a descent.  A node's keys are sorted, so the number of
 * them on one side of the pindex is found by halving: three or four
 * steps of a load, two comparisons and an add, where a loop over the keys
 * took about four rounds of a compare and a branch that the processor
 * cannot foresee.  Places past the node's keys count as infinite; the
 * keys read there are still inside the node.
 */

/* The child of in that holds pindex: the number of its n - 1 keys <= pindex. */
static inline uint32_t
sw_inner_slot(const struct sw_inner *in, uint32_t pindex)
{
	uint32_t nk = in->n > 0 ? in->n - 1u : 0, i;

	_Static_assert(SW_INNER_MAX - 1 <= 7, "three halvings cover the keys");
	i = 4 * (uint32_t)((3 < nk) & (in->key[3] <= pindex));
	i += 2 * (uint32_t)((i + 1 < nk) & (in->key[i + 1] <= pindex));
	i += (uint32_t)((i < nk) & (in->key[i] <= pindex));
	return (i);
}

/*
 * The first entry of l whose pindex is >= pindex: the number of its n
 * keys < pindex.  A 64-byte leaf (12 keys, then devices and count: keys
 * read up to place 14 stay inside it) by halving, a small root leaf key
 * by key.
 */
static inline uint32_t
sw_leaf_lb(const struct sw_leaf *l, uint64_t pindex)
{
	uint32_t i, n = *l->n;

	_Static_assert(SW_LEAF_MAX <= 15 && 4 * (SW_LEAF_MAX + 3) <= 64 - 1,
	    "four halvings cover a big leaf, and stay in it");
	if (l->cap == SW_LEAF_MAX) {
		i = 8 * (uint32_t)((7 < n) & (l->key[7] < pindex));
		i += 4 * (uint32_t)((i + 3 < n) & (l->key[i + 3] < pindex));
		i += 2 * (uint32_t)((i + 1 < n) & (l->key[i + 1] < pindex));
		i += (uint32_t)((i < n) & (l->key[i] < pindex));
		return (i);
	}
	for (i = 0; i < n && l->key[i] < pindex; i++)
		;
	return (i);
}

/* The class of the leaf a path ends at: only a root leaf may be small. */
static inline unsigned
sw_leaf_class(const struct vm_object *o, const struct sw_path *p)
{
	return (p->depth == 0 ? o->swap_class : SW_BIG);
}

/*
 * sw_find() - in o's tree (o has one), the path p to the leaf *l where
 * pindex is or would go and the entry *at it has or would take: true
 * when pindex has a block.
 */
static inline bool
sw_find(const struct sw_meta *t, const struct vm_object *o, uint32_t pindex,
    struct sw_path *p, struct sw_leaf *l, uint32_t *at)
{
	sw_descend(t, o, pindex, p);
	*l = sw_leaf_at(t, sw_leaf_class(o, p), p->leaf);
	*at = sw_leaf_lb(l, pindex);
	return (*at < *l->n && l->key[*at] == pindex);
}

/* A node from a pool known (sw_pool_reserve()) to have one. */
static inline uint32_t
sw_pool_alloc(struct sw_pool *p)
{
	uint32_t id;

	if (p->nfree > 0) {
		id = p->free;
		p->free = *sw_pool_link(p, id);
		p->nfree--;
		return (id);
	}
	return (p->next++);
}

static inline void
sw_pool_free(struct sw_pool *p, uint32_t id)
{
	*sw_pool_link(p, id) = p->free;
	p->free = id;
	p->nfree++;
}

static inline void
sw_leaf_put(struct sw_leaf *l, uint32_t i, uint32_t pindex, uint8_t dev)
{
	uint32_t n = *l->n;

	memmove(&l->key[i + 1], &l->key[i], (n - i) * sizeof(*l->key));
	memmove(&l->dev[i + 1], &l->dev[i], n - i);
	l->key[i] = pindex;
	l->dev[i] = dev;
	*l->n = (uint8_t)(n + 1);
}

static inline void
sw_leaf_del(struct sw_leaf *l, uint32_t i)
{
	uint32_t n = *l->n;

	memmove(&l->key[i], &l->key[i + 1], (n - i - 1) * sizeof(*l->key));
	memmove(&l->dev[i], &l->dev[i + 1], n - i - 1);
	*l->n = (uint8_t)(n - 1);
}

/* Append the entries of src to dst (which has room). */
static inline void
sw_leaf_append(struct sw_leaf *dst, const struct sw_leaf *src)
{
	memcpy(&dst->key[*dst->n], src->key, *src->n * sizeof(*src->key));
	memcpy(&dst->dev[*dst->n], src->dev, *src->n);
	*dst->n = (uint8_t)(*dst->n + *src->n);
}

/* Insert child c with lower bound key as child number i of in (room). */
static inline void
sw_inner_put(struct sw_inner *in, uint32_t i, uint32_t key, uint32_t c)
{
	memmove(&in->child[i + 1], &in->child[i],
	    (in->n - i) * sizeof(in->child[0]));
	memmove(&in->key[i], &in->key[i - 1],
	    (in->n - i) * sizeof(in->key[0]));
	in->child[i] = c;
	in->key[i - 1] = key;
	in->n++;
}

/* Remove child i >= 1 of in and the key below it. */
static inline void
sw_inner_del(struct sw_inner *in, uint32_t i)
{
	memmove(&in->child[i], &in->child[i + 1],
	    (in->n - i - 1) * sizeof(in->child[0]));
	memmove(&in->key[i - 1], &in->key[i],
	    (in->n - i - 1) * sizeof(in->key[0]));
	in->n--;
}

#endif
