/* config.c - settings table, config files, `set`/`bind`/`color` lines. */
#include "config.h"
#include "ui/config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

static const struct {
	const char *name, *def, *values, *help;
} settings[CFG_COUNT] = {
#define CFG_X(id, name, def, values, help) { name, def, values, help },
	CFG_SETTING_TABLE(CFG_X)
#undef CFG_X
};

static const char *const pane_names[] = {
	"flow", "tests", "metrics", "logs", "incidents", "slo", "cost", "traces", "audit", "learnings"
};

struct strlist {
	char **v;
	size_t n, cap;
};

struct cfg {
	char *val[CFG_COUNT];
	char *origin[CFG_COUNT];
	struct strlist errors, files, colors;
	char *user_path;         /* the user file cfg_load chose (may not exist) */
	char *no_color;          /* NO_COLOR as seen by cfg_apply_env */
	char *source_stack[CFG_MAX_SOURCE_DEPTH + 1];
	int depth;
};

static void sl_add(struct strlist *l, char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static void sl_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void set_raw(struct cfg *c, int s, const char *value, const char *origin)
{
	free(c->val[s]);
	free(c->origin[s]);
	c->val[s] = xstrdup(value);
	c->origin[s] = xstrdup(origin);
}

struct cfg *cfg_new_defaults(void)
{
	struct cfg *c = xcalloc(1, sizeof *c);
	int s;

	for (s = 0; s < CFG_COUNT; s++)
		set_raw(c, s, settings[s].def, "default");
	return c;
}

void cfg_free(struct cfg **pc)
{
	struct cfg *c;
	int s;

	if (!pc || !*pc)
		return;
	c = *pc;
	for (s = 0; s < CFG_COUNT; s++) {
		free(c->val[s]);
		free(c->origin[s]);
	}
	sl_free(&c->errors);
	sl_free(&c->files);
	sl_free(&c->colors);
	free(c->no_color);
	free(c->user_path);
	free(c);
	*pc = NULL;
}

static int find_setting(const char *name)
{
	int s;

	for (s = 0; name && s < CFG_COUNT; s++)
		if (strcmp(settings[s].name, name) == 0)
			return s;
	return -1;
}

const char *cfg_setting_name(enum cfg_setting s) { return s < CFG_COUNT ? settings[s].name : NULL; }
const char *cfg_setting_help(enum cfg_setting s) { return s < CFG_COUNT ? settings[s].help : NULL; }
const char *cfg_setting_values(enum cfg_setting s) { return s < CFG_COUNT ? settings[s].values : NULL; }
const char *cfg_value(const struct cfg *c, enum cfg_setting s) { return s < CFG_COUNT ? c->val[s] : NULL; }

const char *cfg_get(const struct cfg *c, const char *name)
{
	int s = find_setting(name);

	return s < 0 ? NULL : c->val[s];
}

const char *cfg_origin(const struct cfg *c, const char *name)
{
	int s = find_setting(name);

	return s < 0 ? NULL : c->origin[s];
}

int cfg_get_int(const struct cfg *c, enum cfg_setting s)
{
	return s < CFG_COUNT ? atoi(c->val[s]) : 0;
}

bool cfg_get_bool(const struct cfg *c, enum cfg_setting s)
{
	return s < CFG_COUNT && strcmp(c->val[s], "yes") == 0;
}

static bool is_pane(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof pane_names / sizeof pane_names[0]; i++)
		if (strlen(pane_names[i]) == n && strncmp(pane_names[i], w, n) == 0)
			return true;
	return false;
}

/* Checks value against the setting's `values` description. */
static enum wz_status validate(int s, const char *value, struct wz_err *err)
{
	const char *spec = settings[s].values;

