/* md_instants.c - when things happened, read from deploy and gate
 * artifacts: the deploy instant (timeline tables, labelled times), the
 * merge time, the smoke-test time and the smoke signal (spec/run-artifacts.md
 * §2 order). Every value carries the line it came from.
 */
#include "config.h"
#include "sources/md_verdicts.h"
#include "sources/md_verdicts_int.h"
#include "sources/md_summary.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Cells of a table row into (start,len) pairs; returns the count. */
static int table_cells(const char *l, size_t n, size_t cs[][2], int max)
{
	size_t i = 0, s;
	int k = 0;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i >= n || l[i] != '|')
		return 0;
	i++;
	s = i;
	for (; i <= n && k < max; i++) {
		if (i == n || l[i] == '|') {
			size_t a = s, b = i;
			while (a < b && isspace((unsigned char)l[a]))
				a++;
			while (b > a && isspace((unsigned char)l[b - 1]))
				b--;
			if (i < n || b > a) {
				cs[k][0] = a;
				cs[k][1] = b - a;
				k++;
			}
			s = i + 1;
		}
	}
	return k;
}

static bool time_in(const char *s, size_t n, double *t, int *fl)
{
	char buf[256];
	mdv_line_copy(buf, sizeof buf, s, n);
	*fl = 0;
	return tp_find(buf, t, fl) != 0;
}

/* `Label` somewhere on the line (row, bullet, bold), then a timestamp. */
static bool label_time(const char *l, size_t n, const char *label, double *t, int *fl)
{
	const char *p = mdv_ci_find(l, n, label);
	if (!p)
		return false;
	p += strlen(label);
	return time_in(p, n - (size_t)(p - l), t, fl);
}

enum tl_kind { TL_PROD_DEPLOY, TL_MERGE };

static bool timeline_row(const char *text, size_t len, enum tl_kind kind, struct mdv_time *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	int level = 0;
	bool in = false, fence = false, found = false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t cs[8][2];
		int k, c;
		double t;
		int fl;
		if (mds_is_fence(l, n)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		if (mdv_heading_is(l, n, "Timeline", &level)) {
			in = true;
			continue;
		}
		if (in && mds_heading_level(l, n) && mds_heading_level(l, n) <= level)
			in = false;
		if (!in || (k = table_cells(l, n, cs, 8)) < 2)
			continue;
		if (!time_in(l + cs[0][0], cs[0][1], &t, &fl))
			continue;
		for (c = 1; c < k; c++) {
			const char *e = l + cs[c][0];
			size_t el = cs[c][1];
			bool hit;
			if (kind == TL_PROD_DEPLOY)
				hit = (mdv_ci_find(e, el, "deploy") || mdv_ci_find(e, el, "rollout") ||
				       mdv_ci_find(e, el, "rolled out")) && mdv_ci_find(e, el, "prod");
			else
				hit = mdv_ci_find(e, el, "merge") || mdv_ci_find(e, el, "tag") ||
				      mdv_ci_find(e, el, "release");
			if (!hit)
				continue;
			if (kind == TL_PROD_DEPLOY) {
				mdv_set_time(out, t, fl, it.lineno, "Timeline production deploy");
				return true;
			}
			if (!found || t < out->t) {
				mdv_set_time(out, t, fl, it.lineno, "Timeline merge/tag/release");
				found = true;
			}
			break;
		}
	}
	return found;
}

bool mdv_deploy_instant(const char *text, size_t len, struct mdv_time *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t vs, vl;
		double t;
		int fl;
		if (mdv_key_value(l, n, "deployed_at", &vs, &vl) && time_in(l + vs, vl, &t, &fl)) {
			mdv_set_time(out, t, fl, it.lineno, "deployed_at");
			return true;
		}
		if (label_time(l, n, "Deployed At", &t, &fl)) {
			mdv_set_time(out, t, fl, it.lineno, "Deployed At");
			return true;
		}
	}
	return timeline_row(text, len, TL_PROD_DEPLOY, out);
}

bool mdv_merge_time(const char *text, size_t len, struct mdv_time *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	int level = 0;
	bool in_ts = false;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		double t;
		int fl;
		if (label_time(l, n, "Merged At", &t, &fl)) {
			mdv_set_time(out, t, fl, it.lineno, "Merged At");
			return true;
		}
	}
	if (timeline_row(text, len, TL_MERGE, out))
		return true;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		double t;
		int fl;
		if (mdv_heading_is(l, n, "Timestamp", &level)) {
			in_ts = true;
			continue;
		}
		if (in_ts && mds_heading_level(l, n) && mds_heading_level(l, n) <= level)
			break;
		if (in_ts && time_in(l, n, &t, &fl)) {
			mdv_set_time(out, t, fl, it.lineno, "## Timestamp");
			return true;
		}
	}
	return false;
}

bool mdv_smoke_time(const char *text, size_t len, struct mdv_time *out, bool *approximate)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	int level = 0;
	bool in_obs = false;
	memset(out, 0, sizeof *out);
	if (approximate)
		*approximate = false;
	if (!text)
		return false;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t i = 0;
		double t;
		int fl;
		if (mdv_heading_is(l, n, "Observations", &level)) {
			in_obs = true;
			continue;
		}
		if (in_obs && mds_heading_level(l, n) && mds_heading_level(l, n) <= level)
			in_obs = false;
		if (!in_obs)
			continue;
		while (i < n && l[i] == ' ')
			i++;
		if (i + 1 >= n || (l[i] != '*' && l[i] != '-') || l[i + 1] != ' ')
			continue;
		i += 2;
		while (i < n && (l[i] == '*' || l[i] == ' '))
			i++;
		if (i < n && isdigit((unsigned char)l[i]) && time_in(l + i, n - i, &t, &fl) &&
		    (mdv_ci_find(l, n, "merge") || mdv_ci_find(l, n, "deploy"))) {
			mdv_set_time(out, t, fl, it.lineno, "Observations merge/deploy");
			return true;
		}
	}
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		double t;
		int fl;
		if (label_time(l, n, "**Timestamp", &t, &fl)) {
			mdv_set_time(out, t, fl, it.lineno, "smoke **Timestamp**");
			if (approximate)
				*approximate = true;
			return true;
		}
	}
	return false;
}

bool mdv_smoke_signal(const char *text, size_t len, const char *path, struct mdv_value *out)
{
	struct txt_lines it;
	const char *l;
	size_t n;
	int after = 0, guard = 0;
	memset(out, 0, sizeof *out);
	if (!text)
		return false;
	for (;;) {
		struct mds *m = NULL;
		const struct mds_item *v;
		mds_parse_after(text, len, path, after, &m, NULL);
		if (!m || !m->found || guard++ > 64) {
			mds_free(&m);
			break;
		}
		v = mds_get(m, "smoke_signal");
		if (v && v->value) {
			mdv_set_value(out, v->value, strlen(v->value), v->line, "Machine Summary smoke_signal");
			mds_free(&m);
			return true;
		}
		after = m->end_line > after ? m->end_line : after + 1;
		mds_free(&m);
	}
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &l, &n)) {
		size_t vs, vl, e = 0;
		if (!mdv_key_value(l, n, "smoke_signal", &vs, &vl) &&
		    !mdv_key_value(l, n, "Smoke signal", &vs, &vl))
			continue;
		while (e < vl && (isupper((unsigned char)l[vs + e]) || l[vs + e] == '_'))
			e++;
		if (e >= 3) {
			mdv_set_value(out, l + vs, e, it.lineno, "smoke_signal line");
			return true;
		}
	}
	return false;
}
