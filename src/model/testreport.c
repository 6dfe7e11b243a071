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

/* ---- report ---- */

struct tr_report *tr_report_new(const char *path, enum tr_format f)
{
	struct tr_report *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path ? path : "");
	r->format = f;
	return r;
}

static void case_free(struct tr_case *c)
{
	free(c->id);
	free(c->suite);
	free(c->classname);
	free(c->name);
	free(c->message);
	free(c->text);
	free(c->file);
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
	free(r->plan);
	free(r->error);
	free(r->path);
	free(r);
	*rp = NULL;
}

struct tr_case *tr_add_case(struct tr_report *r, enum tr_kind kind)
{
	struct tr_case *c;
	r->cases = xgrow(r->cases, &r->cases_cap, r->ncases + 1, sizeof *r->cases);
	c = &r->cases[r->ncases++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->duration = -1;
	return c;
}

void tr_case_set_id(struct tr_case *c)
{
	const char *scope = c->classname && *c->classname ? c->classname : c->suite;
	free(c->id);
	if (scope && *scope)
		c->id = xasprintf("%s::%s", scope, c->name ? c->name : "");
	else
		c->id = xstrdup(c->name ? c->name : "");
}

/* Copies at most max bytes, cutting on a UTF-8 boundary, marking the cut. */
static char *bounded_dup(const char *s, size_t n, size_t max)
{
	char *out;
	if (n <= max)
		return xstrndup(s, n);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	out = xmalloc(max + 64);
	memcpy(out, s, max);
	snprintf(out + max, 64, " [... %zu more bytes]", n - max);
	return out;
}

void tr_case_set_message(struct tr_case *c, const char *msg, const char *text)
{
	const char *src = msg && *msg ? msg : text;

	free(c->message);
	c->message = NULL;
	free(c->text);
	c->text = NULL;
	if (text) {
		size_t n = strlen(text);
		/* Trim the indentation XML writers put around element text. */
		while (n > 0 && isspace((unsigned char)text[n - 1]))
			n--;
		while (n > 0 && (*text == '\n' || *text == '\r')) {
			text++;
			n--;
		}
		if (n > 0)
			c->text = bounded_dup(text, n, TR_TEXT_MAX);
	}
	if (!src)
		return;
	/* First non-empty line. */
	for (;;) {
		const char *nl = strpbrk(src, "\r\n");
		const char *b = src, *e = nl ? nl : src + strlen(src);
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b) {
			c->message = bounded_dup(b, (size_t)(e - b), TR_MESSAGE_MAX);
			return;
		}
		if (!nl)
			return;
		src = nl + 1;
	}
}

/* ---- source locations in free text ---- */

static bool path_char(unsigned char ch)
{
	return isalnum(ch) || ch == '/' || ch == '\\' || ch == '.' || ch == '_' || ch == '-' ||
	       ch == '+' || ch == '@' || ch == '~' || ch >= 0x80;
}

/* Finds "<path>:<digits>" where path has a letter and a dot extension;
 * skips frames under node_modules and URLs. Returns true and fills out. */
static bool scan_path_line(const char *s, char **file, long *line)
{
	const char *p;
	for (p = strchr(s, ':'); p; p = strchr(p + 1, ':')) {
		const char *b = p, *d = p + 1;
		bool dot = false, alpha = false;
		long v = 0;
		if (!isdigit((unsigned char)*d))
			continue;
		while (b > s && path_char((unsigned char)b[-1]))
			b--;
		/* Windows drive letter: C:\x\y.cs:12 */
		if (b - s >= 2 && b[-1] == ':' && isalpha((unsigned char)b[-2]) &&
		    (b - s == 2 || !path_char((unsigned char)b[-3])) && (*b == '\\' || *b == '/'))
			b -= 2;
		if (b == p)
			continue;
		for (const char *q = b; q < p; q++) {
			if (*q == '.' && q + 1 < p && isalpha((unsigned char)q[1]))
				dot = true;
			if (isalpha((unsigned char)*q))
				alpha = true;
		}
		if (!dot || !alpha)
			continue;
		if (b - s >= 3 && strncmp(b - 3, "://", 3) == 0)
			continue;
		if (memmem(b, (size_t)(p - b), "node_modules", 12))
			continue;
		while (isdigit((unsigned char)*d) && v < 100000000)
			v = v * 10 + (*d++ - '0');
		if (v <= 0)
			continue;
		*file = xstrndup(b, (size_t)(p - b));
		*line = v;
		return true;
	}
	return false;
}

/* "File: <path>" ... "Line: <n>" (CUnit style). */
static bool scan_file_line_labels(const char *s, char **file, long *line)
{
	const char *f = strstr(s, "File: "), *l = strstr(s, "Line: ");
	const char *e;
	char *end;
	long v;
	if (!f || !l)
		return false;
	f += 6;
	e = f + strcspn(f, "\r\n");
	while (e > f && isspace((unsigned char)e[-1]))
		e--;
	errno = 0;
	v = strtol(l + 6, &end, 10);
	if (e == f || end == l + 6 || errno || v <= 0)
		return false;
	*file = xstrndup(f, (size_t)(e - f));
	*line = v;
	return true;
}

void tr_case_find_location(struct tr_case *c)
{
	const char *srcs[2] = { c->message, c->text };
	if (c->file)
		return;
	for (int i = 0; i < 2; i++) {
		if (!srcs[i])
			continue;
		if (scan_file_line_labels(srcs[i], &c->file, &c->line) ||
		    scan_path_line(srcs[i], &c->file, &c->line))
			return;
	}
}

