/* learn_detail.c - the Learnings review screen (ui.md §4.2) and the
 * follow view (what Enter on an evidence line shows). The pane's keys and
 * following evidence are in learn_actions.c. */
#define _GNU_SOURCE
#include "config.h"
#include "ui/learn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/tests_analysis.h"
#include "sinks/publish.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

static struct ui_row *line(struct pane_frame *f, int role, const char *text)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	if (text)
		row_put(row, role, text);
	return row;
}

static void text_lines(struct pane_frame *f, const char *text, int role, int max)
{
	int n = 0;
	while (text && *text && n < max) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		struct ui_row *row = line(f, role, "   ");
		row_put_untrusted(row, role, ROLE_ESCAPE, text, len, 8);
		text = nl ? nl + 1 : NULL;
		n++;
	}
}

static void label(struct ui_row *row, const char *name)
{
	row_put_cols(row, ROLE_HEADER, name, 9, false);
}

static void untrusted(struct ui_row *row, int role, const char *s)
{
	if (s)
		row_put_untrusted(row, role, ROLE_ESCAPE, s, strlen(s), 8);
}

/* The text a person edits: title, labels, blank line, body. Caller frees. */
char *lrn_edit_text(const struct learning *l)
{
	struct buf b = {0};
	buf_printf(&b, "Title: %s\nLabels: ", l->title ? l->title : "");
	for (size_t i = 0; i < l->out_labels.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->out_labels.v[i]);
	buf_printf(&b, "\n\n%s\n", l->body ? l->body : "");
	return buf_detach(&b);
}

/* The edited text from wisdom/.edits/<id>.md, or NULL. Caller frees. */
char *lrn_edited_text(const struct lrn_st *s, const struct jr_entry *e)
{
	char *path, *data = NULL;
	size_t len = 0;
	struct wz_err err;
	if (!e || !e->edit_file)
		return NULL;
	path = fio_join(s->inv->run->path, e->edit_file);
	wz_err_clear(&err);
	if (fio_read(path, FIO_DEFAULT_MAX, &data, &len, &err) != WZ_OK)
		data = xasprintf("(cannot read the edited text: %s)", err.msg);
	free(path);
	return data;
}

void lrn_build_detail(struct pane *p, struct lrn_st *s, const struct ui_data *d, struct pane_frame *f)
{
	const struct learning *l;
	const struct jr_entry *e;
	struct ui_row *row;
	long pos = lrn_pos_of(s, (size_t)s->sel);
	const struct lrn_item *it;
	char buf[256];

	(void)d;
	(void)p;
	if (pos < 0 || !s->inv) {
		pane_title_start(&f->title, "Learnings");
		line(f, ROLE_MISSING, "this candidate is gone after a reload");
		return;
	}
	it = &s->items[pos];
	l = it->l;
	e = s->busy ? NULL : jr_get(s->inv->jr, l->id);
	pane_title_start(&f->title, "Learnings ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	snprintf(buf, sizeof buf, " %ld of %zu %s L-%.*s", pos + 1, s->n, ui_glyph(G_MIDDOT), it->prefix, l->id + 2);
	row_put(&f->title, ROLE_TITLE, buf);
	snprintf(buf, sizeof buf, "%s%s", jr_state_label(it->state), it->delta ? (ui_is_ascii() ? "*" : "\xce\x94") : "");
	pane_title_part(&f->title, lrn_state_role(it->state), buf);
	if (l->out_section)
		pane_title_part(&f->title, ROLE_TITLE, l->out_section);
	if (s->ro_held)
		pane_title_part(&f->title, ROLE_WARN, "RO");

	row = line(f, ROLE_DEFAULT, NULL);
	label(row, "Title");
	untrusted(row, ROLE_DEFAULT, l->title);
	row = line(f, ROLE_DEFAULT, NULL);
	label(row, "Kind");
	snprintf(buf, sizeof buf, "%s (%s) %s ", learn_origin_word(l->origin), learn_kind_word(l->kind),
		 ui_glyph(G_ARROW));
	row_put(row, ROLE_DEFAULT, buf);
	if (l->out_issue_title) {
		row_put(row, ROLE_DEFAULT, "GitHub issue");
		for (size_t i = 0; i < l->out_labels.n; i++) {
			row_put(row, ROLE_DEFAULT, i ? ", " : (ui_is_ascii() ? " - labels " : " \xc2\xb7 labels "));
			untrusted(row, ROLE_DEFAULT, l->out_labels.v[i]);
		}
	} else if (l->out_playbook) {
		row_put(row, ROLE_DEFAULT, "playbook ");
		untrusted(row, ROLE_DEFAULT, l->out_playbook);
	} else {
		untrusted(row, ROLE_DEFAULT, l->out_section ? l->out_section : "wisdom files");
	}
	row = line(f, ROLE_DEFAULT, NULL);
	label(row, "Grade");
	row_put(row, lrn_sev_role(l->severity), fnd_severity_word(l->severity));
	snprintf(buf, sizeof buf, " %s confidence %s", ui_glyph(G_MIDDOT), fnd_confidence_word(l->confidence));
	row_put(row, ROLE_DEFAULT, buf);
	if (l->confidence_reason) {
		row_put(row, ROLE_DIM, ": ");
		untrusted(row, ROLE_DIM, l->confidence_reason);
	}
	if (l->out_issue_title && l->out_playbook) {
		row = line(f, ROLE_DEFAULT, NULL);
		label(row, "Playbook");
		untrusted(row, ROLE_DEFAULT, l->out_playbook);
	}
	snprintf(buf, sizeof buf, "Evidence (%zu)", l->nev);
	row = line(f, ROLE_HEADER, buf);
	row_put(row, ROLE_DIM, "   Enter follows");
	for (size_t i = 0; i < l->nev; i++) {
		const struct evidence *ev = &l->ev[i];
		row = rows_add(&f->body);
		row->key = (int)i;
		row_put(row, ROLE_DEFAULT, " ");
		if (ev->type != EV_ARTIFACT) {
			row_put(row, ROLE_DIM, fnd_ev_type_word(ev->type));
			row_put(row, ROLE_DIM, " ");
		}
		row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, ev->locator ? ev->locator : "?",
				       strlen(ev->locator ? ev->locator : "?"), 44);
		row_put(row, ROLE_DEFAULT, " ");
		untrusted(row, ROLE_DIM, ev->excerpt);
	}
	{
		char *ed = s->busy ? NULL : lrn_edited_text(s, e);
		row = line(f, ROLE_HEADER, ed ? "Edited text" : "Text");
		row_put(row, ROLE_DIM, ed ? "   e edits again  d diff" : "   e edits");
		if (ed)
			text_lines(f, ed, ROLE_DEFAULT, 200);
		else if (l->body && *l->body)
			text_lines(f, l->body, ROLE_DEFAULT, 200);
		else
			line(f, ROLE_DIM, "   (no text beyond the title)");
		free(ed);
	}
	if (e && (e->reason || e->notes.n)) {
		line(f, ROLE_HEADER, "Notes");
		if (e->reason) {
			row = line(f, ROLE_DEFAULT, "   ");
			untrusted(row, ROLE_DEFAULT, e->reason);
		}
		for (size_t i = 0; i < e->notes.n; i++) {
			row = line(f, ROLE_DEFAULT, "   ");
			untrusted(row, ROLE_DEFAULT, e->notes.v[i]);
		}
	}
	row = line(f, ROLE_DEFAULT, NULL);
	label(row, "History");
	{
		int k = 0;
		const struct journal *jr = s->inv->jr;
		for (size_t i = 0; !s->busy && i < jr->n; i++) {
			const struct jr_rec *r = &jr->recs[i];
			char t[32];
			if (!r->id || strcmp(r->id, l->id) != 0)
				continue;
			pane_fmt_time(r->time, t, sizeof t);
			if (k++)
				row_printf(row, ROLE_DIM, " %s ", ui_glyph(G_MIDDOT));
			row_printf(row, ROLE_DEFAULT, "%s %s", t + 6, jr_op_word(r->op));
		}
		if (!k)
			row_put(row, ROLE_DIM, "imported, no decision yet");
	}
	snprintf(f->hint, sizeof f->hint, "a accept  x reject  e edit  u undo  c note  ]/[ next/prev pending  p publish");
}

