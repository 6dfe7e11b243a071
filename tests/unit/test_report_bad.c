/* test_report_bad.c - report readers against hostile and broken input:
 * truncation, missing attributes, absurd numbers, invalid UTF-8, terminal
 * escapes, XML bombs, non-reports, empty and huge files, symlink loops. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "model/testreport.h"
#include "sources/report_detect.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char tmpdir[64];

static int setup(void **st)
{
	(void)st;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/wz-report-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **st)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	(void)st;
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", tmpdir);
	free(cmd);
	return 0;
}

static char *write_file(const char *name, const char *data, size_t n)
{
	char *p = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return p;
}

static struct tr_report *read_str(const char *name, const char *data)
{
	char *p = write_file(name, data, strlen(data));
	struct tr_report *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_OK);
	free(p);
	return r;
}

static void truncated_junit(void **st)
{
	struct tr_report *r;
	(void)st;
	r = read_str("trunc.xml", "<testsuites>\n<testsuite name=\"s\">\n<testcase name=\"a\"/>\n"
		     "<testcase name=\"b\"><failure message=\"m\">boom at x.c:3</failure></testcase>\n"
		     "<testcase name=\"c\"><skipped/></testcase>\n<testcase name=\"d\">\n<fail");
	assert_true(r->malformed);
	assert_non_null(strstr(r->error, "trunc.xml:"));
	assert_true(r->error_line >= 6);
	assert_int_equal(r->totals.tests, 3);     /* a, b, c closed before the break */
	assert_int_equal(r->totals.failed, 1);
	assert_int_equal(r->totals.skipped, 1);
	assert_int_equal(r->left_open, 1);
	tr_report_free(&r);
}

static void missing_attributes(void **st)
{
	struct tr_report *r;
	(void)st;
	r = read_str("noattr.xml", "<testsuite><testcase/><testcase><failure/></testcase>"
		     "<testcase classname=\"K\"><error>trace</error><failure/></testcase></testsuite>");
	assert_false(r->malformed);
	assert_int_equal(r->totals.tests, 3);
	assert_int_equal(r->totals.failed, 1);
	assert_int_equal(r->totals.errors, 1);
	assert_string_equal(r->cases[0].id, "");
	assert_string_equal(r->cases[2].id, "K::");
	assert_null(r->cases[1].message);
	assert_string_equal(r->cases[2].message, "trace");
	assert_int_equal(r->ndeclared, 0);
	tr_report_free(&r);

	r = read_str("noattr-cov.xml", "<coverage><packages><package><classes><class><lines>"
		     "<line hits=\"1\"/><line number=\"3\"/><line number=\"4\" hits=\"2\"/></lines>"
		     "</class></classes></package></packages></coverage>");
	assert_int_equal(r->format, TR_FMT_COBERTURA);
	assert_int_equal(r->cov.lines_found, 2);   /* the line without number is ignored */
	assert_int_equal(r->cov.lines_hit, 1);
	assert_int_equal(r->nwarnings, 1);
	tr_report_free(&r);
}

