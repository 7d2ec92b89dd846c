/*
 * idmap.c - 64-bit id -> 32-bit value, open addressing (idmap.h).
 */
#include "util/idmap.h"

#include <errno.h>
#include <stdlib.h>

#define IDMAP_MIN_CELLS 64u

void
pg_idmap_init(struct pg_idmap *h)
{
	h->cells = NULL;
	h->mask = 0;
	h->count = 0;
	h->has_nokey = false;
	h->nokey_val = 0;
}

void
pg_idmap_finish(struct pg_idmap *h)
{
	free(h->cells);
	pg_idmap_init(h);
}

/* Insert into cells known to have room and not to hold key. */
static void
idmap_insert(struct pg_idmap_cell *cells, uint32_t mask, uint64_t key,
    uint32_t val)
{
	uint32_t i;

	for (i = pg_idmap_hash(key) & mask; cells[i].key != PG_IDMAP_NOKEY;
	    i = (i + 1) & mask)
		continue;
	cells[i].key = key;
	cells[i].val = val;
}

/* Rehash h into n cells; 0 or -ENOMEM with h unchanged. */
static int
idmap_resize(struct pg_idmap *h, uint32_t n)
{
	struct pg_idmap_cell *cells;
	uint32_t i;

	if ((cells = malloc((size_t)n * sizeof(*cells))) == NULL)
		return (-ENOMEM);
	for (i = 0; i < n; i++)
		cells[i].key = PG_IDMAP_NOKEY;
	for (i = 0; h->cells != NULL && i <= h->mask; i++)
		if (h->cells[i].key != PG_IDMAP_NOKEY)
			idmap_insert(cells, n - 1, h->cells[i].key,
			    h->cells[i].val);
	free(h->cells);
	h->cells = cells;
	h->mask = n - 1;
	return (0);
}

int
pg_idmap_put(struct pg_idmap *h, uint64_t key, uint32_t val)
{
	uint32_t i, held;

	if (key == PG_IDMAP_NOKEY) {
		if (!h->has_nokey)
			h->count++;
		h->has_nokey = true;
		h->nokey_val = val;
		return (0);
	}
	if (h->cells != NULL) {
		for (i = pg_idmap_hash(key) & h->mask;
		    h->cells[i].key != PG_IDMAP_NOKEY; i = (i + 1) & h->mask) {
			if (h->cells[i].key == key) {
				h->cells[i].val = val;
				return (0);
			}
		}
	}
	held = h->count - (h->has_nokey ? 1 : 0);
	if (h->cells == NULL) {
		if (idmap_resize(h, IDMAP_MIN_CELLS) != 0)
			return (-ENOMEM);
	} else if (((uint64_t)held + 1) * 2 > (uint64_t)h->mask + 1) {
		if (h->mask + 1 > UINT32_MAX / 2 ||
		    idmap_resize(h, (h->mask + 1) * 2) != 0)
			return (-ENOMEM);
	}
	idmap_insert(h->cells, h->mask, key, val);
	h->count++;
	return (0);
}

void
pg_idmap_del(struct pg_idmap *h, uint64_t key)
{
	struct pg_idmap_cell *c = h->cells;
	uint32_t i, j, home;

	if (key == PG_IDMAP_NOKEY) {
		if (h->has_nokey)
			h->count--;
		h->has_nokey = false;
		return;
	}
	if (c == NULL)
		return;
	i = pg_idmap_hash(key) & h->mask;
	while (c[i].key != key) {
		if (c[i].key == PG_IDMAP_NOKEY)
			return;
		i = (i + 1) & h->mask;
	}
	/*
	 * Backward-shift deletion: a later member of the cluster moves into
	 * the hole unless its home cell lies cyclically in (i, j].
	 */
	j = i;
	for (;;) {
		j = (j + 1) & h->mask;
		if (c[j].key == PG_IDMAP_NOKEY)
			break;
		home = pg_idmap_hash(c[j].key) & h->mask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		c[i] = c[j];
		i = j;
	}
	c[i].key = PG_IDMAP_NOKEY;
	h->count--;
}
