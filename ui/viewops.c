/* viewops.c - what the app does to any list pane's rows (ui.md §2, §3.1):
 * the incremental filter (`f`/`&`, `F`; plain substring with smart case,
 * `col:value` on a named column, `!term` negates, terms AND-ed), the
 * stable column sort (`s`/`S`, ties by row key), the clipboard keys
 * (`y`/`Y` through OSC 52 or `copy-command`), the time format (`t`) and
 * the hint for keys a pane has nothing to do with (copying: viewops_copy.c). The pane title shows
 * `filter: …` and `sort: <col> ↓/↑`. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/viewops_int.h"
#include "util/xalloc.h"


/* Display cells of one UTF-8 sequence start (continuation bytes: 0). */
int view_cells_of(unsigned char c)
{
	return (c & 0xC0) == 0x80 ? 0 : 1;
}

/* Columns of the header: names separated by two or more blanks (spans of
 * one role are merged, so the text is what counts). */
int view_header_cols(const struct pane_frame *f, struct vcol *c, int max)
{
	char *t = row_text(&f->header);
	int n = 0, x = 0;
	size_t i = 0;

	while (t[i] && n < max) {
		size_t s0, e;
		int xs;
		while (t[i] == ' ') {
			i++;
			x++;
		}
		if (!t[i])
			break;
		s0 = i;
		xs = x;
		e = i;
		while (t[i] && !(t[i] == ' ' && (t[i + 1] == ' ' || t[i + 1] == '\0'))) {
			x += view_cells_of((unsigned char)t[i]);
			i++;
			e = i;
		}
		snprintf(c[n].name, sizeof c[n].name, "%.*s", (int)(e - s0), t + s0);
		c[n].x0 = n == 0 ? 0 : xs;
		c[n].x1 = INT_MAX;
		if (n > 0)
			c[n - 1].x1 = xs;
		c[n].xe = x;
		n++;
	}
	free(t);
	return n;
}

/* The row's text in cells [x0, x1), blanks trimmed; caller frees. */
char *view_cell_text(const struct ui_row *r, int x0, int x1)
{
	char *t = row_text(r);
	size_t i = 0, b, e;
	int x = 0;

	while (t[i] && x < x0) {
		x += view_cells_of((unsigned char)t[i]);
		i++;
		while (t[i] && !view_cells_of((unsigned char)t[i]))
			i++;
	}
	b = i;
	while (t[i] && x < x1) {
		x += view_cells_of((unsigned char)t[i]);
		i++;
		while (t[i] && !view_cells_of((unsigned char)t[i]))
			i++;
	}
	e = i;
	while (b < e && t[b] == ' ')
		b++;
	while (e > b && t[e - 1] == ' ')
		e--;
	memmove(t, t + b, e - b);
	t[e - b] = '\0';
	return t;
}

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (isupper((unsigned char)*s))
			return true;
	return false;
}

static bool contains(const char *hay, const char *needle, bool fold)
{
	size_t n = strlen(needle);

	if (!fold)
		return strstr(hay, needle) != NULL;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return n == 0;
}

static int col_by_name(const struct vcol *c, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (len > 0 && !strncasecmp(c[i].name, name, len))
			return i;
	return -1;
}

/* Does row r pass every term of filter `flt`? */
static bool row_matches(const struct ui_row *r, const char *flt, const struct vcol *c, int nc)
{
	char term[128];
	char *all = row_text(r);
	bool ok = true;
	const char *s = flt;

	while (ok && *s) {
		size_t n;
		bool neg = false;
		const char *t, *colon;
		int ci = -1;
		bool hit;

		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n == 0)
			break;
		snprintf(term, sizeof term, "%.*s", (int)(n < sizeof term ? n : sizeof term - 1), s);
		s += n;
		t = term;
		if (*t == '!') {
			neg = true;
			t++;
		}
		colon = strchr(t, ':');
		if (colon && colon > t)
			ci = col_by_name(c, nc, t, (size_t)(colon - t));
		if (ci >= 0) {
			char *ct = view_cell_text(r, c[ci].x0, c[ci].x1);
			hit = contains(ct, colon + 1, !has_upper(colon + 1));
			free(ct);
		} else {
			hit = contains(all, t, !has_upper(t));
		}
		ok = neg ? !hit : hit;
	}
	free(all);
	return ok;
}

