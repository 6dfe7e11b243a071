/* fuzz_text.c - libFuzzer harness for util/text: the CRLF-safe line
 * iterator, ANSI stripping, UTF-8 validation, txt_line_of, txt_trim_dup.
 *
 * Checked properties: lines stay inside the buffer, never contain '\n' and
 * are numbered 1..N; stripping never grows the text; a reported bad UTF-8
 * offset lies inside the input and everything before it is valid.
 */
#include "config.h"
#include "harness.h"
#include "util/buf.h"
#include "util/text.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct txt_lines it;
	const char *line;
	size_t len;
	int count = 0;

	txt_lines_init(&it, in, size);
	while (txt_lines_next(&it, &line, &len)) {
		count++;
		if (line < in || line + len > in + size || it.lineno != count ||
		    (len && memchr(line, '\n', len)))
			abort();
	}

	struct buf b = {0};
	txt_strip_ansi(in, size, &b);
	if (b.len > size)
		abort();
	size_t bad = (size_t)-1;
	if (!txt_utf8_valid(b.p ? b.p : "", b.len, &bad) && bad >= b.len)
		abort();
	buf_free(&b);

	bad = (size_t)-1;
	if (!txt_utf8_valid(in, size, &bad)) {
		if (bad >= size)
			abort();
		size_t bad2 = 0;
		if (!txt_utf8_valid(in, bad, &bad2)) {
			fprintf(stderr, "prefix [0,%zu) reported invalid at %zu\n", bad, bad2);
			abort();
		}
	}

	char *s = fz_cstr(data, size);
	(void)txt_line_of(s, size / 2);
	char *trimmed = txt_trim_dup(s, size);
	free(trimmed);
	free(s);
	return 0;
}
