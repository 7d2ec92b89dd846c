/*
 * load.c - the YAML configuration loader (interfaces.md section 2).
 *
 * Two passes over the text: libyaml's event parser first, to refuse what
 * the schema never needs (aliases, several documents, deep nesting) before
 * anything is built, then its document loader, whose nodes carry the line
 * numbers every message needs.  The walk follows the schema, so its cost
 * is bounded by the number of keys the schema knows, whatever the input.
 *
 * This file walks the sections of the key table; load_sweep.c reads the
 * sweep section and the variant lists, load_expect.c the expect section.
 */
#include "conf/load_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Mappings of the schema that hold keys of the table. */
struct section {
	const char *path;
	const char *parent;
	const char *leaf;
};

static const struct section sections[] = {
	{ "machine", "", "machine" },
	{ "machine.kernel_cache", "machine", "kernel_cache" },
	{ "sysctl", "", "sysctl" },
	{ "devices", "", "devices" },
	{ "devices.swap", "devices", "swap" },
	{ "devices.file", "devices", "file" },
	{ "sim", "", "sim" },
	{ "sim.scan_cost", "sim", "scan_cost" },
	{ "model", "", "model" },
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Top-level keys that are not sections of the key table. */
static const char *const top_specials[] = { "name", "sweep", "expect",
	"expect_partial" };

int
load_fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_error_vset(ld->err, -EINVAL, ld->file,
	    n != NULL ? PG_POS_LINE : PG_POS_NONE, n != NULL ? line_of(n) : 0,
	    fmt, ap);
	va_end(ap);
	return (rc);
}

void
load_join(char *out, size_t n, const char *path, const char *key)
{
	char q[48];

	conf_quote(key, q, sizeof(q));
	if (path[0] == '\0')
		snprintf(out, n, "%s", q);
	else
		snprintf(out, n, "%s.%s", path, q);
}

int
load_unknown_key(struct loader *ld, const yaml_node_t *kn, const char *full,
    const char *key, const char *const *cands, size_t ncands)
{
	const char *s = pg_suggest(key, cands, ncands);

	if (s != NULL)
		return (load_fail(ld, kn,
		    "unknown key '%s' (did you mean '%s'?)", full, s));
	return (load_fail(ld, kn, "unknown key '%s'", full));
}

/*
 * Check that the key node kn is a scalar not seen before in the mapping
 * whose pairs are [start, cur).
 */
int
load_check_key(struct loader *ld, const yaml_node_t *kn, const char *path,
    yaml_node_pair_t *start, yaml_node_pair_t *cur)
{
	char full[256];
	yaml_node_pair_t *p;
	yaml_node_t *prev;

	if (kn->type != YAML_SCALAR_NODE)
		return (load_fail(ld, kn,
		    "key '%s': expected a key name, got %s",
		    path[0] != '\0' ? path : "(top level)", node_kind(kn)));
	for (p = start; p < cur; p++) {
		prev = yaml_document_get_node(&ld->doc, p->key);
		if (prev != NULL && prev->type == YAML_SCALAR_NODE &&
		    strcmp(scalar(prev), scalar(kn)) == 0) {
			load_join(full, sizeof(full), path, scalar(kn));
			return (load_fail(ld, kn,
			    "duplicate key '%s' (first set at "
			    "line %llu)", full,
			    (unsigned long long)line_of(prev)));
		}
	}
	return (0);
}

