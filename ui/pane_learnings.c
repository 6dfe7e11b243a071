/* pane_learnings.c - the Learnings pane: list (ui.md §3.1 pane 0, §4.1)
 * and the review screen (§4.2); decisions, undo and redo through the
 * journal (§4.3). Evidence follow-ups, edits and notes: learn_detail.c.
 *
 * The candidates are assembled by a job (inv_open with INV_LEARNINGS, the
 * same assembly as `wisdom review` and `wisdom publish`); the journal is
 * opened writable in the UI thread when the job's result arrives, so the
 * lock (and `RO` when another wisdom holds it) is known from the start.
 */
#include "config.h"
#include "ui/pane_learnings.h"
#include "ui/learn_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>

#include "util/fileio.h"

#include "jobs.h"
#include "ui/theme.h"
#include "util/xalloc.h"

/* ---- pure parts: items, sort, rows --------------------------------------- */

bool lrn_pending(const struct lrn_item *it)
{
	return it->state == JR_PROPOSED || it->delta;
}

static int cmp_items(const void *pa, const void *pb)
{
	const struct lrn_item *a = pa, *b = pb;
	if (lrn_pending(a) != lrn_pending(b))
		return lrn_pending(a) ? -1 : 1;
	if (a->l->severity != b->l->severity)
		return a->l->severity > b->l->severity ? -1 : 1;
	return strcmp(a->l->id, b->l->id);
}

struct lrn_item *lrn_items_build(const struct learning_set *s, const struct journal *j, size_t *n)
{
	struct lrn_item *v = xcalloc(s && s->n ? s->n : 1, sizeof *v);
	*n = s ? s->n : 0;
	for (size_t i = 0; i < *n; i++) {
		const struct learning *l = &s->v[i];
		v[i].l = l;
		v[i].index = i;
		v[i].state = j ? jr_state_of(j, l->id, &l->merged_ids, l->src_hash, &v[i].delta) : JR_PROPOSED;
		v[i].prefix = learning_set_prefix(s, i);
	}
	if (*n > 1)
		qsort(v, *n, sizeof *v, cmp_items);
	return v;
}

const char *lrn_target(const struct learning *l)
{
	if (l->out_issue_title)
		return "issue";
	if (l->out_playbook)
		return "playbook";
	return "file";
}

int lrn_state_role(enum jr_state s)
{
	static const int r[JR_STATE_COUNT] = {ROLE_LEARN_PROPOSED, ROLE_LEARN_ACCEPTED, ROLE_LEARN_REJECTED,
					      ROLE_LEARN_EDITED};
	return (unsigned)s < JR_STATE_COUNT ? r[s] : ROLE_DEFAULT;
}

enum ui_glyph lrn_state_glyph(enum jr_state s)
{
	static const enum ui_glyph g[JR_STATE_COUNT] = {G_PROPOSED, G_ACCEPTED, G_REJECTED, G_EDITED};
	return (unsigned)s < JR_STATE_COUNT ? g[s] : G_PROPOSED;
}

int lrn_sev_role(enum fnd_severity s)
{
	switch (s) {
	case SEV_CRITICAL: return ROLE_SEV_CRITICAL;
	case SEV_MAJOR: return ROLE_SEV_MAJOR;
	case SEV_MINOR: return ROLE_SEV_MINOR;
	default: return ROLE_SEV_INFO;
	}
}

/* Column widths for a body width w (the painter's cursor cell excluded). */
struct lrn_cols {
	int st, id, kind, title, ev, target;
};

int lrn_id_width(const struct lrn_item *v, size_t n)
{
	int w = 11;
	for (size_t i = 0; i < n; i++)
		if (v[i].prefix + 4 > w)
			w = v[i].prefix + 4;
	return w;
}

static struct lrn_cols cols_for(int cols, int idw)
{
	struct lrn_cols c = {4, idw, 13, 0, 4, 10};
	int w = cols - 1;
	if (w < 70)
		c.target = 0;
	if (w < 60)
		c.ev = 0;
	if (w < 50)
		c.kind = 0;
	c.title = w - c.st - c.id - c.kind - c.ev - (c.target ? c.target : 0) - (c.ev ? 2 : 0);
	if (c.title < 12)
		c.title = 12;
	return c;
}

void lrn_header(int cols, int idw, struct ui_row *h)
{
	struct lrn_cols c = cols_for(cols, idw);
	row_put_cols(h, ROLE_HEADER, "ST", c.st, false);
	row_put_cols(h, ROLE_HEADER, "ID", c.id, false);
	if (c.kind)
		row_put_cols(h, ROLE_HEADER, "KIND", c.kind, false);
	row_put_cols(h, ROLE_HEADER, "TITLE", c.title, false);
	if (c.ev) {
		row_put_cols(h, ROLE_HEADER, "EV", c.ev, true);
		row_put(h, ROLE_HEADER, "  ");
	}
	if (c.target)
		row_put(h, ROLE_HEADER, "TARGET");
}

