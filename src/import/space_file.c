/*
 * space_file.c - files of the importers' address-space model: one object
 * per (device, inode), or per path while the inode is unknown.
 */
#include "import/space_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct file *
space_file_by_path(struct import_space *s, const char *path)
{
	struct file *f;

	for (f = s->by_path[hash_str(path)]; f != NULL; f = f->next_path)
		if (strcmp(f->path, path) == 0)
			return (f);
	return (NULL);
}

/*
 * space_file_obj() - the object of a file: by (dev, ino) when known, else by
 * path.  A file first seen by path (strace) takes the inode of the first
 * record that names both; the path then follows the newest file.
 */
int
space_file_obj(struct import_space *s, const struct import_mapping *m,
    uint64_t *obj, struct pg_error *err)
{
	struct file *f = NULL, *byp = NULL;
	char path[TRACE_NAME_MAX + 1];
	unsigned h;

	if (m->path != NULL && m->path[0] != '\0') {
		space_sanitize_name(path, sizeof(path), m->path);
	} else {
		snprintf(path, sizeof(path), "dev%" PRIu64 ":ino%" PRIu64,
		    m->dev, m->ino);
	}
	if (m->ino != 0)
		for (f = s->by_key[hash64(m->dev * 31 + m->ino)]; f != NULL;
		     f = f->next_key)
			if (f->ino == m->ino && f->dev == m->dev)
				break;
	if (f != NULL) {
		*obj = f->obj;
		return (0);
	}
	byp = space_file_by_path(s, path);
	if (byp != NULL && (m->ino == 0 || byp->ino == 0)) {
		if (byp->ino == 0 && m->ino != 0) {
			/* Learn the inode: rehash by key. */
			struct file **pp;

			for (pp = &s->by_key[hash64(byp->dev * 31)];
			     *pp != NULL && *pp != byp; pp = &(*pp)->next_key)
				continue;
			if (*pp == byp)
				*pp = byp->next_key;
			byp->dev = m->dev;
			byp->ino = m->ino;
			h = hash64(byp->dev * 31 + byp->ino);
			byp->next_key = s->by_key[h];
			s->by_key[h] = byp;
		}
		*obj = byp->obj;
		return (0);
	}
	if (s->nfiles >= IMPORT_FILES_MAX)
		return (space_error(err, -ENOSPC,
		    "more than %d files (the importer's limit)",
		    IMPORT_FILES_MAX));
	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->path = strdup(path)) == NULL) {
		free(f);
		return (space_error(err, -ENOMEM, "out of memory"));
	}
	f->dev = m->ino != 0 ? m->dev : 0;
	f->ino = m->ino;
	space_new_obj(s, VT_FILE, &f->obj);
	h = hash64(f->dev * 31 + f->ino);
	f->next_key = s->by_key[h];
	s->by_key[h] = f;
	/* The path names the newest file; an older one stays by key. */
	if (byp != NULL) {
		struct file **pp;

		for (pp = &s->by_path[hash_str(path)]; *pp != byp;
		     pp = &(*pp)->next_path)
			continue;
		*pp = byp->next_path;
	}
	h = hash_str(path);
	f->next_path = s->by_path[h];
	s->by_path[h] = f;
	s->nfiles++;
	*obj = f->obj;
	return (0);
}
