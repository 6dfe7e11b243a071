/* pane_flow.c - the flow timeline (ui.md §3.2): one row per flow in fixed
 * order, bars on a shared axis from run start to the last receipt.
 *
 * Timing: a flow ends at its receipt's completed_at (measured) or, without
 * one, at its newest file time (inferred). It starts where the previous
 * flow ended (measured when that end was) — the first flow at the run's
 * created_at — or, when that is unknown or later, at its oldest file time
 * (inferred). Inferred bars are drawn with `░` and their duration with `~`.
 * Drill-down: receipt facts, blockers, missing_required, concerns and the
 * flow's files; Enter on a file opens it in the viewer.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/pane.h"
#include "ui/theme.h"
#include "ui/viewer.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

struct flow_span {
	double start, end;
	bool start_measured, end_measured;
};

struct flow_st {
	int sel_flow;                 /* flow of the drill-down */
	char **files;                 /* the flow folder's files (drill-down) */
	size_t nfiles;
	struct viewer viewer;
};

static void free_files(struct flow_st *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_files(struct flow_st *s, const char *run_path, const char *flow)
{
	char *dir = fio_join(run_path, flow);
	DIR *d;
	struct dirent *e;
	size_t cap = 0;

	free_files(s);
	d = opendir(dir);
	free(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		s->files = xgrow(s->files, &cap, s->nfiles + 1, sizeof *s->files);
		s->files[s->nfiles++] = xasprintf("%s/%s", flow, e->d_name);
	}
	closedir(d);
	qsort(s->files, s->nfiles, sizeof *s->files, cmp_str);
}

static bool flow_shown(const struct run *r, int f)
{
	return !(f == FLOW_REVIEW && r->generation == GEN_DEMOSWARM_6);
}

/* Times of every flow (see the comment at the top). */
static void flow_spans(const struct run *r, struct flow_span sp[FLOW_COUNT])
{
	double prev = r->created_at;
	bool prev_measured = !isnan(r->created_at);

	for (int f = 0; f < FLOW_COUNT; f++) {
		const struct flow_state *fs = &r->flows[f];
		struct flow_span *s = &sp[f];

		s->end = fs->receipt.completed_at;
		s->end_measured = !isnan(s->end);
		if (!s->end_measured)
			s->end = fs->last_time;
		s->start = prev;
		s->start_measured = prev_measured;
		if (isnan(s->start) || (!isnan(s->end) && s->start > s->end)) {
			s->start = fs->first_time;
			s->start_measured = false;
		}
		if (!isnan(s->end) && !isnan(s->start) && s->start > s->end)
			s->start = s->end;
		if (!isnan(s->end) && s->end_measured) {
			prev = s->end;
			prev_measured = true;
		} else if (!isnan(s->end)) {
			prev = s->end;
			prev_measured = false;
		}
	}
}

static void axis_range(const struct run *r, const struct flow_span sp[FLOW_COUNT], double *a0,
		       double *a1)
{
	*a0 = r->created_at;
	*a1 = NAN;
	for (int f = 0; f < FLOW_COUNT; f++) {
		if (!isnan(sp[f].start) && (isnan(*a0) || sp[f].start < *a0))
			*a0 = sp[f].start;
		if (!isnan(r->flows[f].receipt.completed_at) &&
		    (isnan(*a1) || r->flows[f].receipt.completed_at > *a1))
			*a1 = r->flows[f].receipt.completed_at;
	}
	if (isnan(*a1))
		for (int f = 0; f < FLOW_COUNT; f++)
			if (!isnan(sp[f].end) && (isnan(*a1) || sp[f].end > *a1))
				*a1 = sp[f].end;
	if (!isnan(*a0) && !isnan(*a1) && *a1 <= *a0)
		*a1 = *a0 + 60;
}

static int status_role(enum receipt_status s)
{
	switch (s) {
	case RS_VERIFIED: return ROLE_OK;
	case RS_UNVERIFIED: case RS_PARTIAL: return ROLE_WARN;
	case RS_CANNOT_PROCEED: return ROLE_SEV_CRITICAL;
	case RS_ABSENT: return ROLE_MISSING;
	default: return ROLE_DEFAULT;
	}
}

static int word_role(const char *w)
{
	if (!w)
		return ROLE_DEFAULT;
	if (!strcmp(w, "MERGE") || !strcmp(w, "STABLE") || !strcmp(w, "VERIFIED") ||
	    !strcmp(w, "PROCEED"))
		return ROLE_OK;
	if (!strcmp(w, "BOUNCE") || !strcmp(w, "NOT_DEPLOYED") || !strcmp(w, "UNVERIFIED") ||
	    !strcmp(w, "RERUN") || !strcmp(w, "FIX_ENV") || !strcmp(w, "BLOCKED_BY_GATE"))
		return ROLE_WARN;
	if (!strcmp(w, "CANNOT_PROCEED") || !strcmp(w, "ROLLBACK") || !strcmp(w, "ESCALATE"))
		return ROLE_SEV_CRITICAL;
	return ROLE_DEFAULT;
}

static const char *status_text(const struct receipt *rc, bool dir)
{
	if (!rc->present)
		return dir ? "no receipt" : "missing";
	if (!rc->parsed)
		return "unreadable";
	if (rc->status_raw)
		return rc->status_raw;
	return "-";
}

static const char *verdict_of(const struct run *r, int f)
{
	if (f == FLOW_GATE)
		return r->flows[f].receipt.merge_verdict ? r->flows[f].receipt.merge_verdict
							 : r->merge_verdict.v;
	if (f == FLOW_DEPLOY)
		return r->flows[f].receipt.deployment_verdict ? r->flows[f].receipt.deployment_verdict
							      : r->deployment_verdict.v;
	return NULL;
}

/* Column plan for a width: which optional columns fit beside an axis. */
struct cols_plan {
	bool next, verdict, start, dur;
	int axis;      /* cells; 0 = no axis */
};

static void plan_cols(int width, struct cols_plan *c)
{
	int fixed = 2 + 8 + 11;   /* "# " "FLOW    " "STATUS     " */

	c->next = c->verdict = c->start = c->dur = true;
	for (int step = 0;; step++) {
		int w = fixed + (c->next ? 8 : 0) + (c->verdict ? 13 : 0) + (c->start ? 12 : 0) +
			(c->dur ? 5 : 0);
		if (width - w >= 12 || step == 4) {
			c->axis = width - w >= 12 ? width - w : 0;
			return;
		}
		if (step == 0)
			c->verdict = false;
		else if (step == 1)
			c->next = false;
		else if (step == 2)
			c->start = false;
		else if (step == 3)
			c->dur = false;
	}
}

static int cell_of(double t, double a0, double a1, int w)
{
	int c;

	if (isnan(t) || w <= 0)
		return -1;
	c = (int)floor((t - a0) / (a1 - a0) * w);
	if (c >= w)
		c = w - 1;
	if (c < 0)
		c = 0;
	return c;
}

static void build_axis_header(struct ui_row *h, double a0, double a1, int w)
{
	char *line = xcalloc((size_t)w + 1, 1);
	double day;

	memset(line, ' ', (size_t)w);
	if (!isnan(a0) && !isnan(a1)) {
		day = floor(a0 / 86400.0) * 86400.0;
		for (; day <= a1; day += 86400.0) {
			int c = day < a0 ? 0 : cell_of(day, a0, a1, w);
			char lab[16];
			pane_fmt_time(day, lab, sizeof lab);
			lab[5] = '\0';
			if (c + 5 > w)
				break;
			if (c > 0 && line[c - 1] != ' ')
				continue;
			memcpy(line + c, lab, 5);
		}
	}
	row_put(h, ROLE_HEADER, line);
	free(line);
}

static void build_bar(struct ui_row *row, const struct flow_span *s, double a0, double a1,
		      double T, int w)
{
	int c0 = cell_of(s->start, a0, a1, w), c1 = cell_of(s->end, a0, a1, w);
	int ct = cell_of(T, a0, a1, w);
	bool measured = s->start_measured && s->end_measured;

	if (!isnan(T) && (T < a0 || T > a1))
		ct = -1;
	if (c0 < 0)
		c0 = c1;
	for (int c = 0; c < w; c++) {
		if (c1 >= 0 && c >= c0 && c <= c1)
			row_put(row, measured ? ROLE_BAR_MEASURED : ROLE_BAR_INFERRED,
				ui_glyph(measured ? G_BLOCK : G_SHADE));
		else if (c == ct)
			row_put(row, ROLE_DEPLOY_MARKER, ui_glyph(G_MARKER));
		else
			row_put(row, ROLE_DEFAULT, " ");
	}
}

static void build_list(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	const struct run *r = d->run;
	struct flow_span sp[FLOW_COUNT];
	struct cols_plan c;
	double a0, a1;
	char t0[32], t1[32], tT[32], buf[160];
	int num = 0;

	(void)p;
	pane_title_start(&f->title, "Flow");
	if (!r && d->loading) {
		pane_title_part(&f->title, ROLE_DIM, "loading");
		row_printf(rows_add(&f->body), ROLE_DIM, "%s reading the run's artifacts", ui_glyph(G_JOB));
		f->body.v[0].selectable = false;
		return;
	}
	if (!r) {
		pane_title_part(&f->title, ROLE_SEV_CRITICAL, "no run");
		row_put_untrusted(rows_add(&f->body), ROLE_MESSAGE_ERROR, ROLE_ESCAPE,
				  d->run_error ? d->run_error : "no run loaded",
				  strlen(d->run_error ? d->run_error : "no run loaded"), 8);
		f->body.v[0].selectable = false;
		return;
	}
	flow_spans(r, sp);
	axis_range(r, sp, &a0, &a1);
	pane_fmt_when(d, a0, t0, sizeof t0);
	pane_fmt_when(d, a1, t1, sizeof t1);
	snprintf(buf, sizeof buf, "%s%s %s %s%s", t0, pane_zone(d), ui_glyph(G_ARROW), t1, pane_zone(d));
	pane_title_part(&f->title, ROLE_TITLE, buf);
	if (!isnan(r->deploy_time)) {
		const char *src = r->deploy_time_source ? r->deploy_time_source : "?";
		const char *slash = strrchr(src, '/');
		const char *base = slash ? slash + 1 : src;
		size_t blen = strcspn(base, ": ");
		pane_fmt_when(d, r->deploy_time, tT, sizeof tT);
		snprintf(buf, sizeof buf, "T %s%s%s (", tT, pane_zone(d), r->deploy_time_approximate ? "~" : "");
		pane_title_part(&f->title, ROLE_TITLE, buf);
		row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, base, blen, 8);
		row_put(&f->title, ROLE_TITLE, ")");
		if (d->time_fmt != PANE_TIME_REL)
			pane_title_part(&f->title, ROLE_TITLE,
					d->time_fmt == PANE_TIME_UTC ? "times: UTC" : "times: local");
	} else {
		pane_title_part(&f->title, ROLE_WARN, "T unknown");
	}
	if (r->wisdom_stale)
		pane_title_part(&f->title, ROLE_WARN, "STALE");

	plan_cols(cols - 1, &c);
	row_put(&f->header, ROLE_HEADER, "# FLOW    STATUS     ");
	if (c.next)
		row_put(&f->header, ROLE_HEADER, "NEXT    ");
	if (c.verdict)
		row_put(&f->header, ROLE_HEADER, "VERDICT      ");
	if (c.start)
		row_put(&f->header, ROLE_HEADER, "START       ");
	if (c.dur)
		row_put(&f->header, ROLE_HEADER, " DUR ");
	if (c.axis)
		build_axis_header(&f->header, a0, a1, c.axis);

	for (int fl = 0; fl < FLOW_COUNT; fl++) {
		const struct flow_state *fs = &r->flows[fl];
		const struct receipt *rc = &fs->receipt;
		struct ui_row *row;
		const char *st, *v;

		if (!flow_shown(r, fl))
			continue;
		row = rows_add(&f->body);
		row->key = fl;
		row_printf(row, ROLE_DEFAULT, "%d ", ++num);
		row_put_cols(row, ROLE_DEFAULT, run_flow_name((enum run_flow)fl), 6, false);
		row_put(row, ROLE_DEFAULT, "  ");
		st = status_text(rc, fs->dir_present);
		row_put_untrusted_cols(row, rc->present ? status_role(rc->status) : ROLE_MISSING,
				       ROLE_ESCAPE, st, strlen(st), 10);
		row_put(row, ROLE_DEFAULT, " ");
		if (c.next) {
			const char *n = rc->recommended_action ? rc->recommended_action : "";
			row_put_untrusted_cols(row, word_role(n), ROLE_ESCAPE, n, strlen(n), 7);
			row_put(row, ROLE_DEFAULT, " ");
		}
		if (c.verdict) {
			v = verdict_of(r, fl);
			row_put_untrusted_cols(row, word_role(v), ROLE_ESCAPE, v ? v : "",
					       v ? strlen(v) : 0, 12);
			row_put(row, ROLE_DEFAULT, " ");
		}
		if (c.start) {
			pane_fmt_when(d, sp[fl].start, buf, sizeof buf);
			row_put_cols(row, sp[fl].start_measured ? ROLE_DEFAULT : ROLE_DIM, buf, 11, false);
			row_put(row, ROLE_DEFAULT, " ");
		}
		if (c.dur) {
			char du[32] = "-";
			if (!isnan(sp[fl].start) && !isnan(sp[fl].end)) {
				bool m = sp[fl].start_measured && sp[fl].end_measured;
				char t[24];
				tp_format_duration(sp[fl].end - sp[fl].start, t, sizeof t);
				snprintf(du, sizeof du, "%s%s", m ? "" : "~", t);
			}
			row_put_cols(row, ROLE_DEFAULT, du, 4, true);
			row_put(row, ROLE_DEFAULT, " ");
		}
		if (c.axis && !isnan(a0))
			build_bar(row, &sp[fl], a0, a1, r->deploy_time, c.axis);
	}
	snprintf(f->hint, sizeof f->hint, "Enter receipt+files  / search  ? help  q quit");
}

