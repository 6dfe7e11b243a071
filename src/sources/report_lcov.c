/* report_lcov.c - lcov tracefiles (.info), read line by line.
 *
 * Counted: files = distinct SF: paths; lines from DA: (one per file and line,
 * hits summed over repeats); branches from BRDA: (one per line/block/branch,
 * "-" = not taken); functions = distinct (line, name) FN: records plus FNL:
 * indexes, hit when FNDA: (by name) or FNA: (by index) counts are > 0.
 * LF/LH/BRF/BRH/FNF/FNH are the file's declared totals, summed.
 */
#include "config.h"
#include "sources/report_readers.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kv {
	char *key;                   /* "line,block,branch" / name / index */
	long line;
	unsigned long long n;
};

struct scratch {
	struct kv *br, *fn, *fnda, *fnl;
	size_t nbr, cbr, nfn, cfn, nfnda, cfnda, nfnl, cfnl;
};

struct lstate {
	struct tr_report *r;
	struct scratch *sc;          /* one per file, by file index */
	size_t sc_cap;
	long cur;                    /* current file index, -1 outside a record */
	long open_line;              /* where the current record started */
	long long decl[6];
	bool decl_seen[6];
	bool saturated;
	long long unknown;
};

static const char *const decl_keys[6] = { "LF", "LH", "BRF", "BRH", "FNF", "FNH" };

static void push(struct kv **v, size_t *n, size_t *cap, const char *key, size_t klen, long line,
		 unsigned long long cnt)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n].key = xstrndup(key, klen);
	(*v)[*n].line = line;
	(*v)[*n].n = cnt;
	(*n)++;
}

static int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sorts and merges equal keys (and lines when by_line), summing counts. */
static size_t merge(struct kv *v, size_t n, bool by_line)
{
	size_t out = 0;
	if (n > 1)
		qsort(v, n, sizeof *v, kv_cmp);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && strcmp(v[out - 1].key, v[i].key) == 0 && (!by_line || v[out - 1].line == v[i].line)) {
			v[out - 1].n = tr_sat_add(v[out - 1].n, v[i].n);
			free(v[i].key);
			continue;
		}
		v[out++] = v[i];
	}
	return out;
}

static unsigned long long lookup(struct kv *v, size_t n, const char *key)
{
	struct kv probe = { .key = (char *)key, .line = 0 };
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid].key, probe.key);
		if (c == 0)
			return v[mid].n;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void free_kv(struct kv *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

static bool parse_long(const char *s, const char **end, long *out)
{
	long long v = 0;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p)) {
		if (v < 100000000000LL)
			v = v * 10 + (*p - '0');
		p++;
	}
	if (v <= 0 || v > 100000000)
		return false;
	*out = (long)v;
	*end = p;
	return true;
}

static void bad(struct lstate *l, long lineno, const char *what, const char *line)
{
	tr_set_error(l->r, lineno, "%s:%ld: malformed %s record \"%.60s\"; ignored", l->r->path,
		     lineno, what, line);
}

static void on_record_line(struct lstate *l, const char *key, const char *val, const char *line, long lineno)
{
	struct scratch *s = &l->sc[l->cur];
	struct tr_cov_file *f = &l->r->files[l->cur];
	const char *p;
	long ln;
	bool sat;

	if (!strcmp(key, "DA")) {
		if (!parse_long(val, &p, &ln) || *p != ',')
			return bad(l, lineno, "DA:", line);
		tr_cov_add_line(f, ln, tr_parse_hits(p + 1, &sat), 0, 0);
		l->saturated = l->saturated || sat;
	} else if (!strcmp(key, "BRDA")) {
		const char *c1 = strchr(val, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		const char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
		const char *taken;
		if (!parse_long(val, &p, &ln) || !c3)
			return bad(l, lineno, "BRDA:", line);
		taken = c3 + 1;
		while (isspace((unsigned char)*taken))
			taken++;
		push(&s->br, &s->nbr, &s->cbr, val, (size_t)(c3 - val), ln,
		     *taken == '-' ? 0 : tr_parse_hits(taken, &sat));
	} else if (!strcmp(key, "FN")) {
		const char *c1 = strchr(val, ',');
		const char *name;
		if (!parse_long(val, &p, &ln) || !c1)
			return bad(l, lineno, "FN:", line);
		name = c1 + 1;
		/* lcov 2: FN:<line>,<end line>,<name> */
		if (isdigit((unsigned char)*name)) {
			const char *q = name;
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == ',')
				name = q + 1;
		}
		push(&s->fn, &s->nfn, &s->cfn, name, strlen(name), ln, 0);
	} else if (!strcmp(key, "FNDA")) {
		const char *c1 = strchr(val, ',');
		if (!c1)
			return bad(l, lineno, "FNDA:", line);
		push(&s->fnda, &s->nfnda, &s->cfnda, c1 + 1, strlen(c1 + 1), 0, tr_parse_hits(val, &sat));
	} else if (!strcmp(key, "FNL")) {
		const char *c1 = strchr(val, ',');
		push(&s->fnl, &s->nfnl, &s->cfnl, val, c1 ? (size_t)(c1 - val) : strlen(val), 0, 0);
	} else if (!strcmp(key, "FNA")) {
		const char *c1 = strchr(val, ',');
		if (!c1)
			return bad(l, lineno, "FNA:", line);
		push(&s->fnl, &s->nfnl, &s->cfnl, val, (size_t)(c1 - val), 0, tr_parse_hits(c1 + 1, &sat));
	} else {
		l->unknown++;
	}
}

