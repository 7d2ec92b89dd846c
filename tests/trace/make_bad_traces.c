/*
 * make_bad_traces.c - regenerate the rejected inputs of tests/trace/bad/
 * that are binary or hold awkward bytes (the text ones are written by
 * hand).  Run on purpose, then regenerate the .err goldens and review:
 *
 *	build/tests/trace/make_bad_traces tests/trace/bad
 *	PGREPLAY_REGEN_GOLDEN=1 meson test -C build trace-golden
 *	git diff tests/trace/bad
 *
 * Each file is a valid trace from the writer, damaged in one known way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/binfmt.h"
#include "trace/writer.h"

struct blob {
	uint8_t *p;
	size_t len;
};

static const char *outdir;

static void
die(const char *what, const struct pg_error *err)
{
	char buf[1200];

	fprintf(stderr, "make_bad_traces: %s: %s\n", what,
	    err != NULL ? pg_error_format(err, buf, sizeof(buf)) :
			  strerror(errno));
	exit(1);
}

/* encode() - the events in the given format, as the writer makes them. */
static struct blob
encode(const struct trace_event *evs, size_t n, enum trace_format format,
    bool zstd)
{
	struct trace_writer_opts o = { .format = format, .zstd = zstd };
	struct trace_writer *w;
	struct pg_error err;
	struct blob b;
	char path[1024];
	FILE *f;
	long len;
	size_t i;

	snprintf(path, sizeof(path), "%s/.make_bad_traces.tmp", outdir);
	if (trace_writer_open(path, &o, &w, &err) < 0)
		die("open", &err);
	for (i = 0; i < n; i++)
		if (trace_writer_write(w, &evs[i], &err) < 0)
			die("write", &err);
	if (trace_writer_finish(w, &err) < 0)
		die("finish", &err);
	trace_writer_close(w);
	f = fopen(path, "rb");
	if (f == NULL)
		die(path, NULL);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b.len = (size_t)len;
	b.p = malloc(b.len + 1);
	if (b.p == NULL || fread(b.p, 1, b.len, f) != b.len)
		die(path, NULL);
	fclose(f);
	unlink(path);
	return b;
}

static void
put(const char *name, const void *p, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0)
		die(path, NULL);
}

/* A header followed by the given record bytes (no end record). */
static void
put_raw(const char *name, const uint8_t *rec, size_t n)
{
	uint8_t b[64] = TB_MAGIC;

	b[8] = TB_VERSION;
	memcpy(b + TB_HEADER_LEN, rec, n);
	put(name, b, TB_HEADER_LEN + n);
}

static uint8_t *
find(struct blob *b, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->p + i, s, n) == 0)
			return b->p + i;
	fprintf(stderr, "make_bad_traces: \"%s\" not found\n", s);
	exit(1);
}

#define EV(t, o, ...)                                  \
	{                                              \
		.time_ns = (t), .op = (o), __VA_ARGS__ \
	}

