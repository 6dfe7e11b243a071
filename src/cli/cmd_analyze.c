/* cmd_analyze.c - `wisdom analyze [RUN] [--repo DIR] [--json] [--out DIR]`:
 * open one run, run every analysis available, print the report (text or
 * wisdom-report/1 JSON) and optionally write both into DIR.
 * Exit: 0 ok, 1 something needs attention, 2 usage or input error. */
#include "config.h"
#include "cli/cli.h"
#include "investigation.h"
#include "analysis/audit.h"
#include "analysis/coverage.h"
#include "analysis/issues_gh.h"
#include "analysis/synthesis.h"
#include "analysis/tests_analysis.h"
#include "model/finding.h"
#include "model/inventory.h"
#include "sinks/report_json.h"
#include "sinks/report_tests.h"
#include "sinks/report_text.h"
#include "sources/cov_evidence.h"
#include "sources/extensions.h"
#include "sources/git.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What the analyzers produce for one run; the report is built from it. */
struct analysis_ctx {
	const struct run *run;
	const struct scan_hook *hook; /* file-scan progress on a terminal; NULL otherwise */
	double now;
	struct audit *audit;
	struct cov_result coverage;   /* §6.4 findings */
	const char *repo;             /* --repo DIR or NULL */
	struct ta_result *tests;      /* §6.1-§6.3: history, classes, blame */
	struct finding **tfind;       /* its findings */
	size_t ntfind, tfcap;
	struct learning_set *learn;   /* §9 synthesis over everything above */
	struct journal *jr;           /* decision states, read-only; NULL none */
	bool offline;                 /* --offline: no network */
	struct igh_result issues;     /* github-issues: correlated GitHub issues */
};

static void an_audit(struct analysis_ctx *c)
{
	c->audit = audit_run(c->run);
}

/* Coverage (§6.4): this run's evidence, earlier runs' evidence, and the
 * change from git when the run's repository can be opened. */
static void an_coverage(struct analysis_ctx *c)
{
	struct cov_evidence *head, **hist = NULL;
	size_t nhist = 0;
	double ht = NAN;
	struct wz_err err;
	struct git_repo *g = NULL;
	struct git_range range;
	struct chg_set *cs = NULL;
	struct cov_changes ch;
	struct cov_input in;
	char *note = NULL;

	memset(&range, 0, sizeof range);
	memset(&ch, 0, sizeof ch);
	wz_err_clear(&err);
	if (cov_gather_history_ex(c->run, c->hook, &hist, &nhist, &ht, &err) != WZ_OK)
		nhist = 0;
	if (cov_gather_ex(c->run, "", ht, true, c->hook, &head, &err) != WZ_OK)
		head = cov_evidence_new(c->run->id, "", ht);
	wz_err_clear(&err);
	if (!c->run->repo_root)
		note = xstrdup("the run has no repository folder");
	else if (git_repo_open(c->run->repo_root, &g, &err) != WZ_OK ||
		 git_range_for_run(g, c->run, &range, &err) != WZ_OK || git_changes(g, &range, &cs, &err) != WZ_OK)
		note = xstrdup(err.msg[0] ? err.msg : "git failed");
	else {
		cov_changes_from_chg(cs, &ch);
		/* old sides make LBC exact; without them it is partial (said so) */
		(void)cov_changes_old_sides(git_repo_dir(g), cs->base, cs->head, &ch, &err);
	}
	memset(&in, 0, sizeof in);
	in.head = head;
	in.earlier = (const struct cov_evidence *const *)hist;
	in.nearlier = nhist;
	in.changes = note ? NULL : &ch;
	in.changes_note = note;
	cov_analyze(&in, &c->coverage);
	free(note);
	cov_changes_clear(&ch);
	chg_set_free(&cs);
	git_range_clear(&range);
	git_repo_close(&g);
	cov_history_free(&hist, &nhist);
	cov_evidence_free(&head);
}