	if (spec[0] == '\0')
		return WZ_OK;
	if (strncmp(spec, "int:", 4) == 0) {
		long lo = strtol(spec + 4, NULL, 10), hi = strtol(strchr(spec + 4, ':') + 1, NULL, 10), v;
		char *end;
		v = strtol(value, &end, 10);
		if (!*value || *end || v < lo || v > hi)
			return wz_err_set(err, WZ_EPARSE, "%s must be a whole number from %ld to %ld, not '%s'",
					  settings[s].name, lo, hi, value);
		return WZ_OK;
	}
	if (strcmp(spec, "time") == 0) {
		double t;
		if (*value && !tp_parse(value, &t, NULL, NULL))
			return wz_err_set(err, WZ_EPARSE,
					  "%s must be an ISO 8601 time like 2025-12-20T14:12:00Z (or empty), not '%s'",
					  settings[s].name, value);
		return WZ_OK;
	}
	if (strncmp(spec, "panes:", 6) == 0) {
		const char *p = value;
		int n = 0, max = atoi(spec + 6);
		while (*p) {
			size_t len = strcspn(p, ",");
			if (!is_pane(p, len))
				return wz_err_set(err, WZ_EPARSE, "%s: unknown pane '%.*s' (flow, tests, metrics, logs, "
						  "incidents, slo, cost, traces, audit, learnings)",
						  settings[s].name, (int)len, p);
			n++;
			p += len;
			if (*p)
				p++;
		}
		if (n < 1 || n > max)
			return wz_err_set(err, WZ_EPARSE, "%s takes 1 to %d comma-separated pane names",
					  settings[s].name, max);
		return WZ_OK;
	}
	{
		const char *p = spec;
		size_t vl = strlen(value);
		while (*p) {
			size_t len = strcspn(p, "|");
			if (len == vl && strncmp(p, value, len) == 0)
				return WZ_OK;
			p += len;
			if (*p)
				p++;
		}
	}
	return wz_err_set(err, WZ_EPARSE, "%s must be one of %s, not '%s'", settings[s].name, spec, value);
}

static enum wz_status set_from(struct cfg *c, const char *name, const char *value, const char *origin,
			       struct wz_err *err)
{
	int s = find_setting(name);
	enum wz_status st;

	if (s < 0)
		return wz_err_set(err, WZ_EPARSE, "unknown setting '%s' (see CONFIGURATION in wisdom(1))", name);
	st = validate(s, value, err);
	if (st != WZ_OK)
		return st;
	set_raw(c, s, value, origin);
	return WZ_OK;
}

enum wz_status cfg_set(struct cfg *c, const char *name, const char *value, struct wz_err *err)
{
	return set_from(c, name, value ? value : "", ":set", err);
}

size_t cfg_errors(const struct cfg *c, const char ***lines)
{
	*lines = (const char **)c->errors.v;
	return c->errors.n;
}

size_t cfg_files(const struct cfg *c, const char ***paths)
{
	*paths = (const char **)c->files.v;
	return c->files.n;
}

size_t cfg_color_lines(const struct cfg *c, const char ***args)
{
	*args = (const char **)c->colors.v;
	return c->colors.n;
}

/* ---- lines -------------------------------------------------------------- */

/* Cuts a trailing comment: '#' after blank, unless it starts #rrggbb. */
static void cut_comment(char *s)
{
	char *p;

	for (p = s; *p; p++) {
		if (*p != '#' || (p != s && p[-1] != ' ' && p[-1] != '\t'))
			continue;
		if (strspn(p + 1, "0123456789abcdefABCDEF") == 6 && strchr(" \t/", p[7] ? p[7] : ' '))
			continue;
		*p = '\0';
		break;
	}
	for (p = s + strlen(s); p > s && (p[-1] == ' ' || p[-1] == '\t'); p--)
		p[-1] = '\0';
}

static char *next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static char *expand_path(const char *path, const char *from_file)
{
	const char *home = getenv("HOME");
	char *dir, *slash, *r;

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home && *home)
		return xasprintf("%s%s", home, path + 1);
	if (path[0] == '/' || !from_file || !strchr(from_file, '/'))
		return xstrdup(path);
	dir = xstrdup(from_file);
	slash = strrchr(dir, '/');
	*slash = '\0';
	r = xasprintf("%s/%s", dir, path);
	free(dir);
	return r;
}

