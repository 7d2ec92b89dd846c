/*
 * kassert.h - local invariants, checked in debug builds: PG_KASSERT(exp,
 * (fmt, ...)) as FreeBSD's KASSERT(9).  When exp is false the program
 * prints "pgreplay: assertion failed: FILE:LINE: FUNC: exp: message" on
 * stderr and aborts: a broken invariant is a bug in pgreplay, not bad
 * input, and a core at the spot is the most useful report.
 *
 * The build compiles them in debug and debugoptimized builds and out of
 * release builds (meson.build: b_ndebug=if-release defines NDEBUG), where
 * exp is not evaluated: it must have no side effects.  The model's global
 * checker (src/sim/check.c, --check) is the complement: it walks the whole
 * machine between steps, PG_KASSERT() checks one fact where it must hold.
 */
#ifndef PGREPLAY_UTIL_KASSERT_H
#define PGREPLAY_UTIL_KASSERT_H

/*
 * pg_kassert_fail() - report a failed PG_KASSERT() and abort(); fmt and
 * the arguments after it are the message in the second argument of the
 * macro.
 */
_Noreturn void pg_kassert_fail(const char *file, int line, const char *func,
    const char *exp, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#define PG_KASSERT_MSG_(...) __VA_ARGS__

#ifdef NDEBUG
/* sizeof: the operands stay "used" but exp is not evaluated. */
#define PG_KASSERT(exp, msg) ((void)sizeof(!(exp)))
#else
#define PG_KASSERT(exp, msg) \
	((exp) ? (void)0 : pg_kassert_fail(__FILE__, __LINE__, __func__, #exp, \
	    PG_KASSERT_MSG_ msg))
#endif

#endif
