/* cov_evidence.h - gathers every coverage source of a run
 * (spec/run-artifacts.md §8, §14) into a struct cov_evidence, each value
 * with where it was read; nothing is chosen or dropped here:
 *
 *  - thresholds: plan/test_plan.md markers `- COVERAGE_LINE_REQUIRED: 70`,
 *    `COVERAGE_BRANCH_REQUIRED`, `COVERAGE_CRITICAL_PATH` (`null` = not
 *    applicable);
 *  - measured: build receipt coverage{line_coverage, branch_coverage}, gate
 *    receipt counts{coverage_line_percent, coverage_branch_percent},
 *    build/test_execution.md `## Coverage Result (Canonical): …` and its
 *    Machine Summary test_summary.coverage_percent, the gate/coverage_audit.md
 *    `## Results (mechanical)` table rows about line/branch/critical-path
 *    coverage;
 *  - reports: every Cobertura/JaCoCo/lcov file under the run's build/
 *    folder and, for the run being analysed only, the repository's usual
 *    coverage files — detected by content, never by name.
 *
 * Ownership: cov_gather() returns a cov_evidence freed with
 * cov_evidence_free(); cov_gather_history() fills an array the caller
 * releases with cov_history_free(). The struct run is only borrowed.
 */
#ifndef WZ_SOURCES_COV_EVIDENCE_H
#define WZ_SOURCES_COV_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/coverage.h"
#include "model/run.h"
#include "util/status.h"

/* Repository paths (relative to repo_root) examined for coverage reports. */
#define COV_REPO_FILES(X)                         \
	X("coverage.xml")                         \
	X("cobertura.xml")                        \
	X("jacoco.xml")                           \
	X("lcov.info")                            \
	X("coverage/lcov.info")                   \
	X("coverage/cobertura-coverage.xml")      \
	X("target/site/jacoco/jacoco.xml")        \
	X("build/reports/jacoco/test/jacocoTestReport.xml")

/* Coverage files we know of but cannot read (noted when present). */
#define COV_UNREAD_FILES(X)                       \
	X("coverage.json")                        \
	X("coverage/coverage-summary.json")       \
	X("coverage/coverage-final.json")         \
	X("coverage-summary.json")                \
	X("coverage-final.json")

/* The evidence of run r. label prefixes every `where` (e.g. "../<folder>/"
 * for an earlier run; "" for the run analysed). repo_files: also read the
 * repository's coverage files (they describe the working tree, so only
 * for the run being analysed). time orders runs (NAN unknown). */
struct cov_evidence *cov_gather(const struct run *r, const char *label, double time, bool repo_files);

/* The same for a run folder path (reads its JSON side with runs_load()). */
struct cov_evidence *cov_gather_path(const char *run_path, const char *root, const char *label,
				     double time);

/* The evidence of every run under r's runs folder that is older than r
 * (run_meta updated_at, else receipts, else file mtimes: the runs_list()
 * clock), oldest first. *head_time receives r's time on that clock (NAN
 * when unknown). Returns WZ_OK with n = 0 when there is no runs folder. */
enum wz_status cov_gather_history(const struct run *r, struct cov_evidence ***out, size_t *n,
				  double *head_time, struct wz_err *err);
void cov_history_free(struct cov_evidence ***v, size_t *n);

/* The same with a progress/cancel hook (model/inventory.h; may be NULL).
 * The run's own report files come from r->inventory when it has one (the
 * folder is not walked again); each earlier run gets its own walk, bounded
 * by SCAN_HISTORY_DEPTH / SCAN_HISTORY_FILES and skipping SCAN_HEAVY_DIRS,
 * a cut said in that run's notes. WZ_ECANCELED (nothing returned, err says
 * where) when the hook stopped it. */
struct scan_hook;
enum wz_status cov_gather_ex(const struct run *r, const char *label, double time, bool repo_files,
			     const struct scan_hook *hook, struct cov_evidence **out, struct wz_err *err);
enum wz_status cov_gather_history_ex(const struct run *r, const struct scan_hook *hook, struct cov_evidence ***out,
				     size_t *n, double *head_time, struct wz_err *err);

/* Fills the old side (old_start, old_count) of every hunk of ch that the
 * base..head diff of the repository holding repo_dir has (base "" = the
 * root). Hunks not found keep has_old false. WZ_EGIT when the repository
 * or a commit cannot be read (ch unchanged). */
struct cov_changes;
enum wz_status cov_changes_old_sides(const char *repo_dir, const char *base, const char *head,
				     struct cov_changes *ch, struct wz_err *err);

/* Parsers on text (exposed for tests). Each adds what it finds to e; rel
 * is the run-relative path used in `where` (after e->label). */
void cov_read_test_plan(struct cov_evidence *e, const char *text, size_t len, const char *rel);
void cov_read_test_execution(struct cov_evidence *e, const char *text, size_t len, const char *rel);
void cov_read_gate_table(struct cov_evidence *e, const char *text, size_t len, const char *rel);

#endif
