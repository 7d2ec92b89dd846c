/*
 * test_outfile.c - util/outfile.h on every kind of destination, each made
 * in a fresh temporary directory: a new path, a regular file, a symbolic
 * link (and a chain, a loop, a dangling one), a directory, a FIFO and
 * character device nodes made with mknod (full and null; skipped with a
 * message where mknod is not allowed), a socket, a descriptor link.
 * Never the machine's own /dev.  And util/memuse.h, which --max-memory
 * reads.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/runner.h"
#include "util/memuse.h"
#include "util/outfile.h"

static char *
path_in(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	cr_assert_not_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void
put_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, mode), 0);
}

/* write_all_of() - open path, write text through the stream, commit. */
static int
write_all_of(const char *path, const char *text, struct pg_error *err)
{
	struct outfile *f;
	int rc;

	pg_error_clear(err);
	rc = outfile_open(path, NULL, &f, err);
	if (rc < 0)
		return rc;
	cr_assert_not_null(outfile_stream(f));
	fputs(text, outfile_stream(f));
	return outfile_commit(f, err);
}

/* make_node() - mknod a character device; false (and a skip) if refused. */
static bool
make_node(const char *path, unsigned major_, unsigned minor_)
{
	if (mknod(path, S_IFCHR | 0666, makedev(major_, minor_)) == 0)
		return true;
	cr_log_warn("mknod %s: %s: skipped (needs root; CI runs as root)",
	    path, strerror(errno));
	return false;
}

