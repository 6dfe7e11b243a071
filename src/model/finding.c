/* finding.c - tables and constructors/destructors of findings. */
#include "config.h"
#include "model/finding.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *w; double k; } sev_tab[] = {
#define FND_X(e, w, k) [e] = {w, k},
	FND_SEVERITY_TABLE(FND_X)
#undef FND_X
};

static const struct { const char *w; double k; } conf_tab[] = {
#define FND_X(e, w, k) [e] = {w, k},
	FND_CONFIDENCE_TABLE(FND_X)
#undef FND_X
};

static const char *const ev_words[] = {
#define FND_X(e, w) [e] = w,
	FND_EVIDENCE_TABLE(FND_X)
#undef FND_X
};

const char *fnd_severity_word(enum fnd_severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_tab[s].w : "?";
}

const char *fnd_confidence_word(enum fnd_confidence c)
{
	return (unsigned)c < CONF_COUNT ? conf_tab[c].w : "?";
}

const char *fnd_ev_type_word(enum fnd_ev_type t)
{
	return (unsigned)t < EV_COUNT ? ev_words[t] : "?";
}

double fnd_severity_weight(enum fnd_severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_tab[s].k : 0.0;
}

double fnd_confidence_weight(enum fnd_confidence c)
{
	return (unsigned)c < CONF_COUNT ? conf_tab[c].k : 0.0;
}

int fnd_severity_parse(const char *w)
{
	int i;
	for (i = 0; w && i < SEV_COUNT; i++)
		if (strcmp(w, sev_tab[i].w) == 0)
			return i;
	return -1;
}

int fnd_confidence_parse(const char *w)
{
	int i;
	for (i = 0; w && i < CONF_COUNT; i++)
		if (strcmp(w, conf_tab[i].w) == 0)
			return i;
	return -1;
}

int fnd_ev_type_parse(const char *w)
{
	int i;
	for (i = 0; w && i < EV_COUNT; i++)
		if (strcmp(w, ev_words[i]) == 0)
			return i;
	return -1;
}

struct finding *finding_new(const char *analyzer, const char *kind, const char *subject,
			    const char *title)
{
	struct finding *f = xcalloc(1, sizeof *f);
	f->analyzer = xstrdup(analyzer);
	f->kind = xstrdup(kind);
	f->subject = xstrdup(subject);
	f->title = xstrdup(title);
	f->severity = SEV_INFO;
	f->confidence = CONF_MEDIUM;
	f->effect.value = f->effect.ci_low = f->effect.ci_high = NAN;
	return f;
}

struct evidence *finding_add_evidence(struct finding *f, enum fnd_ev_type type, const char *locator,
				      const char *excerpt, enum fnd_confidence conf)
{
	struct evidence *e;
	f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof *f->ev);
	e = &f->ev[f->nev++];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->locator = xstrdup(locator);
	e->excerpt = xstrdup(excerpt);
	e->analyzer = xstrdup(f->analyzer);
	e->confidence = conf;
	return e;
}

void finding_add_number(struct finding *f, const char *key, double v)
{
	f->numbers = xrealloc(f->numbers, (f->nnumbers + 1) * sizeof *f->numbers);
	f->numbers[f->nnumbers].key = xstrdup(key);
	f->numbers[f->nnumbers].v = v;
	f->nnumbers++;
}

void evidence_copy(struct evidence *dst, const struct evidence *src)
{
	*dst = *src;
	dst->locator = xstrdup(src->locator);
	dst->excerpt = xstrdup(src->excerpt);
	dst->analyzer = xstrdup(src->analyzer);
}

void evidence_clear(struct evidence *e)
{
	if (!e)
		return;
	XFREE(&e->locator);
	XFREE(&e->excerpt);
	XFREE(&e->analyzer);
}

void finding_clear(struct finding *f)
{
	size_t i;
	if (!f)
		return;
	free(f->analyzer);
	free(f->kind);
	free(f->subject);
	free(f->title);
	free(f->body);
	free(f->status);
	free(f->effect.unit);
	for (i = 0; i < f->nnumbers; i++)
		free(f->numbers[i].key);
	free(f->numbers);
	str_list_free(&f->reasons);
	str_list_free(&f->components);
	for (i = 0; i < f->nev; i++)
		evidence_clear(&f->ev[i]);
	free(f->ev);
	memset(f, 0, sizeof *f);
}

void finding_free(struct finding **fp)
{
	if (!fp || !*fp)
		return;
	finding_clear(*fp);
	free(*fp);
	*fp = NULL;
}
