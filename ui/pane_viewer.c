/* pane_viewer.c - a run artifact shown read-only: one read, an index of
 * line offsets, rows built only for the lines drawn (sanitised then, escapes
 * in the escape role, search matches in search-match, cut at 4 KB), reads
 * of big files and searches of long ones as jobs (see viewer.h). */
#include "config.h"
#include "ui/viewer.h"

#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jobs.h"
#include "ui/theme.h"
#include "ui/viewer_paged.h"
#include "util/fileio.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The file and its line index, shared with jobs. */
struct vdoc {
	atomic_int refs;
	char *data;
	size_t len;
	size_t *off, *llen;
	size_t nlines;
	/* over VIEWER_MAX_BYTES: paged through a sparse index instead */
	struct vpaged *pg;
	char *linebuf;          /* VIEWER_LINE_MAX bytes, UI thread (vrow) */
};

struct vsearch {
	atomic_int refs;
	struct vdoc *doc;
	regex_t re;
	char pattern[256];
	int cflags, tab_size;
	pthread_mutex_t mu;      /* guards hits, nhits, complete */
	size_t *hits, nhits, cap;
	bool complete;
};

static void (*notify_fn)(void *, bool, const char *);
static void *notify_ctx;

void viewer_set_notifier(void (*fn)(void *ctx, bool error, const char *msg), void *ctx)
{
	notify_fn = fn;
	notify_ctx = ctx;
}

static void note(bool error, const char *msg)
{
	if (notify_fn)
		notify_fn(notify_ctx, error, msg);
}

static void doc_unref(struct vdoc *d)
{
	if (d && atomic_fetch_sub(&d->refs, 1) == 1) {
		free(d->data);
		free(d->off);
		free(d->llen);
		vpaged_free(d->pg);
		free(d->linebuf);
		free(d);
	}
}

static void search_unref(struct vsearch *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		doc_unref(s->doc);
		regfree(&s->re);
		pthread_mutex_destroy(&s->mu);
		free(s->hits);
		free(s);
	}
}

/* Reads and indexes path; NULL + *error on failure or when stopped. */
static struct vdoc *doc_read(const char *path, struct job *j, char **error)
{
	struct wz_err err;
	struct vdoc *d;
	struct txt_lines it;
	const char *line;
	size_t n, cap = 0;
	char *data = NULL;
	size_t len = 0;

	wz_err_clear(&err);
	{
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (unsigned long long)st.st_size > VIEWER_MAX_BYTES) {
			struct vpaged *pg = vpaged_open(path, error);   /* j's hooks: progress, cancel */
			if (!pg)
				return NULL;
			d = xcalloc(1, sizeof *d);
			atomic_init(&d->refs, 1);
			d->pg = pg;
			d->len = (size_t)vpaged_size(pg);
			d->nlines = vpaged_lines(pg);
			d->linebuf = xmalloc(VIEWER_LINE_MAX);
			return d;
		}
	}
	if (fio_read(path, VIEWER_MAX_BYTES, &data, &len, &err) != WZ_OK) {
		*error = xstrdup(err.msg);
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	atomic_init(&d->refs, 1);
	d->data = data;
	d->len = len;
	if (j)
		job_set_total(j, len);
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n)) {
		if (d->nlines == cap) {
			size_t c2 = cap;
			d->off = xgrow(d->off, &c2, d->nlines + 1, sizeof *d->off);
			d->llen = xgrow(d->llen, &cap, d->nlines + 1, sizeof *d->llen);
		}
		d->off[d->nlines] = (size_t)(line - data);
		d->llen[d->nlines] = n;
		d->nlines++;
		if (j && (d->nlines & 0xFFFF) == 0) {
			job_progress(j, (size_t)(line - data));
			if (job_stop(j)) {
				doc_unref(d);
				return NULL;
			}
		}
	}
	if (j)
		job_progress(j, len);
	return d;
}

