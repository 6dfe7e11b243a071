/* test_runs.c - run discovery and the JSON readers against the real run
 * (shared/data/runs/dss-local-alignment-audit). Every expected value was
 * read from the files by hand: run_meta.json, index.json, the receipts. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/runs.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#define REAL_REPO "data/runs/dss-local-alignment-audit"
#define REAL_ID "local-alignment-audit-aba1c6"

static char *shared_path(const char *rel)
{
	const char *sh = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	char buf[PATH_MAX];
	char *p = sh && *sh ? xasprintf("%s/%s", sh, rel) : xasprintf("%s/../shared/%s", top ? top : ".", rel);
	if (realpath(p, buf)) {
		free(p);
		return xstrdup(buf);
	}
	return p;
}

static double iso(const char *s)
{
	double t;
	int fl;
	assert_true(tp_parse(s, &t, &fl, NULL));
	return t;
}

static void list_real_repo(void **state)
{
	char *repo = shared_path(REAL_REPO);
	struct run_list *l = NULL;
	struct wz_err err = {0};
	int f;
	(void)state;
	assert_int_equal(runs_list(repo, &l, &err), WZ_OK);
	/* index.json lists 3 runs, only one folder exists */
	assert_int_equal(l->n, 3);
	assert_non_null(strstr(l->root, "/.runs"));
	/* newest first: run_meta.updated_at 2025-12-21T22:07:21Z, then the two
	 * index-only entries by their index updated_at */
	assert_string_equal(l->v[0].id, REAL_ID);
	assert_true(l->v[0].present);
	assert_true(l->v[0].indexed);
	assert_true(l->v[0].has_meta);
	assert_null(l->v[0].note);
	assert_true(l->v[0].updated == iso("2025-12-21T22:07:21Z"));
	assert_string_equal(l->v[0].updated_source, "run_meta.updated_at");
	assert_string_equal(l->v[0].task_title, "DemoSwarm Documentation-Code Alignment Audit");
	assert_int_equal(l->v[0].generation, GEN_DEMOSWARM_7);
	for (f = 0; f < FLOW_COUNT; f++) {
		assert_true(l->v[0].flow_dir[f]);
		assert_int_equal(l->v[0].flow_status[f], f == FLOW_BUILD ? RS_CANNOT_PROCEED : RS_VERIFIED);
	}
	assert_string_equal(l->v[1].id, "compliance-drift-proofing");
	assert_false(l->v[1].present);
	assert_null(l->v[1].path);
	assert_string_equal(l->v[1].note, "indexed, not present");
	assert_true(l->v[1].updated == iso("2025-12-19T10:30:00Z"));
	assert_string_equal(l->v[2].id, "align-doc-ownership");
	assert_false(l->v[2].present);
	assert_string_equal(l->v[2].task_title,
			    "Normalize language and ownership boundaries across DemoSwarm pack");
	assert_int_equal(l->v[2].flow_status[FLOW_GATE], RS_ABSENT);
	assert_int_equal(l->warnings.n, 0);
	run_list_free(&l);
	assert_null(l);
	free(repo);
}

static void open_real_meta_and_index(void **state)
{
	char *repo = shared_path(REAL_REPO);
	struct run *r = NULL;
	struct wz_err err = {0};
	(void)state;
	assert_int_equal(runs_open(NULL, repo, &r, &err), WZ_OK);
	assert_string_equal(r->id, REAL_ID);
	assert_true(r->has_meta);
	assert_null(r->meta_error);
	assert_string_equal(r->repo_root, repo);
	assert_string_equal(r->run_id_kind, "LOCAL_ONLY");
	assert_string_equal(r->canonical_key, "gh-1");
	assert_string_equal(r->github_repo, "EffortlessMetrics/demo-swarm-swarm");
	assert_string_equal(r->source, "manual");
	assert_true(r->github_ops_allowed);
	assert_true(r->issue_number.has);
	assert_true(r->issue_number.v == 1);
	assert_string_equal(r->issue_number.src.path, "run_meta.json");
	assert_int_equal(r->issue_number.src.line, 20);
	assert_true(r->pr_number.has && r->pr_number.v == 2);
	assert_true(r->created_at == iso("2025-12-20T03:32:56Z"));
	assert_true(r->updated_at == iso("2025-12-21T22:07:21Z"));
	assert_string_equal(r->merge_sha, "ed9b9c98b7a353a29671d489148fef3ba08d933e");
	assert_string_equal(r->tag_name, "v1.0.0-local-alignment-audit-aba1c6");
	assert_null(r->base_ref);
	assert_int_equal(r->aliases.n, 2);
	assert_string_equal(r->aliases.v[1], "gh-1");
	assert_int_equal(r->flows_started.n, 7);
	assert_string_equal(r->flows_started.v[3], "review");
	/* index.json: stale-looking but consistent entry for this run */
	assert_true(r->indexed);
	assert_string_equal(r->index_status, "VERIFIED");
	assert_string_equal(r->index_last_flow, "wisdom");
	assert_int_equal(r->generation, GEN_DEMOSWARM_7);
	run_free(&r);
	assert_null(r);
	/* the JSON side alone (no markdown readers) reads cleanly */
	{
		char *runp = xasprintf("%s/.runs/%s", repo, REAL_ID);
		r = runs_load(runp, NULL);
		assert_string_equal(r->id, REAL_ID);
		assert_true(r->indexed);
		assert_int_equal(r->warnings.n, 0);
		run_free(&r);
		free(runp);
	}
	free(repo);
}

