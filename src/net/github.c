/* github.c - GitHub REST calls (see github.h). */
#include "config.h"

#include <ctype.h>
#include <curl/curl.h>
#include <git2.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/github.h"
#include "net/github_internal.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define GH_WRITE_GAP_S 1.0   /* at least 1 s between writes (§3) */

struct gh_client {
	struct http_client *http;
	bool own_http;
	char *base, *repo, *token_var;
	char *auth;              /* "Authorization: Bearer ..." (never logged) */
	char **extra;
	size_t nextra, capextra;
	double last_write;       /* monotonic s; 0 = none yet */
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum wz_status gh_resolve_repo(ext_lookup_fn get, void *ctx, const char *run_repo, const char *git_dir,
			       char *out, size_t n, const char **source, struct wz_err *err)
{
	const char *env = get("GITHUB_REPOSITORY", ctx);
	if (env && *env) {
		char *u = xasprintf("https://h/%s", env);
		int ok = strchr(env, ':') == NULL && gh_parse_remote(u, out, n);
		free(u);
		if (!ok)
			return wz_err_set(err, WZ_EUSAGE, "GITHUB_REPOSITORY is not owner/repo: fix or unset it");
		if (source)
			*source = "GITHUB_REPOSITORY";
		return WZ_OK;
	}
	if (run_repo && *run_repo) {
		char *u = xasprintf("https://h/%s", run_repo);
		int ok = gh_parse_remote(u, out, n) || gh_parse_remote(run_repo, out, n);
		free(u);
		if (ok) {
			if (source)
				*source = "run_meta.json github_repo";
			return WZ_OK;
		}
	}
	if (git_dir) {
		git_repository *repo = NULL;
		git_remote *remote = NULL;
		int ok = 0;
		git_libgit2_init();
		if (git_repository_open_ext(&repo, git_dir, 0, NULL) == 0 &&
		    git_remote_lookup(&remote, repo, "origin") == 0)
			ok = gh_parse_remote(git_remote_url(remote), out, n);
		git_remote_free(remote);
		git_repository_free(repo);
		git_libgit2_shutdown();
		if (ok) {
			if (source)
				*source = "git remote origin";
			return WZ_OK;
		}
	}
	return wz_err_set(err, WZ_ENOENT,
			  "GitHub repository unknown: set GITHUB_REPOSITORY=owner/repo, or github_repo in "
			  "run_meta.json, or a GitHub origin remote in the git repository");
}

enum wz_status gh_client_new(struct gh_client **out, ext_lookup_fn get, void *ctx, const char *owner_repo,
			     struct http_client *http, struct wz_err *err)
{
	const char *var = NULL, *tok = gh_token(get ? get : ext_getenv, ctx, &var);
	struct gh_client *c;
	*out = NULL;
	if (!get)
		get = ext_getenv;
	if (!tok)
		return wz_err_set(err, WZ_EUSAGE, "GitHub %s (export a token to read issues and post)",
				  GH_SKIP_NO_TOKEN);
	c = xcalloc(1, sizeof *c);
	c->base = gh_api_base(get, ctx);
	c->repo = xstrdup(owner_repo ? owner_repo : "");
	c->token_var = xstrdup(var);
	c->auth = xasprintf("Authorization: Bearer %s", tok);
	if (http) {
		c->http = http;
	} else {
		c->http = http_client_new();
		c->own_http = true;
	}
	*out = c;
	return WZ_OK;
}

void gh_client_free(struct gh_client **pc)
{
	struct gh_client *c;
	if (!pc || !*pc)
		return;
	c = *pc;
	if (c->own_http)
		http_client_free(&c->http);
	free(c->base);
	free(c->repo);
	free(c->token_var);
	if (c->auth)
		memset(c->auth, 0, strlen(c->auth));
	free(c->auth);
	for (size_t i = 0; i < c->nextra; i++)
		free(c->extra[i]);
	free(c->extra);
	XFREE(pc);
}

void gh_client_add_header(struct gh_client *c, const char *line)
{
	c->extra = xgrow(c->extra, &c->capextra, c->nextra + 1, sizeof *c->extra);
	c->extra[c->nextra++] = xstrdup(line);
}

const char *gh_client_repo(const struct gh_client *c)
{
	return c->repo;
}

const char *gh_client_base(const struct gh_client *c)
{
	return c->base;
}

/* One request. url: absolute (a Link) or a path below the base. */
static enum wz_status call(struct gh_client *c, const char *method, const char *url, json_t *body,
			   const char *what, bool creating, struct http_response *resp, struct wz_err *err)
{
	const char *hdrs[16];
	size_t nh = 0;
	char *full = strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0
			     ? xstrdup(url)
			     : xasprintf("%s%s", c->base, url);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	bool write = strcmp(method, "GET") != 0;
	enum wz_status st;

	hdrs[nh++] = c->auth;
	hdrs[nh++] = "Accept: " GH_ACCEPT;
	hdrs[nh++] = "X-GitHub-Api-Version: " GH_API_VERSION;
	if (text)
		hdrs[nh++] = "Content-Type: application/json";
	for (size_t i = 0; i < c->nextra && nh < 15; i++)
		hdrs[nh++] = c->extra[i];
	hdrs[nh] = NULL;

	if (write && c->last_write > 0) {
		double gap = c->last_write + GH_WRITE_GAP_S - mono();
		if (gap > 0) {
			struct timespec ts = {(time_t)gap, (long)((gap - floor(gap)) * 1e9)};
			nanosleep(&ts, NULL);
		}
	}
	struct http_request q = {.method = method, .url = full, .headers = hdrs, .body = text,
				 .body_len = text ? strlen(text) : 0, .creating = creating};
	st = http_client_perform(c->http, &q, resp, err);
	if (write)
		c->last_write = mono();
	free(full);
	free(text);
	if (st != WZ_OK)
		return gh_map_error(resp, what, c->token_var, err);
	if (resp->status < 200 || resp->status > 299)
		return gh_map_error(resp, what, c->token_var, err);
	if (resp->capped)
		return wz_err_set(err, WZ_ETOOBIG, "GitHub: cannot %s: %s", what, resp->error);
	return WZ_OK;
}

static char *esc(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0), *r = xstrdup(e ? e : "");
	curl_free(e);
	return r;
}