void lrn_follow_clear(struct lrn_st *s)
{
	viewer_close(&s->viewer);
	chg_commit_free(&s->commit);
	free(s->text);
	free(s->text_title);
	s->text = s->text_title = NULL;
	s->follow = LF_NONE;
	s->goto_line = 0;
}

void lrn_detail_clear(struct lrn_st *s)
{
	lrn_follow_clear(s);
}

void lrn_build_follow(struct pane *p, struct lrn_st *s, const struct ui_data *d, struct pane_frame *f)
{
	char buf[128];
	if (s->follow == LF_VIEWER) {
		viewer_build(&s->viewer, "Learnings", d, f);
		if (s->goto_line > 0 && !s->viewer.loading) {
			size_t c = (size_t)(s->goto_line - 1);
			if (s->viewer.nlines && c >= s->viewer.nlines)
				c = s->viewer.nlines - 1;
			p->view[2].cursor = c;
			p->view[2].top = c > 3 ? c - 3 : 0;
			s->goto_line = 0;
		}
		snprintf(f->hint, sizeof f->hint, "Esc back to the learning  / search  o pager");
		return;
	}
	pane_title_start(&f->title, "Learnings ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	if (s->follow == LF_COMMIT && s->commit) {
		const struct chg_commit *c = s->commit;
		char date[32];
		struct ui_row *row;
		snprintf(buf, sizeof buf, "commit %.7s", c->sha);
		row_put(&f->title, ROLE_TITLE, buf);
		row = line(f, ROLE_BLAME_SHA, "commit ");
		row_put(row, ROLE_BLAME_SHA, c->sha);
		row = line(f, ROLE_DEFAULT, "Author: ");
		untrusted(row, ROLE_BLAME_AUTHOR, c->author ? c->author : "?");
		pane_fmt_time(c->time, date, sizeof date);
		row = line(f, ROLE_DEFAULT, "Date:   ");
		row_put(row, ROLE_BLAME_DATE, date);
		line(f, ROLE_DEFAULT, "");
		text_lines(f, c->message ? c->message : c->summary, ROLE_DEFAULT, 60);
		for (size_t i = 0; i < c->nfiles; i++) {
			row = line(f, ROLE_DEFAULT, " ");
			untrusted(row, ROLE_DEFAULT, c->files[i].path);
			row_printf(row, ROLE_DIM, " | +%ld -%ld", c->files[i].adds, c->files[i].dels);
		}
	} else {
		row_put(&f->title, ROLE_TITLE, s->text_title ? s->text_title : "");
		if (s->text)
			text_lines(f, s->text, ROLE_DEFAULT, 100000);
	}
	snprintf(f->hint, sizeof f->hint, "Esc back to the learning");
}
