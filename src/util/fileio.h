/* fileio.h - bounded, diagnosable file reads and atomic writes.
 *
 * Every read names the file in its error and refuses directories, FIFOs,
 * devices, symlink loops and files over the caller's limit, so a hostile or
 * huge artifact cannot hang or exhaust the process.
 * Ownership: fio_read() returns a malloc'd, NUL-terminated copy the caller
 * frees; fio_write_atomic() owns nothing.
 */
#ifndef WZ_UTIL_FILEIO_H
#define WZ_UTIL_FILEIO_H

#include <stddef.h>
#include <sys/types.h>
#include "util/status.h"

/* Default cap for artifacts read whole (markdown, JSON): 64 MiB. */
#define FIO_DEFAULT_MAX ((size_t)64 << 20)

enum wz_status fio_read(const char *path, size_t max_bytes, char **data, size_t *len,
			struct wz_err *err);

/* Writes data to path via temp file in the same directory + fsync + rename +
 * directory fsync. The file gets mode 0666 & ~umask. */
enum wz_status fio_write_atomic(const char *path, const void *data, size_t len,
				struct wz_err *err);

/* Creates a directory and its parents (mode 0777 & ~umask, or `mode`). */
enum wz_status fio_mkdirs(const char *path, mode_t mode, struct wz_err *err);

/* 1 when path is an existing directory (following symlinks), else 0. */
int fio_is_dir(const char *path);
/* 1 when path exists as a regular file (following symlinks). */
int fio_is_file(const char *path);

/* Joins a and b with one '/'. Caller frees. */
char *fio_join(const char *a, const char *b);

#endif
