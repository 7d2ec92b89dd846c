/*
 * suggest.c - the one edit distance and "did you mean" of pgreplay
 * (suggest.h).
 */
#include "util/suggest.h"

#include <stdint.h>
#include <string.h>

#define DIST_MAX_LEN 64

size_t
pg_edit_distance(const char *a, const char *b)
{
	size_t d[DIST_MAX_LEN + 1][DIST_MAX_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j, c, best;

	if (la > DIST_MAX_LEN || lb > DIST_MAX_LEN)
		return (SIZE_MAX);
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] == b[j - 1] ? 0 : 1;
			best = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return (d[la][lb]);
}

const char *
pg_suggest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = SIZE_MAX, len;

	for (i = 0; i < n; i++) {
		d = pg_edit_distance(s, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (best == NULL)
		return (NULL);
	/*
	 * A third of the key's length, at least 2 edits: "pagout_oom_seq"
	 * finds its key, "foo" does not turn into "sim".
	 */
	len = strlen(best);
	if (bestd > (len / 3 > 2 ? len / 3 : 2) || bestd >= len)
		return (NULL);
	return (best);
}