void lrn_row(const struct lrn_item *it, bool marked, int cols, int idw, struct ui_row *row)
{
	struct lrn_cols c = cols_for(cols, idw);
	const struct learning *l = it->l;
	int role = lrn_state_role(it->state);
	char buf[64];

	row->key = (int)it->index;
	row_put(row, role, ui_glyph(lrn_state_glyph(it->state)));
	row_put(row, it->delta ? ROLE_WARN : ROLE_DEFAULT, it->delta ? (ui_is_ascii() ? "*" : "\xce\x94") : " ");
	row_put(row, marked ? ROLE_MARK : ROLE_DEFAULT, marked ? "+" : " ");
	row_put(row, ROLE_DEFAULT, " ");
	snprintf(buf, sizeof buf, "L-%.*s", it->prefix, l->id + 2);
	row_put_cols(row, ROLE_DEFAULT, buf, c.id, false);
	if (c.kind)
		row_put_cols(row, ROLE_DEFAULT, learn_origin_word(l->origin), c.kind, false);
	row_put_untrusted_cols(row, lrn_pending(it) ? ROLE_DEFAULT : ROLE_DIM, ROLE_ESCAPE, l->title ? l->title : "",
			       strlen(l->title ? l->title : ""), c.title);
	if (c.ev) {
		snprintf(buf, sizeof buf, "%zu", l->nev);
		row_put_cols(row, ROLE_DEFAULT, buf, c.ev, true);
		row_put(row, ROLE_DEFAULT, "  ");
	}
	if (c.target)
		row_put(row, ROLE_DEFAULT, lrn_target(l));
}

/* ---- state --------------------------------------------------------------- */

void lrn_items_refresh(struct lrn_st *s)
{
	free(s->items);
	s->items = NULL;
	s->n = 0;
	if (!s->inv || !s->inv->set)
		return;
	s->items = lrn_items_build(s->inv->set, s->inv->jr, &s->n);
	memset(s->counts, 0, sizeof s->counts);
	for (size_t i = 0; i < s->n; i++)
		s->counts[lrn_pending(&s->items[i]) ? JR_PROPOSED : s->items[i].state]++;
}

long lrn_pos_of(const struct lrn_st *s, size_t index)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].index == index)
			return (long)i;
	return -1;
}

struct ld_job {
	struct lrn_st *s;
	unsigned long gen;
	char *path, *repo;
	struct investigation *inv;
	struct wz_err err;
};

static enum job_outcome ld_work(struct job *j, void *arg)
{
	struct ld_job *l = arg;
	(void)j;
	wz_err_clear(&l->err);
	if (inv_open(l->path, l->repo, INV_LEARNINGS, &l->inv, &l->err) != WZ_OK)
		return JOB_ERROR;
	return JOB_OK;
}

static void ld_apply(void *arg, enum job_outcome out)
{
	struct ld_job *l = arg;
	struct lrn_st *s = l->s;
	struct wz_err err;
	if (l->gen != s->gen)
		return;
	s->running = false;
	if (out != JOB_OK || !l->inv) {
		free(s->error);
		s->error = xstrdup(l->err.msg[0] ? l->err.msg : "the learnings could not be assembled");
		return;
	}
	inv_free(&s->inv);
	s->inv = l->inv;
	l->inv = NULL;
	wz_err_clear(&err);
	/* viewing writes nothing: the journal is read here, and opened for
	 * writing (creating it and taking the lock) at the first decision */
	s->ro_held = lrn_lock_held(s->inv->run->path);
	if (jr_open(s->inv->run->path, false, &s->inv->jr, &err) != WZ_OK) {
		free(s->error);
		s->error = xstrdup(err.msg);
		return;
	}
	free(s->marked);
	s->marked = xcalloc(s->inv->set->n + 1, sizeof *s->marked);
	lrn_items_refresh(s);
	{
		int decided = s->counts[JR_ACCEPTED] + s->counts[JR_REJECTED] + s->counts[JR_EDITED];
		const struct journal *jr = s->inv->jr;
		snprintf(s->notice, sizeof s->notice, "Resumed: %d decided, %d pending%s%.160s", decided,
			 s->counts[JR_PROPOSED], s->ro_held ? " " LRN_DASH " read-only (RO): another wisdom holds the journal"
			 : jr->messages.n ? " " LRN_DASH " " : "",
			 !s->ro_held && jr->messages.n ? jr->messages.v[jr->messages.n - 1] : "");
	}
}

