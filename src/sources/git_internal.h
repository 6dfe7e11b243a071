/* git_internal.h - shared between git.c, git_diff.c and git_blame.c only. */
#ifndef WZ_SOURCES_GIT_INTERNAL_H
#define WZ_SOURCES_GIT_INTERNAL_H

#include <git2.h>

#include "sources/git.h"

struct git_repo {
	git_repository *repo;
	char *dir;
	bool shallow;
};

/* Sets err from libgit2's last error: "<what> in <repo>: <libgit2 message>". */
enum wz_status gitx_fail(struct wz_err *err, const struct git_repo *r, const char *what);
/* The first line of a commit message, as `git blame --porcelain` shows it
 * in `summary` (libgit2's git_commit_summary joins the first paragraph). */
char *gitx_first_line(const char *msg);
/* Fills c's identity fields (no files) from a libgit2 commit. */
void gitx_commit_fill(struct chg_commit *c, const git_commit *gc);
/* Fills c->files from the diff of gc against its first parent. fast: the
 * patches come from the blobs alone (no .gitattributes lookups; binary by
 * content), for the many commits of a range. */
enum wz_status gitx_commit_files(struct git_repo *r, const git_commit *gc, bool fast, struct chg_commit *c,
				 struct wz_err *err);

/* The commits of base..head (base NULL: all of head's history), newest
 * first by commit time, at most cap; a walk stopped by the cap, the visit
 * bound (4 x cap + 1024 commits looked at) or the time budget is `capped`
 * and `next` is the newest commit left out. Cancel: WZ_ECANCELED. */
struct gitx_walk {
	git_oid *v;
	size_t n, walked;
	bool capped, timed_out, has_next;
	git_oid next;
};
enum wz_status gitx_range_walk(struct git_repo *r, const git_oid *head, const git_oid *base, size_t cap,
			       struct gitx_walk *out, struct wz_err *err);
void gitx_walk_free(struct gitx_walk *w);
/* The cap of this thread's walks (git_ctl or GIT_MAX_COMMITS). */
size_t gitx_cap(void);
/* This thread's git_ctl says stop. */
bool gitx_stopped(void);
/* Sets err to WZ_ECANCELED for `what`. */
enum wz_status gitx_cancelled(struct wz_err *err, const struct git_repo *r, const char *what, size_t walked);
/* git_merge_base through the process-wide memo (0, GIT_ENOTFOUND, or an error). */
int gitx_merge_base(struct git_repo *r, git_oid *mb, const git_oid *a, const git_oid *b);

#endif
