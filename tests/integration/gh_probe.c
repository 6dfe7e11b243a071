/* gh_probe.c - drives net/github from the command line for
 * tests/integration/github-prism.sh. Environment as for wisdom (GH_TOKEN,
 * GITHUB_API_URL, GITHUB_REPOSITORY). Prints one result line per call;
 * --trace FILE appends the HTTP trace; --prefer X adds `Prefer: X`.
 * Exit: 0 ok, otherwise the status's exit code, with `error: <message>`. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/github.h"
#include "util/xalloc.h"

static void trace_to(void *ctx, const char *line)
{
	fprintf((FILE *)ctx, "%s\n", line);
}

static void print_issue(const char *what, const struct gh_issue *i)
{
	printf("%s #%ld state=%s title=%s labels=%zu user=%s\n", what, i->number, i->state ? i->state : "-",
	       i->title ? i->title : "-", i->labels.n, i->user ? i->user : "-");
}

int main(int argc, char **argv)
{
	struct wz_err err = {0};
	struct gh_client *c = NULL;
	struct http_client *http = http_client_new();
	FILE *tr = NULL;
	const char *prefer = NULL;
	enum wz_status st;
	int a = 1;
	char repo[256];
	const char *src = NULL;

	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
		if (a + 1 >= argc)
			break;
		if (strcmp(argv[a], "--trace") == 0)
			tr = fopen(argv[a + 1], "a");
		else if (strcmp(argv[a], "--prefer") == 0)
			prefer = argv[a + 1];
	}
	if (a >= argc) {
		fprintf(stderr, "usage: gh-probe [--trace FILE] [--prefer X] CMD [ARGS]\n");
		return 2;
	}
	if (tr)
		http_client_set_trace(http, trace_to, tr);
	st = gh_resolve_repo(ext_getenv, NULL, NULL, NULL, repo, sizeof repo, &src, &err);
	if (st == WZ_OK)
		st = gh_client_new(&c, ext_getenv, NULL, repo, http, &err);
	if (st != WZ_OK)
		goto out;
	if (prefer) {
		char *h = xasprintf("Prefer: %s", prefer);
		gh_client_add_header(c, h);
		free(h);
	}
	const char *cmd = argv[a];
	const char *x = a + 1 < argc ? argv[a + 1] : "";
	const char *y = a + 2 < argc ? argv[a + 2] : "";
	if (strcmp(cmd, "list-issues") == 0) {
		struct gh_issues l;
		struct gh_issue_query q = {.state = "all", .since = "2025-01-01T00:00:00Z", .labels = *x ? x : NULL};
		if ((st = gh_list_issues(c, &q, &l, &err)) == WZ_OK) {
			printf("issues n=%zu capped=%d\n", l.n, l.capped);
			if (l.n)
				print_issue("first", &l.v[0]);
			gh_issues_free(&l);
		}
	} else if (strcmp(cmd, "search") == 0) {
		struct gh_issues l;
		if ((st = gh_search_issues(c, x, 5, &l, &err)) == WZ_OK) {
			printf("search n=%zu total=%ld incomplete=%d capped=%d\n", l.n, l.total, l.incomplete, l.capped);
			gh_issues_free(&l);
		}
	} else if (strcmp(cmd, "get-issue") == 0 || strcmp(cmd, "create-issue") == 0 ||
		   strcmp(cmd, "close-issue") == 0) {
		struct gh_issue i;
		struct gh_issue_patch p = {.state = "closed", .state_reason = "completed"};
		if (cmd[0] == 'g')
			st = gh_get_issue(c, atol(x), &i, &err);
		else if (cmd[0] == 'c' && cmd[1] == 'r')
			st = gh_create_issue(c, x, y, NULL, &i, &err);
		else
			st = gh_update_issue(c, atol(x), &p, &i, &err);
		if (st == WZ_OK) {
			print_issue("issue", &i);
			gh_issue_free(&i);
		}
	} else if (strcmp(cmd, "comment") == 0 || strcmp(cmd, "update-comment") == 0) {
		struct gh_comment cm;
		st = cmd[0] == 'c' ? gh_create_comment(c, atol(x), y, &cm, &err)
				   : gh_update_comment(c, atoll(x), y, &cm, &err);
		if (st == WZ_OK) {
			printf("comment id=%lld user=%s\n", cm.id, cm.user ? cm.user : "-");
			gh_comment_free(&cm);
		}
	} else if (strcmp(cmd, "comments") == 0) {
		struct gh_comments l;
		if ((st = gh_list_comments(c, atol(x), NULL, &l, &err)) == WZ_OK) {
			printf("comments n=%zu first=%lld\n", l.n, l.n ? l.v[0].id : -1LL);
			gh_comments_free(&l);
		}
	} else if (strcmp(cmd, "pull") == 0) {
		struct gh_pull p;
		if ((st = gh_get_pull(c, atol(x), &p, &err)) == WZ_OK) {
			printf("pull #%ld merged_at=%.0f base=%s head=%.7s\n", p.number, isnan(p.merged_at) ? -1 : p.merged_at,
			       p.base_ref ? p.base_ref : "-", p.head_sha ? p.head_sha : "-");
			gh_pull_free(&p);
		}
	} else if (strcmp(cmd, "rate-limit") == 0) {
		struct gh_rate r;
		if ((st = gh_rate_limit(c, &r, &err)) == WZ_OK)
			printf("rate core=%ld/%ld search=%ld reset=%.0f\n", r.core_remaining, r.core_limit,
			       r.search_remaining, r.core_reset);
	} else {
		st = wz_err_set(&err, WZ_EUSAGE, "unknown command %s", cmd);
	}
out:
	if (st != WZ_OK)
		printf("error: %s\n", err.msg);
	gh_client_free(&c);
	http_client_free(&http);
	if (tr)
		fclose(tr);
	return st == WZ_OK ? 0 : wz_status_exit_code(st);
}
