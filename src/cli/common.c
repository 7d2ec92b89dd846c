/*
 * common.c - message helpers shared by the subcommands, in the manner of
 * warnx(3): one line on stderr, prefixed by the program name.
 *
 * Messages quote pieces of the input (tokens, values, file names).  Control
 * bytes among them are written as \xNN, so that a hostile input can neither
 * split the one-line message nor send escape sequences to a terminal.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "trace/writer.h"

/* put_escaped() - s on f, with bytes below 0x20 and 0x7f as \xNN. */
static void
put_escaped(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

void
cli_report_error(const struct pg_error *e)
{
	char buf[PG_ERROR_FILE_MAX + PG_ERROR_MSG_MAX + 64];

	fputs("pgreplay: ", stderr);
	put_escaped(stderr, pg_error_format(e, buf, sizeof(buf)));
	fputc('\n', stderr);
}

void
cli_usage_error(const char *fmt, ...)
{
	char buf[PG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("pgreplay: ", stderr);
	put_escaped(stderr, buf);
	fputs("\nTry 'pgreplay --help' for more information.\n", stderr);
}

int
cli_option_error(const char *sub, int ch, char *const argv[])
{
	const char *arg = argv[optind - 1];
	char name[64];
	int len;

	/* Only a short option sets optopt; a long one is named by argv. */
	if (optopt != 0 && strncmp(arg, "--", 2) != 0) {
		snprintf(name, sizeof(name), "-%c", optopt);
	} else {
		len = (int)strcspn(arg, "=");
		snprintf(name, sizeof(name), "%.*s", len, arg);
	}
	if (ch == ':')
		cli_usage_error("%s%soption '%s' needs an argument",
		    sub != NULL ? sub : "", sub != NULL ? ": " : "", name);
	else
		cli_usage_error("%s%sunknown option '%s'",
		    sub != NULL ? sub : "", sub != NULL ? ": " : "", name);
	return (EXIT_BAD_INPUT);
}

void
cli_error(const char *fmt, ...)
{
	char buf[PG_ERROR_FILE_MAX + PG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("pgreplay: ", stderr);
	put_escaped(stderr, buf);
	fputc('\n', stderr);
}

const char *
cli_bound_text(const char *text, double v, char *buf, size_t n)
{
	if (text != NULL && text[0] != '\0')
		return (text);
	/* 15 digits: 4000000 stays 4000000, 0.1 stays 0.1. */
	snprintf(buf, n, "%.15g", v);
	return (buf);
}

/* The subcommands `pgreplay help NAME` knows, and who prints their help. */
static const struct {
	const char *name;
	int (*run)(int, char **);
} cli_commands[] = {
	{ "replay", cli_replay },
	{ "convert", cli_convert },
	{ "info", cli_info },
	{ "params", cli_params },
	{ "merge", cli_merge },
	{ "gen", cli_gen },
	{ "import", cli_import },
};

int
cli_help(int argc, char **argv)
{
	char opt[] = "--help";
	char *args[3];
	size_t i;

	if (argc < 2) {
		args[0] = argv[0];
		args[1] = opt;
		args[2] = NULL;
		return (cli_replay(2, args));
	}
	if (argc > 2) {
		cli_usage_error("help: one subcommand at a time: unexpected "
		    "'%s'", argv[2]);
		return (EXIT_BAD_INPUT);
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs("usage: pgreplay help [SUBCOMMAND]\n"
		    "\n"
		    "Prints the help of SUBCOMMAND (replay, convert, gen, "
		    "import, info, params,\nmerge, help), or without one the "
		    "general help, as 'pgreplay --help' does.\n", stdout);
		return (fflush(stdout) == 0 ? 0 : EXIT_BAD_INPUT);
	}
	for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++) {
		if (strcmp(argv[1], cli_commands[i].name) != 0)
			continue;
		args[0] = argv[1];
		args[1] = opt;
		args[2] = NULL;
		return (cli_commands[i].run(2, args));
	}
	cli_usage_error("help: unknown subcommand '%s' (expected replay, "
	    "convert, gen, import, info, params, merge or help)", argv[1]);
	return (EXIT_BAD_INPUT);
}

int
cli_interrupted(int sig, const char *what)
{
	fprintf(stderr, "pgreplay: interrupted by %s: %s\n",
	    sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal",
	    what);
	return (128 + sig);
}

int
cli_parse_size(const char *s, uint64_t *out)
{
	/* The command line's short units, as the configuration spells them. */
	static const struct {
		const char *cli, *conf;
	} alias[] = {
		{ "k", "KiB" }, { "K", "KiB" }, { "M", "MiB" }, { "G", "GiB" },
		{ "T", "TiB" }, { "KB", "kB" },
	};
	char buf[64];
	size_t i, n, len;
	uint64_t v;
	int rc;

	len = strlen(s);
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++) {
		n = strlen(alias[i].cli);
		if (len > n && len - n < 32 && strcmp(s + len - n,
		    alias[i].cli) == 0 && s[len - n - 1] >= '0' &&
		    s[len - n - 1] <= '9') {
			snprintf(buf, sizeof(buf), "%.*s%s", (int)(len - n), s,
			    alias[i].conf);
			s = buf;
			break;
		}
	}
	if ((rc = conf_size_parse(s, &v)) < 0)
		return (rc);
	if (v > UINT64_C(1) << 63)
		return (-ERANGE);
	*out = v;
	return (0);
}

int
cli_trace_output(const char *cmd, const char *out, const char *fmt,
    bool zstd, struct trace_writer_opts *wo)
{
	bool named;

	if (fmt != NULL && strcmp(fmt, "text") != 0 &&
	    strcmp(fmt, "binary") != 0) {
		cli_usage_error("%s: bad --format '%s': expected text or "
		    "binary", cmd, fmt);
		return (EXIT_BAD_INPUT);
	}
	named = strcmp(out, "-") != 0 && trace_writer_format_for(out, wo);
	if (strcmp(out, "-") == 0 || (!named && fmt != NULL)) {
		/*
		 * Standard output, or a device or FIFO named without one of
		 * our extensions: the options say what to write.
		 */
		wo->format = fmt != NULL && strcmp(fmt, "binary") == 0 ?
		    TRACE_FORMAT_BINARY : TRACE_FORMAT_TEXT;
		wo->zstd = zstd;
	} else if (!named) {
		cli_usage_error("%s: cannot tell the format of '%s': "
		    "expected a name ending in .pgt, .pgt.zst, .pgb or "
		    ".pgb.zst, or - for standard output", cmd, out);
		return (EXIT_BAD_INPUT);
	} else if (fmt != NULL || zstd) {
		/* The name already says it; a second opinion could only clash. */
		cli_usage_error("%s: --format and --zstd are for '-' output; "
		    "'%s' is named by its extension", cmd, out);
		return (EXIT_BAD_INPUT);
	}
	return (0);
}

int
cli_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return (0);
	fprintf(stderr, "pgreplay: standard output: write error: %s\n",
	    strerror(errno != 0 ? errno : EIO));
	return (EXIT_BAD_INPUT);
}
