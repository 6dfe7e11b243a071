/* logmine_split.c - frequency-based constant positions (after Brain).
 *
 * Drain joins a message to a group when half its tokens agree, so two
 * templates that differ in a word or two ("... Bye Bye [preauth]" and
 * "... disconnected by user") end in one group with "<*>" where they
 * differ. A real parameter takes many values; a position that only ever
 * held a few plain words (no digit, no placeholder) is a constant of
 * several templates. lm_freeze marks such positions; in the second pass
 * each line goes to the sub-group of its words there.
 */
#include "config.h"
#include "analysis/logmine_int.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A "<*>" position splits its group when it held 2..LM_SPLIT_MAX plain
 * words (LM_SPLIT_MAX <= LM_HIST_MAX). */
#define LM_SPLIT_MAX 3

void lm_freeze(struct lm_miner *m)
{
	if (m->frozen || m->finished)
		return;
	m->frozen = true;
	for (size_t i = 0; i < m->ng; i++) {
		struct lm_group *g = &m->g[i];
		bool any = false;
		if (!g->hist || g->ntok != g->ntok0)
			continue;
		g->splitpos = xcalloc(g->ntok ? g->ntok : 1, sizeof *g->splitpos);
		for (size_t t = 0; t < g->ntok; t++) {
			const struct lm_hist *h = &g->hist[t];
			if (!strstr(g->tok[t], LM_WILD) || h->many || h->varlike || h->nv < 2 ||
			    h->nv > LM_SPLIT_MAX)
				continue;
			g->splitpos[t] = true;
			any = true;
		}
		if (!any) {
			free(g->splitpos);
			g->splitpos = NULL;
		}
	}
}

size_t lm_assign(struct lm_miner *m, size_t gid, const char *msg, size_t n)
{
	size_t ntok, sub;
	struct lm_group *g;

	if (!m->frozen || m->finished || gid >= m->ng || !m->g[gid].splitpos)
		return gid;
	ntok = lm_tokenize(m, msg, n, NULL);
	g = &m->g[gid];
	if (ntok != g->ntok)
		return gid;
	for (size_t s = 0; s < g->nsubs; s++) {
		const struct lm_group *sg = &m->g[g->subs[s]];
		size_t t;
		for (t = 0; t < ntok; t++)
			if (g->splitpos[t] && strcmp(sg->tok[t], m->tbuf[t]) != 0)
				break;
		if (t == ntok) {
			m->g[g->subs[s]].count++;
			return g->subs[s];
		}
	}
	/* a new sub-group: the parent's template with this line's words */
	sub = m->ng;
	m->g = xgrow(m->g, &m->gcap, m->ng + 1, sizeof *m->g);
	g = &m->g[gid];
	struct lm_group *ng = &m->g[sub];
	memset(ng, 0, sizeof *ng);
	ng->tok = xmalloc((ntok ? ntok : 1) * sizeof *ng->tok);
	for (size_t t = 0; t < ntok; t++)
		ng->tok[t] = xstrdup(g->splitpos[t] ? m->tbuf[t] : g->tok[t]);
	ng->ntok = ntok;
	ng->count = 1;
	ng->parent = sub;
	ng->prev = ng->next = LM_NONE;
	m->ng++;
	g->subs = xgrow(g->subs, &g->scap, g->nsubs + 1, sizeof *g->subs);
	g->subs[g->nsubs++] = sub;
	g->split = true;
	return sub;
}

/* Before the merges: a split group is represented by its first sub. */
void lm_split_settle(struct lm_miner *m)
{
	for (size_t i = 0; i < m->ng; i++)
		if (m->g[i].split && m->g[i].nsubs)
			m->g[i].parent = m->g[i].subs[0];
}
