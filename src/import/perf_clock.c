/*
 * perf_clock.c - the clock offset of `import perf --strace`: realtime minus
 * monotonic, estimated from the mmap calls that both logs hold.
 */
#include "import/perf_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/lines.h"
#include "import/strace.h"

struct scan_map {
	uint32_t pid;
	uint64_t addr, t;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * perf_prescan() - read the first lines of both logs once before the import:
 * whether perf reports tasks and mappings itself (if not, strace's are
 * used), and realtime minus monotonic from the mmap calls both logs hold
 * (*pairs of them; none is an error only if need_offset).  strace stamps a
 * call at its entry, perf its mapping record during the call, so each pair
 * bounds the offset from below; the tightest bound within the densest
 * millisecond of bounds is taken (address reuse pairs some calls with the
 * wrong record, far away).
 */
int
perf_prescan(const char *perf_path, const char *strace_path, bool need_offset,
    int64_t *off, uint64_t *pairs, bool *tasks, bool *mmaps,
    struct pg_error *err)
{
	struct import_lines *in = NULL;
	struct strace_parser *sp = NULL;
	struct scan_map *pm = NULL;
	struct strace_rec *sr = NULL;
	struct perf_rec *r = NULL;
	int64_t *d = NULL, best = 0;
	size_t np = 0, nd = 0, i, k, nbest;
	char *line;
	size_t len;
	int rc;

	pm = malloc(SCAN_MAPS * sizeof(*pm));
	d = malloc(SCAN_MAPS * sizeof(*d));
	r = malloc(sizeof(*r));
	sr = malloc(sizeof(*sr));
	if (pm == NULL || d == NULL || r == NULL || sr == NULL) {
		rc = pg_error_setv(err, -ENOMEM, "", PG_POS_NONE, 0,
		    "out of memory");
		goto out;
	}
	if ((rc = import_lines_open(perf_path, &in, err)) < 0)
		goto out;
	*tasks = *mmaps = false;
	while (import_lines_lineno(in) < SCAN_PERF_LINES &&
	    (rc = import_lines_next(in, &line, &len, err)) == 1) {
		if ((rc = perf_parse(in, line, r, err)) < 0)
			goto out;
		if (r->kind == PR_FORK || r->kind == PR_EXIT ||
		    r->kind == PR_COMM)
			*tasks = true;
		if (r->kind != PR_MMAP || np >= SCAN_MAPS)
			continue;
		*mmaps = true;
		pm[np].pid = r->pid;
		pm[np].addr = r->start;
		pm[np].t = r->t;
		np++;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if ((rc = strace_open(strace_path, &sp, err)) < 0)
		goto out;
	while (nd < SCAN_MAPS && strace_lines(sp) < SCAN_STRACE_LINES &&
	    (rc = strace_next(sp, sr, err)) == 1) {
		if (sr->kind != SR_MMAP)
			continue;
		for (i = 0; i < np; i++)
			if (pm[i].pid == sr->pid && pm[i].addr == sr->addr &&
			    nd < SCAN_MAPS)
				d[nd++] = (int64_t)(sr->t - pm[i].t);
	}
	if (rc < 0)
		goto out;
	rc = 0;
	*pairs = nd;
	if (nd == 0 && !need_offset)
		goto out;
	if (nd == 0) {
		rc = pg_error_setv(err, -EINVAL, strace_path, PG_POS_NONE, 0,
		    "cannot align the clocks: no mmap call of the strace log "
		    "matches a perf mapping record in the first lines; give "
		    "--clock-offset NS or --clock FILE");
		goto out;
	}
	qsort(d, nd, sizeof(*d), cmp_i64);
	/* The densest SCAN_WINDOW_NS of differences, then its top. */
	for (k = 0, i = 0, nbest = 0; k < nd; k++) {
		/*
		 * d is sorted, so the difference is d[k] - d[i] >= 0; in
		 * uint64_t it cannot overflow (two fuzzed times can be
		 * 2^63 apart).
		 */
		while ((uint64_t)d[k] - (uint64_t)d[i] > SCAN_WINDOW_NS)
			i++;
		if (k - i + 1 > nbest) {
			nbest = k - i + 1;
			best = d[k];
		}
	}
	*off = best;
out:
	strace_close(sp);
	import_lines_close(in);
	free(pm);
	free(d);
	free(r);
	free(sr);
	return (rc);
}
