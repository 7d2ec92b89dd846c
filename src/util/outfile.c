/*
 * outfile.c - outputs that are complete or absent; see outfile.h.
 *
 * The destination is classified before anything is created: replacing a
 * device node or a symbolic link by a regular file, as a blind
 * "temporary file + rename" does, would break the machine (a /dev/null
 * that is a file) or the user's layout (a link to a shared report).
 */
#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
	enum outfile_kind kind;
	int fd;
	FILE *fp;	       /* outfile_stream(), or NULL */
	char *path;	       /* the destination, links resolved */
	char *tmp;	       /* the temporary file (OUTFILE_ATOMIC) */
	char *name;	       /* for messages */
	volatile sig_atomic_t *interrupted;
	bool failed;	       /* a write failed: commit must not succeed */
	int saved_errno;
};

static int
outfile_fail(struct pg_error *err, const char *name, int e, const char *what)
{
	return (pg_error_setv(err, -e, name, PG_POS_NONE, 0, "%s: %s", what,
	    strerror(e)));
}

/*
 * outfile_resolve() - follow the symbolic links of path to the name they
 * end at (which may not exist yet).  Sets *magic when a link lives under
 * /proc or /dev/fd: those name descriptors, not files, and are opened as
 * they are.  Returns a malloc'd path, or NULL with errno set.
 */
static char *
outfile_resolve(const char *path, bool *magic)
{
	char *cur, *next, link[PATH_MAX];
	const char *slash;
	struct stat st;
	ssize_t n;
	size_t dirlen;
	int hops;

	*magic = false;
	cur = strdup(path);
	if (cur == NULL)
		return (NULL);
	for (hops = 0;; hops++) {
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return (cur);
		if (strncmp(cur, "/proc/", 6) == 0 ||
		    strncmp(cur, "/dev/fd/", 8) == 0) {
			*magic = true;
			return (cur);
		}
		if (hops == OUTFILE_LINKS_MAX) {
			free(cur);
			errno = ELOOP;
			return (NULL);
		}
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0) {
			free(cur);
			return (NULL);
		}
		link[n] = '\0';
		/* A relative link is relative to the directory holding it. */
		slash = strrchr(cur, '/');
		dirlen = (link[0] != '/' && slash != NULL) ?
		    (size_t)(slash - cur) + 1 : 0;
		next = malloc(dirlen + (size_t)n + 1);
		if (next == NULL) {
			free(cur);
			return (NULL);
		}
		memcpy(next, cur, dirlen);
		memcpy(next + dirlen, link, (size_t)n + 1);
		free(cur);
		cur = next;
	}
}

/* outfile_open_tmp() - the hidden temporary file beside f->path. */
static int
outfile_open_tmp(struct outfile *f, const struct stat *old,
    struct pg_error *err)
{
	const char *slash = strrchr(f->path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - f->path) + 1 : 0;
	size_t n = strlen(f->path) + 16;
	mode_t mode, mask;
	int e;

	f->tmp = malloc(n);
	if (f->tmp == NULL)
		return (outfile_fail(err, f->name, ENOMEM, "cannot create"));
	/* Hidden, so that a directory listing never shows a half file. */
	snprintf(f->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, f->path,
	    f->path + dirlen);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		e = errno;
		free(f->tmp);
		f->tmp = NULL;
		return (outfile_fail(err, f->name, e, "cannot create"));
	}
	/*
	 * mkstemp() makes it 0600: a replaced file keeps its mode, a new one
	 * gets what open(2) would have given it.
	 */
	if (old != NULL) {
		mode = old->st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(f->fd, mode) < 0) {
		e = errno;
		close(f->fd);
		f->fd = -1;
		unlink(f->tmp);
		return (outfile_fail(err, f->name, e, "cannot create"));
	}
	return (0);
}

/*
 * outfile_fd_name() - N for "/dev/fd/N" or "/proc/self/fd/N", else -1.
 * Such a name is our own descriptor: it is duplicated, not reopened, so
 * that its offset and append mode are kept (reopening would write over a
 * log from its start).
 */
static int
outfile_fd_name(const char *path)
{
	const char *p;
	long n = 0;

	if (strncmp(path, "/dev/fd/", 8) == 0)
		p = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		p = path + 14;
	else
		return (-1);
	if (*p == '\0')
		return (-1);
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			return (-1);
	}
	return (*p == '\0' ? (int)n : -1);
}

static void
outfile_free(struct outfile *f)
{
	free(f->path);
	free(f->tmp);
	free(f->name);
	free(f);
}

int
outfile_open(const char *path, const struct outfile_opts *opts,
    struct outfile **out, struct pg_error *err)
{
	const char *name = opts != NULL ? opts->name : NULL;
	struct outfile *f;
	struct stat st;
	bool magic;
	int rc, e, std = -1;

