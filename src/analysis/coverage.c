/* coverage.c - §6.4: total delta, patch coverage and trend (per-file test
 * gaps are in coverage_gaps.c). Pure functions over model data. */
#include "config.h"
#include "analysis/coverage.h"
#include "analysis/coverage_internal.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- changes ---------------------------------------------------------------- */

struct cov_change *cov_changes_add(struct cov_changes *c, const char *path, const char *old_path,
				   enum chg_status st, long adds, long dels)
{
	struct cov_change *f;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	f = &c->v[c->n++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path ? path : "");
	f->old_path = xstrdup(old_path);
	f->status = st;
	f->adds = adds;
	f->dels = dels;
	return f;
}

void cov_change_add_hunk(struct cov_change *f, long start, long count, bool has_old, long old_start,
			 long old_count)
{
	size_t i;
	f->hunks = xrealloc(f->hunks, (f->nhunks + 1) * sizeof *f->hunks);
	i = f->nhunks++;
	while (i > 0 && f->hunks[i - 1].start > start) {   /* keep sorted */
		f->hunks[i] = f->hunks[i - 1];
		i--;
	}
	f->hunks[i].start = start;
	f->hunks[i].count = count < 0 ? 0 : count;
	f->hunks[i].has_old = has_old;
	f->hunks[i].old_start = old_start;
	f->hunks[i].old_count = old_count < 0 ? 0 : old_count;
}

void cov_changes_from_chg(const struct chg_set *s, struct cov_changes *out)
{
	size_t i, j;
	memset(out, 0, sizeof *out);
	for (i = 0; s && i < s->nfiles; i++) {
		const struct chg_file *cf = &s->files[i];
		struct cov_change *f = cov_changes_add(out, cf->path, cf->old_path, cf->status,
						       cf->binary ? -1 : cf->adds, cf->binary ? -1 : cf->dels);
		for (j = 0; j < cf->nhunks; j++)
			cov_change_add_hunk(f, cf->hunks[j].start, cf->hunks[j].count, false, 0, 0);
	}
}

void cov_changes_clear(struct cov_changes *c)
{
	size_t i;
	for (i = 0; c && i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].old_path);
		free(c->v[i].hunks);
	}
	if (c) {
		free(c->v);
		memset(c, 0, sizeof *c);
	}
}

bool covi_in_hunks(const struct cov_change *f, long line)
{
	size_t i;
	for (i = 0; i < f->nhunks; i++)
		if (line >= f->hunks[i].start && line < f->hunks[i].start + f->hunks[i].count)
			return true;
	return false;
}

/* Base line of an unchanged head line; false when it cannot be mapped. */
bool covi_map_to_base(const struct cov_change *f, long line, long *out)
{
	long off = 0;
	bool known = true;
	size_t i;
	for (i = 0; i < f->nhunks; i++) {
		const struct cov_hunk *h = &f->hunks[i];
		long end = h->count ? h->start + h->count : h->start + 1;
		if (line < end)
			break;
		if (h->has_old)
			off += h->count - h->old_count;
		else
			known = false;
	}
	if (!known && i == f->nhunks && f->adds >= 0 && f->dels >= 0) {
		off = f->adds - f->dels;
		known = true;
	}
	if (!known)
		return false;
	*out = line - off;
	return true;
}

/* ---- results ------------------------------------------------------------------ */

struct finding *covi_add(struct cov_result *r, const char *kind, const char *subject, const char *title)
{
	struct finding *f = finding_new(COV_ANALYZER, kind, subject, title);
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	r->v[r->n++] = f;
	str_list_push(&f->components, subject);
	return f;
}

