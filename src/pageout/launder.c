/*
 * launder.c - the laundry queue scan: vm_pageout_launder() and
 * vm_pageout_clean() of the seed (S:568-910, spec 9.1, 9.2), as a walk
 * that the laundry thread can leave while it waits for the pager and
 * resume later from the domain's laundry_marker.
 */
#include <errno.h>

#include "pageout/pageout.h"
#include "vm/pager.h"

/*
 * pageout_lock_missed() - one lock attempt that another thread (a reader
 * asleep in vm_wait with the vnode locked, a suspended file system) may
 * defeat.  The model has no such thread (spec 12.7, 12.12), so a miss is
 * drawn: with probability sim.lock_miss (m->lock_miss_ppm, parts per
 * million) from the machine's own generator, seeded by sim.seed, so a run
 * is the same every time.  Without sim.lock_miss nothing is drawn.
 *
 * The generator is SplitMix64 (Steele, Lea, Flood 2014): integer
 * arithmetic only, a 64-bit state, and any state (0 too) is valid.  The
 * top 32 bits are scaled to [0, 1000000) by a multiply and a shift,
 * without the bias of a modulo.
 */
bool
pageout_lock_missed(struct vm_machine *m)
{
	uint64_t z;

	if (m->lock_miss_ppm == 0)
		return (false);
	m->lock_rng += UINT64_C(0x9e3779b97f4a7c15);
	z = m->lock_rng;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return ((((z >> 32) * UINT64_C(1000000)) >> 32) < m->lock_miss_ppm);
}

/*
 * vn_start_write(V_NOWAIT) and vget(LK_TIMELOCK) of a vnode pageout: each
 * is one attempt that misses as pageout_lock_missed() draws.
 */
static int
pageout_vn_start_write(struct vm_machine *m, uint32_t obj)
{
	(void)obj;
	return (pageout_lock_missed(m) ? -EBUSY : 0);
}

static int
pageout_vget(struct vm_machine *m, uint32_t obj)
{
	(void)obj;
	return (pageout_lock_missed(m) ? -EBUSY : 0);
}

/*
 * vm_pageout_clean() - model of vm_pageout_clean(), S:576-685: take the
 * locks a vnode pageout needs, revalidate the page, and cluster it.
 * Returns 0 with *numpagedout set, or
 * -EDEADLK (lock miss), -ENOENT, -ENXIO, -EBUSY, -EIO as the seed does.
 */
static int
vm_pageout_clean(struct vm_machine *m, uint32_t page, int *numpagedout)
{
	struct vm_page *pg;
	struct vm_object *object;
	uint32_t obj, pindex;

	pg = &m->pages[page];
	obj = pg->object;
	object = &m->objects[obj];

	/*
	 * A vnode lock cannot be awaited for ever: a reader may hold it
	 * while it sleeps in vm_wait for the pages we are trying to free.
	 * Every vnode of the model is a regular file (VREG).
	 */
	if (object->type == OBJT_VNODE) {
		if (pageout_vn_start_write(m, obj) != 0)
			return (-EDEADLK);
		pindex = pg->pindex;
		if (pageout_vget(m, obj) != 0)
			return (-EDEADLK);

		/*
		 * The object and the vnode are one in the model, so they
		 * cannot have been disassociated (S:631-634).  While the
		 * locks were dropped the page may have moved, been reused
		 * or been cleaned, or been busied or held.
		 */
		if (!vm_page_in_laundry(m, page) || pg->object != obj ||
		    pg->pindex != pindex || pg->dirty == 0)
			return (-ENXIO);
		if (pg->busy != VPB_UNBUSIED || vm_page_held(m, page))
			return (-EBUSY);
	}
	if ((*numpagedout = vm_pageout_cluster(m, page, NULL, NULL)) == 0)
		return (-EIO);
	return (0);
}

/*
 * vm_pageout_launder_start() - model of the start of vm_pageout_launder(),
 * S:702-725
 */
