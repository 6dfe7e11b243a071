/* test_publish.c - the publish plan without a network: unified diffs,
 * content hash, issue/comment bodies and markers, a files-only plan on a
 * copy of the real run (nothing written before execute; .pack copies once;
 * a second plan changes nothing), redaction of a planted token and AWS key,
 * GitHub skipped without a token / when run_meta forbids it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "investigation.h"
#include "sinks/publish.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define RUNID "local-alignment-audit-aba1c6"
#define TOKEN "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"
#define AWS "AKIAIOSFODNN7EXAMPLE"

static const char *no_env(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return NULL;
}

static const char *token_env(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "GH_TOKEN") == 0 ? "t" : NULL;
}

static void t_diff(void **state)
{
	int a, r;
	char *d;
	(void)state;
	assert_null(pub_unified_diff("x.md", "a\nb\n", "a\nb\n", &a, &r));
	d = pub_unified_diff("x.md", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", &a, &r);
	assert_string_equal(d, "--- a/wisdom/x.md\n+++ b/wisdom/x.md\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	assert_int_equal(a, 1);
	assert_int_equal(r, 1);
	free(d);
	d = pub_unified_diff("n.md", NULL, "x\ny\n", &a, &r);
	assert_string_equal(d, "--- /dev/null\n+++ b/wisdom/n.md\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	assert_int_equal(a, 2);
	assert_int_equal(r, 0);
	free(d);
	/* two distant changes: two hunks */
	d = pub_unified_diff("t.md", "a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n", &a, &r);
	assert_int_equal(a, 2);
	assert_int_equal(r, 2);
	assert_non_null(strstr(d, "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n"));
	assert_non_null(strstr(d, "@@ -7,4 +7,4 @@\n 6\n 7\n 8\n-b\n+B\n"));
	free(d);
}

static void t_hash(void **state)
{
	char h1[17], h2[17], h3[17];
	(void)state;
	pub_hash("a\nb\n", h1);
	pub_hash("a\r\nb  \r\n\n", h2);
	pub_hash("a\nc\n", h3);
	assert_string_equal(h1, h2);   /* CRLF and trailing blanks do not count */
	assert_string_not_equal(h1, h3);
	assert_int_equal(strlen(h1), 16);
}

static void t_markers(void **state)
{
	char *m = ghp_issue_marker("r-1", "L-0123456789abcdef"), *c = ghp_comment_marker("r-1");
	(void)state;
	assert_string_equal(m, "<!-- wisdom:r-1:L-0123456789abcdef -->");
	assert_string_equal(c, "<!-- DEMOSWARM_RUN:r-1 FLOW:wisdom -->");
	free(m);
	free(c);
}

struct fx {
	char dir[64];
	char *run;
	struct investigation *inv;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	const char *shared = getenv("SHARED");
	char *cmd;
	struct wz_err err;
	const char *acc[] = {"L-75bae4b33ea384c9", "L-0a90cbf8d759bab8"};
	strcpy(f->dir, "/tmp/wz-pub-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	cmd = xasprintf("cp -R '%s/data/runs/dss-local-alignment-audit/.runs' '%s/' && chmod -R u+w '%s'",
			shared ? shared : "../shared", f->dir, f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	f->run = xasprintf("%s/.runs/" RUNID, f->dir);
	assert_int_equal(inv_open(f->run, NULL, INV_LEARNINGS | INV_JOURNAL_RW, &f->inv, &err), WZ_OK);
	assert_int_equal(jr_decide(f->inv->jr, JR_ACCEPT, acc, 2, NULL, NULL, 1.0, &err), WZ_OK);
	assert_int_equal(jr_edit(f->inv->jr, "L-2d2e6a347fc11f89",
				 "Title: Rotate " TOKEN "\nLabels: security\n\nleaked " TOKEN " and " AWS "\n", NULL, 2.0, &err),
			 WZ_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	inv_free(&f->inv);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(cmd);
	free(f->run);
	free(f);
	return 0;
}

static char *slurp(const char *run, const char *rel)
{
	char *p = fio_join(run, rel), *d = NULL;
	size_t n;
	struct wz_err err;
	if (fio_read(p, FIO_DEFAULT_MAX, &d, &n, &err) != WZ_OK)
		d = NULL;
	free(p);
	return d;
}

static const struct pub_file *file(const struct pub_plan *p, const char *name)
{
	size_t i;
	for (i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].name, name) == 0)
			return &p->files[i];
	return NULL;
}

