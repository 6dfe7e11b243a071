/* tests_analysis.h - the Tests analysis of one run, end to end
 * (spec/analysis.md §6.1-§6.3): test history across runs (testhist.h) →
 * the run's commit range and changes (git.h) → suspect line ranges → a
 * bounded blame of exactly those ranges → reg_analyze() → findings.
 *
 * Without a repository, or when the run's commits are missing from it,
 * classification still runs and every attributed finding says why blame
 * is unavailable. Work is capped (failing tests attributed, blamed lines,
 * range pairs compared for related changes) and each cap that cut data
 * short is listed in `caps`.
 *
 * Merge commits are not scored as suspects unless blame puts a suspect
 * line on them: a clean merge's diff against its first parent is the
 * whole branch, not a change of its own.
 *
 * The drill-down helpers (ta_focus, ta_blame_lines, ta_show_commit) open
 * their own repository handle, so a UI job may call them on a worker
 * thread while the result is read elsewhere.
 *
 * Ownership: ta_run() hands back a struct ta_result freed with
 * ta_result_free(&r) (NULLs it); it owns the history, changes, blame and
 * findings inside. A struct ta_blame is freed with ta_blame_clear().
 */
#ifndef WZ_ANALYSIS_TESTS_ANALYSIS_H
#define WZ_ANALYSIS_TESTS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/regressions.h"
#include "model/blame.h"
#include "model/run.h"
#include "sources/git.h"
#include "sources/testhist.h"
#include "util/status.h"

#define TA_MAX_FAILURES    50     /* failing tests whose lines are blamed */
#define TA_MAX_BLAME_LINES 2000   /* lines blamed in one analysis */
#define TA_MAX_PAIRS       20     /* run-to-run ranges diffed for related changes */
#define TA_BLAME_CONTEXT   12     /* drill-down: lines around the focus line */

struct ta_opts {
	const char *repo;             /* --repo DIR; NULL: the run's repo_root, else its folder */
	size_t max_failures;          /* 0: TA_MAX_FAILURES */
	size_t max_blame_lines;       /* 0: TA_MAX_BLAME_LINES */
	const char *const *critical;  /* core-requirement/security test ids (substrings) */
	size_t ncritical;
};

struct ta_result {
	struct th_history *hist;
	struct reg_result *reg;       /* findings: class, numbers, suspects */
	char *repo_dir;               /* opened repository, NULL when none */
	bool has_range;
	struct git_range range;       /* base..head of the run (bound: oldest blamed) */
	struct chg_set *changes;      /* NULL when unknown */
	struct blame_set *blame;      /* suspect spans blamed; NULL when unavailable */
	char *blame_unavailable;      /* why not ("not a git repository: ..."), NULL when blamed */
	size_t blamed_lines;
	struct str_list caps;         /* limits that cut data short */
	struct str_list warnings;     /* problems met (malformed reports, ...) */
	/* counts by class (test findings; DURATION counted apart) */
	size_t regressions, persistent, current, infra, flaky, durations;
};

/* Runs the analysis for run. Fails (WZ_EUSAGE) only without a run folder;
 * everything else degrades into warnings / blame_unavailable. */
enum wz_status ta_run(const struct run *run, const struct ta_opts *opts, struct ta_result **out,
		      struct wz_err *err);
void ta_result_free(struct ta_result **r);

/* The findings as model/finding.h findings (analyzer "tests"; kind
 * "regression" for REGRESSION, PERSISTENT, CURRENT_FAILURE, INFRA and
 * DURATION, "flaky_test" for FLAKY; status the class word), appended to
 * *v[0..*n) (grown with xgrow; *cap tracks its capacity). */
struct finding;
void ta_findings(const struct ta_result *r, struct finding ***v, size_t *n, size_t *cap);

/* The finding of a test (first of its class order), or NULL. */
const struct reg_finding *ta_finding(const struct ta_result *r, const char *test_id);
/* The test's case in this run, or NULL; *report gets its report. */
const struct tr_case *ta_case(const struct ta_result *r, const char *test_id, const struct tr_report **report);

/* Where the drill-down looks: the first stack frame of the failing test in
 * a file changed by the run (non-test files first), else its first frame,
 * else its own file:line; lines [line-ctx, line+ctx] (start >= 1).
 * *path is malloc'd. False when the test has no location. */
bool ta_focus(const struct ta_result *r, const char *test_id, long ctx, char **path, long *line, long *start,
	      long *end);

/* A blamed range with the text of each line at the blamed revision. */
struct ta_blame {
	struct blame_set *set;        /* one span */
	char **text;                  /* text[i] is line set->v[0].start + i (may be NULL) */
	size_t ntext;
	char head[CHG_SHA_LEN + 1];   /* the revision blamed */
};
void ta_blame_clear(struct ta_blame *b);

/* Blames path lines [start, end] at rev (NULL: range->head), bounded by
 * range->bound, and reads those lines' text at rev. Opens repo_dir itself. */
enum wz_status ta_blame_lines(const char *repo_dir, const struct git_range *range, const char *rev,
			      const char *path, long start, long end, struct ta_blame *out, struct wz_err *err);
/* The first parent of rev (40 hex into out). */
enum wz_status ta_parent_of(const char *repo_dir, const char *rev, char out[CHG_SHA_LEN + 1], struct wz_err *err);
/* `git show`-like commit (git_commit_show) through a fresh handle. */
enum wz_status ta_show_commit(const char *repo_dir, const char *rev, struct chg_commit **out, struct wz_err *err);

#endif
