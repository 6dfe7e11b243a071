/* report_json.c - builds the wisdom-report/1 document from a run, its
 * audit and the backend detection (schema: man/wisdom-report.5). */
#include "config.h"
#include "sinks/report_json.h"
#include "sinks/report_learn.h"
#include "model/audit.h"
#include "model/finding.h"
#include "sinks/report_issues.h"
#include "sinks/report_tests.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *rjson_str(const char *s)
{
	size_t n, bad, off = 0;
	struct buf b = {0};
	json_t *j;

	if (!s)
		return json_null();
	n = strlen(s);
	if (txt_utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	/* Repair: copy valid stretches, one U+FFFD per invalid byte. */
	while (off < n) {
		if (txt_utf8_valid(s + off, n - off, &bad)) {
			buf_append(&b, s + off, n - off);
			break;
		}
		buf_append(&b, s + off, bad);
		buf_puts(&b, "\xEF\xBF\xBD");
		off += bad + 1;
	}
	j = json_stringn(buf_str(&b), b.len);
	buf_free(&b);
	return j ? j : json_string("");
}

/* "path:line", "path" or null. */
static json_t *prov_json(const struct prov *p)
{
	char *s;
	json_t *j;
	if (!p || !p->path)
		return json_null();
	if (p->line <= 0)
		return rjson_str(p->path);
	s = xasprintf("%s:%d", p->path, p->line);
	j = rjson_str(s);
	free(s);
	return j;
}

static json_t *num_json(const struct opt_num *n)
{
	if (!n->has || !isfinite(n->v))
		return json_null();
	if (n->v == floor(n->v) && fabs(n->v) < 9e15)
		return json_integer((json_int_t)n->v);
	return json_real(n->v);
}

static json_t *time_json(double t)
{
	char s[40];
	if (isnan(t))
		return json_null();
	tp_format(t, s, sizeof s);
	return json_string(s);
}

static json_t *list_json(const struct str_list *l)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < l->n; i++)
		json_array_append_new(a, rjson_str(l->v[i]));
	return a;
}

static const char *status_word(const struct receipt *rc)
{
	switch (rc->status) {
	case RS_VERIFIED: return "VERIFIED";
	case RS_UNVERIFIED: return "UNVERIFIED";
	case RS_CANNOT_PROCEED: return "CANNOT_PROCEED";
	case RS_PARTIAL: return "PARTIAL";
	case RS_IN_PROGRESS: return "IN_PROGRESS";
	case RS_OTHER: return rc->status_raw ? rc->status_raw : "other";
	default: return NULL;
	}
}

static json_t *build_run(const struct run *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", rjson_str(r->id));
	json_object_set_new(o, "path", rjson_str(r->path));
	json_object_set_new(o, "repo_root", rjson_str(r->repo_root));
	json_object_set_new(o, "generation", json_string(run_generation_name(r->generation)));
	json_object_set_new(o, "task_title", rjson_str(r->task_title));
	json_object_set_new(o, "canonical_key", rjson_str(r->canonical_key));
	json_object_set_new(o, "github_repo", rjson_str(r->github_repo));
	json_object_set_new(o, "issue_number", num_json(&r->issue_number));
	json_object_set_new(o, "pr_number", num_json(&r->pr_number));
	json_object_set_new(o, "has_meta", json_boolean(r->has_meta));
	json_object_set_new(o, "indexed", json_boolean(r->indexed));
	json_object_set_new(o, "created_at", time_json(r->created_at));
	json_object_set_new(o, "updated_at", time_json(r->updated_at));
	json_object_set_new(o, "merge_sha", rjson_str(r->merge_sha));
	json_object_set_new(o, "tag_name", rjson_str(r->tag_name));
	return o;
}

