/* faultd.c - a local HTTP server that misbehaves on purpose, for the
 * fault matrix (tests/integration/fault-matrix.sh). Not a test itself.
 *
 *   faultd [--port N] [--ready FILE] [--log FILE] [--script FILE]
 *          [--retry-after S] [--slow-ms MS] [--huge-bytes N] [--bomb-mib N]
 *          [--conn-secs S] [--max-secs S]
 *   faultd --free-port      print a port nothing listens on, exit
 *   faultd --wait-port P    exit 0 once 127.0.0.1:P accepts (5 s at most)
 *   faultd --list           print the faults, one a line, exit
 *
 * Which fault a request gets, first match wins:
 *   1. the path: /fault/SPEC/TAG/...  (TAG is free text naming the caller,
 *      e.g. "github.list"; the rest is ignored);
 *   2. a header: X-Fault: SPEC;
 *   3. the next line of --script (the last line repeats); else "ok".
 * SPEC is a fault name or a comma list ("503,503,ok"): the n-th request
 * with the same SPEC and TAG gets the n-th item, the last one repeating.
 * Request bytes that open a TLS handshake (0x16) get the "tls" fault: a
 * plain-text answer where a TLS server hello was expected.
 *
 * On start it writes "port=P refuse_port=R" to --ready (and stdout):
 * R is bound but never listening, so a connect there is refused. Every
 * request gets one --log line "req conn=N fault=F step=K method=M path=P"
 * when its headers are read, and "done conn=N fault=F sent=B secs=S" when
 * its answer ends. Each connection is answered by a forked child (so a
 * stall never blocks the others) and closed after one answer.
 *
 * Depends on libc and zlib (the gzip bomb) only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* name, what it does (for --list) */
#define FAULTS(X)                                                                          \
	X(OK, "ok", "200 (GET) or 201 (other methods) with a small valid JSON answer")        \
	X(HANGUP, "hangup", "read the request, close without a byte (empty reply)")           \
	X(RESET, "reset", "headers and part of the body, then a TCP reset (SO_LINGER 0)")     \
	X(STALL, "stall", "read the request, never answer (until the client gives up)")       \
	X(TRUNCATED, "truncated", "Content-Length 5000, send 60 bytes of JSON, close")        \
	X(INVALID_JSON, "invalid-json", "200 application/json with the body {\"a\":")          \
	X(SHAPE, "shape", "200 with valid JSON of the wrong shape (an object with a message)") \
	X(HTML, "html", "200 text/html with an HTML page")                                     \
	X(GZIP_BOMB, "gzip-bomb", "about 2 MB of gzip that inflates to --bomb-mib MiB")        \
	X(HUGE, "huge", "zeros without Content-Length until the client hangs up")             \
	X(SLOWLORIS, "slowloris", "a valid answer at one byte per --slow-ms")                  \
	X(TLS, "tls", "a plain-text answer to a TLS client hello")                             \
	X(STATUS, "NNN", "any 3-digit status with a vendor-like body (429 adds Retry-After)")

enum fault {
#define X(id, name, what) FT_##id,
	FAULTS(X)
#undef X
	FT_COUNT
};

static const char *const fault_names[] = {
#define X(id, name, what) name,
	FAULTS(X)
#undef X
};

static const char *const fault_whats[] = {
#define X(id, name, what) what,
	FAULTS(X)
#undef X
};

static struct {
	int retry_after;
	long slow_ms;
	unsigned long long huge_bytes;
	unsigned long bomb_mib;
	int conn_secs;
	int max_secs;
	FILE *log;
} opt = {1, 1000, 1ULL << 30, 2048, 30, 300, NULL};

static volatile sig_atomic_t stop_flag;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;
	if (!opt.log)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* one write of an O_APPEND stream: lines from children never mix */
	if (write(fileno(opt.log), line, (size_t)n) < 0)
		return;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("faultd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

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
		die("cannot build the gzip bomb (deflate)");
	return cap - z->avail_out;
}

