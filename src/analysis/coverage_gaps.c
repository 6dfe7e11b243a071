/* coverage_gaps.c - §6.4 per touched file test gaps: a file that lost
 * coverage against the base run, or a new file below the bar, with its
 * uncovered new lines (UNC) and lines that lost coverage (LBC). Split from
 * coverage.c; the shared helpers are in coverage_internal.h. */
#include "config.h"
#include "analysis/coverage.h"
#include "analysis/coverage_internal.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-file test gaps ----------------------------------------------------------- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Test code, fixtures and docs are not expected in a coverage report
 * (beyond the anchors: a heuristic to keep the no-data rule quiet). */
static bool is_test_path(const char *p)
{
	static const char *const dirs[] = {"test", "tests", "spec", "specs", "__tests__", "testdata",
					   "fixtures", "docs", "doc", "examples"};
	const char *b = base_name(p), *s = p;
	size_t i;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n;
		if (!e)
			break;
		n = (size_t)(e - s);
		for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
			if (n == strlen(dirs[i]) && strncmp(s, dirs[i], n) == 0)
				return true;
		s = e + 1;
	}
	return strncmp(b, "test_", 5) == 0 || strstr(b, "_test.") || strstr(b, ".test.") ||
	       strstr(b, ".spec.") || strstr(b, "Test.") || strstr(b, "Tests.");
}

/* True when files with p's extension appear in the report. */
static bool ext_in_report(const char *p, const struct cov_report *r)
{
	const char *x = strrchr(base_name(p), '.');
	size_t i;
	if (!x)
		return false;
	for (i = 0; i < r->nfiles; i++) {
		const char *y = strrchr(base_name(r->files[i].path), '.');
		if (y && strcmp(x, y) == 0)
			return true;
	}
	return false;
}

static bool is_critical(const struct cov_evidence *h, const char *path)
{
	const char *c = h->critical_path.has ? h->critical_path.raw : NULL;
	size_t lc, lp;
	if (!c || !c[0])
		return false;
	lc = strlen(c);
	lp = strlen(path);
	return strstr(c, path) != NULL || (lc <= lp && strcmp(path + lp - lc, c) == 0);
}

struct line_vec {
	long *v;
	size_t n, cap;
};

static void lv_push(struct line_vec *l, long x)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = x;
}

