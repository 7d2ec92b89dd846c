/*
 * result.c - the report of one run (interfaces.md 4): effective sysctls,
 * each domain's thresholds and end state, every counter, the OOM kills
 * and the processes.  Also the list of statistic names (sim_stat_name()).
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The simulator's own statistics, after the vm counters (X(name, is_real)). */
#define SIM_STATS(X) \
	X(stalls, 0) \
	X(stall_time_s, 1) \
	X(io_wait_s, 1) \
	X(events, 0) \
	X(events_dropped, 0) \
	X(events_unreplayed, 0) \
	X(pd_iterations, 0) \
	X(pd_iterations_max_interval, 0) \
	X(pd_busy_s, 1) \
	X(laundry_busy_s, 1) \
	X(swap_reads, 0) \
	X(file_reads, 0) \
	X(swap_device_busy_until_s, 1) \
	X(marks, 0) \
	X(end_time_s, 1)

static const char *const sim_stat_names[] = {
#define SIM_STAT_NAME(name, real) #name,
	SIM_STATS(SIM_STAT_NAME)
#undef SIM_STAT_NAME
};

#define NSIM_STATS (sizeof(sim_stat_names) / sizeof(sim_stat_names[0]))

const char *
sim_stat_name(size_t i)
{
	size_t nvm;

	(void)vm_counters_table(&nvm);
	if (i < nvm)
		return (vm_counters_table(&nvm)[i].name);
	i -= nvm;
	return (i < NSIM_STATS ? sim_stat_names[i] : NULL);
}

static double
secs(uint64_t ns)
{
	/* Exact for whole and most fractional values; JSON prints them %.17g. */
	return ((double)(ns / SIM_NS_PER_S) +
	    (double)(ns % SIM_NS_PER_S) / 1e9);
}

static void
set_int(struct report_value *v, const char *name, int64_t i)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->i = i;
}

static void
set_real(struct report_value *v, const char *name, double d)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->is_real = true;
	v->d = d;
}

static int
fill_domains(const struct sim *s, struct report_run *out)
{
	const struct vm_domain *vd;
	struct report_value *f;
	uint32_t d;
	size_t k;

	out->domains = calloc(s->ndomains, sizeof(*out->domains));
	if (out->domains == NULL)
		return (-ENOMEM);
	out->ndomains = s->ndomains;
	for (d = 0; d < s->ndomains; d++) {
		vd = &s->m->dom[d];
		f = calloc(20, sizeof(*f));
		if (f == NULL)
			return (-ENOMEM);
		out->domains[d].index = d;
		out->domains[d].fields = f;
		k = 0;
		set_int(&f[k++], "page_count", vd->th.page_count);
		set_int(&f[k++], "free_min", vd->th.free_min);
		set_int(&f[k++], "free_target", vd->th.free_target);
		set_int(&f[k++], "free_severe", vd->th.free_severe);
		set_int(&f[k++], "free_reserved", vd->th.free_reserved);
		set_int(&f[k++], "inactive_target", vd->th.inactive_target);
		set_int(&f[k++], "pageout_wakeup_thresh",
		    vd->th.pageout_wakeup_thresh);
		set_int(&f[k++], "background_launder_target",
		    vd->th.background_launder_target);
		set_int(&f[k++], "pageout_free_min", vd->th.pageout_free_min);
		set_int(&f[k++], "interrupt_free_min", vd->th.interrupt_free_min);
		/* End state. */
		set_int(&f[k++], "free_count", vd->free_count);
		set_int(&f[k++], "pass", s->pd[d].w.pass);
		set_int(&f[k++], "inactive", vd->pq[PQ_INACTIVE].cnt);
		set_int(&f[k++], "active", vd->pq[PQ_ACTIVE].cnt);
		set_int(&f[k++], "laundry", vd->pq[PQ_LAUNDRY].cnt);
		set_int(&f[k++], "unswappable", vd->pq[PQ_UNSWAPPABLE].cnt);
		set_int(&f[k++], "pageout_deficit", vd->pageout_deficit);
		set_int(&f[k++], "kernel_cache", vd->kernel_cache);
		out->domains[d].nfields = k;
	}
	return (0);
}

