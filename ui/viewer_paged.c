/* viewer_paged.c - sparse line index and paged reads (see viewer_paged.h). */
#include "config.h"
#include "ui/viewer_paged.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/xalloc.h"

struct vpaged {
	char *path;
	int fd;
	unsigned long long size;
	size_t nlines;
	uint64_t *idx;          /* idx[k]: offset of line k * VPAGED_STEP */
	size_t nidx, cap;
	/* chunk cache: line starts of lines chunk*STEP .. +STEP (one more: end) */
	size_t chunk;
	bool chunk_ok;
	uint64_t loff[VPAGED_STEP + 1];
	size_t nloff;
};

/* ---- the index: one pass over the file ---- */

struct ix {
	struct vpaged *p;
	bool last_nl;           /* the last byte seen was a LF */
};

static void ix_line_start(struct vpaged *p, uint64_t off)
{
	if (p->nlines % VPAGED_STEP == 0) {
		p->idx = xgrow(p->idx, &p->cap, p->nidx + 1, sizeof *p->idx);
		p->idx[p->nidx++] = off;
	}
	p->nlines++;
}

static bool ix_block(void *arg, const char *data, size_t n, unsigned long long off)
{
	struct ix *x = arg;
	const char *q, *end;
	if (!n)
		return true;
	if (off == 0 || x->last_nl)
		ix_line_start(x->p, off);
	if (!data) {            /* a hole: NULs, no line ends */
		x->last_nl = false;
		return true;
	}
	end = data + n;
	for (q = data; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
		if (q + 1 < end)
			ix_line_start(x->p, off + (uint64_t)(q + 1 - data));
	x->last_nl = end[-1] == '\n';
	return true;
}

struct vpaged *vpaged_open(const char *path, char **error)
{
	struct vpaged *p = xcalloc(1, sizeof *p);
	struct ix x = {p, false};
	struct wz_err err;
	enum wz_status st;

	*error = NULL;
	p->fd = -1;
	wz_err_clear(&err);
	st = fio_stream(path, 0, NULL, ix_block, &x, &p->size, &err);
	if (st != WZ_OK) {
		if (st != WZ_ECANCELED)
			*error = xstrdup(err.msg);
		vpaged_free(p);
		return NULL;
	}
	p->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (p->fd < 0) {
		*error = xasprintf("%s: cannot open: %s", path, strerror(errno));
		vpaged_free(p);
		return NULL;
	}
	p->path = xstrdup(path);
	return p;
}

void vpaged_free(struct vpaged *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->path);
	free(p->idx);
	free(p);
}

size_t vpaged_lines(const struct vpaged *p)
{
	return p->nlines;
}

unsigned long long vpaged_size(const struct vpaged *p)
{
	return p->size;
}

size_t vpaged_index_bytes(const struct vpaged *p)
{
	return p->cap * sizeof *p->idx;
}

unsigned long long vpaged_full_index_bytes(const struct vpaged *p)
{
	return (unsigned long long)p->nlines * 2 * sizeof(size_t);
}

/* ---- lines ---- */

/* Line starts of chunk c from its index entry: scans forward with pread. */
static bool load_chunk(struct vpaged *p, size_t c)
{
	char buf[65536];
	uint64_t pos = p->idx[c];
	size_t want = c + 1 < p->nidx ? VPAGED_STEP : p->nlines - c * VPAGED_STEP;

	p->chunk_ok = false;
	p->nloff = 0;
	p->loff[p->nloff++] = pos;
	while (p->nloff <= want && pos < p->size) {
		ssize_t r = pread(p->fd, buf, sizeof buf, (off_t)pos);
		const char *q, *end;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		end = buf + r;
		for (q = buf; p->nloff <= want && (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
			p->loff[p->nloff++] = pos + (uint64_t)(q + 1 - buf);
		pos += (uint64_t)r;
	}
	/* the last line of the file may have no LF: it ends at the size */
	if (p->nloff <= want)
		p->loff[p->nloff++] = p->size + 1;
	p->chunk = c;
	p->chunk_ok = true;
	return p->nloff > want;
}

size_t vpaged_line(struct vpaged *p, size_t i, char *buf, size_t max)
{
	size_t c = i / VPAGED_STEP, k = i % VPAGED_STEP, n, got = 0;
	uint64_t b, e;

	if (i >= p->nlines || !max)
		return 0;
	if ((!p->chunk_ok || p->chunk != c) && !load_chunk(p, c))
		return 0;
	b = p->loff[k];
	e = p->loff[k + 1] - 1;          /* the LF (or the size) */
	if (e > p->size)
		e = p->size;
	n = e - b > max ? max : (size_t)(e - b);
	while (got < n) {
		ssize_t r = pread(p->fd, buf + got, n - got, (off_t)(b + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got && got == e - b && buf[got - 1] == '\r')
		got--;                   /* CRLF */
	return got;
}

/* ---- every line, streamed ---- */

struct each {
	bool (*fn)(void *, size_t, const char *, size_t);
	void *arg;
	char *buf;
	size_t max, len, line;
	bool open, cut, stop;
};

static bool each_end(struct each *e)
{
	size_t n = e->len;
	if (!e->cut && n && e->buf[n - 1] == '\r')
		n--;
	e->stop = !e->fn(e->arg, e->line++, e->buf, n);
	e->len = 0;
	e->open = e->cut = false;
	return !e->stop;
}

static void each_put(struct each *e, const char *s, size_t n)
{
	size_t room = e->max - e->len, k = n < room ? n : room;
	if (s)
		memcpy(e->buf + e->len, s, k);
	else
		memset(e->buf + e->len, 0, k);
	e->len += k;
	if (n > k)
		e->cut = true;
	e->open = true;
}

static bool each_block(void *arg, const char *data, size_t n, unsigned long long off)
{
	struct each *e = arg;
	const char *q, *end;
	(void)off;
	if (!data) {
		each_put(e, NULL, n);
		return true;
	}
	end = data + n;
	while (data < end) {
		q = memchr(data, '\n', (size_t)(end - data));
		if (!q) {
			each_put(e, data, (size_t)(end - data));
			break;
		}
		each_put(e, data, (size_t)(q - data));
		if (!each_end(e))
			return false;
		data = q + 1;
	}
	return true;
}

enum wz_status vpaged_each(struct vpaged *p, size_t max,
			   bool (*fn)(void *arg, size_t i, const char *l, size_t n), void *arg,
			   struct wz_err *err)
{
	struct each e = {fn, arg, NULL, max ? max : 1, 0, 0, false, false, false};
	enum wz_status st;

	e.buf = xmalloc(e.max + 1);
	st = fio_stream(p->path, 0, NULL, each_block, &e, NULL, err);
	if (st == WZ_OK && e.open && !e.stop)
		each_end(&e);
	free(e.buf);
	return st;
}
