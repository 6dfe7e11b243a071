/* fuzz_theme.c - libFuzzer harness for ui/theme parsing (no curses): the
 * input as a theme file (theme_parse), each line's arguments through
 * theme_set_color(), each word through theme_parse_color(), and every role
 * resolved at every colour depth.
 * Checked properties: a resolved colour is -1 or below the depth (a
 * 0xRRGGBB value for direct colour); a parsed colour has 0..4 alternatives.
 */
#include "config.h"
#include "harness.h"
#include "ui/theme.h"
#include "util/text.h"

#include <stdio.h>

static const int depths[] = {THEME_DEPTH_8, THEME_DEPTH_16, THEME_DEPTH_256, THEME_DEPTH_DIRECT};

static void check_color(const struct theme_color *tc)
{
	if (tc->n < 0 || tc->n > 4)
		abort();
	for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
		long v = theme_resolve_color(tc, depths[d]);
		if (v < -1 || v >= depths[d]) {
			fprintf(stderr, "colour %ld at depth %d\n", v, depths[d]);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme *t = theme_parse((const char *)data, size, "fuzz.theme");
	struct txt_lines it;
	const char *line;
	size_t len;
	struct wz_err err;

	if (!t)
		abort(); /* documented: never fails on content */
	txt_lines_init(&it, (const char *)data, size);
	while (txt_lines_next(&it, &line, &len)) {
		char *l = fz_cstr((const uint8_t *)line, len);
		wz_err_clear(&err);
		(void)theme_set_color(t, l, &err);
		char *save = NULL;
		for (char *w = strtok_r(l, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			struct theme_color tc;
			memset(&tc, 0, sizeof tc);
			if (theme_parse_color(w, &tc))
				check_color(&tc);
		}
		free(l);
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct theme_color fg, bg;
		unsigned attrs;
		theme_role_get(t, (enum theme_role)r, &fg, &bg, &attrs);
		check_color(&fg);
		check_color(&bg);
	}
	const char **w;
	size_t n = theme_warnings(t, &w);
	for (size_t i = 0; i < n; i++)
		if (!w[i])
			abort();
	(void)theme_name(t);
	theme_free(&t);
	return 0;
}
