/*
 * load_int.h - the internals of the YAML loader (load.c, load_sweep.c,
 * load_expect.c), private to them: the walk's state and its node helpers.
 */
#ifndef PGREPLAY_CONF_LOAD_INT_H
#define PGREPLAY_CONF_LOAD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <yaml.h>

#include "conf/conf_int.h"

/* The schema is 4 levels deep (sweep.KEY.[values], expect.STAT.min). */
#define CONF_DEPTH_MAX 8

/* At most this many candidates for a "did you mean" suggestion. */
#define CAND_MAX 32

struct loader {
	const char *file;
	struct pg_config *cfg;
	struct pg_error *err;
	yaml_document_t doc;
	/* Where each conf_keys[] entry was set, 0: not in the file. */
	uint64_t key_line[CONF_NKEYS];
	uint64_t sweep_line;
	bool name_set;
};

static inline uint64_t
line_of(const yaml_node_t *n)
{
	return ((uint64_t)n->start_mark.line + 1);
}

static inline const char *
node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return ("a mapping");
	case YAML_SEQUENCE_NODE:
		return ("a list");
	default:
		return ("a scalar");
	}
}

static inline bool
is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return (false);
	v = (const char *)n->data.scalar.value;
	return (strcmp(v, "") == 0 || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0);
}

static inline const char *
scalar(const yaml_node_t *n)
{
	return ((const char *)n->data.scalar.value);
}

/* A scalar with an embedded NUL would be cut short by every C parser. */
static inline bool
has_nul(const yaml_node_t *n)
{
	return (strlen(scalar(n)) != n->data.scalar.length);
}

/* load.c */
int load_fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void load_join(char *out, size_t n, const char *path, const char *key);
int load_unknown_key(struct loader *ld, const yaml_node_t *kn,
    const char *full, const char *key, const char *const *cands,
    size_t ncands);
int load_check_key(struct loader *ld, const yaml_node_t *kn, const char *path,
    yaml_node_pair_t *start, yaml_node_pair_t *cur);

/* load_sweep.c */
int load_parse_variants(struct loader *ld, const char *full,
    const yaml_node_t *vn, int64_t *out);
int load_sweep(struct loader *ld, const yaml_node_t *map);

/* load_expect.c */
int load_set_expect_partial(struct loader *ld, const yaml_node_t *vn);
int load_expect(struct loader *ld, const yaml_node_t *map);

#endif /* PGREPLAY_CONF_LOAD_INT_H */
