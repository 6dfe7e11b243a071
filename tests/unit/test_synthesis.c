/* test_synthesis.c - learning synthesis (spec/analysis.md §9): W-26 ids,
 * W-27 ranks, the real run's candidates (counts checked by grepping
 * wisdom/learnings.md and wisdom/feedback_actions.md by hand), stable ids
 * across analyses and copies, merging, confidence, hostile and huge input. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/audit.h"
#include "analysis/playbook.h"
#include "analysis/synthesis.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define RUN_ID "local-alignment-audit-aba1c6"

static char *shared_runs(void)
{
	const char *sh = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	return sh && *sh ? xasprintf("%s/data/runs/dss-local-alignment-audit", sh)
			 : xasprintf("%s/../shared/data/runs/dss-local-alignment-audit", top ? top : ".");
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static void rm_rf(const char *p)
{
	nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *path, const char *text, size_t n)
{
	char *dir = xstrdup(path);
	struct wz_err err = {0};
	*strrchr(dir, '/') = '\0';
	assert_int_equal(fio_mkdirs(dir, 0755, &err), WZ_OK);
	assert_int_equal(fio_write_atomic(path, text, n, &err), WZ_OK);
	free(dir);
}

static struct learning_set *analyse(const char *spec, const char *repo, struct run **rout)
{
	struct run *r = NULL;
	struct wz_err err = {0};
	struct audit *a;
	struct syn_input in;
	struct learning_set *s;
	assert_int_equal(runs_open(spec, repo, &r, &err), WZ_OK);
	a = audit_run(r);
	memset(&in, 0, sizeof in);
	in.run = r;
	in.audit = a;
	s = syn_build(&in);
	audit_free(&a);
	if (rout)
		*rout = r;
	else
		run_free(&r);
	return s;
}

static const struct learning *by_title(const struct learning_set *s, const char *needle)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strstr(s->v[i].title, needle))
			return &s->v[i];
	fail_msg("no candidate titled like '%s'", needle);
	return NULL;
}

static void w26_ids(void **state)
{
	char id[LEARN_ID_LEN + 1];
	(void)state;
	assert_true(syn_fnv1a64("", 0) == UINT64_C(0xcbf29ce484222325));
	assert_true(syn_fnv1a64("a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	syn_id("regression", "tests/test_retry.py::test_retry_backoff", id);
	assert_string_equal(id, "L-a505f97876b74408");
	syn_id("observability_gap", "alert:payments.capture", id);
	assert_string_equal(id, "L-9279edaaee59090e");
}

static void w27_rank(void **state)
{
	struct learning_set *s = learning_set_new();
	struct {
		enum learn_kind k;
		enum fnd_severity sev;
		enum fnd_confidence conf;
		int src;
		double want;
	} w[] = {
		{LK_COVERAGE_DROP, SEV_MAJOR, CONF_LOW, 1, 0.9},
		{LK_FLAKY_TEST, SEV_MINOR, CONF_HIGH, 1, 2.0},
		{LK_REGRESSION, SEV_CRITICAL, CONF_HIGH, 3, 6.0},
		{LK_OBSERVABILITY_GAP, SEV_MAJOR, CONF_MEDIUM, 2, 2.25},
	};
	size_t i;
	(void)state;
	for (i = 0; i < 4; i++) {
		struct learning *l = syn_candidate(s, w[i].k, LO_FINDING, "x", NULL, "t", NULL);
		l->severity = w[i].sev;
		l->confidence = w[i].conf;
		l->rank = syn_rank(w[i].sev, w[i].conf, w[i].src);
		assert_true(fabs(l->rank - w[i].want) < 1e-3 * w[i].want);
	}
	syn_sort(s);
	assert_int_equal(s->v[0].kind, LK_REGRESSION);
	assert_int_equal(s->v[1].kind, LK_OBSERVABILITY_GAP);
	assert_int_equal(s->v[2].kind, LK_FLAKY_TEST);
	assert_int_equal(s->v[3].kind, LK_COVERAGE_DROP);
	assert_true(fabs(s->v[0].rank - 6.0) < 6e-3);
	assert_true(fabs(s->v[1].rank - 2.25) < 2.25e-3);
	assert_true(fabs(s->v[2].rank - 2.0) < 2e-3);
	assert_true(fabs(s->v[3].rank - 0.9) < 0.9e-3);
	learning_set_free(&s);
	assert_null(s);
}

static void real_run(void **state)
{
	char *root = shared_runs();
	struct run *r = NULL;
	struct learning_set *s = analyse(RUN_ID, root, &r);
	int by_origin[LO_COUNT] = {0};
	const struct learning *l;
	size_t i;
	(void)state;
	for (i = 0; i < s->n; i++) {
		by_origin[s->v[i].origin]++;
		if (getenv("SYN_DUMP")) {
			size_t k;
			printf("# %s %s %s %s %s %.3f %s\n#   %s\n", s->v[i].id, learn_origin_word(s->v[i].origin),
			       learn_kind_word(s->v[i].kind), fnd_severity_word(s->v[i].severity),
			       fnd_confidence_word(s->v[i].confidence), s->v[i].rank, s->v[i].title,
			       s->v[i].confidence_reason);
			for (k = 0; k < s->v[i].nev; k++)
				printf("#   ev %s | %s | %s\n", s->v[i].ev[k].locator, s->v[i].ev[k].excerpt ? s->v[i].ev[k].excerpt : "",
				       fnd_confidence_word(s->v[i].ev[k].confidence));
			for (k = 0; k < s->v[i].components.n; k++)
				printf("#   comp %s\n", s->v[i].components.v[k]);
		}
	}
	/* grep -c '^## Learning: ' learnings.md = 3, '^- ACTION: ' = 8,
	 * '^- PACK_OBS: ' = 6; feedback_actions.md '^- ISSUE: ' = 4,
	 * '^- \[ \] SUG-' = 6; and the build receipt's CANNOT_PROCEED */
	assert_int_equal(by_origin[LO_LEARNING], 3);
	assert_int_equal(by_origin[LO_ACTION], 8);
	assert_int_equal(by_origin[LO_PACK_OBS], 6);
	assert_int_equal(by_origin[LO_ISSUE_DRAFT], 4);
	assert_int_equal(by_origin[LO_SUGGESTION], 6);
	assert_int_equal(by_origin[LO_FINDING], 1);
	assert_int_equal(s->n, 28);
	/* the reader's own marker counts agree */
	assert_int_equal(r->markers[MK_LEARNING].counted, by_origin[LO_LEARNING]);
	assert_int_equal(r->markers[MK_ACTION].counted, by_origin[LO_ACTION]);
	assert_int_equal(r->markers[MK_PACK_OBS].counted, by_origin[LO_PACK_OBS]);
	assert_int_equal(r->markers[MK_ISSUE].counted, by_origin[LO_ISSUE_DRAFT]);
	assert_int_equal(r->markers[MK_SUG].counted, by_origin[LO_SUGGESTION]);

	/* build receipt: CANNOT_PROCEED/FIX_ENV, 3 blockers, and all 4
	 * missing_required entries exist on disk */
	l = by_title(s, "build receipt CANNOT_PROCEED (FIX_ENV)");
	assert_int_equal(l->kind, LK_PROCESS);
	assert_int_equal(l->origin, LO_FINDING);
	assert_int_equal(l->severity, SEV_MAJOR);
	assert_int_equal(l->confidence, CONF_HIGH);
	assert_int_equal(l->nev, 1 + 3 + 4);
	assert_int_equal(l->sources, 2);
	assert_string_equal(l->ev[0].locator, "build/build_receipt.json");
	assert_string_equal(l->ev[4].locator, "build/self_review.md");
	assert_string_equal(l->ev[5].locator, "build/impl_changes_summary.md");
	assert_non_null(strstr(l->title, "4 missing_required artifacts exist on disk"));
	assert_string_equal(l->out_playbook, ".claude/agents/build-cleanup.md");
	/* it ranks first: MAJOR x HIGH x 1.25 */
	assert_true(fabs(s->v[0].rank - 3.75) < 1e-9);
	assert_string_equal(s->v[0].id, l->id);

	/* learnings.md:14 "## Learning: Requirements", 3 cited artifacts */
	l = by_title(s, "Requirements: Close open questions at flow boundaries");
	assert_int_equal(l->origin, LO_LEARNING);
	assert_int_equal(l->nev, 4);
	assert_string_equal(l->ev[0].locator, "wisdom/learnings.md:14");
	assert_string_equal(l->ev[1].locator, "signal/requirements.md");
	assert_string_equal(l->ev[1].excerpt, "OQ-SIG-001, ASM-001 through ASM-005");
	assert_int_equal(l->ev[1].confidence, CONF_MEDIUM);
	assert_int_equal(l->confidence, CONF_MEDIUM);
	assert_string_equal(l->out_section, "learnings.md ## Learning: Requirements");
	assert_non_null(strstr(l->body, "### Evidence"));

	/* feedback_actions.md:31 ISSUE-DRAFT-001, labels security, hardening, deferred */
	l = by_title(s, "Address path traversal risk in secrets.rs");
	assert_int_equal(l->origin, LO_ISSUE_DRAFT);
	assert_int_equal(l->severity, SEV_MAJOR);
	assert_int_equal(l->out_labels.n, 3);
	assert_string_equal(l->out_labels.v[0], "security");
	assert_string_equal(l->out_labels.v[2], "deferred");
	assert_string_equal(l->ev[0].locator, "wisdom/feedback_actions.md:31");
	assert_int_equal(l->nev, 3);
	assert_string_equal(l->ev[1].locator, "gate/risk_assessment.md#RSK-001");
	assert_string_equal(l->ev[1].excerpt, "Path Traversal in secrets.rs (Deferred)");
	assert_string_equal(l->out_section, "feedback_actions.md ## Flow 3 - Build (Issue drafts + suggestions)");
	assert_non_null(l->out_issue_title);

	/* SUG-001 targets .claude/agents/risk-analyst.md */
	l = by_title(s, "Add branch protection status to early_risks.md template");
	assert_int_equal(l->origin, LO_SUGGESTION);
	assert_int_equal(l->kind, LK_PLAYBOOK_UPDATE);
	assert_string_equal(l->out_playbook, ".claude/agents/risk-analyst.md");
	assert_string_equal(l->ev[1].locator, "wisdom/regression_report.md#Recommended Next");

	/* PACK_OBS source "gate/receipt_audit.md (L17, L40-41)" -> path:17 */
	l = by_title(s, "Build receipt write failed due to directory permissions");
	assert_int_equal(l->origin, LO_PACK_OBS);
	assert_string_equal(l->ev[1].locator, "gate/receipt_audit.md:17");
	l = by_title(s, "Open questions remain OPEN even when evidence resolves them");
	assert_string_equal(l->ev[1].locator, "signal/requirements.md");
	assert_string_equal(l->ev[1].excerpt, "OQ-SIG-001 never closed despite proceeding with seven-flow model");
	l = by_title(s, "Add learnings.md creation to learning-synthesizer agent prompt");
	assert_string_equal(l->ev[1].locator, "wisdom/");
	assert_string_equal(l->ev[1].excerpt, "directory (learnings.md not found)");

	/* ids unique, "L-" + 16 lowercase hex */
	for (i = 0; i < s->n; i++) {
		size_t j;
		assert_int_equal(strlen(s->v[i].id), 18);
		assert_int_equal(strspn(s->v[i].id + 2, "0123456789abcdef"), 16);
		for (j = i + 1; j < s->n; j++)
			assert_string_not_equal(s->v[i].id, s->v[j].id);
		assert_true(s->v[i].nev >= 1);
	}
	learning_set_free(&s);
	run_free(&r);
	free(root);
}

