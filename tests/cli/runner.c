/*
 * runner.c - fork/exec of the pgreplay executable with its output in
 * temporary files (files, not pipes: a chatty child can never block on a
 * full pipe while we wait for it).
 */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLI_ARGS_MAX 64

char *
cli_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (nb == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

static int
cli_tmpfile(char *name, size_t n)
{
	const char *dir = getenv("TMPDIR");

	snprintf(name, n, "%s/pgreplay-cli-XXXXXX", dir != NULL ? dir : "/tmp");
	return mkstemp(name);
}

/*
 * argv: bin, then the arguments of ap up to its NULL.  The first is taken
 * here, not by the caller in the same call: the order of a call's
 * arguments is unspecified, and where va_list is passed by value the
 * copy could be made before the caller's va_arg().
 */
static int
cli_collect_args(const char *argv[], const char *bin, va_list ap)
{
	const char *a;
	int n = 0;

	if (bin == NULL)
		return -1;
	argv[n++] = bin;
	for (a = va_arg(ap, const char *); a != NULL && n < CLI_ARGS_MAX - 1;
	     a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	return n;
}

/* cli_spawn() - start the child with in/out/err as its standard streams. */
static pid_t
cli_spawn(const char *argv[], int in, int out, int err)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static int
cli_finish(struct cli_result *res, pid_t pid, char *outname, char *errname)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	res->out = cli_slurp(outname, &res->outlen);
	res->err = cli_slurp(errname, &res->errlen);
	unlink(outname);
	unlink(errname);
	return res->out != NULL && res->err != NULL ? 0 : -1;
}

/* Run argv with stdin_path as its standard input; collect into res. */
static int
cli_run_argv(struct cli_result *res, const char *stdin_path,
    const char *argv[])
{
	char outname[256], errname[256];
	int in, out, err;
	pid_t pid;

	in = open(stdin_path != NULL ? stdin_path : "/dev/null", O_RDONLY);
	out = cli_tmpfile(outname, sizeof(outname));
	err = cli_tmpfile(errname, sizeof(errname));
	if (in < 0 || out < 0 || err < 0)
		return -1;
	pid = cli_spawn(argv, in, out, err);
	close(in);
	close(out);
	close(err);
	if (pid < 0)
		return -1;
	return cli_finish(res, pid, outname, errname);
}

int
cli_run(struct cli_result *res, const char *stdin_path, ...)
{
	const char *argv[CLI_ARGS_MAX];
	va_list ap;
	int n;

	memset(res, 0, sizeof(*res));
	va_start(ap, stdin_path);
	n = cli_collect_args(argv, getenv("PGREPLAY_BIN"), ap);
	va_end(ap);
	return (n < 0 ? -1 : cli_run_argv(res, stdin_path, argv));
}

int
cli_run_program(struct cli_result *res, const char *program, ...)
{
	const char *argv[CLI_ARGS_MAX];
	va_list ap;
	int n;

	memset(res, 0, sizeof(*res));
	va_start(ap, program);
	n = cli_collect_args(argv, program, ap);
	va_end(ap);
	return (n < 0 ? -1 : cli_run_argv(res, NULL, argv));
}

int
cli_run_signalled(struct cli_result *res, const char *feed, int sig,
    unsigned delay_ms, ...)
{
	const char *argv[CLI_ARGS_MAX];
	char outname[256], errname[256];
	struct timespec ts;
	siginfo_t info;
	int p[2], out, err, i;
	va_list ap;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	va_start(ap, delay_ms);
	if (cli_collect_args(argv, getenv("PGREPLAY_BIN"), ap) < 0) {
		va_end(ap);
		return -1;
	}
	va_end(ap);
	if (pipe(p) < 0)
		return -1;
	/* The child must not hold the write end, or its input never ends. */
	if (fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	out = cli_tmpfile(outname, sizeof(outname));
	err = cli_tmpfile(errname, sizeof(errname));
	if (out < 0 || err < 0)
		return -1;
	pid = cli_spawn(argv, p[0], out, err);
	close(p[0]);
	close(out);
	close(err);
	if (pid < 0)
		return -1;
	if (write(p[1], feed, strlen(feed)) < 0)
		return -1;
	ts.tv_sec = delay_ms / 1000;
	ts.tv_nsec = (long)(delay_ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	kill(pid, sig);
	/*
	 * Give the child up to 3 s to stop while its input is still open,
	 * peeking (WNOWAIT) so that cli_finish() can still reap it.
	 */
	ts.tv_sec = 0;
	ts.tv_nsec = 10 * 1000000L;
	for (i = 0; i < 300; i++) {
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)pid, &info,
		    WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
			res->ended_before_eof = true;
			break;
		}
		nanosleep(&ts, NULL);
	}
	close(p[1]);
	return cli_finish(res, pid, outname, errname);
}

void
cli_result_free(struct cli_result *res)
{
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof(*res));
}

char *
cli_source(const char *rel)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");
	size_t n;
	char *p;

	if (root == NULL)
		root = ".";
	n = strlen(root) + strlen(rel) + 2;
	p = malloc(n);
	if (p != NULL)
		snprintf(p, n, "%s/%s", root, rel);
	return p;
}

char *
cli_data(const char *name)
{
	char rel[1024];

	snprintf(rel, sizeof(rel), "tests/cli/data/%s", name);
	return cli_source(rel);
}

char *
cli_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");
	char buf[256];

	snprintf(buf, sizeof(buf), "%s/pgreplay-cli-dir-XXXXXX",
	    dir != NULL ? dir : "/tmp");
	if (mkdtemp(buf) == NULL)
		return NULL;
	return strdup(buf);
}

char *
cli_put(const char *dir, const char *name, const char *text)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;
	int ok;

	if (path == NULL)
		return NULL;
	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		free(path);
		return NULL;
	}
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0 || !ok) {
		free(path);
		return NULL;
	}
	return path;
}

int
cli_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

size_t
cli_lines(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}
