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
#include "ui/theme.h"
#include "util/xalloc.h"

struct tests_st {
	struct ta_result *ta;       /* NULL until the analysis job is applied */
	bool running;               /* analysis job queued or running */
	char *error;
	size_t *order;              /* indices into ta->reg->v, sorted */
	size_t norder;
	/* drill-down */
	long sel;                   /* finding index */
	char *path;                 /* focus file */
	long line, start, end;
	struct ta_blame blame;
	bool blame_done, blame_running;
	char *blame_err;
	struct chg_commit *commit;  /* depth 2 */
	char *commit_err;
	char rev[CHG_SHA_LEN + 1];  /* b: blame at this commit ("" the range head) */
	unsigned long gen;          /* bumps on every drill-down change */
};

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

static int cmp_find(const void *pa, const void *pb);
static const struct reg_result *sort_res;

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
	sort_res = s->ta->reg;
	qsort(s->order, s->norder, sizeof *s->order, cmp_find);
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

static int section(enum reg_class c)
{
	return c == REG_FLAKY || c == REG_DURATION ? 1 : 0;
}

static int cmp_find(const void *pa, const void *pb)
{
	const struct reg_finding *x = &sort_res->v[*(const size_t *)pa], *y = &sort_res->v[*(const size_t *)pb];
	if (section(x->cls) != section(y->cls))
		return section(x->cls) - section(y->cls);
	if (x->severity != y->severity)
		return (int)x->severity - (int)y->severity;
	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	int c = strcmp(x->test_id, y->test_id);
	return c ? c : (*(const size_t *)pa > *(const size_t *)pb) - (*(const size_t *)pa < *(const size_t *)pb);
}

static const char *short_class(enum reg_class c)
{
	switch (c) {
	case REG_REGRESSION: return "NEW";
	case REG_PERSISTENT: return "PERSIST";
	case REG_CURRENT_FAILURE: return "CUR";
	case REG_INFRA: return "INFRA";
	case REG_FLAKY: return "FLAKY";
	case REG_DURATION: return "SLOW";
	default: return "?";
	}
}

static const char *short_sev(enum reg_severity s)
{
	static const char *const w[] = { "CRIT", "MAJ", "MIN", "INFO" };
	return (unsigned)s <= REG_INFO ? w[s] : "?";
}

static int sev_role(enum reg_severity s)
{
	static const int r[] = { ROLE_SEV_CRITICAL, ROLE_SEV_MAJOR, ROLE_SEV_MINOR, ROLE_SEV_INFO };
	return (unsigned)s <= REG_INFO ? r[s] : ROLE_DEFAULT;
}

static void age(double t, double now, char *out, size_t n)
{
	if (isnan(t) || isnan(now) || now < t)
		snprintf(out, n, "-");
	else if (now - t < 86400)
		snprintf(out, n, "%.0fh", floor((now - t) / 3600));
	else
		snprintf(out, n, "%.0fd", floor((now - t) / 86400));
}

static void heading(struct pane_frame *f, const char *name)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	row_printf(row, ROLE_HEADER, "%s%s %s", ui_glyph(G_HLINE), ui_glyph(G_HLINE), name);
}

static struct ui_row *note(struct pane_frame *f, int role, const char *text)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	row_put(row, role, text);
	return row;
}