void
vm_pageout_launder_start(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls, int32_t launder, bool in_shortfall)
{
	ls->active = true;
	ls->start_target = launder;
	ls->launder = launder;
	ls->vnodes_skipped = 0;
	ls->in_shortfall = in_shortfall;
	ls->resume = false;
	ls->runningbuf = false;

	/*
	 * PQ_UNSWAPPABLE is worth scanning only when a swap device could
	 * take its pages (S:715-721).
	 */
	ls->queue = m->swapdev_enabled != 0 ? PQ_UNSWAPPABLE : PQ_LAUNDRY;
	ls->maxscan = (int32_t)m->dom[d].pq[ls->queue].cnt;
	m->cnt.laundry_calls++;
}

/* The walk goes on after the laundry marker, which leaves the queue. */
static uint32_t
laundry_marker_next(struct vm_machine *m, uint32_t marker)
{
	uint32_t next;

	next = m->pages[marker].qnext;
	vm_pagequeue_remove(m, marker);
	return (next);
}

/*
 * vm_pageout_launder_step() - model of the scan loop of vm_pageout_launder(),
 * S:723-900
 */
bool
vm_pageout_launder_step(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls, bool may_wait, enum lw_wait *wait,
    uint64_t *visited)
{
	struct vm_domain *vmd;
	struct vm_object *object;
	struct vm_page *pg;
	uint32_t marker, next, page;
	int act_delta, error, numpagedout;
	bool pageout_ok;

	vmd = &m->dom[d];
	marker = vmd->laundry_marker;

	/*
	 * maxscan keeps requeued pages from being examined again; pages
	 * written as part of a cluster are taken off it too, since they
	 * will leave the queue (S:705-714).
	 */
	for (;;) {
		/*
		 * Woken in waitrunningbufspace(): its loop sleeps again
		 * while runningbufspace is still above hirunningspace.
		 */
		if (ls->runningbuf) {
			if (may_wait && vm_runningbuf_recheck(m, d)) {
				*wait = LW_WAIT_RUNNINGBUF;
				return (false);
			}
			ls->runningbuf = false;
		}
		if (ls->resume) {
			ls->resume = false;
			page = laundry_marker_next(m, marker);
		} else
			page = vmd->pq[ls->queue].head;
		for (; page != VM_NONE && ls->maxscan-- > 0 && ls->launder > 0;
		    page = next) {
			(*visited)++;
			pg = &m->pages[page];
			next = pg->qnext;
			if ((pg->flags & PG_MARKER) != 0)
				continue;

			/*
			 * The page lock and the object lock are always
			 * obtained at once in the model, so the fallback's
			 * re-checks of S:751-758 reduce to these tests.
			 */
			if (pg->hold_count != 0)
				continue;
			if (pg->wire_count != 0) {
				vm_page_dequeue(m, page);
				continue;
			}
			object = &m->objects[pg->object];
			if (pg->busy != VPB_UNBUSIED)
				continue;

			/*
			 * Remember our place with the marker: the page may
			 * leave the queue below (S:761-768).
			 */
			vm_pagequeue_insert_after(m, page, marker);

			/* Invalid pages cannot be mapped: free them at once. */
			if (pg->valid == 0)
				goto free_page;

			/*
			 * A referenced page of a live object is reactivated
			 * if the object is mapped and requeued otherwise.
			 */
			act_delta = vm_page_act_delta(m, page);
			if (act_delta != 0) {
				if (object->ref_count != 0) {
					m->cnt.v_reactivated++;
					vm_page_activate(m, page);

					/*
					 * Referenced while in the laundry:
					 * make an early return to the
					 * inactive queue less likely.  The
					 * sum is not clamped and wraps as
					 * a u_char (spec 15 D19).
					 */
					pg->act_count = (uint8_t)
					    (pg->act_count + act_delta +
					    ACT_ADVANCE);

					/*
					 * Background laundering is there to
					 * cycle pages through the laundry
					 * queue, and an activation is a way
					 * out too; a shortfall needs free
					 * pages (S:807-816).
					 */
					if (!ls->in_shortfall)
						ls->launder--;
					goto drop_page;
				} else if ((object->flags & OBJ_DEAD) == 0)
					goto requeue_page;
			}

			/*
			 * A page clean at the machine-independent layer loses
			 * its mappings before it is freed; a writable mapping
			 * could still dirty it until then.
			 */
			if (object->ref_count != 0) {
				vm_page_test_dirty(m, page);
				if (pg->dirty == 0)
					vm_pmap_remove_all(m, page);
			}

			/*
			 * Clean pages are freed and dirty ones paged out,
			 * unless their object is dying: the thread destroying
			 * it frees them (S:835-840).
			 */
			if (pg->dirty == 0) {
free_page:
				vm_page_free(m, page);
				m->cnt.v_dfree++;
			} else if ((object->flags & OBJ_DEAD) == 0) {
				if (object->type != OBJT_SWAP &&
				    object->type != OBJT_DEFAULT)
					pageout_ok = true;
				else if (m->sysctl.disable_swapspace_pageouts)
					pageout_ok = false;
				else
					pageout_ok = true;
				if (!pageout_ok) {
requeue_page:
					vm_page_requeue(m, page);
					goto drop_page;
				}

				/*
				 * Page out the page with its adjacent dirty
				 * laundry neighbours.  Their mappings are not
				 * checked for new references: after the write
				 * they go to the inactive queue, where a
				 * reference reactivates them (S:861-873).
				 */
				error = vm_pageout_clean(m, page, &numpagedout);
				if (error == 0) {
					ls->launder -= numpagedout;
					ls->maxscan -= numpagedout - 1;
				} else if (error == -EDEADLK) {
					m->cnt.pageout_lock_miss++;
					ls->vnodes_skipped++;
				}

				/*
				 * The kernel's thread would still be inside
				 * the pager: sleeping in getpbuf(), in
				 * waitrunningbufspace() after an IO_ASYNC
				 * vnode write, or in a synchronous one
				 * (vnode_pager_putpages() under
				 * vm_page_count_min()).  Leave the marker
				 * where it is and come back later.
				 */
				if (may_wait && vm_io_sync_pending(m, d) != 0) {
					*wait = LW_WAIT_IO;
					ls->resume = true;
					return (false);
				}
				if (may_wait && vm_runningbuf_waiting(m, d)) {
					*wait = LW_WAIT_RUNNINGBUF;
					ls->resume = true;
					ls->runningbuf = true;
					return (false);
				}
				if (may_wait && vm_pbuf_waiting_td(m, d)) {
					*wait = LW_WAIT_PBUF;
					ls->resume = true;
					return (false);
				}
			}
drop_page:
			next = laundry_marker_next(m, marker);
		}

		if (ls->launder > 0 && ls->queue == PQ_UNSWAPPABLE) {
			ls->queue = PQ_LAUNDRY;
			ls->maxscan = (int32_t)vmd->pq[PQ_LAUNDRY].cnt;
			continue;
		}
		return (true);
	}
}

