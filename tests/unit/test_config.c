/* test_config.c - settings, config lines, file precedence, source loops. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <curses.h>

#include "cli/cli.h"
#include "ui/config.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "ui/ui.h"

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	for (slash = strchr(path + strlen(tmpdir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *tpath(const char *rel)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, rel);
	return buf[i];
}

static void clear_env(void)
{
	static const char *const vars[] = { "WISDOM_CONFIG", "WISDOM_SYSCONFDIR", "XDG_CONFIG_HOME", "WISDOM_THEME",
					    "WISDOM_DEPLOY_TIME", "ESCDELAY", "NO_COLOR", "WISDOM_DATADIR" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("HOME", tpath("home"), 1);
	setenv("WISDOM_SYSCONFDIR", tpath("sys"), 1);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/wz-cfg-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	clear_env();
	mkdir(tpath("home"), 0700);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_defaults_and_set(void **state)
{
	struct cfg *c = cfg_new_defaults();
	struct wz_err e;
	(void)state;

	assert_string_equal(cfg_get(c, "layout"), "auto");
	assert_string_equal(cfg_get(c, "tab-size"), "8");
	assert_string_equal(cfg_get(c, "escdelay"), "25");
	assert_string_equal(cfg_get(c, "blame-context"), "12");
	assert_string_equal(cfg_get(c, "mouse"), "no");
	assert_string_equal(cfg_get(c, "refresh-interval"), "0");
	assert_string_equal(cfg_origin(c, "layout"), "default");
	assert_null(cfg_get(c, "nope"));
	assert_int_equal(cfg_get_int(c, CFG_BLAME_CONTEXT), 12);
	assert_false(cfg_get_bool(c, CFG_MOUSE));

	assert_int_equal(cfg_set(c, "layout", "grid", &e), WZ_OK);
	assert_string_equal(cfg_get(c, "layout"), "grid");
	assert_string_equal(cfg_origin(c, "layout"), ":set");
	assert_int_equal(cfg_set(c, "layout", "diagonal", &e), WZ_EPARSE);
	assert_string_equal(e.msg, "layout must be one of auto|single|split|grid, not 'diagonal'");
	assert_string_equal(cfg_get(c, "layout"), "grid");
	assert_int_equal(cfg_set(c, "tab-size", "0", &e), WZ_EPARSE);
	assert_string_equal(e.msg, "tab-size must be a whole number from 1 to 16, not '0'");
	assert_int_equal(cfg_set(c, "tab-size", "4x", &e), WZ_EPARSE);
	assert_int_equal(cfg_set(c, "tab-size", "16", &e), WZ_OK);
	assert_int_equal(cfg_set(c, "grid-panes", "flow,tests,nope", &e), WZ_EPARSE);
	assert_non_null(strstr(e.msg, "unknown pane 'nope'"));
	assert_int_equal(cfg_set(c, "grid-panes", "a,b,c,d,e,f,g", &e), WZ_EPARSE);
	assert_int_equal(cfg_set(c, "grid-panes", "logs,slo", &e), WZ_OK);
	assert_int_equal(cfg_set(c, "deploy-time", "2025-12-20T14:12:00Z", &e), WZ_OK);
	assert_int_equal(cfg_set(c, "deploy-time", "yesterday", &e), WZ_EPARSE);
	assert_int_equal(cfg_set(c, "deploy-time", "", &e), WZ_OK);
	assert_int_equal(cfg_set(c, "colour", "never", &e), WZ_EPARSE);
	assert_non_null(strstr(e.msg, "unknown setting 'colour'"));
	cfg_free(&c);
	assert_null(c);
}

static void test_lines(void **state)
{
	struct cfg *c = cfg_new_defaults();
	struct km_map *km = km_new_default();
	struct wz_err e;
	const char **lines;
	size_t n;
	(void)state;

	/* the example of ui.md §7 */
	assert_int_equal(cfg_apply_line(c, km, "set theme = cvd", "f.conf", 1, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "set layout = auto", "f.conf", 2, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "set time-format = relative", "f.conf", 3, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "set copy-command =               # empty: OSC 52", "f.conf", 4, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "bind generic <C-j> pane-next", "f.conf", 5, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "color cursor default color238 bold", "f.conf", 6, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "  # just a comment", "f.conf", 7, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "", "f.conf", 8, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "color title #d55e00 default  # orange", "f.conf", 9, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "set copy-command = \"xclip -i\"", "f.conf", 10, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "copy-command"), "xclip -i");
	assert_int_equal(cfg_apply_line(c, km, "bind list <F3> :goto tests", "f.conf", 11, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "theme light", "f.conf", 12, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "theme"), "light");
	assert_string_equal(cfg_origin(c, "theme"), "f.conf:12");
	assert_int_equal(cfg_apply_line(c, km, "set tab-size 4", "f.conf", 13, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "tab-size"), "4");
	assert_int_equal(km_lookup(km, KC_TESTS, KC_LIST, 10), ACT_PANE_NEXT);
	assert_string_equal(km_bound_command(km, KC_TESTS, KC_LIST, KEY_F(3)), "goto tests");
	n = cfg_color_lines(c, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "cursor default color238 bold");
	assert_string_equal(lines[1], "title #d55e00 default");
	assert_int_equal(cfg_errors(c, &lines), 0);

	/* bad lines name file:line and what is wrong; the map is unchanged */
	assert_int_equal(cfg_apply_line(c, km, "bind generic <C-k> nope", "f.conf", 20, &e), WZ_EPARSE);
	assert_string_equal(e.msg, "f.conf:20: unknown action 'nope' (see wisdom --dump-keymap=config for the names, "
				   "or use :command)");
	assert_int_equal(cfg_apply_line(c, km, "bind nowhere j move-down", "f.conf", 21, &e), WZ_EPARSE);
	assert_true(strncmp(e.msg, "f.conf:21: unknown context 'nowhere'", 36) == 0);
	assert_int_equal(cfg_apply_line(c, km, "bind list <Bogus> move-down", "f.conf", 22, &e), WZ_EPARSE);
	assert_true(strncmp(e.msg, "f.conf:22: unknown key '<Bogus>'", 32) == 0);
	assert_int_equal(cfg_apply_line(c, km, "bind list j", "f.conf", 23, &e), WZ_EPARSE);
	assert_int_equal(cfg_apply_line(c, km, "color nope red red", "f.conf", 24, &e), WZ_EPARSE);
	assert_int_equal(cfg_apply_line(c, km, "frobnicate", "f.conf", 25, &e), WZ_EPARSE);
	assert_int_equal(cfg_apply_line(c, km, "set layout = sideways", "f.conf", 26, &e), WZ_EPARSE);
	assert_int_equal(cfg_apply_line(c, km, "unbind list q", "f.conf", 27, &e), WZ_ENOENT);
	assert_int_equal(cfg_apply_line(c, km, "set theme = \xff", "f.conf", 28, &e), WZ_EUTF8);
	assert_int_equal(km_lookup(km, KC_TESTS, KC_LIST, 11), ACT_NONE);
	n = cfg_errors(c, &lines);
	assert_int_equal(n, 9);
	assert_true(strncmp(lines[0], "f.conf:20: unknown action 'nope'", 32) == 0);
	assert_string_equal(lines[5], "f.conf:25: unknown command 'frobnicate' (set, bind, unbind, color, theme, "
				      "source or # comment)");
	assert_string_equal(lines[8], "f.conf:28: invalid UTF-8");
	assert_string_equal(cfg_get(c, "layout"), "auto");
	/* a `:` command (no file) is not listed */
	assert_int_equal(cfg_apply_line(c, km, "set layout = x", NULL, 0, &e), WZ_EPARSE);
	assert_int_equal(cfg_errors(c, &lines), 9);
	assert_int_equal(cfg_apply_line(c, km, "set layout = split", NULL, 0, &e), WZ_OK);
	assert_string_equal(cfg_origin(c, "layout"), ":set");
	km_free(&km);
	cfg_free(&c);
}

