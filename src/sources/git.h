/* git.h - the run's git repository through libgit2: open (discovering from
 * a run's repo_root), resolve the run's commit range base..head, list the
 * changes of that range (renames followed, new-side hunks per commit), blame
 * chosen line ranges at head bounded by base, and a `git show`-like view of
 * one commit.
 *
 * Ownership: git_repo_open() hands back a handle released with
 * git_repo_close(&r) (NULLs it); it calls git_libgit2_init() and the close
 * the matching shutdown. A struct git_range owns its strings
 * (git_range_clear()). Change sets, commits and blame sets are the model
 * types of model/blame.h, freed with their *_free(). Errors name the
 * repository, the commit or file, and what to do.
 */
#ifndef WZ_SOURCES_GIT_H
#define WZ_SOURCES_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/blame.h"
#include "model/run.h"
#include "util/status.h"

struct git_repo;

/* Most commits / files per commit a change set holds (the rest is marked
 * truncated). */
#define GIT_MAX_COMMITS 5000
#define GIT_MAX_FILES   5000

/* Opens the repository holding path (searching upward). A non-git folder,
 * an empty repository (no commit yet) and a bare-clone mistake each get
 * their own message. Detached HEAD is fine. */
enum wz_status git_repo_open(const char *path, struct git_repo **out, struct wz_err *err);
void git_repo_close(struct git_repo **r);
/* Working tree (with a trailing '/'), or the git dir for a bare repository. */
const char *git_repo_dir(const struct git_repo *r);
bool git_repo_is_shallow(const struct git_repo *r);
/* HEAD detached from any branch. */
bool git_repo_head_detached(const struct git_repo *r);

struct git_range {
	char base[CHG_SHA_LEN + 1];   /* "" = from the root commit */
	char head[CHG_SHA_LEN + 1];
	char bound[CHG_SHA_LEN + 1];  /* oldest commit for blame: merge-base(base, head); "" none */
	char *how;                    /* where the range came from, e.g. "run_meta.json merge_sha (first parent..merge)" */
};
void git_range_clear(struct git_range *g);

/* Resolves head_rev (NULL: HEAD) and base_rev (NULL: the merge-base of head
 * with the default branch — origin/HEAD, else main, else master; "": no
 * base, the whole history is in range and blame is unbounded) to a
 * range. A revision git cannot find gives WZ_EGIT with a message saying
 * whether the clone is shallow (run `git fetch --unshallow`) or the commit is
 * simply missing (fetch it). */
enum wz_status git_range_resolve(struct git_repo *r, const char *base_rev, const char *head_rev,
				 struct git_range *out, struct wz_err *err);

/* The range of a run: run_meta merge_sha (head; base = its first parent,
 * bound = merge-base of the parents), else base_ref (base = merge-base of
 * base_ref and the run branch or HEAD), else the branch run/<run-id> against
 * its merge-base with the default branch. */
enum wz_status git_range_for_run(struct git_repo *r, const struct run *run, struct git_range *out,
				 struct wz_err *err);

/* Commits of base..head (oldest first, merges included but their files are
 * against the first parent) and the base → head file list with renames
 * followed and new-side hunks at head. */
enum wz_status git_changes(struct git_repo *r, const struct git_range *g, struct chg_set **out,
			   struct wz_err *err);

/* One line range to blame: path at head, lines [start, end] (1-based,
 * inclusive; clamped to the file). */
struct git_line_span {
	const char *path;
	long start, end;
};

/* Blames every span at head, bounded by g->bound (libgit2 oldest_commit),
 * one git_blame_file per path over the union of its spans. Each line says
 * whether its commit is in base..head; the others are pre-existing. A span
 * whose file is missing at head gets span->error, the rest still run. */
enum wz_status git_blame_spans(struct git_repo *r, const struct git_range *g,
			       const struct git_line_span *spans, size_t n, struct blame_set **out,
			       struct wz_err *err);

/* A `git show --stat`-like view of rev: sha, author, date, message, files
 * with +/- counts and hunks, against the first parent. */
enum wz_status git_commit_show(struct git_repo *r, const char *rev, struct chg_commit **out,
			       struct wz_err *err);

#endif
