/* screen.c - rows of spans into curses; clipped, one doupdate per frame. */
#include "config.h"
#include "ui/screen.h"

#include <curses.h>
#include <string.h>

#include "util/sanitize.h"

static int role_attr(const struct theme *t, int role)
{
	if (!t || role < 0 || role >= ROLE_COUNT)
		return A_NORMAL;
	return theme_attr(t, (enum theme_role)role);
}

static size_t utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Draws text[0..n) at the current position; ASCII mode replaces every
 * non-ASCII character by '?' per cell. */
static void put_text(const char *s, size_t n)
{
	if (!ui_is_ascii()) {
		addnstr(s, (int)n);
		return;
	}
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len((unsigned char)s[i]);
		if (l == 1) {
			addch((chtype)(unsigned char)s[i]);
		} else {
			int w = san_width(s + i, l > n - i ? n - i : l);
			for (int k = 0; k < w; k++)
				addch('?');
		}
		i += l;
	}
}

/* The cursor's role replaces every span's but a search match's, so the
 * match stays visible on the selected row. */
static int span_role(const struct ui_span *sp, int override_role)
{
	if (override_role < 0 || sp->role == ROLE_SEARCH_MATCH)
		return sp->role;
	return override_role;
}

/* Draws cells [skip, skip+w) of the row starting at screen (y, x); returns
 * the cells drawn. */
static int paint_cells(const struct theme *t, const struct ui_row *row, int y, int x, int w,
		       int skip, int override_role)
{
	int drawn = 0;

	if (w <= 0)
		return 0;
	move(y, x);
	for (size_t i = 0; i < row->n && drawn < w; i++) {
		const struct ui_span *sp = &row->spans[i];
		const char *s = sp->text;
		size_t n = sp->len;
		int used = 0;
		size_t fit;

		if (skip > 0) {
			if (sp->width <= skip) {
				skip -= sp->width;
				continue;
			}
			fit = san_fit(s, n, skip, &used);
			s += fit;
			n -= fit;
			attrset(role_attr(t, span_role(sp, override_role)));
			/* a wide character cut in half: show a blank for its right half */
			if (used < skip && drawn < w) {
				size_t l = utf8_len((unsigned char)*s);
				addch(' ');
				drawn++;
				s += l > n ? n : l;
				n -= l > n ? n : l;
			}
			skip = 0;
		}
		attrset(role_attr(t, span_role(sp, override_role)));
		fit = san_fit(s, n, w - drawn, &used);
		if (fit > 0)
			put_text(s, fit);
		drawn += used;
		if (fit < n && drawn < w) {
			/* next character is wide and only one cell is left */
			addch(' ');
			drawn++;
			break;
		}
	}
	return drawn;
}

void scr_paint_row(const struct theme *t, const struct ui_row *row, int y, int x, int w,
		   int hscroll, int override_role, int fill_role, const char *fill)
{
	int drawn;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	drawn = row ? paint_cells(t, row, y, x, w, hscroll < 0 ? 0 : hscroll, override_role) : 0;
	move(y, x + drawn);
	attrset(role_attr(t, fill_role));
	for (int i = drawn; i < w; i++) {
		if (fill && *fill)
			put_text(fill, strlen(fill));
		else
			addch(' ');
	}
	attrset(A_NORMAL);
}

int scr_wrapped_height(const struct ui_row *row, int w)
{
	if (w <= 0)
		return 1;
	if (row->width <= w)
		return 1;
	return (row->width + w - 1) / w;
}

int scr_paint_wrapped(const struct theme *t, const struct ui_row *row, int y, int x, int w,
		      int h, int override_role, int fill_role)
{
	int lines = scr_wrapped_height(row, w);

	if (h <= 0)
		return 0;
	if (lines > h)
		lines = h;
	for (int i = 0; i < lines; i++)
		scr_paint_row(t, row, y + i, x, w, i * w, override_role, fill_role, NULL);
	return lines;
}

void scr_erase(void)
{
	erase();
}

void scr_cursor(int y, int x, bool visible)
{
	if (y >= 0 && y < LINES && x >= 0 && x < COLS)
		move(y, x);
	curs_set(visible ? 1 : 0);
}

void scr_flush(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}
