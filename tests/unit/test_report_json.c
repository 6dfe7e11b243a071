/* test_report_json.c - the wisdom-report/1 writer and the text report on
 * hand-built runs: null vs 0, disagreeing test sources, strings with
 * escapes and invalid UTF-8, exit status, and the sanitiser. */
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

#include "model/audit.h"
#include "model/run.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"
#include "sources/extensions.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

static void num(struct opt_num *n, double v)
{
	n->has = true;
	n->v = v;
}

static void receipt(struct run *r, enum run_flow f, enum receipt_status st, const char *word, const char *when)
{
	struct receipt *rc = &r->flows[f].receipt;
	char path[64];
	r->flows[f].dir_present = true;
	rc->present = rc->parsed = true;
	rc->status = st;
	rc->status_raw = xstrdup(word);
	rc->recommended_action = xstrdup(st == RS_CANNOT_PROCEED ? "FIX_ENV" : "PROCEED");
	snprintf(path, sizeof path, "%s/%s_receipt.json", run_flow_name(f), run_flow_name(f));
	prov_set(&rc->src, path, 0);
	if (when) {
		rc->completed_at_raw = xstrdup(when);
		tp_parse(when, &rc->completed_at, NULL, NULL);
	}
}

static struct test_counts *add_source(struct run *r, const char *name, const char *path, int line)
{
	struct test_counts *t;
	r->tests = xrealloc(r->tests, (r->ntests + 1) * sizeof *r->tests);
	t = &r->tests[r->ntests++];
	memset(t, 0, sizeof *t);
	t->source = xstrdup(name);
	prov_set(&t->src, path, line);
	return t;
}

/* A clean 7-flow run: every receipt VERIFIED, no test sources. */
static struct run *clean_run(void)
{
	struct run *r = run_new();
	int f;
	r->id = xstrdup("local-demo-abc123");
	r->path = xstrdup("/tmp/x/.runs/local-demo-abc123");
	r->generation = GEN_DEMOSWARM_7;
	r->github_repo = xstrdup("owner/repo");
	num(&r->issue_number, 1);
	for (f = 0; f < FLOW_COUNT; f++)
		receipt(r, (enum run_flow)f, RS_VERIFIED, "VERIFIED", "2025-12-20T10:00:00Z");
	return r;
}

/* An empty environment, whatever the test runner exports. */
static const char *noenv(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return NULL;
}

static json_t *build(const struct run *r, const struct audit *a)
{
	struct rjson_input in;
	struct ext_result be[EB_COUNT];
	memset(&in, 0, sizeof in);
	ext_detect(noenv, NULL, be);
	in.run = r;
	in.audit = a;
	in.backends = be;
	in.now = NAN;
	in.version = "test";
	return rjson_build(&in);
}

/* Round trip through text: what a consumer of --json sees. */
static json_t *roundtrip(const json_t *doc)
{
	char *s = rjson_dump(doc);
	json_error_t e;
	json_t *back = json_loads(s, 0, &e);
	assert_non_null(back);
	assert_int_equal(s[strlen(s) - 1], '\n');
	free(s);
	return back;
}

#define PATH(doc, ...) json_pointer(doc, (const char *[]){__VA_ARGS__, NULL})
static const json_t *json_pointer(const json_t *j, const char **keys)
{
	for (; *keys && j; keys++)
		j = json_object_get(j, *keys);
	return j;
}

