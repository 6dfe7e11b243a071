/* logmine_refine.c - the merges lm_finish applies after Drain.
 *
 * Drain splits one template into several groups when a parameter spans a
 * varying number of tokens (a path with spaces, "(1.16 KB)" present or
 * not). Each group gets a key: its scored template with every bracketed
 * part that starts a token and holds a "<*>" made "<*>", every token that
 * holds a digit (or a placeholder, unless it is the value of "key=") made
 * "<*>", a unit word after "<*>" dropped ("<*> sec"), and every run of
 * "<*>" separated only by spaces or punctuation made one "<*>".
 *  1. groups with equal keys are one final group;
 *  2. subsumption: a key that, read as a pattern, matches a key with one
 *     constant and two tokens more joins that group;
 *  3. groups whose scored templates are equal are merged, so that a final
 *     group is exactly the set of lines printed with one template.
 */
#include "config.h"
#include "analysis/logmine_int.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Replaces bracketed parts "(...)" / "[...]" / "{...}" that start a token
 * and hold "<*>" by "<*>" (innermost first, repeated until nothing
 * changes). */
static void collapse_brackets(struct buf *b)
{
	static const char open[] = "([{", close[] = ")]}";
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < b->len && !changed; i++) {
			const char *o = strchr(open, b->p[i]);
			/* only a group that starts a token: "LOGIN(uid=<*>)" keeps its shape */
			if (!o || !b->p[i] || (i > 0 && b->p[i - 1] != ' '))
				continue;
			char want = close[o - open];
			size_t j = i + 1;
			while (j < b->len && b->p[j] != want && !strchr(open, b->p[j]) &&
			       !strchr(close, b->p[j]))
				j++;
			if (j >= b->len || b->p[j] != want)
				continue;
			if (!memmem(b->p + i, j - i, LM_WILD, 3))
				continue;
			/* "(<*>)" alone stays: it is already as short as it gets */
			if (j - i == 4)
				continue;
			memmove(b->p + i + 3, b->p + j + 1, b->len - j - 1);
			memcpy(b->p + i, LM_WILD, 3);
			b->len = b->len - (j + 1 - i) + 3;
			b->p[b->len] = '\0';
			changed = true;
		}
	}
}

/* Joins runs of "<*>" separated only by spaces or punctuation. */
static void collapse_runs(struct buf *b)
{
	struct buf o = { 0 };
	size_t i = 0;
	while (i < b->len) {
		if (b->len - i >= 3 && memcmp(b->p + i, LM_WILD, 3) == 0) {
			size_t j = i + 3, last = j;
			buf_puts(&o, LM_WILD);
			for (;;) {
				size_t k = last;
				while (k < b->len && (b->p[k] == ' ' || b->p[k] == ',' || b->p[k] == ':' ||
						      b->p[k] == '/' || b->p[k] == '-' || b->p[k] == '='))
					k++;
				if (b->len - k >= 3 && memcmp(b->p + k, LM_WILD, 3) == 0)
					last = k + 3;
				else
					break;
			}
			i = last;
			(void)j;
			continue;
		}
		buf_putc(&o, b->p[i++]);
	}
	buf_reset(b);
	buf_append(b, o.p ? o.p : "", o.len);
	buf_putc(b, '\0');
	b->len--;
	buf_free(&o);
}

static bool digit_in(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] >= '0' && t[i] <= '9')
			return true;
	return false;
}

/* Words that are the unit of the number before them. */
static const char *const unit_words[] = { "sec", "secs", "second", "seconds", "ms", "msec",
					  "bytes", "byte", "B", "KB", "MB", "GB", "kB", "KiB",
					  "MiB", "GiB", "min", "mins", "minutes", "hours", NULL };

static bool is_unit(const char *t, size_t n)
{
	while (n > 1 && strchr(")]},;", t[n - 1]))
		n--;     /* "KB)" ends a bracketed size */
	for (size_t i = 0; unit_words[i]; i++)
		if (strlen(unit_words[i]) == n && memcmp(unit_words[i], t, n) == 0)
			return true;
	return false;
}

/* A token that is a parameter in the key: it holds a digit, or a
 * placeholder other than the value of a "key=" pair. */
static bool key_param(const char *t, size_t n, bool digits)
{
	const char *eq = memchr(t, '=', n);
	if (digits && digit_in(t, n))
		return true;
	if (!memmem(t, n, LM_WILD, 3))
		return false;
	return !(eq && eq > t && memmem(eq, n - (size_t)(eq - t), LM_WILD, 3) == eq + 1);
}

/* The scored template with bracketed parameter groups made "<*>", then
 * parameter tokens (with `digits`, also every token holding a digit)
 * made "<*>", a unit word after "<*>" taken into it,
 * and runs of "<*>" collapsed. */
static char *key_of(const struct lm_group *g, bool digits)
{
	char *sc = lm_join(g->tok, g->ntok, true);
	struct buf b = { 0 }, c = { 0 };
	const char *p;
	bool prev_wild = false;

	buf_puts(&c, sc);
	free(sc);
	collapse_brackets(&c);
	p = buf_str(&c);
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (key_param(p, l, digits)) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_puts(&b, LM_WILD);
			prev_wild = true;
		} else if (prev_wild && is_unit(p, l)) {
			/* "<*> sec": the unit belongs to the parameter */
		} else {
			if (b.len)
				buf_putc(&b, ' ');
			buf_append(&b, p, l);
			prev_wild = false;
		}
		p += l;
		while (*p == ' ')
			p++;
	}
	buf_free(&c);
	buf_putc(&b, '\0');
	b.len--;
	collapse_runs(&b);
	return buf_detach(&b);
}

