/* test_git_walk.c - the bounds of the git work on a long history: a linear
 * 20,000-commit repository made here with `git fast-import` (from commit 7
 * on, commit i changes line 2 + i % 7 of a.c, flipping it between two
 * values; line 1 never changes after the root; commit times 1700000000 + i). Checks that a range over
 * the whole history is capped at GIT_MAX_COMMITS newest commits and says
 * so, that merge-bases are computed once per pair, that a time budget caps
 * a walk, and that the cancel flag (git_ctl or a job's fio_progress hooks)
 * stops a walk with WZ_ECANCELED and a clear message. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/run.h"
#include "sources/git.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define NCOMMITS 20000

static char tmp[64];
static char *repo;
static char *root_sha;

static char *rev(const char *r)
{
	char cmd[512], line[128] = "";
	snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse '%s'", repo, r);
	FILE *p = popen(cmd, "r");
	if (!p)
		return xstrdup("");
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static void data(FILE *f, const char *s)
{
	fprintf(f, "data %zu\n%s\n", strlen(s), s);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmp, "/tmp/wz-gitwalk-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	repo = xasprintf("%s/repo", tmp);
	char *cmd = xasprintf("git init -q -b main '%s' && GIT_CONFIG_NOSYSTEM=1 HOME='%s' git -C '%s' "
			      "fast-import --quiet --done", repo, tmp, repo);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FILE *f = popen(cmd, "w");
	free(cmd);
	if (!f)
		return -1;
	char body[512], msg[64];
	for (long i = 0; i < NCOMMITS; i++) {
		fprintf(f, "commit refs/heads/main\nmark :%ld\n", i + 1);
		fprintf(f, "committer Walk Bot <walk@example.invalid> %ld +0000\n", 1700000000L + i);
		snprintf(msg, sizeof msg, "walk commit %ld", i);
		data(f, msg);
		if (i)
			fprintf(f, "from :%ld\n", i);
		size_t n = (size_t)snprintf(body, sizeof body, "header: never changes\n");
		for (int l = 2; l <= 8; l++) {
			/* the last commit <= i that set line l */
			long by = i - ((i % 7) - (l - 2) + 7) % 7;
			/* two values per line, alternating: few distinct blobs and
			 * trees, so fast-import writes mostly commits */
			n += (size_t)snprintf(body + n, sizeof body - n, "line %d: %c\n", l,
					      by < 0 ? 'a' : (int)('a' + ((by / 7) & 1)));
		}
		fputs("M 100644 inline a.c\n", f);
		data(f, body);
		fputc('\n', f);
	}
	fputs("done\n", f);
	if (pclose(f) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "# built %d commits in %.2f s\n", NCOMMITS,
		(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	root_sha = rev("HEAD~19999");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmp);
	int rc = system(cmd);
	free(cmd);
	free(repo);
	free(root_sha);
	return rc == 0 ? 0 : -1;
}

