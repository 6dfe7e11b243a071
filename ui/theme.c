/* theme.c - theme files, colour chains and quantisation, mode selection.
 * The curses side (pairs, attributes) is in theme_apply.c. */
#include "config.h"
#include "ui/theme.h"
#include "ui/theme_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

static const struct { const char *name; char letter; } roles[ROLE_COUNT] = {
#define THEME_X(id, name, letter) { name, letter },
	THEME_ROLE_TABLE(THEME_X)
#undef THEME_X
};

static const char *const base_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct { const char *name; unsigned bit; } attr_names[] = {
	{ "normal", 0 }, { "bold", TA_BOLD }, { "dim", TA_DIM }, { "italic", TA_ITALIC },
	{ "underline", TA_UNDERLINE }, { "reverse", TA_REVERSE }, { "standout", TA_STANDOUT },
};

const char *theme_role_name(enum theme_role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r].name : NULL;
}

char theme_role_letter(enum theme_role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r].letter : '.';
}

enum theme_role theme_role_from_name(const char *name)
{
	int i;

	for (i = 0; name && i < ROLE_COUNT; i++)
		if (strcmp(roles[i].name, name) == 0)
			return (enum theme_role)i;
	return ROLE_COUNT;
}

/* ---- colours ------------------------------------------------------------ */

static bool parse_alt(const char *w, size_t n, struct theme_color_alt *a)
{
	char tmp[32];
	int i;

	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	if (strcmp(tmp, "default") == 0) {
		a->kind = TC_DEFAULT;
		a->v = 0;
		return true;
	}
	for (i = 0; i < 8; i++) {
		if (strcmp(tmp, base_names[i]) == 0) {
			a->kind = TC_INDEX;
			a->v = (uint32_t)i;
			return true;
		}
		if (strncmp(tmp, "bright-", 7) == 0 && strcmp(tmp + 7, base_names[i]) == 0) {
			a->kind = TC_INDEX;
			a->v = (uint32_t)i + 8;
			return true;
		}
	}
	if (strncmp(tmp, "color", 5) == 0 && isdigit((unsigned char)tmp[5])) {
		char *end;
		long v = strtol(tmp + 5, &end, 10);
		if (*end || v < 0 || v > 255 || n > 8)
			return false;
		a->kind = TC_INDEX;
		a->v = (uint32_t)v;
		return true;
	}
	if (tmp[0] == '#' && n == 7) {
		for (i = 1; i < 7; i++)
			if (!isxdigit((unsigned char)tmp[i]))
				return false;
		a->kind = TC_RGB;
		a->v = (uint32_t)strtoul(tmp + 1, NULL, 16);
		return true;
	}
	return false;
}

bool theme_parse_color(const char *word, struct theme_color *out)
{
	const char *p = word;

	memset(out, 0, sizeof *out);
	if (!word || !*word)
		return false;
	for (;;) {
		size_t n = strcspn(p, "/");
		if (out->n == 4 || !parse_alt(p, n, &out->alt[out->n]))
			return false;
		out->n++;
		if (p[n] == '\0')
			return true;
		p += n + 1;
	}
}

