/*
 * main.c - the pgreplay executable: picks the subcommand and hands over.
 * All work is done by the library; see src/cli/ for each subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "pgreplay_version.h"

static const char usage_text[] =
    "usage: pgreplay TRACE --config FILE [--config FILE ...] [options]\n"
    "       pgreplay convert IN OUT\n"
    "       pgreplay info TRACE\n"
    "       pgreplay params --config FILE [--format text|json]\n"
    "\n"
    "Replays a recorded memory trace through a model of FreeBSD's page daemon\n"
    "and laundry pipeline and reports what it did, once per configuration.\n"
    "\n"
    "Replay options:\n"
    "  -c, --config FILE     a YAML configuration (repeat to compare several)\n"
    "  -f, --format FMT      text (default) or json\n"
    "  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
    "  -q, --quiet           print nothing on success (exit status only)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "TRACE may be text (.pgt) or binary, optionally zstd-compressed; '-' reads\n"
    "standard input.  Exit status: 0 success, 1 an expect check failed,\n"
    "2 bad usage or bad input.  See pgreplay(1).\n";

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("pgreplay %s\n", PGREPLAY_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "convert") == 0)
		return cli_convert(argc - 1, argv + 1);
	if (strcmp(argv[1], "info") == 0)
		return cli_info(argc - 1, argv + 1);
	if (strcmp(argv[1], "params") == 0)
		return cli_params(argc - 1, argv + 1);
	return cli_replay(argc, argv);
}
