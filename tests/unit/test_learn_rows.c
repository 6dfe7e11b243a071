/* test_learn_rows.c - the Learnings pane's row builder and sort
 * (ui/pane_learnings.h): pending first, severity, id; Δ counts as
 * pending; shortest unique id prefix >= 7; the `ST ID KIND TITLE EV
 * TARGET` row at two widths; the real run's 28 candidates. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "investigation.h"
#include "ui/pane_learnings.h"
#include "util/xalloc.h"

static void add(struct learning_set *s, const char *id, enum fnd_severity sev, const char *title, size_t nev,
		bool issue)
{
	struct learning *l = learning_set_add(s);
	struct evidence e = {EV_ARTIFACT, (char *)"a.md:1", NULL, (char *)"pack", CONF_MEDIUM, false};
	snprintf(l->id, sizeof l->id, "%s", id);
	l->severity = sev;
	l->title = xstrdup(title);
	l->origin = LO_ACTION;
	snprintf(l->src_hash, sizeof l->src_hash, "%016x", (unsigned)nev);
	for (size_t i = 0; i < nev; i++)
		learning_add_evidence(l, &e);
	if (issue)
		l->out_issue_title = xstrdup(title);
}

static char *text_of(const struct lrn_item *it, bool marked, int cols)
{
	struct ui_row r = {0};
	char *t;
	lrn_row(it, marked, cols, 13, &r);
	t = row_text(&r);
	row_free(&r);
	return t;
}

static void sort_and_rows(void **state)
{
	struct learning_set *s = learning_set_new();
	struct journal *j = NULL;
	struct wz_err err;
	char dir[] = "/tmp/wz-lrnrows-XXXXXX", cmd[128];
	struct lrn_item *v;
	size_t n;
	const char *ids[1];
	const char *hs[1];
	char *t;
	(void)state;
	ui_set_ascii(false);
	add(s, "L-bbbbbbbb00000000", SEV_MINOR, "minor b", 1, false);
	add(s, "L-aaaaaaaa00000000", SEV_MINOR, "minor a", 2, true);
	add(s, "L-cccccccc00000000", SEV_MAJOR, "major c", 3, false);
	add(s, "L-aaaaaaaa10000000", SEV_CRITICAL, "critical", 4, true);
	assert_non_null(mkdtemp(dir));
	wz_err_clear(&err);
	assert_int_equal(jr_open(dir, true, &j, &err), WZ_OK);
	/* decide the critical one: it sorts after every pending row */
	ids[0] = "L-aaaaaaaa10000000";
	hs[0] = s->v[3].src_hash;
	assert_int_equal(jr_decide(j, JR_ACCEPT, ids, 1, hs, NULL, 0, &err), WZ_OK);
	v = lrn_items_build(s, j, &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].l->id, "L-cccccccc00000000");   /* MAJOR first */
	assert_string_equal(v[1].l->id, "L-aaaaaaaa00000000");   /* then MINOR by id */
	assert_string_equal(v[2].l->id, "L-bbbbbbbb00000000");
	assert_string_equal(v[3].l->id, "L-aaaaaaaa10000000");   /* decided last */
	assert_int_equal(v[3].state, JR_ACCEPTED);
	assert_false(v[3].delta);
	/* ids sharing 8 hex digits need 9 to be unique; others keep 7 */
	assert_int_equal(v[1].prefix, 9);
	assert_int_equal(v[3].prefix, 9);
	assert_int_equal(v[0].prefix, 7);
	assert_int_equal(lrn_id_width(v, n), 13);   /* "L-" + 9 digits + 2 blanks */
	t = text_of(&v[0], false, 100);
	assert_string_equal(t, "?   L-ccccccc    ACTION       major c                                                 3  file");
	free(t);
	t = text_of(&v[3], true, 100);
	assert_string_equal(t, "\xe2\x9c\x93 + L-aaaaaaaa1  ACTION       critical                                                4  issue");
	free(t);
	/* narrow: TARGET (< 70) and EV (< 60) are dropped, the title keeps the rest */
	t = text_of(&v[1], false, 55);
	assert_string_equal(t, "?   L-aaaaaaaa0  ACTION       minor a                 ");
	free(t);
	free(v);
	/* the source text changes after the decision: Δ, pending again, sorted first */
	snprintf(s->v[3].src_hash, sizeof s->v[3].src_hash, "ffffffffffffffff");
	v = lrn_items_build(s, j, &n);
	assert_string_equal(v[0].l->id, "L-aaaaaaaa10000000");
	assert_true(v[0].delta);
	assert_true(lrn_pending(&v[0]));
	t = text_of(&v[0], false, 100);
	assert_true(strncmp(t, "\xe2\x9c\x93\xce\x94", 5) == 0);
	free(t);
	free(v);
	/* no journal: all proposed */
	v = lrn_items_build(s, NULL, &n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].state, JR_PROPOSED);
	free(v);
	jr_close(&j);
	learning_set_free(&s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void header_columns(void **state)
{
	struct ui_row h = {0};
	char *t;
	(void)state;
	lrn_header(100, 11, &h);
	t = row_text(&h);
	assert_string_equal(t, "ST  ID         KIND         TITLE                                                    EV  TARGET");
	free(t);
	row_free(&h);
	lrn_header(45, 11, &h);
	t = row_text(&h);
	/* below 50 columns KIND goes too */
	assert_null(strstr(t, "KIND"));
	free(t);
	row_free(&h);
}

/* The real run (read-only: no journal opened, nothing written). */
static void real_run(void **state)
{
	const char *sh = getenv("SHARED");
	char *repo;
	struct investigation *inv = NULL;
	struct wz_err err;
	struct lrn_item *v;
	size_t n, issues = 0;
	(void)state;
	repo = xasprintf("%s/data/runs/dss-local-alignment-audit", sh ? sh : "../shared");
	if (access(repo, R_OK) != 0) {
		free(repo);
		skip();
	}
	wz_err_clear(&err);
	assert_int_equal(inv_open("local-alignment-audit-aba1c6", repo, INV_LEARNINGS, &inv, &err), WZ_OK);
	v = lrn_items_build(inv->set, NULL, &n);
	/* `wisdom review --list` on the same run: 28 candidates, the MAJOR
	 * receipt finding (8 evidence items) first, then the MAJOR security draft */
	assert_int_equal(n, 28);
	assert_string_equal(v[0].l->id, "L-144abf0a8fc944d2");
	assert_int_equal(v[0].l->nev, 8);
	assert_string_equal(v[1].l->id, "L-75bae4b33ea384c9");
	assert_string_equal(v[2].l->id, "L-00c5ddf4aedf2985");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].prefix, 7);
		issues += strcmp(lrn_target(v[i].l), "issue") == 0;
	}
	/* 4 ISSUE drafts + 8 ACTIONs + the receipt finding propose an issue */
	assert_int_equal(issues, 13);
	free(v);
	inv_free(&inv);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sort_and_rows),
		cmocka_unit_test(header_columns),
		cmocka_unit_test(real_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
