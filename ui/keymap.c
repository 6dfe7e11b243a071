/* keymap.c - key names, default bindings from actions.def, live map, lookup. */
#include "config.h"
#include "ui/keymap.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

struct km_action_info {
	const char *name, *group, *keys, *help;
	unsigned contexts;
};

static const struct km_action_info actions[] = {
#define ACTION(name, id, group, contexts, keys, help) { name, group, keys, help, contexts },
#include "ui/actions.def"
#undef ACTION
};

static const char *const ctx_names[] = {
#define KM_X(id, name, title) name,
	KM_CONTEXT_TABLE(KM_X)
#undef KM_X
};
static const char *const ctx_titles[] = {
#define KM_X(id, name, title) title,
	KM_CONTEXT_TABLE(KM_X)
#undef KM_X
};

struct kb {
	int key;
	enum km_context ctx;
	enum km_action action;
	char *cmd;      /* ":command" text including ':' when action == ACT_COMMAND */
	bool rebound;
};

struct km_map {
	struct kb *b;
	size_t n, cap;
};

/* ---- key names ---------------------------------------------------------- */

/* First entry of a code is its canonical name. */
static const struct { const char *name; int code; } named_keys[] = {
	{ "Enter", 13 }, { "Esc", 27 }, { "Tab", 9 }, { "S-Tab", KEY_BTAB },
	{ "Space", ' ' }, { "Backspace", KEY_BACKSPACE },
	{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
	{ "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Del", KEY_DC }, { "Ins", KEY_IC },
	{ "lt", '<' },
	/* aliases */
	{ "CR", 13 }, { "Return", 13 }, { "Escape", 27 }, { "BS", KEY_BACKSPACE },
	{ "PageUp", KEY_PPAGE }, { "PageDown", KEY_NPAGE }, { "Delete", KEY_DC },
	{ "Insert", KEY_IC }, { "BackTab", KEY_BTAB },
};

static int parse_inner(const char *s, size_t len)
{
	size_t i;
	char tmp[32];

	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if ((tmp[0] == 'C' || tmp[0] == 'c') && tmp[1] == '-' && len == 3) {
		int c = tolower((unsigned char)tmp[2]);
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		return -1;
	}
	if ((tmp[0] == 'M' || tmp[0] == 'm') && tmp[1] == '-' && len >= 3) {
		int k;
		if (len == 3 && tmp[2] > ' ' && tmp[2] < 0x7f)
			k = tmp[2];
		else
			k = parse_inner(tmp + 2, len - 2);
		return k < 0 || (k & KM_META) ? -1 : (KM_META | k);
	}
	if ((tmp[0] == 'F' || tmp[0] == 'f') && len >= 2 && len <= 3 && isdigit((unsigned char)tmp[1])) {
		char *end;
		long f = strtol(tmp + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 24)
			return KEY_F((int)f);
		return -1;
	}
	for (i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (strcasecmp(tmp, named_keys[i].name) == 0)
			return named_keys[i].code;
	return -1;
}

int km_parse_key(const char *name)
{
	size_t len;

	if (!name)
		return -1;
	len = strlen(name);
	if (len == 1)
		return (name[0] > ' ' && name[0] < 0x7f) ? name[0] : -1;
	if (len >= 3 && name[0] == '<' && name[len - 1] == '>')
		return parse_inner(name + 1, len - 2);
	return -1;
}

static void inner_name(int key, char *out, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (named_keys[i].code == key && key != '<') {
			snprintf(out, n, "%s", named_keys[i].name);
			return;
		}
	if (key >= 1 && key <= 26) {
		snprintf(out, n, "C-%c", 'a' + key - 1);
		return;
	}
	if (key > ' ' && key < 0x7f) {
		snprintf(out, n, "%c", key);
		return;
	}
	if (key >= KEY_F(1) && key <= KEY_F(24)) {
		snprintf(out, n, "F%d", key - KEY_F0);
		return;
	}
	snprintf(out, n, "?%d", key);
}

void km_key_name(int key, char *out, size_t n)
{
	char inner[32];

	if (n == 0)
		return;
	if (key & KM_META) {
		inner_name(key & ~KM_META, inner, sizeof inner);
		snprintf(out, n, "<M-%s>", inner);
		return;
	}
	if (key > ' ' && key < 0x7f) {
		snprintf(out, n, "%c", key);
		return;
	}
	inner_name(key, inner, sizeof inner);
	snprintf(out, n, "<%s>", inner);
}

int km_normalize(int key)
{
	switch (key) {
	case KEY_ENTER: return 13;
	case 127: return KEY_BACKSPACE;
	default: return key;
	}
}

/* ---- tables ------------------------------------------------------------- */

const char *km_context_name(enum km_context c)
{
	return (c >= 0 && c < KC_COUNT) ? ctx_names[c] : NULL;
}

const char *km_context_title(enum km_context c)
{
	return (c >= 0 && c < KC_COUNT) ? ctx_titles[c] : NULL;
}

enum km_context km_context_from_name(const char *name)
{
	int i;

	for (i = 0; name && i < KC_COUNT; i++)
		if (strcmp(ctx_names[i], name) == 0)
			return (enum km_context)i;
	return KC_NONE;
}

#define ACTION_OK(a) ((int)(a) >= 0 && (a) < ACT_COUNT)

const char *km_action_name(enum km_action a) { return ACTION_OK(a) ? actions[a].name : NULL; }
const char *km_action_help(enum km_action a) { return ACTION_OK(a) ? actions[a].help : NULL; }
const char *km_action_group(enum km_action a) { return ACTION_OK(a) ? actions[a].group : NULL; }
unsigned km_action_contexts(enum km_action a) { return ACTION_OK(a) ? actions[a].contexts : 0; }
const char *km_action_default_keys(enum km_action a) { return ACTION_OK(a) ? actions[a].keys : NULL; }

enum km_action km_action_from_name(const char *name)
{
	int i;

	for (i = 0; name && i < ACT_COUNT; i++)
		if (strcmp(actions[i].name, name) == 0)
			return (enum km_action)i;
	return ACT_NONE;
}

/* ---- the map ------------------------------------------------------------ */

static struct kb *find_kb(const struct km_map *m, enum km_context ctx, int key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->b[i].ctx == ctx && m->b[i].key == key)
			return &m->b[i];
	return NULL;
}

static void put(struct km_map *m, enum km_context ctx, int key, enum km_action a, const char *cmd, bool rebound)
{
	struct kb *b = find_kb(m, ctx, key);

	if (!b) {
		m->b = xgrow(m->b, &m->cap, m->n + 1, sizeof *m->b);
		b = &m->b[m->n++];
		b->cmd = NULL;
	}
	free(b->cmd);
	b->key = key;
	b->ctx = ctx;
	b->action = a;
	b->cmd = cmd ? xasprintf(":%s", cmd) : NULL;
	b->rebound = rebound;
}

struct km_map *km_new_default(void)
{
	struct km_map *m = xcalloc(1, sizeof *m);
	int a;

	for (a = 0; a < ACT_COUNT; a++) {
		const char *p = actions[a].keys;
		while (*p) {
			char tok[48];
			size_t len = strcspn(p, " ");
			const char *colon;
			int c, key;
			enum km_context only = KC_NONE;

			if (len == 0) {
				p++;
				continue;
			}
			snprintf(tok, sizeof tok, "%.*s", (int)len, p);
			p += len;
			colon = strchr(tok, ':');
			if (colon && colon != tok && tok[0] != '<') {
				char cn[24];
				snprintf(cn, sizeof cn, "%.*s", (int)(colon - tok), tok);
				only = km_context_from_name(cn);
				memmove(tok, colon + 1, strlen(colon + 1) + 1);
			}
			key = km_parse_key(tok);
			if (key < 0)
				continue;   /* test_keymap checks every default key parses */
			for (c = 0; c < KC_COUNT; c++) {
				if (only != KC_NONE ? c != (int)only : !(actions[a].contexts & (1u << c)))
					continue;
				put(m, (enum km_context)c, key, (enum km_action)a, NULL, false);
			}
		}
	}
	return m;
}

void km_free(struct km_map **pm)
{
	size_t i;

	if (!pm || !*pm)
		return;
	for (i = 0; i < (*pm)->n; i++)
		free((*pm)->b[i].cmd);
	free((*pm)->b);
	free(*pm);
	*pm = NULL;
}

static bool replacing(enum km_context ctx)
{
	return ctx == KC_PROMPT || ctx == KC_DIALOG || ctx == KC_HELP;
}

int km_chain(enum km_context ctx, enum km_context cls, enum km_context out[3])
{
	int n = 0;

	if (ctx < 0 || ctx >= KC_COUNT)
		ctx = KC_GENERIC;
	out[n++] = ctx;
	if (replacing(ctx) || ctx == KC_GENERIC)
		return n;
	if (cls > KC_GENERIC && cls < KC_COUNT && cls != ctx && !replacing(cls))
		out[n++] = cls;
	out[n++] = KC_GENERIC;
	return n;
}

static const struct kb *lookup_kb(const struct km_map *m, enum km_context ctx, enum km_context cls, int key)
{
	enum km_context ch[3];
	int i, n = km_chain(ctx, cls, ch);

	for (i = 0; i < n; i++) {
		const struct kb *b = find_kb(m, ch[i], key);
		if (b)
			return b;
	}
	return NULL;
}

enum km_action km_lookup(const struct km_map *m, enum km_context ctx, enum km_context cls, int key)
{
	const struct kb *b = m ? lookup_kb(m, ctx, cls, km_normalize(key)) : NULL;

	return b ? b->action : ACT_NONE;
}

const char *km_bound_command(const struct km_map *m, enum km_context ctx, enum km_context cls, int key)
{
	const struct kb *b = m ? lookup_kb(m, ctx, cls, km_normalize(key)) : NULL;

	return (b && b->cmd) ? b->cmd + 1 : NULL;
}

enum wz_status km_bind(struct km_map *m, const char *ctx, const char *key, const char *what,
		       struct wz_err *err)
{
	enum km_context c = km_context_from_name(ctx);
	enum km_action a;
	int k;

	if (c == KC_NONE)
		return wz_err_set(err, WZ_EPARSE,
				  "unknown context '%s' (generic, list, detail, a pane name, prompt, dialog or help)",
				  ctx ? ctx : "");
	k = km_parse_key(key);
	if (k < 0)
		return wz_err_set(err, WZ_EPARSE,
				  "unknown key '%s' (write a, A, <Enter>, <C-x>, <M-x>, <F5>, <PgDn>, ...)",
				  key ? key : "");
	if (what && what[0] == ':') {
		if (what[1] == '\0')
			return wz_err_set(err, WZ_EPARSE, "empty command after ':' for key %s", key);
		put(m, c, k, ACT_COMMAND, what + 1, true);
		return WZ_OK;
	}
	a = km_action_from_name(what);
	if (a == ACT_NONE)
		return wz_err_set(err, WZ_EPARSE,
				  "unknown action '%s' (see wisdom --dump-keymap=config for the names, or use :command)",
				  what ? what : "");
	put(m, c, k, a, NULL, true);
	return WZ_OK;
}

enum wz_status km_unbind(struct km_map *m, const char *ctx, const char *key, struct wz_err *err)
{
	enum km_context c = km_context_from_name(ctx);
	struct kb *b;
	int k;

	if (c == KC_NONE)
		return wz_err_set(err, WZ_EPARSE, "unknown context '%s'", ctx ? ctx : "");
	k = km_parse_key(key);
	if (k < 0)
		return wz_err_set(err, WZ_EPARSE, "unknown key '%s'", key ? key : "");
	b = find_kb(m, c, k);
	if (!b)
		return wz_err_set(err, WZ_ENOENT, "key %s is not bound in context %s", key, ctx);
	free(b->cmd);
	memmove(b, b + 1, (size_t)(&m->b[m->n] - (b + 1)) * sizeof *b);
	m->n--;
	return WZ_OK;
}

bool km_binding_at(const struct km_map *m, size_t i, struct km_binding_view *out)
{
	if (!m || i >= m->n)
		return false;
	out->ctx = m->b[i].ctx;
	out->key = m->b[i].key;
	out->action = m->b[i].action;
	out->command = m->b[i].cmd ? m->b[i].cmd + 1 : NULL;
	out->rebound = m->b[i].rebound;
	return true;
}

bool km_key_for(const struct km_map *m, enum km_context ctx, enum km_context cls, enum km_action a,
		char *out, size_t n)
{
	enum km_context ch[3];
	int i, nc = km_chain(ctx, cls, ch);
	size_t j;

	for (i = 0; m && i < nc; i++)
		for (j = 0; j < m->n; j++) {
			const struct kb *b = &m->b[j];
			if (b->ctx == ch[i] && b->action == a && lookup_kb(m, ctx, cls, b->key) == b) {
				km_key_name(b->key, out, n);
				return true;
			}
		}
	if (n)
		out[0] = '\0';
	return false;
}
