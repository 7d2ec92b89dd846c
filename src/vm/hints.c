/*
 * hints.c - the active scan's hints (hints.h): the pages put at the
 * active queue's tail, in order, in a ring.  The scan takes its page's
 * entry out as it goes and prefetches the pages eight and four entries
 * on (docs/performance.md, "Eleventh round"); a page that left the queue
 * from anywhere else leaves its entry, which the scan skips.  The ring
 * holds at most a quarter more entries than the domain has pages; full
 * at that size, it is rebuilt from the queue.  Only prefetches read it:
 * nothing the model computes depends on it, and without memory it is
 * dropped.
 */
#include "vm/vm_int.h"

#include <stdlib.h>
#include <string.h>

#define ACT_RING_MIN 1024u
#define ACT_SEARCH 16u		/* entries searched for the scan's page */
#define ACT_AHEAD_PAGE 8u	/* the page whose struct is loaded */
#define ACT_AHEAD_MAPS 4u	/* the page whose mappings are loaded */

/* The ring's slot of position i (< 2 * cap) counted from slot 0. */
static inline uint32_t
act_ring_slot(const struct vm_domain *vmd, uint32_t i)
{
	return (i < vmd->act.cap ? i : i - vmd->act.cap);
}

static uint32_t
act_ring_max(const struct vm_domain *vmd)
{
	return (vmd->page_count + vmd->page_count / 4 + ACT_RING_MIN);
}

static void
act_ring_drop(struct vm_domain *vmd)
{
	free(vmd->act.ring);
	vmd->act.ring = NULL;
	vmd->act.cap = vmd->act.head = vmd->act.len = 0;
}

/* Grow the ring to cap entries, its contents unwrapped to the start. */
static bool
act_ring_resize(struct vm_domain *vmd, uint32_t cap)
{
	uint32_t *r, first;

	r = malloc((size_t)cap * sizeof(*r));
	if (r == NULL) {
		act_ring_drop(vmd);
		return (false);
	}
	first = vmd->act.cap - vmd->act.head;
	if (first > vmd->act.len)
		first = vmd->act.len;
	if (vmd->act.len > 0) {
		memcpy(r, vmd->act.ring + vmd->act.head, first * sizeof(*r));
		memcpy(r + first, vmd->act.ring,
		    (vmd->act.len - first) * sizeof(*r));
	}
	free(vmd->act.ring);
	vmd->act.ring = r;
	vmd->act.cap = cap;
	vmd->act.head = 0;
	return (true);
}

/* The queue's pages, in order, as the whole ring (it is full). */
static void
act_ring_rebuild(const struct vm_machine *m, struct vm_domain *vmd)
{
	uint32_t n = 0, p;

	for (p = vmd->pq[PQ_ACTIVE].head; p != VM_NONE && n < vmd->act.cap;
	    p = m->pages[p].qnext)
		vmd->act.ring[n++] = p;
	vmd->act.head = 0;
	vmd->act.len = n;
}

void
vm_act_hints_push(const struct vm_machine *m, struct vm_domain *vmd,
    uint32_t page)
{
	uint32_t cap, max;

	if (vmd->act.len == vmd->act.cap) {
		max = act_ring_max(vmd);
		if (vmd->act.cap >= max) {
			act_ring_rebuild(m, vmd);	/* page is in it */
			return;
		}
		cap = vmd->act.cap < max / 2 ? vmd->act.cap * 2 : max;
		if (cap < ACT_RING_MIN)
			cap = ACT_RING_MIN;
		if (!act_ring_resize(vmd, cap))
			return;
	}
	vmd->act.ring[act_ring_slot(vmd, vmd->act.head + vmd->act.len++)] =
	    page;
}

/* The entry k after the ring's head (k < act_len). */
static inline uint32_t
act_ring_at(const struct vm_domain *vmd, uint32_t k)
{
	return (vmd->act.ring[act_ring_slot(vmd, vmd->act.head + k)]);
}

void
vm_act_hints_ahead(const struct vm_machine *m, struct vm_domain *vmd,
    uint32_t page)
{
	const struct vm_page *n;
	uint32_t k;

	/* page's entry is among the next few: those before it are stale. */
	for (k = 0; k < ACT_SEARCH && k < vmd->act.len; k++)
		if (act_ring_at(vmd, k) == page)
			break;
	if (k == ACT_SEARCH || k == vmd->act.len)
		return;
	vmd->act.head = act_ring_slot(vmd, vmd->act.head + k + 1);
	vmd->act.len -= k + 1;
	/* Entry k is the page k + 1 steps on; its struct came k steps ago. */
	if (vmd->act.len >= ACT_AHEAD_PAGE)
		vm_page_prefetch(m, act_ring_at(vmd, ACT_AHEAD_PAGE - 1));
	if (vmd->act.len >= ACT_AHEAD_MAPS) {
		n = &m->pages[act_ring_at(vmd, ACT_AHEAD_MAPS - 1)];
		if (n->pvn != 0)
			__builtin_prefetch(vm_pv_vector(m, n));
	}
}

void
vm_act_hints_free(struct vm_domain *vmd)
{
	act_ring_drop(vmd);
}
