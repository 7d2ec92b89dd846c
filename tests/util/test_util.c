/*
 * test_util.c - the shared helpers of src/util: saturating arithmetic,
 * arrays that grow by doubling, the id map, pg_error_vset() and the
 * assertion macro.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arith.h"
#include "util/grow.h"
#include "util/idmap.h"
#include "util/kassert.h"
#include "util/pgerr.h"

Test(arith, saturates)
{
	cr_assert_eq(pg_add_sat(1, 2), 3);
	cr_assert_eq(pg_add_sat(UINT64_MAX - 1, 1), UINT64_MAX);
	cr_assert_eq(pg_add_sat(UINT64_MAX - 1, 2), UINT64_MAX);
	cr_assert_eq(pg_add_sat(UINT64_MAX, UINT64_MAX), UINT64_MAX);
	cr_assert_eq(pg_mul_sat(0, UINT64_MAX), 0);
	cr_assert_eq(pg_mul_sat(UINT64_C(1) << 32, UINT64_C(1) << 31),
	    UINT64_C(1) << 63);
	cr_assert_eq(pg_mul_sat(UINT64_C(1) << 32, UINT64_C(1) << 32),
	    UINT64_MAX);
	cr_assert_eq(pg_mul_sat_size(SIZE_MAX / 2, 3), SIZE_MAX);
}

Test(grow, doubles_from_min_up_to_max_and_zeroes)
{
	size_t cap = 0;
	int *a = NULL, *b;
	size_t i;

	a = pg_grow(a, &cap, 1, sizeof(*a), 16, 100);
	cr_assert_not_null(a);
	cr_assert_eq(cap, 16);
	for (i = 0; i < cap; i++)
		cr_assert_eq(a[i], 0);
	a[15] = 7;
	cr_assert_eq(pg_grow(a, &cap, 16, sizeof(*a), 16, 100), a);
	cr_assert_eq(cap, 16);
	a = pg_grow(a, &cap, 17, sizeof(*a), 16, 100);
	cr_assert_eq(cap, 32);
	cr_assert_eq(a[15], 7);
	cr_assert_eq(a[16], 0);
	a = pg_grow(a, &cap, 65, sizeof(*a), 16, 100);
	cr_assert_eq(cap, 100, "capped at max, got %zu", cap);
	/* Beyond max, or a size that overflows: NULL, the array kept. */
	cr_assert_null(pg_grow(a, &cap, 101, sizeof(*a), 16, 100));
	cr_assert_eq(cap, 100);
	cr_assert_null(pg_grow(a, &cap, SIZE_MAX / 2, 8, 16, SIZE_MAX));
	cr_assert_eq(cap, 100);
	cr_assert_eq(a[15], 7);
	b = pg_grow(NULL, &(size_t){ 0 }, 3, sizeof(*b), 0, 10);
	cr_assert_not_null(b);
	free(b);
	free(a);
}

Test(idmap, put_get_replace_delete)
{
	struct pg_idmap h;
	uint32_t v;
	uint64_t k;

	pg_idmap_init(&h);
	cr_assert(!pg_idmap_get(&h, 1, &v));
	pg_idmap_del(&h, 1);
	/* The empty-cell marker is a key like any other. */
	cr_assert(!pg_idmap_get(&h, PG_IDMAP_NOKEY, &v));
	cr_assert_eq(pg_idmap_put(&h, PG_IDMAP_NOKEY, 5), 0);
	cr_assert(pg_idmap_get(&h, PG_IDMAP_NOKEY, &v));
	cr_assert_eq(v, 5);
	cr_assert(!pg_idmap_get(&h, PG_IDMAP_NOKEY - 1, &v));
	pg_idmap_del(&h, PG_IDMAP_NOKEY);
	cr_assert(!pg_idmap_get(&h, PG_IDMAP_NOKEY, &v));
	/* Every value may be stored, UINT32_MAX too. */
	cr_assert_eq(pg_idmap_put(&h, 0, UINT32_MAX), 0);
	cr_assert(pg_idmap_get(&h, 0, &v));
	cr_assert_eq(v, UINT32_MAX);
	for (k = 1; k <= 10000; k++)
		cr_assert_eq(pg_idmap_put(&h, k * 4096, (uint32_t)k), 0);
	cr_assert_eq(h.count, 10001);
	cr_assert_leq((uint64_t)h.count * 2, (uint64_t)h.mask + 1);
	cr_assert_eq(pg_idmap_put(&h, 4096, 77), 0);
	cr_assert_eq(h.count, 10001);
	cr_assert(pg_idmap_get(&h, 4096, &v));
	cr_assert_eq(v, 77);
	/* Delete every other key: the rest stay reachable (backward shift). */
	for (k = 1; k <= 10000; k += 2)
		pg_idmap_del(&h, k * 4096);
	cr_assert_eq(h.count, 5001);
	for (k = 1; k <= 10000; k++) {
		bool in = pg_idmap_get(&h, k * 4096, &v);

		cr_assert_eq(in, k % 2 == 0, "key %llu", (unsigned long long)k);
		if (in)
			cr_assert_eq(v, (uint32_t)k);
	}
	pg_idmap_finish(&h);
	cr_assert(!pg_idmap_get(&h, 8192, &v));
	cr_assert_eq(h.count, 0);
}

static int
helper(struct pg_error *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(e, -ENOSPC, "f.txt", PG_POS_LINE, 3, fmt, ap);
	va_end(ap);
	return (rc);
}

Test(pgerr, vset_fills_and_returns)
{
	struct pg_error e;
	char buf[PG_ERROR_MSG_MAX + PG_ERROR_FILE_MAX + 64];

	memset(&e, 0xff, sizeof(e));
	cr_assert_eq(helper(&e, "bad %s %d%%", "x", 5), -ENOSPC);
	cr_assert_eq(e.event, 0);
	cr_assert_str_eq(pg_error_format(&e, buf, sizeof(buf)),
	    "f.txt:3: bad x 5%");
	cr_assert_eq(helper(NULL, "ignored"), -ENOSPC);
}

Test(kassert, holds_quietly)
{
	int n = 3;

	PG_KASSERT(n == 3, ("n is %d", n));
	cr_assert_eq(n, 3);
}

#ifndef NDEBUG
/* A broken invariant aborts (debug builds, which the tests are). */
Test(kassert, aborts_when_broken, .signal = SIGABRT)
{
	volatile int n = 2;

	PG_KASSERT(n == 3, ("n is %d", n));
}
#endif
