/* cmd_mine_logs.c - `wisdom mine-logs`. */
#include "config.h"
#include "cli/cli.h"

int cmd_mine_logs(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom mine-logs: not available in this build yet\n");
	return 2;
}
