/* issue_corr.c - GitHub issue correlation (see issue_corr.h). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/issue_corr.h"
#include "util/buf.h"
#include "util/xalloc.h"

const char *icorr_class_word(enum icorr_class c)
{
	return c == ICORR_LIKELY_CLASS ? "likely" : "possible";
}

static bool wordch(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Case-insensitive search of needle in hay with word boundaries at the
 * needle's ends (only where the needle itself starts/ends with a word
 * character). */
static bool has_word(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);
	if (!hay || nl == 0)
		return false;
	for (const char *p = hay; *p; p++) {
		if (strncasecmp(p, needle, nl) != 0)
			continue;
		bool lb = p == hay || !wordch((unsigned char)p[-1]) || !wordch((unsigned char)needle[0]);
		bool rb = !wordch((unsigned char)p[nl]) || !wordch((unsigned char)needle[nl - 1]);
		if (lb && rb)
			return true;
	}
	return false;
}

/* Lower case, digits and hex runs masked to '#', blanks collapsed. */
static char *mask(const char *s, size_t max)
{
	struct buf b = {0};
	bool sp = false;
	for (size_t i = 0; s && s[i] && b.len < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			sp = b.len > 0;
			continue;
		}
		if (sp) {
			buf_putc(&b, ' ');
			sp = false;
		}
		if (isdigit(c)) {
			while (isxdigit((unsigned char)s[i + 1]) || s[i + 1] == '.')
				i++;
			buf_putc(&b, '#');
		} else {
			buf_putc(&b, (char)tolower(c));
		}
	}
	if (!b.p)
		buf_puts(&b, "");
	return buf_detach(&b);
}

static const char *last_component(const char *t)
{
	const char *best = t;
	for (const char *p = t; *p; p++)
		if (*p == ':' || *p == '.' || *p == '/' || *p == '#' || *p == ' ')
			best = p + 1;
	return best;
}

struct scorer {
	int score;
	char **reasons;
	size_t n, cap;
	bool title_hit;
};

/* Records "+N label `what` in where" (no backticks when what is NULL). */
static void add(struct scorer *s, int pts, const char *label, const char *what, const char *where)
{
	s->reasons = xgrow(s->reasons, &s->cap, s->n + 1, sizeof *s->reasons);
	if (what)
		s->reasons[s->n++] = xasprintf("%+d %s `%s` in %s", pts, label, what, where);
	else
		s->reasons[s->n++] = xasprintf("%+d %s in %s", pts, label, where);
	s->score += pts;
}

/* Looks for needle in title, then body; returns where ("title"/"body") or NULL. */
static const char *find_in(const struct icorr_issue *is, const char *needle, struct scorer *s)
{
	if (has_word(is->title, needle)) {
		s->title_hit = true;
		return "title";
	}
	return has_word(is->body, needle) ? "body" : NULL;
}

static bool masked_contains(const char *text_masked, const char *err_masked)
{
	return *err_masked && strstr(text_masked, err_masked) != NULL;
}

static int shared_words(const char *text_masked, const char *err_masked)
{
	int hits = 0;
	const char *p = err_masked;
	while (*p) {
		while (*p && !isalpha((unsigned char)*p))
			p++;
		const char *b = p;
		while (isalpha((unsigned char)*p))
			p++;
		if (p - b >= 5) {
			char *w = xstrndup(b, (size_t)(p - b));
			hits += has_word(text_masked, w);
			free(w);
		}
	}
	return hits;
}

