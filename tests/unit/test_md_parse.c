/* test_md_parse.c - the markdown readers on synthetic input: every parsing
 * hazard of spec/run-artifacts.md §15 that applies to them, bad input, and
 * runmd_fill() on scratch runs (missing, empty, huge, looping files). */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/run.h"
#include "sources/md_markers.h"
#include "sources/md_obs.h"
#include "sources/md_summary.h"
#include "sources/md_tests.h"
#include "sources/md_verdicts.h"
#include "sources/runmd.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

/* ---- helpers -------------------------------------------------------------- */

static char *fixture(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char *p = xasprintf("%s/tests/fixtures/md/%s", top ? top : "..", name), *d = NULL;
	struct wz_err err;
	if (fio_read(p, FIO_DEFAULT_MAX, &d, len, &err) != WZ_OK)
		fail_msg("%s", err.msg);
	free(p);
	return d;
}

static struct mds *parse(const char *text)
{
	struct mds *m = NULL;
	assert_int_equal(mds_parse(text, strlen(text), "t.md", &m, NULL), WZ_OK);
	assert_non_null(m);
	return m;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A scratch run folder with flow subfolders. */
static char *scratch_run(void)
{
	static const char *const flows[] = {"build", "gate", "deploy", "wisdom", "plan", NULL};
	char *dir = xstrdup("/tmp/wz-runmd-XXXXXX");
	size_t i;
	assert_non_null(mkdtemp(dir));
	for (i = 0; flows[i]; i++) {
		char *p = fio_join(dir, flows[i]);
		assert_int_equal(mkdir(p, 0755), 0);
		free(p);
	}
	return dir;
}

static void put(const char *dir, const char *rel, const char *text, size_t len)
{
	char *p = fio_join(dir, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	free(p);
}

static void puts_file(const char *dir, const char *rel, const char *text)
{
	put(dir, rel, text, strlen(text));
}

static void rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static struct run *fill(const char *dir)
{
	struct run *r = run_new();
	r->path = xstrdup(dir);
	runmd_fill(r);
	return r;
}

static bool has_warning(const struct run *r, const char *needle)
{
	size_t i;
	for (i = 0; i < r->warnings.n; i++)
		if (strstr(r->warnings.v[i], needle))
			return true;
	return false;
}

/* ---- Machine Summary ------------------------------------------------------ */

static void flattened_and_templates(void **state)
{
	size_t len;
	char *d = fixture("flattened.md", &len);
	struct mds *m = NULL;
	const struct mds_item *it;
	struct mdt_counts k;
	(void)state;
	assert_int_equal(mds_parse(d, len, "flattened.md", &m, NULL), WZ_OK);
	assert_true(m->found);
	assert_false(m->from_yaml);
	/* list after blank lines, quoted item with a comma */
	it = mds_get(m, "concerns");
	assert_true(it->is_list);
	assert_int_equal(it->list.n, 2);
	assert_string_equal(it->list.v[1], "second, quoted");
	assert_int_equal(mds_get(m, "blockers")->list.n, 0);
	/* nested map flattened to column 0 */
	it = mds_get_in(m, "test_summary", "passed");
	assert_non_null(it);
	assert_string_equal(it->value, "7");
	assert_int_equal(it->line, 14);
	assert_null(mds_get_in(m, "test_summary", "skipped")->value);
	assert_null(mds_get_in(m, "test_summary", "route_to_agent")); /* control key ends the map */
	assert_true(mdt_from_summary(m, "test_summary", "", &k));
	assert_true(k.has[MDT_PASSED] && k.v[MDT_PASSED] == 7);
	assert_true(k.has[MDT_FAILED] && k.v[MDT_FAILED] == 1);
	assert_false(k.has[MDT_SKIPPED]);
	/* unfilled template values are null */
	it = mds_get(m, "route_to_agent");
	assert_null(it->value);
	assert_true(it->is_template);
	assert_null(mds_str(m, "route_to_flow"));
	assert_true(mds_get(m, "route_to_flow")->is_template);
	mds_free(&m);
	/* canonical line: tokens in any order, null kept unset */
	assert_true(mdt_canonical_line(d, len, &k));
	assert_int_equal(k.line, 20);
	assert_true(k.v[MDT_PASSED] == 7 && k.v[MDT_FAILED] == 1 && k.has[MDT_SKIPPED]);
	assert_false(k.has[MDT_XFAILED]);
	free(d);
}

static void swallowed_key(void **state)
{
	size_t len;
	char *d = fixture("swallowed.md", &len);
	struct mds *m = NULL;
	const struct mds_item *it;
	(void)state;
	assert_int_equal(mds_parse(d, len, "gate/swallowed.md", &m, NULL), WZ_OK);
	/* the fence is not valid YAML: a warning names file and line, then the
	 * line rules still find the key indented under the list item */
	assert_false(m->from_yaml);
	assert_int_equal(m->warnings.n, 1);
	assert_non_null(strstr(m->warnings.v[0], "gate/swallowed.md:8:"));
	it = mds_get(m, "missing_required");
	assert_non_null(it);
	assert_true(it->is_list);
	assert_int_equal(it->list.n, 1);
	assert_string_equal(it->list.v[0], "build/test_critique.md");
	assert_int_equal(it->depth, 0);
	assert_int_equal(mds_get(m, "concerns")->list.n, 1);
	assert_string_equal(mds_str(m, "status"), "UNVERIFIED"); /* not the one after the block */
	assert_int_equal(m->end_line, 11); /* the blank line before `## Notes` */
	mds_free(&m);
	free(d);
}

static void crlf_and_variants(void **state)
{
	size_t len;
	char *d = fixture("crlf.md", &len);
	struct mds *m = NULL;
	(void)state;
	assert_non_null(memchr(d, '\r', len));
	assert_int_equal(mds_parse(d, len, "crlf.md", &m, NULL), WZ_OK);
	assert_string_equal(mds_str(m, "status"), "VERIFIED");
	assert_string_equal(mds_get(m, "concerns")->list.v[0], "crlf item");
	mds_free(&m);
	free(d);

	/* false friend and near misses */
	m = parse("### Machine Summary Schema Compliance\nstatus: X\n#####  Machine Summary\n"
		  "## machine summary\n##Machine Summary\n");
	assert_false(m->found);
	mds_free(&m);
	/* yaml fence with unfilled templates and quoted null */
	m = parse("## Machine Summary\n```yaml\nstatus: VERIFIED | UNVERIFIED\nroute_to_agent: <agent-name>\n"
		  "reason: \"\"\ncount: 3\n```\n");
	assert_true(m->from_yaml);
	assert_null(mds_str(m, "status"));
	assert_true(mds_get(m, "status")->is_template);
	assert_null(mds_str(m, "route_to_agent"));
	assert_null(mds_str(m, "reason"));
	assert_int_equal(mds_get(m, "count")->line, 6);
	mds_free(&m);
	/* unclosed fence (truncated file) */
	m = parse("## Machine Summary\n```yaml\nstatus: VERIFIED\nrecommended_act");
	assert_int_equal(m->warnings.n, 1);
	assert_non_null(strstr(m->warnings.v[0], "t.md:4: code fence"));
	assert_string_equal(mds_str(m, "status"), "VERIFIED");
	mds_free(&m);
	/* empty and NULL input */
	assert_int_equal(mds_parse("", 0, "e", &m, NULL), WZ_OK);
	assert_false(m->found);
	mds_free(&m);
	assert_int_equal(mds_parse(NULL, 0, NULL, &m, NULL), WZ_OK);
	assert_false(m->found);
	mds_free(&m);
	assert_int_equal(mds_parse("x", 1, "e", NULL, NULL), WZ_EUSAGE);
}

static void hostile_bytes(void **state)
{
	/* invalid UTF-8, NULs and escape sequences never crash; keys stay exact */
	static const char text[] = "## Machine Summary\nstatus: \xff\xfe\x1b[31mRED\x1b[0m\n"
				   "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\: 1\nkey\0: v\n- orphan\n";
	struct mds *m = NULL;
	(void)state;
	assert_int_equal(mds_parse(text, sizeof text - 1, "b.md", &m, NULL), WZ_OK);
	assert_true(m->found);
	assert_non_null(mds_str(m, "status"));
	assert_null(mds_get(m, "link"));
	mds_free(&m);
	/* deep flow nesting in a yaml fence */
	{
		struct buf b = {0};
		int i;
		buf_puts(&b, "## Machine Summary\n```yaml\nk: ");
		for (i = 0; i < 5000; i++)
			buf_putc(&b, '[');
		buf_puts(&b, "\n```\n");
		assert_int_equal(mds_parse(b.p, b.len, "deep.md", &m, NULL), WZ_OK);
		assert_int_equal(m->warnings.n, 1);
		mds_free(&m);
		buf_free(&b);
	}
}

/* ---- markers, obs --------------------------------------------------------- */

static void markers_synthetic(void **state)
{
	static const char t[] = "### REG-001: a\n### REG-01: short\n  ### REG-002: indented\n"
				"### reg-003: case\n### REG-004:\n- [ ] SUG-12 x\n- [x] SUG-13\n"
				"- [ ] SUG-\n### NFR-SEC-001\n### NFR-001\n- **suggestions**: 9\n";
	struct mdm_count k;
	double v;
	int line;
	(void)state;
	mdm_count(t, sizeof t - 1, MK_REG, &k);
	assert_int_equal(k.counted, 2);
	assert_int_equal(k.first_line, 1);
	mdm_count(t, sizeof t - 1, MK_SUG, &k);
	assert_int_equal(k.counted, 1);
	assert_int_equal(k.first_line, 6);
	mdm_count(t, sizeof t - 1, MK_NFR, &k);
	assert_int_equal(k.counted, 1);
	assert_true(mdm_stated(t, sizeof t - 1, "suggestions", &v, &line));
	assert_true(v == 9);
	assert_int_equal(line, 11);
	assert_false(mdm_stated("suggestions: 5.5\nsuggestions: x\n", 31, "suggestions", &v, &line));
	mdm_count(NULL, 0, MK_REG, &k);
	assert_int_equal(k.counted, 0);
}

static void obs_synthetic(void **state)
{
	static const char t[] = "# Spec\n- SLO: body_slo target=1 window=2\n```\n## Inventory\n- METRIC: fenced\n```\n"
				"## Inventory (machine countable)\n\n- METRIC: none type=N/A labels=[]\n"
				"- METRIC: m1 type=gauge labels=[a, b]\n  - METRIC: sub\n- SLO: s1 target=<50ms window=30s\n"
				"### Detail\n- ALERT: a1 severity=MAJOR runbook=TBD\n## Next\n- SLO: after\n";
	struct mdo *o = NULL;
	(void)state;
	assert_int_equal(mdo_parse(t, sizeof t - 1, &o, NULL), WZ_OK);
	assert_true(o->present);
	assert_int_equal(o->heading_line, 7);
	assert_int_equal(o->counts[MDO_METRIC], 1);
	assert_int_equal(o->counts[MDO_SLO], 1);
	assert_int_equal(o->counts[MDO_ALERT], 1); /* a deeper heading stays inside */
	assert_int_equal(o->sentinels, 1);
	assert_int_equal(o->n, 4);
	assert_string_equal(o->entries[2].rest, "target=<50ms window=30s");
	mdo_free(&o);
	assert_null(o);
	/* prose-only spec: no inventory, not zero */
	assert_int_equal(mdo_parse("**Metric Name**: x\n- SLO: y\n", 27, &o, NULL), WZ_OK);
	assert_false(o->present);
	mdo_free(&o);
}

/* ---- runner logs, summaries ----------------------------------------------- */

static void runner_logs(void **state)
{
	size_t len;
	char *d;
	struct mdt_counts k;
	(void)state;
	d = fixture("pytest.log", &len);
	mdt_runner_log(d, len, &k);
	assert_string_equal(k.runner, "pytest");
	assert_int_equal(k.nlines, 1);
	assert_int_equal(k.line, 5);
	assert_true(k.v[MDT_PASSED] == 5 && k.v[MDT_FAILED] == 1);
	free(d);
	d = fixture("jest.log", &len);
	mdt_runner_log(d, len, &k);
	assert_string_equal(k.runner, "jest");
	assert_true(k.v[MDT_PASSED] == 5 && k.v[MDT_FAILED] == 1 && k.v[MDT_SKIPPED] == 2);
	free(d);
	/* cargo FAILED line, windows paths, progress CRs, and a mix */
	{
		static const char t[] = "Running unittests src\\lib.rs (target\\debug\\x.exe)\n"
					"50%\rtest result: FAILED. 3 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n"
					"== 1 passed in 0.01s ==\n";
		mdt_runner_log(t, sizeof t - 1, &k);
		assert_string_equal(k.runner, "mixed");
		assert_true(k.v[MDT_PASSED] == 4 && k.v[MDT_FAILED] == 2 && k.v[MDT_SKIPPED] == 1);
	}
	mdt_runner_log("no summary here\n", 16, &k);
	assert_false(k.found);
}

static void summary_md_variants(void **state)
{
	struct mdt_counts k;
	static const char a[] = "# Test Summary\n\nResult: PASS\n\n| Metric | Value |\n|---|---|\n"
				"|   Passed   |   12   |\n| **Failed** | 0 |\n";
	(void)state;
	assert_true(mdt_summary_md(a, sizeof a - 1, &k));
	assert_true(k.v[MDT_PASSED] == 12 && k.has[MDT_FAILED] && k.v[MDT_FAILED] == 0);
	assert_int_equal(k.line, 7);
	assert_true(mdt_summary_md("x\npassed=3 failed=1\n", 20, &k));
	assert_int_equal(k.line, 2);
	assert_false(mdt_summary_md("# Test Summary\n", 15, &k));
	assert_true(mdt_runner_summary_line("## Test Runner Summary (Canonical)\n\n"
					    "test result: ok. 9 passed; 0 failed; 0 ignored\n", 83, &k));
	assert_true(k.v[MDT_PASSED] == 9);
	assert_int_equal(k.line, 3);
	{
		struct mdt_coverage cv;
		static const char c1[] = "x\n## Coverage Result (Canonical): 89.29% (1476/1653 lines covered)\n";
		assert_true(mdt_coverage_line(c1, sizeof c1 - 1, &cv));
		assert_int_equal(cv.line, 2);
		assert_true(cv.has_percent && fabs(cv.percent - 89.29) < 1e-9);
		assert_true(cv.has_lines && cv.covered == 1476 && cv.total == 1653);
		assert_true(mdt_coverage_line("## Coverage Result (Canonical): null\n", 37, &cv));
		assert_false(cv.has_percent);
		assert_false(mdt_coverage_line("coverage 80%\n", 13, &cv));
	}
}

/* ---- verdicts and deploy time --------------------------------------------- */

static void gate_variants(void **state)
{
	struct mdv_gate *g = NULL;
	struct str_list w = {0};
	static const char a[] = "## Verdict\n\n**BOUNCE** — coverage\n\n## Machine Summary\nverdict: MERGE\n"
				"reason: FIX_REQUIRED\n";
	static const char b[] = "# Merge\n## Decision\nWe **Merge** this.\n";
	static const char c[] = "## Machine Summary\n```yaml\nverdict: MERGE_WITH_CONDITIONS\nreason: null\n```\n";
	(void)state;
	assert_int_equal(mdv_gate_parse(a, sizeof a - 1, "gate/merge_decision.md", &g, &w, NULL), WZ_OK);
	assert_string_equal(g->verdict.value, "BOUNCE");
	assert_int_equal(g->verdict.line, 3);
	assert_string_equal(g->reason.value, "FIX_REQUIRED");
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.v[0], "gate/merge_decision.md:6: Machine Summary verdict MERGE disagrees"));
	mdv_gate_free(&g);
	str_list_free(&w);
	mdv_gate_parse(b, sizeof b - 1, "g", &g, &w, NULL);
	assert_string_equal(g->verdict.value, "MERGE");
	assert_string_equal(g->verdict.what, "## Decision");
	mdv_gate_free(&g);
	mdv_gate_parse(c, sizeof c - 1, "g", &g, &w, NULL);
	assert_string_equal(g->verdict.value, "MERGE_WITH_CONDITIONS");
	assert_null(g->reason.value);
	mdv_gate_free(&g);
	str_list_free(&w);
}