/* Tests (§6.1-§6.3): history across runs, classes, suspects and blame. */
static void an_tests(struct analysis_ctx *c)
{
	struct ta_opts o;
	struct wz_err err;

	memset(&o, 0, sizeof o);
	o.repo = c->repo;
	wz_err_clear(&err);
	if (ta_run(c->run, &o, &c->tests, &err) == WZ_OK)
		ta_findings(c->tests, &c->tfind, &c->ntfind, &c->tfcap);
}

/* Learning synthesis (§9): the pack's candidates, the audit, the receipts
 * and the other analyzers' findings; states from the journal, opened
 * read-only (nothing is written, no lock is taken). */
static void an_learnings(struct analysis_ctx *c)
{
	struct syn_input in;
	struct finding **all = xcalloc(c->coverage.n + c->ntfind + 1, sizeof *all);
	struct wz_err err;
	char *jpath = fio_join(c->run->path, "wisdom/.decisions.jsonl");

	if (c->coverage.n)
		memcpy(all, c->coverage.v, c->coverage.n * sizeof *all);
	if (c->ntfind)
		memcpy(all + c->coverage.n, c->tfind, c->ntfind * sizeof *all);
	memset(&in, 0, sizeof in);
	in.run = c->run;
	in.audit = c->audit;
	in.findings = (const struct finding *const *)all;
	in.nfindings = c->coverage.n + c->ntfind;
	c->learn = syn_build(&in);
	free(all);
	wz_err_clear(&err);
	if (fio_is_file(jpath) > 0 && jr_open(c->run->path, false, &c->jr, &err) != WZ_OK)
		c->jr = NULL;
	free(jpath);
}

/* GitHub issues mentioning the run's tests, files, errors or id; never
 * changes the exit status (a skip or an HTTP failure is said in the
 * report's "GitHub issues" section). */
static void an_github_issues(struct analysis_ctx *c)
{
	igh_run(c->run, c->tests, c->repo, c->offline, c->now, ext_getenv, NULL, &c->issues);
}

/* The analyzers `analyze` runs, in order. A later analyzer adds a row here
 * and its result to struct analysis_ctx and report_json.c (findings[]). */
static const struct {
	const char *name;
	void (*run)(struct analysis_ctx *c);
} analyzers[] = {
	{"audit", an_audit},
	{"coverage", an_coverage},
	{"tests", an_tests},
	{"github-issues", an_github_issues},
	{"learnings", an_learnings},
};

static void ctx_free(struct analysis_ctx *c)
{
	audit_free(&c->audit);
	cov_result_clear(&c->coverage);
	while (c->ntfind)
		finding_free(&c->tfind[--c->ntfind]);
	free(c->tfind);
	ta_result_free(&c->tests);
	learning_set_free(&c->learn);
	jr_close(&c->jr);
	igh_result_free(&c->issues);
}

static int write_out(const char *dir, const char *json, const char *text)
{
	struct wz_err err;
	char *p;
	enum wz_status st;

	wz_err_clear(&err);
	if (fio_mkdirs(dir, 0777, &err) != WZ_OK) {
		fprintf(stderr, "wisdom analyze: %s\n", err.msg);
		return 2;
	}
	p = fio_join(dir, "wisdom_report.json");
	st = fio_write_atomic(p, json, strlen(json), &err);
	free(p);
	if (st == WZ_OK) {
		p = fio_join(dir, "report.txt");
		st = fio_write_atomic(p, text, strlen(text), &err);
		free(p);
	}
	if (st != WZ_OK) {
		fprintf(stderr, "wisdom analyze: %s\n", err.msg);
		return 2;
	}
	return 0;
}

/* Progress of the git walks, on stderr only when it is a terminal. */
static bool an_progress_shown;

static void an_progress(void *name, size_t walked)
{
	fprintf(stderr, "\rwisdom analyze: %s: %zu commits walked ", (const char *)name, walked);
	an_progress_shown = true;
}

