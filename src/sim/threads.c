/*
 * threads.c - the page daemon and the laundry thread of each domain as
 * resumable state machines on the simulator's agenda (spec 12.3, 12.4):
 * a daemon loop top and scan with its CPU cost, the laundry thread's
 * steps, and the wakeup of a sleeping laundry thread.  sim.c runs the
 * agenda and dispatches to these.
 */
#include "sim/sim_int.h"
#include "util/arith.h"

static uint64_t
scan_cost(const struct sim *s, uint64_t visited)
{
	uint64_t per_page;

	/* spec 12.3: c_iter + c_page * visited, saturating. */
	per_page = sim_muldiv(s->cfg.scan_cost_per_page_ns, visited, 1, 0);
	return (pg_add_sat(s->cfg.scan_cost_per_scan_ns, per_page));
}

static struct pageout_clock
kernel_clock(const struct sim *s)
{
	struct pageout_clock c;

	c.ticks = sim_ticks_at(s->now, s->hz);
	c.time_uptime = sim_uptime_at(s->now);
	return (c);
}

/* A wait of n ticks (n < 1 is taken as 1: a zero timeout would mean "forever"). */
static uint64_t
ticks_later(const struct sim *s, uint64_t from, int32_t n)
{
	return (sim_wait_end(from, n < 1 ? 1 : (uint64_t)n, s->hz));
}

/* ---- page daemon (spec 7.2, 12.3, 12.4) ---- */

void
sim_pd_scan(struct sim *s, uint32_t d, bool woken)
{
	struct sim_pd *pd = &s->pd[d];
	struct pageout_clock clk;
	uint64_t visited, cost;

	clk = kernel_clock(s);
	s->m->dom[d].oom_now_ns = s->now;	/* for the OOM records only */
	visited = pageout_worker_scan(s->m, &pd->w, &s->sh, &clk, woken);
	cost = scan_cost(s, visited);
	s->pd_busy_ns = pg_add_sat(s->pd_busy_ns, cost);
	/* The worker is busy for the scan's cost, then goes back to the top. */
	pd->state = PDS_BUSY;
	pd->gen++;
	sim_schedule(s, pg_add_sat(s->now, cost), SIM_CLASS_DAEMON, K_PD_TOP, d,
	    pd->gen);
	sim_check(s, s->events, "a page daemon scan");
	sim_notify(s);
}

void
sim_pd_top(struct sim *s, uint32_t d)
{
	struct sim_pd *pd = &s->pd[d];
	struct pd_decision dec;
	uint64_t bin, interval;

	dec = pageout_worker_top(s->m, &pd->w);
	s->pd_iterations++;
	/* Iterations per PID interval (hz / 10 ticks), spec 12.3. */
	interval = (uint64_t)(s->hz / VM_INACT_SCAN_RATE);
	if (interval == 0)
		interval = 1;
	bin = sim_elapsed_ticks(s->now, s->hz) / interval;
	if (bin != pd->iter_bin || pd->iter_in_bin == 0) {
		pd->iter_bin = bin;
		pd->iter_in_bin = 0;
	}
	if (++pd->iter_in_bin > s->pd_iter_max_interval)
		s->pd_iter_max_interval = pd->iter_in_bin;

	switch (dec.wait) {
	case PD_WAIT_NONE:
		sim_pd_scan(s, d, false);
		return;
	case PD_WAIT_PAUSE:
		pd->state = PDS_PAUSE;
		break;
	case PD_WAIT_SLEEP:
	default:
		pd->state = PDS_SLEEP;
		break;
	}
	pd->gen++;
	sim_schedule(s, ticks_later(s, s->now, dec.ticks), SIM_CLASS_WAKE,
	    K_PD_TIMEOUT, d, pd->gen);
	sim_notify(s);
}

/* ---- laundry thread (spec 8, 12.4, 12.5) ---- */

void
sim_lw_wake(struct sim *s, uint32_t d)
{
	struct sim_lw *l = &s->lw[d];
	uint64_t t;

	l->state = LWS_RUN;
	l->gen++;
	t = l->busy_until > s->now ? l->busy_until : s->now;
	sim_schedule(s, t, SIM_CLASS_WAKE, K_LW_RUN, d, l->gen);
}

void
sim_lw_run(struct sim *s, uint32_t d)
{
	struct sim_lw *l = &s->lw[d];
	struct pageout_clock clk;
	struct lw_decision dec;
	uint64_t cost;

	clk = kernel_clock(s);
	dec = laundry_worker_run(s->m, &l->lw, &clk);
	cost = scan_cost(s, dec.visited);
	s->laundry_busy_ns = pg_add_sat(s->laundry_busy_ns, cost);
	l->busy_until = pg_add_sat(s->now, cost);
	l->gen++;
	switch (dec.wait) {
	case LW_WAIT_SLEEP:
		l->state = LWS_SLEEP;
		break;
	case LW_WAIT_PAUSE:
		l->state = LWS_PAUSE;
		sim_schedule(s, ticks_later(s, l->busy_until, dec.ticks),
		    SIM_CLASS_WAKE, K_LW_RUN, d, l->gen);
		break;
	case LW_WAIT_PBUF:
		l->state = LWS_PBUF;
		break;
	case LW_WAIT_RUNNINGBUF:
		/* Asleep in waitrunningbufspace() until runningwakeup(). */
		l->state = LWS_RUNNINGBUF;
		break;
	case LW_WAIT_IO:
	default:
		l->state = LWS_IO;
		l->io_id = dec.io_id;
		break;
	}
	sim_check(s, s->events, "a laundry thread step");
	sim_notify(s);
	/* A pbuf or runningbufspace wait already over ends at once. */
	if ((l->state == LWS_PBUF && !vm_pbuf_waiting_td(s->m, d)) ||
	    (l->state == LWS_RUNNINGBUF && !vm_runningbuf_waiting(s->m, d)))
		sim_lw_wake(s, d);
}

/* ---- devices (spec 12.5) ---- */

