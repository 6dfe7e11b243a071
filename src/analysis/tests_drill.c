/* tests_drill.c - the Tests drill-down helpers: where to look, a bounded
 * blame of that range with the lines' text, a commit's parent and its
 * `git show` view. Each call opens its own repository handle. */
#include "config.h"
#include "analysis/tests_analysis.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static bool is_test_path(const char *p)
{
	const char *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	return strncmp(p, "tests/", 6) == 0 || strstr(p, "/tests/") || strstr(p, "/test/") ||
	       strncmp(p, "test/", 5) == 0 || strncmp(b, "test_", 5) == 0 || strstr(b, "_test.");
}

static bool changed(const struct ta_result *r, const char *path)
{
	if (!r->changes)
		return false;
	size_t n = strlen(path);
	for (size_t i = 0; i < r->changes->nfiles; i++) {
		const char *p = r->changes->files[i].path;
		size_t m = strlen(p);
		if (strcmp(p, path) == 0 || (m > n && p[m - n - 1] == '/' && strcmp(p + m - n, path) == 0) ||
		    (n > m && path[n - m - 1] == '/' && strcmp(path + n - m, p) == 0))
			return true;
	}
	return false;
}

bool ta_focus(const struct ta_result *r, const char *test_id, long ctx, char **path, long *line, long *start,
	      long *end)
{
	*path = NULL;
	const struct tr_case *c = ta_case(r, test_id, NULL);
	if (!c)
		return false;
	struct reg_frame *fr = NULL;
	size_t nf = reg_frames_parse(c->text ? c->text : c->message, &fr);
	const struct reg_frame *pick = NULL;
	for (int pass = 0; pass < 3 && !pick; pass++)
		for (size_t i = 0; i < nf && !pick; i++) {
			bool ch = changed(r, fr[i].file), t = is_test_path(fr[i].file);
			if ((pass == 0 && ch && !t) || (pass == 1 && ch) || (pass == 2 && !t))
				pick = &fr[i];
		}
	if (!pick && nf)
		pick = &fr[0];
	if (pick) {
		*path = xstrdup(pick->file);
		*line = pick->line;
	} else if (c->file && c->line > 0) {
		*path = xstrdup(c->file);
		*line = c->line;
	}
	reg_frames_free(fr, nf);
	if (!*path)
		return false;
	if (ctx < 0)
		ctx = 0;
	*start = *line - ctx < 1 ? 1 : *line - ctx;
	*end = *line + ctx;
	return true;
}

void ta_blame_clear(struct ta_blame *b)
{
	blame_set_free(&b->set);
	for (size_t i = 0; i < b->ntext; i++)
		free(b->text[i]);
	free(b->text);
	memset(b, 0, sizeof *b);
}

/* Lines [start, end] of path at rev, straight from the object database. */
static void read_text(const char *repo_dir, const char *rev, const char *path, long start, long end,
		      struct ta_blame *out)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_libgit2_init();
	char *spec = xasprintf("%s:%s", rev, path);
	if (git_repository_open_ext(&repo, repo_dir, 0, NULL) == 0 && git_revparse_single(&obj, repo, spec) == 0 &&
	    git_object_type(obj) == GIT_OBJECT_BLOB) {
		const git_blob *b = (const git_blob *)obj;
		const char *d = git_blob_rawcontent(b);
		size_t n = (size_t)git_blob_rawsize(b), off = 0;
		long ln = 1;
		size_t want = end >= start ? (size_t)(end - start + 1) : 0;
		out->text = want ? xcalloc(want, sizeof *out->text) : NULL;
		while (off < n && ln <= end) {
			const char *nl = memchr(d + off, '\n', n - off);
			size_t len = nl ? (size_t)(nl - (d + off)) : n - off;
			if (ln >= start) {
				if (len && d[off + len - 1] == '\r')
					len--;
				out->text[ln - start] = xstrndup(d + off, len > 4096 ? 4096 : len);
				out->ntext = (size_t)(ln - start + 1);
			}
			off = nl ? (size_t)(nl - d) + 1 : n;
			ln++;
		}
	}
	free(spec);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

enum wz_status ta_blame_lines(const char *repo_dir, const struct git_range *range, const char *rev,
			      const char *path, long start, long end, struct ta_blame *out, struct wz_err *err)
{
	memset(out, 0, sizeof *out);
	struct git_repo *g = NULL;
	enum wz_status st = git_repo_open(repo_dir, &g, err);
	if (st != WZ_OK)
		return st;
	struct git_range rg = *range;
	rg.how = NULL;
	if (rev && *rev) {
		if (strlen(rev) != CHG_SHA_LEN) {
			git_repo_close(&g);
			return wz_err_set(err, WZ_EUSAGE, "blame needs a full commit id, got '%s'", rev);
		}
		memcpy(rg.head, rev, CHG_SHA_LEN + 1);
	}
	struct git_line_span sp = { path, start, end };
	st = git_blame_spans(g, &rg, &sp, 1, &out->set, err);
	git_repo_close(&g);
	if (st != WZ_OK)
		return st;
	memcpy(out->head, rg.head, sizeof out->head);
	if (out->set && out->set->n == 1 && !out->set->v[0].error)
		read_text(repo_dir, rg.head, path, out->set->v[0].start, out->set->v[0].end, out);
	return WZ_OK;
}

enum wz_status ta_parent_of(const char *repo_dir, const char *rev, char out[CHG_SHA_LEN + 1], struct wz_err *err)
{
	struct chg_commit *c = NULL;
	out[0] = 0;
	enum wz_status st = ta_show_commit(repo_dir, rev, &c, err);
	if (st != WZ_OK)
		return st;
	size_t np = c->nparents;
	chg_commit_free(&c);
	if (np == 0)
		return wz_err_set(err, WZ_EGIT, "commit %.12s is a root commit: it has no parent to blame at", rev);
	git_repository *repo = NULL;
	git_object *obj = NULL;
	char *spec = xasprintf("%s^1", rev);
	git_libgit2_init();
	if (git_repository_open_ext(&repo, repo_dir, 0, NULL) == 0 && git_revparse_single(&obj, repo, spec) == 0)
		git_oid_tostr(out, CHG_SHA_LEN + 1, git_object_id(obj));
	else
		st = wz_err_set(err, WZ_EGIT, "cannot read the parent of %.12s in %s", rev, repo_dir);
	free(spec);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return st;
}

enum wz_status ta_show_commit(const char *repo_dir, const char *rev, struct chg_commit **out, struct wz_err *err)
{
	*out = NULL;
	struct git_repo *g = NULL;
	enum wz_status st = git_repo_open(repo_dir, &g, err);
	if (st != WZ_OK)
		return st;
	st = git_commit_show(g, rev, out, err);
	git_repo_close(&g);
	return st;
}
