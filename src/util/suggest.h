/*
 * suggest.h - "did you mean": the nearest of a list of names to a
 * misspelt one.  Every suggestion of pgreplay goes through pg_suggest():
 * configuration keys, model variants, `expect` statistics and the
 * parameters of `pgreplay gen`.
 */
#ifndef PGREPLAY_UTIL_SUGGEST_H
#define PGREPLAY_UTIL_SUGGEST_H

#include <stddef.h>

/*
 * pg_edit_distance() - optimal string alignment distance (Levenshtein
 * plus adjacent transpositions) of a and b; strings longer than 64 bytes
 * give SIZE_MAX.
 */
size_t pg_edit_distance(const char *a, const char *b);

/*
 * pg_suggest() - the candidate of cands[0 .. n-1] nearest to s by
 * pg_edit_distance(), or NULL when none is close enough to be a plausible
 * misspelling (more than a third of the candidate's length, and more
 * than 2 edits).
 */
const char *pg_suggest(const char *s, const char *const *cands, size_t n);

#endif
