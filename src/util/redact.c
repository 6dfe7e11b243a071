/* redact.c - secret redaction (see redact.h). */
#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/redact.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Lines longer than this are scanned in overlapping windows so that one
 * huge line with many matches cannot make regexec quadratic. */
#define RD_WINDOW ((size_t)64 << 10)
#define RD_STEP ((size_t)32 << 10)
/* User pattern files bigger than this are refused. */
#define RD_FILE_MAX ((size_t)1 << 20)

struct rd_rule {
	enum redact_rule id;
	regex_t re;
	int group;
};

struct redactor {
	struct rd_rule *rules;
	size_t n, cap;
};

struct rd_span {
	size_t so, eo;
	enum redact_rule rule;
};

struct rd_spans {
	struct rd_span *v;
	size_t n, cap;
};

static const char *const rule_names[RD_COUNT] = {
#define RD_X(e, name, re, grp, icase) [e] = name,
	REDACT_RULE_TABLE(RD_X)
#undef RD_X
	[RD_USER] = "user",
	[RD_KNOWN] = "known-secret",
};

const char *redact_rule_name(enum redact_rule r)
{
	return (unsigned)r < RD_COUNT ? rule_names[r] : "secret";
}

static void add_rule(struct redactor *r, enum redact_rule id, const regex_t *re, int group)
{
	r->rules = xgrow(r->rules, &r->cap, r->n + 1, sizeof *r->rules);
	r->rules[r->n].id = id;
	r->rules[r->n].re = *re;
	r->rules[r->n].group = group;
	r->n++;
}

struct redactor *redact_new(void)
{
	struct redactor *r = xcalloc(1, sizeof *r);
	static const struct {
		enum redact_rule id;
		const char *re;
		int group, icase;
	} builtin[] = {
#define RD_X(e, name, re, grp, icase) {e, re, grp, icase},
		REDACT_RULE_TABLE(RD_X)
#undef RD_X
	};
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
		regex_t re;
		if (!builtin[i].re)
			continue;
		int fl = REG_EXTENDED | REG_NEWLINE | (builtin[i].icase ? REG_ICASE : 0);
		if (regcomp(&re, builtin[i].re, fl) != 0)
			abort(); /* a built-in pattern that does not compile is a bug */
		add_rule(r, builtin[i].id, &re, builtin[i].group);
	}
	return r;
}

void redact_free(struct redactor **pr)
{
	if (!pr || !*pr)
		return;
	for (size_t i = 0; i < (*pr)->n; i++)
		regfree(&(*pr)->rules[i].re);
	free((*pr)->rules);
	XFREE(pr);
}

enum wz_status redact_add_pattern(struct redactor *r, const char *ere, const char *where,
				  struct wz_err *err)
{
	regex_t re;
	int rc;
	if (!ere || !*ere)
		return wz_err_set(err, WZ_EPARSE, "%s: empty redact pattern", where ? where : "pattern");
	rc = regcomp(&re, ere, REG_EXTENDED | REG_NEWLINE);
	if (rc != 0) {
		char msg[256];
		regerror(rc, &re, msg, sizeof msg);
		return wz_err_set(err, WZ_EPARSE,
				  "%s: redact pattern does not compile (%s); write one POSIX extended "
				  "regular expression per line",
				  where ? where : "pattern", msg);
	}
	/* A pattern matching the empty string would redact nothing useful and
	 * loop forever; refuse it. */
	regmatch_t m[1];
	if (regexec(&re, "", 1, m, 0) == 0) {
		regfree(&re);
		return wz_err_set(err, WZ_EPARSE,
				  "%s: redact pattern matches the empty string; make it match at least "
				  "one character",
				  where ? where : "pattern");
	}
	add_rule(r, RD_USER, &re, 0);
	return WZ_OK;
}

