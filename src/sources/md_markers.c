/* md_markers.c - line-start marker counting and stated counts. */
#include "config.h"
#include "sources/md_markers.h"
#include "util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* One pattern per RUN_MARKER_TABLE entry, same order (checked below). */
static const struct {
	enum run_marker mk;
	const char *pattern;
	const char *const keys[3];
} markers[] = {
	{MK_REG,       "### REG-%d%d%d:",        {"regressions_found", NULL}},
	{MK_LEARNING,  "## Learning: ",       {"learnings_extracted", "learnings_count", NULL}},
	{MK_ACTION,    "- ACTION: ",          {"actions", NULL}},
	{MK_PACK_OBS,  "- PACK_OBS: ",        {"pack_observations", NULL}},
	{MK_ISSUE,     "- ISSUE: ",           {"issue_drafts", NULL}},
	{MK_SUG,       "- [ ] SUG-%d+",        {"suggestions", NULL}},
	{MK_INV_ISSUE, "- ISSUE_DRAFT: ",     {"issue_drafts", NULL}},
	{MK_INV_SUG,   "- SUGGESTION: ",      {"suggestions", NULL}},
	{MK_REQ,       "### REQ-%d%d%d",         {NULL}},
	{MK_NFR,       "### NFR-%A+-%d%d%d",      {NULL}},
};

_Static_assert(sizeof markers / sizeof markers[0] == MK_COUNT,
	       "md_markers.c: one pattern per RUN_MARKER_TABLE entry");

const char *mdm_pattern(enum run_marker mk)
{
	return (unsigned)mk < MK_COUNT && markers[mk].mk == mk ? markers[mk].pattern : "";
}

const char *const *mdm_stated_keys(enum run_marker mk)
{
	static const char *const none[] = {NULL};
	return (unsigned)mk < MK_COUNT && markers[mk].mk == mk ? markers[mk].keys : none;
}

static bool match_at(const char *l, size_t n, const char *pat)
{
	size_t i = 0;
	while (*pat) {
		if (pat[0] == '%' && (pat[1] == 'd' || pat[1] == 'A')) {
			bool upper = pat[1] == 'A';
			bool more = pat[2] == '+';
			size_t s = i;
			while (i < n && (upper ? (l[i] >= 'A' && l[i] <= 'Z') : isdigit((unsigned char)l[i]))) {
				i++;
				if (!more)
					break;
			}
			if (i == s)
				return false;
			pat += more ? 3 : 2;
		} else {
			if (i >= n || l[i] != *pat)
				return false;
			i++;
			pat++;
		}
	}
	return true;
}

void mdm_count_pattern(const char *text, size_t len, const char *pattern, struct mdm_count *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	out->counted = 0;
	out->first_line = 0;
	if (!text || !pattern || !*pattern)
		return;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		if (n && l[0] == pattern[0] && match_at(l, n, pattern)) {
			if (!out->counted)
				out->first_line = it.lineno;
			out->counted++;
		}
	}
}

void mdm_count(const char *text, size_t len, enum run_marker mk, struct mdm_count *out)
{
	mdm_count_pattern(text, len, mdm_pattern(mk), out);
}

bool mdm_stated(const char *text, size_t len, const char *key, double *v, int *line)
{
	struct txt_lines it;
	const char *l;
	size_t n, kl;
	if (!text || !key)
		return false;
	kl = strlen(key);
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t i = 0;
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i + 1 < n && (l[i] == '-' || l[i] == '*') && l[i + 1] == ' ') {
			i += 2;
			while (i < n && l[i] == ' ')
				i++;
		}
		if (i + 2 <= n && l[i] == '*' && l[i + 1] == '*')
			i += 2;
		if (n - i < kl || memcmp(l + i, key, kl) != 0)
			continue;
		i += kl;
		if (i + 2 <= n && l[i] == '*' && l[i + 1] == '*')
			i += 2;
		if (i >= n || l[i] != ':')
			continue;
		i++;
		if (i + 2 <= n && l[i] == '*' && l[i + 1] == '*')
			i += 2;
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i + 2 <= n && l[i] == '*' && l[i + 1] == '*')
			i += 2;
		if (i >= n || !isdigit((unsigned char)l[i]))
			continue;
		{
			double d = 0;
			size_t s = i;
			while (i < n && isdigit((unsigned char)l[i]) && i - s < 15)
				d = d * 10 + (l[i++] - '0');
			if (i < n && (isalnum((unsigned char)l[i]) || l[i] == '.' || l[i] == '_'))
				continue; /* `5.2`, `5x`: not a count */
			if (v)
				*v = d;
			if (line)
				*line = it.lineno;
			return true;
		}
	}
	return false;
}
