/*
 * sim.c - the discrete-event engine of one replay (spec section 12): the
 * agenda, the devices' completions, and the requests the vm layer leaves
 * in struct vm_notify.
 *
 * The page-daemon and laundry threads of each domain, resumable state
 * machines, are threads.c; trace events are applied in proc.c; the
 * report is filled in result.c.
 * docs/model.md describes the whole and every deliberate deviation.
 */
#include "sim/sim_int.h"
#include "util/arith.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_names[K_COUNT] = {
	[K_IO_DONE] = "pager write completion",
	[K_READ_DONE] = "fault read completion",
	[K_PD_TOP] = "page daemon loop top",
	[K_PD_TIMEOUT] = "page daemon timeout",
	[K_PD_WOKEN] = "page daemon wakeup",
	[K_LW_RUN] = "laundry thread step",
	[K_PROC_RUN] = "process continuation",
	[K_KILL_EXIT] = "exit of a killed process",
};

int
sim_fail(struct sim *s, int rc, uint64_t evno, const char *fmt, ...)
{
	va_list ap;

	if (s->error != 0)
		return (s->error);
	pg_error_clear(&s->err);
	va_start(ap, fmt);
	pg_error_vset(&s->err, rc, NULL, PG_POS_NONE, 0, fmt, ap);
	va_end(ap);
	s->err.event = evno;
	s->error = rc;
	return (rc);
}

int
sim_schedule(struct sim *s, uint64_t t, unsigned cls, uint8_t kind,
    uint32_t arg, uint32_t gen)
{
	struct sim_action a;
	int rc;

	a.time = t;
	a.order = sim_action_order(cls, s->seq++);
	a.arg = arg;
	a.gen = gen;
	a.kind = kind;
	rc = sim_heap_push(&s->heap, &a);
	if (rc < 0)
		return (sim_fail(s, rc, s->events, "out of memory for the agenda"));
	return (0);
}

uint64_t
sim_device_submit(struct sim_device *dev, uint64_t now, uint32_t pages)
{
	uint64_t start, service;

	/*
	 * A FIFO server: the request starts when the device is free; its
	 * transfer time is rounded up to whole nanoseconds.
	 */
	start = dev->free_at > now ? dev->free_at : now;
	service = pg_add_sat(dev->latency_ns,
	    sim_muldiv((uint64_t)pages * PG_PAGE_SIZE, SIM_NS_PER_S,
	    dev->bandwidth_bps, 1));
	dev->free_at = pg_add_sat(start, service);
	dev->requests++;
	dev->pages += pages;
	return (dev->free_at);
}

static void
io_done(struct sim *s, uint32_t id)
{
	uint32_t d;

	vm_io_complete(s->m, id, false);
	for (d = 0; d < s->ndomains; d++)
		if (s->lw[d].state == LWS_IO && s->lw[d].io_id == id)
			sim_lw_wake(s, d);
	sim_proc_wake_busy(s);
	sim_check(s, s->events, "an I/O completion");
	sim_notify(s);
}

/* ---- requests from the vm layer ---- */

