/* gh_publish.c - the GitHub half of publishing (spec/run-artifacts.md §13,
 * design/ui.md §4.4): issue bodies with evidence and the hidden marker,
 * the run comment, lookups by marker (journal, then the repository's
 * issues / the issue's comments), one call at a time with its result
 * journalled before the next. */
#include "config.h"
#include "sinks/publish.h"
#include "sinks/wisdom_md_internal.h"

#include "util/fileio.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

char *ghp_issue_marker(const char *run_id, const char *learning_id)
{
	return xasprintf("<!-- wisdom:%s:%s -->", run_id ? run_id : "?", learning_id);
}

char *ghp_comment_marker(const char *run_id)
{
	return xasprintf("<!-- DEMOSWARM_RUN:%s FLOW:wisdom -->", run_id ? run_id : "?");
}

static const char *file_of(const struct wmd_item *it)
{
	switch (wmd_place(it)) {
	case WP_ISSUE:
	case WP_SUGGESTION: return "feedback_actions.md";
	default: return "learnings.md";
	}
}

char *ghp_issue_body(const struct wmd_input *in, const struct wmd_item *it)
{
	struct buf b = {0};
	size_t i;
	char *m = ghp_issue_marker(in->run->id, it->l->id);
	if (in->level != WMD_COUNTS && it->body && *it->body)
		buf_printf(&b, "%s\n\n", it->body);
	buf_printf(&b, "**Kind** %s (%s) · severity %s · confidence %s\n", learn_origin_word(it->l->origin),
		   learn_kind_word(it->l->kind), fnd_severity_word(it->l->severity), fnd_confidence_word(it->l->confidence));
	buf_printf(&b, "**Run** `%s` · learning `%s` · %s\n", in->run->id ? in->run->id : "?", it->l->id,
		   it->state == JR_EDITED ? "edited on review" : "accepted on review");
	buf_puts(&b, "\n### Evidence\n\n");
	for (i = 0; i < it->l->nev; i++)
		wmd_evidence_line(&b, in, &it->l->ev[i]);
	if (!it->l->nev)
		buf_puts(&b, "- none recorded\n");
	buf_printf(&b, "\n_Published by wisdom from `.runs/%s/wisdom/%s`._\n\n%s\n", in->run->id ? in->run->id : "?",
		   file_of(it), m);
	free(m);
	return buf_detach(&b);
}

char *ghp_run_comment(const struct wmd_input *in)
{
	struct buf b = {0};
	struct wmd_counts c;
	char *m = ghp_comment_marker(in->run->id);
	size_t i;
	int n = 0;
	static const char *const files[] = {"learnings.md", "feedback_actions.md", "artifact_audit.md",
					    "regression_report.md", "flow_history.json", "wisdom_receipt.json",
					    "wisdom_report.json"};
	wmd_count(in->items, in->nitems, &c);
	buf_printf(&b, "%s\n\n# Flow %d: Wisdom Report (wisdom console)\n\n**Run:** `%s`\n\n", m,
		   in->run->generation == GEN_DEMOSWARM_6 ? 6 : 7, in->run->id ? in->run->id : "?");
	free(m);
	buf_printf(&b, "| Item | Count |\n|---|---|\n| learnings | %d |\n| actions | %d |\n| issue drafts | %d |\n"
		       "| suggestions | %d |\n| pack observations | %d |\n| regressions | %d |\n",
		   c.learnings, c.actions, c.issue_drafts, c.suggestions, c.pack_obs, c.regressions);
	buf_puts(&b, "\n## Accepted learnings\n\n");
	for (i = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		if (!wmd_item_published(it))
			continue;
		buf_printf(&b, "- `%s` %s", it->l->id, learn_origin_word(it->l->origin));
		if (in->level != WMD_COUNTS) {
			buf_puts(&b, ": ");
			wmd_cell(&b, it->title);
		}
		if (it->issue_number)
			buf_printf(&b, " → #%ld", it->issue_number);
		buf_putc(&b, '\n');
		n++;
	}
	if (!n)
		buf_puts(&b, "None yet.\n");
	buf_puts(&b, "\n## Artifacts\n\n");
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		buf_printf(&b, "- `.runs/%s/wisdom/%s`\n", in->run->id ? in->run->id : "?", files[i]);
	return buf_detach(&b);
}

