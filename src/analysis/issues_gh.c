/* issues_gh.c - glue between the run, net/github and issue_corr. */
#include "config.h"
#include "analysis/issues_gh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/tests_analysis.h"
#include "model/testreport.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

const char *igh_state_word(enum igh_state s)
{
	return s == IGH_OK ? "ok" : s == IGH_FAILED ? "failed" : "skipped";
}

static void skip(struct igh_result *o, const char *why)
{
	o->state = IGH_SKIPPED;
	snprintf(o->reason, sizeof o->reason, "%s", why);
	icorr_skip(&o->corr, why);
}

/* Facts from the tests analysis: failing tests (FAIL/ERROR this run), their
 * first message lines, and the paths of the run's change. Arrays borrow. */
static void gather(const struct ta_result *t, struct icorr_facts *f, const char ***tests, const char ***errs,
		   const char ***files)
{
	size_t i, nt = 0, ne = 0, nf = 0;
	size_t nreg = t && t->reg ? t->reg->n : 0, nch = t && t->changes ? t->changes->nfiles : 0;

	*tests = xcalloc(nreg + 1, sizeof **tests);
	*errs = xcalloc(nreg + 1, sizeof **errs);
	*files = xcalloc(nch + 1, sizeof **files);
	for (i = 0; i < nreg; i++) {
		const struct reg_finding *g = &t->reg->v[i];
		const struct tr_case *c;
		size_t k;
		bool dup = false;
		if (g->status != TR_FAIL && g->status != TR_ERROR)
			continue;
		for (k = 0; k < nt && !dup; k++)
			dup = strcmp((*tests)[k], g->test_id) == 0;
		if (dup)
			continue;
		(*tests)[nt++] = g->test_id;
		c = ta_case(t, g->test_id, NULL);
		if (c && c->message && *c->message)
			(*errs)[ne++] = c->message;
	}
	for (i = 0; i < nch; i++)
		if (t->changes->files[i].path)
			(*files)[nf++] = t->changes->files[i].path;
	f->failing_tests = *tests;
	f->ntests = nt;
	f->errors = *errs;
	f->nerrors = ne;
	f->touched_files = *files;
	f->nfiles = nf;
}

static void to_icorr(const struct gh_issues *l, struct icorr_issue *v)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct gh_issue *g = &l->v[i];
		v[i].number = g->number;
		v[i].title = g->title;
		v[i].body = g->body;
		v[i].state = g->state;
		v[i].url = g->html_url;
		v[i].labels = (const char *const *)g->labels.v;
		v[i].nlabels = g->labels.n;
		v[i].created_at = g->created_at;
		v[i].updated_at = g->updated_at;
		v[i].closed_at = g->closed_at;
		v[i].is_pull = g->is_pull;
	}
}

void igh_run(const struct run *run, const struct ta_result *tests, const char *repo_dir, bool offline, double now,
	     ext_lookup_fn get, void *ctx, struct igh_result *out)
{
	struct wz_err err;
	struct gh_client *c = NULL;
	struct gh_issue_query q;
	struct icorr_facts f;
	struct icorr_issue *iv;
	const char **ft, **fe, **ff, *var = NULL;
	double t0;

	memset(out, 0, sizeof *out);
	if (!get)
		get = ext_getenv;
	if (offline) {
		skip(out, "skipped: offline (--offline makes no network calls)");
		return;
	}
	if (!gh_token(get, ctx, &var)) {
		skip(out, GH_SKIP_NO_TOKEN);
		return;
	}
	wz_err_clear(&err);
	if (gh_resolve_repo(get, ctx, run->github_repo, repo_dir ? repo_dir : run->repo_root, out->repo,
			    sizeof out->repo, &out->repo_source, &err) != WZ_OK) {
		char why[sizeof out->reason];
		snprintf(why, sizeof why, "skipped: no GitHub repository (%s)",
			 err.msg[0] ? err.msg : "set GITHUB_REPOSITORY=owner/repo");
		out->repo[0] = '\0';
		skip(out, why);
		return;
	}
	/* since: T - 30 days (T the deploy time, else now): issues touched
	 * around the run, open or closed since */
	out->since_basis = isnan(run->deploy_time) ? "now" : "deploy time";
	t0 = (isnan(run->deploy_time) ? now : run->deploy_time) - ICORR_RECENT_DAYS * 86400.0;
	if (!isnan(t0))
		tp_format(t0, out->since, sizeof out->since);
	memset(&q, 0, sizeof q);
	q.state = "all";
	q.since = out->since[0] ? out->since : NULL;
	if (gh_client_new(&c, get, ctx, out->repo, NULL, &err) != WZ_OK ||
	    gh_list_issues(c, &q, &out->issues, &err) != WZ_OK) {
		out->state = IGH_FAILED;
		snprintf(out->reason, sizeof out->reason, "failed: %s", err.msg[0] ? err.msg : "GitHub request failed");
		gh_client_free(&c);
		gh_issues_free(&out->issues);
		return;
	}
	gh_client_free(&c);
	memset(&f, 0, sizeof f);
	f.run_id = run->id;
	f.now = now;
	gather(tests, &f, &ft, &fe, &ff);
	iv = xcalloc(out->issues.n + 1, sizeof *iv);
	to_icorr(&out->issues, iv);
	icorr_run(&f, iv, out->issues.n, &out->corr);
	free(iv);
	free(ft);
	free(fe);
	free(ff);
	out->state = IGH_OK;
}

void igh_result_free(struct igh_result *r)
{
	gh_issues_free(&r->issues);
	icorr_result_free(&r->corr);
	memset(r, 0, sizeof *r);
}
