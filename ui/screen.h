/* screen.h - the painter: the only code that calls curses drawing.
 *
 * Rows of styled spans are drawn clipped to a rectangle; one frame ends with
 * exactly one doupdate() (scr_flush). Text is already display-safe (built
 * by ui/rows.c through the sanitiser); in ASCII mode any non-ASCII character
 * left is drawn as '?' per cell.
 * Ownership: borrows everything.
 */
#ifndef WZ_UI_SCREEN_H
#define WZ_UI_SCREEN_H

#include "ui/rows.h"
#include "ui/theme.h"

/* Draws row at (y, x), at most w cells, skipping the first hscroll cells;
 * every span uses override_role when >= 0; the rest of the width is filled
 * with `fill` (one single-width glyph, NULL = blank) in fill_role. */
void scr_paint_row(const struct theme *t, const struct ui_row *row, int y, int x, int w,
		   int hscroll, int override_role, int fill_role, const char *fill);
/* Same, wrapped: continues on following lines up to h lines; returns the
 * number of lines used (>= 1 when h >= 1). */
int scr_paint_wrapped(const struct theme *t, const struct ui_row *row, int y, int x, int w,
		      int h, int override_role, int fill_role);
/* Rows a wrapped row needs at width w (>= 1). */
int scr_wrapped_height(const struct ui_row *row, int w);
void scr_erase(void);
void scr_cursor(int y, int x, bool visible);
void scr_flush(void);

#endif
