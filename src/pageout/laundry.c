/*
 * laundry.c - the laundry thread of a domain, vm_pageout_laundry_worker()
 * of the seed (S:936-1094, spec 8), as a state machine the simulator
 * drives: laundry_worker_run() goes on from where the thread stopped and
 * returns at the next place where the kernel's thread would block.
 */
#include "pageout/pageout.h"
#include "vm/pager.h"

/*
 * howmany() of sys/param.h.  isqrt() takes a u_int, so the 64-bit result
 * is truncated on the way in, as in the kernel.
 */
#define howmany(x, y) (((x) + ((y) - 1)) / (y))

/* Loop turns without a wait before the thread is deemed spinning. */
#define LW_SPIN_TURNS 4

/* Where the thread stands when it is not running (lw->state). */
enum lw_state {
	LW_ST_TOP = 0,		/* top of the loop, S:973 */
	LW_ST_LAUNDER,		/* inside vm_pageout_launder(), S:1060 */
	LW_ST_PAUSED,		/* pause("laundp") over: lock, S:1070 */
	LW_ST_WOKEN,		/* mtx_sleep("launds") over: S:1080 */
};

/* vm_pageout_isqrt() - model of isqrt(), S:915-934 */
uint32_t
vm_pageout_isqrt(uint32_t num)
{
	uint32_t bit, root, tmp;

	bit = 1u << (8 * sizeof(uint32_t) - 2);
	while (bit > num)
		bit >>= 2;
	root = 0;
	while (bit != 0) {
		tmp = root + bit;
		root >>= 1;
		if (num >= tmp) {
			num -= tmp;
			root += bit;
		}
		bit >>= 2;
	}
	return (root);
}

/*
 * vm_laundry_target() - model of vm_laundry_target() (vm_pagequeue.h),
 * i.e. vm_paging_target(): the u_int difference read as an int.
 */
static int32_t
vm_laundry_target(const struct vm_domain *vmd)
{
	return ((int32_t)(vmd->th.free_target - vmd->free_count));
}

/*
 * laundry_worker_init() - model of the start of vm_pageout_laundry_worker(),
 * S:950-960
 */
void
laundry_worker_init(struct laundry_worker *lw, uint32_t d,
    int32_t last_target_init)
{
	lw->domain = d;
	lw->shortfall = 0;
	lw->in_shortfall = false;
	lw->shortfall_cycle = 0;
	lw->target = 0;
	lw->nfreed = 0;
	lw->launder = 0;

	/*
	 * The seed never initialises last_target (S:947); the simulator's
	 * configuration says what the stack slot holds (spec 8).
	 */
	lw->last_target = last_target_init;
	lw->state = LW_ST_TOP;
	lw->scan.active = false;
	lw->scan.resume = false;
	lw->scan.runningbuf = false;
}

/*
 * laundry_decide() - S:977-1051: how many pages this iteration launders.
 * Sets lw->launder (0: nothing to do).
 */
static void
laundry_decide(struct vm_machine *m, struct laundry_worker *lw)
{
	struct vm_domain *vmd;
	uint64_t nclean, ndirty;
	uint32_t launder_max, launder_rate, scale;

	vmd = &m->dom[lw->domain];
	PG_KASSERT(lw->target >= 0, ("negative target %d", lw->target));
	PG_KASSERT(lw->shortfall_cycle >= 0, ("negative cycle %d",
	    lw->shortfall_cycle));					/* S:974-976 */
	lw->launder = 0;

	/*
	 * First determine whether we need to launder pages to meet a
	 * shortage of free pages (S:983-1002).
	 */
	if (lw->shortfall > 0) {
		lw->in_shortfall = true;
		lw->shortfall_cycle = VM_LAUNDER_RATE / VM_INACT_SCAN_RATE;
		lw->target = lw->shortfall;
	} else if (!lw->in_shortfall)
		goto trybackground;
	else if (lw->shortfall_cycle == 0 || vm_laundry_target(vmd) <= 0) {
		/*
		 * The shortfall run is over, or other activity has met the
		 * laundry target: stop laundering for the shortfall.
		 */
		lw->in_shortfall = false;
		lw->target = 0;
		goto trybackground;
	}
	lw->launder = lw->target / lw->shortfall_cycle--;
	return;

	/*
	 * Background laundering: when the ratio of dirty to clean pages
	 * passes a threshold that grows slowly with the clean pages the
	 * page daemon freed since the last run, or while a run has not
	 * reached its target (S:1004-1021).  UNSWAPPABLE is not counted.
	 */
trybackground:
	nclean = (uint64_t)vmd->free_count + vmd->pq[PQ_INACTIVE].cnt;
	ndirty = vmd->pq[PQ_LAUNDRY].cnt;
	scale = vmd->th.free_target - vmd->th.free_min;
	if (lw->target == 0 &&
	    ndirty * vm_pageout_isqrt((uint32_t)howmany(lw->nfreed + 1,
	    scale)) >= nclean)
		lw->target = (int32_t)vmd->th.background_launder_target;

	/*
	 * The safety belt: stop a run that has laundered its maximum
	 * without a page daemon request in between.  The difference of two
	 * ints meets a u_int, so the comparison is unsigned and also fires
	 * whenever last_target < target (spec 8, 15 D1).  The rate and the
	 * maximum keep the seed's "KB" formulas, in u_int arithmetic
	 * (spec 2.2, units quirk).
	 */
	if (lw->target > 0) {
		launder_max = m->sysctl.background_launder_max * PG_PAGE_SIZE /
		    1024;
		if (lw->nfreed > 0) {
			lw->nfreed = 0;
			lw->last_target = lw->target;
		} else if ((uint32_t)lw->last_target - (uint32_t)lw->target >=
		    launder_max)
			lw->target = 0;
		launder_rate = m->sysctl.background_launder_rate *
		    PG_PAGE_SIZE / 1024;
		lw->launder = (int32_t)launder_rate;
		lw->launder /= VM_LAUNDER_RATE;
		if (lw->launder > lw->target)
			lw->launder = lw->target;
	}
}

