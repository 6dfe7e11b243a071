/* viewops_int.h - shared by viewops.c and viewops_copy.c only.
 * Strings returned here are the caller's to free. */
#ifndef WZ_UI_VIEWOPS_INT_H
#define WZ_UI_VIEWOPS_INT_H

#include <stdbool.h>

#include "ui/app.h"

/* One header column: its name (trimmed) and cell range [x0, x1). */
struct vcol {
	char name[48];
	int x0, x1, xe;             /* xe: end of the name */
};

/* Display cells of a UTF-8 byte: 1 for a sequence start, 0 otherwise. */
int view_cells_of(unsigned char c);
/* The header's columns (names split at two or more blanks); how many. */
int view_header_cols(const struct pane_frame *f, struct vcol *c, int max);
/* The row's text in cells [x0, x1), blanks trimmed. */
char *view_cell_text(const struct ui_row *r, int x0, int x1);
/* y (link) / Y (value) on the focused view's selected row. */
void view_copy(struct app *a, bool link);

#endif
