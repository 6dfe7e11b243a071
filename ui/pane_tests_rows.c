/* pane_tests_rows.c - the rows of the Tests pane: the finding list
 * (REGRESSIONS, FLAKY, GAPS), a finding's failing output with the blame of
 * its suspect lines, and a blamed line's commit. Reads the pane state
 * (pane_tests_int.h); all untrusted text goes through row_put_untrusted.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/pane_tests_int.h"
#include "ui/theme.h"
#include "util/xalloc.h"

static int section(enum reg_class c)
{
	return c == REG_FLAKY || c == REG_DURATION ? 1 : 0;
}

const struct reg_result *tests_sort_findings;

int tests_cmp_find(const void *pa, const void *pb)
{
	const struct reg_finding *x = &tests_sort_findings->v[*(const size_t *)pa], *y = &tests_sort_findings->v[*(const size_t *)pb];
	if (section(x->cls) != section(y->cls))
		return section(x->cls) - section(y->cls);
	if (x->severity != y->severity)
		return (int)x->severity - (int)y->severity;
	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	int c = strcmp(x->test_id, y->test_id);
	return c ? c : (*(const size_t *)pa > *(const size_t *)pb) - (*(const size_t *)pa < *(const size_t *)pb);
}

static const char *short_class(enum reg_class c)
{
	switch (c) {
	case REG_REGRESSION: return "NEW";
	case REG_PERSISTENT: return "PERSIST";
	case REG_CURRENT_FAILURE: return "CUR";
	case REG_INFRA: return "INFRA";
	case REG_FLAKY: return "FLAKY";
	case REG_DURATION: return "SLOW";
	default: return "?";
	}
}

static const char *short_sev(enum reg_severity s)
{
	static const char *const w[] = { "CRIT", "MAJ", "MIN", "INFO" };
	return (unsigned)s <= REG_INFO ? w[s] : "?";
}

static int sev_role(enum reg_severity s)
{
	static const int r[] = { ROLE_SEV_CRITICAL, ROLE_SEV_MAJOR, ROLE_SEV_MINOR, ROLE_SEV_INFO };
	return (unsigned)s <= REG_INFO ? r[s] : ROLE_DEFAULT;
}

static void age(double t, double now, char *out, size_t n)
{
	if (isnan(t) || isnan(now) || now < t)
		snprintf(out, n, "-");
	else if (now - t < 86400)
		snprintf(out, n, "%.0fh", floor((now - t) / 3600));
	else
		snprintf(out, n, "%.0fd", floor((now - t) / 86400));
}

static void heading(struct pane_frame *f, const char *name)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	row_printf(row, ROLE_HEADER, "%s%s %s", ui_glyph(G_HLINE), ui_glyph(G_HLINE), name);
}

static struct ui_row *note(struct pane_frame *f, int role, const char *text)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	row_put(row, role, text);
	return row;
}

void tests_rows_list(struct tests_st *s, const struct ui_data *d, int cols, struct pane_frame *f)
{
	const struct ta_result *t = s->ta;
	char buf[256];
	pane_title_start(&f->title, "Tests");
	if (!t) {
		pane_title_part(&f->title, ROLE_DIM, s->error ? "failed" : "analysing");
		if (s->error)
			note(f, ROLE_MESSAGE_ERROR, s->error);
		else
			row_printf(note(f, ROLE_DIM, ""), ROLE_DIM, "%s reading test history and blaming suspect lines",
				   ui_glyph(G_JOB));
		return;
	}
	size_t skips = 0;
	for (size_t k = 0; k < t->hist->cur.nreports; k++)
		for (size_t i = 0; i < t->hist->cur.reports[k]->ncases; i++)
			skips += t->hist->cur.reports[k]->cases[i].kind == TR_K_TEST &&
				 t->hist->cur.reports[k]->cases[i].status == TR_SKIP;
	snprintf(buf, sizeof buf, "%zu regressions %s %zu flaky %s %zu gaps", t->regressions + t->persistent + t->current,
		 ui_glyph(G_MIDDOT), t->flaky, ui_glyph(G_MIDDOT), skips);
	pane_title_part(&f->title, t->regressions ? ROLE_SEV_CRITICAL : ROLE_TITLE, buf);
	pane_title_part(&f->title, ROLE_TITLE, "sort: section, severity");
	int w = cols - 1, wsev = 5, wcls = 8, wwhere = w >= 70 ? 21 : 0, wsus = w >= 60 ? 8 : 0, wage = w >= 60 ? 4 : 0;
	int wtest = w - wsev - wcls - wwhere - wsus - wage;
	if (wtest < 12)
		wtest = 12;
	row_put_cols(&f->header, ROLE_HEADER, "SEV", wsev, false);
	row_put_cols(&f->header, ROLE_HEADER, "CLASS", wcls, false);
	row_put_cols(&f->header, ROLE_HEADER, "TEST / FILE", wtest, false);
	if (wwhere)
		row_put_cols(&f->header, ROLE_HEADER, "WHERE", wwhere, false);
	if (wsus)
		row_put_cols(&f->header, ROLE_HEADER, "SUSPECT", wsus, false);
	if (wage)
		row_put(&f->header, ROLE_HEADER, "AGE");
	int last = -1;
	for (size_t i = 0; i < s->norder; i++) {
		const struct reg_finding *x = &t->reg->v[s->order[i]];
		if (section(x->cls) != last) {
			last = section(x->cls);
			heading(f, last ? "FLAKY" : "REGRESSIONS");
		}
		struct ui_row *row = rows_add(&f->body);
		row->key = (int)s->order[i];
		row_put_cols(row, sev_role(x->severity), short_sev(x->severity), wsev, false);
		row_put_cols(row, x->cls == REG_REGRESSION ? ROLE_SEV_CRITICAL : ROLE_DEFAULT, short_class(x->cls), wcls, false);
		if (x->cls == REG_FLAKY) {
			int fails = (int)lround(x->fail_rate * (double)x->nobs);
			snprintf(buf, sizeof buf, " %d/%zu", fails, x->nobs);
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, x->test_id, strlen(x->test_id),
					       wtest - (int)strlen(buf) - 1);
			row_put_cols(row, ROLE_DEFAULT, buf, (int)strlen(buf) + 1, false);
		} else
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, x->test_id, strlen(x->test_id), wtest);
		if (wwhere) {
			char *path = NULL;
			long ln, a, b;
			if (x->cls != REG_FLAKY && ta_focus(t, x->test_id, 0, &path, &ln, &a, &b)) {
				char *wh = xasprintf("%s:%ld", path, ln);
				row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, wh, strlen(wh), wwhere - 1);
				row_put(row, ROLE_DEFAULT, " ");
				free(wh);
			} else
				row_put_cols(row, ROLE_DIM, "-", wwhere, false);
			free(path);
		}
		const struct reg_suspect *sp = x->nsuspects && x->attribution != REG_NONE ? &x->suspects[0] : NULL;
		if (wsus) {
			snprintf(buf, sizeof buf, "%.7s", sp ? sp->sha : "-");
			row_put_cols(row, sp ? ROLE_BLAME_SHA : ROLE_DIM, buf, wsus, false);
		}
		if (wage) {
			age(sp ? sp->time : NAN, d->now, buf, sizeof buf);
			row_put(row, ROLE_DEFAULT, buf);
		}
	}
	heading(f, "GAPS");
	size_t shown = 0;
	for (size_t k = 0; k < t->hist->cur.nreports; k++)
		for (size_t i = 0; i < t->hist->cur.reports[k]->ncases; i++) {
			const struct tr_case *c = &t->hist->cur.reports[k]->cases[i];
			if (c->kind != TR_K_TEST || c->status != TR_SKIP || !c->id)
				continue;
			struct ui_row *row = rows_add(&f->body);
			row->key = -1;
			row->selectable = false;
			row_put_cols(row, ROLE_SEV_MINOR, "MIN", wsev, false);
			row_put_cols(row, ROLE_DEFAULT, "SKIP", wcls, false);
			row_put_untrusted_cols(row, ROLE_DEFAULT, ROLE_ESCAPE, c->id, strlen(c->id), wtest);
			shown++;
		}
	if (!shown)
		note(f, ROLE_DIM, "  no skipped tests; coverage gaps (UNC, LBC) are in wisdom analyze");
	if (s->norder == 0) {
		const struct test_counts *tc = d->run && d->run->ntests ? &d->run->tests[0] : NULL;
		if (t->hist->cur.nreports)
			snprintf(buf, sizeof buf, "  %zu failing tests %s %zu executed in %zu per-test report%s",
				 t->hist->cur.failed, "\xe2\x80\x94", t->hist->cur.executed, t->hist->cur.nreports,
				 t->hist->cur.nreports == 1 ? "" : "s");
		else if (tc && tc->passed.has)
			snprintf(buf, sizeof buf, "  %.0f failing tests %s %.120s: %.0f passed (no per-test report)",
				 tc->failed.has ? tc->failed.v : 0.0, "\xe2\x80\x94", tc->src.path ? tc->src.path : "?",
				 tc->passed.v);
		else
			snprintf(buf, sizeof buf, "  no test results in this run (no per-test report, no counts)");
		note(f, ROLE_OK, buf);
	}
	if (t->blame_unavailable) {
		/* the reason's first clause; the full text (with paths) is in wisdom analyze */
		const char *why = t->blame_unavailable;
		size_t n = strncmp(why, "not a git repository", 20) == 0 ? 20 : strlen(why);
		struct ui_row *row = note(f, ROLE_WARN, "  blame unavailable: ");
		row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, why, n, 8);
	}
	snprintf(f->hint, sizeof f->hint, "Enter output+blame  / search  ? help  q quit");
}

