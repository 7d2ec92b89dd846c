/*
 * fixture.h - small machines for the tests of the model (the shared test
 * fixture library, tests/lib/; names start fx_): a one-domain machine
 * built from a hand-filled configuration, objects, a process mapping
 * them, and pages placed on chosen queues with chosen state.
 */
#ifndef PGREPLAY_TESTS_LIB_FIXTURE_H
#define PGREPLAY_TESTS_LIB_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "pageout/pageout.h"
#include "vm/pager.h"
#include "vm/vm.h"

#define FX_TICKS0 (INT32_MAX - 600 * 1000)

/*
 * fx_machine() - pages of memory in one domain, swap_pages of swap,
 * nothing wired.
 */
struct vm_machine *fx_machine(uint32_t pages, uint64_t swap_pages);

/*
 * fx_machine_mib(), fx_config_mib() - memory_mib MiB in ndomains domains,
 * swap_pages of swap, nothing wired (the machines of the vm tests).
 */
struct vm_machine *fx_machine_mib(uint32_t memory_mib, uint32_t ndomains,
    uint64_t swap_pages);
void fx_config_mib(struct pg_config *cfg, uint32_t memory_mib,
    uint32_t ndomains, uint64_t swap_pages);

/* fx_machine_cfg() - as fx_machine(), from an adjusted configuration. */
struct vm_machine *fx_machine_cfg(const struct pg_config *cfg);

/* fx_config() - the defaults, with pages of memory, swap_pages of swap. */
void fx_config(struct pg_config *cfg, uint32_t pages, uint64_t swap_pages);

/* fx_object() - a new object of type and size (trace id id). */
uint32_t fx_object(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size);

/* fx_proc() - a process with pid, named "t<pid>". */
uint32_t fx_proc(struct vm_machine *m, uint32_t pid);
/* fx_map() - proc maps obj (its ref_count + 1). */
void fx_map(struct vm_machine *m, uint32_t proc, uint32_t obj);

/*
 * fx_page() - a fully valid page (obj, pindex), dirty or clean, appended
 * to queue (PQ_NONE: left off the queues).
 */
uint32_t fx_page(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint8_t queue, bool dirty);

/* fx_pages() - fx_page() for pindex first .. first + n - 1, in order. */
void fx_pages(struct vm_machine *m, uint32_t obj, uint32_t first, uint32_t n,
    uint8_t queue, bool dirty);

/* fx_page_at() - the resident page (obj, pindex); asserts it exists. */
uint32_t fx_page_at(const struct vm_machine *m, uint32_t obj, uint32_t pindex);

/*
 * fx_alloc() - a valid page (obj, pindex) as vm_page_alloc() leaves it
 * (VM_ALLOC_INTERRUPT, on no queue the test chose).
 */
uint32_t fx_alloc(struct vm_machine *m, uint32_t obj, uint32_t pindex);

/* fx_drain_to() - fx_alloc() into obj until domain d has target free pages. */
void fx_drain_to(struct vm_machine *m, uint32_t d, uint32_t obj,
    uint32_t target);

/* fx_fill_to() - free obj's pages, last first, until d has target free. */
void fx_fill_to(struct vm_machine *m, uint32_t d, uint32_t obj,
    uint32_t target);

/* fx_check() - vm_machine_check() must pass. */
void fx_check(const struct vm_machine *m);

/*
 * fx_queue() - the entries of queue q of domain d (markers included) into
 * out; returns how many.
 */
uint32_t fx_queue(const struct vm_machine *m, uint32_t d, uint8_t q,
    uint32_t *out, uint32_t max);

/*
 * fx_complete_all() - take every started I/O and complete it (no error),
 * in order; returns how many.
 */
uint32_t fx_complete_all(struct vm_machine *m);

#endif