void
sim_notify_pending(struct sim *s)
{
	struct vm_notify *n = &s->m->notify;
	const struct vm_io *io;
	struct sim_device *dev;
	uint32_t kill[VM_NOTIFY_KILLS_MAX], nkill, d, i, id;
	uint64_t bits, done;

	if (n->nomem) {
		n->nomem = false;
		sim_fail(s, -ENOMEM, s->events, "out of memory for the page index");
	}
	for (;;) {
		if (n->pd_wakeup == 0 && n->laundry_wakeup == 0 &&
		    !n->min_waiters && !n->pd_free_waiters &&
		    !n->io_submitted && !n->pbuf_freed &&
		    !n->runningbuf_wakeup && n->nkill == 0 &&
		    !n->panic)
			return;
		if (n->pd_wakeup != 0) {
			/*
			 * Only a worker asleep on pageout_wanted hears it; a
			 * pausing or scanning worker loses it (spec 6.4).
			 */
			bits = n->pd_wakeup;
			n->pd_wakeup = 0;
			for (d = 0; d < s->ndomains; d++) {
				if ((bits & (UINT64_C(1) << d)) == 0 ||
				    s->pd[d].state != PDS_SLEEP)
					continue;
				s->pd[d].state = PDS_WOKEN;
				s->pd[d].gen++;
				sim_schedule(s, s->now, SIM_CLASS_WAKE,
				    K_PD_WOKEN, d, s->pd[d].gen);
			}
		}
		if (n->laundry_wakeup != 0) {
			/* A thread not asleep sees the request at its handshake. */
			bits = n->laundry_wakeup;
			n->laundry_wakeup = 0;
			for (d = 0; d < s->ndomains; d++)
				if ((bits & (UINT64_C(1) << d)) != 0 &&
				    s->lw[d].state == LWS_SLEEP)
					sim_lw_wake(s, d);
		}
		if (n->min_waiters) {
			n->min_waiters = false;
			sim_proc_wake_min(s);
		}
		/* Our threads never sleep in vm_wait: nobody to wake. */
		n->pd_free_waiters = false;
		if (n->io_submitted) {
			n->io_submitted = false;
			while ((io = vm_io_take(s->m)) != NULL) {
				dev = io->kind == VM_IO_SWAP_WRITE ?
				    &s->swap_dev : &s->file_dev;
				id = io->id;
				done = sim_device_submit(dev, s->now, io->count);
				sim_schedule(s, done, SIM_CLASS_IO, K_IO_DONE,
				    id, 0);
			}
		}
		if (n->pbuf_freed) {
			n->pbuf_freed = false;
			for (d = 0; d < s->ndomains; d++)
				if (s->lw[d].state == LWS_PBUF &&
				    !vm_pbuf_waiting_td(s->m, d))
					sim_lw_wake(s, d);
		}
		if (n->runningbuf_wakeup) {
			/*
			 * runningwakeup() wakes every waitrunningbufspace()
			 * sleeper at once; each re-tests runningbufspace
			 * when it runs.
			 */
			n->runningbuf_wakeup = false;
			for (d = 0; d < s->ndomains; d++)
				if (s->lw[d].state == LWS_RUNNINGBUF &&
				    !vm_runningbuf_waiting(s->m, d))
					sim_lw_wake(s, d);
		}
		if (n->nkill != 0) {
			nkill = n->nkill;
			PG_KASSERT(nkill <= VM_NOTIFY_KILLS_MAX,
			    ("%u OOM victims in the mailbox", nkill));
			memcpy(kill, n->kill, nkill * sizeof(kill[0]));
			n->nkill = 0;
			for (i = 0; i < nkill; i++) {
				id = s->nkills;
				sim_proc_kill(s, kill[i]);
				if (s->nkills > id)
					sim_oom_explain(s, &n->kill_why[i],
					    &s->kills[id].why);
			}
		}
		if (n->panic) {
			n->panic = false;
			if (!s->panicked) {
				s->panicked = true;
				s->panic_ns = s->now;
				snprintf(s->panic_reason,
				    sizeof(s->panic_reason), "%s",
				    n->panic_reason);
				sim_oom_explain(s, &n->panic_why,
				    &s->panic_why);
			}
		}
	}
}

/* ---- the agenda ---- */

static void
run_action(struct sim *s, const struct sim_action *a)
{
	struct sim_pd *pd;
	char t[32];

	/* Stale actions (a cancelled timeout, a replaced run) do nothing. */
	switch (a->kind) {
	case K_PD_TOP:
	case K_PD_TIMEOUT:
	case K_PD_WOKEN:
		if (a->gen != s->pd[a->arg].gen)
			return;
		break;
	case K_LW_RUN:
		if (a->gen != s->lw[a->arg].gen)
			return;
		break;
	case K_PROC_RUN:
		if (a->gen != s->procs[a->arg].gen)
			return;
		break;
	default:
		break;
	}

	if (a->time > s->now) {
		if (s->tl != NULL)
			sim_timeline_reach(s, a->time);
		s->now = a->time;
		s->same_time_actions = 0;
	} else if (++s->same_time_actions > SIM_SAME_TIME_MAX) {
		trace_time_format(s->now, t, sizeof(t));
		sim_fail(s, -ELOOP, s->events,
		    "simulated time stopped at %s s: more than %ju actions at "
		    "one instant, the last a %s (%u); %u processes alive, "
		    "%u waiting for memory", t,
		    (uintmax_t)SIM_SAME_TIME_MAX, action_names[a->kind],
		    a->arg, s->nalive, s->nmin);
		return;
	}

	switch (a->kind) {
	case K_IO_DONE:
		io_done(s, a->arg);
		break;
	case K_READ_DONE:
		sim_proc_read_done(s, a->arg);
		break;
	case K_PD_TOP:
		s->pd[a->arg].state = PDS_RUN;
		sim_pd_top(s, a->arg);
		break;
	case K_PD_TIMEOUT:
	case K_PD_WOKEN:
		pd = &s->pd[a->arg];
		pd->state = PDS_RUN;
		sim_pd_scan(s, a->arg, a->kind == K_PD_WOKEN);
		break;
	case K_LW_RUN:
		s->lw[a->arg].state = LWS_RUN;
		sim_lw_run(s, a->arg);
		break;
	case K_PROC_RUN:
		sim_proc_run(s, a->arg);
		break;
	case K_KILL_EXIT:
		sim_proc_kill_exit(s, a->arg);
		break;
	default:
		break;
	}
}

