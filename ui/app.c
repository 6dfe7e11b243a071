/* app.c - the console: terminal setup, the one event loop, action
 * dispatch and frame composition (ui.md §0-§1, §8; ARCHITECTURE.md §3).
 *
 * Interactive: curses on the controlling terminal's stdin/stdout, a poll()
 * over stdin and the self-pipe (ui/loop.c). Headless (--script): curses
 * draws into its in-memory screen via newterm() on /dev/null; size and
 * terminal type come from --size/--term, /dev/tty is never opened.
 */
#include "config.h"
#include "ui/app.h"
#include "ui/ui.h"

#include <curses.h>
#include <term.h>
#include <langinfo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "analysis/audit.h"
#include "sources/runs.h"
#include "ui/loop.h"
#include "ui/screen.h"
#include "util/xalloc.h"

/* ---------- messages and trace ---------- */

void app_message(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_error = error;
	app_trace(a, "msg", "%s", a->msg);
}

void app_trace(struct app *a, const char *kind, const char *fmt, ...)
{
	va_list ap;

	if (!a->trace)
		return;
	fprintf(a->trace, "%.3f %s ", a->d.now, kind);
	va_start(ap, fmt);
	vfprintf(a->trace, fmt, ap);
	va_end(ap);
	fputc('\n', a->trace);
	fflush(a->trace);
}

struct pane *app_pane(struct app *a)
{
	return &a->panes[a->focus];
}

enum km_context app_context(const struct app *a, enum km_context *cls)
{
	const struct pane *p = &a->panes[a->focus];

	if (a->prompt.kind != PK_NONE) {
		*cls = KC_PROMPT;
		return KC_PROMPT;
	}
	if (a->help_open) {
		*cls = KC_HELP;
		return KC_HELP;
	}
	*cls = pane_class(p);
	return p->ops->ctx;
}

/* ---------- data ---------- */

static void data_free(struct app *a)
{
	audit_free(&a->d.audit);
	run_free(&a->d.run);
}

static bool data_load(struct app *a, struct wz_err *err)
{
	const char *spec = a->o->nargs > 0 ? a->o->args[0] : NULL;
	struct run *r = NULL;

	if (runs_open(spec, a->o->repo, &r, err) != WZ_OK)
		return false;
	data_free(a);
	a->d.run = r;
	a->d.audit = audit_run(r);
	return true;
}

void app_reload(struct app *a)
{
	struct wz_err err;

	wz_err_clear(&err);
	if (!data_load(a, &err)) {
		app_message(a, true, "refresh failed: %s", err.msg);
		return;
	}
	for (int i = 0; i < PANE_COUNT; i++)
		if (a->panes[i].ops->load)
			a->panes[i].ops->load(&a->panes[i], &a->d);
	app_message(a, false, "Re-read the run's artifacts");
}

void app_goto(struct app *a, int pane)
{
	if (pane < 0 || pane >= PANE_COUNT)
		return;
	a->focus = pane;
	a->help_open = false;
}

/* ---------- frame ---------- */

static const struct ui_rows *frame_body(const struct pane_frame *f)
{
	return f->body_ref ? f->body_ref : &f->body;
}

static struct pane_view *cur_view(struct app *a)
{
	struct pane *p = app_pane(a);

	return a->help_open ? &a->help_view : &p->view[p->depth];
}

/* Builds the focused view's frame at the current width. */
static void build_frame(struct app *a, struct pane_frame *f)
{
	struct pane *p = app_pane(a);

	memset(f, 0, sizeof *f);
	if (a->help_open)
		help_build(a, f);
	else
		p->ops->build(p, &a->d, a->cols, f);
}

static int row_height(const struct ui_row *r, int w, bool wrap)
{
	return wrap ? scr_wrapped_height(r, w) : 1;
}

/* Cursor onto a selectable row (searching down, then up); top so that
 * the cursor is visible in h lines. */