static void test_skeleton(void **st)
{
	struct run *r = clean_run();
	json_t *doc = build(r, NULL), *back = roundtrip(doc);
	(void)st;
	assert_string_equal(json_string_value(PATH(back, "schema")), "wisdom-report/1");
	assert_string_equal(json_string_value(PATH(back, "run", "id")), "local-demo-abc123");
	assert_string_equal(json_string_value(PATH(back, "run", "generation")), "demoswarm-7");
	assert_int_equal(json_integer_value(PATH(back, "run", "issue_number")), 1);
	assert_true(json_is_null(PATH(back, "run", "pr_number")));
	assert_true(json_is_array(PATH(back, "findings")) && json_array_size(PATH(back, "findings")) == 0);
	assert_true(json_is_array(PATH(back, "learnings")) && json_array_size(PATH(back, "learnings")) == 0);
	assert_true(json_is_array(PATH(back, "caps")));
	assert_true(json_is_null(PATH(back, "audit")));
	assert_true(json_is_null(PATH(back, "generated_at")));
	assert_string_equal(json_string_value(PATH(back, "flows", "build", "status")), "VERIFIED");
	assert_string_equal(json_string_value(PATH(back, "flows", "gate", "source")), "gate/gate_receipt.json");
	assert_string_equal(json_string_value(PATH(back, "flows", "wisdom", "completed_at")), "2025-12-20T10:00:00Z");
	assert_string_equal(json_string_value(PATH(back, "backends", "github", "state")), "skipped");
	assert_true(json_is_null(PATH(back, "tests", "passed")));   /* no evidence: unknown */
	assert_true(json_is_null(PATH(back, "deploy_time", "t")));
	assert_false(json_is_true(PATH(back, "observability", "inventory")));
	assert_true(json_is_null(PATH(back, "observability", "metrics")));   /* "no inventory", not 0 */
	assert_int_equal(rjson_exit_status(back), 0);
	json_decref(back);
	json_decref(doc);
	run_free(&r);
}

static void test_null_vs_zero(void **st)
{
	struct run *r = clean_run();
	struct test_counts *t = add_source(r, "build/test_execution.md", "build/test_execution.md", 41);
	json_t *doc, *back;
	(void)st;
	num(&t->passed, 53);
	num(&t->failed, 0);
	doc = build(r, NULL);
	back = roundtrip(doc);
	assert_true(json_is_integer(PATH(back, "tests", "failed")));
	assert_int_equal(json_integer_value(PATH(back, "tests", "failed")), 0);
	assert_int_equal(json_integer_value(PATH(back, "tests", "passed")), 53);
	assert_true(json_is_null(PATH(back, "tests", "skipped")));
	assert_true(json_is_null(PATH(back, "tests", "errors")));
	assert_string_equal(json_string_value(PATH(back, "tests", "source")), "build/test_execution.md");
	assert_string_equal(json_string_value(json_object_get(json_array_get(PATH(back, "tests", "sources"), 0), "at")),
			    "build/test_execution.md:41");
	/* the build receipt (parsed, tests all null) is listed as its own source */
	assert_int_equal(json_array_size(PATH(back, "tests", "sources")), 2);
	assert_true(json_is_null(json_object_get(json_array_get(PATH(back, "tests", "sources"), 1), "passed")));
	assert_true(json_is_true(PATH(back, "tests", "agree")));
	assert_int_equal(rjson_exit_status(back), 0);
	json_decref(back);
	json_decref(doc);
	run_free(&r);
}

