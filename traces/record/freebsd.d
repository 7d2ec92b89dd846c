#!/usr/sbin/dtrace -qs
/*
 * freebsd.d - record page faults, frees, mappings and process lifetimes
 * for `pgreplay import dtrace` (docs/recording.md, "FreeBSD").
 *
 * UNTESTED: no FreeBSD machine was available when this was written.  The
 * probes and members used exist in FreeBSD 12 and later (vm_fault() kept
 * its first four arguments: map, vaddr, fault_type, fault_flags); check
 * the output with `pgreplay import dtrace` and report what breaks.
 *
 * Run as root, for one command and its children:
 *
 *	dtrace -qs traces/record/freebsd.d -c 'COMMAND ARGS' -o out.txt
 *	pgreplay import dtrace out.txt trace.pgb.zst
 *
 * Output: "pgreplay-dtrace 1", then one record per line, TIME first (the
 * kernel's `timestamp`, ns); the format is documented in src/import/dtrace.c
 * and docs/recording.md.  Only the traced command's process tree is
 * recorded ($target and its descendants, followed through proc:::create).
 *
 * Raise the buffers for busy programs: -x bufsize=64m -x switchrate=100hz
 * (dtrace prints "drops" when it loses records; the import cannot know).
 */

#pragma D option quiet
#pragma D option bufsize=32m
#pragma D option switchrate=50hz
#pragma D option dynvarsize=32m

BEGIN
{
	printf("pgreplay-dtrace 1\n");
	traced[$target] = 1;
}

proc:::create
/traced[pid]/
{
	traced[args[0]->p_pid] = 1;
	printf("%d fork %d %d\n", timestamp, pid, args[0]->p_pid);
}

proc:::exec-success
/traced[pid]/
{
	printf("%d exec %d %s\n", timestamp, pid, execname);
	/* The image the kernel mapped without a system call. */
	printf("%d image %d 0x%x %d 0x%x %d %s\n", timestamp, pid,
	    (uintptr_t)curproc->p_vmspace->vm_taddr,
	    curproc->p_vmspace->vm_tsize * `pagesizes[0],
	    (uintptr_t)curproc->p_vmspace->vm_daddr,
	    curproc->p_vmspace->vm_dsize * `pagesizes[0], execname);
}

proc:::exit
/traced[pid]/
{
	printf("%d exit %d\n", timestamp, pid);
	traced[pid] = 0;
}

/* Faults: vm_fault(map, vaddr, fault_type, fault_flags, ...). */
fbt::vm_fault:entry
/traced[pid] && args[0] == &curproc->p_vmspace->vm_map/
{
	self->fva = args[1];
	self->ftype = args[2];
	self->infault = 1;
}

fbt::vm_fault:return
/self->infault && arg1 == 0/
{
	printf("%d fault %d 0x%x %s\n", timestamp, pid, self->fva,
	    (self->ftype & 0x2) ? "w" : (self->ftype & 0x4) ? "x" : "r");
}

fbt::vm_fault:return
/self->infault/
{
	self->infault = 0;
}

syscall::mmap:entry
/traced[pid]/
{
	self->maddr = arg0;
	self->mlen = arg1;
	self->mprot = arg2;
	self->mflags = arg3;
	self->mfd = (int)arg4;
	self->moff = arg5;
	self->mpath = (self->mflags & 0x1000) || self->mfd < 0 ? "-" :
	    fds[self->mfd].fi_pathname;
	self->inmmap = 1;
}

syscall::mmap:return
/self->inmmap && errno == 0/
{
	printf("%d mmap %d 0x%x %d %d %d %d %d %s\n", timestamp, pid, arg1,
	    self->mlen, self->mprot, self->mflags, self->mfd, self->moff,
	    self->mpath == "" ? "-" : self->mpath);
}

syscall::mmap:return
/self->inmmap/
{
	self->inmmap = 0;
}

syscall::munmap:entry
/traced[pid]/
{
	printf("%d munmap %d 0x%x %d\n", timestamp, pid, arg0, arg1);
}

syscall::madvise:entry
/traced[pid] && (arg2 == 4 || arg2 == 5)/
{
	printf("%d madvise %d 0x%x %d %d\n", timestamp, pid, arg0, arg1, arg2);
}

syscall::break:entry
/traced[pid]/
{
	printf("%d brk %d 0x%x\n", timestamp, pid, arg0);
}
