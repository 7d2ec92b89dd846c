/*
 * result.c - the report of one run (interfaces.md 4): effective sysctls,
 * each domain's thresholds and end state, every counter; the phases
 * (result_phase.c), the OOM kills and the processes (result_oom.c).  Also
 * the list of statistic names (sim_stat_name()).
 */
#include "sim/result_int.h"
#include "util/kassert.h"

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

/* Room for a domain's fields: the thresholds and the end state. */
#define RESULT_DOMAIN_FIELDS 20

/* The report places of VM_THRESHOLD_FIELDS() are 1 ... REPORTED, once. */
#define TH_COUNT(name_, sgn_, rep_) + ((rep_) != 0)
#define TH_SUM(name_, sgn_, rep_) + (rep_)
#define TH_SQUARES(name_, sgn_, rep_) + (rep_) * (rep_)
_Static_assert((0 VM_THRESHOLD_FIELDS(TH_COUNT)) == VM_THRESHOLDS_REPORTED &&
    (0 VM_THRESHOLD_FIELDS(TH_SUM)) == VM_THRESHOLDS_REPORTED *
    (VM_THRESHOLDS_REPORTED + 1) / 2 &&
    (0 VM_THRESHOLD_FIELDS(TH_SQUARES)) == VM_THRESHOLDS_REPORTED *
    (VM_THRESHOLDS_REPORTED + 1) * (2 * VM_THRESHOLDS_REPORTED + 1) / 6,
    "VM_THRESHOLD_FIELDS: report places must be 1 ... REPORTED");
#undef TH_COUNT
#undef TH_SUM
#undef TH_SQUARES

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
		f = calloc(RESULT_DOMAIN_FIELDS, sizeof(*f));
		if (f == NULL)
			return (-ENOMEM);
		out->domains[d].index = d;
		out->domains[d].fields = f;
		k = 0;
		/* The thresholds, in their report order. */
#define TH_FIELD(name_, sgn_, rep_) \
		if ((rep_) != 0) \
			set_int(&f[(rep_) - 1], #name_, vd->th.name_);
		VM_THRESHOLD_FIELDS(TH_FIELD)
#undef TH_FIELD
		k = VM_THRESHOLDS_REPORTED;
		/* End state. */
		set_int(&f[k++], "free_count", vd->free_count);
		set_int(&f[k++], "pass", s->pd[d].w.pass);
		set_int(&f[k++], "inactive", vd->pq[PQ_INACTIVE].cnt);
		set_int(&f[k++], "active", vd->pq[PQ_ACTIVE].cnt);
		set_int(&f[k++], "laundry", vd->pq[PQ_LAUNDRY].cnt);
		set_int(&f[k++], "unswappable", vd->pq[PQ_UNSWAPPABLE].cnt);
		set_int(&f[k++], "pageout_deficit", vd->pageout_deficit);
		set_int(&f[k++], "kernel_cache", vd->kernel_cache);
		PG_KASSERT(k <= RESULT_DOMAIN_FIELDS, ("%zu domain fields", k));
		out->domains[d].nfields = k;
	}
	return (0);
}

/* result_nstats() - the number of statistics a run reports. */
size_t
result_nstats(void)
{
	size_t nvm;

	(void)vm_counters_table(&nvm);
	return (nvm + NSIM_STATS);
}

/*
 * result_stats_into() - every statistic as it stands now into
 * v[0 .. result_nstats()).
 */
size_t
result_stats_into(const struct sim *s, struct report_value *v)
{
	const struct vm_counter_desc *t;
	size_t nvm, i, k;

	t = vm_counters_table(&nvm);
	for (i = 0; i < nvm; i++)
		set_int(&v[i], t[i].name,
		    (int64_t)*(const uint64_t *)(const void *)
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
	set_real(&v[k++], "swap_device_busy_until_s",
	    secs(s->swap_dev.free_at));
	set_int(&v[k++], "marks", (int64_t)s->marks);
	set_real(&v[k++], "end_time_s", secs(s->now));
	return (k);
}

static int
fill_stats(const struct sim *s, struct report_run *out)
{
	struct report_value *v;

	v = calloc(result_nstats(), sizeof(*v));
	if (v == NULL)
		return (-ENOMEM);
	out->stats = v;
	out->nstats = result_stats_into(s, v);
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
	    (rc = result_fill_processes(s, out)) < 0 ||
	    (rc = fill_config(s, out)) < 0 ||
	    (rc = result_fill_phases(s, out)) < 0)
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
			result_why_fill(&s->kills[k].why,
			    &out->oom_kills[k].why);
		}
	}
	if (s->panicked) {
		out->panic = true;
		out->panic_time_s = secs(s->panic_ns);
		snprintf(out->panic_reason, sizeof(out->panic_reason), "%s",
		    s->panic_reason);
		result_why_fill(&s->panic_why, &out->panic_why);
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
