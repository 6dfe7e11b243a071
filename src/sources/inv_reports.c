/* inv_reports.c - report files from a run's file inventory (see
 * inv_reports.h). */
#include "config.h"
#include "sources/inv_reports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/xalloc.h"

_Atomic unsigned long inv_report_sniffs;

/* The folder of the file being sniffed, kept open so each file is opened
 * relative to it (no whole-path lookup per file). */
struct dircache {
	char *rel;            /* folder relative to the run */
	int fd;               /* -1: not open */
};

static int dir_fd(struct dircache *dc, const char *root, const char *rel, const char **base)
{
	const char *slash = strrchr(rel, '/');
	size_t dl = slash ? (size_t)(slash - rel) : 0;
	*base = slash ? slash + 1 : rel;
	if (dc->fd >= 0 && dc->rel && strlen(dc->rel) == dl && strncmp(dc->rel, rel, dl) == 0)
		return dc->fd;
	if (dc->fd >= 0)
		close(dc->fd);
	free(dc->rel);
	dc->rel = xstrndup(rel, dl);
	{
		char *p = fio_join(root, dc->rel);
		dc->fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(p);
	}
	return dc->fd;
}

/* The format of the file's first bytes (at most its inventory size, at
 * most REPORT_DETECT_BYTES); TR_FMT_UNKNOWN when it is none or cannot be
 * read. O_NONBLOCK and the bounded read keep a file swapped for a FIFO or
 * a device since the walk from blocking or reading without end. */
static enum tr_format sniff(struct dircache *dc, const char *root, const struct inv_file *f, char *head)
{
	enum tr_format fmt = TR_FMT_UNKNOWN;
	size_t want = (size_t)f->size < REPORT_DETECT_BYTES ? (size_t)f->size : REPORT_DETECT_BYTES, n = 0;
	const char *base;
	int dfd = dir_fd(dc, root, f->rel, &base), fd;
	atomic_fetch_add(&inv_report_sniffs, 1);
	if (dfd < 0)
		return fmt;
	fd = openat(dfd, base, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fmt;
	while (n < want) {
		ssize_t k = pread(fd, head + n, want - n, (off_t)n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	if (n > 0)
		fmt = report_detect_buf(head, n);
	close(fd);
	return fmt;
}

static void push(char ***v, size_t *n, size_t *cap, char *s)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

enum wz_status inv_report_paths(struct run_inventory *inv, const char *dir, const struct scan_hook *hook,
				struct report_paths *out, struct wz_err *err)
{
	struct dircache dc = { NULL, -1 };
	char *head = NULL;
	enum wz_status st = WZ_OK;
	size_t lo, hi, i;
	if (!inv)
		return WZ_OK;
	if (inv->capped && inv->cap_note)
		push(&out->notes, &out->nnotes, &out->notes_cap,
		     xasprintf("%s/%s (the run's file list is incomplete)", inv->root, inv->cap_note));
	run_inventory_under(inv, dir, &lo, &hi);
	for (i = lo; i < hi; i++) {
		struct inv_file *f = &inv->v[i];
		char *p;
		unsigned char s;
		if ((i - lo) % SCAN_PROGRESS_EVERY == SCAN_PROGRESS_EVERY - 1) {
			scan_hook_report(hook, i - lo + 1, "looking for test and coverage reports");
			if (scan_hook_stopped(hook)) {
				st = wz_err_set(err, WZ_ECANCELED, "%s/%s: looking for reports was canceled after %zu files",
						inv->root, dir, i - lo);
				break;
			}
		}
		if (f->size <= 0)
			continue;   /* an empty file is no report */
		p = fio_join(inv->root, f->rel);
		s = atomic_load(&f->sniff);
		if (s == INV_SNIFF_NOT_YET) {
			enum tr_format fmt;
			if (!head)
				head = xmalloc(REPORT_DETECT_BYTES);
			fmt = sniff(&dc, inv->root, f, head);
			atomic_store(&f->format, (signed char)fmt);
			s = fmt == TR_FMT_UNKNOWN ? INV_SNIFF_NONE : INV_SNIFF_REPORT;
			atomic_store(&f->sniff, s);
		}
		if (s == INV_SNIFF_REPORT)
			push(&out->v, &out->n, &out->cap, p);
		else
			free(p);
	}
	if (dc.fd >= 0)
		close(dc.fd);
	free(dc.rel);
	free(head);
	return st;
}
