/* pane_stub.c - the panes whose analyses are not in the console yet
 * (Tests, Metrics, Logs, Incidents, SLO, Cost, Traces, Learnings). Each
 * says which case holds (ui.md §3.1): no backend configured (and which
 * variables switch it on), configured but not fetched by this build, or
 * what the run's own artifacts say. Detection comes from
 * sources/extensions.h; nothing here contacts a backend.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/extensions.h"
#include "ui/pane.h"
#include "ui/theme.h"
#include "util/xalloc.h"

struct stub_def {
	const char *area;        /* extension area, NULL: none */
	const char *title;
	const char *none;        /* message when no backend is configured */
};

static const struct stub_def defs[] = {
	[KC_TESTS] = {NULL, "Tests", NULL},
	[KC_METRICS] = {"metrics", "Metrics",
			"no metrics backend " "\xe2\x80\x94" " set METRICS_ENDPOINT (or DD_API_KEY + DD_APP_KEY), see wisdom doctor"},
	[KC_LOGS] = {"logs", "Log errors",
		     "no logs backend " "\xe2\x80\x94" " set LOGS_ENDPOINT (or the AWS variables for CloudWatch), see wisdom doctor"},
	[KC_INCIDENTS] = {"incidents", "Incidents",
			  "no incident backend " "\xe2\x80\x94" " set PAGERDUTY_API_KEY, OPSGENIE_API_KEY or INCIDENT_API_KEY, see wisdom doctor"},
	[KC_SLO] = {"metrics", "Error budget",
		    "no metrics backend for SLIs " "\xe2\x80\x94" " set METRICS_ENDPOINT, see wisdom doctor"},
	[KC_COST] = {"cost", "Cost",
		     "no billing backend " "\xe2\x80\x94" " set AWS_COST_ALLOCATION_TAG, GCP_BILLING_PROJECT or AZURE_SUBSCRIPTION_ID, see wisdom doctor"},
	[KC_TRACES] = {"traces", "Traces",
		       "no trace backend " "\xe2\x80\x94" " set TRACE_ENDPOINT or HONEYCOMB_API_KEY, see wisdom doctor"},
	[KC_LEARNINGS] = {NULL, "Learnings", NULL},
};

static const struct stub_def *def_of(const struct pane *p)
{
	return &defs[p->ops->ctx];
}

/* Configured backends of an area, comma separated, into out; count. */
static int configured(const char *area, char *out, size_t n, bool *misconf)
{
	struct ext_result res[EB_COUNT];
	int k = 0;
	size_t at = 0;

	*misconf = false;
	out[0] = '\0';
	ext_detect(ext_getenv, NULL, res);
	for (int b = 0; b < EB_COUNT; b++) {
		if (strcmp(ext_backend_area((enum ext_backend)b), area) != 0)
			continue;
		if (res[b].state == EXT_MISCONFIGURED)
			*misconf = true;
		if (res[b].state != EXT_CONFIGURED)
			continue;
		at += (size_t)snprintf(out + at, at < n ? n - at : 0, "%s%s", k ? ", " : "",
				       ext_backend_name((enum ext_backend)b));
		if (at >= n)
			at = n - 1;
		k++;
	}
	return k;
}

static struct ui_row *line(struct pane_frame *f, int role, const char *text)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row_put(row, role, text);
	return row;
}

static void build_tests(const struct ui_data *d, struct pane_frame *f)
{
	const struct run *r = d->run;

	pane_title_part(&f->title, ROLE_TITLE, "test evidence from the run");
	if (!r && d->loading) {
		line(f, ROLE_DIM, "reading the run's artifacts");
		return;
	}
	if (!r || r->ntests == 0) {
		line(f, ROLE_MISSING, "no test evidence in this run (build/test_execution.md, build receipt tests{})");
		return;
	}
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_counts *t = &r->tests[i];
		struct ui_row *row = rows_add(&f->body);
		row->key = (int)i;
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, t->source ? t->source : "?",
				  strlen(t->source ? t->source : "?"), 8);
		row_put(row, ROLE_DEFAULT, ": ");
		if (t->passed.has)
			row_printf(row, ROLE_OK, "%.0f passed ", t->passed.v);
		if (t->failed.has)
			row_printf(row, t->failed.v > 0 ? ROLE_SEV_CRITICAL : ROLE_DEFAULT, "%.0f failed ",
				   t->failed.v);
		if (t->skipped.has)
			row_printf(row, ROLE_DEFAULT, "%.0f skipped ", t->skipped.v);
		if (!t->passed.has && !t->failed.has && !t->skipped.has)
			row_put(row, ROLE_MISSING, "counts unknown (null)");
	}
	line(f, ROLE_DIM, "");
	line(f, ROLE_DIM, "regression, flake and coverage-gap analysis is not in this console yet; see wisdom tests");
}

