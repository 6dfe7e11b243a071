/* audit_pack.c - reads the matrix of the pack's wisdom/artifact_audit.md
 * (spec/run-artifacts.md §12; wisdom's own copy of the pack's file in
 * wisdom/.pack/ wins, §12.1) and marks where it disagrees with the files.
 *
 * The table is the first one under a `## Matrix` heading; its header names
 * the columns: `Flow`, `Artifact`, and `Status` (pack) or `State` (wisdom).
 * Rows naming an artifact wisdom's table does not list are added as
 * optional rows, checked on disk. */
#include "config.h"
#include "analysis/audit.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PACK_AUDIT_MAX ((size_t)4 << 20)
#define MAX_CELLS 16

/* Splits a `| a | b |` row into trimmed cells (malloc'd). Returns count. */
static int split_row(const char *s, size_t n, char **cells)
{
	const char *e = s + n, *c;
	int k = 0;
	while (s < e && isspace((unsigned char)*s))
		s++;
	if (s >= e || *s != '|')
		return 0;
	c = s + 1;
	while (c < e && k < MAX_CELLS) {
		const char *bar = memchr(c, '|', (size_t)(e - c));
		size_t len;
		char *t;
		if (!bar)
			break;
		len = (size_t)(bar - c);
		t = txt_trim_dup(c, len);
		/* drop markdown decoration around the cell */
		{
			size_t tl = strlen(t), i = 0;
			while (i < tl && (t[i] == '`' || t[i] == '*'))
				i++;
			while (tl > i && (t[tl - 1] == '`' || t[tl - 1] == '*'))
				t[--tl] = '\0';
			memmove(t, t + i, tl - i + 1);
		}
		cells[k++] = t;
		c = bar + 1;
	}
	return k;
}

static void free_cells(char **cells, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free(cells[i]);
}

static int col_of(char **cells, int n, const char *a, const char *b)
{
	int i;
	for (i = 0; i < n; i++)
		if (txt_ieq(cells[i], a) || (b && txt_ieq(cells[i], b)))
			return i;
	return -1;
}

/* First word, lower case. */
static char *word_of(const char *s)
{
	size_t n = 0;
	char *w;
	while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_'))
		n++;
	w = xstrndup(s, n);
	for (n = 0; w[n]; n++)
		w[n] = (char)tolower((unsigned char)w[n]);
	return w;
}

static bool contradicts(const char *pack, enum audit_state st)
{
	bool says_there = !strcmp(pack, "present") || !strcmp(pack, "ok") || !strcmp(pack, "exists") ||
			  !strcmp(pack, "stub");
	bool says_gone = !strcmp(pack, "missing") || !strcmp(pack, "absent");
	if (says_there)
		return st == AUD_MISSING || st == AUD_EMPTY;
	if (says_gone)
		return st != AUD_MISSING;
	if (!strcmp(pack, "empty"))
		return st != AUD_EMPTY;
	return false;
}

static void merge_row(const struct run *r, struct audit *a, const char *flow, const char *art,
		      const char *status)
{
	char lower[16];
	int f;
	char *rel, *w;
	struct audit_row *row = NULL;
	size_t i;
	for (i = 0; flow[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)tolower((unsigned char)flow[i]);
	lower[i] = '\0';
	flow = lower;
	f = run_flow_from_name(flow);
	if (f < 0 || !*art || strstr(art, "..") || art[0] == '/' || !r->flows[f].dir_present)
		return;   /* flows that did not run have no rows (audit.h) */
	/* the artifact cell may repeat the flow folder */
	{
		size_t fl = strlen(flow);
		if (!strncmp(art, flow, fl) && art[fl] == '/')
			art += fl + 1;
	}
	rel = xasprintf("%s/%s", flow, art);
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->rows[i].artifact, rel)) {
			row = &a->rows[i];
			break;
		}
	if (!row) {
		/* only plain relative names are checked on disk */
		for (i = 0; art[i]; i++)
			if (!(isalnum((unsigned char)art[i]) || strchr("._-/*", art[i]))) {
				free(rel);
				return;
			}
		row = audit_add_checked(r, a, (enum run_flow)f, art, false,
					"listed in the pack's artifact_audit.md");
	}
	w = word_of(status);
	free(row->pack_state);
	row->pack_state = w;
	row->disagrees = contradicts(w, row->state);
	free(rel);
}

void audit_pack_merge(const struct run *r, struct audit *a)
{
	static const char *const where[] = {"wisdom/.pack/artifact_audit.md", "wisdom/artifact_audit.md"};
	char *data = NULL, *cells[MAX_CELLS];
	size_t len = 0, k;
	struct txt_lines it;
	const char *line;
	size_t n;
	bool in_matrix = false;
	int cf = -1, ca = -1, cs = -1;

	for (k = 0; k < 2 && !data; k++) {
		char *p = fio_join(r->path, where[k]);
		struct wz_err err = {0};
		if (fio_is_file(p) && fio_read(p, PACK_AUDIT_MAX, &data, &len, &err) == WZ_OK)
			a->pack_audit = xstrdup(where[k]);
		free(p);
	}
	if (!data)
		return;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n)) {
		int nc;
		if (n >= 2 && line[0] == '#' && line[1] == '#') {
			size_t h = 0;
			char *t;
			if (in_matrix && cf >= 0)
				break;              /* the matrix section ended */
			while (h < n && line[h] == '#')
				h++;
			t = txt_trim_dup(line + h, n - h);
			in_matrix = h == 2 && txt_starts_with(t, "Matrix");
			free(t);
			continue;
		}
		if (!in_matrix)
			continue;
		nc = split_row(line, n, cells);
		if (nc == 0)
			continue;
		if (cf < 0) {
			cf = col_of(cells, nc, "Flow", NULL);
			ca = col_of(cells, nc, "Artifact", "File");
			cs = col_of(cells, nc, "Status", "State");
			if (cf < 0 || ca < 0 || cs < 0)
				cf = -1;
		} else if (cells[0][0] != '-' && cells[0][0] != ':' && cf < nc && ca < nc && cs < nc) {
			merge_row(r, a, cells[cf], cells[ca], cells[cs]);
		}
		free_cells(cells, nc);
	}
	free(data);
}
