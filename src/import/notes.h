/*
 * notes.h - the notes an importer leaves in its trace (private to
 * src/import/): collected while importing, written after the last event.
 */
#ifndef PGREPLAY_IMPORT_NOTES_H
#define PGREPLAY_IMPORT_NOTES_H

#include "import/import.h"
#include "trace/event.h"
#include "trace/writer.h"

struct import_notes {
	char text[TRACE_NOTES_MAX][TRACE_NAME_MAX + 1];
	unsigned n;
};

void import_notes_init(struct import_notes *n);

/* import_note() - add a note (cut at 255 bytes; extra notes are dropped). */
void import_note(struct import_notes *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* import_notes_objects() - the note counting processes and objects. */
void import_notes_objects(struct import_notes *n,
    const struct import_stats *st);

/* import_notes_write() - write them all to w; 0 or <0 with err. */
int import_notes_write(const struct import_notes *n, struct trace_writer *w,
    struct pg_error *err);

#endif
