/* pane_audit.c - the artifact audit (ui.md §3.8): rows grouped by flow in
 * flow order, missing required first; Enter opens the artifact in the
 * viewer (depth 1), where `/`, n and N search. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/audit.h"
#include "ui/pane.h"
#include "ui/theme.h"
#include "ui/viewer.h"
#include "util/xalloc.h"

struct audit_st {
	size_t *order;       /* row indexes in display order */
	size_t norder;
	const struct audit *built_for;
	struct viewer viewer;
};

static int rank(const struct audit_row *r)
{
	if (r->state == AUD_MISSING && r->required)
		return 0;
	if (r->state != AUD_PRESENT && r->required)
		return 1;
	if (r->state == AUD_MISSING)
		return 3;
	if (r->state != AUD_PRESENT)
		return 2;
	return 4;
}

static const struct audit *sort_audit;

static int cmp_rows(const void *pa, const void *pb)
{
	const struct audit_row *a = &sort_audit->rows[*(const size_t *)pa];
	const struct audit_row *b = &sort_audit->rows[*(const size_t *)pb];
	int c;

	if (a->flow != b->flow)
		return a->flow < b->flow ? -1 : 1;
	if ((c = rank(a) - rank(b)) != 0)
		return c;
	if ((c = strcmp(a->artifact, b->artifact)) != 0)
		return c;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static void order_rows(struct audit_st *s, const struct audit *a)
{
	free(s->order);
	s->order = NULL;
	s->norder = 0;
	s->built_for = a;
	if (!a || a->n == 0)
		return;
	s->order = xcalloc(a->n, sizeof *s->order);
	for (size_t i = 0; i < a->n; i++)
		s->order[i] = i;
	s->norder = a->n;
	sort_audit = a;
	qsort(s->order, s->norder, sizeof *s->order, cmp_rows);
	sort_audit = NULL;
}

static int state_role(const struct audit_row *r)
{
	switch (r->state) {
	case AUD_PRESENT: return ROLE_OK;
	case AUD_MISSING: return r->required ? ROLE_SEV_CRITICAL : ROLE_SEV_MINOR;
	default: return r->required ? ROLE_SEV_MAJOR : ROLE_WARN;
	}
}

struct acols {
	int art, need, state, size, mod, note;
};

static void plan(int width, struct acols *c)
{
	c->art = 28;
	c->need = 9;
	c->state = 12;
	c->size = 6;
	c->mod = 12;
	c->note = width - (c->art + c->need + c->state + c->size + c->mod);
	if (c->note < 12) { c->mod = 0; c->note = width - (c->art + c->need + c->state + c->size); }
	if (c->note < 12) { c->size = 0; c->note = width - (c->art + c->need + c->state); }
	if (c->note < 12) { c->need = 0; c->note = width - (c->art + c->state); }
	if (c->note < 12) {
		c->note = 0;
		c->art = width - c->state;
		if (c->art < 12)
			c->art = 12;
	}
}

static void build_list(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	struct audit_st *s = p->st;
	const struct audit *a = d->audit;
	struct acols c;
	char buf[160];
	int last_flow = -1;

	pane_title_start(&f->title, "Audit");
	if (!d->run && d->loading) {
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		pane_title_part(&f->title, ROLE_DIM, "loading");
		row_printf(row, ROLE_DIM, "%s reading the run's artifacts", ui_glyph(G_JOB));
		return;
	}
	if (!d->run || !a) {
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		pane_title_part(&f->title, ROLE_SEV_CRITICAL, "no run");
		row_put(row, ROLE_MESSAGE_ERROR, "no run loaded: nothing to audit");
		return;
	}
	if (s->built_for != a)
		order_rows(s, a);
	snprintf(buf, sizeof buf, "%zu artifacts %s %d present %s %d missing required %s %d optional",
		 a->n, ui_glyph(G_MIDDOT), a->present, ui_glyph(G_MIDDOT), a->missing_required,
		 ui_glyph(G_MIDDOT), a->missing_optional);
	pane_title_part(&f->title, a->missing_required ? ROLE_SEV_CRITICAL : ROLE_TITLE, buf);
	if (a->empty + a->stub + a->unparseable) {
		snprintf(buf, sizeof buf, "%d empty %s %d stub %s %d unparseable", a->empty,
			 ui_glyph(G_MIDDOT), a->stub, ui_glyph(G_MIDDOT), a->unparseable);
		pane_title_part(&f->title, ROLE_WARN, buf);
	}
	if (a->disagreements) {
		snprintf(buf, sizeof buf, "%d disagree with artifact_audit.md", a->disagreements);
		pane_title_part(&f->title, ROLE_WARN, buf);
	}
	plan(cols - 1, &c);
	row_put_cols(&f->header, ROLE_HEADER, "ARTIFACT", c.art, false);
	if (c.need)
		row_put_cols(&f->header, ROLE_HEADER, "NEED", c.need, false);
	row_put_cols(&f->header, ROLE_HEADER, "STATE", c.state, false);
	if (c.size)
		row_put_cols(&f->header, ROLE_HEADER, "SIZE  ", c.size, true);
	if (c.mod)
		row_put_cols(&f->header, ROLE_HEADER, "MODIFIED", c.mod, false);
	if (c.note)
		row_put(&f->header, ROLE_HEADER, "NOTE");

	for (size_t i = 0; i < s->norder; i++) {
		const struct audit_row *r = &a->rows[s->order[i]];
		struct ui_row *row;

		if ((int)r->flow != last_flow) {
			const struct audit_flow *af = &a->flows[r->flow];
			last_flow = (int)r->flow;
			row = rows_add(&f->body);
			row->selectable = false;
			row->key = -1;
			row_printf(row, ROLE_HEADER, "%s%s %s", ui_glyph(G_HLINE), ui_glyph(G_HLINE),
				   run_flow_name(r->flow));
			if (af->status_raw) {
				row_put(row, ROLE_HEADER, " (");
				row_put_untrusted(row, ROLE_HEADER, ROLE_ESCAPE, af->status_raw,
						  strlen(af->status_raw), 8);
				row_put(row, ROLE_HEADER, ")");
			} else {
				row_put(row, ROLE_MISSING, " (no receipt)");
			}
		}
		row = rows_add(&f->body);
		row->key = (int)s->order[i];
		row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, r->artifact,
				       strlen(r->artifact), c.art - 1);
		row_put(row, ROLE_DEFAULT, " ");
		if (c.need)
			row_put_cols(row, r->required ? ROLE_DEFAULT : ROLE_DIM,
				     r->required ? "required" : "optional", c.need, false);
		row_put_cols(row, state_role(r), audit_state_word(r->state), c.state, false);
		if (c.size) {
			if (r->size < 0)
				snprintf(buf, sizeof buf, "-");
			else if (r->size < 10000)
				snprintf(buf, sizeof buf, "%lld", r->size);
			else if (r->size < 10000 * 1024LL)
				snprintf(buf, sizeof buf, "%lldK", r->size / 1024);
			else
				snprintf(buf, sizeof buf, "%lldM", r->size / (1024 * 1024));
			row_put_cols(row, ROLE_DEFAULT, buf, c.size - 2, true);
			row_put(row, ROLE_DEFAULT, "  ");
		}
		if (c.mod) {
			pane_fmt_time(r->mtime, buf, sizeof buf);
			row_put_cols(row, ROLE_DEFAULT, buf, c.mod, false);
		}
		if (c.note) {
			struct ui_row note = {0};
			if (r->disagrees && r->pack_state) {
				row_put(&note, ROLE_WARN, "pack says ");
				row_put_untrusted(&note, ROLE_WARN, ROLE_ESCAPE, r->pack_state,
						  strlen(r->pack_state), 8);
				if (r->note)
					row_put(&note, ROLE_DEFAULT, "; ");
			}
			if (r->receipt_missing && r->state == AUD_PRESENT)
				row_put(&note, ROLE_WARN, "receipt lists as missing; ");
			if (r->note)
				row_put_untrusted(&note, ROLE_DEFAULT, ROLE_ESCAPE, r->note,
						  strlen(r->note), 8);
			for (size_t k = 0; k < note.n; k++)
				row_put(row, note.spans[k].role, note.spans[k].text);
			row_free(&note);
		}
	}
	if (s->norder == 0) {
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		row_put(row, ROLE_DIM, "no flow folders in this run: nothing to audit");
	}
	snprintf(f->hint, sizeof f->hint, "Enter open artifact  / search  n/N next/prev  ? help  q quit");
}

