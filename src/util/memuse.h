/*
 * memuse.h - how much heap the process is using, for --max-memory.
 *
 * The figure comes from the allocator that serves malloc(): glibc's
 * statistics (mallinfo2(): bytes in use, small and mmap'd), or under
 * AddressSanitizer its allocator's count.  Where neither sees our
 * allocations (valgrind replaces malloc()), the resident set size from
 * /proc/self/statm stands in; memuse_source() says which.  Differences
 * between two readings are what a caller should compare: none of the
 * sources starts at zero.
 */
#ifndef PGREPLAY_UTIL_MEMUSE_H
#define PGREPLAY_UTIL_MEMUSE_H

#include <stdint.h>

enum memuse_source {
	MEMUSE_MALLINFO = 0, /* glibc mallinfo2() */
	MEMUSE_SANITIZER,    /* the ASan allocator */
	MEMUSE_RSS,	     /* resident set size */
	MEMUSE_NONE,	     /* nothing to measure with: always 0 */
};

/*
 * memuse_source() - decide (once per call: it allocates a probe of 1 MiB
 * and checks which allocator statistics see it, else takes the resident
 * set) where memuse_bytes() reads.  Cannot fail; MEMUSE_NONE when no
 * source works.
 */
enum memuse_source memuse_source(void);

/* memuse_bytes() - the current reading of source, in bytes. */
uint64_t memuse_bytes(enum memuse_source source);

/* memuse_source_name() - "malloc statistics", "sanitizer", "RSS", "none". */
const char *memuse_source_name(enum memuse_source source);

#endif
