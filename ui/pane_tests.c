/* pane_tests.c - the Tests pane (ui.md §1.1, §3.3): REGRESSIONS (NEW,
 * PERSIST, CUR, INFRA), FLAKY (and SLOW), GAPS (SKIP); sorted by section,
 * severity, class, name. Enter drills into a test: its failing output,
 * then a blame of the suspect lines (the focus frame ± blame-context,
 * bounded by the run's base) that runs as a job and fills in when done.
 * Enter on a blamed line shows its commit.
 *
 * The analysis (analysis/tests_analysis.h) runs as a job on load, on a
 * private copy of the run's JSON side, so a reload never frees what a
 * worker reads.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/tests_analysis.h"
#include "jobs.h"
#include "sources/runs.h"
#include "ui/pane.h"
#include "ui/pane_tests_int.h"
#include "ui/theme.h"
#include "util/xalloc.h"

/* ---- jobs ---------------------------------------------------------------- */

struct an_job {
	struct tests_st *s;
	char *run_path, *repo;
	struct ta_result *out;
};

static enum job_outcome an_work(struct job *j, void *arg)
{
	struct an_job *a = arg;
	struct wz_err err;
	struct run *r = runs_load(a->run_path, NULL);
	struct ta_opts o = {0};
	(void)j;
	o.repo = a->repo;
	wz_err_clear(&err);
	ta_run(r, &o, &a->out, &err);
	run_free(&r);
	return a->out ? JOB_OK : JOB_ERROR;
}

static void an_apply(void *arg, enum job_outcome out)
{
	struct an_job *a = arg;
	struct tests_st *s = a->s;
	s->running = false;
	if (out != JOB_OK || !a->out) {
		free(s->error);
		s->error = xstrdup("the tests analysis failed");
		return;
	}
	ta_result_free(&s->ta);
	s->ta = a->out;
	a->out = NULL;
	free(s->order);
	s->norder = s->ta->reg->n;
	s->order = xcalloc(s->norder + 1, sizeof *s->order);
	for (size_t i = 0; i < s->norder; i++)
		s->order[i] = i;
	tests_sort_findings = s->ta->reg;
	qsort(s->order, s->norder, sizeof *s->order, tests_cmp_find);
}

static void an_release(void *arg)
{
	struct an_job *a = arg;
	ta_result_free(&a->out);
	free(a->run_path);
	free(a->repo);
	free(a);
}

struct bl_job {
	struct tests_st *s;
	unsigned long gen;
	char *repo_dir, *path;
	struct git_range range;
	long start, end;
	char rev[CHG_SHA_LEN + 1];
	struct ta_blame out;
	enum wz_status st;
	struct wz_err err;
};

static enum job_outcome bl_work(struct job *j, void *arg)
{
	struct bl_job *b = arg;
	job_set_total(j, 1);
	wz_err_clear(&b->err);
	b->st = ta_blame_lines(b->repo_dir, &b->range, b->rev[0] ? b->rev : NULL, b->path, b->start, b->end, &b->out,
			       &b->err);
	job_progress(j, 1);
	return JOB_OK;
}

static void bl_apply(void *arg, enum job_outcome out)
{
	struct bl_job *b = arg;
	struct tests_st *s = b->s;
	(void)out;
	if (b->gen != s->gen)
		return;
	s->blame_running = false;
	s->blame_done = true;
	if (b->st != WZ_OK) {
		s->blame_err = xstrdup(b->err.msg);
		return;
	}
	ta_blame_clear(&s->blame);
	s->blame = b->out;
	memset(&b->out, 0, sizeof b->out);
}

static void bl_release(void *arg)
{
	struct bl_job *b = arg;
	ta_blame_clear(&b->out);
	free(b->repo_dir);
	free(b->path);
	free(b);
}

/* ---- list ------------------------------------------------------------------ */

static void start_blame(struct pane *p, struct tests_st *s)
{
	const struct ta_result *t = s->ta;
	if (!s->path || !t->repo_dir || !t->has_range) {
		s->blame_done = true;
		s->blame_err = xstrdup(t->blame_unavailable ? t->blame_unavailable : "no commit range for this run");
		return;
	}
	struct bl_job *b = xcalloc(1, sizeof *b);
	b->s = s;
	b->gen = s->gen;
	b->repo_dir = xstrdup(t->repo_dir);
	b->path = xstrdup(s->path);
	b->range = t->range;
	b->range.how = NULL;
	b->start = s->start;
	b->end = s->end;
	memcpy(b->rev, s->rev, sizeof b->rev);
	struct job_spec js = {0};
	js.label = "blame";
	js.owner = p->index;
	js.total = 1;
	js.work = bl_work;
	js.apply = bl_apply;
	js.release = bl_release;
	js.arg = b;
	s->blame_running = true;
	if (!job_submit(&js)) {
		/* no pool (e.g. unit tests): run it here, bounded to the shown range */
		s->blame_running = false;
		s->blame_done = true;
		struct wz_err err;
		wz_err_clear(&err);
		if (ta_blame_lines(t->repo_dir, &t->range, NULL, s->path, s->start, s->end, &s->blame, &err) != WZ_OK)
			s->blame_err = xstrdup(err.msg);
	}
}

