/*
 * test_load.c - the configuration loader: defaults, every key, the unit
 * grammar, sweeps, expect, messages and hostile input.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/conf_int.h"
#include "util/suggest.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)
#define TIB (1024ull * GIB)

static int
load(const char *yaml, struct pg_config *cfg, struct pg_error *err)
{
	pg_error_clear(err);
	return (conf_load_string("t.yaml", yaml, strlen(yaml), cfg, err));
}

/* Load yaml, which must fail, and return the formatted message. */
static const char *
load_fail(const char *yaml)
{
	static char buf[1200];
	struct pg_config *cfg = malloc(sizeof(*cfg));
	struct pg_error err;
	int r;

	cr_assert_not_null(cfg);
	r = load(yaml, cfg, &err);
	free(cfg);
	cr_assert_neq(r, 0, "accepted: %s", yaml);
	return (pg_error_format(&err, buf, sizeof(buf)));
}

static void
load_ok(const char *yaml, struct pg_config *cfg)
{
	struct pg_error err;
	char buf[1200];

	cr_assert_eq(load(yaml, cfg, &err), 0, "%s", pg_error_format(&err,
	    buf, sizeof(buf)));
}

Test(defaults, match_interfaces_md)
{
	struct pg_config c;

	conf_defaults(&c);
	cr_assert_str_eq(c.name, "default");
	cr_assert_str_eq(c.path, "");
	cr_assert_eq(c.memory_bytes, 4 * GIB);
	cr_assert_eq(c.domains, 1);
	cr_assert_eq(c.swap_bytes, 8 * GIB);
	cr_assert_eq(c.kernel_wired_bytes, 64 * MIB);
	cr_assert_eq(c.kernel_cache_bytes, 0);
	cr_assert_eq(c.kernel_cache_release_ppm, 250000);
	cr_assert_eq(c.sysctl.hz, 1000);
	cr_assert_eq(c.sysctl.pageout_oom_seq, 12);
	cr_assert_eq(c.sysctl.act_scan_laundry_weight, 3);
	cr_assert_eq(c.sysctl.background_launder_rate, 4096);
	cr_assert_eq(c.sysctl.background_launder_max, 20480);
	cr_assert_eq(c.sysctl.pageout_update_period, 600);
	cr_assert_eq(c.sysctl.lowmem_period, 10);
	cr_assert_eq(c.sysctl.disable_swapspace_pageouts, 0);
	cr_assert_eq(c.sysctl.panic_on_oom, 0);
	cr_assert_eq(c.sysctl.swap_enabled, 1);
	cr_assert_eq(c.sysctl.swap_idle_enabled, 0);
	cr_assert_eq(c.swap_dev.latency_ns, 100000);
	cr_assert_eq(c.swap_dev.bandwidth_bps, GIB);
	cr_assert_eq(c.file_dev.latency_ns, 100000);
	cr_assert_eq(c.file_dev.bandwidth_bps, GIB);
	cr_assert_eq(c.scan_cost_per_scan_ns, 5000);
	cr_assert_eq(c.scan_cost_per_page_ns, 50);
	cr_assert_eq(c.oom_kill_delay_ns, 0);
	cr_assert_eq(c.laundry_last_target_init, 0);
	cr_assert_eq(c.drain_ns, 60000000000ull);
	cr_assert_eq(c.hirunningspace, 16 * MIB);
	cr_assert_eq(c.nsweep, 0);
	cr_assert_eq(c.nexpect, 0);
	cr_assert_eq(conf_check(&c, NULL), 0);
}

Test(defaults, empty_file_and_empty_sections)
{
	struct pg_config c, d;

	conf_defaults(&d);
	load_ok("", &c);
	cr_assert_eq(c.memory_bytes, d.memory_bytes);
	cr_assert_str_eq(c.name, "t");
	cr_assert_str_eq(c.path, "t.yaml");
	load_ok("# only a comment\n", &c);
	load_ok("sysctl:\nmachine:\nsweep:\nexpect:\n", &c);
	cr_assert_eq(c.sysctl.hz, 1000);
	cr_assert_eq(c.nsweep, 0);
	cr_assert_eq(c.nexpect, 0);
}

Test(defaults, name_from_file_name)
{
	struct pg_config c;
	struct pg_error e;

	cr_assert_eq(conf_load_string("dir/sub/base.line.yaml", "", 0, &c, &e),
	    0);
	cr_assert_str_eq(c.name, "base.line");
	cr_assert_eq(conf_load_string("noext", "", 0, &c, &e), 0);
	cr_assert_str_eq(c.name, "noext");
	cr_assert_eq(conf_load_string("dir/.hidden", "", 0, &c, &e), 0);
	cr_assert_str_eq(c.name, ".hidden");
	cr_assert_eq(conf_load_string("dir/", "", 0, &c, &e), 0);
	cr_assert_str_eq(c.name, "config");
}

