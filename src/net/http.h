/* http.h - the one HTTP client every backend uses: libcurl multi, so a
 * fan-out to several backends costs about the slowest answer, with the
 * rules of spec/integrations.md §1 built in:
 *
 *   User-Agent wisdom/<version>; Accept-Encoding: every encoding curl has
 *   (gzip, deflate...); connect timeout 10 s; 60 s per attempt; TLS
 *   verification on, CA bundle from SSL_CERT_FILE or CURL_CA_BUNDLE;
 *   bodies capped at 16 MiB (the response says so when the cap bites);
 *   userinfo in the URL becomes Basic auth (curl does it); retries of 429,
 *   5xx, transport errors and rate-limit 403s per net/retry.h, never of a
 *   creating POST after a timeout; a trace hook that sees method, URL
 *   (credentials redacted), status, bytes and time - never headers.
 *
 * Use from a poll loop: http_client_start() each request, then loop on
 * http_client_fds() + poll() + http_client_step(); each request's done
 * callback runs from http_client_step(). Headless code can call the
 * blocking http_client_perform(), which drives the same machinery.
 *
 * Test hook: with WISDOM_TEST_HOOKS=1, WISDOM_TEST_HTTP_TIMEOUT_MS=N caps
 * both timeouts at N ms (it never raises them); ignored otherwise.
 *
 * Ownership: the client copies everything in a struct http_request. A
 * struct http_response handed to a done callback belongs to the callback
 * (free it with http_response_free()). http_client_free() cancels what is
 * still running without calling callbacks. One client per thread.
 */
#ifndef WZ_NET_HTTP_H
#define WZ_NET_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/retry.h"
#include "util/status.h"

#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_TIMEOUT_MS 60000L
#define HTTP_MAX_BODY ((size_t)16 << 20)

struct http_request {
	const char *method;          /* NULL: GET */
	const char *url;
	const char *const *headers;  /* NULL-terminated "Name: value" lines, or NULL */
	const char *body;            /* sent as is (may be NULL) */
	size_t body_len;
	bool creating;               /* a POST that creates something: see retry.h */
	long timeout_ms;             /* per attempt; 0: HTTP_TIMEOUT_MS */
	long connect_timeout_ms;     /* 0: HTTP_CONNECT_TIMEOUT_MS */
	size_t max_body;             /* 0: HTTP_MAX_BODY */
	int max_attempts;            /* 0: RETRY_MAX_ATTEMPTS */
};

struct http_header {
	char *name;   /* as received */
	char *value;  /* trimmed */
};

struct http_response {
	long status;               /* 0: no HTTP answer (see error) */
	struct http_header *headers;  /* of the final answer */
	size_t nheaders;
	char *body;                /* NUL-terminated, never NULL after a request */
	size_t body_len;
	int attempts;
	double elapsed;            /* seconds, all attempts and waits */
	bool capped;               /* body stopped at the size cap */
	bool timed_out;
	bool transport_error;      /* DNS, connect, TLS, reset, truncated */
	double rate_limited_until; /* Unix s when gave up on a rate limit; else 0 */
	char error[512];           /* a sentence when status is 0 or the body was capped */
};

void http_response_free(struct http_response *r);
/* Case-insensitive header lookup in the final answer; NULL when absent. */
const char *http_response_header(const struct http_response *r, const char *name);

/* The URL of Link rel="next" (verbatim), or NULL. Caller frees. */
char *http_link_next(const char *link_header);

struct http_client;
typedef void (*http_done_fn)(void *ctx, struct http_response *resp);
/* Gets one line per finished attempt, e.g.
 * `http GET https://api.github.com/rate_limit 200 512B 0.083s`. */
typedef void (*http_trace_fn)(void *ctx, const char *line);

struct http_client *http_client_new(void);
void http_client_free(struct http_client **c);
void http_client_set_trace(struct http_client *c, http_trace_fn fn, void *ctx);
/* Random source for backoff jitter (tests pass one returning 0). */
void http_client_set_rand(struct http_client *c, retry_rand_fn fn, void *ctx);

/* Queues a request; done(ctx, resp) runs from http_client_step(). */
void http_client_start(struct http_client *c, const struct http_request *req, http_done_fn done, void *ctx);
/* Requests started and not yet finished (running or waiting to retry). */
size_t http_client_pending(const struct http_client *c);

/* Fills up to max pollfds with the sockets curl waits on; returns how many
 * there are (may exceed max: call again with more room). *timeout_ms gets
 * how long poll() may sleep (-1: no timer; no pending requests). */
int http_client_fds(struct http_client *c, struct pollfd *fds, int max, int *timeout_ms);
/* Processes ready sockets (revents of the fds from http_client_fds), due
 * timers and due retries; runs done callbacks. */
void http_client_step(struct http_client *c, const struct pollfd *fds, int nfds);

/* Blocking: runs req (and any other pending requests) until req is done.
 * Returns WZ_OK when an HTTP answer came (any status: check resp->status),
 * WZ_ENET with resp->error in err otherwise. resp is the caller's to free. */
enum wz_status http_client_perform(struct http_client *c, const struct http_request *req,
				   struct http_response *resp, struct wz_err *err);
/* Blocking: drives the loop until nothing is pending. */
void http_client_run(struct http_client *c);

#endif
