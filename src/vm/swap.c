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
 * - A block is one byte, its device, in its object's B+tree keyed by
 *   pindex (swap_tree.c), where the kernel keeps a pctrie of struct swblk
 *   per object.  The trees cost at most 16 bytes per block in use for any
 *   pattern of blocks, checked by vm_swap_check() (measured: 6.7 B for a
 *   dense object, 7.8 B for random pindexes), where the earlier hash of
 *   24-byte records cost about 28 B and, with its doubling pool, about
 *   41 B at the peak; the node pools grow a 16 KiB slab at a time, so an
 *   idle swap costs nothing and growth copies nothing.
 * - vm_swapoff() pages the device's blocks in object slot order and, in
 *   each object, in pindex order, as swap_pager_swapoff() walks the
 *   objects and each object's blocks.
 */
#include "vm/vm_int.h"
#include "vm/pager.h"
#include "vm/swap_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

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
	sw_meta_init(&sw->meta);
	return (sw);
}

void
vm_swap_destroy(struct vm_swap *sw)
{
	if (sw == NULL)
		return;
	sw_meta_fini(&sw->meta);
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
 * runs out of memory for the swap trees the request fails like a full
 * swap, without touching the flags.  The nodes that assigning the n
 * blocks may take are reserved here, so vm_swap_assign() does not
 * allocate (at most 64 blocks' worth: a larger run reserves again).
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
		if (sw_meta_reserve(&sw->meta, n < 64 ? n : 64) != 0)
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
 * vm_swap_getspace(); an older block of the same page is freed (spec
 * §9.5 step 4).  Should
 * the host run out of memory for the tree even so, the block goes back
 * to its device and the page has none, as if never assigned.
 */
void
vm_swap_assign(struct vm_machine *m, uint32_t obj, uint32_t pindex,
    uint32_t device)
{
	struct vm_swap *sw;
	int old;

	sw = m->swap;
	if (sw_insert(&sw->meta, &m->objects[obj], pindex, (uint8_t)device,
	    &old) != 0) {
		dev_free_one(sw, (uint8_t)device);
		return;
	}
	if (old >= 0) {
		dev_free_one(sw, (uint8_t)old);
		return;
	}
	m->objects[obj].swap_count++;
	sw->nblk++;
}

bool
vm_swap_has(const struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	return (sw_lookup(&m->swap->meta, &m->objects[obj], pindex) >= 0);
}

/* vm_swap_release() - model of swap_pager_unswapped() (spec §9.5 step 8). */
void
vm_swap_release(struct vm_machine *m, uint32_t obj, uint32_t pindex)
{
	struct vm_object *o;
	int dev;

	o = &m->objects[obj];
	if (o->swap_count == 0)
		return;
	dev = sw_remove(&m->swap->meta, o, pindex);
	if (dev < 0)
		return;
	o->swap_count--;
	m->swap->nblk--;
	dev_free_one(m->swap, (uint8_t)dev);
}

/*
 * vm_swap_release_object() - swp_pager_meta_free_all() (spec §9.5 step
 * 8).  The blocks go back one at a time, as the kernel frees them; avail
 * only rises, so the flags of swp_sizecheck() (§9.5 step 4) end as they
 * would in any order.
 */
void
vm_swap_release_object(struct vm_machine *m, uint32_t obj)
{
	struct vm_swap *sw;
	struct vm_object *o;
	uint32_t perdev[SWAP_MAXDEV] = { 0 }, d, k;

	sw = m->swap;
	o = &m->objects[obj];
	if (o->swap_count == 0)
		return;
	sw_free_all(&sw->meta, o, perdev);
	for (d = 0; d < SWAP_MAXDEV; d++)
		for (k = 0; k < perdev[d]; k++)
			dev_free_one(sw, (uint8_t)d);
	sw->nblk -= o->swap_count;
	o->swap_count = 0;
}

/*
 * swp_pager_meta_free() of a range: the blocks of [first, first + count)
 * in pindex order, O(blocks in the range x tree height).
 */
void
vm_swap_release_range(struct vm_machine *m, uint32_t obj, uint64_t first,
    uint64_t count)
{
	struct vm_object *o;
	uint64_t end;
	uint32_t pindex;
	uint8_t dev;

	o = &m->objects[obj];
	end = first + count < first ? UINT64_MAX : first + count;
	while (o->swap_count > 0 &&
	    sw_next(&m->swap->meta, o, first, &pindex, &dev) && pindex < end) {
		vm_swap_release(m, obj, pindex);
		first = (uint64_t)pindex + 1;
	}
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
	uint64_t freepg, usable, nonres, from;
	uint32_t i, k, dev, page, d, obj, pindex;
	uint8_t bdev;

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
	for (obj = 0; obj < m->nobjects; obj++) {
		if (!m->objects[obj].in_use)
			continue;
		for (from = 0; sw_next(&sw->meta, &m->objects[obj], from,
		    &pindex, &bdev); from = (uint64_t)pindex + 1)
			if (bdev == dev &&
			    vm_page_lookup(m, obj, pindex) == VM_NONE)
				nonres++;
	}
	if (freepg + sw->avail < dv->nblks + NSWAP_LOWAT || nonres > usable) {
		m->cnt.swapoff_refused++;
		return (-ENOMEM);
	}

	dv->closing = true;
	sw->avail -= dv->nblks - dv->used;
	sw->total -= dv->nblks;
	/* swap_pager_swapoff(): each object, its blocks in pindex order. */
	for (obj = 0; obj < m->nobjects && dv->used > 0; obj++) {
		if (!m->objects[obj].in_use)
			continue;
		for (from = 0; dv->used > 0 && sw_next(&sw->meta,
		    &m->objects[obj], from, &pindex, &bdev);
		    from = (uint64_t)pindex + 1) {
			if (bdev != dev)
				continue;
			page = vm_page_lookup(m, obj, pindex);
			if (page == VM_NONE) {
				page = vm_page_alloc(m, obj, pindex,
				    VM_ALLOC_SYSTEM, false);
				if (page != VM_NONE) {
					m->pages[page].valid =
					    VM_PAGE_BITS_ALL;
					m->pages[page].dirty =
					    VM_PAGE_BITS_ALL;
					vm_page_launder(m, page);
					m->cnt.v_swappgsin++;
				}
			} else
				m->pages[page].dirty = VM_PAGE_BITS_ALL;
			vm_swap_release(m, obj, pindex);
		}
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
	uint64_t total, used, perdev[SWAP_MAXDEV] = { 0 }, n;
	uint32_t i;
	int error;

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
	/* The trees: their blocks per device, per object, their nodes. */
	if ((error = sw_check(&sw->meta, m, perdev, err)) != 0)
		return (error);
	n = 0;
	for (i = 0; i < SWAP_MAXDEV; i++) {
		n += perdev[i];
		if (perdev[i] != 0 && !sw->dev[i].active)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap: %" PRIu64 " blocks on removed device %u",
			    perdev[i], i));
		if (sw->dev[i].active && perdev[i] != sw->dev[i].used)
			return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
			    "swap device %u: %" PRIu64 " used, %" PRIu64
			    " blocks assigned", i, sw->dev[i].used, perdev[i]));
	}
	if (n != sw->nblk)
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: objects own %" PRIu64 " blocks, %u in use", n,
		    sw->nblk));
	if ((sw->full != 0 && sw->full != 2) ||
	    (sw->almost_full != 0 && sw->almost_full != 1))
		return (pg_error_setv(err, -EFAULT, "", PG_POS_NONE, 0,
		    "swap: full %d, almost_full %d", sw->full,
		    sw->almost_full));
	return (0);
}

uint64_t
vm_swap_meta_bytes(const struct vm_machine *m)
{
	return (sizeof(*m->swap) + sw_meta_bytes(&m->swap->meta));
}

uint64_t
vm_swap_node_bytes(const struct vm_machine *m)
{
	return (sw_node_bytes(&m->swap->meta));
}
