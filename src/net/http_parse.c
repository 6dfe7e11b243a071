/* http_parse.c - what wisdom reads out of an HTTP answer: the header
 * lines curl hands over, header lookup, the Link rel="next" URL and the
 * headers the retry decision needs (see http.h, http_internal.h). No
 * curl here: the fuzz target tests/fuzz/fuzz_http_headers.c drives it. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/http.h"
#include "net/http_internal.h"
#include "util/xalloc.h"

/* ---- responses ---------------------------------------------------------- */

void http_headers_free(struct http_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

void http_response_free(struct http_response *r)
{
	if (!r)
		return;
	http_headers_free(r->headers, r->nheaders);
	free(r->body);
	memset(r, 0, sizeof *r);
}

const char *http_response_header(const struct http_response *r, const char *name)
{
	for (size_t i = 0; r && i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

char *http_link_next(const char *link)
{
	const char *p = link;
	while (p && *p) {
		const char *lt = strchr(p, '<'), *gt;
		if (!lt || !(gt = strchr(lt, '>')))
			return NULL;
		/* a URI reference holds no '<': take the last one before '>' */
		for (const char *k = lt; k < gt; k++)
			if (*k == '<')
				lt = k;
		/* parameters run to the next '<' that follows a ',' */
		const char *q = gt + 1, *end = q;
		while (*end && !(*end == ',' && strchr(end, '<')))
			end++;
		/* look for rel="next" or rel=next (rel may list several words) */
		const char *r = q;
		while ((r = strstr(r, "rel")) && r < end) {
			const char *v = r + 3;
			while (*v == ' ')
				v++;
			if (*v == '=') {
				v++;
				while (*v == ' ')
					v++;
				bool quoted = *v == '"';
				v += quoted;
				while (v < end && *v != '"' && *v != ';' && *v != ',') {
					size_t wl = 0;
					while (v + wl < end && !strchr(" \";,", v[wl]))
						wl++;
					if (wl == 4 && strncasecmp(v, "next", 4) == 0)
						return xstrndup(lt + 1, (size_t)(gt - lt - 1));
					v += wl;
					while (v < end && *v == ' ')
						v++;
				}
			}
			r += 3;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Blanks around a value (a bare CR or NUL counts: it becomes a space). */
static bool field_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\0';
}

/* A copy of a header name or value where a bare CR or a NUL inside
 * becomes a space (RFC 9110 §5.5: replace them or reject the answer). */
static char *field_dup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		d[i] = s[i] == '\r' || s[i] == '\0' ? ' ' : s[i];
	d[n] = '\0';
	return d;
}

void http_header_line(struct http_header **h, size_t *n, size_t *cap, const char *data, size_t len)
{
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new answer (redirect, 100-continue): forget the previous */
		http_headers_free(*h, *n);
		*h = NULL;
		*n = *cap = 0;
		return;
	}
	const char *colon = memchr(data, ':', len);
	if (!colon || *n >= HTTP_MAX_HEADERS)
		return;
	const char *v = colon + 1, *e = data + len;
	while (v < e && field_blank(*v))
		v++;
	while (e > v && field_blank(e[-1]))
		e--;
	*h = xgrow(*h, cap, *n + 1, sizeof **h);
	(*h)[*n].name = field_dup(data, (size_t)(colon - data));
	(*h)[*n].value = field_dup(v, (size_t)(e - v));
	(*n)++;
}

void http_retry_headers(const struct http_header *h, size_t n, struct retry_hdrs *out)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = h[i].name, *v = h[i].value;
		if (strcasecmp(k, "retry-after") == 0)
			out->retry_after = v;
		else if (strcasecmp(k, "x-ratelimit-remaining") == 0 || strcasecmp(k, "ratelimit-remaining") == 0)
			out->ratelimit_remaining = v;
		else if (strcasecmp(k, "x-ratelimit-reset") == 0 || strcasecmp(k, "ratelimit-reset") == 0 ||
			 strcasecmp(k, "x-ratelimit-period-in-sec") == 0)
			out->ratelimit_reset = v;
	}
}
