/* test_reports.c - every real report fixture against the answer key in
 * data/test-reports/SOURCES.md (numbers copied from that table by hand). */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/testreport.h"
#include "sources/report_detect.h"
#include "util/xalloc.h"

static char *fixture(const char *rel)
{
	const char *shared = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	if (shared && *shared)
		return xasprintf("%s/data/test-reports/%s", shared, rel);
	return xasprintf("%s/../shared/data/test-reports/%s", top ? top : "..", rel);
}

static struct tr_report *load(const char *rel, enum tr_format want)
{
	char *p = fixture(rel);
	struct tr_report *r = NULL;
	struct wz_err err = { 0 };
	enum wz_status st = report_read(p, TR_FMT_UNKNOWN, &r, &err);
	if (st != WZ_OK)
		fprintf(stderr, "# %s\n", err.msg);
	assert_int_equal(st, WZ_OK);
	assert_non_null(r);
	assert_int_equal(r->format, want);
	assert_false(r->malformed);
	free(p);
	return r;
}

static void check_tests(const char *rel, enum tr_format f, long long tests, long long failed,
			long long errors, long long skipped)
{
	struct tr_report *r = load(rel, f);
	assert_int_equal(r->totals.tests, tests);
	assert_int_equal(r->totals.failed, failed);
	assert_int_equal(r->totals.errors, errors);
	assert_int_equal(r->totals.skipped, skipped);
	assert_int_equal(r->totals.passed + r->totals.failed + r->totals.skipped + r->totals.todo +
			 (f == TR_FMT_GOJSON ? 0 : r->totals.errors), tests);
	tr_report_free(&r);
}

static void check_decl(const struct tr_report *r, const char *key, const char *raw)
{
	const struct tr_declared *d = tr_get_declared(r, key);
	assert_non_null(d);
	assert_string_equal(d->raw, raw);
}

static void check_cov(const char *rel, enum tr_format f, long long files, long long lh, long long lf,
		      long long bh, long long bf, long long fh, long long ff)
{
	struct tr_report *r = load(rel, f);
	assert_int_equal(r->cov.files, files);
	assert_int_equal(r->cov.lines_hit, lh);
	assert_int_equal(r->cov.lines_found, lf);
	assert_int_equal(r->cov.branches_hit, bh);
	assert_int_equal(r->cov.branches_found, bf);
	if (ff >= 0) {
		assert_true(r->cov.has_functions);
		assert_int_equal(r->cov.functions_hit, fh);
		assert_int_equal(r->cov.functions_found, ff);
	}
	tr_report_free(&r);
}

/* One test per file; arguments are SOURCES.md's columns. */
#define JU(fn, file, t, f, e, s) \
	static void fn(void **st) { (void)st; check_tests("junit/" file, TR_FMT_JUNIT, t, f, e, s); }
JU(junit_jest, "jest-junit.xml", 6, 4, 0, 1)
JU(junit_pytest, "pytest-python-xunit.xml", 10, 2, 0, 2)
JU(junit_pulsar, "pulsar-test-report.xml", 808, 1, 0, 14)
JU(junit_phpunit, "phpunit.xml", 12, 2, 0, 0)
JU(junit_swift, "swift-xunit.xml", 3, 1, 0, 0)
JU(junit_catch2, "catch2-report.xml", 1, 1, 0, 0)
JU(junit_cunit, "cunit-testFailure.xml", 4, 1, 0, 0)
JU(junit_c_main, "c-main-file-line.xml", 4, 1, 0, 0)
JU(junit_nextest, "nextest-basic.xml", 3, 1, 0, 0)
JU(junit_surefire, "surefire-FlakyTest.xml", 1, 0, 0, 0)
JU(junit_googletest, "googletest-disabled.xml", 4, 2, 0, 1)
JU(junit_gotestsum, "gotestsum-junitxml-report.xml", 60, 13, 0, 5)
JU(junit_horovod1, "pytest-horovod-run1.xml", 35, 0, 0, 2)
JU(junit_horovod2, "pytest-horovod-run2.xml", 35, 0, 0, 2)

static void go_test_json(void **st)
{
	(void)st;
	check_tests("go-json/go-test-json.out", TR_FMT_GOJSON, 59, 12, 1, 5);
}

static void go_golang_json(void **st)
{
	(void)st;
	check_tests("go-json/golang-json.json", TR_FMT_GOJSON, 12, 6, 0, 1);
}

static void tap_node(void **st)
{
	struct tr_report *r;
	(void)st;
	check_tests("tap/node-tap-tests.tap", TR_FMT_TAP, 311, 5, 0, 5);
	r = load("tap/node-tap-tests.tap", TR_FMT_TAP);
	assert_int_equal(r->totals.todo, 4);
	assert_string_equal(r->plan, "1..311");
	assert_int_equal(r->nested_points, 0);
	tr_report_free(&r);
}

