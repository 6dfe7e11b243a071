/* coverage.c - coverage evidence of one run: constructors, per-file line
 * data, lookups and the choice of the run's line total. */
#include "config.h"
#include "model/coverage.h"
#include "util/xalloc.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const src_words[] = {
#define COV_X(e, w) [e] = w,
	COV_SOURCE_TABLE(COV_X)
#undef COV_X
};

static const char *const metric_words[] = {
#define COV_X(e, w) [e] = w,
	COV_METRIC_TABLE(COV_X)
#undef COV_X
};

const char *cov_source_word(enum cov_source s)
{
	return (unsigned)s < COV_SRC_COUNT ? src_words[s] : "?";
}

const char *cov_metric_word(enum cov_metric m)
{
	return (unsigned)m < COV_M_COUNT ? metric_words[m] : "?";
}

struct cov_evidence *cov_evidence_new(const char *run_id, const char *label, double time)
{
	struct cov_evidence *e = xcalloc(1, sizeof *e);
	e->run_id = xstrdup(run_id ? run_id : "");
	e->label = xstrdup(label ? label : "");
	e->time = time;
	return e;
}

static void value_clear(struct cov_value *v)
{
	free(v->raw);
	free(v->required_raw);
	free(v->status);
	free(v->label);
	free(v->where);
}

static void threshold_clear(struct cov_threshold *t)
{
	free(t->raw);
	free(t->where);
	memset(t, 0, sizeof *t);
}

static void report_clear(struct cov_report *r)
{
	size_t i;
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].lines);
	}
	free(r->files);
	free(r->where);
	free(r->error);
}

void cov_evidence_free(struct cov_evidence **ep)
{
	struct cov_evidence *e;
	size_t i;
	if (!ep || !*ep)
		return;
	e = *ep;
	for (i = 0; i < e->nvalues; i++)
		value_clear(&e->values[i]);
	free(e->values);
	for (i = 0; i < e->nreports; i++)
		report_clear(&e->reports[i]);
	free(e->reports);
	threshold_clear(&e->line_required);
	threshold_clear(&e->branch_required);
	threshold_clear(&e->critical_path);
	str_list_free(&e->notes);
	free(e->run_id);
	free(e->label);
	free(e);
	*ep = NULL;
}

struct cov_value *cov_add_value(struct cov_evidence *e, enum cov_source kind, enum cov_metric m,
				const char *where)
{
	struct cov_value *v;
	e->values = xgrow(e->values, &e->values_cap, e->nvalues + 1, sizeof *e->values);
	v = &e->values[e->nvalues++];
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->metric = m;
	v->where = xstrdup(where);
	return v;
}

bool cov_parse_percent(const char *s, double *out)
{
	char *end;
	double d;
	while (s && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'' || *s == '`'))
		s++;
	if (!s || !(*s >= '0' && *s <= '9'))
		return false;
	d = strtod(s, &end);
	if (end == s || !isfinite(d))
		return false;
	*out = d;
	return true;
}

void cov_threshold_set(struct cov_threshold *t, const char *raw, const char *where)
{
	threshold_clear(t);
	t->present = true;
	t->raw = xstrdup(raw);
	t->where = xstrdup(where);
	t->has = cov_parse_percent(raw, &t->percent);
}

struct cov_report *cov_add_report(struct cov_evidence *e, const char *where, enum tr_format fmt)
{
	struct cov_report *r;
	e->reports = xgrow(e->reports, &e->reports_cap, e->nreports + 1, sizeof *e->reports);
	r = &e->reports[e->nreports++];
	memset(r, 0, sizeof *r);
	r->where = xstrdup(where);
	r->format = fmt;
	return r;
}

