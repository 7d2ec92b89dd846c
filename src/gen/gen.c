/*
 * gen.c - the list of workloads, the event output shared by them, and the
 * two ways out: a sink of the caller's, or a trace file.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct gen_workload *const workloads[] = {
	&gen_anon_hog,
	&gen_file_stream,
	&gen_dirty_churn,
	&gen_fork_server,
	&gen_mixed,
	&gen_db_backup_leak,
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

const struct gen_workload *
gen_workload_at(size_t i)
{
	return (i < NWORKLOADS ? workloads[i] : NULL);
}

const struct gen_workload *
gen_workload_find(const char *name)
{
	size_t i;

	for (i = 0; i < NWORKLOADS; i++)
		if (strcmp(workloads[i]->name, name) == 0)
			return (workloads[i]);
	return (NULL);
}

int
gen_bad(struct pg_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(err, -EINVAL, "", PG_POS_NONE, 0, fmt, ap);
	va_end(ap);
	return (rc);
}

int
gen_check_span(uint64_t ns, const char *what, struct pg_error *err)
{
	if (ns / GEN_NS_PER_S > GEN_SPAN_MAX_S)
		return (gen_bad(err, "%s: the trace would span more than %u "
		    "seconds (ten days)", what, (unsigned)GEN_SPAN_MAX_S));
	return (0);
}

int
gen_xfer_ns(uint64_t bytes, uint64_t bw, const char *what, uint64_t *ns,
    struct pg_error *err)
{
	if (bytes / bw > GEN_SPAN_MAX_S)
		return (gen_check_span(UINT64_MAX, what, err));
	/* bytes % bw < bw <= 16GiB: times 10^9 stays below 2^64. */
	*ns = bytes / bw * GEN_NS_PER_S + bytes % bw * GEN_NS_PER_S / bw;
	return (0);
}

int
gen_check_events(uint64_t n, const char *what, struct pg_error *err)
{
	if (n > GEN_EVENTS_MAX)
		return (gen_bad(err, "%s: the trace would have about %" PRIu64
		    " events, more than %" PRIu64, what, n, GEN_EVENTS_MAX));
	return (0);
}

int
gen_params_check(const struct gen_params *p, struct pg_error *err)
{
	if (p->wl == NULL || p->wl->nparams > GEN_PARAMS_MAX)
		return (gen_bad(err, "no workload"));
	return (p->wl->impl->check(p->v, err));
}

void
gen_out_flush(struct gen_out *o)
{
	uint32_t n = o->npending;
	int rc;

	o->npending = 0;
	if (o->rc < 0 || n == 0)
		return;
	if ((rc = o->sink(o->ctx, o->pending, n, o->err)) < 0)
		o->rc = rc;
	else
		o->nevents += n;
}

void
gen_out_event(struct gen_out *o, const struct trace_event *ev)
{
	int rc;

	gen_out_flush(o);
	if (o->rc < 0)
		return;
	if ((rc = o->sink(o->ctx, ev, 1, o->err)) < 0)
		o->rc = rc;
	else
		o->nevents++;
}

void
gen_out_proc(struct gen_out *o, uint64_t t, uint32_t pid, const char *name)
{
	struct trace_event ev = {
		.time_ns = t, .pid = pid, .op = TRACE_OP_PROC, .str = name,
	};

	gen_out_event(o, &ev);
}

void
gen_out_exit(struct gen_out *o, uint64_t t, uint32_t pid)
{
	struct trace_event ev = {
		.time_ns = t, .pid = pid, .op = TRACE_OP_EXIT,
	};

	gen_out_event(o, &ev);
}

void
gen_out_map(struct gen_out *o, uint64_t t, uint32_t pid, uint64_t obj,
    enum trace_objtype type, uint64_t pages, const char *path)
{
	struct trace_event ev = {
		.time_ns = t,
		.obj = obj,
		.count = pages,
		.pid = pid,
		.op = TRACE_OP_MAP,
		.objtype = (uint8_t)type,
		.str = path,
	};

	gen_out_event(o, &ev);
}

void
gen_out_unmap(struct gen_out *o, uint64_t t, uint32_t pid, uint64_t obj)
{
	struct trace_event ev = {
		.time_ns = t, .obj = obj, .pid = pid, .op = TRACE_OP_UNMAP,
	};

	gen_out_event(o, &ev);
}

void
gen_out_mark(struct gen_out *o, uint64_t t, const char *text)
{
	struct trace_event ev = {
		.time_ns = t, .op = TRACE_OP_MARK, .str = text,
	};

	gen_out_event(o, &ev);
}

void
gen_out_nomem(struct gen_out *o, const char *what)
{
	if (o->rc < 0)
		return;
	o->rc = pg_error_setv(o->err, -ENOMEM, "", PG_POS_NONE, 0,
	    "out of memory for %s", what);
}

int
gen_run(const struct gen_params *p, gen_sink_fn sink, void *ctx,
    uint64_t *nevents, struct pg_error *err)
{
	struct gen_out *o;
	int rc;

	*nevents = 0;
	if ((rc = gen_params_check(p, err)) < 0)
		return (rc);
	if ((o = malloc(sizeof(*o))) == NULL)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory for the generator's output"));
	*o = (struct gen_out) { .sink = sink, .ctx = ctx, .err = err };
	p->wl->impl->run(p->v, o);
	gen_out_flush(o);
	*nevents = o->nevents;
	rc = o->rc;
	free(o);
	return (rc);
}

struct file_sink {
	struct trace_writer *w;
	const volatile sig_atomic_t *stop;
	const char *path;
};

static int
writer_sink(void *ctx, const struct trace_event *evs, size_t n,
    struct pg_error *err)
{
	struct file_sink *fs = ctx;

	if (fs->stop != NULL && *fs->stop != 0)
		return (pg_error_setv(err, -EINTR, fs->path, PG_POS_NONE, 0,
		    "interrupted"));
	return (trace_writer_write_many(fs->w, evs, n, err));
}

int
gen_write_file(const struct gen_params *p, const char *path,
    const struct trace_writer_opts *wo, const volatile sig_atomic_t *stop,
    uint64_t *nevents, struct pg_error *err)
{
	struct file_sink fs = { NULL, stop, path };
	int rc;

	*nevents = 0;
	/* Check first: a refused parameter must not leave a file open. */
	if ((rc = gen_params_check(p, err)) < 0)
		return (rc);
	if ((rc = trace_writer_open(path, wo, &fs.w, err)) < 0)
		return (rc);
	rc = gen_run(p, writer_sink, &fs, nevents, err);
	if (rc == 0)
		rc = trace_writer_finish(fs.w, err);
	trace_writer_close(fs.w);
	return (rc);
}
