/* dialog_publish.c - the publish dialog (see dialog.h, ui.md §4.4). */
#include "config.h"
#include "ui/dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "sinks/publish.h"
#include "ui/pane_learnings.h"
#include "ui/screen.h"
#include "util/fileio.h"
#include "util/redact.h"
#include "sources/extensions.h"
#include "sources/secrets.h"
#include "util/xalloc.h"

#define DLG_OWNER (PANE_OWNER_APP + 1)

enum dlg_phase { DP_PLANNING, DP_READY, DP_FAILED, DP_RUNNING, DP_DONE };

/* A plan with the options and redactor it borrows; moves between the
 * dialog and its jobs as one piece. */
struct plan_box {
	struct pub_opts po;
	struct redactor *rd;
	struct pub_plan *plan;
	struct investigation *inv;   /* borrowed from the Learnings pane */
	bool offline;
};

struct dlg {
	enum dlg_phase phase;
	struct plan_box *box;        /* NULL while a job holds it */
	char *summary, *full;        /* plan text (pub_plan_print) */
	bool show_full, gh_grey;
	struct pane_view view;
	char *error;
	char result[300];
	char run_id[80];
	struct pane *lp;
	unsigned long gen;
};

struct dlg_job {
	struct app *a;
	unsigned long gen;
	struct plan_box *box;
	bool execute, files_only;
	int written;                 /* files the plan changes */
	enum wz_status st;
	struct wz_err err;
	char *summary, *full;
};

static struct dlg *D(const struct app *a)
{
	return a->dialog;
}

bool dialog_is_open(const struct app *a)
{
	return a->dialog != NULL;
}

static const char *offline_get(const char *name, void *ctx)
{
	const struct plan_box *b = ctx;
	if (b->offline && (!strcmp(name, "GITHUB_TOKEN") || !strcmp(name, "GH_TOKEN")))
		return NULL;
	return ext_getenv(name, NULL);
}

static void box_free(struct plan_box **pb)
{
	if (!*pb)
		return;
	pub_plan_free(&(*pb)->plan);
	redact_free(&(*pb)->rd);
	free(*pb);
	*pb = NULL;
}

static char *plan_text(const struct pub_plan *p, bool full)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	if (!f)
		return xstrdup("(cannot print the plan)");
	pub_plan_print(p, f, full);
	fclose(f);
	return s;
}

static struct pane *learn_pane(struct app *a)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (a->panes[i].ops->ctx == KC_LEARNINGS && a->panes[i].ops->action)
			return &a->panes[i];
	return NULL;
}

/* ---- the jobs -------------------------------------------------------------- */

static enum job_outcome dj_work(struct job *j, void *arg)
{
	struct dlg_job *x = arg;
	struct plan_box *b = x->box;
	(void)j;
	wz_err_clear(&x->err);
	x->st = WZ_OK;
	if (!x->execute || x->files_only) {
		pub_plan_free(&b->plan);
		b->po.files_only = x->files_only;
		x->st = pub_plan_build(b->inv, &b->po, &b->plan, &x->err);
		if (x->st != WZ_OK)
			return JOB_ERROR;
	}
	if (!x->execute) {
		x->summary = plan_text(b->plan, false);
		x->full = plan_text(b->plan, true);
		return JOB_OK;
	}
	for (size_t i = 0; i < b->plan->nfiles; i++)
		x->written += b->plan->files[i].act != PF_SAME;
	x->st = pub_execute(b->plan, &x->err);
	return x->st == WZ_OK ? JOB_OK : JOB_ERROR;
}

