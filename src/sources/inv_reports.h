/* inv_reports.h - the test and coverage report files of a run, taken from
 * its file inventory (model/inventory.h) instead of walking the folder
 * again. Each file's format is sniffed from its content once (the result is
 * kept in the inventory, so the test history and the coverage evidence
 * share it); empty files are never opened.
 *
 * Ownership: fills a struct report_paths (sources/report_detect.h) the
 * caller releases with report_paths_free(); the inventory is borrowed (only
 * its sniff cache changes).
 */
#ifndef WZ_SOURCES_INV_REPORTS_H
#define WZ_SOURCES_INV_REPORTS_H

#include "model/inventory.h"
#include "sources/report_detect.h"
#include "util/status.h"

/* Adds to out the absolute paths of the files of inv under folder dir (e.g.
 * "build") whose content is a known report, in inventory (name) order; a
 * capped inventory adds its cap note to out->notes. The hook (may be NULL)
 * sees progress and may stop it: WZ_ECANCELED then (err says where). */
enum wz_status inv_report_paths(struct run_inventory *inv, const char *dir, const struct scan_hook *hook,
				struct report_paths *out, struct wz_err *err);

/* Test hook: files opened to sniff their format, process-wide. */
extern _Atomic unsigned long inv_report_sniffs;

#endif
