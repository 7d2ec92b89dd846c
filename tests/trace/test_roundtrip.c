/*
 * test_roundtrip.c - writers and readers agree: random streams and every
 * trace under traces/ go text -> binary -> text (plain and zstd) unchanged;
 * formats are recognised by content; the encoding is as small as promised;
 * output is atomic.
 */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <unistd.h>

#include "helpers.h"

static char tmpdir[64];

static void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pgtrace-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
remove_tmpdir(void)
{
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
rand_token(uint64_t *s, char *buf, size_t max, bool blanks)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
				    "OPQRSTUVWXYZ0123456789/._-+=:,@\xc3\xa9";
	size_t n = 1 + rnd(s) % max, i;

	for (i = 0; i < n; i++) {
		buf[i] = chars[rnd(s) % (sizeof(chars) - 1)];
		if (blanks && i > 0 && i < n - 1 && rnd(s) % 6 == 0)
			buf[i] = rnd(s) % 2 ? ' ' : '\t';
	}
	/* Keep a UTF-8 sequence whole: the generator may cut one in two. */
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] >= 0x80)
			buf[i] = 'u';
	buf[n] = '\0';
}

/* A syntactically valid random stream; semantics are not the point here. */
static struct tev *
random_stream(uint64_t seed, size_t n)
{
	struct tev *e = calloc(n, sizeof(*e));
	uint64_t s = seed, t = 0, next = 0;
	uint32_t pid = 1;
	uint64_t obj = 1;
	size_t i;

	cr_assert_not_null(e);
	for (i = 0; i < n; i++) {
		struct trace_event *ev = &e[i].ev;
		unsigned r = (unsigned)(rnd(&s) % 100);

		switch (rnd(&s) % 4) {
		case 0:
			t += rnd(&s) % 1000;
			break;
		case 1:
			t += rnd(&s) % 1000000000000u;
			break;
		default:
			break;
		}
		ev->time_ns = t;
		if (r < 3) {
			ev->op = TRACE_OP_PROC;
			ev->pid = (uint32_t)rnd(&s);
			rand_token(&s, e[i].str, r == 0 ? 255 : 12, false);
			e[i].has_str = true;
		} else if (r < 5) {
			ev->op = r == 3 ? TRACE_OP_EXIT : TRACE_OP_UNMAP;
			ev->pid = (uint32_t)rnd(&s);
			ev->obj = r == 4 ? rnd(&s) : 0; /* exit has no OBJ */
		} else if (r < 8) {
			ev->op = TRACE_OP_MAP;
			ev->pid = (uint32_t)rnd(&s) % 4;
			ev->obj = r == 5 ? rnd(&s) : rnd(&s) % 8;
			ev->objtype = (uint8_t)(rnd(&s) % TRACE_OBJ_COUNT);
			ev->count = 1 + rnd(&s) % TRACE_PAGES_MAX;
			if (rnd(&s) % 2) {
				rand_token(&s, e[i].str, 64, false);
				e[i].has_str = true;
			}
		} else if (r < 10) {
			ev->op = r == 8 ? TRACE_OP_SWAPON : TRACE_OP_SWAPOFF;
			ev->count = 1 + rnd(&s) % TRACE_PAGES_MAX;
		} else if (r < 12) {
			ev->op = TRACE_OP_MARK;
			rand_token(&s, e[i].str, r == 10 ? 255 : 20, true);
			e[i].has_str = true;
		} else {
			ev->op = (uint8_t)(TRACE_OP_FAULT + rnd(&s) % 5);
			if (rnd(&s) % 8 == 0) {
				pid =
				    (uint32_t)(rnd(&s) % 3 == 0 ? rnd(&s) :
								  rnd(&s) % 4);
				obj = rnd(&s) % 3 == 0 ? rnd(&s) : rnd(&s) % 8;
			}
			ev->pid = pid;
			ev->obj = obj;
			ev->count = rnd(&s) % 5 == 0 ? 1 + rnd(&s) % 1000 : 1;
			switch (rnd(&s) % 6) {
			case 0:
				ev->pindex =
				    rnd(&s) % (TRACE_PAGES_MAX - ev->count);
				break;
			case 1:
				ev->pindex = rnd(&s) % 262144;
				break;
			case 2:
				ev->pindex =
				    next > 300 ? next - rnd(&s) % 300 : 0;
				break;
			default:
				ev->pindex = next + rnd(&s) % 3;
				break;
			}
			if (ev->pindex + ev->count > TRACE_PAGES_MAX)
				ev->pindex = 0;
			next = ev->pindex + ev->count;
		}
		e[i].ev.str = e[i].has_str ? e[i].str : NULL;
	}
	return e;
}

