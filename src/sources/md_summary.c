/* md_summary.c - Machine Summary blocks: find the block, then read its body
 * with libyaml when it is one yaml fence, else with the §5 line rules. */
#include "config.h"
#include "sources/md_summary.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Bodies bigger than this are read line by line only. */
#define MDS_YAML_MAX ((size_t)1 << 20)
#define MDS_YAML_DEPTH 32
/* Real blocks have tens of lines; beyond this the rest is not read. */
#define MDS_MAX_LINES 100000

struct bline {
	const char *p;
	size_t n;
	int no;
};

/* ---- small text helpers ------------------------------------------------ */

int mds_heading_level(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && line[i] == ' ')
		i++;
	{
		size_t h = 0;
		while (i + h < n && line[i + h] == '#')
			h++;
		if (h < 1 || h > 6)
			return 0;
		if (i + h < n && line[i + h] != ' ' && line[i + h] != '\t')
			return 0;
		return (int)h;
	}
}

bool mds_is_fence(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && line[i] == ' ')
		i++;
	return n - i >= 3 && (memcmp(line + i, "```", 3) == 0 || memcmp(line + i, "~~~", 3) == 0);
}

bool mds_is_template(const char *s)
{
	const char *lt;
	if (!s)
		return false;
	if (strchr(s, '|'))
		return true;
	lt = strchr(s, '<');
	return lt && strchr(lt + 1, '>') != NULL;
}

char *mds_unquote(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	return xstrndup(s, n);
}

/* `#{1,4} Machine Summary( Block)?\s*(\(.*\))?\s*$` */
static bool is_ms_heading(const char *l, size_t n, int *level)
{
	static const char word[] = "Machine Summary";
	size_t i = 0, h = 0, wl = sizeof word - 1;
	while (i < n && l[i] == '#')
		i++;
	h = i;
	if (h < 1 || h > 4 || i >= n || l[i] != ' ')
		return false;
	i++;
	if (n - i < wl || memcmp(l + i, word, wl) != 0)
		return false;
	i += wl;
	if (n - i >= 6 && memcmp(l + i, " Block", 6) == 0)
		i += 6;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i < n && l[i] == '(') {
		size_t e = n;
		while (e > i && isspace((unsigned char)l[e - 1]))
			e--;
		if (l[e - 1] != ')')
			return false;
		i = n;
	}
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i != n)
		return false;
	if (level)
		*level = (int)h;
	return true;
}

/* ---- result building ----------------------------------------------------- */

static struct mds_item *add_item(struct mds *m, size_t *cap, const char *key, size_t klen, int line,
				 int depth, int parent)
{
	struct mds_item *it;
	m->items = xgrow(m->items, cap, m->n + 1, sizeof *m->items);
	it = &m->items[m->n++];
	memset(it, 0, sizeof *it);
	it->key = xstrndup(key, klen);
	it->line = line;
	it->depth = depth;
	it->parent = parent;
	return it;
}

static void set_scalar(struct mds_item *it, char *v, bool plain)
{
	if (!v)
		return;
	if (*v == '\0' ||
	    (plain && (strcmp(v, "null") == 0 || strcmp(v, "~") == 0 || strcmp(v, "Null") == 0 ||
		       strcmp(v, "NULL") == 0))) {
		free(v);
		return;
	}
	if (mds_is_template(v)) {
		it->is_template = true;
		free(v);
		return;
	}
	it->value = v;
}

/* ---- libyaml path -------------------------------------------------------- */

static int map_line(const struct bline *lines, size_t nlines, size_t yline)
{
	return yline < nlines ? lines[yline].no : (nlines ? lines[nlines - 1].no : 0);
}

static void yaml_flat(yaml_document_t *doc, yaml_node_t *node, struct buf *b, int depth)
{
	if (!node || depth > MDS_YAML_DEPTH)
		return;
	if (node->type == YAML_SCALAR_NODE) {
		buf_append(b, node->data.scalar.value, node->data.scalar.length);
	} else if (node->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *i;
		buf_putc(b, '[');
		for (i = node->data.sequence.items.start; i < node->data.sequence.items.top; i++) {
			if (i != node->data.sequence.items.start)
				buf_puts(b, ", ");
			yaml_flat(doc, yaml_document_get_node(doc, *i), b, depth + 1);
		}
		buf_putc(b, ']');
	} else if (node->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p;
		for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
			if (p != node->data.mapping.pairs.start)
				buf_puts(b, "; ");
			yaml_flat(doc, yaml_document_get_node(doc, p->key), b, depth + 1);
			buf_puts(b, ": ");
			yaml_flat(doc, yaml_document_get_node(doc, p->value), b, depth + 1);
		}
	}
}

