/* cov_evidence.c - every coverage source of a run, each value with its
 * place (spec/run-artifacts.md §8, §14). */
#include "config.h"
#include "sources/cov_evidence.h"
#include "model/inventory.h"
#include "sources/inv_reports.h"
#include "sources/md_summary.h"
#include "sources/md_tests.h"
#include "sources/report_detect.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* label + rel (+ ":" line when line > 0). Caller frees. */
static char *where_of(const struct cov_evidence *e, const char *rel, int line)
{
	if (line > 0)
		return xasprintf("%s%s:%d", e->label, rel, line);
	return xasprintf("%s%s", e->label, rel);
}

static struct cov_value *add_at(struct cov_evidence *e, enum cov_source k, enum cov_metric m,
				const char *rel, int line)
{
	char *w = where_of(e, rel, line);
	struct cov_value *v = cov_add_value(e, k, m, w);
	free(w);
	return v;
}

/* ---- plan/test_plan.md markers ------------------------------------------ */

void cov_read_test_plan(struct cov_evidence *e, const char *text, size_t len, const char *rel)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{"COVERAGE_LINE_REQUIRED:", offsetof(struct cov_evidence, line_required)},
		{"COVERAGE_BRANCH_REQUIRED:", offsetof(struct cov_evidence, branch_required)},
		{"COVERAGE_CRITICAL_PATH:", offsetof(struct cov_evidence, critical_path)},
	};
	struct txt_lines it;
	const char *l;
	size_t n, k;
	if (!text)
		return;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t i = 0;
		while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '-' || l[i] == '*' || l[i] == '`'))
			i++;
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			size_t kl = strlen(keys[k].key);
			struct cov_threshold *t = (struct cov_threshold *)((char *)e + keys[k].off);
			char *raw, *w;
			size_t end;
			if (t->present || n - i < kl || memcmp(l + i, keys[k].key, kl) != 0)
				continue;
			end = n;
			while (end > i + kl && (l[end - 1] == '`' || isspace((unsigned char)l[end - 1])))
				end--;
			raw = txt_trim_dup(l + i + kl, end - i - kl);
			w = where_of(e, rel, it.lineno);
			cov_threshold_set(t, raw, w);
			if (t == &e->critical_path)
				t->has = raw[0] && strcmp(raw, "null") != 0 && strcmp(raw, "~") != 0 &&
					 !mds_is_template(raw);
			free(raw);
			free(w);
		}
	}
}

/* ---- build/test_execution.md ---------------------------------------------- */

void cov_read_test_execution(struct cov_evidence *e, const char *text, size_t len, const char *rel)
{
	struct mdt_coverage c;
	struct mds *m = NULL;
	struct wz_err err;
	if (!text)
		return;
	if (mdt_coverage_line(text, len, &c)) {
		struct cov_value *v = add_at(e, COV_SRC_CANONICAL, COV_M_LINE, rel, c.line);
		struct txt_lines it;
		const char *l;
		size_t n;
		v->has_percent = c.has_percent;
		v->percent = c.percent;
		if (c.has_lines && c.total >= 0 && c.covered >= 0 && c.total < 1e15 && c.covered <= c.total) {
			v->has_lines = true;
			v->covered = (long long)c.covered;
			v->total = (long long)c.total;
		}
		txt_lines_init(&it, text, len);
		while (txt_lines_next(&it, &l, &n))
			if (it.lineno == c.line) {
				const char *colon = memchr(l, ':', n);
				v->raw = colon ? txt_trim_dup(colon + 1, n - (size_t)(colon + 1 - l))
					       : txt_trim_dup(l, n);
				break;
			}
		if (c.has_lines && !v->has_lines)
			str_list_push(&e->notes, "canonical coverage line has impossible line counts; ignored");
	}
	wz_err_clear(&err);
	if (mds_parse(text, len, rel, &m, &err) == WZ_OK && m && m->found) {
		const struct mds_item *it = mds_get_in(m, "test_summary", "coverage_percent");
		if (!it)
			it = mds_get(m, "coverage_percent");
		if (it) {
			struct cov_value *v = add_at(e, COV_SRC_SUMMARY, COV_M_LINE, rel, it->line);
			double d;
			v->raw = xstrdup(it->value ? it->value : "null");
			if (mds_item_num(it, &d) && isfinite(d)) {
				v->has_percent = true;
				v->percent = d;
			}
		}
	}
	mds_free(&m);
}

