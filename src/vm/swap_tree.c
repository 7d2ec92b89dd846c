/*
 * swap_tree.c - the swap metadata: for each object a B+tree from pindex
 * to the device of its swap block (one byte), the role of the kernel's
 * per-object pctrie of struct swblk (swp_pager_meta_build() and
 * swp_pager_meta_lookup(), spec §9.5).
 *
 * Why a B+tree and not a radix trie of one-byte cells: a trie's leaf of
 * 16 cells and its 64-byte inner nodes cost far more than 16 bytes per
 * block when blocks are isolated (one block per 16 pindexes already
 * costs 20 B, one per 256 over 80 B).  A B+tree stores each block's key
 * explicitly (5 bytes: pindex and device) and keeps every node but the
 * root at least half full, which bounds the bytes per block for every
 * pattern:
 *
 * - A leaf is 64 bytes, 6 to 12 blocks (at most 64 / 6 = 10.7 B each);
 *   an inner node is 64 bytes, 4 to 8 children (the root: 2 to 8).  A
 *   tree of L >= 2 leaves has at most L / 4 + L / 16 + ... + 1 <= L / 2
 *   inner nodes, so at most 1.5 L nodes for at least 6 L blocks: 64 *
 *   1.5 / 6 = 16 B per block.  A full leaf first hands an entry to a
 *   sibling with room (shift()), so runs of pindexes fill leaves to 12
 *   blocks: 6.7 B per block for a dense object, 7.8 B for random ones.
 * - A root leaf is 16, 32 or 64 bytes (3, 6 or 12 blocks) and holds at
 *   least 1, 2 or 4 blocks: it grows with its 4th and 7th block and
 *   shrinks to 32 bytes at 3 blocks and to 16 bytes at 1, so an object
 *   with a single block costs 16 B.
 *
 * vm_swap_check() checks the bound for every object (sw_check()).  The
 * nodes come from three pools of 16 KiB slabs that are never moved: the
 * pools grow a slab at a time, without the copy and the doubled
 * capacity of a realloc'ed array, and free nodes are reused.
 */
#include "vm/swap_int.h"
#include "util/grow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int
sw_pool_reserve(struct sw_pool *p, uint64_t want)
{
	uint8_t **ns, *s;
	uint32_t per = 1u << (SW_SLAB_SHIFT - p->shift);

	while (p->nfree + ((uint64_t)p->nslab * per - p->next) < want) {
		if (p->nslab == p->slab_cap) {
			/* Ids are 32 bits: at most 2^32 / per slabs. */
			ns = pg_grow32(p->slab, &p->slab_cap,
			    (size_t)p->nslab + 1, sizeof(*ns), 16,
			    (uint32_t)((UINT64_C(1) << 32) / per - 1));
			if (ns == NULL)
				return (-ENOMEM);
			p->slab = ns;
		}
		s = malloc((size_t)1 << SW_SLAB_SHIFT);
		if (s == NULL)
			return (-ENOMEM);
		p->slab[p->nslab++] = s;
	}
	return (0);
}

void
sw_meta_init(struct sw_meta *t)
{
	unsigned c;

	memset(t, 0, sizeof(*t));
	for (c = 0; c < SW_NCLASS; c++)
		t->pool[c].shift = (uint8_t)(4 + c);
}

void
sw_meta_fini(struct sw_meta *t)
{
	uint32_t c, i;

	for (c = 0; c < SW_NCLASS; c++) {
		for (i = 0; i < t->pool[c].nslab; i++)
			free(t->pool[c].slab[i]);
		free(t->pool[c].slab);
	}
	memset(t, 0, sizeof(*t));
}

/*
 * An insertion takes one node of a small class (a new or growing root
 * leaf) or at most height + 1 big ones (a split up to a new root).
 */
