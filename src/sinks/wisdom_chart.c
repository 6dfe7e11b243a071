/* wisdom_chart.c - mermaid xychart-beta trend blocks (see wisdom_chart.h). */
#include "sinks/wisdom_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/coverage.h"
#include "sources/cov_evidence.h"
#include "sources/testhist.h"
#include "util/xalloc.h"

/* Length of a valid UTF-8 sequence starting at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (need == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0;   /* overlong */
	if (need == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0;   /* surrogate */
	if (need == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return need;
}

/* Skips an ANSI escape sequence starting at s[0] == ESC; returns its length. */
static size_t ansi_len(const unsigned char *s, size_t n)
{
	size_t i;
	if (n < 2)
		return 1;
	if (s[1] == '[') {          /* CSI: parameters then a final byte 0x40-0x7e */
		for (i = 2; i < n; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7e)
				return i + 1;
		return n;
	}
	if (s[1] == ']') {          /* OSC: up to BEL or ESC \ */
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	return 2;                   /* two-byte escape */
}

static void label_max(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, out = 0;
	bool space = false;
	while (i < n) {
		size_t k;
		if (out >= max) {
			buf_puts(b, "...");
			return;
		}
		if (p[i] == 0x1b) {
			i += ansi_len(p + i, n - i);
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (!space && out)
				buf_putc(b, ' '), out++;
			space = true;
			i++;
			continue;
		}
		space = false;
		if (p[i] == '"' || p[i] == '`') {
			buf_putc(b, '\'');
			out++;
			i++;
			continue;
		}
		k = utf8_len(p + i, n - i);
		if (!k) {
			buf_putc(b, '?');
			out++;
			i++;
			continue;
		}
		if (k == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {   /* C1 controls */
			if (!space && out)
				buf_putc(b, ' '), out++;
			space = true;
			i += 2;
			continue;
		}
		buf_append(b, p + i, k);
		out += k;
		i += k;
	}
}

void wch_label(struct buf *b, const char *s)
{
	label_max(b, s, WCH_LABEL_MAX);
}

/* A number as written into the block: up to 2 decimals, no trailing zeros. */
static void num(struct buf *b, double v)
{
	char t[64];
	size_t n;
	snprintf(t, sizeof t, "%.2f", v);
	n = strlen(t);
	while (n > 0 && t[n - 1] == '0')
		t[--n] = '\0';
	if (n > 0 && t[n - 1] == '.')
		t[--n] = '\0';
	if (strcmp(t, "-0") == 0)
		strcpy(t, "0");
	buf_puts(b, t);
}

static bool usable(const struct wch_chart *c, const struct wch_point *p)
{
	return isfinite(p->line) && (!c->has_bar || isfinite(p->bar));
}

static void series(struct buf *b, const struct wch_chart *c, const char *kind, bool bar)
{
	size_t i;
	bool first = true;
	buf_printf(b, "    %s [", kind);
	for (i = 0; i < c->n; i++) {
		if (!usable(c, &c->v[i]))
			continue;
		if (!first)
			buf_puts(b, ", ");
		first = false;
		num(b, bar ? c->v[i].bar : c->v[i].line);
	}
	buf_puts(b, "]\n");
}

size_t wch_render(struct buf *b, const struct wch_chart *c)
{
	size_t i, k = 0;
	bool first = true;
	for (i = 0; i < c->n; i++)
		if (usable(c, &c->v[i]))
			k++;
	if (k < 2)
		return 0;
	buf_puts(b, "\n```mermaid\nxychart-beta\n    title \"");
	label_max(b, c->title, WCH_TITLE_MAX);
	buf_puts(b, "\"\n    x-axis [");
	for (i = 0; i < c->n; i++) {
		if (!usable(c, &c->v[i]))
			continue;
		buf_puts(b, first ? "\"" : ", \"");
		first = false;
		wch_label(b, c->v[i].label);
		buf_putc(b, '"');
	}
	buf_puts(b, "]\n    y-axis \"");
	label_max(b, c->y_label, WCH_TITLE_MAX);
	buf_putc(b, '"');
	if (isfinite(c->y_min) && isfinite(c->y_max) && c->y_min < c->y_max) {
		buf_putc(b, ' ');
		num(b, c->y_min);
		buf_puts(b, " --> ");
		num(b, c->y_max);
	}
	buf_putc(b, '\n');
	if (c->has_bar)
		series(b, c, "bar", true);
	series(b, c, "line", false);
	buf_puts(b, "```\n");
	return k;
}

static void push(struct wch_series *s, const char *id, double value, double bar)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n].label = xstrdup(id ? id : "?");
	s->v[s->n].value = value;
	s->v[s->n].bar = bar;
	s->n++;
}

void wch_series_shorten(struct wch_series *s)
{
	size_t i, common, cut = 0;
	if (s->n < 2)
		return;
	common = strlen(s->v[0].label);
	for (i = 1; i < s->n; i++) {
		size_t j = 0;
		while (j < common && s->v[i].label[j] && s->v[i].label[j] == s->v[0].label[j])
			j++;
		common = j;
	}
	for (i = 0; i < common; i++)
		if (s->v[0].label[i] == '-' || s->v[0].label[i] == '_')
			cut = i + 1;
	for (i = 0; i < s->n; i++)
		if (!s->v[i].label[cut])
			cut = 0;   /* an id would vanish: keep them whole */
	for (i = 0; i < s->n; i++) {
		char *l = s->v[i].label;
		size_t len = strlen(l + cut);
		memmove(l, l + cut, len + 1);
		if (len > WCH_LABEL_MAX)
			l[WCH_LABEL_MAX] = '\0';
	}
}

static void gather_coverage(const struct run *r, struct wch_series *s)
{
	struct cov_evidence **hist = NULL, *head;
	size_t n = 0, i;
	double ht = NAN;
	struct wz_err err;
	struct cov_total t;
	if (cov_gather_history(r, &hist, &n, &ht, &err) != WZ_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		t = cov_evidence_line_total(hist[i]);
		push(s, hist[i]->run_id, t.has ? t.percent : NAN, NAN);
	}
	cov_history_free(&hist, &n);
	head = cov_gather(r, "", ht, true);
	t = cov_evidence_line_total(head);
	push(s, r->id, t.has ? t.percent : NAN, NAN);
	cov_evidence_free(&head);
}

static void push_tests(struct wch_series *s, const struct th_run *tr)
{
	bool has = tr->executed > 0;   /* earlier runs keep counts, not reports */
	push(s, tr->run_id, has ? (double)tr->executed : NAN, has ? (double)tr->failed : NAN);
}

static void gather_tests(const struct run *r, struct wch_series *s)
{
	struct th_history *h = NULL;
	struct wz_err err;
	size_t i;
	if (th_gather(r, &h, &err) != WZ_OK)
		return;
	for (i = 0; i < h->nearlier; i++)
		push_tests(s, &h->earlier[i]);
	push_tests(s, &h->cur);
	th_history_free(&h);
}

void wch_trend_gather(const struct run *r, struct wch_trend *t)
{
	memset(t, 0, sizeof *t);
	if (!r)
		return;
	gather_coverage(r, &t->coverage);
	gather_tests(r, &t->tests);
	wch_series_shorten(&t->coverage);
	wch_series_shorten(&t->tests);
}

static void series_clear(struct wch_series *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i].label);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void wch_trend_clear(struct wch_trend *t)
{
	series_clear(&t->coverage);
	series_clear(&t->tests);
}

static void chart(struct buf *b, const struct wch_series *s, const char *title, const char *y_label, double lo,
		  double hi, bool has_bar)
{
	struct wch_point *p = xcalloc(s->n ? s->n : 1, sizeof *p);
	struct wch_chart c = {title, y_label, lo, hi, has_bar, p, s->n};
	size_t i;
	for (i = 0; i < s->n; i++) {
		p[i].label = s->v[i].label;
		p[i].line = s->v[i].value;
		p[i].bar = s->v[i].bar;
	}
	wch_render(b, &c);
	free(p);
}

void wch_trend_md(struct buf *b, const struct wch_trend *t)
{
	size_t i;
	double hi = 0;
	if (!t)
		return;
	chart(b, &t->coverage, "Line coverage per run (oldest to newest)", "line coverage (%)", 0, 100, false);
	for (i = 0; i < t->tests.n; i++)
		if (isfinite(t->tests.v[i].value) && t->tests.v[i].value > hi)
			hi = t->tests.v[i].value;
	chart(b, &t->tests, "Tests per run: executed (line), failed (bars)", "tests", 0, hi > 0 ? hi : 1, true);
}
