/*
 * scan.c - one scan of a domain's page queues, vm_pageout_scan()
 * (S:1096-1541, spec 7.4), and the vmdaemon requests it makes
 * (vm_swapout.c, spec 7.6).
 */
#include "pageout/pageout.h"

/*
 * vm_paging_target() - model of vm_paging_target() (vm_pagequeue.h): the
 * pages missing to free_target, an int that is negative above it.
 */
static int32_t
vm_paging_target(const struct vm_domain *vmd)
{
	return ((int32_t)((int64_t)vmd->th.free_target - vmd->free_count));
}

/*
 * vm_req_vmdaemon() - model of vm_req_vmdaemon() (vm_swapout.c, spec
 * 7.6).  The request bit itself has no consumer in the model (whole-process
 * swapout is out of scope), so only the wakeup is recorded.  lastrun
 * starts at 0 and moves only when the vmdaemon is actually woken; the
 * kernel's int sum lastrun + hz is formed with 32-bit wrap.
 */
static void
vm_req_vmdaemon(struct vm_machine *m, struct pageout_shared *sh,
    const struct pageout_clock *clk)
{
	int32_t limit;

	limit = (int32_t)((uint32_t)sh->vmdaemon_lastrun +
	    (uint32_t)m->sysctl.hz);
	if (clk->ticks > limit || clk->ticks < sh->vmdaemon_lastrun) {
		m->cnt.vmdaemon_wakeups++;
		sh->vmdaemon_lastrun = clk->ticks;
		sh->vmdaemon_lastrun_set = true;
	}
}

/* vm_swapout_run() - model of vm_swapout_run() (vm_swapout.c, spec 7.6). */
void
vm_swapout_run(struct vm_machine *m, struct pageout_shared *sh,
    const struct pageout_clock *clk)
{
	if (m->sysctl.swap_enabled == 0)
		return;
	m->cnt.swapout_requests++;
	vm_req_vmdaemon(m, sh, clk);
}

/*
 * vm_swapout_run_idle() - model of vm_swapout_run_idle() (vm_swapout.c,
 * spec 7.6).  The kernel compares time_second (wall clock); the model's
 * only clock of whole seconds is time_uptime, which changes at the same
 * instants up to the boot-time offset.
 */
void
vm_swapout_run_idle(struct vm_machine *m, struct pageout_shared *sh,
    const struct pageout_clock *clk)
{
	if (m->sysctl.swap_idle_enabled == 0 ||
	    clk->time_uptime == sh->swapout_idle_last)
		return;
	m->cnt.swapout_idle_requests++;
	vm_req_vmdaemon(m, sh, clk);
	sh->swapout_idle_last = clk->time_uptime;
}

/*
 * The variant inactive-dirty-limit (FreeBSD review D48337, Mark Johnston;
 * docs/model.md): an inactive scan that meets dirty pages instead of clean
 * ones gives up after inact_scan_laundry_weight (1) dirty pages per page it
 * wanted, leaving the rest of the queue for later scans and the shortfall
 * to the laundry thread, instead of moving the whole queue to the laundry
 * at once (the seed walks until maxscan, S:1165-1166).
 *
 * inactive_dirty_thresh() - the number of dirty pages after which the
 * scan for page_shortage pages stops: INT32_MAX (never) in the seed, and
 * also when the product is 0, as the kernel does.
 */
#define INACT_SCAN_LAUNDRY_WEIGHT 1	/* vm.inact_scan_laundry_weight */

static int32_t
inactive_dirty_thresh(const struct vm_machine *m, int32_t page_shortage)
{
	int64_t t;

	if ((m->variants & PG_VARIANT(INACTIVE_DIRTY_LIMIT)) == 0 ||
	    page_shortage <= 0)
		return (INT32_MAX);
	t = (int64_t)INACT_SCAN_LAUNDRY_WEIGHT * page_shortage;
	return (t > INT32_MAX ? INT32_MAX : (int32_t)t);
}

