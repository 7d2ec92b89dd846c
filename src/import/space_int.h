/*
 * space_int.h - the internals of the importers' address-space model
 * (space.h), shared by space*.c and private to them.
 */
#ifndef PGREPLAY_IMPORT_SPACE_INT_H
#define PGREPLAY_IMPORT_SPACE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "import/space.h"

#define HASH_BUCKETS 4096
#define NAME_LEN 64

enum vma_type { VT_ANON = 0, VT_FILE, VT_PHYS };

struct vma {
	uint64_t start, end; /* pages */
	uint64_t obj;
	uint64_t base;	 /* object page of start */
	uint64_t shadow; /* private file: object of the written copies */
	uint8_t type;	 /* enum vma_type */
	uint8_t shared;
	uint8_t growsdown;
};

/* A piece of a mapping that cut() removed. */
struct removed {
	uint64_t obj, shadow, base, count;
	bool anon;
};

struct proc {
	struct proc *next; /* hash chain */
	uint32_t pid;
	uint32_t parent;
	char name[NAME_LEN];
	bool selected, select_at_exec;
	bool written;	   /* its proc event is in the trace */
	bool placeholder;  /* made by select() before its fork was seen */
	bool vfork_next;   /* its next child is a vfork child */
	uint32_t vfork_of; /* running in this parent's space until exec */
	bool brk_known;
	uint64_t brk; /* bytes */
	struct vma *v;
	size_t nv, cap;
};

struct file {
	struct file *next_key, *next_path;
	uint64_t dev, ino; /* ino 0: known by path only */
	uint64_t obj;
	char *path; /* NULL when unnamed */
};

struct import_space {
	struct trace_writer *w;
	struct import_options o;
	struct proc *procs[HASH_BUCKETS];
	size_t nprocs;
	struct proc *last; /* lookup cache */
	struct file *by_key[HASH_BUCKETS];
	struct file *by_path[HASH_BUCKETS];
	size_t nfiles;
	uint64_t next_obj;
	bool started;
	uint64_t t0, last_t;
	struct import_stats st;
	/* Objects already announced by a map event (counted once). */
	uint8_t *seen;
	size_t seen_bytes;
	bool eager; /* write processes and maps at once (no touches) */
	/* Scratch for removals: the pieces a range held. */
	struct removed *scratch;
	size_t scratch_cap;
};

static inline unsigned
hash64(uint64_t x)
{
	x *= UINT64_C(0x9E3779B97F4A7C15);
	return ((unsigned)(x >> 52) & (HASH_BUCKETS - 1));
}

static inline unsigned
hash_str(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (hash64(h));
}

/* space.c */
int space_error(struct pg_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct proc *space_find(const struct import_space *s, uint32_t pid);
int space_emit_map(struct import_space *s, uint64_t t, struct proc *p,
    uint64_t obj, unsigned type, bool shadow, struct pg_error *err);
int space_emit_simple(struct import_space *s, uint64_t t, unsigned op,
    uint32_t pid, uint64_t obj, uint64_t pindex, uint64_t count,
    struct pg_error *err);
bool space_shows(const struct proc *p, uint64_t obj);
int space_materialize(struct import_space *s, uint64_t t, struct proc *p,
    struct pg_error *err);
bool space_live(const struct proc *p);
int space_sanitize_name(char *dst, size_t n, const char *src);
int space_new_obj(struct import_space *s, unsigned type, uint64_t *obj);
struct proc *space_get(struct import_space *s, uint32_t pid);

/* space_proc.c */
int space_vma_reserve(struct proc *p, size_t more, struct pg_error *err);

/* space_file.c */
struct file *space_file_by_path(struct import_space *s, const char *path);
int space_file_obj(struct import_space *s, const struct import_mapping *m,
    uint64_t *obj, struct pg_error *err);

/* space_map.c */
size_t space_first_at(const struct proc *p, uint64_t page);

#endif /* PGREPLAY_IMPORT_SPACE_INT_H */
