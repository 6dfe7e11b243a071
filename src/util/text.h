/* text.h - small text helpers shared by every reader.
 *
 * Ownership: functions that return char * return a malloc'd string the
 * caller frees; the line iterator borrows the caller's buffer.
 */
#ifndef WZ_UTIL_TEXT_H
#define WZ_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

/* Iterates lines of a buffer; CRLF and a missing final newline are fine.
 * `line` points into the buffer and is NOT NUL-terminated (use len). */
struct txt_lines {
	const char *p, *end;
	int lineno;   /* 1-based number of the line last returned */
};
void txt_lines_init(struct txt_lines *it, const char *data, size_t len);
bool txt_lines_next(struct txt_lines *it, const char **line, size_t *len);

/* Copies in[0..n) to out without ANSI CSI/OSC escape sequences (SGR colours,
 * OSC-8 links keep their text). */
void txt_strip_ansi(const char *in, size_t n, struct buf *out);

/* Returns true when s[0..n) is valid UTF-8; else sets *bad to the offset of
 * the first invalid byte (when bad is non-NULL). */
bool txt_utf8_valid(const char *s, size_t n, size_t *bad);
/* Line number (1-based) of byte offset off in s. */
int txt_line_of(const char *s, size_t off);

char *txt_trim_dup(const char *s, size_t n);     /* trimmed copy */
bool txt_starts_with(const char *s, const char *prefix);
bool txt_ieq(const char *a, const char *b);      /* ASCII case-insensitive */

#endif
