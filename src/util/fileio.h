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

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "util/status.h"

/* Default cap for artifacts read whole (markdown, JSON): 64 MiB. */
#define FIO_DEFAULT_MAX ((size_t)64 << 20)

enum wz_status fio_read(const char *path, size_t max_bytes, char **data, size_t *len,
			struct wz_err *err);

/* Writes data to path via temp file in the same directory + fsync + rename +
 * directory fsync. The file gets mode 0666 & ~umask. The temporary file is
 * "<path>" FIO_TEMP_MARK "<pid>", created exclusively (never through a
 * symlink); a killed writer leaves it behind and fio_sweep_temps() removes
 * it later. Readers of the final path see the old or the new content,
 * never a part. */
#define FIO_TEMP_MARK ".tmp."
enum wz_status fio_write_atomic(const char *path, const void *data, size_t len,
				struct wz_err *err);

/* Removes temporary files fio_write_atomic() left in dir when its process
 * died (names ending in FIO_TEMP_MARK and the pid of a process that no
 * longer exists; regular files only). Returns how many were removed. */
int fio_sweep_temps(const char *dir);

/* The per-user file `name` of wisdom: $XDG_CONFIG_HOME/wisdom/<name> when
 * that variable is an absolute path, else ~/.config/wisdom/<name>; NULL
 * when no home is known. Caller frees. */
char *fio_user_config_file(const char *name);

/* Creates a directory and its parents (mode 0777 & ~umask, or `mode`). */
enum wz_status fio_mkdirs(const char *path, mode_t mode, struct wz_err *err);

/* 1 when path is an existing directory (following symlinks), else 0. */
int fio_is_dir(const char *path);
/* 1 when path exists as a regular file (following symlinks). */
int fio_is_file(const char *path);

/* Joins a and b with one '/'. Caller frees. */
char *fio_join(const char *a, const char *b);

/* ---- streaming reads (files of any size in bounded memory) ------------- */

/* Bytes read per block by fio_stream() unless the caller asks otherwise. */
#define FIO_STREAM_BLOCK ((size_t)1 << 20)

/* Progress and cancellation of a long read. report() gets bytes done and
 * the file's size; stop() is asked before every block and ends the read
 * with WZ_ECANCELED when it says true. Either may be NULL. */
struct fio_progress {
	void (*report)(void *arg, unsigned long long done, unsigned long long total);
	bool (*stop)(void *arg);
	void *arg;
};

/* The calling thread's progress hooks (NULL: none). A job worker installs
 * its job's hooks around the work function, so a stream read anywhere in
 * a job reports progress and honours cancel. Returns the previous value. */
const struct fio_progress *fio_progress_set(const struct fio_progress *p);
const struct fio_progress *fio_progress_current(void);
/* The thread's hooks, for work that is not a stream read (walks of a
 * folder tree or of git history): whether to stop, and progress (total 0:
 * unknown). Without hooks: false / nothing. */
bool fio_progress_stopped(void);
void fio_progress_report(unsigned long long done, unsigned long long total);

/* One block of the file at offset off; data == NULL means n NUL bytes of a
 * sparse hole (not read from disk). Return false to stop the read early
 * (fio_stream then returns WZ_OK). */
typedef bool (*fio_block_fn)(void *arg, const char *data, size_t n, unsigned long long off);

/* Reads the regular file at path in blocks of `block` bytes (0: the
 * default) and hands each to fn, skipping sparse holes without reading
 * them. Refuses what fio_read refuses except the size; reads up to the
 * size seen at open. prog (or, when NULL, the thread's current hooks)
 * gets progress after each block and may cancel. *size (optional) is the
 * file's size. Memory: one block, whatever the file's size. */
enum wz_status fio_stream(const char *path, size_t block, const struct fio_progress *prog,
			  fio_block_fn fn, void *arg, unsigned long long *size, struct wz_err *err);

#endif