/*
 * Overlap the cache misses of the faults to come with the work of the
 * actions before them (docs/performance.md, "Fifth round"): a process's
 * next page has its index leaf loaded when the process is scheduled
 * (proc.c), and its page once it is second on the agenda, one action
 * ahead.  Hints only: nothing the model computes depends on them.
 */
static void
prefetch_second(const struct sim *s)
{
	const struct sim_action *x;

	if (s->heap.n < 2)
		return;
	x = &s->heap.a[1];
	if (s->heap.n > 2 && sim_action_before(&s->heap.a[2], x))
		x = &s->heap.a[2];
	if (x->kind == K_PROC_RUN && x->gen == s->procs[x->arg].gen)
		sim_proc_prefetch(s, x->arg);
}

/*
 * Run every action ordered before (t, cls, +infinity); stop early on an
 * error, a panic, or (idle_stop) when no process is left.
 */
static void
run_until(struct sim *s, uint64_t t, unsigned cls, bool idle_stop)
{
	const struct sim_action *top;
	struct sim_action a;

	while (s->error == 0 && !s->panicked) {
		if (idle_stop && s->nalive == 0)
			return;
		if (sim_interrupted(s))
			return;
		top = sim_heap_peek(&s->heap);
		if (top == NULL || top->time > t ||
		    (top->time == t && (top->order >> SIM_SEQ_BITS) > cls))
			return;
		sim_heap_take(&s->heap, &a);
		run_action(s, &a);
		sim_heap_settle(&s->heap);
		prefetch_second(s);
	}
}

/* ---- public API ---- */

int
sim_create(const struct pg_config *cfg, const struct sim_options *opt,
    struct sim **out, struct pg_error *err)
{
	struct sim *s;
	uint32_t d;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory"));
	s->cfg = *cfg;
	if (opt != NULL)
		s->opt = *opt;
	s->hz = cfg->sysctl.hz > 0 ? cfg->sysctl.hz : 1000;
	rc = vm_machine_create(cfg, sim_ticks0(s->hz), &s->m);
	if (rc < 0) {
		free(s);
		return (pg_error_setv(err, rc, "", PG_POS_NONE, 0,
		    "cannot build the machine: %s", strerror(-rc)));
	}
	s->ndomains = s->m->ndomains;
	sim_check_init(s);
	pageout_shared_init(&s->sh, cfg);
	s->pd = calloc(s->ndomains, sizeof(*s->pd));
	s->lw = calloc(s->ndomains, sizeof(*s->lw));
	pg_idmap_init(&s->pids);
	sim_spill_init(&s->spill);
	if (s->pd == NULL || s->lw == NULL) {
		sim_destroy(s);
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory"));
	}
	s->swap_dev.latency_ns = cfg->swap_dev.latency_ns;
	s->swap_dev.bandwidth_bps = cfg->swap_dev.bandwidth_bps > 0 ?
	    cfg->swap_dev.bandwidth_bps : 1;
	s->file_dev.latency_ns = cfg->file_dev.latency_ns;
	s->file_dev.bandwidth_bps = cfg->file_dev.bandwidth_bps > 0 ?
	    cfg->file_dev.bandwidth_bps : 1;

