/* testhist.c - a run's own test results and the earlier observations of
 * every test from the other runs of the same .runs/ folder. */
#include "config.h"
#include "sources/testhist.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/inventory.h"
#include "sources/inv_reports.h"
#include "sources/report_detect.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Markdown files read for the commit line and rerun notes. */
#define TH_MD_MAX ((size_t)4 << 20)

static bool is_failed(enum tr_status s)
{
	return s == TR_FAIL || s == TR_ERROR;
}

/* "build/junit.xml" for a path under the run folder, else the path. */
static const char *rel(const char *run_path, const char *p)
{
	size_t n = strlen(run_path);
	if (strncmp(p, run_path, n) == 0 && p[n] == '/')
		return p + n + 1;
	return p;
}

void th_run_clear(struct th_run *r)
{
	free(r->run_id);
	free(r->path);
	free(r->sha);
	free(r->sha_source);
	free(r->time_source);
	for (size_t i = 0; i < r->nreports; i++)
		tr_report_free(&r->reports[i]);
	free(r->reports);
	str_list_free(&r->dropped);
	str_list_free(&r->reruns);
	memset(r, 0, sizeof *r);
	r->time = NAN;
}

static void warnf(struct str_list *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(struct str_list *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (!w)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	str_list_push(w, buf);
}

/* --- reports ---------------------------------------------------------------- */

static bool has_name(const struct tr_report *rep, const char *name)
{
	for (size_t i = 0; i < rep->ncases; i++)
		if (rep->cases[i].kind == TR_K_TEST && rep->cases[i].name && strcmp(rep->cases[i].name, name) == 0)
			return true;
	return false;
}

/* A TAP report all of whose tests a JUnit/go report of the run also has. */
static const struct tr_report *tap_duplicate_of(struct tr_report *const *v, size_t n, const struct tr_report *tap)
{
	for (size_t k = 0; k < n; k++) {
		const struct tr_report *s = v[k];
		if (s->format != TR_FMT_JUNIT && s->format != TR_FMT_GOJSON)
			continue;
		size_t tests = 0, found = 0;
		for (size_t i = 0; i < tap->ncases; i++) {
			const struct tr_case *c = &tap->cases[i];
			if (c->kind != TR_K_TEST)
				continue;
			tests++;
			found += c->name && has_name(s, c->name);
		}
		if (tests > 0 && found == tests)
			return s;
	}
	return NULL;
}

/* The report files under build/: from the run's inventory when it has one
 * (no second walk), else by walking the folder. run_path: the folder the
 * paths are shown relative to (the inventory's root when there is one). */
static enum wz_status read_reports(const char *run_path, struct run_inventory *inv, const struct scan_hook *hook,
				  struct th_run *out, struct str_list *warn, struct wz_err *cerr)
{
	char *build = fio_join(run_path, "build");
	struct report_paths rp = { 0 };
	struct wz_err err;
	wz_err_clear(&err);
	if (inv) {
		if (inv_report_paths(inv, "build", hook, &rp, &err) != WZ_OK) {
			if (cerr)
				*cerr = err;
			report_paths_free(&rp);
			free(build);
			return WZ_ECANCELED;
		}
	} else if (fio_is_dir(build) != 1) {
		free(build);
		return WZ_OK;
	} else if (report_walk(build, &rp, &err) != WZ_OK) {
		warnf(warn, "%s", err.msg);
	}
	for (size_t i = 0; i < rp.nnotes; i++)
		warnf(warn, "%s", rp.notes[i]);
	struct tr_report **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < rp.n; i++) {
		const char *p = rp.v[i];
		if (n >= TH_MAX_REPORTS) {
			warnf(warn, "%s: more than %d test reports under build/; the rest are not read",
			      out->run_id ? out->run_id : run_path, TH_MAX_REPORTS);
			break;
		}
		struct tr_report *rep = NULL;
		wz_err_clear(&err);
		if (report_read(p, TR_FMT_UNKNOWN, &rep, &err) != WZ_OK || !rep) {
			warnf(&out->dropped, "%s: %s", rel(run_path, p), err.msg);
			continue;
		}
		if (tr_format_is_coverage(rep->format)) {
			tr_report_free(&rep);
			continue;
		}
		if (rep->malformed) {
			size_t tests = 0;
			for (size_t k = 0; k < rep->ncases; k++)
				tests += rep->cases[k].kind == TR_K_TEST;
			warnf(warn, "%s:%ld: %s; the %zu test result%s read before it are used", rel(run_path, p),
			      rep->error_line, rep->error ? rep->error : "malformed report", tests, tests == 1 ? "" : "s");
		}
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = rep;
	}
	report_paths_free(&rp);
	free(build);
	/* drop TAP captures that repeat a structured report */
	size_t kcap = 0;
	bool *drop = n ? xcalloc(n, sizeof *drop) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct tr_report *dup = v[i]->format == TR_FMT_TAP ? tap_duplicate_of(v, n, v[i]) : NULL;
		if (dup) {
			warnf(&out->dropped, "%s: its TAP results repeat tests of %s (a console capture); not counted twice",
			      rel(run_path, v[i]->path), rel(run_path, dup->path));
			drop[i] = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (drop[i])
			continue;
		out->reports = xgrow(out->reports, &kcap, out->nreports + 1, sizeof *out->reports);
		out->reports[out->nreports++] = v[i];
		v[i] = NULL;
	}
	free(drop);
	for (size_t i = 0; i < n; i++)
		tr_report_free(&v[i]);
	free(v);
	for (size_t k = 0; k < out->nreports; k++)
		for (size_t i = 0; i < out->reports[k]->ncases; i++) {
			const struct tr_case *c = &out->reports[k]->cases[i];
			if (c->kind != TR_K_TEST)
				continue;
			out->executed += c->status != TR_SKIP;
			out->failed += is_failed(c->status);
		}
	return WZ_OK;
}

