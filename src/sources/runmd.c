/* runmd.c - composition of the markdown readers: reads the run's files once
 * each, calls the pure parsers and fills struct run with values and their
 * provenance. Never fails; problems become "path:line: message" warnings. */
#include "config.h"
#include "sources/runmd.h"
#include "sources/md_logscan.h"
#include "sources/md_markers.h"
#include "sources/md_obs.h"
#include "sources/md_summary.h"
#include "sources/md_tests.h"
#include "sources/md_verdicts.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- file cache: each artifact is read (and checked) once ---------------- */

struct mdfile {
	char *rel;
	char *data;       /* NULL: missing or unreadable */
	size_t len;
	bool missing;
};

struct ctx {
	struct run *r;
	struct mdfile **files;   /* stable pointers: callers keep several */
	size_t n, cap;
};

static const struct mdfile *get_file(struct ctx *c, const char *rel, size_t max)
{
	struct mdfile *f;
	struct wz_err err;
	char *abs;
	size_t i, bad;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->files[i]->rel, rel) == 0)
			return c->files[i];
	c->files = xgrow(c->files, &c->cap, c->n + 1, sizeof *c->files);
	f = c->files[c->n++] = xcalloc(1, sizeof *f);
	f->rel = xstrdup(rel);
	abs = fio_join(c->r->path, rel);
	wz_err_clear(&err);
	if (fio_read(abs, max, &f->data, &f->len, &err) != WZ_OK) {
		if (err.code == WZ_ENOENT)
			f->missing = true;
		else
			run_warn(c->r, "%s: %s", rel, err.msg);
		f->data = NULL;
		f->len = 0;
	} else if (!txt_utf8_valid(f->data, f->len, &bad)) {
		run_warn(c->r, "%s:%d: invalid UTF-8 at byte %zu; read as bytes", rel,
			 txt_line_of(f->data, bad), bad);
	}
	free(abs);
	return f;
}

static void ctx_free(struct ctx *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->files[i]->rel);
		free(c->files[i]->data);
		free(c->files[i]);
	}
	free(c->files);
}

static void copy_warnings(struct run *r, const struct str_list *w)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		str_list_push(&r->warnings, w->v[i]);
}

static void opt_str_set(struct opt_str *s, const char *v, const char *path, int line)
{
	free(s->v);
	s->v = xstrdup(v);
	prov_set(&s->src, path, line);
}

/* ---- tests (§7) ---------------------------------------------------------- */

static void add_tests(struct run *r, const char *source, const char *path,
		      const struct mdt_counts *c)
{
	struct test_counts *t;
	struct opt_num *f[MDT_NFIELDS];
	int i;
	r->tests = xrealloc(r->tests, (r->ntests + 1) * sizeof *r->tests);
	t = &r->tests[r->ntests++];
	memset(t, 0, sizeof *t);
	t->source = xstrdup(source);
	prov_set(&t->src, path, c->line);
	f[MDT_PASSED] = &t->passed;
	f[MDT_FAILED] = &t->failed;
	f[MDT_SKIPPED] = &t->skipped;
	f[MDT_XFAILED] = &t->xfailed;
	f[MDT_XPASSED] = &t->xpassed;
	f[MDT_ERRORS] = &t->errors;
	for (i = 0; i < MDT_NFIELDS; i++) {
		if (!c->has[i])
			continue;
		f[i]->has = true;
		f[i]->v = c->v[i];
		prov_set(&f[i]->src, path, c->line);
	}
}

static void check_test_agreement(struct run *r)
{
	size_t i;
	if (r->ntests < 2)
		return;
	for (i = 1; i < r->ntests; i++) {
		const struct test_counts *a = &r->tests[0], *b = &r->tests[i];
		if ((a->passed.has && b->passed.has && a->passed.v != b->passed.v) ||
		    (a->failed.has && b->failed.has && a->failed.v != b->failed.v))
			run_warn(r, "%s:%d: %s says passed=%g failed=%g; %s:%d (%s) says passed=%g failed=%g",
				 b->src.path, b->src.line, b->source, b->passed.has ? b->passed.v : NAN,
				 b->failed.has ? b->failed.v : NAN, a->src.path, a->src.line, a->source,
				 a->passed.has ? a->passed.v : NAN, a->failed.has ? a->failed.v : NAN);
	}
}

