/* publish.c - the publish plan: decided items, GitHub availability and
 * content level, the wisdom files with their diffs, printing the plan and
 * executing it (see publish.h). GitHub bodies and calls: gh_publish.c. */
#include "config.h"
#include "sinks/publish.h"

#include "analysis/audit.h"
#include "sinks/wisdom_json.h"
#include "sources/runs.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const struct redactor *rd_of(const struct pub_plan *p)
{
	return p->o->rd ? p->o->rd : redact_default();
}

static ext_lookup_fn get_of(const struct pub_opts *o)
{
	return o->get ? o->get : ext_getenv;
}

/* ---- steps and the test hook ------------------------------------------ */

static void step(struct pub_plan *p)
{
	const char *on = getenv("WISDOM_TEST_HOOKS"), *n;
	p->steps++;
	if (!on || strcmp(on, "1") != 0 || !(n = getenv("WISDOM_TEST_KILL_AFTER")))
		return;
	if (atoi(n) == p->steps) {
		if (p->o->progress)
			fflush(p->o->progress);
		fflush(stdout);
		raise(SIGKILL);
	}
}

/* ---- files --------------------------------------------------------------- */

static char *wisdom_path(const struct pub_plan *p, const char *name)
{
	char *d = fio_join(p->inv->run->path, "wisdom"), *r = fio_join(d, name);
	free(d);
	return r;
}

static bool ours(const char *text)
{
	return text && (strstr(text, WMD_GENERATOR_KEY) || strstr(text, WJSON_GENERATOR_KEY) ||
			strstr(text, "\"name\": \"wisdom\""));
}

static void add_file(struct pub_plan *p, const char *name, char *text_unredacted)
{
	struct pub_file *f;
	char *path = wisdom_path(p, name), *packp, *pn;
	struct wz_err err;
	size_t i;
	for (i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].name, name) == 0)
			break;
	if (i == p->nfiles) {
		p->files = xrealloc(p->files, (p->nfiles + 1) * sizeof *p->files);
		memset(&p->files[p->nfiles], 0, sizeof *p->files);
		p->files[p->nfiles].name = xstrdup(name);
		p->nfiles++;
	}
	f = &p->files[i];
	free(f->text);
	free(f->old);
	free(f->diff);
	f->old = NULL;
	f->diff = NULL;
	f->text = redact_str(rd_of(p), text_unredacted);
	f->len = strlen(f->text);
	free(text_unredacted);
	if (fio_read(path, FIO_DEFAULT_MAX, &f->old, &f->oldlen, &err) != WZ_OK)
		f->old = NULL;
	if (!f->old)
		f->act = PF_CREATE;
	else
		f->act = (f->oldlen == f->len && memcmp(f->old, f->text, f->len) == 0) ? PF_SAME : PF_CHANGE;
	pn = xasprintf(".pack/%s", name);
	packp = wisdom_path(p, pn);
	f->pack_copy = f->act == PF_CHANGE && !fio_is_file(packp) && !ours(f->old);
	free(packp);
	free(pn);
	f->diff = f->act == PF_SAME ? NULL : pub_unified_diff(name, f->old, f->text, &f->added, &f->removed);
	if (f->act == PF_SAME)
		f->added = f->removed = 0;
	free(path);
}

/* The stamp of an existing file of ours (key at top level), else NULL. */
static char *old_stamp(const struct pub_plan *p, const char *name, const char *key)
{
	char *path = wisdom_path(p, name), *data = NULL, *out = NULL;
	size_t len;
	struct wz_err err;
	if (fio_read(path, FIO_DEFAULT_MAX, &data, &len, &err) == WZ_OK && ours(data)) {
		json_t *doc = json_loads(data, 0, NULL);
		const char *s = doc ? json_string_value(json_object_get(doc, key)) : NULL;
		out = s ? xstrdup(s) : NULL;
		json_decref(doc);
	}
	free(data);
	free(path);
	return out;
}

