/* test_wisdom_md.c - the wisdom markdown/JSON writers on the real run
 * (copied to a scratch folder) with decisions made through the journal:
 * only accepted/edited items appear, with ids; Machine Summary keys and
 * counts; Inputs audit trail; gantt; receipt shape A recounted; edit
 * files; publish notes. Numbers counted by hand in the run's files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "investigation.h"
#include "sinks/wisdom_json.h"
#include "sinks/wisdom_md.h"
#include "util/xalloc.h"

#define RUNID "local-alignment-audit-aba1c6"

struct fx {
	char dir[64];
	struct investigation *inv;
	struct wmd_item *items;
	size_t n;
	struct wmd_input in;
};

static int count(const char *hay, const char *needle)
{
	int n = 0;
	const char *p = hay;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	const char *shared = getenv("SHARED");
	char *cmd, *rp;
	struct wz_err err;
	const char *acc[] = {"L-75bae4b33ea384c9", "L-23a17033ca72d9bb", "L-0a90cbf8d759bab8", "L-02cb6c4115fb3122",
			     "L-00c5ddf4aedf2985"};
	const char *rej[] = {"L-b53518c39952b59f"};
	strcpy(f->dir, "/tmp/wz-wmd-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	cmd = xasprintf("cp -R '%s/data/runs/dss-local-alignment-audit/.runs' '%s/' && chmod -R u+w '%s'",
			shared ? shared : "../shared", f->dir, f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	rp = xasprintf("%s/.runs/" RUNID, f->dir);
	assert_int_equal(inv_open(rp, NULL, INV_LEARNINGS | INV_JOURNAL_RW, &f->inv, &err), WZ_OK);
	free(rp);
	assert_int_equal(jr_decide(f->inv->jr, JR_ACCEPT, acc, 5, NULL, NULL, 1.0, &err), WZ_OK);
	assert_int_equal(jr_decide(f->inv->jr, JR_REJECT, rej, 1, NULL, "not ours", 2.0, &err), WZ_OK);
	assert_int_equal(jr_edit(f->inv->jr, "L-2d2e6a347fc11f89", "Title: Edited title\nLabels: a, b c\n\nEdited body\n", NULL,
				 3.0, &err), WZ_OK);
	assert_int_equal(jr_note(f->inv->jr, JR_PUBLISH, "L-75bae4b33ea384c9", "issue #12 hash=0123456789abcdef url=https://x/12",
				 4.0, &err), WZ_OK);
	wmd_items_build(f->inv->set, f->inv->jr, f->inv->run->path, &f->items, &f->n);
	f->in.run = f->inv->run;
	f->in.audit = f->inv->audit;
	f->in.items = f->items;
	f->in.nitems = f->n;
	f->in.level = WMD_PATHS;
	f->in.github_state = "skipped: test";
	f->in.version = "9.9";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	wmd_items_free(f->items, f->n);
	inv_free(&f->inv);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(cmd);
	free(f);
	return 0;
}

static const struct wmd_item *find(const struct fx *f, const char *id)
{
	size_t i;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].l->id, id) == 0)
			return &f->items[i];
	return NULL;
}

static void t_items(void **state)
{
	struct fx *f = *state;
	const struct wmd_item *e = find(f, "L-2d2e6a347fc11f89"), *p = find(f, "L-75bae4b33ea384c9");
	struct wmd_counts c;
	assert_int_equal(f->n, 28);   /* review.sh: 28 candidates */
	assert_non_null(e);
	assert_int_equal(e->state, JR_EDITED);
	assert_string_equal(e->title, "Edited title");
	assert_string_equal(e->body, "Edited body");
	assert_int_equal(e->labels.n, 2);
	assert_string_equal(e->labels.v[1], "b c");
	assert_int_equal(p->issue_number, 12);
	assert_string_equal(p->issue_hash, "0123456789abcdef");
	assert_string_equal(p->issue_url, "https://x/12");
	assert_int_equal(find(f, "L-b53518c39952b59f")->state, JR_REJECTED);
	wmd_count(f->items, f->n, &c);
	assert_int_equal(c.learnings, 1);
	assert_int_equal(c.actions, 1);
	assert_int_equal(c.pack_obs, 1);
	assert_int_equal(c.issue_drafts, 2);
	assert_int_equal(c.suggestions, 1);
	assert_int_equal(c.regressions, 0);
}

