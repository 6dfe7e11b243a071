/* synthesis.h - learning synthesis (spec/analysis.md §9): every source of
 * a lesson becomes a candidate with a stable id, merged, graded and ranked.
 *
 * Sources:
 *  - the pack's wisdom/learnings.md (`## Learning: <Area>`, `- ACTION:`,
 *    `- PACK_OBS:`) and wisdom/feedback_actions.md (`- ISSUE:` drafts,
 *    `- [ ] SUG-NNN:`), read from wisdom/.pack/<file> when wisdom has
 *    already replaced the pack's copy (run-artifacts.md §12.1);
 *  - the artifact audit: required artifacts missing, and any empty, stub or
 *    unparseable artifact;
 *  - receipts: UNVERIFIED / CANNOT_PROCEED (with their blockers), and
 *    missing_required entries that exist on disk (receipt/evidence
 *    mismatch) -> one process candidate per flow;
 *  - findings of other analyzers (severity >= MINOR, with evidence).
 *
 * Subject keys hold no counts (digit runs become '#'), no times and no run
 * id (replaced by "<run>"), so the same input gives the same ids across
 * analyses and across copies of the run to another folder.
 *
 * Rules chosen here (beyond the spec's wording):
 *  - pack items: severity MINOR, except ISSUE drafts labelled security or
 *    CANNOT_PROCEED-like receipts (MAJOR); evidence confidence MEDIUM for a
 *    cited artifact that exists in the run, LOW for one that does not; the
 *    pack line itself is MEDIUM evidence;
 *  - a candidate's sources = distinct analyzers among its evidence.
 *
 * Ownership: syn_build() returns a new learning_set (learning_set_free).
 * Inputs are borrowed. No clock, no network, no randomness.
 */
#ifndef WZ_ANALYSIS_SYNTHESIS_H
#define WZ_ANALYSIS_SYNTHESIS_H

#include <stddef.h>
#include <stdint.h>

#include "model/audit.h"
#include "model/finding.h"
#include "model/learning.h"
#include "model/run.h"

/* Jaccard threshold for near-duplicate titles (§9.2). */
#define SYN_JACCARD_MERGE 0.6

/* 64-bit FNV-1a, offset cbf29ce484222325, prime 100000001b3. */
uint64_t syn_fnv1a64(const void *data, size_t n);
/* out = "L-" + 16 lowercase hex of FNV-1a-64(kind "\n" subject). */
void syn_id(const char *kind, const char *subject, char out[LEARN_ID_LEN + 1]);
/* §9.5: sev_w * conf_w * (1 + 0.25 * (sources - 1)). */
double syn_rank(enum fnd_severity sev, enum fnd_confidence conf, int sources);
/* Token Jaccard of two titles (lowercase alphanumeric runs; bytes >= 0x80
 * count as letters). 0 when both are empty. */
double syn_jaccard(const char *a, const char *b);
/* Subject-key normal form: lower case ASCII, markdown emphasis and
 * backticks dropped, digit runs -> '#', `run_id` (may be NULL) -> "<run>",
 * whitespace collapsed, trimmed. Caller frees. */
char *syn_normalize(const char *text, const char *run_id);

struct syn_input {
	const struct run *run;           /* may be NULL (findings only) */
	const struct audit *audit;       /* may be NULL */
	const struct finding *const *findings;
	size_t nfindings;
};

/* All sources, merged (§9.2), graded (§9.3) and ranked (§9.5). Never NULL. */
struct learning_set *syn_build(const struct syn_input *in);

/* The steps, for tests and for callers that assemble their own set. */
void syn_from_pack(const struct run *r, struct learning_set *s);
void syn_from_audit(const struct run *r, const struct audit *a, struct learning_set *s);
void syn_from_receipts(const struct run *r, struct learning_set *s);
/* Skips (with a warning) findings below MINOR, of unknown kind or without evidence. */
void syn_from_finding(const struct finding *f, struct learning_set *s);
void syn_merge(struct learning_set *s);
/* Confidence (§9.3, with its reason), sources and rank of every candidate. */
void syn_score(struct learning_set *s);
/* rank descending, then kind order, then id. */
void syn_sort(struct learning_set *s);

/* A new candidate: subject normalised (run_id stripped), id and src_hash
 * computed. Pointer valid until the next add to s. */
struct learning *syn_candidate(struct learning_set *s, enum learn_kind kind, enum learn_origin origin,
			       const char *subject, const char *run_id, const char *title,
			       const char *body);
/* Recomputes src_hash from title and body (after an edit). */
void syn_rehash(struct learning *l);

#endif
