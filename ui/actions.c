/* actions.c - keys through the keymap to named actions (ui.md §2):
 * movement over the focused view's rows, drill-down and back, panes,
 * layouts and zoom, search, jobs (<C-c>, Esc cancel the view's jobs). */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "ui/app.h"
#include "ui/dialog.h"
#include "ui/viewer.h"

void app_goto(struct app *a, int pane)
{
	if (pane < 0 || pane >= PANE_COUNT)
		return;
	a->focus = pane;
	a->help_open = false;
}

static void move_cursor(struct app *a, long delta)
{
	struct pane_frame f;
	struct pane_view *v = app_view(a);
	size_t n;
	long c, step = delta > 0 ? 1 : -1, moved = 0, last_ok;

	app_build_focused(a, &f);
	n = frame_n(&f);
	if (n == 0 || delta == 0) {
		pane_frame_free(&f);
		return;
	}
	c = last_ok = (long)(v->cursor < n ? v->cursor : n - 1);
	if (f.vrow) {
		/* virtual bodies (the viewer) have every row selectable */
		c += delta;
		if (c < 0)
			c = 0;
		if (c >= (long)n)
			c = (long)n - 1;
		v->cursor = (size_t)c;
		pane_frame_free(&f);
		return;
	}
	while (moved < labs(delta)) {
		c += step;
		if (c < 0 || c >= (long)n)
			break;
		if (frame_row(&f, (size_t)c)->selectable) {
			last_ok = c;
			moved++;
		}
	}
	v->cursor = (size_t)last_ok;
	pane_frame_free(&f);
}

static void move_edge(struct app *a, bool last)
{
	struct pane_frame f;
	struct pane_view *v = app_view(a);
	size_t n;

	app_build_focused(a, &f);
	n = frame_n(&f);
	if (n > 0) {
		if (last) {
			size_t c = n - 1;
			while (c > 0 && !frame_row(&f, c)->selectable)
				c--;
			v->cursor = c;
		} else {
			size_t c = 0;
			while (c + 1 < n && !frame_row(&f, c)->selectable)
				c++;
			v->cursor = c;
			v->top = 0;
		}
	}
	pane_frame_free(&f);
}

static void do_enter(struct app *a)
{
	struct pane *p = app_pane(a);
	struct pane_frame f;
	struct pane_view *v = app_view(a);
	bool ok = false;

	if (a->help_open)
		return;
	app_build_focused(a, &f);
	if (v->cursor < frame_n(&f) && frame_row(&f, v->cursor)->selectable) {
		/* copy: a virtual row may be rebuilt by enter() */
		struct ui_row row = *frame_row(&f, v->cursor);
		ok = p->ops->enter(p, &a->d, &row);
	}
	pane_frame_free(&f);
	if (ok) {
		if (p->depth < PANE_MAXDEPTH)
			memset(&p->view[p->depth], 0, sizeof p->view[p->depth]);
		a->msg[0] = '\0';
	} else {
		app_message(a, false, "Nothing to open here");
	}
}

/* True when the focused view is a viewer still reading its file. */
static bool viewer_loading(struct app *a)
{
	struct pane_frame f;
	bool l;

	if (a->help_open)
		return false;
	app_build_focused(a, &f);
	l = f.viewer && f.viewer->loading;
	pane_frame_free(&f);
	return l;
}

int app_cancel_view_jobs(struct app *a)
{
	int n = job_cancel_owner(a->focus);

	if (a->d.loading)
		n += job_cancel_owner(PANE_OWNER_APP);
	return n;
}

static void do_back(struct app *a, bool from_q)
{
	struct pane *p = app_pane(a);
	int n;

	a->msg[0] = '\0';
	if (a->help_open) {
		a->help_open = false;
		return;
	}
	if (viewer_loading(a)) {
		/* leaving closes the viewer, which cancels its read */
		p->ops->back(p);
		app_message(a, false, "Cancelled reading the file");
		return;
	}
	if (!from_q && (job_active(a->focus) > 0 || (a->d.loading && job_active(PANE_OWNER_APP)))) {
		n = app_cancel_view_jobs(a);
		app_message(a, false, "Cancelled %d job%s", n, n == 1 ? "" : "s");
		return;
	}
	if (view_filter_clear(a)) {
		app_message(a, false, "filter cleared");
		return;
	}
	if (p->ops->back(p))
		return;
	if (from_q)
		a->quit = true;
}