/* --- markdown: commit line and rerun notes ------------------------------------ */

static bool hexrun(const char *s, size_t n, size_t *len)
{
	size_t k = 0;
	while (k < n && isxdigit((unsigned char)s[k]))
		k++;
	*len = k;
	return k >= 7 && k <= 40 && (k == n || !isalnum((unsigned char)s[k]));
}

/* "- commit: <sha>" / "commit_sha: <sha>" (bullets and backticks allowed). */
static bool commit_line(const char *l, size_t n, char **sha)
{
	size_t i = 0;
	while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '-' || l[i] == '*'))
		i++;
	static const char *const keys[] = { "commit_sha:", "commit:" };
	for (size_t k = 0; k < 2; k++) {
		size_t kl = strlen(keys[k]);
		if (n - i < kl || strncasecmp(l + i, keys[k], kl) != 0)
			continue;
		size_t j = i + kl, len;
		while (j < n && (l[j] == ' ' || l[j] == '`'))
			j++;
		if (hexrun(l + j, n - j, &len)) {
			*sha = xstrndup(l + j, len);
			for (char *p = *sha; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			return true;
		}
	}
	return false;
}

static bool word_in(const char *line, size_t n, const char *w)
{
	size_t wl = w ? strlen(w) : 0;
	if (wl < 3)
		return false;
	for (size_t i = 0; i + wl <= n; i++) {
		if (strncmp(line + i, w, wl) != 0)
			continue;
		bool lb = i == 0 || !(isalnum((unsigned char)line[i - 1]) || line[i - 1] == '_');
		bool rb = i + wl == n || !(isalnum((unsigned char)line[i + wl]) || line[i + wl] == '_');
		if (lb && rb)
			return true;
	}
	return false;
}

static bool ci_has(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (strncasecmp(s + i, w, wl) == 0)
			return true;
	return false;
}

