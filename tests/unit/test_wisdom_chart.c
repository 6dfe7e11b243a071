/* test_wisdom_chart.c - the mermaid xychart-beta blocks: exact text,
 * label sanitising, too few / non-finite points, and the trends written
 * into the demo's regression_report.md by the publish code (files only). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo.h"
#include "investigation.h"
#include "sinks/publish.h"
#include "sinks/wisdom_chart.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static char *render(const struct wch_chart *c, size_t *k)
{
	struct buf b = {0};
	*k = wch_render(&b, c);
	return buf_detach(&b);
}

static void t_three_points(void **state)
{
	const struct wch_point p[] = {
		{"r-1", 70.5, NAN}, {"r-2", 71.25, NAN}, {"r-3", 80, NAN},
	};
	struct wch_chart c = {"Line coverage", "percent", 0, 100, false, p, 3};
	size_t k;
	char *s = render(&c, &k);
	(void)state;
	assert_int_equal(k, 3);
	assert_string_equal(s, "\n```mermaid\nxychart-beta\n"
			       "    title \"Line coverage\"\n"
			       "    x-axis [\"r-1\", \"r-2\", \"r-3\"]\n"
			       "    y-axis \"percent\" 0 --> 100\n"
			       "    line [70.5, 71.25, 80]\n"
			       "```\n");
	free(s);
}

static void t_bar_series(void **state)
{
	const struct wch_point p[] = {{"a", 17, 1}, {"b", 19, 2}, {"c", 20, NAN}};
	struct wch_chart c = {"Tests", "tests", NAN, NAN, true, p, 3};
	size_t k;
	char *s = render(&c, &k);
	(void)state;
	assert_int_equal(k, 2);    /* c has no bar value: left out of both series */
	assert_string_equal(s, "\n```mermaid\nxychart-beta\n"
			       "    title \"Tests\"\n"
			       "    x-axis [\"a\", \"b\"]\n"
			       "    y-axis \"tests\"\n"
			       "    bar [1, 2]\n"
			       "    line [17, 19]\n"
			       "```\n");
	free(s);
}

static void t_labels(void **state)
{
	struct buf b = {0};
	(void)state;
	wch_label(&b, "say \"hi\"");
	assert_string_equal(buf_str(&b), "say 'hi'");
	buf_reset(&b);
	wch_label(&b, "two\nlines\r\n\tend");
	assert_string_equal(buf_str(&b), "two lines end");
	buf_reset(&b);
	wch_label(&b, "\x1b[31mred\x1b[0m \x1b]0;title\x07ok");
	assert_string_equal(buf_str(&b), "red ok");
	buf_reset(&b);
	wch_label(&b, "```\nfence");
	assert_string_equal(buf_str(&b), "''' fence");
	buf_reset(&b);
	wch_label(&b, "bad\xff\xc3utf8 caf\xc3\xa9");
	assert_string_equal(buf_str(&b), "bad??utf8 caf\xc3\xa9");
	buf_reset(&b);
	wch_label(&b, "c1\xc2\x9b" "x");
	assert_string_equal(buf_str(&b), "c1 x");
	buf_reset(&b);
	wch_label(&b, "0123456789012345678901234567890123456789");
	assert_string_equal(buf_str(&b), "01234567890123456789012345678901...");
	buf_reset(&b);
	wch_label(&b, NULL);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
	/* in a block: the quote of a label never closes the string */
	{
		const struct wch_point p[] = {{"a\"]\n    line [1", 1, NAN}, {"b", 2, NAN}};
		struct wch_chart c = {"t\"x", "y", NAN, NAN, false, p, 2};
		size_t k;
		char *s = render(&c, &k);
		assert_non_null(strstr(s, "    title \"t'x\"\n    x-axis [\"a']     line [1\", \"b\"]\n"));
		free(s);
	}
}

