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
 * truncated). Every walk of a range stops at GIT_MAX_COMMITS commits (the
 * newest are kept) or after GIT_WALK_SECONDS, whichever comes first. */
#define GIT_MAX_COMMITS  5000
#define GIT_MAX_FILES    5000
#define GIT_WALK_SECONDS 10.0

/* Walk control for the calling thread: every walk this module makes
 * (range, changes, blame set) polls stop() every 256 commits and returns
 * WZ_ECANCELED when it says so, reports the commits walked through
 * progress(), and uses the caps given here (0: the defaults above). Set it
 * around the git work of a job; NULL clears. The struct is borrowed: it
 * must outlive the calls made while it is set. Without one, the thread's
 * fio_progress hooks (util/fileio.h; every job worker installs its job's)
 * are used: stop() cancels, report(walked, cap) shows progress. */
struct job;
struct git_ctl {
	bool (*stop)(void *ctx);
	void (*progress)(void *ctx, size_t walked);
	void *ctx;
	size_t max_commits;   /* 0: GIT_MAX_COMMITS */
	double max_seconds;   /* <= 0: GIT_WALK_SECONDS */
};
void git_ctl_set(const struct git_ctl *c);
const struct git_ctl *git_ctl_get(void);
/* Fills c for a worker job: stop = job_stop(j), progress = job_progress(j). */
void git_ctl_for_job(struct git_ctl *c, struct job *j);

/* Merge-bases are remembered process-wide (by repository and commit pair),
 * so the analyses that each resolve a run's range compute it once. Test
 * hooks: how many were computed so far, and forgetting them. */
size_t git_merge_base_computed(void);
void git_merge_base_forget(void);

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
	char *how;                    /* where the range came from, e.g. "run_meta.json merge_sha (first parent..merge)";
				       * ends with "; range capped at N newest commits" when capped */
	bool capped;                  /* base..head holds more than the cap: bound is the commit just past
				       * the N newest (lines older count as pre-existing) and base may be
				       * the given base rather than the merge-base (the same range) */
	size_t ncommits;              /* commits in base..head as walked (at most the cap) */
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