static void
expect_same(const struct tev *a, size_t na, const struct tev *b, size_t nb,
    const char *what)
{
	size_t i;

	cr_assert_eq(na, nb, "%s: %zu events, expected %zu", what, nb, na);
	for (i = 0; i < na; i++)
		cr_assert(tev_eq(&a[i], &b[i]),
		    "%s: event %zu differs (op %u "
		    "vs %u, t %llu vs %llu)",
		    what, i + 1, a[i].ev.op, b[i].ev.op,
		    (unsigned long long)a[i].ev.time_ns,
		    (unsigned long long)b[i].ev.time_ns);
}

/* Write evs in each of the four formats, read back, compare. */
static void
roundtrip(const struct tev *evs, size_t n, bool validate, const char *what)
{
	static const struct {
		const char *name;
		enum trace_format format;
		bool zstd;
	} outs[] = {
		{ "a.pgb", TRACE_FORMAT_BINARY, false },
		{ "b.pgt", TRACE_FORMAT_TEXT, false },
		{ "c.pgb.zst", TRACE_FORMAT_BINARY, true },
		{ "d.pgt.zst", TRACE_FORMAT_TEXT, true },
	};
	struct trace_format_info fmt;
	struct pg_error err;
	struct tev *back;
	char path[128], buf[1024], *t1, *t2;
	size_t nback, i;
	int rc;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, outs[i].name);
		rc = write_events(path, outs[i].format, outs[i].zstd, evs, n,
		    &err);
		cr_assert_eq(rc, 0, "%s: write %s: %s", what, outs[i].name,
		    pg_error_format(&err, buf, sizeof(buf)));
		rc = read_events(path, NULL, 0, validate, &back, &nback, &fmt,
		    &err);
		cr_assert_eq(rc, 0, "%s: read %s: %s", what, outs[i].name,
		    pg_error_format(&err, buf, sizeof(buf)));
		cr_expect_eq(fmt.format, outs[i].format);
		cr_expect_eq(fmt.compressed, outs[i].zstd);
		cr_expect_eq(fmt.version, 1);
		expect_same(evs, n, back, nback, outs[i].name);
		free(back);
	}

	/* text -> binary -> text is byte for byte the canonical text. */
	snprintf(path, sizeof(path), "%s/b.pgt", tmpdir);
	t1 = slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/c.pgb.zst", tmpdir);
	rc = read_events(path, NULL, 0, validate, &back, &nback, NULL, &err);
	cr_assert_eq(rc, 0);
	snprintf(path, sizeof(path), "%s/e.pgt", tmpdir);
	cr_assert_eq(
	    write_events(path, TRACE_FORMAT_TEXT, false, back, nback, &err), 0);
	t2 = slurp(path, NULL);
	cr_assert_not_null(t1);
	cr_assert_not_null(t2);
	cr_expect_str_eq(t1, t2, "%s: canonical text differs", what);
	free(t1);
	free(t2);
	free(back);
}

Test(roundtrip, random_streams, .init = make_tmpdir, .fini = remove_tmpdir)
{
	static const uint64_t seeds[] = { 1, 2, 3, 12345, 0xdeadbeef };
	struct tev *evs;
	char what[64];
	size_t i, n;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		n = i == 0 ? 1 : 20000;
		evs = random_stream(seeds[i], n);
		snprintf(what, sizeof(what), "seed %llu",
		    (unsigned long long)seeds[i]);
		roundtrip(evs, n, false, what);
		free(evs);
	}
}

Test(roundtrip, empty_trace, .init = make_tmpdir, .fini = remove_tmpdir)
{
	roundtrip(NULL, 0, true, "empty");
}

static char **found;
static size_t nfound;

static int
collect(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	if (flag != FTW_F)
		return 0;
	if ((n > 4 && strcmp(path + n - 4, ".pgt") == 0) ||
	    (n > 4 && strcmp(path + n - 4, ".pgb") == 0) ||
	    (n > 8 && strcmp(path + n - 8, ".pgt.zst") == 0) ||
	    (n > 8 && strcmp(path + n - 8, ".pgb.zst") == 0)) {
		found = realloc(found, (nfound + 1) * sizeof(*found));
		cr_assert_not_null(found);
		found[nfound++] = strdup(path);
	}
	return 0;
}

Test(roundtrip, every_trace_in_tree, .init = make_tmpdir, .fini = remove_tmpdir)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	struct pg_error err;
	struct tev *evs;
	char dir[1024], buf[1024];
	size_t i, n;
	int rc;

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT must be set");
	snprintf(dir, sizeof(dir), "%s/traces", root);
	cr_assert_eq(nftw(dir, collect, 16, FTW_PHYS), 0);
	cr_assert_gt(nfound, 0, "no trace found under %s", dir);
	for (i = 0; i < nfound; i++) {
		rc = read_events(found[i], NULL, 0, true, &evs, &n, NULL, &err);
		cr_assert_eq(rc, 0, "%s",
		    pg_error_format(&err, buf, sizeof(buf)));
		cr_expect_gt(n, 0, "%s has events", found[i]);
		roundtrip(evs, n, true, found[i]);
		free(evs);
		free(found[i]);
	}
	free(found);
}

