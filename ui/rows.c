/* rows.c - rows of styled spans; the glyph table. No curses here. */
#include "config.h"
#include "ui/rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/xalloc.h"

struct ui_row *rows_add(struct ui_rows *r)
{
	struct ui_row *row;

	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	row->selectable = true;
	row->key = (int)r->n - 1;
	return row;
}

void row_free(struct ui_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		free(row->spans[i].text);
	free(row->spans);
	memset(row, 0, sizeof *row);
}

void rows_reset(struct ui_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		row_free(&r->v[i]);
	r->n = 0;
}

void rows_free(struct ui_rows *r)
{
	rows_reset(r);
	free(r->v);
	memset(r, 0, sizeof *r);
}

static void put_owned(struct ui_row *row, int role, char *text, size_t len, int width)
{
	struct ui_span *s;

	if (len == 0) {
		free(text);
		return;
	}
	/* merge with the previous span of the same role */
	if (row->n > 0 && row->spans[row->n - 1].role == role) {
		s = &row->spans[row->n - 1];
		s->text = xrealloc(s->text, s->len + len + 1);
		memcpy(s->text + s->len, text, len + 1);
		s->len += len;
		s->width += width;
		row->width += width;
		free(text);
		return;
	}
	row->spans = xgrow(row->spans, &row->cap, row->n + 1, sizeof *row->spans);
	s = &row->spans[row->n++];
	s->text = text;
	s->len = len;
	s->role = role;
	s->width = width;
	row->width += width;
}

void row_putn(struct ui_row *row, int role, const char *text, size_t n)
{
	put_owned(row, role, xstrndup(text, n), n, san_width(text, n));
}

void row_put(struct ui_row *row, int role, const char *text)
{
	row_putn(row, role, text, strlen(text));
}

void row_printf(struct ui_row *row, int role, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	put_owned(row, role, s, (size_t)n, san_width(s, (size_t)n));
}

static void pad(struct ui_row *row, int role, int cells)
{
	char *sp;

	if (cells <= 0)
		return;
	sp = xmalloc((size_t)cells + 1);
	memset(sp, ' ', (size_t)cells);
	sp[cells] = '\0';
	put_owned(row, role, sp, (size_t)cells, cells);
}

/* text is already display-safe */
static void put_fitted(struct ui_row *row, int role, const char *text, size_t n, int cols,
		       bool right)
{
	int w, used = 0;
	size_t fit;

	if (cols <= 0)
		return;
	w = san_width(text, n);
	if (w <= cols) {
		if (right)
			pad(row, role, cols - w);
		row_putn(row, role, text, n);
		if (!right)
			pad(row, role, cols - w);
		return;
	}
	/* too wide: cut, end with an ellipsis cell */
	fit = san_fit(text, n, cols - 1, &used);
	row_putn(row, role, text, fit);
	pad(row, role, cols - 1 - used);
	row_put(row, role, ui_glyph(G_ELLIPSIS));
}

void row_put_cols(struct ui_row *row, int role, const char *text, int cols, bool right)
{
	put_fitted(row, role, text, strlen(text), cols, right);
}

void row_put_untrusted(struct ui_row *row, int role, int escape_role,
		       const char *text, size_t n, int tab_size)
{
	struct san_text st;
	size_t at = 0;

	memset(&st, 0, sizeof st);
	san_line(text, n, tab_size, &st);
	for (size_t i = 0; i < st.nspans; i++) {
		const struct san_span *sp = &st.spans[i];
		if (sp->off > at)
			row_putn(row, role, st.s + at, sp->off - at);
		row_putn(row, escape_role, st.s + sp->off, sp->len);
		at = sp->off + sp->len;
	}
	if (at < st.len)
		row_putn(row, role, st.s + at, st.len - at);
	san_text_free(&st);
}

void row_put_untrusted_cols(struct ui_row *row, int role, int escape_role,
			    const char *text, size_t n, int cols)
{
	struct san_text st;

	(void)escape_role;
	memset(&st, 0, sizeof st);
	san_line(text, n, 4, &st);
	put_fitted(row, role, st.s, st.len, cols, false);
	san_text_free(&st);
}

char *row_text(const struct ui_row *row)
{
	size_t len = 0, at = 0;
	char *s;

	for (size_t i = 0; i < row->n; i++)
		len += row->spans[i].len;
	s = xmalloc(len + 1);
	for (size_t i = 0; i < row->n; i++) {
		memcpy(s + at, row->spans[i].text, row->spans[i].len);
		at += row->spans[i].len;
	}
	s[at] = '\0';
	return s;
}

/* ---- glyphs ---- */

static bool g_ascii;

static const char *const glyph_utf8[G_COUNT] = {
	[G_HLINE] = "─", [G_VLINE] = "│", [G_CURSOR] = "▸", [G_ELLIPSIS] = "…",
	[G_BLOCK] = "█", [G_SHADE] = "░", [G_MARKER] = "┊", [G_CRIT] = "▲",
	[G_WARN] = "!", [G_PENDING] = "?", [G_LOADING] = "…", [G_FAIL] = "✗",
	[G_OK] = "✓", [G_UNVERIFIED] = "~", [G_MISSING_DOT] = "·", [G_RUNNING] = "…",
	[G_FRESH] = "●", [G_FETCHING] = "◐", [G_OFFLINE] = "○", [G_ERROR] = "✗",
	[G_PROPOSED] = "?", [G_ACCEPTED] = "✓", [G_REJECTED] = "✗", [G_EDITED] = "✎",
	[G_JOB] = "⟳", [G_ARROW] = "→", [G_DOWN] = "↓", [G_MIDDOT] = "·",
	[G_VDOTS] = "⋮", [G_ARROW_R] = "›", [G_TEE_DOWN] = "┬",
};

static const char *const glyph_ascii[G_COUNT] = {
	[G_HLINE] = "-", [G_VLINE] = "|", [G_CURSOR] = ">", [G_ELLIPSIS] = "~",
	[G_BLOCK] = "#", [G_SHADE] = ".", [G_MARKER] = "|", [G_CRIT] = "^",
	[G_WARN] = "!", [G_PENDING] = "?", [G_LOADING] = ".", [G_FAIL] = "x",
	[G_OK] = "+", [G_UNVERIFIED] = "~", [G_MISSING_DOT] = ".", [G_RUNNING] = ">",
	[G_FRESH] = "*", [G_FETCHING] = "~", [G_OFFLINE] = "-", [G_ERROR] = "x",
	[G_PROPOSED] = "?", [G_ACCEPTED] = "+", [G_REJECTED] = "x", [G_EDITED] = "e",
	[G_JOB] = "@", [G_ARROW] = ">", [G_DOWN] = "v", [G_MIDDOT] = ".",
	[G_VDOTS] = ":", [G_ARROW_R] = ">", [G_TEE_DOWN] = "+",
};

void ui_set_ascii(bool ascii)
{
	g_ascii = ascii;
}

bool ui_is_ascii(void)
{
	return g_ascii;
}

const char *ui_glyph(enum ui_glyph g)
{
	if ((int)g < 0 || g >= G_COUNT)
		return "?";
	return g_ascii ? glyph_ascii[g] : glyph_utf8[g];
}