static void decision_variants(void **state)
{
	struct mdv_decision *d = NULL;
	struct str_list w = {0};
	char iso[32];
	static const char fs[] = "# Deploy\n**Timestamp**: 2025-01-02T03:04:05+00:00Z\n"
				 "```yaml\nmerge:\n  timestamp: 2025-01-02T01:00:00Z\ndeployment_verdict: STABLE\n```\n";
	static const char bad[] = "```yaml\ndeployment_verdict: [STABLE\n```\n## Machine Summary\n"
				  "deployment_verdict: BLOCKED_BY_GATE\n";
	static const char tmpl[] = "```yaml\ndeployment_verdict: STABLE | NOT_DEPLOYED\n";
	(void)state;
	mdv_decision_parse(fs, sizeof fs - 1, "d.md", &d, &w, NULL);
	assert_string_equal(d->verdict.value, "STABLE");
	assert_int_equal(d->verdict.line, 6);
	assert_true(d->stamp.found);
	assert_string_equal(d->stamp.what, "merge.timestamp");
	tp_format(d->stamp.t, iso, sizeof iso);
	assert_string_equal(iso, "2025-01-02T01:00:00Z");
	mdv_decision_free(&d);
	mdv_decision_parse(bad, sizeof bad - 1, "d.md", &d, &w, NULL);
	assert_string_equal(d->verdict.value, "BLOCKED_BY_GATE");
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.v[0], "d.md:"));
	mdv_decision_free(&d);
	str_list_free(&w);
	mdv_decision_parse(tmpl, sizeof tmpl - 1, "d.md", &d, &w, NULL);
	assert_null(d->verdict.value);
	assert_int_equal(w.n, 1); /* not closed */
	mdv_decision_free(&d);
	str_list_free(&w);
}

