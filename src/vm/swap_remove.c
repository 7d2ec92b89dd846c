/*
 * swap_remove.c - taking a block out of an object's swap tree
 * (swap_tree.c): the B+tree deletion that keeps every node but the root
 * at least half full and the root leaf in the smallest class that keeps
 * the 16-byte budget (swap_int.h).
 */
#include "vm/swap_int.h"

#include <string.h>

static void
root_shrink(struct sw_meta *t, struct vm_object *o, struct sw_leaf *l)
{
	struct sw_leaf g;
	unsigned cls = o->swap_class;
	uint32_t id;

	if (*l->n == 0) {
		sw_pool_free(&t->pool[cls], o->swap_root);
		o->swap_root = VM_NONE;
		o->swap_height = 0;
		o->swap_class = 0;
		return;
	}
	if (cls == 0 || *l->n > SW_LEAF_CAP(cls - 1) / 2)
		return;
	if (sw_pool_reserve(&t->pool[cls - 1], 1) != 0) {
		t->shrink_failed++;
		return;
	}
	id = sw_pool_alloc(&t->pool[cls - 1]);
	g = sw_leaf_at(t, cls - 1, id);
	*g.n = 0;
	sw_leaf_append(&g, l);
	sw_pool_free(&t->pool[cls], o->swap_root);
	o->swap_root = id;
	o->swap_class = (uint8_t)(cls - 1);
}

/*
 * Inner node p->node[lv] lost a child: the root gives way to its only
 * child; another node below SW_INNER_MIN borrows from a sibling or
 * merges with one (4 + 3 children fit 8), and its parent is fixed next.
 */
static void
inner_fix(struct sw_meta *t, struct vm_object *o, struct sw_path *p,
    uint32_t lv)
{
	struct sw_inner *in, *par, *sib;
	uint32_t s;

	for (;; lv--) {
		in = sw_inner_at(t, p->node[lv]);
		if (lv == 0) {
			if (in->n == 1) {
				o->swap_root = in->child[0];
				sw_pool_free(&t->pool[SW_BIG], p->node[0]);
				o->swap_height--;
			}
			return;
		}
		if (in->n >= SW_INNER_MIN)
			return;
		par = sw_inner_at(t, p->node[lv - 1]);
		s = p->slot[lv - 1];
		if (s > 0 && (sib = sw_inner_at(t, par->child[s - 1]))->n >
		    SW_INNER_MIN) {
			sw_inner_put(in, 1, par->key[s - 1], in->child[0]);
			in->child[0] = sib->child[sib->n - 1];
			par->key[s - 1] = sib->key[sib->n - 2];
			sib->n--;
			return;
		}
		if (s + 1u < par->n && (sib = sw_inner_at(t,
		    par->child[s + 1]))->n > SW_INNER_MIN) {
			in->child[in->n] = sib->child[0];
			in->key[in->n - 1] = par->key[s];
			in->n++;
			par->key[s] = sib->key[0];
			memmove(&sib->child[0], &sib->child[1],
			    (sib->n - 1u) * sizeof(sib->child[0]));
			memmove(&sib->key[0], &sib->key[1],
			    (sib->n - 2u) * sizeof(sib->key[0]));
			sib->n--;
			return;
		}
		if (s == 0) {
			/* Merge the right sibling into this node instead. */
			sib = in;
			in = sw_inner_at(t, par->child[1]);
			s = 1;
		} else
			sib = sw_inner_at(t, par->child[s - 1]);
		/* Merge in (child s of par) into sib (child s - 1). */
		sib->key[sib->n - 1] = par->key[s - 1];
		memcpy(&sib->child[sib->n], in->child,
		    in->n * sizeof(in->child[0]));
		memcpy(&sib->key[sib->n], in->key,
		    (in->n - 1u) * sizeof(in->key[0]));
		sib->n = (uint8_t)(sib->n + in->n);
		sw_pool_free(&t->pool[SW_BIG], par->child[s]);
		sw_inner_del(par, s);
	}
}

/* The big leaf of path p fell below SW_LEAF_MIN: borrow or merge. */
static void
leaf_fix(struct sw_meta *t, struct vm_object *o, struct sw_path *p)
{
	struct sw_inner *par;
	struct sw_leaf l, sib;
	uint32_t s;

	par = sw_inner_at(t, p->node[p->depth - 1]);
	s = p->slot[p->depth - 1];
	l = sw_leaf_at(t, SW_BIG, p->leaf);
	if (s > 0) {
		sib = sw_leaf_at(t, SW_BIG, par->child[s - 1]);
		if (*sib.n > SW_LEAF_MIN) {
			sw_leaf_put(&l, 0, sib.key[*sib.n - 1],
			    sib.dev[*sib.n - 1]);
			(*sib.n)--;
			par->key[s - 1] = l.key[0];
			return;
		}
	}
	if (s + 1u < par->n) {
		sib = sw_leaf_at(t, SW_BIG, par->child[s + 1]);
		if (*sib.n > SW_LEAF_MIN) {
			sw_leaf_put(&l, *l.n, sib.key[0], sib.dev[0]);
			sw_leaf_del(&sib, 0);
			par->key[s] = sib.key[0];
			return;
		}
	}
	/* 5 + 6 entries fit one leaf: merge child s into child s - 1. */
	if (s == 0) {
		sib = l;
		l = sw_leaf_at(t, SW_BIG, par->child[1]);
		s = 1;
	} else
		sib = sw_leaf_at(t, SW_BIG, par->child[s - 1]);
	sw_leaf_append(&sib, &l);
	sw_pool_free(&t->pool[SW_BIG], par->child[s]);
	sw_inner_del(par, s);
	inner_fix(t, o, p, p->depth - 1);
}

int
sw_remove(struct sw_meta *t, struct vm_object *o, uint32_t pindex)
{
	struct sw_path p;
	struct sw_leaf l;
	uint32_t i;
	int dev;

	if (o->swap_height == 0 || !sw_find(t, o, pindex, &p, &l, &i))
		return (-1);
	dev = l.dev[i];
	sw_leaf_del(&l, i);
	if (p.depth == 0)
		root_shrink(t, o, &l);
	else if (*l.n < SW_LEAF_MIN)
		leaf_fix(t, o, &p);
	return (dev);
}
