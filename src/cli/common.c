/*
 * common.c - message helpers shared by the subcommands, in the manner of
 * warnx(3): one line on stderr, prefixed by the program name.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>

void
cli_report_error(const struct pg_error *e)
{
	char buf[PG_ERROR_FILE_MAX + PG_ERROR_MSG_MAX + 64];

	fprintf(stderr, "pgreplay: %s\n", pg_error_format(e, buf, sizeof(buf)));
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pgreplay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'pgreplay --help' for more information.\n", stderr);
}