/* scheme, host and port of a URL ("" when it does not parse). */
static char *origin(const char *url)
{
	CURLU *u = curl_url();
	char *sc = NULL, *h = NULL, *p = NULL, *r;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_SCHEME, &sc, 0);
		curl_url_get(u, CURLUPART_HOST, &h, 0);
		curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT);
	}
	r = sc && h && p ? xasprintf("%s://%s:%s", sc, h, p) : xstrdup("");
	for (char *q = r; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	curl_free(sc);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return r;
}

/* Every failure names the server it came from (a proxy, a GHES host, a
 * mock): appends " (server <scheme://host:port>)" unless the message
 * already names the host. Returns st. */
static enum wz_status name_host(const struct gh_client *c, enum wz_status st, struct wz_err *err)
{
	char *o;
	size_t len;
	if (st == WZ_OK || !err)
		return st;
	o = origin(c->base);
	if (*o) {
		const char *host = strstr(o, "://");
		host = host ? host + 3 : o;
		len = strlen(err->msg);
		if (!strstr(err->msg, host) && len + strlen(o) + 12 < sizeof err->msg)
			snprintf(err->msg + len, sizeof err->msg - len, " (server %s)", o);
	}
	free(o);
	return st;
}

/* Follows Link rel="next" from path; each page's JSON goes to page(). */
typedef bool (*page_fn)(json_t *j, void *ctx, bool *stop);

static enum wz_status paged(struct gh_client *c, const char *path, const char *what, page_fn page, void *ctx,
			    bool *capped, struct wz_err *err)
{
	char *url = xstrdup(path);
	enum wz_status st = WZ_OK;
	int pages = 0;
	while (url) {
		struct http_response r;
		bool stop = false;
		if (pages == GH_MAX_PAGES) {
			*capped = true;
			break;
		}
		st = call(c, "GET", url, NULL, what, false, &r, err);
		free(url);
		url = NULL;
		if (st != WZ_OK) {
			http_response_free(&r);
			break;
		}
		pages++;
		json_t *j = gh_json_load(r.body, what, err);
		if (!j || !page(j, ctx, &stop)) {
			json_decref(j);
			http_response_free(&r);
			st = j ? wz_err_set(err, WZ_ETYPE, "GitHub %s: unexpected JSON shape", what) : WZ_EPARSE;
			break;
		}
		json_decref(j);
		if (!stop)
			url = http_link_next(http_response_header(&r, "Link"));
		if (url) {
			/* the token goes only to the configured API host: a next
			 * link elsewhere ends the list (marked capped) */
			char *a = origin(url), *b = origin(c->base);
			if (!*a || strcmp(a, b) != 0) {
				*capped = true;
				free(url);
				url = NULL;
			}
			free(a);
			free(b);
		}
		http_response_free(&r);
	}
	free(url);
	return st;
}

struct issues_ctx {
	struct gh_issues *out;
	size_t cap, max;
	bool search;
};

