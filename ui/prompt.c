/* prompt.c - the hint-line editor (`:` commands, `/` search, help filter)
 * and the `:` command set (ui.md §8). Keys reach it through the keymap's
 * prompt context; printable characters are inserted. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "jobs.h"
#include "ui/app.h"
#include "ui/viewer.h"
#include "sources/secrets.h"
#include "util/buf.h"
#include "util/redact.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

/* X(name, args, help) — commands besides the action names. */
#define CMD_TABLE(X)                                                       \
	X("set",         "NAME = VALUE", "change a setting")               \
	X("bind",        "CONTEXT KEY ACTION|:command", "bind a key")      \
	X("unbind",      "CONTEXT KEY", "remove a binding")                \
	X("goto",        "PANE", "focus a pane by name or digit")          \
	X("screen-dump", "FILE [--attrs]", "write the screen as text")     \
	X("dump",        "FILE [--attrs]", "alias of screen-dump")         \
	X("resize",      "ROWS COLS", "resize the (headless) screen")      \
	X("clock",       "TIME", "move the injected clock")                \
	X("wait-idle",   "[S]", "wait for jobs to finish")                 \
	X("search",      "REGEX", "search the focused view")               \
	X("filter",      "[TEXT]", "filter the focused list (no TEXT: type it)") \
	X("jobs",        "", "list jobs")                                  \
	X("cancel",      "[ID|all]", "cancel a job, all, or the view's")   \
	X("info",        "[terminal|paths]", "terminal facts, or the files read") \
	X("save-config", "", "keep :set changes in the config's managed block") \
	X("quit",        "", "quit")

static const char *const cmd_names[] = {
#define CMD_X(n, a, h) n,
	CMD_TABLE(CMD_X)
#undef CMD_X
};

static size_t word(const char *s, char *out, size_t n)
{
	size_t i = 0, k = 0;

	while (s[i] == ' ' || s[i] == '\t')
		i++;
	while (s[i] && s[i] != ' ' && s[i] != '\t') {
		if (k + 1 < n)
			out[k++] = s[i];
		i++;
	}
	out[k] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

bool cmd_known(const char *line)
{
	char w[64];

	word(line, w, sizeof w);
	for (size_t i = 0; i < sizeof cmd_names / sizeof cmd_names[0]; i++)
		if (!strcmp(w, cmd_names[i]))
			return true;
	return km_action_from_name(w) != ACT_NONE;
}

bool search_set(struct app *a, const char *pattern, struct wz_err *err)
{
	int flags = REG_EXTENDED, rc;
	bool upper = false;

	for (const char *p = pattern; *p; p++)
		if (isupper((unsigned char)*p))
			upper = true;
	if (!upper)
		flags |= REG_ICASE;
	if (a->search_ok)
		regfree(&a->search_re);
	a->search_ok = false;
	a->d.search_re = NULL;
	a->d.search_gen++;
	rc = regcomp(&a->search_re, pattern, flags);
	if (rc != 0) {
		char eb[128];
		regerror(rc, &a->search_re, eb, sizeof eb);
		regfree(&a->search_re);
		wz_err_set(err, WZ_EUSAGE, "search /%s/: %s", pattern, eb);
		return false;
	}
	snprintf(a->search, sizeof a->search, "%s", pattern);
	a->search_ok = true;
	a->search_cflags = flags;
	a->d.search_re = &a->search_re;
	return true;
}

void search_step(struct app *a, int dir)
{
	struct pane_frame f;
	const struct ui_rows *rows;
	struct pane_view *v = app_view(a);
	size_t n, start;

	if (!a->search_ok) {
		app_message(a, true, "No search yet: / starts one");
		return;
	}
	app_build_focused(a, &f);
	if (f.viewer) {
		viewer_search(f.viewer, a->search, a->search_cflags, dir, v);
		pane_frame_free(&f);
		return;
	}
	rows = f.body_ref ? f.body_ref : &f.body;
	n = rows->n;
	start = v->cursor;
	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (start + k) % n : (start + n - (k % n)) % n;
		char *t;
		bool hit;
		if (!rows->v[i].selectable)
			continue;
		t = row_text(&rows->v[i]);
		hit = regexec(&a->search_re, t, 0, NULL, 0) == 0;
		free(t);
		if (hit) {
			bool wrapped = dir > 0 ? i <= start : i >= start;
			v->cursor = i;
			if (wrapped)
				app_message(a, false, "/%s: search wrapped", a->search);
			else
				app_message(a, false, "/%s", a->search);
			pane_frame_free(&f);
			return;
		}
	}
	app_message(a, true, "/%s: no match", a->search);
	pane_frame_free(&f);
}

