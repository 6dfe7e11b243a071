/* test_coverage.c - coverage evidence and the §6.4 analysis: W-23 as
 * written, the file rules on lcov/Cobertura pairs read from disk, the trend
 * rule, the real shared run (no data), the demo's two runs end to end, and
 * bad input. Every expected number was computed by hand from the files. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/coverage.h"
#include "demo/demo.h"
#include "model/coverage.h"
#include "sources/cov_evidence.h"
#include "sources/git.h"
#include "sources/report_detect.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define REL_TOL 1e-3

static char scratch[256];

static void assert_close(double got, double want)
{
	if (!(fabs(got - want) <= REL_TOL * fabs(want) + 1e-12)) {
		print_error("got %.10g, want %.10g\n", got, want);
		fail();
	}
}

static int setup(void **state)
{
	(void)state;
	snprintf(scratch, sizeof scratch, "%s/wz-cov-test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(scratch) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc;
	(void)state;
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", scratch, name);
	struct wz_err err;
	assert_int_equal(fio_write_atomic(p, text, strlen(text), &err), WZ_OK);
	return p;
}

/* Reads a report file into a new report of e. */
static const struct cov_report *load(struct cov_evidence *e, const char *name, const char *text)
{
	char *p = write_file(name, text);
	struct tr_report *tr = NULL;
	struct wz_err err;
	const struct cov_report *r;
	assert_int_equal(report_read(p, TR_FMT_UNKNOWN, &tr, &err), WZ_OK);
	assert_true(tr_format_is_coverage(tr->format));
	r = cov_add_tr_report(e, name, tr);
	tr_report_free(&tr);
	free(p);
	return r;
}

static const struct finding *find(const struct cov_result *r, const char *kind, const char *subj)
{
	const struct finding *f = cov_result_find(r, kind, subj);
	if (!f) {
		print_error("no %s finding for %s\n", kind, subj);
		fail();
	}
	return f;
}

static size_t count_kind(const struct cov_result *r, const char *kind)
{
	size_t i, n = 0;
	for (i = 0; i < r->n; i++)
		n += strcmp(r->v[i]->kind, kind) == 0;
	return n;
}

