/* md_verdicts.c - gate and deploy verdicts (the deploy instant and smoke
 * signal readers are in md_instants.c). */
#include "config.h"
#include "sources/md_verdicts.h"
#include "sources/md_verdicts_int.h"
#include "sources/md_summary.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define MDV_YAML_MAX ((size_t)1 << 20)

void mdv_value_clear(struct mdv_value *v)
{
	if (!v)
		return;
	free(v->value);
	memset(v, 0, sizeof *v);
}

void mdv_set_value(struct mdv_value *v, const char *s, size_t n, int line, const char *what)
{
	free(v->value);
	v->value = xstrndup(s, n);
	v->line = line;
	snprintf(v->what, sizeof v->what, "%s", what);
}

static void warn(struct str_list *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct str_list *w, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	if (!w)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	str_list_push(w, buf_str(&b));
	buf_free(&b);
}

/* Copies a line into a NUL-terminated bounded buffer. */
void mdv_line_copy(char *dst, size_t cap, const char *l, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, l, n);
	dst[n] = '\0';
}

const char *mdv_ci_find(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	for (i = 0; k && i + k <= n; i++)
		if (strncasecmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

/* First word of a verdict line: `MERGE`, `**BOUNCE**`, `` `MERGE` — … ``. */
static bool verdict_word(const char *l, size_t n, size_t *ws, size_t *wl)
{
	size_t i = 0, s;
	while (i < n && (isspace((unsigned char)l[i]) || l[i] == '*' || l[i] == '`' || l[i] == '-' ||
			 l[i] == '>' || l[i] == '_'))
		i++;
	s = i;
	while (i < n && (isupper((unsigned char)l[i]) || l[i] == '_' ||
			 (i > s && isdigit((unsigned char)l[i]))))
		i++;
	if (i - s >= 3 && (i == n || !isalnum((unsigned char)l[i]))) {
		*ws = s;
		*wl = i - s;
		return true;
	}
	/* not an upper-case word: keep the trimmed line verbatim */
	while (n > s && (isspace((unsigned char)l[n - 1]) || l[n - 1] == '*' || l[n - 1] == '`'))
		n--;
	if (n <= s)
		return false;
	*ws = s;
	*wl = n - s > 60 ? 60 : n - s;
	return true;
}

bool mdv_heading_is(const char *l, size_t n, const char *title, int *level)
{
	int h = mds_heading_level(l, n);
	size_t i = 0, tl = strlen(title);
	if (!h)
		return false;
	while (i < n && (l[i] == '#' || l[i] == ' '))
		i++;
	while (n > i && isspace((unsigned char)l[n - 1]))
		n--;
	if (n - i < tl || strncasecmp(l + i, title, tl) != 0)
		return false;
	if (n - i > tl && l[i + tl] != ' ' && l[i + tl] != '(' && l[i + tl] != ':')
		return false;
	if (level)
		*level = h;
	return true;
}

/* ---- gate ---------------------------------------------------------------- */

enum wz_status mdv_gate_parse(const char *text, size_t len, const char *path,
			      struct mdv_gate **out, struct str_list *warnings, struct wz_err *err)
{
	struct mdv_gate *g;
	struct txt_lines it;
	const char *l;
	size_t n;
	int mode = 0; /* 1 after ## Verdict, 2 after ## Decision */
	bool fence = false;
	struct mds *m = NULL;

	if (!out)
		return wz_err_set(err, WZ_EUSAGE, "mdv_gate_parse: no output");
	*out = g = xcalloc(1, sizeof *g);
	if (!text)
		return WZ_OK;
	if (!path)
		path = "(text)";
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t ws, wl;
		if (mds_is_fence(l, n)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		if (!g->verdict.value && mdv_heading_is(l, n, "Verdict", NULL)) {
			mode = 1;
			continue;
		}
		if (!g->verdict.value && mdv_heading_is(l, n, "Decision", NULL)) {
			mode = 2;
			continue;
		}
		if (!mode)
			continue;
		if (mds_heading_level(l, n)) {
			mode = 0;
			continue;
		}
		if (mode == 1 && verdict_word(l, n, &ws, &wl)) {
			mdv_set_value(&g->verdict, l + ws, wl, it.lineno, "## Verdict");
			break;
		}
		if (mode == 2) {
			const char *b = mdv_ci_find(l, n, "**Merge");
			const char *c = mdv_ci_find(l, n, "**Bounce");
			if (b || c) {
				mdv_set_value(&g->verdict, b && (!c || b < c) ? "MERGE" : "BOUNCE",
					  b && (!c || b < c) ? 5 : 6, it.lineno, "## Decision");
				break;
			}
		}
	}
	mds_parse(text, len, path, &m, NULL);
	if (m && m->found) {
		const struct mds_item *v = mds_get(m, "verdict");
		const struct mds_item *r = mds_get(m, "reason");
		size_t i;
		for (i = 0; i < m->warnings.n; i++)
			str_list_push(warnings ? warnings : &m->warnings, m->warnings.v[i]);
		if (v && v->value) {
			if (!g->verdict.value) {
				mdv_set_value(&g->verdict, v->value, strlen(v->value), v->line,
					  "Machine Summary verdict");
			} else if (strcmp(v->value, g->verdict.value) != 0) {
				warn(warnings, "%s:%d: Machine Summary verdict %s disagrees with %s at line %d",
				     path, v->line, v->value, g->verdict.value, g->verdict.line);
			}
		}
		if (r && r->value)
			mdv_set_value(&g->reason, r->value, strlen(r->value), r->line, "Machine Summary reason");
	}
	if (!g->verdict.value)
		warn(warnings, "%s:1: no verdict (no `## Verdict` section, no Machine Summary `verdict:`)",
		     path);
	mds_free(&m);
	return WZ_OK;
}

void mdv_gate_free(struct mdv_gate **gp)
{
	if (!gp || !*gp)
		return;
	mdv_value_clear(&(*gp)->verdict);
	mdv_value_clear(&(*gp)->reason);
	free(*gp);
	*gp = NULL;
}

/* ---- deployment decision ------------------------------------------------- */

static yaml_node_t *ylookup(yaml_document_t *doc, yaml_node_t *node, const char *dotted)
{
	const char *dot;
	size_t kl;
	yaml_node_pair_t *p;
	if (!node || node->type != YAML_MAPPING_NODE)
		return NULL;
	dot = strchr(dotted, '.');
	kl = dot ? (size_t)(dot - dotted) : strlen(dotted);
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == kl &&
		    memcmp(k->data.scalar.value, dotted, kl) == 0) {
			yaml_node_t *v = yaml_document_get_node(doc, p->value);
			return dot ? ylookup(doc, v, dot + 1) : v;
		}
	}
	return NULL;
}