static void dj_apply(void *arg, enum job_outcome out)
{
	struct dlg_job *x = arg;
	struct app *a = x->a;
	struct dlg *d = D(a);
	if (!d || d->gen != x->gen)
		return;
	d->box = x->box;
	x->box = NULL;
	if (!x->execute) {
		if (out != JOB_OK) {
			d->phase = DP_FAILED;
			d->error = xasprintf("looking up what was already published failed: %s; w still writes the files",
					     x->err.msg);
			return;
		}
		d->phase = DP_READY;
		free(d->summary);
		free(d->full);
		d->summary = x->summary;
		d->full = x->full;
		x->summary = x->full = NULL;
		d->gh_grey = d->box->plan->gh_skip != NULL;
		app_trace(a, "job-", "publish plan done");
		return;
	}
	d->phase = DP_DONE;
	{
		const struct pub_plan *p = d->box->plan;
		int written = x->written;
		if (out == JOB_OK)
			snprintf(d->result, sizeof d->result, "Published: %d file%s written, %d GitHub call%s%s%.160s",
				 written, written == 1 ? "" : "s", p->posted, p->posted == 1 ? "" : "s",
				 p->gh_skip ? "; GitHub " : "", p->gh_skip ? p->gh_skip : "");
		else
			snprintf(d->result, sizeof d->result, "Publishing stopped: %.240s", x->err.msg);
	}
	app_trace(a, "job-", "publish %s", out == JOB_OK ? "done" : "failed");
}

static void dj_release(void *arg)
{
	struct dlg_job *x = arg;
	struct pane *lp = learn_pane(x->a);
	box_free(&x->box);
	free(x->summary);
	free(x->full);
	/* the journal is the pane's again; its states may have changed */
	if (lp) {
		lrn_set_busy(lp, false);
		lrn_refresh(lp);
	}
	free(x);
}

static void start_job(struct app *a, bool execute, bool files_only)
{
	struct dlg *d = D(a);
	struct dlg_job *x = xcalloc(1, sizeof *x);
	struct job_spec js = {0};
	x->a = a;
	x->gen = d->gen;
	x->box = d->box;
	x->execute = execute;
	x->files_only = files_only;
	d->box = NULL;
	d->phase = execute ? DP_RUNNING : DP_PLANNING;
	if (d->lp)
		lrn_set_busy(d->lp, true);
	js.label = execute ? (files_only ? "writing wisdom files" : "publishing") : "publish plan";
	js.owner = DLG_OWNER;
	js.work = dj_work;
	js.apply = dj_apply;
	js.release = dj_release;
	js.arg = x;
	app_trace(a, "job+", "%s", js.label);
	if (!job_submit(&js)) {
		d->phase = DP_FAILED;
		free(d->error);
		d->error = xstrdup("no worker threads to build the plan");
	}
}

/* ---- open, keys, close ---------------------------------------------------------- */

void dialog_publish_open(struct app *a)
{
	struct dlg *d;
	struct pane *lp = learn_pane(a);
	char why[300] = "";
	struct investigation *inv;
	if (a->dialog)
		return;
	inv = lp ? lrn_inv(lp, why, sizeof why) : NULL;
	if (!inv) {
		app_message(a, true, "%s", why[0] ? why : "no Learnings pane");
		return;
	}
	d = xcalloc(1, sizeof *d);
	a->dialog = d;
	d->lp = lp;
	d->gen = 1;
	snprintf(d->run_id, sizeof d->run_id, "%s", inv->run->id ? inv->run->id : "?");
	d->box = xcalloc(1, sizeof *d->box);
	d->box->inv = inv;
	d->box->offline = a->d.offline;
	{
		struct wz_err warn;
		d->box->rd = secrets_redactor(a->o ? a->o->config : NULL, &warn);
		if (warn.code != WZ_OK)
			app_message(a, true, "%s (other redaction rules still apply)", warn.msg);
	}
	d->box->po.now = a->d.now;
	d->box->po.rd = d->box->rd;
	d->box->po.get = offline_get;
	d->box->po.get_ctx = d->box;
	if (inv->jr->read_only) {
		d->phase = DP_FAILED;
		d->error = xstrdup("read-only (RO): another wisdom holds the journal; close it to publish");
		return;
	}
	start_job(a, false, false);
}