static void deploy_time_tables(void **state)
{
	struct mdv_time t;
	char iso[32];
	static const char padded[] = "## Merge Details\n\n|   Field   |   Value   |\n|---|---|\n"
				     "|   **Merged At**   |   2025-12-20T12:06:14-05:00   |\n";
	static const char timeline[] = "## Timeline\n\n| Timestamp (UTC) | Event |\n|---|---|\n"
				       "| 2025-03-01T10:00:00Z | tag v1 created |\n"
				       "| 2025-03-01T09:00:00Z | PR merged |\n"
				       "| 2025-03-01T11:00:00Z | Deployed to production |\n";
	static const char smoke[] = "# V\n**Timestamp**: 2025-12-20T17:30:00 (approx)\n";
	bool approx;
	(void)state;
	assert_true(mdv_merge_time(padded, sizeof padded - 1, &t));
	assert_int_equal(t.line, 5);
	tp_format(t.t, iso, sizeof iso);
	assert_string_equal(iso, "2025-12-20T17:06:14Z");
	assert_true(mdv_merge_time(timeline, sizeof timeline - 1, &t));
	assert_int_equal(t.line, 6); /* earliest merge/tag/release row */
	assert_true(mdv_deploy_instant(timeline, sizeof timeline - 1, &t));
	assert_int_equal(t.line, 7);
	assert_true(mdv_smoke_time(smoke, sizeof smoke - 1, &t, &approx));
	assert_true(approx);
	assert_true(t.flags & TP_ZONELESS);
	assert_false(mdv_merge_time("", 0, &t));
}

