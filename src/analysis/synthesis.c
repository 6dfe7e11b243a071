/* synthesis.c - ids, merging, confidence and ranking of learning
 * candidates (spec/analysis.md §9.1-§9.5), plus candidates from findings. */
#include "config.h"
#include "analysis/synthesis.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t syn_fnv1a64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void syn_id(const char *kind, const char *subject, char out[LEARN_ID_LEN + 1])
{
	struct buf b = {0};
	uint64_t h;
	buf_puts(&b, kind ? kind : "");
	buf_putc(&b, '\n');
	buf_puts(&b, subject ? subject : "");
	h = syn_fnv1a64(b.p, b.len);
	buf_free(&b);
	snprintf(out, LEARN_ID_LEN + 1, "L-%016" PRIx64, h);
}

double syn_rank(enum fnd_severity sev, enum fnd_confidence conf, int sources)
{
	if (sources < 1)
		sources = 1;
	return fnd_severity_weight(sev) * fnd_confidence_weight(conf) * (1.0 + 0.25 * (sources - 1));
}

char *syn_normalize(const char *text, const char *run_id)
{
	struct buf b = {0};
	size_t rl = run_id ? strlen(run_id) : 0;
	const char *p = text ? text : "";
	while (*p) {
		unsigned char c = (unsigned char)*p;
		if (rl && strncmp(p, run_id, rl) == 0) {
			buf_puts(&b, "<run>");
			p += rl;
		} else if (c == '*' || c == '`') {
			p++;
		} else if (isdigit(c)) {
			buf_putc(&b, '#');
			while (isdigit((unsigned char)*p))
				p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			if (b.len && b.p[b.len - 1] != ' ')
				buf_putc(&b, ' ');
			p++;
		} else {
			buf_putc(&b, (char)(c < 0x80 ? tolower(c) : c));
			p++;
		}
	}
	while (b.len && b.p[b.len - 1] == ' ')
		b.p[--b.len] = '\0';
	if (!b.p)
		return xstrdup("");
	return buf_detach(&b);
}

