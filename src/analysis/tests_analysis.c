/* tests_analysis.c - orchestration of the Tests analysis: history, range,
 * suspects, bounded blame, classification (spec/analysis.md §6.1-§6.3). */
#include "config.h"
#include "analysis/tests_analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static void note(struct str_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct str_list *l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	str_list_push(l, buf);
}

static bool failed(enum tr_status s)
{
	return s == TR_FAIL || s == TR_ERROR;
}

/* --- repository ------------------------------------------------------------- */

static struct git_repo *open_repo(const struct run *run, const struct ta_opts *o, struct ta_result *r)
{
	const char *where = o && o->repo ? o->repo : run->repo_root ? run->repo_root : run->path;
	struct git_repo *g = NULL;
	struct wz_err err;
	wz_err_clear(&err);
	if (git_repo_open(where, &g, &err) != WZ_OK) {
		if (strstr(err.msg, "not inside a git repository"))
			r->blame_unavailable = xasprintf("not a git repository (%s)", err.msg);
		else
			r->blame_unavailable = xstrdup(err.msg);
		return NULL;
	}
	r->repo_dir = xstrdup(git_repo_dir(g));
	return g;
}

/* The change set without merge commits nobody blames a suspect line on.
 * A shallow view: commits are copied by value and never freed from it. */
static struct chg_set *view_without_merges(const struct chg_set *cs, const struct blame_set *b)
{
	struct chg_set *v = xcalloc(1, sizeof *v);
	*v = *cs;
	v->commits = cs->ncommits ? xcalloc(cs->ncommits, sizeof *v->commits) : NULL;
	v->ncommits = 0;
	for (size_t i = 0; i < cs->ncommits; i++) {
		const struct chg_commit *c = &cs->commits[i];
		bool keep = c->nparents < 2;
		for (size_t s = 0; !keep && b && s < b->n; s++)
			for (size_t j = 0; !keep && j < b->v[s].nlines; j++)
				keep = strcmp(b->v[s].lines[j].sha, c->sha) == 0;
		if (keep)
			v->commits[v->ncommits++] = *c;
	}
	return v;
}

static void view_free(struct chg_set *v)
{
	if (v) {
		free(v->commits);
		free(v);
	}
}

/* --- related changes between consecutive runs --------------------------------- */

struct pair {
	const char *a, *b;        /* shas (borrowed) */
	struct str_list paths;    /* files changed a..b */
	bool ok;
};

static void pair_paths(struct git_repo *g, struct pair *p, struct ta_result *r)
{
	struct git_range rg;
	struct chg_set *cs = NULL;
	struct wz_err err;
	wz_err_clear(&err);
	if (git_range_resolve(g, p->a, p->b, &rg, &err) != WZ_OK) {
		note(&r->warnings, "related changes between commits %.12s and %.12s unknown: %s", p->a, p->b, err.msg);
		return;
	}
	if (git_changes(g, &rg, &cs, &err) == WZ_OK && cs) {
		for (size_t i = 0; i < cs->nfiles; i++) {
			str_list_push(&p->paths, cs->files[i].path);
			if (cs->files[i].old_path)
				str_list_push(&p->paths, cs->files[i].old_path);
		}
		p->ok = true;
	} else
		note(&r->warnings, "related changes between commits %.12s and %.12s unknown: %s", p->a, p->b, err.msg);
	chg_set_free(&cs);
	git_range_clear(&rg);
}

static bool pair_touches(const struct pair *p, const char *module)
{
	for (size_t i = 0; p->ok && i < p->paths.n; i++)
		if (th_path_related(module, p->paths.v[i]))
			return true;
	return false;
}

/* Sets related_changed on each earlier observation whose test's files
 * changed since the previous run (the change up to this run is put on the
 * last earlier observation, the one the window compares against). */
