/* test_runs_bad.c - run discovery and receipts on hostile or odd trees
 * built in a fresh mkdtemp directory: missing and empty folders, runs
 * without run_meta.json, truncated JSON, wrong types, invalid UTF-8, a
 * 200 MB sparse receipt, symlink loops, an index.json that is an array,
 * Flow Studio layout, receipt shapes B/C/D and stale wisdom. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sources/runs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static char *tmp;

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", tmp, rel);
	char *dir = xstrdup(p);
	struct wz_err err = {0};
	*strrchr(dir, '/') = '\0';
	assert_int_equal(fio_mkdirs(dir, 0755, &err), WZ_OK);
	assert_int_equal(fio_write_atomic(p, text, strlen(text), &err), WZ_OK);
	free(dir);
	free(p);
}

static void mkd(const char *rel)
{
	char *p = xasprintf("%s/%s", tmp, rel);
	struct wz_err err = {0};
	assert_int_equal(fio_mkdirs(p, 0755, &err), WZ_OK);
	free(p);
}

static char *at(const char *rel)
{
	return xasprintf("%s/%s", tmp, rel);
}

static bool warned(const struct str_list *w, const char *a, const char *b)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		if (strstr(w->v[i], a) && (!b || strstr(w->v[i], b)))
			return true;
	return false;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/wz-runs-XXXXXX";
	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	tmp = xstrdup(tmpl);
	unsetenv("RUN_BASE");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	tmp = NULL;
	return 0;
}

static void missing_and_empty(void **state)
{
	struct run_list *l = NULL;
	struct run *r = NULL;
	struct wz_err err = {0};
	char *p = at("nope");
	char *repo = at("repo");
	(void)state;
	assert_int_not_equal(runs_list(p, &l, &err), WZ_OK);
	assert_null(l);
	assert_non_null(strstr(err.msg, p));
	assert_int_equal(runs_open(NULL, p, &r, &err), WZ_ENORUN);
	assert_non_null(strstr(err.msg, "--repo"));
	mkd("repo/.runs");
	assert_int_equal(runs_list(repo, &l, &err), WZ_OK);
	assert_int_equal(l->n, 0);
	run_list_free(&l);
	assert_int_equal(runs_open(NULL, repo, &r, &err), WZ_ENORUN);
	assert_null(r);
	assert_non_null(strstr(err.msg, "no runs under"));
	assert_non_null(strstr(err.msg, "RUN_BASE"));
	free(p);
	free(repo);
}

static void no_meta_loose_files_and_identity(void **state)
{
	struct run_list *l = NULL;
	struct run *r = NULL;
	struct wz_err err = {0};
	char *repo = at("repo");
	(void)state;
	/* a run without run_meta.json, with loose files and one receipt */
	put("repo/.runs/loose-run/notes.txt", "scratch\n");
	put("repo/.runs/loose-run/signal/signal_receipt.json",
	    "{\"status\":\"VERIFIED\",\"completed_at\":\"2025-03-01T00:00:00Z\"}");
	/* identity comes from run_meta, never the folder name */
	put("repo/.runs/renamed-folder/run_meta.json",
	    "{\"run_id\":\"gh-7\",\"updated_at\":\"2025-01-01T00:00:00Z\"}");
	/* neither meta nor flow folder: not a run */
	put("repo/.runs/not-a-run/readme.md", "# hi\n");
	put("repo/.runs/index.json", "{\"runs\":[{\"run_id\":\"gh-7\"},{\"run_id\":\"gone\"},{\"x\":1}],\"version\":1}");
	assert_int_equal(runs_list(repo, &l, &err), WZ_OK);
	assert_int_equal(l->n, 3);
	/* newest: the loose run's receipt time beats gh-7's run_meta time */
	assert_string_equal(l->v[0].id, "loose-run");
	assert_false(l->v[0].has_meta);
	assert_string_equal(l->v[0].updated_source, "receipt completed_at");
	assert_non_null(strstr(l->v[0].note, "no run_meta.json"));
	assert_non_null(strstr(l->v[0].note, "not in index.json"));
	assert_string_equal(l->v[1].id, "gh-7");
	assert_string_equal(l->v[1].folder, "renamed-folder");
	assert_true(l->v[1].indexed);
	assert_string_equal(l->v[2].id, "gone");
	assert_string_equal(l->v[2].note, "indexed, not present");
	assert_true(isnan(l->v[2].updated));
	assert_true(warned(&l->warnings, "runs[2] has no run_id", NULL));
	run_list_free(&l);
	/* open by id and by folder name */
	assert_int_equal(runs_open("gh-7", repo, &r, &err), WZ_OK);
	assert_string_equal(r->id, "gh-7");
	assert_true(r->indexed);
	assert_int_equal(r->generation, GEN_UNKNOWN);
	run_free(&r);
	assert_int_equal(runs_open("renamed-folder", repo, &r, &err), WZ_OK);
	assert_string_equal(r->id, "gh-7");
	run_free(&r);
	assert_int_equal(runs_open("loose-run", repo, &r, &err), WZ_OK);
	assert_false(r->has_meta);
	assert_true(warned(&r->warnings, "no run_meta.json", NULL));
	run_free(&r);
	free(repo);
}

