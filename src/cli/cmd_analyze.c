/* cmd_analyze.c - `wisdom analyze`. */
#include "config.h"
#include "cli/cli.h"

int cmd_analyze(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom analyze: not available in this build yet\n");
	return 2;
}