void cov_result_clear(struct cov_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		finding_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

double cov_finding_number(const struct finding *f, const char *key)
{
	size_t i;
	for (i = 0; f && i < f->nnumbers; i++)
		if (strcmp(f->numbers[i].key, key) == 0)
			return f->numbers[i].v;
	return NAN;
}

const struct finding *cov_result_find(const struct cov_result *r, const char *kind, const char *subject)
{
	size_t i;
	for (i = 0; r && i < r->n; i++)
		if (strcmp(r->v[i]->kind, kind) == 0 && strcmp(r->v[i]->subject, subject) == 0)
			return r->v[i];
	return NULL;
}

void covi_set_status(struct finding *f, const char *st)
{
	free(f->status);
	f->status = xstrdup(st);
	if (strcmp(st, "FAIL") == 0)
		f->severity = SEV_MAJOR;
	else if (strcmp(st, "WARN") == 0)
		f->severity = SEV_MINOR;
	else
		f->severity = SEV_INFO;
}

void covi_reason(struct finding *f, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	memset(&b, 0, sizeof b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	str_list_push(&f->reasons, buf_str(&b));
	buf_free(&b);
}

void covi_set_title(struct finding *f, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	memset(&b, 0, sizeof b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(f->title);
	f->title = xstrdup(buf_str(&b));
	buf_free(&b);
}

void covi_effect(struct finding *f, double v, const char *unit)
{
	f->effect.value = v;
	free(f->effect.unit);
	f->effect.unit = xstrdup(unit);
}

/* ---- sources of one run's total ------------------------------------------------ */

/* Adds every line-coverage source of e as evidence and a reason listing
 * them; flags a disagreement with the value used. Returns true when some
 * source disagrees. */
static bool cite_sources(struct finding *f, const struct cov_evidence *e, const struct cov_total *t,
			 const char *who)
{
	struct buf b;
	size_t i;
	bool disagree = false;
	memset(&b, 0, sizeof b);
	for (i = 0; i < e->nreports; i++) {
		const struct cov_report *r = &e->reports[i];
		double p = 100.0 * cov_ratio(r->hit, r->found);
		char *x = r->found ? xasprintf("%.2f %% (%lld/%lld lines)", p, r->hit, r->found)
				   : xstrdup("no coverable lines");
		finding_add_evidence(f, EV_ARTIFACT, r->where, x, r->found ? CONF_HIGH : CONF_LOW);
		buf_printf(&b, "%s%s %s%s", b.len ? "; " : "", r->where, x,
			   t->kind == COV_SRC_REPORT && t->where == r->where ? " [used]" : "");
		if (r->found && t->has && fabs(p - t->percent) > COV_AGREE_PP)
			disagree = true;
		free(x);
	}
	for (i = 0; i < e->nvalues; i++) {
		const struct cov_value *v = &e->values[i];
		char *x;
		if (v->metric != COV_M_LINE)
			continue;
		x = v->has_percent ? xasprintf("%.2f %%", v->percent)
				   : xasprintf("%s%s%s", v->raw ? v->raw : "null", v->status ? ", status " : "",
					       v->status ? v->status : "");
		finding_add_evidence(f, EV_ARTIFACT, v->where, x, v->has_percent ? CONF_MEDIUM : CONF_LOW);
		buf_printf(&b, "%s%s %s (%s)%s", b.len ? "; " : "", v->where, x, cov_source_word(v->kind),
			   t->kind != COV_SRC_REPORT && t->where == v->where ? " [used]" : "");
		if (v->has_percent && t->has && fabs(v->percent - t->percent) > COV_AGREE_PP)
			disagree = true;
		free(x);
	}
	if (b.len)
		covi_reason(f, "%s line coverage sources: %s", who, buf_str(&b));
	else
		covi_reason(f, "%s run: no line coverage source found", who);
	if (disagree)
		covi_reason(f, "%s sources disagree by more than %.2f pp; the value marked [used] is the strongest "
			  "(counted report lines first)", who, COV_AGREE_PP);
	buf_free(&b);
	return disagree;
}

/* The latest earlier run with a line total, or NULL. */
static const struct cov_evidence *base_run(const struct cov_input *in, struct cov_total *bt)
{
	size_t i;
	for (i = in->nearlier; i-- > 0;) {
		if (!in->earlier[i])
			continue;
		*bt = cov_evidence_line_total(in->earlier[i]);
		if (bt->has)
			return in->earlier[i];
	}
	memset(bt, 0, sizeof *bt);
	return NULL;
}

/* The gate threshold (0-100) and where it came from; false when none. */
static bool threshold(const struct cov_evidence *e, double *pct, const char **where)
{
	size_t i;
	if (e->line_required.has) {
		*pct = e->line_required.percent;
		*where = e->line_required.where;
		return true;
	}
	for (i = 0; i < e->nvalues; i++) {
		const struct cov_value *v = &e->values[i];
		if (v->kind == COV_SRC_GATE_TABLE && v->metric == COV_M_LINE &&
		    cov_parse_percent(v->required_raw, pct)) {
			*where = v->where;
			return true;
		}
	}
	return false;
}

static void describe_thresholds(struct finding *f, const struct cov_evidence *e)
{
	const struct cov_threshold *ts[2] = {&e->line_required, &e->branch_required};
	const char *names[2] = {"COVERAGE_LINE_REQUIRED", "COVERAGE_BRANCH_REQUIRED"};
	int i;
	for (i = 0; i < 2; i++) {
		if (!ts[i]->present)
			covi_reason(f, "plan threshold %s: no marker", names[i]);
		else if (!ts[i]->has)
			covi_reason(f, "plan threshold %s at %s is %s: not applicable", names[i], ts[i]->where,
			       ts[i]->raw && ts[i]->raw[0] ? ts[i]->raw : "empty");
		else
			covi_reason(f, "plan threshold %s at %s: %.2f %%", names[i], ts[i]->where, ts[i]->percent);
		if (ts[i]->present)
			finding_add_evidence(f, EV_ARTIFACT, ts[i]->where, ts[i]->raw, CONF_HIGH);
	}
}

/* ---- total --------------------------------------------------------------------- */

static void total_finding(const struct cov_input *in, struct cov_result *out)
{
	const struct cov_evidence *h = in->head, *b;
	struct cov_total ht = cov_evidence_line_total(h), bt;
	struct finding *f = covi_add(out, COV_KIND_DROP, COV_SUBJ_TOTAL, "line coverage");
	double thr = NAN, delta;
	const char *thr_where = NULL;
	bool has_thr = threshold(h, &thr, &thr_where), dis;

	b = base_run(in, &bt);
	dis = cite_sources(f, h, &ht, "this");
	describe_thresholds(f, h);
	if (has_thr)
		finding_add_number(f, "threshold_ratio", thr / 100.0);
	if (!ht.has) {
		covi_set_status(f, "NO_DATA");
		f->input_missing = true;
		f->confidence = CONF_HIGH;
		covi_set_title(f, "line coverage: no measured value in this run");
		covi_reason(f, "no-data: nothing in this run measures line coverage (no report with coverable "
			  "lines, every receipt, summary and gate value is null or absent)");
		return;
	}
	finding_add_number(f, "head_ratio", ht.percent / 100.0);
	if (ht.has_lines) {
		finding_add_number(f, "head_covered", (double)ht.covered);
		finding_add_number(f, "head_coverable", (double)ht.total);
	}
	f->confidence = ht.kind == COV_SRC_REPORT ? CONF_HIGH : CONF_MEDIUM;
	if (b) {
		cite_sources(f, b, &bt, "base");
		finding_add_number(f, "base_ratio", bt.percent / 100.0);
		if (bt.has_lines) {
			finding_add_number(f, "base_covered", (double)bt.covered);
			finding_add_number(f, "base_coverable", (double)bt.total);
		}
		if (bt.kind != COV_SRC_REPORT)
			f->confidence = CONF_MEDIUM;
	}
	if (dis)
		f->confidence = CONF_LOW;
	if (has_thr && ht.percent < thr) {
		covi_set_status(f, "FAIL");
		covi_reason(f, "fail-threshold: %.2f %% is below the gate threshold %.2f %% (%s)", ht.percent, thr,
		       thr_where);
	}
	if (!b) {
		covi_set_title(f, "line coverage %.2f %% (no earlier run to compare with)", ht.percent);
		if (!f->status) {
			covi_set_status(f, "NO_DATA");
			f->input_missing = true;
		}
		covi_reason(f, "no-base: no earlier run in this runs folder has a line coverage value");
		return;
	}
	delta = ht.percent - bt.percent;
	finding_add_number(f, "delta_pp", delta);
	covi_effect(f, delta, "pp");
	covi_set_title(f, "line coverage %.2f %% -> %.2f %% (%+.3f pp) vs %s", bt.percent, ht.percent, delta,
		  b->run_id);
	if (delta <= COV_TOTAL_FAIL_PP) {
		covi_set_status(f, "FAIL");
		covi_reason(f, "fail-delta: %+.3f pp is at or below %.1f pp", delta, COV_TOTAL_FAIL_PP);
	} else if (delta <= COV_TOTAL_WARN_PP) {
		if (!f->status)
			covi_set_status(f, "WARN");
		covi_reason(f, "warn-delta: %+.3f pp is at or below %.1f pp (FAIL at %.1f pp)", delta,
		       COV_TOTAL_WARN_PP, COV_TOTAL_FAIL_PP);
	} else if (!f->status) {
		covi_set_status(f, "PASS");
		covi_reason(f, "pass: %+.3f pp is above %.1f pp%s", delta, COV_TOTAL_WARN_PP,
		       has_thr ? " and the gate threshold is met" : "");
	}
}

/* ---- patch ------------------------------------------------------------------------ */

/* Appends lines as "3, 7-9, 12". */
void covi_fmt_lines(struct buf *b, const long *v, size_t n)
{
	size_t i = 0;
	if (!n) {
		buf_puts(b, "none");
		return;
	}
	while (i < n) {
		size_t j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (i)
			buf_puts(b, ", ");
		if (j > i)
			buf_printf(b, "%ld-%ld", v[i], v[j]);
		else
			buf_printf(b, "%ld", v[i]);
		i = j + 1;
	}
}

static void patch_finding(const struct cov_input *in, const struct cov_report *hr, struct cov_result *out)
{
	struct finding *f = covi_add(out, COV_KIND_DROP, COV_SUBJ_PATCH, "patch coverage");
	long long coverable = 0, covered = 0;
	size_t i, j, files = 0;
	double ratio;
	if (!in->changes || !hr) {
		covi_set_status(f, "NO_DATA");
		f->input_missing = true;
		covi_set_title(f, "patch coverage: %s", !in->changes ? "the change is unknown" : "no per-line coverage");
		if (!in->changes)
			covi_reason(f, "no-changes: the changed lines are unknown (%s)",
			       in->changes_note ? in->changes_note : "no git range");
		if (!hr)
			covi_reason(f, "no-report: this run has no coverage report with per-line data");
		return;
	}
	for (i = 0; i < in->changes->n; i++) {
		const struct cov_change *c = &in->changes->v[i];
		const struct cov_file *hf;
		bool any = false;
		if (c->status == CHG_DELETED || !(hf = cov_report_find(hr, c->path)))
			continue;
		for (j = 0; j < hf->n; j++)
			if (covi_in_hunks(c, hf->lines[j].line)) {
				coverable++;
				any = true;
				if (hf->lines[j].hits > 0)
					covered++;
			}
		files += any;
	}
	finding_add_number(f, "patch_covered", (double)covered);
	finding_add_number(f, "patch_coverable", (double)coverable);
	finding_add_evidence(f, EV_ARTIFACT, hr->where, "per-line data of the changed lines", CONF_HIGH);
	f->confidence = CONF_HIGH;
	ratio = cov_ratio(covered, coverable);
	if (coverable < (long long)COV_PATCH_MIN_LINES) {
		covi_set_status(f, "INCONCLUSIVE");
		covi_set_title(f, "patch coverage: %lld changed coverable lines (fewer than %.0f)", coverable,
			  COV_PATCH_MIN_LINES);
		covi_reason(f, "too-few-lines: %lld changed coverable lines in %zu files, below the %.0f needed to judge",
		       coverable, files, COV_PATCH_MIN_LINES);
		if (coverable)
			finding_add_number(f, "patch_ratio", ratio);
		return;
	}
	finding_add_number(f, "patch_ratio", ratio);
	covi_effect(f, ratio, "ratio");
	covi_set_title(f, "patch coverage %.1f %% (%lld/%lld changed lines)", 100.0 * ratio, covered, coverable);
	if (ratio < COV_PATCH_FAIL) {
		covi_set_status(f, "FAIL");
		covi_reason(f, "fail-patch: %.1f %% of %lld changed coverable lines covered, below %.0f %%", 100.0 * ratio,
		       coverable, 100.0 * COV_PATCH_FAIL);
	} else if (ratio < COV_PATCH_WARN) {
		covi_set_status(f, "WARN");
		covi_reason(f, "warn-patch: %.1f %% of %lld changed coverable lines covered, below %.0f %% (FAIL under %.0f %%)",
		       100.0 * ratio, coverable, 100.0 * COV_PATCH_WARN, 100.0 * COV_PATCH_FAIL);
	} else {
		covi_set_status(f, "PASS");
		covi_reason(f, "pass: %.1f %% of %lld changed coverable lines covered (WARN under %.0f %%)", 100.0 * ratio,
		       coverable, 100.0 * COV_PATCH_WARN);
	}
}

/* ---- trend ---------------------------------------------------------------------- */

static void trend_finding(const struct cov_input *in, struct cov_result *out)
{
	struct finding *f = covi_add(out, COV_KIND_DROP, COV_SUBJ_TREND, "line coverage trend");
	size_t need = (size_t)COV_TREND_RUNS + 1, n = 0, i, k;
	double *v = xcalloc(in->nearlier + 1, sizeof *v);
	const struct cov_evidence **who = xcalloc(in->nearlier + 1, sizeof *who);
	struct cov_total t;
	bool down = true;
	struct buf b = {0};
	double total;
	for (i = 0; i < in->nearlier; i++) {
		if (!in->earlier[i])
			continue;
		t = cov_evidence_line_total(in->earlier[i]);
		if (t.has) {
			who[n] = in->earlier[i];
			v[n++] = t.percent;
		}
	}
	t = cov_evidence_line_total(in->head);
	if (t.has) {
		who[n] = in->head;
		v[n++] = t.percent;
	}
	finding_add_number(f, "runs_with_coverage", (double)n);
	if (!t.has || n < need) {
		covi_set_status(f, "NO_DATA");
		f->input_missing = true;
		covi_set_title(f, "line coverage trend: %zu runs with a value (%zu needed)", n, need);
		covi_reason(f, "no-data: the trend needs this run and %.0f earlier runs with line coverage; found %zu "
			  "in all", COV_TREND_RUNS, n);
		free(v);
		free(who);
		return;
	}
	k = n - need;
	for (i = k; i < n; i++) {
		buf_printf(&b, "%s%s %.2f %%", i > k ? ", " : "", who[i]->run_id, v[i]);
		if (i > k && !(v[i] < v[i - 1]))
			down = false;
	}
	total = v[n - 1] - v[k];
	finding_add_number(f, "first_ratio", v[k] / 100.0);
	finding_add_number(f, "last_ratio", v[n - 1] / 100.0);
	finding_add_number(f, "total_pp", total);
	covi_effect(f, total, "pp");
	f->confidence = CONF_MEDIUM;
	covi_set_title(f, "line coverage over the last %zu runs: %.2f %% -> %.2f %% (%+.2f pp)", need, v[k], v[n - 1],
		  total);
	if (down && -total >= COV_TREND_PP - 1e-9) {
		covi_set_status(f, "WARN");
		covi_reason(f, "warn-trend: down in each of the last %.0f runs and %.2f pp in total (at least %.0f): %s",
		       COV_TREND_RUNS, -total, COV_TREND_PP, buf_str(&b));
	} else {
		covi_set_status(f, "PASS");
		covi_reason(f, "pass: %s (%s)", down ? "falling, but by less than the total needed"
						 : "not down in each of the last runs", buf_str(&b));
	}
	buf_free(&b);
	free(v);
	free(who);
}

void cov_analyze(const struct cov_input *in, struct cov_result *out)
{
	const struct cov_report *hr, *br = NULL;
	const struct cov_evidence *base;
	struct cov_total bt;
	memset(out, 0, sizeof *out);
	if (!in || !in->head)
		return;
	hr = cov_evidence_primary(in->head);
	base = base_run(in, &bt);
	if (base)
		br = cov_evidence_primary(base);
	total_finding(in, out);
	patch_finding(in, hr, out);
	trend_finding(in, out);
	covi_file_gaps(in, hr, br, base, out);
}
