/* pane_viewer.c - a run artifact shown read-only: one read, an index of
 * line offsets, rows built only for the lines drawn (sanitised then, escapes
 * in the escape role, search matches in search-match, cut at 4 KB), reads
 * of big files as jobs (see viewer.h); search is in viewer_search.c. */
#include "config.h"
#include "ui/viewer.h"
#include "ui/viewer_int.h"

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


static void (*notify_fn)(void *, bool, const char *);
static void *notify_ctx;

void viewer_set_notifier(void (*fn)(void *ctx, bool error, const char *msg), void *ctx)
{
	notify_fn = fn;
	notify_ctx = ctx;
}

void vw_note(bool error, const char *msg)
{
	if (notify_fn)
		notify_fn(notify_ctx, error, msg);
}

void vw_doc_unref(struct vdoc *d)
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

void vw_search_unref(struct vsearch *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		vw_doc_unref(s->doc);
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
				vw_doc_unref(d);
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
	vw_doc_unref(v->doc);
	vw_search_unref(v->search);
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
			vw_note(false, msg);
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
	vw_doc_unref(o->doc);
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