static void absurd_numbers(void **st)
{
	struct tr_report *r;
	const struct tr_declared *d;
	(void)st;
	r = read_str("absurd.xml", "<testsuites tests=\"-5\" failures=\"1e400\" errors=\"NaN\">"
		     "<testsuite><testcase name=\"a\" time=\"1e400\"/><testcase name=\"b\" time=\"-3\"/>"
		     "<testcase name=\"c\" time=\"1,5\"/></testsuite></testsuites>");
	assert_int_equal(r->totals.tests, 3);
	assert_true(r->cases[0].duration < 0);
	assert_true(r->cases[1].duration < 0);
	assert_true(r->cases[2].duration > 1.49 && r->cases[2].duration < 1.51);
	d = tr_get_declared(r, "tests");
	assert_non_null(d);
	assert_false(d->valid);
	assert_string_equal(d->raw, "-5");
	assert_false(tr_get_declared(r, "failures")->valid);
	assert_false(tr_get_declared(r, "errors")->valid);
	tr_report_free(&r);

	r = read_str("absurd.info", "SF:a.c\nDA:1,99999999999999999999\nDA:1,5\nDA:2,0\nDA:3,-1\n"
		     "LF:99999999999999999999\nend_of_record\n");
	assert_int_equal(r->cov.lines_found, 3);
	assert_int_equal(r->cov.lines_hit, 1);
	assert_true(r->files[0].lines[0].hits == ULLONG_MAX);   /* saturated, not wrapped */
	assert_true(r->malformed);                              /* LF: is not a count */
	tr_report_free(&r);

	r = read_str("absurd-cob.xml", "<coverage><packages><package><classes><class filename=\"f\"><lines>"
		     "<line number=\"1\" hits=\"99999999999999999999\" condition-coverage=\"50% (999999999/2)\"/>"
		     "<line number=\"99999999999999999999\" hits=\"1\"/></lines></class></classes></package>"
		     "</packages></coverage>");
	assert_int_equal(r->cov.lines_found, 1);
	assert_int_equal(r->cov.lines_hit, 1);
	assert_int_equal(r->cov.branches_found, 0);
	tr_report_free(&r);
}

static void invalid_utf8_and_escapes(void **st)
{
	struct tr_report *r;
	struct buf b = { 0 };
	(void)st;
	r = read_str("esc.tap", "TAP version 13\n1..2\nnot ok 1 bad \x1b[31mred\x1b]8;;http://x\x07 \xff\xfe end\n"
		     "ok 2 fine\n");
	assert_int_equal(r->totals.tests, 2);
	assert_int_equal(r->totals.failed, 1);
	tr_sanitize(&b, r->cases[0].message, strlen(r->cases[0].message), false);
	assert_null(strchr(buf_str(&b), '\x1b'));
	assert_null(strchr(buf_str(&b), '\x07'));
	assert_non_null(strstr(buf_str(&b), "^[[31mred"));
	assert_non_null(strstr(buf_str(&b), "\\xFF\\xFE"));
	buf_free(&b);
	tr_report_free(&r);

	/* A C1 CSI (U+009B) and a newline become visible too. */
	tr_sanitize(&b, "a\xc2\x9b" "31mb\nc\x7f", 10, false);
	assert_string_equal(buf_str(&b), "a\\xC2\\x9B31mb\\nc^?");
	buf_free(&b);
	tr_sanitize(&b, "\xe2\x9c\x93 ok", 6, false);   /* valid UTF-8 is kept */
	assert_string_equal(buf_str(&b), "\xe2\x9c\x93 ok");
	buf_free(&b);
	/* A bidi override (U+202E) and the Arabic letter mark (U+061C) are shown, not obeyed. */
	tr_sanitize(&b, "a\xe2\x80\xae" "b\xd8\x9c", 7, false);
	assert_string_equal(buf_str(&b), "a<U+202E>b<U+061C>");
	buf_free(&b);

	/* Invalid UTF-8 inside XML: libxml2 reports it with the line. */
	r = read_str("badutf8.xml", "<testsuite>\n<testcase name=\"a\"/>\n<testcase name=\"\xff\xfe\"/>\n</testsuite>");
	assert_true(r->malformed);
	assert_int_equal(r->error_line, 3);
	assert_non_null(strstr(r->error, "badutf8.xml:3:"));
	/* libxml2 converts input ahead of the reader, so the testcase before
	 * the bad bytes may be lost; never more than the one before them. */
	assert_true(r->totals.tests <= 1);
	tr_report_free(&r);
}

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void xml_bombs(void **st)
{
	struct buf b = { 0 };
	struct tr_report *r;
	double t0;
	(void)st;
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE t [\n<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n");
	for (int i = 1; i <= 10; i++) {
		buf_printf(&b, "<!ENTITY %c \"", 'a' + i);
		for (int k = 0; k < 10; k++)
			buf_printf(&b, "&%c;", 'a' + i - 1);
		buf_puts(&b, "\">\n");
	}
	buf_puts(&b, "]>\n<testsuites><testsuite name=\"&k;\"><testcase name=\"x\">"
		     "<failure message=\"&k;\">&k;</failure></testcase></testsuite></testsuites>\n");
	t0 = now_s();
	r = read_str("bomb.xml", buf_str(&b));
	assert_true(now_s() - t0 < 5.0);
	assert_true(r->malformed);                /* refused, named, not expanded */
	assert_non_null(strstr(r->error, "bomb.xml:"));
	for (size_t i = 0; i < r->ncases; i++)
		assert_true(!r->cases[i].text || strlen(r->cases[i].text) <= TR_TEXT_MAX + 64);
	tr_report_free(&r);
	buf_free(&b);

	/* External entities are never fetched or read. */
	r = read_str("xxe.xml", "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		     "<testsuite><testcase name=\"a\"><failure message=\"m\">&x;</failure></testcase></testsuite>");
	assert_int_equal(r->totals.tests, 1);
	assert_true(r->cases[0].text == NULL || strstr(r->cases[0].text, "root:") == NULL);
	tr_report_free(&r);
}

static void not_reports(void **st)
{
	struct tr_report *r = NULL;
	struct wz_err err = { 0 };
	char *p;
	(void)st;
	p = write_file("empty.xml", "", 0);
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_ETYPE);
	assert_null(r);
	assert_non_null(strstr(err.msg, "empty.xml"));
	free(p);
	p = write_file("notes.xml", "<html><body>hi</body></html>", 28);
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_ETYPE);
	assert_non_null(strstr(err.msg, "not a known test or coverage report"));
	free(p);
	p = write_file("readme.txt", "hello\nworld\n", 12);
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_ETYPE);
	free(p);
	p = xasprintf("%s/missing.xml", tmpdir);
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "missing.xml"));
	free(p);
	assert_int_equal(report_read(tmpdir, TR_FMT_UNKNOWN, &r, &err), WZ_EISDIR);
	p = xasprintf("%s/fifo", tmpdir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_EIO);   /* never blocks */
	free(p);
}