/* A raw runner log can be of any size: it is streamed in blocks, never
 * held whole (progress and cancel through the thread's fio hooks). */
static void fill_log(struct run *r, const char *rel)
{
	struct mdt_logscan sc;
	struct wz_err err;
	char *abs = fio_join(r->path, rel);
	const struct mdt_counts *k = &sc.counts;

	wz_err_clear(&err);
	if (mdt_logscan_file(abs, 0, 0, &sc, &err) != WZ_OK) {
		if (err.code != WZ_ENOENT)
			run_warn(r, "%s: %s", rel, err.msg);
		goto out;
	}
	if (sc.has_bad_utf8)
		run_warn(r, "%s:%d: invalid UTF-8 at byte %llu; read as bytes", rel, sc.bad_utf8_line,
			 sc.bad_utf8);
	if (sc.ncut)
		run_warn(r, "%s:%d: %d line%s longer than %zu KiB (longest %llu bytes); only the first "
			 "%zu KiB of each were read", rel, sc.first_cut_line, sc.ncut, sc.ncut == 1 ? "" : "s",
			 MDT_LINE_MAX >> 10, sc.longest, MDT_LINE_MAX >> 10);
	if (k->found) {
		char *src = xasprintf("%s %s runner, %d summary line%s", rel, k->runner, k->nlines,
				      k->nlines == 1 ? "" : "s");
		add_tests(r, src, rel, k);
		free(src);
	} else {
		run_warn(r, "%s:1: no cargo, pytest or jest summary line found", rel);
	}
out:
	mdt_logscan_free(&sc);
	free(abs);
}

static void fill_tests(struct ctx *c)
{
	struct run *r = c->r;
	const struct mdfile *f;
	struct mdt_counts k;
	struct mds *m = NULL;

	f = get_file(c, "build/test_execution.md", FIO_DEFAULT_MAX);
	if (f->data) {
		if (mdt_canonical_line(f->data, f->len, &k))
			add_tests(r, "build/test_execution.md Test Summary (Canonical)", f->rel, &k);
		mds_parse(f->data, f->len, f->rel, &m, NULL);
		copy_warnings(r, &m->warnings);
		if (mdt_from_summary(m, "test_summary", "", &k))
			add_tests(r, "build/test_execution.md Machine Summary test_summary", f->rel, &k);
		mds_free(&m);
	}
	f = get_file(c, "build/test_critique.md", FIO_DEFAULT_MAX);
	if (f->data) {
		mds_parse(f->data, f->len, f->rel, &m, NULL);
		copy_warnings(r, &m->warnings);
		if (mdt_from_summary(m, "coverage_summary", "tests_", &k))
			add_tests(r, "build/test_critique.md Machine Summary coverage_summary", f->rel, &k);
		mds_free(&m);
		if (mdt_runner_summary_line(f->data, f->len, &k))
			add_tests(r, "build/test_critique.md Test Runner Summary (Canonical)", f->rel, &k);
	}
	fill_log(r, "build/test_output.log");
	f = get_file(c, "build/test_summary.md", FIO_DEFAULT_MAX);
	if (f->data) {
		if (mdt_summary_md(f->data, f->len, &k))
			add_tests(r, "build/test_summary.md", f->rel, &k);
		else
			run_warn(r, "%s:1: holds no test counts", f->rel);
	}
	check_test_agreement(r);
}

/* ---- verdicts (§9, §10) -------------------------------------------------- */

