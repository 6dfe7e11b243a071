/* test_scan_once.c - a run's folders are walked once: runs_open() builds
 * the file inventory, and the test history and the coverage evidence take
 * the run's report files from it (no folder of the run is opened again,
 * each report candidate is sniffed once); the walk and the readers stop on
 * the cancel flag with WZ_ECANCELED; another run's walk is bounded and the
 * cut is said.
 *
 * opendir() is interposed (this program's definition wins over libc's for
 * the library code linked in) to count the folders opened under a path. */
#include "config.h"

#define _GNU_SOURCE 1
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "model/inventory.h"
#include "sources/cov_evidence.h"
#include "sources/inv_reports.h"
#include "sources/report_detect.h"
#include "sources/runs.h"
#include "sources/testhist.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* ---- opendir counter ---- */

static char count_under[512];   /* count opens of folders under this path */
static unsigned long opens_under;

DIR *opendir(const char *name)
{
	static DIR *(*real)(const char *);
	if (!real)
		real = (DIR * (*)(const char *)) dlsym(RTLD_NEXT, "opendir");
	if (count_under[0] && strncmp(name, count_under, strlen(count_under)) == 0)
		opens_under++;
	return real(name);
}

/* ---- fixture ---- */

static char scratch[256];

static char *at(const char *rel)
{
	return xasprintf("%s/%s", scratch, rel);
}

static void put(const char *rel, const char *text)
{
	struct wz_err err;
	char *path = at(rel), *dir = xstrdup(path);
	*strrchr(dir, '/') = 0;
	assert_int_equal(fio_mkdirs(dir, 0777, &err), WZ_OK);
	assert_int_equal(fio_write_atomic(path, text, strlen(text), &err), WZ_OK);
	free(dir);
	free(path);
}

static const char junit_fail[] =
	"<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"2\" failures=\"1\">"
	"<testcase classname=\"c\" name=\"t_ok\"/>"
	"<testcase classname=\"c\" name=\"t_bad\"><failure message=\"m\">x</failure></testcase></testsuite>\n";
static const char junit_old[] =
	"<?xml version=\"1.0\"?>\n<testsuite name=\"s\" tests=\"1\" failures=\"0\">"
	"<testcase classname=\"c\" name=\"t_bad\"/></testsuite>\n";
static const char lcov[] = "TN:\nSF:src/a.c\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n";

static void meta(const char *run, const char *updated)
{
	char *rel = xasprintf("repo/.runs/%s/run_meta.json", run);
	char *text = xasprintf("{\"run_id\": \"%s\", \"created_at\": \"%s\", \"updated_at\": \"%s\"}\n", run, updated,
			       updated);
	put(rel, text);
	free(rel);
	free(text);
}

/* repo/.runs/cur: folders signal, build, build/a, build/a/b (4); in build/
 * a JUnit report (a/junit.xml), an lcov report (a/b/lcov.info), a log, an
 * empty file. repo/.runs/old: an earlier run with one JUnit report. */
