/* theme.h - colour themes: parse, quantise to the terminal, resolve roles
 * to curses attributes (ui.md §6).
 *
 * A theme file has a `name "..."` line and `color ROLE FG BG [ATTR...]`
 * lines; `#` starts a comment. Colours: default, black..white,
 * bright-black..bright-white, colorN (0-255), #rrggbb, or a chain
 * `#d55e00/color166/red` whose first value the depth can show wins (a
 * single value is quantised 24-bit -> 256 -> 16 -> 8). Roles a theme does
 * not set take the `default` role's colours with no attributes.
 *
 * Parsing, quantising and mode selection are pure (no terminal needed);
 * only theme_apply() calls curses (init_pair / init_extended_pair).
 *
 * Ownership: every struct theme * returned is owned by the caller and freed
 * with theme_free(). Strings returned by theme_role_name(), theme_name()
 * and theme_warnings() belong to the table or the theme.
 */
#ifndef WZ_UI_THEME_H
#define WZ_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/status.h"

/* X(id, name, letter) — letter is used by screen dumps with --attrs. */
#define THEME_ROLE_TABLE(X)                                  \
	X(ROLE_DEFAULT,         "default",         '.')      \
	X(ROLE_TITLE,           "title",           'T')      \
	X(ROLE_TAB,             "tab",             't')      \
	X(ROLE_TAB_ACTIVE,      "tab-active",      'A')      \
	X(ROLE_HEADER,          "header",          'H')      \
	X(ROLE_CURSOR,          "cursor",          'C')      \
	X(ROLE_CURSOR_INACTIVE, "cursor-inactive", 'c')      \
	X(ROLE_MARK,            "mark",            'M')      \
	X(ROLE_BORDER,          "border",          'b')      \
	X(ROLE_BORDER_ACTIVE,   "border-active",   'B')      \
	X(ROLE_STATUS,          "status",          's')      \
	X(ROLE_HINT,            "hint",            'h')      \
	X(ROLE_HINT_KEY,        "hint-key",        'k')      \
	X(ROLE_PROMPT,          "prompt",          'p')      \
	X(ROLE_MESSAGE_INFO,    "message-info",    'i')      \
	X(ROLE_MESSAGE_ERROR,   "message-error",   'E')      \
	X(ROLE_SEARCH_MATCH,    "search-match",    'S')      \
	X(ROLE_FILTER,          "filter",          'f')      \
	X(ROLE_DIM,             "dim",             'd')      \
	X(ROLE_ESCAPE,          "escape",          'e')      \
	X(ROLE_SEV_CRITICAL,    "sev-critical",    '!')      \
	X(ROLE_SEV_MAJOR,       "sev-major",       '2')      \
	X(ROLE_SEV_MINOR,       "sev-minor",       '3')      \
	X(ROLE_SEV_INFO,        "sev-info",        '4')      \
	X(ROLE_OK,              "ok",              'o')      \
	X(ROLE_WARN,            "warn",            'w')      \
	X(ROLE_MISSING,         "missing",         'm')      \
	X(ROLE_DEPLOY_MARKER,   "deploy-marker",   '|')      \
	X(ROLE_CHART_BEFORE,    "chart-before",    '<')      \
	X(ROLE_CHART_AFTER,     "chart-after",     '>')      \
	X(ROLE_GAUGE_OK,        "gauge-ok",        'g')      \
	X(ROLE_GAUGE_WARN,      "gauge-warn",      'G')      \
	X(ROLE_GAUGE_BAD,       "gauge-bad",       'X')      \
	X(ROLE_BAR_MEASURED,    "bar-measured",    '#')      \
	X(ROLE_BAR_INFERRED,    "bar-inferred",    '~')      \
	X(ROLE_BLAME_SHA,       "blame-sha",       'y')      \
	X(ROLE_BLAME_AUTHOR,    "blame-author",    'u')      \
	X(ROLE_BLAME_DATE,      "blame-date",      'D')      \
	X(ROLE_SUSPECT_LINE,    "suspect-line",    'L')      \
	X(ROLE_LEARN_PROPOSED,  "learn-proposed",  '?')      \
	X(ROLE_LEARN_ACCEPTED,  "learn-accepted",  '+')      \
	X(ROLE_LEARN_REJECTED,  "learn-rejected",  'x')      \
	X(ROLE_LEARN_EDITED,    "learn-edited",    '*')      \
	X(ROLE_DIALOG,          "dialog",          'W')      \
	X(ROLE_DIALOG_DANGER,   "dialog-danger",   'Z')

