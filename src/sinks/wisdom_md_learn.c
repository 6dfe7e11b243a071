/* wisdom_md_learn.c - learnings.md and feedback_actions.md (§12, §12.1):
 * only accepted or edited items, each with its id. */
#include "config.h"
#include "sinks/wisdom_md.h"
#include "sinks/wisdom_md_internal.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void decision_counts(const struct wmd_input *in, int c[JR_STATE_COUNT], int *delta)
{
	size_t i;
	memset(c, 0, sizeof(int) * JR_STATE_COUNT);
	*delta = 0;
	for (i = 0; i < in->nitems; i++) {
		if (in->items[i].delta)
			(*delta)++;
		else
			c[in->items[i].state]++;
	}
}

static void snapshot(struct buf *b, const struct wmd_input *in)
{
	const struct run *r = in->run;
	int c[JR_STATE_COUNT], delta;
	decision_counts(in, c, &delta);
	buf_puts(b, "\n## Outcome Snapshot\n\n- Gate verdict: ");
	wmd_cell(b, r->merge_verdict.v ? r->merge_verdict.v : r->flows[FLOW_GATE].receipt.merge_verdict);
	buf_puts(b, "\n- Deploy outcome: ");
	wmd_cell(b, r->deployment_verdict.v ? r->deployment_verdict.v : r->flows[FLOW_DEPLOY].receipt.deployment_verdict);
	buf_printf(b, "\n- Decisions: %d accepted, %d edited, %d rejected, %d proposed (left out)",
		   c[JR_ACCEPTED], c[JR_EDITED], c[JR_REJECTED], c[JR_PROPOSED]);
	if (delta)
		buf_printf(b, ", %d changed since decided (left out until confirmed)", delta);
	buf_putc(b, '\n');
}

static void body_block(struct buf *b, const char *body)
{
	const char *p = body;
	if (!body || !*body) {
		buf_puts(b, "(no text)\n");
		return;
	}
	/* never let a line of the body open a heading of ours: indent `#` lines */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (*p == '#')
			buf_putc(b, '\\');
		buf_append(b, p, len);
		buf_putc(b, '\n');
		p = nl ? nl + 1 : p + len;
	}
}

/* "Area" of a learning: its pack section name, else the title part before ':'. */
static char *area_of(const struct wmd_item *it)
{
	const char *s = it->l->out_section, *k;
	if (s && (k = strstr(s, "## Learning: ")) != NULL)
		return xstrdup(k + 13);
	k = strchr(it->title, ':');
	if (k && k - it->title < 40)
		return xstrndup(it->title, (size_t)(k - it->title));
	return xstrdup(it->title);
}

static void one_line(struct buf *b, const char *tag, const struct wmd_item *it)
{
	buf_printf(b, "- %s: ", tag);
	wmd_cell(b, it->title);
	buf_printf(b, " (%s)\n", it->l->id);
}