static void set_doc(struct viewer *v, struct vdoc *d)
{
	v->doc = d;
	v->nlines = d->nlines;
	v->size = (long)d->len;
	v->digits = 1;
	for (size_t k = v->nlines; k >= 10; k /= 10)
		v->digits++;
}

static void cache_drop(struct viewer *v)
{
	if (!v->cache)
		return;
	for (size_t i = 0; i < VIEWER_CACHE; i++)
		row_free(&v->cache[i].row);
	free(v->cache);
	v->cache = NULL;
}

void viewer_close(struct viewer *v)
{
	if (v->owner > 0 || v->rel)
		job_cancel_owner(v->owner);
	free(v->rel);
	free(v->error);
	cache_drop(v);
	row_free(&v->scratch);
	doc_unref(v->doc);
	search_unref(v->search);
	memset(v, 0, sizeof *v);
}

/* ---- the read job ---- */

struct open_job {
	char *path;
	struct vdoc *doc;
	char *error;
	struct viewer *v;       /* UI side only (apply) */
};

static enum job_outcome open_work(struct job *j, void *arg)
{
	struct open_job *o = arg;

	o->doc = doc_read(o->path, j, &o->error);
	if (!o->doc && !o->error)
		return JOB_STOPPED;
	return o->doc ? JOB_OK : JOB_ERROR;
}

static void open_apply(void *arg, enum job_outcome out)
{
	struct open_job *o = arg;
	struct viewer *v = o->v;

	v->loading = false;
	if (out == JOB_OK && o->doc) {
		set_doc(v, o->doc);
		if (o->doc->pg && vpaged_full_index_bytes(o->doc->pg) > VIEWER_INDEX_BUDGET) {
			char msg[256];
			snprintf(msg, sizeof msg, "%s: a full line index would take %llu MiB (budget %zu MiB): "
				 "paged, one index entry per %d lines (%zu KiB)", v->rel,
				 vpaged_full_index_bytes(o->doc->pg) >> 20, VIEWER_INDEX_BUDGET >> 20,
				 VPAGED_STEP, vpaged_index_bytes(o->doc->pg) >> 10);
			note(false, msg);
		}
		o->doc = NULL;
	} else {
		v->error = o->error ? o->error : xstrdup("reading stopped");
		o->error = NULL;
	}
}

static void open_release(void *arg)
{
	struct open_job *o = arg;

	free(o->path);
	free(o->error);
	doc_unref(o->doc);
	free(o);
}

void viewer_open(struct viewer *v, const char *run_path, const char *rel, int tab_size,
		 int owner)
{
	char *path;
	struct stat st;

	viewer_close(v);
	v->owner = owner;
	v->rel = xstrdup(rel);
	v->tab_size = tab_size > 0 ? tab_size : 8;
	path = fio_join(run_path, rel);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > VIEWER_SYNC_BYTES) {
		struct open_job *o = xcalloc(1, sizeof *o);
		struct job_spec js = {0};
		char label[JOB_LABEL_MAX];
		const char *base = strrchr(rel, '/');

		snprintf(label, sizeof label, "read %s", base ? base + 1 : rel);
		o->path = path;
		o->v = v;
		js.label = label;
		js.owner = owner;
		js.total = (size_t)st.st_size;
		js.work = open_work;
		js.apply = open_apply;
		js.release = open_release;
		js.arg = o;
		v->loading = true;
		if (job_submit(&js) != 0)
			return;
		/* no pool (e.g. unit tests): read here */
		v->loading = false;
		path = fio_join(run_path, rel);
	}
	{
		char *error = NULL;
		struct vdoc *d = doc_read(path, NULL, &error);
		if (d)
			set_doc(v, d);
		else
			v->error = error;
	}
	free(path);
}

/* ---- rows ---- */

/* Untrusted line into row: escapes in the escape role, matches of re in
 * search-match. */
