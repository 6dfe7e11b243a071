/* text.c - line iteration, ANSI stripping, UTF-8 checks. */
#include "config.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void txt_lines_init(struct txt_lines *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
	it->lineno = 0;
}

bool txt_lines_next(struct txt_lines *it, const char **line, size_t *len)
{
	const char *nl;
	size_t n;
	if (!it->p || it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	*line = it->p;
	if (n && it->p[n - 1] == '\r')
		n--;
	*len = n;
	it->p = nl ? nl + 1 : it->end;
	it->lineno++;
	return true;
}

void txt_strip_ansi(const char *in, size_t n, struct buf *out)
{
	size_t i = 0;
	buf_reserve(out, n);
	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		if (c == 0x1b && i + 1 < n && in[i + 1] == '[') {
			/* CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, final 0x40-0x7e */
			i += 2;
			while (i < n && (unsigned char)in[i] >= 0x30 && (unsigned char)in[i] <= 0x3f)
				i++;
			while (i < n && (unsigned char)in[i] >= 0x20 && (unsigned char)in[i] <= 0x2f)
				i++;
			if (i < n)
				i++;
		} else if (c == 0x1b && i + 1 < n && in[i + 1] == ']') {
			/* OSC: ends at BEL or ST (ESC \) */
			i += 2;
			while (i < n && in[i] != '\a' && !(in[i] == 0x1b && i + 1 < n && in[i + 1] == '\\'))
				i++;
			if (i < n)
				i += in[i] == '\a' ? 1 : 2;
		} else {
			buf_putc(out, (char)c);
			i++;
		}
	}
}

bool txt_utf8_valid(const char *s, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = u[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			goto invalid;
		}
		{
			size_t j;
			for (j = 1; j <= k; j++) {
				if (i + j >= n || (u[i + j] & 0xc0) != 0x80)
					goto invalid;
				cp = (cp << 6) | (u[i + j] & 0x3f);
			}
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto invalid;
		i += k + 1;
		continue;
invalid:
		if (bad)
			*bad = i;
		return false;
	}
	return true;
}

int txt_line_of(const char *s, size_t off)
{
	int line = 1;
	size_t i;
	for (i = 0; i < off && s[i]; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

char *txt_trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

bool txt_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool txt_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