static void yaml_map(struct mds *m, size_t *cap, yaml_document_t *doc, yaml_node_t *map, int depth,
		     int parent, const struct bline *lines, size_t nlines)
{
	yaml_node_pair_t *p;
	if (depth > MDS_YAML_DEPTH)
		return;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		struct mds_item *it;
		int idx;
		if (!k || k->type != YAML_SCALAR_NODE || !v)
			continue;
		it = add_item(m, cap, (const char *)k->data.scalar.value, k->data.scalar.length,
			      map_line(lines, nlines, k->start_mark.line), depth, parent);
		idx = (int)m->n - 1;
		if (v->type == YAML_SCALAR_NODE) {
			bool plain = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
				     v->data.scalar.style == YAML_ANY_SCALAR_STYLE;
			set_scalar(it, xstrndup((const char *)v->data.scalar.value, v->data.scalar.length),
				   plain);
		} else if (v->type == YAML_SEQUENCE_NODE) {
			yaml_node_item_t *i;
			it->is_list = true;
			for (i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
				struct buf b = {0};
				yaml_flat(doc, yaml_document_get_node(doc, *i), &b, depth + 1);
				/* `it` may move when items grow: re-index */
				str_list_push(&m->items[idx].list, buf_str(&b));
				buf_free(&b);
			}
		} else if (v->type == YAML_MAPPING_NODE) {
			it->is_header = true;
			yaml_map(m, cap, doc, v, depth + 1, idx, lines, nlines);
		}
	}
}

/* Returns true when the fence parsed as one mapping and items were added. */
static bool try_yaml(struct mds *m, size_t *cap, const struct bline *lines, size_t nlines,
		     const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct buf b = {0};
	size_t i;
	bool ok = false;

	for (i = 0; i < nlines; i++) {
		buf_append(&b, lines[i].p, lines[i].n);
		buf_putc(&b, '\n');
		if (b.len > MDS_YAML_MAX) {
			buf_free(&b);
			return false;
		}
	}
	if (!yaml_parser_initialize(&parser)) {
		buf_free(&b);
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf_str(&b), b.len);
	if (!yaml_parser_load(&parser, &doc)) {
		char *msg = xasprintf("%s:%d: Machine Summary yaml does not parse (%s); read line by line",
				      path, map_line(lines, nlines, parser.problem_mark.line),
				      parser.problem ? parser.problem : "unknown problem");
		str_list_push(&m->warnings, msg);
		free(msg);
		yaml_parser_delete(&parser);
		buf_free(&b);
		return false;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && root->type == YAML_MAPPING_NODE) {
		yaml_map(m, cap, &doc, root, 0, -1, lines, nlines);
		ok = true;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	buf_free(&b);
	return ok;
}

/* ---- line rules (§5) ----------------------------------------------------- */

static void parse_inline_list(struct mds_item *it, const char *s, size_t n)
{
	size_t i = 1, start = 1;
	char q = 0;
	it->is_list = true;
	n--; /* drop ']' */
	for (i = 1; i <= n; i++) {
		if (i < n && q) {
			if (s[i] == q)
				q = 0;
			continue;
		}
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			q = s[i];
			continue;
		}
		if (i == n || s[i] == ',') {
			char *v = mds_unquote(s + start, i - start);
			if (*v)
				str_list_push(&it->list, v);
			free(v);
			start = i + 1;
		}
	}
}

static bool key_line(const char *l, size_t n, size_t *ks, size_t *kl, size_t *vs)
{
	size_t i = 0, k0;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	k0 = i;
	if (i >= n || !(isalpha((unsigned char)l[i]) || l[i] == '_'))
		return false;
	while (i < n && (isalnum((unsigned char)l[i]) || l[i] == '_' || l[i] == '-' || l[i] == '.'))
		i++;
	*ks = k0;
	*kl = i - k0;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i >= n || l[i] != ':')
		return false;
	i++;
	if (i < n && l[i] != ' ' && l[i] != '\t')
		return false; /* `http://…`, `a:b` are not keys */
	*vs = i;
	return true;
}

