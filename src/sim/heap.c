/*
 * heap.c - binary min-heap of actions (spec 12.2).
 */
#include "sim/heap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/grow.h"

/* Put x at i, whose subtree is a heap but for i itself, moving it down. */
static void
sift_down(struct sim_heap *h, size_t i, const struct sim_action *x)
{
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && sim_action_before(&h->a[c + 1], &h->a[c]))
			c++;
		if (!sim_action_before(&h->a[c], x))
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	h->a[i] = *x;
}

int
sim_heap_push(struct sim_heap *h, const struct sim_action *x)
{
	struct sim_action *na;
	size_t i, parent;

	if (h->hole) {
		h->hole = false;
		sift_down(h, 0, x);
		return (0);
	}
	if (h->n == h->cap) {
		/* The agenda holds a few actions per thread and process. */
		na = pg_grow(h->a, &h->cap, h->n + 1, sizeof(*na), 64,
		    SIZE_MAX / sizeof(*na));
		if (na == NULL)
			return (-ENOMEM);
		h->a = na;
	}
	i = h->n++;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!sim_action_before(x, &h->a[parent]))
			break;
		h->a[i] = h->a[parent];
		i = parent;
	}
	h->a[i] = *x;
	return (0);
}

void
sim_heap_close(struct sim_heap *h)
{
	struct sim_action last;

	h->hole = false;
	last = h->a[--h->n];
	if (h->n > 0)
		sift_down(h, 0, &last);
}

bool
sim_heap_pop(struct sim_heap *h, struct sim_action *out)
{
	if (h->n == 0)
		return (false);
	sim_heap_take(h, out);
	sim_heap_close(h);
	return (true);
}

void
sim_heap_finish(struct sim_heap *h)
{
	free(h->a);
	h->a = NULL;
	h->n = h->cap = 0;
	h->hole = false;
}
