/* frame.c - one frame: the layout for the size and `set layout` (single,
 * split with a live preview, grid of six panes), each box painted from its
 * pane's rows — only the visible ones are built — and one doupdate()
 * (ui.md §1, §3.1, §9). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/dialog.h"
#include "ui/screen.h"

enum box_mode { BOX_SINGLE, BOX_FOCUSED, BOX_OTHER };

struct pane_view *app_view(struct app *a)
{
	struct pane *p = app_pane(a);

	return a->help_open ? &a->help_view : &p->view[p->depth];
}

void app_build_focused(struct app *a, struct pane_frame *f)
{
	struct pane *p = app_pane(a);

	memset(f, 0, sizeof *f);
	if (a->help_open)
		help_build(a, f);
	else {
		p->ops->build(p, &a->d, a->focus_w > 0 ? a->focus_w : a->cols, f);
		view_apply(a, p, f);
	}
}

static int row_height(const struct ui_row *r, int w, bool wrap)
{
	return wrap ? scr_wrapped_height(r, w) : 1;
}

void app_fix_view(struct pane_view *v, const struct pane_frame *f, int h, int w)
{
	size_t n = frame_n(f);

	if (n == 0) {
		v->cursor = v->top = 0;
		return;
	}
	if (v->cursor >= n)
		v->cursor = n - 1;
	if (!frame_row(f, v->cursor)->selectable) {
		size_t c = v->cursor;
		while (c < n && !frame_row(f, c)->selectable)
			c++;
		if (c == n) {
			c = v->cursor;
			while (c > 0 && !frame_row(f, c)->selectable)
				c--;
		}
		v->cursor = c;
	}
	if (v->top > v->cursor)
		v->top = v->cursor;
	if (h <= 0)
		return;
	/* every row takes at least one line: no need to look further back */
	if (v->cursor - v->top >= (size_t)h)
		v->top = v->cursor - (size_t)h + 1;
	if (!v->wrap)
		return;
	for (;;) {
		int used = 0;
		for (size_t i = v->top; i <= v->cursor && used <= h; i++)
			used += row_height(frame_row(f, i), w, true);
		if (used <= h || v->top == v->cursor)
			break;
		v->top++;
	}
}

/* Title line (plus the box glyph), header and body of f in r. Returns the
 * screen row of the cursor, or -1. */
static int paint_box(struct app *a, struct pane_frame *f, struct pane_view *v, struct lay_rect r,
		     enum box_mode mode)
{
	int y, body_y, body_h, x = r.x, w = r.w, cursor_y = -1;
	bool focused = mode != BOX_OTHER;

	if (r.h <= 0 || r.w <= 0)
		return -1;
	if (mode == BOX_SINGLE) {
		scr_paint_row(a->theme, &f->title, r.y, x, w, 0, -1, ROLE_TITLE, ui_glyph(G_HLINE));
	} else {
		struct ui_row g = {0};
		int br = focused ? ROLE_BORDER_ACTIVE : ROLE_BORDER;
		row_put(&g, br, focused ? ui_glyph(G_CURSOR) : ui_glyph(G_HLINE));
		scr_paint_row(a->theme, &g, r.y, x, 1, 0, -1, br, NULL);
		row_free(&g);
		scr_paint_row(a->theme, &f->title, r.y, x + 1, w - 1, 0, -1, br, ui_glyph(G_HLINE));
	}
	body_y = r.y + 1;
	body_h = r.h - 1;
	if (f->header.n > 0 && body_h >= 2) {
		scr_paint_row(a->theme, NULL, body_y, x, 1, 0, -1, ROLE_HEADER, NULL);
		scr_paint_row(a->theme, &f->header, body_y, x + 1, w - 1, v->hscroll, -1, ROLE_HEADER, NULL);
		body_y++;
		body_h--;
	}
	if (focused) {
		a->lay.body.y = body_y;
		a->lay.body.h = body_h;
		a->lay.body.x = x;
		a->lay.body.w = w;
	}
	app_fix_view(v, f, body_h, w - 1);
	y = body_y;
	for (size_t i = v->top, n = frame_n(f); i < n && y < body_y + body_h; i++) {
		const struct ui_row *row = frame_row(f, i);
		bool cur = i == v->cursor && row->selectable;
		int crole = focused ? ROLE_CURSOR : ROLE_CURSOR_INACTIVE;
		int left = body_y + body_h - y;
		struct ui_row mark = {0};

		row_put(&mark, cur && focused ? ROLE_CURSOR : ROLE_DEFAULT,
			cur && focused ? ui_glyph(G_CURSOR) : " ");
		scr_paint_row(a->theme, &mark, y, x, 1, 0, -1, ROLE_DEFAULT, NULL);
		row_free(&mark);
		if (cur && focused)
			cursor_y = y;
		if (v->wrap) {
			y += scr_paint_wrapped(a->theme, row, y, x + 1, w - 1, left, cur ? crole : -1,
					       cur ? crole : ROLE_DEFAULT);
		} else {
			scr_paint_row(a->theme, row, y, x + 1, w - 1, v->hscroll, cur ? crole : -1,
				      cur ? crole : ROLE_DEFAULT, NULL);
			y++;
		}
	}
	return cursor_y;
}