static enum wz_status apply(struct cfg *c, struct km_map *km, char *s, const char *file, int lineno,
			    const char *origin, struct wz_err *err)
{
	char *p = s, *cmd = next_word(&p);

	if (!cmd)
		return WZ_OK;
	if (strcmp(cmd, "set") == 0) {
		char *name, *eq, *value;
		size_t vl;
		while (*p == ' ' || *p == '\t')
			p++;
		name = p;
		p += strcspn(p, " \t=");
		eq = p + strspn(p, " \t");
		if (*eq != '=' && *eq != '\0' && p == eq)
			return wz_err_set(err, WZ_EPARSE, "expected: set NAME = VALUE");
		*p = '\0';
		value = *eq == '=' ? eq + 1 : eq;
		value += strspn(value, " \t");
		vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		if (!*name)
			return wz_err_set(err, WZ_EPARSE, "expected: set NAME = VALUE");
		return set_from(c, name, value, origin, err);
	}
	if (strcmp(cmd, "bind") == 0) {
		char *ctx = next_word(&p), *key = next_word(&p), *what;
		p += strspn(p, " \t");
		what = p;
		if (!ctx || !key || !*what)
			return wz_err_set(err, WZ_EPARSE, "expected: bind CONTEXT KEY ACTION|:command");
		if (what[0] != ':' && strpbrk(what, " \t"))
			return wz_err_set(err, WZ_EPARSE, "one action per bind; for a command write :%s", what);
		if (!km) {
			struct km_map *tmp = km_new_default();
			enum wz_status st = km_bind(tmp, ctx, key, what, err);
			km_free(&tmp);
			return st;
		}
		return km_bind(km, ctx, key, what, err);
	}
	if (strcmp(cmd, "unbind") == 0) {
		char *ctx = next_word(&p), *key = next_word(&p);
		if (!ctx || !key || next_word(&p))
			return wz_err_set(err, WZ_EPARSE, "expected: unbind CONTEXT KEY");
		if (!km) {
			struct km_map *tmp = km_new_default();
			enum wz_status st = km_unbind(tmp, ctx, key, err);
			km_free(&tmp);
			return st;
		}
		return km_unbind(km, ctx, key, err);
	}
	if (strcmp(cmd, "color") == 0) {
		struct theme *scratch = theme_parse("", 0, "(check)");
		enum wz_status st = theme_set_color(scratch, p, err);
		theme_free(&scratch);
		if (st == WZ_OK)
			sl_add(&c->colors, xstrdup(p + strspn(p, " \t")));
		return st;
	}
	if (strcmp(cmd, "theme") == 0) {
		p += strspn(p, " \t");
		if (!*p)
			return wz_err_set(err, WZ_EPARSE, "expected: theme NAME|PATH");
		return set_from(c, "theme", p, origin, err);
	}
	if (strcmp(cmd, "source") == 0) {
		char *path;
		enum wz_status st;
		p += strspn(p, " \t");
		if (!*p)
			return wz_err_set(err, WZ_EPARSE, "expected: source FILE");
		path = expand_path(p, file);
		st = cfg_load_file(c, km, path, err);
		free(path);
		return st;
	}
	return wz_err_set(err, WZ_EPARSE,
			  "unknown command '%s' (set, bind, unbind, color, theme, source or # comment)", cmd);
}

enum wz_status cfg_apply_line(struct cfg *c, struct km_map *km, const char *line, const char *file,
			      int lineno, struct wz_err *err)
{
	char *s = xstrdup(line ? line : ""), *origin;
	struct wz_err e;
	enum wz_status st;

	wz_err_clear(&e);
	cut_comment(s);
	origin = file ? xasprintf("%s:%d", file, lineno) : xstrdup(":set");
	if (!txt_utf8_valid(s, strlen(s), NULL))
		st = wz_err_set(&e, WZ_EUTF8, "invalid UTF-8");
	else
		st = apply(c, km, s, file, lineno, origin, &e);
	if (st != WZ_OK) {
		if (file) {
			char msg[sizeof e.msg];
			memcpy(msg, e.msg, sizeof msg);
			wz_err_set(&e, st, "%s: %s", origin, msg);
			sl_add(&c->errors, xstrdup(e.msg));
		}
		if (err)
			*err = e;
	}
	free(origin);
	free(s);
	return st;
}

enum wz_status cfg_load_file(struct cfg *c, struct km_map *km, const char *path, struct wz_err *err)
{
	char *data, *real;
	size_t len, n;
	struct txt_lines it;
	const char *line;
	enum wz_status st;
	int i;

	if (c->depth >= CFG_MAX_SOURCE_DEPTH)
		return wz_err_set(err, WZ_ELOOP, "'source %s' nests deeper than %d files; not read",
				  path, CFG_MAX_SOURCE_DEPTH);
	real = realpath(path, NULL);
	if (!real)
		real = xstrdup(path);
	for (i = 0; i < c->depth; i++)
		if (strcmp(c->source_stack[i], real) == 0) {
			free(real);
			return wz_err_set(err, WZ_ELOOP, "%s is already being read (source loop); not read again",
					  path);
		}
	st = fio_read(path, (size_t)1 << 20, &data, &len, err);
	if (st != WZ_OK) {
		free(real);
		return st;
	}
	sl_add(&c->files, xstrdup(path));
	c->source_stack[c->depth++] = real;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n)) {
		char *l = xstrndup(line, n);
		cfg_apply_line(c, km, l, path, it.lineno, NULL);   /* bad lines go to cfg_errors */
		free(l);
	}
	c->depth--;
	free(c->source_stack[c->depth]);
	free(data);
	return WZ_OK;
}

