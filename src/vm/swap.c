/*
 * swap.c - swap space: devices, swap_pager_avail with the full /
 * almost_full hysteresis, and the swap block of each (object, pindex)
 * (spec 9.5, 12.6; swap_pager.c of 2018).
 *
 * Deviations from the kernel, all documented in spec 12.6 or here:
 * - Contiguous allocation is approximated: a run of n blocks is granted
 *   by the first device (in order of swapon) with n free blocks, where
 *   the kernel's blist needs n contiguous free blocks and
 *   swp_pager_getswapspace() rotates its starting device.
 * - A device offers all its blocks; the two blocks swaponsomething()
 *   keeps back for a disk label in later kernels are not modelled.
 * - Blocks are records keyed by (object slot, pindex), kept in a hash and
 *   on a per-object list; the pool grows with the blocks in use and never
 *   beyond the configured swap, so an idle swap costs nothing.
 */
#include "vm/vm_int.h"
#include "vm/pager.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#define SWAP_MAXDEV 32

struct swap_dev {
	uint64_t nblks;
	uint64_t used;		/* blocks reserved or assigned */
	bool active;
	bool closing;		/* SW_CLOSING: being removed by swapoff */
};

struct swap_blk {
	uint32_t obj, pindex;
	uint32_t hnext;		/* hash chain; free list when unused */
	uint32_t onext, oprev;	/* the object's blocks */
	uint8_t dev;
	bool in_use;
};

struct vm_swap {
	struct swap_dev dev[SWAP_MAXDEV];
	uint32_t order[SWAP_MAXDEV];	/* active devices, oldest first */
	uint32_t ndev;
	uint64_t total;			/* blocks of the active devices */
	uint64_t avail;			/* swap_pager_avail */
	int full;			/* swap_pager_full */
	int almost_full;		/* swap_pager_almost_full */
	struct swap_blk *blk;
	uint32_t blk_cap, blk_free, nblk;
	uint32_t *bucket;
	uint32_t mask;			/* buckets - 1 */
};

struct vm_swap *
vm_swap_create(void)
{
	struct vm_swap *sw;

	sw = calloc(1, sizeof(*sw));
	if (sw == NULL)
		return (NULL);
	/* No swap at boot: "full" (spec 2.1). */
	sw->full = 2;
	sw->almost_full = 1;
	sw->blk_free = VM_NONE;
	return (sw);
}

void
vm_swap_destroy(struct vm_swap *sw)
{
	if (sw == NULL)
		return;
	free(sw->blk);
	free(sw->bucket);
	free(sw);
}

/* swp_sizecheck(): the hysteresis of spec 9.5 step 4. */
static void
swp_sizecheck(struct vm_swap *sw)
{
	if (sw->avail < NSWAP_LOWAT) {
		sw->almost_full = 1;
	} else {
		sw->full = 0;
		if (sw->avail > NSWAP_HIWAT)
			sw->almost_full = 0;
	}
}

static inline uint32_t *
blk_bucket(const struct vm_swap *sw, uint32_t obj, uint32_t pindex)
{
	return (&sw->bucket[vm_mix32(obj, pindex) & sw->mask]);
}

static uint32_t
blk_lookup(const struct vm_swap *sw, uint32_t obj, uint32_t pindex)
{
	uint32_t e;

	if (sw->bucket == NULL)
		return (VM_NONE);
	for (e = *blk_bucket(sw, obj, pindex); e != VM_NONE;
	    e = sw->blk[e].hnext)
		if (sw->blk[e].obj == obj && sw->blk[e].pindex == pindex)
			return (e);
	return (VM_NONE);
}

/*
 * Make room for want block records: the pool and the buckets only grow
 * here, when space is reserved, so assigning a block never allocates.
 */
static int
blk_reserve(struct vm_swap *sw, uint64_t want)
{
	struct swap_blk *nb;
	uint32_t *bk, cap, nbuckets, i, e;

	if (want <= sw->blk_cap)
		return (0);
	if (want >= VM_NONE)
		return (-ENOMEM);
	cap = sw->blk_cap != 0 ? sw->blk_cap : 256;
	while (cap < want)
		cap = cap > VM_NONE / 2 ? VM_NONE - 1 : cap * 2;
	if (cap > sw->total && sw->total >= want)
		cap = (uint32_t)sw->total;
	nb = realloc(sw->blk, (size_t)cap * sizeof(*nb));
	if (nb == NULL)
		return (-ENOMEM);
	sw->blk = nb;
	for (i = cap; i > sw->blk_cap; i--) {
		nb[i - 1].in_use = false;
		nb[i - 1].hnext = sw->blk_free;
		sw->blk_free = i - 1;
	}
	sw->blk_cap = cap;
	for (nbuckets = 256; nbuckets < cap && nbuckets < (1u << 31);)
		nbuckets *= 2;
	if (nbuckets <= sw->mask + 1 && sw->bucket != NULL)
		return (0);
	bk = malloc((size_t)nbuckets * sizeof(*bk));
	if (bk == NULL)
		return (-ENOMEM);
	for (i = 0; i < nbuckets; i++)
		bk[i] = VM_NONE;
	free(sw->bucket);
	sw->bucket = bk;
	sw->mask = nbuckets - 1;
	for (e = 0; e < sw->blk_cap; e++) {
		if (!sw->blk[e].in_use)
			continue;
		bk = blk_bucket(sw, sw->blk[e].obj, sw->blk[e].pindex);
		sw->blk[e].hnext = *bk;
		*bk = e;
	}
	return (0);
}