int
sw_meta_reserve(struct sw_meta *t, uint32_t n)
{
	int error;

	if ((error = sw_pool_reserve(&t->pool[0], n)) != 0 ||
	    (error = sw_pool_reserve(&t->pool[1], n)) != 0)
		return (error);
	return (sw_pool_reserve(&t->pool[SW_BIG],
	    (uint64_t)n * (t->height_max + 2)));
}

void
sw_descend(const struct sw_meta *t, const struct vm_object *o, uint32_t pindex,
    struct sw_path *p)
{
	const struct sw_inner *in;
	uint32_t id = o->swap_root, d;

	for (d = 0; d + 1u < o->swap_height; d++) {
		in = sw_inner_at(t, id);
		p->node[d] = id;
		p->slot[d] = (uint8_t)sw_inner_slot(in, pindex);
		id = in->child[p->slot[d]];
	}
	p->depth = d;
	p->leaf = id;
}

int
sw_lookup(const struct sw_meta *t, const struct vm_object *o,
    uint32_t pindex)
{
	struct sw_path p;
	struct sw_leaf l;
	uint32_t i;

	if (o->swap_height == 0 || !sw_find(t, o, pindex, &p, &l, &i))
		return (-1);
	return (l.dev[i]);
}

/*
 * Split the full big leaf of path p while inserting (pindex, dev) at i:
 * 7 entries stay, 6 go to a new right sibling, and the sibling goes up,
 * splitting full inner nodes (5 children stay, 4 go) up to a new root.
 */
static void
split(struct sw_meta *t, struct vm_object *o, struct sw_path *p, uint32_t i,
    uint32_t pindex, uint8_t dev)
{
	uint32_t k[SW_INNER_MAX * 2], c[SW_INNER_MAX + 1], sep, right, lv, s;
	uint8_t d[SW_LEAF_MAX + 1];
	struct sw_leaf l, r;
	struct sw_inner *in, *rn;
	const uint32_t keep = (SW_LEAF_MAX + 2) / 2;

	l = sw_leaf_at(t, SW_BIG, p->leaf);
	memcpy(k, l.key, i * sizeof(*k));
	memcpy(d, l.dev, i);
	k[i] = pindex;
	d[i] = dev;
	memcpy(&k[i + 1], &l.key[i], (SW_LEAF_MAX - i) * sizeof(*k));
	memcpy(&d[i + 1], &l.dev[i], SW_LEAF_MAX - i);
	right = sw_pool_alloc(&t->pool[SW_BIG]);
	r = sw_leaf_at(t, SW_BIG, right);
	memcpy(l.key, k, keep * sizeof(*k));
	memcpy(l.dev, d, keep);
	*l.n = (uint8_t)keep;
	memcpy(r.key, &k[keep], (SW_LEAF_MAX + 1 - keep) * sizeof(*k));
	memcpy(r.dev, &d[keep], SW_LEAF_MAX + 1 - keep);
	*r.n = (uint8_t)(SW_LEAF_MAX + 1 - keep);
	sep = r.key[0];

	for (lv = p->depth; lv > 0; lv--) {
		in = sw_inner_at(t, p->node[lv - 1]);
		s = p->slot[lv - 1] + 1;
		if (in->n < SW_INNER_MAX) {
			sw_inner_put(in, s, sep, right);
			return;
		}
		/* 9 children and 8 keys: 5 and 4 stay, the 5th key goes up. */
		memcpy(c, in->child, s * sizeof(*c));
		c[s] = right;
		memcpy(&c[s + 1], &in->child[s],
		    (SW_INNER_MAX - s) * sizeof(*c));
		memcpy(k, in->key, (s - 1) * sizeof(*k));
		k[s - 1] = sep;
		memcpy(&k[s], &in->key[s - 1],
		    (SW_INNER_MAX - s) * sizeof(*k));
		right = sw_pool_alloc(&t->pool[SW_BIG]);
		rn = sw_inner_at(t, right);
		memset(rn, 0, sizeof(*rn));
		memcpy(in->child, c, 5 * sizeof(*c));
		memcpy(in->key, k, 4 * sizeof(*k));
		in->n = 5;
		memcpy(rn->child, &c[5], 4 * sizeof(*c));
		memcpy(rn->key, &k[5], 3 * sizeof(*k));
		rn->n = 4;
		sep = k[4];
	}
	/* The root split: a new root over the old one and its sibling. */
	s = sw_pool_alloc(&t->pool[SW_BIG]);
	in = sw_inner_at(t, s);
	memset(in, 0, sizeof(*in));
	in->child[0] = o->swap_root;
	in->child[1] = right;
	in->key[0] = sep;
	in->n = 2;
	o->swap_root = s;
	o->swap_height++;
	o->swap_class = SW_BIG;
	if (o->swap_height > t->height_max)
		t->height_max = o->swap_height;
}

