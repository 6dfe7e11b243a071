/* layout.h - where everything goes on the screen: a pure function of the
 * terminal size (ui.md §0 rule 6, §1.1, §1.3).
 *
 * Rows from the top: tab bar, pane title, column header, body, status bar,
 * hint line. Below 40x12 only a clipped notice is shown (LAY_TOO_SMALL);
 * below 80x24 the screen is reduced (LAY_REDUCED: short tab names, fewer
 * columns, the hint line says how big the full view is). Every rectangle
 * has h >= 0 and w >= 0 and lies inside the screen for any size >= 0.
 * Ownership: plain values, nothing allocated.
 */
#ifndef WZ_UI_LAYOUT_H
#define WZ_UI_LAYOUT_H

#include <stdbool.h>

#define LAY_MIN_COLS 40
#define LAY_MIN_ROWS 12
#define LAY_FULL_COLS 80
#define LAY_FULL_ROWS 24
#define LAY_WIDE_TABS 100   /* full tab names and counts from here */

enum lay_mode { LAY_TOO_SMALL, LAY_REDUCED, LAY_FULL };

struct lay_rect {
	int y, x, h, w;
};

struct layout {
	int rows, cols;
	enum lay_mode mode;
	bool wide_tabs;          /* cols >= LAY_WIDE_TABS */
	bool has_header;         /* the pane shows a column header row */
	struct lay_rect tabs, title, header, body, status, hint;
	struct lay_rect notice;  /* LAY_TOO_SMALL only: the whole screen */
};

/* has_header: whether the focused view wants a column header row (the
 * body takes that row otherwise). Negative sizes count as 0. */
void layout_compute(int rows, int cols, bool has_header, struct layout *out);

/* True when r lies inside a rows x cols screen (tests). */
bool layout_rect_inside(const struct lay_rect *r, int rows, int cols);

#endif
