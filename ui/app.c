/* app.c - placeholder until the console lands: says so and points at the
 * headless report. Replaced by the real event loop. */
#include "config.h"
#include "ui/ui.h"

int ui_run(const struct cli_opts *o)
{
	(void)o;
	fprintf(stderr, "wisdom: the console is not built yet; use 'wisdom analyze'\n");
	return 2;
}