static struct git_repo *open_repo(void)
{
	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(git_repo_open(repo, &r, &err), WZ_OK);
	return r;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

/* The whole history: capped at the 5,000 newest, said in `how`, bound just
 * past the cap; the change set keeps HEAD and drops the oldest. */
static void capped_keeps_newest(void **state)
{
	(void)state;
	struct git_repo *r = open_repo();
	struct wz_err err = { 0 };
	struct git_range g;
	char *head = rev("HEAD"), *last = rev("HEAD~4999"), *past = rev("HEAD~5000");
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	assert_true(g.capped);
	assert_int_equal(g.ncommits, GIT_MAX_COMMITS);
	assert_string_equal(g.head, head);
	assert_string_equal(g.base, "");
	assert_string_equal(g.bound, past);
	assert_true(ends_with(g.how, "whole history..HEAD; range capped at 5000 newest commits"));

	struct chg_set *cs = NULL;
	assert_int_equal(git_changes(r, &g, &cs, &err), WZ_OK);
	assert_true(cs->commits_truncated);
	assert_int_equal(cs->ncommits, GIT_MAX_COMMITS);
	assert_string_equal(cs->commits[cs->ncommits - 1].sha, head);   /* oldest first */
	assert_string_equal(cs->commits[0].sha, last);
	assert_string_equal(cs->commits[cs->ncommits - 1].summary, "walk commit 19999");
	chg_set_free(&cs);

	/* blame inside the cap: 19999 % 7 = 0 -> line 2 is HEAD's; line 1 stops
	 * at the cap boundary and is not in the range */
	const struct git_line_span sp = { "a.c", 1, 8 };
	struct blame_set *b = NULL;
	assert_int_equal(git_blame_spans(r, &g, &sp, 1, &b, &err), WZ_OK);
	assert_null(b->v[0].error);
	assert_int_equal(b->v[0].nlines, 8);
	assert_string_equal(b->v[0].lines[1].sha, head);
	assert_true(b->v[0].lines[1].in_range);
	assert_false(b->v[0].lines[1].pre_existing);
	assert_string_equal(b->v[0].lines[0].sha, past);
	assert_false(b->v[0].lines[0].in_range);
	assert_true(b->v[0].lines[0].pre_existing);
	blame_set_free(&b);
	git_range_clear(&g);

	/* a run whose base_ref is the root: the same cap, base kept as given
	 * (no merge-base over 20,000 commits) */
	struct run *run = run_new();
	run->id = xstrdup("wide");
	run->base_ref = xstrdup(root_sha);
	size_t mb0 = git_merge_base_computed();
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
	assert_int_equal(git_merge_base_computed(), mb0);
	assert_true(g.capped);
	assert_string_equal(g.base, root_sha);
	assert_string_equal(g.bound, past);
	assert_non_null(strstr(g.how, "; range capped at 5000 newest commits"));
	git_range_clear(&g);

	/* a smaller cap through git_ctl */
	struct git_ctl ctl = { .max_commits = 10 };
	git_ctl_set(&ctl);
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	git_ctl_set(NULL);
	assert_int_equal(g.ncommits, 10);
	char *p10 = rev("HEAD~10");
	assert_string_equal(g.bound, p10);
	free(p10);
	git_range_clear(&g);

	run_free(&run);
	free(head);
	free(last);
	free(past);
	git_repo_close(&r);
}

/* A range under the cap is exact: base..head, bound the merge-base. */
static void small_range_exact(void **state)
{
	(void)state;
	struct git_repo *r = open_repo();
	struct wz_err err = { 0 };
	struct git_range g;
	char *base = rev("HEAD~100");
	assert_int_equal(git_range_resolve(r, "HEAD~100", "HEAD", &g, &err), WZ_OK);
	assert_false(g.capped);
	assert_int_equal(g.ncommits, 100);
	assert_string_equal(g.bound, base);
	assert_string_equal(g.how, "HEAD~100..HEAD");
	struct chg_set *cs = NULL;
	assert_int_equal(git_changes(r, &g, &cs, &err), WZ_OK);
	assert_false(cs->commits_truncated);
	assert_int_equal(cs->ncommits, 100);
	chg_set_free(&cs);
	git_range_clear(&g);
	free(base);
	git_repo_close(&r);
}

/* Coverage and tests each resolve the run's range through their own
 * handle: the merge-base is computed once. */
static void merge_base_once(void **state)
{
	(void)state;
	git_merge_base_forget();
	size_t mb0 = git_merge_base_computed();
	struct run *run = run_new();
	run->id = xstrdup("once");
	run->base_ref = rev("HEAD~300");
	struct wz_err err = { 0 };
	for (int k = 0; k < 2; k++) {
		struct git_repo *r = open_repo();
		struct git_range g;
		assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
		assert_string_equal(g.base, run->base_ref);
		assert_string_equal(g.bound, run->base_ref);
		assert_int_equal(g.ncommits, 300);
		git_range_clear(&g);
		git_repo_close(&r);
	}
	assert_int_equal(git_merge_base_computed(), mb0 + 1);
	/* a merge_sha run with one parent needs none: the parent is the bound */
	free(run->base_ref);
	run->base_ref = NULL;
	run->merge_sha = rev("HEAD");
	struct git_repo *r = open_repo();
	struct git_range g;
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
	assert_int_equal(g.ncommits, 1);
	assert_int_equal(git_merge_base_computed(), mb0 + 1);
	git_range_clear(&g);
	git_repo_close(&r);
	run_free(&run);
}

static int stop_calls, stop_after;
static size_t last_walked;

static bool stop_cb(void *ctx)
{
	(void)ctx;
	return ++stop_calls > stop_after;
}

static void progress_cb(void *ctx, size_t walked)
{
	(void)ctx;
	last_walked = walked;
}

/* Cancel before and while walking; progress reported. */
static void cancel_stops_walk(void **state)
{
	(void)state;
	struct git_repo *r = open_repo();
	struct wz_err err = { 0 };
	struct git_range g;
	struct git_ctl ctl = { .stop = stop_cb, .progress = progress_cb };
	git_ctl_set(&ctl);

	stop_calls = 0;
	stop_after = 0;   /* set before the walk */
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_ECANCELED);
	assert_non_null(strstr(err.msg, "walking the commit range in "));
	assert_non_null(strstr(err.msg, "cancelled after 0 commits walked"));
	assert_string_equal(g.head, "");

