/* playbook.h - patterns across every run of a repository's .runs/ that
 * point at a flow or agent playbook (kind playbook_update):
 *  - a flow that stops (receipt CANNOT_PROCEED, recommended_action BOUNCE,
 *    or a gate BOUNCE verdict) in 2 or more runs;
 *  - a recurring critique theme: a word (4+ letters, not a stop word) in
 *    `## Learning: <Area>` headings or SUG titles of 2 or more runs;
 *  - a test named by `### REG-NNN: <test id>` in 2 or more runs.
 * Severity MINOR (MAJOR from 3 runs), evidence confidence MEDIUM (HIGH
 * from 3 runs); subject keys hold no run ids or counts.
 *
 * Ownership: the findings array and every finding in it belong to the
 * caller (finding_free each, then free the array). Runs are borrowed.
 */
#ifndef WZ_ANALYSIS_PLAYBOOK_H
#define WZ_ANALYSIS_PLAYBOOK_H

#include <stddef.h>

#include "model/finding.h"
#include "model/run.h"

/* Patterns across runs[0..n) (JSON side and the wisdom markdown files). */
void pb_scan(const struct run *const *runs, size_t n, struct finding ***out, size_t *nout);

/* Lists the runs beside cur (its repo's .runs/), loads each and scans. */
void pb_scan_root(const struct run *cur, struct finding ***out, size_t *nout);

#endif
