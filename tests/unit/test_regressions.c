/* test_regressions.c - classification, durations and blame attribution
 * (spec/analysis.md §6.1-§6.3): the worked examples W-20, W-21, W-22 as
 * written, and synthetic histories for every class and edge. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/regressions.h"
#include "util/xalloc.h"

static void near(double got, double want)
{
	double tol = fabs(want) * 1e-3;
	if (tol < 1e-9)
		tol = 1e-9;
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.10g, want %.10g", got, want);
}

static struct tr_case *add(struct tr_report *r, const char *cls, const char *name, enum tr_status st, double dur)
{
	struct tr_case *c = tr_add_case(r, TR_K_TEST);
	c->classname = xstrdup(cls);
	c->name = xstrdup(name);
	c->status = st;
	c->duration = dur;
	tr_case_set_id(c);
	return c;
}

/* history from a string like "PPFP" (oldest first), time = index, sha = "s<i>" */
static void hist(struct reg_history *h, const char *id, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		char sha[32];
		snprintf(sha, sizeof sha, "s%zu", i);
		struct reg_obs o = { "old", sha, (double)i, s[i] == 'F' ? TR_FAIL : s[i] == 'S' ? TR_SKIP : TR_PASS,
				     1.0, false, false };
		reg_history_add(h, id, &o);
	}
}

static const struct reg_finding *find(const struct reg_result *r, const char *id, enum reg_class cls)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].test_id, id) == 0 && r->v[i].cls == cls)
			return &r->v[i];
	return NULL;
}

static size_t count_for(const struct reg_result *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += strcmp(r->v[i].test_id, id) == 0;
	return n;
}

/* W-20 */
static void w20_flaky_and_persistent(void **state)
{
	(void)state;
	struct tr_report *rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	add(rep, "t", "flaky", TR_FAIL, -1);
	add(rep, "t", "persist", TR_FAIL, -1);
	for (int i = 0; i < 8; i++) {
		char n[16];
		snprintf(n, sizeof n, "ok%d", i);
		add(rep, "t", n, TR_PASS, -1);
	}
	struct reg_history h = { 0 };
	hist(&h, "t::flaky", "PPFPPPFPP");     /* + this run's F */
	hist(&h, "t::persist", "PPPPPPPFF");
	reg_history_sort(&h);
	const struct tr_report *reps[] = { rep };
	struct reg_input in = { .reports = reps, .nreports = 1, .history = &h };
	struct reg_result *r = NULL;
	reg_analyze(&in, &r);
	assert_false(r->infra);
	assert_int_equal(r->executed, 10);
	assert_int_equal(r->failed, 2);
	const struct reg_finding *f = find(r, "t::flaky", REG_FLAKY);
	assert_non_null(f);
	assert_true(f->suspected);
	assert_int_equal(f->nobs, 10);
	assert_int_equal(f->flips, 5);
	near(f->flip_rate, 0.5556);
	near(f->fail_rate, 0.3);
	near(f->p_fail_gt_1pct, 1.000);
	assert_int_equal(f->retries, 4);       /* p̂ = 0.3 → k = 4 */
	assert_int_equal(f->severity, REG_MINOR);
	assert_int_equal(count_for(r, "t::flaky"), 1);
	f = find(r, "t::persist", REG_PERSISTENT);
	assert_non_null(f);
	assert_int_equal(f->flips, 1);
	assert_int_equal(count_for(r, "t::persist"), 1);
	assert_int_equal(r->n, 2);
	reg_result_free(&r);
	assert_null(r);
	reg_history_free(&h);
	tr_report_free(&rep);
}

