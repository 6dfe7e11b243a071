/* test_issue_corr.c - analysis/issue_corr scoring, plus the GitHub JSON
 * parsers, error mapping, remote parsing and token/base selection of
 * net/github that feed it (no network). */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/issue_corr.h"
#include "net/github.h"
#include "util/xalloc.h"

#define DAY 86400.0
#define NOW 1766250374.0 /* 2025-12-20T17:06:14Z */

static const char *const bug_l[] = {"bug"};
static const char *const flaky_l[] = {"flaky", "area/ci"};

static struct icorr_issue issues[] = {
	{.number = 11, .title = "test_receipt_counts fails on CI", .body = "Seen in run local-alignment-audit-aba1c6:\n"
	 "thread 'tests::test_receipt_counts' panicked at src/receipt.rs:120:5\nassertion failed: left == right",
	 .state = "open", .labels = bug_l, .nlabels = 1, .updated_at = NOW - 2 * DAY, .closed_at = NAN},
	{.number = 12, .title = "Refactor pack-check output", .body = "touches tools/pack-check/src/main.rs only",
	 .state = "open", .updated_at = NOW - 1 * DAY, .closed_at = NAN},
	{.number = 13, .title = "flaky: receipt_counts times out", .body = "tests::test_receipt_counts is flaky again",
	 .state = "closed", .labels = flaky_l, .nlabels = 2, .updated_at = NOW - 5 * DAY, .closed_at = NOW - 5 * DAY},
	{.number = 14, .title = "old: test_receipt_counts", .body = "tests::test_receipt_counts broke in 2023",
	 .state = "closed", .updated_at = NOW - 400 * DAY, .closed_at = NOW - 400 * DAY},
	{.number = 15, .title = "PR: fix tests::test_receipt_counts", .body = "local-alignment-audit-aba1c6",
	 .state = "open", .is_pull = true, .updated_at = NOW, .closed_at = NAN},
	{.number = 16, .title = "Counting bug", .body = "connection refused to 10.0.0.7:5432 after 3000 ms while "
	 "loading receipts", .state = "open", .updated_at = NOW - 3 * DAY, .closed_at = NAN},
	{.number = 17, .title = "test_receipt_countsXL is slow", .body = "unrelated benchmark",
	 .state = "open", .updated_at = NOW, .closed_at = NAN},
};

static const char *const tests_f[] = {"tests::test_receipt_counts"};
static const char *const files_f[] = {"src/receipt.rs", "tools/pack-check/src/main.rs"};
static const char *const errs_f[] = {"connection refused to 10.0.0.9:5432 after 5000 ms"};

static const struct icorr_facts facts = {
	.run_id = "local-alignment-audit-aba1c6",
	.failing_tests = tests_f, .ntests = 1,
	.touched_files = files_f, .nfiles = 2,
	.errors = errs_f, .nerrors = 1,
	.now = NOW,
};

static const struct icorr_match *find(const struct icorr_result *r, long number)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].number == number)
			return &r->v[i];
	return NULL;
}

static bool has_reason(const struct icorr_match *m, const char *text)
{
	for (size_t i = 0; i < m->nreasons; i++)
		if (strcmp(m->reasons[i], text) == 0)
			return true;
	return false;
}

