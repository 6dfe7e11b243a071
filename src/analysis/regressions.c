/* regressions.c - classes of failing tests, flip statistics and duration
 * regressions (spec/analysis.md §6.1, §6.2); attribution in reg_blame.c. */
#include "analysis/reg_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "util/xalloc.h"

const char *reg_class_name(enum reg_class c)
{
	static const char *const names[] = {
#define REG_X(e, w) w,
		REG_CLASS_TABLE(REG_X)
#undef REG_X
	};
	return (unsigned)c < REG_CLASS_COUNT ? names[c] : "?";
}

const char *reg_severity_name(enum reg_severity s)
{
	static const char *const n[] = { "CRITICAL", "MAJOR", "MINOR", "INFO" };
	return (unsigned)s <= REG_INFO ? n[s] : "?";
}

const char *reg_confidence_name(enum reg_confidence c)
{
	static const char *const n[] = { "HIGH", "MEDIUM", "LOW", "NONE" };
	return (unsigned)c <= REG_NONE ? n[c] : "?";
}

bool reg_is_failed(enum tr_status s)
{
	return s == TR_FAIL || s == TR_ERROR;
}

static bool executed(enum tr_status s)
{
	return s != TR_SKIP;
}

/* --- history ------------------------------------------------------------ */

void reg_history_add(struct reg_history *h, const char *test_id, const struct reg_obs *o)
{
	struct reg_test_history *t = NULL;
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].test_id, test_id) == 0) {
			t = &h->v[i];
			break;
		}
	if (!t) {
		h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
		t = &h->v[h->n++];
		memset(t, 0, sizeof *t);
		t->test_id = xstrdup(test_id);
	}
	t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
	struct reg_obs *c = &t->v[t->n++];
	*c = *o;
	c->run_id = xstrdup(o->run_id);
	c->sha = xstrdup(o->sha);
}

void reg_history_add_report(struct reg_history *h, const char *run_id, const char *sha, double time,
			    const struct tr_report *rep)
{
	for (size_t i = 0; i < rep->ncases; i++) {
		const struct tr_case *c = &rep->cases[i];
		if (c->kind != TR_K_TEST || !c->id)
			continue;
		struct reg_obs o = { (char *)run_id, (char *)sha, time, c->status, c->duration, false,
				     c->flaky && reg_is_failed(c->status) };
		reg_history_add(h, c->id, &o);
	}
}

static int cmp_obs(const void *a, const void *b)
{
	const struct reg_obs *x = a, *y = b;
	return (x->time > y->time) - (x->time < y->time);
}

void reg_history_sort(struct reg_history *h)
{
	/* insertion sort is stable; histories are short */
	for (size_t i = 0; i < h->n; i++) {
		struct reg_test_history *t = &h->v[i];
		for (size_t j = 1; j < t->n; j++) {
			struct reg_obs o = t->v[j];
			size_t k = j;
			while (k > 0 && cmp_obs(&t->v[k - 1], &o) > 0) {
				t->v[k] = t->v[k - 1];
				k--;
			}
			t->v[k] = o;
		}
	}
}

const struct reg_test_history *reg_history_get(const struct reg_history *h, const char *test_id)
{
	if (!h || !test_id)
		return NULL;
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].test_id, test_id) == 0)
			return &h->v[i];
	return NULL;
}

void reg_history_free(struct reg_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		for (size_t j = 0; j < h->v[i].n; j++) {
			free(h->v[i].v[j].run_id);
			free(h->v[i].v[j].sha);
		}
		free(h->v[i].v);
		free(h->v[i].test_id);
	}
	free(h->v);
	memset(h, 0, sizeof *h);
}

/* --- path helpers -------------------------------------------------------- */

bool reg_path_match(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	while (a[0] == '.' && a[1] == '/')
		a += 2;
	while (b[0] == '.' && b[1] == '/')
		b += 2;
	size_t na = strlen(a), nb = strlen(b);
	if (na == nb)
		return strcmp(a, b) == 0;
	const char *lng = na > nb ? a : b, *sht = na > nb ? b : a;
	size_t nl = na > nb ? na : nb, nsh = na > nb ? nb : na;
	return nsh > 0 && lng[nl - nsh - 1] == '/' && strcmp(lng + nl - nsh, sht) == 0;
}

char *reg_test_file(const struct tr_case *c)
{
	const char *sep = c->id ? strstr(c->id, "::") : NULL;
	if (sep) {
		size_t n = (size_t)(sep - c->id);
		const char *dot = memchr(c->id, '.', n), *slash = memchr(c->id, '/', n);
		/* "tests/test_x.py" or "test_x.py" - but not a dotted class name */
		if (slash || (dot && n - (size_t)(dot - c->id) <= 5 && !memchr(dot + 1, '.', n - (size_t)(dot - c->id) - 1)))
			return xstrndup(c->id, n);
	}
	return xstrdup(c->file);
}

