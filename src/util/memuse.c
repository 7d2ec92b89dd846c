/*
 * memuse.c - heap readings for --max-memory; see memuse.h.
 */
#include "util/memuse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define MEMUSE_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMUSE_HAVE_ASAN 1
#endif
#endif

#ifdef MEMUSE_HAVE_ASAN
/*
 * From the sanitizer runtime (sanitizer/allocator_interface.h, which gcc
 * does not install): bytes currently allocated through malloc().
 */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#define MEMUSE_PROBE (1u << 20)

static uint64_t
memuse_rss(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return (0);
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	if (n != 2)
		return (0);
	return ((uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE));
}

uint64_t
memuse_bytes(enum memuse_source source)
{
	switch (source) {
	case MEMUSE_MALLINFO:
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	{
		struct mallinfo2 mi = mallinfo2();

		return ((uint64_t)mi.uordblks + (uint64_t)mi.hblkhd);
	}
#else
		return (0);
#endif
	case MEMUSE_SANITIZER:
#ifdef MEMUSE_HAVE_ASAN
		return (__sanitizer_get_current_allocated_bytes());
#else
		return (0);
#endif
	case MEMUSE_RSS:
		return (memuse_rss());
	case MEMUSE_NONE:
		break;
	}
	return (0);
}

/* memuse_sees() - does source grow by most of a probe we allocate? */
static int
memuse_sees(enum memuse_source source)
{
	uint64_t before = memuse_bytes(source), after;
	volatile char *p;

	p = malloc(MEMUSE_PROBE);
	if (p == NULL)
		return (0);
	/* Touched, so that the resident set sees it too. */
	memset((char *)p, 1, MEMUSE_PROBE);
	after = memuse_bytes(source);
	free((char *)p);
	return (after >= before + MEMUSE_PROBE / 2);
}

enum memuse_source
memuse_source(void)
{
	if (memuse_sees(MEMUSE_SANITIZER))
		return (MEMUSE_SANITIZER);
	if (memuse_sees(MEMUSE_MALLINFO))
		return (MEMUSE_MALLINFO);
	/*
	 * No probe for the resident set: a replacement allocator (valgrind)
	 * may serve the probe from memory it already touched for a block
	 * freed earlier.  RSS always grows with real use, which is what a
	 * limit needs.
	 */
	if (memuse_rss() > 0)
		return (MEMUSE_RSS);
	return (MEMUSE_NONE);
}

const char *
memuse_source_name(enum memuse_source source)
{
	static const char *const names[] = { "malloc statistics",
		"sanitizer", "RSS", "none" };

	return ((unsigned)source < 4 ? names[source] : "none");
}