static void scoring(void **state)
{
	struct icorr_result r;
	(void)state;
	icorr_run(&facts, issues, sizeof issues / sizeof issues[0], &r);
	assert_false(r.skipped);
	/* 14 closed 400 days ago and the PR are not considered */
	assert_int_equal(r.considered, 5);
	assert_int_equal(r.n, 4);
	/* #11: run id 5 + full test 4 + file path 3 + label 1 + open 1 = 14 (the title
	 * holds only the short test name, which counts when the full one is absent) */
	const struct icorr_match *m = find(&r, 11);
	assert_non_null(m);
	assert_int_equal(m->score, 14);
	assert_int_equal(m->cls, ICORR_LIKELY_CLASS);
	assert_true(has_reason(m, "+5 run id `local-alignment-audit-aba1c6` in body"));
	assert_true(has_reason(m, "+4 failing test `tests::test_receipt_counts` in body"));
	assert_true(has_reason(m, "+3 touched file `src/receipt.rs` in body"));
	assert_false(has_reason(m, "+1 a match in title"));
	assert_true(has_reason(m, "+1 label `bug` in labels"));
	assert_true(has_reason(m, "+1 still open in state"));
	/* #13 closed 5 days ago: full test 4 + label flaky 1 = 5 (title has only receipt_counts) */
	m = find(&r, 13);
	assert_non_null(m);
	assert_int_equal(m->score, 5);
	assert_int_equal(m->cls, ICORR_POSSIBLE);
	assert_false(m->open);
	/* #12: touched file path 3 + open 1 = 4 */
	m = find(&r, 12);
	assert_non_null(m);
	assert_int_equal(m->score, 4);
	/* #16: error message with other numbers (masked) 3 + open 1 = 4 */
	m = find(&r, 16);
	assert_non_null(m);
	assert_int_equal(m->score, 4);
	assert_true(has_reason(m, "+3 error message `connection refused to 10.0.0.9:5432 after 5000 ms` in body"));
	/* #17: test_receipt_countsXL is another word: no match */
	assert_null(find(&r, 17));
	/* order: score desc, then most recently updated */
	assert_int_equal(r.v[0].number, 11);
	assert_int_equal(r.v[1].number, 13);
	assert_int_equal(r.v[2].number, 12);  /* updated 1 day ago */
	assert_int_equal(r.v[3].number, 16);  /* updated 3 days ago */
	icorr_result_free(&r);
	assert_int_equal(r.n, 0);
}

static void short_name_and_windows(void **state)
{
	struct icorr_result r;
	static const char *const t2[] = {"pkg/receipts::count_totals_by_flow"};
	struct icorr_facts f = {.failing_tests = t2, .ntests = 1, .now = NOW, .recent_days = 3};
	struct icorr_issue is[] = {
		{.number = 1, .title = "count_totals_by_flow wrong", .body = NULL, .state = "open",
		 .updated_at = NOW, .closed_at = NAN},
		{.number = 2, .title = "count_totals_by_flow again", .body = "", .state = "closed",
		 .updated_at = NOW, .closed_at = NOW - 4 * DAY},
	};
	(void)state;
	icorr_run(&f, is, 2, &r);
	/* last component 2 + title 1 + open 1 = 4; #2 closed before the 3-day window */
	assert_int_equal(r.considered, 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].score, 4);
	assert_true(has_reason(&r.v[0], "+2 failing test name `count_totals_by_flow` in title"));
	icorr_result_free(&r);
	/* nothing in, nothing out; empty facts match nothing */
	struct icorr_facts none = {.now = NOW};
	icorr_run(&none, issues, sizeof issues / sizeof issues[0], &r);
	assert_int_equal(r.n, 0);
	icorr_result_free(&r);
	icorr_run(&facts, NULL, 0, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.considered, 0);
	icorr_result_free(&r);
}

static const char *env_of(const char *name, void *ctx)
{
	const char *const *kv = ctx;
	for (; kv[0]; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return *kv[1] ? kv[1] : NULL;
	return NULL;
}

static void no_token_skips(void **state)
{
	const char *env[] = {"GITHUB_REPOSITORY", "o/r", NULL};
	struct gh_client *c = (struct gh_client *)1;
	struct wz_err err;
	struct icorr_result r;
	(void)state;
	assert_null(gh_token(env_of, env, NULL));
	assert_int_equal(gh_client_new(&c, env_of, env, "o/r", NULL, &err), WZ_EUSAGE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "skipped: no GH_TOKEN or GITHUB_TOKEN"));
	icorr_skip(&r, GH_SKIP_NO_TOKEN);
	assert_true(r.skipped);
	assert_string_equal(r.reason, "skipped: no GH_TOKEN or GITHUB_TOKEN");
	icorr_result_free(&r);
}

