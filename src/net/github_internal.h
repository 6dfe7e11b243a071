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

#endif
