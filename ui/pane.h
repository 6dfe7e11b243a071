/* pane.h - the pane interface: every tab of the console is a pane.
 *
 * A pane turns the model into rows (ui/rows.h) for the current drill-down
 * depth; the app owns navigation (cursor, scrolling, search) per depth, so
 * `Esc` returns to the same row and a resize keeps the selection. Panes
 * never call curses.
 *
 * Ownership: a pane owns its private state `st` (freed by ops->free); it
 * borrows struct ui_data for the whole session.
 */
#ifndef WZ_UI_PANE_H
#define WZ_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "ui/keymap.h"
#include "ui/rows.h"

#define PANE_MAXDEPTH 4

struct audit;

/* What panes read: the run and derived data (borrowed). */
struct ui_data {
	struct run *run;            /* NULL when no run could be opened */
	const char *run_error;      /* why not, when run is NULL */
	struct audit *audit;        /* NULL when not available */
	double now;                 /* injected clock */
	int tab_size;
	bool offline;               /* --offline */
	bool loading;               /* the run is being (re)loaded by a job */
	const void *search_re;      /* regex_t of the current search, or NULL */
	unsigned search_gen;        /* changes whenever the search changes */
	int time_fmt;               /* `t`: PANE_TIME_REL, _UTC or _LOCAL */
};

enum { PANE_TIME_REL, PANE_TIME_UTC, PANE_TIME_LOCAL };

/* Job owners: panes use their index (0..9); the app's own jobs this. */
#define PANE_OWNER_APP 10

/* One frame of a pane. title/header are rows; an empty header means the
 * view has no column header row. */
struct viewer;

struct pane_frame {
	struct ui_row title;
	struct ui_row header;
	struct ui_rows body;
	const struct ui_rows *body_ref; /* when set, drawn instead of body (borrowed) */
	/* A virtual body (vrow set): vn rows built on demand, so only the
	 * visible ones are ever made; the returned row is valid until the next
	 * vrow call. Takes precedence over body and body_ref. */
	size_t vn;
	const struct ui_row *(*vrow)(void *ctx, size_t i);
	void *vctx;
	struct viewer *viewer;      /* the body is this viewer (search goes to it) */
	char hint[160];             /* pane's hint line; "" for the default */
};

/* Rows of a frame's body, whichever form it has. */
size_t frame_n(const struct pane_frame *f);
const struct ui_row *frame_row(const struct pane_frame *f, size_t i);

struct pane_view {
	size_t cursor, top;
	int hscroll;
	bool wrap;
};

struct pane;

/* What a pane's own action asks the app to do afterwards (ui/actions.c). */
struct pane_req {
	char msg[256];              /* message for the hint line ("" none) */
	bool msg_error;
	int goto_pane;              /* pane index to focus, -1 none */
	char *exec;                 /* shell text run with the terminal handed
	                             * back; its file is "$1" = exec_arg (the
	                             * app frees both) */
	char *exec_arg;
	int exec_tag;               /* handed back to exec_done */
	bool publish;               /* open the publish dialog */
};

struct pane_ops {
	const char *name;           /* `:goto NAME` (flow, tests, ...) */
	const char *title;          /* full name: "Flow", "Incidents" */
	const char *tab;            /* short tab name: "Flow", "Inc" */
	enum km_context ctx;
	void (*init)(struct pane *p);
	/* The model changed (start, R): drop caches, keep the depth if valid. */
	void (*load)(struct pane *p, const struct ui_data *d);
	void (*build)(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f);
	/* Enter on body row `row` (its key in row->key); true when it drilled in. */
	bool (*enter)(struct pane *p, const struct ui_data *d, const struct ui_row *row);
	/* Leaves one drill-down level; false when already at the top. */
	bool (*back)(struct pane *p);
	/* Optional: the drill-down of body row `row` for the split preview,
	 * built without changing the pane's state. */
	void (*preview)(struct pane *p, const struct ui_data *d, const struct ui_row *row, int cols,
			struct pane_frame *f);
	/* Worst state glyph for the tab bar, or -1 for none. */
	int (*tab_glyph)(struct pane *p, const struct ui_data *d);
	void (*free)(struct pane *p);
	/* Optional: the pane's own keys (learning-accept, blame-parent, ...),
	 * called before the app's generic handling; true when handled. */
	bool (*action)(struct pane *p, const struct ui_data *d, enum km_action act, struct pane_view *v,
		       struct pane_req *req);
	/* Optional: req->exec finished with this exit status, or -1 when it
	 * was not run (script mode traces the command instead). */
	void (*exec_done)(struct pane *p, const struct ui_data *d, int tag, int status, struct pane_req *req);
};

struct pane {
	const struct pane_ops *ops;
	void *st;
	int depth;                  /* 0 = list; > 0 drill-downs */
	struct pane_view view[PANE_MAXDEPTH];
	int index;                  /* 0..9 (tab digit = (index + 1) % 10) */
};

/* Pane tables (pane_flow.c, pane_audit.c, pane_stub.c). */
extern const struct pane_ops pane_flow_ops;
extern const struct pane_ops pane_audit_ops;
extern const struct pane_ops pane_tests_ops, pane_metrics_ops, pane_logs_ops,
	pane_incidents_ops, pane_slo_ops, pane_cost_ops, pane_traces_ops, pane_learnings_ops;

#define PANE_COUNT 10
/* The ten panes in tab order. */
extern const struct pane_ops *const pane_table[PANE_COUNT];

/* The key context class of a pane at its current depth. */
enum km_context pane_class(const struct pane *p);

/* Frame helpers */
void pane_frame_free(struct pane_frame *f);
/* Starts a title row "─ Name" (role title); callers add "─ part" pieces. */
void pane_title_start(struct ui_row *r, const char *name);
void pane_title_part(struct ui_row *r, int role, const char *text);

/* Time formatting shared by panes: "12-20 14:12" (UTC), "T+42m". */
void pane_fmt_time(double t, char *out, size_t n);
void pane_fmt_rel(double t, double T, char *out, size_t n);
/* pane_fmt_time() in the zone `t` chose (UTC, or local for PANE_TIME_LOCAL),
 * and the suffix for it ("Z" or ""). */
void pane_fmt_when(const struct ui_data *d, double t, char *out, size_t n);
const char *pane_zone(const struct ui_data *d);

#endif