static void huge_sparse(void **st)
{
	char *p = xasprintf("%s/huge.xml", tmpdir);
	struct tr_report *r = NULL;
	struct wz_err err = { 0 };
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	double t0;
	(void)st;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
	close(fd);
	t0 = now_s();
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_ETYPE);   /* NUL bytes: no format */
	assert_true(now_s() - t0 < 2.0);
	free(p);

	/* A TAP file that is one 3 MiB line: cut, not held whole. */
	{
		size_t n = 3u << 20;
		char *big = xmalloc(n + 32);
		memcpy(big, "1..1\nnot ok 1 ", 14);
		memset(big + 14, 'x', n - 14);
		memcpy(big + n, "\n", 2);
		p = write_file("long.tap", big, n + 1);
		free(big);
		assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &r, &err), WZ_OK);
		assert_int_equal(r->totals.tests, 1);
		assert_int_equal(r->totals.failed, 1);
		assert_true(strlen(r->cases[0].message) < TR_MESSAGE_MAX + 64);
		tr_report_free(&r);
		free(p);
	}
}

static void truncated_text_formats(void **st)
{
	struct tr_report *r;
	(void)st;
	r = read_str("cut.json", "{\"Action\":\"run\",\"Package\":\"p\",\"Test\":\"T\"}\n"
		     "{\"Action\":\"pass\",\"Package\":\"p\",\"Test\":\"T\",\"Elapsed\":0.5}\n"
		     "{\"Action\":\"fail\",\"Package\":\"p\",\"Test\":\"U\"}\n{\"Action\":\"pa");
	assert_int_equal(r->format, TR_FMT_GOJSON);
	assert_true(r->malformed);
	assert_int_equal(r->error_line, 4);
	assert_int_equal(r->totals.tests, 2);
	assert_int_equal(r->totals.failed, 1);
	assert_true(r->cases[0].duration > 0.49 && r->cases[0].duration < 0.51);
	tr_report_free(&r);

	/* Wrong JSON types are ignored, not trusted. */
	r = read_str("types.json", "{\"Action\":\"pass\",\"Package\":7,\"Test\":[1],\"Elapsed\":\"x\"}\n"
		     "{\"Action\":5}\n[1,2]\n{\"Action\":\"skip\",\"Package\":\"p\",\"Test\":\"S\",\"Elapsed\":-3}\n");
	assert_false(r->malformed);
	assert_int_equal(r->totals.tests, 1);
	assert_true(r->cases[0].duration < 0);
	assert_int_equal(r->totals.skipped, 1);
	tr_report_free(&r);

	r = read_str("cut.tap", "TAP version 13\n1..5\nok 1 a\nnot ok 2 b\n  ---\n  message: 'boom'\n"
		     "  at:\n    file: t.js\n    line: 12\n  ...\nok 3 c # SKIP no db\nok 4 d # todo later\n");
	assert_true(r->malformed);      /* plan 5, 4 points */
	assert_non_null(strstr(r->error, "plan 1..5"));
	assert_int_equal(r->totals.tests, 4);
	assert_int_equal(r->totals.skipped, 1);
	assert_int_equal(r->totals.todo, 1);
	assert_string_equal(r->cases[1].message, "boom");
	assert_string_equal(r->cases[1].file, "t.js");
	assert_int_equal(r->cases[1].line, 12);
	tr_report_free(&r);

	r = read_str("cut.info", "TN:\nSF:/src/a.c\nFN:3,main\nFNDA:1,main\nDA:3,1\nDA:4,0\nBRDA:4,0,0,-\n"
		     "BRDA:4,0,1,2\nend_of_record\nSF:/src/b.c\nDA:1,1\nDA:");
	assert_true(r->malformed);
	assert_int_equal(r->cov.files, 2);
	assert_int_equal(r->cov.lines_found, 3);
	assert_int_equal(r->cov.lines_hit, 2);
	assert_int_equal(r->cov.branches_found, 2);
	assert_int_equal(r->cov.branches_hit, 1);
	assert_int_equal(r->cov.functions_hit, 1);
	tr_report_free(&r);
}

