/*
 * test_thresholds.c - the per-domain thresholds of spec section 3 as the
 * configuration lays memory out: the worked table of spec §3.1, the
 * two-domain example, the fc0/3 cap (review D22), and suite spec13 pinning
 * the threshold facts 1-6 of spec §13.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "vm/thresholds.h"

/* A one-domain machine of pc pages with no kernel memory: fc0 == pc. */
static void
layout_pages(uint64_t pc, uint32_t domains, struct vm_layout *l)
{
	struct pg_config cfg;
	struct pg_error err;

	conf_defaults(&cfg);
	cfg.memory_bytes = pc * PG_PAGE_SIZE;
	cfg.domains = domains;
	cfg.kernel_wired_bytes = 0;
	cr_assert_eq(conf_check(&cfg, &err), 0, "%s", err.msg);
	vm_layout_compute(&cfg, l);
}

struct row {
	uint32_t pc, ppc, fm0, pageout_free_min, free_reserved, free_min;
	uint32_t free_severe, free_target, inactive_target, cap, wakeup;
	uint32_t bg_target, ft_minus_fm;
	int32_t pid_bound;
};

/* Spec §3.1, every column, with fc0 = pc. */
static void
check_row(const struct row *r)
{
	struct vm_layout l;
	const struct vm_thresholds *t;

	layout_pages(r->pc, 1, &l);
	t = &l.th[0];
	cr_assert_eq(l.ppc, r->ppc, "pc %u: ppc", r->pc);
	cr_assert_eq(t->page_count, r->pc);
	cr_assert_eq(t->free_count_init, r->pc);
	cr_assert_eq(t->fm0, r->fm0, "pc %u: fm0 %u", r->pc, t->fm0);
	cr_assert_eq(t->interrupt_free_min, 2);
	cr_assert_eq(t->pageout_free_min, r->pageout_free_min);
	cr_assert_eq(t->free_reserved, r->free_reserved, "pc %u: reserved %u",
	    r->pc, t->free_reserved);
	cr_assert_eq(t->free_min, r->free_min, "pc %u", r->pc);
	cr_assert_eq(t->free_severe, r->free_severe, "pc %u", r->pc);
	cr_assert_eq(t->free_target, r->free_target, "pc %u", r->pc);
	cr_assert_eq(t->inactive_target, r->inactive_target, "pc %u", r->pc);
	cr_assert_eq(t->free_count_init / 3, r->cap, "pc %u", r->pc);
	cr_assert_eq(t->pageout_wakeup_thresh, r->wakeup, "pc %u", r->pc);
	cr_assert_eq(t->background_launder_target, r->bg_target, "pc %u",
	    r->pc);
	cr_assert_eq(t->free_target - t->free_min, r->ft_minus_fm);
	cr_assert_eq(t->pid_bound, r->pid_bound, "pc %u", r->pc);
	cr_assert_eq(t->pid_setpoint, (int32_t)r->free_target);
	cr_assert_eq(t->pid_interval, 100);
	/* The ordering spec §3 states for every row. */
	cr_assert(t->interrupt_free_min < t->pageout_free_min);
	cr_assert(t->pageout_free_min < t->free_reserved);
	cr_assert(t->free_reserved < t->free_severe);
	cr_assert(t->free_severe < t->free_min);
	cr_assert(t->free_min < t->pageout_wakeup_thresh);
	cr_assert(t->pageout_wakeup_thresh < t->free_target);
	cr_assert(t->free_target < t->inactive_target);
	/* One domain: the global sums are the domain's values. */
	cr_assert_eq(l.v_free_target, t->free_target);
	cr_assert_eq(l.v_free_min, t->free_min);
	cr_assert_eq(l.v_free_reserved, t->free_reserved);
	cr_assert_eq(l.v_free_severe, t->free_severe);
	cr_assert_eq(l.v_inactive_target, t->inactive_target);
	cr_assert_eq(l.v_pageout_free_min, 34);
	cr_assert_eq(l.v_interrupt_free_min, 2);
}

Test(table, row_1500)
{
	struct row r = { 1500, 8, 6, 34, 43, 49, 46, 67, 100, 500, 54, 1, 18,
	    1072 };

	check_row(&r);
}

Test(table, row_4096)
{
	struct row r = { 4096, 32, 19, 34, 71, 90, 80, 147, 220, 1365, 126, 5,
	    57, 2352 };

	check_row(&r);
}

Test(table, row_262144)
{
	struct row r = { 262144, 32, 1309, 34, 407, 1716, 1061, 5643, 8464,
	    87381, 5076, 392, 3927, 90288 };

	check_row(&r);
}

Test(table, row_1048576)
{
	struct row r = { 1048576, 32, 5241, 34, 1431, 6672, 4051, 22395, 33592,
	    349525, 20151, 1572, 15723, 358320 };

	check_row(&r);
}