	/* Every thread starts at time 0, daemons then laundry, domain order. */
	for (d = 0; d < s->ndomains; d++) {
		pageout_worker_init(&s->pd[d].w, s->m, d);
		sim_schedule(s, 0, SIM_CLASS_DAEMON, K_PD_TOP, d, s->pd[d].gen);
	}
	for (d = 0; d < s->ndomains; d++) {
		laundry_worker_init(&s->lw[d].lw, d,
		    cfg->laundry_last_target_init);
		sim_schedule(s, 0, SIM_CLASS_LAUNDRY, K_LW_RUN, d, s->lw[d].gen);
	}
	if (s->error != 0) {
		rc = s->error;
		*err = s->err;
		sim_destroy(s);
		return (rc);
	}
	if (s->opt.timeline_interval_ns > 0 &&
	    sim_timeline_start(s, s->opt.timeline_interval_ns) < 0) {
		sim_destroy(s);
		return (pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory for the timeline"));
	}
	*out = s;
	return (0);
}

static int
sim_error_out(const struct sim *s, struct pg_error *err)
{
	if (err != NULL)
		*err = s->err;
	return (s->error);
}

int
sim_feed(struct sim *s, const struct trace_event *ev, struct pg_error *err)
{
	uint64_t evno;
	char t[32];

	if (s->error != 0)
		return (sim_error_out(s, err));
	if (s->finished) {
		sim_fail(s, -EINVAL, s->events, "event fed after the end of the run");
		return (sim_error_out(s, err));
	}
	evno = ++s->events;
	if (ev->time_ns < s->last_event_ns) {
		trace_time_format(ev->time_ns, t, sizeof(t));
		sim_fail(s, -EINVAL, evno, "time %s s goes backwards", t);
		return (sim_error_out(s, err));
	}
	s->last_event_ns = ev->time_ns;
	/* Everything due before this event, in the order of spec 12.2. */
	run_until(s, ev->time_ns, SIM_CLASS_TRACE, false);
	if (s->error != 0)
		return (sim_error_out(s, err));
	if (s->tl != NULL)
		sim_timeline_reach(s, ev->time_ns);
	if (s->now < ev->time_ns)
		s->now = ev->time_ns;
	if (s->tl != NULL && ev->op == TRACE_OP_MARK && !s->panicked)
		sim_timeline_mark(s, ev->str);
	if (s->panicked) {
		/* The machine is down: nothing more is replayed. */
		s->events_unreplayed++;
		return (0);
	}
	if (sim_proc_event(s, ev, evno) < 0 || s->error != 0)
		return (sim_error_out(s, err));
	return (0);
}

int
sim_finish(struct sim *s, struct report_run *out, struct pg_error *err)
{
	uint64_t end;
	int rc;

	memset(out, 0, sizeof(*out));
	if (s->error != 0)
		return (sim_error_out(s, err));
	if (!s->finished) {
		/* interfaces.md 2: run on until no process is left or drain passes. */
		end = pg_add_sat(s->last_event_ns, s->cfg.drain_ns);
		run_until(s, end, SIM_CLASS_LAUNDRY, true);
		if (s->error != 0)
			return (sim_error_out(s, err));
		if (s->nalive > 0 && !s->panicked && s->now < end) {
			if (s->tl != NULL)
				sim_timeline_reach(s, end);
			s->now = end;
		}
		sim_proc_end(s);
		s->finished = true;
		sim_check_full(s, s->events, "the end of the run");
		if (s->error != 0)
			return (sim_error_out(s, err));
	}
	rc = sim_fill_report(s, out);
	if (rc == 0)
		out->timeline = sim_timeline_end(s);
	if (rc < 0) {
		report_run_finish(out);
		memset(out, 0, sizeof(*out));
		return (pg_error_setv(err, rc, "", PG_POS_NONE, 0,
		    "out of memory for the report"));
	}
	return (0);
}

void
sim_destroy(struct sim *s)
{
	if (s == NULL)
		return;
	sim_procs_free(s);
	sim_spill_finish(&s->spill);
	sim_timeline_free(s);
	sim_heap_finish(&s->heap);
	free(s->pd);
	free(s->lw);
	pg_idmap_finish(&s->pids);
	free(s->slot2proc);
	free(s->min_waiters);
	free(s->busy_waiters);
	free(s->kills);
	sim_phases_free(s);
	vm_machine_destroy(s->m);
	free(s);
}