static bool has_reason(const struct finding *f, const char *prefix)
{
	size_t i;
	for (i = 0; i < f->reasons.n; i++)
		if (strncmp(f->reasons.v[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* ---- W-23 ------------------------------------------------------------------ */

/* base 8,400/10,000; head 8,460/10,250 with 250 changed coverable lines of
 * which 60 are covered (lines 1-250 of the head file are the change). */
static void test_w23(void **state)
{
	struct cov_evidence *base = cov_evidence_new("base", "", 1.0), *head = cov_evidence_new("head", "", 2.0);
	struct cov_report *br = cov_add_report(base, "base.info", TR_FMT_LCOV);
	struct cov_report *hr = cov_add_report(head, "head.info", TR_FMT_LCOV);
	struct cov_file *bf = cov_report_file(br, "src/big.c"), *hf = cov_report_file(hr, "src/big.c");
	struct cov_changes ch = {0};
	struct cov_change *c;
	const struct cov_evidence *earlier[1] = {base};
	struct cov_input in = {.head = head, .earlier = earlier, .nearlier = 1, .changes = &ch};
	struct cov_result res;
	const struct finding *t, *p;
	long i;
	(void)state;
	for (i = 1; i <= 10000; i++)
		cov_file_add_line(bf, i, i <= 8400 ? 3 : 0);
	for (i = 1; i <= 10250; i++)
		cov_file_add_line(hf, i, i <= 60 ? 1 : i <= 250 ? 0 : i <= 250 + 8400 ? 2 : 0);
	cov_report_finish(br);
	cov_report_finish(hr);
	assert_int_equal(hr->hit, 8460);
	assert_int_equal(hr->found, 10250);
	c = cov_changes_add(&ch, "src/big.c", NULL, CHG_MODIFIED, 250, 0);
	cov_change_add_hunk(c, 1, 250, true, 0, 0);

	cov_analyze(&in, &res);
	t = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_close(cov_finding_number(t, "base_ratio"), 0.8400);
	assert_close(cov_finding_number(t, "head_ratio"), 0.8254);
	assert_close(cov_finding_number(t, "delta_pp"), -1.463);
	assert_close(t->effect.value, -1.463);
	assert_string_equal(t->effect.unit, "pp");
	assert_string_equal(t->status, "WARN");
	assert_int_equal(t->severity, SEV_MINOR);
	assert_true(has_reason(t, "warn-delta"));
	p = find(&res, COV_KIND_DROP, COV_SUBJ_PATCH);
	assert_close(cov_finding_number(p, "patch_ratio"), 0.240);
	assert_close(cov_finding_number(p, "patch_covered"), 60);
	assert_close(cov_finding_number(p, "patch_coverable"), 250);
	assert_string_equal(p->status, "FAIL");
	assert_int_equal(p->severity, SEV_MAJOR);
	assert_true(has_reason(p, "fail-patch"));
	/* -1.46 pp on the file is below the 5 pp file rule: no test gap */
	assert_int_equal(count_kind(&res, COV_KIND_GAP), 0);
	assert_string_equal(find(&res, COV_KIND_DROP, COV_SUBJ_TREND)->status, "NO_DATA");
	cov_result_clear(&res);
	cov_changes_clear(&ch);
	cov_evidence_free(&base);
	cov_evidence_free(&head);
	assert_null(base);
}

/* Total: FAIL at -5 pp and below the plan threshold; PASS above -1 pp. */
static void test_total_rules(void **state)
{
	static const struct {
		long bh, bn, hh, hn;
		const char *thr, *status, *rule;
	} cases[] = {
		{900, 1000, 850, 1000, NULL, "FAIL", "fail-delta"},     /* -5.0 pp exactly */
		{900, 1000, 851, 1000, NULL, "WARN", "warn-delta"},     /* -4.9 */
		{900, 1000, 891, 1000, NULL, "PASS", "pass"},           /* -0.9 */
		{900, 1000, 890, 1000, NULL, "WARN", "warn-delta"},     /* -1.0 exactly */
		{900, 1000, 899, 1000, "95", "FAIL", "fail-threshold"}, /* -0.1 but below 95 % */
	};
	size_t k;
	(void)state;
	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct cov_evidence *b = cov_evidence_new("b", "", 1), *h = cov_evidence_new("h", "", 2);
		struct cov_report *br = cov_add_report(b, "b", TR_FMT_LCOV), *hr = cov_add_report(h, "h", TR_FMT_LCOV);
		struct cov_file *bf = cov_report_file(br, "x.c"), *hf = cov_report_file(hr, "x.c");
		const struct cov_evidence *earlier[1] = {b};
		struct cov_input in = {.head = h, .earlier = earlier, .nearlier = 1};
		struct cov_result res;
		const struct finding *t;
		long i;
		for (i = 1; i <= cases[k].bn; i++)
			cov_file_add_line(bf, i, i <= cases[k].bh);
		for (i = 1; i <= cases[k].hn; i++)
			cov_file_add_line(hf, i, i <= cases[k].hh);
		cov_report_finish(br);
		cov_report_finish(hr);
		if (cases[k].thr)
			cov_threshold_set(&h->line_required, cases[k].thr, "plan/test_plan.md:3");
		cov_analyze(&in, &res);
		t = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
		assert_string_equal(t->status, cases[k].status);
		assert_true(has_reason(t, cases[k].rule));
		/* without changes, patch coverage has no data */
		assert_string_equal(find(&res, COV_KIND_DROP, COV_SUBJ_PATCH)->status, "NO_DATA");
		cov_result_clear(&res);
		cov_evidence_free(&b);
		cov_evidence_free(&h);
	}
}

/* ---- file rules on lcov / Cobertura pairs ---------------------------------- */

/* Base (lcov): a.c lines 1-20 all covered; d.c 19 lines all covered;
 * c.c 5 lines. Head (Cobertura): a.c 21 lines, line 10 new and uncovered,
 * lines 15 and 21 uncovered (base 14 and 20, both covered) -> 18/21;
 * d.c 19 lines, 10 uncovered (drop of 52.6 pp but under 20 lines);
 * b.c new, 10 lines 4 covered (40 %); e.c new, 10 lines 5 covered (50 %). */
static char *lcov_base(void)
{
	struct buf b = {0};
	int i;
	buf_puts(&b, "TN:\nSF:src/a.c\n");
	for (i = 1; i <= 20; i++)
		buf_printf(&b, "DA:%d,%d\n", i, i);
	buf_puts(&b, "end_of_record\nSF:src/d.c\n");
	for (i = 1; i <= 19; i++)
		buf_printf(&b, "DA:%d,1\n", i);
	buf_puts(&b, "end_of_record\nSF:src/c.c\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,1\nDA:5,1\nend_of_record\n");
	return buf_detach(&b);
}

static void cob_class(struct buf *b, const char *file, int n, int (*hits)(int))
{
	int i;
	buf_printf(b, "<class name=\"x\" filename=\"%s\" line-rate=\"0\"><lines>\n", file);
	for (i = 1; i <= n; i++)
		buf_printf(b, "<line number=\"%d\" hits=\"%d\"/>\n", i, hits(i));
	buf_puts(b, "</lines></class>\n");
}

static int hits_a(int i) { return i == 10 || i == 15 || i == 21 ? 0 : 2; }
static int hits_d(int i) { return i <= 10 ? 0 : 1; }
static int hits_b(int i) { return i <= 4; }
static int hits_e(int i) { return i <= 5; }

static char *cobertura_head(void)
{
	struct buf b = {0};
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<coverage line-rate=\"0.5\" lines-covered=\"1\" lines-valid=\"2\">"
		     "<packages><package name=\"src\"><classes>\n");
	cob_class(&b, "src/a.c", 21, hits_a);
	cob_class(&b, "src/d.c", 19, hits_d);
	cob_class(&b, "src/b.c", 10, hits_b);
	cob_class(&b, "src/e.c", 10, hits_e);
	buf_puts(&b, "</classes></package></packages></coverage>\n");
	return buf_detach(&b);
}

static void file_rules(bool old_sides)
{
	struct cov_evidence *base = cov_evidence_new("base", "../base/", 1), *head = cov_evidence_new("head", "", 2);
	char *lb = lcov_base(), *ch_xml = cobertura_head();
	struct cov_changes ch = {0};
	struct cov_change *c;
	const struct cov_evidence *earlier[1] = {base};
	struct cov_input in = {.head = head, .earlier = earlier, .nearlier = 1, .changes = &ch};
	struct cov_result res;
	const struct finding *f;

	assert_int_equal(load(base, "base.info", lb)->found, 44);
	assert_int_equal(load(head, "head.xml", ch_xml)->found, 60);
	c = cov_changes_add(&ch, "src/a.c", NULL, CHG_MODIFIED, 1, 0);
	cov_change_add_hunk(c, 10, 1, old_sides, 9, 0);
	c = cov_changes_add(&ch, "src/d.c", NULL, CHG_MODIFIED, 1, 1);
	cov_change_add_hunk(c, 3, 1, old_sides, 3, 1);
	c = cov_changes_add(&ch, "src/b.c", NULL, CHG_ADDED, 10, 0);
	cov_change_add_hunk(c, 1, 10, old_sides, 0, 0);
	c = cov_changes_add(&ch, "src/e.c", NULL, CHG_ADDED, 10, 0);
	cov_change_add_hunk(c, 1, 10, old_sides, 0, 0);
	c = cov_changes_add(&ch, "src/c2.c", NULL, CHG_ADDED, 3, 0);   /* .c but not in the report */
	cov_change_add_hunk(c, 4, 3, old_sides, 0, 0);
	cov_changes_add(&ch, "tests/test_a.c", NULL, CHG_MODIFIED, 2, 0);   /* test code: quiet */
	cov_changes_add(&ch, "README.md", NULL, CHG_MODIFIED, 1, 0);        /* other extension: quiet */
	cov_changes_add(&ch, "src/c.c", NULL, CHG_DELETED, 0, 5);           /* deleted: quiet */

	cov_analyze(&in, &res);
	assert_int_equal(count_kind(&res, COV_KIND_GAP), 3);
	/* a.c: 100 % -> 18/21 = 85.71 %, -14.29 pp, 21 lines */
	f = find(&res, COV_KIND_GAP, "src/a.c");
	assert_string_equal(f->status, "WARN");
	assert_close(cov_finding_number(f, "base_ratio"), 1.0);
	assert_close(cov_finding_number(f, "head_ratio"), 18.0 / 21.0);
	assert_close(cov_finding_number(f, "delta_pp"), -14.2857);
	assert_true(has_reason(f, "file-drop"));
	assert_string_equal(f->body, "UNC (uncovered changed lines): 10\nLBC (lost baseline coverage): 15, 21");
	assert_close(cov_finding_number(f, "unc"), 1);
	assert_close(cov_finding_number(f, "lbc"), 2);
	/* b.c: new at 40 % */
	f = find(&res, COV_KIND_GAP, "src/b.c");
	assert_true(has_reason(f, "new-file"));
	assert_close(cov_finding_number(f, "head_ratio"), 0.4);
	assert_string_equal(f->body, "UNC (uncovered changed lines): 5-10\nLBC (lost baseline coverage): none");
	/* c2.c: touched, no data */
	f = find(&res, COV_KIND_GAP, "src/c2.c");
	assert_true(has_reason(f, "no-data"));
	assert_int_equal(f->confidence, CONF_LOW);
	assert_string_equal(f->body, "changed lines without coverage data: 4-6");
	/* quiet ones */
	assert_null(cov_result_find(&res, COV_KIND_GAP, "src/d.c"));   /* 19 lines < 20 */
	assert_null(cov_result_find(&res, COV_KIND_GAP, "src/e.c"));   /* exactly 50 % */
	assert_null(cov_result_find(&res, COV_KIND_GAP, "tests/test_a.c"));
	assert_null(cov_result_find(&res, COV_KIND_GAP, "README.md"));
	/* gaps come in path order after the three run-level findings */
	assert_int_equal(res.n, 6);
	assert_string_equal(res.v[3]->subject, "src/a.c");
	assert_string_equal(res.v[4]->subject, "src/b.c");
	assert_string_equal(res.v[5]->subject, "src/c2.c");
	/* patch: a.c 1 (0 cov), d.c line 3 (0), b.c 10 (4), e.c 10 (5) = 9/22 */
	f = find(&res, COV_KIND_DROP, COV_SUBJ_PATCH);
	assert_close(cov_finding_number(f, "patch_covered"), 9);
	assert_close(cov_finding_number(f, "patch_coverable"), 22);
	assert_string_equal(f->status, "FAIL");
	/* total: base a 20 + d 19 + c.c 4/5 = 43/44; head a 18 + d 9 + b 4 + e 5 = 36/60 */
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_close(cov_finding_number(f, "base_ratio"), 43.0 / 44.0);
	assert_close(cov_finding_number(f, "head_ratio"), 36.0 / 60.0);
	assert_string_equal(f->status, "FAIL");
	cov_result_clear(&res);
	cov_changes_clear(&ch);
	cov_evidence_free(&base);
	cov_evidence_free(&head);
	free(lb);
	free(ch_xml);
}

static void test_file_rules_with_old_sides(void **state)
{
	(void)state;
	file_rules(true);
}

/* Without old sides the single hunk still maps exactly (adds - dels). */
static void test_file_rules_new_side_only(void **state)
{
	(void)state;
	file_rules(false);
}

/* Two hunks, no old side: lines between them cannot be mapped to base
 * lines, and the finding says so; with old sides they are. */
static void test_lbc_between_hunks(void **state)
{
	int pass;
	(void)state;
	for (pass = 0; pass < 2; pass++) {
		struct cov_evidence *b = cov_evidence_new("b", "", 1), *h = cov_evidence_new("h", "", 2);
		struct cov_report *br = cov_add_report(b, "b", TR_FMT_LCOV), *hr = cov_add_report(h, "h", TR_FMT_LCOV);
		struct cov_file *bf = cov_report_file(br, "m.c"), *hf = cov_report_file(hr, "m.c");
		struct cov_changes ch = {0};
		struct cov_change *c;
		const struct cov_evidence *earlier[1] = {b};
		struct cov_input in = {.head = h, .earlier = earlier, .nearlier = 1, .changes = &ch};
		struct cov_result res;
		const struct finding *f;
		long i;
		/* base 1..30 covered; head: 2 lines added at 5-6, 1 line replaced at 21
		 * (old 19); head lines 12, 25 uncovered (base 10, 23) */
		for (i = 1; i <= 30; i++)
			cov_file_add_line(bf, i, 1);
		for (i = 1; i <= 32; i++)
			cov_file_add_line(hf, i, i == 12 || i == 25 ? 0 : 1);
		cov_report_finish(br);
		cov_report_finish(hr);
		c = cov_changes_add(&ch, "src/m.c", NULL, CHG_MODIFIED, 3, 1);
		cov_change_add_hunk(c, 21, 1, pass, 19, 1);
		cov_change_add_hunk(c, 5, 2, pass, 4, 0);
		assert_int_equal(c->hunks[0].start, 5);   /* kept sorted */
		cov_analyze(&in, &res);
		f = find(&res, COV_KIND_GAP, "src/m.c");   /* 100 % -> 30/32 = 93.75 %: -6.25 pp */
		assert_close(cov_finding_number(f, "delta_pp"), -6.25);
		if (pass) {
			assert_string_equal(f->body, "UNC (uncovered changed lines): none\n"
						     "LBC (lost baseline coverage): 12, 25");
			assert_false(has_reason(f, "partial-lbc"));
		} else {
			assert_string_equal(f->body, "UNC (uncovered changed lines): none\n"
						     "LBC (lost baseline coverage): 25 (1 uncovered unchanged lines "
						     "between hunks not mapped to the base: old-side line numbers unknown)");
			assert_true(has_reason(f, "partial-lbc"));
		}
		cov_result_clear(&res);
		cov_changes_clear(&ch);
		cov_evidence_free(&b);
		cov_evidence_free(&h);
	}
}

/* ---- trend ---------------------------------------------------------------- */

static struct cov_evidence *pct_run(const char *id, double t, double pct)
{
	struct cov_evidence *e = cov_evidence_new(id, "", t);
	struct cov_value *v = cov_add_value(e, COV_SRC_BUILD_RECEIPT, COV_M_LINE, "build/build_receipt.json:3");
	v->has_percent = true;
	v->percent = pct;
	return e;
}

static const char *trend_status(const double *pcts, size_t n, double *total)
{
	static char st[32];
	struct cov_evidence *runs[8];
	struct cov_input in = {0};
	struct cov_result res;
	const struct finding *f;
	size_t i;
	for (i = 0; i < n; i++)
		runs[i] = pct_run(i + 1 < n ? "earlier" : "head", (double)i, pcts[i]);
	in.head = runs[n - 1];
	in.earlier = (const struct cov_evidence *const *)runs;
	in.nearlier = n - 1;
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TREND);
	snprintf(st, sizeof st, "%s", f->status);
	*total = cov_finding_number(f, "total_pp");
	/* receipts are percent-only: total confidence is MEDIUM */
	assert_int_equal(find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL)->confidence, CONF_MEDIUM);
	cov_result_clear(&res);
	for (i = 0; i < n; i++)
		cov_evidence_free(&runs[i]);
	return st;
}

