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
/* Fills c->files from the diff of gc against its first parent. */
enum wz_status gitx_commit_files(struct git_repo *r, const git_commit *gc, struct chg_commit *c,
				 struct wz_err *err);

#endif