static void test_precedence(void **state)
{
	struct cfg *c;
	struct km_map *km = km_new_default();
	struct cli_opts o;
	struct wz_err e;
	const char **lines;
	char origin[600];
	(void)state;

	clear_env();
	write_file("sys/wisdom/config", "set layout = split\nset theme = light\nset mouse = yes\nset tab-size = 4\n"
				       "set escdelay = 50\n");
	write_file("xdg/wisdom/config", "set layout = grid\nset theme = cvd\nset escdelay = 60\n");
	write_file("home/.config/wisdom/config", "set layout = single\n");
	write_file("envcfg", "set layout = split\nset hints = no\n");
	write_file("explicit", "set hints = yes\nset time-format = utc\n");

	/* defaults < system < user (XDG) < environment */
	setenv("XDG_CONFIG_HOME", tpath("xdg"), 1);
	setenv("WISDOM_THEME", "high-contrast", 1);
	setenv("ESCDELAY", "70", 1);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load(c, km, NULL, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "mouse"), "yes");             /* system only */
	assert_string_equal(cfg_get(c, "tab-size"), "4");
	assert_string_equal(cfg_get(c, "layout"), "grid");           /* user beats system */
	assert_string_equal(cfg_get(c, "theme"), "high-contrast");   /* env beats user */
	assert_string_equal(cfg_get(c, "escdelay"), "70");
	assert_string_equal(cfg_origin(c, "theme"), "env WISDOM_THEME");
	snprintf(origin, sizeof origin, "%s:1", tpath("xdg/wisdom/config"));
	assert_string_equal(cfg_origin(c, "layout"), origin);
	snprintf(origin, sizeof origin, "%s:3", tpath("sys/wisdom/config"));
	assert_string_equal(cfg_origin(c, "mouse"), origin);
	assert_int_equal(cfg_files(c, &lines), 2);
	assert_string_equal(lines[0], tpath("sys/wisdom/config"));
	assert_string_equal(lines[1], tpath("xdg/wisdom/config"));
	/* command line beats environment, :set beats command line */
	memset(&o, 0, sizeof o);
	o.theme = "mono";
	o.color = "never";
	assert_int_equal(cfg_apply_cli(c, &o, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "theme"), "mono");
	assert_string_equal(cfg_get(c, "color"), "never");
	assert_string_equal(cfg_origin(c, "theme"), "command line");
	assert_int_equal(cfg_set(c, "theme", "cvd", &e), WZ_OK);
	assert_string_equal(cfg_get(c, "theme"), "cvd");
	cfg_free(&c);

	/* a relative XDG_CONFIG_HOME is ignored: ~/.config is used */
	unsetenv("WISDOM_THEME");
	unsetenv("ESCDELAY");
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load(c, km, NULL, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "layout"), "single");
	assert_string_equal(cfg_get(c, "escdelay"), "50");
	cfg_free(&c);

	/* $WISDOM_CONFIG beats XDG; --config beats $WISDOM_CONFIG */
	setenv("XDG_CONFIG_HOME", tpath("xdg"), 1);
	setenv("WISDOM_CONFIG", tpath("envcfg"), 1);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load(c, km, NULL, &e), WZ_OK);
	assert_string_equal(cfg_get(c, "layout"), "split");
	assert_string_equal(cfg_get(c, "hints"), "no");
	cfg_free(&c);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load(c, km, tpath("explicit"), &e), WZ_OK);
	assert_string_equal(cfg_get(c, "hints"), "yes");
	assert_string_equal(cfg_get(c, "layout"), "split");         /* from the system file */
	assert_string_equal(cfg_get(c, "time-format"), "utc");
	cfg_free(&c);

	/* a missing --config file is an error naming it; the rest still loads */
	c = cfg_new_defaults();
	assert_int_equal(cfg_load(c, km, tpath("missing"), &e), WZ_ENOENT);
	assert_non_null(strstr(e.msg, tpath("missing")));
	assert_int_equal(cfg_errors(c, &lines), 1);
	assert_string_equal(cfg_get(c, "mouse"), "yes");
	cfg_free(&c);
	/* a directory as config */
	c = cfg_new_defaults();
	assert_int_not_equal(cfg_load(c, km, tpath("xdg"), &e), WZ_OK);
	cfg_free(&c);
	km_free(&km);
	clear_env();
}

