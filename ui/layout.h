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
#define LAY_SPLIT_COLS 120  /* split layout from 120x30 (ui.md §1.2) */
#define LAY_SPLIT_ROWS 30
#define LAY_GRID_COLS 180   /* grid layout from 180x45 */
#define LAY_GRID_ROWS 45
#define LAY_LIST_MIN 60     /* the split's list keeps at least this many columns */
#define LAY_GRID_BOXES 6

enum lay_mode { LAY_TOO_SMALL, LAY_REDUCED, LAY_FULL };
/* What `set layout` asks for, and what the size allows. */
enum lay_pref { LP_AUTO, LP_SINGLE, LP_SPLIT, LP_GRID, LP_COUNT };
enum lay_kind { LK_SINGLE, LK_SPLIT, LK_GRID };

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
	enum lay_kind kind;
	/* LK_SPLIT: title/header/body are the list's; `side` is the preview
	 * (its title line included) and `sep` the column between them.
	 * LK_GRID: box[k] is the k-th box (title line included), 3 columns by
	 * 2 rows, separated by one-column `seps` at sep_x[0..1]. */
	struct lay_rect side, sep;
	struct lay_rect box[LAY_GRID_BOXES];
	int sep_x[2];
};

/* has_header: whether the focused view wants a column header row (the
 * body takes that row otherwise). Negative sizes count as 0. */
void layout_compute(int rows, int cols, bool has_header, struct layout *out);

/* The layout a size allows for a preference: auto is single below
 * 120x30, split from there and grid from 180x45; split and grid fall back
 * to the biggest one that fits. */
enum lay_kind layout_kind(int rows, int cols, enum lay_pref pref);
/* layout_compute() for a kind (LK_SINGLE is layout_compute()). */
void layout_compute_kind(int rows, int cols, bool has_header, enum lay_kind kind,
			 struct layout *out);
/* "auto", "single", "split", "grid" <-> enum; parse false when unknown. */
bool layout_pref_parse(const char *s, enum lay_pref *out);
const char *layout_pref_name(enum lay_pref p);

/* True when r lies inside a rows x cols screen (tests). */
bool layout_rect_inside(const struct lay_rect *r, int rows, int cols);

#endif