static void section(struct pane_frame *f, const char *title, size_t n)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row_printf(row, ROLE_HEADER, "%s %s (%zu)", ui_glyph(G_HLINE), title, n);
}

static void list_items(struct pane_frame *f, const struct str_list *l, int role)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ui_row *row = rows_add(&f->body);
		row->key = -1;
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_untrusted(row, role, ROLE_ESCAPE, l->v[i], strlen(l->v[i]), 8);
	}
}

static void build_detail(struct pane *p, const struct ui_data *d, struct pane_frame *f)
{
	struct flow_st *s = p->st;
	const struct run *r = d->run;
	const struct flow_state *fs = &r->flows[s->sel_flow];
	const struct receipt *rc = &fs->receipt;
	struct ui_row *row;
	char buf[200], t[32];
	const char *st = status_text(rc, fs->dir_present);

	pane_title_start(&f->title, "Flow ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_printf(&f->title, ROLE_TITLE, " %s", run_flow_name((enum run_flow)s->sel_flow));
	pane_title_part(&f->title, rc->present ? status_role(rc->status) : ROLE_MISSING, "");
	row_put_untrusted(&f->title, rc->present ? status_role(rc->status) : ROLE_MISSING,
			  ROLE_ESCAPE, st, strlen(st), 8);

	row = rows_add(&f->body);
	row->key = -1;
	snprintf(buf, sizeof buf, "Receipt   %s/%s_receipt.json", run_flow_name((enum run_flow)s->sel_flow),
		 run_flow_name((enum run_flow)s->sel_flow));
	row_put(row, ROLE_DEFAULT, buf);
	if (!rc->present)
		row_put(row, ROLE_MISSING, "  missing");
	else if (!rc->parsed && rc->error) {
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_untrusted(row, ROLE_MESSAGE_ERROR, ROLE_ESCAPE, rc->error, strlen(rc->error), 8);
	}
	if (rc->present && rc->parsed) {
		row = rows_add(&f->body);
		row->key = -1;
		row_put(row, ROLE_DEFAULT, "Status    ");
		row_put_untrusted(row, status_role(rc->status), ROLE_ESCAPE, st, strlen(st), 8);
		if (rc->recommended_action) {
			row_put(row, ROLE_DEFAULT, " · next ");
			row_put_untrusted(row, word_role(rc->recommended_action), ROLE_ESCAPE,
					  rc->recommended_action, strlen(rc->recommended_action), 8);
		}
		if (verdict_of(r, s->sel_flow)) {
			const char *v = verdict_of(r, s->sel_flow);
			row_put(row, ROLE_DEFAULT, " · verdict ");
			row_put_untrusted(row, word_role(v), ROLE_ESCAPE, v, strlen(v), 8);
		}
		row = rows_add(&f->body);
		row->key = -1;
		pane_fmt_time(rc->completed_at, t, sizeof t);
		row_printf(row, ROLE_DEFAULT, "Completed %s%s", t, isnan(rc->completed_at) ? "" : "Z");
		if (!isnan(r->deploy_time) && !isnan(rc->completed_at)) {
			pane_fmt_rel(rc->completed_at, r->deploy_time, t, sizeof t);
			row_printf(row, ROLE_DIM, " (%s)", t);
		}
		row = rows_add(&f->body);
		row->key = -1;
		row_printf(row, ROLE_DEFAULT,
			   "Counts    blockers %zu · missing_required %zu · missing_optional %zu · concerns %zu",
			   rc->blockers.n, rc->missing_required.n, rc->missing_optional.n,
			   rc->concerns.n);
		if (s->sel_flow == FLOW_BUILD && rc->tests_passed.has) {
			row = rows_add(&f->body);
			row->key = -1;
			row_printf(row, ROLE_DEFAULT, "Tests     passed %.0f · failed %.0f · skipped %.0f",
				   rc->tests_passed.v, rc->tests_failed.has ? rc->tests_failed.v : 0,
				   rc->tests_skipped.has ? rc->tests_skipped.v : 0);
		}
	}
	section(f, "Blockers", rc->blockers.n);
	list_items(f, &rc->blockers, ROLE_SEV_CRITICAL);
	section(f, "Missing required", rc->missing_required.n);
	list_items(f, &rc->missing_required, ROLE_MISSING);
	section(f, "Concerns", rc->concerns.n);
	list_items(f, &rc->concerns, ROLE_DEFAULT);
	section(f, "Artifacts", s->nfiles);
	for (size_t i = 0; i < s->nfiles; i++) {
		row = rows_add(&f->body);
		row->key = (int)i;
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, s->files[i], strlen(s->files[i]), 8);
	}
	snprintf(f->hint, sizeof f->hint, "Enter open artifact  Esc back  / search  w wrap  ? help");
}

