/* git_walk.c - the one bounded walk of a commit range (newest first, capped
 * by a commit count and a time budget, cancellable, with progress), the
 * per-thread walk control, and a process-wide memo of merge-bases so that
 * an analysis computes each one once. */
#include "sources/git_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* --- control ------------------------------------------------------------ */

static _Thread_local const struct git_ctl *tl_ctl;

void git_ctl_set(const struct git_ctl *c)
{
	tl_ctl = c;
}

const struct git_ctl *git_ctl_get(void)
{
	return tl_ctl;
}

static bool job_stop_cb(void *ctx)
{
	return job_stop(ctx);
}

static void job_progress_cb(void *ctx, size_t walked)
{
	job_progress(ctx, walked);
}

void git_ctl_for_job(struct git_ctl *c, struct job *j)
{
	memset(c, 0, sizeof *c);
	c->stop = job_stop_cb;
	c->progress = job_progress_cb;
	c->ctx = j;
}

size_t gitx_cap(void)
{
	return tl_ctl && tl_ctl->max_commits ? tl_ctl->max_commits : GIT_MAX_COMMITS;
}

static double budget_s(void)
{
	return tl_ctl && tl_ctl->max_seconds > 0 ? tl_ctl->max_seconds : GIT_WALK_SECONDS;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Without a git_ctl, the thread's fio_progress hooks (a job worker installs
 * its job's) give cancel and progress. */
bool gitx_stopped(void)
{
	if (tl_ctl)
		return tl_ctl->stop && tl_ctl->stop(tl_ctl->ctx);
	return fio_progress_stopped();
}

static void progress(size_t walked)
{
	if (tl_ctl) {
		if (tl_ctl->progress)
			tl_ctl->progress(tl_ctl->ctx, walked);
		return;
	}
	fio_progress_report(walked, gitx_cap());
}

enum wz_status gitx_cancelled(struct wz_err *err, const struct git_repo *r, const char *what, size_t walked)
{
	return wz_err_set(err, WZ_ECANCELED, "%s in %s cancelled after %zu commits walked; nothing was kept "
			  "(run it again to finish)", what, r && r->dir ? r->dir : "(repository)", walked);
}

/* --- the walk ------------------------------------------------------------ */

enum { F_IN = 1, F_HIDE = 2, F_QUEUED = 4 };

struct node {
	git_oid oid;
	int64_t time;
	unsigned char flags;
};

struct walk {
	struct node *nodes;   /* append-only */
	size_t n, cap;
	uint32_t *table;      /* open addressing: node index + 1, 0 empty */
	size_t tcap;          /* power of two */
	uint32_t *heap;       /* node indices, newest on top */
	size_t hn, hcap;
	size_t interesting;   /* queued nodes with F_IN and without F_HIDE */
};

static size_t oid_hash(const git_oid *o)
{
	size_t h;
	memcpy(&h, o->id, sizeof h);
	return h;
}

static void table_grow(struct walk *w)
{
	size_t ncap = w->tcap ? w->tcap * 2 : 1024;
	uint32_t *t = xcalloc(ncap, sizeof *t);
	for (size_t i = 0; i < w->n; i++) {
		size_t k = oid_hash(&w->nodes[i].oid) & (ncap - 1);
		while (t[k])
			k = (k + 1) & (ncap - 1);
		t[k] = (uint32_t)(i + 1);
	}
	free(w->table);
	w->table = t;
	w->tcap = ncap;
}

/* The node of oid, created (flags 0, time unknown) when absent. */
static struct node *node_get(struct walk *w, const git_oid *oid, bool *created)
{
	if ((w->n + 1) * 2 > w->tcap)
		table_grow(w);
	size_t k = oid_hash(oid) & (w->tcap - 1);
	*created = false;
	while (w->table[k]) {
		struct node *nd = &w->nodes[w->table[k] - 1];
		if (git_oid_equal(&nd->oid, oid))
			return nd;
		k = (k + 1) & (w->tcap - 1);
	}
	w->nodes = xgrow(w->nodes, &w->cap, w->n + 1, sizeof *w->nodes);
	struct node *nd = &w->nodes[w->n];
	memset(nd, 0, sizeof *nd);
	git_oid_cpy(&nd->oid, oid);
	w->table[k] = (uint32_t)(++w->n);
	*created = true;
	return nd;
}

static bool newer(const struct walk *w, uint32_t a, uint32_t b)
{
	return w->nodes[a].time > w->nodes[b].time;
}

static void heap_push(struct walk *w, uint32_t i)
{
	w->heap = xgrow(w->heap, &w->hcap, w->hn + 1, sizeof *w->heap);
	size_t k = w->hn++;
	while (k && newer(w, i, w->heap[(k - 1) / 2])) {
		w->heap[k] = w->heap[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	w->heap[k] = i;
}

static uint32_t heap_pop(struct walk *w)
{
	uint32_t top = w->heap[0], last = w->heap[--w->hn];
	size_t k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= w->hn)
			break;
		if (c + 1 < w->hn && newer(w, w->heap[c + 1], w->heap[c]))
			c++;
		if (!newer(w, w->heap[c], last))
			break;
		w->heap[k] = w->heap[c];
		k = c;
	}
	if (w->hn)
		w->heap[k] = last;
	return top;
}

static bool counts(unsigned char f)
{
	return (f & F_IN) && !(f & F_HIDE);
}

/* Adds flags to the commit oid, queueing it (its time read once) when new. */
static int mark(struct git_repo *r, struct walk *w, const git_oid *oid, unsigned char flags)
{
	bool created;
	struct node *nd = node_get(w, oid, &created);
	if (created) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, r->repo, oid) != 0)
			return -1;
		nd->time = git_commit_time(c);
		git_commit_free(c);
	}
	if ((nd->flags & flags) == flags)
		return 0;
	bool was = (nd->flags & F_QUEUED) && counts(nd->flags);
	nd->flags |= flags;
	if (nd->flags & F_QUEUED) {
		w->interesting += counts(nd->flags) - was;
	} else if (created) {
		nd->flags |= F_QUEUED;
		w->interesting += counts(nd->flags);
		heap_push(w, (uint32_t)(nd - w->nodes));
	}
	return 0;
}

