/* viewops_copy.c - `y`/`Y` (ui.md §2, §7 copy-command): the selected row's
 * link (a URL or path:line in the row; in the Audit pane the artifact's
 * run path) or value (the first column, the test name in the Tests pane)
 * goes to `copy-command` on its stdin or, when that is empty, to the
 * terminal as OSC 52; script mode traces it instead. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/viewops_int.h"
#include "util/xalloc.h"

static char *base64(const char *s, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = xmalloc(4 * ((n + 2) / 3) + 1), *q = o;
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) |
			     (i + 2 < n ? u[i + 2] : 0);
		*q++ = al[v >> 18 & 63];
		*q++ = al[v >> 12 & 63];
		*q++ = i + 1 < n ? al[v >> 6 & 63] : '=';
		*q++ = i + 2 < n ? al[v & 63] : '=';
	}
	*q = '\0';
	return o;
}

/* Puts `val` on the clipboard: `copy-command` (value on its stdin) or an
 * OSC 52 sequence to the terminal; script mode traces it instead. */
static void clip_copy(struct app *a, const char *what, const char *val)
{
	const char *cmd = cfg_get(a->cfg, "copy-command");
	char *b64 = base64(val, strlen(val));

	if (cmd && *cmd) {
		app_trace(a, "copy", "%s <<< %s", cmd, val);
		if (!a->headless && a->curses_on) {
			FILE *p = popen(cmd, "w");
			int st = -1;
			if (p) {
				fputs(val, p);
				st = pclose(p);
			}
			if (st != 0) {
				app_message(a, true, "copy-command '%s' failed (status %d): check `:set copy-command`",
					    cmd, st);
				free(b64);
				return;
			}
		}
	} else {
		app_trace(a, "copy", "osc52 %s", b64);
		if (!a->headless && a->curses_on && a->term_out) {
			fprintf(a->term_out, "\033]52;c;%s\a", b64);
			fflush(a->term_out);
		}
	}
	app_message(a, false, "Copied %s: %.200s%s", what, val,
		    a->headless || !a->curses_on ? " (script mode: traced, not sent)" : "");
	free(b64);
}

static char *trim_dup(const char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return xasprintf("%.*s", (int)n, s);
}

/* The first token of `s` that looks like a link: URL or path:line. */
static char *find_link(const char *s)
{
	for (const char *t = s; *t;) {
		size_t n;
		t += strspn(t, " ");
		n = strcspn(t, " ");
		if (n == 0)
			break;
		for (size_t k = 0; k + 3 <= n; k++)
			if (!strncmp(t + k, "://", 3))
				return xasprintf("%.*s", (int)n, t);
		for (size_t k = 1; k + 1 < n; k++)
			if (t[k] == ':' && isdigit((unsigned char)t[k + 1]) && t[k - 1] != ' ')
				return xasprintf("%.*s", (int)n, t);
		t += n;
	}
	return NULL;
}

void view_copy(struct app *a, bool link)
{
	struct pane_frame f;
	struct pane_view *v = app_view(a);
	struct pane *p = app_pane(a);
	struct vcol c[16];
	int nc;
	char *val = NULL;
	const char *what = link ? "link" : "value";

	app_build_focused(a, &f);
	if (v->cursor >= frame_n(&f) || !frame_row(&f, v->cursor)->selectable) {
		pane_frame_free(&f);
		app_message(a, false, "Nothing to copy on this row");
		return;
	}
	{
		const struct ui_row *r = frame_row(&f, v->cursor);
		char *all = row_text(r);
		nc = view_header_cols(&f, c, 16);
		if (link)
			val = find_link(all);
		if (!val && nc > 0) {
			/* the first column that is not a severity/state word */
			int ci = !strcmp(c[0].name, "SEV") && nc > 2 ? 2 : 0;
			char *ct = view_cell_text(r, c[ci].x0, c[ci].x1);
			val = trim_dup(ct);
			free(ct);
			if (link && a->d.run && a->d.run->id && !strcmp(p->ops->name, "audit")) {
				char *full = xasprintf(".runs/%s/%s", a->d.run->id, val);
				free(val);
				val = full;
				what = "path";
			}
		}
		if (!val)
			val = trim_dup(all);
		free(all);
	}
	pane_frame_free(&f);
	if (!val[0])
		app_message(a, false, "Nothing to copy on this row");
	else
		clip_copy(a, what, val);
	free(val);
}
