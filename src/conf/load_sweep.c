/*
 * load_sweep.c - the lists of the configuration: the sweep section (the
 * values each swept key takes) and a variants key's list of names.
 */
#include "conf/load_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a list of variant names (a, b, c)", for messages. */
static const char *
variants_expected(char *buf, size_t n)
{
	size_t i, len;

	snprintf(buf, n, "a list of variant names (");
	for (i = 0; i < conf_variant_count(); i++) {
		len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s", i > 0 ? ", " : "",
		    conf_variant_name(i));
	}
	len = strlen(buf);
	snprintf(buf + len, n - len, ")");
	return (buf);
}

/*
 * The variants listed by the sequence vn, for the key written full, as
 * flags in *out.  An empty value is the empty set (the seed).
 */
int
load_parse_variants(struct loader *ld, const char *full, const yaml_node_t *vn,
    int64_t *out)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	const char *hint;
	char exp[160], q[48];
	uint32_t set = 0, flag;

	if (is_null(vn)) {
		*out = 0;
		return (0);
	}
	if (vn->type != YAML_SEQUENCE_NODE)
		return (load_fail(ld, vn, "key '%s': expected %s, got %s", full,
		    variants_expected(exp, sizeof(exp)), node_kind(vn)));
	for (it = vn->data.sequence.items.start;
	    it < vn->data.sequence.items.top; it++) {
		item = yaml_document_get_node(&ld->doc, *it);
		if (item->type != YAML_SCALAR_NODE || is_null(item) ||
		    has_nul(item))
			return (load_fail(ld, item,
			    "key '%s': expected a variant "
			    "name, got %s", full, item->type ==
			    YAML_SCALAR_NODE ? "an empty value" :
			    node_kind(item)));
		conf_quote(scalar(item), q, sizeof(q));
		if (conf_variant_find(scalar(item), &flag) != 0) {
			hint = conf_variant_suggest(scalar(item));
			if (hint != NULL)
				return (load_fail(ld, item, "key '%s': unknown "
				    "variant '%s' (did you mean '%s'?)", full,
				    q, hint));
			return (load_fail(ld, item, "key '%s': unknown variant "
			    "'%s'; expected %s", full, q,
			    variants_expected(exp, sizeof(exp))));
		}
		if ((set & flag) != 0)
			return (load_fail(ld, item, "key '%s': variant '%s' is "
			    "listed twice", full, q));
		set |= flag;
	}
	*out = set;
	return (0);
}

/* Sweep names of every key: what a sweep section may list. */
static size_t
sweep_cands(const char **cands, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < conf_nkeys && n < max; i++)
		cands[n++] = conf_keys[i].d.name;
	return (n);
}

int
load_sweep(struct loader *ld, const yaml_node_t *map)
{
	const char *cands[64];
	yaml_node_pair_t *pair, *start;
	yaml_node_item_t *it;
	yaml_node_t *kn, *vn, *item;
	struct pg_sweep_key *sk;
	const struct conf_key *k;
	char msg[PG_ERROR_MSG_MAX - 80], full[256], q[48];
	char vq[CONF_VARIANTS_TEXT_MAX];
	size_t ki, combos = 1, j, ncand;
	uint32_t i;
	int64_t v;
	int r;

	if (is_null(map))
		return (0);
	if (map->type != YAML_MAPPING_NODE)
		return (load_fail(ld, map,
		    "key 'sweep': expected a mapping of keys "
		    "to lists of values, got %s", node_kind(map)));
	start = map->data.mapping.pairs.start;
	for (pair = start; pair < map->data.mapping.pairs.top; pair++) {
		kn = yaml_document_get_node(&ld->doc, pair->key);
		vn = yaml_document_get_node(&ld->doc, pair->value);
		if ((r = load_check_key(ld, kn, "sweep", start, pair)) != 0)
			return (r);
		load_join(full, sizeof(full), "sweep", scalar(kn));
		if (conf_key_find(scalar(kn), &ki) != 0) {
			ncand = sweep_cands(cands, 64);
			return (load_unknown_key(ld, kn, full, scalar(kn),
			    cands, ncand));
		}
		k = &conf_keys[ki];
		for (i = 0; i < ld->cfg->nsweep; i++) {
			if (strcmp(ld->cfg->sweep[i].key, k->d.name) == 0)
				return (load_fail(ld, kn,
				    "duplicate key '%s' (first set at line "
				    "%llu)", full,
				    (unsigned long long)ld->cfg->sweep[i].line));
		}
		if (ld->cfg->nsweep == CONF_SWEEP_MAX)
			return (load_fail(ld, kn,
			    "key 'sweep': more than %d keys", CONF_SWEEP_MAX));
		if (vn->type != YAML_SEQUENCE_NODE ||
		    vn->data.sequence.items.top ==
		    vn->data.sequence.items.start)
			return (load_fail(ld, vn,
			    "key '%s': expected a list of 1 to "
			    "%d values, got %s", full, CONF_SWEEP_VALUES_MAX,
			    vn->type == YAML_SEQUENCE_NODE ? "an empty list" :
			    node_kind(vn)));
		sk = &ld->cfg->sweep[ld->cfg->nsweep];
		memset(sk, 0, sizeof(*sk));
		snprintf(sk->key, sizeof(sk->key), "%s", k->d.name);
		sk->line = line_of(kn);
		for (it = vn->data.sequence.items.start;
		    it < vn->data.sequence.items.top; it++) {
			item = yaml_document_get_node(&ld->doc, *it);
			if (sk->nvalues == CONF_SWEEP_VALUES_MAX)
				return (load_fail(ld, item,
				    "key '%s': more than %d "
				    "values", full, CONF_SWEEP_VALUES_MAX));
			if (k->d.kind == CONF_VARIANTS) {
				/* Each value is a list: [[], [a], [a, b]]. */
				if (item->type != YAML_SEQUENCE_NODE)
					return (load_fail(ld, item, "key '%s': "
					    "expected %s, got %s", full,
					    variants_expected(msg, sizeof(msg)),
					    node_kind(item)));
				if ((r = load_parse_variants(ld, full, item,
				    &v)) != 0)
					return (r);
			} else if (item->type != YAML_SCALAR_NODE ||
			    is_null(item) ||
			    has_nul(item))
				return (load_fail(ld, item,
				    "key '%s': expected %s, "
				    "got %s", full, conf_expected(k, msg,
				    sizeof(msg)), item->type ==
				    YAML_SCALAR_NODE ? "an empty value" :
				    node_kind(item)));
			else if (conf_value_parse(k, scalar(item), &v, msg,
			    sizeof(msg)) != 0)
				return (load_fail(ld, item, "key '%s': %s",
				    full, msg));
			for (j = 0; j < sk->nvalues; j++) {
				if (sk->values[j] != v)
					continue;
				if (k->d.kind == CONF_VARIANTS)
					return (load_fail(ld, item, "key '%s': "
					    "value [%s] is listed twice", full,
					    conf_format_variants((uint32_t)v,
					    vq, sizeof(vq))));
				return (load_fail(ld, item, "key '%s': value "
				    "\"%s\" is listed twice", full,
				    conf_quote(scalar(item), q, sizeof(q))));
			}
			sk->values[sk->nvalues++] = v;
		}
		ld->cfg->nsweep++;
		combos *= sk->nvalues;
		if (combos > CONF_SWEEP_COMBINATIONS_MAX)
			return (load_fail(ld, kn,
			    "key 'sweep': expands to more than "
			    "%d runs", CONF_SWEEP_COMBINATIONS_MAX));
	}
	return (0);
}
