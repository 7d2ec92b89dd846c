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

#include "util/pgerr.h"

#define EXIT_CHECK_FAILED 1
#define EXIT_BAD_INPUT 2

int cli_replay(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_info(int argc, char **argv);
int cli_params(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_import(int argc, char **argv);

/* cli_report_error() - print "pgreplay: <formatted error>" on stderr. */
void cli_report_error(const struct pg_error *e);

/* cli_usage_error() - print "pgreplay: <msg>" and a hint to --help. */
void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
