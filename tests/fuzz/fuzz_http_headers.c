/* fuzz_http_headers.c - libFuzzer harness for what wisdom reads out of an
 * HTTP answer's headers (net/http_parse.c, net/retry.c): the raw header
 * lines as curl hands them over (status lines reset the list: redirects),
 * the Link rel="next" URL, Retry-After (seconds or an HTTP-date in its
 * three forms), the vendor rate-limit reset headers, and the retry
 * decision they feed.
 *
 * The input is a header block; each line (LF-terminated, the CR kept)
 * goes to http_header_line() as curl would pass it. The first byte picks
 * the status and flags for the retry decision.
 *
 * Checked properties: at most HTTP_MAX_HEADERS headers, names and values
 * without CR/LF (a bare CR or NUL inside becomes a space) and values
 * trimmed; a next URL is a substring of the Link
 * value with no '<' or '>'; parsed waits are finite and not negative; a
 * retry decision waits a finite, non-negative time within the budget, and
 * never retries a creating POST after a timeout.
 */
#include "config.h"
#include "harness.h"
#include "net/http.h"
#include "net/http_internal.h"
#include "net/retry.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static double zero_rand(void *ctx)
{
	(void)ctx;
	return 0.999;
}

static const long statuses[] = {200, 403, 429, 500, 502, 503, 404, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned sel = fz_take(&data, &size);
	struct http_header *h = NULL;
	size_t n = 0, cap = 0;
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		http_header_line(&h, &n, &cap, p, len);
		p += len;
	}
	if (n > HTTP_MAX_HEADERS)
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *v = h[i].value;
		size_t vl = strlen(v);
		if (strpbrk(h[i].name, "\r\n") || strpbrk(v, "\r\n"))
			abort();
		if (vl && (v[0] == ' ' || v[0] == '\t' || v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			abort();
	}

	struct http_response r;
	memset(&r, 0, sizeof r);
	r.headers = h;
	r.nheaders = n;
	const char *link = http_response_header(&r, "Link");
	char *next = http_link_next(link);
	if (next) {
		if (!link || !strstr(link, next) || strpbrk(next, "<>"))
			abort();
		free(next);
	}

	const double now = 1.7e9;
	struct retry_hdrs rh = {0};
	http_retry_headers(h, n, &rh);
	double w;
	if (rh.retry_after && retry_parse_after(rh.retry_after, now, &w) && (!isfinite(w) || w < 0)) {
		fprintf(stderr, "Retry-After '%s' -> %g\n", rh.retry_after, w);
		abort();
	}
	if (rh.ratelimit_reset && retry_parse_reset(rh.ratelimit_reset, now, &w) && (!isfinite(w) || w < 0)) {
		fprintf(stderr, "reset '%s' -> %g\n", rh.ratelimit_reset, w);
		abort();
	}
	double t;
	if (rh.retry_after)
		(void)retry_parse_http_date(rh.retry_after, &t);

	struct retry_in in;
	struct retry_out out;
	memset(&in, 0, sizeof in);
	in.status = statuses[sel % 8];
	in.timed_out = in.status == 0 && (sel & 8);
	in.transport_error = in.status == 0 && !in.timed_out;
	in.creating = sel & 16;
	in.body_says_rate_limit = sel & 32;
	in.attempt = 1 + (int)((sel >> 6) & 3);
	in.elapsed = (double)(sel >> 6) * 10.0;
	in.now = now;
	in.h = rh;
	retry_decide(&in, zero_rand, NULL, &out);
	if (out.retry) {
		if (!isfinite(out.wait) || out.wait < 0 || in.elapsed + out.wait > RETRY_BUDGET_S + 1e-9) {
			fprintf(stderr, "status %ld: retry in %g s after %g s\n", in.status, out.wait, in.elapsed);
			abort();
		}
		if (in.creating && in.timed_out)
			abort();
	}
	http_headers_free(h, n);
	return 0;
}