static void t_plan_files_only(void **state)
{
	struct fx *f = *state;
	struct pub_opts o;
	struct pub_plan *p = NULL;
	struct wz_err err;
	char *before = slurp(f->run, "wisdom/learnings.md"), *after, *fb, *pack;
	size_t i;
	memset(&o, 0, sizeof o);
	o.files_only = true;
	o.now = 1766397600.0;
	o.get = token_env;
	assert_int_equal(pub_plan_build(f->inv, &o, &p, &err), WZ_OK);
	assert_string_equal(p->gh_skip, "skipped: --files-only");
	assert_int_equal(p->ncalls, 0);
	assert_int_equal(p->decided[JR_ACCEPTED], 2);
	assert_int_equal(p->decided[JR_EDITED], 1);
	assert_int_equal(file(p, "learnings.md")->act, PF_CHANGE);
	assert_true(file(p, "learnings.md")->pack_copy);
	assert_int_equal(file(p, "wisdom_report.json")->act, PF_CREATE);
	assert_null(file(p, "github_report.md"));   /* no comment without GitHub */
	assert_non_null(strstr(file(p, "feedback_actions.md")->text, "Rotate [REDACTED:github-token]"));
	for (i = 0; i < p->nfiles; i++) {
		assert_null(strstr(p->files[i].text, TOKEN));
		assert_null(strstr(p->files[i].text, AWS));
		if (p->files[i].diff)
			assert_null(strstr(p->files[i].diff, TOKEN));
	}
	/* the plan wrote nothing */
	after = slurp(f->run, "wisdom/learnings.md");
	assert_string_equal(before, after);
	free(after);
	assert_null(slurp(f->run, "wisdom/.pack/learnings.md"));
	assert_int_equal(pub_execute(p, &err), WZ_OK);
	pub_plan_free(&p);
	pack = slurp(f->run, "wisdom/.pack/learnings.md");
	assert_non_null(pack);
	assert_string_equal(pack, before);     /* the pack's version, kept once */
	fb = slurp(f->run, "wisdom/feedback_actions.md");
	assert_non_null(strstr(fb, "[REDACTED:aws-access-key]"));
	assert_null(strstr(fb, AWS));
	free(fb);
	/* a second publish (the run read again) on the same decisions changes nothing */
	inv_free(&f->inv);
	assert_int_equal(inv_open(f->run, NULL, INV_LEARNINGS | INV_JOURNAL_RW, &f->inv, &err), WZ_OK);
	assert_int_equal(pub_plan_build(f->inv, &o, &p, &err), WZ_OK);
	for (i = 0; i < p->nfiles; i++) {
		if (p->files[i].act != PF_SAME)
			fprintf(stderr, "changed: %s\n%s", p->files[i].name, p->files[i].diff ? p->files[i].diff : "");
		assert_int_equal(p->files[i].act, PF_SAME);
		assert_false(p->files[i].pack_copy);
	}
	pub_plan_free(&p);
	after = slurp(f->run, "wisdom/.pack/learnings.md");
	assert_string_equal(after, before);     /* not replaced by our own version */
	free(after);
	free(pack);
	free(before);
}

static void t_no_token(void **state)
{
	struct fx *f = *state;
	struct pub_opts o;
	struct pub_plan *p = NULL;
	struct wz_err err;
	memset(&o, 0, sizeof o);
	o.now = 1766397600.0;
	o.get = no_env;
	assert_int_equal(pub_plan_build(f->inv, &o, &p, &err), WZ_OK);
	assert_string_equal(p->gh_skip, GH_SKIP_NO_TOKEN);
	assert_null(p->gh);
	assert_int_equal(p->target, 1);   /* run_meta issue_number */
	assert_non_null(strstr(file(p, "gh_report_status.md")->text, "posting_status: SKIPPED\nreason: " GH_SKIP_NO_TOKEN));
	assert_non_null(strstr(file(p, "learnings.md")->text, "- backend github: " GH_SKIP_NO_TOKEN "\n"));
	pub_plan_free(&p);
}

static void t_bodies(void **state)
{
	struct fx *f = *state;
	struct pub_opts o;
	struct pub_plan *p = NULL;
	struct wz_err err;
	size_t i;
	char *b = NULL, *c;
	memset(&o, 0, sizeof o);
	o.files_only = true;
	o.get = no_env;
	assert_int_equal(pub_plan_build(f->inv, &o, &p, &err), WZ_OK);
	for (i = 0; i < p->nitems; i++)
		if (strcmp(p->items[i].l->id, "L-75bae4b33ea384c9") == 0)
			b = ghp_issue_body(&p->in, &p->items[i]);
	assert_non_null(b);
	/* the marker is the last line */
	assert_non_null(strstr(b, "\n<!-- wisdom:" RUNID ":L-75bae4b33ea384c9 -->\n"));
	assert_int_equal(strlen(strstr(b, "<!-- wisdom:")), strlen("<!-- wisdom:" RUNID ":L-75bae4b33ea384c9 -->\n"));
	assert_non_null(strstr(b, "### Evidence\n"));
	/* the real run is NOT_PUSHED per its gh_report_status.md: paths, no blob links */
	assert_int_equal(p->in.level, WMD_PATHS);
	assert_null(strstr(b, "/blob/"));
	c = ghp_run_comment(&p->in);
	assert_true(strncmp(c, "<!-- DEMOSWARM_RUN:" RUNID " FLOW:wisdom -->\n", 50) == 0);
	assert_non_null(strstr(c, "| learnings | 1 |"));
	free(c);
	free(b);
	pub_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(t_diff),
		cmocka_unit_test(t_hash),
		cmocka_unit_test(t_markers),
		cmocka_unit_test_setup_teardown(t_plan_files_only, setup, teardown),
		cmocka_unit_test_setup_teardown(t_no_token, setup, teardown),
		cmocka_unit_test_setup_teardown(t_bodies, setup, teardown),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