static void build_list(struct tests_st *s, const struct ui_data *d, int cols, struct pane_frame *f)
{
	const struct ta_result *t = s->ta;
	char buf[256];
	pane_title_start(&f->title, "Tests");
	if (!t) {
		pane_title_part(&f->title, ROLE_DIM, s->error ? "failed" : "analysing");
		if (s->error)
			note(f, ROLE_MESSAGE_ERROR, s->error);
		else
			row_printf(note(f, ROLE_DIM, ""), ROLE_DIM, "%s reading test history and blaming suspect lines",
				   ui_glyph(G_JOB));
		return;
	}
	size_t skips = 0;
	for (size_t k = 0; k < t->hist->cur.nreports; k++)
		for (size_t i = 0; i < t->hist->cur.reports[k]->ncases; i++)
			skips += t->hist->cur.reports[k]->cases[i].kind == TR_K_TEST &&
				 t->hist->cur.reports[k]->cases[i].status == TR_SKIP;
	snprintf(buf, sizeof buf, "%zu regressions %s %zu flaky %s %zu gaps", t->regressions + t->persistent + t->current,
		 ui_glyph(G_MIDDOT), t->flaky, ui_glyph(G_MIDDOT), skips);
	pane_title_part(&f->title, t->regressions ? ROLE_SEV_CRITICAL : ROLE_TITLE, buf);
	pane_title_part(&f->title, ROLE_TITLE, "sort: section, severity");
	int w = cols - 1, wsev = 5, wcls = 8, wwhere = w >= 70 ? 21 : 0, wsus = w >= 60 ? 8 : 0, wage = w >= 60 ? 4 : 0;
	int wtest = w - wsev - wcls - wwhere - wsus - wage;
	if (wtest < 12)
		wtest = 12;
	row_put_cols(&f->header, ROLE_HEADER, "SEV", wsev, false);
	row_put_cols(&f->header, ROLE_HEADER, "CLASS", wcls, false);
	row_put_cols(&f->header, ROLE_HEADER, "TEST / FILE", wtest, false);
	if (wwhere)
		row_put_cols(&f->header, ROLE_HEADER, "WHERE", wwhere, false);
	if (wsus)
		row_put_cols(&f->header, ROLE_HEADER, "SUSPECT", wsus, false);
	if (wage)
		row_put(&f->header, ROLE_HEADER, "AGE");
	int last = -1;
	for (size_t i = 0; i < s->norder; i++) {
		const struct reg_finding *x = &t->reg->v[s->order[i]];
		if (section(x->cls) != last) {
			last = section(x->cls);
			heading(f, last ? "FLAKY" : "REGRESSIONS");
		}
		struct ui_row *row = rows_add(&f->body);
		row->key = (int)s->order[i];
		row_put_cols(row, sev_role(x->severity), short_sev(x->severity), wsev, false);
		row_put_cols(row, x->cls == REG_REGRESSION ? ROLE_SEV_CRITICAL : ROLE_DEFAULT, short_class(x->cls), wcls, false);
		if (x->cls == REG_FLAKY) {
			int fails = (int)lround(x->fail_rate * (double)x->nobs);
			snprintf(buf, sizeof buf, " %d/%zu", fails, x->nobs);
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, x->test_id, strlen(x->test_id),
					       wtest - (int)strlen(buf) - 1);
			row_put_cols(row, ROLE_DEFAULT, buf, (int)strlen(buf) + 1, false);
		} else
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, x->test_id, strlen(x->test_id), wtest);
		if (wwhere) {
			char *path = NULL;
			long ln, a, b;
			if (x->cls != REG_FLAKY && ta_focus(t, x->test_id, 0, &path, &ln, &a, &b)) {
				char *wh = xasprintf("%s:%ld", path, ln);
				row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, wh, strlen(wh), wwhere - 1);
				row_put(row, ROLE_DEFAULT, " ");
				free(wh);
			} else
				row_put_cols(row, ROLE_DIM, "-", wwhere, false);
			free(path);
		}
		const struct reg_suspect *sp = x->nsuspects && x->attribution != REG_NONE ? &x->suspects[0] : NULL;
		if (wsus) {
			snprintf(buf, sizeof buf, "%.7s", sp ? sp->sha : "-");
			row_put_cols(row, sp ? ROLE_BLAME_SHA : ROLE_DIM, buf, wsus, false);
		}
		if (wage) {
			age(sp ? sp->time : NAN, d->now, buf, sizeof buf);
			row_put(row, ROLE_DEFAULT, buf);
		}
	}
	heading(f, "GAPS");
	size_t shown = 0;
	for (size_t k = 0; k < t->hist->cur.nreports; k++)
		for (size_t i = 0; i < t->hist->cur.reports[k]->ncases; i++) {
			const struct tr_case *c = &t->hist->cur.reports[k]->cases[i];
			if (c->kind != TR_K_TEST || c->status != TR_SKIP || !c->id)
				continue;
			struct ui_row *row = rows_add(&f->body);
			row->key = -1;
			row->selectable = false;
			row_put_cols(row, ROLE_SEV_MINOR, "MIN", wsev, false);
			row_put_cols(row, ROLE_DEFAULT, "SKIP", wcls, false);
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, c->id, strlen(c->id), wtest);
			shown++;
		}
	if (!shown)
		note(f, ROLE_DIM, "  no skipped tests; coverage gaps (UNC, LBC) are in wisdom analyze");
	if (s->norder == 0) {
		const struct test_counts *tc = d->run && d->run->ntests ? &d->run->tests[0] : NULL;
		if (t->hist->cur.nreports)
			snprintf(buf, sizeof buf, "  %zu failing tests %s %zu executed in %zu per-test report%s",
				 t->hist->cur.failed, "\xe2\x80\x94", t->hist->cur.executed, t->hist->cur.nreports,
				 t->hist->cur.nreports == 1 ? "" : "s");
		else if (tc && tc->passed.has)
			snprintf(buf, sizeof buf, "  %.0f failing tests %s %.120s: %.0f passed (no per-test report)",
				 tc->failed.has ? tc->failed.v : 0.0, "\xe2\x80\x94", tc->src.path ? tc->src.path : "?",
				 tc->passed.v);
		else
			snprintf(buf, sizeof buf, "  no test results in this run (no per-test report, no counts)");
		note(f, ROLE_OK, buf);
	}
	if (t->blame_unavailable) {
		/* the reason's first clause; the full text (with paths) is in wisdom analyze */
		const char *why = t->blame_unavailable;
		size_t n = strncmp(why, "not a git repository", 20) == 0 ? 20 : strlen(why);
		struct ui_row *row = note(f, ROLE_WARN, "  blame unavailable: ");
		row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, why, n, 8);
	}
	snprintf(f->hint, sizeof f->hint, "Enter output+blame  / search  ? help  q quit");
}

