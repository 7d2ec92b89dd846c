/*
 * pevq_int.h - the queue of trace events a waiting process holds back
 * (pevq.c), and the spill file its overflow goes to (spill.c).  Not for
 * other modules.
 *
 * Memory bound (docs/model.md, "Memory bounds"): a queue keeps at most
 * PEVQ_RING_MAX bytes of records in memory (about 8000 events) and one
 * chunk being filled; a longer backlog goes, in order, to chunks of the
 * run's spill file and comes back as the queue drains.  A stalled process
 * therefore never stops the trace being read, and the events it holds
 * back cost about 8 bytes each on disk, not in memory.
 */
#ifndef PGREPLAY_SIM_PEVQ_INT_H
#define PGREPLAY_SIM_PEVQ_INT_H

#include <stdint.h>

/* A trace event waiting in its process's queue (no strings needed). */
struct sim_pev {
	uint64_t time_ns;
	uint64_t obj;
	uint64_t pindex;
	uint64_t count;
	uint64_t evno;			/* 1-based event number, for errors */
	uint8_t op;
	uint8_t objtype;
};

/* Bytes of records a queue holds in memory, and of one spilled chunk. */
#define PEVQ_RING_MAX (UINT32_C(1) << 16)
#define PEVQ_CHUNK (UINT32_C(1) << 14)

/* front_len of a first event held as it is, in front only (pevq.c). */
#define PEVQ_FRONT_HELD UINT32_MAX

/*
 * The spill file of a run: a temporary file (unlinked at creation, in
 * $TMPDIR or /tmp) of PEVQ_CHUNK-byte slots, shared by the run's queues.
 * A slot read back is free for the next chunk, so the file is as large as
 * the most chunks spilled at one time.  fd is -1 until the first chunk.
 */
struct sim_spill {
	int fd;
	uint32_t nslots;		/* slots the file has */
	uint32_t *free;			/* free slots, a stack */
	uint32_t nfree, free_cap;
	uint64_t chunks_out;		/* chunks written, for the report of tests */
};

/* One spilled chunk: its slot, bytes and events. */
struct pevq_chunk {
	uint32_t slot, len, n;
};

/*
 * The events a process holds back: records (pevq.c) in a byte ring of
 * at most PEVQ_RING_MAX bytes, then, once that is full, the oldest
 * spilled chunks (a FIFO ring of nchunks entries from chunk_head), then
 * the chunk being filled (wbuf).  n counts them all; ring_n those in the
 * ring.  in_* are the time and number of the last event put in, out_* of
 * the last taken out (the records are deltas).  front is the first event,
 * valid when front_len != 0: the ring's first record decoded (front_len
 * its bytes), or, front_len == PEVQ_FRONT_HELD, an event that came to the
 * empty queue and was kept as it is, never encoded.  The first event is
 * front or the ring's first record whenever n > 0.
 */
struct sim_pevq {
	uint8_t *buf;
	uint32_t cap, head, len;	/* cap: bytes, a power of two */
	uint32_t ring_n;
	uint64_t n;
	uint32_t front_len;
	uint64_t in_time, in_evno, out_time, out_evno;
	struct sim_pev front;

	struct pevq_chunk *chunks;
	uint32_t chunk_head, nchunks, chunks_cap;	/* chunks_cap: a power of two */
	uint8_t *wbuf;			/* PEVQ_CHUNK bytes while spilling */
	uint32_t wlen, wn;
};

/*
 * sim_pevq_push() - queue e, spilling to sp when the ring is full: 0, or
 * -ENOMEM / the spill file's -errno with the queue unchanged.
 * sim_pevq_front_time() - time of the first event (n > 0).
 * sim_pevq_pop() - take the first event out (n > 0), reading a spilled
 * chunk back when the ring has room: 0, or -ENOMEM / the file's -errno
 * with the event taken out and the rest still queued.
 * sim_pevq_clear() - drop every event; sim_pevq_free() - release it all.
 */
int sim_pevq_push(struct sim_pevq *q, struct sim_spill *sp,
    const struct sim_pev *e);
uint64_t sim_pevq_front_time(struct sim_pevq *q);
int sim_pevq_pop(struct sim_pevq *q, struct sim_spill *sp,
    struct sim_pev *out);
void sim_pevq_clear(struct sim_pevq *q, struct sim_spill *sp);
void sim_pevq_free(struct sim_pevq *q, struct sim_spill *sp);

/*
 * spill.c: sim_spill_init() - no file yet; sim_spill_put() - write len
 * (<= PEVQ_CHUNK) bytes to a free slot, returned in *slot;
 * sim_spill_take() - read slot's len bytes into buf and free the slot;
 * sim_spill_drop() - free slot unread; sim_spill_finish() - close the
 * file.  put and take return 0 or a negative errno.  sim_spill_dir() -
 * the directory of the file: $TMPDIR, else /tmp.
 */
const char *sim_spill_dir(void);
void sim_spill_init(struct sim_spill *sp);
int sim_spill_put(struct sim_spill *sp, const void *buf, uint32_t len,
    uint32_t *slot);
int sim_spill_take(struct sim_spill *sp, uint32_t slot, void *buf,
    uint32_t len);
void sim_spill_drop(struct sim_spill *sp, uint32_t slot);
void sim_spill_finish(struct sim_spill *sp);

#endif
