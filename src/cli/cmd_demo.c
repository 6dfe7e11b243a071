/* cmd_demo.c - `wisdom demo`. */
#include "config.h"
#include "cli/cli.h"

int cmd_demo(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom demo: not available in this build yet\n");
	return 2;
}
