/* blame.h - what git tells about a change: the commits of a range with
 * their files and new-side hunks (chg_*), and per-line blame of chosen line
 * ranges (blame_*).
 *
 * Filled by sources/git.c, read by analysis/regressions.c and the UI.
 * Ownership: a chg_set owns its commits and files, a chg_commit its files,
 * a blame_set its spans and lines; every string inside is owned by its
 * struct. Free with chg_set_free(), chg_commit_free(), blame_set_free(); each
 * sets the pointer to NULL. Text (names, messages, paths) is untrusted:
 * sanitise before drawing.
 */
#ifndef WZ_MODEL_BLAME_H
#define WZ_MODEL_BLAME_H

#include <stdbool.h>
#include <stddef.h>

#define CHG_SHA_LEN 40

/* X(enum, letter, word) - how a file changed (git diff --name-status). */
#define CHG_STATUS_TABLE(X)                       \
	X(CHG_ADDED,      'A', "added")           \
	X(CHG_MODIFIED,   'M', "modified")        \
	X(CHG_DELETED,    'D', "deleted")         \
	X(CHG_RENAMED,    'R', "renamed")         \
	X(CHG_COPIED,     'C', "copied")          \
	X(CHG_TYPECHANGE, 'T', "type changed")

enum chg_status {
#define CHG_X(e, letter, word) e,
	CHG_STATUS_TABLE(CHG_X)
#undef CHG_X
	CHG_STATUS_COUNT
};
const char *chg_status_word(enum chg_status s);
char chg_status_letter(enum chg_status s);

/* A hunk on the new side: lines [start, start+count) (1-based). count 0 is
 * a pure deletion just after line `start`. */
struct chg_hunk {
	long start, count;
};

struct chg_file {
	char *path;               /* new path (old path for a deletion) */
	char *old_path;           /* the path before a rename/copy, else NULL */
	enum chg_status status;
	long adds, dels;          /* changed lines (0 for binary) */
	bool binary;
	struct chg_hunk *hunks;
	size_t nhunks;
};

struct chg_commit {
	char sha[CHG_SHA_LEN + 1];
	char *author;             /* name */
	char *email;
	double time;              /* author time, UTC seconds */
	int tz_minutes;           /* author's UTC offset */
	char *summary;            /* first line of the message */
	char *message;            /* full message */
	size_t nparents;
	struct chg_file *files;   /* against the first parent (root: empty tree) */
	size_t nfiles;
	bool files_truncated;     /* more than the bound of files */
};

struct chg_set {
	char base[CHG_SHA_LEN + 1];   /* "" when the range starts at the root */
	char head[CHG_SHA_LEN + 1];
	struct chg_commit *commits;   /* oldest first (topological, then time) */
	size_t ncommits;
	bool commits_truncated;
	struct chg_file *files;       /* base → head, renames followed; paths at head */
	size_t nfiles;
};

/* One line of a blamed span. */
struct blame_line {
	long line;                /* line at head (1-based) */
	long orig_line;           /* line in the commit that last changed it */
	char sha[CHG_SHA_LEN + 1];
	char *author, *email;
	double time;              /* author time, UTC seconds */
	int tz_minutes;
	char *summary;
	char *orig_path;          /* path in that commit (differs after a rename) */
	bool in_range;            /* the commit is in base..head */
	bool pre_existing;        /* last changed before base (not in the range) */
};

struct blame_span {
	char *path;               /* path at head */
	long start, end;          /* asked range, inclusive, clamped to the file */
	struct blame_line *lines;
	size_t nlines;
	char *error;              /* this span could not be blamed (e.g. file gone) */
};

struct blame_set {
	struct blame_span *v;
	size_t n;
};

void chg_file_clear(struct chg_file *f);
void chg_commit_clear(struct chg_commit *c);
void chg_commit_free(struct chg_commit **c);
void chg_set_free(struct chg_set **s);
/* The file of the set at head path p, or NULL. */
const struct chg_file *chg_set_file(const struct chg_set *s, const char *path);
/* The commit with this sha (full or a prefix of >= 7 characters), or NULL. */
const struct chg_commit *chg_set_commit(const struct chg_set *s, const char *sha);
void blame_set_free(struct blame_set **b);

#endif