#define CO(fn, file, fl, lh, lf, bh, bf) \
	static void fn(void **st) { (void)st; check_cov("cobertura/" file, TR_FMT_COBERTURA, fl, lh, lf, bh, bf, 0, -1); }
CO(cob_gcovr, "gcovr-nested-gcc5-cobertura.xml", 8, 25, 42, 4, 14)
CO(cob_before, "coveragepy-before.xml", 4, 5, 12, 0, 0)
CO(cob_after, "coveragepy-after.xml", 4, 8, 11, 0, 0)
CO(cob_java, "cobertura-2.1.1-java.xml", 7, 24, 36, 1, 4)

#define LC(fn, file, fl, lh, lf, bh, bf, fh, ff) \
	static void fn(void **st) { (void)st; check_cov("lcov/" file, TR_FMT_LCOV, fl, lh, lf, bh, bf, fh, ff); }
LC(lcov_gcovr, "gcovr-nested-gcc5-coverage.lcov", 8, 25, 42, 4, 14, 6, 10)
LC(lcov_mqtt_base, "coremqtt-base_coverage.info", 24, 14126, 28145, 2917, 8804, 688, 1943)
LC(lcov_mqtt, "coremqtt-coverage.info", 24, 14055, 28107, 2904, 8808, 686, 1941)
LC(lcov_yui, "yui-parts.info", 3, 218, 263, 21, 23, 45, 48)

/* ---- details beyond the counts ---- */

static const struct tr_case *find_case(const struct tr_report *r, const char *name)
{
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].name && strcmp(r->cases[i].name, name) == 0)
			return &r->cases[i];
	fail_msg("no test named %s", name);
	return NULL;
}

static void declared_beside_counted(void **st)
{
	struct tr_report *r;
	(void)st;
	r = load("junit/pytest-python-xunit.xml", TR_FMT_JUNIT);
	check_decl(r, "tests", "15");      /* declared 15, counted 10 */
	assert_int_equal(r->totals.tests, 10);
	tr_report_free(&r);
	r = load("junit/surefire-FlakyTest.xml", TR_FMT_JUNIT);
	check_decl(r, "tests", "3");
	check_decl(r, "failures", "2");
	assert_int_equal(r->totals.flaky, 1);
	assert_true(r->cases[0].flaky);
	assert_int_equal(r->cases[0].status, TR_PASS);
	tr_report_free(&r);
	r = load("junit/gotestsum-junitxml-report.xml", TR_FMT_JUNIT);
	check_decl(r, "tests", "59");    /* summed over top-level suites */
	check_decl(r, "errors", "1");
	tr_report_free(&r);
	r = load("lcov/yui-parts.info", TR_FMT_LCOV);
	check_decl(r, "BRH", "22");     /* the records give 21 */
	check_decl(r, "FNH", "42");     /* the records give 45 */
	tr_report_free(&r);
}

static void junit_locations(void **st)
{
	struct tr_report *r;
	const struct tr_case *c;
	(void)st;
	r = load("junit/catch2-report.xml", TR_FMT_JUNIT);
	c = find_case(r, "is constant evaluated");
	assert_string_equal(c->file, "test/unit/detail/utility/is_constant_evaluated.cpp");
	assert_int_equal(c->line, 19);
	assert_string_equal(c->message, "REQUIRE(v == 1) expands to 0 == 10");
	assert_non_null(strstr(c->text, "REQUIRE( v == 1 )"));
	tr_report_free(&r);

	r = load("junit/c-main-file-line.xml", TR_FMT_JUNIT);
	c = find_case(r, "test_my_sum_fail");
	assert_string_equal(c->file, "main.c");
	assert_int_equal(c->line, 38);
	assert_string_equal(c->id, "CI basic test::test_my_sum_fail");
	tr_report_free(&r);

	r = load("junit/cunit-testFailure.xml", TR_FMT_JUNIT);
	c = find_case(r, "loadFromXMLString_When_Should2Test");
	assert_string_equal(c->file, "/dumm/core/tests/testFailure.cpp");
	assert_int_equal(c->line, 77);
	tr_report_free(&r);

	r = load("junit/googletest-disabled.xml", TR_FMT_JUNIT);
	c = find_case(r, "Failing_Testcase");
	assert_string_equal(c->file, "Test_moca_bl.cpp");
	assert_int_equal(c->line, 271);
	assert_string_equal(c->message, "Value of: false");
	c = find_case(r, "DISABLED_Testcase");
	assert_int_equal(c->status, TR_SKIP);
	tr_report_free(&r);

	r = load("junit/pytest-python-xunit.xml", TR_FMT_JUNIT);
	c = find_case(r, "test_always_fail");
	assert_string_equal(c->id, "tests.test_lib::test_always_fail");
	assert_string_equal(c->file, "tests/test_lib.py");
	assert_int_equal(c->line, 25);
	assert_int_equal(c->status, TR_FAIL);
	c = find_case(r, "test_expected_failure");
	assert_int_equal(c->status, TR_XFAIL);
	assert_int_equal(c->bucket, TR_B_SKIPPED);
	c = find_case(r, "test_with_subtests");
	assert_true(c->duration > 0.0049 && c->duration < 0.0051);
	tr_report_free(&r);

	r = load("junit/pytest-horovod-run1.xml", TR_FMT_JUNIT);
	c = find_case(r, "test_batch_generator_fn");
	assert_string_equal(c->file, "test/test_spark_keras.py");
	assert_int_equal(c->line, 454);
	tr_report_free(&r);
}

