/* demo.c - finds the demo content, names its cache directory after a hash
 * of that content, and builds it atomically: everything goes into a
 * private temporary directory that is renamed into place when complete. */
#include "config.h"
#include "demo/demo.h"
#include "demo/demo_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/demo/demo_paths.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* Bump when the way the repository is built changes (not the content:
 * content changes already change the hash). */
#define DEMO_BUILDER_VERSION "1"
#define DEMO_FILE_MAX ((size_t)4 << 20)
/* Present in a finished demo directory (inside .git/ so the work tree
 * stays clean); written last, just before the rename. */
#define DEMO_STAMP ".git/wisdom-demo-complete"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum wz_status list_into(const char *root, const char *rel, char ***files, size_t *n,
				size_t *cap, int depth, struct wz_err *err)
{
	char *dir = rel[0] ? fio_join(root, rel) : xstrdup(root);
	DIR *d;
	struct dirent *de;
	enum wz_status st = WZ_OK;

	if (depth > 32) {
		free(dir);
		return wz_err_set(err, WZ_ELOOP, "%s: directories nested too deep", root);
	}
	d = opendir(dir);
	if (!d) {
		st = wz_err_set(err, WZ_ENOENT, "%s: cannot read directory: %s", dir, strerror(errno));
		free(dir);
		return st;
	}
	while (st == WZ_OK && (de = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat sb;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sub = rel[0] ? fio_join(rel, de->d_name) : xstrdup(de->d_name);
		full = fio_join(root, sub);
		if (lstat(full, &sb) != 0) {
			st = wz_err_set(err, WZ_EIO, "%s: cannot stat: %s", full, strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			st = list_into(root, sub, files, n, cap, depth + 1, err);
		} else if (S_ISREG(sb.st_mode)) {
			*files = xgrow(*files, cap, *n + 1, sizeof **files);
			(*files)[(*n)++] = sub;
			sub = NULL;
		}           /* symlinks, FIFOs: not demo content; skipped */
		free(sub);
		free(full);
	}
	closedir(d);
	free(dir);
	return st;
}

enum wz_status demo_list_files(const char *dir, char ***files, size_t *n, struct wz_err *err)
{
	size_t cap = 0;
	enum wz_status st;

	*files = NULL;
	*n = 0;
	st = list_into(dir, "", files, n, &cap, 0, err);
	if (st != WZ_OK) {
		demo_free_list(*files, *n);
		*files = NULL;
		*n = 0;
		return st;
	}
	if (*n > 1)
		qsort(*files, *n, sizeof **files, cmp_str);
	return WZ_OK;
}

void demo_free_list(char **files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

static int has_history(const char *dir)
{
	char *p = fio_join(dir, "history/HISTORY");
	int ok = fio_is_file(p);

	free(p);
	return ok;
}

/* 1 when this binary lives under the build tree it was configured in. */
static int running_from_build_tree(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t bl = strlen(DEMO_BUILDDIR);

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	return strncmp(exe, DEMO_BUILDDIR, bl) == 0 && exe[bl] == '/';
}

enum wz_status demo_content_dir(char **dir, struct wz_err *err)
{
	const char *env = getenv("WISDOM_DEMO_DIR");
	const char *installed = WISDOM_DATADIR "/demo";

	*dir = NULL;
	if (env && *env) {
		if (!has_history(env))
			return wz_err_set(err, WZ_ENOENT, "WISDOM_DEMO_DIR=%s: no history/HISTORY there; "
					  "point it at the demo/ folder of the wisdom sources", env);
		*dir = xstrdup(env);
		return WZ_OK;
	}
	if (running_from_build_tree() && has_history(DEMO_SRCDIR)) {
		*dir = xstrdup(DEMO_SRCDIR);
		return WZ_OK;
	}
	if (has_history(installed)) {
		*dir = xstrdup(installed);
		return WZ_OK;
	}
	if (has_history(DEMO_SRCDIR)) {
		*dir = xstrdup(DEMO_SRCDIR);
		return WZ_OK;
	}
	return wz_err_set(err, WZ_ENOENT, "demo content not found in %s nor %s; reinstall wisdom "
			  "or set WISDOM_DEMO_DIR to the demo/ folder of its sources",
			  installed, DEMO_SRCDIR);
}

static enum wz_status hash_one(struct buf *all, const char *dir, const char *part,
			       const char *rel, struct wz_err *err)
{
	char *p = fio_join(dir, rel), *data = NULL;
	size_t len = 0;
	enum wz_status st = fio_read(p, DEMO_FILE_MAX, &data, &len, err);

	if (st == WZ_OK) {
		buf_printf(all, "%s/%s", part, rel);
		buf_putc(all, '\0');
		buf_printf(all, "%zu", len);
		buf_putc(all, '\0');
		buf_append(all, data, len);
	}
	free(data);
	free(p);
	return st;
}

enum wz_status demo_content_hash(const char *content_dir, char out[13], struct wz_err *err)
{
	char **files = NULL, hex[GIT_OID_HEXSZ + 1];
	size_t n = 0, i;
	struct buf all = { 0 };
	enum wz_status st = WZ_OK;
	git_oid oid;
	/* Only what the build reads: the README and install list may differ
	 * between the source tree and an installed copy. */
	static const char *const parts[] = { "history", "runs" };
	size_t k;

	buf_puts(&all, "wisdom-demo " DEMO_BUILDER_VERSION "\n");
	for (k = 0; st == WZ_OK && k < sizeof parts / sizeof parts[0]; k++) {
		char *sub = fio_join(content_dir, parts[k]);

		st = demo_list_files(sub, &files, &n, err);
		for (i = 0; st == WZ_OK && i < n; i++)
			st = hash_one(&all, sub, parts[k], files[i], err);
		demo_free_list(files, n);
		files = NULL;
		n = 0;
		free(sub);
	}
	if (st == WZ_OK) {
		if (git_odb_hash(&oid, all.p, all.len, GIT_OBJECT_BLOB) != 0)
			st = wz_err_set(err, WZ_EGIT, "%s: cannot hash the demo content", content_dir);
		else {
			git_oid_tostr(hex, sizeof hex, &oid);
			memcpy(out, hex, 12);
			out[12] = '\0';
		}
	}
	buf_free(&all);
	return st;
}

static enum wz_status try_root(const char *root, struct wz_err *err)
{
	char *probe;
	int fd;

	if (fio_mkdirs(root, 0700, err) != WZ_OK)
		return WZ_EWRITE;
	probe = xasprintf("%s/.probe-%ld", root, (long)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	}
	free(probe);
	if (fd < 0)
		return wz_err_set(err, WZ_EWRITE, "%s: not writable: %s", root, strerror(errno));
	return WZ_OK;
}

enum wz_status demo_cache_root(char **root, struct wz_err *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *tmp = getenv("TMPDIR");
	char *cand[3];
	size_t nc = 0, i;
	struct wz_err last;
	enum wz_status st = WZ_EWRITE;

	wz_err_clear(&last);
	*root = NULL;
	if (xdg && xdg[0] == '/')       /* the XDG spec ignores relative values */
		cand[nc++] = xasprintf("%s/wisdom", xdg);
	if (home && home[0] == '/')
		cand[nc++] = xasprintf("%s/.cache/wisdom", home);
	cand[nc++] = xasprintf("%s/wisdom-%ld", tmp && tmp[0] == '/' ? tmp : "/tmp", (long)getuid());
	for (i = 0; i < nc; i++) {
		if (!*root && (st = try_root(cand[i], &last)) == WZ_OK)
			*root = cand[i];
		else
			free(cand[i]);
	}
	if (!*root)
		return wz_err_set(err, WZ_EWRITE, "no writable cache directory for the demo (%s); "
				  "set XDG_CACHE_HOME to a writable folder", last.msg);
	return st;
}

/* Plain write: the whole tree becomes visible atomically by the final
 * rename, and build_into() syncs the file system once before that. */
static enum wz_status write_plain(const char *path, const char *data, size_t len,
				  struct wz_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	size_t off = 0;

	if (fd < 0)
		return wz_err_set(err, WZ_EWRITE, "%s: cannot create: %s", path, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			close(fd);
			return wz_err_set(err, WZ_EWRITE, "%s: write failed: %s", path, strerror(e));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return wz_err_set(err, WZ_EWRITE, "%s: close failed: %s", path, strerror(errno));
	return WZ_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void rm_tree(const char *path)
{
	(void)nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Substitutes @SHA:label@ and @SHORT:label@ in data. */
static enum wz_status substitute(const char *data, size_t len, const struct demo_labels *l,
				 const char *where, struct buf *out, struct wz_err *err)
{
	size_t i = 0, line = 1;

	while (i < len) {
		int is_sha = len - i >= 5 && memcmp(data + i, "@SHA:", 5) == 0;
		int is_short = len - i >= 7 && memcmp(data + i, "@SHORT:", 7) == 0;

		if (is_sha || is_short) {
			size_t start = i + (is_sha ? 5 : 7), end = start;
			const char *sha;

			while (end < len && data[end] != '@' && data[end] != '\n')
				end++;
			if (end == len || data[end] != '@' ||
			    !(sha = demo_labels_find(l, data + start, end - start)))
				return wz_err_set(err, WZ_EPARSE, "%s:%zu: placeholder names no commit of "
						  "history/HISTORY", where, line);
			buf_append(out, sha, is_sha ? 40 : 7);
			i = end + 1;
			continue;
		}
		if (data[i] == '\n')
			line++;
		buf_putc(out, data[i++]);
	}
	return WZ_OK;
}

static enum wz_status copy_runs(const char *content_dir, const char *repo,
				const struct demo_labels *labels, struct wz_err *err)
{
	char *src = fio_join(content_dir, "runs"), *dst = fio_join(repo, ".runs");
	char **files = NULL;
	size_t n = 0, i;
	enum wz_status st;

	st = demo_list_files(src, &files, &n, err);
	for (i = 0; st == WZ_OK && i < n; i++) {
		char *from = fio_join(src, files[i]), *to = fio_join(dst, files[i]);
		char *data = NULL, *slash;
		size_t len = 0;
		struct buf out = { 0 };

		st = fio_read(from, DEMO_FILE_MAX, &data, &len, err);
		if (st == WZ_OK)
			st = substitute(data, len, labels, from, &out, err);
		slash = strrchr(to, '/');
		if (st == WZ_OK) {
			*slash = '\0';
			st = fio_mkdirs(to, 0777, err);
			*slash = '/';
		}
		if (st == WZ_OK)
			st = write_plain(to, out.p ? out.p : "", out.len, err);
		buf_free(&out);
		free(data);
		free(from);
		free(to);
	}
	demo_free_list(files, n);
	free(src);
	free(dst);
	return st;
}

/* Removes temporary build directories whose builder process is gone. */
static void sweep_stale(const char *root, const char *prefix)
{
	DIR *d = opendir(root);
	struct dirent *de;
	size_t pl = strlen(prefix);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *p;
		long pid;
		char *end, *full;

		if (strncmp(de->d_name, prefix, pl) != 0)
			continue;
		p = de->d_name + pl;               /* "<pid>-XXXXXX" */
		pid = strtol(p, &end, 10);
		if (end == p || *end != '-' || pid <= 0)
			continue;
		if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		full = fio_join(root, de->d_name);
		rm_tree(full);
		free(full);
	}
	closedir(d);
}

static int is_complete(const char *dir)
{
	char *stamp = fio_join(dir, DEMO_STAMP);
	int ok = fio_is_file(stamp);

	free(stamp);
	return ok;
}

static enum wz_status build_into(const char *content_dir, const char *tmp, struct wz_err *err)
{
	struct demo_labels labels;
	struct buf stamp = { 0 };
	char *stamp_path;
	enum wz_status st;
	size_t i;

	st = demo_git_build(content_dir, tmp, &labels, err);
	if (st != WZ_OK)
		return st;
	st = copy_runs(content_dir, tmp, &labels, err);
	if (st == WZ_OK) {
		buf_printf(&stamp, "wisdom %s demo, built from %s\n", PACKAGE_VERSION, content_dir);
		for (i = 0; i < labels.n; i++)
			buf_printf(&stamp, "%s %s\n", labels.v[i].sha, labels.v[i].label);
		int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		/* data first, then the stamp that declares it complete */
		if (fd >= 0) {
			(void)syncfs(fd);
			close(fd);
		}
		stamp_path = fio_join(tmp, DEMO_STAMP);
		st = fio_write_atomic(stamp_path, stamp.p, stamp.len, err);
		free(stamp_path);
	}
	buf_free(&stamp);
	demo_labels_free(&labels);
	return st;
}

enum wz_status demo_prepare_in(const char *cache_root, const char *content_dir,
			       char **repo_path, int *rebuilt, struct wz_err *err)
{
	char *content = NULL, *final = NULL, *prefix = NULL, *tmpl = NULL;
	char hash[13];
	enum wz_status st;

	*repo_path = NULL;
	if (rebuilt)
		*rebuilt = 0;
	if (content_dir)
		content = xstrdup(content_dir);
	else if ((st = demo_content_dir(&content, err)) != WZ_OK)
		return st;
	st = demo_content_hash(content, hash, err);
	if (st == WZ_OK)
		st = fio_mkdirs(cache_root, 0700, err);
	if (st != WZ_OK)
		goto out;
	final = xasprintf("%s/demo-%s-%s", cache_root, PACKAGE_VERSION, hash);
	prefix = xasprintf(".demo-%s-%s.tmp-", PACKAGE_VERSION, hash);
	if (is_complete(final)) {
		*repo_path = final;
		final = NULL;
		goto out;
	}
	sweep_stale(cache_root, prefix);
	tmpl = xasprintf("%s/%s%ld-XXXXXX", cache_root, prefix, (long)getpid());
	if (!mkdtemp(tmpl)) {
		st = wz_err_set(err, WZ_EWRITE, "%s: cannot create a build directory: %s", cache_root,
				strerror(errno));
		goto out;
	}
	st = build_into(content, tmpl, err);
	if (st != WZ_OK) {
		rm_tree(tmpl);
		goto out;
	}
	if (rename(tmpl, final) != 0) {
		int e = errno;

		if ((e == EEXIST || e == ENOTEMPTY) && !is_complete(final)) {
			/* a damaged directory (no stamp): move it aside, then retry once */
			char *aside = xasprintf("%s/%s%ld-old", cache_root, prefix, (long)getpid());

			if (rename(final, aside) == 0)
				rm_tree(aside);
			free(aside);
			if (rename(tmpl, final) == 0)
				e = 0;
			else
				e = errno;
		}
		if (e != 0) {
			rm_tree(tmpl);       /* a concurrent demo won the race: use its copy */
			if (!is_complete(final)) {
				st = wz_err_set(err, WZ_EWRITE, "%s: cannot move the demo into place: %s",
						final, strerror(e));
				goto out;
			}
		} else if (rebuilt) {
			*rebuilt = 1;
		}
	} else if (rebuilt) {
		*rebuilt = 1;
	}
	*repo_path = final;
	final = NULL;
out:
	free(content);
	free(final);
	free(prefix);
	free(tmpl);
	return st;
}

enum wz_status demo_prepare(char **repo_path, struct wz_err *err)
{
	char *root = NULL;
	enum wz_status st = demo_cache_root(&root, err);

	*repo_path = NULL;
	if (st != WZ_OK)
		return st;
	st = demo_prepare_in(root, NULL, repo_path, NULL, err);
	free(root);
	return st;
}
