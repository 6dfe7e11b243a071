/* report_tests.h - the Tests analysis in the wisdom-report/1 document
 * (key "test_history", man/wisdom-report.5) and its "Test regressions"
 * section in the readable report. The findings themselves go to
 * findings[] through ta_findings() (analysis/tests_analysis.h).
 *
 * Ownership: rtests_json() returns a new json_t reference (the caller
 * sets it into the document); rtests_text() appends to the caller's
 * buffer. Inputs are borrowed.
 */
#ifndef WZ_SINKS_REPORT_TESTS_H
#define WZ_SINKS_REPORT_TESTS_H

#include <jansson.h>
#include <stdbool.h>

#include "util/buf.h"

struct ta_result;

/* The "test_history" object. Appends to attention one line when the run
 * has regressions or persistent failures, and each cap to caps. */
json_t *rtests_json(const struct ta_result *t, json_t *attention, json_t *caps);

/* "Test regressions": the history, range and blame state from
 * doc.test_history and one line per tests finding of doc.findings.
 * Nothing when the document has no test_history. */
void rtests_text(const json_t *doc, bool utf8, struct buf *out);

#endif
