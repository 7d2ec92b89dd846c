/*
 * test_pidctrl.c - the seed-era PID controller (spec 7.3, fact 7) and the
 * worker's use of it.
 */
#include <criterion/criterion.h>
#include <limits.h>

#include "lib/pd_env.h"

/* The 262144-page domain of spec 7.3: setpoint 5643, bound 90288. */
static void
pid_1gib(struct pidctrl *pc)
{
	pidctrl_init(pc, 100, 5643, PIDCTRL_BOUND, PIDCTRL_KPD, PIDCTRL_KID,
	    PIDCTRL_KDD);
	cr_assert_eq(pc->pc_bound, 90288);
	cr_assert_eq(pc->pc_ticks, 0);
}

Test(spec13, fact07_pid_constant_error)
{
	static const int32_t want[] = { 708, 833, 1083, 1333, 1583, 1833 };
	static const int32_t after[] = { 667, 667, 417, 167 };
	struct pidctrl pc;
	int32_t t;
	size_t i;

	pid_1gib(&pc);
	t = PDT_TICKS0;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++, t += 100)
		cr_assert_eq(pidctrl_daemon(&pc, 4643, t), want[i],
		    "interval %zu", i + 1);
	/* Rows 7-10: the integral keeps asking above the target. */
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++, t += 100)
		cr_assert_eq(pidctrl_daemon(&pc, 6643, t), after[i],
		    "interval %zu", i + 7);
}

Test(spec13, fact07_pid_zero_error)
{
	struct pidctrl pc;
	int32_t t;
	int i;

	pid_1gib(&pc);
	for (i = 0, t = PDT_TICKS0; i < 10; i++, t += 100)
		cr_assert_eq(pidctrl_daemon(&pc, 5643, t), 0);
	/* Several calls inside one interval change nothing either. */
	cr_assert_eq(pidctrl_daemon(&pc, 5643, t + 10), 0);
	cr_assert_eq(pc.pc_integral, 0);
}

Test(spec13, fact07_pid_within_interval_958)
{
	struct pidctrl pc;

	pid_1gib(&pc);
	cr_assert_eq(pidctrl_daemon(&pc, 4643, PDT_TICKS0), 708);
	/* e = 1000 + 1000, integral 3000, derivative 2000: 1666 - 708. */
	cr_assert_eq(pidctrl_daemon(&pc, 4643, PDT_TICKS0 + 10), 958);
	cr_assert_eq(pc.pc_error, 2000);
	cr_assert_eq(pc.pc_integral, 3000);
	cr_assert_eq(pc.pc_derivative, 2000);
	cr_assert_eq(pc.pc_output, 1666);
}

Test(spec13, fact07_pid_saturation_637)
{
	struct pdt_env e;
	struct pageout_worker w;
	int32_t r, t;
	int i;

	/* A 4096-page domain through the worker's own initialisation. */
	pdt_boot_pages(&e, 4096, 1);
	pageout_worker_init(&w, e.m, 0);
	cr_assert_eq(w.pid.pc_setpoint, 147);
	cr_assert_eq(w.pid.pc_interval, 100);
	cr_assert_eq(w.pid.pc_bound, 2352);
	cr_assert_eq(w.pid.pc_kpd, 3);
	cr_assert_eq(w.pid.pc_kid, 4);
	cr_assert_eq(w.pid.pc_kdd, 8);
	cr_assert_eq(w.pass, 0);
	r = 0;
	for (i = 0, t = PDT_TICKS0; i < 40; i++, t += 100)
		r = pidctrl_daemon(&w.pid, 0, t);
	cr_assert_eq(w.pid.pc_integral, 2352);
	cr_assert_eq(r, 637);
	pdt_shutdown(&e);
}

Test(pidctrl, first_call_starts_an_interval_at_kernel_ticks)
{
	struct pidctrl pc;

	/* last ticks is 0 and ticks starts near INT_MAX: a new interval. */
	pid_1gib(&pc);
	cr_assert_eq(pidctrl_daemon(&pc, 4643, PDT_TICKS0), 708);
	cr_assert_eq(pc.pc_ticks, PDT_TICKS0);
}

Test(pidctrl, interval_test_survives_the_tick_wrap)
{
	struct pidctrl pc;

	pid_1gib(&pc);
	cr_assert_eq(pidctrl_daemon(&pc, 4643, INT_MAX - 50), 708);
	/* 100 ticks later, across the wrap: a new interval. */
	cr_assert_eq(pidctrl_daemon(&pc, 4643, INT_MIN + 49), 833);
	/* 10 ticks later: the same interval (accumulates). */
	cr_assert_gt(pidctrl_daemon(&pc, 4643, INT_MIN + 59), 0);
	cr_assert_eq(pc.pc_ticks, INT_MIN + 49);
}

Test(pidctrl, negative_error_kept_at_interval_start_clamped_inside)
{
	struct pidctrl pc;

	pid_1gib(&pc);
	cr_assert_eq(pidctrl_daemon(&pc, 6643, PDT_TICKS0), 0);
	cr_assert_eq(pc.pc_error, -1000);
	cr_assert_eq(pc.pc_integral, 0);
	/* Inside the interval: max(-1000 + -1000, 0) = 0. */
	cr_assert_eq(pidctrl_daemon(&pc, 6643, PDT_TICKS0 + 1), 0);
	cr_assert_eq(pc.pc_error, 0);
	cr_assert_eq(pc.pc_input, 6643);
}