struct cov_file *cov_report_file(struct cov_report *rep, const char *path)
{
	size_t i;
	struct cov_file *f;
	for (i = rep->nfiles; i-- > 0;)
		if (strcmp(rep->files[i].path, path) == 0)
			return &rep->files[i];
	rep->files = xgrow(rep->files, &rep->cap, rep->nfiles + 1, sizeof *rep->files);
	f = &rep->files[rep->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	return f;
}

void cov_file_add_line(struct cov_file *f, long line, unsigned long long hits)
{
	f->lines = xgrow(f->lines, &f->cap, f->n + 1, sizeof *f->lines);
	f->lines[f->n].line = line;
	f->lines[f->n].hits = hits;
	f->n++;
}

static int line_cmp(const void *a, const void *b)
{
	const struct cov_line *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

void cov_report_finish(struct cov_report *rep)
{
	size_t i, j, k;
	rep->found = rep->hit = 0;
	for (i = 0; i < rep->nfiles; i++) {
		struct cov_file *f = &rep->files[i];
		if (f->n > 1)
			qsort(f->lines, f->n, sizeof *f->lines, line_cmp);
		for (j = 0, k = 0; j < f->n; j++) {
			if (k && f->lines[k - 1].line == f->lines[j].line) {
				unsigned long long a = f->lines[k - 1].hits, b = f->lines[j].hits;
				f->lines[k - 1].hits = a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
				continue;
			}
			f->lines[k++] = f->lines[j];
		}
		f->n = k;
		f->found = (long long)f->n;
		f->hit = 0;
		for (j = 0; j < f->n; j++)
			if (f->lines[j].hits > 0)
				f->hit++;
		rep->found += f->found;
		rep->hit += f->hit;
	}
}

struct cov_report *cov_add_tr_report(struct cov_evidence *e, const char *where,
				     const struct tr_report *tr)
{
	struct cov_report *r = cov_add_report(e, where, tr->format);
	size_t i, j;
	r->malformed = tr->malformed;
	r->error = xstrdup(tr->error);
	for (i = 0; i < tr->nfiles; i++) {
		const struct tr_cov_file *tf = &tr->files[i];
		struct cov_file *f = cov_report_file(r, tf->path ? tf->path : "");
		for (j = 0; j < tf->nlines; j++)
			cov_file_add_line(f, tf->lines[j].line, tf->lines[j].hits);
	}
	cov_report_finish(r);
	return r;
}

/* b ends with "/" + a (or equals a). */
static bool path_suffix(const char *b, const char *a)
{
	size_t la = strlen(a), lb = strlen(b);
	if (!la || la > lb)
		return false;
	if (strcmp(b + lb - la, a) != 0)
		return false;
	return la == lb || b[lb - la - 1] == '/' || b[lb - la - 1] == '\\';
}

const struct cov_file *cov_report_find(const struct cov_report *rep, const char *path)
{
	size_t i;
	const char *p = path;
	if (!rep || !path)
		return NULL;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	for (i = 0; i < rep->nfiles; i++) {
		const char *q = rep->files[i].path;
		while (q[0] == '.' && q[1] == '/')
			q += 2;
		if (strcmp(q, p) == 0)
			return &rep->files[i];
	}
	for (i = 0; i < rep->nfiles; i++)
		if (path_suffix(rep->files[i].path, p) || path_suffix(p, rep->files[i].path))
			return &rep->files[i];
	return NULL;
}

bool cov_file_hits(const struct cov_file *f, long line, unsigned long long *hits)
{
	size_t lo = 0, hi;
	if (!f)
		return false;
	hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->lines[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->n && f->lines[lo].line == line) {
		if (hits)
			*hits = f->lines[lo].hits;
		return true;
	}
	return false;
}

double cov_ratio(long long covered, long long coverable)
{
	if (coverable <= 0 || covered < 0)
		return NAN;
	return (double)covered / (double)coverable;
}

const struct cov_report *cov_evidence_primary(const struct cov_evidence *e)
{
	size_t i;
	for (i = 0; e && i < e->nreports; i++)
		if (e->reports[i].found > 0)
			return &e->reports[i];
	return NULL;
}

struct cov_total cov_evidence_line_total(const struct cov_evidence *e)
{
	struct cov_total t;
	const struct cov_report *r = cov_evidence_primary(e);
	int k;
	size_t i;
	memset(&t, 0, sizeof t);
	t.percent = NAN;
	if (r) {
		t.has = t.has_lines = true;
		t.covered = r->hit;
		t.total = r->found;
		t.percent = 100.0 * cov_ratio(r->hit, r->found);
		t.where = r->where;
		t.kind = COV_SRC_REPORT;
		return t;
	}
	for (k = 0; e && k < COV_SRC_COUNT; k++)
		for (i = 0; i < e->nvalues; i++) {
			const struct cov_value *v = &e->values[i];
			if ((int)v->kind != k || v->metric != COV_M_LINE)
				continue;
			if (v->has_lines && v->total > 0) {
				t.has = t.has_lines = true;
				t.covered = v->covered;
				t.total = v->total;
				t.percent = 100.0 * cov_ratio(v->covered, v->total);
			} else if (v->has_percent) {
				t.has = true;
				t.percent = v->percent;
			} else {
				continue;
			}
			t.where = v->where;
			t.kind = v->kind;
			return t;
		}
	return t;
}