bool lrn_lock_held(const char *run_path)
{
	char *path = fio_join(run_path, "wisdom/.decisions.lock");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held = false;
	free(path);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		held = errno == EWOULDBLOCK;
	else
		flock(fd, LOCK_UN);
	close(fd);
	return held;
}

bool lrn_writable(struct lrn_st *s, char *msg, size_t n)
{
	struct journal *j = NULL;
	struct wz_err err;
	if (!s->inv->jr->read_only)
		return true;
	if (!s->ro_held) {
		wz_err_clear(&err);
		if (jr_open(s->inv->run->path, true, &j, &err) != WZ_OK) {
			snprintf(msg, n, "%.240s", err.msg);
			return false;
		}
		jr_close(&s->inv->jr);
		s->inv->jr = j;
		if (!j->read_only) {
			lrn_items_refresh(s);
			return true;
		}
		s->ro_held = true;
	}
	snprintf(msg, n, "read-only (RO): another wisdom holds wisdom/.decisions.lock; nothing recorded");
	return false;
}

static void ld_release(void *arg)
{
	struct ld_job *l = arg;
	inv_free(&l->inv);
	free(l->path);
	free(l->repo);
	free(l);
}

static void lrn_init(struct pane *p)
{
	p->st = xcalloc(1, sizeof(struct lrn_st));
}

static void lrn_load(struct pane *p, const struct ui_data *d)
{
	struct lrn_st *s = p->st;
	struct ld_job *l;
	struct job_spec js = {0};

	if (s->busy)
		return;
	job_cancel_owner(p->index);
	lrn_detail_clear(s);
	p->depth = 0;
	s->gen++;
	free(s->error);
	s->error = NULL;
	/* the journal (and its lock) is released before the next one opens */
	inv_free(&s->inv);
	free(s->items);
	s->items = NULL;
	s->n = 0;
	if (!d->run || !d->run->path)
		return;
	l = xcalloc(1, sizeof *l);
	l->s = s;
	l->gen = s->gen;
	l->path = xstrdup(d->run->path);
	l->repo = d->run->repo_root ? xstrdup(d->run->repo_root) : NULL;
	js.label = "learnings";
	js.owner = p->index;
	js.work = ld_work;
	js.apply = ld_apply;
	js.release = ld_release;
	js.arg = l;
	s->running = true;
	if (!job_submit(&js)) {
		/* no worker pool (unit tests): assemble here */
		struct ld_job b = {s, s->gen, d->run->path, d->run->repo_root, NULL, {0}};
		ld_apply(&b, ld_work(NULL, &b));
		inv_free(&b.inv);
	}
}

/* ---- list ------------------------------------------------------------------ */

static void note_row(struct pane_frame *f, int role, const char *text)
{
	struct ui_row *row = rows_add(&f->body);
	row->selectable = false;
	row->key = -1;
	row_put_untrusted(row, role, ROLE_ESCAPE, text, strlen(text), 8);
}

static void build_list(struct pane *p, struct lrn_st *s, const struct ui_data *d, int cols, struct pane_frame *f)
{
	char buf[200];
	pane_title_start(&f->title, "Learnings");
	if (!s->inv || !s->inv->set) {
		pane_title_part(&f->title, ROLE_DIM, s->error ? "failed" : "loading");
		if (s->error)
			note_row(f, ROLE_MESSAGE_ERROR, s->error);
		else if (!d->run && !d->loading && !s->running)
			note_row(f, ROLE_MISSING, "no run loaded");
		else
			note_row(f, ROLE_DIM, "assembling candidates from the pack's files, the audit and the receipts");
		return;
	}
	snprintf(buf, sizeof buf, "%zu candidates %s %d decided %s %d pending", s->n, ui_glyph(G_MIDDOT),
		 s->counts[JR_ACCEPTED] + s->counts[JR_REJECTED] + s->counts[JR_EDITED], ui_glyph(G_MIDDOT),
		 s->counts[JR_PROPOSED]);
	pane_title_part(&f->title, s->counts[JR_PROPOSED] ? ROLE_LEARN_PROPOSED : ROLE_TITLE, buf);
	pane_title_part(&f->title, ROLE_TITLE, "sort: pending, severity, id");
	if (s->ro_held)
		pane_title_part(&f->title, ROLE_WARN, "RO");
	{
		int idw = lrn_id_width(s->items, s->n);
		lrn_header(cols, idw, &f->header);
		for (size_t i = 0; i < s->n; i++)
			lrn_row(&s->items[i], s->marked[s->items[i].index], cols, idw, rows_add(&f->body));
	}
	if (s->n == 0)
		note_row(f, ROLE_OK, "no learning candidates: the pack wrote none and no analyzer found one");
	if (s->notice[0] && !s->acted)
		snprintf(f->hint, sizeof f->hint, "%.150s", s->notice);
	else
		snprintf(f->hint, sizeof f->hint, "Enter review  a accept  x reject  u undo  Space mark  A/X marked  p publish");
	(void)p;
}

