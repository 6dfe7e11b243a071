/* viewer.h - the artifact viewer: a run file shown read-only with line
 * numbers; the app scrolls, wraps and searches it (ui.md §3.1, §9).
 *
 * The file is read once into memory with an index of line offsets; no
 * per-line copy is made. A file over VIEWER_MAX_BYTES is paged instead
 * (viewer_paged.h): a sparse index of every 1024th line built by a
 * cancellable job, lines read with pread when drawn, searches streamed. Only the lines on screen are sanitised and turned
 * into rows, cached per line (and per search, so matches are drawn in the
 * `search-match` role). Files over VIEWER_SYNC_BYTES are read and indexed
 * by a job (progress in the status bar, `Esc` or `<C-c>` cancels); a search
 * over more than VIEWER_SEARCH_JOB_LINES lines runs as a job too, and n/N
 * use its partial results while it runs.
 *
 * Ownership: a struct viewer owns its strings, its row cache and one
 * reference to the shared document (jobs hold their own references);
 * viewer_close() releases them and cancels the viewer's jobs (a zeroed
 * viewer is closed).
 */
#ifndef WZ_UI_VIEWER_H
#define WZ_UI_VIEWER_H

#include "ui/pane.h"

#define VIEWER_MAX_BYTES ((size_t)64 << 20)   /* read whole up to here; paged beyond */
#define VIEWER_INDEX_BUDGET ((size_t)64 << 20) /* a full line index over this is said */
#define VIEWER_LINE_MAX 4096          /* display lines stop here (ui.md §9) */
#define VIEWER_SYNC_BYTES ((long)256 << 10)
#define VIEWER_SEARCH_JOB_LINES 10000
#define VIEWER_CACHE 512              /* built rows kept (a power of two) */

struct vdoc;
struct vsearch;

struct vcache_slot {
	size_t line;
	unsigned search_gen;
	bool used;
	struct ui_row row;
};

struct viewer {
	char *rel;             /* path relative to the run folder */
	char *error;           /* why it could not be read, or NULL */
	int owner;             /* job owner (the pane's index) */
	int tab_size;
	bool loading;          /* the read job has not finished */
	struct vdoc *doc;      /* NULL while loading or on error */
	size_t nlines;
	long size;
	int digits;
	struct vcache_slot *cache;     /* VIEWER_CACHE slots, made on first use */
	const struct ui_data *d;       /* for the search highlight (set by build) */
	struct ui_row scratch;         /* placeholder row */
	/* search */
	struct vsearch *search;        /* the last search over this document */
	struct pane_view *search_view; /* whose cursor a pending n/N moves */
	int pending_dir;               /* 0: none; else waiting for results */
};

/* Opens run_path/rel; never fails: a read error is shown in the body.
 * owner: the pane index whose jobs (read, search) these are. */
void viewer_open(struct viewer *v, const char *run_path, const char *rel, int tab_size,
		 int owner);
/* Title (breadcrumb: crumb › rel) and the virtual body for one frame. */
void viewer_build(struct viewer *v, const char *crumb, const struct ui_data *d,
		  struct pane_frame *f);
void viewer_close(struct viewer *v);

/* Moves view->cursor to the next (dir > 0) or previous match of pattern
 * (regcomp flags cflags), wrapping. Small files are searched at once; big
 * ones by a job, and the cursor moves when its results arrive. */
void viewer_search(struct viewer *v, const char *pattern, int cflags, int dir,
		   struct pane_view *view);

/* Where viewer messages go ("search wrapped", "no match"): set by the app. */
void viewer_set_notifier(void (*fn)(void *ctx, bool error, const char *msg), void *ctx);

#endif