static void fill_verdicts(struct ctx *c)
{
	struct run *r = c->r;
	const struct mdfile *f = get_file(c, "gate/merge_decision.md", FIO_DEFAULT_MAX);
	struct mdv_gate *g = NULL;
	struct mdv_decision *d = NULL;
	struct mdv_value sv;

	if (!f->data)
		f = get_file(c, "gate/merge_recommendation.md", FIO_DEFAULT_MAX);
	if (f->data) {
		mdv_gate_parse(f->data, f->len, f->rel, &g, &r->warnings, NULL);
		if (g->verdict.value)
			opt_str_set(&r->merge_verdict, g->verdict.value, f->rel, g->verdict.line);
		if (g->reason.value)
			opt_str_set(&r->merge_reason, g->reason.value, f->rel, g->reason.line);
		mdv_gate_free(&g);
	}
	f = get_file(c, "deploy/deployment_decision.md", FIO_DEFAULT_MAX);
	if (f->data) {
		mdv_decision_parse(f->data, f->len, f->rel, &d, &r->warnings, NULL);
		if (d->verdict.value)
			opt_str_set(&r->deployment_verdict, d->verdict.value, f->rel, d->verdict.line);
		else
			run_warn(r, "%s:1: no deployment_verdict", f->rel);
		mdv_decision_free(&d);
	}
	f = get_file(c, "deploy/verification_report.md", FIO_DEFAULT_MAX);
	if (f->data && mdv_smoke_signal(f->data, f->len, f->rel, &sv)) {
		opt_str_set(&r->smoke_signal, sv.value, f->rel, sv.line);
		mdv_value_clear(&sv);
	}
}

/* ---- deploy instant (integrations §2) ------------------------------------ */

static void set_deploy(struct run *r, double t, int flags, const char *path, int line,
		       const char *what, bool approximate)
{
	r->deploy_time = t;
	free(r->deploy_time_source);
	r->deploy_time_source = line > 0 ? xasprintf("%s:%d %s", path, line, what)
					 : xasprintf("%s %s", path, what);
	r->deploy_time_approximate = approximate;
	if (flags & TP_ZONELESS)
		run_warn(r, "%s:%d: deploy time has no zone; taken as UTC", path, line);
}

static bool json_find_time(json_t *j, const char *key, int depth, double *t, int *fl)
{
	const char *k;
	json_t *v;
	size_t i;
	if (!j || depth > 16)
		return false;
	if (json_is_object(j)) {
		v = json_object_get(j, key);
		if (json_is_string(v) && tp_parse(json_string_value(v), t, fl, NULL))
			return true;
		json_object_foreach(j, k, v)
			if (json_find_time(v, key, depth + 1, t, fl))
				return true;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (json_find_time(v, key, depth + 1, t, fl))
				return true;
	}
	return false;
}

static bool deploy_from_env(struct run *r)
{
	const char *e = getenv("WISDOM_DEPLOY_TIME");
	double t;
	int fl = 0;
	char *end;
	if (!e || !*e)
		return false;
	if (tp_parse(e, &t, &fl, NULL)) {
		set_deploy(r, t, fl, "WISDOM_DEPLOY_TIME", 0, "(environment)", false);
		return true;
	}
	t = strtod(e, &end);
	if (end != e && *end == '\0' && isdigit((unsigned char)*e) && t > 0) {
		set_deploy(r, t, 0, "WISDOM_DEPLOY_TIME", 0, "(environment, Unix seconds)", false);
		return true;
	}
	run_warn(r, "WISDOM_DEPLOY_TIME: cannot read \"%.40s\" as RFC 3339 or Unix seconds; ignored", e);
	return false;
}

