/* logmine_mask.c - §4.1 masking: typed placeholders for variable values.
 *
 * One pass per mask, in the spec's order (TS UUID MAC IP TIME HEX ID NUM);
 * each pass copies the text, replacing matches. A match counts only where
 * the characters just outside it are not letters, digits, '_' or '.'.
 * A matcher may offer several lengths (longest first, e.g. a number with
 * and without its unit); the first one whose right edge is a boundary wins.
 */
#include "config.h"
#include "analysis/logmine.h"

#include <string.h>

#define MAX_CAND 3

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '.'; }

/* Counts digits from s[i]; returns how many (at most max, 0 = any). */
static size_t digits(const char *s, size_t n, size_t i, size_t max)
{
	size_t k = 0;
	while (i + k < n && is_digit(s[i + k]) && (max == 0 || k < max))
		k++;
	return k;
}

static size_t hexes(const char *s, size_t n, size_t i)
{
	size_t k = 0;
	while (i + k < n && is_hex(s[i + k]))
		k++;
	return k;
}

/* Exactly k digits at s[i]? */
static bool ndig(const char *s, size_t n, size_t i, size_t k)
{
	return digits(s, n, i, k) == k;
}

/* ---- matchers: fill cand[] with lengths, longest first; return count ---- */

static bool word_in(const char *s, size_t n, size_t i, const char *list)
{
	/* list: three-letter words back to back */
	if (i + 3 > n)
		return false;
	for (const char *w = list; *w; w += 3)
		if (memcmp(s + i, w, 3) == 0)
			return true;
	return false;
}

/* The asctime form "Sun Jul 10 03:55:15 2005" (year optional). */
static int m_asctime(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t j = i, d;
	if (!word_in(s, n, j, "MonTueWedThuFriSatSun") || j + 3 >= n || s[j + 3] != ' ')
		return 0;
	j += 4;
	if (!word_in(s, n, j, "JanFebMarAprMayJunJulAugSepOctNovDec"))
		return 0;
	j += 3;
	while (j < n && s[j] == ' ')
		j++;
	d = digits(s, n, j, 2);
	if (d == 0 || j + d >= n || s[j + d] != ' ')
		return 0;
	j += d + 1;
	if (!ndig(s, n, j, 2) || j + 2 >= n || s[j + 2] != ':' || !ndig(s, n, j + 3, 2) ||
	    j + 5 >= n || s[j + 5] != ':' || !ndig(s, n, j + 6, 2))
		return 0;
	j += 8;
	if (j + 4 < n && s[j] == ' ' && ndig(s, n, j + 1, 4) &&
	    (j + 5 == n || !is_digit(s[j + 5]))) {
		cand[0] = j + 5 - i;
		cand[1] = j - i;
		return 2;
	}
	cand[0] = j - i;
	return 1;
}

/* ISO 8601 date-time; also the asctime form (an extension of §4.1). */
static int m_ts(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t j = i;
	if (i < n && s[i] >= 'A' && s[i] <= 'Z')
		return m_asctime(s, n, i, cand);
	if (!ndig(s, n, j, 4) || j + 4 >= n || s[j + 4] != '-' || !ndig(s, n, j + 5, 2) ||
	    j + 7 >= n || s[j + 7] != '-' || !ndig(s, n, j + 8, 2))
		return 0;
	j += 10;
	if (j >= n || (s[j] != 'T' && s[j] != 't' && s[j] != ' '))
		return 0;
	j++;
	if (!ndig(s, n, j, 2) || j + 2 >= n || s[j + 2] != ':' || !ndig(s, n, j + 3, 2))
		return 0;
	j += 5;
	if (j + 2 < n && s[j] == ':' && ndig(s, n, j + 1, 2)) {
		j += 3;
		if (j + 1 < n && (s[j] == '.' || s[j] == ',') && is_digit(s[j + 1]))
			j += 1 + digits(s, n, j + 1, 0);
	}
	if (j < n && (s[j] == 'Z' || s[j] == 'z')) {
		j++;
	} else if (j < n && (s[j] == '+' || s[j] == '-') && ndig(s, n, j + 1, 2)) {
		size_t k = j + 3;
		if (k < n && s[k] == ':')
			k++;
		if (ndig(s, n, k, 2))
			j = k + 2;
	}
	cand[0] = j - i;
	return 1;
}

