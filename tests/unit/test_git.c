/* test_git.c - the libgit2 source against the Lua history (a fresh clone of
 * shared/data/repos/lua.bundle; expected values from its README, which
 * lists `git blame --porcelain lvm.c` facts) and against small repositories
 * built here with the git command line (renames, detached HEAD, empty,
 * shallow, non-git folder, a run whose commit is missing). */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/run.h"
#include "sources/git.h"
#include "util/xalloc.h"

#define LUA_HEAD "53b41d0cddd80bf33fdc631bdd32e3ba53842b89"
#define AE23 "ae23e726018bd31a25c1279600328d90207ec81c"
#define AE23_PARENT "4c5d5063a54c0088729b16fb25a333f0f9f836b0"

struct fx {
	char tmp[64];
	char *lua;      /* clone of lua.bundle */
	char *syn;      /* synthetic repo with a rename */
	char *sha[4];   /* syn commits c1..c3 (index 1..3) */
};
static struct fx F;

static char *shared_path(const char *rel)
{
	const char *sh = getenv("SHARED");
	const char *top = getenv("top_srcdir");
	return sh && *sh ? xasprintf("%s/%s", sh, rel) : xasprintf("%s/../shared/%s", top ? top : ".", rel);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static char *sh_out(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char line[256] = "";
	if (!p)
		return xstrdup("");
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

#define GITENV "GIT_CONFIG_NOSYSTEM=1 HOME=%s GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL=%s " \
	"GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' "

static void commit(const char *who, const char *date, const char *msg)
{
	assert_int_equal(sh("cd %s && git add -A && " GITENV "git commit -q -m '%s'", F.syn, F.tmp, who,
			    "a@example.org", date, date, msg), 0);
}

static int setup(void **state)
{
	(void)state;
	strcpy(F.tmp, "/tmp/wz-git-XXXXXX");
	if (!mkdtemp(F.tmp))
		return -1;
	char *bundle = shared_path("data/repos/lua.bundle");
	F.lua = xasprintf("%s/lua", F.tmp);
	int rc = sh("git clone -q '%s' '%s' 2>/dev/null", bundle, F.lua);
	free(bundle);
	if (rc != 0)
		return -1;
	/* synthetic: c1 adds a.c (10 lines); c2 adds README; c3 renames a.c to
	 * b.c and changes line 5. master at c3, run/r-1 branch adds c4. */
	F.syn = xasprintf("%s/syn", F.tmp);
	sh("git init -q -b master '%s'", F.syn);
	sh("cd %s && seq 1 10 | sed 's/^/line /' > a.c", F.syn);
	commit("Alice", "2024-01-01T10:00:00Z", "add a.c");
	sh("cd %s && echo hi > README", F.syn);
	commit("Bob", "2024-01-02T10:00:00Z", "readme");
	sh("cd %s && git mv a.c b.c && sed -i 's/^line 5$/line five/' b.c", F.syn);
	commit("Carol", "2024-01-03T10:00:00Z", "rename a.c to b.c, spell five");
	for (int i = 1; i <= 3; i++) {
		char cmd[512];
		snprintf(cmd, sizeof cmd, "git -C %s rev-parse HEAD~%d", F.syn, 3 - i);
		F.sha[i] = sh_out(cmd);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf '%s'", F.tmp);
	free(F.lua);
	free(F.syn);
	for (int i = 1; i <= 3; i++)
		free(F.sha[i]);
	return 0;
}

static const struct blame_line *line_of(const struct blame_set *b, size_t span, long line)
{
	const struct blame_span *sp = &b->v[span];
	for (size_t i = 0; i < sp->nlines; i++)
		if (sp->lines[i].line == line)
			return &sp->lines[i];
	fail_msg("line %ld not in span %zu", line, span);
	return NULL;
}

static void lua_blame_facts(void **state)
{
	(void)state;
	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(git_repo_open(F.lua, &r, &err), WZ_OK);
	assert_false(git_repo_is_shallow(r));
	/* the whole history (5,846 commits) is over the default cap: lift it
	 * to check blame against git's own facts back to the root */
	struct git_ctl ctl = { .max_commits = 100000 };
	git_ctl_set(&ctl);
	struct git_range g;
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	assert_false(g.capped);
	assert_int_equal(g.ncommits, 5846);
	assert_string_equal(g.head, LUA_HEAD);
	assert_string_equal(g.base, "");
	const struct git_line_span spans[] = {
		{ "lvm.c", 1, 1 }, { "lvm.c", 100, 100 }, { "lvm.c", 306, 306 }, { "lvm.c", 500, 500 },
		{ "lvm.c", 1000, 1000 }, { "lvm.c", 1500, 1500 }, { "lvm.c", 1972, 1990 },
	};
	struct blame_set *b = NULL;
	assert_int_equal(git_blame_spans(r, &g, spans, 7, &b, &err), WZ_OK);
	assert_int_equal(b->n, 7);
	static const struct {
		long line;
		const char *sha, *author;
		double t;
		int tz;
		const char *summary;
		long orig;
	} want[] = {
		{ 1, "6990da0057008adf934d88125ae9cf5162964117", "Roberto Ierusalimschy", 874437959, -180, "Lua virtual machine", 1 },
		{ 100, "9b4f39ab14fb2e55345c3d23537d129dac23b091", "Roberto Ierusalimschy", 1692298768, -180, "More disciplined use of 'getstr' and 'tsslen'", 97 },
		{ 306, AE23, "Roberto I", 1776978023, -180, "new macro 'setnilvalue2s'", 306 },
		{ 500, "ed1fe28bb8c98382412eab8cfe24fe3dc5adf8f3", "Roberto Ierusalimschy", 1433272284, -180, "When comparing integers with floats, use float as common type when", 310 },
		{ 1000, "5e76a4fd313a8690d300085c4e8fcb9dca50c01a", "Roberto Ierusalimschy", 1541441442, -120, "New macros for arithmetic/bitwise operations in 'luaV_execute'", 855 },
		{ 1500, "dd6d8db49acda5d5353a0a9c42485d9b4bde419d", "Roberto Ierusalimschy", 1562960822, -180, "Reordering of instructions in the main loop", 1365 },
		{ 1972, "3e977f02ac1ec62c012c5ceb8de4420285630290", "Roberto Ierusalimschy", 1400184512, -180, "added a few comments", 1154 },
	};
	for (size_t i = 0; i < 7; i++) {
		assert_null(b->v[i].error);
		const struct blame_line *l = line_of(b, i, want[i].line);
		assert_string_equal(l->sha, want[i].sha);
		assert_string_equal(l->author, want[i].author);
		assert_string_equal(l->email, "roberto@inf.puc-rio.br");
		assert_true(l->time == want[i].t);
		assert_int_equal(l->tz_minutes, want[i].tz);
		assert_string_equal(l->summary, want[i].summary);
		assert_int_equal(l->orig_line, want[i].orig);
		assert_true(l->in_range);       /* no base: the whole history */
		assert_false(l->pre_existing);
		assert_string_equal(l->orig_path, "lvm.c");
	}
	/* the last span is clamped to the file's 1,972 lines */
	assert_int_equal(b->v[6].end, 1972);
	assert_int_equal(b->v[6].nlines, 1);
	blame_set_free(&b);
	assert_null(b);
	git_range_clear(&g);
	git_ctl_set(NULL);
	git_repo_close(&r);
	assert_null(r);
}

/* Bounded by base = ae23e726's parent: only line 306 is in range. */
static void lua_bounded(void **state)
{
	(void)state;
	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(git_repo_open(F.lua, &r, &err), WZ_OK);
	struct git_range g;
	assert_int_equal(git_range_resolve(r, AE23 "~1", "HEAD", &g, &err), WZ_OK);
	assert_string_equal(g.base, AE23_PARENT);
	assert_string_equal(g.bound, AE23_PARENT);
	const struct git_line_span spans[] = { { "lvm.c", 300, 310 }, { "nosuch.c", 1, 5 } };
	struct blame_set *b = NULL;
	assert_int_equal(git_blame_spans(r, &g, spans, 2, &b, &err), WZ_OK);
	assert_int_equal(b->v[0].nlines, 11);
	for (long ln = 300; ln <= 310; ln++) {
		const struct blame_line *l = line_of(b, 0, ln);
		if (ln == 306) {
			assert_string_equal(l->sha, AE23);
			assert_true(l->in_range);
			assert_false(l->pre_existing);
		} else {
			/* git blame reports the boundary commit (^4c5d506) for these */
			assert_string_equal(l->sha, AE23_PARENT);
			assert_false(l->in_range);
			assert_true(l->pre_existing);
		}
	}
	assert_non_null(b->v[1].error);
	assert_non_null(strstr(b->v[1].error, "nosuch.c does not exist"));
	assert_int_equal(b->v[1].nlines, 0);
	blame_set_free(&b);

	/* the change set of the range: 4 commits, oldest first */
	struct chg_set *cs = NULL;
	assert_int_equal(git_changes(r, &g, &cs, &err), WZ_OK);
	assert_int_equal(cs->ncommits, 4);
	assert_string_equal(cs->commits[0].sha, AE23);
	assert_string_equal(cs->commits[3].sha, LUA_HEAD);
	assert_string_equal(cs->commits[3].summary, "Avoid warning in some compilers");
	assert_string_equal(cs->commits[0].author, "Roberto I");
	const struct chg_file *f = chg_set_file(cs, "lvm.c");
	assert_non_null(f);
	assert_int_equal(f->status, CHG_MODIFIED);
	bool covers306 = false;
	for (size_t i = 0; i < f->nhunks; i++)
		if (f->hunks[i].start <= 306 && 306 < f->hunks[i].start + f->hunks[i].count)
			covers306 = true;
	assert_true(covers306);
	assert_non_null(chg_set_commit(cs, "ae23e72"));
	assert_null(chg_set_commit(cs, "6990da0"));
	chg_set_free(&cs);
	git_range_clear(&g);

	/* git show-like view, checked against `git show --numstat ae23e726` */
	struct chg_commit *c = NULL;
	assert_int_equal(git_commit_show(r, AE23, &c, &err), WZ_OK);
	assert_string_equal(c->sha, AE23);
	assert_true(c->time == 1776978023);
	assert_true(c->nfiles >= 1);
	chg_commit_free(&c);
	assert_int_not_equal(git_commit_show(r, "0000000000000000000000000000000000000001", &c, &err), WZ_OK);
	assert_null(c);
	git_repo_close(&r);
}

static void syn_rename(void **state)
{
	(void)state;
	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(git_repo_open(F.syn, &r, &err), WZ_OK);
	struct git_range g;
	assert_int_equal(git_range_resolve(r, F.sha[2], NULL, &g, &err), WZ_OK);
	struct chg_set *cs = NULL;
	assert_int_equal(git_changes(r, &g, &cs, &err), WZ_OK);
	assert_int_equal(cs->ncommits, 1);
	assert_int_equal(cs->nfiles, 1);
	assert_string_equal(cs->files[0].path, "b.c");
	assert_string_equal(cs->files[0].old_path, "a.c");
	assert_int_equal(cs->files[0].status, CHG_RENAMED);
	assert_int_equal(cs->files[0].adds, 1);
	assert_int_equal(cs->files[0].dels, 1);
	assert_int_equal(cs->files[0].nhunks, 1);
	assert_int_equal(cs->files[0].hunks[0].start, 5);
	assert_int_equal(cs->files[0].hunks[0].count, 1);
	assert_string_equal(cs->commits[0].files[0].old_path, "a.c");
	assert_string_equal(cs->commits[0].author, "Carol");
	chg_set_free(&cs);

	const struct git_line_span sp[] = { { "b.c", 4, 6 } };
	struct blame_set *b = NULL;
	assert_int_equal(git_blame_spans(r, &g, sp, 1, &b, &err), WZ_OK);
	assert_string_equal(line_of(b, 0, 5)->sha, F.sha[3]);
	assert_true(line_of(b, 0, 5)->in_range);
	assert_string_equal(line_of(b, 0, 5)->author, "Carol");
	assert_true(line_of(b, 0, 4)->pre_existing);
	assert_string_equal(line_of(b, 0, 4)->orig_path, "a.c");
	blame_set_free(&b);
	git_range_clear(&g);

	/* unbounded: line 4 goes back through the rename to c1 */
	assert_int_equal(git_range_resolve(r, "", NULL, &g, &err), WZ_OK);
	assert_int_equal(git_blame_spans(r, &g, sp, 1, &b, &err), WZ_OK);
	assert_string_equal(line_of(b, 0, 4)->sha, F.sha[1]);
	assert_string_equal(line_of(b, 0, 4)->author, "Alice");
	assert_string_equal(line_of(b, 0, 4)->orig_path, "a.c");
	assert_int_equal(line_of(b, 0, 4)->orig_line, 4);
	assert_true(line_of(b, 0, 4)->time == 1704103200.0);
	blame_set_free(&b);
	git_range_clear(&g);

	struct chg_commit *c = NULL;
	assert_int_equal(git_commit_show(r, "HEAD", &c, &err), WZ_OK);
	assert_string_equal(c->summary, "rename a.c to b.c, spell five");
	assert_int_equal(c->nfiles, 1);
	assert_int_equal(c->files[0].status, CHG_RENAMED);
	chg_commit_free(&c);
	/* root commit: against the empty tree */
	assert_int_equal(git_commit_show(r, F.sha[1], &c, &err), WZ_OK);
	assert_int_equal(c->nparents, 0);
	assert_int_equal(c->files[0].status, CHG_ADDED);
	assert_int_equal(c->files[0].adds, 10);
	chg_commit_free(&c);
	git_repo_close(&r);
}

static void run_ranges(void **state)
{
	(void)state;
	/* a run branch off master with one commit */
	assert_int_equal(sh("cd %s && git checkout -q -b run/r-1 && echo x >> README", F.syn), 0);
	commit("Dan", "2024-01-04T10:00:00Z", "run work");
	char cmd[512];
	snprintf(cmd, sizeof cmd, "git -C %s rev-parse HEAD", F.syn);
	char *c4 = sh_out(cmd);
	sh("cd %s && git checkout -q master", F.syn);

	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	assert_int_equal(git_repo_open(F.syn, &r, &err), WZ_OK);
	struct run *run = run_new();
	run->id = xstrdup("r-1");
	struct git_range g;
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
	assert_string_equal(g.head, c4);
	assert_string_equal(g.base, F.sha[3]);
	assert_non_null(strstr(g.how, "refs/heads/master"));
	git_range_clear(&g);

	run->base_ref = xstrdup(F.sha[1]);
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
	assert_string_equal(g.head, c4);
	assert_string_equal(g.base, F.sha[1]);
	git_range_clear(&g);

	run->merge_sha = xstrdup(F.sha[3]);
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_OK);
	assert_string_equal(g.head, F.sha[3]);
	assert_string_equal(g.base, F.sha[2]);
	git_range_clear(&g);

	/* the run's commit is not in this clone */
	free(run->merge_sha);
	run->merge_sha = xstrdup("0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_EGIT);
	assert_non_null(strstr(err.msg, "missing"));
	assert_non_null(strstr(err.msg, "blame unavailable"));
	assert_non_null(strstr(err.msg, "0123456789abcdef"));

	/* no merge_sha, no base_ref, no run branch */
	free(run->merge_sha);
	run->merge_sha = NULL;
	XFREE(&run->base_ref);
	free(run->id);
	run->id = xstrdup("other");
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_EGIT);
	assert_non_null(strstr(err.msg, "run/other"));
	run_free(&run);
	git_repo_close(&r);

	/* shallow clone lacking the run's commit */
	assert_int_equal(sh("git clone -q --depth 1 file://%s %s/shallow 2>/dev/null", F.syn, F.tmp), 0);
	char *p = xasprintf("%s/shallow", F.tmp);
	assert_int_equal(git_repo_open(p, &r, &err), WZ_OK);
	assert_true(git_repo_is_shallow(r));
	run = run_new();
	run->id = xstrdup("r-1");
	run->merge_sha = xstrdup(F.sha[1]);
	assert_int_equal(git_range_for_run(r, run, &g, &err), WZ_EGIT);
	assert_non_null(strstr(err.msg, "shallow"));
	assert_non_null(strstr(err.msg, "git fetch --unshallow"));
	run_free(&run);
	git_repo_close(&r);
	free(p);
	free(c4);
}

static void errors_and_detached(void **state)
{
	(void)state;
	struct git_repo *r = NULL;
	struct wz_err err = { 0 };
	char *plain = xasprintf("%s/plain", F.tmp);
	sh("mkdir -p %s", plain);
	/* GIT_CEILING_DIRECTORIES keeps discovery from escaping /tmp */
	setenv("GIT_CEILING_DIRECTORIES", F.tmp, 1);
	assert_int_equal(git_repo_open(plain, &r, &err), WZ_EGIT);
	assert_null(r);
	assert_non_null(strstr(err.msg, "not inside a git repository"));
	assert_non_null(strstr(err.msg, plain));
	assert_int_equal(git_repo_open(NULL, &r, &err), WZ_EUSAGE);

	char *empty = xasprintf("%s/empty", F.tmp);
	sh("git init -q %s", empty);
	assert_int_equal(git_repo_open(empty, &r, &err), WZ_EGIT);
	assert_null(r);
	assert_non_null(strstr(err.msg, "no commits"));

	/* discovery from a subfolder, detached HEAD */
	sh("cd %s && git checkout -q --detach %s && mkdir -p sub/deeper", F.syn, F.sha[2]);
	char *sub = xasprintf("%s/sub/deeper", F.syn);
	assert_int_equal(git_repo_open(sub, &r, &err), WZ_OK);
	assert_true(git_repo_head_detached(r));
	struct git_range g;
	assert_int_equal(git_range_resolve(r, NULL, NULL, &g, &err), WZ_OK);
	assert_string_equal(g.head, F.sha[2]);
	assert_string_equal(g.base, F.sha[2]);   /* merge-base(master, HEAD) = HEAD */
	git_range_clear(&g);
	assert_int_equal(git_range_resolve(r, "no-such-branch", NULL, &g, &err), WZ_EGIT);
	assert_non_null(strstr(err.msg, "no-such-branch"));
	git_repo_close(&r);
	sh("cd %s && git checkout -q master", F.syn);
	unsetenv("GIT_CEILING_DIRECTORIES");
	free(sub);
	free(plain);
	free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lua_blame_facts),
		cmocka_unit_test(lua_bounded),
		cmocka_unit_test(syn_rename),
		cmocka_unit_test(run_ranges),
		cmocka_unit_test(errors_and_detached),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