/* Every key of interfaces.md §2 set to a non-default value. */
Test(keys, every_key_parsed)
{
	static const char yaml[] =
	    "name: every\n"
	    "machine:\n"
	    "  memory: 2GiB\n"
	    "  domains: 2\n"
	    "  swap: 1GiB\n"
	    "  kernel_wired: 32MiB\n"
	    "  kernel_cache:\n"
	    "    size: 128MiB\n"
	    "    lowmem_release: 12.5%\n"
	    "sysctl:\n"
	    "  kern.hz: 100\n"
	    "  vm.pageout_oom_seq: 48\n"
	    "  vm.act_scan_laundry_weight: 5\n"
	    "  vm.background_launder_rate: 1024\n"
	    "  vm.background_launder_max: 4096\n"
	    "  vm.pageout_update_period: 0\n"
	    "  vm.lowmem_period: 20\n"
	    "  vm.disable_swapspace_pageouts: 1\n"
	    "  vm.panic_on_oom: 1\n"
	    "  vm.swap_enabled: 0\n"
	    "  vm.swap_idle_enabled: 1\n"
	    "devices:\n"
	    "  swap: { latency: 2ms, bandwidth: 200MiB/s }\n"
	    "  file:\n"
	    "    latency: 1.5ms\n"
	    "    bandwidth: 500MB/s\n"
	    "sim:\n"
	    "  scan_cost: { per_scan: 10us, per_page: 0 }\n"
	    "  oom_kill_delay: 250ms\n"
	    "  laundry_last_target_init: -5\n"
	    "  drain: 2s\n"
	    "  hirunningspace: 4MiB\n";
	struct pg_config c;

	load_ok(yaml, &c);
	cr_assert_str_eq(c.name, "every");
	cr_assert_eq(c.memory_bytes, 2 * GIB);
	cr_assert_eq(c.domains, 2);
	cr_assert_eq(c.swap_bytes, GIB);
	cr_assert_eq(c.kernel_wired_bytes, 32 * MIB);
	cr_assert_eq(c.kernel_cache_bytes, 128 * MIB);
	cr_assert_eq(c.kernel_cache_release_ppm, 125000);
	cr_assert_eq(c.sysctl.hz, 100);
	cr_assert_eq(c.sysctl.pageout_oom_seq, 48);
	cr_assert_eq(c.sysctl.act_scan_laundry_weight, 5);
	cr_assert_eq(c.sysctl.background_launder_rate, 1024);
	cr_assert_eq(c.sysctl.background_launder_max, 4096);
	cr_assert_eq(c.sysctl.pageout_update_period, 0);
	cr_assert_eq(c.sysctl.lowmem_period, 20);
	cr_assert_eq(c.sysctl.disable_swapspace_pageouts, 1);
	cr_assert_eq(c.sysctl.panic_on_oom, 1);
	cr_assert_eq(c.sysctl.swap_enabled, 0);
	cr_assert_eq(c.sysctl.swap_idle_enabled, 1);
	cr_assert_eq(c.swap_dev.latency_ns, 2000000);
	cr_assert_eq(c.swap_dev.bandwidth_bps, 200 * MIB);
	cr_assert_eq(c.file_dev.latency_ns, 1500000);
	cr_assert_eq(c.file_dev.bandwidth_bps, 500000000);
	cr_assert_eq(c.scan_cost_per_scan_ns, 10000);
	cr_assert_eq(c.scan_cost_per_page_ns, 0);
	cr_assert_eq(c.oom_kill_delay_ns, 250000000);
	cr_assert_eq(c.laundry_last_target_init, -5);
	cr_assert_eq(c.drain_ns, 2000000000);
	cr_assert_eq(c.hirunningspace, 4 * MIB);
}

Test(keys, quoted_scalars_are_values)
{
	struct pg_config c;

	load_ok("sysctl:\n  \"kern.hz\": '250'\nname: \"a b\"\n", &c);
	cr_assert_eq(c.sysctl.hz, 250);
	cr_assert_str_eq(c.name, "a b");
}

/*
 * The table is written with enum conf_key_id designators: a key left out
 * would leave a zero entry (no path), and each index names its key.
 */
Test(keys, indices_name_their_keys)
{
	size_t i;

	cr_assert_eq(conf_nkeys, CONF_NKEYS);
	for (i = 0; i < CONF_NKEYS; i++) {
		cr_assert_not_null(conf_keys[i].d.path, "entry %zu", i);
		cr_assert_eq(conf_key_find(conf_keys[i].d.name, &(size_t){ 0 }),
		    0, "%s", conf_keys[i].d.path);
		cr_assert_eq(i >= CONF_SYSCTL_FIRST &&
		    i < CONF_SYSCTL_FIRST + CONF_SYSCTL_COUNT,
		    strncmp(conf_keys[i].d.path, "sysctl.", 7) == 0, "%s",
		    conf_keys[i].d.path);
	}
	cr_assert_str_eq(conf_keys[CK_MEMORY].d.path, "machine.memory");
	cr_assert_str_eq(conf_keys[CK_DOMAINS].d.path, "machine.domains");
	cr_assert_str_eq(conf_keys[CK_KERNEL_WIRED].d.path,
	    "machine.kernel_wired");
	cr_assert_str_eq(conf_keys[CK_KERNEL_CACHE].d.path,
	    "machine.kernel_cache.size");
	cr_assert_str_eq(conf_keys[CK_KERN_HZ].d.path, "sysctl.kern.hz");
	cr_assert_str_eq(conf_keys[CK_MODEL_VARIANTS].d.path,
	    "model.variants");
}

