/* playbook.c - cross-run patterns that suggest a playbook update. */
#include "config.h"
#include "analysis/playbook.h"
#include "sources/md_markers.h"
#include "sources/runs.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* One occurrence of a key (theme word, test id) in one run. */
struct occ {
	char *key;
	size_t run;        /* index into runs[] */
	char *locator;     /* .runs/<id>/<file>:<line> */
	char *excerpt;
};

struct occs {
	struct occ *v;
	size_t n, cap;
};

static void occ_add(struct occs *o, const char *key, size_t run, const char *loc, const char *ex)
{
	struct occ *x;
	o->v = xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
	x = &o->v[o->n++];
	x->key = xstrdup(key);
	x->run = run;
	x->locator = xstrdup(loc);
	x->excerpt = xstrdup(ex);
}

static void occs_free(struct occs *o)
{
	size_t i;
	for (i = 0; i < o->n; i++) {
		free(o->v[i].key);
		free(o->v[i].locator);
		free(o->v[i].excerpt);
	}
	free(o->v);
	memset(o, 0, sizeof *o);
}

static void push_finding(struct finding ***out, size_t *n, struct finding *f)
{
	*out = xrealloc(*out, (*n + 1) * sizeof **out);
	(*out)[(*n)++] = f;
}

static const char *const stop[] = {"with", "from", "that", "this", "into", "when", "than", "then", "only",
				   "have", "should", "could", "would", "before", "after", "during", "each",
				   "every", "more", "less", "also", "about", "agent", "prompt", "template",
				   "flow", "flows", "step", NULL};

static bool stop_word(const char *w)
{
	size_t i;
	for (i = 0; stop[i]; i++)
		if (strcmp(stop[i], w) == 0)
			return true;
	return false;
}

/* Adds each distinct theme word of text once for this run. */
static void theme_words(struct occs *o, const char *text, size_t n, size_t run, const char *loc)
{
	size_t i = 0;
	char *ex = txt_trim_dup(text, n);
	while (i < n) {
		size_t s, k;
		char *w;
		bool seen = false;
		while (i < n && !isalpha((unsigned char)text[i]))
			i++;
		s = i;
		while (i < n && (isalnum((unsigned char)text[i]) || text[i] == '_' || text[i] == '-'))
			i++;
		if (i - s < 4)
			continue;
		w = xstrndup(text + s, i - s);
		for (k = 0; w[k]; k++)
			w[k] = (char)tolower((unsigned char)w[k]);
		for (k = 0; k < o->n && !seen; k++)
			seen = o->v[k].run == run && strcmp(o->v[k].key, w) == 0;
		if (!seen && !stop_word(w))
			occ_add(o, w, run, loc, ex);
		free(w);
	}
	free(ex);
}

/* Scans one markdown file of run i for lines matching pattern; calls the
 * theme or test collector on the text after `skip` bytes. */
static void scan_file(const struct run *r, size_t ri, const char *rel, const char *pattern, size_t skip,
		      bool tests, struct occs *o)
{
	char *full = fio_join(r->path, rel), *data = NULL;
	size_t len = 0;
	struct wz_err err;
	struct txt_lines it;
	const char *l;
	size_t n;
	wz_err_clear(&err);
	if (!fio_is_file(full) || fio_read(full, FIO_DEFAULT_MAX, &data, &len, &err) != WZ_OK) {
		free(full);
		return;
	}
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &l, &n)) {
		struct mdm_count c;
		const char *t;
		size_t tn;
		char *loc;
		mdm_count_pattern(l, n, pattern, &c);
		if (c.counted != 1)
			continue;
		t = l + skip;
		tn = n - skip;
		while (tn && *t != ':') {   /* skip "SUG-001" / "REG-001" up to the colon */
			if (!strchr(pattern, '%'))
				break;
			t++;
			tn--;
		}
		if (tn && *t == ':') {
			t++;
			tn--;
		}
		loc = xasprintf(".runs/%s/%s:%d", r->id ? r->id : "?", rel, it.lineno);
		if (tests) {
			char *id = txt_trim_dup(t, tn);
			size_t k;
			bool seen = false;
			for (k = 0; k < o->n && !seen; k++)
				seen = o->v[k].run == ri && strcmp(o->v[k].key, id) == 0;
			if (*id && !seen)
				occ_add(o, id, ri, loc, id);
			free(id);
		} else {
			theme_words(o, t, tn, ri, loc);
		}
		free(loc);
	}
	free(data);
	free(full);
}

static int cmp_occ(const void *pa, const void *pb)
{
	const struct occ *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->run < b->run ? -1 : a->run > b->run);
}