/* ---- drill-down ------------------------------------------------------------ */

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

static void put_lines(struct pane_frame *f, const char *text, int max)
{
	int n = 0;
	while (text && *text && n < max) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		row->key = -1;
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, text, len, 8);
		text = nl ? nl + 1 : NULL;
		n++;
	}
}

static void build_detail(struct tests_st *s, const struct ui_data *d, struct pane_frame *f)
{
	const struct ta_result *t = s->ta;
	const struct reg_finding *x = &t->reg->v[s->sel];
	const struct tr_report *rep = NULL;
	const struct tr_case *c = ta_case(t, x->test_id, &rep);
	char buf[256];
	(void)d;
	pane_title_start(&f->title, "Tests ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, x->test_id, strlen(x->test_id), 8);
	snprintf(buf, sizeof buf, "%s %s %s", short_class(x->cls), ui_glyph(G_MIDDOT), short_sev(x->severity));
	pane_title_part(&f->title, sev_role(x->severity), buf);
	pane_title_part(&f->title, ROLE_TITLE,
			s->blame_running ? "blame 0%" : s->blame_done && !s->blame_err ? "blame 100%" : "blame -");
	if (s->rev[0]) {
		snprintf(buf, sizeof buf, "at %.7s (b: parent)", s->rev);
		pane_title_part(&f->title, ROLE_BLAME_SHA, buf);
	}
	struct ui_row *row = note(f, ROLE_HEADER, "Failing output");
	if (c && rep) {
		const char *p = rep->path;
		size_t pl = strlen(t->hist->cur.path);
		if (strncmp(p, t->hist->cur.path, pl) == 0 && p[pl] == '/')
			p += pl + 1;
		snprintf(buf, sizeof buf, "   %.160s:%d", p, c->src_line);
		row_put(row, ROLE_DIM, buf);
	}
	if (c && (c->text || c->message))
		put_lines(f, c->text ? c->text : c->message, 12);
	else
		note(f, ROLE_DIM, x->cls == REG_FLAKY ? "  passes in this run" : "  no failure text");
	for (size_t i = 0; i < x->reasons.n; i++) {
		row = note(f, ROLE_DIM, "  ");
		row_put_untrusted(row, ROLE_DIM, ROLE_ESCAPE, x->reasons.v[i], strlen(x->reasons.v[i]), 8);
	}
	if (s->path) {
		snprintf(buf, sizeof buf, "Suspect lines  %.160s:%ld-%ld %s history since %.7s", s->path, s->start, s->end,
			 ui_glyph(G_MIDDOT), t->range.bound[0] ? t->range.bound : t->range.base);
		note(f, ROLE_HEADER, buf);
	}
	if (s->blame_running)
		row_printf(note(f, ROLE_DIM, "  "), ROLE_DIM, "%s blaming", ui_glyph(G_JOB));
	else if (s->blame_err) {
		row = note(f, ROLE_WARN, "  blame unavailable: ");
		row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, s->blame_err, strlen(s->blame_err), 8);
	} else if (s->blame.set && s->blame.set->n == 1) {
		const struct blame_span *sp = &s->blame.set->v[0];
		if (sp->error) {
			row = note(f, ROLE_WARN, "  ");
			row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, sp->error, strlen(sp->error), 8);
		}
		for (size_t i = 0; i < sp->nlines; i++) {
			const struct blame_line *bl = &sp->lines[i];
			char date[32] = "-";
			if (!isnan(bl->time))
				pane_fmt_time(bl->time, date, sizeof date);
			row = rows_add(&f->body);
			row->key = (int)bl->line;
			int role = bl->in_range ? ROLE_SUSPECT_LINE : ROLE_DEFAULT;
			snprintf(buf, sizeof buf, "%5ld ", bl->line);
			row_put(row, bl->line == s->line ? ROLE_SEV_CRITICAL : ROLE_DIM, buf);
			row_put(row, ROLE_DIM, ui_glyph(G_VLINE));
			if (bl->pre_existing) {
				/* blame stops at the base: the line is older, its author unknown here */
				snprintf(buf, sizeof buf, " ^%.6s ", bl->sha);
				row_put(row, ROLE_DIM, buf);
				row_put_cols(row, ROLE_DIM, "before base", 12, false);
			} else {
				snprintf(buf, sizeof buf, " %.7s ", bl->sha);
				row_put(row, ROLE_BLAME_SHA, buf);
				row_put_untrusted_cols(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, bl->author ? bl->author : "?",
						       strlen(bl->author ? bl->author : "?"), 12);
			}
			snprintf(buf, sizeof buf, " %.5s ", bl->pre_existing ? "     " : date);
			row_put(row, ROLE_BLAME_DATE, buf);
			row_put(row, ROLE_DIM, ui_glyph(G_VLINE));
			row_put(row, role, bl->in_range ? " in run " : "        ");
			size_t k = (size_t)(bl->line - sp->start);
			const char *tx = k < s->blame.ntext && s->blame.text[k] ? s->blame.text[k] : "";
			row_put_untrusted(row, role, ROLE_ESCAPE, tx, strlen(tx), 8);
		}
	}
	if (x->nsuspects && x->attribution != REG_NONE) {
		snprintf(buf, sizeof buf, "Suspects (attribution %s)", reg_confidence_name(x->attribution));
		note(f, ROLE_HEADER, buf);
		for (size_t i = 0; i < x->nsuspects && i < 3; i++) {
			const struct reg_suspect *sp = &x->suspects[i];
			if (!sp->score)
				break;
			char date[32] = "-";
			pane_fmt_time(sp->time, date, sizeof date);
			row = note(f, ROLE_DEFAULT, "  ");
			snprintf(buf, sizeof buf, "%.7s ", sp->sha);
			row_put(row, ROLE_BLAME_SHA, buf);
			row_put_untrusted(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, sp->author ? sp->author : "?",
					  strlen(sp->author ? sp->author : "?"), 8);
			snprintf(buf, sizeof buf, " %s score %d share %.2f %s ", date, sp->score, sp->share,
				 sp->in_run ? "in run" : "before run");
			row_put(row, ROLE_DEFAULT, buf);
			row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, sp->summary ? sp->summary : "",
					  strlen(sp->summary ? sp->summary : ""), 8);
			for (size_t k = 0; k < sp->npoints; k++) {
				row = note(f, ROLE_DIM, "    ");
				snprintf(buf, sizeof buf, "+%d %s: ", sp->points[k].points, sp->points[k].rule);
				row_put(row, ROLE_DIM, buf);
				const char *dt = sp->points[k].detail ? sp->points[k].detail : "";
				row_put_untrusted(row, ROLE_DIM, ROLE_ESCAPE, dt, strlen(dt), 8);
			}
		}
	}
	snprintf(f->hint, sizeof f->hint, "Enter on a blame line shows its commit  Esc back  ? help");
}