bool redact_add_literal(struct redactor *r, const char *value)
{
	struct buf ere = {0};
	regex_t re;
	size_t n = value ? strlen(value) : 0;
	if (!r || n < REDACT_LITERAL_MIN || strchr(value, '\n'))
		return false;
	for (const char *p = value; *p; p++) {
		if (strchr(".[]{}()\\*+?^$|", *p))
			buf_putc(&ere, '\\');
		buf_putc(&ere, *p);
	}
	/* the same value twice (GH_TOKEN and GITHUB_TOKEN) needs one rule */
	for (size_t i = 0; i < r->n; i++) {
		regmatch_t m[1];
		if (r->rules[i].id != RD_KNOWN)
			continue;
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)n;
		if (regexec(&r->rules[i].re, value, 1, m, REG_STARTEND) == 0 && m[0].rm_so == 0 &&
		    (size_t)m[0].rm_eo == n) {
			buf_free(&ere);
			return false;
		}
	}
	if (regcomp(&re, buf_str(&ere), REG_EXTENDED | REG_NEWLINE) != 0) {
		buf_free(&ere);
		return false;
	}
	buf_free(&ere);
	add_rule(r, RD_KNOWN, &re, 0);
	return true;
}

enum wz_status redact_load_file(struct redactor *r, const char *path, int *nbad, struct wz_err *err)
{
	char *data = NULL;
	size_t len = 0;
	int bad = 0;
	enum wz_status st;
	struct wz_err first = {0};
	struct txt_lines it;
	const char *line;
	size_t ll;

	if (nbad)
		*nbad = 0;
	if (!fio_is_file(path) && access(path, F_OK) != 0)
		return WZ_OK;
	st = fio_read(path, RD_FILE_MAX, &data, &len, err);
	if (st != WZ_OK)
		return st;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &ll)) {
		char *pat = xstrndup(line, ll), *where;
		size_t pl = strlen(pat);
		struct wz_err e1;
		while (pl && (pat[pl - 1] == ' ' || pat[pl - 1] == '\t'))
			pat[--pl] = 0;
		if (pl == 0 || pat[0] == '#') {
			free(pat);
			continue;
		}
		where = xasprintf("%s:%d", path, it.lineno);
		if (redact_add_pattern(r, pat, where, &e1) != WZ_OK) {
			if (bad++ == 0)
				first = e1;
		}
		free(where);
		free(pat);
	}
	free(data);
	if (nbad)
		*nbad = bad;
	if (bad) {
		if (err)
			*err = first;
		return first.code;
	}
	return WZ_OK;
}

char *redact_user_file(const char *config_path)
{
	const char *p = config_path && *config_path ? config_path : getenv("WISDOM_CONFIG");
	if (p && *p) {
		const char *slash = strrchr(p, '/');
		if (!slash)
			return xstrdup("redact");
		return xasprintf("%.*s/redact", (int)(slash - p), p);
	}
	return fio_user_config_file("redact");
}

static void push_span(struct rd_spans *s, size_t so, size_t eo, enum redact_rule rule)
{
	if (eo <= so)
		return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n].so = so;
	s->v[s->n].eo = eo;
	s->v[s->n].rule = rule;
	s->n++;
}

static bool is_placeholder(const char *v, size_t n)
{
	static const char *const words[] = {"null", "none", "nil", "true", "false", "redacted",
					    "changeme", "example", "required", "optional", "string"};
	size_t digits = 0, stars = 0, i;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	if (n < 4)
		return true;
	for (i = 0; i < n; i++) {
		digits += isdigit((unsigned char)v[i]) != 0;
		stars += v[i] == '*' || v[i] == 'x' || v[i] == 'X' || v[i] == '.';
	}
	if (digits == n || stars == n)
		return true;
	if (v[0] == '$' || v[0] == '<' || v[0] == '%')
		return true; /* ${VAR}, <your-token>, %s */
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && strncasecmp(v, words[i], n) == 0)
			return true;
	return false;
}

/* Runs one rule over s[0..n) (one line or window), offsets relative to base. */
static void scan_rule(const struct rd_rule *ru, const char *s, size_t n, size_t base,
		      struct rd_spans *out)
{
	size_t pos = 0;
	regmatch_t m[4];
	int g = ru->group;
	while (pos < n) {
		int fl = REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0);
		m[0].rm_so = (regoff_t)pos;
		m[0].rm_eo = (regoff_t)n;
		if (regexec(&ru->re, s, 4, m, fl) != 0)
			break;
		size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
		size_t gso = so, geo = eo;
		if (g > 0 && g < 4 && m[g].rm_so >= 0) {
			gso = (size_t)m[g].rm_so;
			geo = (size_t)m[g].rm_eo;
		}
		push_span(out, base + gso, base + geo, ru->id);
		pos = eo > so ? eo : so + 1;
	}
}