void dialog_close(struct app *a)
{
	struct dlg *d = D(a);
	if (!d)
		return;
	if (d->phase == DP_PLANNING)
		job_cancel_owner(DLG_OWNER);   /* its release frees the plan */
	box_free(&d->box);
	free(d->summary);
	free(d->full);
	free(d->error);
	free(d);
	a->dialog = NULL;
}

static void save_plan(struct app *a, struct dlg *d)
{
	char *path = fio_join(d->box->inv->run->path, "wisdom/.publish-plan.txt");
	struct wz_err err;
	wz_err_clear(&err);
	if (fio_write_atomic(path, d->full, strlen(d->full), &err) != WZ_OK)
		app_message(a, true, "%s", err.msg);
	else {
		app_message(a, false, "Saved the plan (diffs, every request) to wisdom/.publish-plan.txt");
		app_trace(a, "write", "%s", path);
	}
	free(path);
}

bool dialog_action(struct app *a, enum km_action act)
{
	struct dlg *d = D(a);
	long page = a->rows > 8 ? a->rows - 8 : 1;
	switch (act) {
	case ACT_DIALOG_CANCEL:
		if (d->phase == DP_RUNNING) {
			app_message(a, true, "Publishing is under way; it stops safely only when done");
			return true;
		}
		app_message(a, false, d->phase == DP_DONE ? "%s" : "Publish cancelled; nothing written or sent",
			    d->phase == DP_DONE ? d->result : "");
		dialog_close(a);
		return true;
	case ACT_MOVE_DOWN: d->view.top++; return true;
	case ACT_MOVE_UP: if (d->view.top) d->view.top--; return true;
	case ACT_MOVE_PAGE_DOWN: case ACT_MOVE_HALF_DOWN: d->view.top += (size_t)page; return true;
	case ACT_MOVE_PAGE_UP: case ACT_MOVE_HALF_UP:
		d->view.top = d->view.top > (size_t)page ? d->view.top - (size_t)page : 0;
		return true;
	case ACT_MOVE_FIRST: d->view.top = 0; return true;
	case ACT_MOVE_LAST: d->view.top = (size_t)-1 / 2; return true;
	case ACT_DIFF:
		if (d->phase == DP_READY) {
			d->show_full = !d->show_full;
			d->view.top = 0;
		}
		return true;
	case ACT_PUBLISH_SAVE_PLAN:
		if (d->phase == DP_READY)
			save_plan(a, d);
		return true;
	case ACT_PUBLISH_CONFIRM:
		if (d->phase != DP_READY) {
			app_message(a, true, "No plan to carry out%s", d->phase == DP_FAILED ? "; w writes the files only" : "");
			return true;
		}
		d->gen++;
		start_job(a, true, false);
		return true;
	case ACT_PUBLISH_FILES_ONLY:
		if ((d->phase != DP_READY && d->phase != DP_FAILED) || !d->box) {
			app_message(a, true, "Nothing to write now");
			return true;
		}
		if (d->box->inv->jr->read_only) {
			app_message(a, true, "read-only (RO): another wisdom holds the journal");
			return true;
		}
		d->gen++;
		start_job(a, true, true);
		return true;
	case ACT_QUIT: case ACT_REDRAW: case ACT_SUSPEND:
		return false;
	default:
		return true;   /* nothing else acts behind the dialog */
	}
}

/* ---- painting ---------------------------------------------------------------------- */

static void put_line(struct app *a, int y, int x, int w, int role, const char *text, size_t n)
{
	struct ui_row r = {0};
	const char *v = ui_is_ascii() ? "|" : "\xe2\x94\x82";
	row_put(&r, ROLE_DIALOG, v);
	row_put(&r, ROLE_DIALOG, " ");
	row_put_untrusted_cols(&r, role, ROLE_ESCAPE, text, n, w - 4);
	row_put(&r, ROLE_DIALOG, " ");
	row_put(&r, ROLE_DIALOG, v);
	scr_paint_row(a->theme, &r, y, x, w, 0, -1, ROLE_DIALOG, NULL);
	row_free(&r);
}