static void open_real_receipts(void **state)
{
	char *repo = shared_path(REAL_REPO);
	struct run *r = NULL;
	struct wz_err err = {0};
	const struct receipt *b, *g, *d, *w, *s;
	static const size_t nfiles[FLOW_COUNT] = {28, 25, 22, 17, 18, 12, 19};
	size_t i;
	int f;
	(void)state;
	assert_int_equal(runs_open(REAL_ID, repo, &r, &err), WZ_OK);
	for (f = 0; f < FLOW_COUNT; f++) {
		assert_true(r->flows[f].dir_present);
		assert_true(r->flows[f].receipt.present);
		assert_true(r->flows[f].receipt.parsed);
		assert_int_equal(r->flows[f].nfiles, nfiles[f]);
		assert_false(isnan(r->flows[f].first_time));
		assert_true(r->flows[f].last_time >= r->flows[f].first_time);
	}
	b = &r->flows[FLOW_BUILD].receipt;
	assert_int_equal(b->status, RS_CANNOT_PROCEED);
	assert_string_equal(b->status_raw, "CANNOT_PROCEED");
	assert_string_equal(b->recommended_action, "FIX_ENV");
	assert_null(b->route_to_flow);
	assert_null(b->route_to_agent);
	assert_string_equal(b->schema_version, "build_receipt_v1");
	assert_string_equal(b->src.path, "build/build_receipt.json");
	assert_int_equal(b->missing_required.n, 4);
	assert_string_equal(b->missing_required.v[3], ".runs/" REAL_ID "/build/test_execution.md");
	assert_int_equal(b->blockers.n, 3);
	assert_int_equal(b->concerns.n, 0);
	assert_true(b->has_concerns_key);
	/* null is unknown, not 0 */
	assert_false(b->tests_passed.has);
	assert_false(b->tests_failed.has);
	assert_false(b->tests_skipped.has);
	assert_false(b->tests_xfailed.has);
	assert_false(b->tests_xpassed.has);
	assert_string_equal(b->tests_passed.src.path, "build/build_receipt.json");
	assert_int_equal(b->tests_passed.src.line, 37);
	assert_null(b->tests_canonical_summary);
	assert_false(b->coverage_line.has);
	assert_int_equal(b->ncounts, 6);
	for (i = 0; i < b->ncounts; i++) {
		assert_false(b->counts[i].num.has);
		assert_null(b->counts[i].text);
	}
	assert_string_equal(b->counts[0].key, "tests_written");
	assert_true(b->completed_at == iso("2025-12-20T12:15:00Z"));

	g = &r->flows[FLOW_GATE].receipt;
	assert_string_equal(g->merge_verdict, "MERGE");
	assert_false(g->coverage_line.has);
	assert_int_equal(g->coverage_line.src.line, 23);
	assert_int_equal(g->ncounts, 9);
	assert_string_equal(g->counts[0].key, "receipt_checks_total");
	assert_true(g->counts[0].num.has && g->counts[0].num.v == 11);

	d = &r->flows[FLOW_DEPLOY].receipt;
	assert_string_equal(d->deployment_verdict, "NOT_DEPLOYED");
	assert_string_equal(d->gate_verdict, "MERGE");
	assert_int_equal(d->blockers.n, 1);
	assert_int_equal(d->concerns.n, 3);
	assert_true(d->completed_at == iso("2025-12-20T17:16:49Z"));

	/* signal counts.risks is an object, open_questions a number */
	s = &r->flows[FLOW_SIGNAL].receipt;
	assert_int_equal(s->ncounts, 5);
	assert_string_equal(s->counts[4].key, "risks");
	assert_false(s->counts[4].num.has);
	assert_string_equal(s->counts[4].text, "{\"critical\":0,\"high\":0,\"low\":3,\"medium\":2}");
	assert_string_equal(s->counts[3].key, "open_questions");
	assert_true(s->counts[3].num.v == 6);
	assert_string_equal(s->status_raw, "VERIFIED");

	w = &r->flows[FLOW_WISDOM].receipt;
	assert_int_equal(w->wisdom_shape, 'A');
	assert_true(w->wisdom_flows_completed.has);
	assert_true(w->wisdom_flows_completed.v == 5);          /* stated */
	assert_int_equal(w->wisdom_flows_completed.src.line, 17);
	assert_int_equal(w->wisdom_flows_recounted, 6);         /* six prior receipts */
	assert_false(w->has_concerns_key);
	assert_true(w->run_complete);
	assert_string_equal(w->wisdom_final_merge, "MERGE");
	assert_string_equal(w->wisdom_final_deploy, "NOT_DEPLOYED");
	assert_string_equal(w->wisdom_flow_summary[FLOW_BUILD], "CANNOT_PROCEED");
	assert_string_equal(w->wisdom_flow_summary[FLOW_REVIEW], "VERIFIED");
	assert_null(w->wisdom_flow_summary[FLOW_WISDOM]);
	assert_true(w->completed_at == iso("2025-12-21T22:22:11Z"));
	/* the wisdom receipt is the newest receipt */
	assert_false(r->wisdom_stale);
	assert_int_equal(r->flows[FLOW_REVIEW].receipt.ncounts, 12);
	run_free(&r);
	free(repo);
}