static void detection_by_content(void **st)
{
	struct tr_report *r;
	(void)st;
	/* Names lie; content decides. */
	r = read_str("coverage.xml", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<testsuite tests=\"1\">"
		     "<testcase name=\"a\"/></testsuite>");
	assert_int_equal(r->format, TR_FMT_JUNIT);
	tr_report_free(&r);
	r = read_str("junit.xml", "<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" "
		     "\"report.dtd\"><report name=\"r\"><package name=\"p\"><sourcefile name=\"A.java\">"
		     "<line nr=\"3\" mi=\"0\" ci=\"2\" mb=\"1\" cb=\"1\"/><line nr=\"4\" mi=\"3\" ci=\"0\" mb=\"0\" cb=\"0\"/>"
		     "<counter type=\"METHOD\" missed=\"0\" covered=\"1\"/></sourcefile></package>"
		     "<counter type=\"LINE\" missed=\"1\" covered=\"1\"/></report>");
	assert_int_equal(r->format, TR_FMT_JACOCO);
	assert_false(r->malformed);
	assert_int_equal(r->cov.lines_found, 2);
	assert_int_equal(r->cov.lines_hit, 1);
	assert_int_equal(r->cov.branches_found, 2);
	assert_int_equal(r->cov.branches_hit, 1);
	assert_int_equal(r->cov.functions_found, 1);
	assert_string_equal(r->files[0].path, "p/A.java");
	assert_string_equal(tr_get_declared(r, "lines-valid")->raw, "2");
	tr_report_free(&r);
	r = read_str("results.txt", "\r\nok 1 - crlf\r\n1..1\r\n");
	assert_int_equal(r->format, TR_FMT_TAP);
	assert_string_equal(r->cases[0].name, "crlf");
	assert_false(r->malformed);
	tr_report_free(&r);
	assert_int_equal(report_detect_buf("TN:x\nSF:a\n", 10), TR_FMT_LCOV);
	assert_int_equal(report_detect_buf("okay then\n", 10), TR_FMT_UNKNOWN);
	/* plain logs with bare "ok" lines are not TAP; numbered points and plans are */
	assert_int_equal(report_detect_buf("cargo test\nok\n", strlen("cargo test\nok\n")), TR_FMT_UNKNOWN);
	assert_int_equal(report_detect_buf("ok  \tgithub.com/a/b\t0.012s\n", strlen("ok  \tgithub.com/a/b\t0.012s\n")), TR_FMT_UNKNOWN);
	assert_int_equal(report_detect_buf("ok - unnumbered\n", strlen("ok - unnumbered\n")), TR_FMT_UNKNOWN);
	assert_int_equal(report_detect_buf("# x\nnot ok 3 - y\n", strlen("# x\nnot ok 3 - y\n")), TR_FMT_TAP);
	assert_int_equal(report_detect_buf("ok 1\n", strlen("ok 1\n")), TR_FMT_TAP);
	assert_int_equal(report_detect_buf("1..0 # SKIP\n", strlen("1..0 # SKIP\n")), TR_FMT_TAP);
}