/* W-21 */
static void w21_duration(void **state)
{
	(void)state;
	const double d[] = { 1.20, 1.25, 1.18, 1.31, 1.22, 1.27, 1.24 };
	struct reg_history h = { 0 };
	for (size_t i = 0; i < 7; i++) {
		struct reg_obs o = { NULL, NULL, (double)i, TR_PASS, d[i], false, false };
		reg_history_add(&h, "s::slow", &o);
	}
	struct tr_report *rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	add(rep, "s", "slow", TR_PASS, 2.90);
	const struct tr_report *reps[] = { rep };
	struct reg_input in = { .reports = reps, .nreports = 1, .history = &h };
	struct reg_result *r = NULL;
	reg_analyze(&in, &r);
	assert_int_equal(r->n, 1);
	const struct reg_finding *f = find(r, "s::slow", REG_DURATION);
	assert_non_null(f);
	near(f->dur_ref, 1.24);
	near(f->dur_modz, 37.32);
	near(f->dur_ratio, 2.339);
	near(f->dur_delta, 1.66);
	assert_int_equal(f->severity, REG_MINOR);
	reg_result_free(&r);
	tr_report_free(&rep);

	/* 1-4 earlier: d >= 2·max and d - max >= 0.5 s; MAJOR at >= 5x and >= 10 s */
	struct reg_history h2 = { 0 };
	struct reg_obs o = { NULL, NULL, 0, TR_PASS, 2.0, false, false };
	reg_history_add(&h2, "s::a", &o);
	reg_history_add(&h2, "s::b", &o);
	reg_history_add(&h2, "s::c", &o);
	rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	add(rep, "s", "a", TR_PASS, 4.4);     /* 2.2x, +2.4 → flagged */
	add(rep, "s", "b", TR_PASS, 3.9);     /* 1.95x → not */
	add(rep, "s", "c", TR_PASS, 10.0);    /* 5x, 10 s → MAJOR */
	reps[0] = rep;
	in.history = &h2;
	reg_analyze(&in, &r);
	assert_non_null(find(r, "s::a", REG_DURATION));
	assert_int_equal(find(r, "s::a", REG_DURATION)->severity, REG_MINOR);
	assert_int_equal(find(r, "s::a", REG_DURATION)->confidence, REG_LOW);
	assert_null(find(r, "s::b", REG_DURATION));
	assert_int_equal(find(r, "s::c", REG_DURATION)->severity, REG_MAJOR);
	reg_result_free(&r);
	reg_history_free(&h2);
	reg_history_free(&h);
	tr_report_free(&rep);
}

/* W-22 change set: c1 retry.c 80-95; c2 the test file and gateway.c; c3 docs. */
static struct chg_set *w22_changes(void)
{
	struct chg_set *cs = xcalloc(1, sizeof *cs);
	strcpy(cs->base, "b000000000000000000000000000000000000000");
	strcpy(cs->head, "c300000000000000000000000000000000000000");
	cs->ncommits = 3;
	cs->commits = xcalloc(3, sizeof *cs->commits);
	static const char *const shas[] = { "c100000000000000000000000000000000000000",
					    "c200000000000000000000000000000000000000",
					    "c300000000000000000000000000000000000000" };
	static const char *const msgs[] = { "Adjust constants", "Update tests and gateway", "Docs" };
	static const char *const files[3][2] = { { "src/payments/retry.c", NULL },
						 { "tests/test_retry.py", "src/payments/gateway.c" },
						 { "docs/guide.md", NULL } };
	static const struct chg_hunk hk[3][2] = { { { 80, 16 } }, { { 40, 3 }, { 10, 2 } }, { { 1, 5 } } };
	for (int i = 0; i < 3; i++) {
		struct chg_commit *c = &cs->commits[i];
		strcpy(c->sha, shas[i]);
		c->author = xasprintf("dev%d", i + 1);
		c->email = xstrdup("d@x");
		c->summary = xstrdup(msgs[i]);
		c->message = xstrdup(msgs[i]);
		c->time = 1700000000 + i;
		c->files = xcalloc(2, sizeof *c->files);
		for (int k = 0; k < 2 && files[i][k]; k++) {
			c->files[k].path = xstrdup(files[i][k]);
			c->files[k].status = CHG_MODIFIED;
			c->files[k].hunks = xmalloc(sizeof *c->files[k].hunks);
			c->files[k].hunks[0] = hk[i][k];
			c->files[k].nhunks = 1;
			c->nfiles++;
		}
	}
	/* base → head: same files and hunks */
	cs->nfiles = 4;
	cs->files = xcalloc(4, sizeof *cs->files);
	const char *all[] = { "src/payments/retry.c", "tests/test_retry.py", "src/payments/gateway.c", "docs/guide.md" };
	const struct chg_hunk allh[] = { { 80, 16 }, { 40, 3 }, { 10, 2 }, { 1, 5 } };
	for (int i = 0; i < 4; i++) {
		cs->files[i].path = xstrdup(all[i]);
		cs->files[i].hunks = xmalloc(sizeof allh[i]);
		cs->files[i].hunks[0] = allh[i];
		cs->files[i].nhunks = 1;
	}
	return cs;
}

