/* testreport.h - results read from one standard test or coverage report.
 *
 * One struct tr_report per file: the per-test results (JUnit, go test -json,
 * TAP) or the per-file line coverage (Cobertura, JaCoCo, lcov), the totals
 * counted from them, the totals the file itself declares (kept beside, never
 * instead), and what went wrong while reading (malformed input keeps the part
 * recovered before the break). Counting rules: spec/run-artifacts.md §14.
 *
 * Ownership: a tr_report owns every string and array inside it;
 * tr_report_free(&r) releases all and sets r to NULL. The per-test strings
 * readers store (id, suite, classname, name, file) live in the report's
 * string arena (suite and classname interned: many entries share one copy);
 * message and text are heap strings. Code that builds entries itself may
 * still assign xstrdup()'d strings to any field: tr_case.in_arena records
 * which fields the arena owns, everything else is freed with the report.
 * Never free() a field yourself; replace it with tr_case_put() or the
 * tr_case_set_*() helpers. Strings copied from files are raw bytes (may hold
 * control characters or invalid UTF-8): sanitise before printing to a
 * terminal (tr_sanitize()).
 *
 * Keep policy: a report may be told (tr_report_new_keep) to store only the
 * entries a caller lists -- failures and errors, at most keep_max of them.
 * Readers ask tr_admit() before storing an entry and call tr_count_only()
 * for the rest, so totals are exact while memory does not grow with the
 * passing results.
 */
#ifndef WZ_MODEL_TESTREPORT_H
#define WZ_MODEL_TESTREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

/* X(id, name) - report formats, detected from content. */
#define TR_FORMAT_TABLE(X)                 \
	X(TR_FMT_UNKNOWN,   "unknown")     \
	X(TR_FMT_JUNIT,     "junit")       \
	X(TR_FMT_GOJSON,    "go-json")     \
	X(TR_FMT_TAP,       "tap")         \
	X(TR_FMT_COBERTURA, "cobertura")   \
	X(TR_FMT_JACOCO,    "jacoco")      \
	X(TR_FMT_LCOV,      "lcov")

enum tr_format {
#define TR_X(id, name) id,
	TR_FORMAT_TABLE(TR_X)
#undef TR_X
	TR_FMT_COUNT
};
const char *tr_format_name(enum tr_format f);
bool tr_format_is_coverage(enum tr_format f);

/* X(id, name) - per-test status as later analyses see it (analysis.md §6). */
#define TR_STATUS_TABLE(X)         \
	X(TR_PASS,  "PASS")        \
	X(TR_FAIL,  "FAIL")        \
	X(TR_ERROR, "ERROR")       \
	X(TR_SKIP,  "SKIP")        \
	X(TR_XFAIL, "XFAIL")       \
	X(TR_XPASS, "XPASS")

enum tr_status {
#define TR_X(id, name) id,
	TR_STATUS_TABLE(TR_X)
#undef TR_X
	TR_STATUS_COUNT
};
const char *tr_status_name(enum tr_status s);

/* The counting bucket of a test (§14 totals). Differs from the status for
 * e.g. pytest xfail (status XFAIL, counted as skipped) and TAP TODO (status
 * XFAIL/XPASS, counted as todo). */
enum tr_bucket { TR_B_PASSED, TR_B_FAILED, TR_B_ERROR, TR_B_SKIPPED, TR_B_TODO };

/* What an entry is: a test, or a problem outside any test. */
enum tr_kind {
	TR_K_TEST = 0,        /* counted in `tests` */
	TR_K_PACKAGE_ERROR,   /* go: package failed with no failed test; counted in `errors` only */
	TR_K_SUITE_ERROR,     /* junit: <error>/<failure> directly in a <testsuite>; listed, not counted */
};

/* Bounds on text kept per test. */
#define TR_MESSAGE_MAX 512
#define TR_TEXT_MAX    (16u << 10)

/* String fields of a tr_case (bit numbers of tr_case.in_arena). */
enum tr_field { TR_F_ID, TR_F_SUITE, TR_F_CLASSNAME, TR_F_NAME, TR_F_MESSAGE, TR_F_TEXT, TR_F_FILE };