static void truncated_wrong_types_utf8(void **state)
{
	struct run *r = NULL;
	struct wz_err err = {0};
	char *run = at("repo/.runs/bad");
	const struct receipt *rc;
	(void)state;
	put("repo/.runs/bad/run_meta.json", "{\"run_id\": \"bad\", \"issue_number\": \"seven\", \"updated_at\": 5}");
	put("repo/.runs/bad/build/build_receipt.json", "{\n  \"status\": \"VERIFIED\",\n  \"blockers\": [\n");
	put("repo/.runs/bad/gate/gate_receipt.json",
	    "{\"status\": 42, \"merge_verdict\": \"MERGE_WITH_CONDITIONS\",\n"
	    " \"counts\": {\"a\": {\"x\": 1}, \"b\": \"12\", \"c\": \"many\", \"d\": null, \"e\": [1]},\n"
	    " \"blockers\": \"none\", \"completed_at\": \"yesterday\"}");
	put("repo/.runs/bad/plan/plan_receipt.json", "{\"status\": \"VERI\xff\xfe\"}");
	put("repo/.runs/bad/deploy/deploy_receipt.json", "[1, 2]");
	put("repo/.runs/bad/review/review_receipt.json", "{\"status\": \"SHIPPED\", \"tests\": 3}");
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_string_equal(r->id, "bad");
	assert_false(r->issue_number.has);
	assert_true(isnan(r->updated_at));
	assert_true(warned(&r->warnings, "run_meta.json:1:", "issue_number"));
	assert_true(warned(&r->warnings, "updated_at", "ISO 8601"));
	/* truncated: names the file and line, the run still loads */
	rc = &r->flows[FLOW_BUILD].receipt;
	assert_true(rc->present);
	assert_false(rc->parsed);
	assert_non_null(strstr(rc->error, "build/build_receipt.json:4:"));
	assert_string_equal(rc->status_raw, "unparseable");
	assert_true(warned(&r->warnings, "build_receipt.json:4:", "invalid JSON"));
	/* wrong types */
	rc = &r->flows[FLOW_GATE].receipt;
	assert_true(rc->parsed);
	assert_int_equal(rc->status, RS_OTHER);
	assert_string_equal(rc->status_raw, "42");
	assert_true(warned(&r->warnings, "gate/gate_receipt.json:1:", "\"status\" should be a string"));
	assert_string_equal(rc->merge_verdict, "MERGE_WITH_CONDITIONS");   /* verbatim */
	assert_int_equal(rc->ncounts, 5);
	assert_string_equal(rc->counts[0].text, "{\"x\":1}");
	assert_true(rc->counts[1].num.has && rc->counts[1].num.v == 12);
	assert_int_equal(rc->counts[1].num.src.line, 2);
	assert_false(rc->counts[2].num.has);
	assert_string_equal(rc->counts[2].text, "many");
	assert_false(rc->counts[3].num.has);
	assert_null(rc->counts[3].text);
	assert_string_equal(rc->counts[4].text, "[1]");
	assert_int_equal(rc->blockers.n, 0);
	assert_true(warned(&r->warnings, "\"blockers\" should be an array", NULL));
	assert_true(isnan(rc->completed_at));
	assert_true(warned(&r->warnings, "yesterday", NULL));
	/* invalid UTF-8 inside a string */
	rc = &r->flows[FLOW_PLAN].receipt;
	assert_false(rc->parsed);
	assert_non_null(strstr(rc->error, "plan/plan_receipt.json:1:"));
	assert_non_null(strstr(rc->error, "0xff"));
	/* an array where an object belongs */
	rc = &r->flows[FLOW_DEPLOY].receipt;
	assert_false(rc->parsed);
	assert_non_null(strstr(rc->error, "expected a JSON object"));
	/* unknown status word kept verbatim */
	rc = &r->flows[FLOW_REVIEW].receipt;
	assert_int_equal(rc->status, RS_OTHER);
	assert_string_equal(rc->status_raw, "SHIPPED");
	assert_int_equal(r->generation, GEN_DEMOSWARM_7);
	run_free(&r);
	free(run);
}

