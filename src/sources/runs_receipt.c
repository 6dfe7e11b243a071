/* runs_receipt.c - <flow>/<flow>_receipt.json: common keys, per-flow keys,
 * the four wisdom receipt shapes and the stale-wisdom check
 * (spec/run-artifacts.md §4, §10, §15). */
#include "config.h"
#include "sources/runs.h"
#include "sources/runs_internal.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RS_TABLE(X)                                  \
	X(RS_ABSENT,         "absent")               \
	X(RS_VERIFIED,       "VERIFIED")             \
	X(RS_UNVERIFIED,     "UNVERIFIED")           \
	X(RS_CANNOT_PROCEED, "CANNOT_PROCEED")       \
	X(RS_PARTIAL,        "PARTIAL")              \
	X(RS_IN_PROGRESS,    "IN_PROGRESS")          \
	X(RS_OTHER,          "other")

static const char *const rs_words[] = {
#define RS_X(e, w) [e] = w,
	RS_TABLE(RS_X)
#undef RS_X
};

const char *receipt_status_word(enum receipt_status s)
{
	return (unsigned)s <= RS_OTHER ? rs_words[s] : "other";
}

enum receipt_status receipt_status_parse(const char *word)
{
	int s;
	if (!word)
		return RS_ABSENT;
	for (s = RS_VERIFIED; s < RS_OTHER; s++)
		if (strcmp(rs_words[s], word) == 0)
			return (enum receipt_status)s;
	return RS_OTHER;
}

/* More counts{} keys than this in one receipt are ignored (real: <= 17). */
#define RUNS_MAX_COUNTS 500

/* Context for one receipt being read. */
struct rctx {
	struct run *r;
	struct receipt *rc;
	const struct runs_json *j;
	const char *rel;       /* <flow>/<flow>_receipt.json */
};

static int kline(const struct rctx *c, const char *k1, const char *k2)
{
	const char *keys[2] = {k1, k2};
	return runs_key_line(c->j->data, keys, k2 ? 2 : 1);
}

/* A word-valued key: strings verbatim; numbers etc. kept as text with a
 * warning (so `"status": 42` shows as "42" and is flagged). */
static char *word(const struct rctx *c, const json_t *obj, const char *key, bool any_type_ok)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) && !any_type_ok)
		run_warn(c->r, "%s:%d: \"%s\" should be a string, found %s; shown verbatim",
			 c->rel, kline(c, key, NULL), key,
			 json_is_number(v) ? "a number" : json_is_object(v) ? "an object" :
			 json_is_array(v) ? "an array" : "a boolean");
	return runs_json_text(v);
}

static void list(const struct rctx *c, const char *key, struct str_list *l)
{
	json_t *v = json_object_get(c->j->root, key);
	if (v && !json_is_null(v) && !json_is_array(v))
		run_warn(c->r, "%s:%d: \"%s\" should be an array; ignored", c->rel, kline(c, key, NULL), key);
	runs_str_list(l, v);
}

static void read_counts(const struct rctx *c)
{
	json_t *counts = json_object_get(c->j->root, "counts"), *v;
	const char *key;
	if (!counts || json_is_null(counts))
		return;
	if (!json_is_object(counts)) {
		run_warn(c->r, "%s:%d: \"counts\" should be an object; ignored", c->rel, kline(c, "counts", NULL));
		return;
	}
	c->rc->counts = xcalloc(json_object_size(counts) < RUNS_MAX_COUNTS ? json_object_size(counts) + 1
				: RUNS_MAX_COUNTS + 1, sizeof *c->rc->counts);
	json_object_foreach(counts, key, v) {
		struct receipt_count *rcn;
		if (c->rc->ncounts == RUNS_MAX_COUNTS) {
			run_warn(c->r, "%s: more than %d counts; the rest are ignored", c->rel, RUNS_MAX_COUNTS);
			break;
		}
		rcn = &c->rc->counts[c->rc->ncounts++];
		rcn->key = xstrdup(key);
		runs_opt_num(&rcn->num, v, c->rel, kline(c, "counts", key));
		if (!rcn->num.has && !json_is_null(v))
			rcn->text = runs_json_text(v);
	}
}