void prompt_open(struct app *a, enum app_prompt_kind kind)
{
	a->prompt.kind = kind;
	a->prompt.len = a->prompt.cur = 0;
	a->prompt.buf[0] = '\0';
	a->prompt.hist_at = a->prompt.nhist;
	if (kind == PK_HELP_FILTER)
		a->help_filter[0] = '\0';
}

static void insert(struct prompt *p, const char *s, size_t n)
{
	if (p->len + n + 1 > sizeof p->buf)
		return;
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, s, n);
	p->len += n;
	p->cur += n;
}

static void set_text(struct prompt *p, const char *s)
{
	snprintf(p->buf, sizeof p->buf, "%s", s);
	p->len = p->cur = strlen(p->buf);
}

static void history_add(struct prompt *p, const char *s)
{
	if (!*s)
		return;
	if (p->nhist == (int)(sizeof p->history / sizeof p->history[0])) {
		free(p->history[0]);
		memmove(p->history, p->history + 1, sizeof p->history[0] * (size_t)(p->nhist - 1));
		p->nhist--;
	}
	p->history[p->nhist++] = xstrdup(s);
}

static void complete(struct app *a)
{
	struct prompt *p = &a->prompt;
	const char *hit = NULL;
	int nhit = 0;

	if (p->kind != PK_COMMAND || strchr(p->buf, ' '))
		return;
	for (size_t i = 0; i < sizeof cmd_names / sizeof cmd_names[0]; i++)
		if (!strncmp(cmd_names[i], p->buf, p->len)) {
			hit = cmd_names[i];
			nhit++;
		}
	for (int i = 0; i < ACT_COUNT; i++) {
		const char *n = km_action_name((enum km_action)i);
		if (n && !strncmp(n, p->buf, p->len)) {
			hit = n;
			nhit++;
		}
	}
	if (nhit == 1) {
		set_text(p, hit);
		insert(p, " ", 1);
	} else if (nhit > 1) {
		app_message(a, false, "%d commands start with '%s'", nhit, p->buf);
	}
}

static void run_line(struct app *a)
{
	struct wz_err err;
	char line[sizeof a->prompt.buf];
	enum app_prompt_kind kind = a->prompt.kind;

	snprintf(line, sizeof line, "%s", a->prompt.buf);
	history_add(&a->prompt, line);
	a->prompt.kind = PK_NONE;
	wz_err_clear(&err);
	if (kind == PK_COMMAND) {
		if (line[0] && !cmd_run(a, line, &err))
			app_message(a, true, "%s", err.msg);
	} else if (kind == PK_SEARCH) {
		if (!line[0]) {
			if (a->search_ok)
				search_step(a, 1);
		} else if (search_set(a, line, &err)) {
			search_step(a, 1);
		} else {
			app_message(a, true, "%s", err.msg);
		}
	}
}