	stop_calls = 0;
	stop_after = 3;   /* while walking: the 4th poll, at 768 commits */
	last_walked = 0;
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_ECANCELED);
	assert_non_null(strstr(err.msg, "cancelled after 768 commits walked"));
	assert_int_equal(last_walked, 512);

	/* progress to the end of an uncancelled walk */
	stop_after = 1000000;
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	assert_int_equal(last_walked, GIT_MAX_COMMITS);

	/* the change set and the blame stop too */
	struct chg_set *cs = NULL;
	stop_calls = 0;
	stop_after = 0;
	assert_int_equal(git_changes(r, &g, &cs, &err), WZ_ECANCELED);
	assert_null(cs);
	struct blame_set *b = NULL;
	const struct git_line_span sp = { "a.c", 1, 2 };
	stop_calls = 0;
	assert_int_equal(git_blame_spans(r, &g, &sp, 1, &b, &err), WZ_ECANCELED);
	assert_null(b);
	git_ctl_set(NULL);
	git_range_clear(&g);
	git_repo_close(&r);
}

static bool fio_stop_cb(void *arg)
{
	return *(bool *)arg;
}

/* Without a git_ctl, a job's fio_progress hooks cancel the walk. */
static void job_hooks_cancel(void **state)
{
	(void)state;
	struct git_repo *r = open_repo();
	struct wz_err err = { 0 };
	struct git_range g;
	bool stop = true;
	struct fio_progress fp = { NULL, fio_stop_cb, &stop };
	const struct fio_progress *old = fio_progress_set(&fp);
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_ECANCELED);
	assert_int_equal(err.code, WZ_ECANCELED);
	stop = false;
	assert_int_equal(git_range_resolve(r, "HEAD~5", NULL, &g, &err), WZ_OK);
	assert_int_equal(g.ncommits, 5);
	git_range_clear(&g);
	fio_progress_set(old);
	git_repo_close(&r);
}

/* A time budget caps the walk at the next poll (256 commits). */
static void time_budget_caps(void **state)
{
	(void)state;
	struct git_repo *r = open_repo();
	struct wz_err err = { 0 };
	struct git_range g;
	struct git_ctl ctl = { .max_seconds = 1e-9 };
	git_ctl_set(&ctl);
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	git_ctl_set(NULL);
	assert_true(g.capped);
	assert_int_equal(g.ncommits, 256);
	assert_true(ends_with(g.how, "; range capped at 256 newest commits"));
	git_range_clear(&g);
	git_repo_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capped_keeps_newest),
		cmocka_unit_test(small_range_exact),
		cmocka_unit_test(merge_base_once),
		cmocka_unit_test(cancel_stops_walk),
		cmocka_unit_test(job_hooks_cancel),
		cmocka_unit_test(time_budget_caps),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
