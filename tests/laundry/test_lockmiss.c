/*
 * test_lockmiss.c - sim.lock_miss: the vnode lock attempts of a pageout
 * (vn_start_write(V_NOWAIT), vget(LK_TIMELOCK) in vm_pageout_clean(),
 * S:604-624) miss with a configured probability drawn from a seeded
 * generator, so that the seed's EDEADLK path, pageout_lock_miss and
 * speedup_syncer() (S:878-881, S:906-907, spec 15 D17) run.
 */
#include "lib/fixture.h"

/* A machine whose vnode locks miss lock_miss_ppm in a million, seed seed. */
static struct vm_machine *
lm_machine(uint32_t lock_miss_ppm, uint64_t seed)
{
	struct pg_config cfg;

	fx_config(&cfg, 4096, 1024);
	cfg.lock_miss_ppm = lock_miss_ppm;
	cfg.seed = seed;
	return (fx_machine_cfg(&cfg));
}

/*
 * Every attempt misses: the vnode page is skipped (EDEADLK), counted as a
 * lock miss, stays dirty in the laundry queue, and since the target was
 * missed the syncer is sped up; the swap page of the same walk is written.
 */
Test(lockmiss, certain_miss_skips_the_vnode_and_speeds_up_the_syncer)
{
	struct vm_machine *m;
	uint32_t V, S, v, s;

	m = lm_machine(1000000, 1);
	V = fx_object(m, 1, OBJT_VNODE, 4);
	S = fx_object(m, 2, OBJT_SWAP, 4);
	v = fx_page(m, V, 0, PQ_LAUNDRY, true);
	s = fx_page(m, S, 0, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_launder(m, 0, 10, false), 1);
	fx_check(m);
	cr_assert_eq(m->cnt.pageout_lock_miss, 1);
	cr_assert_eq(m->cnt.speedup_syncer, 1);
	cr_assert_eq(m->pages[v].queue, PQ_LAUNDRY);
	cr_assert_eq(m->pages[v].dirty, VM_PAGE_BITS_ALL);
	cr_assert_eq(m->pages[v].busy, 0);
	cr_assert_eq(m->pages[s].busy, 1);
	cr_assert_eq(vm_runningbufspace(m), 0, "no vnode write started");
	(void)fx_complete_all(m);
	vm_machine_destroy(m);
}

/* A miss with the target met does not wake the syncer (S:906). */
Test(lockmiss, miss_with_the_target_met_leaves_the_syncer_alone)
{
	struct vm_machine *m;
	uint32_t V, S;

	m = lm_machine(1000000, 1);
	V = fx_object(m, 1, OBJT_VNODE, 4);
	S = fx_object(m, 2, OBJT_SWAP, 4);
	(void)fx_page(m, V, 0, PQ_LAUNDRY, true);
	(void)fx_page(m, S, 0, PQ_LAUNDRY, true);
	cr_assert_eq(vm_pageout_launder(m, 0, 1, false), 1);
	cr_assert_eq(m->cnt.pageout_lock_miss, 1);
	cr_assert_eq(m->cnt.speedup_syncer, 0);
	(void)fx_complete_all(m);
	vm_machine_destroy(m);
}

/* The default, 0: no miss, no draw (the generator's state is untouched). */
Test(lockmiss, zero_never_misses_and_never_draws)
{
	struct vm_machine *m;
	uint64_t rng;
	int i;

	m = lm_machine(0, 7);
	rng = m->lock_rng;
	for (i = 0; i < 1000; i++)
		cr_assert_not(pageout_lock_missed(m));
	cr_assert_eq(m->lock_rng, rng);
	vm_machine_destroy(m);
}

/* Misses in n draws of a machine with probability ppm and seed. */
static uint32_t
misses(uint32_t ppm, uint64_t seed, uint32_t n, uint64_t *pattern)
{
	struct vm_machine *m;
	uint32_t i, k = 0;

	m = lm_machine(ppm, seed);
	*pattern = 0;
	for (i = 0; i < n; i++) {
		if (pageout_lock_missed(m)) {
			k++;
			if (i < 64)
				*pattern |= UINT64_C(1) << i;
		}
	}
	vm_machine_destroy(m);
	return (k);
}

/*
 * The draws are a function of (probability, seed) only: the same seed
 * gives the same misses, another seed other misses, and the rate is the
 * probability (25% of 100000 draws, within 1%).
 */
Test(lockmiss, draws_follow_the_seed_and_the_probability)
{
	uint64_t p1, p2, p3;
	uint32_t k1, k2, k3;

	k1 = misses(250000, 1, 100000, &p1);
	k2 = misses(250000, 1, 100000, &p2);
	k3 = misses(250000, 2, 100000, &p3);
	cr_assert_eq(k1, k2);
	cr_assert_eq(p1, p2);
	cr_assert_neq(p1, p3);
	cr_assert(k1 > 24000 && k1 < 26000, "%u misses", k1);
	cr_assert(k3 > 24000 && k3 < 26000, "%u misses", k3);
	/* Certain and impossible ends. */
	cr_assert_eq(misses(1000000, 3, 1000, &p1), 1000);
	cr_assert_eq(misses(1, 3, 1000, &p1), 0);
}

/*
 * The first attempt (vn_start_write) and the second (vget) are both
 * attempts: with half the attempts missing, over many pages some pages
 * are written and the others skipped, every skip is counted, and the
 * counts are the same for the same seed.
 */
Test(lockmiss, half_the_attempts_miss_deterministically)
{
	struct vm_machine *m;
	uint64_t miss[2], written[2];
	uint32_t V, i, round;

	for (round = 0; round < 2; round++) {
		m = lm_machine(500000, 42);
		V = fx_object(m, 1, OBJT_VNODE, 64);
		/* Every other page, so that each one is its own cluster. */
		for (i = 0; i < 64; i += 2)
			(void)fx_page(m, V, i, PQ_LAUNDRY, true);
		written[round] = (uint64_t)vm_pageout_launder(m, 0, 1000,
		    false);
		fx_check(m);
		miss[round] = m->cnt.pageout_lock_miss;
		cr_assert_eq(written[round] + miss[round], 32);
		cr_assert_eq(m->cnt.speedup_syncer, miss[round] > 0 ? 1 : 0);
		(void)fx_complete_all(m);
		vm_machine_destroy(m);
	}
	cr_assert_eq(miss[0], miss[1]);
	/* A page is written only if both attempts pass: about 1 in 4. */
	cr_assert(written[0] > 2 && written[0] < 16, "%ju written",
	    (uintmax_t)written[0]);
}
