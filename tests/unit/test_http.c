/* test_http.c - net/retry (pure decisions) and net/http against a tiny
 * HTTP server on 127.0.0.1 written here with plain sockets: paging via
 * Link, 429 + Retry-After, 500 then 200, a stalled answer, a truncated
 * body, gzip, bodies over the cap, parallel fan-out and the trace. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/http.h"
#include "net/retry.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* ---- retry (pure) -------------------------------------------------------- */

static double r_fixed(void *ctx)
{
	return *(double *)ctx;
}

static void http_dates(void **state)
{
	double t, w;
	(void)state;
	assert_true(retry_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	assert_int_equal((long long)t, 784111777LL);
	assert_true(retry_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	assert_int_equal((long long)t, 784111777LL);
	assert_true(retry_parse_http_date("Sun Nov  6 08:49:37 1994", &t));
	assert_int_equal((long long)t, 784111777LL);
	assert_true(retry_parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT", &t));
	assert_int_equal((long long)t, 1445412480LL);
	assert_false(retry_parse_http_date("Wed, 21 Foo 2015 07:28:00 GMT", &t));
	assert_false(retry_parse_http_date("Wed, 21 Oct 2015 07:28:00 PST", &t));
	assert_false(retry_parse_http_date("2015-10-21T07:28:00Z", &t));
	assert_false(retry_parse_http_date("", &t));
	/* Retry-After: seconds or a date relative to now */
	assert_true(retry_parse_after("120", 0, &w));
	assert_true(w == 120.0);
	assert_true(retry_parse_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0, &w));
	assert_true(w == 10.0);
	assert_true(retry_parse_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490.0, &w));
	assert_true(w == 0.0); /* in the past: now */
	assert_false(retry_parse_after("-5", 0, &w));
	assert_false(retry_parse_after("soon", 0, &w));
	assert_false(retry_parse_after(NULL, 0, &w));
	/* reset headers: epoch (GitHub) or delta (PagerDuty, Datadog) */
	assert_true(retry_parse_reset("1700000030", 1700000000.0, &w));
	assert_true(w == 30.0);
	assert_true(retry_parse_reset("17", 1700000000.0, &w));
	assert_true(w == 17.0);
}

static void backoff_schedule(void **state)
{
	double one = 0.999999, zero = 0, half = 0.5;
	(void)state;
	/* caps of the full-jitter window: 1, 2, 4, 8 ... 60 */
	assert_true(retry_backoff(1, r_fixed, &one) > 0.99 && retry_backoff(1, r_fixed, &one) < 1.0);
	assert_true(retry_backoff(2, r_fixed, &one) > 1.99 && retry_backoff(2, r_fixed, &one) < 2.0);
	assert_true(retry_backoff(3, r_fixed, &one) > 3.99 && retry_backoff(3, r_fixed, &one) < 4.0);
	assert_true(retry_backoff(4, r_fixed, &one) > 7.99 && retry_backoff(4, r_fixed, &one) < 8.0);
	assert_true(retry_backoff(9, r_fixed, &one) > 59.9 && retry_backoff(9, r_fixed, &one) < 60.0);
	assert_true(retry_backoff(40, r_fixed, &one) < 60.0);
	assert_true(retry_backoff(3, r_fixed, &zero) == 0.0);
	assert_true(retry_backoff(3, r_fixed, &half) == 2.0);
}

static void decisions(void **state)
{
	struct retry_in in;
	struct retry_out out;
	double half = 0.5;
	(void)state;
	memset(&in, 0, sizeof in);
	in.now = 1700000000.0;
	in.attempt = 1;

	in.status = 200;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	in.status = 404;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);

	in.status = 429;
	in.h.retry_after = "3";
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	assert_true(out.wait == 3.0);
	assert_int_equal(out.why, RW_RATE_LIMIT);

	/* GitHub primary limit: 403, remaining 0, wait for the reset */
	in.status = 403;
	in.h.retry_after = NULL;
	in.h.ratelimit_remaining = "0";
	in.h.ratelimit_reset = "1700000042";
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	assert_true(out.wait == 42.0);
	/* ...but a reset an hour away is over the 120 s budget */
	in.h.ratelimit_reset = "1700003600";
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	assert_true(out.gave_up);
	assert_true(out.until == 1700003600.0);
	char txt[64];
	retry_until_text(out.until, txt, sizeof txt);
	assert_string_equal(txt, "rate limited until 23:13 UTC");

	/* secondary limit: remaining > 0, no retry-after: at least 60 s */
	in.h.ratelimit_remaining = "4999";
	in.h.ratelimit_reset = "1700003600";
	in.body_says_rate_limit = true;
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	assert_int_equal(out.why, RW_SECONDARY);
	assert_true(out.wait == 60.0);
	/* a plain 403 (permissions) is final */
	in.body_says_rate_limit = false;
	in.h.ratelimit_remaining = "4999";
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	assert_false(out.gave_up);

	/* 5xx: backoff 0.5 * 2^(n-1); the 4th attempt is the last */
	memset(&in.h, 0, sizeof in.h);
	in.status = 503;
	in.attempt = 2;
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	assert_true(out.wait == 1.0);
	in.attempt = 4;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	assert_true(out.gave_up);
	/* budget: 119 s spent + a 2 s wait > 120 */
	in.attempt = 3;
	in.elapsed = 119;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	in.elapsed = 0;

	/* creating POSTs: not after a 5xx or a timeout; yes after 429 or a refused connect */
	in.creating = true;
	in.attempt = 1;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	in.status = 0;
	in.timed_out = true;
	retry_decide(&in, r_fixed, &half, &out);
	assert_false(out.retry);
	in.timed_out = false;
	in.transport_error = true;
	in.nothing_sent = true;
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	in.transport_error = false;
	in.nothing_sent = false;
	in.status = 429;
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	/* a GET that timed out is retried */
	in.creating = false;
	in.status = 0;
	in.timed_out = true;
	retry_decide(&in, r_fixed, &half, &out);
	assert_true(out.retry);
	assert_int_equal(out.why, RW_TRANSPORT);
}