static void fix_view(struct pane_view *v, const struct ui_rows *rows, int h, int w)
{
	size_t n = rows->n;
	int used;

	if (n == 0) {
		v->cursor = v->top = 0;
		return;
	}
	if (v->cursor >= n)
		v->cursor = n - 1;
	if (!rows->v[v->cursor].selectable) {
		size_t c = v->cursor;
		while (c < n && !rows->v[c].selectable)
			c++;
		if (c == n) {
			c = v->cursor;
			while (c > 0 && !rows->v[c].selectable)
				c--;
		}
		v->cursor = c;
	}
	if (v->top > v->cursor)
		v->top = v->cursor;
	if (h <= 0)
		return;
	/* scroll down until the cursor row fits */
	for (;;) {
		used = 0;
		for (size_t i = v->top; i <= v->cursor; i++)
			used += row_height(&rows->v[i], w, v->wrap);
		if (used <= h || v->top == v->cursor)
			break;
		v->top++;
	}
	if (v->top >= n)
		v->top = n - 1;
}

static void paint_notice(struct app *a)
{
	struct ui_row r = {0};
	char buf[200];

	snprintf(buf, sizeof buf, "wisdom needs %dx%d (now %dx%d) %s enlarge, or Q to quit",
		 LAY_MIN_COLS, LAY_MIN_ROWS, a->cols, a->rows, ui_is_ascii() ? "-" : "\xe2\x80\x94");
	row_put(&r, ROLE_MESSAGE_ERROR, buf);
	scr_paint_wrapped(a->theme, &r, 0, 0, a->cols, a->rows, -1, ROLE_DEFAULT);
	row_free(&r);
}

static void paint_hint(struct app *a, const struct pane_frame *f, int cursor_y)
{
	struct ui_row r = {0};
	const struct lay_rect *h = &a->lay.hint;

	(void)cursor_y;
	if (a->prompt.kind != PK_NONE) {
		const char *lead = a->prompt.kind == PK_COMMAND ? ":" : "/";
		row_put(&r, ROLE_PROMPT, lead);
		row_putn(&r, ROLE_PROMPT, a->prompt.buf, a->prompt.len);
		scr_paint_row(a->theme, &r, h->y, h->x, h->w, 0, -1, ROLE_DEFAULT, NULL);
		row_free(&r);
		return;
	}
	if (a->msg[0]) {
		row_put_untrusted(&r, a->msg_error ? ROLE_MESSAGE_ERROR : ROLE_MESSAGE_INFO, ROLE_ESCAPE,
				  a->msg, strlen(a->msg), 8);
	} else if (a->lay.mode == LAY_REDUCED) {
		row_printf(&r, ROLE_HINT, "full view needs %dx%d (now %dx%d)", LAY_FULL_COLS,
			   LAY_FULL_ROWS, a->cols, a->rows);
	} else {
		row_put(&r, ROLE_HINT, f->hint[0] ? f->hint : "Tab next pane  1-9,0 jump  ? help  : command  q quit");
	}
	scr_paint_row(a->theme, &r, h->y, h->x, h->w, 0, -1, ROLE_DEFAULT, NULL);
	row_free(&r);
}

