/*
 * clock.h - simulated time and the kernel's view of it (spec 12.1).
 *
 * The simulator keeps one 64-bit count of nanoseconds since the start of
 * the trace.  The kernel sees it through `ticks` (a wrapping int that
 * starts at INT_MAX - 600 * hz, as kern_clock.c initialises it, so that
 * the first wrap comes ten minutes after boot) and `time_uptime` (whole
 * seconds since boot, starting at 1).  Pure functions: no state.
 */
#ifndef PGREPLAY_SIM_CLOCK_H
#define PGREPLAY_SIM_CLOCK_H

#include <stdint.h>

#define SIM_NS_PER_S UINT64_C(1000000000)

/*
 * sim_muldiv() - floor(a * b / c) (ceil when round_up) computed exactly in
 * 128 bits; saturates at UINT64_MAX.  c must not be 0.
 */
uint64_t sim_muldiv(uint64_t a, uint64_t b, uint64_t c, int round_up);

/* sim_elapsed_ticks() - floor(t * hz / 1e9): ticks since trace start at t ns. */
uint64_t sim_elapsed_ticks(uint64_t t_ns, int32_t hz);

/* sim_ticks0() - the kernel's `ticks` at trace start: INT_MAX - 600 * hz. */
int32_t sim_ticks0(int32_t hz);

/*
 * sim_ticks_at() - the kernel's `ticks` at t ns: ticks0 + elapsed ticks
 * with the 32-bit wrap of the kernel's int (no undefined overflow here).
 */
int32_t sim_ticks_at(uint64_t t_ns, int32_t hz);

/* sim_uptime_at() - time_uptime at t ns: 1 + whole seconds (spec 14 item 11). */
int64_t sim_uptime_at(uint64_t t_ns);

/* sim_tick_start() - the first ns of elapsed tick k: ceil(k * 1e9 / hz). */
uint64_t sim_tick_start(uint64_t k, int32_t hz);

/*
 * sim_wait_end() - when a wait of n ticks begun at t ns ends: at the start
 * of tick elapsed_ticks(t) + n, as a callout armed n ticks ahead fires at
 * that hardclock.  n = 0 ends at the start of the current tick, which is
 * never after t; callers use n >= 1.
 */
uint64_t sim_wait_end(uint64_t t_ns, uint64_t n, int32_t hz);

#endif
