/* fileio.c - bounded reads, atomic writes. */
#include "config.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum wz_status errno_status(int e)
{
	switch (e) {
	case ENOENT: return WZ_ENOENT;
	case EACCES: case EPERM: return WZ_EACCES;
	case ELOOP: return WZ_ELOOP;
	case ENOTDIR: return WZ_ENOTDIR;
	case EISDIR: return WZ_EISDIR;
	case ENOMEM: return WZ_ENOMEM;
	default: return WZ_EIO;
	}
}

enum wz_status fio_read(const char *path, size_t max_bytes, char **data, size_t *len,
			struct wz_err *err)
{
	struct stat st;
	int fd;
	char *p;
	size_t cap, n = 0;

	*data = NULL;
	if (len)
		*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return wz_err_set(err, errno_status(e), "%s: cannot open: %s", path, strerror(e));
	}
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return wz_err_set(err, WZ_EIO, "%s: cannot stat: %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return wz_err_set(err, WZ_EISDIR, "%s: is a directory, expected a file", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return wz_err_set(err, WZ_EIO, "%s: not a regular file (device, FIFO or socket); skipped", path);
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		close(fd);
		return wz_err_set(err, WZ_ETOOBIG,
				  "%s: %lld bytes is over the %zu MiB limit for this kind of file; skipped",
				  path, (long long)st.st_size, max_bytes >> 20);
	}
	/* Regular files never block; clear O_NONBLOCK anyway for NFS oddities. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	cap = (size_t)st.st_size + 1;
	p = xmalloc(cap);
	for (;;) {
		ssize_t r;
		if (n > max_bytes) {
			free(p);
			close(fd);
			return wz_err_set(err, WZ_ETOOBIG, "%s: grew past the %zu MiB limit while reading; skipped",
					  path, max_bytes >> 20);
		}
		if (n + 1 >= cap)
			p = xgrow(p, &cap, cap + 4096, 1);
		r = read(fd, p + n, cap - 1 - n);
		if (r < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			free(p);
			close(fd);
			return wz_err_set(err, WZ_EIO, "%s: read error: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*data = p;
	if (len)
		*len = n;
	return WZ_OK;
}

static int fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = 0;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* Test hook (WISDOM_TEST_HOOKS=1, WISDOM_TEST_KILL_IN_WRITE=N): the Nth
 * atomic write of the process writes half its data to the temporary file
 * and then the process is killed, as a power cut or OOM kill would. */
static bool kill_in_write(void)
{
	static long count;
	const char *on = getenv("WISDOM_TEST_HOOKS"), *n;
	if (!on || strcmp(on, "1") != 0 || !(n = getenv("WISDOM_TEST_KILL_IN_WRITE")))
		return false;
	return ++count == atol(n);
}

/* The temporary file beside path: "<path>.tmp.<pid>", created exclusively
 * and never through a symlink. A leftover of a dead process with our pid is
 * removed once and the create retried. */
static int open_temp(const char *tmp)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	return fd;
}

/* Test hook (WISDOM_TEST_HOOKS=1, WISDOM_TEST_WRITE_COPIES=DIR): a copy of
 * every completed atomic write goes to DIR/<n>-<name>, so a test knows
 * every version of every file a run of wisdom wrote. */
static void copy_hook(const char *path, const void *data, size_t len)
{
	static long count;
	const char *on = getenv("WISDOM_TEST_HOOKS"), *dir = getenv("WISDOM_TEST_WRITE_COPIES");
	const char *base = strrchr(path, '/');
	char *cp;
	FILE *f;
	if (!on || strcmp(on, "1") != 0 || !dir || !*dir)
		return;
	cp = xasprintf("%s/%ld-%s", dir, ++count, base ? base + 1 : path);
	f = fopen(cp, "wb");
	if (f) {
		if (len)
			(void)fwrite(data, 1, len, f);
		fclose(f);
	}
	free(cp);
}

enum wz_status fio_write_atomic(const char *path, const void *data, size_t len,
				struct wz_err *err)
{
	char *tmp = xasprintf("%s" FIO_TEMP_MARK "%ld", path, (long)getpid());
	const char *p = data;
	size_t off = 0, stop = len;
	bool die = kill_in_write();
	int fd = open_temp(tmp);
	if (fd < 0) {
		int e = errno;
		enum wz_status s = wz_err_set(err, errno_status(e) == WZ_ENOENT ? WZ_ENOENT : WZ_EWRITE,
					      "%s: cannot create: %s", tmp, strerror(e));
		free(tmp);
		return s;
	}
	if (die)
		stop = len / 2;
	while (off < stop) {
		ssize_t w = write(fd, p + off, stop - off);
		if (w < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			free(tmp);
			return wz_err_set(err, WZ_EWRITE, "%s: write failed: %s", path, strerror(e));
		}
		off += (size_t)w;
	}
	if (die)
		raise(SIGKILL);
	if (fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return wz_err_set(err, WZ_EWRITE, "%s: fsync failed: %s", path, strerror(e));
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return wz_err_set(err, WZ_EWRITE, "%s: rename failed: %s", path, strerror(e));
	}
	free(tmp);
	fsync_dir_of(path);
	copy_hook(path, data, len);
	return WZ_OK;
}

