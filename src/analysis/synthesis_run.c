/* synthesis_run.c - candidates from receipts (UNVERIFIED, CANNOT_PROCEED,
 * missing_required entries that exist on disk) and from the artifact
 * audit's gaps (required missing; empty, stub, unparseable). */
#include "config.h"
#include "analysis/synthesis_internal.h"
#include "sources/runs.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* True when one of the " or "-separated alternatives of a missing_required
 * entry exists in the run; *hit gets the first existing one (run-relative). */
static bool alt_exists(const struct run *r, const char *entry, char **hit)
{
	char *rel = syn_run_rel(entry);
	char *dir = NULL;
	const char *p = rel;
	bool found = false;
	*hit = NULL;
	while (*p && !found) {
		const char *sep = strstr(p, " or ");
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		char *alt = xstrndup(p, n), *cand, *full;
		const char *slash = strrchr(alt, '/');
		if (slash) {
			free(dir);
			dir = xstrndup(alt, (size_t)(slash - alt));
			cand = xstrdup(alt);
		} else {
			cand = dir ? xasprintf("%s/%s", dir, alt) : xstrdup(alt);
		}
		full = fio_join(r->path, cand);
		if (!strstr(cand, "..") && fio_is_file(full)) {
			found = true;
			*hit = cand;
			cand = NULL;
		}
		free(full);
		free(cand);
		free(alt);
		p += n;
		if (sep)
			p += 4;
	}
	free(dir);
	free(rel);
	return found;
}

static void receipt_candidate(const struct run *r, enum run_flow f, struct learning_set *s)
{
	const struct receipt *rc = &r->flows[f].receipt;
	const char *fname = run_flow_name(f);
	const char *word = rc->status_raw ? rc->status_raw : receipt_status_word(rc->status);
	bool bad = rc->status == RS_UNVERIFIED || rc->status == RS_CANNOT_PROCEED;
	struct str_list present = {0};
	struct buf title = {0}, body = {0};
	struct learning *l;
	char *subject, *loc, *ex;
	size_t i;

	for (i = 0; i < rc->missing_required.n; i++) {
		char *hit;
		if (alt_exists(r, rc->missing_required.v[i], &hit)) {
			str_list_push(&present, hit);
			free(hit);
		}
	}
	if (!bad && !present.n)
		return;
	if (bad)
		buf_printf(&title, "%s receipt %s (%s)", fname, word,
			   rc->recommended_action ? rc->recommended_action : "no recommended_action");
	else
		buf_printf(&title, "%s receipt disagrees with the artifacts on disk", fname);
	if (present.n)
		buf_printf(&title, "%s%zu missing_required artifact%s exist on disk", bad ? "; " : ": ",
			   present.n, present.n == 1 ? "" : "s");
	buf_printf(&body, "The %s flow's receipt says status %s, recommended_action %s.", fname, word,
		   rc->recommended_action ? rc->recommended_action : "null");
	if (rc->blockers.n) {
		buf_puts(&body, "\nBlockers:");
		for (i = 0; i < rc->blockers.n; i++)
			buf_printf(&body, "\n- %s", rc->blockers.v[i]);
	}
	if (present.n) {
		buf_puts(&body, "\nListed as missing_required but present on disk (receipt/evidence mismatch):");
		for (i = 0; i < present.n; i++)
			buf_printf(&body, "\n- %s", present.v[i]);
	}
	subject = xasprintf("receipt:%s", fname);
	l = syn_candidate(s, LK_PROCESS, LO_FINDING, subject, r->id, title.p, body.p);
	l->severity = rc->status == RS_CANNOT_PROCEED ? SEV_MAJOR : SEV_MINOR;
	loc = xstrdup(rc->src.path ? rc->src.path : "");
	if (!*loc) {
		free(loc);
		loc = xasprintf("%s/%s_receipt.json", fname, fname);
	}
	ex = xasprintf("status %s, recommended_action %s", word,
		       rc->recommended_action ? rc->recommended_action : "null");
	syn_ev(l, EV_ARTIFACT, loc, ex, "receipts", CONF_HIGH);
	free(ex);
	for (i = 0; i < rc->blockers.n; i++) {
		char *bl = xasprintf("%s#blockers", loc);
		syn_ev(l, EV_ARTIFACT, bl, rc->blockers.v[i], "receipts", CONF_HIGH);
		free(bl);
	}
	for (i = 0; i < present.n; i++)
		syn_ev(l, EV_ARTIFACT, present.v[i], "present on disk; the receipt lists it in missing_required",
		       "audit", CONF_HIGH);
	{
		char *c = xasprintf("flow:%s", fname);
		syn_component(l, c);
		free(c);
	}
	syn_component(l, loc);
	l->out_section = xstrdup("learnings.md ## Learning: Process");
	l->out_issue_title = xstrdup(title.p);
	str_list_push(&l->out_labels, "process");
	str_list_push(&l->out_labels, fname);
	l->out_playbook = xasprintf(".claude/agents/%s-cleanup.md", fname);
	free(loc);
	free(subject);
	buf_free(&title);
	buf_free(&body);
	str_list_free(&present);
}

void syn_from_receipts(const struct run *r, struct learning_set *s)
{
	int f;
	if (!r || !r->path)
		return;
	for (f = 0; f < FLOW_COUNT; f++)
		if (r->flows[f].receipt.present && r->flows[f].receipt.parsed)
			receipt_candidate(r, (enum run_flow)f, s);
}

static enum learn_kind gap_kind(const char *artifact)
{
	if (strstr(artifact, "test") || strstr(artifact, "coverage"))
		return LK_TEST_GAP;
	if (strstr(artifact, "observability"))
		return LK_OBSERVABILITY_GAP;
	return LK_PROCESS;
}

void syn_from_audit(const struct run *r, const struct audit *a, struct learning_set *s)
{
	size_t i;
	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		const struct audit_row *row = &a->rows[i];
		const char *st = audit_state_word(row->state);
		struct learning *l;
		char *subject, *title, *ex;
		bool gap = (row->state == AUD_MISSING && row->required) || row->state == AUD_EMPTY ||
			   row->state == AUD_STUB || row->state == AUD_UNPARSEABLE;
		if (!gap || !row->artifact)
			continue;
		subject = xasprintf("artifact:%s", row->artifact);
		title = xasprintf("%s %s is %s", row->required ? "required" : "optional", row->artifact, st);
		l = syn_candidate(s, gap_kind(row->artifact), LO_FINDING, subject, r ? r->id : NULL, title,
				  row->note);
		l->severity = row->required ? SEV_MAJOR : SEV_MINOR;
		ex = xasprintf("%s%s%s", st, row->note ? ": " : "", row->note ? row->note : "");
		syn_ev(l, EV_ARTIFACT, row->artifact, ex, "audit", CONF_HIGH);
		syn_component(l, row->artifact);
		l->out_section = xstrdup("artifact_audit.md ## Matrix");
		if (row->required) {
			l->out_issue_title = xstrdup(title);
			str_list_push(&l->out_labels, "process");
			str_list_push(&l->out_labels, run_flow_name(row->flow));
		}
		free(ex);
		free(title);
		free(subject);
	}
}
