/* report_text.h - the readable report of `wisdom analyze`, rendered from
 * the wisdom-report/1 document (report_json.h), and the sanitiser every
 * headless command uses before printing text that came from artifacts.
 *
 * Ownership: rtext_render() and rtext_safe() return malloc'd strings the
 * caller frees; rtext_sanitize() appends to the caller's buffer.
 */
#ifndef WZ_SINKS_REPORT_TEXT_H
#define WZ_SINKS_REPORT_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Appends s[0..n) to out with every control character made visible:
 * C0 as caret notation (ESC -> "^["), DEL as "^?", C1 (U+0080-U+009F),
 * bidi overrides/isolates/marks and, when !utf8, every non-ASCII
 * character as "<U+XXXX>"; invalid UTF-8
 * bytes as "\xNN". Plain text passes through unchanged. */
void rtext_sanitize(const char *s, size_t n, bool utf8, struct buf *out);

/* NUL-terminated convenience form; NULL gives "". Caller frees. */
char *rtext_safe(const char *s, bool utf8);

/* True when the current LC_CTYPE locale uses UTF-8. */
bool rtext_locale_utf8(void);

/* The readable report of a wisdom-report/1 document. */
char *rtext_render(const json_t *doc, bool utf8);

#endif
