/* buf.h - growable byte buffer, always NUL-terminated.
 *
 * Ownership: a struct buf owns `p`; buf_free() releases it, buf_detach()
 * hands it to the caller. A zeroed struct buf is a valid empty buffer.
 */
#ifndef WZ_UTIL_BUF_H
#define WZ_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);              /* len = 0, keeps memory */
void buf_free(struct buf *b);
char *buf_detach(struct buf *b);            /* caller frees; b is reset */
const char *buf_str(const struct buf *b);   /* "" when empty */

#endif