/* Same bytes as on disk except the stamp -> keep the old stamp. */
static char *stable(const struct pub_plan *p, const char *name, const char *key, const char *posting)
{
	char *old = old_stamp(p, name, key), *text, *cur = NULL, *path = wisdom_path(p, name);
	char now[32];
	size_t len;
	struct wz_err err;
	double t = NAN;
	bool receipt = strcmp(name, "wisdom_receipt.json") == 0;
	tp_format(p->o->now, now, sizeof now);
	if (old && !receipt && !tp_parse(old, &t, NULL, NULL))
		t = NAN;
	text = NULL;
	if (old) {
		char *raw = receipt ? wjson_receipt(&p->in, posting, old) : wjson_report(&p->in, t);
		text = redact_str(rd_of(p), raw);
		free(raw);
		if (fio_read(path, FIO_DEFAULT_MAX, &cur, &len, &err) != WZ_OK || strcmp(cur, text) != 0) {
			free(text);
			text = NULL;
		}
		free(cur);
	}
	if (!text)
		text = receipt ? wjson_receipt(&p->in, posting, now) : wjson_report(&p->in, p->o->now);
	free(old);
	free(path);
	return text;
}

static const char *posting_word(const struct pub_plan *p)
{
	if (p->gh_skip)
		return "SKIPPED";
	return p->failed ? "FAILED" : "POSTED";   /* before the calls: the outcome planned */
}

static void make_files(struct pub_plan *p)
{
	const char *posting = posting_word(p);
	add_file(p, "artifact_audit.md", wmd_artifact_audit(&p->in));
	add_file(p, "regression_report.md", wmd_regression_report(&p->in));
	add_file(p, "learnings.md", wmd_learnings(&p->in));
	add_file(p, "feedback_actions.md", wmd_feedback_actions(&p->in));
	add_file(p, "flow_history.json", wjson_flow_history(&p->in));
	add_file(p, "wisdom_receipt.json", stable(p, "wisdom_receipt.json", "completed_at", posting));
	add_file(p, "wisdom_report.json", stable(p, "wisdom_report.json", "generated_at", posting));
	if (!p->gh_skip && p->target) {
		add_file(p, "github_report.md", ghp_run_comment(&p->in));
		if (p->comment_id)
			add_file(p, "gh_comment_id.txt", xasprintf("%lld\n", p->comment_id));
	}
	add_file(p, "gh_report_status.md", ghp_report_status(p));
}

/* ---- plan ------------------------------------------------------------------ */

void pub_items_refresh(struct pub_plan *p)
{
	size_t i;
	wmd_items_free(p->items, p->nitems);
	wmd_items_build(p->inv->set, p->inv->jr, p->inv->run->path, &p->items, &p->nitems);
	memset(p->decided, 0, sizeof p->decided);
	p->pending_delta = 0;
	for (i = 0; i < p->nitems; i++) {
		if (p->items[i].delta)
			p->pending_delta++;
		else
			p->decided[p->items[i].state]++;
	}
	p->in.items = p->items;
	p->in.nitems = p->nitems;
}

/* Secrets gate and push state decide the content level (§13). */
static void content_level(struct pub_plan *p)
{
	const struct run *r = p->inv->run;
	char *path = wisdom_path(p, "secrets_status.json"), *data = NULL;
	size_t len;
	struct wz_err err;
	bool blocked = false, pushed;
	if (fio_read(path, 1 << 20, &data, &len, &err) == WZ_OK) {
		json_t *doc = json_loads(data, 0, NULL);
		const char *st = doc ? json_string_value(json_object_get(doc, "status")) : NULL;
		json_t *safe = doc ? json_object_get(doc, "safe_to_publish") : NULL;
		blocked = (st && strncmp(st, "BLOCKED", 7) == 0) || (safe && json_is_false(safe));
		json_decref(doc);
	}
	free(data);
	free(path);
	pushed = r->merge_sha && p->repo[0];
	data = NULL;
	path = wisdom_path(p, ".pack/gh_report_status.md");
	if (!fio_is_file(path)) {
		free(path);
		path = wisdom_path(p, "gh_report_status.md");
	}
	if (fio_read(path, 1 << 20, &data, &len, &err) == WZ_OK && strstr(data, "publish_surface: NOT_PUSHED"))
		pushed = false;
	free(data);
	free(path);
	p->in.level = blocked ? WMD_COUNTS : (pushed ? WMD_FULL : WMD_PATHS);
	if (p->in.level == WMD_FULL) {
		const char *server = get_of(p->o)("GITHUB_SERVER_URL", p->o->get_ctx);
		p->link_base = xasprintf("%s/%s/blob/%s/", server ? server : "https://github.com", p->repo, r->merge_sha);
		p->in.link_base = p->link_base;
	}
}

