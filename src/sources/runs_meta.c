/* runs_meta.c - run_meta.json (run identity) and .runs/index.json
 * (spec/run-artifacts.md §2). Precedence for run state: receipts >
 * run_meta.json > index; identity never from the folder name when
 * run_meta.json states one. */
#include "config.h"
#include "sources/runs.h"
#include "sources/runs_internal.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define META "run_meta.json"

/* A string field: strings verbatim; other non-null types kept as text with
 * a warning naming the key and the line. */
static char *meta_str(struct run *r, const struct runs_json *j, const char *key)
{
	json_t *v = json_object_get(j->root, key);
	const char *keys[1] = {key};
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
		run_warn(r, META ":%d: \"%s\" should be a string; shown as written",
			 runs_key_line(j->data, keys, 1), key);
	return runs_json_text(v);
}

static double meta_time(struct run *r, const struct runs_json *j, const char *key)
{
	json_t *v = json_object_get(j->root, key);
	const char *keys[1] = {key};
	double t;
	int fl;
	if (!v || json_is_null(v))
		return NAN;
	if (!json_is_string(v) || !tp_parse(json_string_value(v), &t, &fl, NULL)) {
		char *txt = runs_json_text(v);
		run_warn(r, META ":%d: \"%s\" is not an ISO 8601 time (%s); ignored",
			 runs_key_line(j->data, keys, 1), key, txt);
		free(txt);
		return NAN;
	}
	return t;
}

static void meta_num(struct run *r, const struct runs_json *j, const char *key, struct opt_num *n)
{
	json_t *v = json_object_get(j->root, key);
	const char *keys[1] = {key};
	int line = runs_key_line(j->data, keys, 1);
	runs_opt_num(n, v, META, line);
	if (v && !json_is_null(v) && !n->has)
		run_warn(r, META ":%d: \"%s\" should be a number; ignored", line, key);
}

void runs_read_meta(struct run *r)
{
	char *p = fio_join(r->path, META);
	struct runs_json j;
	json_t *v;

	runs_json_read(p, &j);
	free(p);
	if (j.missing) {
		runs_json_done(&j);
		return;
	}
	if (j.error) {
		r->meta_error = xstrdup(j.error);
		run_warn(r, "%s", j.error);
		runs_json_done(&j);
		return;
	}
	if (!json_is_object(j.root)) {
		r->meta_error = xasprintf("%s/" META ": expected a JSON object, found %s; run identity "
					  "falls back to the folder name", r->path,
					  json_is_array(j.root) ? "an array" : "a scalar");
		run_warn(r, "%s", r->meta_error);
		runs_json_done(&j);
		return;
	}
	r->has_meta = true;
	{
		char *id = meta_str(r, &j, "run_id");
		if (id && *id) {
			free(r->id);
			r->id = id;
		} else {
			free(id);
			run_warn(r, META ": no run_id; identity falls back to the folder name");
		}
	}
	r->run_id_kind = meta_str(r, &j, "run_id_kind");
	r->canonical_key = meta_str(r, &j, "canonical_key");
	r->task_title = meta_str(r, &j, "task_title");
	r->github_repo = meta_str(r, &j, "github_repo");
	r->source = meta_str(r, &j, "source");
	r->merge_sha = meta_str(r, &j, "merge_sha");
	r->tag_name = meta_str(r, &j, "tag_name");
	r->base_ref = meta_str(r, &j, "base_ref");
	v = json_object_get(j.root, "github_ops_allowed");
	r->github_ops_allowed = json_is_true(v);
	r->created_at = meta_time(r, &j, "created_at");
	r->updated_at = meta_time(r, &j, "updated_at");
	meta_num(r, &j, "issue_number", &r->issue_number);
	meta_num(r, &j, "pr_number", &r->pr_number);
	runs_str_list(&r->aliases, json_object_get(j.root, "aliases"));
	runs_str_list(&r->flows_started, json_object_get(j.root, "flows_started"));
	runs_json_done(&j);
}

/* Matches an index entry to this run: by run_id, by an alias, or (only when
 * the run has no run_meta.json) by folder name. */
static bool index_matches(const struct run *r, const char *id, const char *folder)
{
	size_t i;
	if (!id)
		return false;
	if (r->id && strcmp(r->id, id) == 0)
		return true;
	for (i = 0; i < r->aliases.n; i++)
		if (strcmp(r->aliases.v[i], id) == 0)
			return true;
	return !r->has_meta && folder && strcmp(folder, id) == 0;
}

void runs_read_index(struct run *r, const char *root)
{
	char *p;
	struct runs_json j;
	json_t *runs, *e;
	size_t i;
	const char *folder;

	if (!root)
		return;
	folder = strrchr(r->path, '/');
	folder = folder ? folder + 1 : r->path;
	p = fio_join(root, "index.json");
	runs_json_read(p, &j);
	if (j.error)
		run_warn(r, "%s", j.error);
	if (!j.root) {
		free(p);
		runs_json_done(&j);
		return;
	}
	runs = json_is_object(j.root) ? json_object_get(j.root, "runs") : NULL;
	if (!json_is_array(runs)) {
		run_warn(r, "%s: expected {\"runs\": [...]}, found %s; the index is ignored",
			 p, json_is_array(j.root) ? "an array" : "another shape");
		free(p);
		runs_json_done(&j);
		return;
	}
	json_array_foreach(runs, i, e) {
		const char *id = json_string_value(json_object_get(e, "run_id"));
		if (!json_is_object(e) || !index_matches(r, id, folder))
			continue;
		r->indexed = true;
		free(r->index_status);
		free(r->index_last_flow);
		r->index_status = runs_json_text(json_object_get(e, "status"));
		r->index_last_flow = runs_json_text(json_object_get(e, "last_flow"));
		if (!r->task_title)
			r->task_title = runs_json_text(json_object_get(e, "task_title"));
		break;
	}
	free(p);
	runs_json_done(&j);
}