static json_t *build_flows(const struct run *r)
{
	json_t *o = json_object();
	const struct receipt *w = &r->flows[FLOW_WISDOM].receipt;
	int f;

	for (f = 0; f < FLOW_COUNT; f++) {
		const struct flow_state *fs = &r->flows[f];
		const struct receipt *rc = &fs->receipt;
		json_t *e = json_object();
		const char *st = status_word(rc);
		bool stale = false;

		if (f == FLOW_WISDOM)
			stale = r->wisdom_stale;
		else if (rc->parsed && w->parsed && !isnan(rc->completed_at) && !isnan(w->completed_at))
			stale = rc->completed_at > w->completed_at;
		json_object_set_new(e, "dir_present", json_boolean(fs->dir_present));
		json_object_set_new(e, "receipt", json_string(!rc->present ? "missing" :
							      rc->parsed ? "parsed" : "unparseable"));
		json_object_set_new(e, "status", st ? rjson_str(st) : json_null());
		json_object_set_new(e, "recommended_action", rjson_str(rc->recommended_action));
		json_object_set_new(e, "completed_at", time_json(rc->completed_at));
		json_object_set_new(e, "source", rc->present ? prov_json(&rc->src) : json_null());
		json_object_set_new(e, "stale", json_boolean(stale));
		json_object_set_new(e, "error", rjson_str(rc->error));
		json_object_set_new(e, "missing_required", list_json(&rc->missing_required));
		json_object_set_new(e, "blockers", list_json(&rc->blockers));
		json_object_set_new(o, run_flow_name((enum run_flow)f), e);
	}
	return o;
}

/* ---- tests ---------------------------------------------------------------- */

#define RJ_TEST_FIELDS(X) X(passed) X(failed) X(skipped) X(xfailed) X(xpassed) X(errors)

static bool counts_any(const struct test_counts *t)
{
#define RJ_X(f) if (t->f.has) return true;
	RJ_TEST_FIELDS(RJ_X)
#undef RJ_X
	return false;
}

static json_t *counts_json(const struct test_counts *t, const char *source, const struct prov *src)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", rjson_str(source));
	json_object_set_new(o, "at", prov_json(src));
#define RJ_X(f) json_object_set_new(o, #f, num_json(&t->f));
	RJ_TEST_FIELDS(RJ_X)
#undef RJ_X
	return o;
}

/* The build receipt's tests{} as a source, unless the readers listed it. */
static bool receipt_listed(const struct run *r)
{
	size_t i;
	for (i = 0; i < r->ntests; i++) {
		const char *p = r->tests[i].src.path ? r->tests[i].src.path : r->tests[i].source;
		if (p && strstr(p, "build_receipt.json"))
			return true;
	}
	return false;
}

