/* md_logscan.h - the runner-log scanner of md_tests.h, fed in blocks.
 *
 * mdt_runner_log() needs the whole log in memory; this scanner gives the
 * same counts, runner and first-evidence line from any split of the same
 * bytes into blocks (1 byte, 7 bytes, 1 MiB, sparse holes), with memory
 * bounded by line_max whatever the file's size:
 *  - ANSI CSI/OSC escapes are removed as txt_strip_ansi() does, also when
 *    an escape spans blocks or lines;
 *  - lines end at LF (a CR before it is dropped); of a line holding bare
 *    CRs only the part after the last one is read, as a terminal shows it;
 *  - a (last) segment longer than line_max bytes is cut: its first
 *    line_max bytes are read, the cut is counted (ncut, first_cut_line);
 *  - the first invalid UTF-8 byte of the raw input is found (bad_utf8).
 *
 * mdt_logscan_file() streams a file through fio_stream(): progress and
 * cancel come from the thread's fio_progress hooks (a job's, in the
 * console).
 *
 * Ownership: a struct mdt_logscan owns its line buffer; mdt_logscan_free()
 * releases it (a zeroed scanner may be freed).
 */
#ifndef WZ_SOURCES_MD_LOGSCAN_H
#define WZ_SOURCES_MD_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/md_tests.h"
#include "util/status.h"

#define MDT_LINE_MAX ((size_t)64 << 10)   /* bytes of one line kept */

struct mdt_logscan {
	struct mdt_counts counts;
	/* line being read: the segment after its last bare CR */
	char *seg;
	size_t seg_cap, seg_len;
	unsigned long long seg_total;   /* its full length, cut or not */
	bool pending_cr, line_open;
	int lineno;                     /* lines ended (stripped text) */
	int esc;                        /* escape state (md_logscan.c) */
	/* what was seen */
	unsigned long long bytes;       /* raw bytes fed */
	unsigned long long raw_lines;   /* LFs in the raw bytes */
	unsigned long long longest;     /* longest segment, bytes */
	int ncut, first_cut_line;
	bool has_bad_utf8;
	unsigned long long bad_utf8;    /* offset of the first invalid byte */
	int bad_utf8_line;
	/* UTF-8 sequence state across blocks */
	int u_need, u_have;
	unsigned u_cp;
	unsigned long long u_start;
	bool finished;
};

/* line_max 0: MDT_LINE_MAX. */
void mdt_logscan_init(struct mdt_logscan *s, size_t line_max);
/* data == NULL: n NUL bytes (a sparse hole). */
void mdt_logscan_feed(struct mdt_logscan *s, const char *data, size_t n);
/* Ends the last line; s->counts holds the result. Idempotent. */
void mdt_logscan_finish(struct mdt_logscan *s);
void mdt_logscan_free(struct mdt_logscan *s);

/* Scans the file at path in blocks of `block` bytes (0: FIO_STREAM_BLOCK)
 * into s (initialised here with line_max; finished on WZ_OK). Errors
 * (missing, not a regular file, read error, cancelled) name the path. */
enum wz_status mdt_logscan_file(const char *path, size_t block, size_t line_max,
				struct mdt_logscan *s, struct wz_err *err);

#endif