static void open_by_path_and_errors(void **state)
{
	char *repo = shared_path(REAL_REPO);
	char *runp = xasprintf("%s/.runs/%s", repo, REAL_ID);
	char *dotruns = xasprintf("%s/.runs", repo);
	struct run *r = NULL;
	struct run_list *l = NULL;
	struct wz_err err = {0};
	(void)state;
	assert_int_equal(runs_open(runp, NULL, &r, &err), WZ_OK);
	assert_string_equal(r->id, REAL_ID);
	assert_string_equal(r->path, runp);
	assert_true(r->indexed);
	run_free(&r);
	/* a .runs folder opens its newest present run */
	assert_int_equal(runs_open(dotruns, NULL, &r, &err), WZ_OK);
	assert_string_equal(r->id, REAL_ID);
	run_free(&r);
	/* indexed, not present */
	assert_int_equal(runs_open("compliance-drift-proofing", repo, &r, &err), WZ_ENORUN);
	assert_null(r);
	assert_non_null(strstr(err.msg, "index.json"));
	assert_non_null(strstr(err.msg, "not present"));
	/* unknown id */
	assert_int_equal(runs_open("no-such-run", repo, &r, &err), WZ_ENORUN);
	assert_non_null(strstr(err.msg, "no run \"no-such-run\""));
	/* RUN_BASE straight at a run */
	setenv("RUN_BASE", runp, 1);
	assert_int_equal(runs_list(NULL, &l, &err), WZ_OK);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->v[0].id, REAL_ID);
	assert_string_equal(l->root, dotruns);
	run_list_free(&l);
	assert_int_equal(runs_open(NULL, NULL, &r, &err), WZ_OK);
	assert_string_equal(r->id, REAL_ID);
	run_free(&r);
	unsetenv("RUN_BASE");
	assert_string_equal(receipt_status_word(RS_CANNOT_PROCEED), "CANNOT_PROCEED");
	assert_string_equal(receipt_status_word(RS_ABSENT), "absent");
	assert_int_equal(receipt_status_parse("PARTIAL"), RS_PARTIAL);
	assert_int_equal(receipt_status_parse("verified"), RS_OTHER);
	free(runp);
	free(dotruns);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_real_repo),
		cmocka_unit_test(open_real_meta_and_index),
		cmocka_unit_test(open_real_receipts),
		cmocka_unit_test(open_by_path_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
