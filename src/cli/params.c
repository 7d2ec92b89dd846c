#include "cli/cli.h"
#include <stdio.h>
int
cli_params(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("pgreplay: params: not built yet\n", stderr);
	return EXIT_BAD_INPUT;
}
