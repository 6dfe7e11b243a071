/* cmd_doctor.c - `wisdom doctor`. */
#include "config.h"
#include "cli/cli.h"

int cmd_doctor(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom doctor: not available in this build yet\n");
	return 2;
}
