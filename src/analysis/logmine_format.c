/* logmine_format.c - Loghub header formats: find a line's Content.
 *
 * Notation (shared/data/loghub/README.md): "<Name>" is a field matched
 * lazily (any characters, possibly none), a run of spaces matches one or
 * more whitespace characters, "(...)?" is optional, every other character
 * is literal, and "<Content>" takes the rest of the line. Matching
 * backtracks; a step budget bounds the work per line so a hostile line
 * cannot make it slow (over budget = no match).
 */
#include "config.h"
#include "analysis/logmine.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define FMT_MAX_ELEMS 256
#define FMT_STEP_BUDGET 200000L

enum el_kind { EL_LIT, EL_WS, EL_FIELD, EL_CONTENT, EL_OPT };

struct el {
	enum el_kind kind;
	char c;             /* EL_LIT */
	size_t end;         /* EL_OPT: index just past its last element */
};

struct lm_fmt {
	struct el *e;
	size_t n;
	bool has_content;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static enum wz_status parse(const char *fmt, size_t *i, struct lm_fmt *f, size_t *cap, bool in_opt,
			    struct wz_err *err)
{
	while (fmt[*i]) {
		char c = fmt[*i];
		if (f->n >= FMT_MAX_ELEMS)
			return wz_err_set(err, WZ_EUSAGE, "--format: more than %d elements; shorten the format", FMT_MAX_ELEMS);
		if (c == ')' && in_opt) {
			if (fmt[*i + 1] != '?')
				return wz_err_set(err, WZ_EUSAGE, "--format: ')' at column %zu must be followed by '?' (optional part)", *i + 1);
			*i += 2;
			return WZ_OK;
		}
		f->e = xgrow(f->e, cap, f->n + 1, sizeof *f->e);
		memset(&f->e[f->n], 0, sizeof *f->e);
		if (c == ' ') {
			while (fmt[*i] == ' ')
				(*i)++;
			f->e[f->n++].kind = EL_WS;
		} else if (c == '<' && strchr(fmt + *i, '>')) {
			const char *e = strchr(fmt + *i, '>');
			size_t l = (size_t)(e - (fmt + *i)) - 1;
			if (l == 7 && strncmp(fmt + *i + 1, "Content", 7) == 0) {
				if (in_opt)
					return wz_err_set(err, WZ_EUSAGE, "--format: <Content> cannot be optional");
				f->e[f->n++].kind = EL_CONTENT;
				f->has_content = true;
				*i += l + 2;
				if (fmt[*i])
					return wz_err_set(err, WZ_EUSAGE, "--format: <Content> must come last (it takes the rest of the line)");
				return WZ_OK;
			}
			f->e[f->n++].kind = EL_FIELD;
			*i += l + 2;
		} else if (c == '(' && strstr(fmt + *i, ")?")) {
			size_t at = f->n++;
			enum wz_status st;
			f->e[at].kind = EL_OPT;
			(*i)++;
			st = parse(fmt, i, f, cap, true, err);
			if (st != WZ_OK)
				return st;
			f->e[at].end = f->n;
		} else {
			f->e[f->n].kind = EL_LIT;
			f->e[f->n++].c = c;
			(*i)++;
		}
	}
	if (in_opt)
		return wz_err_set(err, WZ_EUSAGE, "--format: '(' without a closing ')?'");
	return WZ_OK;
}

enum wz_status lm_fmt_parse(const char *fmt, struct lm_fmt **out, struct wz_err *err)
{
	struct lm_fmt *f = xcalloc(1, sizeof *f);
	size_t cap = 0, i = 0;
	enum wz_status st = parse(fmt, &i, f, &cap, false, err);
	if (st == WZ_OK && !f->has_content)
		st = wz_err_set(err, WZ_EUSAGE, "--format '%s' has no <Content> field; end it with <Content>", fmt);
	if (st != WZ_OK) {
		lm_fmt_free(f);
		*out = NULL;
		return st;
	}
	*out = f;
	return WZ_OK;
}

void lm_fmt_free(struct lm_fmt *f)
{
	if (!f)
		return;
	free(f->e);
	free(f);
}

struct mstate {
	const struct lm_fmt *f;
	const char *s;
	size_t n;
	long steps;
	size_t content;
};

/* Matches elements [k, stop) then [stop_next...): `cont` is where to go
 * after an optional part ends (the element after it). Returns true with
 * st->content set when the whole format matched. */
static bool match(struct mstate *st, size_t k, size_t pos)
{
	const struct el *e;
	if (++st->steps > FMT_STEP_BUDGET)
		return false;
	if (k >= st->f->n)
		return false;
	e = &st->f->e[k];
	switch (e->kind) {
	case EL_CONTENT:
		st->content = pos;
		return true;
	case EL_LIT:
		return pos < st->n && st->s[pos] == e->c && match(st, k + 1, pos + 1);
	case EL_WS: {
		size_t j = pos;
		while (j < st->n && is_ws(st->s[j]))
			j++;
		if (j == pos)
			return false;
		/* greedy, then give back (a field may start with whitespace) */
		for (size_t q = j; q > pos; q--)
			if (match(st, k + 1, q))
				return true;
		return false;
	}
	case EL_FIELD:
		for (size_t q = pos; q <= st->n; q++) {
			if (match(st, k + 1, q))
				return true;
			if (st->steps > FMT_STEP_BUDGET)
				return false;
		}
		return false;
	case EL_OPT:
		/* with the optional part: its elements run on into what follows */
		if (match(st, k + 1, pos))
			return true;
		return match(st, e->end, pos);
	}
	return false;
}

bool lm_fmt_content(const struct lm_fmt *f, const char *line, size_t n, size_t *off, size_t *len)
{
	struct mstate st = { f, line, n, 0, 0 };
	size_t b = 0, e = n;
	while (b < e && is_ws(line[b]))
		b++;
	while (e > b && is_ws(line[e - 1]))
		e--;
	st.s = line;
	st.n = e;
	if (!match(&st, 0, b))
		return false;
	*off = st.content;
	*len = e - st.content;
	return true;
}
