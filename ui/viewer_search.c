/* viewer_search.c - search in the artifact viewer: a regex over every
 * line (sanitised as shown), run as a job on long files with partial hits
 * shown while it runs; n/N step through the hits. */
#include "config.h"
#include "ui/viewer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "ui/theme.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

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
		vw_note(false, msg);
		return true;
	}
	if (complete) {
		v->pending_dir = 0;
		snprintf(msg, sizeof msg, "/%s: no match", s->pattern);
		vw_note(true, msg);
		return true;
	}
	v->pending_dir = dir;
	v->search_view = view;
	snprintf(msg, sizeof msg, "/%s: searching %zu lines%s", s->pattern, v->nlines,
		 ui_is_ascii() ? "..." : "\xe2\x80\xa6");
	vw_note(false, msg);
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

	vw_search_unref(sj->s);
	free(sj);
}

void viewer_search(struct viewer *v, const char *pattern, int cflags, int dir,
		   struct pane_view *view)
{
	struct vsearch *s = v->search;

	if (!v->doc) {
		vw_note(true, v->loading ? "still reading the file: search when it is loaded" : "nothing to search");
		return;
	}
	if (!s || strcmp(s->pattern, pattern) != 0 || s->cflags != cflags) {
		int rc;
		if (s) {
			job_cancel_owner(v->owner);
			vw_search_unref(s);
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
			vw_note(true, msg);
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
