/* git.c - opening the repository and resolving a run's commit range. */
#include "sources/git_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum wz_status gitx_fail(struct wz_err *err, const struct git_repo *r, const char *what)
{
	const git_error *e = git_error_last();
	return wz_err_set(err, WZ_EGIT, "%s in %s: %s", what, r && r->dir ? r->dir : "(repository)",
			  e && e->message ? e->message : "unknown libgit2 error");
}

enum wz_status git_repo_open(const char *path, struct git_repo **out, struct wz_err *err)
{
	*out = NULL;
	if (!path || !*path)
		return wz_err_set(err, WZ_EUSAGE, "no folder given to look for a git repository in; pass --repo DIR");
	git_libgit2_init();
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_libgit2_shutdown();
		return wz_err_set(err, WZ_EGIT,
				  "%s is not inside a git repository (no .git found here or above); "
				  "pass --repo DIR pointing at the run's repository", path);
	}
	if (rc != 0) {
		const git_error *e = git_error_last();
		git_libgit2_shutdown();
		return wz_err_set(err, WZ_EGIT, "cannot open the git repository at %s: %s", path,
				  e && e->message ? e->message : "unknown libgit2 error");
	}
	struct git_repo *r = xcalloc(1, sizeof *r);
	r->repo = repo;
	const char *d = git_repository_workdir(repo);
	r->dir = xstrdup(d ? d : git_repository_path(repo));
	r->shallow = git_repository_is_shallow(repo) == 1;
	if (git_repository_is_empty(repo) == 1) {
		wz_err_set(err, WZ_EGIT, "the git repository %s has no commits yet; nothing to blame "
			   "(commit something, or point --repo at the run's repository)", r->dir);
		git_repo_close(&r);
		return WZ_EGIT;
	}
	*out = r;
	return WZ_OK;
}

void git_repo_close(struct git_repo **r)
{
	if (!r || !*r)
		return;
	git_repository_free((*r)->repo);
	free((*r)->dir);
	free(*r);
	*r = NULL;
	git_libgit2_shutdown();
}

const char *git_repo_dir(const struct git_repo *r)
{
	return r ? r->dir : NULL;
}

bool git_repo_is_shallow(const struct git_repo *r)
{
	return r && r->shallow;
}

bool git_repo_head_detached(const struct git_repo *r)
{
	return r && git_repository_head_detached(r->repo) == 1;
}

void git_range_clear(struct git_range *g)
{
	if (!g)
		return;
	free(g->how);
	memset(g, 0, sizeof *g);
}

/* Resolves rev to a commit id; a missing object gets the shallow/missing
 * message. `what` says where the revision came from. */
static enum wz_status resolve(struct git_repo *r, const char *rev, const char *what, git_oid *oid,
			      struct wz_err *err)
{
	git_object *obj = NULL;
	int rc = git_revparse_single(&obj, r->repo, rev);
	if (rc == 0) {
		git_object *peeled = NULL;
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		git_object_free(obj);
		if (rc != 0)
			return wz_err_set(err, WZ_EGIT, "%s '%s' in %s does not name a commit", what, rev, r->dir);
		git_oid_cpy(oid, git_object_id(peeled));
		git_object_free(peeled);
		return WZ_OK;
	}
	if (r->shallow)
		return wz_err_set(err, WZ_EGIT,
				  "%s '%s' is missing from %s, which is a shallow clone; run "
				  "`git fetch --unshallow` there (blame unavailable until then)", what, rev, r->dir);
	return wz_err_set(err, WZ_EGIT,
			  "%s '%s' is missing from %s; fetch it (`git fetch origin %s`) or pass --repo "
			  "pointing at a clone that has it (blame unavailable until then)", what, rev, r->dir, rev);
}

static bool try_rev(struct git_repo *r, const char *rev, git_oid *oid)
{
	git_object *obj = NULL, *peeled = NULL;
	if (git_revparse_single(&obj, r->repo, rev) != 0)
		return false;
	int rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc != 0)
		return false;
	git_oid_cpy(oid, git_object_id(peeled));
	git_object_free(peeled);
	return true;
}

