/* inventory.h - the file inventory of one run folder, built once by the
 * flow-folder walk (sources/runs_json.c, runs_scan_flows) and read by every
 * later reader of the same run (the test history, the coverage evidence)
 * instead of walking the tree again; and the progress/cancel hook that
 * long walks and readers accept.
 *
 * The inventory lists every regular file (symlinks to files included,
 * linked folders never followed) under the run's flow folders, depth-first
 * in byte order of the names within each folder, with its size, mtime and
 * a lazily sniffed report format. A walk may be bounded (struct
 * scan_limits): when a limit cuts it short, `capped` is set and `cap_note`
 * says which limit and where.
 *
 * Ownership: struct run owns its inventory (run->inventory, freed by
 * run_free() through run_inventory_free()); every string inside is owned by
 * the inventory. The hook and its cancel flag belong to the caller and must
 * outlive the call they are passed to.
 */
#ifndef WZ_MODEL_INVENTORY_H
#define WZ_MODEL_INVENTORY_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* Progress and cancellation of a walk or a reader. All members optional.
 * progress() gets the files seen so far and a short phase text ("scanning
 * build", "reading reports"); it is called every SCAN_PROGRESS_EVERY files
 * and at phase ends. A walk stops as soon as *cancel is non-zero or stop()
 * says true, and the caller gets WZ_ECANCELED. */
struct scan_hook {
	void (*progress)(void *arg, size_t files, const char *phase);
	bool (*stop)(void *arg);
	void *arg;
	const volatile sig_atomic_t *cancel;
};
#define SCAN_PROGRESS_EVERY 1024

/* True when the hook asks to stop. h NULL: the calling thread's
 * fio_progress hooks (util/fileio.h) decide, as for every streamed read. */
bool scan_hook_stopped(const struct scan_hook *h);
/* Calls the hook's progress callback; h NULL: the thread's fio_progress
 * report (files as done, total unknown). */
void scan_hook_report(const struct scan_hook *h, size_t files, const char *phase);

/* Bounds of a walk. 0 in a field means "the default" (SCAN_*_DEFAULT). */
struct scan_limits {
	int max_depth;          /* folder levels below the run folder */
	size_t max_files;       /* regular files recorded */
	bool skip_heavy;        /* skip SCAN_HEAVY_DIRS folders (said in cap_note) */
};
#define SCAN_DEPTH_DEFAULT 32
#define SCAN_FILES_DEFAULT ((size_t)1000000)
/* The bounds used for the runs a history reads (not the one analysed). */
#define SCAN_HISTORY_DEPTH 8
#define SCAN_HISTORY_FILES ((size_t)20000)

/* Folders a bounded walk skips: tool and dependency trees, never artifacts. */
#define SCAN_HEAVY_DIRS(X) X(".git") X("node_modules") X("target") X(".venv") X("__pycache__")

/* Whether the file's content is a known report (sniffed on first ask). */
enum inv_sniff { INV_SNIFF_NOT_YET = 0, INV_SNIFF_NONE, INV_SNIFF_REPORT };

struct inv_file {
	char *rel;              /* path relative to the run folder, e.g. "build/junit.xml" */
	long long size;
	double mtime;           /* UTC seconds */
	_Atomic unsigned char sniff;   /* enum inv_sniff; atomic: readers on several threads */
	_Atomic signed char format;    /* enum tr_format once sniffed as a report */
};

struct run_inventory {
	char *root;             /* absolute run folder */
	struct inv_file *v;
	size_t n, cap;
	size_t ndirs;           /* folders opened by the walk */
	bool capped;            /* a limit cut the walk short */
	bool canceled;          /* the hook stopped the walk */
	char *cap_note;         /* which limit, where (NULL when not capped) */
};

struct run_inventory *run_inventory_new(const char *root);
void run_inventory_free(struct run_inventory **inv);
/* Appends a file (rel copied). */
struct inv_file *run_inventory_add(struct run_inventory *inv, const char *rel, long long size, double mtime);
/* Notes a cut (the first note is kept; later ones are counted into it). */
void run_inventory_cap(struct run_inventory *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Index range [*lo, *hi) of the files under folder `dir` ("build"): the
 * walk lists a folder's files contiguously. */
void run_inventory_under(const struct run_inventory *inv, const char *dir, size_t *lo, size_t *hi);

/* Test hook: every folder the run walk opens, process-wide. */
extern _Atomic unsigned long run_inventory_dir_opens;

#endif