static void build_commit(struct tests_st *s, struct pane_frame *f)
{
	char buf[256];
	pane_title_start(&f->title, "Tests ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " commit");
	if (!s->commit) {
		struct ui_row *row = note(f, ROLE_MESSAGE_ERROR, "");
		const char *e = s->commit_err ? s->commit_err : "no commit";
		row_put_untrusted(row, ROLE_MESSAGE_ERROR, ROLE_ESCAPE, e, strlen(e), 8);
		return;
	}
	const struct chg_commit *c = s->commit;
	char date[40];
	pane_fmt_time(c->time, date, sizeof date);
	struct ui_row *row = note(f, ROLE_BLAME_SHA, "commit ");
	row_put(row, ROLE_BLAME_SHA, c->sha);
	row = note(f, ROLE_DEFAULT, "Author: ");
	row_put_untrusted(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, c->author ? c->author : "?", strlen(c->author ? c->author : "?"), 8);
	row = note(f, ROLE_DEFAULT, "Date:   ");
	row_put(row, ROLE_BLAME_DATE, date);
	note(f, ROLE_DEFAULT, "");
	put_lines(f, c->message ? c->message : c->summary, 40);
	note(f, ROLE_DEFAULT, "");
	long adds = 0, dels = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct chg_file *fl = &c->files[i];
		row = note(f, ROLE_DEFAULT, " ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, fl->path, strlen(fl->path), 8);
		snprintf(buf, sizeof buf, " | +%ld -%ld", fl->adds, fl->dels);
		row_put(row, ROLE_DIM, buf);
		adds += fl->adds;
		dels += fl->dels;
	}
	snprintf(buf, sizeof buf, " %zu file%s changed, +%ld -%ld", c->nfiles, c->nfiles == 1 ? "" : "s", adds, dels);
	note(f, ROLE_DIM, buf);
}

/* ---- ops ------------------------------------------------------------------- */

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
		build_list(s, d, cols, f);
	else if (p->depth == 1)
		build_detail(s, d, f);
	else
		build_commit(s, f);
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
	build_detail(s, d, &f);
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
			build_list(s, d, 80, &f);
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