static void test_source_loops(void **state)
{
	struct cfg *c = cfg_new_defaults();
	struct km_map *km = km_new_default();
	struct wz_err e;
	const char **lines;
	size_t n, i;
	char name[32], text[64];
	(void)state;

	/* a -> b -> a: stops, says so, keeps what loaded */
	write_file("loop/a", "set layout = split\nsource b\n");
	write_file("loop/b", "set mouse = yes\nsource a\n");
	assert_int_equal(cfg_load_file(c, km, tpath("loop/a"), &e), WZ_OK);
	assert_string_equal(cfg_get(c, "layout"), "split");
	assert_string_equal(cfg_get(c, "mouse"), "yes");
	n = cfg_errors(c, &lines);
	assert_int_equal(n, 1);
	assert_non_null(strstr(lines[0], "loop/b:2: "));
	assert_non_null(strstr(lines[0], "source loop"));
	cfg_free(&c);

	/* a file that sources itself */
	c = cfg_new_defaults();
	write_file("self", "source ~/../self\nset hints = no\n");
	assert_int_equal(cfg_load_file(c, km, tpath("self"), &e), WZ_OK);
	assert_string_equal(cfg_get(c, "hints"), "no");
	assert_int_equal(cfg_errors(c, &lines), 1);
	cfg_free(&c);

	/* a chain of 12 distinct files stops at the depth limit */
	c = cfg_new_defaults();
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "chain/f%zu", i);
		snprintf(text, sizeof text, "set blame-context = %zu\nsource f%zu\n", i, i + 1);
		write_file(name, text);
	}
	assert_int_equal(cfg_load_file(c, km, tpath("chain/f0"), &e), WZ_OK);
	assert_int_equal(cfg_get_int(c, CFG_BLAME_CONTEXT), CFG_MAX_SOURCE_DEPTH - 1);
	n = cfg_errors(c, &lines);
	assert_int_equal(n, 1);
	assert_non_null(strstr(lines[0], "nests deeper than 8 files"));
	/* a missing sourced file names the line that sourced it */
	write_file("src-missing", "source nothere\n");
	assert_int_equal(cfg_load_file(c, km, tpath("src-missing"), &e), WZ_OK);
	n = cfg_errors(c, &lines);
	assert_int_equal(n, 2);
	assert_non_null(strstr(lines[1], "src-missing:1: "));
	assert_non_null(strstr(lines[1], "nothere"));
	cfg_free(&c);
	km_free(&km);
}