static bool says_rerun_passed(const char *l, size_t n)
{
	return (ci_has(l, n, "re-run") || ci_has(l, n, "rerun") || ci_has(l, n, "re-ran") || ci_has(l, n, "reran")) &&
	       ci_has(l, n, "pass");
}

static void scan_md(const char *run_path, const char *name, struct th_run *out, bool want_commit)
{
	char *p = fio_join(run_path, name), *data = NULL;
	size_t len = 0;
	struct wz_err err;
	if (fio_read(p, TH_MD_MAX, &data, &len, &err) != WZ_OK) {
		free(p);
		return;
	}
	struct txt_lines it;
	const char *l;
	size_t n;
	int lineno = 0;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &l, &n)) {
		lineno++;
		if (want_commit && !out->sha && commit_line(l, n, &out->sha)) {
			out->sha_source = xasprintf("%s:%d commit", name, lineno);
			continue;
		}
		if (!says_rerun_passed(l, n))
			continue;
		for (size_t k = 0; k < out->nreports; k++)
			for (size_t i = 0; i < out->reports[k]->ncases; i++) {
				struct tr_case *c = &out->reports[k]->cases[i];
				if (c->kind != TR_K_TEST || !is_failed(c->status) || !c->id || !word_in(l, n, c->name))
					continue;
				bool seen = false;
				for (size_t j = 0; j < out->reruns.n; j++)
					seen |= strcmp(out->reruns.v[j], c->id) == 0;
				if (!seen)
					str_list_push(&out->reruns, c->id);
				c->flaky = true;
			}
	}
	free(data);
	free(p);
}

/* --- one run -------------------------------------------------------------- */

static enum wz_status read_run(const char *run_path, const struct run *meta, const struct scan_hook *hook,
			       struct th_run *out, struct str_list *warn, struct wz_err *err);

void th_read_run(const char *run_path, const struct run *meta, struct th_run *out, struct str_list *warn)
{
	(void)read_run(run_path, meta, NULL, out, warn, NULL);
}

static enum wz_status read_run(const char *run_path, const struct run *meta, const struct scan_hook *hook,
			       struct th_run *out, struct str_list *warn, struct wz_err *err)
{
	struct run_inventory *inv = meta ? meta->inventory : NULL;
	memset(out, 0, sizeof *out);
	out->time = NAN;
	out->path = xstrdup(run_path);
	const char *b = strrchr(run_path, '/');
	out->run_id = xstrdup(meta && meta->id ? meta->id : (b ? b + 1 : run_path));
	if (read_reports(inv ? inv->root : run_path, inv, hook, out, warn, err) != WZ_OK)
		return WZ_ECANCELED;
	scan_md(run_path, "build/test_execution.md", out, true);
	scan_md(run_path, "build/flakiness_report.md", out, false);
	if (!out->sha && meta && meta->merge_sha && *meta->merge_sha) {
		out->sha = xstrdup(meta->merge_sha);
		out->sha_source = xstrdup("run_meta.json merge_sha");
	}
	if (meta) {
		double t = meta->flows[FLOW_BUILD].receipt.completed_at;
		if (!isnan(t)) {
			out->time = t;
			out->time_source = xstrdup("build/build_receipt.json completed_at");
		} else if (!isnan(meta->updated_at)) {
			out->time = meta->updated_at;
			out->time_source = xstrdup("run_meta.json updated_at");
		} else if (!isnan(meta->created_at)) {
			out->time = meta->created_at;
			out->time_source = xstrdup("run_meta.json created_at");
		}
	}
	return WZ_OK;
}

const struct tr_case *th_find_case(const struct th_run *r, const char *test_id, const struct tr_report **report)
{
	for (size_t k = 0; r && test_id && k < r->nreports; k++)
		for (size_t i = 0; i < r->reports[k]->ncases; i++) {
			const struct tr_case *c = &r->reports[k]->cases[i];
			if (c->kind == TR_K_TEST && c->id && strcmp(c->id, test_id) == 0) {
				if (report)
					*report = r->reports[k];
				return c;
			}
		}
	return NULL;
}