static void test_trend(void **state)
{
	static const double down[] = {80.0, 79.0, 78.0, 77.5};        /* -2.5 pp, down each time */
	static const double wobble[] = {80.0, 79.0, 79.5, 77.0};      /* -3.0 but up once */
	static const double small[] = {80.0, 79.5, 79.0, 78.5};       /* -1.5 */
	static const double exact[] = {90.0, 85.0, 80.0, 78.0, 77.0, 76.0}; /* last 4: 80 -> 76, -4 */
	static const double three[] = {80.0, 79.0, 70.0};
	double total;
	(void)state;
	assert_string_equal(trend_status(down, 4, &total), "WARN");
	assert_close(total, -2.5);
	assert_string_equal(trend_status(wobble, 4, &total), "PASS");
	assert_close(total, -3.0);
	assert_string_equal(trend_status(small, 4, &total), "PASS");
	assert_close(total, -1.5);
	assert_string_equal(trend_status(exact, 6, &total), "WARN");
	assert_close(total, -4.0);
	assert_string_equal(trend_status(three, 3, &total), "NO_DATA");
	assert_true(isnan(total));
}

/* ---- the real run: no coverage measured -------------------------------------------- */

static char *shared_dir(void)
{
	const char *sh = getenv("SHARED"), *top = getenv("top_srcdir");
	return sh ? xstrdup(sh) : xasprintf("%s/../shared", top ? top : "..");
}

