/* report_detect.h - standard test and coverage reports: detect, read, walk.
 *
 * The entry points `wisdom tests` and the investigation use. The format is
 * detected from the content (first 64 KiB), never from the file name.
 * Ownership: report_read() hands the caller a tr_report to free with
 * tr_report_free(); report_walk() fills a report_paths the caller releases
 * with report_paths_free().
 */
#ifndef WZ_SOURCES_REPORT_DETECT_H
#define WZ_SOURCES_REPORT_DETECT_H

#include <stddef.h>
#include "model/testreport.h"
#include "util/status.h"

/* Bytes examined by detection. */
#define REPORT_DETECT_BYTES (64u << 10)

/* Format of a buffer holding the start of a file; TR_FMT_UNKNOWN if none. */
enum tr_format report_detect_buf(const char *data, size_t n);

/* Reads path and parses it. fmt TR_FMT_UNKNOWN detects it. Returns WZ_OK
 * with *out set even when the file is malformed (out->malformed, recovered
 * part counted). Returns an error (and *out NULL) for a missing, unreadable
 * or non-regular file, or one that is no known report format (WZ_ETYPE). */
enum wz_status report_read(const char *path, enum tr_format fmt, struct tr_report **out,
			   struct wz_err *err);
/* Same with a keep policy (model/testreport.h): TR_KEEP_FAILURES stores at
 * most keep_max (0: TR_KEEP_MAX_DEFAULT) failures/errors and only counts the
 * other entries; totals are the same as with report_read(). */
enum wz_status report_read_keep(const char *path, enum tr_format fmt, enum tr_keep keep, size_t keep_max,
				struct tr_report **out, struct wz_err *err);

/* Files found under a directory whose content is a known report. */
struct report_paths {
	char **v;
	size_t n, cap;
	char **notes;           /* what was skipped and why (loops, unreadable) */
	size_t nnotes, notes_cap;
};

/* Walks dir (following symlinks, each directory once, depth <= 32, at most
 * 100000 entries), adding report files in name order to out. */
enum wz_status report_walk(const char *dir, struct report_paths *out, struct wz_err *err);
void report_paths_free(struct report_paths *p);

#endif
