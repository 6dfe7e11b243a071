/* dialog.h - the publish dialog (ui.md §4.4): a state of the one event
 * loop (never a nested loop). `p` builds the plan with the code behind
 * `wisdom publish --dry-run` (sinks/publish.h) in a job; the dialog shows
 * the preview; cancel is the default, <Enter> does nothing, only `y`
 * publishes, `w` writes the files only, `s` saves the whole plan, `d`
 * toggles the full diffs. Publishing runs as a job too; while a plan is
 * built or carried out the Learnings pane leaves the journal alone.
 *
 * Ownership: the dialog's state hangs off struct app (a->dialog); it owns
 * its plan, redactor and text; dialog_close() frees all (also at exit).
 */
#ifndef WZ_UI_DIALOG_H
#define WZ_UI_DIALOG_H

#include <stdbool.h>

#include "ui/app.h"

/* Opens the dialog and starts building the plan. */
void dialog_publish_open(struct app *a);
/* Handles an action while the dialog is open (true: consumed). */
bool dialog_action(struct app *a, enum km_action act);
/* Paints the dialog over the frame (after the panes, before the flush). */
void dialog_paint(struct app *a);
void dialog_close(struct app *a);
bool dialog_is_open(const struct app *a);

#endif
