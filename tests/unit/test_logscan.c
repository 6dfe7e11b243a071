/* test_logscan.c - the streaming runner-log scanner (md_logscan.h) and
 * fio_stream(): the same counts as the whole-file reader for any block
 * size, bounded lines, holes, hostile bytes, cancel and progress. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jobs.h"
#include "model/run.h"
#include "sources/md_logscan.h"
#include "sources/md_tests.h"
#include "sources/runmd.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#define LOG_REL "data/runs/dss-raw-test-logs/tools/demoswarm-pack-check/test_output.log"

static char *shared_path(const char *rel)
{
	const char *s = getenv("SHARED");
	char *base = s && *s ? xstrdup(s) : xasprintf("%s/../shared", getenv("top_srcdir") ? getenv("top_srcdir") : "..");
	char *p = fio_join(base, rel);
	free(base);
	return p;
}

static char *scratch(void)
{
	char tmpl[] = "/tmp/wz-logscan.XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return xstrdup(d);
}

static void rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Feeds d[0..n) in blocks of blk bytes; with holes, runs of NUL bytes go
 * in as holes (data == NULL), as fio_stream hands sparse extents over. */
static void scan_split(const char *d, size_t n, size_t blk, bool holes, size_t line_max,
		       struct mdt_logscan *s)
{
	size_t off = 0;
	mdt_logscan_init(s, line_max);
	while (off < n) {
		size_t k = n - off < blk ? n - off : blk, i = 0;
		if (!holes) {
			mdt_logscan_feed(s, d + off, k);
		} else {
			while (i < k) {
				size_t j = i;
				bool z = d[off + i] == 0;
				while (j < k && (d[off + j] == 0) == z)
					j++;
				mdt_logscan_feed(s, z ? NULL : d + off + i, j - i);
				i = j;
			}
		}
		off += k;
	}
	mdt_logscan_finish(s);
}

static void assert_counts_equal(const struct mdt_counts *a, const struct mdt_counts *b)
{
	int f;
	assert_int_equal(a->found, b->found);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->nlines, b->nlines);
	assert_string_equal(a->runner, b->runner);
	for (f = 0; f < MDT_NFIELDS; f++) {
		assert_int_equal(a->has[f], b->has[f]);
		assert_true(a->v[f] == b->v[f]);
	}
}

/* The streaming result equals the whole-buffer one for this split. */
static void assert_same(const char *d, size_t n, size_t blk, bool holes)
{
	struct mdt_counts w;
	struct mdt_logscan s;
	size_t bad = 0;
	bool ok;
	mdt_runner_log(d, n, &w);
	ok = txt_utf8_valid(d, n, &bad);
	scan_split(d, n, blk, holes, 0, &s);
	assert_counts_equal(&s.counts, &w);
	assert_int_equal(s.has_bad_utf8, !ok);
	if (!ok) {
		assert_int_equal(s.bad_utf8, bad);
		if (!memchr(d, 0, bad))    /* txt_line_of stops at a NUL */
			assert_int_equal(s.bad_utf8_line, txt_line_of(d, bad));
	}
	assert_int_equal(s.bytes, n);
	assert_int_equal(s.ncut, 0);
	mdt_logscan_free(&s);
}

static void assert_same_all_splits(const char *d, size_t n)
{
	size_t blk;
	for (blk = 1; blk <= 17; blk++) {
		assert_same(d, n, blk, false);
		assert_same(d, n, blk, true);
	}
	assert_same(d, n, 4096, false);
	assert_same(d, n, n ? n : 1, true);
}

/* ---- the real cargo log -------------------------------------------------- */

