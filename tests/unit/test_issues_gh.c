/* test_issues_gh.c - the github-issues analyzer glue (analysis/issues_gh.h)
 * and its report pieces (sinks/report_issues.h): skip reasons, an HTTP
 * failure, and a scored issue rendered to JSON and sanitised text. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analysis/issues_gh.h"
#include "sinks/report_issues.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* environment matrix: NULL-terminated name/value pairs */
static const char *env_get(const char *name, void *ctx)
{
	const char *const *kv = ctx;
	for (; kv && kv[0]; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static struct run *mkrun(void)
{
	struct run *r = run_new();
	r->id = xstrdup("local-alignment-audit-aba1c6");
	r->deploy_time = NAN;
	return r;
}

static void t_offline(void **st)
{
	const char *env[] = {"GH_TOKEN", "x", "GITHUB_REPOSITORY", "o/r", NULL};
	struct run *r = mkrun();
	struct igh_result res;
	(void)st;
	igh_run(r, NULL, NULL, true, 1.7e9, env_get, (void *)env, &res);
	assert_int_equal(res.state, IGH_SKIPPED);
	assert_string_equal(res.reason, "skipped: offline (--offline makes no network calls)");
	assert_string_equal(igh_state_word(res.state), "skipped");
	igh_result_free(&res);
	run_free(&r);
}

static void t_no_token(void **st)
{
	const char *env[] = {"GITHUB_REPOSITORY", "o/r", NULL};
	struct run *r = mkrun();
	struct igh_result res;
	(void)st;
	igh_run(r, NULL, NULL, false, 1.7e9, env_get, (void *)env, &res);
	assert_int_equal(res.state, IGH_SKIPPED);
	assert_string_equal(res.reason, "skipped: no GH_TOKEN or GITHUB_TOKEN");
	assert_true(res.corr.skipped);
	igh_result_free(&res);
	run_free(&r);
}

static void t_no_repo(void **st)
{
	const char *env[] = {"GITHUB_TOKEN", "x", NULL};
	char dir[] = "/tmp/wz-igh.XXXXXX";
	struct run *r = mkrun();
	struct igh_result res;
	(void)st;
	assert_non_null(mkdtemp(dir));
	igh_run(r, NULL, dir, false, 1.7e9, env_get, (void *)env, &res);
	assert_int_equal(res.state, IGH_SKIPPED);
	assert_memory_equal(res.reason, "skipped: no GitHub repository (", 31);
	assert_string_equal(res.repo, "");
	igh_result_free(&res);
	run_free(&r);
	rmdir(dir);
}

static void t_http_failure(void **st)
{
	const char *env[] = {"GH_TOKEN", "ghp_secretvalue", "GITHUB_REPOSITORY", "octo/hello", "GITHUB_API_URL",
			     "http://127.0.0.1:1", NULL};
	struct run *r = mkrun();
	struct igh_result res;
	json_t *doc = json_pack("{s:{s:{s:n}}}", "backends", "github", "reachable");
	(void)st;
	r->deploy_time = 1766250374.0;   /* 2025-12-20T17:06:14Z */
	igh_run(r, NULL, NULL, false, 1.7e9, env_get, (void *)env, &res);
	assert_int_equal(res.state, IGH_FAILED);
	assert_memory_equal(res.reason, "failed: GitHub: cannot list issues of octo/hello: ", 50);
	assert_null(strstr(res.reason, "ghp_secretvalue"));
	assert_string_equal(res.since, "2025-11-20T17:06:14Z");
	assert_string_equal(res.since_basis, "deploy time");
	rissues_json(&res, doc);
	assert_int_equal(json_array_size(json_object_get(doc, "issues")), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "issues_search"), "state")),
			    "failed");
	assert_true(json_is_false(json_object_get(json_object_get(json_object_get(doc, "backends"), "github"),
						  "reachable")));
	json_decref(doc);
	igh_result_free(&res);
	run_free(&r);
}

