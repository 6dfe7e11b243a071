/* http_internal.h - shared by http.c (the curl client) and http_parse.c
 * (what it reads from an answer). Not for other modules: use net/http.h.
 *
 * Ownership: a header list is an array of struct http_header whose names
 * and values the list owns; http_headers_free() releases all of it.
 */
#ifndef WZ_NET_HTTP_INTERNAL_H
#define WZ_NET_HTTP_INTERNAL_H

#include <stddef.h>

#include "net/http.h"
#include "net/retry.h"

/* Headers kept per answer; further lines are ignored. */
#define HTTP_MAX_HEADERS 256

void http_headers_free(struct http_header *h, size_t n);

/* Takes one raw header line as curl hands it over (CR/LF included, not
 * NUL-terminated) into the list *h (*n entries, *cap room). A status line
 * ("HTTP/...") starts a new answer (redirect, 100-continue): the list is
 * emptied. Lines without a colon and lines past HTTP_MAX_HEADERS are
 * dropped; the value is trimmed of blanks and tabs; a bare CR or NUL
 * inside a name or value becomes a space. */
void http_header_line(struct http_header **h, size_t *n, size_t *cap, const char *data, size_t len);

/* Points the retry decision's header fields at the values in the list
 * (retry-after, x-ratelimit-remaining / ratelimit-remaining,
 * x-ratelimit-reset / ratelimit-reset / x-ratelimit-period-in-sec; the
 * last one present wins). Fields not present are left alone. */
void http_retry_headers(const struct http_header *h, size_t n, struct retry_hdrs *out);

#endif