static void link_header(void **state)
{
	char *n;
	(void)state;
	n = http_link_next("<https://api.github.com/repositories/1/issues?page=2&per_page=100>; rel=\"next\", "
			   "<https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"");
	assert_string_equal(n, "https://api.github.com/repositories/1/issues?page=2&per_page=100");
	free(n);
	n = http_link_next("<https://x/?page=1>; rel=\"prev\", <https://x/?page=3&a=b,c>; rel=\"next\"");
	assert_string_equal(n, "https://x/?page=3&a=b,c");
	free(n);
	n = http_link_next("<https://x/?p=4>; rel=\"prev next\"");
	assert_string_equal(n, "https://x/?p=4");
	free(n);
	assert_null(http_link_next("<https://x/?page=1>; rel=\"prev\", <https://x/?page=5>; rel=\"last\""));
	assert_null(http_link_next("garbage"));
	assert_null(http_link_next(""));
	assert_null(http_link_next(NULL));
}

/* ---- the test server ----------------------------------------------------- */

struct shared {
	int n429, n500, nstall, npost;
	char last_req[4096];
};

static struct shared *sh;
static pid_t server_pid;
static int port;

static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48,
				   0xcd, 0xc9, 0xc9, 0x57, 0x48, 0xaf, 0xca, 0x2c, 0x50, 0x28, 0xcf, 0x2f,
				   0xca, 0x49, 0x01, 0x00, 0x6b, 0x7d, 0xe8, 0xb7, 0x10, 0x00, 0x00, 0x00};

static void send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		c += k;
		n -= (size_t)k;
	}
}

static void reply(int fd, const char *status, const char *extra, const char *body)
{
	char head[1024];
	snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n", status,
		 strlen(body), extra ? extra : "");
	send_all(fd, head, strlen(head));
	send_all(fd, body, strlen(body));
}

