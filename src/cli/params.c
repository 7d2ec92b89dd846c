/*
 * params.c - `pgreplay params --config FILE [--format text|json] [--run N]`:
 * the effective configuration and, per domain, the thresholds the page
 * daemon starts with (vm_layout_compute(), spec section 3).  `pgreplay
 * params --variants` lists the model variants a configuration may name.
 *
 * With a sweep, one run is shown (run 0 unless --run N) and every run's
 * name is listed, so that the thresholds shown are those of a
 * configuration that is really run.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf/conf.h"
#include "vm/pager.h"
#include "vm/thresholds.h"

static const char params_usage[] =
    "usage: pgreplay params --config FILE [--format text|json] [--run N]\n"
    "       pgreplay params --variants [--format text|json]\n"
    "\n"
    "Prints the effective configuration (every key with its value after\n"
    "defaults) and the paging thresholds of each memory domain; with\n"
    "--variants, the model variants (model.variants) with the FreeBSD\n"
    "commit each comes from.\n"
    "\n"
    "  -c, --config FILE   the YAML configuration\n"
    "  -f, --format FMT    text (default) or json\n"
    "  -r, --run N         with a sweep: show run N (0-based; default 0)\n"
    "      --variants      list the model variants and exit\n"
    "  -h, --help          show this help and exit\n";

enum params_format {
	FORMAT_TEXT,
	FORMAT_JSON,
};

static uint64_t
pages_of(uint64_t bytes)
{
	return ((bytes + PG_PAGE_SIZE - 1) / PG_PAGE_SIZE);
}

/* The threshold fields, named as in the JSON report (interfaces.md §4). */
struct th_field {
	const char *name;
	size_t off;
	bool is_signed;
};

