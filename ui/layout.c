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