/* base name without directories and extension */
static void stem(const char *p, const char **s, size_t *n)
{
	const char *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	*s = b;
	*n = strcspn(b, ".");
}

static bool stem_eq(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && na > 0 && strncmp(a, b, na) == 0;
}

bool reg_name_match(const struct tr_case *c, const char *test_file, const char *path)
{
	const char *ps, *ts;
	size_t pn, tn;
	stem(path, &ps, &pn);
	const char *cands[2] = { test_file, c->classname };
	for (int k = 0; k < 2; k++) {
		if (!cands[k])
			continue;
		if (k == 1) {   /* Java-style class: last dotted component */
			const char *d = strrchr(cands[k], '.');
			ts = d ? d + 1 : cands[k];
			tn = strlen(ts);
		} else
			stem(cands[k], &ts, &tn);
		if (tn > 5 && strncmp(ts, "test_", 5) == 0 && stem_eq(ts + 5, tn - 5, ps, pn))
			return true;
		if (tn > 5 && strncmp(ts + tn - 5, "_test", 5) == 0 && stem_eq(ts, tn - 5, ps, pn))
			return true;
		if (tn > 5 && strncmp(ts + tn - 5, "Tests", 5) == 0 && stem_eq(ts, tn - 5, ps, pn))
			return true;
		if (tn > 4 && strncmp(ts + tn - 4, "Test", 4) == 0 && stem_eq(ts, tn - 4, ps, pn))
			return true;
	}
	return false;
}

/* --- classification -------------------------------------------------------- */

static struct reg_finding *new_finding(struct reg_result *r, const struct tr_case *c, enum reg_class cls)
{
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	struct reg_finding *f = &r->v[r->n++];
	memset(f, 0, sizeof *f);
	f->test_id = xstrdup(c ? c->id : "(run)");
	f->cls = cls;
	f->status = c ? c->status : TR_PASS;
	f->duration = c ? c->duration : NAN;
	f->attribution = REG_NONE;
	f->flip_rate = f->fail_rate = f->p_fail_gt_1pct = NAN;
	f->dur_ref = f->dur_modz = f->dur_ratio = f->dur_delta = NAN;
	return f;
}

static void reason(struct reg_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(struct reg_finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	str_list_push(&f->reasons, buf);
}

static bool critical(const struct reg_input *in, const char *id)
{
	for (size_t i = 0; i < in->ncritical; i++)
		if (in->critical[i] && *in->critical[i] && strstr(id, in->critical[i]))
			return true;
	return false;
}

/* The window: last <= 20 executed observations, this run's last. */
struct window {
	enum tr_status st[REG_WINDOW];
	bool related_changed;
	size_t n;
};

static void make_window(const struct reg_test_history *t, enum tr_status now, struct window *w)
{
	enum tr_status tmp[REG_WINDOW];
	size_t k = 0;
	memset(w, 0, sizeof *w);
	tmp[k++] = now;
	for (size_t i = t ? t->n : 0; i-- > 0 && k < REG_WINDOW;) {
		if (!executed(t->v[i].status))
			continue;
		tmp[k++] = t->v[i].status;
		if (t->v[i].related_changed)
			w->related_changed = true;
	}
	for (size_t i = 0; i < k; i++)
		w->st[i] = tmp[k - 1 - i];
	w->n = k;
}

static void flip_stats(struct reg_finding *f, const struct window *w)
{
	int flips = 0, fails = 0;
	for (size_t i = 0; i < w->n; i++) {
		fails += reg_is_failed(w->st[i]);
		if (i && reg_is_failed(w->st[i]) != reg_is_failed(w->st[i - 1]))
			flips++;
	}
	f->nobs = w->n;
	f->flips = flips;
	f->flip_rate = w->n > 1 ? (double)flips / (double)(w->n - 1) : NAN;
	f->fail_rate = w->n ? (double)fails / (double)w->n : NAN;
	f->p_fail_gt_1pct = st_jeffreys_exceed(fails, (long)w->n, 0.01);
}

/* Passed and failed on the same sha, or a rerun passed. */
static bool certain_flaky(const struct reg_input *in, const struct tr_case *c, const struct reg_test_history *t)
{
	if (c->flaky)
		return true;
	bool now_failed = reg_is_failed(c->status);
	for (size_t i = 0; t && i < t->n; i++) {
		if (t->v[i].rerun_passed)
			return true;
		if (!executed(t->v[i].status) || !t->v[i].sha)
			continue;
		if (in->sha && strcmp(t->v[i].sha, in->sha) == 0 && reg_is_failed(t->v[i].status) != now_failed)
			return true;
		for (size_t j = i + 1; j < t->n; j++)
			if (t->v[j].sha && executed(t->v[j].status) && strcmp(t->v[i].sha, t->v[j].sha) == 0 &&
			    reg_is_failed(t->v[i].status) != reg_is_failed(t->v[j].status))
				return true;
	}
	return false;
}

static bool fails_on_base(const struct reg_input *in, const struct reg_test_history *t)
{
	if (!in->changes || !in->changes->base[0] || !t)
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].sha && strcmp(t->v[i].sha, in->changes->base) == 0 && reg_is_failed(t->v[i].status))
			return true;
	return false;
}