#define TH_FIELD(name_, sgn_, rep_) \
	{ #name_, offsetof(struct vm_thresholds, name_), (sgn_) != 0 },

static const struct th_field th_fields[] = {
	VM_THRESHOLD_FIELDS(TH_FIELD)
};

#undef TH_FIELD

static int64_t
th_get(const struct vm_thresholds *t, const struct th_field *f)
{
	const char *p = (const char *)t + f->off;
	uint32_t u;
	int32_t s;

	if (f->is_signed) {
		memcpy(&s, p, sizeof(s));
		return (s);
	}
	memcpy(&u, p, sizeof(u));
	return (u);
}

#define NTH (sizeof(th_fields) / sizeof(th_fields[0]))

static void
print_text(const struct pg_config *cfg, const struct pg_config *base,
    size_t run, const struct vm_layout *l)
{
	const struct conf_key_desc *d;
	char val[CONF_VARIANTS_TEXT_MAX];
	size_t i, j, n;
	uint32_t k;

	printf("name: %s\n", cfg->name);
	printf("file: %s\n", cfg->path);
	n = conf_sweep_combinations(base);
	if (base->nsweep > 0)
		printf("run: %zu of %zu\n", run, n);
	printf("\nconfiguration:\n");
	for (i = 0; i < conf_key_count(); i++) {
		d = conf_key_desc(i);
		conf_format_value(d->kind, conf_key_get(cfg, i), val,
		    sizeof(val));
		if (d->kind == CONF_SIZE)
			printf("  %-36s %-10s (%" PRId64 " bytes, %" PRIu64
			    " pages)\n", d->path, val, conf_key_get(cfg, i),
			    pages_of((uint64_t)conf_key_get(cfg, i)));
		else
			printf("  %-36s %s\n", d->path, val);
	}
	printf("\nlayout:\n");
	printf("  %-36s %" PRIu64 "\n", "v_page_count", l->total_pages);
	printf("  %-36s %u\n", "domains", l->ndomains);
	printf("  %-36s %u\n", "ppc (vm_pageout_page_count)", l->ppc);
	printf("  %-36s %" PRIu64 "\n", "swap_pages", l->swap_pages);
	printf("  %-36s %d\n", "pageout_update_period (effective)",
	    l->pageout_update_period);
	printf("  %-36s %" PRIu64 " bytes\n", "lorunningspace (derived)",
	    vm_lorunningspace(cfg->hirunningspace));
	for (j = 0; j < l->ndomains; j++) {
		printf("\ndomain %zu:\n", j);
		printf("  %-36s %u\n", "kernel_wired", l->kernel_wired[j]);
		printf("  %-36s %u\n", "kernel_cache", l->kernel_cache[j]);
		for (i = 0; i < NTH; i++)
			printf("  %-36s %" PRId64 "\n", th_fields[i].name,
			    th_get(&l->th[j], &th_fields[i]));
	}
	printf("\ntotals:\n");
	printf("  %-36s %" PRIu64 "\n", "v_free_reserved", l->v_free_reserved);
	printf("  %-36s %" PRIu64 "\n", "v_free_min", l->v_free_min);
	printf("  %-36s %" PRIu64 "\n", "v_free_severe", l->v_free_severe);
	printf("  %-36s %" PRIu64 "\n", "v_free_target", l->v_free_target);
	printf("  %-36s %" PRIu64 "\n", "v_inactive_target",
	    l->v_inactive_target);
	printf("  %-36s %" PRIu64 "\n", "v_pageout_free_min",
	    l->v_pageout_free_min);
	printf("  %-36s %" PRIu64 "\n", "v_interrupt_free_min",
	    l->v_interrupt_free_min);
	if (base->nsweep > 0) {
		struct pg_config *r = malloc(sizeof(*r));

		printf("\nsweep: %zu run%s\n", n, n == 1 ? "" : "s");
		for (i = 0; r != NULL && i < n; i++) {
			if (conf_apply_sweep(base, i, r) == 0)
				printf("  %4zu %s\n", i, r->name);
		}
		free(r);
	}
	if (cfg->nexpect > 0) {
		printf("\nexpect:\n");
		for (k = 0; k < cfg->nexpect; k++) {
			const struct pg_expect *e = &cfg->expect[k];

			printf("  %-36s", e->stat);
			if (e->has_min)
				printf(" min %g", e->min);
			if (e->has_max)
				printf(" max %g", e->max);
			printf("\n");
		}
	}
}

static json_t *
json_u64(uint64_t v)
{
	return (json_integer((json_int_t)v));
}

static json_t *
json_device(const struct pg_device *d)
{
	return (json_pack("{s:o, s:o}", "latency_ns", json_u64(d->latency_ns),
	    "bandwidth_bps", json_u64(d->bandwidth_bps)));
}

static json_t *
build_json(const struct pg_config *cfg, const struct pg_config *base,
    size_t run, const struct vm_layout *l)
{
	json_t *root, *sys, *doms, *dom, *runs, *exp, *e, *vars;
	struct pg_config *r;
	size_t i, j, n;
	uint32_t k;

	root = json_object();
	json_object_set_new(root, "name", json_string(cfg->name));
	json_object_set_new(root, "file", json_string(cfg->path));
	json_object_set_new(root, "machine", json_pack(
	    "{s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "memory_bytes", json_u64(cfg->memory_bytes),
	    "memory_pages", json_u64(cfg->memory_bytes / PG_PAGE_SIZE),
	    "domains", (int)cfg->domains,
	    "swap_bytes", json_u64(cfg->swap_bytes),
	    "swap_pages", json_u64(cfg->swap_bytes / PG_PAGE_SIZE),
	    "kernel_wired_bytes", json_u64(cfg->kernel_wired_bytes),
	    "kernel_wired_pages", json_u64(pages_of(cfg->kernel_wired_bytes)),
	    "kernel_cache_bytes", json_u64(cfg->kernel_cache_bytes),
	    "kernel_cache_pages", json_u64(pages_of(cfg->kernel_cache_bytes)),
	    "kernel_cache_lowmem_release_ppm",
	    json_u64(cfg->kernel_cache_release_ppm)));
	sys = json_object();
	for (i = 0; i < conf_sysctl_count(); i++)
		json_object_set_new(sys, conf_sysctl_desc(i)->name,
		    json_integer(conf_sysctl_get(cfg, i)));
	json_object_set_new(root, "sysctl", sys);
	json_object_set_new(root, "devices", json_pack("{s:o, s:o}",
	    "swap", json_device(&cfg->swap_dev),
	    "file", json_device(&cfg->file_dev)));
	json_object_set_new(root, "sim", json_pack(
	    "{s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o}",
	    "scan_cost_per_scan_ns", json_u64(cfg->scan_cost_per_scan_ns),
	    "scan_cost_per_page_ns", json_u64(cfg->scan_cost_per_page_ns),
	    "oom_kill_delay_ns", json_u64(cfg->oom_kill_delay_ns),
	    "laundry_last_target_init", (int)cfg->laundry_last_target_init,
	    "drain_ns", json_u64(cfg->drain_ns),
	    "hirunningspace_bytes", json_u64(cfg->hirunningspace),
	    "lorunningspace_bytes",
	    json_u64(vm_lorunningspace(cfg->hirunningspace)),
	    "lock_miss_ppm", json_u64(cfg->lock_miss_ppm),
	    "seed", json_u64(cfg->seed)));
	vars = json_array();
	for (i = 0; i < conf_variant_count(); i++)
		if ((cfg->model_variants & (UINT32_C(1) << i)) != 0)
			json_array_append_new(vars,
			    json_string(conf_variant_name(i)));
	json_object_set_new(root, "model", json_pack("{s:o}", "variants",
	    vars));
	json_object_set_new(root, "layout", json_pack(
	    "{s:o, s:i, s:i, s:o, s:i}",
	    "page_count", json_u64(l->total_pages),
	    "domains", (int)l->ndomains,
	    "ppc", (int)l->ppc,
	    "swap_pages", json_u64(l->swap_pages),
	    "pageout_update_period", (int)l->pageout_update_period));
	doms = json_array();
	for (j = 0; j < l->ndomains; j++) {
		dom = json_object();
		json_object_set_new(dom, "kernel_wired",
		    json_integer(l->kernel_wired[j]));
		json_object_set_new(dom, "kernel_cache",
		    json_integer(l->kernel_cache[j]));
		for (i = 0; i < NTH; i++)
			json_object_set_new(dom, th_fields[i].name,
			    json_integer(th_get(&l->th[j], &th_fields[i])));
		json_array_append_new(doms, dom);
	}
	json_object_set_new(root, "domains", doms);
	json_object_set_new(root, "totals", json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "v_free_reserved", json_u64(l->v_free_reserved),
	    "v_free_min", json_u64(l->v_free_min),
	    "v_free_severe", json_u64(l->v_free_severe),
	    "v_free_target", json_u64(l->v_free_target),
	    "v_inactive_target", json_u64(l->v_inactive_target),
	    "v_pageout_free_min", json_u64(l->v_pageout_free_min),
	    "v_interrupt_free_min", json_u64(l->v_interrupt_free_min)));
	n = conf_sweep_combinations(base);
	runs = json_array();
	r = malloc(sizeof(*r));
	for (i = 0; r != NULL && i < n && base->nsweep > 0; i++) {
		if (conf_apply_sweep(base, i, r) == 0)
			json_array_append_new(runs, json_string(r->name));
	}
	free(r);
	json_object_set_new(root, "sweep", json_pack("{s:o, s:o, s:o}",
	    "runs", json_u64(n), "shown", json_u64(run), "names", runs));
	exp = json_array();
	for (k = 0; k < cfg->nexpect; k++) {
		e = json_pack("{s:s, s:o}", "stat", cfg->expect[k].stat, "line",
		    json_u64(cfg->expect[k].line));
		if (cfg->expect[k].has_min)
			json_object_set_new(e, "min",
			    json_real(cfg->expect[k].min));
		if (cfg->expect[k].has_max)
			json_object_set_new(e, "max",
			    json_real(cfg->expect[k].max));
		json_array_append_new(exp, e);
	}
	json_object_set_new(root, "expect", exp);
	return (root);
}