void app_frame(struct app *a)
{
	struct pane_frame f;
	struct ui_row row = {0};
	const struct ui_rows *body;
	struct pane_view *v;
	struct timespec t0, t1;
	int y, cursor_y = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	scr_erase();
	if (a->rows < LAY_MIN_ROWS || a->cols < LAY_MIN_COLS) {
		layout_compute(a->rows, a->cols, false, &a->lay);
		paint_notice(a);
		scr_cursor(0, 0, false);
		scr_flush();
		return;
	}
	build_frame(a, &f);
	layout_compute(a->rows, a->cols, f.header.n > 0, &a->lay);
	body = frame_body(&f);
	v = cur_view(a);

	tabbar_build(a, a->cols, &row);
	scr_paint_row(a->theme, &row, a->lay.tabs.y, 0, a->lay.tabs.w, 0, -1, ROLE_TAB, NULL);
	row_free(&row);
	scr_paint_row(a->theme, &f.title, a->lay.title.y, 0, a->lay.title.w, 0, -1, ROLE_TITLE,
		      ui_glyph(G_HLINE));
	if (a->lay.header.h > 0) {
		scr_paint_row(a->theme, NULL, a->lay.header.y, 0, 1, 0, -1, ROLE_HEADER, NULL);
		scr_paint_row(a->theme, &f.header, a->lay.header.y, 1, a->lay.header.w - 1, v->hscroll, -1,
			      ROLE_HEADER, NULL);
	}
	fix_view(v, body, a->lay.body.h, a->lay.body.w - 1);
	y = a->lay.body.y;
	for (size_t i = v->top; i < body->n && y < a->lay.body.y + a->lay.body.h; i++) {
		const struct ui_row *r = &body->v[i];
		bool cur = i == v->cursor && r->selectable;
		int left = a->lay.body.y + a->lay.body.h - y;
		struct ui_row mark = {0};

		row_put(&mark, cur ? ROLE_CURSOR : ROLE_DEFAULT, cur ? ui_glyph(G_CURSOR) : " ");
		scr_paint_row(a->theme, &mark, y, 0, 1, 0, -1, ROLE_DEFAULT, NULL);
		row_free(&mark);
		if (cur)
			cursor_y = y;
		if (v->wrap) {
			y += scr_paint_wrapped(a->theme, r, y, 1, a->lay.body.w - 1, left,
					       cur ? ROLE_CURSOR : -1, cur ? ROLE_CURSOR : ROLE_DEFAULT);
		} else {
			scr_paint_row(a->theme, r, y, 1, a->lay.body.w - 1, v->hscroll, cur ? ROLE_CURSOR : -1,
				      cur ? ROLE_CURSOR : ROLE_DEFAULT, NULL);
			y++;
		}
	}
	statusbar_build(a, a->cols, &row);
	scr_paint_row(a->theme, &row, a->lay.status.y, 0, a->lay.status.w, 0, -1, ROLE_STATUS, NULL);
	row_free(&row);
	paint_hint(a, &f, cursor_y);
	if (a->prompt.kind != PK_NONE)
		scr_cursor(a->lay.hint.y, 1 + (int)a->prompt.cur, true);
	else
		scr_cursor(cursor_y >= 0 ? cursor_y : a->lay.body.y, 0, false);
	pane_frame_free(&f);
	scr_flush();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->frame_ms_last = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (CLI_FLAG(a->o, bench))
		app_trace(a, "frame", "%.3f ms", a->frame_ms_last);
}

/* ---------- navigation ---------- */

static void with_body(struct app *a, struct pane_frame *f)
{
	build_frame(a, f);
}

static void move_cursor(struct app *a, long delta)
{
	struct pane_frame f;
	const struct ui_rows *rows;
	struct pane_view *v = cur_view(a);
	long c;

	with_body(a, &f);
	rows = frame_body(&f);
	if (rows->n == 0) {
		pane_frame_free(&f);
		return;
	}
	c = (long)v->cursor;
	if (delta == 0) {
		pane_frame_free(&f);
		return;
	}
	{
		long step = delta > 0 ? 1 : -1, moved = 0, last_ok = c;
		while (moved < labs(delta)) {
			c += step;
			if (c < 0 || c >= (long)rows->n)
				break;
			if (rows->v[c].selectable) {
				last_ok = c;
				moved++;
			}
		}
		v->cursor = (size_t)last_ok;
	}
	pane_frame_free(&f);
}