/* What a reader stores of the per-test entries. */
enum tr_keep {
	TR_KEEP_ALL = 0,      /* every entry (history, analyze, the console) */
	TR_KEEP_FAILURES,     /* FAIL/ERROR entries only (not TODO), at most keep_max;
				 the others are counted, not stored */
};
#define TR_KEEP_MAX_DEFAULT 100000
/* Bytes of failure text kept over all stored entries in TR_KEEP_FAILURES
 * mode; later entries keep their message but not their text. */
#define TR_KEEP_TEXT_BUDGET (64u << 20)

struct tr_case {
	enum tr_kind kind;
	char *id;             /* "<class or suite>::<name>" (go: "<package>::<Test>") */
	char *suite;          /* enclosing suite / package, may be NULL */
	char *classname;      /* may be NULL */
	char *name;
	enum tr_status status;
	enum tr_bucket bucket;
	double duration;      /* seconds; < 0 when unknown or absurd */
	char *message;        /* first line of the failure/skip message, NULL if none */
	char *text;           /* full failure text, bounded by TR_TEXT_MAX, NULL if none */
	char *file;           /* where it failed (or where the test is), NULL if unknown */
	long line;            /* 0 when unknown */
	bool flaky;           /* rerun markers, or both fail and pass seen */
	int src_line;         /* line in the report where the entry starts (0 unknown) */
	unsigned char in_arena;   /* private: 1 << TR_F_* for fields the report's arena owns */
};

struct tr_totals {
	long long tests, passed, failed, errors, skipped, todo, flaky;
	long long suite_errors;    /* junit suite-level <error>/<failure> */
};

/* A number the file declares about itself, kept as written. */
struct tr_declared {
	char *key;            /* e.g. "tests", "failures", "LF", "line-rate" */
	char *raw;            /* as written (sum as text when summed) */
	double value;
	bool valid;           /* a finite, non-negative number */
};

struct tr_cov_line {
	long line;
	unsigned long long hits;   /* saturates at ULLONG_MAX */
	int br_covered, br_valid;
};

struct tr_cov_file {
	char *path;
	struct tr_cov_line *lines;     /* sorted by line, one per line */
	size_t nlines, lines_cap;
	long long lines_found, lines_hit;
	long long branches_found, branches_hit;
	long long functions_found, functions_hit;
	bool has_functions;
};

struct tr_cov_totals {
	long long files, lines_found, lines_hit, branches_found, branches_hit;
	long long functions_found, functions_hit;
	bool has_functions;
};

struct tr_report {
	char *path;
	enum tr_format format;

	struct tr_case *cases;
	size_t ncases, cases_cap;
	struct tr_totals totals;          /* filled by tr_report_finish() */

	struct tr_declared *declared;
	size_t ndeclared, declared_cap;

	struct tr_cov_file *files;
	size_t nfiles, files_cap;
	struct tr_cov_totals cov;         /* filled by tr_report_finish() */
	void *file_index;                 /* private: path -> index */

	/* Keep policy (see the top). `not_listed`: FAIL/ERROR entries counted
	 * but not stored because keep_max was reached. `seen`: entries read,
	 * stored or not. */
	enum tr_keep keep;
	size_t keep_max;
	long long not_listed;
	long long seen;
	size_t text_kept;                 /* private: failure text bytes stored */
	size_t listed;                    /* private: FAIL/ERROR entries admitted */
	struct tr_totals counted_only;    /* private: entries counted, not stored */
	void *strings;                    /* private: arena and intern table */

	/* TAP */
	char *plan;                       /* "1..N" as written, NULL if none */
	bool bail_out;
	long long nested_points;          /* indented TAP points, not counted */
	/* JUnit salvage */
	long long left_open;              /* testcases still open at a parse error */
	/* go */
	long long non_json_lines;

	/* Problems. `malformed` means a parse error: error/error_line say where,
	 * everything before it is still counted. Warnings are informational. */
	bool malformed;
	char *error;
	long error_line;
	char **warnings;
	size_t nwarnings, warnings_cap;
};

