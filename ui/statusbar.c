/* statusbar.c - the tab bar and the status bar (ui.md §1.1): segments
 * dropped right to left when short of space; the run id stays, shortened
 * in the middle to no less than 12 cells. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "sources/extensions.h"
#include "ui/app.h"
#include "ui/pane_learnings.h"
#include "util/sanitize.h"

void tabbar_build(struct app *a, int cols, struct ui_row *out)
{
	for (int i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &a->panes[i];
		bool focus = i == a->focus;
		int g = p->ops->tab_glyph ? p->ops->tab_glyph(p, &a->d) : -1;
		int role = focus ? ROLE_TAB_ACTIVE : ROLE_TAB;
		char d[4];

		snprintf(d, sizeof d, "%d", (i + 1) % 10);
		row_put(out, ROLE_TAB, focus ? "[" : " ");
		row_put(out, role, d);
		if (g >= 0)
			row_put(out, g == G_CRIT || g == G_FAIL ? (focus ? role : ROLE_SEV_CRITICAL)
								: (focus ? role : ROLE_WARN),
				ui_glyph((enum ui_glyph)g));
		else
			row_put(out, role, " ");
		if (cols >= LAY_WIDE_TABS)
			row_put(out, role, p->ops->title);
		else if (cols >= LAY_FULL_COLS)
			row_put(out, role, p->ops->tab);
		row_put(out, ROLE_TAB, focus ? "]" : " ");
	}
}

static void flows_seg(const struct run *r, struct ui_row *s)
{
	for (int f = 0; f < FLOW_COUNT; f++) {
		const struct receipt *rc = &r->flows[f].receipt;
		enum ui_glyph g;
		int role;
		char l[2] = {run_flow_letter((enum run_flow)f), 0};

		if (f == FLOW_REVIEW && r->generation == GEN_DEMOSWARM_6)
			continue;
		switch (rc->status) {
		case RS_VERIFIED: g = G_OK; role = ROLE_OK; break;
		case RS_UNVERIFIED: case RS_PARTIAL: g = G_UNVERIFIED; role = ROLE_WARN; break;
		case RS_CANNOT_PROCEED: g = G_FAIL; role = ROLE_SEV_CRITICAL; break;
		case RS_IN_PROGRESS: g = G_RUNNING; role = ROLE_STATUS; break;
		case RS_ABSENT: g = G_MISSING_DOT; role = ROLE_MISSING; break;
		default: g = G_UNVERIFIED; role = ROLE_WARN; break;
		}
		row_put(s, ROLE_STATUS, l);
		row_put(s, role, ui_glyph(g));
	}
}

static void backends_seg(const struct app *a, struct ui_row *s)
{
	struct ext_result res[EB_COUNT];
	int k = 0;

	ext_detect(ext_getenv, NULL, res);
	for (int b = 0; b < EB_COUNT; b++) {
		char nm[8];
		if (res[b].state == EXT_SKIPPED)
			continue;
		snprintf(nm, sizeof nm, "%.4s", ext_backend_name((enum ext_backend)b));
		if (k++)
			row_put(s, ROLE_STATUS, " ");
		row_put(s, ROLE_STATUS, nm);
		if (res[b].state == EXT_MISCONFIGURED)
			row_put(s, ROLE_MESSAGE_ERROR, ui_glyph(G_ERROR));
		else
			row_put(s, ROLE_STATUS, ui_glyph(G_OFFLINE));
	}
	(void)a;
	if (k == 0)
		row_put(s, ROLE_STATUS, "files-only");
}

/* "7? 4✓ 1✗ 1✎" from the Learnings pane's journal; false until loaded. */
static bool learn_seg(const struct app *a, struct ui_row *s, bool *ro)
{
	int c[JR_STATE_COUNT];
	static const int role[JR_STATE_COUNT] = {ROLE_LEARN_PROPOSED, ROLE_LEARN_ACCEPTED, ROLE_LEARN_REJECTED,
						 ROLE_LEARN_EDITED};
	static const enum ui_glyph g[JR_STATE_COUNT] = {G_PROPOSED, G_ACCEPTED, G_REJECTED, G_EDITED};

	*ro = false;
	for (int i = 0; i < PANE_COUNT; i++)
		if (a->panes[i].ops->ctx == KC_LEARNINGS && lrn_counts(&a->panes[i], c, ro)) {
			for (int k = 0; k < JR_STATE_COUNT; k++) {
				row_printf(s, k ? ROLE_STATUS : role[k], "%s%d", k ? " " : "", c[k]);
				row_put(s, role[k], ui_glyph(g[k]));
			}
			return true;
		}
	return false;
}

