/* cmd_tests.c - `wisdom tests FILE|DIR... [--json]`: read standard test and
 * coverage reports, print per-file and total counts and every failure
 * (spec/run-artifacts.md §14).
 *
 * Exit status: 2 when any input is missing, not a report, malformed or
 * truncated (its recovered part is still counted and printed); else 1 when
 * a test failed or errored; else 0. Text taken from the files is untrusted:
 * control characters and escape sequences are printed in visible form.
 *
 * Memory: reports are read with TR_KEEP_FAILURES -- passing and skipped
 * results are counted, not stored, and at most TR_KEEP_MAX_DEFAULT failures
 * per file are listed (the rest is reported as "N more not listed").
 */
#include "config.h"
#include "cli/cli.h"
#include "model/testreport.h"
#include "sources/report_detect.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct tr_report **reports;
	size_t n, cap;
	struct tr_totals totals;
	struct tr_cov_totals cov;
	size_t ntest_files, ncov_files;
	int exit;
	/* inputs that could not be read at all: path + message */
	char **bad_paths, **bad_msgs;
	size_t nbad, bad_cap, bad_cap2;
};

/* Terminal-safe copy of untrusted text (one line). */
static const char *safe(struct buf *b, const char *s)
{
	buf_reset(b);
	if (s)
		tr_sanitize(b, s, strlen(s), false);
	return buf_str(b);
}

static json_t *jsafe(const char *s)
{
	struct buf b = { 0 };
	json_t *v;
	if (!s)
		return json_null();
	tr_sanitize(&b, s, strlen(s), true);
	v = json_string(buf_str(&b));
	buf_free(&b);
	return v ? v : json_null();
}

static double pct(long long hit, long long found)
{
	return found > 0 ? 100.0 * (double)hit / (double)found : 0.0;
}

static void add_bad(struct run *rn, const char *path, const char *msg)
{
	rn->bad_paths = xgrow(rn->bad_paths, &rn->bad_cap, rn->nbad + 1, sizeof *rn->bad_paths);
	rn->bad_msgs = xgrow(rn->bad_msgs, &rn->bad_cap2, rn->nbad + 1, sizeof *rn->bad_msgs);
	rn->bad_paths[rn->nbad] = xstrdup(path);
	rn->bad_msgs[rn->nbad++] = xstrdup(msg);
	rn->exit = 2;
}

static void read_one(struct run *rn, const char *path)
{
	struct wz_err err = { 0 };
	struct tr_report *r = NULL;
	if (report_read_keep(path, TR_FMT_UNKNOWN, TR_KEEP_FAILURES, 0, &r, &err) != WZ_OK) {
		add_bad(rn, path, err.msg);
		return;
	}
	rn->reports = xgrow(rn->reports, &rn->cap, rn->n + 1, sizeof *rn->reports);
	rn->reports[rn->n++] = r;
	if (r->malformed)
		rn->exit = 2;
	if (tr_format_is_coverage(r->format)) {
		rn->ncov_files++;
		tr_cov_totals_add(&rn->cov, &r->cov);
	} else {
		rn->ntest_files++;
		tr_totals_add(&rn->totals, &r->totals);
	}
}

static void collect(struct run *rn, const char *arg, bool verbose)
{
	struct report_paths ps = { 0 };
	struct wz_err err = { 0 };
	struct buf b = { 0 };

	if (!fio_is_dir(arg)) {
		read_one(rn, arg);
		return;
	}
	if (report_walk(arg, &ps, &err) != WZ_OK) {
		add_bad(rn, arg, err.msg);
		return;
	}
	for (size_t i = 0; i < ps.nnotes; i++)
		fprintf(stderr, "wisdom tests: note: %s\n", safe(&b, ps.notes[i]));
	if (ps.n == 0) {
		char *m = xasprintf("%s: no test or coverage report found in this directory", arg);
		add_bad(rn, arg, m);
		free(m);
	}
	for (size_t i = 0; i < ps.n; i++)
		read_one(rn, ps.v[i]);
	if (verbose)
		fprintf(stderr, "wisdom tests: %s: %zu report file(s)\n", safe(&b, arg), ps.n);
	report_paths_free(&ps);
	buf_free(&b);
}

/* ---- text ---- */

static void print_counts(const struct tr_totals *t)
{
	printf("tests %lld passed %lld failed %lld errors %lld skipped %lld todo %lld flaky %lld",
	       t->tests, t->passed, t->failed, t->errors, t->skipped, t->todo, t->flaky);
}

