/*
 * event.c - names of ops and object types, time formatting, and the checks
 * every event passes whatever format it came from.
 */
#include "trace/trace_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const op_names[TRACE_OP_COUNT] = {
	[TRACE_OP_PROC] = "proc",
	[TRACE_OP_EXIT] = "exit",
	[TRACE_OP_MAP] = "map",
	[TRACE_OP_UNMAP] = "unmap",
	[TRACE_OP_FAULT] = "fault",
	[TRACE_OP_DIRTY] = "dirty",
	[TRACE_OP_FREE] = "free",
	[TRACE_OP_WIRE] = "wire",
	[TRACE_OP_UNWIRE] = "unwire",
	[TRACE_OP_SWAPON] = "swapon",
	[TRACE_OP_SWAPOFF] = "swapoff",
	[TRACE_OP_MARK] = "mark",
};

static const char *const objtype_names[TRACE_OBJ_COUNT] = {
	[TRACE_OBJ_ANON] = "anon",
	[TRACE_OBJ_FILE] = "file",
	[TRACE_OBJ_PHYS] = "phys",
};

const char *
trace_op_name(unsigned op)
{
	return (op < TRACE_OP_COUNT ? op_names[op] : NULL);
}

const char *
trace_objtype_name(unsigned type)
{
	return (type < TRACE_OBJ_COUNT ? objtype_names[type] : NULL);
}

/* name_index() - index of the name s[0..len) in names[0..n), or -1. */
static int
name_index(const char *const *names, int n, const char *s, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (i);
	return (-1);
}

int
trace_op_parse(const char *s, size_t len)
{
	return (name_index(op_names, TRACE_OP_COUNT, s, len));
}

int
trace_objtype_parse(const char *s, size_t len)
{
	return (name_index(objtype_names, TRACE_OBJ_COUNT, s, len));
}

char *
trace_time_format(uint64_t ns, char *buf, size_t n)
{
	uint64_t frac = ns % 1000000000u;
	int digits = 9;

	if (frac == 0) {
		snprintf(buf, n, "%" PRIu64, ns / 1000000000u);
		return (buf);
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, n, "%" PRIu64 ".%0*" PRIu64, ns / 1000000000u, digits,
	    frac);
	return (buf);
}

/*
 * A name or path is one token of the text format: it cannot hold blanks,
 * control bytes or '#' (which would start a comment).  A mark may also
 * hold inner blanks, but not at its ends, which the text reader trims.
 */
static const char *
check_string(const char *s, bool inner_blanks)
{
	size_t i, len;

	if (s == NULL || s[0] == '\0')
		return ("is empty");
	len = strlen(s);
	if (len > TRACE_NAME_MAX)
		return ("is longer than 255 bytes");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '#')
			return ("contains '#'");
		if (inner_blanks && (c == ' ' || c == '\t')) {
			if (i == 0 || i == len - 1)
				return ("starts or ends with a blank");
			continue;
		}
		if (c <= 0x20 || c == 0x7f)
			return (inner_blanks ?
			    "contains a control character" :
			    "contains a blank or a control character");
	}
	return (NULL);
}

int
trace_event_check(const struct trace_event *ev, char *msg, size_t n)
{
	const char *why;

	switch (ev->op) {
	case TRACE_OP_PROC:
		if ((why = check_string(ev->str, false)) != NULL) {
			snprintf(msg, n, "process NAME %s", why);
			return (-EINVAL);
		}
		return (0);
	case TRACE_OP_EXIT:
	case TRACE_OP_UNMAP:
		return (0);
	case TRACE_OP_MAP:
		if (ev->objtype >= TRACE_OBJ_COUNT) {
			snprintf(msg, n,
			    "bad object TYPE %u: expected anon, "
			    "file or phys",
			    ev->objtype);
			return (-EINVAL);
		}
		if (ev->count == 0 || ev->count > TRACE_PAGES_MAX) {
			snprintf(msg, n,
			    "bad PAGES %" PRIu64 ": expected 1 to "
			    "%" PRIu64,
			    ev->count, TRACE_PAGES_MAX);
			return (-EINVAL);
		}
		if (ev->str != NULL &&
		    (why = check_string(ev->str, false)) != NULL) {
			snprintf(msg, n, "PATH %s", why);
			return (-EINVAL);
		}
		return (0);
	case TRACE_OP_FAULT:
	case TRACE_OP_DIRTY:
	case TRACE_OP_FREE:
	case TRACE_OP_WIRE:
	case TRACE_OP_UNWIRE:
		if (trace_page_range_ok(ev->pindex, ev->count))
			return (0);
		if (ev->count == 0 || ev->count > TRACE_PAGES_MAX) {
			snprintf(msg, n,
			    "bad COUNT %" PRIu64 ": expected 1 to "
			    "%" PRIu64,
			    ev->count, TRACE_PAGES_MAX);
			return (-EINVAL);
		}
		/* COUNT is in range, so PINDEX is not. */
		snprintf(msg, n,
		    "bad PINDEX %" PRIu64 ": PINDEX+COUNT "
		    "exceeds %" PRIu64 " pages",
		    ev->pindex, TRACE_PAGES_MAX);
		return (-EINVAL);
	case TRACE_OP_SWAPON:
	case TRACE_OP_SWAPOFF:
		if (ev->count == 0 || ev->count > TRACE_PAGES_MAX) {
			snprintf(msg, n,
			    "bad PAGES %" PRIu64 ": expected 1 to "
			    "%" PRIu64,
			    ev->count, TRACE_PAGES_MAX);
			return (-EINVAL);
		}
		return (0);
	case TRACE_OP_MARK:
		if ((why = check_string(ev->str, true)) != NULL) {
			snprintf(msg, n, "mark TEXT %s", why);
			return (-EINVAL);
		}
		return (0);
	default:
		snprintf(msg, n, "unknown op %u", ev->op);
		return (-EINVAL);
	}
}
