/* journal.h - the decisions journal `.runs/<id>/wisdom/.decisions.jsonl`
 * (design/ui.md §4.3): append-only JSON lines, one write() + fsync() per
 * record before the call returns, replayed at start.
 *
 * A record: {"seq", "time" (injected clock, UTC seconds), "id" (learning),
 * "op", "prev" (state before), "state" (state after), "reason",
 * "edit_file" (run-relative, e.g. wisdom/.edits/<id>.md), "group" (one
 * undo step; a batch shares it), "target" (the group an undo/redo acts
 * on), "src_hash" (the candidate's source text hash at decision time),
 * "note" (publish/note text)}.
 *
 * Replay: a torn last line (no newline, or not JSON) is skipped with a
 * message and cut off before the next append; a damaged line with good
 * lines after it stops the replay there: the file is set aside as
 * `.decisions.jsonl.damaged-<n>` and the good prefix is written back
 * atomically (writer only).
 *
 * Undo/redo are records too, so they survive a restart: an undo reverts
 * every record of the newest applied group (one undo record per id, the
 * undo records share a new group and name the target); redo re-applies the
 * newest undone group; a new decision clears the redo stack.
 *
 * Lock: flock() on wisdom/.decisions.lock. When another process holds it,
 * the journal opens read-only (`RO`): decisions are refused with a message.
 *
 * Ownership: jr_open() returns a struct journal the caller closes with
 * jr_close(&j) (releases the lock, frees everything, NULLs j). Strings
 * returned by jr_* lookups are owned by the journal.
 */
#ifndef WZ_SINKS_JOURNAL_H
#define WZ_SINKS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "util/status.h"

/* X(enum, word) */
#define JR_OP_TABLE(X)           \
	X(JR_ACCEPT,  "accept")  \
	X(JR_REJECT,  "reject")  \
	X(JR_EDIT,    "edit")    \
	X(JR_RESET,   "reset")   \
	X(JR_UNDO,    "undo")    \
	X(JR_REDO,    "redo")    \
	X(JR_NOTE,    "note")    \
	X(JR_PUBLISH, "publish")

enum jr_op {
#define JR_X(e, w) e,
	JR_OP_TABLE(JR_X)
#undef JR_X
	JR_OP_COUNT
};

/* X(enum, word, mark, label) */
#define JR_STATE_TABLE(X)                              \
	X(JR_PROPOSED, "proposed", "?", "PROPOSED")    \
	X(JR_ACCEPTED, "accepted", "✓", "ACCEPTED")    \
	X(JR_REJECTED, "rejected", "✗", "REJECTED")    \
	X(JR_EDITED,   "edited",   "✎", "EDITED")

enum jr_state {
#define JR_X(e, w, m, l) e,
	JR_STATE_TABLE(JR_X)
#undef JR_X
	JR_STATE_COUNT
};

struct jr_rec {
	long seq;
	double time;
	char *id;
	enum jr_op op;
	enum jr_state prev, state;
	char *reason;
	char *edit_file;
	long group;
	long target;       /* undo/redo: the group acted on; else 0 */
	char *src_hash;
	char *note;
};

/* The replayed view of one learning id. */
struct jr_entry {
	char *id;
	enum jr_state state;
	char *src_hash;     /* at the last state change */
	char *edit_file;    /* latest edit (NULL none) */
	char *reason;       /* latest reject/note reason */
	struct str_list notes;    /* notes and publish results, in order */
	long last_seq;
};

struct redactor;

struct journal {
	char *path;          /* absolute .decisions.jsonl */
	char *run_path;
	int fd;              /* -1 when read-only */
	int lock_fd;
	bool read_only;
	struct jr_rec *recs;
	size_t n, cap;
	struct jr_entry *ents;
	size_t nents, capents;
	long *undo, *redo;   /* group stacks */
	size_t nundo, nredo, capundo, capredo;
	long next_seq, next_group;
	struct str_list messages;   /* replay messages for the user */
	struct redactor *rd;        /* owned; built by the first write of typed text */
};

const char *jr_op_word(enum jr_op op);
int jr_op_parse(const char *w);
const char *jr_state_word(enum jr_state s);
const char *jr_state_mark(enum jr_state s);
const char *jr_state_label(enum jr_state s);
int jr_state_parse(const char *w);

/* Opens (creating wisdom/ and the journal when writable) and replays the
 * journal of the run folder run_path. want_write=false opens read-only
 * without taking the lock. Fails only when the folder is unusable. */
enum wz_status jr_open(const char *run_path, bool want_write, struct journal **out, struct wz_err *err);
void jr_close(struct journal **j);

/* Appends one record (seq, group filled in when 0) with one write() and
 * fsync() before returning, then applies it to the replayed view. */
enum wz_status jr_append(struct journal *j, struct jr_rec *rec, struct wz_err *err);

/* One undo step: op (accept/reject/reset) on every id, sharing a group.
 * src_hashes may be NULL or hold one hash (or NULL) per id. */
enum wz_status jr_decide(struct journal *j, enum jr_op op, const char *const *ids, size_t n,
			 const char *const *src_hashes, const char *reason, double t, struct wz_err *err);
/* Writes text atomically to wisdom/.edits/<id>.md, then records an edit. */
enum wz_status jr_edit(struct journal *j, const char *id, const char *text, const char *src_hash,
		       double t, struct wz_err *err);
enum wz_status jr_note(struct journal *j, enum jr_op op, const char *id, const char *note, double t,
		       struct wz_err *err);
/* WZ_ENOENT with a message when there is nothing to undo / redo. */
enum wz_status jr_undo(struct journal *j, double t, struct wz_err *err);
enum wz_status jr_redo(struct journal *j, double t, struct wz_err *err);

/* The replayed entry of id, or NULL (never decided: proposed). */
const struct jr_entry *jr_get(const struct journal *j, const char *id);
/* State of a candidate with this id (and ids merged into it, may be NULL).
 * *delta (may be NULL) is set when a decision exists and src_hash_now
 * differs from the hash recorded with it. */
enum jr_state jr_state_of(const struct journal *j, const char *id, const struct str_list *merged,
			  const char *src_hash_now, bool *delta);

#endif