/* Progress of the file scans (the run's one walk, the report sniffing, the
 * earlier runs), on stderr only when it is a terminal: one line rewritten
 * in place, at most every 0.1 s. */
static double an_scan_last;

static void an_scan_progress(void *arg, size_t files, const char *phase)
{
	struct timespec ts;
	double t;
	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	if (t - an_scan_last < 0.1)
		return;
	an_scan_last = t;
	fprintf(stderr, "\r\033[Kwisdom analyze: %s: %zu ", phase, files);
	an_progress_shown = true;
}

int cmd_analyze(const struct cli_opts *o)
{
	struct wz_err err;
	struct investigation *inv = NULL;
	struct run *r = NULL;
	struct analysis_ctx ctx;
	struct ext_result be[EB_COUNT];
	struct rjson_input in;
	json_t *doc;
	struct finding **all;
	char *json = NULL, *text = NULL;
	size_t i;
	int rc;
	static const struct scan_hook scan_hook = { an_scan_progress, NULL, NULL, NULL };
	const struct scan_hook *hk = isatty(STDERR_FILENO) ? &scan_hook : NULL;

	if (o->nargs > 1) {
		fprintf(stderr, "wisdom analyze: one RUN at most (got %d arguments); see wisdom --help\n", o->nargs);
		return 2;
	}
	wz_err_clear(&err);
	if (inv_open_ex(o->nargs ? o->args[0] : NULL, o->repo, INV_RUN_ONLY, hk, &inv, &err) != WZ_OK) {
		if (an_progress_shown)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "wisdom analyze: %s\n", err.msg[0] ? err.msg : "no run found");
		return 2;
	}
	r = inv->run;
	memset(&ctx, 0, sizeof ctx);
	ctx.run = r;
	ctx.hook = hk;
	ctx.now = cli_now(o);
	ctx.repo = o->repo;
	ctx.offline = CLI_FLAG(o, offline);
	for (i = 0; i < sizeof analyzers / sizeof analyzers[0]; i++) {
		struct git_ctl gctl = { .progress = an_progress, .ctx = (void *)analyzers[i].name };
		if (isatty(STDERR_FILENO))
			git_ctl_set(&gctl);
		analyzers[i].run(&ctx);
		git_ctl_set(NULL);
	}
	if (an_progress_shown)
		fputs("\r\033[K", stderr);
	ext_detect(ext_getenv, NULL, be);

	memset(&in, 0, sizeof in);
	in.run = r;
	in.audit = ctx.audit;
	in.backends = be;
	in.now = ctx.now;
	all = xcalloc(ctx.coverage.n + ctx.ntfind + 1, sizeof *all);
	if (ctx.coverage.n)
		memcpy(all, ctx.coverage.v, ctx.coverage.n * sizeof *all);
	if (ctx.ntfind)
		memcpy(all + ctx.coverage.n, ctx.tfind, ctx.ntfind * sizeof *all);
	in.findings = (const struct finding *const *)all;
	in.nfindings = ctx.coverage.n + ctx.ntfind;
	in.tests = ctx.tests;
	in.learnings = ctx.learn;
	in.journal = ctx.jr;
	in.issues = &ctx.issues;
	doc = rjson_build(&in);
	rc = rjson_exit_status(doc);
	json = rjson_dump(doc);
	if (o->out) {
		text = rtext_render(doc, true);
		if (write_out(o->out, json, text) != 0)
			rc = 2;
		free(text);
		text = NULL;
	}
	if (rc != 2) {
		if (CLI_FLAG(o, json)) {
			fputs(json, stdout);
		} else {
			text = rtext_render(doc, rtext_locale_utf8());
			fputs(text, stdout);
		}
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "wisdom analyze: cannot write the report to standard output\n");
		rc = 2;
	}
	free(text);
	free(json);
	json_decref(doc);
	free(all);
	ctx_free(&ctx);
	inv_free(&inv);
	return rc;
}