/* Finds `needle` in h[0..n). */
static const char *memfind(const char *h, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	if (nl > n)
		return NULL;
	return memmem(h, n, needle, nl);
}

static bool b64_line(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '+' || c == '/' || c == '=')
			k++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return false;
	}
	return k > 0;
}

/* -----BEGIN ... PRIVATE KEY----- through the matching END marker. Without
 * an END marker (a truncated paste): the BEGIN marker and the base64 lines
 * right after it, so a mere mention of the marker in prose costs only the
 * marker itself. */
static void scan_private_keys(const char *s, size_t n, struct rd_spans *out)
{
	size_t pos = 0;
	while (pos < n) {
		const char *b = memfind(s + pos, n - pos, "-----BEGIN ");
		if (!b)
			break;
		size_t bo = (size_t)(b - s);
		const char *eol = memchr(b, '\n', n - bo);
		size_t lend = eol ? (size_t)(eol - s) : n;
		const char *pk = memfind(b, lend - bo, "PRIVATE KEY-----");
		if (!pk) {
			pos = bo + 11;
			continue;
		}
		size_t end = (size_t)(pk - s) + 16;
		const char *e = memfind(s + end, n - end, "-----END ");
		const char *tail = NULL;
		if (e) {
			size_t eo = (size_t)(e - s);
			const char *eeol = memchr(e, '\n', n - eo);
			size_t el = eeol ? (size_t)(eeol - s) : n;
			tail = memfind(e, el - eo, "PRIVATE KEY-----");
		}
		if (tail) {
			end = (size_t)(tail - s) + 16;
		} else {
			size_t ls = end;
			if (ls < n && s[ls] == '\n') {
				ls++;
				for (;;) {
					const char *nl = memchr(s + ls, '\n', n - ls);
					size_t le = nl ? (size_t)(nl - s) : n;
					if (le == ls || !b64_line(s + ls, le - ls))
						break;
					end = le;
					if (!nl)
						break;
					ls = le + 1;
				}
			}
		}
		push_span(out, bo, end, RD_PRIVATE_KEY);
		pos = end;
	}
}

static bool key_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

static bool value_stop(unsigned char c)
{
	return c <= ' ' || c == 0x7f || strchr(",;&@()[]{}<>|\"'`", c) != NULL;
}

/* scheme://user:pass@ -> the user:pass part. */
static void scan_url_userinfo(const char *s, size_t n, struct rd_spans *out)
{
	size_t pos = 0;
	while (pos + 3 <= n) {
		const char *p = memfind(s + pos, n - pos, "://");
		if (!p)
			break;
		size_t at = (size_t)(p - s), b = at;
		while (b > 0 && (isalnum((unsigned char)s[b - 1]) || s[b - 1] == '+' || s[b - 1] == '.' ||
				 s[b - 1] == '-'))
			b--;
		while (b < at && !isalpha((unsigned char)s[b]))
			b++;
		size_t u = at + 3, e = u;
		bool colon = false;
		while (e < n && !strchr("/?#@ \t\r\n", s[e]) && s[e] != 0) {
			colon |= s[e] == ':';
			e++;
		}
		if (b < at && e < n && s[e] == '@' && colon)
			push_span(out, u, e, RD_URL_USERINFO);
		pos = at + 3;
	}
}

