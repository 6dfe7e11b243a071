/* test_tr_keep.c - the report keep policy and string arena: reading with
 * TR_KEEP_FAILURES gives the same totals as reading everything (on every
 * real fixture), stores only the listed failures, still counts flaky
 * tests, caps the stored failures, and counts generated 1,000,000-result
 * TAP and JUnit files exactly. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/testreport.h"
#include "sources/report_detect.h"
#include "util/xalloc.h"

static const char *const fixtures[] = {
	"junit/c-main-file-line.xml", "junit/catch2-report.xml", "junit/cunit-testFailure.xml",
	"junit/googletest-disabled.xml", "junit/gotestsum-junitxml-report.xml", "junit/jest-junit.xml",
	"junit/nextest-basic.xml", "junit/phpunit.xml", "junit/pulsar-test-report.xml",
	"junit/pytest-horovod-run1.xml", "junit/pytest-horovod-run2.xml", "junit/pytest-python-xunit.xml",
	"junit/surefire-FlakyTest.xml", "junit/swift-xunit.xml",
	"go-json/go-test-json.out", "go-json/golang-json.json", "tap/node-tap-tests.tap",
	"cobertura/cobertura-2.1.1-java.xml", "cobertura/coveragepy-after.xml",
	"cobertura/coveragepy-before.xml", "cobertura/gcovr-nested-gcc5-cobertura.xml",
	"lcov/coremqtt-base_coverage.info", "lcov/coremqtt-coverage.info",
	"lcov/gcovr-nested-gcc5-coverage.lcov", "lcov/yui-parts.info",
};

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/wz-trkeep.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", tmpdir);
	free(cmd);
	return 0;
}

static char *fixture(const char *rel)
{
	const char *shared = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	if (shared && *shared)
		return xasprintf("%s/data/test-reports/%s", shared, rel);
	return xasprintf("%s/../shared/data/test-reports/%s", top ? top : "..", rel);
}

static struct tr_report *load(const char *path, enum tr_keep keep, size_t max)
{
	struct tr_report *r = NULL;
	struct wz_err err = { 0 };
	enum wz_status st = report_read_keep(path, TR_FMT_UNKNOWN, keep, max, &r, &err);
	if (st != WZ_OK)
		fprintf(stderr, "# %s\n", err.msg);
	assert_int_equal(st, WZ_OK);
	assert_non_null(r);
	return r;
}

static bool is_listed(const struct tr_case *c)
{
	return (c->status == TR_FAIL || c->status == TR_ERROR) && c->bucket != TR_B_TODO;
}

static void same_totals(const struct tr_totals *a, const struct tr_totals *b)
{
	assert_int_equal(a->tests, b->tests);
	assert_int_equal(a->passed, b->passed);
	assert_int_equal(a->failed, b->failed);
	assert_int_equal(a->errors, b->errors);
	assert_int_equal(a->skipped, b->skipped);
	assert_int_equal(a->todo, b->todo);
	assert_int_equal(a->flaky, b->flaky);
	assert_int_equal(a->suite_errors, b->suite_errors);
}

static void opt_str_equal(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every fixture: the keep-failures read equals the full read on all totals,
 * declared values and coverage, and stores exactly the listed failures. */
static void test_keep_equals_full(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof fixtures / sizeof *fixtures; k++) {
		char *p = fixture(fixtures[k]);
		struct tr_report *full = load(p, TR_KEEP_ALL, 0);
		struct tr_report *keep = load(p, TR_KEEP_FAILURES, 0);
		size_t j = 0;
		same_totals(&full->totals, &keep->totals);
		assert_int_equal(full->cov.lines_found, keep->cov.lines_found);
		assert_int_equal(full->cov.lines_hit, keep->cov.lines_hit);
		assert_int_equal(full->cov.branches_hit, keep->cov.branches_hit);
		assert_int_equal(full->cov.functions_hit, keep->cov.functions_hit);
		assert_int_equal(full->ndeclared, keep->ndeclared);
		for (size_t i = 0; i < full->ndeclared; i++)
			assert_string_equal(full->declared[i].raw, keep->declared[i].raw);
		assert_int_equal(full->malformed, keep->malformed);
		assert_int_equal(keep->not_listed, 0);
		for (size_t i = 0; i < full->ncases; i++) {
			const struct tr_case *a = &full->cases[i], *b;
			if (!is_listed(a))
				continue;
			assert_true(j < keep->ncases);
			b = &keep->cases[j++];
			assert_string_equal(a->id, b->id);
			opt_str_equal(a->message, b->message);
			opt_str_equal(a->text, b->text);
			opt_str_equal(a->file, b->file);
			assert_int_equal(a->line, b->line);
			assert_int_equal(a->kind, b->kind);
		}
		assert_int_equal(j, keep->ncases);
		tr_report_free(&full);
		tr_report_free(&keep);
		free(p);
	}
}