static void
expect_detect(const char *name, const void *data, size_t len,
    enum trace_format format, bool compressed)
{
	struct trace_reader *r;
	struct pg_error err;
	char buf[1024];
	struct trace_format_info f;

	cr_assert_eq(trace_reader_open_mem(data, len, name, NULL, &r, &err), 0,
	    "%s: %s", name, pg_error_format(&err, buf, sizeof(buf)));
	f = trace_reader_format(r);
	cr_expect_eq(f.format, format, "%s", name);
	cr_expect_eq(f.compressed, compressed, "%s", name);
	trace_reader_close(r);
}

Test(roundtrip, detection_by_content, .init = make_tmpdir,
    .fini = remove_tmpdir)
{
	static const char text[] = "pgtrace 1\n0 proc 1 a\n";
	struct tev ev[1];
	struct pg_error err;
	char path[128], buf[1024], *data;
	size_t len = 0;
	struct trace_reader *r;

	expect_detect("text", text, strlen(text), TRACE_FORMAT_TEXT, false);
	memset(ev, 0, sizeof(ev));
	ev[0].ev.op = TRACE_OP_MARK;
	strcpy(ev[0].str, "x");
	ev[0].has_str = true;
	ev[0].ev.str = ev[0].str;

	/* Misleading names: the content decides. */
	snprintf(path, sizeof(path), "%s/really-binary.pgt", tmpdir);
	cr_assert_eq(write_events(path, TRACE_FORMAT_BINARY, true, ev, 1, &err),
	    0);
	data = slurp(path, &len);
	expect_detect("zstd binary", data, len, TRACE_FORMAT_BINARY, true);
	free(data);
	snprintf(path, sizeof(path), "%s/really-text.pgb", tmpdir);
	cr_assert_eq(write_events(path, TRACE_FORMAT_TEXT, true, ev, 1, &err),
	    0);
	data = slurp(path, &len);
	expect_detect("zstd text", data, len, TRACE_FORMAT_TEXT, true);
	free(data);
	snprintf(path, sizeof(path), "%s/plain", tmpdir);
	cr_assert_eq(
	    write_events(path, TRACE_FORMAT_BINARY, false, ev, 1, &err), 0);
	data = slurp(path, &len);
	expect_detect("binary", data, len, TRACE_FORMAT_BINARY, false);
	free(data);

	cr_expect_lt(
	    trace_reader_open_mem("\0\0\0\0", 4, "nul", NULL, &r, &err), 0);
	cr_expect_str_eq(pg_error_format(&err, buf, sizeof(buf)),
	    "nul: "
	    "unrecognised format: not a text trace (\"pgtrace 1\"), a binary "
	    "trace or zstd");
	cr_expect_eq(trace_reader_open("/nonexistent/x.pgt", NULL, &r, &err),
	    -ENOENT);
	cr_expect_null(r);
	cr_expect_str_eq(pg_error_format(&err, buf, sizeof(buf)),
	    "/nonexistent/x.pgt: cannot open: No such file or directory");
}

/* Bytes per event of n single-page touches, in the given format. */
static double
bytes_per_event(bool sequential, bool zstd)
{
	enum { N = 200000 };
	struct tev *evs = calloc(N + 2, sizeof(*evs));
	struct pg_error err;
	char path[128];
	uint64_t s = 7;
	size_t i, len;
	char *data;

	cr_assert_not_null(evs);
	evs[0].ev.op = TRACE_OP_PROC;
	evs[0].ev.pid = 1;
	strcpy(evs[0].str, "p");
	evs[0].has_str = true;
	evs[0].ev.str = evs[0].str;
	evs[1].ev.op = TRACE_OP_MAP;
	evs[1].ev.pid = 1;
	evs[1].ev.obj = 1;
	evs[1].ev.count = 262144;
	for (i = 0; i < N; i++) {
		struct trace_event *ev = &evs[i + 2].ev;

		ev->op = TRACE_OP_FAULT;
		ev->pid = 1;
		ev->obj = 1;
		ev->count = 1;
		ev->pindex = sequential ? i % 262144 : rnd(&s) % 262144;
	}
	snprintf(path, sizeof(path), "%s/size%d%d", tmpdir, sequential, zstd);
	cr_assert_eq(
	    write_events(path, TRACE_FORMAT_BINARY, zstd, evs, N + 2, &err), 0);
	data = slurp(path, &len);
	cr_assert_not_null(data);
	free(data);
	free(evs);
	return (double)len / N;
}