static bool issues_page(json_t *j, void *ctx, bool *stop)
{
	struct issues_ctx *ic = ctx;
	if (!(ic->search ? gh_search_append(j, ic->out, &ic->cap, ic->max)
			 : gh_issues_append(j, ic->out, &ic->cap, ic->max)))
		return false;
	*stop = ic->out->capped;
	return true;
}

enum wz_status gh_list_issues(struct gh_client *c, const struct gh_issue_query *q, struct gh_issues *out,
			      struct wz_err *err)
{
	struct issues_ctx ic = {out, 0, q && q->max ? q->max : GH_MAX_PAGES * GH_PER_PAGE, false};
	struct buf p = {0};
	char *what = xasprintf("list issues of %s", c->repo);
	memset(out, 0, sizeof *out);
	out->total = -1;
	buf_printf(&p, "/repos/%s/issues?state=%s&sort=updated&per_page=%d", c->repo,
		   q && q->state ? q->state : "all", GH_PER_PAGE);
	if (q && q->since) {
		char *e = esc(q->since);
		buf_printf(&p, "&since=%s", e);
		free(e);
	}
	if (q && q->labels) {
		char *e = esc(q->labels);
		buf_printf(&p, "&labels=%s", e);
		free(e);
	}
	enum wz_status st = paged(c, buf_str(&p), what, issues_page, &ic, &out->capped, err);
	buf_free(&p);
	free(what);
	if (st != WZ_OK)
		gh_issues_free(out);
	return name_host(c, st, err);
}

enum wz_status gh_search_issues(struct gh_client *c, const char *terms, size_t max, struct gh_issues *out,
				struct wz_err *err)
{
	struct issues_ctx ic = {out, 0, max ? max : 1000, true};
	char *qs = xasprintf("repo:%s is:issue%s%s", c->repo, terms && *terms ? " " : "", terms ? terms : "");
	char *e = esc(qs);
	char *path = xasprintf("/search/issues?q=%s&advanced_search=true&per_page=%d", e, GH_PER_PAGE);
	char *what = xasprintf("search issues of %s", c->repo);
	memset(out, 0, sizeof *out);
	out->total = -1;
	enum wz_status st = paged(c, path, what, issues_page, &ic, &out->capped, err);
	free(qs);
	free(e);
	free(path);
	free(what);
	if (st != WZ_OK)
		gh_issues_free(out);
	return name_host(c, st, err);
}

static enum wz_status issue_call(struct gh_client *c, const char *method, const char *path, json_t *body,
				 const char *what, bool creating, struct gh_issue *out, struct wz_err *err)
{
	struct http_response r;
	enum wz_status st = call(c, method, path, body, what, creating, &r, err);
	if (st == WZ_OK) {
		st = gh_parse_issue(r.body, out, err);
		if (st != WZ_OK)
			memset(out, 0, sizeof *out);
	} else {
		memset(out, 0, sizeof *out);
	}
	http_response_free(&r);
	return name_host(c, st, err);
}

enum wz_status gh_get_issue(struct gh_client *c, long number, struct gh_issue *out, struct wz_err *err)
{
	char *path = xasprintf("/repos/%s/issues/%ld", c->repo, number);
	char *what = xasprintf("read issue #%ld of %s", number, c->repo);
	enum wz_status st = issue_call(c, "GET", path, NULL, what, false, out, err);
	free(path);
	free(what);
	return st;
}