static void ids_stable(void **state)
{
	char *root = shared_runs();
	char tmpl[] = "/tmp/wz-syn-XXXXXX";
	char *cmd, *copy;
	struct learning_set *a, *b, *c;
	size_t i;
	(void)state;
	a = analyse(RUN_ID, root, NULL);
	b = analyse(RUN_ID, root, NULL);
	assert_non_null(mkdtemp(tmpl));
	cmd = xasprintf("cp -R '%s/.runs' '%s/'", root, tmpl);
	assert_int_equal(system(cmd), 0);
	copy = xasprintf("%s/.runs/%s", tmpl, RUN_ID);
	c = analyse(copy, NULL, NULL);
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->n, c->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->v[i].id, b->v[i].id);
		assert_string_equal(a->v[i].id, c->v[i].id);
		assert_string_equal(a->v[i].src_hash, c->v[i].src_hash);
	}
	learning_set_free(&a);
	learning_set_free(&b);
	learning_set_free(&c);
	free(copy);
	free(cmd);
	rm_rf(tmpl);
	free(root);
}

/* Once wisdom has replaced learnings.md, the pack's copy in wisdom/.pack/ is read. */
static void pack_copy_preferred(void **state)
{
	char tmpl[] = "/tmp/wz-syn-XXXXXX";
	char *run, *p;
	struct run *r;
	struct learning_set *s;
	static const char packed[] = "# L\n\n## Learning: Only One\n\n### Recommendation\n\n- Do it\n\n- ACTION: act once\n";
	static const char mine[] = "# Learnings (wisdom)\n\n## Learning: Accepted\n\n- ACTION: a\n- ACTION: b\n";
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	run = xasprintf("%s/.runs/r1", tmpl);
	p = xasprintf("%s/wisdom/.pack/learnings.md", run);
	put(p, packed, strlen(packed));
	free(p);
	p = xasprintf("%s/wisdom/learnings.md", run);
	put(p, mine, strlen(mine));
	free(p);
	r = runs_load(run, NULL);
	s = learning_set_new();
	syn_from_pack(r, s);
	assert_int_equal(s->n, 2);
	assert_string_equal(s->v[0].title, "Only One: Do it");
	assert_string_equal(s->v[0].ev[0].locator, "wisdom/.pack/learnings.md:3");
	assert_string_equal(s->v[1].title, "act once");
	learning_set_free(&s);
	run_free(&r);
	free(run);
	rm_rf(tmpl);
}