/*
 * Before splitting the full big leaf l of path p, hand one entry to a
 * sibling with room, as a B*-tree does: runs of ascending or descending
 * pindexes (a laundered cluster, a process's pages) then fill leaves to
 * 12 blocks instead of leaving them at 6 or 7.  The new entry goes at i
 * of l.  False, nothing changed, when both siblings are full.
 */
static bool
shift(struct sw_meta *t, struct sw_path *p, struct sw_leaf *l, uint32_t i,
    uint32_t pindex, uint8_t dev)
{
	struct sw_inner *par;
	struct sw_leaf sib;
	uint32_t s, n = *l->n;

	par = sw_inner_at(t, p->node[p->depth - 1]);
	s = p->slot[p->depth - 1];
	if (s > 0 && *(sib = sw_leaf_at(t, SW_BIG, par->child[s - 1])).n <
	    SW_LEAF_MAX) {
		if (i == 0)
			sw_leaf_put(&sib, *sib.n, pindex, dev);
		else {
			sw_leaf_put(&sib, *sib.n, l->key[0], l->dev[0]);
			sw_leaf_del(l, 0);
			sw_leaf_put(l, i - 1, pindex, dev);
		}
		par->key[s - 1] = l->key[0];
		return (true);
	}
	if (s + 1u < par->n && *(sib = sw_leaf_at(t, SW_BIG,
	    par->child[s + 1])).n < SW_LEAF_MAX) {
		if (i == n)
			sw_leaf_put(&sib, 0, pindex, dev);
		else {
			sw_leaf_put(&sib, 0, l->key[n - 1], l->dev[n - 1]);
			sw_leaf_del(l, n - 1);
			sw_leaf_put(l, i, pindex, dev);
		}
		par->key[s] = sib.key[0];
		return (true);
	}
	return (false);
}

int
sw_insert(struct sw_meta *t, struct vm_object *o, uint32_t pindex,
    uint8_t dev, int *old)
{
	struct sw_path p;
	struct sw_leaf l, g;
	unsigned cls;
	uint32_t i, id;
	int error;

	*old = -1;
	if (o->swap_height == 0) {
		if ((error = sw_pool_reserve(&t->pool[0], 1)) != 0)
			return (error);
		id = sw_pool_alloc(&t->pool[0]);
		l = sw_leaf_at(t, 0, id);
		*l.n = 0;
		sw_leaf_put(&l, 0, pindex, dev);
		o->swap_root = id;
		o->swap_height = 1;
		o->swap_class = 0;
		if (t->height_max < 1)
			t->height_max = 1;
		return (0);
	}
	if (sw_find(t, o, pindex, &p, &l, &i)) {
		*old = l.dev[i];
		l.dev[i] = dev;
		return (0);
	}
	if (*l.n < l.cap) {
		sw_leaf_put(&l, i, pindex, dev);
		return (0);
	}
	cls = sw_leaf_class(o, &p);
	if (cls != SW_BIG) {
		/* A full small root leaf moves to the next class. */
		if ((error = sw_pool_reserve(&t->pool[cls + 1], 1)) != 0)
			return (error);
		id = sw_pool_alloc(&t->pool[cls + 1]);
		g = sw_leaf_at(t, cls + 1, id);
		*g.n = 0;
		sw_leaf_append(&g, &l);
		sw_leaf_put(&g, i, pindex, dev);
		sw_pool_free(&t->pool[cls], p.leaf);
		o->swap_root = id;
		o->swap_class = (uint8_t)(cls + 1);
		return (0);
	}
	if (p.depth > 0 && shift(t, &p, &l, i, pindex, dev))
		return (0);
	if ((error = sw_pool_reserve(&t->pool[SW_BIG], p.depth + 2)) != 0)
		return (error);
	split(t, o, &p, i, pindex, dev);
	return (0);
}