static void tokens_and_bases(void **state)
{
	const char *var = NULL;
	(void)state;
	const char *e1[] = {"GH_TOKEN", "a", "GITHUB_TOKEN", "b", NULL};
	assert_string_equal(gh_token(env_of, e1, &var), "a");
	assert_string_equal(var, "GH_TOKEN");
	const char *e2[] = {"GH_TOKEN", "", "GITHUB_TOKEN", "b", "GH_ENTERPRISE_TOKEN", "e", NULL};
	assert_string_equal(gh_token(env_of, e2, &var), "b");   /* empty = unset; not enterprise */
	assert_string_equal(var, "GITHUB_TOKEN");
	const char *e3[] = {"GITHUB_TOKEN", "b", "GH_ENTERPRISE_TOKEN", "e", "GH_HOST", "ghe.corp", NULL};
	assert_string_equal(gh_token(env_of, e3, &var), "e");
	char *b = gh_api_base(env_of, e3);
	assert_string_equal(b, "https://ghe.corp/api/v3");
	free(b);
	const char *e4[] = {"GITHUB_API_URL", "http://127.0.0.1:4010/prefix/", "GH_HOST", "ghe.corp", NULL};
	b = gh_api_base(env_of, e4);
	assert_string_equal(b, "http://127.0.0.1:4010/prefix");
	free(b);
	const char *e5[] = {"GH_HOST", "github.com", NULL};
	b = gh_api_base(env_of, e5);
	assert_string_equal(b, "https://api.github.com");
	free(b);
}

static void remotes(void **state)
{
	char o[128];
	(void)state;
	assert_true(gh_parse_remote("https://github.com/EffortlessMetrics/demo-swarm.git", o, sizeof o));
	assert_string_equal(o, "EffortlessMetrics/demo-swarm");
	assert_true(gh_parse_remote("git@github.com:owner/repo.git", o, sizeof o));
	assert_string_equal(o, "owner/repo");
	assert_true(gh_parse_remote("ssh://git@github.com:22/owner/re.po", o, sizeof o));
	assert_string_equal(o, "owner/re.po");
	assert_true(gh_parse_remote("https://x-access-token:tok@github.com/o/r", o, sizeof o));
	assert_string_equal(o, "o/r");
	assert_true(gh_parse_remote("https://github.com/o/r/", o, sizeof o));
	assert_string_equal(o, "o/r");
	assert_false(gh_parse_remote("https://github.com/o", o, sizeof o));
	assert_false(gh_parse_remote("https://github.com/o/r/tree/main", o, sizeof o));
	assert_false(gh_parse_remote("/srv/git/repo", o, sizeof o));
	assert_false(gh_parse_remote("", o, sizeof o));
	assert_false(gh_parse_remote("https://github.com/o/$(rm)", o, sizeof o));

	const char *env[] = {"GITHUB_REPOSITORY", "acme/checkout", NULL};
	const char *src = NULL;
	struct wz_err err;
	assert_int_equal(gh_resolve_repo(env_of, env, "x/y", NULL, o, sizeof o, &src, &err), WZ_OK);
	assert_string_equal(o, "acme/checkout");
	assert_string_equal(src, "GITHUB_REPOSITORY");
	const char *none[] = {NULL};
	assert_int_equal(gh_resolve_repo(env_of, none, "x/y", NULL, o, sizeof o, &src, &err), WZ_OK);
	assert_string_equal(o, "x/y");
	assert_string_equal(src, "run_meta.json github_repo");
	assert_int_equal(gh_resolve_repo(env_of, none, NULL, "/nonexistent", o, sizeof o, &src, &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "GITHUB_REPOSITORY"));
	const char *bad[] = {"GITHUB_REPOSITORY", "just-a-name", NULL};
	assert_int_equal(gh_resolve_repo(env_of, bad, NULL, NULL, o, sizeof o, &src, &err), WZ_EUSAGE);
}

