/* status.h - the one table of status codes every module returns.
 *
 * X-macro: WZ_STATUS_TABLE(X) with X(name, exit_code, text). The text is the
 * generic meaning; callers add the specifics (which file, which line, what
 * to do) through struct wz_err.  Ownership: nothing here allocates.
 */
#ifndef WZ_UTIL_STATUS_H
#define WZ_UTIL_STATUS_H

#include <stdarg.h>
#include <stddef.h>

#define WZ_STATUS_TABLE(X)                                                   \
	X(WZ_OK,           0, "ok")                                          \
	X(WZ_ENOENT,       2, "not found")                                   \
	X(WZ_EACCES,       2, "permission denied")                           \
	X(WZ_EIO,          2, "read error")                                  \
	X(WZ_ETOOBIG,      2, "input too large")                             \
	X(WZ_ELOOP,        2, "symbolic link loop")                          \
	X(WZ_ENOTDIR,      2, "not a directory")                             \
	X(WZ_EISDIR,       2, "is a directory")                              \
	X(WZ_EPARSE,       2, "cannot parse")                                \
	X(WZ_ETYPE,        2, "wrong type")                                  \
	X(WZ_EUTF8,        2, "invalid UTF-8")                               \
	X(WZ_EUSAGE,       2, "usage error")                                 \
	X(WZ_ENORUN,       2, "no run found")                                \
	X(WZ_EGIT,         2, "git error")                                   \
	X(WZ_ENET,         3, "backend unreachable")                         \
	X(WZ_ECANCELED,    2, "canceled")                                    \
	X(WZ_ENOMEM,       2, "out of memory")                               \
	X(WZ_EWRITE,       2, "write error")

enum wz_status {
#define WZ_X(name, code, text) name,
	WZ_STATUS_TABLE(WZ_X)
#undef WZ_X
	WZ_STATUS_COUNT
};

/* An error a user can act on: the status plus a full sentence naming the
 * file (and line) and what to do. Fixed size so it never needs freeing. */
struct wz_err {
	enum wz_status code;
	char msg[768];
};

const char *wz_status_text(enum wz_status s);
int wz_status_exit_code(enum wz_status s);

/* Sets err (when not NULL) and returns code, so callers can write
 * `return wz_err_set(err, WZ_EPARSE, "%s:%d: ...", path, line);`. */
enum wz_status wz_err_set(struct wz_err *err, enum wz_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wz_err_clear(struct wz_err *err);

#endif