/*
 * inactive_dirty_counts() - whether a dirty page the scan sent to the
 * laundry counts towards the threshold: not if it would go to swap while
 * swap is nearly full or absent (swap_pager_almost_full), since laundering
 * it most likely frees nothing.
 */
static bool
inactive_dirty_counts(const struct vm_machine *m,
    const struct vm_object *object)
{
	if (object->type != OBJT_DEFAULT && object->type != OBJT_SWAP)
		return (true);
	return (vm_swap_almost_full(m) == 0);
}

/*
 * vm_pageout_scan() - model of vm_pageout_scan(), S:1105-1541, spec 7.4.
 *
 * The page and object locks of the kernel always succeed here (spec 12.12),
 * so the "lock failed, skip" branches (S:1192-1193, S:1215-1226,
 * S:1439-1442) never run; the wired and held re-checks that follow them
 * are the same tests as before the lock and are not repeated.
 */
bool
vm_pageout_scan(struct vm_machine *m, struct pageout_shared *sh,
    uint32_t d, int32_t pass, int32_t shortage,
    const struct pageout_clock *clk, uint64_t *visited)
{
	struct vm_domain *vmd = &m->dom[d];
	struct vm_pagequeue *pq;
	struct vm_page *pg;
	struct vm_object *object;
	uint32_t p, next;
	int64_t min_scan;
	int32_t act_delta, addl_page_shortage, deficit, inactq_shortage;
	int32_t maxscan, page_shortage, scan_tick, scanned;
	int32_t starting_page_shortage, weight, dirty_count, dirty_thresh;
	uint64_t nvisited;

	nvisited = 0;
	weight = m->sysctl.act_scan_laundry_weight;	/* >= 1 (conf_check) */

	/*
	 * A. S:1120-1133: ask the kernel caches for memory, domain 0 only,
	 * at most once per lowmem_period.  pass never returns to 0, so once
	 * the controller has spoken this fires every period (spec 11).
	 */
	if (d == 0 && pass > 0 &&
	    clk->time_uptime - m->lowmem_uptime >= m->sysctl.lowmem_period) {
		vm_lowmem(m, sh->kernel_cache_release_ppm);
		m->lowmem_uptime = clk->time_uptime;
	}

	/* B. S:1141-1153: the deficit is consumed only by reclaiming passes. */
	addl_page_shortage = 0;
	if (pass > 0) {
		deficit = (int32_t)vmd->pageout_deficit;
		vmd->pageout_deficit = 0;
		page_shortage = (int32_t)((int64_t)shortage + deficit);
	} else
		page_shortage = deficit = 0;
	starting_page_shortage = page_shortage;
	dirty_thresh = inactive_dirty_thresh(m, page_shortage);
	dirty_count = 0;

	/*
	 * C. S:1161-1342: the inactive scan.  maxscan counts every entry,
	 * markers included, so the inacthead marker costs one unit (D7).
	 * With inactive-dirty-limit the walk also ends once dirty_thresh
	 * pages went to the laundry (the seed: dirty_thresh is INT32_MAX).
	 */
	pq = &vmd->pq[PQ_INACTIVE];
	maxscan = (int32_t)pq->cnt;
	for (p = pq->head; p != VM_NONE && maxscan-- > 0 && page_shortage > 0 &&
	    dirty_count < dirty_thresh; p = next) {
		pg = &m->pages[p];
		nvisited++;
		m->cnt.v_pdpages++;				/* S:1172 */
		next = pg->qnext;
		if ((pg->flags & PG_MARKER) != 0)		/* S:1178 */
			continue;
		if (pg->wire_count != 0) {		/* S:1194-1202 */
			/* Unwiring requeues it: drop it now, lazily. */
			vm_page_dequeue(m, p);
			addl_page_shortage++;
			continue;
		}
		if (pg->hold_count != 0) {		/* S:1203-1212 */
			/* Stuck in the queue: discount it (see G). */
			addl_page_shortage++;
			continue;
		}
		object = &m->objects[pg->object];
		if (pg->busy != VPB_UNBUSIED) {		/* S:1227-1241 */
			/* Most likely under pageout: leave it in front. */
			addl_page_shortage++;
			continue;
		}

		/* S:1253-1254: a marker keeps our place; p leaves the queue. */
		vm_pagequeue_insert_after(m, p, vmd->marker);
		vm_page_dequeue(m, p);

		if (pg->valid == 0)			/* S:1262-1263 */
			goto free_page;

		/* S:1270-1280 */
		act_delta = vm_page_act_delta(m, p);
		if (act_delta != 0) {
			if (object->ref_count != 0) {	/* S:1282-1294 */
				m->cnt.v_reactivated++;
				vm_page_activate(m, p);
				/*
				 * After activate's floor of ACT_INIT and
				 * unclamped: a u_char that may wrap (D19).
				 */
				pg->act_count = (uint8_t)(pg->act_count +
				    act_delta + ACT_ADVANCE);
				goto drop_page;
			} else if ((object->flags & OBJ_DEAD) == 0) {
				/*
				 * S:1295-1301: not mapped, so no reason to
				 * activate; back to the inactive tail with
				 * its act_count.  The page is off the queue,
				 * so this is an enqueue (the seed's
				 * TAILQ_INSERT_TAIL).
				 */
				vm_page_enqueue(m, PQ_INACTIVE, p);
				goto drop_page;
			}
		}

		/* S:1312-1316: a clean page is unmapped before the free. */
		if (object->ref_count != 0) {
			vm_page_test_dirty(m, p);
			if (pg->dirty == 0)
				vm_pmap_remove_all(m, p);
		}

		/* S:1325-1331 */
		if (pg->dirty == 0) {
free_page:
			vm_page_free(m, p);
			m->cnt.v_dfree++;
			--page_shortage;
		} else if ((object->flags & OBJ_DEAD) == 0) {
			vm_page_launder(m, p);
			if (inactive_dirty_counts(m, object))
				dirty_count++;
		}
		/* Dirty pages of a dead object stay off the queues (T7). */
drop_page:
		/* S:1339-1340: resume after the marker. */
		next = m->pages[vmd->marker].qnext;
		vm_pagequeue_remove(m, vmd->marker);
	}

	/*
	 * D. S:1355-1372: wake the laundry thread.  pq is re-aimed at the
	 * laundry queue here and, in the seed, stays so for the active-scan
	 * target below (spec 7.4 G, the queue-pointer quirk).
	 */
	if (starting_page_shortage > 0) {
		pq = &vmd->pq[PQ_LAUNDRY];
		if (vmd->laundry_request == VM_LAUNDRY_IDLE &&
		    (pq->cnt > 0 || m->swapdev_enabled != 0)) {
			if (page_shortage > 0) {
				vmd->laundry_request = VM_LAUNDRY_SHORTFALL;
				m->cnt.v_pdshortfalls++;
			} else if (vmd->laundry_request !=
			    VM_LAUNDRY_SHORTFALL)
				vmd->laundry_request = VM_LAUNDRY_BACKGROUND;
			m->notify.laundry_wakeup |= UINT64_C(1) << d;
		}
		vmd->clean_pages_freed += starting_page_shortage -
		    page_shortage;
	}

	/* E. S:1378-1379 */
	if (page_shortage > 0)
		vm_swapout_run(m, sh, clk);

	/* F. S:1385 */
	vm_pageout_mightbe_oom(m, d, page_shortage, starting_page_shortage);

	/*
	 * G. S:1399-1402: the active-scan target, from the counts as they
	 * are now, after D-F (D9).  pq->cnt is the inactive count only when
	 * no inactive scan was wanted; otherwise it is the laundry count.
	 * The variant active-target counts the inactive queue, as
	 * vm_pageout_active_target() of later kernels does (introduced by
	 * svn r334154, 2018-05-24, review D15490, which split the scan;
	 * read at freebsd-src 0012f373e43d; docs/model.md); the deficit
	 * and addl_page_shortage stay added as in the seed.
	 * Clean pages count weight times more than dirty ones.  The kernel
	 * mixes u_int and int here; the 32-bit result is the same.
	 */
	if ((m->variants & PG_VARIANT(ACTIVE_TARGET)) != 0)
		pq = &vmd->pq[PQ_INACTIVE];
	inactq_shortage = (int32_t)((int64_t)vmd->th.inactive_target -
	    ((int64_t)pq->cnt + (int32_t)vmd->pq[PQ_LAUNDRY].cnt / weight) +
	    vm_paging_target(vmd) + deficit + addl_page_shortage);
	inactq_shortage = (int32_t)((int64_t)inactq_shortage * weight);

	/*
	 * H. S:1404-1421: the active scan visits at least the share of the
	 * queue due since the last recorded scan, so that every page is
	 * visited once per update period.  The tick difference is a wrapped
	 * 32-bit int; only the product is 64-bit (D18).
	 */
	pq = &vmd->pq[PQ_ACTIVE];
	maxscan = (int32_t)pq->cnt;
	scan_tick = clk->ticks;
	if (m->pageout_update_period != 0) {
		min_scan = pq->cnt;
		min_scan *= (int32_t)((uint32_t)scan_tick -
		    (uint32_t)vmd->last_active_scan);
		/*
		 * The kernel's int product hz * period; formed in 64 bits
		 * so that the extreme values conf allows cannot overflow.
		 */
		min_scan /= (int64_t)m->sysctl.hz * m->pageout_update_period;
	} else
		min_scan = 0;
	if (min_scan > 0 || (inactq_shortage > 0 && maxscan > 0))
		vmd->last_active_scan = scan_tick;

	/*
	 * S:1427-1536.  next is read before the page moves, so the walk ends
	 * after the page that was the tail even if it was requeued (D8), and
	 * the condition sees the current inactq_shortage at every step.
	 */
	for (p = pq->head, scanned = 0; p != VM_NONE && (scanned < min_scan ||
	    (inactq_shortage > 0 && scanned < maxscan)); p = next, scanned++) {
		pg = &m->pages[p];
		nvisited++;
		next = pg->qnext;
		if ((pg->flags & PG_MARKER) != 0)	/* S:1433-1434 */
			continue;
		vm_act_hints_ahead(m, vmd, p);	/* loads only (vm/hints.h) */
		m->cnt.v_pdpages++;				/* S:1448 */
		if (pg->wire_count != 0) {		/* S:1453-1457 */
			vm_page_dequeue(m, p);
			continue;
		}

		/*
		 * S:1462-1482.  Held and busy pages are not skipped: the
		 * active scan may deactivate them.
		 */
		act_delta = vm_page_act_delta(m, p);

		/* S:1487-1492: the u_char sum wraps before the clamp (D19). */
		if (act_delta != 0) {
			pg->act_count = (uint8_t)(pg->act_count + ACT_ADVANCE +
			    act_delta);
			if (pg->act_count > ACT_MAX)
				pg->act_count = ACT_MAX;
		} else
			pg->act_count = (uint8_t)(pg->act_count -
			    (pg->act_count < ACT_DECLINE ? pg->act_count :
			    ACT_DECLINE));

		if (pg->act_count == 0) {		/* S:1498-1532 */
			vm_page_dequeue(m, p);
			/*
			 * Without a shortage dirty pages go through the
			 * inactive queue too, for a last chance of reuse.
			 * In a shortage only the MI dirty field is consulted:
			 * the pmap is not asked (S:1515-1523).
			 */
			if (inactq_shortage <= 0)
				vm_page_deactivate(m, p);
			else if (pg->dirty == 0) {
				vm_page_deactivate(m, p);
				inactq_shortage -= weight;
			} else {
				vm_page_launder(m, p);
				inactq_shortage--;
			}
		} else
			vm_page_requeue(m, p);		/* S:1533-1534 */
	}
	if (pass > 0)					/* S:1538-1539 */
		vm_swapout_run_idle(m, sh, clk);
	if (visited != NULL)
		*visited = nvisited;
	return (page_shortage <= 0);
}
