/* regressions.h - test regression classification, duration regressions and
 * blame attribution (spec/analysis.md §6.1-§6.3).
 *
 * Pure: this run's results, the earlier observations per test, the change
 * (commits, files, hunks) and blame go in; findings come out. No I/O, no
 * clock. Blame is computed by the caller (sources/git.h) for exactly the
 * line ranges reg_suspect_spans() asks for; without it the analysis still
 * runs and says "blame unavailable".
 *
 * Ownership: a reg_history owns copies of everything added
 * (reg_history_free()); reg_analyze() hands back a reg_result freed with
 * reg_result_free(&r); reg_spans_free() releases what reg_suspect_spans()
 * filled. Input pointers are borrowed for the duration of a call.
 */
#ifndef WZ_ANALYSIS_REGRESSIONS_H
#define WZ_ANALYSIS_REGRESSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/blame.h"
#include "model/run.h"
#include "model/testreport.h"

/* X(enum, word) - classes, first match wins (§6.1); DURATION is §6.2. */
#define REG_CLASS_TABLE(X)                           \
	X(REG_INFRA,           "INFRA")              \
	X(REG_FLAKY,           "FLAKY")              \
	X(REG_PERSISTENT,      "PERSISTENT")         \
	X(REG_REGRESSION,      "REGRESSION")         \
	X(REG_CURRENT_FAILURE, "CURRENT_FAILURE")    \
	X(REG_DURATION,        "DURATION")

enum reg_class {
#define REG_X(e, w) e,
	REG_CLASS_TABLE(REG_X)
#undef REG_X
	REG_CLASS_COUNT
};
const char *reg_class_name(enum reg_class c);

enum reg_severity { REG_CRITICAL, REG_MAJOR, REG_MINOR, REG_INFO };
enum reg_confidence { REG_HIGH, REG_MEDIUM, REG_LOW, REG_NONE };
const char *reg_severity_name(enum reg_severity s);
const char *reg_confidence_name(enum reg_confidence c);

/* Window and thresholds of §6.1/§6.2. */
#define REG_WINDOW        20
#define REG_INFRA_SHARE   0.8
#define REG_FRAME_SLACK   3

/* One earlier (or current) observation of a test. */
struct reg_obs {
	char *run_id;           /* may be NULL */
	char *sha;              /* commit/tree the run tested; NULL unknown */
	double time;            /* UTC seconds; orders observations */
	enum tr_status status;
	double duration;        /* seconds, < 0 unknown */
	bool related_changed;   /* the test's related files changed since the previous observation */
	bool rerun_passed;      /* failed, then passed on a rerun in the same run */
};

struct reg_test_history {
	char *test_id;
	struct reg_obs *v;      /* oldest first after reg_history_sort() */
	size_t n, cap;
};

struct reg_history {
	struct reg_test_history *v;
	size_t n, cap;
};

/* Adds a copy of o under test_id. */
void reg_history_add(struct reg_history *h, const char *test_id, const struct reg_obs *o);
/* Adds every test of a report as observations of one run. */
void reg_history_add_report(struct reg_history *h, const char *run_id, const char *sha, double time,
			    const struct tr_report *rep);
/* Sorts each test's observations by time (stable). */
void reg_history_sort(struct reg_history *h);
const struct reg_test_history *reg_history_get(const struct reg_history *h, const char *test_id);
void reg_history_free(struct reg_history *h);

/* A stack frame parsed from failure text: "path:line" or Python's
 * `File "path", line N`. */
struct reg_frame {
	char *file;
	long line;
};
/* Frames found in text (at most 64), in order, duplicates dropped. Caller
 * frees with reg_frames_free(). */
size_t reg_frames_parse(const char *text, struct reg_frame **out);
void reg_frames_free(struct reg_frame *f, size_t n);

struct reg_input {
	const struct tr_report *const *reports;   /* this run's results */
	size_t nreports;
	const char *sha;                /* what this run tested (may be NULL) */
	bool setup_error;               /* run-level collection/setup error */
	const struct reg_history *history;  /* earlier observations, not this run */
	const struct chg_set *changes;  /* base..head; NULL unknown */
	const struct blame_set *blame;  /* for reg_suspect_spans(); NULL: unavailable */
	const char *blame_unavailable;  /* why blame is missing (shown in reasons) */
	const char *const *critical;    /* test ids (substrings) of core-requirement/security tests */
	size_t ncritical;
};

/* Line ranges to blame (§6.3 step 2), one list over all failing tests. */
struct reg_span {
	char *path;
	long start, end;
};
struct reg_spans {
	struct reg_span *v;
	size_t n, cap;
};
void reg_suspect_spans(const struct reg_input *in, struct reg_spans *out);
void reg_spans_free(struct reg_spans *s);

/* One point given to a suspect commit and the rule behind it. */
struct reg_point {
	int points;
	char *rule;       /* "frame-line", "frame-file", "test-file", "related-file", "message" */
	char *detail;     /* e.g. "last changed src/payments/retry.c:88 (stack frame, ±3)" */
};

struct reg_suspect {
	char sha[CHG_SHA_LEN + 1];
	char *author;
	double time;
	char *summary;
	bool in_run;      /* in base..head */
	int score;
	double share;     /* score / Σ scores; 0 when Σ = 0 */
	struct reg_point *points;
	size_t npoints;
	struct str_list lines;   /* "path:a-b" ranges it last changed among the suspect lines */
};

struct reg_finding {
	char *test_id;
	enum reg_class cls;
	bool suspected;          /* FLAKY by flips only */
	enum reg_severity severity;
	enum reg_confidence confidence;
	enum tr_status status;   /* this run */
	/* history numbers (§6.1) */
	size_t nobs;             /* observations in the window, this run included */
	int flips;
	double flip_rate, fail_rate, p_fail_gt_1pct;
	int retries;             /* k to confirm against the flake rate; 0 n/a */
	/* durations (§6.2) */
	double duration, dur_ref, dur_modz, dur_ratio, dur_delta;
	struct str_list reasons;
	/* attribution (§6.3) */
	struct reg_suspect *suspects;   /* score descending, ties by sha */
	size_t nsuspects;
	enum reg_confidence attribution;
};

struct reg_result {
	struct reg_finding *v;   /* test id order, then class */
	size_t n, cap;
	bool infra;              /* the run is an INFRA run (no regressions) */
	size_t executed, failed;
};

void reg_analyze(const struct reg_input *in, struct reg_result **out);
void reg_result_free(struct reg_result **r);

#endif
