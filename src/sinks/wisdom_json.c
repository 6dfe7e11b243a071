/* wisdom_json.c - flow_history.json, wisdom_receipt.json (shape A) and
 * wisdom_report.json (see wisdom_json.h). */
#include "config.h"
#include "sinks/wisdom_json.h"

#include "sinks/report_json.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dump(json_t *doc)
{
	char *s = rjson_dump(doc);
	json_decref(doc);
	return s;
}

static json_t *time_or_null(double t)
{
	char b[32];
	if (isnan(t))
		return json_null();
	tp_format(t, b, sizeof b);
	return json_string(b);
}

static const char *status_word(const struct receipt *rc)
{
	if (!rc->present)
		return NULL;
	if (!rc->parsed)
		return "UNPARSEABLE";
	return rc->status_raw ? rc->status_raw : "UNKNOWN";
}

static char *generator(const struct wmd_input *in)
{
	return xasprintf("wisdom/%s", in->version ? in->version : PACKAGE_VERSION);
}

int wjson_flows_completed(const struct run *r)
{
	int f, n = 0;
	for (f = 0; f < FLOW_COUNT; f++)
		if (f != FLOW_WISDOM && r->flows[f].receipt.present && r->flows[f].receipt.parsed)
			n++;
	return n;
}

char *wjson_flow_history(const struct wmd_input *in)
{
	const struct run *r = in->run;
	json_t *doc = json_object(), *flows = json_object(), *events = json_array(), *counts = json_object();
	char *gen = generator(in);
	int f, nev = 0, receipts = 0;
	json_object_set_new(doc, "schema_version", json_string("flow_history_v1"));
	json_object_set_new(doc, "run_id", rjson_str(r->id));
	json_object_set_new(doc, "generator", json_string(gen));
	free(gen);
	for (f = 0; f < FLOW_COUNT; f++) {
		const struct flow_state *fs = &r->flows[f];
		const char *name = run_flow_name((enum run_flow)f);
		json_t *o;
		if (!fs->dir_present && !fs->receipt.present)
			continue;
		o = json_object();
		if (f == FLOW_WISDOM) {
			/* written before (with) its own receipt, as the pack does */
			json_object_set_new(o, "flow", json_string(name));
			json_object_set_new(o, "status", json_string("IN_PROGRESS"));
			json_object_set_new(o, "note", json_string("written by wisdom publish with wisdom_receipt.json"));
			json_object_set_new(flows, name, o);
			continue;
		}
		json_object_set_new(o, "flow", json_string(name));
		json_object_set_new(o, "status", rjson_str(status_word(&fs->receipt) ? status_word(&fs->receipt)
										     : "NO_RECEIPT"));
		json_object_set_new(o, "completed_at", time_or_null(fs->receipt.completed_at));
		json_object_set_new(o, "receipt_file", fs->receipt.present ? rjson_str(fs->receipt.src.path) : json_null());
		json_object_set_new(flows, name, o);
		if (fs->receipt.present)
			receipts++;
		if (!isnan(fs->receipt.completed_at)) {
			json_t *ev = json_object();
			char *id = xasprintf("%s/receipt_sealed", name);
			json_object_set_new(ev, "id", json_string(id));
			free(id);
			json_object_set_new(ev, "t", time_or_null(fs->receipt.completed_at));
			json_object_set_new(ev, "t_source", json_string("receipt_completed_at"));
			json_object_set_new(ev, "flow", json_string(name));
			json_object_set_new(ev, "type", json_string("flow_completed"));
			json_object_set_new(ev, "artifacts", json_pack("[o]", rjson_str(fs->receipt.src.path)));
			json_object_set_new(ev, "commit_sha", json_null());
			json_object_set_new(ev, "details", json_pack("{s:o}", "status", rjson_str(status_word(&fs->receipt))));
			json_object_set_new(ev, "evidence", json_pack("{s:o,s:s}", "artifact", rjson_str(fs->receipt.src.path),
								      "pointer", "completed_at"));
			json_array_append_new(events, ev);
			nev++;
		}
	}
	if (!isnan(r->deploy_time)) {
		json_t *ev = json_object();
		json_object_set_new(ev, "id", json_string("deploy/deployed"));
		json_object_set_new(ev, "t", time_or_null(r->deploy_time));
		json_object_set_new(ev, "t_source", rjson_str(r->deploy_time_source));
		json_object_set_new(ev, "flow", json_string("deploy"));
		json_object_set_new(ev, "type", json_string(r->deploy_time_approximate ? "deploy_approximate" : "deployed"));
		json_object_set_new(ev, "artifacts", json_array());
		json_object_set_new(ev, "commit_sha", rjson_str(r->merge_sha));
		json_object_set_new(ev, "details", json_object());
		json_object_set_new(ev, "evidence", json_pack("{s:o,s:s}", "artifact", rjson_str(r->deploy_time_source),
							      "pointer", "deploy_time"));
		json_array_append_new(events, ev);
		nev++;
	}
	json_object_set_new(doc, "flows", flows);
	json_object_set_new(doc, "events", events);
	json_object_set_new(counts, "events_captured", json_integer(nev));
	json_object_set_new(counts, "flows_documented", json_integer((json_int_t)json_object_size(flows)));
	json_object_set_new(counts, "flows_completed", json_integer(wjson_flows_completed(r)));
	json_object_set_new(counts, "receipts_written", json_integer(receipts));
	json_object_set_new(doc, "counts", counts);
	return dump(doc);
}