static int setup(void **state)
{
	(void)state;
	snprintf(scratch, sizeof scratch, "%s/wz-scan.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(scratch))
		return -1;
	meta("cur", "2025-12-20T05:00:00Z");
	put("repo/.runs/cur/signal/issue.md", "# issue\n");
	put("repo/.runs/cur/build/a/junit.xml", junit_fail);
	put("repo/.runs/cur/build/a/b/lcov.info", lcov);
	put("repo/.runs/cur/build/test_output.log", "Compiling demo\nFinished\n");
	put("repo/.runs/cur/build/empty.txt", "");
	meta("old", "2025-12-10T05:00:00Z");
	put("repo/.runs/old/build/junit.xml", junit_old);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc = system(cmd);
	free(cmd);
	count_under[0] = 0;
	return rc == 0 ? 0 : -1;
}

static bool listed(const struct str_list *l, const char *a, const char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (strstr(l->v[i], a) && (!b || strstr(l->v[i], b)))
			return true;
	return false;
}

/* ---- one walk ---- */

static void test_walked_once(void **state)
{
	(void)state;
	struct wz_err err;
	struct run *r = NULL;
	struct th_history *h = NULL;
	struct cov_evidence *e = NULL, **hist = NULL;
	size_t nhist = 0;
	double ht;
	char *run = at("repo/.runs/cur");

	/* realpath: the walk opens folders by the run's absolute path */
	assert_non_null(realpath(run, count_under));
	opens_under = 0;
	unsigned long walk0 = atomic_load(&run_inventory_dir_opens);
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	/* signal, build, build/a, build/a/b: each opened exactly once */
	assert_int_equal(opens_under, 4);
	assert_int_equal(atomic_load(&run_inventory_dir_opens) - walk0, 4);
	assert_non_null(r->inventory);
	assert_int_equal(r->inventory->ndirs, 4);
	assert_false(r->inventory->capped);
	/* 5 files, in name order per folder, with their sizes */
	assert_int_equal(r->inventory->n, 5);
	assert_string_equal(r->inventory->v[0].rel, "signal/issue.md");
	assert_string_equal(r->inventory->v[1].rel, "build/a/b/lcov.info");
	assert_int_equal(r->inventory->v[1].size, (long long)strlen(lcov));
	assert_string_equal(r->inventory->v[2].rel, "build/a/junit.xml");
	assert_string_equal(r->inventory->v[3].rel, "build/empty.txt");
	assert_int_equal(r->inventory->v[3].size, 0);
	assert_string_equal(r->inventory->v[4].rel, "build/test_output.log");
	/* the flow counts are what they were: 4 files in build/, 1 in signal/ */
	assert_int_equal(r->flows[FLOW_BUILD].nfiles, 4);
	assert_int_equal(r->flows[FLOW_SIGNAL].nfiles, 1);

	/* the readers: no folder of this run is opened again, and each of
	 * its 3 non-empty build files is sniffed once between them */
	opens_under = 0;
	unsigned long sniff0 = atomic_load(&inv_report_sniffs);
	assert_int_equal(th_gather(r, &h, &err), WZ_OK);
	assert_int_equal(h->cur.nreports, 1);
	assert_int_equal(h->cur.executed, 2);
	assert_int_equal(h->cur.failed, 1);
	assert_int_equal(h->nearlier, 1);
	assert_string_equal(h->earlier[0].run_id, "old");
	assert_int_equal(h->caps.n, 0);
	/* this run's 3 non-empty build files, and old's junit.xml */
	assert_int_equal(atomic_load(&inv_report_sniffs) - sniff0, 4);
	sniff0 = atomic_load(&inv_report_sniffs);
	assert_int_equal(cov_gather_ex(r, "", NAN, true, NULL, &e, &err), WZ_OK);
	/* the formats are known now: nothing of this run is opened to sniff */
	assert_int_equal(atomic_load(&inv_report_sniffs) - sniff0, 0);
	assert_int_equal(e->nreports, 1);
	assert_string_equal(e->reports[0].where, "build/a/b/lcov.info");
	assert_int_equal(e->reports[0].found, 2);
	assert_int_equal(e->reports[0].hit, 1);
	assert_int_equal(cov_gather_history(r, &hist, &nhist, &ht, &err), WZ_OK);
	assert_int_equal(nhist, 1);
	assert_int_equal(opens_under, 0);
	/* old's own walk and sniff (another run is read by each reader) */
	assert_int_equal(atomic_load(&inv_report_sniffs) - sniff0, 1);

	/* the inventory finds what a walk of build/ finds, in the same order */
	{
		struct report_paths a = { 0 }, b = { 0 };
		char *build = fio_join(r->path, "build");
		assert_int_equal(report_walk(build, &a, &err), WZ_OK);
		assert_int_equal(inv_report_paths(r->inventory, "build", NULL, &b, &err), WZ_OK);
		assert_int_equal(a.n, 2);
		assert_int_equal(b.n, a.n);
		for (size_t i = 0; i < a.n; i++)
			assert_string_equal(b.v[i], a.v[i]);
		report_paths_free(&a);
		report_paths_free(&b);
		free(build);
	}
	cov_history_free(&hist, &nhist);
	cov_evidence_free(&e);
	th_history_free(&h);
	run_free(&r);
	free(run);
}

/* ---- cancel ---- */

struct stopper {
	size_t calls, stop_after;
	volatile sig_atomic_t flag;
};

static void on_progress(void *arg, size_t files, const char *phase)
{
	struct stopper *s = arg;
	(void)files;
	(void)phase;
	if (++s->calls >= s->stop_after)
		s->flag = 1;
}

static void test_cancel(void **state)
{
	(void)state;
	struct wz_err err;
	struct run *r = NULL;
	struct th_history *h = NULL;
	struct cov_evidence **hist = NULL, *e = NULL;
	size_t nhist = 0;
	struct stopper s = { 0, 2, 0 };
	struct scan_hook hook = { on_progress, NULL, &s, &s.flag };
	char *big = at("repo/.runs/cur/build/many");
	char *run = at("repo/.runs/cur");

	assert_int_equal(fio_mkdirs(big, 0777, &err), WZ_OK);
	for (int i = 0; i < 5000; i++) {
		char *p = xasprintf("%s/f%05d", big, i);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fclose(f);
		free(p);
	}
	/* stopped at the second progress call (2048 files), not at 5005 */
	wz_err_clear(&err);
	assert_int_equal(runs_open_ex(run, NULL, &hook, &r, &err), WZ_ECANCELED);
	assert_null(r);
	assert_non_null(strstr(err.msg, "canceled after 2048 files"));
	assert_non_null(strstr(err.msg, "repo/.runs/cur"));
	assert_int_equal(s.calls, 2);

	/* a flag set before the readers start stops each at once */
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(r->inventory->n, 5005);
	s.flag = 1;
	wz_err_clear(&err);
	assert_int_equal(th_gather_ex(r, &hook, &h, &err), WZ_ECANCELED);
	assert_null(h);
	assert_non_null(strstr(err.msg, "canceled"));
	wz_err_clear(&err);
	assert_int_equal(cov_gather_history_ex(r, &hook, &hist, &nhist, NULL, &err), WZ_ECANCELED);
	assert_null(hist);
	assert_int_equal(nhist, 0);
	assert_non_null(strstr(err.msg, "coverage history: canceled"));
	wz_err_clear(&err);
	assert_int_equal(cov_gather_ex(r, "", NAN, false, &hook, &e, &err), WZ_ECANCELED);
	assert_null(e);
	assert_non_null(strstr(err.msg, "looking for reports was canceled after 1023 files"));
	run_free(&r);
	free(big);
	free(run);
}

/* ---- bounded history walk ---- */

/* No hook: the thread's fio_progress hooks (what a job worker installs)
 * stop the walk and see its progress, so the console's load job cancels. */
struct fp_stopper {
	size_t reports, stop_after;
	unsigned long long last;
};

static void fp_report(void *arg, unsigned long long done, unsigned long long total)
{
	struct fp_stopper *s = arg;
	(void)total;
	s->reports++;
	s->last = done;
}

static bool fp_stop(void *arg)
{
	struct fp_stopper *s = arg;
	return s->reports >= s->stop_after;
}

static void test_thread_hooks(void **state)
{
	(void)state;
	struct wz_err err;
	struct run *r = NULL;
	struct fp_stopper s = { 0, 1, 0 };
	struct fio_progress fp = { fp_report, fp_stop, &s };
	const struct fio_progress *prev;
	char *big = at("repo/.runs/cur/build/many");
	char *run = at("repo/.runs/cur");

	assert_int_equal(fio_mkdirs(big, 0777, &err), WZ_OK);
	for (int i = 0; i < 3000; i++) {
		char *p = xasprintf("%s/f%05d", big, i);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fclose(f);
		free(p);
	}
	prev = fio_progress_set(&fp);
	wz_err_clear(&err);
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_ECANCELED);
	assert_null(r);
	assert_int_equal(s.reports, 1);
	assert_int_equal(s.last, 1024);
	/* without the hooks the same walk completes */
	fio_progress_set(prev);
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(r->inventory->n, 3005);
	run_free(&r);
	free(big);
	free(run);
}

