/*
 * result.c - the report of one run (interfaces.md 4): effective sysctls,
 * each domain's thresholds and end state, every counter, the OOM kills
 * and the processes.  Also the list of statistic names (sim_stat_name()).
 */
#include "sim/sim_int.h"

#include "conf/conf.h"

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

/* sim_nstats() - the number of statistics a run reports. */
static size_t
sim_nstats(void)
{
	size_t nvm;

	(void)vm_counters_table(&nvm);
	return (nvm + NSIM_STATS);
}

/* stats_into() - every statistic as it stands now into v[0 .. sim_nstats()). */
static size_t
stats_into(const struct sim *s, struct report_value *v)
{
	const struct vm_counter_desc *t;
	size_t nvm, i, k;

	t = vm_counters_table(&nvm);
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
	return (k);
}

static int
fill_stats(const struct sim *s, struct report_run *out)
{
	struct report_value *v;

	v = calloc(sim_nstats(), sizeof(*v));
	if (v == NULL)
		return (-ENOMEM);
	out->stats = v;
	out->nstats = stats_into(s, v);
	return (0);
}

/*
 * phase_additive() - whether a statistic adds up over time, so that its
 * change over a phase means something.  Lowest, peak, "most within" and
 * "time at which" values do not.
 */
static bool
phase_additive(const char *name)
{
	static const char *const gauges[] = {
		"min_free_count", "peak_unswappable", "peak_swap_used",
		"pd_iterations_max_interval", "swap_device_busy_until_s",
		"end_time_s",
	};
	size_t i;

	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++)
		if (strcmp(name, gauges[i]) == 0)
			return (false);
	return (true);
}

/*
 * phase_push() - open a phase called name at start_ns; its statistics at
 * the start are the current ones, or all zero (zero: the run's start).
 */
static int
phase_push(struct sim *s, const char *name, uint64_t start_ns, bool zero)
{
	struct sim_phase *np, *ph;
	size_t ncap, i;

	if (s->nphases >= REPORT_PHASES_MAX) {
		/* Bounded memory: later marks fall into the last phase. */
		s->phases_truncated = true;
		return (0);
	}
	if (s->nphases == s->phases_cap) {
		ncap = s->phases_cap != 0 ? (size_t)s->phases_cap * 2 : 8;
		if (ncap > REPORT_PHASES_MAX)
			ncap = REPORT_PHASES_MAX;
		np = realloc(s->phases, ncap * sizeof(*np));
		if (np == NULL)
			return (sim_fail(s, -ENOMEM, s->events, "out of memory"));
		s->phases = np;
		s->phases_cap = (uint32_t)ncap;
	}
	ph = &s->phases[s->nphases];
	ph->at_start = calloc(sim_nstats(), sizeof(*ph->at_start));
	if (ph->at_start == NULL)
		return (sim_fail(s, -ENOMEM, s->events, "out of memory"));
	s->nphases++;
	snprintf(ph->name, sizeof(ph->name), "%s", name);
	ph->start_ns = start_ns;
	stats_into(s, ph->at_start);
	for (i = 0; zero && i < sim_nstats(); i++) {
		ph->at_start[i].i = 0;
		ph->at_start[i].d = 0.0;
	}
	return (0);
}

int
sim_phase_mark(struct sim *s, const char *name)
{
	int rc;

	/* What came before a first mark after time 0 is a phase of its own. */
	if (s->nphases == 0 && s->now > 0 &&
	    (rc = phase_push(s, "(start)", 0, true)) < 0)
		return (rc);
	return (phase_push(s, name, s->now, false));
}

void
sim_phases_free(struct sim *s)
{
	uint32_t i;

	for (i = 0; i < s->nphases; i++)
		free(s->phases[i].at_start);
	free(s->phases);
	s->phases = NULL;
	s->nphases = s->phases_cap = 0;
}