/* Blame of the asked spans: retry.c lines by c1, the test file by c2. */
static struct blame_set *w22_blame(const struct reg_spans *sp)
{
	struct blame_set *b = xcalloc(1, sizeof *b);
	b->n = sp->n;
	b->v = xcalloc(sp->n, sizeof *b->v);
	for (size_t i = 0; i < sp->n; i++) {
		struct blame_span *s = &b->v[i];
		s->path = xstrdup(sp->v[i].path);
		s->start = sp->v[i].start;
		s->end = sp->v[i].end;
		s->lines = xcalloc((size_t)(s->end - s->start + 1), sizeof *s->lines);
		const char *sha = strstr(s->path, "retry.c") ? "c100000000000000000000000000000000000000"
							   : "c200000000000000000000000000000000000000";
		for (long l = s->start; l <= s->end; l++) {
			struct blame_line *bl = &s->lines[s->nlines++];
			bl->line = l;
			strcpy(bl->sha, sha);
			bl->in_range = true;
		}
	}
	return b;
}

static void w22_attribution(void **state)
{
	(void)state;
	struct tr_report *rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	struct tr_case *c = add(rep, "tests/test_retry.py", "test_retry_backoff", TR_FAIL, -1);
	tr_case_set_message(c, "AssertionError: backoff too short",
			    "Traceback (most recent call last):\n"
			    "  File \"tests/test_retry.py\", line 41, in test_retry_backoff\n"
			    "    assert retry_delay(3) >= 0.8\n"
			    "src/payments/retry.c:88: retry_delay returned 0.4\n");
	assert_string_equal(c->id, "tests/test_retry.py::test_retry_backoff");
	for (int i = 0; i < 9; i++) {
		char n[16];
		snprintf(n, sizeof n, "ok%d", i);
		add(rep, "t", n, TR_PASS, -1);
	}
	struct reg_history h = { 0 };
	hist(&h, "tests/test_retry.py::test_retry_backoff", "PPPP");
	struct chg_set *cs = w22_changes();
	const struct tr_report *reps[] = { rep };
	struct reg_input in = { .reports = reps, .nreports = 1, .history = &h, .changes = cs };

	struct reg_spans sp = { 0 };
	reg_suspect_spans(&in, &sp);
	/* retry.c name-matches: its whole hunk; the test file's hunk; not gateway.c, not docs */
	assert_int_equal(sp.n, 2);
	assert_string_equal(sp.v[0].path, "src/payments/retry.c");
	assert_int_equal(sp.v[0].start, 80);
	assert_int_equal(sp.v[0].end, 95);
	assert_string_equal(sp.v[1].path, "tests/test_retry.py");
	assert_int_equal(sp.v[1].start, 40);
	assert_int_equal(sp.v[1].end, 42);
	struct blame_set *b = w22_blame(&sp);
	in.blame = b;

	struct reg_result *r = NULL;
	reg_analyze(&in, &r);
	const struct reg_finding *f = find(r, "tests/test_retry.py::test_retry_backoff", REG_REGRESSION);
	assert_non_null(f);
	assert_int_equal(f->severity, REG_MAJOR);
	assert_int_equal(f->confidence, REG_HIGH);
	assert_int_equal(f->nsuspects, 3);
	assert_string_equal(f->suspects[0].sha, "c100000000000000000000000000000000000000");
	assert_int_equal(f->suspects[0].score, 4);
	near(f->suspects[0].share, 0.6667);
	assert_int_equal(f->suspects[0].npoints, 2);
	assert_int_equal(f->suspects[0].points[0].points, 3);
	assert_string_equal(f->suspects[0].points[0].rule, "frame-line");
	assert_non_null(strstr(f->suspects[0].points[0].detail, "src/payments/retry.c:88"));
	assert_string_equal(f->suspects[0].points[1].rule, "related-file");
	assert_int_equal(f->suspects[0].lines.n, 1);
	assert_string_equal(f->suspects[0].lines.v[0], "src/payments/retry.c:80-95");
	assert_string_equal(f->suspects[1].sha, "c200000000000000000000000000000000000000");
	assert_int_equal(f->suspects[1].score, 2);
	near(f->suspects[1].share, 0.3333);
	assert_string_equal(f->suspects[1].points[0].rule, "test-file");
	assert_string_equal(f->suspects[2].sha, "c300000000000000000000000000000000000000");
	assert_int_equal(f->suspects[2].score, 0);
	assert_true(f->suspects[2].share == 0.0);
	assert_int_equal(f->attribution, REG_HIGH);
	reg_result_free(&r);

	/* critical test → CRITICAL */
	const char *crit[] = { "test_retry" };
	in.critical = crit;
	in.ncritical = 1;
	reg_analyze(&in, &r);
	assert_int_equal(find(r, "tests/test_retry.py::test_retry_backoff", REG_REGRESSION)->severity, REG_CRITICAL);
	reg_result_free(&r);
	in.critical = NULL;
	in.ncritical = 0;

	/* blame unavailable: hunk overlap still finds c1, the finding says why */
	in.blame = NULL;
	in.blame_unavailable = "commit c3000000 is missing (shallow clone)";
	reg_analyze(&in, &r);
	f = find(r, "tests/test_retry.py::test_retry_backoff", REG_REGRESSION);
	assert_string_equal(f->suspects[0].sha, "c100000000000000000000000000000000000000");
	assert_int_equal(f->suspects[0].score, 4);
	assert_non_null(strstr(f->suspects[0].points[0].detail, "blame unavailable"));
	bool said = false;
	for (size_t i = 0; i < f->reasons.n; i++)
		said |= strstr(f->reasons.v[i], "blame unavailable: commit c3000000") != NULL;
	assert_true(said);
	reg_result_free(&r);

	/* message naming the module scores +1 */
	free(cs->commits[2].message);
	cs->commits[2].message = xstrdup("Document the retry policy");
	in.blame = b;
	reg_analyze(&in, &r);
	f = find(r, "tests/test_retry.py::test_retry_backoff", REG_REGRESSION);
	assert_int_equal(f->suspects[2].score, 1);
	assert_string_equal(f->suspects[2].points[0].rule, "message");
	near(f->suspects[0].share, 4.0 / 7.0);
	assert_int_equal(f->attribution, REG_MEDIUM);   /* 0.571 < 0.6 */
	reg_result_free(&r);

	blame_set_free(&b);
	reg_spans_free(&sp);
	chg_set_free(&cs);
	reg_history_free(&h);
	tr_report_free(&rep);
}