static void move_edge(struct app *a, bool last)
{
	struct pane_frame f;
	const struct ui_rows *rows;
	struct pane_view *v = cur_view(a);

	with_body(a, &f);
	rows = frame_body(&f);
	if (rows->n > 0) {
		if (last) {
			size_t c = rows->n - 1;
			while (c > 0 && !rows->v[c].selectable)
				c--;
			v->cursor = c;
		} else {
			size_t c = 0;
			while (c + 1 < rows->n && !rows->v[c].selectable)
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
	const struct ui_rows *rows;
	struct pane_view *v = cur_view(a);
	bool ok = false;

	if (a->help_open)
		return;
	with_body(a, &f);
	rows = frame_body(&f);
	if (v->cursor < rows->n && rows->v[v->cursor].selectable)
		ok = p->ops->enter(p, &a->d, &rows->v[v->cursor]);
	pane_frame_free(&f);
	if (ok) {
		if (p->depth < PANE_MAXDEPTH)
			memset(&p->view[p->depth], 0, sizeof p->view[p->depth]);
		a->msg[0] = '\0';
	} else {
		app_message(a, false, "Nothing to open here");
	}
}

static void do_back(struct app *a, bool from_q)
{
	struct pane *p = app_pane(a);

	a->msg[0] = '\0';
	if (a->help_open) {
		a->help_open = false;
		return;
	}
	if (p->ops->back(p))
		return;
	if (from_q)
		a->quit = true;
}

bool app_action(struct app *a, enum km_action act)
{
	struct pane_view *v = cur_view(a);
	int page = a->lay.body.h > 1 ? a->lay.body.h - 1 : 1;
	const char *name = km_action_name(act);

	app_trace(a, "action", "%s", name ? name : "?");
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
	case ACT_CANCEL: {
		double now = (double)time(NULL);
		if (a->last_cancel > 0 && now - a->last_cancel <= 2) {
			a->quit = true;
		} else {
			a->last_cancel = now;
			app_message(a, false, "No jobs to cancel; Ctrl-C again within 2 s quits");
		}
		break;
	}
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
	default:
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

void app_apply_resize(struct app *a, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	a->rows = rows;
	a->cols = cols;
	if (a->curses_on)
		resizeterm(rows, cols);
	app_trace(a, "resize", "%dx%d", cols, rows);
}

/* ---------- terminal ---------- */

static bool parse_size(const char *s, int *cols, int *rows)
{
	char *end;
	long c, r;

	if (!s)
		return false;
	c = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return false;
	r = strtol(end + 1, &end, 10);
	if (*end || c < 1 || r < 1 || c > 1000 || r > 1000)
		return false;
	*cols = (int)c;
	*rows = (int)r;
	return true;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static void choose_charset(struct app *a)
{
	const char *cs = cfg_get(a->cfg, "charset");

	if (cs && !strcmp(cs, "ascii"))
		ui_set_ascii(true);
	else if (cs && !strcmp(cs, "utf-8"))
		ui_set_ascii(false);
	else
		ui_set_ascii(!locale_is_utf8());
}

static struct termios saved_tio;
static bool have_saved_tio;

static void setup_restore_bytes(void)
{
	char bytes[256];
	size_t n = 0;
	const char *caps[] = {"rmcup", "cnorm", "sgr0", "rmkx"};

	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *s = tigetstr(caps[i]);
		if (s && s != (char *)-1) {
			size_t l = strlen(s);
			if (n + l < sizeof bytes) {
				memcpy(bytes + n, s, l);
				n += l;
			}
		}
	}
	loop_set_restore(STDOUT_FILENO, have_saved_tio ? &saved_tio : NULL, bytes, n);
}

static bool term_start(struct app *a, struct wz_err *err)
{
	SCREEN *s;
	const char *term;
	int colors, depth;
	struct wz_err terr;

	if (a->headless) {
		term = a->o->term ? a->o->term : "xterm-256color";
		a->term_out = fopen("/dev/null", "w");
		a->term_in = fopen("/dev/null", "r");
		if (!a->term_out || !a->term_in) {
			wz_err_set(err, WZ_EIO, "cannot open /dev/null for the headless screen");
			return false;
		}
		use_env(FALSE);
		s = newterm(term, a->term_out, a->term_in);
		if (!s) {
			wz_err_set(err, WZ_EUSAGE,
				   "--term %s: no terminfo entry; try --term xterm-256color", term);
			return false;
		}
	} else {
		int e = 0;
		char *cup;
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			wz_err_set(err, WZ_EUSAGE,
				   "the console needs a terminal on stdin and stdout; use 'wisdom analyze' for a report, or --script FILE to drive it headless");
			return false;
		}
		if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
			wz_err_set(err, WZ_EUSAGE,
				   "TERM=%s has no terminfo entry: the console needs cursor addressing; use 'wisdom analyze' for a plain report",
				   getenv("TERM") ? getenv("TERM") : "");
			return false;
		}
		cup = tigetstr("cup");
		if (!cup || cup == (char *)-1) {
			const char *tn = getenv("TERM");
			del_curterm(cur_term);
			wz_err_set(err, WZ_EUSAGE,
				   "TERM=%s cannot address the cursor: the console needs it; use 'wisdom analyze' for a plain report",
				   tn ? tn : "");
			return false;
		}
		del_curterm(cur_term);
		if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
			have_saved_tio = true;
		s = newterm(NULL, stdout, stdin);
		if (!s) {
			wz_err_set(err, WZ_EUSAGE, "cannot start curses on this terminal; use 'wisdom analyze'");
			return false;
		}
	}
	a->screen = s;
	a->curses_on = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(cfg_get_int(a->cfg, CFG_ESCDELAY));
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	colors = has_colors() ? COLORS : 0;
	wz_err_clear(&terr);
	cfg_theme(a->cfg, colors, &a->theme, &terr);
	if (terr.code != WZ_OK)
		app_message(a, true, "%s", terr.msg);
	a->color = theme_use_color(cfg_get(a->cfg, "color"), getenv("NO_COLOR"), colors);
	depth = theme_depth_for(colors, tigetflag("RGB") > 0, cfg_get(a->cfg, "color-depth"));
	theme_apply(a->theme, depth ? depth : 8, a->color && depth > 0);
	if (a->headless) {
		resizeterm(a->rows, a->cols);
	} else {
		struct winsize ws;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
			a->rows = ws.ws_row;
			a->cols = ws.ws_col;
		} else {
			a->rows = LINES;
			a->cols = COLS;
		}
		setup_restore_bytes();
	}
	return true;
}

