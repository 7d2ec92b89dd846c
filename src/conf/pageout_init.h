/*
 * pageout_init.h - the arithmetic of vm_pageout_init() and
 * vm_pageout_init_domain() (S:1848-1937, spec section 3) that depends on
 * page counts alone: the domain split, vm_pageout_page_count and the
 * thresholds up to free_target.
 *
 * One copy for two users: the model computes every domain's thresholds
 * from it (vm/thresholds.c), and the configuration check (conf/check.c)
 * refuses a machine whose kernel leaves no more than free_target free.
 * conf stands on its own, so the functions live here, header-only and
 * pure, and vm includes them.
 */
#ifndef PGREPLAY_CONF_PAGEOUT_INIT_H
#define PGREPLAY_CONF_PAGEOUT_INIT_H

#include <stdint.h>

#include "conf/conf.h"

/* Compile-time constants of the seed (spec section 2.1). */
#define PG_PAGEOUT_PAGE_COUNT 32	/* S:197 */
#define PG_PAGEOUT_PAGE_COUNT_TINY 8	/* S:1909-1910, below 2000 pages */
#define PG_MAXBSIZE 65536
#define PG_INTERRUPT_FREE_MIN 2		/* S:1854 */

/*
 * pg_domain_share() - pages of domain i of n when total is split evenly,
 * the first total % n domains getting one page more.
 */
static inline uint64_t
pg_domain_share(uint64_t total, uint64_t n, uint64_t i)
{
	return (total / n + (i < total % n ? 1 : 0));
}

/* pg_ppc_for() - vm_pageout_page_count of total_pages (S:1909-1910). */
static inline uint32_t
pg_ppc_for(uint64_t total_pages)
{
	return (total_pages < 2000 ? PG_PAGEOUT_PAGE_COUNT_TINY :
	    PG_PAGEOUT_PAGE_COUNT);
}

/* pg_fm0() - the raw free_min of page_count pages (S:1861-1864). */
static inline uint32_t
pg_fm0(uint32_t page_count)
{
	return (page_count > 1024 ? 4 + (page_count - 1024) / 200 : 4);
}

/* pg_pageout_free_min() - vmd_pageout_free_min (S:1865). */
static inline uint32_t
pg_pageout_free_min(void)
{
	return ((2 * PG_MAXBSIZE) / PG_PAGE_SIZE + PG_INTERRUPT_FREE_MIN);
}

/* pg_free_reserved() - vmd_free_reserved (S:1867). */
static inline uint32_t
pg_free_reserved(uint32_t page_count, uint32_t ppc)
{
	return (ppc + pg_pageout_free_min() + page_count / 768);
}

/* pg_free_target() - vmd_free_target (S:1870). */
static inline uint32_t
pg_free_target(uint32_t page_count, uint32_t ppc)
{
	return (4 * pg_fm0(page_count) + pg_free_reserved(page_count, ppc));
}

#endif
