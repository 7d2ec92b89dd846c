/*
 * gen.c - "pgreplay gen WORKLOAD [--PARAM VALUE ...] OUT": write a
 * synthetic trace (src/gen/, docs/gen.md), in the format OUT's name asks
 * for; "--list" and "WORKLOAD --help" describe the workloads.
 */
#include "cli/cli.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gen/gen.h"

static const char gen_usage[] =
    "usage: pgreplay gen --list\n"
    "       pgreplay gen WORKLOAD --help\n"
    "       pgreplay gen WORKLOAD [--PARAM VALUE ...] OUT\n"
    "\n"
    "Writes a synthetic trace of a known shape to OUT, chosen by its name:\n"
    "  .pgt      text            .pgt.zst  text, zstd-compressed\n"
    "  .pgb      binary          .pgb.zst  binary, zstd-compressed\n"
    "or '-' for text on standard output.  The same parameters and --seed\n"
    "give the same trace on every machine.  See docs/gen.md.\n";

/*
 * The signal that asked us to stop, or 0: the generator stops at the next
 * event and the writer removes its temporary file.  The one global here,
 * as in replay.c: a signal handler has no other way to talk.
 */
static volatile sig_atomic_t gen_signal;

static void
gen_on_signal(int sig)
{
	gen_signal = sig;
}

/* out_format() - the format OUT's name asks for; false if it says none. */
static bool
out_format(const char *path, struct trace_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0)
		return (true);
	return (trace_writer_format_for(path, o));
}

static void
list_workloads(void)
{
	const struct gen_workload *wl;
	size_t i;

	fputs("Workloads of pgreplay gen (pgreplay gen WORKLOAD --help for "
	      "its parameters):\n",
	    stdout);
	for (i = 0; (wl = gen_workload_at(i)) != NULL; i++)
		printf("  %-16s %s\n", wl->name, wl->summary);
}

static void
describe(const struct gen_workload *wl)
{
	const struct gen_param_desc *d;
	char def[48], lo[48], hi[48], opt[40];
	size_t i;

	printf("usage: pgreplay gen %s [--PARAM VALUE ...] OUT\n\n%s\n\n"
	       "Parameters (default, range):\n",
	    wl->name, wl->description);
	for (i = 0; i < wl->nparams; i++) {
		d = &wl->params[i];
		snprintf(opt, sizeof(opt), "--%s", d->name);
		printf("  %-16s %s\n  %-16s   default %s, from %s to %s\n", opt,
		    d->help, "", gen_param_format(d->kind, d->def, def,
		    sizeof(def)), gen_param_format(d->kind, d->min, lo,
		    sizeof(lo)), gen_param_format(d->kind, d->max, hi,
		    sizeof(hi)));
	}
}

/*
 * bad_params() - report a refused parameter as one line naming the
 * command where a file name would be: "pgreplay: gen WORKLOAD: MSG".
 */
static int
bad_params(const struct gen_workload *wl, struct pg_error *err)
{
	snprintf(err->file, sizeof(err->file), "gen %s", wl->name);
	err->pos_kind = PG_POS_NONE;
	cli_report_error(err);
	return (EXIT_BAD_INPUT);
}

/*
 * write_trace() - generate into out, stopping on SIGINT or SIGTERM.
 * Returns the exit status: 0, EXIT_BAD_INPUT (printed) or 128 + signal.
 */
static int
write_trace(const struct gen_params *p, const char *out,
    const struct trace_writer_opts *wo)
{
	struct sigaction sa, old_int, old_term;
	struct pg_error err;
	uint64_t n;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gen_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = gen_write_file(p, out, wo, &gen_signal, &n, &err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (gen_signal != 0)
		return (128 + gen_signal);
	if (rc < 0) {
		cli_report_error(&err);
		return (EXIT_BAD_INPUT);
	}
	return (0);
}

int
cli_gen(int argc, char **argv)
{
	const struct gen_workload *wl;
	struct trace_writer_opts wo;
	struct gen_params p;
	struct pg_error err;
	const char *out = NULL, *name, *eq, *val;
	char key[64];
	size_t klen;
	int i;

	if (argc < 2) {
		cli_usage_error("gen: expected a WORKLOAD (pgreplay gen --list "
				"shows them) and OUT");
		return (EXIT_BAD_INPUT);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(gen_usage, stdout);
		return (0);
	}
	if (strcmp(argv[1], "--list") == 0) {
		list_workloads();
		return (0);
	}
	wl = gen_workload_find(argv[1]);
	if (wl == NULL) {
		cli_usage_error("gen: unknown workload '%s' (pgreplay gen "
				"--list shows them)",
		    argv[1]);
		return (EXIT_BAD_INPUT);
	}
	gen_params_init(&p, wl);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			describe(wl);
			return (0);
		}
		if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
			if (out != NULL) {
				cli_usage_error("gen %s: unexpected argument "
						"'%s' after OUT '%s'",
				    wl->name, argv[i], out);
				return (EXIT_BAD_INPUT);
			}
			out = argv[i];
			continue;
		}
		/* --name value, or --name=value */
		name = argv[i] + 2;
		eq = strchr(name, '=');
		if (eq != NULL) {
			klen = (size_t)(eq - name);
			val = eq + 1;
		} else {
			klen = strlen(name);
			if (i + 1 >= argc) {
				cli_usage_error("gen %s: --%s needs a value",
				    wl->name, name);
				return (EXIT_BAD_INPUT);
			}
			val = argv[++i];
		}
		if (klen >= sizeof(key))
			klen = sizeof(key) - 1;
		memcpy(key, name, klen);
		key[klen] = '\0';
		if (gen_params_set(&p, key, val, &err) < 0)
			return (bad_params(wl, &err));
	}
	if (out == NULL) {
		cli_usage_error("gen %s: expected OUT, the trace to write",
		    wl->name);
		return (EXIT_BAD_INPUT);
	}
	if (!out_format(out, &wo)) {
		cli_usage_error("gen %s: cannot tell the format of '%s': "
				"expected a name ending in .pgt, .pgt.zst, "
				".pgb or .pgb.zst, or - for standard output",
		    wl->name, out);
		return (EXIT_BAD_INPUT);
	}
	if (gen_params_check(&p, &err) < 0)
		return (bad_params(wl, &err));
	return (write_trace(&p, out, &wo));
}