static void serve(int fd)
{
	char req[8192];
	size_t n = 0;
	while (n < sizeof req - 1) {
		ssize_t k = recv(fd, req + n, sizeof req - 1 - n, 0);
		if (k <= 0)
			break;
		n += (size_t)k;
		req[n] = 0;
		char *he = strstr(req, "\r\n\r\n");
		if (he) {
			const char *cl = strcasestr(req, "content-length:");
			size_t want = cl ? strtoul(cl + 15, NULL, 10) : 0;
			if (n >= (size_t)(he + 4 - req) + want)
				break;
		}
	}
	req[n] = 0;
	memcpy(sh->last_req, req, n < sizeof sh->last_req ? n + 1 : sizeof sh->last_req);
	sh->last_req[sizeof sh->last_req - 1] = 0;
	char path[256] = "";
	sscanf(req, "%*s %255s", path);
	char extra[512];

	if (strcmp(path, "/page/1") == 0) {
		snprintf(extra, sizeof extra,
			 "Link: <http://127.0.0.1:%d/page/2?x=a,b>; rel=\"next\", <http://127.0.0.1:%d/page/2>; "
			 "rel=\"last\"\r\n",
			 port, port);
		reply(fd, "200 OK", extra, "[1]");
	} else if (strncmp(path, "/page/2", 7) == 0) {
		snprintf(extra, sizeof extra, "Link: <http://127.0.0.1:%d/page/1>; rel=\"prev\"\r\n", port);
		reply(fd, "200 OK", extra, path);
	} else if (strcmp(path, "/429") == 0) {
		if (__sync_fetch_and_add(&sh->n429, 1) == 0)
			reply(fd, "429 Too Many Requests", "Retry-After: 1\r\n", "slow down");
		else
			reply(fd, "200 OK", NULL, "after 429");
	} else if (strcmp(path, "/500") == 0) {
		if (__sync_fetch_and_add(&sh->n500, 1) == 0)
			reply(fd, "500 Internal Server Error", NULL, "oops");
		else
			reply(fd, "200 OK", NULL, "after 500");
	} else if (strcmp(path, "/post500") == 0) {
		__sync_fetch_and_add(&sh->npost, 1);
		reply(fd, "500 Internal Server Error", NULL, "maybe created");
	} else if (strcmp(path, "/stall") == 0) {
		__sync_fetch_and_add(&sh->nstall, 1);
		const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab";
		send_all(fd, h, strlen(h));
		sleep(3);
	} else if (strcmp(path, "/trunc") == 0) {
		const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
				"0123456789012345678901234567890123456789012345678\n";
		send_all(fd, h, strlen(h));
	} else if (strcmp(path, "/gzip") == 0) {
		char head[256];
		snprintf(head, sizeof head,
			 "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\nConnection: "
			 "close\r\n\r\n",
			 sizeof gz);
		send_all(fd, head, strlen(head));
		send_all(fd, gz, sizeof gz);
	} else if (strncmp(path, "/big", 4) == 0) {
		/* /big/<bytes>[/nolen]: no Content-Length tests the running cap */
		size_t len = strtoul(path + 5, NULL, 10);
		char head[256];
		if (strstr(path, "nolen"))
			snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
		else
			snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
				 len);
		send_all(fd, head, strlen(head));
		char *blk = malloc(65536);
		memset(blk, 'x', 65536);
		while (len) {
			size_t k = len > 65536 ? 65536 : len;
			send_all(fd, blk, k);
			len -= k;
		}
		free(blk);
	} else if (strcmp(path, "/slow") == 0) {
		usleep(400 * 1000);
		reply(fd, "200 OK", NULL, "slow");
	} else {
		reply(fd, "200 OK", NULL, "echo");
	}
	shutdown(fd, SHUT_WR);
	char sink[256];
	while (recv(fd, sink, sizeof sink, 0) > 0)
		;
	close(fd);
}

static int server_up(void **state)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int one = 1;
	(void)state;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	memset(sh, 0, sizeof *sh);
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 64) ||
	    getsockname(ls, (struct sockaddr *)&a, &al))
		return -1;
	port = ntohs(a.sin_port);
	server_pid = fork();
	if (server_pid == 0) {
		signal(SIGCHLD, SIG_IGN);
		for (;;) {
			int fd = accept(ls, NULL, NULL);
			if (fd < 0)
				continue;
			if (fork() == 0) {
				close(ls);
				serve(fd);
				_exit(0);
			}
			close(fd);
		}
	}
	close(ls);
	return server_pid > 0 ? 0 : -1;
}

static int server_down(void **state)
{
	(void)state;
	kill(server_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
	munmap(sh, sizeof *sh);
	return 0;
}

/* ---- client tests -------------------------------------------------------- */

static double r_zero(void *ctx)
{
	(void)ctx;
	return 0;
}

static void collect(void *ctx, const char *line)
{
	struct buf *b = ctx;
	buf_puts(b, line);
	buf_putc(b, '\n');
}

static struct http_client *client(struct buf *trace)
{
	struct http_client *c = http_client_new();
	http_client_set_rand(c, r_zero, NULL);
	if (trace)
		http_client_set_trace(c, collect, trace);
	return c;
}

static char *url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", port, path);
}