static int
set_key(struct loader *ld, size_t ki, const yaml_node_t *vn)
{
	const struct conf_key *k = &conf_keys[ki];
	char msg[PG_ERROR_MSG_MAX - 80], exp[96];
	int64_t v;
	int r;

	if (k->d.kind == CONF_VARIANTS) {
		if ((r = load_parse_variants(ld, k->d.path, vn, &v)) != 0)
			return (r);
		conf_field_set(k, ld->cfg, v);
		ld->key_line[ki] = line_of(vn);
		return (0);
	}
	if (vn->type != YAML_SCALAR_NODE)
		return (load_fail(ld, vn, "key '%s': expected %s, got %s",
		    k->d.path,
		    conf_expected(k, exp, sizeof(exp)), node_kind(vn)));
	if (is_null(vn))
		return (load_fail(ld, vn, "key '%s': expected %s, got an empty "
		    "value", k->d.path, conf_expected(k, exp, sizeof(exp))));
	if (has_nul(vn))
		return (load_fail(ld, vn,
		    "key '%s': expected %s, got a value with "
		    "a NUL byte", k->d.path, conf_expected(k, exp,
		    sizeof(exp))));
	if (conf_value_parse(k, scalar(vn), &v, msg, sizeof(msg)) != 0)
		return (load_fail(ld, vn, "key '%s': %s", k->d.path, msg));
	conf_field_set(k, ld->cfg, v);
	ld->key_line[ki] = line_of(vn);
	return (0);
}

static int
set_name(struct loader *ld, const yaml_node_t *vn)
{
	const char *s;
	char q[48];
	size_t i, len;

	if (vn->type != YAML_SCALAR_NODE)
		return (load_fail(ld, vn, "key 'name': expected a name, got %s",
		    node_kind(vn)));
	s = scalar(vn);
	len = strlen(s);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	}
	/* Half of CONF_NAME_MAX leaves room for the sweep's suffix. */
	if (is_null(vn) || len == 0 || len >= CONF_NAME_MAX / 2 || i < len ||
	    has_nul(vn))
		return (load_fail(ld, vn,
		    "key 'name': expected a name of 1 to %d "
		    "printable characters, got \"%s\"", CONF_NAME_MAX / 2 - 1,
		    conf_quote(s, q, sizeof(q))));
	memcpy(ld->cfg->name, s, len + 1);
	ld->name_set = true;
	return (0);
}

static int load_section(struct loader *, const yaml_node_t *, const char *);

/* One key of the mapping at path: a subsection, a table key or a special. */
static int
load_pair(struct loader *ld, const char *path, const yaml_node_t *kn,
    const yaml_node_t *vn)
{
	const char *cands[CAND_MAX], *key = scalar(kn);
	char full[256];
	size_t i, n = 0;

	load_join(full, sizeof(full), path, key);
	if (path[0] == '\0') {
		if (strcmp(key, "name") == 0)
			return (set_name(ld, vn));
		if (strcmp(key, "sweep") == 0) {
			ld->sweep_line = line_of(kn);
			return (load_sweep(ld, vn));
		}
		if (strcmp(key, "expect") == 0)
			return (load_expect(ld, vn));
		if (strcmp(key, "expect_partial") == 0)
			return (load_set_expect_partial(ld, vn));
	}
	for (i = 0; i < NSECTIONS; i++) {
		if (strcmp(sections[i].parent, path) == 0 &&
		    strcmp(sections[i].leaf, key) == 0)
			return (load_section(ld, vn, sections[i].path));
	}
	for (i = 0; i < conf_nkeys; i++) {
		if (strcmp(conf_keys[i].section, path) == 0 &&
		    strcmp(conf_keys[i].leaf, key) == 0)
			return (set_key(ld, i, vn));
	}
	/* Unknown: gather what is valid here for the suggestion. */
	if (path[0] == '\0') {
		for (i = 0; i < sizeof(top_specials) / sizeof(top_specials[0]);
		    i++)
			cands[n++] = top_specials[i];
	}
	for (i = 0; i < NSECTIONS && n < CAND_MAX; i++) {
		if (strcmp(sections[i].parent, path) == 0)
			cands[n++] = sections[i].leaf;
	}
	for (i = 0; i < conf_nkeys && n < CAND_MAX; i++) {
		if (strcmp(conf_keys[i].section, path) == 0)
			cands[n++] = conf_keys[i].leaf;
	}
	return (load_unknown_key(ld, kn, full, key, cands, n));
}

