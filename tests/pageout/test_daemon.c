/*
 * test_daemon.c - the worker loop (spec 7.2, 7.5), lowmem (spec 11) and
 * the vmdaemon requests (spec 7.6).
 */
#include <criterion/criterion.h>

#include "lib/pd_env.h"

/*
 * One iteration of the worker as the simulator drives it: wait as told
 * (a sleep always times out; NONE costs one tick so time moves), then
 * scan.  Returns the decision taken at the top.
 */
static struct pd_decision
pdt_iterate(struct pdt_env *e, struct pageout_worker *w)
{
	struct pd_decision dec;

	dec = pageout_worker_top(e->m, w);
	pdt_advance(e, dec.wait == PD_WAIT_NONE ? 1 : dec.ticks);
	(void)pageout_worker_scan(e->m, w, &e->sh, &e->clk, false);
	pdt_check(e);
	return (dec);
}

Test(spec13, fact08_sleep_100_ticks_and_v_pdwakeups_only_when_woken)
{
	struct pdt_env e;
	struct pageout_worker w;
	struct pd_decision dec;

	pdt_boot_pages(&e, 4096, 1);
	pageout_worker_init(&w, e.m, 0);
	e.m->dom[0].pageout_wanted = 1;
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_SLEEP);
	cr_assert_eq(dec.ticks, 100);
	cr_assert_eq(e.m->dom[0].pageout_wanted, 0);
	pdt_advance(&e, 100);
	(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
	cr_assert_eq(e.m->cnt.v_pdwakeups, 0);
	cr_assert_eq(e.m->dom[0].pageout_wanted, 1);
	cr_assert_eq(e.m->cnt.pd_scans, 1);
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_SLEEP);
	pdt_advance(&e, 40);
	(void)pageout_worker_scan(e.m, &w, &e.sh, &e.clk, true);
	cr_assert_eq(e.m->cnt.v_pdwakeups, 1);
	cr_assert_eq(e.m->cnt.pd_scans, 2);
	cr_assert_eq(w.pass, 0);
	pdt_shutdown(&e);

	/* hz 100: hz / 10 = 10 ticks. */
	pdt_config(&e.cfg, 4096, 1);
	e.cfg.sysctl.hz = 100;
	pdt_boot(&e);
	pageout_worker_init(&w, e.m, 0);
	cr_assert_eq(w.pid.pc_interval, 10);
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_SLEEP);
	cr_assert_eq(dec.ticks, 10);
	pdt_shutdown(&e);
}

Test(spec13, fact44_pause_only_after_a_failed_scan)
{
	struct pdt_env e;
	struct pageout_worker w;
	struct pd_decision dec;

	pdt_boot_pages(&e, 4096, 1);
	pageout_worker_init(&w, e.m, 0);
	pdt_set_free(&e, 0, 100);			/* below wakeup_thresh 126 */
	w.pass = 0;
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_NONE);
	w.pass = 1;
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_NONE);
	cr_assert_eq(e.m->cnt.pd_pauses, 0);
	w.pass = 2;
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 100);
	cr_assert_eq(e.m->cnt.pd_pauses, 1);
	w.pass = 7;
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 100);

	/* Through the real loop: the first scan fails, pass becomes 2. */
	pageout_worker_init(&w, e.m, 0);
	dec = pdt_iterate(&e, &w);
	cr_assert_eq(dec.wait, PD_WAIT_NONE);
	cr_assert_eq(w.pass, 2);
	cr_assert_not(w.target_met);
	dec = pdt_iterate(&e, &w);
	cr_assert_eq(dec.wait, PD_WAIT_PAUSE);
	cr_assert_eq(dec.ticks, 100);
	pdt_shutdown(&e);
}

/* A process of pid with n wired, off-queue anonymous pages. */
static uint32_t
pdt_victim(struct pdt_env *e, uint32_t pid, uint32_t n)
{
	uint32_t proc, obj, i, p;
	int error;

	if (pid == 100)
		proc = e->proc;
	else {
		error = vm_proc_create(e->m, pid, "victim", &proc);
		cr_assert_eq(error, 0);
	}
	obj = pdt_object(e, OBJT_DEFAULT, n > 0 ? n : 1, false);
	error = vm_proc_map(e->m, proc, obj);
	cr_assert_eq(error, 0);
	for (i = 0; i < n; i++) {
		p = pdt_page(e, 0, obj, i, PQ_NONE);
		vm_page_wire(e->m, p);
	}
	return (proc);
}