/* ---- plan -------------------------------------------------------------------- */

static struct pub_call *new_call(struct pub_plan *p, enum pub_call_kind k, const char *id)
{
	struct pub_call *c;
	p->calls = xrealloc(p->calls, (p->ncalls + 1) * sizeof *p->calls);
	c = &p->calls[p->ncalls++];
	memset(c, 0, sizeof *c);
	c->kind = k;
	c->id = xstrdup(id);
	return c;
}

static const struct redactor *rd(const struct pub_plan *p)
{
	return p->o->rd ? p->o->rd : redact_default();
}

static bool proposes_issue(const struct wmd_item *it)
{
	return it->l->out_issue_title != NULL;
}

static void set_body(struct pub_plan *p, struct pub_call *c, char *raw)
{
	free(c->body);
	c->body = redact_str(rd(p), raw);
	free(raw);
	pub_hash(c->body, c->hash);
}

static void decide(struct pub_call *c, long number, const char *remote_hash, const char *where)
{
	char *keep = remote_hash ? xstrdup(remote_hash) : NULL;   /* may be c->remote_hash itself */
	c->number = number;
	free(c->remote_hash);
	c->remote_hash = keep;
	free(c->why);
	if (keep && strcmp(keep, c->hash) == 0) {
		c->act = PA_SKIP;
		c->why = xasprintf("unchanged (%s)", where);
	} else {
		c->act = PA_UPDATE;
		c->why = xasprintf("body changed (%s)", where);
	}
}

enum wz_status ghp_plan_calls(struct pub_plan *p, struct wz_err *err)
{
	struct gh_issues all;
	bool listed = false;
	size_t i, k;
	enum wz_status st = WZ_OK;
	memset(&all, 0, sizeof all);
	for (i = 0; i < p->nitems && st == WZ_OK; i++) {
		const struct wmd_item *it = &p->items[i];
		struct pub_call *c;
		if (!proposes_issue(it))
			continue;
		if (!wmd_item_published(it)) {
			if (it->issue_number && it->state == JR_REJECTED) {
				c = new_call(p, PC_ISSUE, it->l->id);
				c->act = PA_CLOSE_BY_HAND;
				c->number = it->issue_number;
				c->title = redact_str(rd(p), it->title);
				c->why = xstrdup("rejected after publishing: close by hand");
			}
			continue;
		}
		c = new_call(p, PC_ISSUE, it->l->id);
		c->title = redact_str(rd(p), it->state == JR_EDITED ? it->title : it->l->out_issue_title);
		for (k = 0; k < it->labels.n; k++)
			str_list_push(&c->labels, it->labels.v[k]);
		set_body(p, c, ghp_issue_body(&p->in, it));
		if (it->issue_number) {
			decide(c, it->issue_number, it->issue_hash, "journal");
			continue;
		}
		if (!listed) {
			struct gh_issue_query q = {"all", NULL, NULL, 0};
			st = gh_list_issues(p->gh, &q, &all, err);
			listed = true;
			if (st != WZ_OK)
				break;
		}
		{
			char *m = ghp_issue_marker(p->inv->run->id, it->l->id);
			for (k = 0; k < all.n; k++)
				if (all.v[k].body && strstr(all.v[k].body, m))
					break;
			free(m);
			if (k < all.n) {
				char h[17], *where = xasprintf("marker found in #%ld", all.v[k].number);
				pub_hash(all.v[k].body, h);
				decide(c, all.v[k].number, h, where);
				free(where);
			} else {
				c->act = PA_CREATE;
				c->why = xstrdup("no issue carries its marker");
			}
		}
	}
	gh_issues_free(&all);
	if (st == WZ_OK && p->target) {
		struct pub_call *c = new_call(p, PC_COMMENT, PUB_COMMENT_ID);
		struct gh_comments cs;
		char *path = NULL, *data = NULL, *m = ghp_comment_marker(p->inv->run->id);
		size_t len;
		long long file_id = 0;
		struct wz_err e2;
		c->number = p->target;
		set_body(p, c, ghp_run_comment(&p->in));
		path = xasprintf("%s/wisdom/gh_comment_id.txt", p->inv->run->path);
		if (fio_read(path, 4096, &data, &len, &e2) == WZ_OK)
			file_id = strtoll(data, NULL, 10);   /* with or without a trailing newline */
		free(data);
		free(path);
		memset(&cs, 0, sizeof cs);
		st = gh_list_comments(p->gh, p->target, NULL, &cs, err);
		if (st == WZ_OK) {
			long long want = p->comment_id ? p->comment_id : file_id;
			for (k = 0; k < cs.n; k++)
				if (want && cs.v[k].id == want)
					break;
			if (k == cs.n)   /* oldest first: the first comment whose line 1 is the marker */
				for (k = 0; k < cs.n; k++)
					if (cs.v[k].body && strncmp(cs.v[k].body, m, strlen(m)) == 0)
						break;
			if (k < cs.n) {
				char h[17];
				pub_hash(cs.v[k].body, h);
				c->comment_id = cs.v[k].id;
				free(p->comment_url);
				p->comment_url = cs.v[k].html_url ? xstrdup(cs.v[k].html_url) : NULL;
				decide(c, p->target, h, cs.v[k].id == want ? "by its id" : "marker found");
			} else {
				c->act = PA_CREATE;
				c->why = xstrdup("no comment carries the run marker");
			}
		}
		gh_comments_free(&cs);
		free(m);
	}
	return st;
}

