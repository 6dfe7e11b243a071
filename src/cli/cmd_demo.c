/* cmd_demo.c - `wisdom demo [RUN]`: prepare the bundled demo, then open it
 * like `wisdom --repo <demo> [RUN]`; without a terminal, print the headless
 * report of `wisdom analyze` on it instead. */
#include "config.h"
#include "cli/cli.h"
#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int demo_main(const struct cli_opts *o, int (*console)(const struct cli_opts *o))
{
	struct cli_opts d = *o;
	struct wz_err err;
	char *repo = NULL;
	int rc;

	wz_err_clear(&err);
	if (o->repo)
		fprintf(stderr, "wisdom demo: --repo %s ignored; the demo opens its own repository\n",
			o->repo);
	if (demo_prepare(&repo, &err) != WZ_OK) {
		fprintf(stderr, "wisdom demo: %s\n", err.msg);
		return wz_status_exit_code(err.code);
	}
	d.repo = repo;
	if (console && (o->script || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)))) {
		d.command = NULL;
		rc = console(&d);
		if (rc != 2) {
			free(repo);
			return rc;
		}
	}
	printf("wisdom demo: repository %s\n", repo);
	printf("wisdom demo: run %s\n", d.nargs > 0 ? d.args[0] : DEMO_RUN_ID);
	fflush(stdout);
	d.command = "analyze";
	rc = cmd_analyze(&d);
	free(repo);
	return rc;
}

int cmd_demo(const struct cli_opts *o)
{
	return demo_main(o, NULL);
}