/* fill_phases() - each phase's change of every additive statistic. */
static int
fill_phases(const struct sim *s, struct report_run *out)
{
	struct report_value *end, *d;
	const struct report_value *a, *b;
	struct report_phase *rp;
	size_t ns = sim_nstats(), i, k, n;

	if (s->nphases == 0)
		return (0);
	end = calloc(ns, sizeof(*end));
	out->phases = calloc(s->nphases, sizeof(*out->phases));
	if (end == NULL || out->phases == NULL) {
		free(end);
		return (-ENOMEM);
	}
	out->nphases = s->nphases;
	out->phases_truncated = s->phases_truncated;
	stats_into(s, end);
	for (i = 0; i < s->nphases; i++) {
		rp = &out->phases[i];
		snprintf(rp->name, sizeof(rp->name), "%s", s->phases[i].name);
		rp->start_s = secs(s->phases[i].start_ns);
		rp->end_s = secs(i + 1 < s->nphases ?
		    s->phases[i + 1].start_ns : s->now);
		d = calloc(ns, sizeof(*d));
		if (d == NULL) {
			free(end);
			return (-ENOMEM);
		}
		rp->stats = d;
		a = s->phases[i].at_start;
		b = i + 1 < s->nphases ? s->phases[i + 1].at_start : end;
		for (k = 0, n = 0; k < ns; k++) {
			if (!phase_additive(a[k].name))
				continue;
			d[n] = b[k];
			d[n].i = b[k].i - a[k].i;
			d[n].d = b[k].d - a[k].d;
			n++;
		}
		rp->nstats = n;
	}
	free(end);
	return (0);
}

/* fill_config() - every key but the sysctls, and the config's path. */
static int
fill_config(const struct sim *s, struct report_run *out)
{
	const struct conf_key_desc *kd;
	struct report_setting *c;
	size_t nk = conf_key_count(), i, n = 0;

	snprintf(out->config_path, sizeof(out->config_path), "%s",
	    s->cfg.path);
	c = calloc(nk, sizeof(*c));
	if (c == NULL)
		return (-ENOMEM);
	out->config = c;
	for (i = 0; i < nk; i++) {
		kd = conf_key_desc(i);
		if (strncmp(kd->path, "sysctl.", 7) == 0)
			continue;
		sim_setting_set(&c[n++], kd, conf_key_get(&s->cfg, i));
	}
	out->nconfig = n;
	return (0);
}

/* setting_unit() - the storage unit of a key of this kind, "" if none. */
static const char *
setting_unit(enum conf_kind kind)
{
	switch (kind) {
	case CONF_SIZE:
		return ("bytes");
	case CONF_PERCENT:
		return ("ppm");
	case CONF_DURATION:
		return ("ns");
	case CONF_BANDWIDTH:
		return ("bytes/s");
	default:	/* integers, booleans, variant flags */
		return ("");
	}
}

void
sim_setting_set(struct report_setting *rs, const struct conf_key_desc *kd,
    int64_t v)
{
	memset(rs, 0, sizeof(*rs));
	snprintf(rs->name, sizeof(rs->name), "%s", kd->name);
	rs->value = v;
	snprintf(rs->unit, sizeof(rs->unit), "%s", setting_unit(kd->kind));
	conf_format_value(kd->kind, v, rs->text, sizeof(rs->text));
}

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

/* why_fill() - the report's form of an explanation (still only data). */
static void
why_fill(const struct sim_oom_why *w, struct report_oom_why *r)
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
	    (rc = fill_processes(s, out)) < 0 ||
	    (rc = fill_config(s, out)) < 0 ||
	    (rc = fill_phases(s, out)) < 0)
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
			why_fill(&s->kills[k].why, &out->oom_kills[k].why);
		}
	}
	if (s->panicked) {
		out->panic = true;
		out->panic_time_s = secs(s->panic_ns);
		snprintf(out->panic_reason, sizeof(out->panic_reason), "%s",
		    s->panic_reason);
		why_fill(&s->panic_why, &out->panic_why);
	}
	return (0);
}

int
sim_report_sweep(const size_t *keys, size_t nkeys,
    const struct pg_config *cfg, struct report_run *out)
{
	size_t i;

	free(out->sweep);
	out->sweep = NULL;
	out->nsweep = 0;
	if (nkeys == 0)
		return (0);
	out->sweep = calloc(nkeys, sizeof(*out->sweep));
	if (out->sweep == NULL)
		return (-ENOMEM);
	for (i = 0; i < nkeys; i++)
		sim_setting_set(&out->sweep[out->nsweep++],
		    conf_key_desc(keys[i]), conf_key_get(cfg, keys[i]));
	return (0);
}
