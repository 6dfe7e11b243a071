/* report_harness.h - the body shared by the test-report harnesses
 * (fuzz_junit.c, fuzz_cobertura.c, fuzz_lcov.c, fuzz_tap.c, fuzz_gojson.c).
 *
 * The readers take an open file descriptor, so the input is put in an
 * anonymous memory file (memfd_create) — no disk, the real read(2) path.
 * After the reader, every string a report holds is sanitised the way the
 * console would before showing it (tr_sanitize), and the result is checked:
 * no negative total, coverage lines of a file sorted and unique (as
 * testreport.h promises after tr_report_finish), messages bounded.
 * Ownership: everything is released before returning.
 */
#ifndef WZ_FUZZ_REPORT_HARNESS_H
#define WZ_FUZZ_REPORT_HARNESS_H

#include "harness.h"
#include "model/testreport.h"
#include "sources/report_detect.h"
#include "sources/report_readers.h"
#include "util/buf.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef enum wz_status (*fz_report_reader)(int fd, struct tr_report *r, struct wz_err *err);

static inline int fz_memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-report", 0);
	if (fd < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

static inline void fz_show(struct buf *b, const char *s)
{
	if (s)
		tr_sanitize(b, s, strlen(s), false);
}

static inline void fz_check_report(const struct tr_report *r)
{
	const struct tr_totals *t = &r->totals;
	struct buf b = {0};

	if (t->tests < 0 || t->passed < 0 || t->failed < 0 || t->errors < 0 || t->skipped < 0 ||
	    t->todo < 0 || t->flaky < 0 || t->suite_errors < 0) {
		fprintf(stderr, "negative total\n");
		abort();
	}
	if (r->ncases > r->cases_cap && r->cases_cap)
		abort();
	for (size_t i = 0; i < r->ncases; i++) {
		const struct tr_case *c = &r->cases[i];
		fz_show(&b, c->id);
		fz_show(&b, c->suite);
		fz_show(&b, c->classname);
		fz_show(&b, c->name);
		fz_show(&b, c->message);
		fz_show(&b, c->text);
		fz_show(&b, c->file);
		(void)tr_status_name(c->status);
		if (c->message && strlen(c->message) > TR_MESSAGE_MAX * 4) {
			fprintf(stderr, "message of %zu bytes\n", strlen(c->message));
			abort();
		}
		buf_reset(&b);
	}
	for (size_t i = 0; i < r->ndeclared; i++) {
		fz_show(&b, r->declared[i].key);
		fz_show(&b, r->declared[i].raw);
		(void)tr_get_declared(r, r->declared[i].key);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct tr_cov_file *f = &r->files[i];
		fz_show(&b, f->path);
		for (size_t k = 1; k < f->nlines; k++)
			if (f->lines[k].line <= f->lines[k - 1].line) {
				fprintf(stderr, "%s: coverage lines not sorted/unique at %zu\n",
					f->path ? f->path : "?", k);
				abort();
			}
	}
	for (size_t i = 0; i < r->nwarnings; i++)
		fz_show(&b, r->warnings[i]);
	fz_show(&b, r->error);
	fz_show(&b, r->plan);
	buf_free(&b);
}

static inline int fz_report_one(const uint8_t *data, size_t size, const char *path,
				enum tr_format fmt, fz_report_reader reader)
{
	int fd = fz_memfd(data, size);
	struct tr_report *r = tr_report_new(path, fmt);
	struct wz_err err;
	wz_err_clear(&err);
	if (reader(fd, r, &err) == WZ_OK)
		fz_check_report(r);
	tr_report_free(&r);
	close(fd);
	(void)report_detect_buf((const char *)data, size);
	return 0;
}

#endif
