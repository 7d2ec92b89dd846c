/*
 * vm_int.h - what the files of src/vm/ share and nobody else needs: a
 * hash of two words, the prefetch of a page, the per-object page index,
 * the pv pool, the completion of a deferred free and the swap module's
 * private entry points.
 */
#ifndef PGREPLAY_VM_VM_INT_H
#define PGREPLAY_VM_VM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vm.h"

/* vm_mix32() - a cheap 32-bit hash of two words (murmur3 finaliser). */
static inline uint32_t
vm_mix32(uint32_t a, uint32_t b)
{
	uint32_t h;

	h = a * 0x9e3779b1u ^ b * 0x85ebca77u;
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return (h);
}

/*
 * vm_page_prefetch() - start loading page's struct: both cache lines, as
 * a 48-byte page straddles two at every other place.  A hint only.
 */
static inline void
vm_page_prefetch(const struct vm_machine *m, uint32_t page)
{
	__builtin_prefetch(&m->pages[page]);
	__builtin_prefetch((const char *)&m->pages[page + 1] - 1);
}

/*
 * vm_pv_vector() - the cells of p's mappings after its first (pmap.c's
 * pool: cell pvx holds the vector's class, the entries follow); only
 * when p->pvn != 0.
 */
static inline uint32_t *
vm_pv_vector(const struct vm_machine *m, const struct vm_page *p)
{
	return (&m->pvc[p->pvx + 1]);
}

/*
 * object.c: the page's (object, pindex) identity.  Insertion fails only
 * when the page index cannot grow: -ENOMEM, nothing changed.
 */
int vm_page_insert_object(struct vm_machine *m, uint32_t page, uint32_t obj,
    uint32_t pindex);
void vm_page_remove_object(struct vm_machine *m, uint32_t page);

/*
 * radix.c: the per-object page index.  vm_radix_init() sizes the node
 * pool for the machine's pages (0 or -ENOMEM); vm_radix_insert() maps
 * pindex of obj to page (0 or -ENOMEM, nothing changed);
 * vm_radix_remove() unmaps it, freeing nodes left empty;
 * vm_radix_nodes_used() counts nodes in use (checks, memory figures);
 * vm_radix_cell() is the leaf cell of pindex (NULL: no leaf covers it),
 * found without reading the leaf; vm_radix_cell_value() reads a cell by
 * its place in the pool (m->rn), VM_NONE if it is not a place in the
 * pool: a cell found earlier may have been reused since, never freed.
 */
int vm_radix_init(struct vm_machine *m);
void vm_radix_fini(struct vm_machine *m);
int vm_radix_insert(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint32_t page);
void vm_radix_remove(struct vm_machine *m, uint32_t obj, uint32_t pindex);
uint64_t vm_radix_nodes_used(const struct vm_machine *m);
const uint32_t *vm_radix_cell(const struct vm_machine *m, uint32_t obj,
    uint32_t pindex);
uint32_t vm_radix_cell_value(const struct vm_machine *m, uint32_t cell);

/* pmap.c: the pv cell pool and its invariants (0 or -EFAULT, err filled). */
void vm_pmap_init(struct vm_machine *m);
void vm_pmap_fini(struct vm_machine *m);
int vm_pmap_check(const struct vm_machine *m, struct pg_error *err);

/* alloc.c: put a page whose free was deferred (or a fresh one) on the free list. */
void vm_page_free_phys(struct vm_machine *m, uint32_t page);
/* machine.c */
void vm_page_init(struct vm_page *p, uint8_t domain);
/*
 * vm_page_fresh() - page is a free page never allocated (alloc.c): its
 * struct holds nothing yet.  For the checkers, which walk every page.
 */
bool vm_page_fresh(const struct vm_machine *m, uint32_t page);

/* swap.c */
struct vm_swap *vm_swap_create(void);
void vm_swap_destroy(struct vm_swap *sw);
/* vm_swap_release_range() - release the blocks of [first, first + count) of obj. */
void vm_swap_release_range(struct vm_machine *m, uint32_t obj, uint64_t first,
    uint64_t count);
/*
 * vm_swap_check() - the swap invariants, the trees' structure and their
 * budget of 16 bytes a block included; 0, or -EFAULT (-ENOMEM if the
 * checker's own bitmap cannot be allocated) with err filled.
 */
int vm_swap_check(const struct vm_machine *m, struct pg_error *err);
/*
 * vm_swap_meta_bytes() - the bytes the swap metadata holds from the host:
 * struct vm_swap, the node pools' slabs and their tables (free nodes
 * included).  vm_swap_node_bytes() - the bytes of the nodes in trees:
 * at most 16 per block in use (swap_tree.c).
 */
uint64_t vm_swap_meta_bytes(const struct vm_machine *m);
uint64_t vm_swap_node_bytes(const struct vm_machine *m);

#endif