static void num_at(const struct rctx *c, struct opt_num *n, const json_t *obj, const char *parent,
		   const char *key)
{
	json_t *v = json_object_get(obj, key);
	runs_opt_num(n, v, c->rel, kline(c, parent, key));
	if (v && !json_is_null(v) && !n->has)
		run_warn(c->r, "%s:%d: \"%s.%s\" is not a number; treated as unknown", c->rel,
			 kline(c, parent, key), parent, key);
}

static void read_build(const struct rctx *c)
{
	json_t *t = json_object_get(c->j->root, "tests");
	json_t *cov = json_object_get(c->j->root, "coverage");
	if (json_is_object(t)) {
		num_at(c, &c->rc->tests_passed, t, "tests", "passed");
		num_at(c, &c->rc->tests_failed, t, "tests", "failed");
		num_at(c, &c->rc->tests_skipped, t, "tests", "skipped");
		num_at(c, &c->rc->tests_xfailed, t, "tests", "xfailed");
		num_at(c, &c->rc->tests_xpassed, t, "tests", "xpassed");
		c->rc->tests_canonical_summary = runs_json_text(json_object_get(t, "canonical_summary"));
	}
	if (json_is_object(cov)) {
		num_at(c, &c->rc->coverage_line, cov, "coverage", "line_coverage");
		num_at(c, &c->rc->coverage_branch, cov, "coverage", "branch_coverage");
	}
}

static void read_gate(const struct rctx *c)
{
	json_t *counts = json_object_get(c->j->root, "counts");
	c->rc->merge_verdict = word(c, c->j->root, "merge_verdict", false);
	if (json_is_object(counts)) {
		num_at(c, &c->rc->coverage_line, counts, "counts", "coverage_line_percent");
		num_at(c, &c->rc->coverage_branch, counts, "counts", "coverage_branch_percent");
	}
}

static void read_deploy(const struct rctx *c)
{
	c->rc->deployment_verdict = word(c, c->j->root, "deployment_verdict", false);
	c->rc->gate_verdict = word(c, c->j->root, "gate_verdict", false);
}

/* Shapes by their keys (§4): D has learnings/feedback_actions/regressions
 * objects or summary/gaps; C adds routing/evidence keys to B; A counts
 * suggestions and pack observations (and lists review in flow_summary);
 * B is the 6-flow counts/flow_summary/final_outcomes set. */
static char wisdom_shape(const json_t *root)
{
	json_t *counts = json_object_get(root, "counts");
	json_t *fsum = json_object_get(root, "flow_summary");
	if (json_is_object(json_object_get(root, "learnings")) ||
	    json_is_object(json_object_get(root, "feedback_actions")) ||
	    json_is_object(json_object_get(root, "regressions")) || json_object_get(root, "gaps"))
		return 'D';
	if (json_object_get(root, "routing_decision") || json_object_get(root, "evidence_sha") ||
	    json_object_get(root, "routing_target") || json_object_get(root, "generated_at"))
		return 'C';
	if (json_object_get(counts, "suggestions_created") || json_object_get(counts, "pack_observations") ||
	    json_object_get(fsum, "review"))
		return 'A';
	if (json_object_get(counts, "followup_issue_drafts") || json_object_get(counts, "flows_completed") ||
	    json_object_get(counts, "learnings_extracted") || fsum || json_object_get(root, "final_outcomes"))
		return 'B';
	return 0;
}

static void read_wisdom(const struct rctx *c)
{
	json_t *root = c->j->root, *counts = json_object_get(root, "counts");
	json_t *fsum = json_object_get(root, "flow_summary"), *fo = json_object_get(root, "final_outcomes");
	json_t *v;
	const char *key;
	c->rc->wisdom_shape = wisdom_shape(root);
	if (json_is_object(counts))
		num_at(c, &c->rc->wisdom_flows_completed, counts, "counts", "flows_completed");
	if (json_is_object(fsum)) {
		json_object_foreach(fsum, key, v) {
			int f = run_flow_from_name(key);
			if (f >= 0 && !c->rc->wisdom_flow_summary[f])
				c->rc->wisdom_flow_summary[f] = runs_json_text(v);
		}
	}
	if (json_is_object(fo)) {
		c->rc->wisdom_final_merge = word(c, fo, "merge_decision", true);
		c->rc->wisdom_final_deploy = word(c, fo, "deployment_verdict", true);
	}
	c->rc->run_complete = json_is_true(json_object_get(root, "run_complete"));
}

