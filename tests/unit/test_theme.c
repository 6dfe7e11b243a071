/* test_theme.c - theme files, colour chains, quantisation, mode selection. */
#include "config.h"

#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ui/theme.h"

static const char *const bundled[] = { "default", "light", "high-contrast", "cvd", "mono" };

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");
	return s && *s ? s : "..";
}

static struct theme *load_bundled(const char *name)
{
	char path[4096];
	struct theme *t = NULL;
	struct wz_err e;

	snprintf(path, sizeof path, "%s/themes/%s.theme", srcdir(), name);
	if (theme_load_file(path, &t, &e) != WZ_OK)
		fail_msg("%s", e.msg);
	return t;
}

static long resolve(const char *word, int depth)
{
	struct theme_color c;

	if (!theme_parse_color(word, &c))
		fail_msg("'%s' does not parse", word);
	return theme_resolve_color(&c, depth);
}

static void test_color_chains(void **state)
{
	(void)state;
	/* the chain's first value the depth can show wins */
	assert_int_equal(resolve("#d55e00/color166/red", THEME_DEPTH_DIRECT), 0xd55e00);
	assert_int_equal(resolve("#d55e00/color166/red", 256), 166);
	assert_int_equal(resolve("#d55e00/color166/red", 16), 1);
	assert_int_equal(resolve("#d55e00/color166/red", 8), 1);
	assert_int_equal(resolve("color238/bright-black", 256), 238);
	assert_int_equal(resolve("color238/bright-black", 16), 8);
	assert_int_equal(resolve("color238/bright-black", 8), 0);    /* bright -> normal, never bold */
	assert_int_equal(resolve("default/red", 256), -1);
	assert_int_equal(resolve("default", THEME_DEPTH_DIRECT), -1);
	assert_int_equal(resolve("red", 0), -1);                     /* no colours: default */
}

static void test_quantise(void **state)
{
	(void)state;
	/* single values: 24-bit -> 256 -> 16 -> 8 */
	assert_int_equal(resolve("#d55e00", 256), 166);
	assert_int_equal(resolve("#d55e00", 16), 1);
	assert_int_equal(resolve("#0072b2", 256), 25);
	assert_int_equal(resolve("#808080", 256), 244);    /* grey ramp beats the cube */
	assert_int_equal(resolve("#ffffff", 256), 231);
	assert_int_equal(resolve("#ffffff", 16), 15);
	assert_int_equal(resolve("#ffffff", 8), 7);
	assert_int_equal(resolve("#000000", 8), 0);
	assert_int_equal(resolve("#00ff00", 16), 10);
	assert_int_equal(resolve("#00ff00", 8), 2);
	assert_int_equal(resolve("color166", 16), 1);
	assert_int_equal(resolve("color166", 256), 166);
	assert_int_equal(resolve("bright-red", 16), 9);
	assert_int_equal(resolve("bright-red", 8), 1);
	/* direct colour: 0-7 stay ANSI indexes, the rest become RGB */
	assert_int_equal(resolve("color3", THEME_DEPTH_DIRECT), 3);
	assert_int_equal(resolve("color100", THEME_DEPTH_DIRECT), 0x878700);
	assert_int_equal(resolve("bright-white", THEME_DEPTH_DIRECT), 0xffffff);
}

static void test_bad_colors(void **state)
{
	static const char *const bad[] = { "", "#12345", "#1234567", "#gg0000", "color256", "color-1",
					   "reddish", "red/", "/red", "a/b", "red/red/red/red/red", "bright-",
					   "Red", "color" };
	struct theme_color c;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (theme_parse_color(bad[i], &c))
			fail_msg("'%s' parsed as a colour", bad[i]);
	assert_false(theme_parse_color(NULL, &c));
	assert_true(theme_parse_color("red/red/red/red", &c));
	assert_int_equal(c.n, 4);
}

static void test_parse_with_bad_lines(void **state)
{
	static const char text[] =
		"# a theme\n"
		"name \"t1\"\n"
		"color nope red default\n"
		"color title red\n"
		"blink title\n"
		"color ok green default blink\n"
		"color title #d55e00/color166/red default bold underline   # trailing comment\n"
		"color ok green default\n"
		"name broken\n";
	struct theme *t = theme_parse(text, sizeof text - 1, "x.theme");
	const char **w;
	size_t n = theme_warnings(t, &w);
	struct theme_color fg, bg;
	unsigned attrs;
	(void)state;

	assert_string_equal(theme_name(t), "t1");
	assert_int_equal(n, 5);
	assert_string_equal(w[0], "x.theme:3: unknown role 'nope' (see THEMES in wisdom(1))");
	assert_string_equal(w[1], "x.theme:4: expected: color ROLE FG BG [ATTR...]");
	assert_string_equal(w[2], "x.theme:5: unknown command 'blink' (theme files hold name and color lines)");
	assert_non_null(strstr(w[3], "x.theme:6: unknown attribute 'blink'"));
	assert_string_equal(w[4], "x.theme:9: expected name \"TEXT\"");
	/* the good lines loaded */
	theme_role_get(t, ROLE_TITLE, &fg, &bg, &attrs);
	assert_int_equal(fg.n, 3);
	assert_int_equal(theme_resolve_color(&fg, 256), 166);
	assert_int_equal(theme_resolve_color(&bg, 256), -1);
	assert_int_equal(attrs, TA_BOLD | TA_UNDERLINE);
	theme_role_get(t, ROLE_OK, &fg, &bg, &attrs);
	assert_int_equal(theme_resolve_color(&fg, 8), 2);
	assert_int_equal(attrs, 0);
	/* unset roles look like `default` */
	theme_role_get(t, ROLE_DIALOG, &fg, &bg, &attrs);
	assert_int_equal(theme_resolve_color(&fg, 256), -1);
	theme_free(&t);
	assert_null(t);

	{
		static const char bad[] = "color title red default\n\xff\xfe\n";
		t = theme_parse(bad, sizeof bad - 1, "u.theme");
	}
	n = theme_warnings(t, &w);
	assert_int_equal(n, 1);
	assert_string_equal(w[0], "u.theme:2: invalid UTF-8");
	theme_free(&t);
}

