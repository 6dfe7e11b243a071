/* report_detect.c - format detection, dispatch, directory walking, and the
 * line and XML helpers the readers share. */
#include "config.h"
#include "sources/report_detect.h"
#include "sources/report_readers.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

/* ---- detection ---- */

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && isspace((unsigned char)*p))
		p++;
	return p;
}

static const char *find_str(const char *p, const char *e, const char *s)
{
	size_t n = strlen(s);
	const char *q = p < e ? memmem(p, (size_t)(e - p), s, n) : NULL;
	return q ? q + n : NULL;
}

static enum tr_format detect_xml(const char *p, const char *e)
{
	while (p && p < e) {
		const char *name, *q;
		size_t n;
		p = skip_ws(p, e);
		if (p >= e || *p != '<')
			return TR_FMT_UNKNOWN;
		if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			p = find_str(p + 4, e, "-->");
			continue;
		}
		if (e - p >= 2 && p[1] == '?') {
			p = find_str(p + 2, e, "?>");
			continue;
		}
		if (e - p >= 2 && p[1] == '!') {
			const char *gt = memchr(p, '>', (size_t)(e - p));
			const char *br = memchr(p, '[', (size_t)(e - p));
			if (br && (!gt || br < gt))
				p = find_str(br, e, "]>");
			else
				p = gt ? gt + 1 : NULL;
			continue;
		}
		name = p + 1;
		for (q = name; q < e && (isalnum((unsigned char)*q) || *q == ':' || *q == '_' || *q == '-' || *q == '.'); q++)
			;
		for (const char *c = name; c < q; c++)
			if (*c == ':')
				name = c + 1;
		n = (size_t)(q - name);
		if ((n == 10 && memcmp(name, "testsuites", 10) == 0) ||
		    (n == 9 && memcmp(name, "testsuite", 9) == 0))
			return TR_FMT_JUNIT;
		if (n == 8 && memcmp(name, "coverage", 8) == 0)
			return TR_FMT_COBERTURA;
		if (n == 6 && memcmp(name, "report", 6) == 0)
			return TR_FMT_JACOCO;
		return TR_FMT_UNKNOWN;
	}
	return TR_FMT_UNKNOWN;
}

/* A numbered test point ("ok 1", "not ok 12 - x"). Unnumbered points are
 * valid TAP but too common in plain logs to name a file TAP on their own:
 * `go test` prints "ok  \tpkg\t0.1s", cargo "ok" after a test line. The
 * reader still takes unnumbered points once the file is known to be TAP. */
static bool tap_point(const char *s, size_t n)
{
	size_t i = 2;
	if (n >= 4 && memcmp(s, "not ", 4) == 0) {
		s += 4;
		n -= 4;
	}
	if (n < 4 || s[0] != 'o' || s[1] != 'k' || s[2] != ' ')
		return false;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || !isdigit((unsigned char)s[i]))
		return false;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i == n || s[i] == ' ' || s[i] == '\t';
}

static bool tap_plan(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > 0 && i + 2 < n + 1 && i + 1 < n && s[i] == '.' && s[i + 1] == '.' &&
	       i + 2 < n && isdigit((unsigned char)s[i + 2]);
}

enum tr_format report_detect_buf(const char *data, size_t n)
{
	const char *p = data, *e = data + n;
	int lines = 0;

	if (n == 0 || memchr(data, '\0', n))
		return TR_FMT_UNKNOWN;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	p = skip_ws(p, e);
	if (p < e && *p == '<')
		return detect_xml(p, e);
	while (p < e && lines++ < 200) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;
		size_t len = (size_t)(le - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > 0 && *p == '{' && memmem(p, len, "\"Action\"", 8))
			return TR_FMT_GOJSON;
		if ((len >= 11 && memcmp(p, "TAP version", 11) == 0) || tap_point(p, len) || tap_plan(p, len))
			return TR_FMT_TAP;
		if ((len >= 3 && (memcmp(p, "TN:", 3) == 0 || memcmp(p, "SF:", 3) == 0)))
			return TR_FMT_LCOV;
		if (!nl)
			break;
		p = nl + 1;
	}
	return TR_FMT_UNKNOWN;
}

/* ---- reading one file ---- */

