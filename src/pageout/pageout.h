/*
 * pageout.h - the page daemon and laundry threads of each domain as
 * resumable state machines, driven by the simulator (spec sections 7, 8).
 *
 * The kernel's threads block; ours return what they wait for, and the
 * simulator calls them again when that wait is over.  Everything the
 * threads decide follows the seed line by line; only the waiting is the
 * simulator's.
 */
#ifndef PGREPLAY_PAGEOUT_PAGEOUT_H
#define PGREPLAY_PAGEOUT_PAGEOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "pageout/pidctrl.h"
#include "vm/vm.h"

/* The kernel's notion of time at the moment a thread runs (spec 12.1). */
struct pageout_clock {
	int32_t ticks;		/* wraps; starts at INT_MAX - 600 * hz */
	int64_t time_uptime;	/* whole seconds since boot, starts at 1 */
};

/* State shared by all domains' daemons (globals of vm_swapout.c). */
struct pageout_shared {
	int32_t vmdaemon_lastrun;	/* vm_swapout_run(): ticks of last request */
	int64_t swapout_idle_last;	/* vm_swapout_run_idle(): last second */
	bool vmdaemon_lastrun_set;
	/*
	 * The vm_lowmem handlers' reclaim policy: the share (parts per
	 * million) of each domain's kernel cache released per lowmem event
	 * (machine.kernel_cache.lowmem_release).
	 */
	uint32_t kernel_cache_release_ppm;
};

/*
 * pageout_shared_init() - the state of sh at boot: lastrun 0 and lsec 0
 * as the kernel's static variables start, and the lowmem release share of
 * cfg.  Cannot fail.
 */
void pageout_shared_init(struct pageout_shared *sh,
    const struct pg_config *cfg);

/* ---- page daemon worker (daemon.c), S:1765-1841 ---- */

struct pageout_worker {
	uint32_t domain;
	int32_t pass;			/* S:1772: never reset */
	int32_t shortage;		/* last PID output */
	bool target_met;
	struct pidctrl pid;		/* vmd_pid */
	uint64_t scans;
};

enum pd_wait {
	PD_WAIT_NONE = 0,	/* paging needed and pass <= 1: scan at once */
	PD_WAIT_PAUSE,		/* pause(hz/10): not interruptible */
	PD_WAIT_SLEEP,		/* mtx_sleep(hz/10): a wakeup ends it early */
};

struct pd_decision {
	enum pd_wait wait;
	int32_t ticks;		/* how long, for PAUSE and SLEEP */
};

/*
 * pageout_worker_init() - S:1770-1787: the worker of domain d with
 * pass 0, the PID controller of the domain's thresholds; the caller has
 * already placed inacthead (vm_machine_create()).
 */
void pageout_worker_init(struct pageout_worker *w, const struct vm_machine *m,
    uint32_t d);

/*
 * pageout_worker_top() - the top of the loop, S:1799-1822: stores 0 in
 * pageout_wanted and says how the worker waits before its next scan:
 * SLEEP hz/10 unless paging is needed (free_count <
 * pageout_wakeup_thresh), then PAUSE hz/10 if pass > 1 (pd_pauses++),
 * else NONE.
 */
struct pd_decision pageout_worker_top(struct vm_machine *m,
    struct pageout_worker *w);

/*
 * pageout_worker_scan() - the rest of the loop, S:1824-1840, after the
 * wait: woken says a sleep ended by wakeup() (v_pdwakeups++).  Sets
 * pageout_wanted = 1, runs the PID controller and vm_pageout_scan(),
 * raises pass as S:1831-1840 do (pd_scans++).  Returns the number of
 * queue entries the scans visited (cost model).
 */
uint64_t pageout_worker_scan(struct vm_machine *m, struct pageout_worker *w,
    struct pageout_shared *sh, const struct pageout_clock *clk, bool woken);

/*
 * vm_pageout_scan() - S:1105-1541, spec 7.4; exposed for tests.  *visited
 * (may be NULL) gets the entries visited.  Returns target met.
 */
