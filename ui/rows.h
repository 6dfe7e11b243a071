/* rows.h - what every pane hands to the painter: rows of styled spans.
 *
 * A span is a run of display-safe UTF-8 text plus a theme role (an int so
 * this header stays free of curses and theme types). Text given through
 * row_put() is trusted (our own words and glyphs); row_put_untrusted() runs
 * it through the sanitiser first. Nothing here touches curses.
 *
 * Ownership: a struct ui_rows owns its rows, a row owns its spans, a span
 * owns its text. rows_free() releases everything; a zeroed struct is empty.
 */
#ifndef WZ_UI_ROWS_H
#define WZ_UI_ROWS_H

#include <stdbool.h>
#include <stddef.h>

struct ui_span {
	char *text;
	size_t len;
	int role;
	int width;      /* display cells */
};

struct ui_row {
	struct ui_span *spans;
	size_t n, cap;
	int width;      /* sum of span widths */
	bool selectable;/* false for section headings and blank lines */
	int key;        /* the pane's key for this row (selection kept across rebuilds) */
};

struct ui_rows {
	struct ui_row *v;
	size_t n, cap;
};

/* Appends an empty selectable row and returns it (valid until the next add). */
struct ui_row *rows_add(struct ui_rows *r);
void rows_free(struct ui_rows *r);
void rows_reset(struct ui_rows *r);   /* empties, keeps nothing */

/* Appends trusted text (our own strings) with a role. */
void row_put(struct ui_row *row, int role, const char *text);
void row_putn(struct ui_row *row, int role, const char *text, size_t n);
void row_printf(struct ui_row *row, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends text padded with blanks (or cut with an ellipsis) to exactly
 * `cols` display cells; right-aligned when `right`. Trusted text only. */
void row_put_cols(struct ui_row *row, int role, const char *text, int cols, bool right);
/* Appends untrusted text (artifact content): sanitised, escapes shown in
 * role `escape_role`, tabs expanded to `tab_size`. */
void row_put_untrusted(struct ui_row *row, int role, int escape_role,
		       const char *text, size_t n, int tab_size);
/* Same, but fitted to exactly `cols` cells like row_put_cols(). */
void row_put_untrusted_cols(struct ui_row *row, int role, int escape_role,
			    const char *text, size_t n, int cols);
void row_free(struct ui_row *row);

/* The row's plain text (spans joined), for search and dumps. Caller frees. */
char *row_text(const struct ui_row *row);

/* Line drawing: UTF-8 glyphs or their ASCII forms (ui.md §1.4). */
enum ui_glyph {
	G_HLINE, G_VLINE, G_CURSOR, G_ELLIPSIS, G_BLOCK, G_SHADE, G_MARKER,
	G_CRIT, G_WARN, G_PENDING, G_LOADING, G_FAIL, G_OK, G_UNVERIFIED,
	G_MISSING_DOT, G_RUNNING, G_FRESH, G_FETCHING, G_OFFLINE, G_ERROR,
	G_PROPOSED, G_ACCEPTED, G_REJECTED, G_EDITED, G_JOB, G_ARROW, G_DOWN,
	G_MIDDOT, G_VDOTS, G_ARROW_R, G_TEE_DOWN,
	G_COUNT
};
void ui_set_ascii(bool ascii);
bool ui_is_ascii(void);
const char *ui_glyph(enum ui_glyph g);

#endif