/* --- modules --------------------------------------------------------------- */

static void stem_of(const char *p, const char **s, size_t *n)
{
	const char *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	*s = b;
	*n = strcspn(b, ".");
}

static char *strip_test(const char *b, size_t n)
{
	if (n > 5 && strncasecmp(b, "test_", 5) == 0)
		b += 5, n -= 5;
	else if (n > 5 && strncasecmp(b + n - 5, "_test", 5) == 0)
		n -= 5;
	else if (n > 5 && strncmp(b + n - 5, "Tests", 5) == 0)
		n -= 5;
	else if (n > 4 && strncmp(b + n - 4, "Test", 4) == 0)
		n -= 4;
	return n ? xstrndup(b, n) : NULL;
}

char *th_test_module(const struct tr_case *c)
{
	const char *s;
	size_t n;
	const char *sep = c->id ? strstr(c->id, "::") : NULL;
	if (sep && memchr(c->id, '/', (size_t)(sep - c->id))) {
		char *f = xstrndup(c->id, (size_t)(sep - c->id));
		stem_of(f, &s, &n);
		char *m = strip_test(s, n);
		free(f);
		return m;
	}
	if (c->file) {
		stem_of(c->file, &s, &n);
		if (n >= 4 && ci_has(s, n, "test"))
			return strip_test(s, n);
	}
	const char *k = c->classname ? c->classname : c->suite;
	if (!k || !*k)
		return NULL;
	const char *d = strrchr(k, '.');
	s = d ? d + 1 : k;
	d = strrchr(s, '/');
	s = d ? d + 1 : s;
	return strip_test(s, strlen(s));
}

bool th_path_related(const char *module, const char *path)
{
	const char *s;
	size_t n;
	if (!module || !*module || !path)
		return false;
	stem_of(path, &s, &n);
	char *m = strip_test(s, n);
	bool eq = m && strcasecmp(m, module) == 0;
	free(m);
	return eq;
}

/* --- the history ------------------------------------------------------------ */

static char *parent_dir(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s != p ? xstrndup(p, (size_t)(s - p)) : xstrdup(s ? "/" : ".");
}

static bool same_path(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (!a || !b)
		return false;
	if (realpath(a, ra) && realpath(b, rb))
		return strcmp(ra, rb) == 0;
	return strcmp(a, b) == 0;
}

static int cmp_run(const void *a, const void *b)
{
	const struct th_run *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

static void mark_rerun(struct reg_history *h, const char *test_id, const char *run_id)
{
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->v[i].test_id, test_id) != 0)
			continue;
		for (size_t j = 0; j < h->v[i].n; j++)
			if (h->v[i].v[j].run_id && strcmp(h->v[i].v[j].run_id, run_id) == 0 &&
			    is_failed(h->v[i].v[j].status))
				h->v[i].v[j].rerun_passed = true;
	}
}

