/*
 * lowmem.c - the vm_lowmem event of the page daemon (S:1120-1133,
 * spec 11): the kernel's registered handlers shrink their caches.
 */
#include "pageout/pageout.h"

#define PPM 1000000u

/*
 * vm_lowmem() - model of EVENTHANDLER_INVOKE(vm_lowmem, VM_LOW_PAGES)
 * followed by uma_reclaim(), S:1126-1131.
 *
 * The handlers (buffer cache, ZFS ARC, mbufs...) are one reclaimable pool
 * per domain, the kernel cache of the configuration; each event releases
 * release_ppm millionths of what it holds now, rounded down but at least
 * one page while the cache is not empty and release_ppm > 0, so that a
 * small cache drains instead of stopping short of empty forever.  The
 * pages go back to the free list and count with the wakeups of a free
 * (vm_domain_kernel_cache_release()).
 * uma_reclaim() has nothing to do: the model keeps no UMA zone caches,
 * their pages are part of the kernel cache.
 */
void
vm_lowmem(struct vm_machine *m, uint32_t release_ppm)
{
	struct vm_domain *vmd;
	uint64_t n;
	uint32_t d;

	m->cnt.lowmem_events++;
	if (release_ppm == 0)
		return;
	if (release_ppm > PPM)
		release_ppm = PPM;
	for (d = 0; d < m->ndomains; d++) {
		vmd = &m->dom[d];
		if (vmd->kernel_cache == 0)
			continue;
		n = (uint64_t)vmd->kernel_cache * release_ppm / PPM;
		if (n == 0)
			n = 1;
		/* Free list, free count and kernel_cache_released. */
		(void)vm_domain_kernel_cache_release(m, d, (uint32_t)n);
	}
}
