/* reg_blame.c - stack frames, suspect line ranges and blame scoring
 * (spec/analysis.md §6.3). */
#include "analysis/reg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define MAX_FRAMES 64

void reg_frames_free(struct reg_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].file);
	free(f);
}

static bool path_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch == '\\' || ch == '+';
}

static void add_frame(struct reg_frame **v, size_t *n, size_t *cap, const char *file, size_t len, long line)
{
	if (*n >= MAX_FRAMES || len == 0 || line <= 0 || !memchr(file, '.', len))
		return;
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].line == line && strlen((*v)[i].file) == len && strncmp((*v)[i].file, file, len) == 0)
			return;
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n].file = xstrndup(file, len);
	(*v)[*n].line = line;
	(*n)++;
}

size_t reg_frames_parse(const char *text, struct reg_frame **out)
{
	struct reg_frame *v = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (!text)
		return 0;
	for (const char *p = text; *p; p++) {
		/* Python: File "path", line N */
		if (strncmp(p, "File \"", 6) == 0) {
			const char *s = p + 6, *e = strchr(s, '"');
			if (e && strncmp(e, "\", line ", 8) == 0) {
				add_frame(&v, &n, &cap, s, (size_t)(e - s), strtol(e + 8, NULL, 10));
				p = e;
			}
			continue;
		}
		/* path:line, the path starting at a non-path character */
		if (*p == ':' && isdigit((unsigned char)p[1]) && p > text && path_char(p[-1])) {
			const char *s = p;
			while (s > text && path_char(s[-1]))
				s--;
			char *end;
			long line = strtol(p + 1, &end, 10);
			add_frame(&v, &n, &cap, s, (size_t)(p - s), line);
		}
	}
	*out = v;
	return n;
}

void reg_spans_free(struct reg_spans *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void span_add(struct reg_spans *s, const char *path, long a, long b)
{
	if (b < a)
		b = a;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0 && s->v[i].start == a && s->v[i].end == b)
			return;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n].path = xstrdup(path);
	s->v[s->n].start = a;
	s->v[s->n].end = b;
	s->n++;
}

static void hunk_span(const struct chg_hunk *h, long *a, long *b)
{
	*a = h->start < 1 ? 1 : h->start;
	*b = h->count > 0 ? h->start + h->count - 1 : *a;
}

/* Frames of a case: parsed from its text/message, plus its file:line. */
static size_t case_frames(const struct tr_case *c, struct reg_frame **out)
{
	size_t n = reg_frames_parse(c->text ? c->text : c->message, out);
	if (c->file && c->line > 0 && n < MAX_FRAMES) {
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			dup |= (*out)[i].line == c->line && strcmp((*out)[i].file, c->file) == 0;
		if (!dup) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n].file = xstrdup(c->file);
			(*out)[n].line = c->line;
			n++;
		}
	}
	return n;
}

static void spans_for_case(const struct reg_input *in, const struct tr_case *c, struct reg_spans *out)
{
	const struct chg_set *cs = in->changes;
	char *tfile = reg_test_file(c);
	struct reg_frame *fr = NULL;
	size_t nf = case_frames(c, &fr);
	for (size_t i = 0; i < cs->nfiles; i++) {
		const struct chg_file *f = &cs->files[i];
		if (f->status == CHG_DELETED)
			continue;
		bool is_test = tfile && reg_path_match(f->path, tfile);
		bool related = !is_test && reg_name_match(c, tfile, f->path);
		for (size_t h = 0; h < f->nhunks; h++) {
			long a, b;
			hunk_span(&f->hunks[h], &a, &b);
			if (is_test || related) {
				span_add(out, f->path, a, b);
				continue;
			}
			for (size_t k = 0; k < nf; k++) {
				if (!reg_path_match(fr[k].file, f->path))
					continue;
				long lo = fr[k].line - REG_FRAME_SLACK, hi = fr[k].line + REG_FRAME_SLACK;
				if (hi < a || lo > b)
					continue;
				span_add(out, f->path, lo > a ? lo : a, hi < b ? hi : b);
			}
		}
	}
	reg_frames_free(fr, nf);
	free(tfile);
}

void reg_suspect_spans(const struct reg_input *in, struct reg_spans *out)
{
	if (!in->changes)
		return;
	for (size_t r = 0; r < in->nreports; r++)
		for (size_t i = 0; i < in->reports[r]->ncases; i++) {
			const struct tr_case *c = &in->reports[r]->cases[i];
			if (c->kind == TR_K_TEST && reg_is_failed(c->status) && c->id)
				spans_for_case(in, c, out);
		}
}

