/*
 * kassert.c - the failure path of PG_KASSERT() (kassert.h).
 */
#include "util/kassert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
pg_kassert_fail(const char *file, int line, const char *func,
    const char *exp, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "pgreplay: assertion failed: %s:%d: %s: %s: ", file,
	    line, func, exp);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
