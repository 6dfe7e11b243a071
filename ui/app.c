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
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
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
#include "sources/extensions.h"
#include "sources/secrets.h"
#include "util/redact.h"
#include "jobs.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/viewer.h"
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

/* The trace can hold response text and typed commands: every line goes
 * through this redactor (built-in rules plus the user's redact file) and
 * the file is created 0600 (trace_open). One console per process. */
static struct redactor *trace_rd;

void app_trace(struct app *a, const char *kind, const char *fmt, ...)
{
	va_list ap;
	struct buf line = {0}, out = {0};

	if (!a->trace)
		return;
	buf_printf(&line, "%.3f %s ", a->d.now, kind);
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	redact_apply(trace_rd ? trace_rd : redact_default(), buf_str(&line), line.len, &out, NULL);
	fwrite(buf_str(&out), 1, out.len, a->trace);
	fputc('\n', a->trace);
	fflush(a->trace);
	buf_free(&line);
	buf_free(&out);
}

/* Opens the trace file owner-only (an existing regular file is narrowed
 * to 0600 too) and loads the redactor its lines go through. */
static FILE *trace_open(const char *path, const char *config)
{
	struct stat st;
	struct wz_err err;
	FILE *f;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0) {
		fprintf(stderr, "wisdom: --trace %s: %s (no trace written)\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		(void)fchmod(fd, 0600);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return NULL;
	}
	trace_rd = secrets_redactor(config, &err);
	if (err.code != WZ_OK)
		fprintf(stderr, "wisdom: %s (other patterns still apply to the trace)\n", err.msg);
	return f;
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
	if (a->dialog) {
		*cls = KC_DIALOG;
		return KC_DIALOG;
	}
	*cls = pane_class(p);
	return p->ops->ctx;
}

/* ---------- data: the run load runs as a job ---------- */

struct load_job {
	char *spec, *repo;
	struct run *run;
	struct audit *audit;
	struct wz_err err;
	struct app *a;            /* UI side only (apply) */
};

static enum job_outcome load_work(struct job *j, void *arg)
{
	struct load_job *l = arg;

	if (runs_open(l->spec, l->repo, &l->run, &l->err) != WZ_OK)
		return JOB_ERROR;
	if (job_stop(j))
		return JOB_STOPPED;
	l->audit = audit_run(l->run);
	return JOB_OK;
}

static void data_free(struct app *a)
{
	audit_free(&a->d.audit);
	run_free(&a->d.run);
}

static void load_apply(void *arg, enum job_outcome out)
{
	struct load_job *l = arg;
	struct app *a = l->a;
	bool first = !a->loaded_once;

	a->d.loading = false;
	a->load_job = 0;
	app_trace(a, "job-", "load run %s", out == JOB_OK ? "done" : "failed");
	if (out != JOB_OK) {
		if (first) {
			snprintf(a->fatal, sizeof a->fatal, "wisdom: %s", l->err.msg);
			a->exit_code = 2;
			a->quit = true;
		} else {
			app_message(a, true, "refresh failed: %s", l->err.msg);
		}
		return;
	}
	data_free(a);
	a->d.run = l->run;
	a->d.audit = l->audit;
	l->run = NULL;
	l->audit = NULL;
	a->loaded_once = true;
	for (int i = 0; i < PANE_COUNT; i++)
		if (a->panes[i].ops->load)
			a->panes[i].ops->load(&a->panes[i], &a->d);
	if (!first)
		app_message(a, false, "Re-read the run's artifacts");
}

static void load_release(void *arg)
{
	struct load_job *l = arg;

	free(l->spec);
	free(l->repo);
	audit_free(&l->audit);
	run_free(&l->run);
	free(l);
}

/* Starts (or restarts) the run load; the frame shows "loading" meanwhile. */
static void load_start(struct app *a)
{
	struct load_job *l = xcalloc(1, sizeof *l);
	struct job_spec js = {0};

	if (a->load_job)
		job_cancel_owner(PANE_OWNER_APP);
	l->spec = a->o->nargs > 0 ? xstrdup(a->o->args[0]) : NULL;
	l->repo = a->o->repo ? xstrdup(a->o->repo) : NULL;
	wz_err_clear(&l->err);
	l->a = a;
	js.label = "load run";
	js.owner = PANE_OWNER_APP;
	js.work = load_work;
	js.apply = load_apply;
	js.release = load_release;
	js.arg = l;
	a->d.loading = true;
	a->load_job = job_submit(&js);
	app_trace(a, "job+", "%u load run", a->load_job);
	if (!a->load_job)
		a->d.loading = false;
}

void app_reload(struct app *a)
{
	load_start(a);
	app_message(a, false, "Re-reading the run's artifacts");
}

bool app_wait_idle(struct app *a, double seconds)
{
	bool idle;

	app_frame(a);
	idle = job_wait_idle(seconds);
	job_dispatch();
	/* an apply may have queued follow-up work (a search after a read) */
	if (idle && job_active(-1) > 0) {
		idle = job_wait_idle(seconds);
		job_dispatch();
	}
	return idle;
}

static void on_viewer_note(void *ctx, bool error, const char *msg)
{
	app_message(ctx, error, "%s", msg);
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
		/* while jobs run, wake up to redraw their progress */
		if (!loop_wait(STDIN_FILENO, job_active(-1) > 0 ? 100 : -1, &ev)) {
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
		if (ev.wakeup)
			job_dispatch();
		if (ev.input)
			read_keys(a);
		job_dispatch();
	}
	return a->exit_code;
}

/* ---------- entry ---------- */

static void app_free(struct app *a)
{
	dialog_close(a);
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
	a->trace = NULL;
	redact_free(&trace_rd);
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
	{
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		a.t_start_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
	}
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
		a.trace = trace_open(tr, o->config);
	/* read the secrets file now so its problems print before curses starts */
	(void)secrets_global(stderr);
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
	if (!job_init(2, loop_notify_fd())) {
		loop_fini();
		fprintf(stderr, "wisdom: cannot start the worker threads\n");
		app_free(&a);
		return 2;
	}
	viewer_set_notifier(on_viewer_note, &a);
	load_start(&a);
	if (!term_start(&a, &err)) {
		term_stop(&a);
		job_shutdown();
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
	job_shutdown();
	viewer_set_notifier(NULL, NULL);
	loop_fini();
	if (a.fatal[0])
		fprintf(stderr, "%s\n", a.fatal);
	app_free(&a);
	return rc;
}