/* --- scoring ------------------------------------------------------------ */

static bool commit_touches(const struct chg_commit *cm, const char *path)
{
	for (size_t i = 0; i < cm->nfiles; i++)
		if (reg_path_match(cm->files[i].path, path) ||
		    (cm->files[i].old_path && reg_path_match(cm->files[i].old_path, path)))
			return true;
	return false;
}

static void add_point(struct reg_suspect *s, int pts, const char *rule, char *detail)
{
	s->points = xrealloc(s->points, (s->npoints + 1) * sizeof *s->points);
	s->points[s->npoints].points = pts;
	s->points[s->npoints].rule = xstrdup(rule);
	s->points[s->npoints].detail = detail;
	s->npoints++;
	s->score += pts;
}

/* Whole-word, case-insensitive search of w (length >= 3) in text. */
static bool names_word(const char *text, const char *w)
{
	size_t n = w ? strlen(w) : 0;
	if (!text || n < 3)
		return false;
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, w, n) != 0)
			continue;
		bool lb = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool rb = !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (lb && rb)
			return true;
	}
	return false;
}

/* The module a test exercises: its file's base name without extension and
 * without a test_ prefix or _test/Test/Tests suffix. */
static char *test_module(const char *tfile)
{
	if (!tfile)
		return NULL;
	const char *b = strrchr(tfile, '/');
	b = b ? b + 1 : tfile;
	size_t n = strcspn(b, ".");
	if (n > 5 && strncmp(b, "test_", 5) == 0) {
		b += 5;
		n -= 5;
	}
	if (n > 5 && strncmp(b + n - 5, "_test", 5) == 0)
		n -= 5;
	else if (n > 5 && strncmp(b + n - 5, "Tests", 5) == 0)
		n -= 5;
	else if (n > 4 && strncmp(b + n - 4, "Test", 4) == 0)
		n -= 4;
	return xstrndup(b, n);
}

/* Does blame put commit sha on a line within ±3 of a non-test frame? */
static const struct reg_frame *frame_line_hit(const struct reg_input *in, const char *sha,
					      const struct reg_frame *fr, size_t nf, const char *tfile, long *line)
{
	if (!in->blame)
		return NULL;
	for (size_t k = 0; k < nf; k++) {
		if (tfile && reg_path_match(fr[k].file, tfile))
			continue;
		for (size_t s = 0; s < in->blame->n; s++) {
			const struct blame_span *sp = &in->blame->v[s];
			if (!sp->path || !reg_path_match(sp->path, fr[k].file))
				continue;
			for (size_t j = 0; j < sp->nlines; j++) {
				const struct blame_line *bl = &sp->lines[j];
				if (bl->in_range && strcmp(bl->sha, sha) == 0 &&
				    labs(bl->line - fr[k].line) <= REG_FRAME_SLACK) {
					*line = bl->line;
					return &fr[k];
				}
			}
		}
	}
	return NULL;
}

/* Without blame: the commit's own hunks overlap a frame ±3 (approximate). */
static const struct reg_frame *frame_hunk_hit(const struct chg_commit *cm, const struct reg_frame *fr, size_t nf,
					      const char *tfile)
{
	for (size_t k = 0; k < nf; k++) {
		if (tfile && reg_path_match(fr[k].file, tfile))
			continue;
		for (size_t i = 0; i < cm->nfiles; i++) {
			if (!reg_path_match(cm->files[i].path, fr[k].file))
				continue;
			for (size_t h = 0; h < cm->files[i].nhunks; h++) {
				long a, b;
				hunk_span(&cm->files[i].hunks[h], &a, &b);
				if (fr[k].line + REG_FRAME_SLACK >= a && fr[k].line - REG_FRAME_SLACK <= b)
					return &fr[k];
			}
		}
	}
	return NULL;
}

/* "path:a-b" runs of lines blamed on sha among the spans of this test's files. */
static void owned_lines(const struct reg_input *in, const char *sha, struct str_list *out)
{
	if (!in->blame)
		return;
	for (size_t s = 0; s < in->blame->n; s++) {
		const struct blame_span *sp = &in->blame->v[s];
		for (size_t j = 0; j < sp->nlines; j++) {
			if (strcmp(sp->lines[j].sha, sha) != 0)
				continue;
			size_t e = j;
			while (e + 1 < sp->nlines && strcmp(sp->lines[e + 1].sha, sha) == 0 &&
			       sp->lines[e + 1].line == sp->lines[e].line + 1)
				e++;
			char *r = sp->lines[e].line == sp->lines[j].line
					  ? xasprintf("%s:%ld", sp->path, sp->lines[j].line)
					  : xasprintf("%s:%ld-%ld", sp->path, sp->lines[j].line, sp->lines[e].line);
			str_list_push(out, r);
			free(r);
			j = e;
		}
	}
}