/*
 * print_variants() - every variant of PG_VARIANTS(): its name, the
 * FreeBSD commit (or svn revision, or review) it comes from, what it
 * changes.  Returns the exit status.
 */
static int
print_variants(enum params_format format)
{
	json_t *root, *v;
	size_t i;

	if (format == FORMAT_TEXT) {
		for (i = 0; i < conf_variant_count(); i++)
			printf("%-22s %-14s %s\n", conf_variant_name(i),
			    conf_variant_commit(i), conf_variant_what(i));
		return (cli_flush_stdout());
	}
	root = json_array();
	for (i = 0; root != NULL && i < conf_variant_count(); i++) {
		v = json_pack("{s:s, s:s, s:s}", "name", conf_variant_name(i),
		    "commit", conf_variant_commit(i), "what",
		    conf_variant_what(i));
		if (v == NULL || json_array_append_new(root, v) != 0) {
			json_decref(root);
			root = NULL;
		}
	}
	if (root == NULL || json_dumpf(root, stdout, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) != 0) {
		json_decref(root);
		fputs("pgreplay: params: cannot write JSON\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	json_decref(root);
	fputc('\n', stdout);
	return (cli_flush_stdout());
}

int
cli_params(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "run", required_argument, NULL, 'r' },
		{ "variants", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum params_format format = FORMAT_TEXT;
	struct pg_config *base = NULL, *cfg = NULL;
	struct vm_layout *layout = NULL;
	const char *config = NULL;
	unsigned long long run = 0;
	struct pg_error err;
	json_t *root;
	char *end;
	bool variants = false;
	int ch, status = EXIT_BAD_INPUT;

	opterr = 0; /* cli_option_error() says what is wrong */
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":c:f:r:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (config != NULL) {
				cli_usage_error("params: --config given twice");
				return (EXIT_BAD_INPUT);
			}
			config = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = FORMAT_JSON;
			else {
				cli_usage_error("params: unknown format '%s' "
				    "(text or json)", optarg);
				return (EXIT_BAD_INPUT);
			}
			break;
		case 'r':
			errno = 0;
			run = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '\0' ||
			    optarg[0] == '-') {
				cli_usage_error("params: --run expects a run "
				    "number, got '%s'", optarg);
				return (EXIT_BAD_INPUT);
			}
			break;
		case 'V':
			variants = true;
			break;
		case 'h':
			fputs(params_usage, stdout);
			return (0);
		default:
			return (cli_option_error("params", ch, argv));
		}
	}
	if (optind < argc) {
		cli_usage_error("params: unexpected argument '%s'", argv[optind]);
		return (EXIT_BAD_INPUT);
	}
	if (variants) {
		if (config != NULL) {
			cli_usage_error("params: --variants takes no --config");
			return (EXIT_BAD_INPUT);
		}
		return (print_variants(format));
	}
	if (config == NULL) {
		cli_usage_error("params: --config FILE is required");
		return (EXIT_BAD_INPUT);
	}
	base = malloc(sizeof(*base));
	cfg = malloc(sizeof(*cfg));
	layout = malloc(sizeof(*layout));
	if (base == NULL || cfg == NULL || layout == NULL) {
		fputs("pgreplay: params: out of memory\n", stderr);
		goto out;
	}
	if (conf_load(config, base, &err) != 0) {
		cli_report_error(&err);
		goto out;
	}
	if (run >= conf_sweep_combinations(base)) {
		cli_usage_error("params: --run %llu: %s has %zu runs (0 to %zu)",
		    run, config, conf_sweep_combinations(base),
		    conf_sweep_combinations(base) - 1);
		goto out;
	}
	if (conf_apply_sweep(base, (size_t)run, cfg) != 0) {
		fputs("pgreplay: params: cannot expand the sweep\n", stderr);
		goto out;
	}
	vm_layout_compute(cfg, layout);
	if (format == FORMAT_JSON) {
		root = build_json(cfg, base, (size_t)run, layout);
		if (root == NULL || json_dumpf(root, stdout, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER) != 0) {
			json_decref(root);
			fputs("pgreplay: params: cannot write JSON\n", stderr);
			goto out;
		}
		json_decref(root);
		fputc('\n', stdout);
	} else {
		print_text(cfg, base, (size_t)run, layout);
	}
	status = cli_flush_stdout();
out:
	free(layout);
	free(cfg);
	free(base);
	return (status);
}
