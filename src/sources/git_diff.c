/* git_diff.c - commits of a range and their files: status, renames, +/-
 * counts and new-side hunks. */
#include "sources/git_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char *gitx_first_line(const char *msg)
{
	if (!msg)
		return xstrdup("");
	while (*msg == '\n' || *msg == '\r' || *msg == ' ' || *msg == '\t')
		msg++;
	size_t n = strcspn(msg, "\r\n");
	while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\t'))
		n--;
	return xstrndup(msg, n);
}

static char *summary_of(const git_commit *gc)
{
	return gitx_first_line(git_commit_message(gc));
}

void gitx_commit_fill(struct chg_commit *c, const git_commit *gc)
{
	git_oid_tostr(c->sha, sizeof c->sha, git_commit_id(gc));
	const git_signature *a = git_commit_author(gc);
	c->author = xstrdup(a && a->name ? a->name : "");
	c->email = xstrdup(a && a->email ? a->email : "");
	c->time = a ? (double)a->when.time : 0.0;
	c->tz_minutes = a ? a->when.offset : 0;
	c->summary = summary_of(gc);
	const char *m = git_commit_message(gc);
	c->message = xstrdup(m ? m : "");
	c->nparents = git_commit_parentcount(gc);
}

static enum chg_status status_of(git_delta_t d)
{
	switch (d) {
	case GIT_DELTA_ADDED: return CHG_ADDED;
	case GIT_DELTA_DELETED: return CHG_DELETED;
	case GIT_DELTA_RENAMED: return CHG_RENAMED;
	case GIT_DELTA_COPIED: return CHG_COPIED;
	case GIT_DELTA_TYPECHANGE: return CHG_TYPECHANGE;
	default: return CHG_MODIFIED;
	}
}

/* Files of a diff (renames found first). */
/* The patch of delta i. fast: from the two blobs without a path, so no
 * .gitattributes lookup (a stat storm per file): binary is told by content.
 * The per-commit diffs of a range use it; a single commit or the range's
 * base -> head diff honour attributes. */
static int delta_patch(git_patch **p, git_diff *diff, size_t i, const git_diff_delta *d, git_repository *repo,
		       bool fast)
{
	if (!fast || d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT)
		return git_patch_from_diff(p, diff, i);
	git_blob *a = NULL, *b = NULL;
	int rc = 0;
	if (!git_oid_is_zero(&d->old_file.id))
		rc = git_blob_lookup(&a, repo, &d->old_file.id);
	if (rc == 0 && !git_oid_is_zero(&d->new_file.id))
		rc = git_blob_lookup(&b, repo, &d->new_file.id);
	if (rc == 0) {
		git_diff_options o;
		git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
		o.context_lines = 0;
		rc = git_patch_from_blobs(p, a, NULL, b, NULL, &o);
	}
	git_blob_free(a);
	git_blob_free(b);
	return rc;
}

static enum wz_status diff_files(struct git_repo *r, git_diff *diff, bool fast, struct chg_file **out,
				 size_t *nout, bool *truncated, struct wz_err *err)
{
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fo) != 0)
		return gitx_fail(err, r, "finding renames");
	size_t n = git_diff_num_deltas(diff), cap = 0, k = 0;
	struct chg_file *files = NULL;
	*truncated = false;
	for (size_t i = 0; i < n; i++) {
		if (k >= GIT_MAX_FILES) {
			*truncated = true;
			break;
		}
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_UNMODIFIED || d->status == GIT_DELTA_IGNORED ||
		    d->status == GIT_DELTA_UNTRACKED)
			continue;
		files = xgrow(files, &cap, k + 1, sizeof *files);
		struct chg_file *f = &files[k++];
		memset(f, 0, sizeof *f);
		f->status = status_of(d->status);
		f->path = xstrdup(d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path);
		if ((d->status == GIT_DELTA_RENAMED || d->status == GIT_DELTA_COPIED) && d->old_file.path)
			f->old_path = xstrdup(d->old_file.path);
		git_patch *p = NULL;
		if (delta_patch(&p, diff, i, d, r->repo, fast) != 0) {
			for (size_t j = 0; j < k; j++)
				chg_file_clear(&files[j]);
			free(files);
			return gitx_fail(err, r, "computing a patch");
		}
		bool bin = (d->flags & GIT_DIFF_FLAG_BINARY) ||
			   (p && (git_patch_get_delta(p)->flags & GIT_DIFF_FLAG_BINARY));
		if (!p || bin) {
			f->binary = bin;
			git_patch_free(p);
			continue;
		}
		size_t ctx, adds, dels;
		git_patch_line_stats(&ctx, &adds, &dels, p);
		f->adds = (long)adds;
		f->dels = (long)dels;
		size_t nh = git_patch_num_hunks(p);
		if (nh) {
			f->hunks = xcalloc(nh, sizeof *f->hunks);
			for (size_t h = 0; h < nh; h++) {
				const git_diff_hunk *hk = NULL;
				size_t lines;
				if (git_patch_get_hunk(&hk, &lines, p, h) == 0) {
					f->hunks[f->nhunks].start = hk->new_start;
					f->hunks[f->nhunks].count = hk->new_lines;
					f->nhunks++;
				}
			}
		}
		git_patch_free(p);
	}
	*out = files;
	*nout = k;
	return WZ_OK;
}

static enum wz_status tree_diff(struct git_repo *r, git_tree *a, git_tree *b, bool fast, struct chg_file **out,
				size_t *nout, bool *truncated, struct wz_err *err)
{
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	git_diff *diff = NULL;
	if (git_diff_tree_to_tree(&diff, r->repo, a, b, &o) != 0)
		return gitx_fail(err, r, "diffing two trees");
	enum wz_status st = diff_files(r, diff, fast, out, nout, truncated, err);
	git_diff_free(diff);
	return st;
}

