/* faultd_answer.c - the answers of faultd, one per fault (faultd.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tests/faultd/faultd.h"

/* ---- the gzip bomb ------------------------------------------------------ */

/* One MiB of zeros deflated and fully flushed is the same bytes every
 * time, so the bomb is: gzip header, that chunk bomb_mib times, an empty
 * final block, CRC-32 and size. Built once, sent by repetition. */
static unsigned char *bomb_chunk, *bomb_tail;
static size_t bomb_chunk_len, bomb_tail_len;
static unsigned char bomb_trailer[8];

static size_t deflate_step(z_stream *z, const unsigned char *in, size_t n, int flush, unsigned char *out,
			   size_t cap)
{
	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	if (deflate(z, flush) == Z_STREAM_ERROR || z->avail_in || !z->avail_out)
		fd_die("cannot build the gzip bomb (deflate)");
	return cap - z->avail_out;
}

void fd_bomb_build(void)
{
	const size_t mib = (size_t)1 << 20, cap = 64 * 1024;
	unsigned char *zeros = calloc(1, mib), *a = malloc(cap), *b = malloc(cap), *t = malloc(cap);
	z_stream z;
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t na, nb;
	if (!zeros || !a || !b || !t)
		fd_die("out of memory");
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		fd_die("cannot build the gzip bomb (deflateInit2)");
	na = deflate_step(&z, zeros, mib, Z_FULL_FLUSH, a, cap);
	nb = deflate_step(&z, zeros, mib, Z_FULL_FLUSH, b, cap);
	if (na != nb || memcmp(a, b, na) != 0)
		fd_die("cannot build the gzip bomb (flushed chunks differ)");
	bomb_tail_len = deflate_step(&z, NULL, 0, Z_FINISH, t, cap);
	deflateEnd(&z);
	uLong one = crc32(crc, zeros, (uInt)mib);
	for (unsigned long i = 0; i < opt.bomb_mib; i++)
		crc = crc32_combine(crc, one, (z_off_t)mib);
	unsigned long isize = (unsigned long)((opt.bomb_mib * mib) & 0xffffffffUL);
	for (int i = 0; i < 4; i++) {
		bomb_trailer[i] = (unsigned char)(crc >> (8 * i));
		bomb_trailer[4 + i] = (unsigned char)(isize >> (8 * i));
	}
	bomb_chunk = a;
	bomb_chunk_len = na;
	bomb_tail = t;
	free(b);
	free(zeros);
}

void fd_bomb_free(void)
{
	free(bomb_chunk);
	free(bomb_tail);
	bomb_chunk = bomb_tail = NULL;
}

/* ---- writing ---------------------------------------------------------- */

static unsigned long long sent_total;

unsigned long long fd_sent_total(void)
{
	return sent_total;
}

/* Writes all of p; false when the client went away. */
static bool send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
		sent_total += (unsigned long long)w;
	}
	return true;
}

static bool send_str(int fd, const char *s)
{
	return send_all(fd, s, strlen(s));
}

static bool send_head(int fd, int status, const char *reason, const char *type, long long len, const char *extra)
{
	char h[768];
	char cl[64] = "";
	if (len >= 0)
		snprintf(cl, sizeof cl, "Content-Length: %lld\r\n", len);
	snprintf(h, sizeof h,
		 "HTTP/1.1 %d %s\r\nServer: faultd\r\nConnection: close\r\n%s%s%s%s\r\n", status, reason,
		 type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "", cl);
	if (extra && strlen(h) + strlen(extra) + 4 < sizeof h) {
		/* extra header lines go before the blank line */
		h[strlen(h) - 2] = 0;
		strcat(h, extra);
		strcat(h, "\r\n\r\n");
	}
	return send_str(fd, h);
}

bool fd_send_answer(int fd, int status, const char *reason, const char *type, const char *body,
			const char *extra)
{
	return send_head(fd, status, reason, type, (long long)strlen(body), extra) && send_str(fd, body);
}

/* Waits until the client closes (or conn_secs pass). */
static void wait_client_close(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	char junk[4096];
	for (;;) {
		int r = poll(&p, 1, 1000);
		if (r < 0 && errno != EINTR)
			return;
		if (r > 0 && read(fd, junk, sizeof junk) <= 0)
			return;
	}
}

void fd_msleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static const char *reason_of(int code)
{
	switch (code) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 410: return "Gone";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Status";
	}
}

