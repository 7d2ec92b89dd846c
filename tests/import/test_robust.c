/*
 * test_robust.c - damaged recordings: every line of a real sample, in
 * turn, cut in the middle or doubled in length with junk.  Each import
 * must either succeed (the damage made another valid line) or fail with a
 * position and a message; under the sanitizers, never misbehave.
 */
#include <zstd.h>

#include "helpers.h"

/* load() - the whole (decompressed) file; caller frees. */
static char *
load(const char *path, size_t *n)
{
	char *raw, *text;
	unsigned long long size;
	size_t got;
	FILE *f;

	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	raw = malloc((1 << 22) + 1);
	got = fread(raw, 1, 1 << 22, f);
	fclose(f);
	if (got < 4 || (unsigned char)raw[0] != 0x28) {
		raw[got] = '\0';
		*n = got;
		return raw;
	}
	{
		ZSTD_DCtx *d = ZSTD_createDCtx();
		ZSTD_inBuffer zin = { raw, got, 0 };
		ZSTD_outBuffer zout;
		size_t ret;

		size = 1 << 23;
		text = malloc(size + 1);
		zout = (ZSTD_outBuffer) { text, size, 0 };
		do {
			ret = ZSTD_decompressStream(d, &zout, &zin);
			cr_assert(!ZSTD_isError(ret));
		} while (zin.pos < zin.size && zout.pos < zout.size);
		ZSTD_freeDCtx(d);
		*n = zout.pos;
		text[*n] = '\0';
	}
	free(raw);
	return text;
}

/*
 * damage() - for each of the first max lines: write the text with that
 * line cut at half (mode 0) or with junk inserted at half (mode 1), and
 * import it.
 */
static void
damage(const char *kind, const char *sample, unsigned max)
{
	struct import_stats st;
	struct pg_error err;
	char in[256], out[256];
	const char *p, *eol;
	unsigned line, mode, ok = 0, refused = 0;
	size_t n, len;
	char *text;
	FILE *f;
	int rc;

	text = load(sample, &n);
	tmp_path(in, sizeof(in), ".txt");
	tmp_path(out, sizeof(out), ".pgt");
	for (mode = 0; mode < 2; mode++) {
		p = text;
		for (line = 1; line <= max && *p != '\0'; line++) {
			eol = strchr(p, '\n');
			len = eol != NULL ? (size_t)(eol - p) : strlen(p);
			f = fopen(in, "w");
			cr_assert_not_null(f);
			fwrite(text, 1, (size_t)(p - text) + len / 2, f);
			if (mode == 1)
				fputs(" (0x))<... [x]{ = ?? 0x", f);
			if (mode == 1 || eol == NULL)
				fputs(p + len / 2, f);
			else
				fputs(eol, f);
			fclose(f);
			memset(&err, 0, sizeof(err));
			rc = run_import(kind, in, NULL, NULL, out, false, &st,
			    &err);
			if (rc == 0) {
				ok++;
			} else {
				refused++;
				cr_expect(rc == -EINVAL || rc == -ENOSPC,
				    "%s line %u: rc %d", sample, line, rc);
				cr_expect_neq(err.msg[0], '\0');
				cr_expect_neq(err.file[0], '\0');
			}
			if (eol == NULL)
				break;
			p = eol + 1;
		}
	}
	cr_log_info("%s: %u accepted, %u refused", sample, ok, refused);
	cr_expect_gt(refused, 0, "%s: no damage was noticed", sample);
	free(text);
}

TestSuite(robust, .init = to_root, .fini = tmp_cleanup);

Test(robust, perf, .timeout = 120)
{
	damage("perf", DATA "sqlite3-small.perf-head.txt.zst", 150);
}

Test(robust, strace, .timeout = 120)
{
	damage("strace", DATA "sqlite3-small.strace-variant.txt", 70);
}

Test(robust, lackey, .timeout = 120)
{
	damage("lackey", DATA "sqlite3-small.lackey-excerpt.txt.zst", 40);
}

Test(robust, dtrace, .timeout = 120)
{
	damage("dtrace", DATA "freebsd-sample.dtrace.txt", 30);
}