static void test_real_run_no_data(void **state)
{
	char *sh = shared_dir();
	char *repo = xasprintf("%s/data/runs/dss-local-alignment-audit", sh);
	struct run *r = NULL;
	struct wz_err err;
	struct cov_evidence *e, **hist = NULL;
	size_t nhist = 99, i, ngate = 0;
	double ht;
	struct cov_input in = {0};
	struct cov_result res;
	const struct finding *t;
	(void)state;
	if (!fio_is_dir(repo)) {
		free(repo);
		free(sh);
		skip();
	}
	assert_int_equal(runs_open(NULL, repo, &r, &err), WZ_OK);
	e = cov_gather(r, "", NAN, true);
	/* plan/test_plan.md L45-47 */
	assert_true(e->line_required.present);
	assert_false(e->line_required.has);
	assert_string_equal(e->line_required.raw, "null");
	assert_string_equal(e->line_required.where, "plan/test_plan.md:45");
	assert_string_equal(e->branch_required.where, "plan/test_plan.md:46");
	assert_false(e->branch_required.has);
	assert_string_equal(e->critical_path.where, "plan/test_plan.md:47");
	assert_false(e->critical_path.has);
	/* gate/coverage_audit.md L53-54 (header L51); scenario/requirement rows are not code coverage */
	for (i = 0; i < e->nvalues; i++) {
		const struct cov_value *v = &e->values[i];
		assert_false(v->has_percent);
		if (v->kind != COV_SRC_GATE_TABLE)
			continue;
		assert_string_equal(v->raw, "null");
		assert_string_equal(v->required_raw, "null");
		assert_string_equal(v->status, "N/A");
		assert_string_equal(v->where, ngate == 0 ? "gate/coverage_audit.md:53" : "gate/coverage_audit.md:54");
		assert_int_equal(v->metric, ngate == 0 ? COV_M_LINE : COV_M_BRANCH);
		ngate++;
	}
	assert_int_equal(ngate, 2);
	/* gate receipt counts: both null (gate_receipt.json L23-24); build receipt has no coverage{} */
	assert_int_equal(e->nvalues, 4);
	assert_int_equal(e->values[0].kind, COV_SRC_GATE_RECEIPT);
	assert_string_equal(e->values[0].where, "gate/gate_receipt.json:23");
	assert_string_equal(e->values[1].where, "gate/gate_receipt.json:24");
	assert_int_equal(e->nreports, 0);
	/* index.json lists three runs; only this one is present */
	assert_int_equal(cov_gather_history(r, &hist, &nhist, &ht, &err), WZ_OK);
	assert_int_equal(nhist, 0);
	assert_false(isnan(ht));

	in.head = e;
	in.changes_note = "no git repository";
	cov_analyze(&in, &res);
	assert_int_equal(res.n, 3);
	for (i = 0; i < res.n; i++)
		assert_string_equal(res.v[i]->status, "NO_DATA");
	t = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_true(t->input_missing);
	assert_true(isnan(cov_finding_number(t, "head_ratio")));
	assert_true(has_reason(t, "plan threshold COVERAGE_LINE_REQUIRED at plan/test_plan.md:45 is null: not applicable"));
	assert_true(has_reason(t, "no-data"));
	assert_true(has_reason(t, "this line coverage sources: gate/gate_receipt.json:23 null (gate receipt counts); "
				  "gate/coverage_audit.md:53 null, status N/A (gate coverage_audit table)"));
	cov_result_clear(&res);
	cov_history_free(&hist, &nhist);
	cov_evidence_free(&e);
	run_free(&r);
	free(repo);
	free(sh);
}