static struct finding *mk(const char *an, const char *kind, const char *subj, const char *title,
			  enum fnd_severity sev, enum fnd_confidence conf, const char *comp)
{
	struct finding *f = finding_new(an, kind, subj, title);
	f->severity = sev;
	finding_add_evidence(f, EV_TEST, subj, "failed 3 of 10", conf);
	if (comp)
		str_list_push(&f->components, comp);
	return f;
}

static struct learning_set *from(struct finding **f, size_t n)
{
	struct syn_input in;
	memset(&in, 0, sizeof in);
	in.findings = (const struct finding *const *)f;
	in.nfindings = n;
	return syn_build(&in);
}

static void merging(void **state)
{
	struct finding *f[6];
	struct learning_set *s;
	char older[LEARN_ID_LEN + 1], newer[LEARN_ID_LEN + 1];
	const struct learning *l;
	size_t i;
	(void)state;
	/* 6 tokens vs 7 tokens, 6 shared: Jaccard 0.857, same test file */
	f[0] = mk("tests", "flaky_test", "tests/test_retry.py::test_a", "retry backoff test flaky on ci",
		  SEV_MINOR, CONF_LOW, "tests/test_retry.py");
	f[1] = mk("logs", "flaky_test", "tests/test_retry.py::test_b", "retry backoff test flaky on linux ci",
		  SEV_MAJOR, CONF_LOW, "tests/test_retry.py");
	/* similar title, no shared component: stays */
	f[2] = mk("tests", "flaky_test", "tests/test_other.py::test_a", "retry backoff test flaky on ci",
		  SEV_MINOR, CONF_LOW, "tests/test_other.py");
	/* same component, Jaccard 2/7 < 0.6: stays */
	f[3] = mk("tests", "flaky_test", "tests/test_retry.py::test_c", "slow fixture teardown hangs",
		  SEV_MINOR, CONF_LOW, "tests/test_retry.py");
	/* same id as f[3]: merges, max severity, evidence union */
	f[4] = mk("coverage", "flaky_test", "tests/test_retry.py::test_c", "slow fixture teardown hangs",
		  SEV_CRITICAL, CONF_MEDIUM, "tests/test_retry.py");
	/* INFO: below the candidate threshold */
	f[5] = mk("tests", "flaky_test", "tests/x.py::y", "info only", SEV_INFO, CONF_HIGH, NULL);
	syn_id("flaky_test", "tests/test_retry.py::test_a", older);
	syn_id("flaky_test", "tests/test_retry.py::test_b", newer);
	s = from(f, 6);
	assert_int_equal(s->n, 3);
	i = (size_t)learning_set_find(s, older);
	l = &s->v[i];
	assert_int_equal(learning_set_find(s, newer), (long)i);   /* via merged_ids */
	assert_int_equal(l->merged_ids.n, 1);
	assert_string_equal(l->merged_ids.v[0], newer);
	assert_int_equal(l->severity, SEV_MAJOR);
	assert_int_equal(l->nev, 2);
	assert_int_equal(l->sources, 2);
	assert_int_equal(l->confidence, CONF_MEDIUM);   /* LOW + 1: two analyzers agree */
	assert_non_null(strstr(l->confidence_reason, "2 analyzers agree"));
	l = &s->v[learning_set_find(s, s->v[0].id)];
	/* the same-id pair: CRITICAL, MEDIUM+1 = HIGH, rank 4 x 1 x 1.25 = 5 first */
	assert_int_equal(s->v[0].severity, SEV_CRITICAL);
	assert_int_equal(s->v[0].confidence, CONF_HIGH);
	assert_true(fabs(s->v[0].rank - 5.0) < 1e-9);
	assert_string_equal(s->v[0].title, "slow fixture teardown hangs");
	assert_true(syn_jaccard("a b c", "a b c") == 1.0);
	assert_true(fabs(syn_jaccard("Retry, backoff!", "retry backoff flaky") - 2.0 / 3.0) < 1e-9);
	assert_true(syn_jaccard("", "") == 0.0);
	for (i = 0; i < 6; i++)
		finding_free(&f[i]);
	learning_set_free(&s);
}