/* ---- runmd_fill on scratch runs ------------------------------------------- */

static void fill_empty_and_missing(void **state)
{
	char *dir = scratch_run();
	struct run *r;
	(void)state;
	unsetenv("WISDOM_DEPLOY_TIME");
	r = fill(dir);
	assert_int_equal(r->ntests, 0);
	assert_null(r->merge_verdict.v);
	assert_true(isnan(r->deploy_time));
	assert_null(r->deploy_time_source);
	assert_false(r->markers[MK_SUG].file_present);
	assert_false(r->obs.present);
	assert_int_equal(r->warnings.n, 0);
	run_free(&r);
	/* empty files everywhere */
	puts_file(dir, "build/test_execution.md", "");
	puts_file(dir, "gate/merge_decision.md", "");
	puts_file(dir, "deploy/deployment_decision.md", "");
	puts_file(dir, "plan/observability_spec.md", "");
	puts_file(dir, "wisdom/feedback_actions.md", "");
	r = fill(dir);
	assert_int_equal(r->ntests, 0);
	assert_true(r->markers[MK_SUG].file_present);
	assert_int_equal(r->markers[MK_SUG].counted, 0);
	assert_false(r->markers[MK_SUG].stated.has);
	assert_true(has_warning(r, "gate/merge_decision.md:1: no verdict"));
	assert_true(has_warning(r, "deploy/deployment_decision.md:1: no deployment_verdict"));
	assert_true(has_warning(r, "plan/observability_spec.md:1: no `## Inventory`"));
	run_free(&r);
	rm_rf(dir);
	free(dir);
}