/* ---- the demo, end to end ----------------------------------------------------------- */

static void test_demo_runs(void **state)
{
	const char *top = getenv("top_srcdir");
	char *content = xasprintf("%s/demo", top ? top : ".."), *cache = xasprintf("%s/demo-cache", scratch);
	char *repo = NULL;
	struct wz_err err;
	struct run *r = NULL;
	struct cov_evidence *e, **hist = NULL;
	size_t nhist = 0, i;
	double ht;
	struct git_repo *g = NULL;
	struct git_range range;
	struct chg_set *cs = NULL;
	struct cov_changes ch = {0};
	struct cov_input in = {0};
	struct cov_result res;
	const struct finding *f;
	const struct cov_report *rep;
	(void)state;

	assert_int_equal(demo_prepare_in(cache, content, &repo, NULL, &err), WZ_OK);
	assert_int_equal(runs_open(DEMO_RUN_ID, repo, &r, &err), WZ_OK);
	e = cov_gather(r, "", NAN, true);
	/* thresholds: plan/test_plan.md L11-13 */
	assert_true(e->line_required.has);
	assert_close(e->line_required.percent, 70);
	assert_string_equal(e->line_required.where, "plan/test_plan.md:11");
	assert_false(e->branch_required.has);
	assert_true(e->critical_path.has);
	assert_string_equal(e->critical_path.raw, "src/auth/token.c");
	/* both reports in build/, by content; 93/127 each */
	assert_int_equal(e->nreports, 2);
	assert_string_equal(e->reports[0].where, "build/coverage.xml");
	assert_int_equal(e->reports[0].format, TR_FMT_COBERTURA);
	assert_string_equal(e->reports[1].where, "build/lcov.info");
	for (i = 0; i < 2; i++) {
		assert_int_equal(e->reports[i].hit, 93);
		assert_int_equal(e->reports[i].found, 127);
	}
	rep = &e->reports[0];
	assert_int_equal(cov_report_find(rep, "src/auth/token.c")->found, 54);
	assert_int_equal(cov_report_find(rep, "src/auth/token.c")->hit, 48);
	/* every value with its place */
	{
		static const struct {
			enum cov_source k;
			enum cov_metric m;
			const char *where;
			double pct;   /* < 0: null */
		} want[] = {
			{COV_SRC_CANONICAL, COV_M_LINE, "build/test_execution.md:33", 73.23},
			{COV_SRC_SUMMARY, COV_M_LINE, "build/test_execution.md:23", 73.23},
			{COV_SRC_BUILD_RECEIPT, COV_M_LINE, "build/build_receipt.json:35", 73.23},
			{COV_SRC_BUILD_RECEIPT, COV_M_BRANCH, "build/build_receipt.json:36", -1},
			{COV_SRC_GATE_RECEIPT, COV_M_LINE, "gate/gate_receipt.json:20", 73.23},
			{COV_SRC_GATE_RECEIPT, COV_M_BRANCH, "gate/gate_receipt.json:21", -1},
			{COV_SRC_GATE_TABLE, COV_M_LINE, "gate/coverage_audit.md:7", 73.23},
			{COV_SRC_GATE_TABLE, COV_M_BRANCH, "gate/coverage_audit.md:8", -1},
			{COV_SRC_GATE_TABLE, COV_M_PATH, "gate/coverage_audit.md:9", 88.89},
		};
		assert_int_equal(e->nvalues, sizeof want / sizeof want[0]);
		for (i = 0; i < e->nvalues; i++) {
			assert_int_equal(e->values[i].kind, want[i].k);
			assert_int_equal(e->values[i].metric, want[i].m);
			assert_string_equal(e->values[i].where, want[i].where);
			assert_int_equal(e->values[i].has_percent, want[i].pct >= 0);
			if (want[i].pct >= 0)
				assert_close(e->values[i].percent, want[i].pct);
		}
		assert_true(e->values[0].has_lines);
		assert_int_equal(e->values[0].covered, 93);
		assert_int_equal(e->values[0].total, 127);
		assert_string_equal(e->values[6].required_raw, "70");
		assert_string_equal(e->values[6].status, "PASS");
	}
	/* history: the base run, 89/116 */
	assert_int_equal(cov_gather_history(r, &hist, &nhist, &ht, &err), WZ_OK);
	assert_int_equal(nhist, 1);
	assert_string_equal(hist[0]->run_id, DEMO_BASE_RUN_ID);
	assert_int_equal(hist[0]->nreports, 2);
	assert_string_equal(hist[0]->reports[0].where, "../" DEMO_BASE_RUN_ID "/build/coverage.xml");
	assert_int_equal(hist[0]->reports[0].hit, 89);
	assert_int_equal(hist[0]->reports[0].found, 116);
	assert_true(hist[0]->time < ht);

	/* the change: merge^1..merge */
	assert_int_equal(git_repo_open(repo, &g, &err), WZ_OK);
	assert_int_equal(git_range_for_run(g, r, &range, &err), WZ_OK);
	assert_int_equal(git_changes(g, &range, &cs, &err), WZ_OK);
	cov_changes_from_chg(cs, &ch);
	assert_int_equal(ch.n, 4);

	in.head = e;
	in.earlier = (const struct cov_evidence *const *)hist;
	in.nearlier = nhist;
	in.changes = &ch;
	cov_analyze(&in, &res);
	/* total: 89/116 = 76.724 % -> 93/127 = 73.228 %: -3.4959 pp, WARN (70 % threshold met) */
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_close(cov_finding_number(f, "base_ratio"), 89.0 / 116.0);
	assert_close(cov_finding_number(f, "head_ratio"), 93.0 / 127.0);
	assert_close(cov_finding_number(f, "delta_pp"), -3.4959);
	assert_close(cov_finding_number(f, "threshold_ratio"), 0.70);
	assert_string_equal(f->status, "WARN");
	assert_int_equal(f->confidence, CONF_HIGH);
	assert_string_equal(f->title, "line coverage 76.72 % -> 73.23 % (-3.496 pp) vs " DEMO_BASE_RUN_ID);
	/* patch: token.c 13-29 (15,19,20,21,22,27), 84-86 (85,86), 88 -> 9/9;
	 * payment.c 12-13 (12), 15-20 (15; 18,19,20 uncovered) -> 2/5; token.h
	 * has no data: 11/14 = 78.57 %, WARN */
	f = find(&res, COV_KIND_DROP, COV_SUBJ_PATCH);
	assert_close(cov_finding_number(f, "patch_covered"), 11);
	assert_close(cov_finding_number(f, "patch_coverable"), 14);
	assert_close(cov_finding_number(f, "patch_ratio"), 11.0 / 14.0);
	assert_string_equal(f->status, "WARN");
	/* test gap: token.c 45/47 = 95.74 % -> 48/54 = 88.89 %, -6.856 pp, 54 lines;
	 * the critical path, so MAJOR. Its 6 uncovered lines (38,45,58,69,73,77)
	 * lie between hunks: without old sides they are not mapped. payment.c
	 * (-27.3 pp) has only 11 lines; token.h and tests/ are quiet. */
	assert_int_equal(count_kind(&res, COV_KIND_GAP), 1);
	f = find(&res, COV_KIND_GAP, "src/auth/token.c");
	assert_close(cov_finding_number(f, "base_ratio"), 45.0 / 47.0);
	assert_close(cov_finding_number(f, "head_ratio"), 48.0 / 54.0);
	assert_close(cov_finding_number(f, "delta_pp"), -6.8558);
	assert_int_equal(f->severity, SEV_MAJOR);
	assert_true(has_reason(f, "critical-path"));
	assert_string_equal(f->body, "UNC (uncovered changed lines): none\nLBC (lost baseline coverage): none "
				     "(6 uncovered unchanged lines between hunks not mapped to the base: "
				     "old-side line numbers unknown)");
	assert_string_equal(find(&res, COV_KIND_DROP, COV_SUBJ_TREND)->status, "NO_DATA");
	cov_result_clear(&res);

	/* With old sides (token.c: 13+17 from old 12+0, 84+3 from 67+1, 88+1 from
	 * 69+1) those six lines map 17 lines up: 21, 28, 41, 52, 56, 60; base
	 * hits there 0, 0, 2, 1, 3, 5 -> LBC 58, 69, 73, 77. */
	assert_int_equal(cov_changes_old_sides(repo, cs->base, cs->head, &ch, &err), WZ_OK);
	for (i = 0; i < ch.n; i++)
		if (strcmp(ch.v[i].path, "src/auth/token.c") == 0) {
			assert_int_equal(ch.v[i].nhunks, 3);
			assert_true(ch.v[i].hunks[1].has_old);
			assert_int_equal(ch.v[i].hunks[1].old_start, 67);
			assert_int_equal(ch.v[i].hunks[1].old_count, 1);
		}
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_GAP, "src/auth/token.c");
	assert_string_equal(f->body, "UNC (uncovered changed lines): none\nLBC (lost baseline coverage): 58, 69, 73, 77");
	assert_close(cov_finding_number(f, "lbc"), 4);
	assert_false(has_reason(f, "partial-lbc"));
	/* a repository that is not there leaves the changes as they were */
	assert_int_equal(cov_changes_old_sides(scratch, cs->base, cs->head, &ch, &err), WZ_EGIT);
	assert_non_null(strstr(err.msg, scratch));

	cov_result_clear(&res);
	cov_changes_clear(&ch);
	chg_set_free(&cs);
	git_range_clear(&range);
	git_repo_close(&g);
	cov_history_free(&hist, &nhist);
	cov_evidence_free(&e);
	run_free(&r);
	free(repo);
	free(cache);
	free(content);
}

