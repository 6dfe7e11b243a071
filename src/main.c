/* main.c - composition root: parse the command line, run a subcommand or
 * start the console. The only file under src/ that may call into ui/. */
#include "config.h"
#include "sources/secrets.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "ui/ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dispatch(const struct cli_opts *o)
{
	if (o->help) {
		cli_usage(stdout);
		return 0;
	}
	if (o->version) {
		printf("wisdom %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (o->dump_keymap)
		return ui_dump_keymap(o->dump_keymap, stdout);
	if (!o->command)
		return ui_run(o);
	if (strcmp(o->command, "demo") == 0)
		return demo_main(o, ui_run);
#define CLI_X(name, fn, syn, sum) if (strcmp(o->command, name) == 0) return fn(o);
	CLI_COMMAND_TABLE(CLI_X)
#undef CLI_X
	return 2;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	int rc;

	setlocale(LC_ALL, "");
	rc = cli_parse(argc, argv, &o);
	if (rc != 0) {
		cli_free(&o);
		return rc;
	}
	secrets_set_config_path(o.config);
	rc = dispatch(&o);
	secrets_set_config_path(NULL);
	cli_free(&o);
	return rc;
}
