/* sanitize.c - untrusted text to safe display text (see sanitize.h). */
#include "config.h"
#include "util/sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

/* ---- UTF-8 -------------------------------------------------------------- */

/* Decodes one strict UTF-8 sequence at s[0..n); returns its length and sets
 * *cp, or returns 0 when s does not start a valid sequence. */
static size_t utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* ---- widths -------------------------------------------------------------- */

struct range { uint32_t lo, hi; };

static const struct range wide_ranges[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a }, { 0x23e9, 0x23ec },
	{ 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
	{ 0xa000, 0xa4cf }, { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
	{ 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
	{ 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static const struct range zero_ranges[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x200b, 0x200d }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/* Built-in width: used when the locale cannot tell. */
static int table_width(uint32_t cp)
{
	if (in_ranges(cp, zero_ranges, sizeof zero_ranges / sizeof zero_ranges[0]))
		return 0;
	if (in_ranges(cp, wide_ranges, sizeof wide_ranges / sizeof wide_ranges[0]))
		return 2;
	return 1;
}

/* wcwidth() when the locale is multibyte, else -2 ("unknown"). */
static int locale_width(uint32_t cp)
{
	if (MB_CUR_MAX <= 1)
		return -2;
	return wcwidth((wchar_t)cp);
}

int san_cp_width(unsigned cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 1;
	if (cp < 0x7f)
		return 1;
	w = locale_width(cp);
	if (w >= 0)
		return w > 2 ? 2 : w;
	return table_width(cp);
}

int san_width(const char *utf8, size_t n)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0;
	int w = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_dec(s + i, n - i, &cp);
		if (len == 0) {
			w += 1;
			i += 1;
			continue;
		}
		w += san_cp_width(cp);
		i += len;
	}
	return w;
}

size_t san_fit(const char *utf8, size_t n, int cols, int *used)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0;
	int w = 0;

	while (i < n && cols > 0) {
		uint32_t cp;
		size_t len = utf8_dec(s + i, n - i, &cp);
		int cw = len ? san_cp_width(cp) : 1;
		if (len == 0)
			len = 1;
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	/* Zero-width marks that follow belong to the last character. */
	while (i < n && cols > 0) {
		uint32_t cp;
		size_t len = utf8_dec(s + i, n - i, &cp);
		if (len == 0 || cp < 0x300 || san_cp_width(cp) != 0)
			break;
		i += len;
	}
	if (used)
		*used = w;
	return i;
}

/* ---- the line sanitiser ------------------------------------------------ */

struct out {
	struct buf b;
	struct san_span *spans;
	size_t nspans, cap;
	int col;
	int tab;
};

static void emit(struct out *o, const char *s, size_t n, int width)
{
	buf_append(&o->b, s, n);
	o->col += width;
}

static void span_escape(struct out *o, size_t start)
{
	size_t len = o->b.len - start;

	if (len == 0)
		return;
	if (o->nspans && o->spans[o->nspans - 1].off + o->spans[o->nspans - 1].len == start) {
		o->spans[o->nspans - 1].len += len;   /* merge adjacent runs */
		return;
	}
	o->spans = xgrow(o->spans, &o->cap, o->nspans + 1, sizeof *o->spans);
	o->spans[o->nspans].off = start;
	o->spans[o->nspans].len = len;
	o->spans[o->nspans].escape = true;
	o->nspans++;
}

/* One byte of an escape sequence or control, made visible. */
static void visible_byte(struct out *o, unsigned char c)
{
	char tmp[8];

	if (c == 0x1b) {
		emit(o, "^[", 2, 2);
	} else if (c < 0x20) {
		tmp[0] = '^';
		tmp[1] = (char)(c + '@');
		emit(o, tmp, 2, 2);
	} else if (c == 0x7f) {
		emit(o, "^?", 2, 2);
	} else if (c < 0x7f) {
		tmp[0] = (char)c;
		emit(o, tmp, 1, 1);
	} else {
		static const char hex[] = "0123456789ABCDEF";
		tmp[0] = '<';
		tmp[1] = hex[c >> 4];
		tmp[2] = hex[c & 15];
		tmp[3] = '>';
		emit(o, tmp, 4, 4);
	}
}

static void visible_run(struct out *o, const unsigned char *s, size_t n)
{
	size_t start = o->b.len, i;

	for (i = 0; i < n && o->b.len < SAN_MAX_LINE; i++)
		visible_byte(o, s[i]);
	span_escape(o, start);
}

/* Length of the escape sequence starting with ESC at s[0]; *drop is set
 * when it is to be removed (SGR, OSC 8) rather than shown. */
static size_t escape_len(const unsigned char *s, size_t n, bool *drop)
{
	size_t i;

	*drop = false;
	if (n < 2)
		return 1;
	switch (s[1]) {
	case '[':   /* CSI: parameters, intermediates, final byte */
		for (i = 2; i < n && s[i] >= 0x30 && s[i] <= 0x3f; i++)
			;
		for (; i < n && s[i] >= 0x20 && s[i] <= 0x2f; i++)
			;
		if (i < n && s[i] >= 0x40 && s[i] <= 0x7e) {
			*drop = s[i] == 'm';
			return i + 1;
		}
		return i;   /* unterminated: show what there is */
	case ']':   /* OSC ... BEL or ST */
	case 'P':   /* DCS */
	case 'X':   /* SOS */
	case '^':   /* PM */
	case '_':   /* APC */
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				break;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\') {
				i++;
				break;
			}
		}
		if (s[1] == ']' && n > 3 && s[2] == '8' && s[3] == ';')
			*drop = true;
		return i < n ? i + 1 : n;
	default:
		for (i = 1; i < n && s[i] >= 0x20 && s[i] <= 0x2f; i++)
			;   /* nF: intermediates, then a final byte */
		if (i < n && s[i] >= 0x30 && s[i] <= 0x7e)
			return i + 1;
		return i;
	}
}