/* Moves row `r` (its spans) into `dst`, leaving `r` empty. */
static void row_move(struct ui_rows *dst, struct ui_row *r)
{
	struct ui_row *d = rows_add(dst);
	*d = *r;
	memset(r, 0, sizeof *r);
}

static void row_copy(struct ui_rows *dst, const struct ui_row *r)
{
	struct ui_row *d = rows_add(dst);
	for (size_t i = 0; i < r->n; i++)
		row_putn(d, r->spans[i].role, r->spans[i].text, r->spans[i].len);
	d->selectable = r->selectable;
	d->key = r->key;
}

/* Sort support: the key text of each selectable row. */
struct skey {
	struct ui_row *row;
	char *text;
	size_t pos;
};
static bool sort_rev_now;

static bool num_of(const char *s, double *v)
{
	char *e;
	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	*v = strtod(s, &e);
	if (e == s)
		return false;
	if (*e == 'K' || *e == 'k') { *v *= 1024; e++; }
	else if (*e == 'M') { *v *= 1048576; e++; }
	else if (*e == 'G') { *v *= 1073741824.0; e++; }
	while (*e == ' ')
		e++;
	return *e == '\0';
}

static int cmp_skey(const void *pa, const void *pb)
{
	const struct skey *x = pa, *y = pb;
	double a, b;
	int c;

	if (num_of(x->text, &a) && num_of(y->text, &b))
		c = a < b ? -1 : a > b;
	else
		c = strcasecmp(x->text, y->text);
	if (sort_rev_now)
		c = -c;
	if (c == 0)
		c = x->row->key < y->row->key ? -1 : x->row->key > y->row->key;
	if (c == 0)
		c = x->pos < y->pos ? -1 : x->pos > y->pos;
	return c;
}

/* Sorts each run of selectable rows between headings by column ci. */
static void sort_rows(struct ui_rows *b, const struct vcol *col, bool rev)
{
	size_t i = 0;

	sort_rev_now = rev;
	while (i < b->n) {
		size_t j = i, k;
		struct skey *sk;
		struct ui_row *tmp;
		while (j < b->n && b->v[j].selectable)
			j++;
		if (j - i > 1) {
			sk = xmalloc((j - i) * sizeof *sk);
			tmp = xmalloc((j - i) * sizeof *tmp);
			for (k = i; k < j; k++) {
				sk[k - i].row = &b->v[k];
				sk[k - i].text = view_cell_text(&b->v[k], col->x0, col->x1);
				sk[k - i].pos = k;
			}
			qsort(sk, j - i, sizeof *sk, cmp_skey);
			for (k = 0; k < j - i; k++) {
				tmp[k] = *sk[k].row;
				free(sk[k].text);
			}
			memcpy(&b->v[i], tmp, (j - i) * sizeof *tmp);
			free(tmp);
			free(sk);
		}
		i = j > i ? j : i + 1;
	}
}

/* Drops the title's own "─ sort: …" part (the pane's fixed order). */
static void title_drop_sort(struct ui_row *t)
{
	char sep[16];

	snprintf(sep, sizeof sep, " %s ", ui_glyph(G_HLINE));
	for (size_t i = 0; i < t->n; i++) {
		struct ui_span *s = &t->spans[i];
		char *p = strstr(s->text, "sort: "), *st, *en;
		int w = 0;
		size_t sl = strlen(sep);
		if (!p)
			continue;
		st = p >= s->text + sl && !strncmp(p - sl, sep, sl) ? p - sl : p;
		en = strstr(p, sep);
		if (!en)
			en = s->text + s->len;
		for (char *q = st; q < en; q++)
			w += view_cells_of((unsigned char)*q);
		memmove(st, en, (size_t)(s->text + s->len - en) + 1);
		s->len -= (size_t)(en - st);
		s->width -= w;
		t->width -= w;
		return;
	}
}

static bool pane_sortable(const struct pane *p)
{
	return p->depth == 0 && (!strcmp(p->ops->name, "audit") || !strcmp(p->ops->name, "tests"));
}

