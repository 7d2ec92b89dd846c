/*
 * pd_test.h - building machine states by hand for the page daemon tests.
 *
 * Every helper asserts its own success (Criterion), so a test reads as the
 * state it builds and the numbers it expects.
 */
#ifndef PGREPLAY_TESTS_PAGEOUT_PD_TEST_H
#define PGREPLAY_TESTS_PAGEOUT_PD_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "pageout/pageout.h"

/* The kernel's ticks at boot for hz = 1000 (spec 2.1). */
#define T_TICKS0 (INT32_MAX - 600 * 1000)

struct t_env {
	struct pg_config cfg;
	struct vm_machine *m;
	struct pageout_shared sh;
	struct pageout_clock clk;
	uint32_t proc;		/* process slot mapping "mapped" objects */
	uint64_t next_obj_id;
	uint32_t filler;		/* object of t_set_free()'s pages */
	uint32_t filler_next;		/* its next pindex */
	int64_t elapsed;		/* ticks since boot */
};

/*
 * t_config() - FreeBSD's defaults (spec 2.2, 2.3), pages of memory in
 * domains, no swap, no kernel wired memory or cache.
 */
void t_config(struct pg_config *cfg, uint64_t pages, uint32_t domains);

/* t_boot() - the machine of e->cfg at T_TICKS0, time_uptime 1, process 100. */
void t_boot(struct t_env *e);

/* t_boot_pages() - t_config() then t_boot(). */
void t_boot_pages(struct t_env *e, uint64_t pages, uint32_t domains);

/* t_shutdown() - vm_machine_check() one last time, then destroy. */
void t_shutdown(struct t_env *e);

/* t_check() - vm_machine_check() must pass. */
void t_check(struct t_env *e);

/*
 * t_object() - a new object of type and size; mapped: process 100 maps it
 * (ref_count 1), else ref_count 0.
 */
uint32_t t_object(struct t_env *e, enum vm_objtype type, uint32_t size,
    bool mapped);

/*
 * t_page() - allocate (obj, pindex) in domain d (INTERRUPT class, so down
 * to 0 free pages), fully valid, clean, act_count 0, and put it at the
 * tail of queue (PQ_NONE: on no queue).
 */
uint32_t t_page(struct t_env *e, uint32_t d, uint32_t obj, uint32_t pindex,
    uint8_t queue);

/* t_pages() - n pages pindex first.. of obj on queue; returns the first. */
uint32_t t_pages(struct t_env *e, uint32_t d, uint32_t obj, uint32_t first,
    uint32_t n, uint8_t queue);

/*
 * t_set_free() - allocate wired off-queue pages in domain d until its free
 * count is exactly free (which must not be above the current count).
 */
void t_set_free(struct t_env *e, uint32_t d, uint32_t free);

/* t_scan() - vm_pageout_scan() of domain d at e->clk. */
bool t_scan(struct t_env *e, uint32_t d, int32_t pass, int32_t shortage);

/* t_qpos() - position in its queue, markers counted (head 0), or -1. */
int t_qpos(struct t_env *e, uint32_t page);

/* t_queue_has() - page is on queue q of domain d (walks the list). */
bool t_queue_has(struct t_env *e, uint32_t d, uint8_t q, uint32_t page);

/* t_advance() - move the clock by ticks (time_uptime follows, hz 1000). */
void t_advance(struct t_env *e, int32_t ticks);

#endif
