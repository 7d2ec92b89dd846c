/*
 * proc_int.h - what proc.c (the processes' queues, waits and kills) and
 * apply.c (applying the trace's events to the machine) share.
 */
#ifndef PGREPLAY_SIM_PROC_INT_H
#define PGREPLAY_SIM_PROC_INT_H

#include <stdint.h>

#include "sim/sim_int.h"

/* sim_pid_lookup() - the procs index of pid, or UINT32_MAX. */
static inline uint32_t
sim_pid_lookup(const struct sim *s, uint32_t pid)
{
	uint32_t pi;

	return (pg_idmap_get(&s->pids, pid, &pi) ? pi : UINT32_MAX);
}

/*
 * sim_proc_cached_obj() - the slot p's object cache holds for trace object
 * id, or VM_NONE.
 */
static inline uint32_t
sim_proc_cached_obj(const struct sim_proc *p, uint64_t id)
{
	uint32_t i;

	for (i = 0; i < p->oc_n; i++)
		if (p->oc_id[i] == id)
			return (p->oc_slot[i]);
	return (VM_NONE);
}

/*
 * sim_proc_new() - a trace `proc` event: a new process (the vm's and the
 * simulator's), found by pid from now on.  0, or the error sim_fail()
 * recorded.
 */
int sim_proc_new(struct sim *s, const struct trace_event *ev, uint64_t evno);

/*
 * sim_global_event() - a swapon, swapoff or mark event, which belongs to
 * no process.  0, or the error sim_fail() recorded.
 */
int sim_global_event(struct sim *s, const struct trace_event *ev,
    uint64_t evno);

/*
 * sim_event_start() - start the event at the head of pi's queue (its
 * cur): non-page events are applied whole; page ranges are checked and
 * their cursor set.  Returns 0 (done), 2 (a page range to step through)
 * or a negative errno (recorded by sim_fail()).
 */
int sim_event_start(struct sim *s, uint32_t pi);

/* sim_proc_gone() - p exits: its vm process goes and it counts as gone. */
void sim_proc_gone(struct sim *s, struct sim_proc *p);

#endif