void ghp_comment_prepare(struct pub_plan *p, struct pub_call *c)
{
	set_body(p, c, ghp_run_comment(&p->in));
	if (c->comment_id)
		decide(c, c->number, c->remote_hash, "after issues");
	else
		c->act = PA_CREATE;
}

/* ---- execute ------------------------------------------------------------------ */

static enum wz_status journal(struct pub_plan *p, const char *id, const char *what, long long num, const char *hash,
			      const char *url, struct wz_err *err)
{
	char *note = xasprintf("%s #%lld hash=%s url=%s", what, num, hash, url && *url ? url : "-");
	enum wz_status st = jr_note(p->inv->jr, JR_PUBLISH, id, note, p->o->now, err);
	free(note);
	return st;
}

static bool journal_knows(const struct pub_plan *p, const struct pub_call *c)
{
	size_t i;
	for (i = 0; i < p->nitems; i++)
		if (strcmp(p->items[i].l->id, c->id) == 0)
			return p->items[i].issue_number == c->number && p->items[i].issue_hash &&
			       strcmp(p->items[i].issue_hash, c->hash) == 0;
	return false;
}

enum wz_status ghp_execute_call(struct pub_plan *p, struct pub_call *c, struct wz_err *err)
{
	enum wz_status st = WZ_OK;
	if (!p->inv->jr || p->inv->jr->read_only)
		return wz_err_set(err, WZ_EUSAGE, "the decisions journal is read-only (another wisdom holds its lock); "
						  "nothing sent");
	if (c->kind == PC_ISSUE) {
		struct gh_issue out;
		memset(&out, 0, sizeof out);
		if (c->act == PA_SKIP)
			return journal_knows(p, c) ? WZ_OK : journal(p, c->id, "issue", c->number, c->hash, NULL, err);
		if (c->act == PA_CREATE) {
			st = gh_create_issue(p->gh, c->title, c->body, &c->labels, &out, err);
		} else {
			struct gh_issue_patch pt;
			memset(&pt, 0, sizeof pt);
			pt.title = c->title;
			pt.body = c->body;
			pt.labels = &c->labels;
			st = gh_update_issue(p->gh, c->number, &pt, &out, err);
		}
		if (st == WZ_OK) {
			if (out.number)
				c->number = out.number;
			st = journal(p, c->id, "issue", c->number, c->hash, out.html_url, err);
			if (p->o->progress)
				fprintf(p->o->progress, "%s issue #%ld (%s)\n", c->act == PA_CREATE ? "created" : "updated",
					c->number, c->id);
		}
		gh_issue_free(&out);
		return st;
	} else {
		struct gh_comment out;
		memset(&out, 0, sizeof out);
		if (c->act == PA_SKIP) {
			p->comment_id = c->comment_id;
			return WZ_OK;
		}
		if (c->act == PA_CREATE)
			st = gh_create_comment(p->gh, c->number, c->body, &out, err);
		else
			st = gh_update_comment(p->gh, c->comment_id, c->body, &out, err);
		if (st == WZ_OK) {
			if (out.id)
				c->comment_id = out.id;
			p->comment_id = c->comment_id;
			free(p->comment_url);
			p->comment_url = out.html_url ? xstrdup(out.html_url) : NULL;
			st = journal(p, PUB_COMMENT_ID, "comment", c->comment_id, c->hash, out.html_url, err);
			if (p->o->progress)
				fprintf(p->o->progress, "%s run comment %lld on #%ld\n",
					c->act == PA_CREATE ? "created" : "updated", c->comment_id, c->number);
		}
		gh_comment_free(&out);
		return st;
	}
}

