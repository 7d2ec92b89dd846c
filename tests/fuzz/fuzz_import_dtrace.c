/*
 * fuzz_import_dtrace.c - `pgreplay import dtrace`: the output of
 * traces/record/freebsd.d.  The first byte picks the options: bit 0
 * --no-anon-dirty, bit 1 binary output; the rest is the recording.
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
	fuzz_import(FUZZ_IMPORT_DTRACE, data + 1, size - 1, NULL, 0, &o,
	    (data[0] & 2) != 0);
	return 0;
}