static void github_setup(struct pub_plan *p)
{
	const struct pub_opts *o = p->o;
	const struct run *r = p->inv->run;
	struct wz_err err;
	const char *var = NULL;
	wz_err_clear(&err);
	if (gh_resolve_repo(get_of(o), o->get_ctx, r->github_repo, r->repo_root, p->repo, sizeof p->repo,
			    &p->repo_source, &err) != WZ_OK)
		p->repo[0] = '\0';
	if (r->issue_number.has && r->issue_number.v > 0) {
		p->target = (long)r->issue_number.v;
	} else if (r->pr_number.has && r->pr_number.v > 0) {
		p->target = (long)r->pr_number.v;
		p->target_is_pr = true;
	}
	if (o->files_only)
		p->gh_skip = xstrdup("skipped: --files-only");
	else if (r->has_meta && !r->github_ops_allowed)
		p->gh_skip = xstrdup("skipped: run_meta.json github_ops_allowed is false");
	else if (!gh_token(get_of(o), o->get_ctx, &var))
		p->gh_skip = xstrdup(GH_SKIP_NO_TOKEN);
	else if (!p->repo[0])
		p->gh_skip = xasprintf("skipped: repository unknown (%s)", err.msg[0] ? err.msg : "set GITHUB_REPOSITORY");
	else if (gh_client_new(&p->gh, get_of(o), o->get_ctx, p->repo, NULL, &err) != WZ_OK)
		p->gh_skip = xasprintf("skipped: %s", err.msg);
	else
		/* a fresh connection per call: libcurl silently re-sends a request
		 * whose reused keep-alive connection died, which for a create can
		 * make a second issue */
		gh_client_add_header(p->gh, "Connection: close");
	if (p->gh_skip)
		p->gh_state = xstrdup(p->gh_skip);
	else
		p->gh_state = xasprintf("used %s repo %s (from %s): issues by marker, the run comment on %s #%ld",
					gh_client_base(p->gh), p->repo, p->repo_source ? p->repo_source : "?",
					p->target_is_pr ? "PR" : "issue", p->target);
}

enum wz_status pub_plan_build(struct investigation *inv, const struct pub_opts *o, struct pub_plan **out,
			      struct wz_err *err)
{
	struct pub_plan *p;
	enum wz_status st = WZ_OK;
	*out = NULL;
	if (!inv->set)
		return wz_err_set(err, WZ_EUSAGE, "publish: the investigation has no learning candidates (internal)");
	p = xcalloc(1, sizeof *p);
	p->inv = inv;
	p->o = o;
	ext_detect(get_of(o), o->get_ctx, p->backends);
	p->in.run = inv->run;
	p->in.audit = inv->audit;
	p->in.backends = p->backends;
	p->in.version = o->version;
	wch_trend_gather(inv->run, &p->trend);
	p->in.trend = &p->trend;
	pub_items_refresh(p);
	github_setup(p);
	p->in.github_state = p->gh_state;
	content_level(p);
	if (!p->gh_skip) {
		const struct jr_entry *e = inv->jr ? jr_get(inv->jr, PUB_COMMENT_ID) : NULL;
		size_t k;
		for (k = 0; e && k < e->notes.n; k++) {
			long long id = 0;
			if (wmd_parse_publish_note(e->notes.v[k], "comment", &id, NULL, NULL))
				p->comment_id = id;
		}
		st = ghp_plan_calls(p, err);
		if (st != WZ_OK) {
			pub_plan_free(&p);
			return st;
		}
	}
	make_files(p);
	*out = p;
	return WZ_OK;
}

void pub_plan_free(struct pub_plan **pp)
{
	struct pub_plan *p;
	size_t i;
	if (!pp || !*pp)
		return;
	p = *pp;
	for (i = 0; i < p->nfiles; i++) {
		free(p->files[i].name);
		free(p->files[i].text);
		free(p->files[i].old);
		free(p->files[i].diff);
	}
	free(p->files);
	for (i = 0; i < p->ncalls; i++) {
		free(p->calls[i].id);
		free(p->calls[i].title);
		free(p->calls[i].body);
		free(p->calls[i].remote_hash);
		free(p->calls[i].why);
		str_list_free(&p->calls[i].labels);
	}
	free(p->calls);
	wmd_items_free(p->items, p->nitems);
	gh_client_free(&p->gh);
	free(p->gh_skip);
	free(p->gh_state);
	free(p->gh_error);
	free(p->link_base);
	free(p->comment_url);
	wch_trend_clear(&p->trend);
	free(p);
	*pp = NULL;
}

/* ---- print ----------------------------------------------------------------- */

static const char *act_word(const struct pub_call *c)
{
	switch (c->act) {
	case PA_CREATE: return "POST";
	case PA_UPDATE: return "PATCH";
	case PA_SKIP: return "skip";
	default: return "close by hand";
	}
}