int fio_sweep_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int removed = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *m = strstr(e->d_name, FIO_TEMP_MARK), *q;
		char *end;
		long pid;
		struct stat st;
		if (!m || m == e->d_name)
			continue;
		while ((q = strstr(m + 1, FIO_TEMP_MARK)) != NULL)
			m = q;
		q = m + strlen(FIO_TEMP_MARK);
		errno = 0;
		pid = strtol(q, &end, 10);
		if (end == q || *end || errno || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;     /* its writer may still be at work */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

char *fio_user_config_file(const char *name)
{
	const char *p = getenv("XDG_CONFIG_HOME");
	if (p && p[0] == '/')
		return xasprintf("%s/wisdom/%s", p, name);
	p = getenv("HOME");
	if (p && *p)
		return xasprintf("%s/.config/wisdom/%s", p, name);
	return NULL;
}

enum wz_status fio_mkdirs(const char *path, mode_t mode, struct wz_err *err)
{
	char *copy = xstrdup(path);
	char *s;
	for (s = copy + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(copy, mode) != 0 && errno != EEXIST) {
				int e = errno;
				enum wz_status st = wz_err_set(err, errno_status(e), "%s: cannot create directory: %s",
							       copy, strerror(e));
				free(copy);
				return st;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(copy);
	return WZ_OK;
}

int fio_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fio_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *fio_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	if (la && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

/* ---- streaming reads ------------------------------------------------------ */

static _Thread_local const struct fio_progress *tl_progress;

const struct fio_progress *fio_progress_set(const struct fio_progress *p)
{
	const struct fio_progress *old = tl_progress;
	tl_progress = p;
	return old;
}

const struct fio_progress *fio_progress_current(void)
{
	return tl_progress;
}

bool fio_progress_stopped(void)
{
	return tl_progress && tl_progress->stop && tl_progress->stop(tl_progress->arg);
}

void fio_progress_report(unsigned long long done, unsigned long long total)
{
	if (tl_progress && tl_progress->report)
		tl_progress->report(tl_progress->arg, done, total);
}

/* Opens path for reading when it is a regular file (what fio_read checks,
 * without the size limit). */
static enum wz_status open_regular(const char *path, struct stat *st, int *fdp, struct wz_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return wz_err_set(err, errno_status(e), "%s: cannot open: %s", path, strerror(e));
	}
	if (fstat(fd, st) != 0) {
		int e = errno;
		close(fd);
		return wz_err_set(err, WZ_EIO, "%s: cannot stat: %s", path, strerror(e));
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		return wz_err_set(err, WZ_EISDIR, "%s: is a directory, expected a file", path);
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return wz_err_set(err, WZ_EIO, "%s: not a regular file (device, FIFO or socket); skipped", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*fdp = fd;
	return WZ_OK;
}

/* Where the data extent at or after pos starts (*hole_to) and ends
 * (*data_to); without SEEK_DATA support the whole rest is data. */
static void next_extent(int fd, off_t pos, off_t total, bool *seek_ok, off_t *hole_to, off_t *data_to)
{
	off_t d, h;
	*hole_to = pos;
	*data_to = total;
	if (!*seek_ok)
		return;
	d = lseek(fd, pos, SEEK_DATA);
	if (d < 0) {
		if (errno == ENXIO)
			*hole_to = total;      /* only a hole up to the end */
		else
			*seek_ok = false;
		return;
	}
	*hole_to = d > total ? total : d;
	h = lseek(fd, *hole_to, SEEK_HOLE);
	if (h > *hole_to && h < total)
		*data_to = h;
}

enum wz_status fio_stream(const char *path, size_t block, const struct fio_progress *prog,
			  fio_block_fn fn, void *arg, unsigned long long *size, struct wz_err *err)
{
	struct stat st;
	enum wz_status s;
	off_t pos = 0, total, hole_to = 0, data_to = 0;
	bool seek_ok = true;
	char *buf;
	int fd = -1;

	if (size)
		*size = 0;
	s = open_regular(path, &st, &fd, err);
	if (s != WZ_OK)
		return s;
	if (!prog)
		prog = fio_progress_current();
	if (block == 0)
		block = FIO_STREAM_BLOCK;
	total = st.st_size;
	if (size)
		*size = (unsigned long long)total;
	buf = xmalloc(block);
	while (pos < total) {
		size_t want;
		ssize_t r;
		if (prog && prog->stop && prog->stop(prog->arg)) {
			s = wz_err_set(err, WZ_ECANCELED, "%s: reading stopped at byte %lld of %lld (cancelled)",
				       path, (long long)pos, (long long)total);
			break;
		}
		if (pos >= data_to) {
			next_extent(fd, pos, total, &seek_ok, &hole_to, &data_to);
			if (hole_to > pos) {
				bool go = fn(arg, NULL, (size_t)(hole_to - pos), (unsigned long long)pos);
				pos = hole_to;
				if (prog && prog->report)
					prog->report(prog->arg, (unsigned long long)pos, (unsigned long long)total);
				if (!go)
					break;
				continue;
			}
		}
		want = (off_t)block < data_to - pos ? block : (size_t)(data_to - pos);
		r = pread(fd, buf, want, pos);
		if (r < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			s = wz_err_set(err, WZ_EIO, "%s: read error at byte %lld: %s", path, (long long)pos,
				       strerror(e));
			break;
		}
		if (r == 0)
			break;          /* the file shrank while we read it */
		if (!fn(arg, buf, (size_t)r, (unsigned long long)pos))
			break;
		pos += r;
		if (prog && prog->report)
			prog->report(prog->arg, (unsigned long long)pos, (unsigned long long)total);
	}
	free(buf);
	close(fd);
	return s;
}