void prompt_key(struct app *a, int key)
{
	struct prompt *p = &a->prompt;
	enum km_action act = km_lookup(a->km, KC_PROMPT, KC_PROMPT, key);

	switch (act) {
	case ACT_LINE_RUN: run_line(a); return;
	case ACT_LINE_CANCEL:
		if (p->kind == PK_HELP_FILTER)
			a->help_filter[0] = '\0';
		if (p->kind == PK_FILTER)
			view_filter_cancel(a);
		p->kind = PK_NONE;
		return;
	case ACT_LINE_COMPLETE: complete(a); return;
	case ACT_LINE_HOME: p->cur = 0; return;
	case ACT_LINE_END: p->cur = p->len; return;
	case ACT_LINE_LEFT:
		while (p->cur > 0 && ((unsigned char)p->buf[--p->cur] & 0xC0) == 0x80)
			;
		return;
	case ACT_LINE_RIGHT:
		while (p->cur < p->len && ((unsigned char)p->buf[++p->cur] & 0xC0) == 0x80)
			;
		return;
	case ACT_LINE_DELETE_BACK:
		if (p->cur == 0) {
			if (p->len == 0) {
				if (p->kind == PK_FILTER)
					view_filter_live(a, "");
				p->kind = PK_NONE;
			}
			return;
		} else {
			size_t c = p->cur;
			while (c > 0 && ((unsigned char)p->buf[--c] & 0xC0) == 0x80)
				;
			memmove(p->buf + c, p->buf + p->cur, p->len - p->cur + 1);
			p->len -= p->cur - c;
			p->cur = c;
		}
		break;
	case ACT_LINE_DELETE:
		if (p->cur < p->len) {
			size_t c = p->cur + 1;
			while (c < p->len && ((unsigned char)p->buf[c] & 0xC0) == 0x80)
				c++;
			memmove(p->buf + p->cur, p->buf + c, p->len - c + 1);
			p->len -= c - p->cur;
		}
		break;
	case ACT_LINE_DELETE_WORD: {
		size_t c = p->cur;
		while (c > 0 && p->buf[c - 1] == ' ')
			c--;
		while (c > 0 && p->buf[c - 1] != ' ')
			c--;
		memmove(p->buf + c, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur - c;
		p->cur = c;
		break;
	}
	case ACT_LINE_KILL:
		memmove(p->buf, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur;
		p->cur = 0;
		break;
	case ACT_LINE_HISTORY_PREV:
		if (p->hist_at > 0)
			set_text(p, p->history[--p->hist_at]);
		return;
	case ACT_LINE_HISTORY_NEXT:
		if (p->hist_at < p->nhist - 1)
			set_text(p, p->history[++p->hist_at]);
		else {
			p->hist_at = p->nhist;
			set_text(p, "");
		}
		return;
	default:
		if (key >= 32 && key < 127) {
			char c = (char)key;
			insert(p, &c, 1);
		} else if (key >= 160 && key < 0x110000 && !(key & KM_META)) {
			char u[4];
			size_t n;
			if (key < 0x800) {
				u[0] = (char)(0xC0 | (key >> 6)); u[1] = (char)(0x80 | (key & 0x3F)); n = 2;
			} else if (key < 0x10000) {
				u[0] = (char)(0xE0 | (key >> 12)); u[1] = (char)(0x80 | ((key >> 6) & 0x3F));
				u[2] = (char)(0x80 | (key & 0x3F)); n = 3;
			} else {
				u[0] = (char)(0xF0 | (key >> 18)); u[1] = (char)(0x80 | ((key >> 12) & 0x3F));
				u[2] = (char)(0x80 | ((key >> 6) & 0x3F)); u[3] = (char)(0x80 | (key & 0x3F)); n = 4;
			}
			insert(p, u, n);
		} else {
			return;
		}
		break;
	}
	if (p->kind == PK_FILTER) {
		view_filter_live(a, p->buf);
		app_view(a)->cursor = app_view(a)->top = 0;
	}
	if (p->kind == PK_HELP_FILTER) {
		snprintf(a->help_filter, sizeof a->help_filter, "%.127s", p->buf);
		a->help_view.cursor = a->help_view.top = 0;
	}
}

static int pane_by_name(const char *w)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (!strcmp(w, pane_table[i]->name))
			return i;
	if (w[0] >= '0' && w[0] <= '9' && !w[1])
		return w[0] == '0' ? 9 : w[0] - '1';
	return -1;
}

/* `:info paths`: the config files read, the user's config, the redact and
 * secrets files wisdom looks for (paths only, never contents). */
static void cmd_info_paths(struct app *a)
{
	const char **files = NULL;
	size_t n = cfg_files(a->cfg, &files);
	struct buf b = {0};
	char *rd = redact_user_file(a->o ? a->o->config : NULL), *sec = secrets_path();
	buf_puts(&b, "read:");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, " %s", files[i]);
	if (!n)
		buf_puts(&b, " (no config file)");
	buf_printf(&b, "; user config %s; redact %s; secrets %s", cfg_user_path(a->cfg) ? cfg_user_path(a->cfg) : "-",
		   rd ? rd : "-", sec ? sec : "-");
	app_message(a, false, "%s", buf_str(&b));
	buf_free(&b);
	free(rd);
	free(sec);
}

