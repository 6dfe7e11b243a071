/* fuzz_github.c - libFuzzer harness for everything that reads a GitHub
 * answer (net/github_parse.c): one issue, an issue list, a search page,
 * a comment and a page of comments, a pull request, /rate_limit, and the
 * error mapping of a non-2xx answer (gh_map_error).
 *
 * The first byte picks the reader, the rest is the answer body. For the
 * error mapping two more bytes pick the HTTP status (from a table of the
 * ones GitHub sends and a raw value) and the rate-limit header.
 *
 * Checked properties: a reader that says yes leaves a consistent result
 * (counts within capacity, no pull request in an issue list, strings
 * NUL-terminated), the error message is non-empty and holds no control
 * character (it is printed to a terminal), and every free runs clean.
 */
#include "config.h"
#include "harness.h"
#include "net/github.h"
#include "net/github_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void check_issue(const struct gh_issue *is)
{
	if (is->is_pull && is->number < 0 && is->title)
		(void)strlen(is->title);
	for (size_t i = 0; i < is->labels.n; i++)
		if (!is->labels.v[i])
			abort();
}

static void check_issues(const struct gh_issues *l, size_t max)
{
	if (l->n && !l->v)
		abort();
	if (max && l->n > max)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].is_pull) /* lists drop pull requests */
			abort();
		check_issue(&l->v[i]);
	}
}

static void check_msg(const struct wz_err *err)
{
	if (!err->msg[0])
		abort();
	for (const unsigned char *p = (const unsigned char *)err->msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "control byte 0x%02x in: %s\n", *p, err->msg);
			abort();
		}
}

static const long statuses[] = {0, 200, 301, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503};

static void map_error(const uint8_t *data, size_t size)
{
	unsigned s = fz_take(&data, &size), h = fz_take(&data, &size);
	size_t ns = sizeof statuses / sizeof statuses[0];
	struct http_response r;
	struct http_header hdr[2] = {{(char *)"x-ratelimit-remaining", (char *)(h & 1 ? "0" : "42")},
				     {(char *)"Retry-After", (char *)"60"}};
	struct wz_err err;
	memset(&r, 0, sizeof r);
	r.status = s < ns * 16 ? statuses[s % ns] : (long)s;
	if (r.status == 0)
		snprintf(r.error, sizeof r.error, "connect failed");
	if (h & 2)
		r.rate_limited_until = 1.7e9;
	r.headers = hdr;
	r.nheaders = h & 4 ? 2 : 0;
	r.body = fz_cstr(data, size);
	r.body_len = size;
	wz_err_clear(&err);
	enum wz_status st = gh_map_error(&r, "fuzz o/r", (h & 8) ? "GITHUB_TOKEN" : NULL, &err);
	if (st == WZ_OK)
		abort();
	if (r.status != 0)
		check_msg(&err);
	free(r.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned which = fz_take(&data, &size) % 8;
	if (which == 7) {
		map_error(data, size);
		return 0;
	}
	char *text = fz_cstr(data, size);
	struct wz_err err;
	wz_err_clear(&err);
	switch (which) {
	case 0: {
		struct gh_issue is;
		if (gh_parse_issue(text, &is, &err) == WZ_OK) {
			check_issue(&is);
			gh_issue_free(&is);
		} else {
			check_msg(&err);
		}
		break;
	}
	case 1: {
		struct gh_issues l;
		if (gh_parse_issue_array(text, &l, &err) == WZ_OK)
			check_issues(&l, 0);
		else
			check_msg(&err);
		gh_issues_free(&l);
		break;
	}
	default: {
		json_t *j = gh_json_load(text, "fuzz", &err);
		if (!j) {
			check_msg(&err);
			break;
		}
		if (which == 2) {
			struct gh_issues l;
			size_t cap = 0, max = 3;
			memset(&l, 0, sizeof l);
			l.total = -1;
			(void)gh_search_append(j, &l, &cap, max);
			check_issues(&l, max);
			if (l.n && l.capped && l.n != max)
				abort();
			gh_issues_free(&l);
		} else if (which == 3) {
			struct gh_comments l;
			size_t cap = 0;
			memset(&l, 0, sizeof l);
			(void)gh_comments_append(j, &l, &cap);
			if (l.n > cap)
				abort();
			gh_comments_free(&l);
		} else if (which == 4) {
			struct gh_comment c;
			if (gh_comment_from_json(j, &c))
				(void)(c.body ? strlen(c.body) : 0);
			gh_comment_free(&c);
		} else if (which == 5) {
			struct gh_pull p;
			if (gh_pull_from_json(j, &p) && !json_is_integer(json_object_get(j, "number")))
				abort();
			gh_pull_free(&p);
		} else {
			struct gh_rate rt;
			memset(&rt, 0, sizeof rt);
			(void)gh_rate_from_json(j, &rt);
		}
		json_decref(j);
		break;
	}
	}
	free(text);
	return 0;
}
