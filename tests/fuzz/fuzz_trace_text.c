/*
 * fuzz_trace_text.c - the text trace parser ("pgtrace 1" lines) and the
 * validator, on arbitrary bytes.  Inputs that the reader would send to
 * the binary or zstd decoder are left to fuzz_trace_binary.
 */
#include <string.h>

#include "fuzz_trace_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (size > FUZZ_INPUT_MAX)
		return 0;
	if (size >= 1 && data[0] == 0x89)
		return 0;
	if (size >= 4 && memcmp(data, zstd_magic, 4) == 0)
		return 0;
	fuzz_read_trace(data, size, true);
	return 0;
}
