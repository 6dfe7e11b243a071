/* logmine_drain.c - §4.2 the Drain tree: length, first tokens, leaf groups.
 *
 * Path: token count, then the first depth-2 tokens (a placeholder or a
 * token holding a digit goes to the "<*>" child, as does any new token
 * once a node has max_children children). In the leaf the most similar
 * group (ties: more placeholders, then older) takes the message when
 * sim >= st; differing positions become "<*>". Live groups are capped;
 * the least recently used one leaves the tree when the cap is passed.
 */
#include "config.h"
#include "analysis/logmine_int.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_params_default(struct lm_params *p)
{
	p->depth = 4;
	p->st = 0.5;
	p->max_children = 100;
	p->max_groups = 10000;
	p->max_msg = 3000;
	p->refine = true;
}

struct lm_miner *lm_new(const struct lm_params *p)
{
	struct lm_miner *m = xcalloc(1, sizeof *m);
	if (p)
		m->p = *p;
	else
		lm_params_default(&m->p);
	if (m->p.depth < 3)
		m->p.depth = 3;
	if (m->p.max_children < 1)
		m->p.max_children = 1;
	if (m->p.max_groups < 1)
		m->p.max_groups = 1;
	m->lru_head = m->lru_tail = LM_NONE;
	return m;
}

static void node_free(struct lm_node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		node_free(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	free(n->grp);
	free(n->key);
}

void lm_free(struct lm_miner *m)
{
	if (!m)
		return;
	node_free(&m->root);
	for (size_t i = 0; i < m->ng; i++) {
		for (size_t t = 0; t < m->g[i].ntok; t++)
			free(m->g[i].tok[t]);
		free(m->g[i].tok);
		if (m->g[i].hist) {
			for (size_t t = 0; t < m->g[i].ntok0; t++)
				for (size_t v = 0; v < m->g[i].hist[t].nv; v++)
					free(m->g[i].hist[t].v[v]);
			free(m->g[i].hist);
		}
		free(m->g[i].splitpos);
		free(m->g[i].subs);
		free(m->g[i].typed);
		free(m->g[i].scored);
	}
	free(m->g);
	free(m->tbuf);
	buf_free(&m->mbuf);
	free(m);
}

static bool ph(const char *t)
{
	return t[0] == '<' && lm_is_placeholder(t, strlen(t));
}

/* A token routed to "<*>": it holds a digit or a placeholder. */
bool lm_tok_variable(const char *t)
{
	for (; *t; t++) {
		if (*t >= '0' && *t <= '9')
			return true;
		if (*t == '<') {
			const char *e = strchr(t, '>');
			if (e && lm_is_placeholder(t, (size_t)(e - t) + 1))
				return true;
		}
	}
	return false;
}

double lm_sim(const char *const *tmpl, const char *const *msg, size_t n)
{
	size_t same = 0;
	if (n == 0)
		return 1.0;
	for (size_t i = 0; i < n; i++)
		if (!ph(tmpl[i]) && strcmp(tmpl[i], msg[i]) == 0)
			same++;
	return (double)same / (double)n;
}

static struct lm_node *kid(struct lm_node *n, const char *key, bool create)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (strcmp(n->kids[i]->key, key) == 0)
			return n->kids[i];
	if (!create)
		return NULL;
	n->kids = xgrow(n->kids, &n->kcap, n->nkids + 1, sizeof *n->kids);
	n->kids[n->nkids] = xcalloc(1, sizeof **n->kids);
	n->kids[n->nkids]->key = xstrdup(key);
	return n->kids[n->nkids++];
}

static struct lm_node *leaf_of(struct lm_miner *m, const char *const *tok, size_t ntok)
{
	char len[32];
	struct lm_node *n;
	size_t depth = (size_t)m->p.depth - 2;

	snprintf(len, sizeof len, "%zu", ntok);
	n = kid(&m->root, len, true);
	for (size_t i = 0; i < depth && i < ntok; i++) {
		const char *key = tok[i];
		struct lm_node *k;
		if (lm_tok_variable(key))
			key = LM_WILD;
		k = kid(n, key, false);
		if (!k) {
			if (n->nkids >= (size_t)m->p.max_children)
				key = LM_WILD;
			k = kid(n, key, true);
		}
		n = k;
	}
	return n;
}

/* ---- LRU ---- */

static void lru_unlink(struct lm_miner *m, size_t id)
{
	struct lm_group *g = &m->g[id];
	if (g->prev != LM_NONE)
		m->g[g->prev].next = g->next;
	else
		m->lru_head = g->next;
	if (g->next != LM_NONE)
		m->g[g->next].prev = g->prev;
	else
		m->lru_tail = g->prev;
	g->prev = g->next = LM_NONE;
}

static void lru_front(struct lm_miner *m, size_t id)
{
	struct lm_group *g = &m->g[id];
	g->prev = LM_NONE;
	g->next = m->lru_head;
	if (m->lru_head != LM_NONE)
		m->g[m->lru_head].prev = id;
	m->lru_head = id;
	if (m->lru_tail == LM_NONE)
		m->lru_tail = id;
}

