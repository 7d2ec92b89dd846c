/*
 * gen.h - synthetic traces of known shape: "pgreplay gen WORKLOAD".
 *
 * A workload is a named recipe (anon-hog, file-stream, dirty-churn,
 * fork-server, mixed, db-backup-leak) with typed parameters, each with a
 * default and a range.  Generation is deterministic: the same workload,
 * parameters and seed give the same events on every machine, because the
 * only randomness is our own integer PRNG and no floating point is used
 * (docs/gen.md).
 *
 *	struct gen_params p;
 *	const struct gen_workload *wl = gen_workload_find("anon-hog");
 *	gen_params_init(&p, wl);
 *	if (gen_params_set(&p, "size", "2GiB", &err) < 0) ...
 *	if (gen_write_file(&p, "hog.pgb", &wo, &n, &err) < 0) ...
 *
 * Events come out in time order and obey the trace rules of validate.h.
 */
#ifndef PGREPLAY_GEN_GEN_H
#define PGREPLAY_GEN_GEN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/event.h"
#include "trace/writer.h"
#include "util/pgerr.h"

/* How a parameter's value is written and stored. */
enum gen_kind {
	GEN_KIND_COUNT = 0, /* a plain integer, "1000" */
	GEN_KIND_SIZE,	    /* bytes, "512MiB"; stored in bytes */
	GEN_KIND_DURATION,  /* "30s", "250ms"; stored in ns */
	GEN_KIND_PERCENT,   /* "25%", "12.5%"; stored in parts per million */
	GEN_KIND_BANDWIDTH, /* "64MiB/s"; stored in bytes per second */
	GEN_KIND_RATE,	    /* events per second, "100000/s"; stored as is */
	GEN_KIND_DECIMAL,   /* "0.99"; stored in millionths */
};

/* One parameter of a workload: plain constant data. */
struct gen_param_desc {
	const char *name; /* without the leading "--" */
	enum gen_kind kind;
	uint64_t def, min, max; /* stored units (see enum gen_kind) */
	const char *help;	/* one line */
};

struct gen_impl;

/* A workload: plain constant data, listed by gen_workload_at(). */
struct gen_workload {
	const char *name;
	const char *summary;	 /* one line, for --list */
	const char *description; /* a paragraph, for WORKLOAD --help */
	const struct gen_param_desc *params;
	size_t nparams;
	const struct gen_impl *impl;
};

#define GEN_PARAMS_MAX 24

/* A workload with a value for each of its parameters. */
struct gen_params {
	const struct gen_workload *wl;
	uint64_t v[GEN_PARAMS_MAX]; /* in the order of wl->params */
};

/* gen_workload_at() - the i-th workload, or NULL past the last. */
const struct gen_workload *gen_workload_at(size_t i);

/* gen_workload_find() - the workload called name, or NULL. */
const struct gen_workload *gen_workload_find(const char *name);

/* gen_params_init() - p holds wl and the default of every parameter. */
void gen_params_init(struct gen_params *p, const struct gen_workload *wl);

/*
 * gen_params_set() - parse text as the value of the parameter called name
 * (without "--").  Returns 0; or -ENOENT for an unknown name and -EINVAL
 * for a value of the wrong form or out of range, with err->msg saying
 * what was expected (err->file empty, no position).  p is unchanged on
 * error.
 */
int gen_params_set(struct gen_params *p, const char *name, const char *text,
    struct pg_error *err);

/*
 * gen_params_get() - the value of the parameter called name, in stored
 * units; 0 if there is none (callers name parameters they know).
 */
uint64_t gen_params_get(const struct gen_params *p, const char *name);

/*
 * gen_param_format() - write value of kind in the form the parser reads
 * back ("1GiB", "250ms", "12.5%"), in at most n bytes (48 suffice).
 * Returns buf.
 */
char *gen_param_format(enum gen_kind kind, uint64_t value, char *buf,
    size_t n);

/*
 * gen_params_check() - the checks that involve several parameters (a
 * chunk no larger than the object it cuts, a trace within the format's
 * limits).  Returns 0, or -EINVAL with err->msg naming the parameters.
 */
int gen_params_check(const struct gen_params *p, struct pg_error *err);

/*
 * Where generated events go: called with the next n >= 1 events, in
 * order, in batches (page ops are gathered, any other event ends a batch).
 * The events and their strings are valid only during the call.  Returns 0
 * or a negative value (with err filled) that ends the run.
 */
typedef int (*gen_sink_fn)(void *ctx, const struct trace_event *evs,
    size_t n, struct pg_error *err);

/*
 * gen_run() - check p (gen_params_check()) and generate its trace, handing
 * every event to sink.  Returns 0 with *nevents the number of events, or
 * the first negative value sink returned (err as sink filled it), or
 * -EINVAL / -ENOMEM with err filled.
 */
int gen_run(const struct gen_params *p, gen_sink_fn sink, void *ctx,
    uint64_t *nevents, struct pg_error *err);

/*
 * gen_write_file() - gen_run() into a trace writer on path with the
 * options wo (trace_writer_open(): the file appears complete or not at
 * all).  If stop is not NULL, generation ends with -EINTR as soon as *stop
 * is non-zero (a signal handler sets it), leaving no file.  Returns 0 with
 * *nevents set, or a negative errno with err filled.
 */
int gen_write_file(const struct gen_params *p, const char *path,
    const struct trace_writer_opts *wo, const volatile sig_atomic_t *stop,
    uint64_t *nevents, struct pg_error *err);

#endif