/*
 * A root leaf with few blocks moves to a smaller class (64 -> 32 bytes
 * at 3 blocks, 32 -> 16 at 1), so that it never costs more than 16
 * bytes a block; the thresholds lie below the growth points (4 and 7)
 * so that a count going up and down by one does not move it each time.
 */
bool
sw_next(const struct sw_meta *t, const struct vm_object *o, uint64_t from,
    uint32_t *pindex, uint8_t *dev)
{
	struct sw_path p;
	struct sw_leaf l;
	uint32_t i, lv, id;

	if (o->swap_height == 0 || from > UINT32_MAX)
		return (false);
	sw_descend(t, o, (uint32_t)from, &p);
	l = sw_leaf_at(t, sw_leaf_class(o, &p), p.leaf);
	i = sw_leaf_lb(&l, from);
	if (i == *l.n) {
		/* All below from: the leftmost leaf right of this one. */
		for (lv = p.depth; lv > 0; lv--)
			if (p.slot[lv - 1] + 1u < sw_inner_at(t,
			    p.node[lv - 1])->n)
				break;
		if (lv == 0)
			return (false);
		id = sw_inner_at(t, p.node[lv - 1])->child[p.slot[lv - 1] + 1];
		for (; lv < p.depth; lv++)
			id = sw_inner_at(t, id)->child[0];
		l = sw_leaf_at(t, SW_BIG, id);
		i = 0;
	}
	*pindex = l.key[i];
	*dev = l.dev[i];
	return (true);
}

static void
free_subtree(struct sw_meta *t, uint32_t id, uint32_t h, unsigned cls,
    uint32_t perdev[SWAP_MAXDEV])
{
	struct sw_inner *in;
	struct sw_leaf l;
	uint32_t i;

	if (h == 1) {
		l = sw_leaf_at(t, cls, id);
		for (i = 0; i < *l.n; i++)
			perdev[l.dev[i]]++;
	} else {
		in = sw_inner_at(t, id);
		for (i = 0; i < in->n; i++)
			free_subtree(t, in->child[i], h - 1, SW_BIG, perdev);
	}
	sw_pool_free(&t->pool[cls], id);
}

void
sw_free_all(struct sw_meta *t, struct vm_object *o,
    uint32_t perdev[SWAP_MAXDEV])
{
	if (o->swap_height == 0)
		return;
	free_subtree(t, o->swap_root, o->swap_height,
	    o->swap_height == 1 ? o->swap_class : SW_BIG, perdev);
	o->swap_root = VM_NONE;
	o->swap_height = 0;
	o->swap_class = 0;
}

uint64_t
sw_meta_bytes(const struct sw_meta *t)
{
	uint64_t b = 0;
	unsigned c;

	for (c = 0; c < SW_NCLASS; c++)
		b += ((uint64_t)t->pool[c].nslab << SW_SLAB_SHIFT) +
		    (uint64_t)t->pool[c].slab_cap * sizeof(uint8_t *);
	return (b);
}

uint64_t
sw_node_bytes(const struct sw_meta *t)
{
	uint64_t b = 0;
	unsigned c;

	for (c = 0; c < SW_NCLASS; c++)
		b += (uint64_t)(t->pool[c].next - t->pool[c].nfree) <<
		    t->pool[c].shift;
	return (b);
}

