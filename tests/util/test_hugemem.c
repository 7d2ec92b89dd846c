/*
 * test_hugemem.c - pg_huge_advise(): a large table is marked for
 * transparent huge pages (the kernel's "hg" flag on its mapping in
 * /proc/self/smaps), a small one is not, and pg_grow() marks the arrays
 * it grows past PG_HUGE_MIN.  Skipped where the kernel has no THP.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/grow.h"
#include "util/hugemem.h"

/* THP can be asked for: the kernel has it, and not set to "never". */
static bool
thp_available(void)
{
	char line[128];
	FILE *f;
	bool ok;

	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f == NULL)
		return (false);
	ok = fgets(line, sizeof(line), f) != NULL &&
	    strstr(line, "[never]") == NULL;
	fclose(f);
	return (ok);
}

/*
 * Whether the mapping holding addr has the flag hg (MADV_HUGEPAGE), from
 * its VmFlags line in /proc/self/smaps.
 */
static bool
mapping_advised(const void *addr)
{
	char line[512];
	uintptr_t lo, hi, a = (uintptr_t)addr;
	bool inside = false, found = false, hg = false;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	cr_assert_not_null(f, "no /proc/self/smaps");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			inside = lo <= a && a < hi;
			continue;
		}
		if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			found = true;
			hg = strstr(line, " hg") != NULL;
		}
	}
	fclose(f);
	cr_assert(found, "no mapping holds %p", addr);
	return (hg);
}

Test(hugemem, a_large_table_is_advised_a_small_one_is_not)
{
	size_t big = 4 * PG_HUGE_MIN, small = PG_HUGE_MIN / 2;
	char *b, *s;

	if (!thp_available())
		cr_skip_test("no transparent huge pages here");
	b = mmap(NULL, big, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s = mmap(NULL, small, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert(b != MAP_FAILED && s != MAP_FAILED);
	cr_assert_not(mapping_advised(b + big / 2));
	/* Not page-aligned at either end, as a malloc()ed table is. */
	pg_huge_advise(b + 16, big - 32);
	pg_huge_advise(s + 16, small - 32);
	cr_assert(mapping_advised(b + big / 2));
	cr_assert_not(mapping_advised(s + small / 2));
	/* Nothing outside the table: its partial first page is left out. */
	cr_assert_not(mapping_advised(b));
	memset(b, 1, big);
	cr_assert_eq(b[big - 1], 1);
	munmap(b, big);
	munmap(s, small);
	pg_huge_advise(NULL, big);
}

Test(hugemem, grow_advises_what_it_grows_past_the_minimum)
{
	size_t cap = 0, n = 2 * PG_HUGE_MIN;
	char *a = NULL;

	if (!thp_available())
		cr_skip_test("no transparent huge pages here");
	if (getenv("PGREPLAY_VALGRIND") != NULL)
		cr_skip_test("valgrind's allocator, not the program's");
	a = pg_grow(a, &cap, n, 1, 4096, SIZE_MAX);
	cr_assert_not_null(a);
	cr_assert_geq(cap, n);
	cr_assert(mapping_advised(a + n / 2));
	cr_assert_eq(a[n - 1], 0, "grown and zeroed");
	free(a);
}
