/* publish_diff.c - unified diffs for the publish plan and the content hash
 * (see publish.h). A longest-common-subsequence table over lines; inputs
 * whose table would exceed PD_MAX_CELLS are shown as a whole replacement
 * (still a correct diff, just not a minimal one). */
#include "config.h"
#include "sinks/publish.h"

#include "analysis/synthesis.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PD_MAX_CELLS ((size_t)16 << 20)
#define PD_CONTEXT 3

struct lines {
	const char **p;
	size_t *len;
	size_t n;
};

static void split(const char *s, struct lines *l)
{
	size_t cap = 16;
	l->p = xmalloc(cap * sizeof *l->p);
	l->len = xmalloc(cap * sizeof *l->len);
	l->n = 0;
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (l->n == cap) {
			cap *= 2;
			l->p = xrealloc(l->p, cap * sizeof *l->p);
			l->len = xrealloc(l->len, cap * sizeof *l->len);
		}
		l->p[l->n] = s;
		l->len[l->n++] = len;
		s = nl ? nl + 1 : s + len;
	}
}

static int eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

/* ops: ' ' keep, '-' remove (a), '+' add (b). */
static char *script(const struct lines *a, const struct lines *b, size_t *nops)
{
	size_t n = a->n, m = b->n, i, j, k = 0;
	char *ops = xmalloc(n + m + 1);
	if ((n + 1) * (m + 1) > PD_MAX_CELLS) {
		for (i = 0; i < n; i++)
			ops[k++] = '-';
		for (j = 0; j < m; j++)
			ops[k++] = '+';
	} else {
		uint32_t *t = xcalloc((n + 1) * (m + 1), sizeof *t);
#define T(x, y) t[(x) * (m + 1) + (y)]
		for (i = n; i-- > 0;)
			for (j = m; j-- > 0;)
				T(i, j) = eq(a, i, b, j) ? T(i + 1, j + 1) + 1
							 : (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
		i = j = 0;
		while (i < n || j < m) {
			if (i < n && j < m && eq(a, i, b, j)) {
				ops[k++] = ' ';
				i++;
				j++;
			} else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
				ops[k++] = '-';
				i++;
			} else {
				ops[k++] = '+';
				j++;
			}
		}
#undef T
		free(t);
	}
	*nops = k;
	return ops;
}

char *pub_unified_diff(const char *name, const char *a, const char *b, int *added, int *removed)
{
	struct lines la, lb;
	struct buf out = {0};
	size_t nops, k, i = 0, j = 0;
	char *ops;
	*added = *removed = 0;
	if (a && b && strcmp(a, b) == 0)
		return NULL;
	split(a, &la);
	split(b, &lb);
	ops = script(&la, &lb, &nops);
	buf_printf(&out, "--- %s%s\n+++ b/wisdom/%s\n", a ? "a/wisdom/" : "/dev/null", a ? name : "", name);
	k = 0;
	while (k < nops) {
		size_t s, e, ai, bj, x, na = 0, nb = 0, last;
		if (ops[k] == ' ') {
			k++;
			i++;
			j++;
			continue;
		}
		/* hunk: from k - context to the last change followed by > 2*context keeps */
		s = k > PD_CONTEXT ? k - PD_CONTEXT : 0;
		ai = i - (k - s);
		bj = j - (k - s);
		last = k;
		for (e = k; e < nops; e++) {
			if (ops[e] != ' ')
				last = e;
			else if (e - last > 2 * PD_CONTEXT)
				break;
		}
		e = last + 1 + PD_CONTEXT;
		if (e > nops)
			e = nops;
		for (x = s; x < e; x++) {
			if (ops[x] != '+')
				na++;
			if (ops[x] != '-')
				nb++;
		}
		buf_printf(&out, "@@ -%zu,%zu +%zu,%zu @@\n", na ? ai + 1 : ai, na, nb ? bj + 1 : bj, nb);
		for (x = s; x < e; x++) {
			if (ops[x] == '+') {
				buf_putc(&out, '+');
				buf_append(&out, lb.p[bj], lb.len[bj]);
				bj++;
				(*added)++;
			} else if (ops[x] == '-') {
				buf_putc(&out, '-');
				buf_append(&out, la.p[ai], la.len[ai]);
				ai++;
				(*removed)++;
			} else {
				buf_putc(&out, ' ');
				buf_append(&out, la.p[ai], la.len[ai]);
				ai++;
				bj++;
			}
			buf_putc(&out, '\n');
		}
		i = ai;
		j = bj;
		k = e;
	}
	free(ops);
	free(la.p);
	free(la.len);
	free(lb.p);
	free(lb.len);
	return buf_detach(&out);
}

void pub_hash(const char *s, char out[17])
{
	struct buf b = {0};
	uint64_t h;
	const char *p = s ? s : "";
	/* drop CRs and trailing blanks of every line and of the whole text */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		buf_append(&b, p, len);
		buf_putc(&b, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	while (b.len && b.p[b.len - 1] == '\n')
		b.p[--b.len] = '\0';
	h = syn_fnv1a64(b.p ? b.p : "", b.len);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	buf_free(&b);
}
