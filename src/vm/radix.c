/*
 * radix.c - the per-object page index: pindex -> resident page, the role
 * of the kernel's per-object vm_radix trie (vm_page_lookup()).
 *
 * Each object has its own trie of 16-way nodes (one 64-byte cache line
 * each); a node holds page numbers at the bottom level and node numbers
 * above.  The trie is only as tall as the largest pindex inserted so far
 * needs (16^height > pindex, at most 8 levels for 32-bit indices), so a
 * small object costs one node and a huge, sparse one only the paths to
 * its resident pages.  A node that becomes empty is freed at once, so the
 * nodes in use are bounded by the resident pages times the height, and
 * about resident / 15 for dense objects (4.3 bytes per resident page).
 *
 * Nodes come from one pool in the machine (m->rn), recycled through a
 * free list threaded through their first cell and grown by doubling; it
 * starts with room for every physical page resident in dense objects, so
 * the usual trace never grows it.  Nodes never used, [rn_fresh, rn_cap),
 * are handed out after the free list, so the pool's memory is written
 * only as far as the trace needs it.  Compared with the global (object,
 * pindex) hash it replaces, a lookup touches the object's few top nodes,
 * which stay in cache, and then one leaf line shared by 16 neighbouring
 * pages, where the hash touched a random bucket and a random page.
 */
#include "vm/vm_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>

#define RN_SHIFT 4
#define RN_FANOUT (1u << RN_SHIFT)
#define RN_MASK (RN_FANOUT - 1)
#define RN_HEIGHT_MAX 8		/* 16^8 = 2^32 page indices */

static inline uint32_t *
rn_cells(const struct vm_machine *m, uint32_t node)
{
	return (&m->rn[(size_t)node * RN_FANOUT]);
}

/* Make room for nodes free nodes; 0 or -ENOMEM (pool unchanged). */
static int
rn_reserve(struct vm_machine *m, uint32_t nodes)
{
	uint32_t *n, old = m->rn_cap;

	if (m->rn_nfree >= nodes)
		return (0);
	/* At most 2^27 nodes: a cell index (node * 16) fits 32 bits. */
	n = pg_grow32(m->rn, &m->rn_cap, (size_t)old + nodes - m->rn_nfree,
	    RN_FANOUT * sizeof(*n), 64, UINT32_C(1) << 27);
	if (n == NULL)
		return (-ENOMEM);
	m->rn = n;
	/* The new nodes extend the never-used range [rn_fresh, rn_cap). */
	m->rn_nfree += m->rn_cap - old;
	return (0);
}

/* A node with every cell VM_NONE, from a pool known to have one. */
static uint32_t
rn_alloc(struct vm_machine *m)
{
	uint32_t node, *c, i;

	if (m->rn_free != VM_NONE) {
		node = m->rn_free;
		m->rn_free = rn_cells(m, node)[0];
	} else {
		node = m->rn_fresh++;
	}
	m->rn_nfree--;
	c = rn_cells(m, node);
	for (i = 0; i < RN_FANOUT; i++)
		c[i] = VM_NONE;
	return (node);
}

static void
rn_free(struct vm_machine *m, uint32_t node)
{
	rn_cells(m, node)[0] = m->rn_free;
	m->rn_free = node;
	m->rn_nfree++;
}

int
vm_radix_init(struct vm_machine *m)
{
	m->rn = NULL;
	m->rn_cap = m->rn_nfree = m->rn_fresh = 0;
	m->rn_free = VM_NONE;
	/* Dense residency: one leaf per 16 pages, 1/15 more above. */
	return (rn_reserve(m, m->npages / 15 + 64));
}

void
vm_radix_fini(struct vm_machine *m)
{
	free(m->rn);
	m->rn = NULL;
	m->rn_cap = m->rn_nfree = m->rn_fresh = 0;
	m->rn_free = VM_NONE;
}

/*
 * The cell of pindex in obj's trie, or NULL if no leaf covers it; reads
 * the nodes above the leaf only, so that vm_fault_prefetch_leaf() can
 * load the leaf without waiting for it.
 */
