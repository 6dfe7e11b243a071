/* report_learn.c - learnings[] in the report (see report_learn.h). */
#include "config.h"
#include "sinks/report_learn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/report_json.h"
#include "sinks/report_text.h"

json_t *rlearn_one(const struct learning_set *s, size_t k, const struct journal *j)
{
	const struct learning *l = &s->v[k];
	json_t *o = json_object(), *ev = json_array(), *lab = json_array(), *out = json_object();
	char sh[LEARN_ID_LEN + 1];
	bool delta = false;
	enum jr_state st = JR_PROPOSED;
	size_t i;

	if (j)
		st = jr_state_of(j, l->id, &l->merged_ids, l->src_hash, &delta);
	snprintf(sh, sizeof sh, "L-%.*s", learning_set_prefix(s, k), l->id + 2);
	json_object_set_new(o, "id", json_string(l->id));
	json_object_set_new(o, "short_id", json_string(sh));
	json_object_set_new(o, "kind", json_string(learn_kind_word(l->kind)));
	json_object_set_new(o, "origin", json_string(learn_origin_word(l->origin)));
	json_object_set_new(o, "title", rjson_str(l->title));
	json_object_set_new(o, "body", rjson_str(l->body));
	json_object_set_new(o, "severity", json_string(fnd_severity_word(l->severity)));
	json_object_set_new(o, "confidence", json_string(fnd_confidence_word(l->confidence)));
	json_object_set_new(o, "confidence_reason", rjson_str(l->confidence_reason));
	json_object_set_new(o, "sources", json_integer(l->sources));
	json_object_set_new(o, "rank", json_real(l->rank));
	for (i = 0; i < l->nev; i++)
		json_array_append_new(ev, json_pack("{s:s,s:o,s:o,s:o,s:s}", "type", fnd_ev_type_word(l->ev[i].type),
						    "locator", rjson_str(l->ev[i].locator), "excerpt",
						    rjson_str(l->ev[i].excerpt), "analyzer", rjson_str(l->ev[i].analyzer),
						    "confidence", fnd_confidence_word(l->ev[i].confidence)));
	json_object_set_new(o, "evidence", ev);
	for (i = 0; i < l->out_labels.n; i++)
		json_array_append_new(lab, rjson_str(l->out_labels.v[i]));
	json_object_set_new(out, "wisdom_section", rjson_str(l->out_section));
	if (l->out_issue_title)
		json_object_set_new(out, "github_issue",
				    json_pack("{s:o,s:o}", "title", rjson_str(l->out_issue_title), "labels", lab));
	else {
		json_decref(lab);
		json_object_set_new(out, "github_issue", json_null());
	}
	json_object_set_new(out, "playbook", rjson_str(l->out_playbook));
	json_object_set_new(o, "proposed", out);
	json_object_set_new(o, "state", j ? json_string(jr_state_word(st)) : json_null());
	json_object_set_new(o, "changed_since_decision", json_boolean(delta));
	return o;
}

json_t *rlearn_json(const struct learning_set *s, const struct journal *j)
{
	json_t *a = json_array();
	for (size_t k = 0; s && k < s->n; k++)
		json_array_append_new(a, rlearn_one(s, k, j));
	return a;
}

void rlearn_text(const json_t *arr, bool utf8, struct buf *b)
{
	const json_t *l;
	size_t i;
	json_array_foreach(arr, i, l) {
		const char *st = json_string_value(json_object_get(l, "state"));
		char *t = rtext_safe(json_string_value(json_object_get(l, "title")), utf8);
		buf_printf(b, "  %-10s %-9s %-12s %-6s %s\n", json_string_value(json_object_get(l, "short_id")),
			   st ? st : "proposed", json_string_value(json_object_get(l, "origin")),
			   json_string_value(json_object_get(l, "severity")), t);
		free(t);
	}
}
