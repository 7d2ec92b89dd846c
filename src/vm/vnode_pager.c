/*
 * vnode_pager.c - model of the write half of vnode_pager.c as the laundry
 * thread sees it (spec 9.5, 12.7): vnode_pager_putpages() and
 * vnode_pager_generic_putpages(), with the bawrite()/bwrite() choice of
 * vnode_pager_putpages_ioflags() and bufdone() for the completion.  The
 * runningbufspace throttle the writes go through is vm/runningbuf.c;
 * reads from a file are the fault path's (vm/fault.c).
 */
#include "vm/pager_int.h"

/*
 * vnode_pager_putpages() - model of vnode_pager_putpages() and
 * vnode_pager_generic_putpages() as the laundry thread sees them (spec
 * 9.5, 12.7).  vm_pageout_flush() passes VM_PAGER_PUT_NOREUSE only, so
 * the write is IO_ASYNC (vnode_pager_putpages_ioflags()): VOP_WRITE()
 * bawrite()s the buffers and every page is clean when the call returns.
 * bufwrite() adds the buffers to runningbufspace and, if it already
 * exceeded hirunningspace before them, sleeps in waitrunningbufspace()
 * (the laundry thread lacks TDP_NORUNNINGBUF).  When some domain is short
 * of free pages (vm_page_count_min()) the put is forced to
 * VM_PAGER_PUT_SYNC: IO_SYNC, bwrite(), and the thread waits for this
 * write instead.  The model writes the cluster as one buffer of count
 * pages where the file system writes one per block (spec 12.7).
 */
void
vnode_pager_putpages(struct vm_machine *m, uint32_t td, const uint32_t *pages,
    int count, int *rtvals)
{
	struct vm_io_state *s;
	struct io_rec *r;
	uint64_t space;
	uint32_t obj;
	int i;
	bool sync;

	s = m->io;
	obj = m->pages[pages[0]].object;
	sync = vm_page_count_min(m);
	r = io_alloc(s, VM_IO_VNODE_WRITE, td);
	if (r == NULL) {
		for (i = 0; i < count; i++)
			rtvals[i] = VM_PAGER_AGAIN;
		return;
	}
	for (i = 0; i < count; i++) {
		m->pages[pages[i]].dirty = 0;
		r->io.pages[i] = pages[i];
		rtvals[i] = VM_PAGER_OK;
	}
	r->io.count = (uint32_t)count;
	r->io.object = obj;
	r->io.object_id = m->objects[obj].id;
	m->cnt.v_vnodeout++;
	m->cnt.v_vnodepgsout += (uint64_t)count;

	/* bufwrite(): "Normal bwrites pipeline writes", sync or not. */
	space = s->running;
	s->running += io_runningbuf(&r->io);
	io_start(m, r);
	if (sync) {
		if (td < VM_MAX_DOMAINS)
			s->sync[td] = r->io.id;
	} else if (space > s->hirunning)
		(void)waitrunningbufspace(s, td);
}

void
vnode_pager_write_done(struct vm_machine *m, struct io_rec *r)
{
	struct vm_io_state *s;

	s = m->io;
	/*
	 * The pages were cleaned and unbusied by vm_pageout_flush()
	 * and the completion touches neither them nor their object
	 * slot, which may have been reused since.  bufdone() calls
	 * runningbufwakeup().
	 */
	if (r->io.domain < VM_MAX_DOMAINS &&
	    s->sync[r->io.domain] == r->io.id)
		s->sync[r->io.domain] = 0;
	runningbufwakeup(m, io_runningbuf(&r->io));
}

uint32_t
vm_io_sync_pending(const struct vm_machine *m, uint32_t d)
{
	if (d >= VM_MAX_DOMAINS)
		return (0);
	return (m->io->sync[d]);
}
