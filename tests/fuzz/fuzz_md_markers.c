/* fuzz_md_markers.c - libFuzzer harness for sources/md_markers.
 *
 * The first input line is used as a mdm_count_pattern() pattern (so the
 * pattern language itself is fuzzed), the rest is the text; then every
 * marker of RUN_MARKER_TABLE is counted and its stated keys looked up.
 * Checked properties: counts are within 0..number of lines, first_line is 0
 * exactly when nothing matched.
 */
#include "config.h"
#include "harness.h"
#include "sources/md_markers.h"

static int count_lines(const char *s, size_t n)
{
	int lines = n ? 1 : 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			lines++;
	return lines;
}

static void check(const struct mdm_count *c, int lines)
{
	if (c->counted < 0 || c->counted > lines || (c->counted == 0) != (c->first_line == 0) ||
	    c->first_line > lines)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
	if (plen > 128)
		plen = 128;
	char *pattern = fz_cstr(data, plen);
	const char *text = nl ? nl + 1 : (const char *)data + size;
	size_t tlen = (size_t)((const char *)data + size - text);
	int lines = count_lines(text, tlen);
	struct mdm_count c;

	mdm_count_pattern(text, tlen, pattern, &c);
	check(&c, lines);
	free(pattern);

	/* The whole input as a markdown file. */
	lines = count_lines((const char *)data, size);
	for (int mk = 0; mk < MK_COUNT; mk++) {
		mdm_count((const char *)data, size, (enum run_marker)mk, &c);
		check(&c, lines);
		const char *const *keys = mdm_stated_keys((enum run_marker)mk);
		for (size_t k = 0; keys && keys[k]; k++) {
			double v;
			int line = 0;
			if (mdm_stated((const char *)data, size, keys[k], &v, &line) &&
			    (line < 1 || line > lines))
				abort();
		}
		if (!mdm_pattern((enum run_marker)mk))
			abort();
	}
	return 0;
}