Test(keys, table_api)
{
	struct pg_config c;
	size_t i, idx;

	cr_assert_eq(conf_sysctl_count(), 11);
	cr_assert_str_eq(conf_sysctl_desc(0)->name, "kern.hz");
	cr_assert_str_eq(conf_sysctl_desc(1)->path, "sysctl.vm.pageout_oom_seq");
	cr_assert_null(conf_sysctl_desc(11));
	cr_assert_null(conf_key_desc(conf_key_count()));
	conf_defaults(&c);
	/* Every descriptor's default is what conf_defaults() stores. */
	for (i = 0; i < conf_key_count(); i++) {
		const struct conf_key_desc *d = conf_key_desc(i);

		cr_assert_eq(conf_key_get(&c, i), d->def, "%s", d->path);
		cr_assert(d->min <= d->def && d->def <= d->max, "%s", d->path);
		cr_assert_not_null(d->descr);
		cr_assert_not_null(d->seed);
	}
	cr_assert_eq(conf_key_find("vm.pageout_oom_seq", &idx), 0);
	cr_assert_eq(conf_key_find("sysctl.vm.pageout_oom_seq", &idx), 0);
	cr_assert_eq(conf_key_set(&c, idx, 48), 0);
	cr_assert_eq(c.sysctl.pageout_oom_seq, 48);
	cr_assert_eq(conf_sysctl_get(&c, 1), 48);
	cr_assert_eq(conf_sysctl_set(&c, 1, 0), -ERANGE);
	cr_assert_eq(c.sysctl.pageout_oom_seq, 48);
	cr_assert_eq(conf_sysctl_set(&c, 99, 0), -EINVAL);
	cr_assert_eq(conf_key_find("vm.nope", &idx), -ENOENT);
	cr_assert_eq(conf_key_find("machine.memory", &idx), 0);
	cr_assert_eq(conf_key_set(&c, idx, (int64_t)GIB + 1), -ERANGE);
	cr_assert_eq(conf_key_set(&c, idx, (int64_t)GIB), 0);
	cr_assert_eq(c.memory_bytes, GIB);
	/* background_launder_rate * 4096 must fit the kernel's u_int. */
	cr_assert_eq(conf_key_find("vm.background_launder_rate", &idx), 0);
	cr_assert_leq(conf_key_desc(idx)->max * 4096, (int64_t)UINT32_MAX);
	cr_assert_gt((conf_key_desc(idx)->max + 1) * 4096, (int64_t)UINT32_MAX);
	/* min_scan /= hz * vm.pageout_update_period is int arithmetic. */
	cr_assert_leq(conf_sysctl_desc(0)->max * conf_sysctl_desc(5)->max,
	    (int64_t)INT32_MAX);
	cr_assert_str_eq(conf_sysctl_desc(5)->name, "vm.pageout_update_period");
	/* hz / 10 >= 1 tick. */
	cr_assert_geq(conf_sysctl_desc(0)->min / 10, 1);
}

