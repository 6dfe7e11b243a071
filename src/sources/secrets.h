/* secrets.h - the secrets file: backend credentials kept out of the shell
 * environment.
 *
 * Where: $WISDOM_SECRETS, else $XDG_CONFIG_HOME/wisdom/secrets (absolute
 * XDG_CONFIG_HOME only), else ~/.config/wisdom/secrets. WISDOM_SECRETS=
 * /dev/null turns the file off without a message.
 *
 * Format: one `NAME=value` a line (an optional leading `export ` is
 * accepted); blank lines and lines whose first non-blank is `#` are
 * ignored; blanks around NAME and value are dropped, and one pair of
 * matching quotes around the value. NAME must be a backend variable of
 * EXT_ENV_TABLE (sources/extensions.h); wisdom's own settings (RUN_BASE,
 * WISDOM_CLOCK, ...) belong in the environment. Bad lines are skipped and
 * listed as `FILE:LINE: reason`; a value is never echoed in a message.
 *
 * The file is refused whole (nothing loaded, one message naming the file,
 * its mode and `chmod 600 FILE`) when it is group- or world-readable or
 * writable, not a regular file, or owned by another user (as ssh does for
 * private keys). Reads are bounded (SECRETS_MAX_BYTES).
 *
 * The process-wide table (secrets_lookup) is loaded once, on first use,
 * from any thread; the environment always wins over it (ext_getenv).
 *
 * Ownership: secrets_parse/secrets_load return a table the caller frees
 * with secrets_free(); strings returned by secrets_get() and
 * secrets_lookup() belong to the table (the process-wide one lives until
 * exit). secrets_path() returns a malloc'd path the caller frees.
 */
#ifndef WZ_SOURCES_SECRETS_H
#define WZ_SOURCES_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "util/status.h"

/* Secrets files bigger than this are refused (64 KiB). */
#define SECRETS_MAX_BYTES ((size_t)64 << 10)

struct secret_entry {
	char *name;
	char *value;
	int line;          /* 1-based line in the file */
};

struct secrets {
	char *path;                /* the file read (or the name given to parse) */
	struct secret_entry *v;
	size_t n;
	char **errors;             /* "FILE:LINE: reason", one per bad line */
	size_t nerrors;
	bool refused;              /* the whole file was ignored (see errors[0]) */
};

/* The path wisdom reads (see above); NULL when no home is known. */
char *secrets_path(void);

/* Parses text[0..len) as a secrets file named `name` in messages. Never
 * fails: bad lines go to errors[]. Returns a table the caller frees. */
struct secrets *secrets_parse(const char *text, size_t len, const char *name);

/* Reads and parses the file at path after the ownership and mode checks.
 * A missing file: WZ_ENOENT and *out = NULL (not an error for callers
 * that treat the file as optional). A refused or unreadable file: an error
 * code, the reason in err, and *out a table with refused=true and the
 * reason as errors[0] (no entries). Otherwise WZ_OK (bad lines, if any,
 * are in (*out)->errors). */
enum wz_status secrets_load(const char *path, struct secrets **out, struct wz_err *err);

/* The value of name (NULL when absent); *line (may be NULL) its line. */
const char *secrets_get(const struct secrets *s, const char *name, int *line);

void secrets_free(struct secrets **s);

/* True when `name` may appear in a secrets file (a backend variable). */
bool secrets_name_allowed(const char *name);

/* ---- the process-wide table ---------------------------------------------- */

/* Loads the file at secrets_path() once. The first call prints the file's
 * problems (refusal, bad lines) to diag when diag is not NULL; later calls
 * print nothing. Returns the table (NULL: no file). */
const struct secrets *secrets_global(FILE *diag);

/* The value of a backend variable from the process-wide table, or NULL;
 * file and line (may be NULL) say where it was read. Loads the table on
 * first use, reporting problems on stderr. */
const char *secrets_lookup(const char *name, const char **file, int *line);

/* ---- the redactor for everything written or posted ------------------------ */

struct redactor;
/* A new redactor for text wisdom writes, posts or traces: the built-in
 * rules, the user's `redact` file beside the config (redact_user_file of
 * config_path) and the exact value of every secret backend variable set in
 * the environment or the secrets file (whatever its shape). Never NULL; the
 * caller frees it with redact_free(). When the user file has bad lines or
 * cannot be read, warn gets the reason (the other rules still apply);
 * otherwise warn->code is WZ_OK. config_path NULL: the one given to
 * secrets_set_config_path(), else the default lookup. */
struct redactor *secrets_redactor(const char *config_path, struct wz_err *warn);
/* The process's --config path (borrowed; NULL to forget it), so layers
 * that do not see the command line redact with the same user file. */
void secrets_set_config_path(const char *config_path);

/* Forgets the process-wide table so the next use reloads it (tests). */
void secrets_global_reset(void);

#endif
