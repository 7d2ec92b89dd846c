/*
 * fuzz.h - what every fuzz target of tests/fuzz/ defines.
 *
 * A target is one file, fuzz_NAME.c, defining LLVMFuzzerTestOneInput(),
 * and one line in tests/fuzz/meson.build.  Built with -Dfuzz=true and
 * clang it is a libFuzzer target; otherwise driver.c supplies main(),
 * which runs the target over files and directories (meson test runs
 * tests/fuzz/corpus/NAME/ and tests/fuzz/regressions/NAME/).
 *
 * A target must return 0, never print, and free everything it
 * allocated: a leak, a crash, a sanitizer report or an abort() is a
 * finding.  It aborts on its own when the library breaks a promise
 * (an error without a message, an event count past the bound, ...).
 */
#ifndef PGREPLAY_TESTS_FUZZ_H
#define PGREPLAY_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * FUZZ_ASSERT() - abort with a message when a contract of the library is
 * broken; the fuzzer counts the abort as a crash and keeps the input.
 */
#define FUZZ_ASSERT(cond)                                                 \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: contract broken: %s\n",   \
			    __FILE__, __LINE__, #cond);                   \
			abort();                                          \
		}                                                         \
	} while (0)

/* Inputs larger than this are skipped: they only slow the search down. */
#define FUZZ_INPUT_MAX (1024 * 1024)

#endif