static void paging(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	char *u = url("/page/1");
	struct http_request q = {.url = u};
	(void)state;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "[1]");
	char *next = http_link_next(http_response_header(&r, "link"));
	char *want = xasprintf("http://127.0.0.1:%d/page/2?x=a,b", port);
	assert_string_equal(next, want);
	http_response_free(&r);
	q.url = next;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_string_equal(r.body, "/page/2?x=a,b"); /* followed verbatim */
	assert_null(http_link_next(http_response_header(&r, "Link")));
	/* defaults went out on the wire */
	assert_non_null(strstr(sh->last_req, "User-Agent: wisdom/" PACKAGE_VERSION "\r\n"));
	assert_non_null(strcasestr(sh->last_req, "Accept-Encoding: "));
	assert_non_null(strstr(sh->last_req, "gzip"));
	http_response_free(&r);
	free(next);
	free(want);
	free(u);
	http_client_free(&c);
	assert_null(c);
}

static void retry_429(void **state)
{
	struct buf tr = {0};
	struct http_client *c = client(&tr);
	struct http_response r;
	struct wz_err err;
	char *u = url("/429");
	struct http_request q = {.url = u};
	(void)state;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "after 429");
	assert_int_equal(r.attempts, 2);
	assert_int_equal(sh->n429, 2);
	assert_true(dt >= 0.95 && dt < 3.0); /* waited Retry-After: 1 */
	assert_non_null(strstr(buf_str(&tr), " 429 9B "));
	assert_non_null(strstr(buf_str(&tr), "retry in 1.0s (rate limited)"));
	assert_non_null(strstr(buf_str(&tr), " 200 9B "));
	http_response_free(&r);
	buf_free(&tr);
	free(u);
	http_client_free(&c);
}

static void retry_500(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	char *u = url("/500");
	struct http_request q = {.url = u};
	(void)state;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	assert_string_equal(r.body, "after 500");
	http_response_free(&r);
	/* a creating POST that got a 500 is not repeated */
	free(u);
	u = url("/post500");
	struct http_request p = {.method = "POST", .url = u, .body = "{}", .body_len = 2, .creating = true};
	assert_int_equal(http_client_perform(c, &p, &r, &err), WZ_OK);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(sh->npost, 1);
	assert_non_null(strstr(sh->last_req, "POST /post500 "));
	http_response_free(&r);
	free(u);
	http_client_free(&c);
}

static void stalled(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	char *u = url("/stall");
	struct http_request q = {.url = u, .timeout_ms = 300, .max_attempts = 2};
	(void)state;
	sh->nstall = 0;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_ENET);
	assert_int_equal(r.status, 0);
	assert_true(r.timed_out);
	assert_int_equal(r.attempts, 2);     /* a GET is retried */
	assert_non_null(strstr(err.msg, "timed out after 2 attempts"));
	assert_non_null(strstr(err.msg, u));
	http_response_free(&r);
	/* a creating POST is never repeated after a timeout */
	struct http_request p = {.method = "POST", .url = u, .body = "x", .body_len = 1, .creating = true,
				 .timeout_ms = 300};
	assert_int_equal(http_client_perform(c, &p, &r, &err), WZ_ENET);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(err.msg, "not repeated after a timeout"));
	assert_int_equal(sh->nstall, 3);
	http_response_free(&r);
	free(u);
	http_client_free(&c);
}

static void truncated(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	char *u = url("/trunc");
	struct http_request q = {.url = u, .max_attempts = 1};
	(void)state;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_ENET);
	assert_true(r.transport_error);
	assert_int_equal(r.body_len, 50);
	assert_non_null(strstr(err.msg, "truncated"));
	http_response_free(&r);
	free(u);
	http_client_free(&c);
}

static void gzip_body(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	char *u = url("/gzip");
	struct http_request q = {.url = u};
	(void)state;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 16);
	assert_string_equal(r.body, "hello gzip world");
	http_response_free(&r);
	free(u);
	http_client_free(&c);
}

static void oversize(void **state)
{
	struct http_client *c = client(NULL);
	struct http_response r;
	struct wz_err err;
	(void)state;
	/* the default 16 MiB cap, announced by Content-Length */
	char *u = url("/big/17825792");
	struct http_request q = {.url = u};
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_true(r.capped);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.error, "16777216-byte cap"));
	http_response_free(&r);
	free(u);
	/* no Content-Length: the running count stops it at exactly the cap */
	u = url("/big/300000/nolen");
	struct http_request q2 = {.url = u, .max_body = 100000};
	assert_int_equal(http_client_perform(c, &q2, &r, &err), WZ_OK);
	assert_true(r.capped);
	assert_int_equal(r.body_len, 100000);
	assert_non_null(strstr(r.error, "only the first 100000 bytes"));
	http_response_free(&r);
	free(u);
	/* just under the cap is fine */
	u = url("/big/100000/nolen");
	q2.url = u;
	assert_int_equal(http_client_perform(c, &q2, &r, &err), WZ_OK);
	assert_false(r.capped);
	assert_int_equal(r.body_len, 100000);
	http_response_free(&r);
	free(u);
	http_client_free(&c);
}

