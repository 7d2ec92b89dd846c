/*
 * spill.c - the spill file of a run (pevq_int.h): fixed-size slots in an
 * unlinked temporary file, which hold the chunks of event records that
 * the queues of waiting processes cannot keep in memory.
 *
 * The file is created at the first chunk, so a run whose processes never
 * lag far costs no file.  Slots are reused (a stack of free ones), so the
 * file holds at most the chunks spilled at one time.
 */
#include "sim/pevq_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
sim_spill_init(struct sim_spill *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
}

const char *
sim_spill_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return (dir != NULL && dir[0] != '\0' ? dir : "/tmp");
}

static int
spill_open(struct sim_spill *sp)
{
	const char *dir = sim_spill_dir();
	char path[4096];
	int fd, n;

	n = snprintf(path, sizeof(path), "%s/pgreplay-spill.XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return (-ENAMETOOLONG);
	fd = mkstemp(path);
	if (fd < 0)
		return (-errno);
	/* Nobody else needs its name: it goes when the run closes it. */
	(void)unlink(path);
	sp->fd = fd;
	return (0);
}

/* Write or read len bytes at off, whole or an error. */
static int
spill_io(int fd, bool write, void *buf, uint32_t len, uint64_t off)
{
	uint8_t *p = buf;
	ssize_t r;

	while (len > 0) {
		r = write ? pwrite(fd, p, len, (off_t)off) :
		    pread(fd, p, len, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return (-errno);
		if (r == 0)
			return (-EIO);	/* a slot we wrote came back short */
		p += r;
		off += (uint64_t)r;
		len -= (uint32_t)r;
	}
	return (0);
}

int
sim_spill_put(struct sim_spill *sp, const void *buf, uint32_t len,
    uint32_t *slot)
{
	uint32_t *nf, s;
	int rc;

	if (sp->fd < 0 && (rc = spill_open(sp)) < 0)
		return (rc);
	if (sp->nfree > 0) {
		s = sp->free[--sp->nfree];
	} else {
		if (sp->nslots == UINT32_MAX)
			return (-EFBIG);
		/* The stack can take every slot back: dropping never allocates. */
		nf = pg_grow32(sp->free, &sp->free_cap, (size_t)sp->nslots + 1,
		    sizeof(*nf), 64, UINT32_MAX);
		if (nf == NULL)
			return (-ENOMEM);
		sp->free = nf;
		s = sp->nslots++;
	}
	rc = spill_io(sp->fd, true, (void *)(uintptr_t)buf, len,
	    (uint64_t)s * PEVQ_CHUNK);
	if (rc < 0) {
		sp->free[sp->nfree++] = s;
		return (rc);
	}
	sp->chunks_out++;
	*slot = s;
	return (0);
}

int
sim_spill_take(struct sim_spill *sp, uint32_t slot, void *buf, uint32_t len)
{
	int rc;

	rc = spill_io(sp->fd, false, buf, len, (uint64_t)slot * PEVQ_CHUNK);
	if (rc == 0)
		sim_spill_drop(sp, slot);
	return (rc);
}

void
sim_spill_drop(struct sim_spill *sp, uint32_t slot)
{
	sp->free[sp->nfree++] = slot;
}

void
sim_spill_finish(struct sim_spill *sp)
{
	if (sp->fd >= 0)
		(void)close(sp->fd);
	free(sp->free);
	sim_spill_init(sp);
}
