/*
 * pd_env.h - the page daemon's test environment (part of the shared test
 * fixture library, tests/lib/): a machine with the daemon's shared state
 * and clock, built by hand, scans run one by one.  Names start pdt_; the
 * plainer vm_machine builders are fixture.h's fx_*.
 *
 * Every helper asserts its own success (Criterion), so a test reads as the
 * state it builds and the numbers it expects.
 */
#ifndef PGREPLAY_TESTS_LIB_PD_ENV_H
#define PGREPLAY_TESTS_LIB_PD_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "pageout/pageout.h"

/* The kernel's ticks at boot for hz = 1000 (spec 2.1). */
#define PDT_TICKS0 (INT32_MAX - 600 * 1000)

struct pdt_env {
	struct pg_config cfg;
	struct vm_machine *m;
	struct pageout_shared sh;
	struct pageout_clock clk;
	uint32_t proc;		/* process slot mapping "mapped" objects */
	uint64_t next_obj_id;
	uint32_t filler;		/* object of pdt_set_free()'s pages */
	uint32_t filler_next;		/* its next pindex */
	int64_t elapsed;		/* ticks since boot */
};

/*
 * pdt_config() - FreeBSD's defaults (spec 2.2, 2.3), pages of memory in
 * domains, no swap, no kernel wired memory or cache.
 */
void pdt_config(struct pg_config *cfg, uint64_t pages, uint32_t domains);

/* pdt_boot() - the machine of e->cfg at PDT_TICKS0, time_uptime 1, process 100. */
void pdt_boot(struct pdt_env *e);

/* pdt_boot_pages() - pdt_config() then pdt_boot(). */
void pdt_boot_pages(struct pdt_env *e, uint64_t pages, uint32_t domains);

/* pdt_shutdown() - vm_machine_check() one last time, then destroy. */
void pdt_shutdown(struct pdt_env *e);

/* pdt_check() - vm_machine_check() must pass. */
void pdt_check(struct pdt_env *e);

/*
 * pdt_object() - a new object of type and size; mapped: process 100 maps it
 * (ref_count 1), else ref_count 0.
 */
uint32_t pdt_object(struct pdt_env *e, enum vm_objtype type, uint32_t size,
    bool mapped);

/*
 * pdt_page() - allocate (obj, pindex) in domain d (INTERRUPT class, so down
 * to 0 free pages), fully valid, clean, act_count 0, and put it at the
 * tail of queue (PQ_NONE: on no queue).
 */
uint32_t pdt_page(struct pdt_env *e, uint32_t d, uint32_t obj, uint32_t pindex,
    uint8_t queue);

/* pdt_pages() - n pages pindex first.. of obj on queue; returns the first. */
uint32_t pdt_pages(struct pdt_env *e, uint32_t d, uint32_t obj, uint32_t first,
    uint32_t n, uint8_t queue);

/*
 * pdt_set_free() - allocate wired off-queue pages in domain d until its free
 * count is exactly free (which must not be above the current count).
 */
void pdt_set_free(struct pdt_env *e, uint32_t d, uint32_t free);

/* pdt_scan() - vm_pageout_scan() of domain d at e->clk. */
bool pdt_scan(struct pdt_env *e, uint32_t d, int32_t pass, int32_t shortage);

/* pdt_qpos() - position in its queue, markers counted (head 0), or -1. */
int pdt_qpos(struct pdt_env *e, uint32_t page);

/* pdt_queue_has() - page is on queue q of domain d (walks the list). */
bool pdt_queue_has(struct pdt_env *e, uint32_t d, uint8_t q, uint32_t page);

/* pdt_advance() - move the clock by ticks (time_uptime follows, hz 1000). */
void pdt_advance(struct pdt_env *e, int32_t ticks);

#endif
