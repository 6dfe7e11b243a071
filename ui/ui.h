/* ui.h - the console's entry points, called only from src/main.c.
 * Ownership: borrows the options for the duration of the call. */
#ifndef WZ_UI_UI_H
#define WZ_UI_UI_H

#include <stdio.h>
#include "cli/cli.h"

/* Runs the investigation console (or headless with --script); returns the
 * process exit status. */
int ui_run(const struct cli_opts *o);

/* `wisdom --dump-keymap=roff|config`; returns the exit status. */
int ui_dump_keymap(const char *format, FILE *out);

#endif