static void test_disagreeing_sources(void **st)
{
	struct run *r = clean_run();
	struct test_counts *a, *b, *c;
	json_t *doc, *back;
	const json_t *srcs;
	char *text;
	(void)st;
	add_source(r, "receipt", "build/build_receipt.json", 0);   /* all unknown */
	add_source(r, "build/test_execution.md", "build/test_execution.md", 41);
	add_source(r, "build/test_output.log", "build/test_output.log", 0);
	a = &r->tests[0];   /* pointers after the last realloc */
	b = &r->tests[1];
	c = &r->tests[2];
	(void)a;
	num(&b->passed, 53);
	num(&b->failed, 0);
	num(&c->passed, 374);
	num(&c->failed, 2);
	doc = build(r, NULL);
	back = roundtrip(doc);
	srcs = PATH(back, "tests", "sources");
	assert_int_equal(json_array_size(srcs), 3);   /* receipt listed by the reader: not added twice */
	/* the first source that knows anything is the headline, named */
	assert_string_equal(json_string_value(PATH(back, "tests", "source")), "build/test_execution.md");
	assert_int_equal(json_integer_value(PATH(back, "tests", "passed")), 53);
	assert_false(json_is_true(PATH(back, "tests", "agree")));
	assert_int_equal(json_array_size(PATH(back, "tests", "disagreements")), 2);
	assert_string_equal(json_string_value(json_array_get(PATH(back, "tests", "disagreements"), 0)), "passed");
	assert_string_equal(json_string_value(json_array_get(PATH(back, "tests", "disagreements"), 1)), "failed");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(srcs, 2), "passed")), 374);
	assert_true(json_is_null(json_object_get(json_array_get(srcs, 0), "passed")));
	assert_int_equal(rjson_exit_status(back), 1);   /* a source reports failures */
	text = rtext_render(back, true);
	assert_non_null(strstr(text, "SOURCES DISAGREE on: passed failed"));
	assert_non_null(strstr(text, "unknown"));
	assert_non_null(strstr(text, "374"));
	assert_non_null(strstr(text, "build/test_output.log reports 2 failed"));
	free(text);
	json_decref(back);
	json_decref(doc);
	run_free(&r);
}

static void test_strings_survive(void **st)
{
	struct run *r = clean_run();
	json_t *doc, *back;
	char *text, *dump;
	(void)st;
	free(r->task_title);
	r->task_title = xstrdup("caf\xC3\xA9 \xE2\x80\x94 \x1B[31mred\x1B[0m \"q\" \\ \x07");
	free(r->github_repo);
	r->github_repo = xstrdup("bad\xFF\xFEutf8");
	run_warn(r, "gate/x.md:3: line\nbreak \x1B]8;;http://e\x1B\\link");
	doc = build(r, NULL);
	dump = rjson_dump(doc);
	assert_null(strchr(dump, 0x1B));   /* escapes are JSON-escaped, never raw */
	assert_non_null(strstr(dump, "\\u001B[31m"));
	free(dump);
	back = roundtrip(doc);
	assert_string_equal(json_string_value(PATH(back, "run", "task_title")),
			    "caf\xC3\xA9 \xE2\x80\x94 \x1B[31mred\x1B[0m \"q\" \\ \x07");
	assert_string_equal(json_string_value(PATH(back, "run", "github_repo")), "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8");
	text = rtext_render(back, true);
	assert_null(strchr(text, 0x1B));
	assert_null(strchr(text, 0x07));
	assert_non_null(strstr(text, "caf\xC3\xA9 \xE2\x80\x94 ^[[31mred^[[0m"));
	assert_non_null(strstr(text, "line^Jbreak ^[]8;;http://e^[\\link"));
	free(text);
	json_decref(back);
	json_decref(doc);
	run_free(&r);
}

