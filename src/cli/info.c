#include "cli/cli.h"
#include <stdio.h>
int
cli_info(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("pgreplay: info: not built yet\n", stderr);
	return EXIT_BAD_INPUT;
}