static json_t *build_tests(const struct run *r, json_t *attention)
{
	json_t *o = json_object(), *srcs = json_array(), *dis = json_array();
	const struct receipt *br = &r->flows[FLOW_BUILD].receipt;
	struct test_counts rt;
	const struct test_counts **all;
	size_t n = 0, i, j, prim = (size_t)-1;

	all = xcalloc(r->ntests + 1, sizeof *all);
	for (i = 0; i < r->ntests; i++)
		all[n++] = &r->tests[i];
	memset(&rt, 0, sizeof rt);
	if (br->parsed && !receipt_listed(r)) {
		rt.source = (char *)"build receipt tests{}";
		rt.src = br->src;
		rt.passed = br->tests_passed;
		rt.failed = br->tests_failed;
		rt.skipped = br->tests_skipped;
		rt.xfailed = br->tests_xfailed;
		rt.xpassed = br->tests_xpassed;
		all[n++] = &rt;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(srcs, counts_json(all[i], all[i]->source, &all[i]->src));
		if (prim == (size_t)-1 && counts_any(all[i]))
			prim = i;
	}
	/* A field disagrees when two sources both know it and differ. */
#define RJ_X(f)                                                                         \
	for (i = 0; i < n; i++) {                                                       \
		bool differ = false;                                                    \
		if (!all[i]->f.has)                                                     \
			continue;                                                       \
		for (j = i + 1; j < n; j++)                                             \
			if (all[j]->f.has && all[j]->f.v != all[i]->f.v)                \
				differ = true;                                          \
		if (differ) {                                                           \
			json_array_append_new(dis, json_string(#f));                    \
			break;                                                          \
		}                                                                       \
	}
	RJ_TEST_FIELDS(RJ_X)
#undef RJ_X
	if (prim != (size_t)-1) {
		const struct test_counts *p = all[prim];
#define RJ_X(f) json_object_set_new(o, #f, num_json(&p->f));
		RJ_TEST_FIELDS(RJ_X)
#undef RJ_X
		json_object_set_new(o, "source", rjson_str(p->source));
	} else {
#define RJ_X(f) json_object_set_new(o, #f, json_null());
		RJ_TEST_FIELDS(RJ_X)
#undef RJ_X
		json_object_set_new(o, "source", json_null());
	}
	json_object_set_new(o, "agree", json_boolean(json_array_size(dis) == 0));
	json_object_set_new(o, "disagreements", dis);
	json_object_set_new(o, "sources", srcs);
	for (i = 0; i < n; i++)
		if (all[i]->failed.has && all[i]->failed.v > 0) {
			char *m = xasprintf("tests: %s reports %.0f failed", all[i]->source ? all[i]->source : "a source",
					    all[i]->failed.v);
			json_array_append_new(attention, rjson_str(m));
			free(m);
		}
	free(all);
	return o;
}

/* ---- verdicts, deploy time, markers, inventory ------------------------------ */

static json_t *verdict_json(const struct opt_str *art, const char *receipt_value, const struct receipt *rc,
			    const struct opt_str *reason)
{
	json_t *o = json_object();
	if (art->v) {
		json_object_set_new(o, "value", rjson_str(art->v));
		json_object_set_new(o, "source", prov_json(&art->src));
	} else if (receipt_value) {
		json_object_set_new(o, "value", rjson_str(receipt_value));
		json_object_set_new(o, "source", prov_json(&rc->src));
	} else {
		json_object_set_new(o, "value", json_null());
		json_object_set_new(o, "source", json_null());
	}
	json_object_set_new(o, "receipt", rjson_str(receipt_value));
	json_object_set_new(o, "agree", json_boolean(!art->v || !receipt_value || strcmp(art->v, receipt_value) == 0));
	if (reason)
		json_object_set_new(o, "reason", rjson_str(reason->v));
	return o;
}

static json_t *build_deploy_time(const struct run *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "t", time_json(r->deploy_time));
	json_object_set_new(o, "unix", isnan(r->deploy_time) ? json_null() : json_real(r->deploy_time));
	json_object_set_new(o, "source", isnan(r->deploy_time) ? json_null() : rjson_str(r->deploy_time_source));
	json_object_set_new(o, "approximate", json_boolean(!isnan(r->deploy_time) && r->deploy_time_approximate));
	return o;
}

static json_t *build_markers(const struct run *r)
{
	static const struct {
		const char *key, *file, *re;
	} mk[] = {
#define RUN_X(e, key, file, re) {key, file, re},
		RUN_MARKER_TABLE(RUN_X)
#undef RUN_X
	};
	json_t *o = json_object();
	int i;
	for (i = 0; i < MK_COUNT; i++) {
		const struct marker_count *m = &r->markers[i];
		json_t *e = json_object();
		json_object_set_new(e, "file", json_string(mk[i].file));
		json_object_set_new(e, "pattern", json_string(mk[i].re));
		json_object_set_new(e, "file_present", json_boolean(m->file_present));
		json_object_set_new(e, "counted", m->file_present ? json_integer(m->counted) : json_null());
		json_object_set_new(e, "stated", num_json(&m->stated));
		json_object_set_new(e, "stated_at", m->stated.has ? prov_json(&m->stated.src) : json_null());
		json_object_set_new(e, "agree", json_boolean(!m->stated.has || !m->file_present ||
							  m->stated.v == (double)m->counted));
		json_object_set_new(o, mk[i].key, e);
	}
	return o;
}

static json_t *build_obs(const struct run *r)
{
	const struct obs_inventory *v = &r->obs;
	json_t *o = json_object();
	json_object_set_new(o, "inventory", json_boolean(v->present));
	json_object_set_new(o, "source", v->present ? prov_json(&v->src) : json_null());
#define RJ_OBS(k) json_object_set_new(o, #k, v->present ? json_integer(v->k) : json_null());
	RJ_OBS(metrics) RJ_OBS(log_events) RJ_OBS(trace_spans) RJ_OBS(slos) RJ_OBS(alerts) RJ_OBS(sentinels)
#undef RJ_OBS
	return o;
}

/* ---- audit and backends ------------------------------------------------------ */

static json_t *build_audit(const struct audit *a, json_t *summary, json_t *attention)
{
	json_t *arr = json_array();
	size_t i;
	for (i = 0; i < a->n; i++) {
		const struct audit_row *w = &a->rows[i];
		json_t *e = json_object();
		json_object_set_new(e, "flow", json_string(run_flow_name(w->flow)));
		json_object_set_new(e, "artifact", rjson_str(w->artifact));
		json_object_set_new(e, "need", json_string(w->required ? "required" : "optional"));
		json_object_set_new(e, "state", json_string(audit_state_word(w->state)));
		json_object_set_new(e, "size", w->state == AUD_MISSING || w->size < 0 ? json_null()
										    : json_integer(w->size));
		json_object_set_new(e, "mtime", w->state == AUD_MISSING ? json_null() : time_json(w->mtime));
		json_object_set_new(e, "files", json_integer(w->nfiles));
		json_object_set_new(e, "note", rjson_str(w->note));
		json_object_set_new(e, "pack_state", rjson_str(w->pack_state));
		json_object_set_new(e, "pack_disagrees", json_boolean(w->disagrees));
		json_object_set_new(e, "receipt_lists_missing", json_boolean(w->receipt_missing));
		json_array_append_new(arr, e);
		if (w->required && w->state == AUD_MISSING) {
			char *m = xasprintf("audit: required artifact %s is missing", w->artifact ? w->artifact : "?");
			json_array_append_new(attention, rjson_str(m));
			free(m);
		}
	}
	json_object_set_new(summary, "present", json_integer(a->present));
	json_object_set_new(summary, "missing_required", json_integer(a->missing_required));
	json_object_set_new(summary, "missing_optional", json_integer(a->missing_optional));
	json_object_set_new(summary, "empty", json_integer(a->empty));
	json_object_set_new(summary, "unparseable", json_integer(a->unparseable));
	json_object_set_new(summary, "stub", json_integer(a->stub));
	json_object_set_new(summary, "pack_audit", rjson_str(a->pack_audit));
	json_object_set_new(summary, "pack_disagreements", json_integer(a->disagreements));
	return arr;
}

static json_t *build_backends(const struct ext_result *b)
{
	json_t *o = json_object();
	int i;
	for (i = 0; b && i < EB_COUNT; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "area", json_string(ext_backend_area((enum ext_backend)i)));
		json_object_set_new(e, "state", json_string(ext_state_word(b[i].state)));
		json_object_set_new(e, "reason", rjson_str(b[i].reason));
		json_object_set_new(e, "reachable", json_null());
		json_object_set_new(o, ext_backend_name((enum ext_backend)i), e);
	}
	return o;
}