static int
fill_stats(const struct sim *s, struct report_run *out)
{
	const struct vm_counter_desc *t;
	struct report_value *v;
	size_t nvm, i, k;

	t = vm_counters_table(&nvm);
	v = calloc(nvm + NSIM_STATS, sizeof(*v));
	if (v == NULL)
		return (-ENOMEM);
	out->stats = v;
	for (i = 0; i < nvm; i++)
		set_int(&v[i], t[i].name, (int64_t)*(const uint64_t *)(const void *)
		    ((const char *)&s->m->cnt + t[i].offset));
	k = nvm;
	set_int(&v[k++], "stalls", (int64_t)s->stalls);
	set_real(&v[k++], "stall_time_s", secs(s->stall_ns));
	set_real(&v[k++], "io_wait_s", secs(s->io_wait_ns));
	set_int(&v[k++], "events", (int64_t)s->events);
	set_int(&v[k++], "events_dropped", (int64_t)s->events_dropped);
	set_int(&v[k++], "events_unreplayed", (int64_t)s->events_unreplayed);
	set_int(&v[k++], "pd_iterations", (int64_t)s->pd_iterations);
	set_int(&v[k++], "pd_iterations_max_interval",
	    (int64_t)s->pd_iter_max_interval);
	set_real(&v[k++], "pd_busy_s", secs(s->pd_busy_ns));
	set_real(&v[k++], "laundry_busy_s", secs(s->laundry_busy_ns));
	set_int(&v[k++], "swap_reads", (int64_t)s->swap_reads);
	set_int(&v[k++], "file_reads", (int64_t)s->file_reads);
	set_real(&v[k++], "swap_device_busy_until_s", secs(s->swap_dev.free_at));
	set_int(&v[k++], "marks", (int64_t)s->marks);
	set_real(&v[k++], "end_time_s", secs(s->now));
	out->nstats = k;
	return (0);
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

static int
fill_processes(const struct sim *s, struct report_run *out)
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

int
sim_fill_report(struct sim *s, struct report_run *out)
{
	struct pg_config eff;
	size_t n, i;
	uint32_t k;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", s->cfg.name);
	for (i = 0; i < conf_variant_count() && out->nvariants <
	    REPORT_VARIANTS_MAX; i++)
		if ((s->cfg.model_variants & (UINT32_C(1) << i)) != 0)
			snprintf(out->variants[out->nvariants++],
			    sizeof(out->variants[0]), "%s",
			    conf_variant_name(i));

	/* The sysctls in effect: the machine's (e.g. update period 0 -> 600). */
	eff = s->cfg;
	eff.sysctl = s->m->sysctl;
	eff.sysctl.pageout_update_period = s->m->pageout_update_period;
	n = conf_sysctl_count();
	out->sysctl = calloc(n != 0 ? n : 1, sizeof(*out->sysctl));
	if (out->sysctl == NULL)
		return (-ENOMEM);
	out->nsysctl = n;
	for (i = 0; i < n; i++)
		set_int(&out->sysctl[i], conf_sysctl_desc(i)->name,
		    conf_sysctl_get(&eff, i));

	if ((rc = fill_domains(s, out)) < 0 ||
	    (rc = fill_stats(s, out)) < 0 ||
	    (rc = fill_processes(s, out)) < 0)
		return (rc);

	if (s->nkills > 0) {
		out->oom_kills = calloc(s->nkills, sizeof(*out->oom_kills));
		if (out->oom_kills == NULL)
			return (-ENOMEM);
		out->noom_kills = s->nkills;
		for (k = 0; k < s->nkills; k++) {
			out->oom_kills[k].time_s = secs(s->kills[k].time_ns);
			out->oom_kills[k].pid = s->kills[k].pid;
			memcpy(out->oom_kills[k].name, s->kills[k].name,
			    sizeof(out->oom_kills[k].name));
			out->oom_kills[k].pages = s->kills[k].pages;
		}
	}
	if (s->panicked) {
		out->panic = true;
		out->panic_time_s = secs(s->panic_ns);
		snprintf(out->panic_reason, sizeof(out->panic_reason), "%s",
		    s->panic_reason);
	}
	return (0);
}
