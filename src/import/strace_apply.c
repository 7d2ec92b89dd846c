/*
 * strace_apply.c - one strace record applied to the address-space model,
 * for `import strace` alone and merged into `import perf --strace`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/space.h"
#include "import/strace.h"

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return (b != NULL && b[1] != '\0' ? b + 1 : path);
}

/*
 * import_apply_strace() - one strace record, with perf (tasks/mmaps: what
 * perf already reports) or alone.  Shared with strace.c.
 */
int
import_apply_strace(struct import_space *s, const struct strace_rec *r,
    uint64_t t, bool merged, bool tasks, bool mmaps, uint32_t *forking_pid,
    unsigned *forking_flags, struct pg_error *err)
{
	struct import_mapping m = { 0 };
	int rc;

	if (!import_space_known(s, r->pid)) {
		if (merged) {
			rc = import_space_select(s, r->pid,
			    r->kind == SR_EXECVE, err);
		} else {
			rc = import_space_proc(s, t, r->pid, NULL,
			    *forking_pid != r->pid ? *forking_pid : 0,
			    (*forking_flags & SR_CLONE_VM) != 0, err);
			*forking_pid = 0;
		}
		if (rc < 0)
			return (rc);
	} else if (merged) {
		if ((rc = import_space_select(s, r->pid, r->kind == SR_EXECVE,
			 err)) < 0)
			return (rc);
	}
	switch (r->kind) {
	case SR_MMAP:
		m.kind = (r->flags & SR_MAP_ANON) ? IMPORT_MAP_ANON :
						    IMPORT_MAP_FILE;
		m.path = r->path[0] != '\0' ? r->path : NULL;
		if (m.kind == IMPORT_MAP_FILE && m.path == NULL)
			m.path = "unknown-file"; /* strace without -y */
		m.pgoff = r->off;
		m.shared = (r->flags & SR_MAP_SHARED) != 0;
		/*
		 * With perf's mapping records, perf's record of this very
		 * call replaces what differs; an unmap here could come after
		 * it when the clocks are a few microseconds apart.
		 */
		if (mmaps)
			return (0);
		if ((r->flags & SR_MAP_FIXED) != 0 &&
		    (rc = import_space_unmap(s, t, r->pid, r->addr, r->len,
			 err)) < 0)
			return (rc);
		return (import_space_map(s, t, r->pid, r->addr, r->len, &m,
		    IMPORT_MAP_KEEP, err));
	case SR_MUNMAP:
		return (import_space_unmap(s, t, r->pid, r->addr, r->len, err));
	case SR_MREMAP:
		return (import_space_remap(s, t, r->pid, r->addr, r->len,
		    r->len2, r->result, err));
	case SR_BRK:
		return (import_space_brk(s, t, r->pid, r->result, err));
	case SR_MADVISE:
		return (import_space_discard(s, t, r->pid, r->addr, r->len,
		    r->advice == 2, err));
	case SR_FORKING:
		if ((r->flags & SR_CLONE_THREAD) != 0)
			return (0);
		if ((r->flags & SR_CLONE_VFORK) != 0)
			import_space_set_vfork(s, r->pid);
		*forking_pid = r->pid;
		*forking_flags = r->flags;
		return (0);
	case SR_CLONE:
		if ((r->flags & SR_CLONE_THREAD) != 0)
			return (0);
		if (tasks) {
			if ((r->flags & SR_CLONE_VFORK) != 0)
				import_space_set_vfork(s, r->pid);
			return (0);
		}
		*forking_pid = 0;
		return (import_space_proc(s, t, r->child, NULL, r->pid,
		    (r->flags & SR_CLONE_VM) != 0, err));
	case SR_EXECVE:
		if (tasks)
			return (0);
		return (import_space_exec(s, t, r->pid, base_name(r->path),
		    err));
	case SR_EXIT:
		if (tasks)
			return (0);
		return (import_space_exit(s, t, r->pid, err));
	}
	return (0);
}
