/* report_gojson.c - `go test -json` event streams (test2json), one JSON
 * object per line, parsed with jansson.
 *
 * Tests are (Package, Test) pairs with a terminal action (pass, fail, skip);
 * the last one counts, subtests count. A package that failed with no failed
 * test in it (build failure, panic, exit outside a test), or a `build-fail`
 * event, is one error. A pair with both fail and pass events is flaky.
 */
#include "config.h"
#include "sources/report_readers.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
	char *key;            /* package "\x1f" test */
	long case_index;      /* -1 until the first terminal event */
	struct buf out;       /* output lines (bounded) */
	bool seen_fail, seen_pass;
};

struct pkg {
	char *name;
	char *final;          /* last terminal action, NULL if none */
	bool build_failed;
	bool has_failed_test;
	struct buf out;
	int first_line;
};

struct gstate {
	struct tr_report *r;
	struct pair *pairs;
	size_t npairs, pairs_cap;
	size_t *slots;        /* hash: index + 1 */
	size_t nslots;
	struct pkg *pkgs;
	size_t npkgs, pkgs_cap;
};

static size_t hash_str(const char *s)
{
	size_t h = (size_t)1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static struct pair *get_pair(struct gstate *g, const char *pkg, const char *test)
{
	char *key = xasprintf("%s\x1f%s", pkg, test);
	size_t h;
	if (g->npairs * 2 >= g->nslots) {
		size_t n = g->nslots ? g->nslots * 2 : 256;
		free(g->slots);
		g->slots = xcalloc(n, sizeof *g->slots);
		g->nslots = n;
		for (size_t i = 0; i < g->npairs; i++) {
			size_t k = hash_str(g->pairs[i].key) & (n - 1);
			while (g->slots[k])
				k = (k + 1) & (n - 1);
			g->slots[k] = i + 1;
		}
	}
	h = hash_str(key) & (g->nslots - 1);
	while (g->slots[h]) {
		struct pair *p = &g->pairs[g->slots[h] - 1];
		if (strcmp(p->key, key) == 0) {
			free(key);
			return p;
		}
		h = (h + 1) & (g->nslots - 1);
	}
	g->pairs = xgrow(g->pairs, &g->pairs_cap, g->npairs + 1, sizeof *g->pairs);
	memset(&g->pairs[g->npairs], 0, sizeof *g->pairs);
	g->pairs[g->npairs].key = key;
	g->pairs[g->npairs].case_index = -1;
	g->slots[h] = ++g->npairs;
	return &g->pairs[g->npairs - 1];
}

static struct pkg *get_pkg(struct gstate *g, const char *name, int line)
{
	for (size_t i = g->npkgs; i-- > 0;)
		if (strcmp(g->pkgs[i].name, name) == 0)
			return &g->pkgs[i];
	g->pkgs = xgrow(g->pkgs, &g->pkgs_cap, g->npkgs + 1, sizeof *g->pkgs);
	memset(&g->pkgs[g->npkgs], 0, sizeof *g->pkgs);
	g->pkgs[g->npkgs].name = xstrdup(name);
	g->pkgs[g->npkgs].first_line = line;
	return &g->pkgs[g->npkgs++];
}

static void append_output(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len >= TR_TEXT_MAX)
		return;
	/* Drop the runner's own framing lines. */
	if (!strncmp(s, "=== RUN", 7) || !strncmp(s, "=== PAUSE", 9) || !strncmp(s, "=== CONT", 8) ||
	    !strncmp(s, "=== NAME", 8))
		return;
	{
		const char *t = s;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!strncmp(t, "--- FAIL", 8) || !strncmp(t, "--- PASS", 8) || !strncmp(t, "--- SKIP", 8))
			return;
	}
	buf_append(b, s, n < TR_TEXT_MAX - b->len ? n : TR_TEXT_MAX - b->len);
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void on_event(struct gstate *g, json_t *o, long lineno)
{
	const char *action = jstr(o, "Action");
	const char *pkg = jstr(o, "Package");
	const char *test = jstr(o, "Test");
	const char *output = jstr(o, "Output");
	bool terminal;

	if (!action)
		return;
	if (!strcmp(action, "build-fail") || !strcmp(action, "build-output")) {
		const char *ip = jstr(o, "ImportPath");
		char *name = xstrdup(ip ? ip : "");
		char *br = strstr(name, " [");
		struct pkg *p;
		if (br)
			*br = '\0';
		p = get_pkg(g, name, (int)lineno);
		if (action[6] == 'f')
			p->build_failed = true;
		else if (output)
			append_output(&p->out, output);
		free(name);
		return;
	}
	if (!pkg)
		pkg = "";
	terminal = !strcmp(action, "pass") || !strcmp(action, "fail") || !strcmp(action, "skip");
	if (!test || !*test) {
		struct pkg *p = get_pkg(g, pkg, (int)lineno);
		if (output && !strcmp(action, "output"))
			append_output(&p->out, output);
		if (terminal) {
			free(p->final);
			p->final = xstrdup(action);
		}
		return;
	}
	{
		struct pair *pr = get_pair(g, pkg, test);
		struct tr_case *c;
		json_t *el;
		if (output && !strcmp(action, "output"))
			append_output(&pr->out, output);
		if (!terminal)
			return;
		if (pr->case_index < 0) {
			c = tr_add_case(g->r, TR_K_TEST);
			pr->case_index = (long)(g->r->ncases - 1);
			tr_case_put(g->r, c, TR_F_SUITE, pkg, strlen(pkg));
			tr_case_put(g->r, c, TR_F_NAME, test, strlen(test));
			tr_case_make_id(g->r, c);
			c->src_line = (int)(lineno > 2000000000 ? 0 : lineno);
		}
		c = &g->r->cases[pr->case_index];
		el = json_object_get(o, "Elapsed");
		c->duration = json_is_number(el) && isfinite(json_number_value(el)) &&
			      json_number_value(el) >= 0 && json_number_value(el) < 1e9 ? json_number_value(el) : -1;
		tr_case_put(g->r, c, TR_F_FILE, NULL, 0);
		c->line = 0;
		if (action[0] == 'p') {
			pr->seen_pass = true;
			c->status = TR_PASS;
			c->bucket = TR_B_PASSED;
			tr_case_set_message(c, NULL, NULL);
		} else {
			if (action[0] == 'f') {
				pr->seen_fail = true;
				c->status = TR_FAIL;
				c->bucket = TR_B_FAILED;
			} else {
				c->status = TR_SKIP;
				c->bucket = TR_B_SKIPPED;
			}
			tr_case_set_message(c, NULL, pr->out.len ? buf_str(&pr->out) : NULL);
			tr_case_find_location(c);
		}
		c->flaky = pr->seen_fail && pr->seen_pass;
		buf_reset(&pr->out);
	}
}

