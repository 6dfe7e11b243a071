/* keymap_dump.c - help-screen rows from the live map, and
 * `wisdom --dump-keymap=roff|config` from the default map. */
#include "config.h"
#include "ui/keymap.h"
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* ---- help rows ---------------------------------------------------------- */

static bool is_pane(enum km_context c)
{
	return c >= KC_FLOW && c <= KC_LEARNINGS;
}

/* True when lookup along chain ch reaches the binding (no earlier context
 * of the chain binds the same key). */
static bool visible(const struct km_map *m, const enum km_context *ch, int nch,
		    const struct km_binding_view *b)
{
	struct km_binding_view o;
	size_t i;
	int c;

	for (c = 0; c < nch && ch[c] != b->ctx; c++)
		for (i = 0; km_binding_at(m, i, &o); i++)
			if (o.ctx == ch[c] && o.key == b->key)
				return false;
	return c < nch;
}

static int group_order(const char *group)
{
	int a;

	for (a = 0; a < ACT_COUNT; a++)
		if (strcmp(km_action_group((enum km_action)a), group) == 0)
			return a;
	return ACT_COUNT;
}

struct row_tmp {
	struct km_help_row r;
	int rank0;   /* 0 pane section, 1 groups, 2 commands */
	int rank1;   /* group order */
	int rank2;   /* action index */
	int seq;
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct row_tmp *a = pa, *b = pb;

	if (a->rank0 != b->rank0)
		return a->rank0 - b->rank0;
	if (a->rank1 != b->rank1)
		return a->rank1 - b->rank1;
	if (a->rank2 != b->rank2)
		return a->rank2 - b->rank2;
	return a->seq - b->seq;
}

static void append_key(struct km_help_row *r, int key, bool rebound)
{
	char name[40];
	size_t have = strlen(r->keys);

	km_key_name(key, name, sizeof name);
	if (have + strlen(name) + 3 > sizeof r->keys)
		return;   /* the row is full; the key still works */
	snprintf(r->keys + have, sizeof r->keys - have, "%s%s%s", have ? " " : "", name, rebound ? "*" : "");
	if (rebound)
		r->rebound = true;
}

size_t km_help_rows(const struct km_map *m, enum km_context ctx, enum km_context cls, struct km_help_row **rows)
{
	enum km_context ch[3];
	int nch = km_chain(ctx, cls, ch), c;
	struct row_tmp *t = NULL;
	size_t n = 0, cap = 0, i, j;
	struct km_binding_view b;

	for (c = 0; c < nch; c++) {
		for (i = 0; km_binding_at(m, i, &b); i++) {
			const char *section, *action;
			int rank0;

			if (b.ctx != ch[c] || !visible(m, ch, nch, &b))
				continue;
			if (b.action == ACT_COMMAND) {
				section = "Commands";
				action = b.command;
				rank0 = 2;
			} else if (c == 0 && is_pane(ch[0])) {
				section = km_context_title(ch[0]);
				action = km_action_name(b.action);
				rank0 = 0;
			} else {
				section = km_action_group(b.action);
				action = km_action_name(b.action);
				rank0 = 1;
			}
			for (j = 0; j < n; j++)
				if (t[j].r.section == section && strcmp(t[j].r.action, action) == 0)
					break;
			if (j == n) {
				t = xgrow(t, &cap, n + 1, sizeof *t);
				memset(&t[n], 0, sizeof t[n]);
				t[n].r.section = section;
				t[n].r.action = action;
				t[n].r.help = b.action == ACT_COMMAND ? "run this command" : km_action_help(b.action);
				t[n].rank0 = rank0;
				t[n].rank1 = rank0 == 1 ? group_order(section) : 0;
				t[n].rank2 = b.action == ACT_COMMAND ? ACT_COUNT : (int)b.action;
				t[n].seq = (int)n;
				n++;
			}
			append_key(&t[j].r, b.key, b.rebound);
		}
	}
	if (n)
		qsort(t, n, sizeof *t, row_cmp);
	*rows = xcalloc(n ? n : 1, sizeof **rows);
	for (i = 0; i < n; i++)
		(*rows)[i] = t[i].r;
	free(t);
	return n;
}

/* ---- dumps ------------------------------------------------------------- */

static const char *const ctx_blurb[KC_COUNT] = {
	[KC_GENERIC] = "Everywhere, unless a prompt, dialog or the help screen is open.",
	[KC_LIST] = "In every pane's list of rows.",
	[KC_DETAIL] = "In a drill-down (detail) view.",
	[KC_PROMPT] = "While typing a command, a search or a filter.",
	[KC_DIALOG] = "In a dialog such as the publish confirmation; movement keys scroll it.",
	[KC_HELP] = "On the help screen; movement keys scroll it.",
};