static void mark_related(struct git_repo *g, struct ta_result *r)
{
	struct th_history *h = r->hist;
	size_t nr = h->nearlier + 1;
	struct pair *pairs = xcalloc(nr, sizeof *pairs);
	size_t done = 0;
	for (size_t i = 1; i < nr; i++) {
		const struct th_run *a = &h->earlier[i - 1];
		const struct th_run *b = i < h->nearlier ? &h->earlier[i] : &h->cur;
		if (!a->sha || !b->sha || strcmp(a->sha, b->sha) == 0)
			continue;
		if (done >= TA_MAX_PAIRS) {
			note(&r->caps, "related changes: only the last %d run-to-run ranges diffed", TA_MAX_PAIRS);
			break;
		}
		pairs[i].a = a->sha;
		pairs[i].b = b->sha;
		done++;
	}
	/* diff newest pairs first so the cap keeps the ones nearest this run */
	for (size_t i = nr; i-- > 1;)
		if (pairs[i].a)
			pair_paths(g, &pairs[i], r);
	for (size_t t = 0; t < h->hist.n; t++) {
		struct reg_test_history *th = &h->hist.v[t];
		const struct tr_case *c = th_find_case(&h->cur, th->test_id, NULL);
		struct tr_case tmp = { 0 };
		tmp.id = th->test_id;
		char *module = th_test_module(c ? c : &tmp);
		if (!module) {
			/* "suite::name": the suite */
			const char *sep = strstr(th->test_id, "::");
			if (sep)
				module = xstrndup(th->test_id, (size_t)(sep - th->test_id));
		}
		for (size_t j = 0; module && j < th->n; j++) {
			struct reg_obs *o = &th->v[j];
			for (size_t i = 1; i < nr; i++) {
				bool at_i = i < h->nearlier && o->run_id && strcmp(o->run_id, h->earlier[i].run_id) == 0;
				bool last = i == h->nearlier && j == th->n - 1;
				if ((at_i || last) && pairs[i].a && pair_touches(&pairs[i], module))
					o->related_changed = true;
			}
		}
		free(module);
	}
	for (size_t i = 0; i < nr; i++)
		str_list_free(&pairs[i].paths);
	free(pairs);
}

/* --- the analysis ------------------------------------------------------------- */

static void count(struct ta_result *r)
{
	for (size_t i = 0; i < r->reg->n; i++)
		switch (r->reg->v[i].cls) {
		case REG_REGRESSION: r->regressions++; break;
		case REG_PERSISTENT: r->persistent++; break;
		case REG_CURRENT_FAILURE: r->current++; break;
		case REG_INFRA: r->infra++; break;
		case REG_FLAKY: r->flaky++; break;
		case REG_DURATION: r->durations++; break;
		default: break;
		}
}

/* Spans capped by failing tests and lines. */
static void capped_spans(const struct reg_input *in, const struct ta_opts *o, struct ta_result *r,
			 struct reg_spans *sp)
{
	size_t maxf = o && o->max_failures ? o->max_failures : TA_MAX_FAILURES;
	size_t maxl = o && o->max_blame_lines ? o->max_blame_lines : TA_MAX_BLAME_LINES;
	size_t nfail = 0;
	for (size_t k = 0; k < in->nreports; k++)
		for (size_t i = 0; i < in->reports[k]->ncases; i++)
			nfail += in->reports[k]->cases[i].kind == TR_K_TEST && failed(in->reports[k]->cases[i].status);
	reg_suspect_spans(in, sp);
	if (nfail > maxf)
		note(&r->caps, "blame: %zu failing tests; suspect lines of all are blamed up to %zu lines", nfail, maxl);
	size_t lines = 0, keep = 0;
	for (size_t i = 0; i < sp->n; i++) {
		size_t len = (size_t)(sp->v[i].end - sp->v[i].start + 1);
		if (lines >= maxl) {
			free(sp->v[i].path);
			continue;
		}
		if (lines + len > maxl) {
			sp->v[i].end = sp->v[i].start + (long)(maxl - lines) - 1;
			len = maxl - lines;
		}
		lines += len;
		sp->v[keep++] = sp->v[i];
	}
	if (keep < sp->n)
		note(&r->caps, "blame: suspect lines cut at %zu lines (%zu of %zu ranges blamed)", maxl, keep, sp->n);
	sp->n = keep;
	r->blamed_lines = lines;
}

