/*
 * hints.h - loads ahead for the page daemon's active scan (hints.c).
 *
 * The active queue is a linked list: a walk learns each page's successor
 * only once the page is in the cache, so it waits for one miss at a time.
 * Nearly all of that queue's traffic is the scan's own rotation (its head
 * requeued to its tail), so a ring of the pages put at the tail, in
 * order, tells the walk the pages it will reach.  Hints only: the model
 * never reads them.
 */
#ifndef PGREPLAY_VM_HINTS_H
#define PGREPLAY_VM_HINTS_H

#include <stdint.h>

struct vm_machine;
struct vm_domain;

/* The ring: len entries from head, of cap (at most pages * 5 / 4 + 1024). */
struct vm_act_hints {
	uint32_t *ring;
	uint32_t cap, head, len;
};

/*
 * vm_act_hints_push() - page was put at the tail of vmd's active queue;
 * vm_act_hints_ahead() - the active scan of vmd is at page: load the
 * pages it reaches next; vm_act_hints_free() - release the ring.
 */
void vm_act_hints_push(const struct vm_machine *m, struct vm_domain *vmd,
    uint32_t page);
void vm_act_hints_ahead(const struct vm_machine *m, struct vm_domain *vmd,
    uint32_t page);
void vm_act_hints_free(struct vm_domain *vmd);

#endif