/* The default branch tip: origin/HEAD, else main, else master (local or origin). */
static bool default_branch(struct git_repo *r, git_oid *oid, const char **name)
{
	static const char *const cands[] = { "refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master",
					     "refs/remotes/origin/main", "refs/remotes/origin/master" };
	for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
		if (try_rev(r, cands[i], oid)) {
			*name = cands[i];
			return true;
		}
	return false;
}

/* Walks base..head (base NULL: the whole history) once, capped, and sets
 * head, base, bound, ncommits and capped. base_is_mb: the caller wants the
 * merge-base of base and head as the range's base (the same range). mb: the
 * bound when the caller knows it (NULL: the memoised merge-base). A capped
 * range needs no merge-base: its bound is the commit just past the cap. */
static enum wz_status set_range(struct git_repo *r, struct git_range *out, const git_oid *base,
				const git_oid *head, bool base_is_mb, const git_oid *mb, struct wz_err *err)
{
	struct gitx_walk w;
	enum wz_status st = gitx_range_walk(r, head, base, gitx_cap(), &w, err);
	if (st != WZ_OK)
		return st;
	git_oid_tostr(out->head, sizeof out->head, head);
	out->base[0] = out->bound[0] = '\0';
	out->ncommits = w.n;
	out->capped = w.capped;
	if (base)
		git_oid_tostr(out->base, sizeof out->base, base);
	if (w.capped) {
		if (w.has_next)
			git_oid_tostr(out->bound, sizeof out->bound, &w.next);
	} else if (base) {
		git_oid m;
		if (mb)
			git_oid_tostr(out->bound, sizeof out->bound, mb);
		else if (gitx_merge_base(r, &m, base, head) == 0)
			git_oid_tostr(out->bound, sizeof out->bound, &m);
		if (base_is_mb && !mb && out->bound[0])
			memcpy(out->base, out->bound, sizeof out->base);
	}
	gitx_walk_free(&w);
	return WZ_OK;
}

/* The base is the merge-base of base and head: a base sharing no history
 * with head is an error (capped ranges are not checked: too far to tell). */
static bool no_common(const struct git_range *g)
{
	return !g->capped && !g->bound[0];
}

/* Says in `how` that the range was capped. */
static void cap_note(struct git_range *g)
{
	if (!g->capped || !g->how)
		return;
	char *h = xasprintf("%s; range capped at %zu newest commits", g->how, g->ncommits);
	free(g->how);
	g->how = h;
}

static enum wz_status range_resolve(struct git_repo *r, const char *base_rev, const char *head_rev,
				    struct git_range *out, struct wz_err *err)
{
	git_oid head, base;
	enum wz_status st = resolve(r, head_rev ? head_rev : "HEAD", "head revision", &head, err);
	if (st != WZ_OK)
		return st;
	if (base_rev && !*base_rev) {
		if ((st = set_range(r, out, NULL, &head, false, NULL, err)) == WZ_OK)
			out->how = xasprintf("whole history..%s", head_rev ? head_rev : "HEAD");
		return st;
	}
	if (base_rev) {
		if ((st = resolve(r, base_rev, "base revision", &base, err)) != WZ_OK)
			return st;
		if ((st = set_range(r, out, &base, &head, false, NULL, err)) == WZ_OK)
			out->how = xasprintf("%s..%s", base_rev, head_rev ? head_rev : "HEAD");
		return st;
	}
	const char *dname = NULL;
	git_oid tip;
	if (default_branch(r, &tip, &dname) && (st = set_range(r, out, &tip, &head, true, NULL, err)) != WZ_OK)
		return st;
	if (!dname || no_common(out))
		return wz_err_set(err, WZ_EGIT,
				  "no base for %s in %s: no default branch (origin/HEAD, main, master) shares "
				  "history with it; give the base revision explicitly", head_rev ? head_rev : "HEAD", r->dir);
	out->how = xasprintf("merge-base(%s, %s)..%s", dname, head_rev ? head_rev : "HEAD",
			     head_rev ? head_rev : "HEAD");
	return WZ_OK;
}

enum wz_status git_range_resolve(struct git_repo *r, const char *base_rev, const char *head_rev,
				 struct git_range *out, struct wz_err *err)
{
	memset(out, 0, sizeof *out);
	enum wz_status st = range_resolve(r, base_rev, head_rev, out, err);
	if (st != WZ_OK)
		git_range_clear(out);
	else
		cap_note(out);
	return st;
}

