/*
 * idmap.h - a map from a 64-bit id (a pid, a thread id, a trace object
 * id) to a 32-bit value, by open addressing with linear probing at a load
 * of at most one half.  Lookups allocate nothing; deletion shifts the rest
 * of the cluster back, so there are no tombstones and the map stays as
 * fast after many deletions as before.  Every key and every value may be
 * stored: the key PG_IDMAP_NOKEY, which marks an empty cell, is kept
 * beside the cells.
 */
#ifndef PGREPLAY_UTIL_IDMAP_H
#define PGREPLAY_UTIL_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PG_IDMAP_NOKEY UINT64_MAX

struct pg_idmap_cell {
	uint64_t key;		/* PG_IDMAP_NOKEY: the cell is empty */
	uint32_t val;
};

struct pg_idmap {
	struct pg_idmap_cell *cells;
	uint32_t mask;		/* cells - 1; 0 before the first put */
	uint32_t count;		/* keys held, PG_IDMAP_NOKEY included */
	bool has_nokey;		/* PG_IDMAP_NOKEY is a key, of value nokey_val */
	uint32_t nokey_val;
};

/* pg_idmap_init() - an empty map in caller memory (allocates nothing). */
void pg_idmap_init(struct pg_idmap *h);

/* pg_idmap_finish() - free the cells; h is empty (and usable) again. */
void pg_idmap_finish(struct pg_idmap *h);

/* A multiplicative hash, folded: consecutive ids land far apart. */
static inline uint32_t
pg_idmap_hash(uint64_t key)
{
	key *= UINT64_C(0x9E3779B97F4A7C15);
	return ((uint32_t)(key >> 32) ^ (uint32_t)key);
}

/*
 * pg_idmap_get() - whether key is in h; its value into *val if so.
 * Inline: the replay looks an object up for every event.
 */
static inline bool
pg_idmap_get(const struct pg_idmap *h, uint64_t key, uint32_t *val)
{
	const struct pg_idmap_cell *c;
	uint32_t i;

	if (key == PG_IDMAP_NOKEY) {
		*val = h->nokey_val;
		return (h->has_nokey);
	}
	if (h->cells == NULL)
		return (false);
	for (i = pg_idmap_hash(key) & h->mask;; i = (i + 1) & h->mask) {
		c = &h->cells[i];
		if (c->key == key) {
			*val = c->val;
			return (true);
		}
		if (c->key == PG_IDMAP_NOKEY)
			return (false);
	}
}

/*
 * pg_idmap_put() - set key to val, inserting or replacing.  Returns 0 or
 * -ENOMEM with the map unchanged.
 */
int pg_idmap_put(struct pg_idmap *h, uint64_t key, uint32_t val);

/* pg_idmap_del() - remove key if present. */
void pg_idmap_del(struct pg_idmap *h, uint64_t key);

#endif
