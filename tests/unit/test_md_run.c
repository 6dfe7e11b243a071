/* test_md_run.c - the markdown readers on the real shared run and on the
 * raw cargo log; every expected value was counted in the files by hand. */
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

#include "model/run.h"
#include "sources/md_markers.h"
#include "sources/md_obs.h"
#include "sources/md_summary.h"
#include "sources/md_tests.h"
#include "sources/md_verdicts.h"
#include "sources/runmd.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#define RUN_REL "data/runs/dss-local-alignment-audit/.runs/local-alignment-audit-aba1c6"
#define LOG_REL "data/runs/dss-raw-test-logs/tools/demoswarm-pack-check/test_output.log"

static char *shared_path(const char *rel)
{
	const char *s = getenv("SHARED");
	if (s && *s)
		return xasprintf("%s/%s", s, rel);
	s = getenv("top_srcdir");
	return xasprintf("%s/../shared/%s", s ? s : "..", rel);
}

static char *read_run_file(const char *rel, size_t *len)
{
	char *run = shared_path(RUN_REL), *p = fio_join(run, rel), *data = NULL;
	struct wz_err err;
	if (fio_read(p, FIO_DEFAULT_MAX, &data, len, &err) != WZ_OK)
		fail_msg("%s", err.msg);
	free(run);
	free(p);
	return data;
}

static struct mds *summary_of(const char *rel)
{
	size_t len;
	char *d = read_run_file(rel, &len);
	struct mds *m = NULL;
	assert_int_equal(mds_parse(d, len, rel, &m, NULL), WZ_OK);
	free(d);
	return m;
}

static bool has_warning(const struct run *r, const char *needle)
{
	size_t i;
	for (i = 0; i < r->warnings.n; i++)
		if (strstr(r->warnings.v[i], needle))
			return true;
	return false;
}

/* 78 files carry `## Machine Summary`; these are the variants. */
static void summary_variants(void **state)
{
	struct mds *m;
	const struct mds_item *it;
	(void)state;

	m = summary_of("plan/open_questions.md");
	assert_true(m->found);
	assert_int_equal(m->heading_line, 74);
	assert_int_equal(m->heading_level, 3);
	assert_string_equal(m->heading, "Machine Summary");
	mds_free(&m);
	assert_null(m);

	m = summary_of("plan/adr.md");
	assert_int_equal(m->heading_line, 166);
	assert_string_equal(m->heading, "Machine Summary Block");
	assert_true(m->from_yaml);
	assert_string_equal(mds_str(m, "status"), "VERIFIED");
	assert_string_equal(mds_str(m, "chosen_option"), "OPT-003 Layered Approach");
	it = mds_get(m, "concerns");
	assert_non_null(it);
	assert_true(it->is_list);
	assert_int_equal(it->list.n, 2);
	assert_null(mds_str(m, "route_to_flow"));
	mds_free(&m);

	/* false friend: `### Machine Summary Schema Compliance` (L90) is not a block */
	{
		size_t len;
		char *d = read_run_file("gate/contract_compliance.md", &len);
		struct mds *a = NULL, *b = NULL;
		assert_int_equal(mds_parse(d, len, "c", &a, NULL), WZ_OK);
		assert_int_equal(a->heading_line, 3);
		assert_int_equal(mds_parse_after(d, len, "c", a->end_line, &b, NULL), WZ_OK);
		assert_false(b->found);
		mds_free(&a);
		mds_free(&b);
		free(d);
	}

	/* bare key: value body with blank lines and lists after blank lines */
	m = summary_of("wisdom/regression_report.md");
	assert_false(m->from_yaml);
	assert_int_equal(m->heading_line, 3);
	it = mds_get(m, "missing_required");
	assert_true(it->is_list);
	assert_int_equal(it->list.n, 2);
	it = mds_get_in(m, "severity_summary", "major");
	assert_non_null(it);
	assert_int_equal(it->line, 23);
	assert_string_equal(it->value, "0");
	assert_string_equal(mds_str(m, "baseline_available"), "no");
	mds_free(&m);

	/* fenced body with the heading repeated inside */
	m = summary_of("plan/observability_spec.md");
	assert_int_equal(m->heading_line, 297);
	assert_true(m->from_yaml);
	assert_int_equal(mds_get(m, "concerns")->list.n, 3);
	mds_free(&m);

	/* test_execution.md nested test_summary map */
	m = summary_of("build/test_execution.md");
	it = mds_get_in(m, "test_summary", "passed");
	assert_non_null(it);
	assert_int_equal(it->line, 17);
	assert_string_equal(it->value, "53");
	assert_null(mds_get_in(m, "test_summary", "ac_id")->value);
	mds_free(&m);
}