static enum wz_status open_regular(const char *path, int *fdp, struct wz_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return wz_err_set(err, e == ENOENT ? WZ_ENOENT : e == ELOOP ? WZ_ELOOP :
				  e == EACCES ? WZ_EACCES : WZ_EIO,
				  "%s: cannot open: %s", path, strerror(e));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		bool dir = S_ISDIR(st.st_mode);
		close(fd);
		return wz_err_set(err, dir ? WZ_EISDIR : WZ_EIO, dir ?
				  "%s: is a directory, expected a report file" :
				  "%s: not a regular file (device, FIFO or socket); skipped", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*fdp = fd;
	return WZ_OK;
}

static ssize_t read_head(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n < cap) {
		ssize_t k = pread(fd, buf + n, cap - n, (off_t)n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		n += (size_t)k;
	}
	return (ssize_t)n;
}

enum wz_status report_read(const char *path, enum tr_format fmt, struct tr_report **out,
			   struct wz_err *err)
{
	return report_read_keep(path, fmt, TR_KEEP_ALL, 0, out, err);
}

enum wz_status report_read_keep(const char *path, enum tr_format fmt, enum tr_keep keep, size_t keep_max,
				struct tr_report **out, struct wz_err *err)
{
	struct tr_report *r;
	enum wz_status st;
	int fd;

	*out = NULL;
	st = open_regular(path, &fd, err);
	if (st != WZ_OK)
		return st;
	if (fmt == TR_FMT_UNKNOWN) {
		char *head = xmalloc(REPORT_DETECT_BYTES);
		ssize_t n = read_head(fd, head, REPORT_DETECT_BYTES);
		if (n < 0) {
			int e = errno;
			free(head);
			close(fd);
			return wz_err_set(err, WZ_EIO, "%s: read error: %s", path, strerror(e));
		}
		if (n == 0) {
			free(head);
			close(fd);
			return wz_err_set(err, WZ_ETYPE, "%s: empty file, not a test or coverage report", path);
		}
		fmt = report_detect_buf(head, (size_t)n);
		free(head);
		if (fmt == TR_FMT_UNKNOWN) {
			close(fd);
			return wz_err_set(err, WZ_ETYPE,
					  "%s: not a known test or coverage report (expected JUnit XML, go test -json, "
					  "TAP, Cobertura/JaCoCo XML or lcov)", path);
		}
	}
	r = tr_report_new_keep(path, fmt, keep, keep_max);
	switch (fmt) {
	case TR_FMT_JUNIT: st = report_junit_read(fd, r, err); break;
	case TR_FMT_COBERTURA:
	case TR_FMT_JACOCO: st = report_cobertura_read(fd, r, err); break;
	case TR_FMT_LCOV: st = report_lcov_read(fd, r, err); break;
	case TR_FMT_TAP: st = report_tap_read(fd, r, err); break;
	case TR_FMT_GOJSON: st = report_gojson_read(fd, r, err); break;
	default: st = wz_err_set(err, WZ_ETYPE, "%s: unknown report format", path); break;
	}
	close(fd);
	if (st != WZ_OK) {
		tr_report_free(&r);
		return st;
	}
	*out = r;
	return WZ_OK;
}

/* ---- directory walk ---- */

struct walk {
	struct report_paths *out;
	dev_t *devs;
	ino_t *inos;
	size_t nvisited, visited_cap;
	size_t entries;
};

static void add_note(struct report_paths *p, char *note)
{
	if (p->nnotes >= 1000) {
		free(note);
		return;
	}
	p->notes = xgrow(p->notes, &p->notes_cap, p->nnotes + 1, sizeof *p->notes);
	p->notes[p->nnotes++] = note;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_report_file(const char *path)
{
	char *head;
	ssize_t n;
	int fd;
	enum tr_format f = TR_FMT_UNKNOWN;
	if (open_regular(path, &fd, NULL) != WZ_OK)
		return false;
	head = xmalloc(REPORT_DETECT_BYTES);
	n = read_head(fd, head, REPORT_DETECT_BYTES);
	if (n > 0)
		f = report_detect_buf(head, (size_t)n);
	free(head);
	close(fd);
	return f != TR_FMT_UNKNOWN;
}

static void walk_dir(struct walk *w, const char *dir, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (depth > 32) {
		add_note(w->out, xasprintf("%s: deeper than 32 levels; not descended", dir));
		return;
	}
	if (stat(dir, &st) != 0) {
		add_note(w->out, xasprintf("%s: %s; skipped", dir, strerror(errno)));
		return;
	}
	for (size_t i = 0; i < w->nvisited; i++) {
		if (w->devs[i] == st.st_dev && w->inos[i] == st.st_ino) {
			add_note(w->out, xasprintf("%s: already visited (symbolic link loop?); skipped", dir));
			return;
		}
	}
	{
		size_t c2 = w->visited_cap;
		w->devs = xgrow(w->devs, &w->visited_cap, w->nvisited + 1, sizeof *w->devs);
		w->inos = xgrow(w->inos, &c2, w->nvisited + 1, sizeof *w->inos);
		w->devs[w->nvisited] = st.st_dev;
		w->inos[w->nvisited++] = st.st_ino;
	}
	d = opendir(dir);
	if (!d) {
		add_note(w->out, xasprintf("%s: cannot open directory: %s; skipped", dir, strerror(errno)));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		if (++w->entries > 100000) {
			add_note(w->out, xasprintf("%s: more than 100000 entries; stopped walking", dir));
			break;
		}
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *p = fio_join(dir, names[i]);
		struct stat s2;
		if (stat(p, &s2) != 0) {
			if (errno == ELOOP)
				add_note(w->out, xasprintf("%s: symbolic link loop; skipped", p));
			free(p);
		} else if (S_ISDIR(s2.st_mode)) {
			walk_dir(w, p, depth + 1);
			free(p);
		} else if (S_ISREG(s2.st_mode) && is_report_file(p)) {
			w->out->v = xgrow(w->out->v, &w->out->cap, w->out->n + 1, sizeof *w->out->v);
			w->out->v[w->out->n++] = p;
		} else {
			free(p);
		}
		free(names[i]);
	}
	free(names);
}

enum wz_status report_walk(const char *dir, struct report_paths *out, struct wz_err *err)
{
	struct walk w = { .out = out };
	struct stat st;
	if (stat(dir, &st) != 0) {
		int e = errno;
		return wz_err_set(err, e == ENOENT ? WZ_ENOENT : e == ELOOP ? WZ_ELOOP : WZ_EIO,
				  "%s: %s", dir, strerror(e));
	}
	if (!S_ISDIR(st.st_mode))
		return wz_err_set(err, WZ_ENOTDIR, "%s: not a directory", dir);
	walk_dir(&w, dir, 0);
	free(w.devs);
	free(w.inos);
	return WZ_OK;
}

void report_paths_free(struct report_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	memset(p, 0, sizeof *p);
}

/* ---- line reader ---- */

void report_lines_init(struct report_lines *it, int fd)
{
	memset(it, 0, sizeof *it);
	it->fd = fd;
	it->cap = 256u << 10;
	it->buf = xmalloc(it->cap + 1);
}

void report_lines_free(struct report_lines *it)
{
	free(it->buf);
	it->buf = NULL;
}

/* Reads more bytes after compacting; false at end of file or error. */
static bool fill(struct report_lines *it)
{
	ssize_t k;
	if (it->eof)
		return false;
	if (it->pos > 0) {
		memmove(it->buf, it->buf + it->pos, it->len - it->pos);
		it->len -= it->pos;
		it->pos = 0;
	}
	if (it->len == it->cap) {
		it->cap *= 2;
		it->buf = xrealloc(it->buf, it->cap + 1);
	}
	do
		k = read(it->fd, it->buf + it->len, it->cap - it->len);
	while (k < 0 && errno == EINTR);
	if (k <= 0) {
		it->eof = true;
		it->error = k < 0;
		return false;
	}
	it->len += (size_t)k;
	return true;
}

bool report_lines_next(struct report_lines *it, char **line, size_t *len)
{
	size_t scanned = 0, n;
	char *start;

	while (it->skip_rest) {
		char *nl = memchr(it->buf + it->pos, '\n', it->len - it->pos);
		if (nl) {
			it->pos = (size_t)(nl - it->buf) + 1;
			it->skip_rest = false;
		} else {
			it->pos = it->len;
			if (!fill(it))
				it->skip_rest = false;
		}
	}
	it->cut = false;
	it->last_no_newline = false;
	for (;;) {
		size_t avail = it->len - it->pos;
		char *nl;
		start = it->buf + it->pos;
		nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
		if (nl) {
			n = (size_t)(nl - start);
			it->pos += n + 1;
			break;
		}
		if (avail >= REPORT_LINE_MAX) {
			n = REPORT_LINE_MAX;
			it->pos += n;
			it->cut = true;
			it->skip_rest = true;
			break;
		}
		scanned = avail;
		if (!fill(it)) {
			start = it->buf + it->pos;
			n = it->len - it->pos;
			if (n == 0)
				return false;
			it->pos += n;
			it->last_no_newline = true;
			break;
		}
	}
	it->lineno++;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	if (it->lineno == 1 && n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		n -= 3;
	}
	start[n] = '\0';
	*line = start;
	*len = n;
	return true;
}

/* ---- XML ---- */

static void xml_error(void *arg, xmlErrorPtr e)
{
	struct report_xml *x = arg;
	size_t n;
	if (!e || e->level < XML_ERR_ERROR || x->failed)
		return;
	x->failed = true;
	x->err_line = e->line;
	snprintf(x->err_msg, sizeof x->err_msg, "%s", e->message ? e->message : "XML error");
	for (char *q = x->err_msg; *q; q++)
		if (*q == '\n')
			*q = ' ';
	n = strlen(x->err_msg);
	while (n > 0 && (x->err_msg[n - 1] == '\n' || x->err_msg[n - 1] == ' '))
		x->err_msg[--n] = '\0';
}

bool report_xml_open(struct report_xml *x, int fd, const char *path)
{
	memset(x, 0, sizeof *x);
	/* No XML_PARSE_NOENT (entities stay references), no DTD loading, no
	 * network, no XML_PARSE_HUGE (libxml2's default size limits hold). */
	x->rd = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			       XML_PARSE_NOWARNING | XML_PARSE_COMPACT | XML_PARSE_NOCDATA);
	if (!x->rd)
		return false;
	xmlTextReaderSetStructuredErrorHandler(x->rd, xml_error, x);
	return true;
}

void report_xml_close(struct report_xml *x)
{
	if (x->rd)
		xmlFreeTextReader(x->rd);
	x->rd = NULL;
}

char *report_xml_attr(struct report_xml *x, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(x->rd, (const xmlChar *)name);
	char *s;
	if (!v)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}
