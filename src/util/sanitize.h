/* sanitize.h - untrusted text to safe display text (ui.md §9). Curses-free.
 *
 * Log lines, test output, commit messages and artifact text may hold
 * terminal escape sequences, controls, bidi overrides and broken UTF-8.
 * san_line() turns one line into text that is safe to hand to a terminal:
 *   - invalid UTF-8 -> U+FFFD (one per bad byte sequence);
 *   - SGR sequences (ESC [ ... m) dropped; OSC 8 hyperlinks reduced to text;
 *   - every other escape sequence (CSI, OSC, DCS, SOS, PM, APC, ...) and C0 /
 *     C1 control shown as visible text: ESC "^[" + the rest of the sequence
 *     made printable, C0 as "^G", DEL as "^?", C1 as "<9B>"; each such run
 *     is an `escape` span (drawn in the escape role);
 *   - bidi overrides/isolates/marks (U+202A-202E, U+2066-2069, U+200E/F,
 *     U+061C) shown as "<U+202E>" (escape span); other non-printables
 *     (wcwidth < 0, unassigned) -> U+FFFD;
 *   - tabs expanded to tab_size stops; a newline ends the line (CR is ^M);
 *   - input beyond SAN_MAX_LINE bytes (4 KB) is cut and "…" appended.
 * Width is the display width in cells per wcwidth (ambiguous = 1).
 *
 * Widths use wcwidth() of the current locale when it is UTF-8 and the C
 * library knows the character; otherwise a built-in East Asian Wide table.
 *
 * Ownership: san_line() fills *out with malloc'd memory the caller releases
 * with san_text_free(); san_plain() returns a string the caller frees.
 */
#ifndef WZ_UTIL_SANITIZE_H
#define WZ_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

#define SAN_MAX_LINE 4096

struct san_span {
	size_t off, len;   /* bytes of san_text.s */
	bool escape;       /* true: shown in the `escape` role */
};

struct san_text {
	char *s;                 /* NUL-terminated, valid UTF-8, no controls */
	size_t len;
	struct san_span *spans;  /* only escape spans, in order */
	size_t nspans;
	int width;               /* display cells */
	bool truncated;          /* input was longer than SAN_MAX_LINE */
};

void san_line(const char *in, size_t n, int tab_size, struct san_text *out);
void san_text_free(struct san_text *t);

/* Width of (already sanitised) UTF-8 text in cells: wide = 2, combining = 0,
 * ambiguous = 1, non-printables and invalid bytes 1 each. */
int san_width(const char *utf8, size_t n);
/* Width of one code point with the same rules. */
int san_cp_width(unsigned cp);
/* True for the bidi overrides, isolates and marks every printer must show
 * visibly (U+202A-202E, U+2066-2069, U+200E/F, U+061C). */
bool san_is_bidi(unsigned cp);
/* Bytes of utf8[0..n) that fit in cols cells; never splits a character or
 * a wide character; *used (when not NULL) gets the cells used. */
size_t san_fit(const char *utf8, size_t n, int cols, int *used);
/* Sanitised copy for CLI printing (no escape marking, tab size 8; every
 * line of a multi-line input sanitised, newlines kept). Caller frees. */
char *san_plain(const char *in, size_t n);

#endif
