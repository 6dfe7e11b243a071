/* report_learn.h - the learnings[] part of the wisdom-report/1 document
 * (man/wisdom-report.5) and its lines in the readable report.
 *
 * One object per candidate, in the set's order (rank, kind, id): id,
 * short_id, kind, origin, title, body, severity, confidence and its
 * reason, sources, rank, evidence[], proposed{} outputs and the decision
 * state from the journal (null when the run has no journal).
 *
 * Ownership: rlearn_json() returns a new reference; inputs are borrowed.
 */
#ifndef WZ_SINKS_REPORT_LEARN_H
#define WZ_SINKS_REPORT_LEARN_H

#include <jansson.h>
#include <stdbool.h>

#include "model/learning.h"
#include "sinks/journal.h"
#include "util/buf.h"

/* j may be NULL (no journal): "state" is then null. */
json_t *rlearn_json(const struct learning_set *s, const struct journal *j);
/* One candidate (s->v[k]) as in learnings[]; new reference. */
json_t *rlearn_one(const struct learning_set *s, size_t k, const struct journal *j);
/* Readable lines for the learnings[] array (sanitised). */
void rlearn_text(const json_t *arr, bool utf8, struct buf *out);

#endif
