/*
 * runningbuf.c - model of vfs_bio.c's runningbufspace throttle as the
 * vnode pager's writes meet it (spec 9.5, 12.7): bufinit()'s
 * lorunningspace, the sleep of waitrunningbufspace() and the wakeup of
 * runningbufwakeup() and runningwakeup().  Swap writes never enter
 * runningbufspace (vm/swap_pager.c).
 *
 * The kernel's thread sleeps in waitrunningbufspace(); here it is recorded
 * as a sleeper (vm_runningbuf_waiting()) until a completion brings
 * runningbufspace down to lorunningspace and wakes every sleeper at once
 * (notify.runningbuf_wakeup), after which each makes the loop test again
 * (vm_runningbuf_recheck()).
 */
#include "vm/pager_int.h"

/* lorunningspace of bufinit(): two thirds of hirunningspace, rounded up. */
uint64_t
vm_lorunningspace(uint64_t hirunningspace)
{
	return ((hirunningspace * 2 / 3 + VM_MAXBCACHEBUF - 1) /
	    VM_MAXBCACHEBUF * VM_MAXBCACHEBUF);
}

/*
 * waitrunningbufspace() - the loop test of waitrunningbufspace()
 * (vfs_bio.c): while runningbufspace > hirunningspace the thread sets
 * runningbufreq and sleeps.
 */
bool
waitrunningbufspace(struct vm_io_state *s, uint32_t td)
{
	if (s->running <= s->hirunning || td >= VM_MAX_DOMAINS)
		return (false);
	s->runningbufreq = true;
	s->rb_sleep[td] = true;
	return (true);
}

/*
 * runningbufwakeup() - model of runningbufwakeup() and runningwakeup()
 * (vfs_bio.c): subtract the write's bytes and, on the transition to
 * lorunningspace or below, wake every waitrunningbufspace() sleeper at
 * once if runningbufreq is set.
 */
void
runningbufwakeup(struct vm_machine *m, uint64_t bspace)
{
	struct vm_io_state *s;
	uint64_t space;
	uint32_t d;

	s = m->io;
	space = s->running;
	s->running = space >= bspace ? space - bspace : 0;
	if (space < s->lorunning || s->running > s->lorunning)
		return;
	if (!s->runningbufreq)
		return;
	s->runningbufreq = false;
	for (d = 0; d < VM_MAX_DOMAINS; d++)
		s->rb_sleep[d] = false;
	m->notify.runningbuf_wakeup = true;
}

bool
vm_runningbuf_waiting(const struct vm_machine *m, uint32_t d)
{
	if (d >= VM_MAX_DOMAINS)
		return (false);
	return (m->io->rb_sleep[d]);
}

bool
vm_runningbuf_recheck(struct vm_machine *m, uint32_t d)
{
	return (waitrunningbufspace(m->io, d));
}

uint64_t
vm_runningbufspace(const struct vm_machine *m)
{
	return (m->io->running);
}

uint64_t
vm_hirunningspace(const struct vm_machine *m)
{
	return (m->io->hirunning);
}
