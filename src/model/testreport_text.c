/* testreport_text.c - the text side of the report model: failure messages,
 * source locations found in free text, declared values, untrusted numbers,
 * and terminal-safe copies. */
#include "config.h"
#include "model/testreport.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies at most max bytes, cutting on a UTF-8 boundary, marking the cut. */
static char *bounded_dup(const char *s, size_t n, size_t max)
{
	char *out;
	if (n <= max)
		return xstrndup(s, n);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	out = xmalloc(max + 64);
	memcpy(out, s, max);
	snprintf(out + max, 64, " [... %zu more bytes]", n - max);
	return out;
}

void tr_case_set_message(struct tr_case *c, const char *msg, const char *text)
{
	const char *src = msg && *msg ? msg : text;

	if (!(c->in_arena & (1u << TR_F_MESSAGE)))
		free(c->message);
	c->message = NULL;
	if (!(c->in_arena & (1u << TR_F_TEXT)))
		free(c->text);
	c->text = NULL;
	c->in_arena &= (unsigned char)~((1u << TR_F_MESSAGE) | (1u << TR_F_TEXT));
	if (text) {
		size_t n = strlen(text);
		/* Trim the indentation XML writers put around element text. */
		while (n > 0 && isspace((unsigned char)text[n - 1]))
			n--;
		while (n > 0 && (*text == '\n' || *text == '\r')) {
			text++;
			n--;
		}
		if (n > 0)
			c->text = bounded_dup(text, n, TR_TEXT_MAX);
	}
	if (!src)
		return;
	/* First non-empty line. */
	for (;;) {
		const char *nl = strpbrk(src, "\r\n");
		const char *b = src, *e = nl ? nl : src + strlen(src);
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b) {
			c->message = bounded_dup(b, (size_t)(e - b), TR_MESSAGE_MAX);
			return;
		}
		if (!nl)
			return;
		src = nl + 1;
	}
}

/* ---- source locations in free text ---- */

static bool path_char(unsigned char ch)
{
	return isalnum(ch) || ch == '/' || ch == '\\' || ch == '.' || ch == '_' || ch == '-' ||
	       ch == '+' || ch == '@' || ch == '~' || ch >= 0x80;
}

/* Finds "<path>:<digits>" where path has a letter and a dot extension;
 * skips frames under node_modules and URLs. Returns true and fills out. */
static bool scan_path_line(const char *s, char **file, long *line)
{
	const char *p;
	for (p = strchr(s, ':'); p; p = strchr(p + 1, ':')) {
		const char *b = p, *d = p + 1;
		bool dot = false, alpha = false;
		long v = 0;
		if (!isdigit((unsigned char)*d))
			continue;
		while (b > s && path_char((unsigned char)b[-1]))
			b--;
		/* Windows drive letter: C:\x\y.cs:12 */
		if (b - s >= 2 && b[-1] == ':' && isalpha((unsigned char)b[-2]) &&
		    (b - s == 2 || !path_char((unsigned char)b[-3])) && (*b == '\\' || *b == '/'))
			b -= 2;
		if (b == p)
			continue;
		for (const char *q = b; q < p; q++) {
			if (*q == '.' && q + 1 < p && isalpha((unsigned char)q[1]))
				dot = true;
			if (isalpha((unsigned char)*q))
				alpha = true;
		}
		if (!dot || !alpha)
			continue;
		if (b - s >= 3 && strncmp(b - 3, "://", 3) == 0)
			continue;
		if (memmem(b, (size_t)(p - b), "node_modules", 12))
			continue;
		while (isdigit((unsigned char)*d) && v < 100000000)
			v = v * 10 + (*d++ - '0');
		if (v <= 0)
			continue;
		*file = xstrndup(b, (size_t)(p - b));
		*line = v;
		return true;
	}
	return false;
}

/* "File: <path>" ... "Line: <n>" (CUnit style). */
static bool scan_file_line_labels(const char *s, char **file, long *line)
{
	const char *f = strstr(s, "File: "), *l = strstr(s, "Line: ");
	const char *e;
	char *end;
	long v;
	if (!f || !l)
		return false;
	f += 6;
	e = f + strcspn(f, "\r\n");
	while (e > f && isspace((unsigned char)e[-1]))
		e--;
	errno = 0;
	v = strtol(l + 6, &end, 10);
	if (e == f || end == l + 6 || errno || v <= 0)
		return false;
	*file = xstrndup(f, (size_t)(e - f));
	*line = v;
	return true;
}

void tr_case_find_location(struct tr_case *c)
{
	const char *srcs[2] = { c->message, c->text };
	if (c->file)
		return;
	for (int i = 0; i < 2; i++) {
		if (!srcs[i])
			continue;
		if (scan_file_line_labels(srcs[i], &c->file, &c->line) ||
		    scan_path_line(srcs[i], &c->file, &c->line)) {
			c->in_arena &= (unsigned char)~(1u << TR_F_FILE);   /* a heap copy */
			return;
		}
	}
}

