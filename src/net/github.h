/* github.h - GitHub REST client (spec/integrations.md §3): repository
 * resolution, issues, search, comments, pull requests, rate limit.
 *
 * Token: GH_TOKEN, else GITHUB_TOKEN; for an Enterprise host first
 * GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN. Base: GITHUB_API_URL, else
 * https://GH_HOST/api/v3 when GH_HOST is not github.com, else
 * https://api.github.com. Variables are read through the ext_lookup_fn of
 * sources/extensions.h. Without a token no call is made: gh_client_new()
 * fails with GH_SKIP_NO_TOKEN.
 *
 * Every call is blocking (http_client_perform); errors are mapped to a
 * sentence a user can act on (gh_map_error). Pull requests are dropped
 * from issue lists. Lists follow Link rel="next" verbatim, at most
 * GH_MAX_PAGES pages, and only while the link stays on the API base's
 * scheme, host and port (the token is never sent elsewhere); `capped`
 * says when either stopped the list.
 *
 * Ownership: the client borrows the http_client given to it (or owns one
 * it made when given NULL). Every struct filled here owns its strings;
 * release with the matching *_free(), which also zeroes it.
 */
#ifndef WZ_NET_GITHUB_H
#define WZ_NET_GITHUB_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "net/http.h"
#include "sources/extensions.h"
#include "util/status.h"

#define GH_API_VERSION "2022-11-28"
#define GH_ACCEPT "application/vnd.github+json, application/json"
#define GH_SKIP_NO_TOKEN "skipped: no GH_TOKEN or GITHUB_TOKEN"
#define GH_MAX_PAGES 10
#define GH_PER_PAGE 100

struct gh_issue {
	long number;
	char *title, *state, *state_reason, *user, *html_url, *body;
	struct str_list labels;
	double created_at, updated_at, closed_at;  /* NAN when absent */
	bool is_pull;
};

struct gh_issues {
	struct gh_issue *v;
	size_t n;
	bool capped;        /* stopped at GH_MAX_PAGES, the caller's max or a
			     * next link to another host */
	bool incomplete;    /* search: incomplete_results (a server timeout) */
	long total;         /* search: total_count; else -1 */
};

struct gh_comment {
	long long id;
	char *body, *user, *html_url;
};

struct gh_comments {
	struct gh_comment *v;
	size_t n;
	bool capped;
};

struct gh_pull {
	long number;
	char *state, *merge_commit_sha, *head_sha, *base_ref, *html_url;
	double merged_at;   /* NAN when not merged */
};

struct gh_rate {
	long core_limit, core_remaining, search_remaining;
	double core_reset, search_reset;   /* Unix s */
};

struct gh_issue_query {
	const char *state;     /* open|closed|all; NULL: all */
	const char *since;     /* ISO 8601 or NULL */
	const char *labels;    /* comma list (all must match) or NULL */
	size_t max;            /* 0: GH_MAX_PAGES * GH_PER_PAGE */
};

/* Fields of a PATCH; NULL leaves a field alone. */
struct gh_issue_patch {
	const char *title, *body, *state, *state_reason;
	const struct str_list *labels;
};

void gh_issue_free(struct gh_issue *i);
void gh_issues_free(struct gh_issues *l);
void gh_comment_free(struct gh_comment *c);
void gh_comments_free(struct gh_comments *l);
void gh_pull_free(struct gh_pull *p);

/* The token and the variable it came from (never print the token). NULL
 * when none is set. */
const char *gh_token(ext_lookup_fn get, void *ctx, const char **var);
/* API base without a trailing slash. Caller frees. */
char *gh_api_base(ext_lookup_fn get, void *ctx);

/* owner/repo from a remote URL: https://host/o/r(.git), ssh://git@host/o/r,
 * git@host:o/r.git, git://host/o/r. 0 when it is not one. */
int gh_parse_remote(const char *url, char *out, size_t n);
/* The repository: GITHUB_REPOSITORY, else run_repo (run_meta github_repo),
 * else origin's URL in the git repository at or above git_dir (may be
 * NULL). *source names where it came from. WZ_ENOENT when none knows. */
enum wz_status gh_resolve_repo(ext_lookup_fn get, void *ctx, const char *run_repo, const char *git_dir,
			       char *out, size_t n, const char **source, struct wz_err *err);

struct gh_client;
enum wz_status gh_client_new(struct gh_client **out, ext_lookup_fn get, void *ctx, const char *owner_repo,
			     struct http_client *http, struct wz_err *err);
void gh_client_free(struct gh_client **c);
/* Adds a header line to every request (tests: "Prefer: code=422"). */
void gh_client_add_header(struct gh_client *c, const char *line);
const char *gh_client_repo(const struct gh_client *c);
const char *gh_client_base(const struct gh_client *c);

enum wz_status gh_list_issues(struct gh_client *c, const struct gh_issue_query *q, struct gh_issues *out,
			      struct wz_err *err);
/* terms are added after `repo:o/r is:issue`; sent with advanced_search=true. */
enum wz_status gh_search_issues(struct gh_client *c, const char *terms, size_t max, struct gh_issues *out,
				struct wz_err *err);
enum wz_status gh_get_issue(struct gh_client *c, long number, struct gh_issue *out, struct wz_err *err);
enum wz_status gh_create_issue(struct gh_client *c, const char *title, const char *body,
			       const struct str_list *labels, struct gh_issue *out, struct wz_err *err);
enum wz_status gh_update_issue(struct gh_client *c, long number, const struct gh_issue_patch *p,
			       struct gh_issue *out, struct wz_err *err);
enum wz_status gh_list_comments(struct gh_client *c, long number, const char *since, struct gh_comments *out,
				struct wz_err *err);
enum wz_status gh_create_comment(struct gh_client *c, long number, const char *body, struct gh_comment *out,
				 struct wz_err *err);
enum wz_status gh_update_comment(struct gh_client *c, long long id, const char *body, struct gh_comment *out,
				 struct wz_err *err);
enum wz_status gh_get_pull(struct gh_client *c, long number, struct gh_pull *out, struct wz_err *err);
enum wz_status gh_rate_limit(struct gh_client *c, struct gh_rate *out, struct wz_err *err);

/* Parsers (public for tests): JSON text of one issue / an array / a search
 * answer / a comment. WZ_EPARSE or WZ_ETYPE with `what` in the message. */
enum wz_status gh_parse_issue(const char *json, struct gh_issue *out, struct wz_err *err);
enum wz_status gh_parse_issue_array(const char *json, struct gh_issues *out, struct wz_err *err);

/* Maps a non-2xx answer to a sentence: no token, 401, 403 vs rate limit,
 * 404 "no access or not found", 410 issues disabled, 422 with errors[].
 * `what` says what was attempted ("list issues of o/r"). */
enum wz_status gh_map_error(const struct http_response *r, const char *what, const char *token_var,
			    struct wz_err *err);

#endif