static void classes(void **state)
{
	(void)state;
	struct tr_report *rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	add(rep, "k", "reg3", TR_FAIL, -1);      /* PPSP → REGRESSION HIGH */
	add(rep, "k", "reg1", TR_ERROR, -1);     /* P → REGRESSION LOW */
	add(rep, "k", "new", TR_FAIL, -1);       /* none → CURRENT_FAILURE */
	add(rep, "k", "skipped", TR_FAIL, -1);   /* only skips earlier → CURRENT_FAILURE */
	add(rep, "k", "same", TR_FAIL, -1);      /* passed on this sha → FLAKY certain */
	add(rep, "k", "onbase", TR_FAIL, -1);    /* failed on the base → PERSISTENT */
	struct tr_case *c = add(rep, "k", "rerun", TR_FAIL, -1);
	c->flaky = true;                          /* rerun marker → FLAKY certain */
	add(rep, "k", "passflaky", TR_PASS, -1);  /* passing, flips ≥ 2 → FLAKY suspected */
	add(rep, "k", "changed", TR_PASS, -1);    /* flips but related files changed → nothing */
	add(rep, "k", "fine", TR_PASS, -1);
	struct reg_history h = { 0 };
	hist(&h, "k::reg3", "PPSP");   /* skips are not observations */
	hist(&h, "k::reg1", "P");
	hist(&h, "k::skipped", "SS");
	struct reg_obs o = { "r0", "HEADSHA", 5, TR_PASS, -1, false, false };
	reg_history_add(&h, "k::same", &o);
	o.sha = "BASESHA";
	o.status = TR_FAIL;
	reg_history_add(&h, "k::onbase", &o);
	hist(&h, "k::passflaky", "PFPF");
	hist(&h, "k::changed", "PFPF");
	h.v[h.n - 1].v[2].related_changed = true;
	struct chg_set cs = { .base = "BASESHA", .head = "HEADSHA" };
	const struct tr_report *reps[] = { rep };
	struct reg_input in = { .reports = reps, .nreports = 1, .history = &h, .sha = "HEADSHA", .changes = &cs };
	struct reg_result *r = NULL;
	reg_analyze(&in, &r);
	assert_false(r->infra);
	const struct reg_finding *f = find(r, "k::reg3", REG_REGRESSION);
	assert_non_null(f);
	assert_int_equal(f->confidence, REG_HIGH);
	assert_int_equal(f->attribution, REG_NONE);   /* nothing in the range scores */
	f = find(r, "k::reg1", REG_REGRESSION);
	assert_non_null(f);
	assert_int_equal(f->confidence, REG_LOW);
	assert_non_null(find(r, "k::new", REG_CURRENT_FAILURE));
	assert_non_null(find(r, "k::skipped", REG_CURRENT_FAILURE));
	f = find(r, "k::same", REG_FLAKY);
	assert_non_null(f);
	assert_false(f->suspected);
	assert_int_equal(f->confidence, REG_HIGH);
	assert_non_null(find(r, "k::onbase", REG_PERSISTENT));
	assert_non_null(find(r, "k::rerun", REG_FLAKY));
	f = find(r, "k::passflaky", REG_FLAKY);
	assert_non_null(f);
	assert_true(f->suspected);
	assert_int_equal(f->flips, 4);
	assert_int_equal(count_for(r, "k::changed"), 0);
	assert_int_equal(count_for(r, "k::fine"), 0);
	reg_result_free(&r);
	reg_history_free(&h);
	tr_report_free(&rep);
}