static void huge_sparse_and_symlink_loops(void **state)
{
	struct run *r = NULL;
	struct run_list *l = NULL;
	struct wz_err err = {0};
	char *run = at("repo/.runs/big");
	char *rec = at("repo/.runs/big/wisdom/wisdom_receipt.json");
	char *loopdir = at("repo/.runs/big/build");
	char *looprec = at("repo/.runs/big/plan/plan_receipt.json");
	char *looprun = at("repo/.runs/looped");
	char *repo = at("repo");
	struct timespec t0, t1;
	int fd;
	(void)state;
	put("repo/.runs/big/run_meta.json", "{\"run_id\":\"big\"}");
	mkd("repo/.runs/big/wisdom");
	mkd("repo/.runs/big/plan");
	fd = open(rec, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
	close(fd);
	assert_int_equal(symlink("build", loopdir), 0);
	assert_int_equal(symlink("plan_receipt.json", looprec), 0);
	assert_int_equal(symlink("looped", looprun), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) < 2);
	assert_true(r->flows[FLOW_WISDOM].receipt.present);
	assert_false(r->flows[FLOW_WISDOM].receipt.parsed);
	assert_non_null(strstr(r->flows[FLOW_WISDOM].receipt.error, "wisdom_receipt.json"));
	assert_non_null(strstr(r->flows[FLOW_WISDOM].receipt.error, "16 MiB limit"));
	/* loop as a flow folder: ignored with a warning */
	assert_false(r->flows[FLOW_BUILD].dir_present);
	assert_true(warned(&r->warnings, "big/build", "symbolic link loop"));
	/* loop as a receipt: present, not parsed, named */
	assert_true(r->flows[FLOW_PLAN].receipt.present);
	assert_false(r->flows[FLOW_PLAN].receipt.parsed);
	assert_non_null(strstr(r->flows[FLOW_PLAN].receipt.error, "plan_receipt.json"));
	run_free(&r);
	/* a looping entry in .runs is skipped with a warning */
	assert_int_equal(runs_list(repo, &l, &err), WZ_OK);
	assert_int_equal(l->n, 1);
	assert_true(warned(&l->warnings, "looped", "symbolic link loop"));
	run_list_free(&l);
	free(run);
	free(rec);
	free(loopdir);
	free(looprec);
	free(looprun);
	free(repo);
}