static void finish(struct gstate *g)
{
	struct tr_report *r = g->r;
	/* Which packages have a failed test (by the last action). */
	for (size_t i = 0; i < g->npairs; i++) {
		struct pair *pr = &g->pairs[i];
		if (pr->case_index >= 0 && r->cases[pr->case_index].status == TR_FAIL) {
			struct pkg *p = get_pkg(g, r->cases[pr->case_index].suite, 0);
			p->has_failed_test = true;
		}
	}
	for (size_t i = 0; i < g->npkgs; i++) {
		struct pkg *p = &g->pkgs[i];
		if (p->build_failed || (p->final && !strcmp(p->final, "fail") && !p->has_failed_test)) {
			struct tr_case *c = tr_add_case(r, TR_K_PACKAGE_ERROR);
			const char *nm = p->build_failed ? "(build failed)" : "(package failed outside any test)";
			tr_case_put(r, c, TR_F_SUITE, p->name, strlen(p->name));
			tr_case_put(r, c, TR_F_NAME, nm, strlen(nm));
			tr_case_make_id(r, c);
			c->status = TR_ERROR;
			c->bucket = TR_B_ERROR;
			c->src_line = p->first_line;
			tr_case_set_message(c, NULL, p->out.len ? buf_str(&p->out) : c->name);
			tr_case_find_location(c);
		}
	}
}

enum wz_status report_gojson_read(int fd, struct tr_report *r, struct wz_err *err)
{
	struct report_lines it;
	struct gstate g;
	char *line;
	size_t len;
	long long wrong = 0;

	(void)err;
	memset(&g, 0, sizeof g);
	g.r = r;
	report_lines_init(&it, fd);
	while (report_lines_next(&it, &line, &len)) {
		json_error_t je;
		json_t *o;
		const char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			continue;
		if (*s != '{') {
			r->non_json_lines++;
			continue;
		}
		o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
		if (!o || it.cut) {
			if (it.last_no_newline || it.cut)
				tr_set_error(r, it.lineno, "%s:%ld: %s: %s; the events before it are counted",
					     r->path, it.lineno, it.cut ? "line too long" : "truncated JSON event",
					     o ? "over 1 MiB" : je.text);
			else
				tr_set_error(r, it.lineno, "%s:%ld: invalid JSON event: %s", r->path, it.lineno, je.text);
			json_decref(o);
			continue;
		}
		if (!json_is_object(o) || !jstr(o, "Action")) {
			if (wrong++ == 0)
				tr_add_warning(r, "%s:%ld: JSON line without a string \"Action\"; ignored", r->path,
					       it.lineno);
		} else {
			on_event(&g, o, it.lineno);
		}
		json_decref(o);
	}
	if (it.error)
		tr_set_error(r, it.lineno, "%s:%ld: read error; counted what was read before it", r->path, it.lineno);
	report_lines_free(&it);
	finish(&g);
	if (r->non_json_lines > 0)
		tr_add_warning(r, "%s: %lld line(s) that are not JSON events (compiler or runner output) were skipped",
			       r->path, r->non_json_lines);
	for (size_t i = 0; i < g.npairs; i++) {
		free(g.pairs[i].key);
		buf_free(&g.pairs[i].out);
	}
	free(g.pairs);
	free(g.slots);
	for (size_t i = 0; i < g.npkgs; i++) {
		free(g.pkgs[i].name);
		free(g.pkgs[i].final);
		buf_free(&g.pkgs[i].out);
	}
	free(g.pkgs);
	tr_report_finish(r, false);
	return WZ_OK;
}