struct tr_report *tr_report_new(const char *path, enum tr_format f);
/* Same with a keep policy; keep_max 0 means TR_KEEP_MAX_DEFAULT. */
struct tr_report *tr_report_new_keep(const char *path, enum tr_format f, enum tr_keep keep, size_t keep_max);
void tr_report_free(struct tr_report **r);

/* Keep policy, for readers. tr_admit() says whether an entry of this status
 * is to be stored (and, for a listed FAIL/ERROR, takes one of the keep_max
 * places): when true add it with tr_add_case(), else count it with
 * tr_count_only(). In TR_KEEP_ALL mode tr_admit() is always true. */
bool tr_admit(struct tr_report *r, enum tr_status st, enum tr_bucket b);
void tr_count_only(struct tr_report *r, enum tr_kind kind, enum tr_status st, enum tr_bucket b, bool flaky);

/* Appends an entry; returns it zeroed (duration = -1) for the caller to fill.
 * The pointer is valid until the next tr_add_case(). */
struct tr_case *tr_add_case(struct tr_report *r, enum tr_kind kind);
/* Strings owned by r, freed with it. tr_intern returns one shared copy per
 * distinct value (for strings that repeat: suites, classes, packages). */
char *tr_strndup(struct tr_report *r, const char *s, size_t n);
char *tr_intern(struct tr_report *r, const char *s, size_t n);
/* Sets field f of c to a copy of s[0..n) owned by r (interned for suite and
 * classname); s NULL clears it. A previous heap value is freed. */
void tr_case_put(struct tr_report *r, struct tr_case *c, enum tr_field f, const char *s, size_t n);
/* Builds c->id from classname (or suite) and name: tr_case_set_id as a heap
 * string, tr_case_make_id in r's arena. */
void tr_case_set_id(struct tr_case *c);
void tr_case_make_id(struct tr_report *r, struct tr_case *c);
/* Sets message (first non-empty line of msg, bounded) and text (bounded). */
void tr_case_set_message(struct tr_case *c, const char *msg, const char *text);
/* When c->file is unset, looks for a source location in c->text/c->message. */
void tr_case_find_location(struct tr_case *c);

/* Records a declared value (raw text); an existing key is replaced. */
void tr_add_declared(struct tr_report *r, const char *key, const char *raw);
const struct tr_declared *tr_get_declared(const struct tr_report *r, const char *key);

/* Coverage: the file entry for path (created on first use). */
struct tr_cov_file *tr_cov_file(struct tr_report *r, const char *path);
/* Adds one raw line observation; tr_report_finish() merges duplicates with
 * `sum` (lcov: hits summed) or max (Cobertura). */
void tr_cov_add_line(struct tr_cov_file *f, long line, unsigned long long hits,
		     int br_covered, int br_valid);

/* Records a parse error (the first one wins) or a warning. */
void tr_set_error(struct tr_report *r, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tr_add_warning(struct tr_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Computes totals from the entries and the counted-only ones (and coverage
 * merges), then, unless TR_KEEP_ALL, drops stored entries the policy does
 * not keep (readers that must store everything first, like go -json).
 * sum_hits: merge duplicate coverage lines by summing hits (lcov), not max. */
void tr_report_finish(struct tr_report *r, bool sum_hits);

/* Adds b's totals into a. */
void tr_totals_add(struct tr_totals *a, const struct tr_totals *b);
void tr_cov_totals_add(struct tr_cov_totals *a, const struct tr_cov_totals *b);

/* Number parsing for untrusted attributes. Counts: a decimal integer (a
 * fractional value is truncated); false on junk, negative or overflow.
 * Seconds: finite, >= 0, < 1e9; false otherwise. Hits saturate. */
bool tr_parse_count(const char *s, long long *out);
bool tr_parse_seconds(const char *s, double *out);
unsigned long long tr_parse_hits(const char *s, bool *saturated);
unsigned long long tr_sat_add(unsigned long long a, unsigned long long b);

/* Appends s[0..n) to out in a form safe for a terminal: control characters
 * become ^X (ESC becomes ^[), DEL ^?, C1 controls and invalid UTF-8 bytes
 * \xNN; newlines become "\n" unless keep_newlines. */
void tr_sanitize(struct buf *out, const char *s, size_t n, bool keep_newlines);

#endif
