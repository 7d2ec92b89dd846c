/*
 * hugemem.c - huge pages for large tables (hugemem.h).
 */
#include "util/hugemem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void
pg_huge_advise(void *base, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start, end, page;
	long pagesize;

	if (base == NULL || bytes < PG_HUGE_MIN)
		return;
	pagesize = sysconf(_SC_PAGESIZE);
	if (pagesize <= 0)
		return;
	page = (uintptr_t)pagesize;
	start = ((uintptr_t)base + page - 1) & ~(page - 1);
	end = ((uintptr_t)base + bytes) & ~(page - 1);
	/*
	 * The table's memory is ours whichever allocator served it, so the
	 * advice touches nothing else; a refusal (EINVAL without THP)
	 * leaves the table on small pages, which is only slower.
	 */
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)base;
	(void)bytes;
#endif
}