static void smoke_block(void **state)
{
	size_t len;
	char *d = read_run_file("deploy/verification_report.md", &len);
	struct mds *a = NULL, *b = NULL;
	struct mdv_value v;
	(void)state;
	assert_int_equal(mds_parse(d, len, "v", &a, NULL), WZ_OK);
	assert_int_equal(mds_parse_after(d, len, "v", a->end_line, &b, NULL), WZ_OK);
	assert_true(b->found);
	assert_int_equal(b->heading_line, 117);
	assert_string_equal(b->heading, "Machine Summary (Smoke Verifier)");
	assert_string_equal(mds_str(b, "smoke_signal"), "STABLE");
	assert_string_equal(mds_str(b, "route_to_agent"), "deploy-decider");
	assert_int_equal(mds_get(b, "notes")->list.n, 7);
	assert_true(mdv_smoke_signal(d, len, "v", &v));
	assert_string_equal(v.value, "STABLE");
	assert_int_equal(v.line, 124);
	mdv_value_clear(&v);
	mds_free(&a);
	mds_free(&b);
	free(d);
}

static void real_run_fill(void **state)
{
	struct run *r = run_new();
	const struct test_counts *t;
	char iso[32];
	(void)state;
	unsetenv("WISDOM_DEPLOY_TIME");
	r->path = shared_path(RUN_REL);
	runmd_fill(r);

	/* tests: the canonical line L41 first, then the Machine Summary map */
	assert_int_equal(r->ntests, 2);
	t = &r->tests[0];
	assert_string_equal(t->src.path, "build/test_execution.md");
	assert_int_equal(t->src.line, 41);
	assert_true(t->passed.has && t->passed.v == 53);
	assert_true(t->failed.has && t->failed.v == 0);
	assert_true(t->xpassed.has && t->xpassed.v == 0);
	assert_false(t->errors.has);
	t = &r->tests[1];
	assert_non_null(strstr(t->source, "test_summary"));
	assert_int_equal(t->src.line, 11);
	assert_true(t->passed.has && t->passed.v == 53);

	/* verdicts */
	assert_string_equal(r->merge_verdict.v, "MERGE");
	assert_string_equal(r->merge_verdict.src.path, "gate/merge_decision.md");
	assert_int_equal(r->merge_verdict.src.line, 5);
	assert_null(r->merge_reason.v);
	assert_string_equal(r->deployment_verdict.v, "NOT_DEPLOYED");
	assert_int_equal(r->deployment_verdict.src.line, 3);
	assert_string_equal(r->smoke_signal.v, "STABLE");
	assert_string_equal(r->smoke_signal.src.path, "deploy/verification_report.md");

	/* deploy time: deployment_log.md L16 Merged At */
	tp_format(r->deploy_time, iso, sizeof iso);
	assert_string_equal(iso, "2025-12-20T17:06:14Z");
	assert_string_equal(r->deploy_time_source, "deploy/deployment_log.md:16 Merged At");
	assert_false(r->deploy_time_approximate);

	/* markers */
	assert_true(r->markers[MK_REG].file_present);
	assert_int_equal(r->markers[MK_REG].counted, 0);
	assert_true(r->markers[MK_REG].stated.has);
	assert_true(r->markers[MK_REG].stated.v == 0);
	assert_int_equal(r->markers[MK_REG].stated.src.line, 26);
	assert_int_equal(r->markers[MK_LEARNING].counted, 3);
	assert_int_equal(r->markers[MK_ACTION].counted, 8);
	assert_int_equal(r->markers[MK_PACK_OBS].counted, 6);
	assert_int_equal(r->markers[MK_ISSUE].counted, 4);
	assert_true(r->markers[MK_ISSUE].stated.has && r->markers[MK_ISSUE].stated.v == 4);
	assert_int_equal(r->markers[MK_SUG].counted, 6);
	assert_true(r->markers[MK_SUG].stated.has && r->markers[MK_SUG].stated.v == 5);
	assert_int_equal(r->markers[MK_SUG].stated.src.line, 5);
	assert_int_equal(r->markers[MK_INV_ISSUE].counted, 4);
	assert_int_equal(r->markers[MK_INV_SUG].counted, 6);
	assert_true(has_warning(r, "wisdom/feedback_actions.md:5: states suggestions: 5 but 6 lines match"));
	assert_true(has_warning(r, "wisdom/feedback_actions.md:7: states learnings: no"));

	/* observability inventory L273-295 */
	assert_true(r->obs.present);
	assert_int_equal(r->obs.src.line, 273);
	assert_int_equal(r->obs.metrics, 4);
	assert_int_equal(r->obs.log_events, 3);
	assert_int_equal(r->obs.trace_spans, 2);
	assert_int_equal(r->obs.slos, 4);
	assert_int_equal(r->obs.alerts, 4);
	assert_int_equal(r->obs.sentinels, 0);
	assert_int_equal(r->obs.metric_names.n, 4);
	assert_string_equal(r->obs.metric_names.v[0], "vs_001_six_flow_count");
	assert_string_equal(r->obs.alert_lines.v[1],
			    "alert_002_pack_check_failure severity=BLOCKING "
			    "runbook=.runs/local-alignment-audit-aba1c6/runbooks/pack_check_failure.md");
	run_free(&r);
	assert_null(r);
}