static void do_cancel(struct app *a)
{
	double now = (double)time(NULL);
	int n;

	if (a->last_cancel > 0 && now - a->last_cancel <= 2) {
		a->quit = true;
		return;
	}
	a->last_cancel = now;
	if (viewer_loading(a)) {
		app_pane(a)->ops->back(app_pane(a));
		app_message(a, false, "Cancelled reading the file; Ctrl-C again within 2 s quits");
		return;
	}
	n = app_cancel_view_jobs(a);
	if (n > 0)
		app_message(a, false, "Cancelled %d job%s; Ctrl-C again within 2 s quits", n,
			    n == 1 ? "" : "s");
	else
		app_message(a, false, "No jobs to cancel; Ctrl-C again within 2 s quits");
}

static void layout_next(struct app *a)
{
	enum lay_pref p = LP_AUTO;
	char line[64];
	struct wz_err err;
	enum lay_kind k;
	static const char *const kind_word[] = {"single", "split", "grid"};

	layout_pref_parse(cfg_get(a->cfg, "layout"), &p);
	p = (enum lay_pref)((p + 1) % LP_COUNT);
	snprintf(line, sizeof line, "set layout = %s", layout_pref_name(p));
	wz_err_clear(&err);
	if (!cmd_run(a, line, &err)) {
		app_message(a, true, "%s", err.msg);
		return;
	}
	a->zoom = false;
	k = app_layout_kind(a);
	if ((p == LP_SPLIT && k != LK_SPLIT) || (p == LP_GRID && k != LK_GRID))
		app_message(a, false, "layout %s: needs %dx%d (now %dx%d), showing %s",
			    layout_pref_name(p), p == LP_GRID ? LAY_GRID_COLS : LAY_SPLIT_COLS,
			    p == LP_GRID ? LAY_GRID_ROWS : LAY_SPLIT_ROWS, a->cols, a->rows, kind_word[k]);
	else
		app_message(a, false, "layout %s", layout_pref_name(p));
}

/* Runs shell text with "$1" = arg, the terminal handed back to it; in
 * script mode the command is traced instead. Its exit status, or -1. */
