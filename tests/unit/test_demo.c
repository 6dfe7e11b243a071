/* test_demo.c - the demo builder: caching, atomicity, determinism, and the
 * content it produces (read back with libgit2 and by counting markers). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo/demo.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* main's tip after replaying demo/history/HISTORY. Changes only when the
 * history changes; update it together with the history. */
#define MAIN_SHA "72fba0d332677ba1f88add2311ee4044695d37d2"
#define RUN ".runs/" DEMO_RUN_ID "/"

static char scratch[256];
static char *content;          /* demo/ of the source tree */
static char *shared_repo;      /* one prepared demo reused by read-only tests */

static void rm_rf(const char *p)
{
	char *cmd = xasprintf("rm -rf '%s'", p);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static char *scratch_dir(const char *name)
{
	return xasprintf("%s/%s", scratch, name);
}

static int setup(void **state)
{
	const char *top = getenv("top_srcdir");
	char *root;
	struct wz_err err;

	(void)state;
	snprintf(scratch, sizeof scratch, "%s/wz-demo-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(scratch))
		return -1;
	content = xasprintf("%s/demo", top ? top : "..");
	setenv("WISDOM_DEMO_DIR", content, 1);
	root = scratch_dir("shared");
	if (demo_prepare_in(root, content, &shared_repo, NULL, &err) != WZ_OK) {
		fprintf(stderr, "setup: %s\n", err.msg);
		free(root);
		return -1;
	}
	free(root);
	git_libgit2_init();
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", scratch);

	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: could not remove %s\n", scratch);
	free(cmd);
	free(content);
	free(shared_repo);
	git_libgit2_shutdown();
	return 0;
}

static char *slurp(const char *repo, const char *rel, size_t *len)
{
	char *p = fio_join(repo, rel), *data = NULL;
	struct wz_err err;

	if (fio_read(p, FIO_DEFAULT_MAX, &data, len, &err) != WZ_OK)
		fail_msg("%s", err.msg);
	free(p);
	return data;
}

static int count_prefix(const char *text, const char *prefix)
{
	int n = 0;
	size_t pl = strlen(prefix);
	const char *l = text;

	while (l && *l) {
		if (strncmp(l, prefix, pl) == 0)
			n++;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return n;
}

static int count_sub(const char *text, const char *needle)
{
	int n = 0;

	for (text = strstr(text, needle); text; text = strstr(text + 1, needle))
		n++;
	return n;
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *main_tip(const char *repo_path)
{
	git_repository *repo = NULL;
	git_oid oid;
	char hex[41];

	assert_int_equal(git_repository_open(&repo, repo_path), 0);
	assert_int_equal(git_reference_name_to_id(&oid, repo, "refs/heads/main"), 0);
	git_oid_tostr(hex, sizeof hex, &oid);
	git_repository_free(repo);
	return xstrdup(hex);
}

static void prepare_twice_reuses(void **state)
{
	char *root = scratch_dir("twice"), *a = NULL, *b = NULL, *stamp;
	struct wz_err err;
	struct stat s1, s2;
	int rebuilt = -1;

	(void)state;
	assert_int_equal(demo_prepare_in(root, content, &a, &rebuilt, &err), WZ_OK);
	assert_int_equal(rebuilt, 1);
	stamp = fio_join(a, ".git/wisdom-demo-complete");
	assert_int_equal(stat(stamp, &s1), 0);
	assert_int_equal(demo_prepare_in(root, content, &b, &rebuilt, &err), WZ_OK);
	assert_int_equal(rebuilt, 0);
	assert_string_equal(a, b);
	assert_int_equal(stat(stamp, &s2), 0);
	assert_int_equal(s1.st_ino, s2.st_ino);          /* not rebuilt */
	assert_int_equal(dir_entries(root), 1);           /* no temp dir left */
	assert_non_null(strstr(a, "/demo-" PACKAGE_VERSION "-"));
	free(stamp);
	free(a);
	free(b);
	rm_rf(root);
	free(root);
}

static void shas_are_deterministic(void **state)
{
	char *r1 = scratch_dir("det1"), *r2 = scratch_dir("det2"), *a = NULL, *b = NULL;
	char *t1, *t2;
	struct wz_err err;

	(void)state;
	assert_int_equal(demo_prepare_in(r1, content, &a, NULL, &err), WZ_OK);
	assert_int_equal(demo_prepare_in(r2, content, &b, NULL, &err), WZ_OK);
	t1 = main_tip(a);
	t2 = main_tip(b);
	assert_string_equal(t1, t2);
	assert_string_equal(t1, MAIN_SHA);
	/* same content, same name */
	assert_string_equal(strrchr(a, '/'), strrchr(b, '/'));
	free(t1);
	free(t2);
	free(a);
	free(b);
	rm_rf(r1);
	rm_rf(r2);
	free(r1);
	free(r2);
}

static void half_built_dirs_are_ignored(void **state)
{
	char *root = scratch_dir("killed"), *repo = NULL, *stale, *junk, *damaged, *final;
	char hash[13];
	struct wz_err err;
	pid_t pid;
	int rebuilt = 0;

	(void)state;
	/* a pid that surely is dead: a child that has exited and been reaped */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		free(root);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	assert_int_equal(demo_content_hash(content, hash, &err), WZ_OK);
	stale = xasprintf("%s/.demo-%s-%s.tmp-%ld-AbCdEf", root, PACKAGE_VERSION, hash, (long)pid);
	assert_int_equal(fio_mkdirs(stale, 0700, &err), WZ_OK);
	junk = fio_join(stale, "half-written");
	assert_int_equal(fio_write_atomic(junk, "x", 1, &err), WZ_OK);
	/* and a final-looking directory without the completion stamp */
	final = xasprintf("%s/demo-%s-%s", root, PACKAGE_VERSION, hash);
	damaged = fio_join(final, ".runs");
	assert_int_equal(fio_mkdirs(damaged, 0700, &err), WZ_OK);

	assert_int_equal(demo_prepare_in(root, content, &repo, &rebuilt, &err), WZ_OK);
	assert_int_equal(rebuilt, 1);
	assert_string_equal(repo, final);
	assert_false(fio_is_dir(stale));                  /* swept */
	assert_int_equal(dir_entries(root), 1);
	{
		char *tip = main_tip(repo);
		assert_string_equal(tip, MAIN_SHA);
		free(tip);
	}
	free(stale);
	free(junk);
	free(damaged);
	free(final);
	free(repo);
	rm_rf(root);
	free(root);
}

static void concurrent_prepares_agree(void **state)
{
	char *root = scratch_dir("race"), *mine = NULL;
	struct wz_err err;
	pid_t kids[4];
	int i, status;

	(void)state;
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		assert_true(kids[i] >= 0);
		if (kids[i] == 0) {
			char *p = NULL;
			struct wz_err e;
			int ok = demo_prepare_in(root, content, &p, NULL, &e) == WZ_OK;
			/* free what this child owns so valgrind's leak check of the
			 * child stays clean */
			free(p);
			free(root);
			_exit(ok ? 0 : 1);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(dir_entries(root), 1);           /* one winner, no debris */
	assert_int_equal(demo_prepare_in(root, content, &mine, NULL, &err), WZ_OK);
	{
		char *tip = main_tip(mine);
		assert_string_equal(tip, MAIN_SHA);
		free(tip);
	}
	free(mine);
	rm_rf(root);
	free(root);
}

static int count_commits(git_repository *repo, const char *ref)
{
	git_revwalk *w = NULL;
	git_oid oid;
	int n = 0;

	assert_int_equal(git_revwalk_new(&w, repo), 0);
	assert_int_equal(git_revwalk_push_ref(w, ref), 0);
	while (git_revwalk_next(&oid, w) == 0)
		n++;
	git_revwalk_free(w);
	return n;
}

static void repo_history_reads_back(void **state)
{
	git_repository *repo = NULL;
	git_revwalk *w = NULL;
	git_commit *c = NULL;
	git_reference *ref = NULL, *head = NULL;
	git_blame *blame = NULL;
	const git_blame_hunk *h;
	git_oid oid;
	int li = 0, merges = 0, ana = 0;

	(void)state;
	assert_int_equal(git_repository_open(&repo, shared_repo), 0);
	assert_int_equal(count_commits(repo, "refs/heads/main"), 10);
	assert_int_equal(count_commits(repo, "refs/heads/run/local-checkout-skew-4b7e21"), 8);
	assert_int_equal(git_repository_head(&head, repo), 0);
	assert_string_equal(git_reference_name(head), "refs/heads/main");
	assert_int_equal(git_reference_lookup(&ref, repo, "refs/heads/run/local-checkout-skew-4b7e21"), 0);
	assert_int_equal(git_commit_lookup(&c, repo, git_reference_target(ref)), 0);
	assert_string_equal(git_commit_summary(c), "payment: retry a capture once on PSP timeout");
	assert_string_equal(git_commit_author(c)->name, "Marcus Okafor");
	assert_int_equal(git_commit_author(c)->when.offset, -300);
	git_commit_free(c);

	assert_int_equal(git_revwalk_new(&w, repo), 0);
	assert_int_equal(git_revwalk_push_ref(w, "refs/heads/main"), 0);
	while (git_revwalk_next(&oid, w) == 0) {
		assert_int_equal(git_commit_lookup(&c, repo, &oid), 0);
		if (strcmp(git_commit_author(c)->name, "李伟") == 0) {
			li++;
			assert_string_equal(git_commit_author(c)->email, "li.wei@example.com");
			assert_int_equal(git_commit_author(c)->when.offset, 480);
		}
		if (strcmp(git_commit_author(c)->name, "Ana Souza") == 0)
			ana++;
		if (git_commit_parentcount(c) == 2) {
			merges++;
			/* Merged At 2025-11-20T14:06:14Z */
			assert_int_equal(git_commit_time(c), 1763647574);
		}
		git_commit_free(c);
	}
	assert_int_equal(li, 2);
	assert_int_equal(ana, 3);
	assert_int_equal(merges, 1);

	/* the failing frames point at lines the skew commit wrote */
	assert_int_equal(git_blame_file(&blame, repo, "src/auth/token.c", NULL), 0);
	h = git_blame_get_hunk_byline(blame, 88);
	assert_non_null(h);
	assert_string_equal(h->final_signature->name, "李伟");
	assert_int_equal(git_commit_lookup(&c, repo, &h->final_commit_id), 0);
	assert_string_equal(git_commit_summary(c), "auth: allow clock skew when validating tokens");
	git_commit_free(c);
	h = git_blame_get_hunk_byline(blame, 87);
	assert_int_equal(git_commit_lookup(&c, repo, &h->final_commit_id), 0);
	assert_string_equal(git_commit_summary(c), "auth: verify signed session tokens");
	git_commit_free(c);

	git_blame_free(blame);
	git_revwalk_free(w);
	git_reference_free(ref);
	git_reference_free(head);
	git_repository_free(repo);
}

static void run_markers_read_back(void **state)
{
	size_t len;
	char *learn = slurp(shared_repo, RUN "wisdom/learnings.md", &len);
	char *fb = slurp(shared_repo, RUN "wisdom/feedback_actions.md", &len);
	char *obs = slurp(shared_repo, RUN "plan/observability_spec.md", &len);
	char *texec = slurp(shared_repo, RUN "build/test_execution.md", &len);
	char *junit = slurp(shared_repo, RUN "build/junit.xml", &len);
	char *oldj = slurp(shared_repo, ".runs/" DEMO_BASE_RUN_ID "/build/junit.xml", &len);
	char *log = slurp(shared_repo, RUN "build/test_output.log", &len);
	char *dlog = slurp(shared_repo, RUN "deploy/deployment_log.md", &len);

	(void)state;
	assert_int_equal(count_prefix(learn, "## Learning: "), 2);
	assert_int_equal(count_prefix(learn, "- ACTION: "), 3);
	assert_int_equal(count_prefix(learn, "- PACK_OBS: "), 2);
	assert_int_equal(count_prefix(fb, "- ISSUE: "), 2);
	assert_int_equal(count_prefix(fb, "- [ ] SUG-"), 2);
	assert_int_equal(count_prefix(fb, "- ISSUE_DRAFT: "), 2);
	assert_int_equal(count_prefix(fb, "- SUGGESTION: "), 2);
	assert_int_equal(count_prefix(obs, "- METRIC: "), 4);
	assert_int_equal(count_prefix(obs, "- LOG_EVENT: "), 3);
	assert_int_equal(count_prefix(obs, "- TRACE_SPAN: "), 3);
	assert_int_equal(count_prefix(obs, "- SLO: "), 3);
	assert_int_equal(count_prefix(obs, "- ALERT: "), 2);
	assert_int_equal(count_prefix(texec, "## Test Summary (Canonical): passed=17 failed=2 "), 1);
	assert_int_equal(count_sub(junit, "<testcase "), 19);
	assert_int_equal(count_sub(junit, "<failure "), 2);
	assert_int_equal(count_sub(oldj, "<testcase "), 17);
	assert_int_equal(count_sub(oldj, "<failure "), 1);
	assert_non_null(strstr(oldj, "name=\"capture_timeout_retry\" time=\"2.0137\">"));
	assert_non_null(strstr(junit, "name=\"capture_timeout_retry\" time=\"1.8842\"/>"));
	assert_int_equal(count_sub(log, "src/auth/token.c:88"), 1);
	assert_non_null(strstr(log, "\x1b[2J"));                  /* clear screen */
	assert_non_null(strstr(log, "\x1b]52;c;"));              /* OSC 52 */
	assert_non_null(strstr(log, "\xe2\x80\xae"));            /* U+202E */
	assert_int_equal(count_sub(dlog, "| Merged At | 2025-11-20T14:06:14Z |"), 1);
	assert_int_equal(count_sub(dlog, MAIN_SHA), 2);
	free(learn);
	free(fb);
	free(obs);
	free(texec);
	free(junit);
	free(oldj);
	free(log);
	free(dlog);
}

static void run_tree_shape(void **state)
{
	char *p;
	size_t len;
	char *idx = slurp(shared_repo, ".runs/index.json", &len);
	char *meta = slurp(shared_repo, RUN "run_meta.json", &len);
	char *rr = slurp(shared_repo, RUN "review/review_receipt.json", &len);
	char *lint = slurp(shared_repo, RUN "build/lint_report.md", &len);
	json_t *j;
	json_error_t je;
	const char *flows[] = { "signal", "plan", "build", "review", "gate", "deploy", "wisdom" };
	size_t i;

	(void)state;
	assert_int_equal(len, 0);                                  /* empty optional */
	p = fio_join(shared_repo, RUN "review/review_worklist.md");
	assert_false(fio_is_file(p));                              /* missing required */
	free(p);
	for (i = 0; i < 7; i++) {
		char *rel = xasprintf(RUN "%s/%s_receipt.json", flows[i], flows[i]);
		p = fio_join(shared_repo, rel);
		j = json_load_file(p, 0, &je);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "flow")), flows[i]);
		json_decref(j);
		free(p);
		free(rel);
	}
	j = json_loads(rr, 0, &je);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "UNVERIFIED");
	json_decref(j);

	j = json_loads(meta, 0, &je);
	assert_string_equal(json_string_value(json_object_get(j, "merge_sha")), MAIN_SHA);
	assert_string_equal(json_string_value(json_object_get(j, "run_id")), DEMO_RUN_ID);
	json_decref(j);

	j = json_loads(idx, 0, &je);
	assert_int_equal(json_array_size(json_object_get(j, "runs")), 3);
	for (i = 0; i < 3; i++) {
		const char *id = json_string_value(json_object_get(
			json_array_get(json_object_get(j, "runs"), i), "run_id"));
		char *rel = xasprintf(".runs/%s", id);
		p = fio_join(shared_repo, rel);
		assert_int_equal(fio_is_dir(p), strcmp(id, "local-checkout-currency-9f3d10") != 0);
		free(p);
		free(rel);
	}
	json_decref(j);
	/* nothing left unsubstituted */
	assert_null(strstr(meta, "@SHA:"));
	free(idx);
	free(meta);
	free(rr);
	free(lint);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char *p = fio_join(dir, rel), *slash;
	struct wz_err err;

	slash = strrchr(p, '/');
	*slash = '\0';
	assert_int_equal(fio_mkdirs(p, 0700, &err), WZ_OK);
	*slash = '/';
	assert_int_equal(fio_write_atomic(p, text, strlen(text), &err), WZ_OK);
	free(p);
}

static void bad_content_is_reported(void **state)
{
	char *c1 = scratch_dir("bad1"), *c2 = scratch_dir("bad2"), *c3 = scratch_dir("bad3");
	char *root = scratch_dir("badroot"), *repo = NULL, *empty = scratch_dir("empty");
	char *dir = NULL;
	struct wz_err err;
	const char *ok_history =
		"commit  a\nbranch  main\nauthor  A <a@x>\ndate    2025-01-01T00:00:00Z\n"
		"message first\n";

	(void)state;
	/* unknown placeholder in a run file: names the file and line */
	write_file(c1, "history/HISTORY", ok_history);
	write_file(c1, "history/a/f.txt", "hi\n");
	write_file(c1, "runs/r/x.md", "line one\nsha @SHA:nope@\n");
	assert_int_equal(demo_prepare_in(root, c1, &repo, NULL, &err), WZ_EPARSE);
	assert_null(repo);
	assert_non_null(strstr(err.msg, "runs/r/x.md:2"));
	/* a zone-less date in the script: names HISTORY and the block's line */
	write_file(c2, "history/HISTORY", "# c\n\ncommit a\nbranch main\nauthor A <a@x>\n"
		   "date 2025-01-01T00:00:00\nmessage m\n");
	write_file(c2, "runs/index.json", "{}\n");
	assert_int_equal(demo_prepare_in(root, c2, &repo, NULL, &err), WZ_EPARSE);
	assert_non_null(strstr(err.msg, "HISTORY:3"));
	assert_non_null(strstr(err.msg, "bad date"));
	/* unknown key */
	write_file(c3, "history/HISTORY", "commit a\nbranch main\nauthr A <a@x>\n");
	write_file(c3, "runs/index.json", "{}\n");
	assert_int_equal(demo_prepare_in(root, c3, &repo, NULL, &err), WZ_EPARSE);
	assert_non_null(strstr(err.msg, "HISTORY:3: unknown key 'authr'"));
	/* failures leave no debris behind */
	assert_int_equal(dir_entries(root), 0);
	/* WISDOM_DEMO_DIR pointing at a folder without the content */
	assert_int_equal(fio_mkdirs(empty, 0700, &err), WZ_OK);
	setenv("WISDOM_DEMO_DIR", empty, 1);
	assert_int_equal(demo_content_dir(&dir, &err), WZ_ENOENT);
	assert_null(dir);
	assert_non_null(strstr(err.msg, empty));
	setenv("WISDOM_DEMO_DIR", content, 1);
	assert_int_equal(demo_content_dir(&dir, &err), WZ_OK);
	assert_string_equal(dir, content);
	free(dir);
	free(c1);
	free(c2);
	free(c3);
	free(root);
	free(empty);
}

static void cache_root_follows_xdg(void **state)
{
	char *xdg = scratch_dir("xdg"), *root = NULL, *want;
	char *old_xdg = xstrdup(getenv("XDG_CACHE_HOME")), *old_home = xstrdup(getenv("HOME"));
	char *home = scratch_dir("home");
	struct wz_err err;

	(void)state;
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_int_equal(demo_cache_root(&root, &err), WZ_OK);
	want = xasprintf("%s/wisdom", xdg);
	assert_string_equal(root, want);
	assert_true(fio_is_dir(root));
	free(root);
	free(want);
	/* a relative XDG_CACHE_HOME is ignored (XDG spec): falls back to ~/.cache */
	setenv("XDG_CACHE_HOME", "relative/cache", 1);
	setenv("HOME", home, 1);
	assert_int_equal(demo_cache_root(&root, &err), WZ_OK);
	want = xasprintf("%s/.cache/wisdom", home);
	assert_string_equal(root, want);
	free(root);
	free(want);
	if (old_xdg)
		setenv("XDG_CACHE_HOME", old_xdg, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
	free(xdg);
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prepare_twice_reuses),
		cmocka_unit_test(shas_are_deterministic),
		cmocka_unit_test(half_built_dirs_are_ignored),
		cmocka_unit_test(concurrent_prepares_agree),
		cmocka_unit_test(repo_history_reads_back),
		cmocka_unit_test(run_markers_read_back),
		cmocka_unit_test(run_tree_shape),
		cmocka_unit_test(bad_content_is_reported),
		cmocka_unit_test(cache_root_follows_xdg),
	};
	return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