Test(spec13, fact22_oom_at_the_12th_failed_scan_then_restarts)
{
	struct pdt_env e;
	struct pageout_worker w;
	uint32_t big, small;
	int64_t first;
	int i;

	pdt_boot_pages(&e, 4096, 1);
	big = pdt_victim(&e, 100, 10);
	small = pdt_victim(&e, 200, 5);
	pdt_set_free(&e, 0, 50);
	pageout_worker_init(&w, e.m, 0);
	first = -1;
	for (i = 1; i <= 24; i++) {
		(void)pdt_iterate(&e, &w);
		cr_assert_not(w.target_met, "scan %d", i);
		if (first < 0)
			first = e.elapsed;
		if (i < 12)
			cr_assert_eq(e.m->notify.nkill, 0, "scan %d", i);
		if (i == 12) {
			cr_assert_eq(e.m->notify.nkill, 1);
			cr_assert_eq(e.m->notify.kill[0], big);
			cr_assert_eq(e.m->cnt.oom_kills, 1);
			cr_assert_neq(e.m->procs[big].flags & P_KILLED, 0);
			/* Eleven 100 ms pauses after the first failed scan. */
			cr_assert_eq(e.elapsed - first, 1100);
			cr_assert_eq(e.m->dom[0].oom_seq, 0);
			cr_assert_eq(e.m->pageout_oom_vote, 0);
			e.m->notify.nkill = 0;
		}
		if (i > 12 && i < 24)
			cr_assert_eq(e.m->notify.nkill, 0, "scan %d", i);
	}
	/* 12 more failures: the next victim (the first is already killed). */
	cr_assert_eq(e.m->notify.nkill, 1);
	cr_assert_eq(e.m->notify.kill[0], small);
	cr_assert_eq(e.m->cnt.oom_kills, 2);
	cr_assert_eq(e.m->cnt.oom_votes, 2);
	pdt_shutdown(&e);
}

Test(spec13, fact39_lowmem_every_10s_even_without_shortage)
{
	struct pdt_env e;
	struct pageout_worker w;
	int64_t at[16];
	uint64_t n;
	uint32_t o;
	int32_t shortage_at_last;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 300, false);
	(void)pdt_pages(&e, 0, o, 0, 300, PQ_INACTIVE);
	pdt_set_free(&e, 0, 100);
	pageout_worker_init(&w, e.m, 0);
	n = 0;
	shortage_at_last = -1;
	while (e.elapsed < 65000) {
		(void)pdt_iterate(&e, &w);
		if (e.m->cnt.lowmem_events != n) {
			cr_assert_eq(e.m->cnt.lowmem_events, n + 1);
			cr_assert_lt(n, 16);
			at[n++] = e.clk.time_uptime;
			shortage_at_last = w.shortage;
		}
	}
	cr_assert_eq(n, 6);
	cr_assert_eq(at[0], 10);
	cr_assert_eq(at[1], 20);
	cr_assert_eq(at[2], 30);
	cr_assert_eq(at[3], 40);
	cr_assert_eq(at[4], 50);
	cr_assert_eq(at[5], 60);
	/* By then the controller asks for nothing and free is above target. */
	cr_assert_eq(shortage_at_last, 0);
	cr_assert_geq(e.m->dom[0].free_count, 147);
	cr_assert_eq(w.pass, 1);
	pdt_shutdown(&e);
}

Test(lowmem, only_domain_0_fires)
{
	struct pdt_env e;

	pdt_boot_pages(&e, 8192, 2);
	pdt_advance(&e, 20000);
	(void)pdt_scan(&e, 1, 1, 0);
	cr_assert_eq(e.m->cnt.lowmem_events, 0);
	(void)pdt_scan(&e, 0, 0, 0);		/* pass 0: no */
	cr_assert_eq(e.m->cnt.lowmem_events, 0);
	(void)pdt_scan(&e, 0, 1, 0);
	cr_assert_eq(e.m->cnt.lowmem_events, 1);
	cr_assert_eq(e.m->lowmem_uptime, 21);
	(void)pdt_scan(&e, 0, 1, 0);		/* same second: rate limited */
	cr_assert_eq(e.m->cnt.lowmem_events, 1);
	pdt_advance(&e, 9000);
	(void)pdt_scan(&e, 0, 1, 0);		/* 9 s later: not yet */
	cr_assert_eq(e.m->cnt.lowmem_events, 1);
	pdt_advance(&e, 1000);
	(void)pdt_scan(&e, 0, 1, 0);
	cr_assert_eq(e.m->cnt.lowmem_events, 2);
	pdt_shutdown(&e);
}

