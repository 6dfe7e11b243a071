/* cmd_runs.c - `wisdom runs [--repo DIR] [--json]`: one line per run with
 * its per-flow receipt status, newest first; indexed-but-absent runs are
 * listed with a note. Exit 0, or 2 when no run folder can be found. */
#include "config.h"
#include "cli/cli.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"
#include "sources/runs.h"
#include "util/buf.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Status glyphs, UTF-8 and ASCII: VERIFIED, UNVERIFIED, CANNOT_PROCEED,
 * no receipt, anything else. */
static const char *glyph(enum receipt_status s, bool utf8)
{
	switch (s) {
	case RS_VERIFIED: return utf8 ? "\u2713" : "+";
	case RS_UNVERIFIED: return "~";
	case RS_CANNOT_PROCEED: return utf8 ? "\u2717" : "x";
	case RS_ABSENT: return utf8 ? "\u00b7" : ".";
	default: return "?";
	}
}

static json_t *entry_json(const struct run_entry *e)
{
	json_t *o = json_object(), *fl = json_object();
	char t[40];
	int f;
	json_object_set_new(o, "id", rjson_str(e->id));
	json_object_set_new(o, "path", rjson_str(e->path));
	json_object_set_new(o, "present", json_boolean(e->present));
	json_object_set_new(o, "indexed", json_boolean(e->indexed));
	json_object_set_new(o, "has_meta", json_boolean(e->has_meta));
	if (isnan(e->updated)) {
		json_object_set_new(o, "updated", json_null());
	} else {
		tp_format(e->updated, t, sizeof t);
		json_object_set_new(o, "updated", json_string(t));
	}
	json_object_set_new(o, "updated_source", rjson_str(e->updated_source));
	json_object_set_new(o, "generation", json_string(run_generation_name(e->generation)));
	json_object_set_new(o, "task_title", rjson_str(e->task_title));
	json_object_set_new(o, "note", rjson_str(e->note));
	for (f = 0; f < FLOW_COUNT; f++) {
		json_t *v = e->flow_status[f] == RS_ABSENT ? json_null() : json_string(receipt_status_word(e->flow_status[f]));
		json_object_set_new(fl, run_flow_name((enum run_flow)f),
				    json_pack("{s:b,s:o}", "folder", e->flow_dir[f], "status", v));
	}
	json_object_set_new(o, "flows", fl);
	return o;
}

static void print_text(const struct run_list *l, bool utf8)
{
	size_t i, w = 2;
	char *s;
	for (i = 0; i < l->n; i++) {
		size_t n = l->v[i].id ? strlen(l->v[i].id) : 1;
		if (n > w)
			w = n;
	}
	if (w > 50)
		w = 50;
	s = rtext_safe(l->root, utf8);
	printf("runs under %s\n", s);
	free(s);
	for (i = 0; i < l->n; i++) {
		const struct run_entry *e = &l->v[i];
		struct buf b = {0};
		char t[40];
		int f;
		s = rtext_safe(e->id, utf8);
		buf_printf(&b, "%-*s  ", (int)w, s);
		free(s);
		if (isnan(e->updated))
			snprintf(t, sizeof t, "unknown");
		else
			tp_format(e->updated, t, sizeof t);
		buf_printf(&b, "%-20s  %-11s  ", t, run_generation_name(e->generation));
		for (f = 0; f < FLOW_COUNT; f++)
			buf_printf(&b, "%c%s ", run_flow_letter((enum run_flow)f),
				   glyph(e->present ? e->flow_status[f] : RS_ABSENT, utf8));
		buf_putc(&b, ' ');
		s = rtext_safe(e->task_title ? e->task_title : "(no title)", utf8);
		buf_puts(&b, s);
		free(s);
		if (e->note) {
			s = rtext_safe(e->note, utf8);
			buf_printf(&b, "  [%s]", s);
			free(s);
		}
		puts(buf_str(&b));
		buf_free(&b);
	}
	for (i = 0; i < l->warnings.n; i++) {
		s = rtext_safe(l->warnings.v[i], utf8);
		fprintf(stderr, "wisdom runs: warning: %s\n", s);
		free(s);
	}
}

int cmd_runs(const struct cli_opts *o)
{
	struct run_list *l = NULL;
	struct wz_err err;
	const char *where = o->repo;
	size_t i;

	if (o->nargs > 1 || (o->nargs == 1 && o->repo)) {
		fprintf(stderr, "wisdom runs: give one place to look (--repo DIR or one argument)\n");
		return 2;
	}
	if (o->nargs == 1)
		where = o->args[0];
	wz_err_clear(&err);
	if (runs_list(where, &l, &err) != WZ_OK || !l) {
		fprintf(stderr, "wisdom runs: %s\n", err.msg[0] ? err.msg : "no runs found");
		run_list_free(&l);
		return 2;
	}
	if (CLI_FLAG(o, json)) {
		json_t *doc = json_object(), *arr = json_array(), *w = json_array();
		char *s;
		for (i = 0; i < l->n; i++)
			json_array_append_new(arr, entry_json(&l->v[i]));
		for (i = 0; i < l->warnings.n; i++)
			json_array_append_new(w, rjson_str(l->warnings.v[i]));
		json_object_set_new(doc, "root", rjson_str(l->root));
		json_object_set_new(doc, "runs", arr);
		json_object_set_new(doc, "warnings", w);
		s = rjson_dump(doc);
		fputs(s, stdout);
		free(s);
		json_decref(doc);
	} else {
		print_text(l, rtext_locale_utf8());
	}
	run_list_free(&l);
	return 0;
}