Test(outfile, new_path_appears_only_on_commit)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "new.txt"), *text;
	struct pg_error err;
	struct outfile *f;
	struct stat st;
	mode_t mask;

	cr_assert_eq(outfile_open(p, NULL, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(outfile_kind(f), OUTFILE_ATOMIC);
	cr_assert_eq(outfile_write(f, "hello\n", 6, &err), 0);
	/* Only the hidden temporary file exists so far. */
	cr_assert_neq(access(p, F_OK), 0);
	cr_assert_eq(cli_dir_entries(dir), 1);
	cr_assert_eq(outfile_commit(f, &err), 0, "%s", err.msg);
	text = cli_slurp(p, NULL);
	cr_assert_str_eq(text, "hello\n");
	cr_assert_eq(cli_dir_entries(dir), 1);
	/* The mode open(2) would have given: 0666 less the umask. */
	mask = umask(0);
	umask(mask);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0666 & ~mask);
	free(text);
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, regular_file_replaced_keeps_mode)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "r.txt"), *text;
	struct pg_error err;
	struct stat st;

	put_file(p, "old\n", 0640);
	cr_assert_eq(write_all_of(p, "new\n", &err), 0, "%s", err.msg);
	text = cli_slurp(p, NULL);
	cr_assert_str_eq(text, "new\n");
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640);
	cr_assert_eq(cli_dir_entries(dir), 1);
	free(text);
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, abort_leaves_old_file_and_no_temporary)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "r.txt"), *text;
	struct pg_error err;
	struct outfile *f;

	put_file(p, "old\n", 0644);
	cr_assert_eq(outfile_open(p, NULL, &f, &err), 0);
	fputs("half a rep", outfile_stream(f));
	outfile_abort(f);
	outfile_abort(NULL);
	text = cli_slurp(p, NULL);
	cr_assert_str_eq(text, "old\n");
	cr_assert_eq(cli_dir_entries(dir), 1);
	free(text);
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, interrupted_commit_writes_nothing)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "r.txt");
	volatile sig_atomic_t flag = 0;
	struct outfile_opts o = { .interrupted = &flag };
	struct pg_error err;
	struct outfile *f;

	cr_assert_eq(outfile_open(p, &o, &f, &err), 0);
	fputs("report\n", outfile_stream(f));
	flag = SIGINT;
	cr_assert_eq(outfile_commit(f, &err), -EINTR);
	cr_assert(strstr(err.msg, "interrupted") != NULL, "%s", err.msg);
	cr_assert_eq(cli_dir_entries(dir), 0);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, symlink_written_through)
{
	char *dir = cli_tmpdir(), *target = path_in(dir, "target.txt");
	char *l1 = path_in(dir, "l1"), *l2 = path_in(dir, "l2"), *text;
	char buf[64];
	struct pg_error err;
	struct outfile *f;
	struct stat st;
	ssize_t n;

	put_file(target, "old\n", 0600);
	/* A chain: l2 -> l1 -> target.txt, relative links. */
	cr_assert_eq(symlink("target.txt", l1), 0);
	cr_assert_eq(symlink("l1", l2), 0);
	cr_assert_eq(outfile_open(l2, NULL, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(outfile_kind(f), OUTFILE_ATOMIC);
	cr_assert_str_eq(outfile_path(f), target);
	fputs("through\n", outfile_stream(f));
	cr_assert_eq(outfile_commit(f, &err), 0, "%s", err.msg);
	/* The links are still links, the target has the new content. */
	cr_assert_eq(lstat(l2, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(lstat(l1, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	n = readlink(l1, buf, sizeof(buf) - 1);
	cr_assert_eq(n, 10);
	buf[n] = '\0';
	cr_assert_str_eq(buf, "target.txt");
	text = cli_slurp(target, NULL);
	cr_assert_str_eq(text, "through\n");
	cr_assert_eq(stat(target, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(cli_dir_entries(dir), 3);
	free(text);
	remove(l2);
	remove(l1);
	remove(target);
	remove(dir);
	free(l2);
	free(l1);
	free(target);
	free(dir);
}

Test(outfile, dangling_symlink_creates_its_target)
{
	char *dir = cli_tmpdir(), *l = path_in(dir, "l"), *t;
	char *text;
	struct pg_error err;
	struct stat st;

	t = path_in(dir, "made.txt");
	cr_assert_eq(symlink("made.txt", l), 0);
	cr_assert_eq(write_all_of(l, "x\n", &err), 0, "%s", err.msg);
	cr_assert_eq(lstat(l, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	text = cli_slurp(t, NULL);
	cr_assert_str_eq(text, "x\n");
	free(text);
	remove(l);
	remove(t);
	remove(dir);
	free(t);
	free(l);
	free(dir);
}

Test(outfile, refusals_name_the_path)
{
	char *dir = cli_tmpdir(), *a = path_in(dir, "a");
	char *b = path_in(dir, "b");
	char *missing = path_in(dir, "no/such/dir/r.txt");
	struct pg_error err;

	cr_assert_eq(write_all_of(dir, "x", &err), -EISDIR);
	cr_assert_str_eq(err.file, dir);
	cr_assert(strstr(err.msg, "cannot create: Is a directory") != NULL,
	    "%s", err.msg);
	cr_assert_eq(symlink("b", a), 0);
	cr_assert_eq(symlink("a", b), 0);
	cr_assert_eq(write_all_of(a, "x", &err), -ELOOP);
	cr_assert_str_eq(err.file, a);
	cr_assert_eq(write_all_of(missing, "x", &err), -ENOENT);
	cr_assert(strstr(err.msg, "No such file") != NULL, "%s", err.msg);
	remove(a);
	remove(b);
	cr_assert_eq(cli_dir_entries(dir), 0);
	remove(dir);
	free(missing);
	free(a);
	free(b);
	free(dir);
}

Test(outfile, full_device_fails_and_stays_a_device)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "full");
	char big[65536];
	struct pg_error err;
	struct outfile *f;
	struct stat st;

	if (!make_node(p, 1, 7)) {
		remove(dir);
		cr_skip_test("mknod refused: cannot test a full device");
	}
	/* Through the stream: the error shows at the flush of commit. */
	cr_assert_eq(write_all_of(p, "report\n", &err), -ENOSPC);
	cr_assert_str_eq(err.file, p);
	cr_assert_str_eq(err.msg, "write error: No space left on device");
	/* Through write(2): at once. */
	cr_assert_eq(outfile_open(p, NULL, &f, &err), 0);
	cr_assert_eq(outfile_kind(f), OUTFILE_IN_PLACE);
	memset(big, 'x', sizeof(big));
	cr_assert_eq(outfile_write(f, big, sizeof(big), &err), -ENOSPC);
	/* A failed write makes the commit fail too. */
	cr_assert_eq(outfile_commit(f, &err), -ENOSPC);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "the device node was replaced");
	cr_assert_eq(cli_dir_entries(dir), 1);
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, null_device_written_in_place)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "null");
	char *l = path_in(dir, "to-null");
	struct pg_error err;
	struct stat st;

	if (!make_node(p, 1, 3)) {
		remove(dir);
		cr_skip_test("mknod refused: cannot test a null device");
	}
	cr_assert_eq(write_all_of(p, "report\n", &err), 0, "%s", err.msg);
	/* And through a link to it: the link and the node both stay. */
	cr_assert_eq(symlink("null", l), 0);
	cr_assert_eq(write_all_of(l, "report\n", &err), 0, "%s", err.msg);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "the device node was replaced");
	cr_assert_eq(major(st.st_rdev), 1);
	cr_assert_eq(minor(st.st_rdev), 3);
	cr_assert_eq(lstat(l, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(cli_dir_entries(dir), 2);
	remove(l);
	remove(p);
	remove(dir);
	free(l);
	free(p);
	free(dir);
}

Test(outfile, fifo_written_in_place)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "fifo");
	char got[64];
	struct pg_error err;
	struct stat st;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_assert_eq(pipe(fds), 0);
	/* A reader in a child: it copies what the FIFO gets to our pipe. */
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/*
		 * cat, not code of ours: a forked copy of the test would exit
		 * with the test's memory still allocated, which valgrind
		 * counts as a leak.
		 */
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(1);
		execlp("cat", "cat", p, (char *)NULL);
		_exit(1);
	}
	close(fds[1]);
	cr_assert_eq(write_all_of(p, "through a fifo\n", &err), 0, "%s",
	    err.msg);
	n = read(fds[0], got, sizeof(got) - 1);
	cr_assert_eq(n, 15);
	got[n] = '\0';
	cr_assert_str_eq(got, "through a fifo\n");
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, standard_output_in_place)
{
	char *dir = cli_tmpdir(), *p = path_in(dir, "stdout.txt"), *text;
	struct pg_error err;
	struct outfile *f;
	int saved, fd;

	/* Point our standard output at a file for the length of the test. */
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	cr_assert_eq(outfile_open("-", NULL, &f, &err), 0);
	cr_assert_eq(outfile_kind(f), OUTFILE_STDOUT);
	fputs("one\n", outfile_stream(f));
	cr_assert_eq(outfile_commit(f, &err), 0);
	cr_assert_eq(outfile_open("/dev/stdout", NULL, &f, &err), 0);
	cr_assert_eq(outfile_kind(f), OUTFILE_STDOUT);
	cr_assert_eq(outfile_write(f, "two\n", 4, &err), 0);
	cr_assert_eq(outfile_commit(f, &err), 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	/* Appended in place, never truncated or renamed over. */
	text = cli_slurp(p, NULL);
	cr_assert_str_eq(text, "one\ntwo\n");
	cr_assert_eq(cli_dir_entries(dir), 1);
	free(text);
	remove(p);
	remove(dir);
	free(p);
	free(dir);
}

Test(outfile, socket_refused_descriptor_link_in_place)
{
	char *dir = cli_tmpdir(), *sock = path_in(dir, "sock");
	char *file = path_in(dir, "log"), fdpath[64], *text;
	struct sockaddr_un sa;
	struct pg_error err;
	struct stat before, after;
	int s, fd;

	/* A socket cannot be opened: a message, no file made beside it. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_geq(s, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_lt(write_all_of(sock, "x", &err), 0);
	cr_assert(strstr(err.msg, "cannot open") != NULL, "%s", err.msg);
	cr_assert_eq(cli_dir_entries(dir), 1);
	close(s);
	remove(sock);

	/* /proc/self/fd/N names a descriptor: written through it, in place. */
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "first\n", 6), 6);
	cr_assert_eq(fstat(fd, &before), 0);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	cr_assert_eq(write_all_of(fdpath, "second\n", &err), 0, "%s",
	    err.msg);
	close(fd);
	cr_assert_eq(stat(file, &after), 0);
	cr_assert_eq(before.st_ino, after.st_ino, "the file was replaced");
	text = cli_slurp(file, NULL);
	cr_assert_str_eq(text, "first\nsecond\n");
	cr_assert_eq(cli_dir_entries(dir), 1);
	free(text);
	remove(file);
	remove(dir);
	free(file);
	free(sock);
	free(dir);
}

Test(outfile, standard_error_in_place)
{
	struct pg_error err;
	struct outfile *f;

	cr_assert_eq(outfile_open("/dev/stderr", NULL, &f, &err), 0);
	cr_assert_eq(outfile_kind(f), OUTFILE_STDOUT);
	cr_assert_str_eq(outfile_path(f), "/dev/stderr");
	cr_assert_geq(outfile_fd(f), 0);
	cr_assert_neq(outfile_fd(f), STDERR_FILENO, "not our own copy");
	outfile_abort(f);
	/* Our copy is closed, the process's standard error is not. */
	cr_assert_geq(fcntl(STDERR_FILENO, F_GETFD), 0);
}

Test(memuse, sources_see_an_allocation)
{
	enum memuse_source src = memuse_source();
	uint64_t before, after;
	volatile char *p;

	cr_assert_neq(src, MEMUSE_NONE, "no way to measure the heap");
	cr_assert_str_neq(memuse_source_name(src), "none");
	cr_assert_str_eq(memuse_source_name(MEMUSE_RSS), "RSS");
	cr_assert_str_eq(memuse_source_name((enum memuse_source)99), "none");
	cr_assert_eq(memuse_bytes(MEMUSE_NONE), 0);
	cr_assert_gt(memuse_bytes(MEMUSE_RSS), 0);
	before = memuse_bytes(src);
	p = malloc(8u << 20);
	cr_assert_not_null((char *)p);
	memset((char *)p, 1, 8u << 20);
	after = memuse_bytes(src);
	cr_assert_geq(after, before + (4u << 20), "%s: %llu -> %llu",
	    memuse_source_name(src), (unsigned long long)before,
	    (unsigned long long)after);
	free((char *)p);
}
