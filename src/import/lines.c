/*
 * lines.c - the line reader of the importers: read(2) into a fixed buffer,
 * through a zstd stream when the input starts with a zstd frame.
 */
#include "import/lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#define RAW_SIZE (128 * 1024)
#define BUF_SIZE (2 * IMPORT_LINE_MAX + RAW_SIZE)

struct import_lines {
	char name[PG_ERROR_FILE_MAX];
	int fd;
	bool close_fd;
	ZSTD_DCtx *dctx; /* non-NULL for zstd input */
	uint8_t *raw;	 /* compressed bytes, [rpos, rend) unread */
	size_t rpos, rend;
	bool raw_eof;
	size_t zret; /* last ZSTD_decompressStream() hint */
	char *buf;   /* decompressed text, [pos, end) unread */
	size_t pos, end;
	bool eof;
	uint64_t line;
};

static int
raw_fill(struct import_lines *l, struct pg_error *err)
{
	ssize_t n;

	if (l->rpos > 0) {
		memmove(l->raw, l->raw + l->rpos, l->rend - l->rpos);
		l->rend -= l->rpos;
		l->rpos = 0;
	}
	for (;;) {
		n = read(l->fd, l->raw + l->rend, RAW_SIZE - l->rend);
		if (n >= 0)
			break;
		if (errno != EINTR)
			return (pg_error_setv(err, -errno, l->name, PG_POS_LINE,
			    l->line + 1, "read error: %s", strerror(errno)));
	}
	if (n == 0)
		l->raw_eof = true;
	l->rend += (size_t)n;
	return (0);
}

/* fill() - append decompressed bytes to buf; sets eof at the end. */
static int
fill(struct import_lines *l, struct pg_error *err)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	size_t before, prev;
	bool progress;
	int rc;

	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->end - l->pos);
		l->end -= l->pos;
		l->pos = 0;
	}
	before = l->end;
	while (l->end == before && !l->eof) {
		if (l->rpos == l->rend && !l->raw_eof &&
		    (rc = raw_fill(l, err)) < 0)
			return (rc);
		if (l->dctx == NULL) {
			memcpy(l->buf + l->end, l->raw + l->rpos,
			    l->rend - l->rpos);
			l->end += l->rend - l->rpos;
			l->rpos = l->rend;
			if (l->raw_eof && l->end == before)
				l->eof = true;
			continue;
		}
		in = (ZSTD_inBuffer) { l->raw, l->rend, l->rpos };
		out = (ZSTD_outBuffer) { l->buf + l->end, BUF_SIZE - 1 - l->end,
			0 };
		prev = l->zret;
		l->zret = ZSTD_decompressStream(l->dctx, &out, &in);
		if (ZSTD_isError(l->zret))
			return (pg_error_setv(err, -EINVAL, l->name,
			    PG_POS_LINE, l->line + 1, "corrupt zstd stream: %s",
			    ZSTD_getErrorName(l->zret)));
		progress = in.pos != l->rpos || out.pos != 0;
		l->rpos = in.pos;
		l->end += out.pos;
		/*
		 * All input read and no progress: the end, complete if the
		 * last call that did something ended a frame (a call after
		 * it asks for the next frame's header).
		 */
		if (!progress && l->rpos == l->rend && l->raw_eof) {
			if (prev != 0)
				return (pg_error_setv(err, -EINVAL, l->name,
				    PG_POS_LINE, l->line + 1,
				    "truncated zstd stream"));
			l->eof = true;
		}
	}
	return (0);
}

int
import_lines_open(const char *path, struct import_lines **out,
    struct pg_error *err)
{
	struct import_lines *l;
	int rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	snprintf(l->name, sizeof(l->name), "%s",
	    strcmp(path, "-") == 0 ? "<stdin>" : path);
	l->raw = malloc(RAW_SIZE);
	l->buf = malloc(BUF_SIZE);
	if (l->raw == NULL || l->buf == NULL) {
		rc = pg_error_setv(err, -ENOMEM, l->name, PG_POS_NONE, 0,
		    "out of memory");
		goto fail;
	}
	if (strcmp(path, "-") == 0) {
		l->fd = STDIN_FILENO;
	} else {
		l->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (l->fd < 0) {
			rc = pg_error_setv(err, -errno, l->name, PG_POS_NONE, 0,
			    "cannot open: %s", strerror(errno));
			goto fail;
		}
		l->close_fd = true;
	}
	while (l->rend < 4 && !l->raw_eof)
		if ((rc = raw_fill(l, err)) < 0)
			goto fail;
	if (l->rend >= 4 && l->raw[0] == 0x28 && l->raw[1] == 0xb5 &&
	    l->raw[2] == 0x2f && l->raw[3] == 0xfd) {
		l->dctx = ZSTD_createDCtx();
		if (l->dctx == NULL) {
			rc = pg_error_setv(err, -ENOMEM, l->name, PG_POS_NONE,
			    0, "out of memory");
			goto fail;
		}
		l->zret = 1;
	}
	*out = l;
	return (0);
fail:
	import_lines_close(l);
	return (rc);
}

int
import_lines_next(struct import_lines *l, char **line, size_t *len,
    struct pg_error *err)
{
	char *nl;
	size_t n;
	int rc;

	for (;;) {
		nl = memchr(l->buf + l->pos, '\n', l->end - l->pos);
		if (nl != NULL) {
			n = (size_t)(nl - (l->buf + l->pos));
			break;
		}
		if (l->end - l->pos > IMPORT_LINE_MAX) {
			l->line++;
			return (pg_error_set(err, l->name, PG_POS_LINE, l->line,
			    "line too long: more than %d bytes",
			    IMPORT_LINE_MAX));
		}
		if (l->eof) {
			if (l->pos == l->end)
				return (0);
			n = l->end - l->pos;
			break;
		}
		if ((rc = fill(l, err)) < 0)
			return (rc);
	}
	l->line++;
	if (n > IMPORT_LINE_MAX)
		return (pg_error_set(err, l->name, PG_POS_LINE, l->line,
		    "line too long: more than %d bytes", IMPORT_LINE_MAX));
	*line = l->buf + l->pos;
	l->pos += n + (nl != NULL);
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	if (memchr(*line, '\0', n) != NULL)
		return (pg_error_set(err, l->name, PG_POS_LINE, l->line,
		    "NUL byte in line: expected text"));
	*len = n;
	return (1);
}

const char *
import_lines_name(const struct import_lines *l)
{
	return (l->name);
}

uint64_t
import_lines_lineno(const struct import_lines *l)
{
	return (l->line);
}

void
import_lines_close(struct import_lines *l)
{
	if (l == NULL)
		return;
	if (l->close_fd)
		close(l->fd);
	ZSTD_freeDCtx(l->dctx);
	free(l->raw);
	free(l->buf);
	free(l);
}

int
import_lines_error(const struct import_lines *l, struct pg_error *err,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(err, -EINVAL, import_lines_name(l), PG_POS_LINE,
	    import_lines_lineno(l), fmt, ap);
	va_end(ap);
	return (rc);
}
