/*
 * junit.c - JUnit XML for CI systems (docs/report.md "JUnit").
 */
#include "report/junit.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/guard_int.h"
#include "report/report_int.h"

/* utf8_len() - length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		return (0);
	return (n);
}

void
guard_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		case '\t':
		case '\n':
			fputc(*p, out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fputs("\xef\xbf\xbd", out);
				break;
			}
			n = utf8_len(p);
			if (n == 0) {
				fputs("\xef\xbf\xbd", out);
				break;
			}
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		p++;
	}
}

static double
stat_value(const struct report_run *run, const char *name)
{
	const struct report_value *v = report_run_stat(run, name);

	if (v == NULL)
		return (NAN);
	return (v->is_real ? report_round_ns(v->d) : (double)v->i);
}

static void
expect_case(FILE *out, const struct report_run *run,
    const struct report_expect *e)
{
	char name[200], msg[300];

	if (e->has_min && e->has_max)
		snprintf(name, sizeof(name), "expect %g <= %s <= %g", e->min,
		    e->stat, e->max);
	else if (e->has_min)
		snprintf(name, sizeof(name), "expect %s >= %g", e->stat,
		    e->min);
	else
		snprintf(name, sizeof(name), "expect %s <= %g", e->stat,
		    e->max);
	fputs("    <testcase classname=\"", out);
	guard_escape(out, run->name);
	fputs("\" name=\"", out);
	guard_escape(out, name);
	if (e->ok) {
		fputs("\"/>\n", out);
		return;
	}
	if (!e->found)
		snprintf(msg, sizeof(msg), "%s is not reported", e->stat);
	else
		snprintf(msg, sizeof(msg), "%s is %.9g", e->stat, e->value);
	fputs("\">\n      <failure type=\"expect\" message=\"", out);
	guard_escape(out, msg);
	fputs("\"/>\n    </testcase>\n", out);
}

static void
baseline_case(FILE *out, const struct report_run *run,
    const struct report_check *c)
{
	char msg[300];

	fputs("    <testcase classname=\"", out);
	guard_escape(out, run->name);
	fputs("\" name=\"baseline ", out);
	guard_escape(out, c->stat);
	switch (c->status) {
	case REPORT_CHECK_OK:
		fputs("\"/>\n", out);
		return;
	case REPORT_CHECK_NEW:
		fputs("\">\n      <skipped message=\"not in the baseline\"/>\n"
		    "    </testcase>\n", out);
		return;
	case REPORT_CHECK_MISSING:
		snprintf(msg, sizeof(msg), "baseline %.9g, not reported now",
		    c->old_value);
		break;
	case REPORT_CHECK_REGRESSED:
	default:
		snprintf(msg, sizeof(msg), "baseline %.9g, now %.9g: drift "
		    "%.9g beyond the %.9g allowed", c->old_value, c->new_value,
		    fabs(c->new_value - c->old_value), c->allowed);
		break;
	}
	fputs("\">\n      <failure type=\"baseline\" message=\"", out);
	guard_escape(out, msg);
	fputs("\"/>\n    </testcase>\n", out);
}

static void
run_suite(FILE *out, const struct report *r, const struct report_run *run,
    const struct report_run_checks *c)
{
	size_t j, tests = 1 + run->nexpect, failures = 0, skipped = 0;

	for (j = 0; j < run->nexpect; j++)
		if (!run->expect[j].ok)
			failures++;
	if (c != NULL) {
		tests += c->nchecks;
		failures += c->nregressed + c->nmissing;
		for (j = 0; j < c->nchecks; j++)
			if (c->checks[j].status == REPORT_CHECK_NEW)
				skipped++;
	}
	fputs("  <testsuite name=\"", out);
	guard_escape(out, run->name);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"%zu\">\n", tests, failures, skipped);
	fputs("    <testcase classname=\"", out);
	guard_escape(out, run->name);
	fputs("\" name=\"replay\">\n      <system-out>trace ", out);
	guard_escape(out, r->trace.path);
	fprintf(out, ": %" PRIu64 " events; oom_kills %.0f, stall_time_s "
	    "%.9g, v_dfree %.0f, v_swappgsout %.0f",
	    r->trace.events, stat_value(run, "oom_kills"),
	    stat_value(run, "stall_time_s"), stat_value(run, "v_dfree"),
	    stat_value(run, "v_swappgsout"));
	if (run->panic) {
		fprintf(out, "; panic at %.9g s: ", run->panic_time_s);
		guard_escape(out, run->panic_reason);
	}
	fputs("</system-out>\n    </testcase>\n", out);
	for (j = 0; j < run->nexpect; j++)
		expect_case(out, run, &run->expect[j]);
	for (j = 0; c != NULL && j < c->nchecks; j++)
		baseline_case(out, run, &c->checks[j]);
	fputs("  </testsuite>\n", out);
}

int
report_write_junit(const struct report *r,
    const struct report_run_checks *checks, FILE *out, struct pg_error *err)
{
	size_t i, j, tests = 0, failures = 0, skipped = 0;

	for (i = 0; i < r->nruns; i++) {
		tests += 1 + r->runs[i].nexpect;
		for (j = 0; j < r->runs[i].nexpect; j++)
			if (!r->runs[i].expect[j].ok)
				failures++;
		if (checks == NULL)
			continue;
		tests += checks[i].nchecks;
		failures += checks[i].nregressed + checks[i].nmissing;
		for (j = 0; j < checks[i].nchecks; j++)
			if (checks[i].checks[j].status == REPORT_CHECK_NEW)
				skipped++;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"pgreplay\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\" skipped=\"%zu\">\n", tests, failures, skipped);
	for (i = 0; i < r->nruns; i++)
		run_suite(out, r, &r->runs[i], checks != NULL ? &checks[i] :
		    NULL);
	fputs("</testsuites>\n", out);
	if (ferror(out))
		return (pg_error_setv(err, -EIO, "", PG_POS_NONE, 0,
		    "write error"));
	return (0);
}