Test(lowmem, kernel_cache_releases_its_share)
{
	struct pdt_env e;
	uint32_t free0;

	pdt_config(&e.cfg, 4096, 1);
	e.cfg.kernel_cache_bytes = 400 * PG_PAGE_SIZE;
	e.cfg.kernel_cache_release_ppm = 250000;
	pdt_boot(&e);
	cr_assert_eq(e.sh.kernel_cache_release_ppm, 250000);
	cr_assert_eq(e.m->dom[0].kernel_cache, 400);
	free0 = e.m->dom[0].free_count;
	vm_lowmem(e.m, e.sh.kernel_cache_release_ppm);
	pdt_check(&e);
	cr_assert_eq(e.m->dom[0].kernel_cache, 300);
	cr_assert_eq(e.m->dom[0].free_count, free0 + 100);
	vm_lowmem(e.m, e.sh.kernel_cache_release_ppm);
	pdt_check(&e);
	cr_assert_eq(e.m->dom[0].kernel_cache, 225);
	cr_assert_eq(e.m->cnt.kernel_cache_released, 175);
	cr_assert_eq(e.m->cnt.lowmem_events, 2);
	/* A share that rounds to 0 still releases one page. */
	vm_lowmem(e.m, 1);
	cr_assert_eq(e.m->dom[0].kernel_cache, 224);
	/* ppm 0: an event, nothing released. */
	vm_lowmem(e.m, 0);
	cr_assert_eq(e.m->dom[0].kernel_cache, 224);
	cr_assert_eq(e.m->cnt.lowmem_events, 4);
	/* 100%: everything. */
	vm_lowmem(e.m, 1000000);
	cr_assert_eq(e.m->dom[0].kernel_cache, 0);
	cr_assert_eq(e.m->dom[0].free_count, free0 + 400);
	pdt_shutdown(&e);
}

Test(swapout, vmdaemon_woken_at_most_once_per_second)
{
	struct pdt_env e;

	pdt_boot_pages(&e, 4096, 1);
	vm_swapout_run(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_requests, 1);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 1);
	cr_assert_eq(e.sh.vmdaemon_lastrun, e.clk.ticks);
	pdt_advance(&e, 500);
	vm_swapout_run(e.m, &e.sh, &e.clk);
	pdt_advance(&e, 500);			/* ticks == lastrun + hz: no */
	vm_swapout_run(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_requests, 3);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 1);
	pdt_advance(&e, 1);
	vm_swapout_run(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 2);
	/* ticks < lastrun (the wrap) wakes it too. */
	e.clk.ticks = e.sh.vmdaemon_lastrun - 1;
	vm_swapout_run(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 3);
	/* vm.swap_enabled = 0: nothing. */
	e.m->sysctl.swap_enabled = 0;
	pdt_advance(&e, 5000);
	vm_swapout_run(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_requests, 5);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 3);
	pdt_shutdown(&e);
}

Test(swapout, idle_requests_once_per_second_when_enabled)
{
	struct pdt_env e;

	pdt_boot_pages(&e, 4096, 1);
	vm_swapout_run_idle(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_idle_requests, 0);
	e.m->sysctl.swap_idle_enabled = 1;
	vm_swapout_run_idle(e.m, &e.sh, &e.clk);
	vm_swapout_run_idle(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_idle_requests, 1);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 1);
	pdt_advance(&e, 1000);
	vm_swapout_run_idle(e.m, &e.sh, &e.clk);
	cr_assert_eq(e.m->cnt.swapout_idle_requests, 2);
	/* Through the scan: only with pass > 0. */
	pdt_advance(&e, 1000);
	(void)pdt_scan(&e, 0, 0, 0);
	cr_assert_eq(e.m->cnt.swapout_idle_requests, 2);
	(void)pdt_scan(&e, 0, 1, 0);
	cr_assert_eq(e.m->cnt.swapout_idle_requests, 3);
	pdt_shutdown(&e);
}

Test(swapout, scan_requests_a_swapout_only_when_short)
{
	struct pdt_env e;
	uint32_t o;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	(void)pdt_pages(&e, 0, o, 0, 10, PQ_INACTIVE);
	cr_assert(pdt_scan(&e, 0, 1, 3));		/* met: no request */
	cr_assert_eq(e.m->cnt.swapout_requests, 0);
	cr_assert_not(pdt_scan(&e, 0, 1, 100));
	cr_assert_eq(e.m->cnt.swapout_requests, 1);
	cr_assert_eq(e.m->cnt.vmdaemon_wakeups, 1);
	pdt_shutdown(&e);
}

Test(daemon, pass_rises_on_failure_and_never_falls)
{
	struct pdt_env e;
	struct pageout_worker w;
	uint64_t visited;
	struct pd_decision dec;
	uint32_t o;

	pdt_boot_pages(&e, 4096, 1);
	o = pdt_object(&e, OBJT_DEFAULT, 64, false);
	(void)pdt_pages(&e, 0, o, 0, 3, PQ_INACTIVE);
	pdt_set_free(&e, 0, 100);
	pageout_worker_init(&w, e.m, 0);
	dec = pageout_worker_top(e.m, &w);
	cr_assert_eq(dec.wait, PD_WAIT_NONE);
	visited = pageout_worker_scan(e.m, &w, &e.sh, &e.clk, false);
	/* PID 47/3 + 47/4 + 47/8 = 31 pages; only 2 can be freed (D7). */
	cr_assert_eq(w.shortage, 31);
	cr_assert_eq(visited, 3);
	cr_assert_eq(w.pass, 2);
	cr_assert_eq(w.scans, 1);
	cr_assert_eq(e.m->cnt.pd_scans, 1);
	pdt_shutdown(&e);
}
