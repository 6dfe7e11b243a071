/* dump.c - the screen as text, read back cell by cell from curses:
 * UTF-8, one line per row, trailing blanks trimmed; with attrs, a line of
 * role letters (theme.h) under each row, found by matching each cell's
 * attributes and colour pair against the theme's roles. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui/app.h"
#include "util/buf.h"
#include "util/fileio.h"

static void put_utf8(struct buf *b, unsigned cp)
{
	char s[4];
	size_t n;

	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, s, n);
}

static char role_letter(const struct app *a, attr_t attrs, short pair)
{
	int want = (int)((attrs & (A_ATTRIBUTES & ~A_COLOR)) | (attr_t)COLOR_PAIR(pair));

	for (int r = 0; r < ROLE_COUNT; r++)
		if (theme_attr(a->theme, (enum theme_role)r) == want)
			return theme_role_letter((enum theme_role)r);
	return '?';
}

static void trim(struct buf *b, size_t start, char blank)
{
	while (b->len > start && b->p[b->len - 1] == blank)
		b->len--;
	b->p[b->len] = '\0';
}

bool dump_screen(const struct app *a, const char *path, bool attrs, struct wz_err *err)
{
	struct buf out = {0};
	int rows = LINES, cols = COLS;
	bool ok;

	for (int y = 0; y < rows; y++) {
		size_t start = out.len;
		struct buf al = {0};
		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t at = 0;
			short pair = 0;
			int w;

			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &at, &pair, NULL) == ERR) {
				buf_putc(&out, ' ');
				buf_putc(&al, ' ');
				continue;
			}
			if (wc[0] == 0)
				wc[0] = L' ';
			for (int k = 0; k < CCHARW_MAX && wc[k]; k++)
				put_utf8(&out, (unsigned)wc[k]);
			w = wcwidth(wc[0]);
			buf_putc(&al, role_letter(a, at, pair));
			if (w == 2) {
				buf_putc(&al, role_letter(a, at, pair));
				x++;
			}
		}
		trim(&out, start, ' ');
		buf_putc(&out, '\n');
		if (attrs) {
			/* default role letter counts as blank at the end of the line */
			trim(&al, 0, theme_role_letter(ROLE_DEFAULT));
			buf_puts(&out, buf_str(&al));
			buf_putc(&out, '\n');
		}
		buf_free(&al);
	}
	ok = fio_write_atomic(path, out.p ? out.p : "", out.len, err) == WZ_OK;
	buf_free(&out);
	return ok;
}