static void drill_clear(struct tests_st *s)
{
	s->gen++;
	free(s->path);
	s->path = NULL;
	ta_blame_clear(&s->blame);
	free(s->blame_err);
	s->blame_err = NULL;
	s->blame_done = s->blame_running = false;
	chg_commit_free(&s->commit);
	free(s->commit_err);
	s->commit_err = NULL;
	s->rev[0] = '\0';
}

static void tests_init(struct pane *p)
{
	p->st = xcalloc(1, sizeof(struct tests_st));
}

static void tests_load(struct pane *p, const struct ui_data *d)
{
	struct tests_st *s = p->st;
	job_cancel_owner(p->index);
	drill_clear(s);
	p->depth = 0;
	free(s->error);
	s->error = NULL;
	if (!d->run || !d->run->path)
		return;
	struct an_job *a = xcalloc(1, sizeof *a);
	a->s = s;
	a->run_path = xstrdup(d->run->path);
	a->repo = d->run->repo_root ? xstrdup(d->run->repo_root) : NULL;
	struct job_spec js = {0};
	js.label = "tests analysis";
	js.owner = p->index;
	js.work = an_work;
	js.apply = an_apply;
	js.release = an_release;
	js.arg = a;
	s->running = true;
	if (!job_submit(&js)) {
		/* no worker pool (the spec's arg is released already): analyse here */
		struct an_job b = { s, d->run->path, d->run->repo_root, NULL };
		an_apply(&b, an_work(NULL, &b));
		ta_result_free(&b.out);
	}
}

static void tests_build(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	struct tests_st *s = p->st;
	if (p->depth == 0 || !s->ta)
		tests_rows_list(s, d, cols, f);
	else if (p->depth == 1)
		tests_rows_detail(s, d, f);
	else
		tests_rows_commit(s, f);
}

static bool tests_enter(struct pane *p, const struct ui_data *d, const struct ui_row *row)
{
	struct tests_st *s = p->st;
	(void)d;
	if (!s->ta || row->key < 0)
		return false;
	if (p->depth == 0) {
		if ((size_t)row->key >= s->ta->reg->n)
			return false;
		drill_clear(s);
		s->sel = row->key;
		const struct reg_finding *x = &s->ta->reg->v[s->sel];
		ta_focus(s->ta, x->test_id, TA_BLAME_CONTEXT, &s->path, &s->line, &s->start, &s->end);
		p->depth = 1;
		memset(&p->view[1], 0, sizeof p->view[1]);
		start_blame(p, s);
		return true;
	}
	if (p->depth == 1 && s->blame.set && s->blame.set->n == 1) {
		const struct blame_span *sp = &s->blame.set->v[0];
		for (size_t i = 0; i < sp->nlines; i++)
			if (sp->lines[i].line == row->key) {
				struct wz_err err;
				chg_commit_free(&s->commit);
				free(s->commit_err);
				s->commit_err = NULL;
				wz_err_clear(&err);
				if (ta_show_commit(s->ta->repo_dir, sp->lines[i].sha, &s->commit, &err) != WZ_OK)
					s->commit_err = xstrdup(err.msg);
				p->depth = 2;
				memset(&p->view[2], 0, sizeof p->view[2]);
				return true;
			}
	}
	return false;
}

static bool tests_back(struct pane *p)
{
	struct tests_st *s = p->st;
	if (p->depth == 0)
		return false;
	if (p->depth == 2) {
		chg_commit_free(&s->commit);
		p->depth = 1;
		return true;
	}
	job_cancel_owner(p->index);
	drill_clear(s);
	p->depth = 0;
	return true;
}

/* ---- own keys: b re-blames at the parent, o/e open in $PAGER/$EDITOR ---- */

/* The blamed line under the cursor at depth 1, or NULL. */
static const struct blame_line *cursor_line(struct tests_st *s, const struct pane_view *v, const struct ui_data *d,
					     struct pane *p)
{
	struct pane_frame f;
	const struct blame_line *bl = NULL;
	if (p->depth != 1 || !s->blame.set || s->blame.set->n != 1)
		return NULL;
	memset(&f, 0, sizeof f);
	tests_rows_detail(s, d, &f);
	if (v->cursor < f.body.n && f.body.v[v->cursor].key > 0) {
		const struct blame_span *sp = &s->blame.set->v[0];
		for (size_t i = 0; i < sp->nlines; i++)
			if (sp->lines[i].line == f.body.v[v->cursor].key)
				bl = &sp->lines[i];
	}
	pane_frame_free(&f);
	return bl;
}