static void evict(struct lm_miner *m)
{
	size_t id = m->lru_tail;
	struct lm_group *g = &m->g[id];
	struct lm_node *l = g->leaf;
	lru_unlink(m, id);
	for (size_t i = 0; i < l->ngrp; i++) {
		if (l->grp[i] == id) {
			memmove(l->grp + i, l->grp + i + 1, (l->ngrp - i - 1) * sizeof *l->grp);
			l->ngrp--;
			break;
		}
	}
	g->live = false;
	g->leaf = NULL;
	m->live--;
	m->evictions++;
}

static size_t n_wild(const struct lm_group *g)
{
	size_t w = 0;
	for (size_t i = 0; i < g->ntok; i++)
		if (ph(g->tok[i]))
			w++;
	return w;
}

char *lm_wild_of(const char *a, const char *b)
{
	static const char tail[] = ")]},;:";
	size_t k = 0, eq = 0, la = strlen(a), lb = strlen(b), sf = 0;
	while (a[k] && a[k] == b[k]) {
		if (a[k] == '=')
			eq = k + 1;
		k++;
	}
	/* common closing punctuation stays: "KB)" and "MB)" give "<*>)" */
	while (sf < la - eq && sf < lb - eq && a[la - 1 - sf] == b[lb - 1 - sf] &&
	       strchr(tail, a[la - 1 - sf]))
		sf++;
	if (la - eq - sf == 0 || lb - eq - sf == 0)
		sf = 0;
	return xasprintf("%.*s%s%s", (int)eq, a, LM_WILD, a + la - sf);
}

/* A token that is a parameter value: a placeholder, or "key=value" (key a
 * plain name from the token's start) with a digit or placeholder in the
 * value. "(uid=<NUM>)" beside "LOGIN(uid=<NUM>)" differs in shape, so it
 * may split a group; "rhost=<IP>" beside "rhost=a1.example" may not. */
static bool value_like(const char *t)
{
	const char *k = t;
	if (lm_is_placeholder(t, strlen(t)))
		return true;
	while ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_' || *k == '-' ||
	       *k == '.')
		k++;
	return k > t && *k == '=' && lm_tok_variable(k + 1);
}

/* Records the message's tokens in the group's per-position values. */
static void hist_add(struct lm_group *g, const char *const *tok)
{
	for (size_t i = 0; i < g->ntok0; i++) {
		struct lm_hist *h = &g->hist[i];
		size_t v;
		if (h->many)
			continue;
		for (v = 0; v < h->nv; v++)
			if (strcmp(h->v[v], tok[i]) == 0)
				break;
		if (v < h->nv)
			continue;
		if (h->nv == LM_HIST_MAX) {
			h->many = true;
			continue;
		}
		h->v[h->nv++] = xstrdup(tok[i]);
		if (value_like(tok[i]))
			h->varlike = true;
	}
}

size_t lm_add_tokens(struct lm_miner *m, const char *const *tok, size_t ntok)
{
	struct lm_node *leaf;
	size_t best = LM_NONE, best_w = 0;
	double best_sim = -1.0;

	if (m->finished || m->frozen)
		return SIZE_MAX;
	m->lines++;
	leaf = leaf_of(m, tok, ntok);
	for (size_t i = 0; i < leaf->ngrp; i++) {
		const struct lm_group *g = &m->g[leaf->grp[i]];
		double s = lm_sim((const char *const *)g->tok, tok, ntok);
		size_t w;
		if (s < best_sim)
			continue;
		w = n_wild(g);
		if (s > best_sim || w > best_w || (w == best_w && leaf->grp[i] < best)) {
			best = leaf->grp[i];
			best_sim = s;
			best_w = w;
		}
	}
	if (best != LM_NONE && best_sim >= m->p.st) {
		struct lm_group *g = &m->g[best];
		for (size_t i = 0; i < ntok; i++) {
			if (strcmp(g->tok[i], tok[i]) != 0 && strcmp(g->tok[i], LM_WILD) != 0) {
				char *w = lm_wild_of(g->tok[i], tok[i]);
				free(g->tok[i]);
				g->tok[i] = w;
				free(g->typed);
				free(g->scored);
				g->typed = g->scored = NULL;
			}
		}
		g->count++;
		hist_add(g, tok);
		lru_unlink(m, best);
		lru_front(m, best);
		return best;
	}
	/* a new group */
	m->g = xgrow(m->g, &m->gcap, m->ng + 1, sizeof *m->g);
	struct lm_group *g = &m->g[m->ng];
	memset(g, 0, sizeof *g);
	g->tok = xmalloc((ntok ? ntok : 1) * sizeof *g->tok);
	for (size_t i = 0; i < ntok; i++)
		g->tok[i] = xstrdup(tok[i]);
	g->ntok = g->ntok0 = ntok;
	g->count = 1;
	g->hist = xcalloc(ntok ? ntok : 1, sizeof *g->hist);
	hist_add(g, tok);
	g->leaf = leaf;
	g->live = true;
	g->parent = m->ng;
	g->prev = g->next = LM_NONE;
	leaf->grp = xgrow(leaf->grp, &leaf->gcap, leaf->ngrp + 1, sizeof *leaf->grp);
	leaf->grp[leaf->ngrp++] = m->ng;
	lru_front(m, m->ng);
	m->live++;
	m->ng++;
	if (m->live > m->p.max_groups)
		evict(m);
	return m->ng - 1;
}