static int app_exec(struct app *a, const char *cmd, const char *arg)
{
	pid_t pid;
	int st = -1;

	app_trace(a, "exec", "%s -- %s", cmd, arg ? arg : "");
	if (a->headless || !a->curses_on)
		return -1;
	endwin();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", arg ? arg : "", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	return pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Carries out what a pane's own action asked for (ui/pane.h). */
static void pane_req_do(struct app *a, struct pane *p, struct pane_req *req)
{
	if (req->exec) {
		int st = app_exec(a, req->exec, req->exec_arg);
		char *cmd = req->exec, *arg = req->exec_arg;
		req->exec = req->exec_arg = NULL;
		if (p->ops->exec_done)
			p->ops->exec_done(p, &a->d, req->exec_tag, st, req);
		free(cmd);
		free(arg);
	}
	if (req->msg[0])
		app_message(a, req->msg_error, "%s", req->msg);
	if (req->goto_pane >= 0)
		app_goto(a, req->goto_pane);
	if (req->publish)
		dialog_publish_open(a);
}

bool app_action(struct app *a, enum km_action act)
{
	struct pane_view *v = app_view(a);
	int page = a->lay.body.h > 1 ? a->lay.body.h - 1 : 1;
	const char *name = km_action_name(act);

	app_trace(a, "action", "%s", name ? name : "?");
	if (a->dialog && dialog_action(a, act))
		return true;
	if (!a->help_open && app_pane(a)->ops->action) {
		struct pane_req req;
		memset(&req, 0, sizeof req);
		req.goto_pane = -1;
		if (app_pane(a)->ops->action(app_pane(a), &a->d, act, v, &req)) {
			pane_req_do(a, app_pane(a), &req);
			return true;
		}
	}
	switch (act) {
	case ACT_MOVE_DOWN: move_cursor(a, 1); break;
	case ACT_MOVE_UP: move_cursor(a, -1); break;
	case ACT_MOVE_PAGE_DOWN: move_cursor(a, page); v->top += (size_t)page; break;
	case ACT_MOVE_PAGE_UP:
		move_cursor(a, -page);
		v->top = v->top > (size_t)page ? v->top - (size_t)page : 0;
		break;
	case ACT_MOVE_HALF_DOWN: move_cursor(a, page / 2 ? page / 2 : 1); break;
	case ACT_MOVE_HALF_UP: move_cursor(a, -(page / 2 ? page / 2 : 1)); break;
	case ACT_MOVE_FIRST: move_edge(a, false); break;
	case ACT_MOVE_LAST: move_edge(a, true); break;
	case ACT_SCROLL_LEFT:
		v->hscroll -= a->cols / 4 > 0 ? a->cols / 4 : 1;
		if (v->hscroll < 0)
			v->hscroll = 0;
		break;
	case ACT_SCROLL_RIGHT: v->hscroll += a->cols / 4 > 0 ? a->cols / 4 : 1; break;
	case ACT_ENTER: do_enter(a); break;
	case ACT_BACK: do_back(a, false); break;
	case ACT_PANE_NEXT: app_goto(a, (a->focus + 1) % PANE_COUNT); break;
	case ACT_PANE_PREV: app_goto(a, (a->focus + PANE_COUNT - 1) % PANE_COUNT); break;
	case ACT_VIEW_FLOW: case ACT_VIEW_TESTS: case ACT_VIEW_METRICS: case ACT_VIEW_LOGS:
	case ACT_VIEW_INCIDENTS: case ACT_VIEW_SLO: case ACT_VIEW_COST: case ACT_VIEW_TRACES:
	case ACT_VIEW_AUDIT: case ACT_VIEW_LEARNINGS:
		app_goto(a, (int)(act - ACT_VIEW_FLOW));
		break;
	case ACT_QUIT: a->quit = true; break;
	case ACT_CANCEL: do_cancel(a); break;
	case ACT_ZOOM:
		a->zoom = !a->zoom;
		app_message(a, false, a->zoom ? "zoomed: z restores the layout" : "layout restored");
		break;
	case ACT_LAYOUT_NEXT: layout_next(a); break;
	case ACT_SEARCH: prompt_open(a, PK_SEARCH); break;
	case ACT_SEARCH_NEXT: search_step(a, 1); break;
	case ACT_SEARCH_PREV: search_step(a, -1); break;
	case ACT_PROMPT: prompt_open(a, PK_COMMAND); break;
	case ACT_HELP:
		if (a->help_open) {
			a->help_open = false;
		} else {
			a->help_open = true;
			memset(&a->help_view, 0, sizeof a->help_view);
			a->help_filter[0] = '\0';
		}
		break;
	case ACT_HELP_FILTER: prompt_open(a, PK_HELP_FILTER); break;
	case ACT_REFRESH: app_reload(a); break;
	case ACT_REDRAW:
		if (a->curses_on)
			clearok(curscr, TRUE);
		break;
	case ACT_WRAP: v->wrap = !v->wrap; v->hscroll = 0; break;
	case ACT_PUBLISH: dialog_publish_open(a); break;
	default:
		if (view_action(a, act))
			break;
		app_message(a, false, "%s: not available in this pane yet", name ? name : "?");
		return false;
	}
	return true;
}

void app_key(struct app *a, int key)
{
	enum km_context ctx, cls;
	enum km_action act;
	char kn[32];

	key = km_normalize(key);
	km_key_name(key, kn, sizeof kn);
	app_trace(a, "key", "%s", kn);
	if (a->prompt.kind != PK_NONE) {
		prompt_key(a, key);
		return;
	}
	if (a->rows < LAY_MIN_ROWS || a->cols < LAY_MIN_COLS) {
		if (key == 'q' || key == 'Q' || key == 3)
			a->quit = true;
		return;
	}
	ctx = app_context(a, &cls);
	act = km_lookup(a->km, ctx, cls, key);
	if (act == ACT_COMMAND) {
		const char *cmd = km_bound_command(a->km, ctx, cls, key);
		struct wz_err err;
		wz_err_clear(&err);
		if (cmd && !cmd_run(a, cmd, &err))
			app_message(a, true, "%s", err.msg);
		return;
	}
	if (act == ACT_NONE && a->dialog && key == '\r') {
		/* cancel is the default: Enter never publishes */
		app_message(a, false, "Enter does nothing here: y publishes, w writes files only, Esc cancels");
		return;
	}
	if (act == ACT_NONE) {
		char hk[32];
		if (!km_key_for(a->km, ctx, cls, ACT_HELP, hk, sizeof hk))
			snprintf(hk, sizeof hk, "?");
		app_message(a, true, "Unknown key %s %s %s for help", kn,
			    ui_is_ascii() ? "-" : "\xe2\x80\x94", hk);
		return;
	}
	if (act != ACT_CANCEL)
		a->msg[0] = '\0';
	if (act == ACT_BACK && key == 'q') {
		do_back(a, true);
		return;
	}
	app_action(a, act);
}
