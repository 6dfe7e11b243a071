/* test_testhist.c - test history across runs: the demo's two runs, a
 * truncated junit.xml, missing/empty build folders, later and undated
 * runs, module matching. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "demo_fixture.h"
#include "sources/runs.h"
#include "sources/testhist.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static char scratch[256];
static char *demo_repo;

static int setup(void **state)
{
	(void)state;
	return demo_fixture_up("wz-th-test", scratch, sizeof scratch, &demo_repo);
}

static int teardown(void **state)
{
	(void)state;
	return demo_fixture_down(scratch, &demo_repo);
}

static void put(const char *path, const char *text)
{
	struct wz_err err;
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = 0;
	assert_int_equal(fio_mkdirs(dir, 0777, &err), WZ_OK);
	free(dir);
	assert_int_equal(fio_write_atomic(path, text, strlen(text), &err), WZ_OK);
}

static const struct reg_obs *obs(const struct th_history *h, const char *id, size_t i)
{
	const struct reg_test_history *t = reg_history_get(&h->hist, id);
	assert_non_null(t);
	assert_true(i < t->n);
	return &t->v[i];
}

static bool has_sub(const struct str_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strstr(l->v[i], s))
			return true;
	return false;
}

/* The skew run: its junit.xml (19 tests, 2 failed) is used, the TAP inside
 * test_output.log is dropped; the base run is its one earlier run. */
static void test_demo_skew(void **state)
{
	struct wz_err err;
	struct run *r = NULL;
	struct th_history *h = NULL;
	(void)state;
	assert_int_equal(runs_open(DEMO_RUN_ID, demo_repo, &r, &err), WZ_OK);
	assert_int_equal(th_gather(r, &h, &err), WZ_OK);
	assert_int_equal(h->cur.nreports, 1);
	assert_non_null(strstr(h->cur.reports[0]->path, "build/junit.xml"));
	assert_int_equal(h->cur.executed, 19);
	assert_int_equal(h->cur.failed, 2);
	assert_int_equal(h->cur.dropped.n, 1);
	assert_non_null(strstr(h->cur.dropped.v[0], "build/test_output.log: its TAP results repeat tests of build/junit.xml"));
	/* test_execution.md line 27: "- commit: <sha of r02-skew-tests>" */
	assert_string_equal(h->cur.sha_source, "build/test_execution.md:27 commit");
	assert_int_equal(strlen(h->cur.sha), 40);
	assert_string_equal(h->cur.time_source, "build/build_receipt.json completed_at");
	assert_true(fabs(h->cur.time - 1763468433.0) < 1e-6);   /* 2025-11-18T12:20:33Z */
	assert_int_equal(h->nearlier, 1);
	assert_int_equal(h->nlater, 0);
	assert_string_equal(h->earlier[0].run_id, DEMO_BASE_RUN_ID);
	/* base: no commit line, so run_meta merge_sha (c05-rounding) */
	assert_string_equal(h->earlier[0].sha_source, "run_meta.json merge_sha");
	assert_true(fabs(h->earlier[0].time - 1761904512.0) < 1e-6);   /* 2025-10-31T09:55:12Z */
	assert_int_equal(h->earlier[0].executed, 17);
	assert_int_equal(h->earlier[0].failed, 1);
	/* 17 tests of the base run observed once each */
	assert_int_equal(h->hist.n, 17);
	const struct reg_obs *o = obs(h, "token::expired_token_rejected", 0);
	assert_int_equal(o->status, TR_PASS);
	assert_string_equal(o->run_id, DEMO_BASE_RUN_ID);
	assert_string_equal(o->sha, h->earlier[0].sha);
	/* "failed once ...; passed on re-run" in the base test_execution.md */
	o = obs(h, "payment::capture_timeout_retry", 0);
	assert_int_equal(o->status, TR_FAIL);
	assert_true(o->rerun_passed);
	assert_true(fabs(o->duration - 2.0137) < 1e-9);
	assert_null(reg_history_get(&h->hist, "token::skew_config_bounds"));   /* new in the skew run */
	th_history_free(&h);
	assert_null(h);
	run_free(&r);
}

static void test_demo_base_sees_later(void **state)
{
	struct wz_err err;
	struct run *r = NULL;
	struct th_history *h = NULL;
	(void)state;
	assert_int_equal(runs_open(DEMO_BASE_RUN_ID, demo_repo, &r, &err), WZ_OK);
	assert_int_equal(th_gather(r, &h, &err), WZ_OK);
	assert_int_equal(h->nearlier, 0);
	assert_int_equal(h->nlater, 1);
	assert_int_equal(h->hist.n, 0);
	assert_int_equal(h->cur.reruns.n, 1);
	assert_string_equal(h->cur.reruns.v[0], "payment::capture_timeout_retry");
	const struct tr_case *c = th_find_case(&h->cur, "payment::capture_timeout_retry", NULL);
	assert_non_null(c);
	assert_true(c->flaky);
	th_history_free(&h);
	run_free(&r);
}

static const char junit_ok[] =
	"<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"3\">\n"
	"<testcase classname=\"calc\" name=\"adds\" time=\"0.5\"/>\n"
	"<testcase classname=\"calc\" name=\"subtracts\" time=\"0.25\"/>\n"
	"<testcase classname=\"calc\" name=\"divides\" time=\"0.125\"/>\n</testsuite>\n";
/* cut in the middle of the third testcase */
static const char junit_cut[] =
	"<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"3\">\n"
	"<testcase classname=\"calc\" name=\"adds\" time=\"0.5\"/>\n"
	"<testcase classname=\"calc\" name=\"subtracts\" time=\"0.25\"><failure message=\"boom\">calc.c:12</failure></testcase>\n"
	"<testcase classname=\"calc\" na";