/* ---- bad input ---------------------------------------------------------------------- */

static void test_zero_coverable_lines(void **state)
{
	struct cov_evidence *b = cov_evidence_new("b", "", 1), *h = cov_evidence_new("h", "", 2);
	const struct cov_report *r;
	const struct cov_evidence *earlier[1] = {b};
	struct cov_changes ch = {0};
	struct cov_input in = {.head = h, .earlier = earlier, .nearlier = 1, .changes = &ch};
	struct cov_result res;
	const struct finding *f;
	(void)state;
	r = load(h, "empty.info", "TN:\nSF:src/z.c\nLF:0\nLH:0\nend_of_record\n");
	assert_int_equal(r->found, 0);
	assert_true(isnan(cov_ratio(r->hit, r->found)));
	r = load(b, "empty.xml", "<?xml version=\"1.0\"?><coverage line-rate=\"1\"><packages/></coverage>\n");
	assert_int_equal(r->found, 0);
	assert_null(cov_evidence_primary(h));
	cov_change_add_hunk(cov_changes_add(&ch, "src/z.c", NULL, CHG_MODIFIED, 1, 0), 1, 1, false, 0, 0);
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_string_equal(f->status, "NO_DATA");
	assert_true(isnan(cov_finding_number(f, "delta_pp")));
	assert_string_equal(find(&res, COV_KIND_DROP, COV_SUBJ_PATCH)->status, "NO_DATA");
	assert_int_equal(count_kind(&res, COV_KIND_GAP), 0);
	cov_result_clear(&res);
	cov_changes_clear(&ch);
	cov_evidence_free(&b);
	cov_evidence_free(&h);
}

