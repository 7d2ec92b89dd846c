/*
 * fuzz_import_common.h - run one importer of src/import/ over bytes in
 * memory and check its promises, for the fuzz_import_*.c targets.
 *
 * The importers read files by name, so the input is put in an anonymous
 * memory file (memfd_create(2)) and named "/proc/self/fd/N"; the trace
 * they write goes to another one, through the ordinary trace writer (a
 * descriptor name is written in place, docs/robustness.md).  Nothing
 * touches the file system.
 *
 * Promises checked: a refusal is a negative errno with a message naming
 * the input; an accepted recording gives a trace that the reader, with
 * the validator, reads to its end (an importer must never write a trace
 * that pgreplay refuses); its counters agree with each other and with
 * the events read back.
 */
#ifndef PGREPLAY_TESTS_FUZZ_IMPORT_COMMON_H
#define PGREPLAY_TESTS_FUZZ_IMPORT_COMMON_H

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "import/import.h"
#include "trace/reader.h"
#include "trace/writer.h"

/* Which importer fuzz_import() runs. */
enum fuzz_import_kind {
	FUZZ_IMPORT_PERF,
	FUZZ_IMPORT_STRACE,
	FUZZ_IMPORT_LACKEY,
	FUZZ_IMPORT_DTRACE,
};

/*
 * fuzz_memfd() - an anonymous file holding the len bytes at p, its name
 * in name.  Returns the descriptor; aborts when the system refuses (not
 * a finding of the importer, but nothing can be tested without it).
 */
static inline int
fuzz_memfd(const uint8_t *p, size_t len, char *name, size_t namesz)
{
	ssize_t n;
	int fd;

	fd = memfd_create("fuzz", MFD_CLOEXEC);
	FUZZ_ASSERT(fd >= 0);
	while (len > 0) {
		n = write(fd, p, len);
		FUZZ_ASSERT(n > 0);
		p += n;
		len -= (size_t)n;
	}
	snprintf(name, namesz, "/proc/self/fd/%d", fd);
	return fd;
}

/*
 * fuzz_import_readback() - read the trace in fd with the validator;
 * returns the number of events.  Any refusal is a finding.
 */
static inline uint64_t
fuzz_import_readback(int fd)
{
	struct trace_reader_opts ro = { .no_validate = false };
	struct trace_reader *r;
	struct trace_event ev;
	struct pg_error err;
	struct stat sb;
	uint8_t *buf;
	uint64_t n = 0;
	ssize_t got;
	int rc;

	FUZZ_ASSERT(fstat(fd, &sb) == 0 && sb.st_size >= 0);
	buf = malloc((size_t)sb.st_size + 1);
	FUZZ_ASSERT(buf != NULL);
	got = pread(fd, buf, (size_t)sb.st_size, 0);
	FUZZ_ASSERT(got == sb.st_size);
	pg_error_clear(&err);
	rc = trace_reader_open_mem(buf, (size_t)got, "imported", &ro, &r,
	    &err);
	if (rc < 0)
		fprintf(stderr, "imported trace refused: %s\n", err.msg);
	FUZZ_ASSERT(rc == 0);
	while ((rc = trace_reader_next(r, &ev, &err)) == 1)
		n++;
	if (rc < 0)
		fprintf(stderr, "imported trace refused: %s\n", err.msg);
	FUZZ_ASSERT(rc == 0);
	trace_reader_close(r);
	free(buf);
	return n;
}

/*
 * fuzz_import() - run kind over in (and in2, the strace log of perf, when
 * not NULL) with options o, writing binary or text; check the promises.
 */
static inline void
fuzz_import(enum fuzz_import_kind kind, const uint8_t *in, size_t len,
    const uint8_t *in2, size_t len2, const struct import_options *o,
    bool binary)
{
	struct trace_writer_opts wo = { 0 };
	struct trace_writer *w;
	struct import_stats st;
	struct pg_error err;
	char name[64], name2[64], oname[64];
	int fd, fd2 = -1, ofd, rc;
	uint64_t n;

	fd = fuzz_memfd(in, len, name, sizeof(name));
	if (in2 != NULL)
		fd2 = fuzz_memfd(in2, len2, name2, sizeof(name2));
	ofd = fuzz_memfd(NULL, 0, oname, sizeof(oname));
	wo.format = binary ? TRACE_FORMAT_BINARY : TRACE_FORMAT_TEXT;
	pg_error_clear(&err);
	FUZZ_ASSERT(trace_writer_open(oname, &wo, &w, &err) == 0);
	memset(&st, 0, sizeof(st));
	switch (kind) {
	case FUZZ_IMPORT_PERF:
		rc = import_perf(name, in2 != NULL ? name2 : NULL, o, w, &st,
		    &err);
		break;
	case FUZZ_IMPORT_STRACE:
		rc = import_strace(name, o, w, &st, &err);
		break;
	case FUZZ_IMPORT_LACKEY:
		rc = import_lackey(name, o, w, &st, &err);
		break;
	default:
		rc = import_dtrace(name, o, w, &st, &err);
		break;
	}
	if (rc < 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		/* The message names one of the inputs. */
		FUZZ_ASSERT(strcmp(err.file, name) == 0 ||
		    (in2 != NULL && strcmp(err.file, name2) == 0));
		trace_writer_close(w);
		goto out;
	}
	FUZZ_ASSERT(rc == 0);
	rc = trace_writer_finish(w, &err);
	trace_writer_close(w);
	FUZZ_ASSERT(rc == 0);
	FUZZ_ASSERT(st.resolved + st.unresolved <= st.samples);
	n = fuzz_import_readback(ofd);
	FUZZ_ASSERT(n == st.events);
out:
	close(ofd);
	if (fd2 >= 0)
		close(fd2);
	close(fd);
}

#endif
