/* faultd.h - the faults of faultd (tests/faultd/faultd.c) and the
 * answers that carry them out (faultd_answer.c). A test helper, not part
 * of wisdom. Nothing here allocates except fd_bomb_build() (released by
 * fd_bomb_free()).
 */
#ifndef WZ_TESTS_FAULTD_H
#define WZ_TESTS_FAULTD_H

#include <stdbool.h>
#include <stdio.h>

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

struct faultd_opt {
	int retry_after;                /* seconds, in 429 answers */
	long slow_ms;                   /* slowloris: ms between bytes */
	unsigned long long huge_bytes;  /* huge: bytes before giving up */
	unsigned long bomb_mib;         /* gzip bomb: inflated MiB */
	int conn_secs;                  /* a connection's life at most */
	int max_secs;                   /* faultd's life at most */
	FILE *log;
};
extern struct faultd_opt opt;

void fd_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fd_msleep(long ms);

/* Builds the gzip bomb for opt.bomb_mib (once, before serving). */
void fd_bomb_build(void);
void fd_bomb_free(void);

/* A whole answer with Content-Length; extra: more header lines without
 * the final CRLF (or NULL). False when the client went away. */
bool fd_send_answer(int fd, int status, const char *reason, const char *type, const char *body, const char *extra);
/* The request as far as the answer depends on it (NULL fields: unknown). */
struct fd_req {
	const char *method, *path, *host;
};
/* Answers one request with fault f (code: the status of FT_STATUS). The
 * successful answer ("ok", and what the slow, cut and bad faults start
 * from) follows the GitHub path: /rate_limit, /search/issues, pulls/N,
 * comments (a list in two pages linked by Link rel="next"; a created or
 * updated comment), issues/N (one issue), other GETs a list ([]), other
 * methods an issue; POST gets 201, the rest 200. */
void fd_serve(int fd, enum fault f, int code, const struct fd_req *rq);
/* Bytes fd_serve() sent in this process. */
unsigned long long fd_sent_total(void);

#endif