void view_apply(struct app *a, struct pane *p, struct pane_frame *f)
{
	struct vcol c[16];
	int nc, d = p->depth;
	const char *flt = a->filter[p->index][d];
	int sc = a->sort_col[p->index][d];
	struct ui_rows out = {0};
	const struct ui_rows *src;
	bool own;
	char buf[200];

	if (!flt[0] && sc == 0)
		return;
	if (f->vrow || f->viewer) {
		if (flt[0])
			pane_title_part(&f->title, ROLE_TITLE, "filter: not for this view");
		return;
	}
	nc = view_header_cols(f, c, 16);
	own = f->body_ref == NULL;
	src = own ? &f->body : f->body_ref;
	if (sc > 0 && sc <= nc && pane_sortable(p)) {
		if (!own) {
			for (size_t i = 0; i < src->n; i++)
				row_copy(&out, &src->v[i]);
			f->body = out;
			f->body_ref = NULL;
			memset(&out, 0, sizeof out);
			own = true;
			src = &f->body;
		}
		sort_rows(&f->body, &c[sc - 1], a->sort_rev[p->index][d]);
		title_drop_sort(&f->title);
		snprintf(buf, sizeof buf, "sort: %s %s", c[sc - 1].name,
			 ui_is_ascii() ? (a->sort_rev[p->index][d] ? "v" : "^")
				       : (a->sort_rev[p->index][d] ? "\xe2\x86\x93" : "\xe2\x86\x91"));
		pane_title_part(&f->title, ROLE_TITLE, buf);
	}
	if (flt[0]) {
		size_t n = src->n, shown = 0, total = 0;
		bool *keep = xmalloc((n ? n : 1) * sizeof *keep);
		for (size_t i = 0; i < n; i++) {
			keep[i] = src->v[i].selectable && row_matches(&src->v[i], flt, c, nc);
			total += src->v[i].selectable;
			shown += keep[i];
		}
		/* a heading stays when a row under it does */
		for (size_t i = 0; i < n; i++) {
			if (src->v[i].selectable || src->v[i].width == 0)
				continue;
			for (size_t j = i + 1; j < n && src->v[j].selectable; j++)
				if (keep[j]) {
					keep[i] = true;
					break;
				}
		}
		for (size_t i = 0; i < n; i++)
			if (keep[i]) {
				if (own)
					row_move(&out, &f->body.v[i]);
				else
					row_copy(&out, &src->v[i]);
			}
		free(keep);
		if (own)
			rows_free(&f->body);
		f->body = out;
		f->body_ref = NULL;
		if (shown == 0) {
			struct ui_row *r = rows_add(&f->body);
			row_put(r, ROLE_DIM, "no row matches the filter (F clears it)");
			r->selectable = false;
		}
		snprintf(buf, sizeof buf, "filter: %.120s (%zu/%zu)", flt, shown, total);
		pane_title_part(&f->title, ROLE_TITLE, buf);
	}
}

/* ---- keys ---- */

static void sort_step(struct app *a, bool reverse)
{
	struct pane *p = app_pane(a);
	struct pane_frame f;
	struct vcol c[16];
	int nc, d = p->depth, *sc = &a->sort_col[p->index][d];

	int key = -1;
	bool had = false;

	app_build_focused(a, &f);
	nc = f.vrow || f.viewer ? 0 : view_header_cols(&f, c, 16);
	if (app_view(a)->cursor < frame_n(&f) && frame_row(&f, app_view(a)->cursor)->selectable) {
		key = frame_row(&f, app_view(a)->cursor)->key;
		had = true;
	}
	pane_frame_free(&f);
	if (nc == 0 || !pane_sortable(p)) {
		app_message(a, false, "this pane has a fixed order");
		return;
	}
	if (reverse) {
		if (*sc == 0)
			*sc = 1;
		a->sort_rev[p->index][d] = !a->sort_rev[p->index][d];
	} else {
		*sc = (*sc + 1) % (nc + 1);
		a->sort_rev[p->index][d] = false;
	}
	if (had) {
		/* the selection stays on the same row */
		app_build_focused(a, &f);
		for (size_t i = 0; i < frame_n(&f); i++)
			if (frame_row(&f, i)->selectable && frame_row(&f, i)->key == key) {
				app_view(a)->cursor = i;
				break;
			}
		pane_frame_free(&f);
	}
	if (*sc == 0)
		app_message(a, false, "sort: the pane's own order");
	else
		app_message(a, false, "sort: %s %s", c[*sc - 1].name,
			    a->sort_rev[p->index][d] ? "descending" : "ascending");
}

