/* md_logscan.c - runner-log counts from a stream of blocks (see header). */
#include "config.h"
#include "sources/md_logscan.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Escape states: where txt_strip_ansi() would be after the last byte. */
enum { E_NONE, E_ESC, E_CSI_P, E_CSI_I, E_OSC, E_OSC_ESC };

void mdt_logscan_init(struct mdt_logscan *s, size_t line_max)
{
	memset(s, 0, sizeof *s);
	s->seg_cap = line_max ? line_max : MDT_LINE_MAX;
	s->seg = xmalloc(s->seg_cap);
}

void mdt_logscan_free(struct mdt_logscan *s)
{
	free(s->seg);
	s->seg = NULL;
	s->seg_cap = 0;
}

/* ---- UTF-8 check of the raw bytes (txt_utf8_valid, across blocks) ------- */

static void bad_at(struct mdt_logscan *s, unsigned long long off, const char *blk, size_t upto)
{
	unsigned long long nl = s->raw_lines;
	size_t i;
	s->has_bad_utf8 = true;
	s->bad_utf8 = off;
	for (i = 0; blk && i < upto; i++)
		if (blk[i] == '\n')
			nl++;
	s->bad_utf8_line = (int)(nl + 1);
}

static void utf8_check(struct mdt_logscan *s, const char *data, size_t n)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t i = 0;
	if (s->has_bad_utf8)
		return;
	while (i < n) {
		unsigned c = u[i];
		if (s->u_need) {
			if ((c & 0xc0) != 0x80) {
				bad_at(s, s->u_start, data, i);
				return;
			}
			s->u_cp = (s->u_cp << 6) | (c & 0x3f);
			if (++s->u_have == s->u_need) {
				unsigned cp = s->u_cp;
				int k = s->u_need;
				s->u_need = 0;
				if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
				    (cp >= 0xd800 && cp <= 0xdfff)) {
					bad_at(s, s->u_start, data, i);
					return;
				}
			}
			i++;
			continue;
		}
		if (c < 0x80) {
			/* ASCII runs, eight bytes at a time */
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, u + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			while (i < n && u[i] < 0x80)
				i++;
			continue;
		}
		s->u_start = s->bytes + i;
		s->u_have = 0;
		if (c >= 0xc2 && c <= 0xdf) {
			s->u_need = 1;
			s->u_cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			s->u_need = 2;
			s->u_cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			s->u_need = 3;
			s->u_cp = c & 0x07;
		} else {
			bad_at(s, s->u_start, data, i);
			return;
		}
		i++;
	}
}

/* ---- lines of the escape-free text --------------------------------------- */

static void seg_put(struct mdt_logscan *s, const char *p, size_t n)
{
	size_t room = s->seg_cap - s->seg_len, k = n < room ? n : room;
	if (k) {
		if (p)
			memcpy(s->seg + s->seg_len, p, k);
		else
			memset(s->seg + s->seg_len, 0, k);
		s->seg_len += k;
	}
	s->seg_total += n;
	s->line_open = true;
}

static void seg_reset(struct mdt_logscan *s)
{
	s->seg_len = 0;
	s->seg_total = 0;
}

/* False only when mdt_runner_line() would surely say no: it needs
 * "test result:" somewhere, or (after spaces) "Tests:", or a digit after
 * '=' rules and spaces. Most log lines fail this cheap test. */
static bool maybe_runner(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i < n && (l[i] == 'T' || l[i] == '=' || isdigit((unsigned char)l[i])))
		return true;
	/* a plain loop: test names are full of "::", memchr per colon costs more */
	for (i = 11; i < n; i++)
		if (l[i] == ':' && l[i - 1] == 't' && memcmp(l + i - 11, "test result", 11) == 0)
			return true;
	return false;
}

static void line_end(struct mdt_logscan *s)
{
	s->lineno++;
	if (s->seg_total > s->longest)
		s->longest = s->seg_total;
	if (s->seg_total > s->seg_len) {
		if (!s->ncut)
			s->first_cut_line = s->lineno;
		s->ncut++;
	}
	if (maybe_runner(s->seg, s->seg_len))
		mdt_runner_line(s->seg, s->seg_len, s->lineno, &s->counts);
	seg_reset(s);
	s->pending_cr = false;
	s->line_open = false;
}

/* One byte of escape-free text. */
static void text_byte(struct mdt_logscan *s, char c)
{
	if (c == '\n') {
		line_end(s);
		return;
	}
	if (s->pending_cr) {          /* a bare CR: the segment starts again */
		seg_reset(s);
		s->pending_cr = false;
	}
	if (c == '\r') {
		s->pending_cr = true;
		s->line_open = true;
		return;
	}
	seg_put(s, &c, 1);
}