void gitx_walk_free(struct gitx_walk *o)
{
	free(o->v);
	memset(o, 0, sizeof *o);
}

enum wz_status gitx_range_walk(struct git_repo *r, const git_oid *head, const git_oid *base, size_t cap,
			       struct gitx_walk *out, struct wz_err *err)
{
	memset(out, 0, sizeof *out);
	struct walk w = { 0 };
	enum wz_status st = WZ_OK;
	size_t vcap = 0, visit_cap = cap * 4 + 1024;
	double t0 = mono_s(), budget = budget_s();
	if (mark(r, &w, head, F_IN) != 0 || (base && mark(r, &w, base, F_HIDE) != 0)) {
		st = gitx_fail(err, r, "reading the ends of the commit range");
		goto done;
	}
	while (w.hn && w.interesting) {
		if (out->n >= cap || out->walked >= visit_cap) {
			out->capped = true;
			break;
		}
		if ((out->walked & 255) == 0) {
			if (gitx_stopped()) {
				st = gitx_cancelled(err, r, "walking the commit range", out->walked);
				goto done;
			}
			progress(out->walked);
			if (out->walked && mono_s() - t0 > budget) {
				out->capped = out->timed_out = true;
				break;
			}
		}
		uint32_t i = heap_pop(&w);
		struct node nd = w.nodes[i];
		w.nodes[i].flags &= (unsigned char)~F_QUEUED;
		w.interesting -= counts(nd.flags);
		out->walked++;
		if (counts(nd.flags)) {
			out->v = xgrow(out->v, &vcap, out->n + 1, sizeof *out->v);
			git_oid_cpy(&out->v[out->n++], &nd.oid);
		}
		git_commit *c = NULL;
		if (git_commit_lookup(&c, r->repo, &nd.oid) != 0) {
			st = gitx_fail(err, r, r->shallow ? "reading a commit of the range (shallow clone: run "
							    "`git fetch --unshallow`)" : "reading a commit of the range");
			goto done;
		}
		unsigned np = git_commit_parentcount(c);
		for (unsigned p = 0; p < np && st == WZ_OK; p++)
			if (mark(r, &w, git_commit_parent_id(c, p), nd.flags & (F_IN | F_HIDE)) != 0 && !r->shallow)
				st = gitx_fail(err, r, "reading a parent commit of the range");
		git_commit_free(c);
		if (st != WZ_OK)
			goto done;
	}
	/* the commit just past the cap: the blame boundary */
	if (out->capped) {
		while (w.hn) {
			uint32_t i = heap_pop(&w);
			if (counts(w.nodes[i].flags)) {
				git_oid_cpy(&out->next, &w.nodes[i].oid);
				out->has_next = true;
				break;
			}
		}
	}
	progress(out->walked);
done:
	free(w.nodes);
	free(w.table);
	free(w.heap);
	if (st != WZ_OK)
		gitx_walk_free(out);
	return st;
}