char *ghp_report_status(const struct pub_plan *p)
{
	struct buf b = {0};
	size_t i;
	const char *posting = p->gh_skip ? "SKIPPED" : (p->failed ? "FAILED" : "POSTED");
	buf_puts(&b, "# GitHub Report Status\n\n## Posting\n");
	buf_printf(&b, "posting_status: %s\nreason: %s\npublish_mode: %s\nlink_style: %s\n", posting,
		   p->gh_skip ? p->gh_skip : (p->gh_error ? p->gh_error : "null"),
		   p->in.level == WMD_COUNTS ? "COUNTS_ONLY" : (p->in.level == WMD_PATHS ? "RESTRICTED" : "FULL"),
		   p->in.level == WMD_FULL ? "BLOB_LINKS" : "PATHS_ONLY");
	buf_printf(&b, "\n## Target\ntype: %s\nnumber: ", p->target_is_pr ? "pr" : "issue");
	if (p->target)
		buf_printf(&b, "%ld\n", p->target);
	else
		buf_puts(&b, "null\n");
	buf_printf(&b, "repository: %s\n", p->repo[0] ? p->repo : "null");
	buf_puts(&b, "\n## Comment\ncomment_id: ");
	if (p->comment_id)
		buf_printf(&b, "%lld\ncomment_url: %s\n", p->comment_id, p->comment_url ? p->comment_url : "null");
	else
		buf_puts(&b, "null\ncomment_url: null\n");
	buf_puts(&b, "\n## Issues\n\n");
	for (i = 0; i < p->nitems; i++)
		if (p->items[i].issue_number)
			buf_printf(&b, "- %s #%ld%s\n", p->items[i].l->id, p->items[i].issue_number,
				   wmd_item_published(&p->items[i]) ? "" : " (no longer accepted: close by hand)");
	buf_printf(&b, "\n## Machine Summary\nstatus: %s\nrecommended_action: %s\nroute_to_flow: null\n"
		       "route_to_agent: null\nblockers: []\nmissing_required: []\nconcerns: []\n",
		   p->failed ? "UNVERIFIED" : "VERIFIED", p->failed ? "RERUN" : "PROCEED");
	buf_printf(&b, "%s%s\n", WMD_GENERATOR_KEY, p->o->version ? p->o->version : PACKAGE_VERSION);
	return buf_detach(&b);
}
