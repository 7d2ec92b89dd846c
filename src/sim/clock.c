/*
 * clock.c - simulated time and ticks (spec 12.1).
 */
#include "sim/clock.h"

#include <limits.h>

__extension__ typedef unsigned __int128 sim_u128;

uint64_t
sim_muldiv(uint64_t a, uint64_t b, uint64_t c, int round_up)
{
	sim_u128 p, q;

	p = (sim_u128)a * b;
	q = p / c;
	if (round_up && q * c != p)
		q++;
	if (q > UINT64_MAX)
		return (UINT64_MAX);
	return ((uint64_t)q);
}

uint64_t
sim_elapsed_ticks(uint64_t t_ns, int32_t hz)
{
	return (sim_muldiv(t_ns, (uint64_t)hz, SIM_NS_PER_S, 0));
}

/*
 * The two's complement value of u as the kernel's 32-bit int holds it
 * after wrapping; written without an implementation-defined conversion.
 */
static int32_t
wrap32(uint32_t u)
{
	if (u <= (uint32_t)INT32_MAX)
		return ((int32_t)u);
	return ((int32_t)(u - UINT32_C(2147483648)) + INT32_MIN);
}

int32_t
sim_ticks0(int32_t hz)
{
	/* kern_clock.c: ticks starts at INT_MAX - 600 * hz (spec 7.3 note). */
	return (wrap32((uint32_t)INT32_MAX - (uint32_t)600 * (uint32_t)hz));
}

int32_t
sim_ticks_at(uint64_t t_ns, int32_t hz)
{
	uint32_t u;

	u = (uint32_t)sim_ticks0(hz) + (uint32_t)sim_elapsed_ticks(t_ns, hz);
	return (wrap32(u));
}

int64_t
sim_uptime_at(uint64_t t_ns)
{
	return (1 + (int64_t)(t_ns / SIM_NS_PER_S));
}

uint64_t
sim_tick_start(uint64_t k, int32_t hz)
{
	return (sim_muldiv(k, SIM_NS_PER_S, (uint64_t)hz, 1));
}

uint64_t
sim_wait_end(uint64_t t_ns, uint64_t n, int32_t hz)
{
	uint64_t k;

	k = sim_elapsed_ticks(t_ns, hz);
	if (k > UINT64_MAX - n)
		return (UINT64_MAX);
	return (sim_tick_start(k + n, hz));
}