static void real_log_small_blocks(void **state)
{
	char *p = shared_path(LOG_REL), *d = NULL;
	size_t len, blocks[] = {1, 7, 64, 4096, 0};
	struct wz_err err;
	struct mdt_counts w;
	struct mdt_logscan s;
	int i;
	(void)state;
	assert_int_equal(fio_read(p, FIO_DEFAULT_MAX, &d, &len, &err), WZ_OK);
	assert_int_equal(len, 28997);
	mdt_runner_log(d, len, &w);
	/* by hand (grep -n 'test result:'): lines 339, 345, 392;
	 * 333 + 0 + 41 passed, nothing failed or ignored; 393 lines */
	assert_string_equal(w.runner, "cargo");
	assert_int_equal(w.nlines, 3);
	assert_int_equal(w.line, 339);
	assert_true(w.v[MDT_PASSED] == 374 && w.v[MDT_FAILED] == 0 && w.v[MDT_SKIPPED] == 0);
	for (i = 0; i < (int)(sizeof blocks / sizeof blocks[0]); i++) {
		assert_int_equal(mdt_logscan_file(p, blocks[i], 0, &s, &err), WZ_OK);
		assert_counts_equal(&s.counts, &w);
		assert_string_equal(s.counts.runner, "cargo");
		assert_int_equal(s.counts.nlines, 3);
		assert_int_equal(s.counts.line, 339);
		assert_true(s.counts.v[MDT_PASSED] == 374);
		assert_int_equal(s.raw_lines, 393);
		assert_int_equal(s.lineno, 393);
		assert_int_equal(s.bytes, 28997);
		assert_false(s.has_bad_utf8);
		assert_int_equal(s.ncut, 0);
		mdt_logscan_free(&s);
	}
	/* and every split of it in memory, holes or not */
	assert_same(d, len, 7, false);
	assert_same(d, len, 7, true);
	assert_same(d, len, 1, false);
	free(d);
	free(p);
}

/* ---- hostile bytes: the same as the whole-file reader ---------------------- */