/* Every key seen in >= 2 runs becomes a finding. */
static void emit(struct occs *o, const char *what, size_t nruns, struct finding ***out, size_t *nout)
{
	size_t i = 0, j;
	if (o->n > 1)
		qsort(o->v, o->n, sizeof *o->v, cmp_occ);
	while (i < o->n) {
		size_t runs = 1;
		for (j = i + 1; j < o->n && strcmp(o->v[j].key, o->v[i].key) == 0; j++)
			if (o->v[j].run != o->v[j - 1].run)
				runs++;
		if (runs >= 2) {
			char *subject = xasprintf("playbook:%s:%s", what, o->v[i].key);
			char *title = strcmp(what, "test") == 0
					      ? xasprintf("test %s keeps failing: regression in %zu of %zu runs", o->v[i].key, runs, nruns)
					      : xasprintf("recurring critique theme \"%s\" in %zu of %zu runs", o->v[i].key, runs, nruns);
			struct finding *f = finding_new("playbook", "playbook_update", subject, title);
			size_t k;
			f->severity = runs >= 3 ? SEV_MAJOR : SEV_MINOR;
			str_list_push(&f->reasons, strcmp(what, "test") == 0 ? "the same test id in ### REG-NNN of 2+ runs"
									: "the same word in ## Learning: areas or SUG titles of 2+ runs");
			str_list_push(&f->components, o->v[i].key);
			for (k = i; k < j; k++)
				finding_add_evidence(f, EV_ARTIFACT, o->v[k].locator, o->v[k].excerpt,
						     runs >= 3 ? CONF_HIGH : CONF_MEDIUM);
			push_finding(out, nout, f);
			free(title);
			free(subject);
		}
		i = j;
	}
}

static bool stopped(const struct run *r, enum run_flow f)
{
	const struct receipt *rc = &r->flows[f].receipt;
	if (!rc->present)
		return false;
	return rc->status == RS_CANNOT_PROCEED ||
	       (rc->recommended_action && strcmp(rc->recommended_action, "BOUNCE") == 0) ||
	       (rc->merge_verdict && strcmp(rc->merge_verdict, "BOUNCE") == 0);
}

void pb_scan(const struct run *const *runs, size_t n, struct finding ***out, size_t *nout)
{
	struct occs themes = {0}, tests = {0};
	size_t i;
	int f;
	*out = NULL;
	*nout = 0;
	if (n < 2)
		return;
	for (f = 0; f < FLOW_COUNT; f++) {
		size_t hits = 0;
		for (i = 0; i < n; i++)
			hits += stopped(runs[i], (enum run_flow)f);
		if (hits >= 2) {
			const char *fn = run_flow_name((enum run_flow)f);
			char *subject = xasprintf("playbook:flow:%s:stopped", fn);
			char *title = xasprintf("%s flow stopped (CANNOT_PROCEED or BOUNCE) in %zu of %zu runs", fn, hits, n);
			char *pb = xasprintf("playbook:%s", fn);
			struct finding *x = finding_new("playbook", "playbook_update", subject, title);
			x->severity = hits >= 3 ? SEV_MAJOR : SEV_MINOR;
			str_list_push(&x->reasons, "a flow stopped in 2+ runs: its playbook should say how to avoid it");
			str_list_push(&x->components, pb);
			for (i = 0; i < n; i++)
				if (stopped(runs[i], (enum run_flow)f)) {
					const struct receipt *rc = &runs[i]->flows[f].receipt;
					char *loc = xasprintf(".runs/%s/%s", runs[i]->id ? runs[i]->id : "?",
							      rc->src.path ? rc->src.path : fn);
					char *ex = xasprintf("status %s, recommended_action %s%s%s",
							     rc->status_raw ? rc->status_raw : "?",
							     rc->recommended_action ? rc->recommended_action : "null",
							     rc->blockers.n ? "; " : "", rc->blockers.n ? rc->blockers.v[0] : "");
					finding_add_evidence(x, EV_ARTIFACT, loc, ex, hits >= 3 ? CONF_HIGH : CONF_MEDIUM);
					free(ex);
					free(loc);
				}
			push_finding(out, nout, x);
			free(pb);
			free(title);
			free(subject);
		}
	}
	for (i = 0; i < n; i++) {
		if (!runs[i]->path)
			continue;
		scan_file(runs[i], i, "wisdom/learnings.md", mdm_pattern(MK_LEARNING), strlen("## Learning: "), false,
			  &themes);
		scan_file(runs[i], i, "wisdom/feedback_actions.md", mdm_pattern(MK_SUG), strlen("- [ ] "), false,
			  &themes);
		scan_file(runs[i], i, "wisdom/regression_report.md", mdm_pattern(MK_REG), strlen("### "), true, &tests);
	}
	emit(&themes, "theme", n, out, nout);
	emit(&tests, "test", n, out, nout);
	occs_free(&themes);
	occs_free(&tests);
}

void pb_scan_root(const struct run *cur, struct finding ***out, size_t *nout)
{
	struct run_list *l = NULL;
	struct wz_err err;
	struct run **runs = NULL;
	size_t i, n = 0;
	char *root;
	*out = NULL;
	*nout = 0;
	if (!cur || !cur->path || !strrchr(cur->path, '/'))
		return;
	root = xstrndup(cur->path, (size_t)(strrchr(cur->path, '/') - cur->path));
	wz_err_clear(&err);
	if (runs_list(root, &l, &err) != WZ_OK || !l) {
		free(root);
		return;
	}
	runs = xcalloc(l->n + 1, sizeof *runs);
	for (i = 0; i < l->n; i++)
		if (l->v[i].present && l->v[i].path)
			runs[n++] = runs_load(l->v[i].path, l->root);
	pb_scan((const struct run *const *)runs, n, out, nout);
	for (i = 0; i < n; i++)
		run_free(&runs[i]);
	free(runs);
	run_list_free(&l);
	free(root);
}
