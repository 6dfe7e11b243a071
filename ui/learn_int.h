/* learn_int.h - shared between pane_learnings.c (list, loading) and
 * learn_detail.c (review screen, evidence follow-ups, decisions). Not for
 * other modules.
 *
 * Ownership: struct lrn_st is the pane's private state; it owns the
 * investigation (run, candidates, journal), the sorted items, the marks
 * and the drill-down's viewer/commit/text.
 */
#ifndef WZ_UI_LEARN_INT_H
#define WZ_UI_LEARN_INT_H

#include "model/blame.h"
#include "ui/pane_learnings.h"
#include "ui/viewer.h"

#define LRN_DASH "\xe2\x80\x94"

enum lrn_follow { LF_NONE, LF_VIEWER, LF_COMMIT, LF_TEXT };

enum lrn_exec_tag { LX_EDIT = 1, LX_NOTE };

struct lrn_st {
	struct investigation *inv;   /* NULL until loaded */
	bool running;
	char *error;
	unsigned long gen;
	struct lrn_item *items;      /* sorted */
	size_t n;
	int counts[JR_STATE_COUNT];  /* Δ counted as proposed */
	bool *marked;                /* by set index */
	bool busy;                   /* a publish job owns the journal */
	bool ro_held;                /* another wisdom holds the lock (RO) */
	char notice[256];            /* "Resumed: ..." until the first action */
	bool acted;
	/* review screen */
	long sel;                    /* set index */
	/* depth 2 */
	enum lrn_follow follow;
	struct viewer viewer;
	struct chg_commit *commit;
	char *text_title;
	char *text;                  /* diff or message text */
	long goto_line;              /* viewer: line to put the cursor on (1-based), 0 none */
	/* a pending $EDITOR run */
	char *tmp_path;
	char *tmp_before;
	size_t tmp_len;
	long tmp_sel;
};

void lrn_items_refresh(struct lrn_st *s);
/* Opens the journal for writing (lock) on first use; false + msg when RO. */
bool lrn_writable(struct lrn_st *s, char *msg, size_t n);
long lrn_pos_of(const struct lrn_st *s, size_t index);
int lrn_state_role(enum jr_state s);
enum ui_glyph lrn_state_glyph(enum jr_state s);
int lrn_sev_role(enum fnd_severity s);

/* learn_detail.c */
void lrn_build_detail(struct pane *p, struct lrn_st *s, const struct ui_data *d, struct pane_frame *f);
void lrn_build_follow(struct pane *p, struct lrn_st *s, const struct ui_data *d, struct pane_frame *f);
void lrn_detail_clear(struct lrn_st *s);
void lrn_follow_clear(struct lrn_st *s);
/* The text a person edits (title, labels, blank line, body), and the
 * edited text saved for a journal entry (NULL if none). Caller frees. */
char *lrn_edit_text(const struct learning *l);
char *lrn_edited_text(const struct lrn_st *s, const struct jr_entry *e);

/* learn_actions.c */
void lrn_exec_done(struct pane *p, const struct ui_data *d, int tag, int status, struct pane_req *req);
bool lrn_action(struct pane *p, const struct ui_data *d, enum km_action act, struct pane_view *v,
		struct pane_req *req);

#endif
