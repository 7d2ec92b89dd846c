/*
 * cli.h - the subcommands of the pgreplay executable.
 *
 * Each cli_*() takes the arguments after the subcommand name (argv[0] is
 * the subcommand itself, as getopt_long expects) and returns the process
 * exit status (interfaces.md section 3): 0 success, 1 a failed expect or
 * baseline check, 2 bad usage or bad input.
 */
#ifndef PGREPLAY_CLI_CLI_H
#define PGREPLAY_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pgerr.h"

struct pg_config;
struct report_run;

#define EXIT_CHECK_FAILED 1
#define EXIT_BAD_INPUT 2

int cli_replay(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_info(int argc, char **argv);
int cli_params(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_import(int argc, char **argv);

/*
 * cli_help() - `pgreplay help [SUBCOMMAND]` (argv[0] is "help"): the
 * general help, or that of SUBCOMMAND as `pgreplay SUBCOMMAND --help`
 * prints it.  Returns the exit status (2 for an unknown subcommand).
 */
int cli_help(int argc, char **argv);

/* cli_report_error() - print "pgreplay: <formatted error>" on stderr. */
void cli_report_error(const struct pg_error *e);

/*
 * cli_interrupted() - print "pgreplay: interrupted by SIGINT: <what>" (or
 * SIGTERM) and return the exit status for it, 128 + sig.
 */
int cli_interrupted(int sig, const char *what);

/*
 * cli_parse_size() - a byte count as the configuration writes sizes
 * (conf_size_parse(): B, KiB ... TiB, kB ... TB, fractions), and the short
 * units k/K, M, G, T (powers of 1024) and KB.  Returns 0 and *out, or
 * -EINVAL (bad syntax, unknown unit) or -ERANGE (over 2^63).
 */
int cli_parse_size(const char *s, uint64_t *out);

/*
 * cli_trace_output() - how subcommand cmd ("convert", "import") writes the
 * trace out: by its extension (.pgt, .pgt.zst, .pgb, .pgb.zst), or, for
 * '-' and a name without one (a device, a FIFO) when --format is given,
 * as fmt ("text" or "binary"; NULL is text) and zstd say.  Sets
 * wo->format and wo->zstd and returns 0, or prints a usage error and
 * returns EXIT_BAD_INPUT (a bad --format, an unknown extension, or
 * --format/--zstd beside a name that already says it).
 */
struct trace_writer_opts;
int cli_trace_output(const char *cmd, const char *out, const char *fmt,
    bool zstd, struct trace_writer_opts *wo);

/*
 * cli_flush_stdout() - flush standard output and check that every write
 * to it succeeded (a full disk, /dev/full).  Returns 0, or EXIT_BAD_INPUT
 * after printing "pgreplay: standard output: write error: ...".
 */
int cli_flush_stdout(void);

/* cli_usage_error() - print "pgreplay: <msg>" and a hint to --help. */
void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cli_option_error() - the one message for what getopt_long() refused
 * (ch '?': an unknown option, ':': a missing argument), for a loop run
 * with opterr = 0 and an optstring that starts with ':' so that getopt
 * prints nothing itself.  sub is the subcommand ("params: ...") or NULL.
 * Returns EXIT_BAD_INPUT.
 */
int cli_option_error(const char *sub, int ch, char *const argv[]);

/* cli_error() - print "pgreplay: <msg>" (control bytes escaped) on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cli_bound_text() - an expect bound for a message: text as the
 * configuration wrote it, or v with 15 significant digits when text is
 * empty.  Returns text or buf.
 */
const char *cli_bound_text(const char *text, double v, char *buf, size_t n);

/*
 * cli_warn_partial() - when run dropped trace events (processes killed by
 * the OOM killer) or never replayed some (the machine panicked, or
 * processes were still behind when sim.drain ran out), one warning line
 * per cause on stderr: how many, which run, and what would replay them.
 */
void cli_warn_partial(const struct pg_config *cfg,
    const struct report_run *run);

#endif
