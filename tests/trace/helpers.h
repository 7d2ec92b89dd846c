/*
 * helpers.h - shared by the trace tests: read a whole trace, compare
 * events, temporary directories.  Header-only so each test executable
 * stays one file plus this.
 */
#ifndef PGREPLAY_TESTS_TRACE_HELPERS_H
#define PGREPLAY_TESTS_TRACE_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/reader.h"
#include "trace/writer.h"

/* A decoded event with its strings copied, so it outlives the reader call. */
struct tev {
	struct trace_event ev;
	char str[TRACE_NAME_MAX + 1];
	bool has_str;
};

static inline void
tev_set(struct tev *t, const struct trace_event *ev)
{
	t->ev = *ev;
	t->has_str = ev->str != NULL;
	snprintf(t->str, sizeof(t->str), "%s", ev->str != NULL ? ev->str : "");
	t->ev.str = t->has_str ? t->str : NULL;
}

static inline bool
tev_eq(const struct tev *a, const struct tev *b)
{
	return a->ev.time_ns == b->ev.time_ns && a->ev.op == b->ev.op &&
	    a->ev.pid == b->ev.pid && a->ev.obj == b->ev.obj &&
	    a->ev.pindex == b->ev.pindex && a->ev.count == b->ev.count &&
	    a->ev.objtype == b->ev.objtype && a->has_str == b->has_str &&
	    strcmp(a->str, b->str) == 0;
}

/*
 * read_events() - read a trace into a malloc'ed array.  Returns the
 * reader's final status (0 or <0, with err and the events before it).
 */
static inline int
read_events(const char *path, const void *mem, size_t len, bool validate,
    struct tev **out, size_t *n, struct trace_format_info *fmt,
    struct pg_error *err)
{
	struct trace_reader_opts o = { .no_validate = !validate };
	struct trace_reader *r;
	struct trace_event ev;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = path != NULL ? trace_reader_open(path, &o, &r, err) :
			    trace_reader_open_mem(mem, len, "mem", &o, &r, err);
	if (rc < 0)
		return rc;
	if (fmt != NULL)
		*fmt = trace_reader_format(r);
	while ((rc = trace_reader_next(r, &ev, err)) == 1) {
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			*out = realloc(*out, cap * sizeof(**out));
			if (*out == NULL)
				abort();
		}
		tev_set(&(*out)[(*n)++], &ev);
	}
	trace_reader_close(r);
	/* realloc() moved the events: point them at their own strings again. */
	for (cap = 0; cap < *n; cap++)
		(*out)[cap].ev.str =
		    (*out)[cap].has_str ? (*out)[cap].str : NULL;
	return rc;
}

/* read_text() - read a trace given as a string; validation on. */
static inline int
read_text(const char *text, struct tev **out, size_t *n, struct pg_error *err)
{
	return read_events(NULL, text, strlen(text), true, out, n, NULL, err);
}

/* first_error() - the formatted error of reading text, or "" if none. */
static inline const char *
text_error(const char *text, char *buf, size_t size)
{
	struct pg_error err;
	struct tev *evs;
	size_t n;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = read_text(text, &evs, &n, &err);
	free(evs);
	if (rc >= 0) {
		buf[0] = '\0';
		return buf;
	}
	return pg_error_format(&err, buf, size);
}

static inline int
write_events(const char *path, enum trace_format format, bool zstd,
    const struct tev *evs, size_t n, struct pg_error *err)
{
	struct trace_writer_opts o = { .format = format, .zstd = zstd };
	struct trace_writer *w;
	size_t i;
	int rc;

	rc = trace_writer_open(path, &o, &w, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		rc = trace_writer_write(w, &evs[i].ev, err);
	if (rc == 0)
		rc = trace_writer_finish(w, err);
	trace_writer_close(w);
	return rc;
}

static inline char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

/* A deterministic generator (splitmix64), so failures reproduce. */
static inline uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

#endif