/* Spot values from SOURCES.md in keep mode: node-tap 311 tests, 5 failures
 * listed (the 4 TODO points are not); go-test-json 12 failed + 1 package
 * error stored out of 59 tests. */
static void test_keep_stores_failures_only(void **state)
{
	char *p = fixture("tap/node-tap-tests.tap");
	struct tr_report *r = load(p, TR_KEEP_FAILURES, 0);
	(void)state;
	assert_int_equal(r->totals.tests, 311);
	assert_int_equal(r->totals.failed, 5);
	assert_int_equal(r->totals.todo, 4);
	assert_int_equal(r->ncases, 5);
	assert_int_equal(r->seen, 311);
	tr_report_free(&r);
	free(p);
	p = fixture("go-json/go-test-json.out");
	r = load(p, TR_KEEP_FAILURES, 0);
	assert_int_equal(r->totals.tests, 59);
	assert_int_equal(r->totals.failed, 12);
	assert_int_equal(r->totals.errors, 1);
	assert_int_equal(r->ncases, 13);
	tr_report_free(&r);
	free(p);
}

/* A cap below the number of failures: the first ones are stored, the rest
 * is counted as not listed, totals unchanged. */
static void test_keep_cap(void **state)
{
	char *p = fixture("junit/gotestsum-junitxml-report.xml");
	struct tr_report *r = load(p, TR_KEEP_FAILURES, 4);
	(void)state;
	assert_int_equal(r->totals.tests, 60);
	assert_int_equal(r->totals.failed, 13);
	assert_int_equal(r->ncases, 4);
	assert_int_equal(r->not_listed, 9);
	for (size_t i = 0; i < r->ncases; i++)
		assert_int_equal(r->cases[i].status, TR_FAIL);
	tr_report_free(&r);
	free(p);
	/* go -json stores everything first and prunes at the end. */
	p = fixture("go-json/go-test-json.out");
	r = load(p, TR_KEEP_FAILURES, 5);
	assert_int_equal(r->totals.failed, 12);
	assert_int_equal(r->totals.errors, 1);
	assert_int_equal(r->ncases, 5);
	assert_int_equal(r->not_listed, 8);
	tr_report_free(&r);
	free(p);
}

static char *write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* Flaky tests that passed in the end are counted flaky though not stored:
 * a Surefire rerun marker, and a go test with fail then pass events. */
static void test_flaky_keepless(void **state)
{
	char *p = fixture("junit/surefire-FlakyTest.xml");
	struct tr_report *r = load(p, TR_KEEP_FAILURES, 0);
	(void)state;
	assert_int_equal(r->totals.tests, 1);
	assert_int_equal(r->totals.passed, 1);
	assert_int_equal(r->totals.flaky, 1);
	assert_int_equal(r->ncases, 0);
	tr_report_free(&r);
	free(p);

	p = write_file("flaky.json",
		       "{\"Action\":\"run\",\"Package\":\"p\",\"Test\":\"TestA\"}\n"
		       "{\"Action\":\"fail\",\"Package\":\"p\",\"Test\":\"TestA\",\"Elapsed\":0.1}\n"
		       "{\"Action\":\"run\",\"Package\":\"p\",\"Test\":\"TestA\"}\n"
		       "{\"Action\":\"pass\",\"Package\":\"p\",\"Test\":\"TestA\",\"Elapsed\":0.1}\n"
		       "{\"Action\":\"pass\",\"Package\":\"p\",\"Test\":\"TestB\",\"Elapsed\":0.1}\n"
		       "{\"Action\":\"pass\",\"Package\":\"p\",\"Elapsed\":0.3}\n");
	r = load(p, TR_KEEP_FAILURES, 0);
	assert_int_equal(r->totals.tests, 2);
	assert_int_equal(r->totals.passed, 2);
	assert_int_equal(r->totals.flaky, 1);
	assert_int_equal(r->ncases, 0);
	tr_report_free(&r);
	free(p);
}

/* Arena strings, interning, and heap strings assigned by hand still freed
 * with the report (ASan checks the leaks and double frees). */