static void index_array_and_flow_studio(void **state)
{
	struct run_list *l = NULL;
	struct run *r = NULL;
	struct wz_err err = {0};
	char *repo = at("repo");
	char *fs = at("fs");
	(void)state;
	put("repo/.runs/index.json", "[{\"run_id\":\"x\"}]");
	put("repo/.runs/r1/run_meta.json", "{\"run_id\":\"r1\"}");
	assert_int_equal(runs_list(repo, &l, &err), WZ_OK);
	assert_int_equal(l->n, 1);
	assert_false(l->v[0].indexed);
	assert_true(warned(&l->warnings, "index.json", "found an array"));
	run_list_free(&l);
	assert_int_equal(runs_open(NULL, repo, &r, &err), WZ_OK);
	assert_true(warned(&r->warnings, "index.json", "found an array"));
	run_free(&r);
	/* Flow Studio: <repo>/swarm/runs/<id>/ */
	put("fs/swarm/runs/feat-1/signal/signal_receipt.json", "{\"status\":\"VERIFIED\"}");
	mkd("fs/swarm/runs/feat-1/review");
	assert_int_equal(runs_open(NULL, fs, &r, &err), WZ_OK);
	assert_string_equal(r->id, "feat-1");
	assert_int_equal(r->generation, GEN_FLOW_STUDIO);
	assert_non_null(r->repo_root);
	assert_non_null(strstr(r->repo_root, "/fs"));
	run_free(&r);
	free(repo);
	free(fs);
}

static void shapes_stale_and_six_flow(void **state)
{
	struct run *r = NULL;
	struct wz_err err = {0};
	char *run = at("repo/.runs/six");
	(void)state;
	put("repo/.runs/six/run_meta.json", "{\"run_id\":\"six\"}");
	put("repo/.runs/six/gate/gate_receipt.json",
	    "{\"status\":\"VERIFIED\",\"completed_at\":\"2025-01-01T00:00:00Z\"}");
	put("repo/.runs/six/deploy/deploy_receipt.json",
	    "{\"status\":\"VERIFIED\",\"completed_at\":\"2025-01-03T00:00:00Z\"}");
	put("repo/.runs/six/wisdom/wisdom_receipt.json",
	    "{\"status\":\"VERIFIED\",\"completed_at\":\"2025-01-02T00:00:00Z\","
	    "\"counts\":{\"learnings_extracted\":1,\"followup_issue_drafts\":0,\"flows_completed\":\"2\"},"
	    "\"final_outcomes\":{\"merge_decision\":\"MERGE\",\"deployment_verdict\":\"STABLE\"}}");
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(r->generation, GEN_DEMOSWARM_6);
	assert_int_equal(r->flows[FLOW_WISDOM].receipt.wisdom_shape, 'B');
	assert_true(r->flows[FLOW_WISDOM].receipt.wisdom_flows_completed.v == 2);
	assert_int_equal(r->flows[FLOW_WISDOM].receipt.wisdom_flows_recounted, 2);
	assert_true(r->wisdom_stale);    /* deploy sealed after wisdom */
	assert_true(warned(&r->warnings, "deploy/deploy_receipt.json", "stale"));
	run_free(&r);
	put("repo/.runs/six/wisdom/wisdom_receipt.json",
	    "{\"status\":\"VERIFIED\",\"schema_version\":\"wisdom_receipt_v1\",\"routing_decision\":\"PROCEED\","
	    "\"counts\":{\"flows_completed\":6}}");
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(r->flows[FLOW_WISDOM].receipt.wisdom_shape, 'C');
	assert_false(r->wisdom_stale);   /* no wisdom completed_at to compare */
	run_free(&r);
	put("repo/.runs/six/wisdom/wisdom_receipt.json",
	    "{\"status\":\"UNVERIFIED\",\"summary\":\"x\",\"learnings\":{\"count\":2,\"highlights\":[]},\"gaps\":[]}");
	assert_int_equal(runs_open(run, NULL, &r, &err), WZ_OK);
	assert_int_equal(r->flows[FLOW_WISDOM].receipt.wisdom_shape, 'D');
	assert_false(r->flows[FLOW_WISDOM].receipt.wisdom_flows_completed.has);
	assert_int_equal(r->flows[FLOW_WISDOM].receipt.status, RS_UNVERIFIED);
	run_free(&r);
	free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(no_meta_loose_files_and_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated_wrong_types_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(huge_sparse_and_symlink_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(index_array_and_flow_studio, setup, teardown),
		cmocka_unit_test_setup_teardown(shapes_stale_and_six_flow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
