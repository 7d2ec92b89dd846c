/*
 * main.c - the pgreplay executable: picks the subcommand and hands over.
 * All work is done by the library; the other files of src/cli/ are the
 * subcommands.  The replay command owns the top-level usage, --help and
 * --version, so that `pgreplay --help` and `pgreplay -c x.yaml --help`
 * print the same text;
 * `pgreplay help [SUBCOMMAND]` prints the same as `--help` of each.
 */
#include <string.h>

#include "cli/cli.h"

int
main(int argc, char **argv)
{
	if (argc >= 2) {
		if (strcmp(argv[1], "convert") == 0)
			return (cli_convert(argc - 1, argv + 1));
		if (strcmp(argv[1], "gen") == 0)
			return (cli_gen(argc - 1, argv + 1));
		if (strcmp(argv[1], "info") == 0)
			return (cli_info(argc - 1, argv + 1));
		if (strcmp(argv[1], "params") == 0)
			return (cli_params(argc - 1, argv + 1));
		if (strcmp(argv[1], "merge") == 0)
			return (cli_merge(argc - 1, argv + 1));
		if (strcmp(argv[1], "import") == 0)
			return (cli_import(argc - 1, argv + 1));
		if (strcmp(argv[1], "help") == 0)
			return (cli_help(argc - 1, argv + 1));
	}
	return (cli_replay(argc, argv));
}