static void flow_init(struct pane *p)
{
	p->st = xcalloc(1, sizeof(struct flow_st));
}

static void flow_load(struct pane *p, const struct ui_data *d)
{
	struct flow_st *s = p->st;

	viewer_close(&s->viewer);
	if (!d->run) {
		free_files(s);
		p->depth = 0;
		return;
	}
	if (p->depth > 0)
		list_files(s, d->run->path, run_flow_name((enum run_flow)s->sel_flow));
	if (p->depth > 1)
		p->depth = 1;
}

static void flow_build(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	struct flow_st *s = p->st;
	char crumb[64];

	if (p->depth == 0 || !d->run) {
		build_list(p, d, cols, f);
		return;
	}
	if (p->depth == 1) {
		build_detail(p, d, f);
		return;
	}
	snprintf(crumb, sizeof crumb, "Flow %s %s", ui_glyph(G_ARROW_R),
		 run_flow_name((enum run_flow)s->sel_flow));
	viewer_build(&s->viewer, crumb, d, f);
}

static bool flow_enter(struct pane *p, const struct ui_data *d, const struct ui_row *row)
{
	struct flow_st *s = p->st;

	if (!d->run)
		return false;
	if (p->depth == 0 && row->key >= 0 && row->key < FLOW_COUNT) {
		s->sel_flow = row->key;
		list_files(s, d->run->path, run_flow_name((enum run_flow)s->sel_flow));
		p->depth = 1;
		return true;
	}
	if (p->depth == 1 && row->key >= 0 && (size_t)row->key < s->nfiles) {
		viewer_open(&s->viewer, d->run->path, s->files[row->key], d->tab_size, p->index);
		p->depth = 2;
		return true;
	}
	return false;
}

