/*
 * sim_int.h - what the files of the sim module share: the simulation's
 * state, its threads, processes and devices.  Not for other modules.
 */
#ifndef PGREPLAY_SIM_SIM_INT_H
#define PGREPLAY_SIM_SIM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "pageout/pageout.h"
#include "sim/clock.h"
#include "sim/heap.h"
#include "sim/pevq_int.h"
#include "sim/sim.h"
#include "util/idmap.h"
#include "vm/fault.h"
#include "vm/pager.h"
#include "vm/vm.h"

/* Action kinds (struct sim_action.kind). */
enum {
	K_IO_DONE = 0,		/* a pager write finished; arg = I/O id */
	K_READ_DONE,		/* a fault's read finished; arg = process */
	K_PD_TOP,		/* page daemon: top of its loop; arg = domain */
	K_PD_TIMEOUT,		/* page daemon: sleep or pause ended by timeout */
	K_PD_WOKEN,		/* page daemon: sleep ended by wakeup() */
	K_LW_RUN,		/* laundry thread runs; arg = domain */
	K_PROC_RUN,		/* process continues; arg = process */
	K_KILL_EXIT,		/* a killed process exits; arg = process */
	K_COUNT
};

/* Page daemon thread states. */
enum { PDS_RUN = 0, PDS_SLEEP, PDS_PAUSE, PDS_BUSY, PDS_WOKEN };

/* Laundry thread states. */
enum { LWS_RUN = 0, LWS_SLEEP, LWS_PAUSE, LWS_PBUF, LWS_IO, LWS_RUNNINGBUF };

struct sim_pd {
	struct pageout_worker w;
	uint8_t state;
	uint32_t gen;
	uint64_t iter_bin;		/* PID interval of the last top */
	uint64_t iter_in_bin;		/* tops within it */
};

struct sim_lw {
	struct laundry_worker lw;
	uint8_t state;
	uint32_t gen;
	uint32_t io_id;			/* LWS_IO: the synchronous vnode write waited for */
	uint64_t busy_until;		/* end of its last run's CPU cost */
};

/* A FIFO server: a backing store (spec 12.5). */
struct sim_device {
	uint64_t latency_ns;
	uint64_t bandwidth_bps;
	uint64_t free_at;		/* when the request last queued ends */
	uint64_t requests, pages;
};

/* What a process waits for. */
enum {
	PB_NONE = 0,
	PB_MEM_MIN,		/* vm_waitpfault: until a domain leaves the min set */
	PB_MEM_TICK,		/* vm_waitpfault, not every domain in min: 1 tick */
	PB_IO,			/* its page is being read */
	PB_BUSY,		/* the page it writes is busy (pageout) */
};

enum { PF_ALIVE = 0, PF_EXITED, PF_KILLED, PF_STALLED };

/* Objects a process remembers as mapped (struct sim_proc, apply.c). */
#define SIM_OBJ_CACHE 4

struct sim_proc {
	uint32_t pid;
	char name[64];
	uint32_t slot;			/* vm process slot; VM_NONE once gone */
	uint8_t fate;			/* PF_* */
	bool gone;			/* exited (trace or kill): no vm process */
	uint8_t block;			/* PB_* */
	bool in_stall;			/* inside a stall episode */
	bool has_cur;			/* cur is in progress */
	bool run_pending;		/* a K_PROC_RUN is scheduled */
	uint32_t gen;
	uint64_t shift;			/* ns added to its trace times */
	uint64_t block_start;

	struct sim_pev cur;		/* the event in progress */
	uint64_t cursor;		/* next pindex of cur */
	uint32_t obj_slot;		/* cur's object */
	/*
	 * The objects of its last page events, found mapped (trace id and
	 * slot): valid until it unmaps something, since an object it maps
	 * keeps its slot.  It spares most events a hash lookup and a walk
	 * of the process's maps.
	 */
	uint32_t oc_n;
	uint64_t oc_id[SIM_OBJ_CACHE];
	uint32_t oc_slot[SIM_OBJ_CACHE];
	uint32_t next_cell;		/* vm_fault_prefetch_leaf() of its next fault */

	struct sim_pevq q;		/* pending events */

	uint32_t io_page;		/* PB_IO / PB_BUSY: the page */
	bool io_swap;			/* PB_IO: from swap (else the file) */

