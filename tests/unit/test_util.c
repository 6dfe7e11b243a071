/* test_util.c - util/: time parsing, text, buffers, bounded reads. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

static void time_variants(void **state)
{
	double t;
	int fl;
	(void)state;
	assert_true(tp_parse("2025-12-20T17:06:14Z", &t, &fl, NULL));
	assert_int_equal((long long)t, 1766250374LL);
	assert_int_equal(fl, 0);
	assert_true(tp_parse("2025-12-20T12:06:14-05:00", &t, &fl, NULL));
	assert_int_equal((long long)t, 1766250374LL);
	assert_true(tp_parse("2025-12-20T17:06:14+00:00Z", &t, &fl, NULL));
	assert_int_equal((long long)t, 1766250374LL);
	assert_true(fl & TP_REPAIRED);
	assert_true(tp_parse("2025-12-20T17:06:14.250Z", &t, &fl, NULL));
	assert_true(t > 1766250374.2 && t < 1766250374.3);
	assert_true(tp_parse("2025-12-20 17:06:14", &t, &fl, NULL));
	assert_true(fl & TP_ZONELESS);
	assert_true(tp_parse("2025-12-20", &t, &fl, NULL));
	assert_true(fl & TP_DATE_ONLY);
	assert_false(tp_parse("2025-13-20T00:00:00Z", &t, &fl, NULL));
	assert_false(tp_parse("2025-02-30", &t, &fl, NULL));
	assert_false(tp_parse("null", &t, &fl, NULL));
	assert_false(tp_parse("2025-12-20T17:06:14Z trailing", &t, &fl, NULL));
	assert_true(tp_find("| Merged At | 2025-12-20T17:06:14Z |", &t, &fl));
	assert_int_equal((long long)t, 1766250374LL);
}

static void time_format_and_durations(void **state)
{
	char out[32];
	(void)state;
	tp_format(1766250374.9, out, sizeof out);
	assert_string_equal(out, "2025-12-20T17:06:14Z");
	assert_true(tp_duration("24h") == 86400);
	assert_true(tp_duration("30d") == 30 * 86400);
	assert_true(tp_duration("5x") < 0);
	assert_true(tp_duration("h") < 0);
	tp_format_duration(4200, out, sizeof out);
	assert_string_equal(out, "1h10");
	tp_format_duration(42, out, sizeof out);
	assert_string_equal(out, "42s");
}

static void text_lines_crlf(void **state)
{
	const char *data = "a\r\nbb\n\nlast";
	struct txt_lines it;
	const char *l;
	size_t n;
	(void)state;
	txt_lines_init(&it, data, strlen(data));
	assert_true(txt_lines_next(&it, &l, &n));
	assert_int_equal(n, 1);
	assert_true(txt_lines_next(&it, &l, &n));
	assert_int_equal(n, 2);
	assert_true(txt_lines_next(&it, &l, &n));
	assert_int_equal(n, 0);
	assert_true(txt_lines_next(&it, &l, &n));
	assert_int_equal(n, 4);
	assert_int_equal(it.lineno, 4);
	assert_false(txt_lines_next(&it, &l, &n));
}

static void text_strip_ansi(void **state)
{
	const char *in = "\x1b[1m\x1b[92m    Finished\x1b[0m \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\ end\x1b[";
	struct buf b = {0};
	(void)state;
	txt_strip_ansi(in, strlen(in), &b);
	assert_string_equal(buf_str(&b), "    Finished link end");
	buf_free(&b);
}

static void text_utf8(void **state)
{
	size_t bad = 99;
	(void)state;
	{ const char *ok = "caf\xc3\xa9 \xe2\x80\x94 \xe2\x9c\x93"; assert_true(txt_utf8_valid(ok, strlen(ok), NULL)); }
	assert_false(txt_utf8_valid("ab\xff", 3, &bad));
	assert_int_equal(bad, 2);
	assert_false(txt_utf8_valid("\xc3", 1, &bad));       /* truncated */
	assert_false(txt_utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate */
	assert_false(txt_utf8_valid("\xc0\xaf", 2, &bad));     /* overlong */
}

static void fileio_bounds(void **state)
{
	char dir[] = "/tmp/wz-fio-XXXXXX";
	char *path, *data, *loop;
	size_t len;
	struct wz_err err;
	(void)state;
	assert_non_null(mkdtemp(dir));
	path = fio_join(dir, "f.txt");
	assert_int_equal(fio_write_atomic(path, "hello", 5, &err), WZ_OK);
	assert_int_equal(fio_read(path, 100, &data, &len, &err), WZ_OK);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(fio_read(path, 3, &data, &len, &err), WZ_ETOOBIG);
	assert_non_null(strstr(err.msg, path));
	/* a file of exactly the limit is read; one byte over is refused */
	assert_int_equal(fio_read(path, 5, &data, &len, &err), WZ_OK);
	assert_int_equal(len, 5);
	free(data);
	assert_int_equal(fio_read(path, 4, &data, &len, &err), WZ_ETOOBIG);
	assert_int_equal(fio_read(dir, 100, &data, &len, &err), WZ_EISDIR);
	loop = fio_join(dir, "loop");
	assert_int_equal(symlink(loop, loop), 0);
	assert_int_equal(fio_read(loop, 100, &data, &len, &err), WZ_ELOOP);
	assert_non_null(strstr(err.msg, "loop"));
	assert_int_equal(fio_read("/nonexistent/x", 100, &data, &len, &err), WZ_ENOENT);
	unlink(loop);
	unlink(path);
	rmdir(dir);
	free(loop);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time_variants),
		cmocka_unit_test(time_format_and_durations),
		cmocka_unit_test(text_lines_crlf),
		cmocka_unit_test(text_strip_ansi),
		cmocka_unit_test(text_utf8),
		cmocka_unit_test(fileio_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