static void bomb_build(void)
{
	const size_t mib = (size_t)1 << 20, cap = 64 * 1024;
	unsigned char *zeros = calloc(1, mib), *a = malloc(cap), *b = malloc(cap), *t = malloc(cap);
	z_stream z;
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t na, nb;
	if (!zeros || !a || !b || !t)
		die("out of memory");
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		die("cannot build the gzip bomb (deflateInit2)");
	na = deflate_step(&z, zeros, mib, Z_FULL_FLUSH, a, cap);
	nb = deflate_step(&z, zeros, mib, Z_FULL_FLUSH, b, cap);
	if (na != nb || memcmp(a, b, na) != 0)
		die("cannot build the gzip bomb (flushed chunks differ)");
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

/* ---- writing ---------------------------------------------------------- */

static unsigned long long sent_total;

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

static bool send_answer(int fd, int status, const char *reason, const char *type, const char *body,
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

static void msleep(long ms)
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
	send_answer(fd, code, reason_of(code), type, body, extra[0] ? extra : NULL);
}

static const char ok_list[] = "[]";
static const char ok_item[] =
	"{\"number\":1,\"title\":\"faultd\",\"state\":\"open\",\"user\":{\"login\":\"faultd\"},\"labels\":[],"
	"\"html_url\":\"http://127.0.0.1/faultd/1\",\"created_at\":\"2025-01-01T00:00:00Z\","
	"\"updated_at\":\"2025-01-01T00:00:00Z\"}";

/* Runs in the child: answers one request with one fault. */
static void serve(int fd, enum fault f, int code, bool is_get)
{
	const char *json = "application/json; charset=utf-8";
	const char *ok_body = is_get ? ok_list : ok_item;
	int ok_code = is_get ? 200 : 201;

	switch (f) {
	case FT_OK:
		send_answer(fd, ok_code, reason_of(ok_code), json, ok_body, NULL);
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
		msleep(100); /* let the client read the part before the reset */
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
		send_answer(fd, ok_code, reason_of(ok_code), json, "{\"a\":", NULL);
		break;
	case FT_SHAPE:
		send_answer(fd, ok_code, reason_of(ok_code), json, "{\"message\":\"an object, not what you asked for\"}",
			    NULL);
		break;
	case FT_HTML:
		send_answer(fd, 200, "OK", "text/html; charset=utf-8",
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
			msleep(opt.slow_ms);
		}
		break;
	}
	case FT_TLS:
		send_answer(fd, 400, "Bad Request", "text/plain", "this is plain HTTP, not TLS\n", NULL);
		break;
	case FT_STATUS:
		answer_status(fd, code);
		break;
	case FT_COUNT:
		break;
	}
}

/* ---- choosing the fault --------------------------------------------------- */

struct seq {
	char key[256];
	unsigned n;
};
static struct seq seqs[512];
static size_t nseqs;
static char **script;
static size_t nscript, script_pos;

/* Next step of a comma list under key; the last item repeats. */
static void pick_item(const char *spec, size_t spec_len, const char *key, char *out, size_t cap, unsigned *step)
{
	struct seq *s = NULL;
	for (size_t i = 0; i < nseqs; i++)
		if (strcmp(seqs[i].key, key) == 0)
			s = &seqs[i];
	if (!s && nseqs < sizeof seqs / sizeof seqs[0]) {
		s = &seqs[nseqs++];
		snprintf(s->key, sizeof s->key, "%s", key);
	}
	unsigned k = s ? s->n++ : 0;
	*step = k + 1;
	const char *p = spec, *end = spec + spec_len;
	for (unsigned i = 0; i < k; i++) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			break;
		p = c + 1;
	}
	const char *c = memchr(p, ',', (size_t)(end - p));
	size_t n = (size_t)((c ? c : end) - p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

static enum fault parse_fault(const char *name, int *code)
{
	for (int i = 0; i < FT_STATUS; i++)
		if (strcmp(name, fault_names[i]) == 0)
			return (enum fault)i;
	if (strlen(name) == 3 && name[0] >= '1' && name[0] <= '5' && strspn(name, "0123456789") == 3) {
		*code = atoi(name);
		return FT_STATUS;
	}
	return FT_COUNT;
}

/* ---- connections --------------------------------------------------------- */

struct conn {
	int fd;
	unsigned id;
	double t0;
	size_t len;
	char buf[16384];
};

static struct conn *conns[64];
static pid_t kids[256];
static size_t nkids;
static int lfd = -1, rfd = -1; /* listening; bound, never listening */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static const char *header_value(const char *head, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *h = p + 2;
		if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
			const char *v = h + nl + 1, *e = strstr(v, "\r\n");
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = e ? (size_t)(e - v) : strlen(v);
			if (n >= cap)
				n = cap - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return out;
		}
	}
	return NULL;
}