/* Vendor-like bodies: GitHub's error JSON for 4xx, what proxies send for 5xx. */
static void answer_status(int fd, int code)
{
	char extra[128] = "", body[512];
	const char *type = "application/json; charset=utf-8";
	switch (code) {
	case 401: snprintf(body, sizeof body, "{\"message\":\"Bad credentials\",\"status\":\"401\"}"); break;
	case 403:
		snprintf(body, sizeof body, "{\"message\":\"Resource not accessible by personal access token\"}");
		break;
	case 404: snprintf(body, sizeof body, "{\"message\":\"Not Found\",\"status\":\"404\"}"); break;
	case 410: snprintf(body, sizeof body, "{\"message\":\"Issues are disabled for this repo\"}"); break;
	case 422:
		snprintf(body, sizeof body,
			 "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"field\":"
			 "\"title\",\"code\":\"missing_field\"}]}");
		break;
	case 429:
		snprintf(extra, sizeof extra, "Retry-After: %d\r\nX-RateLimit-Remaining: 0", opt.retry_after);
		snprintf(body, sizeof body, "{\"message\":\"API rate limit exceeded (faultd)\"}");
		break;
	case 502:
		type = "text/html";
		snprintf(body, sizeof body,
			 "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
			 "</body></html>\n");
		break;
	case 503:
		type = "text/plain";
		snprintf(body, sizeof body, "upstream connect error or disconnect/reset before headers\n");
		break;
	default:
		snprintf(body, sizeof body, "{\"message\":\"faultd status %d\"}", code);
		break;
	}
	fd_send_answer(fd, code, reason_of(code), type, body, extra[0] ? extra : NULL);
}

static const char ok_list[] = "[]";
static const char ok_item[] =
	"{\"number\":1,\"title\":\"faultd\",\"state\":\"open\",\"user\":{\"login\":\"faultd\"},\"labels\":[],"
	"\"html_url\":\"http://127.0.0.1/faultd/1\",\"created_at\":\"2025-01-01T00:00:00Z\","
	"\"updated_at\":\"2025-01-01T00:00:00Z\"}";
static const char ok_search[] = "{\"total_count\":0,\"incomplete_results\":false,\"items\":[]}";
static const char ok_pull[] =
	"{\"number\":1,\"state\":\"closed\",\"merged_at\":\"2025-01-02T00:00:00Z\",\"merge_commit_sha\":\"0123abc\","
	"\"head\":{\"sha\":\"4567def\"},\"base\":{\"ref\":\"main\"},\"html_url\":\"http://127.0.0.1/faultd/pull/1\"}";
static const char ok_rate[] =
	"{\"resources\":{\"core\":{\"limit\":5000,\"remaining\":4999,\"reset\":1735689600},"
	"\"search\":{\"limit\":30,\"remaining\":30,\"reset\":1735689600}}}";
static const char ok_comment[] = "{\"id\":11,\"body\":\"faultd\",\"user\":{\"login\":\"faultd\"},"
				 "\"html_url\":\"http://127.0.0.1/faultd/1#issuecomment-11\"}";
static const char ok_comments_1[] = "[{\"id\":11,\"body\":\"page 1\",\"user\":{\"login\":\"faultd\"}}]";
static const char ok_comments_2[] = "[{\"id\":12,\"body\":\"page 2\",\"user\":{\"login\":\"faultd\"}}]";

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* .../issues/<digits> */
static bool one_issue(const char *p, size_t n)
{
	size_t i = n;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--;
	return i < n && ends_with(p, i, "/issues/");
}

/* The successful answer to a GitHub-like path: what the operation
 * expects, so the matrix can run every operation. A first page of
 * comments links to a second one (the client must follow it). */
static const char *ok_answer(const struct fd_req *rq, int *code, char *extra, size_t cap)
{
	const char *path = rq && rq->path ? rq->path : "/";
	const char *q = strchr(path, '?');
	size_t n = q ? (size_t)(q - path) : strlen(path);
	bool get = !rq || !rq->method || strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	bool post = rq && rq->method && strcmp(rq->method, "POST") == 0;
	*code = get ? 200 : post ? 201 : 200;
	extra[0] = 0;
	if (ends_with(path, n, "/rate_limit"))
		return ok_rate;
	if (ends_with(path, n, "/search/issues"))
		return ok_search;
	if (strstr(path, "/pulls/") && (size_t)(strstr(path, "/pulls/") - path) < n)
		return ok_pull;
	if (get && ends_with(path, n, "/comments")) {
		if (q && strstr(q, "page=2"))
			return ok_comments_2;
		snprintf(extra, cap, "Link: <http://%s%s%cpage=2>; rel=\"next\"", rq->host && *rq->host ? rq->host : "127.0.0.1",
			 path, q ? '&' : '?');
		return ok_comments_1;
	}
	if (!get && (ends_with(path, n, "/comments") || memmem(path, n, "/issues/comments/", 17)))
		return ok_comment;
	if (get)
		return one_issue(path, n) ? ok_item : ok_list;
	return ok_item;
}