static void fill_deploy_order(void **state)
{
	char *dir = scratch_run();
	struct run *r;
	char iso[32];
	(void)state;
	unsetenv("WISDOM_DEPLOY_TIME");
	/* 8: receipt only, approximate */
	r = run_new();
	r->path = xstrdup(dir);
	r->flows[FLOW_DEPLOY].receipt.completed_at = 1766251009;
	runmd_fill(r);
	assert_true(r->deploy_time == 1766251009);
	assert_true(r->deploy_time_approximate);
	assert_non_null(strstr(r->deploy_time_source, "deploy/deploy_receipt.json"));
	run_free(&r);
	/* 5: flow_history merged_at beats the smoke timestamp */
	puts_file(dir, "deploy/verification_report.md", "**Timestamp**: 2025-12-20T17:30:00Z\n");
	puts_file(dir, "wisdom/flow_history.json", "{\"timing\":{\"merged_at\":\"2025-12-20T17:06:14Z\"}}");
	r = fill(dir);
	assert_string_equal(r->deploy_time_source, "wisdom/flow_history.json merged_at");
	run_free(&r);
	/* 6 alone: approximate */
	puts_file(dir, "wisdom/flow_history.json", "{broken");
	r = fill(dir);
	assert_true(r->deploy_time_approximate);
	assert_string_equal(r->deploy_time_source, "deploy/verification_report.md:1 smoke **Timestamp**");
	assert_true(has_warning(r, "wisdom/flow_history.json:1: unparseable JSON"));
	run_free(&r);
	/* 3 then 2: an explicit deploy instant wins, the merge shown beside */
	puts_file(dir, "deploy/deployment_log.md", "| Merged At | 2025-12-20T17:06:14Z |\n");
	r = fill(dir);
	assert_string_equal(r->deploy_time_source, "deploy/deployment_log.md:1 Merged At");
	run_free(&r);
	puts_file(dir, "deploy/deployment_decision.md",
		  "```yaml\ndeployment_verdict: STABLE\ndeployed_at: 2025-12-20T18:00:00Z\n```\n");
	r = fill(dir);
	tp_format(r->deploy_time, iso, sizeof iso);
	assert_string_equal(iso, "2025-12-20T18:00:00Z");
	assert_string_equal(r->deploy_time_source, "deploy/deployment_decision.md:3 deployed_at; merged "
			    "2025-12-20T17:06:14Z (deploy/deployment_log.md:1)");
	assert_string_equal(r->deployment_verdict.v, "STABLE");
	run_free(&r);
	/* 1: the environment overrides everything; bad values are ignored */
	setenv("WISDOM_DEPLOY_TIME", "1700000000", 1);
	r = fill(dir);
	assert_true(r->deploy_time == 1700000000);
	run_free(&r);
	setenv("WISDOM_DEPLOY_TIME", "yesterday", 1);
	r = fill(dir);
	assert_true(has_warning(r, "WISDOM_DEPLOY_TIME: cannot read"));
	assert_non_null(strstr(r->deploy_time_source, "deployed_at"));
	run_free(&r);
	unsetenv("WISDOM_DEPLOY_TIME");
	rm_rf(dir);
	free(dir);
}