char *wjson_receipt(const struct wmd_input *in, const char *github_reporting, const char *completed_at)
{
	const struct run *r = in->run;
	struct wmd_counts c;
	json_t *doc = json_object(), *counts = json_object(), *fsum = json_object(), *qg = json_object();
	char *gen = generator(in);
	int f;
	wmd_count(in->items, in->nitems, &c);
	json_object_set_new(doc, "run_id", rjson_str(r->id));
	json_object_set_new(doc, "flow", json_string("wisdom"));
	json_object_set_new(doc, "status", json_string("VERIFIED"));
	json_object_set_new(doc, "recommended_action", json_string("PROCEED"));
	json_object_set_new(doc, "route_to_flow", json_null());
	json_object_set_new(doc, "route_to_agent", json_null());
	json_object_set_new(doc, "missing_required", json_array());
	json_object_set_new(doc, "missing_optional", json_array());
	json_object_set_new(doc, "blockers", json_array());
	json_object_set_new(counts, "learnings_extracted", json_integer(c.learnings));
	json_object_set_new(counts, "feedback_actions_created", json_integer(c.issue_drafts + c.actions));
	json_object_set_new(counts, "suggestions_created", json_integer(c.suggestions));
	json_object_set_new(counts, "regressions_found", json_integer(c.regressions));
	json_object_set_new(counts, "pack_observations", json_integer(c.pack_obs));
	json_object_set_new(counts, "flows_completed", json_integer(wjson_flows_completed(r)));
	json_object_set_new(doc, "counts", counts);
	for (f = 0; f < FLOW_COUNT; f++)
		if (f != FLOW_WISDOM && r->flows[f].receipt.present)
			json_object_set_new(fsum, run_flow_name((enum run_flow)f),
					    rjson_str(status_word(&r->flows[f].receipt)));
	json_object_set_new(doc, "flow_summary", fsum);
	json_object_set_new(doc, "final_outcomes",
			    json_pack("{s:o,s:o}", "merge_decision",
				      rjson_str(r->merge_verdict.v ? r->merge_verdict.v
								   : r->flows[FLOW_GATE].receipt.merge_verdict),
				      "deployment_verdict",
				      rjson_str(r->deployment_verdict.v ? r->deployment_verdict.v
									: r->flows[FLOW_DEPLOY].receipt.deployment_verdict)));
	json_object_set_new(qg, "artifact_audit", json_string(in->audit ? "VERIFIED" : "UNVERIFIED"));
	json_object_set_new(qg, "learning_review", json_string("VERIFIED"));
	json_object_set_new(doc, "quality_gates", qg);
	json_object_set_new(doc, "key_artifacts",
			    json_pack("[s,s,s,s,s,s]", "learnings.md", "feedback_actions.md", "artifact_audit.md",
				      "regression_report.md", "flow_history.json", "wisdom_report.json"));
	json_object_set_new(doc, "github_reporting", rjson_str(github_reporting ? github_reporting : "PENDING"));
	json_object_set_new(doc, "completed_at", rjson_str(completed_at));
	json_object_set_new(doc, "run_complete", json_boolean(wjson_flows_completed(r) >= 5));
	json_object_set_new(doc, "generator", json_string(gen));
	free(gen);
	return dump(doc);
}

char *wjson_report(const struct wmd_input *in, double now)
{
	struct rjson_input ri;
	json_t *doc, *arr = json_array();
	size_t i, k;
	memset(&ri, 0, sizeof ri);
	ri.run = in->run;
	ri.audit = in->audit;
	ri.backends = in->backends;
	ri.now = now;
	ri.version = in->version;
	doc = rjson_build(&ri);
	for (i = 0; i < in->nitems; i++) {
		const struct wmd_item *it = &in->items[i];
		json_t *o = json_object(), *lab = json_array();
		json_object_set_new(o, "id", json_string(it->l->id));
		json_object_set_new(o, "state", json_string(jr_state_word(it->state)));
		json_object_set_new(o, "changed_since_decision", json_boolean(it->delta));
		json_object_set_new(o, "published", json_boolean(wmd_item_published(it)));
		json_object_set_new(o, "origin", json_string(learn_origin_word(it->l->origin)));
		json_object_set_new(o, "kind", json_string(learn_kind_word(it->l->kind)));
		json_object_set_new(o, "severity", json_string(fnd_severity_word(it->l->severity)));
		json_object_set_new(o, "confidence", json_string(fnd_confidence_word(it->l->confidence)));
		json_object_set_new(o, "title", rjson_str(it->title));
		for (k = 0; k < it->labels.n; k++)
			json_array_append_new(lab, rjson_str(it->labels.v[k]));
		json_object_set_new(o, "labels", lab);
		json_object_set_new(o, "issue_number", it->issue_number ? json_integer(it->issue_number) : json_null());
		json_object_set_new(o, "issue_url", rjson_str(it->issue_url));
		json_array_append_new(arr, o);
	}
	json_object_set_new(doc, "learnings", arr);
	return dump(doc);
}