Test(table, row_4194304)
{
	struct row r = { 4194304, 32, 20970, 34, 5527, 26497, 16012, 89407,
	    134110, 1398101, 80460, 6291, 62910, 1430512 };

	check_row(&r);
}

/* Spec §3.1: 4 GiB as 2 x 524288 pages, loaded from YAML. */
Test(table, two_domains_4gib)
{
	static const char yaml[] =
	    "machine:\n  memory: 4GiB\n  domains: 2\n  kernel_wired: 0\n";
	struct pg_config cfg;
	struct pg_error err;
	struct vm_layout l;
	uint32_t i;

	cr_assert_eq(conf_load_string("two.yaml", yaml, sizeof(yaml) - 1, &cfg,
	    &err), 0, "%s", err.msg);
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.ndomains, 2);
	cr_assert_eq(l.ppc, 32);
	cr_assert_eq(l.total_pages, 1048576);
	for (i = 0; i < 2; i++) {
		const struct vm_thresholds *t = &l.th[i];

		cr_assert_eq(t->page_count, 524288);
		cr_assert_eq(t->fm0, 2620);
		cr_assert_eq(t->free_reserved, 748);
		cr_assert_eq(t->free_min, 3368);
		cr_assert_eq(t->free_severe, 2058);
		cr_assert_eq(t->free_target, 11228);
		cr_assert_eq(t->inactive_target, 16842);
		cr_assert_eq(t->pageout_wakeup_thresh, 10098);
		cr_assert_eq(t->background_launder_target, 786);
	}
	cr_assert_eq(l.v_free_target, 22456);
	cr_assert_eq(l.v_free_min, 2 * 3368);
	cr_assert_eq(l.v_free_reserved, 2 * 748);
	cr_assert_eq(l.v_free_severe, 2 * 2058);
	cr_assert_eq(l.v_inactive_target, 2 * 16842);
	cr_assert_eq(l.v_pageout_free_min, 68);
}

/* An uneven split: the first total % n domains get one page more. */
Test(table, uneven_split)
{
	struct vm_layout l;

	layout_pages(3 * 4096 + 2, 3, &l);
	cr_assert_eq(l.th[0].page_count, 4097);
	cr_assert_eq(l.th[1].page_count, 4097);
	cr_assert_eq(l.th[2].page_count, 4096);
	cr_assert_eq(l.total_pages, 3 * 4096 + 2);
}

/*
 * Review D22: the cap applies when floor(3 ft / 2) > floor(fc0 / 3).  With
 * 262144 pages, ft = 5643 and 3 ft / 2 = 8464: fc0 = 25392 gives 8464
 * exactly (no cap), 25391 gives 8463 (capped); here fc0 comes from the
 * kernel memory in the configuration, as the spec requires.
 */
Test(table, fc0_cap_d22)
{
	struct pg_config cfg;
	struct pg_error err;
	struct vm_layout l;

	conf_defaults(&cfg);
	cfg.memory_bytes = 262144ull * PG_PAGE_SIZE;
	cfg.kernel_wired_bytes = (262144ull - 25392) * PG_PAGE_SIZE;
	cr_assert_eq(conf_check(&cfg, &err), 0, "%s", err.msg);
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.th[0].free_count_init, 25392);
	cr_assert_eq(l.th[0].inactive_target, 8464);

	/* One byte more wired rounds up to one page more. */
	cfg.kernel_wired_bytes += 1;
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.th[0].free_count_init, 25391);
	cr_assert_eq(l.th[0].inactive_target, 8463);

	/* The kernel cache counts against fc0 like wired memory. */
	cfg.kernel_wired_bytes = 0;
	cfg.kernel_cache_bytes = (262144ull - 20000) * PG_PAGE_SIZE;
	cr_assert_eq(conf_check(&cfg, &err), 0, "%s", err.msg);
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.th[0].free_count_init, 20000);
	cr_assert_eq(l.th[0].inactive_target, 6666);
	cr_assert_eq(l.v_inactive_target, 6666);
	/* The other thresholds do not depend on fc0. */
	cr_assert_eq(l.th[0].free_target, 5643);
}

/*
 * conf_check() and the model take free_target from the same function
 * (conf/pageout_init.h): the check must accept exactly the machines whose
 * fc0 exceeds the vm module's free_target.
 */
Test(table, conf_free_target_agrees_with_vm)
{
	static const uint64_t sizes[] = { 1024, 1500, 1999, 2000, 4096, 262144,
	    1048576 };
	struct pg_config cfg;
	struct pg_error err;
	struct vm_layout l;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		conf_defaults(&cfg);
		cfg.memory_bytes = sizes[i] * PG_PAGE_SIZE;
		cfg.kernel_wired_bytes = 0;
		vm_layout_compute(&cfg, &l);
		/* Leave free_target + 1 pages free: accepted. */
		cfg.kernel_wired_bytes = (sizes[i] - l.th[0].free_target - 1) *
		    PG_PAGE_SIZE;
		cr_assert_eq(conf_check(&cfg, &err), 0, "%llu pages: %s",
		    (unsigned long long)sizes[i], err.msg);
		/* One page less: refused. */
		cfg.kernel_wired_bytes += PG_PAGE_SIZE;
		cr_assert_eq(conf_check(&cfg, &err), -EINVAL, "%llu pages",
		    (unsigned long long)sizes[i]);
		cr_assert(strstr(err.msg, "free_target") != NULL, "%s",
		    err.msg);
	}
}