/*
 * laundry_handshake() - S:1075-1091, the part of the handshake with the
 * page daemon after the (possible) sleep; the laundry queue lock is held
 * in the kernel, so nothing else runs in between.
 */
static void
laundry_handshake(struct vm_machine *m, struct laundry_worker *lw)
{
	struct vm_domain *vmd;

	vmd = &m->dom[lw->domain];

	/*
	 * A shortfall request starts a shortfall run unless one is under
	 * way, and pre-empts background laundering.  The deficit is read,
	 * not consumed; the u_int sum is read back as an int, so a
	 * negative result cancels the run (spec 13 #36).
	 */
	if (vmd->laundry_request == VM_LAUNDRY_SHORTFALL &&
	    (!lw->in_shortfall || lw->shortfall_cycle == 0)) {
		lw->shortfall = (int32_t)((uint32_t)vm_laundry_target(vmd) +
		    vmd->pageout_deficit);
		lw->target = 0;
	} else
		lw->shortfall = 0;

	if (lw->target == 0)
		vmd->laundry_request = VM_LAUNDRY_IDLE;
	lw->nfreed += (uint64_t)(int64_t)vmd->clean_pages_freed;
	vmd->clean_pages_freed = 0;
}

/*
 * laundry_worker_run() - model of the loop of vm_pageout_laundry_worker(),
 * S:973-1093
 */
struct lw_decision
laundry_worker_run(struct vm_machine *m, struct laundry_worker *lw,
    const struct pageout_clock *clk)
{
	struct lw_decision dec;
	struct vm_domain *vmd;
	enum lw_wait wait;
	int32_t done;
	int turns;

	(void)clk;
	vmd = &m->dom[lw->domain];
	dec.wait = LW_WAIT_SLEEP;
	dec.ticks = 0;
	dec.io_id = 0;
	dec.visited = 0;
	turns = 0;
	for (;;) {
		switch (lw->state) {
		case LW_ST_TOP:
			/*
			 * An iteration without a launder call and without a
			 * sleep happens once or twice while a request is
			 * consumed; more in a row mean that the kernel's
			 * thread spins (a background target with a rate of
			 * less than one page per 100 ms, S:1047-1050).  Let
			 * the spin cost one tick per turn instead of
			 * looping here for ever.
			 */
			if (turns++ >= LW_SPIN_TURNS) {
				dec.wait = LW_WAIT_PAUSE;
				dec.ticks = 1;
				return (dec);
			}
			laundry_decide(m, lw);
			if (lw->launder > 0) {
				/*
				 * Because of clustering the call may
				 * launder up to a cluster less one more
				 * than asked (S:1055-1059).
				 */
				vm_pageout_launder_start(m, lw->domain,
				    &lw->scan, lw->launder, lw->in_shortfall);
				lw->state = LW_ST_LAUNDER;
			} else
				lw->state = LW_ST_PAUSED;
			break;
		case LW_ST_LAUNDER:
			if (!vm_pageout_launder_step(m, lw->domain, &lw->scan,
			    true, &wait, &dec.visited)) {
				dec.wait = wait;
				if (wait == LW_WAIT_IO)
					dec.io_id = vm_io_sync_pending(m,
					    lw->domain);
				return (dec);
			}
			done = vm_pageout_launder_finish(m, lw->domain,
			    &lw->scan);
			lw->target -= done < lw->target ? done : lw->target;
			lw->state = LW_ST_PAUSED;
			dec.wait = LW_WAIT_PAUSE;
			dec.ticks = m->sysctl.hz / VM_LAUNDER_RATE;
			return (dec);
		case LW_ST_PAUSED:
			/*
			 * Nothing to launder and no new request from the
			 * page daemon: sleep until it posts one
			 * (S:1065-1073).  The thread resumes with the rest
			 * of the handshake.
			 */
			lw->state = LW_ST_WOKEN;
			if (lw->target == 0 &&
			    vmd->laundry_request == VM_LAUNDRY_IDLE) {
				dec.wait = LW_WAIT_SLEEP;
				return (dec);
			}
			break;
		case LW_ST_WOKEN:
		default:
			laundry_handshake(m, lw);
			lw->state = LW_ST_TOP;
			break;
		}
	}
}