static void audit_init(struct pane *p)
{
	p->st = xcalloc(1, sizeof(struct audit_st));
}

static void audit_load(struct pane *p, const struct ui_data *d)
{
	struct audit_st *s = p->st;

	s->built_for = NULL;
	viewer_close(&s->viewer);
	(void)d;
	p->depth = 0;
}

static void audit_build(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	struct audit_st *s = p->st;

	if (p->depth == 0 || !d->run) {
		build_list(p, d, cols, f);
		return;
	}
	viewer_build(&s->viewer, "Audit", d, f);
}

static bool audit_enter(struct pane *p, const struct ui_data *d, const struct ui_row *row)
{
	struct audit_st *s = p->st;
	const struct audit_row *r;

	if (p->depth != 0 || !d->audit || !d->run || row->key < 0 || (size_t)row->key >= d->audit->n)
		return false;
	r = &d->audit->rows[row->key];
	if (r->state == AUD_MISSING || strchr(r->artifact, '*'))
		return false;
	viewer_open(&s->viewer, d->run->path, r->artifact, d->tab_size, p->index);
	p->depth = 1;
	return true;
}

static bool audit_back(struct pane *p)
{
	struct audit_st *s = p->st;

	if (p->depth == 0)
		return false;
	viewer_close(&s->viewer);
	p->depth = 0;
	return true;
}