Test(units, sizes)
{
	uint64_t v;

	cr_assert_eq(conf_parse_size("0", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(conf_parse_size("4096", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 4096);
	cr_assert_eq(conf_parse_size("4096B", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 4096);
	cr_assert_eq(conf_parse_size("1KiB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, KIB);
	cr_assert_eq(conf_parse_size("1.5 MiB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 3 * 512 * KIB);
	cr_assert_eq(conf_parse_size("4GiB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 4 * GIB);
	cr_assert_eq(conf_parse_size("1TiB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, TIB);
	cr_assert_eq(conf_parse_size("0.5KiB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 512);
	cr_assert_eq(conf_parse_size("0.001953125KiB", &v, NULL),
	    CONF_PARSE_OK);
	cr_assert_eq(v, 2);
	cr_assert_eq(conf_parse_size("500MB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 500000000);
	cr_assert_eq(conf_parse_size("2kB", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 2000);
	cr_assert_eq(conf_parse_size("1.5B", &v, NULL), CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_size("0.1KiB", &v, NULL), CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_size("1.0000000001GiB", &v, NULL),
	    CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_size("-1", &v, NULL), CONF_PARSE_NEGATIVE);
	cr_assert_eq(conf_parse_size("+1", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_size("", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_size("GiB", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_size("1.", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_size(".5KiB", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_size("1e3", &v, NULL), CONF_PARSE_UNIT);
	cr_assert_eq(conf_parse_size("4gib", &v, NULL), CONF_PARSE_UNIT);
	cr_assert_eq(conf_parse_size("18446744073709551615", &v, NULL),
	    CONF_PARSE_OK);
	cr_assert_eq(v, UINT64_MAX);
	cr_assert_eq(conf_parse_size("18446744073709551616", &v, NULL),
	    CONF_PARSE_OVERFLOW);
	cr_assert_eq(conf_parse_size("16777216TiB", &v, NULL),
	    CONF_PARSE_OVERFLOW);
	cr_assert_eq(conf_parse_size("16777215.5TiB", &v, NULL),
	    CONF_PARSE_OK);
}

Test(units, size_unit_is_reported)
{
	const char *u = NULL;
	uint64_t v;

	cr_assert_eq(conf_parse_size("4 XB", &v, &u), CONF_PARSE_UNIT);
	cr_assert_str_eq(u, "XB");
}

Test(units, durations_exact_to_the_ns)
{
	uint64_t v;

	cr_assert_eq(conf_parse_duration("0", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(conf_parse_duration("0s", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(conf_parse_duration("1.5ms", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 1500000);
	cr_assert_eq(conf_parse_duration("0.000000001s", &v, NULL),
	    CONF_PARSE_OK);
	cr_assert_eq(v, 1);
	cr_assert_eq(conf_parse_duration("12.000000123s", &v, NULL),
	    CONF_PARSE_OK);
	cr_assert_eq(v, 12000000123ull);
	cr_assert_eq(conf_parse_duration("100us", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 100000);
	cr_assert_eq(conf_parse_duration("50ns", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 50);
	cr_assert_eq(conf_parse_duration("0.1ns", &v, NULL),
	    CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_duration("0.0000000001s", &v, NULL),
	    CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_duration("5", &v, NULL), CONF_PARSE_NO_UNIT);
	cr_assert_eq(conf_parse_duration("5m", &v, NULL), CONF_PARSE_UNIT);
	cr_assert_eq(conf_parse_duration("-1s", &v, NULL),
	    CONF_PARSE_NEGATIVE);
}

Test(units, percentages_in_ppm)
{
	uint64_t v;

	cr_assert_eq(conf_parse_percent("25%", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 250000);
	cr_assert_eq(conf_parse_percent("0%", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(conf_parse_percent("100%", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 1000000);
	cr_assert_eq(conf_parse_percent("0.0001%", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 1);
	cr_assert_eq(conf_parse_percent("0.00001%", &v, NULL),
	    CONF_PARSE_FRACTION);
	cr_assert_eq(conf_parse_percent("0.25", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_percent("-5%", &v, NULL), CONF_PARSE_NEGATIVE);
	cr_assert_eq(conf_parse_percent("%", &v, NULL), CONF_PARSE_SYNTAX);
}

Test(units, bandwidths)
{
	uint64_t v;
	const char *u;

	cr_assert_eq(conf_parse_bandwidth("1GiB/s", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, GIB);
	cr_assert_eq(conf_parse_bandwidth("500MB/s", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 500000000);
	cr_assert_eq(conf_parse_bandwidth("4096/s", &v, NULL), CONF_PARSE_OK);
	cr_assert_eq(v, 4096);
	cr_assert_eq(conf_parse_bandwidth("1GiB", &v, NULL), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_bandwidth("1Gb/s", &v, &u), CONF_PARSE_UNIT);
	cr_assert_str_eq(u, "Gb/s");
}

Test(units, integers)
{
	int64_t v;

	cr_assert_eq(conf_parse_int("-2147483648", &v), CONF_PARSE_OK);
	cr_assert_eq(v, INT32_MIN);
	cr_assert_eq(conf_parse_int("9223372036854775807", &v), CONF_PARSE_OK);
	cr_assert_eq(v, INT64_MAX);
	cr_assert_eq(conf_parse_int("-9223372036854775808", &v),
	    CONF_PARSE_OK);
	cr_assert_eq(v, INT64_MIN);
	cr_assert_eq(conf_parse_int("9223372036854775808", &v),
	    CONF_PARSE_OVERFLOW);
	cr_assert_eq(conf_parse_int("12abc", &v), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_int("1.0", &v), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_int("0x10", &v), CONF_PARSE_SYNTAX);
	cr_assert_eq(conf_parse_int("-", &v), CONF_PARSE_SYNTAX);
}

Test(units, format_round_trips)
{
	char buf[32];

	cr_assert_str_eq(conf_format_value(CONF_SIZE, (int64_t)(4 * GIB), buf,
	    sizeof(buf)), "4GiB");
	cr_assert_str_eq(conf_format_value(CONF_SIZE, 1536, buf, sizeof(buf)),
	    "1536B");
	cr_assert_str_eq(conf_format_value(CONF_SIZE, 0, buf, sizeof(buf)),
	    "0");
	cr_assert_str_eq(conf_format_value(CONF_DURATION, 1500000, buf,
	    sizeof(buf)), "1500us");
	cr_assert_str_eq(conf_format_value(CONF_DURATION, 0, buf, sizeof(buf)),
	    "0s");
	cr_assert_str_eq(conf_format_value(CONF_PERCENT, 125000, buf,
	    sizeof(buf)), "12.5%");
	cr_assert_str_eq(conf_format_value(CONF_PERCENT, 1, buf, sizeof(buf)),
	    "0.0001%");
	cr_assert_str_eq(conf_format_value(CONF_BANDWIDTH, (int64_t)GIB, buf,
	    sizeof(buf)), "1GiB/s");
	cr_assert_str_eq(conf_format_value(CONF_INT, -7, buf, sizeof(buf)),
	    "-7");
}

Test(units, memory_limits_through_yaml)
{
	struct pg_config c;

	load_ok("machine: { memory: 4MiB, kernel_wired: 0 }\n", &c);
	cr_assert_eq(c.memory_bytes, 4 * MIB);
	cr_assert_str_eq(load_fail("machine: { memory: 4092KiB }\n"),
	    "t.yaml:1: key 'machine.memory': expected a size from 4MiB to "
	    "1TiB, got \"4092KiB\"");
	cr_assert_str_eq(load_fail("machine: { memory: 1GB }\n"),
	    "t.yaml:1: key 'machine.memory': expected a multiple of the page "
	    "size (4KiB), got \"1GB\"");
	cr_assert_str_eq(load_fail("machine:\n  swap: 1.5KiB\n"),
	    "t.yaml:2: key 'machine.swap': expected a multiple of the page "
	    "size (4KiB), got \"1.5KiB\"");
	/* kernel_wired need not be page-aligned: it is rounded up. */
	load_ok("machine:\n  kernel_wired: 1000\n", &c);
	cr_assert_eq(c.kernel_wired_bytes, 1000);
}

Test(messages, did_you_mean)
{
	cr_assert_str_eq(load_fail("sysctl:\n  vm.pagout_oom_seq: 3\n"),
	    "t.yaml:2: unknown key 'sysctl.vm.pagout_oom_seq' (did you mean "
	    "'vm.pageout_oom_seq'?)");
	cr_assert_str_eq(load_fail("machine:\n  memroy: 1GiB\n"),
	    "t.yaml:2: unknown key 'machine.memroy' (did you mean 'memory'?)");
	cr_assert_str_eq(load_fail("sim:\n  scan_cost:\n    per_pages: 1ns\n"),
	    "t.yaml:3: unknown key 'sim.scan_cost.per_pages' (did you mean "
	    "'per_page'?)");
	cr_assert_str_eq(load_fail("expct: {}\n"),
	    "t.yaml:1: unknown key 'expct' (did you mean 'expect'?)");
	/* Nothing close: no suggestion. */
	cr_assert_str_eq(load_fail("zzz: 1\n"), "t.yaml:1: unknown key 'zzz'");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: { maxx: 0 }\n"),
	    "t.yaml:2: unknown key 'expect.oom_kills.maxx' (did you mean "
	    "'max'?)");
}

Test(messages, edit_distance)
{
	const char *c[] = { "memory", "domains", "swap" };

	cr_assert_eq(pg_edit_distance("", ""), 0);
	cr_assert_eq(pg_edit_distance("abc", "abc"), 0);
	cr_assert_eq(pg_edit_distance("memroy", "memory"), 1);
	cr_assert_eq(pg_edit_distance("kitten", "sitting"), 3);
	cr_assert_eq(pg_suggest("swpa", c, 3), c[2]);
	cr_assert_null(pg_suggest("x", c, 3));
	cr_assert_null(pg_suggest("completely_unrelated", c, 3));
}

Test(messages, values)
{
	cr_assert_str_eq(load_fail("sysctl:\n  vm.pageout_oom_seq: abc\n"),
	    "t.yaml:2: key 'sysctl.vm.pageout_oom_seq': expected an integer "
	    "from 1 to 1000000, got \"abc\"");
	cr_assert_str_eq(load_fail("sysctl:\n  vm.panic_on_oom: 2\n"),
	    "t.yaml:2: key 'sysctl.vm.panic_on_oom': expected 0 or 1, got "
	    "\"2\"");
	cr_assert_str_eq(load_fail("sysctl:\n  kern.hz: 9\n"),
	    "t.yaml:2: key 'sysctl.kern.hz': expected an integer from 10 to "
	    "10000, got \"9\"");
	cr_assert_str_eq(load_fail("sysctl:\n  kern.hz:\n"),
	    "t.yaml:2: key 'sysctl.kern.hz': expected an integer from 10 to "
	    "10000, got an empty value");
	cr_assert_str_eq(load_fail("sim:\n  drain: [1s]\n"),
	    "t.yaml:2: key 'sim.drain': expected a duration from 0s to 86400s, "
	    "got a list");
	cr_assert_str_eq(load_fail("sim:\n  hirunningspace: 512KiB\n"),
	    "t.yaml:2: key 'sim.hirunningspace': expected a size from 1MiB to "
	    "1GiB, got \"512KiB\"");
	cr_assert_str_eq(load_fail("sim:\n  scan_cost: { per_scan: 0 }\n"),
	    "t.yaml:2: key 'sim.scan_cost.per_scan': expected a duration from "
	    "1ns to 1s, got \"0\"");
	cr_assert_str_eq(load_fail("name: \"\"\n"),
	    "t.yaml:1: key 'name': expected a name of 1 to 127 printable "
	    "characters, got \"\"");
	cr_assert_str_eq(load_fail("sysctl:\n  kern.hz: \"1\\x002\"\n"),
	    "t.yaml:2: key 'sysctl.kern.hz': expected an integer from 10 to "
	    "10000, got a value with a NUL byte");
}

Test(messages, structure)
{
	cr_assert_str_eq(load_fail("- a\n- b\n"),
	    "t.yaml:1: expected a mapping of sections at the top level, got a "
	    "list");
	cr_assert_str_eq(load_fail("machine: 4GiB\n"),
	    "t.yaml:1: key 'machine': expected a mapping, got a scalar");
	cr_assert_str_eq(load_fail("sysctl:\n  kern.hz: 100\n  kern.hz: 200\n"),
	    "t.yaml:3: duplicate key 'sysctl.kern.hz' (first set at line 2)");
	cr_assert_str_eq(load_fail("? [a]\n: 1\n"),
	    "t.yaml:1: key '(top level)': expected a key name, got a list");
	cr_assert_str_eq(load_fail("a: 1\n---\nb: 2\n"),
	    "t.yaml:2: expected one YAML document, found a second one");
	cr_assert_str_eq(load_fail("x: &a 1\ny: *a\n"),
	    "t.yaml:2: YAML aliases are not supported");
	cr_assert_str_eq(load_fail("machine:\n  memory: [1\n"),
	    "t.yaml:3: invalid YAML: did not find expected ',' or ']' (while "
	    "parsing a flow sequence at line 2)");
}

Test(messages, cross_field)
{
	cr_assert_str_eq(load_fail("machine:\n  memory: 4MiB\n  domains: 2\n"),
	    "t.yaml:3: key 'machine.memory': 4MiB in 2 domains gives 512 pages "
	    "per domain, the model needs at least 1024");
	cr_assert_str_eq(load_fail("machine:\n  memory: 8MiB\n  kernel_wired: "
	    "8000KiB\n"),
	    "t.yaml:3: key 'machine.kernel_wired': kernel_wired 8000KiB and "
	    "kernel_cache.size 0 leave 48 free pages in domain 0 of 2048 "
	    "pages, the model needs more than its free_target (104)");
	cr_assert_str_eq(load_fail("machine:\n  memory: 8MiB\n  kernel_wired: 0"
	    "\n  kernel_cache: { size: 9MiB }\n"),
	    "t.yaml:4: key 'machine.kernel_wired': kernel_wired 0 and "
	    "kernel_cache.size 9MiB leave 0 free pages in domain 0 of 2048 "
	    "pages, the model needs more than its free_target (104)");
}

Test(sweep, expansion_order_and_names)
{
	static const char yaml[] =
	    "name: base\n"
	    "sweep:\n"
	    "  vm.pageout_oom_seq: [12, 48]\n"
	    "  machine.memory: [1GiB, 2GiB, 512MiB]\n"
	    "  sysctl.kern.hz: [100]\n";
	struct pg_config c, o;
	size_t k;

	load_ok(yaml, &c);
	cr_assert_eq(c.nsweep, 3);
	cr_assert_str_eq(c.sweep[2].key, "kern.hz");
	cr_assert_eq(c.sweep[0].line, 3);
	cr_assert_eq(conf_sweep_combinations(&c), 6);
	cr_assert_eq(conf_apply_sweep(&c, 0, &o), 0);
	cr_assert_str_eq(o.name,
	    "base[vm.pageout_oom_seq=12,machine.memory=1GiB,kern.hz=100]");
	cr_assert_eq(o.sysctl.pageout_oom_seq, 12);
	cr_assert_eq(o.memory_bytes, GIB);
	cr_assert_eq(o.sysctl.hz, 100);
	cr_assert_eq(o.nsweep, 0);
	/* The first key varies slowest. */
	cr_assert_eq(conf_apply_sweep(&c, 2, &o), 0);
	cr_assert_eq(o.sysctl.pageout_oom_seq, 12);
	cr_assert_eq(o.memory_bytes, 512 * MIB);
	cr_assert_eq(conf_apply_sweep(&c, 3, &o), 0);
	cr_assert_eq(o.sysctl.pageout_oom_seq, 48);
	cr_assert_eq(o.memory_bytes, GIB);
	cr_assert_str_eq(o.name,
	    "base[vm.pageout_oom_seq=48,machine.memory=1GiB,kern.hz=100]");
	for (k = 0; k < 6; k++) {
		cr_assert_eq(conf_apply_sweep(&c, k, &o), 0);
		cr_assert_eq(conf_check(&o, NULL), 0);
	}
	cr_assert_eq(conf_apply_sweep(&c, 6, &o), -ERANGE);
}

Test(sweep, none_is_one_run)
{
	struct pg_config c, o;

	load_ok("name: solo\n", &c);
	cr_assert_eq(conf_sweep_combinations(&c), 1);
	cr_assert_eq(conf_apply_sweep(&c, 0, &o), 0);
	cr_assert_str_eq(o.name, "solo");
	cr_assert_eq(memcmp(&c, &o, sizeof(c)), 0);
	cr_assert_eq(conf_apply_sweep(&c, 1, &o), -ERANGE);
}

Test(sweep, limits_and_errors)
{
	char yaml[4096];
	size_t o;
	int i;

	cr_assert_str_eq(load_fail("sweep:\n  vm.pagout_oom_seq: [1]\n"),
	    "t.yaml:2: unknown key 'sweep.vm.pagout_oom_seq' (did you mean "
	    "'vm.pageout_oom_seq'?)");
	cr_assert_str_eq(load_fail("sweep:\n  vm.pageout_oom_seq: [1, 0]\n"),
	    "t.yaml:2: key 'sweep.vm.pageout_oom_seq': expected an integer "
	    "from 1 to 1000000, got \"0\"");
	cr_assert_str_eq(load_fail("sweep:\n  vm.pageout_oom_seq: 12\n"),
	    "t.yaml:2: key 'sweep.vm.pageout_oom_seq': expected a list of 1 to "
	    "64 values, got a scalar");
	cr_assert_str_eq(load_fail("sweep:\n  vm.pageout_oom_seq: []\n"),
	    "t.yaml:2: key 'sweep.vm.pageout_oom_seq': expected a list of 1 to "
	    "64 values, got an empty list");
	cr_assert_str_eq(load_fail("sweep:\n  vm.pageout_oom_seq: [1, 2, 1]\n"),
	    "t.yaml:2: key 'sweep.vm.pageout_oom_seq': value \"1\" is listed "
	    "twice");
	cr_assert_str_eq(load_fail("sweep:\n  kern.hz: [100]\n"
	    "  sysctl.kern.hz: [200]\n"),
	    "t.yaml:3: duplicate key 'sweep.sysctl.kern.hz' (first set at line "
	    "2)");
	/* 16 x 16 x 16 = 4096 runs are allowed, one more key doubling is not. */
	o = (size_t)snprintf(yaml, sizeof(yaml), "sweep:\n");
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
	    "  vm.pageout_oom_seq: [");
	for (i = 1; i <= 16; i++)
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "%s%d",
		    i > 1 ? ", " : "", i);
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "]\n"
	    "  vm.lowmem_period: [");
	for (i = 1; i <= 16; i++)
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "%s%d",
		    i > 1 ? ", " : "", i);
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "]\n"
	    "  vm.act_scan_laundry_weight: [");
	for (i = 1; i <= 16; i++)
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "%s%d",
		    i > 1 ? ", " : "", i);
	o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "]\n");
	{
		struct pg_config c;

		load_ok(yaml, &c);
		cr_assert_eq(conf_sweep_combinations(&c), 4096);
	}
	snprintf(yaml + o, sizeof(yaml) - o, "  vm.panic_on_oom: [0, 1]\n");
	cr_assert_str_eq(load_fail(yaml),
	    "t.yaml:5: key 'sweep': expands to more than 4096 runs");
}

/* Every run of a sweep is validated, the base alone is not. */
Test(sweep, every_run_is_checked)
{
	struct pg_config c;

	load_ok("machine: { memory: 4MiB, kernel_wired: 0 }\n"
	    "sweep:\n  machine.memory: [8MiB, 16MiB]\n  machine.domains: [1, 2]\n",
	    &c);
	cr_assert_eq(conf_sweep_combinations(&c), 4);
	cr_assert_str_eq(load_fail("machine: { kernel_wired: 0 }\nsweep:\n"
	    "  machine.memory: [8MiB, 4MiB]\n  machine.domains: [1, 2]\n"),
	    "t.yaml:4: sweep run t[machine.memory=4MiB,machine.domains=2]: key "
	    "'machine.memory': 4MiB in 2 domains gives 512 pages per domain, "
	    "the model needs at least 1024");
}

Test(expect, parsed_with_lines)
{
	static const char yaml[] =
	    "expect:\n"
	    "  oom_kills: { max: 0 }\n"
	    "  stall_time_s: { min: -1.5, max: 2.0 }\n"
	    "  v_pdwakeups:\n"
	    "    min: 1e3\n";
	struct pg_config c;

	load_ok(yaml, &c);
	cr_assert_eq(c.nexpect, 3);
	cr_assert_str_eq(c.expect[0].stat, "oom_kills");
	cr_assert(!c.expect[0].has_min);
	cr_assert(c.expect[0].has_max);
	cr_assert_float_eq(c.expect[0].max, 0.0, 1e-12);
	cr_assert_eq(c.expect[0].line, 2);
	cr_assert(c.expect[1].has_min && c.expect[1].has_max);
	cr_assert_float_eq(c.expect[1].min, -1.5, 1e-12);
	cr_assert_float_eq(c.expect[1].max, 2.0, 1e-12);
	cr_assert_eq(c.expect[2].line, 4);
	cr_assert_float_eq(c.expect[2].min, 1000.0, 1e-9);
	cr_assert(!c.expect[2].has_max);
}

Test(expect, errors)
{
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: {}\n"),
	    "t.yaml:2: key 'expect.oom_kills': expected at least one of min, "
	    "max and tolerance");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills:\n"),
	    "t.yaml:2: key 'expect.oom_kills': expected at least one of min, "
	    "max and tolerance");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: { max: lots }\n"),
	    "t.yaml:2: key 'expect.oom_kills.max': expected a number, got "
	    "\"lots\"");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: { max: .nan }\n"),
	    "t.yaml:2: key 'expect.oom_kills.max': expected a number, got "
	    "\".nan\"");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: { max: 1e999 }\n"),
	    "t.yaml:2: key 'expect.oom_kills.max': expected a number, got "
	    "\"1e999\"");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: { min: 3, max: 2 }\n"),
	    "t.yaml:2: key 'expect.oom_kills': min 3 is greater than max 2");
	cr_assert_str_eq(load_fail("expect:\n  oom_kills: 0\n"),
	    "t.yaml:2: key 'expect.oom_kills': expected a mapping with min "
	    "and/or max, got a scalar");
	cr_assert_str_eq(load_fail("expect:\n  \"oom kills\": { max: 0 }\n"),
	    "t.yaml:2: key 'expect': expected a statistic name (letters, "
	    "digits, '_' and '.', at most 63), got \"oom kills\"");
	cr_assert_str_eq(load_fail("expect:\n  a: { max: 0 }\n  a: { max: 1 }\n"),
	    "t.yaml:3: duplicate key 'expect.a' (first set at line 2)");
	cr_assert_str_eq(load_fail("expect: [oom_kills]\n"),
	    "t.yaml:1: key 'expect': expected a mapping of statistics to "
	    "bounds, got a list");
}

Test(hostile, file_too_large)
{
	size_t n = CONF_FILE_MAX + 1;
	char *big = malloc(n);
	struct pg_config c;
	struct pg_error e;

	cr_assert_not_null(big);
	memset(big, '#', n);
	cr_assert_eq(conf_load_string("big.yaml", big, n, &c, &e), -EFBIG);
	cr_assert_str_eq(e.msg, "configuration larger than 1048576 bytes");
	free(big);
}

Test(hostile, deep_nesting)
{
	char yaml[4096];
	size_t i;

	for (i = 0; i < 1000; i++)
		yaml[i] = '[';
	yaml[i] = '\0';
	cr_assert_str_eq(load_fail(yaml),
	    "t.yaml:1: nesting deeper than 8 levels");
}

Test(hostile, long_and_binary_keys)
{
	char yaml[600];
	const char *msg;

	memset(yaml, 'k', 500);
	memcpy(yaml + 500, ": 1\n", 5);
	msg = load_fail(yaml);
	cr_assert(strstr(msg, "unknown key 'kkkk") != NULL, "%s", msg);
	cr_assert(strlen(msg) < 200, "%s", msg);
	msg = load_fail("sysctl:\n  \"kern.hz\\t\": 1\n");
	cr_assert_str_eq(msg, "t.yaml:2: unknown key 'sysctl.kern.hz?' (did you "
	    "mean 'kern.hz'?)");
	msg = load_fail("name: \"\\xff\\xfe\"\n\xff\n");
	cr_assert(strstr(msg, "invalid YAML") != NULL, "%s", msg);
}

Test(hostile, many_expect_keys)
{
	char *yaml = malloc(65536);
	size_t o = 0;
	int i;

	cr_assert_not_null(yaml);
	o += (size_t)snprintf(yaml, 65536, "expect:\n");
	for (i = 0; i < 65; i++)
		o += (size_t)snprintf(yaml + o, 65536 - o, "  s%d: { max: 1 }\n",
		    i);
	cr_assert_str_eq(load_fail(yaml),
	    "t.yaml:66: key 'expect': more than 64 statistics");
	free(yaml);
}

Test(files, load_from_disk_and_missing)
{
	struct pg_config c;
	struct pg_error e;
	char buf[1200];

	cr_assert_eq(conf_load("/nonexistent/x.yaml", &c, &e), -ENOENT);
	cr_assert_str_eq(pg_error_format(&e, buf, sizeof(buf)),
	    "/nonexistent/x.yaml: cannot open: No such file or directory");
}

/* The example configurations under configs/ must load. */
Test(files, examples_load)
{
	static const char *const names[] = { "default.yaml", "small-vm.yaml",
	    "numa-sweep.yaml" };
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	char path[1024], buf[1200];
	struct pg_config c, d;
	struct pg_error e;
	size_t i;

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT not set");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/configs/%s", root, names[i]);
		cr_assert_eq(conf_load(path, &c, &e), 0, "%s",
		    pg_error_format(&e, buf, sizeof(buf)));
	}
	/* default.yaml spells out exactly the defaults. */
	snprintf(path, sizeof(path), "%s/configs/default.yaml", root);
	cr_assert_eq(conf_load(path, &c, &e), 0);
	conf_defaults(&d);
	for (i = 0; i < conf_key_count(); i++)
		cr_assert_eq(conf_key_get(&c, i), conf_key_get(&d, i), "%s",
		    conf_key_desc(i)->path);
	cr_assert_eq(c.nsweep, 0);
}

/* ---- model.variants, sim.lock_miss, sim.seed ---- */

Test(variants, list_gives_flags_and_none_is_the_seed)
{
	struct pg_config c;
	char buf[CONF_VARIANTS_TEXT_MAX];
	size_t idx;

	conf_defaults(&c);
	cr_assert_eq(c.model_variants, 0);
	load_ok("model:\n  variants: [oom-instant-shortage, pidctrl-2018-06]\n",
	    &c);
	cr_assert_eq(c.model_variants, PG_VARIANT(PIDCTRL_2018_06) |
	    PG_VARIANT(OOM_INSTANT_SHORTAGE));
	/* Written in bit order, whatever the order in the file. */
	cr_assert_str_eq(conf_format_value(CONF_VARIANTS, c.model_variants,
	    buf, sizeof(buf)), "pidctrl-2018-06+oom-instant-shortage");
	cr_assert_str_eq(conf_format_value(CONF_VARIANTS, 0, buf,
	    sizeof(buf)), "none");
	load_ok("model:\n  variants: []\n", &c);
	cr_assert_eq(c.model_variants, 0);
	load_ok("model:\n  variants:\n", &c);
	cr_assert_eq(c.model_variants, 0);
	/* The table names every variant once, and the key knows them all. */
	cr_assert_eq(conf_variant_count(), PG_VARIANT_COUNT);
	cr_assert_str_eq(conf_variant_name(PG_VARIANT_BIT_ACTIVE_TARGET),
	    "active-target");
	cr_assert_null(conf_variant_name(PG_VARIANT_COUNT));
	cr_assert_eq(conf_key_find("model.variants", &idx), 0);
	cr_assert_eq(conf_key_desc(idx)->max, (int64_t)PG_VARIANTS_ALL);
	cr_assert_eq(conf_key_set(&c, idx, PG_VARIANTS_ALL + 1), -ERANGE);
}

Test(variants, refused_with_a_suggestion)
{
	cr_assert_str_eq(load_fail("model:\n  variants: [active-targt]\n"),
	    "t.yaml:2: key 'model.variants': unknown variant 'active-targt' "
	    "(did you mean 'active-target'?)");
	cr_assert_str_eq(load_fail("model:\n  variants:\n    - [a]\n"),
	    "t.yaml:3: key 'model.variants': expected a variant name, got a "
	    "list");
	cr_assert_str_eq(load_fail("model:\n  variant: []\n"),
	    "t.yaml:2: unknown key 'model.variant' (did you mean "
	    "'variants'?)");
	cr_assert_str_eq(load_fail("modle:\n  variants: []\n"),
	    "t.yaml:1: unknown key 'modle' (did you mean 'model'?)");
}

Test(variants, sweep_runs_the_seed_beside_each_variant)
{
	struct pg_config c, run;

	load_ok("name: hog\nsweep:\n  model.variants: [[], [pidctrl-2018-06],"
	    " [active-target, oom-instant-shortage]]\n  vm.pageout_oom_seq: "
	    "[12, 24]\n", &c);
	cr_assert_eq(conf_sweep_combinations(&c), 6);
	cr_assert_eq(conf_apply_sweep(&c, 0, &run), 0);
	cr_assert_eq(run.model_variants, 0);
	cr_assert_str_eq(run.name, "hog[model.variants=none,"
	    "vm.pageout_oom_seq=12]");
	cr_assert_eq(conf_apply_sweep(&c, 3, &run), 0);
	cr_assert_eq(run.model_variants, PG_VARIANT(PIDCTRL_2018_06));
	cr_assert_eq(run.sysctl.pageout_oom_seq, 24);
	cr_assert_eq(conf_apply_sweep(&c, 4, &run), 0);
	cr_assert_eq(run.model_variants, PG_VARIANT(ACTIVE_TARGET) |
	    PG_VARIANT(OOM_INSTANT_SHORTAGE));
	cr_assert_str_eq(run.name, "hog[model.variants=active-target+"
	    "oom-instant-shortage,vm.pageout_oom_seq=12]");
	cr_assert_str_eq(load_fail("sweep:\n  model.variants: [[], []]\n"),
	    "t.yaml:2: key 'sweep.model.variants': value [none] is listed "
	    "twice");
}

Test(variants, lock_miss_and_seed_keys)
{
	struct pg_config c;

	conf_defaults(&c);
	cr_assert_eq(c.lock_miss_ppm, 0);
	cr_assert_eq(c.seed, 1);
	load_ok("sim:\n  lock_miss: 0.5%\n  seed: 12345\n", &c);
	cr_assert_eq(c.lock_miss_ppm, 5000);
	cr_assert_eq(c.seed, 12345);
	load_ok("sweep:\n  sim.lock_miss: [0%, 10%, 100%]\n", &c);
	cr_assert_eq(conf_sweep_combinations(&c), 3);
}