static void finish_files(struct lstate *l)
{
	struct tr_report *r = l->r;
	for (size_t i = 0; i < r->nfiles; i++) {
		struct scratch *s = &l->sc[i];
		struct tr_cov_file *f = &r->files[i];
		size_t nfn;
		s->nbr = merge(s->br, s->nbr, false);
		s->nfnda = merge(s->fnda, s->nfnda, false);
		s->nfnl = merge(s->fnl, s->nfnl, false);
		nfn = merge(s->fn, s->nfn, true);
		s->nfn = nfn;
		f->branches_found = (long long)s->nbr;
		f->branches_hit = 0;
		for (size_t k = 0; k < s->nbr; k++) {
			/* Attach to the merged DA line when there is one. */
			struct tr_cov_line *ln = NULL;
			size_t lo = 0, hi = f->nlines;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (f->lines[mid].line == s->br[k].line) {
					ln = &f->lines[mid];
					break;
				}
				if (f->lines[mid].line < s->br[k].line)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (s->br[k].n > 0)
				f->branches_hit++;
			if (ln) {
				ln->br_valid++;
				ln->br_covered += s->br[k].n > 0;
			}
		}
		if (s->nfn + s->nfnl > 0) {
			f->has_functions = true;
			f->functions_found = (long long)(s->nfn + s->nfnl);
			f->functions_hit = 0;
			for (size_t k = 0; k < s->nfn; k++)
				f->functions_hit += lookup(s->fnda, s->nfnda, s->fn[k].key) > 0;
			for (size_t k = 0; k < s->nfnl; k++)
				f->functions_hit += s->fnl[k].n > 0;
		}
		free_kv(s->br, s->nbr);
		free_kv(s->fn, s->nfn);
		free_kv(s->fnda, s->nfnda);
		free_kv(s->fnl, s->nfnl);
	}
}

enum wz_status report_lcov_read(int fd, struct tr_report *r, struct wz_err *err)
{
	struct report_lines it;
	struct lstate l;
	char *line;
	size_t len;

	(void)err;
	memset(&l, 0, sizeof l);
	l.r = r;
	l.cur = -1;
	report_lines_init(&it, fd);
	while (report_lines_next(&it, &line, &len)) {
		char *s = line, *e = line + len, *colon;
		bool handled;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (s == e || *s == '#')
			continue;
		if (!strcmp(s, "end_of_record")) {
			l.cur = -1;
			continue;
		}
		colon = strchr(s, ':');
		if (!colon) {
			l.unknown++;
			continue;
		}
		*colon = '\0';
		if (!strcmp(s, "SF")) {
			size_t idx = (size_t)(tr_cov_file(r, colon + 1) - r->files);
			if (idx >= l.sc_cap) {
				size_t old = l.sc_cap;
				l.sc = xgrow(l.sc, &l.sc_cap, idx + 1, sizeof *l.sc);
				memset(l.sc + old, 0, (l.sc_cap - old) * sizeof *l.sc);
			}
			l.cur = (long)idx;
			l.open_line = it.lineno;
			continue;
		}
		handled = false;
		for (int k = 0; k < 6 && !handled; k++) {
			if (!strcmp(s, decl_keys[k])) {
				long long v;
				if (tr_parse_count(colon + 1, &v)) {
					l.decl[k] = l.decl[k] > (long long)9e15 - v ? (long long)9e15 : l.decl[k] + v;
					l.decl_seen[k] = true;
				} else {
					*colon = ':';
					bad(&l, it.lineno, decl_keys[k], s);
				}
				handled = true;
			}
		}
		if (handled || !strcmp(s, "TN") || l.cur < 0)
			continue;
		{
			char copy[64];
			snprintf(copy, sizeof copy, "%s:%s", s, colon + 1);
			on_record_line(&l, s, colon + 1, copy, it.lineno);
		}
	}
	if (it.error)
		tr_set_error(r, it.lineno, "%s:%ld: read error; counted what was read before it", r->path, it.lineno);
	if (l.cur >= 0)
		tr_set_error(r, it.lineno, "%s:%ld: truncated: the record opened at line %ld (SF:%s) has no "
			     "end_of_record; its lines are counted", r->path, it.lineno, l.open_line,
			     r->files[l.cur].path);
	report_lines_free(&it);
	if (r->nfiles == 0 && !r->malformed)
		tr_set_error(r, it.lineno, "%s:%ld: no SF: record found; not an lcov tracefile?", r->path,
			     it.lineno);
	for (int k = 0; k < 6; k++) {
		if (l.decl_seen[k]) {
			char tmp[32];
			snprintf(tmp, sizeof tmp, "%lld", l.decl[k]);
			tr_add_declared(r, decl_keys[k], tmp);
		}
	}
	if (l.saturated)
		tr_add_warning(r, "%s: some hit counts are larger than 2^64-1; kept as the maximum", r->path);
	tr_report_finish(r, true);
	finish_files(&l);
	/* Branch and function totals changed after the per-file pass. */
	memset(&r->cov, 0, sizeof r->cov);
	for (size_t i = 0; i < r->nfiles; i++) {
		struct tr_cov_totals one = { 1, r->files[i].lines_found, r->files[i].lines_hit,
					     r->files[i].branches_found, r->files[i].branches_hit,
					     r->files[i].functions_found, r->files[i].functions_hit,
					     r->files[i].has_functions };
		tr_cov_totals_add(&r->cov, &one);
	}
	free(l.sc);
	return WZ_OK;
}