static void fill_deploy_time(struct ctx *c)
{
	static const char *const deploy_md[] = {"deploy/deployment_log.md",
		"deploy/deployment_decision.md", "deploy/verification_report.md", NULL};
	struct run *r = c->r;
	const struct mdfile *log = get_file(c, "deploy/deployment_log.md", FIO_DEFAULT_MAX);
	const struct mdfile *dec = get_file(c, "deploy/deployment_decision.md", FIO_DEFAULT_MAX);
	const struct mdfile *ver = get_file(c, "deploy/verification_report.md", FIO_DEFAULT_MAX);
	struct mdv_time mt, t;
	bool have_merge, approx = false;
	size_t i;

	if (deploy_from_env(r))
		return;
	have_merge = log->data && mdv_merge_time(log->data, log->len, &mt);
	/* 2: an explicit deployment instant wins over the merge time */
	for (i = 0; deploy_md[i]; i++) {
		const struct mdfile *f = get_file(c, deploy_md[i], FIO_DEFAULT_MAX);
		if (f->data && mdv_deploy_instant(f->data, f->len, &t)) {
			set_deploy(r, t.t, t.flags, f->rel, t.line, t.what, false);
			if (have_merge) {
				char iso[32];
				char *s;
				tp_format(mt.t, iso, sizeof iso);
				s = xasprintf("%s; merged %s (%s:%d)", r->deploy_time_source, iso, log->rel,
					      mt.line);
				free(r->deploy_time_source);
				r->deploy_time_source = s;
			}
			return;
		}
	}
	/* 3 */
	if (have_merge) {
		set_deploy(r, mt.t, mt.flags, log->rel, mt.line, mt.what, false);
		return;
	}
	/* 4 */
	if (dec->data) {
		struct mdv_decision *d = NULL;
		mdv_decision_parse(dec->data, dec->len, dec->rel, &d, NULL, NULL);
		if (d->deployed_at.found || d->stamp.found) {
			const struct mdv_time *s = d->deployed_at.found ? &d->deployed_at : &d->stamp;
			set_deploy(r, s->t, s->flags, dec->rel, s->line, s->what, false);
			mdv_decision_free(&d);
			return;
		}
		mdv_decision_free(&d);
	}
	/* 5 */
	{
		const struct mdfile *fh = get_file(c, "wisdom/flow_history.json", FIO_DEFAULT_MAX);
		if (fh->data) {
			json_error_t je;
			json_t *j = json_loadb(fh->data, fh->len, 0, &je);
			static const char *const keys[] = {"merged_at", "published_at", NULL};
			double tt;
			int fl = 0;
			if (!j)
				run_warn(r, "%s:%d: unparseable JSON: %s", fh->rel, je.line, je.text);
			for (i = 0; j && keys[i]; i++) {
				if (json_find_time(j, keys[i], 0, &tt, &fl)) {
					set_deploy(r, tt, fl, fh->rel, 0, keys[i], false);
					json_decref(j);
					return;
				}
			}
			json_decref(j);
		}
	}
	/* 6 */
	if (ver->data && mdv_smoke_time(ver->data, ver->len, &t, &approx)) {
		set_deploy(r, t.t, t.flags, ver->rel, t.line, t.what, approx);
		return;
	}
	/* 7 (GitHub) is the GitHub stream's; 8: the deploy receipt's sealing time */
	if (!isnan(r->flows[FLOW_DEPLOY].receipt.completed_at)) {
		set_deploy(r, r->flows[FLOW_DEPLOY].receipt.completed_at, 0,
			   "deploy/deploy_receipt.json", 0, "completed_at (sealing time)", true);
	}
}

/* ---- markers (§6) -------------------------------------------------------- */

static const char *const marker_files[] = {
#define RUN_X(e, key, file, re) file,
	RUN_MARKER_TABLE(RUN_X)
#undef RUN_X
};

static const char *const marker_res[] = {
#define RUN_X(e, key, file, re) re,
	RUN_MARKER_TABLE(RUN_X)
#undef RUN_X
};