/*
 * vm_pageout_launder_finish() - model of the end of vm_pageout_launder(),
 * S:902-909
 */
int32_t
vm_pageout_launder_finish(struct vm_machine *m, uint32_t d,
    struct launder_scan *ls)
{
	int32_t done;


	/*
	 * A vnode was skipped and the target was missed: wake the syncer
	 * so that the file system's dirty buffers move (S:902-907).
	 */
	if (ls->vnodes_skipped > 0 && ls->launder > 0)
		m->cnt.speedup_syncer++;
	done = ls->start_target - ls->launder;
	if (ls->in_shortfall)
		m->cnt.laundered_shortfall += (uint64_t)done;
	else
		m->cnt.laundered_background += (uint64_t)done;
	ls->active = false;
	return (done);
}

/* vm_pageout_launder() - model of vm_pageout_launder(), S:692-910 */
int32_t
vm_pageout_launder(struct vm_machine *m, uint32_t d, int32_t launder,
    bool in_shortfall)
{
	struct launder_scan ls;
	enum lw_wait wait;
	uint64_t visited;

	visited = 0;
	vm_pageout_launder_start(m, d, &ls, launder, in_shortfall);
	while (!vm_pageout_launder_step(m, d, &ls, false, &wait, &visited))
		;
	return (vm_pageout_launder_finish(m, d, &ls));
}