static void term_stop(struct app *a)
{
	if (a->curses_on) {
		curs_set(1);
		endwin();
		a->curses_on = false;
	}
	if (a->screen) {
		delscreen(a->screen);
		a->screen = NULL;
	}
	loop_set_restore(-1, NULL, NULL, 0);
	if (a->term_out)
		fclose(a->term_out);
	if (a->term_in)
		fclose(a->term_in);
	a->term_out = a->term_in = NULL;
}

/* ---------- interactive loop ---------- */

static void read_keys(struct app *a)
{
	wint_t wc;
	int r;

	while (!a->quit && (r = get_wch(&wc)) != ERR) {
		int key = (int)wc;
		if (r == KEY_CODE_YES && wc == KEY_RESIZE)
			continue;
		if (r == OK && key == 27) {
			/* <M-x>: Esc followed at once by a key */
			wint_t w2;
			int r2 = get_wch(&w2);
			if (r2 == OK && w2 > 32 && w2 < 127)
				key = KM_META | (int)w2;
			else if (r2 != ERR)
				unget_wch(w2);
		}
		app_key(a, key);
	}
}

static int run_interactive(struct app *a)
{
	struct loop_events ev;

	while (!a->quit) {
		app_frame(a);
		if (!loop_wait(STDIN_FILENO, -1, &ev)) {
			snprintf(a->fatal, sizeof a->fatal, "wisdom: poll failed; terminal restored");
			a->exit_code = 2;
			break;
		}
		if (ev.quit_signal) {
			app_trace(a, "signal", "%d", ev.quit_signal);
			a->exit_code = 128 + ev.quit_signal;
			break;
		}
		if (ev.winch) {
			struct winsize ws;
			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
				app_apply_resize(a, ws.ws_row, ws.ws_col);
		}
		if (ev.input)
			read_keys(a);
	}
	return a->exit_code;
}