struct keyed {
	char *key;
	size_t id;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Merges group b into final group a: counts add up; positions that differ
 * (same length) become "<*>"; a different length keeps the bigger group's
 * template with the key's shape unknown, so the key itself is used. */
static void merge(struct lm_miner *m, size_t a, size_t b, const char *key)
{
	struct lm_group *ga = &m->g[a], *gb = &m->g[b];
	gb->parent = a;
	ga->count += gb->count;
	free(ga->typed);
	free(ga->scored);
	ga->typed = ga->scored = NULL;
	if (ga->ntok == gb->ntok) {
		for (size_t i = 0; i < ga->ntok; i++) {
			if (strcmp(ga->tok[i], gb->tok[i]) != 0) {
				char *w = lm_wild_of(ga->tok[i], gb->tok[i]);
				free(ga->tok[i]);
				ga->tok[i] = w;
			}
		}
		return;
	}
	/* lengths differ: the key becomes the template (one token per word) */
	for (size_t i = 0; i < ga->ntok; i++)
		free(ga->tok[i]);
	free(ga->tok);
	ga->tok = NULL;
	ga->ntok = 0;
	{
		const char *p = key;
		size_t cap = 0;
		while (*p) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l) {
				ga->tok = xgrow(ga->tok, &cap, ga->ntok + 1, sizeof *ga->tok);
				ga->tok[ga->ntok++] = xstrndup(p, l);
			}
			p += l;
			while (*p == ' ')
				p++;
		}
	}
}

/* Groups sorted by key; each run of equal keys merges into its oldest. */
static void merge_by(struct lm_miner *m, bool collapsed)
{
	struct keyed *k = xmalloc((m->ng ? m->ng : 1) * sizeof *k);
	size_t n = 0;
	for (size_t i = 0; i < m->ng; i++) {
		if (lm_root(m, i) != i || m->g[i].split)
			continue;
		k[n].key = collapsed ? key_of(&m->g[i], true) : xstrdup(lm_template(m, i, false));
		k[n].id = i;
		n++;
	}
	qsort(k, n, sizeof *k, keyed_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && strcmp(k[j].key, k[i].key) == 0) {
			merge(m, k[i].id, k[j].id, k[i].key);
			j++;
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

/* ---- subsumption: a key whose "<*>" swallowed a constant of another ---- */

struct tokv {
	char **t;
	size_t n, consts;
	size_t id;
};

static void split_key(const char *key, struct tokv *v)
{
	size_t cap = 0;
	const char *p = key;
	memset(v, 0, sizeof *v);
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		v->t = xgrow(v->t, &cap, v->n + 1, sizeof *v->t);
		v->t[v->n] = xstrndup(p, l);
		if (strcmp(v->t[v->n], LM_WILD) != 0)
			v->consts++;
		v->n++;
		p += l;
		while (*p == ' ')
			p++;
	}
}

/* Does pattern a (each "<*>" = one or more tokens) match all of b? */
static bool glob_tokens(const struct tokv *a, const struct tokv *b)
{
	size_t i = 0, j = 0, star = LM_NONE, mark = 0;
	while (j < b->n) {
		if (i < a->n && strcmp(a->t[i], LM_WILD) == 0) {
			star = i++;
			mark = ++j;      /* the star takes at least one token */
		} else if (i < a->n && strcmp(a->t[i], b->t[j]) == 0) {
			i++;
			j++;
		} else if (star != LM_NONE) {
			i = star + 1;
			j = ++mark;
		} else {
			return false;
		}
	}
	return i == a->n;
}

/* Final groups above this many are not compared pairwise. */
#define LM_SUBSUME_MAX 4000

/* A final group whose key, read as a pattern, matches the key of a group
 * with exactly one constant more and two tokens more joins it (when it has
 * three constants or more): Drain turned that constant and the parameters
 * around it ("<*> sent, <*>") into one "<*>". */
static void merge_subsumed(struct lm_miner *m)
{
	struct tokv *v = NULL;
	size_t n = 0;
	v = xmalloc((m->ng ? m->ng : 1) * sizeof *v);
	for (size_t i = 0; i < m->ng; i++) {
		char *k;
		if (lm_root(m, i) != i || m->g[i].split)
			continue;
		/* as a pattern, words with digits that Drain kept stay constants */
		k = key_of(&m->g[i], false);
		split_key(k, &v[n]);
		v[n++].id = i;
		free(k);
	}
	if (n <= LM_SUBSUME_MAX) {
		for (size_t a = 0; a < n; a++) {
			size_t best = LM_NONE;
			if (v[a].consts < 3 || v[a].consts == v[a].n)
				continue;
			for (size_t b = 0; b < n; b++) {
				if (b == a || v[b].consts != v[a].consts + 1 || v[b].n < v[a].n + 2 ||
				    !glob_tokens(&v[a], &v[b]))
					continue;
				if (best == LM_NONE || m->g[v[b].id].count > m->g[v[best].id].count)
					best = b;
			}
			if (best != LM_NONE) {
				size_t ra = lm_root(m, v[a].id), rb = lm_root(m, v[best].id);
				if (ra != rb) {
					m->g[ra].parent = rb;
					m->g[rb].count += m->g[ra].count;
				}
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t t = 0; t < v[i].n; t++)
			free(v[i].t[t]);
		free(v[i].t);
	}
	free(v);
}

void lm_refine(struct lm_miner *m)
{
	merge_by(m, true);
	merge_subsumed(m);
	merge_by(m, false);
}
