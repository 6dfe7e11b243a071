/* report_issues.h - the github-issues analyzer in the wisdom-report/1
 * document: top-level "issues" (correlated issues, man/wisdom-report.5)
 * and "issues_search" (state, reason, repository, since, counts), and the
 * "GitHub issues" section of the readable report.
 *
 * Ownership: rissues_json() sets new references into doc; rissues_text()
 * appends to the caller's buffer. Inputs are borrowed.
 */
#ifndef WZ_SINKS_REPORT_ISSUES_H
#define WZ_SINKS_REPORT_ISSUES_H

#include <jansson.h>
#include <stdbool.h>

#include "util/buf.h"

struct igh_result;

/* Sets doc.issues and doc.issues_search; with r NULL (not run) issues is
 * [] and issues_search null. Sets doc.backends.github.reachable true
 * after a successful listing, false after a failed one. */
void rissues_json(const struct igh_result *r, json_t *doc);

/* "GitHub issues": skipped/failed with the reason, else one line per
 * correlated issue and its reasons. Nothing when issues_search is null. */
void rissues_text(const json_t *doc, bool utf8, struct buf *out);

#endif
