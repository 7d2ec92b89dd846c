/*
 * arith.h - integer arithmetic that cannot wrap: sums and products that
 * stop at the type's maximum, for times and costs that may legitimately
 * run off the end of the clock (a cost times a count, a deadline after
 * the last event) and must not come back round to a small number.
 */
#ifndef PGREPLAY_UTIL_ARITH_H
#define PGREPLAY_UTIL_ARITH_H

#include <stddef.h>
#include <stdint.h>

/* pg_add_sat() - a + b, or UINT64_MAX if that does not fit. */
static inline uint64_t
pg_add_sat(uint64_t a, uint64_t b)
{
	return (a > UINT64_MAX - b ? UINT64_MAX : a + b);
}

/* pg_mul_sat() - a * b, or UINT64_MAX if that does not fit. */
static inline uint64_t
pg_mul_sat(uint64_t a, uint64_t b)
{
	return (a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b);
}

/* pg_mul_sat_size() - a * b, or SIZE_MAX if that does not fit. */
static inline size_t
pg_mul_sat_size(size_t a, size_t b)
{
	return (a != 0 && b > SIZE_MAX / a ? SIZE_MAX : a * b);
}

#endif