static char *mkrun(const char *runs, const char *id, const char *completed, const char *junit)
{
	char *dir = xasprintf("%s/%s", runs, id), *p;
	p = xasprintf("%s/run_meta.json", dir);
	char *meta = xasprintf("{\"run_id\": \"%s\", \"merge_sha\": \"%.40s\"}\n", id,
			       "0123456789abcdef0123456789abcdef01234567");
	put(p, meta);
	free(meta);
	free(p);
	if (completed) {
		p = xasprintf("%s/build/build_receipt.json", dir);
		char *rc = xasprintf("{\"flow\": \"build\", \"status\": \"VERIFIED\", \"completed_at\": \"%s\"}\n", completed);
		put(p, rc);
		free(rc);
		free(p);
	}
	if (junit) {
		p = xasprintf("%s/build/junit.xml", dir);
		put(p, junit);
		free(p);
	}
	return dir;
}

/* A truncated junit.xml in the current run: the recovered cases are used
 * and a warning names the file and line. An earlier run with no build/ and
 * one with an undated receipt are handled. */
static void test_truncated_and_odd_runs(void **state)
{
	struct wz_err err;
	(void)state;
	char *runs = xasprintf("%s/trunc/.runs", scratch);
	char *a = mkrun(runs, "run-a", "2025-01-01T00:00:00Z", junit_ok);
	char *b = mkrun(runs, "run-b", "2025-01-02T00:00:00Z", junit_cut);
	char *c = mkrun(runs, "run-c", NULL, NULL);         /* no build/, no time */
	char *d = mkrun(runs, "run-d", "2025-01-03T00:00:00Z", NULL);   /* later, empty */
	struct run *r = NULL;
	struct th_history *h = NULL;
	assert_int_equal(runs_open(b, NULL, &r, &err), WZ_OK);
	assert_int_equal(th_gather(r, &h, &err), WZ_OK);
	assert_int_equal(h->cur.nreports, 1);
	assert_true(h->cur.reports[0]->malformed);
	assert_int_equal(h->cur.executed, 2);
	assert_int_equal(h->cur.failed, 1);
	assert_true(has_sub(&h->warnings, "build/junit.xml:"));
	assert_true(has_sub(&h->warnings, "the 2 test results read before it are used"));
	assert_int_equal(h->nearlier, 1);
	assert_string_equal(h->earlier[0].run_id, "run-a");
	assert_int_equal(h->nlater, 1);
	assert_int_equal(h->nundated, 1);
	assert_true(has_sub(&h->warnings, "run-c: no receipt or run_meta time"));
	assert_int_equal(obs(h, "calc::subtracts", 0)->status, TR_PASS);
	assert_true(fabs(obs(h, "calc::divides", 0)->duration - 0.125) < 1e-12);
	th_history_free(&h);
	run_free(&r);
	free(a);
	free(b);
	free(c);
	free(d);
	free(runs);
}

/* A run alone in its folder with an empty build/: nothing, no crash. */
static void test_empty_build(void **state)
{
	struct wz_err err;
	struct th_run tr;
	struct str_list w = { 0 };
	(void)state;
	char *dir = xasprintf("%s/lonely/.runs/solo", scratch);
	char *p = xasprintf("%s/build/test_execution.md", dir);
	put(p, "# Test Execution\n\n- commit: DEADBEEF12\n");
	th_read_run(dir, NULL, &tr, &w);
	assert_int_equal(tr.nreports, 0);
	assert_int_equal(tr.executed, 0);
	assert_string_equal(tr.sha, "deadbeef12");
	assert_string_equal(tr.sha_source, "build/test_execution.md:3 commit");
	assert_true(isnan(tr.time));
	th_run_clear(&tr);
	/* a missing folder */
	char *gone = xasprintf("%s/nope", scratch);
	th_read_run(gone, NULL, &tr, &w);
	assert_int_equal(tr.nreports, 0);
	assert_null(tr.sha);
	th_run_clear(&tr);
	assert_int_equal(w.n, 0);
	struct th_history *h = NULL;
	assert_int_equal(th_gather(NULL, &h, &err), WZ_EUSAGE);
	assert_null(h);
	str_list_free(&w);
	free(gone);
	free(p);
	free(dir);
}

static void test_modules(void **state)
{
	(void)state;
	struct tr_case c = { 0 };
	c.id = "token::expired_token_rejected";
	c.classname = "token";
	char *m = th_test_module(&c);
	assert_string_equal(m, "token");
	assert_true(th_path_related(m, "src/auth/token.c"));
	assert_true(th_path_related(m, "src/auth/token.h"));
	assert_true(th_path_related(m, "tests/test_token.c"));
	assert_false(th_path_related(m, "src/auth/keyring.c"));
	assert_false(th_path_related(m, "src/tokenizer.c"));
	free(m);
	c.id = "tests/test_retry.py::test_retry_backoff";
	c.classname = NULL;
	m = th_test_module(&c);
	assert_string_equal(m, "retry");
	assert_true(th_path_related(m, "src/payments/retry.c"));
	free(m);
	struct tr_case j = { 0 };
	j.id = "com.acme.FooTest::bar";
	j.classname = "com.acme.FooTest";
	m = th_test_module(&j);
	assert_string_equal(m, "Foo");
	assert_true(th_path_related(m, "src/main/java/com/acme/Foo.java"));
	free(m);
	struct tr_case none = { 0 };
	assert_null(th_test_module(&none));
	assert_false(th_path_related(NULL, "x.c"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_skew),
		cmocka_unit_test(test_demo_base_sees_later),
		cmocka_unit_test(test_truncated_and_odd_runs),
		cmocka_unit_test(test_empty_build),
		cmocka_unit_test(test_modules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
