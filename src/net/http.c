/* http.c - HTTP client over curl multi (see http.h); what an answer
 * holds (headers, Link, free) is read in http_parse.c. */
#include "config.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "net/http.h"
#include "net/http_internal.h"
#include "sources/extensions.h"
#include "util/buf.h"
#include "util/redact.h"
#include "util/xalloc.h"

enum xstate { XS_RUNNING, XS_WAITING };

struct http_xfer {
	struct http_client *c;
	CURL *easy;
	struct curl_slist *hdrs;
	char *method, *url, *body;
	size_t body_len;
	bool creating;
	long timeout_ms, connect_timeout_ms;
	size_t max_body;
	int max_attempts;
	http_done_fn done;
	void *ctx;
	enum xstate state;
	double t0, due;           /* monotonic seconds */
	double attempt_t0;
	int attempts;
	struct buf bodybuf;
	struct http_header *rh;   /* headers of the current answer */
	size_t nrh, caprh;
	bool capped;
	struct http_xfer *next;
};

struct sock {
	curl_socket_t fd;
	int what;
};

struct http_client {
	CURLM *multi;
	struct http_xfer *xfers;
	struct sock *socks;
	size_t nsocks, capsocks;
	double timer_due;         /* monotonic s; < 0: none */
	http_trace_fn trace;
	void *trace_ctx;
	retry_rand_fn rnd;
	void *rnd_ctx;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double default_rand(void *ctx)
{
	(void)ctx;
	return (double)rand() / ((double)RAND_MAX + 1.0);
}

/* ---- curl callbacks ------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;
	if (x->bodybuf.len + n > x->max_body) {
		size_t room = x->max_body - x->bodybuf.len;
		buf_append(&x->bodybuf, data, room);
		x->capped = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	buf_append(&x->bodybuf, data, n);
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;
	http_header_line(&x->rh, &x->nrh, &x->caprh, data, n);
	return n;
}

static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http_client *c = userp;
	size_t i;
	(void)e;
	(void)socketp;
	for (i = 0; i < c->nsocks; i++)
		if (c->socks[i].fd == s)
			break;
	if (what == CURL_POLL_REMOVE) {
		if (i < c->nsocks)
			c->socks[i] = c->socks[--c->nsocks];
		return 0;
	}
	if (i == c->nsocks) {
		c->socks = xgrow(c->socks, &c->capsocks, c->nsocks + 1, sizeof *c->socks);
		c->nsocks++;
	}
	c->socks[i].fd = s;
	c->socks[i].what = what;
	return 0;
}

static int on_timer(CURLM *m, long timeout_ms, void *userp)
{
	struct http_client *c = userp;
	(void)m;
	c->timer_due = timeout_ms < 0 ? -1 : mono() + (double)timeout_ms / 1000.0;
	return 0;
}

/* ---- client ------------------------------------------------------------- */

struct http_client *http_client_new(void)
{
	struct http_client *c = xcalloc(1, sizeof *c);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c->multi = curl_multi_init();
	if (!c->multi) {
		fputs("wisdom: libcurl could not start (out of memory)\n", stderr);
		exit(2);
	}
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	c->timer_due = -1;
	c->rnd = default_rand;
	return c;
}

static void xfer_free(struct http_xfer *x)
{
	if (x->easy) {
		if (x->state == XS_RUNNING)
			curl_multi_remove_handle(x->c->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->hdrs);
	free(x->method);
	free(x->url);
	free(x->body);
	buf_free(&x->bodybuf);
	http_headers_free(x->rh, x->nrh);
	free(x);
}

void http_client_free(struct http_client **pc)
{
	struct http_client *c;
	if (!pc || !*pc)
		return;
	c = *pc;
	while (c->xfers) {
		struct http_xfer *x = c->xfers;
		c->xfers = x->next;
		xfer_free(x);
	}
	curl_multi_cleanup(c->multi);
	free(c->socks);
	curl_global_cleanup();
	XFREE(pc);
}

void http_client_set_trace(struct http_client *c, http_trace_fn fn, void *ctx)
{
	c->trace = fn;
	c->trace_ctx = ctx;
}

void http_client_set_rand(struct http_client *c, retry_rand_fn fn, void *ctx)
{
	c->rnd = fn ? fn : default_rand;
	c->rnd_ctx = ctx;
}

size_t http_client_pending(const struct http_client *c)
{
	size_t n = 0;
	for (const struct http_xfer *x = c->xfers; x; x = x->next)
		n++;
	return n;
}

static void launch(struct http_xfer *x)
{
	CURL *e = x->easy;
	const char *ca;
	curl_easy_reset(e);
	buf_reset(&x->bodybuf);
	http_headers_free(x->rh, x->nrh);
	x->rh = NULL;
	x->nrh = x->caprh = 0;
	x->capped = false;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "wisdom/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, x->timeout_ms);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if ((ca = ext_getenv("SSL_CERT_FILE", NULL)) || (ca = ext_getenv("CURL_CA_BUNDLE", NULL)))
		curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	/* libcurl silently re-sends a request whose reused keep-alive connection
	 * died before any answer; for a creating POST that would create twice.
	 * Such requests always get a connection of their own. */
	if (x->creating) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	if (strcmp(x->method, "GET") != 0) {
		if (strcmp(x->method, "POST") == 0)
			curl_easy_setopt(e, CURLOPT_POST, 1L);
		else
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
		if (x->body || strcmp(x->method, "DELETE") != 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body ? x->body : "");
		}
	}
	x->state = XS_RUNNING;
	x->attempts++;
	x->attempt_t0 = mono();
	curl_multi_add_handle(x->c->multi, e);
}

/* Test hook (as in sinks/publish.c): only with WISDOM_TEST_HOOKS=1,
 * WISDOM_TEST_HTTP_TIMEOUT_MS=N lowers both timeouts to N ms so fault
 * tests (tests/integration/fault-matrix.sh) finish quickly. Never raises. */
static void test_timeout_cap(long *timeout_ms, long *connect_ms)
{
	const char *on = getenv("WISDOM_TEST_HOOKS"), *v = getenv("WISDOM_TEST_HTTP_TIMEOUT_MS");
	char *end;
	long n;
	if (!on || strcmp(on, "1") != 0 || !v)
		return;
	n = strtol(v, &end, 10);
	if (end == v || *end || n <= 0)
		return;
	if (n < *timeout_ms)
		*timeout_ms = n;
	if (n < *connect_ms)
		*connect_ms = n;
}

void http_client_start(struct http_client *c, const struct http_request *req, http_done_fn done, void *ctx)
{
	struct http_xfer *x = xcalloc(1, sizeof *x);
	x->c = c;
	x->method = xstrdup(req->method ? req->method : "GET");
	x->url = xstrdup(req->url ? req->url : "");
	if (req->body) {
		x->body = xmalloc(req->body_len + 1);
		memcpy(x->body, req->body, req->body_len);
		x->body[req->body_len] = 0;
		x->body_len = req->body_len;
	}
	x->creating = req->creating;
	x->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTP_TIMEOUT_MS;
	x->connect_timeout_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS;
	test_timeout_cap(&x->timeout_ms, &x->connect_timeout_ms);
	x->max_body = req->max_body ? req->max_body : HTTP_MAX_BODY;
	x->max_attempts = req->max_attempts > 0 ? req->max_attempts : RETRY_MAX_ATTEMPTS;
	x->done = done;
	x->ctx = ctx;
	for (const char *const *h = req->headers; h && *h; h++)
		x->hdrs = curl_slist_append(x->hdrs, *h);
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	x->easy = curl_easy_init();
	if (!x->easy || !x->hdrs) {
		fputs("wisdom: libcurl could not create a request (out of memory)\n", stderr);
		exit(2);
	}
	x->t0 = mono();
	x->next = c->xfers;
	c->xfers = x;
	launch(x);
}

static void trace_attempt(struct http_xfer *x, long status, size_t bytes, double secs, const char *note)
{
	char *url;
	struct buf line = {0};
	if (!x->c->trace)
		return;
	url = redact_str(redact_default(), x->url);
	buf_printf(&line, "http %s %s %ld %zuB %.3fs", x->method, url, status, bytes, secs);
	if (x->attempts > 1)
		buf_printf(&line, " attempt %d", x->attempts);
	if (note && *note)
		buf_printf(&line, " %s", note);
	x->c->trace(x->c->trace_ctx, buf_str(&line));
	buf_free(&line);
	free(url);
}

static void unlink_xfer(struct http_client *c, struct http_xfer *x)
{
	for (struct http_xfer **pp = &c->xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			return;
		}
}

static void finish(struct http_xfer *x, CURLcode rc)
{
	struct http_client *c = x->c;
	struct http_response resp;
	struct retry_in in;
	struct retry_out out;
	long status = 0;
	char note[160] = "";
	double now_m = mono();

	memset(&resp, 0, sizeof resp);
	memset(&in, 0, sizeof in);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(c->multi, x->easy);
	x->state = XS_WAITING;

	bool capped = x->capped || rc == CURLE_FILESIZE_EXCEEDED;
	if (!capped && rc != CURLE_OK) {
		in.transport_error = rc != CURLE_OPERATION_TIMEDOUT;
		in.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		in.nothing_sent = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
				  rc == CURLE_COULDNT_CONNECT;
		status = 0;
	}
	in.status = status;
	in.creating = x->creating;
	in.attempt = x->attempts;
	in.elapsed = now_m - x->t0;
	in.now = wall();
	http_retry_headers(x->rh, x->nrh, &in.h);
	if (status == 403 && x->bodybuf.len && strcasestr(buf_str(&x->bodybuf), "rate limit"))
		in.body_says_rate_limit = true;
	if (capped)
		memset(&out, 0, sizeof out);
	else
		retry_decide(&in, c->rnd, c->rnd_ctx, &out);
	if (out.retry && x->attempts >= x->max_attempts) {
		out.retry = false;
		out.gave_up = true;
		if (out.why == RW_RATE_LIMIT || out.why == RW_SECONDARY)
			out.until = in.now + out.wait;
	}
	if (out.retry)
		snprintf(note, sizeof note, "retry in %.1fs (%s)", out.wait, retry_why_text(out.why));
	else if (capped)
		snprintf(note, sizeof note, "capped");
	else if (rc != CURLE_OK)
		snprintf(note, sizeof note, "error: %s", curl_easy_strerror(rc));
	trace_attempt(x, status, x->bodybuf.len, now_m - x->attempt_t0, note);

	if (out.retry) {
		x->due = now_m + out.wait;
		return; /* stays in the list, waiting */
	}

	/* final: hand the answer over */
	resp.status = status;
	resp.headers = x->rh;
	resp.nheaders = x->nrh;
	x->rh = NULL;
	x->nrh = x->caprh = 0;
	if (!x->bodybuf.p)
		buf_puts(&x->bodybuf, "");
	resp.body_len = x->bodybuf.len;
	resp.body = buf_detach(&x->bodybuf);
	resp.attempts = x->attempts;
	resp.elapsed = now_m - x->t0;
	resp.capped = capped;
	resp.timed_out = in.timed_out;
	resp.transport_error = in.transport_error;
	if (capped) {
		char *url = redact_str(redact_default(), x->url);
		snprintf(resp.error, sizeof resp.error,
			 "%s %s: the answer is larger than the %zu-byte cap; only the first %zu bytes were "
			 "kept (narrow the query or the time range)",
			 x->method, url, x->max_body, resp.body_len);
		free(url);
	} else if (rc != CURLE_OK) {
		char *url = redact_str(redact_default(), x->url);
		const char *what = rc == CURLE_OPERATION_TIMEDOUT ? "timed out"
				   : rc == CURLE_PARTIAL_FILE	  ? "the answer was cut short (truncated)"
								  : curl_easy_strerror(rc);
		snprintf(resp.error, sizeof resp.error, "%s %s: %s after %d attempt%s%s", x->method, url, what,
			 x->attempts, x->attempts == 1 ? "" : "s",
			 x->creating && in.timed_out ? " (a create is not repeated after a timeout: check "
						       "whether it happened before trying again)"
						     : "; check the address and the network");
		free(url);
	}
	if (out.gave_up && out.until > 0) {
		char until[64];
		resp.rate_limited_until = out.until;
		retry_until_text(out.until, until, sizeof until);
		snprintf(resp.error, sizeof resp.error, "%s", until);
	}
	unlink_xfer(c, x);
	http_done_fn done = x->done;
	void *ctx = x->ctx;
	xfer_free(x);
	if (done)
		done(ctx, &resp);
	else
		http_response_free(&resp);
}

static void drain(struct http_client *c)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(c->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct http_xfer *x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			finish(x, m->data.result);
	}
}