	uint64_t stalls, stall_ns, io_wait_ns, faults;
	uint64_t dropped, unreplayed;
	uint64_t end_ns;
};

/*
 * Why an OOM kill or panic happened: the model's record and what only the
 * simulator's threads know at that moment (docs/report.md).
 */
struct sim_oom_why {
	bool valid;
	struct vm_oom_why vm;
	int32_t pid_output;		/* the PID controller's last output */
	int32_t pd_pass;		/* the page daemon's pass */
	int32_t lw_target;		/* pages the laundry thread still aims at */
	int32_t lw_last_target;		/* its last background target */
	bool lw_in_shortfall;		/* its current run is a shortfall run */
	uint8_t lw_state;		/* LWS_* */
	uint64_t laundered_background, laundered_shortfall, swappgsout;
};

struct sim_kill {
	uint64_t time_ns;
	uint32_t pid;
	char name[64];
	uint64_t pages;
	/* The machine at the kill, for tests (not in the report). */
	uint64_t free_count, free_target;	/* sums over the domains */
	struct sim_oom_why why;
};

/* Where a phase began: a `mark` and every statistic at that moment. */
struct sim_phase {
	char name[64];
	uint64_t start_ns;
	struct report_value *at_start;	/* sim_nstats() values */
};

struct sim {
	struct pg_config cfg;
	struct sim_options opt;
	int32_t hz;
	struct vm_machine *m;
	struct pageout_shared sh;
	struct sim_pd *pd;
	struct sim_lw *lw;
	uint32_t ndomains;
	struct sim_device swap_dev, file_dev;

	struct sim_heap heap;
	uint64_t seq;
	uint64_t now;
	uint64_t same_time_actions;	/* livelock guard */

	struct sim_spill spill;		/* the overflow of the processes' queues */
	struct sim_proc *procs;		/* in order of appearance */
	uint32_t nprocs, procs_cap;
	struct pg_idmap pids;		/* pid -> procs index of its latest process */
	uint32_t *slot2proc;		/* vm slot -> procs index */
	uint32_t slot2proc_cap;
	uint32_t nalive;

	uint32_t *min_waiters;		/* processes in PB_MEM_MIN, by sleep start */
	uint32_t nmin, min_cap;
	uint32_t *busy_waiters;		/* processes in PB_BUSY */
	uint32_t nbusy, busy_cap;

	struct sim_kill *kills;
	uint32_t nkills, kills_cap;

	uint64_t events, events_dropped, events_unreplayed;
	uint64_t last_event_ns;
	uint64_t stalls, stall_ns, io_wait_ns;
	uint64_t pd_iterations, pd_iter_max_interval;
	uint64_t pd_busy_ns, laundry_busy_ns;
	uint64_t swap_reads, file_reads, marks;
	char last_mark[64];

	bool panicked;
	uint64_t panic_ns;
	char panic_reason[128];
	struct sim_oom_why panic_why;

	struct sim_phase *phases;	/* at most REPORT_PHASES_MAX */
	uint32_t nphases, phases_cap;
	bool phases_truncated;

	uint32_t check_interval;	/* check.c: steps between full checks */
	uint32_t check_steps;		/* steps since the last full one */
	struct sim_timeline *tl;	/* --timeline sampler, or NULL */

	bool finished;
	int error;			/* sticky: the first error */
	struct pg_error err;
};

/* Actions at one instant beyond which the run is declared stuck. */
#define SIM_SAME_TIME_MAX UINT64_C(50000000)

/* sim.c */
int sim_schedule(struct sim *s, uint64_t t, unsigned cls, uint8_t kind,
    uint32_t arg, uint32_t gen);