static void t_publish_note(void **state)
{
	long long n = 0;
	char *h = NULL, *u = NULL;
	(void)state;
	assert_int_equal(wmd_parse_publish_note("publish comment #3679628254 hash=ab url=-", "comment", &n, &h, &u), 1);
	assert_true(n == 3679628254LL);
	assert_string_equal(h, "ab");
	assert_string_equal(u, "-");
	assert_int_equal(wmd_parse_publish_note("issue #0 hash=ab", "issue", &n, NULL, NULL), 0);
	assert_int_equal(wmd_parse_publish_note("issue 12", "issue", &n, NULL, NULL), 0);
	assert_int_equal(wmd_parse_publish_note(NULL, "issue", &n, NULL, NULL), 0);
	free(h);
	free(u);
}

static void t_learnings(void **state)
{
	struct fx *f = *state;
	char *s = wmd_learnings(&f->in);
	assert_true(strncmp(s, "# Learnings from Run: " RUNID "\n\n## Machine Summary\nstatus: VERIFIED\n", 70) == 0);
	assert_non_null(strstr(s, "\nlearnings_extracted: 1\nactions: 1\npack_observations: 1\n"));
	assert_non_null(strstr(s, "\ngenerator: wisdom/9.9\n"));
	assert_non_null(strstr(s, "\n## Inputs\n"));
	assert_non_null(strstr(s, "- backend github: skipped: test\n"));
	assert_int_equal(count(s, "\n## Learning: "), 1);
	assert_non_null(strstr(s, "\n## Learning: Requirements\n\n- id: L-0a90cbf8d759bab8\n"));
	assert_int_equal(count(s, "\n- ACTION: "), 1);
	assert_non_null(strstr(s, "(L-23a17033ca72d9bb)\n"));
	assert_int_equal(count(s, "\n- PACK_OBS: "), 1);
	assert_null(strstr(s, "L-b53518c39952b59f"));   /* rejected: left out */
	assert_null(strstr(s, "L-1964f94b68711d36"));   /* proposed: left out */
	assert_non_null(strstr(s, "- Decisions: 5 accepted, 1 edited, 1 rejected, 21 proposed (left out)"));
	assert_non_null(strstr(s, "- Gate verdict: MERGE\n"));
	free(s);
}

static void t_feedback(void **state)
{
	struct fx *f = *state;
	char *s = wmd_feedback_actions(&f->in);
	assert_non_null(strstr(s, "\nfeedback_actions_created: 2\nsuggestions_created: 1\nissues_created: 1\n"));
	assert_int_equal(count(s, "\n- ISSUE: "), 2);
	assert_non_null(strstr(s, "- ISSUE: Edited title\n  - id: L-2d2e6a347fc11f89\n  - target_flow: 3\n  - labels: [a, b c]\n"));
	assert_int_equal(count(s, "\n- [ ] SUG-001: "), 1);
	assert_non_null(strstr(s, "\n## Issues Created\n\n- #12 https://x/12 L-75bae4b33ea384c9\n"));
	assert_non_null(strstr(s, "\n## Inventory (machine countable)\n\n- ISSUE_DRAFT: "));
	assert_int_equal(count(s, "\n- SUGGESTION: SUG-001 L-00c5ddf4aedf2985"), 1);
	/* evidence cited from the pack copy is shown at its original path */
	assert_null(strstr(s, "wisdom/.pack/feedback_actions.md:"));
	free(s);
}