Test(roundtrip, encoding_size, .init = make_tmpdir, .fini = remove_tmpdir)
{
	double seq = bytes_per_event(true, false);
	double seqz = bytes_per_event(true, true);
	double rand = bytes_per_event(false, false);
	double randz = bytes_per_event(false, true);

	cr_expect_leq(seq, 1.01, "sequential, plain: %.3f bytes/event", seq);
	cr_expect_leq(seqz, 0.5, "sequential, zstd: %.3f bytes/event", seqz);
	cr_expect_leq(rand, 3.01, "random, plain: %.3f bytes/event", rand);
	cr_expect_leq(randz, 3.0, "random, zstd: %.3f bytes/event", randz);
}

Test(roundtrip, atomic_output, .init = make_tmpdir, .fini = remove_tmpdir)
{
	struct trace_writer_opts o = { .format = TRACE_FORMAT_BINARY };
	struct trace_writer *w;
	struct trace_event ev = { .op = TRACE_OP_MARK, .str = "m" };
	struct pg_error err;
	char path[128], buf[1024];
	struct dirent *d;
	DIR *dir;
	int entries = 0;

	snprintf(path, sizeof(path), "%s/out.pgb", tmpdir);
	cr_assert_eq(trace_writer_open(path, &o, &w, &err), 0);
	cr_assert_eq(trace_writer_write(w, &ev, &err), 0);
	cr_expect_neq(access(path, F_OK), 0, "nothing at OUT before finish");
	ev.str = "bad # mark";
	cr_expect_eq(trace_writer_write(w, &ev, &err), -EINVAL);
	pg_error_format(&err, buf, sizeof(buf));
	cr_expect(strstr(buf, "/out.pgb: event 2: mark TEXT contains '#'") !=
		NULL,
	    "%s", buf);
	trace_writer_close(w);
	cr_expect_neq(access(path, F_OK), 0, "no OUT after an abandoned write");
	dir = opendir(tmpdir);
	cr_assert_not_null(dir);
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			entries++;
	closedir(dir);
	cr_expect_eq(entries, 0, "no temporary file left behind");
	trace_writer_close(NULL);
	trace_reader_close(NULL);
}

/*
 * write_many() - evs written through trace_writer_write_many() in
 * batches of batch; the status of the first refusal.
 */
static int
write_many(const char *path, enum trace_format format, const struct tev *evs,
    size_t n, size_t batch, struct pg_error *err)
{
	struct trace_writer_opts o = { .format = format };
	struct trace_event *flat = calloc(n, sizeof(*flat));
	struct trace_writer *w;
	size_t i;
	int rc;

	cr_assert_not_null(flat);
	for (i = 0; i < n; i++)
		flat[i] = evs[i].ev;
	rc = trace_writer_open(path, &o, &w, err);
	for (i = 0; rc == 0 && i < n; i += batch)
		rc = trace_writer_write_many(w, flat + i,
		    n - i < batch ? n - i : batch, err);
	if (rc == 0)
		rc = trace_writer_finish(w, err);
	if (w != NULL)
		trace_writer_close(w);
	free(flat);
	return rc;
}

/*
 * A batch writes the bytes the same events written one by one do, in both
 * formats, and stops at the first event it refuses, naming it.
 */
Test(roundtrip, batches_write_the_same_bytes, .init = make_tmpdir,
    .fini = remove_tmpdir)
{
	static const enum trace_format formats[] = { TRACE_FORMAT_BINARY,
		TRACE_FORMAT_TEXT };
	struct tev *evs = random_stream(99, 5000);
	char one[128], many[128], *a, *b;
	struct pg_error err;
	size_t i, la, lb;

	for (i = 0; i < 2; i++) {
		snprintf(one, sizeof(one), "%s/one", tmpdir);
		snprintf(many, sizeof(many), "%s/many", tmpdir);
		cr_assert_eq(write_events(one, formats[i], false, evs, 5000,
		    &err), 0, "%s", err.msg);
		cr_assert_eq(write_many(many, formats[i], evs, 5000, 333,
		    &err), 0, "%s", err.msg);
		a = slurp(one, &la);
		b = slurp(many, &lb);
		cr_assert_not_null(a);
		cr_assert_not_null(b);
		cr_assert_eq(la, lb);
		cr_assert(memcmp(a, b, la) == 0, "format %zu differs", i);
		free(a);
		free(b);
	}
	/* Event 1001 goes back in time: refused, the run ends there. */
	evs[1000].ev.time_ns = evs[999].ev.time_ns - 1;
	cr_assert(evs[999].ev.time_ns > 0);
	cr_assert_eq(write_many(many, TRACE_FORMAT_BINARY, evs, 5000, 333,
	    &err), -EINVAL);
	cr_assert(strstr(err.msg, "event 1001") != NULL, "%s", err.msg);
	free(evs);
}