static void test_absurd_hits(void **state)
{
	struct cov_evidence *h = cov_evidence_new("h", "", 2);
	const struct cov_report *r;
	unsigned long long hits = 0;
	(void)state;
	/* hits beyond 64 bits saturate; the same line twice sums, still saturated;
	 * a negative count is junk the reader reports */
	r = load(h, "huge.info", "SF:src/h.c\nDA:1,99999999999999999999999999\nDA:1,5\nDA:2,0\n"
				 "DA:3,18446744073709551615\nend_of_record\n");
	assert_int_equal(r->found, 3);
	assert_int_equal(r->hit, 2);
	assert_true(cov_file_hits(&r->files[0], 1, &hits));
	assert_true(hits == ULLONG_MAX);
	assert_false(cov_file_hits(&r->files[0], 4, &hits));
	assert_close(100.0 * cov_ratio(r->hit, r->found), 66.667);
	cov_evidence_free(&h);
}

static void test_missing_base(void **state)
{
	struct cov_evidence *h = cov_evidence_new("h", "", 2), *empty = cov_evidence_new("old", "", 1);
	struct cov_report *hr = cov_add_report(h, "h.info", TR_FMT_LCOV);
	struct cov_file *hf = cov_report_file(hr, "x.c");
	const struct cov_evidence *earlier[2] = {NULL, empty};
	struct cov_input in = {.head = h, .earlier = earlier, .nearlier = 2};
	struct cov_result res;
	const struct finding *f;
	long i;
	(void)state;
	for (i = 1; i <= 10; i++)
		cov_file_add_line(hf, i, i <= 6);
	cov_report_finish(hr);
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_string_equal(f->status, "NO_DATA");
	assert_close(cov_finding_number(f, "head_ratio"), 0.6);
	assert_true(isnan(cov_finding_number(f, "base_ratio")));
	assert_true(has_reason(f, "no-base"));
	cov_result_clear(&res);
	/* with a threshold above it, no base is still a FAIL */
	cov_threshold_set(&h->line_required, "80%", "plan/test_plan.md:9");
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_string_equal(f->status, "FAIL");
	assert_true(has_reason(f, "fail-threshold"));
	cov_result_clear(&res);
	cov_evidence_free(&h);
	cov_evidence_free(&empty);
	/* no head at all */
	in.head = NULL;
	cov_analyze(&in, &res);
	assert_int_equal(res.n, 0);
	cov_result_clear(&res);
}

/* Sources that disagree are all shown and the confidence drops. */
static void test_sources_disagree(void **state)
{
	struct cov_evidence *h = cov_evidence_new("h", "", 2), *b = pct_run("b", 1, 80.0);
	struct cov_report *hr = cov_add_report(h, "build/coverage.xml", TR_FMT_COBERTURA);
	struct cov_file *hf = cov_report_file(hr, "x.c");
	struct cov_value *v;
	const struct cov_evidence *earlier[1] = {b};
	struct cov_input in = {.head = h, .earlier = earlier, .nearlier = 1};
	struct cov_result res;
	const struct finding *f;
	long i;
	(void)state;
	for (i = 1; i <= 4; i++)
		cov_file_add_line(hf, i, i <= 3);
	cov_report_finish(hr);
	v = cov_add_value(h, COV_SRC_CANONICAL, COV_M_LINE, "build/test_execution.md:9");
	v->has_percent = true;
	v->percent = 89.29;
	cov_analyze(&in, &res);
	f = find(&res, COV_KIND_DROP, COV_SUBJ_TOTAL);
	assert_close(cov_finding_number(f, "head_ratio"), 0.75);
	assert_int_equal(f->confidence, CONF_LOW);
	assert_true(has_reason(f, "this line coverage sources: build/coverage.xml 75.00 % (3/4 lines) [used]; "
				  "build/test_execution.md:9 89.29 % (canonical coverage line)"));
	assert_true(has_reason(f, "this sources disagree"));
	assert_string_equal(f->status, "FAIL");   /* 80 -> 75: -5 pp */
	cov_result_clear(&res);
	cov_evidence_free(&h);
	cov_evidence_free(&b);
}