static void hazards_equal_whole(void **state)
{
	static const char *const cases[] = {
		/* CR-only line ends: one line, its last segment counts */
		"running\rtest a ... ok\rtest result: ok. 2 passed; 0 failed; 1 ignored\r",
		"x\rtest result: ok. 2 passed; 1 failed\ry",
		/* CRLF and CR CR LF */
		"test result: ok. 3 passed; 0 failed\r\n\r\n== 1 passed in 0.1s ==\r\r\n",
		/* escapes: colours, OSC-8 link, an OSC that spans lines, a CSI whose
		 * final byte is a LF, a lone ESC at the end */
		"\x1b[32mtest result:\x1b[0m ok. 4 passed; 0 failed\n",
		"\x1b]8;;http://x\x1b\\Tests:\x1b]8;;\x1b\\ 1 failed, 5 passed, 6 total\n",
		"a\x1b]title\nline two\ntest result: ok. 9 passed\a\ntest result: ok. 1 passed\n",
		"\x1b[\ntest result: ok. 5 passed\n\x1b",
		"\x1b\x1b[1mTests: 2 passed\x1b",
		"\x1b]unterminated OSC\ntest result: ok. 1 passed\n",
		"\x1b]x\x1b\x1b\\test result: ok. 8 passed\n",
		/* truncated summaries */
		"test result: ok. 12 pass",
		"test result: ok. 12",
		"test result: ok. 7 passed; 1 fai",
		"==== 3 passed in",
		/* invalid UTF-8: a lone continuation, an overlong, a surrogate, a
		 * cut sequence at the end, one cut by a LF */
		"ok\n\x80test result: ok. 1 passed\n",
		"a\nb\n\xc0\xafTests: 1 passed\n",
		"\xed\xa0\x80\n",
		"test result: ok. 2 passed\n\xe2\x82",
		"\xe2\x82\ntest result: ok. 2 passed\n",
		"\xf4\x90\x80\x80 \xf0\x9f\x98\x80 ok\n",
		/* what the cheap pre-test must let through */
		"x::y test result: ok. 1 passed\n \t== 3 passed in 1s\n5 passed in 2s\n",
		"\v\fTests: 4 passed\n==== 2 failed, 1 passed in 0.5s\nmid Tests: 9 passed\n",
		"result: 3 passed\ntest result 3 passed\n:test result: 2 passed\n",
		"", "\n", "\r", "\x1b",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_same_all_splits(cases[i], strlen(cases[i]));
	/* NUL bytes inside lines, as data and as holes */
	{
		static const char nul[] = "test\0 result: x\n\0\0\0test result: ok. 3 passed\0\n\0\0\n"
					  "\x1b[\0test result: ok. 1 passed\n\x1b]\0\0\0\a== 2 passed in 1s ==\n\xe2\0";
		assert_same_all_splits(nul, sizeof nul - 1);
	}
}

/* Random byte soup from the characters that matter, every split. */
static void random_soup_equal_whole(void **state)
{
	static const char *const atoms[] = {
		"\n", "\r", "\r\n", "\x1b", "[", "]", "\a", "\\", "0", ";", " ", "=", "\0",
		"test result: ok. ", "3 passed; ", "1 failed; ", "2 ignored", "Tests: ",
		"== 4 passed in 0.1s ==", " in ", "\xe2\x82\xac", "\xc3", "\x80", "m", "7",
	};
	char buf[512];
	unsigned seed = 12345;
	int it;
	(void)state;
	for (it = 0; it < 3000; it++) {
		size_t n = 0;
		int parts = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
		while (parts-- > 0) {
			const char *a;
			size_t k;
			seed = seed * 1103515245u + 12345u;
			a = atoms[(seed >> 16) % (sizeof atoms / sizeof atoms[0])];
			k = a[0] ? strlen(a) : 1;
			if (n + k > sizeof buf)
				break;
			memcpy(buf + n, a, k);
			n += k;
		}
		assert_same(buf, n, 1 + it % 13, (it & 1) != 0);
		assert_same(buf, n, 4096, (it & 2) != 0);
	}
}

/* A 100 MB line is cut at line_max and flagged; the lines after it count;
 * memory is the line buffer, not the line. */
static void long_line_cut(void **state)
{
	size_t big = (size_t)100 << 20, n = 0;
	char *d = xmalloc(big + 256);
	struct mdt_logscan s;
	(void)state;
	n += (size_t)sprintf(d, "test result: ok. 1 passed\n");
	memset(d + n, 'x', big);
	n += big;
	n += (size_t)sprintf(d + n, "test result: ok. 99 passed\ntest result: ok. 2 passed; 1 failed\n");
	scan_split(d, n, (size_t)1 << 20, false, 0, &s);
	assert_int_equal(s.ncut, 1);
	assert_int_equal(s.first_cut_line, 2);
	assert_int_equal(s.longest, big + strlen("test result: ok. 99 passed"));
	assert_int_equal(s.seg_cap, MDT_LINE_MAX);
	/* line 2 is read from its first 64 KiB only: its summary is lost */
	assert_int_equal(s.counts.nlines, 2);
	assert_true(s.counts.v[MDT_PASSED] == 3 && s.counts.v[MDT_FAILED] == 1);
	assert_int_equal(s.counts.line, 1);
	assert_int_equal(s.lineno, 3);
	mdt_logscan_free(&s);
	/* a line just at the limit is whole; one byte more is cut */
	{
		size_t lm = 32;
		const char *t = "test result: ok. 1234567 passed\n";   /* 31 + LF */
		scan_split(t, strlen(t), 5, false, lm, &s);
		assert_int_equal(s.ncut, 0);
		assert_true(s.counts.v[MDT_PASSED] == 1234567);
		mdt_logscan_free(&s);
		scan_split(t, strlen(t), 5, false, 30, &s);
		assert_int_equal(s.ncut, 1);
		assert_false(s.counts.found);   /* "… 1234567 passe": not a summary */
		mdt_logscan_free(&s);
	}
	free(d);
}

/* ---- files: errors, holes, progress, cancel -------------------------------- */

static void put(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void file_errors(void **state)
{
	char *dir = scratch(), *p;
	struct mdt_logscan s;
	struct wz_err err;
	(void)state;
	p = fio_join(dir, "missing.log");
	assert_int_equal(mdt_logscan_file(p, 0, 0, &s, &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "missing.log"));
	mdt_logscan_free(&s);
	assert_int_equal(mdt_logscan_file(dir, 0, 0, &s, &err), WZ_EISDIR);
	mdt_logscan_free(&s);
	free(p);
	p = fio_join(dir, "fifo.log");
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(mdt_logscan_file(p, 0, 0, &s, &err), WZ_EIO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	mdt_logscan_free(&s);
	free(p);
	p = fio_join(dir, "loop.log");
	assert_int_equal(symlink("loop.log", p), 0);
	assert_int_equal(mdt_logscan_file(p, 0, 0, &s, &err), WZ_ELOOP);
	mdt_logscan_free(&s);
	free(p);
	p = fio_join(dir, "empty.log");
	put(p, "", 0);
	assert_int_equal(mdt_logscan_file(p, 0, 0, &s, &err), WZ_OK);
	assert_false(s.counts.found);
	assert_int_equal(s.lineno, 0);
	mdt_logscan_free(&s);
	free(p);
	rm_rf(dir);
	free(dir);
}

struct prog {
	unsigned long long last, total;
	int calls, stop_after;
};

static void prog_report(void *arg, unsigned long long done, unsigned long long total)
{
	struct prog *p = arg;
	assert_true(done >= p->last);
	p->last = done;
	p->total = total;
	p->calls++;
}

static bool prog_stop(void *arg)
{
	struct prog *p = arg;
	return p->stop_after >= 0 && p->calls >= p->stop_after;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A 300 MB sparse log (over the old 256 MiB refusal): a summary, a hole of
 * NULs, a LF and a summary at the end. Holes are not read, so it is fast;
 * the NUL line is cut; both summaries count; progress reaches the size;
 * the thread's hooks cancel it. */
static void sparse_log_streams(void **state)
{
	static const char head[] = "test result: ok. 3 passed; 0 failed\n";
	static const char tail[] = "\ntest result: FAILED. 4 passed; 1 failed; 2 ignored\n";
	off_t size = (off_t)300 << 20;
	char *dir = scratch(), *p = fio_join(dir, "sparse.log");
	struct mdt_logscan s;
	struct wz_err err;
	struct prog pr = {0, 0, 0, -1};
	struct fio_progress fp = {prog_report, prog_stop, &pr};
	const struct fio_progress *old;
	double t0;
	int fd;
	(void)state;
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(pwrite(fd, head, sizeof head - 1, 0), (ssize_t)(sizeof head - 1));
	assert_int_equal(pwrite(fd, tail, sizeof tail - 1, size - (off_t)(sizeof tail - 1)),
			 (ssize_t)(sizeof tail - 1));
	assert_int_equal(close(fd), 0);
	old = fio_progress_set(&fp);
	t0 = now_s();
	assert_int_equal(mdt_logscan_file(p, 0, 0, &s, &err), WZ_OK);
	assert_true(now_s() - t0 < 20);
	assert_int_equal(pr.last, (unsigned long long)size);
	assert_int_equal(pr.total, (unsigned long long)size);
	assert_int_equal(s.bytes, (unsigned long long)size);
	assert_int_equal(s.counts.nlines, 2);
	assert_int_equal(s.counts.line, 1);
	assert_string_equal(s.counts.runner, "cargo");
	assert_true(s.counts.v[MDT_PASSED] == 7 && s.counts.v[MDT_FAILED] == 1 && s.counts.v[MDT_SKIPPED] == 2);
	assert_int_equal(s.lineno, 3);
	assert_int_equal(s.ncut, 1);
	assert_int_equal(s.first_cut_line, 2);
	mdt_logscan_free(&s);
	/* cancel after the first block */
	pr = (struct prog){0, 0, 0, 1};
	assert_int_equal(mdt_logscan_file(p, 4096, 0, &s, &err), WZ_ECANCELED);
	assert_non_null(strstr(err.msg, "sparse.log"));
	assert_non_null(strstr(err.msg, "cancel"));
	assert_true(s.bytes < (unsigned long long)size);
	mdt_logscan_free(&s);
	fio_progress_set(old);
	assert_null(fio_progress_current());
	free(p);
	rm_rf(dir);
	free(dir);
}

/* runmd_fill streams build/test_output.log: a 300 MB log counts (it was
 * refused over 256 MiB), the cut line and bad UTF-8 are warnings with a
 * line number. */
static void runmd_counts_big_log(void **state)
{
	static const char head[] = "\x1b[1mtest result:\x1b[0m ok. 3 passed; 0 failed\n\xff\n";
	static const char tail[] = "\ntest result: ok. 4 passed; 1 failed\n";
	off_t size = (off_t)300 << 20;
	char *dir = scratch(), *b = fio_join(dir, "build"), *p = fio_join(b, "test_output.log");
	struct run *r = run_new();
	int fd;
	size_t i;
	bool warned_utf8 = false, warned_cut = false;
	(void)state;
	assert_int_equal(mkdir(b, 0755), 0);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(pwrite(fd, head, sizeof head - 1, 0), (ssize_t)(sizeof head - 1));
	assert_int_equal(pwrite(fd, tail, sizeof tail - 1, size - (off_t)(sizeof tail - 1)),
			 (ssize_t)(sizeof tail - 1));
	assert_int_equal(close(fd), 0);
	r->path = xstrdup(dir);
	runmd_fill(r);
	assert_int_equal(r->ntests, 1);
	assert_string_equal(r->tests[0].source, "build/test_output.log cargo runner, 2 summary lines");
	assert_true(r->tests[0].passed.v == 7 && r->tests[0].failed.v == 1);
	assert_string_equal(r->tests[0].src.path, "build/test_output.log");
	assert_int_equal(r->tests[0].src.line, 1);
	for (i = 0; i < r->warnings.n; i++) {
		if (strstr(r->warnings.v[i], "build/test_output.log:2: invalid UTF-8 at byte 44"))
			warned_utf8 = true;
		if (strstr(r->warnings.v[i], "build/test_output.log:3: 1 line longer than 64 KiB"))
			warned_cut = true;
	}
	assert_true(warned_utf8);
	assert_true(warned_cut);
	run_free(&r);
	free(p);
	free(b);
	rm_rf(dir);
	free(dir);
}

/* Inside a job, a streamed log reports bytes as the job's progress and
 * stops when the job is cancelled (the worker installs the fio hooks). */
struct jarg {
	const char *path;
	atomic_int go, running;
	enum wz_status st;
	size_t done, total;
	unsigned long long bytes;
};

static enum job_outcome scan_work(struct job *j, void *arg)
{
	struct jarg *a = arg;
	struct mdt_logscan s;
	struct wz_err err;
	struct job_info ji[4];
	size_t n, i;
	atomic_store(&a->running, 1);
	while (!atomic_load(&a->go))
		usleep(1000);
	a->st = mdt_logscan_file(a->path, 4096, 0, &s, &err);
	a->bytes = s.bytes;
	mdt_logscan_free(&s);
	n = job_list(ji, 4);
	for (i = 0; i < n; i++)
		if (ji[i].id == job_id(j)) {
			a->done = ji[i].done;
			a->total = ji[i].total;
		}
	return a->st == WZ_OK ? JOB_OK : JOB_STOPPED;
}

static void scan_release(void *arg)
{
	(void)arg;
}

static void job_progress_and_cancel(void **state)
{
	static const char tail[] = "\ntest result: ok. 4 passed\n";
	off_t size = (off_t)64 << 20;
	char *dir = scratch(), *p = fio_join(dir, "job.log");
	struct jarg a = {.path = p};
	struct job_spec js = {0};
	unsigned id;
	int fd;
	(void)state;
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(pwrite(fd, tail, sizeof tail - 1, size - (off_t)(sizeof tail - 1)),
			 (ssize_t)(sizeof tail - 1));
	assert_int_equal(close(fd), 0);
	assert_true(job_init(1, -1));
	js.label = "scan log";
	js.owner = -1;
	js.work = scan_work;
	js.release = scan_release;
	js.arg = &a;
	/* runs to the end: progress is the file's size */
	atomic_store(&a.go, 1);
	assert_true(job_submit(&js) > 0);
	assert_true(job_wait_idle(60));
	assert_int_equal(a.st, WZ_OK);
	assert_int_equal(a.bytes, (unsigned long long)size);
	assert_int_equal(a.total, (size_t)size);
	assert_int_equal(a.done, (size_t)size);
	job_dispatch();
	/* cancelled while it runs: the read stops at the next block */
	atomic_store(&a.go, 0);
	a.bytes = 0;
	atomic_store(&a.running, 0);
	id = job_submit(&js);
	assert_true(id > 0);
	while (!atomic_load(&a.running))   /* the worker has it */
		usleep(1000);
	assert_true(job_cancel(id));
	atomic_store(&a.go, 1);
	assert_true(job_wait_idle(60));
	assert_int_equal(a.st, WZ_ECANCELED);
	assert_true(a.bytes < (unsigned long long)size);
	job_dispatch();
	job_shutdown();
	assert_null(fio_progress_current());
	free(p);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_log_small_blocks),
		cmocka_unit_test(hazards_equal_whole),
		cmocka_unit_test(random_soup_equal_whole),
		cmocka_unit_test(long_line_cut),
		cmocka_unit_test(file_errors),
		cmocka_unit_test(sparse_log_streams),
		cmocka_unit_test(runmd_counts_big_log),
		cmocka_unit_test(job_progress_and_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
