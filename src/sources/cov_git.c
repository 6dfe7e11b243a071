/* cov_git.c - old-side line numbers of the change's hunks, so the coverage
 * analysis can map every unchanged head line to its base line (lcov LBC).
 * sources/git.h keeps only new-side hunks; this reads the same
 * base..head tree diff (no context lines, renames followed) once more and
 * fills the old side of each hunk it already knows. */
#include "config.h"
#include "sources/cov_evidence.h"
#include "analysis/coverage.h"
#include "util/xalloc.h"

#include <git2.h>
#include <string.h>

static git_tree *tree_of(git_repository *repo, const char *sha, bool *bad)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *t = NULL;
	if (!sha || !sha[0])
		return NULL;   /* the root: empty tree */
	if (git_oid_fromstr(&oid, sha) != 0 || git_commit_lookup(&c, repo, &oid) != 0 ||
	    git_commit_tree(&t, c) != 0)
		*bad = true;
	git_commit_free(c);
	return t;
}

static void fill_file(git_patch *p, struct cov_change *f)
{
	size_t h, nh = git_patch_num_hunks(p);
	for (h = 0; h < nh; h++) {
		const git_diff_hunk *hk = NULL;
		size_t lines, k;
		if (git_patch_get_hunk(&hk, &lines, p, h) != 0)
			continue;
		for (k = 0; k < f->nhunks; k++)
			if (f->hunks[k].start == hk->new_start && f->hunks[k].count == hk->new_lines &&
			    !f->hunks[k].has_old) {
				f->hunks[k].has_old = true;
				f->hunks[k].old_start = hk->old_start;
				f->hunks[k].old_count = hk->old_lines;
				break;
			}
	}
}

enum wz_status cov_changes_old_sides(const char *repo_dir, const char *base, const char *head,
				     struct cov_changes *ch, struct wz_err *err)
{
	git_repository *repo = NULL;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	git_diff_find_options fo;
	bool bad = false;
	enum wz_status st = WZ_OK;
	size_t i, j, n;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, repo_dir, 0, NULL) != 0) {
		const git_error *e = git_error_last();
		st = wz_err_set(err, WZ_EGIT, "%s: cannot open the git repository (%s); patch lines keep new-side "
			       "numbers only", repo_dir, e && e->message ? e->message : "unknown error");
		goto out;
	}
	a = tree_of(repo, base, &bad);
	b = tree_of(repo, head, &bad);
	if (bad || !b) {
		st = wz_err_set(err, WZ_EGIT, "%s: commit %s or %s not found; fetch it to map base lines", repo_dir,
				base && base[0] ? base : "(root)", head ? head : "(none)");
		goto out;
	}
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, a, b, &o) != 0 || git_diff_find_similar(diff, &fo) != 0) {
		st = wz_err_set(err, WZ_EGIT, "%s: cannot diff %s..%s", repo_dir, base, head);
		goto out;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
		for (j = 0; path && j < ch->n; j++) {
			git_patch *p = NULL;
			if (strcmp(ch->v[j].path, path) != 0 || !ch->v[j].nhunks)
				continue;
			if (git_patch_from_diff(&p, diff, i) == 0 && p)
				fill_file(p, &ch->v[j]);
			git_patch_free(p);
			break;
		}
	}
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return st;
}