/* ---- gate/coverage_audit.md `## Results (mechanical)` table --------------- */

#define MAX_CELLS 16

/* Splits a `| a | b |` row into trimmed cells; returns the count. */
static size_t split_row(const char *l, size_t n, char *cells[MAX_CELLS])
{
	size_t i = 0, k = 0, start;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i >= n || l[i] != '|')
		return 0;
	i++;
	while (i < n && k < MAX_CELLS) {
		start = i;
		while (i < n && l[i] != '|')
			i++;
		if (i >= n) {   /* text after the last bar: a cell only when not blank */
			char *c = txt_trim_dup(l + start, i - start);
			if (c[0])
				cells[k++] = c;
			else
				free(c);
			break;
		}
		cells[k++] = txt_trim_dup(l + start, i - start);
		i++;
	}
	return k;
}

static void free_cells(char *cells[MAX_CELLS], size_t n)
{
	while (n-- > 0)
		free(cells[n]);
}

static bool ci_contains(const char *h, const char *needle)
{
	size_t nl = strlen(needle);
	for (; *h; h++)
		if (strncasecmp(h, needle, nl) == 0)
			return true;
	return false;
}

static bool is_separator(char *cells[], size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!cells[i][0] || strspn(cells[i], "-: ") != strlen(cells[i]))
			return false;
	return n > 0;
}

void cov_read_gate_table(struct cov_evidence *e, const char *text, size_t len, const char *rel)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	int level = 0, col_metric = -1, col_req = -1, col_act = -1, col_status = -1;
	bool in = false, fence = false, header = false;
	if (!text)
		return;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		char *cells[MAX_CELLS];
		size_t nc, i;
		int h;
		if (mds_is_fence(l, n)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		h = mds_heading_level(l, n);
		if (h) {
			char *t = xstrndup(l, n);
			if (in && h <= level) {
				free(t);
				break;
			}
			if (!in && ci_contains(t, "Results (mechanical)")) {
				in = true;
				level = h;
			}
			free(t);
			continue;
		}
		if (!in)
			continue;
		nc = split_row(l, n, cells);
		if (!nc) {
			header = false;   /* a table ended: a later one brings its own header */
			continue;
		}
		if (!header) {
			col_metric = col_req = col_act = col_status = -1;
			for (i = 0; i < nc; i++) {
				if (ci_contains(cells[i], "metric"))
					col_metric = (int)i;
				else if (ci_contains(cells[i], "required"))
					col_req = (int)i;
				else if (ci_contains(cells[i], "actual"))
					col_act = (int)i;
				else if (ci_contains(cells[i], "status"))
					col_status = (int)i;
			}
			header = col_metric >= 0 && col_act >= 0;
			free_cells(cells, nc);
			continue;
		}
		if (is_separator(cells, nc)) {
			free_cells(cells, nc);
			continue;
		}
		if ((size_t)col_metric < nc && (size_t)col_act < nc) {
			const char *m = cells[col_metric];
			int metric = ci_contains(m, "branch") ? COV_M_BRANCH
				     : ci_contains(m, "critical path") ? COV_M_PATH
				     : ci_contains(m, "line cov") || strcasecmp(m, "line") == 0 ? COV_M_LINE : -1;
			if (metric >= 0) {
				struct cov_value *v = add_at(e, COV_SRC_GATE_TABLE, (enum cov_metric)metric, rel,
							     it.lineno);
				v->label = xstrdup(m);
				v->raw = xstrdup(cells[col_act]);
				v->has_percent = cov_parse_percent(cells[col_act], &v->percent);
				if (col_req >= 0 && (size_t)col_req < nc)
					v->required_raw = xstrdup(cells[col_req]);
				if (col_status >= 0 && (size_t)col_status < nc)
					v->status = xstrdup(cells[col_status]);
			}
		}
		free_cells(cells, nc);
	}
}

