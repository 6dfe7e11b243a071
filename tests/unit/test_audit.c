/* test_audit.c - the artifact audit on the real run (counts checked by
 * listing its folders by hand) and on a mkdtemp run with empty, stub,
 * unparseable, missing and pack-disagreeing artifacts. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/audit.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static char *tmp;

static const struct audit_row *row(const struct audit *a, const char *artifact)
{
	size_t i;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].artifact, artifact) == 0)
			return &a->rows[i];
	fail_msg("no audit row %s", artifact);
	return NULL;
}

static bool has_row(const struct audit *a, const char *artifact)
{
	size_t i;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].artifact, artifact) == 0)
			return true;
	return false;
}

static void real_run(void **state)
{
	const char *sh = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	char *p = sh && *sh ? xasprintf("%s/data/runs/dss-local-alignment-audit", sh)
			    : xasprintf("%s/../shared/data/runs/dss-local-alignment-audit", top ? top : ".");
	struct run *r = NULL;
	struct wz_err err = {0};
	struct audit *a;
	const struct audit_row *x;
	size_t i;
	int with_pack = 0, f;
	(void)state;
	assert_int_equal(runs_open("local-alignment-audit-aba1c6", p, &r, &err), WZ_OK);
	a = audit_run(r);
	/* 67 table rows + 9 sealing-set rows x 7 flows = 130;
	 * the build folder lacks test_changes_summary.md, test_critique.md,
	 * code_critique.md, test_output.log and test_summary.md */
	assert_int_equal(a->n, 130);
	assert_int_equal(a->present, 125);
	assert_int_equal(a->missing_optional, 5);
	assert_int_equal(a->missing_required, 0);
	assert_int_equal(a->empty, 0);
	assert_int_equal(a->unparseable, 0);
	assert_int_equal(a->stub, 0);
	for (f = 0; f < FLOW_COUNT; f++) {
		assert_true(a->flows[f].present);
		assert_true(a->flows[f].expected);
	}
	assert_int_equal(a->flows[FLOW_BUILD].status, RS_CANNOT_PROCEED);
	/* the build receipt says 4 required artifacts are missing; all 4 exist */
	assert_int_equal(a->flows[FLOW_BUILD].receipt_missing_required.n, 4);
	assert_int_equal(a->flows[FLOW_BUILD].receipt_missing_but_present, 4);
	x = row(a, "build/test_execution.md");
	assert_true(x->required);
	assert_int_equal(x->state, AUD_PRESENT);
	assert_int_equal(x->size, 7806);
	assert_true(x->receipt_missing);
	assert_non_null(strstr(x->note, "receipt lists it as missing"));
	x = row(a, "build/test_critique.md");
	assert_false(x->required);
	assert_int_equal(x->state, AUD_MISSING);
	assert_int_equal(x->size, -1);
	assert_non_null(strstr(x->note, "not a test source"));
	x = row(a, "signal/features/*.feature");
	assert_int_equal(x->nfiles, 5);
	assert_int_equal(x->state, AUD_PRESENT);
	assert_true(row(a, "plan/adr.md")->required);
	assert_true(row(a, "plan/work_plan.md")->required);
	assert_int_equal(row(a, "review/review_worklist.json")->size, 15233);
	assert_int_equal(row(a, "wisdom/wisdom_receipt.json")->size, 1100);
	/* the pack's wisdom/artifact_audit.md matrix: 33 rows, all "present",
	 * all agree with the files */
	assert_string_equal(a->pack_audit, "wisdom/artifact_audit.md");
	for (i = 0; i < a->n; i++)
		if (a->rows[i].pack_state) {
			with_pack++;
			assert_string_equal(a->rows[i].pack_state, "present");
		}
	assert_int_equal(with_pack, 33);
	assert_int_equal(a->disagreements, 0);
	assert_string_equal(audit_state_word(AUD_UNPARSEABLE), "unparseable");
	assert_string_equal(audit_state_word(AUD_STUB), "stub");
	audit_free(&a);
	assert_null(a);
	run_free(&r);
	free(p);
}

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", tmp, rel);
	char *dir = xstrdup(p);
	struct wz_err err = {0};
	*strrchr(dir, '/') = '\0';
	assert_int_equal(fio_mkdirs(dir, 0755, &err), WZ_OK);
	assert_int_equal(fio_write_atomic(p, text, strlen(text), &err), WZ_OK);
	free(dir);
	free(p);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static void gaps_in_tmp_run(void **state)
{
	char tmpl[] = "/tmp/wz-audit-XXXXXX";
	struct run *r = NULL;
	struct wz_err err = {0};
	struct audit *a;
	const struct audit_row *x;
	char *run;
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	tmp = tmpl;
	run = xasprintf("%s/.runs/t", tmp);
	put(".runs/t/run_meta.json", "{\"run_id\":\"t\"}");
	put(".runs/t/signal/requirements.md", "");                       /* empty */
	put(".runs/t/signal/problem_statement.md", "  \n\t\n");          /* whitespace only */
	put(".runs/t/signal/features/a.feature", "Feature: a\n");
	put(".runs/t/plan/adr.md",                                       /* template only */
	    "# ADR\n\n## Decision\n\n<decision>\n\n## Machine Summary\nstatus: VERIFIED | UNVERIFIED\n"
	    "blockers: []\n- TBD\n\n| Option | Score |\n|---|---|\n| <opt> | <n> |\n---\n");
	put(".runs/t/plan/design_options.md", "# Options\n\nOPT-001 keeps the old path.\n");
	put(".runs/t/build/ac_status.json", "{\"summary\": {\"total\": 3,\n");
	put(".runs/t/build/build_receipt.json",
	    "{\"status\":\"UNVERIFIED\",\"missing_required\":[\"build/test_execution.md\",\"lint_report.md\"]}");
	put(".runs/t/wisdom/flow_plan.md", "# Flow plan\n- [x] audit\n");
	put(".runs/t/wisdom/artifact_audit.md",
	    "# Artifact Audit\n\n## Matrix\n\n| Flow | Artifact | Status | Notes |\n|---|---|---|---|\n"
	    "| build | `test_execution.md` | present | claimed |\n"
	    "| signal | extra_file.md | present | not there |\n"
	    "| plan | adr.md | present | stub but there |\n"
	    "| Gate | merge_decision.md | missing | gate never ran |\n\n## Notes\n"
	    "| build | lint_report.md | present | outside the matrix |\n");
	{
		/* a 200 MB sparse JSON artifact and a symlink loop */
		char *big = xasprintf("%s/.runs/t/build/subtask_context_manifest.json", tmp);
		char *loop = xasprintf("%s/.runs/t/build/lint_report.md", tmp);
		int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
		close(fd);
		assert_int_equal(symlink("lint_report.md", loop), 0);
		free(big);
		free(loop);
	}
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	a = audit_run(r);
	x = row(a, "build/subtask_context_manifest.json");
	assert_int_equal(x->state, AUD_PRESENT);
	assert_true(x->size == 200LL << 20);
	assert_non_null(strstr(x->note, "not parsed"));
	x = row(a, "build/lint_report.md");
	assert_int_equal(x->state, AUD_MISSING);
	assert_non_null(strstr(x->note, "symbolic link loop"));

	assert_int_equal(row(a, "signal/requirements.md")->state, AUD_EMPTY);
	assert_true(row(a, "signal/requirements.md")->required);
	assert_int_equal(row(a, "signal/requirements.md")->size, 0);
	assert_non_null(strstr(row(a, "signal/requirements.md")->note, "REQ"));
	assert_int_equal(row(a, "signal/problem_statement.md")->state, AUD_EMPTY);
	assert_int_equal(row(a, "signal/features/*.feature")->nfiles, 1);
	assert_int_equal(row(a, "plan/adr.md")->state, AUD_STUB);
	assert_int_equal(row(a, "plan/design_options.md")->state, AUD_PRESENT);
	/* adr.md exists (as a stub), so work_plan.md is only an alternative */
	x = row(a, "plan/work_plan.md");
	assert_int_equal(x->state, AUD_MISSING);
	assert_false(x->required);
	assert_non_null(strstr(x->note, "alternative to plan/adr.md"));
	x = row(a, "build/ac_status.json");
	assert_int_equal(x->state, AUD_UNPARSEABLE);
	assert_non_null(strstr(x->note, "build/ac_status.json:2:"));
	x = row(a, "build/test_execution.md");
	assert_int_equal(x->state, AUD_MISSING);
	assert_true(x->required);
	assert_true(x->receipt_missing);
	assert_non_null(strstr(x->note, "falls back to the build receipt"));
	assert_true(x->disagrees);                     /* pack says present */
	assert_string_equal(x->pack_state, "present");
	assert_int_equal(a->flows[FLOW_BUILD].receipt_missing_required.n, 2);
	assert_int_equal(a->flows[FLOW_BUILD].receipt_missing_but_present, 0);
	assert_true(row(a, "build/lint_report.md")->receipt_missing);
	assert_null(row(a, "build/lint_report.md")->pack_state);   /* outside ## Matrix */
	/* wisdom: neither learnings.md nor feedback_actions.md */
	x = row(a, "wisdom/learnings.md");
	assert_true(x->required);
	assert_int_equal(x->state, AUD_MISSING);
	x = row(a, "wisdom/feedback_actions.md");
	assert_false(x->required);
	assert_non_null(strstr(x->note, "carries the requirement"));
	/* pack rows: an extra artifact is added and checked; adr.md "present"
	 * while a stub is not a contradiction; gate never ran: no gate rows */
	x = row(a, "signal/extra_file.md");
	assert_int_equal(x->state, AUD_MISSING);
	assert_true(x->disagrees);
	assert_false(row(a, "plan/adr.md")->disagrees);
	assert_false(has_row(a, "gate/merge_decision.md"));
	assert_false(a->flows[FLOW_GATE].present);
	assert_false(a->flows[FLOW_REVIEW].expected);  /* 6-flow: past build, no review */
	assert_int_equal(a->disagreements, 2);
	/* requirements.md is empty, test_execution.md + learnings.md missing */
	assert_int_equal(a->missing_required, 2);
	assert_int_equal(a->empty, 2);
	assert_int_equal(a->stub, 1);
	assert_int_equal(a->unparseable, 1);
	assert_string_equal(a->pack_audit, "wisdom/artifact_audit.md");
	audit_free(&a);
	run_free(&r);
	free(run);
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	tmp = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_run),
		cmocka_unit_test(gaps_in_tmp_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
