/* md_tests.c - test counts from canonical lines, summaries and raw logs. */
#include "config.h"
#include "sources/md_tests.h"
#include "util/buf.h"
#include "util/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[] = {
#define MDT_X(e, key) key,
	MDT_FIELD_TABLE(MDT_X)
#undef MDT_X
};

const char *mdt_field_name(enum mdt_field f)
{
	return (unsigned)f < MDT_NFIELDS ? field_names[f] : "?";
}

/* Runner words: "5 passed", "1 failed", "2 ignored", … */
static int word_field(const char *w, size_t n)
{
	static const struct {
		const char *w;
		int f;
	} words[] = {
		{"passed", MDT_PASSED}, {"failed", MDT_FAILED}, {"ignored", MDT_SKIPPED},
		{"skipped", MDT_SKIPPED}, {"xfailed", MDT_XFAILED}, {"xpassed", MDT_XPASSED},
		{"error", MDT_ERRORS}, {"errors", MDT_ERRORS}, {"skip", MDT_SKIPPED},
		{"fail", MDT_FAILED}, {"pass", MDT_PASSED}, {"xfail", MDT_XFAILED},
		{"xpass", MDT_XPASSED}, {"errored", MDT_ERRORS},
	};
	size_t i;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].w) == n && strncasecmp(words[i].w, w, n) == 0)
			return words[i].f;
	return -1;
}

static void note_line(struct mdt_counts *out, int line)
{
	out->found = true;
	if (!out->line)
		out->line = line;
}

int mdt_kv_tokens(const char *s, size_t n, struct mdt_counts *out)
{
	size_t i = 0;
	int seen = 0;
	while (i < n) {
		size_t ks, ke, vs;
		int f;
		while (i < n && !(isalpha((unsigned char)s[i]) || s[i] == '_'))
			i++;
		ks = i;
		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		ke = i;
		if (i >= n || s[i] != '=')
			continue;
		i++;
		vs = i;
		while (i < n && !isspace((unsigned char)s[i]) && s[i] != ',' && s[i] != ';' && s[i] != '|')
			i++;
		f = word_field(s + ks, ke - ks);
		if (f < 0)
			continue;
		seen++;
		if (i > vs && isdigit((unsigned char)s[vs])) {
			double d = 0;
			size_t k;
			bool ok = true;
			for (k = vs; k < i; k++) {
				if (!isdigit((unsigned char)s[k])) {
					ok = false;
					break;
				}
				if (k - vs < 15)
					d = d * 10 + (s[k] - '0');
			}
			if (ok) {
				out->has[f] = true;
				out->v[f] = d;
			}
		}
	}
	return seen;
}

bool mdt_canonical_line(const char *text, size_t len, struct mdt_counts *out)
{
	static const char key[] = "Test Summary (Canonical)";
	struct txt_lines it;
	const char *l;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t i = 0;
		if (!n || l[0] != '#')
			continue;
		while (i < n && l[i] == '#')
			i++;
		while (i < n && l[i] == ' ')
			i++;
		if (n - i < sizeof key - 1 || memcmp(l + i, key, sizeof key - 1) != 0)
			continue;
		i += sizeof key - 1;
		if (i < n && l[i] == ':')
			i++;
		mdt_kv_tokens(l + i, n - i, out);
		note_line(out, it.lineno);
		return true;
	}
	return false;
}

bool mdt_from_summary(const struct mds *m, const char *map, const char *prefix,
		      struct mdt_counts *out)
{
	int f;
	char key[64];
	memset(out, 0, sizeof *out);
	if (!m || !m->found || !map)
		return false;
	{
		const struct mds_item *h = mds_get(m, map);
		if (!h)
			return false;
		note_line(out, h->line);
	}
	for (f = 0; f < MDT_NFIELDS; f++) {
		const struct mds_item *it;
		double d;
		snprintf(key, sizeof key, "%s%s", prefix ? prefix : "", field_names[f]);
		it = mds_get_in(m, map, key);
		if (it && mds_item_num(it, &d)) {
			out->has[f] = true;
			out->v[f] = d;
		}
	}
	return true;
}

