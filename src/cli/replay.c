#include "cli/cli.h"
#include <stdio.h>
int
cli_replay(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("pgreplay: replay: not built yet\n", stderr);
	return EXIT_BAD_INPUT;
}