static enum wz_status read_others(const struct run *run, struct th_history *h, const struct scan_hook *hook,
				  struct wz_err *cerr)
{
	static const struct scan_limits lim = { SCAN_HISTORY_DEPTH, SCAN_HISTORY_FILES, true };
	enum wz_status st = WZ_OK;
	char *root = parent_dir(run->path);
	struct run_list *l = NULL;
	struct wz_err err;
	wz_err_clear(&err);
	if (runs_list(root, &l, &err) != WZ_OK || !l) {
		warnf(&h->warnings, "no other runs read for the test history: %s", err.msg);
		free(root);
		return WZ_OK;
	}
	size_t cap = 0, read = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct run_entry *e = &l->v[i];
		if (!e->present || !e->path || same_path(e->path, run->path))
			continue;
		if (read >= TH_MAX_RUNS) {
			warnf(&h->caps, "test history: %zu runs under %s, only the newest %d read", l->n, root,
			      TH_MAX_RUNS);
			break;
		}
		read++;
		if (scan_hook_stopped(hook)) {
			st = wz_err_set(cerr, WZ_ECANCELED, "test history: canceled after %zu of the other runs under %s",
					read - 1, root);
			break;
		}
		scan_hook_report(hook, read, "reading earlier runs' tests");
		/* another run: its own walk, bounded (said in caps when cut) */
		struct run *m = runs_load_ex(e->path, l->root, &lim, hook);
		struct th_run tr;
		if (m->inventory && m->inventory->canceled) {
			run_free(&m);
			st = wz_err_set(cerr, WZ_ECANCELED, "test history: canceled while reading %s", e->path);
			break;
		}
		if (m->inventory && m->inventory->capped)
			warnf(&h->caps, "test history: %s: %s (its reports there were not read)", e->id,
			      m->inventory->cap_note ? m->inventory->cap_note : "the walk was cut short");
		if (read_run(e->path, m, hook, &tr, &h->warnings, cerr) != WZ_OK) {
			th_run_clear(&tr);
			run_free(&m);
			st = WZ_ECANCELED;
			break;
		}
		run_free(&m);
		if (isnan(tr.time)) {
			h->nundated++;
			warnf(&h->warnings, "%s: no receipt or run_meta time; its tests are left out of the history",
			      tr.run_id);
			th_run_clear(&tr);
			continue;
		}
		if (!isnan(h->cur.time) && tr.time > h->cur.time) {
			h->nlater++;
			th_run_clear(&tr);
			continue;
		}
		h->earlier = xgrow(h->earlier, &cap, h->nearlier + 1, sizeof *h->earlier);
		h->earlier[h->nearlier++] = tr;
	}
	run_list_free(&l);
	free(root);
	if (st != WZ_OK)
		return st;
	if (h->nearlier > 1)
		qsort(h->earlier, h->nearlier, sizeof *h->earlier, cmp_run);
	for (size_t i = 0; i < h->nearlier; i++) {
		struct th_run *tr = &h->earlier[i];
		for (size_t k = 0; k < tr->nreports; k++)
			reg_history_add_report(&h->hist, tr->run_id, tr->sha, tr->time, tr->reports[k]);
		for (size_t k = 0; k < tr->reruns.n; k++)
			mark_rerun(&h->hist, tr->reruns.v[k], tr->run_id);
		/* the observations are kept; the reports themselves are not needed */
		for (size_t k = 0; k < tr->nreports; k++)
			tr_report_free(&tr->reports[k]);
		tr->nreports = 0;
	}
	reg_history_sort(&h->hist);
	return WZ_OK;
}

enum wz_status th_gather(const struct run *run, struct th_history **out, struct wz_err *err)
{
	return th_gather_ex(run, NULL, out, err);
}

enum wz_status th_gather_ex(const struct run *run, const struct scan_hook *hook, struct th_history **out,
			    struct wz_err *err)
{
	*out = NULL;
	if (!run || !run->path)
		return wz_err_set(err, WZ_EUSAGE, "no run folder to read test results from");
	struct th_history *h = xcalloc(1, sizeof *h);
	if (read_run(run->path, run, hook, &h->cur, &h->warnings, err) != WZ_OK) {
		th_history_free(&h);
		return WZ_ECANCELED;
	}
	if (isnan(h->cur.time))
		warnf(&h->warnings, "%s: no receipt or run_meta time; every other dated run is taken as earlier",
		      h->cur.run_id);
	if (read_others(run, h, hook, err) != WZ_OK) {
		th_history_free(&h);
		return WZ_ECANCELED;
	}
	*out = h;
	return WZ_OK;
}

void th_history_free(struct th_history **hp)
{
	if (!hp || !*hp)
		return;
	struct th_history *h = *hp;
	th_run_clear(&h->cur);
	for (size_t i = 0; i < h->nearlier; i++)
		th_run_clear(&h->earlier[i]);
	free(h->earlier);
	reg_history_free(&h->hist);
	str_list_free(&h->warnings);
	str_list_free(&h->caps);
	free(h);
	*hp = NULL;
}