static void edge(struct app *a, int y, int x, int w, bool top, const char *title)
{
	struct ui_row r = {0};
	bool asc = ui_is_ascii();
	int used;
	row_put(&r, ROLE_DIALOG, asc ? "+" : (top ? "\xe2\x94\x8c" : "\xe2\x94\x94"));
	if (title) {
		row_put(&r, ROLE_DIALOG, " ");
		row_put_untrusted(&r, ROLE_DIALOG, ROLE_ESCAPE, title, strlen(title), 8);
		row_put(&r, ROLE_DIALOG, " ");
	}
	used = r.width;
	while (used < w - 1) {
		row_put(&r, ROLE_DIALOG, ui_glyph(G_HLINE));
		used++;
	}
	row_put(&r, ROLE_DIALOG, asc ? "+" : (top ? "\xe2\x94\x90" : "\xe2\x94\x98"));
	scr_paint_row(a->theme, &r, y, x, w, 0, -1, ROLE_DIALOG, NULL);
	row_free(&r);
}

void dialog_paint(struct app *a)
{
	struct dlg *d = D(a);
	int w, h, x, y, body, k = 0;
	char title[200];
	const char *text, *foot;
	size_t nl = 0;
	if (!d)
		return;
	w = a->cols - 4 < 72 ? a->cols - 4 : 72;
	if (d->show_full && a->cols - 4 > w)
		w = a->cols - 4 < 110 ? a->cols - 4 : 110;
	if (w < 20)
		return;
	snprintf(title, sizeof title, "Publish %s %s %s", d->run_id, ui_glyph(G_MIDDOT),
		 d->phase == DP_DONE ? "done" : d->phase == DP_RUNNING ? "publishing" : "preview, nothing sent");
	switch (d->phase) {
	case DP_PLANNING: text = "building the plan (files, diffs, existing issues by marker)..."; break;
	case DP_FAILED: text = d->error ? d->error : "no plan"; break;
	case DP_RUNNING: text = "writing files (temp, fsync, rename), then GitHub calls one at a time..."; break;
	case DP_DONE: text = d->result; break;
	default: text = d->show_full ? d->full : d->summary; break;
	}
	/* skip the print's own first line (the title says it) */
	if (d->phase == DP_READY && strchr(text, '\n'))
		text = strchr(text, '\n') + 1;
	for (const char *s = text; *s; s++)
		nl += *s == '\n' && s[1];
	nl += 1;
	foot = d->phase == DP_READY ? "y publish  w files only  s save plan  d diff  Esc cancel"
	       : d->phase == DP_FAILED ? "w files only  Esc cancel"
	       : d->phase == DP_DONE ? "Esc close" : "Esc cancel";
	body = (int)nl;
	if (body > a->rows - 6)
		body = a->rows - 6;
	if (body < 1)
		body = 1;
	h = body + 3;
	x = (a->cols - w) / 2;
	y = (a->rows - h) / 2;
	if (y < 1)
		y = 1;
	if (d->view.top + (size_t)body > nl)
		d->view.top = nl > (size_t)body ? nl - (size_t)body : 0;
	edge(a, y, x, w, true, title);
	{
		const char *s = text;
		size_t ln = 0;
		bool grey = false;
		while (k < body) {
			const char *e = s ? strchr(s, '\n') : NULL;
			size_t n = s ? (e ? (size_t)(e - s) : strlen(s)) : 0;
			int role = ROLE_DIALOG;
			if (s && d->gh_grey && !d->show_full && n >= 6 && !strncmp(s, "GitHub", 6))
				grey = true;
			if (grey)
				role = ROLE_DIM;
			if (d->phase == DP_FAILED)
				role = ROLE_DIALOG_DANGER;
			if (ln >= d->view.top) {
				put_line(a, y + 1 + k, x, w, role, s ? s : "", n);
				k++;
			}
			ln++;
			s = e ? e + 1 : NULL;
		}
	}
	put_line(a, y + 1 + body, x, w, ROLE_HINT, foot, strlen(foot));
	edge(a, y + 2 + body, x, w, false, NULL);
}
