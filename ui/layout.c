/* layout.c - screen rectangles from the terminal size; pure, no curses. */
#include "config.h"
#include "ui/layout.h"

#include <string.h>

static struct lay_rect rect(int y, int x, int h, int w)
{
	struct lay_rect r;
	r.y = y;
	r.x = x;
	r.h = h < 0 ? 0 : h;
	r.w = w < 0 ? 0 : w;
	return r;
}

void layout_compute(int rows, int cols, bool has_header, struct layout *out)
{
	int y, body_h;

	memset(out, 0, sizeof *out);
	if (rows < 0)
		rows = 0;
	if (cols < 0)
		cols = 0;
	out->rows = rows;
	out->cols = cols;
	out->has_header = has_header;
	out->wide_tabs = cols >= LAY_WIDE_TABS;
	if (rows < LAY_MIN_ROWS || cols < LAY_MIN_COLS) {
		out->mode = LAY_TOO_SMALL;
		out->notice = rect(0, 0, rows, cols);
		out->tabs = out->title = out->header = out->body = out->status = out->hint =
			rect(0, 0, 0, 0);
		return;
	}
	out->mode = (rows < LAY_FULL_ROWS || cols < LAY_FULL_COLS) ? LAY_REDUCED : LAY_FULL;
	y = 0;
	out->tabs = rect(y++, 0, 1, cols);
	out->title = rect(y++, 0, 1, cols);
	if (has_header)
		out->header = rect(y++, 0, 1, cols);
	else
		out->header = rect(y, 0, 0, cols);
	body_h = rows - y - 2;
	out->body = rect(y, 0, body_h, cols);
	out->status = rect(rows - 2, 0, 1, cols);
	out->hint = rect(rows - 1, 0, 1, cols);
}

bool layout_rect_inside(const struct lay_rect *r, int rows, int cols)
{
	if (r->h < 0 || r->w < 0 || r->y < 0 || r->x < 0)
		return false;
	if (r->h == 0 || r->w == 0)
		return r->y <= rows && r->x <= cols;
	return r->y + r->h <= rows && r->x + r->w <= cols;
}

static const char *const pref_names[LP_COUNT] = {"auto", "single", "split", "grid"};

bool layout_pref_parse(const char *s, enum lay_pref *out)
{
	for (int i = 0; s && i < LP_COUNT; i++)
		if (!strcmp(s, pref_names[i])) {
			*out = (enum lay_pref)i;
			return true;
		}
	return false;
}

const char *layout_pref_name(enum lay_pref p)
{
	return (int)p >= 0 && p < LP_COUNT ? pref_names[p] : "auto";
}

enum lay_kind layout_kind(int rows, int cols, enum lay_pref pref)
{
	bool split = rows >= LAY_SPLIT_ROWS && cols >= LAY_SPLIT_COLS;
	bool grid = rows >= LAY_GRID_ROWS && cols >= LAY_GRID_COLS;

	switch (pref) {
	case LP_SINGLE: return LK_SINGLE;
	case LP_SPLIT: return split ? LK_SPLIT : LK_SINGLE;
	case LP_GRID:
	case LP_AUTO:
	default:
		return grid ? LK_GRID : split ? LK_SPLIT : LK_SINGLE;
	}
}

void layout_compute_kind(int rows, int cols, bool has_header, enum lay_kind kind,
			 struct layout *out)
{
	int area_y = 1, area_h, lw;

	layout_compute(rows, cols, has_header, out);
	out->kind = LK_SINGLE;
	if (out->mode != LAY_FULL || kind == LK_SINGLE ||
	    layout_kind(out->rows, out->cols, kind == LK_GRID ? LP_GRID : LP_SPLIT) == LK_SINGLE)
		return;
	cols = out->cols;
	rows = out->rows;
	area_h = rows - 3;
	if (kind == LK_SPLIT || layout_kind(rows, cols, LP_GRID) != LK_GRID) {
		out->kind = LK_SPLIT;
		lw = cols / 2;
		if (lw < LAY_LIST_MIN)
			lw = LAY_LIST_MIN;
		out->title.w = out->header.w = out->body.w = lw;
		out->sep = rect(area_y, lw, area_h, 1);
		out->side = rect(area_y, lw + 1, area_h, cols - lw - 1);
		return;
	}
	out->kind = LK_GRID;
	{
		int bw = (cols - 2) / 3, h0 = area_h / 2, h1 = area_h - h0;
		out->sep_x[0] = bw;
		out->sep_x[1] = 2 * bw + 1;
		for (int k = 0; k < LAY_GRID_BOXES; k++) {
			int c = k % 3, r = k / 3;
			int x = c * (bw + 1);
			int w = c == 2 ? cols - x : bw;
			out->box[k] = rect(area_y + (r ? h0 : 0), x, r ? h1 : h0, w);
		}
		out->sep = rect(area_y, 0, area_h, 0);
	}
}