/* ---- declared values ---- */

void tr_add_declared(struct tr_report *r, const char *key, const char *raw)
{
	struct tr_declared *d = NULL;
	char *end;
	double v;
	for (size_t i = 0; i < r->ndeclared; i++)
		if (strcmp(r->declared[i].key, key) == 0)
			d = &r->declared[i];
	if (!d) {
		r->declared = xgrow(r->declared, &r->declared_cap, r->ndeclared + 1, sizeof *r->declared);
		d = &r->declared[r->ndeclared++];
		memset(d, 0, sizeof *d);
		d->key = xstrdup(key);
	}
	free(d->raw);
	d->raw = bounded_dup(raw, strlen(raw), 64);
	errno = 0;
	v = strtod(raw, &end);
	while (end && isspace((unsigned char)*end))
		end++;
	d->valid = end != raw && *end == '\0' && errno == 0 && isfinite(v) && v >= 0;
	d->value = d->valid ? v : 0;
}

const struct tr_declared *tr_get_declared(const struct tr_report *r, const char *key)
{
	for (size_t i = 0; i < r->ndeclared; i++)
		if (strcmp(r->declared[i].key, key) == 0)
			return &r->declared[i];
	return NULL;
}

/* ---- numbers ---- */

bool tr_parse_count(const char *s, long long *out)
{
	char *end;
	double v;
	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end || errno || !isfinite(v) || v < 0 || v > 9e15)
		return false;
	*out = (long long)v;
	return true;
}

bool tr_parse_seconds(const char *s, double *out)
{
	char tmp[64];
	size_t n = 0;
	char *end;
	double v;
	if (!s)
		return false;
	/* "1,234.5" thousands separators; "0,5" decimal comma. */
	for (const char *p = s; *p && n + 1 < sizeof tmp; p++) {
		if (*p == ',') {
			if (!strchr(s, '.'))
				tmp[n++] = '.';
			continue;
		}
		tmp[n++] = *p;
	}
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == tmp || *end || errno || !isfinite(v) || v < 0 || v >= 1e9)
		return false;
	*out = v;
	return true;
}

unsigned long long tr_sat_add(unsigned long long a, unsigned long long b)
{
	return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

unsigned long long tr_parse_hits(const char *s, bool *saturated)
{
	unsigned long long v = 0;
	const char *p = s;
	if (saturated)
		*saturated = false;
	if (!s)
		return 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-')
		return 0;    /* negative counts (broken gcov) mean "not hit" */
	if (*p == '+')
		p++;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10) {
			if (saturated)
				*saturated = true;
			return ULLONG_MAX;
		}
		v = v * 10 + d;
	}
	if (*p == '.' || *p == 'e' || *p == 'E') {   /* "1.0", "2e3" */
		double dv = strtod(s, NULL);
		if (!isfinite(dv) || dv >= 1.8e19) {
			if (saturated)
				*saturated = true;
			return ULLONG_MAX;
		}
		return dv > 0 ? (unsigned long long)dv : 0;
	}
	return v;
}

/* ---- terminal-safe text ---- */

static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;
	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3) {
		cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	} else if (len == 4) {
		cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		if (cp < 0x10000 || cp > 0x10FFFF)
			return 0;
	} else {
		cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		if (cp >= 0x80 && cp < 0xA0)   /* C1 controls (CSI 0x9B...) */
			return 0;
	}
	return len;
}

void tr_sanitize(struct buf *out, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char ch = p[i];
		if (ch == '\n' && keep_newlines) {
			buf_putc(out, '\n');
			i++;
		} else if (ch == '\n') {
			buf_puts(out, "\\n");
			i++;
		} else if (ch == '\t') {
			buf_putc(out, keep_newlines ? '\t' : ' ');
			i++;
		} else if (ch < 0x20) {
			buf_putc(out, '^');
			buf_putc(out, (char)(ch + 0x40));
			i++;
		} else if (ch == 0x7F) {
			buf_puts(out, "^?");
			i++;
		} else if (ch < 0x80) {
			buf_putc(out, (char)ch);
			i++;
		} else {
			size_t l = utf8_len(p + i, n - i);
			unsigned cp = 0;
			for (size_t k = 0; k < l; k++)   /* valid UTF-8: plain decode */
				cp = k ? (cp << 6) | (p[i + k] & 0x3Fu) : p[i] & (0x7Fu >> l);
			if (l == 0) {
				buf_printf(out, "\\x%02X", ch);
				i++;
			} else if (san_is_bidi(cp)) {
				buf_printf(out, "<U+%04X>", cp);   /* never reorder the terminal */
				i += l;
			} else {
				buf_append(out, p + i, l);
				i += l;
			}
		}
	}
}
