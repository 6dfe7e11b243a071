/* retry.h - when to retry an HTTP request and how long to wait
 * (spec/integrations.md §1 and §3). Pure: no clock, no sleep, no I/O; the
 * caller passes "now" (wall-clock Unix seconds) and a random source, so
 * every decision is unit-testable.
 *
 * Ownership: nothing allocates; strings returned are static.
 */
#ifndef WZ_NET_RETRY_H
#define WZ_NET_RETRY_H

#include <stdbool.h>
#include <stddef.h>

#define RETRY_MAX_ATTEMPTS 4     /* attempts in all, the first included */
#define RETRY_BUDGET_S 120.0     /* total time across attempts and waits */
#define RETRY_BACKOFF_BASE_S 1.0 /* 1, 2, 4, 8 s ... */
#define RETRY_BACKOFF_CAP_S 60.0
#define RETRY_SECONDARY_MIN_S 60.0 /* GitHub secondary limit without retry-after */

/* Returns a number in [0, 1). */
typedef double (*retry_rand_fn)(void *ctx);

/* Parses Retry-After: delta seconds ("120") or an HTTP-date (IMF-fixdate,
 * RFC 850 or asctime form). Sets *wait = seconds from now (>= 0). */
bool retry_parse_after(const char *value, double now, double *wait);

/* Parses an HTTP-date to Unix seconds. */
bool retry_parse_http_date(const char *s, double *t);

/* Parses a vendor reset header: a Unix time (> 1e9, GitHub's
 * x-ratelimit-reset) or a delta in seconds (PagerDuty ratelimit-reset,
 * Datadog X-RateLimit-Reset, Opsgenie X-RateLimit-Period-In-Sec). */
bool retry_parse_reset(const char *value, double now, double *wait);

/* Full-jitter backoff before attempt `failed + 1`: uniform in
 * [0, min(cap, base * 2^(failed-1))]. */
double retry_backoff(int failed, retry_rand_fn rnd, void *ctx);

/* Response headers relevant to the decision (NULL when absent). */
struct retry_hdrs {
	const char *retry_after;
	const char *ratelimit_remaining;  /* x-ratelimit-remaining / ratelimit-remaining */
	const char *ratelimit_reset;      /* x-ratelimit-reset / ratelimit-reset / ... */
};

/* What one finished attempt means. */
struct retry_in {
	long status;          /* HTTP status; 0 when no response */
	bool transport_error; /* connect/DNS/TLS/reset/truncated */
	bool timed_out;       /* the request timed out (after sending) */
	bool nothing_sent;    /* connect/DNS failed: the server never saw it */
	bool creating;        /* a POST that creates (issue, comment) */
	bool body_says_rate_limit; /* 403 body mentions "rate limit" */
	int attempt;          /* 1-based number of the attempt that just ended */
	double elapsed;       /* seconds since the first attempt started */
	double now;           /* wall clock, Unix seconds */
	struct retry_hdrs h;
};

enum retry_why {
	RW_NONE,          /* success or a final error: do not retry */
	RW_RATE_LIMIT,    /* 429 / 403 with remaining 0 */
	RW_SECONDARY,     /* GitHub secondary rate limit */
	RW_SERVER,        /* 5xx */
	RW_TRANSPORT,     /* no (complete) answer */
};

struct retry_out {
	bool retry;
	double wait;           /* seconds to wait before the next attempt */
	enum retry_why why;
	bool gave_up;          /* retryable, but attempts or budget are spent */
	double until;          /* when gave_up on a rate limit: Unix time it lifts (0 unknown) */
};

void retry_decide(const struct retry_in *in, retry_rand_fn rnd, void *ctx, struct retry_out *out);

const char *retry_why_text(enum retry_why w);

/* "rate limited until HH:MM" (UTC) into out. */
void retry_until_text(double until, char *out, size_t n);

#endif