static void paint_vline(struct app *a, int x, int y, int h, bool tee)
{
	struct ui_row g = {0};

	for (int i = 0; i < h; i++) {
		row_free(&g);
		row_put(&g, ROLE_BORDER, ui_glyph(i == 0 && tee ? G_TEE_DOWN : G_VLINE));
		scr_paint_row(a->theme, &g, y + i, x, 1, 0, -1, ROLE_BORDER, NULL);
	}
	row_free(&g);
}

static void paint_notice(struct app *a)
{
	struct ui_row r = {0};
	char buf[200];

	snprintf(buf, sizeof buf, "wisdom needs %dx%d (now %dx%d) %s enlarge, or Q to quit",
		 LAY_MIN_COLS, LAY_MIN_ROWS, a->cols, a->rows, ui_is_ascii() ? "-" : "\xe2\x80\x94");
	row_put(&r, ROLE_MESSAGE_ERROR, buf);
	scr_paint_wrapped(a->theme, &r, 0, 0, a->cols, a->rows, -1, ROLE_DEFAULT);
	row_free(&r);
}

static void paint_hint(struct app *a, const struct pane_frame *f)
{
	struct ui_row r = {0};
	const struct lay_rect *h = &a->lay.hint;

	if (a->prompt.kind != PK_NONE) {
		const char *lead = a->prompt.kind == PK_COMMAND ? ":" : a->prompt.kind == PK_FILTER ? "&" : "/";
		row_put(&r, ROLE_PROMPT, lead);
		row_putn(&r, ROLE_PROMPT, a->prompt.buf, a->prompt.len);
	} else if (a->msg[0]) {
		row_put_untrusted(&r, a->msg_error ? ROLE_MESSAGE_ERROR : ROLE_MESSAGE_INFO, ROLE_ESCAPE,
				  a->msg, strlen(a->msg), 8);
	} else if (a->lay.mode == LAY_REDUCED) {
		row_printf(&r, ROLE_HINT, "full view needs %dx%d (now %dx%d)", LAY_FULL_COLS,
			   LAY_FULL_ROWS, a->cols, a->rows);
	} else {
		row_put(&r, ROLE_HINT, f->hint[0] ? f->hint : "Tab next pane  1-9,0 jump  ? help  : command  q quit");
	}
	scr_paint_row(a->theme, &r, h->y, h->x, h->w, 0, -1, ROLE_DEFAULT, NULL);
	row_free(&r);
}

/* The six grid panes from `grid-panes` (names or digits); k filled. */
static int grid_panes(struct app *a, int out[LAY_GRID_BOXES])
{
	const char *s = cfg_get(a->cfg, "grid-panes");
	static const int def[LAY_GRID_BOXES] = {0, 1, 2, 3, 4, 5};
	int k = 0;
	char w[32];

	while (s && *s && k < LAY_GRID_BOXES) {
		size_t n = strcspn(s, ", ");
		if (n > 0 && n < sizeof w) {
			memcpy(w, s, n);
			w[n] = '\0';
			for (int i = 0; i < PANE_COUNT; i++)
				if (!strcmp(w, pane_table[i]->name))
					out[k++] = i;
		}
		s += n;
		s += strspn(s, ", ");
	}
	if (k < LAY_GRID_BOXES) {
		memcpy(out, def, sizeof def);
		k = LAY_GRID_BOXES;
	}
	return k;
}

enum lay_kind app_layout_kind(struct app *a)
{
	enum lay_pref pref = LP_AUTO;
	struct pane *p = app_pane(a);
	enum lay_kind k;

	layout_pref_parse(cfg_get(a->cfg, "layout"), &pref);
	if (a->zoom || a->help_open)
		return LK_SINGLE;
	k = layout_kind(a->rows, a->cols, pref);
	if (k == LK_GRID) {
		int gp[LAY_GRID_BOXES];
		bool in = false;
		grid_panes(a, gp);
		for (int i = 0; i < LAY_GRID_BOXES; i++)
			in |= gp[i] == a->focus;
		/* a drill-down zooms; a pane outside the grid shows alone */
		if (!in || p->depth > 0)
			return layout_kind(a->rows, a->cols, LP_SPLIT);
	}
	return k;
}