static void put_line(struct ui_row *row, const char *text, size_t n, int tab, const regex_t *re)
{
	struct san_text st;
	unsigned char *roles;
	size_t at = 0;

	memset(&st, 0, sizeof st);
	san_line(text, n, tab, &st);
	if (st.len == 0) {
		san_text_free(&st);
		return;
	}
	roles = xcalloc(st.len, 1);     /* 0 default, 1 escape, 2 match */
	for (size_t i = 0; i < st.nspans; i++)
		memset(roles + st.spans[i].off, 1, st.spans[i].len);
	if (re) {
		regmatch_t m;
		size_t off = 0;
		while (off <= st.len &&
		       regexec(re, st.s + off, 1, &m, off ? REG_NOTBOL : 0) == 0) {
			size_t b = off + (size_t)m.rm_so, e = off + (size_t)m.rm_eo;
			if (e > b)
				memset(roles + b, 2, e - b);
			off = e > off ? e : off + 1;
		}
	}
	while (at < st.len) {
		size_t e = at + 1;
		static const int role_of[] = {ROLE_DEFAULT, ROLE_ESCAPE, ROLE_SEARCH_MATCH};
		while (e < st.len && (roles[e] == roles[at] || (st.s[e] & 0xC0) == 0x80))
			e++;
		row_putn(row, role_of[roles[at]], st.s + at, e - at);
		at = e;
	}
	free(roles);
	san_text_free(&st);
}

static const struct ui_row *vrow(void *ctx, size_t i)
{
	struct viewer *v = ctx;
	struct vcache_slot *s;
	unsigned gen = v->d ? v->d->search_gen : 0;
	size_t n;

	if (!v->doc || i >= v->nlines) {
		row_free(&v->scratch);
		return &v->scratch;
	}
	if (!v->cache)
		v->cache = xcalloc(VIEWER_CACHE, sizeof *v->cache);
	s = &v->cache[i & (VIEWER_CACHE - 1)];
	if (s->used && s->line == i && s->search_gen == gen)
		return &s->row;
	row_free(&s->row);
	s->used = true;
	s->line = i;
	s->search_gen = gen;
	s->row.selectable = true;
	s->row.key = (int)(i + 1);
	row_printf(&s->row, ROLE_DIM, "%*zu ", v->digits, i + 1);
	row_put(&s->row, ROLE_BORDER, ui_glyph(G_VLINE));
	row_put(&s->row, ROLE_DEFAULT, " ");
	if (v->doc->pg) {
		n = vpaged_line(v->doc->pg, i, v->doc->linebuf, VIEWER_LINE_MAX);
		put_line(&s->row, v->doc->linebuf, n, v->tab_size, v->d ? v->d->search_re : NULL);
		return &s->row;
	}
	n = v->doc->llen[i];
	put_line(&s->row, v->doc->data + v->doc->off[i], n > VIEWER_LINE_MAX ? VIEWER_LINE_MAX : n,
		 v->tab_size, v->d ? v->d->search_re : NULL);
	return &s->row;
}

void viewer_build(struct viewer *v, const char *crumb, const struct ui_data *d,
		  struct pane_frame *f)
{
	v->d = d;
	f->viewer = v;
	pane_title_start(&f->title, crumb);
	row_put(&f->title, ROLE_TITLE, " ");
	row_put(&f->title, ROLE_TITLE, ui_glyph(G_ARROW_R));
	row_put(&f->title, ROLE_TITLE, " ");
	row_put_untrusted(&f->title, ROLE_TITLE, ROLE_ESCAPE, v->rel ? v->rel : "?",
			  v->rel ? strlen(v->rel) : 1, 8);
	if (v->loading) {
		struct ui_row *row;
		pane_title_part(&f->title, ROLE_DIM, "loading");
		row = rows_add(&f->body);
		row->selectable = false;
		row_printf(row, ROLE_DIM, "%s reading the file (Esc cancels)", ui_glyph(G_JOB));
	} else if (v->error) {
		struct ui_row *row;
		pane_title_part(&f->title, ROLE_SEV_CRITICAL, "unreadable");
		row = rows_add(&f->body);
		row->selectable = false;
		row_put_untrusted(row, ROLE_MESSAGE_ERROR, ROLE_ESCAPE, v->error, strlen(v->error), 8);
	} else {
		char buf[64];
		snprintf(buf, sizeof buf, "%zu lines %s %ld bytes", v->nlines, ui_glyph(G_MIDDOT),
			 v->size);
		pane_title_part(&f->title, ROLE_TITLE, buf);
		if (v->doc && v->doc->pg)
			pane_title_part(&f->title, ROLE_DIM, "paged");
		if (v->nlines == 0) {
			struct ui_row *row = rows_add(&f->body);
			row->selectable = false;
			row_put(row, ROLE_DIM, "(empty file)");
		} else {
			f->vrow = vrow;
			f->vctx = v;
			f->vn = v->nlines;
		}
	}
	snprintf(f->hint, sizeof f->hint, "/ search  n/N next/prev  w wrap  h/l sideways  Esc back");
}

