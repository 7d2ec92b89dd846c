/*
 * fuzz_import_lackey.c - `pgreplay import lackey`: a valgrind
 * --tool=lackey --trace-mem=yes log.  The first byte picks the options:
 * bit 0 --no-anon-dirty, bit 1 binary output, bits 2-3 --ns-per-instr
 * (1, 0, 1000, 1000000000: the ends of its range), bits 4-5
 * --merge-window (1ms, 0, 1ns, 1s); the rest is the log.
 */
#define _GNU_SOURCE /* memfd_create() */
#include "fuzz_import_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t ns_per_instr[4] = { 1, 0, 1000, 1000000000 };
	static const uint64_t merge_ns[4] = { 1000000, 0, 1, 1000000000 };
	struct import_options o;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	import_options_init(&o);
	o.anon_dirty = (data[0] & 1) == 0;
	o.ns_per_instr = ns_per_instr[(data[0] >> 2) & 3];
	o.merge_ns = merge_ns[(data[0] >> 4) & 3];
	fuzz_import(FUZZ_IMPORT_LACKEY, data + 1, size - 1, NULL, 0, &o,
	    (data[0] & 2) != 0);
	return 0;
}