/* Highest score first; among equals, the commit blame puts suspect lines
 * on, then the newest (in a long range many commits touch the same file:
 * the latest change is the likelier culprit), then by sha. */
static int cmp_suspect(const void *a, const void *b)
{
	const struct reg_suspect *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	if ((x->lines.n > 0) != (y->lines.n > 0))
		return x->lines.n > 0 ? -1 : 1;
	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->sha, y->sha);
}

#define MAX_SUSPECTS 10

void reg_attribute(const struct reg_input *in, const struct tr_case *c, struct reg_finding *f)
{
	f->attribution = REG_NONE;
	const struct chg_set *cs = in->changes;
	if (!cs || cs->ncommits == 0)
		return;
	char *tfile = reg_test_file(c);
	char *module = test_module(tfile);
	struct reg_frame *fr = NULL;
	size_t nf = case_frames(c, &fr);
	struct reg_suspect *s = xcalloc(cs->ncommits, sizeof *s);
	size_t ns = 0;
	int total = 0;
	for (size_t i = 0; i < cs->ncommits; i++) {
		const struct chg_commit *cm = &cs->commits[i];
		struct reg_suspect *sp = &s[ns++];
		memcpy(sp->sha, cm->sha, sizeof sp->sha);
		sp->author = xstrdup(cm->author);
		sp->time = cm->time;
		sp->summary = xstrdup(cm->summary);
		sp->in_run = true;
		long line = 0;
		const struct reg_frame *hit = frame_line_hit(in, cm->sha, fr, nf, tfile, &line);
		if (hit)
			add_point(sp, 3, "frame-line",
				  xasprintf("last changed %s:%ld, within ±%d of stack frame %s:%ld", hit->file, line,
					    REG_FRAME_SLACK, hit->file, hit->line));
		else if (!in->blame && (hit = frame_hunk_hit(cm, fr, nf, tfile)) != NULL)
			add_point(sp, 3, "frame-line",
				  xasprintf("changed lines near stack frame %s:%ld (hunk overlap; blame unavailable)",
					    hit->file, hit->line));
		else
			for (size_t k = 0; k < nf; k++)
				if (!(tfile && reg_path_match(fr[k].file, tfile)) && commit_touches(cm, fr[k].file)) {
					add_point(sp, 2, "frame-file",
						  xasprintf("changed %s, a file in the stack trace", fr[k].file));
					break;
				}
		if (tfile && commit_touches(cm, tfile))
			add_point(sp, 2, "test-file", xasprintf("changed the test file %s", tfile));
		for (size_t k = 0; k < cm->nfiles; k++) {
			const char *p = cm->files[k].path;
			if (tfile && reg_path_match(p, tfile))
				continue;
			if (reg_name_match(c, tfile, p)) {
				add_point(sp, 1, "related-file", xasprintf("changed %s, which name-matches the test", p));
				break;
			}
		}
		if (names_word(cm->message, c->name) || names_word(cm->message, module))
			add_point(sp, 1, "message", xasprintf("its message names %s",
							       names_word(cm->message, c->name) ? c->name : module));
		owned_lines(in, cm->sha, &sp->lines);
		total += sp->score;
	}
	for (size_t i = 0; i < ns; i++)
		s[i].share = total > 0 ? (double)s[i].score / total : 0.0;
	qsort(s, ns, sizeof *s, cmp_suspect);
	size_t keep = ns < MAX_SUSPECTS ? ns : MAX_SUSPECTS;
	for (size_t i = keep; i < ns; i++) {
		free(s[i].author);
		free(s[i].summary);
		for (size_t k = 0; k < s[i].npoints; k++) {
			free(s[i].points[k].rule);
			free(s[i].points[k].detail);
		}
		free(s[i].points);
		str_list_free(&s[i].lines);
	}
	f->suspects = s;
	f->nsuspects = keep;
	if (total > 0) {
		const struct reg_suspect *top = &s[0];
		bool has3 = false;
		for (size_t k = 0; k < top->npoints; k++)
			has3 |= top->points[k].points == 3;
		if (has3 && top->share >= 0.6)
			f->attribution = REG_HIGH;
		else if (top->share >= 0.4 && top->score >= 2)
			f->attribution = REG_MEDIUM;
		else
			f->attribution = REG_LOW;
	}
	reg_frames_free(fr, nf);
	free(module);
	free(tfile);
}
