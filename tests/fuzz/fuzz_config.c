/* fuzz_config.c - libFuzzer harness for ui/config: every input line goes
 * through cfg_apply_line() (as a config-file line with a key map, and the
 * first line also as a `:` command without one), then every setting is read
 * back and the theme the settings ask for is built (cfg_theme).
 *
 * `source` lines are skipped: they read other files and are left to the
 * unit tests (a fuzzer must not open arbitrary paths of the host).
 * Checked properties: every setting keeps a value and an origin.
 */
#include "config.h"
#include "harness.h"
#include "ui/config.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "util/text.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg *c = cfg_new_defaults();
	struct km_map *km = km_new_default();
	struct txt_lines it;
	const char *line;
	size_t len;
	struct wz_err err;
	bool first = true;

	txt_lines_init(&it, (const char *)data, size);
	while (txt_lines_next(&it, &line, &len)) {
		char *l = fz_cstr((const uint8_t *)line, len);
		const char *w = l + strspn(l, " \t");
		if (strncmp(w, "source", 6) != 0) {
			wz_err_clear(&err);
			(void)cfg_apply_line(c, km, l, "fuzz.conf", it.lineno, &err);
			if (first) {
				(void)cfg_apply_line(c, NULL, l, NULL, 0, &err);
				first = false;
			}
		}
		free(l);
	}

	for (int s = 0; s < CFG_COUNT; s++) {
		const char *name = cfg_setting_name((enum cfg_setting)s);
		if (!cfg_value(c, (enum cfg_setting)s) || !cfg_get(c, name) || !cfg_origin(c, name)) {
			fprintf(stderr, "setting %s lost its value or origin\n", name);
			abort();
		}
		(void)cfg_get_int(c, (enum cfg_setting)s);
		(void)cfg_get_bool(c, (enum cfg_setting)s);
	}
	const char **lines;
	size_t n = cfg_errors(c, &lines);
	for (size_t i = 0; i < n; i++)
		if (!lines[i])
			abort();
	n = cfg_color_lines(c, &lines);
	for (size_t i = 0; i < n; i++)
		if (!lines[i])
			abort();

	/* A theme named by the input is looked up by name or path: only do it
	 * for bundled names, never for paths of the host. */
	const char *th = cfg_value(c, CFG_THEME);
	if (th && !strchr(th, '/') && !strstr(th, ".theme")) {
		struct theme *t = NULL;
		wz_err_clear(&err);
		(void)cfg_theme(c, 256, &t, &err);
		theme_free(&t);
	}
	km_free(&km);
	cfg_free(&c);
	return 0;
}
