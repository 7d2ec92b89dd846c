/*
 * fuzz_trace_binary.c - the binary trace decoder, plain and inside zstd.
 *
 * The first byte picks how the rest is presented, so that one corpus
 * reaches every path:
 *	0	the rest as it is (any header, any frame);
 *	1	a valid binary header, then the rest as records;
 *	2	as 1, compressed into one valid zstd frame (the streaming
 *		decompressor feeding the decoder);
 *	3	as 1, with the validator off (the decoder alone);
 *	other	the rest as it is, validator off.
 * The checksum is not forged: a stream is decoded, and its events
 * checked, up to the first error, wherever that is.
 */
#include <string.h>
#include <zstd.h>

#include "fuzz_trace_common.h"
#include "trace/binfmt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf, *z;
	size_t n, zcap, zlen;
	uint8_t mode;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	mode = data[0];
	data++;
	size--;
	if (mode == 0 || mode > 3) {
		fuzz_read_trace(data, size, mode == 0);
		return 0;
	}
	n = TB_HEADER_LEN + size;
	buf = malloc(n);
	if (buf == NULL)
		return 0;
	memcpy(buf, TB_MAGIC, TB_MAGIC_LEN);
	buf[8] = TB_VERSION;
	memset(buf + 9, 0, TB_HEADER_LEN - 9);
	memcpy(buf + TB_HEADER_LEN, data, size);
	if (mode != 2) {
		fuzz_read_trace(buf, n, mode == 1);
		free(buf);
		return 0;
	}
	zcap = ZSTD_compressBound(n);
	z = malloc(zcap);
	if (z != NULL) {
		zlen = ZSTD_compress(z, zcap, buf, n, 1);
		FUZZ_ASSERT(!ZSTD_isError(zlen));
		fuzz_read_trace(z, zlen, true);
		free(z);
	}
	free(buf);
	return 0;
}
