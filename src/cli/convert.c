#include "cli/cli.h"
#include <stdio.h>
int
cli_convert(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("pgreplay: convert: not built yet\n", stderr);
	return EXIT_BAD_INPUT;
}