static void print_cov(const struct tr_cov_totals *c)
{
	printf("files %lld lines %lld/%lld (%.2f%%) branches %lld/%lld (%.2f%%)", c->files, c->lines_hit,
	       c->lines_found, pct(c->lines_hit, c->lines_found), c->branches_hit, c->branches_found,
	       pct(c->branches_hit, c->branches_found));
	if (c->has_functions)
		printf(" functions %lld/%lld (%.2f%%)", c->functions_hit, c->functions_found,
		       pct(c->functions_hit, c->functions_found));
}

static void print_report(const struct tr_report *r)
{
	struct buf b = { 0 };
	printf("%s: %s: ", safe(&b, r->path), tr_format_name(r->format));
	if (tr_format_is_coverage(r->format))
		print_cov(&r->cov);
	else
		print_counts(&r->totals);
	if (r->totals.suite_errors)
		printf(" suite-errors %lld", r->totals.suite_errors);
	if (r->plan)
		printf(" plan %s", safe(&b, r->plan));
	if (r->ndeclared) {
		printf(" (declared:");
		for (size_t i = 0; i < r->ndeclared; i++)
			printf("%s %s %s%s", i ? "," : "", r->declared[i].key, safe(&b, r->declared[i].raw),
			       r->declared[i].valid ? "" : " (invalid)");
		printf(")");
	}
	if (r->malformed)
		printf(" MALFORMED");
	printf("\n");
	for (size_t i = 0; i < r->ncases; i++) {
		const struct tr_case *c = &r->cases[i];
		const char *what;
		if (c->status != TR_FAIL && c->status != TR_ERROR)
			continue;
		what = c->kind == TR_K_SUITE_ERROR ? "SUITE-ERROR" : c->kind == TR_K_PACKAGE_ERROR ? "PKG-ERROR" :
		       c->bucket == TR_B_TODO ? NULL : tr_status_name(c->status);
		if (!what)
			continue;
		printf("  %s %s", what, safe(&b, c->id));
		if (c->flaky)
			printf(" [flaky]");
		if (c->file) {
			printf(" (%s", safe(&b, c->file));
			if (c->line > 0)
				printf(":%ld", c->line);
			printf(")");
		}
		if (c->message)
			printf(": %s", safe(&b, c->message));
		printf("\n");
	}
	if (r->not_listed > 0)
		printf("  ... %lld more failure(s)/error(s) not listed (at most %zu are listed per file)\n",
		       r->not_listed, r->keep_max);
	for (size_t i = 0; i < r->nwarnings; i++)
		fprintf(stderr, "wisdom tests: warning: %s\n", safe(&b, r->warnings[i]));
	if (r->malformed)
		fprintf(stderr, "wisdom tests: error: %s\n", safe(&b, r->error));
	buf_free(&b);
}

static void print_text(const struct run *rn)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < rn->n; i++)
		print_report(rn->reports[i]);
	for (size_t i = 0; i < rn->nbad; i++)
		fprintf(stderr, "wisdom tests: error: %s\n", safe(&b, rn->bad_msgs[i]));
	if (rn->ntest_files || !rn->ncov_files) {
		printf("total: ");
		print_counts(&rn->totals);
		printf(" (%zu test report file(s)", rn->ntest_files);
		if (rn->nbad)
			printf(", %zu unreadable", rn->nbad);
		printf(")\n");
	}
	if (rn->ncov_files) {
		printf("coverage total: ");
		print_cov(&rn->cov);
		printf(" (%zu coverage file(s))\n", rn->ncov_files);
	}
	buf_free(&b);
}

/* ---- JSON ---- */

static json_t *j_counts(const struct tr_totals *t)
{
	return json_pack("{sI sI sI sI sI sI sI}", "tests", (json_int_t)t->tests, "passed", (json_int_t)t->passed,
			 "failed", (json_int_t)t->failed, "errors", (json_int_t)t->errors,
			 "skipped", (json_int_t)t->skipped, "todo", (json_int_t)t->todo,
			 "flaky", (json_int_t)t->flaky);
}

static json_t *j_cov(const struct tr_cov_totals *c)
{
	json_t *o = json_pack("{sI sI sI sf sI sI sf}", "files", (json_int_t)c->files,
			      "lines_found", (json_int_t)c->lines_found, "lines_hit", (json_int_t)c->lines_hit,
			      "line_percent", pct(c->lines_hit, c->lines_found),
			      "branches_found", (json_int_t)c->branches_found,
			      "branches_hit", (json_int_t)c->branches_hit,
			      "branch_percent", pct(c->branches_hit, c->branches_found));
	if (c->has_functions) {
		json_object_set_new(o, "functions_found", json_integer(c->functions_found));
		json_object_set_new(o, "functions_hit", json_integer(c->functions_hit));
		json_object_set_new(o, "function_percent", json_real(pct(c->functions_hit, c->functions_found)));
	}
	return o;
}