static json_t *str_array(const struct str_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; l && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

enum wz_status gh_create_issue(struct gh_client *c, const char *title, const char *body,
			       const struct str_list *labels, struct gh_issue *out, struct wz_err *err)
{
	json_t *b = json_object();
	json_object_set_new(b, "title", json_string(title ? title : ""));
	if (body)
		json_object_set_new(b, "body", json_string(body));
	if (labels && labels->n)
		json_object_set_new(b, "labels", str_array(labels));
	char *path = xasprintf("/repos/%s/issues", c->repo);
	char *what = xasprintf("create an issue in %s", c->repo);
	enum wz_status st = issue_call(c, "POST", path, b, what, true, out, err);
	json_decref(b);
	free(path);
	free(what);
	return st;
}

enum wz_status gh_update_issue(struct gh_client *c, long number, const struct gh_issue_patch *p,
			       struct gh_issue *out, struct wz_err *err)
{
	json_t *b = json_object();
	if (p->title)
		json_object_set_new(b, "title", json_string(p->title));
	if (p->body)
		json_object_set_new(b, "body", json_string(p->body));
	if (p->state)
		json_object_set_new(b, "state", json_string(p->state));
	if (p->state_reason)
		json_object_set_new(b, "state_reason", json_string(p->state_reason));
	if (p->labels)
		json_object_set_new(b, "labels", str_array(p->labels));
	char *path = xasprintf("/repos/%s/issues/%ld", c->repo, number);
	char *what = xasprintf("update issue #%ld of %s", number, c->repo);
	enum wz_status st = issue_call(c, "PATCH", path, b, what, false, out, err);
	json_decref(b);
	free(path);
	free(what);
	return st;
}

struct comments_ctx {
	struct gh_comments *out;
	size_t cap;
};

static bool comments_page(json_t *j, void *ctx, bool *stop)
{
	struct comments_ctx *cc = ctx;
	(void)stop;
	return gh_comments_append(j, cc->out, &cc->cap);
}

enum wz_status gh_list_comments(struct gh_client *c, long number, const char *since, struct gh_comments *out,
				struct wz_err *err)
{
	struct comments_ctx cc = {out, 0};
	struct buf p = {0};
	char *what = xasprintf("list comments of issue #%ld of %s", number, c->repo);
	memset(out, 0, sizeof *out);
	buf_printf(&p, "/repos/%s/issues/%ld/comments?per_page=%d", c->repo, number, GH_PER_PAGE);
	if (since) {
		char *e = esc(since);
		buf_printf(&p, "&since=%s", e);
		free(e);
	}
	enum wz_status st = paged(c, buf_str(&p), what, comments_page, &cc, &out->capped, err);
	buf_free(&p);
	free(what);
	if (st != WZ_OK)
		gh_comments_free(out);
	return name_host(c, st, err);
}

static enum wz_status comment_call(struct gh_client *c, const char *method, const char *path, const char *body,
				   const char *what, bool creating, struct gh_comment *out, struct wz_err *err)
{
	struct http_response r;
	json_t *b = json_object();
	json_object_set_new(b, "body", json_string(body ? body : ""));
	memset(out, 0, sizeof *out);
	enum wz_status st = call(c, method, path, b, what, creating, &r, err);
	json_decref(b);
	if (st == WZ_OK) {
		json_t *j = gh_json_load(r.body, what, err);
		if (!j)
			st = WZ_EPARSE;
		else if (!gh_comment_from_json(j, out))
			st = wz_err_set(err, WZ_ETYPE, "GitHub: %s: the answer has no numeric \"id\"", what);
		json_decref(j);
	}
	http_response_free(&r);
	return name_host(c, st, err);
}

enum wz_status gh_create_comment(struct gh_client *c, long number, const char *body, struct gh_comment *out,
				 struct wz_err *err)
{
	char *path = xasprintf("/repos/%s/issues/%ld/comments", c->repo, number);
	char *what = xasprintf("comment on issue #%ld of %s", number, c->repo);
	enum wz_status st = comment_call(c, "POST", path, body, what, true, out, err);
	free(path);
	free(what);
	return st;
}

enum wz_status gh_update_comment(struct gh_client *c, long long id, const char *body, struct gh_comment *out,
				 struct wz_err *err)
{
	char *path = xasprintf("/repos/%s/issues/comments/%lld", c->repo, id);
	char *what = xasprintf("update comment %lld in %s", id, c->repo);
	enum wz_status st = comment_call(c, "PATCH", path, body, what, false, out, err);
	free(path);
	free(what);
	return st;
}

enum wz_status gh_get_pull(struct gh_client *c, long number, struct gh_pull *out, struct wz_err *err)
{
	struct http_response r;
	char *path = xasprintf("/repos/%s/pulls/%ld", c->repo, number);
	char *what = xasprintf("read pull request #%ld of %s", number, c->repo);
	enum wz_status st = call(c, "GET", path, NULL, what, false, &r, err);
	memset(out, 0, sizeof *out);
	out->merged_at = NAN;
	if (st == WZ_OK) {
		json_t *j = gh_json_load(r.body, what, err);
		if (!gh_pull_from_json(j, out))
			st = j ? wz_err_set(err, WZ_ETYPE, "GitHub: %s: expected an object with a numeric \"number\"", what)
			       : WZ_EPARSE;
		json_decref(j);
	}
	http_response_free(&r);
	free(path);
	free(what);
	return name_host(c, st, err);
}

enum wz_status gh_rate_limit(struct gh_client *c, struct gh_rate *out, struct wz_err *err)
{
	struct http_response r;
	enum wz_status st = call(c, "GET", "/rate_limit", NULL, "read the rate limit", false, &r, err);
	memset(out, 0, sizeof *out);
	if (st == WZ_OK) {
		json_t *j = gh_json_load(r.body, "rate limit", err);
		if (!gh_rate_from_json(j, out))
			st = j ? wz_err_set(err, WZ_ETYPE, "GitHub rate limit: no resources.core object") : WZ_EPARSE;
		json_decref(j);
	}
	http_response_free(&r);
	return name_host(c, st, err);
}