/* ---- analyzer findings (spec/analysis.md §0 shape) ---------------------------- */

static json_t *fnum_json(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *build_finding(const struct finding *f, json_t *attention)
{
	json_t *e = json_object(), *nums = json_object(), *ev = json_array();
	size_t i;
	json_object_set_new(e, "analyzer", rjson_str(f->analyzer));
	json_object_set_new(e, "kind", rjson_str(f->kind));
	json_object_set_new(e, "subject", rjson_str(f->subject));
	json_object_set_new(e, "title", rjson_str(f->title));
	json_object_set_new(e, "body", rjson_str(f->body));
	json_object_set_new(e, "status", rjson_str(f->status));
	json_object_set_new(e, "severity", json_string(fnd_severity_word(f->severity)));
	json_object_set_new(e, "confidence", json_string(fnd_confidence_word(f->confidence)));
	json_object_set_new(e, "input_missing", json_boolean(f->input_missing));
	json_object_set_new(e, "effect", json_pack("{s:o,s:o,s:o,s:o}", "value", fnum_json(f->effect.value),
						   "unit", rjson_str(f->effect.unit), "ci_low",
						   fnum_json(f->effect.ci_low), "ci_high", fnum_json(f->effect.ci_high)));
	for (i = 0; i < f->nnumbers; i++)
		if (f->numbers[i].key)
			json_object_set_new(nums, f->numbers[i].key, fnum_json(f->numbers[i].v));
	json_object_set_new(e, "numbers", nums);
	json_object_set_new(e, "reasons", list_json(&f->reasons));
	for (i = 0; i < f->nev; i++)
		json_array_append_new(ev, json_pack("{s:s,s:o,s:o}", "type", fnd_ev_type_word(f->ev[i].type),
						    "locator", rjson_str(f->ev[i].locator), "excerpt",
						    rjson_str(f->ev[i].excerpt)));
	json_object_set_new(e, "evidence", ev);
	if (f->status && strcmp(f->status, "FAIL") == 0) {
		char *m = xasprintf("%s: %s", f->analyzer ? f->analyzer : "?", f->title ? f->title : "FAIL");
		json_array_append_new(attention, rjson_str(m));
		free(m);
	}
	return e;
}

json_t *rjson_build(const struct rjson_input *in)
{
	const struct run *r = in->run;
	json_t *doc = json_object(), *attention = json_array(), *summary = json_object();
	const struct receipt *gate = &r->flows[FLOW_GATE].receipt, *dep = &r->flows[FLOW_DEPLOY].receipt;
	int f;

	json_object_set_new(doc, "schema", json_string(RJSON_SCHEMA));
	json_object_set_new(doc, "generator", json_pack("{s:s,s:s}", "name", "wisdom", "version",
							in->version ? in->version : PACKAGE_VERSION));
	json_object_set_new(doc, "generated_at", time_json(in->now));
	json_object_set_new(doc, "run", build_run(r));
	json_object_set_new(doc, "flows", build_flows(r));
	for (f = 0; f < FLOW_COUNT; f++)
		if (r->flows[f].receipt.parsed && r->flows[f].receipt.status == RS_CANNOT_PROCEED) {
			char *m = xasprintf("%s: receipt status CANNOT_PROCEED", run_flow_name((enum run_flow)f));
			json_array_append_new(attention, json_string(m));
			free(m);
		}
	json_object_set_new(doc, "tests", build_tests(r, attention));
	json_object_set_new(doc, "merge_verdict", verdict_json(&r->merge_verdict, gate->parsed ? gate->merge_verdict : NULL,
							       gate, &r->merge_reason));
	json_object_set_new(doc, "deployment_verdict",
			    verdict_json(&r->deployment_verdict, dep->parsed ? dep->deployment_verdict : NULL, dep, NULL));
	json_object_set_new(doc, "smoke_signal", rjson_str(r->smoke_signal.v));
	json_object_set_new(doc, "deploy_time", build_deploy_time(r));
	json_object_set_new(doc, "markers", build_markers(r));
	json_object_set_new(doc, "observability", build_obs(r));
	if (in->audit) {
		json_object_set_new(doc, "audit", build_audit(in->audit, summary, attention));
		json_object_set_new(doc, "audit_summary", summary);
	} else {
		json_object_set_new(doc, "audit", json_null());
		json_object_set_new(doc, "audit_summary", json_null());
		json_decref(summary);
	}
	json_object_set_new(doc, "backends", build_backends(in->backends));
	{
		json_t *fa = json_array();
		size_t i;
		for (i = 0; in->findings && i < in->nfindings; i++)
			if (in->findings[i])
				json_array_append_new(fa, build_finding(in->findings[i], attention));
		json_object_set_new(doc, "findings", fa);
	}
	json_object_set_new(doc, "learnings", in->learnings ? rlearn_json(in->learnings, in->journal) : json_array());
	{
		json_t *caps = json_array();
		json_object_set_new(doc, "test_history", in->tests ? rtests_json(in->tests, attention, caps) : json_null());
		json_object_set_new(doc, "caps", caps);
	}
	rissues_json(in->issues, doc);
	json_object_set_new(doc, "warnings", list_json(&r->warnings));
	json_object_set_new(doc, "attention", attention);
	return doc;
}

char *rjson_dump(const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	char *out;
	if (!s)
		return xstrdup("null\n");
	out = xasprintf("%s\n", s);
	free(s);
	return out;
}

int rjson_exit_status(const json_t *doc)
{
	return json_array_size(json_object_get(doc, "attention")) > 0 ? 1 : 0;
}
