/* md_tests.h - test counts from a run's markdown and raw runner logs
 * (spec/run-artifacts.md §7).
 *
 *  - the canonical line `## Test Summary (Canonical): passed=<n|null> …`
 *    (key=value tokens in any order),
 *  - a Machine Summary map (`test_summary{passed, failed, …}`,
 *    `coverage_summary{tests_passed, …}`),
 *  - raw console logs: cargo `test result:` lines, pytest `== … in 0.1s ==`
 *    and jest `Tests: …` lines, summed, after stripping ANSI escapes,
 *  - build/test_summary.md (a `passed=` line, `Passed: N` lines, a runner
 *    line, or only a title).
 *
 * Pure functions on text buffers; struct mdt_counts holds no pointers, so
 * nothing here needs freeing.
 */
#ifndef WZ_SOURCES_MD_TESTS_H
#define WZ_SOURCES_MD_TESTS_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/md_summary.h"
#include "util/status.h"

/* X(enum, key) - the count fields, in report order. */
#define MDT_FIELD_TABLE(X)             \
	X(MDT_PASSED,  "passed")       \
	X(MDT_FAILED,  "failed")       \
	X(MDT_SKIPPED, "skipped")      \
	X(MDT_XFAILED, "xfailed")      \
	X(MDT_XPASSED, "xpassed")      \
	X(MDT_ERRORS,  "errors")

enum mdt_field {
#define MDT_X(e, key) e,
	MDT_FIELD_TABLE(MDT_X)
#undef MDT_X
	MDT_NFIELDS
};

const char *mdt_field_name(enum mdt_field f);

struct mdt_counts {
	bool found;                 /* at least one field or one runner line */
	int line;                   /* line of the (first) evidence, 1-based */
	bool has[MDT_NFIELDS];      /* false = null / not stated */
	double v[MDT_NFIELDS];
	int nlines;                 /* runner summary lines summed */
	char runner[16];            /* "cargo", "pytest", "jest", "mixed", "" */
};

/* Parses `key=value` tokens (passed=53 failed=null …) of s[0..n) into out;
 * `null` leaves the field unset. Returns the number of known keys seen. */
int mdt_kv_tokens(const char *s, size_t n, struct mdt_counts *out);

/* Finds `## Test Summary (Canonical): …` (any heading level) in text. */
bool mdt_canonical_line(const char *text, size_t len, struct mdt_counts *out);

/* Reads the map `map` of a Machine Summary; each field is looked up as
 * `<prefix><field>` (prefix "" for test_summary, "tests_" for
 * coverage_summary). */
bool mdt_from_summary(const struct mds *m, const char *map, const char *prefix,
		      struct mdt_counts *out);

/* Adds one runner summary line l[0..n) (free of escapes and CRs) found at
 * line `lineno` to out; false when it is not one. */
bool mdt_runner_line(const char *l, size_t n, int lineno, struct mdt_counts *out);

/* Sums runner summary lines of a raw log (ANSI and CR stripped first).
 * Needs the whole log in memory; md_logscan.h streams it instead. */
void mdt_runner_log(const char *text, size_t len, struct mdt_counts *out);

/* Counts in a free-form test_summary.md: a `passed=` line, then `passed: N`
 * style lines (any case, bullets, bold, table cells), then runner lines. */
bool mdt_summary_md(const char *text, size_t len, struct mdt_counts *out);

/* `## Test Runner Summary (Canonical)` of test_critique.md: the heading's
 * own text or the next non-blank line, read as a runner line. */
bool mdt_runner_summary_line(const char *text, size_t len, struct mdt_counts *out);

/* Measured coverage (§8): `## Coverage Result (Canonical): 89.29% (1476/1653
 * lines covered)`; `null` or no number leaves has_percent false. */
struct mdt_coverage {
	bool found;             /* the line exists */
	int line;
	bool has_percent, has_lines;
	double percent, covered, total;
};
bool mdt_coverage_line(const char *text, size_t len, struct mdt_coverage *out);

#endif