int
main(int argc, char **argv)
{
	static const struct trace_event good[] = {
		EV(0, TRACE_OP_PROC, .pid = 1, .str = "demo"),
		EV(0, TRACE_OP_MAP, .pid = 1, .obj = 1, .count = 16),
		EV(1000, TRACE_OP_FAULT, .pid = 1, .obj = 1, .pindex = 0,
		    .count = 1),
		EV(1000, TRACE_OP_FAULT, .pid = 1, .obj = 1, .pindex = 1,
		    .count = 1),
		EV(2000, TRACE_OP_DIRTY, .pid = 1, .obj = 1, .pindex = 8,
		    .count = 4),
		EV(3000, TRACE_OP_MARK, .str = "end of test"),
		EV(4000, TRACE_OP_EXIT, .pid = 1),
	};
	static const struct trace_event unmapped[] = {
		EV(0, TRACE_OP_PROC, .pid = 1, .str = "demo"),
		EV(5, TRACE_OP_FAULT, .pid = 1, .obj = 5, .pindex = 0,
		    .count = 1),
	};
	const size_t ngood = sizeof(good) / sizeof(good[0]);
	/* The end record of `good`: tag, count 7, time 4000 (2 bytes), sum. */
	const size_t endlen = 1 + 1 + 2 + 8;
	static const uint8_t unknown_op[] = { 0xf7 };
	static const uint8_t unknown_rec[] = { 0xfe };
	static const uint8_t page_first[] = { 0x00 };
	static const uint8_t overflow[] = { 0xf0, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	struct blob b, z;
	char line[5200], *nul;
	size_t n;

	if (argc != 2) {
		fputs("usage: make_bad_traces DIR\n", stderr);
		return 2;
	}
	outdir = argv[1];

	b = encode(good, ngood, TRACE_FORMAT_BINARY, false);
	if (b.p[b.len - endlen] != TB_TAG_END) {
		fputs("make_bad_traces: end record not where expected\n",
		    stderr);
		return 1;
	}
	b.p[3] ^= 0x01;
	put("bin-bad-magic.pgb", b.p, b.len);
	b.p[3] ^= 0x01;
	b.p[8] = 2;
	put("bin-bad-version.pgb", b.p, b.len);
	b.p[8] = TB_VERSION;
	b.p[10] = 0x04;
	put("bin-bad-flags.pgb", b.p, b.len);
	b.p[10] = 0;
	put("bin-truncated-header.pgb", b.p, 10);
	put("bin-truncated-record.pgb", b.p, TB_HEADER_LEN + 5);
	put("bin-missing-end.pgb", b.p, b.len - endlen);
	put("bin-truncated-end.pgb", b.p, b.len - 3);
	b.p[b.len - endlen + 1]++;
	put("bin-count-mismatch.pgb", b.p, b.len);
	b.p[b.len - endlen + 1]--;
	find(&b, "end of test")[0] = 'E';
	put("bin-bad-checksum.pgb", b.p, b.len);
	find(&b, "End of test")[0] = 'e';
	b.p[b.len] = 'x';
	put("bin-trailing-data.pgb", b.p, b.len + 1);
	free(b.p);

	put_raw("bin-unknown-op.pgb", unknown_op, sizeof(unknown_op));
	put_raw("bin-unknown-record.pgb", unknown_rec, sizeof(unknown_rec));
	put_raw("bin-page-before-stream.pgb", page_first, sizeof(page_first));
	put_raw("bin-varint-overflow.pgb", overflow, sizeof(overflow));

	b = encode(unmapped, 2, TRACE_FORMAT_BINARY, false);
	put("bin-unmapped-object.pgb", b.p, b.len);
	free(b.p);

	z = encode(good, ngood, TRACE_FORMAT_BINARY, true);
	put("bin-zstd-truncated.pgb.zst", z.p, z.len - 6);
	z.p[z.len - 1] ^= 0xff; /* the frame's content checksum */
	put("bin-zstd-bad-checksum.pgb.zst", z.p, z.len);
	free(z.p);
	z = encode(good, ngood, TRACE_FORMAT_TEXT, true);
	put("text-zstd-truncated.pgt.zst", z.p, z.len / 2);
	free(z.p);

	/* Text whose damage is a byte one cannot type: NUL, very long line. */
	n = (size_t)snprintf(line, sizeof(line), "pgtrace 1\n");
	while (n < 600)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
		    "# padding, so the NUL is past the format sniffing\n");
	n += (size_t)snprintf(line + n, sizeof(line) - n, "0 mark a?b\n");
	nul = strchr(line, '?');
	*nul = '\0';
	put("text-nul-byte.pgt", line, n);
	n = (size_t)snprintf(line, sizeof(line), "pgtrace 1\n0 mark ");
	while (n < 5000)
		line[n++] = 'x';
	line[n++] = '\n';
	put("text-line-too-long.pgt", line, n);
	put("not-a-trace.pgt",
	    "\x7f"
	    "ELF\2\1\1\0\0\0",
	    10);
	return 0;
}
