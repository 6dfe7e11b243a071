/* test_sanitize.c - the display sanitiser against hostile input. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/sanitize.h"

/* Sanitises s (length n) and checks the output text. */
static void expect(const char *in, size_t n, const char *want, size_t want_spans)
{
	struct san_text t;

	san_line(in, n, 8, &t);
	assert_string_equal(t.s, want);
	assert_int_equal(t.len, strlen(want));
	assert_int_equal(t.nspans, want_spans);
	assert_null(memchr(t.s, 0x1b, t.len));   /* never an ESC byte out */
	assert_null(memchr(t.s, 0x07, t.len));
	san_text_free(&t);
}

#define EXPECT(lit, want, spans) expect(lit, sizeof(lit) - 1, want, spans)

static void test_csi_clear_screen(void **state)
{
	struct san_text t;
	(void)state;

	san_line("a\x1b[2Jb", 6, 8, &t);
	assert_string_equal(t.s, "a^[[2Jb");
	assert_int_equal(t.nspans, 1);
	assert_int_equal(t.spans[0].off, 1);
	assert_int_equal(t.spans[0].len, 5);
	assert_true(t.spans[0].escape);
	assert_int_equal(t.width, 7);
	san_text_free(&t);
}

static void test_sgr_dropped(void **state)
{
	(void)state;
	EXPECT("\x1b[1;31mred\x1b[0m plain\x1b[m", "red plain", 0);
	EXPECT("\x1b[38;2;255;0;0mX", "X", 0);
}

static void test_osc8_link_text_kept(void **state)
{
	(void)state;
	EXPECT("see \x1b]8;;https://example.com/x\x1b\\the docs\x1b]8;;\x1b\\ now", "see the docs now", 0);
	EXPECT("\x1b]8;;http://a\x07link\x1b]8;;\x07", "link", 0);
}

static void test_osc52_clipboard_shown(void **state)
{
	(void)state;
	/* an OSC 52 write to the clipboard must never reach the terminal */
	EXPECT("x\x1b]52;c;cm0gLXJmIH4=\x07y", "x^[]52;c;cm0gLXJmIH4=^Gy", 1);
	/* ST-terminated title change */
	EXPECT("\x1b]0;pwned\x1b\\", "^[]0;pwned^[\\", 1);
	/* unterminated OSC runs to the end of the line, visibly */
	EXPECT("\x1b]2;title", "^[]2;title", 1);
}

static void test_dcs_and_friends(void **state)
{
	(void)state;
	EXPECT("\x1bPq#0;2;0;0;0\x1b\\ok", "^[Pq#0;2;0;0;0^[\\ok", 1);
	EXPECT("\x1b_apc\x1b\\", "^[_apc^[\\", 1);
	EXPECT("\x1b" "c", "^[c", 1);            /* RIS: full reset */
	EXPECT("\x1b(0q", "^[(0q", 1);          /* charset switch, then text */
	EXPECT("end\x1b", "end^[", 1);
}

static void test_c0_c1_controls(void **state)
{
	(void)state;
	EXPECT("a\x07" "b\rc\x7f", "a^Gb^Mc^?", 3);
	EXPECT("a\x9b" "31mX", "a<9B>31mX", 1);       /* raw C1 CSI byte */
	EXPECT("a\xc2\x9b" "2J", "a<9B>2J", 1);        /* U+009B encoded */
	{
		static const char nul[] = { 'a', 0, 'b' };
		expect(nul, 3, "a^@b", 1);
	}
}

