/* pane.c - the pane table and helpers shared by panes. */
#include "config.h"
#include "ui/pane.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/pane_learnings.h"
#include "ui/theme.h"

extern const struct pane_ops pane_tests_list_ops;   /* ui/pane_tests.c (replaces the stub) */

const struct pane_ops *const pane_table[PANE_COUNT] = {
	&pane_flow_ops, &pane_tests_list_ops, &pane_metrics_ops, &pane_logs_ops,
	&pane_incidents_ops, &pane_slo_ops, &pane_cost_ops, &pane_traces_ops,
	&pane_audit_ops, &pane_learnings_review_ops,
};

enum km_context pane_class(const struct pane *p)
{
	return p->depth > 0 ? KC_DETAIL : KC_LIST;
}

size_t frame_n(const struct pane_frame *f)
{
	if (f->vrow)
		return f->vn;
	return f->body_ref ? f->body_ref->n : f->body.n;
}

const struct ui_row *frame_row(const struct pane_frame *f, size_t i)
{
	if (f->vrow)
		return f->vrow(f->vctx, i);
	return f->body_ref ? &f->body_ref->v[i] : &f->body.v[i];
}

void pane_frame_free(struct pane_frame *f)
{
	row_free(&f->title);
	row_free(&f->header);
	rows_free(&f->body);
	f->body_ref = NULL;
	f->vrow = NULL;
	f->vctx = NULL;
	f->vn = 0;
	f->viewer = NULL;
	f->hint[0] = '\0';
}

void pane_title_start(struct ui_row *r, const char *name)
{
	row_put(r, ROLE_TITLE, ui_glyph(G_HLINE));
	row_put(r, ROLE_TITLE, " ");
	row_put(r, ROLE_TITLE, name);
}

void pane_title_part(struct ui_row *r, int role, const char *text)
{
	row_put(r, ROLE_TITLE, " ");
	row_put(r, ROLE_TITLE, ui_glyph(G_HLINE));
	row_put(r, ROLE_TITLE, " ");
	row_put(r, role, text);
}

void pane_fmt_time(double t, char *out, size_t n)
{
	time_t s;
	struct tm tm;

	if (isnan(t)) {
		snprintf(out, n, "-");
		return;
	}
	s = (time_t)floor(t);
	gmtime_r(&s, &tm);
	snprintf(out, n, "%02d-%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void pane_fmt_when(const struct ui_data *d, double t, char *out, size_t n)
{
	time_t s;
	struct tm tm;

	if (d->time_fmt != PANE_TIME_LOCAL || isnan(t)) {
		pane_fmt_time(t, out, n);
		return;
	}
	s = (time_t)floor(t);
	localtime_r(&s, &tm);
	snprintf(out, n, "%02d-%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

const char *pane_zone(const struct ui_data *d)
{
	return d->time_fmt == PANE_TIME_LOCAL ? "" : "Z";
}

void pane_fmt_rel(double t, double T, char *out, size_t n)
{
	double d;
	long m;

	if (isnan(t) || isnan(T)) {
		snprintf(out, n, "-");
		return;
	}
	d = t - T;
	m = lround(fabs(d) / 60.0);
	if (m < 60)
		snprintf(out, n, "T%c%ldm", d < 0 ? '-' : '+', m);
	else if (m < 48 * 60)
		snprintf(out, n, "T%c%ldh%02ld", d < 0 ? '-' : '+', m / 60, m % 60);
	else
		snprintf(out, n, "T%c%ldd", d < 0 ? '-' : '+', m / (24 * 60));
}
