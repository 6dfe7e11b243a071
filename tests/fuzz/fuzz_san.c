/* fuzz_san.c - libFuzzer harness for util/sanitize: san_line() (first
 * input byte picks the tab size 1..16), san_width(), san_fit() and
 * san_plain(), under a UTF-8 locale as in the console.
 *
 * Checked properties (the promises of sanitize.h): the line is valid UTF-8,
 * NUL-terminated at len, holds no C0 control, DEL or C1 control; spans lie
 * inside the text, in order; san_fit() never returns more than n bytes and
 * never ends inside a UTF-8 sequence; san_plain() is valid UTF-8 with no
 * control other than newline.
 */
#include "config.h"
#include "harness.h"
#include "util/sanitize.h"
#include "util/text.h"

#include <locale.h>
#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

static void no_controls(const char *s, size_t n, bool allow_nl, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		bool c1 = i + 1 < n && u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f;
		if ((u[i] < 0x20 && !(allow_nl && u[i] == '\n')) || u[i] == 0x7f || c1) {
			fprintf(stderr, "%s: control byte 0x%02x at %zu\n", what, u[i], i);
			abort();
		}
	}
	size_t bad;
	if (!txt_utf8_valid(s, n, &bad)) {
		fprintf(stderr, "%s: invalid UTF-8 at %zu\n", what, bad);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int tab = (int)(fz_take(&data, &size) % 16) + 1;
	const char *in = (const char *)data;
	struct san_text t;

	memset(&t, 0, sizeof t);
	san_line(in, size, tab, &t);
	if (!t.s || t.s[t.len] != '\0' || strlen(t.s) != t.len || t.width < 0)
		abort();
	no_controls(t.s, t.len, false, "san_line");
	size_t prev = 0;
	for (size_t i = 0; i < t.nspans; i++) {
		if (t.spans[i].off < prev || t.spans[i].off + t.spans[i].len > t.len)
			abort();
		prev = t.spans[i].off + t.spans[i].len;
	}
	(void)san_width(t.s, t.len);
	for (int cols = 0; cols <= 80; cols += 7) {
		int used = -1;
		size_t fit = san_fit(t.s, t.len, cols, &used);
		if (fit > t.len || used < 0 || used > cols ||
		    (fit < t.len && ((unsigned char)t.s[fit] & 0xc0) == 0x80)) {
			fprintf(stderr, "san_fit(%d) = %zu (used %d) of %zu\n", cols, fit, used, t.len);
			abort();
		}
	}
	san_text_free(&t);

	/* The raw bytes too: san_width and san_fit accept any input. */
	(void)san_width(in, size);
	(void)san_fit(in, size, 40, NULL);

	char *plain = san_plain(in, size);
	if (!plain)
		abort();
	no_controls(plain, strlen(plain), true, "san_plain");
	free(plain);
	return 0;
}