/* One raw byte, through the escape states (txt_strip_ansi's rules). */
static void raw_byte(struct mdt_logscan *s, char c)
{
	unsigned char u = (unsigned char)c;
	switch (s->esc) {
	case E_NONE:
		if (c == 0x1b)
			s->esc = E_ESC;
		else
			text_byte(s, c);
		return;
	case E_ESC:
		if (c == '[') {
			s->esc = E_CSI_P;
		} else if (c == ']') {
			s->esc = E_OSC;
		} else {              /* a lone ESC is text */
			s->esc = E_NONE;
			text_byte(s, 0x1b);
			raw_byte(s, c);
		}
		return;
	case E_CSI_P:
		if (u >= 0x30 && u <= 0x3f)
			return;
		if (u >= 0x20 && u <= 0x2f) {
			s->esc = E_CSI_I;
			return;
		}
		break;                /* the final byte */
	case E_CSI_I:
		if (u >= 0x20 && u <= 0x2f)
			return;
		break;
	case E_OSC:
	case E_OSC_ESC:
		if (s->esc == E_OSC_ESC && c == '\\') {
			s->esc = E_NONE;
		} else if (c == '\a') {
			s->esc = E_NONE;
		} else {
			s->esc = c == 0x1b ? E_OSC_ESC : E_OSC;
		}
		return;
	default:
		break;
	}
	s->esc = E_NONE;          /* a CSI's final byte: consumed */
}

static const char *next_of(const char *p, const char *end, int c)
{
	const char *q = memchr(p, c, (size_t)(end - p));
	return q ? q : end;
}

void mdt_logscan_feed(struct mdt_logscan *s, const char *data, size_t n)
{
	const char *p, *end, *nl, *cr, *es;
	if (!n || s->finished)
		return;
	if (!data) {                   /* a hole of n NUL bytes */
		if (s->u_need && !s->has_bad_utf8)
			bad_at(s, s->u_start, NULL, 0);
		while (n && (s->esc != E_NONE || s->pending_cr) && s->esc != E_OSC &&
		       s->esc != E_OSC_ESC) {
			raw_byte(s, 0);
			s->bytes++;
			n--;
		}
		if (s->esc == E_OSC_ESC)
			s->esc = E_OSC;
		if (n && s->esc == E_NONE)
			seg_put(s, NULL, n);
		s->bytes += n;
		return;
	}
	utf8_check(s, data, n);
	p = data;
	end = data + n;
	nl = cr = es = NULL;
	while (p < end) {
		if (s->esc == E_NONE && !s->pending_cr) {
			const char *q;
			/* the next LF, CR and ESC, each searched again only once passed */
			if (!nl || nl < p)
				nl = next_of(p, end, '\n');
			if (!cr || cr < p)
				cr = next_of(p, end, '\r');
			if (!es || es < p)
				es = next_of(p, end, 0x1b);
			q = nl < cr ? nl : cr;
			q = q < es ? q : es;
			if (q == nl && q < end && !s->line_open && (size_t)(q - p) <= s->seg_cap) {
				/* a whole plain line inside the block: read in place */
				s->lineno++;
				if ((unsigned long long)(q - p) > s->longest)
					s->longest = (unsigned long long)(q - p);
				if (maybe_runner(p, (size_t)(q - p)))
					mdt_runner_line(p, (size_t)(q - p), s->lineno, &s->counts);
				s->raw_lines++;
				p = q + 1;
				continue;
			}
			if (q > p) {
				seg_put(s, p, (size_t)(q - p));
				p = q;
				continue;
			}
		}
		if (*p == '\n')
			s->raw_lines++;
		raw_byte(s, *p++);
	}
	s->bytes += n;
}

void mdt_logscan_finish(struct mdt_logscan *s)
{
	if (s->finished)
		return;
	if (s->u_need && !s->has_bad_utf8)
		bad_at(s, s->u_start, NULL, 0);
	if (s->esc == E_ESC) {        /* ESC as the last byte is text */
		s->esc = E_NONE;
		text_byte(s, 0x1b);
	}
	if (s->line_open)
		line_end(s);
	s->finished = true;
}

static bool feed_block(void *arg, const char *data, size_t n, unsigned long long off)
{
	(void)off;
	mdt_logscan_feed(arg, data, n);
	return true;
}

enum wz_status mdt_logscan_file(const char *path, size_t block, size_t line_max,
				struct mdt_logscan *s, struct wz_err *err)
{
	enum wz_status st;
	mdt_logscan_init(s, line_max);
	st = fio_stream(path, block, NULL, feed_block, s, NULL, err);
	if (st == WZ_OK)
		mdt_logscan_finish(s);
	return st;
}
