/*
 * pidctrl.h - the seed-era PID controller of the page daemon,
 * pidctrl_daemon() of subr_pidctrl.c as introduced by r329882 (spec 7.3),
 * and, for the variant pidctrl-2018-06, the June 2018 rewrite (spec 14
 * item 8a).
 */
#ifndef PGREPLAY_PAGEOUT_PIDCTRL_H
#define PGREPLAY_PAGEOUT_PIDCTRL_H

#include <stdint.h>

#define PIDCTRL_KPD 3
#define PIDCTRL_KID 4
#define PIDCTRL_KDD 8
#define PIDCTRL_BOUND 4

struct pidctrl {
	int32_t pc_error, pc_olderror, pc_integral, pc_derivative;
	int32_t pc_input, pc_output;
	int32_t pc_ticks;		/* start of the current interval */
	int32_t pc_setpoint, pc_interval, pc_bound;
	int32_t pc_kpd, pc_kid, pc_kdd;
};

/* pidctrl_init() - zero everything, set the configuration; bound = bound * setpoint * kid. */
void pidctrl_init(struct pidctrl *pc, int32_t interval, int32_t setpoint,
    int32_t bound, int32_t kpd, int32_t kid, int32_t kdd);

/*
 * pidctrl_daemon() - one call with input at kernel time ticks (wrapping);
 * returns the additional pages to free in this interval (>= 0).
 */
int32_t pidctrl_daemon(struct pidctrl *pc, int32_t input, int32_t ticks);

/*
 * pidctrl_daemon_2018() - the same call as pidctrl_daemon() of FreeBSD
 * commit e768070ca939 (2018-06-07), the variant pidctrl-2018-06: inside an
 * interval the new error is taken relative to what the last call left
 * (the error accumulated minus the output already returned), added to
 * the accumulated error and to the integral, and the derivative uses the
 * accumulated error.  A call that starts an interval is the seed's.
 * Returns the additional pages to free in this interval (>= 0).
 */
int32_t pidctrl_daemon_2018(struct pidctrl *pc, int32_t input, int32_t ticks);

#endif
