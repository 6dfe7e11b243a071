/* git_blame.c - blame of chosen line ranges at head, bounded by the
 * range's oldest commit, with each line marked in-range or pre-existing. */
#include "sources/git_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The commits of base..head, sorted, for membership tests: the same
 * capped walk as the range (at most the cap, the newest). */
struct oidset {
	git_oid *v;
	size_t n;
	bool all;      /* no base and the whole history walked: every commit is in the range */
};

static int oidcmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static enum wz_status range_set(struct git_repo *r, const struct git_range *g, struct oidset *s,
				struct wz_err *err)
{
	memset(s, 0, sizeof *s);
	git_oid head, base;
	if (git_oid_fromstr(&head, g->head) != 0 || (g->base[0] && git_oid_fromstr(&base, g->base) != 0))
		return wz_err_set(err, WZ_EGIT, "the commit range %s..%s is not two commit ids", g->base, g->head);
	struct gitx_walk w;
	enum wz_status st = gitx_range_walk(r, &head, g->base[0] ? &base : NULL, gitx_cap(), &w, err);
	if (st != WZ_OK)
		return st;
	if (!g->base[0] && !w.capped) {
		s->all = true;
		gitx_walk_free(&w);
		return WZ_OK;
	}
	s->v = w.v;
	s->n = w.n;
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, oidcmp);
	return WZ_OK;
}

static bool in_set(const struct oidset *s, const git_oid *o)
{
	return s->all || (s->n && bsearch(o, s->v, s->n, sizeof *s->v, oidcmp));
}

/* Summaries of the commits met, looked up once each. */
struct sumcache {
	git_oid *oid;
	char **sum;
	size_t n, cap, cap2;
};

static const char *summary(struct git_repo *r, struct sumcache *c, const git_oid *o)
{
	for (size_t i = 0; i < c->n; i++)
		if (git_oid_equal(&c->oid[i], o))
			return c->sum[i];
	git_commit *gc = NULL;
	char *copy = gitx_first_line(git_commit_lookup(&gc, r->repo, o) == 0 ? git_commit_message(gc) : NULL);
	git_commit_free(gc);
	c->oid = xgrow(c->oid, &c->cap, c->n + 1, sizeof *c->oid);
	c->sum = xgrow(c->sum, &c->cap2, c->n + 1, sizeof *c->sum);
	git_oid_cpy(&c->oid[c->n], o);
	c->sum[c->n] = copy;
	return c->sum[c->n++];
}

static void sumcache_free(struct sumcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->sum[i]);
	free(c->sum);
	free(c->oid);
}

/* Number of lines of path at head; -1 when the path is not a blob there. */
static long head_lines(struct git_repo *r, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, tree, path) != 0)
		return -1;
	git_blob *blob = NULL;
	long n = -1;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_blob_lookup(&blob, r->repo, git_tree_entry_id(e)) == 0) {
		const char *p = git_blob_rawcontent(blob);
		git_object_size_t sz = git_blob_rawsize(blob);
		n = 0;
		for (git_object_size_t i = 0; i < sz; i++)
			if (p[i] == '\n')
				n++;
		if (sz && p[sz - 1] != '\n')
			n++;
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	return n;
}

static void fill_line(struct git_repo *r, struct sumcache *sc, const struct oidset *rs,
		      const git_blame_hunk *h, long line, struct blame_line *bl)
{
	memset(bl, 0, sizeof *bl);
	bl->line = line;
	git_oid_tostr(bl->sha, sizeof bl->sha, &h->final_commit_id);
	bl->orig_line = (long)h->orig_start_line_number + (line - (long)h->final_start_line_number);
	const git_signature *s = h->final_signature;
	bl->author = xstrdup(s && s->name ? s->name : "");
	bl->email = xstrdup(s && s->email ? s->email : "");
	bl->time = s ? (double)s->when.time : 0.0;
	bl->tz_minutes = s ? s->when.offset : 0;
	bl->summary = xstrdup(summary(r, sc, &h->final_commit_id));
	bl->orig_path = xstrdup(h->orig_path ? h->orig_path : "");
	bl->in_range = in_set(rs, &h->final_commit_id);
	bl->pre_existing = !bl->in_range;
}

