/*
 * vmmeter.c - the counter table.
 */
#include "vm/vmmeter.h"

static const struct vm_counter_desc counter_table[] = {
#define VM_COUNTER_DESC(name, desc) { #name, desc, offsetof(struct vm_counters, name) },
	VM_COUNTERS(VM_COUNTER_DESC)
#undef VM_COUNTER_DESC
};

const struct vm_counter_desc *
vm_counters_table(size_t *n)
{
	*n = sizeof(counter_table) / sizeof(counter_table[0]);
	return (counter_table);
}