/* ---- declared values, problems ---- */

void tr_add_declared(struct tr_report *r, const char *key, const char *raw)
{
	struct tr_declared *d = NULL;
	char *end;
	double v;
	for (size_t i = 0; i < r->ndeclared; i++)
		if (strcmp(r->declared[i].key, key) == 0)
			d = &r->declared[i];
	if (!d) {
		r->declared = xgrow(r->declared, &r->declared_cap, r->ndeclared + 1, sizeof *r->declared);
		d = &r->declared[r->ndeclared++];
		memset(d, 0, sizeof *d);
		d->key = xstrdup(key);
	}
	free(d->raw);
	d->raw = bounded_dup(raw, strlen(raw), 64);
	errno = 0;
	v = strtod(raw, &end);
	while (end && isspace((unsigned char)*end))
		end++;
	d->valid = end != raw && *end == '\0' && errno == 0 && isfinite(v) && v >= 0;
	d->value = d->valid ? v : 0;
}

const struct tr_declared *tr_get_declared(const struct tr_report *r, const char *key)
{
	for (size_t i = 0; i < r->ndeclared; i++)
		if (strcmp(r->declared[i].key, key) == 0)
			return &r->declared[i];
	return NULL;
}

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

void tr_report_finish(struct tr_report *r, bool sum_hits)
{
	struct tr_totals *t = &r->totals;
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < r->ncases; i++) {
		const struct tr_case *c = &r->cases[i];
		if (c->kind == TR_K_SUITE_ERROR) {
			t->suite_errors++;
			continue;
		}
		if (c->kind == TR_K_PACKAGE_ERROR) {
			t->errors++;
			continue;
		}
		t->tests++;
		if (c->flaky)
			t->flaky++;
		switch (c->bucket) {
		case TR_B_PASSED: t->passed++; break;
		case TR_B_FAILED: t->failed++; break;
		case TR_B_ERROR: t->errors++; break;
		case TR_B_SKIPPED: t->skipped++; break;
		case TR_B_TODO: t->todo++; break;
		}
	}
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

/* ---- numbers ---- */

bool tr_parse_count(const char *s, long long *out)
{
	char *end;
	double v;
	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end || errno || !isfinite(v) || v < 0 || v > 9e15)
		return false;
	*out = (long long)v;
	return true;
}

bool tr_parse_seconds(const char *s, double *out)
{
	char tmp[64];
	size_t n = 0;
	char *end;
	double v;
	if (!s)
		return false;
	/* "1,234.5" thousands separators; "0,5" decimal comma. */
	for (const char *p = s; *p && n + 1 < sizeof tmp; p++) {
		if (*p == ',') {
			if (!strchr(s, '.'))
				tmp[n++] = '.';
			continue;
		}
		tmp[n++] = *p;
	}
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == tmp || *end || errno || !isfinite(v) || v < 0 || v >= 1e9)
		return false;
	*out = v;
	return true;
}

unsigned long long tr_sat_add(unsigned long long a, unsigned long long b)
{
	return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

unsigned long long tr_parse_hits(const char *s, bool *saturated)
{
	unsigned long long v = 0;
	const char *p = s;
	if (saturated)
		*saturated = false;
	if (!s)
		return 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-')
		return 0;    /* negative counts (broken gcov) mean "not hit" */
	if (*p == '+')
		p++;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10) {
			if (saturated)
				*saturated = true;
			return ULLONG_MAX;
		}
		v = v * 10 + d;
	}
	if (*p == '.' || *p == 'e' || *p == 'E') {   /* "1.0", "2e3" */
		double dv = strtod(s, NULL);
		if (!isfinite(dv) || dv >= 1.8e19) {
			if (saturated)
				*saturated = true;
			return ULLONG_MAX;
		}
		return dv > 0 ? (unsigned long long)dv : 0;
	}
	return v;
}

/* ---- terminal-safe text ---- */

static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;
	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3) {
		cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	} else if (len == 4) {
		cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		if (cp < 0x10000 || cp > 0x10FFFF)
			return 0;
	} else {
		cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		if (cp >= 0x80 && cp < 0xA0)   /* C1 controls (CSI 0x9B...) */
			return 0;
	}
	return len;
}

void tr_sanitize(struct buf *out, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char ch = p[i];
		if (ch == '\n' && keep_newlines) {
			buf_putc(out, '\n');
			i++;
		} else if (ch == '\n') {
			buf_puts(out, "\\n");
			i++;
		} else if (ch == '\t') {
			buf_putc(out, keep_newlines ? '\t' : ' ');
			i++;
		} else if (ch < 0x20) {
			buf_putc(out, '^');
			buf_putc(out, (char)(ch + 0x40));
			i++;
		} else if (ch == 0x7F) {
			buf_puts(out, "^?");
			i++;
		} else if (ch < 0x80) {
			buf_putc(out, (char)ch);
			i++;
		} else {
			size_t l = utf8_len(p + i, n - i);
			unsigned cp = 0;
			for (size_t k = 0; k < l; k++)   /* valid UTF-8: plain decode */
				cp = k ? (cp << 6) | (p[i + k] & 0x3Fu) : p[i] & (0x7Fu >> l);
			if (l == 0) {
				buf_printf(out, "\\x%02X", ch);
				i++;
			} else if (san_is_bidi(cp)) {
				buf_printf(out, "<U+%04X>", cp);   /* never reorder the terminal */
				i += l;
			} else {
				buf_append(out, p + i, l);
				i += l;
			}
		}
	}
}