/* Blames every span of one path (indices idx[0..k)) with one libgit2 call. */
static enum wz_status blame_path(struct git_repo *r, const struct git_range *g, git_tree *tree,
				 struct sumcache *sc, const struct oidset *rs, const struct git_line_span *spans,
				 const size_t *idx, size_t k, struct blame_set *out, struct wz_err *err)
{
	const char *path = spans[idx[0]].path;
	long nlines = head_lines(r, tree, path);
	long lo = 0, hi = 0;
	for (size_t i = 0; i < k; i++) {
		struct blame_span *sp = &out->v[idx[i]];
		sp->path = xstrdup(path);
		sp->start = spans[idx[i]].start < 1 ? 1 : spans[idx[i]].start;
		sp->end = spans[idx[i]].end;
		if (nlines < 0) {
			sp->error = xasprintf("%s does not exist at %.12s", path, g->head);
			continue;
		}
		if (sp->end > nlines)
			sp->end = nlines;
		if (sp->end < sp->start) {
			sp->end = sp->start - 1;   /* empty */
			continue;
		}
		if (!lo || sp->start < lo)
			lo = sp->start;
		if (sp->end > hi)
			hi = sp->end;
	}
	if (!lo)
		return WZ_OK;
	git_blame_options o;
	git_blame_options_init(&o, GIT_BLAME_OPTIONS_VERSION);
	o.min_line = (size_t)lo;
	o.max_line = (size_t)hi;
	git_oid_fromstr(&o.newest_commit, g->head);
	if (g->bound[0])
		git_oid_fromstr(&o.oldest_commit, g->bound);
	git_blame *b = NULL;
	if (git_blame_file(&b, r->repo, path, &o) != 0) {
		const git_error *e = git_error_last();
		char *msg = xasprintf("blame of %s failed: %s", path, e && e->message ? e->message : "libgit2 error");
		for (size_t i = 0; i < k; i++)
			if (!out->v[idx[i]].error)
				out->v[idx[i]].error = xstrdup(msg);
		free(msg);
		return WZ_OK;
	}
	for (size_t i = 0; i < k; i++) {
		struct blame_span *sp = &out->v[idx[i]];
		if (sp->error || sp->end < sp->start)
			continue;
		sp->lines = xcalloc((size_t)(sp->end - sp->start + 1), sizeof *sp->lines);
		for (long ln = sp->start; ln <= sp->end; ln++) {
			const git_blame_hunk *h = git_blame_get_hunk_byline(b, (size_t)ln);
			if (!h)
				continue;
			fill_line(r, sc, rs, h, ln, &sp->lines[sp->nlines++]);
		}
	}
	git_blame_free(b);
	(void)err;
	return WZ_OK;
}

enum wz_status git_blame_spans(struct git_repo *r, const struct git_range *g,
			       const struct git_line_span *spans, size_t n, struct blame_set **out,
			       struct wz_err *err)
{
	*out = NULL;
	git_oid hoid;
	git_commit *hc = NULL;
	git_tree *tree = NULL;
	if (git_oid_fromstr(&hoid, g->head) != 0 || git_commit_lookup(&hc, r->repo, &hoid) != 0)
		return wz_err_set(err, WZ_EGIT, "head commit %s is missing from %s%s; blame unavailable", g->head,
				  r->dir, r->shallow ? " (a shallow clone: run `git fetch --unshallow`)" : "");
	if (git_commit_tree(&tree, hc) != 0) {
		git_commit_free(hc);
		return gitx_fail(err, r, "reading the head tree");
	}
	struct oidset rs;
	enum wz_status st = range_set(r, g, &rs, err);
	if (st != WZ_OK) {
		git_tree_free(tree);
		git_commit_free(hc);
		return st;
	}
	struct blame_set *bs = xcalloc(1, sizeof *bs);
	bs->n = n;
	bs->v = n ? xcalloc(n, sizeof *bs->v) : NULL;
	bool *done = n ? xcalloc(n, sizeof *done) : NULL;
	size_t *idx = n ? xcalloc(n, sizeof *idx) : NULL;
	struct sumcache sc = { 0 };
	for (size_t i = 0; i < n && st == WZ_OK; i++) {
		if (done[i])
			continue;
		size_t k = 0;
		for (size_t j = i; j < n; j++)
			if (!done[j] && spans[j].path && spans[i].path && strcmp(spans[i].path, spans[j].path) == 0) {
				idx[k++] = j;
				done[j] = true;
			}
		if (gitx_stopped()) {
			st = gitx_cancelled(err, r, "blaming the suspect lines", rs.n);
			break;
		}
		if (!spans[i].path) {
			bs->v[i].error = xstrdup("no path given");
			done[i] = true;
			continue;
		}
		st = blame_path(r, g, tree, &sc, &rs, spans, idx, k, bs, err);
	}
	sumcache_free(&sc);
	free(idx);
	free(done);
	free(rs.v);
	git_tree_free(tree);
	git_commit_free(hc);
	if (st != WZ_OK)
		blame_set_free(&bs);
	*out = bs;
	return st;
}