/* The device of a released block gets it back (swp_pager_freeswapspace()). */
static void
dev_free_one(struct vm_swap *sw, uint8_t dev)
{
	sw->dev[dev].used--;
	if (!sw->dev[dev].closing) {
		sw->avail++;
		swp_sizecheck(sw);
	}
}

/* Release block record e and its block. */
static void
blk_release(struct vm_machine *m, uint32_t e)
{
	struct vm_swap *sw;
	struct swap_blk *b;
	struct vm_object *o;
	uint32_t *link;

	sw = m->swap;
	b = &sw->blk[e];
	for (link = blk_bucket(sw, b->obj, b->pindex); *link != e;
	    link = &sw->blk[*link].hnext)
		;
	*link = b->hnext;
	o = &m->objects[b->obj];
	if (b->oprev != VM_NONE)
		sw->blk[b->oprev].onext = b->onext;
	else
		o->swap_head = b->onext;
	if (b->onext != VM_NONE)
		sw->blk[b->onext].oprev = b->oprev;
	o->swap_count--;
	dev_free_one(sw, b->dev);
	b->in_use = false;
	b->hnext = sw->blk_free;
	sw->blk_free = e;
	sw->nblk--;
}

uint64_t
vm_swap_avail(const struct vm_machine *m)
{
	return (m->swap->avail);
}

uint64_t
vm_swap_total(const struct vm_machine *m)
{
	return (m->swap->total);
}

uint64_t
vm_swap_used(const struct vm_machine *m)
{
	return (m->swap->total - m->swap->avail);
}

int
vm_swap_full(const struct vm_machine *m)
{
	return (m->swap->full);
}

int
vm_swap_almost_full(const struct vm_machine *m)
{
	return (m->swap->almost_full);
}

/*
 * vm_swap_getspace() - model of swp_pager_getswapspace(n).  If the host
 * runs out of memory for the block records the request fails like a full
 * swap, without touching the flags.
 */
bool
vm_swap_getspace(struct vm_machine *m, uint32_t n, uint32_t *device)
{
	struct vm_swap *sw;
	struct swap_dev *dv;
	uint32_t i;

	sw = m->swap;
	for (i = 0; i < sw->ndev; i++) {
		dv = &sw->dev[sw->order[i]];
		if (dv->closing || dv->nblks - dv->used < n)
			continue;
		if (blk_reserve(sw, (sw->total - sw->avail) + n) != 0)
			return (false);
		dv->used += n;
		sw->avail -= n;
		swp_sizecheck(sw);
		if (sw->total - sw->avail > m->cnt.peak_swap_used)
			m->cnt.peak_swap_used = sw->total - sw->avail;
		*device = sw->order[i];
		return (true);
	}
	sw->full = 2;
	sw->almost_full = 1;
	return (false);
}

/*
 * vm_swap_assign() - swp_pager_meta_build(): the block was reserved by
 * vm_swap_getspace(); an older block of the same page is freed.
 */
void
vm_swap_assign(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint32_t device)
{
	struct vm_swap *sw;
	struct swap_blk *b;
	struct vm_object *o;
	uint32_t e, *bk;

	sw = m->swap;
	e = blk_lookup(sw, obj, pindex);
	if (e != VM_NONE) {
		dev_free_one(sw, sw->blk[e].dev);
		sw->blk[e].dev = (uint8_t)device;
		return;
	}
	if (sw->blk_free == VM_NONE &&
	    blk_reserve(sw, (uint64_t)sw->blk_cap + 1) != 0)
		return;
	e = sw->blk_free;
	b = &sw->blk[e];
	sw->blk_free = b->hnext;
	b->obj = obj;
	b->pindex = pindex;
	b->dev = (uint8_t)device;
	b->in_use = true;
	bk = blk_bucket(sw, obj, pindex);
	b->hnext = *bk;
	*bk = e;
	o = &m->objects[obj];
	b->oprev = VM_NONE;
	b->onext = o->swap_head;
	if (o->swap_head != VM_NONE)
		sw->blk[o->swap_head].oprev = e;
	o->swap_head = e;
	o->swap_count++;
	sw->nblk++;
}