static void test_attention_and_audit(void **st)
{
	struct run *r = clean_run();
	struct audit *a = xcalloc(1, sizeof *a);
	json_t *doc, *back;
	const json_t *row;
	char *text;
	(void)st;
	free(r->flows[FLOW_BUILD].receipt.status_raw);
	r->flows[FLOW_BUILD].receipt.status_raw = xstrdup("CANNOT_PROCEED");
	r->flows[FLOW_BUILD].receipt.status = RS_CANNOT_PROCEED;
	a->rows = xcalloc(2, sizeof *a->rows);
	a->n = 2;
	a->rows[0] = (struct audit_row){.flow = FLOW_BUILD, .artifact = xstrdup("build/test_execution.md"),
					.required = true, .state = AUD_PRESENT, .size = 1200, .nfiles = 1};
	tp_parse("2025-12-20T12:00:00Z", &a->rows[0].mtime, NULL, NULL);
	a->rows[1] = (struct audit_row){.flow = FLOW_WISDOM, .artifact = xstrdup("wisdom/learnings.md"),
					.required = true, .state = AUD_MISSING, .size = -1, .mtime = NAN,
					.note = xstrdup("no learnings to import")};
	a->present = 1;
	a->missing_required = 1;
	doc = build(r, a);
	back = roundtrip(doc);
	assert_int_equal(rjson_exit_status(back), 1);
	assert_int_equal(json_array_size(PATH(back, "attention")), 2);
	assert_string_equal(json_string_value(json_array_get(PATH(back, "attention"), 0)),
			    "build: receipt status CANNOT_PROCEED");
	assert_string_equal(json_string_value(json_array_get(PATH(back, "attention"), 1)),
			    "audit: required artifact wisdom/learnings.md is missing");
	row = json_array_get(PATH(back, "audit"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "state")), "present");
	assert_int_equal(json_integer_value(json_object_get(row, "size")), 1200);
	assert_string_equal(json_string_value(json_object_get(row, "mtime")), "2025-12-20T12:00:00Z");
	row = json_array_get(PATH(back, "audit"), 1);
	assert_string_equal(json_string_value(json_object_get(row, "state")), "missing");
	assert_true(json_is_null(json_object_get(row, "size")));
	assert_true(json_is_null(json_object_get(row, "mtime")));
	assert_int_equal(json_integer_value(PATH(back, "audit_summary", "missing_required")), 1);
	text = rtext_render(back, false);
	assert_non_null(strstr(text, "missing     required wisdom/learnings.md  no learnings to import"));
	assert_non_null(strstr(text, "CANNOT_PROCEED"));
	free(text);
	json_decref(back);
	json_decref(doc);
	audit_free(&a);
	run_free(&r);
}

static void test_verdicts_time_markers(void **st)
{
	struct run *r = clean_run();
	json_t *doc, *back;
	char *text;
	(void)st;
	r->merge_verdict.v = xstrdup("MERGE");
	prov_set(&r->merge_verdict.src, "gate/merge_decision.md", 5);
	r->flows[FLOW_GATE].receipt.merge_verdict = xstrdup("BOUNCE");
	r->flows[FLOW_DEPLOY].receipt.deployment_verdict = xstrdup("NOT_DEPLOYED");
	tp_parse("2025-12-20T17:06:14Z", &r->deploy_time, NULL, NULL);
	r->deploy_time_source = xstrdup("deploy/deployment_log.md:16 Merged At");
	r->markers[MK_SUG].file_present = true;
	r->markers[MK_SUG].counted = 6;
	num(&r->markers[MK_SUG].stated, 5);
	r->markers[MK_LEARNING].file_present = true;
	r->markers[MK_LEARNING].counted = 0;   /* counted zero is a real 0 */
	r->obs.present = true;
	r->obs.metrics = 4;
	r->obs.slos = 0;
	/* wisdom sealed before deploy: deploy's receipt is newer */
	free(r->flows[FLOW_DEPLOY].receipt.completed_at_raw);
	r->flows[FLOW_DEPLOY].receipt.completed_at_raw = xstrdup("2025-12-21T10:00:00Z");
	tp_parse("2025-12-21T10:00:00Z", &r->flows[FLOW_DEPLOY].receipt.completed_at, NULL, NULL);
	r->wisdom_stale = true;
	doc = build(r, NULL);
	back = roundtrip(doc);
	assert_string_equal(json_string_value(PATH(back, "merge_verdict", "value")), "MERGE");
	assert_string_equal(json_string_value(PATH(back, "merge_verdict", "source")), "gate/merge_decision.md:5");
	assert_string_equal(json_string_value(PATH(back, "merge_verdict", "receipt")), "BOUNCE");
	assert_false(json_is_true(PATH(back, "merge_verdict", "agree")));
	/* no artifact value: the receipt's, named as such */
	assert_string_equal(json_string_value(PATH(back, "deployment_verdict", "value")), "NOT_DEPLOYED");
	assert_string_equal(json_string_value(PATH(back, "deployment_verdict", "source")), "deploy/deploy_receipt.json");
	assert_string_equal(json_string_value(PATH(back, "deploy_time", "t")), "2025-12-20T17:06:14Z");
	assert_string_equal(json_string_value(PATH(back, "deploy_time", "source")),
			    "deploy/deployment_log.md:16 Merged At");
	assert_int_equal(json_integer_value(PATH(back, "markers", "suggestions", "counted")), 6);
	assert_int_equal(json_integer_value(PATH(back, "markers", "suggestions", "stated")), 5);
	assert_false(json_is_true(PATH(back, "markers", "suggestions", "agree")));
	assert_true(json_is_integer(PATH(back, "markers", "learnings", "counted")));
	assert_int_equal(json_integer_value(PATH(back, "markers", "learnings", "counted")), 0);
	assert_true(json_is_null(PATH(back, "markers", "regressions", "counted")));   /* file missing */
	assert_int_equal(json_integer_value(PATH(back, "observability", "metrics")), 4);
	assert_true(json_is_integer(PATH(back, "observability", "slos")));
	assert_true(json_is_true(PATH(back, "flows", "deploy", "stale")));
	assert_false(json_is_true(PATH(back, "flows", "gate", "stale")));
	assert_true(json_is_true(PATH(back, "flows", "wisdom", "stale")));
	text = rtext_render(back, true);
	assert_non_null(strstr(text, "RECEIPT DISAGREES: BOUNCE"));
	assert_non_null(strstr(text, "2025-12-20T17:06:14Z  from deploy/deployment_log.md:16 Merged At"));
	assert_non_null(strstr(text, "STATED != COUNTED"));
	assert_non_null(strstr(text, "STALE"));
	free(text);
	json_decref(back);
	json_decref(doc);
	run_free(&r);
}