/* Runs in the child: answers one request with one fault. */
void fd_serve(int fd, enum fault f, int code, const struct fd_req *rq)
{
	const char *json = "application/json; charset=utf-8";
	char extra[1400];
	int ok_code;
	const char *ok_body = ok_answer(rq, &ok_code, extra, sizeof extra);

	switch (f) {
	case FT_OK:
		fd_send_answer(fd, ok_code, reason_of(ok_code), json, ok_body, extra[0] ? extra : NULL);
		break;
	case FT_HANGUP:
		break;
	case FT_RESET: {
		char part[4096];
		struct linger lg = {1, 0};
		size_t n = 0;
		send_head(fd, 200, "OK", json, 100000, NULL);
		while (n + 40 < sizeof part)
			n += (size_t)snprintf(part + n, sizeof part - n, "{\"number\":%zu,\"title\":\"x\"},", n);
		send_all(fd, "[", 1);
		send_all(fd, part, n);
		fd_msleep(100); /* let the client read the part before the reset */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		break;
	}
	case FT_STALL:
		wait_client_close(fd);
		break;
	case FT_TRUNCATED:
		send_head(fd, ok_code, reason_of(ok_code), json, 5000, NULL);
		send_str(fd, "[{\"number\":1,\"title\":\"cut short\",\"state\":\"open\",\"body\":\"tr");
		shutdown(fd, SHUT_WR);
		break;
	case FT_INVALID_JSON:
		fd_send_answer(fd, ok_code, reason_of(ok_code), json, "{\"a\":", NULL);
		break;
	case FT_SHAPE:
		fd_send_answer(fd, ok_code, reason_of(ok_code), json, "{\"message\":\"an object, not what you asked for\"}",
			    NULL);
		break;
	case FT_HTML:
		fd_send_answer(fd, 200, "OK", "text/html; charset=utf-8",
			    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>captive portal"
			    "</form></body></html>\n",
			    NULL);
		break;
	case FT_GZIP_BOMB: {
		static unsigned char blk[64 * 1024];
		static const unsigned char gz_head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
		size_t per = sizeof blk / bomb_chunk_len, fill = 0;
		unsigned long left = opt.bomb_mib;
		long long len = (long long)(10 + opt.bomb_mib * bomb_chunk_len + bomb_tail_len + 8);
		for (size_t i = 0; i < per; i++, fill += bomb_chunk_len)
			memcpy(blk + fill, bomb_chunk, bomb_chunk_len);
		if (!send_head(fd, 200, "OK", json, len, "Content-Encoding: gzip") || !send_all(fd, gz_head, 10))
			break;
		while (left) {
			size_t k = left < per ? left : per;
			if (!send_all(fd, blk, k * bomb_chunk_len))
				break;
			left -= k;
		}
		if (!left && send_all(fd, bomb_tail, bomb_tail_len))
			send_all(fd, bomb_trailer, 8);
		break;
	}
	case FT_HUGE: {
		static char zeros[64 * 1024];
		unsigned long long left = opt.huge_bytes;
		if (!send_head(fd, 200, "OK", "application/octet-stream", -1, NULL))
			break;
		while (left) {
			size_t k = left < sizeof zeros ? (size_t)left : sizeof zeros;
			if (!send_all(fd, zeros, k))
				break;
			left -= k;
		}
		break;
	}
	case FT_SLOWLORIS: {
		char all[1024];
		int n = snprintf(all, sizeof all,
				 "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
				 ok_code, reason_of(ok_code), json, strlen(ok_body), ok_body);
		for (int i = 0; i < n; i++) {
			if (!send_all(fd, all + i, 1))
				break;
			fd_msleep(opt.slow_ms);
		}
		break;
	}
	case FT_TLS:
		fd_send_answer(fd, 400, "Bad Request", "text/plain", "this is plain HTTP, not TLS\n", NULL);
		break;
	case FT_STATUS:
		answer_status(fd, code);
		break;
	case FT_COUNT:
		break;
	}
}
