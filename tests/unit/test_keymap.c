/* test_keymap.c - key names, the default table, lookup chain, help rows. */
#include "config.h"

#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ui/keymap.h"

/* Calls fn(action, context-or-NONE, token) for every default key token. */
static void each_default_key(void (*fn)(int a, const char *only, const char *tok, void *arg), void *arg)
{
	int a;

	for (a = 0; a < ACT_COUNT; a++) {
		const char *p = km_action_default_keys((enum km_action)a);
		while (*p) {
			char tok[64], only[24] = "";
			size_t len = strcspn(p, " ");
			char *colon;
			if (!len) {
				p++;
				continue;
			}
			snprintf(tok, sizeof tok, "%.*s", (int)len, p);
			p += len;
			colon = strchr(tok, ':');
			if (colon && colon != tok && tok[0] != '<') {
				snprintf(only, sizeof only, "%.*s", (int)(colon - tok), tok);
				memmove(tok, colon + 1, strlen(colon + 1) + 1);
			}
			fn(a, only[0] ? only : NULL, tok, arg);
		}
	}
}

static void roundtrip_one(int a, const char *only, const char *tok, void *arg)
{
	char name[48];
	int k = km_parse_key(tok);

	(void)arg;
	if (k < 0)
		fail_msg("action %s: default key '%s' does not parse", km_action_name((enum km_action)a), tok);
	km_key_name(k, name, sizeof name);
	if (strcmp(name, tok) != 0)
		fail_msg("key '%s' prints back as '%s'", tok, name);
	if (only)
		assert_int_not_equal(km_context_from_name(only), KC_NONE);
	(*(int *)arg)++;
}

static void test_default_keys_round_trip(void **state)
{
	int n = 0;
	(void)state;

	each_default_key(roundtrip_one, &n);
	assert_int_equal(n, 104);   /* key tokens in actions.def, counted by hand */
}