static void test_sanitize(void **st)
{
	struct buf b = {0};
	static const char in[] = "a\x1B[31mb\x07\x7F\xC2\x85\xFF \xC3\xA9\t";
	char *s;
	(void)st;
	rtext_sanitize(in, sizeof in - 1, true, &b);
	assert_string_equal(buf_str(&b), "a^[[31mb^G^?<U+0085>\\xFF \xC3\xA9^I");
	buf_reset(&b);
	rtext_sanitize(in, sizeof in - 1, false, &b);
	assert_string_equal(buf_str(&b), "a^[[31mb^G^?<U+0085>\\xFF <U+00E9>^I");
	buf_reset(&b);
	/* truncated sequence at the end, overlong encoding, surrogate */
	rtext_sanitize("\xE2\x80", 2, true, &b);
	rtext_sanitize("\xC0\xAF", 2, true, &b);
	rtext_sanitize("\xED\xA0\x80", 3, true, &b);
	assert_string_equal(buf_str(&b), "\\xE2\\x80\\xC0\\xAF\\xED\\xA0\\x80");
	buf_free(&b);
	/* a right-to-left override is shown, not obeyed */
	rtext_sanitize("a\xE2\x80\xAE" "b", 5, true, &b);
	assert_string_equal(buf_str(&b), "a<U+202E>b");
	buf_free(&b);
	s = rtext_safe(NULL, true);
	assert_string_equal(s, "");
	free(s);
	s = rtext_safe("plain text", true);
	assert_string_equal(s, "plain text");
	free(s);
}

static void test_rjson_str(void **st)
{
	json_t *j;
	(void)st;
	j = rjson_str(NULL);
	assert_true(json_is_null(j));
	json_decref(j);
	j = rjson_str("\xFF");
	assert_string_equal(json_string_value(j), "\xEF\xBF\xBD");
	json_decref(j);
	j = rjson_str("ok \xE2\x9C\x93");
	assert_string_equal(json_string_value(j), "ok \xE2\x9C\x93");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_null_vs_zero),
		cmocka_unit_test(test_disagreeing_sources),
		cmocka_unit_test(test_strings_survive),
		cmocka_unit_test(test_attention_and_audit),
		cmocka_unit_test(test_verdicts_time_markers),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_rjson_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