int http_client_fds(struct http_client *c, struct pollfd *fds, int max, int *timeout_ms)
{
	double now = mono(), due = c->timer_due;
	int n = 0;
	for (size_t i = 0; i < c->nsocks; i++, n++) {
		if (n >= max)
			continue;
		fds[n].fd = c->socks[i].fd;
		fds[n].events = (short)(((c->socks[i].what & CURL_POLL_IN) ? POLLIN : 0) |
					((c->socks[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
		fds[n].revents = 0;
	}
	for (struct http_xfer *x = c->xfers; x; x = x->next)
		if (x->state == XS_WAITING && (due < 0 || x->due < due))
			due = x->due;
	if (timeout_ms) {
		if (due < 0)
			*timeout_ms = c->xfers ? 1000 : -1;
		else if (due <= now)
			*timeout_ms = 0;
		else
			*timeout_ms = (int)ceil((due - now) * 1000.0);
	}
	return n;
}

void http_client_step(struct http_client *c, const struct pollfd *fds, int nfds)
{
	int running = 0;
	for (int i = 0; i < nfds; i++) {
		int ev = 0;
		if (!fds[i].revents)
			continue;
		if (fds[i].revents & POLLIN)
			ev |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			ev |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			ev |= CURL_CSELECT_ERR;
		curl_multi_socket_action(c->multi, fds[i].fd, ev, &running);
	}
	if (c->timer_due >= 0 && c->timer_due <= mono()) {
		c->timer_due = -1;
		curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
	drain(c);
	double now = mono();
	for (struct http_xfer *x = c->xfers; x; x = x->next)
		if (x->state == XS_WAITING && x->due <= now)
			launch(x);
}

static void loop_once(struct http_client *c)
{
	struct pollfd fds[64];
	int timeout = -1;
	int n = http_client_fds(c, fds, 64, &timeout);
	if (n > 64)
		n = 64;
	if (timeout < 0 || timeout > 1000)
		timeout = 1000;
	if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
		return;
	http_client_step(c, fds, n);
}

struct perform_ctx {
	struct http_response *resp;
	bool done;
};

static void perform_done(void *ctx, struct http_response *resp)
{
	struct perform_ctx *p = ctx;
	*p->resp = *resp;
	p->done = true;
}

enum wz_status http_client_perform(struct http_client *c, const struct http_request *req,
				   struct http_response *resp, struct wz_err *err)
{
	struct perform_ctx p = {resp, false};
	memset(resp, 0, sizeof *resp);
	http_client_start(c, req, perform_done, &p);
	while (!p.done)
		loop_once(c);
	if (resp->status == 0)
		return wz_err_set(err, WZ_ENET, "%s", resp->error);
	return WZ_OK;
}

void http_client_run(struct http_client *c)
{
	while (c->xfers)
		loop_once(c);
}