bool
vm_swap_has(const struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	return (blk_lookup(m->swap, obj, pindex) != VM_NONE);
}

/* vm_swap_release() - model of swap_pager_unswapped(). */
void
vm_swap_release(struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	uint32_t e;

	if (m->objects[obj].swap_count == 0)
		return;
	e = blk_lookup(m->swap, obj, pindex);
	if (e != VM_NONE)
		blk_release(m, e);
}

/* vm_swap_release_object() - swp_pager_meta_free_all(). */
void
vm_swap_release_object(struct vm_machine *m, uint32_t obj)
{
	while (m->objects[obj].swap_head != VM_NONE)
		blk_release(m, m->objects[obj].swap_head);
}

/* swp_pager_meta_free() of a range: O(min(count, blocks of obj)). */
void
vm_swap_release_range(struct vm_machine *m, uint32_t obj, uint64_t first,
    uint64_t count)
{
	struct vm_object *o;
	uint64_t i;
	uint32_t e, next;

	o = &m->objects[obj];
	if (o->swap_count == 0)
		return;
	if (count >= o->swap_count) {
		for (e = o->swap_head; e != VM_NONE; e = next) {
			next = m->swap->blk[e].onext;
			if (m->swap->blk[e].pindex >= first &&
			    m->swap->blk[e].pindex < first + count)
				blk_release(m, e);
		}
		return;
	}
	for (i = first; i < first + count && i <= UINT32_MAX; i++)
		vm_swap_release(m, obj, (uint32_t)i);
}

/* vm_swapon() - model of swaponsomething() and vm_pageout_swapon(). */
int
vm_swapon(struct vm_machine *m, uint64_t pages)
{
	struct vm_swap *sw;
	uint32_t i;

	sw = m->swap;
	if (pages == 0 || sw->total + pages >= VM_NONE)
		return (-EINVAL);
	for (i = 0; i < SWAP_MAXDEV; i++)
		if (!sw->dev[i].active)
			break;
	if (i == SWAP_MAXDEV)
		return (-ENOSPC);
	sw->dev[i].nblks = pages;
	sw->dev[i].used = 0;
	sw->dev[i].active = true;
	sw->dev[i].closing = false;
	sw->order[sw->ndev++] = i;
	sw->total += pages;
	sw->avail += pages;
	swp_sizecheck(sw);
	m->swapdev_enabled = 1;		/* S:553-558 */
	return (0);
}

/*
 * vm_swapoff() - model of swapoff_one() and swap_pager_swapoff().
 *
 * The kernel refuses when free pages plus free swap cannot absorb the
 * device (vm_free_count() + swap_pager_avail < nblks + nswap_lowat).  It
 * then sleeps for memory while paging in; the model cannot sleep, so it
 * also refuses when the pages to read exceed what VM_ALLOC_SYSTEM
 * allocations can take (free_count - interrupt_free_min per domain).
 * As swp_pager_force_pagein() does, a resident page is only dirtied and a
 * page read back is dirtied and laundered (it was not used recently), and
 * each block is then released.  The device's free blocks leave
 * swap_pager_avail at once (SW_CLOSING); no swp_sizecheck() follows.
 */
int
vm_swapoff(struct vm_machine *m, uint64_t pages)
{
	struct vm_swap *sw;
	struct swap_dev *dv;
	uint64_t freepg, usable, nonres;
	uint32_t i, k, dev, e, page, d;

	sw = m->swap;
	for (k = sw->ndev; k > 0; k--)
		if (sw->dev[sw->order[k - 1]].nblks == pages)
			break;
	if (k == 0)
		return (-ENOENT);
	dev = sw->order[k - 1];
	dv = &sw->dev[dev];

	freepg = usable = 0;
	for (d = 0; d < m->ndomains; d++) {
		freepg += m->dom[d].free_count;
		if (m->dom[d].free_count > m->dom[d].th.interrupt_free_min)
			usable += m->dom[d].free_count -
			    m->dom[d].th.interrupt_free_min;
	}
	nonres = 0;
	for (e = 0; e < sw->blk_cap; e++)
		if (sw->blk[e].in_use && sw->blk[e].dev == dev &&
		    vm_page_lookup(m, sw->blk[e].obj, sw->blk[e].pindex) ==
		    VM_NONE)
			nonres++;
	if (freepg + sw->avail < dv->nblks + NSWAP_LOWAT || nonres > usable) {
		m->cnt.swapoff_refused++;
		return (-ENOMEM);
	}

	dv->closing = true;
	sw->avail -= dv->nblks - dv->used;
	sw->total -= dv->nblks;
	for (e = 0; e < sw->blk_cap && dv->used > 0; e++) {
		if (!sw->blk[e].in_use || sw->blk[e].dev != dev)
			continue;
		page = vm_page_lookup(m, sw->blk[e].obj, sw->blk[e].pindex);
		if (page == VM_NONE) {
			page = vm_page_alloc(m, sw->blk[e].obj,
			    sw->blk[e].pindex, VM_ALLOC_SYSTEM, false);
			if (page != VM_NONE) {
				m->pages[page].valid = VM_PAGE_BITS_ALL;
				m->pages[page].dirty = VM_PAGE_BITS_ALL;
				vm_page_launder(m, page);
				m->cnt.v_swappgsin++;
			}
		} else
			m->pages[page].dirty = VM_PAGE_BITS_ALL;
		blk_release(m, e);
	}

	/*
	 * vm_pageout_swapoff(), S:560-566: the last device disables swap;
	 * swapoff_one() then puts back the no-swap flags of boot.
	 */
	if (sw->ndev == 1) {
		m->swapdev_enabled = 0;
		sw->full = 2;
		sw->almost_full = 1;
	}
	for (i = k - 1; i + 1 < sw->ndev; i++)
		sw->order[i] = sw->order[i + 1];
	sw->ndev--;
	dv->active = false;
	dv->closing = false;
	dv->nblks = dv->used = 0;
	return (0);
}

