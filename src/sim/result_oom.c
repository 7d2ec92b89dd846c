/*
 * result_oom.c - the OOM kills of a run's report, each with the model's
 * own account of why (verdict, thresholds, queues, swap, the PID output,
 * the laundry thread), and the fate of every process.
 */
#include "sim/result_int.h"

#include "conf/conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
laundry_request_name(int32_t r)
{
	switch (r) {
	case VM_LAUNDRY_BACKGROUND:
		return ("background");
	case VM_LAUNDRY_SHORTFALL:
		return ("shortfall");
	default:
		return ("idle");
	}
}

static const char *
lw_state_name(uint8_t st)
{
	switch (st) {
	case LWS_RUN:
		return ("running");
	case LWS_SLEEP:
		return ("asleep, no request");
	case LWS_PAUSE:
		return ("pausing between runs");
	case LWS_PBUF:
		return ("waiting for a swap write slot");
	case LWS_IO:
		return ("waiting for a file write");
	default:
		return ("waiting for runningbufspace");
	}
}

void
sim_oom_explain(const struct sim *s, const struct vm_oom_why *vm,
    struct sim_oom_why *out)
{
	uint32_t d = vm->domain < s->ndomains ? vm->domain : 0;

	memset(out, 0, sizeof(*out));
	out->valid = true;
	out->vm = *vm;
	out->pid_output = s->pd[d].w.shortage;
	out->pd_pass = s->pd[d].w.pass;
	out->lw_target = s->lw[d].lw.target;
	out->lw_last_target = s->lw[d].lw.last_target;
	out->lw_in_shortfall = s->lw[d].lw.in_shortfall;
	out->lw_state = s->lw[d].state;
	out->laundered_background = s->m->cnt.laundered_background;
	out->laundered_shortfall = s->m->cnt.laundered_shortfall;
	out->swappgsout = s->m->cnt.v_swappgsout;
}

/* result_why_fill() - the report's form of an explanation (still only data). */
void
result_why_fill(const struct sim_oom_why *w, struct report_oom_why *r)
{
	const struct vm_oom_why *v = &w->vm;
	struct report_oom_scan *rs;
	const struct vm_oom_scan *e;
	uint32_t i, first = 0;

	memset(r, 0, sizeof(*r));
	if (!w->valid)
		return;
	r->valid = true;
	r->panic = v->panic;
	r->domain = v->domain;
	r->ndomains = v->ndomains;
	r->pageout_oom_seq = v->pageout_oom_seq;
	if (v->nscans > REPORT_OOM_SCANS)
		first = v->nscans - REPORT_OOM_SCANS;
	for (i = first; i < v->nscans; i++) {
		e = &v->scans[i];
		rs = &r->scans[r->nscans++];
		rs->time_s = secs(e->time_ns);
		rs->asked = e->asked;
		rs->freed = (int64_t)e->asked - e->left;
		rs->oom_seq = e->oom_seq;
		rs->failed = e->asked > 0 && e->asked == e->left;
		rs->free_count = e->free_count;
		rs->inactive = e->inactive;
		rs->active = e->active;
		rs->laundry = e->laundry;
		rs->unswappable = e->unswappable;
		snprintf(rs->laundry_request, sizeof(rs->laundry_request),
		    "%s", laundry_request_name(e->laundry_request));
		rs->has_laundered = i > first;
		if (rs->has_laundered)
			rs->laundered = e->laundered - v->scans[i - 1].laundered;
		rs->swap_used = e->swap_used;
	}
	r->free_count = v->free_count;
	r->free_min = v->free_min;
	r->free_severe = v->free_severe;
	r->free_target = v->free_target;
	r->inactive = v->inactive;
	r->active = v->active;
	r->laundry = v->laundry;
	r->unswappable = v->unswappable;
	r->inactive_target = v->inactive_target;
	snprintf(r->laundry_request, sizeof(r->laundry_request), "%s",
	    laundry_request_name(v->laundry_request));
	r->swap_used = v->swap_used;
	r->swap_total = v->swap_total;
	r->pid_output = w->pid_output;
	r->pass = w->pd_pass;
	r->lw_target = w->lw_target;
	r->lw_last_target = w->lw_last_target;
	r->lw_in_shortfall = w->lw_in_shortfall;
	snprintf(r->lw_state, sizeof(r->lw_state), "%s",
	    lw_state_name(w->lw_state));
	r->laundered_background = w->laundered_background;
	r->laundered_shortfall = w->laundered_shortfall;
	r->swappgsout = w->swappgsout;
	r->victim_pages = v->victim_pages;
}

static const char *
fate_name(uint8_t fate)
{
	switch (fate) {
	case PF_EXITED:
		return ("exited");
	case PF_KILLED:
		return ("killed");
	case PF_STALLED:
		return ("stalled");
	default:
		return ("running");
	}
}

int
result_fill_processes(const struct sim *s, struct report_run *out)
{
	const struct sim_proc *p;
	struct report_process *rp;
	struct report_value *x;
	uint32_t i;

	if (s->nprocs == 0)
		return (0);
	out->processes = calloc(s->nprocs, sizeof(*out->processes));
	if (out->processes == NULL)
		return (-ENOMEM);
	out->nprocesses = s->nprocs;
	for (i = 0; i < s->nprocs; i++) {
		p = &s->procs[i];
		rp = &out->processes[i];
		rp->pid = p->pid;
		memcpy(rp->name, p->name, sizeof(rp->name));
		rp->fate = fate_name(p->fate);
		rp->stalls = p->stalls;
		rp->stall_time_s = secs(p->stall_ns);
		x = calloc(5, sizeof(*x));
		if (x == NULL)
			return (-ENOMEM);
		rp->extra = x;
		rp->nextra = 5;
		set_int(&x[0], "faults", (int64_t)p->faults);
		set_real(&x[1], "io_wait_s", secs(p->io_wait_ns));
		set_int(&x[2], "events_dropped", (int64_t)p->dropped);
		set_int(&x[3], "events_unreplayed", (int64_t)p->unreplayed);
		set_real(&x[4], "end_time_s", secs(p->end_ns));
	}
	return (0);
}