static void read_one(struct run *r, enum run_flow f)
{
	struct receipt *rc = &r->flows[f].receipt;
	const char *name = run_flow_name(f);
	char *rel = xasprintf("%s/%s_receipt.json", name, name);
	char *p = fio_join(r->path, rel);
	struct runs_json j;
	struct rctx c = {r, rc, &j, rel};
	char *st;

	runs_json_read(p, &j);
	free(p);
	if (j.missing)
		goto out;
	rc->present = true;
	prov_set(&rc->src, rel, 0);
	if (j.error || !json_is_object(j.root)) {
		rc->error = j.error ? xstrdup(j.error)
				    : xasprintf("%s/%s: expected a JSON object; the receipt is skipped", r->path, rel);
		rc->status = RS_OTHER;
		rc->status_raw = xstrdup("unparseable");
		run_warn(r, "%s", rc->error);
		goto out;
	}
	rc->parsed = true;
	st = word(&c, j.root, "status", false);
	rc->status = st ? receipt_status_parse(st) : RS_OTHER;
	rc->status_raw = st ? st : xstrdup("(no status)");
	if (!st)
		run_warn(r, "%s: no \"status\" key; flow status unknown", rel);
	rc->recommended_action = word(&c, j.root, "recommended_action", false);
	rc->route_to_flow = word(&c, j.root, "route_to_flow", true);
	rc->route_to_agent = word(&c, j.root, "route_to_agent", false);
	rc->schema_version = word(&c, j.root, "schema_version", false);
	list(&c, "missing_required", &rc->missing_required);
	list(&c, "missing_optional", &rc->missing_optional);
	list(&c, "blockers", &rc->blockers);
	list(&c, "concerns", &rc->concerns);
	rc->has_concerns_key = json_object_get(j.root, "concerns") != NULL;
	rc->completed_at_raw = word(&c, j.root, "completed_at", false);
	if (rc->completed_at_raw) {
		int fl;
		if (!tp_parse(rc->completed_at_raw, &rc->completed_at, &fl, NULL)) {
			rc->completed_at = NAN;
			run_warn(r, "%s:%d: completed_at \"%s\" is not an ISO 8601 time; ignored", rel,
				 kline(&c, "completed_at", NULL), rc->completed_at_raw);
		}
	}
	read_counts(&c);
	switch (f) {
	case FLOW_BUILD: read_build(&c); break;
	case FLOW_GATE: read_gate(&c); break;
	case FLOW_DEPLOY: read_deploy(&c); break;
	case FLOW_WISDOM: read_wisdom(&c); break;
	default: break;
	}
out:
	runs_json_done(&j);
	free(rel);
}

void runs_read_receipts(struct run *r)
{
	int f, others = 0;
	struct receipt *w = &r->flows[FLOW_WISDOM].receipt;
	for (f = 0; f < FLOW_COUNT; f++)
		if (r->flows[f].dir_present)
			read_one(r, (enum run_flow)f);
	for (f = 0; f < FLOW_COUNT; f++) {
		const struct receipt *rc = &r->flows[f].receipt;
		if (f == FLOW_WISDOM)
			continue;
		if (rc->present)
			others++;
		if (w->parsed && !isnan(w->completed_at) && !isnan(rc->completed_at) &&
		    rc->completed_at > w->completed_at) {
			r->wisdom_stale = true;
			run_warn(r, "%s/%s_receipt.json completed at %s, after the wisdom receipt (%s): "
				 "wisdom's final_outcomes/flow_summary may be stale",
				 run_flow_name((enum run_flow)f), run_flow_name((enum run_flow)f),
				 rc->completed_at_raw, w->completed_at_raw);
		}
	}
	if (w->present)
		w->wisdom_flows_recounted = others;
}