static bool yscalar(yaml_node_t *v, char *buf, size_t cap)
{
	if (!v || v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0)
		return false;
	mdv_line_copy(buf, cap, (const char *)v->data.scalar.value, v->data.scalar.length);
	if (strcmp(buf, "null") == 0 || strcmp(buf, "~") == 0 || mds_is_template(buf))
		return false;
	return true;
}

void mdv_set_time(struct mdv_time *t, double v, int flags, int line, const char *what)
{
	t->found = true;
	t->t = v;
	t->flags = flags;
	t->line = line;
	snprintf(t->what, sizeof t->what, "%s", what);
}

static void decision_yaml(struct mdv_decision *d, const char *body, size_t blen, int first_line,
			  const char *path, struct str_list *warnings)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *v;
	char buf[256];
	static const char *const stamps[] = {"merge.timestamp", "metadata.deploy_run_timestamp", NULL};
	size_t i;

	if (blen > MDV_YAML_MAX) {
		warn(warnings, "%s:%d: yaml block over 1 MiB; read line by line", path, first_line);
		return;
	}
	if (!yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)body, blen);
	if (!yaml_parser_load(&parser, &doc)) {
		warn(warnings, "%s:%d: the first yaml block does not parse (%s); read line by line", path,
		     first_line + (int)parser.problem_mark.line,
		     parser.problem ? parser.problem : "unknown problem");
		yaml_parser_delete(&parser);
		return;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		d->yaml_ok = true;
		v = ylookup(&doc, root, "deployment_verdict");
		if (yscalar(v, buf, sizeof buf))
			mdv_set_value(&d->verdict, buf, strlen(buf), first_line + (int)v->start_mark.line,
				  "yaml deployment_verdict");
		v = ylookup(&doc, root, "gate_verdict");
		if (yscalar(v, buf, sizeof buf))
			mdv_set_value(&d->gate_verdict, buf, strlen(buf), first_line + (int)v->start_mark.line,
				  "yaml gate_verdict");
		v = ylookup(&doc, root, "deployed_at");
		if (yscalar(v, buf, sizeof buf)) {
			double t;
			int fl = 0;
			if (tp_parse(buf, &t, &fl, NULL))
				mdv_set_time(&d->deployed_at, t, fl, first_line + (int)v->start_mark.line,
					 "deployed_at");
		}
		for (i = 0; stamps[i] && !d->stamp.found; i++) {
			v = ylookup(&doc, root, stamps[i]);
			if (yscalar(v, buf, sizeof buf)) {
				double t;
				int fl = 0;
				if (tp_parse(buf, &t, &fl, NULL))
					mdv_set_time(&d->stamp, t, fl, first_line + (int)v->start_mark.line,
						 stamps[i]);
			}
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

/* `key: value` at any indent; returns the trimmed, unquoted value span. */
/* Template check on one line's value only: the buffer is not NUL-terminated
 * and later lines (tables) must not make this value look like a template. */
static bool value_is_template(const char *v, size_t n)
{
	char *copy = xstrndup(v, n);
	bool t = mds_is_template(copy);
	free(copy);
	return t;
}

bool mdv_key_value(const char *l, size_t n, const char *key, size_t *vs, size_t *vl)
{
	size_t i = 0, kl = strlen(key);
	while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '-' || l[i] == '*'))
		i++;
	if (n - i < kl || memcmp(l + i, key, kl) != 0)
		return false;
	i += kl;
	while (i < n && (l[i] == '*' || l[i] == ' '))
		i++;
	if (i >= n || l[i] != ':')
		return false;
	i++;
	while (i < n && (isspace((unsigned char)l[i]) || l[i] == '*' || l[i] == '"' || l[i] == '\'' ||
			 l[i] == '`'))
		i++;
	while (n > i && (isspace((unsigned char)l[n - 1]) || l[n - 1] == '"' || l[n - 1] == '\'' ||
			 l[n - 1] == '`' || l[n - 1] == '*'))
		n--;
	*vs = i;
	*vl = n - i;
	return n > i;
}

