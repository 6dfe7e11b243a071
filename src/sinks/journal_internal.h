/* journal_internal.h - shared by journal.c (writer, undo/redo, lock) and
 * journal_read.c (replay and recovery). Not for other modules. */
#ifndef WZ_SINKS_JOURNAL_INTERNAL_H
#define WZ_SINKS_JOURNAL_INTERNAL_H

#include "sinks/journal.h"

#define JR_FILE "wisdom/.decisions.jsonl"
/* seq, group and target beyond this make a line damaged (see replay) */
#define JR_COUNTER_MAX (1L << 52)

/* The state a decision op leads to (proposed for the others). */
enum jr_state jr_state_after(enum jr_op op);
/* Frees the strings of r and zeroes it. */
void jr_rec_clear(struct jr_rec *r);
/* Appends a copy of the record to j and applies it to the replayed view. */
void jr_apply(struct journal *j, const struct jr_rec *in);
/* Reads j->path and applies every good record; a missing file is empty.
 * Recovery messages go to j->messages. */
enum wz_status jr_replay(struct journal *j, struct wz_err *err);

#endif