/* ---------- entry ---------- */

static void app_free(struct app *a)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (a->panes[i].ops && a->panes[i].ops->free)
			a->panes[i].ops->free(&a->panes[i]);
	data_free(a);
	theme_free(&a->theme);
	cfg_free(&a->cfg);
	km_free(&a->km);
	if (a->search_ok)
		regfree(&a->search_re);
	for (int i = 0; i < a->prompt.nhist; i++)
		free(a->prompt.history[i]);
	if (a->trace)
		fclose(a->trace);
}

static int start_pane(struct app *a)
{
	const char *sp = cfg_get(a->cfg, "start-pane");

	for (int i = 0; sp && i < PANE_COUNT; i++)
		if (!strcmp(sp, pane_table[i]->name))
			return i;
	return 0;
}

int ui_run(const struct cli_opts *o)
{
	struct app a;
	struct wz_err err;
	int rc;
	const char *tr = o->trace ? o->trace : getenv("WISDOM_TRACE");

	memset(&a, 0, sizeof a);
	a.o = o;
	a.headless = o->script != NULL;
	a.cols = 80;
	a.rows = 24;
	if (o->size && !parse_size(o->size, &a.cols, &a.rows)) {
		fprintf(stderr, "wisdom: --size %s: expected COLSxROWS, e.g. 80x24\n", o->size);
		return 2;
	}
	if (o->dump && !o->script) {
		fprintf(stderr, "wisdom: --dump needs --script FILE (the screen is dumped when the script ends)\n");
		return 2;
	}
	a.d.now = cli_now(o);
	a.d.offline = CLI_FLAG(o, offline);
	if (tr && *tr)
		a.trace = fopen(tr, "w");
	a.km = km_new_default();
	a.cfg = cfg_new_defaults();
	wz_err_clear(&err);
	if (cfg_load(a.cfg, a.km, o->config, &err) != WZ_OK) {
		fprintf(stderr, "wisdom: %s\n", err.msg);
		app_free(&a);
		return 2;
	}
	if (cfg_apply_cli(a.cfg, o, &err) != WZ_OK) {
		fprintf(stderr, "wisdom: %s\n", err.msg);
		app_free(&a);
		return 2;
	}
	a.d.tab_size = cfg_get_int(a.cfg, CFG_TAB_SIZE);
	choose_charset(&a);
	if (!data_load(&a, &err)) {
		fprintf(stderr, "wisdom: %s\n", err.msg);
		app_free(&a);
		return 2;
	}
	for (int i = 0; i < PANE_COUNT; i++) {
		a.panes[i].ops = pane_table[i];
		a.panes[i].index = i;
		if (a.panes[i].ops->init)
			a.panes[i].ops->init(&a.panes[i]);
		if (a.panes[i].ops->load)
			a.panes[i].ops->load(&a.panes[i], &a.d);
	}
	a.focus = start_pane(&a);
	{
		const char **errl;
		size_t n = cfg_errors(a.cfg, &errl);
		if (n > 0)
			app_message(&a, true, "%s%s", errl[0], n > 1 ? " (and more: :info paths)" : "");
	}
	if (!loop_init()) {
		fprintf(stderr, "wisdom: cannot create the event loop's pipe\n");
		app_free(&a);
		return 2;
	}
	if (!term_start(&a, &err)) {
		term_stop(&a);
		loop_fini();
		fprintf(stderr, "wisdom: %s\n", err.msg);
		app_free(&a);
		return 2;
	}
	if (a.headless)
		rc = script_run(&a, o->script);
	else
		rc = run_interactive(&a);
	term_stop(&a);
	loop_fini();
	if (a.fatal[0])
		fprintf(stderr, "%s\n", a.fatal);
	app_free(&a);
	return rc;
}