static void open_cmd(struct pane_req *req, bool editor, const char *path, const char *shown, long line)
{
	const char *e = editor ? getenv("VISUAL") : getenv("PAGER");
	if (editor && (!e || !*e))
		e = getenv("EDITOR");
	if (!e || !*e)
		e = editor ? "vi" : "less";
	req->exec = line > 0 ? xasprintf("%s +%ld \"$1\"", e, line) : xasprintf("%s \"$1\"", e);
	req->exec_arg = xstrdup(path);
	snprintf(req->msg, sizeof req->msg, "%s %.200s:%ld", editor ? "$EDITOR" : "$PAGER", shown, line);
}

static bool tests_action(struct pane *p, const struct ui_data *d, enum km_action act, struct pane_view *v,
			 struct pane_req *req)
{
	struct tests_st *s = p->st;
	const struct blame_line *bl;
	struct wz_err err;
	if (!s->ta || (act != ACT_BLAME_PARENT && act != ACT_OPEN_PAGER && act != ACT_OPEN_EDITOR))
		return false;
	if (act == ACT_BLAME_PARENT) {
		char parent[CHG_SHA_LEN + 1], child[CHG_SHA_LEN + 1];
		if (p->depth != 1 || !(bl = cursor_line(s, v, d, p)) || bl->pre_existing) {
			snprintf(req->msg, sizeof req->msg, "b: move to a blamed line first (lines before the base stay)");
			return true;
		}
		/* the line goes with the old blame below: keep its commit */
		snprintf(child, sizeof child, "%s", bl->sha);
		wz_err_clear(&err);
		if (ta_parent_of(s->ta->repo_dir, child, parent, &err) != WZ_OK) {
			snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
			req->msg_error = true;
			return true;
		}
		ta_blame_clear(&s->blame);
		free(s->blame_err);
		s->blame_err = NULL;
		s->blame_done = false;
		s->gen++;
		memcpy(s->rev, parent, sizeof s->rev);
		start_blame(p, s);
		snprintf(req->msg, sizeof req->msg, "re-blaming at %.7s, the parent of %.7s", parent, child);
		return true;
	}
	if (p->depth == 1 && act == ACT_OPEN_EDITOR && s->path && s->ta->repo_dir) {
		char *full = xasprintf("%s/%s", s->ta->repo_dir, s->path);
		bl = cursor_line(s, v, d, p);
		open_cmd(req, true, full, s->path, bl ? bl->line : s->line);
		free(full);
		return true;
	}
	if (p->depth <= 1) {
		/* the failing output: the test's report at its line */
		const struct tr_report *rep = NULL;
		const struct tr_case *c;
		long k = p->depth == 1 ? s->sel : -1;
		if (p->depth == 0) {
			struct pane_frame f;
			memset(&f, 0, sizeof f);
			tests_rows_list(s, d, 80, &f);
			if (v->cursor < f.body.n)
				k = f.body.v[v->cursor].key;
			pane_frame_free(&f);
		}
		if (k < 0 || (size_t)k >= s->ta->reg->n ||
		    !(c = ta_case(s->ta, s->ta->reg->v[k].test_id, &rep)) || !rep) {
			snprintf(req->msg, sizeof req->msg, "no report file for this row");
			return true;
		}
		{
			const char *shown = rep->path;
			size_t pl = strlen(s->ta->hist->cur.path);
			if (strncmp(shown, s->ta->hist->cur.path, pl) == 0 && shown[pl] == '/')
				shown += pl + 1;
			open_cmd(req, act == ACT_OPEN_EDITOR, rep->path, shown, c->src_line);
		}
		return true;
	}
	return false;
}

static void tests_exec_done(struct pane *p, const struct ui_data *d, int tag, int status, struct pane_req *req)
{
	(void)p; (void)d; (void)tag;
	if (status < 0)
		snprintf(req->msg + strlen(req->msg), sizeof req->msg - strlen(req->msg), " (script mode: traced, not run)");
	else if (status != 0)
		snprintf(req->msg, sizeof req->msg, "the command exited with %d", status);
}

static int tests_tab_glyph(struct pane *p, const struct ui_data *d)
{
	struct tests_st *s = p->st;
	(void)d;
	if (!s->ta)
		return s->running ? G_LOADING : s->error ? G_FAIL : -1;
	if (s->ta->regressions)
		return G_CRIT;
	if (s->ta->persistent + s->ta->current + s->ta->flaky + s->ta->durations)
		return G_WARN;
	return -1;
}

static void tests_free(struct pane *p)
{
	struct tests_st *s = p->st;
	if (!s)
		return;
	drill_clear(s);
	ta_result_free(&s->ta);
	free(s->order);
	free(s->error);
	free(s);
	p->st = NULL;
}

const struct pane_ops pane_tests_list_ops = {
	.name = "tests", .title = "Tests", .tab = "Tests", .ctx = KC_TESTS,
	.init = tests_init, .load = tests_load, .build = tests_build, .enter = tests_enter,
	.back = tests_back, .tab_glyph = tests_tab_glyph, .free = tests_free,
	.action = tests_action, .exec_done = tests_exec_done,
};