static int
load_section(struct loader *ld, const yaml_node_t *map, const char *path)
{
	yaml_node_pair_t *pair, *start;
	yaml_node_t *kn, *vn;
	int r;

	/* "sysctl:" with nothing under it is an empty section. */
	if (is_null(map))
		return (0);
	if (map->type != YAML_MAPPING_NODE) {
		if (path[0] == '\0')
			return (load_fail(ld, map,
			    "expected a mapping of sections "
			    "at the top level, got %s", node_kind(map)));
		return (load_fail(ld, map,
		    "key '%s': expected a mapping, got %s",
		    path, node_kind(map)));
	}
	start = map->data.mapping.pairs.start;
	for (pair = start; pair < map->data.mapping.pairs.top; pair++) {
		kn = yaml_document_get_node(&ld->doc, pair->key);
		vn = yaml_document_get_node(&ld->doc, pair->value);
		if ((r = load_check_key(ld, kn, path, start, pair)) != 0)
			return (r);
		if ((r = load_pair(ld, path, kn, vn)) != 0)
			return (r);
	}
	return (0);
}

static int
yaml_fail(struct loader *ld, const yaml_parser_t *p)
{
	const char *problem = p->problem != NULL ? p->problem : "syntax error";

	if (p->error == YAML_READER_ERROR)
		return (pg_error_set(ld->err, ld->file, PG_POS_BYTE,
		    (uint64_t)p->problem_offset, "invalid YAML: %s", problem));
	if (p->error == YAML_MEMORY_ERROR)
		return (pg_error_setv(ld->err, -ENOMEM, ld->file, PG_POS_NONE,
		    0, "out of memory while parsing YAML"));
	if (p->context != NULL)
		return (pg_error_set(ld->err, ld->file, PG_POS_LINE,
		    (uint64_t)p->problem_mark.line + 1, "invalid YAML: %s "
		    "(%s at line %llu)", problem, p->context,
		    (unsigned long long)p->context_mark.line + 1));
	return (pg_error_set(ld->err, ld->file, PG_POS_LINE,
	    (uint64_t)p->problem_mark.line + 1, "invalid YAML: %s", problem));
}

/* The first pass: refuse aliases, several documents and deep nesting. */
static int
prepass(struct loader *ld, const char *yaml, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, ndocs = 0, r = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return (pg_error_setv(ld->err, -ENOMEM, ld->file, PG_POS_NONE,
		    0, "out of memory"));
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	while (!done && r == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			r = yaml_fail(ld, &p);
			break;
		}
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (++depth > CONF_DEPTH_MAX)
				r = pg_error_set(ld->err, ld->file,
				    PG_POS_LINE, (uint64_t)ev.start_mark.line +
				    1, "nesting deeper than %d levels",
				    CONF_DEPTH_MAX);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_ALIAS_EVENT:
			r = pg_error_set(ld->err, ld->file, PG_POS_LINE,
			    (uint64_t)ev.start_mark.line + 1,
			    "YAML aliases are not supported");
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1)
				r = pg_error_set(ld->err, ld->file,
				    PG_POS_LINE, (uint64_t)ev.start_mark.line +
				    1, "expected one YAML document, found a "
				    "second one");
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return (r);
}

/* Line of the first of the keys that was written in the file, or 0. */
static uint64_t
blame_line(const struct loader *ld, size_t blame)
{
	static const size_t fallback[] = { CK_MEMORY, CK_DOMAINS,
	    CK_KERNEL_WIRED, CK_KERNEL_CACHE };
	size_t i;

	if (ld->key_line[blame] != 0)
		return (ld->key_line[blame]);
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		if (ld->key_line[fallback[i]] != 0)
			return (ld->key_line[fallback[i]]);
	}
	return (0);
}

/*
 * The cross-field rules, on the configuration itself or, with a sweep, on
 * every run it expands to (the base alone is never run then).
 */
