/* viewer.h - the artifact viewer: a run file shown read-only, sanitised
 * once on open, with line numbers; the app scrolls, wraps and searches it.
 *
 * Ownership: a struct viewer owns its rows and strings; viewer_close()
 * releases them (a zeroed viewer is closed).
 */
#ifndef WZ_UI_VIEWER_H
#define WZ_UI_VIEWER_H

#include "ui/pane.h"

#define VIEWER_MAX_BYTES ((size_t)64 << 20)
#define VIEWER_LINE_MAX 4096   /* display lines stop here (ui.md §9) */

struct viewer {
	char *rel;             /* path relative to the run folder */
	char *error;           /* why it could not be read, or NULL */
	size_t nlines;
	struct ui_rows rows;   /* "  12 │ text" per line */
	long size;
};

/* Opens run_path/rel; never fails: a read error is shown in the body. */
void viewer_open(struct viewer *v, const char *run_path, const char *rel, int tab_size);
/* Title (breadcrumb: crumb › rel) and body reference for one frame. */
void viewer_build(const struct viewer *v, const char *crumb, struct pane_frame *f);
void viewer_close(struct viewer *v);

#endif