static void real_gate_not_from_fix_summary(void **state)
{
	size_t len;
	char *d = read_run_file("gate/gate_fix_summary.md", &len);
	struct mdv_gate *g = NULL;
	struct str_list w = {0};
	(void)state;
	/* gate_fix_summary.md has no `## Verdict` and no `verdict:` key: its
	 * nested `recommended_action: BOUNCE` must not become a verdict */
	assert_int_equal(mdv_gate_parse(d, len, "gate/gate_fix_summary.md", &g, &w, NULL), WZ_OK);
	assert_null(g->verdict.value);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.v[0], "gate/gate_fix_summary.md:1: no verdict"));
	mdv_gate_free(&g);
	str_list_free(&w);
	free(d);
}

static void real_deploy_sources(void **state)
{
	size_t len;
	char *d;
	struct mdv_time t;
	struct mdv_decision *dec = NULL;
	bool approx;
	char iso[32];
	(void)state;
	d = read_run_file("deploy/deployment_log.md", &len);
	assert_false(mdv_deploy_instant(d, len, &t));
	assert_true(mdv_merge_time(d, len, &t));
	assert_int_equal(t.line, 16);
	free(d);
	d = read_run_file("deploy/verification_report.md", &len);
	assert_false(mdv_deploy_instant(d, len, &t));
	assert_true(mdv_smoke_time(d, len, &t, &approx));
	assert_int_equal(t.line, 79); /* `* 2025-12-20T17:06:14Z — PR #2 merged …` */
	assert_false(approx);
	tp_format(t.t, iso, sizeof iso);
	assert_string_equal(iso, "2025-12-20T17:06:14Z");
	free(d);
	d = read_run_file("deploy/deployment_decision.md", &len);
	assert_int_equal(mdv_decision_parse(d, len, "d", &dec, NULL, NULL), WZ_OK);
	assert_true(dec->yaml_ok);
	assert_string_equal(dec->verdict.value, "NOT_DEPLOYED");
	assert_string_equal(dec->gate_verdict.value, "MERGE");
	assert_int_equal(dec->gate_verdict.line, 4);
	assert_false(dec->stamp.found); /* "No deployment timestamp is in that file." */
	assert_false(dec->deployed_at.found);
	mdv_decision_free(&dec);
	free(d);
}

static void real_cargo_log(void **state)
{
	char *p = shared_path(LOG_REL), *d = NULL;
	size_t len;
	struct wz_err err;
	struct mdt_counts k;
	(void)state;
	assert_int_equal(fio_read(p, FIO_DEFAULT_MAX, &d, &len, &err), WZ_OK);
	mdt_runner_log(d, len, &k);
	assert_true(k.found);
	assert_string_equal(k.runner, "cargo");
	assert_int_equal(k.nlines, 3);
	assert_true(k.v[MDT_PASSED] == 333 + 0 + 41);
	assert_true(k.has[MDT_FAILED] && k.v[MDT_FAILED] == 0);
	assert_true(k.has[MDT_SKIPPED] && k.v[MDT_SKIPPED] == 0);
	free(d);
	free(p);
}

static void real_markers_direct(void **state)
{
	size_t len;
	char *d = read_run_file("wisdom/feedback_actions.md", &len);
	struct mdm_count k;
	(void)state;
	mdm_count(d, len, MK_SUG, &k);
	assert_int_equal(k.counted, 6);
	/* 21 checkbox lines in all: the rest are indented acceptance criteria */
	mdm_count_pattern(d, len, "- [ ] ", &k);
	assert_int_equal(k.counted, 6);
	mdm_count(d, len, MK_INV_ISSUE, &k);
	assert_int_equal(k.counted, 4);
	assert_int_equal(k.first_line, 143);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_variants),
		cmocka_unit_test(smoke_block),
		cmocka_unit_test(real_run_fill),
		cmocka_unit_test(real_gate_not_from_fix_summary),
		cmocka_unit_test(real_deploy_sources),
		cmocka_unit_test(real_cargo_log),
		cmocka_unit_test(real_markers_direct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
