/*
 * golden.h - golden files for every suite (the shared test library,
 * tests/lib/): one variable regenerates them all, and a mismatch prints
 * the difference.
 *
 * PGREPLAY_REGEN_GOLDEN=1 (any value but "" and "0") makes golden_check()
 * write what the test produced instead of comparing; review `git diff`
 * before committing.  Without it a mismatch fails the test with the
 * output of `diff -u GOLDEN GOT` (at most GOLDEN_DIFF_LINES lines).
 */
#ifndef PGREPLAY_TESTS_LIB_GOLDEN_H
#define PGREPLAY_TESTS_LIB_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>

#define GOLDEN_DIFF_LINES 80

/* golden_regen() - whether PGREPLAY_REGEN_GOLDEN asks for new goldens. */
bool golden_regen(void);

/*
 * golden_diff() - the unified diff of the file path against the n bytes
 * of got, at most GOLDEN_DIFF_LINES lines, as a string to free(); "" when
 * they are equal.
 */
char *golden_diff(const char *path, const char *got, size_t n);

/*
 * golden_check() - got (n bytes) must equal the file path, or become it
 * when regenerating.  Fails the current Criterion test (cr_assert) with
 * the diff otherwise; what names the output in the message.
 */
void golden_check(const char *path, const char *got, size_t n,
    const char *what);

#endif
