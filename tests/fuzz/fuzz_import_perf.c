/*
 * fuzz_import_perf.c - `pgreplay import perf`: perf script text, alone
 * or merged with an strace -f log of the same run.
 *
 * The first byte picks the options: bit 0 --no-anon-dirty, bit 1 every
 * process (all_pids), bit 2 a given clock offset (bit 6 picks a wrong
 * one; otherwise it is estimated from the mmap calls both logs hold),
 * bit 3 --pid: the next 4 bytes are the pid (little-endian), bit 4
 * binary output, bit 5 an strace log: then the rest is the perf text up
 * to the first NUL byte and the strace log after it.
 */
#define _GNU_SOURCE /* memfd_create() */
#include "fuzz_import_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options o;
	const uint8_t *perf, *strace = NULL, *nul;
	size_t plen, slen = 0;
	uint8_t mode;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	mode = data[0];
	perf = data + 1;
	plen = size - 1;
	import_options_init(&o);
	if (mode & 8) {
		if (plen < 4)
			return 0;
		o.root_pid = (uint32_t)perf[0] | (uint32_t)perf[1] << 8 |
		    (uint32_t)perf[2] << 16 | (uint32_t)perf[3] << 24;
		perf += 4;
		plen -= 4;
	}
	if (mode & 32) {
		nul = memchr(perf, '\0', plen);
		if (nul != NULL) {
			strace = nul + 1;
			slen = plen - (size_t)(strace - perf);
			plen = (size_t)(nul - perf);
		} else {
			strace = perf + plen;
		}
	}
	o.anon_dirty = (mode & 1) == 0;
	o.all_pids = (mode & 2) != 0;
	if (mode & 4) {
		o.clock_offset_set = true;
		/* The shared recordings' offset, or a wrong one. */
		o.clock_offset = (mode & 64) ? -INT64_C(1000000000) :
		    INT64_C(1795484134633142880);
	}
	fuzz_import(FUZZ_IMPORT_PERF, perf, plen, strace, slen, &o,
	    (mode & 16) != 0);
	return 0;
}
