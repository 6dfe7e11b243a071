/* cmd_runs.c - `wisdom runs`. */
#include "config.h"
#include "cli/cli.h"

int cmd_runs(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom runs: not available in this build yet\n");
	return 2;
}