/* ---- receipts ------------------------------------------------------------- */

static void add_receipt_num(struct cov_evidence *e, enum cov_source k, enum cov_metric m,
			    const struct opt_num *n)
{
	struct cov_value *v;
	if (!n->src.path)
		return;   /* the key is absent */
	v = add_at(e, k, m, n->src.path, n->src.line);
	v->has_percent = n->has && isfinite(n->v);
	v->percent = n->v;
	v->raw = v->has_percent ? xasprintf("%g", n->v) : xstrdup("null");
}

/* ---- reports ---------------------------------------------------------------- */

static void add_report_file(struct cov_evidence *e, const char *abs, const char *shown, bool quiet)
{
	struct tr_report *tr = NULL;
	struct wz_err err;
	wz_err_clear(&err);
	if (report_read(abs, TR_FMT_UNKNOWN, &tr, &err) != WZ_OK || !tr) {
		if (!quiet) {
			char *m = xasprintf("%s: %s", shown, err.msg);
			str_list_push(&e->notes, m);
			free(m);
		}
		return;
	}
	if (tr_format_is_coverage(tr->format)) {
		struct cov_report *r = cov_add_tr_report(e, shown, tr);
		if (r->malformed) {
			char *m = xasprintf("%s:%ld: %s (the part before it is counted)", shown, tr->error_line,
					    tr->error ? tr->error : "malformed");
			str_list_push(&e->notes, m);
			free(m);
		}
		if (r->found == 0) {
			char *m = xasprintf("%s: no coverable lines", shown);
			str_list_push(&e->notes, m);
			free(m);
		}
	}
	tr_report_free(&tr);
}

/* The report files under build/: from the run's file inventory when it has
 * one (no second walk), else by walking the folder. */
static enum wz_status gather_build_reports(struct cov_evidence *e, const char *run_path, struct run_inventory *inv,
					   const struct scan_hook *hook, struct wz_err *cerr)
{
	char *dir;
	struct report_paths rp;
	struct wz_err err;
	size_t i, pl;
	enum wz_status st;
	if (inv)
		run_path = inv->root;
	dir = fio_join(run_path, "build");
	pl = strlen(run_path);
	memset(&rp, 0, sizeof rp);
	wz_err_clear(&err);
	if (inv)
		st = inv_report_paths(inv, "build", hook, &rp, &err);
	else
		st = fio_is_dir(dir) ? report_walk(dir, &rp, &err) : WZ_ENOENT;
	if (st == WZ_ECANCELED) {
		if (cerr)
			*cerr = err;
		report_paths_free(&rp);
		free(dir);
		return st;
	}
	if (st == WZ_OK) {
		for (i = 0; i < rp.n; i++) {
			const char *rel = rp.v[i];
			char *shown;
			if (strncmp(rel, run_path, pl) == 0 && rel[pl] == '/')
				rel += pl + 1;
			shown = xasprintf("%s%s", e->label, rel);
			add_report_file(e, rp.v[i], shown, true);
			free(shown);
		}
		for (i = 0; i < rp.nnotes; i++)
			str_list_push(&e->notes, rp.notes[i]);
	} else if (err.msg[0]) {
		str_list_push(&e->notes, err.msg);
	}
	report_paths_free(&rp);
	free(dir);
	return WZ_OK;
}