enum wz_status gitx_commit_files(struct git_repo *r, const git_commit *gc, bool fast, struct chg_commit *c,
				 struct wz_err *err)
{
	git_tree *t = NULL, *pt = NULL;
	git_commit *parent = NULL;
	if (git_commit_tree(&t, gc) != 0)
		return gitx_fail(err, r, "reading a commit's tree");
	if (git_commit_parentcount(gc) > 0) {
		if (git_commit_parent(&parent, gc, 0) != 0 || git_commit_tree(&pt, parent) != 0) {
			git_commit_free(parent);
			git_tree_free(t);
			return gitx_fail(err, r, "reading a parent commit (shallow clone?)");
		}
	}
	enum wz_status st = tree_diff(r, pt, t, fast, &c->files, &c->nfiles, &c->files_truncated, err);
	git_tree_free(pt);
	git_commit_free(parent);
	git_tree_free(t);
	return st;
}

static enum wz_status lookup(struct git_repo *r, const char *sha, git_commit **c, struct wz_err *err)
{
	git_oid oid;
	if (git_oid_fromstr(&oid, sha) != 0 || git_commit_lookup(c, r->repo, &oid) != 0)
		return wz_err_set(err, WZ_EGIT, "commit %s is missing from %s%s", sha, r->dir,
				  r->shallow ? " (a shallow clone: run `git fetch --unshallow`)" : "");
	return WZ_OK;
}

enum wz_status git_changes(struct git_repo *r, const struct git_range *g, struct chg_set **out,
			   struct wz_err *err)
{
	*out = NULL;
	struct chg_set *s = xcalloc(1, sizeof *s);
	memcpy(s->base, g->base, sizeof s->base);
	memcpy(s->head, g->head, sizeof s->head);
	git_oid hoid, boid;
	enum wz_status st = WZ_OK;
	struct gitx_walk w = { 0 };
	if (git_oid_fromstr(&hoid, g->head) != 0 || (g->base[0] && git_oid_fromstr(&boid, g->base) != 0)) {
		st = wz_err_set(err, WZ_EGIT, "the commit range %s..%s is not two commit ids", g->base, g->head);
		goto out;
	}
	/* Newest first, so that the cap keeps the commits nearest head (the ones
	 * that matter for blame); the array is turned oldest-first below. */
	if ((st = gitx_range_walk(r, &hoid, g->base[0] ? &boid : NULL, gitx_cap(), &w, err)) != WZ_OK)
		goto out;
	s->commits_truncated = w.capped;
	s->commits = w.n ? xcalloc(w.n, sizeof *s->commits) : NULL;
	for (size_t i = 0; i < w.n; i++) {
		if ((i & 63) == 63 && gitx_stopped()) {
			st = gitx_cancelled(err, r, "reading the files of each commit of the range", i);
			goto out;
		}
		git_commit *gc = NULL;
		if (git_commit_lookup(&gc, r->repo, &w.v[i]) != 0) {
			st = gitx_fail(err, r, "reading a commit of the range");
			goto out;
		}
		struct chg_commit *c = &s->commits[s->ncommits++];
		gitx_commit_fill(c, gc);
		st = gitx_commit_files(r, gc, true, c, err);
		git_commit_free(gc);
		if (st != WZ_OK)
			goto out;
	}
	for (size_t i = 0, j = s->ncommits; j > 1 && i < j - 1; i++, j--) {
		struct chg_commit t = s->commits[i];
		s->commits[i] = s->commits[j - 1];
		s->commits[j - 1] = t;
	}
	/* base → head file list */
	git_commit *hc = NULL, *bc = NULL;
	git_tree *ht = NULL, *bt = NULL;
	if ((st = lookup(r, g->head, &hc, err)) != WZ_OK)
		goto out;
	if (g->base[0] && (st = lookup(r, g->base, &bc, err)) != WZ_OK) {
		git_commit_free(hc);
		goto out;
	}
	if (git_commit_tree(&ht, hc) != 0 || (bc && git_commit_tree(&bt, bc) != 0))
		st = gitx_fail(err, r, "reading the trees of the range");
	else {
		bool trunc = false;
		st = tree_diff(r, bt, ht, false, &s->files, &s->nfiles, &trunc, err);
	}
	git_tree_free(ht);
	git_tree_free(bt);
	git_commit_free(hc);
	git_commit_free(bc);
out:
	gitx_walk_free(&w);
	if (st != WZ_OK)
		chg_set_free(&s);
	*out = s;
	return st;
}

enum wz_status git_commit_show(struct git_repo *r, const char *rev, struct chg_commit **out,
			       struct wz_err *err)
{
	*out = NULL;
	git_object *obj = NULL, *peeled = NULL;
	if (!rev || git_revparse_single(&obj, r->repo, rev) != 0)
		return wz_err_set(err, WZ_EGIT, "no commit '%s' in %s%s", rev ? rev : "(null)", r->dir,
				  r->shallow ? " (a shallow clone: run `git fetch --unshallow`)" : "");
	int rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc != 0)
		return wz_err_set(err, WZ_EGIT, "'%s' in %s is not a commit", rev, r->dir);
	struct chg_commit *c = xcalloc(1, sizeof *c);
	gitx_commit_fill(c, (git_commit *)peeled);
	enum wz_status st = gitx_commit_files(r, (git_commit *)peeled, false, c, err);
	git_object_free(peeled);
	if (st != WZ_OK)
		chg_commit_free(&c);
	*out = c;
	return st;
}