static bool flow_back(struct pane *p)
{
	struct flow_st *s = p->st;

	if (p->depth == 0)
		return false;
	if (p->depth == 2)
		viewer_close(&s->viewer);
	else
		free_files(s);
	p->depth--;
	return true;
}

/* Split preview: the drill-down of the selected flow, built on the side. */
static void flow_preview(struct pane *p, const struct ui_data *d, const struct ui_row *row,
			 int cols, struct pane_frame *f)
{
	struct flow_st *s = p->st, saved = *s;

	(void)cols;
	if (!d->run || row->key < 0 || row->key >= FLOW_COUNT)
		return;
	s->files = NULL;
	s->nfiles = 0;
	s->sel_flow = row->key;
	list_files(s, d->run->path, run_flow_name((enum run_flow)s->sel_flow));
	build_detail(p, d, f);
	free_files(s);
	*s = saved;
}

static int flow_tab_glyph(struct pane *p, const struct ui_data *d)
{
	(void)p;
	if (!d->run && d->loading)
		return G_LOADING;
	if (!d->run)
		return G_FAIL;
	for (int f = 0; f < FLOW_COUNT; f++)
		if (d->run->flows[f].receipt.status == RS_CANNOT_PROCEED)
			return G_CRIT;
	for (int f = 0; f < FLOW_COUNT; f++)
		if (d->run->flows[f].receipt.status == RS_UNVERIFIED || d->run->wisdom_stale)
			return G_WARN;
	return -1;
}

static void flow_free(struct pane *p)
{
	struct flow_st *s = p->st;

	if (!s)
		return;
	free_files(s);
	viewer_close(&s->viewer);
	free(s);
	p->st = NULL;
}

const struct pane_ops pane_flow_ops = {
	.name = "flow", .title = "Flow", .tab = "Flow", .ctx = KC_FLOW,
	.init = flow_init, .load = flow_load, .build = flow_build, .enter = flow_enter,
	.back = flow_back, .preview = flow_preview, .tab_glyph = flow_tab_glyph, .free = flow_free,
};