/* Headers are complete (or TLS): pick the fault, fork the answer. */
static void dispatch(struct conn *c, size_t head_len, bool tls)
{
	char method[16] = "-", path[1024] = "-", name[64] = "ok", key[300], hv[256];
	unsigned step = 1;
	long long body_len = 0;
	size_t have_body = 0;
	int code = 0;

	if (tls) {
		snprintf(name, sizeof name, "tls");
	} else {
		c->buf[head_len - 2] = 0; /* keeps the last header's CRLF for header_value */
		if (sscanf(c->buf, "%15s %1023s", method, path) != 2)
			snprintf(name, sizeof name, "400");
		else if (strncmp(path, "/fault/", 7) == 0) {
			const char *spec = path + 7, *slash = strchr(spec, '/');
			size_t sl = slash ? (size_t)(slash - spec) : strlen(spec);
			const char *tag = slash ? slash + 1 : "", *te = strchr(tag, '/');
			snprintf(key, sizeof key, "p:%.*s/%.*s", (int)sl, spec, (int)(te ? (size_t)(te - tag) : strlen(tag)),
				 tag);
			pick_item(spec, sl, key, name, sizeof name, &step);
		} else if (header_value(c->buf, "X-Fault", hv, sizeof hv)) {
			snprintf(key, sizeof key, "h:%s", hv);
			pick_item(hv, strlen(hv), key, name, sizeof name, &step);
		} else if (nscript) {
			size_t i = script_pos < nscript ? script_pos : nscript - 1;
			script_pos++;
			step = (unsigned)script_pos;
			snprintf(name, sizeof name, "%s", script[i]);
		}
		if (header_value(c->buf, "Content-Length", hv, sizeof hv))
			body_len = atoll(hv);
		have_body = c->len - head_len;
	}
	enum fault f = parse_fault(name, &code);
	if (f == FT_COUNT) {
		logf_("bad fault name \"%s\" (conn=%u): answering 400", name, c->id);
		f = FT_STATUS;
		code = 400;
	}
	logf_("req conn=%u fault=%s step=%u method=%s path=%s", c->id, name, step, method, path);

	pid_t pid = fork();
	if (pid < 0) {
		logf_("fork failed: %s", strerror(errno));
		return;
	}
	if (pid > 0) {
		if (nkids < sizeof kids / sizeof kids[0])
			kids[nkids++] = pid;
		return;
	}
	/* child */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	alarm((unsigned)opt.conn_secs);
	close(lfd);
	close(rfd);
	for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++)
		if (conns[i] && conns[i] != c)
			close(conns[i]->fd);
	/* read the rest of a request body so closing never resets early */
	while (!tls && (long long)have_body < body_len) {
		char junk[8192];
		struct pollfd p = {c->fd, POLLIN, 0};
		if (poll(&p, 1, 2000) <= 0)
			break;
		ssize_t r = read(c->fd, junk, sizeof junk);
		if (r <= 0)
			break;
		have_body += (size_t)r;
	}
	double t0 = now_s();
	serve(c->fd, f, code, strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
	logf_("done conn=%u fault=%s sent=%llu secs=%.3f", c->id, name, sent_total, now_s() - t0);
	close(c->fd);
	_exit(0);
}

static void conn_close(size_t i)
{
	close(conns[i]->fd);
	free(conns[i]);
	conns[i] = NULL;
}

static void conn_read(size_t i)
{
	struct conn *c = conns[i];
	ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
	if (r <= 0) {
		conn_close(i);
		return;
	}
	c->len += (size_t)r;
	c->buf[c->len] = 0;
	if ((unsigned char)c->buf[0] == 0x16) {
		dispatch(c, c->len, true);
		conn_close(i);
		return;
	}
	char *end = strstr(c->buf, "\r\n\r\n");
	if (end) {
		dispatch(c, (size_t)(end - c->buf) + 4, false);
		conn_close(i);
	} else if (c->len >= sizeof c->buf - 1) {
		send_answer(c->fd, 431, "Request Header Fields Too Large", "text/plain", "headers too large\n", NULL);
		conn_close(i);
	}
}

static int listen_on(int port, bool do_listen)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("cannot bind 127.0.0.1:%d: %s", port, strerror(errno));
	if (do_listen && listen(fd, 64) < 0)
		die("listen: %s", strerror(errno));
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &n) < 0)
		die("getsockname: %s", strerror(errno));
	return ntohs(a.sin_port);
}

static void read_script(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	if (!f)
		die("cannot read the script %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n#")] = 0;
		char *s = line + strspn(line, " \t");
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = 0;
		if (!n)
			continue;
		int code;
		if (parse_fault(s, &code) == FT_COUNT)
			die("%s: unknown fault \"%s\" (see faultd --list)", path, s);
		script = realloc(script, (nscript + 1) * sizeof *script);
		if (!script || !(script[nscript] = strdup(s)))
			die("out of memory");
		nscript++;
	}
	fclose(f);
}

static void reap(void)
{
	pid_t p;
	while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
		for (size_t i = 0; i < nkids; i++)
			if (kids[i] == p) {
				kids[i] = kids[--nkids];
				break;
			}
}

static long num_arg(const char *opt_name, const char *v, long lo, long hi)
{
	char *e;
	long n = v ? strtol(v, &e, 10) : 0;
	if (!v || e == v || *e || n < lo || n > hi)
		die("%s wants a number from %ld to %ld", opt_name, lo, hi);
	return n;
}

