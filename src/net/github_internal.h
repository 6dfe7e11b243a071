/* github_internal.h - shared between github.c and github_parse.c only. */
#ifndef WZ_NET_GITHUB_INTERNAL_H
#define WZ_NET_GITHUB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include "net/github.h"

bool gh_issue_from_json(json_t *o, struct gh_issue *out);
bool gh_comment_from_json(json_t *o, struct gh_comment *out);
json_t *gh_json_load(const char *text, const char *what, struct wz_err *err);
bool gh_issues_append(json_t *arr, struct gh_issues *out, size_t *cap, size_t max);

/* The readers of the other answers, shared with the fuzz target
 * tests/fuzz/fuzz_github.c so it reaches the code the client runs. Each
 * returns false when the JSON has the wrong shape (j may be NULL). */
/* One /search/issues page: total_count, incomplete_results, items[]. */
bool gh_search_append(json_t *j, struct gh_issues *out, size_t *cap, size_t max);
/* One page of comments (an array); entries without a numeric id skipped. */
bool gh_comments_append(json_t *arr, struct gh_comments *out, size_t *cap);
/* A pull request (an object with a numeric "number", like an issue: an
 * error object from a proxy is not one); out is reset first (merged_at NAN). */
bool gh_pull_from_json(json_t *j, struct gh_pull *out);
/* /rate_limit: resources.core (required) and resources.search. */
bool gh_rate_from_json(json_t *j, struct gh_rate *out);

#endif