static void test_key_names(void **state)
{
	char name[32];
	int k;
	(void)state;

	assert_int_equal(km_parse_key("j"), 'j');
	assert_int_equal(km_parse_key("<C-x>"), 24);
	assert_int_equal(km_parse_key("<c-X>"), 24);
	assert_int_equal(km_parse_key("<Enter>"), 13);
	assert_int_equal(km_parse_key("<CR>"), 13);
	assert_int_equal(km_parse_key("<C-j>"), 10);
	assert_int_equal(km_parse_key("<pgdn>"), KEY_NPAGE);
	assert_int_equal(km_parse_key("<PageDown>"), KEY_NPAGE);
	assert_int_equal(km_parse_key("<S-Tab>"), KEY_BTAB);
	assert_int_equal(km_parse_key("<F12>"), KEY_F(12));
	assert_int_equal(km_parse_key("<M-x>"), KM_META | 'x');
	assert_int_equal(km_parse_key("<M-Enter>"), KM_META | 13);
	assert_int_equal(km_parse_key("<"), '<');
	assert_int_equal(km_parse_key("<lt>"), '<');
	/* not keys */
	static const char *const bad[] = { "", "ab", "<>", "<C-1>", "<F0>", "<F25>", "<Nope>", "\xc3\xa9",
					   "<M-M-x>", " ", "<C-", "\x01" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (km_parse_key(bad[i]) != -1)
			fail_msg("'%s' parsed as a key", bad[i]);
	assert_int_equal(km_parse_key(NULL), -1);
	/* every printable, control and function key prints and parses back */
	for (k = 1; k < 0x7f; k++) {
		if (k >= 27 && k <= ' ' && k != 27 && k != ' ')
			continue;   /* 28-31 have no name */
		km_key_name(k, name, sizeof name);
		if (km_parse_key(name) != k)
			fail_msg("code %d -> '%s' does not parse back", k, name);
	}
	for (k = 1; k <= 12; k++) {
		km_key_name(KEY_F(k), name, sizeof name);
		assert_int_equal(km_parse_key(name), KEY_F(k));
	}
	km_key_name(KM_META | 'q', name, sizeof name);
	assert_string_equal(name, "<M-q>");
	km_key_name(9, name, sizeof name);
	assert_string_equal(name, "<Tab>");
	km_key_name(KEY_BACKSPACE, name, sizeof name);
	assert_string_equal(name, "<Backspace>");
	assert_int_equal(km_normalize(KEY_ENTER), 13);
	assert_int_equal(km_normalize(127), KEY_BACKSPACE);
}

struct dup_check {
	unsigned char seen[KC_COUNT][1024];
};

static void dup_one(int a, const char *only, const char *tok, void *arg)
{
	struct dup_check *d = arg;
	int k = km_parse_key(tok), c;

	if (k < 0 || k >= 1024)
		return;
	for (c = 0; c < KC_COUNT; c++) {
		bool in = only ? c == km_context_from_name(only) : (km_action_contexts((enum km_action)a) & (1u << c));
		if (!in)
			continue;
		if (d->seen[c][k])
			fail_msg("key %s bound twice in context %s by default (second: %s)", tok,
				 km_context_name((enum km_context)c), km_action_name((enum km_action)a));
		d->seen[c][k] = 1;
	}
}

static void test_table_complete(void **state)
{
	struct dup_check *d = calloc(1, sizeof *d);
	int a, b;
	(void)state;

	for (a = 0; a < ACT_COUNT; a++) {
		const char *name = km_action_name((enum km_action)a);
		assert_non_null(name);
		assert_true(strlen(km_action_help((enum km_action)a)) > 5);
		assert_true(strlen(km_action_group((enum km_action)a)) > 0);
		assert_int_not_equal(km_action_contexts((enum km_action)a), 0);
		assert_int_equal(km_action_from_name(name), a);
		for (b = 0; b < a; b++)
			assert_string_not_equal(name, km_action_name((enum km_action)b));
	}
	assert_int_equal(km_action_from_name("no-such-action"), ACT_NONE);
	assert_null(km_action_name(ACT_COUNT));
	each_default_key(dup_one, d);
	free(d);
}

static void test_lookup_chain(void **state)
{
	struct km_map *m = km_new_default();
	(void)state;

	/* pane context first */
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'b'), ACT_BLAME_PARENT);
	assert_int_equal(km_lookup(m, KC_METRICS, KC_LIST, 'b'), ACT_NONE);
	assert_int_equal(km_lookup(m, KC_LEARNINGS, KC_LIST, 'e'), ACT_LEARNING_EDIT);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'e'), ACT_OPEN_EDITOR);
	assert_int_equal(km_lookup(m, KC_METRICS, KC_DETAIL, '<'), ACT_WINDOW_WIDER);
	/* then the class */
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'j'), ACT_MOVE_DOWN);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, ' '), ACT_MARK);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_DETAIL, ' '), ACT_MOVE_PAGE_DOWN);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_DETAIL, 'f'), ACT_NONE);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'f'), ACT_FILTER);
	assert_int_equal(km_lookup(m, KC_FLOW, KC_LIST, KEY_ENTER), ACT_ENTER);
	/* then generic */
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, '?'), ACT_HELP);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_DETAIL, 27), ACT_BACK);
	assert_int_equal(km_lookup(m, KC_GENERIC, KC_GENERIC, '2'), ACT_VIEW_TESTS);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'Z'), ACT_NONE);
	/* prompt, dialog and help replace the chain */
	assert_int_equal(km_lookup(m, KC_DIALOG, KC_LIST, 'y'), ACT_PUBLISH_CONFIRM);
	assert_int_equal(km_lookup(m, KC_DIALOG, KC_LIST, 'j'), ACT_MOVE_DOWN);
	assert_int_equal(km_lookup(m, KC_DIALOG, KC_LIST, 27), ACT_DIALOG_CANCEL);
	assert_int_equal(km_lookup(m, KC_DIALOG, KC_LIST, KEY_ENTER), ACT_NONE);   /* Enter does nothing */
	assert_int_equal(km_lookup(m, KC_DIALOG, KC_LIST, '?'), ACT_NONE);
	assert_int_equal(km_lookup(m, KC_HELP, KC_LIST, 'q'), ACT_BACK);
	assert_int_equal(km_lookup(m, KC_HELP, KC_LIST, '/'), ACT_HELP_FILTER);
	assert_int_equal(km_lookup(m, KC_HELP, KC_LIST, KEY_NPAGE), ACT_MOVE_PAGE_DOWN);
	assert_int_equal(km_lookup(m, KC_PROMPT, KC_LIST, 13), ACT_LINE_RUN);
	assert_int_equal(km_lookup(m, KC_PROMPT, KC_LIST, 'j'), ACT_NONE);
	assert_int_equal(km_lookup(m, KC_PROMPT, KC_LIST, 127), ACT_LINE_DELETE_BACK);
	km_free(&m);
	assert_null(m);
}

static const struct km_help_row *row_for(const struct km_help_row *rows, size_t n, const char *action)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].action, action) == 0)
			return &rows[i];
	return NULL;
}