static void fill_bad_files(void **state)
{
	char *dir = scratch_run();
	struct run *r;
	char *p;
	int fd;
	(void)state;
	unsetenv("WISDOM_DEPLOY_TIME");
	/* invalid UTF-8 and escapes: read anyway, warned with a line */
	puts_file(dir, "gate/merge_decision.md", "# M\n\n## Verdict\n\n\x1b[31mMERGE\x1b[0m \xc3\x28\n");
	/* symlink loop */
	p = fio_join(dir, "build/test_execution.md");
	assert_int_equal(symlink(p, p), 0);
	free(p);
	/* 100 MB sparse markdown: refused fast; 300 MB sparse log: streamed
	 * (holes are not read), its one NUL line cut */
	p = fio_join(dir, "wisdom/learnings.md");
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)100 << 20), 0);
	close(fd);
	free(p);
	p = fio_join(dir, "build/test_output.log");
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)300 << 20), 0);
	close(fd);
	free(p);
	/* CRLF summary with test counts */
	puts_file(dir, "build/test_summary.md", "# Summary\r\n- Passed: 4\r\n- Failed: 1\r\n");
	{
		double t0 = now_s();
		r = fill(dir);
		assert_true(now_s() - t0 < 5.0);
	}
	assert_true(has_warning(r, "gate/merge_decision.md:5: invalid UTF-8"));
	assert_non_null(r->merge_verdict.v);
	assert_true(has_warning(r, "build/test_execution.md: "));
	assert_true(has_warning(r, "wisdom/learnings.md: "));
	assert_true(has_warning(r, "build/test_output.log:1: 1 line longer than 64 KiB (longest 314572800 bytes)"));
	assert_true(has_warning(r, "build/test_output.log:1: no cargo, pytest or jest summary line found"));
	assert_false(r->markers[MK_LEARNING].file_present);
	assert_int_equal(r->ntests, 1);
	assert_string_equal(r->tests[0].source, "build/test_summary.md");
	assert_true(r->tests[0].passed.v == 4 && r->tests[0].failed.v == 1);
	assert_int_equal(r->tests[0].src.line, 2);
	run_free(&r);
	rm_rf(dir);
	free(dir);
}