static void classify(const struct reg_input *in, const struct tr_case *c, struct reg_result *r)
{
	const struct reg_test_history *t = reg_history_get(in->history, c->id);
	struct window w;
	make_window(t, c->status, &w);
	bool failed = reg_is_failed(c->status);
	bool certain = certain_flaky(in, c, t);
	struct reg_finding tmp = { 0 };
	flip_stats(&tmp, &w);
	bool suspected = !certain && !w.related_changed && tmp.flips >= 2;
	if (!failed && !certain && !suspected)
		return;
	if (certain || suspected) {
		struct reg_finding *f = new_finding(r, c, REG_FLAKY);
		flip_stats(f, &w);
		f->suspected = !certain;
		f->severity = REG_MINOR;
		f->confidence = certain ? REG_HIGH : REG_MEDIUM;
		if (certain)
			reason(f, "passed and failed on the same commit (or a rerun passed): flaky for certain");
		else
			reason(f, "%d flips over its last %zu observations with no change to related files "
				  "(flip rate %.4f): flaky, suspected", f->flips, f->nobs, f->flip_rate);
		f->retries = st_retries_to_confirm(f->fail_rate);
		return;
	}
	/* failed now */
	size_t earlier = w.n - 1;
	bool all_last3_failed = w.n >= 3;
	for (size_t i = w.n >= 3 ? w.n - 3 : 0; i < w.n; i++)
		all_last3_failed &= reg_is_failed(w.st[i]);
	if (all_last3_failed || fails_on_base(in, t)) {
		struct reg_finding *f = new_finding(r, c, REG_PERSISTENT);
		flip_stats(f, &w);
		f->severity = REG_MAJOR;
		f->confidence = REG_HIGH;
		if (all_last3_failed)
			reason(f, "failed in each of its last 3 observations including this run");
		else
			reason(f, "also fails on the base commit %.12s", in->changes->base);
		return;
	}
	size_t look = earlier < 3 ? earlier : 3;
	bool passed = earlier > 0;
	for (size_t i = w.n - 1 - look; i < w.n - 1; i++)
		passed &= w.st[i] == TR_PASS || w.st[i] == TR_XFAIL;
	struct reg_finding *f;
	if (passed) {
		f = new_finding(r, c, REG_REGRESSION);
		f->severity = critical(in, c->id) ? REG_CRITICAL : REG_MAJOR;
		f->confidence = earlier >= 3 ? REG_HIGH : REG_LOW;
		reason(f, "passed in its last %zu earlier observation%s and fails now%s", look, look == 1 ? "" : "s",
		       earlier >= 3 ? "" : " (fewer than 3: confidence LOW)");
		if (f->severity == REG_CRITICAL)
			reason(f, "a core-requirement or security test: CRITICAL");
	} else {
		f = new_finding(r, c, REG_CURRENT_FAILURE);
		f->severity = REG_MAJOR;
		f->confidence = REG_LOW;
		reason(f, earlier ? "fails now after a mixed history: no clean baseline (UNVERIFIED)"
				  : "no earlier observation: a regression needs a citable baseline (UNVERIFIED)");
	}
	flip_stats(f, &w);
	double fr = earlier ? (f->fail_rate * (double)w.n - 1.0) / (double)earlier : 0.0;
	f->retries = st_retries_to_confirm(fr);
	reg_attribute(in, c, f);
	if (!in->blame)
		reason(f, "blame unavailable%s%s", in->blame_unavailable ? ": " : "",
		       in->blame_unavailable ? in->blame_unavailable : "");
	if (in->changes && f->attribution == REG_NONE)
		reason(f, "no commit in %.12s..%.12s scores: environment or flakiness", in->changes->base,
		       in->changes->head);
}

