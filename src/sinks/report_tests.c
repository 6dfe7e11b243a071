/* report_tests.c - "test_history" in the JSON report and the readable
 * "Test regressions" section. */
#include "config.h"
#include "sinks/report_tests.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/tests_analysis.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

static json_t *tjson(double t)
{
	char s[40];
	if (isnan(t))
		return json_null();
	tp_format(t, s, sizeof s);
	return json_string(s);
}

static json_t *strs(const struct str_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, rjson_str(l->v[i]));
	return a;
}

static json_t *run_json(const struct th_run *r, bool cur)
{
	json_t *o = json_object();
	json_object_set_new(o, "run_id", rjson_str(r->run_id));
	json_object_set_new(o, "commit", rjson_str(r->sha));
	json_object_set_new(o, "commit_source", rjson_str(r->sha_source));
	json_object_set_new(o, "time", tjson(r->time));
	json_object_set_new(o, "time_source", rjson_str(r->time_source));
	json_object_set_new(o, "executed", json_integer((json_int_t)r->executed));
	json_object_set_new(o, "failed", json_integer((json_int_t)r->failed));
	if (cur) {
		json_t *a = json_array();
		size_t pl = strlen(r->path);
		for (size_t i = 0; i < r->nreports; i++) {
			const char *p = r->reports[i]->path;
			if (strncmp(p, r->path, pl) == 0 && p[pl] == '/')
				p += pl + 1;
			json_array_append_new(a, rjson_str(p));
		}
		json_object_set_new(o, "reports", a);
		json_object_set_new(o, "dropped", strs(&r->dropped));
		json_object_set_new(o, "reruns_passed", strs(&r->reruns));
	}
	return o;
}

json_t *rtests_json(const struct ta_result *t, json_t *attention, json_t *caps)
{
	json_t *o = json_object(), *e = json_array();
	if (!t)
		return json_null();
	json_object_set_new(o, "current", run_json(&t->hist->cur, true));
	for (size_t i = 0; i < t->hist->nearlier; i++)
		json_array_append_new(e, run_json(&t->hist->earlier[i], false));
	json_object_set_new(o, "earlier_runs", e);
	json_object_set_new(o, "later_runs", json_integer((json_int_t)t->hist->nlater));
	json_object_set_new(o, "undated_runs", json_integer((json_int_t)t->hist->nundated));
	if (t->has_range)
		json_object_set_new(o, "range", json_pack("{s:o,s:s,s:o,s:o}", "base", rjson_str(t->range.base),
							  "head", t->range.head, "bound", rjson_str(t->range.bound),
							  "how", rjson_str(t->range.how)));
	else
		json_object_set_new(o, "range", json_null());
	json_object_set_new(o, "blame", json_pack("{s:b,s:o,s:I}", "available", t->blame != NULL, "reason",
						  rjson_str(t->blame_unavailable), "lines",
						  (json_int_t)t->blamed_lines));
	json_object_set_new(o, "counts",
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "regression", (json_int_t)t->regressions,
				      "persistent", (json_int_t)t->persistent, "current_failure",
				      (json_int_t)t->current, "infra", (json_int_t)t->infra, "flaky",
				      (json_int_t)t->flaky, "duration", (json_int_t)t->durations));
	json_object_set_new(o, "warnings", strs(&t->warnings));
	for (size_t i = 0; caps && i < t->caps.n; i++)
		json_array_append_new(caps, rjson_str(t->caps.v[i]));
	if (attention && (t->regressions || t->persistent)) {
		char *m = xasprintf("tests: %zu regression%s, %zu persistent failure%s", t->regressions,
				    t->regressions == 1 ? "" : "s", t->persistent, t->persistent == 1 ? "" : "s");
		json_array_append_new(attention, json_string(m));
		free(m);
	}
	return o;
}

/* ---- text ------------------------------------------------------------------ */

static const char *s(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : NULL;
}

static void put(struct buf *b, const char *text, bool utf8)
{
	if (text)
		rtext_sanitize(text, strlen(text), utf8, b);
	else
		buf_puts(b, "?");
}