void pub_plan_print(const struct pub_plan *p, FILE *f, bool full)
{
	size_t i, nsame = 0, nreal = 0;
	const char *base = p->gh ? gh_client_base(p->gh) : "";
	fprintf(f, "Publish %s · %s\n", p->inv->run->id ? p->inv->run->id : "?",
		full ? "dry run, nothing written or sent" : "plan");
	fprintf(f, "Repo %s%s%s%s\n", p->repo[0] ? p->repo : "unknown", p->repo_source ? " (" : "",
		p->repo_source ? p->repo_source : "", p->repo_source ? ")" : "");
	fprintf(f, "%d accepted · %d edited · %d rejected · %d proposed (left out)", p->decided[JR_ACCEPTED],
		p->decided[JR_EDITED], p->decided[JR_REJECTED], p->decided[JR_PROPOSED]);
	if (p->pending_delta)
		fprintf(f, " · %d changed since decided (left out)", p->pending_delta);
	fprintf(f, "\nFiles\n");
	for (i = 0; i < p->nfiles; i++) {
		const struct pub_file *pf = &p->files[i];
		fprintf(f, "  %-9s wisdom/%-28s +%d -%d%s\n",
			pf->act == PF_SAME ? "unchanged" : (pf->act == PF_CREATE ? "create" : "change"), pf->name, pf->added,
			pf->removed, pf->pack_copy ? "  (pack's copy kept in wisdom/.pack/)" : "");
	}
	for (i = 0; i < p->ncalls; i++)
		if (p->calls[i].act == PA_SKIP)
			nsame++;
		else if (p->calls[i].act != PA_CLOSE_BY_HAND)
			nreal++;
	if (p->gh_skip) {
		fprintf(f, "GitHub %s\n", p->gh_skip);
	} else {
		fprintf(f, "GitHub (%zu calls; %zu unchanged)\n", nreal, nsame);
		for (i = 0; i < p->ncalls; i++) {
			const struct pub_call *c = &p->calls[i];
			if (c->kind == PC_ISSUE && c->act == PA_CREATE)
				fprintf(f, "  POST   %s/repos/%s/issues  \"%.40s\"  %s\n", base, p->repo, c->title, c->id);
			else if (c->kind == PC_ISSUE)
				fprintf(f, "  %-6s %s/repos/%s/issues/%ld  %s  %s\n", act_word(c), base, p->repo, c->number,
					c->why ? c->why : "", c->id);
			else if (c->act == PA_CREATE)
				fprintf(f, "  POST   %s/repos/%s/issues/%ld/comments  run comment\n", base, p->repo, c->number);
			else
				fprintf(f, "  %-6s %s/repos/%s/issues/comments/%lld  run comment, %s #%ld  %s\n", act_word(c), base,
					p->repo, c->comment_id, p->target_is_pr ? "PR" : "issue", c->number, c->why ? c->why : "");
		}
	}
	if (!full)
		return;
	for (i = 0; i < p->nfiles; i++)
		if (p->files[i].diff)
			fprintf(f, "\n%s", p->files[i].diff);
	for (i = 0; i < p->ncalls; i++) {
		const struct pub_call *c = &p->calls[i];
		json_t *req;
		char *s;
		size_t k;
		if (c->act == PA_SKIP || c->act == PA_CLOSE_BY_HAND)
			continue;
		req = json_object();
		if (c->kind == PC_ISSUE) {
			json_t *lab = json_array();
			json_object_set_new(req, "title", json_string(c->title));
			json_object_set_new(req, "body", json_string(c->body));
			for (k = 0; k < c->labels.n; k++)
				json_array_append_new(lab, json_string(c->labels.v[k]));
			json_object_set_new(req, "labels", lab);
			if (c->act == PA_CREATE)
				fprintf(f, "\nPOST %s/repos/%s/issues\n", base, p->repo);
			else
				fprintf(f, "\nPATCH %s/repos/%s/issues/%ld\n", base, p->repo, c->number);
		} else {
			json_object_set_new(req, "body", json_string(c->body));
			if (c->act == PA_CREATE)
				fprintf(f, "\nPOST %s/repos/%s/issues/%ld/comments\n", base, p->repo, c->number);
			else
				fprintf(f, "\nPATCH %s/repos/%s/issues/comments/%lld\n", base, p->repo, c->comment_id);
		}
		s = json_dumps(req, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fprintf(f, "%s\n", s ? s : "{}");
		free(s);
		json_decref(req);
	}
}

/* ---- execute ----------------------------------------------------------------- */

/* Files that carry GitHub results: written after the calls. */
static bool after_github(const char *name)
{
	static const char *const names[] = {"regression_report.md", "feedback_actions.md", "wisdom_receipt.json",
					    "wisdom_report.json", "github_report.md", "gh_comment_id.txt",
					    "gh_report_status.md"};
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static enum wz_status write_files(struct pub_plan *p, bool before_github, struct wz_err *err)
{
	size_t i;
	char *dir = wisdom_path(p, ".pack");
	enum wz_status st = WZ_OK;
	for (i = 0; i < p->nfiles && st == WZ_OK; i++) {
		struct pub_file *f = &p->files[i];
		char *path;
		if (f->act == PF_SAME || (before_github && p->gh && after_github(f->name)))
			continue;
		if (f->pack_copy) {
			char *pp = fio_join(dir, f->name);
			st = fio_mkdirs(dir, 0777, err);
			if (st == WZ_OK)
				st = fio_write_atomic(pp, f->old, f->oldlen, err);
			free(pp);
			if (st != WZ_OK)
				break;
			f->pack_copy = false;
		}
		path = wisdom_path(p, f->name);
		st = fio_write_atomic(path, f->text, f->len, err);
		free(path);
		if (st == WZ_OK) {
			if (p->o->progress)
				fprintf(p->o->progress, "wrote wisdom/%s\n", f->name);
			free(f->old);
			f->old = xstrdup(f->text);
			f->oldlen = f->len;
			f->act = PF_SAME;
			step(p);
		}
	}
	free(dir);
	return st;
}

/* wisdom_report.json describes the run as it is now, our own receipt and
 * markdown included: read the run again and rewrite the report when it
 * differs, so the next publish finds nothing to change. */
static enum wz_status report_again(struct pub_plan *p, struct wz_err *err)
{
	struct run *r2 = NULL;
	struct audit *a2;
	const struct run *r1 = p->in.run;
	const struct audit *a1 = p->in.audit;
	struct wz_err e2;
	size_t i;
	enum wz_status st;
	if (runs_open(p->inv->run->path, NULL, &r2, &e2) != WZ_OK || !r2) {
		run_free(&r2);
		return WZ_OK;   /* the report written stays: it is whole */
	}
	a2 = audit_run(r2);
	p->in.run = r2;
	p->in.audit = a2;
	add_file(p, "wisdom_report.json", stable(p, "wisdom_report.json", "generated_at", posting_word(p)));
	p->in.run = r1;
	p->in.audit = a1;
	for (i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].name, "wisdom_report.json") == 0)
			p->files[i].pack_copy = false;
	st = write_files(p, false, err);
	audit_free(&a2);
	run_free(&r2);
	return st;
}