static bool cmd_wait_idle(struct app *a, const char *arg, struct wz_err *err)
{
	double secs = 10;
	char *end;

	if (*arg) {
		secs = strtod(arg, &end);
		if (end == arg || *end || secs < 0 || secs > 3600) {
			wz_err_set(err, WZ_EUSAGE, "wait-idle [S]: seconds 0-3600, got '%s'", arg);
			return false;
		}
	}
	if (!app_wait_idle(a, secs)) {
		wz_err_set(err, WZ_ECANCELED, "wait-idle: jobs still running after %g s (:jobs lists them, :cancel all stops them)", secs);
		return false;
	}
	return true;
}

static void cmd_jobs(struct app *a)
{
	struct job_info ji[16];
	size_t n = job_list(ji, 16), at = 0, shown = 0;
	char buf[256];

	job_dispatch();
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char pct[16] = "";
		if (ji[i].state != JOB_QUEUED && ji[i].state != JOB_RUNNING)
			continue;
		if (ji[i].total > 0)
			snprintf(pct, sizeof pct, " %zu%%", ji[i].done * 100 / ji[i].total);
		at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, "%s#%u %s%s%s%s",
				       shown ? ", " : "", ji[i].id, ji[i].label, pct,
				       ji[i].state == JOB_QUEUED ? " queued" : "",
				       ji[i].cancel ? " cancelling" : "");
		if (at >= sizeof buf)
			at = sizeof buf - 1;
		shown++;
	}
	if (shown == 0)
		app_message(a, false, "No jobs running");
	else
		app_message(a, false, "%zu job%s: %s", shown, shown == 1 ? "" : "s", buf);
}

static bool cmd_cancel(struct app *a, const char *arg, struct wz_err *err)
{
	int n;

	if (!*arg) {
		n = app_cancel_view_jobs(a);
		app_message(a, false, "Cancelled %d job%s of this view", n, n == 1 ? "" : "s");
		return true;
	}
	if (!strcmp(arg, "all")) {
		n = job_cancel_all();
		app_message(a, false, "Cancelled %d job%s", n, n == 1 ? "" : "s");
		return true;
	}
	{
		char *end;
		unsigned long id = strtoul(arg[0] == '#' ? arg + 1 : arg, &end, 10);
		if (*end || id == 0 || !job_cancel((unsigned)id)) {
			wz_err_set(err, WZ_EUSAGE, "cancel %s: no such job (:jobs lists them; or 'all')", arg);
			return false;
		}
		app_message(a, false, "Cancelled job #%lu", id);
	}
	return true;
}