/* --- merge-base memo ----------------------------------------------------- */

#define MB_SLOTS 16

struct mb_slot {
	git_oid a, b, mb;
	char *dir;
	int rc;
	bool used;
};

static pthread_mutex_t mb_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mb_slot mb_memo[MB_SLOTS];
static size_t mb_next, mb_computed;

size_t git_merge_base_computed(void)
{
	pthread_mutex_lock(&mb_lock);
	size_t n = mb_computed;
	pthread_mutex_unlock(&mb_lock);
	return n;
}

void git_merge_base_forget(void)
{
	pthread_mutex_lock(&mb_lock);
	for (size_t i = 0; i < MB_SLOTS; i++) {
		free(mb_memo[i].dir);
		memset(&mb_memo[i], 0, sizeof mb_memo[i]);
	}
	mb_next = 0;
	pthread_mutex_unlock(&mb_lock);
}

static bool mb_find(const char *dir, const git_oid *a, const git_oid *b, git_oid *mb, int *rc)
{
	for (size_t i = 0; i < MB_SLOTS; i++) {
		const struct mb_slot *s = &mb_memo[i];
		if (s->used && strcmp(s->dir, dir) == 0 &&
		    ((git_oid_equal(&s->a, a) && git_oid_equal(&s->b, b)) ||
		     (git_oid_equal(&s->a, b) && git_oid_equal(&s->b, a)))) {
			git_oid_cpy(mb, &s->mb);
			*rc = s->rc;
			return true;
		}
	}
	return false;
}

int gitx_merge_base(struct git_repo *r, git_oid *mb, const git_oid *a, const git_oid *b)
{
	int rc;
	pthread_mutex_lock(&mb_lock);
	bool hit = mb_find(r->dir, a, b, mb, &rc);
	pthread_mutex_unlock(&mb_lock);
	if (hit)
		return rc;
	if (git_oid_equal(a, b)) {
		git_oid_cpy(mb, a);
		return 0;
	}
	rc = git_merge_base(mb, r->repo, a, b);
	if (rc != 0 && rc != GIT_ENOTFOUND)
		return rc;   /* a read error: not remembered */
	pthread_mutex_lock(&mb_lock);
	mb_computed++;
	struct mb_slot *s = &mb_memo[mb_next++ % MB_SLOTS];
	free(s->dir);
	s->dir = xstrdup(r->dir);
	git_oid_cpy(&s->a, a);
	git_oid_cpy(&s->b, b);
	if (rc == 0)
		git_oid_cpy(&s->mb, mb);
	s->rc = rc;
	s->used = true;
	pthread_mutex_unlock(&mb_lock);
	return rc;
}
