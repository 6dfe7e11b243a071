/* pane_learnings.h - the Learnings pane (ui.md §3.1, §4.1-§4.3): the
 * candidates of the run (the same assembly as `wisdom review` and
 * `wisdom publish`: src/investigation.h) with their journalled state,
 * sorted pending first, then severity, then id; a review screen per
 * candidate with all its evidence; decisions written to the journal
 * (fsynced) before the screen shows them.
 *
 * The row builder and the sort are pure (no curses, no journal writes) so
 * they are unit-tested directly.
 *
 * Ownership: lrn_items_build() returns an array the caller frees with
 * free(); its items borrow the learning set. lrn_row() appends spans to a
 * row the caller owns. lrn_inv() returns the pane's investigation
 * (borrowed; NULL until the candidates are loaded).
 */
#ifndef WZ_UI_PANE_LEARNINGS_H
#define WZ_UI_PANE_LEARNINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "investigation.h"
#include "model/learning.h"
#include "sinks/journal.h"
#include "ui/pane.h"

struct lrn_item {
	const struct learning *l;   /* borrowed from the set */
	size_t index;               /* index in the set */
	enum jr_state state;
	bool delta;                 /* decided on older source text (Δ) */
	int prefix;                 /* hex digits of the id shown (>= 7) */
};

/* True when the item still needs a decision (proposed, or Δ). */
bool lrn_pending(const struct lrn_item *it);
/* One item per candidate, state from j (may be NULL: all proposed),
 * sorted: pending first, severity (highest first), id. *n set. */
struct lrn_item *lrn_items_build(const struct learning_set *s, const struct journal *j, size_t *n);
/* "issue", "playbook" or "file": where an accepted candidate goes. */
const char *lrn_target(const struct learning *l);
/* The list row `ST ID KIND TITLE EV TARGET` fitted to cols cells; the
 * header row for the same width when header is not NULL. */
void lrn_row(const struct lrn_item *it, bool marked, int cols, int idw, struct ui_row *row);
void lrn_header(int cols, int idw, struct ui_row *header);
/* Width of the ID column for these items: "L-" + the longest prefix + 2. */
int lrn_id_width(const struct lrn_item *v, size_t n);

/* For the status bar: counts per state (Δ counts as proposed); false
 * while the candidates are not loaded. *ro: the journal is read-only. */
bool lrn_counts(const struct pane *p, int counts[JR_STATE_COUNT], bool *ro);
/* The pane's investigation (run, candidates, journal) for publishing:
 * takes the journal's lock first (its journal is then writable unless
 * another wisdom holds it; msg says so). NULL (msg set) before loading. */
struct investigation *lrn_inv(struct pane *p, char *msg, size_t n);
/* True when another process holds run_path's wisdom/.decisions.lock. */
bool lrn_lock_held(const char *run_path);
/* Re-reads states from the journal (after a publish wrote to it). */
void lrn_refresh(struct pane *p);
/* While true the pane does not touch the journal (a publish job owns it). */
void lrn_set_busy(struct pane *p, bool busy);

extern const struct pane_ops pane_learnings_review_ops;

#endif