static void walk_symlink_loop(void **st)
{
	struct report_paths ps = { 0 };
	struct wz_err err = { 0 };
	char *d = xasprintf("%s/walk", tmpdir), *sub = xasprintf("%s/walk/sub", tmpdir);
	char *loop = xasprintf("%s/walk/sub/loop", tmpdir), *self = xasprintf("%s/walk/self", tmpdir);
	char *f;
	(void)st;
	assert_int_equal(mkdir(d, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink(d, loop), 0);       /* sub/loop -> walk */
	assert_int_equal(symlink(self, self), 0);    /* a link to itself */
	f = write_file("walk/sub/TEST-a.xml", "<testsuite><testcase name=\"a\"/></testsuite>", 43);
	free(f);
	f = write_file("walk/notes.txt", "not a report\n", 13);
	free(f);
	f = write_file("walk/r.tap", "1..1\nok 1\n", 10);
	free(f);
	assert_int_equal(report_walk(d, &ps, &err), WZ_OK);
	assert_int_equal(ps.n, 2);
	assert_non_null(strstr(ps.v[0], "walk/r.tap"));
	assert_non_null(strstr(ps.v[1], "walk/sub/TEST-a.xml"));
	assert_true(ps.nnotes >= 1);
	report_paths_free(&ps);
	assert_int_equal(report_walk(self, &ps, &err), WZ_ELOOP);
	free(d);
	free(sub);
	free(loop);
	free(self);
}

static void locations_in_text(void **st)
{
	struct tr_case c;
	(void)st;
	memset(&c, 0, sizeof c);
	tr_case_set_message(&c, NULL, "\n  at Object.<anonymous> (/app/node_modules/x/y.js:3:1)\n"
			    "  at run (/app/src/pay.test.ts:41:7)\n");
	tr_case_find_location(&c);
	assert_string_equal(c.file, "/app/src/pay.test.ts");
	assert_int_equal(c.line, 41);
	assert_string_equal(c.message, "at Object.<anonymous> (/app/node_modules/x/y.js:3:1)");
	free(c.file);
	free(c.message);
	free(c.text);
	memset(&c, 0, sizeof c);
	tr_case_set_message(&c, "timeout at 12:30:45 from http://host:8080/x", NULL);
	tr_case_find_location(&c);
	assert_null(c.file);
	free(c.message);
	memset(&c, 0, sizeof c);
	tr_case_set_message(&c, "C:\\w\\src\\Calc.cs:12 failed", NULL);
	tr_case_find_location(&c);
	assert_string_equal(c.file, "C:\\w\\src\\Calc.cs");
	assert_int_equal(c.line, 12);
	free(c.file);
	free(c.message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_junit),
		cmocka_unit_test(missing_attributes),
		cmocka_unit_test(absurd_numbers),
		cmocka_unit_test(invalid_utf8_and_escapes),
		cmocka_unit_test(xml_bombs),
		cmocka_unit_test(not_reports),
		cmocka_unit_test(huge_sparse),
		cmocka_unit_test(truncated_text_formats),
		cmocka_unit_test(detection_by_content),
		cmocka_unit_test(walk_symlink_loop),
		cmocka_unit_test(locations_in_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