static void test_bidi_override(void **state)
{
	struct san_text t;
	(void)state;

	san_line("abc\xe2\x80\xae" "fed", 9, 8, &t);
	assert_string_equal(t.s, "abc<U+202E>fed");
	assert_int_equal(t.nspans, 1);
	assert_int_equal(t.spans[0].off, 3);
	assert_int_equal(t.spans[0].len, 8);
	san_text_free(&t);
	EXPECT("\xe2\x81\xa6x\xe2\x81\xa9", "<U+2066>x<U+2069>", 2);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	EXPECT("\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd", 0);
	EXPECT("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", 0);             /* overlong '/' */
	EXPECT("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0); /* surrogate */
	EXPECT("ok\xe4\xb8", "ok\xef\xbf\xbd\xef\xbf\xbd", 0);             /* truncated */
	EXPECT("caf\xc3\xa9", "caf\xc3\xa9", 0);                            /* valid stays */
}

static void test_cjk_widths(void **state)
{
	int used = -1;
	size_t b;
	struct san_text t;
	(void)state;

	assert_int_equal(san_width("\xe6\x9d\x8e\xe4\xbc\x9f", 6), 4);   /* 李伟 */
	assert_int_equal(san_width("abc", 3), 3);
	assert_int_equal(san_width("e\xcc\x81", 3), 1);                  /* e + combining acute */
	b = san_fit("\xe6\x9d\x8e\xe4\xbc\x9f", 6, 3, &used);
	assert_int_equal(b, 3);
	assert_int_equal(used, 2);
	b = san_fit("\xe6\x9d\x8e", 3, 1, &used);
	assert_int_equal(b, 0);
	assert_int_equal(used, 0);
	b = san_fit("ab\xe6\x9d\x8e", 5, 4, &used);
	assert_int_equal(b, 5);
	assert_int_equal(used, 4);
	b = san_fit("e\xcc\x81x", 4, 1, &used);   /* combining mark stays with its base */
	assert_int_equal(b, 3);
	san_line("\xe6\x9d\x8e\xe4\xbc\x9f 2025", 11, 8, &t);
	assert_int_equal(t.width, 9);
	san_text_free(&t);
}

static void test_tabs(void **state)
{
	struct san_text t;
	(void)state;

	san_line("a\tb\t\tc", 6, 4, &t);
	assert_string_equal(t.s, "a   b       c");
	assert_int_equal(t.width, 13);
	san_text_free(&t);
	san_line("\xe6\x9d\x8e\tx", 5, 4, &t);   /* wide char counts 2 columns */
	assert_string_equal(t.s, "\xe6\x9d\x8e  x");
	san_text_free(&t);
}

static void test_megabyte_line(void **state)
{
	size_t n = (size_t)1 << 20, i;
	char *big = malloc(n);
	struct san_text t;
	clock_t t0 = clock();
	(void)state;

	assert_non_null(big);
	memset(big, 'x', n);
	san_line(big, n, 8, &t);
	assert_true(t.truncated);
	assert_int_equal(t.len, SAN_MAX_LINE + 3);
	assert_memory_equal(t.s + SAN_MAX_LINE, "\xe2\x80\xa6", 3);
	assert_int_equal(t.width, SAN_MAX_LINE + 1);
	san_text_free(&t);

	/* 1 MB of clear-screen sequences: output capped, all visible */
	for (i = 0; i + 4 <= n; i += 4)
		memcpy(big + i, "\x1b[2J", 4);
	san_line(big, n, 8, &t);
	assert_true(t.truncated);
	assert_true(t.len <= SAN_MAX_LINE + 16);
	assert_null(memchr(t.s, 0x1b, t.len));
	san_text_free(&t);

	/* 1 MB of SGR: all dropped, nothing left */
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(big + i, "\x1b[m", 3);
	san_line(big, i, 8, &t);
	assert_int_equal(t.len, 0);
	assert_false(t.truncated);
	san_text_free(&t);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	free(big);
}

static void test_newline_ends_line_and_plain(void **state)
{
	char *p;
	(void)state;

	EXPECT("first\nsecond", "first", 0);
	p = san_plain("a\x1b[2J\r\nb\x1b[31mc\n", 15);
	assert_string_equal(p, "a^[[2J\nbc\n");
	free(p);
	p = san_plain("", 0);
	assert_string_equal(p, "");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csi_clear_screen),
		cmocka_unit_test(test_sgr_dropped),
		cmocka_unit_test(test_osc8_link_text_kept),
		cmocka_unit_test(test_osc52_clipboard_shown),
		cmocka_unit_test(test_dcs_and_friends),
		cmocka_unit_test(test_c0_c1_controls),
		cmocka_unit_test(test_bidi_override),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cjk_widths),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_megabyte_line),
		cmocka_unit_test(test_newline_ends_line_and_plain),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