const uint32_t *
vm_radix_cell(const struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	const struct vm_object *o = &m->objects[obj];
	uint32_t node, sh;

	node = o->rn_root;
	if (node == VM_NONE || ((uint64_t)pindex >> (RN_SHIFT * o->rn_height)) != 0)
		return (NULL);
	for (sh = RN_SHIFT * (o->rn_height - 1u); sh > 0; sh -= RN_SHIFT) {
		node = rn_cells(m, node)[(pindex >> sh) & RN_MASK];
		if (node == VM_NONE)
			return (NULL);
	}
	return (&rn_cells(m, node)[pindex & RN_MASK]);
}

uint32_t
vm_radix_cell_value(const struct vm_machine *m, uint32_t cell)
{
	/* The pool only grows: a cell found earlier is still inside it. */
	if (cell == VM_NONE || cell / RN_FANOUT >= m->rn_cap)
		return (VM_NONE);
	return (m->rn[cell]);
}

uint32_t
vm_page_lookup(const struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	const uint32_t *cell = vm_radix_cell(m, obj, pindex);

	return (cell != NULL ? *cell : VM_NONE);
}

int
vm_radix_insert(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint32_t page)
{
	struct vm_object *o = &m->objects[obj];
	uint32_t node, next, sh, idx;
	int error;

	/* A new root, a taller trie and a full path at most: no failure midway. */
	if ((error = rn_reserve(m, 2 * RN_HEIGHT_MAX)) != 0)
		return (error);
	if (o->rn_root == VM_NONE) {
		o->rn_root = rn_alloc(m);
		o->rn_height = 1;
	}
	while (((uint64_t)pindex >> (RN_SHIFT * o->rn_height)) != 0) {
		/* Grow upwards: the old trie is the first child of a new root. */
		node = rn_alloc(m);
		rn_cells(m, node)[0] = o->rn_root;
		o->rn_root = node;
		o->rn_height++;
	}
	node = o->rn_root;
	for (sh = RN_SHIFT * (o->rn_height - 1u); sh > 0; sh -= RN_SHIFT) {
		idx = (pindex >> sh) & RN_MASK;
		next = rn_cells(m, node)[idx];
		if (next == VM_NONE) {
			next = rn_alloc(m);
			rn_cells(m, node)[idx] = next;
		}
		node = next;
	}
	rn_cells(m, node)[pindex & RN_MASK] = page;
	return (0);
}

static bool
rn_empty(const struct vm_machine *m, uint32_t node)
{
	const uint32_t *c = rn_cells(m, node);
	uint32_t i, any;

	any = VM_NONE;
	for (i = 0; i < RN_FANOUT; i++)
		any &= c[i];
	return (any == VM_NONE);
}

void
vm_radix_remove(struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	struct vm_object *o = &m->objects[obj];
	uint32_t path[RN_HEIGHT_MAX], node, sh, l, h;

	node = o->rn_root;
	h = o->rn_height;
	if (node == VM_NONE || ((uint64_t)pindex >> (RN_SHIFT * h)) != 0)
		return;
	l = 0;
	for (sh = RN_SHIFT * (h - 1u); sh > 0; sh -= RN_SHIFT) {
		path[l++] = node;
		node = rn_cells(m, node)[(pindex >> sh) & RN_MASK];
		if (node == VM_NONE)
			return;
	}
	path[l] = node;
	rn_cells(m, node)[pindex & RN_MASK] = VM_NONE;
	/* Free the nodes left empty, bottom up. */
	for (;;) {
		if (!rn_empty(m, path[l]))
			return;
		rn_free(m, path[l]);
		if (l == 0)
			break;
		l--;
		sh = RN_SHIFT * (h - 1u - l);
		rn_cells(m, path[l])[(pindex >> sh) & RN_MASK] = VM_NONE;
	}
	o->rn_root = VM_NONE;
	o->rn_height = 0;
}

uint64_t
vm_radix_nodes_used(const struct vm_machine *m)
{
	return ((uint64_t)m->rn_cap - m->rn_nfree);
}