struct fan {
	int done;
	long status[4];
};

static void fan_done(void *ctx, struct http_response *r)
{
	struct fan *f = ctx;
	f->status[f->done++] = r->status;
	http_response_free(r);
}

static void fan_out(void **state)
{
	struct http_client *c = client(NULL);
	struct fan f = {0};
	char *u = url("/slow");
	struct http_request q = {.url = u};
	struct timespec t0, t1;
	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 4; i++)
		http_client_start(c, &q, fan_done, &f);
	assert_int_equal(http_client_pending(c), 4);
	/* the poll loop a UI would run */
	while (http_client_pending(c)) {
		struct pollfd fds[16];
		int to;
		int n = http_client_fds(c, fds, 16, &to);
		assert_true(n <= 16);
		poll(fds, (nfds_t)n, to);
		http_client_step(c, fds, n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("# 4 x 400 ms requests in parallel: %.3f s\n", dt);
	assert_int_equal(f.done, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(f.status[i], 200);
	assert_true(dt < 1.2); /* about the slowest, not the sum (1.6 s) */
	int to;
	assert_int_equal(http_client_fds(c, NULL, 0, &to), 0);
	assert_int_equal(to, -1);
	free(u);
	http_client_free(&c);
}

static void trace_redacts(void **state)
{
	struct buf tr = {0};
	struct http_client *c = client(&tr);
	struct http_response r;
	struct wz_err err;
	const char *tok = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
	char *u = xasprintf("http://bob:s3cretpass@127.0.0.1:%d/echo?access_token=%s&page=2", port, tok);
	char *auth = xasprintf("Authorization: Bearer %s", tok);
	const char *hdrs[] = {auth, "Accept: application/json", NULL};
	struct http_request q = {.url = u, .headers = hdrs};
	(void)state;
	assert_int_equal(http_client_perform(c, &q, &r, &err), WZ_OK);
	assert_int_equal(r.status, 200);
	/* userinfo became Basic auth (bob:s3cretpass) on the wire */
	assert_non_null(strstr(sh->last_req, "Authorization: Bearer ghp_"));
	http_response_free(&r);
	free(u);
	u = xasprintf("http://bob:s3cretpass@127.0.0.1:%d/echo", port);
	struct http_request q2 = {.url = u};
	assert_int_equal(http_client_perform(c, &q2, &r, &err), WZ_OK);
	assert_non_null(strstr(sh->last_req, "Authorization: Basic Ym9iOnMzY3JldHBhc3M="));
	http_response_free(&r);
	/* the trace names the calls but never a credential */
	const char *t = buf_str(&tr);
	assert_non_null(strstr(t, "http GET http://[REDACTED:url-credentials]@127.0.0.1:"));
	assert_non_null(strstr(t, "/echo?access_token=[REDACTED:"));
	assert_non_null(strstr(t, " 200 4B "));
	assert_null(strstr(t, tok));
	assert_null(strstr(t, "s3cretpass"));
	assert_null(strstr(t, "Bearer"));
	/* unreachable port: a clear error, status 0 */
	free(u);
	u = xstrdup("http://127.0.0.1:1/x");
	struct http_request q3 = {.url = u, .max_attempts = 1};
	assert_int_equal(http_client_perform(c, &q3, &r, &err), WZ_ENET);
	assert_non_null(strstr(err.msg, "http://127.0.0.1:1/x"));
	http_response_free(&r);
	free(u);
	free(auth);
	buf_free(&tr);
	http_client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(http_dates), cmocka_unit_test(backoff_schedule),
		cmocka_unit_test(decisions),  cmocka_unit_test(link_header),
		cmocka_unit_test(paging),     cmocka_unit_test(retry_429),
		cmocka_unit_test(retry_500),  cmocka_unit_test(stalled),
		cmocka_unit_test(truncated),  cmocka_unit_test(gzip_body),
		cmocka_unit_test(oversize),   cmocka_unit_test(fan_out),
		cmocka_unit_test(trace_redacts),
	};
	return cmocka_run_group_tests(tests, server_up, server_down);
}