static void t_audit_gantt(void **state)
{
	struct fx *f = *state;
	char *s = wmd_artifact_audit(&f->in);
	assert_non_null(strstr(s, "# Artifact Audit\n\n## Machine Summary\n"));
	assert_non_null(strstr(s, "\n## Matrix\n\n| Flow | Artifact | Need | State | Receipt | Note |\n"));
	assert_non_null(strstr(s, "\n```mermaid\ngantt\n"));
	/* six flows have a receipt completed_at before wisdom */
	assert_int_equal(count(s, " :done, ") + count(s, " :crit, "), 6);
	assert_non_null(strstr(s, "    build CANNOT_PROCEED :crit, "));
	assert_non_null(strstr(s, "| wisdom | this publish | - |\n"));
	free(s);
	s = wmd_regression_report(&f->in);
	assert_non_null(strstr(s, "\nregressions_found: 0\nbaseline_available: false\nseverity_summary:\n  critical: 0\n"));
	assert_non_null(strstr(s, "\n## Regression Register\n"));
	assert_non_null(strstr(s, "\n## Canonical Test Summary\n"));
	assert_non_null(strstr(s, "\n## Issue Correlation\n\n- #12 L-75bae4b33ea384c9\n"));
	free(s);
}

static void t_receipt(void **state)
{
	struct fx *f = *state;
	char *s = wjson_receipt(&f->in, "SKIPPED", "2025-12-22T10:00:00Z");
	json_t *d = json_loads(s, 0, NULL), *c;
	assert_non_null(d);
	c = json_object_get(d, "counts");
	assert_int_equal(json_integer_value(json_object_get(c, "learnings_extracted")), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "feedback_actions_created")), 3);
	assert_int_equal(json_integer_value(json_object_get(c, "suggestions_created")), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "pack_observations")), 1);
	/* six other receipts are present (the pack's own counter says 5) */
	assert_int_equal(json_integer_value(json_object_get(c, "flows_completed")), 6);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "flow_summary"), "build")), "CANNOT_PROCEED");
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "final_outcomes"), "deployment_verdict")),
			    "NOT_DEPLOYED");
	assert_true(json_is_true(json_object_get(d, "run_complete")));
	assert_string_equal(json_string_value(json_object_get(d, "github_reporting")), "SKIPPED");
	json_decref(d);
	free(s);
	s = wjson_flow_history(&f->in);
	d = json_loads(s, 0, NULL);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(d, "flows"), "wisdom"), "status")),
			    "IN_PROGRESS");
	assert_true(json_array_size(json_object_get(d, "events")) >= 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(d, "events"), 0), "t_source")),
			    "receipt_completed_at");
	json_decref(d);
	free(s);
}

static void t_evidence_levels(void **state)
{
	struct fx *f = *state;
	struct evidence e = {EV_ARTIFACT, "gate/merge_decision.md:12", "MERGE | ok", "pack", CONF_MEDIUM, false};
	struct wmd_input in = f->in;
	struct buf b = {0};
	in.level = WMD_FULL;
	in.link_base = "https://github.com/o/r/blob/abc/";
	wmd_evidence_line(&b, &in, &e);
	assert_string_equal(buf_str(&b), "- artifact: [gate/merge_decision.md:12](https://github.com/o/r/blob/abc/.runs/" RUNID
					 "/gate/merge_decision.md#L12) — MERGE \\| ok\n");
	buf_reset(&b);
	in.level = WMD_COUNTS;
	wmd_evidence_line(&b, &in, &e);
	assert_string_equal(buf_str(&b), "- artifact: `gate/merge_decision.md:12`\n");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(t_items),       cmocka_unit_test(t_publish_note), cmocka_unit_test(t_learnings),
		cmocka_unit_test(t_feedback),    cmocka_unit_test(t_audit_gantt),  cmocka_unit_test(t_receipt),
		cmocka_unit_test(t_evidence_levels),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