static void t_too_few(void **state)
{
	const struct wch_point p[] = {{"a", 1, NAN}, {"b", NAN, NAN}, {"c", INFINITY, NAN}};
	struct wch_chart c = {"t", "y", 0, 10, false, p, 1};
	struct buf b = {0};
	(void)state;
	assert_int_equal(wch_render(&b, &c), 0);   /* one point */
	c.n = 0;
	assert_int_equal(wch_render(&b, &c), 0);
	c.n = 3;                                     /* one finite point of three */
	assert_int_equal(wch_render(&b, &c), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void t_nan_skipped(void **state)
{
	const struct wch_point p[] = {{"a", 1.004, NAN}, {"b", NAN, NAN}, {"c", -INFINITY, NAN}, {"d", 3, NAN}};
	struct wch_chart c = {"t", "y", 0, 10, false, p, 4};
	size_t k;
	char *s = render(&c, &k);
	(void)state;
	assert_int_equal(k, 2);
	assert_non_null(strstr(s, "    x-axis [\"a\", \"d\"]\n"));
	assert_non_null(strstr(s, "    line [1, 3]\n"));    /* 1.004 -> "1.00" -> "1" */
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	free(s);
}

static void t_shorten(void **state)
{
	struct wch_run v[3] = {{xstrdup("local-checkout-base-1a2b3c"), 1, NAN},
			       {xstrdup("local-checkout-skew-4b7e21"), 2, NAN},
			       {xstrdup("local-check-x"), 3, NAN}};
	struct wch_series s = {v, 2};
	(void)state;
	wch_series_shorten(&s);
	assert_string_equal(v[0].label, "base-1a2b3c");
	assert_string_equal(v[1].label, "skew-4b7e21");
	s.v = v + 1;     /* "skew-4b7e21" vs "local-check-x": nothing shared */
	wch_series_shorten(&s);
	assert_string_equal(v[1].label, "skew-4b7e21");
	assert_string_equal(v[2].label, "local-check-x");
	free(v[0].label);
	free(v[1].label);
	free(v[2].label);
}

/* The demo: base run 89/116 lines (76.72 %), head 93/127 (73.23 %) from
 * build/coverage.xml; junit.xml: base 17 tests, 1 failure; head 19, 2. */
static void t_demo_publish(void **state)
{
	const char *top = getenv("top_srcdir");
	char scratch[256], *content = xasprintf("%s/demo", top ? top : ".."), *cache, *repo = NULL, *run, *path, *text = NULL;
	struct investigation *inv = NULL;
	struct pub_opts o;
	struct pub_plan *p = NULL;
	struct wz_err err;
	size_t n;
	char *cmd;
	(void)state;
	snprintf(scratch, sizeof scratch, "%s/wz-chart-test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(scratch));
	cache = xasprintf("%s/demo-cache", scratch);
	assert_int_equal(demo_prepare_in(cache, content, &repo, NULL, &err), WZ_OK);
	run = xasprintf("%s/.runs/%s", repo, DEMO_RUN_ID);
	assert_int_equal(inv_open(run, repo, INV_LEARNINGS | INV_JOURNAL_RW, &inv, &err), WZ_OK);
	memset(&o, 0, sizeof o);
	o.files_only = true;
	o.now = 1766397600.0;
	assert_int_equal(pub_plan_build(inv, &o, &p, &err), WZ_OK);
	assert_int_equal(p->trend.coverage.n, 2);
	assert_int_equal(pub_execute(p, &err), WZ_OK);
	pub_plan_free(&p);
	path = fio_join(run, "wisdom/regression_report.md");
	assert_int_equal(fio_read(path, FIO_DEFAULT_MAX, &text, &n, &err), WZ_OK);
	assert_non_null(strstr(text, "## Coverage Signals\n"));
	assert_non_null(strstr(text, "\n```mermaid\nxychart-beta\n"
				     "    title \"Line coverage per run (oldest to newest)\"\n"
				     "    x-axis [\"base-1a2b3c\", \"skew-4b7e21\"]\n"
				     "    y-axis \"line coverage (%)\" 0 --> 100\n"
				     "    line [76.72, 73.23]\n"
				     "```\n"));
	assert_non_null(strstr(text, "\n```mermaid\nxychart-beta\n"
				     "    title \"Tests per run: executed (line), failed (bars)\"\n"
				     "    x-axis [\"base-1a2b3c\", \"skew-4b7e21\"]\n"
				     "    y-axis \"tests\" 0 --> 19\n"
				     "    bar [1, 2]\n"
				     "    line [17, 19]\n"
				     "```\n"));
	/* the charts sit inside Coverage Signals, before Issue Correlation */
	assert_true(strstr(text, "xychart-beta") > strstr(text, "## Coverage Signals"));
	assert_true(strstr(text, "xychart-beta") < strstr(text, "## Issue Correlation"));
	free(text);
	free(path);
	inv_free(&inv);
	cmd = xasprintf("rm -rf '%s'", scratch);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(run);
	free(repo);
	free(cache);
	free(content);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_three_points), cmocka_unit_test(t_bar_series), cmocka_unit_test(t_labels),
		cmocka_unit_test(t_too_few),      cmocka_unit_test(t_nan_skipped), cmocka_unit_test(t_shorten),
		cmocka_unit_test(t_demo_publish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
