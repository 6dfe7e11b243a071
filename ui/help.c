/* help.c - the help screen (ui.md §5), built from the LIVE keymap: the
 * focused pane's context, then its class, then generic; rebound keys carry
 * a '*'; `/` filters as you type. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/app.h"

static bool has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return n == 0;
}

static bool matches(const struct km_help_row *r, const char *f)
{
	if (!f || !*f)
		return true;
	return has(r->keys, f) || (r->action && has(r->action, f)) ||
	       (r->help && has(r->help, f)) || (r->section && has(r->section, f));
}

void help_build(struct app *a, struct pane_frame *f)
{
	struct pane *p = app_pane(a);
	enum km_context ctx = p->ops->ctx, cls = pane_class(p);
	struct km_help_row *rows = NULL;
	size_t n = km_help_rows(a->km, ctx, cls, &rows);
	const char *last = NULL;
	char buf[160];

	pane_title_start(&f->title, "Help");
	snprintf(buf, sizeof buf, "%s, then %s, generic", km_context_title(ctx), km_context_name(cls));
	pane_title_part(&f->title, ROLE_TITLE, buf);
	if (a->help_filter[0]) {
		snprintf(buf, sizeof buf, "filter: %s", a->help_filter);
		pane_title_part(&f->title, ROLE_FILTER, buf);
	} else {
		pane_title_part(&f->title, ROLE_TITLE, "/ filter");
	}
	pane_title_part(&f->title, ROLE_TITLE, "q close");
	for (size_t i = 0; i < n; i++) {
		struct ui_row *row;
		if (!matches(&rows[i], a->help_filter))
			continue;
		if (!last || strcmp(last, rows[i].section) != 0) {
			row = rows_add(&f->body);
			row->selectable = false;
			row_put(row, ROLE_HEADER, rows[i].section);
			last = rows[i].section;
		}
		row = rows_add(&f->body);
		row->key = (int)i;
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_cols(row, rows[i].rebound ? ROLE_WARN : ROLE_HINT_KEY, rows[i].keys, 20, false);
		row_put(row, ROLE_DEFAULT, " ");
		row_put_cols(row, ROLE_DEFAULT, rows[i].action ? rows[i].action : "", 18, false);
		row_put(row, ROLE_DEFAULT, " ");
		row_put(row, ROLE_DIM, rows[i].help ? rows[i].help : "");
		if (rows[i].rebound)
			row_put(row, ROLE_DIM, " (* set in config)");
	}
	if (f->body.n == 0) {
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		row_put(row, ROLE_DIM, "no key matches the filter");
	}
	free(rows);
	snprintf(f->hint, sizeof f->hint, "/ filter  j/k move  q or Esc close");
}