enum wz_status ta_run(const struct run *run, const struct ta_opts *o, struct ta_result **out, struct wz_err *err)
{
	*out = NULL;
	struct ta_result *r = xcalloc(1, sizeof *r);
	enum wz_status st = th_gather(run, &r->hist, err);
	if (st != WZ_OK) {
		free(r);
		return st;
	}
	for (size_t i = 0; i < r->hist->warnings.n; i++)
		str_list_push(&r->warnings, r->hist->warnings.v[i]);
	for (size_t i = 0; i < r->hist->caps.n; i++)
		str_list_push(&r->caps, r->hist->caps.v[i]);

	struct git_repo *g = open_repo(run, o, r);
	struct wz_err e2;
	wz_err_clear(&e2);
	if (g) {
		if (git_range_for_run(g, run, &r->range, &e2) != WZ_OK) {
			r->blame_unavailable = xstrdup(e2.msg);
			git_range_clear(&r->range);
		} else {
			r->has_range = true;
			if (git_changes(g, &r->range, &r->changes, &e2) != WZ_OK) {
				r->blame_unavailable = xstrdup(e2.msg);
				chg_set_free(&r->changes);
			} else if (r->range.capped || r->changes->commits_truncated)
				note(&r->caps, "changes: %.12s..%.12s holds more than %d commits; only the newest "
				     "are read and older lines count as pre-existing", r->range.base, r->range.head,
				     GIT_MAX_COMMITS);
			mark_related(g, r);
		}
	}

	struct th_run *cur = &r->hist->cur;
	struct reg_input in = { 0 };
	in.reports = (const struct tr_report *const *)cur->reports;
	in.nreports = cur->nreports;
	in.sha = cur->sha;
	in.history = &r->hist->hist;
	in.critical = o ? o->critical : NULL;
	in.ncritical = o ? o->ncritical : 0;
	struct chg_set *view = NULL;
	if (r->changes) {
		view = view_without_merges(r->changes, NULL);
		in.changes = view;
		struct reg_spans sp = { 0 };
		capped_spans(&in, o, r, &sp);
		if (sp.n) {
			struct git_line_span *ls = xcalloc(sp.n, sizeof *ls);
			for (size_t i = 0; i < sp.n; i++)
				ls[i] = (struct git_line_span){ sp.v[i].path, sp.v[i].start, sp.v[i].end };
			wz_err_clear(&e2);
			if (git_blame_spans(g, &r->range, ls, sp.n, &r->blame, &e2) != WZ_OK) {
				r->blame_unavailable = xstrdup(e2.msg);
				blame_set_free(&r->blame);
			}
			free(ls);
		} else
			r->blame = xcalloc(1, sizeof *r->blame);   /* nothing to blame: an empty, valid set */
		for (size_t i = 0; r->blame && i < r->blame->n; i++)
			if (r->blame->v[i].error)
				note(&r->warnings, "blame %s:%ld-%ld: %s", r->blame->v[i].path ? r->blame->v[i].path : "?",
				     r->blame->v[i].start, r->blame->v[i].end, r->blame->v[i].error);
		reg_spans_free(&sp);
		view_free(view);
		view = view_without_merges(r->changes, r->blame);
		in.changes = view;
	}
	in.blame = r->blame;
	in.blame_unavailable = r->blame_unavailable;
	reg_analyze(&in, &r->reg);
	view_free(view);
	git_repo_close(&g);
	count(r);
	*out = r;
	return WZ_OK;
}

void ta_result_free(struct ta_result **rp)
{
	if (!rp || !*rp)
		return;
	struct ta_result *r = *rp;
	th_history_free(&r->hist);
	reg_result_free(&r->reg);
	free(r->repo_dir);
	git_range_clear(&r->range);
	chg_set_free(&r->changes);
	blame_set_free(&r->blame);
	free(r->blame_unavailable);
	str_list_free(&r->caps);
	str_list_free(&r->warnings);
	free(r);
	*rp = NULL;
}

const struct reg_finding *ta_finding(const struct ta_result *r, const char *test_id)
{
	for (size_t i = 0; r && r->reg && test_id && i < r->reg->n; i++)
		if (strcmp(r->reg->v[i].test_id, test_id) == 0)
			return &r->reg->v[i];
	return NULL;
}

const struct tr_case *ta_case(const struct ta_result *r, const char *test_id, const struct tr_report **report)
{
	return r && r->hist ? th_find_case(&r->hist->cur, test_id, report) : NULL;
}