/* Distinct lowercase alphanumeric tokens of s. */
static void tokens(const char *s, struct str_list *out)
{
	const char *p = s ? s : "";
	while (*p) {
		const char *q;
		char *t;
		size_t i, n;
		bool dup = false;
		while (*p && !(isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
			p++;
		q = p;
		while (*q && (isalnum((unsigned char)*q) || (unsigned char)*q >= 0x80))
			q++;
		if (q == p)
			break;
		n = (size_t)(q - p);
		t = xstrndup(p, n);
		for (i = 0; i < n; i++)
			t[i] = (char)tolower((unsigned char)t[i]);
		for (i = 0; i < out->n && !dup; i++)
			dup = strcmp(out->v[i], t) == 0;
		if (!dup) {
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = t;
		} else {
			free(t);
		}
		p = q;
	}
}

double syn_jaccard(const char *a, const char *b)
{
	struct str_list ta = {0}, tb = {0};
	size_t i, j, inter = 0, uni;
	double r;
	tokens(a, &ta);
	tokens(b, &tb);
	for (i = 0; i < ta.n; i++)
		for (j = 0; j < tb.n; j++)
			if (strcmp(ta.v[i], tb.v[j]) == 0) {
				inter++;
				break;
			}
	uni = ta.n + tb.n - inter;
	r = uni ? (double)inter / (double)uni : 0.0;
	str_list_free(&ta);
	str_list_free(&tb);
	return r;
}

void syn_rehash(struct learning *l)
{
	struct buf b = {0};
	buf_puts(&b, l->title ? l->title : "");
	buf_putc(&b, '\n');
	buf_puts(&b, l->body ? l->body : "");
	snprintf(l->src_hash, sizeof l->src_hash, "%016" PRIx64, syn_fnv1a64(b.p, b.len));
	buf_free(&b);
}

struct learning *syn_candidate(struct learning_set *s, enum learn_kind kind, enum learn_origin origin,
			       const char *subject, const char *run_id, const char *title,
			       const char *body)
{
	struct learning *l = learning_set_add(s);
	l->kind = kind;
	l->origin = origin;
	l->subject = syn_normalize(subject, run_id);
	syn_id(learn_kind_word(kind), l->subject, l->id);
	l->title = xstrdup(title ? title : "");
	l->body = xstrdup(body);
	l->severity = SEV_MINOR;
	l->confidence = CONF_LOW;
	syn_rehash(l);
	return l;
}

/* Proposed outputs per kind: wisdom file section and GitHub label. */
static const struct {
	const char *section, *label;
} kind_out[] = {
	[LK_REGRESSION] = {"regression_report.md ## Regression Register", "regression"},
	[LK_FLAKY_TEST] = {"learnings.md ## Learning: Tests", "flaky-test"},
	[LK_TEST_GAP] = {"learnings.md ## Learning: Tests", "test-gap"},
	[LK_COVERAGE_DROP] = {"regression_report.md ## Coverage Signals", "coverage"},
	[LK_OBSERVABILITY_GAP] = {"learnings.md ## Learning: Observability", "observability"},
	[LK_INCIDENT_FOLLOWUP] = {"incident_correlation.md ## Findings", "incident"},
	[LK_SLO_BUDGET] = {"slo_status.md ## Findings", "slo"},
	[LK_COST_OVERRUN] = {"cost_analysis.md ## Findings", "cost"},
	[LK_DEPENDENCY_CHANGE] = {"learnings.md ## Learning: Dependencies", "dependencies"},
	[LK_PROCESS] = {"learnings.md ## Learning: Process", "process"},
	[LK_PLAYBOOK_UPDATE] = {"feedback_actions.md ## Pack/Flow Improvements", "playbook"},
};
_Static_assert(sizeof kind_out / sizeof kind_out[0] == LK_COUNT, "one output row per kind");

void syn_from_finding(const struct finding *f, struct learning_set *s)
{
	struct learning *l;
	struct buf body = {0};
	int kind;
	size_t i;
	if (!f)
		return;
	kind = learn_kind_parse(f->kind);
	if (kind < 0) {
		str_list_push(&s->warnings, "finding of unknown kind skipped (see spec/analysis.md §9.1)");
		return;
	}
	if (f->severity < SEV_MINOR)
		return;
	if (!f->nev) {
		char *m = xasprintf("finding %s/%s has no evidence: no candidate (§9.4)",
				    f->analyzer ? f->analyzer : "?", f->subject ? f->subject : "?");
		str_list_push(&s->warnings, m);
		free(m);
		return;
	}
	if (f->body)
		buf_puts(&body, f->body);
	for (i = 0; i < f->reasons.n; i++)
		buf_printf(&body, "%s- %s", body.len ? "\n" : "", f->reasons.v[i]);
	l = syn_candidate(s, (enum learn_kind)kind, LO_FINDING, f->subject, NULL,
			  f->title ? f->title : f->subject, body.len ? body.p : NULL);
	buf_free(&body);
	l->severity = f->severity;
	l->input_missing = f->input_missing;
	for (i = 0; i < f->nev; i++)
		learning_add_evidence(l, &f->ev[i]);
	for (i = 0; i < f->components.n; i++)
		str_list_push(&l->components, f->components.v[i]);
	l->out_section = xstrdup(kind_out[kind].section);
	if (l->severity >= SEV_MAJOR) {
		l->out_issue_title = xstrdup(l->title);
		str_list_push(&l->out_labels, "wisdom");
		str_list_push(&l->out_labels, kind_out[kind].label);
	}
	if (kind == LK_PLAYBOOK_UPDATE && f->components.n)
		l->out_playbook = xstrdup(f->components.v[0]);
}

static bool list_has(const struct str_list *l, const char *s)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static bool share_component(const struct learning *a, const struct learning *b)
{
	size_t i;
	for (i = 0; i < a->components.n; i++)
		if (list_has(&b->components, a->components.v[i]))
			return true;
	return false;
}

static bool same_evidence(const struct evidence *a, const struct evidence *b)
{
	return a->type == b->type && strcmp(a->locator ? a->locator : "", b->locator ? b->locator : "") == 0 &&
	       strcmp(a->analyzer ? a->analyzer : "", b->analyzer ? b->analyzer : "") == 0;
}

/* Moves what src knows into dst (the older candidate). */
static void merge_into(struct learning *dst, struct learning *src)
{
	size_t i, j;
	for (i = 0; i < src->nev; i++) {
		bool dup = false;
		for (j = 0; j < dst->nev && !dup; j++)
			dup = same_evidence(&dst->ev[j], &src->ev[i]);
		if (!dup)
			learning_add_evidence(dst, &src->ev[i]);
	}
	if (src->severity > dst->severity)
		dst->severity = src->severity;
	dst->input_missing |= src->input_missing;
	dst->source_unverified |= src->source_unverified;
	if (strcmp(src->id, dst->id) != 0 && !list_has(&dst->merged_ids, src->id))
		str_list_push(&dst->merged_ids, src->id);
	for (i = 0; i < src->merged_ids.n; i++)
		if (strcmp(src->merged_ids.v[i], dst->id) != 0 && !list_has(&dst->merged_ids, src->merged_ids.v[i]))
			str_list_push(&dst->merged_ids, src->merged_ids.v[i]);
	for (i = 0; i < src->components.n; i++)
		if (!list_has(&dst->components, src->components.v[i]))
			str_list_push(&dst->components, src->components.v[i]);
	for (i = 0; i < src->out_labels.n; i++)
		if (!list_has(&dst->out_labels, src->out_labels.v[i]))
			str_list_push(&dst->out_labels, src->out_labels.v[i]);
	if (!dst->body && src->body) {
		dst->body = src->body;
		src->body = NULL;
	}
	if (!dst->out_issue_title && src->out_issue_title) {
		dst->out_issue_title = src->out_issue_title;
		src->out_issue_title = NULL;
	}
	if (!dst->out_playbook && src->out_playbook) {
		dst->out_playbook = src->out_playbook;
		src->out_playbook = NULL;
	}
}

static void remove_at(struct learning_set *s, size_t k)
{
	learning_clear(&s->v[k]);
	memmove(&s->v[k], &s->v[k + 1], (s->n - k - 1) * sizeof *s->v);
	s->n--;
}

void syn_merge(struct learning_set *s)
{
	size_t i, j;
	bool changed = true;
	/* same id */
	for (i = 0; i < s->n; i++)
		for (j = i + 1; j < s->n;) {
			if (strcmp(s->v[i].id, s->v[j].id) == 0) {
				merge_into(&s->v[i], &s->v[j]);
				remove_at(s, j);
			} else {
				j++;
			}
		}
	/* near duplicates: same kind, similar titles, a shared component */
	while (changed) {
		changed = false;
		for (i = 0; i < s->n && !changed; i++)
			for (j = i + 1; j < s->n && !changed; j++) {
				struct learning *a = &s->v[i], *b = &s->v[j];
				struct learning *older, *newer;
				size_t drop;
				if (a->kind != b->kind || !share_component(a, b) ||
				    syn_jaccard(a->title, b->title) < SYN_JACCARD_MERGE)
					continue;
				older = a->order <= b->order ? a : b;
				newer = older == a ? b : a;
				drop = older == a ? j : i;
				merge_into(older, newer);
				remove_at(s, drop);
				changed = true;
			}
	}
}

void syn_score(struct learning_set *s)
{
	size_t i, j, k;
	for (i = 0; i < s->n; i++) {
		struct learning *l = &s->v[i];
		struct buf why = {0}, names = {0};
		int grade = CONF_LOW, sources = 0;
		bool only_current = l->nev > 0;
		for (j = 0; j < l->nev; j++) {
			const struct evidence *e = &l->ev[j];
			bool seen = false;
			if ((int)e->confidence > grade)
				grade = (int)e->confidence;
			if (!e->current_failure_only)
				only_current = false;
			for (k = 0; k < j && !seen; k++)
				seen = strcmp(l->ev[k].analyzer ? l->ev[k].analyzer : "",
					      e->analyzer ? e->analyzer : "") == 0;
			if (!seen) {
				sources++;
				buf_printf(&names, "%s%s", names.len ? ", " : "", e->analyzer ? e->analyzer : "?");
			}
		}
		if (sources < 1)
			sources = 1;
		buf_printf(&why, "highest evidence %s", fnd_confidence_word((enum fnd_confidence)grade));
		if (sources >= 2) {
			if (grade < CONF_HIGH)
				grade++;
			buf_printf(&why, "; +1: %d analyzers agree (%s)", sources, names.p);
		}
		if (l->input_missing || l->source_unverified) {
			if (grade > CONF_LOW)
				grade--;
			buf_printf(&why, "; -1: %s", l->input_missing ? "a required input was missing"
								      : "source artifact UNVERIFIED");
		}
		if (only_current && grade > CONF_MEDIUM) {
			grade = CONF_MEDIUM;
			buf_puts(&why, "; capped at MEDIUM: only CURRENT_FAILURE evidence");
		}
		l->confidence = (enum fnd_confidence)grade;
		l->sources = sources;
		l->rank = syn_rank(l->severity, l->confidence, sources);
		free(l->confidence_reason);
		l->confidence_reason = buf_detach(&why);
		buf_free(&names);
	}
}

static int cmp_rank(const void *pa, const void *pb)
{
	const struct learning *a = pa, *b = pb;
	if (a->rank > b->rank + 1e-12)
		return -1;
	if (b->rank > a->rank + 1e-12)
		return 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->id, b->id);
}

void syn_sort(struct learning_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_rank);
}

struct learning_set *syn_build(const struct syn_input *in)
{
	struct learning_set *s = learning_set_new();
	size_t i;
	if (!in)
		return s;
	if (in->run) {
		syn_from_pack(in->run, s);
		syn_from_receipts(in->run, s);
		if (in->audit)
			syn_from_audit(in->run, in->audit, s);
	}
	for (i = 0; i < in->nfindings; i++)
		syn_from_finding(in->findings[i], s);
	syn_merge(s);
	syn_score(s);
	syn_sort(s);
	return s;
}
