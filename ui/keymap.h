/* keymap.h - named actions, key names and the live key bindings (ui.md §2).
 *
 * The action enum and the default bindings come from ui/actions.def.
 * Key codes: curses codes (KEY_UP, KEY_F(1), KEY_BTAB ...), printable ASCII
 * characters, control keys as 1..26 (<C-a> .. <C-z>), Escape 27, Meta as
 * KM_META|ch. The event loop must run curses in nonl() mode so <Enter>
 * arrives as '\r' (13) and <C-j> as '\n' (10); km_normalize() folds the
 * other spellings (KEY_ENTER, 127, KEY_BACKSPACE) onto the table's codes.
 * Non-ASCII characters are not bindable.
 *
 * Lookup: a pane's context (KC_TESTS, ...) -> its class (KC_LIST or
 * KC_DETAIL) -> KC_GENERIC. KC_PROMPT, KC_DIALOG and KC_HELP replace the
 * chain while open (pass them as ctx; cls is then ignored).
 *
 * Ownership: km_new_default() returns a map the caller frees with km_free().
 * Names returned by km_action_name()/km_action_help()/km_context_name() are
 * static. km_help_rows() returns an array the caller frees (its strings
 * point into the map and the static table; valid until the map changes).
 */
#ifndef WZ_UI_KEYMAP_H
#define WZ_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include "util/status.h"

/* X(id, name, title) — title is the help-screen heading of a context. */
#define KM_CONTEXT_TABLE(X)                     \
	X(GENERIC,   "generic",   "Generic")    \
	X(LIST,      "list",      "List")       \
	X(DETAIL,    "detail",    "Detail")     \
	X(FLOW,      "flow",      "Flow")       \
	X(TESTS,     "tests",     "Tests")      \
	X(METRICS,   "metrics",   "Metrics")    \
	X(LOGS,      "logs",      "Logs")       \
	X(INCIDENTS, "incidents", "Incidents")  \
	X(SLO,       "slo",       "SLO")        \
	X(COST,      "cost",      "Cost")       \
	X(TRACES,    "traces",    "Traces")     \
	X(AUDIT,     "audit",     "Audit")      \
	X(LEARNINGS, "learnings", "Learnings")  \
	X(PROMPT,    "prompt",    "Prompt")     \
	X(DIALOG,    "dialog",    "Dialog")     \
	X(HELP,      "help",      "Help")

enum km_context {
#define KM_X(id, name, title) KC_##id,
	KM_CONTEXT_TABLE(KM_X)
#undef KM_X
	KC_COUNT,
	KC_NONE = -1
};

/* Context mask used by actions.def. */
#define CX(c) (1u << KC_##c)

enum km_action {
#define ACTION(name, id, group, contexts, keys, help) ACT_##id,
#include "ui/actions.def"
#undef ACTION
	ACT_COUNT,
	ACT_NONE = -1,
	ACT_COMMAND = -2   /* key bound to a ":command" (see km_bound_command) */
};

#define KM_META 0x40000000

/* "<C-x>", "j", "<PgDn>", "<M-x>", "<F5>" -> key code; -1 when not a key.
 * Bracketed names are case-insensitive. */
int km_parse_key(const char *name);
/* Canonical name of a key ("<C-x>", "j", "<PgDn>"); "<?NNN>" if unknown. */
void km_key_name(int key, char *out, size_t n);
/* Folds alternative codes of the same key onto the table's code. */
int km_normalize(int key);

const char *km_context_name(enum km_context c);   /* "tests" */
const char *km_context_title(enum km_context c);  /* "Tests" */
enum km_context km_context_from_name(const char *name);  /* KC_NONE if unknown */

struct km_map;
struct km_map *km_new_default(void);
void km_free(struct km_map **m);

/* The lookup chain for (ctx, cls) into out; returns its length (1-3). */
int km_chain(enum km_context ctx, enum km_context cls, enum km_context out[3]);

enum km_action km_lookup(const struct km_map *m, enum km_context ctx, enum km_context cls, int key);
/* The ":command" text (without the ':') bound to key along the same chain,
 * or NULL. Valid until the map changes. */
const char *km_bound_command(const struct km_map *m, enum km_context ctx, enum km_context cls, int key);

/* bind CONTEXT KEY ACTION|:command — replaces what KEY did in CONTEXT.
 * On error err->msg names the bad word (callers prefix file:line). */
enum wz_status km_bind(struct km_map *m, const char *ctx, const char *key, const char *action_or_cmd,
		       struct wz_err *err);
enum wz_status km_unbind(struct km_map *m, const char *ctx, const char *key, struct wz_err *err);

const char *km_action_name(enum km_action a);     /* NULL when out of range */
enum km_action km_action_from_name(const char *name);   /* ACT_NONE if unknown */
const char *km_action_help(enum km_action a);
const char *km_action_group(enum km_action a);
unsigned km_action_contexts(enum km_action a);    /* CX() mask */
const char *km_action_default_keys(enum km_action a);

/* Name of the first key bound to action along the chain ("?"), for
 * "Unknown key X — ? for help" and hint lines. Returns false (and writes
 * "") when the action has no key there. */
bool km_key_for(const struct km_map *m, enum km_context ctx, enum km_context cls, enum km_action a,
		char *out, size_t n);

/* Help screen rows for a context from the LIVE map: first the context's
 * own bindings (section = its title), then its class, then generic, each
 * grouped by the action's group; keys set by `bind` carry a '*'. A key is
 * listed only where lookup would reach it (shadowed keys are left out).
 * ":command" bindings appear with action = the command text. */
struct km_help_row {
	const char *section;
	char keys[64];
	const char *action;
	const char *help;
	bool rebound;
};
size_t km_help_rows(const struct km_map *m, enum km_context ctx, enum km_context cls, struct km_help_row **rows);

/* Iterates the live bindings (for dumps): returns false past the end. */
struct km_binding_view {
	enum km_context ctx;
	int key;
	enum km_action action;   /* ACT_COMMAND for ":command" */
	const char *command;     /* without ':' or NULL */
	bool rebound;
};
bool km_binding_at(const struct km_map *m, size_t i, struct km_binding_view *out);

#endif