/* Parses "N word" pairs of s[0..n); adds them to out. Returns pairs seen. */
static int count_pairs(const char *s, size_t n, struct mdt_counts *out, bool *fields)
{
	size_t i = 0;
	int seen = 0;
	while (i < n) {
		double d = 0;
		size_t ds, ws;
		int f;
		while (i < n && !isdigit((unsigned char)s[i]))
			i++;
		ds = i;
		while (i < n && isdigit((unsigned char)s[i])) {
			if (i - ds < 15)
				d = d * 10 + (s[i] - '0');
			i++;
		}
		if (ds == i)
			break;
		if (ds > 0 && (isalnum((unsigned char)s[ds - 1]) || s[ds - 1] == '.'))
			continue; /* part of a word or a decimal */
		while (i < n && s[i] == ' ')
			i++;
		ws = i;
		while (i < n && isalpha((unsigned char)s[i]))
			i++;
		f = word_field(s + ws, i - ws);
		if (f < 0)
			continue;
		out->v[f] += d;
		out->has[f] = true;
		if (fields)
			fields[f] = true;
		seen++;
	}
	return seen;
}

static void set_runner(struct mdt_counts *out, const char *name)
{
	if (!out->runner[0])
		snprintf(out->runner, sizeof out->runner, "%s", name);
	else if (strcmp(out->runner, name) != 0)
		snprintf(out->runner, sizeof out->runner, "mixed");
}

/* One runner summary line (already free of escapes). */
static bool runner_line(const char *l, size_t n, int lineno, struct mdt_counts *out)
{
	size_t i = 0, e = n;
	const char *p;
	struct mdt_counts tmp;
	int f;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	while (e > i && isspace((unsigned char)l[e - 1]))
		e--;
	if (i >= e)
		return false;
	memset(&tmp, 0, sizeof tmp);
	/* cargo: "test result: ok. 333 passed; 0 failed; 0 ignored; …" */
	p = memmem(l + i, e - i, "test result:", 12);
	if (p) {
		size_t off = (size_t)(p - l) + 12;
		if (count_pairs(l + off, e - off, &tmp, NULL) == 0)
			return false;
		set_runner(out, "cargo");
		goto add;
	}
	/* jest: "Tests:       1 failed, 5 passed, 6 total" */
	if (e - i > 6 && memcmp(l + i, "Tests:", 6) == 0) {
		if (count_pairs(l + i + 6, e - i - 6, &tmp, NULL) == 0)
			return false;
		set_runner(out, "jest");
		goto add;
	}
	/* pytest: "==== 5 passed, 1 failed in 0.10s ====" (or without the rules) */
	{
		size_t a = i, b = e;
		bool framed = false;
		while (a < b && l[a] == '=') {
			a++;
			framed = true;
		}
		while (b > a && l[b - 1] == '=')
			b--;
		while (a < b && l[a] == ' ')
			a++;
		if (a < b && isdigit((unsigned char)l[a]) && memmem(l + a, b - a, " in ", 4)) {
			const char *in = memmem(l + a, b - a, " in ", 4);
			size_t k = (size_t)(in - l) + 4;
			if (k < b && (isdigit((unsigned char)l[k]) || framed) &&
			    count_pairs(l + a, (size_t)(in - (l + a)), &tmp, NULL) > 0) {
				set_runner(out, "pytest");
				goto add;
			}
		}
	}
	return false;
add:
	for (f = 0; f < MDT_NFIELDS; f++) {
		if (tmp.has[f]) {
			out->v[f] += tmp.v[f];
			out->has[f] = true;
		}
	}
	out->nlines++;
	note_line(out, lineno);
	return true;
}

bool mdt_runner_line(const char *l, size_t n, int lineno, struct mdt_counts *out)
{
	return runner_line(l, n, lineno, out);
}

void mdt_runner_log(const char *text, size_t len, struct mdt_counts *out)
{
	struct buf b = {0};
	struct txt_lines it;
	const char *l;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!text)
		return;
	txt_strip_ansi(text, len, &b);
	txt_lines_init(&it, buf_str(&b), b.len);
	while (txt_lines_next(&it, &l, &n)) {
		/* progress output may put several states on one line with bare CRs:
		 * the last segment is what a terminal shows */
		const char *cr = n ? memrchr(l, '\r', n) : NULL;
		if (cr) {
			n -= (size_t)(cr + 1 - l);
			l = cr + 1;
		}
		runner_line(l, n, it.lineno, out);
	}
	buf_free(&b);
}

