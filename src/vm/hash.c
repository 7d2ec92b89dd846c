/*
 * hash.c - the id -> slot map of objects and processes (vm_int.h).
 *
 * Linear probing at a load factor of at most one half; lookups are O(1)
 * expected and allocate nothing.  Growth happens only on insertion, that
 * is when a trace creates an object or a process, never per page.
 */
#include "vm/vm_int.h"

#include <errno.h>
#include <stdlib.h>

#define IDMAP_MIN_CELLS 64u

static uint32_t
idmap_hash(uint64_t key)
{
	return (vm_mix32((uint32_t)key, (uint32_t)(key >> 32)));
}

static int
idmap_alloc(struct vm_idmap *h, uint32_t cells)
{
	uint32_t i;

	h->keys = malloc((size_t)cells * sizeof(*h->keys));
	h->vals = malloc((size_t)cells * sizeof(*h->vals));
	if (h->keys == NULL || h->vals == NULL) {
		free(h->keys);
		free(h->vals);
		return (-ENOMEM);
	}
	for (i = 0; i < cells; i++)
		h->vals[i] = VM_NONE;
	h->mask = cells - 1;
	h->count = 0;
	return (0);
}

struct vm_idmap *
vm_idmap_create(void)
{
	struct vm_idmap *h;

	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return (NULL);
	if (idmap_alloc(h, IDMAP_MIN_CELLS) != 0) {
		free(h);
		return (NULL);
	}
	return (h);
}

void
vm_idmap_destroy(struct vm_idmap *h)
{
	if (h == NULL)
		return;
	free(h->keys);
	free(h->vals);
	free(h);
}

uint32_t
vm_idmap_get(const struct vm_idmap *h, uint64_t key)
{
	uint32_t i;

	for (i = idmap_hash(key) & h->mask; h->vals[i] != VM_NONE;
	    i = (i + 1) & h->mask)
		if (h->keys[i] == key)
			return (h->vals[i]);
	return (VM_NONE);
}

/* Insert into a map known to have room and not to hold key. */
static void
idmap_insert(struct vm_idmap *h, uint64_t key, uint32_t val)
{
	uint32_t i;

	for (i = idmap_hash(key) & h->mask; h->vals[i] != VM_NONE;
	    i = (i + 1) & h->mask)
		;
	h->keys[i] = key;
	h->vals[i] = val;
	h->count++;
}

int
vm_idmap_put(struct vm_idmap *h, uint64_t key, uint32_t val)
{
	struct vm_idmap old;
	uint32_t i;

	for (i = idmap_hash(key) & h->mask; h->vals[i] != VM_NONE;
	    i = (i + 1) & h->mask) {
		if (h->keys[i] == key) {
			h->vals[i] = val;
			return (0);
		}
	}
	if ((h->count + 1) * 2 > h->mask + 1) {
		old = *h;
		if (old.mask + 1 > UINT32_MAX / 2 ||
		    idmap_alloc(h, (old.mask + 1) * 2) != 0) {
			*h = old;
			return (-ENOMEM);
		}
		for (i = 0; i <= old.mask; i++)
			if (old.vals[i] != VM_NONE)
				idmap_insert(h, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	idmap_insert(h, key, val);
	return (0);
}

void
vm_idmap_del(struct vm_idmap *h, uint64_t key)
{
	uint32_t i, j, home;

	for (i = idmap_hash(key) & h->mask; h->vals[i] != VM_NONE;
	    i = (i + 1) & h->mask)
		if (h->keys[i] == key)
			break;
	if (h->vals[i] == VM_NONE)
		return;
	/*
	 * Backward-shift deletion: move later members of the cluster into
	 * the hole when their home cell does not lie cyclically in (i, j].
	 */
	j = i;
	for (;;) {
		j = (j + 1) & h->mask;
		if (h->vals[j] == VM_NONE)
			break;
		home = idmap_hash(h->keys[j]) & h->mask;
		if (((j - home) & h->mask) >= ((j - i) & h->mask)) {
			h->keys[i] = h->keys[j];
			h->vals[i] = h->vals[j];
			i = j;
		}
	}
	h->vals[i] = VM_NONE;
	h->count--;
}
