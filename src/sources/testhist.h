/* testhist.h - test history across runs (spec/analysis.md §6 "Inputs").
 *
 * For one run: its own per-test results (every JUnit, go test -json or TAP
 * report found by content under its build/ folder; coverage reports are
 * skipped, and a TAP capture inside a console log whose tests all appear
 * in a JUnit/go report of the same run is dropped as a duplicate), plus the
 * earlier observations of every test from the other runs under the same
 * .runs/ folder, ordered by when their tests ran, each with the commit it
 * ran on. Those observations feed reg_history_add_report().
 *
 * Per run, "when" is the build receipt's completed_at, else run_meta
 * updated_at, else created_at; "which commit" is a `commit:` line of
 * build/test_execution.md, else run_meta merge_sha. A line of
 * build/test_execution.md or build/flakiness_report.md that names a failed
 * test and says it passed on a re-run marks that failure as rerun-passed
 * (certain flakiness, §6.1).
 *
 * The run analysed is not walked again: its report files come from the
 * file inventory runs_open() built (run->inventory, model/inventory.h).
 *
 * Ownership: th_gather() hands back a struct th_history freed with
 * th_history_free(&h) (NULLs it); it owns every report, string and the
 * reg_history inside. The struct run passed in is borrowed for the call.
 */
#ifndef WZ_SOURCES_TESTHIST_H
#define WZ_SOURCES_TESTHIST_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/regressions.h"
#include "model/run.h"
#include "model/testreport.h"
#include "util/status.h"

/* Caps: other runs read, report files read per run. */
#define TH_MAX_RUNS    50
#define TH_MAX_REPORTS 64

/* One run's own test results. */
struct th_run {
	char *run_id;
	char *path;                 /* run folder */
	char *sha;                  /* commit the tests ran on; NULL unknown */
	char *sha_source;           /* e.g. "build/test_execution.md:34 commit" */
	double time;                /* when the tests ran (UTC seconds); NAN unknown */
	char *time_source;          /* "build receipt completed_at", ... */
	struct tr_report **reports; /* kept per-test reports, name order */
	size_t nreports;
	struct str_list dropped;    /* report paths not used, with why */
	struct str_list reruns;     /* test ids marked rerun-passed, with evidence */
	size_t executed, failed;    /* over the kept reports (tests only) */
};

struct th_history {
	struct th_run cur;          /* the run under analysis */
	struct th_run *earlier;     /* other runs whose tests ran before it, oldest first */
	size_t nearlier;
	size_t nlater;              /* other runs that ran later (not used) */
	size_t nundated;            /* other runs without any time (not used) */
	struct reg_history hist;    /* observations of the earlier runs, sorted */
	struct str_list warnings;   /* malformed reports, unreadable folders, caps */
	struct str_list caps;       /* limits that cut data short */
};

/* Reads one run folder's test results into out (cleared first). meta: the
 * run's JSON side (time, merge_sha), may be NULL. Never fails: problems go
 * to warn (may be NULL). */
void th_read_run(const char *run_path, const struct run *meta, struct th_run *out, struct str_list *warn);
void th_run_clear(struct th_run *r);

/* The history of run: its own results and the earlier runs' observations.
 * WZ_EUSAGE when run has no folder. */
enum wz_status th_gather(const struct run *run, struct th_history **out, struct wz_err *err);
/* The same with a progress/cancel hook (model/inventory.h; may be NULL):
 * WZ_ECANCELED (err says where, *out NULL) when it stopped. The run's own
 * report files come from run->inventory when it has one (the folder is not
 * walked again); each other run gets its own walk, bounded by
 * SCAN_HISTORY_DEPTH / SCAN_HISTORY_FILES and skipping SCAN_HEAVY_DIRS,
 * each cut said in caps. */
struct scan_hook;
enum wz_status th_gather_ex(const struct run *run, const struct scan_hook *hook, struct th_history **out,
			    struct wz_err *err);
void th_history_free(struct th_history **h);

/* The case of this run with the given id (first kept report wins), or NULL;
 * *report (may be NULL) gets the report holding it. */
const struct tr_case *th_find_case(const struct th_run *r, const char *test_id, const struct tr_report **report);

/* The module a test belongs to: the stem of its file (without a test_
 * prefix or _test/Test/Tests suffix), else the last component of its class
 * or suite. Caller frees; NULL when unknown. */
char *th_test_module(const struct tr_case *c);
/* path belongs to the module (stem equal to M, test_M, M_test, MTest, MTests). */
bool th_path_related(const char *module, const char *path);

#endif