enum wz_status mdv_decision_parse(const char *text, size_t len, const char *path,
				  struct mdv_decision **out, struct str_list *warnings,
				  struct wz_err *err)
{
	struct mdv_decision *d;
	struct txt_lines it;
	const char *l, *fstart = NULL, *fend = NULL;
	size_t n;
	int fline = 0;
	struct mds *m = NULL;

	if (!out)
		return wz_err_set(err, WZ_EUSAGE, "mdv_decision_parse: no output");
	*out = d = xcalloc(1, sizeof *d);
	if (!text)
		return WZ_OK;
	if (!path)
		path = "(text)";
	/* the first fence whose info string says yaml */
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (!mds_is_fence(l, n))
			continue;
		if (!fstart) {
			if (mdv_ci_find(l, n, "yaml") || mdv_ci_find(l, n, "yml")) {
				fstart = it.p;
				fline = it.lineno + 1;
			} else {
				/* skip a non-yaml fence */
				while (txt_lines_next(&it, &l, &n) && !mds_is_fence(l, n))
					;
			}
			continue;
		}
		fend = l;
		break;
	}
	if (fstart) {
		d->yaml_found = true;
		if (!fend) {
			warn(warnings, "%s:%d: yaml block is not closed (truncated file?)", path, fline - 1);
			fend = text + len;
		}
		if (fend >= fstart)
			decision_yaml(d, fstart, (size_t)(fend - fstart), fline, path, warnings);
	}
	if (!d->verdict.value) {
		mds_parse(text, len, path, &m, NULL);
		if (m && m->found) {
			const struct mds_item *v = mds_get(m, "deployment_verdict");
			if (v && v->value)
				mdv_set_value(&d->verdict, v->value, strlen(v->value), v->line,
					  "Machine Summary deployment_verdict");
		}
		mds_free(&m);
	}
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t vs, vl;
		if (!d->verdict.value && mdv_key_value(l, n, "deployment_verdict", &vs, &vl) &&
		    !value_is_template(l + vs, vl)) {
			size_t e = 0;
			while (e < vl && (isalnum((unsigned char)l[vs + e]) || l[vs + e] == '_'))
				e++;
			if (e && e == vl)
				mdv_set_value(&d->verdict, l + vs, vl, it.lineno, "deployment_verdict line");
		}
		if (!d->deployed_at.found && mdv_key_value(l, n, "deployed_at", &vs, &vl)) {
			char buf[128];
			double t;
			int fl = 0;
			mdv_line_copy(buf, sizeof buf, l + vs, vl);
			if (tp_find(buf, &t, &fl))
				mdv_set_time(&d->deployed_at, t, fl, it.lineno, "deployed_at");
		}
		if (!d->stamp.found && mdv_ci_find(l, n, "**Timestamp")) {
			char buf[256];
			double t;
			int fl = 0;
			mdv_line_copy(buf, sizeof buf, l, n);
			if (tp_find(buf, &t, &fl))
				mdv_set_time(&d->stamp, t, fl, it.lineno, "**Timestamp**");
		}
	}
	if (d->verdict.value && mds_is_template(d->verdict.value))
		mdv_value_clear(&d->verdict);
	return WZ_OK;
}

void mdv_decision_free(struct mdv_decision **dp)
{
	if (!dp || !*dp)
		return;
	mdv_value_clear(&(*dp)->verdict);
	mdv_value_clear(&(*dp)->gate_verdict);
	free(*dp);
	*dp = NULL;
}