/* key = value / key: value where the key names a secret (see redact.h). */
static void scan_generic(const char *s, size_t n, struct rd_spans *out)
{
	static const char *const words[] = {"password", "passwd", "secret", "token", "api_key", "apikey",
					    "api-key"};
	static const char *const suffixes[] = {"_key", "-key", "key", "_value", ""};
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i] | 0x20;
		size_t w, k = 0;
		if (c != 'p' && c != 's' && c != 't' && c != 'a')
			continue;
		for (w = 0; w < sizeof words / sizeof words[0]; w++) {
			k = strlen(words[w]);
			if (i + k <= n && strncasecmp(s + i, words[w], k) == 0)
				break;
		}
		if (w == sizeof words / sizeof words[0])
			continue;
		size_t j = i + k;
		for (size_t x = 0; x < sizeof suffixes / sizeof suffixes[0]; x++) {
			size_t sl = strlen(suffixes[x]);
			if (j + sl <= n && strncasecmp(s + j, suffixes[x], sl) == 0 &&
			    (j + sl == n || !key_char((unsigned char)s[j + sl]))) {
				j += sl + 1; /* sentinel: matched */
				break;
			}
		}
		if (j == i + k)
			continue; /* the key goes on: max_tokens, secrets_scan */
		j--;
		if (j < n && (s[j] == '"' || s[j] == '\''))
			j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || (s[j] != ':' && s[j] != '='))
			continue;
		j++;
		if (j < n && s[j] == '=')
			continue; /* token == x: a comparison */
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		size_t vs = j, ve = j;
		if (j < n && (s[j] == '"' || s[j] == '\'')) {
			const char *q = memchr(s + j + 1, s[j], n - j - 1);
			const char *nl = memchr(s + j + 1, '\n', n - j - 1);
			if (!q || (nl && nl < q))
				continue;
			ve = (size_t)(q - s) + 1;
		} else {
			while (ve < n && !value_stop((unsigned char)s[ve]))
				ve++;
		}
		if (ve > vs && !is_placeholder(s + vs, ve - vs))
			push_span(out, vs, ve, RD_GENERIC);
		i = ve > i ? ve - 1 : i;
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct rd_span *x = a, *y = b;
	if (x->so != y->so)
		return x->so < y->so ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->eo > y->eo ? -1 : x->eo < y->eo;
}

size_t redact_apply(const struct redactor *r, const char *in, size_t n, struct buf *out,
		    size_t *counts)
{
	struct rd_spans sp = {0};
	size_t i, nrep = 0, pos = 0, scap = 0;
	char *scratch = NULL;

	if (!in || n == 0)
		return 0;
	scan_private_keys(in, n, &sp);
	scan_url_userinfo(in, n, &sp);
	scan_generic(in, n, &sp);
	/* line by line (windows for huge lines) */
	for (size_t ls = 0; ls < n;) {
		const char *nl = memchr(in + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - in) : n;
		size_t w = ls;
		for (;;) {
			size_t we = le - w > RD_WINDOW ? w + RD_WINDOW : le;
			/* a NUL-terminated copy: some regexec wrappers (ASan's)
			 * call strlen() despite REG_STARTEND, which made every
			 * call cost the rest of the input */
			scratch = xgrow(scratch, &scap, we - w + 1, 1);
			memcpy(scratch, in + w, we - w);
			scratch[we - w] = 0;
			for (i = 0; i < r->n; i++)
				scan_rule(&r->rules[i], scratch, we - w, w, &sp);
			if (we >= le)
				break;
			w += RD_STEP;
		}
		ls = le + 1;
	}
	if (sp.n)
		qsort(sp.v, sp.n, sizeof *sp.v, span_cmp);
	for (i = 0; i < sp.n;) {
		struct rd_span cur = sp.v[i++];
		while (i < sp.n && sp.v[i].so < cur.eo) {
			if (sp.v[i].eo > cur.eo)
				cur.eo = sp.v[i].eo;
			if (sp.v[i].rule < cur.rule)
				cur.rule = sp.v[i].rule;
			i++;
		}
		buf_append(out, in + pos, cur.so - pos);
		buf_printf(out, "[REDACTED:%s]", redact_rule_name(cur.rule));
		if (counts)
			counts[cur.rule]++;
		nrep++;
		pos = cur.eo;
	}
	buf_append(out, in + pos, n - pos);
	free(sp.v);
	free(scratch);
	return nrep;
}

char *redact_str(const struct redactor *r, const char *s)
{
	struct buf b = {0};
	if (!s)
		return NULL;
	redact_apply(r, s, strlen(s), &b, NULL);
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	return buf_detach(&b);
}

static struct redactor *g_default;

static void free_default(void)
{
	redact_free(&g_default);
}

const struct redactor *redact_default(void)
{
	/* First use happens on the main thread before any worker starts. */
	if (!g_default) {
		g_default = redact_new();
		atexit(free_default);
	}
	return g_default;
}
