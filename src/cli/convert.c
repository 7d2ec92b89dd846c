/*
 * convert.c - "pgreplay convert IN OUT": translate a trace between the text
 * and binary formats, compressed or not, as OUT's name says.
 */
#include "cli/cli.h"

#include <getopt.h>
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
    "unless --zstd.  A file OUT is written atomically: complete or absent.\n";

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

/* out_format() - the format OUT's extension asks for; false if unknown. */
static bool
out_format(const char *path, struct trace_writer_opts *o)
{
	if (ends_with(path, ".pgt.zst")) {
		o->format = TRACE_FORMAT_TEXT;
		o->zstd = true;
	} else if (ends_with(path, ".pgb.zst")) {
		o->format = TRACE_FORMAT_BINARY;
		o->zstd = true;
	} else if (ends_with(path, ".pgt")) {
		o->format = TRACE_FORMAT_TEXT;
	} else if (ends_with(path, ".pgb")) {
		o->format = TRACE_FORMAT_BINARY;
	} else {
		return false;
	}
	return true;
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
	struct trace_writer_opts wo = { 0 };
	struct trace_reader *r = NULL;
	struct trace_writer *w = NULL;
	struct trace_event ev;
	struct pg_error err;
	const char *in, *out, *fmt = NULL, *note;
	unsigned i;
	bool zstd = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "f:zh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			break;
		case 'z':
			zstd = true;
			break;
		case 'h':
			fputs(convert_usage, stdout);
			return 0;
		default:
			cli_usage_error("convert: bad option");
			return EXIT_BAD_INPUT;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("convert: expected IN and OUT");
		return EXIT_BAD_INPUT;
	}
	in = argv[optind];
	out = argv[optind + 1];
	if (fmt != NULL && strcmp(fmt, "text") != 0 &&
	    strcmp(fmt, "binary") != 0) {
		cli_usage_error("convert: bad --format '%s': expected text or "
				"binary",
		    fmt);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(out, "-") == 0) {
		wo.format = fmt != NULL && strcmp(fmt, "binary") == 0 ?
		    TRACE_FORMAT_BINARY :
		    TRACE_FORMAT_TEXT;
		wo.zstd = zstd;
	} else if (!out_format(out, &wo)) {
		cli_usage_error(
		    "convert: cannot tell the format of '%s': "
		    "expected a name ending in .pgt, .pgt.zst, .pgb or .pgb.zst, "
		    "or - for standard output",
		    out);
		return EXIT_BAD_INPUT;
	} else if (fmt != NULL || zstd) {
		/* The name already says it; a second opinion could only clash.
		 */
		cli_usage_error("convert: --format and --zstd are for '-' "
				"output; '%s' is named by its extension",
		    out);
		return EXIT_BAD_INPUT;
	}

	rc = trace_reader_open(in, NULL, &r, &err);
	if (rc < 0)
		goto fail;
	rc = trace_writer_open(out, &wo, &w, &err);
	if (rc < 0)
		goto fail;
	while ((rc = trace_reader_next(r, &ev, &err)) == 1)
		if ((rc = trace_writer_write(w, &ev, &err)) < 0)
			goto fail;
	if (rc < 0)
		goto fail;
	/* Notes are trace-wide, not events: they go after the last event. */
	for (i = 0; (note = trace_reader_note(r, i)) != NULL; i++)
		if ((rc = trace_writer_note(w, note, &err)) < 0)
			goto fail;
	rc = trace_writer_finish(w, &err);
	if (rc < 0)
		goto fail;
	trace_writer_close(w);
	trace_reader_close(r);
	return 0;
fail:
	cli_report_error(&err);
	trace_writer_close(w);
	trace_reader_close(r);
	return EXIT_BAD_INPUT;
}