enum theme_role {
#define THEME_X(id, name, letter) id,
	THEME_ROLE_TABLE(THEME_X)
#undef THEME_X
	ROLE_COUNT
};

/* Attribute bits of a role (independent of curses' A_* values). */
enum theme_attr_bit {
	TA_BOLD = 1u << 0, TA_DIM = 1u << 1, TA_ITALIC = 1u << 2,
	TA_UNDERLINE = 1u << 3, TA_REVERSE = 1u << 4, TA_STANDOUT = 1u << 5
};

/* Colour depths accepted by theme_apply() and theme_resolve_color(). */
#define THEME_DEPTH_8      8
#define THEME_DEPTH_16     16
#define THEME_DEPTH_256    256
#define THEME_DEPTH_DIRECT 16777216

/* One colour choice: up to 4 alternatives in preference order. */
enum theme_color_kind { TC_DEFAULT, TC_INDEX, TC_RGB };
struct theme_color_alt { enum theme_color_kind kind; uint32_t v; };   /* index 0-255 or 0xRRGGBB */
struct theme_color { int n; struct theme_color_alt alt[4]; };

struct theme;

enum wz_status theme_load_file(const char *path, struct theme **out, struct wz_err *err);
/* Parses theme text (`origin` names it in warnings). Bad lines become
 * warnings "origin:line: reason"; the rest loads. Never fails on content. */
struct theme *theme_parse(const char *text, size_t len, const char *origin);
struct theme *theme_builtin_default(void);
/* A bundled name (default, light, high-contrast, cvd, mono) looked up in
 * $WISDOM_DATADIR/themes, then the install's datadir/themes ("default" falls
 * back to the compiled-in copy), or a path (contains '/' or ends .theme). */
enum wz_status theme_find(const char *name_or_path, struct theme **out, struct wz_err *err);
/* Applies one `color ROLE FG BG [ATTR...]` line's arguments (after the
 * word `color`), used by config files and `:color`. */
enum wz_status theme_set_color(struct theme *t, const char *args, struct wz_err *err);

const char *theme_name(const struct theme *t);
const char *theme_role_name(enum theme_role r);
char theme_role_letter(enum theme_role r);
enum theme_role theme_role_from_name(const char *name);   /* ROLE_COUNT if unknown */
size_t theme_warnings(const struct theme *t, const char ***lines);

/* Pure helpers (unit-tested): parse one colour word or chain; pick the
 * first alternative the depth can show and quantise it; returns -1 for the
 * terminal's default colour, else a palette index (< depth) or, for
 * THEME_DEPTH_DIRECT, 0xRRGGBB. */
bool theme_parse_color(const char *word, struct theme_color *out);
long theme_resolve_color(const struct theme_color *c, int depth);
/* The role's raw settings (for tests and `:info colors`). */
void theme_role_get(const struct theme *t, enum theme_role r, struct theme_color *fg,
		    struct theme_color *bg, unsigned *attrs);

/* --color / NO_COLOR / terminal -> whether colours are used:
 * color_opt "never" -> false; "always" -> true; "auto"/NULL -> true only
 * when no_color_env is NULL or empty and term_colors >= 8. */
bool theme_use_color(const char *color_opt, const char *no_color_env, int term_colors);
/* Terminal facts -> depth: override ("8", "16", "256", "direct"/"24bit",
 * "auto"/NULL) wins; else direct only when the terminfo entry is direct
 * colour (RGB flag), else 256, 16 or 8 from colors. 0 when colors < 8. */
int theme_depth_for(int term_colors, bool term_direct, const char *override);

/* After start_color(): resolves roles to curses attributes for depth (8,
 * 16, 256 or direct); mono (attributes only) when !color_enabled. Pairs
 * are made lazily per distinct (fg, bg); when pairs run out further roles
 * get attributes only. The palette is never redefined. */
void theme_apply(struct theme *t, int depth, bool color_enabled);
int theme_attr(const struct theme *t, enum theme_role r);   /* attr_t incl. COLOR_PAIR */
void theme_free(struct theme **t);

#endif