static void gather_repo_reports(struct cov_evidence *e, const char *repo_root)
{
	static const char *const readable[] = {
#define COV_F(p) p,
		COV_REPO_FILES(COV_F)
	};
	static const char *const unread[] = {
		COV_UNREAD_FILES(COV_F)
#undef COV_F
	};
	size_t i;
	for (i = 0; i < sizeof readable / sizeof readable[0]; i++) {
		char *p = fio_join(repo_root, readable[i]);
		if (fio_is_file(p))
			add_report_file(e, p, p, false);
		free(p);
	}
	for (i = 0; i < sizeof unread / sizeof unread[0]; i++) {
		char *p = fio_join(repo_root, unread[i]);
		if (fio_is_file(p)) {
			char *m = xasprintf("%s: present, but this format is not read (use Cobertura XML or lcov)", p);
			str_list_push(&e->notes, m);
			free(m);
		}
		free(p);
	}
}

/* ---- one run ------------------------------------------------------------------ */

typedef void (*text_reader)(struct cov_evidence *, const char *, size_t, const char *);

static void read_artifact(struct cov_evidence *e, const char *run_path, const char *rel, text_reader fn)
{
	char *p = fio_join(run_path, rel), *data = NULL;
	size_t len = 0;
	struct wz_err err;
	wz_err_clear(&err);
	if (!fio_is_file(p)) {
		free(p);
		return;
	}
	if (fio_read(p, FIO_DEFAULT_MAX, &data, &len, &err) == WZ_OK)
		fn(e, data, len, rel);
	else
		str_list_push(&e->notes, err.msg);
	free(data);
	free(p);
}

struct cov_evidence *cov_gather(const struct run *r, const char *label, double time, bool repo_files)
{
	struct cov_evidence *e = NULL;
	(void)cov_gather_ex(r, label, time, repo_files, NULL, &e, NULL);
	return e;
}

enum wz_status cov_gather_ex(const struct run *r, const char *label, double time, bool repo_files,
			     const struct scan_hook *hook, struct cov_evidence **out, struct wz_err *err)
{
	struct cov_evidence *e = cov_evidence_new(r ? r->id : NULL, label, time);
	const struct receipt *b, *g;
	*out = e;
	if (!r || !r->path)
		return WZ_OK;
	read_artifact(e, r->path, "plan/test_plan.md", cov_read_test_plan);
	read_artifact(e, r->path, "build/test_execution.md", cov_read_test_execution);
	b = &r->flows[FLOW_BUILD].receipt;
	g = &r->flows[FLOW_GATE].receipt;
	if (b->parsed) {
		add_receipt_num(e, COV_SRC_BUILD_RECEIPT, COV_M_LINE, &b->coverage_line);
		add_receipt_num(e, COV_SRC_BUILD_RECEIPT, COV_M_BRANCH, &b->coverage_branch);
	}
	if (g->parsed) {
		add_receipt_num(e, COV_SRC_GATE_RECEIPT, COV_M_LINE, &g->coverage_line);
		add_receipt_num(e, COV_SRC_GATE_RECEIPT, COV_M_BRANCH, &g->coverage_branch);
	}
	read_artifact(e, r->path, "gate/coverage_audit.md", cov_read_gate_table);
	if (gather_build_reports(e, r->path, r->inventory, hook, err) != WZ_OK) {
		cov_evidence_free(out);
		return WZ_ECANCELED;
	}
	if (repo_files && r->repo_root)
		gather_repo_reports(e, r->repo_root);
	return WZ_OK;
}

/* Another run: loaded with its own bounded walk (a cut is noted). */
static enum wz_status gather_path(const char *run_path, const char *root, const char *label, double time,
				  const struct scan_hook *hook, struct cov_evidence **out, struct wz_err *err)
{
	static const struct scan_limits lim = { SCAN_HISTORY_DEPTH, SCAN_HISTORY_FILES, true };
	struct run *r = runs_load_ex(run_path, root, &lim, hook);
	enum wz_status st;
	*out = NULL;
	if (r->inventory && r->inventory->canceled) {
		st = wz_err_set(err, WZ_ECANCELED, "coverage history: canceled while reading %s", run_path);
		run_free(&r);
		return st;
	}
	st = cov_gather_ex(r, label, time, false, hook, out, err);
	/* the cut, if any, is already in the notes via the inventory */
	run_free(&r);
	return st;
}

