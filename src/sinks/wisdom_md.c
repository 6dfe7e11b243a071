/* wisdom_md.c - decided items, the parts every wisdom file shares (Machine
 * Summary, Inputs, evidence lines, the timeline gantt), artifact_audit.md
 * and regression_report.md. learnings.md and feedback_actions.md are in
 * wisdom_md_learn.c. */
#include "config.h"
#include "sinks/wisdom_md.h"
#include "sinks/wisdom_md_internal.h"
#include "sinks/wisdom_chart.h"

#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool wmd_item_published(const struct wmd_item *it)
{
	return (it->state == JR_ACCEPTED || it->state == JR_EDITED) && !it->delta;
}

/* ---- items ------------------------------------------------------------ */

int wmd_parse_publish_note(const char *note, const char *what, long long *num, char **hash, char **url)
{
	const char *p;
	size_t wl = strlen(what);
	char *end;
	if (!note)
		return 0;
	if (strncmp(note, "publish ", 8) == 0)
		note += 8;
	if (strncmp(note, what, wl) != 0 || strncmp(note + wl, " #", 2) != 0)
		return 0;
	*num = strtoll(note + wl + 2, &end, 10);
	if (end == note + wl + 2 || *num <= 0)
		return 0;
	if (hash && (p = strstr(end, " hash=")) != NULL) {
		size_t k = strcspn(p + 6, " ");
		free(*hash);
		*hash = xstrndup(p + 6, k);
	}
	if (url && (p = strstr(end, " url=")) != NULL) {
		size_t k = strcspn(p + 5, " ");
		free(*url);
		*url = xstrndup(p + 5, k);
	}
	return 1;
}

/* `Title: …` and `Labels: …` header lines, a blank line, the body. */
static void apply_edit(struct wmd_item *it, const char *text)
{
	const char *p = text;
	bool labels_set = false;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 0 || (len == 1 && *p == '\r')) {
			p = nl ? nl + 1 : p + len;
			break;
		}
		if (strncmp(p, "Title:", 6) == 0) {
			const char *v = p + 6;
			while (*v == ' ')
				v++;
			free(it->title);
			it->title = xstrndup(v, (size_t)(p + len - v));
			wmd_trim_cr(it->title);
		} else if (strncmp(p, "Labels:", 7) == 0) {
			char *v = xstrndup(p + 7, len - 7), *tok, *save = NULL;
			str_list_free(&it->labels);
			labels_set = true;
			for (tok = strtok_r(v, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				char *t = wmd_trim(tok);
				if (*t)
					str_list_push(&it->labels, t);
			}
			free(v);
		} else {
			break;   /* no header: the whole text is the body */
		}
		p = nl ? nl + 1 : p + len;
	}
	(void)labels_set;
	free(it->body);
	it->body = xstrdup(p);
	{
		size_t n = strlen(it->body);
		while (n && (it->body[n - 1] == '\n' || it->body[n - 1] == '\r' || it->body[n - 1] == ' '))
			it->body[--n] = '\0';
	}
}

void wmd_items_build(const struct learning_set *set, const struct journal *jr, const char *run_path,
		     struct wmd_item **out, size_t *n)
{
	struct wmd_item *v = xcalloc(set->n ? set->n : 1, sizeof *v);
	size_t i, k;
	for (i = 0; i < set->n; i++) {
		const struct learning *l = &set->v[i];
		struct wmd_item *it = &v[i];
		const struct jr_entry *e = jr ? jr_get(jr, l->id) : NULL;
		it->l = l;
		it->state = jr ? jr_state_of(jr, l->id, &l->merged_ids, l->src_hash, &it->delta) : JR_PROPOSED;
		it->title = xstrdup(l->title ? l->title : l->id);
		it->body = l->body ? xstrdup(l->body) : NULL;
		for (k = 0; k < l->out_labels.n; k++)
			str_list_push(&it->labels, l->out_labels.v[k]);
		if (e && e->edit_file && it->state == JR_EDITED && run_path) {
			char *p = fio_join(run_path, e->edit_file), *text = NULL;
			size_t len;
			struct wz_err err;
			if (fio_read(p, FIO_DEFAULT_MAX, &text, &len, &err) == WZ_OK)
				apply_edit(it, text);
			free(text);
			free(p);
		}
		if (e) {
			for (k = 0; k < e->notes.n; k++) {
				long long num = 0;
				if (wmd_parse_publish_note(e->notes.v[k], "issue", &num, &it->issue_hash, &it->issue_url))
					it->issue_number = (long)num;
			}
		}
	}
	*out = v;
	*n = set->n;
}