static void test_history_capped(void **state)
{
	(void)state;
	struct wz_err err;
	struct run *r = NULL;
	struct th_history *h = NULL;
	struct cov_evidence **hist = NULL;
	size_t nhist = 0;
	char *run = at("repo/.runs/cur");
	char path[64] = "repo/.runs/old/build";

	/* the earlier run: a node_modules folder and a 10-level deep report */
	put("repo/.runs/old/build/node_modules/pkg/junit.xml", junit_old);
	for (int i = 0; i < 10; i++)
		strcat(path, "/d");
	strcat(path, "/deep.xml");
	put(path, junit_old);

	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(th_gather(r, &h, &err), WZ_OK);
	assert_int_equal(h->nearlier, 1);
	/* the cut is said, naming the run and the first limit met */
	assert_int_equal(h->caps.n, 1);
	assert_true(listed(&h->caps, "test history: old:", "deeper than 8 folder levels"));
	/* only the top-level report was read: one observation of t_bad */
	assert_int_equal(h->hist.n, 1);
	assert_int_equal(h->hist.v[0].n, 1);
	assert_int_equal(cov_gather_history(r, &hist, &nhist, NULL, &err), WZ_OK);
	assert_int_equal(nhist, 1);
	assert_true(listed(&hist[0]->notes, "the run's file list is incomplete", "deeper than 8 folder levels"));
	/* the run analysed is not bounded that way: its own walk goes 32 deep */
	assert_false(r->inventory->capped);
	cov_history_free(&hist, &nhist);
	th_history_free(&h);
	run_free(&r);
	free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walked_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_hooks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