static void time_cycle(struct app *a)
{
	static const char *const next[][2] = {
		{"relative", "utc"}, {"utc", "local"}, {"local", "relative"}};
	const char *cur = cfg_get(a->cfg, "time-format");
	const char *to = "utc";
	char line[64];
	struct wz_err err;

	for (size_t i = 0; i < sizeof next / sizeof next[0]; i++)
		if (cur && !strcmp(cur, next[i][0]))
			to = next[i][1];
	snprintf(line, sizeof line, "set time-format = %s", to);
	wz_err_clear(&err);
	if (!cmd_run(a, line, &err)) {
		app_message(a, true, "%s", err.msg);
		return;
	}
	app_message(a, false, "times: %s", !strcmp(to, "relative") ? "T+/- relative to the deploy" :
					   !strcmp(to, "utc") ? "UTC" : "local time");
}

void view_filter_open(struct app *a)
{
	struct pane *p = app_pane(a);

	snprintf(a->filter_prev, sizeof a->filter_prev, "%s", a->filter[p->index][p->depth]);
	prompt_open(a, PK_FILTER);
	snprintf(a->prompt.buf, sizeof a->prompt.buf, "%s", a->filter_prev);
	a->prompt.len = a->prompt.cur = strlen(a->prompt.buf);
}

void view_filter_live(struct app *a, const char *text)
{
	struct pane *p = app_pane(a);

	snprintf(a->filter[p->index][p->depth], sizeof a->filter[0][0], "%s", text);
}

void view_filter_cancel(struct app *a)
{
	view_filter_live(a, a->filter_prev);
}

bool view_filter_clear(struct app *a)
{
	struct pane *p = app_pane(a);
	char *f = a->filter[p->index][p->depth];

	if (!f[0])
		return false;
	f[0] = '\0';
	return true;
}

bool view_action(struct app *a, enum km_action act)
{
	struct pane *p = app_pane(a);

	if (a->help_open)
		return false;
	switch (act) {
	case ACT_FILTER: {
		struct pane_frame f;
		bool text;
		app_build_focused(a, &f);
		text = f.vrow || f.viewer;
		pane_frame_free(&f);
		if (text)
			app_message(a, false, "filter is for lists: this view is a file, / searches it");
		else
			view_filter_open(a);
		return true;
	}
	case ACT_FILTER_CLEAR:
		app_message(a, false, view_filter_clear(a) ? "filter cleared" : "no filter to clear");
		return true;
	case ACT_SORT_NEXT: sort_step(a, false); return true;
	case ACT_SORT_REVERSE: sort_step(a, true); return true;
	case ACT_COPY_LINK: view_copy(a, true); return true;
	case ACT_COPY_VALUE: view_copy(a, false); return true;
	case ACT_TIME_FORMAT: time_cycle(a); return true;
	case ACT_LOAD_MORE:
		app_message(a, false, "nothing more to load: %s shows every row it has", p->ops->title);
		return true;
	case ACT_WINDOW_WIDER: case ACT_WINDOW_NARROWER:
		if (!strcmp(p->ops->name, "metrics") || !strcmp(p->ops->name, "logs"))
			app_message(a, false, "no time window yet: the %s pane has no series loaded",
				    p->ops->title);
		else
			app_message(a, false, "no time window in this pane: metrics and logs panes only");
		return true;
	case ACT_LEARNING_NEW:
		/* the decisions journal records decisions on proposed learnings;
		 * it has no record that creates one */
		app_message(a, false, "add learnings from the Learnings pane with `wisdom review`");
		return true;
	default:
		return false;
	}
}

void view_sync(struct app *a)
{
	const char *t = cfg_get(a->cfg, "time-format");

	a->d.time_fmt = t && !strcmp(t, "utc") ? PANE_TIME_UTC :
			t && !strcmp(t, "local") ? PANE_TIME_LOCAL : PANE_TIME_REL;
}
