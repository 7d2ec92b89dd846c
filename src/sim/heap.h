/*
 * heap.h - the simulator's agenda: a binary min-heap of pending actions
 * ordered by (time, class, seq) (spec 12.2).
 *
 * class fixes the order of different kinds of actions at one instant
 * (I/O completions, then thread wakeups and timeouts, then trace events
 * and process continuations, then page-daemon steps, then laundry
 * steps); seq, a counter the caller increments for every action, makes
 * the order total and first-in first-out within a class.  Nothing in the
 * order depends on addresses or hashing, so runs are reproducible.
 */
#ifndef PGREPLAY_SIM_HEAP_H
#define PGREPLAY_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Action classes, in the order they run at equal times (spec 12.2). */
enum sim_class {
	SIM_CLASS_IO = 0,	/* device completions */
	SIM_CLASS_WAKE = 1,	/* wakeups and timeouts of sleeping threads */
	SIM_CLASS_TRACE = 2,	/* trace events, process continuations */
	SIM_CLASS_DAEMON = 3,	/* page-daemon steps, domain order */
	SIM_CLASS_LAUNDRY = 4,	/* laundry steps, domain order */
};

#define SIM_SEQ_BITS 56

struct sim_action {
	uint64_t time;		/* ns */
	uint64_t order;		/* class << SIM_SEQ_BITS | seq */
	uint32_t arg;		/* domain, process, I/O id ... */
	uint32_t gen;		/* stale when it differs from its owner's */
	uint8_t kind;		/* what to do (sim.c) */
};

struct sim_heap {
	struct sim_action *a;
	size_t n, cap;
	bool hole;		/* a[0] was taken: the next push fills it */
};

/* sim_action_order() - the order key of class and seq. */
static inline uint64_t
sim_action_order(unsigned cls, uint64_t seq)
{
	return ((uint64_t)cls << SIM_SEQ_BITS | (seq & ((UINT64_C(1) << SIM_SEQ_BITS) - 1)));
}

/* sim_action_before() - x runs before y. */
static inline bool
sim_action_before(const struct sim_action *x, const struct sim_action *y)
{
	return (x->time < y->time || (x->time == y->time && x->order < y->order));
}

/* sim_heap_push() - add a copy of x.  0, or -ENOMEM (heap unchanged). */
int sim_heap_push(struct sim_heap *h, const struct sim_action *x);

/* sim_heap_peek() - the first action, or NULL when empty (no hole open). */
static inline const struct sim_action *
sim_heap_peek(const struct sim_heap *h)
{
	return (h->n > 0 ? &h->a[0] : NULL);
}

/*
 * sim_heap_take() - copy the first action (the heap is not empty, no hole
 * open) into *out and leave its place open until sim_heap_settle().  A
 * push in between fills the place with one sift down instead of a sift up
 * and the pop's own sift down: the action that reschedules its owner, a
 * process or a thread, which most do.  The order actions come out in does
 * not change: the keys are distinct, so the minimum is the minimum
 * whatever the heap's layout.
 */
static inline void
sim_heap_take(struct sim_heap *h, struct sim_action *out)
{
	*out = h->a[0];
	h->hole = true;
}

/*
 * sim_heap_close() - close the open place with the last action;
 * sim_heap_settle() - the same, if it is still open.
 */
void sim_heap_close(struct sim_heap *h);

static inline void
sim_heap_settle(struct sim_heap *h)
{
	if (h->hole)
		sim_heap_close(h);
}

/* sim_heap_pop() - remove the first action into *out; false when empty. */
bool sim_heap_pop(struct sim_heap *h, struct sim_action *out);

/* sim_heap_finish() - free the storage; the heap is empty afterwards. */
void sim_heap_finish(struct sim_heap *h);

#endif
