/* test_tests_analysis.c - the Tests analysis end to end: the demo (two
 * regressions blamed on 李伟's clock-skew commit, one certain flake), the
 * real run (no repository), a repository missing the run's commits, the
 * findings and the drill-down helpers.
 *
 * Hand computation for the demo (spec/analysis.md §6.3): range
 * m01-runbook..merge; commits r01 (李伟, token.c + token.h), r02 (Priya,
 * tests/test_token.c), r03 (Marcus, src/payment.c); the merge is not
 * scored (blame puts no line on it). Frame src/auth/token.c:88 (:86) is
 * last changed by r01 → +3 frame-line; token.c name-matches test_token.c
 * → +1; r02 changed the test file → +2; r03 → 0. Σ = 6, shares 0.6667 /
 * 0.3333 / 0 → r01 with +3 and share ≥ 0.6: HIGH. Only one earlier
 * observation (PASS) → REGRESSION, confidence LOW.
 * capture_timeout_retry: F (base, "passed on re-run") then P: certain
 * FLAKY; window F,P: flips 1, flip rate 1, failure rate 0.5,
 * P(rate > 1 %) = 1 − I_0.01(1.5, 1.5) = 0.9983, retries ⌈ln .01/ln .5⌉ = 7;
 * duration 1.8842 s against 2.0137 s: not slower (needs ≥ 2×).
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/tests_analysis.h"
#include "demo/demo.h"
#include "demo_fixture.h"
#include "model/finding.h"
#include "sources/runs.h"
#include "util/xalloc.h"

static char scratch[256];
static char *demo_repo;

static int setup(void **state)
{
	(void)state;
	return demo_fixture_up("wz-ta-test", scratch, sizeof scratch, &demo_repo);
}

static int teardown(void **state)
{
	(void)state;
	return demo_fixture_down(scratch, &demo_repo);
}

static void close_to(double got, double want)
{
	if (!(fabs(got - want) <= 1e-3 * fabs(want) + 1e-12)) {
		print_error("got %.10g, want %.10g\n", got, want);
		fail();
	}
}

static bool list_has(const struct str_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static struct ta_result *demo_result(void)
{
	struct wz_err err;
	struct run *r = NULL;
	struct ta_result *t = NULL;
	assert_int_equal(runs_open(DEMO_RUN_ID, demo_repo, &r, &err), WZ_OK);
	assert_int_equal(ta_run(r, NULL, &t, &err), WZ_OK);
	run_free(&r);
	return t;
}

static void check_regression(const struct ta_result *t, const char *id, const char *frame_lines)
{
	const struct reg_finding *f = ta_finding(t, id);
	assert_non_null(f);
	assert_int_equal(f->cls, REG_REGRESSION);
	assert_int_equal(f->severity, REG_MAJOR);
	assert_int_equal(f->confidence, REG_LOW);
	assert_int_equal(f->attribution, REG_HIGH);
	assert_true(f->nsuspects >= 2);
	const struct reg_suspect *top = &f->suspects[0];
	assert_string_equal(top->author, "李伟");
	assert_string_equal(top->summary, "auth: allow clock skew when validating tokens");
	assert_true(top->in_run);
	assert_int_equal(top->score, 4);
	close_to(top->share, 4.0 / 6.0);
	assert_int_equal(top->npoints, 2);
	assert_string_equal(top->points[0].rule, "frame-line");
	assert_int_equal(top->points[0].points, 3);
	assert_string_equal(top->points[1].rule, "related-file");
	assert_true(list_has(&top->lines, frame_lines));
	assert_true(list_has(&top->lines, "src/auth/token.c:88"));
	assert_string_equal(f->suspects[1].author, "Priya Raman");
	assert_int_equal(f->suspects[1].score, 2);
	close_to(f->suspects[1].share, 2.0 / 6.0);
	for (size_t i = 2; i < f->nsuspects; i++) {
		assert_int_equal(f->suspects[i].score, 0);   /* r03 */
		assert_int_not_equal(strcmp(f->suspects[i].summary, "Merge pull request #42 from run/local-checkout-skew-4b7e21"), 0);
	}
}

