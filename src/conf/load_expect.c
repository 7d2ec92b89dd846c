/*
 * load_expect.c - the expect and expect_partial sections of the
 * configuration: bounds on the statistics of the run's report.
 */
#include "conf/load_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
valid_stat_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '.'))
			return (false);
	}
	return (i > 0 && i < CONF_STAT_NAME_MAX);
}

/*
 * A decimal number such as "0", "2.5", "-1e6": checked by hand first so
 * that strtod's extras (hex, "inf", "nan") are refused.
 */
static int
parse_number(const char *s, double *out)
{
	const char *p = s;
	char *end;
	bool digits = false;
	double v;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return (-EINVAL);
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return (-EINVAL);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return (-EINVAL);
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return (-EINVAL);
	*out = v;
	return (0);
}

/* A statistic in seconds is named "..._s" (docs/report.md). */
static bool
is_seconds_stat(const char *stat)
{
	size_t len = strlen(stat);

	return (len > 2 && strcmp(stat + len - 2, "_s") == 0);
}

/*
 * parse_bound() - one expect bound: a plain number, or for a statistic in
 * seconds also a duration with a unit ("2s", "500ms"), parsed exactly by
 * conf_parse_duration() and stored in seconds.  Returns 0 or a load_fail().
 */
static int
parse_bound(struct loader *ld, const char *full, const char *stat,
    const yaml_node_t *bk, const yaml_node_t *bv, double *out)
{
	const char *s;
	uint64_t ns;
	char q[48];

	if (bv->type != YAML_SCALAR_NODE || has_nul(bv))
		return (load_fail(ld, bv,
		    "key '%s.%s': expected a number, got %s",
		    full, scalar(bk), node_kind(bv)));
	s = scalar(bv);
	if (parse_number(s, out) == 0)
		return (0);
	if (is_seconds_stat(stat) &&
	    conf_parse_duration(s, &ns, NULL) == CONF_PARSE_OK) {
		*out = (double)(ns / 1000000000u) +
		    (double)(ns % 1000000000u) / 1e9;
		return (0);
	}
	/* Something number-like: say what else would have been accepted. */
	return (load_fail(ld, bv,
	    "key '%s.%s': expected a number, got \"%s\"%s",
	    full, scalar(bk), conf_quote(s, q, sizeof(q)),
	    !(s[0] >= '0' && s[0] <= '9') ? "" : is_seconds_stat(stat) ?
	    " (or a duration in ns, us, ms or s)" :
	    conf_parse_duration(s, &ns, NULL) == CONF_PARSE_OK ?
	    " (a duration only bounds a statistic in seconds, named ..._s)" :
	    ""));
}