/* True once something accepts connections on 127.0.0.1:port (5 s at most). */
static bool wait_port(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	for (int i = 0; i < 100; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
		if (fd >= 0)
			close(fd);
		if (ok)
			return true;
		msleep(50);
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *ready = NULL, *logpath = NULL;
	int port = 0;
	unsigned next_id = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--free-port") == 0) {
			int fd = listen_on(0, false);
			printf("%d\n", port_of(fd));
			close(fd);
			return 0;
		} else if (strcmp(a, "--wait-port") == 0 && v) {
			return wait_port((int)num_arg(a, v, 1, 65535)) ? 0 : 1;
		} else if (strcmp(a, "--list") == 0) {
			for (int k = 0; k < FT_COUNT; k++)
				printf("%-13s %s\n", fault_names[k], fault_whats[k]);
			return 0;
		} else if (!v) {
			die("%s needs a value (usage at the top of tests/faultd/faultd.c)", a);
		} else if (strcmp(a, "--port") == 0) {
			port = (int)num_arg(a, v, 0, 65535);
		} else if (strcmp(a, "--ready") == 0) {
			ready = v;
		} else if (strcmp(a, "--log") == 0) {
			logpath = v;
		} else if (strcmp(a, "--script") == 0) {
			read_script(v);
		} else if (strcmp(a, "--retry-after") == 0) {
			opt.retry_after = (int)num_arg(a, v, 0, 3600);
		} else if (strcmp(a, "--slow-ms") == 0) {
			opt.slow_ms = num_arg(a, v, 1, 60000);
		} else if (strcmp(a, "--huge-bytes") == 0) {
			opt.huge_bytes = (unsigned long long)num_arg(a, v, 1, 1L << 40);
		} else if (strcmp(a, "--bomb-mib") == 0) {
			opt.bomb_mib = (unsigned long)num_arg(a, v, 1, 1 << 16);
		} else if (strcmp(a, "--conn-secs") == 0) {
			opt.conn_secs = (int)num_arg(a, v, 1, 86400);
		} else if (strcmp(a, "--max-secs") == 0) {
			opt.max_secs = (int)num_arg(a, v, 1, 86400);
		} else {
			die("unknown option %s (usage at the top of tests/faultd/faultd.c)", a);
		}
		i++;
	}
	if (logpath && !(opt.log = fopen(logpath, "a")))
		die("cannot open the log %s: %s", logpath, strerror(errno));
	bomb_build();

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = listen_on(port, true);
	rfd = listen_on(0, false);
	char line[128];
	snprintf(line, sizeof line, "port=%d refuse_port=%d\n", port_of(lfd), port_of(rfd));
	if (ready) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", ready);
		FILE *f = fopen(tmp, "w");
		if (!f || fputs(line, f) < 0 || fclose(f) != 0 || rename(tmp, ready) != 0)
			die("cannot write %s: %s", ready, strerror(errno));
	}
	fputs(line, stdout);
	fflush(stdout);

	double deadline = now_s() + opt.max_secs;
	while (!stop_flag && now_s() < deadline) {
		struct pollfd p[65];
		size_t map[65];
		nfds_t n = 0;
		p[n].fd = lfd;
		p[n].events = POLLIN;
		map[n++] = (size_t)-1;
		for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++) {
			if (!conns[i])
				continue;
			if (now_s() - conns[i]->t0 > 10) { /* no complete request in 10 s */
				conn_close(i);
				continue;
			}
			p[n].fd = conns[i]->fd;
			p[n].events = POLLIN;
			map[n++] = i;
		}
		int r = poll(p, n, 200);
		reap();
		if (r <= 0)
			continue;
		for (nfds_t k = 1; k < n; k++)
			if (p[k].revents && conns[map[k]])
				conn_read(map[k]);
		if (p[0].revents & POLLIN) {
			int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			size_t i = 0;
			while (i < sizeof conns / sizeof conns[0] && conns[i])
				i++;
			if (cfd < 0)
				continue;
			if (i == sizeof conns / sizeof conns[0] || !(conns[i] = calloc(1, sizeof *conns[i]))) {
				close(cfd);
				continue;
			}
			conns[i]->fd = cfd;
			conns[i]->id = next_id++;
			conns[i]->t0 = now_s();
		}
	}
	for (size_t i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++)
		if (conns[i])
			conn_close(i);
	for (size_t i = 0; i < nscript; i++)
		free(script[i]);
	free(script);
	free(bomb_chunk);
	free(bomb_tail);
	close(lfd);
	close(rfd);
	if (opt.log)
		fclose(opt.log);
	return 0;
}
