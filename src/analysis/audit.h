/* audit.h - the artifact audit (spec/run-artifacts.md §3, §12): which
 * expected artifacts of each flow are present, empty, missing, unparseable
 * or stubs, what each gap means for the analyses, what the receipts list
 * as missing, and where the pack's own wisdom/artifact_audit.md disagrees.
 *
 * Rules (documented in the man page too):
 * - Rows are made only for flows whose folder exists; a flow that did not
 *   run shows in a->flows[] (present=false), not as missing files.
 * - "empty": 0 bytes or only whitespace. "unparseable": a .json file that
 *   jansson rejects (the note carries file:line:column). "stub": a
 *   markdown file with no content line, where headings, blank lines, rules,
 *   fences, HTML comments, table header/separator rows and lines whose value
 *   is only a placeholder (`<...>`, TBD, TODO, `...`, N/A, null, none, or an
 *   unfilled enum `A | B`) are not content.
 * - Alternatives (adr.md OR work_plan.md, review_worklist.md OR .json,
 *   learnings.md OR feedback_actions.md): the group is satisfied when one
 *   is present; then the others are optional.
 *
 * Ownership: audit_run() returns a new struct audit; free with audit_free().
 */
#ifndef WZ_ANALYSIS_AUDIT_H
#define WZ_ANALYSIS_AUDIT_H

#include "model/audit.h"
#include "model/run.h"

/* Reads only r and the listed files (stat, plus bounded reads of markdown
 * and JSON files for the empty/stub/unparseable checks). Never NULL. */
struct audit *audit_run(const struct run *r);

/* Internal to analysis/audit*.c: merges the pack's matrix
 * (wisdom/.pack/artifact_audit.md, else wisdom/artifact_audit.md). */
void audit_pack_merge(const struct run *r, struct audit *a);
/* Internal: appends a row for flow/artifact checked on disk. */
struct audit_row *audit_add_checked(const struct run *r, struct audit *a, enum run_flow f,
				    const char *name, bool required, const char *note);

#endif
