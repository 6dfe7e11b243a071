/* cmd_publish.c - `wisdom publish`. */
#include "config.h"
#include "cli/cli.h"

int cmd_publish(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom publish: not available in this build yet\n");
	return 2;
}
