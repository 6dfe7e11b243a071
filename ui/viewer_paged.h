/* viewer_paged.h - a file too big to hold, viewed through a sparse line
 * index: the byte offset of every VPAGED_STEP-th line, built by streaming
 * the file once (fio_stream: progress and cancel through the thread's
 * hooks, i.e. the job's). A line is found from the nearest index entry by
 * scanning at most VPAGED_STEP lines of one chunk (cached) and read with
 * pread, cut at the caller's limit. Memory: 8 bytes per VPAGED_STEP lines
 * plus one chunk's line offsets, whatever the file's size.
 *
 * Ownership: vpaged_open() returns an object vpaged_free() releases;
 * vpaged_line() is for one thread at a time (its chunk cache);
 * vpaged_each() reads through its own descriptor and may run on a worker
 * while the UI calls vpaged_line().
 */
#ifndef WZ_UI_VIEWER_PAGED_H
#define WZ_UI_VIEWER_PAGED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

#define VPAGED_STEP 1024

struct vpaged;

/* Indexes path. NULL on failure with *error (malloc'd) set, or NULL with
 * *error NULL when the thread's hooks cancelled it. */
struct vpaged *vpaged_open(const char *path, char **error);
void vpaged_free(struct vpaged *p);

size_t vpaged_lines(const struct vpaged *p);
unsigned long long vpaged_size(const struct vpaged *p);
/* Bytes the sparse index takes, and what a full one (16 B a line) would. */
size_t vpaged_index_bytes(const struct vpaged *p);
unsigned long long vpaged_full_index_bytes(const struct vpaged *p);

/* Line i (0-based, without its LF or CRLF), its first max bytes copied to
 * buf; returns the bytes copied. 0 for a line past the end. */
size_t vpaged_line(struct vpaged *p, size_t i, char *buf, size_t max);

/* Hands every line (its first max bytes, line number from 0) to fn in
 * order; fn returns false to stop. Streams the file (hooks apply). */
enum wz_status vpaged_each(struct vpaged *p, size_t max,
			   bool (*fn)(void *arg, size_t i, const char *l, size_t n), void *arg,
			   struct wz_err *err);

#endif