/* "⟳ label 40% +N": the newest unfinished job, and how many others. */
static bool jobs_seg(struct ui_row *s)
{
	struct job_info ji[32];
	size_t n = job_list(ji, 32), active = 0;
	const struct job_info *newest = NULL;

	for (size_t i = 0; i < n; i++)
		if (ji[i].state == JOB_QUEUED || ji[i].state == JOB_RUNNING) {
			if (!newest)
				newest = &ji[i];
			active++;
		}
	if (!newest)
		return false;
	row_put(s, ROLE_STATUS, ui_glyph(G_JOB));
	row_put(s, ROLE_STATUS, " ");
	row_put_untrusted(s, ROLE_STATUS, ROLE_ESCAPE, newest->label, strlen(newest->label), 8);
	if (newest->total > 0)
		row_printf(s, ROLE_STATUS, " %zu%%", newest->done * 100 / newest->total);
	if (active > 1)
		row_printf(s, ROLE_STATUS, " +%zu", active - 1);
	return true;
}

static void append(struct ui_row *out, const struct ui_row *seg, bool sep)
{
	if (sep) {
		row_put(out, ROLE_STATUS, " ");
		row_put(out, ROLE_STATUS, ui_glyph(G_VLINE));
		row_put(out, ROLE_STATUS, " ");
	}
	for (size_t i = 0; i < seg->n; i++)
		row_put(out, seg->spans[i].role, seg->spans[i].text);
}

void statusbar_build(const struct app *a, int cols, struct ui_row *out)
{
	const struct run *r = a->d.run;
	struct ui_row seg[4] = {{0}};
	bool have[4] = {false, false, false, false};
	/* drop order when short of space: learnings, backends, jobs, flows */
	static const int drop[4] = {2, 1, 3, 0};
	int total, idw;
	struct ui_row id = {0};
	const char *rid = r && r->id ? r->id : "no run";
	bool ro = false;

	if (r) {
		flows_seg(r, &seg[0]);
		backends_seg(a, &seg[1]);
		have[2] = learn_seg(a, &seg[2], &ro);
		have[0] = have[1] = true;
	}
	have[3] = jobs_seg(&seg[3]);
	/* run id (+ STALE) */
	row_put_untrusted(&id, ROLE_STATUS, ROLE_ESCAPE, rid, strlen(rid), 8);
	idw = id.width + (r && r->wisdom_stale ? 6 : 0) + (ro ? 3 : 0);
	for (;;) {
		int left = 0, k;
		total = 1 + idw;
		for (int i = 0; i < 4; i++)
			if (have[i]) {
				total += 3 + seg[i].width;
				left++;
			}
		if (total <= cols || left <= 1)
			break;
		for (k = 0; k < 4 && !have[drop[k]]; k++)
			;
		have[drop[k]] = false;
	}
	row_put(out, ROLE_STATUS, " ");
	if (total > cols && id.width > 12) {
		/* shorten in the middle: head…tail */
		char *t = row_text(&id);
		int want = cols - (total - idw) - (r && r->wisdom_stale ? 6 : 0) - (ro ? 3 : 0);
		int head, tail, used = 0;
		size_t hb, tb, len = strlen(t);
		if (want < 12)
			want = 12;
		head = (want - 1) / 2;
		tail = want - 1 - head;
		hb = san_fit(t, len, head, &used);
		tb = len;
		while (tb > hb && san_width(t + tb - 1, len - tb + 1) <= tail)
			tb--;
		if (tb < len && san_width(t + tb, len - tb) > tail)
			tb++;
		row_putn(out, ROLE_STATUS, t, hb);
		row_put(out, ROLE_STATUS, ui_glyph(G_ELLIPSIS));
		row_putn(out, ROLE_STATUS, t + tb, len - tb);
		free(t);
	} else {
		append(out, &id, false);
	}
	if (ro)
		row_put(out, ROLE_WARN, " RO");
	if (r && r->wisdom_stale)
		row_put(out, ROLE_WARN, " STALE");
	for (int i = 0; i < 4; i++)
		if (have[i])
			append(out, &seg[i], true);
	for (int i = 0; i < 4; i++)
		row_free(&seg[i]);
	row_free(&id);
}