static void build_learnings(const struct ui_data *d, struct pane_frame *f)
{
	const struct run *r = d->run;
	static const struct { enum run_marker m; const char *word; } mk[] = {
		{MK_LEARNING, "learnings"}, {MK_ACTION, "actions"}, {MK_PACK_OBS, "pack observations"},
		{MK_ISSUE, "issue drafts"}, {MK_SUG, "suggestions"},
	};

	pane_title_part(&f->title, ROLE_TITLE, "candidates in the pack's files");
	if (!r) {
		line(f, ROLE_MISSING, d->loading ? "reading the run's artifacts" : "no run loaded");
		return;
	}
	for (size_t i = 0; i < sizeof mk / sizeof mk[0]; i++) {
		const struct marker_count *c = &r->markers[mk[i].m];
		struct ui_row *row = rows_add(&f->body);
		row->key = (int)i;
		if (!c->file_present) {
			row_printf(row, ROLE_MISSING, "%-18s file missing", mk[i].word);
			continue;
		}
		row_printf(row, ROLE_DEFAULT, "%-18s %3d", mk[i].word, c->counted);
		if (c->stated.has && (int)c->stated.v != c->counted)
			row_printf(row, ROLE_WARN, "  (file states %.0f)", c->stated.v);
	}
	line(f, ROLE_DIM, "");
	line(f, ROLE_DIM, "accept/reject review is not in this console yet; see wisdom review --list");
}

static void stub_build(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	const struct stub_def *df = def_of(p);
	char names[200], buf[400];
	bool mis;
	int k;

	(void)cols;
	pane_title_start(&f->title, df->title);
	if (p->ops->ctx == KC_TESTS) {
		build_tests(d, f);
		return;
	}
	if (p->ops->ctx == KC_LEARNINGS) {
		build_learnings(d, f);
		return;
	}
	k = configured(df->area, names, sizeof names, &mis);
	if (k == 0) {
		pane_title_part(&f->title, ROLE_DIM, "no data");
		line(f, ROLE_DEFAULT, df->none);
		if (mis)
			line(f, ROLE_WARN, "a backend is partly configured: wisdom doctor says which variable is missing");
		if (p->ops->ctx == KC_SLO && d->run && d->run->obs.present) {
			snprintf(buf, sizeof buf, "plan/observability_spec.md lists %d SLOs and %d alerts",
				 d->run->obs.slos, d->run->obs.alerts);
			line(f, ROLE_DIM, buf);
		}
		return;
	}
	pane_title_part(&f->title, ROLE_WARN, d->offline ? "offline" : "not fetched");
	snprintf(buf, sizeof buf, "configured: %s", names);
	line(f, ROLE_DEFAULT, buf);
	if (d->offline)
		line(f, ROLE_DEFAULT, "--offline: no recorded evidence for this pane");
	else
		line(f, ROLE_WARN, "fetching from this backend is not in this console yet; see wisdom doctor");
}

static int stub_tab_glyph(struct pane *p, const struct ui_data *d)
{
	const struct stub_def *df = def_of(p);
	char names[200];
	bool mis;

	if (p->ops->ctx == KC_TESTS) {
		if (!d->run)
			return d->loading ? G_LOADING : G_FAIL;
		for (size_t i = 0; i < d->run->ntests; i++)
			if (d->run->tests[i].failed.has && d->run->tests[i].failed.v > 0)
				return G_CRIT;
		return -1;
	}
	if (p->ops->ctx == KC_LEARNINGS)
		return d->run && d->run->markers[MK_LEARNING].counted > 0 ? G_PENDING : -1;
	if (configured(df->area, names, sizeof names, &mis) == 0)
		return mis ? G_WARN : -1;
	return -1;
}

static bool stub_enter(struct pane *p, const struct ui_data *d, const struct ui_row *row)
{
	(void)p; (void)d; (void)row;
	return false;
}

static bool stub_back(struct pane *p)
{
	(void)p;
	return false;
}

#define STUB(var, nm, ttl, tb, cx)                                                   \
	const struct pane_ops var = {                                                \
		.name = nm, .title = ttl, .tab = tb, .ctx = cx, .build = stub_build, \
		.enter = stub_enter, .back = stub_back, .tab_glyph = stub_tab_glyph, \
	};

STUB(pane_tests_ops, "tests", "Tests", "Tests", KC_TESTS)
STUB(pane_metrics_ops, "metrics", "Metrics", "Metr", KC_METRICS)
STUB(pane_logs_ops, "logs", "Logs", "Logs", KC_LOGS)
STUB(pane_incidents_ops, "incidents", "Incidents", "Inc", KC_INCIDENTS)
STUB(pane_slo_ops, "slo", "SLO", "SLO", KC_SLO)
STUB(pane_cost_ops, "cost", "Cost", "Cost", KC_COST)
STUB(pane_traces_ops, "traces", "Traces", "Trc", KC_TRACES)
STUB(pane_learnings_ops, "learnings", "Learnings", "Lrn", KC_LEARNINGS)