bool vm_pageout_scan(struct vm_machine *m, struct pageout_shared *sh,
    uint32_t d, int32_t pass, int32_t shortage,
    const struct pageout_clock *clk, uint64_t *visited);

/*
 * vm_swapout_run() - vm_swapout.c's vm_swapout_run() and vm_req_vmdaemon()
 * (spec 7.6), as counters: with vm.swap_enabled a NORMAL swapout request
 * (swapout_requests++) that wakes the vmdaemon (vmdaemon_wakeups++) only
 * if ticks > lastrun + hz or ticks < lastrun; lastrun = ticks on a wakeup.
 */
void vm_swapout_run(struct vm_machine *m, struct pageout_shared *sh,
    const struct pageout_clock *clk);

/*
 * vm_swapout_run_idle() - vm_swapout_run_idle() (spec 7.6): with
 * vm.swap_idle_enabled and a second different from the last call's, an
 * IDLE request (swapout_idle_requests++) through the same vmdaemon wakeup
 * rule.  A no-op at the defaults.
 */
void vm_swapout_run_idle(struct vm_machine *m, struct pageout_shared *sh,
    const struct pageout_clock *clk);

/*
 * vm_pageout_mightbe_oom() - S:1550-1598, spec 10.1.
 */
void vm_pageout_mightbe_oom(struct vm_machine *m, uint32_t d,
    int32_t page_shortage, int32_t shortage);

/*
 * vm_pageout_oom() - S:1659-1761, spec 10.2: choose the victim; mark it
 * P_KILLED and add it to notify.kill, or (vm.panic_on_oom) set
 * notify.panic.  Returns the victim's slot or VM_NONE.
 */
uint32_t vm_pageout_oom(struct vm_machine *m);

/*
 * vm_lowmem() - S:1120-1133 and spec 11: run the lowmem handlers (the
 * kernel cache releases its configured share, per domain) and
 * uma_reclaim() (nothing to reclaim in the model).
 */
void vm_lowmem(struct vm_machine *m, uint32_t release_ppm);

/* ---- laundry worker (laundry.c, launder.c, cluster.c), S:325-1094 ---- */

enum lw_wait {
	LW_WAIT_SLEEP = 0,	/* no target and no request: until a request */
	LW_WAIT_PAUSE,		/* pause(hz/10) after a launder call */
	LW_WAIT_PBUF,		/* swap write waits for an async slot */
	LW_WAIT_IO,		/* synchronous vnode write (vm_page_count_min()) */
	LW_WAIT_RUNNINGBUF,	/* waitrunningbufspace() after a vnode write */
};

struct lw_decision {
	enum lw_wait wait;
	int32_t ticks;		/* PAUSE */
	uint32_t io_id;		/* IO */
	uint64_t visited;	/* queue entries visited since the last return */
};

/* The launder scan's position while the thread waits in the middle of it. */
struct launder_scan {
	bool active;
	uint8_t queue;		/* PQ_UNSWAPPABLE or PQ_LAUNDRY now */
	int32_t maxscan;
	int32_t launder;
	int32_t start_target;
	int32_t vnodes_skipped;
	bool in_shortfall;
	bool resume;		/* laundry_marker sits after the last page cleaned */
	bool runningbuf;	/* stopped in waitrunningbufspace(): re-test first */
};

struct laundry_worker {
	uint32_t domain;
	/* S:946-960 */
	uint64_t nfreed;
	int32_t last_target, launder, shortfall, shortfall_cycle, target;
	bool in_shortfall;
	/* resume point */
	uint8_t state;
	struct launder_scan scan;
};

/* laundry_worker_init() - S:956-960; last_target per sim.laundry_last_target_init. */
void laundry_worker_init(struct laundry_worker *lw, uint32_t d,
    int32_t last_target_init);

/*
 * laundry_worker_run() - run the laundry thread of lw->domain from where
 * it stopped until it must wait; returns the wait.
 */