static int
load_expect_one(struct loader *ld, const yaml_node_t *kn,
    const yaml_node_t *vn)
{
	static const char *const bounds[] = { "min", "max", "tolerance" };
	struct pg_expect *e = &ld->cfg->expect[ld->cfg->nexpect];
	yaml_node_pair_t *pair, *start;
	yaml_node_t *bk, *bv;
	char full[256], q[48];
	double d = 0;
	int r;

	memset(e, 0, sizeof(*e));
	snprintf(e->stat, sizeof(e->stat), "%s", scalar(kn));
	e->line = line_of(kn);
	load_join(full, sizeof(full), "expect", scalar(kn));
	if (vn->type != YAML_MAPPING_NODE && !is_null(vn))
		return (load_fail(ld, vn,
		    "key '%s': expected a mapping with min "
		    "and/or max, got %s", full, node_kind(vn)));
	if (vn->type == YAML_MAPPING_NODE) {
		start = vn->data.mapping.pairs.start;
		for (pair = start; pair < vn->data.mapping.pairs.top; pair++) {
			bk = yaml_document_get_node(&ld->doc, pair->key);
			bv = yaml_document_get_node(&ld->doc, pair->value);
			if ((r = load_check_key(ld, bk, full, start,
			    pair)) != 0)
				return (r);
			if (strcmp(scalar(bk), "min") != 0 &&
			    strcmp(scalar(bk), "max") != 0 &&
			    strcmp(scalar(bk), "tolerance") != 0) {
				char fk[300];

				snprintf(fk, sizeof(fk), "%s.%s", full,
				    conf_quote(scalar(bk), q, sizeof(q)));
				return (load_unknown_key(ld, bk, fk, scalar(bk),
				    bounds, 3));
			}
			if (strcmp(scalar(bk), "tolerance") == 0) {
				/* The CLI checks it: it knows the syntax. */
				if (bv->type != YAML_SCALAR_NODE ||
				    has_nul(bv) || scalar(bv)[0] == '\0' ||
				    strlen(scalar(bv)) >= sizeof(e->tolerance))
					return (load_fail(ld, bv,
					    "key '%s.tolerance': "
					    "expected a tolerance such as 5%% "
					    "or 5%%,abs=10", full));
				snprintf(e->tolerance, sizeof(e->tolerance),
				    "%s", scalar(bv));
				continue;
			}
			if ((r = parse_bound(ld, full, e->stat, bk, bv,
			    &d)) != 0)
				return (r);
			/* As written, unless too long to show in a line. */
			if (scalar(bk)[1] == 'i') {
				e->has_min = true;
				e->min = d;
				if (strlen(scalar(bv)) < sizeof(e->min_text))
					snprintf(e->min_text,
					    sizeof(e->min_text), "%s",
					    scalar(bv));
			} else {
				e->has_max = true;
				e->max = d;
				if (strlen(scalar(bv)) < sizeof(e->max_text))
					snprintf(e->max_text,
					    sizeof(e->max_text), "%s",
					    scalar(bv));
			}
		}
	}
	if (!e->has_min && !e->has_max && e->tolerance[0] == '\0')
		return (load_fail(ld, vn,
		    "key '%s': expected at least one of min, "
		    "max and tolerance", full));
	if (e->has_min && e->has_max && e->min > e->max)
		return (load_fail(ld, vn,
		    "key '%s': min %s is greater than max %s",
		    full, e->min_text, e->max_text));
	ld->cfg->nexpect++;
	return (0);
}

/* expect_partial: true or false (YAML 1.1 spellings of a boolean too). */
int
load_set_expect_partial(struct loader *ld, const yaml_node_t *vn)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
		"Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no",
		"No", "NO", "off", "Off", "OFF" };
	char q[48];
	size_t i;

	if (vn->type == YAML_SCALAR_NODE && !has_nul(vn)) {
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcmp(scalar(vn), yes[i]) == 0) {
				ld->cfg->expect_partial = true;
				return (0);
			}
			if (strcmp(scalar(vn), no[i]) == 0) {
				ld->cfg->expect_partial = false;
				return (0);
			}
		}
	}
	return (load_fail(ld, vn,
	    "key 'expect_partial': expected true or false, "
	    "got %s%s%s", vn->type == YAML_SCALAR_NODE ? "\"" : "",
	    vn->type == YAML_SCALAR_NODE ? conf_quote(scalar(vn), q,
	    sizeof(q)) : node_kind(vn),
	    vn->type == YAML_SCALAR_NODE ? "\"" : ""));
}

int
load_expect(struct loader *ld, const yaml_node_t *map)
{
	yaml_node_pair_t *pair, *start;
	yaml_node_t *kn, *vn;
	char q[48];
	int r;

	if (is_null(map))
		return (0);
	if (map->type != YAML_MAPPING_NODE)
		return (load_fail(ld, map,
		    "key 'expect': expected a mapping of "
		    "statistics to bounds, got %s", node_kind(map)));
	start = map->data.mapping.pairs.start;
	for (pair = start; pair < map->data.mapping.pairs.top; pair++) {
		kn = yaml_document_get_node(&ld->doc, pair->key);
		vn = yaml_document_get_node(&ld->doc, pair->value);
		if ((r = load_check_key(ld, kn, "expect", start, pair)) != 0)
			return (r);
		if (ld->cfg->nexpect == CONF_EXPECT_MAX)
			return (load_fail(ld, kn, "key 'expect': more than %d "
			    "statistics", CONF_EXPECT_MAX));
		if (!valid_stat_name(scalar(kn)) || has_nul(kn))
			return (load_fail(ld, kn, "key 'expect': expected a "
			    "statistic name (letters, digits, '_' and '.', at "
			    "most %d), got \"%s\"", CONF_STAT_NAME_MAX - 1,
			    conf_quote(scalar(kn), q, sizeof(q))));
		if ((r = load_expect_one(ld, kn, vn)) != 0)
			return (r);
	}
	return (0);
}