/* ---- search ---- */

static void add_hit(struct vsearch *s, size_t i)
{
	pthread_mutex_lock(&s->mu);
	s->hits = xgrow(s->hits, &s->cap, s->nhits + 1, sizeof *s->hits);
	s->hits[s->nhits++] = i;
	pthread_mutex_unlock(&s->mu);
}

struct pscan {
	struct vsearch *s;
	struct job *j;
};

/* One line of a paged document (streamed in order). */
static bool pscan_line(void *arg, size_t i, const char *l, size_t n)
{
	struct pscan *ps = arg;
	struct san_text st;
	bool hit;

	if (ps->j && (i & 2047) == 2047) {
		job_partial(ps->j);
		if (job_stop(ps->j))
			return false;
	}
	memset(&st, 0, sizeof st);
	san_line(l, n, ps->s->tab_size, &st);
	hit = regexec(&ps->s->re, st.s ? st.s : "", 0, NULL, 0) == 0;
	san_text_free(&st);
	if (hit)
		add_hit(ps->s, i);
	return true;
}

static void scan(struct vsearch *s, struct job *j)
{
	const struct vdoc *d = s->doc;

	if (d->pg) {
		/* bytes as progress and cancel come from the job's fio hooks */
		struct pscan ps = {s, j};
		struct wz_err err;
		if (vpaged_each(d->pg, VIEWER_LINE_MAX, pscan_line, &ps, &err) != WZ_OK ||
		    (j && job_stop(j)))
			return;
		pthread_mutex_lock(&s->mu);
		s->complete = true;
		pthread_mutex_unlock(&s->mu);
		return;
	}

	for (size_t i = 0; i < d->nlines; i++) {
		struct san_text st;
		bool hit;
		size_t n = d->llen[i];

		if (j && (i & 2047) == 2047) {
			job_progress(j, i);
			job_partial(j);
			if (job_stop(j))
				return;
		}
		memset(&st, 0, sizeof st);
		san_line(d->data + d->off[i], n > VIEWER_LINE_MAX ? VIEWER_LINE_MAX : n, s->tab_size,
			 &st);
		hit = regexec(&s->re, st.s ? st.s : "", 0, NULL, 0) == 0;
		san_text_free(&st);
		if (hit)
			add_hit(s, i);
	}
	pthread_mutex_lock(&s->mu);
	s->complete = true;
	pthread_mutex_unlock(&s->mu);
	if (j)
		job_progress(j, d->nlines);
}

