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
 * Depends on libc and zlib (the gzip bomb) only. The answers are in
 * faultd_answer.c; this file picks them and runs the sockets.
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

#include "tests/faultd/faultd.h"

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

struct faultd_opt opt = {1, 1000, 1ULL << 30, 2048, 30, 300, NULL};

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

void fd_die(const char *fmt, ...)
{
	va_list ap;
	fputs("faultd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
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
	char host[256] = "";
	if (!tls && !header_value(c->buf, "Host", host, sizeof host))
		host[0] = 0;
	struct fd_req rq = {method, path, host};
	fd_serve(c->fd, f, code, &rq);
	logf_("done conn=%u fault=%s sent=%llu secs=%.3f", c->id, name, fd_sent_total(), now_s() - t0);
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
		fd_send_answer(c->fd, 431, "Request Header Fields Too Large", "text/plain", "headers too large\n", NULL);
		conn_close(i);
	}
}

static int listen_on(int port, bool do_listen)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd_die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		fd_die("cannot bind 127.0.0.1:%d: %s", port, strerror(errno));
	if (do_listen && listen(fd, 64) < 0)
		fd_die("listen: %s", strerror(errno));
	return fd;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &n) < 0)
		fd_die("getsockname: %s", strerror(errno));
	return ntohs(a.sin_port);
}

static void read_script(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	if (!f)
		fd_die("cannot read the script %s: %s", path, strerror(errno));
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
			fd_die("%s: unknown fault \"%s\" (see faultd --list)", path, s);
		script = realloc(script, (nscript + 1) * sizeof *script);
		if (!script || !(script[nscript] = strdup(s)))
			fd_die("out of memory");
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
		fd_die("%s wants a number from %ld to %ld", opt_name, lo, hi);
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
		fd_msleep(50);
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
			fd_die("%s needs a value (usage at the top of tests/faultd/faultd.c)", a);
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
			fd_die("unknown option %s (usage at the top of tests/faultd/faultd.c)", a);
		}
		i++;
	}
	if (logpath && !(opt.log = fopen(logpath, "a")))
		fd_die("cannot open the log %s: %s", logpath, strerror(errno));
	fd_bomb_build();

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
			fd_die("cannot write %s: %s", ready, strerror(errno));
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
	fd_bomb_free();
	close(lfd);
	close(rfd);
	if (opt.log)
		fclose(opt.log);
	return 0;
}
