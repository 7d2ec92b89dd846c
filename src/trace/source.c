/*
 * source.c - the bytes under a reader: a file, standard input or memory,
 * decompressed on the fly when the input starts with a zstd frame.
 */
#include "trace/trace_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd_errors.h>

static ssize_t
raw_read(struct tsrc *s, uint8_t *buf, size_t n, struct pg_error *err)
{
	size_t k;
	ssize_t got;

	if (s->peek_pos < s->npeek) {
		k = s->npeek - s->peek_pos;
		if (k > n)
			k = n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += k;
		return ((ssize_t)k);
	}
	if (s->fd < 0) {
		k = s->mem_len - s->mem_pos;
		if (k > n)
			k = n;
		if (k > 0)
			memcpy(buf, s->mem + s->mem_pos, k);
		s->mem_pos += k;
		return ((ssize_t)k);
	}
	do
		got = read(s->fd, buf, n);
	while (got < 0 && errno == EINTR &&
	    (s->interrupted == NULL || *s->interrupted == 0));
	if (got < 0 && errno == EINTR)
		return (pg_error_setv(err, -EINTR, NULL, PG_POS_NONE, 0,
		    "interrupted"));
	if (got < 0)
		return (pg_error_setv(err, -errno, NULL, PG_POS_NONE, 0,
		    "read error: %s", strerror(errno)));
	return (got);
}

int
tsrc_open(struct tsrc *s, const char *path, const void *mem, size_t len,
    volatile sig_atomic_t *interrupted, struct pg_error *err)
{
	ssize_t got;
	uint32_t magic;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->interrupted = interrupted;
	if (path == NULL) {
		s->mem = mem;
		s->mem_len = len;
	} else if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0)
			return (pg_error_setv(err, -errno, NULL, PG_POS_NONE, 0,
			    "cannot open: %s", strerror(errno)));
		s->close_fd = true;
	}

	/* Read the first 4 bytes, however short the reads, to spot zstd. */
	while (s->npeek < sizeof(s->peek)) {
		s->peek_pos = s->npeek; /* raw_read() must not replay them */
		got = raw_read(s, s->peek + s->npeek,
		    sizeof(s->peek) - s->npeek, err);
		if (got < 0)
			return ((int)got);
		if (got == 0)
			break;
		s->npeek += (size_t)got;
	}
	s->peek_pos = 0;
	if (s->npeek < 4)
		return (0);
	magic = (uint32_t)s->peek[0] | (uint32_t)s->peek[1] << 8 |
	    (uint32_t)s->peek[2] << 16 | (uint32_t)s->peek[3] << 24;
	if (magic != ZSTD_MAGIC_LE)
		return (0);
	s->dctx = ZSTD_createDCtx();
	s->zin = malloc(ZSTD_DStreamInSize());
	if (s->dctx == NULL || s->zin == NULL)
		return (pg_error_setv(err, -ENOMEM, NULL, PG_POS_NONE, 0,
		    "out of memory"));
	/*
	 * The frame header chooses the window the decoder allocates: bound
	 * it (zstd's own default, said here so that it is a documented
	 * limit, docs/robustness.md), so that a forged header cannot ask
	 * for gigabytes.
	 */
	if (ZSTD_isError(ZSTD_DCtx_setParameter(s->dctx, ZSTD_d_windowLogMax,
		TRACE_ZSTD_WINDOW_LOG_MAX)))
		return (pg_error_setv(err, -EINVAL, NULL, PG_POS_NONE, 0,
		    "zstd: cannot bound the window size"));
	return (0);
}

ssize_t
tsrc_read(struct tsrc *s, uint8_t *buf, size_t n, struct pg_error *err)
{
	ZSTD_outBuffer out = { buf, n, 0 };
	ZSTD_inBuffer in;
	ssize_t got;
	size_t ret;

	if (s->dctx == NULL)
		return (raw_read(s, buf, n, err));
	while (out.pos < out.size) {
		if (s->zin_pos == s->zin_len && !s->raw_eof) {
			got = raw_read(s, s->zin, ZSTD_DStreamInSize(), err);
			if (got < 0)
				return (got);
			s->zin_len = (size_t)got;
			s->zin_pos = 0;
			s->zread += (uint64_t)got;
			if (got == 0)
				s->raw_eof = true;
		}
		if (s->zin_pos == s->zin_len && s->raw_eof) {
			/*
			 * Input ended.  At a frame boundary that is the end;
			 * inside a frame zstd may still hold output: ask for
			 * it, and call the frame truncated when none comes.
			 */
			if (s->zret == 0)
				break;
			in = (ZSTD_inBuffer) { s->zin, 0, 0 };
			ret = ZSTD_decompressStream(s->dctx, &out, &in);
			if (ZSTD_isError(ret))
				goto corrupt;
			s->zret = ret;
			if (out.pos == 0 && ret != 0)
				goto truncated;
			break;
		}
		in = (ZSTD_inBuffer) { s->zin, s->zin_len, s->zin_pos };
		ret = ZSTD_decompressStream(s->dctx, &out, &in);
		s->zin_pos = in.pos;
		if (ZSTD_isError(ret))
			goto corrupt;
		s->zret = ret;
		/* Hand back what we have rather than block on a pipe. */
		if (out.pos > 0 && s->zin_pos == s->zin_len)
			break;
	}
	s->produced += out.pos;
	return ((ssize_t)out.pos);
truncated:
	/*
	 * The decompressed offset may say little here (zstd may not have
	 * produced anything yet): say how much compressed input there was.
	 */
	return (pg_error_setv(err, -EINVAL, NULL, PG_POS_NONE, 0,
	    "truncated zstd frame: the input ends inside it (%" PRIu64
	    " compressed bytes read)", s->zread));
corrupt:
	s->produced += out.pos;
	if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge)
		return (pg_error_setv(err, -EFBIG, NULL, PG_POS_NONE, 0,
		    "zstd frame needs a window over the limit of %u MiB "
		    "(recompress without --long, or with --long=%d at most)",
		    (1u << TRACE_ZSTD_WINDOW_LOG_MAX) >> 20,
		    TRACE_ZSTD_WINDOW_LOG_MAX));
	return (pg_error_setv(err, -EINVAL, NULL, PG_POS_NONE, 0,
	    "corrupt zstd data: %s (%" PRIu64 " compressed bytes read)",
	    ZSTD_getErrorName(ret), s->zread));
}

void
tsrc_close(struct tsrc *s)
{
	if (s->close_fd && s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	ZSTD_freeDCtx(s->dctx);
	s->dctx = NULL;
	free(s->zin);
	s->zin = NULL;
}