/* Writes s with roff specials escaped. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\e", out); break;
		case '-': fputs("\\-", out); break;
		case '"': fputs("\\(dq", out); break;
		default: fputc(*s, out); break;
		}
	}
}

static void dump_roff(const struct km_map *m, FILE *out)
{
	int c, a;

	fputs(".\\\" This region is generated from ui/actions.def by wisdom --dump-keymap=roff.\n", out);
	for (c = 0; c < KC_COUNT; c++) {
		bool any = false;

		for (a = 0; a < ACT_COUNT; a++) {
			struct km_binding_view b;
			size_t i;
			int nk = 0;

			for (i = 0; km_binding_at(m, i, &b); i++) {
				char name[40];
				if (b.ctx != (enum km_context)c || b.action != (enum km_action)a)
					continue;
				if (!any) {
					fprintf(out, ".SS %s\n", km_context_title((enum km_context)c));
					if (ctx_blurb[c]) {
						roff_text(out, ctx_blurb[c]);
						fputc('\n', out);
					} else {
						fputs("In the ", out);
						roff_text(out, km_context_title((enum km_context)c));
						fputs(" pane, before the list and detail keys.\n", out);
					}
					any = true;
				}
				if (nk++ == 0)
					fputs(".TP\n", out);
				else
					fputs(", ", out);
				km_key_name(b.key, name, sizeof name);
				fputs("\\fB", out);
				roff_text(out, name);
				fputs("\\fR", out);
			}
			if (nk) {
				fputs("\n\\fI", out);
				roff_text(out, km_action_name((enum km_action)a));
				fputs("\\fR \\(em ", out);
				roff_text(out, km_action_help((enum km_action)a));
				fputc('\n', out);
			}
		}
	}
	/* Actions without a default key can still be bound or typed after ':'. */
	fputs(".SS \"Actions without a default key\"\n", out);
	fputs("Bind them with \\fBbind\\fR or run them as \\fB:\\fR\\fIname\\fR.\n", out);
	for (a = 0; a < ACT_COUNT; a++) {
		if (km_action_default_keys((enum km_action)a)[0] != '\0')
			continue;
		fputs(".TP\n\\fI", out);
		roff_text(out, km_action_name((enum km_action)a));
		fputs("\\fR\n", out);
		roff_text(out, km_action_help((enum km_action)a));
		fputc('\n', out);
	}
}

static void dump_config(const struct km_map *m, FILE *out)
{
	int c;

	fputs("# wisdom default key bindings, from: wisdom --dump-keymap=config\n"
	      "# Syntax: bind CONTEXT KEY ACTION|:command   unbind CONTEXT KEY\n", out);
	for (c = 0; c < KC_COUNT; c++) {
		struct km_binding_view b;
		size_t i;
		bool any = false;

		for (i = 0; km_binding_at(m, i, &b); i++) {
			char name[40], line[128];
			if (b.ctx != (enum km_context)c)
				continue;
			if (!any)
				fprintf(out, "\n# %s\n", km_context_name((enum km_context)c));
			any = true;
			km_key_name(b.key, name, sizeof name);
			snprintf(line, sizeof line, "bind %s %s %s", km_context_name(b.ctx), name,
				 b.action == ACT_COMMAND ? b.command : km_action_name(b.action));
			fprintf(out, "%-40s # %s\n", line,
				b.action == ACT_COMMAND ? "command" : km_action_help(b.action));
		}
	}
	for (c = 0; c < ACT_COUNT; c++)
		if (km_action_default_keys((enum km_action)c)[0] == '\0')
			fprintf(out, "# (no key) %s: %s\n", km_action_name((enum km_action)c),
				km_action_help((enum km_action)c));
}

int ui_dump_keymap(const char *format, FILE *out)
{
	struct km_map *m;

	if (!format || (strcmp(format, "roff") != 0 && strcmp(format, "config") != 0)) {
		fprintf(stderr, "wisdom: --dump-keymap=%s: unknown format; use roff or config\n",
			format ? format : "");
		return 2;
	}
	m = km_new_default();
	if (strcmp(format, "roff") == 0)
		dump_roff(m, out);
	else
		dump_config(m, out);
	km_free(&m);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "wisdom: --dump-keymap: write error\n");
		return 2;
	}
	return 0;
}