void rtests_text(const json_t *doc, bool utf8, struct buf *b)
{
	const json_t *th = json_object_get(doc, "test_history");
	if (!json_is_object(th))
		return;
	const json_t *cur = json_object_get(th, "current"), *earlier = json_object_get(th, "earlier_runs");
	const json_t *range = json_object_get(th, "range"), *blame = json_object_get(th, "blame");
	const json_t *cn = json_object_get(th, "counts"), *v;
	size_t i;
	buf_puts(b, "\nTest regressions\n  this run: ");
	put(b, s(cur, "run_id"), utf8);
	buf_printf(b, ", %lld executed, %lld failed, commit ", (long long)json_integer_value(json_object_get(cur, "executed")),
		   (long long)json_integer_value(json_object_get(cur, "failed")));
	put(b, s(cur, "commit") ? s(cur, "commit") : "unknown", utf8);
	if (s(cur, "commit_source")) {
		buf_puts(b, " (");
		put(b, s(cur, "commit_source"), utf8);
		buf_putc(b, ')');
	}
	if (!json_array_size(json_object_get(cur, "reports")))
		buf_puts(b, "\n  no per-test report (JUnit, go test -json, TAP) under build/: only counts, no test to classify");
	buf_printf(b, "\n  history: %zu earlier run%s", json_array_size(earlier), json_array_size(earlier) == 1 ? "" : "s");
	json_array_foreach(earlier, i, v) {
		buf_puts(b, i ? ", " : " (");
		put(b, s(v, "run_id"), utf8);
		if (i + 1 == json_array_size(earlier))
			buf_putc(b, ')');
	}
	buf_printf(b, "; %lld later, %lld undated not used\n", (long long)json_integer_value(json_object_get(th, "later_runs")),
		   (long long)json_integer_value(json_object_get(th, "undated_runs")));
	if (json_is_object(range)) {
		buf_printf(b, "  range: %.12s..%.12s (", s(range, "base") ? s(range, "base") : "(root)", s(range, "head"));
		put(b, s(range, "how"), utf8);
		buf_puts(b, ")\n");
	}
	if (json_is_true(json_object_get(blame, "available")))
		buf_printf(b, "  blame: %lld suspect lines blamed\n", (long long)json_integer_value(json_object_get(blame, "lines")));
	else {
		buf_puts(b, "  blame unavailable: ");
		put(b, s(blame, "reason"), utf8);
		buf_putc(b, '\n');
	}
	buf_printf(b, "  %lld regressions, %lld persistent, %lld current failures, %lld infra, %lld flaky, %lld slower\n",
		   (long long)json_integer_value(json_object_get(cn, "regression")),
		   (long long)json_integer_value(json_object_get(cn, "persistent")),
		   (long long)json_integer_value(json_object_get(cn, "current_failure")),
		   (long long)json_integer_value(json_object_get(cn, "infra")),
		   (long long)json_integer_value(json_object_get(cn, "flaky")),
		   (long long)json_integer_value(json_object_get(cn, "duration")));
	json_array_foreach(json_object_get(doc, "findings"), i, v) {
		if (!s(v, "analyzer") || strcmp(s(v, "analyzer"), "tests") != 0)
			continue;
		buf_puts(b, "  ");
		put(b, s(v, "severity"), utf8);
		buf_putc(b, ' ');
		put(b, s(v, "status"), utf8);
		buf_putc(b, ' ');
		put(b, s(v, "subject"), utf8);
		const json_t *ev, *e;
		size_t k;
		ev = json_object_get(v, "evidence");
		json_array_foreach(ev, k, e) {
			if (!s(e, "type") || strcmp(s(e, "type"), "commit") != 0)
				continue;
			buf_printf(b, " -> %.7s \"", s(e, "locator") ? s(e, "locator") : "?");
			put(b, s(e, "excerpt"), utf8);
			buf_puts(b, "\"");
			break;
		}
		const json_t *rs = json_object_get(v, "reasons");
		if (json_array_size(rs)) {
			buf_puts(b, "\n      ");
			put(b, json_string_value(json_array_get(rs, json_array_size(rs) - 1)), utf8);
		}
		buf_putc(b, '\n');
	}
}