static enum wz_status range_for_run(struct git_repo *r, const struct run *run, struct git_range *out,
				    struct wz_err *err)
{
	git_oid head, base;
	enum wz_status st;
	if (run->merge_sha && *run->merge_sha) {
		if ((st = resolve(r, run->merge_sha, "run_meta.json merge_sha", &head, err)) != WZ_OK)
			return st;
		git_commit *c = NULL;
		if (git_commit_lookup(&c, r->repo, &head) != 0)
			return gitx_fail(err, r, "reading the merge commit");
		unsigned np = git_commit_parentcount(c);
		if (np == 0) {
			git_commit_free(c);
			if ((st = set_range(r, out, NULL, &head, false, NULL, err)) == WZ_OK)
				out->how = xstrdup("run_meta.json merge_sha (a root commit: the whole history)");
			return st;
		}
		git_oid_cpy(&base, git_commit_parent_id(c, 0));
		/* one parent: it is the merge-base; two: the parents' merge-base */
		git_oid mb;
		bool known = np == 1;
		if (known)
			git_oid_cpy(&mb, &base);
		else if (gitx_merge_base(r, &mb, git_commit_parent_id(c, 0), git_commit_parent_id(c, 1)) == 0)
			known = true;
		git_commit_free(c);
		if ((st = set_range(r, out, &base, &head, false, known ? &mb : NULL, err)) != WZ_OK)
			return st;
		out->how = xasprintf("run_meta.json merge_sha %.12s (first parent..merge)", out->head);
		return WZ_OK;
	}
	char *branch = run->id ? xasprintf("refs/heads/run/%s", run->id) : NULL;
	char *rbranch = run->id ? xasprintf("refs/remotes/origin/run/%s", run->id) : NULL;
	const char *head_name = NULL;
	if (branch && try_rev(r, branch, &head))
		head_name = branch;
	else if (rbranch && try_rev(r, rbranch, &head))
		head_name = rbranch;
	if (run->base_ref && *run->base_ref) {
		if (!head_name) {
			if (!try_rev(r, "HEAD", &head)) {
				free(branch);
				free(rbranch);
				return gitx_fail(err, r, "reading HEAD");
			}
			head_name = "HEAD";
		}
		st = resolve(r, run->base_ref, "run_meta.json base_ref", &base, err);
		if (st == WZ_OK && (st = set_range(r, out, &base, &head, true, NULL, err)) == WZ_OK) {
			if (no_common(out))
				st = wz_err_set(err, WZ_EGIT, "base_ref '%s' and %s share no history in %s",
						run->base_ref, head_name, r->dir);
			else
				out->how = xasprintf("merge-base(run_meta.json base_ref %s, %s)..%s", run->base_ref,
						     head_name, head_name);
		}
		free(branch);
		free(rbranch);
		return st;
	}
	if (!head_name) {
		st = wz_err_set(err, WZ_EGIT,
				"run %s has no merge_sha or base_ref in run_meta.json and %s has no branch "
				"run/%s; cannot tell which commits the run made (blame unavailable)",
				run->id ? run->id : "(unnamed)", r->dir, run->id ? run->id : "");
		free(branch);
		free(rbranch);
		return st;
	}
	const char *dname = NULL;
	git_oid tip;
	st = WZ_OK;
	if (default_branch(r, &tip, &dname))
		st = set_range(r, out, &tip, &head, true, NULL, err);
	if (st == WZ_OK && (!dname || no_common(out)))
		st = wz_err_set(err, WZ_EGIT, "no default branch (origin/HEAD, main, master) in %s shares "
				"history with %s; set base_ref in run_meta.json", r->dir, head_name);
	else if (st == WZ_OK)
		out->how = xasprintf("merge-base(%s, %s)..%s", dname, head_name, head_name);
	free(branch);
	free(rbranch);
	return st;
}

enum wz_status git_range_for_run(struct git_repo *r, const struct run *run, struct git_range *out,
				 struct wz_err *err)
{
	memset(out, 0, sizeof *out);
	enum wz_status st = range_for_run(r, run, out, err);
	if (st != WZ_OK)
		git_range_clear(out);
	else
		cap_note(out);
	return st;
}