char *wmd_learnings(const struct wmd_input *in)
{
	struct buf b = {0}, counts = {0};
	struct wmd_counts c;
	static const char *const arts[] = {"wisdom/.pack/learnings.md", "gate/merge_decision.md",
					   "deploy/deployment_decision.md", NULL};
	size_t i, j;
	int n;
	char *title;
	wmd_count(in->items, in->nitems, &c);
	buf_printf(&counts, "learnings_extracted: %d\nactions: %d\npack_observations: %d\n", c.learnings, c.actions,
		   c.pack_obs);
	title = xasprintf("Learnings from Run: %s", in->run->id ? in->run->id : "?");
	wmd_head(&b, in, title, "VERIFIED", NULL, buf_str(&counts));
	free(title);
	wmd_inputs(&b, in, arts);
	snapshot(&b, in);
	for (i = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		char *area;
		if (!wmd_item_published(it) || wmd_place(it) != WP_LEARNING)
			continue;
		area = area_of(it);
		buf_puts(&b, "\n---\n\n## Learning: ");
		wmd_cell(&b, area);
		free(area);
		buf_printf(&b, "\n\n- id: %s\n- decision: %s\n- kind: %s\n- severity: %s\n- confidence: %s\n", it->l->id,
			   jr_state_word(it->state), learn_kind_word(it->l->kind), fnd_severity_word(it->l->severity),
			   fnd_confidence_word(it->l->confidence));
		buf_puts(&b, "\n### Recommendation\n\n**");
		wmd_cell(&b, it->title);
		buf_puts(&b, "**\n\n");
		if (in->level != WMD_COUNTS)
			body_block(&b, it->body);
		buf_puts(&b, "\n### Evidence\n\n");
		for (j = 0; j < it->l->nev; j++)
			wmd_evidence_line(&b, in, &it->l->ev[j]);
		if (!it->l->nev)
			buf_puts(&b, "- none recorded\n");
	}
	buf_puts(&b, "\n## Assumptions\n\n- Learnings are the candidates a person accepted or edited in "
		     "`wisdom/.decisions.jsonl`; proposed and rejected ones are left out.\n");
	buf_puts(&b, "\n## Surprises\n\n");
	for (i = 0, n = 0; i < in->nitems; i++)
		if (in->items[i].delta) {
			buf_printf(&b, "- %s changed after it was decided; confirm it to publish it.\n", in->items[i].l->id);
			n++;
		}
	if (!n)
		buf_puts(&b, "- none\n");
	buf_puts(&b, "\n## Pack/Flow Observations\n\n");
	for (i = 0, n = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && wmd_place(&in->items[i]) == WP_PACK_OBS) {
			one_line(&b, "PACK_OBS", &in->items[i]);
			n++;
		}
	if (!n)
		buf_puts(&b, "None accepted.\n");
	buf_puts(&b, "\n## Actions\n\n");
	for (i = 0, n = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && wmd_place(&in->items[i]) == WP_ACTION) {
			one_line(&b, "ACTION", &in->items[i]);
			n++;
		}
	if (!n)
		buf_puts(&b, "None accepted.\n");
	buf_free(&counts);
	return buf_detach(&b);
}

/* ---- feedback_actions.md ---------------------------------------------------- */

static const char *section_of(const struct wmd_item *it)
{
	const char *s = it->l->out_section, *k;
	if (s && (k = strstr(s, "## ")) != NULL)
		return k;
	return "## Findings (wisdom)";
}

/* SUG-NNN numbers follow item order, in the body and the inventory alike. */
static int sug_number(const struct wmd_input *in, size_t k)
{
	size_t i;
	int n = 0;
	for (i = 0; i <= k && i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && wmd_place(&in->items[i]) == WP_SUGGESTION)
			n++;
	return n;
}

static void labels_inline(struct buf *b, const struct str_list *l)
{
	size_t i;
	buf_putc(b, '[');
	for (i = 0; i < l->n; i++) {
		if (i)
			buf_puts(b, ", ");
		wmd_cell(b, l->v[i]);
	}
	buf_putc(b, ']');
}

static void first_line(struct buf *b, const char *s)
{
	size_t n;
	if (!s || !*s) {
		buf_puts(b, "-");
		return;
	}
	n = strcspn(s, "\n");
	{
		char *t = xstrndup(s, n);
		wmd_cell(b, t);
		free(t);
	}
}

