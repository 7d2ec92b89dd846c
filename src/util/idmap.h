/*
 * idmap.h - a map from a 64-bit id (a pid, a thread id, a trace object
 * id) to a 32-bit value, by open addressing with linear probing at a load
 * of at most one half.  Lookups allocate nothing; deletion shifts the rest
 * of the cluster back, so there are no tombstones and the map stays as
 * fast after many deletions as before.  Every key and every 32-bit value
 * may be stored: PG_IDMAP_NOKEY marks an empty cell, so that one key is
 * kept beside the cells (a trace may name object 2^64 - 1).
 */
#ifndef PGREPLAY_UTIL_IDMAP_H
#define PGREPLAY_UTIL_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

#define PG_IDMAP_NOKEY UINT64_MAX

struct pg_idmap {
	uint64_t *keys;		/* PG_IDMAP_NOKEY: the cell is empty */
	uint32_t *vals;
	uint32_t mask;		/* cells - 1; 0 before the first put */
	uint32_t count;		/* keys in the cells */
	bool has_nokey;		/* key PG_IDMAP_NOKEY is in, value nokey_val */
	uint32_t nokey_val;
};

/* pg_idmap_init() - an empty map in caller memory (allocates nothing). */
void pg_idmap_init(struct pg_idmap *h);

/* pg_idmap_finish() - free the cells; h is empty (and usable) again. */
void pg_idmap_finish(struct pg_idmap *h);

/* pg_idmap_get() - whether key is in h; its value into *val if so. */
bool pg_idmap_get(const struct pg_idmap *h, uint64_t key, uint32_t *val);

/*
 * pg_idmap_put() - set key to val, inserting or replacing.  Returns 0, or
 * -ENOMEM with the map unchanged.
 */
int pg_idmap_put(struct pg_idmap *h, uint64_t key, uint32_t val);

/* pg_idmap_del() - remove key if present. */
void pg_idmap_del(struct pg_idmap *h, uint64_t key);

#endif
