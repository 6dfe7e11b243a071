/* runs.h - run discovery and the JSON side of a run: run_meta.json,
 * .runs/index.json and every <flow>/<flow>_receipt.json
 * (spec/run-artifacts.md §1, §2, §4, §10, §15).
 *
 * Ownership: runs_list() hands back a struct run_list the caller releases
 * with run_list_free(&l); runs_open() hands back a struct run the caller
 * releases with run_free(&r). Every string inside is owned by its struct.
 * Nothing here aborts on bad input: unparseable JSON, wrong types, symlink
 * loops and oversize files become warnings naming the file (and line).
 */
#ifndef WZ_SOURCES_RUNS_H
#define WZ_SOURCES_RUNS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "util/status.h"

/* Largest receipt / run_meta / index we read whole (a real receipt is < 6 KiB). */
#define RUNS_JSON_MAX ((size_t)16 << 20)

struct run_entry {
	char *id;            /* run_meta.run_id, else index run_id, else folder name */
	char *path;          /* absolute run folder, NULL when indexed but not present */
	bool present, indexed, has_meta;
	double updated;      /* run_meta.updated_at, else newest receipt completed_at, else newest file mtime; NAN */
	char *task_title;    /* may be NULL */
	enum receipt_status flow_status[FLOW_COUNT];  /* from receipts (RS_ABSENT when no receipt) */
	bool flow_dir[FLOW_COUNT];
	enum run_generation generation;
	char *note;          /* e.g. "indexed, not present", "no run_meta.json" */
	/* added: */
	char *folder;        /* folder name under root (NULL when not present) */
	char *updated_source;/* "run_meta.updated_at", "receipt completed_at", "file mtime", "index.json" */
};

struct run_list {
	struct run_entry *v;
	size_t n;
	char *root;          /* the .runs/ (or swarm/runs/) folder */
	/* added: problems met while listing (unparseable index.json, loops, …) */
	struct str_list warnings;
};

/* where: a repo root, a .runs/ folder, a run folder, a Flow Studio RUN_BASE, or NULL
 * (then $RUN_BASE, else ./.runs, else ./swarm/runs). Sorted newest first. */
enum wz_status runs_list(const char *where, struct run_list **out, struct wz_err *err);
void run_list_free(struct run_list **l);

/* spec: a run id, a run folder path, or NULL (newest); repo: --repo DIR or NULL.
 * Loads everything JSON-derived into a new struct run, then calls runmd_fill(r).
 * WZ_ENORUN with a helpful message when nothing is found. */
enum wz_status runs_open(const char *spec, const char *repo, struct run **out, struct wz_err *err);
/* The same, walking the run's folders once with a progress/cancel hook
 * (model/inventory.h; may be NULL): WZ_ECANCELED when the hook stopped it.
 * The run's file inventory (r->inventory) is what later readers use. */
struct scan_hook;
struct scan_limits;
enum wz_status runs_open_ex(const char *spec, const char *repo, const struct scan_hook *hook, struct run **out,
			    struct wz_err *err);

/* Loads the JSON side of one run folder (no markdown). root: the folder
 * holding it (may be NULL: then its parent). Never fails for a folder that
 * exists; problems go to r->warnings. */
struct run *runs_load(const char *run_path, const char *root);
/* The same with walk bounds (NULL: defaults) and a hook (may be NULL); a
 * capped walk is said in r->warnings and r->inventory->cap_note. */
struct run *runs_load_ex(const char *run_path, const char *root, const struct scan_limits *lim,
			 const struct scan_hook *hook);

/* "VERIFIED", "UNVERIFIED", "CANNOT_PROCEED", "PARTIAL", "IN_PROGRESS",
 * "other" (use receipt.status_raw), "absent". */
const char *receipt_status_word(enum receipt_status s);
/* Maps a status word (exact case) to the enum; RS_OTHER when unknown. */
enum receipt_status receipt_status_parse(const char *word);

#endif
