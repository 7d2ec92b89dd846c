/*
 * vmtest.h - helpers of the vm tests: a small machine built from a
 * hand-filled configuration (FreeBSD defaults, spec 2.2), and shortcuts.
 */
#ifndef PGREPLAY_TESTS_VM_VMTEST_H
#define PGREPLAY_TESTS_VM_VMTEST_H

#include <stdint.h>

#include "vm/vm.h"

#define T_TICKS0 (INT32_MAX - 600 * 1000)

/*
 * A machine of memory_mib MiB in ndomains domains with swap_blocks pages
 * of swap, no kernel memory; the test fails if it cannot be built.
 */
struct vm_machine *t_machine(uint32_t memory_mib, uint32_t ndomains,
    uint64_t swap_blocks);
/* The configuration t_machine() uses. */
void t_config(struct pg_config *cfg, uint32_t memory_mib, uint32_t ndomains,
    uint64_t swap_blocks);
/* Assert vm_machine_check() passes, with its message otherwise. */
void t_check(const struct vm_machine *m);
/* A new object of type and size with trace id `id`; returns its slot. */
uint32_t t_object(struct vm_machine *m, uint64_t id, enum vm_objtype type,
    uint32_t size);
/* A resident, valid page (obj, pindex) allocated with VM_ALLOC_INTERRUPT. */
uint32_t t_page(struct vm_machine *m, uint32_t obj, uint32_t pindex);
/* Allocate INTERRUPT pages into obj until domain d has `target` free pages. */
void t_drain_to(struct vm_machine *m, uint32_t d, uint32_t obj,
    uint32_t target);
/* Free pages of obj (last allocated first) until d has `target` free pages. */
void t_fill_to(struct vm_machine *m, uint32_t d, uint32_t obj,
    uint32_t target);
/* Pages of a queue from head to tail, markers included; returns the count. */
uint32_t t_queue(const struct vm_machine *m, uint32_t d, uint8_t q,
    uint32_t *out, uint32_t max);
/* A process with pid, named "t<pid>"; returns its slot. */
uint32_t t_proc(struct vm_machine *m, uint32_t pid);

#endif