static void score_issue(const struct icorr_facts *f, const struct icorr_issue *is, struct scorer *s)
{
	const char *where;
	int pts = 0;
	if (f->run_id && *f->run_id && (where = find_in(is, f->run_id, s)))
		add(s, 5, "run id", f->run_id, where);
	for (size_t i = 0; i < f->ntests && pts < 8; i++) {
		const char *t = f->failing_tests[i], *lc;
		if (!t || !*t)
			continue;
		if ((where = find_in(is, t, s))) {
			add(s, 4, "failing test", t, where);
			pts += 4;
		} else if ((lc = last_component(t)) != t && strlen(lc) >= 6 && (where = find_in(is, lc, s))) {
			add(s, 2, "failing test name", lc, where);
			pts += 2;
		}
	}
	pts = 0;
	for (size_t i = 0; i < f->nfiles && pts < 4; i++) {
		const char *p = f->touched_files[i], *bn;
		if (!p || !*p)
			continue;
		bn = strrchr(p, '/');
		bn = bn ? bn + 1 : p;
		if (strchr(p, '/') && (where = find_in(is, p, s))) {
			add(s, 3, "touched file", p, where);
			pts += 3;
		} else if (strlen(bn) >= 5 && strchr(bn, '.') && (where = find_in(is, bn, s))) {
			add(s, 1, "touched file name", bn, where);
			pts += 1;
		}
	}
	pts = 0;
	if (f->nerrors) {
		char *tm = mask(is->title, 4096), *bm = mask(is->body, (size_t)1 << 20);
		for (size_t i = 0; i < f->nerrors && pts < 4; i++) {
			char *em = mask(f->errors[i], 60);
			char shown[64];
			snprintf(shown, sizeof shown, "%.60s", f->errors[i] ? f->errors[i] : "");
			if (masked_contains(tm, em) || masked_contains(bm, em)) {
				if (masked_contains(tm, em))
					s->title_hit = true;
				add(s, 3, "error message", shown, masked_contains(tm, em) ? "title" : "body");
				pts += 3;
			} else if (shared_words(tm, em) + shared_words(bm, em) >= 3) {
				add(s, 1, "words of error", shown, "text");
				pts += 1;
			}
			free(em);
		}
		free(tm);
		free(bm);
	}
	if (s->score > 0 && s->title_hit)
		add(s, 1, "a match", NULL, "title");
	if (s->score > 0) {
		static const char *const lab[] = {"bug", "flaky", "flaky-test", "test-failure",
						  "regression", "incident", "ci"};
		for (size_t i = 0; i < is->nlabels; i++) {
			size_t k;
			for (k = 0; k < sizeof lab / sizeof lab[0]; k++)
				if (is->labels[i] && strcasecmp(is->labels[i], lab[k]) == 0)
					break;
			if (k < sizeof lab / sizeof lab[0]) {
				add(s, 1, "label", is->labels[i], "labels");
				break;
			}
		}
		if (is->state && strcmp(is->state, "open") == 0)
			add(s, 1, "still open", NULL, "state");
	}
}

static int match_cmp(const void *a, const void *b, void *issues)
{
	const struct icorr_match *x = a, *y = b;
	const struct icorr_issue *is = issues;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	double ux = is[x->index].updated_at, uy = is[y->index].updated_at;
	if (isnan(ux))
		ux = -1;
	if (isnan(uy))
		uy = -1;
	if (ux != uy)
		return ux > uy ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

void icorr_run(const struct icorr_facts *f, const struct icorr_issue *issues, size_t n,
	       struct icorr_result *out)
{
	size_t cap = 0;
	double horizon = f->now - 86400.0 * (f->recent_days > 0 ? f->recent_days : ICORR_RECENT_DAYS);
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		const struct icorr_issue *is = &issues[i];
		struct scorer s = {0};
		bool open = is->state && strcmp(is->state, "open") == 0;
		if (is->is_pull)
			continue;
		if (!open && !isnan(is->closed_at) && is->closed_at < horizon)
			continue;
		out->considered++;
		score_issue(f, is, &s);
		if (s.score < ICORR_MIN_SCORE) {
			for (size_t k = 0; k < s.n; k++)
				free(s.reasons[k]);
			free(s.reasons);
			continue;
		}
		out->v = xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = (struct icorr_match){
			.number = is->number, .index = i, .score = s.score,
			.cls = s.score >= ICORR_LIKELY ? ICORR_LIKELY_CLASS : ICORR_POSSIBLE, .open = open,
			.reasons = s.reasons, .nreasons = s.n};
	}
	if (out->n > 1)
		qsort_r(out->v, out->n, sizeof *out->v, match_cmp, (void *)issues);
}

void icorr_skip(struct icorr_result *out, const char *why)
{
	memset(out, 0, sizeof *out);
	out->skipped = true;
	snprintf(out->reason, sizeof out->reason, "%s", why ? why : "skipped");
}

void icorr_result_free(struct icorr_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->v[i].nreasons; k++)
			free(r->v[i].reasons[k]);
		free(r->v[i].reasons);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