static void line_rules(struct mds *m, size_t *cap, const struct bline *lines, size_t nlines)
{
	int stack_idx[64];
	size_t stack_ind[64];
	int sp = 0;
	int owner = -1;   /* header that list items attach to */
	size_t i;

	for (i = 0; i < nlines; i++) {
		const char *l = lines[i].p;
		size_t n = lines[i].n, ind = 0, ks, kl, vs;
		while (ind < n && (l[ind] == ' ' || l[ind] == '\t'))
			ind++;
		if (ind == n)
			continue; /* blank: lists may continue after it */
		if (l[ind] == '-' && (ind + 1 == n || l[ind + 1] == ' ')) {
			char *v;
			if (owner < 0)
				continue;
			v = mds_unquote(l + ind + 1, n - ind - 1);
			if (*v)
				str_list_push(&m->items[owner].list, v);
			free(v);
			if (!m->items[owner].is_list) {
				m->items[owner].is_list = true;
				m->items[owner].is_header = false;
				if (sp > 0 && stack_idx[sp - 1] == owner)
					sp--;
			}
			continue;
		}
		if (!key_line(l, n, &ks, &kl, &vs))
			continue;
		while (sp > 0 && stack_ind[sp - 1] >= ind)
			sp--;
		{
			struct mds_item *it = add_item(m, cap, l + ks, kl, lines[i].no, sp,
						       sp ? stack_idx[sp - 1] : -1);
			size_t vn = n - vs;
			const char *v = l + vs;
			while (vn && isspace((unsigned char)*v)) {
				v++;
				vn--;
			}
			while (vn && isspace((unsigned char)v[vn - 1]))
				vn--;
			owner = -1;
			if (vn == 0) {
				it->is_header = true;
				owner = (int)m->n - 1;
				if (sp < 64) {
					stack_idx[sp] = owner;
					stack_ind[sp] = ind;
					sp++;
				}
			} else if (v[0] == '[' && v[vn - 1] == ']') {
				parse_inline_list(it, v, vn);
			} else {
				bool plain = !(v[0] == '"' || v[0] == '\'');
				set_scalar(it, mds_unquote(v, vn), plain);
			}
		}
	}
}

/* ---- block search -------------------------------------------------------- */

static int find_heading(const char *text, size_t len, int after, bool in_fences_too, int *level)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	bool fence = false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (mds_is_fence(l, n)) {
			fence = !fence;
			continue;
		}
		if (it.lineno <= after || (fence && !in_fences_too))
			continue;
		if (n && l[0] == '#' && is_ms_heading(l, n, level))
			return it.lineno;
	}
	return 0;
}

enum wz_status mds_parse_after(const char *text, size_t len, const char *path, int after_line,
			       struct mds **out, struct wz_err *err)
{
	struct mds *m;
	struct txt_lines it;
	const char *l;
	size_t n, cap = 0, nl = 0, lcap = 0, nfences = 0;
	struct bline *lines = NULL;
	bool fence = false, outside_text = false;
	int level = 0, hl;

