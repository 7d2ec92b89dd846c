/*
 * queue.c - the page queues and their primitives, with the pre-batching
 * semantics of spec 5.1 (vm_page.c of late 2017, the era of the seed).
 *
 * A queue is an intrusive doubly linked list of page indices; markers are
 * pages with PG_MARKER and are never counted in pq_cnt.  Every operation
 * here is O(1).
 */
#include "vm/vm.h"

static inline struct vm_pagequeue *
page_pq(struct vm_machine *m, const struct vm_page *p)
{
	return (&m->dom[p->domain].pq[p->queue]);
}

/*
 * PQ_UNSWAPPABLE just grew: keep the peak of its population over all
 * domains for the report.
 */
static void
unswappable_peak(struct vm_machine *m)
{
	uint64_t sum;
	uint32_t d;

	sum = 0;
	for (d = 0; d < m->ndomains; d++)
		sum += m->dom[d].pq[PQ_UNSWAPPABLE].cnt;
	if (sum > m->cnt.peak_unswappable)
		m->cnt.peak_unswappable = sum;
}

/* Account for a page that just joined queue pq of q. */
static inline void
queue_joined(struct vm_machine *m, struct vm_pagequeue *pq, struct vm_page *p,
    uint8_t queue)
{
	if ((p->flags & PG_MARKER) != 0)
		return;
	pq->cnt++;
	if (queue == PQ_UNSWAPPABLE)
		unswappable_peak(m);
}

void
vm_pagequeue_insert_tail(struct vm_machine *m, uint32_t q_domain,
    uint8_t queue, uint32_t page)
{
	struct vm_pagequeue *pq;
	struct vm_page *p;

	pq = &m->dom[q_domain].pq[queue];
	p = &m->pages[page];
	p->queue = queue;
	p->domain = (uint8_t)q_domain;
	p->qnext = VM_NONE;
	p->qprev = pq->tail;
	if (pq->tail != VM_NONE)
		m->pages[pq->tail].qnext = page;
	else
		pq->head = page;
	pq->tail = page;
	queue_joined(m, pq, p, queue);
	if (queue == PQ_ACTIVE)
		vm_act_hints_push(m, &m->dom[q_domain], page);
}

void
vm_pagequeue_insert_after(struct vm_machine *m, uint32_t after, uint32_t page)
{
	struct vm_pagequeue *pq;
	struct vm_page *a, *p;

	a = &m->pages[after];
	p = &m->pages[page];
	pq = page_pq(m, a);
	p->queue = a->queue;
	p->domain = a->domain;
	p->qprev = after;
	p->qnext = a->qnext;
	if (a->qnext != VM_NONE)
		m->pages[a->qnext].qprev = page;
	else
		pq->tail = page;
	a->qnext = page;
	queue_joined(m, pq, p, a->queue);
}

void
vm_pagequeue_insert_before(struct vm_machine *m, uint32_t before,
    uint32_t page)
{
	struct vm_pagequeue *pq;
	struct vm_page *b, *p;

	b = &m->pages[before];
	p = &m->pages[page];
	pq = page_pq(m, b);
	p->queue = b->queue;
	p->domain = b->domain;
	p->qnext = before;
	p->qprev = b->qprev;
	if (b->qprev != VM_NONE)
		m->pages[b->qprev].qnext = page;
	else
		pq->head = page;
	b->qprev = page;
	queue_joined(m, pq, p, b->queue);
}

void
vm_pagequeue_remove(struct vm_machine *m, uint32_t page)
{
	struct vm_pagequeue *pq;
	struct vm_page *p;

	p = &m->pages[page];
	if (p->queue == PQ_NONE)
		return;
	pq = page_pq(m, p);
	if (p->qprev != VM_NONE)
		m->pages[p->qprev].qnext = p->qnext;
	else
		pq->head = p->qnext;
	if (p->qnext != VM_NONE)
		m->pages[p->qnext].qprev = p->qprev;
	else
		pq->tail = p->qprev;
	p->qnext = p->qprev = VM_NONE;
	if ((p->flags & PG_MARKER) == 0)
		pq->cnt--;
	p->queue = PQ_NONE;
}

/* vm_page_dequeue() - model of vm_page_dequeue() (2017). */
void
vm_page_dequeue(struct vm_machine *m, uint32_t page)
{
	vm_pagequeue_remove(m, page);
}

/* vm_page_enqueue() - model of vm_page_enqueue(): tail of queue. */
void
vm_page_enqueue(struct vm_machine *m, uint8_t queue, uint32_t page)
{
	vm_pagequeue_insert_tail(m, m->pages[page].domain, queue, page);
}

/* vm_page_requeue() - model of vm_page_requeue(): tail of the same queue. */
void
vm_page_requeue(struct vm_machine *m, uint32_t page)
{
	uint8_t queue;

	queue = m->pages[page].queue;
	if (queue == PQ_NONE)
		return;
	vm_pagequeue_remove(m, page);
	vm_page_enqueue(m, queue, page);
}

/*
 * vm_page_activate() - model of vm_page_activate() (2017).  A page
 * already ACTIVE keeps its place and only gets act_count raised; a wired
 * page off the active queue is left alone entirely (spec 14 item 9).
 */
void
vm_page_activate(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->queue == PQ_ACTIVE) {
		if (p->act_count < ACT_INIT)
			p->act_count = ACT_INIT;
		return;
	}
	if (p->wire_count != 0)
		return;
	if (p->act_count < ACT_INIT)
		p->act_count = ACT_INIT;
	vm_pagequeue_remove(m, page);
	vm_page_enqueue(m, PQ_ACTIVE, page);
}

/* vm_page_deactivate() - model of _vm_page_deactivate(m, false). */
void
vm_page_deactivate(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->queue == PQ_INACTIVE || p->wire_count != 0)
		return;
	vm_pagequeue_remove(m, page);
	vm_page_enqueue(m, PQ_INACTIVE, page);
}

/*
 * vm_page_deactivate_noreuse() - model of _vm_page_deactivate(m, true):
 * the page goes just before inacthead, so the next inactive scan meets
 * it first; a page already INACTIVE moves there too.
 */
void
vm_page_deactivate_noreuse(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->wire_count != 0)
		return;
	vm_pagequeue_remove(m, page);
	vm_pagequeue_insert_before(m, m->dom[p->domain].inacthead, page);
}

/* vm_page_launder() - model of vm_page_launder() (2017). */
void
vm_page_launder(struct vm_machine *m, uint32_t page)
{
	struct vm_page *p;

	p = &m->pages[page];
	if (p->queue == PQ_LAUNDRY || p->wire_count != 0)
		return;
	vm_pagequeue_remove(m, page);
	vm_page_enqueue(m, PQ_LAUNDRY, page);
}

/*
 * vm_page_unswappable() - model of vm_page_unswappable(): the kernel
 * asserts the page is unwired and moves it unconditionally, also from
 * the middle of PQ_UNSWAPPABLE to its tail.
 */
void
vm_page_unswappable(struct vm_machine *m, uint32_t page)
{
	vm_pagequeue_remove(m, page);
	vm_page_enqueue(m, PQ_UNSWAPPABLE, page);
}

bool
vm_page_in_laundry(const struct vm_machine *m, uint32_t page)
{
	uint8_t q;

	q = m->pages[page].queue;
	return (q == PQ_LAUNDRY || q == PQ_UNSWAPPABLE);
}

bool
vm_page_held(const struct vm_machine *m, uint32_t page)
{
	return (m->pages[page].hold_count > 0 || m->pages[page].wire_count > 0);
}