enum wz_status pub_execute(struct pub_plan *p, struct wz_err *err)
{
	enum wz_status st;
	size_t i;
	{
		/* temporary files of a publish that was killed mid-write */
		char *w = wisdom_path(p, ""), *pk = wisdom_path(p, ".pack");
		fio_sweep_temps(w);
		fio_sweep_temps(pk);
		free(w);
		free(pk);
	}
	st = write_files(p, true, err);
	if (st != WZ_OK)
		return st;
	for (i = 0; p->gh && i < p->ncalls; i++) {
		struct pub_call *c = &p->calls[i];
		struct wz_err e2;
		wz_err_clear(&e2);
		if (c->done || c->act == PA_CLOSE_BY_HAND)
			continue;
		if (c->kind == PC_COMMENT) {
			pub_items_refresh(p);
			ghp_comment_prepare(p, c);
		}
		if (ghp_execute_call(p, c, &e2) != WZ_OK) {
			p->failed++;
			if (!p->gh_error)
				p->gh_error = xstrdup(e2.msg);
			break;   /* the rest waits for the next publish */
		}
		c->done = true;
		if (c->act != PA_SKIP)
			p->posted++;
		step(p);
	}
	/* files that depend on the GitHub results */
	p->gh_done = p->gh != NULL;
	pub_items_refresh(p);
	make_files(p);
	st = write_files(p, false, err);
	if (st != WZ_OK)
		return st;
	if (st == WZ_OK)
		st = report_again(p, err);
	if (st != WZ_OK)
		return st;
	if (p->gh_error)
		return wz_err_set(err, WZ_ENET, "%s; published so far is recorded in wisdom/.decisions.jsonl: run "
						"`wisdom publish` again to finish the rest",
				  p->gh_error);
	return WZ_OK;
}