static void confidence_rules(void **state)
{
	struct finding *f[3];
	struct learning_set *s;
	(void)state;
	f[0] = mk("metrics", "regression", "svc:p95", "p95 up", SEV_MAJOR, CONF_HIGH, NULL);
	f[0]->input_missing = true;          /* HIGH - 1 */
	f[1] = mk("tests", "regression", "t::only_current", "only current failure", SEV_MAJOR, CONF_HIGH, NULL);
	f[1]->ev[0].current_failure_only = true;   /* capped at MEDIUM */
	f[2] = mk("tests", "regression", "t::noev", "no evidence", SEV_CRITICAL, CONF_HIGH, NULL);
	evidence_clear(&f[2]->ev[0]);
	f[2]->nev = 0;                       /* no evidence: no candidate */
	s = from(f, 3);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->v[0].confidence, CONF_MEDIUM);
	assert_int_equal(s->v[1].confidence, CONF_MEDIUM);
	assert_non_null(strstr(by_title(s, "p95 up")->confidence_reason, "-1: a required input was missing"));
	assert_non_null(strstr(by_title(s, "only current")->confidence_reason, "capped at MEDIUM"));
	assert_int_equal(s->warnings.n, 1);
	assert_non_null(strstr(s->warnings.v[0], "no evidence"));
	finding_free(&f[0]);
	finding_free(&f[1]);
	finding_free(&f[2]);
	learning_set_free(&s);
}

