/* demo.h - `wisdom demo`: the bundled offline scenario.
 *
 * The demo content (demo/ at the top of the source tree, installed into
 * $(pkgdatadir)/demo) holds a readable commit script (demo/history/) and
 * the run artifacts (demo/runs/). demo_prepare() replays the script into a
 * fresh git repository with fixed authors and dates (so every SHA is the
 * same on every machine), copies the runs into its .runs/ with the real
 * SHAs substituted, and keeps the result in a cache directory named after
 * the version and a hash of the content, so the next start reuses it.
 *
 * Ownership: every returned string is malloc'd and freed by the caller.
 */
#ifndef WZ_DEMO_DEMO_H
#define WZ_DEMO_DEMO_H

#include "util/status.h"

/* The run the demo opens by default (the newest of its runs). */
#define DEMO_RUN_ID "local-checkout-skew-4b7e21"
/* The older run it is compared with. */
#define DEMO_BASE_RUN_ID "local-checkout-base-1a2b3c"

/* Prepares (or reuses) the demo repository under the user's cache
 * ($XDG_CACHE_HOME/wisdom, else ~/.cache/wisdom, else $TMPDIR) and sets
 * *repo_path to it. Safe against concurrent callers and against half-built
 * directories left by a killed process. */
enum wz_status demo_prepare(char **repo_path, struct wz_err *err);

/* The same with an explicit cache root (created when missing) and content
 * directory (NULL: demo_content_dir()). *rebuilt (may be NULL) tells
 * whether this call built the repository (1) or reused it (0). */
enum wz_status demo_prepare_in(const char *cache_root, const char *content_dir,
			       char **repo_path, int *rebuilt, struct wz_err *err);

/* Where the demo content is: $WISDOM_DEMO_DIR; else, when this binary runs
 * from the build tree, the source tree's demo/; else the installed
 * $(pkgdatadir)/demo; else the source tree's. */
enum wz_status demo_content_dir(char **dir, struct wz_err *err);

/* The cache root demo_prepare() uses (created). */
enum wz_status demo_cache_root(char **root, struct wz_err *err);

/* Hex digest (12 chars) of every file under the content directory. */
enum wz_status demo_content_hash(const char *content_dir, char out[13], struct wz_err *err);

struct cli_opts;
/* `wisdom demo [RUN]`: prepares the demo, then runs `console` (the TUI,
 * passed in by main.c; NULL = none) on it like `wisdom --repo DIR [RUN]`.
 * Without a terminal (and without --script), or when the console reports
 * it is not available (status 2), prints the headless `analyze` report. */
int demo_main(const struct cli_opts *o, int (*console)(const struct cli_opts *o));

#endif
