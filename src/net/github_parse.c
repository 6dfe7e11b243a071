/* github_parse.c - GitHub JSON answers, error mapping, remote URLs, token
 * and base selection (see github.h). No network here. */
#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/github.h"
#include "net/github_internal.h"
#include "util/buf.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

/* ---- token and base ------------------------------------------------------ */

static bool enterprise_host(ext_lookup_fn get, void *ctx)
{
	const char *api = get("GITHUB_API_URL", ctx), *host = get("GH_HOST", ctx);
	if (api)
		return strstr(api, "://api.github.com") == NULL;
	return host && strcasecmp(host, "github.com") != 0;
}

const char *gh_token(ext_lookup_fn get, void *ctx, const char **var)
{
	static const char *const order[] = {"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_TOKEN",
					    "GITHUB_TOKEN"};
	size_t first = enterprise_host(get, ctx) ? 0 : 2;
	for (size_t i = first; i < 4; i++) {
		const char *t = get(order[i], ctx);
		if (t && *t) {
			if (var)
				*var = order[i];
			return t;
		}
	}
	return NULL;
}

char *gh_api_base(ext_lookup_fn get, void *ctx)
{
	const char *api = get("GITHUB_API_URL", ctx), *host = get("GH_HOST", ctx);
	char *b;
	if (api && *api)
		b = xstrdup(api);
	else if (host && *host && strcasecmp(host, "github.com") != 0)
		b = xasprintf("https://%s/api/v3", host);
	else
		b = xstrdup("https://api.github.com");
	size_t n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		b[--n] = 0;
	return b;
}

/* ---- remotes ------------------------------------------------------------- */

static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

int gh_parse_remote(const char *url, char *out, size_t n)
{
	const char *p, *path;
	if (!url || !*url)
		return 0;
	p = strstr(url, "://");
	if (p) {
		p += 3;
		path = strchr(p, '/'); /* after host[:port] (userinfo has no '/') */
		if (!path)
			return 0;
		path++;
	} else {
		/* scp-like: [user@]host:owner/repo */
		const char *colon = strchr(url, ':');
		const char *slash = strchr(url, '/');
		if (!colon || (slash && slash < colon))
			return 0;
		path = colon + 1;
	}
	while (*path == '/')
		path++;
	const char *s1 = strchr(path, '/');
	if (!s1)
		return 0;
	const char *r = s1 + 1, *re = r + strcspn(r, "/?#");
	if (re[0] == '/' && re[1] != 0)
		return 0; /* deeper paths are not repositories */
	size_t rl = (size_t)(re - r);
	if (rl > 4 && strncmp(re - 4, ".git", 4) == 0)
		rl -= 4;
	size_t ol = (size_t)(s1 - path);
	if (!name_ok(path, ol) || !name_ok(r, rl))
		return 0;
	if (ol + rl + 2 > n)
		return 0;
	snprintf(out, n, "%.*s/%.*s", (int)ol, path, (int)rl, r);
	return 1;
}

/* ---- JSON ---------------------------------------------------------------- */

static char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static double jtime(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	double t;
	int fl;
	if (json_is_string(v) && tp_parse(json_string_value(v), &t, &fl, NULL))
		return t;
	return NAN;
}

void gh_issue_free(struct gh_issue *i)
{
	if (!i)
		return;
	free(i->title);
	free(i->state);
	free(i->state_reason);
	free(i->user);
	free(i->html_url);
	free(i->body);
	for (size_t k = 0; k < i->labels.n; k++)
		free(i->labels.v[k]);
	free(i->labels.v);
	memset(i, 0, sizeof *i);
}