/* One issue mentioning the run id in its body, an escape sequence in its
 * title: score 5 (run id) + 1 (open) = 6, class likely. */
static void t_render(void **st)
{
	struct igh_result res;
	struct icorr_issue in;
	struct icorr_facts f;
	struct gh_issue *g;
	json_t *doc = json_pack("{s:{s:{s:n}}}", "backends", "github", "reachable"), *e;
	struct buf b = {0};
	char *text;
	(void)st;
	memset(&res, 0, sizeof res);
	res.state = IGH_OK;
	snprintf(res.repo, sizeof res.repo, "octo/hello");
	res.repo_source = "GITHUB_REPOSITORY";
	snprintf(res.since, sizeof res.since, "2025-11-20T17:06:14Z");
	res.since_basis = "deploy time";
	res.issues.v = g = xcalloc(1, sizeof *g);
	res.issues.n = 1;
	g->number = 12;
	g->title = xstrdup("Gate \x1b[31mred\x1b[0m again");
	g->state = xstrdup("open");
	g->html_url = xstrdup("https://github.com/octo/hello/issues/12");
	g->body = xstrdup("seen in run local-alignment-audit-aba1c6 today");
	g->created_at = g->updated_at = 1.69e9;
	g->closed_at = NAN;
	memset(&in, 0, sizeof in);
	in.number = 12;
	in.title = g->title;
	in.body = g->body;
	in.state = g->state;
	in.url = g->html_url;
	in.created_at = in.updated_at = g->updated_at;
	in.closed_at = NAN;
	memset(&f, 0, sizeof f);
	f.run_id = "local-alignment-audit-aba1c6";
	f.now = 1.7e9;
	icorr_run(&f, &in, 1, &res.corr);
	assert_int_equal(res.corr.n, 1);

	rissues_json(&res, doc);
	assert_int_equal(json_array_size(json_object_get(doc, "issues")), 1);
	e = json_array_get(json_object_get(doc, "issues"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "number")), 12);
	assert_int_equal(json_integer_value(json_object_get(e, "score")), 6);
	assert_string_equal(json_string_value(json_object_get(e, "class")), "likely");
	assert_string_equal(json_string_value(json_object_get(e, "state")), "open");
	assert_string_equal(json_string_value(json_object_get(e, "url")), "https://github.com/octo/hello/issues/12");
	assert_string_equal(json_string_value(json_object_get(e, "title")), "Gate \x1b[31mred\x1b[0m again");
	assert_int_equal(json_array_size(json_object_get(e, "reasons")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "issues_search"), "fetched")), 1);
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(doc, "backends"), "github"),
						 "reachable")));

	rissues_text(doc, true, &b);
	text = buf_detach(&b);
	assert_null(strchr(text, '\x1b'));
	assert_non_null(strstr(text, "\nGitHub issues\n  octo/hello: 1 issues updated since 2025-11-20T17:06:14Z "
				     "(deploy time - 30 days), 1 correlated\n  #12 likely (score 6, open) Gate "));
	assert_non_null(strstr(text, "      https://github.com/octo/hello/issues/12\n"));
	free(text);
	json_decref(doc);
	igh_result_free(&res);
}

static void t_not_run(void **st)
{
	json_t *doc = json_object();
	struct buf b = {0};
	char *text;
	(void)st;
	rissues_json(NULL, doc);
	assert_true(json_is_array(json_object_get(doc, "issues")));
	assert_true(json_is_null(json_object_get(doc, "issues_search")));
	rissues_text(doc, true, &b);
	text = buf_detach(&b);
	assert_string_equal(text, "");
	free(text);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_offline),      cmocka_unit_test(t_no_token), cmocka_unit_test(t_no_repo),
		cmocka_unit_test(t_http_failure), cmocka_unit_test(t_render),   cmocka_unit_test(t_not_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