static int
check_all(struct loader *ld)
{
	struct pg_config *run;
	char msg[PG_ERROR_MSG_MAX - 160];
	size_t c, n, blame;
	uint64_t line;
	uint32_t i;
	int r = 0;

	if (ld->cfg->nsweep == 0) {
		if (conf_cross_check(ld->cfg, msg, sizeof(msg), &blame) == 0)
			return (0);
		line = blame_line(ld, blame);
		return (pg_error_set(ld->err, ld->file, line != 0 ?
		    PG_POS_LINE : PG_POS_NONE, line, "%s", msg));
	}
	run = malloc(sizeof(*run));
	if (run == NULL)
		return (pg_error_setv(ld->err, -ENOMEM, ld->file, PG_POS_NONE,
		    0, "out of memory"));
	n = conf_sweep_combinations(ld->cfg);
	for (c = 0; c < n && r == 0; c++) {
		if (conf_apply_sweep(ld->cfg, c, run) != 0 ||
		    conf_cross_check(run, msg, sizeof(msg), &blame) == 0)
			continue;
		/* Point at the swept key the rule is about, if it is one. */
		line = ld->sweep_line;
		for (i = 0; i < ld->cfg->nsweep; i++) {
			if (strcmp(ld->cfg->sweep[i].key,
			    conf_keys[blame].d.name) == 0)
				line = ld->cfg->sweep[i].line;
		}
		r = pg_error_set(ld->err, ld->file, PG_POS_LINE, line,
		    "sweep run %s: %s", run->name, msg);
	}
	free(run);
	return (r);
}

/* "dir/base.yaml" -> "base"; a name is never empty. */
static void
default_name(const char *file, char *out, size_t n)
{
	const char *b = strrchr(file, '/'), *dot;
	size_t len;

	b = b != NULL ? b + 1 : file;
	dot = strrchr(b, '.');
	len = dot != NULL && dot != b ? (size_t)(dot - b) : strlen(b);
	if (len >= CONF_NAME_MAX / 2)
		len = CONF_NAME_MAX / 2 - 1;
	if (len == 0) {
		snprintf(out, n, "config");
		return;
	}
	snprintf(out, n, "%.*s", (int)len, b);
}

int
conf_load_string(const char *name, const char *yaml, size_t len,
    struct pg_config *cfg, struct pg_error *err)
{
	struct loader ld;
	yaml_parser_t p;
	yaml_node_t *root;
	int r;

	memset(&ld, 0, sizeof(ld));
	ld.file = name != NULL ? name : "";
	ld.cfg = cfg;
	ld.err = err;
	conf_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", ld.file);
	default_name(ld.file, cfg->name, sizeof(cfg->name));
	if (len > CONF_FILE_MAX)
		return (pg_error_setv(err, -EFBIG, ld.file, PG_POS_NONE, 0,
		    "configuration larger than %d bytes", CONF_FILE_MAX));
	if ((r = prepass(&ld, yaml, len)) != 0)
		return (r);
	if (!yaml_parser_initialize(&p))
		return (pg_error_setv(err, -ENOMEM, ld.file, PG_POS_NONE, 0,
		    "out of memory"));
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&p, &ld.doc)) {
		r = yaml_fail(&ld, &p);
		yaml_parser_delete(&p);
		return (r);
	}
	yaml_parser_delete(&p);
	root = yaml_document_get_root_node(&ld.doc);
	if (root != NULL)
		r = load_section(&ld, root, "");
	yaml_document_delete(&ld.doc);
	if (r == 0)
		r = check_all(&ld);
	return (r);
}

int
conf_load(const char *path, struct pg_config *cfg, struct pg_error *err)
{
	char *buf;
	size_t len = 0;
	ssize_t got;
	int fd, r;

	conf_defaults(cfg);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		r = -errno;
		return (pg_error_setv(err, r, path, PG_POS_NONE, 0,
		    "cannot open: %s", strerror(-r)));
	}
	/* One byte more than allowed tells a too-large file apart. */
	buf = malloc((size_t)CONF_FILE_MAX + 1);
	if (buf == NULL) {
		close(fd);
		return (pg_error_setv(err, -ENOMEM, path, PG_POS_NONE, 0,
		    "out of memory"));
	}
	while (len < (size_t)CONF_FILE_MAX + 1) {
		got = read(fd, buf + len, (size_t)CONF_FILE_MAX + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			pg_error_setv(err, r, path, PG_POS_NONE, 0,
			    "cannot read: %s", strerror(-r));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	r = conf_load_string(path, buf, len, cfg, err);
out:
	free(buf);
	close(fd);
	return (r);
}