static void test_theme_selection(void **state)
{
	struct cfg *c;
	struct theme *t;
	struct wz_err e;
	struct km_map *km = NULL;
	const char **lines;
	char *top = getenv("top_srcdir");
	struct theme_color fg, bg;
	unsigned attrs;
	(void)state;

	clear_env();
	setenv("WISDOM_DATADIR", top && *top ? top : "..", 1);
	c = cfg_new_defaults();
	assert_int_equal(cfg_apply_line(c, km, "set theme = cvd", "t", 1, &e), WZ_OK);
	assert_int_equal(cfg_apply_line(c, km, "color cursor default color238 bold", "t", 2, &e), WZ_OK);
	assert_int_equal(cfg_theme(c, 256, &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "cvd");
	theme_role_get(t, ROLE_CURSOR, &fg, &bg, &attrs);
	assert_int_equal(theme_resolve_color(&bg, 256), 238);
	theme_free(&t);

	/* NO_COLOR picks mono under auto; always beats it; no colours -> mono */
	setenv("NO_COLOR", "1", 1);
	cfg_apply_env(c);
	assert_false(cfg_use_color(c, 256));
	assert_int_equal(cfg_theme(c, 256, &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "mono");
	theme_role_get(t, ROLE_CURSOR, &fg, &bg, &attrs);
	assert_int_equal(attrs, TA_REVERSE);   /* colour lines are not applied in mono */
	theme_free(&t);
	assert_int_equal(cfg_set(c, "color", "always", &e), WZ_OK);
	assert_true(cfg_use_color(c, 256));
	unsetenv("NO_COLOR");
	cfg_apply_env(c);
	assert_int_equal(cfg_set(c, "color", "auto", &e), WZ_OK);
	assert_false(cfg_use_color(c, 0));

	/* a missing theme: built-in default, listed */
	assert_int_equal(cfg_set(c, "theme", "nosuch", &e), WZ_OK);
	assert_int_equal(cfg_theme(c, 256, &t, &e), WZ_OK);
	assert_string_equal(theme_name(t), "default");
	assert_int_equal(cfg_errors(c, &lines), 1);
	assert_non_null(strstr(lines[0], "theme 'nosuch' not found"));
	theme_free(&t);
	cfg_free(&c);
	clear_env();
}

static void test_dump_config_reloads(void **state)
{
	FILE *f = tmpfile();
	struct cfg *c = cfg_new_defaults();
	struct km_map *km = km_new_default();
	char line[256];
	int lineno = 0, binds = 0;
	struct wz_err e;
	const char **lines;
	(void)state;

	assert_non_null(f);
	assert_int_equal(ui_dump_keymap("config", f), 0);
	rewind(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		lineno++;
		if (strncmp(line, "bind ", 5) == 0)
			binds++;
		if (cfg_apply_line(c, km, line, "dump", lineno, &e) != WZ_OK)
			fail_msg("%s", e.msg);
	}
	fclose(f);
	assert_int_equal(cfg_errors(c, &lines), 0);
	assert_true(binds > 150);
	assert_int_equal(ui_dump_keymap("html", stdout), 2);
	km_free(&km);
	cfg_free(&c);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[4096];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_save_config(void **state)
{
	struct cfg *c;
	struct wz_err e;
	struct stat st;
	const char *user = "# mine\nset layout = split   # keep me\n"
			   "# >>> wisdom managed >>>\nset mouse = yes\nset hints = no\n# <<< wisdom managed <<<\n"
			   "bind generic <C-j> pane-next\n";
	(void)state;

	clear_env();
	write_file("save/config", user);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load_file(c, NULL, tpath("save/config"), &e), WZ_OK);
	assert_int_equal(cfg_set(c, "hints", "yes", &e), WZ_OK);
	assert_int_equal(cfg_set(c, "copy-command", "xclip -i", &e), WZ_OK);
	assert_int_equal(cfg_save(c, tpath("save/config"), &e), WZ_OK);
	assert_string_equal(slurp(tpath("save/config")),
			    "# mine\nset layout = split   # keep me\n"
			    "# >>> wisdom managed >>>\nset mouse = yes\nset hints = yes\n"
			    "set copy-command = \"xclip -i\"\n# <<< wisdom managed <<<\n"
			    "bind generic <C-j> pane-next\n");
	/* saving again changes nothing; the file reads back the same values */
	assert_int_equal(cfg_save(c, tpath("save/config"), &e), WZ_OK);
	cfg_free(&c);
	c = cfg_new_defaults();
	assert_int_equal(cfg_load_file(c, NULL, tpath("save/config"), &e), WZ_OK);
	assert_string_equal(cfg_get(c, "copy-command"), "xclip -i");
	assert_string_equal(cfg_get(c, "hints"), "yes");
	assert_string_equal(cfg_get(c, "layout"), "split");
	cfg_free(&c);

	/* no file yet: the block is appended into a new 0700 directory */
	c = cfg_new_defaults();
	assert_int_equal(cfg_set(c, "theme", "cvd", &e), WZ_OK);
	assert_int_equal(cfg_save(c, tpath("new/dir/config"), &e), WZ_OK);
	assert_string_equal(slurp(tpath("new/dir/config")),
			    "# >>> wisdom managed >>>\nset theme = cvd\n# <<< wisdom managed <<<\n");
	assert_int_equal(stat(tpath("new/dir"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* a user file without a trailing newline and no block */
	write_file("save/plain", "set layout = grid");
	assert_int_equal(cfg_save(c, tpath("save/plain"), &e), WZ_OK);
	assert_string_equal(slurp(tpath("save/plain")),
			    "set layout = grid\n# >>> wisdom managed >>>\nset theme = cvd\n# <<< wisdom managed <<<\n");
	cfg_free(&c);
	c = cfg_new_defaults();
	assert_int_equal(cfg_save(c, NULL, &e), WZ_EUSAGE);
	cfg_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_set),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_source_loops),
		cmocka_unit_test(test_theme_selection),
		cmocka_unit_test(test_dump_config_reloads),
		cmocka_unit_test(test_save_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