static void test_demo(void **state)
{
	(void)state;
	struct ta_result *t = demo_result();
	assert_null(t->blame_unavailable);
	assert_true(t->has_range);
	assert_non_null(t->blame);
	assert_int_equal(t->regressions, 2);
	assert_int_equal(t->flaky, 1);
	assert_int_equal(t->persistent + t->current + t->infra + t->durations, 0);
	assert_int_equal(t->reg->n, 3);
	assert_int_equal(t->caps.n, 0);
	check_regression(t, "token::expired_token_rejected", "src/auth/token.c:84-86");
	check_regression(t, "token::not_before_enforced", "src/auth/token.c:84-86");
	/* the top suspect is r01 itself: the commit in the range whose message matches */
	const struct reg_finding *f = ta_finding(t, "token::expired_token_rejected");
	const struct chg_commit *c = chg_set_commit(t->changes, f->suspects[0].sha);
	assert_non_null(c);
	assert_int_equal(c->nparents, 1);
	f = ta_finding(t, "payment::capture_timeout_retry");
	assert_non_null(f);
	assert_int_equal(f->cls, REG_FLAKY);
	assert_false(f->suspected);
	assert_int_equal(f->severity, REG_MINOR);
	assert_int_equal(f->confidence, REG_HIGH);
	assert_int_equal(f->nobs, 2);
	assert_int_equal(f->flips, 1);
	close_to(f->flip_rate, 1.0);
	close_to(f->fail_rate, 0.5);
	close_to(f->p_fail_gt_1pct, 0.9983);
	assert_int_equal(f->retries, 7);
	assert_null(ta_finding(t, "token::parse_valid_token"));
	ta_result_free(&t);
	assert_null(t);
}

static void test_findings(void **state)
{
	(void)state;
	struct ta_result *t = demo_result();
	struct finding **v = NULL;
	size_t n = 0, cap = 0;
	ta_findings(t, &v, &n, &cap);
	assert_int_equal(n, 3);
	size_t nreg = 0, nflaky = 0;
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i]->analyzer, "tests");
		if (strcmp(v[i]->kind, "regression") == 0) {
			nreg++;
			assert_string_equal(v[i]->status, "REGRESSION");
			assert_int_equal(v[i]->severity, SEV_MAJOR);
			assert_non_null(v[i]->body);
			assert_non_null(strstr(v[i]->body, "attribution HIGH"));
			bool commit = false, blame88 = false;
			for (size_t k = 0; k < v[i]->nev; k++) {
				commit |= v[i]->ev[k].type == EV_COMMIT &&
					  strcmp(v[i]->ev[k].excerpt, "auth: allow clock skew when validating tokens") == 0;
				blame88 |= v[i]->ev[k].type == EV_BLAME && strncmp(v[i]->ev[k].locator, "src/auth/token.c:88@", 20) == 0;
			}
			assert_true(commit);
			assert_true(blame88);
		} else {
			nflaky++;
			assert_string_equal(v[i]->kind, "flaky_test");
			assert_string_equal(v[i]->subject, "payment::capture_timeout_retry");
		}
		finding_free(&v[i]);
	}
	assert_int_equal(nreg, 2);
	assert_int_equal(nflaky, 1);
	free(v);
	ta_result_free(&t);
}