/* ---- drill-down ------------------------------------------------------------ */


static void put_lines(struct pane_frame *f, const char *text, int max)
{
	int n = 0;
	while (text && *text && n < max) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		struct ui_row *row = rows_add(&f->body);
		row->selectable = false;
		row->key = -1;
		row_put(row, ROLE_DEFAULT, "  ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, text, len, 8);
		text = nl ? nl + 1 : NULL;
		n++;
	}
}

void tests_rows_detail(struct tests_st *s, const struct ui_data *d, struct pane_frame *f)
{
	const struct ta_result *t = s->ta;
	const struct reg_finding *x = &t->reg->v[s->sel];
	const struct tr_report *rep = NULL;
	const struct tr_case *c = ta_case(t, x->test_id, &rep);
	char buf[256];
	(void)d;
	pane_title_start(&f->title, "Tests ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, x->test_id, strlen(x->test_id), 8);
	snprintf(buf, sizeof buf, "%s %s %s", short_class(x->cls), ui_glyph(G_MIDDOT), short_sev(x->severity));
	pane_title_part(&f->title, sev_role(x->severity), buf);
	pane_title_part(&f->title, ROLE_TITLE,
			s->blame_running ? "blame 0%" : s->blame_done && !s->blame_err ? "blame 100%" : "blame -");
	if (s->rev[0]) {
		snprintf(buf, sizeof buf, "at %.7s (b: parent)", s->rev);
		pane_title_part(&f->title, ROLE_BLAME_SHA, buf);
	}
	struct ui_row *row = note(f, ROLE_HEADER, "Failing output");
	if (c && rep) {
		const char *p = rep->path;
		size_t pl = strlen(t->hist->cur.path);
		if (strncmp(p, t->hist->cur.path, pl) == 0 && p[pl] == '/')
			p += pl + 1;
		snprintf(buf, sizeof buf, "   %.160s:%d", p, c->src_line);
		row_put(row, ROLE_DIM, buf);
	}
	if (c && (c->text || c->message))
		put_lines(f, c->text ? c->text : c->message, 12);
	else
		note(f, ROLE_DIM, x->cls == REG_FLAKY ? "  passes in this run" : "  no failure text");
	for (size_t i = 0; i < x->reasons.n; i++) {
		row = note(f, ROLE_DIM, "  ");
		row_put_untrusted(row, ROLE_DIM, ROLE_ESCAPE, x->reasons.v[i], strlen(x->reasons.v[i]), 8);
	}
	if (s->path) {
		snprintf(buf, sizeof buf, "Suspect lines  %.160s:%ld-%ld %s history since %.7s", s->path, s->start, s->end,
			 ui_glyph(G_MIDDOT), t->range.bound[0] ? t->range.bound : t->range.base);
		note(f, ROLE_HEADER, buf);
	}
	if (s->blame_running)
		row_printf(note(f, ROLE_DIM, "  "), ROLE_DIM, "%s blaming", ui_glyph(G_JOB));
	else if (s->blame_err) {
		row = note(f, ROLE_WARN, "  blame unavailable: ");
		row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, s->blame_err, strlen(s->blame_err), 8);
	} else if (s->blame.set && s->blame.set->n == 1) {
		const struct blame_span *sp = &s->blame.set->v[0];
		if (sp->error) {
			row = note(f, ROLE_WARN, "  ");
			row_put_untrusted(row, ROLE_WARN, ROLE_ESCAPE, sp->error, strlen(sp->error), 8);
		}
		for (size_t i = 0; i < sp->nlines; i++) {
			const struct blame_line *bl = &sp->lines[i];
			char date[32] = "-";
			if (!isnan(bl->time))
				pane_fmt_time(bl->time, date, sizeof date);
			row = rows_add(&f->body);
			row->key = (int)bl->line;
			int role = bl->in_range ? ROLE_SUSPECT_LINE : ROLE_DEFAULT;
			snprintf(buf, sizeof buf, "%5ld ", bl->line);
			row_put(row, bl->line == s->line ? ROLE_SEV_CRITICAL : ROLE_DIM, buf);
			row_put(row, ROLE_DIM, ui_glyph(G_VLINE));
			if (bl->pre_existing) {
				/* blame stops at the base: the line is older, its author unknown here */
				snprintf(buf, sizeof buf, " ^%.6s ", bl->sha);
				row_put(row, ROLE_DIM, buf);
				row_put_cols(row, ROLE_DIM, "before base", 12, false);
			} else {
				snprintf(buf, sizeof buf, " %.7s ", bl->sha);
				row_put(row, ROLE_BLAME_SHA, buf);
				row_put_untrusted_cols(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, bl->author ? bl->author : "?",
						       strlen(bl->author ? bl->author : "?"), 12);
			}
			snprintf(buf, sizeof buf, " %.5s ", bl->pre_existing ? "     " : date);
			row_put(row, ROLE_BLAME_DATE, buf);
			row_put(row, ROLE_DIM, ui_glyph(G_VLINE));
			row_put(row, role, bl->in_range ? " in run " : "        ");
			size_t k = (size_t)(bl->line - sp->start);
			const char *tx = k < s->blame.ntext && s->blame.text[k] ? s->blame.text[k] : "";
			row_put_untrusted(row, role, ROLE_ESCAPE, tx, strlen(tx), 8);
		}
	}
	if (x->nsuspects && x->attribution != REG_NONE) {
		snprintf(buf, sizeof buf, "Suspects (attribution %s)", reg_confidence_name(x->attribution));
		note(f, ROLE_HEADER, buf);
		for (size_t i = 0; i < x->nsuspects && i < 3; i++) {
			const struct reg_suspect *sp = &x->suspects[i];
			if (!sp->score)
				break;
			char date[32] = "-";
			pane_fmt_time(sp->time, date, sizeof date);
			row = note(f, ROLE_DEFAULT, "  ");
			snprintf(buf, sizeof buf, "%.7s ", sp->sha);
			row_put(row, ROLE_BLAME_SHA, buf);
			row_put_untrusted(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, sp->author ? sp->author : "?",
					  strlen(sp->author ? sp->author : "?"), 8);
			snprintf(buf, sizeof buf, " %s score %d share %.2f %s ", date, sp->score, sp->share,
				 sp->in_run ? "in run" : "before run");
			row_put(row, ROLE_DEFAULT, buf);
			row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, sp->summary ? sp->summary : "",
					  strlen(sp->summary ? sp->summary : ""), 8);
			for (size_t k = 0; k < sp->npoints; k++) {
				row = note(f, ROLE_DIM, "    ");
				snprintf(buf, sizeof buf, "+%d %s: ", sp->points[k].points, sp->points[k].rule);
				row_put(row, ROLE_DIM, buf);
				const char *dt = sp->points[k].detail ? sp->points[k].detail : "";
				row_put_untrusted(row, ROLE_DIM, ROLE_ESCAPE, dt, strlen(dt), 8);
			}
		}
	}
	snprintf(f->hint, sizeof f->hint, "Enter on a blame line shows its commit  Esc back  ? help");
}