/* §6.2 */
static void durations(const struct reg_input *in, const struct tr_case *c, struct reg_result *r)
{
	const struct reg_test_history *t = reg_history_get(in->history, c->id);
	if (!t || !(c->duration >= 0) || !executed(c->status))
		return;
	double *d = xmalloc((t->n ? t->n : 1) * sizeof *d);
	size_t n = 0;
	for (size_t i = t->n; i-- > 0 && n < REG_WINDOW;)
		if (t->v[i].duration >= 0 && executed(t->v[i].status))
			d[n++] = t->v[i].duration;
	double now = c->duration, ref = NAN, z = NAN, ratio = NAN, delta = NAN;
	bool flag = false;
	if (n >= 5) {
		struct st_modz m = st_modified_z(d, n, now, 0.1);
		ref = m.median;
		z = m.m;
		ratio = ref > 0 ? now / ref : INFINITY;
		delta = now - ref;
		flag = (m.degenerate ? m.anomalous : m.m >= ST_MODZ_THRESHOLD) && now >= 1.5 * ref && delta >= 0.1;
	} else if (n >= 1) {
		ref = d[0];
		for (size_t i = 1; i < n; i++)
			ref = d[i] > ref ? d[i] : ref;
		ratio = ref > 0 ? now / ref : INFINITY;
		delta = now - ref;
		flag = now >= 2 * ref && delta >= 0.5;
	}
	free(d);
	if (!flag)
		return;
	struct reg_finding *f = new_finding(r, c, REG_DURATION);
	f->dur_ref = ref;
	f->dur_modz = z;
	f->dur_ratio = ratio;
	f->dur_delta = delta;
	f->severity = ratio >= 5 && now >= 10 ? REG_MAJOR : REG_MINOR;
	f->confidence = n >= 5 ? REG_HIGH : REG_LOW;
	if (n >= 5)
		reason(f, "%.3f s against a median of %.3f s over %zu earlier runs: modified z %.2f, %.3fx, +%.3f s",
		       now, ref, n, z, ratio, delta);
	else
		reason(f, "%.3f s against at most %.3f s over %zu earlier runs: %.3fx, +%.3f s", now, ref, n, ratio,
		       delta);
}

void reg_analyze(const struct reg_input *in, struct reg_result **out)
{
	struct reg_result *r = xcalloc(1, sizeof *r);
	for (size_t k = 0; k < in->nreports; k++)
		for (size_t i = 0; i < in->reports[k]->ncases; i++) {
			const struct tr_case *c = &in->reports[k]->cases[i];
			if (c->kind != TR_K_TEST)
				continue;
			r->executed += executed(c->status);
			r->failed += reg_is_failed(c->status);
		}
	r->infra = in->setup_error || (r->executed > 0 && (double)r->failed > REG_INFRA_SHARE * (double)r->executed);
	if (r->infra) {
		struct reg_finding *f = new_finding(r, NULL, REG_INFRA);
		f->severity = REG_MAJOR;
		f->confidence = REG_HIGH;
		if (in->setup_error)
			reason(f, "a run-level collection/setup error: every failure is INFRA, no regressions");
		else
			reason(f, "%zu of %zu executed tests failed (> 80 %%): every failure is INFRA, no regressions",
			       r->failed, r->executed);
	}
	for (size_t k = 0; k < in->nreports; k++)
		for (size_t i = 0; i < in->reports[k]->ncases; i++) {
			const struct tr_case *c = &in->reports[k]->cases[i];
			if (c->kind != TR_K_TEST || !c->id)
				continue;
			if (r->infra) {
				if (reg_is_failed(c->status)) {
					struct reg_finding *f = new_finding(r, c, REG_INFRA);
					f->severity = REG_INFO;
					f->confidence = REG_HIGH;
					reason(f, "failed in an INFRA run");
				}
			} else
				classify(in, c, r);
			durations(in, c, r);
		}
	*out = r;
}

void reg_result_free(struct reg_result **rp)
{
	if (!rp || !*rp)
		return;
	struct reg_result *r = *rp;
	for (size_t i = 0; i < r->n; i++) {
		struct reg_finding *f = &r->v[i];
		free(f->test_id);
		str_list_free(&f->reasons);
		for (size_t j = 0; j < f->nsuspects; j++) {
			struct reg_suspect *s = &f->suspects[j];
			free(s->author);
			free(s->summary);
			for (size_t k = 0; k < s->npoints; k++) {
				free(s->points[k].rule);
				free(s->points[k].detail);
			}
			free(s->points);
			str_list_free(&s->lines);
		}
		free(f->suspects);
	}
	free(r->v);
	free(r);
	*rp = NULL;
}
