/* tests_findings.c - the Tests analysis as model/finding.h findings: one
 * per classified test, with its numbers, reasons, suspects and evidence. */
#include "config.h"
#include "analysis/tests_analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "util/buf.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

static enum fnd_severity sev(enum reg_severity s)
{
	switch (s) {
	case REG_CRITICAL: return SEV_CRITICAL;
	case REG_MAJOR: return SEV_MAJOR;
	case REG_MINOR: return SEV_MINOR;
	default: return SEV_INFO;
	}
}

static enum fnd_confidence conf(enum reg_confidence c)
{
	return c == REG_HIGH ? CONF_HIGH : c == REG_MEDIUM ? CONF_MEDIUM : CONF_LOW;
}

static const char *title_of(enum reg_class c)
{
	switch (c) {
	case REG_REGRESSION: return "fails now after passing before (new regression)";
	case REG_PERSISTENT: return "keeps failing (persistent)";
	case REG_CURRENT_FAILURE: return "fails with no citable baseline (unverified)";
	case REG_INFRA: return "failed in an infrastructure-broken run";
	case REG_FLAKY: return "flips between pass and fail (flaky)";
	case REG_DURATION: return "runs much slower than before";
	default: return "?";
	}
}

/* "b4803ed 李伟 2025-11-18 "summary" (in run) score 4, share 0.667" */
static void suspect_line(struct buf *b, const struct reg_suspect *s)
{
	char d[32] = "?";
	if (!isnan(s->time)) {
		tp_format(s->time, d, sizeof d);
		d[10] = 0;
	}
	buf_printf(b, "%.7s %s %s \"%s\" (%s) score %d, share %.3f", s->sha, s->author ? s->author : "?", d,
		   s->summary ? s->summary : "", s->in_run ? "in this run" : "before this run", s->score, s->share);
}

static void add_one(const struct ta_result *r, const struct reg_finding *f, struct finding ***v, size_t *n,
		    size_t *cap)
{
	bool dur = f->cls == REG_DURATION;
	char *subject = dur ? xasprintf("duration:%s", f->test_id) : xstrdup(f->test_id);
	char *title = xasprintf("%s %s", f->test_id, title_of(f->cls));
	struct finding *x = finding_new("tests", f->cls == REG_FLAKY ? "flaky_test" : "regression", subject, title);
	free(subject);
	free(title);
	x->status = xstrdup(reg_class_name(f->cls));
	x->severity = sev(f->severity);
	x->confidence = conf(f->confidence);
	str_list_push(&x->components, f->test_id);
	for (size_t i = 0; i < f->reasons.n; i++)
		str_list_push(&x->reasons, f->reasons.v[i]);
	if (f->cls != REG_INFRA || strcmp(f->test_id, "(run)") != 0) {
		finding_add_number(x, "observations", (double)f->nobs);
		finding_add_number(x, "flips", (double)f->flips);
		finding_add_number(x, "flip_rate", f->flip_rate);
		finding_add_number(x, "fail_rate", f->fail_rate);
		finding_add_number(x, "p_fail_gt_1pct", f->p_fail_gt_1pct);
		finding_add_number(x, "retries_to_confirm", (double)f->retries);
		finding_add_number(x, "duration_s", f->duration);
	}
	if (dur) {
		finding_add_number(x, "duration_ref_s", f->dur_ref);
		finding_add_number(x, "duration_modz", f->dur_modz);
		finding_add_number(x, "duration_ratio", f->dur_ratio);
		finding_add_number(x, "duration_delta_s", f->dur_delta);
		x->effect.value = f->dur_delta;
		x->effect.unit = xstrdup("s");
	}
	finding_add_evidence(x, EV_TEST, f->test_id, tr_status_name(f->status), x->confidence);
	const struct tr_report *rep = NULL;
	const struct tr_case *c = ta_case(r, f->test_id, &rep);
	if (c && rep && r->hist) {
		const char *p = rep->path;
		size_t pl = strlen(r->hist->cur.path);
		if (strncmp(p, r->hist->cur.path, pl) == 0 && p[pl] == '/')
			p += pl + 1;
		char *loc = c->src_line > 0 ? xasprintf("%s:%d", p, c->src_line) : xstrdup(p);
		finding_add_evidence(x, EV_ARTIFACT, loc, c->message, x->confidence);
		free(loc);
	}
	struct buf body = { 0 };
	if (f->nsuspects && f->attribution != REG_NONE) {
		const struct reg_suspect *s = &f->suspects[0];
		finding_add_number(x, "suspect_score", (double)s->score);
		finding_add_number(x, "suspect_share", s->share);
		char *why = xasprintf("suspect %.7s with %s confidence (score %d, share %.3f)", s->sha,
				      reg_confidence_name(f->attribution), s->score, s->share);
		str_list_push(&x->reasons, why);
		free(why);
		finding_add_evidence(x, EV_COMMIT, s->sha, s->summary, conf(f->attribution));
		for (size_t k = 0; k < s->lines.n; k++) {
			char *loc = xasprintf("%s@%.12s", s->lines.v[k], s->sha);
			finding_add_evidence(x, EV_BLAME, loc, s->summary, conf(f->attribution));
			free(loc);
		}
		buf_printf(&body, "attribution %s\n", reg_confidence_name(f->attribution));
		for (size_t i = 0; i < f->nsuspects && i < 3; i++) {
			const struct reg_suspect *t = &f->suspects[i];
			if (t->score == 0)
				break;
			buf_puts(&body, "suspect ");
			suspect_line(&body, t);
			buf_putc(&body, '\n');
			for (size_t k = 0; k < t->npoints; k++)
				buf_printf(&body, "  +%d %s: %s\n", t->points[k].points, t->points[k].rule,
					   t->points[k].detail ? t->points[k].detail : "");
			if (t->lines.n) {
				buf_puts(&body, "  lines:");
				for (size_t k = 0; k < t->lines.n; k++)
					buf_printf(&body, " %s", t->lines.v[k]);
				buf_putc(&body, '\n');
			}
		}
	}
	if (body.len) {
		if (body.p[body.len - 1] == '\n')
			body.p[--body.len] = 0;
		x->body = buf_detach(&body);
	} else
		buf_free(&body);
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = x;
}

void ta_findings(const struct ta_result *r, struct finding ***v, size_t *n, size_t *cap)
{
	for (size_t i = 0; r && r->reg && i < r->reg->n; i++)
		add_one(r, &r->reg->v[i], v, n, cap);
}
