/* md_obs.c - observability inventory lines inside `## Inventory`. */
#include "config.h"
#include "sources/md_obs.h"
#include "sources/md_summary.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
#define MDO_X(e, m) m,
	MDO_KIND_TABLE(MDO_X)
#undef MDO_X
};

const char *mdo_kind_name(enum mdo_kind k)
{
	return (unsigned)k < MDO_NKINDS ? kind_names[k] : "?";
}

static bool inventory_heading(const char *l, size_t n)
{
	size_t i = 0;
	if (!mds_heading_level(l, n))
		return false;
	while (i < n && (l[i] == '#' || l[i] == ' '))
		i++;
	return n - i >= 9 && memcmp(l + i, "Inventory", 9) == 0 &&
	       (n - i == 9 || l[i + 9] == ' ' || l[i + 9] == '(' || l[i + 9] == ':');
}

static void add_entry(struct mdo *o, size_t *cap, enum mdo_kind k, const char *s, size_t n, int line)
{
	struct mdo_entry *e;
	size_t i = 0, ns;
	o->entries = xgrow(o->entries, cap, o->n + 1, sizeof *o->entries);
	e = &o->entries[o->n++];
	memset(e, 0, sizeof *e);
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	ns = i;
	while (i < n && !isspace((unsigned char)s[i]))
		i++;
	e->kind = k;
	e->name = xstrndup(s + ns, i - ns);
	e->rest = txt_trim_dup(s + i, n - i);
	e->line = line;
	e->sentinel = strcasecmp(e->name, "none") == 0 || e->name[0] == '\0';
	if (e->sentinel)
		o->sentinels++;
	else
		o->counts[k]++;
}

enum wz_status mdo_parse(const char *text, size_t len, struct mdo **out, struct wz_err *err)
{
	struct mdo *o;
	struct txt_lines it;
	const char *l;
	size_t n, cap = 0;
	int level = 0;
	bool in = false, fence = false;

	if (!out)
		return wz_err_set(err, WZ_EUSAGE, "mdo_parse: no output");
	*out = o = xcalloc(1, sizeof *o);
	if (!text)
		return WZ_OK;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		int h, k;
		if (mds_is_fence(l, n)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		h = mds_heading_level(l, n);
		if (h) {
			if (in && h <= level)
				in = false;
			if (!in && inventory_heading(l, n)) {
				in = true;
				level = h;
				if (!o->present) {
					o->present = true;
					o->heading_line = it.lineno;
				}
			}
			continue;
		}
		if (!in || n < 4 || l[0] != '-' || l[1] != ' ')
			continue;
		for (k = 0; k < MDO_NKINDS; k++) {
			size_t kl = strlen(kind_names[k]);
			if (n >= kl + 3 && memcmp(l + 2, kind_names[k], kl) == 0 && l[2 + kl] == ':') {
				add_entry(o, &cap, (enum mdo_kind)k, l + 3 + kl, n - 3 - kl, it.lineno);
				break;
			}
		}
	}
	return WZ_OK;
}

void mdo_free(struct mdo **p)
{
	size_t i;
	if (!p || !*p)
		return;
	for (i = 0; i < (*p)->n; i++) {
		free((*p)->entries[i].name);
		free((*p)->entries[i].rest);
	}
	free((*p)->entries);
	free(*p);
	*p = NULL;
}