	if (!out || (!text && len))
		return wz_err_set(err, WZ_EUSAGE, "mds_parse: no output or text given");
	*out = m = xcalloc(1, sizeof *m);
	if (!path)
		path = "(text)";
	if (!text)
		return WZ_OK;
	hl = find_heading(text, len, after_line, false, &level);
	if (!hl)
		hl = find_heading(text, len, after_line, true, &level);
	if (!hl)
		return WZ_OK;
	m->found = true;
	m->heading_line = m->end_line = hl;
	m->heading_level = level;

	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (it.lineno < hl)
			continue;
		if (it.lineno == hl) {
			size_t i = 0;
			while (i < n && l[i] == '#')
				i++;
			m->heading = txt_trim_dup(l + i, n - i);
			continue;
		}
		if (mds_is_fence(l, n)) {
			fence = !fence;
			nfences++;
			m->end_line = it.lineno;
			continue;
		}
		if (!fence) {
			int h = mds_heading_level(l, n);
			if (h && h <= level && !is_ms_heading(l, n, NULL))
				break;
		}
		m->end_line = it.lineno;
		if (is_ms_heading(l, n, NULL))
			continue; /* a repeated heading inside the body */
		if (!fence) {
			size_t k = 0;
			while (k < n && isspace((unsigned char)l[k]))
				k++;
			if (k < n)
				outside_text = true;
		}
		if (nl >= MDS_MAX_LINES) {
			char *w = xasprintf("%s:%d: Machine Summary is over %d lines; the rest is not read",
					    path, it.lineno, MDS_MAX_LINES);
			str_list_push(&m->warnings, w);
			free(w);
			break;
		}
		lines = xgrow(lines, &lcap, nl + 1, sizeof *lines);
		lines[nl].p = l;
		lines[nl].n = n;
		lines[nl].no = it.lineno;
		nl++;
	}
	if (fence) {
		char *w = xasprintf("%s:%d: code fence in the Machine Summary is not closed (truncated file?)",
				    path, m->end_line);
		str_list_push(&m->warnings, w);
		free(w);
	}
	if (nfences == 2 && !fence && !outside_text && try_yaml(m, &cap, lines, nl, path)) {
		m->from_yaml = true;
	} else {
		size_t i;
		for (i = 0; i < m->n; i++) {
			free(m->items[i].key);
			free(m->items[i].value);
			str_list_free(&m->items[i].list);
		}
		m->n = 0;
		line_rules(m, &cap, lines, nl);
	}
	free(lines);
	return WZ_OK;
}

enum wz_status mds_parse(const char *text, size_t len, const char *path, struct mds **out,
			 struct wz_err *err)
{
	return mds_parse_after(text, len, path, 0, out, err);
}

/* ---- lookups ------------------------------------------------------------- */

const struct mds_item *mds_get(const struct mds *m, const char *key)
{
	size_t i;
	if (!m || !key)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->items[i].key, key) == 0)
			return &m->items[i];
	return NULL;
}

static bool control_key(const char *k)
{
	static const char *const keys[] = {"status", "recommended_action", "route_to_flow",
		"route_to_agent", "route_to_station", "blockers", "missing_required",
		"missing_optional", "concerns", NULL};
	size_t i;
	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

const struct mds_item *mds_get_in(const struct mds *m, const char *parent, const char *key)
{
	size_t i, p;
	bool has_children = false;
	if (!m || !parent || !key)
		return NULL;
	for (p = 0; p < m->n; p++)
		if (strcmp(m->items[p].key, parent) == 0 && m->items[p].is_header)
			break;
	if (p == m->n)
		return NULL;
	for (i = p + 1; i < m->n; i++) {
		if (m->items[i].parent == (int)p) {
			has_children = true;
			if (strcmp(m->items[i].key, key) == 0)
				return &m->items[i];
		}
	}
	if (has_children)
		return NULL;
	/* flattened to the header's column */
	for (i = p + 1; i < m->n; i++) {
		const struct mds_item *it = &m->items[i];
		if (it->depth != m->items[p].depth || it->is_header || it->is_list || control_key(it->key))
			break;
		if (strcmp(it->key, key) == 0)
			return it;
	}
	return NULL;
}

const char *mds_str(const struct mds *m, const char *key)
{
	const struct mds_item *it = mds_get(m, key);
	return it ? it->value : NULL;
}

bool mds_item_num(const struct mds_item *it, double *v)
{
	char *end;
	double d;
	if (!it || !it->value || !*it->value)
		return false;
	if (!(isdigit((unsigned char)it->value[0]) || it->value[0] == '-' || it->value[0] == '+' ||
	      it->value[0] == '.'))
		return false;
	d = strtod(it->value, &end);
	while (*end == ' ' || *end == '%')
		end++;
	if (end == it->value || *end)
		return false;
	if (v)
		*v = d;
	return true;
}

void mds_free(struct mds **mp)
{
	struct mds *m;
	size_t i;
	if (!mp || !*mp)
		return;
	m = *mp;
	for (i = 0; i < m->n; i++) {
		free(m->items[i].key);
		free(m->items[i].value);
		str_list_free(&m->items[i].list);
	}
	free(m->items);
	free(m->heading);
	str_list_free(&m->warnings);
	free(m);
	*mp = NULL;
}
