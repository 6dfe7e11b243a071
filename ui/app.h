/* app.h - the console's state, shared by its own modules (app, prompt,
 * help, statusbar, script, dump). Not for panes or src/.
 *
 * Ownership: struct app owns the keymap, theme, config, run, audit, panes,
 * prompt and the curses SCREEN; app_free() (in app.c) releases all.
 */
#ifndef WZ_UI_APP_H
#define WZ_UI_APP_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "ui/config.h"
#include "ui/keymap.h"
#include "ui/layout.h"
#include "ui/pane.h"
#include "ui/theme.h"

enum app_prompt_kind { PK_NONE, PK_COMMAND, PK_SEARCH, PK_HELP_FILTER, PK_FILTER };

struct prompt {
	enum app_prompt_kind kind;
	char buf[512];
	size_t len, cur;            /* bytes */
	char *history[32];
	int nhist, hist_at;
};

struct app {
	const struct cli_opts *o;
	struct km_map *km;
	struct cfg *cfg;
	struct theme *theme;
	struct ui_data d;
	struct pane panes[PANE_COUNT];
	int focus;

	/* terminal */
	bool headless, curses_on, color;
	void *screen;               /* SCREEN * */
	FILE *term_out, *term_in;
	int rows, cols;
	int pending_rows, pending_cols;  /* headless :resize, applied by the loop */
	bool need_resize;

	/* states of the one loop */
	bool help_open;
	struct pane_view help_view;
	char help_filter[128];
	struct prompt prompt;
	char search[256];
	bool search_ok;
	regex_t search_re;
	int search_cflags;
	char msg[256];
	bool msg_error;
	double last_cancel;
	bool zoom;                  /* z: the focused pane alone */
	int focus_w;                /* width the focused view was built at */
	unsigned load_job;          /* the run load's job id, 0 when none */
	bool loaded_once;
	double t_start_ms;          /* monotonic ms at ui_run() (--bench "ready") */
	bool ready_traced;

	/* viewops.c: per pane and depth filter and sort (0: the pane's order) */
	char filter[PANE_COUNT][PANE_MAXDEPTH][128];
	char filter_prev[128];      /* restored when the filter input is cancelled */
	int sort_col[PANE_COUNT][PANE_MAXDEPTH];
	bool sort_rev[PANE_COUNT][PANE_MAXDEPTH];

	void *dialog;               /* ui/dialog.h: the publish dialog, NULL when closed */

	bool quit;
	int exit_code;
	char fatal[1200];            /* printed after endwin */
	struct layout lay;
	double frame_ms_last;
	FILE *trace;
};

/* app.c: setup, data (the run load job), terminal, loop */
/* Waits for jobs (at most `seconds`), then applies their results; false
 * when some are still running. */
bool app_wait_idle(struct app *a, double seconds);

/* frame.c */
void app_frame(struct app *a);                 /* build + paint one frame */
struct pane_view *app_view(struct app *a);     /* the focused view's cursor */
/* Builds the focused view's frame (help or pane at its depth). */
void app_build_focused(struct app *a, struct pane_frame *f);
/* Cursor onto a selectable row, top so the cursor shows in h lines. */
void app_fix_view(struct pane_view *v, const struct pane_frame *f, int h, int w);
enum lay_kind app_layout_kind(struct app *a);

/* actions.c */
void app_key(struct app *a, int key);          /* one key through the keymap */
bool app_action(struct app *a, enum km_action act);
/* Cancels the focused view's jobs (and the run load); returns how many. */
int app_cancel_view_jobs(struct app *a);
void app_message(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_goto(struct app *a, int pane);
void app_reload(struct app *a);
void app_apply_resize(struct app *a, int rows, int cols);
struct pane *app_pane(struct app *a);
enum km_context app_context(const struct app *a, enum km_context *cls);
void app_trace(struct app *a, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* prompt.c: line editing and `:` commands */
void prompt_open(struct app *a, enum app_prompt_kind kind);
void prompt_key(struct app *a, int key);
/* Runs one command (without ':'); false + err on failure. */
bool cmd_run(struct app *a, const char *line, struct wz_err *err);
/* true when the first word names a command or an action */
bool cmd_known(const char *line);
bool search_set(struct app *a, const char *pattern, struct wz_err *err);
void search_step(struct app *a, int dir);

/* viewops.c: filter, sort, copy, time format over any list pane */
/* Filters/sorts f (just built for p) and adds the title parts. */
void view_apply(struct app *a, struct pane *p, struct pane_frame *f);
/* Generic keys (filter, sort, copy, time-format, ...); true when handled. */
bool view_action(struct app *a, enum km_action act);
void view_filter_open(struct app *a);
void view_filter_live(struct app *a, const char *text);
void view_filter_cancel(struct app *a);
/* Clears the focused view's filter; false when there was none. */
bool view_filter_clear(struct app *a);
/* Copies settings panes read (time-format) into a->d. */
void view_sync(struct app *a);

/* help.c */
void help_build(struct app *a, struct pane_frame *f);

/* statusbar.c */
void statusbar_build(const struct app *a, int cols, struct ui_row *out);
void tabbar_build(struct app *a, int cols, struct ui_row *out);

/* script.c: --script; returns the exit status */
int script_run(struct app *a, const char *path);

/* dump.c: the current curses screen as text (+ role letters) */
bool dump_screen(const struct app *a, const char *path, bool attrs, struct wz_err *err);

#endif
