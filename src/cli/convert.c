/*
 * convert.c - "pgreplay convert IN OUT": translate a trace between the text
 * and binary formats, compressed or not, as OUT's name says.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "trace/reader.h"
#include "trace/writer.h"

static const char convert_usage[] =
    "usage: pgreplay convert [--format text|binary] [--zstd] IN OUT\n"
    "\n"
    "Translates a trace (text or binary, plain or zstd; '-' is standard\n"
    "input) into OUT, chosen by its name:\n"
    "  .pgt       text            .pgt.zst   text, zstd-compressed\n"
    "  .pgb       binary          .pgb.zst   binary, zstd-compressed\n"
    "OUT '-' writes standard output: text unless --format binary, plain\n"
    "unless --zstd; so does an OUT without one of these extensions (a device,\n"
    "a FIFO) when --format is given.  A regular file OUT is written\n"
    "atomically: complete or absent; a device or FIFO is written in place.\n";

/*
 * The signal that asked us to stop, or 0: the one global, as in replay.c.
 * The reader and the writer watch it, so that a SIGINT ends a conversion
 * from a pipe at once and leaves no temporary file.
 */
static volatile sig_atomic_t convert_signal;

static void
convert_on_signal(int sig)
{
	convert_signal = sig;
}

int
cli_convert(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "zstd", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_writer_opts wo = { .interrupted = &convert_signal };
	struct trace_reader_opts ro = { .interrupted = &convert_signal };
	struct sigaction sa, old_int, old_term;
	struct trace_reader *r = NULL;
	struct trace_writer *w = NULL;
	struct trace_event ev;
	struct pg_error err;
	const char *in, *out, *fmt = NULL, *note;
	unsigned i;
	bool zstd = false;
	int c, rc, ret = EXIT_BAD_INPUT;

	opterr = 0; /* cli_option_error() says what is wrong */
	while ((c = getopt_long(argc, argv, ":f:zh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			break;
		case 'z':
			zstd = true;
			break;
		case 'h':
			fputs(convert_usage, stdout);
			return (0);
		default:
			return (cli_option_error("convert", c, argv));
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("convert: expected IN and OUT");
		return (EXIT_BAD_INPUT);
	}
	in = argv[optind];
	out = argv[optind + 1];
	if (cli_trace_output("convert", out, fmt, zstd, &wo) != 0)
		return (EXIT_BAD_INPUT);

	/* No SA_RESTART: a blocked read must return to notice the signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = convert_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	rc = trace_reader_open(in, &ro, &r, &err);
	if (rc < 0)
		goto fail;
	rc = trace_writer_open(out, &wo, &w, &err);
	if (rc < 0)
		goto fail;
	while (convert_signal == 0 &&
	    (rc = trace_reader_next(r, &ev, &err)) == 1)
		if ((rc = trace_writer_write(w, &ev, &err)) < 0)
			goto fail;
	if (rc < 0 || convert_signal != 0)
		goto fail;
	/* Notes are trace-wide, not events: they go after the last event. */
	for (i = 0; (note = trace_reader_note(r, i)) != NULL; i++)
		if ((rc = trace_writer_note(w, note, &err)) < 0)
			goto fail;
	rc = trace_writer_finish(w, &err);
	if (rc < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	if (convert_signal != 0)
		ret = cli_interrupted(convert_signal, "no output written");
	else
		cli_report_error(&err);
out:
	trace_writer_close(w);
	trace_reader_close(r);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return (ret);
}