static void test_bundled_themes(void **state)
{
	size_t i;
	int r;
	(void)state;

	for (i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
		struct theme *t = load_bundled(bundled[i]);
		const char **w;
		size_t nw = theme_warnings(t, &w);
		if (nw)
			fail_msg("%s: %s", bundled[i], w[0]);
		assert_string_equal(theme_name(t), bundled[i]);
		for (r = 0; r < ROLE_COUNT; r++) {
			struct theme_color fg, bg, *cs[2] = { &fg, &bg };
			unsigned attrs;
			int k;
			theme_role_get(t, (enum theme_role)r, &fg, &bg, &attrs);
			for (k = 0; k < 2; k++) {
				struct theme_color one;
				/* a #rrggbb/colorN pair: N must be the quantised RGB */
				if (cs[k]->n >= 2 && cs[k]->alt[0].kind == TC_RGB && cs[k]->alt[1].kind == TC_INDEX &&
				    cs[k]->alt[1].v >= 16) {
					one.n = 1;
					one.alt[0] = cs[k]->alt[0];
					if (theme_resolve_color(&one, 256) != (long)cs[k]->alt[1].v)
						fail_msg("%s %s: #%06x quantises to %ld, chain says color%u", bundled[i],
							 theme_role_name((enum theme_role)r), cs[k]->alt[0].v,
							 theme_resolve_color(&one, 256), cs[k]->alt[1].v);
				}
				/* every depth resolves to something usable */
				assert_true(theme_resolve_color(cs[k], 8) < 8);
				assert_true(theme_resolve_color(cs[k], 16) < 16);
				assert_true(theme_resolve_color(cs[k], 256) < 256);
			}
			if (strcmp(bundled[i], "mono") == 0) {
				assert_int_equal(theme_resolve_color(&fg, 256), -1);
				assert_int_equal(theme_resolve_color(&bg, 256), -1);
			}
			if (strcmp(bundled[i], "cvd") == 0) {
				/* no green anywhere: red-green pairs cannot carry meaning */
				assert_int_not_equal(theme_resolve_color(&fg, 8), 2);
				assert_int_not_equal(theme_resolve_color(&fg, 16), 10);
			}
			if (strcmp(bundled[i], "default") == 0) {
				/* no dark-blue text */
				assert_int_not_equal(theme_resolve_color(&fg, 8), 4);
				assert_int_not_equal(theme_resolve_color(&fg, 16), 4);
				assert_true(theme_resolve_color(&fg, 256) != 17 && theme_resolve_color(&fg, 256) != 18);
			}
		}
		theme_free(&t);
	}
}

static void test_mono_attributes(void **state)
{
	struct theme *t = load_bundled("mono");
	(void)state;

	theme_apply(t, 256, false);   /* colours off: no terminal needed */
	assert_int_equal(theme_attr(t, ROLE_SEV_CRITICAL), (int)(A_BOLD | A_UNDERLINE));
	assert_int_equal(theme_attr(t, ROLE_CURSOR), (int)A_REVERSE);
	assert_int_equal(theme_attr(t, ROLE_SEARCH_MATCH), (int)A_STANDOUT);
	assert_int_equal(theme_attr(t, ROLE_DEFAULT), (int)A_NORMAL);
	theme_free(&t);
}

static void test_builtin_equals_file(void **state)
{
	struct theme *b = theme_builtin_default(), *f = load_bundled("default");
	int r;
	const char **w;
	(void)state;

	assert_int_equal(theme_warnings(b, &w), 0);
	for (r = 0; r < ROLE_COUNT; r++) {
		struct theme_color f1, b1, f2, b2;
		unsigned a1, a2;
		theme_role_get(b, (enum theme_role)r, &f1, &b1, &a1);
		theme_role_get(f, (enum theme_role)r, &f2, &b2, &a2);
		assert_memory_equal(&f1, &f2, sizeof f1);
		assert_memory_equal(&b1, &b2, sizeof b1);
		assert_int_equal(a1, a2);
	}
	theme_free(&b);
	theme_free(&f);
}