int sim_fail(struct sim *s, int rc, uint64_t evno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sim_notify_pending(struct sim *s);

/*
 * sim_notify() - act on what the vm layer left in m->notify (wakeups,
 * I/O submitted, OOM victims, a panic).  Called after every step of the
 * model, so the common case, nothing, is tested here without a call.
 */
static inline void
sim_notify(struct sim *s)
{
	const struct vm_notify *n = &s->m->notify;

	if ((n->pd_wakeup | n->laundry_wakeup) != 0 || n->nkill != 0 ||
	    n->min_waiters || n->pd_free_waiters || n->io_submitted ||
	    n->pbuf_freed || n->runningbuf_wakeup || n->nomem || n->panic)
		sim_notify_pending(s);
}

/*
 * check.c: sim_check() - after a step of the model (what, for the
 * message): the checks of the checking mode (sim.h), the full one every
 * check_interval steps.  sim_check_full() - the full one now (the end of
 * a run).  Both return 0 or the sticky error (-EFAULT for a violation).
 * sim_check_init() - set the interval once the machine exists.
 * sim_interrupted() - true, with the run failed with -EINTR, when the
 * caller's interrupted flag is set.
 */
int sim_check_step(struct sim *s, uint64_t evno, const char *what);
int sim_check_full(struct sim *s, uint64_t evno, const char *what);
void sim_check_init(struct sim *s);
bool sim_interrupted_now(struct sim *s);

/* Called after every step: off (the default), it costs a test, no call. */
static inline int
sim_check(struct sim *s, uint64_t evno, const char *what)
{
	if (!s->opt.check_invariants || s->error != 0)
		return (s->error);
	return (sim_check_step(s, evno, what));
}

static inline bool
sim_interrupted(struct sim *s)
{
	if (s->opt.interrupted == NULL || *s->opt.interrupted == 0)
		return (false);
	return (sim_interrupted_now(s));
}

/*
 * threads.c: sim_pd_top() - the daemon of domain d at the top of its
 * loop; sim_pd_scan() - its scan (woken: by a wakeup, not a timeout);
 * sim_lw_wake() - wake the sleeping laundry thread of d; sim_lw_run() -
 * the laundry thread of d runs its next step.
 */
void sim_pd_top(struct sim *s, uint32_t d);
void sim_pd_scan(struct sim *s, uint32_t d, bool woken);
void sim_lw_wake(struct sim *s, uint32_t d);
void sim_lw_run(struct sim *s, uint32_t d);

/* proc.c */
int sim_proc_event(struct sim *s, const struct trace_event *ev, uint64_t evno);
void sim_proc_run(struct sim *s, uint32_t pi);
void sim_proc_prefetch(const struct sim *s, uint32_t pi);
void sim_proc_read_done(struct sim *s, uint32_t pi);
void sim_proc_kill(struct sim *s, uint32_t slot);
void sim_proc_kill_exit(struct sim *s, uint32_t pi);
void sim_proc_wake_min(struct sim *s);
void sim_proc_wake_busy(struct sim *s);
void sim_proc_end(struct sim *s);
void sim_procs_free(struct sim *s);
uint64_t sim_device_submit(struct sim_device *dev, uint64_t now, uint32_t pages);

/* timeline.c: the --timeline sampler (s->tl set) */
int sim_timeline_start(struct sim *s, uint64_t interval_ns);
void sim_timeline_reach(struct sim *s, uint64_t t);
void sim_timeline_mark(struct sim *s, const char *label);
struct report_timeline *sim_timeline_end(struct sim *s);
void sim_timeline_free(struct sim *s);

/* result.c */
int sim_fill_report(struct sim *s, struct report_run *out);
/*
 * sim_oom_explain() - fill out from the model's record vm and the state of
 * the simulator's threads of the deciding domain, now.  Reads only.
 */
/*
 * sim_phase_mark() - a `mark` called name was replayed now: a phase
 * begins (and, for the first mark after time 0, a "(start)" phase before
 * it).  Returns 0, or the run's error after -ENOMEM.
 */
int sim_phase_mark(struct sim *s, const char *name);
/* sim_phases_free() - release the phases. */
void sim_phases_free(struct sim *s);
/* sim_setting_set() - rs = key kd with value v (storage unit). */
void sim_setting_set(struct report_setting *rs,
    const struct conf_key_desc *kd, int64_t v);
/*
 * sim_report_sweep() - record in out->sweep (replacing it) the value cfg
 * has for each of the nkeys configuration keys (conf_key_desc() indexes)
 * of its base's sweep, in the sweep's order.  Returns 0 or -ENOMEM.
 */
int sim_report_sweep(const size_t *keys, size_t nkeys,
    const struct pg_config *cfg, struct report_run *out);
void sim_oom_explain(const struct sim *s, const struct vm_oom_why *vm,
    struct sim_oom_why *out);

#endif
