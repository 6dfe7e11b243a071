/* coverage.h - the coverage analysis (spec/analysis.md §6.4): the run's
 * total line coverage against the base run, patch coverage of the changed
 * lines, per touched file test gaps (lcov-style UNC and LBC line lists),
 * and the trend over the last runs.
 *
 * Pure: evidence of this run and of earlier runs (model/coverage.h) and
 * the change (new-side hunks, optionally old sides) go in; findings
 * (model/finding.h, analyzer "coverage", kinds `coverage_drop` and
 * `test_gap`) come out. No I/O, no clock.
 *
 * Ownership: cov_changes owns its strings and arrays (cov_changes_clear());
 * cov_analyze() fills a cov_result whose findings the caller releases with
 * cov_result_clear(). Inputs are borrowed for the duration of a call.
 */
#ifndef WZ_ANALYSIS_COVERAGE_H
#define WZ_ANALYSIS_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/blame.h"
#include "model/coverage.h"
#include "model/finding.h"

/* X(name, value, meaning) - the §6.4 thresholds, one table. */
#define COV_RULE_TABLE(X)                                                        \
	X(COV_TOTAL_WARN_PP,    -1.0, "total delta at or below this (pp) is WARN")   \
	X(COV_TOTAL_FAIL_PP,    -5.0, "total delta at or below this (pp) is FAIL")   \
	X(COV_PATCH_MIN_LINES,  10.0, "patch coverage is judged from this many changed coverable lines") \
	X(COV_PATCH_WARN,       0.80, "patch coverage below this is WARN")           \
	X(COV_PATCH_FAIL,       0.50, "patch coverage below this is FAIL")           \
	X(COV_FILE_DROP_PP,      5.0, "a touched file dropping this many pp is a test gap") \
	X(COV_FILE_MIN_LINES,   20.0, "... when it has at least this many coverable lines") \
	X(COV_NEW_FILE_MIN,     0.50, "a new file below this coverage is a test gap") \
	X(COV_TREND_RUNS,        3.0, "down in each of this many last runs ...")    \
	X(COV_TREND_PP,          2.0, "... and by at least this many pp in total is WARN") \
	X(COV_AGREE_PP,          0.05, "sources of one run differing by more disagree")

#define COV_X(name, v, doc) static const double name = v;
COV_RULE_TABLE(COV_X)
#undef COV_X

#define COV_ANALYZER "coverage"
#define COV_KIND_DROP "coverage_drop"
#define COV_KIND_GAP "test_gap"
/* Subjects of the run-level findings (file findings use the file path). */
#define COV_SUBJ_TOTAL "line coverage"
#define COV_SUBJ_PATCH "patch coverage"
#define COV_SUBJ_TREND "line coverage trend"

/* A changed region at head: lines [start, start+count) (1-based; count 0 a
 * pure deletion after line start). The old side is optional: with it every
 * unchanged line maps to its base line; without it only the lines before
 * the first hunk and (from the file's adds/dels) after the last one do. */
struct cov_hunk {
	long start, count;
	bool has_old;
	long old_start, old_count;
};

struct cov_change {
	char *path;              /* at head (old path for a deletion) */
	char *old_path;          /* before a rename/copy, else NULL */
	enum chg_status status;
	long adds, dels;         /* -1 when unknown */
	struct cov_hunk *hunks;  /* sorted by start */
	size_t nhunks;
};

struct cov_changes {
	struct cov_change *v;
	size_t n;
};

/* Copies the base -> head file list of a change set (no old sides). */
void cov_changes_from_chg(const struct chg_set *s, struct cov_changes *out);
/* Adds one file (copies strings, takes nothing); returns it. */
struct cov_change *cov_changes_add(struct cov_changes *c, const char *path, const char *old_path,
				   enum chg_status st, long adds, long dels);
void cov_change_add_hunk(struct cov_change *f, long start, long count, bool has_old, long old_start,
			 long old_count);
void cov_changes_clear(struct cov_changes *c);

struct cov_input {
	const struct cov_evidence *head;                 /* required */
	const struct cov_evidence *const *earlier;       /* earlier runs, oldest first */
	size_t nearlier;
	const struct cov_changes *changes;               /* NULL: unknown */
	const char *changes_note;                        /* why changes are unknown */
};

struct cov_result {
	struct finding **v;
	size_t n, cap;
};

/* Runs §6.4: always a total, a patch and a trend finding (NO_DATA when
 * their inputs are missing), then one test_gap per touched file a rule
 * fires for, in path order. */
void cov_analyze(const struct cov_input *in, struct cov_result *out);
void cov_result_clear(struct cov_result *r);

/* A finding's number by key; NAN when absent. */
double cov_finding_number(const struct finding *f, const char *key);
/* The finding of out with this kind and subject, NULL if none. */
const struct finding *cov_result_find(const struct cov_result *r, const char *kind, const char *subject);

#endif