static void test_arena(void **state)
{
	struct tr_report *r = tr_report_new("x", TR_FMT_JUNIT);
	struct tr_case *c;
	char *a, *b;
	(void)state;
	a = tr_intern(r, "com.example.Suite", 17);
	b = tr_intern(r, "com.example.Suite-and-more", 17);
	assert_ptr_equal(a, b);
	assert_string_equal(a, "com.example.Suite");
	for (int i = 0; i < 5000; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "s%d", i % 300);
		c = tr_add_case(r, TR_K_TEST);
		tr_case_put(r, c, TR_F_SUITE, nm, strlen(nm));
		tr_case_put(r, c, TR_F_NAME, nm, strlen(nm));
		tr_case_make_id(r, c);
	}
	assert_ptr_equal(r->cases[0].suite, r->cases[300].suite);
	assert_ptr_not_equal(r->cases[0].name, r->cases[300].name);
	assert_string_equal(r->cases[301].id, "s1::s1");
	/* Hand-built entries as tests and analyses make them. */
	c = tr_add_case(r, TR_K_TEST);
	c->classname = xstrdup("Heap");
	c->name = xstrdup("made");
	tr_case_set_id(c);
	assert_string_equal(c->id, "Heap::made");
	tr_case_put(r, c, TR_F_NAME, "renamed", 7);     /* frees the heap name */
	tr_case_make_id(r, c);                          /* frees the heap id */
	assert_string_equal(c->id, "Heap::renamed");
	tr_case_set_id(c);                              /* arena id replaced by a heap one */
	tr_case_set_message(c, "boom\nmore", "at x.c:3");
	tr_case_find_location(c);
	assert_string_equal(c->file, "x.c");
	tr_report_finish(r, false);
	assert_int_equal(r->totals.tests, 5001);
	tr_report_free(&r);
	assert_null(r);
}

#define BIG_N 1000000L

/* outcome of result i (1-based) in the generated files */
static int big_kind(long i)
{
	return i % 1000 == 0 ? 'F' : i % 250 == 0 ? 'S' : 'P';
}

static void test_big_tap(void **state)
{
	char *p = xasprintf("%s/big.tap", tmpdir);
	FILE *f = fopen(p, "w");
	struct tr_report *r;
	(void)state;
	assert_non_null(f);
	fprintf(f, "TAP version 13\n1..%ld\n", BIG_N);
	for (long i = 1; i <= BIG_N; i++) {
		int k = big_kind(i);
		fprintf(f, "%s %ld - t%ld%s\n", k == 'F' ? "not ok" : "ok", i, i, k == 'S' ? " # SKIP no" : "");
	}
	assert_int_equal(fclose(f), 0);
	r = load(p, TR_KEEP_FAILURES, 0);
	assert_false(r->malformed);
	assert_int_equal(r->totals.tests, BIG_N);
	assert_int_equal(r->totals.failed, 1000);
	assert_int_equal(r->totals.skipped, 3000);
	assert_int_equal(r->totals.passed, BIG_N - 4000);
	assert_int_equal(r->ncases, 1000);          /* only failures stored */
	assert_string_equal(r->cases[999].name, "t1000000");
	tr_report_free(&r);
	unlink(p);
	free(p);
}

static void test_big_junit(void **state)
{
	char *p = xasprintf("%s/big.xml", tmpdir);
	FILE *f = fopen(p, "w");
	struct tr_report *r;
	(void)state;
	assert_non_null(f);
	fprintf(f, "<?xml version=\"1.0\"?>\n<testsuites tests=\"%ld\">\n", BIG_N);
	for (long i = 1; i <= BIG_N; i++) {
		int k = big_kind(i);
		if (i % 1000 == 1)
			fprintf(f, "<testsuite name=\"s%ld\">\n", i / 1000);
		fprintf(f, "<testcase classname=\"c%ld\" name=\"t%ld\" time=\"0.001\"", i % 17, i);
		if (k == 'F')
			fprintf(f, "><failure message=\"m%ld\">at f.c:%ld</failure></testcase>\n", i, i % 100 + 1);
		else if (k == 'S')
			fprintf(f, "><skipped/></testcase>\n");
		else
			fprintf(f, "/>\n");
		if (i % 1000 == 0)
			fprintf(f, "</testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	assert_int_equal(fclose(f), 0);
	r = load(p, TR_KEEP_FAILURES, 0);
	assert_false(r->malformed);
	assert_int_equal(r->totals.tests, BIG_N);
	assert_int_equal(r->totals.failed, 1000);
	assert_int_equal(r->totals.skipped, 3000);
	assert_int_equal(r->totals.passed, BIG_N - 4000);
	assert_int_equal(r->ncases, 1000);
	assert_string_equal(r->cases[0].id, "c14::t1000");   /* 1000 % 17 == 14 */
	assert_string_equal(r->cases[0].suite, "s0");
	assert_string_equal(r->cases[0].message, "m1000");
	assert_string_equal(r->cases[0].file, "f.c");
	assert_int_equal(r->cases[0].line, 1);
	assert_string_equal(tr_get_declared(r, "tests")->raw, "1000000");
	tr_report_free(&r);
	unlink(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_equals_full),
		cmocka_unit_test(test_keep_stores_failures_only),
		cmocka_unit_test(test_keep_cap),
		cmocka_unit_test(test_flaky_keepless),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_big_tap),
		cmocka_unit_test(test_big_junit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