bool cmd_run(struct app *a, const char *line, struct wz_err *err)
{
	char w[64], arg[512];
	const char *rest;
	enum km_action act;

	rest = line + word(line, w, sizeof w);
	snprintf(arg, sizeof arg, "%s", rest);
	app_trace(a, "cmd", "%s", line);
	if (!strcmp(w, "quit")) {
		a->quit = true;
		return true;
	}
	if (!strcmp(w, "set") || !strcmp(w, "bind") || !strcmp(w, "unbind")) {
		if (cfg_apply_line(a->cfg, a->km, line, NULL, 0, err) != WZ_OK)
			return false;
		a->d.tab_size = cfg_get_int(a->cfg, CFG_TAB_SIZE);
		return true;
	}
	if (!strcmp(w, "goto")) {
		char pn[64];
		int i;
		word(arg, pn, sizeof pn);
		if (strchr(pn, '/'))
			*strchr(pn, '/') = '\0';
		i = pane_by_name(pn);
		if (i < 0) {
			wz_err_set(err, WZ_EUSAGE, "goto %s: no such pane (flow, tests, metrics, logs, incidents, slo, cost, traces, audit, learnings)", pn);
			return false;
		}
		app_goto(a, i);
		return true;
	}
	if (!strcmp(w, "screen-dump") || !strcmp(w, "dump")) {
		char path[400], opt[32];
		const char *r2 = arg + word(arg, path, sizeof path);
		word(r2, opt, sizeof opt);
		if (!path[0]) {
			wz_err_set(err, WZ_EUSAGE, "%s needs a FILE", w);
			return false;
		}
		if (!app_wait_idle(a, 10)) {
			wz_err_set(err, WZ_ECANCELED, "%s: jobs still running after 10 s (:jobs lists them)", w);
			return false;
		}
		app_frame(a);
		return dump_screen(a, path, !strcmp(opt, "--attrs"), err);
	}
	if (!strcmp(w, "resize")) {
		int r = 0, c = 0;
		if (sscanf(arg, "%d %d", &r, &c) != 2 || r < 1 || c < 1 || r > 1000 || c > 1000) {
			wz_err_set(err, WZ_EUSAGE, "resize ROWS COLS: two numbers 1-1000, got '%s'", arg);
			return false;
		}
		app_apply_resize(a, r, c);
		return true;
	}
	if (!strcmp(w, "clock")) {
		double t;
		char *end;
		t = strtod(arg, &end);
		if (end == arg || *end) {
			if (!tp_parse(arg, &t, NULL, NULL)) {
				wz_err_set(err, WZ_EUSAGE, "clock %s: not a time (RFC 3339 or Unix seconds)", arg);
				return false;
			}
		}
		a->d.now = t;
		return true;
	}
	if (!strcmp(w, "wait-idle"))
		return cmd_wait_idle(a, arg, err);
	if (!strcmp(w, "jobs")) {
		cmd_jobs(a);
		return true;
	}
	if (!strcmp(w, "cancel"))
		return cmd_cancel(a, arg, err);
	if (!strcmp(w, "search")) {
		if (!search_set(a, arg, err))
			return false;
		search_step(a, 1);
		return true;
	}
	if (!strcmp(w, "filter") && arg[0]) {
		view_filter_live(a, arg);
		app_view(a)->cursor = app_view(a)->top = 0;
		return true;
	}
	if (!strcmp(w, "info") && !strcmp(arg, "paths")) {
		cmd_info_paths(a);
		return true;
	}
	if (!strcmp(w, "info")) {
		app_message(a, false, "terminal %s %dx%d, %s, %s", termname(), a->cols, a->rows,
			    a->color ? "colour" : "no colour", ui_is_ascii() ? "ASCII" : "UTF-8");
		return true;
	}
	if (!strcmp(w, "save-config")) {
		const char *path = cfg_user_path(a->cfg);
		if (!path) {
			wz_err_set(err, WZ_EUSAGE, "save-config: no config file to write (set HOME, WISDOM_CONFIG or --config)");
			return false;
		}
		if (cfg_save(a->cfg, path, err) != WZ_OK)
			return false;
		app_message(a, false, "settings saved in the managed block of %s", path);
		return true;
	}
	act = km_action_from_name(w);
	if (act != ACT_NONE) {
		app_action(a, act);
		return true;
	}
	wz_err_set(err, WZ_EUSAGE, "unknown command '%s' (an action name, set, bind, goto, screen-dump, resize, clock, quit ...)", w);
	return false;
}
