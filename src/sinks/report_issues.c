/* report_issues.c - "issues" / "issues_search" and "GitHub issues". */
#include "config.h"
#include "sinks/report_issues.h"

#include <math.h>
#include <string.h>

#include "analysis/issues_gh.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"

void rissues_json(const struct igh_result *r, json_t *doc)
{
	json_t *a = json_array(), *s, *gh;
	size_t i, k;

	if (!r) {
		json_object_set_new(doc, "issues", a);
		json_object_set_new(doc, "issues_search", json_null());
		return;
	}
	for (i = 0; r->state == IGH_OK && i < r->corr.n; i++) {
		const struct icorr_match *m = &r->corr.v[i];
		const struct gh_issue *g = m->index < r->issues.n ? &r->issues.v[m->index] : NULL;
		json_t *e = json_object(), *rs = json_array();
		if (!g)
			continue;
		json_object_set_new(e, "number", json_integer(m->number));
		json_object_set_new(e, "title", rjson_str(g->title));
		json_object_set_new(e, "url", rjson_str(g->html_url));
		json_object_set_new(e, "state", rjson_str(g->state));
		json_object_set_new(e, "score", json_integer(m->score));
		json_object_set_new(e, "class", json_string(icorr_class_word(m->cls)));
		for (k = 0; k < m->nreasons; k++)
			json_array_append_new(rs, rjson_str(m->reasons[k]));
		json_object_set_new(e, "reasons", rs);
		json_array_append_new(a, e);
	}
	json_object_set_new(doc, "issues", a);
	s = json_object();
	json_object_set_new(s, "state", json_string(igh_state_word(r->state)));
	json_object_set_new(s, "reason", r->reason[0] ? rjson_str(r->reason) : json_null());
	json_object_set_new(s, "repo", r->repo[0] ? rjson_str(r->repo) : json_null());
	json_object_set_new(s, "repo_source", rjson_str(r->repo_source));
	json_object_set_new(s, "since", r->since[0] ? json_string(r->since) : json_null());
	json_object_set_new(s, "since_basis", rjson_str(r->since_basis));
	json_object_set_new(s, "fetched", r->state == IGH_OK ? json_integer((json_int_t)r->issues.n) : json_null());
	json_object_set_new(s, "considered",
			    r->state == IGH_OK ? json_integer((json_int_t)r->corr.considered) : json_null());
	json_object_set_new(s, "capped", json_boolean(r->issues.capped));
	json_object_set_new(doc, "issues_search", s);
	gh = json_object_get(json_object_get(doc, "backends"), "github");
	if (json_is_object(gh) && r->state != IGH_SKIPPED)
		json_object_set_new(gh, "reachable", json_boolean(r->state == IGH_OK));
}

static void put(struct buf *b, const json_t *v, bool utf8)
{
	const char *t = json_string_value(v);
	if (t)
		rtext_sanitize(t, strlen(t), utf8, b);
	else
		buf_puts(b, "?");
}

void rissues_text(const json_t *doc, bool utf8, struct buf *b)
{
	const json_t *s = json_object_get(doc, "issues_search"), *a = json_object_get(doc, "issues"), *v, *r;
	const char *st;
	size_t i, k;

	if (!json_is_object(s))
		return;
	st = json_string_value(json_object_get(s, "state"));
	buf_puts(b, "\nGitHub issues\n  ");
	if (!st || strcmp(st, "ok") != 0) {
		put(b, json_object_get(s, "reason"), utf8);
		buf_putc(b, '\n');
		return;
	}
	put(b, json_object_get(s, "repo"), utf8);
	buf_printf(b, ": %lld issues updated since ", (long long)json_integer_value(json_object_get(s, "fetched")));
	put(b, json_object_get(s, "since"), utf8);
	buf_puts(b, " (");
	put(b, json_object_get(s, "since_basis"), utf8);
	buf_printf(b, " - 30 days)%s, %zu correlated\n", json_is_true(json_object_get(s, "capped")) ? ", list capped" : "",
		   json_array_size(a));
	json_array_foreach(a, i, v) {
		buf_printf(b, "  #%lld ", (long long)json_integer_value(json_object_get(v, "number")));
		put(b, json_object_get(v, "class"), utf8);
		buf_printf(b, " (score %lld, ", (long long)json_integer_value(json_object_get(v, "score")));
		put(b, json_object_get(v, "state"), utf8);
		buf_puts(b, ") ");
		put(b, json_object_get(v, "title"), utf8);
		buf_puts(b, "\n      ");
		put(b, json_object_get(v, "url"), utf8);
		buf_putc(b, '\n');
		json_array_foreach(json_object_get(v, "reasons"), k, r) {
			buf_puts(b, "      ");
			put(b, r, utf8);
			buf_putc(b, '\n');
		}
	}
}