static void normalise(void **state)
{
	char *n;
	(void)state;
	n = syn_normalize("  24 **Markdown**  `violations` in run-x9 (MD022)\t\n", "run-x9");
	assert_string_equal(n, "# markdown violations in <run> (md#)");
	free(n);
	n = syn_normalize(NULL, NULL);
	assert_string_equal(n, "");
	free(n);
}

static void hostile_and_huge(void **state)
{
	char tmpl[] = "/tmp/wz-syn-XXXXXX";
	char *run, *p;
	struct run *r;
	struct learning_set *s;
	static const char evil[] = "## Learning: \x1b]0;pwned\x07" "Area\n\n"
				   "- ACTION: fix \x1b[31mred\x1b[0m and \xff\xfe bytes\r\n"
				   "- PACK_OBS: obs\n  - source: ../../etc/passwd (L1)\n";
	int fd;
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	run = xasprintf("%s/.runs/r1", tmpl);
	p = xasprintf("%s/wisdom/learnings.md", run);
	put(p, evil, sizeof evil - 1);
	free(p);
	/* a 200 MB sparse feedback_actions.md is refused with a warning */
	p = xasprintf("%s/wisdom/feedback_actions.md", run);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
	close(fd);
	free(p);
	r = runs_load(run, NULL);
	s = learning_set_new();
	syn_from_pack(r, s);
	assert_int_equal(s->n, 3);
	assert_non_null(strstr(s->v[0].title, "\x1b]0;pwned\x07" "Area"));
	assert_string_equal(s->v[1].title, "fix \x1b[31mred\x1b[0m and \xff\xfe bytes");
	/* a cited path escaping the run is never looked up: LOW */
	assert_int_equal(s->v[2].ev[1].confidence, CONF_LOW);
	assert_int_equal(s->warnings.n, 1);
	assert_non_null(strstr(s->warnings.v[0], "feedback_actions.md"));
	learning_set_free(&s);
	run_free(&r);
	free(run);
	rm_rf(tmpl);
}

