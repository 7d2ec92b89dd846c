/*
 * pgerr.c - error values with a position and a message.
 */
#include "util/pgerr.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
pg_error_clear(struct pg_error *e)
{
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

static void
pg_error_vfill(struct pg_error *e, const char *file, enum pg_pos_kind kind,
    uint64_t pos, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file : "");
	e->pos_kind = kind;
	e->pos = pos;
	e->event = 0;		/* callers that know it set it afterwards */
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int
pg_error_set(struct pg_error *e, const char *file, enum pg_pos_kind kind,
    uint64_t pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vfill(e, file, kind, pos, fmt, ap);
	va_end(ap);
	return (-EINVAL);
}

int
pg_error_setv(struct pg_error *e, int ret, const char *file,
    enum pg_pos_kind kind, uint64_t pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vfill(e, file, kind, pos, fmt, ap);
	va_end(ap);
	return (ret);
}

int
pg_error_vset(struct pg_error *e, int ret, const char *file,
    enum pg_pos_kind kind, uint64_t pos, const char *fmt, va_list ap)
{
	pg_error_vfill(e, file, kind, pos, fmt, ap);
	return (ret);
}

char *
pg_error_format(const struct pg_error *e, char *buf, size_t n)
{
	const char *file = e->file[0] != '\0' ? e->file : "<input>";

	switch (e->pos_kind) {
	case PG_POS_LINE:
		snprintf(buf, n, "%s:%" PRIu64 ": %s", file, e->pos, e->msg);
		break;
	case PG_POS_BYTE:
		if (e->event != 0)
			snprintf(buf, n, "%s: byte %" PRIu64 " (event %" PRIu64
			    "): %s", file, e->pos, e->event, e->msg);
		else
			snprintf(buf, n, "%s: byte %" PRIu64 ": %s", file,
			    e->pos, e->msg);
		break;
	default:
		snprintf(buf, n, "%s: %s", file, e->msg);
		break;
	}
	return (buf);
}
