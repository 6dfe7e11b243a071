/* cmd_review.c - `wisdom review`. */
#include "config.h"
#include "cli/cli.h"

int cmd_review(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom review: not available in this build yet\n");
	return 2;
}