/* xterm's default palette. */
static uint32_t palette_rgb(unsigned i)
{
	static const uint32_t base[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
		0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const unsigned lv[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16)
		return base[i];
	if (i < 232) {
		i -= 16;
		return (uint32_t)(lv[i / 36] << 16 | lv[(i / 6) % 6] << 8 | lv[i % 6]);
	}
	i = 8 + 10 * (i - 232);
	return (uint32_t)(i << 16 | i << 8 | i);
}

static long dist2(uint32_t a, uint32_t b)
{
	long dr = (long)(a >> 16 & 255) - (long)(b >> 16 & 255);
	long dg = (long)(a >> 8 & 255) - (long)(b >> 8 & 255);
	long db = (long)(a & 255) - (long)(b & 255);

	return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

static unsigned nearest_level(unsigned v)
{
	static const unsigned lv[6] = { 0, 95, 135, 175, 215, 255 };
	unsigned i, best = 0;

	for (i = 1; i < 6; i++)
		if ((v > lv[i] ? v - lv[i] : lv[i] - v) < (v > lv[best] ? v - lv[best] : lv[best] - v))
			best = i;
	return best;
}

/* Nearest palette index below limit (8, 16 or 256) for an RGB value. */
static unsigned quantise(uint32_t rgb, unsigned limit)
{
	unsigned i, best = 0;

	if (limit >= 256) {
		unsigned r = nearest_level(rgb >> 16 & 255), g = nearest_level(rgb >> 8 & 255),
			 b = nearest_level(rgb & 255);
		unsigned cube = 16 + 36 * r + 6 * g + b;
		unsigned avg = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
		unsigned gray = avg < 8 ? 232 : avg > 238 ? 255 : 232 + (avg - 8 + 5) / 10;
		if (gray > 255)
			gray = 255;
		return dist2(rgb, palette_rgb(gray)) < dist2(rgb, palette_rgb(cube)) ? gray : cube;
	}
	for (i = 1; i < limit; i++)
		if (dist2(rgb, palette_rgb(i)) < dist2(rgb, palette_rgb(best)))
			best = i;
	return best;
}

static bool showable(const struct theme_color_alt *a, int depth)
{
	if (a->kind == TC_DEFAULT)
		return true;
	if (depth >= THEME_DEPTH_DIRECT)
		return true;
	return a->kind == TC_INDEX && a->v < (uint32_t)depth;
}

static long resolve_alt(const struct theme_color_alt *a, int depth)
{
	if (a->kind == TC_DEFAULT || depth < 8)
		return -1;
	if (depth >= THEME_DEPTH_DIRECT) {
		/* direct-colour terminfo: 0-7 are the ANSI colours, else RGB */
		uint32_t rgb = a->kind == TC_RGB ? a->v : a->v < 8 ? a->v : palette_rgb(a->v);
		if (a->kind != TC_RGB && a->v < 8)
			return (long)a->v;
		return rgb < 8 ? 0 : (long)rgb;
	}
	if (a->kind == TC_INDEX) {
		if (a->v < (uint32_t)depth)
			return (long)a->v;
		if (a->v < 16)
			return (long)(a->v - 8);   /* bright -> normal; never bold */
		return (long)quantise(palette_rgb(a->v), (unsigned)depth);
	}
	return (long)quantise(a->v, (unsigned)depth);
}

long theme_resolve_color(const struct theme_color *c, int depth)
{
	int i;

	if (!c || c->n == 0)
		return -1;
	for (i = 0; i < c->n; i++)
		if (showable(&c->alt[i], depth))
			return resolve_alt(&c->alt[i], depth);
	return resolve_alt(&c->alt[c->n - 1], depth);
}

/* ---- mode selection ----------------------------------------------------- */

bool theme_use_color(const char *color_opt, const char *no_color_env, int term_colors)
{
	if (color_opt && strcmp(color_opt, "never") == 0)
		return false;
	if (term_colors < 8)
		return color_opt && strcmp(color_opt, "always") == 0 && term_colors > 0;
	if (color_opt && strcmp(color_opt, "always") == 0)
		return true;
	return !(no_color_env && *no_color_env);
}

int theme_depth_for(int term_colors, bool term_direct, const char *override)
{
	if (override && *override && strcmp(override, "auto") != 0) {
		if (strcmp(override, "direct") == 0 || strcmp(override, "24bit") == 0)
			return THEME_DEPTH_DIRECT;
		if (strcmp(override, "256") == 0)
			return 256;
		if (strcmp(override, "16") == 0)
			return 16;
		if (strcmp(override, "8") == 0)
			return 8;
	}
	if (term_colors < 8)
		return 0;
	if (term_direct && term_colors > 256)
		return THEME_DEPTH_DIRECT;
	if (term_colors >= 256)
		return 256;
	if (term_colors >= 16)
		return 16;
	return 8;
}

/* ---- parsing ------------------------------------------------------------ */

static void warn(struct theme *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct theme *t, const char *fmt, ...)
{
	va_list ap;
	struct buf b = { 0 };

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	t->warn = xgrow(t->warn, &t->warn_cap, t->nwarn + 1, sizeof *t->warn);
	t->warn[t->nwarn++] = buf_detach(&b);
}

static struct theme *theme_new(void)
{
	struct theme *t = xcalloc(1, sizeof *t);
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		t->role[r].fg.n = 1;
		t->role[r].fg.alt[0].kind = TC_DEFAULT;
		t->role[r].bg = t->role[r].fg;
	}
	t->name = xstrdup("unnamed");
	return t;
}

/* Splits s into at most max whitespace-separated words (in place). */
static int split_words(char *s, char **w, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return max + 1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return n;
}

enum wz_status theme_set_color(struct theme *t, const char *args, struct wz_err *err)
{
	char *copy = xstrdup(args ? args : ""), *w[12];
	int n = split_words(copy, w, 11), i;
	struct theme_color fg, bg;
	unsigned attrs = 0;
	enum theme_role r;
	enum wz_status st = WZ_OK;

	if (n < 3 || n > 11) {
		st = wz_err_set(err, WZ_EPARSE, "expected: color ROLE FG BG [ATTR...]");
		goto out;
	}
	r = theme_role_from_name(w[0]);
	if (r == ROLE_COUNT) {
		st = wz_err_set(err, WZ_EPARSE, "unknown role '%s' (see THEMES in wisdom(1))", w[0]);
		goto out;
	}
	if (!theme_parse_color(w[1], &fg) || !theme_parse_color(w[2], &bg)) {
		st = wz_err_set(err, WZ_EPARSE,
				"bad colour '%s' (use default, red, bright-red, color0-255, #rrggbb or a/b/c)",
				theme_parse_color(w[1], &fg) ? w[2] : w[1]);
		goto out;
	}
	for (i = 3; i < n; i++) {
		size_t k;
		for (k = 0; k < sizeof attr_names / sizeof attr_names[0]; k++)
			if (strcmp(w[i], attr_names[k].name) == 0)
				break;
		if (k == sizeof attr_names / sizeof attr_names[0]) {
			st = wz_err_set(err, WZ_EPARSE,
					"unknown attribute '%s' (normal bold dim italic underline reverse standout)",
					w[i]);
			goto out;
		}
		attrs |= attr_names[k].bit;
	}
	t->role[r].fg = fg;
	t->role[r].bg = bg;
	t->role[r].attrs = attrs;
	t->role[r].set = true;
	t->applied = false;
out:
	free(copy);
	return st;
}

static void parse_name(struct theme *t, const char *rest, const char *origin, int lineno)
{
	size_t n = strlen(rest);

	if (n < 2 || rest[0] != '"' || rest[n - 1] != '"') {
		warn(t, "%s:%d: expected name \"TEXT\"", origin, lineno);
		return;
	}
	free(t->name);
	t->name = xstrndup(rest + 1, n - 2);
}

struct theme *theme_parse(const char *text, size_t len, const char *origin)
{
	struct theme *t = theme_new();
	struct txt_lines it;
	const char *line;
	size_t n;

	txt_lines_init(&it, text ? text : "", text ? len : 0);
	while (txt_lines_next(&it, &line, &n)) {
		char *s = txt_trim_dup(line, n);
		struct wz_err e;

		if (!txt_utf8_valid(s, strlen(s), NULL))
			warn(t, "%s:%d: invalid UTF-8", origin, it.lineno);
		else if (s[0] == '\0' || s[0] == '#')
			;
		else if (strncmp(s, "name", 4) == 0 && (s[4] == ' ' || s[4] == '\t'))
			parse_name(t, s + 5 + strspn(s + 5, " \t"), origin, it.lineno);
		else if (strncmp(s, "color", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
			char *hash = strstr(s, " #");   /* trailing comment; #rrggbb has no space before */
			while (hash && isxdigit((unsigned char)hash[2]) && strspn(hash + 2, "0123456789abcdefABCDEF") == 6)
				hash = strstr(hash + 1, " #");
			if (hash)
				*hash = '\0';
			if (theme_set_color(t, s + 6, &e) != WZ_OK)
				warn(t, "%s:%d: %s", origin, it.lineno, e.msg);
		} else {
			char word[24];
			snprintf(word, sizeof word, "%.*s", (int)strcspn(s, " \t"), s);
			warn(t, "%s:%d: unknown command '%s' (theme files hold name and color lines)",
			     origin, it.lineno, word);
		}
		free(s);
	}
	return t;
}

enum wz_status theme_load_file(const char *path, struct theme **out, struct wz_err *err)
{
	char *data;
	size_t len;
	enum wz_status st = fio_read(path, (size_t)1 << 20, &data, &len, err);

	*out = NULL;
	if (st != WZ_OK)
		return st;
	*out = theme_parse(data, len, path);
	free(data);
	return WZ_OK;
}

struct theme *theme_builtin_default(void)
{
	return theme_parse(theme_builtin_default_text, strlen(theme_builtin_default_text), "(built-in default)");
}

static bool is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 6 && strcmp(s + n - 6, ".theme") == 0);
}

