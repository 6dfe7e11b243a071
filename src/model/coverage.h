/* coverage.h - the coverage evidence of one run (spec/run-artifacts.md §8,
 * §14): every measured value with the place it was read from, the
 * thresholds the plan sets, and the per-file, per-line data of each
 * coverage report found (Cobertura, JaCoCo, lcov).
 *
 * Filled by sources/cov_evidence.c (or by hand in tests), read by
 * analysis/coverage.c. Nothing here does I/O.
 *
 * Ownership: a struct cov_evidence owns every string and array inside it;
 * cov_evidence_free(&e) releases it all and NULLs e. A cov_report owns its
 * files, a cov_file its lines. Strings are untrusted bytes as read
 * (sanitise before drawing).
 *
 * Percentages here are 0-100 as the artifacts write them; the analysis
 * turns them into fractions where it computes.
 */
#ifndef WZ_MODEL_COVERAGE_H
#define WZ_MODEL_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "model/testreport.h"

/* X(enum, word) - where a measured value came from, strongest first. */
#define COV_SOURCE_TABLE(X)                                   \
	X(COV_SRC_REPORT,        "coverage report")           \
	X(COV_SRC_CANONICAL,     "canonical coverage line")   \
	X(COV_SRC_SUMMARY,       "test_summary.coverage_percent") \
	X(COV_SRC_BUILD_RECEIPT, "build receipt coverage")    \
	X(COV_SRC_GATE_RECEIPT,  "gate receipt counts")       \
	X(COV_SRC_GATE_TABLE,    "gate coverage_audit table")

enum cov_source {
#define COV_X(e, w) e,
	COV_SOURCE_TABLE(COV_X)
#undef COV_X
	COV_SRC_COUNT
};
const char *cov_source_word(enum cov_source s);

/* X(enum, word) - what a value measures. */
#define COV_METRIC_TABLE(X)              \
	X(COV_M_LINE,   "line")          \
	X(COV_M_BRANCH, "branch")        \
	X(COV_M_PATH,   "critical path")

enum cov_metric {
#define COV_X(e, w) e,
	COV_METRIC_TABLE(COV_X)
#undef COV_X
	COV_M_COUNT
};
const char *cov_metric_word(enum cov_metric m);

/* One measured value. Unknown is explicit: has_percent false for `null`,
 * `N/A` or a missing number. */
struct cov_value {
	enum cov_source kind;
	enum cov_metric metric;
	bool has_percent;
	double percent;          /* 0-100 */
	bool has_lines;
	long long covered, total;
	char *raw;               /* the value as written ("null", "73.23", "N/A"), may be NULL */
	char *required_raw;      /* gate table: the Required cell */
	char *status;            /* gate table: the Status cell */
	char *label;             /* gate table: the Metric cell; report: its format */
	char *where;             /* "path:line" (line omitted when unknown) */
};

/* A plan threshold marker (`- COVERAGE_LINE_REQUIRED: 70`). */
struct cov_threshold {
	bool present;            /* the marker line exists */
	bool has;                /* it holds a number (`null` = not applicable) */
	double percent;
	char *raw;               /* value text as written */
	char *where;             /* "plan/test_plan.md:45" */
};

struct cov_line {
	long line;
	unsigned long long hits;
};

struct cov_file {
	char *path;
	struct cov_line *lines;  /* sorted by line, one per line after cov_report_finish() */
	size_t n, cap;
	long long found, hit;
};

struct cov_report {
	char *where;             /* path shown to people (run-relative or absolute) */
	enum tr_format format;
	struct cov_file *files;  /* in the report's order */
	size_t nfiles, cap;
	long long found, hit;    /* counted from the lines */
	bool malformed;
	char *error;             /* parse problem (recovered part kept), may be NULL */
};

struct cov_evidence {
	char *run_id;
	char *label;             /* how paths of this run are prefixed ("" or "../<folder>/") */
	double time;             /* orders runs; NAN when unknown */
	struct cov_value *values;
	size_t nvalues, values_cap;
	struct cov_threshold line_required, branch_required;
	struct cov_threshold critical_path;   /* raw holds the path, has = a path is named */
	struct cov_report *reports;
	size_t nreports, reports_cap;
	struct str_list notes;   /* problems met while gathering */
};

struct cov_evidence *cov_evidence_new(const char *run_id, const char *label, double time);
void cov_evidence_free(struct cov_evidence **e);

/* Appends a zeroed value (where copied) and returns it; valid until the next add. */
struct cov_value *cov_add_value(struct cov_evidence *e, enum cov_source kind, enum cov_metric m,
				const char *where);
void cov_threshold_set(struct cov_threshold *t, const char *raw, const char *where);

/* Appends an empty report and returns it; valid until the next add. */
struct cov_report *cov_add_report(struct cov_evidence *e, const char *where, enum tr_format fmt);
/* Copies the per-file lines of a parsed report (Cobertura, JaCoCo, lcov)
 * into a new report of e, then finishes it. */
struct cov_report *cov_add_tr_report(struct cov_evidence *e, const char *where,
				     const struct tr_report *tr);
/* The file entry for path in rep (created on first use). */
struct cov_file *cov_report_file(struct cov_report *rep, const char *path);
void cov_file_add_line(struct cov_file *f, long line, unsigned long long hits);
/* Sorts lines, merges duplicates (hits summed, saturating) and counts. */
void cov_report_finish(struct cov_report *rep);

/* The file of rep for a repository path: exact match first, then one that
 * ends with "/"+path or that path ends with "/"+its path. NULL if none. */
const struct cov_file *cov_report_find(const struct cov_report *rep, const char *path);
/* True when line is coverable in f; *hits set. */
bool cov_file_hits(const struct cov_file *f, long line, unsigned long long *hits);

/* A leading number of s (quotes and blanks skipped, `%` allowed after);
 * false for null, N/A, text or a non-finite value. */
bool cov_parse_percent(const char *s, double *out);

/* covered/coverable as a fraction; NAN when coverable is 0. */
double cov_ratio(long long covered, long long coverable);

/* The report the analysis uses for per-file data: the first report with at
 * least one coverable line; NULL when none. */
const struct cov_report *cov_evidence_primary(const struct cov_evidence *e);

/* The run's line coverage: from the primary report (counted lines), else
 * the first line value of the strongest source that has a number (has
 * false when nothing has one). percent is 0-100; where is borrowed from e. */
struct cov_total {
	bool has;
	double percent;
	bool has_lines;
	long long covered, total;
	const char *where;
	enum cov_source kind;
};
struct cov_total cov_evidence_line_total(const struct cov_evidence *e);

#endif
