/*
 * fuzz_import_strace.c - `pgreplay import strace`: an strace -f log
 * alone.  The first byte picks the options: bit 0 --no-anon-dirty, bit 1
 * binary output; the rest is the log.
 */
#define _GNU_SOURCE /* memfd_create() */
#include "fuzz_import_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options o;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	import_options_init(&o);
	o.anon_dirty = (data[0] & 1) == 0;
	fuzz_import(FUZZ_IMPORT_STRACE, data + 1, size - 1, NULL, 0, &o,
	    (data[0] & 2) != 0);
	return 0;
}
