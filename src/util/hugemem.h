/*
 * hugemem.h - ask the kernel to back a large table with huge pages.
 *
 * The model's large tables (the page array, the page index's nodes, the
 * mappings' vectors) are read at random, about one cache line per access.
 * With 4 KiB pages nearly each such read is also a TLB miss, and in a
 * virtual machine a TLB miss walks two page tables.  One 2 MiB page maps
 * what 512 small ones do (docs/performance.md, "Eleventh round").
 */
#ifndef PGREPLAY_UTIL_HUGEMEM_H
#define PGREPLAY_UTIL_HUGEMEM_H

#include <stddef.h>

/* Tables smaller than this are left alone: less than one huge page. */
#define PG_HUGE_MIN ((size_t)2 << 20)

/*
 * pg_huge_advise() - advise transparent huge pages for the whole pages
 * inside [base, base + bytes) when bytes >= PG_HUGE_MIN.  Advice only:
 * where the kernel has no transparent huge pages, or refuses, nothing
 * changes, and nothing the program computes depends on it.
 */
void pg_huge_advise(void *base, size_t bytes);

#endif