static void missing_files(void **state)
{
	char tmpl[] = "/tmp/wz-syn-XXXXXX";
	char *run, *p;
	struct run *r;
	struct learning_set *s;
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	run = xasprintf("%s/.runs/r1", tmpl);
	p = xasprintf("%s/wisdom/learnings.md", run);
	put(p, "", 0);   /* empty */
	free(p);
	r = runs_load(run, NULL);
	s = learning_set_new();
	syn_from_pack(r, s);
	syn_from_receipts(r, s);
	assert_int_equal(s->n, 0);
	assert_int_equal(s->warnings.n, 0);
	learning_set_free(&s);
	run_free(&r);
	free(run);
	rm_rf(tmpl);
}

static void audit_gaps(void **state)
{
	struct audit a;
	struct audit_row rows[4];
	struct learning_set *s = learning_set_new();
	(void)state;
	memset(&a, 0, sizeof a);
	memset(rows, 0, sizeof rows);
	rows[0] = (struct audit_row){.flow = FLOW_BUILD, .artifact = "build/test_execution.md", .required = true,
				     .state = AUD_MISSING, .note = "no test counts"};
	rows[1] = (struct audit_row){.flow = FLOW_PLAN, .artifact = "plan/adr.md", .required = false, .state = AUD_STUB};
	rows[2] = (struct audit_row){.flow = FLOW_BUILD, .artifact = "build/x.md", .required = false, .state = AUD_MISSING};
	rows[3] = (struct audit_row){.flow = FLOW_GATE, .artifact = "gate/gate_receipt.json", .required = true,
				     .state = AUD_PRESENT};
	a.rows = rows;
	a.n = 4;
	syn_from_audit(NULL, &a, s);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->v[0].kind, LK_TEST_GAP);
	assert_int_equal(s->v[0].severity, SEV_MAJOR);
	assert_string_equal(s->v[0].title, "required build/test_execution.md is missing");
	assert_string_equal(s->v[0].ev[0].excerpt, "missing: no test counts");
	assert_int_equal(s->v[1].kind, LK_PROCESS);
	assert_int_equal(s->v[1].severity, SEV_MINOR);
	assert_null(s->v[1].out_issue_title);
	learning_set_free(&s);
}