static int m_uuid(const char *s, size_t n, size_t i, size_t *cand)
{
	static const size_t part[5] = { 8, 4, 4, 4, 12 };
	size_t j = i;
	for (int p = 0; p < 5; p++) {
		if (j + part[p] > n)
			return 0;
		for (size_t k = 0; k < part[p]; k++)
			if (!is_hex(s[j + k]))
				return 0;
		j += part[p];
		if (p < 4) {
			if (j >= n || s[j] != '-')
				return 0;
			j++;
		}
	}
	cand[0] = j - i;
	return 1;
}

static int m_mac(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t j = i;
	char sep = 0;
	for (int p = 0; p < 6; p++) {
		if (j + 2 > n || !is_hex(s[j]) || !is_hex(s[j + 1]))
			return 0;
		j += 2;
		if (p < 5) {
			if (j >= n || (s[j] != ':' && s[j] != '-') || (sep && s[j] != sep))
				return 0;
			sep = s[j++];
		}
	}
	cand[0] = j - i;
	return 1;
}

static int m_ip(const char *s, size_t n, size_t i, size_t *cand)
{
	int nc = 0;
	size_t j = i;
	int oct;
	for (oct = 0; oct < 4; oct++) {
		size_t d = digits(s, n, j, 3);
		if (d == 0)
			break;
		j += d;
		if (oct < 3) {
			if (j >= n || s[j] != '.')
				break;
			j++;
		}
	}
	if (oct == 4) {
		if (j + 1 < n && s[j] == ':' && is_digit(s[j + 1]))
			cand[nc++] = j + 1 + digits(s, n, j + 1, 5) - i;
		cand[nc++] = j - i;
		return nc;
	}
	/* IPv6: a run of hex digits and colons holding "::" or >= 5 colons */
	size_t colons = 0, hexd = 0;
	bool dbl = false;
	j = i;
	while (j < n && (is_hex(s[j]) || s[j] == ':')) {
		if (s[j] == ':') {
			colons++;
			if (j > i && s[j - 1] == ':')
				dbl = true;
		} else {
			hexd++;
		}
		j++;
	}
	if (hexd == 0 || (!dbl && colons < 5))
		return 0;
	cand[nc++] = j - i;
	/* a trailing ':' (end of a clause) is punctuation, not part of it */
	if (j - i > 1 && s[j - 1] == ':' && s[j - 2] != ':')
		cand[nc++] = j - 1 - i;
	return nc;
}

static int m_time(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t h = digits(s, n, i, 2), j;
	if (h == 0)
		return 0;
	j = i + h;
	if (j >= n || s[j] != ':' || !ndig(s, n, j + 1, 2) || j + 3 >= n || s[j + 3] != ':' ||
	    !ndig(s, n, j + 4, 2))
		return 0;
	j += 6;
	if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1])) {
		cand[0] = j + 1 + digits(s, n, j + 1, 0) - i;
		cand[1] = j - i;
		return 2;
	}
	cand[0] = j - i;
	return 1;
}

static int m_hex(const char *s, size_t n, size_t i, size_t *cand)
{
	if (i + 2 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && is_hex(s[i + 2])) {
		cand[0] = 2 + hexes(s, n, i + 2);
		return 1;
	}
	size_t k = hexes(s, n, i);
	bool dig = false, let = false;
	if (k < 8)
		return 0;
	for (size_t q = 0; q < k; q++) {
		if (is_digit(s[i + q]))
			dig = true;
		else
			let = true;
	}
	if (!dig || !let)
		return 0;
	cand[0] = k;
	return 1;
}

static int m_id(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t j = i, d;
	while (j < n && is_alpha(s[j]))
		j++;
	if (j == i || j >= n || (s[j] != '_' && s[j] != '-'))
		return 0;
	j++;
	if (j < n && s[j] == '-')
		j++;
	d = digits(s, n, j, 0);
	if (d < 4)
		return 0;
	j += d;
	for (;;) {
		size_t k = j + 1;
		if (j >= n || (s[j] != '_' && s[j] != '-'))
			break;
		while (k < n && (is_alpha(s[k]) || is_digit(s[k])))
			k++;
		if (k == j + 1)
			break;
		j = k;
	}
	cand[0] = j - i;
	return 1;
}

