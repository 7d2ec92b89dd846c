/*
 * check.c - validation of a whole configuration, and sweep expansion.
 */
#include "conf/conf_int.h"
#include "conf/pageout_init.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int
conf_cross_check(const struct pg_config *cfg, char *msg, size_t n,
    size_t *blame)
{
	uint64_t total, wired, cache, pc, w, c, ft, i, nd;
	char a[32], b[32];

	nd = cfg->domains;
	total = cfg->memory_bytes / PG_PAGE_SIZE;
	if (nd == 0 || total / nd < CONF_DOMAIN_MIN_PAGES) {
		conf_format_value(CONF_SIZE, (int64_t)cfg->memory_bytes, a,
		    sizeof(a));
		snprintf(msg, n, "key 'machine.memory': %s in %" PRIu64
		    " domains gives %" PRIu64 " pages per domain, the model "
		    "needs at least %u", a, nd, nd != 0 ? total / nd : 0,
		    CONF_DOMAIN_MIN_PAGES);
		*blame = cfg->domains > 1 ? CK_DOMAINS : CK_MEMORY;
		return (-EINVAL);
	}
	wired = (cfg->kernel_wired_bytes + PG_PAGE_SIZE - 1) / PG_PAGE_SIZE;
	cache = (cfg->kernel_cache_bytes + PG_PAGE_SIZE - 1) / PG_PAGE_SIZE;
	for (i = 0; i < nd; i++) {
		pc = pg_domain_share(total, nd, i);
		w = pg_domain_share(wired, nd, i);
		c = pg_domain_share(cache, nd, i);
		/* The model's own free_target (vm_thresholds_compute()). */
		ft = pg_free_target((uint32_t)pc, pg_ppc_for(total));
		/*
		 * The page daemon must start above its target: with fewer
		 * free pages the first allocation already finds the machine
		 * in shortfall, and the fc0/3 cap of inactive_target (spec §3)
		 * would be meaningless.
		 */
		if (w + c >= pc || pc - w - c <= ft) {
			conf_format_value(CONF_SIZE,
			    (int64_t)cfg->kernel_wired_bytes, a, sizeof(a));
			conf_format_value(CONF_SIZE,
			    (int64_t)cfg->kernel_cache_bytes, b, sizeof(b));
			snprintf(msg, n, "key 'machine.kernel_wired': "
			    "kernel_wired %s and kernel_cache.size %s leave %"
			    PRIu64 " free pages in domain %" PRIu64 " of %"
			    PRIu64 " pages, the model needs more than its "
			    "free_target (%" PRIu64 ")", a, b, w + c >= pc ? 0 :
			    pc - w - c, i, pc, ft);
			*blame = cfg->kernel_cache_bytes > 0 &&
			    cfg->kernel_wired_bytes == 0 ? CK_KERNEL_CACHE :
			    CK_KERNEL_WIRED;
			return (-EINVAL);
		}
	}
	return (0);
}

int
conf_check(const struct pg_config *cfg, struct pg_error *err)
{
	char msg[PG_ERROR_MSG_MAX], val[32], exp[96];
	const struct conf_key *k;
	size_t i, blame;
	int64_t v;

	for (i = 0; i < conf_nkeys; i++) {
		k = &conf_keys[i];
		v = conf_field_get(k, cfg);
		if (v < k->d.min || v > k->d.max ||
		    (k->page_multiple && v % PG_PAGE_SIZE != 0)) {
			conf_format_value(k->d.kind, v, val, sizeof(val));
			return (pg_error_set(err, cfg->path, PG_POS_NONE, 0,
			    "key '%s': expected %s%s, got %s", k->d.path,
			    conf_expected(k, exp, sizeof(exp)),
			    k->page_multiple ? " (a multiple of 4KiB)" : "",
			    val));
		}
	}
	if (conf_cross_check(cfg, msg, sizeof(msg), &blame) != 0)
		return (pg_error_set(err, cfg->path, PG_POS_NONE, 0, "%s",
		    msg));
	return (0);
}

size_t
conf_sweep_combinations(const struct pg_config *cfg)
{
	size_t n = 1;
	uint32_t i;

	for (i = 0; i < cfg->nsweep && i < CONF_SWEEP_MAX; i++) {
		/* Saturate rather than wrap: the loader caps the product. */
		if (cfg->sweep[i].nvalues != 0 &&
		    n > SIZE_MAX / cfg->sweep[i].nvalues)
			return (SIZE_MAX);
		n *= cfg->sweep[i].nvalues;
	}
	return (n);
}

int
conf_apply_sweep(const struct pg_config *base, size_t combination,
    struct pg_config *out)
{
	size_t idx[CONF_SWEEP_MAX], key, c = combination, len;
	char val[CONF_VARIANTS_TEXT_MAX];
	char part[CONF_STAT_NAME_MAX + CONF_VARIANTS_TEXT_MAX + 8];
	const struct pg_sweep_key *sk;
	uint32_t i, ns;
	int r;

	if (combination >= conf_sweep_combinations(base))
		return (-ERANGE);
	ns = base->nsweep < CONF_SWEEP_MAX ? base->nsweep : CONF_SWEEP_MAX;
	memcpy(out, base, sizeof(*out));
	out->nsweep = 0;
	if (ns == 0)
		return (0);
	/* The last key varies fastest. */
	for (i = ns; i-- > 0;) {
		idx[i] = c % base->sweep[i].nvalues;
		c /= base->sweep[i].nvalues;
	}
	/* The loader keeps names below half the size, for this suffix. */
	len = strnlen(base->name, sizeof(out->name) - 2);
	memcpy(out->name, base->name, len);
	memcpy(out->name + len, "[", 2);
	for (i = 0; i < ns; i++) {
		sk = &base->sweep[i];
		if (conf_key_find(sk->key, &key) != 0)
			return (-EINVAL);
		r = conf_key_set(out, key, sk->values[idx[i]]);
		if (r != 0)
			return (-EINVAL);
		conf_format_value(conf_keys[key].d.kind, sk->values[idx[i]],
		    val, sizeof(val));
		snprintf(part, sizeof(part), "%s%s=%s", i > 0 ? "," : "",
		    sk->key, val);
		len = strlen(out->name);
		snprintf(out->name + len, sizeof(out->name) - len, "%s", part);
	}
	len = strlen(out->name);
	snprintf(out->name + len, sizeof(out->name) - len, "]");
	return (0);
}