static void infra(void **state)
{
	(void)state;
	struct tr_report *rep = tr_report_new("now.xml", TR_FMT_JUNIT);
	for (int i = 0; i < 9; i++) {
		char n[16];
		snprintf(n, sizeof n, "f%d", i);
		add(rep, "i", n, TR_ERROR, -1);
	}
	add(rep, "i", "ok", TR_PASS, -1);
	add(rep, "i", "skip", TR_SKIP, -1);      /* not executed */
	struct reg_history h = { 0 };
	hist(&h, "i::f0", "PPP");
	const struct tr_report *reps[] = { rep };
	struct reg_input in = { .reports = reps, .nreports = 1, .history = &h };
	struct reg_result *r = NULL;
	reg_analyze(&in, &r);
	assert_true(r->infra);
	assert_int_equal(r->executed, 10);
	assert_int_equal(r->failed, 9);
	assert_int_equal(r->n, 10);              /* one run finding + 9 tests */
	assert_string_equal(r->v[0].test_id, "(run)");
	assert_int_equal(r->v[0].severity, REG_MAJOR);
	assert_null(find(r, "i::f0", REG_REGRESSION));
	assert_non_null(find(r, "i::f0", REG_INFRA));
	reg_result_free(&r);
	/* exactly 80 % is not INFRA; a setup error is */
	rep->cases[8].status = TR_PASS;        /* 8 of 10 */
	reg_analyze(&in, &r);
	assert_false(r->infra);
	assert_non_null(find(r, "i::f0", REG_REGRESSION));
	reg_result_free(&r);
	in.setup_error = true;
	reg_analyze(&in, &r);
	assert_true(r->infra);
	reg_result_free(&r);
	reg_history_free(&h);
	tr_report_free(&rep);
}

static void frames(void **state)
{
	(void)state;
	struct reg_frame *f = NULL;
	size_t n = reg_frames_parse("at foo (src/a.c:12)\n  File \"t/x.py\", line 7, in t\n"
				    "src/a.c:12 again; http://host:8080/ x:y 10:30 lib/b.rs:99:5", &f);
	assert_int_equal(n, 3);
	assert_string_equal(f[0].file, "src/a.c");
	assert_int_equal(f[0].line, 12);
	assert_string_equal(f[1].file, "t/x.py");
	assert_int_equal(f[1].line, 7);
	assert_string_equal(f[2].file, "lib/b.rs");
	assert_int_equal(f[2].line, 99);
	reg_frames_free(f, n);
	assert_int_equal(reg_frames_parse(NULL, &f), 0);
	assert_null(f);
	assert_int_equal(reg_frames_parse("", &f), 0);
	/* many frames are bounded */
	char *big = xmalloc(200 * 16 + 1);
	big[0] = '\0';
	for (int i = 1; i <= 200; i++)
		sprintf(big + strlen(big), "f.c:%d\n", i);
	n = reg_frames_parse(big, &f);
	assert_int_equal(n, 64);
	reg_frames_free(f, n);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(w20_flaky_and_persistent),
		cmocka_unit_test(w21_duration),
		cmocka_unit_test(w22_attribution),
		cmocka_unit_test(classes),
		cmocka_unit_test(infra),
		cmocka_unit_test(frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