/* `passed: 12`, `**Failed**: 0`, `| Passed | 12 |` */
static bool labelled_counts(const char *l, size_t n, int lineno, struct mdt_counts *out)
{
	size_t i = 0;
	bool any = false;
	while (i < n) {
		size_t ws, we;
		int f;
		while (i < n && !isalpha((unsigned char)l[i]))
			i++;
		ws = i;
		while (i < n && isalpha((unsigned char)l[i]))
			i++;
		we = i;
		if (ws == we)
			break;
		f = word_field(l + ws, we - ws);
		if (f < 0 || (ws > 0 && (isalnum((unsigned char)l[ws - 1]) || l[ws - 1] == '_')))
			continue;
		{
			size_t k = we;
			bool sep = false;
			while (k < n && (l[k] == ' ' || l[k] == '*' || l[k] == ':' || l[k] == '|' || l[k] == '\t')) {
				if (l[k] == ':' || l[k] == '|')
					sep = true;
				k++;
			}
			if (sep && k < n && isdigit((unsigned char)l[k]) && !out->has[f]) {
				double d = 0;
				size_t s = k;
				while (k < n && isdigit((unsigned char)l[k])) {
					if (k - s < 15)
						d = d * 10 + (l[k] - '0');
					k++;
				}
				if (k < n && (isalpha((unsigned char)l[k]) || l[k] == '.' || l[k] == '%'))
					continue;
				out->has[f] = true;
				out->v[f] = d;
				any = true;
			}
		}
	}
	if (any)
		note_line(out, lineno);
	return any;
}

bool mdt_summary_md(const char *text, size_t len, struct mdt_counts *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (memmem(l, n, "passed=", 7) && mdt_kv_tokens(l, n, out) > 0) {
			note_line(out, it.lineno);
			return true;
		}
	}
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n))
		labelled_counts(l, n, it.lineno, out);
	if (out->found)
		return true;
	mdt_runner_log(text, len, out);
	return out->found;
}

bool mdt_runner_summary_line(const char *text, size_t len, struct mdt_counts *out)
{
	static const char key[] = "Test Runner Summary (Canonical)";
	struct txt_lines it;
	const char *l;
	size_t n;
	bool after = false;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (!after) {
			const char *k = (n && l[0] == '#') ? memmem(l, n, key, sizeof key - 1) : NULL;
			if (!k)
				continue;
			{
				size_t off = (size_t)(k - l) + sizeof key - 1;
				if (off < n && l[off] == ':')
					off++;
				if (runner_line(l + off, n - off, it.lineno, out) ||
				    (memmem(l + off, n - off, "passed=", 7) &&
				     mdt_kv_tokens(l + off, n - off, out) > 0)) {
					note_line(out, it.lineno);
					return true;
				}
			}
			after = true;
			continue;
		}
		if (n == 0)
			continue;
		if (l[0] == '#' || mds_is_fence(l, n)) {
			if (l[0] == '#')
				return false;
			continue;
		}
		if (runner_line(l, n, it.lineno, out))
			return true;
		if (memmem(l, n, "passed=", 7) && mdt_kv_tokens(l, n, out) > 0) {
			note_line(out, it.lineno);
			return true;
		}
		if (labelled_counts(l, n, it.lineno, out))
			return true;
		return false;
	}
	return false;
}

bool mdt_coverage_line(const char *text, size_t len, struct mdt_coverage *out)
{
	static const char key[] = "Coverage Result (Canonical)";
	struct txt_lines it;
	const char *l;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		const char *k;
		size_t i;
		if (!n || l[0] != '#' || !(k = memmem(l, n, key, sizeof key - 1)))
			continue;
		out->found = true;
		out->line = it.lineno;
		i = (size_t)(k - l) + sizeof key - 1;
		while (i < n) {
			double d = 0, frac = 0, scale = 1;
			size_t s;
			bool dot = false;
			if (!isdigit((unsigned char)l[i])) {
				i++;
				continue;
			}
			s = i;
			while (i < n && (isdigit((unsigned char)l[i]) || (l[i] == '.' && !dot))) {
				if (l[i] == '.')
					dot = true;
				else if (dot)
					frac += (l[i] - '0') / (scale *= 10);
				else if (i - s < 15)
					d = d * 10 + (l[i] - '0');
				i++;
			}
			d += frac;
			if (i < n && l[i] == '%' && !out->has_percent) {
				out->has_percent = true;
				out->percent = d;
			} else if (i < n && l[i] == '/' && !out->has_lines) {
				double t = 0;
				size_t ts = ++i;
				while (i < n && isdigit((unsigned char)l[i])) {
					if (i - ts < 15)
						t = t * 10 + (l[i] - '0');
					i++;
				}
				if (i > ts) {
					out->has_lines = true;
					out->covered = d;
					out->total = t;
				}
			}
		}
		return true;
	}
	return false;
}
