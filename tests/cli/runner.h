/*
 * runner.h - run the pgreplay executable from a test and capture what it
 * says: the CLI tests check the program as users and CI see it.
 */
#ifndef PGREPLAY_TESTS_CLI_RUNNER_H
#define PGREPLAY_TESTS_CLI_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

struct cli_result {
	int status; /* exit status, or 128 + signal when killed */
	char *out;  /* standard output, NUL-terminated */
	size_t outlen;
	char *err; /* standard error, NUL-terminated */
	size_t errlen;
	bool ended_before_eof; /* cli_run_signalled(): exited, input open */
};

/*
 * cli_run() - run $PGREPLAY_BIN with the NULL-terminated arguments (argv[0]
 * is added), standard input from stdin_path (NULL: /dev/null).  Returns 0,
 * or -1 if the program could not be run.  Free res with cli_result_free().
 */
int cli_run(struct cli_result *res, const char *stdin_path, ...);

/*
 * cli_run_program() - as cli_run(), but of program (a path) instead of
 * $PGREPLAY_BIN, standard input /dev/null: the scripts beside pgreplay.
 */
int cli_run_program(struct cli_result *res, const char *program, ...);

/*
 * cli_run_signalled() - as cli_run(), standard input a pipe fed with the
 * text `feed` and kept open; after delay_ms the child gets signal sig,
 * then the pipe is closed and the child reaped.
 */
int cli_run_signalled(struct cli_result *res, const char *feed, int sig,
    unsigned delay_ms, ...);

void cli_result_free(struct cli_result *res);

/* cli_source() - the path of rel under $PGREPLAY_SOURCE_ROOT (malloc'd). */
char *cli_source(const char *rel);

/* cli_data() - the path of tests/cli/data/name (malloc'd). */
char *cli_data(const char *name);

/* cli_tmpdir() - a fresh empty directory (malloc'd path). */
char *cli_tmpdir(void);

/* cli_put() - write text as dir/name: its path (malloc'd), or NULL. */
char *cli_put(const char *dir, const char *name, const char *text);

/* cli_dir_entries() - the number of entries of dir besides . and .. */
int cli_dir_entries(const char *dir);

/* cli_lines() - the number of lines of s (newline-terminated ones). */
size_t cli_lines(const char *s);

/* cli_slurp() - a whole file, NUL-terminated (malloc'd), or NULL. */
char *cli_slurp(const char *path, size_t *len);

#endif