static void fill_markers(struct ctx *c)
{
	struct run *r = c->r;
	int mk;
	const char *warned_path = NULL;
	int warned_line = 0;
	for (mk = 0; mk < MK_COUNT; mk++) {
		struct marker_count *m = &r->markers[mk];
		const struct mdfile *f = get_file(c, marker_files[mk], FIO_DEFAULT_MAX);
		const char *const *keys;
		struct mdm_count k;
		if (!f->data)
			continue;
		m->file_present = true;
		mdm_count(f->data, f->len, (enum run_marker)mk, &k);
		m->counted = k.counted;
		prov_set(&m->first, f->rel, k.first_line);
		for (keys = mdm_stated_keys((enum run_marker)mk); *keys; keys++) {
			double v;
			int line;
			if (!mdm_stated(f->data, f->len, *keys, &v, &line))
				continue;
			m->stated.has = true;
			m->stated.v = v;
			prov_set(&m->stated.src, f->rel, line);
			if ((int)v != k.counted && !(warned_path == f->rel && warned_line == line)) {
				run_warn(r, "%s:%d: states %s: %g but %d lines match %s", f->rel, line,
					 *keys, v, k.counted, marker_res[mk]);
				warned_path = f->rel;
				warned_line = line;
			}
			break;
		}
	}
	/* feedback_actions.md may claim learnings.md was absent */
	{
		const struct mdfile *fa = get_file(c, "wisdom/feedback_actions.md", FIO_DEFAULT_MAX);
		const struct mdfile *le = get_file(c, "wisdom/learnings.md", FIO_DEFAULT_MAX);
		struct txt_lines it;
		const char *l;
		size_t n;
		if (!fa->data)
			return;
		txt_lines_init(&it, fa->data, fa->len);
		while (txt_lines_next(&it, &l, &n)) {
			size_t i = 0;
			while (i < n && (l[i] == ' ' || l[i] == '-'))
				i++;
			if (n - i >= 13 && memcmp(l + i, "learnings: no", 13) == 0) {
				if (le->data || !le->missing)
					run_warn(r, "%s:%d: states learnings: no but %s exists", fa->rel,
						 it.lineno, le->rel);
				break;
			}
		}
	}
}

/* ---- observability inventory (§11) --------------------------------------- */

static void fill_obs(struct ctx *c)
{
	struct run *r = c->r;
	const struct mdfile *f = get_file(c, "plan/observability_spec.md", FIO_DEFAULT_MAX);
	struct mdo *o = NULL;
	size_t i;
	if (!f->data)
		return;
	mdo_parse(f->data, f->len, &o, NULL);
	r->obs.present = o->present;
	prov_set(&r->obs.src, f->rel, o->heading_line);
	if (!o->present)
		run_warn(r, "%s:1: no `## Inventory` section (no inventory, not zero)", f->rel);
	r->obs.metrics = o->counts[MDO_METRIC];
	r->obs.log_events = o->counts[MDO_LOG_EVENT];
	r->obs.trace_spans = o->counts[MDO_TRACE_SPAN];
	r->obs.slos = o->counts[MDO_SLO];
	r->obs.alerts = o->counts[MDO_ALERT];
	r->obs.sentinels = o->sentinels;
	for (i = 0; i < o->n; i++) {
		const struct mdo_entry *e = &o->entries[i];
		char *line;
		if (e->sentinel)
			continue;
		line = xasprintf("%s %s", e->name, e->rest);
		switch (e->kind) {
		case MDO_METRIC: str_list_push(&r->obs.metric_names, e->name); break;
		case MDO_LOG_EVENT: str_list_push(&r->obs.log_event_names, e->name); break;
		case MDO_TRACE_SPAN: str_list_push(&r->obs.span_names, e->name); break;
		case MDO_SLO: str_list_push(&r->obs.slo_lines, line); break;
		case MDO_ALERT: str_list_push(&r->obs.alert_lines, line); break;
		default: break;
		}
		free(line);
	}
	mdo_free(&o);
}

static void fill_stale(struct run *r)
{
	double w = r->flows[FLOW_WISDOM].receipt.completed_at;
	int f;
	if (isnan(w))
		return;
	for (f = 0; f < FLOW_WISDOM; f++) {
		double t = r->flows[f].receipt.completed_at;
		if (!isnan(t) && t > w) {
			r->wisdom_stale = true;
			run_warn(r, "%s/%s_receipt.json: completed after wisdom_receipt.json; Wisdom's "
				 "final_outcomes may be stale", run_flow_name((enum run_flow)f),
				 run_flow_name((enum run_flow)f));
		}
	}
}

void runmd_fill(struct run *r)
{
	struct ctx c;
	if (!r || !r->path)
		return;
	memset(&c, 0, sizeof c);
	c.r = r;
	fill_tests(&c);
	fill_verdicts(&c);
	fill_deploy_time(&c);
	fill_markers(&c);
	fill_obs(&c);
	fill_stale(r);
	ctx_free(&c);
}