static void pulsar_repeats(void **st)
{
	struct tr_report *r = load("junit/pulsar-test-report.xml", TR_FMT_JUNIT);
	size_t failed = 0;
	(void)st;
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].status == TR_FAIL) {
			failed++;
			assert_string_equal(r->cases[i].id,
					    "org.apache.pulsar.AddMissingPatchVersionTest::testVersionStrings");
			assert_string_equal(r->cases[i].message, "expected [1.2.1] but found [1.2.0]");
		}
	assert_int_equal(failed, 1);
	tr_report_free(&r);
}

static void gojson_details(void **st)
{
	struct tr_report *r = load("go-json/go-test-json.out", TR_FMT_GOJSON);
	size_t pkg_errors = 0, parallel_first = 0;
	(void)st;
	for (size_t i = 0; i < r->ncases; i++) {
		const struct tr_case *c = &r->cases[i];
		if (c->kind == TR_K_PACKAGE_ERROR) {
			pkg_errors++;
			assert_string_equal(c->suite, "gotest.tools/gotestsum/testjson/internal/badmain");
			assert_int_equal(c->status, TR_ERROR);
		}
		if (c->name && strcmp(c->name, "TestParallelTheFirst") == 0 &&
		    strcmp(c->suite, "gotest.tools/gotestsum/testjson/internal/parallelfails") == 0) {
			parallel_first++;
			assert_int_equal(c->status, TR_FAIL);
			assert_string_equal(c->file, "fails_test.go");
			assert_int_equal(c->line, 29);
			assert_string_equal(c->message, "fails_test.go:29: failed the first");
		}
	}
	assert_int_equal(pkg_errors, 1);
	assert_int_equal(parallel_first, 1);
	tr_report_free(&r);
}

static void tap_details(void **st)
{
	struct tr_report *r = load("tap/node-tap-tests.tap", TR_FMT_TAP);
	const struct tr_case *c = NULL;
	(void)st;
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].status == TR_FAIL) {
			c = &r->cases[i];
			break;
		}
	assert_non_null(c);
	assert_string_equal(c->name, "captures TODO description");
	assert_string_equal(c->file, "child_process.js");   /* YAML file:/line: */
	assert_int_equal(c->line, 707);
	assert_int_equal(c->src_line, 314);
	c = find_case(r, "bonus");
	assert_int_equal(c->status, TR_XPASS);
	assert_int_equal(c->bucket, TR_B_TODO);
	tr_report_free(&r);
}

static void coverage_per_file(void **st)
{
	struct tr_report *r = load("cobertura/coveragepy-after.xml", TR_FMT_COBERTURA);
	long long lf = 0;
	(void)st;
	for (size_t i = 0; i < r->nfiles; i++) {
		lf += r->files[i].lines_found;
		for (size_t k = 1; k < r->files[i].nlines; k++)
			assert_true(r->files[i].lines[k - 1].line < r->files[i].lines[k].line);
	}
	assert_int_equal(lf, 11);
	tr_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(junit_jest), cmocka_unit_test(junit_pytest),
		cmocka_unit_test(junit_pulsar), cmocka_unit_test(junit_phpunit),
		cmocka_unit_test(junit_swift), cmocka_unit_test(junit_catch2),
		cmocka_unit_test(junit_cunit), cmocka_unit_test(junit_c_main),
		cmocka_unit_test(junit_nextest), cmocka_unit_test(junit_surefire),
		cmocka_unit_test(junit_googletest), cmocka_unit_test(junit_gotestsum),
		cmocka_unit_test(junit_horovod1), cmocka_unit_test(junit_horovod2),
		cmocka_unit_test(go_test_json), cmocka_unit_test(go_golang_json),
		cmocka_unit_test(tap_node),
		cmocka_unit_test(cob_gcovr), cmocka_unit_test(cob_before),
		cmocka_unit_test(cob_after), cmocka_unit_test(cob_java),
		cmocka_unit_test(lcov_gcovr), cmocka_unit_test(lcov_mqtt_base),
		cmocka_unit_test(lcov_mqtt), cmocka_unit_test(lcov_yui),
		cmocka_unit_test(declared_beside_counted), cmocka_unit_test(junit_locations),
		cmocka_unit_test(pulsar_repeats), cmocka_unit_test(gojson_details),
		cmocka_unit_test(tap_details), cmocka_unit_test(coverage_per_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