static void file_gap(const struct cov_input *in, const struct cov_change *c, const struct cov_report *hr,
		     const struct cov_report *br, const struct cov_evidence *base, struct cov_result *out)
{
	const struct cov_file *hf = cov_report_find(hr, c->path);
	const struct cov_file *bf = br ? cov_report_find(br, c->old_path ? c->old_path : c->path) : NULL;
	bool is_new = c->status == CHG_ADDED || c->status == CHG_COPIED;
	double hratio = hf ? cov_ratio(hf->hit, hf->found) : NAN;
	double bratio = bf && !is_new ? cov_ratio(bf->hit, bf->found) : NAN;
	double drop = (bratio - hratio) * 100.0;
	bool r_nodata = !hf && !is_test_path(c->path) && ext_in_report(c->path, hr);
	bool r_new = hf && is_new && !isnan(hratio) && hratio < COV_NEW_FILE_MIN;
	bool r_drop = hf && bf && !is_new && hf->found >= (long long)COV_FILE_MIN_LINES && !isnan(drop) &&
		      drop >= COV_FILE_DROP_PP - 1e-9;
	struct line_vec unc = {0}, lbc = {0}, changed = {0};
	long unmapped = 0;
	struct finding *f;
	struct buf b = {0};
	size_t j;

	if (!r_nodata && !r_new && !r_drop)
		return;
	f = covi_add(out, COV_KIND_GAP, c->path, c->path);
	covi_set_status(f, "WARN");
	f->confidence = r_nodata ? CONF_LOW : CONF_HIGH;
	if (is_critical(in->head, c->path)) {
		f->severity = SEV_MAJOR;
		covi_reason(f, "critical-path: %s is the plan's COVERAGE_CRITICAL_PATH (%s)", c->path,
		       in->head->critical_path.where);
	}
	if (r_nodata) {
		for (j = 0; j < c->nhunks; j++) {
			long k;
			for (k = 0; k < c->hunks[j].count && changed.n < 100000; k++)
				lv_push(&changed, c->hunks[j].start + k);
		}
		covi_set_title(f, "%s: no coverage data for a touched file", c->path);
		covi_reason(f, "no-data: %s changed (%s) but %s has no lines for it", c->path, chg_status_word(c->status),
		       hr->where);
		buf_puts(&b, "changed lines without coverage data: ");
		covi_fmt_lines(&b, changed.v, changed.n);
		finding_add_number(f, "changed_lines", (double)changed.n);
		finding_add_evidence(f, EV_ARTIFACT, hr->where, "no lines for this file", CONF_LOW);
	} else {
		for (j = 0; j < hf->n; j++) {
			long line = hf->lines[j].line, bl;
			unsigned long long bh;
			if (hf->lines[j].hits > 0)
				continue;
			if (covi_in_hunks(c, line)) {
				lv_push(&unc, line);
			} else if (!bf) {
				continue;
			} else if (!covi_map_to_base(c, line, &bl)) {
				unmapped++;
			} else if (cov_file_hits(bf, bl, &bh) && bh > 0) {
				lv_push(&lbc, line);
			}
		}
		if (unmapped)
			covi_reason(f, "partial-lbc: %ld uncovered unchanged lines could not be mapped to base lines", unmapped);
		finding_add_number(f, "head_ratio", hratio);
		finding_add_number(f, "head_covered", (double)hf->hit);
		finding_add_number(f, "head_coverable", (double)hf->found);
		if (!isnan(bratio)) {
			finding_add_number(f, "base_ratio", bratio);
			finding_add_number(f, "delta_pp", -drop);
			covi_effect(f, -drop, "pp");
		}
		finding_add_number(f, "unc", (double)unc.n);
		finding_add_number(f, "lbc", (double)lbc.n);
		if (r_drop) {
			covi_set_title(f, "%s: %.2f %% -> %.2f %% (%+.2f pp)", c->path, 100.0 * bratio, 100.0 * hratio, -drop);
			covi_reason(f, "file-drop: %.2f pp drop (at least %.0f) with %lld coverable lines (at least %.0f)",
			       drop, COV_FILE_DROP_PP, hf->found, COV_FILE_MIN_LINES);
		}
		if (r_new) {
			covi_set_title(f, "%s: new file at %.2f %% coverage", c->path, 100.0 * hratio);
			covi_reason(f, "new-file: %.2f %% (%lld/%lld) is below %.0f %%", 100.0 * hratio, hf->hit, hf->found,
			       100.0 * COV_NEW_FILE_MIN);
		}
		buf_puts(&b, "UNC (uncovered changed lines): ");
		covi_fmt_lines(&b, unc.v, unc.n);
		buf_puts(&b, "\nLBC (lost baseline coverage): ");
		covi_fmt_lines(&b, lbc.v, lbc.n);
		if (unmapped)
			buf_printf(&b, " (%ld uncovered unchanged lines between hunks not mapped to the base: "
				       "old-side line numbers unknown)", unmapped);
		finding_add_evidence(f, EV_ARTIFACT, hr->where, "head per-line data", CONF_HIGH);
		if (bf && base)
			finding_add_evidence(f, EV_ARTIFACT, br->where, "base per-line data", CONF_HIGH);
		for (j = 0; j < unc.n && j < 50; j++) {
			char *loc = xasprintf("%s:%ld", c->path, unc.v[j]);
			finding_add_evidence(f, EV_ARTIFACT, loc, "UNC", CONF_HIGH);
			free(loc);
		}
		for (j = 0; j < lbc.n && j < 50; j++) {
			char *loc = xasprintf("%s:%ld", c->path, lbc.v[j]);
			finding_add_evidence(f, EV_ARTIFACT, loc, "LBC", CONF_HIGH);
			free(loc);
		}
	}
	f->body = buf_detach(&b);
	free(unc.v);
	free(lbc.v);
	free(changed.v);
}

static int change_cmp(const void *a, const void *b)
{
	const struct cov_change *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

void covi_file_gaps(const struct cov_input *in, const struct cov_report *hr, const struct cov_report *br,
		      const struct cov_evidence *base, struct cov_result *out)
{
	const struct cov_change **order;
	size_t i;
	if (!in->changes || !hr || !in->changes->n)
		return;
	order = xcalloc(in->changes->n, sizeof *order);
	for (i = 0; i < in->changes->n; i++)
		order[i] = &in->changes->v[i];
	qsort(order, in->changes->n, sizeof *order, change_cmp);
	for (i = 0; i < in->changes->n; i++)
		if (order[i]->status != CHG_DELETED)
			file_gap(in, order[i], hr, br, base, out);
	free(order);
}