bool san_is_bidi(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

void san_line(const char *in, size_t n, int tab_size, struct san_text *out)
{
	const unsigned char *s = (const unsigned char *)in;
	struct out o;
	size_t i = 0;

	memset(&o, 0, sizeof o);
	memset(out, 0, sizeof *out);
	if (tab_size < 1 || tab_size > 64)
		tab_size = 8;
	buf_reserve(&o.b, n < SAN_MAX_LINE ? n + 8 : SAN_MAX_LINE + 16);
	while (i < n) {
		uint32_t cp;
		size_t len;

		if (o.b.len >= SAN_MAX_LINE) {
			out->truncated = true;
			emit(&o, "\xe2\x80\xa6", 3, 1);
			break;
		}
		if (s[i] == '\n')
			break;
		if (s[i] == '\t') {
			int spaces = tab_size - o.col % tab_size;
			while (spaces--)
				emit(&o, " ", 1, 1);
			i++;
			continue;
		}
		if (s[i] == 0x1b) {
			bool drop;
			len = escape_len(s + i, n - i, &drop);
			if (!drop)
				visible_run(&o, s + i, len);
			i += len;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			visible_run(&o, s + i, 1);
			i++;
			continue;
		}
		len = utf8_dec(s + i, n - i, &cp);
		if (len == 0) {
			if (s[i] >= 0x80 && s[i] <= 0x9f && (i == 0 || s[i - 1] < 0x80))
				visible_run(&o, s + i, 1);   /* raw C1 byte: <9B> */
			else
				emit(&o, REPLACEMENT, 3, 1);
			i++;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9f) {
			unsigned char c1 = (unsigned char)cp;
			visible_run(&o, &c1, 1);
		} else if (san_is_bidi(cp)) {
			char tmp[16];
			size_t start = o.b.len;
			int k = snprintf(tmp, sizeof tmp, "<U+%04X>", (unsigned)cp);
			emit(&o, tmp, (size_t)k, k);
			span_escape(&o, start);
		} else if (cp < 0x80) {
			emit(&o, in + i, 1, 1);
		} else {
			int w = locale_width(cp);
			if (w == -1 || cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff)
				emit(&o, REPLACEMENT, 3, 1);
			else
				emit(&o, in + i, len, san_cp_width(cp));
		}
		i += len;
	}
	out->len = o.b.len;
	out->s = buf_detach(&o.b);
	out->spans = o.spans;
	out->nspans = o.nspans;
	out->width = o.col;
}

void san_text_free(struct san_text *t)
{
	if (!t)
		return;
	free(t->s);
	free(t->spans);
	memset(t, 0, sizeof *t);
}

char *san_plain(const char *in, size_t n)
{
	struct buf b = { 0 };
	size_t i = 0;

	if (!in)
		return xstrdup("");
	while (i <= n) {
		const char *nl = memchr(in + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (in + i)) : n - i;
		struct san_text t;

		if (len && in[i + len - 1] == '\r')
			len--;   /* CRLF */
		san_line(in + i, len, 8, &t);
		buf_append(&b, t.s, t.len);
		san_text_free(&t);
		if (!nl)
			break;
		buf_putc(&b, '\n');
		i = (size_t)(nl - in) + 1;
	}
	return b.p ? buf_detach(&b) : xstrdup("");
}