/* Split preview: the facts of the selected artifact (no file is read). */
static void audit_preview(struct pane *p, const struct ui_data *d, const struct ui_row *row,
			  int cols, struct pane_frame *f)
{
	const struct audit_row *r;
	struct ui_row *x;
	char buf[64];

	(void)p;
	(void)cols;
	if (!d->audit || row->key < 0 || (size_t)row->key >= d->audit->n)
		return;
	r = &d->audit->rows[row->key];
	pane_title_start(&f->title, "Audit ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, r->artifact, strlen(r->artifact), 8);
	x = rows_add(&f->body);
	row_printf(x, ROLE_DEFAULT, "Flow      %s", run_flow_name(r->flow));
	x = rows_add(&f->body);
	row_put(x, ROLE_DEFAULT, "State     ");
	row_put(x, state_role(r), audit_state_word(r->state));
	row_put(x, ROLE_DEFAULT, r->required ? " (required)" : " (optional)");
	x = rows_add(&f->body);
	if (r->size >= 0)
		row_printf(x, ROLE_DEFAULT, "Size      %lld bytes", r->size);
	else
		row_put(x, ROLE_DEFAULT, "Size      -");
	x = rows_add(&f->body);
	pane_fmt_time(r->mtime, buf, sizeof buf);
	row_printf(x, ROLE_DEFAULT, "Modified  %s", buf);
	if (r->pack_state) {
		x = rows_add(&f->body);
		row_put(x, ROLE_DEFAULT, "Pack says ");
		row_put_untrusted(x, r->disagrees ? ROLE_WARN : ROLE_DEFAULT, ROLE_ESCAPE, r->pack_state,
				  strlen(r->pack_state), 8);
	}
	if (r->note) {
		x = rows_add(&f->body);
		row_put(x, ROLE_DEFAULT, "Note      ");
		row_put_untrusted(x, ROLE_DEFAULT, ROLE_ESCAPE, r->note, strlen(r->note), 8);
	}
	x = rows_add(&f->body);
	x->selectable = false;
	x = rows_add(&f->body);
	x->selectable = false;
	row_put(x, ROLE_DIM, r->state == AUD_MISSING ? "missing: nothing to open"
						  : "Enter opens the file here");
	for (size_t i = 0; i < f->body.n; i++)
		f->body.v[i].selectable = false;
}

static int audit_tab_glyph(struct pane *p, const struct ui_data *d)
{
	(void)p;
	if (!d->audit && d->loading)
		return G_LOADING;
	if (!d->audit)
		return G_FAIL;
	if (d->audit->missing_required)
		return G_CRIT;
	if (d->audit->empty || d->audit->stub || d->audit->unparseable || d->audit->disagreements)
		return G_WARN;
	return -1;
}

static void audit_pane_free(struct pane *p)
{
	struct audit_st *s = p->st;

	if (!s)
		return;
	free(s->order);
	viewer_close(&s->viewer);
	free(s);
	p->st = NULL;
}

const struct pane_ops pane_audit_ops = {
	.name = "audit", .title = "Audit", .tab = "Aud", .ctx = KC_AUDIT,
	.init = audit_init, .load = audit_load, .build = audit_build, .enter = audit_enter,
	.back = audit_back, .preview = audit_preview, .tab_glyph = audit_tab_glyph, .free = audit_pane_free,
};