enum wz_status theme_find(const char *name, struct theme **out, struct wz_err *err)
{
	const char *dirs[2];
	const char *envdir = getenv("WISDOM_DATADIR");
	size_t i;

	*out = NULL;
	if (!name || !*name)
		name = "default";
	if (is_path(name))
		return theme_load_file(name, out, err);
	for (i = 0; name[i]; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
			return wz_err_set(err, WZ_EUSAGE, "theme name '%s' has characters other than letters, "
					  "digits, '-' and '_'; give a path to use a file", name);
	dirs[0] = envdir && *envdir ? envdir : NULL;
	dirs[1] = WISDOM_DATADIR;
	for (i = 0; i < 2; i++) {
		char *path;
		if (!dirs[i])
			continue;
		path = xasprintf("%s/themes/%s.theme", dirs[i], name);
		if (fio_is_file(path)) {
			enum wz_status st = theme_load_file(path, out, err);
			free(path);
			return st;
		}
		free(path);
	}
	if (strcmp(name, "default") == 0) {
		*out = theme_builtin_default();
		return WZ_OK;
	}
	if (strcmp(name, "mono") == 0) {
		*out = theme_parse(theme_builtin_mono_text, strlen(theme_builtin_mono_text), "(built-in mono)");
		return WZ_OK;
	}
	return wz_err_set(err, WZ_ENOENT, "theme '%s' not found in %s/themes%s%s; bundled themes: "
			  "default, light, high-contrast, cvd, mono", name, WISDOM_DATADIR,
			  dirs[0] ? " or " : "", dirs[0] ? dirs[0] : "");
}

const char *theme_name(const struct theme *t)
{
	return t ? t->name : NULL;
}

size_t theme_warnings(const struct theme *t, const char ***lines)
{
	*lines = (const char **)t->warn;
	return t->nwarn;
}

void theme_role_get(const struct theme *t, enum theme_role r, struct theme_color *fg,
		    struct theme_color *bg, unsigned *attrs)
{
	const struct theme_role_def *d = &t->role[r];

	if (!d->set && r != ROLE_DEFAULT) {
		/* unset roles look like `default` without its attributes */
		*fg = t->role[ROLE_DEFAULT].fg;
		*bg = t->role[ROLE_DEFAULT].bg;
		*attrs = 0;
		return;
	}
	*fg = d->fg;
	*bg = d->bg;
	*attrs = d->attrs;
}

void theme_free(struct theme **pt)
{
	size_t i;

	if (!pt || !*pt)
		return;
	for (i = 0; i < (*pt)->nwarn; i++)
		free((*pt)->warn[i]);
	free((*pt)->warn);
	free((*pt)->name);
	free(*pt);
	*pt = NULL;
}
