/* pane_viewer.c - a run artifact shown read-only: every line sanitised once
 * on open (escapes visible in the escape role), numbered, cut at 4 KB. */
#include "config.h"
#include "ui/viewer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

void viewer_close(struct viewer *v)
{
	free(v->rel);
	free(v->error);
	rows_free(&v->rows);
	memset(v, 0, sizeof *v);
}

void viewer_open(struct viewer *v, const char *run_path, const char *rel, int tab_size)
{
	struct wz_err err;
	char *path, *data = NULL;
	size_t len = 0;
	struct txt_lines it;
	const char *line;
	size_t n;
	int digits;

	viewer_close(v);
	v->rel = xstrdup(rel);
	path = fio_join(run_path, rel);
	if (fio_read(path, VIEWER_MAX_BYTES, &data, &len, &err) != WZ_OK) {
		v->error = xstrdup(err.msg);
		free(path);
		return;
	}
	free(path);
	v->size = (long)len;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n))
		v->nlines++;
	digits = 1;
	for (size_t k = v->nlines; k >= 10; k /= 10)
		digits++;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n)) {
		struct ui_row *row = rows_add(&v->rows);
		row->key = it.lineno;
		row_printf(row, ROLE_DIM, "%*d ", digits, it.lineno);
		row_put(row, ROLE_BORDER, ui_glyph(G_VLINE));
		row_put(row, ROLE_DEFAULT, " ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, line,
				  n > VIEWER_LINE_MAX ? VIEWER_LINE_MAX : n, tab_size > 0 ? tab_size : 8);
	}
	free(data);
}

void viewer_build(const struct viewer *v, const char *crumb, struct pane_frame *f)
{
	pane_title_start(&f->title, crumb);
	row_put(&f->title, ROLE_TITLE, " ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, v->rel ? v->rel : "?",
			  v->rel ? strlen(v->rel) : 1, 8);
	if (v->error) {
		struct ui_row *row;
		pane_title_part(&f->title, ROLE_SEV_CRITICAL, "unreadable");
		row = rows_add(&f->body);
		row->selectable = false;
		row_put_untrusted(row, ROLE_MESSAGE_ERROR, ROLE_ESCAPE, v->error, strlen(v->error), 8);
	} else {
		char buf[64];
		snprintf(buf, sizeof buf, "%zu lines %s %ld bytes", v->nlines, ui_glyph(G_MIDDOT),
			 v->size);
		pane_title_part(&f->title, ROLE_TITLE, buf);
		if (v->nlines == 0) {
			struct ui_row *row = rows_add(&f->body);
			row->selectable = false;
			row_put(row, ROLE_DIM, "(empty file)");
		} else {
			f->body_ref = &v->rows;
		}
	}
	snprintf(f->hint, sizeof f->hint, "/ search  n/N next/prev  w wrap  h/l sideways  Esc back");
}
