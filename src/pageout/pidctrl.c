/*
 * pidctrl.c - the page daemon's PID controller as r329882 introduced it
 * in sys/kern/subr_pidctrl.c (spec 7.3).  The June 2018 rewrite changed
 * the within-interval arithmetic; the seed predates it (spec 14 item 8a),
 * so this is the original algorithm.
 */
#include "pageout/pidctrl.h"

#include <string.h>

/*
 * pidctrl_init() - model of pidctrl_init(): zero the state (so the first
 * interval starts at tick 0) and store the configuration.  The wind-up
 * limit is stored as bound * setpoint * kid, so that the integral *term*
 * is bounded by bound * setpoint (spec 14 item 8).
 */
void
pidctrl_init(struct pidctrl *pc, int32_t interval, int32_t setpoint,
    int32_t bound, int32_t kpd, int32_t kid, int32_t kdd)
{
	memset(pc, 0, sizeof(*pc));
	pc->pc_setpoint = setpoint;
	pc->pc_interval = interval;
	pc->pc_bound = bound * setpoint * kid;
	pc->pc_kpd = kpd;
	pc->pc_kid = kid;
	pc->pc_kdd = kdd;
}

/* MAX() and MIN() of the kernel, on the 64-bit intermediates. */
static int64_t
pid_max(int64_t a, int64_t b)
{
	return (a > b ? a : b);
}

static int64_t
pid_min(int64_t a, int64_t b)
{
	return (a < b ? a : b);
}

static void pid_gains(const struct pidctrl *, int32_t *, int32_t *,
    int32_t *);

/*
 * pidctrl_daemon() - model of the seed-era pidctrl_daemon(), spec 7.3.
 *
 * The kernel reads the global ticks; ours comes from the caller.  The
 * interval test is an unsigned difference, so it survives the wrap of
 * ticks ten minutes after boot.  Inside one interval the raw error is
 * added to the error accumulated so far (and clamped at 0), so repeated
 * calls ask for more; only the increment over what this interval already
 * returned is handed back.  Sums are formed in 64 bits so that no
 * intermediate overflows; the stored fields are int, as in the kernel.
 */
int32_t
pidctrl_daemon(struct pidctrl *pc, int32_t input, int32_t ticks)
{
	int64_t error, integral, output;
	int32_t kpd, kid, kdd;

	error = (int64_t)pc->pc_setpoint - input;
	if ((uint32_t)ticks - (uint32_t)pc->pc_ticks >=
	    (uint32_t)pc->pc_interval) {
		/* A new interval: the raw error stands, even if negative. */
		pc->pc_ticks = ticks;
		pc->pc_olderror = pc->pc_error;
		pc->pc_output = pc->pc_error = 0;
	} else
		error = pid_max(error + pc->pc_error, 0);
	pc->pc_input = input;
	pc->pc_error = (int32_t)error;
	integral = pid_max(pid_min((int64_t)pc->pc_integral + pc->pc_error,
	    pc->pc_bound), 0);
	pc->pc_integral = (int32_t)integral;
	pc->pc_derivative = (int32_t)((int64_t)pc->pc_error - pc->pc_olderror);

	/* Gains are inverse; a gain below 1 means 1. */
	pid_gains(pc, &kpd, &kid, &kdd);
	/* Each term is a truncating C division, as in the kernel. */
	output = pc->pc_error / kpd + pc->pc_integral / kid +
	    pc->pc_derivative / kdd;
	output = pid_max(output - pc->pc_output, 0);
	pc->pc_output = (int32_t)(pc->pc_output + output);
	return ((int32_t)output);
}

/* The gains as divisors: a gain below 1 means 1, as in the kernel. */
static void
pid_gains(const struct pidctrl *pc, int32_t *kpd, int32_t *kid, int32_t *kdd)
{
	*kpd = pc->pc_kpd > 1 ? pc->pc_kpd : 1;
	*kid = pc->pc_kid > 1 ? pc->pc_kid : 1;
	*kdd = pc->pc_kdd > 1 ? pc->pc_kdd : 1;
}

/*
 * pidctrl_daemon_2018() - model of pidctrl_daemon() after FreeBSD commit
 * e768070ca939 ("pidctrl_daemon() implements a variation on the
 * classical, discrete PID controller ...", Alan Cox, 2018-06-07).
 *
 * The seed re-adds the whole raw error at every call of an interval, so a
 * daemon that loops without sleeping (pass <= 1) winds the integral up to
 * its bound within one interval; it then drains by only free - setpoint
 * per interval (spec 7.3).  The rewrite asks each call only for what
 * changed since the last one: the raw error minus the part of the
 * accumulated error that the output returned so far has not covered.
 * The interval start, the clamp of the integral and the output
 * increment are the seed's.  64-bit intermediates, int fields.
 */
int32_t
pidctrl_daemon_2018(struct pidctrl *pc, int32_t input, int32_t ticks)
{
	int64_t error, integral, output;
	int32_t kpd, kid, kdd;

	error = (int64_t)pc->pc_setpoint - input;
	if ((uint32_t)ticks - (uint32_t)pc->pc_ticks >=
	    (uint32_t)pc->pc_interval) {
		pc->pc_ticks = ticks;
		pc->pc_olderror = pc->pc_error;
		pc->pc_output = pc->pc_error = 0;
	} else
		error -= (int64_t)pc->pc_error - pc->pc_output;
	pc->pc_input = input;
	pc->pc_error = (int32_t)((int64_t)pc->pc_error + error);
	integral = pid_max(pid_min((int64_t)pc->pc_integral + error,
	    pc->pc_bound), 0);
	pc->pc_integral = (int32_t)integral;
	pc->pc_derivative = (int32_t)((int64_t)pc->pc_error - pc->pc_olderror);

	pid_gains(pc, &kpd, &kid, &kdd);
	output = pc->pc_error / kpd + pc->pc_integral / kid +
	    pc->pc_derivative / kdd;
	output = pid_max(output - pc->pc_output, 0);
	pc->pc_output = (int32_t)(pc->pc_output + output);
	return ((int32_t)output);
}
