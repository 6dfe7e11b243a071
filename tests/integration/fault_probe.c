/* fault_probe.c - runs one backend operation for the fault matrix
 * (tests/integration/fault-matrix.sh) and reports how it went.
 *
 *   fault-probe [--trace FILE] BACKEND OP
 *
 * The backend is configured by its usual environment (GitHub: GH_TOKEN,
 * GITHUB_API_URL, GITHUB_REPOSITORY). FAULT_PROBE_JITTER=F (0 <= F < 1)
 * replaces the random source of the retry backoff, so waits are F times
 * the cap (1, 2, 4 s...) and the matrix stays fast and repeatable.
 * FAULT_PROBE_XFAULT=SPEC sends `X-Fault: SPEC` (faultd's header knob).
 *
 * Output: "ok: <summary>" or "error: <message>", then one line
 *   probe status=<word> attempts=<n> secs=<s> maxrss_kb=<k>
 * where attempts counts the HTTP attempts the client made (trace lines).
 * Exit: 0 when the operation succeeded, else the status's exit code.
 *
 * A later backend adds one entry to the ops[] table below.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "net/github.h"
#include "util/xalloc.h"

struct probe {
	struct http_client *http;
	FILE *trace;
	int attempts;
	double jitter;
};

static void on_trace(void *ctx, const char *line)
{
	struct probe *p = ctx;
	p->attempts++;
	if (p->trace)
		fprintf(p->trace, "%s\n", line);
}

static double fixed_rand(void *ctx)
{
	return ((struct probe *)ctx)->jitter;
}

/* ---- GitHub ------------------------------------------------------------- */

static enum wz_status gh_open(struct probe *p, struct gh_client **c, struct wz_err *err)
{
	char repo[256];
	const char *src = NULL;
	const char *xf = getenv("FAULT_PROBE_XFAULT");
	enum wz_status st = gh_resolve_repo(ext_getenv, NULL, NULL, NULL, repo, sizeof repo, &src, err);
	if (st == WZ_OK)
		st = gh_client_new(c, ext_getenv, NULL, repo, p->http, err);
	if (st == WZ_OK && xf && *xf) {
		char *h = xasprintf("X-Fault: %s", xf);
		gh_client_add_header(*c, h);
		free(h);
	}
	return st;
}

static enum wz_status gh_list(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_issues l;
	struct gh_issue_query q = {.state = "all", .since = "2025-01-01T00:00:00Z"};
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_list_issues(c, &q, &l, err)) == WZ_OK) {
		snprintf(out, n, "issues n=%zu capped=%d", l.n, l.capped);
		gh_issues_free(&l);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_create(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_issue i;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_create_issue(c, "fault probe", "created by fault-probe", NULL, &i, err)) == WZ_OK) {
		snprintf(out, n, "issue #%ld created", i.number);
		gh_issue_free(&i);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_search(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_issues l;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_search_issues(c, "label:wisdom", 0, &l, err)) == WZ_OK) {
		snprintf(out, n, "search n=%zu total=%ld incomplete=%d", l.n, l.total, l.incomplete);
		gh_issues_free(&l);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_get(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_issue i;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_get_issue(c, 1, &i, err)) == WZ_OK) {
		snprintf(out, n, "issue #%ld state=%s", i.number, i.state ? i.state : "-");
		gh_issue_free(&i);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_update(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_issue i;
	struct gh_issue_patch patch = {.body = "updated by fault-probe"};
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_update_issue(c, 1, &patch, &i, err)) == WZ_OK) {
		snprintf(out, n, "issue #%ld updated", i.number);
		gh_issue_free(&i);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_comments(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_comments l;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_list_comments(c, 1, NULL, &l, err)) == WZ_OK) {
		snprintf(out, n, "comments n=%zu capped=%d", l.n, l.capped);
		gh_comments_free(&l);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_comment(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_comment cm;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_create_comment(c, 1, "comment by fault-probe", &cm, err)) == WZ_OK) {
		snprintf(out, n, "comment %lld created", cm.id);
		gh_comment_free(&cm);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_comment_update(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_comment cm;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_update_comment(c, 11, "edited by fault-probe", &cm, err)) == WZ_OK) {
		snprintf(out, n, "comment %lld updated", cm.id);
		gh_comment_free(&cm);
	}
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_pull(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_pull pr;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_get_pull(c, 1, &pr, err)) == WZ_OK)
		snprintf(out, n, "pull #%ld state=%s merged=%d", pr.number, pr.state ? pr.state : "-", pr.merged_at == pr.merged_at);
	if (st == WZ_OK)
		gh_pull_free(&pr);
	gh_client_free(&c);
	return st;
}

static enum wz_status gh_rate(struct probe *p, char *out, size_t n, struct wz_err *err)
{
	struct gh_client *c = NULL;
	struct gh_rate r;
	enum wz_status st = gh_open(p, &c, err);
	if (st == WZ_OK && (st = gh_rate_limit(c, &r, err)) == WZ_OK)
		snprintf(out, n, "rate core=%ld/%ld search=%ld", r.core_remaining, r.core_limit, r.search_remaining);
	gh_client_free(&c);
	return st;
}

/* ---- the table ---------------------------------------------------------- */

typedef enum wz_status (*op_fn)(struct probe *p, char *out, size_t n, struct wz_err *err);

static const struct {
	const char *backend, *op;
	op_fn fn;
} ops[] = {
	{"github", "list", gh_list},
	{"github", "create", gh_create},
	{"github", "search", gh_search},
	{"github", "get", gh_get},
	{"github", "update", gh_update},
	{"github", "comments", gh_comments},
	{"github", "comment", gh_comment},
	{"github", "comment-update", gh_comment_update},
	{"github", "pull", gh_pull},
	{"github", "rate", gh_rate},
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct probe p = {0};
	struct wz_err err = {0};
	struct rusage ru;
	enum wz_status st = WZ_EUSAGE;
	char out[512] = "";
	const char *jit = getenv("FAULT_PROBE_JITTER");
	int a = 1;
	op_fn fn = NULL;

	if (argc > 2 && strcmp(argv[1], "--trace") == 0) {
		p.trace = fopen(argv[2], "a");
		a = 3;
	}
	for (size_t i = 0; a + 1 < argc && i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].backend, argv[a]) == 0 && strcmp(ops[i].op, argv[a + 1]) == 0)
			fn = ops[i].fn;
	if (!fn) {
		fprintf(stderr, "usage: fault-probe [--trace FILE] BACKEND OP; known:");
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			fprintf(stderr, " %s %s%s", ops[i].backend, ops[i].op, i + 1 < sizeof ops / sizeof ops[0] ? "," : "\n");
		if (p.trace)
			fclose(p.trace);
		return 2;
	}

	double t0 = mono();
	p.http = http_client_new();
	http_client_set_trace(p.http, on_trace, &p);
	if (jit && *jit) {
		p.jitter = strtod(jit, NULL);
		if (p.jitter >= 0 && p.jitter < 1)
			http_client_set_rand(p.http, fixed_rand, &p);
	}
	st = fn(&p, out, sizeof out, &err);
	http_client_free(&p.http);
	if (st == WZ_OK)
		printf("ok: %s\n", out);
	else
		printf("error: %s\n", err.msg);
	getrusage(RUSAGE_SELF, &ru);
	printf("probe status=\"%s\" attempts=%d secs=%.3f maxrss_kb=%ld\n", wz_status_text(st), p.attempts, mono() - t0,
	       ru.ru_maxrss);
	if (p.trace)
		fclose(p.trace);
	return st == WZ_OK ? 0 : wz_status_exit_code(st);
}