/* Hostile markdown: templates, escapes, tables without a header, CRLF. */
static void test_markdown_hostile(void **state)
{
	struct cov_evidence *e = cov_evidence_new("x", "", 0);
	static const char plan[] = "# Plan\r\n- COVERAGE_LINE_REQUIRED: `85`\r\n"
				   "  * COVERAGE_BRANCH_REQUIRED: \x1b[31mnull\r\n"
				   "- COVERAGE_CRITICAL_PATH: <path>\r\n- COVERAGE_LINE_REQUIRED: 10\r\n";
	static const char gate[] = "## Results (mechanical)\n| Line coverage | 1 | 2 |\n\n"
				   "```\n| Metric | Actual |\n| Line | 5 |\n```\n"
				   "| Actual | Metric | Status |\n|---|---|---|\n| 91.5% | Line Coverage | PASS |\n"
				   "| 7 | Branch \x1b]52;c;AAAA\x07 | FAIL\n"
				   "## Other\n| Metric | Actual |\n|--|--|\n| Line | 1 |\n";
	static const char exec[] = "## Coverage Result (Canonical): null\n";
	(void)state;
	cov_read_test_plan(e, plan, sizeof plan - 1, "plan/test_plan.md");
	assert_true(e->line_required.has);
	assert_close(e->line_required.percent, 85);
	assert_string_equal(e->line_required.where, "plan/test_plan.md:2");
	assert_true(e->branch_required.present);
	assert_false(e->branch_required.has);
	assert_true(e->critical_path.present);
	assert_false(e->critical_path.has);   /* unfilled template */
	cov_read_gate_table(e, gate, sizeof gate - 1, "gate/coverage_audit.md");
	assert_int_equal(e->nvalues, 2);
	assert_int_equal(e->values[0].metric, COV_M_LINE);
	assert_close(e->values[0].percent, 91.5);
	assert_string_equal(e->values[0].where, "gate/coverage_audit.md:10");
	assert_string_equal(e->values[0].status, "PASS");
	assert_null(e->values[0].required_raw);
	assert_int_equal(e->values[1].metric, COV_M_BRANCH);
	assert_close(e->values[1].percent, 7);
	assert_string_equal(e->values[1].status, "FAIL");
	cov_read_test_execution(e, exec, sizeof exec - 1, "build/test_execution.md");
	assert_int_equal(e->nvalues, 3);
	assert_false(e->values[2].has_percent);
	assert_string_equal(e->values[2].raw, "null");
	/* empty and NULL text */
	cov_read_test_plan(e, "", 0, "p");
	cov_read_gate_table(e, NULL, 0, "g");
	cov_read_test_execution(e, NULL, 0, "t");
	assert_int_equal(e->nvalues, 3);
	cov_evidence_free(&e);
}

/* A run folder with nothing in it, and one with a broken report. */
static void test_gather_bad_run(void **state)
{
	char *run = xasprintf("%s/.runs/r1", scratch), *bdir = xasprintf("%s/build", run), *p;
	struct wz_err err;
	struct cov_evidence *e;
	int fd;
	(void)state;
	assert_int_equal(fio_mkdirs(bdir, 0777, &err), WZ_OK);
	e = cov_gather_path(run, NULL, "", NAN);
	assert_int_equal(e->nvalues, 0);
	assert_int_equal(e->nreports, 0);
	assert_false(e->line_required.present);
	cov_evidence_free(&e);
	/* truncated Cobertura: recovered part kept, problem noted */
	{
		static const char trunc[] = "<?xml version=\"1.0\"?><coverage><packages><package><classes>"
					    "<class filename=\"a.c\"><lines><line number=\"1\" hits=\"1\"/>"
					    "<line number=\"2\" hits=\"0\"/><line numb";
		p = xasprintf("%s/cov.xml", bdir);
		assert_int_equal(fio_write_atomic(p, trunc, sizeof trunc - 1, &err), WZ_OK);
		free(p);
	}
	/* a 200 MB sparse lcov-looking file: refused or read, never a hang */
	p = xasprintf("%s/big.info", bdir);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SF:x.c\nDA:1,1\n", 14), 14);
	assert_int_equal(ftruncate(fd, 200L << 20), 0);
	close(fd);
	free(p);
	e = cov_gather_path(run, NULL, "", NAN);
	{
		size_t i, k = e->nreports;
		for (i = 0; i < e->nreports; i++)
			if (strcmp(e->reports[i].where, "build/cov.xml") == 0)
				k = i;
		assert_true(k < e->nreports);
		assert_true(e->reports[k].malformed);
		assert_int_equal(e->reports[k].found, 2);
		assert_int_equal(e->reports[k].hit, 1);
	}
	assert_true(e->notes.n >= 1);
	cov_evidence_free(&e);
	free(bdir);
	free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_w23),
		cmocka_unit_test(test_total_rules),
		cmocka_unit_test(test_file_rules_with_old_sides),
		cmocka_unit_test(test_file_rules_new_side_only),
		cmocka_unit_test(test_lbc_between_hunks),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_real_run_no_data),
		cmocka_unit_test(test_demo_runs),
		cmocka_unit_test(test_zero_coverable_lines),
		cmocka_unit_test(test_absurd_hits),
		cmocka_unit_test(test_missing_base),
		cmocka_unit_test(test_sources_disagree),
		cmocka_unit_test(test_markdown_hostile),
		cmocka_unit_test(test_gather_bad_run),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