static enum wz_status load_optional(struct cfg *c, struct km_map *km, const char *path, bool must,
				    struct wz_err *err)
{
	struct wz_err e;
	enum wz_status st;

	if (!must && !fio_is_file(path) && !fio_is_dir(path))
		return WZ_OK;
	st = cfg_load_file(c, km, path, &e);
	if (st != WZ_OK) {
		sl_add(&c->errors, xstrdup(e.msg));
		if (err)
			*err = e;
	}
	return st;
}

void cfg_apply_env(struct cfg *c)
{
	static const struct { const char *env, *setting; } map[] = {
		{ "WISDOM_THEME", "theme" }, { "WISDOM_DEPLOY_TIME", "deploy-time" }, { "ESCDELAY", "escdelay" },
	};
	size_t i;
	const char *nc = getenv("NO_COLOR");

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		const char *v = getenv(map[i].env);
		struct wz_err e;
		char *origin;
		if (!v || !*v)
			continue;
		origin = xasprintf("env %s", map[i].env);
		if (set_from(c, map[i].setting, v, origin, &e) != WZ_OK)
			sl_add(&c->errors, xasprintf("environment %s: %s", map[i].env, e.msg));
		free(origin);
	}
	free(c->no_color);
	c->no_color = nc ? xstrdup(nc) : NULL;
}

enum wz_status cfg_load(struct cfg *c, struct km_map *km, const char *explicit_path, struct wz_err *err)
{
	const char *sysdir = getenv("WISDOM_SYSCONFDIR");
	const char *envcfg = getenv("WISDOM_CONFIG");
	char *path;
	enum wz_status st = WZ_OK, st2;

	path = xasprintf("%s/wisdom/config", sysdir && *sysdir ? sysdir : WISDOM_SYSCONFDIR);
	st = load_optional(c, km, path, false, err);
	free(path);
	if (explicit_path && *explicit_path)
		path = xstrdup(explicit_path);
	else if (envcfg && *envcfg)
		path = xstrdup(envcfg);
	else
		path = fio_user_config_file("config");
	if (path) {
		bool must = (explicit_path && *explicit_path) || (envcfg && *envcfg);
		free(c->user_path);
		c->user_path = xstrdup(path);
		st2 = load_optional(c, km, path, must, st == WZ_OK ? err : NULL);
		if (st == WZ_OK)
			st = st2;
		free(path);
	}
	cfg_apply_env(c);
	return st;
}

enum wz_status cfg_apply_cli(struct cfg *c, const struct cli_opts *o, struct wz_err *err)
{
	enum wz_status st = WZ_OK;

	if (o->theme)
		st = set_from(c, "theme", o->theme, "command line", err);
	if (st == WZ_OK && o->no_color)
		st = set_from(c, "color", "never", "command line", err);
	else if (st == WZ_OK && o->color)
		st = set_from(c, "color", strcmp(o->color, "1") == 0 ? "always" : o->color, "command line", err);
	return st;
}

const char *cfg_user_path(const struct cfg *c)
{
	return c->user_path;
}

bool cfg_use_color(const struct cfg *c, int term_colors)
{
	return theme_use_color(c->val[CFG_COLOR], c->no_color, term_colors);
}

enum wz_status cfg_theme(struct cfg *c, int term_colors, struct theme **out, struct wz_err *err)
{
	bool color = cfg_use_color(c, term_colors);
	enum wz_status st;
	struct wz_err e;
	size_t i;

	st = theme_find(color ? c->val[CFG_THEME] : "mono", out, &e);
	if (st != WZ_OK) {
		sl_add(&c->errors, xasprintf("theme: %s; using the built-in default", e.msg));
		if (err)
			*err = e;
		*out = theme_builtin_default();
	} else {
		const char **w;
		size_t nw = theme_warnings(*out, &w);
		for (i = 0; i < nw; i++)
			sl_add(&c->errors, xstrdup(w[i]));
	}
	if (color)
		for (i = 0; i < c->colors.n; i++)
			theme_set_color(*out, c->colors.v[i], NULL);
	return WZ_OK;
}