void wmd_items_free(struct wmd_item *v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++) {
		free(v[i].title);
		free(v[i].body);
		free(v[i].issue_url);
		free(v[i].issue_hash);
		str_list_free(&v[i].labels);
	}
	free(v);
}

void wmd_count(const struct wmd_item *items, size_t n, struct wmd_counts *c)
{
	size_t i;
	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++) {
		if (!wmd_item_published(&items[i]))
			continue;
		switch (wmd_place(&items[i])) {
		case WP_LEARNING: c->learnings++; break;
		case WP_ACTION: c->actions++; break;
		case WP_PACK_OBS: c->pack_obs++; break;
		case WP_ISSUE: c->issue_drafts++; break;
		case WP_SUGGESTION: c->suggestions++; break;
		}
		if (items[i].l->kind == LK_REGRESSION)
			c->regressions++;
	}
}

/* ---- shared pieces ------------------------------------------------------ */

char *wmd_trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

void wmd_trim_cr(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

enum wmd_place wmd_place(const struct wmd_item *it)
{
	switch (it->l->origin) {
	case LO_ACTION: return WP_ACTION;
	case LO_PACK_OBS: return WP_PACK_OBS;
	case LO_ISSUE_DRAFT: return WP_ISSUE;
	case LO_SUGGESTION: return WP_SUGGESTION;
	default: return WP_LEARNING;
	}
}

void wmd_cell(struct buf *b, const char *s)
{
	if (!s) {
		buf_puts(b, "-");
		return;
	}
	for (; *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n')
			buf_putc(b, ' ');
		else if (*s != '\r')
			buf_putc(b, *s);
	}
}

void wmd_evidence_line(struct buf *b, const struct wmd_input *in, const struct evidence *e)
{
	const char *loc = e->locator ? e->locator : "";
	/* the pack's copy kept by wisdom stood at wisdom/<file> when the run was
	 * committed: cite it there, so links and paths do not move after the
	 * first publish */
	if (strncmp(loc, "wisdom/.pack/", 13) == 0) {
		char *fixed = xasprintf("wisdom/%s", loc + 13);
		struct evidence e2 = *e;
		e2.locator = fixed;
		wmd_evidence_line(b, in, &e2);
		free(fixed);
		return;
	}
	buf_printf(b, "- %s: ", fnd_ev_type_word(e->type));
	if (e->type == EV_ARTIFACT && in->level == WMD_FULL && in->link_base && *loc) {
		/* path:line or path#heading -> blob link with #Lline */
		size_t pl = strcspn(loc, ":#");
		const char *rest = loc + pl;
		buf_printf(b, "[%s](%s.runs/%s/%.*s", loc, in->link_base, in->run->id, (int)pl, loc);
		if (*rest == ':' && rest[1] >= '0' && rest[1] <= '9')
			buf_printf(b, "#L%ld", strtol(rest + 1, NULL, 10));
		buf_putc(b, ')');
	} else if (e->type == EV_URL && in->level != WMD_COUNTS) {
		buf_printf(b, "<%s>", loc);
	} else {
		buf_putc(b, '`');
		wmd_cell(b, loc);
		buf_putc(b, '`');
	}
	if (e->excerpt && *e->excerpt && in->level != WMD_COUNTS) {
		buf_puts(b, " — ");
		wmd_cell(b, e->excerpt);
	}
	buf_putc(b, '\n');
}

static const char *flow_status(const struct run *r, enum run_flow f)
{
	const struct receipt *rc = &r->flows[f].receipt;
	if (!rc->present)
		return r->flows[f].dir_present ? "NO_RECEIPT" : "ABSENT";
	if (!rc->parsed)
		return "UNPARSEABLE";
	return rc->status_raw ? rc->status_raw : "UNKNOWN";
}

void wmd_gantt(struct buf *b, const struct run *r)
{
	double prev = r->created_at;
	int f, shown = 0;
	char t0[32], t1[32];
	for (f = 0; f < FLOW_WISDOM; f++)
		if (!isnan(r->flows[f].receipt.completed_at))
			shown++;
	if (!shown)
		return;
	buf_puts(b, "\n```mermaid\ngantt\n    title Flow timeline (receipt completed_at)\n"
		    "    dateFormat YYYY-MM-DDTHH:mm:ssZ\n    axisFormat %m-%d %H:%M\n    section Flows\n");
	for (f = 0; f < FLOW_WISDOM; f++) {   /* wisdom: this publish, not a past flow */
		double end = r->flows[f].receipt.completed_at;
		const char *st = flow_status(r, (enum run_flow)f);
		if (isnan(end))
			continue;
		if (isnan(prev) || prev > end)
			prev = end;
		tp_format(prev, t0, sizeof t0);
		tp_format(end, t1, sizeof t1);
		buf_printf(b, "    %s %s :%s%s, %s, %s\n", run_flow_name((enum run_flow)f), st,
			   strcmp(st, "VERIFIED") == 0 ? "done" : "crit", "", t0, t1);
		prev = end;
	}
	buf_puts(b, "```\n");
}

void wmd_head(struct buf *b, const struct wmd_input *in, const char *title, const char *status,
	      const struct str_list *concerns, const char *counts)
{
	size_t i;
	buf_printf(b, "# %s\n\n## Machine Summary\n", title);
	buf_printf(b, "status: %s\nrecommended_action: PROCEED\nroute_to_flow: null\nroute_to_agent: null\n"
		      "blockers: []\nmissing_required: []\n", status);
	if (!concerns || !concerns->n) {
		buf_puts(b, "concerns: []\n");
	} else {
		buf_puts(b, "concerns:\n");
		for (i = 0; i < concerns->n; i++) {
			buf_puts(b, "  - ");
			wmd_cell(b, concerns->v[i]);
			buf_putc(b, '\n');
		}
	}
	buf_puts(b, counts);
	buf_printf(b, "%s%s\n", WMD_GENERATOR_KEY, in->version ? in->version : PACKAGE_VERSION);
}

void wmd_inputs(struct buf *b, const struct wmd_input *in, const char *const *artifacts)
{
	const struct run *r = in->run;
	int k;
	buf_printf(b, "\n## Inputs\n\n- run: `%s`\n", r->id ? r->id : "?");
	for (k = 0; artifacts && artifacts[k]; k++)
		buf_printf(b, "- artifact: `%s`%s\n", artifacts[k],
			   strncmp(artifacts[k], "wisdom/.pack/", 13) == 0 || wmd_run_has(r, artifacts[k]) ? "" : " (missing)");
	buf_printf(b, "- commit range: %s..%s%s%s\n", r->base_ref ? r->base_ref : "unknown base",
		   r->merge_sha ? "`" : "", r->merge_sha ? r->merge_sha : "unknown merge", r->merge_sha ? "` (merge)" : "");
	buf_printf(b, "- decisions: `wisdom/.decisions.jsonl`\n");
	buf_printf(b, "- backend github: %s\n", in->github_state ? in->github_state : "not checked");
	if (in->backends) {
		int e;
		for (e = 0; e < EB_COUNT; e++) {
			if (e == EB_GITHUB)
				continue;
			buf_printf(b, "- backend %s: %s", ext_backend_name((enum ext_backend)e),
				   ext_state_word(in->backends[e].state));
			if (in->backends[e].reason[0])
				buf_printf(b, " (%s)", in->backends[e].reason);
			buf_putc(b, '\n');
		}
	}
}

bool wmd_run_has(const struct run *r, const char *rel)
{
	char *p = fio_join(r->path, rel);
	bool ok = fio_is_file(p) != 0;
	free(p);
	return ok;
}

/* ---- artifact_audit.md ---------------------------------------------------- */

char *wmd_artifact_audit(const struct wmd_input *in)
{
	struct buf b = {0}, counts = {0};
	const struct audit *a = in->audit;
	static const char *const arts[] = {"run_meta.json", "wisdom/.pack/artifact_audit.md", NULL};
	size_t i;
	int f;
	if (a)
		buf_printf(&counts, "present: %d\nmissing_required: %d\nmissing_optional: %d\nempty: %d\nunparseable: %d\n",
			   a->present, a->missing_required, a->missing_optional, a->empty, a->unparseable);
	else
		buf_puts(&counts, "present: null\nmissing_required: null\nmissing_optional: null\nempty: null\nunparseable: null\n");
	wmd_head(&b, in, "Artifact Audit", a && a->missing_required == 0 ? "VERIFIED" : "UNVERIFIED", NULL,
		 buf_str(&counts));
	wmd_inputs(&b, in, arts);
	buf_puts(&b, "\n## Flows\n\n| Flow | Receipt | Completed |\n|---|---|---|\n");
	for (f = 0; f < FLOW_WISDOM; f++) {
		char t[32] = "-";
		if (!isnan(in->run->flows[f].receipt.completed_at))
			tp_format(in->run->flows[f].receipt.completed_at, t, sizeof t);
		buf_printf(&b, "| %s | %s | %s |\n", run_flow_name((enum run_flow)f),
			   flow_status(in->run, (enum run_flow)f), t);
	}
	buf_puts(&b, "| wisdom | this publish | - |\n");
	wmd_gantt(&b, in->run);
	buf_puts(&b, "\n## Matrix\n\n| Flow | Artifact | Need | State | Receipt | Note |\n|---|---|---|---|---|---|\n");
	for (i = 0; a && i < a->n; i++) {
		const struct audit_row *row = &a->rows[i];
		buf_printf(&b, "| %s | `", run_flow_name(row->flow));
		wmd_cell(&b, row->artifact);
		buf_printf(&b, "` | %s | %s | %s | ", row->required ? "required" : "optional",
			   audit_state_word(row->state), row->receipt_missing ? "listed missing" : "-");
		wmd_cell(&b, row->note ? row->note : (row->disagrees ? "pack's audit disagrees" : NULL));
		buf_puts(&b, " |\n");
	}
	if (!a)
		buf_puts(&b, "| - | - | - | - | - | audit not run |\n");
	buf_free(&counts);
	return buf_detach(&b);
}

/* ---- regression_report.md ------------------------------------------------- */

static void opt(struct buf *b, const struct opt_num *n)
{
	if (n->has)
		buf_printf(b, "%g", n->v);
	else
		buf_puts(b, "null");
}

char *wmd_regression_report(const struct wmd_input *in)
{
	struct buf b = {0}, counts = {0};
	const struct run *r = in->run;
	int sev[SEV_COUNT] = {0}, nreg = 0, k;
	size_t i, j;
	static const char *const arts[] = {"build/test_execution.md", "build/build_receipt.json",
					   "gate/gate_receipt.json", "wisdom/.pack/regression_report.md", NULL};
	for (i = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && in->items[i].l->kind == LK_REGRESSION) {
			nreg++;
			sev[in->items[i].l->severity]++;
		}
	buf_printf(&counts, "regressions_found: %d\nbaseline_available: false\nseverity_summary:\n"
			    "  critical: %d\n  major: %d\n  minor: %d\n",
		   nreg, sev[SEV_CRITICAL], sev[SEV_MAJOR], sev[SEV_MINOR] + sev[SEV_INFO]);
	wmd_head(&b, in, "Regression Report", "VERIFIED", NULL, buf_str(&counts));
	wmd_inputs(&b, in, arts);
	buf_puts(&b, "\n## Regression Register\n\n| ID | Severity | Test/Area | Summary | Blamed Commit | Related Issue |\n"
		     "|---|---|---|---|---|---|\n");
	for (i = 0, k = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		if (!wmd_item_published(it) || it->l->kind != LK_REGRESSION)
			continue;
		buf_printf(&b, "| REG-%03d | %s | ", ++k, fnd_severity_word(it->l->severity));
		wmd_cell(&b, it->l->subject);
		buf_puts(&b, " | ");
		wmd_cell(&b, it->title);
		buf_puts(&b, " | - | ");
		if (it->issue_number)
			buf_printf(&b, "#%ld", it->issue_number);
		else
			buf_putc(&b, '-');
		buf_puts(&b, " |\n");
	}
	for (i = 0, k = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		if (!wmd_item_published(it) || it->l->kind != LK_REGRESSION)
			continue;
		buf_printf(&b, "\n### REG-%03d: ", ++k);
		wmd_cell(&b, it->l->subject);
		buf_printf(&b, "\n\n- id: %s\n- class: %s\n- confidence: %s\n", it->l->id, learn_kind_word(it->l->kind),
			   fnd_confidence_word(it->l->confidence));
		for (j = 0; j < it->l->nev; j++)
			wmd_evidence_line(&b, in, &it->l->ev[j]);
	}
	buf_puts(&b, "\n## Canonical Test Summary\n\n");
	if (!r->ntests) {
		buf_puts(&b, "No test count source in this run.\n");
	} else {
		buf_puts(&b, "| Source | Passed | Failed | Skipped | Xfailed | Xpassed |\n|---|---|---|---|---|---|\n");
		for (i = 0; i < r->ntests; i++) {
			const struct test_counts *t = &r->tests[i];
			buf_puts(&b, "| `");
			wmd_cell(&b, t->source);
			buf_puts(&b, "` | ");
			opt(&b, &t->passed);
			buf_puts(&b, " | ");
			opt(&b, &t->failed);
			buf_puts(&b, " | ");
			opt(&b, &t->skipped);
			buf_puts(&b, " | ");
			opt(&b, &t->xfailed);
			buf_puts(&b, " | ");
			opt(&b, &t->xpassed);
			buf_puts(&b, " |\n");
		}
	}
	buf_puts(&b, "\n## Coverage Signals\n\n");
	buf_puts(&b, "- build receipt line coverage: ");
	opt(&b, &r->flows[FLOW_BUILD].receipt.coverage_line);
	buf_puts(&b, "\n- build receipt branch coverage: ");
	opt(&b, &r->flows[FLOW_BUILD].receipt.coverage_branch);
	buf_puts(&b, "\n");
	wch_trend_md(&b, in->trend);
	buf_puts(&b, "\n## Issue Correlation\n\n");
	for (i = 0, k = 0; i < in->nitems; i++)
		if (wmd_item_published(&in->items[i]) && in->items[i].issue_number) {
			buf_printf(&b, "- #%ld %s\n", in->items[i].issue_number, in->items[i].l->id);
			k++;
		}
	if (!k)
		buf_puts(&b, "No issue published for this run yet.\n");
	buf_puts(&b, "\n## Blame Summary\n\n");
	buf_puts(&b, nreg ? "Blame per regression is listed with its evidence above.\n"
			  : "No regression accepted; blame not needed.\n");
	buf_free(&counts);
	return buf_detach(&b);
}