	*out = NULL;
	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		std = STDOUT_FILENO;
	else if (strcmp(path, "/dev/stderr") == 0)
		std = STDERR_FILENO;
	else
		std = outfile_fd_name(path);
	if (name == NULL)
		name = std == STDOUT_FILENO && path[0] == '-' ?
		    "standard output" : path;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return (outfile_fail(err, name, ENOMEM, "cannot create"));
	f->fd = -1;
	f->interrupted = opts != NULL ? opts->interrupted : NULL;
	f->name = strdup(name);
	if (f->name == NULL) {
		rc = outfile_fail(err, name, ENOMEM, "cannot create");
		goto fail;
	}
	if (std >= 0) {
		/* Our own copy: commit closes it and sees a failing close. */
		f->kind = OUTFILE_STDOUT;
		f->path = strdup(path);
		f->fd = f->path != NULL ? dup(std) : -1;
		if (f->fd < 0) {
			rc = outfile_fail(err, name,
			    f->path == NULL ? ENOMEM : errno, "cannot write");
			goto fail;
		}
		*out = f;
		return (0);
	}
	f->path = outfile_resolve(path, &magic);
	if (f->path == NULL) {
		rc = outfile_fail(err, name, errno, "cannot create");
		goto fail;
	}
	if (stat(f->path, &st) < 0) {
		if (errno != ENOENT || magic) {
			rc = outfile_fail(err, name, errno, "cannot create");
			goto fail;
		}
		/* A new file (its directory must exist: mkstemp() says). */
		f->kind = OUTFILE_ATOMIC;
		rc = outfile_open_tmp(f, NULL, err);
		if (rc < 0)
			goto fail;
	} else if (S_ISDIR(st.st_mode)) {
		rc = outfile_fail(err, name, EISDIR, "cannot create");
		goto fail;
	} else if (S_ISREG(st.st_mode) && !magic) {
		f->kind = OUTFILE_ATOMIC;
		rc = outfile_open_tmp(f, &st, err);
		if (rc < 0)
			goto fail;
	} else {
		/*
		 * A device, a FIFO, a socket or a descriptor: write to it as
		 * it is.  No O_TRUNC (meaningless for devices and harmful
		 * for a descriptor link to a log opened for appending), no
		 * O_CREAT (it exists).  Opening a FIFO waits for a reader;
		 * a signal ends the wait with EINTR.
		 */
		f->kind = OUTFILE_IN_PLACE;
		f->fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (f->fd < 0) {
			e = errno;
			rc = outfile_fail(err, name, e,
			    e == EINTR ? "interrupted while opening" :
			    "cannot open");
			goto fail;
		}
	}
	*out = f;
	return (0);
fail:
	outfile_free(f);
	return (rc);
}

FILE *
outfile_stream(struct outfile *f)
{
	if (f->fp == NULL)
		f->fp = fdopen(f->fd, "w");
	return (f->fp);
}

int
outfile_fd(const struct outfile *f)
{
	return (f->fd);
}

enum outfile_kind
outfile_kind(const struct outfile *f)
{
	return (f->kind);
}

const char *
outfile_path(const struct outfile *f)
{
	return (f->path);
}

int
outfile_write(struct outfile *f, const void *buf, size_t len,
    struct pg_error *err)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(f->fd, p, len);
		if (n < 0) {
			if (errno == EINTR &&
			    (f->interrupted == NULL || *f->interrupted == 0))
				continue;
			f->failed = true;
			f->saved_errno = errno;
			return (outfile_fail(err, f->name, errno,
			    "write error"));
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* outfile_sync_dir() - make the rename durable; best effort. */
static void
outfile_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL) {
		dir = strdup(".");
	} else {
		dir = strndup(path, (size_t)(slash - path) + 1);
	}
	if (dir == NULL)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int
outfile_commit(struct outfile *f, struct pg_error *err)
{
	int rc = 0, e = 0;

	if (f->failed)
		e = f->saved_errno;
	if (f->fp != NULL) {
		if ((fflush(f->fp) != 0 || ferror(f->fp)) && e == 0)
			e = errno != 0 ? errno : EIO;
	}
	/*
	 * fsync() of a temporary file is what makes the rename safe after a
	 * crash; a device or a pipe may not support it (EINVAL) and needs
	 * none.
	 */
	if (e == 0 && f->kind == OUTFILE_ATOMIC && fsync(f->fd) < 0)
		e = errno;
	/* close() is where NFS and some devices report a lost write. */
	if (f->fp != NULL) {
		if (fclose(f->fp) != 0 && e == 0)
			e = errno;
		f->fp = NULL;
	} else if (f->fd >= 0 && close(f->fd) < 0 && e == 0 && errno != EINTR) {
		e = errno;
	}
	f->fd = -1;
	if (e != 0) {
		rc = outfile_fail(err, f->name, e, "write error");
		goto out;
	}
	if (f->interrupted != NULL && *f->interrupted != 0) {
		rc = pg_error_setv(err, -EINTR, f->name, PG_POS_NONE, 0,
		    "interrupted: not written");
		goto out;
	}
	if (f->kind == OUTFILE_ATOMIC) {
		if (rename(f->tmp, f->path) < 0) {
			rc = outfile_fail(err, f->name, errno,
			    "cannot replace");
			goto out;
		}
		free(f->tmp);
		f->tmp = NULL;
		outfile_sync_dir(f->path);
	}
out:
	if (f->tmp != NULL)
		unlink(f->tmp);
	outfile_free(f);
	return (rc);
}

void
outfile_abort(struct outfile *f)
{
	if (f == NULL)
		return;
	if (f->fp != NULL)
		fclose(f->fp);
	else if (f->fd >= 0)
		close(f->fd);
	if (f->tmp != NULL)
		unlink(f->tmp);
	outfile_free(f);
}