static void test_mode_selection(void **state)
{
	(void)state;
	assert_true(theme_use_color("auto", NULL, 256));
	assert_true(theme_use_color(NULL, NULL, 8));
	assert_false(theme_use_color("auto", "1", 256));     /* NO_COLOR non-empty */
	assert_true(theme_use_color("auto", "", 256));       /* empty NO_COLOR is ignored */
	assert_true(theme_use_color("always", "1", 256));    /* always beats NO_COLOR */
	assert_false(theme_use_color("never", NULL, 256));
	assert_false(theme_use_color("auto", NULL, 0));      /* terminal without colours */
	assert_false(theme_use_color("always", NULL, 0));
	assert_false(theme_use_color("auto", NULL, 2));

	assert_int_equal(theme_depth_for(256, false, NULL), 256);
	assert_int_equal(theme_depth_for(16777216, true, NULL), THEME_DEPTH_DIRECT);
	assert_int_equal(theme_depth_for(16777216, false, NULL), 256);   /* COLORTERM alone: no */
	assert_int_equal(theme_depth_for(88, false, NULL), 16);
	assert_int_equal(theme_depth_for(16, false, "auto"), 16);
	assert_int_equal(theme_depth_for(8, false, NULL), 8);
	assert_int_equal(theme_depth_for(2, false, NULL), 0);
	assert_int_equal(theme_depth_for(256, false, "8"), 8);
	assert_int_equal(theme_depth_for(8, false, "direct"), THEME_DEPTH_DIRECT);
}

static void test_find(void **state)
{
	struct theme *t = NULL;
	struct wz_err e;
	char dir[] = "/tmp/wz-theme-XXXXXX", path[256];
	FILE *f;
	(void)state;

	setenv("WISDOM_DATADIR", srcdir(), 1);
	assert_int_equal(theme_find("cvd", &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "cvd");
	theme_free(&t);
	assert_int_equal(theme_find("nope", &t, &e), WZ_ENOENT);
	assert_non_null(strstr(e.msg, "theme 'nope' not found"));
	assert_null(t);
	assert_int_equal(theme_find("bad name!", &t, &e), WZ_EUSAGE);
	assert_int_equal(theme_find("/nonexistent/x.theme", &t, &e), WZ_ENOENT);
	assert_non_null(strstr(e.msg, "/nonexistent/x.theme"));

	/* an empty data dir: default and mono still come from the binary */
	assert_non_null(mkdtemp(dir));
	setenv("WISDOM_DATADIR", dir, 1);
	assert_int_equal(theme_find("default", &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "default");
	theme_free(&t);
	assert_int_equal(theme_find("mono", &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "mono");
	theme_free(&t);
	assert_int_equal(theme_find("light", &t, &e), WZ_ENOENT);

	/* a directory, and an oversized file, are refused with their path */
	assert_int_equal(theme_load_file(dir, &t, &e), WZ_EISDIR);
	snprintf(path, sizeof path, "%s/huge.theme", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)200 << 20), 0);
	fclose(f);
	assert_int_not_equal(theme_load_file(path, &t, &e), WZ_OK);
	assert_non_null(strstr(e.msg, "huge.theme"));
	assert_null(t);
	unlink(path);
	rmdir(dir);
	unsetenv("WISDOM_DATADIR");
}

static void test_apply_on_a_terminal(void **state)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	struct theme *t;
	int pair, fg = 0, bg = 0;
	(void)state;

	scr = (out && in) ? newterm("xterm-256color", out, in) : NULL;
	if (!scr) {
		if (out) fclose(out);
		if (in) fclose(in);
		skip();
	}
	start_color();
	t = load_bundled("default");
	theme_apply(t, 256, true);
	pair = PAIR_NUMBER(theme_attr(t, ROLE_SEV_CRITICAL));
	assert_true(pair > 0);
	assert_int_equal(extended_pair_content(pair, &fg, &bg), OK);
	assert_int_equal(fg, 203);
	assert_int_equal(bg, -1);
	assert_true(theme_attr(t, ROLE_SEV_CRITICAL) & A_BOLD);
	/* same (fg, bg) -> same pair */
	assert_int_equal(PAIR_NUMBER(theme_attr(t, ROLE_GAUGE_BAD)), pair);
	assert_int_equal(PAIR_NUMBER(theme_attr(t, ROLE_DEFAULT)), 0);
	/* colours off on the same terminal: attributes only */
	theme_apply(t, 256, false);
	assert_int_equal(PAIR_NUMBER(theme_attr(t, ROLE_SEV_CRITICAL)), 0);
	theme_free(&t);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_color_chains),
		cmocka_unit_test(test_quantise),
		cmocka_unit_test(test_bad_colors),
		cmocka_unit_test(test_parse_with_bad_lines),
		cmocka_unit_test(test_bundled_themes),
		cmocka_unit_test(test_mono_attributes),
		cmocka_unit_test(test_builtin_equals_file),
		cmocka_unit_test(test_mode_selection),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_apply_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
