/*
 * grow.h - arrays that grow by doubling.  One function for every table
 * that is appended to one element at a time and must stay bounded: the
 * capacity doubles from a first size until it holds what is needed, never
 * beyond a maximum, and a failed allocation leaves the array as it was.
 */
#ifndef PGREPLAY_UTIL_GROW_H
#define PGREPLAY_UTIL_GROW_H

#include <stddef.h>
#include <stdint.h>

/*
 * pg_grow() - make room for need elements of elem bytes in the array base
 * of *cap elements.  If *cap >= need, returns base.  Otherwise the new
 * capacity is *cap doubled (first from min) until it reaches need, capped
 * at max; the elements beyond the old capacity are zeroed; returns the
 * (possibly moved) array and sets *cap.  Returns NULL, with base and *cap
 * unchanged and still owned by the caller, when need > max, the size
 * overflows or memory runs out.  base may be NULL with *cap 0.
 */
void *pg_grow(void *base, size_t *cap, size_t need, size_t elem, size_t min,
    size_t max);

/*
 * pg_grow32() - pg_grow() of an array whose capacity is kept in a
 * uint32_t (the model's tables, indexed by 32-bit slots).
 */
static inline void *
pg_grow32(void *base, uint32_t *cap, size_t need, size_t elem, uint32_t min,
    uint32_t max)
{
	size_t c = *cap;
	void *p = pg_grow(base, &c, need, elem, min, max);

	if (p != NULL)
		*cap = (uint32_t)c;
	return (p);
}

#endif