struct cov_evidence *cov_gather_path(const char *run_path, const char *root, const char *label,
				     double time)
{
	struct cov_evidence *e = NULL;
	(void)gather_path(run_path, root, label, time, NULL, &e, NULL);
	return e;
}

/* ---- earlier runs ----------------------------------------------------------- */

static char *parent_dir(const char *p)
{
	char *d = xstrdup(p), *s;
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	s = strrchr(d, '/');
	if (s && s != d)
		*s = '\0';
	else if (s)
		s[1] = '\0';
	return d;
}

static bool same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

struct hist_pick {
	double t;
	size_t idx;
};

static int pick_cmp(const void *a, const void *b)
{
	const struct hist_pick *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

enum wz_status cov_gather_history(const struct run *r, struct cov_evidence ***out, size_t *n,
				  double *head_time, struct wz_err *err)
{
	return cov_gather_history_ex(r, NULL, out, n, head_time, err);
}

enum wz_status cov_gather_history_ex(const struct run *r, const struct scan_hook *hook, struct cov_evidence ***out,
				     size_t *n, double *head_time, struct wz_err *err)
{
	enum wz_status st = WZ_OK;
	struct run_list *l = NULL;
	struct hist_pick *picks;
	char *root;
	size_t i, k = 0;
	double ht = NAN;
	*out = NULL;
	*n = 0;
	if (head_time)
		*head_time = NAN;
	if (!r || !r->path)
		return WZ_OK;
	root = parent_dir(r->path);
	if (runs_list(root, &l, err) != WZ_OK || !l) {
		free(root);
		run_list_free(&l);
		return WZ_OK;   /* no runs folder: no history, not an error */
	}
	free(root);
	for (i = 0; i < l->n; i++)
		if (l->v[i].present && l->v[i].path && same_dir(l->v[i].path, r->path))
			ht = l->v[i].updated;
	if (isnan(ht))
		ht = !isnan(r->updated_at) ? r->updated_at : r->created_at;
	if (head_time)
		*head_time = ht;
	picks = xcalloc(l->n + 1, sizeof *picks);
	for (i = 0; i < l->n && !isnan(ht); i++) {
		const struct run_entry *en = &l->v[i];
		if (!en->present || !en->path || isnan(en->updated) || en->updated >= ht ||
		    same_dir(en->path, r->path))
			continue;
		picks[k].t = en->updated;
		picks[k].idx = i;
		k++;
	}
	qsort(picks, k, sizeof *picks, pick_cmp);
	if (k) {
		*out = xcalloc(k, sizeof **out);
		for (i = 0; i < k && st == WZ_OK; i++) {
			const struct run_entry *en = &l->v[picks[i].idx];
			const char *folder = en->folder ? en->folder : en->id;
			char *label = xasprintf("../%s/", folder ? folder : "?");
			scan_hook_report(hook, i + 1, "reading earlier runs' coverage");
			if (scan_hook_stopped(hook))
				st = wz_err_set(err, WZ_ECANCELED, "coverage history: canceled after %zu of %zu earlier runs",
						i, k);
			else
				st = gather_path(en->path, l->root, label, en->updated, hook, &(*out)[i], err);
			if (st == WZ_OK && en->id) {
				free((*out)[i]->run_id);
				(*out)[i]->run_id = xstrdup(en->id);
			}
			free(label);
		}
	}
	*n = k;
	free(picks);
	run_list_free(&l);
	if (st != WZ_OK)
		cov_history_free(out, n);
	return st;
}

void cov_history_free(struct cov_evidence ***v, size_t *n)
{
	size_t i;
	if (!v || !*v)
		return;
	for (i = 0; i < *n; i++)
		cov_evidence_free(&(*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}