void tests_rows_commit(struct tests_st *s, struct pane_frame *f)
{
	char buf[256];
	pane_title_start(&f->title, "Tests ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " commit");
	if (!s->commit) {
		struct ui_row *row = note(f, ROLE_MESSAGE_ERROR, "");
		const char *e = s->commit_err ? s->commit_err : "no commit";
		row_put_untrusted(row, ROLE_MESSAGE_ERROR, ROLE_ESCAPE, e, strlen(e), 8);
		return;
	}
	const struct chg_commit *c = s->commit;
	char date[40];
	pane_fmt_time(c->time, date, sizeof date);
	struct ui_row *row = note(f, ROLE_BLAME_SHA, "commit ");
	row_put(row, ROLE_BLAME_SHA, c->sha);
	row = note(f, ROLE_DEFAULT, "Author: ");
	row_put_untrusted(row, ROLE_BLAME_AUTHOR, ROLE_ESCAPE, c->author ? c->author : "?", strlen(c->author ? c->author : "?"), 8);
	row = note(f, ROLE_DEFAULT, "Date:   ");
	row_put(row, ROLE_BLAME_DATE, date);
	note(f, ROLE_DEFAULT, "");
	put_lines(f, c->message ? c->message : c->summary, 40);
	note(f, ROLE_DEFAULT, "");
	long adds = 0, dels = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct chg_file *fl = &c->files[i];
		row = note(f, ROLE_DEFAULT, " ");
		row_put_untrusted(row, ROLE_DEFAULT, ROLE_ESCAPE, fl->path, strlen(fl->path), 8);
		snprintf(buf, sizeof buf, " | +%ld -%ld", fl->adds, fl->dels);
		row_put(row, ROLE_DIM, buf);
		adds += fl->adds;
		dels += fl->dels;
	}
	snprintf(buf, sizeof buf, " %zu file%s changed, +%ld -%ld", c->nfiles, c->nfiles == 1 ? "" : "s", adds, dels);
	note(f, ROLE_DIM, buf);
}

/* ---- ops ------------------------------------------------------------------- */