static json_t *j_report(const struct tr_report *r)
{
	json_t *o = json_object(), *decl = json_object(), *fails = json_array();
	json_object_set_new(o, "path", jsafe(r->path));
	json_object_set_new(o, "format", json_string(tr_format_name(r->format)));
	if (tr_format_is_coverage(r->format))
		json_object_set_new(o, "coverage", j_cov(&r->cov));
	else
		json_object_set_new(o, "totals", j_counts(&r->totals));
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct tr_declared *d = &r->declared[i];
		json_object_set_new(decl, d->key, d->valid ? (d->value == (double)(json_int_t)d->value ?
							     json_integer((json_int_t)d->value) : json_real(d->value))
							   : jsafe(d->raw));
	}
	json_object_set_new(o, "declared", decl);
	for (size_t i = 0; i < r->ncases; i++) {
		const struct tr_case *c = &r->cases[i];
		json_t *f;
		if ((c->status != TR_FAIL && c->status != TR_ERROR) || c->bucket == TR_B_TODO)
			continue;
		f = json_pack("{s:o s:s s:s s:o s:o s:o}", "id", jsafe(c->id), "status", tr_status_name(c->status),
			      "kind", c->kind == TR_K_TEST ? "test" : c->kind == TR_K_SUITE_ERROR ? "suite" : "package",
			      "message", jsafe(c->message), "file", jsafe(c->file),
			      "line", c->line > 0 ? json_integer(c->line) : json_null());
		json_object_set_new(f, "duration", c->duration >= 0 ? json_real(c->duration) : json_null());
		json_object_set_new(f, "flaky", json_boolean(c->flaky));
		json_object_set_new(f, "text", jsafe(c->text));
		json_array_append_new(fails, f);
	}
	json_object_set_new(o, "failures", fails);
	if (r->not_listed > 0)
		json_object_set_new(o, "failures_not_listed", json_integer(r->not_listed));
	if (r->plan)
		json_object_set_new(o, "plan", jsafe(r->plan));
	if (r->totals.suite_errors)
		json_object_set_new(o, "suite_errors", json_integer(r->totals.suite_errors));
	json_object_set_new(o, "error", r->malformed ? jsafe(r->error) : json_null());
	json_object_set_new(o, "error_line", r->malformed && r->error_line > 0 ? json_integer(r->error_line)
									    : json_null());
	if (r->nwarnings) {
		json_t *w = json_array();
		for (size_t i = 0; i < r->nwarnings; i++)
			json_array_append_new(w, jsafe(r->warnings[i]));
		json_object_set_new(o, "warnings", w);
	}
	return o;
}

static void print_json(const struct run *rn)
{
	json_t *root = json_object(), *files = json_array();
	char *s;
	for (size_t i = 0; i < rn->n; i++)
		json_array_append_new(files, j_report(rn->reports[i]));
	for (size_t i = 0; i < rn->nbad; i++)
		json_array_append_new(files, json_pack("{s:o s:s s:o}", "path", jsafe(rn->bad_paths[i]),
						       "format", "unknown", "error", jsafe(rn->bad_msgs[i])));
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "totals", j_counts(&rn->totals));
	json_object_set_new(root, "coverage", j_cov(&rn->cov));
	json_object_set_new(root, "exit", json_integer(rn->exit));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(root);
}

int cmd_tests(const struct cli_opts *o)
{
	struct run rn;
	if (o->nargs < 1) {
		fprintf(stderr, "wisdom tests: give one or more report files or directories "
				"(JUnit XML, go test -json, TAP, Cobertura/JaCoCo XML, lcov)\n");
		return 2;
	}
	memset(&rn, 0, sizeof rn);
	for (int i = 0; i < o->nargs; i++)
		collect(&rn, o->args[i], CLI_FLAG(o, verbose));
	if (rn.exit == 0 && (rn.totals.failed > 0 || rn.totals.errors > 0))
		rn.exit = 1;
	if (CLI_FLAG(o, json)) {
		struct buf b = { 0 };
		print_json(&rn);
		for (size_t i = 0; i < rn.n; i++)
			if (rn.reports[i]->malformed)
				fprintf(stderr, "wisdom tests: error: %s\n", safe(&b, rn.reports[i]->error));
		for (size_t i = 0; i < rn.nbad; i++)
			fprintf(stderr, "wisdom tests: error: %s\n", safe(&b, rn.bad_msgs[i]));
		buf_free(&b);
	} else {
		print_text(&rn);
	}
	fflush(stdout);
	for (size_t i = 0; i < rn.n; i++)
		tr_report_free(&rn.reports[i]);
	free(rn.reports);
	for (size_t i = 0; i < rn.nbad; i++) {
		free(rn.bad_paths[i]);
		free(rn.bad_msgs[i]);
	}
	free(rn.bad_paths);
	free(rn.bad_msgs);
	return rn.exit;
}
