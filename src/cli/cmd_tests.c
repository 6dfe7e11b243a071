/* cmd_tests.c - `wisdom tests`. */
#include "config.h"
#include "cli/cli.h"

int cmd_tests(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom tests: not available in this build yet\n");
	return 2;
}