Test(table, hz_sets_pid_interval)
{
	struct pg_config cfg;
	struct vm_layout l;

	conf_defaults(&cfg);
	cfg.sysctl.hz = 100;
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.th[0].pid_interval, 10);
	cfg.sysctl.hz = 10;	/* the smallest accepted: hz/10 >= 1 */
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.th[0].pid_interval, 1);
}

Test(table, update_period_zero_means_600)
{
	struct pg_config cfg;
	struct vm_layout l;

	conf_defaults(&cfg);
	cfg.sysctl.pageout_update_period = 0;
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.pageout_update_period, 600);
	cfg.sysctl.pageout_update_period = 30;
	vm_layout_compute(&cfg, &l);
	cr_assert_eq(l.pageout_update_period, 30);
}

/* Spec §13, facts 1-6. */

Test(spec13, fact01_thresholds_262144_pages)
{
	struct vm_thresholds t;

	vm_thresholds_compute(262144, 25392, 32, 1000, &t);
	cr_assert_eq(t.free_min, 1716);
	cr_assert_eq(t.free_severe, 1061);
	cr_assert_eq(t.free_reserved, 407);
	cr_assert_eq(t.free_target, 5643);
	cr_assert_eq(t.pageout_wakeup_thresh, 5076);
	cr_assert_eq(t.inactive_target, 8464);
	cr_assert_eq(t.background_launder_target, 392);
	/* "if initial free >= 25392": one page less and the cap binds. */
	vm_thresholds_compute(262144, 25391, 32, 1000, &t);
	cr_assert_eq(t.inactive_target, 8463);
}

Test(spec13, fact02_thresholds_1048576_pages)
{
	struct vm_layout l;

	layout_pages(1048576, 1, &l);
	cr_assert_eq(l.th[0].free_target, 22395);
	cr_assert_eq(l.th[0].pageout_wakeup_thresh, 20151);
	cr_assert_eq(l.th[0].free_min, 6672);
}

Test(spec13, fact03_thresholds_4194304_pages)
{
	struct vm_thresholds t;

	vm_thresholds_compute(4194304, 402330, 32, 1000, &t);
	cr_assert_eq(t.free_target, 89407);
	cr_assert_eq(t.inactive_target, 134110);
	vm_thresholds_compute(4194304, 402329, 32, 1000, &t);
	cr_assert_eq(t.inactive_target, 402329 / 3);
	cr_assert_eq(t.inactive_target, 134109);
}

Test(spec13, fact04_ppc_and_free_reserved_small_machines)
{
	struct vm_layout l;

	layout_pages(1500, 1, &l);
	cr_assert_eq(l.ppc, 8);
	cr_assert_eq(l.th[0].free_reserved, 43);
	layout_pages(4096, 1, &l);
	cr_assert_eq(l.ppc, 32);
	cr_assert_eq(l.th[0].free_reserved, 71);
	/* ppc is decided from the global count: 2 x 1500 pages use 32. */
	layout_pages(3000, 2, &l);
	cr_assert_eq(l.ppc, 32);
	cr_assert_eq(l.th[0].free_reserved, 32 + 34 + 1500 / 768);
	cr_assert_eq(vm_ppc_for(1999), 8);
	cr_assert_eq(vm_ppc_for(2000), 32);
}

Test(spec13, fact05_pageout_free_min_is_34)
{
	static const uint32_t sizes[] = { 1024, 1500, 4096, 65536, 262144,
	    1048576, 4194304, 16777216 };
	struct vm_thresholds t;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		vm_thresholds_compute(sizes[i], sizes[i], vm_ppc_for(sizes[i]),
		    1000, &t);
		cr_assert_eq(t.pageout_free_min, 34, "%u pages", sizes[i]);
	}
}

Test(spec13, fact06_pid_bound_16x_free_target)
{
	static const uint32_t sizes[] = { 1500, 4096, 262144, 1048576,
	    4194304 };
	struct vm_thresholds t;
	size_t i;

	vm_thresholds_compute(262144, 262144, 32, 1000, &t);
	cr_assert_eq(t.pid_bound, 90288);
	cr_assert_eq(t.pid_setpoint, 5643);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		vm_thresholds_compute(sizes[i], sizes[i], vm_ppc_for(sizes[i]),
		    1000, &t);
		cr_assert_eq(t.pid_bound, 16 * (int32_t)t.free_target,
		    "%u pages", sizes[i]);
	}
}
