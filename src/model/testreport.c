/* testreport.c - the test/coverage report model: entries, totals, merging. */
#include "config.h"
#include "model/testreport.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
#define TR_X(id, name) name,
	TR_FORMAT_TABLE(TR_X)
#undef TR_X
};
static const char *const status_names[] = {
#define TR_X(id, name) name,
	TR_STATUS_TABLE(TR_X)
#undef TR_X
};

const char *tr_format_name(enum tr_format f)
{
	return (unsigned)f < TR_FMT_COUNT ? format_names[f] : "unknown";
}

bool tr_format_is_coverage(enum tr_format f)
{
	return f == TR_FMT_COBERTURA || f == TR_FMT_JACOCO || f == TR_FMT_LCOV;
}

const char *tr_status_name(enum tr_status s)
{
	return (unsigned)s < TR_STATUS_COUNT ? status_names[s] : "?";
}

/* ---- path index: open addressing over file indexes ---- */

struct file_index {
	size_t *slots;        /* index + 1; 0 = empty */
	size_t cap;
};

static size_t hash_str(const char *s)
{
	size_t h = (size_t)1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static void index_insert(struct file_index *ix, const struct tr_cov_file *files, size_t i)
{
	size_t m = ix->cap - 1, h = hash_str(files[i].path) & m;
	while (ix->slots[h])
		h = (h + 1) & m;
	ix->slots[h] = i + 1;
}

struct tr_cov_file *tr_cov_file(struct tr_report *r, const char *path)
{
	struct file_index *ix = r->file_index;
	size_t h, i;

	if (!path)
		path = "";
	if (!ix) {
		ix = xcalloc(1, sizeof *ix);
		ix->cap = 64;
		ix->slots = xcalloc(ix->cap, sizeof *ix->slots);
		r->file_index = ix;
	}
	h = hash_str(path) & (ix->cap - 1);
	while (ix->slots[h]) {
		struct tr_cov_file *f = &r->files[ix->slots[h] - 1];
		if (strcmp(f->path, path) == 0)
			return f;
		h = (h + 1) & (ix->cap - 1);
	}
	r->files = xgrow(r->files, &r->files_cap, r->nfiles + 1, sizeof *r->files);
	i = r->nfiles++;
	memset(&r->files[i], 0, sizeof r->files[i]);
	r->files[i].path = xstrdup(path);
	if (r->nfiles * 2 > ix->cap) {
		free(ix->slots);
		ix->cap *= 2;
		ix->slots = xcalloc(ix->cap, sizeof *ix->slots);
		for (size_t k = 0; k < r->nfiles; k++)
			index_insert(ix, r->files, k);
	} else {
		ix->slots[h] = i + 1;
	}
	return &r->files[i];
}

void tr_cov_add_line(struct tr_cov_file *f, long line, unsigned long long hits,
		     int br_covered, int br_valid)
{
	struct tr_cov_line *l;
	f->lines = xgrow(f->lines, &f->lines_cap, f->nlines + 1, sizeof *f->lines);
	l = &f->lines[f->nlines++];
	l->line = line;
	l->hits = hits;
	l->br_covered = br_covered < 0 ? 0 : br_covered;
	l->br_valid = br_valid < 0 ? 0 : br_valid;
}

/* ---- strings: a bump arena for entry strings, an intern table ---- */

struct chunk {
	struct chunk *next;
	size_t cap, used;
	char data[];
};

struct islot {
	char *s;              /* NULL: empty */
	size_t h;
};

struct strings {
	struct chunk *head;
	struct islot *slots;
	size_t cap, count;
};

static char *arena_alloc(struct strings *st, size_t n)
{
	struct chunk *c = st->head;
	char *p;
	if (!c || c->cap - c->used < n) {
		size_t cap = c && c->cap < (1u << 20) ? c->cap * 2 : c ? c->cap : (16u << 10);
		if (cap < n)
			cap = n;
		c = xmalloc(sizeof *c + cap);
		c->next = st->head;
		c->cap = cap;
		c->used = 0;
		st->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

static struct strings *strings_of(struct tr_report *r)
{
	if (!r->strings)
		r->strings = xcalloc(1, sizeof(struct strings));
	return r->strings;
}

static void strings_free(struct strings *st)
{
	if (!st)
		return;
	while (st->head) {
		struct chunk *n = st->head->next;
		free(st->head);
		st->head = n;
	}
	free(st->slots);
	free(st);
}

char *tr_strndup(struct tr_report *r, const char *s, size_t n)
{
	char *p = arena_alloc(strings_of(r), n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static size_t hash_mem(const char *s, size_t n)
{
	size_t h = (size_t)1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ULL;
	return h;
}

char *tr_intern(struct tr_report *r, const char *s, size_t n)
{
	struct strings *st = strings_of(r);
	size_t h = hash_mem(s, n), m, k;
	if (st->count * 2 >= st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 256;
		struct islot *ns = xcalloc(cap, sizeof *ns);
		for (size_t i = 0; i < st->cap; i++) {
			if (!st->slots[i].s)
				continue;
			k = st->slots[i].h & (cap - 1);
			while (ns[k].s)
				k = (k + 1) & (cap - 1);
			ns[k] = st->slots[i];
		}
		free(st->slots);
		st->slots = ns;
		st->cap = cap;
	}
	m = st->cap - 1;
	for (k = h & m; st->slots[k].s; k = (k + 1) & m)
		if (st->slots[k].h == h && strncmp(st->slots[k].s, s, n) == 0 && st->slots[k].s[n] == '\0')
			return st->slots[k].s;
	st->slots[k].s = tr_strndup(r, s, n);
	st->slots[k].h = h;
	st->count++;
	return st->slots[k].s;
}

static char **field_ptr(struct tr_case *c, enum tr_field f)
{
	switch (f) {
	case TR_F_ID: return &c->id;
	case TR_F_SUITE: return &c->suite;
	case TR_F_CLASSNAME: return &c->classname;
	case TR_F_NAME: return &c->name;
	case TR_F_MESSAGE: return &c->message;
	case TR_F_TEXT: return &c->text;
	case TR_F_FILE: return &c->file;
	}
	return &c->name;
}

/* Releases field f if the heap owns it; leaves it NULL. */
static void field_clear(struct tr_case *c, enum tr_field f)
{
	char **p = field_ptr(c, f);
	if (!(c->in_arena & (1u << f)))
		free(*p);
	*p = NULL;
	c->in_arena &= (unsigned char)~(1u << f);
}

void tr_case_put(struct tr_report *r, struct tr_case *c, enum tr_field f, const char *s, size_t n)
{
	field_clear(c, f);
	if (!s)
		return;
	*field_ptr(c, f) = f == TR_F_SUITE || f == TR_F_CLASSNAME ? tr_intern(r, s, n) : tr_strndup(r, s, n);
	c->in_arena |= (unsigned char)(1u << f);
}

/* ---- report ---- */

struct tr_report *tr_report_new(const char *path, enum tr_format f)
{
	return tr_report_new_keep(path, f, TR_KEEP_ALL, 0);
}

struct tr_report *tr_report_new_keep(const char *path, enum tr_format f, enum tr_keep keep, size_t keep_max)
{
	struct tr_report *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path ? path : "");
	r->format = f;
	r->keep = keep;
	r->keep_max = keep_max ? keep_max : TR_KEEP_MAX_DEFAULT;
	return r;
}

static void case_free(struct tr_case *c)
{
	for (int f = TR_F_ID; f <= TR_F_FILE; f++)
		field_clear(c, (enum tr_field)f);
}

void tr_report_free(struct tr_report **rp)
{
	struct tr_report *r;
	if (!rp || !*rp)
		return;
	r = *rp;
	for (size_t i = 0; i < r->ncases; i++)
		case_free(&r->cases[i]);
	free(r->cases);
	for (size_t i = 0; i < r->ndeclared; i++) {
		free(r->declared[i].key);
		free(r->declared[i].raw);
	}
	free(r->declared);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].lines);
	}
	free(r->files);
	if (r->file_index) {
		free(((struct file_index *)r->file_index)->slots);
		free(r->file_index);
	}
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	strings_free(r->strings);
	free(r->plan);
	free(r->error);
	free(r->path);
	free(r);
	*rp = NULL;
}

/* ---- keep policy ---- */

static bool listed(enum tr_status st, enum tr_bucket b)
{
	return (st == TR_FAIL || st == TR_ERROR) && b != TR_B_TODO;
}

bool tr_admit(struct tr_report *r, enum tr_status st, enum tr_bucket b)
{
	if (r->keep == TR_KEEP_ALL)
		return true;
	if (!listed(st, b) || r->listed >= r->keep_max)
		return false;
	r->listed++;
	return true;
}

static void count_one(struct tr_totals *t, enum tr_kind kind, enum tr_bucket b, bool flaky)
{
	if (kind == TR_K_SUITE_ERROR) {
		t->suite_errors++;
		return;
	}
	if (kind == TR_K_PACKAGE_ERROR) {
		t->errors++;
		return;
	}
	t->tests++;
	if (flaky)
		t->flaky++;
	switch (b) {
	case TR_B_PASSED: t->passed++; break;
	case TR_B_FAILED: t->failed++; break;
	case TR_B_ERROR: t->errors++; break;
	case TR_B_SKIPPED: t->skipped++; break;
	case TR_B_TODO: t->todo++; break;
	}
}

void tr_count_only(struct tr_report *r, enum tr_kind kind, enum tr_status st, enum tr_bucket b, bool flaky)
{
	r->seen++;
	if (listed(st, b))
		r->not_listed++;
	count_one(&r->counted_only, kind, b, flaky);
}

/* Keeps the failure text of stored entries within TR_KEEP_TEXT_BUDGET. */
static void budget_text(struct tr_report *r, struct tr_case *c)
{
	size_t n;
	if (r->keep == TR_KEEP_ALL || !c->text)
		return;
	n = strlen(c->text);
	if (r->text_kept + n > TR_KEEP_TEXT_BUDGET)
		field_clear(c, TR_F_TEXT);
	else
		r->text_kept += n;
}

struct tr_case *tr_add_case(struct tr_report *r, enum tr_kind kind)
{
	struct tr_case *c;
	/* The previous entry is complete: charge its text to the budget. */
	if (r->keep != TR_KEEP_ALL && r->ncases > 0)
		budget_text(r, &r->cases[r->ncases - 1]);
	r->cases = xgrow(r->cases, &r->cases_cap, r->ncases + 1, sizeof *r->cases);
	c = &r->cases[r->ncases++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->duration = -1;
	r->seen++;
	return c;
}

void tr_case_set_id(struct tr_case *c)
{
	const char *scope = c->classname && *c->classname ? c->classname : c->suite;
	char *id;
	if (scope && *scope)
		id = xasprintf("%s::%s", scope, c->name ? c->name : "");
	else
		id = xstrdup(c->name ? c->name : "");
	field_clear(c, TR_F_ID);
	c->id = id;
}

void tr_case_make_id(struct tr_report *r, struct tr_case *c)
{
	const char *scope = c->classname && *c->classname ? c->classname : c->suite;
	const char *name = c->name ? c->name : "";
	size_t ns = scope ? strlen(scope) : 0, nn = strlen(name);
	char *id;
	field_clear(c, TR_F_ID);
	if (ns == 0) {
		c->id = tr_strndup(r, name, nn);
	} else {
		id = arena_alloc(strings_of(r), ns + 2 + nn + 1);
		memcpy(id, scope, ns);
		memcpy(id + ns, "::", 2);
		memcpy(id + ns + 2, name, nn + 1);
		c->id = id;
	}
	c->in_arena |= 1u << TR_F_ID;
}

/* ---- declared values, problems ---- */

void tr_set_error(struct tr_report *r, long line, const char *fmt, ...)
{
	va_list ap;
	struct buf b = { 0 };
	if (r->malformed)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->malformed = true;
	r->error_line = line;
	r->error = buf_detach(&b);
}

void tr_add_warning(struct tr_report *r, const char *fmt, ...)
{
	va_list ap;
	struct buf b = { 0 };
	if (r->nwarnings >= 100)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->warnings = xgrow(r->warnings, &r->warnings_cap, r->nwarnings + 1, sizeof *r->warnings);
	r->warnings[r->nwarnings++] = buf_detach(&b);
}

/* ---- totals ---- */

static int line_cmp(const void *a, const void *b)
{
	const struct tr_cov_line *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

static void finish_file(struct tr_cov_file *f, bool sum_hits)
{
	size_t out = 0;
	if (f->nlines > 1)
		qsort(f->lines, f->nlines, sizeof *f->lines, line_cmp);
	for (size_t i = 0; i < f->nlines; i++) {
		struct tr_cov_line *l = &f->lines[i];
		if (out > 0 && f->lines[out - 1].line == l->line) {
			struct tr_cov_line *m = &f->lines[out - 1];
			if (sum_hits) {
				m->hits = tr_sat_add(m->hits, l->hits);
			} else if (l->hits > m->hits) {
				m->hits = l->hits;
			}
			if (l->br_covered > m->br_covered)
				m->br_covered = l->br_covered;
			if (l->br_valid > m->br_valid)
				m->br_valid = l->br_valid;
			continue;
		}
		f->lines[out++] = *l;
	}
	f->nlines = out;
	f->lines_found = (long long)out;
	f->lines_hit = 0;
	/* lcov computes branches itself; Cobertura takes them from the lines. */
	if (!sum_hits) {
		f->branches_found = 0;
		f->branches_hit = 0;
	}
	for (size_t i = 0; i < out; i++) {
		if (f->lines[i].hits > 0)
			f->lines_hit++;
		if (!sum_hits) {
			f->branches_found += f->lines[i].br_valid;
			f->branches_hit += f->lines[i].br_covered;
		}
	}
}

/* Drops the stored entries the keep policy does not need. */
static void prune(struct tr_report *r)
{
	size_t out = 0, nlisted = 0;
	r->text_kept = 0;
	for (size_t i = 0; i < r->ncases; i++) {
		struct tr_case *c = &r->cases[i];
		if (listed(c->status, c->bucket) && nlisted < r->keep_max) {
			nlisted++;
			budget_text(r, c);
			r->cases[out++] = *c;
			continue;
		}
		if (listed(c->status, c->bucket))
			r->not_listed++;
		case_free(c);
	}
	r->ncases = out;
	r->listed = nlisted;
}

void tr_report_finish(struct tr_report *r, bool sum_hits)
{
	struct tr_totals *t = &r->totals;
	*t = r->counted_only;
	for (size_t i = 0; i < r->ncases; i++)
		count_one(t, r->cases[i].kind, r->cases[i].bucket, r->cases[i].flaky);
	if (r->keep != TR_KEEP_ALL)
		prune(r);
	memset(&r->cov, 0, sizeof r->cov);
	for (size_t i = 0; i < r->nfiles; i++) {
		struct tr_cov_file *f = &r->files[i];
		finish_file(f, sum_hits);
		r->cov.files++;
		r->cov.lines_found += f->lines_found;
		r->cov.lines_hit += f->lines_hit;
		r->cov.branches_found += f->branches_found;
		r->cov.branches_hit += f->branches_hit;
		if (f->has_functions) {
			r->cov.has_functions = true;
			r->cov.functions_found += f->functions_found;
			r->cov.functions_hit += f->functions_hit;
		}
	}
}

void tr_totals_add(struct tr_totals *a, const struct tr_totals *b)
{
	a->tests += b->tests;
	a->passed += b->passed;
	a->failed += b->failed;
	a->errors += b->errors;
	a->skipped += b->skipped;
	a->todo += b->todo;
	a->flaky += b->flaky;
	a->suite_errors += b->suite_errors;
}

void tr_cov_totals_add(struct tr_cov_totals *a, const struct tr_cov_totals *b)
{
	a->files += b->files;
	a->lines_found += b->lines_found;
	a->lines_hit += b->lines_hit;
	a->branches_found += b->branches_found;
	a->branches_hit += b->branches_hit;
	a->functions_found += b->functions_found;
	a->functions_hit += b->functions_hit;
	a->has_functions = a->has_functions || b->has_functions;
}

