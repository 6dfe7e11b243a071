/* config.h - settings, config files and `:set`/`bind`/`color` lines (ui.md §7).
 *
 * Files hold `set NAME = VALUE`, `bind CONTEXT KEY ACTION|:command`,
 * `unbind CONTEXT KEY`, `color ROLE FG BG [ATTR...]`, `theme NAME|PATH`,
 * `source FILE` and `#` comments. A bad line is recorded as
 * "file:line: reason" (cfg_errors) and the rest still loads.
 *
 * Precedence: built-in < system file < user file < environment
 * (WISDOM_THEME, WISDOM_DEPLOY_TIME, ESCDELAY, NO_COLOR) < command line
 * (cfg_apply_cli) < `:set`. Each setting remembers where its value came
 * from (cfg_origin).
 *
 * Ownership: cfg_new_defaults() returns an object freed with cfg_free().
 * Strings returned by cfg_get/cfg_origin/cfg_errors/cfg_files/cfg_color_line
 * belong to the cfg and stay valid until it changes.
 */
#ifndef WZ_UI_CONFIG_H
#define WZ_UI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "util/status.h"

struct km_map;
struct theme;
struct cli_opts;

/* X(id, name, default, values, help)
 * values: "a|b|c" for a choice, "int:MIN:MAX" for a number, "" free text. */
#define CFG_SETTING_TABLE(X)                                                                     \
	X(THEME,            "theme",            "default", "",                 "colour theme name or path") \
	X(COLOR,            "color",            "auto",    "auto|always|never", "use colours") \
	X(COLOR_DEPTH,      "color-depth",      "auto",    "auto|8|16|256|direct", "override the terminal's colour depth") \
	X(CHARSET,          "charset",          "auto",    "auto|utf-8|acs|ascii", "line drawing and glyphs") \
	X(LAYOUT,           "layout",           "auto",    "auto|single|split|grid", "screen layout") \
	X(GRID_PANES,       "grid-panes",       "flow,tests,metrics,logs,incidents,slo", "panes:6", "the six panes of the grid layout") \
	X(START_PANE,       "start-pane",       "auto",    "auto|flow|tests|metrics|logs|incidents|slo|cost|traces|audit|learnings", "pane focused at start (auto: the worst)") \
	X(MOUSE,            "mouse",            "no",      "yes|no",           "mouse wheel and clicks") \
	X(HINTS,            "hints",            "yes",     "yes|no",           "key hints on the bottom line") \
	X(TIME_FORMAT,      "time-format",      "relative", "relative|utc|local", "how times are shown") \
	X(TAB_SIZE,         "tab-size",         "8",       "int:1:16",         "tab stops of displayed text") \
	X(BLAME_CONTEXT,    "blame-context",    "12",      "int:0:1000",       "lines blamed around a suspect line") \
	X(LOG_SAMPLES,      "log-samples",      "5",       "int:0:1000",       "sample lines per log template") \
	X(COPY_COMMAND,     "copy-command",     "",        "",                 "clipboard command (empty: OSC 52)") \
	X(ESCDELAY,         "escdelay",         "25",      "int:0:10000",      "ms to wait after Esc") \
	X(REFRESH_INTERVAL, "refresh-interval", "0",       "int:0:86400",      "seconds between refreshes (0: only R)") \
	X(DEPLOY_TIME,      "deploy-time",      "",        "time",             "overrides the deploy time T")

enum cfg_setting {
#define CFG_X(id, name, def, values, help) CFG_##id,
	CFG_SETTING_TABLE(CFG_X)
#undef CFG_X
	CFG_COUNT
};

/* Maximum nesting of `source` (loops stop there with an error line). */
#define CFG_MAX_SOURCE_DEPTH 8

struct cfg;
struct cfg *cfg_new_defaults(void);
void cfg_free(struct cfg **c);

/* Reads $(sysconfdir)/wisdom/config (or $WISDOM_SYSCONFDIR/wisdom/config),
 * then the user file: explicit_path, else $WISDOM_CONFIG, else
 * $XDG_CONFIG_HOME/wisdom/config (only if absolute), else
 * ~/.config/wisdom/config; then the environment. Missing default files are
 * fine; a missing explicit file is an error (returned), the rest loads. */
enum wz_status cfg_load(struct cfg *c, struct km_map *km, const char *explicit_path, struct wz_err *err);
/* Reads one file (also `source`). Returns an error only when the file
 * cannot be read (or would loop); bad lines go to cfg_errors. */
enum wz_status cfg_load_file(struct cfg *c, struct km_map *km, const char *path, struct wz_err *err);
/* One line of a file or a `:` command. file may be NULL (then errors say
 * "command"). Bad lines are also appended to cfg_errors when file != NULL. */
enum wz_status cfg_apply_line(struct cfg *c, struct km_map *km, const char *line, const char *file,
			      int lineno, struct wz_err *err);
/* Environment layer (called by cfg_load; public for tests). */
void cfg_apply_env(struct cfg *c);
/* Command-line layer: --theme, --color, --no-color. */
enum wz_status cfg_apply_cli(struct cfg *c, const struct cli_opts *o, struct wz_err *err);

const char *cfg_get(const struct cfg *c, const char *name);   /* NULL if unknown */
int cfg_get_int(const struct cfg *c, enum cfg_setting s);
bool cfg_get_bool(const struct cfg *c, enum cfg_setting s);
const char *cfg_value(const struct cfg *c, enum cfg_setting s);
/* Where the value came from: "default", "FILE:LINE", "env NAME",
 * "command line" or ":set". */
const char *cfg_origin(const struct cfg *c, const char *name);
/* Validates and sets (origin ":set"). */
enum wz_status cfg_set(struct cfg *c, const char *name, const char *value, struct wz_err *err);
const char *cfg_setting_name(enum cfg_setting s);
const char *cfg_setting_help(enum cfg_setting s);
const char *cfg_setting_values(enum cfg_setting s);

size_t cfg_errors(const struct cfg *c, const char ***lines);
/* Files actually read, in order (for `:info paths`). */
size_t cfg_files(const struct cfg *c, const char ***paths);
/* `color` lines seen (their arguments), in order; apply them to the theme. */
size_t cfg_color_lines(const struct cfg *c, const char ***args);

/* The user file cfg_load() chose (it may not exist yet), or NULL. */
const char *cfg_user_path(const struct cfg *c);
/* `:save-config`: writes every setting changed by `:set` (plus those already
 * in the managed block) into the block between "# >>> wisdom managed >>>"
 * and "# <<< wisdom managed <<<" of path (NULL: cfg_user_path), appending
 * the block if absent. User lines are never rewritten. Temp file, fsync,
 * rename, directory fsync; new directories get mode 0700. */
enum wz_status cfg_save(const struct cfg *c, const char *path, struct wz_err *err);

/* Whether colours are used: the color setting, NO_COLOR, the terminal. */
bool cfg_use_color(const struct cfg *c, int term_colors);
/* The theme the settings ask for (`theme` setting, or mono when colours are
 * off per color / NO_COLOR / term_colors), with the `color` lines applied.
 * On a missing theme: falls back to the built-in default, records an error
 * line and returns the error in err (WZ_OK overall is returned then too:
 * the console starts). */
enum wz_status cfg_theme(struct cfg *c, int term_colors, struct theme **out, struct wz_err *err);

#endif