static void fill_tests_disagree(void **state)
{
	char *dir = scratch_run();
	struct run *r;
	size_t len;
	char *log = fixture("pytest.log", &len);
	(void)state;
	put(dir, "build/test_output.log", log, len);
	free(log);
	puts_file(dir, "build/test_execution.md", "## Test Summary (Canonical): passed=6 failed=0\n");
	puts_file(dir, "build/test_critique.md", "## Machine Summary\ncoverage_summary:\n  tests_passed: 6\n"
		  "  tests_failed: 0\n  line_percent: 80\n");
	r = fill(dir);
	assert_int_equal(r->ntests, 3);
	assert_non_null(strstr(r->tests[1].source, "coverage_summary"));
	assert_true(r->tests[1].passed.v == 6);
	assert_int_equal(r->tests[1].passed.src.line, 2);
	assert_non_null(strstr(r->tests[2].source, "pytest"));
	assert_true(r->tests[2].passed.v == 5 && r->tests[2].failed.v == 1);
	assert_true(has_warning(r, "build/test_output.log:5: "));
	run_free(&r);
	rm_rf(dir);
	free(dir);
}

/* ---- scale ---------------------------------------------------------------- */

static void hundred_megabytes(void **state)
{
	size_t target = (size_t)100 << 20, n = 0;
	static const char unit[] = "- SLO: s target=1 window=2\n  key: value\n- [ ] SUG-1 x\n"
				   "test result: ok. 1 passed; 0 failed; 0 ignored\n";
	char *big = xmalloc(target + 64);
	struct mds *m = NULL;
	struct mdo *o = NULL;
	struct mdm_count k;
	struct mdt_counts c;
	double t0;
	size_t units = 0;
	(void)state;
	memcpy(big, "## Inventory\n## Machine Summary\n", 32);
	n = 32;
	while (n + sizeof unit - 1 <= target) {
		memcpy(big + n, unit, sizeof unit - 1);
		n += sizeof unit - 1;
		units++;
	}
	t0 = now_s();
	assert_int_equal(mds_parse(big, n, "big.md", &m, NULL), WZ_OK);
	/* bounded: the block is cut after 100000 lines, with a warning */
	assert_true(m->n > 20000 && m->n <= 100000);
	assert_int_equal(m->warnings.n, 1);
	assert_non_null(strstr(m->warnings.v[0], "big.md:100003: Machine Summary is over"));
	mds_free(&m);
	assert_int_equal(mdo_parse(big, n, &o, NULL), WZ_OK);
	assert_false(o->present && o->counts[MDO_SLO] > 0); /* section ended by the next heading */
	mdo_free(&o);
	mdm_count(big, n, MK_SUG, &k);
	assert_true((size_t)k.counted == units);
	mdt_runner_log(big, n, &c);
	assert_true((size_t)c.v[MDT_PASSED] == units);
	assert_true(now_s() - t0 < 30.0);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flattened_and_templates),
		cmocka_unit_test(swallowed_key),
		cmocka_unit_test(crlf_and_variants),
		cmocka_unit_test(hostile_bytes),
		cmocka_unit_test(markers_synthetic),
		cmocka_unit_test(obs_synthetic),
		cmocka_unit_test(runner_logs),
		cmocka_unit_test(summary_md_variants),
		cmocka_unit_test(gate_variants),
		cmocka_unit_test(decision_variants),
		cmocka_unit_test(deploy_time_tables),
		cmocka_unit_test(fill_empty_and_missing),
		cmocka_unit_test(fill_deploy_order),
		cmocka_unit_test(fill_bad_files),
		cmocka_unit_test(fill_tests_disagree),
		cmocka_unit_test(hundred_megabytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