void gh_issues_free(struct gh_issues *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		gh_issue_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void gh_comment_free(struct gh_comment *c)
{
	if (!c)
		return;
	free(c->body);
	free(c->user);
	free(c->html_url);
	memset(c, 0, sizeof *c);
}

void gh_comments_free(struct gh_comments *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		gh_comment_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void gh_pull_free(struct gh_pull *p)
{
	if (!p)
		return;
	free(p->state);
	free(p->merge_commit_sha);
	free(p->head_sha);
	free(p->base_ref);
	free(p->html_url);
	memset(p, 0, sizeof *p);
}

bool gh_issue_from_json(json_t *o, struct gh_issue *out)
{
	json_t *num = json_object_get(o, "number"), *labels, *user;
	memset(out, 0, sizeof *out);
	if (!json_is_object(o) || !json_is_integer(num))
		return false;
	out->number = (long)json_integer_value(num);
	out->title = jstr(o, "title");
	out->state = jstr(o, "state");
	out->state_reason = jstr(o, "state_reason");
	out->html_url = jstr(o, "html_url");
	out->body = jstr(o, "body");
	user = json_object_get(o, "user");
	out->user = json_is_object(user) ? jstr(user, "login") : NULL;
	out->created_at = jtime(o, "created_at");
	out->updated_at = jtime(o, "updated_at");
	out->closed_at = jtime(o, "closed_at");
	out->is_pull = json_object_get(o, "pull_request") != NULL &&
		       !json_is_null(json_object_get(o, "pull_request"));
	labels = json_object_get(o, "labels");
	if (json_is_array(labels)) {
		size_t i, cap = 0;
		json_t *l;
		json_array_foreach(labels, i, l) {
			const char *name = json_is_string(l) ? json_string_value(l)
				       : json_is_object(l) && json_is_string(json_object_get(l, "name"))
					       ? json_string_value(json_object_get(l, "name"))
					       : NULL;
			if (!name)
				continue;
			out->labels.v = xgrow(out->labels.v, &cap, out->labels.n + 1, sizeof *out->labels.v);
			out->labels.v[out->labels.n++] = xstrdup(name);
		}
	}
	return true;
}

bool gh_comment_from_json(json_t *o, struct gh_comment *out)
{
	json_t *id = json_object_get(o, "id"), *user;
	memset(out, 0, sizeof *out);
	if (!json_is_object(o) || !json_is_integer(id))
		return false;
	out->id = (long long)json_integer_value(id);
	out->body = jstr(o, "body");
	out->html_url = jstr(o, "html_url");
	user = json_object_get(o, "user");
	out->user = json_is_object(user) ? jstr(user, "login") : NULL;
	return true;
}

json_t *gh_json_load(const char *text, const char *what, struct wz_err *err)
{
	json_error_t je;
	json_t *j = json_loads(text ? text : "", JSON_DECODE_ANY, &je);
	if (!j) {
		/* jansson quotes the bad token: no control byte of the answer
		 * may reach the terminal through the message */
		for (char *p = je.text; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		wz_err_set(err, WZ_EPARSE, "GitHub %s: the answer is not JSON (line %d: %s)", what, je.line,
			   je.text);
	}
	return j;
}

enum wz_status gh_parse_issue(const char *json, struct gh_issue *out, struct wz_err *err)
{
	memset(out, 0, sizeof *out); /* safe to free whatever the outcome */
	json_t *j = gh_json_load(json, "issue", err);
	if (!j)
		return WZ_EPARSE;
	bool ok = gh_issue_from_json(j, out);
	json_decref(j);
	if (!ok)
		return wz_err_set(err, WZ_ETYPE, "GitHub issue: expected an object with a numeric \"number\"");
	return WZ_OK;
}

/* Appends the issues of one array (pull requests dropped). Returns false
 * when the JSON is not an array. */
bool gh_issues_append(json_t *arr, struct gh_issues *out, size_t *cap, size_t max)
{
	size_t i;
	json_t *o;
	if (!json_is_array(arr))
		return false;
	json_array_foreach(arr, i, o) {
		struct gh_issue is;
		if (!gh_issue_from_json(o, &is))
			continue;
		if (is.is_pull) {
			gh_issue_free(&is);
			continue;
		}
		if (max && out->n >= max) {
			out->capped = true;
			gh_issue_free(&is);
			continue;
		}
		out->v = xgrow(out->v, cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = is;
	}
	return true;
}

enum wz_status gh_parse_issue_array(const char *json, struct gh_issues *out, struct wz_err *err)
{
	size_t cap = 0;
	memset(out, 0, sizeof *out); /* safe to free whatever the outcome */
	out->total = -1;
	json_t *j = gh_json_load(json, "issue list", err);
	if (!j)
		return WZ_EPARSE;
	bool ok = gh_issues_append(j, out, &cap, 0);
	json_decref(j);
	if (!ok)
		return wz_err_set(err, WZ_ETYPE, "GitHub issue list: expected a JSON array");
	return WZ_OK;
}

bool gh_search_append(json_t *j, struct gh_issues *out, size_t *cap, size_t max)
{
	if (!json_is_object(j))
		return false;
	if (json_is_true(json_object_get(j, "incomplete_results")))
		out->incomplete = true;
	if (json_is_integer(json_object_get(j, "total_count")))
		out->total = (long)json_integer_value(json_object_get(j, "total_count"));
	return gh_issues_append(json_object_get(j, "items"), out, cap, max);
}

bool gh_comments_append(json_t *arr, struct gh_comments *out, size_t *cap)
{
	size_t i;
	json_t *o;
	if (!json_is_array(arr))
		return false;
	json_array_foreach(arr, i, o) {
		struct gh_comment cm;
		if (!gh_comment_from_json(o, &cm))
			continue;
		out->v = xgrow(out->v, cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = cm;
	}
	return true;
}

bool gh_pull_from_json(json_t *j, struct gh_pull *out)
{
	json_t *head, *base;
	memset(out, 0, sizeof *out);
	out->merged_at = NAN;
	if (!json_is_object(j) || !json_is_integer(json_object_get(j, "number")))
		return false;
	out->number = (long)json_integer_value(json_object_get(j, "number"));
	out->state = jstr(j, "state");
	out->merge_commit_sha = jstr(j, "merge_commit_sha");
	head = json_object_get(j, "head");
	base = json_object_get(j, "base");
	out->head_sha = jstr(head, "sha");
	out->base_ref = jstr(base, "ref");
	out->html_url = jstr(j, "html_url");
	out->merged_at = jtime(j, "merged_at");
	return true;
}

bool gh_rate_from_json(json_t *j, struct gh_rate *out)
{
	json_t *res = json_object_get(j, "resources");
	json_t *core = json_object_get(res, "core"), *search = json_object_get(res, "search");
	if (!json_is_object(core))
		return false;
	out->core_limit = (long)json_integer_value(json_object_get(core, "limit"));
	out->core_remaining = (long)json_integer_value(json_object_get(core, "remaining"));
	out->core_reset = (double)json_integer_value(json_object_get(core, "reset"));
	out->search_remaining = (long)json_integer_value(json_object_get(search, "remaining"));
	out->search_reset = (double)json_integer_value(json_object_get(search, "reset"));
	return true;
}

/* ---- errors -------------------------------------------------------------- */

/* Copies untrusted API text: printable ASCII and UTF-8 only, capped. */
static void safe_copy(struct buf *b, const char *s, size_t max)
{
	for (size_t i = 0; s && s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
}

enum wz_status gh_map_error(const struct http_response *r, const char *what, const char *token_var,
			    struct wz_err *err)
{
	struct buf m = {0};
	enum wz_status st;
	json_t *j = NULL, *errors;
	const char *msg = NULL;
	const char *tv = token_var ? token_var : "GH_TOKEN";
	long s = r->status;

	if (s == 0)
		return wz_err_set(err, WZ_ENET, "GitHub: cannot %s: %s", what, r->error);
	if (r->body && *r->body)
		j = json_loads(r->body, 0, NULL);
	if (json_is_object(j) && json_is_string(json_object_get(j, "message")))
		msg = json_string_value(json_object_get(j, "message"));
	const char *remaining = http_response_header(r, "x-ratelimit-remaining");

	if (r->rate_limited_until > 0 || s == 429 ||
	    (s == 403 && ((remaining && strcmp(remaining, "0") == 0) || (msg && strcasestr(msg, "rate limit"))))) {
		buf_printf(&m, "GitHub: cannot %s: %s", what,
			   r->rate_limited_until > 0 ? r->error : "rate limited");
		buf_puts(&m, "; wisdom waits and retries up to 2 minutes, try again later");
		st = WZ_ENET;
	} else if (s == 401) {
		buf_printf(&m, "GitHub: cannot %s: 401 bad credentials: the token in %s is invalid or expired; "
			   "create a new one and export it",
			   what, tv);
		st = WZ_EACCES;
	} else if (s == 403) {
		buf_printf(&m, "GitHub: cannot %s: 403 forbidden: the token in %s lacks permission (it needs "
			   "Issues read/write and Pull requests read on this repository)",
			   what, tv);
		st = WZ_EACCES;
	} else if (s == 404) {
		buf_printf(&m, "GitHub: cannot %s: 404 no access or not found: check the repository name and "
			   "that the token in %s can see it (private repositories need access granted)",
			   what, tv);
		st = WZ_ENOENT;
	} else if (s == 410) {
		buf_printf(&m, "GitHub: cannot %s: 410 gone: issues are disabled on this repository "
			   "(enable them in Settings > Features)",
			   what);
		st = WZ_ENOENT;
	} else if (s == 422) {
		buf_printf(&m, "GitHub: cannot %s: 422 validation failed", what);
		errors = json_object_get(j, "errors");
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e) {
			if (i >= 5)
				break;
			buf_puts(&m, i ? "; " : ": ");
			if (json_is_string(e)) {
				safe_copy(&m, json_string_value(e), 160);
				continue;
			}
			const char *res = json_string_value(json_object_get(e, "resource"));
			const char *fld = json_string_value(json_object_get(e, "field"));
			const char *code = json_string_value(json_object_get(e, "code"));
			const char *em = json_string_value(json_object_get(e, "message"));
			buf_puts(&m, "field '");
			safe_copy(&m, fld ? fld : "?", 60);
			buf_puts(&m, "' of ");
			safe_copy(&m, res ? res : "?", 60);
			buf_puts(&m, " is ");
			safe_copy(&m, code ? code : "invalid", 60);
			if (em) {
				buf_puts(&m, " (");
				safe_copy(&m, em, 160);
				buf_putc(&m, ')');
			}
		}
		if (!json_array_size(errors) && msg) {
			buf_puts(&m, ": ");
			safe_copy(&m, msg, 200);
		}
		buf_puts(&m, "; fix the request fields");
		st = WZ_EUSAGE;
	} else {
		buf_printf(&m, "GitHub: cannot %s: HTTP %ld", what, s);
		if (msg && s >= 500) {
			buf_puts(&m, " (");
			safe_copy(&m, msg, 200);
			buf_putc(&m, ')');
		}
		buf_puts(&m, s >= 500 ? "; GitHub is having trouble, try again later" : "");
		st = s >= 500 ? WZ_ENET : WZ_EUSAGE;
	}
	if (msg && s >= 400 && s < 500 && s != 422 && st != WZ_ENET) {
		buf_puts(&m, " [GitHub says: ");
		safe_copy(&m, msg, 200);
		buf_putc(&m, ']');
	}
	wz_err_set(err, st, "%s", buf_str(&m));
	buf_free(&m);
	json_decref(j);
	return st;
}
