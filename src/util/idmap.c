/*
 * idmap.c - 64-bit id -> 32-bit value, open addressing (idmap.h).
 */
#include "util/idmap.h"

#include <errno.h>
#include <stdlib.h>

#define IDMAP_MIN_CELLS 64u

/* A multiplicative hash, folded: consecutive ids land far apart. */
static uint32_t
idmap_hash(uint64_t key)
{
	key *= UINT64_C(0x9E3779B97F4A7C15);
	return ((uint32_t)(key >> 32) ^ (uint32_t)key);
}

void
pg_idmap_init(struct pg_idmap *h)
{
	h->keys = NULL;
	h->vals = NULL;
	h->mask = 0;
	h->count = 0;
	h->has_nokey = false;
	h->nokey_val = 0;
}

void
pg_idmap_finish(struct pg_idmap *h)
{
	free(h->keys);
	free(h->vals);
	pg_idmap_init(h);
}

bool
pg_idmap_get(const struct pg_idmap *h, uint64_t key, uint32_t *val)
{
	uint32_t i;

	if (key == PG_IDMAP_NOKEY) {
		*val = h->nokey_val;
		return (h->has_nokey);
	}
	if (h->keys == NULL)
		return (false);
	for (i = idmap_hash(key) & h->mask; h->keys[i] != PG_IDMAP_NOKEY;
	    i = (i + 1) & h->mask)
		if (h->keys[i] == key) {
			*val = h->vals[i];
			return (true);
		}
	return (false);
}

/* Insert into a map known to have room and not to hold key. */
static void
idmap_insert(struct pg_idmap *h, uint64_t key, uint32_t val)
{
	uint32_t i;

	for (i = idmap_hash(key) & h->mask; h->keys[i] != PG_IDMAP_NOKEY;
	    i = (i + 1) & h->mask)
		continue;
	h->keys[i] = key;
	h->vals[i] = val;
	h->count++;
}

/* Rehash h into cells cells; 0 or -ENOMEM with h unchanged. */
static int
idmap_resize(struct pg_idmap *h, uint32_t cells)
{
	struct pg_idmap old = *h;
	uint32_t i;

	h->keys = malloc((size_t)cells * sizeof(*h->keys));
	h->vals = malloc((size_t)cells * sizeof(*h->vals));
	if (h->keys == NULL || h->vals == NULL) {
		free(h->keys);
		free(h->vals);
		*h = old;
		return (-ENOMEM);
	}
	for (i = 0; i < cells; i++)
		h->keys[i] = PG_IDMAP_NOKEY;
	h->mask = cells - 1;
	h->count = 0;
	for (i = 0; old.keys != NULL && i <= old.mask; i++)
		if (old.keys[i] != PG_IDMAP_NOKEY)
			idmap_insert(h, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
	return (0);
}

int
pg_idmap_put(struct pg_idmap *h, uint64_t key, uint32_t val)
{
	uint32_t i;

	if (key == PG_IDMAP_NOKEY) {
		h->has_nokey = true;
		h->nokey_val = val;
		return (0);
	}
	if (h->keys != NULL) {
		for (i = idmap_hash(key) & h->mask;
		    h->keys[i] != PG_IDMAP_NOKEY; i = (i + 1) & h->mask) {
			if (h->keys[i] == key) {
				h->vals[i] = val;
				return (0);
			}
		}
	}
	if (h->keys == NULL) {
		if (idmap_resize(h, IDMAP_MIN_CELLS) != 0)
			return (-ENOMEM);
	} else if (((uint64_t)h->count + 1) * 2 > (uint64_t)h->mask + 1) {
		if (h->mask + 1 > UINT32_MAX / 2 ||
		    idmap_resize(h, (h->mask + 1) * 2) != 0)
			return (-ENOMEM);
	}
	idmap_insert(h, key, val);
	return (0);
}

void
pg_idmap_del(struct pg_idmap *h, uint64_t key)
{
	uint32_t i, j, home;

	if (key == PG_IDMAP_NOKEY) {
		h->has_nokey = false;
		return;
	}
	if (h->keys == NULL)
		return;
	for (i = idmap_hash(key) & h->mask; h->keys[i] != PG_IDMAP_NOKEY;
	    i = (i + 1) & h->mask)
		if (h->keys[i] == key)
			break;
	if (h->keys[i] == PG_IDMAP_NOKEY)
		return;
	/*
	 * Backward-shift deletion: a later member of the cluster moves into
	 * the hole unless its home cell lies cyclically in (i, j].
	 */
	j = i;
	for (;;) {
		j = (j + 1) & h->mask;
		if (h->keys[j] == PG_IDMAP_NOKEY)
			break;
		home = idmap_hash(h->keys[j]) & h->mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		h->keys[i] = h->keys[j];
		h->vals[i] = h->vals[j];
		i = j;
	}
	h->keys[i] = PG_IDMAP_NOKEY;
	h->count--;
}