/* Two runs that both stop in build, share a learning area and a failing
 * test: three kinds of playbook_update finding, which become candidates. */
static void playbook_patterns(void **state)
{
	char tmpl[] = "/tmp/wz-syn-XXXXXX";
	static const char rec[] = "{\"status\":\"CANNOT_PROCEED\",\"recommended_action\":\"FIX_ENV\",\"blockers\":[\"no access\"]}";
	static const char lrn[] = "# L\n\n## Learning: Branch Protection\n\ntext\n";
	static const char reg[] = "# R\n\n### REG-001: tests/test_a.py::test_x\n";
	const char *ids[] = {"r1", "r2", "r3"};
	struct finding **f = NULL;
	size_t nf = 0, i;
	struct run *r;
	struct learning_set *s;
	char *p;
	(void)state;
	assert_non_null(mkdtemp(tmpl));
	for (i = 0; i < 3; i++) {
		p = xasprintf("%s/.runs/%s/build/build_receipt.json", tmpl, ids[i]);
		put(p, i < 2 ? rec : "{\"status\":\"VERIFIED\"}", i < 2 ? strlen(rec) : 21);
		free(p);
		p = xasprintf("%s/.runs/%s/wisdom/learnings.md", tmpl, ids[i]);
		put(p, i < 2 ? lrn : "# L\n", i < 2 ? strlen(lrn) : 4);
		free(p);
		p = xasprintf("%s/.runs/%s/wisdom/regression_report.md", tmpl, ids[i]);
		put(p, reg, strlen(reg));
		free(p);
	}
	p = xasprintf("%s/.runs/r1", tmpl);
	r = runs_load(p, NULL);
	free(p);
	pb_scan_root(r, &f, &nf);
	if (getenv("SYN_DUMP"))
		for (i = 0; i < nf; i++)
			printf("# %s | %s | %zu ev\n", f[i]->subject, f[i]->title, f[i]->nev);
	/* build stopped in 2 of 3; "branch", "protection" in 2 runs; the test in 3 */
	assert_int_equal(nf, 4);
	assert_string_equal(f[0]->subject, "playbook:flow:build:stopped");
	assert_string_equal(f[0]->title, "build flow stopped (CANNOT_PROCEED or BOUNCE) in 2 of 3 runs");
	assert_int_equal(f[0]->nev, 2);
	assert_int_equal(f[0]->severity, SEV_MINOR);
	assert_string_equal(f[1]->subject, "playbook:theme:branch");
	assert_string_equal(f[2]->subject, "playbook:theme:protection");
	assert_string_equal(f[3]->subject, "playbook:test:tests/test_a.py::test_x");
	assert_int_equal(f[3]->severity, SEV_MAJOR);
	assert_int_equal(f[3]->nev, 3);
	assert_int_equal(f[3]->ev[0].confidence, CONF_HIGH);
	assert_non_null(strstr(f[3]->ev[0].locator, "wisdom/regression_report.md:3"));
	s = from(f, nf);
	assert_int_equal(s->n, 4);
	for (i = 0; i < s->n; i++)
		assert_int_equal(s->v[i].kind, LK_PLAYBOOK_UPDATE);
	learning_set_free(&s);
	for (i = 0; i < nf; i++)
		finding_free(&f[i]);
	free(f);
	/* one run alone shows no pattern */
	pb_scan((const struct run *const *)&r, 1, &f, &nf);
	assert_int_equal(nf, 0);
	assert_null(f);
	run_free(&r);
	rm_rf(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(w26_ids),
		cmocka_unit_test(w27_rank),
		cmocka_unit_test(real_run),
		cmocka_unit_test(ids_stable),
		cmocka_unit_test(pack_copy_preferred),
		cmocka_unit_test(merging),
		cmocka_unit_test(confidence_rules),
		cmocka_unit_test(normalise),
		cmocka_unit_test(hostile_and_huge),
		cmocka_unit_test(missing_files),
		cmocka_unit_test(audit_gaps),
		cmocka_unit_test(playbook_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
