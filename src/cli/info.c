/*
 * info.c - "pgreplay info TRACE": the format of a trace and a summary of
 * its events, as text or JSON.  The whole trace is read and validated, so
 * this is also the way to check a trace without replaying it.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trace/reader.h"
#include "trace/validate.h"

/* Events decoded a call: a batch as the replay reads them. */
#define INFO_BATCH 4096

static const char info_usage[] =
    "usage: pgreplay info [--format text|json] TRACE\n"
    "\n"
    "Reads and validates TRACE ('-' is standard input) and prints its\n"
    "format, event counts per op, processes, objects, pages mapped, swap\n"
    "events and times.\n";

struct info {
	const char *path;
	struct trace_format_info fmt;
	uint64_t events;
	uint64_t per_op[TRACE_OP_COUNT];
	struct trace_validator_stats st;
	uint64_t first, last;
	/* Notes (what an importer could not know); none in most traces. */
	char notes[TRACE_NOTES_MAX][TRACE_NAME_MAX + 1];
	unsigned nnotes;
};

static const char *
format_name(const struct trace_format_info *f)
{
	return (f->format == TRACE_FORMAT_BINARY ? "binary" : "text");
}

static void
print_text(const struct info *in)
{
	char a[32], b[32], d[32];
	unsigned op;

	printf("trace:        %s\n", in->path);
	printf("format:       %s, version %u, %s\n", format_name(&in->fmt),
	    in->fmt.version,
	    in->fmt.compressed ? "zstd-compressed" : "not compressed");
	printf("events:       %" PRIu64 "\n", in->events);
	for (op = 0; op < TRACE_OP_COUNT; op++)
		printf("  %-10s %" PRIu64 "\n", trace_op_name(op),
		    in->per_op[op]);
	printf("processes:    %" PRIu64 "\n", in->st.procs);
	printf("objects:      %" PRIu64 "\n", in->st.objects);
	printf("pages mapped: %" PRIu64 "\n", in->st.pages_mapped);
	printf("swap events:  %" PRIu64 "\n",
	    in->per_op[TRACE_OP_SWAPON] + in->per_op[TRACE_OP_SWAPOFF]);
	printf("first time:   %s s\n",
	    trace_time_format(in->first, a, sizeof(a)));
	printf("last time:    %s s\n",
	    trace_time_format(in->last, b, sizeof(b)));
	printf("duration:     %s s\n",
	    trace_time_format(in->last - in->first, d, sizeof(d)));
	if (in->nnotes > 0)
		printf("notes:\n");
	for (op = 0; op < in->nnotes; op++)
		printf("  %s\n", in->notes[op]);
}

static json_t *
json_u64(uint64_t v)
{
	/* jansson integers are signed 64-bit; no trace count gets near. */
	return (json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v));
}

static int
print_json(const struct info *in)
{
	json_t *root, *ops, *notes;
	unsigned op;
	int rc = 0;

	root = json_object();
	ops = json_object();
	if (root == NULL || ops == NULL) {
		json_decref(root);
		json_decref(ops);
		return (-1);
	}
	for (op = 0; op < TRACE_OP_COUNT; op++)
		json_object_set_new(ops, trace_op_name(op),
		    json_u64(in->per_op[op]));
	json_object_set_new(root, "trace", json_string(in->path));
	json_object_set_new(root, "format", json_string(format_name(&in->fmt)));
	json_object_set_new(root, "version", json_integer(in->fmt.version));
	json_object_set_new(root, "compressed",
	    json_boolean(in->fmt.compressed));
	json_object_set_new(root, "events", json_u64(in->events));
	json_object_set_new(root, "ops", ops);
	json_object_set_new(root, "processes", json_u64(in->st.procs));
	json_object_set_new(root, "objects", json_u64(in->st.objects));
	json_object_set_new(root, "pages_mapped",
	    json_u64(in->st.pages_mapped));
	json_object_set_new(root, "swap_events",
	    json_u64(
		in->per_op[TRACE_OP_SWAPON] + in->per_op[TRACE_OP_SWAPOFF]));
	json_object_set_new(root, "first_time_ns", json_u64(in->first));
	json_object_set_new(root, "last_time_ns", json_u64(in->last));
	json_object_set_new(root, "first_time_s", json_real(in->first / 1e9));
	json_object_set_new(root, "last_time_s", json_real(in->last / 1e9));
	json_object_set_new(root, "duration_s",
	    json_real((in->last - in->first) / 1e9));
	if (in->nnotes > 0) {
		notes = json_array();
		for (op = 0; op < in->nnotes; op++)
			json_array_append_new(notes,
			    json_string(in->notes[op]));
		json_object_set_new(root, "notes", notes);
	}
	if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		rc = -1;
	else
		putchar('\n');
	json_decref(root);
	return (rc);
}

int
cli_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_reader *r = NULL;
	struct trace_event *evs = NULL;
	uint64_t *pos = NULL;
	struct pg_error err;
	struct info in;
	const char *note;
	bool json = false;
	int c, i, rc;

	opterr = 0; /* cli_option_error() says what is wrong */
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "text") != 0) {
				cli_usage_error("info: bad --format '%s': "
						"expected text or json",
				    optarg);
				return (EXIT_BAD_INPUT);
			}
			break;
		case 'h':
			fputs(info_usage, stdout);
			return (0);
		default:
			return (cli_option_error("info", c, argv));
		}
	}
	if (argc - optind != 1) {
		cli_usage_error("info: expected one TRACE");
		return (EXIT_BAD_INPUT);
	}
	memset(&in, 0, sizeof(in));
	in.path = argv[optind];

	evs = malloc(INFO_BATCH * sizeof(*evs));
	pos = malloc(INFO_BATCH * sizeof(*pos));
	if (evs == NULL || pos == NULL) {
		pg_error_set(&err, in.path, PG_POS_NONE, 0, "out of memory");
		goto fail;
	}
	if (trace_reader_open(in.path, NULL, &r, &err) < 0)
		goto fail;
	in.fmt = trace_reader_format(r);
	while ((rc = trace_reader_read(r, evs, pos, INFO_BATCH, &err)) > 0) {
		if (in.events == 0)
			in.first = evs[0].time_ns;
		in.last = evs[rc - 1].time_ns;
		in.events += (uint64_t)rc;
		for (i = 0; i < rc; i++)
			in.per_op[evs[i].op]++;
	}
	if (rc < 0)
		goto fail;
	/* The reader's validator counted what the summary gives. */
	trace_reader_stats(r, &in.st);
	for (; in.nnotes < TRACE_NOTES_MAX; in.nnotes++) {
		note = trace_reader_note(r, in.nnotes);
		if (note == NULL)
			break;
		snprintf(in.notes[in.nnotes], sizeof(in.notes[0]), "%s", note);
	}
	trace_reader_close(r);
	free(evs);
	free(pos);
	if (!json) {
		print_text(&in);
	} else if (print_json(&in) < 0) {
		fputs("pgreplay: info: cannot write JSON\n", stderr);
		return (EXIT_BAD_INPUT);
	}
	return (cli_flush_stdout());
fail:
	cli_report_error(&err);
	trace_reader_close(r);
	free(evs);
	free(pos);
	return (EXIT_BAD_INPUT);
}
