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

int ui_dump_keymap(const char *format, FILE *out)
{
	(void)format;
	(void)out;
	fprintf(stderr, "wisdom: no keymap yet\n");
	return 2;
}