/* One step from the view's cursor; false when results are still coming. */
static bool step(struct viewer *v, int dir, struct pane_view *view)
{
	struct vsearch *s = v->search;
	size_t cur = view->cursor, lo = 0, hi, target = 0;
	bool found = false, wrapped = false, complete;
	char msg[320];

	pthread_mutex_lock(&s->mu);
	complete = s->complete;
	hi = s->nhits;
	/* first hit > cur */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->hits[mid] <= cur)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (dir > 0) {
		if (lo < s->nhits) {
			target = s->hits[lo];
			found = true;
		} else if (complete && s->nhits > 0) {
			target = s->hits[0];
			found = wrapped = true;
		}
	} else {
		size_t k = lo;                     /* hits[k-1] <= cur */
		if (k > 0 && s->hits[k - 1] == cur)
			k--;
		if (k > 0) {
			target = s->hits[k - 1];
			found = true;
		} else if (complete && s->nhits > 0) {
			target = s->hits[s->nhits - 1];
			found = wrapped = true;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (found) {
		view->cursor = target;
		v->pending_dir = 0;
		snprintf(msg, sizeof msg, "/%s%s", s->pattern, wrapped ? ": search wrapped" : "");
		note(false, msg);
		return true;
	}
	if (complete) {
		v->pending_dir = 0;
		snprintf(msg, sizeof msg, "/%s: no match", s->pattern);
		note(true, msg);
		return true;
	}
	v->pending_dir = dir;
	v->search_view = view;
	snprintf(msg, sizeof msg, "/%s: searching %zu lines%s", s->pattern, v->nlines,
		 ui_is_ascii() ? "..." : "\xe2\x80\xa6");
	note(false, msg);
	return false;
}

struct search_job {
	struct vsearch *s;
	struct viewer *v;       /* UI side only */
};

static enum job_outcome search_work(struct job *j, void *arg)
{
	struct search_job *sj = arg;

	scan(sj->s, j);
	return job_stop(j) ? JOB_STOPPED : JOB_OK;
}

static void search_more(void *arg)
{
	struct search_job *sj = arg;

	if (sj->v->search == sj->s && sj->v->pending_dir && sj->v->search_view)
		step(sj->v, sj->v->pending_dir, sj->v->search_view);
}

static void search_apply(void *arg, enum job_outcome out)
{
	(void)out;
	search_more(arg);
}

static void search_release(void *arg)
{
	struct search_job *sj = arg;

	search_unref(sj->s);
	free(sj);
}

void viewer_search(struct viewer *v, const char *pattern, int cflags, int dir,
		   struct pane_view *view)
{
	struct vsearch *s = v->search;

	if (!v->doc) {
		note(true, v->loading ? "still reading the file: search when it is loaded" : "nothing to search");
		return;
	}
	if (!s || strcmp(s->pattern, pattern) != 0 || s->cflags != cflags) {
		int rc;
		if (s) {
			job_cancel_owner(v->owner);
			search_unref(s);
			v->search = NULL;
		}
		s = xcalloc(1, sizeof *s);
		atomic_init(&s->refs, 1);
		rc = regcomp(&s->re, pattern, cflags & ~REG_NOSUB);
		if (rc != 0) {
			char eb[128], msg[400];
			regerror(rc, &s->re, eb, sizeof eb);
			regfree(&s->re);
			free(s);
			snprintf(msg, sizeof msg, "search /%s/: %s", pattern, eb);
			note(true, msg);
			return;
		}
		pthread_mutex_init(&s->mu, NULL);
		snprintf(s->pattern, sizeof s->pattern, "%s", pattern);
		s->cflags = cflags;
		s->tab_size = v->tab_size;
		s->doc = v->doc;
		atomic_fetch_add(&v->doc->refs, 1);
		v->search = s;
		if (v->nlines > VIEWER_SEARCH_JOB_LINES) {
			struct search_job *sj = xcalloc(1, sizeof *sj);
			struct job_spec js = {0};
			char label[JOB_LABEL_MAX];

			snprintf(label, sizeof label, "search /%.30s/", pattern);
			atomic_fetch_add(&s->refs, 1);
			sj->s = s;
			sj->v = v;
			js.label = label;
			js.owner = v->owner;
			js.total = v->nlines;
			js.work = search_work;
			js.apply = search_apply;
			js.partial = search_more;
			js.release = search_release;
			js.arg = sj;
			if (job_submit(&js) == 0)
				scan(s, NULL);
		} else {
			scan(s, NULL);
		}
	}
	step(v, dir, view);
}