/* The drill-down: frame :88 ± 12, blamed with text; r01's parent is c05. */
static void test_drill(void **state)
{
	(void)state;
	struct ta_result *t = demo_result();
	struct wz_err err;
	char *path = NULL;
	long line, a, b;
	assert_true(ta_focus(t, "token::expired_token_rejected", TA_BLAME_CONTEXT, &path, &line, &a, &b));
	assert_string_equal(path, "src/auth/token.c");
	assert_int_equal(line, 88);
	assert_int_equal(a, 76);
	assert_int_equal(b, 100);
	struct ta_blame bl;
	assert_int_equal(ta_blame_lines(t->repo_dir, &t->range, NULL, path, a, b, &bl, &err), WZ_OK);
	assert_int_equal(bl.set->n, 1);
	const struct blame_span *sp = &bl.set->v[0];
	assert_null(sp->error);
	assert_int_equal(sp->start, 76);
	const struct blame_line *l88 = &sp->lines[88 - sp->start];
	assert_int_equal(l88->line, 88);
	assert_string_equal(l88->author, "李伟");
	assert_true(l88->in_range);
	assert_false(l88->pre_existing);
	const struct blame_line *l87 = &sp->lines[87 - sp->start];
	assert_false(l87->in_range);   /* c02-token, before the run */
	assert_true(bl.ntext > 12);
	assert_non_null(strstr(bl.text[12], "expires_at + window"));
	char parent[CHG_SHA_LEN + 1];
	assert_int_equal(ta_parent_of(t->repo_dir, l88->sha, parent, &err), WZ_OK);
	struct chg_commit *c = NULL;
	assert_int_equal(ta_show_commit(t->repo_dir, parent, &c, &err), WZ_OK);
	assert_string_equal(c->summary, "cart: round totals half-to-even to match the ledger");
	chg_commit_free(&c);
	assert_int_equal(ta_show_commit(t->repo_dir, l88->sha, &c, &err), WZ_OK);
	assert_int_equal(c->nfiles, 2);
	chg_commit_free(&c);
	/* re-blame at the parent: line 88 then belongs to c02-token, before the run */
	struct ta_blame pb;
	assert_int_equal(ta_blame_lines(t->repo_dir, &t->range, parent, path, a, b, &pb, &err), WZ_OK);
	assert_string_equal(pb.head, parent);
	for (size_t i = 0; i < pb.set->v[0].nlines; i++)
		assert_int_not_equal(strcmp(pb.set->v[0].lines[i].sha, l88->sha), 0);
	ta_blame_clear(&pb);
	assert_int_equal(ta_blame_lines(t->repo_dir, &t->range, "abc", path, a, b, &pb, &err), WZ_EUSAGE);
	ta_blame_clear(&bl);
	free(path);
	assert_false(ta_focus(t, "no::such_test", 12, &path, &line, &a, &b));
	ta_result_free(&t);
}

/* The real run has no repository: no regressions, blame unavailable. */
static void test_real_run(void **state)
{
	(void)state;
	const char *sh = getenv("SHARED");
	char *p = xasprintf("%s/data/runs/dss-local-alignment-audit/.runs/local-alignment-audit-aba1c6",
			    sh ? sh : "../shared");
	struct wz_err err;
	struct run *r = NULL;
	struct ta_result *t = NULL;
	if (runs_open(p, NULL, &r, &err) != WZ_OK) {
		free(p);
		skip();
	}
	assert_int_equal(ta_run(r, NULL, &t, &err), WZ_OK);
	assert_non_null(t->blame_unavailable);
	assert_int_equal(strncmp(t->blame_unavailable, "not a git repository", 20), 0);
	assert_int_equal(t->regressions, 0);
	assert_int_equal(t->reg->n, 0);
	assert_int_equal(t->hist->cur.nreports, 0);   /* markdown counts only */
	assert_int_equal(t->hist->nearlier, 0);
	assert_false(t->has_range);
	ta_result_free(&t);
	run_free(&r);
	free(p);
}

/* The demo's runs in a repository that lacks their commits: the classes
 * still come out, blame says what is missing. */
static void test_missing_commits(void **state)
{
	(void)state;
	char *cmd = xasprintf("set -e; d='%s/other'; mkdir -p \"$d\"; cd \"$d\"; git init -q .; "
			      "echo hi > f; git add f; GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=a "
			      "GIT_COMMITTER_EMAIL=a@b git commit -q -m one; cp -R '%s/.runs' \"$d/.runs\"",
			      scratch, demo_repo);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *repo = xasprintf("%s/other", scratch);
	struct wz_err err;
	struct run *r = NULL;
	struct ta_result *t = NULL;
	assert_int_equal(runs_open(DEMO_RUN_ID, repo, &r, &err), WZ_OK);
	assert_int_equal(ta_run(r, NULL, &t, &err), WZ_OK);
	assert_non_null(t->blame_unavailable);
	assert_non_null(strstr(t->blame_unavailable, "merge_sha"));
	assert_non_null(strstr(t->blame_unavailable, "is missing from"));
	assert_int_equal(t->regressions, 2);
	assert_int_equal(t->flaky, 1);
	const struct reg_finding *f = ta_finding(t, "token::not_before_enforced");
	assert_int_equal(f->attribution, REG_NONE);
	bool said = false;
	for (size_t i = 0; i < f->reasons.n; i++)
		said |= strncmp(f->reasons.v[i], "blame unavailable: run_meta.json merge_sha", 42) == 0;
	assert_true(said);
	ta_result_free(&t);
	run_free(&r);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_drill),
		cmocka_unit_test(test_real_run),
		cmocka_unit_test(test_missing_commits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