static void lrn_build(struct pane *p, const struct ui_data *d, int cols, struct pane_frame *f)
{
	struct lrn_st *s = p->st;
	if (p->depth == 0 || !s->inv)
		build_list(p, s, d, cols, f);
	else if (p->depth == 1)
		lrn_build_detail(p, s, d, f);
	else
		lrn_build_follow(p, s, d, f);
}

static bool lrn_enter(struct pane *p, const struct ui_data *d, const struct ui_row *row)
{
	struct lrn_st *s = p->st;
	(void)d;
	if (!s->inv || row->key < 0 || p->depth != 0 || (size_t)row->key >= s->inv->set->n)
		return false;
	lrn_detail_clear(s);
	s->sel = row->key;
	p->depth = 1;
	return true;
}

static bool lrn_back(struct pane *p)
{
	struct lrn_st *s = p->st;
	if (p->depth == 0)
		return false;
	if (p->depth == 2) {
		lrn_follow_clear(s);
		p->depth = 1;
		return true;
	}
	p->depth = 0;
	/* back on the same candidate's row */
	{
		long pos = lrn_pos_of(s, (size_t)s->sel);
		if (pos >= 0)
			p->view[0].cursor = (size_t)pos;
	}
	lrn_detail_clear(s);
	return true;
}

/* The split view's preview: the review screen of the row, state untouched. */
static void lrn_preview(struct pane *p, const struct ui_data *d, const struct ui_row *row, int cols,
			struct pane_frame *f)
{
	struct lrn_st *s = p->st;
	long keep = s->sel;
	(void)cols;
	if (!s->inv || row->key < 0 || (size_t)row->key >= s->inv->set->n)
		return;
	s->sel = row->key;
	lrn_build_detail(p, s, d, f);
	s->sel = keep;
}

static int lrn_tab_glyph(struct pane *p, const struct ui_data *d)
{
	struct lrn_st *s = p->st;
	(void)d;
	if (!s->inv)
		return s->running ? G_LOADING : s->error ? G_FAIL : -1;
	return s->counts[JR_PROPOSED] ? G_PENDING : -1;
}

static void lrn_free(struct pane *p)
{
	struct lrn_st *s = p->st;
	if (!s)
		return;
	lrn_detail_clear(s);
	inv_free(&s->inv);
	free(s->items);
	free(s->marked);
	if (s->tmp_path)
		unlink(s->tmp_path);
	free(s->tmp_path);
	free(s->tmp_before);
	free(s->error);
	free(s);
	p->st = NULL;
}

/* ---- for the status bar and the publish dialog ------------------------------ */

bool lrn_counts(const struct pane *p, int counts[JR_STATE_COUNT], bool *ro)
{
	const struct lrn_st *s = p->st;
	if (!s || !s->inv || !s->inv->jr)
		return false;
	memcpy(counts, s->counts, sizeof s->counts);
	*ro = s->ro_held;
	return true;
}

struct investigation *lrn_inv(struct pane *p, char *msg, size_t n)
{
	struct lrn_st *s = p->st;
	if (!s || !s->inv || !s->inv->jr) {
		snprintf(msg, n, "Nothing to publish yet: the learnings are still being assembled");
		return NULL;
	}
	if (s->busy || !lrn_writable(s, msg, n))
		return s->busy ? NULL : s->inv;   /* read-only: the dialog says why */
	return s->inv;
}

void lrn_refresh(struct pane *p)
{
	struct lrn_st *s = p->st;
	if (s && !s->busy)
		lrn_items_refresh(s);
}

void lrn_set_busy(struct pane *p, bool busy)
{
	struct lrn_st *s = p->st;
	if (s)
		s->busy = busy;
}

const struct pane_ops pane_learnings_review_ops = {
	.name = "learnings", .title = "Learnings", .tab = "Lrn", .ctx = KC_LEARNINGS,
	.init = lrn_init, .load = lrn_load, .build = lrn_build, .enter = lrn_enter, .back = lrn_back,
	.preview = lrn_preview, .tab_glyph = lrn_tab_glyph, .free = lrn_free, .action = lrn_action, .exec_done = lrn_exec_done,
};
