/* learning.c - tables, constructors and destructors of learning candidates. */
#include "config.h"
#include "model/learning.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_words[] = {
#define LK_X(e, w) [e] = w,
	LEARN_KIND_TABLE(LK_X)
#undef LK_X
};

static const char *const origin_words[] = {
#define LK_X(e, w) [e] = w,
	LEARN_ORIGIN_TABLE(LK_X)
#undef LK_X
};

const char *learn_kind_word(enum learn_kind k)
{
	return (unsigned)k < LK_COUNT ? kind_words[k] : "?";
}

int learn_kind_parse(const char *w)
{
	int i;
	for (i = 0; w && i < LK_COUNT; i++)
		if (strcmp(w, kind_words[i]) == 0)
			return i;
	return -1;
}

const char *learn_origin_word(enum learn_origin o)
{
	return (unsigned)o < LO_COUNT ? origin_words[o] : "?";
}

struct learning_set *learning_set_new(void)
{
	return xcalloc(1, sizeof(struct learning_set));
}

struct learning *learning_set_add(struct learning_set *s)
{
	struct learning *l;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	l = &s->v[s->n];
	memset(l, 0, sizeof *l);
	l->order = (int)s->n;
	l->sources = 1;
	s->n++;
	return l;
}

long learning_set_find(const struct learning_set *s, const char *id)
{
	size_t i, j;
	if (!s || !id)
		return -1;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].id, id) == 0)
			return (long)i;
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->v[i].merged_ids.n; j++)
			if (strcmp(s->v[i].merged_ids.v[j], id) == 0)
				return (long)i;
	return -1;
}

void learning_add_evidence(struct learning *l, const struct evidence *e)
{
	l->ev = xrealloc(l->ev, (l->nev + 1) * sizeof *l->ev);
	evidence_copy(&l->ev[l->nev++], e);
}

void learning_clear(struct learning *l)
{
	size_t i;
	if (!l)
		return;
	free(l->subject);
	free(l->title);
	free(l->body);
	free(l->confidence_reason);
	for (i = 0; i < l->nev; i++)
		evidence_clear(&l->ev[i]);
	free(l->ev);
	str_list_free(&l->merged_ids);
	str_list_free(&l->components);
	free(l->out_section);
	free(l->out_issue_title);
	str_list_free(&l->out_labels);
	free(l->out_playbook);
	memset(l, 0, sizeof *l);
}

void learning_set_free(struct learning_set **sp)
{
	size_t i;
	struct learning_set *s;
	if (!sp || !*sp)
		return;
	s = *sp;
	for (i = 0; i < s->n; i++)
		learning_clear(&s->v[i]);
	free(s->v);
	str_list_free(&s->warnings);
	free(s);
	*sp = NULL;
}

int learning_set_prefix(const struct learning_set *s, size_t k)
{
	int need = 7;
	for (size_t i = 0; i < s->n; i++) {
		int c = 0;
		if (i == k)
			continue;
		while (c < 16 && s->v[i].id[2 + c] == s->v[k].id[2 + c])
			c++;
		if (c + 1 > need)
			need = c + 1;
	}
	return need > 16 ? 16 : need;
}