char *wmd_feedback_actions(const struct wmd_input *in)
{
	struct buf b = {0}, counts = {0};
	struct wmd_counts c;
	struct str_list secs = {0};
	static const char *const arts[] = {"wisdom/.pack/feedback_actions.md", NULL};
	size_t i, j, s;
	int created = 0, n;
	char *title;
	wmd_count(in->items, in->nitems, &c);
	for (i = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && in->items[i].issue_number)
			created++;
	buf_printf(&counts, "feedback_actions_created: %d\nsuggestions_created: %d\nissues_created: %d\n",
		   c.issue_drafts, c.suggestions, created);
	title = xasprintf("Feedback Actions: %s", in->run->id ? in->run->id : "?");
	wmd_head(&b, in, title, "VERIFIED", NULL, buf_str(&counts));
	free(title);
	wmd_inputs(&b, in, arts);
	snapshot(&b, in);
	/* sections in item order */
	for (i = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		enum wmd_place p = wmd_place(it);
		bool seen = false;
		if (!wmd_item_published(it) || (p != WP_ISSUE && p != WP_SUGGESTION))
			continue;
		for (s = 0; s < secs.n; s++)
			seen = seen || strcmp(secs.v[s], section_of(it)) == 0;
		if (!seen)
			str_list_push(&secs, section_of(it));
	}
	for (s = 0; s < secs.n; s++) {
		buf_printf(&b, "\n%s\n\n", secs.v[s]);
		for (i = 0; i < in->nitems; i++) {
			const struct wmd_item *it = &in->items[i];
			enum wmd_place p = wmd_place(it);
			if (!wmd_item_published(it) || (p != WP_ISSUE && p != WP_SUGGESTION) ||
			    strcmp(section_of(it), secs.v[s]) != 0)
				continue;
			if (p == WP_ISSUE) {
				int flow = 0;
				buf_puts(&b, "- ISSUE: ");
				wmd_cell(&b, it->title);
				buf_printf(&b, "\n  - id: %s\n", it->l->id);
				if (sscanf(secs.v[s], "## Flow %d", &flow) == 1)
					buf_printf(&b, "  - target_flow: %d\n", flow);
				buf_puts(&b, "  - labels: ");
				labels_inline(&b, &it->labels);
				buf_puts(&b, "\n  - summary: ");
				if (in->level == WMD_COUNTS)
					buf_puts(&b, "-");
				else
					first_line(&b, it->body);
				buf_puts(&b, "\n  - acceptance_criteria: the issue is closed with a link to the change\n");
				buf_puts(&b, "  - evidence:\n");
				for (j = 0; j < it->l->nev; j++) {
					buf_puts(&b, "    ");
					wmd_evidence_line(&b, in, &it->l->ev[j]);
				}
			} else {
				buf_printf(&b, "- [ ] SUG-%03d: ", sug_number(in, i));
				wmd_cell(&b, it->title);
				buf_printf(&b, "\n  - id: %s\n  - evidence:\n", it->l->id);
				for (j = 0; j < it->l->nev; j++) {
					buf_puts(&b, "    ");
					wmd_evidence_line(&b, in, &it->l->ev[j]);
				}
				buf_puts(&b, "  - proposed_change: ");
				if (in->level == WMD_COUNTS)
					buf_puts(&b, "-");
				else
					first_line(&b, it->body);
				buf_putc(&b, '\n');
			}
		}
	}
	str_list_free(&secs);
	buf_puts(&b, "\n## Issues Created\n\n");
	for (i = 0, n = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		if (!it->issue_number)
			continue;
		buf_printf(&b, "- #%ld %s %s", it->issue_number, it->issue_url ? it->issue_url : "-", it->l->id);
		if (!wmd_item_published(it))
			buf_puts(&b, " (no longer accepted: close by hand)");
		buf_putc(&b, '\n');
		n++;
	}
	if (!n)
		buf_puts(&b, "None yet.\n");
	buf_puts(&b, "\n## Inventory (machine countable)\n\n");
	for (i = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		if (!wmd_item_published(it))
			continue;
		if (wmd_place(it) == WP_ISSUE)
			buf_printf(&b, "- ISSUE_DRAFT: %s\n", it->l->id);
	}
	for (i = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && wmd_place(&in->items[i]) == WP_SUGGESTION)
			buf_printf(&b, "- SUGGESTION: SUG-%03d %s\n", sug_number(in, i), in->items[i].l->id);
	buf_free(&counts);
	return buf_detach(&b);
}