static int frame_split(struct app *a, struct pane_frame *f)
{
	struct pane *p = app_pane(a);
	struct pane_frame side;
	int cy, depth = p->depth;
	struct lay_rect left = {a->lay.title.y, 0, a->lay.side.h, a->lay.title.w};

	memset(&side, 0, sizeof side);
	if (depth == 0) {
		/* list focused; preview of its selected row on the right */
		p->ops->build(p, &a->d, left.w, f);
		view_apply(a, p, f);
		cy = paint_box(a, f, &p->view[0], left, BOX_FOCUSED);
		if (p->ops->preview && p->view[0].cursor < frame_n(f) &&
		    frame_row(f, p->view[0].cursor)->selectable)
			p->ops->preview(p, &a->d, frame_row(f, p->view[0].cursor), a->lay.side.w - 1, &side);
		if (side.title.n == 0) {
			pane_title_start(&side.title, "Preview");
			row_put(rows_add(&side.body), ROLE_DIM,
				p->ops->preview ? "nothing to preview on this row" : "no preview for this pane");
			side.body.v[0].selectable = false;
		}
		{
			struct pane_view pv = {0};
			paint_box(a, &side, &pv, a->lay.side, BOX_OTHER);
		}
	} else {
		/* the drill-down fills the preview; the list stays on the left */
		struct pane_frame list;
		memset(&list, 0, sizeof list);
		p->depth = 0;
		p->ops->build(p, &a->d, left.w, &list);
		view_apply(a, p, &list);
		p->depth = depth;
		paint_box(a, &list, &p->view[0], left, BOX_OTHER);
		pane_frame_free(&list);
		p->ops->build(p, &a->d, a->lay.side.w, f);
		view_apply(a, p, f);
		cy = paint_box(a, f, &p->view[depth], a->lay.side, BOX_FOCUSED);
	}
	paint_vline(a, a->lay.sep.x, a->lay.sep.y, a->lay.sep.h, true);
	pane_frame_free(&side);
	return cy;
}

static int frame_grid(struct app *a, struct pane_frame *f)
{
	int gp[LAY_GRID_BOXES], cy = -1;

	grid_panes(a, gp);
	for (int k = 0; k < LAY_GRID_BOXES; k++) {
		struct pane *p = &a->panes[gp[k]];
		struct lay_rect r = a->lay.box[k];
		bool focus = gp[k] == a->focus;

		if (focus && f->title.n == 0) {
			p->ops->build(p, &a->d, r.w, f);
			view_apply(a, p, f);
			cy = paint_box(a, f, &p->view[p->depth], r, BOX_FOCUSED);
		} else {
			struct pane_frame o;
			memset(&o, 0, sizeof o);
			p->ops->build(p, &a->d, r.w, &o);
			view_apply(a, p, &o);
			paint_box(a, &o, &p->view[p->depth], r, BOX_OTHER);
			pane_frame_free(&o);
		}
	}
	for (int s = 0; s < 2; s++)
		paint_vline(a, a->lay.sep_x[s], a->lay.box[0].y, a->lay.box[0].h + a->lay.box[3].h, true);
	return cy;
}

void app_frame(struct app *a)
{
	struct pane_frame f;
	struct ui_row row = {0};
	struct timespec t0, t1;
	int cursor_y = -1;
	enum lay_kind kind;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	view_sync(a);
	scr_erase();
	if (a->rows < LAY_MIN_ROWS || a->cols < LAY_MIN_COLS) {
		layout_compute(a->rows, a->cols, false, &a->lay);
		paint_notice(a);
		scr_cursor(0, 0, false);
		scr_flush();
		return;
	}
	memset(&f, 0, sizeof f);
	kind = app_layout_kind(a);
	if (kind == LK_SINGLE) {
		app_build_focused(a, &f);
		layout_compute(a->rows, a->cols, f.header.n > 0, &a->lay);
		a->focus_w = a->cols;
		{
			struct lay_rect r = a->lay.title;
			r.h = a->lay.status.y - r.y;
			cursor_y = paint_box(a, &f, app_view(a), r, BOX_SINGLE);
		}
	} else {
		layout_compute_kind(a->rows, a->cols, true, kind, &a->lay);
		if (a->lay.kind == LK_SPLIT) {
			a->focus_w = app_pane(a)->depth > 0 ? a->lay.side.w : a->lay.title.w;
			cursor_y = frame_split(a, &f);
		} else {
			for (int k = 0, gp[LAY_GRID_BOXES]; k < grid_panes(a, gp); k++)
				if (gp[k] == a->focus)
					a->focus_w = a->lay.box[k].w;
			cursor_y = frame_grid(a, &f);
		}
	}
	tabbar_build(a, a->cols, &row);
	scr_paint_row(a->theme, &row, a->lay.tabs.y, 0, a->lay.tabs.w, 0, -1, ROLE_TAB, NULL);
	row_free(&row);
	statusbar_build(a, a->cols, &row);
	scr_paint_row(a->theme, &row, a->lay.status.y, 0, a->lay.status.w, 0, -1, ROLE_STATUS, NULL);
	row_free(&row);
	paint_hint(a, &f);
	dialog_paint(a);
	if (a->prompt.kind != PK_NONE)
		scr_cursor(a->lay.hint.y, 1 + (int)a->prompt.cur, true);
	else
		scr_cursor(cursor_y >= 0 ? cursor_y : a->lay.body.y, a->lay.body.x, false);
	pane_frame_free(&f);
	scr_flush();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->frame_ms_last = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (CLI_FLAG(a->o, bench)) {
		app_trace(a, "frame", "%.3f ms", a->frame_ms_last);
		/* start to the first frame showing the loaded run */
		if (a->loaded_once && !a->ready_traced) {
			a->ready_traced = true;
			app_trace(a, "ready", "%.3f ms", (double)t1.tv_sec * 1e3 +
							 (double)t1.tv_nsec / 1e6 - a->t_start_ms);
		}
	}
}