/* Cuts n to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

size_t lm_tokenize(struct lm_miner *m, const char *msg, size_t n, bool *truncated)
{
	size_t cut = utf8_cut(msg, n, m->p.max_msg), ntok = 0;
	char *p;

	if (truncated)
		*truncated = cut < n;
	buf_reset(&m->mbuf);
	lm_mask(msg, cut, &m->mbuf);
	buf_putc(&m->mbuf, '\0');
	p = m->mbuf.p;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f')
			p++;
		if (!*p)
			break;
		m->tbuf = xgrow(m->tbuf, &m->tcap, ntok + 1, sizeof *m->tbuf);
		m->tbuf[ntok++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\v' &&
		       *p != '\f')
			p++;
		if (!*p)
			break;
		*p++ = '\0';
	}
	return ntok;
}

size_t lm_add(struct lm_miner *m, const char *msg, size_t n, bool *truncated)
{
	bool cut = false;
	size_t ntok;
	if (m->finished || m->frozen) {
		if (truncated)
			*truncated = false;
		return SIZE_MAX;
	}
	ntok = lm_tokenize(m, msg, n, &cut);
	if (cut)
		m->truncated++;
	if (truncated)
		*truncated = cut;
	return lm_add_tokens(m, (const char *const *)m->tbuf, ntok);
}

/* ---- results ---- */

size_t lm_ngroups(const struct lm_miner *m) { return m->ng; }
size_t lm_evictions(const struct lm_miner *m) { return m->evictions; }
size_t lm_truncated(const struct lm_miner *m) { return m->truncated; }
size_t lm_lines(const struct lm_miner *m) { return m->lines; }

size_t lm_root(const struct lm_miner *m, size_t gid)
{
	while (m->g[gid].parent != gid)
		gid = m->g[gid].parent;
	return gid;
}

size_t lm_final(const struct lm_miner *m, size_t gid)
{
	return gid < m->ng ? lm_root(m, gid) : LM_NONE;
}

size_t lm_count(const struct lm_miner *m, size_t gid)
{
	return gid < m->ng ? m->g[gid].count : 0;
}

char *lm_join(char *const *tok, size_t ntok, bool scored)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < ntok; i++) {
		if (i)
			buf_putc(&b, ' ');
		if (!scored) {
			buf_puts(&b, tok[i]);
			continue;
		}
		/* scored: every placeholder, whole token or inside one, is "<*>" */
		for (const char *t = tok[i]; *t;) {
			const char *e = *t == '<' ? strchr(t, '>') : NULL;
			if (e && lm_is_placeholder(t, (size_t)(e - t) + 1)) {
				buf_puts(&b, LM_WILD);
				t = e + 1;
			} else {
				buf_putc(&b, *t++);
			}
		}
	}
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

const char *lm_template(struct lm_miner *m, size_t gid, bool typed)
{
	struct lm_group *g;
	if (gid >= m->ng)
		return "";
	g = &m->g[lm_root(m, gid)];
	if (typed) {
		if (!g->typed)
			g->typed = lm_join(g->tok, g->ntok, false);
		return g->typed;
	}
	if (!g->scored)
		g->scored = lm_join(g->tok, g->ntok, true);
	return g->scored;
}

void lm_finish(struct lm_miner *m)
{
	if (m->finished)
		return;
	m->finished = true;
	lm_split_settle(m);
	if (m->p.refine)
		lm_refine(m);
}

struct ranked {
	size_t count, id;
	const char *tmpl;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->tmpl, y->tmpl);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t lm_ranked(struct lm_miner *m, size_t **ids)
{
	size_t n = 0;
	struct ranked *r = xmalloc((m->ng ? m->ng : 1) * sizeof *r);
	for (size_t i = 0; i < m->ng; i++) {
		if (lm_root(m, i) != i || m->g[i].split)
			continue;
		r[n].count = m->g[i].count;
		r[n].id = i;
		r[n].tmpl = lm_template(m, i, false);
		n++;
	}
	qsort(r, n, sizeof *r, rank_cmp);
	*ids = xmalloc((n ? n : 1) * sizeof **ids);
	for (size_t i = 0; i < n; i++)
		(*ids)[i] = r[i].id;
	free(r);
	return n;
}