static void test_rebind_marked_in_help(void **state)
{
	struct km_map *m = km_new_default();
	struct km_help_row *rows;
	const struct km_help_row *r;
	struct wz_err e;
	size_t n;
	(void)state;

	assert_int_equal(km_bind(m, "generic", "<C-j>", "pane-next", &e), WZ_OK);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 10), ACT_PANE_NEXT);
	n = km_help_rows(m, KC_TESTS, KC_LIST, &rows);
	assert_true(n > 20);
	/* the pane's own section comes first */
	assert_string_equal(rows[0].section, "Tests");
	assert_string_equal(rows[0].action, "blame-parent");
	assert_string_equal(rows[0].keys, "b");
	r = row_for(rows, n, "pane-next");
	assert_non_null(r);
	assert_string_equal(r->keys, "<Tab> <C-j>*");
	assert_true(r->rebound);
	assert_string_equal(r->section, "Panes");
	r = row_for(rows, n, "move-down");
	assert_string_equal(r->keys, "j <Down> <C-n>");
	assert_false(r->rebound);
	assert_string_equal(r->help, "next row");
	assert_null(row_for(rows, n, "learning-accept"));   /* other pane's keys are not listed */
	assert_null(row_for(rows, n, "wrap"));               /* detail only */
	free(rows);

	/* a pane binding shadows the class key: j leaves move-down's row */
	assert_int_equal(km_bind(m, "tests", "j", "pane-next", &e), WZ_OK);
	n = km_help_rows(m, KC_TESTS, KC_LIST, &rows);
	r = row_for(rows, n, "move-down");
	assert_string_equal(r->keys, "<Down> <C-n>");
	free(rows);
	km_free(&m);
}

static void test_bind_unbind_commands(void **state)
{
	struct km_map *m = km_new_default();
	struct km_help_row *rows;
	struct wz_err e;
	char name[16];
	size_t n;
	(void)state;

	assert_int_equal(km_bind(m, "generic", "<F2>", ":goto tests", &e), WZ_OK);
	assert_int_equal(km_lookup(m, KC_LOGS, KC_DETAIL, KEY_F(2)), ACT_COMMAND);
	assert_string_equal(km_bound_command(m, KC_LOGS, KC_DETAIL, KEY_F(2)), "goto tests");
	assert_null(km_bound_command(m, KC_LOGS, KC_DETAIL, 'j'));
	n = km_help_rows(m, KC_LOGS, KC_DETAIL, &rows);
	assert_string_equal(rows[n - 1].section, "Commands");
	assert_string_equal(rows[n - 1].action, "goto tests");
	assert_string_equal(rows[n - 1].keys, "<F2>*");
	free(rows);

	assert_int_equal(km_bind(m, "nowhere", "j", "move-down", &e), WZ_EPARSE);
	assert_non_null(strstr(e.msg, "unknown context 'nowhere'"));
	assert_int_equal(km_bind(m, "list", "<Bogus>", "move-down", &e), WZ_EPARSE);
	assert_non_null(strstr(e.msg, "unknown key '<Bogus>'"));
	assert_int_equal(km_bind(m, "list", "j", "fly", &e), WZ_EPARSE);
	assert_non_null(strstr(e.msg, "unknown action 'fly'"));
	assert_int_equal(km_bind(m, "list", "j", ":", &e), WZ_EPARSE);

	assert_int_equal(km_unbind(m, "list", "j", &e), WZ_OK);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, 'j'), ACT_NONE);
	assert_int_equal(km_lookup(m, KC_TESTS, KC_LIST, KEY_DOWN), ACT_MOVE_DOWN);
	assert_int_equal(km_unbind(m, "list", "j", &e), WZ_ENOENT);
	assert_non_null(strstr(e.msg, "not bound"));

	/* the key named in "Unknown key X — ? for help" */
	assert_true(km_key_for(m, KC_TESTS, KC_LIST, ACT_HELP, name, sizeof name));
	assert_string_equal(name, "?");
	assert_int_equal(km_bind(m, "generic", "?", "zoom", &e), WZ_OK);
	assert_true(km_key_for(m, KC_TESTS, KC_LIST, ACT_HELP, name, sizeof name));
	assert_string_equal(name, "<F1>");
	assert_false(km_key_for(m, KC_TESTS, KC_LIST, ACT_LEARNING_RESET, name, sizeof name));
	assert_string_equal(name, "");
	km_free(&m);
}

static void test_contexts(void **state)
{
	int c;
	(void)state;

	for (c = 0; c < KC_COUNT; c++)
		assert_int_equal(km_context_from_name(km_context_name((enum km_context)c)), c);
	assert_int_equal(km_context_from_name("tests"), KC_TESTS);
	assert_int_equal(km_context_from_name("Tests"), KC_NONE);
	assert_string_equal(km_context_title(KC_SLO), "SLO");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_keys_round_trip),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_lookup_chain),
		cmocka_unit_test(test_rebind_marked_in_help),
		cmocka_unit_test(test_bind_unbind_commands),
		cmocka_unit_test(test_contexts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
