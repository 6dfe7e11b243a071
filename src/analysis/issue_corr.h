/* issue_corr.h - which GitHub issues talk about this run's failures.
 *
 * Pure: a list of issues (open and recently closed, fetched by the caller
 * through net/github) and the run's facts in; scored matches out, each
 * point with its reason. No network, no clock (now is passed in).
 *
 * Score (additive; text = title + body, matched case-insensitively, with
 * word boundaries so `foo` does not match `foobar`):
 *   run id mentioned                                  +5
 *   failing test, full name                           +4 each (at most 8)
 *   failing test, last name component (>= 6 chars)    +2 each when the
 *                                                     full name is absent
 *   touched file, path                                +3 each
 *   touched file, basename only (>= 5 chars, has '.') +1 each (files at most 4)
 *   error message (masked: digits and hex runs -> #): its first 60
 *     characters appear                               +3 each
 *   else >= 3 of its distinctive words (>= 5 letters) +1 each (errors at most 4)
 *   a hit in the title                                +1 once
 *   label bug|flaky|flaky-test|test-failure|regression|incident|ci  +1 once
 *   still open                                        +1
 * An issue closed more than `recent_days` before now is left out, as are
 * pull requests. Kept: score >= ICORR_MIN_SCORE; class LIKELY when
 * score >= ICORR_LIKELY, else POSSIBLE. Order: score desc, then updated
 * desc, then number asc.
 *
 * Ownership: inputs are borrowed; icorr_result_free() frees the result.
 */
#ifndef WZ_ANALYSIS_ISSUE_CORR_H
#define WZ_ANALYSIS_ISSUE_CORR_H

#include <stdbool.h>
#include <stddef.h>

#define ICORR_MIN_SCORE 3
#define ICORR_LIKELY 6
#define ICORR_RECENT_DAYS 30

/* One issue as the analyzer needs it (pointers borrowed). */
struct icorr_issue {
	long number;
	const char *title, *body, *state, *url;
	const char *const *labels;
	size_t nlabels;
	double created_at, updated_at, closed_at;  /* Unix s; NAN unknown */
	bool is_pull;
};

struct icorr_facts {
	const char *run_id;
	const char *const *failing_tests;
	size_t ntests;
	const char *const *touched_files;
	size_t nfiles;
	const char *const *errors;        /* error messages */
	size_t nerrors;
	double now;                        /* Unix s */
	int recent_days;                   /* 0: ICORR_RECENT_DAYS */
};

enum icorr_class { ICORR_POSSIBLE, ICORR_LIKELY_CLASS };

struct icorr_match {
	long number;
	size_t index;          /* into the input array */
	int score;
	enum icorr_class cls;
	bool open;
	char **reasons;        /* "+4 failing test `x` in body", ... */
	size_t nreasons;
};

struct icorr_result {
	bool skipped;
	char reason[160];      /* why skipped, e.g. GH_SKIP_NO_TOKEN's text */
	struct icorr_match *v;
	size_t n;
	size_t considered;     /* issues looked at (after the recency filter) */
};

/* Scores issues[0..n) against facts. */
void icorr_run(const struct icorr_facts *f, const struct icorr_issue *issues, size_t n,
	       struct icorr_result *out);
/* A skipped result (no token, no repository): out->reason = why. */
void icorr_skip(struct icorr_result *out, const char *why);
void icorr_result_free(struct icorr_result *r);
const char *icorr_class_word(enum icorr_class c);   /* likely|possible */

#endif