static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB", "ms",
				     "us", "ns", "B", "s", "m", "h", "d", "%" };

static int m_num(const char *s, size_t n, size_t i, size_t *cand)
{
	size_t j = i + digits(s, n, i, 0);
	int nc = 0;
	if (j == i)
		return 0;
	if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1]))
		j += 1 + digits(s, n, j + 1, 0);
	if (j + 1 < n && (s[j] == 'e' || s[j] == 'E')) {
		size_t k = j + 1;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (digits(s, n, k, 0))
			j = k + digits(s, n, k, 0);
	}
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t ul = strlen(units[u]);
		if (j + ul <= n && memcmp(s + j, units[u], ul) == 0) {
			cand[nc++] = j + ul - i;
			break;
		}
	}
	cand[nc++] = j - i;
	return nc;
}

typedef int (*matcher_fn)(const char *s, size_t n, size_t i, size_t *cand);

/* X(placeholder, matcher, needs a digit) in the order of §4.1 */
#define LM_MASK_TABLE(X)            \
	X("<TS>", m_ts, true)       \
	X("<UUID>", m_uuid, false)  \
	X("<MAC>", m_mac, false)    \
	X("<IP>", m_ip, false)      \
	X("<TIME>", m_time, true)   \
	X("<HEX>", m_hex, true)     \
	X("<ID>", m_id, true)       \
	X("<NUM>", m_num, true)

static const struct {
	const char *ph;
	matcher_fn fn;
	bool need_digit;
} masks[] = {
#define LM_X(ph, fn, nd) { ph, fn, nd },
	LM_MASK_TABLE(LM_X)
#undef LM_X
};

bool lm_is_placeholder(const char *tok, size_t n)
{
	if (n == 3 && memcmp(tok, "<*>", 3) == 0)
		return true;
	for (size_t k = 0; k < sizeof masks / sizeof *masks; k++)
		if (strlen(masks[k].ph) == n && memcmp(tok, masks[k].ph, n) == 0)
			return true;
	return false;
}

/* One pass of mask k over s[0..n), appended to out. */
static void pass(size_t k, const char *s, size_t n, struct buf *out)
{
	size_t i = 0, lit = 0;
	while (i < n) {
		size_t cand[MAX_CAND];
		int nc;
		if (i > 0 && is_word(s[i - 1])) {
			i++;
			continue;
		}
		nc = masks[k].fn(s, n, i, cand);
		for (int c = 0; c < nc; c++) {
			size_t e = i + cand[c];
			if (cand[c] == 0 || (e < n && is_word(s[e])))
				continue;
			buf_append(out, s + lit, i - lit);
			buf_puts(out, masks[k].ph);
			i = lit = e;
			goto next;
		}
		i++;
next:;
	}
	buf_append(out, s + lit, n - lit);
}

void lm_mask(const char *in, size_t n, struct buf *out)
{
	struct buf a = { 0 }, b = { 0 };
	const char *cur = in;
	size_t len = n;
	bool digit = false, colon = false, dash = false;

	for (size_t i = 0; i < n; i++) {
		if (is_digit(in[i]))
			digit = true;
		else if (in[i] == ':')
			colon = true;
		else if (in[i] == '-')
			dash = true;
	}
	for (size_t k = 0; k < sizeof masks / sizeof *masks; k++) {
		struct buf *dst = (cur == a.p) ? &b : &a;
		if (masks[k].need_digit && !digit)
			continue;
		if (masks[k].fn == m_uuid && !dash)
			continue;
		if ((masks[k].fn == m_mac || masks[k].fn == m_ip) && !colon && !digit && !dash)
			continue;
		buf_reset(dst);
		pass(k, cur, len, dst);
		cur = buf_str(dst);
		len = dst->len;
	}
	buf_append(out, cur, len);
	buf_free(&a);
	buf_free(&b);
}