static void parse_json(void **state)
{
	struct gh_issues l;
	struct gh_issue is;
	struct wz_err err;
	(void)state;
	const char *arr = "[{\"number\":3,\"title\":\"t\",\"state\":\"closed\",\"state_reason\":\"completed\","
			  "\"labels\":[{\"name\":\"bug\"},\"raw\",{\"x\":1}],\"user\":{\"login\":\"ann\"},"
			  "\"created_at\":\"2025-12-20T17:06:14Z\",\"closed_at\":null,\"body\":null},"
			  "{\"number\":4,\"pull_request\":{\"url\":\"u\"}},{\"title\":\"no number\"}]";
	assert_int_equal(gh_parse_issue_array(arr, &l, &err), WZ_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].number, 3);
	assert_string_equal(l.v[0].user, "ann");
	assert_int_equal(l.v[0].labels.n, 2);
	assert_string_equal(l.v[0].labels.v[1], "raw");
	assert_int_equal((long long)l.v[0].created_at, 1766250374LL);
	assert_true(isnan(l.v[0].closed_at));
	assert_null(l.v[0].body);
	gh_issues_free(&l);
	assert_int_equal(gh_parse_issue_array("{\"message\":\"x\"}", &l, &err), WZ_ETYPE);
	assert_int_equal(gh_parse_issue_array("[1,", &l, &err), WZ_EPARSE);
	assert_non_null(strstr(err.msg, "not JSON"));
	assert_int_equal(gh_parse_issue("{\"number\":\"7\"}", &is, &err), WZ_ETYPE);
	assert_int_equal(gh_parse_issue("", &is, &err), WZ_EPARSE);
	assert_int_equal(gh_parse_issue("{\"number\":7,\"title\":\"\xff\xfe\"}", &is, &err), WZ_EPARSE);
}

static void error_mapping(void **state)
{
	struct wz_err err;
	struct http_header h[] = {{"x-ratelimit-remaining", "0"}};
	struct http_response r = {0};
	(void)state;
	r.status = 401;
	r.body = "{\"message\":\"Bad credentials\"}";
	assert_int_equal(gh_map_error(&r, "list issues of o/r", "GITHUB_TOKEN", &err), WZ_EACCES);
	assert_non_null(strstr(err.msg, "401 bad credentials: the token in GITHUB_TOKEN"));
	r.status = 403;
	r.body = "{\"message\":\"Resource not accessible by integration\"}";
	assert_int_equal(gh_map_error(&r, "create an issue in o/r", "GH_TOKEN", &err), WZ_EACCES);
	assert_non_null(strstr(err.msg, "403 forbidden"));
	assert_non_null(strstr(err.msg, "Resource not accessible by integration"));
	r.headers = h;
	r.nheaders = 1;
	r.body = "{\"message\":\"API rate limit exceeded\"}";
	assert_int_equal(gh_map_error(&r, "list issues of o/r", "GH_TOKEN", &err), WZ_ENET);
	assert_non_null(strstr(err.msg, "rate limited"));
	r.headers = NULL;
	r.nheaders = 0;
	r.status = 404;
	r.body = "{\"message\":\"Not Found\"}";
	assert_int_equal(gh_map_error(&r, "read issue #9 of o/r", "GH_TOKEN", &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "404 no access or not found"));
	r.status = 410;
	r.body = "{\"message\":\"Issues are disabled for this repo\"}";
	assert_int_equal(gh_map_error(&r, "list issues of o/r", "GH_TOKEN", &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "issues are disabled"));
	r.status = 422;
	r.body = "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"field\":\"title\","
		 "\"code\":\"missing_field\"},\"free \\u001b[31mtext\"]}";
	assert_int_equal(gh_map_error(&r, "create an issue in o/r", "GH_TOKEN", &err), WZ_EUSAGE);
	assert_string_equal(err.msg, "GitHub: cannot create an issue in o/r: 422 validation failed: field 'title' "
				     "of Issue is missing_field; free  [31mtext; fix the request fields");
	r.status = 0;
	snprintf(r.error, sizeof r.error, "GET http://x/: timed out after 4 attempts");
	assert_int_equal(gh_map_error(&r, "list issues of o/r", "GH_TOKEN", &err), WZ_ENET);
	r.status = 502;
	r.body = "<html>";
	assert_int_equal(gh_map_error(&r, "list issues of o/r", "GH_TOKEN", &err), WZ_ENET);
	assert_non_null(strstr(err.msg, "HTTP 502"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scoring),        cmocka_unit_test(short_name_and_windows),
		cmocka_unit_test(no_token_skips), cmocka_unit_test(tokens_and_bases),
		cmocka_unit_test(remotes),        cmocka_unit_test(parse_json),
		cmocka_unit_test(error_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