/* vm_swap_check() - the swap part of vm_machine_check(). */
int
vm_swap_check(const struct vm_machine *m, struct pg_error *err)
{
	const struct vm_swap *sw;
	const struct swap_blk *b;
	uint64_t total, used, perdev[SWAP_MAXDEV] = { 0 }, objsum, n;
	uint32_t i, e, prev;

	sw = m->swap;
	total = used = 0;
	for (i = 0; i < SWAP_MAXDEV; i++) {
		if (!sw->dev[i].active)
			continue;
		if (sw->dev[i].used > sw->dev[i].nblks)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap device %u uses %" PRIu64 " of %" PRIu64
			    " blocks", i, sw->dev[i].used, sw->dev[i].nblks));
		total += sw->dev[i].nblks;
		used += sw->dev[i].used;
	}
	if (total != sw->total || sw->avail > total ||
	    total - sw->avail != used)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: total %" PRIu64 " avail %" PRIu64 " but devices "
		    "have %" PRIu64 " blocks, %" PRIu64 " used", sw->total,
		    sw->avail, total, used));
	if (used != sw->nblk)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: %" PRIu64 " blocks in use but %u assigned to pages",
		    used, sw->nblk));
	n = 0;
	for (e = 0; e < sw->blk_cap; e++) {
		b = &sw->blk[e];
		if (!b->in_use)
			continue;
		n++;
		if (!sw->dev[b->dev].active)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap block %u on removed device %u", e, b->dev));
		perdev[b->dev]++;
		if (b->obj >= m->nobjects || !m->objects[b->obj].in_use)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap block %u belongs to dead object slot %u", e,
			    b->obj));
		if (blk_lookup(sw, b->obj, b->pindex) != e)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap block %u (object %u, pindex %u) not hashed",
			    e, b->obj, b->pindex));
	}
	if (n != sw->nblk)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: %" PRIu64 " block records in use, count says %u",
		    n, sw->nblk));
	for (i = 0; i < SWAP_MAXDEV; i++)
		if (sw->dev[i].active && perdev[i] != sw->dev[i].used)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap device %u: %" PRIu64 " used, %" PRIu64
			    " blocks assigned", i, sw->dev[i].used, perdev[i]));
	objsum = 0;
	for (i = 0; i < m->nobjects; i++) {
		if (!m->objects[i].in_use)
			continue;
		n = 0;
		prev = VM_NONE;
		for (e = m->objects[i].swap_head; e != VM_NONE;
		    e = sw->blk[e].onext) {
			b = &sw->blk[e];
			if (!b->in_use || b->obj != i || b->oprev != prev ||
			    n > sw->nblk)
				return (pg_error_setv(err, -EFAULT, "",
				    PG_POS_NONE, 0, "object slot %u: swap "
				    "block list broken at block %u", i, e));
			prev = e;
			n++;
		}
		if (n != m->objects[i].swap_count)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "object slot %u: swap_count %u but %" PRIu64
			    " blocks", i, m->objects[i].swap_count, n));
		objsum += n;
	}
	if (objsum != sw->nblk)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: objects own %" PRIu64 " blocks, %u in use",
		    objsum, sw->nblk));
	if ((sw->full != 0 && sw->full != 2) ||
	    (sw->almost_full != 0 && sw->almost_full != 1))
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: full %d, almost_full %d", sw->full,
		    sw->almost_full));
	return (0);
}
