/* coverage_internal.h - helpers shared by coverage.c and coverage_gaps.c
 * only (not public API). Ownership: findings added with covi_add() belong
 * to the cov_result; the buf of covi_fmt_lines() to the caller. */
#ifndef WZ_ANALYSIS_COVERAGE_INTERNAL_H
#define WZ_ANALYSIS_COVERAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/coverage.h"
#include "util/buf.h"

/* line is inside one of f's hunks (a changed line at head). */
bool covi_in_hunks(const struct cov_change *f, long line);
/* The base line an unchanged head line maps to; false when unknown. */
bool covi_map_to_base(const struct cov_change *f, long line, long *out);

/* Findings: add one to r, set its status word, append a reason, set the
 * title, record the effect size. */
struct finding *covi_add(struct cov_result *r, const char *kind, const char *subject, const char *title);
void covi_set_status(struct finding *f, const char *st);
void covi_reason(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void covi_set_title(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void covi_effect(struct finding *f, double v, const char *unit);
/* Appends lines as "3, 7-9, 12" ("none" when empty). */
void covi_fmt_lines(struct buf *b, const long *v, size_t n);

/* One test_gap finding per touched file a rule fires for, in path order. */
void covi_file_gaps(const struct cov_input *in, const struct cov_report *hr, const struct cov_report *br,
		    const struct cov_evidence *base, struct cov_result *out);

#endif
