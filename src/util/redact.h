/* redact.h - secret redaction before anything is written, posted or logged
 * (spec/run-artifacts.md §13).
 *
 * Built-in rules (REDACT_RULE_TABLE) plus the user's own POSIX extended
 * regular expressions, one a line, from a `redact` file beside the user
 * config. Each match becomes `[REDACTED:<type>]`; overlapping matches of
 * several rules merge into one replacement named after the most specific
 * rule (the earliest in the table; user patterns rank last).
 *
 * Bytes outside matches are copied verbatim: invalid UTF-8, NUL bytes and
 * escape sequences survive (sanitising is the display's job).
 *
 * Ownership: redact_new() returns a redactor the caller frees with
 * redact_free(); redact_default() is a process-wide built-in-only redactor
 * that must not be freed. Returned strings are malloc'd; the caller frees.
 * A redactor is read-only after loading: several threads may apply it.
 */
#ifndef WZ_UTIL_REDACT_H
#define WZ_UTIL_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"
#include "util/status.h"

/* X(enum, type name, POSIX ERE or NULL (hand-written matcher), group to
 *   replace (0 = whole match), case-insensitive). Order = priority. */
#define REDACT_RULE_TABLE(X)                                                              \
	X(RD_PRIVATE_KEY,  "private-key",     NULL, 0, 0)                                 \
	X(RD_GITHUB_TOKEN, "github-token",    "gh[pousr]_[A-Za-z0-9_]{36,}", 0, 0)        \
	X(RD_GITHUB_PAT,   "github-token",    "github_pat_[A-Za-z0-9_]{22,}", 0, 0)       \
	X(RD_AWS_KEY,      "aws-access-key",  "AKIA[0-9A-Z]{16}", 0, 0)                   \
	X(RD_STRIPE_KEY,   "stripe-key",      "sk_live_[0-9a-zA-Z]{24,}", 0, 0)           \
	X(RD_JWT,          "jwt-token",       "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*", 0, 0) \
	X(RD_BEARER,       "bearer-token",    "bearer[ \t]+([A-Za-z0-9._~+/=-]{20,})", 1, 1) \
	X(RD_URL_USERINFO, "url-credentials", NULL, 0, 0)                                 \
	X(RD_GENERIC,      "secret",          NULL, 0, 0)

/* The hand-written matchers (linear time on any input):
 *  private-key     `-----BEGIN …PRIVATE KEY-----` through its END line, or to
 *                  the end of the input when the block is truncated;
 *  url-credentials `scheme://user:pass@`: the `user:pass` part;
 *  secret          `key = value` / `key: value` where the key (letters,
 *                  digits, `_ . -`) ends in password, passwd, secret, token,
 *                  api_key, apikey or api-key, optionally followed by
 *                  `_key`, `key`, `-key` or `_value` (so `DB_PASSWORD`,
 *                  `spring.datasource.password`, `client_secret`,
 *                  `secretKey`, but not `max_tokens` or `secrets_scan.md`);
 *                  the value is a quoted string or a run of characters up to
 *                  a blank, `,;&@()[]{}<>|` or a quote. Values that are
 *                  placeholders are kept: shorter than 4 characters, all
 *                  digits, `***`/`xxx`, `${VAR}`, `<...>`, `%s`, null/none/
 *                  true/false/redacted/changeme/example.
 */

enum redact_rule {
#define RD_X(e, name, re, grp, icase) e,
	REDACT_RULE_TABLE(RD_X)
#undef RD_X
	RD_USER,      /* a user pattern */
	RD_KNOWN,     /* a known credential value (redact_add_literal) */
	RD_COUNT
};

/* The type word of a rule ("github-token", ...; "user" for RD_USER,
 * "known-secret" for RD_KNOWN). */
const char *redact_rule_name(enum redact_rule r);

struct redactor;

/* A redactor with the built-in rules compiled. Never NULL. */
struct redactor *redact_new(void);
void redact_free(struct redactor **r);

/* Adds one user pattern (POSIX ERE, matched per line). WZ_EPARSE with the
 * regcomp message when it does not compile; `where` (e.g. "file:3") is put
 * in the message. */
enum wz_status redact_add_pattern(struct redactor *r, const char *ere, const char *where,
				  struct wz_err *err);

/* Adds a literal credential value (say, a token read from the environment
 * or the secrets file) so it is redacted wherever it appears, whatever its
 * shape. Values shorter than REDACT_LITERAL_MIN bytes or holding a newline
 * are ignored (returns false); so is a value already added. */
#define REDACT_LITERAL_MIN 8
bool redact_add_literal(struct redactor *r, const char *value);

/* Loads a pattern file: one ERE a line, blank lines and lines starting with
 * '#' ignored. A missing file is fine (WZ_OK, nothing added). Bad lines are
 * skipped; the first is reported in err (file:line: reason) and the
 * function returns WZ_EPARSE after loading every good line. *nbad (may be
 * NULL) receives the number of bad lines. */
enum wz_status redact_load_file(struct redactor *r, const char *path, int *nbad, struct wz_err *err);

/* Path of the `redact` file beside the user config: the directory of
 * config_path when given, else of $WISDOM_CONFIG, else
 * $XDG_CONFIG_HOME/wisdom (absolute only), else ~/.config/wisdom.
 * NULL when no home is known. Caller frees. */
char *redact_user_file(const char *config_path);

/* Appends in[0..n) to out with every secret replaced; returns the number
 * of replacements made. counts (may be NULL, RD_COUNT entries) is
 * incremented per rule. */
size_t redact_apply(const struct redactor *r, const char *in, size_t n, struct buf *out,
		    size_t *counts);

/* Convenience: redacted copy of a NUL-terminated string (NULL in, NULL out). */
char *redact_str(const struct redactor *r, const char *s);

/* A shared built-in-only redactor (created on first use, freed at exit). */
const struct redactor *redact_default(void);

#endif
