/*
 * test_oom.c - the OOM detector and victim selection (spec 10, facts
 * 22-26, D11).
 */
#include <criterion/criterion.h>

#include "lib/pd_env.h"

/* Process pid maps a new object of type with n wired off-queue pages. */
static uint32_t
pdt_proc_with(struct pdt_env *e, uint32_t pid, enum vm_objtype type, uint32_t n)
{
	uint32_t proc, obj, i, p;
	int error;

	proc = vm_proc_lookup(e->m, pid);
	if (proc == VM_NONE) {
		error = vm_proc_create(e->m, pid, "p", &proc);
		cr_assert_eq(error, 0);
	}
	obj = pdt_object(e, type, n + 16, false);
	error = vm_proc_map(e->m, proc, obj);
	cr_assert_eq(error, 0);
	for (i = 0; i < n; i++) {
		p = pdt_page(e, 0, obj, i, PQ_NONE);
		vm_page_wire(e->m, p);
	}
	return (proc);
}

/* A failed reclaiming scan of domain d: nothing on its inactive queue. */
static void
pdt_fail(struct pdt_env *e, uint32_t d)
{
	cr_assert_not(pdt_scan(e, d, 2, 100));
}

Test(spec13, fact23_two_domains_need_both_votes)
{
	struct pdt_env e;
	int i;

	/* d0 fails 12 times and votes; d1's 12th failure completes it. */
	pdt_boot_pages(&e, 8192, 2);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	for (i = 0; i < 12; i++)
		pdt_fail(&e, 0);
	cr_assert(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	cr_assert_eq(e.m->notify.nkill, 0);
	for (i = 0; i < 11; i++)
		pdt_fail(&e, 1);
	cr_assert_eq(e.m->notify.nkill, 0);
	pdt_fail(&e, 1);
	cr_assert_eq(e.m->notify.nkill, 1);
	cr_assert_eq(e.m->cnt.oom_kills, 1);
	/* d1 recalled its vote after the kill; d0 still votes. */
	cr_assert_not(e.m->dom[1].oom);
	cr_assert(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	pdt_shutdown(&e);

	/* d0 scans again before d1's 12th failure: its vote is withdrawn. */
	pdt_boot_pages(&e, 8192, 2);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	for (i = 0; i < 12; i++)
		pdt_fail(&e, 0);
	for (i = 0; i < 11; i++)
		pdt_fail(&e, 1);
	pdt_fail(&e, 0);
	cr_assert_not(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 0);
	cr_assert_eq(e.m->dom[0].oom_seq, 1);
	pdt_fail(&e, 1);
	cr_assert(e.m->dom[1].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	cr_assert_eq(e.m->notify.nkill, 0);
	cr_assert_eq(e.m->cnt.oom_kills, 0);
	pdt_shutdown(&e);
}

Test(spec13, fact24_victim_size_resident_and_swap)
{
	struct pdt_env e;
	uint32_t a, b, c, so, dev, i;
	int error;

	pdt_config(&e.cfg, 4096, 1);
	e.cfg.swap_bytes = 1024 * PG_PAGE_SIZE;
	pdt_boot(&e);
	a = pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	/* b: a file of 6 resident pages and a SWAP object of 3 + 4 blocks. */
	b = pdt_proc_with(&e, 101, OBJT_VNODE, 6);
	so = pdt_object(&e, OBJT_SWAP, 32, false);
	error = vm_proc_map(e.m, b, so);
	cr_assert_eq(error, 0);
	for (i = 0; i < 3; i++)
		vm_page_wire(e.m, pdt_page(&e, 0, so, i, PQ_NONE));
	cr_assert(vm_swap_getspace(e.m, 4, &dev));
	for (i = 10; i < 14; i++)
		vm_swap_assign(e.m, so, i, dev);
	pdt_check(&e);
	cr_assert_eq(vm_proc_size(e.m, a), 10);
	cr_assert_eq(vm_proc_size(e.m, b), 13);
	cr_assert_eq(vm_pageout_oom(e.m), b);
	cr_assert_neq(e.m->procs[b].flags & P_KILLED, 0);
	cr_assert_eq(e.m->notify.nkill, 1);
	cr_assert_eq(e.m->notify.kill[0], b);
	/* c: a PHYS object of 4 pages plus a's object, counted in full. */
	c = pdt_proc_with(&e, 102, OBJT_PHYS, 4);
	error = vm_proc_map(e.m, c, e.m->procs[a].maps[0]);
	cr_assert_eq(error, 0);
	cr_assert_eq(vm_proc_size(e.m, c), 14);
	/* b is killed already and is skipped now. */
	cr_assert_eq(vm_pageout_oom(e.m), c);
	cr_assert_eq(e.m->cnt.oom_kills, 2);
	pdt_shutdown(&e);
}

Test(oom, tie_keeps_the_first_visited_and_size_0_never_wins)
{
	struct pdt_env e;
	uint32_t newer;

	pdt_boot_pages(&e, 4096, 1);
	/* Process 100 has no page at all: nobody qualifies. */
	cr_assert_eq(vm_pageout_oom(e.m), VM_NONE);
	cr_assert_eq(e.m->notify.nkill, 0);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 7);
	newer = pdt_proc_with(&e, 300, OBJT_DEFAULT, 7);
	/* allproc is newest first, and only a strictly larger size wins. */
	cr_assert_eq(vm_pageout_oom(e.m), newer);
	pdt_shutdown(&e);
}

Test(spec13, fact25_low_pids_only_without_swap_and_never_init)
{
	struct pdt_env e;
	uint32_t p20;

	/* No swap: pid 20 qualifies; pid 1 never, however large. */
	pdt_boot_pages(&e, 4096, 1);
	cr_assert_eq(vm_swap_avail(e.m), 0);
	(void)pdt_proc_with(&e, 1, OBJT_DEFAULT, 50);
	p20 = pdt_proc_with(&e, 20, OBJT_DEFAULT, 30);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	cr_assert_eq(vm_pageout_oom(e.m), p20);
	pdt_shutdown(&e);

	/* With free swap: pid 20 is skipped, pid 100 is chosen. */
	pdt_config(&e.cfg, 4096, 1);
	e.cfg.swap_bytes = 1024 * PG_PAGE_SIZE;
	pdt_boot(&e);
	cr_assert_neq(vm_swap_avail(e.m), 0);
	(void)pdt_proc_with(&e, 1, OBJT_DEFAULT, 50);
	(void)pdt_proc_with(&e, 20, OBJT_DEFAULT, 30);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	cr_assert_eq(vm_pageout_oom(e.m), e.proc);
	pdt_shutdown(&e);

	/* Only init has pages: nobody is chosen. */
	pdt_boot_pages(&e, 4096, 1);
	(void)pdt_proc_with(&e, 1, OBJT_DEFAULT, 50);
	cr_assert_eq(vm_pageout_oom(e.m), VM_NONE);
	cr_assert_eq(e.m->cnt.oom_kills, 0);
	pdt_shutdown(&e);
}

Test(spec13, fact26_panic_on_oom_only_with_a_victim)
{
	struct pdt_env e;
	uint32_t sys, v;

	pdt_boot_pages(&e, 4096, 1);
	e.m->sysctl.panic_on_oom = 1;
	(void)pdt_proc_with(&e, 1, OBJT_DEFAULT, 50);
	sys = pdt_proc_with(&e, 60, OBJT_DEFAULT, 40);
	e.m->procs[sys].flags |= P_SYSTEM;
	cr_assert_eq(vm_pageout_oom(e.m), VM_NONE);
	cr_assert_not(e.m->notify.panic);
	v = pdt_proc_with(&e, 100, OBJT_DEFAULT, 5);
	cr_assert_eq(vm_pageout_oom(e.m), v);
	cr_assert(e.m->notify.panic);
	cr_assert_str_eq(e.m->notify.panic_reason, "out of swap space");
	cr_assert_eq(e.m->procs[v].flags & P_KILLED, 0);
	cr_assert_eq(e.m->notify.nkill, 0);
	cr_assert_eq(e.m->cnt.oom_kills, 0);
	pdt_shutdown(&e);
}

Test(oom, protected_exiting_and_zombie_processes_are_skipped)
{
	struct pdt_env e;
	uint32_t a, b, c;

	pdt_boot_pages(&e, 4096, 1);
	a = pdt_proc_with(&e, 100, OBJT_DEFAULT, 30);
	b = pdt_proc_with(&e, 101, OBJT_DEFAULT, 20);
	c = pdt_proc_with(&e, 102, OBJT_DEFAULT, 10);
	e.m->procs[a].flags |= P_PROTECTED;
	e.m->procs[b].flags |= P_WEXIT;
	cr_assert_eq(vm_pageout_oom(e.m), c);
	e.m->procs[a].flags &= (uint8_t)~P_PROTECTED;
	e.m->procs[b].flags &= (uint8_t)~P_WEXIT;
	e.m->procs[a].state = PRS_ZOMBIE;
	cr_assert_eq(vm_pageout_oom(e.m), b);
	e.m->procs[a].state = PRS_NORMAL;
	pdt_shutdown(&e);
}

Test(quirks, d11_oom_seq_1_keeps_the_vote_of_a_failing_domain)
{
	struct pdt_env e;

	pdt_boot_pages(&e, 8192, 2);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	e.m->sysctl.pageout_oom_seq = 1;
	pdt_fail(&e, 0);
	cr_assert(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	pdt_fail(&e, 0);				/* fails again: keeps it */
	cr_assert(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	cr_assert_eq(e.m->cnt.oom_votes, 1);
	(void)pdt_scan(&e, 0, 0, 0);		/* no shortage: withdrawn */
	cr_assert_not(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 0);
	/* d0 votes, d0 fails again, then d1's first failure kills. */
	pdt_fail(&e, 0);
	pdt_fail(&e, 0);
	pdt_fail(&e, 1);
	cr_assert_eq(e.m->notify.nkill, 1);
	pdt_shutdown(&e);
}

Test(quirks, d11_oom_seq_0_votes_even_on_success_and_never_withdraws)
{
	struct pdt_env e;

	pdt_boot_pages(&e, 8192, 2);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	e.m->sysctl.pageout_oom_seq = 0;
	cr_assert(pdt_scan(&e, 0, 0, 0));		/* nothing wanted, yet a vote */
	cr_assert(e.m->dom[0].oom);
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert(e.m->dom[0].oom);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	cr_assert_eq(e.m->notify.nkill, 0);
	cr_assert(pdt_scan(&e, 1, 0, 0));		/* the quorum: a kill */
	cr_assert_eq(e.m->notify.nkill, 1);
	cr_assert_eq(e.m->pageout_oom_vote, 1);
	pdt_shutdown(&e);

	/* One domain, oom_seq -1: every scan kills, while someone qualifies. */
	pdt_boot_pages(&e, 4096, 1);
	(void)pdt_proc_with(&e, 100, OBJT_DEFAULT, 10);
	(void)pdt_proc_with(&e, 101, OBJT_DEFAULT, 5);
	e.m->sysctl.pageout_oom_seq = -1;
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert(pdt_scan(&e, 0, 0, 0));
	cr_assert_eq(e.m->cnt.oom_kills, 2);
	cr_assert_eq(e.m->cnt.oom_votes, 3);
	cr_assert_eq(e.m->pageout_oom_vote, 0);
	pdt_shutdown(&e);
}