struct lw_decision laundry_worker_run(struct vm_machine *m,
    struct laundry_worker *lw, const struct pageout_clock *clk);

/*
 * vm_pageout_launder() - S:692-910, spec 9.1, run to completion ignoring
 * waits (the pbuf limit is not applied); for tests.  Returns pages counted.
 * "Not applied" means the caller never stops: swap writes beyond
 * NSW_WCOUNT_ASYNC still wait in the pbuf queue and start as earlier
 * writes complete, so at most 4 are ever in flight; vnode writes go on
 * past hirunningspace.
 */
int32_t vm_pageout_launder(struct vm_machine *m, uint32_t d, int32_t launder,
    bool in_shortfall);

/*
 * The launder call as the laundry thread runs it, in three parts so that
 * the thread can wait in the middle (spec 9.1):
 *
 * vm_pageout_launder_start() - S:702-725: a call of domain d for launder
 * pages (laundry_calls++): the queue is PQ_UNSWAPPABLE first when a swap
 * device is configured, else PQ_LAUNDRY; maxscan is that queue's count.
 *
 * vm_pageout_launder_step() - walk on from where ls stopped.  With
 * may_wait, the walk stops after a vm_pageout_clean() that left the
 * thread waiting, i.e. vm_io_sync_pending(m, d) != 0 (*wait = LW_WAIT_IO),
 * vm_runningbuf_waiting(m, d) (*wait = LW_WAIT_RUNNINGBUF) or
 * vm_pbuf_waiting_td(m, d) (*wait = LW_WAIT_PBUF), and returns false; the
 * domain's laundry_marker stays after the page cleaned, as it does while
 * the kernel's thread sleeps in the pager, and the next step resumes from
 * it.  A step resumed after LW_WAIT_RUNNINGBUF first repeats
 * waitrunningbufspace()'s test (vm_runningbuf_recheck()) and stops again
 * with LW_WAIT_RUNNINGBUF, having visited nothing, while runningbufspace
 * is above hirunningspace.  Without may_wait nothing is awaited: a
 * runningbufspace sleep is recorded by the pager and ends at the next
 * wakeup.  Returns true when the call's scan is over.  *visited is
 * increased by the queue entries visited (markers included).
 *
 * vm_pageout_launder_finish() - S:902-909: speedup_syncer() if a vnode
 * was skipped and the target was missed; adds the result to
 * laundered_shortfall or laundered_background and returns it
 * (start_target - launder).
 */
void vm_pageout_launder_start(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls, int32_t launder, bool in_shortfall);
bool vm_pageout_launder_step(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls, bool may_wait, enum lw_wait *wait,
    uint64_t *visited);
int32_t vm_pageout_launder_finish(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls);

/*
 * pageout_lock_missed() - draw one vnode lock attempt of a pageout
 * (vn_start_write(V_NOWAIT), vget(LK_TIMELOCK) in vm_pageout_clean()):
 * true, a miss, with probability m->lock_miss_ppm / 1e6 (sim.lock_miss)
 * from the machine's generator (m->lock_rng, seeded with sim.seed); never
 * a miss, and no draw, when lock_miss_ppm is 0.  Cannot fail.
 */
bool pageout_lock_missed(struct vm_machine *m);

/*
 * vm_pageout_isqrt() - isqrt() of S:915-934: the exact floor of the
 * square root, digit by digit from bit 1 << 30.
 */
uint32_t vm_pageout_isqrt(uint32_t num);

/*
 * vm_pageout_cluster() - S:325-425, spec 9.3: build the cluster around
 * page and flush it; returns the pages counted as paged out.  cluster_out
 * (may be NULL, room for ppc) receives the cluster's pages in order and
 * *ncluster their number, for tests.
 */
int vm_pageout_cluster(struct vm_machine *m, uint32_t page,
    uint32_t *cluster_out, int *ncluster);

/* vm_pageout_flush() - S:441-551, spec 9.4. */
int vm_pageout_flush(struct vm_machine *m, uint32_t *pages, int count,
    int *rtvals);

#endif
